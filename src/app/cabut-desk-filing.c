/* cabut-desk-filing.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-desk-filing"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-desk-filing.h"
#include "cabut-letter-maker.h"
#include "cabut-util.h"

/* Filing at the desk for an applicant who is there in person, for the
 * desk's "File for Applicant" section: their username, their certificate
 * file (PEM, DER or PKCS#12 with its password, read by CabutCertificate
 * in a worker), the reason and a note, the statement letter made from
 * their certificate's data (CabutLetterMaker: printed on the spot for
 * them to sign), the signed scan; File sends it with `on_behalf_of`, so
 * the request is theirs and the service records the officer as `filed_by`.
 *
 * The service has no look-up of an account by username for officers: the
 * holder shown before filing is the one the certificate names (name, NIK,
 * unit from its Subject DN), and the service itself refuses a certificate
 * not registered to that username, an unknown username or another
 * officer's — its message is shown as it said it. Once filed, the account
 * as the service holds it (name, NIP, unit) is read from the request's
 * review dossier and shown under the username. */

struct _CabutDeskFiling
{
  GtkWidget         parent_instance;

  CabutContext     *context;
  GCancellable     *cancellable;
  GListModel       *reasons;
  GFile            *certificate_file;
  CabutCertificate *certificate;
  GFile            *scan;
  CabutRequest     *request;        /* the last one filed here */
  char             *idempotency_key; /* of this filing, kept for its retries */
  guint             loading;

  AdwEntryRow      *username_row;
  AdwActionRow     *account_row;
  AdwActionRow     *certificate_row;
  AdwPasswordEntryRow *password_row;
  AdwActionRow     *holder_row;
  AdwComboRow      *reason_row;
  AdwEntryRow      *note_row;
  CabutLetterMaker *letter_maker;
  AdwActionRow     *scan_row;
  GtkButton        *file_button;
  GtkLabel         *message_label;
  GtkLabel         *receipt_label;
};

G_DEFINE_FINAL_TYPE (CabutDeskFiling, cabut_desk_filing, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_message (CabutDeskFiling *self,
              const char      *message)
{
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static const char *
username (CabutDeskFiling *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->username_row));
}

static CabutReasonItem *
reason (CabutDeskFiling *self)
{
  return adw_combo_row_get_selected_item (self->reason_row);
}

static void
update (CabutDeskFiling *self)
{
  gboolean ready = self->loading == 0 && *username (self) != '\0' && self->certificate != NULL &&
                   reason (self) != NULL && self->scan != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->file_button), ready);
}

static void
loading_changed (CabutDeskFiling *self,
                 int              delta)
{
  gboolean was_busy = self->loading > 0;

  self->loading += delta;
  if (was_busy != (self->loading > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  update (self);
}

/* Something the filing is made of changed: it is a new filing. */
static void
new_filing (CabutDeskFiling *self)
{
  CabutLetterForm *form = cabut_letter_maker_get_form (self->letter_maker);

  g_free (self->idempotency_key);
  self->idempotency_key = g_uuid_string_random ();
  cabut_letter_form_set_draft_key (form, self->idempotency_key);
}

/* The letter says what the form says now. */
static void
fill_letter (CabutDeskFiling *self)
{
  CabutLetterForm *form = cabut_letter_maker_get_form (self->letter_maker);
  CabutReasonItem *item = reason (self);
  const char *note = gtk_editable_get_text (GTK_EDITABLE (self->note_row));

  cabut_letter_form_set_certificate (form, self->certificate);
  cabut_letter_form_set_profile (form, NULL);
  cabut_letter_form_set_reason (form, item != NULL ? cabut_reason_item_get_name (item) : NULL);
  cabut_letter_form_set_chronology (form, *note != '\0' ? note : NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->letter_maker), self->certificate != NULL);
}

static void
show_holder (CabutDeskFiling *self)
{
  const CabutDn *subject = cabut_certificate_get_subject (self->certificate);
  g_autofree char *name = cabut_dn_dup_common_name (subject);
  g_autofree char *number = cabut_dn_dup_value (subject, "serialNumber");
  g_autofree char *unit = cabut_dn_dup_value (subject, "OU");
  g_autofree char *organization = cabut_dn_dup_value (subject, "O");
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *serial = NULL;

  if (number != NULL)
    /* Translators: the NIP (or NIK) the certificate names */
    g_string_append_printf (subtitle, _("NIP/NIK %s"), number);
  if (unit != NULL)
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", unit);
  if (organization != NULL)
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", organization);
  serial = g_strdup_printf (_("serial number %s"), cabut_certificate_get_serial (self->certificate));
  g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? "\n" : "", serial);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->holder_row),
                                 name != NULL ? name : cabut_certificate_get_subject_string (self->certificate));
  adw_action_row_set_subtitle (self->holder_row, subtitle->str);
  gtk_widget_set_visible (GTK_WIDGET (self->holder_row), TRUE);
}

static void
certificate_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CabutDeskFiling) self = user_data;
  g_autoptr(CabutCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  certificate = cabut_certificate_new_from_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->certificate);
  gtk_widget_set_visible (GTK_WIDGET (self->holder_row), FALSE);
  if (certificate == NULL)
    {
      gboolean password = g_error_matches (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_NEEDS_PASSWORD) ||
                          g_error_matches (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_WRONG_PASSWORD);

      gtk_widget_set_visible (GTK_WIDGET (self->password_row), password);
      if (password)
        gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      show_message (self, error->message);
    }
  else
    {
      self->certificate = g_steal_pointer (&certificate);
      gtk_widget_set_visible (GTK_WIDGET (self->password_row), FALSE);
      show_message (self, NULL);
      show_holder (self);
      new_filing (self);
    }
  fill_letter (self);
  loading_changed (self, -1);
}

static void
load_certificate (CabutDeskFiling *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->certificate_file == NULL)
    return;
  loading_changed (self, 1);
  cabut_certificate_new_from_file_async (self->certificate_file, *password != '\0' ? password : NULL,
                                         self->cancellable, certificate_loaded_cb, g_object_ref (self));
}

static void
reasons_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CabutDeskFiling) self = user_data;
  g_autoptr(GListModel) reasons = NULL;
  g_autoptr(GError) error = NULL;

  reasons = cabut_ams_client_list_reasons_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reasons == NULL)
    show_message (self, error->message);
  else
    {
      g_set_object (&self->reasons, reasons);
      adw_combo_row_set_model (self->reason_row, reasons);
    }
  fill_letter (self);
  loading_changed (self, -1);
}

static void
reviewed_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CabutDeskFiling) self = user_data;
  g_autoptr(CabutReview) review = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const CabutReviewAccountField fields[] = { CABUT_REVIEW_ACCOUNT_NIP, CABUT_REVIEW_ACCOUNT_POSITION,
                                             CABUT_REVIEW_ACCOUNT_UNIT, CABUT_REVIEW_ACCOUNT_ORGANIZATION };

  review = cabut_ams_client_get_review_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  loading_changed (self, -1);
  /* The request is filed and its receipt shown: the account is a courtesy. */
  if (review == NULL)
    {
      g_debug ("The filed request's dossier could not be read: %s", error->message);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = cabut_review_get_account (review, fields[i]);

      if (value == NULL || *value == '\0')
        continue;
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      if (fields[i] == CABUT_REVIEW_ACCOUNT_NIP)
        /* Translators: the account's NIP */
        g_string_append_printf (subtitle, _("NIP %s"), value);
      else
        g_string_append (subtitle, value);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row),
                                 cabut_review_get_account (review, CABUT_REVIEW_ACCOUNT_FULL_NAME));
  adw_action_row_set_subtitle (self->account_row, subtitle->str);
  gtk_widget_set_visible (GTK_WIDGET (self->account_row), TRUE);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CabutDeskFiling) self = user_data;
  g_autoptr(CabutRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *when = NULL;
  g_autofree char *receipt = NULL;

  request = cabut_ams_client_send_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (request == NULL)
    {
      /* What was entered stays; the same key makes a retry safe. */
      show_message (self, error->message);
      loading_changed (self, -1);
      return;
    }

  g_set_object (&self->request, request);
  when = cabut_format_date_time (cabut_request_get_created_at (request));
  /* Translators: request number, the officer's name, the applicant's name and username, a date and time */
  receipt = g_strdup_printf (_("Request %s filed by %s for %s (%s) on %s. The applicant sees it in their requests and "
                               "is told of each step."),
                             cabut_request_get_id (request),
                             cabut_request_get_filed_by_name (request) != NULL
                               ? cabut_request_get_filed_by_name (request) : cabut_request_get_filed_by_username (request),
                             cabut_request_get_applicant_name (request), cabut_request_get_applicant_username (request),
                             when);
  gtk_label_set_label (self->receipt_label, receipt);
  gtk_widget_set_visible (GTK_WIDGET (self->receipt_label), TRUE);
  show_message (self, NULL);
  /* Still busy: the account, as the service holds it, is read next. */
  cabut_ams_client_get_review_async (CABUT_AMS_CLIENT (object), cabut_request_get_id (request), self->cancellable,
                                     reviewed_cb, g_object_ref (self));
}

/* The letter read and the submission made (in a worker): sent. */
typedef struct
{
  CabutDeskFiling *self;
  GBytes          *letter;
  char            *name;
} Filing;

static void
filing_free (Filing *filing)
{
  g_clear_object (&filing->self);
  g_clear_pointer (&filing->letter, g_bytes_unref);
  g_free (filing->name);
  g_free (filing);
}

static void
submission_made_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Filing *filing = user_data;
  CabutDeskFiling *self = filing->self;
  g_autoptr(CabutSubmission) submission = NULL;
  g_autoptr(GError) error = NULL;

  submission = cabut_submission_new_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      filing_free (filing);
      return;
    }
  if (submission == NULL)
    {
      show_message (self, error->message);
      loading_changed (self, -1);
      filing_free (filing);
      return;
    }

  cabut_ams_client_send_async (cabut_context_get_client (self->context), submission, filing->letter, filing->name,
                               NULL, NULL, self->cancellable, sent_cb, g_object_ref (self));
  filing_free (filing);
}

static void
scan_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CabutDeskFiling) self = user_data;
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GError) error = NULL;
  CabutReasonItem *item = reason (self);
  const char *note = gtk_editable_get_text (GTK_EDITABLE (self->note_row));
  Filing *filing;

  letter = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (letter == NULL || self->certificate == NULL || item == NULL)
    {
      show_message (self, error != NULL ? error->message : _("Choose the certificate and the reason first."));
      loading_changed (self, -1);
      return;
    }

  /* Signing (the proof of key possession, when the file holds the key) is
   * crypto: in a worker. */
  filing = g_new0 (Filing, 1);
  filing->self = g_object_ref (self);
  filing->letter = g_steal_pointer (&letter);
  filing->name = g_file_get_basename (G_FILE (object));
  cabut_submission_new_async (self->certificate, username (self), cabut_reason_item_get_name (item),
                              *note != '\0' ? note : NULL, self->idempotency_key, self->cancellable,
                              submission_made_cb, filing);
}

static void
certificate_chosen (GtkWidget *widget,
                    GFile     *file)
{
  cabut_desk_filing_set_certificate_file (CABUT_DESK_FILING (widget), file);
}

static void
scan_chosen (GtkWidget *widget,
             GFile     *file)
{
  cabut_desk_filing_set_scan (CABUT_DESK_FILING (widget), file);
}

static void
choose_certificate_clicked_cb (CabutDeskFiling *self)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  const char *suffixes[] = { "p12", "pfx", "pem", "cer", "crt", "der" };
  const char *types[] = { "application/x-pkcs12", "application/pkcs12", "application/pkix-cert",
                          "application/x-x509-ca-cert", "application/x-x509-user-cert", "application/x-pem-file" };

  gtk_file_filter_set_name (filter, _("Certificate files (.p12, .pfx, .pem, .cer, .crt, .der)"));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    gtk_file_filter_add_mime_type (filter, types[i]);
  cabut_choose_file (GTK_WIDGET (self), _("Choose the Applicant's Certificate File"), _("_Open"), filter,
                     certificate_chosen);
}

static void
choose_scan_clicked_cb (CabutDeskFiling *self)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Signed letters (PDF, JPEG, PNG)"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  cabut_choose_file (GTK_WIDGET (self), _("Choose the Signed Letter"), _("_Open"), filter, scan_chosen);
}

static void
password_applied_cb (CabutDeskFiling *self)
{
  load_certificate (self);
}

static void
username_changed_cb (CabutDeskFiling *self)
{
  /* The account shown was the last filing's. */
  gtk_widget_set_visible (GTK_WIDGET (self->account_row), FALSE);
  fill_letter (self);
  update (self);
}

static void
form_changed_cb (CabutDeskFiling *self)
{
  fill_letter (self);
  update (self);
}

/* What happened is the note of the form. */
static void
edit_chronology_cb (CabutDeskFiling *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->note_row));
}

static void
file_clicked_cb (CabutDeskFiling *self)
{
  cabut_desk_filing_file (self);
}

static void
cabut_desk_filing_dispose (GObject *object)
{
  CabutDeskFiling *self = (CabutDeskFiling *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_DESK_FILING);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->reasons);
  g_clear_object (&self->certificate_file);
  g_clear_object (&self->certificate);
  g_clear_object (&self->scan);
  g_clear_object (&self->request);
  g_clear_pointer (&self->idempotency_key, g_free);

  G_OBJECT_CLASS (cabut_desk_filing_parent_class)->dispose (object);
}

static void
cabut_desk_filing_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CabutDeskFiling *self = CABUT_DESK_FILING (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, cabut_desk_filing_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_desk_filing_class_init (CabutDeskFilingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_desk_filing_dispose;
  object_class->get_property = cabut_desk_filing_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CABUT_TYPE_LETTER_MAKER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-desk-filing.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, username_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, account_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, password_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, holder_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, reason_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, note_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, letter_maker);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, scan_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, file_button);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, message_label);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskFiling, receipt_label);
  gtk_widget_class_bind_template_callback (widget_class, choose_certificate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_scan_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, username_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, file_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, edit_chronology_cb);
}

static void
cabut_desk_filing_init (CabutDeskFiling *self)
{
  g_autoptr(GtkExpression) label = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  cabut_name_icon_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  label = gtk_property_expression_new (CABUT_TYPE_REASON_ITEM, NULL, "label");
  adw_combo_row_set_expression (self->reason_row, label);
  cabut_add_file_drop (GTK_WIDGET (self->certificate_row), certificate_chosen);
  new_filing (self);
}

/**
 * cabut_desk_filing_new:
 * @context: with an officer (operator or admin) signed in
 *
 * Returns: (transfer floating): the form to file for an applicant at the desk
 */
GtkWidget *
cabut_desk_filing_new (CabutContext *context)
{
  CabutDeskFiling *self;
  g_autofree char *place = NULL;

  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  self = g_object_new (CABUT_TYPE_DESK_FILING, NULL);
  self->context = g_object_ref (context);
  g_signal_connect_object (cabut_context_get_cancellable (context), "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->cancellable, G_CONNECT_SWAPPED);
  place = g_settings_get_string (cabut_context_get_settings (context), "letter-place");
  if (*place != '\0')
    cabut_letter_form_set_place (cabut_letter_maker_get_form (self->letter_maker), place);
  fill_letter (self);
  loading_changed (self, 1);
  cabut_ams_client_list_reasons_async (cabut_context_get_client (context), self->cancellable, reasons_cb,
                                       g_object_ref (self));

  return GTK_WIDGET (self);
}

/** cabut_desk_filing_set_certificate_file: the applicant's certificate, as the chooser or a drop gives it */
void
cabut_desk_filing_set_certificate_file (CabutDeskFiling *self,
                                        GFile           *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (CABUT_IS_DESK_FILING (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->certificate_file, file);
  name = g_file_get_basename (file);
  adw_action_row_set_subtitle (self->certificate_row, name);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), FALSE);
  load_certificate (self);
}

/** cabut_desk_filing_set_scan: the signed letter, scanned, as the chooser gives it */
void
cabut_desk_filing_set_scan (CabutDeskFiling *self,
                            GFile           *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (CABUT_IS_DESK_FILING (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->scan, file);
  name = g_file_get_basename (file);
  adw_action_row_set_subtitle (self->scan_row, name);
  update (self);
}

/** cabut_desk_filing_file: sends the filing, as File does */
void
cabut_desk_filing_file (CabutDeskFiling *self)
{
  g_return_if_fail (CABUT_IS_DESK_FILING (self));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->file_button)))
    return;
  show_message (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->receipt_label), FALSE);
  loading_changed (self, 1);
  g_file_load_bytes_async (self->scan, self->cancellable, scan_loaded_cb, g_object_ref (self));
}

gboolean
cabut_desk_filing_get_busy (CabutDeskFiling *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_FILING (self), FALSE);

  return self->loading > 0;
}

/** cabut_desk_filing_get_certificate: Returns: (transfer none) (nullable): the applicant's certificate, once read */
CabutCertificate *
cabut_desk_filing_get_certificate (CabutDeskFiling *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_FILING (self), NULL);

  return self->certificate;
}

/** cabut_desk_filing_get_request: Returns: (transfer none) (nullable): the request filed last */
CabutRequest *
cabut_desk_filing_get_request (CabutDeskFiling *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_FILING (self), NULL);

  return self->request;
}

/** cabut_desk_filing_get_letter_maker: Returns: (transfer none): the CabutLetterMaker of the form */
GtkWidget *
cabut_desk_filing_get_letter_maker (CabutDeskFiling *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_FILING (self), NULL);

  return GTK_WIDGET (self->letter_maker);
}
