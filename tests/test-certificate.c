/* test-certificate.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-test-util.h"

static int
expected_code (const char *expect)
{
  static const struct { const char *expect; int code; } map[] = {
    { "wrong-password", CABUT_CERTIFICATE_ERROR_WRONG_PASSWORD },
    { "needs-password", CABUT_CERTIFICATE_ERROR_NEEDS_PASSWORD },
    { "malformed", CABUT_CERTIFICATE_ERROR_MALFORMED },
    { "unsupported", CABUT_CERTIFICATE_ERROR_UNSUPPORTED },
    { "no-certificate", CABUT_CERTIFICATE_ERROR_NO_CERTIFICATE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i].expect, expect))
      return map[i].code;

  g_assert_not_reached ();
}

static CabutCertificate *
load_fixture (const char  *name,
              const char  *password,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (cabut_test_fixture_path (name));

  return cabut_certificate_new_from_file (file, password, NULL, error);
}

/* Every manifest case gives the right result, from a file and from bytes. */
static void
test_fixture (gconstpointer data)
{
  const CabutFixture *fixture = data;
  g_autoptr(GFile) file = g_file_new_for_path (fixture->file);
  g_autoptr(CabutCertificate) from_file = NULL;
  g_autoptr(CabutCertificate) from_bytes = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s: %s", fixture->name, fixture->description);

  from_file = cabut_certificate_new_from_file (file, fixture->password, NULL, &error);
  if (g_str_equal (fixture->expect, "ok"))
    {
      g_assert_no_error (error);
      g_assert_nonnull (from_file);
      g_assert_cmpstr (cabut_certificate_format_to_string (cabut_certificate_get_format (from_file)),
                       ==, fixture->format);
    }
  else
    {
      g_assert_null (from_file);
      g_assert_error (error, CABUT_CERTIFICATE_ERROR, expected_code (fixture->expect));
      g_assert_cmpuint (strlen (error->message), >, 10);
    }
  g_clear_error (&error);

  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  from_bytes = cabut_certificate_new_from_bytes (bytes, fixture->password, &error);
  g_assert_cmpint (from_bytes != NULL, ==, from_file != NULL);
  if (from_bytes != NULL)
    g_assert_cmpstr (cabut_certificate_get_sha256 (from_bytes), ==,
                     cabut_certificate_get_sha256 (from_file));
}

static void
test_legacy_pkcs12 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) legacy = load_fixture ("p12-legacy.p12", "rahasia-123", &error);
  g_autoptr(CabutCertificate) modern = load_fixture ("p12-modern.p12", "rahasia-123", &error);
  GPtrArray *extra;

  g_assert_no_error (error);
  g_assert_true (cabut_certificate_has_private_key (legacy));
  g_assert_true (cabut_certificate_key_matches (legacy));
  g_assert_cmpstr (cabut_certificate_get_sha256 (legacy), ==, cabut_certificate_get_sha256 (modern));

  /* The chain comes along, and the extras know nothing of the key. */
  extra = cabut_certificate_get_extra_certificates (legacy);
  g_assert_cmpuint (extra->len, ==, 2);
  for (guint i = 0; i < extra->len; i++)
    g_assert_false (cabut_certificate_has_private_key (g_ptr_array_index (extra, i)));
  g_assert_true (cabut_dn_equal (cabut_certificate_get_issuer (legacy),
                                 cabut_certificate_get_subject (g_ptr_array_index (extra, 0))));
}

static void
test_key_only_and_mismatch (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) mismatched = load_fixture ("pem-mismatched-key.pem", NULL, &error);
  g_autoptr(CabutCertificate) matching = load_fixture ("pem-with-key.pem", NULL, &error);
  g_autoptr(CabutCertificate) certs_only = load_fixture ("p12-certs-only.p12", "rahasia-123", &error);

  g_assert_no_error (error);
  g_assert_true (cabut_certificate_has_private_key (mismatched));
  g_assert_false (cabut_certificate_key_matches (mismatched));
  g_assert_true (cabut_certificate_has_private_key (matching));
  g_assert_true (cabut_certificate_key_matches (matching));

  /* Without a key to go by, the holder's certificate is the one that is not a CA. */
  g_assert_false (cabut_certificate_has_private_key (certs_only));
  g_assert_cmpuint (cabut_certificate_get_extra_certificates (certs_only)->len, ==, 2);
  g_assert_false (cabut_certificate_has_key_usage (certs_only) &&
                  (cabut_certificate_get_key_usage (certs_only) & CABUT_KEY_USAGE_KEY_CERT_SIGN));
}

static void
test_dn_details (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) bmp = load_fixture ("dn-bmpstring.pem", NULL, &error);
  g_autoptr(CabutCertificate) t61 = load_fixture ("dn-t61string.pem", NULL, &error);
  g_autoptr(CabutCertificate) multi = load_fixture ("dn-multivalue3.pem", NULL, &error);
  g_autoptr(GPtrArray) bmp_attrs = NULL;
  g_autoptr(GPtrArray) multi_attrs = NULL;
  g_autofree char *t61_cn = NULL;

  g_assert_no_error (error);

  bmp_attrs = cabut_dn_get_attributes (cabut_certificate_get_subject (bmp));
  for (guint i = 0; i < bmp_attrs->len; i++)
    if (g_str_equal (cabut_rdn_attribute_get_name (g_ptr_array_index (bmp_attrs, i)), "CN"))
      g_assert_cmpstr (cabut_rdn_attribute_get_value (g_ptr_array_index (bmp_attrs, i)), ==,
                       "Śri Ṙahayu Ningsih");
  {
    g_autofree char *cn = cabut_dn_dup_common_name (cabut_certificate_get_subject (bmp));
    g_assert_cmpstr (cn, ==, "Śri Ṙahayu Ningsih");
  }

  t61_cn = cabut_dn_dup_common_name (cabut_certificate_get_subject (t61));
  g_assert_true (g_utf8_validate (t61_cn, -1, NULL));
  g_assert_nonnull (strstr (t61_cn, "Darmé"));

  /* emailAddress, then one RDN of three attributes, then OU. */
  multi_attrs = cabut_dn_get_attributes (cabut_certificate_get_subject (multi));
  g_assert_cmpuint (cabut_rdn_attribute_get_rdn (g_ptr_array_index (multi_attrs, 0)), ==, 0);
  g_assert_cmpuint (cabut_rdn_attribute_get_rdn (g_ptr_array_index (multi_attrs, 1)), ==, 1);
  g_assert_cmpuint (cabut_rdn_attribute_get_rdn (g_ptr_array_index (multi_attrs, 2)), ==, 1);
  g_assert_cmpuint (cabut_rdn_attribute_get_rdn (g_ptr_array_index (multi_attrs, 3)), ==, 1);
  g_assert_cmpstr (cabut_rdn_attribute_get_name (g_ptr_array_index (multi_attrs, 4)), ==, "OU");
  g_assert_cmpuint (cabut_rdn_attribute_get_rdn (g_ptr_array_index (multi_attrs, 4)), ==, 2);
}

static void
test_serials_and_validity (void)
{
  const struct { const char *file; const char *serial; } serials[] = {
    { "serial-negative.pem", "-1234" },
    { "serial-zero.pem", "00" },
    { "serial-one.pem", "01" },
    { "serial-leading-zero.pem", "DEADBEEFCAFEBABE" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) expired = load_fixture ("validity-expired.pem", NULL, &error);
  g_autoptr(CabutCertificate) late = load_fixture ("validity-generalized.pem", NULL, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_2040 = g_date_time_new_utc (2040, 6, 1, 0, 0, 0);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (serials); i++)
    {
      g_autoptr(CabutCertificate) cert = load_fixture (serials[i].file, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (cabut_certificate_get_serial (cert), ==, serials[i].serial);
    }

  g_assert_false (cabut_certificate_is_valid_at (expired, now));
  g_assert_cmpint (g_date_time_get_year (cabut_certificate_get_not_after (late)), ==, 2051);
  g_assert_true (cabut_certificate_is_valid_at (late, in_2040));
}

/* A serial over 35 bytes (RFC 5280 allows 20; certificates in the wild
 * break it): `openssl x509 -serial` wraps it with backslash-newlines, and
 * so did the certificate's serial here, while the CA spelled it in one
 * line. The serial is the registry's key: one spelling everywhere. */
static void
test_long_serial (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-serial-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *pem = g_build_filename (dir, "cert.pem", NULL);
  g_autoptr(GString) hex = g_string_new ("0x7F");
  g_autoptr(GFile) file = NULL;
  g_autoptr(CabutCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *made = NULL;
  g_autofree char *printed = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);

  for (int i = 0; i < 39; i++)
    g_string_append_printf (hex, "%02X", (i * 37 + 11) & 0xff);
  made = cabut_test_openssl ("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", pem,
                             "-subj", "/CN=Serial Panjang", "-days", "30", "-set_serial", hex->str, NULL);
  g_assert_nonnull (made);
  printed = cabut_test_openssl ("x509", "-in", pem, "-noout", "-serial", NULL);
  g_assert_nonnull (printed);
  /* openssl's own spelling, its line breaks taken out. */
  for (const char *p = printed + strlen ("serial="); *p != '\0'; p++)
    if (*p != '\\' && *p != '\n')
      g_string_append_c (joined, *p);
  g_assert_nonnull (strstr (printed, "\\\n"));

  file = g_file_new_for_path (pem);
  cert = cabut_certificate_new_from_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cabut_certificate_get_serial (cert), ==, joined->str);
  g_assert_cmpstr (cabut_certificate_get_serial (cert), ==, hex->str + 2);

  cabut_test_rm_rf (dir);
}

/* Every prefix of a real certificate and PKCS#12 file fails cleanly. */
static void
test_truncation_sweep (void)
{
  const char *files[] = { "rsa2048.der", "p12-modern.p12", "rsa2048.pem" };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (cabut_test_fixture_path (files[f]), &contents, &len, NULL));
      for (gsize cut = 0; cut < len - 1; cut += (cut < 64 ? 1 : 7))
        {
          g_autoptr(GBytes) bytes = g_bytes_new (contents, cut);
          g_autoptr(GError) error = NULL;
          g_autoptr(CabutCertificate) cert = cabut_certificate_new_from_bytes (bytes, "rahasia-123", &error);

          /* A PEM cut after its END line is whole again. */
          if (cert != NULL)
            g_assert_true (g_str_has_suffix (files[f], ".pem"));
          else
            g_assert_true (error->domain == CABUT_CERTIFICATE_ERROR);
        }
    }
}

static void
test_too_large_and_unreadable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cabut-test-XXXXXX", NULL);
  g_autofree char *big = g_build_filename (dir, "besar.p12", NULL);
  g_autofree char *missing = g_build_filename (dir, "tidak-ada.pem", NULL);
  g_autofree char *zeros = g_malloc0 (CABUT_CERTIFICATE_MAX_FILE_SIZE + 1);
  g_autoptr(GFile) big_file = g_file_new_for_path (big);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GBytes) bytes = g_bytes_new_static (zeros, CABUT_CERTIFICATE_MAX_FILE_SIZE + 1);
  CabutCertificate *cert;

  zeros[0] = 0x30;
  g_assert_true (g_file_set_contents (big, zeros, CABUT_CERTIFICATE_MAX_FILE_SIZE + 1, NULL));

  cert = cabut_certificate_new_from_file (big_file, NULL, NULL, &error);
  g_assert_null (cert);
  g_assert_error (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  cert = cabut_certificate_new_from_bytes (bytes, NULL, &error);
  g_assert_null (cert);
  g_assert_error (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  cert = cabut_certificate_new_from_file (missing_file, NULL, NULL, &error);
  g_assert_null (cert);
  g_assert_error (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_UNREADABLE);

  g_unlink (big);
  g_rmdir (dir);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (cabut_test_fixture_path ("p12-legacy.p12"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CabutCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  char password[] = "rahasia-123";

  cabut_certificate_new_from_file_async (file, password, NULL, loaded_cb, &result);
  /* The caller's buffer may be wiped at once: the task has its own copy. */
  memset (password, 0, sizeof password);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  cert = cabut_certificate_new_from_file_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (cabut_certificate_key_matches (cert));

  g_cancellable_cancel (cancellable);
  cabut_certificate_new_from_file_async (file, "rahasia-123", cancellable, loaded_cb, &cancelled_result);
  while (cancelled_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (cabut_certificate_new_from_file_finish (cancelled_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) fixtures = NULL;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_i18n_init ();

  fixtures = cabut_test_load_fixtures ();
  for (guint i = 0; i < fixtures->len; i++)
    {
      const CabutFixture *fixture = g_ptr_array_index (fixtures, i);
      g_autofree char *id = cabut_test_fixture_id (fixture);
      g_autofree char *path = g_strdup_printf ("/cabut/certificate/fixture/%s", id);

      g_test_add_data_func (path, fixture, test_fixture);
    }

  g_test_add_func ("/cabut/certificate/pkcs12-legacy", test_legacy_pkcs12);
  g_test_add_func ("/cabut/certificate/key-only-and-mismatch", test_key_only_and_mismatch);
  g_test_add_func ("/cabut/certificate/dn-details", test_dn_details);
  g_test_add_func ("/cabut/certificate/serials-and-validity", test_serials_and_validity);
  g_test_add_func ("/cabut/certificate/long-serial", test_long_serial);
  g_test_add_func ("/cabut/certificate/truncation-sweep", test_truncation_sweep);
  g_test_add_func ("/cabut/certificate/too-large-and-unreadable", test_too_large_and_unreadable);
  g_test_add_func ("/cabut/certificate/async", test_async);

  return g_test_run ();
}
