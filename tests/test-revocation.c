/* test-revocation.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checks revocation status against real peers on loopback: the `openssl
 * ocsp` responder, and CRLs made by `openssl ca` served by a SoupServer. At
 * start, a throw-away set of leaves, OCSP responder certificates, strangers'
 * CAs and CRLs is made with the openssl command-line tool under the issuing
 * CA of tests/fixtures/certs, in a temporary directory.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-openssl-private.h"
#include "cabut-test-util.h"

#define FAKE_CA_SUBJECT "/C=ID/O=Contoh Lembaga Sertifikasi (Fiktif)/OU=Cabut Pengujian/CN=Cabut Contoh CA DS"
#define TEST_PASSWORD_VAR "CABUT_TEST_P12_PASSWORD"

typedef struct
{
  GSubprocess *process;
  char        *url;
} Responder;

/* Everything made once for the whole run. */
typedef struct
{
  char        *dir;
  char        *config;
  SoupServer  *server;
  char        *base;          /* http://127.0.0.1:N of the SoupServer */
  char        *closed;        /* an address where nothing listens */
  GHashTable  *served;        /* path → GBytes */
  GHashTable  *hits;          /* path → number of requests */
  GPtrArray   *paused;        /* SoupServerMessage held without an answer */
  GHashTable  *responders;    /* signer name → Responder */
} World;

static World world;

/* The world ---------------------------------------------------------------- */

static const char *
tmp_path (const char *name)
{
  g_autofree char *path = g_build_filename (world.dir, name, NULL);

  return g_intern_string (path);
}

static const char *
served_url (const char *path)
{
  g_autofree char *url = g_strconcat (world.base, path, NULL);

  return g_intern_string (url);
}

static void
serve_file (const char *path,
            const char *file)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_file_get_contents (file, &contents, &len, &error);
  g_assert_no_error (error);
  g_hash_table_insert (world.served, g_strdup (path),
                       g_bytes_new_take (g_steal_pointer (&contents), len));
}

static guint
hits (const char *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (world.hits, path));
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  GBytes *body;

  g_hash_table_insert (world.hits, g_strdup (path), GUINT_TO_POINTER (hits (path) + 1));

  if (g_str_equal (path, "/hang"))
    {
      g_ptr_array_add (world.paused, g_object_ref (message));
      soup_server_message_pause (message);
      return;
    }

  if (g_str_equal (path, "/error500"))
    {
      soup_server_message_set_status (message, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }

  if (g_str_equal (path, "/ocsp/down"))
    {
      soup_server_message_set_status (message, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }

  body = g_hash_table_lookup (world.served, path);
  if (body == NULL)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/octet-stream", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
openssl_ok (const char *first_arg,
            ...) G_GNUC_NULL_TERMINATED;

/* Runs openssl with the world's configuration in the environment's view. */
static void
openssl_ok (const char *first_arg,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *openssl = g_getenv ("OPENSSL");
  va_list ap;

  g_ptr_array_add (args, g_strdup (openssl != NULL ? openssl : "openssl"));
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);

  if (!g_subprocess_get_successful (process))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) args->pdata);

      g_error ("%s failed: %s", command, err);
    }
}

static char *
closed_port_url (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return g_strdup_printf ("http://127.0.0.1:%u/", port);
}

static void
write_config (void)
{
  const char *issuing_pem = cabut_test_fixture_path ("ca-issuing.pem");
  const char *issuing_key = cabut_test_fixture_path ("ca-issuing.key");
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;

  config = g_strdup_printf (
    "[ req ]\n"
    "distinguished_name = req_dn\n"
    "prompt             = no\n"
    "[ req_dn ]\n"
    "CN = unused\n"
    "\n"
    "[ CA_main ]\n"
    "database         = %1$s/index.txt\n"
    "new_certs_dir    = %1$s/new\n"
    "serial           = %1$s/serial\n"
    "crlnumber        = %1$s/crlnumber\n"
    "certificate      = %2$s\n"
    "private_key      = %3$s\n"
    "default_md       = sha256\n"
    "default_days     = 30\n"
    "default_crl_days = 1\n"
    "policy           = policy_any\n"
    "unique_subject   = no\n"
    "crl_extensions   = crl_ext\n"
    "\n"
    "[ CA_other ]\n"
    "database         = %1$s/other-index.txt\n"
    "new_certs_dir    = %1$s/new\n"
    "serial           = %1$s/serial\n"
    "crlnumber        = %1$s/crlnumber\n"
    "certificate      = %1$s/other-ca.pem\n"
    "private_key      = %1$s/other-ca.key\n"
    "default_md       = sha256\n"
    "default_crl_days = 1\n"
    "policy           = policy_any\n"
    "crl_extensions   = crl_ext\n"
    "\n"
    "[ CA_fake ]\n"
    "database         = %1$s/fake-index.txt\n"
    "new_certs_dir    = %1$s/new\n"
    "serial           = %1$s/serial\n"
    "crlnumber        = %1$s/crlnumber\n"
    "certificate      = %1$s/fake-ca.pem\n"
    "private_key      = %1$s/fake-ca.key\n"
    "default_md       = sha256\n"
    "default_crl_days = 1\n"
    "policy           = policy_any\n"
    "crl_extensions   = crl_ext\n"
    "\n"
    "[ policy_any ]\n"
    "commonName = supplied\n"
    "\n"
    "[ crl_ext ]\n"
    "authorityKeyIdentifier = keyid:always\n"
    "\n"
    "[ ca_ext ]\n"
    "basicConstraints     = critical, CA:TRUE\n"
    "keyUsage             = critical, keyCertSign, cRLSign\n"
    "subjectKeyIdentifier = hash\n"
    "\n"
    "[ leaf_ext ]\n"
    "basicConstraints       = CA:FALSE\n"
    "keyUsage               = critical, digitalSignature\n"
    "subjectKeyIdentifier   = hash\n"
    "authorityKeyIdentifier = keyid:always\n"
    "crlDistributionPoints  = URI:%4$s/crl/current\n"
    "authorityInfoAccess    = OCSP;URI:%4$s/ocsp/down, caIssuers;URI:%4$s/ca/issuer\n"
    "\n"
    "[ bare_ext ]\n"
    "basicConstraints = CA:FALSE\n"
    "keyUsage         = critical, digitalSignature\n"
    "\n"
    "[ responder_ext ]\n"
    "basicConstraints = CA:FALSE\n"
    "keyUsage         = critical, digitalSignature\n"
    "extendedKeyUsage = OCSPSigning\n"
    "\n"
    "[ noeku_ext ]\n"
    "basicConstraints = CA:FALSE\n"
    "keyUsage         = critical, digitalSignature\n"
    "extendedKeyUsage = clientAuth\n",
    world.dir, issuing_pem, issuing_key, world.base);

  world.config = g_strdup (tmp_path ("openssl.cnf"));
  g_file_set_contents (world.config, config, -1, &error);
  g_assert_no_error (error);
}

static void
write_file (const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (tmp_path (name), contents, -1, &error);
  g_assert_no_error (error);
}

/* A self-signed certificate and its key: NAME.pem, NAME.key. */
static void
make_self_signed (const char *name,
                  const char *subject,
                  const char *extensions)
{
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  g_autofree char *key = g_strconcat (name, ".key", NULL);

  openssl_ok ("req", "-x509", "-config", world.config, "-extensions", extensions,
              "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
              "-keyout", tmp_path (key), "-out", tmp_path (pem), "-subj", subject,
              "-days", "30", NULL);
}

static void
make_request (const char *name,
              const char *subject)
{
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *key = g_strconcat (name, ".key", NULL);

  openssl_ok ("req", "-new", "-config", world.config,
              "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
              "-keyout", tmp_path (key), "-out", tmp_path (csr), "-subj", subject, NULL);
}

/* NAME.pem, issued by the fixtures' issuing CA and entered in its index. */
static void
issue (const char *name,
       const char *subject,
       const char *extensions)
{
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);

  make_request (name, subject);
  openssl_ok ("ca", "-batch", "-config", world.config, "-name", "CA_main",
              "-extensions", extensions, "-notext",
              "-in", tmp_path (csr), "-out", tmp_path (pem), NULL);
}

static char *
openssl_date (GTimeSpan offset)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add (now, offset);

  return g_date_time_format (when, "%Y%m%d%H%M%SZ");
}

static void
make_crl (const char *ca,
          const char *name,
          GTimeSpan   last_update,
          GTimeSpan   next_update)
{
  g_autofree char *last = openssl_date (last_update);
  g_autofree char *next = openssl_date (next_update);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  g_autofree char *der = g_strconcat (name, ".der", NULL);

  openssl_ok ("ca", "-gencrl", "-config", world.config, "-name", ca,
              "-crl_lastupdate", last, "-crl_nextupdate", next,
              "-out", tmp_path (pem), NULL);
  openssl_ok ("crl", "-in", tmp_path (pem), "-outform", "DER", "-out", tmp_path (der), NULL);
}

static void
world_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *index = NULL;

  world.dir = g_dir_make_tmp ("cabut-revocation-XXXXXX", &error);
  g_assert_no_error (error);
  world.served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_bytes_unref);
  world.hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  world.paused = g_ptr_array_new_with_free_func (g_object_unref);
  world.responders = g_hash_table_new (g_str_hash, g_str_equal);

  world.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (world.server, NULL, server_cb, NULL, NULL);
  soup_server_listen_local (world.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (world.server);
  g_assert_nonnull (uris);
  world.base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  world.closed = closed_port_url ();

  write_config ();
  g_assert_cmpint (g_mkdir (tmp_path ("new"), 0700), ==, 0);
  g_file_get_contents (cabut_test_fixture_path ("ca-index.txt"), &index, NULL, &error);
  g_assert_no_error (error);
  write_file ("index.txt", index);
  write_file ("other-index.txt", "");
  write_file ("fake-index.txt", "");
  write_file ("serial", "20000001\n");
  write_file ("crlnumber", "01\n");

  /* Strangers: another CA, one with the issuing CA's very name, and a
   * self-signed OCSP responder. */
  make_self_signed ("other-ca", "/C=ID/O=Lembaga Lain/CN=Contoh Lain Root CA", "ca_ext");
  make_self_signed ("fake-ca", FAKE_CA_SUBJECT, "ca_ext");
  make_self_signed ("rogue-responder", "/CN=Rogue OCSP responder", "responder_ext");

  issue ("good", "/CN=Leaf Good", "leaf_ext");
  issue ("revoked", "/CN=Leaf Revoked", "leaf_ext");
  issue ("revoked-no-reason", "/CN=Leaf Revoked Without Reason", "leaf_ext");
  issue ("responder", "/CN=Delegated OCSP responder", "responder_ext");
  issue ("responder-noeku", "/CN=Responder without OCSPSigning", "noeku_ext");

  /* Signed by the CA but in no index: the responder does not know it. */
  make_request ("unknown", "/CN=Leaf Unknown");
  openssl_ok ("x509", "-req", "-in", tmp_path ("unknown.csr"),
              "-CA", cabut_test_fixture_path ("ca-issuing.pem"),
              "-CAkey", cabut_test_fixture_path ("ca-issuing.key"),
              "-set_serial", "0x30000001", "-days", "30",
              "-extfile", world.config, "-extensions", "bare_ext",
              "-out", tmp_path ("unknown.pem"), NULL);

  openssl_ok ("ca", "-config", world.config, "-name", "CA_main",
              "-revoke", tmp_path ("revoked.pem"), "-crl_reason", "keyCompromise", NULL);
  openssl_ok ("ca", "-config", world.config, "-name", "CA_main",
              "-revoke", tmp_path ("revoked-no-reason.pem"), NULL);

  make_crl ("CA_main", "crl-current", -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY);
  make_crl ("CA_main", "crl-expired", -2 * G_TIME_SPAN_DAY, -G_TIME_SPAN_DAY);
  make_crl ("CA_main", "crl-future", G_TIME_SPAN_DAY, 2 * G_TIME_SPAN_DAY);
  make_crl ("CA_other", "crl-other", -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY);
  make_crl ("CA_fake", "crl-fake", -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY);

  openssl_ok ("x509", "-in", cabut_test_fixture_path ("ca-issuing.pem"), "-outform", "DER",
              "-out", tmp_path ("ca-issuing.der"), NULL);

  serve_file ("/crl/current", tmp_path ("crl-current.der"));
  serve_file ("/crl/current.pem", tmp_path ("crl-current.pem"));
  serve_file ("/crl/expired", tmp_path ("crl-expired.der"));
  serve_file ("/crl/future", tmp_path ("crl-future.der"));
  serve_file ("/crl/other", tmp_path ("crl-other.der"));
  serve_file ("/crl/fake", tmp_path ("crl-fake.der"));
  serve_file ("/crl/garbage", cabut_test_fixture_path ("garbage.bin"));
  serve_file ("/ca/issuing.pem", cabut_test_fixture_path ("ca-issuing.pem"));
  serve_file ("/ca/issuer", cabut_test_fixture_path ("ca-issuing.pem"));
  g_hash_table_insert (world.served, g_strdup ("/huge"),
                       g_bytes_new_take (g_malloc0 (2 * 1024 * 1024), 2 * 1024 * 1024));
}

static void
world_teardown (void)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, world.responders);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Responder *responder = value;

      g_subprocess_force_exit (responder->process);
      g_subprocess_wait (responder->process, NULL, NULL);
      g_object_unref (responder->process);
      g_free (responder->url);
      g_free (responder);
    }
  g_clear_pointer (&world.responders, g_hash_table_unref);

  soup_server_disconnect (world.server);
  g_clear_object (&world.server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&world.paused, g_ptr_array_unref);
  g_clear_pointer (&world.served, g_hash_table_unref);
  g_clear_pointer (&world.hits, g_hash_table_unref);

  if (g_getenv ("CABUT_TEST_KEEP") == NULL)
    {
      const char *argv[] = { "rm", "-rf", "--", world.dir, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                    NULL, NULL, NULL, NULL);
    }
  g_clear_pointer (&world.dir, g_free);
  g_clear_pointer (&world.config, g_free);
  g_clear_pointer (&world.base, g_free);
  g_clear_pointer (&world.closed, g_free);
}

/* So that a responder does not outlive a test run that aborted. */

/* A real `openssl ocsp` responder signing with NAME.pem / NAME.key from the
 * temporary directory, or with the issuing CA itself for "ca". Started on
 * first use, after the index is final: it reads index.txt only between
 * connections. */
static const char *
responder_url (const char *name)
{
  Responder *responder = g_hash_table_lookup (world.responders, name);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  const char *openssl = g_getenv ("OPENSSL");

  if (responder != NULL)
    return responder->url;

  if (g_str_equal (name, "ca"))
    {
      cert = g_strdup (cabut_test_fixture_path ("ca-issuing.pem"));
      key = g_strdup (cabut_test_fixture_path ("ca-issuing.key"));
    }
  else
    {
      g_autofree char *pem = g_strconcat (name, ".pem", NULL);
      g_autofree char *pkey = g_strconcat (name, ".key", NULL);

      cert = g_strdup (tmp_path (pem));
      key = g_strdup (tmp_path (pkey));
    }

  responder = g_new0 (Responder, 1);
  /* -port 0: the kernel picks a free port and openssl prints it. */
  launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  responder->process = g_subprocess_launcher_spawn (launcher, &error,
                                                    openssl != NULL ? openssl : "openssl", "ocsp",
                                                    "-index", tmp_path ("index.txt"),
                                                    "-CA", cabut_test_fixture_path ("ca-issuing.pem"),
                                                    "-rsigner", cert, "-rkey", key,
                                                    "-port", "0", "-ndays", "1",
                                                    "-nrequest", "1000", NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (responder->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  /* “ACCEPT [::]:43193 PID=28547” */
  regex = g_regex_new (":([0-9]+) PID=", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match (regex, line, 0, &match));
  port = g_match_info_fetch (match, 1);
  responder->url = g_strdup_printf ("http://127.0.0.1:%s/", port);
  g_hash_table_insert (world.responders, (char *) g_intern_string (name), responder);

  return responder->url;
}

/* Helpers ------------------------------------------------------------------ */

static CabutCertificate *
load (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CabutCertificate *cert;

  cert = cabut_certificate_new_from_file (file, NULL, NULL, &error);
  g_assert_no_error (error);

  return cert;
}

static CabutCertificate *
load_tmp (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".pem", NULL);

  return load (tmp_path (file));
}

typedef struct
{
  CabutRevocationResult *result;
  GError                *error;
  gboolean               done;
} Check;

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Check *check = user_data;

  check->result = cabut_revocation_check_finish (result, &check->error);
  check->done = TRUE;
}

static gboolean
guard_cb (gpointer user_data)
{
  g_error ("A revocation check took far too long");
  return G_SOURCE_REMOVE;
}

static CabutRevocationResult *
check_full (const char    *cert_name,
            const char    *issuer_path,
            const char    *ocsp_url,
            const char    *crl_url,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(CabutCertificate) cert = load_tmp (cert_name);
  g_autoptr(CabutCertificate) issuer = issuer_path != NULL ? load (issuer_path) : NULL;
  Check check = { 0 };
  guint guard;

  guard = g_timeout_add_seconds (25, guard_cb, NULL);
  cabut_revocation_check_async (cert, issuer, ocsp_url, crl_url, NULL, cancellable,
                                check_done_cb, &check);
  while (!check.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);

  g_assert_true ((check.result == NULL) != (check.error == NULL));
  if (check.error != NULL)
    {
      g_test_message ("%s: %s", cert_name, check.error->message);
      g_propagate_error (error, check.error);
    }

  return check.result;
}

/* Checks NAME with the issuing CA given as issuer. */
static CabutRevocationResult *
check (const char  *cert_name,
       const char  *ocsp_url,
       const char  *crl_url,
       GError     **error)
{
  return check_full (cert_name, cabut_test_fixture_path ("ca-issuing.pem"), ocsp_url, crl_url,
                     NULL, error);
}

/* When openssl ca recorded NAME's revocation in index.txt, or NULL. */
static GDateTime *
find_revocation_date (const char *cert_name)
{
  g_autofree char *file = g_strconcat (cert_name, ".pem", NULL);
  g_autofree char *serial = cabut_test_openssl ("x509", "-noout", "-serial", "-in",
                                                tmp_path (file), NULL);
  g_autofree char *index = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (serial);
  g_strstrip (serial);
  g_assert_true (g_str_has_prefix (serial, "serial="));

  g_file_get_contents (tmp_path ("index.txt"), &index, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (index, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], "\t", -1);
      int y, mo, d, h, mi, s;

      if (g_strv_length (cols) < 4 || !g_str_equal (cols[0], "R") ||
          g_ascii_strcasecmp (cols[3], serial + strlen ("serial=")) != 0)
        continue;

      /* YYMMDDHHMMSSZ[,reason] */
      g_assert_cmpint (sscanf (cols[2], "%2d%2d%2d%2d%2d%2d", &y, &mo, &d, &h, &mi, &s), ==, 6);
      return g_date_time_new_utc (2000 + y, mo, d, h, mi, s);
    }

  return NULL;
}

static GDateTime *
revocation_date (const char *cert_name)
{
  GDateTime *when = find_revocation_date (cert_name);

  g_assert_nonnull (when);

  return when;
}

static void
assert_recent (GDateTime *when)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_nonnull (when);
  g_assert_cmpint (ABS (g_date_time_difference (now, when)), <, 2 * G_TIME_SPAN_HOUR);
}

static void
assert_good (CabutRevocationResult *result,
             const char            *source,
             const char            *url)
{
  g_assert_nonnull (result);
  g_assert_cmpint (cabut_revocation_result_get_status (result), ==, CABUT_REVOCATION_STATUS_GOOD);
  g_assert_null (cabut_revocation_result_get_reason (result));
  g_assert_null (cabut_revocation_result_get_revoked_at (result));
  g_assert_cmpstr (cabut_revocation_result_get_source (result), ==, source);
  g_assert_cmpstr (cabut_revocation_result_get_url (result), ==, url);
  assert_recent (cabut_revocation_result_get_this_update (result));
  g_assert_nonnull (cabut_revocation_result_get_next_update (result));
}

static void
assert_revoked (CabutRevocationResult *result,
                const char            *cert_name,
                const char            *reason,
                const char            *source,
                const char            *url)
{
  g_autoptr(GDateTime) expected = revocation_date (cert_name);

  g_assert_nonnull (result);
  g_assert_cmpint (cabut_revocation_result_get_status (result), ==,
                   CABUT_REVOCATION_STATUS_REVOKED);
  g_assert_cmpstr (cabut_revocation_result_get_reason (result), ==, reason);
  g_assert_nonnull (cabut_revocation_result_get_revoked_at (result));
  g_assert_true (g_date_time_equal (cabut_revocation_result_get_revoked_at (result), expected));
  g_assert_cmpstr (cabut_revocation_result_get_source (result), ==, source);
  g_assert_cmpstr (cabut_revocation_result_get_url (result), ==, url);
  assert_recent (cabut_revocation_result_get_this_update (result));
}

/* CRLs and OCSP answers made in code ----------------------------------------- */

/* An extension as an OpenSSL configuration file writes it, such as
 * { "1.2.3.4.5", "critical,DER:05:00" }. */
typedef struct
{
  const char *name;
  const char *value;
} Ext;

typedef struct
{
  GTimeSpan    this_update;       /* from now */
  GTimeSpan    next_update;       /* from now; 0 for none */
  const char  *listed[3];         /* the revoked certificates, by name */
  Ext          crl_ext;           /* on the CRL */
  const char  *entry_ext_on;      /* which listed certificate's entry has entry_ext */
  Ext          entry_ext;
} CrlSpec;

static X509 *
read_x509 (const char *path)
{
  g_autoptr(BIO) bio = BIO_new_file (path, "r");
  X509 *x509;

  g_assert_nonnull (bio);
  x509 = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  g_assert_nonnull (x509);

  return x509;
}

static EVP_PKEY *
read_issuing_key (void)
{
  g_autoptr(BIO) bio = BIO_new_file (cabut_test_fixture_path ("ca-issuing.key"), "r");
  EVP_PKEY *key;

  g_assert_nonnull (bio);
  key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  g_assert_nonnull (key);

  return key;
}

static ASN1_TIME *
asn1_time_from_now (GTimeSpan offset)
{
  ASN1_TIME *time = X509_time_adj_ex (NULL, 0, (long) (offset / G_USEC_PER_SEC), NULL);

  g_assert_nonnull (time);

  return time;
}

static X509_EXTENSION *
make_extension (X509V3_CTX *ctx,
                const Ext  *ext)
{
  X509_EXTENSION *extension = X509V3_EXT_nconf (NULL, ctx, ext->name, ext->value);

  if (extension == NULL)
    g_error ("Cannot make extension %s = %s", ext->name, ext->value);

  return extension;
}

/* A CRL of the issuing CA, signed by it, served at PATH. */
static void
serve_crl (const char    *path,
           const CrlSpec *spec)
{
  g_autoptr(X509) ca = read_x509 (cabut_test_fixture_path ("ca-issuing.pem"));
  g_autoptr(EVP_PKEY) key = read_issuing_key ();
  g_autoptr(X509_CRL) crl = X509_CRL_new ();
  g_autoptr(ASN1_TIME) this_update = asn1_time_from_now (spec->this_update);
  unsigned char *der = NULL;
  X509V3_CTX ctx;
  int len;

  g_assert_nonnull (crl);
  g_assert_true (X509_CRL_set_version (crl, X509_CRL_VERSION_2));
  g_assert_true (X509_CRL_set_issuer_name (crl, X509_get_subject_name (ca)));
  g_assert_true (X509_CRL_set1_lastUpdate (crl, this_update));
  if (spec->next_update != 0)
    {
      g_autoptr(ASN1_TIME) next_update = asn1_time_from_now (spec->next_update);

      g_assert_true (X509_CRL_set1_nextUpdate (crl, next_update));
    }

  X509V3_set_ctx (&ctx, ca, NULL, NULL, crl, 0);

  for (guint i = 0; i < G_N_ELEMENTS (spec->listed) && spec->listed[i] != NULL; i++)
    {
      g_autofree char *file = g_strconcat (spec->listed[i], ".pem", NULL);
      g_autoptr(X509) cert = read_x509 (tmp_path (file));
      g_autoptr(GDateTime) when = find_revocation_date (spec->listed[i]);
      g_autoptr(ASN1_TIME) date = NULL;
      X509_REVOKED *entry = X509_REVOKED_new ();

      g_assert_nonnull (entry);
      if (when != NULL)
        date = ASN1_TIME_set (NULL, g_date_time_to_unix (when));
      else
        date = asn1_time_from_now (-G_TIME_SPAN_HOUR);
      g_assert_nonnull (date);
      g_assert_true (X509_REVOKED_set_serialNumber (entry, (ASN1_INTEGER *) X509_get0_serialNumber (cert)));
      g_assert_true (X509_REVOKED_set_revocationDate (entry, date));

      if (g_str_equal (spec->listed[i], "revoked"))
        {
          g_autoptr(ASN1_ENUMERATED) reason = ASN1_ENUMERATED_new ();

          g_assert_true (ASN1_ENUMERATED_set (reason, 1 /* keyCompromise */));
          g_assert_true (X509_REVOKED_add1_ext_i2d (entry, NID_crl_reason, reason, 0, 0));
        }

      if (g_strcmp0 (spec->listed[i], spec->entry_ext_on) == 0)
        {
          X509_EXTENSION *ext = make_extension (&ctx, &spec->entry_ext);

          g_assert_true (X509_REVOKED_add_ext (entry, ext, -1));
          X509_EXTENSION_free (ext);
        }

      g_assert_true (X509_CRL_add0_revoked (crl, entry));
    }

  if (spec->crl_ext.name != NULL)
    {
      X509_EXTENSION *ext = make_extension (&ctx, &spec->crl_ext);

      g_assert_true (X509_CRL_add_ext (crl, ext, -1));
      X509_EXTENSION_free (ext);
    }

  g_assert_true (X509_CRL_sort (crl));
  g_assert_cmpint (X509_CRL_sign (crl, key, EVP_sha256 ()), >, 0);

  len = i2d_X509_CRL (crl, &der);
  g_assert_cmpint (len, >, 0);
  g_hash_table_insert (world.served, g_strdup (path), g_bytes_new (der, len));
  OPENSSL_free (der);
}

/* A pre-made OCSP answer of the issuing CA saying NAME is good, served at
 * PATH (whatever is asked, so without our nonce). */
static void
serve_ocsp (const char *path,
            const char *cert_name,
            GTimeSpan   this_update,
            GTimeSpan   next_update,
            const Ext  *single_ext)
{
  g_autofree char *file = g_strconcat (cert_name, ".pem", NULL);
  g_autoptr(X509) cert = read_x509 (tmp_path (file));
  g_autoptr(X509) ca = read_x509 (cabut_test_fixture_path ("ca-issuing.pem"));
  g_autoptr(EVP_PKEY) key = read_issuing_key ();
  g_autoptr(OCSP_BASICRESP) basic = OCSP_BASICRESP_new ();
  g_autoptr(OCSP_RESPONSE) response = NULL;
  g_autoptr(OCSP_CERTID) id = OCSP_cert_to_id (EVP_sha1 (), cert, ca);
  g_autoptr(ASN1_TIME) this_time = asn1_time_from_now (this_update);
  g_autoptr(ASN1_TIME) next_time = next_update != 0 ? asn1_time_from_now (next_update) : NULL;
  OCSP_SINGLERESP *single;
  unsigned char *der = NULL;
  int len;

  g_assert_nonnull (basic);
  g_assert_nonnull (id);
  single = OCSP_basic_add1_status (basic, id, V_OCSP_CERTSTATUS_GOOD, 0, NULL,
                                   this_time, next_time);
  g_assert_nonnull (single);

  if (single_ext != NULL)
    {
      X509V3_CTX ctx;
      X509_EXTENSION *ext;

      X509V3_set_ctx (&ctx, ca, NULL, NULL, NULL, 0);
      ext = make_extension (&ctx, single_ext);
      g_assert_true (OCSP_SINGLERESP_add_ext (single, ext, -1));
      X509_EXTENSION_free (ext);
    }

  g_assert_true (OCSP_basic_sign (basic, ca, key, EVP_sha256 (), NULL, 0));
  response = OCSP_response_create (OCSP_RESPONSE_STATUS_SUCCESSFUL, basic);
  g_assert_nonnull (response);

  len = i2d_OCSP_RESPONSE (response, &der);
  g_assert_cmpint (len, >, 0);
  g_hash_table_insert (world.served, g_strdup (path), g_bytes_new (der, len));
  OPENSSL_free (der);
}

/* Critical extensions and answers without nextUpdate ----------------------- */

#define UNKNOWN_CRITICAL    { "1.2.3.4.5", "critical,DER:05:00" }
#define UNKNOWN_NONCRITICAL { "1.2.3.4.5", "DER:05:00" }

/* Neither the certificate it lists nor one it does not list gets an answer
 * from the CRL at PATH: no "revoked", no "good". */
static void
assert_crl_refused (const char *path,
                    int         code)
{
  const char *names[] = { "good", "revoked" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CabutRevocationResult) result = NULL;
      g_autoptr(GError) error = NULL;

      result = check (names[i], world.closed, served_url (path), &error);
      g_assert_error (error, CABUT_REVOCATION_ERROR, code);
      g_assert_null (result);
    }
}

static void
assert_crl_usable (const char *path)
{
  g_autoptr(CabutRevocationResult) good = NULL;
  g_autoptr(CabutRevocationResult) revoked = NULL;
  g_autoptr(GError) error = NULL;

  good = check ("good", world.closed, served_url (path), &error);
  g_assert_no_error (error);
  assert_good (good, "crl", served_url (path));

  revoked = check ("revoked", world.closed, served_url (path), &error);
  g_assert_no_error (error);
  assert_revoked (revoked, "revoked", "keyCompromise", "crl", served_url (path));
}

static void
test_crl_extension_critical (void)
{
  CrlSpec critical = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "revoked" }, UNKNOWN_CRITICAL };
  CrlSpec noncritical = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "revoked" }, UNKNOWN_NONCRITICAL };

  serve_crl ("/crl/ext-critical", &critical);
  assert_crl_refused ("/crl/ext-critical", CABUT_REVOCATION_ERROR_BAD_RESPONSE);

  serve_crl ("/crl/ext-noncritical", &noncritical);
  assert_crl_usable ("/crl/ext-noncritical");
}

/* The extension is on another certificate's entry than the one asked about. */
static void
test_crl_entry_extension_critical (void)
{
  CrlSpec critical = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "revoked", "revoked-no-reason" },
                       { NULL }, "revoked-no-reason", UNKNOWN_CRITICAL };
  CrlSpec noncritical = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "revoked", "revoked-no-reason" },
                          { NULL }, "revoked-no-reason", UNKNOWN_NONCRITICAL };

  serve_crl ("/crl/entry-critical", &critical);
  assert_crl_refused ("/crl/entry-critical", CABUT_REVOCATION_ERROR_BAD_RESPONSE);

  serve_crl ("/crl/entry-noncritical", &noncritical);
  assert_crl_usable ("/crl/entry-noncritical");
}

/* An indirect CRL's entries may be another authority's certificates. */
static void
test_crl_entry_certificate_issuer (void)
{
  CrlSpec spec = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "revoked", "revoked-no-reason" },
                   { NULL }, "revoked-no-reason",
                   /* GeneralNames { uniformResourceIdentifier "http://o/" } */
                   { "certificateIssuer", "critical,DER:30:0B:86:09:68:74:74:70:3A:2F:2F:6F:2F" } };

  serve_crl ("/crl/certificate-issuer", &spec);
  assert_crl_refused ("/crl/certificate-issuer", CABUT_REVOCATION_ERROR_BAD_RESPONSE);
}

/* Extensions Cabut understands are fine, even marked critical. */
static void
test_crl_extension_recognised (void)
{
  g_autofree char *own_point = g_strdup_printf ("critical,fullname:URI:%s/crl/current", world.base);
  CrlSpec aki = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "revoked" },
                  { "authorityKeyIdentifier", "critical,keyid:always" } };
  CrlSpec idp = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "revoked" },
                  { "issuingDistributionPoint", own_point } };
  CrlSpec other_idp = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "revoked" },
                        { "issuingDistributionPoint",
                          "critical,fullname:URI:http://other.example/partition-2.crl" } };

  serve_crl ("/crl/aki-critical", &aki);
  assert_crl_usable ("/crl/aki-critical");

  /* The certificates name <base>/crl/current as their distribution point. */
  serve_crl ("/crl/idp-own", &idp);
  assert_crl_usable ("/crl/idp-own");

  /* Another partition's CRL would call every certificate of this one good. */
  serve_crl ("/crl/idp-other", &other_idp);
  assert_crl_refused ("/crl/idp-other", CABUT_REVOCATION_ERROR_BAD_RESPONSE);
}

static void
test_crl_delta (void)
{
  /* deltaCRL: INTEGER 1, the base CRL's number */
  CrlSpec critical = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "revoked" },
                       { "deltaCRL", "critical,DER:02:01:01" } };
  CrlSpec noncritical = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "revoked" },
                          { "deltaCRL", "DER:02:01:01" } };

  serve_crl ("/crl/delta", &critical);
  assert_crl_refused ("/crl/delta", CABUT_REVOCATION_ERROR_BAD_RESPONSE);
  serve_crl ("/crl/delta-noncritical", &noncritical);
  assert_crl_refused ("/crl/delta-noncritical", CABUT_REVOCATION_ERROR_BAD_RESPONSE);
}

/* Without nextUpdate, a CRL counts for CABUT_REVOCATION_CRL_MAX_AGE. */
static void
test_crl_no_next_update (void)
{
  GTimeSpan max_age = (GTimeSpan) CABUT_REVOCATION_CRL_MAX_AGE * G_USEC_PER_SEC;
  CrlSpec old = { -max_age - G_TIME_SPAN_HOUR, 0, { "revoked" } };
  CrlSpec young = { -max_age + G_TIME_SPAN_HOUR, 0, { "revoked" } };
  g_autoptr(CabutRevocationResult) good = NULL;
  g_autoptr(CabutRevocationResult) revoked = NULL;
  g_autoptr(GError) error = NULL;

  serve_crl ("/crl/no-next-old", &old);
  assert_crl_refused ("/crl/no-next-old", CABUT_REVOCATION_ERROR_STALE);

  serve_crl ("/crl/no-next-young", &young);
  good = check ("good", world.closed, served_url ("/crl/no-next-young"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_revocation_result_get_status (good), ==, CABUT_REVOCATION_STATUS_GOOD);
  g_assert_cmpstr (cabut_revocation_result_get_source (good), ==, "crl");
  g_assert_nonnull (cabut_revocation_result_get_this_update (good));
  g_assert_null (cabut_revocation_result_get_next_update (good));

  revoked = check ("revoked", world.closed, served_url ("/crl/no-next-young"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_revocation_result_get_status (revoked), ==,
                   CABUT_REVOCATION_STATUS_REVOKED);
  g_assert_cmpstr (cabut_revocation_result_get_reason (revoked), ==, "keyCompromise");
}

/* Without nextUpdate, an OCSP answer counts for CABUT_REVOCATION_OCSP_MAX_AGE. */
static void
test_ocsp_no_next_update (void)
{
  GTimeSpan max_age = (GTimeSpan) CABUT_REVOCATION_OCSP_MAX_AGE * G_USEC_PER_SEC;
  g_autoptr(CabutRevocationResult) old = NULL;
  g_autoptr(CabutRevocationResult) young = NULL;
  g_autoptr(CabutRevocationResult) with_next = NULL;
  g_autoptr(GError) error = NULL;

  serve_ocsp ("/ocsp/no-next-old", "good", -max_age - 10 * G_TIME_SPAN_MINUTE, 0, NULL);
  old = check ("good", served_url ("/ocsp/no-next-old"), world.closed, &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_STALE);
  g_assert_null (old);
  g_clear_error (&error);

  serve_ocsp ("/ocsp/no-next-young", "good", -G_TIME_SPAN_MINUTE, 0, NULL);
  young = check ("good", served_url ("/ocsp/no-next-young"), world.closed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_revocation_result_get_status (young), ==, CABUT_REVOCATION_STATUS_GOOD);
  g_assert_cmpstr (cabut_revocation_result_get_source (young), ==, "ocsp");
  g_assert_null (cabut_revocation_result_get_next_update (young));

  /* With a nextUpdate still ahead, the same age is fine. */
  serve_ocsp ("/ocsp/old-with-next", "good", -max_age - 10 * G_TIME_SPAN_MINUTE,
              G_TIME_SPAN_DAY, NULL);
  with_next = check ("good", served_url ("/ocsp/old-with-next"), world.closed, &error);
  g_assert_no_error (error);
  assert_good (with_next, "ocsp", served_url ("/ocsp/old-with-next"));
}

static void
test_ocsp_extension_critical (void)
{
  Ext critical = UNKNOWN_CRITICAL;
  Ext noncritical = UNKNOWN_NONCRITICAL;
  g_autoptr(CabutRevocationResult) refused = NULL;
  g_autoptr(CabutRevocationResult) good = NULL;
  g_autoptr(GError) error = NULL;

  serve_ocsp ("/ocsp/ext-critical", "good", -G_TIME_SPAN_MINUTE, G_TIME_SPAN_DAY, &critical);
  refused = check ("good", served_url ("/ocsp/ext-critical"), world.closed, &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE);
  g_assert_null (refused);
  g_clear_error (&error);

  serve_ocsp ("/ocsp/ext-noncritical", "good", -G_TIME_SPAN_MINUTE, G_TIME_SPAN_DAY, &noncritical);
  good = check ("good", served_url ("/ocsp/ext-noncritical"), world.closed, &error);
  g_assert_no_error (error);
  assert_good (good, "ocsp", served_url ("/ocsp/ext-noncritical"));
}

/* OCSP --------------------------------------------------------------------- */

static void
test_ocsp_good (void)
{
  const char *url = responder_url ("ca");
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", url, world.closed, &error);
  g_assert_no_error (error);
  assert_good (result, "ocsp", url);
}

/* A leaf of the fixtures, in the fixtures' own index. */
static void
test_ocsp_good_fixture (void)
{
  const char *url = responder_url ("ca");
  g_autoptr(CabutCertificate) cert = load (cabut_test_fixture_path ("rsa2048.pem"));
  g_autoptr(CabutCertificate) issuer = load (cabut_test_fixture_path ("ca-issuing.pem"));
  Check check = { 0 };

  cabut_revocation_check_async (cert, issuer, url, world.closed, NULL, NULL, check_done_cb, &check);
  while (!check.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (check.error);
  assert_good (check.result, "ocsp", url);
  g_clear_object (&check.result);
}

static void
test_ocsp_revoked (void)
{
  const char *url = responder_url ("ca");
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("revoked", url, world.closed, &error);
  g_assert_no_error (error);
  assert_revoked (result, "revoked", "keyCompromise", "ocsp", url);
}

static void
test_ocsp_revoked_no_reason (void)
{
  const char *url = responder_url ("ca");
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("revoked-no-reason", url, world.closed, &error);
  g_assert_no_error (error);
  assert_revoked (result, "revoked-no-reason", NULL, "ocsp", url);
}

static void
test_ocsp_unknown (void)
{
  const char *url = responder_url ("ca");
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* No CRL in the certificate: the signed “unknown” is all there is. */
  result = check ("unknown", url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_revocation_result_get_status (result), ==,
                   CABUT_REVOCATION_STATUS_UNKNOWN);
  g_assert_null (cabut_revocation_result_get_reason (result));
  g_assert_null (cabut_revocation_result_get_revoked_at (result));
  g_assert_cmpstr (cabut_revocation_result_get_source (result), ==, "ocsp");
}

/* “unknown” is no answer; the CRL, which does not list it, is. */
static void
test_ocsp_unknown_then_crl (void)
{
  const char *url = responder_url ("ca");
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* The CRL does not list it, but that cannot make a certificate its
   * issuer does not know "good": the answer stays "unknown". */
  result = check ("unknown", url, served_url ("/crl/current"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_revocation_result_get_status (result), ==, CABUT_REVOCATION_STATUS_UNKNOWN);
  g_assert_cmpstr (cabut_revocation_result_get_source (result), ==, "ocsp");
}

static void
test_ocsp_delegated (void)
{
  const char *url = responder_url ("responder");
  g_autoptr(CabutRevocationResult) good = NULL;
  g_autoptr(CabutRevocationResult) revoked = NULL;
  g_autoptr(GError) error = NULL;

  good = check ("good", url, world.closed, &error);
  g_assert_no_error (error);
  assert_good (good, "ocsp", url);

  revoked = check ("revoked", url, world.closed, &error);
  g_assert_no_error (error);
  assert_revoked (revoked, "revoked", "keyCompromise", "ocsp", url);
}

/* Signed by the CA, but not for OCSP signing. */
static void
test_ocsp_delegated_without_eku (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", responder_url ("responder-noeku"), world.closed, &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_SIGNATURE);
  g_assert_null (result);
}

static void
test_ocsp_rogue (void)
{
  const char *url = responder_url ("rogue-responder");
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Its answer would be “good”; the unreachable CRL must not make it count. */
  result = check ("good", url, world.closed, &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_SIGNATURE);
  g_assert_null (result);
  g_clear_error (&error);

  result = check ("revoked", url, world.closed, &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_SIGNATURE);
  g_assert_null (result);
}

/* A self-signed key under the issuing CA's exact name. */
static void
test_ocsp_rogue_same_name (void)
{
  g_autoptr(CabutCertificate) fake = load_tmp ("fake-ca");
  g_autoptr(CabutCertificate) real = load (cabut_test_fixture_path ("ca-issuing.pem"));
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cabut_dn_equal (cabut_certificate_get_subject (fake),
                                 cabut_certificate_get_subject (real)));

  result = check ("revoked", responder_url ("fake-ca"), world.closed, &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_SIGNATURE);
  g_assert_null (result);
}

/* The rogue responder says “good” for a revoked certificate; the CRL wins. */
static void
test_ocsp_rogue_then_crl (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("revoked", responder_url ("rogue-responder"), served_url ("/crl/current"),
                  &error);
  g_assert_no_error (error);
  assert_revoked (result, "revoked", "keyCompromise", "crl", served_url ("/crl/current"));
}

static void
test_ocsp_unreachable_then_crl (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", world.closed, served_url ("/crl/current"), &error);
  g_assert_no_error (error);
  assert_good (result, "crl", served_url ("/crl/current"));
}

/* No overrides: the certificate's own OCSP address answers 503, its own CRL
 * address answers. */
static void
test_certificate_urls (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint ocsp_before = hits ("/ocsp/down");

  result = check ("revoked", NULL, NULL, &error);
  g_assert_no_error (error);
  assert_revoked (result, "revoked", "keyCompromise", "crl", served_url ("/crl/current"));
  g_assert_cmpuint (hits ("/ocsp/down"), ==, ocsp_before + 1);
}

/* A forged CRL says more than an unreachable responder. */
static void
test_most_telling_error (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("revoked", world.closed, served_url ("/crl/fake"), &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_SIGNATURE);
  g_assert_null (result);
}

/* CRL ---------------------------------------------------------------------- */

static void
test_crl_good (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", world.closed, served_url ("/crl/current"), &error);
  g_assert_no_error (error);
  assert_good (result, "crl", served_url ("/crl/current"));
}

static void
test_crl_revoked (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(CabutRevocationResult) no_reason = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("revoked", world.closed, served_url ("/crl/current"), &error);
  g_assert_no_error (error);
  assert_revoked (result, "revoked", "keyCompromise", "crl", served_url ("/crl/current"));

  no_reason = check ("revoked-no-reason", world.closed, served_url ("/crl/current"), &error);
  g_assert_no_error (error);
  assert_revoked (no_reason, "revoked-no-reason", NULL, "crl", served_url ("/crl/current"));
}

static void
test_crl_pem (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("revoked", world.closed, served_url ("/crl/current.pem"), &error);
  g_assert_no_error (error);
  assert_revoked (result, "revoked", "keyCompromise", "crl", served_url ("/crl/current.pem"));
}

static void
test_crl_other_ca (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", world.closed, served_url ("/crl/other"), &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_WRONG_ISSUER);
  g_assert_null (result);
}

/* The fake CA's empty CRL would call a revoked certificate good. */
static void
test_crl_same_name_other_key (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("revoked", world.closed, served_url ("/crl/fake"), &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_SIGNATURE);
  g_assert_null (result);
}

static void
test_crl_expired (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", world.closed, served_url ("/crl/expired"), &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_STALE);
  g_assert_null (result);
}

static void
test_crl_future (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", world.closed, served_url ("/crl/future"), &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_STALE);
  g_assert_null (result);
}

static void
test_crl_garbage (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", world.closed, served_url ("/crl/garbage"), &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE);
  g_assert_null (result);
}

static void
test_crl_too_large (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", world.closed, served_url ("/huge"), &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE);
  g_assert_null (result);
}

static void
test_crl_http_error (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", served_url ("/error500"), served_url ("/error500"), &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "500"));
  g_assert_null (result);
}

static void
test_crl_unreachable (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("good", world.closed, world.closed, &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NETWORK);
  g_assert_null (result);
}

/* The issuer --------------------------------------------------------------- */

static void
test_issuer_wrong (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check_full ("good", tmp_path ("fake-ca.pem"), responder_url ("ca"), NULL, NULL, &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_ISSUER);
  g_assert_null (result);
}

/* The issuer comes along in the same file. */
static void
test_issuer_from_bundle (void)
{
  g_autofree char *leaf = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *bundle = NULL;
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = responder_url ("ca");

  g_file_get_contents (tmp_path ("revoked.pem"), &leaf, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (cabut_test_fixture_path ("ca-issuing.pem"), &ca, NULL, &error);
  g_assert_no_error (error);
  bundle = g_strconcat (leaf, ca, NULL);
  write_file ("revoked-bundle.pem", bundle);

  result = check_full ("revoked-bundle", NULL, url, world.closed, NULL, &error);
  g_assert_no_error (error);
  assert_revoked (result, "revoked", "keyCompromise", "ocsp", url);
}

static void
check_aia (const char *served_as,
           const char *file,
           GQuark      domain,
           int         code)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint before = hits ("/ca/issuer");
  const char *url = responder_url ("ca");

  if (file != NULL)
    serve_file ("/ca/issuer", file);
  else
    g_hash_table_remove (world.served, "/ca/issuer");

  result = check_full ("good", NULL, url, world.closed, NULL, &error);
  g_assert_cmpuint (hits ("/ca/issuer"), ==, before + 1);

  if (domain == 0)
    {
      g_assert_no_error (error);
      assert_good (result, "ocsp", url);
    }
  else
    {
      g_assert_error (error, domain, code);
      g_assert_null (result);
    }

  g_test_message ("caIssuers served as %s", served_as);
}

static void
test_issuer_aia (void)
{
  check_aia ("PEM", cabut_test_fixture_path ("ca-issuing.pem"), 0, 0);
  check_aia ("DER", tmp_path ("ca-issuing.der"), 0, 0);
  check_aia ("another key", tmp_path ("fake-ca.pem"),
             CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_ISSUER);
  check_aia ("nothing (404)", NULL, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_ISSUER);
}

static void
test_no_url (void)
{
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check ("unknown", NULL, NULL, &error);
  g_assert_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_URL);
  g_assert_null (result);
}

static gboolean
cancel_when_asked_cb (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  if (hits ("/hang") == 0)
    return G_SOURCE_CONTINUE;

  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* The server holds the request; cancel once it has arrived. */
  g_timeout_add (10, cancel_when_asked_cb, cancellable);
  result = check_full ("good", cabut_test_fixture_path ("ca-issuing.pem"),
                       served_url ("/hang"), served_url ("/crl/current"), cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (hits ("/hang"), ==, 1);

  for (guint i = 0; i < world.paused->len; i++)
    {
      SoupServerMessage *message = g_ptr_array_index (world.paused, i);

      soup_server_message_set_status (message, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (message);
    }
}

/* The command line --------------------------------------------------------- */

typedef struct
{
  int       status;
  char     *out;
  char     *err;
  gboolean  done;
} CliRun;

static void
cli_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CliRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (G_SUBPROCESS (object)));
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  run->done = TRUE;
}

static void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

/* Runs cabut-cli while the main context keeps the SoupServer answering. */
static void
run_cli (CliRun             *run,
         const char * const *args,
         const char         *password)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("CABUT_CLI");
  guint guard;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_subprocess_launcher_unsetenv (launcher, TEST_PASSWORD_VAR);
  if (password != NULL)
    g_subprocess_launcher_setenv (launcher, TEST_PASSWORD_VAR, password, TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  guard = g_timeout_add_seconds (25, guard_cb, NULL);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, cli_done_cb, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);

  g_test_message ("cabut-cli exited with %d\nstdout: %s\nstderr: %s", run->status, run->out,
                  run->err);
}

static JsonObject *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static void
assert_iso8601 (JsonObject *object,
                const char *member)
{
  const char *value = json_object_get_string_member (object, member);

  g_assert_nonnull (value);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", value, 0, 0));
}

static void
assert_one_line (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_str_has_suffix (text, "\n"));
  g_assert_true (strchr (text, '\n') == text + strlen (text) - 1);
}

static void
test_cli_good (void)
{
  const char *url = responder_url ("ca");
  const char *args[] = { "check", "--json", "--ocsp", url, "--crl", world.closed,
                         "--issuer", cabut_test_fixture_path ("ca-issuing.pem"),
                         cabut_test_fixture_path ("rsa2048.pem"), NULL };
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  run_cli (&run, args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "good");
  g_assert_true (json_object_get_null_member (object, "reason"));
  g_assert_true (json_object_get_null_member (object, "revoked_at"));
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "ocsp");
  g_assert_cmpstr (json_object_get_string_member (object, "url"), ==, url);
  assert_iso8601 (object, "this_update");
  assert_iso8601 (object, "next_update");
}

static void
test_cli_revoked (void)
{
  const char *url = responder_url ("ca");
  const char *args[] = { "check", "--json", "--ocsp", url,
                         "--issuer", cabut_test_fixture_path ("ca-issuing.pem"),
                         tmp_path ("revoked.pem"), NULL };
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GDateTime) when = revocation_date ("revoked");
  g_autofree char *expected = g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");

  run_cli (&run, args, NULL);
  g_assert_cmpint (run.status, ==, 0);

  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "revoked");
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "keyCompromise");
  g_assert_cmpstr (json_object_get_string_member (object, "revoked_at"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "ocsp");
}

/* From the certificate's CRL; the issuer from the certificate's caIssuers. */
static void
test_cli_revoked_human (void)
{
  const char *args[] = { "check", tmp_path ("revoked.pem"), NULL };
  g_auto(CliRun) run = { 0 };

  serve_file ("/ca/issuer", cabut_test_fixture_path ("ca-issuing.pem"));
  run_cli (&run, args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Revoked"));
  g_assert_nonnull (strstr (run.out, "The private key was compromised"));
  g_assert_nonnull (strstr (run.out, "Revocation list (CRL)"));
  g_assert_nonnull (strstr (run.out, served_url ("/crl/current")));
}

static void
test_cli_unknown (void)
{
  const char *args[] = { "check", "--json", "--ocsp", responder_url ("ca"),
                         "--issuer", cabut_test_fixture_path ("ca-issuing.pem"),
                         tmp_path ("unknown.pem"), NULL };
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  run_cli (&run, args, NULL);
  g_assert_cmpint (run.status, ==, 6);
  assert_one_line (run.err);

  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "unknown");
}

/* The responder does not know the certificate; the CRL lists it as revoked,
 * but an unknown critical extension on another entry makes the CRL unusable:
 * "unknown", exit status 6 — never "revoked" from that CRL. */
static void
test_cli_crl_entry_critical (void)
{
  CrlSpec critical = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "unknown", "revoked" },
                       { NULL }, "revoked", UNKNOWN_CRITICAL };
  CrlSpec noncritical = { -G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, { "unknown", "revoked" },
                          { NULL }, "revoked", UNKNOWN_NONCRITICAL };
  const char *args[] = { "check", "--json", "--ocsp", responder_url ("ca"),
                         "--crl", served_url ("/crl/cli-entry-critical"),
                         "--issuer", cabut_test_fixture_path ("ca-issuing.pem"),
                         tmp_path ("unknown.pem"), NULL };
  const char *crl_only[] = { "check", "--json", "--ocsp", world.closed,
                             "--crl", served_url ("/crl/cli-entry-critical"),
                             "--issuer", cabut_test_fixture_path ("ca-issuing.pem"),
                             tmp_path ("revoked.pem"), NULL };
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) refused = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(CabutRevocationResult) control = NULL;
  g_autoptr(GError) error = NULL;

  serve_crl ("/crl/cli-entry-critical", &critical);
  serve_crl ("/crl/cli-entry-noncritical", &noncritical);

  /* Without the critical extension the CRL's word would be "revoked". */
  control = check ("unknown", responder_url ("ca"), served_url ("/crl/cli-entry-noncritical"),
                   &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_revocation_result_get_status (control), ==,
                   CABUT_REVOCATION_STATUS_REVOKED);
  g_assert_cmpstr (cabut_revocation_result_get_source (control), ==, "crl");

  run_cli (&run, args, NULL);
  g_assert_cmpint (run.status, ==, 6);
  assert_one_line (run.err);
  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "unknown");
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "ocsp");

  /* With the CRL alone there is no answer at all. */
  run_cli (&refused, crl_only, NULL);
  g_assert_cmpint (refused.status, ==, 6);
  g_assert_cmpstr (refused.out, ==, "");
  assert_one_line (refused.err);
  g_assert_nonnull (strstr (refused.err, "critical extension"));
}

static void
test_cli_rogue (void)
{
  const char *args[] = { "check", "--json", "--ocsp", responder_url ("rogue-responder"),
                         "--crl", world.closed,
                         "--issuer", cabut_test_fixture_path ("ca-issuing.pem"),
                         cabut_test_fixture_path ("rsa2048.pem"), NULL };
  g_auto(CliRun) run = { 0 };

  run_cli (&run, args, NULL);
  g_assert_cmpint (run.status, ==, 6);
  g_assert_cmpstr (run.out, ==, "");
  assert_one_line (run.err);
  g_assert_nonnull (strstr (run.err, "not signed"));
}

/* The issuer comes out of the PKCS#12 file. */
static void
test_cli_pkcs12 (void)
{
  const char *url = responder_url ("ca");
  const char *args[] = { "check", "--json", "--ocsp", url, "--password-env", TEST_PASSWORD_VAR,
                         cabut_test_fixture_path ("p12-modern.p12"), NULL };
  const char *no_password[] = { "check", "--ocsp", url,
                                cabut_test_fixture_path ("p12-modern.p12"), NULL };
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) refused = { 0 };
  g_autoptr(JsonObject) object = NULL;

  run_cli (&run, args, "rahasia-123");
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "good");

  run_cli (&refused, no_password, NULL);
  g_assert_cmpint (refused.status, ==, 3);
}

static void
test_cli_bad_input (void)
{
  const char *no_file[] = { "check", "--json", NULL };
  const char *bad_url[] = { "check", "--ocsp", "ldap://example/", tmp_path ("good.pem"), NULL };
  const char *garbage[] = { "check", cabut_test_fixture_path ("garbage.bin"), NULL };
  g_auto(CliRun) usage = { 0 };
  g_auto(CliRun) scheme = { 0 };
  g_auto(CliRun) bad = { 0 };

  run_cli (&usage, no_file, NULL);
  g_assert_cmpint (usage.status, ==, 2);
  run_cli (&scheme, bad_url, NULL);
  g_assert_cmpint (scheme.status, ==, 2);
  run_cli (&bad, garbage, NULL);
  g_assert_cmpint (bad.status, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  world_setup ();

  g_test_add_func ("/cabut/revocation/ocsp/good", test_ocsp_good);
  g_test_add_func ("/cabut/revocation/ocsp/good-fixture", test_ocsp_good_fixture);
  g_test_add_func ("/cabut/revocation/ocsp/revoked", test_ocsp_revoked);
  g_test_add_func ("/cabut/revocation/ocsp/revoked-no-reason", test_ocsp_revoked_no_reason);
  g_test_add_func ("/cabut/revocation/ocsp/unknown", test_ocsp_unknown);
  g_test_add_func ("/cabut/revocation/ocsp/unknown-then-crl", test_ocsp_unknown_then_crl);
  g_test_add_func ("/cabut/revocation/ocsp/delegated", test_ocsp_delegated);
  g_test_add_func ("/cabut/revocation/ocsp/delegated-without-eku", test_ocsp_delegated_without_eku);
  g_test_add_func ("/cabut/revocation/ocsp/rogue", test_ocsp_rogue);
  g_test_add_func ("/cabut/revocation/ocsp/rogue-same-name", test_ocsp_rogue_same_name);
  g_test_add_func ("/cabut/revocation/ocsp/rogue-then-crl", test_ocsp_rogue_then_crl);
  g_test_add_func ("/cabut/revocation/ocsp/unreachable-then-crl", test_ocsp_unreachable_then_crl);
  g_test_add_func ("/cabut/revocation/certificate-urls", test_certificate_urls);
  g_test_add_func ("/cabut/revocation/most-telling-error", test_most_telling_error);
  g_test_add_func ("/cabut/revocation/crl/good", test_crl_good);
  g_test_add_func ("/cabut/revocation/crl/revoked", test_crl_revoked);
  g_test_add_func ("/cabut/revocation/crl/pem", test_crl_pem);
  g_test_add_func ("/cabut/revocation/crl/other-ca", test_crl_other_ca);
  g_test_add_func ("/cabut/revocation/crl/same-name-other-key", test_crl_same_name_other_key);
  g_test_add_func ("/cabut/revocation/crl/expired", test_crl_expired);
  g_test_add_func ("/cabut/revocation/crl/future", test_crl_future);
  g_test_add_func ("/cabut/revocation/crl/garbage", test_crl_garbage);
  g_test_add_func ("/cabut/revocation/crl/too-large", test_crl_too_large);
  g_test_add_func ("/cabut/revocation/crl/http-error", test_crl_http_error);
  g_test_add_func ("/cabut/revocation/crl/unreachable", test_crl_unreachable);
  g_test_add_func ("/cabut/revocation/crl/extension-critical", test_crl_extension_critical);
  g_test_add_func ("/cabut/revocation/crl/entry-extension-critical",
                   test_crl_entry_extension_critical);
  g_test_add_func ("/cabut/revocation/crl/entry-certificate-issuer",
                   test_crl_entry_certificate_issuer);
  g_test_add_func ("/cabut/revocation/crl/extension-recognised", test_crl_extension_recognised);
  g_test_add_func ("/cabut/revocation/crl/delta", test_crl_delta);
  g_test_add_func ("/cabut/revocation/crl/no-next-update", test_crl_no_next_update);
  g_test_add_func ("/cabut/revocation/ocsp/no-next-update", test_ocsp_no_next_update);
  g_test_add_func ("/cabut/revocation/ocsp/extension-critical", test_ocsp_extension_critical);
  g_test_add_func ("/cabut/revocation/issuer/wrong", test_issuer_wrong);
  g_test_add_func ("/cabut/revocation/issuer/bundle", test_issuer_from_bundle);
  g_test_add_func ("/cabut/revocation/issuer/aia", test_issuer_aia);
  g_test_add_func ("/cabut/revocation/no-url", test_no_url);
  g_test_add_func ("/cabut/revocation/cancel", test_cancel);
  g_test_add_func ("/cabut/revocation/cli/good", test_cli_good);
  g_test_add_func ("/cabut/revocation/cli/revoked", test_cli_revoked);
  g_test_add_func ("/cabut/revocation/cli/revoked-human", test_cli_revoked_human);
  g_test_add_func ("/cabut/revocation/cli/unknown", test_cli_unknown);
  g_test_add_func ("/cabut/revocation/cli/crl-entry-critical", test_cli_crl_entry_critical);
  g_test_add_func ("/cabut/revocation/cli/rogue", test_cli_rogue);
  g_test_add_func ("/cabut/revocation/cli/pkcs12", test_cli_pkcs12);
  g_test_add_func ("/cabut/revocation/cli/bad-input", test_cli_bad_input);

  status = g_test_run ();
  world_teardown ();

  return status;
}
