/* cabut-request-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CABUT_TYPE_REQUEST_PAGE (cabut_request_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutRequestPage, cabut_request_page, CABUT, REQUEST_PAGE, GObject)

CabutRequestPage *cabut_request_page_new_from_json (JsonNode          *node,
                                                    GError           **error);
GListModel       *cabut_request_page_get_requests  (CabutRequestPage  *self);
const char       *cabut_request_page_get_next      (CabutRequestPage  *self);

G_END_DECLS
