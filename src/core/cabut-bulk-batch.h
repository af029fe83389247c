/* cabut-bulk-batch.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cabut-bulk-row.h"

G_BEGIN_DECLS

#define CABUT_TYPE_BULK_BATCH (cabut_bulk_batch_get_type ())

G_DECLARE_FINAL_TYPE (CabutBulkBatch, cabut_bulk_batch, CABUT, BULK_BATCH, GObject)

CabutBulkBatch *cabut_bulk_batch_new_from_json        (JsonNode        *node,
                                                       GError         **error);
const char     *cabut_bulk_batch_get_id               (CabutBulkBatch  *self);
const char     *cabut_bulk_batch_get_idempotency_key  (CabutBulkBatch  *self);
const char     *cabut_bulk_batch_get_state            (CabutBulkBatch  *self);
gboolean        cabut_bulk_batch_get_dry_run          (CabutBulkBatch  *self);
gboolean        cabut_bulk_batch_is_done              (CabutBulkBatch  *self);
const char     *cabut_bulk_batch_get_reason           (CabutBulkBatch  *self);
guint           cabut_bulk_batch_get_n_rows           (CabutBulkBatch  *self);
guint           cabut_bulk_batch_get_matched          (CabutBulkBatch  *self);
guint           cabut_bulk_batch_get_unmatched        (CabutBulkBatch  *self);
guint           cabut_bulk_batch_get_pending          (CabutBulkBatch  *self);
guint           cabut_bulk_batch_get_revoked          (CabutBulkBatch  *self);
guint           cabut_bulk_batch_get_skipped          (CabutBulkBatch  *self);
GListModel     *cabut_bulk_batch_get_rows             (CabutBulkBatch  *self);
JsonNode       *cabut_bulk_batch_get_json             (CabutBulkBatch  *self);

G_END_DECLS
