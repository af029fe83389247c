/* cabut-service-info.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CABUT_TYPE_SERVICE_INFO (cabut_service_info_get_type ())

G_DECLARE_FINAL_TYPE (CabutServiceInfo, cabut_service_info, CABUT, SERVICE_INFO, GObject)

CabutServiceInfo *cabut_service_info_new_from_json          (JsonNode          *node,
                                                             GError           **error);
CabutServiceInfo *cabut_service_info_new_from_json_string   (const char        *json,
                                                             GError           **error);
char             *cabut_service_info_to_json                (CabutServiceInfo  *self);

const char       *cabut_service_info_get_agency             (CabutServiceInfo  *self);
const char       *cabut_service_info_get_service_name       (CabutServiceInfo  *self);
const char       *cabut_service_info_get_phone              (CabutServiceInfo  *self);
const char       *cabut_service_info_get_email              (CabutServiceInfo  *self);
const char       *cabut_service_info_get_website            (CabutServiceInfo  *self);
const char       *cabut_service_info_get_complaints_officer (CabutServiceInfo  *self);
const char       *cabut_service_info_get_escalation         (CabutServiceInfo  *self);
const char       *cabut_service_info_get_office_hours       (CabutServiceInfo  *self);
const char       *cabut_service_info_get_address            (CabutServiceInfo  *self);
guint             cabut_service_info_get_service_days       (CabutServiceInfo  *self);
guint64           cabut_service_info_get_fee                (CabutServiceInfo  *self);
guint64           cabut_service_info_get_max_letter_size    (CabutServiceInfo  *self);
gboolean          cabut_service_info_get_second_approval    (CabutServiceInfo  *self);

G_END_DECLS
