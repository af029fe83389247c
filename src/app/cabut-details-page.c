/* cabut-details-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-details-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-details-page.h"
#include "cabut-dn-list.h"
#include "cabut-probe.h"
#include "cabut-util.h"

/* Step 3: what the certificate says, and what is wrong with it: expired,
 * not yet valid, issued by a CA this service does not run, or revoked
 * already. The revocation check (OCSP, then CRL) runs in the background;
 * the page never waits for it. */
struct _CabutDetailsPage
{
  CabutPage         parent_instance;

  AdwActionRow     *validity_row;
  GtkImage         *validity_icon;
  AdwActionRow     *issuer_check_row;
  GtkImage         *issuer_icon;
  AdwActionRow     *revocation_row;
  GtkStack         *revocation_stack;
  GtkSpinner       *revocation_spinner;
  GtkImage         *revocation_icon;
  CabutDnList      *subject_list;
  AdwActionRow     *issuer_row;
  AdwActionRow     *serial_row;
  AdwActionRow     *not_before_row;
  AdwActionRow     *not_after_row;
  AdwActionRow     *fingerprint_row;
  AdwActionRow     *key_row;

  CabutCertificate *shown;          /* the certificate on display */
  GCancellable     *cancellable;    /* its revocation check */
  gboolean          checked;
};

G_DEFINE_FINAL_TYPE (CabutDetailsPage, cabut_details_page, CABUT_TYPE_PAGE)

static void
set_check (AdwActionRow *row,
           GtkImage     *icon,
           const char   *icon_name,
           const char   *css_class,
           const char   *text)
{
  gtk_image_set_from_icon_name (icon, icon_name);
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "error");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (icon), css_class);
  adw_action_row_set_subtitle (row, text);
  adw_action_row_set_subtitle_lines (row, 0);
}

static CabutCertificate *
find_issuer (CabutDetailsPage *self,
             CabutCertificate *certificate,
             gboolean         *from_service)
{
  CabutCertificate *issuer = cabut_context_find_issuer (cabut_page_get_context (CABUT_PAGE (self)), certificate);
  GPtrArray *extra = cabut_certificate_get_extra_certificates (certificate);

  *from_service = issuer != NULL;
  if (issuer != NULL)
    return issuer;

  for (guint i = 0; extra != NULL && i < extra->len; i++)
    {
      if (cabut_certificate_is_issued_by (certificate, g_ptr_array_index (extra, i)))
        return g_ptr_array_index (extra, i);
    }

  return NULL;
}

static void
revocation_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CabutDetailsPage) self = user_data;
  g_autoptr(CabutRevocationResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  answer = cabut_revocation_check_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->revocation_spinner, FALSE);
  gtk_stack_set_visible_child_name (self->revocation_stack, "done");

  if (answer == NULL)
    {
      /* Translators: %s says why the status could not be learnt */
      text = g_strdup_printf (_("Could not be checked now: %s. The service checks it again when it receives "
                                "your request."), error->message);
      set_check (self->revocation_row, self->revocation_icon, "dialog-question-symbolic", "warning", text);
      return;
    }

  switch (cabut_revocation_result_get_status (answer))
    {
    case CABUT_REVOCATION_STATUS_REVOKED:
      {
        GDateTime *at = cabut_revocation_result_get_revoked_at (answer);
        g_autofree char *when = at ? cabut_format_date_time (at) : g_strdup ("");
        const char *reason = cabut_revocation_result_get_reason (answer);

        /* Translators: a date, then the reason for revocation */
        text = g_strdup_printf (_("Already revoked on %s (%s): there is nothing left to do. To sign again, "
                                  "apply for a new certificate."),
                                when, reason ? cabut_crl_reason_to_label (reason) : _("no reason given"));
        set_check (self->revocation_row, self->revocation_icon, "dialog-error-symbolic", "error", text);
        cabut_page_set_complete (CABUT_PAGE (self), FALSE);
        break;
      }
    case CABUT_REVOCATION_STATUS_GOOD:
      /* Translators: %s is where the answer came from, e.g. "Status service (OCSP)" */
      text = g_strdup_printf (_("Not revoked (%s)"),
                              cabut_revocation_source_to_label (cabut_revocation_result_get_source (answer)));
      set_check (self->revocation_row, self->revocation_icon, "emblem-ok-symbolic", "success", text);
      break;
    case CABUT_REVOCATION_STATUS_UNKNOWN:
    default:
      set_check (self->revocation_row, self->revocation_icon, "dialog-question-symbolic", "warning",
                 _("Unknown to the certification authority that issued it"));
      break;
    }
}

static void
start_revocation_check (CabutDetailsPage *self)
{
  CabutCertificate *certificate = self->shown;
  CabutCertificate *issuer;
  gboolean from_service = FALSE;

  if (certificate == NULL || self->checked)
    return;

  issuer = find_issuer (self, certificate, &from_service);

  if (issuer == NULL)
    {
      GPtrArray *issuers = cabut_context_get_issuers (cabut_page_get_context (CABUT_PAGE (self)));

      /* Wait for the service's CA certificates, unless they came already. */
      if (issuers == NULL)
        {
          set_check (self->issuer_check_row, self->issuer_icon, "content-loading-symbolic", NULL,
                     _("Asking the service which certification authority it runs…"));
          return;
        }

      set_check (self->issuer_check_row, self->issuer_icon, "dialog-warning-symbolic", "warning",
                 _("Not issued by the certification authority of this service. Check that you chose the "
                   "right certificate and the right service (Preferences)."));
      gtk_spinner_set_spinning (self->revocation_spinner, FALSE);
      gtk_stack_set_visible_child_name (self->revocation_stack, "done");
      set_check (self->revocation_row, self->revocation_icon, "dialog-question-symbolic", "warning",
                 _("Cannot be checked without the certificate of its issuer"));
      self->checked = TRUE;
      return;
    }

  if (from_service)
    set_check (self->issuer_check_row, self->issuer_icon, "emblem-ok-symbolic", "success",
               _("Issued by the certification authority of this service"));
  else
    set_check (self->issuer_check_row, self->issuer_icon, "dialog-warning-symbolic", "warning",
               _("Not issued by the certification authority of this service. Check that you chose the "
                 "right certificate and the right service (Preferences)."));

  self->checked = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  gtk_stack_set_visible_child_name (self->revocation_stack, "checking");
  gtk_spinner_set_spinning (self->revocation_spinner, TRUE);
  adw_action_row_set_subtitle (self->revocation_row, _("Checking…"));
  cabut_revocation_check_async (certificate, issuer, NULL, NULL, NULL, self->cancellable, revocation_cb,
                                g_object_ref (self));
}

static void
show_certificate (CabutDetailsPage *self,
                  CabutCertificate *certificate)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;
  g_autofree char *key = NULL;
  g_autofree char *validity = NULL;
  const char *curve;

  g_set_object (&self->shown, certificate);
  self->checked = FALSE;
  g_cancellable_cancel (self->cancellable);
  cabut_page_set_complete (CABUT_PAGE (self), certificate != NULL);

  cabut_dn_list_set_dn (self->subject_list, certificate ? cabut_certificate_get_subject (certificate) : NULL);
  if (certificate == NULL)
    return;
  cabut_probe_mark ("details-shown");

  not_before = cabut_format_date_time (cabut_certificate_get_not_before (certificate));
  not_after = cabut_format_date_time (cabut_certificate_get_not_after (certificate));
  adw_action_row_set_subtitle (self->issuer_row, cabut_certificate_get_issuer_string (certificate));
  adw_action_row_set_subtitle (self->serial_row, cabut_certificate_get_serial (certificate));
  adw_action_row_set_subtitle (self->not_before_row, not_before);
  adw_action_row_set_subtitle (self->not_after_row, not_after);
  adw_action_row_set_subtitle (self->fingerprint_row, cabut_certificate_get_sha256 (certificate));

  curve = cabut_certificate_get_key_curve (certificate);
  if (curve != NULL)
    key = g_strdup_printf ("%s %s", cabut_certificate_get_key_type (certificate), curve);
  else
    /* Translators: a key type and its size, e.g. "RSA, 2048 bits" */
    key = g_strdup_printf (_("%s, %u bits"), cabut_certificate_get_key_type (certificate),
                           cabut_certificate_get_key_bits (certificate));
  if (cabut_certificate_has_private_key (certificate) && cabut_certificate_key_matches (certificate))
    {
      g_autofree char *with_key = g_strdup_printf ("%s · %s", key, _("private key in the file"));
      g_free (key);
      key = g_steal_pointer (&with_key);
    }
  adw_action_row_set_subtitle (self->key_row, key);

  if (g_date_time_compare (now, cabut_certificate_get_not_after (certificate)) > 0)
    {
      /* Translators: %s is a date */
      validity = g_strdup_printf (_("Expired on %s. An expired certificate can still be revoked, so that nobody "
                                    "trusts what is signed with it after today."), not_after);
      set_check (self->validity_row, self->validity_icon, "dialog-warning-symbolic", "warning", validity);
    }
  else if (g_date_time_compare (now, cabut_certificate_get_not_before (certificate)) < 0)
    {
      /* Translators: %s is a date */
      validity = g_strdup_printf (_("Not valid yet: it starts on %s. Check your computer's clock."), not_before);
      set_check (self->validity_row, self->validity_icon, "dialog-warning-symbolic", "warning", validity);
    }
  else
    {
      /* Translators: %s is a date */
      validity = g_strdup_printf (_("Valid until %s"), not_after);
      set_check (self->validity_row, self->validity_icon, "emblem-ok-symbolic", "success", validity);
    }

  start_revocation_check (self);
}

static void
issuers_changed_cb (CabutDetailsPage *self)
{
  if (self->shown != NULL && !self->checked)
    start_revocation_check (self);
}

static void
cabut_details_page_shown (CabutPage *page)
{
  CabutDetailsPage *self = CABUT_DETAILS_PAGE (page);
  CabutCertificate *certificate = cabut_draft_get_certificate (cabut_page_get_draft (page));

  if (certificate != self->shown)
    show_certificate (self, certificate);
}

static void
copy (CabutDetailsPage *self,
      const char       *text)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));

  if (text == NULL)
    return;
  gdk_clipboard_set_text (clipboard, text);
  gtk_widget_activate_action (root, "win.toast", "s", _("Copied"));
}

static void
copy_serial_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CabutDetailsPage *self = CABUT_DETAILS_PAGE (widget);

  copy (self, self->shown ? cabut_certificate_get_serial (self->shown) : NULL);
}

static void
copy_fingerprint_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CabutDetailsPage *self = CABUT_DETAILS_PAGE (widget);

  copy (self, self->shown ? cabut_certificate_get_sha256 (self->shown) : NULL);
}

static void
cabut_details_page_constructed (GObject *object)
{
  CabutDetailsPage *self = (CabutDetailsPage *)object;

  G_OBJECT_CLASS (cabut_details_page_parent_class)->constructed (object);

  g_signal_connect_object (cabut_page_get_context (CABUT_PAGE (self)), "notify::issuers",
                           G_CALLBACK (issuers_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
cabut_details_page_dispose (GObject *object)
{
  CabutDetailsPage *self = (CabutDetailsPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->shown);

  G_OBJECT_CLASS (cabut_details_page_parent_class)->dispose (object);
}

static void
cabut_details_page_class_init (CabutDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CabutPageClass *page_class = CABUT_PAGE_CLASS (klass);

  object_class->constructed = cabut_details_page_constructed;
  object_class->dispose = cabut_details_page_dispose;
  page_class->shown = cabut_details_page_shown;

  g_type_ensure (CABUT_TYPE_DN_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, validity_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, validity_icon);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, issuer_check_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, issuer_icon);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, revocation_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, revocation_stack);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, revocation_spinner);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, revocation_icon);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, subject_list);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, issuer_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, serial_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, not_before_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, not_after_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDetailsPage, key_row);

  gtk_widget_class_install_action (widget_class, "details.copy-serial", NULL, copy_serial_action);
  gtk_widget_class_install_action (widget_class, "details.copy-fingerprint", NULL, copy_fingerprint_action);
}

static void
cabut_details_page_init (CabutDetailsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  {
    AdwActionRow *long_values[] = {
      self->issuer_row, self->serial_row, self->fingerprint_row, self->key_row,
      self->validity_row, self->issuer_check_row, self->revocation_row,
    };

    for (guint i = 0; i < G_N_ELEMENTS (long_values); i++)
      cabut_row_wrap_anywhere (long_values[i]);
  }
}
