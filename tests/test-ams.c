/* test-ams.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The AMS service for real: the cabut-server executable with its SQLite
 * database and CA in a temporary folder, on loopback, driven by cabut-cli
 * and by raw HTTP, with the openssl command-line tool as the outside judge
 * of its CRL and OCSP answers.
 */

#define _GNU_SOURCE 1   /* prlimit (), memmem () */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>

#include "cabut-accounts.h"
#include "cabut-core.h"
#include "cabut-test-util.h"

#if defined(__SANITIZE_ADDRESS__)
# define CABUT_UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define CABUT_UNDER_ASAN 1
# endif
#endif
#ifndef CABUT_UNDER_ASAN
# define CABUT_UNDER_ASAN 0
#endif

typedef struct
{
  char        *dir;
  GSubprocess *proc;
  char        *url;       /* with a trailing slash */
  char        *listen;
  JsonNode    *accounts;
  gboolean     lenient;   /* its warnings do not abort it */
} Server;

static Server *shared;   /* started for the first case that uses it */
static Server *server;   /* the one the running case talks to */

/* ---------------------------------------------------------------------- */

static void
server_start (Server     *self,
              const char *listen)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocessLauncher) launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  /* Where failures are the point, the service's warnings about them are
   * expected, not fatal. */
  if (self->lenient)
    g_subprocess_launcher_setenv (launcher, "G_DEBUG", "gc-friendly", TRUE);

  self->proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CABUT_SERVER"), "--data", self->dir,
                                            "--listen", listen, "--demo", NULL);
  g_assert_no_error (error);
  line = cabut_test_read_line (self->proc);

  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_free (self->url);
  self->url = g_strdup (line + strlen ("listening on "));
  if (self->listen == NULL)
    {
      /* Restarts reuse the port, as a real service's address stays put. */
      g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
      self->listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
    }
}

static void
server_stop (Server *self,
             int     signum)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (self->proc, signum);
  g_subprocess_wait (self->proc, NULL, &error);
  g_assert_no_error (error);
  if (signum == SIGTERM)
    {
      if (g_subprocess_get_if_signaled (self->proc))
        g_test_message ("cabut-server ended by signal %d, not by its own exit",
                        g_subprocess_get_term_sig (self->proc));
      g_assert_true (g_subprocess_get_if_exited (self->proc));
      g_assert_cmpint (g_subprocess_get_exit_status (self->proc), ==, 0);
    }
  g_clear_object (&self->proc);
}

static Server *
server_new (void)
{
  Server *self = g_new0 (Server, 1);
  g_autofree char *accounts_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  self->dir = g_dir_make_tmp ("cabut-ams-XXXXXX", NULL);
  server_start (self, "127.0.0.1:0");

  accounts_path = g_build_filename (self->dir, "demo", "accounts.json", NULL);
  json_parser_load_from_file (parser, accounts_path, &error);
  g_assert_no_error (error);
  self->accounts = json_node_copy (json_parser_get_root (parser));

  return self;
}

static void
server_free (Server *self)
{
  if (self->proc != NULL)
    server_stop (self, SIGTERM);
  cabut_test_rm_rf (self->dir);
  json_node_unref (self->accounts);
  g_free (self->dir);
  g_free (self->url);
  g_free (self->listen);
  g_free (self);
}

/* A member of a demo account, e.g. account ("budi.santoso", "password"). */
static const char *
account (const char *username,
         const char *member)
{
  JsonArray *array = json_node_get_array (server->accounts);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (object, "username"), username))
        return json_object_get_string_member (object, member);
    }

  g_assert_not_reached ();
}

static char *
p12_path (const char *username)
{
  return g_build_filename (server->dir, "demo", account (username, "p12"), NULL);
}

/* ---------------------------------------------------------------------- */
/* cabut-cli                                                               */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Cli;

static void
cli_clear (Cli *cli)
{
  g_clear_pointer (&cli->out, g_free);
  g_clear_pointer (&cli->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Cli, cli_clear)

/* Runs cabut-cli as @user (passwords through the environment). */
static void
cli_run (Cli                *cli,
         const char         *user,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();

  g_ptr_array_add (argv, (char *) g_getenv ("CABUT_CLI"));
  g_ptr_array_add (argv, (char *) "--server");
  g_ptr_array_add (argv, server->url);
  if (user != NULL)
    {
      g_ptr_array_add (argv, (char *) "--user");
      g_ptr_array_add (argv, (char *) user);
      g_ptr_array_add (argv, (char *) "--password-env");
      g_ptr_array_add (argv, (char *) "CABUT_TEST_PASSWORD");
      envp = g_environ_setenv (envp, "CABUT_TEST_PASSWORD", account (user, "password"), TRUE);
      if (account (user, "p12_password") != NULL)
        envp = g_environ_setenv (envp, "CABUT_TEST_P12_PASSWORD", account (user, "p12_password"), TRUE);
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);

  g_assert_true (cabut_test_run ((const char * const *) argv->pdata, (const char * const *) envp,
                                 &cli->out, &cli->err, &cli->status));
  g_test_message ("cabut-cli %s → %d %s", args[0], cli->status, cli->err);

  /* No password ever comes back out. */
  if (user != NULL)
    {
      g_assert_null (strstr (cli->out, account (user, "password")));
      g_assert_null (strstr (cli->err, account (user, "password")));
    }
}

static JsonObject *
cli_json (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (cli->out, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_object_ref (json_node_get_object (node));
}

static char *
write_letter (const char *name,
              const char *contents,
              gsize       len)
{
  g_autofree char *path = g_build_filename (server->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, len, NULL));

  return g_steal_pointer (&path);
}

static char *
pdf_letter (void)
{
  static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

  return write_letter ("surat.pdf", pdf, sizeof pdf - 1);
}

/* Submits with the CLI and returns the request, or NULL with @cli's status. */
static JsonObject *
submit (Cli        *cli,
        const char *user,
        const char *cert_owner,
        const char *reason,
        const char *letter,
        const char *extra)
{
  g_autofree char *cert = p12_path (cert_owner);
  const char *args[] = { "submit", "--json", "--cert", cert, "--cert-password-env", "CABUT_TEST_P12_PASSWORD",
                         "--reason", reason, "--letter", letter, extra, NULL };

  cli_run (cli, user, args);

  return cli->status == 0 ? cli_json (cli) : NULL;
}

/* ---------------------------------------------------------------------- */
/* Raw HTTP                                                                */

static char *
api_url (const char *path)
{
  return g_strconcat (server->url, "api/v1/", path, NULL);
}

static char *
sign_in (const char *user)
{
  g_autofree char *url = api_url ("session");
  g_autofree char *json = g_strdup_printf ("{\"username\": \"%s\", \"password\": \"%s\"}", user,
                                           account (user, "password"));
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));
  g_autoptr(JsonNode) node = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  body = cabut_test_http (msg, SOUP_STATUS_CREATED);
  node = json_from_string (g_bytes_get_data (body, NULL), NULL);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "token"));
}

static SoupMessage *
authed (const char *method,
        const char *path,
        const char *token)
{
  g_autofree char *url = api_url (path);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language", "en");

  return msg;
}

static const char *
error_code (GBytes *body)
{
  static char code[64];
  g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);
  JsonObject *err;

  g_assert_nonnull (node);
  err = json_object_get_object_member (json_node_get_object (node), "error");
  g_assert_nonnull (err);
  g_strlcpy (code, json_object_get_string_member (err, "code"), sizeof code);

  return code;
}

static GBytes *
multipart_body_signed (const char  *metadata,
                       const char  *signature,
                       const char  *letter_name,
                       GBytes      *letter,
                       char       **content_type);

static GBytes *
multipart_body (const char  *metadata,
                const char  *letter_name,
                GBytes      *letter,
                char       **content_type)
{
  return multipart_body_signed (metadata, NULL, letter_name, letter, content_type);
}

static GBytes *
multipart_body_signed (const char  *metadata,
                       const char  *signature,
                       const char  *letter_name,
                       GBytes      *letter,
                       char       **content_type)
{
  g_autoptr(SoupMessageHeaders) part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GBytes) meta = g_bytes_new (metadata, strlen (metadata));
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  GBytes *body = NULL;

  soup_message_headers_replace (part, "Content-Disposition", "form-data; name=\"metadata\"");
  soup_multipart_append_part (multipart, part, meta);
  if (signature != NULL)
    soup_multipart_append_form_string (multipart, "signature", signature);
  soup_multipart_append_form_file (multipart, "letter", letter_name, "application/pdf", letter);
  soup_multipart_to_message (multipart, headers, &body);
  soup_multipart_free (multipart);
  *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));

  return body;
}

/* A hand-made filing, for what the real client would never send. */
static SoupMessage *
raw_submission (const char *token,
                const char *metadata,
                const char *letter_name,
                GBytes     *letter,
                const char *key)
{
  SoupMessage *msg = authed ("POST", "requests", token);
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) body = multipart_body (metadata, letter_name, letter, &content_type);

  soup_message_set_request_body_from_bytes (msg, content_type, body);
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);

  return msg;
}

static CabutCertificate *
demo_certificate (const char *user)
{
  g_autofree char *path = p12_path (user);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CabutCertificate *cert = cabut_certificate_new_from_file (file, account (user, "p12_password"), NULL, &error);

  g_assert_no_error (error);

  return cert;
}

static char *
metadata_json (const char *serial,
               const char *subject,
               const char *reason,
               const char *note)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "serial");
  json_builder_add_string_value (builder, serial);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, subject);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  if (note != NULL)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, note);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  return json_to_string (node, FALSE);
}

static char *
metadata_for (const char *user,
              const char *reason,
              const char *note)
{
  g_autoptr(CabutCertificate) cert = demo_certificate (user);

  return metadata_json (cabut_certificate_get_serial (cert), cabut_certificate_get_subject_string (cert),
                        reason, note);
}

static sqlite3 *
open_db (void)
{
  g_autofree char *path = g_build_filename (server->dir, "cabut.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static gint64
db_count (const char *sql)
{
  sqlite3 *db = open_db ();
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

/* The issuing CA's certificate alone (the first of the demo's chain), as a file. */
static char *
issuing_pem (void)
{
  g_autofree char *chain = g_build_filename (server->dir, "demo", "ca.pem", NULL);
  g_autofree char *chain_pem = NULL;
  const char *end;

  g_assert_true (g_file_get_contents (chain, &chain_pem, NULL, NULL));
  end = strstr (chain_pem, "-----END CERTIFICATE-----");
  g_assert_nonnull (end);

  return write_letter ("issuing.pem", chain_pem, end - chain_pem + strlen ("-----END CERTIFICATE-----\n"));
}

static void
cancel_request (const char *user,
                const char *id)
{
  g_auto(Cli) cli = { 0 };
  const char *args[] = { "cancel", id, NULL };

  cli_run (&cli, user, args);
  g_assert_cmpint (cli.status, ==, 0);
}

/* ---------------------------------------------------------------------- */
/* End to end                                                              */

static void
test_end_to_end (void)
{
  g_auto(Cli) cli = { 0 };
  g_auto(Cli) queue = { 0 };
  g_auto(Cli) approve = { 0 };
  g_auto(Cli) check = { 0 };
  g_auto(Cli) status = { 0 };
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) queued = NULL;
  g_autoptr(JsonObject) decided = NULL;
  g_autoptr(JsonObject) checked = NULL;
  g_autoptr(CabutCertificate) cert = demo_certificate ("agus.wijaya");
  g_autofree char *letter = pdf_letter ();
  g_autofree char *cert_pem = cabut_certificate_to_pem (cert);
  g_autofree char *cert_path = write_letter ("agus.pem", cert_pem, strlen (cert_pem));
  g_autofree char *chain = g_build_filename (server->dir, "demo", "ca.pem", NULL);
  g_autofree char *issuing_path = NULL;
  g_autofree char *ocsp_url = g_strconcat (server->url, "pki/ocsp", NULL);
  g_autofree char *crl_url = g_strconcat (server->url, "pki/crl", NULL);
  g_autofree char *ocsp = NULL;
  g_autofree char *crl_text = NULL;
  g_autofree char *crl_path = NULL;
  g_autoptr(GBytes) crl = NULL;
  JsonArray *requests;
  const char *id;

  /* The applicant files, with proof that they hold the key. */
  request = submit (&cli, "agus.wijaya", "agus.wijaya", "keyCompromise", letter, "--note=Laptop dinas hilang");
  g_assert_nonnull (request);
  id = json_object_get_string_member (request, "id");
  g_assert_true (g_str_has_prefix (id, "CBT-"));
  g_assert_cmpstr (json_object_get_string_member (request, "status"), ==, "submitted");
  g_assert_nonnull (json_object_get_string_member (request, "due"));
  g_assert_true (json_object_get_boolean_member (request, "key_possession"));

  /* The officer sees it in the queue… */
  {
    const char *args[] = { "queue", "--json", NULL };
    cli_run (&queue, "dewi.verifikator", args);
  }
  g_assert_cmpint (queue.status, ==, 0);
  queued = cli_json (&queue);
  requests = json_object_get_array_member (queued, "requests");
  {
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (requests); i++)
      found |= g_strcmp0 (json_object_get_string_member (json_array_get_object_element (requests, i), "id"), id) == 0;
    g_assert_true (found);
  }

  /* …and approves: the CA revokes. */
  {
    const char *args[] = { "approve", "--json", id, "--note", "Data sesuai", NULL };
    cli_run (&approve, "dewi.verifikator", args);
  }
  g_assert_cmpint (approve.status, ==, 0);
  decided = cli_json (&approve);
  g_assert_cmpstr (json_object_get_string_member (decided, "status"), ==, "revoked");

  /* The applicant sees the decision in the history. */
  {
    const char *args[] = { "status", id, NULL };
    cli_run (&status, "agus.wijaya", args);
  }
  g_assert_cmpint (status.status, ==, 0);
  g_assert_nonnull (strstr (status.out, "approved: the certificate is revoked"));
  g_assert_nonnull (strstr (status.out, "Data sesuai"));

  /* Outside peer 1: openssl's OCSP client, verifying the signed answer. */
  issuing_path = issuing_pem ();
  {
    g_autofree char *ocsp_err = NULL;
    g_autofree char *verdict = g_strconcat (cert_path, ": revoked\n", NULL);
    int ocsp_status = -1;

    ocsp = cabut_test_openssl_verdict (&ocsp_status, &ocsp_err, "ocsp", "-issuer", issuing_path, "-cert", cert_path,
                                       "-url", ocsp_url, "-CAfile", chain, NULL);
    g_test_message ("openssl ocsp → %d\n%s%s", ocsp_status, ocsp, ocsp_err);
    g_assert_cmpint (ocsp_status, ==, 0);
    /* The signature checks out, and the answer for this certificate is revoked, for key compromise. */
    g_assert_nonnull (strstr (ocsp_err, "Response verify OK"));
    g_assert_true (g_str_has_prefix (ocsp, verdict));
    g_assert_nonnull (strstr (ocsp, "\tReason: keyCompromise\n"));
  }

  /* Outside peer 2: openssl verifies the CRL's signature and lists the serial. */
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", crl_url);
    crl = cabut_test_http (msg, SOUP_STATUS_OK);
  }
  crl_path = write_letter ("issuing.crl", g_bytes_get_data (crl, NULL), g_bytes_get_size (crl));
  {
    g_autofree char *crl_err = NULL;
    g_autofree char *entry_start = g_strconcat ("Serial Number: ", cabut_certificate_get_serial (cert), "\n", NULL);
    g_autofree char *entry = NULL;
    const char *start;
    const char *next;
    int crl_status = -1;

    crl_text = cabut_test_openssl_verdict (&crl_status, &crl_err, "crl", "-inform", "DER", "-in", crl_path,
                                           "-CAfile", chain, "-noout", "-text", NULL);
    g_assert_cmpint (crl_status, ==, 0);
    g_assert_cmpstr (crl_err, ==, "verify OK\n");
    /* This certificate's own entry, up to the next one, gives the reason. */
    start = strstr (crl_text, entry_start);
    g_assert_nonnull (start);
    next = strstr (start + strlen (entry_start), "Serial Number: ");
    entry = next != NULL ? g_strndup (start, next - start) : g_strdup (start);
    g_test_message ("CRL entry: %s", entry);
    g_assert_nonnull (strstr (entry, "X509v3 CRL Reason Code: \n                Key Compromise\n"));
  }
  {
    g_autofree char *crl_pem_path = g_build_filename (server->dir, "issuing-crl.pem", NULL);
    g_autofree char *converted = cabut_test_openssl ("crl", "-inform", "DER", "-in", crl_path, "-out",
                                                     crl_pem_path, NULL);
    g_autoptr(CabutCertificate) other = demo_certificate ("budi.santoso");
    g_autofree char *other_pem = cabut_certificate_to_pem (other);
    g_autofree char *other_path = write_letter ("budi.pem", other_pem, strlen (other_pem));
    g_autofree char *verify = NULL;
    g_autofree char *verify_err = NULL;
    g_autofree char *ok = NULL;
    g_autofree char *ok_err = NULL;
    g_autofree char *expected_ok = g_strconcat (other_path, ": OK\n", NULL);
    g_autofree char *expected_revoked = g_strdup_printf ("error 23 at 0 depth lookup: certificate revoked\n"
                                                         "error %s: verification failed\n", cert_path);
    int verify_status = -1;
    int ok_status = -1;

    g_assert_nonnull (converted);
    verify = cabut_test_openssl_verdict (&verify_status, &verify_err, "verify", "-crl_check", "-CAfile", chain,
                                         "-CRLfile", crl_pem_path, cert_path, NULL);
    g_test_message ("openssl verify → %d\n%s%s", verify_status, verify, verify_err);
    /* After the subject's line: revoked, and nothing else (not an unknown issuer, a bad CRL
     * signature or an expired CRL, which would each be an error of their own). */
    g_assert_cmpint (verify_status, ==, 2);
    g_assert_nonnull (strchr (verify_err, '\n'));
    g_assert_cmpstr (strchr (verify_err, '\n') + 1, ==, expected_revoked);

    /* The same CA file and CRL pass a certificate that is not on it: the check itself works. */
    ok = cabut_test_openssl_verdict (&ok_status, &ok_err, "verify", "-crl_check", "-CAfile", chain,
                                     "-CRLfile", crl_pem_path, other_path, NULL);
    g_test_message ("openssl verify → %d\n%s%s", ok_status, ok, ok_err);
    g_assert_cmpint (ok_status, ==, 0);
    g_assert_cmpstr (ok, ==, expected_ok);
  }

  /* The root's CRL (which covers the issuing CA) verifies too, and is not
   * signed afresh for every anonymous request. */
  {
    g_autofree char *root_crl_url = g_strconcat (server->url, "pki/root-crl", NULL);
    g_autoptr(SoupMessage) first = soup_message_new ("GET", root_crl_url);
    g_autoptr(SoupMessage) second = soup_message_new ("GET", root_crl_url);
    g_autoptr(GBytes) a = cabut_test_http (first, SOUP_STATUS_OK);
    g_autoptr(GBytes) b = cabut_test_http (second, SOUP_STATUS_OK);
    g_autofree char *root_path = write_letter ("root.crl", g_bytes_get_data (a, NULL), g_bytes_get_size (a));
    g_autofree char *root_text = cabut_test_openssl ("crl", "-inform", "DER", "-in", root_path, "-CAfile", chain,
                                                     "-noout", "-text", NULL);

    g_assert_true (g_bytes_equal (a, b));
    g_assert_nonnull (root_text);
    g_assert_nonnull (strstr (root_text, "CN = Cabut Demo Root CA"));
  }

  /* And our own checker agrees. */
  {
    const char *args[] = { "check", "--json", "--issuer", issuing_path, cert_path, NULL };
    cli_run (&check, NULL, args);
  }
  g_assert_cmpint (check.status, ==, 0);
  checked = cli_json (&check);
  g_assert_cmpstr (json_object_get_string_member (checked, "status"), ==, "revoked");
  g_assert_cmpstr (json_object_get_string_member (checked, "reason"), ==, "keyCompromise");
  g_assert_cmpstr (json_object_get_string_member (checked, "source"), ==, "ocsp");

  /* A revoked certificate cannot be revoked again. */
  {
    g_auto(Cli) again = { 0 };
    g_autoptr(JsonObject) none = submit (&again, "agus.wijaya", "agus.wijaya", "superseded", letter, NULL);

    g_assert_null (none);
    g_assert_cmpint (again.status, ==, 1);
    g_assert_cmpstr (again.err, ==, "cabut-cli: This certificate is already revoked\n");
  }
}

/* ---------------------------------------------------------------------- */
/* Refusals                                                                */

static void
test_not_your_certificate (void)
{
  g_auto(Cli) cli = { 0 };
  g_autofree char *letter = pdf_letter ();
  g_autofree char *cert = p12_path ("budi.santoso");
  g_autofree char *pwvar = g_strdup_printf ("CABUT_TEST_OTHER_P12");
  const char *args[] = { "submit", "--cert", cert, "--cert-password-env", pwvar,
                         "--reason", "keyCompromise", "--letter", letter, NULL };

  const char *count_sql = "SELECT count(*) FROM requests r JOIN accounts a ON a.id = r.account_id "
                          "WHERE a.username = 'siti.rahmawati'";
  gint64 before = db_count (count_sql);

  /* Siti holds Budi's file and password, but the certificate is Budi's. */
  g_setenv (pwvar, account ("budi.santoso", "p12_password"), TRUE);
  cli_run (&cli, "siti.rahmawati", args);
  g_unsetenv (pwvar);

  g_assert_cmpint (cli.status, ==, 1);
  g_assert_nonnull (strstr (cli.err, "not registered to your account"));
  g_assert_cmpint (db_count (count_sql), ==, before);
}

static void
test_dn_and_serial_mismatch (void)
{
  g_autofree char *token = sign_in ("siti.rahmawati");
  g_autoptr(CabutCertificate) cert = demo_certificate ("siti.rahmawati");
  g_autoptr(GBytes) letter = g_bytes_new_static ("%PDF-1.4\n", 9);
  g_autofree char *wrong_dn = metadata_json (cabut_certificate_get_serial (cert), "CN=Siti Rahmawati,O=Lain,C=ID",
                                             "superseded", NULL);
  g_autofree char *wrong_serial = metadata_json ("0BADBAD0", cabut_certificate_get_subject_string (cert),
                                                 "superseded", NULL);
  g_autoptr(SoupMessage) dn = raw_submission (token, wrong_dn, "surat.pdf", letter, NULL);
  g_autoptr(SoupMessage) serial = raw_submission (token, wrong_serial, "surat.pdf", letter, NULL);
  g_autoptr(GBytes) dn_body = cabut_test_http (dn, SOUP_STATUS_FORBIDDEN);
  g_autoptr(GBytes) serial_body = cabut_test_http (serial, SOUP_STATUS_FORBIDDEN);

  g_assert_cmpstr (error_code (dn_body), ==, "dn_mismatch");
  g_assert_cmpstr (error_code (serial_body), ==, "not_your_certificate");

  /* The same DN in another case and spacing is the same DN (RFC 5280 §7.1). */
  {
    g_autofree char *upper = g_utf8_strup (cabut_certificate_get_subject_string (cert), -1);
    g_autofree char *meta = metadata_json (cabut_certificate_get_serial (cert), upper, "superseded", NULL);
    g_autoptr(SoupMessage) ok = NULL;
    g_autoptr(GBytes) body = NULL;
    g_autoptr(JsonNode) node = NULL;

    /* Upper-casing C=ID keeps it valid; escapes survive strup. */
    ok = raw_submission (token, meta, "surat.pdf", letter, NULL);
    body = cabut_test_http (ok, SOUP_STATUS_CREATED);
    node = json_from_string (g_bytes_get_data (body, NULL), NULL);
    /* Without a signature part, possession of the key is not claimed. */
    g_assert_false (json_object_get_boolean_member (json_node_get_object (node), "key_possession"));
    cancel_request ("siti.rahmawati", json_object_get_string_member (json_node_get_object (node), "id"));
  }
}

static void
test_wrong_password_and_lockout (void)
{
  g_autofree char *url = api_url ("session");
  g_auto(Cli) wrong = { 0 };
  g_autoptr(GBytes) locked = NULL;
  const char *args[] = { "list", NULL };
  g_auto(GStrv) envp = NULL;

  /* The CLI with a wrong password: exit 3, a clear message. */
  {
    const char *argv[] = { g_getenv ("CABUT_CLI"), "--server", server->url, "--user", "agus.wijaya",
                           "--password-env", "WRONG_PW", "list", NULL };
    envp = g_environ_setenv (g_get_environ (), "WRONG_PW", "bukan-sandinya", TRUE);
    envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);
    g_assert_true (cabut_test_run (argv, (const char * const *) envp, &wrong.out, &wrong.err, &wrong.status));
  }
  g_assert_cmpint (wrong.status, ==, 3);
  g_assert_cmpstr (wrong.err, ==, "cabut-cli: The username or password is not correct\n");
  g_assert_null (strstr (wrong.err, "bukan-sandinya"));

  /* Four more failures lock the account, even for the right password. */
  for (int i = 0; i < 4; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      static const char json[] = "{\"username\": \"agus.wijaya\", \"password\": \"salah-lagi\"}";
      g_autoptr(GBytes) request = g_bytes_new_static (json, strlen (json));
      g_autoptr(GBytes) body = NULL;

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
      body = cabut_test_http (msg, i < 3 ? SOUP_STATUS_UNAUTHORIZED : SOUP_STATUS_LOCKED);
      g_assert_cmpstr (error_code (body), ==, i < 3 ? "bad_credentials" : "locked");
    }

  {
    g_autofree char *json = g_strdup_printf ("{\"username\": \"agus.wijaya\", \"password\": \"%s\"}",
                                             account ("agus.wijaya", "password"));
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));

    soup_message_set_request_body_from_bytes (msg, "application/json", request);
    locked = cabut_test_http (msg, SOUP_STATUS_LOCKED);
    g_assert_cmpstr (error_code (locked), ==, "locked");
    g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
  }

  {
    g_auto(Cli) cli = { 0 };
    cli_run (&cli, "agus.wijaya", args);
    g_assert_cmpint (cli.status, ==, 3);
    g_assert_cmpstr (cli.err, ==, "cabut-cli: Too many failed sign-ins: the account is locked for 15 more minutes\n");
  }

  /* An administrator's unlock is the database; here time passes. */
  {
    sqlite3 *db = open_db ();
    g_assert_cmpint (sqlite3_exec (db, "DELETE FROM sign_in_failures WHERE username = 'agus.wijaya'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  {
    g_auto(Cli) cli = { 0 };
    cli_run (&cli, "agus.wijaya", args);
    g_assert_cmpint (cli.status, ==, 0);
  }
}

static void
test_expired_and_revoked_token (void)
{
  g_autofree char *token = sign_in ("budi.santoso");
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
  g_autofree char *sql = g_strdup_printf ("UPDATE sessions SET expires_at = 1 WHERE token_hash = '%s'", hash);
  g_autofree char *other = sign_in ("budi.santoso");
  g_autoptr(SoupMessage) before = authed ("GET", "me", token);
  g_autoptr(SoupMessage) after = authed ("GET", "me", token);
  g_autoptr(SoupMessage) sign_out = authed ("DELETE", "session", other);
  g_autoptr(SoupMessage) after_sign_out = authed ("GET", "me", other);
  g_autoptr(GBytes) b1 = cabut_test_http (before, SOUP_STATUS_OK);
  g_autoptr(GBytes) b2 = NULL;
  g_autoptr(GBytes) b3 = NULL;
  g_autoptr(GBytes) b4 = NULL;
  sqlite3 *db;

  /* Tokens are stored hashed only. */
  g_assert_cmpint (db_count ("SELECT count(*) FROM sessions WHERE length(token_hash) = 64"), >=, 2);

  db = open_db ();
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  b2 = cabut_test_http (after, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpstr (error_code (b2), ==, "unauthorized");

  b3 = cabut_test_http (sign_out, SOUP_STATUS_NO_CONTENT);
  b4 = cabut_test_http (after_sign_out, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpstr (error_code (b4), ==, "unauthorized");
}

/* An applicant refused for being an applicant, on a request that exists and
 * that they can see (their own), and on someone else's, which they cannot. */
static void
test_operator_verbs_as_applicant (void)
{
  g_autofree char *letter = pdf_letter ();
  g_auto(Cli) own = { 0 };
  g_auto(Cli) others = { 0 };
  g_autoptr(JsonObject) mine = submit (&own, "budi.santoso", "budi.santoso", "superseded", letter, NULL);
  g_autoptr(JsonObject) theirs = submit (&others, "siti.rahmawati", "siti.rahmawati", "superseded", letter, NULL);
  const char *ids[2];
  const char *verbs[][3] = {
    { "approve", NULL, NULL },
    { "reject", "--note=tidak", NULL },
    { "review", NULL, NULL },
  };
  g_autofree char *state_sql = NULL;

  g_assert_nonnull (mine);
  g_assert_nonnull (theirs);
  ids[0] = json_object_get_string_member (mine, "id");
  ids[1] = json_object_get_string_member (theirs, "id");

  {
    g_auto(Cli) cli = { 0 };
    const char *args[] = { "queue", NULL };

    cli_run (&cli, "budi.santoso", args);
    g_assert_cmpint (cli.status, ==, 1);
    g_assert_cmpstr (cli.err, ==, "cabut-cli: Only a verification officer may see the queue\n");
  }

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    for (guint whose = 0; whose < 2; whose++)
      {
        g_auto(Cli) cli = { 0 };
        const char *args[] = { verbs[i][0], ids[whose], verbs[i][1], NULL };
        g_autofree char *expected = whose == 0
          ? g_strdup ("cabut-cli: Only a verification officer may do this\n")
          : g_strdup_printf ("cabut-cli: There is no request %s\n", ids[whose]);

        cli_run (&cli, "budi.santoso", args);
        g_assert_cmpint (cli.status, ==, 1);
        g_assert_cmpstr (cli.err, ==, expected);
      }

  /* And nothing was decided. */
  state_sql = g_strdup_printf ("SELECT count(*) FROM requests WHERE number IN ('%s', '%s') AND state = 'submitted'",
                               ids[0], ids[1]);
  g_assert_cmpint (db_count (state_sql), ==, 2);

  cancel_request ("budi.santoso", ids[0]);
  cancel_request ("siti.rahmawati", ids[1]);
}

static GBytes *
sized_letter (gsize size)
{
  guint8 *data = g_malloc (size);

  memset (data, 'x', size);
  memcpy (data, "%PDF-1.4\n", 9);

  return g_bytes_new_take (data, size);
}

static void
test_oversize_letter (void)
{
  g_autofree char *token = sign_in ("siti.rahmawati");
  g_autofree char *meta = metadata_for ("siti.rahmawati", "superseded", NULL);
  g_autoptr(GBytes) big = sized_letter (40 * 1024 * 1024);
  g_autoptr(GBytes) just_over = sized_letter (10 * 1024 * 1024 + 1);
  g_autoptr(SoupMessage) declared = raw_submission (token, meta, "besar.pdf", big, NULL);
  g_autoptr(SoupMessage) chunked = authed ("POST", "requests", token);
  g_autoptr(SoupMessage) small_over = raw_submission (token, meta, "besar.pdf", just_over, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) body2 = NULL;
  g_autoptr(GBytes) body3 = NULL;
  gsize before = cabut_test_proc_kib (server->proc, "VmHWM");
  gsize after;

  /* Declared too large: refused on the headers. */
  body = cabut_test_http (declared, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_assert_cmpstr (error_code (body), ==, "too_large");

  /* Chunked, with no length to refuse it by: counted as it comes and dropped. */
  {
    g_autofree char *type = NULL;
    g_autoptr(GBytes) whole = multipart_body (meta, "besar.pdf", big, &type);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (whole);

    soup_message_set_request_body (chunked, type, stream, -1);
    body2 = cabut_test_http (chunked, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
    g_assert_cmpstr (error_code (body2), ==, "too_large");
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_request_headers (chunked),
                                                   "Transfer-Encoding"), ==, "chunked");
  }

  /* Two 40 MiB bodies never sat in the server's memory. (AddressSanitizer
   * keeps freed chunks in quarantine, which makes RSS meaningless there.) */
  after = cabut_test_proc_kib (server->proc, "VmHWM");
  g_test_message ("server peak RSS %zu KiB → %zu KiB", before, after);
#if !CABUT_UNDER_ASAN
  g_assert_cmpuint (after, <, before + 8 * 1024);
#endif

  /* Just over the limit, with a length that passes the first check. */
  body3 = cabut_test_http (small_over, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_assert_cmpstr (error_code (body3), ==, "too_large");

  /* Nothing was filed, nothing was left behind. */
  g_assert_cmpint (db_count ("SELECT count(*) FROM requests r JOIN accounts a ON a.id = r.account_id "
                             "WHERE a.username = 'siti.rahmawati' AND r.state = 'submitted'"), ==, 0);
  {
    g_autofree char *uploads = g_build_filename (server->dir, "uploads", NULL);
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    gboolean empty = FALSE;

    /* The server removes the temporary file once its answer is out. */
    while (!empty && g_get_monotonic_time () < deadline)
      {
        g_autoptr(GDir) dir = g_dir_open (uploads, 0, NULL);

        empty = g_dir_read_name (dir) == NULL;
        if (!empty)
          g_usleep (20000);
      }
    g_assert_true (empty);
  }
}

static void
test_wrong_type_and_malformed (void)
{
  g_autofree char *token = sign_in ("siti.rahmawati");
  g_autofree char *meta = metadata_for ("siti.rahmawati", "superseded", NULL);
  static const char plain[] = "Ini bukan PDF, hanya teks biasa.\n";
  g_autoptr(GBytes) text = g_bytes_new_static (plain, strlen (plain));
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n", 9);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(SoupMessage) wrong_type = raw_submission (token, meta, "surat.pdf", text, NULL);
  g_autoptr(SoupMessage) bad_json = raw_submission (token, "{\"serial\": ", "surat.pdf", pdf, NULL);
  g_autoptr(SoupMessage) empty_letter = raw_submission (token, meta, "surat.pdf", empty, NULL);
  g_autoptr(SoupMessage) bad_reason = NULL;
  g_autoptr(SoupMessage) not_multipart = authed ("POST", "requests", token);
  g_autofree char *session_url = api_url ("session");
  g_autoptr(SoupMessage) bad_login = soup_message_new ("POST", session_url);
  g_autoptr(GBytes) b1 = NULL, b2 = NULL, b3 = NULL, b4 = NULL, b5 = NULL, b6 = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("{not json", 9);
  g_autofree char *withheld = metadata_for ("siti.rahmawati", "privilegeWithdrawn", NULL);

  b1 = cabut_test_http (wrong_type, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  g_assert_cmpstr (error_code (b1), ==, "unsupported_letter");
  b2 = cabut_test_http (bad_json, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (error_code (b2), ==, "bad_request");
  b3 = cabut_test_http (empty_letter, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (error_code (b3), ==, "empty_letter");

  /* Only the authority withdraws privileges. */
  bad_reason = raw_submission (token, withheld, "surat.pdf", pdf, NULL);
  b4 = cabut_test_http (bad_reason, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (error_code (b4), ==, "bad_reason");

  soup_message_set_request_body_from_bytes (not_multipart, "application/json", garbage);
  b5 = cabut_test_http (not_multipart, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (error_code (b5), ==, "bad_request");

  soup_message_set_request_body_from_bytes (bad_login, "application/json", garbage);
  b6 = cabut_test_http (bad_login, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (error_code (b6), ==, "bad_request");

  g_assert_cmpint (db_count ("SELECT count(*) FROM requests r JOIN accounts a ON a.id = r.account_id "
                             "WHERE a.username = 'siti.rahmawati' AND r.state = 'submitted'"), ==, 0);
}

static void
test_path_traversal_and_sql (void)
{
  g_autofree char *token = sign_in ("siti.rahmawati");
  const char *note = "Robert'); DROP TABLE requests; -- \"quoted\" %s %n \\ 100%";
  g_autofree char *meta = metadata_for ("siti.rahmawati", "cessationOfOperation", note);
  static const char traversal[] = "%PDF-1.4\n% traversal\n";
  g_autoptr(GBytes) pdf = g_bytes_new_static (traversal, strlen (traversal));
  g_autoptr(SoupMessage) msg = raw_submission (token, meta, "../../../../tmp/cabut-escape.pdf", pdf, NULL);
  g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_CREATED);
  g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);
  JsonObject *request = json_node_get_object (node);
  g_autofree char *letters = g_build_filename (server->dir, "letters", NULL);
  g_autoptr(GDir) dir = g_dir_open (letters, 0, NULL);
  const char *name;

  /* The note comes back exactly as sent; the tables are all still there. */
  g_assert_cmpstr (json_object_get_string_member (request, "note"), ==, note);
  g_assert_cmpint (db_count ("SELECT count(*) FROM sqlite_master WHERE name = 'requests'"), ==, 1);
  g_assert_false (g_file_test ("/tmp/cabut-escape.pdf", G_FILE_TEST_EXISTS));

  /* Letters live under their SHA-256, nowhere else. */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_cmpuint (strlen (name), ==, 64);
      for (const char *p = name; *p; p++)
        g_assert_true (g_ascii_isxdigit (*p));
    }
  {
    g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
    g_autofree char *stored = g_build_filename (letters, sha, NULL);
    g_assert_true (g_file_test (stored, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (request, "letter"), "sha256"), ==, sha);
  }

  cancel_request ("siti.rahmawati", json_object_get_string_member (request, "id"));

  /* Paths nobody serves are 404 with an error, not a 500; so are names
   * that only begin like a resource's. */
  {
    const char *paths[] = { "nothing", "../../etc/passwd", "api/v1/", "api/v1/meow", "api/v1/health/x",
                            "api/v1/queue/x" };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autofree char *url = g_strconcat (server->url, paths[i], NULL);
        g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
        g_autoptr(SoupMessage) get = soup_message_new ("GET", url);
        g_autoptr(GBytes) answer = NULL;

        soup_message_headers_replace (soup_message_get_request_headers (get), "Authorization", auth);
        answer = cabut_test_http (get, SOUP_STATUS_NOT_FOUND);
        g_assert_cmpstr (error_code (answer), ==, "not_found");
      }
  }
}

static void
test_idempotency (void)
{
  g_autofree char *letter = pdf_letter ();
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *key_arg = g_strconcat ("--idempotency-key=", key, NULL);
  g_auto(Cli) first = { 0 };
  g_auto(Cli) second = { 0 };
  g_autoptr(JsonObject) a = submit (&first, "siti.rahmawati", "siti.rahmawati", "superseded", letter, key_arg);
  g_autoptr(JsonObject) b = submit (&second, "siti.rahmawati", "siti.rahmawati", "superseded", letter, key_arg);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM requests WHERE idempotency_key = '%s'", key);

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (json_object_get_string_member (a, "id"), ==, json_object_get_string_member (b, "id"));
  g_assert_cmpint (db_count (sql), ==, 1);

  cancel_request ("siti.rahmawati", json_object_get_string_member (a, "id"));

  /* Without the same key a second filing is a second request. */
  {
    g_auto(Cli) third = { 0 };
    g_autoptr(JsonObject) c = submit (&third, "siti.rahmawati", "siti.rahmawati", "superseded", letter, NULL);

    g_assert_nonnull (c);
    g_assert_cmpstr (json_object_get_string_member (c, "id"), !=, json_object_get_string_member (a, "id"));
    cancel_request ("siti.rahmawati", json_object_get_string_member (c, "id"));
  }
}

static void
test_one_open_request_and_reject (void)
{
  g_autofree char *letter = pdf_letter ();
  g_auto(Cli) first = { 0 };
  g_auto(Cli) second = { 0 };
  g_auto(Cli) reject = { 0 };
  g_auto(Cli) own = { 0 };
  g_autoptr(JsonObject) a = submit (&first, "budi.santoso", "budi.santoso", "affiliationChanged", letter, NULL);
  g_autoptr(JsonObject) b = submit (&second, "budi.santoso", "budi.santoso", "affiliationChanged", letter, NULL);
  const char *id;

  g_assert_nonnull (a);
  g_assert_null (b);
  id = json_object_get_string_member (a, "id");
  g_assert_cmpint (second.status, ==, 1);
  {
    g_autofree char *expected = g_strdup_printf ("cabut-cli: A request to revoke this certificate is already "
                                                 "being processed: %s\n", id);
    g_assert_cmpstr (second.err, ==, expected);
  }

  /* Rejecting needs a reason the applicant can act on. */
  {
    const char *args[] = { "reject", id, NULL };
    cli_run (&own, "dewi.verifikator", args);
    g_assert_cmpint (own.status, ==, 2);
    g_assert_cmpstr (own.err, ==, "cabut-cli: reject needs --note TEXT saying why (see “cabut-cli --help”)\n");
  }
  {
    g_auto(Cli) blank = { 0 };
    const char *args[] = { "reject", id, "--note", "   ", NULL };

    cli_run (&blank, "dewi.verifikator", args);
    g_assert_cmpint (blank.status, ==, 1);
    g_assert_cmpstr (blank.err, ==, "cabut-cli: Say why the request is rejected, so the applicant can put it right\n");
  }
  {
    const char *args[] = { "reject", "--json", id, "--note", "Surat belum ditandatangani", NULL };
    cli_run (&reject, "dewi.verifikator", args);
    g_assert_cmpint (reject.status, ==, 0);
  }

  /* After a rejection the applicant may file again. */
  {
    g_auto(Cli) again = { 0 };
    g_autoptr(JsonObject) c = submit (&again, "budi.santoso", "budi.santoso", "affiliationChanged", letter, NULL);

    g_assert_nonnull (c);
    cancel_request ("budi.santoso", json_object_get_string_member (c, "id"));
  }
}

/* ---------------------------------------------------------------------- */
/* Failing closed                                                          */

static GBytes *
get_crl (void)
{
  g_autofree char *url = g_strconcat (server->url, "pki/crl", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  return cabut_test_http (msg, SOUP_STATUS_OK);
}

/* The CRL served once it is no longer @old: a GET that finds the CRL
 * stale serves it while the next is made in the background. */
static GBytes *
get_crl_after (GBytes *old)
{
  GBytes *crl = get_crl ();

  for (int i = 0; i < 100 && g_bytes_equal (crl, old); i++)
    {
      g_bytes_unref (crl);
      g_usleep (100 * 1000);
      crl = get_crl ();
    }

  return crl;
}

/* openssl's reading of a DER CRL: "crlNumber=0x…" and every entry. */
static char *
crl_text (GBytes *crl)
{
  g_autofree char *path = write_letter ("judged.crl", g_bytes_get_data (crl, NULL), g_bytes_get_size (crl));
  g_autofree char *chain = g_build_filename (server->dir, "demo", "ca.pem", NULL);
  g_autofree char *err = NULL;
  int status = -1;
  char *text;

  text = cabut_test_openssl_verdict (&status, &err, "crl", "-inform", "DER", "-in", path, "-CAfile", chain,
                                     "-noout", "-crlnumber", "-text", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "verify OK\n");

  return text;
}

static guint
count_entries (const char *text)
{
  guint n = 0;

  for (const char *p = strstr (text, "Serial Number: "); p != NULL; p = strstr (p + 1, "Serial Number: "))
    n++;

  return n;
}

static gboolean
crl_lists (const char *text,
           const char *serial)
{
  g_autofree char *entry = g_strconcat ("Serial Number: ", serial, "\n", NULL);

  return strstr (text, entry) != NULL;
}

/* openssl ocsp's verdict on a serial of the issuing CA: its first line. */
static char *
ocsp_verdict (const char *serial)
{
  g_autofree char *issuing = issuing_pem ();
  g_autofree char *chain = g_build_filename (server->dir, "demo", "ca.pem", NULL);
  g_autofree char *url = g_strconcat (server->url, "pki/ocsp", NULL);
  g_autofree char *hex = g_strconcat ("0x", serial, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  out = cabut_test_openssl_verdict (&status, &err, "ocsp", "-issuer", issuing, "-serial", hex, "-url", url,
                                    "-CAfile", chain, NULL);
  g_test_message ("openssl ocsp %s → %d\n%s%s", serial, status, out, err);

  return g_strconcat (out, err, NULL);
}

/* The limit on the size any file of the running service may grow to: 0 is
 * a full disk for every file that must grow. */
static void
set_file_size_limit (rlim_t limit)
{
  const char *pid = g_subprocess_get_identifier (server->proc);
  struct rlimit current;
  struct rlimit wanted;

  g_assert_cmpint (prlimit (atoi (pid), RLIMIT_FSIZE, NULL, &current), ==, 0);
  wanted.rlim_cur = limit;
  wanted.rlim_max = current.rlim_max;
  g_assert_cmpint (prlimit (atoi (pid), RLIMIT_FSIZE, &wanted, NULL), ==, 0);
}

/* Runs a checkpoint from our own connection while the service idles: the
 * whole log is copied into the database (and with TRUNCATE, emptied). */
static void
wal_checkpoint (const char *mode)
{
  sqlite3 *db = open_db ();
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA wal_checkpoint (%s)", mode);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_test_message ("checkpoint %s: busy %d, log %d, done %d", mode, sqlite3_column_int (stmt, 0),
                  sqlite3_column_int (stmt, 1), sqlite3_column_int (stmt, 2));
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, sqlite3_column_int (stmt, 2));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static SoupMessage *
decision (const char *token,
          const char *id,
          const char *action)
{
  g_autofree char *path = g_strdup_printf ("requests/%s/%s", id, action);
  SoupMessage *msg = authed ("POST", path, token);
  static const char body[] = "{\"note\": \"Data sesuai\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, sizeof body - 1);

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  return msg;
}

static const char *
request_status (const char *token,
                const char *id)
{
  static char status[32];
  g_autofree char *path = g_strconcat ("requests/", id, NULL);
  g_autoptr(SoupMessage) msg = authed ("GET", path, token);
  g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_OK);
  g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);

  g_strlcpy (status, json_object_get_string_member (json_node_get_object (node), "status"), sizeof status);

  return status;
}

/* Files in a folder of the service's; with @prefix, only those so named. */
static guint
count_files (const char *subdir,
             const char *prefix)
{
  g_autofree char *path = g_build_filename (server->dir, subdir, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    n += prefix == NULL || g_str_has_prefix (name, prefix);

  return n;
}

/* The running case's server again, its warnings not fatal. */
static void
server_restart_lenient (void)
{
  server_stop (server, SIGTERM);
  server->lenient = TRUE;
  server_start (server, server->listen);
}

/* A full disk: with no room at all the service refuses the decision and
 * the filing, changing nothing; with room for the database but none for
 * the CRL's file, the decision holds (OCSP says revoked) while the last
 * good CRL stays the one served. Room again, and all of it catches up. */
static void
test_disk_full (void)
{
  g_autofree char *letter_path = pdf_letter ();
  g_autofree char *crl_path = g_build_filename (server->dir, "ca", "issuing.crl", NULL);
  g_autofree char *officer = sign_in ("dewi.verifikator");
  g_autofree char *budi = sign_in ("budi.santoso");
  g_autofree char *budi_metadata = metadata_for ("budi.santoso", "affiliationChanged", NULL);
  g_autofree char *letter_data = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *wal = g_build_filename (server->dir, "cabut.db-wal", NULL);
  g_autoptr(CabutCertificate) cert = demo_certificate ("agus.wijaya");
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_auto(Cli) cli = { 0 };
  const char *serial = cabut_certificate_get_serial (cert);
  const char *id;
  gsize letter_len = 0;
  guint letters;
  GStatBuf st;

  server_restart_lenient ();
  request = submit (&cli, "agus.wijaya", "agus.wijaya", "keyCompromise", letter_path, NULL);
  g_assert_nonnull (request);
  id = json_object_get_string_member (request, "id");
  g_assert_true (g_file_get_contents (letter_path, &letter_data, &letter_len, NULL));
  letter = g_bytes_new (letter_data, letter_len);
  before = get_crl ();
  before_text = crl_text (before);
  g_assert_false (crl_lists (before_text, serial));
  letters = count_files ("letters", NULL);

  /* No room at all: the log emptied, and no file may be written past its
   * first byte. */
  wal_checkpoint ("TRUNCATE");
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
  set_file_size_limit (0);

  {
    /* SQLite says only that its write failed (a file size limit is no
     * ENOSPC); a full disk would be disk_full. */
    g_autoptr(SoupMessage) msg = decision (officer, id, "approve");
    g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_INSUFFICIENT_STORAGE);

    g_assert_cmpstr (error_code (body), ==, "storage_error");
  }
  {
    g_autoptr(SoupMessage) msg = raw_submission (budi, budi_metadata, "surat.pdf", letter, "disk-full-1");
    g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_INSUFFICIENT_STORAGE);

    g_assert_cmpstr (error_code (body), ==, "disk_full");
  }
  /* Nothing changed, nothing was kept. */
  g_assert_cmpstr (request_status (officer, id), ==, "submitted");
  g_assert_cmpint (db_count ("SELECT count(*) FROM requests r JOIN accounts a ON a.id = r.account_id "
                             "WHERE a.username = 'budi.santoso' AND r.state = 'submitted'"), ==, 0);
  g_assert_cmpint (count_files ("letters", NULL), ==, letters);
  g_assert_cmpint (count_files ("uploads", NULL), ==, 0);
  {
    g_autoptr(GBytes) crl = get_crl ();
    g_autofree char *ocsp = ocsp_verdict (serial);

    g_assert_true (g_bytes_equal (crl, before));
    g_assert_true (g_str_has_prefix (ocsp, "0x"));
    g_assert_nonnull (strstr (ocsp, ": good\n"));
  }

  /* Room again, but the CRL cannot be written (its name is taken by a
   * folder): the decision holds, and the CA's status service says so at
   * once, while the CRL that could not be written is not served. */
  set_file_size_limit (RLIM_INFINITY);
  g_assert_cmpint (g_unlink (crl_path), ==, 0);
  g_assert_cmpint (g_mkdir (crl_path, 0700), ==, 0);
  {
    g_autoptr(SoupMessage) msg = decision (officer, id, "approve");
    g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_OK);
  }
  g_assert_cmpstr (request_status (officer, id), ==, "revoked");
  {
    g_autoptr(GBytes) crl = get_crl ();
    g_autofree char *ocsp = ocsp_verdict (serial);

    g_assert_nonnull (strstr (ocsp, ": revoked\n"));
    g_assert_true (g_bytes_equal (crl, before));
    g_assert_cmpint (count_files ("ca", ".tmp-"), ==, 0);
  }
  g_assert_cmpint (g_rmdir (crl_path), ==, 0);

  /* All of it room again: the next CRL lists it, is the one on disk, and
   * the refused filing goes through. */
  {
    g_autoptr(GBytes) crl = get_crl_after (before);
    g_autofree char *text = crl_text (crl);
    g_autofree char *on_disk = NULL;
    gsize on_disk_len = 0;

    g_assert_true (g_file_get_contents (crl_path, &on_disk, &on_disk_len, NULL));
    g_assert_cmpmem (on_disk, on_disk_len, g_bytes_get_data (crl, NULL), g_bytes_get_size (crl));

    g_assert_true (crl_lists (text, serial));
    g_assert_cmpuint (count_entries (text), ==, count_entries (before_text) + 1);
    g_assert_cmpstr (strstr (text, "crlNumber="), !=, strstr (before_text, "crlNumber="));
  }
  {
    g_autoptr(SoupMessage) msg = raw_submission (budi, budi_metadata, "surat.pdf", letter, "disk-full-1");
    g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_CREATED);
  }
}

/* @count revoked certificates of the issuing CA, as a registry imported
 * from an existing CA holds them, added beside the running service. */
static void
add_revoked (int count)
{
  sqlite3 *db = open_db ();
  sqlite3_stmt *owner = NULL;
  sqlite3_stmt *insert = NULL;

  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT account_id, issuer FROM certificates LIMIT 1", -1, &owner,
                                       NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (owner), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO certificates (account_id, serial, issuer, subject, "
                                           "subject_der, not_before, not_after, status, revoked_at, "
                                           "revocation_reason) VALUES (?, ?, ?, 'CN=Lama', X'3000', 0, 1, "
                                           "'revoked', ?, 4)", -1, &insert, NULL), ==, SQLITE_OK);
  for (int i = 0; i < count; i++)
    {
      g_autofree char *serial = g_strdup_printf ("7E57%06X", i);

      sqlite3_bind_int64 (insert, 1, sqlite3_column_int64 (owner, 0));
      sqlite3_bind_text (insert, 2, serial, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 3, (const char *) sqlite3_column_text (owner, 1), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 4, 1700000000 + i);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
    }
  sqlite3_finalize (insert);
  sqlite3_finalize (owner);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* An audit row the database refuses (a trigger raises): the decision it
 * would record does not commit either — no state change, no event, no
 * revocation — and goes through once the audit log takes it. */
static void
test_audit_refused (void)
{
  g_autofree char *letter = pdf_letter ();
  g_autofree char *officer = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_auto(Cli) cli = { 0 };
  g_autofree char *events_sql = NULL;
  const char *id;
  gint64 events;

  server_restart_lenient ();
  officer = sign_in ("dewi.verifikator");
  request = submit (&cli, "agus.wijaya", "agus.wijaya", "keyCompromise", letter, NULL);
  g_assert_nonnull (request);
  id = json_object_get_string_member (request, "id");
  events_sql = g_strdup_printf ("SELECT count(*) FROM events e JOIN requests r ON r.id = e.request_id "
                                "WHERE r.number = '%s'", id);
  events = db_count (events_sql);

  {
    sqlite3 *db = open_db ();

    g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit "
                                       "BEGIN SELECT RAISE (ABORT, 'the audit log is refused'); END",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  {
    g_autoptr(SoupMessage) msg = decision (officer, id, "approve");
    g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR);

    g_assert_cmpstr (error_code (body), ==, "server_error");
  }
  g_assert_cmpstr (request_status (officer, id), ==, "submitted");
  g_assert_cmpint (db_count (events_sql), ==, events);
  g_assert_cmpint (db_count ("SELECT count(*) FROM certificates WHERE status = 'revoked'"), ==, 0);

  {
    sqlite3 *db = open_db ();

    g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER refuse_audit", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  {
    g_autoptr(SoupMessage) msg = decision (officer, id, "approve");
    g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_OK);
  }
  g_assert_cmpstr (request_status (officer, id), ==, "revoked");
  g_assert_cmpint (db_count (events_sql), ==, events + 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE action = 'request.approve' "
                                            "AND target = '%s'", id);
    g_assert_cmpint (db_count (sql), ==, 1);
  }
}

/* Every page of the database file holding @needle (the table's and the
 * index's) overwritten in place; returns what was there, page number and
 * bytes in turn. */
static GPtrArray *
damage_pages (const char *needle)
{
  g_autofree char *path = g_build_filename (server->dir, "cabut.db", NULL);
  g_autofree char *contents = NULL;
  GPtrArray *saved = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const gsize page_size = 4096;
  gsize len = 0;
  FILE *file;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  file = fopen (path, "r+b");
  g_assert_nonnull (file);
  for (gsize page = 0; page * page_size < len; page++)
    {
      const char *start = contents + page * page_size;
      char garbage[4096];

      if (memmem (start, MIN (page_size, len - page * page_size), needle, strlen (needle)) == NULL)
        continue;
      /* Page 1 is the file's header and the schema: keep the file a database. */
      g_assert_cmpuint (page, >, 0);
      g_ptr_array_add (saved, g_bytes_new (&page, sizeof page));
      g_ptr_array_add (saved, g_bytes_new (start, page_size));
      memset (garbage, 0xA5, sizeof garbage);
      g_assert_cmpint (fseek (file, page * page_size, SEEK_SET), ==, 0);
      g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, file), ==, sizeof garbage);
    }
  g_assert_cmpint (fclose (file), ==, 0);
  g_assert_cmpuint (saved->len, >=, 2);

  return saved;
}

static void
mend_pages (GPtrArray *saved)
{
  g_autofree char *path = g_build_filename (server->dir, "cabut.db", NULL);
  FILE *file = fopen (path, "r+b");

  g_assert_nonnull (file);
  for (guint i = 0; i < saved->len; i += 2)
    {
      const gsize *page = g_bytes_get_data (g_ptr_array_index (saved, i), NULL);
      GBytes *bytes = g_ptr_array_index (saved, i + 1);

      g_assert_cmpint (fseek (file, *page * 4096, SEEK_SET), ==, 0);
      g_assert_cmpuint (fwrite (g_bytes_get_data (bytes, NULL), 1, 4096, file), ==, 4096);
    }
  g_assert_cmpint (fclose (file), ==, 0);
}

/* A database damaged under the service. A question about a certificate on
 * the damaged pages is answered tryLater, never good or unknown; a restart
 * refuses to sign a CRL with entries missing and leaves the last good one
 * on disk; mended, nothing was lost. */
static void
test_damaged_database (void)
{
  g_autofree char *crl_path = g_build_filename (server->dir, "ca", "issuing.crl", NULL);
  g_autoptr(GBytes) full = NULL;
  g_autofree char *full_text = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  guint n_full;

  /* 3,000 revoked certificates, as a registry imported from an existing CA
   * holds them. */
  add_revoked (3000);
  server_stop (server, SIGTERM);
  server->lenient = TRUE;
  server_start (server, server->listen);
  full = get_crl ();
  full_text = crl_text (full);
  n_full = count_entries (full_text);
  g_assert_cmpuint (n_full, >=, 3000);
  g_assert_true (crl_lists (full_text, "7E570005DC"));

  /* The pages holding the middle entry, damaged in the file itself. */
  wal_checkpoint ("TRUNCATE");
  saved = damage_pages ("7E570005DC");

  {
    g_autofree char *verdict = ocsp_verdict ("7E570005DC");

    g_assert_nonnull (strstr (verdict, "Responder Error: trylater (3)"));
  }

  /* Started again, the service will not sign a CRL it cannot read whole. */
  server_stop (server, SIGTERM);
  {
    g_autoptr(GSubprocessLauncher) launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *on_disk = NULL;
    gsize on_disk_len = 0;

    g_subprocess_launcher_setenv (launcher, "G_DEBUG", "gc-friendly", TRUE);
    proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CABUT_SERVER"), "--data", server->dir,
                                        "--listen", server->listen, "--demo", NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
    g_assert_no_error (error);
    g_test_message ("damaged start → %s%s", out, err);
    g_assert_true (g_subprocess_get_if_exited (proc));
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_assert_cmpstr (err, ==, "cabut-server: Database error: database disk image is malformed\n");
    g_assert_true (g_file_get_contents (crl_path, &on_disk, &on_disk_len, NULL));
    g_assert_cmpmem (on_disk, on_disk_len, g_bytes_get_data (full, NULL), g_bytes_get_size (full));
  }

  /* Mended (from a backup, say): every entry is there. */
  mend_pages (saved);
  server_start (server, server->listen);
  {
    g_autoptr(GBytes) crl = get_crl ();
    g_autofree char *text = crl_text (crl);

    g_assert_cmpuint (count_entries (text), ==, n_full);
    g_assert_cmpstr (strstr (text, "crlNumber="), !=, strstr (full_text, "crlNumber="));
  }
}

/* ---------------------------------------------------------------------- */
/* Nothing blocks the main loop                                            */

/* While an approval makes the CA re-sign a CRL of 100,000 entries (and
 * writes it with fsync), the service goes on answering: health checks sent
 * after the approval are answered before it. Done on the main loop, as it
 * was, every one of them would wait for the approval. The figures (how
 * long they wait) are the benchmark's, tests/bench/main-loop.sh. */
static void
test_approval_does_not_block (void)
{
  g_autofree char *letter = pdf_letter ();
  g_autofree char *officer = sign_in ("dewi.verifikator");
  g_autofree char *health_url = g_strconcat (server->url, "api/v1/health", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) approve = NULL;
  g_autoptr(GBytes) approved = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(CabutCertificate) cert = demo_certificate ("agus.wijaya");
  g_auto(Cli) cli = { 0 };
  guint answered_before = 0;

  add_revoked (100000);
  request = submit (&cli, "agus.wijaya", "agus.wijaya", "keyCompromise", letter, NULL);
  g_assert_nonnull (request);

  approve = decision (officer, json_object_get_string_member (request, "id"), "approve");
  soup_session_send_and_read_async (session, approve, G_PRIORITY_DEFAULT, NULL, cabut_test_http_read_cb,
                                    &approved);
  while (approved == NULL)
    {
      g_autoptr(SoupMessage) health = soup_message_new ("GET", health_url);
      g_autoptr(GBytes) body = NULL;

      soup_session_send_and_read_async (session, health, G_PRIORITY_DEFAULT, NULL, cabut_test_http_read_cb,
                                        &body);
      while (body == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (soup_message_get_status (health), ==, SOUP_STATUS_OK);
      if (approved == NULL)
        answered_before++;
    }

  g_test_message ("health answered %u times while the approval re-signed the CRL", answered_before);
  g_assert_cmpuint (soup_message_get_status (approve), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (answered_before, >=, 3);

  /* And the answer came with the CRL that lists it. */
  {
    g_autoptr(GBytes) crl = get_crl ();
    g_autofree char *text = crl_text (crl);

    g_assert_true (crl_lists (text, cabut_certificate_get_serial (cert)));
    g_assert_cmpuint (count_entries (text), >, 100000);
  }
}

/* ---------------------------------------------------------------------- */
/* Paged listings                                                          */

/* @count open requests of budi.santoso (cabut_test_add_open_requests). */
static void
add_open_requests (int count)
{
  g_autofree char *path = g_build_filename (server->dir, "cabut.db", NULL);

  cabut_test_add_open_requests (path, "budi.santoso", count);
}

/* The numbers the database lists for @sql, in its order. */
static GPtrArray *
db_numbers (const char *sql)
{
  g_autofree char *path = g_build_filename (server->dir, "cabut.db", NULL);

  return cabut_test_db_strings (path, sql);
}

/* Every page of @path (with ?… already), @limit at a time: the numbers in
 * the order served; asserts every page but the last is full. */
static GPtrArray *
all_pages (const char *token,
           const char *path,
           guint       limit)
{
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;

  for (;;)
    {
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *page_path = g_strdup_printf ("%s&limit=%u%s%s", path, limit, escaped ? "&cursor=" : "",
                                                    escaped ? escaped : "");
      g_autoptr(SoupMessage) msg = authed ("GET", page_path, token);
      g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_OK);
      g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);
      JsonObject *object = json_node_get_object (node);
      JsonArray *requests = json_object_get_array_member (object, "requests");

      for (guint i = 0; i < json_array_get_length (requests); i++)
        g_ptr_array_add (numbers, g_strdup (json_object_get_string_member (
                                    json_array_get_object_element (requests, i), "id")));
      g_clear_pointer (&cursor, g_free);
      if (json_object_get_null_member (object, "next"))
        break;
      g_assert_cmpuint (json_array_get_length (requests), ==, limit);
      cursor = g_strdup (json_object_get_string_member (object, "next"));
    }

  return numbers;
}

static void
assert_same_numbers (GPtrArray *served,
                     GPtrArray *expected)
{
  g_assert_cmpuint (served->len, ==, expected->len);
  for (guint i = 0; i < served->len; i++)
    g_assert_cmpstr (g_ptr_array_index (served, i), ==, g_ptr_array_index (expected, i));
}

static guint
count_search (const char *token,
              const char *query)
{
  g_autofree char *escaped = g_uri_escape_string (query, NULL, FALSE);
  g_autofree char *path = g_strconcat ("queue?state=all&q=", escaped, NULL);
  g_autoptr(GPtrArray) numbers = all_pages (token, path, 200);

  return numbers->len;
}

static void
assert_bad_listing (const char *token,
                    const char *path,
                    const char *code)
{
  g_autoptr(SoupMessage) msg = authed ("GET", path, token);
  g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_BAD_REQUEST);

  g_assert_cmpstr (error_code (body), ==, code);
}

/* The queue and an applicant's list come a page at a time, in a fixed
 * order, every row once; the desk searches by number, serial, NIP/NIK and
 * name; the CLI follows the pages to the end. */
static void
test_paging_and_search (void)
{
  g_autofree char *officer = sign_in ("dewi.verifikator");
  g_autofree char *budi = sign_in ("budi.santoso");
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GPtrArray) queue_expected = NULL;
  g_autoptr(GPtrArray) own = NULL;
  g_autoptr(GPtrArray) own_expected = NULL;

  add_open_requests (250);

  queue = all_pages (officer, "queue?state=open", 100);
  queue_expected = db_numbers ("SELECT number FROM requests WHERE state IN ('submitted', 'in_review') "
                               "ORDER BY due_at, id");
  g_assert_cmpuint (queue->len, ==, 250);
  assert_same_numbers (queue, queue_expected);

  own = all_pages (budi, "requests?state=all", 37);
  own_expected = db_numbers ("SELECT r.number FROM requests r JOIN accounts a ON a.id = r.account_id "
                             "WHERE a.username = 'budi.santoso' ORDER BY r.created_at DESC, r.id DESC");
  assert_same_numbers (own, own_expected);

  /* One state only. */
  {
    g_autoptr(GPtrArray) in_review = all_pages (officer, "queue?state=in_review", 50);
    g_assert_cmpuint (in_review->len, ==, 84);
  }

  /* Search: a number, a serial in lower case, the NIP, part of the name. */
  g_assert_cmpuint (count_search (officer, "CBT-2025-900123"), ==, 1);
  g_assert_cmpuint (count_search (officer, "5e00007b"), ==, 1);
  g_assert_cmpuint (count_search (officer, "198501012010011001"), ==, 250);
  g_assert_cmpuint (count_search (officer, "santoso"), ==, 250);
  g_assert_cmpuint (count_search (officer, "nobody at all"), ==, 0);
  /* LIKE's wildcards are plain characters in a search. */
  g_assert_cmpuint (count_search (officer, "%"), ==, 0);
  g_assert_cmpuint (count_search (officer, "_"), ==, 0);

  /* Wrong input is refused, not read as "nothing". */
  assert_bad_listing (officer, "queue?cursor=bm90LWEtY3Vyc29y", "bad_cursor");
  assert_bad_listing (officer, "queue?cursor=%25%25", "bad_cursor");
  assert_bad_listing (officer, "queue?limit=0", "bad_request");
  assert_bad_listing (officer, "queue?limit=201", "bad_request");
  assert_bad_listing (officer, "queue?limit=ten", "bad_request");
  assert_bad_listing (officer, "queue?state=lost", "bad_request");

  /* /me holds the first 200 of budi's 251 certificates; the rest follow. */
  {
    g_autoptr(SoupMessage) me = authed ("GET", "me", budi);
    g_autoptr(GBytes) body = cabut_test_http (me, SOUP_STATUS_OK);
    g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);
    JsonObject *object = json_node_get_object (node);
    g_autofree char *escaped = NULL;
    g_autofree char *path = NULL;

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "certificates")), ==, 200);
    g_assert_false (json_object_get_null_member (object, "certificates_next"));
    escaped = g_uri_escape_string (json_object_get_string_member (object, "certificates_next"), NULL, FALSE);
    path = g_strconcat ("me/certificates?cursor=", escaped, NULL);
    {
      g_autoptr(SoupMessage) rest = authed ("GET", path, budi);
      g_autoptr(GBytes) rest_body = cabut_test_http (rest, SOUP_STATUS_OK);
      g_autoptr(JsonNode) rest_node = json_from_string (g_bytes_get_data (rest_body, NULL), NULL);
      JsonObject *rest_object = json_node_get_object (rest_node);

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (rest_object, "certificates")), ==, 51);
      g_assert_true (json_object_get_null_member (rest_object, "next"));
    }
    assert_bad_listing (budi, "me/certificates?cursor=xyz", "bad_cursor");
  }

  /* The CLI reads past the first page of 200. */
  {
    g_auto(Cli) cli = { 0 };
    g_autoptr(JsonObject) all = NULL;
    const char *args[] = { "queue", "--json", NULL };

    cli_run (&cli, "dewi.verifikator", args);
    g_assert_cmpint (cli.status, ==, 0);
    all = cli_json (&cli);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (all, "requests")), ==, 250);
  }
}

/* GET /queue/counts: every state's count from one query, the open ones
 * past their deadline; the same through cabut-cli; officers only. */
static void
test_queue_counts (void)
{
  g_autofree char *officer = sign_in ("dewi.verifikator");
  g_autofree char *budi = sign_in ("budi.santoso");
  const struct { const char *name; gint64 count; } expected[] = {
    { "open", 8 }, { "submitted", 4 }, { "in_review", 4 }, { "revoked", 1 }, { "rejected", 1 },
    { "cancelled", 2 }, { "all", 12 }, { "overdue", 3 },
  };
  sqlite3 *db;

  /* 900000, 900003, 900006 and 900009 are in review, the rest submitted;
   * three open ones are overdue, and a decided one past its deadline is not. */
  add_open_requests (12);
  db = open_db ();
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE requests SET due_at = 1000000000 "
                                 "WHERE number IN ('CBT-2025-900000', 'CBT-2025-900001', 'CBT-2025-900002');"
                                 "UPDATE requests SET state = 'revoked', decided_at = 1700000100 "
                                 "WHERE number = 'CBT-2025-900004';"
                                 "UPDATE requests SET state = 'rejected', decided_at = 1700000100, due_at = 1000000000 "
                                 "WHERE number = 'CBT-2025-900005';"
                                 "UPDATE requests SET state = 'cancelled', decided_at = 1700000100 "
                                 "WHERE number IN ('CBT-2025-900007', 'CBT-2025-900008');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  {
    g_autoptr(SoupMessage) msg = authed ("GET", "queue/counts", officer);
    g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_OK);
    g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);
    JsonObject *object = json_node_get_object (node);
    g_autoptr(CabutQueueCounts) counts = cabut_queue_counts_new_from_json (node, NULL);

    g_assert_cmpuint (json_object_get_size (object), ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      g_assert_cmpint (json_object_get_int_member (object, expected[i].name), ==, expected[i].count);
    g_assert_nonnull (counts);
    g_assert_cmpuint (cabut_queue_counts_get (counts, "in_review"), ==, 4);
    g_assert_cmpuint (cabut_queue_counts_get_overdue (counts), ==, 3);
  }

  /* The counts agree with the listing, which carries the applicant's NIP. */
  {
    g_autoptr(GPtrArray) open = all_pages (officer, "queue?state=open", 5);
    g_autoptr(GPtrArray) cancelled = all_pages (officer, "queue?state=cancelled", 5);
    g_autoptr(SoupMessage) msg = authed ("GET", "queue?limit=1", officer);
    g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_OK);
    g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);
    g_autoptr(CabutRequestPage) page = cabut_request_page_new_from_json (node, NULL);
    g_autoptr(CabutRequest) first = NULL;

    g_assert_cmpuint (open->len, ==, 8);
    g_assert_cmpuint (cancelled->len, ==, 2);
    g_assert_nonnull (page);
    g_assert_nonnull (cabut_request_page_get_next (page));
    first = g_list_model_get_item (cabut_request_page_get_requests (page), 0);
    g_assert_cmpstr (cabut_request_get_id (first), ==, "CBT-2025-900000");
    g_assert_true (cabut_request_get_overdue (first));
    g_assert_cmpstr (cabut_request_get_applicant_nip (first), ==, "198501012010011001");
  }

  /* Not for applicants. */
  {
    g_autoptr(SoupMessage) msg = authed ("GET", "queue/counts", budi);
    g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_FORBIDDEN);

    g_assert_cmpstr (error_code (body), ==, "forbidden");
  }

  /* cabut-cli queue --counts, as JSON and as text. */
  {
    g_auto(Cli) cli = { 0 };
    g_autoptr(JsonObject) answer = NULL;
    const char *args[] = { "queue", "--counts", "--json", NULL };

    cli_run (&cli, "dewi.verifikator", args);
    g_assert_cmpint (cli.status, ==, 0);
    answer = cli_json (&cli);
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      g_assert_cmpint (json_object_get_int_member (answer, expected[i].name), ==, expected[i].count);
  }
  {
    g_auto(Cli) cli = { 0 };
    const char *args[] = { "queue", "--counts", NULL };

    cli_run (&cli, "dewi.verifikator", args);
    g_assert_cmpint (cli.status, ==, 0);
    g_assert_cmpstr (cli.out, ==,
                     "Open           8\n"
                     "Overdue        3\n"
                     "Submitted      4\n"
                     "In review      4\n"
                     "Revoked        1\n"
                     "Rejected       1\n"
                     "Cancelled      2\n"
                     "All            12\n");
  }
  {
    g_auto(Cli) cli = { 0 };
    const char *args[] = { "queue", "--counts", NULL };

    cli_run (&cli, "budi.santoso", args);
    g_assert_cmpint (cli.status, ==, 1);
    g_assert_cmpstr (cli.err, ==, "cabut-cli: Only a verification officer may see the queue\n");
  }
  {
    g_auto(Cli) cli = { 0 };
    const char *args[] = { "queue", "--counts", "--state", "open", NULL };

    cli_run (&cli, "dewi.verifikator", args);
    g_assert_cmpint (cli.status, ==, 2);
  }
}

/* ---------------------------------------------------------------------- */
/* Durability                                                              */

typedef struct
{
  GAsyncResult *result;
  gboolean      kill_on_progress;
  goffset       sent;
} Pending;

static gboolean
restart_cb (gpointer user_data)
{
  if (server->proc == NULL)
    server_start (server, server->listen);

  return G_SOURCE_REMOVE;
}

static gboolean killed_mid_upload;

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  Pending *pending = user_data;

  pending->sent = sent;
  /* Halfway through the upload, the power goes. */
  if (pending->kill_on_progress && sent > total / 2 && server->proc != NULL)
    {
      pending->kill_on_progress = FALSE;
      server_stop (server, SIGKILL);
      killed_mid_upload = TRUE;
      /* It comes back on the same address a moment later. */
      g_timeout_add (300, restart_cb, NULL);
    }
}

static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pending *pending = user_data;

  pending->result = g_object_ref (result);
}


static void
test_durability (void)
{
  g_autoptr(CabutCertificate) cert = demo_certificate ("siti.rahmawati");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) letters = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CabutAmsClient) client = cabut_ams_client_new (server->url, &error);
  g_autofree char *killed_key = g_uuid_string_random ();
  g_autoptr(JsonNode) signed_in = NULL;

  g_assert_no_error (error);
  cabut_ams_client_set_language (client, "en");
  cabut_ams_client_set_retry_policy (client, 8, 250);
  killed_mid_upload = FALSE;

  for (guint round = 0; round < 6; round++)
    {
      g_autofree char *key = round == 5 ? g_strdup (killed_key) : g_uuid_string_random ();
      g_autoptr(GBytes) letter = sized_letter (2 * 1024 * 1024 + round);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonNode) cancelled = NULL;
      Pending pending = { NULL, round == 5, 0 };
      Pending sign = { 0 };
      g_autofree char *cancel_path = NULL;

      cabut_ams_client_sign_in_async (client, "siti.rahmawati", account ("siti.rahmawati", "password"),
                                      NULL, NULL, submitted_cb, &sign);
      while (sign.result == NULL)
        g_main_context_iteration (NULL, TRUE);
      signed_in = cabut_ams_client_call_finish (client, sign.result, &error);
      g_assert_no_error (error);
      g_clear_object (&sign.result);
      g_clear_pointer (&signed_in, json_node_unref);

      /* In the last round the server dies mid-upload and comes back on the
       * same address; the client retries with the same key by itself. */
      cabut_ams_client_submit_async (client, cert, "superseded", NULL, letter, "surat.pdf", key,
                                     progress_cb, &pending, NULL, submitted_cb, &pending);
      while (pending.result == NULL)
        g_main_context_iteration (NULL, TRUE);
      node = cabut_ams_client_call_finish (client, pending.result, &error);
      g_clear_object (&pending.result);

      if (node == NULL && g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_UNAUTHORIZED))
        {
          /* The kill may have come before the session was written: sign in, retry, same key. */
          g_clear_error (&error);
          cabut_ams_client_sign_in_async (client, "siti.rahmawati", account ("siti.rahmawati", "password"),
                                          NULL, NULL, submitted_cb, &sign);
          while (sign.result == NULL)
            g_main_context_iteration (NULL, TRUE);
          signed_in = cabut_ams_client_call_finish (client, sign.result, &error);
          g_assert_no_error (error);
          g_clear_object (&sign.result);
          pending.kill_on_progress = FALSE;
          cabut_ams_client_submit_async (client, cert, "superseded", NULL, letter, "surat.pdf", key,
                                         NULL, NULL, NULL, submitted_cb, &pending);
          while (pending.result == NULL)
            g_main_context_iteration (NULL, TRUE);
          node = cabut_ams_client_call_finish (client, pending.result, &error);
          g_clear_object (&pending.result);
        }
      g_assert_no_error (error);
      g_assert_nonnull (node);

      g_ptr_array_add (acknowledged, g_strdup (json_object_get_string_member (json_node_get_object (node), "id")));
      g_ptr_array_add (letters, g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, letter));

      cancel_path = g_strdup_printf ("requests/%s/cancel", (char *) g_ptr_array_index (acknowledged, round));
      cabut_ams_client_post_async (client, cancel_path, NULL, NULL, submitted_cb, &pending);
      while (pending.result == NULL)
        g_main_context_iteration (NULL, TRUE);
      cancelled = cabut_ams_client_call_finish (client, pending.result, &error);
      g_assert_no_error (error);
      g_clear_object (&pending.result);
    }

  g_assert_true (killed_mid_upload);

  /* Another hard kill with nothing in flight, then a clean restart. */
  server_stop (server, SIGKILL);
  server_start (server, server->listen);

  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM requests WHERE idempotency_key = '%s'", killed_key);
    g_assert_cmpint (db_count (sql), ==, 1);
  }

  for (guint i = 0; i < acknowledged->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM requests WHERE number = '%s' AND letter_sha256 = '%s'",
                                              (char *) g_ptr_array_index (acknowledged, i),
                                              (char *) g_ptr_array_index (letters, i));
      g_autofree char *letter_path = g_build_filename (server->dir, "letters", g_ptr_array_index (letters, i), NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autofree char *sha = NULL;

      g_assert_cmpint (db_count (sql), ==, 1);
      g_assert_true (g_file_get_contents (letter_path, &contents, &len, NULL));
      sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
      g_assert_cmpstr (sha, ==, g_ptr_array_index (letters, i));
    }

  {
    sqlite3 *db = open_db ();
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  /* No request twice: every idempotency key appears once. */
  g_assert_cmpint (db_count ("SELECT count(*) FROM (SELECT idempotency_key FROM requests "
                             "WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1)"), ==, 0);
}

/* ---------------------------------------------------------------------- */
/* Notifications                                                           */

static void
test_event_long_poll (void)
{
  g_autofree char *letter = pdf_letter ();
  g_autofree char *token = sign_in ("budi.santoso");
  g_auto(Cli) cli = { 0 };
  g_autoptr(JsonObject) request = submit (&cli, "budi.santoso", "budi.santoso", "superseded", letter, NULL);
  g_autoptr(SoupMessage) first = authed ("GET", "events?after=0", token);
  g_autoptr(GBytes) body = cabut_test_http (first, SOUP_STATUS_OK);
  g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);
  gint64 last = json_object_get_int_member (json_node_get_object (node), "last");
  g_autofree char *path = g_strdup_printf ("events?after=%" G_GINT64_FORMAT "&wait=20", last);
  g_autoptr(SoupMessage) poll = authed ("GET", path, token);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GSubprocess) approve = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *news = NULL;
  gint64 started = g_get_monotonic_time ();
  g_autoptr(JsonNode) news_node = NULL;
  JsonArray *events;

  g_assert_nonnull (request);

  /* The applicant waits; the officer rejects meanwhile. */
  soup_session_send_and_read_async (session, poll, G_PRIORITY_DEFAULT, NULL, cabut_test_http_read_cb, &news);
  {
    g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "OP_PW", account ("dewi.verifikator", "password"), TRUE);
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);

    g_subprocess_launcher_set_environ (launcher, envp);
    approve = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CABUT_CLI"), "--server", server->url,
                                           "--user", "dewi.verifikator", "--password-env", "OP_PW", "reject",
                                           json_object_get_string_member (request, "id"), "--note",
                                           "Lampirkan surat yang ditandatangani", NULL);
    g_assert_no_error (error);
  }
  while (news == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_wait (approve, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (approve));
  g_assert_cmpint (g_subprocess_get_exit_status (approve), ==, 0);

  /* The answer came when the decision did, not at the end of the wait. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 15 * G_USEC_PER_SEC);
  news_node = json_from_string (g_bytes_get_data (news, NULL), NULL);
  events = json_object_get_array_member (json_node_get_object (news_node), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0), "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0), "note"), ==,
                   "Lampirkan surat yang ditandatangani");
  g_bytes_unref (news);
}

static void
test_reasons_and_me (void)
{
  g_autofree char *token = sign_in ("budi.santoso");
  g_autoptr(SoupMessage) reasons = authed ("GET", "reasons", token);
  g_autoptr(SoupMessage) me = authed ("GET", "me", token);
  g_autoptr(GBytes) b1 = cabut_test_http (reasons, SOUP_STATUS_OK);
  g_autoptr(GBytes) b2 = cabut_test_http (me, SOUP_STATUS_OK);
  g_autoptr(JsonNode) r = json_from_string (g_bytes_get_data (b1, NULL), NULL);
  g_autoptr(JsonNode) m = json_from_string (g_bytes_get_data (b2, NULL), NULL);
  JsonArray *list = json_object_get_array_member (json_node_get_object (r), "reasons");
  JsonArray *certs = json_object_get_array_member (json_node_get_object (m), "certificates");
  gboolean found_key_compromise = FALSE;

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *reason = json_array_get_object_element (list, i);
      JsonObject *label = json_object_get_object_member (reason, "label");

      /* Never certificateHold. */
      g_assert_cmpstr (json_object_get_string_member (reason, "name"), !=, "certificateHold");
      g_assert_nonnull (json_object_get_string_member (label, "id"));
      g_assert_nonnull (json_object_get_string_member (label, "en"));
      if (g_str_equal (json_object_get_string_member (reason, "name"), "keyCompromise"))
        {
          found_key_compromise = TRUE;
          g_assert_cmpint (json_object_get_int_member (reason, "code"), ==, 1);
          g_assert_cmpstr (json_object_get_string_member (label, "en"), ==, "My key is lost or known to others");
          /* Both languages at once, whatever the request asked for. */
          g_assert_cmpstr (json_object_get_string_member (label, "id"), !=, json_object_get_string_member (label, "en"));
        }
    }
  g_assert_true (found_key_compromise);

  g_assert_cmpuint (json_array_get_length (certs), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (m), "role"), ==, "applicant");
}

static void
test_client_refuses_plain_http (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutAmsClient) remote = cabut_ams_client_new ("http://ams.contoh.go.id", &error);
  g_autoptr(CabutAmsClient) local = NULL;

  g_assert_null (remote);
  g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_INSECURE_URL);
  g_clear_error (&error);

  local = cabut_ams_client_new ("http://127.0.0.1:1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (local);

  g_assert_null (cabut_ams_client_new ("ftp://ams.contoh.go.id", &error));
  g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_INVALID_URL);
}

static void
test_unreachable (void)
{
  g_auto(Cli) cli = { 0 };
  const char *argv[] = { g_getenv ("CABUT_CLI"), "--server", "http://127.0.0.1:9", "--user", "budi.santoso",
                         "--password-env", "X_PW", "list", NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "X_PW", "apa-saja", TRUE);

  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);
  g_assert_true (cabut_test_run (argv, (const char * const *) envp, &cli.out, &cli.err, &cli.status));
  g_assert_cmpint (cli.status, ==, 5);
  g_assert_cmpstr (cli.err, ==, "cabut-cli: The service at 127.0.0.1 cannot be reached: Could not connect to "
                                "127.0.0.1: Connection refused. Check your network connection and try again.\n");
}


static void
test_admin_and_totp (void)
{
  g_autofree char *admin = sign_in ("admin");
  g_autofree char *applicant = sign_in ("budi.santoso");
  g_autofree char *url = api_url ("session");
  g_autofree char *pem = NULL;
  g_autofree char *secret = NULL;
  const char *create = "{\"username\": \"rina.w\", \"password\": \"sandi-rina-2026\", \"role\": \"applicant\", "
                       "\"full_name\": \"Rina Wulandari\", \"totp\": true}";
  g_autoptr(GBytes) create_body = g_bytes_new_static (create, strlen (create));
  g_autoptr(SoupMessage) refused = authed ("POST", "admin/accounts", applicant);
  g_autoptr(SoupMessage) created = authed ("POST", "admin/accounts", admin);
  g_autoptr(SoupMessage) duplicate = authed ("POST", "admin/accounts", admin);
  g_autoptr(GBytes) b1 = NULL, b2 = NULL, b3 = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 created_before = db_count ("SELECT count(*) FROM audit WHERE action = 'account.create'");
  gint64 registered_before = db_count ("SELECT count(*) FROM audit WHERE action = 'certificate.register'");

  soup_message_set_request_body_from_bytes (refused, "application/json", create_body);
  b1 = cabut_test_http (refused, SOUP_STATUS_FORBIDDEN);
  g_assert_cmpstr (error_code (b1), ==, "forbidden");
  soup_message_set_request_body_from_bytes (created, "application/json", create_body);
  b2 = cabut_test_http (created, SOUP_STATUS_CREATED);
  soup_message_set_request_body_from_bytes (duplicate, "application/json", create_body);
  b3 = cabut_test_http (duplicate, SOUP_STATUS_CONFLICT);
  g_assert_cmpstr (error_code (b3), ==, "exists");

  node = json_from_string (g_bytes_get_data (b2, NULL), NULL);
  secret = g_strdup (json_object_get_string_member (json_node_get_object (node), "totp_secret"));
  g_assert_cmpuint (strlen (secret), ==, 32);

  /* Register a certificate to the new account. */
  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) request = NULL;
    g_autoptr(SoupMessage) msg = authed ("POST", "admin/certificates", admin);
    g_autoptr(SoupMessage) again = authed ("POST", "admin/certificates", admin);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GBytes) body2 = NULL;
    g_autoptr(GBytes) reply = NULL;
    g_autoptr(GBytes) reply2 = NULL;

    g_assert_true (g_file_get_contents (cabut_test_fixture_path ("dn-multivalue.pem"), &pem, NULL, NULL));
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "username");
    json_builder_add_string_value (builder, "rina.w");
    json_builder_set_member_name (builder, "pem");
    json_builder_add_string_value (builder, pem);
    json_builder_end_object (builder);
    request = json_builder_get_root (builder);
    {
      char *text = json_to_string (request, FALSE);
      body = g_bytes_new_take (text, strlen (text));
    }
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
    reply = cabut_test_http (msg, SOUP_STATUS_CREATED);
    body2 = g_bytes_ref (body);
    soup_message_set_request_body_from_bytes (again, "application/json", body2);
    reply2 = cabut_test_http (again, SOUP_STATUS_CONFLICT);
    g_assert_cmpstr (error_code (reply2), ==, "exists");
  }

  /* Sign-in needs the code; the right one works, a wrong one counts as a failure. */
  {
    const char *no_code = "{\"username\": \"rina.w\", \"password\": \"sandi-rina-2026\"}";
    g_autofree char *good = cabut_totp_code (secret, g_get_real_time () / G_USEC_PER_SEC);
    g_autofree char *with_code = g_strdup_printf ("{\"username\": \"rina.w\", \"password\": \"sandi-rina-2026\", "
                                                  "\"totp\": \"%s\"}", good);
    const char *wrong_code = "{\"username\": \"rina.w\", \"password\": \"sandi-rina-2026\", \"totp\": \"000000\"}";
    const char *bodies[] = { no_code, wrong_code, with_code };
    guint expected[] = { SOUP_STATUS_UNAUTHORIZED, SOUP_STATUS_UNAUTHORIZED, SOUP_STATUS_CREATED };
    const char *codes[] = { "totp_required", "bad_credentials", NULL };

    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
        g_autoptr(GBytes) request = g_bytes_new (bodies[i], strlen (bodies[i]));
        g_autoptr(GBytes) reply = NULL;

        soup_message_set_request_body_from_bytes (msg, "application/json", request);
        reply = cabut_test_http (msg, expected[i]);
        if (codes[i] != NULL)
          g_assert_cmpstr (error_code (reply), ==, codes[i]);
      }
  }

  /* The new applicant sees the registered certificate. */
  g_assert_cmpint (db_count ("SELECT count(*) FROM certificates c JOIN accounts a ON a.id = c.account_id "
                             "WHERE a.username = 'rina.w'"), ==, 1);
  /* Audited once each: the refused and duplicate attempts created nothing. */
  g_assert_cmpint (db_count ("SELECT count(*) FROM audit WHERE action = 'account.create'"), ==, created_before + 1);
  g_assert_cmpint (db_count ("SELECT count(*) FROM audit WHERE action = 'certificate.register'"), ==,
                   registered_before + 1);
}

static void
test_tls (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-tls-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *made = NULL;
  g_autoptr(GSubprocessLauncher) launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *https_url;

  /* A service certificate from the openssl CLI, for 127.0.0.1. */
  made = cabut_test_openssl ("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                             "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1",
                             "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2", NULL);
  g_assert_nonnull (made);

  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CABUT_SERVER"), "--data", data,
                                      "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key, NULL);
  g_assert_no_error (error);
  line = cabut_test_read_line (proc);
  g_assert_true (g_str_has_prefix (line, "listening on https://127.0.0.1:"));
  https_url = line + strlen ("listening on ");

  for (guint with_ca = 0; with_ca < 2; with_ca++)
    {
      g_autoptr(CabutAmsClient) client = cabut_ams_client_new (https_url, &error);
      g_autoptr(JsonNode) health = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      Pending pending = { 0 };

      g_assert_no_error (error);
      cabut_ams_client_set_retry_policy (client, 1, 0);
      if (with_ca)
        g_assert_true (cabut_ams_client_add_ca_file (client, cert, &error));
      cabut_ams_client_get_async (client, "health", NULL, submitted_cb, &pending);
      while (pending.result == NULL)
        g_main_context_iteration (NULL, TRUE);
      health = cabut_ams_client_call_finish (client, pending.result, &error);
      g_clear_object (&pending.result);

      if (with_ca)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (json_object_get_string_member (json_node_get_object (health), "status"), ==, "ok");
        }
      else
        {
          /* Never talks to a service it cannot verify. */
          g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_TLS);
          g_clear_error (&error);
        }
    }

  /* The CLI: with the CA file it reaches the service (which knows no such
   * user: exit 3); without, it refuses to talk (exit 5). */
  for (guint with_ca = 0; with_ca < 2; with_ca++)
    {
      g_auto(Cli) cli = { 0 };
      g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "X_PW", "sandi-apa-saja", TRUE);
      const char *with[] = { g_getenv ("CABUT_CLI"), "--server", https_url, "--ca-file", cert, "--user", "siapa",
                             "--password-env", "X_PW", "list", NULL };
      const char *without[] = { g_getenv ("CABUT_CLI"), "--server", https_url, "--user", "siapa",
                                "--password-env", "X_PW", "list", NULL };
      const char * const *argv = with_ca ? with : without;

      envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);
      g_assert_true (cabut_test_run (argv, (const char * const *) envp, &cli.out, &cli.err, &cli.status));
      g_test_message ("cabut-cli over TLS, CA file %u → %d %s", with_ca, cli.status, cli.err);
      g_assert_cmpint (cli.status, ==, with_ca ? 3 : 5);
      if (with_ca)
        g_assert_cmpstr (cli.err, ==, "cabut-cli: The username or password is not correct\n");
      else
        g_assert_true (g_str_has_prefix (cli.err, "cabut-cli: The service at 127.0.0.1 could not prove who it is ("));
    }

  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  cabut_test_rm_rf (dir);
}


/* Proof of possession: a signature by another key is refused, not ignored. */
static void
test_wrong_key_signature (void)
{
  g_autofree char *token = sign_in ("siti.rahmawati");
  g_autofree char *meta = metadata_for ("siti.rahmawati", "keyCompromise", NULL);
  g_autoptr(CabutCertificate) own = demo_certificate ("siti.rahmawati");
  g_autoptr(CabutCertificate) other = demo_certificate ("budi.santoso");
  g_autoptr(GBytes) meta_bytes = g_bytes_new (meta, strlen (meta));
  g_autoptr(GBytes) letter = g_bytes_new_static ("%PDF-1.4\n", 9);
  g_autoptr(GError) error = NULL;
  const char *count_sql = "SELECT count(*) FROM requests r JOIN accounts a ON a.id = r.account_id "
                          "WHERE a.username = 'siti.rahmawati' AND r.state = 'submitted'";
  const char *audit_sql = "SELECT count(*) FROM audit WHERE detail = 'bad key signature'";
  gint64 audited_before = db_count (audit_sql);

  for (guint right = 0; right < 2; right++)
    {
      g_autoptr(GBytes) signature = cabut_certificate_sign (right ? own : other, meta_bytes, &error);
      g_autofree char *encoded = NULL;
      g_autofree char *content_type = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(SoupMessage) msg = authed ("POST", "requests", token);
      g_autoptr(GBytes) reply = NULL;

      g_assert_no_error (error);
      encoded = g_base64_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
      body = multipart_body_signed (meta, encoded, "surat.pdf", letter, &content_type);
      soup_message_set_request_body_from_bytes (msg, content_type, body);

      if (!right)
        {
          reply = cabut_test_http (msg, SOUP_STATUS_FORBIDDEN);
          g_assert_cmpstr (error_code (reply), ==, "bad_signature");
          g_assert_cmpint (db_count (count_sql), ==, 0);
        }
      else
        {
          g_autoptr(JsonNode) node = NULL;

          reply = cabut_test_http (msg, SOUP_STATUS_CREATED);
          node = json_from_string (g_bytes_get_data (reply, NULL), NULL);
          g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "key_possession"));
          cancel_request ("siti.rahmawati", json_object_get_string_member (json_node_get_object (node), "id"));
        }
    }
  g_assert_cmpint (db_count (audit_sql), ==, audited_before + 1);
}

/* `cabut-cli make-letter`: with the service options the letter carries the
 * account's data (NIP, position, unit), without them the certificate's
 * (the NIK in its Subject DN); either way its code is the one
 * check-letter matches, and a wrong PKCS#12 password writes nothing. */
static char *
pdf_text (const char *path)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  const char *argv[] = { pdftotext, "-layout", path, "-", NULL };
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = -1;

  g_assert_true (cabut_test_run (argv, NULL, &out, &err, &status));
  g_assert_cmpint (status, ==, 0);

  return out;
}

static void
test_make_letter (void)
{
  g_autofree char *cert = p12_path ("agus.wijaya");
  g_autofree char *from_account = g_build_filename (server->dir, "surat-akun.pdf", NULL);
  g_autofree char *from_cert = g_build_filename (server->dir, "surat-sertifikat.pdf", NULL);
  g_autofree char *not_written = g_build_filename (server->dir, "surat-tidak.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_auto(Cli) cli = { 0 };
  g_auto(Cli) check = { 0 };
  g_auto(Cli) plain = { 0 };
  g_auto(Cli) wrong = { 0 };
  const char *args[] = { "make-letter", "--cert", cert, "--cert-password-env", "CABUT_TEST_P12_PASSWORD",
                         "--reason", "affiliationChanged", "--chronology", "Pindah tugas ke Kota Lain.",
                         "--date", "2026-12-03", "-o", from_account, NULL };
  const char *check_args[] = { "check-letter", "--cert", cert, "--cert-password-env", "CABUT_TEST_P12_PASSWORD",
                               "--reason", "affiliationChanged", from_account, NULL };
  g_autoptr(JsonObject) answer = NULL;

  cli_run (&cli, "agus.wijaya", args);
  g_assert_cmpint (cli.status, ==, 0);
  expected = g_strdup_printf ("The letter is in %s. Print it, sign it, scan it and attach the scan to your "
                              "request.\n", from_account);
  g_assert_cmpstr (cli.out, ==, expected);
  text = pdf_text (from_account);
  g_assert_nonnull (strstr (text, "Agus Wijaya"));
  g_assert_nonnull (strstr (text, "NIP                  : 197803122005011003"));
  g_assert_nonnull (strstr (text, "Jabatan              : Kepala Seksi Pelayanan"));
  g_assert_nonnull (strstr (text, "Unit Kerja           : Dinas Kependudukan dan Pencatatan Sipil"));
  g_assert_nonnull (strstr (text, "Kota Contoh, 3 Desember 2026"));
  g_assert_nonnull (strstr (text, "Pindah tugas ke Kota Lain."));
  g_assert_null (strstr (text, "\nNIK "));
  g_clear_pointer (&text, g_free);

  /* The code on it is the certificate's and the reason's. */
  cli_run (&check, "agus.wijaya", check_args);
  g_assert_cmpint (check.status, ==, 0);

  /* Without the service: the Subject DN's data, the NIK it holds. */
  {
    const char *argv[] = { g_getenv ("CABUT_CLI"), "make-letter", "--json", "--cert", cert,
                           "--cert-password-env", "CABUT_TEST_P12_PASSWORD", "--reason", "cessationOfOperation",
                           "--place", "Bandung", "-o", from_cert, NULL };
    g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "CABUT_TEST_P12_PASSWORD",
                                           account ("agus.wijaya", "p12_password"), TRUE);

    g_assert_true (cabut_test_run (argv, (const char * const *) envp, &plain.out, &plain.err, &plain.status));
    g_test_message ("make-letter → %d %s", plain.status, plain.err);
    g_assert_cmpint (plain.status, ==, 0);
    answer = cli_json (&plain);
    g_assert_false (json_object_get_boolean_member (answer, "from_account"));
    g_assert_cmpstr (json_object_get_string_member (answer, "file"), ==, from_cert);
    text = pdf_text (from_cert);
    g_assert_nonnull (strstr (text, "NIK                  : 9973011203780003"));
    g_assert_nonnull (strstr (text, "Jabatan              : Kepala Seksi Pelayanan"));
    g_assert_nonnull (strstr (text, "Bandung, "));
    g_assert_null (strstr (text, "\nNIP "));

    /* A wrong certificate password: said, exit 3, nothing written. */
    envp = g_environ_setenv (envp, "CABUT_TEST_P12_PASSWORD", "salah", TRUE);
    argv[12] = not_written;
    envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);
    g_assert_true (cabut_test_run (argv, (const char * const *) envp, &wrong.out, &wrong.err, &wrong.status));
    g_assert_cmpint (wrong.status, ==, 3);
    g_assert_nonnull (strstr (wrong.err, "password"));
    g_assert_false (g_file_test (not_written, G_FILE_TEST_EXISTS));
  }
}

/* ---------------------------------------------------------------------- */
/* The code on the letter                                                  */

/* The statement letter the app prints for @cert_owner's certificate and
 * @reason, as a PDF file; @code what its QR code holds. */
static char *
statement_letter (const char  *name,
                  const char  *cert_owner,
                  const char  *reason,
                  char       **code)
{
  g_autoptr(CabutCertificate) cert = demo_certificate (cert_owner);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  CabutStatementLetter letter = {
    .full_name = cert_owner,
    .serial = cabut_certificate_get_serial (cert),
    .subject = cabut_certificate_get_subject_string (cert),
    .issuer = cabut_certificate_get_issuer_string (cert),
    .fingerprint = cabut_certificate_get_sha256 (cert),
    .reason = reason,
    .reason_label = reason,
    .draft_key = "5b2f0d9e-6c1a-4e3b-9f7d-2a8c1e0b4d6f",
    .place = "Kota Contoh",
    .date = now,
  };

  pdf = cabut_statement_letter_render (&letter, &error);
  g_assert_no_error (error);
  *code = cabut_statement_letter_code (&letter);

  return write_letter (name, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
}

/* The request as the officer sees it: `status --json` (also read into a
 * CabutRequest, whose letter properties are checked against the JSON) and
 * the "Letter code" line of `status`, or NULL when it has none. */
static JsonObject *
officer_view (const char  *id,
              char       **letter_line)
{
  g_auto(Cli) json = { 0 };
  g_auto(Cli) text = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(CabutRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  CabutLetterMatch match = CABUT_LETTER_MATCH_NO_CODE;
  gboolean checked = FALSE;
  const char *line;

  {
    const char *args[] = { "status", "--json", id, NULL };
    cli_run (&json, "dewi.verifikator", args);
  }
  g_assert_cmpint (json.status, ==, 0);
  object = cli_json (&json);

  node = json_node_init_object (json_node_alloc (), object);
  request = cabut_request_new_from_json (node, &error);
  g_assert_no_error (error);
  g_object_get (request, "letter-checked", &checked, "letter-match", &match, "letter-code", &code, NULL);
  g_assert_cmpint (checked, ==, !json_object_get_null_member (object, "letter_match"));
  if (checked)
    g_assert_cmpstr (cabut_statement_letter_match_to_string (match), ==,
                     json_object_get_string_member (object, "letter_match"));
  g_assert_cmpstr (code, ==, json_object_get_string_member_with_default (object, "letter_code", NULL));

  {
    const char *args[] = { "status", id, NULL };
    cli_run (&text, "dewi.verifikator", args);
  }
  g_assert_cmpint (text.status, ==, 0);
  line = strstr (text.out, "  Letter code: ");
  *letter_line = line != NULL ? g_strndup (line, strcspn (line, "\n")) : NULL;

  return g_steal_pointer (&object);
}

/* Files @letter as budi.santoso for his certificate with @reason; what the
 * service said of the letter's code (exactly), as the filing's answer, the
 * officer's JSON and typed object, and the line `status` prints. The
 * request is cancelled again, so the next one may be filed. */
static void
assert_letter_match (const char *letter,
                     const char *reason,
                     const char *expected_match,
                     const char *expected_code,
                     const char *expected_line)
{
  g_auto(Cli) cli = { 0 };
  g_auto(Cli) cancel = { 0 };
  g_autoptr(JsonObject) filed = submit (&cli, "budi.santoso", "budi.santoso", reason, letter, NULL);
  g_autoptr(JsonObject) seen = NULL;
  g_autofree char *line = NULL;
  const char *id;

  g_assert_nonnull (filed);
  id = json_object_get_string_member (filed, "id");
  g_test_message ("%s: letter_match %s", id, json_object_get_string_member (filed, "letter_match"));
  g_assert_cmpstr (json_object_get_string_member (filed, "letter_match"), ==, expected_match);
  g_assert_cmpstr (json_object_get_string_member (filed, "letter_code"), ==, expected_code);

  seen = officer_view (id, &line);
  g_assert_cmpstr (json_object_get_string_member (seen, "letter_match"), ==, expected_match);
  g_assert_cmpstr (json_object_get_string_member (seen, "letter_code"), ==, expected_code);
  g_assert_cmpstr (line, ==, expected_line);

  /* The answers of the other verbs are as they were. */
  {
    const char *args[] = { "cancel", id, NULL };
    cli_run (&cancel, "budi.santoso", args);
  }
  g_assert_cmpint (cancel.status, ==, 0);
  g_assert_null (strstr (cancel.out, "Letter code"));
}

/* A page with no code on it (a letter written by hand, scanned), as a PNG. */
static char *
blank_png (void)
{
  g_autoptr(GdkPixbuf) page = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 600, 800);
  g_autofree char *path = g_build_filename (server->dir, "by-hand.png", NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (page, 0xffffffff);
  g_assert_true (gdk_pixbuf_save (page, path, "png", &error, NULL));
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

/* When a request is filed, the service reads the code on its letter and
 * records what it says of the request: made for this certificate and
 * reason, another reason, another certificate; no code (filed all the
 * same); a letter that cannot be read (filed all the same). The officer
 * sees it in the request and in the queue. */
static void
test_letter_match (void)
{
  g_autofree char *yes_code = NULL;
  g_autofree char *reason_code = NULL;
  g_autofree char *other_code = NULL;
  g_autofree char *yes = statement_letter ("yes.pdf", "budi.santoso", "keyCompromise", &yes_code);
  g_autofree char *other_reason = statement_letter ("other-reason.pdf", "budi.santoso", "superseded", &reason_code);
  g_autofree char *other_certificate = statement_letter ("other-certificate.pdf", "siti.rahmawati", "keyCompromise",
                                                         &other_code);
  g_autofree char *png = blank_png ();
  g_autofree char *damaged = pdf_letter ();
  g_autoptr(CabutCertificate) budi = demo_certificate ("budi.santoso");
  g_autofree char *budi_fingerprint = g_ascii_strup (cabut_certificate_get_sha256 (budi), -1);
  g_autofree char *expected_yes = g_strconcat ("CABUT1:", cabut_certificate_get_serial (budi), ":", budi_fingerprint,
                                               ":KEYCOMPROMISE:5B2F0D9E-6C1A-4E3B-9F7D-2A8C1E0B4D6F", NULL);

  /* The code is what the letter was made of. */
  g_assert_cmpstr (yes_code, ==, expected_yes);

  assert_letter_match (yes, "keyCompromise", "yes", yes_code, "  Letter code: matches this certificate and reason");
  assert_letter_match (other_reason, "keyCompromise", "other_reason", reason_code,
                       "  Letter code: made for this certificate, but for another reason");
  assert_letter_match (other_certificate, "keyCompromise", "other_certificate", other_code,
                       "  Letter code: made for another certificate");
  assert_letter_match (png, "keyCompromise", "no_code", NULL, "  Letter code: no code — compare by eye");
  assert_letter_match (damaged, "keyCompromise", "unreadable", NULL,
                       "  Letter code: not Cabut’s code, or the letter cannot be read — compare by eye");

  /* The queue carries it too. */
  {
    g_auto(Cli) cli = { 0 };
    g_auto(Cli) queue = { 0 };
    g_autoptr(JsonObject) filed = submit (&cli, "budi.santoso", "budi.santoso", "keyCompromise", yes, NULL);
    g_autoptr(JsonObject) listed = NULL;
    const char *args[] = { "queue", "--json", NULL };
    JsonArray *requests;
    JsonObject *entry = NULL;

    g_assert_nonnull (filed);
    cli_run (&queue, "dewi.verifikator", args);
    g_assert_cmpint (queue.status, ==, 0);
    listed = cli_json (&queue);
    requests = json_object_get_array_member (listed, "requests");
    for (guint i = 0; i < json_array_get_length (requests); i++)
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (requests, i), "id"),
                       json_object_get_string_member (filed, "id")))
        entry = json_array_get_object_element (requests, i);
    g_assert_nonnull (entry);
    g_assert_cmpstr (json_object_get_string_member (entry, "letter_match"), ==, "yes");
    g_assert_cmpstr (json_object_get_string_member (entry, "letter_code"), ==, yes_code);
  }
}

static void
exec_db (const char *sql)
{
  sqlite3 *db = open_db ();
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* A database of the version before letters were checked (schema 6) is
 * migrated when the service starts: its requests say "not checked" (null;
 * no line in `status`), and new filings are checked. The old database is
 * this service's own, rewound: what schemas 7 and later added dropped
 * (the complaints and their events too), the version set back. */
static void
test_letter_match_migration (void)
{
  g_auto(Cli) cli = { 0 };
  g_auto(Cli) again = { 0 };
  g_autofree char *code = NULL;
  g_autofree char *letter = statement_letter ("yes.pdf", "budi.santoso", "keyCompromise", &code);
  g_autoptr(JsonObject) filed = submit (&cli, "budi.santoso", "budi.santoso", "keyCompromise", letter, NULL);
  g_autoptr(JsonObject) seen = NULL;
  g_autoptr(JsonObject) refiled = NULL;
  g_autofree char *line = NULL;
  g_autofree char *id = NULL;
  gint64 latest;

  g_assert_nonnull (filed);
  id = g_strdup (json_object_get_string_member (filed, "id"));
  g_assert_cmpstr (json_object_get_string_member (filed, "letter_match"), ==, "yes");

  latest = db_count ("PRAGMA user_version");
  server_stop (server, SIGTERM);
  exec_db ("ALTER TABLE requests DROP COLUMN reviewer_id;"
           "ALTER TABLE requests DROP COLUMN filed_by;"
           "DROP TABLE mail_outbox;"
           "DELETE FROM events WHERE complaint_id IS NOT NULL;"
           "DROP TABLE complaints;"
           "DROP INDEX requests_overdue_unnoticed;"
           "ALTER TABLE requests DROP COLUMN overdue_noticed_at;"
           "ALTER TABLE requests DROP COLUMN letter_code;"
           "ALTER TABLE requests DROP COLUMN letter_match;"
           "PRAGMA user_version = 6;");
  g_assert_cmpint (db_count ("PRAGMA user_version"), ==, 6);
  g_assert_cmpint (db_count ("SELECT count(*) FROM pragma_table_info ('requests') WHERE name LIKE 'letter_%' "
                             "AND name NOT IN ('letter_sha256', 'letter_type', 'letter_size')"), ==, 0);

  server_start (server, server->listen);
  g_assert_cmpint (db_count ("PRAGMA user_version"), ==, latest);
  g_assert_cmpint (db_count ("SELECT count(*) FROM requests WHERE letter_match IS NULL AND letter_code IS NULL"),
                   ==, 1);

  seen = officer_view (id, &line);
  g_assert_true (json_object_get_null_member (seen, "letter_match"));
  g_assert_true (json_object_get_null_member (seen, "letter_code"));
  g_assert_null (line);

  /* The database holds the names a result may have. */
  {
    sqlite3 *db = open_db ();

    g_assert_cmpint (sqlite3_exec (db, "UPDATE requests SET letter_match = 'maybe'", NULL, NULL, NULL), ==,
                     SQLITE_CONSTRAINT);
    sqlite3_close (db);
  }

  cancel_request ("budi.santoso", id);
  refiled = submit (&again, "budi.santoso", "budi.santoso", "keyCompromise", letter, NULL);
  g_assert_nonnull (refiled);
  g_assert_cmpstr (json_object_get_string_member (refiled, "letter_match"), ==, "yes");
  g_assert_cmpstr (json_object_get_string_member (refiled, "letter_code"), ==, code);

  {
    g_autoptr(CabutDb) db = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename (server->dir, "cabut.db", NULL);
    g_autofree char *integrity = NULL;

    db = cabut_db_open_reader (path, &error);
    g_assert_no_error (error);
    integrity = cabut_db_integrity_check (db);
    g_assert_cmpstr (integrity, ==, "ok");
  }
}

/* ---------------------------------------------------------------------- */

typedef enum
{
  NO_SERVER,      /* starts what it needs itself, or nothing */
  SHARED_SERVER,  /* leaves the service as it found it */
  OWN_SERVER,     /* kills, restarts or bends the service: gets its own */
} ServerUse;

typedef struct
{
  const char *path;
  GTestFunc   func;
  ServerUse   use;
} Case;

/* Every case gets the service it is declared to need, so that the cases
 * pass in any order (-r, --seed) and each alone (-p PATH). An own server
 * has its own folder and port, and is gone after the case. */
static void
run_case (gconstpointer data)
{
  const Case *c = data;

  switch (c->use)
    {
    case NO_SERVER:
      server = NULL;
      c->func ();
      break;

    case SHARED_SERVER:
      if (shared == NULL)
        shared = server_new ();
      server = shared;
      c->func ();
      server = NULL;
      break;

    case OWN_SERVER:
      server = server_new ();
      c->func ();
      g_clear_pointer (&server, server_free);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* ---------------------------------------------------------------------- */
/* The review dossier                                                      */

static JsonObject *
get_object (const char *path,
            const char *token,
            guint       status)
{
  g_autoptr(SoupMessage) msg = authed ("GET", path, token);
  g_autoptr(GBytes) body = cabut_test_http (msg, status);
  g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

/* The check named @name (the first), asserted to be there. */
static JsonObject *
check_named (JsonObject *dossier,
             const char *name)
{
  JsonArray *checks = json_object_get_array_member (dossier, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "name"), name))
        return check;
    }

  g_error ("no check %s", name);
  return NULL;
}

static void
assert_check (JsonObject *dossier,
              const char *name,
              const char *expected,
              const char *found,
              gboolean    matches)
{
  JsonObject *check = check_named (dossier, name);

  g_assert_cmpstr (json_object_get_string_member_with_default (check, "expected", NULL), ==, expected);
  g_assert_cmpstr (json_object_get_string_member_with_default (check, "found", NULL), ==, found);
  g_assert_cmpint (json_object_get_boolean_member (check, "matches"), ==, matches);
}

/* GET /requests/ID/review: officers only; the request beside the account
 * and the registered certificate, with exact checks; a changed account
 * name differs on exactly the CN; the approval names its CRL. */
static void
test_review_dossier (void)
{
  g_auto(Cli) cli = { 0 };
  g_auto(Cli) text = { 0 };
  g_autofree char *letter = pdf_letter ();
  g_autoptr(JsonObject) filed = submit (&cli, "budi.santoso", "budi.santoso", "superseded", letter, NULL);
  g_autoptr(CabutCertificate) cert = demo_certificate ("budi.santoso");
  g_autofree char *officer = sign_in ("dewi.verifikator");
  g_autofree char *applicant = sign_in ("budi.santoso");
  g_autofree char *path = NULL;
  g_autofree char *other = NULL;
  g_autoptr(JsonObject) dossier = NULL;
  g_autoptr(JsonObject) changed = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) approved = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(CabutReview) review = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *account;
  JsonObject *certificate;
  JsonArray *subject;
  const char *id;

  g_assert_nonnull (filed);
  id = json_object_get_string_member (filed, "id");
  path = g_strdup_printf ("requests/%s/review", id);

  /* An applicant is refused, even for their own request; unknown is 404. */
  refused = get_object (path, applicant, SOUP_STATUS_FORBIDDEN);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (refused, "error"), "code"), ==,
                   "forbidden");
  g_clear_pointer (&refused, json_object_unref);
  refused = get_object ("requests/CBT-2000-999999/review", officer, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (refused, "error"), "code"), ==,
                   "not_found");

  dossier = get_object (path, officer, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (dossier, "request"), "id"), ==, id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (dossier, "request"),
                                                                         "events")), ==, 1);

  account = json_object_get_object_member (dossier, "account");
  g_assert_cmpstr (json_object_get_string_member (account, "username"), ==, "budi.santoso");
  g_assert_cmpstr (json_object_get_string_member (account, "full_name"), ==, "Budi Santoso, S.Kom.");
  g_assert_cmpstr (json_object_get_string_member (account, "nik"), ==, "9973010101850001");
  g_assert_cmpstr (json_object_get_string_member (account, "nip"), ==, "198501012010011001");
  g_assert_cmpstr (json_object_get_string_member (account, "email"), ==, "budi.santoso@contoh.go.id");
  g_assert_cmpstr (json_object_get_string_member (account, "position"), ==, "Pranata Komputer Ahli Muda");
  g_assert_cmpstr (json_object_get_string_member (account, "unit"), ==, "Dinas Komunikasi dan Informatika");
  g_assert_cmpstr (json_object_get_string_member (account, "organization"), ==, "Pemerintah Kota Contoh");

  certificate = json_object_get_object_member (dossier, "certificate");
  g_assert_cmpstr (json_object_get_string_member (certificate, "serial"), ==, cabut_certificate_get_serial (cert));
  g_assert_cmpstr (json_object_get_string_member (certificate, "subject_string"), ==,
                   cabut_certificate_get_subject_string (cert));
  g_assert_cmpstr (json_object_get_string_member (certificate, "issuer"), ==,
                   cabut_certificate_get_issuer_string (cert));
  g_assert_cmpstr (json_object_get_string_member (certificate, "status"), ==, "good");
  g_assert_cmpstr (json_object_get_string_member (certificate, "sha256"), ==, cabut_certificate_get_sha256 (cert));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (certificate, "pem"), "-----BEGIN CERTIFICATE-----"));
  subject = json_object_get_array_member (certificate, "subject");
  g_assert_cmpuint (json_array_get_length (subject), ==, 9);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (subject, 1), "oid"), ==, "2.5.4.3");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (subject, 1), "name"), ==, "CN");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (subject, 1), "value"), ==,
                   "Budi Santoso, S.Kom.");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (subject, 8), "name"), ==, "C");

  assert_check (dossier, "CN", "Budi Santoso, S.Kom.", "Budi Santoso, S.Kom.", TRUE);
  assert_check (dossier, "serialNumber", "9973010101850001", "9973010101850001", TRUE);
  assert_check (dossier, "title", "Pranata Komputer Ahli Muda", "Pranata Komputer Ahli Muda", TRUE);
  assert_check (dossier, "OU", "Dinas Komunikasi dan Informatika", "Dinas Komunikasi dan Informatika", TRUE);
  assert_check (dossier, "O", "Pemerintah Kota Contoh", "Pemerintah Kota Contoh", TRUE);
  assert_check (dossier, "emailAddress", "budi.santoso@contoh.go.id", "budi.santoso@contoh.go.id", TRUE);
  assert_check (dossier, "serial", cabut_certificate_get_serial (cert), cabut_certificate_get_serial (cert), TRUE);
  assert_check (dossier, "key_possession", "yes", "yes", TRUE);
  assert_check (dossier, "letter", "yes", "unreadable", FALSE);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (dossier, "checks")), ==, 10);

  /* Core reads it into a CabutReview. */
  node = json_node_init_object (json_node_alloc (), dossier);
  review = cabut_review_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cabut_review_count_mismatches (review), ==, 1);
  g_assert_cmpstr (cabut_review_get_serial (review), ==, cabut_certificate_get_serial (cert));

  /* Names match without titles and case; a changed name is a difference
   * on exactly the CN. */
  {
    sqlite3 *db = open_db ();

    g_assert_cmpint (sqlite3_exec (db, "UPDATE accounts SET full_name = 'budi  SANTOSO' "
                                       "WHERE username = 'budi.santoso'", NULL, NULL, NULL), ==, SQLITE_OK);
    changed = get_object (path, officer, SOUP_STATUS_OK);
    assert_check (changed, "CN", "budi  SANTOSO", "Budi Santoso, S.Kom.", TRUE);
    g_clear_pointer (&changed, json_object_unref);

    g_assert_cmpint (sqlite3_exec (db, "UPDATE accounts SET full_name = 'Budi Santosa' "
                                       "WHERE username = 'budi.santoso'", NULL, NULL, NULL), ==, SQLITE_OK);
    changed = get_object (path, officer, SOUP_STATUS_OK);
    assert_check (changed, "CN", "Budi Santosa", "Budi Santoso, S.Kom.", FALSE);
    {
      JsonArray *checks = json_object_get_array_member (changed, "checks");
      guint mismatches = 0;

      for (guint i = 0; i < json_array_get_length (checks); i++)
        mismatches += !json_object_get_boolean_member (json_array_get_object_element (checks, i), "matches");
      /* The name and the letter's code, nothing else. */
      g_assert_cmpuint (mismatches, ==, 2);
    }
    g_assert_cmpint (sqlite3_exec (db, "UPDATE accounts SET full_name = 'Budi Santoso, S.Kom.' "
                                       "WHERE username = 'budi.santoso'", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }

  /* cabut-cli dossier, as text. */
  {
    const char *args[] = { "dossier", id, NULL };

    cli_run (&text, "dewi.verifikator", args);
    g_assert_cmpint (text.status, ==, 0);
    g_assert_nonnull (strstr (text.out, "  [match] Name: Budi Santoso, S.Kom. / Budi Santoso, S.Kom.\n"));
    g_assert_nonnull (strstr (text.out, "Checks (1 do not match)\n"));
  }
  {
    g_auto(Cli) json = { 0 };
    g_auto(Cli) refused_cli = { 0 };
    g_autoptr(JsonObject) printed = NULL;
    const char *args[] = { "dossier", "--json", id, NULL };

    cli_run (&json, "dewi.verifikator", args);
    g_assert_cmpint (json.status, ==, 0);
    printed = cli_json (&json);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (printed, "checks")), ==, 10);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (printed, "account"), "nik"), ==,
                     "9973010101850001");
    /* An applicant gets no dossier, and hears why. */
    cli_run (&refused_cli, "budi.santoso", args);
    g_assert_cmpint (refused_cli.status, !=, 0);
    g_assert_nonnull (strstr (refused_cli.err, "Only a verification officer may review a request"));
  }

  /* The approval's answer names the CRL that lists it. */
  other = g_strdup_printf ("requests/%s/approve", id);
  {
    g_autoptr(SoupMessage) msg = authed ("POST", other, officer);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(JsonNode) answer = NULL;
    g_autoptr(CabutRequest) request = NULL;
    g_autoptr(GBytes) crl = NULL;
    g_autofree char *crl_listing = NULL;
    const char *number;

    soup_message_set_request_body_from_bytes (msg, "application/json", g_bytes_new_static ("{}", 2));
    body = cabut_test_http (msg, SOUP_STATUS_OK);
    answer = json_from_string (g_bytes_get_data (body, NULL), NULL);
    approved = json_object_ref (json_node_get_object (answer));
    g_assert_cmpstr (json_object_get_string_member (approved, "status"), ==, "revoked");
    g_assert_true (json_object_has_member (approved, "crl_number"));
    request = cabut_request_new_from_json (answer, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cabut_request_get_crl_number (request), ==, json_object_get_int_member (approved, "crl_number"));
    crl = get_crl ();
    crl_listing = crl_text (crl);
    /* The CRL served now is the one named, and it lists the certificate. */
    number = strstr (crl_listing, "crlNumber=0x");
    g_assert_nonnull (number);
    g_assert_cmpint (g_ascii_strtoll (number + strlen ("crlNumber=0x"), NULL, 16), ==,
                     json_object_get_int_member (approved, "crl_number"));
    g_assert_true (crl_lists (crl_listing, cabut_certificate_get_serial (cert)));
  }
}

static const Case cases[] = {
  { "/cabut/ams/end-to-end", test_end_to_end, SHARED_SERVER },
  { "/cabut/ams/reasons-and-me", test_reasons_and_me, SHARED_SERVER },
  /* Renames an account in the database for a while, and approves. */
  { "/cabut/ams/review-dossier", test_review_dossier, OWN_SERVER },
  { "/cabut/ams/refuse/not-your-certificate", test_not_your_certificate, SHARED_SERVER },
  { "/cabut/ams/refuse/dn-and-serial-mismatch", test_dn_and_serial_mismatch, SHARED_SERVER },
  /* Locks an account the other cases sign in with, and unlocks it by hand in the database. */
  { "/cabut/ams/refuse/wrong-password-and-lockout", test_wrong_password_and_lockout, OWN_SERVER },
  { "/cabut/ams/refuse/expired-and-revoked-token", test_expired_and_revoked_token, SHARED_SERVER },
  { "/cabut/ams/refuse/operator-verbs-as-applicant", test_operator_verbs_as_applicant, SHARED_SERVER },
  /* Measures the server's peak memory, which must owe nothing to earlier cases. */
  { "/cabut/ams/refuse/oversize-letter", test_oversize_letter, OWN_SERVER },
  { "/cabut/ams/refuse/wrong-type-and-malformed", test_wrong_type_and_malformed, SHARED_SERVER },
  { "/cabut/ams/refuse/path-traversal-and-sql", test_path_traversal_and_sql, SHARED_SERVER },
  { "/cabut/ams/refuse/wrong-key-signature", test_wrong_key_signature, SHARED_SERVER },
  { "/cabut/ams/idempotency", test_idempotency, SHARED_SERVER },
  { "/cabut/ams/cli/make-letter", test_make_letter, SHARED_SERVER },
  { "/cabut/ams/one-open-request-and-reject", test_one_open_request_and_reject, SHARED_SERVER },
  { "/cabut/ams/event-long-poll", test_event_long_poll, SHARED_SERVER },
  { "/cabut/ams/client-refuses-plain-http", test_client_refuses_plain_http, NO_SERVER },
  { "/cabut/ams/unreachable", test_unreachable, NO_SERVER },
  { "/cabut/ams/admin-and-totp", test_admin_and_totp, SHARED_SERVER },
  { "/cabut/ams/tls", test_tls, NO_SERVER },
  /* kill -9 mid-upload and with nothing in flight, restarts on the same port. */
  { "/cabut/ams/durability", test_durability, OWN_SERVER },
  /* Limits the service's file sizes and empties its database log. */
  { "/cabut/ams/fail-closed/disk-full", test_disk_full, OWN_SERVER },
  /* Adds a trigger that refuses audit rows. */
  { "/cabut/ams/fail-closed/audit-refused", test_audit_refused, OWN_SERVER },
  /* Damages its database file. */
  { "/cabut/ams/fail-closed/damaged-database", test_damaged_database, OWN_SERVER },
  /* Adds 250 open requests. */
  { "/cabut/ams/paging-and-search", test_paging_and_search, OWN_SERVER },
  /* Adds 12 requests and moves them by hand. */
  { "/cabut/ams/queue-counts", test_queue_counts, OWN_SERVER },
  /* Adds 100,000 revoked certificates. */
  { "/cabut/ams/approval-does-not-block", test_approval_does_not_block, OWN_SERVER },
  /* Files and cancels one certificate's requests, one after another. */
  { "/cabut/ams/letter-match", test_letter_match, OWN_SERVER },
  /* Rewinds its database to the version before, and restarts it. */
  { "/cabut/ams/letter-match/migration", test_letter_match_migration, OWN_SERVER },
};

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_test_isolate_tmp ("test-ams");
  cabut_i18n_init ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], run_case);

  ret = g_test_run ();
  g_clear_pointer (&shared, server_free);

  return ret;
}
