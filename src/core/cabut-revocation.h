/* cabut-revocation.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "cabut-certificate.h"

G_BEGIN_DECLS

#define CABUT_REVOCATION_ERROR (cabut_revocation_error_quark ())

/**
 * CabutRevocationError:
 * @CABUT_REVOCATION_ERROR_NO_ISSUER: the issuer certificate is not available,
 *   or the one given did not sign the certificate
 * @CABUT_REVOCATION_ERROR_NO_URL: neither an OCSP nor a CRL address is known
 * @CABUT_REVOCATION_ERROR_NETWORK: a server could not be reached, did not
 *   answer in time or answered with an HTTP error
 * @CABUT_REVOCATION_ERROR_BAD_RESPONSE: the answer is unreadable, malformed,
 *   too large, an unsuccessful OCSP status, or not a complete answer; or it
 *   carries a critical extension Cabut does not understand (RFC 5280 §5.2,
 *   §5.3), on a CRL, on any of its entries or on an OCSP answer
 * @CABUT_REVOCATION_ERROR_BAD_SIGNATURE: the answer is not signed by the
 *   issuer or by an OCSP responder the issuer authorised
 * @CABUT_REVOCATION_ERROR_STALE: the answer is from the future or out of date,
 *   or names no next update and is older than %CABUT_REVOCATION_CRL_MAX_AGE
 *   (a CRL) or %CABUT_REVOCATION_OCSP_MAX_AGE (an OCSP answer)
 * @CABUT_REVOCATION_ERROR_WRONG_ISSUER: the CRL comes from another authority,
 *   or the OCSP answer is about another certificate
 */
typedef enum
{
  CABUT_REVOCATION_ERROR_NO_ISSUER,
  CABUT_REVOCATION_ERROR_NO_URL,
  CABUT_REVOCATION_ERROR_NETWORK,
  CABUT_REVOCATION_ERROR_BAD_RESPONSE,
  CABUT_REVOCATION_ERROR_BAD_SIGNATURE,
  CABUT_REVOCATION_ERROR_STALE,
  CABUT_REVOCATION_ERROR_WRONG_ISSUER,
} CabutRevocationError;

typedef enum
{
  CABUT_REVOCATION_STATUS_GOOD,
  CABUT_REVOCATION_STATUS_REVOKED,
  CABUT_REVOCATION_STATUS_UNKNOWN,
} CabutRevocationStatus;

/* Larger than any OCSP response, CRL or issuer certificate we ask for. */
#define CABUT_REVOCATION_MAX_RESPONSE_SIZE (1024 * 1024)
/* Seconds a single download may take, including its body. */
#define CABUT_REVOCATION_TIMEOUT 20
/* Seconds of clock difference tolerated in thisUpdate / nextUpdate. */
#define CABUT_REVOCATION_CLOCK_SKEW (5 * 60)
/* Seconds after its thisUpdate that a CRL without nextUpdate is still used
 * (plus the clock skew). RFC 5280 requires nextUpdate, so such a list is
 * unusual; a week is the longest interval at which public CAs must publish
 * a new CRL (CA/Browser Forum Baseline Requirements §4.9.7). */
#define CABUT_REVOCATION_CRL_MAX_AGE (7 * 24 * 60 * 60)
/* Seconds after its thisUpdate that an OCSP answer without nextUpdate is
 * still used (plus the clock skew). Without nextUpdate the responder says
 * newer information is always available (RFC 6960 §4.2.2.1), so only a
 * just-made answer counts; an hour leaves room for an HTTP cache. */
#define CABUT_REVOCATION_OCSP_MAX_AGE (60 * 60)

#define CABUT_TYPE_REVOCATION_RESULT (cabut_revocation_result_get_type ())

G_DECLARE_FINAL_TYPE (CabutRevocationResult, cabut_revocation_result, CABUT, REVOCATION_RESULT, GObject)

GQuark                  cabut_revocation_error_quark              (void);

void                    cabut_revocation_check_async              (CabutCertificate       *certificate,
                                                                   CabutCertificate       *issuer,
                                                                   const char             *ocsp_url,
                                                                   const char             *crl_url,
                                                                   SoupSession            *session,
                                                                   GCancellable           *cancellable,
                                                                   GAsyncReadyCallback     callback,
                                                                   gpointer                user_data);
CabutRevocationResult  *cabut_revocation_check_finish             (GAsyncResult           *result,
                                                                   GError                **error);

CabutRevocationStatus   cabut_revocation_result_get_status        (CabutRevocationResult  *self);
const char             *cabut_revocation_result_get_reason        (CabutRevocationResult  *self);
GDateTime              *cabut_revocation_result_get_revoked_at    (CabutRevocationResult  *self);
const char             *cabut_revocation_result_get_source        (CabutRevocationResult  *self);
GDateTime              *cabut_revocation_result_get_this_update   (CabutRevocationResult  *self);
GDateTime              *cabut_revocation_result_get_next_update   (CabutRevocationResult  *self);
const char             *cabut_revocation_result_get_url           (CabutRevocationResult  *self);

const char             *cabut_revocation_status_to_string         (CabutRevocationStatus   status);
const char             *cabut_revocation_status_to_label          (CabutRevocationStatus   status);
const char             *cabut_revocation_source_to_label          (const char             *source);

G_END_DECLS
