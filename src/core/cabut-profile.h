/* cabut-profile.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cabut-registered-certificate.h"

G_BEGIN_DECLS

typedef enum
{
  CABUT_ROLE_APPLICANT,
  CABUT_ROLE_OPERATOR,
  CABUT_ROLE_ADMIN,
} CabutRole;

#define CABUT_TYPE_PROFILE (cabut_profile_get_type ())

G_DECLARE_FINAL_TYPE (CabutProfile, cabut_profile, CABUT, PROFILE, GObject)

CabutProfile *cabut_profile_new_from_json       (JsonNode      *node,
                                                 GError       **error);
const char   *cabut_profile_get_username        (CabutProfile  *self);
const char   *cabut_profile_get_full_name       (CabutProfile  *self);
const char   *cabut_profile_get_email           (CabutProfile  *self);
const char   *cabut_profile_get_nik             (CabutProfile  *self);
const char   *cabut_profile_get_nip             (CabutProfile  *self);
const char   *cabut_profile_get_position        (CabutProfile  *self);
const char   *cabut_profile_get_unit            (CabutProfile  *self);
const char   *cabut_profile_get_organization    (CabutProfile  *self);
CabutRole     cabut_profile_get_role            (CabutProfile  *self);
gboolean      cabut_profile_get_totp_enabled    (CabutProfile  *self);
GListModel   *cabut_profile_get_certificates    (CabutProfile  *self);

const char   *cabut_role_to_string              (CabutRole      role);
gboolean      cabut_role_from_string            (const char    *string,
                                                 CabutRole     *role);

char         *cabut_profile_take_certificates_next     (CabutProfile  *self);
gboolean      cabut_profile_add_certificates_from_json (CabutProfile  *self,
                                                        JsonNode      *node,
                                                        char         **next,
                                                        GError       **error);

G_END_DECLS
