/* cabut-certificate-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-certificate-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-certificate-page.h"
#include "cabut-core-enums.h"
#include "cabut-util.h"

/* Step 2: the certificate file — chosen, dropped, or given on the command
 * line. A PKCS#12 file asks for its password right here; a wrong one is
 * said plainly and the field keeps the focus. Loading runs in a thread. */
struct _CabutCertificatePage
{
  CabutPage             parent_instance;

  GtkWidget            *drop_box;
  AdwPreferencesGroup  *file_group;
  AdwActionRow         *file_row;
  AdwPasswordEntryRow  *password_row;
  GtkLabel             *error_label;

  GFile                *file;         /* being loaded or waiting for its password */
  GCancellable         *cancellable;
  guint                 needs_password : 1;
  guint                 loading : 1;
};

G_DEFINE_FINAL_TYPE (CabutCertificatePage, cabut_certificate_page, CABUT_TYPE_PAGE)

static void
show_error (CabutCertificatePage *self,
            const char           *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
}

static void
update_complete (CabutCertificatePage *self)
{
  CabutDraft *draft = cabut_page_get_draft (CABUT_PAGE (self));
  gboolean loaded = draft != NULL && cabut_draft_get_certificate (draft) != NULL && self->file == NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  cabut_page_set_complete (CABUT_PAGE (self),
                           !self->loading && (loaded || (self->needs_password && *password != '\0')));
}

static void
show_file (CabutCertificatePage *self,
           GFile                *file,
           CabutCertificate     *certificate)
{
  g_autofree char *name = file ? g_file_get_basename (file) : NULL;
  g_autofree char *cn = NULL;
  g_autofree char *subtitle = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->file_group), file != NULL || certificate != NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), name ? name : _("Certificate"));

  if (certificate != NULL)
    {
      cn = cabut_dn_dup_common_name (cabut_certificate_get_subject (certificate));
      /* Translators: the certificate holder's name, then its serial number */
      subtitle = g_strdup_printf (_("%s · serial number %s"), cn ? cn : cabut_certificate_get_subject_string (certificate),
                                  cabut_certificate_get_serial (certificate));
    }
  else if (self->needs_password)
    subtitle = g_strdup (_("This file is protected by a password"));
  else if (self->loading)
    subtitle = g_strdup (_("Reading…"));

  adw_action_row_set_subtitle (self->file_row, subtitle ? subtitle : "");
}

static char *
describe_error (const GError *error)
{
  if (error->domain == CABUT_CERTIFICATE_ERROR)
    {
      switch ((CabutCertificateError) error->code)
        {
        case CABUT_CERTIFICATE_ERROR_WRONG_PASSWORD:
          return g_strdup (_("The password is wrong. Check Caps Lock and try again; it is the password you "
                             "set when you downloaded the certificate."));
        case CABUT_CERTIFICATE_ERROR_TOO_LARGE:
          return g_strdup (_("This file is far too large to be a certificate. Choose your certificate file."));
        case CABUT_CERTIFICATE_ERROR_MALFORMED:
        case CABUT_CERTIFICATE_ERROR_UNSUPPORTED:
        case CABUT_CERTIFICATE_ERROR_NO_CERTIFICATE:
          /* Translators: %s says what is wrong with the file */
          return g_strdup_printf (_("This file cannot be used: %s. Choose the certificate file you received "
                                    "(.p12, .pfx, .pem, .crt, .cer or .der)."), error->message);
        case CABUT_CERTIFICATE_ERROR_UNREADABLE:
        case CABUT_CERTIFICATE_ERROR_NEEDS_PASSWORD:
        case CABUT_CERTIFICATE_ERROR_NO_PRIVATE_KEY:
        default:
          break;
        }
    }

  /* Translators: %s says why the file cannot be read */
  return g_strdup_printf (_("The file cannot be read: %s"), error->message);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CabutCertificatePage *self = g_task_get_source_object (task);
  g_autoptr(CabutCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  CabutDraft *draft;

  certificate = cabut_certificate_new_from_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->loading = FALSE;
  draft = cabut_page_get_draft (CABUT_PAGE (self));

  if (certificate == NULL)
    {
      gboolean asked = g_task_get_task_data (task) != NULL;

      if (g_error_matches (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_NEEDS_PASSWORD) ||
          (!asked && g_error_matches (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_WRONG_PASSWORD)))
        {
          self->needs_password = TRUE;
          gtk_widget_set_visible (GTK_WIDGET (self->password_row), TRUE);
          show_error (self, NULL);
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
        }
      else
        {
          g_autofree char *message = describe_error (error);

          show_error (self, message);
          if (self->needs_password)
            {
              gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
              gtk_editable_select_region (GTK_EDITABLE (self->password_row), 0, -1);
            }
        }
      show_file (self, self->file, NULL);
      update_complete (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  show_error (self, NULL);
  cabut_draft_set_certificate_file (draft, self->file);
  cabut_draft_set_certificate (draft, certificate);
  g_clear_object (&self->file);
  self->needs_password = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), FALSE);
  show_file (self, cabut_draft_get_certificate_file (draft), certificate);
  update_complete (self);

  g_task_return_boolean (task, TRUE);
}

static void
load (CabutCertificatePage *self,
      const char           *password,
      GCancellable         *cancellable,
      GAsyncReadyCallback   callback,
      gpointer              user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  /* Remember whether a password was tried, to tell "asks for one" from
   * "this one is wrong". */
  g_task_set_task_data (task, password != NULL ? GINT_TO_POINTER (1) : NULL, NULL);
  self->loading = TRUE;
  update_complete (self);
  cabut_certificate_new_from_file_async (self->file, password, cancellable, loaded_cb, task);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CabutCertificatePage *self = CABUT_CERTIFICATE_PAGE (object);
  gboolean advance = GPOINTER_TO_INT (user_data);

  /* The file from `cabut FILE` opens on its details. */
  if (g_task_propagate_boolean (G_TASK (result), NULL) && advance)
    cabut_page_next (CABUT_PAGE (self));
}

static void
set_file_full (CabutCertificatePage *self,
               GFile                *file,
               gboolean              advance)
{
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));
  CabutDemoAccount *demo = cabut_context_get_demo_account (context);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->file, file);
  self->needs_password = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), FALSE);
  show_error (self, NULL);
  show_file (self, file, NULL);

  /* The demo shows the certificate password on its first page; spare the
   * newcomer from typing it. */
  if (demo != NULL && cabut_demo_account_get_certificate_file (demo) != NULL &&
      g_file_equal (file, cabut_demo_account_get_certificate_file (demo)))
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), cabut_demo_account_get_certificate_password (demo));

  load (self, NULL, self->cancellable, load_done_cb, GINT_TO_POINTER (advance));
}

static void
file_chosen (GtkWidget *widget,
             GFile     *file)
{
  set_file_full (CABUT_CERTIFICATE_PAGE (widget), file, FALSE);
}

static void
choose_clicked_cb (CabutCertificatePage *self)
{
  static const char * const suffixes[] = { "p12", "pfx", "pem", "crt", "cer", "der" };
  static const char * const types[] = {
    "application/x-pkcs12", "application/pkcs12", "application/pkix-cert",
    "application/x-x509-ca-cert", "application/x-x509-user-cert", "application/x-pem-file",
  };
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Certificate files (.p12, .pfx, .pem, .crt, .cer, .der)"));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    gtk_file_filter_add_mime_type (filter, types[i]);

  cabut_choose_file (GTK_WIDGET (self), _("Choose Your Certificate File"), _("_Open"), filter, file_chosen);
}

static void
password_changed_cb (CabutCertificatePage *self)
{
  show_error (self, NULL);
  update_complete (self);
}

static void
password_activated_cb (CabutCertificatePage *self)
{
  cabut_page_next (CABUT_PAGE (self));
}

static void
cabut_certificate_page_shown (CabutPage *page)
{
  CabutCertificatePage *self = CABUT_CERTIFICATE_PAGE (page);
  CabutDraft *draft = cabut_page_get_draft (page);

  if (self->file == NULL && !self->loading)
    show_file (self, cabut_draft_get_certificate_file (draft), cabut_draft_get_certificate (draft));
  update_complete (self);

  if (self->needs_password)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
unlocked_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
cabut_certificate_page_apply_async (CabutPage           *page,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  CabutCertificatePage *self = CABUT_CERTIFICATE_PAGE (page);
  GTask *task;

  if (self->file == NULL || !self->needs_password)
    return FALSE;

  task = g_task_new (self, cancellable, callback, user_data);
  load (self, gtk_editable_get_text (GTK_EDITABLE (self->password_row)), cancellable, unlocked_cb, task);

  return TRUE;
}

static gboolean
cabut_certificate_page_apply_finish (CabutPage     *page,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cabut_certificate_page_dispose (GObject *object)
{
  CabutCertificatePage *self = (CabutCertificatePage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (cabut_certificate_page_parent_class)->dispose (object);
}

static void
cabut_certificate_page_class_init (CabutCertificatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CabutPageClass *page_class = CABUT_PAGE_CLASS (klass);

  object_class->dispose = cabut_certificate_page_dispose;
  page_class->shown = cabut_certificate_page_shown;
  page_class->apply_async = cabut_certificate_page_apply_async;
  page_class->apply_finish = cabut_certificate_page_apply_finish;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-certificate-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutCertificatePage, drop_box);
  gtk_widget_class_bind_template_child (widget_class, CabutCertificatePage, file_group);
  gtk_widget_class_bind_template_child (widget_class, CabutCertificatePage, file_row);
  gtk_widget_class_bind_template_child (widget_class, CabutCertificatePage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CabutCertificatePage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);
}

static void
cabut_certificate_page_init (CabutCertificatePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cabut_add_file_drop (GTK_WIDGET (self), file_chosen);
}

/** cabut_certificate_page_set_file: loads @file, as choosing or dropping it does; a certificate opens on its details */
void
cabut_certificate_page_set_file (CabutCertificatePage *self,
                                 GFile                *file)
{
  g_return_if_fail (CABUT_IS_CERTIFICATE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  set_file_full (self, file, TRUE);
}

/** cabut_certificate_page_set_password: types @password into the password field */
void
cabut_certificate_page_set_password (CabutCertificatePage *self,
                                     const char           *password)
{
  g_return_if_fail (CABUT_IS_CERTIFICATE_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password ? password : "");
}
