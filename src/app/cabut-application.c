/* cabut-application.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-application"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-application.h"
#include "cabut-window.h"

struct _CabutApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CabutApplication, cabut_application, ADW_TYPE_APPLICATION)

static void
cabut_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (cabut_window_new (GTK_APPLICATION (app)));

  gtk_window_present (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The Cabut authors", NULL };
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);

  adw_show_about_window (window,
                         "application-name", _("Cabut"),
                         "application-icon", "io.github.cabut.Cabut",
                         "developer-name", _("The Cabut authors"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Revoke your BSrE electronic certificate, step by step"),
                         "developers", developers,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Cabut authors",
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
cabut_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (cabut_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
}

static void
cabut_application_class_init (CabutApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = cabut_application_activate;
  app_class->startup = cabut_application_startup;
}

static void
cabut_application_init (CabutApplication *self)
{
}

CabutApplication *
cabut_application_new (void)
{
  return g_object_new (CABUT_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/cabut/Cabut",
                       NULL);
}
