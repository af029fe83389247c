/* cabut-draft.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-draft"

#include "config.h"

#include "cabut-core-enums.h"
#include "cabut-draft-private.h"
#include "cabut-request.h"

/* The request being prepared. The wizard's pages bind to these properties
 * and CabutStore saves them on every change; nothing secret lives here (a
 * PKCS#12 password never does, and the certificate is kept public only). */
struct _CabutDraft
{
  GObject           parent_instance;

  gint64            id;
  char             *idempotency_key;
  char             *server_url;
  GFile            *certificate_file;
  CabutCertificate *certificate;
  char             *username;
  char             *reason;
  char             *note;
  GFile            *letter_file;
  gboolean          letter_confirmed;
  CabutDraftStep    step;
  CabutDraftState   state;
  char             *request_id;
  GDateTime        *updated_at;
  char             *previous_request_id;   /* filed again after it was rejected */
  char             *rejection_note;
};

G_DEFINE_FINAL_TYPE (CabutDraft, cabut_draft, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_IDEMPOTENCY_KEY,
  PROP_SERVER_URL,
  PROP_CERTIFICATE_FILE,
  PROP_CERTIFICATE,
  PROP_USERNAME,
  PROP_REASON,
  PROP_NOTE,
  PROP_LETTER_FILE,
  PROP_LETTER_CONFIRMED,
  PROP_STEP,
  PROP_STATE,
  PROP_REQUEST_ID,
  PROP_UPDATED_AT,
  PROP_PREVIOUS_REQUEST_ID,
  PROP_REJECTION_NOTE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (CabutDraft  *self,
            char       **field,
            const char  *value,
            int          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gboolean
files_equal (GFile *a,
             GFile *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_file_equal (a, b);
}

static void
set_file (CabutDraft  *self,
          GFile      **field,
          GFile       *value,
          int          prop)
{
  if (files_equal (*field, value))
    return;

  g_set_object (field, value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gboolean
is_blank (const char *s)
{
  return s == NULL || *s == '\0';
}

static void
cabut_draft_constructed (GObject *object)
{
  CabutDraft *self = (CabutDraft *)object;

  G_OBJECT_CLASS (cabut_draft_parent_class)->constructed (object);

  if (self->idempotency_key == NULL)
    self->idempotency_key = g_uuid_string_random ();
}

static void
cabut_draft_finalize (GObject *object)
{
  CabutDraft *self = (CabutDraft *)object;

  g_clear_pointer (&self->idempotency_key, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_object (&self->certificate_file);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_object (&self->letter_file);
  g_clear_pointer (&self->request_id, g_free);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->previous_request_id, g_free);
  g_clear_pointer (&self->rejection_note, g_free);

  G_OBJECT_CLASS (cabut_draft_parent_class)->finalize (object);
}

static void
cabut_draft_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CabutDraft *self = CABUT_DRAFT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_IDEMPOTENCY_KEY:
      g_value_set_string (value, self->idempotency_key);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_CERTIFICATE_FILE:
      g_value_set_object (value, self->certificate_file);
      break;
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    case PROP_LETTER_FILE:
      g_value_set_object (value, self->letter_file);
      break;
    case PROP_LETTER_CONFIRMED:
      g_value_set_boolean (value, self->letter_confirmed);
      break;
    case PROP_STEP:
      g_value_set_enum (value, self->step);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_REQUEST_ID:
      g_value_set_string (value, self->request_id);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    case PROP_PREVIOUS_REQUEST_ID:
      g_value_set_string (value, self->previous_request_id);
      break;
    case PROP_REJECTION_NOTE:
      g_value_set_string (value, self->rejection_note);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_draft_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CabutDraft *self = CABUT_DRAFT (object);

  switch (prop_id)
    {
    case PROP_IDEMPOTENCY_KEY:
      g_free (self->idempotency_key);
      self->idempotency_key = g_value_dup_string (value);
      break;
    case PROP_SERVER_URL:
      cabut_draft_set_server_url (self, g_value_get_string (value));
      break;
    case PROP_CERTIFICATE_FILE:
      cabut_draft_set_certificate_file (self, g_value_get_object (value));
      break;
    case PROP_CERTIFICATE:
      cabut_draft_set_certificate (self, g_value_get_object (value));
      break;
    case PROP_USERNAME:
      cabut_draft_set_username (self, g_value_get_string (value));
      break;
    case PROP_REASON:
      cabut_draft_set_reason (self, g_value_get_string (value));
      break;
    case PROP_NOTE:
      cabut_draft_set_note (self, g_value_get_string (value));
      break;
    case PROP_LETTER_FILE:
      cabut_draft_set_letter_file (self, g_value_get_object (value));
      break;
    case PROP_LETTER_CONFIRMED:
      cabut_draft_set_letter_confirmed (self, g_value_get_boolean (value));
      break;
    case PROP_STEP:
      cabut_draft_set_step (self, g_value_get_enum (value));
      break;
    case PROP_STATE:
      cabut_draft_set_state (self, g_value_get_enum (value));
      break;
    case PROP_REQUEST_ID:
      cabut_draft_set_request_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_draft_class_init (CabutDraftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = cabut_draft_constructed;
  object_class->finalize = cabut_draft_finalize;
  object_class->get_property = cabut_draft_get_property;
  object_class->set_property = cabut_draft_set_property;

  /**
   * CabutDraft:id:
   *
   * The store's row id; 0 until the draft is first saved.
   */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);

  /**
   * CabutDraft:idempotency-key:
   *
   * Sent with the submission so a retry never files it twice. A new
   * draft gets a random one; a loaded draft keeps its own.
   */
  properties[PROP_IDEMPOTENCY_KEY] =
    g_param_spec_string ("idempotency-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL, rw);

  properties[PROP_CERTIFICATE_FILE] =
    g_param_spec_object ("certificate-file", NULL, NULL, G_TYPE_FILE, rw);

  /**
   * CabutDraft:certificate:
   *
   * The certificate to revoke. The store keeps its public part only; a
   * reloaded draft has no private key.
   */
  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, CABUT_TYPE_CERTIFICATE, rw);

  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL, rw);

  /**
   * CabutDraft:reason:
   *
   * The RFC 5280 name of the revocation reason, such as "keyCompromise".
   */
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, rw);

  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, NULL, rw);

  properties[PROP_LETTER_FILE] =
    g_param_spec_object ("letter-file", NULL, NULL, G_TYPE_FILE, rw);

  properties[PROP_LETTER_CONFIRMED] =
    g_param_spec_boolean ("letter-confirmed", NULL, NULL, FALSE, rw);

  /**
   * CabutDraft:step:
   *
   * The furthest page of the wizard reached.
   */
  properties[PROP_STEP] =
    g_param_spec_enum ("step", NULL, NULL,
                       CABUT_TYPE_DRAFT_STEP, CABUT_DRAFT_STEP_WELCOME, rw);

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CABUT_TYPE_DRAFT_STATE, CABUT_DRAFT_STATE_EDITING, rw);

  /**
   * CabutDraft:request-id:
   *
   * The service's number for the filed request, once it acknowledged it.
   */
  properties[PROP_REQUEST_ID] =
    g_param_spec_string ("request-id", NULL, NULL, NULL, rw);

  /**
   * CabutDraft:updated-at:
   *
   * When the store last saved the draft; %NULL until then.
   */
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, ro);

  /**
   * CabutDraft:previous-request-id:
   *
   * The rejected request this draft files again (see
   * cabut_draft_new_again()); %NULL for a first request.
   */
  properties[PROP_PREVIOUS_REQUEST_ID] =
    g_param_spec_string ("previous-request-id", NULL, NULL, NULL, ro);

  /**
   * CabutDraft:rejection-note:
   *
   * Why the officer rejected the previous request: what to put right.
   */
  properties[PROP_REJECTION_NOTE] =
    g_param_spec_string ("rejection-note", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_draft_init (CabutDraft *self)
{
}

/**
 * cabut_draft_new:
 *
 * Returns: (transfer full): an empty draft with a fresh idempotency key
 */
CabutDraft *
cabut_draft_new (void)
{
  return g_object_new (CABUT_TYPE_DRAFT, NULL);
}

gint64
cabut_draft_get_id (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), 0);
  return self->id;
}

void
cabut_draft_set_id (CabutDraft *self,
                    gint64      id)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
cabut_draft_get_idempotency_key (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->idempotency_key;
}

const char *
cabut_draft_get_server_url (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->server_url;
}

void
cabut_draft_set_server_url (CabutDraft *self,
                            const char *server_url)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  set_string (self, &self->server_url, server_url, PROP_SERVER_URL);
}

/**
 * cabut_draft_get_certificate_file:
 *
 * Returns: (transfer none) (nullable): the file the certificate was chosen from
 */
GFile *
cabut_draft_get_certificate_file (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->certificate_file;
}

void
cabut_draft_set_certificate_file (CabutDraft *self,
                                  GFile      *certificate_file)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  g_return_if_fail (certificate_file == NULL || G_IS_FILE (certificate_file));
  set_file (self, &self->certificate_file, certificate_file, PROP_CERTIFICATE_FILE);
}

/**
 * cabut_draft_get_certificate:
 *
 * Returns: (transfer none) (nullable): the certificate to revoke
 */
CabutCertificate *
cabut_draft_get_certificate (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->certificate;
}

void
cabut_draft_set_certificate (CabutDraft       *self,
                             CabutCertificate *certificate)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  g_return_if_fail (certificate == NULL || CABUT_IS_CERTIFICATE (certificate));

  if (g_set_object (&self->certificate, certificate))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE]);
}

const char *
cabut_draft_get_username (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->username;
}

void
cabut_draft_set_username (CabutDraft *self,
                          const char *username)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  set_string (self, &self->username, username, PROP_USERNAME);
}

const char *
cabut_draft_get_reason (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->reason;
}

void
cabut_draft_set_reason (CabutDraft *self,
                        const char *reason)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  set_string (self, &self->reason, reason, PROP_REASON);
}

const char *
cabut_draft_get_note (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->note;
}

void
cabut_draft_set_note (CabutDraft *self,
                      const char *note)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  set_string (self, &self->note, note, PROP_NOTE);
}

/**
 * cabut_draft_get_letter_file:
 *
 * Returns: (transfer none) (nullable): the signed statement letter attached
 */
GFile *
cabut_draft_get_letter_file (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->letter_file;
}

void
cabut_draft_set_letter_file (CabutDraft *self,
                             GFile      *letter_file)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  g_return_if_fail (letter_file == NULL || G_IS_FILE (letter_file));
  set_file (self, &self->letter_file, letter_file, PROP_LETTER_FILE);
}

gboolean
cabut_draft_get_letter_confirmed (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), FALSE);
  return self->letter_confirmed;
}

void
cabut_draft_set_letter_confirmed (CabutDraft *self,
                                  gboolean    letter_confirmed)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));

  letter_confirmed = !!letter_confirmed;
  if (self->letter_confirmed == letter_confirmed)
    return;

  self->letter_confirmed = letter_confirmed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LETTER_CONFIRMED]);
}

CabutDraftStep
cabut_draft_get_step (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), CABUT_DRAFT_STEP_WELCOME);
  return self->step;
}

void
cabut_draft_set_step (CabutDraft     *self,
                      CabutDraftStep  step)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  g_return_if_fail (step >= CABUT_DRAFT_STEP_WELCOME && step <= CABUT_DRAFT_STEP_RECEIPT);

  if (self->step == step)
    return;

  self->step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

CabutDraftState
cabut_draft_get_state (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), CABUT_DRAFT_STATE_EDITING);
  return self->state;
}

void
cabut_draft_set_state (CabutDraft      *self,
                       CabutDraftState  state)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  g_return_if_fail (state >= CABUT_DRAFT_STATE_EDITING && state <= CABUT_DRAFT_STATE_SENT);

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
cabut_draft_get_request_id (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->request_id;
}

void
cabut_draft_set_request_id (CabutDraft *self,
                            const char *request_id)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));
  set_string (self, &self->request_id, request_id, PROP_REQUEST_ID);
}

/**
 * cabut_draft_get_updated_at:
 *
 * Returns: (transfer none) (nullable): when the store last saved the draft
 */
GDateTime *
cabut_draft_get_updated_at (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->updated_at;
}

void
cabut_draft_set_updated_at (CabutDraft *self,
                            GDateTime  *updated_at)
{
  g_return_if_fail (CABUT_IS_DRAFT (self));

  if (self->updated_at == updated_at ||
      (self->updated_at != NULL && updated_at != NULL &&
       g_date_time_equal (self->updated_at, updated_at)))
    return;

  g_clear_pointer (&self->updated_at, g_date_time_unref);
  if (updated_at != NULL)
    self->updated_at = g_date_time_ref (updated_at);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

/**
 * cabut_draft_is_empty:
 *
 * Returns: %TRUE when nothing has been entered yet (no certificate, reason,
 *   note or letter); such a draft is not worth offering back
 */
gboolean
cabut_draft_is_empty (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), TRUE);

  return self->certificate == NULL &&
         self->certificate_file == NULL &&
         is_blank (self->reason) &&
         is_blank (self->note) &&
         self->letter_file == NULL;
}

/**
 * cabut_draft_new_again:
 * @rejected: a rejected request
 * @kept: (nullable): the draft this computer sent it from, if it did
 *
 * A new draft (with a new idempotency key, never the sent one) to file
 * @rejected again: its reason and note, the certificate and its file as
 * @kept holds them, and the officer's note of why it was rejected. The
 * letter is left out: it is usually what has to be done again.
 *
 * Returns: (transfer full): the new draft
 */
CabutDraft *
cabut_draft_new_again (CabutRequest *rejected,
                       CabutDraft   *kept)
{
  CabutDraft *self;

  g_return_val_if_fail (CABUT_IS_REQUEST (rejected), NULL);
  g_return_val_if_fail (kept == NULL || CABUT_IS_DRAFT (kept), NULL);

  self = g_object_new (CABUT_TYPE_DRAFT,
                       "username", cabut_request_get_applicant_username (rejected),
                       "reason", cabut_request_get_reason (rejected),
                       "note", cabut_request_get_note (rejected),
                       NULL);
  self->previous_request_id = g_strdup (cabut_request_get_id (rejected));
  self->rejection_note = g_strdup (cabut_request_get_rejection_note (rejected));

  /* Only the certificate the request was filed for. */
  if (kept != NULL && cabut_draft_get_certificate (kept) != NULL && cabut_request_get_serial (rejected) != NULL)
    {
      g_autofree char *kept_serial =
        cabut_request_fold_search_text (cabut_certificate_get_serial (cabut_draft_get_certificate (kept)));
      g_autofree char *serial = cabut_request_fold_search_text (cabut_request_get_serial (rejected));

      if (g_str_equal (kept_serial, serial))
        {
          cabut_draft_set_certificate (self, cabut_draft_get_certificate (kept));
          cabut_draft_set_certificate_file (self, cabut_draft_get_certificate_file (kept));
        }
    }

  return self;
}

/** cabut_draft_get_previous_request_id: Returns: (nullable): the rejected request this draft files again */
const char *
cabut_draft_get_previous_request_id (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->previous_request_id;
}

/** cabut_draft_get_rejection_note: Returns: (nullable): why the officer rejected the previous request */
const char *
cabut_draft_get_rejection_note (CabutDraft *self)
{
  g_return_val_if_fail (CABUT_IS_DRAFT (self), NULL);
  return self->rejection_note;
}
