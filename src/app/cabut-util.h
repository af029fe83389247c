/* cabut-util.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* g_set_str() is GLib 2.76; Debian 12 has 2.74. */
static inline gboolean
cabut_set_str (char       **ptr,
               const char  *value)
{
  char *copy;

  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;

  copy = g_strdup (value);
  g_free (*ptr);
  *ptr = copy;

  return TRUE;
}

char       *cabut_format_date_time   (GDateTime   *when);
char       *cabut_describe_sign_in_error (const GError *error);
void        cabut_show_status        (GtkLabel      *label,
                                      const char    *text,
                                      gboolean       is_error);
gboolean    cabut_sign_in_filled     (GtkEditable   *username,
                                      GtkEditable   *password,
                                      GtkEditable   *totp);

void        cabut_row_wrap_anywhere  (AdwActionRow  *row);

/* Called with the file the person chose or dropped. */
typedef void (*CabutFileFunc) (GtkWidget *widget,
                               GFile     *file);

void        cabut_add_file_drop      (GtkWidget     *widget,
                                      CabutFileFunc  func);
void        cabut_choose_file        (GtkWidget     *widget,
                                      const char    *title,
                                      const char    *accept_label,
                                      GtkFileFilter *filter,
                                      CabutFileFunc  func);
void        cabut_choose_save_file   (GtkWidget     *widget,
                                      const char    *title,
                                      const char    *accept_label,
                                      GtkFileFilter *filter,
                                      const char    *suggested_name,
                                      CabutFileFunc  func);

void        cabut_name_icon_buttons  (GtkWidget     *widget);

const SecretSchema *cabut_password_schema (void);

G_END_DECLS
