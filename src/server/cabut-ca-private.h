/* cabut-ca-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-ca.h"
#include "cabut-openssl-private.h"

G_BEGIN_DECLS

X509 *cabut_ca_get_issuing_x509 (CabutCa *self);
X509 *cabut_ca_get_root_x509    (CabutCa *self);

G_END_DECLS
