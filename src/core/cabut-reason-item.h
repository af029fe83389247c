/* cabut-reason-item.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CABUT_TYPE_REASON_ITEM (cabut_reason_item_get_type ())

G_DECLARE_FINAL_TYPE (CabutReasonItem, cabut_reason_item, CABUT, REASON_ITEM, GObject)

CabutReasonItem *cabut_reason_item_new_from_json      (JsonNode         *node,
                                                       const char       *language,
                                                       GError          **error);
GListModel      *cabut_reason_item_list_new_from_json (JsonNode         *node,
                                                       const char       *language,
                                                       GError          **error);
int              cabut_reason_item_get_code           (CabutReasonItem  *self);
const char      *cabut_reason_item_get_name           (CabutReasonItem  *self);
const char      *cabut_reason_item_get_label          (CabutReasonItem  *self);
const char      *cabut_reason_item_get_help           (CabutReasonItem  *self);
gboolean         cabut_reason_item_get_operator_only  (CabutReasonItem  *self);

G_END_DECLS
