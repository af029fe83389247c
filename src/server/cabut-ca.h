/* cabut-ca.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cabut-dn.h"

G_BEGIN_DECLS

#define CABUT_CA_ERROR (cabut_ca_error_quark ())

/**
 * CabutCaError:
 * @CABUT_CA_ERROR_FAILED: OpenSSL could not do what was asked
 * @CABUT_CA_ERROR_IO: a file of the CA could not be read or written
 * @CABUT_CA_ERROR_INCOMPLETE: the CA folder holds some of the CA's files but not all
 * @CABUT_CA_ERROR_DAMAGED: the CA's files do not parse or do not belong together
 * @CABUT_CA_ERROR_INVALID_URL: the base URL is not an http or https URL
 * @CABUT_CA_ERROR_INVALID_SUBJECT: the subject of a certificate to issue is empty
 * @CABUT_CA_ERROR_INVALID_VALIDITY: the validity period is empty or outlives the CA
 * @CABUT_CA_ERROR_INVALID_ENTRY: a revocation entry has a bad serial, date or reason
 */
typedef enum
{
  CABUT_CA_ERROR_FAILED,
  CABUT_CA_ERROR_IO,
  CABUT_CA_ERROR_INCOMPLETE,
  CABUT_CA_ERROR_DAMAGED,
  CABUT_CA_ERROR_INVALID_URL,
  CABUT_CA_ERROR_INVALID_SUBJECT,
  CABUT_CA_ERROR_INVALID_VALIDITY,
  CABUT_CA_ERROR_INVALID_ENTRY,
} CabutCaError;

/* Where the extensions of the certificates point, under the base URL. The
 * server answers these paths. */
#define CABUT_CA_PATH_CRL      "/pki/crl"       /* the issuing CA's CRL, DER */
#define CABUT_CA_PATH_OCSP     "/pki/ocsp"      /* the issuing CA's OCSP responder */
#define CABUT_CA_PATH_CA       "/pki/ca"        /* the issuing CA certificate, DER */
#define CABUT_CA_PATH_ROOT_CRL "/pki/root-crl"  /* the root's CRL (covers the issuing CA), DER */
#define CABUT_CA_PATH_ROOT_CA  "/pki/root-ca"   /* the root certificate, DER */

/* Larger than any OCSP request a client sends; answered as malformed. */
#define CABUT_CA_MAX_OCSP_REQUEST_SIZE (64 * 1024)
/* More certificates than this in one OCSP request: answered as malformed. */
#define CABUT_CA_MAX_OCSP_REQUEST_CERTS 64

/* The CRLReason codes themselves are RFC 5280 §5.3.1's (CabutReason); this
 * one means "say no reason". */
#define CABUT_CA_REASON_NONE (-1)

/**
 * CabutCaRevokedEntry:
 * @serial: the serial number in uppercase hex, as `openssl x509 -serial` prints it
 * @revoked_at: when the certificate was revoked
 * @reason: an RFC 5280 CRLReason code, or %CABUT_CA_REASON_NONE for no reasonCode extension
 * @invalidity_date: (nullable): when the key is known or suspected to have been compromised
 *
 * One revoked certificate, for the CRL.
 */
typedef struct
{
  const char *serial;
  GDateTime  *revoked_at;
  int         reason;
  GDateTime  *invalidity_date;
} CabutCaRevokedEntry;

typedef enum
{
  CABUT_CA_STATUS_GOOD,
  CABUT_CA_STATUS_REVOKED,
  CABUT_CA_STATUS_UNKNOWN,
  CABUT_CA_STATUS_ERROR,     /* the registry cannot say now: the answer is tryLater */
} CabutCaStatus;

/**
 * CabutCaLookupFunc:
 * @serial: a serial number in uppercase hex, as `openssl x509 -serial` prints it
 * @revoked_at: (out) (transfer full): when revoked, set to the revocation time
 * @reason: (out): when revoked, set to the CRLReason code or %CABUT_CA_REASON_NONE
 * @user_data: what was given to cabut_ca_answer_ocsp()
 *
 * Says what became of a certificate this CA issued. Called from whatever
 * thread calls cabut_ca_answer_ocsp(); @revoked_at and @reason start out
 * as %NULL and %CABUT_CA_REASON_NONE.
 */
typedef CabutCaStatus (*CabutCaLookupFunc) (const char  *serial,
                                            GDateTime  **revoked_at,
                                            int         *reason,
                                            gpointer     user_data);

#define CABUT_TYPE_CA (cabut_ca_get_type ())

G_DECLARE_FINAL_TYPE (CabutCa, cabut_ca, CABUT, CA, GObject)

GQuark      cabut_ca_error_quark      (void);

CabutCa    *cabut_ca_open_or_create   (const char                *dir,
                                       const char                *base_url,
                                       GError                   **error);
const char *cabut_ca_get_base_url     (CabutCa                   *self);
GBytes     *cabut_ca_get_chain_pem    (CabutCa                   *self);
GBytes     *cabut_ca_get_issuing_der  (CabutCa                   *self);
GBytes     *cabut_ca_get_root_der     (CabutCa                   *self);
gboolean    cabut_ca_issue            (CabutCa                   *self,
                                       const CabutDn             *subject,
                                       GDateTime                 *not_before,
                                       GDateTime                 *not_after,
                                       const char                *p12_password,
                                       GBytes                   **out_p12,
                                       char                     **out_cert_pem,
                                       char                     **out_serial,
                                       GError                   **error);
GBytes     *cabut_ca_make_crl         (CabutCa                   *self,
                                       const CabutCaRevokedEntry *entries,
                                       guint                      n_entries,
                                       guint64                    crl_number,
                                       guint                      next_update_seconds,
                                       GError                   **error);
GBytes     *cabut_ca_make_root_crl    (CabutCa                   *self,
                                       guint64                    crl_number,
                                       guint                      next_update_seconds,
                                       GError                   **error);
GBytes     *cabut_ca_answer_ocsp      (CabutCa                   *self,
                                       GBytes                    *request_der,
                                       CabutCaLookupFunc          lookup,
                                       gpointer                   user_data);

G_END_DECLS
