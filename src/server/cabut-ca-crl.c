/* cabut-ca-crl.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The CA's CRLs (RFC 5280 §5): the issuing CA's, from the revoked entries it is given, and the root's, which lists nothing. */

#define G_LOG_DOMAIN "cabut-ca"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-ca-private.h"
#include "cabut-dn-private.h"

/* RFC 5280 §5.3.1: 7 is unused, 8 (removeFromCRL) belongs in delta CRLs. */
static gboolean
crl_reason_is_valid (int reason)
{
  return reason == CABUT_CA_REASON_NONE ||
         (reason >= 0 && reason <= 10 && reason != 7 && reason != 8);
}

static X509_REVOKED *
revoked_new (const CabutCaRevokedEntry  *entry,
             guint                       index,
             GHashTable                 *seen,
             GError                    **error)
{
  g_autoptr(X509_REVOKED) revoked = X509_REVOKED_new ();
  g_autoptr(ASN1_INTEGER) serial = cabut_ca_serial_from_string (entry->serial);
  g_autoptr(ASN1_TIME) revoked_at = NULL;
  g_autofree char *normalized = NULL;

  if (serial == NULL)
    {
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_ENTRY,
                   _("Revoked certificate %u has a serial number “%s” that is not a "
                     "hexadecimal number of at most 20 bytes"),
                   index + 1, entry->serial != NULL ? entry->serial : "");
      return NULL;
    }

  normalized = cabut_openssl_serial_string (serial);
  if (g_hash_table_contains (seen, normalized))
    {
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_ENTRY,
                   _("The certificate with serial number %s is listed twice"), normalized);
      return NULL;
    }
  if (entry->revoked_at == NULL)
    {
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_ENTRY,
                   _("The certificate with serial number %s has no revocation date"),
                   normalized);
      return NULL;
    }
  if (!crl_reason_is_valid (entry->reason))
    {
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_ENTRY,
                   _("The certificate with serial number %s has a revocation reason (%d) "
                     "that a CRL cannot hold"),
                   normalized, entry->reason);
      return NULL;
    }

  revoked_at = ASN1_TIME_set (NULL, g_date_time_to_unix (entry->revoked_at));
  if (revoked == NULL || revoked_at == NULL ||
      !X509_REVOKED_set_serialNumber (revoked, serial) ||
      !X509_REVOKED_set_revocationDate (revoked, revoked_at))
    goto failed;

  if (entry->reason != CABUT_CA_REASON_NONE)
    {
      g_autoptr(ASN1_ENUMERATED) reason = ASN1_ENUMERATED_new ();

      if (reason == NULL ||
          !ASN1_ENUMERATED_set (reason, entry->reason) ||
          !X509_REVOKED_add1_ext_i2d (revoked, NID_crl_reason, reason, 0, 0))
        goto failed;
    }

  if (entry->invalidity_date != NULL)
    {
      /* RFC 5280 §5.3.2: always GeneralizedTime, unlike the other dates. */
      g_autoptr(ASN1_TIME) invalidity =
        ASN1_GENERALIZEDTIME_set (NULL, g_date_time_to_unix (entry->invalidity_date));

      if (invalidity == NULL ||
          !X509_REVOKED_add1_ext_i2d (revoked, NID_invalidity_date, invalidity, 0, 0))
        goto failed;
    }

  g_hash_table_add (seen, g_steal_pointer (&normalized));

  return g_steal_pointer (&revoked);

failed:
  cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED, _("The revocation list could not be made"));
  return NULL;
}

static GBytes *
make_crl (X509                      *issuer,
          EVP_PKEY                  *key,
          const EVP_MD              *md,
          const CabutCaRevokedEntry *entries,
          guint                      n_entries,
          guint64                    crl_number,
          guint                      next_update_seconds,
          GError                   **error)
{
  g_autoptr(X509_CRL) crl = X509_CRL_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(ASN1_TIME) this_update = NULL;
  g_autoptr(ASN1_TIME) next_update = NULL;
  g_autoptr(ASN1_INTEGER) number = ASN1_INTEGER_new ();
  g_autoptr(AUTHORITY_KEYID) akid = cabut_ca_authority_key_id_new (issuer);
  unsigned char *der = NULL;
  time_t now = cabut_ca_now ();
  GBytes *bytes;
  int len;

  if (crl == NULL || number == NULL || akid == NULL)
    goto failed;

  for (guint i = 0; i < n_entries; i++)
    {
      X509_REVOKED *revoked = revoked_new (&entries[i], i, seen, error);

      if (revoked == NULL)
        return NULL;
      if (!X509_CRL_add0_revoked (crl, revoked))
        {
          X509_REVOKED_free (revoked);
          goto failed;
        }
    }

  this_update = ASN1_TIME_set (NULL, now);
  next_update = ASN1_TIME_set (NULL, now + next_update_seconds);
  if (this_update == NULL || next_update == NULL ||
      !X509_CRL_set_version (crl, X509_CRL_VERSION_2) ||
      !X509_CRL_set_issuer_name (crl, X509_get_subject_name (issuer)) ||
      !X509_CRL_set1_lastUpdate (crl, this_update) ||
      !X509_CRL_set1_nextUpdate (crl, next_update) ||
      !ASN1_INTEGER_set_uint64 (number, crl_number) ||
      !X509_CRL_add1_ext_i2d (crl, NID_crl_number, number, 0, 0) ||
      !X509_CRL_add1_ext_i2d (crl, NID_authority_key_identifier, akid, 0, 0) ||
      !X509_CRL_sort (crl) ||
      X509_CRL_sign (crl, key, md) <= 0 ||
      (len = i2d_X509_CRL (crl, &der)) <= 0)
    goto failed;

  bytes = cabut_openssl_der_to_bytes (der, len);

  return bytes;

failed:
  cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED, _("The revocation list could not be made"));
  return NULL;
}


/**
 * cabut_ca_make_crl:
 * @entries: (array length=n_entries): the revoked certificates
 * @crl_number: the CRL number; each new CRL needs a larger one
 * @next_update_seconds: how long until the next CRL is due
 *
 * Makes a v2 CRL signed by the issuing CA (sha256WithRSAEncryption):
 * thisUpdate now, nextUpdate @next_update_seconds later, with the CRL
 * number and authority key identifier extensions, and for each entry its
 * reasonCode and invalidityDate extensions when given. Safe to call from
 * any thread.
 *
 * Returns: (transfer full): the CRL, DER, or %NULL with @error set
 */
GBytes *
cabut_ca_make_crl (CabutCa                    *self,
                   const CabutCaRevokedEntry  *entries,
                   guint                       n_entries,
                   guint64                     crl_number,
                   guint                       next_update_seconds,
                   GError                    **error)
{
  g_return_val_if_fail (CABUT_IS_CA (self), NULL);
  g_return_val_if_fail (entries != NULL || n_entries == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return make_crl (self->issuing, self->issuing_key, EVP_sha256 (),
                   entries, n_entries, crl_number, next_update_seconds, error);
}

/**
 * cabut_ca_make_root_crl:
 *
 * Makes the root's CRL, which the issuing CA certificate points to: it
 * lists nothing, since the root has issued nothing but the issuing CA.
 * Relying parties that check the whole chain (`openssl verify
 * -crl_check_all`) need it. Safe to call from any thread.
 *
 * Returns: (transfer full): the CRL, DER, or %NULL with @error set
 */
GBytes *
cabut_ca_make_root_crl (CabutCa  *self,
                        guint64   crl_number,
                        guint     next_update_seconds,
                        GError  **error)
{
  g_return_val_if_fail (CABUT_IS_CA (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return make_crl (self->root, self->root_key, EVP_sha384 (),
                   NULL, 0, crl_number, next_update_seconds, error);
}
