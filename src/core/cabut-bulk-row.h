/* cabut-bulk-row.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CABUT_TYPE_BULK_ROW (cabut_bulk_row_get_type ())

G_DECLARE_FINAL_TYPE (CabutBulkRow, cabut_bulk_row, CABUT, BULK_ROW, GObject)

CabutBulkRow *cabut_bulk_row_new_from_json      (JsonNode      *node,
                                                 GError       **error);
guint         cabut_bulk_row_get_row            (CabutBulkRow  *self);
const char   *cabut_bulk_row_get_value          (CabutBulkRow  *self);
const char   *cabut_bulk_row_get_status         (CabutBulkRow  *self);
const char   *cabut_bulk_row_get_why            (CabutBulkRow  *self);
const char   *cabut_bulk_row_get_username       (CabutBulkRow  *self);
const char   *cabut_bulk_row_get_full_name      (CabutBulkRow  *self);
const char   *cabut_bulk_row_get_serial         (CabutBulkRow  *self);
const char   *cabut_bulk_row_get_subject        (CabutBulkRow  *self);
const char   *cabut_bulk_row_get_request_id     (CabutBulkRow  *self);

G_END_DECLS
