/* cabut-audit-entry.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-audit-entry"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cabut-audit-entry.h"
#include "cabut-json-private.h"

/* One row of the service's audit log (GET /api/v1/admin/audit): who did
 * what, to what, from where, when. Read-only properties for a screen to
 * bind to. */

struct _CabutAuditEntry
{
  GObject    parent_instance;

  gint64     id;
  GDateTime *at;
  char      *actor_username;    /* all three NULL: the service itself */
  char      *actor_full_name;
  char      *actor_role;
  char      *action;
  char      *target;
  char      *remote;
  char      *detail;
};

G_DEFINE_FINAL_TYPE (CabutAuditEntry, cabut_audit_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_AT,
  PROP_ACTOR_USERNAME,
  PROP_ACTOR_FULL_NAME,
  PROP_ACTOR_ROLE,
  PROP_ACTION,
  PROP_TARGET,
  PROP_REMOTE,
  PROP_DETAIL,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
cabut_audit_entry_finalize (GObject *object)
{
  CabutAuditEntry *self = (CabutAuditEntry *)object;

  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->actor_username, g_free);
  g_clear_pointer (&self->actor_full_name, g_free);
  g_clear_pointer (&self->actor_role, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->target, g_free);
  g_clear_pointer (&self->remote, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (cabut_audit_entry_parent_class)->finalize (object);
}

static void
cabut_audit_entry_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CabutAuditEntry *self = CABUT_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_AT:
      g_value_set_boxed (value, self->at);
      break;
    case PROP_ACTOR_USERNAME:
      g_value_set_string (value, self->actor_username);
      break;
    case PROP_ACTOR_FULL_NAME:
      g_value_set_string (value, self->actor_full_name);
      break;
    case PROP_ACTOR_ROLE:
      g_value_set_string (value, self->actor_role);
      break;
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;
    case PROP_REMOTE:
      g_value_set_string (value, self->remote);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_audit_entry_class_init (CabutAuditEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_audit_entry_finalize;
  object_class->get_property = cabut_audit_entry_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_AT] = g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_ACTOR_USERNAME] = g_param_spec_string ("actor-username", NULL, NULL, NULL, flags);
  properties[PROP_ACTOR_FULL_NAME] = g_param_spec_string ("actor-full-name", NULL, NULL, NULL, flags);
  properties[PROP_ACTOR_ROLE] = g_param_spec_string ("actor-role", NULL, NULL, NULL, flags);
  properties[PROP_ACTION] = g_param_spec_string ("action", NULL, NULL, NULL, flags);
  properties[PROP_TARGET] = g_param_spec_string ("target", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE] = g_param_spec_string ("remote", NULL, NULL, NULL, flags);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_audit_entry_init (CabutAuditEntry *self)
{
}

/**
 * cabut_audit_entry_new_from_json:
 * @node: one element of "entries" in GET /api/v1/admin/audit
 *
 * Returns: (transfer full) (nullable): the entry, or %NULL with
 *   %CABUT_AMS_ERROR_PROTOCOL
 */
CabutAuditEntry *
cabut_audit_entry_new_from_json (JsonNode  *node,
                                 GError   **error)
{
  g_autoptr(CabutAuditEntry) self = g_object_new (CABUT_TYPE_AUDIT_ENTRY, NULL);
  JsonObject *object;
  JsonNode *actor;

  if ((object = cabut_json_get_object (node, "entries", error)) == NULL)
    return NULL;

  if (!cabut_json_get_int (object, "id", 1, G_MAXINT64, &self->id, error) ||
      !cabut_json_get_time (object, "at", FALSE, &self->at, error) ||
      !cabut_json_get_string (object, "action", FALSE, &self->action, error) ||
      !cabut_json_get_string (object, "target", TRUE, &self->target, error) ||
      !cabut_json_get_string (object, "remote", TRUE, &self->remote, error) ||
      !cabut_json_get_string (object, "detail", TRUE, &self->detail, error))
    return NULL;

  /* The service itself (a demo seed, a start-up task) has no account. */
  actor = json_object_get_member (object, "actor");
  if (actor != NULL && !JSON_NODE_HOLDS_NULL (actor))
    {
      JsonObject *who = cabut_json_get_object (actor, "actor", error);

      if (who == NULL ||
          !cabut_json_get_string (who, "username", FALSE, &self->actor_username, error) ||
          !cabut_json_get_string (who, "full_name", FALSE, &self->actor_full_name, error) ||
          !cabut_json_get_string (who, "role", FALSE, &self->actor_role, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * cabut_audit_entry_list_new_from_json:
 * @node: the answer of GET /api/v1/admin/audit: `{"entries": […], "next": …}`
 * @next: (out) (optional) (nullable): the cursor of the next page, %NULL on the last
 *
 * Returns: (transfer full) (nullable): a list of #CabutAuditEntry, newest
 *   first, or %NULL with %CABUT_AMS_ERROR_PROTOCOL
 */
GListModel *
cabut_audit_entry_list_new_from_json (JsonNode  *node,
                                      char     **next,
                                      GError   **error)
{
  g_autoptr(GListStore) store = g_list_store_new (CABUT_TYPE_AUDIT_ENTRY);
  g_autofree char *cursor = NULL;
  JsonObject *object;
  JsonArray *array;

  if ((object = cabut_json_get_object (node, "audit", error)) == NULL ||
      (array = cabut_json_get_array_member (object, "entries", error)) == NULL ||
      !cabut_json_get_string (object, "next", TRUE, &cursor, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(CabutAuditEntry) entry = cabut_audit_entry_new_from_json (json_array_get_element (array, i), error);

      if (entry == NULL)
        return NULL;
      g_list_store_append (store, entry);
    }

  if (next != NULL)
    *next = g_steal_pointer (&cursor);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

gint64
cabut_audit_entry_get_id (CabutAuditEntry *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_ENTRY (self), 0);
  return self->id;
}

/** cabut_audit_entry_get_at: Returns: (transfer none): when, UTC */
GDateTime *
cabut_audit_entry_get_at (CabutAuditEntry *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_ENTRY (self), NULL);
  return self->at;
}

/** cabut_audit_entry_get_actor_username: Returns: (nullable): %NULL for the service itself */
const char *
cabut_audit_entry_get_actor_username (CabutAuditEntry *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_ENTRY (self), NULL);
  return self->actor_username;
}

/** cabut_audit_entry_get_actor_full_name: Returns: (nullable) */
const char *
cabut_audit_entry_get_actor_full_name (CabutAuditEntry *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_ENTRY (self), NULL);
  return self->actor_full_name;
}

/** cabut_audit_entry_get_actor_role: Returns: (nullable) */
const char *
cabut_audit_entry_get_actor_role (CabutAuditEntry *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_ENTRY (self), NULL);
  return self->actor_role;
}

/** cabut_audit_entry_get_action: Returns: such as "request.approve" */
const char *
cabut_audit_entry_get_action (CabutAuditEntry *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_ENTRY (self), NULL);
  return self->action;
}

/** cabut_audit_entry_get_target: Returns: (nullable): a request number, a username, a serial */
const char *
cabut_audit_entry_get_target (CabutAuditEntry *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_ENTRY (self), NULL);
  return self->target;
}

/** cabut_audit_entry_get_remote: Returns: (nullable): the client's address */
const char *
cabut_audit_entry_get_remote (CabutAuditEntry *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_ENTRY (self), NULL);
  return self->remote;
}

/** cabut_audit_entry_get_detail: Returns: (nullable) */
const char *
cabut_audit_entry_get_detail (CabutAuditEntry *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_ENTRY (self), NULL);
  return self->detail;
}

/* What the service records, said for people; the codes stay in the CSV. */
static const struct
{
  const char *action;
  const char *label;
} action_labels[] = {
  { "request.create", N_("Request filed") },
  { "request.review", N_("Taken for review") },
  { "request.approve", N_("Approved: certificate revoked") },
  { "request.reject", N_("Rejected") },
  { "request.cancel", N_("Cancelled by the applicant") },
  { "request.propose", N_("Decision proposed") },
  { "request.confirm", N_("Proposed decision confirmed") },
  { "request.decline", N_("Proposed decision declined") },
  { "request.refused", N_("Filing refused") },
  { "complaint.file", N_("Complaint filed") },
  { "complaint.answered", N_("Complaint answered") },
  { "complaint.replied", N_("Applicant replied to a complaint") },
  { "complaint.escalated", N_("Complaint escalated to an official") },
  { "complaint.resolved", N_("Complaint settled") },
  { "bulk.create", N_("Bulk revocation started") },
  { "bulk.resume", N_("Bulk revocation resumed") },
  { "session.create", N_("Signed in") },
  { "session.delete", N_("Signed out") },
  { "session.failed", N_("Sign-in failed") },
  { "session.limited", N_("Sign-in refused: too many attempts") },
  { "session.locked", N_("Account locked after failed sign-ins") },
  { "account.create", N_("Account created") },
  { "certificate.register", N_("Certificate registered") },
  { "demo.account", N_("Demo account created") },
};

/**
 * cabut_audit_action_label:
 * @action: an audit entry's action, such as "request.approve"
 *
 * Returns: (nullable): the action said for people, in the user's language,
 *   or %NULL for an action this version does not know (show the code then)
 */
const char *
cabut_audit_action_label (const char *action)
{
  g_return_val_if_fail (action != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (action_labels); i++)
    if (g_str_equal (action_labels[i].action, action))
      return _(action_labels[i].label);

  return NULL;
}
