/* cabut-certificate.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-certificate"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-certificate-private.h"
#include "cabut-dn-private.h"

/* One X.509 certificate as found in a file a person chose, with what came
 * along with it (a private key, the rest of the chain). Immutable once
 * loaded; everything shown is computed at load time so getters are cheap
 * and safe from any thread. */
struct _CabutCertificate
{
  GObject                 parent_instance;

  X509                   *x509;
  EVP_PKEY               *private_key;
  GPtrArray              *extra;          /* CabutCertificate */
  CabutCertificateFormat  format;

  CabutDn                *subject;
  CabutDn                *issuer;
  char                   *subject_string;
  char                   *issuer_string;
  char                   *serial;
  GDateTime              *not_before;
  GDateTime              *not_after;
  const char             *key_type;
  char                   *key_curve;
  guint                   key_bits;
  char                   *sha256;
  char                   *sha1;
  CabutKeyUsage           key_usage;
  guint                   has_key_usage : 1;
  guint                   key_matches : 1;
  GStrv                   eku;
  GStrv                   crl_urls;
  GStrv                   ocsp_urls;
};

G_DEFINE_FINAL_TYPE (CabutCertificate, cabut_certificate, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-certificate-error-quark, cabut_certificate_error)

static const struct {
  CabutKeyUsage  usage;
  guint32        openssl_bit;
  const char    *name;
  const char    *label;
} key_usages[CABUT_KEY_USAGE_N_BITS] = {
  { CABUT_KEY_USAGE_DIGITAL_SIGNATURE, KU_DIGITAL_SIGNATURE, "digitalSignature", N_("Digital signature") },
  { CABUT_KEY_USAGE_NON_REPUDIATION, KU_NON_REPUDIATION, "nonRepudiation", N_("Non-repudiation") },
  { CABUT_KEY_USAGE_KEY_ENCIPHERMENT, KU_KEY_ENCIPHERMENT, "keyEncipherment", N_("Key encipherment") },
  { CABUT_KEY_USAGE_DATA_ENCIPHERMENT, KU_DATA_ENCIPHERMENT, "dataEncipherment", N_("Data encipherment") },
  { CABUT_KEY_USAGE_KEY_AGREEMENT, KU_KEY_AGREEMENT, "keyAgreement", N_("Key agreement") },
  { CABUT_KEY_USAGE_KEY_CERT_SIGN, KU_KEY_CERT_SIGN, "keyCertSign", N_("Certificate signing") },
  { CABUT_KEY_USAGE_CRL_SIGN, KU_CRL_SIGN, "cRLSign", N_("CRL signing") },
  { CABUT_KEY_USAGE_ENCIPHER_ONLY, KU_ENCIPHER_ONLY, "encipherOnly", N_("Encipher only") },
  { CABUT_KEY_USAGE_DECIPHER_ONLY, KU_DECIPHER_ONLY, "decipherOnly", N_("Decipher only") },
};

static const struct {
  const char *name;
  const char *label;
} eku_labels[] = {
  { "serverAuth", N_("Server authentication") },
  { "clientAuth", N_("Client authentication") },
  { "codeSigning", N_("Code signing") },
  { "emailProtection", N_("Email protection") },
  { "timeStamping", N_("Time stamping") },
  { "OCSPSigning", N_("OCSP signing") },
  { "msSmartcardLogin", N_("Smart card sign-in") },
  { "1.3.6.1.4.1.311.10.3.12", N_("Document signing") },
  { "anyExtendedKeyUsage", N_("Any purpose") },
};

static void
cabut_certificate_finalize (GObject *object)
{
  CabutCertificate *self = (CabutCertificate *)object;

  g_clear_pointer (&self->x509, X509_free);
  g_clear_pointer (&self->private_key, EVP_PKEY_free);
  g_clear_pointer (&self->extra, g_ptr_array_unref);
  g_clear_pointer (&self->subject, cabut_dn_free);
  g_clear_pointer (&self->issuer, cabut_dn_free);
  g_clear_pointer (&self->subject_string, g_free);
  g_clear_pointer (&self->issuer_string, g_free);
  g_clear_pointer (&self->serial, g_free);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->key_curve, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->sha1, g_free);
  g_clear_pointer (&self->eku, g_strfreev);
  g_clear_pointer (&self->crl_urls, g_strfreev);
  g_clear_pointer (&self->ocsp_urls, g_strfreev);

  G_OBJECT_CLASS (cabut_certificate_parent_class)->finalize (object);
}

static void
cabut_certificate_class_init (CabutCertificateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cabut_certificate_finalize;
}

static void
cabut_certificate_init (CabutCertificate *self)
{
  self->extra = g_ptr_array_new_with_free_func (g_object_unref);
}

static char *
digest_hex (X509         *x509,
            const EVP_MD *md)
{
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;

  if (!X509_digest (x509, md, buf, &len))
    {
      ERR_clear_error ();
      return g_strdup ("");
    }

  return cabut_openssl_hex (buf, len);
}

static void
load_key_info (CabutCertificate *self)
{
  EVP_PKEY *pub = X509_get0_pubkey (self->x509);

  if (pub == NULL)
    {
      ERR_clear_error ();
      self->key_type = "UNKNOWN";
      return;
    }

  switch (EVP_PKEY_get_base_id (pub))
    {
    case EVP_PKEY_RSA: self->key_type = "RSA"; break;
    case EVP_PKEY_RSA_PSS: self->key_type = "RSA-PSS"; break;
    case EVP_PKEY_EC: self->key_type = "EC"; break;
    case EVP_PKEY_ED25519: self->key_type = "ED25519"; break;
    case EVP_PKEY_ED448: self->key_type = "ED448"; break;
    case EVP_PKEY_DSA: self->key_type = "DSA"; break;
    default: self->key_type = "UNKNOWN"; break;
    }

  self->key_bits = MAX (EVP_PKEY_get_bits (pub), 0);

  if (EVP_PKEY_get_base_id (pub) == EVP_PKEY_EC)
    {
      char group[80];
      size_t len = 0;

      if (EVP_PKEY_get_group_name (pub, group, sizeof group, &len))
        self->key_curve = g_strndup (group, len);
      ERR_clear_error ();
    }
}

static void
load_key_usage (CabutCertificate *self)
{
  guint32 bits = X509_get_key_usage (self->x509);
  g_autoptr(CabutAsn1ObjectStack) eku = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  self->has_key_usage = (X509_get_extension_flags (self->x509) & EXFLAG_KUSAGE) != 0;
  if (self->has_key_usage)
    for (guint i = 0; i < G_N_ELEMENTS (key_usages); i++)
      if (bits & key_usages[i].openssl_bit)
        self->key_usage |= key_usages[i].usage;

  eku = X509_get_ext_d2i (self->x509, NID_ext_key_usage, NULL, NULL);
  for (int i = 0; eku != NULL && i < sk_ASN1_OBJECT_num (eku); i++)
    {
      const ASN1_OBJECT *obj = sk_ASN1_OBJECT_value (eku, i);
      int nid = OBJ_obj2nid (obj);
      char buf[128];

      if (nid != NID_undef)
        g_strv_builder_add (builder, OBJ_nid2sn (nid));
      else if (OBJ_obj2txt (buf, sizeof buf, obj, 1) > 0)
        g_strv_builder_add (builder, buf);
    }
  ERR_clear_error ();

  self->eku = g_strv_builder_end (builder);
}

static void
load_urls (CabutCertificate *self)
{
  g_autoptr(CabutDistPointStack) dps = NULL;
  g_autoptr(CabutStringStack) ocsp = NULL;
  g_autoptr(GStrvBuilder) crl = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ocsp_builder = g_strv_builder_new ();

  dps = X509_get_ext_d2i (self->x509, NID_crl_distribution_points, NULL, NULL);
  for (int i = 0; dps != NULL && i < sk_DIST_POINT_num (dps); i++)
    {
      DIST_POINT *dp = sk_DIST_POINT_value (dps, i);

      if (dp->distpoint == NULL || dp->distpoint->type != 0)
        continue;

      for (int j = 0; j < sk_GENERAL_NAME_num (dp->distpoint->name.fullname); j++)
        {
          GENERAL_NAME *gen = sk_GENERAL_NAME_value (dp->distpoint->name.fullname, j);
          const ASN1_IA5STRING *uri;
          g_autofree char *url = NULL;

          if (gen->type != GEN_URI)
            continue;
          uri = gen->d.uniformResourceIdentifier;
          url = g_strndup ((const char *) ASN1_STRING_get0_data (uri), ASN1_STRING_length (uri));
          g_strv_builder_add (crl, url);
        }
    }

  ocsp = X509_get1_ocsp (self->x509);
  for (int i = 0; ocsp != NULL && i < sk_OPENSSL_STRING_num (ocsp); i++)
    g_strv_builder_add (ocsp_builder, sk_OPENSSL_STRING_value (ocsp, i));
  ERR_clear_error ();

  self->crl_urls = g_strv_builder_end (crl);
  self->ocsp_urls = g_strv_builder_end (ocsp_builder);
}

/* Takes ownership of @x509 and @key. Returns: (nullable): %NULL when its
 * validity cannot be read. */
static CabutCertificate *
certificate_new (X509                   *x509,
                 EVP_PKEY               *key,
                 CabutCertificateFormat  format)
{
  CabutCertificate *self = g_object_new (CABUT_TYPE_CERTIFICATE, NULL);

  self->x509 = x509;
  self->private_key = key;
  self->format = format;

  self->subject = cabut_dn_new_from_x509_name (X509_get_subject_name (x509));
  self->issuer = cabut_dn_new_from_x509_name (X509_get_issuer_name (x509));
  self->subject_string = cabut_dn_to_string (self->subject);
  self->issuer_string = cabut_dn_to_string (self->issuer);

  self->serial = cabut_openssl_serial_string (X509_get0_serialNumber (x509));
  self->not_before = cabut_openssl_time_to_date_time (X509_get0_notBefore (x509));
  self->not_after = cabut_openssl_time_to_date_time (X509_get0_notAfter (x509));
  if (self->not_before == NULL || self->not_after == NULL)
    {
      /* Validity that cannot be read is no validity: the file is damaged. */
      g_object_unref (self);
      return NULL;
    }
  self->sha256 = digest_hex (x509, EVP_sha256 ());
  self->sha1 = digest_hex (x509, EVP_sha1 ());

  load_key_info (self);
  load_key_usage (self);
  load_urls (self);

  if (key != NULL)
    {
      ERR_set_mark ();
      self->key_matches = X509_check_private_key (x509, key) == 1;
      ERR_pop_to_mark ();
    }

  return self;
}

static void
add_extra (CabutCertificate       *self,
           X509                   *x509)
{
  CabutCertificate *extra = certificate_new (x509, NULL, self->format);

  /* A chain certificate that cannot be read is left out of the chain. */
  if (extra != NULL)
    g_ptr_array_add (self->extra, extra);
}

/* Of a bag of certificates without a key to tell, the holder's own is the
 * one that issued none of the others. */
static int
find_leaf (CabutX509Stack *certs)
{
  int n = sk_X509_num (certs);
  int fallback = -1;

  for (int i = 0; i < n; i++)
    {
      X509 *candidate = sk_X509_value (certs, i);
      gboolean issued_other = FALSE;

      for (int j = 0; j < n && !issued_other; j++)
        if (i != j && X509_check_issued (candidate, sk_X509_value (certs, j)) == X509_V_OK)
          issued_other = TRUE;

      if (issued_other)
        continue;
      if (X509_check_ca (candidate) == 0)
        return i;
      if (fallback < 0)
        fallback = i;
    }

  return fallback >= 0 ? fallback : (n > 0 ? 0 : -1);
}

static CabutCertificate *
certificate_new_from_parts (X509                   *cert,
                            EVP_PKEY               *key,
                            CabutX509Stack         *others,
                            CabutCertificateFormat  format,
                            GError                **error)
{
  CabutCertificate *self;

  if (cert == NULL)
    {
      int leaf = find_leaf (others);

      if (leaf < 0)
        {
          EVP_PKEY_free (key);
          if (key != NULL)
            g_set_error_literal (error, CABUT_CERTIFICATE_ERROR,
                                 CABUT_CERTIFICATE_ERROR_NO_CERTIFICATE,
                                 _("The file holds a private key but no certificate"));
          else
            g_set_error_literal (error, CABUT_CERTIFICATE_ERROR,
                                 CABUT_CERTIFICATE_ERROR_NO_CERTIFICATE,
                                 _("The file holds no certificate"));
          return NULL;
        }
      cert = sk_X509_delete (others, leaf);
    }

  self = certificate_new (cert, key, format);
  if (self == NULL)
    {
      g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_MALFORMED,
                           _("The certificate’s validity dates cannot be read: the file is damaged"));
      return NULL;
    }
  while (others != NULL && sk_X509_num (others) > 0)
    add_extra (self, sk_X509_shift (others));

  return self;
}

static int
provide_password_cb (char *buf,
                 int   size,
                 int   rwflag,
                 void *user_data)
{
  const char *password = user_data;
  gsize len;

  if (password == NULL)
    return -1;

  len = strlen (password);
  if (len > (gsize) size)
    return -1;
  memcpy (buf, password, len);

  return len;
}

static gboolean
is_certificate_block (const char *name)
{
  return g_str_equal (name, PEM_STRING_X509) ||
         g_str_equal (name, PEM_STRING_X509_OLD) ||
         g_str_equal (name, PEM_STRING_X509_TRUSTED);
}

static gboolean
is_key_block (const char *name)
{
  return g_str_has_suffix (name, "PRIVATE KEY");
}

static CabutCertificate *
load_pem (GBytes      *data,
          const char  *password,
          GError     **error)
{
  g_autoptr(BIO) bio = NULL;
  g_autoptr(CabutX509Stack) certs = sk_X509_new_null ();
  g_autoptr(EVP_PKEY) key = NULL;
  g_autofree char *other = NULL;
  gboolean key_needs_password = FALSE;
  gboolean key_wrong_password = FALSE;
  gsize len;
  const char *bytes = g_bytes_get_data (data, &len);

  bio = BIO_new_mem_buf (bytes, len);

  for (;;)
    {
      char *name = NULL;
      char *header = NULL;
      unsigned char *der = NULL;
      long der_len = 0;
      unsigned long err;

      if (!PEM_read_bio (bio, &name, &header, &der, &der_len))
        {
          err = ERR_peek_last_error ();
          ERR_clear_error ();
          if (ERR_GET_LIB (err) == ERR_LIB_PEM && ERR_GET_REASON (err) == PEM_R_NO_START_LINE)
            break;

          g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_MALFORMED,
                               _("The PEM file is damaged or cut short"));
          return NULL;
        }

      if (is_certificate_block (name))
        {
          const unsigned char *p = der;
          X509 *x509 = g_str_equal (name, PEM_STRING_X509_TRUSTED)
            ? d2i_X509_AUX (NULL, &p, der_len)
            : d2i_X509 (NULL, &p, der_len);

          if (x509 == NULL || p != der + der_len)
            {
              X509_free (x509);
              ERR_clear_error ();
              OPENSSL_free (name);
              OPENSSL_free (header);
              OPENSSL_free (der);
              g_set_error_literal (error, CABUT_CERTIFICATE_ERROR,
                                   CABUT_CERTIFICATE_ERROR_MALFORMED,
                                   _("The certificate in the PEM file is damaged"));
              return NULL;
            }
          sk_X509_push (certs, x509);
        }
      else if (is_key_block (name) && key == NULL)
        {
          g_autoptr(BIO) key_bio = BIO_new (BIO_s_mem ());

          /* Re-wrap the block so OpenSSL's PEM key reader can handle both
           * PKCS#8 and traditional, plain and encrypted keys. */
          PEM_write_bio (key_bio, name, header, der, der_len);
          key = PEM_read_bio_PrivateKey (key_bio, NULL, provide_password_cb, (void *) password);
          if (key == NULL)
            {
              gboolean encrypted = strstr (name, "ENCRYPTED") != NULL || (header != NULL && strstr (header, "ENCRYPTED") != NULL);

              if (encrypted && password == NULL)
                key_needs_password = TRUE;
              else if (encrypted)
                key_wrong_password = TRUE;
              ERR_clear_error ();
            }
        }
      else if (other == NULL)
        {
          other = g_strdup (name);
        }

      OPENSSL_free (name);
      OPENSSL_free (header);
      OPENSSL_free (der);
    }

  if (key_needs_password)
    {
      g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_NEEDS_PASSWORD,
                           _("The private key in this file is protected by a password"));
      return NULL;
    }
  if (key_wrong_password)
    {
      g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_WRONG_PASSWORD,
                           _("The password does not unlock the private key in this file"));
      return NULL;
    }

  if (sk_X509_num (certs) == 0)
    {
      if (key != NULL)
        {
          g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_NO_CERTIFICATE,
                               _("The file holds a private key but no certificate"));
        }
      else if (other != NULL)
        {
          if (g_str_equal (other, PEM_STRING_X509_REQ) || g_str_equal (other, PEM_STRING_X509_REQ_OLD))
            g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_UNSUPPORTED,
                                 _("The file holds a certificate request, not a certificate"));
          else
            g_set_error (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_UNSUPPORTED,
                         _("The file holds a “%s” block, not a certificate"), other);
        }
      else
        {
          g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_MALFORMED,
                               _("The PEM file holds no certificate"));
        }
      return NULL;
    }

  /* The first certificate is the holder's; the rest is the chain. */
  {
    X509 *first = sk_X509_shift (certs);
    return certificate_new_from_parts (first, g_steal_pointer (&key), certs,
                                       CABUT_CERTIFICATE_FORMAT_PEM, error);
  }
}

typedef struct
{
  const char     *pass;
  EVP_PKEY       *key;
  CabutX509Stack *certs;
  gboolean        decrypt_failed;
  gboolean        unsupported;
} Pkcs12Contents;

static void
note_crypto_failure (Pkcs12Contents *contents)
{
  unsigned long err = ERR_peek_last_error ();
  int reason = ERR_GET_REASON (err);

  if (reason == ERR_R_UNSUPPORTED || reason == EVP_R_UNSUPPORTED_ALGORITHM ||
      reason == ERR_R_FETCH_FAILED)
    contents->unsupported = TRUE;
  else
    contents->decrypt_failed = TRUE;
  ERR_clear_error ();
}

static void
read_safebags (Pkcs12Contents                  *contents,
               const STACK_OF (PKCS12_SAFEBAG) *bags,
               guint                            depth)
{
  /* Nested safe contents are legal; a file nesting them deeply is not honest. */
  if (depth > 4)
    {
      contents->decrypt_failed = TRUE;
      return;
    }

  for (int i = 0; i < sk_PKCS12_SAFEBAG_num (bags); i++)
    {
      const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value (bags, i);

      switch (PKCS12_SAFEBAG_get_nid (bag))
        {
        case NID_keyBag:
          if (contents->key == NULL)
            contents->key = EVP_PKCS82PKEY (PKCS12_SAFEBAG_get0_p8inf (bag));
          break;

        case NID_pkcs8ShroudedKeyBag:
          if (contents->key == NULL)
            {
              PKCS8_PRIV_KEY_INFO *p8 = PKCS12_decrypt_skey (bag, contents->pass, -1);

              if (p8 == NULL)
                {
                  note_crypto_failure (contents);
                  break;
                }
              contents->key = EVP_PKCS82PKEY (p8);
              PKCS8_PRIV_KEY_INFO_free (p8);
            }
          break;

        case NID_certBag:
          if (PKCS12_SAFEBAG_get_bag_nid (bag) == NID_x509Certificate)
            {
              X509 *x509 = PKCS12_SAFEBAG_get1_cert (bag);

              if (x509 != NULL)
                sk_X509_push (contents->certs, x509);
            }
          break;

        case NID_safeContentsBag:
          read_safebags (contents, PKCS12_SAFEBAG_get0_safes (bag), depth + 1);
          break;

        default:
          /* CRLs and secrets are of no use here. */
          break;
        }
    }
  ERR_clear_error ();
}

/* Reads the bags ourselves rather than with PKCS12_parse(), which refuses
 * files without a MAC and cannot tell a bad password from damage. */
static gboolean
read_pkcs12 (PKCS12         *p12,
             Pkcs12Contents *contents)
{
  STACK_OF (PKCS7) *safes = PKCS12_unpack_authsafes (p12);

  if (safes == NULL)
    {
      ERR_clear_error ();
      return FALSE;
    }

  for (int i = 0; i < sk_PKCS7_num (safes); i++)
    {
      PKCS7 *p7 = sk_PKCS7_value (safes, i);
      STACK_OF (PKCS12_SAFEBAG) *bags = NULL;

      switch (OBJ_obj2nid (p7->type))
        {
        case NID_pkcs7_data:
          bags = PKCS12_unpack_p7data (p7);
          break;
        case NID_pkcs7_encrypted:
          bags = PKCS12_unpack_p7encdata (p7, contents->pass, -1);
          if (bags == NULL)
            note_crypto_failure (contents);
          break;
        default:
          break;
        }

      if (bags != NULL)
        {
          read_safebags (contents, bags, 0);
          sk_PKCS12_SAFEBAG_pop_free (bags, PKCS12_SAFEBAG_free);
        }
    }

  sk_PKCS7_pop_free (safes, PKCS7_free);

  return TRUE;
}

static CabutCertificate *
load_pkcs12 (PKCS12      *p12,
             const char  *password,
             GError     **error)
{
  g_autoptr(CabutX509Stack) certs = sk_X509_new_null ();
  g_autoptr(EVP_PKEY) key = NULL;
  Pkcs12Contents contents = { password, NULL, certs, FALSE, FALSE };
  gboolean have_password = password != NULL && *password != '\0';
  X509 *holder = NULL;

  if (PKCS12_mac_present (p12))
    {
      if (have_password)
        {
          if (!PKCS12_verify_mac (p12, password, -1))
            {
              unsigned long err = ERR_peek_last_error ();

              ERR_clear_error ();
              /* A MAC that does not match queues no error; only a MAC that
               * could not be computed does. */
              if (err == 0 || ERR_GET_REASON (err) == PKCS12_R_MAC_VERIFY_FAILURE)
                {
                  g_set_error_literal (error, CABUT_CERTIFICATE_ERROR,
                                       CABUT_CERTIFICATE_ERROR_WRONG_PASSWORD,
                                       _("The password is not correct for this certificate file"));
                  return NULL;
                }
              g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_UNSUPPORTED,
                                   _("The certificate file is protected in a way this system "
                                     "cannot check"));
              return NULL;
            }
        }
      else if (PKCS12_verify_mac (p12, NULL, 0))
        contents.pass = NULL;
      else if (PKCS12_verify_mac (p12, "", 0))
        contents.pass = "";
      else
        {
          ERR_clear_error ();
          g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_NEEDS_PASSWORD,
                               _("The certificate file is protected by a password"));
          return NULL;
        }
    }
  ERR_clear_error ();

  if (!read_pkcs12 (p12, &contents))
    {
      g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_MALFORMED,
                           _("The PKCS#12 file is damaged"));
      return NULL;
    }
  key = contents.key;

  if (contents.unsupported)
    {
      g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_UNSUPPORTED,
                           _("The certificate file uses an encryption method this system "
                             "cannot open"));
      return NULL;
    }
  if (contents.decrypt_failed)
    {
      /* With a MAC that checked out, the password is right: the file is bad. */
      if (PKCS12_mac_present (p12))
        g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_MALFORMED,
                             _("The PKCS#12 file is damaged"));
      else if (!have_password)
        g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_NEEDS_PASSWORD,
                             _("The certificate file is protected by a password"));
      else
        g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_WRONG_PASSWORD,
                             _("The password is not correct for this certificate file"));
      return NULL;
    }

  /* The holder's certificate is the one that goes with the key. */
  for (int i = 0; key != NULL && i < sk_X509_num (certs); i++)
    {
      X509 *x509 = sk_X509_value (certs, i);
      gboolean matches;

      ERR_set_mark ();
      matches = X509_check_private_key (x509, key) == 1;
      ERR_pop_to_mark ();
      if (matches)
        {
          holder = sk_X509_delete (certs, i);
          break;
        }
    }

  return certificate_new_from_parts (holder, g_steal_pointer (&key), certs,
                                     CABUT_CERTIFICATE_FORMAT_PKCS12, error);
}

static CabutCertificate *
load_der (GBytes      *data,
          const char  *password,
          GError     **error)
{
  gsize len;
  const unsigned char *bytes = g_bytes_get_data (data, &len);
  const unsigned char *p;
  X509 *x509;
  g_autoptr(PKCS12) p12 = NULL;
  g_autoptr(CabutAsn1TypeStack) any = NULL;

  p = bytes;
  x509 = d2i_X509 (NULL, &p, len);
  if (x509 != NULL && p == bytes + len)
    return certificate_new_from_parts (x509, NULL, NULL, CABUT_CERTIFICATE_FORMAT_DER, error);
  X509_free (x509);
  ERR_clear_error ();

  p = bytes;
  p12 = d2i_PKCS12 (NULL, &p, len);
  if (p12 != NULL && p == bytes + len)
    return load_pkcs12 (p12, password, error);
  ERR_clear_error ();

  p = bytes;
  {
    g_autoptr(EVP_PKEY) key = d2i_AutoPrivateKey (NULL, &p, len);

    ERR_clear_error ();
    if (key != NULL && p == bytes + len)
      {
        g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_NO_CERTIFICATE,
                             _("The file holds a private key but no certificate"));
        return NULL;
      }
  }

  /* Well-formed DER that is neither: a request, a CMS message… */
  p = bytes;
  any = d2i_ASN1_SEQUENCE_ANY (NULL, &p, len);
  ERR_clear_error ();
  if (any != NULL && p == bytes + len)
    {
      g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_UNSUPPORTED,
                           _("The file is not a certificate: Cabut reads certificates in PEM, "
                             "DER and PKCS#12 (.p12, .pfx) files"));
      return NULL;
    }

  g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_MALFORMED,
                       _("The certificate file is damaged or cut short"));
  return NULL;
}

static gboolean
looks_like_pem (const char *data,
                gsize       len)
{
  const char *begin = g_strstr_len (data, len, "-----BEGIN ");

  return begin != NULL && memchr (data, '\0', begin - data) == NULL;
}

/**
 * cabut_certificate_new_from_bytes:
 * @data: the contents of a PEM, DER or PKCS#12 file
 * @password: (nullable): the PKCS#12 (or encrypted PEM key) password
 *
 * Returns: (transfer full): the certificate, or %NULL with @error set in
 *   the #CABUT_CERTIFICATE_ERROR domain
 */
CabutCertificate *
cabut_certificate_new_from_bytes (GBytes      *data,
                                  const char  *password,
                                  GError     **error)
{
  gsize len;
  const char *bytes;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cabut_openssl_init ();

  bytes = g_bytes_get_data (data, &len);
  if (len == 0)
    {
      g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_MALFORMED,
                           _("The file is empty"));
      return NULL;
    }
  if (len > CABUT_CERTIFICATE_MAX_FILE_SIZE)
    {
      g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_TOO_LARGE,
                           _("The file is far too large to be a certificate"));
      return NULL;
    }
  /* Keep OpenSSL's length arithmetic within int. */
  G_STATIC_ASSERT (CABUT_CERTIFICATE_MAX_FILE_SIZE < G_MAXINT);

  if (looks_like_pem (bytes, len))
    return load_pem (data, password, error);
  if ((guint8) bytes[0] == 0x30)
    return load_der (data, password, error);

  g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_UNSUPPORTED,
                       _("The file is not a certificate: Cabut reads certificates in PEM, "
                         "DER and PKCS#12 (.p12, .pfx) files"));
  return NULL;
}

static GBytes *
read_file (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  guint8 chunk[16384];

  stream = g_file_read (file, cancellable, &local_error);
  while (stream != NULL)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), chunk, sizeof chunk,
                                      cancellable, &local_error);
      if (n <= 0)
        break;
      if (buffer->len + n > CABUT_CERTIFICATE_MAX_FILE_SIZE)
        {
          g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_TOO_LARGE,
                               _("The file is far too large to be a certificate"));
          return NULL;
        }
      g_byte_array_append (buffer, chunk, n);
    }

  if (local_error != NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_UNREADABLE,
                     _("The file could not be read: %s"), local_error->message);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/**
 * cabut_certificate_new_from_file:
 *
 * Reads and loads a certificate file. Blocks: call it from a worker thread
 * or use cabut_certificate_new_from_file_async().
 */
CabutCertificate *
cabut_certificate_new_from_file (GFile         *file,
                                 const char    *password,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  if (!(bytes = read_file (file, cancellable, error)))
    return NULL;

  return cabut_certificate_new_from_bytes (bytes, password, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = source_object;
  const char *password = task_data;
  GError *error = NULL;
  CabutCertificate *self;

  self = cabut_certificate_new_from_file (file, password, cancellable, &error);
  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

static void
password_free (gpointer data)
{
  char *password = data;

  if (password != NULL)
    {
      OPENSSL_cleanse (password, strlen (password));
      g_free (password);
    }
}

/**
 * cabut_certificate_new_from_file_async:
 *
 * Reads and decodes the file in a worker thread. The password is copied,
 * and wiped once the task is done.
 */
void
cabut_certificate_new_from_file_async (GFile               *file,
                                       const char          *password,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_certificate_new_from_file_async);
  g_task_set_task_data (task, g_strdup (password), password_free);
  g_task_run_in_thread (task, load_thread);
}

CabutCertificate *
cabut_certificate_new_from_file_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cabut_certificate_new_from_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

CabutCertificateFormat
cabut_certificate_get_format (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), 0);
  return self->format;
}

/** cabut_certificate_format_to_string: Returns: "pem", "der" or "pkcs12" */
const char *
cabut_certificate_format_to_string (CabutCertificateFormat format)
{
  switch (format)
    {
    case CABUT_CERTIFICATE_FORMAT_PEM: return "pem";
    case CABUT_CERTIFICATE_FORMAT_DER: return "der";
    case CABUT_CERTIFICATE_FORMAT_PKCS12: return "pkcs12";
    default: g_return_val_if_reached (NULL);
    }
}

const CabutDn *
cabut_certificate_get_subject (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->subject;
}

const CabutDn *
cabut_certificate_get_issuer (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->issuer;
}

/** cabut_certificate_get_subject_string: Returns: the subject as RFC 4514 text */
const char *
cabut_certificate_get_subject_string (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->subject_string;
}

/** cabut_certificate_get_issuer_string: Returns: the issuer as RFC 4514 text */
const char *
cabut_certificate_get_issuer_string (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->issuer_string;
}

/** cabut_certificate_get_serial: Returns: uppercase hex, '-' first when negative */
const char *
cabut_certificate_get_serial (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->serial;
}

/** cabut_certificate_get_not_before: Returns: (transfer none): start of validity, UTC */
GDateTime *
cabut_certificate_get_not_before (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->not_before;
}

/** cabut_certificate_get_not_after: Returns: (transfer none): end of validity, UTC */
GDateTime *
cabut_certificate_get_not_after (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->not_after;
}

gboolean
cabut_certificate_is_valid_at (CabutCertificate *self,
                               GDateTime        *when)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  return g_date_time_compare (self->not_before, when) <= 0 &&
         g_date_time_compare (when, self->not_after) <= 0;
}

/** cabut_certificate_get_key_type: Returns: "RSA", "RSA-PSS", "EC", "ED25519", "ED448", "DSA" */
const char *
cabut_certificate_get_key_type (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->key_type;
}

guint
cabut_certificate_get_key_bits (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), 0);
  return self->key_bits;
}

/** cabut_certificate_get_key_curve: Returns: (nullable): the EC group name */
const char *
cabut_certificate_get_key_curve (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->key_curve;
}

/** cabut_certificate_get_sha256: Returns: lowercase hex SHA-256 of the DER */
const char *
cabut_certificate_get_sha256 (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->sha256;
}

/** cabut_certificate_get_sha1: Returns: lowercase hex SHA-1 of the DER */
const char *
cabut_certificate_get_sha1 (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->sha1;
}

gboolean
cabut_certificate_has_key_usage (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), FALSE);
  return self->has_key_usage;
}

CabutKeyUsage
cabut_certificate_get_key_usage (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), 0);
  return self->key_usage;
}

/** cabut_certificate_get_extended_key_usage: Returns: OpenSSL short names or dotted OIDs */
const char * const *
cabut_certificate_get_extended_key_usage (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return (const char * const *) self->eku;
}

const char * const *
cabut_certificate_get_crl_urls (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return (const char * const *) self->crl_urls;
}

const char * const *
cabut_certificate_get_ocsp_urls (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return (const char * const *) self->ocsp_urls;
}

gboolean
cabut_certificate_has_private_key (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), FALSE);
  return self->private_key != NULL;
}

/** cabut_certificate_key_matches: Returns: %TRUE if the file's private key belongs to it */
gboolean
cabut_certificate_key_matches (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), FALSE);
  return self->key_matches;
}

/**
 * cabut_certificate_get_extra_certificates:
 *
 * Returns: (transfer none) (element-type CabutCertificate): the other
 *   certificates in the file, usually the issuing chain
 */
GPtrArray *
cabut_certificate_get_extra_certificates (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->extra;
}

/** cabut_certificate_get_der: Returns: (transfer full): the certificate's DER encoding */
GBytes *
cabut_certificate_get_der (CabutCertificate *self)
{
  unsigned char *der = NULL;
  GBytes *bytes;
  int len;

  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);

  len = i2d_X509 (self->x509, &der);
  g_return_val_if_fail (len > 0, NULL);
  bytes = cabut_openssl_der_to_bytes (der, len);

  return bytes;
}

/** cabut_certificate_to_pem: Returns: (transfer full): the certificate alone, as PEM */
char *
cabut_certificate_to_pem (CabutCertificate *self)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());

  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);

  PEM_write_bio_X509 (bio, self->x509);

  return cabut_openssl_bio_steal (bio);
}

/* Ed25519 and Ed448 sign the message itself; the others a SHA-256 digest. */
static const EVP_MD *
digest_for (EVP_PKEY *key)
{
  int id = EVP_PKEY_get_base_id (key);

  return (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) ? NULL : EVP_sha256 ();
}

/**
 * cabut_certificate_sign:
 * @data: what to sign
 *
 * Signs with the private key that came with the certificate: the proof that
 * the person asking to revoke holds the key.
 *
 * Returns: (transfer full): the signature
 */
GBytes *
cabut_certificate_sign (CabutCertificate  *self,
                        GBytes            *data,
                        GError           **error)
{
  EVP_MD_CTX *ctx;
  size_t len = 0;
  guint8 *sig = NULL;
  gboolean ok;

  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (self->private_key == NULL || !self->key_matches)
    {
      g_set_error_literal (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_NO_PRIVATE_KEY,
                           _("The certificate file does not hold the certificate’s private key"));
      return NULL;
    }

  ctx = EVP_MD_CTX_new ();
  ok = EVP_DigestSignInit (ctx, NULL, digest_for (self->private_key), NULL, self->private_key) == 1 &&
       EVP_DigestSign (ctx, NULL, &len, g_bytes_get_data (data, NULL), g_bytes_get_size (data)) == 1;
  if (ok)
    {
      sig = g_malloc (len);
      ok = EVP_DigestSign (ctx, sig, &len, g_bytes_get_data (data, NULL), g_bytes_get_size (data)) == 1;
    }
  EVP_MD_CTX_free (ctx);

  if (!ok)
    {
      g_autofree char *detail = cabut_openssl_error_string ();

      g_free (sig);
      g_set_error (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_UNSUPPORTED,
                   _("The private key cannot sign: %s"), detail);
      return NULL;
    }

  return g_bytes_new_take (sig, len);
}

/**
 * cabut_certificate_verify_signature:
 *
 * Returns: %TRUE if @signature over @data was made with the private key of
 *   this certificate
 */
gboolean
cabut_certificate_verify_signature (CabutCertificate *self,
                                    GBytes           *data,
                                    GBytes           *signature)
{
  EVP_PKEY *pub;
  EVP_MD_CTX *ctx;
  gboolean ok;

  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);

  pub = X509_get0_pubkey (self->x509);
  if (pub == NULL)
    {
      ERR_clear_error ();
      return FALSE;
    }

  ctx = EVP_MD_CTX_new ();
  ok = EVP_DigestVerifyInit (ctx, NULL, digest_for (pub), NULL, pub) == 1 &&
       EVP_DigestVerify (ctx, g_bytes_get_data (signature, NULL), g_bytes_get_size (signature),
                         g_bytes_get_data (data, NULL), g_bytes_get_size (data)) == 1;
  EVP_MD_CTX_free (ctx);
  ERR_clear_error ();

  return ok;
}

/**
 * cabut_certificate_is_issued_by:
 * @issuer: a CA certificate
 *
 * Checks that @issuer issued this certificate: its subject is this
 * certificate's issuer name (and key identifiers and key usage agree), and
 * its public key verifies this certificate's signature. Neither validity
 * nor the rest of the chain is checked.
 *
 * Returns: %TRUE if @issuer issued this certificate
 */
gboolean
cabut_certificate_is_issued_by (CabutCertificate *self,
                                CabutCertificate *issuer)
{
  EVP_PKEY *key;
  gboolean ok;

  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (issuer), FALSE);

  if (X509_check_issued (issuer->x509, self->x509) != X509_V_OK)
    {
      ERR_clear_error ();
      return FALSE;
    }

  key = X509_get0_pubkey (issuer->x509);
  ok = key != NULL && X509_verify (self->x509, key) == 1;
  ERR_clear_error ();

  return ok;
}

X509 *
cabut_certificate_get_x509 (CabutCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (self), NULL);
  return self->x509;
}

/** cabut_key_usage_to_name: Returns: the RFC 5280 name of one usage bit */
const char *
cabut_key_usage_to_name (CabutKeyUsage usage)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_usages); i++)
    if (key_usages[i].usage == usage)
      return key_usages[i].name;

  g_return_val_if_reached (NULL);
}

/** cabut_key_usage_to_label: Returns: a translated label for one usage bit */
const char *
cabut_key_usage_to_label (CabutKeyUsage usage)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_usages); i++)
    if (key_usages[i].usage == usage)
      return g_dgettext (GETTEXT_PACKAGE, key_usages[i].label);

  g_return_val_if_reached (NULL);
}

/** cabut_extended_key_usage_to_label: Returns: a translated label, or @name itself */
const char *
cabut_extended_key_usage_to_label (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (eku_labels); i++)
    if (g_str_equal (eku_labels[i].name, name))
      return g_dgettext (GETTEXT_PACKAGE, eku_labels[i].label);

  return name;
}
