/* cabut-ca-ocsp.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The CA's OCSP responder (RFC 6960): one signed answer per request, from the status a lookup gives. */

#define G_LOG_DOMAIN "cabut-ca"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-ca-private.h"
#include "cabut-dn-private.h"

#define OCSP_VALIDITY_SECONDS (60 * 60)

static GBytes *
ocsp_response_to_bytes (OCSP_RESPONSE *response)
{
  unsigned char *der = NULL;
  GBytes *bytes;
  int len;

  len = i2d_OCSP_RESPONSE (response, &der);
  if (len <= 0)
    return NULL;

  bytes = cabut_openssl_der_to_bytes (der, len);

  return bytes;
}

static GBytes *
ocsp_error_response (int status)
{
  g_autoptr(OCSP_RESPONSE) response = OCSP_response_create (status, NULL);

  /* A handful of fixed bytes: fails only when memory does. */
  g_assert (response != NULL);

  return ocsp_response_to_bytes (response);
}

/* Is @id about a certificate our issuing CA issued? Compared with the hash
 * algorithm the client chose. */
static gboolean
ocsp_id_is_ours (CabutCa     *self,
                 OCSP_CERTID *id)
{
  g_autoptr(OCSP_CERTID) ours = NULL;
  ASN1_OBJECT *hash_algorithm = NULL;
  const EVP_MD *md;

  if (!OCSP_id_get0_info (NULL, &hash_algorithm, NULL, NULL, id) || hash_algorithm == NULL)
    return FALSE;

  md = EVP_get_digestbyobj (hash_algorithm);
  if (md == NULL)
    return FALSE;

  ours = OCSP_cert_to_id (md, NULL, self->issuing);
  if (ours == NULL)
    {
      ERR_clear_error ();
      return FALSE;
    }

  return OCSP_id_issuer_cmp (ours, id) == 0;
}

/* Returns: %FALSE when OpenSSL fails; @try_later set when the registry
 * could not say — never answered as good or unknown. */
static gboolean
ocsp_add_status (CabutCa           *self,
                 OCSP_BASICRESP    *basic,
                 OCSP_CERTID       *id,
                 CabutCaLookupFunc  lookup,
                 gpointer           user_data,
                 ASN1_TIME         *this_update,
                 ASN1_TIME         *next_update,
                 gboolean          *try_later)
{
  g_autoptr(GDateTime) revoked_at = NULL;
  g_autoptr(ASN1_TIME) revocation_time = NULL;
  CabutCaStatus status = CABUT_CA_STATUS_UNKNOWN;
  int reason = CABUT_CA_REASON_NONE;
  int ocsp_status = V_OCSP_CERTSTATUS_UNKNOWN;
  int ocsp_reason = OCSP_REVOKED_STATUS_NOSTATUS;

  if (ocsp_id_is_ours (self, id))
    {
      ASN1_INTEGER *serial = NULL;
      g_autofree char *serial_string = NULL;

      OCSP_id_get0_info (NULL, NULL, NULL, &serial, id);
      if (serial != NULL)
        {
          serial_string = cabut_openssl_serial_string (serial);
          status = lookup (serial_string, &revoked_at, &reason, user_data);
        }
    }

  switch (status)
    {
    case CABUT_CA_STATUS_ERROR:
      *try_later = TRUE;
      return TRUE;

    case CABUT_CA_STATUS_GOOD:
      ocsp_status = V_OCSP_CERTSTATUS_GOOD;
      break;

    case CABUT_CA_STATUS_REVOKED:
      ocsp_status = V_OCSP_CERTSTATUS_REVOKED;
      if (revoked_at == NULL)
        {
          g_warning ("Failed to learn when a revoked certificate was revoked; "
                     "answering with the current time");
          revocation_time = ASN1_TIME_set (NULL, cabut_ca_now ());
        }
      else
        {
          revocation_time = ASN1_TIME_set (NULL, g_date_time_to_unix (revoked_at));
        }
      if (revocation_time == NULL)
        return FALSE;
      /* 7 is unused; anything else out of range is no reason at all. */
      if (reason >= 0 && reason <= 10 && reason != 7)
        ocsp_reason = reason;
      break;

    case CABUT_CA_STATUS_UNKNOWN:
    default:
      ocsp_status = V_OCSP_CERTSTATUS_UNKNOWN;
      break;
    }

  return OCSP_basic_add1_status (basic, id, ocsp_status, ocsp_reason, revocation_time,
                                 this_update, next_update) != NULL;
}


/**
 * cabut_ca_answer_ocsp:
 * @request_der: an OCSPRequest (RFC 6960), DER
 * @lookup: (scope call): says what became of each certificate asked about
 *
 * Answers an OCSP request. Each certificate the issuing CA issued gets
 * the status @lookup gives; one from any other issuer gets "unknown". The
 * BasicOCSPResponse is signed by the issuing CA itself, names it by key
 * hash, includes its certificate, echoes the request's nonce, and is valid
 * for an hour. A request that does not parse, is larger than
 * %CABUT_CA_MAX_OCSP_REQUEST_SIZE or asks about no or too many
 * certificates gets a malformedRequest response. Safe to call from any
 * thread.
 *
 * Returns: (transfer full): a DER OCSPResponse, always
 */
GBytes *
cabut_ca_answer_ocsp (CabutCa           *self,
                      GBytes            *request_der,
                      CabutCaLookupFunc  lookup,
                      gpointer           user_data)
{
  g_autoptr(OCSP_REQUEST) request = NULL;
  g_autoptr(OCSP_BASICRESP) basic = NULL;
  g_autoptr(OCSP_RESPONSE) response = NULL;
  g_autoptr(ASN1_TIME) this_update = NULL;
  g_autoptr(ASN1_TIME) next_update = NULL;
  const unsigned char *data;
  const unsigned char *p;
  time_t now = cabut_ca_now ();
  gsize len;
  int n_ids;
  GBytes *bytes;

  g_return_val_if_fail (CABUT_IS_CA (self), NULL);
  g_return_val_if_fail (request_der != NULL, NULL);
  g_return_val_if_fail (lookup != NULL, NULL);

  data = g_bytes_get_data (request_der, &len);
  if (len == 0 || len > CABUT_CA_MAX_OCSP_REQUEST_SIZE)
    return ocsp_error_response (OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);

  p = data;
  request = d2i_OCSP_REQUEST (NULL, &p, (long) len);
  n_ids = request != NULL ? OCSP_request_onereq_count (request) : 0;
  if (request == NULL || p != data + len ||
      n_ids <= 0 || n_ids > CABUT_CA_MAX_OCSP_REQUEST_CERTS)
    {
      ERR_clear_error ();
      return ocsp_error_response (OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
    }

  basic = OCSP_BASICRESP_new ();
  this_update = ASN1_TIME_set (NULL, now);
  next_update = ASN1_TIME_set (NULL, now + OCSP_VALIDITY_SECONDS);
  if (basic == NULL || this_update == NULL || next_update == NULL)
    goto failed;

  for (int i = 0; i < n_ids; i++)
    {
      OCSP_CERTID *id = OCSP_onereq_get0_id (OCSP_request_onereq_get0 (request, i));
      gboolean try_later = FALSE;

      if (!ocsp_add_status (self, basic, id, lookup, user_data, this_update, next_update, &try_later))
        goto failed;
      /* RFC 6960 §2.3: no signed statement from a registry that cannot be read. */
      if (try_later)
        return ocsp_error_response (OCSP_RESPONSE_STATUS_TRYLATER);
    }

  /* 2 means the request had no nonce, which is fine. */
  if (OCSP_copy_nonce (basic, request) <= 0 ||
      !OCSP_basic_sign (basic, self->issuing, self->issuing_key, EVP_sha256 (), NULL,
                        OCSP_RESPID_KEY))
    goto failed;

  response = OCSP_response_create (OCSP_RESPONSE_STATUS_SUCCESSFUL, basic);
  if (response == NULL || (bytes = ocsp_response_to_bytes (response)) == NULL)
    goto failed;

  return bytes;

failed:
  {
    g_autofree char *detail = cabut_openssl_error_string ();

    g_warning ("Failed to answer an OCSP request: %s", detail);
  }
  return ocsp_error_response (OCSP_RESPONSE_STATUS_INTERNALERROR);
}
