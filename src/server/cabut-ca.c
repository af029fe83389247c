/* cabut-ca.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-ca"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <openssl/rand.h>
#include <string.h>

#include "cabut-ca-private.h"
#include "cabut-dn-private.h"


G_DEFINE_FINAL_TYPE (CabutCa, cabut_ca, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-ca-error-quark, cabut_ca_error)

#define ROOT_SUBJECT    "CN=Cabut Demo Root CA,O=Cabut Demo (Fiktif),C=ID"
#define ISSUING_SUBJECT "CN=Cabut Demo CA DS,O=Cabut Demo (Fiktif),C=ID"

#define ROOT_YEARS    20
#define ISSUING_YEARS 10
/* CA certificates start a little in the past, for peers whose clocks lag. */
#define BACKDATE_SECONDS (60 * 60)
#define SERIAL_BYTES 16

#define ROOT_CERT_FILE    "root-ca.pem"
#define ROOT_KEY_FILE     "root-ca.key"
#define ISSUING_CERT_FILE "issuing-ca.pem"
#define ISSUING_KEY_FILE  "issuing-ca.key"

/* RFC 5280 §4.2.1.3 bit numbers. */
enum
{
  KU_BIT_DIGITAL_SIGNATURE = 0,
  KU_BIT_NON_REPUDIATION   = 1,
  KU_BIT_KEY_CERT_SIGN     = 5,
  KU_BIT_CRL_SIGN          = 6,
};

void
cabut_ca_set_openssl_error (GError     **error,
                            int          code,
                            const char  *message)
{
  g_autofree char *detail = cabut_openssl_error_string ();

  g_debug ("%s (%s)", message, detail);
  g_set_error_literal (error, CABUT_CA_ERROR, code, message);
}

time_t
cabut_ca_now (void)
{
  return (time_t) (g_get_real_time () / G_USEC_PER_SEC);
}

/* Hex digits, either case, optionally negative, at most 20 octets (RFC 5280 §4.1.2.2). */
ASN1_INTEGER *
cabut_ca_serial_from_string (const char *str)
{
  g_autoptr(BIGNUM) bn = NULL;
  const char *digits;
  gsize n_digits;

  if (str == NULL)
    return NULL;

  digits = str[0] == '-' ? str + 1 : str;
  n_digits = strlen (digits);
  if (n_digits == 0 || n_digits > 40)
    return NULL;
  for (gsize i = 0; i < n_digits; i++)
    if (!g_ascii_isxdigit (digits[i]))
      return NULL;

  if (BN_hex2bn (&bn, str) != (int) strlen (str))
    {
      ERR_clear_error ();
      return NULL;
    }

  return BN_to_ASN1_INTEGER (bn, NULL);
}

/* Positive, always SERIAL_BYTES long once encoded: the top bit is cleared so
 * no sign padding is needed, the next one set so no byte is dropped. */
static ASN1_INTEGER *
random_serial (void)
{
  g_autoptr(ASN1_INTEGER) serial = ASN1_INTEGER_new ();
  guint8 bytes[SERIAL_BYTES];

  if (serial == NULL || RAND_bytes (bytes, sizeof bytes) != 1)
    return NULL;

  bytes[0] &= 0x7f;
  bytes[0] |= 0x40;
  if (!ASN1_STRING_set (serial, bytes, sizeof bytes))
    return NULL;

  return g_steal_pointer (&serial);
}

static GENERAL_NAME *
general_name_new (int         type,
                  const char *value)
{
  g_autoptr(GENERAL_NAME) name = GENERAL_NAME_new ();
  ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new ();

  if (name == NULL || ia5 == NULL || !ASN1_STRING_set (ia5, value, -1))
    {
      ASN1_IA5STRING_free (ia5);
      return NULL;
    }
  GENERAL_NAME_set0_value (name, type, ia5);

  return g_steal_pointer (&name);
}

static gboolean
add_extension (X509     *x509,
               int       nid,
               gboolean  critical,
               void     *value)
{
  return X509_add1_ext_i2d (x509, nid, value, critical ? 1 : 0, X509V3_ADD_REPLACE) == 1;
}

static gboolean
add_basic_constraints (X509     *x509,
                       gboolean  is_ca,
                       int       path_length)
{
  g_autoptr(BASIC_CONSTRAINTS) bc = BASIC_CONSTRAINTS_new ();

  if (bc == NULL)
    return FALSE;

  bc->ca = is_ca ? 0xff : 0;
  if (path_length >= 0)
    {
      bc->pathlen = ASN1_INTEGER_new ();
      if (bc->pathlen == NULL || !ASN1_INTEGER_set (bc->pathlen, path_length))
        return FALSE;
    }

  /* RFC 5280 §4.2.1.9: critical in CA certificates. */
  return add_extension (x509, NID_basic_constraints, is_ca, bc);
}

static gboolean
add_key_usage (X509  *x509,
               guint  bits)
{
  g_autoptr(ASN1_BIT_STRING) usage = ASN1_BIT_STRING_new ();

  if (usage == NULL)
    return FALSE;

  for (int bit = 0; bit < 9; bit++)
    if ((bits & (1u << bit)) && !ASN1_BIT_STRING_set_bit (usage, bit, 1))
      return FALSE;

  return add_extension (x509, NID_key_usage, TRUE, usage);
}

static gboolean
add_extended_key_usage (X509 *x509)
{
  g_autoptr(CabutAsn1ObjectStack) usages = sk_ASN1_OBJECT_new_null ();

  if (usages == NULL ||
      !sk_ASN1_OBJECT_push (usages, OBJ_nid2obj (NID_email_protect)) ||
      !sk_ASN1_OBJECT_push (usages, OBJ_nid2obj (NID_client_auth)))
    return FALSE;

  return add_extension (x509, NID_ext_key_usage, FALSE, usages);
}

/* RFC 5280 §4.2.1.2 method 1: the SHA-1 of the subjectPublicKey bits. */
static gboolean
add_subject_key_id (X509 *x509)
{
  g_autoptr(ASN1_OCTET_STRING) id = ASN1_OCTET_STRING_new ();
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;

  if (id == NULL ||
      !X509_pubkey_digest (x509, EVP_sha1 (), md, &len) ||
      !ASN1_OCTET_STRING_set (id, md, len))
    return FALSE;

  return add_extension (x509, NID_subject_key_identifier, FALSE, id);
}

AUTHORITY_KEYID *
cabut_ca_authority_key_id_new (X509 *issuer)
{
  g_autoptr(AUTHORITY_KEYID) akid = AUTHORITY_KEYID_new ();
  const ASN1_OCTET_STRING *issuer_id = X509_get0_subject_key_id (issuer);

  if (akid == NULL || issuer_id == NULL)
    return NULL;

  akid->keyid = ASN1_OCTET_STRING_dup (issuer_id);
  if (akid->keyid == NULL)
    return NULL;

  return g_steal_pointer (&akid);
}

static gboolean
add_authority_key_id (X509 *x509,
                      X509 *issuer)
{
  g_autoptr(AUTHORITY_KEYID) akid = cabut_ca_authority_key_id_new (issuer);

  return akid != NULL && add_extension (x509, NID_authority_key_identifier, FALSE, akid);
}

static gboolean
add_crl_distribution_point (X509       *x509,
                            const char *url)
{
  g_autoptr(CabutDistPointStack) points = sk_DIST_POINT_new_null ();
  DIST_POINT *point = DIST_POINT_new ();
  GENERAL_NAME *name = general_name_new (GEN_URI, url);

  if (points == NULL || point == NULL || name == NULL || !sk_DIST_POINT_push (points, point))
    {
      DIST_POINT_free (point);
      GENERAL_NAME_free (name);
      return FALSE;
    }

  point->distpoint = DIST_POINT_NAME_new ();
  if (point->distpoint == NULL)
    {
      GENERAL_NAME_free (name);
      return FALSE;
    }
  point->distpoint->type = 0; /* fullName */
  point->distpoint->name.fullname = GENERAL_NAMES_new ();
  if (point->distpoint->name.fullname == NULL ||
      !sk_GENERAL_NAME_push (point->distpoint->name.fullname, name))
    {
      GENERAL_NAME_free (name);
      return FALSE;
    }

  return add_extension (x509, NID_crl_distribution_points, FALSE, points);
}

static gboolean
push_access_description (AUTHORITY_INFO_ACCESS *info,
                         int                    method,
                         const char            *url)
{
  ACCESS_DESCRIPTION *description = ACCESS_DESCRIPTION_new ();
  GENERAL_NAME *location = general_name_new (GEN_URI, url);

  if (description == NULL || location == NULL || !sk_ACCESS_DESCRIPTION_push (info, description))
    {
      ACCESS_DESCRIPTION_free (description);
      GENERAL_NAME_free (location);
      return FALSE;
    }

  ASN1_OBJECT_free (description->method);
  description->method = OBJ_nid2obj (method);
  GENERAL_NAME_free (description->location);
  description->location = location;

  return TRUE;
}

static gboolean
add_authority_info_access (X509       *x509,
                           const char *ocsp_url,
                           const char *ca_issuers_url)
{
  g_autoptr(AUTHORITY_INFO_ACCESS) info = sk_ACCESS_DESCRIPTION_new_null ();

  if (info == NULL)
    return FALSE;
  if (ocsp_url != NULL && !push_access_description (info, NID_ad_OCSP, ocsp_url))
    return FALSE;
  if (!push_access_description (info, NID_ad_ca_issuers, ca_issuers_url))
    return FALSE;

  return add_extension (x509, NID_info_access, FALSE, info);
}

/* RFC 5280 §4.1.2.6: an email address in the subject belongs in the
 * subjectAltName too, where S/MIME agents look for it. */
static gboolean
add_subject_alt_name_emails (X509            *x509,
                             const X509_NAME *subject)
{
  g_autoptr(GENERAL_NAMES) names = GENERAL_NAMES_new ();

  if (names == NULL)
    return FALSE;

  for (int i = X509_NAME_get_index_by_NID (subject, NID_pkcs9_emailAddress, -1);
       i >= 0;
       i = X509_NAME_get_index_by_NID (subject, NID_pkcs9_emailAddress, i))
    {
      const ASN1_STRING *data = X509_NAME_ENTRY_get_data (X509_NAME_get_entry (subject, i));
      unsigned char *utf8 = NULL;
      int len = ASN1_STRING_to_UTF8 (&utf8, data);
      g_autofree char *email = len > 0 ? g_strndup ((const char *) utf8, len) : NULL;
      GENERAL_NAME *name;

      OPENSSL_free (utf8);
      /* An rfc822Name is IA5String: ASCII only. */
      if (email == NULL || strlen (email) != (gsize) len || !g_str_is_ascii (email))
        {
          ERR_clear_error ();
          continue;
        }

      name = general_name_new (GEN_EMAIL, email);
      if (name == NULL || !sk_GENERAL_NAME_push (names, name))
        {
          GENERAL_NAME_free (name);
          return FALSE;
        }
    }

  if (sk_GENERAL_NAME_num (names) == 0)
    return TRUE;

  return add_extension (x509, NID_subject_alt_name, FALSE, names);
}

/* A v3 certificate with a fresh serial, names, validity, key and key IDs;
 * self-signed when @issuer is %NULL. */
static X509 *
certificate_new (const X509_NAME *subject,
                 EVP_PKEY        *key,
                 X509            *issuer,
                 time_t           not_before,
                 time_t           not_after)
{
  g_autoptr(X509) x509 = X509_new ();
  g_autoptr(ASN1_INTEGER) serial = random_serial ();
  g_autoptr(ASN1_TIME) start = ASN1_TIME_set (NULL, not_before);
  g_autoptr(ASN1_TIME) end = ASN1_TIME_set (NULL, not_after);

  if (x509 == NULL || serial == NULL || start == NULL || end == NULL ||
      !X509_set_version (x509, X509_VERSION_3) ||
      !X509_set_serialNumber (x509, serial) ||
      !X509_set_subject_name (x509, subject) ||
      !X509_set_issuer_name (x509, issuer != NULL ? X509_get_subject_name (issuer) : subject) ||
      !X509_set1_notBefore (x509, start) ||
      !X509_set1_notAfter (x509, end) ||
      !X509_set_pubkey (x509, key) ||
      !add_subject_key_id (x509))
    return NULL;

  if (issuer != NULL && !add_authority_key_id (x509, issuer))
    return NULL;

  return g_steal_pointer (&x509);
}

static int
no_password_cb (char *buf,
                int   size,
                int   rwflag,
                void *user_data)
{
  /* The CA keys are stored unencrypted; never ask on a terminal. */
  return -1;
}

static gboolean
write_file (const char  *path,
            const char  *data,
            gsize        len,
            int          mode,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, data, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 mode, &local_error))
    {
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_IO,
                   _("The certificate authority file “%s” could not be written: %s"),
                   path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_key (const char  *path,
           EVP_PKEY    *key,
           GError     **error)
{
  /* Secure memory, so the PEM is wiped when the BIO goes. */
  g_autoptr(BIO) bio = BIO_new (BIO_s_secmem ());
  char *data = NULL;
  long len;

  if (bio == NULL || !PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL))
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The key of the certificate authority could not be saved"));
      return FALSE;
    }

  len = BIO_get_mem_data (bio, &data);

  return write_file (path, data, len, 0600, error);
}

static gboolean
write_certificate (const char  *path,
                   X509        *x509,
                   GError     **error)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;

  if (bio == NULL || !PEM_write_bio_X509 (bio, x509))
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The certificate of the certificate authority could not be saved"));
      return FALSE;
    }

  len = BIO_get_mem_data (bio, &data);

  return write_file (path, data, len, 0644, error);
}

static X509_NAME *
name_from_string (const char *rfc4514)
{
  g_autoptr(CabutDn) dn = cabut_dn_new_from_string (rfc4514, NULL);

  g_assert (dn != NULL);

  return X509_NAME_dup (cabut_dn_get_x509_name (dn));
}

static gboolean
create_ca (CabutCa  *self,
           GError  **error)
{
  g_autoptr(X509_NAME) root_name = name_from_string (ROOT_SUBJECT);
  g_autoptr(X509_NAME) issuing_name = name_from_string (ISSUING_SUBJECT);
  g_autoptr(EVP_PKEY) root_key = NULL;
  g_autoptr(EVP_PKEY) issuing_key = NULL;
  g_autoptr(X509) root = NULL;
  g_autoptr(X509) issuing = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) root_end = g_date_time_add_years (now, ROOT_YEARS);
  g_autoptr(GDateTime) issuing_end = g_date_time_add_years (now, ISSUING_YEARS);
  g_autofree char *root_crl_url = g_strconcat (self->base_url, CABUT_CA_PATH_ROOT_CRL, NULL);
  g_autofree char *root_ca_url = g_strconcat (self->base_url, CABUT_CA_PATH_ROOT_CA, NULL);
  g_autofree char *root_cert_path = g_build_filename (self->dir, ROOT_CERT_FILE, NULL);
  g_autofree char *root_key_path = g_build_filename (self->dir, ROOT_KEY_FILE, NULL);
  g_autofree char *issuing_cert_path = g_build_filename (self->dir, ISSUING_CERT_FILE, NULL);
  g_autofree char *issuing_key_path = g_build_filename (self->dir, ISSUING_KEY_FILE, NULL);
  time_t start = g_date_time_to_unix (now) - BACKDATE_SECONDS;

  g_debug ("Creating a demo certificate authority in %s", self->dir);

  root_key = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-384");
  issuing_key = EVP_PKEY_Q_keygen (NULL, NULL, "RSA", (size_t) 3072);
  if (root_key == NULL || issuing_key == NULL)
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The keys of the certificate authority could not be made"));
      return FALSE;
    }

  root = certificate_new (root_name, root_key, NULL, start, g_date_time_to_unix (root_end));
  if (root == NULL ||
      !add_basic_constraints (root, TRUE, -1) ||
      !add_key_usage (root, 1u << KU_BIT_KEY_CERT_SIGN | 1u << KU_BIT_CRL_SIGN) ||
      X509_sign (root, root_key, EVP_sha384 ()) <= 0)
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The root certificate of the certificate authority could not be made"));
      return FALSE;
    }

  /* digitalSignature besides keyCertSign and cRLSign: the issuing CA signs
   * its OCSP responses itself (RFC 6960 §4.2.2.2, CA/B BR §7.1.2.1). */
  issuing = certificate_new (issuing_name, issuing_key, root, start,
                             g_date_time_to_unix (issuing_end));
  if (issuing == NULL ||
      !add_basic_constraints (issuing, TRUE, 0) ||
      !add_key_usage (issuing, 1u << KU_BIT_DIGITAL_SIGNATURE |
                               1u << KU_BIT_KEY_CERT_SIGN |
                               1u << KU_BIT_CRL_SIGN) ||
      !add_crl_distribution_point (issuing, root_crl_url) ||
      !add_authority_info_access (issuing, NULL, root_ca_url) ||
      X509_sign (issuing, root_key, EVP_sha384 ()) <= 0)
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The issuing certificate of the certificate authority could not be made"));
      return FALSE;
    }

  return write_key (root_key_path, root_key, error) &&
         write_key (issuing_key_path, issuing_key, error) &&
         write_certificate (root_cert_path, root, error) &&
         write_certificate (issuing_cert_path, issuing, error);
}

static gboolean
read_file (const char  *path,
           char       **contents,
           gsize       *len,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (path, contents, len, &local_error))
    {
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_IO,
                   _("The certificate authority file “%s” could not be read: %s"),
                   path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static X509 *
load_certificate (const char  *path,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(BIO) bio = NULL;
  X509 *x509;
  gsize len = 0;

  if (!read_file (path, &contents, &len, error))
    return NULL;

  bio = BIO_new_mem_buf (contents, len);
  x509 = bio != NULL ? PEM_read_bio_X509 (bio, NULL, no_password_cb, NULL) : NULL;
  if (x509 == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_DAMAGED,
                   _("The certificate authority file “%s” is damaged"), path);
      return NULL;
    }

  /* Fill the extension caches now, while no other thread can look. */
  X509_check_purpose (x509, -1, 0);

  return x509;
}

static EVP_PKEY *
load_key (const char  *path,
          GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(BIO) bio = NULL;
  EVP_PKEY *key;
  gsize len = 0;

  if (!read_file (path, &contents, &len, error))
    return NULL;

  bio = BIO_new_mem_buf (contents, len);
  key = bio != NULL ? PEM_read_bio_PrivateKey (bio, NULL, no_password_cb, NULL) : NULL;
  OPENSSL_cleanse (contents, len);
  if (key == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_DAMAGED,
                   _("The certificate authority file “%s” is damaged"), path);
      return NULL;
    }

  return key;
}

static GBytes *
x509_to_der (X509 *x509)
{
  unsigned char *der = NULL;
  GBytes *bytes;
  int len;

  len = i2d_X509 (x509, &der);
  if (len <= 0)
    return NULL;

  bytes = cabut_openssl_der_to_bytes (der, len);

  return bytes;
}

static gboolean
load_ca (CabutCa  *self,
         GError  **error)
{
  g_autofree char *root_cert_path = g_build_filename (self->dir, ROOT_CERT_FILE, NULL);
  g_autofree char *root_key_path = g_build_filename (self->dir, ROOT_KEY_FILE, NULL);
  g_autofree char *issuing_cert_path = g_build_filename (self->dir, ISSUING_CERT_FILE, NULL);
  g_autofree char *issuing_key_path = g_build_filename (self->dir, ISSUING_KEY_FILE, NULL);
  g_autoptr(BIO) chain = NULL;
  EVP_PKEY *root_public;
  char *data = NULL;
  long len;

  if (!(self->root = load_certificate (root_cert_path, error)) ||
      !(self->root_key = load_key (root_key_path, error)) ||
      !(self->issuing = load_certificate (issuing_cert_path, error)) ||
      !(self->issuing_key = load_key (issuing_key_path, error)))
    return FALSE;

  root_public = X509_get0_pubkey (self->root);
  if (root_public == NULL ||
      X509_check_private_key (self->root, self->root_key) != 1 ||
      X509_check_private_key (self->issuing, self->issuing_key) != 1 ||
      X509_verify (self->root, root_public) != 1 ||
      X509_check_issued (self->root, self->issuing) != X509_V_OK ||
      X509_verify (self->issuing, root_public) != 1 ||
      X509_check_ca (self->issuing) == 0 ||
      X509_get0_subject_key_id (self->issuing) == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_DAMAGED,
                   _("The files of the certificate authority in “%s” do not belong together"),
                   self->dir);
      return FALSE;
    }

  chain = BIO_new (BIO_s_mem ());
  if (chain == NULL ||
      !PEM_write_bio_X509 (chain, self->issuing) ||
      !PEM_write_bio_X509 (chain, self->root))
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The certificates of the certificate authority could not be encoded"));
      return FALSE;
    }
  len = BIO_get_mem_data (chain, &data);
  self->chain_pem = g_bytes_new (data, len);
  self->issuing_der = x509_to_der (self->issuing);
  self->root_der = x509_to_der (self->root);
  if (self->issuing_der == NULL || self->root_der == NULL)
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The certificates of the certificate authority could not be encoded"));
      return FALSE;
    }

  return TRUE;
}

/* The base URL without trailing slashes, or %NULL if the certificates
 * cannot point at it. */
static char *
normalize_base_url (const char  *base_url,
                    GError     **error)
{
  g_autofree char *url = g_strdup (base_url);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  gsize len = strlen (url);
  gboolean printable = TRUE;

  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';

  /* The extensions hold IA5Strings: plain ASCII, and no white space in a URI. */
  for (const char *p = url; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      printable = FALSE;

  if (printable)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      host == NULL || *host == '\0' ||
      g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_URL,
                   _("“%s” is not an address certificates can point to: it must start with "
                     "http:// or https://, name a host, and have no query or fragment"),
                   base_url);
      return NULL;
    }

  return g_steal_pointer (&url);
}

static GBytes *
make_pkcs12 (CabutCa     *self,
             EVP_PKEY    *key,
             X509        *leaf,
             const char  *friendly_name,
             const char  *password,
             GError     **error)
{
  g_autoptr(CabutX509Stack) chain = sk_X509_new_null ();
  g_autoptr(PKCS12) p12 = NULL;
  unsigned char *der = NULL;
  GBytes *bytes;
  int len;

  if (chain == NULL ||
      !X509_up_ref (self->issuing) || !sk_X509_push (chain, self->issuing) ||
      !X509_up_ref (self->root) || !sk_X509_push (chain, self->root))
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The PKCS#12 file could not be made"));
      return NULL;
    }

  /* PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC for the key and the
   * certificates, and an HMAC-SHA256 MAC: what current Windows, macOS and
   * OpenSSL 3 make and open. The MAC is set separately (-1 here) to name
   * its digest rather than rely on the library default. */
  p12 = PKCS12_create_ex (password, friendly_name, key, leaf, chain,
                          NID_aes_256_cbc, NID_aes_256_cbc,
                          PKCS12_DEFAULT_ITER, -1, 0, NULL, NULL);
  if (p12 == NULL ||
      !PKCS12_set_mac (p12, password, -1, NULL, 0, PKCS12_DEFAULT_ITER, EVP_sha256 ()) ||
      (len = i2d_PKCS12 (p12, &der)) <= 0)
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The PKCS#12 file could not be made"));
      return NULL;
    }

  bytes = cabut_openssl_der_to_bytes (der, len);

  return bytes;
}

static void
cabut_ca_finalize (GObject *object)
{
  CabutCa *self = (CabutCa *)object;

  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->crl_url, g_free);
  g_clear_pointer (&self->ocsp_url, g_free);
  g_clear_pointer (&self->ca_issuers_url, g_free);
  g_clear_pointer (&self->root, X509_free);
  g_clear_pointer (&self->root_key, EVP_PKEY_free);
  g_clear_pointer (&self->issuing, X509_free);
  g_clear_pointer (&self->issuing_key, EVP_PKEY_free);
  g_clear_pointer (&self->chain_pem, g_bytes_unref);
  g_clear_pointer (&self->issuing_der, g_bytes_unref);
  g_clear_pointer (&self->root_der, g_bytes_unref);

  G_OBJECT_CLASS (cabut_ca_parent_class)->finalize (object);
}

static void
cabut_ca_class_init (CabutCaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cabut_ca_finalize;
}

static void
cabut_ca_init (CabutCa *self)
{
}

/**
 * cabut_ca_open_or_create:
 * @dir: the folder that holds the CA's keys and certificates
 * @base_url: where the server is reached, e.g. "http://127.0.0.1:8480"
 *
 * Loads the certificate authority kept in @dir. When @dir does not exist or
 * holds none of the CA's files, first creates a fictional two-level CA
 * there: an EC P-384 root valid for 20 years and an RSA 3072 issuing CA
 * valid for 10. Keys are written with mode 0600, certificates with 0644.
 * A folder with only some of the files is refused rather than overwritten.
 *
 * @base_url goes into the extensions of the certificates made from now on
 * (CRL distribution point, OCSP responder, CA issuers); the paths under it
 * are the CABUT_CA_PATH_* ones.
 *
 * Blocks, for seconds when it has to make keys.
 *
 * Returns: (transfer full): the CA, or %NULL with @error set
 */
CabutCa *
cabut_ca_open_or_create (const char  *dir,
                         const char  *base_url,
                         GError     **error)
{
  g_autoptr(CabutCa) self = NULL;
  static const char * const files[] = {
    ROOT_CERT_FILE, ROOT_KEY_FILE, ISSUING_CERT_FILE, ISSUING_KEY_FILE,
  };
  const char *missing = NULL;
  guint n_present = 0;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cabut_openssl_init ();

  self = g_object_new (CABUT_TYPE_CA, NULL);
  self->dir = g_strdup (dir);
  if (!(self->base_url = normalize_base_url (base_url, error)))
    return NULL;
  self->crl_url = g_strconcat (self->base_url, CABUT_CA_PATH_CRL, NULL);
  self->ocsp_url = g_strconcat (self->base_url, CABUT_CA_PATH_OCSP, NULL);
  self->ca_issuers_url = g_strconcat (self->base_url, CABUT_CA_PATH_CA, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        n_present++;
      else if (missing == NULL)
        missing = files[i];
    }

  if (n_present > 0 && n_present < G_N_ELEMENTS (files))
    {
      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INCOMPLETE,
                   _("The folder “%s” holds only part of a certificate authority: “%s” is "
                     "missing. Restore it, or move the folder’s files away to create a new "
                     "certificate authority."),
                   dir, missing);
      return NULL;
    }

  if (n_present == 0)
    {
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_IO,
                       _("The folder “%s” for the certificate authority could not be made: %s"),
                       dir, g_strerror (saved_errno));
          return NULL;
        }

      if (!create_ca (self, error))
        return NULL;
    }

  if (!load_ca (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/** cabut_ca_get_base_url: Returns: the base URL, without a trailing slash */
const char *
cabut_ca_get_base_url (CabutCa *self)
{
  g_return_val_if_fail (CABUT_IS_CA (self), NULL);

  return self->base_url;
}

/** cabut_ca_get_chain_pem: Returns: (transfer full): the issuing CA then the root, as PEM */
GBytes *
cabut_ca_get_chain_pem (CabutCa *self)
{
  g_return_val_if_fail (CABUT_IS_CA (self), NULL);

  return g_bytes_ref (self->chain_pem);
}

/** cabut_ca_get_issuing_der: Returns: (transfer full): the issuing CA certificate, DER */
GBytes *
cabut_ca_get_issuing_der (CabutCa *self)
{
  g_return_val_if_fail (CABUT_IS_CA (self), NULL);

  return g_bytes_ref (self->issuing_der);
}

/** cabut_ca_get_root_der: Returns: (transfer full): the root certificate, DER */
GBytes *
cabut_ca_get_root_der (CabutCa *self)
{
  g_return_val_if_fail (CABUT_IS_CA (self), NULL);

  return g_bytes_ref (self->root_der);
}

/** cabut_ca_get_issuing_x509: Returns: (transfer none): the issuing CA certificate */
X509 *
cabut_ca_get_issuing_x509 (CabutCa *self)
{
  g_return_val_if_fail (CABUT_IS_CA (self), NULL);

  return self->issuing;
}

/** cabut_ca_get_root_x509: Returns: (transfer none): the root certificate */
X509 *
cabut_ca_get_root_x509 (CabutCa *self)
{
  g_return_val_if_fail (CABUT_IS_CA (self), NULL);

  return self->root;
}

/**
 * cabut_ca_issue:
 * @subject: the subscriber's name
 * @not_before: the start of validity
 * @not_after: the end of validity; no later than the issuing CA's own
 * @p12_password: the password of the PKCS#12 file
 * @out_p12: (out) (optional) (transfer full): the new key, the certificate and the
 *   chain, as PKCS#12
 * @out_cert_pem: (out) (optional) (transfer full): the certificate alone, as PEM
 * @out_serial: (out) (optional) (transfer full): its serial number, uppercase hex
 *
 * Makes a new RSA 2048 key and a certificate for it, for signing
 * documents and mail: keyUsage digitalSignature and nonRepudiation,
 * extendedKeyUsage emailProtection and clientAuth, and pointers to this
 * CA's CRL, OCSP responder and certificate. An emailAddress in @subject
 * is repeated in the subjectAltName. The key leaves this function only
 * inside the PKCS#12 file. Blocks while the key is made.
 *
 * Returns: %TRUE on success, or %FALSE with @error set
 */
gboolean
cabut_ca_issue (CabutCa        *self,
                const CabutDn  *subject,
                GDateTime      *not_before,
                GDateTime      *not_after,
                const char     *p12_password,
                GBytes        **out_p12,
                char          **out_cert_pem,
                char          **out_serial,
                GError        **error)
{
  const X509_NAME *name;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(X509) x509 = NULL;
  g_autoptr(GBytes) p12 = NULL;
  g_autoptr(BIO) pem = NULL;
  g_autofree char *friendly_name = NULL;
  time_t start;
  time_t end;

  g_return_val_if_fail (CABUT_IS_CA (self), FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);
  g_return_val_if_fail (not_before != NULL, FALSE);
  g_return_val_if_fail (not_after != NULL, FALSE);
  g_return_val_if_fail (out_p12 == NULL || p12_password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = cabut_dn_get_x509_name (subject);
  if (X509_NAME_entry_count (name) == 0)
    {
      g_set_error_literal (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_SUBJECT,
                           _("A certificate cannot be made for an empty name"));
      return FALSE;
    }

  start = g_date_time_to_unix (not_before);
  end = g_date_time_to_unix (not_after);
  if (start >= end)
    {
      g_set_error_literal (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_VALIDITY,
                           _("The certificate would expire before it becomes valid"));
      return FALSE;
    }
  if (ASN1_TIME_cmp_time_t (X509_get0_notAfter (self->issuing), end) < 0)
    {
      g_autoptr(GDateTime) ca_end = cabut_openssl_time_to_date_time (X509_get0_notAfter (self->issuing));
      g_autofree char *date = ca_end != NULL ? g_date_time_format (ca_end, "%Y-%m-%d") : g_strdup ("?");

      g_set_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_VALIDITY,
                   _("The certificate would outlive the certificate authority that issues it, "
                     "which expires on %s"), date);
      return FALSE;
    }
  if (ASN1_TIME_cmp_time_t (X509_get0_notBefore (self->issuing), start) > 0)
    {
      g_set_error_literal (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_VALIDITY,
                           _("The certificate would become valid before the certificate "
                             "authority that issues it"));
      return FALSE;
    }

  key = EVP_PKEY_Q_keygen (NULL, NULL, "RSA", (size_t) 2048);
  if (key == NULL)
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("A key for the certificate could not be made"));
      return FALSE;
    }

  x509 = certificate_new (name, key, self->issuing, start, end);
  if (x509 == NULL ||
      !add_basic_constraints (x509, FALSE, -1) ||
      !add_key_usage (x509, 1u << KU_BIT_DIGITAL_SIGNATURE | 1u << KU_BIT_NON_REPUDIATION) ||
      !add_extended_key_usage (x509) ||
      !add_subject_alt_name_emails (x509, name) ||
      !add_crl_distribution_point (x509, self->crl_url) ||
      !add_authority_info_access (x509, self->ocsp_url, self->ca_issuers_url) ||
      X509_sign (x509, self->issuing_key, EVP_sha256 ()) <= 0)
    {
      cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The certificate could not be made"));
      return FALSE;
    }

  if (out_p12 != NULL)
    {
      friendly_name = cabut_dn_dup_common_name (subject);
      p12 = make_pkcs12 (self, key, x509, friendly_name, p12_password, error);
      if (p12 == NULL)
        return FALSE;
    }

  if (out_cert_pem != NULL)
    {
      pem = BIO_new (BIO_s_mem ());
      if (pem == NULL || !PEM_write_bio_X509 (pem, x509))
        {
          cabut_ca_set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                             _("The certificate could not be made"));
          return FALSE;
        }
      *out_cert_pem = cabut_openssl_bio_steal (pem);
    }

  if (out_serial != NULL)
    *out_serial = cabut_openssl_serial_string (X509_get0_serialNumber (x509));
  if (out_p12 != NULL)
    *out_p12 = g_steal_pointer (&p12);

  return TRUE;
}
