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

G_DEFINE_FINAL_TYPE (CabutCa, cabut_ca, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-ca-error-quark, cabut_ca_error)

#define ROOT_SUBJECT    "CN=Cabut Demo Root CA,O=Cabut Demo (Fiktif),C=ID"
#define ISSUING_SUBJECT "CN=Cabut Demo CA DS,O=Cabut Demo (Fiktif),C=ID"

#define ROOT_YEARS    20
#define ISSUING_YEARS 10
/* CA certificates start a little in the past, for peers whose clocks lag. */
#define BACKDATE_SECONDS (60 * 60)
#define OCSP_VALIDITY_SECONDS (60 * 60)
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

static void
set_openssl_error (GError     **error,
                   int          code,
                   const char  *message)
{
  g_autofree char *detail = cabut_openssl_error_string ();

  g_debug ("%s (%s)", message, detail);
  g_set_error_literal (error, CABUT_CA_ERROR, code, message);
}

static time_t
now_unix (void)
{
  return (time_t) (g_get_real_time () / G_USEC_PER_SEC);
}

/* Hex digits, either case, optionally negative, at most 20 octets (RFC 5280 §4.1.2.2). */
static ASN1_INTEGER *
serial_from_string (const char *str)
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

static AUTHORITY_KEYID *
authority_key_id_new (X509 *issuer)
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
  g_autoptr(AUTHORITY_KEYID) akid = authority_key_id_new (issuer);

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
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
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
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
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
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The keys of the certificate authority could not be made"));
      return FALSE;
    }

  root = certificate_new (root_name, root_key, NULL, start, g_date_time_to_unix (root_end));
  if (root == NULL ||
      !add_basic_constraints (root, TRUE, -1) ||
      !add_key_usage (root, 1u << KU_BIT_KEY_CERT_SIGN | 1u << KU_BIT_CRL_SIGN) ||
      X509_sign (root, root_key, EVP_sha384 ()) <= 0)
    {
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
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
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
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
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The certificates of the certificate authority could not be encoded"));
      return FALSE;
    }
  len = BIO_get_mem_data (chain, &data);
  self->chain_pem = g_bytes_new (data, len);
  self->issuing_der = x509_to_der (self->issuing);
  self->root_der = x509_to_der (self->root);
  if (self->issuing_der == NULL || self->root_der == NULL)
    {
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
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
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
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
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
                         _("The PKCS#12 file could not be made"));
      return NULL;
    }

  bytes = cabut_openssl_der_to_bytes (der, len);

  return bytes;
}

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
  g_autoptr(ASN1_INTEGER) serial = serial_from_string (entry->serial);
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
  set_openssl_error (error, CABUT_CA_ERROR_FAILED, _("The revocation list could not be made"));
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
  g_autoptr(AUTHORITY_KEYID) akid = authority_key_id_new (issuer);
  unsigned char *der = NULL;
  time_t now = now_unix ();
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
  set_openssl_error (error, CABUT_CA_ERROR_FAILED, _("The revocation list could not be made"));
  return NULL;
}

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
          revocation_time = ASN1_TIME_set (NULL, now_unix ());
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
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
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
      set_openssl_error (error, CABUT_CA_ERROR_FAILED,
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
          set_openssl_error (error, CABUT_CA_ERROR_FAILED,
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
  time_t now = now_unix ();
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
