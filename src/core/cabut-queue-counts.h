/* cabut-queue-counts.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CABUT_TYPE_QUEUE_COUNTS (cabut_queue_counts_get_type ())

G_DECLARE_FINAL_TYPE (CabutQueueCounts, cabut_queue_counts, CABUT, QUEUE_COUNTS, GObject)

CabutQueueCounts *cabut_queue_counts_new_from_json (JsonNode          *node,
                                                    GError           **error);
guint64           cabut_queue_counts_get           (CabutQueueCounts  *self,
                                                    const char        *filter);
guint64           cabut_queue_counts_get_overdue   (CabutQueueCounts  *self);

G_END_DECLS
