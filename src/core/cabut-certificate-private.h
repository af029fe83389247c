/* cabut-certificate-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-certificate.h"
#include "cabut-openssl-private.h"

G_BEGIN_DECLS

X509     *cabut_certificate_get_x509        (CabutCertificate *self);

G_END_DECLS
