/* cabut-submission.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-submission"

#include "config.h"

#include "cabut-json-private.h"
#include "cabut-submission.h"

/* A revocation request ready to go: the metadata part exactly as it will be
 * sent, its signature with the certificate's private key (proof of
 * possession), and the idempotency key. The app records these in its
 * outbox before sending, so that after a crash it resends the very same
 * bytes with the same key and the service records the request once. */
struct _CabutSubmission
{
  GObject  parent_instance;

  GBytes  *metadata;
  char    *signature;         /* base64, or NULL */
  char    *idempotency_key;
};

G_DEFINE_FINAL_TYPE (CabutSubmission, cabut_submission, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_METADATA,
  PROP_SIGNATURE,
  PROP_IDEMPOTENCY_KEY,
  PROP_HAS_KEY_PROOF,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
cabut_submission_finalize (GObject *object)
{
  CabutSubmission *self = (CabutSubmission *)object;

  g_clear_pointer (&self->metadata, g_bytes_unref);
  g_clear_pointer (&self->signature, g_free);
  g_clear_pointer (&self->idempotency_key, g_free);

  G_OBJECT_CLASS (cabut_submission_parent_class)->finalize (object);
}

static void
cabut_submission_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CabutSubmission *self = CABUT_SUBMISSION (object);

  switch (prop_id)
    {
    case PROP_METADATA:
      g_value_set_boxed (value, self->metadata);
      break;
    case PROP_SIGNATURE:
      g_value_set_string (value, self->signature);
      break;
    case PROP_IDEMPOTENCY_KEY:
      g_value_set_string (value, self->idempotency_key);
      break;
    case PROP_HAS_KEY_PROOF:
      g_value_set_boolean (value, self->signature != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_submission_class_init (CabutSubmissionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_submission_finalize;
  object_class->get_property = cabut_submission_get_property;

  properties[PROP_METADATA] = g_param_spec_boxed ("metadata", NULL, NULL, G_TYPE_BYTES, flags);
  properties[PROP_SIGNATURE] = g_param_spec_string ("signature", NULL, NULL, NULL, flags);
  properties[PROP_IDEMPOTENCY_KEY] = g_param_spec_string ("idempotency-key", NULL, NULL, NULL, flags);
  properties[PROP_HAS_KEY_PROOF] = g_param_spec_boolean ("has-key-proof", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_submission_init (CabutSubmission *self)
{
}

/**
 * cabut_submission_new:
 * @certificate: the certificate to revoke; when its file held the matching
 *   private key, the metadata is signed with it as proof of possession
 * @reason: the RFC 5280 name of the reason, e.g. "keyCompromise"
 * @note: (nullable): a note for the officer
 * @idempotency_key: a key that stays the same for every retry of this
 *   request, also across restarts of the program
 *
 * Signing is blocking crypto work: call this from a worker thread.
 *
 * Returns: (transfer full) (nullable): the submission, or %NULL when the
 *   private key is there and matches but cannot sign
 */
CabutSubmission *
cabut_submission_new (CabutCertificate  *certificate,
                      const char        *reason,
                      const char        *note,
                      const char        *idempotency_key,
                      GError           **error)
{
  return cabut_submission_new_for_applicant (certificate, NULL, reason, note, idempotency_key, error);
}

/**
 * cabut_submission_new_for_applicant:
 * @on_behalf_of: (nullable): filed at the desk by an officer for this
 *   applicant's username (the metadata's `on_behalf_of`); %NULL for one's own
 *
 * As cabut_submission_new(). An officer filing for an applicant who is at
 * the desk with their signed letter usually has only the certificate (no
 * private key): the request then carries no proof of key possession.
 *
 * Returns: (transfer full) (nullable): the submission
 */
CabutSubmission *
cabut_submission_new_for_applicant (CabutCertificate  *certificate,
                                    const char        *on_behalf_of,
                                    const char        *reason,
                                    const char        *note,
                                    const char        *idempotency_key,
                                    GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) metadata = NULL;
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (CABUT_IS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (reason != NULL, NULL);
  g_return_val_if_fail (idempotency_key != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "serial");
  json_builder_add_string_value (builder, cabut_certificate_get_serial (certificate));
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, cabut_certificate_get_subject_string (certificate));
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  if (note != NULL && *note != '\0')
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, note);
    }
  if (on_behalf_of != NULL)
    {
      json_builder_set_member_name (builder, "on_behalf_of");
      json_builder_add_string_value (builder, on_behalf_of);
    }
  json_builder_set_member_name (builder, "idempotency_key");
  json_builder_add_string_value (builder, idempotency_key);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  metadata = cabut_json_to_bytes (node);

  if (cabut_certificate_has_private_key (certificate) && cabut_certificate_key_matches (certificate))
    {
      g_autoptr(GBytes) signature = cabut_certificate_sign (certificate, metadata, error);

      /* Fail closed: a key that is there but cannot sign is a fault to
       * report, not a reason to file without the proof. */
      if (signature == NULL)
        return NULL;
      encoded = g_base64_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
    }

  return cabut_submission_new_from_parts (metadata, encoded, idempotency_key);
}

/**
 * cabut_submission_new_from_parts:
 * @metadata: the metadata part, as cabut_submission_get_metadata() gave it
 * @signature: (nullable): its signature, base64
 * @idempotency_key: the key it was filed with
 *
 * Rebuilds a submission from the outbox, to send the same bytes again.
 *
 * Returns: (transfer full): the submission
 */
CabutSubmission *
cabut_submission_new_from_parts (GBytes     *metadata,
                                 const char *signature,
                                 const char *idempotency_key)
{
  CabutSubmission *self;

  g_return_val_if_fail (metadata != NULL, NULL);
  g_return_val_if_fail (idempotency_key != NULL, NULL);

  self = g_object_new (CABUT_TYPE_SUBMISSION, NULL);
  self->metadata = g_bytes_ref (metadata);
  self->signature = signature != NULL && *signature != '\0' ? g_strdup (signature) : NULL;
  self->idempotency_key = g_strdup (idempotency_key);

  return self;
}

/** cabut_submission_get_metadata: Returns: (transfer none): the metadata part, JSON */
GBytes *
cabut_submission_get_metadata (CabutSubmission *self)
{
  g_return_val_if_fail (CABUT_IS_SUBMISSION (self), NULL);
  return self->metadata;
}

/** cabut_submission_get_signature: Returns: (nullable): the signature of the metadata, base64 */
const char *
cabut_submission_get_signature (CabutSubmission *self)
{
  g_return_val_if_fail (CABUT_IS_SUBMISSION (self), NULL);
  return self->signature;
}

const char *
cabut_submission_get_idempotency_key (CabutSubmission *self)
{
  g_return_val_if_fail (CABUT_IS_SUBMISSION (self), NULL);
  return self->idempotency_key;
}

/** cabut_submission_has_key_proof: Returns: %TRUE if signed with the certificate's private key */
gboolean
cabut_submission_has_key_proof (CabutSubmission *self)
{
  g_return_val_if_fail (CABUT_IS_SUBMISSION (self), FALSE);
  return self->signature != NULL;
}

typedef struct
{
  CabutCertificate *certificate;
  char             *on_behalf_of;
  char             *reason;
  char             *note;
  char             *idempotency_key;
} Making;

static void
making_free (Making *making)
{
  g_clear_object (&making->certificate);
  g_free (making->on_behalf_of);
  g_free (making->reason);
  g_free (making->note);
  g_free (making->idempotency_key);
  g_free (making);
}

static void
making_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Making *making = task_data;
  CabutSubmission *submission;
  GError *error = NULL;

  if (making->on_behalf_of != NULL)
    submission = cabut_submission_new_for_applicant (making->certificate, making->on_behalf_of, making->reason,
                                                     making->note, making->idempotency_key, &error);
  else
    submission = cabut_submission_new (making->certificate, making->reason, making->note, making->idempotency_key,
                                       &error);
  if (submission == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, submission, g_object_unref);
}

/**
 * cabut_submission_new_async:
 * @on_behalf_of: (nullable): the applicant an officer files for, or %NULL
 *   for the certificate's holder filing themselves
 *
 * Makes the submission in a worker thread: with the private key at hand it
 * signs the metadata (the proof of key possession), which is RSA work that
 * must not hold a main loop.
 */
void
cabut_submission_new_async (CabutCertificate    *certificate,
                            const char          *on_behalf_of,
                            const char          *reason,
                            const char          *note,
                            const char          *idempotency_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Making *making;

  g_return_if_fail (CABUT_IS_CERTIFICATE (certificate));
  g_return_if_fail (reason != NULL);
  g_return_if_fail (idempotency_key != NULL);

  making = g_new0 (Making, 1);
  making->certificate = g_object_ref (certificate);
  making->on_behalf_of = g_strdup (on_behalf_of);
  making->reason = g_strdup (reason);
  making->note = g_strdup (note);
  making->idempotency_key = g_strdup (idempotency_key);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_submission_new_async);
  g_task_set_task_data (task, making, (GDestroyNotify) making_free);
  g_task_run_in_thread (task, making_thread);
}

/** cabut_submission_new_finish: Returns: (transfer full): the submission, or %NULL with @error set */
CabutSubmission *
cabut_submission_new_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cabut_submission_new_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
