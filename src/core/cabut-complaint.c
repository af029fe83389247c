/* cabut-complaint.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-complaint"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cabut-complaint.h"
#include "cabut-core-enums.h"
#include "cabut-json-private.h"

/* A complaint as the service sends it (GET /complaints/ID), parsed
 * strictly: a member of the wrong type is a protocol error, never a
 * default. Its thread is a list of #CabutComplaintEntry. */

static const struct
{
  const char *name;
  const char *label;
} states[] = {
  { "open", N_("Waiting for an answer") },
  { "answered", N_("Answered") },
  { "escalated", N_("Escalated to an official") },
  { "resolved", N_("Resolved") },
};

/* ---------------------------------------------------------------------- */
/* CabutComplaintEntry                                                     */

struct _CabutComplaintEntry
{
  GObject              parent_instance;

  gint64               id;
  GDateTime           *at;
  char                *kind;
  CabutComplaintState  state;
  char                *text;             /* nullable */
  char                *author_username;  /* nullable: the service itself */
  char                *author_name;
  char                *author_role;
};

G_DEFINE_FINAL_TYPE (CabutComplaintEntry, cabut_complaint_entry, G_TYPE_OBJECT)

enum {
  ENTRY_PROP_0,
  ENTRY_PROP_AT,
  ENTRY_PROP_KIND,
  ENTRY_PROP_STATE,
  ENTRY_PROP_TEXT,
  ENTRY_PROP_AUTHOR_NAME,
  ENTRY_PROP_AUTHOR_ROLE,
  ENTRY_N_PROPS
};

static GParamSpec *entry_properties[ENTRY_N_PROPS];

static void
cabut_complaint_entry_finalize (GObject *object)
{
  CabutComplaintEntry *self = (CabutComplaintEntry *)object;

  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->author_username, g_free);
  g_clear_pointer (&self->author_name, g_free);
  g_clear_pointer (&self->author_role, g_free);

  G_OBJECT_CLASS (cabut_complaint_entry_parent_class)->finalize (object);
}

static void
cabut_complaint_entry_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CabutComplaintEntry *self = CABUT_COMPLAINT_ENTRY (object);

  switch (prop_id)
    {
    case ENTRY_PROP_AT: g_value_set_boxed (value, self->at); break;
    case ENTRY_PROP_KIND: g_value_set_string (value, self->kind); break;
    case ENTRY_PROP_STATE: g_value_set_enum (value, self->state); break;
    case ENTRY_PROP_TEXT: g_value_set_string (value, self->text); break;
    case ENTRY_PROP_AUTHOR_NAME: g_value_set_string (value, self->author_name); break;
    case ENTRY_PROP_AUTHOR_ROLE: g_value_set_string (value, self->author_role); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_complaint_entry_class_init (CabutComplaintEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_complaint_entry_finalize;
  object_class->get_property = cabut_complaint_entry_get_property;

  entry_properties[ENTRY_PROP_AT] = g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  entry_properties[ENTRY_PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, CABUT_TYPE_COMPLAINT_STATE,
                                                          CABUT_COMPLAINT_STATE_OPEN, flags);
  entry_properties[ENTRY_PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_AUTHOR_NAME] = g_param_spec_string ("author-name", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_AUTHOR_ROLE] = g_param_spec_string ("author-role", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, ENTRY_N_PROPS, entry_properties);
}

static void
cabut_complaint_entry_init (CabutComplaintEntry *self)
{
}

static gboolean
get_state (JsonObject           *object,
           CabutComplaintState  *state,
           GError              **error)
{
  g_autofree char *text = NULL;

  if (!cabut_json_get_string (object, "status", FALSE, &text, error))
    return FALSE;
  if (!cabut_complaint_state_from_string (text, state))
    {
      cabut_json_set_error (error, "status");
      return FALSE;
    }

  return TRUE;
}

/**
 * cabut_complaint_entry_new_from_json:
 * @node: one element of "entries" of a complaint
 *
 * Returns: (transfer full) (nullable): the entry, or %NULL with
 *   %CABUT_AMS_ERROR_PROTOCOL
 */
CabutComplaintEntry *
cabut_complaint_entry_new_from_json (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(CabutComplaintEntry) self = g_object_new (CABUT_TYPE_COMPLAINT_ENTRY, NULL);
  JsonObject *object;
  JsonObject *author;

  if ((object = cabut_json_get_object (node, "entry", error)) == NULL ||
      !cabut_json_get_int (object, "id", 1, G_MAXINT64, &self->id, error) ||
      !cabut_json_get_time (object, "at", FALSE, &self->at, error) ||
      !cabut_json_get_string (object, "kind", FALSE, &self->kind, error) ||
      !get_state (object, &self->state, error) ||
      !cabut_json_get_string (object, "text", TRUE, &self->text, error) ||
      (author = cabut_json_get_object_member (object, "author", error)) == NULL ||
      !cabut_json_get_string (author, "username", TRUE, &self->author_username, error) ||
      !cabut_json_get_string (author, "full_name", TRUE, &self->author_name, error) ||
      !cabut_json_get_string (author, "role", TRUE, &self->author_role, error))
    return NULL;

  return g_steal_pointer (&self);
}

gint64
cabut_complaint_entry_get_id (CabutComplaintEntry *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT_ENTRY (self), 0);
  return self->id;
}

GDateTime *
cabut_complaint_entry_get_at (CabutComplaintEntry *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT_ENTRY (self), NULL);
  return self->at;
}

/** cabut_complaint_entry_get_kind: Returns: filed, answered, replied, escalated or resolved */
const char *
cabut_complaint_entry_get_kind (CabutComplaintEntry *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT_ENTRY (self), NULL);
  return self->kind;
}

/** cabut_complaint_entry_get_state: Returns: the complaint's state after the entry */
CabutComplaintState
cabut_complaint_entry_get_state (CabutComplaintEntry *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT_ENTRY (self), CABUT_COMPLAINT_STATE_OPEN);
  return self->state;
}

const char *
cabut_complaint_entry_get_text (CabutComplaintEntry *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT_ENTRY (self), NULL);
  return self->text;
}

const char *
cabut_complaint_entry_get_author_username (CabutComplaintEntry *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT_ENTRY (self), NULL);
  return self->author_username;
}

const char *
cabut_complaint_entry_get_author_name (CabutComplaintEntry *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT_ENTRY (self), NULL);
  return self->author_name;
}

/** cabut_complaint_entry_get_author_role: Returns: (nullable): applicant, operator or admin */
const char *
cabut_complaint_entry_get_author_role (CabutComplaintEntry *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT_ENTRY (self), NULL);
  return self->author_role;
}

/* ---------------------------------------------------------------------- */
/* CabutComplaint                                                          */

struct _CabutComplaint
{
  GObject              parent_instance;

  char                *id;
  CabutComplaintState  state;
  char                *text;
  char                *request;          /* nullable */
  char                *applicant_username;
  char                *applicant_name;
  GDateTime           *created_at;
  GDateTime           *updated_at;
  GDateTime           *due;
  GDateTime           *resolved_at;      /* nullable */
  gboolean             overdue;
  gboolean             has_entries;
  GListStore          *entries;
};

G_DEFINE_FINAL_TYPE (CabutComplaint, cabut_complaint, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_TEXT,
  PROP_REQUEST,
  PROP_APPLICANT_NAME,
  PROP_CREATED_AT,
  PROP_DUE,
  PROP_OVERDUE,
  PROP_ENTRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cabut_complaint_finalize (GObject *object)
{
  CabutComplaint *self = (CabutComplaint *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->request, g_free);
  g_clear_pointer (&self->applicant_username, g_free);
  g_clear_pointer (&self->applicant_name, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->due, g_date_time_unref);
  g_clear_pointer (&self->resolved_at, g_date_time_unref);
  g_clear_object (&self->entries);

  G_OBJECT_CLASS (cabut_complaint_parent_class)->finalize (object);
}

static void
cabut_complaint_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CabutComplaint *self = CABUT_COMPLAINT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_TEXT: g_value_set_string (value, self->text); break;
    case PROP_REQUEST: g_value_set_string (value, self->request); break;
    case PROP_APPLICANT_NAME: g_value_set_string (value, self->applicant_name); break;
    case PROP_CREATED_AT: g_value_set_boxed (value, self->created_at); break;
    case PROP_DUE: g_value_set_boxed (value, self->due); break;
    case PROP_OVERDUE: g_value_set_boolean (value, self->overdue); break;
    case PROP_ENTRIES: g_value_set_object (value, self->entries); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_complaint_class_init (CabutComplaintClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_complaint_finalize;
  object_class->get_property = cabut_complaint_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, CABUT_TYPE_COMPLAINT_STATE,
                                              CABUT_COMPLAINT_STATE_OPEN, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  properties[PROP_REQUEST] = g_param_spec_string ("request", NULL, NULL, NULL, flags);
  properties[PROP_APPLICANT_NAME] = g_param_spec_string ("applicant-name", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_DUE] = g_param_spec_boxed ("due", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_OVERDUE] = g_param_spec_boolean ("overdue", NULL, NULL, FALSE, flags);
  properties[PROP_ENTRIES] = g_param_spec_object ("entries", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_complaint_init (CabutComplaint *self)
{
  self->entries = g_list_store_new (CABUT_TYPE_COMPLAINT_ENTRY);
}

const char *
cabut_complaint_state_to_string (CabutComplaintState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), NULL);
  return states[state].name;
}

/** cabut_complaint_state_from_string: Returns: %FALSE if @string names no state */
gboolean
cabut_complaint_state_from_string (const char          *string,
                                   CabutComplaintState *state)
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

/** cabut_complaint_state_to_label: Returns: a translated label, e.g. "Answered" */
const char *
cabut_complaint_state_to_label (CabutComplaintState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), NULL);
  return g_dgettext (GETTEXT_PACKAGE, states[state].label);
}

/**
 * cabut_complaint_new_from_json:
 * @node: a complaint as the service sends it
 *
 * Returns: (transfer full) (nullable): the complaint, or %NULL with
 *   %CABUT_AMS_ERROR_PROTOCOL when @node is not of that shape
 */
CabutComplaint *
cabut_complaint_new_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(CabutComplaint) self = g_object_new (CABUT_TYPE_COMPLAINT, NULL);
  JsonObject *object;
  JsonObject *applicant;

  if ((object = cabut_json_get_object (node, "complaint", error)) == NULL ||
      !cabut_json_get_string (object, "id", FALSE, &self->id, error) ||
      !get_state (object, &self->state, error) ||
      !cabut_json_get_string (object, "text", FALSE, &self->text, error) ||
      !cabut_json_get_string (object, "request", TRUE, &self->request, error) ||
      (applicant = cabut_json_get_object_member (object, "applicant", error)) == NULL ||
      !cabut_json_get_string (applicant, "username", FALSE, &self->applicant_username, error) ||
      !cabut_json_get_string (applicant, "full_name", FALSE, &self->applicant_name, error) ||
      !cabut_json_get_time (object, "created_at", FALSE, &self->created_at, error) ||
      !cabut_json_get_time (object, "updated_at", FALSE, &self->updated_at, error) ||
      !cabut_json_get_time (object, "due", FALSE, &self->due, error) ||
      !cabut_json_get_time (object, "resolved_at", TRUE, &self->resolved_at, error) ||
      !cabut_json_get_boolean (object, "overdue", &self->overdue, error))
    return NULL;

  /* Lists leave the thread out; one complaint has it. */
  if (json_object_get_member (object, "entries") != NULL)
    {
      JsonArray *array = cabut_json_get_array_member (object, "entries", error);

      if (array == NULL)
        return NULL;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(CabutComplaintEntry) entry = NULL;

          if ((entry = cabut_complaint_entry_new_from_json (json_array_get_element (array, i), error)) == NULL)
            return NULL;
          g_list_store_append (self->entries, entry);
        }
      self->has_entries = TRUE;
    }

  return g_steal_pointer (&self);
}

/**
 * cabut_complaint_list_new_from_json:
 * @node: a page of complaints: `{"complaints": […], "next": cursor}`
 * @next: (out) (optional) (nullable): the cursor of the next page
 *
 * Returns: (transfer full) (nullable): a list of #CabutComplaint, or %NULL
 *   with %CABUT_AMS_ERROR_PROTOCOL when any element is malformed
 */
GListModel *
cabut_complaint_list_new_from_json (JsonNode  *node,
                                    char     **next,
                                    GError   **error)
{
  g_autoptr(GListStore) store = g_list_store_new (CABUT_TYPE_COMPLAINT);
  g_autofree char *cursor = NULL;
  JsonObject *object;
  JsonArray *array;

  if ((object = cabut_json_get_object (node, "complaints", error)) == NULL ||
      (array = cabut_json_get_array_member (object, "complaints", error)) == NULL ||
      !cabut_json_get_string (object, "next", TRUE, &cursor, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(CabutComplaint) complaint = NULL;

      if ((complaint = cabut_complaint_new_from_json (json_array_get_element (array, i), error)) == NULL)
        return NULL;
      g_list_store_append (store, complaint);
    }

  if (next != NULL)
    *next = g_steal_pointer (&cursor);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

#define STRING_GETTER(func, member)                         \
  const char *                                              \
  cabut_complaint_get_##func (CabutComplaint *self)         \
  {                                                         \
    g_return_val_if_fail (CABUT_IS_COMPLAINT (self), NULL); \
    return self->member;                                    \
  }

STRING_GETTER (id, id)
STRING_GETTER (text, text)
STRING_GETTER (request, request)
STRING_GETTER (applicant_username, applicant_username)
STRING_GETTER (applicant_name, applicant_name)

#define TIME_GETTER(func)                                   \
  GDateTime *                                               \
  cabut_complaint_get_##func (CabutComplaint *self)         \
  {                                                         \
    g_return_val_if_fail (CABUT_IS_COMPLAINT (self), NULL); \
    return self->func;                                      \
  }

TIME_GETTER (created_at)
TIME_GETTER (updated_at)
TIME_GETTER (due)
TIME_GETTER (resolved_at)

CabutComplaintState
cabut_complaint_get_state (CabutComplaint *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT (self), CABUT_COMPLAINT_STATE_OPEN);
  return self->state;
}

/** cabut_complaint_get_overdue: Returns: %TRUE when the service owes an answer past its deadline */
gboolean
cabut_complaint_get_overdue (CabutComplaint *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT (self), FALSE);
  return self->overdue;
}

/** cabut_complaint_has_entries: Returns: %TRUE when the service sent the thread (one complaint, not a list) */
gboolean
cabut_complaint_has_entries (CabutComplaint *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT (self), FALSE);
  return self->has_entries;
}

/** cabut_complaint_get_entries: Returns: (transfer none): the thread, #CabutComplaintEntry, oldest first */
GListModel *
cabut_complaint_get_entries (CabutComplaint *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT (self), NULL);
  return G_LIST_MODEL (self->entries);
}
