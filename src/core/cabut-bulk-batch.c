/* cabut-bulk-batch.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-bulk-batch"

#include "config.h"

#include "cabut-bulk-batch.h"
#include "cabut-json-private.h"

/* A bulk revocation as the service answers it: the dry run's preview
 * (state "preview", no id) or a batch ("running" or "done") with its rows
 * (#CabutBulkRow) and the counts a screen shows as progress and summary. */

enum
{
  COUNT_ROWS,
  COUNT_MATCHED,
  COUNT_UNMATCHED,
  COUNT_PENDING,
  COUNT_REVOKED,
  COUNT_SKIPPED,
  N_COUNTS
};

static const char * const count_members[N_COUNTS] = {
  "rows", "matched", "unmatched", "pending", "revoked", "skipped",
};

struct _CabutBulkBatch
{
  GObject      parent_instance;

  char        *id;                 /* NULL for a preview */
  char        *idempotency_key;
  char        *state;
  char        *reason;
  gboolean     dry_run;
  guint        counts[N_COUNTS];
  GListStore  *rows;               /* CabutBulkRow */
  JsonNode    *json;               /* as the service answered it */
};

G_DEFINE_FINAL_TYPE (CabutBulkBatch, cabut_bulk_batch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_REASON,
  PROP_DRY_RUN,
  PROP_REVOKED,
  PROP_PENDING,
  PROP_ROWS,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
cabut_bulk_batch_finalize (GObject *object)
{
  CabutBulkBatch *self = (CabutBulkBatch *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->idempotency_key, g_free);
  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->json, json_node_unref);

  G_OBJECT_CLASS (cabut_bulk_batch_parent_class)->finalize (object);
}

static void
cabut_bulk_batch_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CabutBulkBatch *self = CABUT_BULK_BATCH (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_DRY_RUN:
      g_value_set_boolean (value, self->dry_run);
      break;
    case PROP_REVOKED:
      g_value_set_uint (value, self->counts[COUNT_REVOKED]);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->counts[COUNT_PENDING]);
      break;
    case PROP_ROWS:
      g_value_set_object (value, self->rows);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_bulk_batch_class_init (CabutBulkBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_bulk_batch_finalize;
  object_class->get_property = cabut_bulk_batch_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_DRY_RUN] = g_param_spec_boolean ("dry-run", NULL, NULL, FALSE, flags);
  properties[PROP_REVOKED] = g_param_spec_uint ("revoked", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_PENDING] = g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ROWS] = g_param_spec_object ("rows", NULL, NULL, G_TYPE_LIST_MODEL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_bulk_batch_init (CabutBulkBatch *self)
{
  self->rows = g_list_store_new (CABUT_TYPE_BULK_ROW);
}

/**
 * cabut_bulk_batch_new_from_json:
 * @node: the answer of POST /api/v1/admin/bulk, GET …/bulk/ID or POST …/bulk/ID/resume
 *
 * Returns: (transfer full) (nullable): the batch, or %NULL with %CABUT_AMS_ERROR_PROTOCOL
 */
CabutBulkBatch *
cabut_bulk_batch_new_from_json (JsonNode  *node,
                                GError   **error)
{
  g_autoptr(CabutBulkBatch) self = g_object_new (CABUT_TYPE_BULK_BATCH, NULL);
  JsonObject *object;
  JsonObject *summary;
  JsonArray *rows;

  if ((object = cabut_json_get_object (node, "bulk", error)) == NULL ||
      !cabut_json_get_string (object, "id", TRUE, &self->id, error) ||
      !cabut_json_get_string (object, "idempotency_key", TRUE, &self->idempotency_key, error) ||
      !cabut_json_get_string (object, "state", FALSE, &self->state, error) ||
      !cabut_json_get_string (object, "reason", FALSE, &self->reason, error) ||
      !cabut_json_get_boolean (object, "dry_run", &self->dry_run, error) ||
      (summary = cabut_json_get_object_member (object, "summary", error)) == NULL ||
      (rows = cabut_json_get_array_member (object, "rows", error)) == NULL)
    return NULL;

  for (guint i = 0; i < N_COUNTS; i++)
    {
      gint64 count = 0;

      if (!cabut_json_get_int (summary, count_members[i], 0, G_MAXUINT, &count, error))
        return NULL;
      self->counts[i] = count;
    }

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      g_autoptr(CabutBulkRow) row = cabut_bulk_row_new_from_json (json_array_get_element (rows, i), error);

      if (row == NULL)
        return NULL;
      g_list_store_append (self->rows, row);
    }
  self->json = json_node_ref (node);

  return g_steal_pointer (&self);
}

/** cabut_bulk_batch_get_json: Returns: (transfer none): the service's answer, for a script */
JsonNode *
cabut_bulk_batch_get_json (CabutBulkBatch *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_BATCH (self), NULL);
  return self->json;
}

/** cabut_bulk_batch_get_id: Returns: (nullable): BULK-000001; %NULL for a preview */
const char *
cabut_bulk_batch_get_id (CabutBulkBatch *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_BATCH (self), NULL);
  return self->id;
}

/** cabut_bulk_batch_get_idempotency_key: Returns: (nullable): the batch's key, to run it again safely */
const char *
cabut_bulk_batch_get_idempotency_key (CabutBulkBatch *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_BATCH (self), NULL);
  return self->idempotency_key;
}

/** cabut_bulk_batch_get_state: Returns: "preview", "running" or "done" */
const char *
cabut_bulk_batch_get_state (CabutBulkBatch *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_BATCH (self), NULL);
  return self->state;
}

gboolean
cabut_bulk_batch_get_dry_run (CabutBulkBatch *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_BATCH (self), FALSE);
  return self->dry_run;
}

/** cabut_bulk_batch_is_done: Returns: whether every row of the batch is done */
gboolean
cabut_bulk_batch_is_done (CabutBulkBatch *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_BATCH (self), FALSE);
  return g_strcmp0 (self->state, "done") == 0;
}

/** cabut_bulk_batch_get_reason: Returns: the RFC 5280 name of the batch's reason */
const char *
cabut_bulk_batch_get_reason (CabutBulkBatch *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_BATCH (self), NULL);
  return self->reason;
}

#define COUNT_GETTER(func, index)                          \
  guint                                                    \
  cabut_bulk_batch_get_##func (CabutBulkBatch *self)       \
  {                                                        \
    g_return_val_if_fail (CABUT_IS_BULK_BATCH (self), 0);  \
    return self->counts[index];                            \
  }

COUNT_GETTER (n_rows, COUNT_ROWS)
COUNT_GETTER (matched, COUNT_MATCHED)
COUNT_GETTER (unmatched, COUNT_UNMATCHED)
COUNT_GETTER (pending, COUNT_PENDING)
COUNT_GETTER (revoked, COUNT_REVOKED)
COUNT_GETTER (skipped, COUNT_SKIPPED)

/** cabut_bulk_batch_get_rows: Returns: (transfer none): the rows (#CabutBulkRow), in the CSV's order */
GListModel *
cabut_bulk_batch_get_rows (CabutBulkBatch *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_BATCH (self), NULL);
  return G_LIST_MODEL (self->rows);
}
