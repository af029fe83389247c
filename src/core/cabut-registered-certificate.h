/* cabut-registered-certificate.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cabut-dn.h"

G_BEGIN_DECLS

#define CABUT_TYPE_REGISTERED_CERTIFICATE (cabut_registered_certificate_get_type ())

G_DECLARE_FINAL_TYPE (CabutRegisteredCertificate, cabut_registered_certificate,
                      CABUT, REGISTERED_CERTIFICATE, GObject)

CabutRegisteredCertificate *cabut_registered_certificate_new_from_json    (JsonNode                   *node,
                                                                           GError                    **error);
const char                 *cabut_registered_certificate_get_serial       (CabutRegisteredCertificate *self);
const char                 *cabut_registered_certificate_get_subject      (CabutRegisteredCertificate *self);
const CabutDn              *cabut_registered_certificate_get_subject_dn   (CabutRegisteredCertificate *self);
const char                 *cabut_registered_certificate_get_issuer       (CabutRegisteredCertificate *self);
GDateTime                  *cabut_registered_certificate_get_not_before   (CabutRegisteredCertificate *self);
GDateTime                  *cabut_registered_certificate_get_not_after    (CabutRegisteredCertificate *self);
gboolean                    cabut_registered_certificate_get_revoked      (CabutRegisteredCertificate *self);
const char                 *cabut_registered_certificate_get_status       (CabutRegisteredCertificate *self);
GDateTime                  *cabut_registered_certificate_get_revoked_at   (CabutRegisteredCertificate *self);
const char                 *cabut_registered_certificate_get_reason       (CabutRegisteredCertificate *self);

G_END_DECLS
