/* cabut-dn-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-dn.h"
#include "cabut-openssl-private.h"

G_BEGIN_DECLS

CabutDn         *cabut_dn_new_from_x509_name (const X509_NAME *name);
const X509_NAME *cabut_dn_get_x509_name      (const CabutDn   *dn);

G_END_DECLS
