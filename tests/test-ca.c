/* test-ca.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cabut-ca-private.h"
#include "cabut-core.h"
#include "cabut-test-util.h"

#define BASE_URL "http://127.0.0.1:8480"

/* One CA and two subscribers, made once: keys take long to make, the
 * more so under valgrind. */
static struct
{
  char    *tmp;
  char    *ca_dir;
  CabutCa *ca;
  char    *root_pem;
  char    *issuing_pem;
  char    *chain_pem;
  char    *good_pem;
  char    *good_serial;
  char    *revoked_pem;
  char    *revoked_serial;
} fx;


static char *
tmp_path (const char *name)
{
  return g_build_filename (fx.tmp, name, NULL);
}

static char *
write_tmp (const char *name,
           const void *data,
           gssize      len)
{
  char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);

  return path;
}

static char *
write_tmp_bytes (const char *name,
                 GBytes     *bytes)
{
  return write_tmp (name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

/* Runs the openssl command-line tool, an outside peer, and keeps both what
 * it prints and what it complains about: several of its verdicts ("verify
 * OK", PKCS#12 details) go to stderr. */
static char *
openssl_full (int        *exit_status,
              char      **err,
              const char *first_arg,
              ...) G_GNUC_NULL_TERMINATED;

static char *
openssl_full (int        *exit_status,
              char      **err,
              const char *first_arg,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *openssl = g_getenv ("OPENSSL");
  char *out = NULL;
  va_list ap;

  g_ptr_array_add (argv, openssl != NULL ? g_strdup (openssl) : g_find_program_in_path ("openssl"));
  g_assert_nonnull (argv->pdata[0]);
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (cabut_test_run ((const char * const *) argv->pdata, NULL, &out, err, exit_status));

  return out;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

static void
assert_not_contains (const char *haystack,
                     const char *needle)
{
  g_assert_nonnull (haystack);
  if (strstr (haystack, needle) != NULL)
    g_error ("“%s” unexpectedly found in:\n%s", needle, haystack);
}

static mode_t
current_umask (void)
{
  mode_t mask = umask (0);

  umask (mask);

  return mask;
}

static void
assert_mode (const char *path,
             mode_t      expected)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, expected & ~current_umask ());
}

static char *
sha256_of (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static void
issue (const char  *subject,
       const char  *name,
       char       **out_pem_path,
       char       **out_serial)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutDn) dn = cabut_dn_new_from_string (subject, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) end = g_date_time_add_years (now, 1);
  g_autofree char *pem = NULL;

  g_assert_no_error (error);
  g_assert_true (cabut_ca_issue (fx.ca, dn, now, end, NULL, NULL, &pem, out_serial, &error));
  g_assert_no_error (error);

  *out_pem_path = write_tmp (name, pem, -1);
}

static void
test_create_reopen (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCa) again = NULL;
  g_autoptr(GBytes) chain = cabut_ca_get_chain_pem (fx.ca);
  g_autoptr(GBytes) chain_again = NULL;
  g_autoptr(GBytes) issuing = cabut_ca_get_issuing_der (fx.ca);
  g_autoptr(GBytes) issuing_again = NULL;
  g_autoptr(GBytes) root = cabut_ca_get_root_der (fx.ca);
  g_autoptr(GBytes) root_again = NULL;
  g_autoptr(CabutCertificate) root_cert = NULL;
  g_autoptr(CabutCertificate) issuing_cert = NULL;
  g_autofree char *root_fpr = NULL;
  g_autofree char *root_fpr_again = NULL;
  g_autofree char *issuing_fpr = NULL;
  g_autofree char *issuing_fpr_again = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;
  const char *keys[] = { "root-ca.key", "issuing-ca.key" };
  const char *certs[] = { "root-ca.pem", "issuing-ca.pem" };

  /* The folder did not exist: it was made, private. */
  assert_mode (fx.ca_dir, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *path = g_build_filename (fx.ca_dir, keys[i], NULL);
      g_autoptr(GBytes) contents = read_bytes (path);

      assert_mode (path, 0600);
      assert_contains (g_bytes_get_data (contents, NULL), "-----BEGIN PRIVATE KEY-----");
    }
  for (guint i = 0; i < G_N_ELEMENTS (certs); i++)
    {
      g_autofree char *path = g_build_filename (fx.ca_dir, certs[i], NULL);

      assert_mode (path, 0644);
    }

  /* Opening again loads the same CA, whatever the trailing slash. */
  again = cabut_ca_open_or_create (fx.ca_dir, BASE_URL "/", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cabut_ca_get_base_url (again), ==, BASE_URL);
  chain_again = cabut_ca_get_chain_pem (again);
  issuing_again = cabut_ca_get_issuing_der (again);
  root_again = cabut_ca_get_root_der (again);
  g_assert_true (g_bytes_equal (chain, chain_again));
  issuing_fpr = sha256_of (issuing);
  issuing_fpr_again = sha256_of (issuing_again);
  g_assert_cmpstr (issuing_fpr, ==, issuing_fpr_again);
  root_fpr = sha256_of (root);
  root_fpr_again = sha256_of (root_again);
  g_assert_cmpstr (root_fpr, ==, root_fpr_again);
  g_assert_true (X509_cmp (cabut_ca_get_issuing_x509 (fx.ca), cabut_ca_get_issuing_x509 (again)) == 0);

  /* The chain is the issuing CA, then the root. */
  root_cert = cabut_certificate_new_from_bytes (root, NULL, &error);
  g_assert_no_error (error);
  issuing_cert = cabut_certificate_new_from_bytes (issuing, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cabut_certificate_get_subject_string (root_cert), ==,
                   "CN=Cabut Demo Root CA,O=Cabut Demo (Fiktif),C=ID");
  g_assert_cmpstr (cabut_certificate_get_issuer_string (root_cert), ==,
                   "CN=Cabut Demo Root CA,O=Cabut Demo (Fiktif),C=ID");
  g_assert_cmpstr (cabut_certificate_get_subject_string (issuing_cert), ==,
                   "CN=Cabut Demo CA DS,O=Cabut Demo (Fiktif),C=ID");
  g_assert_cmpstr (cabut_certificate_get_issuer_string (issuing_cert), ==,
                   "CN=Cabut Demo Root CA,O=Cabut Demo (Fiktif),C=ID");
  g_assert_cmpstr (cabut_certificate_get_key_type (root_cert), ==, "EC");
  g_assert_cmpstr (cabut_certificate_get_key_curve (root_cert), ==, "secp384r1");
  g_assert_cmpstr (cabut_certificate_get_key_type (issuing_cert), ==, "RSA");
  g_assert_cmpuint (cabut_certificate_get_key_bits (issuing_cert), ==, 3072);
  g_assert_cmpint (g_date_time_get_year (cabut_certificate_get_not_after (root_cert)) -
                   g_date_time_get_year (cabut_certificate_get_not_before (root_cert)), >=, 20);
  g_assert_cmpint (g_date_time_get_year (cabut_certificate_get_not_after (issuing_cert)) -
                   g_date_time_get_year (cabut_certificate_get_not_before (issuing_cert)), >=, 10);
  g_assert_cmpint (g_date_time_get_year (cabut_certificate_get_not_after (issuing_cert)) -
                   g_date_time_get_year (cabut_certificate_get_not_before (issuing_cert)), <=, 11);

  /* The outside view: openssl accepts the issuing CA under the root. */
  out = openssl_full (&status, &err, "verify", "-x509_strict", "-CAfile", fx.root_pem,
                      fx.issuing_pem, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, ": OK");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = openssl_full (&status, &err, "x509", "-in", fx.issuing_pem, "-noout", "-text", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0");
  assert_contains (out, "X509v3 Key Usage: critical\n"
                   "                Digital Signature, Certificate Sign, CRL Sign");
  assert_contains (out, "Public-Key: (3072 bit)");
  assert_contains (out, "URI:" BASE_URL "/pki/root-crl");
  assert_contains (out, "CA Issuers - URI:" BASE_URL "/pki/root-ca");
  assert_contains (out, "X509v3 Subject Key Identifier");
  assert_contains (out, "X509v3 Authority Key Identifier");
  assert_contains (out, "Signature Algorithm: ecdsa-with-SHA384");
  assert_not_contains (out, "BSrE");
  assert_not_contains (out, "BSSN");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = openssl_full (&status, &err, "x509", "-in", fx.root_pem, "-noout", "-text", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "X509v3 Basic Constraints: critical\n                CA:TRUE\n");
  assert_contains (out, "X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign\n");
  assert_contains (out, "NIST CURVE: P-384");
}

static char *
copy_ca_dir (const char *skip,
             const char *key_instead)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-ca-copy-XXXXXX", NULL);
  const char *files[] = { "root-ca.pem", "root-ca.key", "issuing-ca.pem", "issuing-ca.key" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from = g_build_filename (fx.ca_dir, files[i], NULL);
      g_autofree char *to = g_build_filename (dir, files[i], NULL);
      g_autoptr(GBytes) contents = NULL;

      if (g_strcmp0 (files[i], skip) == 0)
        continue;
      if (g_strcmp0 (files[i], "issuing-ca.key") == 0 && key_instead != NULL)
        {
          g_free (from);
          from = g_build_filename (fx.ca_dir, key_instead, NULL);
        }
      contents = read_bytes (from);
      g_assert_true (g_file_set_contents (to, g_bytes_get_data (contents, NULL),
                                          g_bytes_get_size (contents), NULL));
    }

  return g_steal_pointer (&dir);
}

static void
test_refuses_broken (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCa) ca = NULL;
  g_autofree char *incomplete = copy_ca_dir ("issuing-ca.key", NULL);
  g_autofree char *mismatched = copy_ca_dir (NULL, "root-ca.key");
  g_autofree char *empty = g_dir_make_tmp ("cabut-ca-empty-XXXXXX", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *bad_urls[] = {
    "ftp://127.0.0.1/pki",
    "127.0.0.1:8480",
    "http://",
    "http://127.0.0.1:8480/?x=1",
    "http://127.0.0.1:8480/#top",
    "http://user@127.0.0.1:8480",
    "http://127.0.0.1:8480/d\xc3\xa9mo",
    "http://127.0.0.1:8480/a b",
    "",
  };

  /* Part of a CA is never overwritten by a new one. */
  ca = cabut_ca_open_or_create (incomplete, BASE_URL, &error);
  g_assert_null (ca);
  g_assert_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INCOMPLETE);
  assert_contains (error->message, "issuing-ca.key");
  g_clear_error (&error);

  ca = cabut_ca_open_or_create (mismatched, BASE_URL, &error);
  g_assert_null (ca);
  g_assert_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_DAMAGED);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad_urls); i++)
    {
      ca = cabut_ca_open_or_create (empty, bad_urls[i], &error);
      g_assert_null (ca);
      g_assert_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_URL);
      g_clear_error (&error);
    }
  /* A bad URL is refused before any file is made. */
  dir = g_dir_open (empty, 0, NULL);
  g_assert_null (g_dir_read_name (dir));

  cabut_test_rm_rf (incomplete);
  cabut_test_rm_rf (mismatched);
  cabut_test_rm_rf (empty);
}

static void
test_issue (void)
{
  const char *subject = "emailAddress=ayu.segara@contoh.go.id,"
                        "CN=Ni Luh Putu Ayu S\xc3\xa9gara,"
                        "OU=Dinas Komunikasi dan Informatika,"
                        "O=Pemerintah Kota Contoh,C=ID";
  const char *password = "rahasia-123";
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutDn) dn = cabut_dn_new_from_string (subject, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) not_before = g_date_time_add_minutes (now, -5);
  g_autoptr(GDateTime) not_after = g_date_time_add_years (now, 2);
  g_autoptr(GBytes) p12 = NULL;
  g_autoptr(CabutCertificate) cert = NULL;
  g_autoptr(CabutCertificate) cert_pem = NULL;
  g_autoptr(GBytes) pem_bytes = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *dn_string = cabut_dn_to_string (dn);
  g_autofree char *expected = NULL;
  g_autofree char *leaf_path = NULL;
  g_autofree char *p12_path = NULL;
  g_autofree char *pass = g_strdup_printf ("pass:%s", password);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char * const *eku;
  GPtrArray *extra;
  int status = -1;

  g_assert_no_error (error);
  g_assert_true (cabut_ca_issue (fx.ca, dn, not_before, not_after, password,
                                 &p12, &pem, &serial, &error));
  g_assert_no_error (error);
  g_assert_nonnull (p12);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN CERTIFICATE-----\n"));
  /* 16 random bytes, positive, no leading zero byte. */
  g_assert_cmpuint (strlen (serial), ==, 32);
  g_assert_true (g_regex_match_simple ("^[4-7][0-9A-F]{31}$", serial, 0, 0));

  leaf_path = write_tmp ("issued.pem", pem, -1);
  p12_path = write_tmp_bytes ("issued.p12", p12);

  /* The chain holds, for document and mail signing. */
  out = openssl_full (&status, &err, "verify", "-x509_strict", "-purpose", "smimesign",
                      "-CAfile", fx.root_pem, "-untrusted", fx.issuing_pem, leaf_path, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "issued.pem: OK");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = openssl_full (&status, &err, "x509", "-in", leaf_path, "-noout", "-text", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "Version: 3 (0x2)");
  assert_contains (out, "Signature Algorithm: sha256WithRSAEncryption");
  assert_contains (out, "Public-Key: (2048 bit)");
  assert_contains (out, "X509v3 Key Usage: critical\n"
                   "                Digital Signature, Non Repudiation\n");
  assert_contains (out, "X509v3 Extended Key Usage: \n"
                   "                E-mail Protection, TLS Web Client Authentication\n");
  assert_contains (out, "X509v3 Basic Constraints: \n                CA:FALSE\n");
  assert_contains (out, "X509v3 CRL Distribution Points: \n"
                   "                Full Name:\n"
                   "                  URI:" BASE_URL "/pki/crl\n");
  assert_contains (out, "Authority Information Access: \n"
                   "                OCSP - URI:" BASE_URL "/pki/ocsp\n"
                   "                CA Issuers - URI:" BASE_URL "/pki/ca\n");
  assert_contains (out, "X509v3 Subject Alternative Name: \n"
                   "                email:ayu.segara@contoh.go.id\n");
  assert_contains (out, "X509v3 Subject Key Identifier");
  assert_contains (out, "X509v3 Authority Key Identifier");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = openssl_full (&status, &err, "x509", "-in", leaf_path, "-noout", "-serial", NULL);
  expected = g_strdup_printf ("serial=%s\n", serial);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&expected, g_free);

  out = openssl_full (&status, &err, "x509", "-in", leaf_path, "-noout", "-subject",
                      "-nameopt", "RFC2253,-esc_msb", NULL);
  expected = g_strdup_printf ("subject=%s\n", dn_string);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The PKCS#12 file opens with openssl, made the modern way. */
  out = openssl_full (&status, &err, "pkcs12", "-info", "-noout", "-in", p12_path,
                      "-passin", pass, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (err, "MAC: sha256");
  assert_contains (err, "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC");
  assert_contains (err, "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC");
  assert_contains (err, "PRF hmacWithSHA256");
  assert_not_contains (err, "RC2");
  assert_not_contains (err, "3DES");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = openssl_full (&status, &err, "pkcs12", "-in", p12_path, "-passin", pass,
                      "-nokeys", "-clcerts", NULL);
  g_assert_cmpint (status, ==, 0);
  /* OpenSSL 3.0 prints the BMPString cut down to 8 bits (Latin-1 here);
   * later versions print UTF-8. */
  if (strstr (out, "friendlyName: Ni Luh Putu Ayu S\xe9" "gara\n") == NULL)
    assert_contains (out, "friendlyName: Ni Luh Putu Ayu S\xc3\xa9gara\n");
  assert_contains (out, "localKeyID: ");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The friendly name is the CN, as UTF-8 once decoded. */
  {
    const unsigned char *p = g_bytes_get_data (p12, NULL);
    g_autoptr(PKCS12) parsed = d2i_PKCS12 (NULL, &p, g_bytes_get_size (p12));
    g_autoptr(EVP_PKEY) key = NULL;
    g_autoptr(X509) leaf = NULL;
    g_autoptr(CabutX509Stack) chain = NULL;
    const unsigned char *alias;
    int alias_len = 0;

    g_assert_nonnull (parsed);
    g_assert_true (PKCS12_parse (parsed, password, &key, &leaf, &chain));
    alias = X509_alias_get0 (leaf, &alias_len);
    g_assert_nonnull (alias);
    g_assert_cmpmem (alias, alias_len, "Ni Luh Putu Ayu S\xc3\xa9gara", 23);
    g_assert_cmpint (sk_X509_num (chain), ==, 2);
  }

  out = openssl_full (&status, &err, "pkcs12", "-info", "-noout", "-in", p12_path,
                      "-passin", "pass:salah", NULL);
  g_assert_cmpint (status, !=, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* And with our own reader. */
  cert = cabut_certificate_new_from_bytes (p12, password, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_certificate_get_format (cert), ==, CABUT_CERTIFICATE_FORMAT_PKCS12);
  g_assert_true (cabut_certificate_has_private_key (cert));
  g_assert_true (cabut_certificate_key_matches (cert));
  extra = cabut_certificate_get_extra_certificates (cert);
  g_assert_cmpuint (extra->len, ==, 2);
  g_assert_cmpstr (cabut_certificate_get_subject_string (g_ptr_array_index (extra, 0)), ==,
                   "CN=Cabut Demo CA DS,O=Cabut Demo (Fiktif),C=ID");
  g_assert_cmpstr (cabut_certificate_get_subject_string (g_ptr_array_index (extra, 1)), ==,
                   "CN=Cabut Demo Root CA,O=Cabut Demo (Fiktif),C=ID");
  g_assert_cmpstr (cabut_certificate_get_subject_string (cert), ==, dn_string);
  g_assert_true (cabut_dn_equal (cabut_certificate_get_subject (cert), dn));
  g_assert_cmpstr (cabut_certificate_get_issuer_string (cert), ==,
                   "CN=Cabut Demo CA DS,O=Cabut Demo (Fiktif),C=ID");
  g_assert_cmpstr (cabut_certificate_get_serial (cert), ==, serial);
  g_assert_cmpint (g_date_time_to_unix (cabut_certificate_get_not_before (cert)), ==,
                   g_date_time_to_unix (not_before));
  g_assert_cmpint (g_date_time_to_unix (cabut_certificate_get_not_after (cert)), ==,
                   g_date_time_to_unix (not_after));
  g_assert_cmpuint (cabut_certificate_get_key_bits (cert), ==, 2048);
  g_assert_cmpint (cabut_certificate_get_key_usage (cert), ==,
                   CABUT_KEY_USAGE_DIGITAL_SIGNATURE | CABUT_KEY_USAGE_NON_REPUDIATION);
  eku = cabut_certificate_get_extended_key_usage (cert);
  g_assert_cmpuint (g_strv_length ((GStrv) eku), ==, 2);
  g_assert_true (g_strv_contains (eku, "emailProtection"));
  g_assert_true (g_strv_contains (eku, "clientAuth"));
  g_assert_cmpstr (cabut_certificate_get_crl_urls (cert)[0], ==, BASE_URL "/pki/crl");
  g_assert_cmpstr (cabut_certificate_get_ocsp_urls (cert)[0], ==, BASE_URL "/pki/ocsp");

  /* The PEM is the same certificate. */
  pem_bytes = g_bytes_new_static (pem, strlen (pem));
  cert_pem = cabut_certificate_new_from_bytes (pem_bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cabut_certificate_get_sha256 (cert_pem), ==, cabut_certificate_get_sha256 (cert));
}

static void
test_issue_refuses (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutDn) dn = cabut_dn_new_from_string ("CN=Budi Santoso,C=ID", NULL);
  g_autoptr(CabutDn) empty = cabut_dn_new_from_string ("", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_years (now, 1);
  g_autoptr(GDateTime) far = g_date_time_add_years (now, 30);
  g_autoptr(GDateTime) past = g_date_time_add_years (now, -1);
  g_autoptr(GBytes) p12 = NULL;
  g_autofree char *pem = NULL;

  g_assert_false (cabut_ca_issue (fx.ca, dn, later, now, "x", &p12, &pem, NULL, &error));
  g_assert_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_VALIDITY);
  g_clear_error (&error);

  g_assert_false (cabut_ca_issue (fx.ca, dn, now, now, "x", &p12, &pem, NULL, &error));
  g_assert_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_VALIDITY);
  g_clear_error (&error);

  /* Not beyond the issuing CA's own validity, at either end. */
  g_assert_false (cabut_ca_issue (fx.ca, dn, now, far, "x", &p12, &pem, NULL, &error));
  g_assert_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_VALIDITY);
  g_clear_error (&error);

  g_assert_false (cabut_ca_issue (fx.ca, dn, past, later, "x", &p12, &pem, NULL, &error));
  g_assert_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_VALIDITY);
  g_clear_error (&error);

  g_assert_false (cabut_ca_issue (fx.ca, empty, now, later, "x", &p12, &pem, NULL, &error));
  g_assert_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_SUBJECT);

  g_assert_null (p12);
  g_assert_null (pem);
}

/* The text openssl prints for one entry of a CRL: from its serial to the next. */
static char *
crl_entry_text (const char *text,
                const char *serial)
{
  g_autofree char *marker = g_strdup_printf ("Serial Number: %s\n", serial);
  const char *start = strstr (text, marker);
  const char *end;

  if (start == NULL)
    g_error ("Serial number %s not in the CRL:\n%s", serial, text);
  start += strlen (marker);
  end = strstr (start, "Serial Number: ");
  if (end == NULL)
    end = strstr (start, "Signature Algorithm: ");
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

static char *
der_crl_to_pem (const char *der_path,
                const char *name)
{
  g_autofree char *pem_path = tmp_path (name);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  out = openssl_full (&status, &err, "crl", "-inform", "DER", "-in", der_path,
                      "-out", pem_path, NULL);
  g_assert_cmpint (status, ==, 0);

  return g_steal_pointer (&pem_path);
}

static void
test_crl (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) revoked_at = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) compromised_at = g_date_time_new_utc (2026, 1, 15, 8, 30, 0);
  CabutCaRevokedEntry entries[] = {
    { fx.revoked_serial, revoked_at, 1, compromised_at },
    { "0123456789ABCDEF", revoked_at, 3, NULL },
    { "7E57", revoked_at, CABUT_CA_REASON_NONE, NULL },
    { "4A0B0C0D0E0F", revoked_at, 4, NULL },
    { "5C", revoked_at, 5, NULL },
    { "6D6D", revoked_at, 9, NULL },
    { "0a0b", revoked_at, 0, NULL },
  };
  const char *reasons[] = {
    "Key Compromise", "Affiliation Changed", NULL, "Superseded",
    "Cessation Of Operation", "Privilege Withdrawn", "Unspecified",
  };
  const char *printed_serials[] = {
    fx.revoked_serial, "0123456789ABCDEF", "7E57", "4A0B0C0D0E0F", "5C", "6D6D", "0A0B",
  };
  g_autoptr(GBytes) crl = NULL;
  g_autoptr(GBytes) root_crl = NULL;
  g_autoptr(X509_CRL) parsed = NULL;
  g_autofree char *crl_der = NULL;
  g_autofree char *crl_pem = NULL;
  g_autofree char *root_crl_der = NULL;
  g_autofree char *root_crl_pem = NULL;
  g_autofree char *both_pem = NULL;
  g_autofree char *both = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const unsigned char *p;
  int days = 0;
  int seconds = 0;
  int status = -1;

  crl = cabut_ca_make_crl (fx.ca, entries, G_N_ELEMENTS (entries), 42, 86400, &error);
  g_assert_no_error (error);
  crl_der = write_tmp_bytes ("issuing.crl", crl);

  /* openssl checks the signature against the chain and shows every entry. */
  out = openssl_full (&status, &err, "crl", "-inform", "DER", "-in", crl_der,
                      "-CAfile", fx.chain_pem, "-noout", "-text", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (err, "verify OK");
  assert_contains (out, "Version 2 (0x1)");
  assert_contains (out, "Signature Algorithm: sha256WithRSAEncryption");
  assert_contains (out, "Issuer: C = ID, O = Cabut Demo (Fiktif), CN = Cabut Demo CA DS\n");
  assert_contains (out, "X509v3 CRL Number: \n                42\n");
  assert_contains (out, "X509v3 Authority Key Identifier");
  assert_contains (out, "Next Update: ");
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autofree char *entry = crl_entry_text (out, printed_serials[i]);

      if (reasons[i] != NULL)
        {
          g_autofree char *reason = g_strdup_printf ("X509v3 CRL Reason Code: \n"
                                                     "                %s\n", reasons[i]);
          assert_contains (entry, reason);
        }
      else
        {
          assert_not_contains (entry, "Reason Code");
        }

      if (entries[i].invalidity_date != NULL)
        assert_contains (entry, "Invalidity Date: \n                Jan 15 08:30:00 2026 GMT\n");
      else
        assert_not_contains (entry, "Invalidity Date");
    }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* nextUpdate is the asked-for day after thisUpdate. */
  p = g_bytes_get_data (crl, NULL);
  parsed = d2i_X509_CRL (NULL, &p, g_bytes_get_size (crl));
  g_assert_nonnull (parsed);
  g_assert_true (ASN1_TIME_diff (&days, &seconds, X509_CRL_get0_lastUpdate (parsed),
                                 X509_CRL_get0_nextUpdate (parsed)));
  g_assert_cmpint (days, ==, 1);
  g_assert_cmpint (seconds, ==, 0);
  g_assert_cmpint (ASN1_TIME_cmp_time_t (X509_CRL_get0_lastUpdate (parsed), time (NULL) + 5), <, 0);
  g_assert_cmpint (ASN1_TIME_cmp_time_t (X509_CRL_get0_lastUpdate (parsed), time (NULL) - 60), >, 0);

  /* A relying party finds the revoked certificate revoked, and only that one. */
  crl_pem = der_crl_to_pem (crl_der, "issuing-crl.pem");
  out = openssl_full (&status, &err, "verify", "-crl_check", "-CAfile", fx.chain_pem,
                      "-CRLfile", crl_pem, fx.revoked_pem, NULL);
  g_assert_cmpint (status, !=, 0);
  both = g_strconcat (out, err, NULL);
  assert_contains (both, "certificate revoked");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&both, g_free);

  out = openssl_full (&status, &err, "verify", "-crl_check", "-CAfile", fx.chain_pem,
                      "-CRLfile", crl_pem, fx.good_pem, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, ": OK");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Checking the whole chain needs the root's CRL as well. */
  out = openssl_full (&status, &err, "verify", "-crl_check_all", "-CAfile", fx.chain_pem,
                      "-CRLfile", crl_pem, fx.good_pem, NULL);
  g_assert_cmpint (status, !=, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  root_crl = cabut_ca_make_root_crl (fx.ca, 1, 7 * 86400, &error);
  g_assert_no_error (error);
  root_crl_der = write_tmp_bytes ("root.crl", root_crl);
  out = openssl_full (&status, &err, "crl", "-inform", "DER", "-in", root_crl_der,
                      "-CAfile", fx.root_pem, "-noout", "-text", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (err, "verify OK");
  assert_contains (out, "Issuer: C = ID, O = Cabut Demo (Fiktif), CN = Cabut Demo Root CA\n");
  assert_contains (out, "No Revoked Certificates.");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  root_crl_pem = der_crl_to_pem (root_crl_der, "root-crl.pem");
  {
    g_autoptr(GBytes) a = read_bytes (crl_pem);
    g_autoptr(GBytes) b = read_bytes (root_crl_pem);
    g_autofree char *joined = g_strconcat (g_bytes_get_data (a, NULL),
                                           g_bytes_get_data (b, NULL), NULL);

    both_pem = write_tmp ("both-crls.pem", joined, -1);
  }
  out = openssl_full (&status, &err, "verify", "-crl_check_all", "-CAfile", fx.chain_pem,
                      "-CRLfile", both_pem, fx.good_pem, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, ": OK");
}

static void
test_crl_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) crl = NULL;
  g_autofree char *crl_der = NULL;
  g_autofree char *crl_pem = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  crl = cabut_ca_make_crl (fx.ca, NULL, 0, 1, 3600, &error);
  g_assert_no_error (error);
  crl_der = write_tmp_bytes ("empty.crl", crl);

  out = openssl_full (&status, &err, "crl", "-inform", "DER", "-in", crl_der,
                      "-CAfile", fx.chain_pem, "-noout", "-text", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (err, "verify OK");
  assert_contains (out, "No Revoked Certificates.");
  assert_contains (out, "X509v3 CRL Number: \n                1\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  crl_pem = der_crl_to_pem (crl_der, "empty-crl.pem");
  out = openssl_full (&status, &err, "verify", "-crl_check", "-CAfile", fx.chain_pem,
                      "-CRLfile", crl_pem, fx.revoked_pem, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, ": OK");
}

static void
test_crl_refuses (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const CabutCaRevokedEntry bad[][2] = {
    { { "XYZ", now, 1, NULL } },
    { { "", now, 1, NULL } },
    { { NULL, now, 1, NULL } },
    { { "0102030405060708090A0B0C0D0E0F101112131415", now, 1, NULL } },
    { { "0A", NULL, 1, NULL } },
    { { "0A", now, 7, NULL } },
    { { "0A", now, 8, NULL } },
    { { "0A", now, 11, NULL } },
    { { "0A", now, -2, NULL } },
    { { "0A", now, 1, NULL }, { "0a", now, 4, NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint n = bad[i][1].serial != NULL ? 2 : 1;
      g_autoptr(GBytes) crl = cabut_ca_make_crl (fx.ca, bad[i], n, 1, 3600, &error);

      g_assert_null (crl);
      g_assert_error (error, CABUT_CA_ERROR, CABUT_CA_ERROR_INVALID_ENTRY);
      g_clear_error (&error);
    }
}

typedef struct
{
  const char *good_serial;
  const char *revoked_serial;
  GDateTime  *revoked_at;
  gboolean    forget_time;
  int         calls;            /* atomic */
} Lookup;

static CabutCaStatus
lookup_cb (const char  *serial,
           GDateTime  **revoked_at,
           int         *reason,
           gpointer     user_data)
{
  Lookup *lookup = user_data;

  g_assert_null (*revoked_at);
  g_assert_cmpint (*reason, ==, CABUT_CA_REASON_NONE);
  g_atomic_int_inc (&lookup->calls);

  if (g_strcmp0 (serial, lookup->good_serial) == 0)
    return CABUT_CA_STATUS_GOOD;

  if (g_strcmp0 (serial, lookup->revoked_serial) == 0)
    {
      if (!lookup->forget_time)
        *revoked_at = g_date_time_ref (lookup->revoked_at);
      *reason = 1;
      return CABUT_CA_STATUS_REVOKED;
    }

  return CABUT_CA_STATUS_UNKNOWN;
}

static Lookup *
lookup_new (void)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->good_serial = fx.good_serial;
  lookup->revoked_serial = fx.revoked_serial;
  lookup->revoked_at = g_date_time_new_utc (2026, 2, 3, 4, 5, 6);

  return lookup;
}

static void
lookup_free (Lookup *lookup)
{
  g_date_time_unref (lookup->revoked_at);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

/* Asks openssl to build the request, answers it, and hands back where the
 * response is. */
static char *
answer (Lookup     *lookup,
        const char *name,
        ...) G_GNUC_NULL_TERMINATED;

static char *
answer (Lookup     *lookup,
        const char *name,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *req_name = g_strconcat (name, ".req", NULL);
  g_autofree char *resp_name = g_strconcat (name, ".resp", NULL);
  g_autofree char *req_path = tmp_path (req_name);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) response = NULL;
  const char *openssl = g_getenv ("OPENSSL");
  int status = -1;
  va_list ap;

  g_ptr_array_add (argv, openssl != NULL ? g_strdup (openssl) : g_find_program_in_path ("openssl"));
  g_ptr_array_add (argv, g_strdup ("ocsp"));
  va_start (ap, name);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, g_strdup ("-reqout"));
  g_ptr_array_add (argv, g_strdup (req_path));
  g_ptr_array_add (argv, NULL);

  g_assert_true (cabut_test_run ((const char * const *) argv->pdata, NULL, &out, &err, &status));
  if (status != 0)
    g_error ("openssl ocsp failed: %s", err);

  request = read_bytes (req_path);
  response = cabut_ca_answer_ocsp (fx.ca, request, lookup_cb, lookup);
  g_assert_nonnull (response);

  return write_tmp_bytes (resp_name, response);
}

/* openssl's verdict on a response: what it printed, both streams. */
static char *
check_response (const char *resp_path,
                gboolean    expect_ok,
                ...) G_GNUC_NULL_TERMINATED;

static char *
check_response (const char *resp_path,
                gboolean    expect_ok,
                ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *openssl = g_getenv ("OPENSSL");
  int status = -1;
  va_list ap;

  g_ptr_array_add (argv, openssl != NULL ? g_strdup (openssl) : g_find_program_in_path ("openssl"));
  g_ptr_array_add (argv, g_strdup ("ocsp"));
  g_ptr_array_add (argv, g_strdup ("-respin"));
  g_ptr_array_add (argv, g_strdup (resp_path));
  g_ptr_array_add (argv, g_strdup ("-resp_text"));
  /* The request openssl builds from -issuer and -cert here is not the one
   * that was answered: without a nonce of its own it does not compare them. */
  g_ptr_array_add (argv, g_strdup ("-no_nonce"));
  va_start (ap, expect_ok);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (cabut_test_run ((const char * const *) argv->pdata, NULL, &out, &err, &status));
  if (expect_ok)
    {
      g_assert_cmpint (status, ==, 0);
      assert_contains (err, "Response verify OK");
    }

  return g_strconcat (out, err, NULL);
}

static OCSP_BASICRESP *
parse_basic_response (const char *resp_path)
{
  g_autoptr(GBytes) bytes = read_bytes (resp_path);
  g_autoptr(OCSP_RESPONSE) response = NULL;
  const unsigned char *p = g_bytes_get_data (bytes, NULL);

  response = d2i_OCSP_RESPONSE (NULL, &p, g_bytes_get_size (bytes));
  g_assert_nonnull (response);
  g_assert_cmpint (OCSP_response_status (response), ==, OCSP_RESPONSE_STATUS_SUCCESSFUL);

  return OCSP_response_get1_basic (response);
}

static void
test_ocsp_good (void)
{
  g_autoptr(Lookup) lookup = lookup_new ();
  g_autoptr(OCSP_BASICRESP) basic = NULL;
  g_autofree char *resp = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *key_hash = NULL;
  const ASN1_OCTET_STRING *responder_key = NULL;
  const X509_NAME *responder_name = NULL;
  ASN1_GENERALIZEDTIME *this_update = NULL;
  ASN1_GENERALIZEDTIME *next_update = NULL;
  int days = -1;
  int seconds = -1;

  resp = answer (lookup, "good", "-issuer", fx.issuing_pem, "-cert", fx.good_pem,
                 "-no_nonce", NULL);
  g_assert_cmpint (lookup->calls, ==, 1);

  text = check_response (resp, TRUE, "-issuer", fx.issuing_pem, "-cert", fx.good_pem,
                         "-CAfile", fx.chain_pem, NULL);
  expected = g_strdup_printf ("%s: good\n", fx.good_pem);
  assert_contains (text, expected);
  assert_contains (text, "OCSP Response Status: successful (0x0)");
  assert_contains (text, "Response Type: Basic OCSP Response");
  assert_contains (text, "Cert Status: good");
  assert_not_contains (text, "OCSP Nonce");
  /* The issuing CA's certificate comes along. */
  assert_contains (text, "Subject: C=ID, O=Cabut Demo (Fiktif), CN=Cabut Demo CA DS\n");

  /* Responder named by key hash; valid an hour from now. */
  basic = parse_basic_response (resp);
  g_assert_true (OCSP_resp_get0_id (basic, &responder_key, &responder_name));
  g_assert_null (responder_name);
  g_assert_nonnull (responder_key);
  key_hash = cabut_openssl_hex (ASN1_STRING_get0_data (responder_key),
                                ASN1_STRING_length (responder_key));
  {
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id (cabut_ca_get_issuing_x509 (fx.ca));
    g_autofree char *ski_hex = cabut_openssl_hex (ASN1_STRING_get0_data (ski),
                                                  ASN1_STRING_length (ski));

    g_assert_cmpstr (key_hash, ==, ski_hex);
  }
  g_assert_cmpint (OCSP_resp_count (basic), ==, 1);
  g_assert_cmpint (OCSP_single_get0_status (OCSP_resp_get0 (basic, 0), NULL, NULL,
                                            &this_update, &next_update),
                   ==, V_OCSP_CERTSTATUS_GOOD);
  g_assert_true (ASN1_TIME_diff (&days, &seconds, this_update, next_update));
  g_assert_cmpint (days, ==, 0);
  g_assert_cmpint (seconds, ==, 3600);
  g_assert_cmpint (ASN1_TIME_cmp_time_t (this_update, time (NULL) + 5), <, 0);
  g_assert_cmpint (ASN1_TIME_cmp_time_t (this_update, time (NULL) - 60), >, 0);
}

/* The hex of the nonce openssl prints under "OCSP Nonce:". */
static char *
printed_nonce (const char *text)
{
  const char *start = strstr (text, "OCSP Nonce: \n");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("OCSP Nonce: \n");
  while (*start == ' ')
    start++;
  end = strchr (start, '\n');
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

static void
test_ocsp_revoked_with_nonce (void)
{
  g_autoptr(Lookup) lookup = lookup_new ();
  g_autofree char *resp = NULL;
  g_autofree char *req = tmp_path ("revoked.req");
  g_autofree char *other_req = tmp_path ("revoked-other.req");
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *req_text = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *req_nonce = NULL;
  g_autofree char *resp_nonce = NULL;
  int status = -1;

  resp = answer (lookup, "revoked", "-issuer", fx.issuing_pem, "-cert", fx.revoked_pem, NULL);

  text = check_response (resp, TRUE, "-issuer", fx.issuing_pem, "-cert", fx.revoked_pem,
                         "-CAfile", fx.chain_pem, NULL);
  expected = g_strdup_printf ("%s: revoked\n", fx.revoked_pem);
  assert_contains (text, expected);
  assert_contains (text, "Reason: keyCompromise");
  assert_contains (text, "Revocation Time: Feb  3 04:05:06 2026 GMT");

  /* The nonce comes back as it went: openssl compares it with the request
   * that was sent... */
  out = openssl_full (&status, &err, "ocsp", "-reqin", req, "-respin", resp,
                      "-CAfile", fx.chain_pem, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (err, "Response verify OK");
  assert_not_contains (err, "Nonce Verify error");
  assert_not_contains (err, "WARNING");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* ...and would notice another one. */
  out = openssl_full (&status, &err, "ocsp", "-issuer", fx.issuing_pem, "-cert", fx.revoked_pem,
                      "-reqout", other_req, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = openssl_full (&status, &err, "ocsp", "-reqin", other_req, "-respin", resp,
                      "-CAfile", fx.chain_pem, NULL);
  g_assert_cmpint (status, !=, 0);
  assert_contains (err, "Nonce Verify error");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  req_text = openssl_full (&status, &err, "ocsp", "-reqin", req, "-req_text", NULL);
  g_assert_cmpint (status, ==, 0);
  req_nonce = printed_nonce (req_text);
  resp_nonce = printed_nonce (text);
  g_assert_cmpstr (req_nonce, ==, resp_nonce);
  g_assert_cmpuint (strlen (req_nonce), >, 16);
}

static void
test_ocsp_unknown_and_several (void)
{
  g_autoptr(Lookup) lookup = lookup_new ();
  g_autofree char *resp = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  /* Ours, but not a serial the lookup knows. */
  resp = answer (lookup, "unknown", "-issuer", fx.issuing_pem, "-serial", "0x7E57", NULL);
  text = check_response (resp, TRUE, "-issuer", fx.issuing_pem, "-serial", "0x7E57",
                         "-CAfile", fx.chain_pem, NULL);
  assert_contains (text, "0x7E57: unknown\n");
  g_assert_cmpint (lookup->calls, ==, 1);
  g_clear_pointer (&resp, g_free);
  g_clear_pointer (&text, g_free);

  /* Three questions in one request, three answers in one response. */
  resp = answer (lookup, "several", "-issuer", fx.issuing_pem, "-cert", fx.good_pem,
                 "-cert", fx.revoked_pem, "-serial", "0x7E57", NULL);
  g_assert_cmpint (lookup->calls, ==, 4);
  text = check_response (resp, TRUE, "-issuer", fx.issuing_pem, "-cert", fx.good_pem,
                         "-cert", fx.revoked_pem, "-serial", "0x7E57",
                         "-CAfile", fx.chain_pem, NULL);
  expected = g_strdup_printf ("%s: good\n", fx.good_pem);
  assert_contains (text, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: revoked\n", fx.revoked_pem);
  assert_contains (text, expected);
  assert_contains (text, "Reason: keyCompromise");
  assert_contains (text, "0x7E57: unknown\n");
}

static void
test_ocsp_sha256_cert_id (void)
{
  g_autoptr(Lookup) lookup = lookup_new ();
  g_autofree char *resp = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  resp = answer (lookup, "sha256", "-sha256", "-issuer", fx.issuing_pem, "-cert", fx.good_pem,
                 NULL);
  g_assert_cmpint (lookup->calls, ==, 1);
  text = check_response (resp, TRUE, "-sha256", "-issuer", fx.issuing_pem, "-cert", fx.good_pem,
                         "-CAfile", fx.chain_pem, NULL);
  expected = g_strdup_printf ("%s: good\n", fx.good_pem);
  assert_contains (text, expected);
  assert_contains (text, "Hash Algorithm: sha256");
}

static void
test_ocsp_other_issuer (void)
{
  g_autoptr(Lookup) lookup = lookup_new ();
  const char *other_issuer = cabut_test_fixture_path ("ca-issuing.pem");
  g_autofree char *resp = NULL;
  g_autofree char *text = NULL;
  g_autoptr(OCSP_BASICRESP) basic = NULL;

  /* Same serial as one of ours, different issuer: not ours to say. */
  {
    g_autofree char *serial = g_strconcat ("0x", fx.good_serial, NULL);

    resp = answer (lookup, "other", "-issuer", other_issuer, "-serial", serial, NULL);
    g_assert_cmpint (lookup->calls, ==, 0);
    text = check_response (resp, FALSE, "-issuer", other_issuer, "-serial", serial,
                           "-CAfile", fx.chain_pem, "-noverify", NULL);
    assert_contains (text, ": unknown\n");
    g_clear_pointer (&text, g_free);

    /* Our CA is no authority on another's certificates, and openssl knows. */
    text = check_response (resp, FALSE, "-issuer", other_issuer, "-serial", serial,
                           "-CAfile", fx.chain_pem, NULL);
    assert_contains (text, "Response Verify Failure");
  }

  basic = parse_basic_response (resp);
  g_assert_cmpint (OCSP_single_get0_status (OCSP_resp_get0 (basic, 0), NULL, NULL, NULL, NULL),
                   ==, V_OCSP_CERTSTATUS_UNKNOWN);
}

static void
assert_malformed (GBytes *request)
{
  g_autoptr(Lookup) lookup = lookup_new ();
  g_autoptr(GBytes) response = cabut_ca_answer_ocsp (fx.ca, request, lookup_cb, lookup);
  g_autoptr(OCSP_RESPONSE) parsed = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const unsigned char *p;
  int status = -1;

  g_assert_nonnull (response);
  g_assert_cmpint (lookup->calls, ==, 0);

  p = g_bytes_get_data (response, NULL);
  parsed = d2i_OCSP_RESPONSE (NULL, &p, g_bytes_get_size (response));
  g_assert_nonnull (parsed);
  g_assert_cmpint (OCSP_response_status (parsed), ==, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);

  path = write_tmp_bytes ("malformed.resp", response);
  out = openssl_full (&status, &err, "ocsp", "-respin", path, "-resp_text", NULL);
  assert_contains (out, "Responder Error: malformedrequest (1)");
}

static void
test_ocsp_malformed (void)
{
  g_autoptr(Lookup) lookup = lookup_new ();
  g_autoptr(GBytes) garbage = g_bytes_new_static ("Ini bukan permintaan OCSP.", 26);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) truncated = NULL;
  g_autoptr(GBytes) trailing = NULL;
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(GByteArray) with_junk = g_byte_array_new ();
  g_autofree char *resp = NULL;
  g_autofree char *req = tmp_path ("malformed-base.req");
  g_autofree guint8 *zeros = g_malloc0 (CABUT_CA_MAX_OCSP_REQUEST_SIZE + 1);

  assert_malformed (garbage);
  assert_malformed (empty);

  resp = answer (lookup, "malformed-base", "-issuer", fx.issuing_pem, "-cert", fx.good_pem, NULL);
  request = read_bytes (req);
  truncated = g_bytes_new_from_bytes (request, 0, g_bytes_get_size (request) - 1);
  assert_malformed (truncated);

  g_byte_array_append (with_junk, g_bytes_get_data (request, NULL), g_bytes_get_size (request));
  g_byte_array_append (with_junk, (const guint8 *) "\0", 1);
  trailing = g_byte_array_free_to_bytes (g_steal_pointer (&with_junk));
  assert_malformed (trailing);

  zeros[0] = 0x30;
  huge = g_bytes_new_take (g_steal_pointer (&zeros), CABUT_CA_MAX_OCSP_REQUEST_SIZE + 1);
  assert_malformed (huge);
}

static void
test_ocsp_revoked_without_time (void)
{
  g_autoptr(Lookup) lookup = lookup_new ();
  g_autoptr(OCSP_BASICRESP) basic = NULL;
  g_autofree char *resp = NULL;
  int reason = -2;

  lookup->forget_time = TRUE;
  g_test_expect_message ("cabut-ca", G_LOG_LEVEL_WARNING, "*revoked*");
  resp = answer (lookup, "no-time", "-issuer", fx.issuing_pem, "-cert", fx.revoked_pem, NULL);
  g_test_assert_expected_messages ();

  basic = parse_basic_response (resp);
  g_assert_cmpint (OCSP_single_get0_status (OCSP_resp_get0 (basic, 0), &reason, NULL, NULL, NULL),
                   ==, V_OCSP_CERTSTATUS_REVOKED);
  g_assert_cmpint (reason, ==, 1);
}

typedef struct
{
  GBytes *request;
  Lookup *lookup;
  int     failures;
} ThreadData;

#define N_THREADS    4
#define N_ITERATIONS 5

static gpointer
worker_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  X509 *issuing = cabut_ca_get_issuing_x509 (fx.ca);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (guint i = 0; i < N_ITERATIONS; i++)
    {
      CabutCaRevokedEntry entry = { fx.revoked_serial, now, 1, NULL };
      g_autoptr(GBytes) response = cabut_ca_answer_ocsp (fx.ca, data->request, lookup_cb,
                                                         data->lookup);
      g_autoptr(GBytes) crl = cabut_ca_make_crl (fx.ca, &entry, 1, i + 1, 3600, NULL);
      g_autoptr(OCSP_RESPONSE) parsed = NULL;
      g_autoptr(OCSP_BASICRESP) basic = NULL;
      g_autoptr(X509_CRL) parsed_crl = NULL;
      const unsigned char *p;

      p = g_bytes_get_data (response, NULL);
      parsed = d2i_OCSP_RESPONSE (NULL, &p, g_bytes_get_size (response));
      basic = parsed != NULL ? OCSP_response_get1_basic (parsed) : NULL;
      if (basic == NULL ||
          OCSP_basic_verify (basic, NULL, NULL, OCSP_NOVERIFY) != 1 ||
          OCSP_single_get0_status (OCSP_resp_get0 (basic, 0), NULL, NULL, NULL, NULL) !=
          V_OCSP_CERTSTATUS_GOOD)
        data->failures++;

      p = crl != NULL ? g_bytes_get_data (crl, NULL) : NULL;
      parsed_crl = p != NULL ? d2i_X509_CRL (NULL, &p, g_bytes_get_size (crl)) : NULL;
      if (parsed_crl == NULL || X509_CRL_verify (parsed_crl, X509_get0_pubkey (issuing)) != 1)
        data->failures++;
    }

  return NULL;
}

/* Workers answer OCSP and make CRLs at the same time. */
static void
test_threads (void)
{
  g_autoptr(Lookup) lookup = lookup_new ();
  g_autofree char *resp = NULL;
  g_autofree char *req = tmp_path ("threads.req");
  g_autoptr(GBytes) request = NULL;
  ThreadData data[N_THREADS];
  GThread *threads[N_THREADS];

  resp = answer (lookup, "threads", "-issuer", fx.issuing_pem, "-cert", fx.good_pem, NULL);
  request = read_bytes (req);

  for (guint i = 0; i < N_THREADS; i++)
    {
      data[i] = (ThreadData) { request, lookup, 0 };
      threads[i] = g_thread_new ("cabut-ca-test", worker_thread, &data[i]);
    }
  for (guint i = 0; i < N_THREADS; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpint (data[i].failures, ==, 0);
    }
  g_assert_cmpint (g_atomic_int_get (&lookup->calls), ==, 1 + N_THREADS * N_ITERATIONS);
}

static void
setup_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chain = NULL;
  g_autoptr(GBytes) issuing = NULL;
  g_autoptr(GBytes) root = NULL;
  g_autoptr(CabutCertificate) issuing_cert = NULL;
  g_autoptr(CabutCertificate) root_cert = NULL;
  g_autofree char *issuing_pem = NULL;
  g_autofree char *root_pem = NULL;

  fx.tmp = g_dir_make_tmp ("cabut-ca-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that does not exist yet. */
  fx.ca_dir = g_build_filename (fx.tmp, "ca", NULL);

  fx.ca = cabut_ca_open_or_create (fx.ca_dir, BASE_URL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx.ca);

  chain = cabut_ca_get_chain_pem (fx.ca);
  fx.chain_pem = write_tmp_bytes ("chain.pem", chain);
  issuing = cabut_ca_get_issuing_der (fx.ca);
  issuing_cert = cabut_certificate_new_from_bytes (issuing, NULL, &error);
  g_assert_no_error (error);
  issuing_pem = cabut_certificate_to_pem (issuing_cert);
  fx.issuing_pem = write_tmp ("issuing.pem", issuing_pem, -1);
  root = cabut_ca_get_root_der (fx.ca);
  root_cert = cabut_certificate_new_from_bytes (root, NULL, &error);
  g_assert_no_error (error);
  root_pem = cabut_certificate_to_pem (root_cert);
  fx.root_pem = write_tmp ("root.pem", root_pem, -1);

  issue ("CN=Budi Santoso,O=Pemerintah Kota Contoh,C=ID", "good.pem",
         &fx.good_pem, &fx.good_serial);
  issue ("CN=Rina Wulandari,O=Pemerintah Kota Contoh,C=ID", "revoked.pem",
         &fx.revoked_pem, &fx.revoked_serial);
}

static void
teardown_fixture (void)
{
  g_clear_object (&fx.ca);
  cabut_test_rm_rf (fx.tmp);
  g_clear_pointer (&fx.tmp, g_free);
  g_clear_pointer (&fx.ca_dir, g_free);
  g_clear_pointer (&fx.root_pem, g_free);
  g_clear_pointer (&fx.issuing_pem, g_free);
  g_clear_pointer (&fx.chain_pem, g_free);
  g_clear_pointer (&fx.good_pem, g_free);
  g_clear_pointer (&fx.good_serial, g_free);
  g_clear_pointer (&fx.revoked_pem, g_free);
  g_clear_pointer (&fx.revoked_serial, g_free);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_i18n_init ();

  setup_fixture ();

  g_test_add_func ("/cabut/ca/create-reopen", test_create_reopen);
  g_test_add_func ("/cabut/ca/refuses-broken", test_refuses_broken);
  g_test_add_func ("/cabut/ca/issue", test_issue);
  g_test_add_func ("/cabut/ca/issue-refuses", test_issue_refuses);
  g_test_add_func ("/cabut/ca/crl", test_crl);
  g_test_add_func ("/cabut/ca/crl-empty", test_crl_empty);
  g_test_add_func ("/cabut/ca/crl-refuses", test_crl_refuses);
  g_test_add_func ("/cabut/ca/ocsp/good", test_ocsp_good);
  g_test_add_func ("/cabut/ca/ocsp/revoked-with-nonce", test_ocsp_revoked_with_nonce);
  g_test_add_func ("/cabut/ca/ocsp/unknown-and-several", test_ocsp_unknown_and_several);
  g_test_add_func ("/cabut/ca/ocsp/sha256-cert-id", test_ocsp_sha256_cert_id);
  g_test_add_func ("/cabut/ca/ocsp/other-issuer", test_ocsp_other_issuer);
  g_test_add_func ("/cabut/ca/ocsp/malformed", test_ocsp_malformed);
  g_test_add_func ("/cabut/ca/ocsp/revoked-without-time", test_ocsp_revoked_without_time);
  g_test_add_func ("/cabut/ca/threads", test_threads);

  ret = g_test_run ();

  teardown_fixture ();

  return ret;
}
