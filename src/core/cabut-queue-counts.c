/* cabut-queue-counts.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-queue-counts"

#include "config.h"

#include "cabut-json-private.h"
#include "cabut-queue-counts.h"

/* How many requests the service holds in each of the queue's filters
 * (GET /api/v1/queue/counts), and how many open ones are overdue. */

/* The filters, in the order the service answers them. */
static const char * const filters[] = {
  "open", "submitted", "in_review", "revoked", "rejected", "cancelled", "all",
};

struct _CabutQueueCounts
{
  GObject  parent_instance;

  guint64  counts[G_N_ELEMENTS (filters)];
  guint64  overdue;
};

G_DEFINE_FINAL_TYPE (CabutQueueCounts, cabut_queue_counts, G_TYPE_OBJECT)

static void
cabut_queue_counts_class_init (CabutQueueCountsClass *klass)
{
}

static void
cabut_queue_counts_init (CabutQueueCounts *self)
{
}

/**
 * cabut_queue_counts_new_from_json:
 *
 * Returns: (transfer full) (nullable): the counts, or %NULL with @error set
 *   (%CABUT_AMS_ERROR_PROTOCOL) when one is missing or not a count
 */
CabutQueueCounts *
cabut_queue_counts_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(CabutQueueCounts) self = g_object_new (CABUT_TYPE_QUEUE_COUNTS, NULL);
  JsonObject *object;
  gint64 value;

  g_return_val_if_fail (node != NULL, NULL);

  if ((object = cabut_json_get_object (node, "counts", error)) == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      if (!cabut_json_get_int (object, filters[i], 0, G_MAXINT64, &value, error))
        return NULL;
      self->counts[i] = value;
    }
  if (!cabut_json_get_int (object, "overdue", 0, G_MAXINT64, &value, error))
    return NULL;
  self->overdue = value;

  return g_steal_pointer (&self);
}

/**
 * cabut_queue_counts_get:
 * @filter: "open", "all" or a state's name
 *
 * Returns: how many requests @filter shows
 */
guint64
cabut_queue_counts_get (CabutQueueCounts *self,
                        const char       *filter)
{
  g_return_val_if_fail (CABUT_IS_QUEUE_COUNTS (self), 0);
  g_return_val_if_fail (filter != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    if (g_str_equal (filters[i], filter))
      return self->counts[i];

  g_return_val_if_reached (0);
}

/** cabut_queue_counts_get_overdue: Returns: how many open requests are past their deadline */
guint64
cabut_queue_counts_get_overdue (CabutQueueCounts *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE_COUNTS (self), 0);
  return self->overdue;
}
