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

/* The fictional two-level certificate authority of the reference AMS
 * server: a root that only signs the issuing CA, and the issuing CA that
 * signs subscriber certificates, CRLs and OCSP responses.
 *
 * Immutable once opened: every public call only reads the keys and
 * certificates, and builds what it returns in objects of its own, so it
 * may be called from several threads at once. OpenSSL 3 allows concurrent
 * signing with one EVP_PKEY; the X509 extension caches are filled at load
 * time so that no reader has to fill them. */
struct _CabutCa
{
  GObject    parent_instance;

  char      *dir;
  char      *base_url;        /* no trailing slash */
  char      *crl_url;
  char      *ocsp_url;
  char      *ca_issuers_url;

  X509      *root;
  EVP_PKEY  *root_key;
  X509      *issuing;
  EVP_PKEY  *issuing_key;

  GBytes    *chain_pem;       /* issuing, then root */
  GBytes    *issuing_der;
  GBytes    *root_der;
};

/* cabut-ca.c, for the CRL and OCSP halves */
void          cabut_ca_set_openssl_error  (GError      **error,
                                           int           code,
                                           const char   *message);
time_t        cabut_ca_now                (void);
ASN1_INTEGER *cabut_ca_serial_from_string (const char   *str);
AUTHORITY_KEYID *cabut_ca_authority_key_id_new (X509 *issuer);

X509 *cabut_ca_get_issuing_x509 (CabutCa *self);
X509 *cabut_ca_get_root_x509    (CabutCa *self);

G_END_DECLS
