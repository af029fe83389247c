/* test-cli-inspect.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real `cabut-cli inspect` on every fixture and holds what it says
 * against what the openssl command-line tool says about the same file.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cabut-test-util.h"

#define TEST_PASSWORD_VAR "CABUT_TEST_P12_PASSWORD"

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static const char *
cli_program (void)
{
  const char *cli = g_getenv ("CABUT_CLI");

  g_assert_nonnull (cli);

  return cli;
}

/* Runs cabut-cli with @args; @password, when set, goes through the environment. */
static void
run_cli (CliResult          *result,
         const char * const *args,
         const char         *password,
         const char         *language)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();

  g_ptr_array_add (argv, (char *) cli_program ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_unsetenv (envp, TEST_PASSWORD_VAR);
  if (password != NULL)
    envp = g_environ_setenv (envp, TEST_PASSWORD_VAR, password, TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", language ? language : "en", TRUE);

  g_assert_true (cabut_test_run ((const char * const *) argv->pdata, (const char * const *) envp,
                                 &result->out, &result->err, &result->status));
}

static int
expected_status (const CabutFixture *fixture)
{
  if (g_str_equal (fixture->expect, "ok"))
    return 0;
  if (g_str_equal (fixture->expect, "wrong-password") || g_str_equal (fixture->expect, "needs-password"))
    return 3;

  return 4;
}

/* "key=value" lines as openssl prints them. */
static char *
openssl_field (const char *output,
               const char *key)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  g_autofree char *prefix = g_strconcat (key, "=", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));

  return NULL;
}

static char *
fingerprint_to_hex (const char *openssl_fingerprint)
{
  g_autoptr(GString) hex = g_string_new (NULL);

  for (const char *p = openssl_fingerprint; *p; p++)
    if (*p != ':')
      g_string_append_c (hex, g_ascii_tolower (*p));

  return g_string_free (g_steal_pointer (&hex), FALSE);
}

static const char *
key_usage_from_label (const char *label)
{
  static const char *map[][2] = {
    { "Digital Signature", "digitalSignature" },
    { "Non Repudiation", "nonRepudiation" },
    { "Key Encipherment", "keyEncipherment" },
    { "Data Encipherment", "dataEncipherment" },
    { "Key Agreement", "keyAgreement" },
    { "Certificate Sign", "keyCertSign" },
    { "CRL Sign", "cRLSign" },
    { "Encipher Only", "encipherOnly" },
    { "Decipher Only", "decipherOnly" },
    { "TLS Web Server Authentication", "serverAuth" },
    { "TLS Web Client Authentication", "clientAuth" },
    { "Code Signing", "codeSigning" },
    { "E-mail Protection", "emailProtection" },
    { "Time Stamping", "timeStamping" },
    { "OCSP Signing", "OCSPSigning" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i][0], label))
      return map[i][1];

  return label;
}

/* The comma-separated line that follows an extension's header in -text output. */
static char **
openssl_extension_values (const char *text,
                          const char *header)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], header) == NULL || lines[i + 1] == NULL)
        continue;

      {
        g_auto(GStrv) parts = g_strsplit (g_strstrip (lines[i + 1]), ",", -1);

        for (guint j = 0; parts[j] != NULL; j++)
          g_strv_builder_add (builder, key_usage_from_label (g_strstrip (parts[j])));
      }
      break;
    }

  return g_strv_builder_end (builder);
}

static char **
openssl_crl_urls (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean in_crldp = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *stripped = line;

      while (*stripped == ' ')
        stripped++;

      if (strstr (line, "X509v3 CRL Distribution Points") != NULL)
        {
          in_crldp = TRUE;
          continue;
        }
      if (in_crldp && g_str_has_prefix (line, "            X509v3"))
        break;
      if (in_crldp && g_str_has_prefix (stripped, "URI:"))
        g_strv_builder_add (builder, stripped + 4);
    }

  return g_strv_builder_end (builder);
}

static void
assert_json_strv (JsonObject          *object,
                  const char          *member,
                  const char * const  *expected)
{
  JsonArray *array;

  g_assert_true (json_object_has_member (object, member));
  array = json_object_get_array_member (object, member);
  g_assert_nonnull (array);

  g_test_message ("%s: %u expected", member, g_strv_length ((char **) expected));
  g_assert_cmpuint (json_array_get_length (array), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (json_array_get_string_element (array, i), ==, expected[i]);
}

static guint
count_certificates (const char *pem)
{
  guint count = 0;

  for (const char *p = pem; (p = strstr (p, "-----BEGIN CERTIFICATE-----")) != NULL; p++)
    count++;

  return count;
}

/* openssl's view of the private key in a fixture: its public half, or NULL. */
static char *
openssl_private_key_public_pem (const CabutFixture *fixture)
{
  g_autofree char *pass = g_strdup_printf ("pass:%s", fixture->password ? fixture->password : "");
  g_autofree char *key = NULL;

  if (g_str_equal (fixture->format, "pkcs12"))
    {
      key = cabut_test_openssl ("pkcs12", "-legacy", "-in", fixture->file, "-passin", pass,
                                "-nocerts", "-nodes", NULL);
      g_assert_nonnull (key);
    }
  else if (g_str_equal (fixture->format, "pem"))
    {
      g_autofree char *contents = NULL;

      g_assert_true (g_file_get_contents (fixture->file, &contents, NULL, NULL));
      if (strstr (contents, "PRIVATE KEY-----") != NULL)
        key = g_strdup (contents);
    }

  if (key == NULL || strstr (key, "PRIVATE KEY-----") == NULL)
    return NULL;

  return cabut_test_openssl_stdin (key, strlen (key), "pkey", "-pubout", NULL);
}

static void
compare_with_openssl (const CabutFixture *fixture,
                      JsonObject         *object)
{
  g_autofree char *pem = cabut_test_fixture_cert_pem (fixture);
  g_autofree char *fields = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *sha1 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *ocsp = NULL;
  g_autofree char *cert_pub = NULL;
  g_autofree char *key_pub = NULL;
  g_autofree char *value = NULL;
  g_auto(GStrv) ku = NULL;
  g_auto(GStrv) eku = NULL;
  g_auto(GStrv) crl = NULL;
  g_auto(GStrv) ocsp_urls = NULL;
  JsonObject *key;
  guint extra;

  g_assert_nonnull (pem);

  fields = cabut_test_openssl_stdin (pem, strlen (pem), "x509", "-noout", "-subject", "-issuer",
                                     "-serial", "-startdate", "-enddate", "-nameopt",
                                     "RFC2253,-esc_msb", "-dateopt", "iso_8601", NULL);
  g_assert_nonnull (fields);

  value = openssl_field (fields, "subject");
  g_assert_cmpstr (json_object_get_string_member (object, "subject"), ==, value);
  g_clear_pointer (&value, g_free);
  value = openssl_field (fields, "issuer");
  g_assert_cmpstr (json_object_get_string_member (object, "issuer"), ==, value);
  g_clear_pointer (&value, g_free);
  value = openssl_field (fields, "serial");
  g_assert_cmpstr (json_object_get_string_member (object, "serial"), ==, value);
  g_clear_pointer (&value, g_free);

  /* openssl prints "2025-01-01 00:00:00Z"; we print ISO 8601 with a 'T'. */
  value = openssl_field (fields, "notBefore");
  g_strdelimit (value, " ", 'T');
  g_assert_cmpstr (json_object_get_string_member (object, "not_before"), ==, value);
  g_clear_pointer (&value, g_free);
  value = openssl_field (fields, "notAfter");
  g_strdelimit (value, " ", 'T');
  g_assert_cmpstr (json_object_get_string_member (object, "not_after"), ==, value);
  g_clear_pointer (&value, g_free);

  sha256 = cabut_test_openssl_stdin (pem, strlen (pem), "x509", "-noout", "-fingerprint",
                                     "-sha256", NULL);
  value = fingerprint_to_hex (g_strstrip (strchr (sha256, '=') + 1));
  g_assert_cmpstr (json_object_get_string_member (object, "sha256"), ==, value);
  g_clear_pointer (&value, g_free);
  sha1 = cabut_test_openssl_stdin (pem, strlen (pem), "x509", "-noout", "-fingerprint", "-sha1", NULL);
  value = fingerprint_to_hex (g_strstrip (strchr (sha1, '=') + 1));
  g_assert_cmpstr (json_object_get_string_member (object, "sha1"), ==, value);
  g_clear_pointer (&value, g_free);

  text = cabut_test_openssl_stdin (pem, strlen (pem), "x509", "-noout", "-text", NULL);
  g_assert_nonnull (text);

  key = json_object_get_object_member (object, "key");
  g_assert_nonnull (key);
  {
    static const char *algorithms[][2] = {
      { "Public Key Algorithm: rsaEncryption", "RSA" },
      { "Public Key Algorithm: rsassaPss", "RSA-PSS" },
      { "Public Key Algorithm: id-ecPublicKey", "EC" },
      { "Public Key Algorithm: ED25519", "ED25519" },
      { "Public Key Algorithm: ED448", "ED448" },
      { "Public Key Algorithm: dsaEncryption", "DSA" },
    };
    const char *expected_type = NULL;
    const char *bits;

    for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
      if (strstr (text, algorithms[i][0]) != NULL)
        expected_type = algorithms[i][1];
    g_assert_nonnull (expected_type);
    g_assert_cmpstr (json_object_get_string_member (key, "type"), ==, expected_type);

    if ((bits = strstr (text, "Public-Key: (")) != NULL)
      g_assert_cmpint (json_object_get_int_member (key, "bits"), ==,
                       g_ascii_strtoll (bits + strlen ("Public-Key: ("), NULL, 10));

    if (g_str_equal (expected_type, "EC"))
      {
        const char *oid = strstr (text, "ASN1 OID: ");
        g_autofree char *curve = NULL;

        g_assert_nonnull (oid);
        oid += strlen ("ASN1 OID: ");
        curve = g_strndup (oid, strcspn (oid, "\n"));
        g_assert_cmpstr (json_object_get_string_member (key, "curve"), ==, curve);
      }
  }

  ku = openssl_extension_values (text, "X509v3 Key Usage");
  assert_json_strv (object, "key_usage", (const char * const *) ku);
  eku = openssl_extension_values (text, "X509v3 Extended Key Usage");
  assert_json_strv (object, "extended_key_usage", (const char * const *) eku);
  crl = openssl_crl_urls (text);
  assert_json_strv (object, "crl_urls", (const char * const *) crl);

  ocsp = cabut_test_openssl_stdin (pem, strlen (pem), "x509", "-noout", "-ocsp_uri", NULL);
  g_assert_nonnull (ocsp);
  g_strstrip (ocsp);
  ocsp_urls = *ocsp ? g_strsplit (ocsp, "\n", -1) : g_new0 (char *, 1);
  assert_json_strv (object, "ocsp_urls", (const char * const *) ocsp_urls);

  /* The private key: present, and whether its public half is the certificate's. */
  key_pub = openssl_private_key_public_pem (fixture);
  g_assert_cmpint (json_object_get_boolean_member (object, "has_private_key"), ==, key_pub != NULL);
  if (key_pub == NULL)
    {
      g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "key_matches")));
    }
  else
    {
      cert_pub = cabut_test_openssl_stdin (pem, strlen (pem), "x509", "-noout", "-pubkey", NULL);
      g_assert_cmpint (json_object_get_boolean_member (object, "key_matches"), ==,
                       g_str_equal (cert_pub, key_pub));
    }

  /* Everything else in the file. */
  if (g_str_equal (fixture->format, "pkcs12"))
    {
      extra = count_certificates (pem) - 1;
    }
  else if (g_str_equal (fixture->format, "der"))
    {
      /* A DER file holds exactly one certificate. */
      extra = 0;
    }
  else
    {
      g_autofree char *p7 = cabut_test_openssl ("crl2pkcs7", "-nocrl", "-certfile", fixture->file, NULL);
      g_autofree char *listing = NULL;
      guint count = 0;

      g_assert_nonnull (p7);
      listing = cabut_test_openssl_stdin (p7, strlen (p7), "pkcs7", "-print_certs", "-noout", NULL);
      g_assert_nonnull (listing);
      for (const char *p = listing; (p = strstr (p, "subject=")) != NULL; p++)
        count++;
      extra = count - 1;
    }
  g_assert_cmpint (json_object_get_int_member (object, "extra_certificates"), ==, extra);
}

static void
test_fixture (gconstpointer data)
{
  const CabutFixture *fixture = data;
  g_auto(CliResult) result = { 0 };
  const char *args[] = { "inspect", "--json", NULL, NULL, NULL };
  int expected = expected_status (fixture);

  g_test_message ("%s: %s", fixture->name, fixture->description);

  if (fixture->password != NULL)
    {
      args[2] = "--password-env=" TEST_PASSWORD_VAR;
      args[3] = fixture->file;
    }
  else
    {
      args[2] = fixture->file;
    }

  run_cli (&result, args, fixture->password, NULL);
  g_test_message ("exit %d, stderr: %s", result.status, result.err);
  g_assert_cmpint (result.status, ==, expected);

  if (fixture->password != NULL)
    {
      g_assert_null (strstr (result.out, fixture->password));
      g_assert_null (strstr (result.err, fixture->password));
    }

  if (expected != 0)
    {
      /* One line on stderr that names the file; nothing on stdout. */
      g_assert_cmpstr (result.out, ==, "");
      g_assert_true (g_str_has_prefix (result.err, "cabut-cli: "));
      g_assert_nonnull (strstr (result.err, fixture->file));
      g_assert_cmpint (strlen (result.err), >, strlen (fixture->file) + 20);
      g_assert_true (g_str_has_suffix (result.err, "\n"));
      g_assert_true (strchr (result.err, '\n') == result.err + strlen (result.err) - 1);
      return;
    }

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonObject *object;

    g_assert_cmpstr (result.err, ==, "");
    json_parser_load_from_data (parser, result.out, -1, &error);
    g_assert_no_error (error);
    object = json_node_get_object (json_parser_get_root (parser));
    g_assert_nonnull (object);

    g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, fixture->format);
    compare_with_openssl (fixture, object);
  }
}


static void
test_usage_errors (void)
{
  const char *rsa = cabut_test_fixture_path ("rsa2048.pem");
  struct {
    const char *args[6];
  } cases[] = {
    { { "inspect", NULL } },
    { { "inspect", rsa, rsa, NULL } },
    { { "inspect", "--no-such-option", rsa, NULL } },
    { { "inspect", "--password-file=/dev/null", "--password-env=HOME", rsa, NULL } },
    { { "no-such-command", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliResult) result = { 0 };

      run_cli (&result, cases[i].args, NULL, NULL);
      g_test_message ("case %u: %s", i, result.err);
      g_assert_cmpint (result.status, ==, 2);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_true (g_str_has_prefix (result.err, "cabut-cli: "));
    }
}

static void
test_unreadable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-test-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "tidak-ada.p12", NULL);
  const char *cases[] = { missing, dir };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliResult) result = { 0 };
      const char *args[] = { "inspect", "--json", cases[i], NULL };

      run_cli (&result, args, NULL, NULL);
      g_assert_cmpint (result.status, ==, 4);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_nonnull (strstr (result.err, cases[i]));
      g_assert_nonnull (strstr (result.err, "could not be read"));
    }

  g_rmdir (dir);
}

static void
test_password_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-test-XXXXXX", NULL);
  g_autofree char *pwfile = g_build_filename (dir, "pw", NULL);
  g_autofree char *arg = g_strdup_printf ("--password-file=%s", pwfile);
  const char *p12 = cabut_test_fixture_path ("p12-legacy.p12");
  const char *args[] = { "inspect", arg, p12, NULL };
  g_auto(CliResult) ok = { 0 };
  g_auto(CliResult) wrong = { 0 };

  /* A trailing newline, as `echo` leaves it, is not part of the password. */
  g_assert_true (g_file_set_contents (pwfile, "rahasia-123\n", -1, NULL));
  run_cli (&ok, args, NULL, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_null (strstr (ok.out, "rahasia"));

  g_assert_true (g_file_set_contents (pwfile, "rahasia-124", -1, NULL));
  run_cli (&wrong, args, NULL, NULL);
  g_assert_cmpint (wrong.status, ==, 3);
  g_assert_nonnull (strstr (wrong.err, "password"));
  g_assert_null (strstr (wrong.err, "rahasia-124"));

  g_unlink (pwfile);
  g_rmdir (dir);
}

static void
test_human_output (void)
{
  const char *args[] = { "inspect", cabut_test_fixture_path ("p12-modern.p12"), NULL };
  const char *args_pw[] = { "inspect", "--password-env=" TEST_PASSWORD_VAR,
                            cabut_test_fixture_path ("p12-modern.p12"), NULL };
  g_auto(CliResult) en = { 0 };
  g_auto(CliResult) id = { 0 };
  g_auto(CliResult) id_error = { 0 };

  run_cli (&en, args_pw, "rahasia-123", "en");
  g_assert_cmpint (en.status, ==, 0);
  g_assert_nonnull (strstr (en.out, "Common name: "));
  g_assert_nonnull (strstr (en.out, "Serial number: "));
  g_assert_nonnull (strstr (en.out, "Digital signature, Non-repudiation"));
  g_assert_nonnull (strstr (en.out, "included, belongs to this certificate"));
  g_assert_null (strstr (en.out, "rahasia-123"));

  run_cli (&id, args_pw, "rahasia-123", "id");
  g_assert_cmpint (id.status, ==, 0);
  g_assert_nonnull (strstr (id.out, "Nama umum: "));
  g_assert_nonnull (strstr (id.out, "Nomor seri: "));
  g_assert_nonnull (strstr (id.out, "Tanda tangan digital, Nirsangkal"));
  g_assert_null (strstr (id.out, "Common name"));

  run_cli (&id_error, args, NULL, "id");
  g_assert_cmpint (id_error.status, ==, 3);
  g_assert_nonnull (strstr (id_error.err, "kata sandi"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) fixtures = NULL;

  g_test_init (&argc, &argv, NULL);

  fixtures = cabut_test_load_fixtures ();
  for (guint i = 0; i < fixtures->len; i++)
    {
      const CabutFixture *fixture = g_ptr_array_index (fixtures, i);
      g_autofree char *id = cabut_test_fixture_id (fixture);
      g_autofree char *path = g_strdup_printf ("/cabut/cli/inspect/fixture/%s", id);

      g_test_add_data_func (path, fixture, test_fixture);
    }

  g_test_add_func ("/cabut/cli/inspect/usage-errors", test_usage_errors);
  g_test_add_func ("/cabut/cli/inspect/unreadable", test_unreadable);
  g_test_add_func ("/cabut/cli/inspect/password-file", test_password_file);
  g_test_add_func ("/cabut/cli/inspect/human-output", test_human_output);

  return g_test_run ();
}
