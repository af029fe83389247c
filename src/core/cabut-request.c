/* cabut-request.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-request"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-core-enums.h"
#include "cabut-json-private.h"
#include "cabut-request.h"
#include "cabut-statement-letter.h"

/* A revocation request as the service reports it (GET /api/v1/requests/ID,
 * or one element of a list), with its events when the answer has them. */

static const struct {
  const char *name;
  const char *label;
} states[] = {
  [CABUT_REQUEST_STATE_SUBMITTED] = { "submitted", N_("Submitted") },
  [CABUT_REQUEST_STATE_IN_REVIEW] = { "in_review", N_("In review") },
  [CABUT_REQUEST_STATE_REVOKED] = { "revoked", N_("Revoked") },
  [CABUT_REQUEST_STATE_REJECTED] = { "rejected", N_("Rejected") },
  [CABUT_REQUEST_STATE_CANCELLED] = { "cancelled", N_("Cancelled") },
};

/* ---------------------------------------------------------------------- */
/* CabutRequestEvent                                                       */

struct _CabutRequestEvent
{
  GObject            parent_instance;

  gint64             id;
  GDateTime         *at;
  char              *kind;
  CabutRequestState  state;
  char              *note;
  char              *actor_username;
  char              *actor_name;
  char              *actor_role;
};

G_DEFINE_FINAL_TYPE (CabutRequestEvent, cabut_request_event, G_TYPE_OBJECT)

enum {
  EVENT_PROP_0,
  EVENT_PROP_ID,
  EVENT_PROP_AT,
  EVENT_PROP_KIND,
  EVENT_PROP_STATE,
  EVENT_PROP_NOTE,
  EVENT_PROP_ACTOR_USERNAME,
  EVENT_PROP_ACTOR_NAME,
  EVENT_PROP_ACTOR_ROLE,
  EVENT_N_PROPS
};
static GParamSpec *event_properties[EVENT_N_PROPS];

/* ---------------------------------------------------------------------- */
/* CabutRequest                                                            */

enum
{
  STRING_ID,
  STRING_REASON,
  STRING_REASON_LABEL,
  STRING_NOTE,
  STRING_SERIAL,
  STRING_SUBJECT,
  STRING_ISSUER,
  STRING_APPLICANT_USERNAME,
  STRING_APPLICANT_NAME,
  STRING_LETTER_SHA256,
  STRING_LETTER_TYPE,
  STRING_LETTER_CODE,
  STRING_FILED_BY_USERNAME,
  STRING_FILED_BY_NAME,
  STRING_PENDING_ACTION,
  STRING_PENDING_BY_USERNAME,
  STRING_PENDING_BY_NAME,
  STRING_PENDING_NOTE,
  STRING_APPLICANT_NIP,
  STRING_REVIEWER_USERNAME,
  STRING_REVIEWER_NAME,
  N_STRINGS
};

/* Where each string lives in the answer, and its property name. The
 * objects filed_by, pending_decision and reviewer may be null (or absent, in what an
 * older service answered): their strings are NULL then. */
static const struct {
  const char *object;      /* NULL: the request itself */
  const char *member;
  const char *property;
  gboolean    nullable;
} strings[N_STRINGS] = {
  { NULL, "id", "id", FALSE },
  { NULL, "reason", "reason", FALSE },
  { NULL, "reason_label", "reason-label", FALSE },
  { NULL, "note", "note", TRUE },
  { "certificate", "serial", "serial", FALSE },
  { "certificate", "subject", "subject", FALSE },
  { "certificate", "issuer", "issuer", FALSE },
  { "applicant", "username", "applicant-username", FALSE },
  { "applicant", "full_name", "applicant-name", TRUE },
  { "letter", "sha256", "letter-sha256", TRUE },
  { "letter", "type", "letter-type", TRUE },
  { NULL, "letter_code", "letter-code", TRUE },
  { "filed_by", "username", "filed-by-username", FALSE },
  { "filed_by", "full_name", "filed-by-name", FALSE },
  { "pending_decision", "action", "pending-action", FALSE },
  { "pending_decision", "by", "pending-by-username", FALSE },
  { "pending_decision", "by_full_name", "pending-by-name", FALSE },
  { "pending_decision", "note", "pending-note", TRUE },
  { "applicant", "nip", "applicant-nip", TRUE },
  { "reviewer", "username", "reviewer-username", FALSE },
  { "reviewer", "full_name", "reviewer-name", FALSE },
};

static gboolean
is_optional_object (const char *name)
{
  return g_strcmp0 (name, "filed_by") == 0 || g_strcmp0 (name, "pending_decision") == 0 ||
         g_strcmp0 (name, "reviewer") == 0;
}

struct _CabutRequest
{
  GObject            parent_instance;

  char              *strings[N_STRINGS];
  CabutRequestState  state;
  guint64            letter_size;
  gboolean           key_possession;
  gboolean           letter_checked;
  CabutLetterMatch   letter_match;
  GDateTime         *created_at;
  GDateTime         *due;
  GDateTime         *decided_at;
  GDateTime         *pending_at;
  gboolean           overdue;
  gint64             crl_number;  /* 0: not stated */
  gboolean           has_events;
  GListStore        *events;   /* CabutRequestEvent */
  char              *search_key;
};

G_DEFINE_FINAL_TYPE (CabutRequest, cabut_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  /* PROP_ID … PROP_APPLICANT_NIP follow the string order */
  PROP_STATE = N_STRINGS + 1,
  PROP_LETTER_SIZE,
  PROP_KEY_POSSESSION,
  PROP_LETTER_CHECKED,
  PROP_LETTER_MATCH,
  PROP_CREATED_AT,
  PROP_DUE,
  PROP_DECIDED_AT,
  PROP_PENDING_AT,
  PROP_OVERDUE,
  PROP_EVENTS,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------- */

static gboolean
get_state (JsonObject         *object,
           CabutRequestState  *state,
           GError            **error)
{
  g_autofree char *text = NULL;

  if (!cabut_json_get_string (object, "status", FALSE, &text, error))
    return FALSE;
  if (!cabut_request_state_from_string (text, state))
    {
      cabut_json_set_error (error, "status");
      return FALSE;
    }

  return TRUE;
}

/* "letter_match": a result, or null (absent from a service that does not
 * check letters) when the letter's code was not checked. */
static gboolean
get_letter_match (JsonObject        *object,
                  gboolean          *checked,
                  CabutLetterMatch  *match,
                  GError           **error)
{
  g_autofree char *text = NULL;

  if (!cabut_json_get_string (object, "letter_match", TRUE, &text, error))
    return FALSE;
  *checked = text != NULL;
  if (text != NULL && !cabut_statement_letter_match_from_string (text, match))
    {
      cabut_json_set_error (error, "letter_match");
      return FALSE;
    }

  return TRUE;
}

static void
cabut_request_event_finalize (GObject *object)
{
  CabutRequestEvent *self = (CabutRequestEvent *)object;

  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->actor_username, g_free);
  g_clear_pointer (&self->actor_name, g_free);
  g_clear_pointer (&self->actor_role, g_free);

  G_OBJECT_CLASS (cabut_request_event_parent_class)->finalize (object);
}

static void
cabut_request_event_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CabutRequestEvent *self = CABUT_REQUEST_EVENT (object);

  switch (prop_id)
    {
    case EVENT_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case EVENT_PROP_AT:
      g_value_set_boxed (value, self->at);
      break;
    case EVENT_PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case EVENT_PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case EVENT_PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    case EVENT_PROP_ACTOR_USERNAME:
      g_value_set_string (value, self->actor_username);
      break;
    case EVENT_PROP_ACTOR_NAME:
      g_value_set_string (value, self->actor_name);
      break;
    case EVENT_PROP_ACTOR_ROLE:
      g_value_set_string (value, self->actor_role);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_request_event_class_init (CabutRequestEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_request_event_finalize;
  object_class->get_property = cabut_request_event_get_property;

  event_properties[EVENT_PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  event_properties[EVENT_PROP_AT] = g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  event_properties[EVENT_PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  event_properties[EVENT_PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CABUT_TYPE_REQUEST_STATE, CABUT_REQUEST_STATE_SUBMITTED, flags);
  event_properties[EVENT_PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, flags);
  event_properties[EVENT_PROP_ACTOR_USERNAME] = g_param_spec_string ("actor-username", NULL, NULL, NULL, flags);
  event_properties[EVENT_PROP_ACTOR_NAME] = g_param_spec_string ("actor-name", NULL, NULL, NULL, flags);
  event_properties[EVENT_PROP_ACTOR_ROLE] = g_param_spec_string ("actor-role", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, EVENT_N_PROPS, event_properties);
}

static void
cabut_request_event_init (CabutRequestEvent *self)
{
}

static void
cabut_request_finalize (GObject *object)
{
  CabutRequest *self = (CabutRequest *)object;

  g_free (self->search_key);
  for (guint i = 0; i < N_STRINGS; i++)
    g_clear_pointer (&self->strings[i], g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->due, g_date_time_unref);
  g_clear_pointer (&self->decided_at, g_date_time_unref);
  g_clear_pointer (&self->pending_at, g_date_time_unref);
  g_clear_object (&self->events);

  G_OBJECT_CLASS (cabut_request_parent_class)->finalize (object);
}

static void
cabut_request_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CabutRequest *self = CABUT_REQUEST (object);

  if (prop_id >= 1 && prop_id <= N_STRINGS)
    {
      g_value_set_string (value, self->strings[prop_id - 1]);
      return;
    }

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LETTER_SIZE:
      g_value_set_uint64 (value, self->letter_size);
      break;
    case PROP_KEY_POSSESSION:
      g_value_set_boolean (value, self->key_possession);
      break;
    case PROP_LETTER_CHECKED:
      g_value_set_boolean (value, self->letter_checked);
      break;
    case PROP_LETTER_MATCH:
      g_value_set_enum (value, self->letter_match);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_DUE:
      g_value_set_boxed (value, self->due);
      break;
    case PROP_DECIDED_AT:
      g_value_set_boxed (value, self->decided_at);
      break;
    case PROP_PENDING_AT:
      g_value_set_boxed (value, self->pending_at);
      break;
    case PROP_OVERDUE:
      g_value_set_boolean (value, self->overdue);
      break;
    case PROP_EVENTS:
      g_value_set_object (value, self->events);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_request_class_init (CabutRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_request_finalize;
  object_class->get_property = cabut_request_get_property;

  for (guint i = 0; i < N_STRINGS; i++)
    properties[i + 1] = g_param_spec_string (strings[i].property, NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CABUT_TYPE_REQUEST_STATE, CABUT_REQUEST_STATE_SUBMITTED, flags);
  properties[PROP_LETTER_SIZE] = g_param_spec_uint64 ("letter-size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_KEY_POSSESSION] = g_param_spec_boolean ("key-possession", NULL, NULL, FALSE, flags);
  properties[PROP_LETTER_CHECKED] = g_param_spec_boolean ("letter-checked", NULL, NULL, FALSE, flags);
  properties[PROP_LETTER_MATCH] =
    g_param_spec_enum ("letter-match", NULL, NULL, CABUT_TYPE_LETTER_MATCH, CABUT_LETTER_MATCH_NO_CODE, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_DUE] = g_param_spec_boxed ("due", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_DECIDED_AT] = g_param_spec_boxed ("decided-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_PENDING_AT] = g_param_spec_boxed ("pending-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_OVERDUE] = g_param_spec_boolean ("overdue", NULL, NULL, FALSE, flags);
  properties[PROP_EVENTS] = g_param_spec_object ("events", NULL, NULL, G_TYPE_LIST_MODEL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_request_init (CabutRequest *self)
{
  self->events = g_list_store_new (CABUT_TYPE_REQUEST_EVENT);
}

/* ---------------------------------------------------------------------- */
/* Request states                                                          */

/** cabut_request_state_to_string: Returns: the service's name, e.g. "in_review" */
const char *
cabut_request_state_to_string (CabutRequestState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), NULL);
  return states[state].name;
}

/** cabut_request_state_from_string: Returns: %FALSE if @string names no state */
gboolean
cabut_request_state_from_string (const char        *string,
                                 CabutRequestState *state)
{
  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (states); i++)
    if (g_str_equal (string, states[i].name))
      {
        if (state != NULL)
          *state = i;
        return TRUE;
      }

  return FALSE;
}

/** cabut_request_state_to_label: Returns: a translated label, e.g. "In review" */
const char *
cabut_request_state_to_label (CabutRequestState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), NULL);
  return g_dgettext (GETTEXT_PACKAGE, states[state].label);
}

/** cabut_request_state_is_open: Returns: %TRUE while no decision is made */
gboolean
cabut_request_state_is_open (CabutRequestState state)
{
  return state == CABUT_REQUEST_STATE_SUBMITTED || state == CABUT_REQUEST_STATE_IN_REVIEW;
}

/* ---------------------------------------------------------------------- */
/* CabutRequestEvent API                                                   */

/**
 * cabut_request_event_new_from_json:
 * @node: one element of "events" of a request
 *
 * Returns: (transfer full) (nullable): the event, or %NULL with
 *   %CABUT_AMS_ERROR_PROTOCOL
 */
CabutRequestEvent *
cabut_request_event_new_from_json (JsonNode  *node,
                                   GError   **error)
{
  g_autoptr(CabutRequestEvent) self = NULL;
  JsonObject *object;
  JsonObject *actor;

  if ((object = cabut_json_get_object (node, "events", error)) == NULL)
    return NULL;

  self = g_object_new (CABUT_TYPE_REQUEST_EVENT, NULL);
  if (!cabut_json_get_int (object, "id", 0, G_MAXINT64, &self->id, error) ||
      !cabut_json_get_time (object, "at", FALSE, &self->at, error) ||
      !cabut_json_get_string (object, "kind", FALSE, &self->kind, error) ||
      !get_state (object, &self->state, error) ||
      !cabut_json_get_string (object, "note", TRUE, &self->note, error) ||
      (actor = cabut_json_get_object_member (object, "actor", error)) == NULL ||
      !cabut_json_get_string (actor, "username", TRUE, &self->actor_username, error) ||
      !cabut_json_get_string (actor, "full_name", TRUE, &self->actor_name, error) ||
      !cabut_json_get_string (actor, "role", TRUE, &self->actor_role, error))
    return NULL;

  return g_steal_pointer (&self);
}

gint64
cabut_request_event_get_id (CabutRequestEvent *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_EVENT (self), 0);
  return self->id;
}

/** cabut_request_event_get_at: Returns: (transfer none) */
GDateTime *
cabut_request_event_get_at (CabutRequestEvent *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_EVENT (self), NULL);
  return self->at;
}

/** cabut_request_event_get_kind: Returns: what happened, e.g. "submitted" or "approved" */
const char *
cabut_request_event_get_kind (CabutRequestEvent *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_EVENT (self), NULL);
  return self->kind;
}

/** cabut_request_event_get_state: Returns: the request's state after the event */
CabutRequestState
cabut_request_event_get_state (CabutRequestEvent *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_EVENT (self), CABUT_REQUEST_STATE_SUBMITTED);
  return self->state;
}

const char *
cabut_request_event_get_note (CabutRequestEvent *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_EVENT (self), NULL);
  return self->note;
}

/** cabut_request_event_get_actor_username: Returns: (nullable): %NULL for the service itself */
const char *
cabut_request_event_get_actor_username (CabutRequestEvent *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_EVENT (self), NULL);
  return self->actor_username;
}

const char *
cabut_request_event_get_actor_name (CabutRequestEvent *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_EVENT (self), NULL);
  return self->actor_name;
}

/** cabut_request_event_get_actor_role: Returns: (nullable): "applicant", "operator" or "admin" */
const char *
cabut_request_event_get_actor_role (CabutRequestEvent *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_EVENT (self), NULL);
  return self->actor_role;
}

/* ---------------------------------------------------------------------- */
/* CabutRequest API                                                        */

/**
 * cabut_request_new_from_json:
 * @node: a request as the service sends it
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with
 *   %CABUT_AMS_ERROR_PROTOCOL when @node is not of that shape
 */
CabutRequest *
cabut_request_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(CabutRequest) self = NULL;
  JsonObject *object;
  JsonObject *letter;
  JsonNode *events;
  gint64 letter_size = 0;

  if ((object = cabut_json_get_object (node, "request", error)) == NULL)
    return NULL;

  self = g_object_new (CABUT_TYPE_REQUEST, NULL);
  for (guint i = 0; i < N_STRINGS; i++)
    {
      JsonObject *from = object;

      if (is_optional_object (strings[i].object))
        {
          JsonNode *member = json_object_get_member (object, strings[i].object);

          if (member == NULL || JSON_NODE_HOLDS_NULL (member))
            continue;
        }
      if (strings[i].object != NULL &&
          (from = cabut_json_get_object_member (object, strings[i].object, error)) == NULL)
        return NULL;
      if (!cabut_json_get_string (from, strings[i].member, strings[i].nullable, &self->strings[i], error))
        return NULL;
    }

  if (!get_state (object, &self->state, error) ||
      (letter = cabut_json_get_object_member (object, "letter", error)) == NULL ||
      !cabut_json_get_int (letter, "size", 0, G_MAXINT64, &letter_size, error) ||
      !cabut_json_get_boolean (object, "key_possession", &self->key_possession, error) ||
      !get_letter_match (object, &self->letter_checked, &self->letter_match, error) ||
      !cabut_json_get_time (object, "created_at", FALSE, &self->created_at, error) ||
      !cabut_json_get_time (object, "due", TRUE, &self->due, error) ||
      !cabut_json_get_time (object, "decided_at", TRUE, &self->decided_at, error) ||
      !cabut_json_get_boolean (object, "overdue", &self->overdue, error))
    return NULL;
  self->letter_size = letter_size;
  /* Only an approval's answer names its CRL. */
  if (json_object_has_member (object, "crl_number") &&
      !cabut_json_get_int (object, "crl_number", 1, G_MAXINT64, &self->crl_number, error))
    return NULL;
  if (self->strings[STRING_PENDING_ACTION] != NULL &&
      !cabut_json_get_time (json_object_get_object_member (object, "pending_decision"), "at", FALSE,
                            &self->pending_at, error))
    return NULL;

  /* Lists leave the events out; one request has them. */
  events = json_object_get_member (object, "events");
  if (events != NULL)
    {
      JsonArray *array = cabut_json_get_array_member (object, "events", error);

      if (array == NULL)
        return NULL;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(CabutRequestEvent) event = NULL;

          if ((event = cabut_request_event_new_from_json (json_array_get_element (array, i), error)) == NULL)
            return NULL;
          g_list_store_append (self->events, event);
        }
      self->has_events = TRUE;
    }

  return g_steal_pointer (&self);
}

/**
 * cabut_request_list_new_from_json:
 * @node: a list of requests as the service sends it: `{"requests": […]}`
 *
 * Returns: (transfer full) (nullable): a list of #CabutRequest, or %NULL
 *   with %CABUT_AMS_ERROR_PROTOCOL when any element is malformed
 */
GListModel *
cabut_request_list_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(GListStore) store = g_list_store_new (CABUT_TYPE_REQUEST);
  JsonObject *object;
  JsonArray *array;

  if ((object = cabut_json_get_object (node, "requests", error)) == NULL ||
      (array = cabut_json_get_array_member (object, "requests", error)) == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(CabutRequest) request = NULL;

      if ((request = cabut_request_new_from_json (json_array_get_element (array, i), error)) == NULL)
        return NULL;
      g_list_store_append (store, request);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

#define STRING_GETTER(func, index)                        \
  const char *                                            \
  cabut_request_get_##func (CabutRequest *self)           \
  {                                                       \
    g_return_val_if_fail (CABUT_IS_REQUEST (self), NULL); \
    return self->strings[index];                          \
  }

STRING_GETTER (id, STRING_ID)
STRING_GETTER (reason, STRING_REASON)
STRING_GETTER (reason_label, STRING_REASON_LABEL)
STRING_GETTER (note, STRING_NOTE)
STRING_GETTER (serial, STRING_SERIAL)
STRING_GETTER (subject, STRING_SUBJECT)
STRING_GETTER (issuer, STRING_ISSUER)
STRING_GETTER (applicant_username, STRING_APPLICANT_USERNAME)
STRING_GETTER (applicant_name, STRING_APPLICANT_NAME)
STRING_GETTER (letter_sha256, STRING_LETTER_SHA256)
STRING_GETTER (letter_type, STRING_LETTER_TYPE)
STRING_GETTER (letter_code, STRING_LETTER_CODE)
STRING_GETTER (filed_by_username, STRING_FILED_BY_USERNAME)
STRING_GETTER (filed_by_name, STRING_FILED_BY_NAME)
STRING_GETTER (pending_action, STRING_PENDING_ACTION)
STRING_GETTER (pending_by_username, STRING_PENDING_BY_USERNAME)
STRING_GETTER (pending_by_name, STRING_PENDING_BY_NAME)
STRING_GETTER (pending_note, STRING_PENDING_NOTE)
STRING_GETTER (reviewer_username, STRING_REVIEWER_USERNAME)
STRING_GETTER (reviewer_name, STRING_REVIEWER_NAME)

/** cabut_request_get_pending_at: Returns: (transfer none) (nullable): when the pending decision was proposed */
GDateTime *
cabut_request_get_pending_at (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), NULL);
  return self->pending_at;
}
STRING_GETTER (applicant_nip, STRING_APPLICANT_NIP)

CabutRequestState
cabut_request_get_state (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), CABUT_REQUEST_STATE_SUBMITTED);
  return self->state;
}

guint64
cabut_request_get_letter_size (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), 0);
  return self->letter_size;
}

/**
 * cabut_request_get_crl_number:
 *
 * Returns: the number of the CRL that lists the revocation, as the
 *   approval's answer named it; 0 when the answer did not
 */
gint64
cabut_request_get_crl_number (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), 0);
  return self->crl_number;
}

/** cabut_request_get_key_possession: Returns: %TRUE if the filing was signed with the certificate's key */
gboolean
cabut_request_get_key_possession (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), FALSE);
  return self->key_possession;
}

/**
 * cabut_request_get_letter_checked:
 *
 * Returns: %TRUE if the service compared the code on the letter with the
 *   request when it was filed; %FALSE for a request filed before it did
 *   (then #CabutRequest:letter-match says nothing)
 */
gboolean
cabut_request_get_letter_checked (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), FALSE);
  return self->letter_checked;
}

/**
 * cabut_request_get_letter_match:
 *
 * Returns: what the code on the letter said of this request, when
 *   cabut_request_get_letter_checked() says it was checked
 *   (%CABUT_LETTER_MATCH_NO_CODE otherwise)
 */
CabutLetterMatch
cabut_request_get_letter_match (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), CABUT_LETTER_MATCH_NO_CODE);
  return self->letter_match;
}

/** cabut_request_get_created_at: Returns: (transfer none) */
GDateTime *
cabut_request_get_created_at (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), NULL);
  return self->created_at;
}

/** cabut_request_get_due: Returns: (transfer none) (nullable): the deadline, in working days */
GDateTime *
cabut_request_get_due (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), NULL);
  return self->due;
}

/** cabut_request_get_decided_at: Returns: (transfer none) (nullable) */
GDateTime *
cabut_request_get_decided_at (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), NULL);
  return self->decided_at;
}

gboolean
cabut_request_get_overdue (CabutRequest *self)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (CABUT_IS_REQUEST (self), FALSE);

  if (self->overdue)
    return TRUE;
  /* Kept on this computer, it may have become overdue since. */
  if (!cabut_request_state_is_open (self->state) || self->due == NULL)
    return FALSE;
  now = g_date_time_new_now_utc ();
  return g_date_time_compare (now, self->due) > 0;
}

/* Folded for matching: case and the separators of serial numbers. */
char *
cabut_request_fold_search_text (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  g_autofree char *folded = g_utf8_casefold (normal != NULL ? normal : "", -1);
  GString *out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p++)
    if (*p != ':')
      g_string_append_c (out, *p);

  return g_string_free (out, FALSE);
}

/**
 * cabut_request_get_search_key:
 *
 * Returns: what a search in the history matches against: the request
 *   number, the certificate's serial number, the applicant,
 *   the reason and the state, folded by cabut_request_fold_search_text().
 *   Made once; may be made in a worker thread before the request is shared.
 */
const char *
cabut_request_get_search_key (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), NULL);

  if (self->search_key == NULL)
    {
      g_autofree char *text = g_strjoin ("\n",
                                         self->strings[STRING_ID] ? self->strings[STRING_ID] : "",
                                         self->strings[STRING_SERIAL] ? self->strings[STRING_SERIAL] : "",
                                         self->strings[STRING_APPLICANT_NAME] ? self->strings[STRING_APPLICANT_NAME] : "",
                                         self->strings[STRING_APPLICANT_USERNAME] ? self->strings[STRING_APPLICANT_USERNAME] : "",
                                         self->strings[STRING_REASON_LABEL] ? self->strings[STRING_REASON_LABEL] : "",
                                         cabut_request_state_to_label (self->state),
                                         NULL);

      self->search_key = cabut_request_fold_search_text (text);
    }

  return self->search_key;
}

/** cabut_request_has_events: Returns: %TRUE if the answer carried the events (lists do not) */
gboolean
cabut_request_has_events (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), FALSE);
  return self->has_events;
}

/**
 * cabut_request_get_events:
 *
 * Returns: (transfer none): a list of #CabutRequestEvent, oldest first
 */
GListModel *
cabut_request_get_events (CabutRequest *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST (self), NULL);
  return G_LIST_MODEL (self->events);
}

/**
 * cabut_request_get_rejection_note:
 *
 * Returns: (nullable): the officer's note on the rejection, as the
 *   timeline holds it (the last rejection's); %NULL when the request was
 *   not rejected or its events were not read
 */
const char *
cabut_request_get_rejection_note (CabutRequest *self)
{
  GListModel *events;

  g_return_val_if_fail (CABUT_IS_REQUEST (self), NULL);

  if (self->state != CABUT_REQUEST_STATE_REJECTED || self->events == NULL)
    return NULL;

  events = G_LIST_MODEL (self->events);
  for (guint i = g_list_model_get_n_items (events); i > 0; i--)
    {
      g_autoptr(CabutRequestEvent) event = g_list_model_get_item (events, i - 1);
      const char *note = cabut_request_event_get_note (event);

      if (cabut_request_event_get_state (event) == CABUT_REQUEST_STATE_REJECTED && note != NULL && *note != '\0')
        return note;   /* the request holds its events */
    }

  return NULL;
}
