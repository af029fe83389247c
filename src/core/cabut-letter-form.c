/* cabut-letter-form.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The statement letter as the app and the CLI fill it: from typed objects
 * (the certificate, the account the service holds, the reason), made off
 * the main thread; and a scan checked against its request, off the main
 * thread too. cabut-statement-letter.c draws and reads; this file decides
 * what goes in. */

#define G_LOG_DOMAIN "cabut-letter-form"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <poppler.h>

#include "cabut-letter.h"
#include "cabut-letter-form.h"
#include "cabut-reason.h"

struct _CabutLetterForm
{
  GObject           parent_instance;

  CabutCertificate *certificate;
  CabutProfile     *profile;
  char             *reason;
  char             *chronology;
  char             *draft_key;
  char             *place;
  GDateTime        *date;
  char             *superior_name;
  char             *superior_nip;
  gboolean          meterai;
};

G_DEFINE_FINAL_TYPE (CabutLetterForm, cabut_letter_form, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CERTIFICATE,
  PROP_PROFILE,
  PROP_REASON,
  PROP_CHRONOLOGY,
  PROP_DRAFT_KEY,
  PROP_PLACE,
  PROP_DATE,
  PROP_METERAI,
  PROP_SUPERIOR_NAME,
  PROP_SUPERIOR_NIP,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Everything the letter says, owned: what a worker thread renders while
 * the form goes on changing. */
typedef struct
{
  CabutStatementLetter letter;
  GPtrArray           *strings;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->letter.valid_until, g_date_time_unref);
  g_clear_pointer (&snapshot->letter.date, g_date_time_unref);
  g_ptr_array_unref (snapshot->strings);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static const char *
keep (Snapshot   *snapshot,
      const char *text)
{
  char *copy;

  if (text == NULL || *text == '\0')
    return NULL;

  copy = g_strstrip (g_strdup (text));
  g_ptr_array_add (snapshot->strings, copy);

  return *copy != '\0' ? copy : NULL;
}

/* The value of the Subject DN's attribute @name, kept. */
static const char *
subject_value (Snapshot         *snapshot,
               CabutCertificate *certificate,
               const char       *name)
{
  g_autofree char *value = cabut_dn_dup_value (cabut_certificate_get_subject (certificate), name);

  return keep (snapshot, value);
}

static gboolean
all_digits (const char *text,
            gsize       length)
{
  if (text == NULL || strlen (text) != length)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

static Snapshot *
snapshot_new (CabutLetterForm *self)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  CabutStatementLetter *letter = &snapshot->letter;
  CabutCertificate *certificate = self->certificate;
  CabutProfile *profile = self->profile;
  const CabutReasonInfo *reason = cabut_reason_lookup_name (self->reason);
  const char *identity;

  snapshot->strings = g_ptr_array_new_with_free_func (g_free);
  identity = subject_value (snapshot, certificate, "serialNumber");

  /* The account's data first; the certificate's Subject DN when the
   * service is not asked (the CLI without --server) or holds nothing. */
  if (profile != NULL)
    {
      letter->full_name = keep (snapshot, cabut_profile_get_full_name (profile));
      letter->nip = keep (snapshot, cabut_profile_get_nip (profile));
      letter->nik = keep (snapshot, cabut_profile_get_nik (profile));
      letter->position = keep (snapshot, cabut_profile_get_position (profile));
      letter->unit = keep (snapshot, cabut_profile_get_unit (profile));
      letter->organization = keep (snapshot, cabut_profile_get_organization (profile));
      letter->email = keep (snapshot, cabut_profile_get_email (profile));
    }
  if (letter->full_name == NULL)
    letter->full_name = subject_value (snapshot, certificate, "CN");
  if (letter->full_name == NULL)
    letter->full_name = keep (snapshot, cabut_certificate_get_subject_string (certificate));
  /* An identity number in the DN is a NIP (18 digits) or a NIK (16). */
  if (letter->nip == NULL && letter->nik == NULL && all_digits (identity, 18))
    letter->nip = keep (snapshot, identity);
  if (letter->nip == NULL && letter->nik == NULL && all_digits (identity, 16))
    letter->nik = keep (snapshot, identity);
  if (letter->position == NULL)
    letter->position = subject_value (snapshot, certificate, "title");
  if (letter->unit == NULL)
    letter->unit = subject_value (snapshot, certificate, "OU");
  if (letter->organization == NULL)
    letter->organization = subject_value (snapshot, certificate, "O");
  if (letter->email == NULL)
    letter->email = subject_value (snapshot, certificate, "emailAddress");

  letter->serial = keep (snapshot, cabut_certificate_get_serial (certificate));
  letter->subject = keep (snapshot, cabut_certificate_get_subject_string (certificate));
  letter->issuer = keep (snapshot, cabut_certificate_get_issuer_string (certificate));
  letter->valid_until = g_date_time_ref (cabut_certificate_get_not_after (certificate));
  letter->fingerprint = keep (snapshot, cabut_certificate_get_sha256 (certificate));

  /* The letter is in Bahasa Indonesia whatever the interface's language. */
  letter->reason = keep (snapshot, self->reason);
  letter->reason_label = keep (snapshot, cabut_reason_get_label_for (reason, "id"));
  letter->chronology = keep (snapshot, self->chronology);
  letter->draft_key = keep (snapshot, self->draft_key);
  letter->place = keep (snapshot, self->place);
  letter->date = self->date != NULL ? g_date_time_ref (self->date) : g_date_time_new_now_local ();
  letter->meterai = self->meterai;
  letter->superior_name = keep (snapshot, self->superior_name);
  letter->superior_nip = letter->superior_name != NULL ? keep (snapshot, self->superior_nip) : NULL;

  return snapshot;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;

  return TRUE;
}

static gboolean
check_ready (CabutLetterForm  *self,
             GError          **error)
{
  if (self->certificate == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The letter needs the certificate it is about."));
      return FALSE;
    }
  if (self->reason == NULL || cabut_reason_lookup_name (self->reason) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("The letter needs a reason."));
      return FALSE;
    }
  if (is_blank (self->place))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The letter needs the place where you sign it."));
      return FALSE;
    }

  return TRUE;
}

/**
 * cabut_letter_form_get_ready:
 *
 * Whether the form holds all a letter needs: the certificate, a reason
 * and the place of signing.
 */
gboolean
cabut_letter_form_get_ready (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), FALSE);

  return check_ready (self, NULL);
}

/**
 * cabut_letter_form_render:
 *
 * The letter, an A4 PDF. Blocks: for the CLI.
 */
GBytes *
cabut_letter_form_render (CabutLetterForm  *self,
                          GError          **error)
{
  g_autoptr(Snapshot) snapshot = NULL;

  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), NULL);

  if (!check_ready (self, error))
    return NULL;

  snapshot = snapshot_new (self);
  return cabut_statement_letter_render (&snapshot->letter, error);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Snapshot *snapshot = task_data;
  GError *error = NULL;
  GBytes *pdf = cabut_statement_letter_render (&snapshot->letter, &error);

  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

/**
 * cabut_letter_form_render_async:
 *
 * Makes the letter in a worker thread, from what the form holds now.
 */
void
cabut_letter_form_render_async (CabutLetterForm     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (CABUT_IS_LETTER_FORM (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_letter_form_render_async);
  if (!check_ready (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_set_task_data (task, snapshot_new (self), (GDestroyNotify) snapshot_free);
  g_task_run_in_thread (task, render_thread);
}

GBytes *
cabut_letter_form_render_finish (CabutLetterForm  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GFile    *scan;
  guint64   max_size;
  char     *serial;
  char     *fingerprint;
  char     *reason;
  char     *code;
  gboolean  unsigned_original;
} Check;

/**
 * cabut_statement_letter_parse_code:
 * @serial: (out) (optional): the certificate's serial number, upper-case hex
 * @fingerprint: (out) (optional): its SHA-256 fingerprint, lower-case hex
 * @reason: (out) (optional): the reason's RFC 5280 name, e.g. "keyCompromise"
 *   (the code has it in capitals)
 * @draft_key: (out) (optional) (nullable): the draft's key, lower case
 *
 * Returns: whether @code is one Cabut makes (version 1)
 */
gboolean
cabut_statement_letter_parse_code (const char  *code,
                                   char       **serial,
                                   char       **fingerprint,
                                   char       **reason,
                                   char       **draft_key)
{
  g_auto(GStrv) fields = NULL;
  const CabutReasonInfo *reasons;
  const char *reason_name = NULL;
  guint n_reasons = 0;

  if (code == NULL)
    return FALSE;

  fields = g_strsplit (code, ":", -1);
  if (g_strv_length (fields) != 5 || g_ascii_strcasecmp (fields[0], "CABUT1") != 0)
    return FALSE;

  reasons = cabut_reason_list (&n_reasons);
  for (guint i = 0; i < n_reasons; i++)
    if (g_ascii_strcasecmp (reasons[i].name, fields[3]) == 0)
      reason_name = reasons[i].name;
  if (reason_name == NULL)
    return FALSE;

  if (serial != NULL)
    *serial = g_ascii_strup (fields[1], -1);
  if (fingerprint != NULL)
    *fingerprint = g_ascii_strdown (fields[2], -1);
  if (reason != NULL)
    *reason = g_strdup (reason_name);
  if (draft_key != NULL)
    *draft_key = *fields[4] != '\0' ? g_ascii_strdown (fields[4], -1) : NULL;

  return TRUE;
}

/**
 * cabut_statement_letter_is_unsigned_original:
 *
 * Whether @scan is the very PDF Cabut made — its title and creator — and
 * not a scan of it printed and signed: what an applicant in a hurry
 * attaches by mistake.
 */
gboolean
cabut_statement_letter_is_unsigned_original (GBytes *scan)
{
  g_autoptr(GObject) document = NULL;
  g_autofree char *title = NULL;
  g_autofree char *creator = NULL;

  if (g_strcmp0 (cabut_letter_sniff_type (scan), "application/pdf") != 0 ||
      (document = (GObject *) poppler_document_new_from_bytes (scan, NULL, NULL)) == NULL)
    return FALSE;

  title = poppler_document_get_title (POPPLER_DOCUMENT (document));
  creator = poppler_document_get_creator (POPPLER_DOCUMENT (document));

  return g_strcmp0 (creator, "Cabut") == 0 &&
         g_strcmp0 (title, "Surat Pernyataan Permohonan Pencabutan Sertifikat Elektronik") == 0;
}

static void
check_free (Check *check)
{
  g_clear_object (&check->scan);
  g_free (check->serial);
  g_free (check->fingerprint);
  g_free (check->reason);
  g_free (check->code);
  g_free (check);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Check *check = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) scan = NULL;
  GError *error = NULL;

  info = g_file_query_info (check->scan, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if ((guint64) g_file_info_get_size (info) > check->max_size)
    {
      g_autofree char *limit = g_format_size (check->max_size);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               _("The letter is larger than %s."), limit);
      return;
    }
  if ((scan = g_file_load_bytes (check->scan, cancellable, NULL, &error)) == NULL ||
      !cabut_statement_letter_read_code (scan, &check->code, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  check->unsigned_original = cabut_statement_letter_is_unsigned_original (scan);

  g_task_return_int (task, cabut_statement_letter_match (check->code, check->serial, check->fingerprint,
                                                         check->reason));
}

/**
 * cabut_statement_letter_check_async:
 * @max_size: a larger file is refused
 *
 * Reads the code on the scan at @scan, in a worker thread, and compares it
 * with @certificate and @reason.
 */
void
cabut_statement_letter_check_async (GFile               *scan,
                                    guint64              max_size,
                                    CabutCertificate    *certificate,
                                    const char          *reason,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Check *check;

  g_return_if_fail (G_IS_FILE (scan));
  g_return_if_fail (CABUT_IS_CERTIFICATE (certificate));
  g_return_if_fail (reason != NULL);

  check = g_new0 (Check, 1);
  check->scan = g_object_ref (scan);
  check->max_size = max_size;
  check->serial = g_strdup (cabut_certificate_get_serial (certificate));
  check->fingerprint = g_strdup (cabut_certificate_get_sha256 (certificate));
  check->reason = g_strdup (reason);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_statement_letter_check_async);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  g_task_run_in_thread (task, check_thread);
}

/**
 * cabut_statement_letter_check_finish:
 * @code: (out) (optional) (nullable): the code found, if any
 * @unsigned_original: (out) (optional): whether the file is the PDF Cabut
 *   made, not a scan of it signed
 *
 * Returns: what the code says; on error %CABUT_LETTER_MATCH_NO_CODE and
 *   @error set
 */
CabutLetterMatch
cabut_statement_letter_check_finish (GAsyncResult  *result,
                                     char         **code,
                                     gboolean      *unsigned_original,
                                     GError       **error)
{
  GError *local_error = NULL;
  gssize match;

  g_return_val_if_fail (g_task_is_valid (result, NULL), CABUT_LETTER_MATCH_NO_CODE);

  match = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return CABUT_LETTER_MATCH_NO_CODE;
    }
  if (code != NULL)
    *code = g_strdup (((Check *) g_task_get_task_data (G_TASK (result)))->code);
  if (unsigned_original != NULL)
    *unsigned_original = ((Check *) g_task_get_task_data (G_TASK (result)))->unsigned_original;

  return (CabutLetterMatch) match;
}

static void
cabut_letter_form_finalize (GObject *object)
{
  CabutLetterForm *self = (CabutLetterForm *)object;

  g_clear_object (&self->certificate);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->chronology, g_free);
  g_clear_pointer (&self->draft_key, g_free);
  g_clear_pointer (&self->place, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->superior_name, g_free);
  g_clear_pointer (&self->superior_nip, g_free);

  G_OBJECT_CLASS (cabut_letter_form_parent_class)->finalize (object);
}

static void
cabut_letter_form_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CabutLetterForm *self = CABUT_LETTER_FORM (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE: g_value_set_object (value, self->certificate); break;
    case PROP_PROFILE: g_value_set_object (value, self->profile); break;
    case PROP_REASON: g_value_set_string (value, self->reason); break;
    case PROP_CHRONOLOGY: g_value_set_string (value, self->chronology); break;
    case PROP_DRAFT_KEY: g_value_set_string (value, self->draft_key); break;
    case PROP_PLACE: g_value_set_string (value, self->place); break;
    case PROP_DATE: g_value_set_boxed (value, self->date); break;
    case PROP_METERAI: g_value_set_boolean (value, self->meterai); break;
    case PROP_SUPERIOR_NAME: g_value_set_string (value, self->superior_name); break;
    case PROP_SUPERIOR_NIP: g_value_set_string (value, self->superior_nip); break;
    case PROP_READY: g_value_set_boolean (value, cabut_letter_form_get_ready (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_letter_form_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CabutLetterForm *self = CABUT_LETTER_FORM (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE: cabut_letter_form_set_certificate (self, g_value_get_object (value)); break;
    case PROP_PROFILE: cabut_letter_form_set_profile (self, g_value_get_object (value)); break;
    case PROP_REASON: cabut_letter_form_set_reason (self, g_value_get_string (value)); break;
    case PROP_CHRONOLOGY: cabut_letter_form_set_chronology (self, g_value_get_string (value)); break;
    case PROP_DRAFT_KEY: cabut_letter_form_set_draft_key (self, g_value_get_string (value)); break;
    case PROP_PLACE: cabut_letter_form_set_place (self, g_value_get_string (value)); break;
    case PROP_DATE: cabut_letter_form_set_date (self, g_value_get_boxed (value)); break;
    case PROP_METERAI: cabut_letter_form_set_meterai (self, g_value_get_boolean (value)); break;
    case PROP_SUPERIOR_NAME: cabut_letter_form_set_superior_name (self, g_value_get_string (value)); break;
    case PROP_SUPERIOR_NIP: cabut_letter_form_set_superior_nip (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_letter_form_class_init (CabutLetterFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_letter_form_finalize;
  object_class->get_property = cabut_letter_form_get_property;
  object_class->set_property = cabut_letter_form_set_property;

  properties[PROP_CERTIFICATE] = g_param_spec_object ("certificate", NULL, NULL, CABUT_TYPE_CERTIFICATE, rw);
  properties[PROP_PROFILE] = g_param_spec_object ("profile", NULL, NULL, CABUT_TYPE_PROFILE, rw);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, rw);
  properties[PROP_CHRONOLOGY] = g_param_spec_string ("chronology", NULL, NULL, NULL, rw);
  properties[PROP_DRAFT_KEY] = g_param_spec_string ("draft-key", NULL, NULL, NULL, rw);
  properties[PROP_PLACE] = g_param_spec_string ("place", NULL, NULL, NULL, rw);
  properties[PROP_DATE] = g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_METERAI] = g_param_spec_boolean ("meterai", NULL, NULL, FALSE, rw);
  properties[PROP_SUPERIOR_NAME] = g_param_spec_string ("superior-name", NULL, NULL, NULL, rw);
  properties[PROP_SUPERIOR_NIP] = g_param_spec_string ("superior-nip", NULL, NULL, NULL, rw);
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_letter_form_init (CabutLetterForm *self)
{
}

CabutLetterForm *
cabut_letter_form_new (void)
{
  return g_object_new (CABUT_TYPE_LETTER_FORM, NULL);
}

/* Sets a string property; notifies it, and "ready" when that changed. */
static void
set_string (CabutLetterForm *self,
            char           **field,
            const char      *value,
            guint            prop_id)
{
  gboolean was_ready = cabut_letter_form_get_ready (self);

  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);

  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  if (was_ready != cabut_letter_form_get_ready (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
set_object (CabutLetterForm *self,
            gpointer         field,
            gpointer         value,
            guint            prop_id)
{
  gboolean was_ready = cabut_letter_form_get_ready (self);

  if (!g_set_object ((GObject **) field, value))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  if (was_ready != cabut_letter_form_get_ready (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

CabutCertificate *
cabut_letter_form_get_certificate (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), NULL);
  return self->certificate;
}

void
cabut_letter_form_set_certificate (CabutLetterForm  *self,
                                   CabutCertificate *certificate)
{
  g_return_if_fail (CABUT_IS_LETTER_FORM (self));
  set_object (self, &self->certificate, certificate, PROP_CERTIFICATE);
}

CabutProfile *
cabut_letter_form_get_profile (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), NULL);
  return self->profile;
}

/** cabut_letter_form_set_profile: (nullable): the account; without one, the Subject DN fills the letter */
void
cabut_letter_form_set_profile (CabutLetterForm *self,
                               CabutProfile    *profile)
{
  g_return_if_fail (CABUT_IS_LETTER_FORM (self));
  set_object (self, &self->profile, profile, PROP_PROFILE);
}

const char *
cabut_letter_form_get_reason (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), NULL);
  return self->reason;
}

/** cabut_letter_form_set_reason: @reason: its RFC 5280 name, e.g. "keyCompromise" */
void
cabut_letter_form_set_reason (CabutLetterForm *self,
                              const char      *reason)
{
  g_return_if_fail (CABUT_IS_LETTER_FORM (self));
  set_string (self, &self->reason, reason, PROP_REASON);
}

const char *
cabut_letter_form_get_chronology (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), NULL);
  return self->chronology;
}

void
cabut_letter_form_set_chronology (CabutLetterForm *self,
                                  const char      *chronology)
{
  g_return_if_fail (CABUT_IS_LETTER_FORM (self));
  set_string (self, &self->chronology, chronology, PROP_CHRONOLOGY);
}

const char *
cabut_letter_form_get_draft_key (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), NULL);
  return self->draft_key;
}

void
cabut_letter_form_set_draft_key (CabutLetterForm *self,
                                 const char      *draft_key)
{
  g_return_if_fail (CABUT_IS_LETTER_FORM (self));
  set_string (self, &self->draft_key, draft_key, PROP_DRAFT_KEY);
}

const char *
cabut_letter_form_get_place (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), NULL);
  return self->place;
}

void
cabut_letter_form_set_place (CabutLetterForm *self,
                             const char      *place)
{
  g_return_if_fail (CABUT_IS_LETTER_FORM (self));
  set_string (self, &self->place, place, PROP_PLACE);
}

GDateTime *
cabut_letter_form_get_date (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), NULL);
  return self->date;
}

/** cabut_letter_form_set_date: (nullable): the date of signing; today when unset */
void
cabut_letter_form_set_date (CabutLetterForm *self,
                            GDateTime       *date)
{
  g_return_if_fail (CABUT_IS_LETTER_FORM (self));

  if (self->date == date)
    return;
  g_clear_pointer (&self->date, g_date_time_unref);
  self->date = date != NULL ? g_date_time_ref (date) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

gboolean
cabut_letter_form_get_meterai (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), FALSE);
  return self->meterai;
}

void
cabut_letter_form_set_meterai (CabutLetterForm *self,
                               gboolean         meterai)
{
  g_return_if_fail (CABUT_IS_LETTER_FORM (self));

  meterai = !!meterai;
  if (self->meterai == meterai)
    return;
  self->meterai = meterai;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METERAI]);
}

const char *
cabut_letter_form_get_superior_name (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), NULL);
  return self->superior_name;
}

/** cabut_letter_form_set_superior_name: (nullable): with a name, the letter has a "Mengetahui, atasan langsung" block */
void
cabut_letter_form_set_superior_name (CabutLetterForm *self,
                                     const char      *name)
{
  g_return_if_fail (CABUT_IS_LETTER_FORM (self));
  set_string (self, &self->superior_name, name, PROP_SUPERIOR_NAME);
}

const char *
cabut_letter_form_get_superior_nip (CabutLetterForm *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_FORM (self), NULL);
  return self->superior_nip;
}

void
cabut_letter_form_set_superior_nip (CabutLetterForm *self,
                                    const char      *nip)
{
  g_return_if_fail (CABUT_IS_LETTER_FORM (self));
  set_string (self, &self->superior_nip, nip, PROP_SUPERIOR_NIP);
}
