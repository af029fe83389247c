/* cabut-test-util.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "cabut-core.h"
#include "cabut-test-util.h"

static void
fixture_free (gpointer data)
{
  CabutFixture *fixture = data;

  g_free (fixture->file);
  g_free (fixture->name);
  g_free (fixture->format);
  g_free (fixture->password);
  g_free (fixture->expect);
  g_free (fixture->description);
  g_free (fixture);
}

/* Interned, so tests can pass it inline; the set of fixtures is small. */
const char *
cabut_test_fixture_path (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "certs", name, NULL);

  return g_intern_string (path);
}

/**
 * cabut_test_load_fixtures:
 *
 * Returns: (transfer container) (element-type CabutFixture): every case of
 *   the manifest written by tests/fixtures/make-fixtures.sh
 */
GPtrArray *
cabut_test_load_fixtures (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *fixtures = g_ptr_array_new_with_free_func (fixture_free);

  g_file_get_contents (cabut_test_fixture_path ("manifest.tsv"), &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      CabutFixture *fixture;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;

      cols = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (cols), ==, 6);

      fixture = g_new0 (CabutFixture, 1);
      fixture->name = g_strdup (cols[0]);
      fixture->file = g_strdup (cabut_test_fixture_path (cols[0]));
      fixture->format = g_strdup (cols[1]);
      fixture->password = g_str_equal (cols[2], "-") ? NULL : g_strdup (cols[2]);
      fixture->legacy = g_str_equal (cols[3], "yes");
      fixture->expect = g_strdup (cols[4]);
      fixture->description = g_strdup (cols[5]);
      g_ptr_array_add (fixtures, fixture);
    }

  g_assert_cmpuint (fixtures->len, >, 40);

  return fixtures;
}

/* A test path component: the file name, plus how the password is given. */
char *
cabut_test_fixture_id (const CabutFixture *fixture)
{
  g_autofree char *name = g_strdup (fixture->name);

  g_strdelimit (name, ".", '-');
  if (fixture->password == NULL)
    return g_strdup_printf ("%s/no-password", name);

  return g_strdup_printf ("%s/password-%s", name, fixture->password);
}

gboolean
cabut_test_run (const char * const  *argv,
                const char * const  *envp,
                char               **out,
                char               **err,
                int                 *exit_status)
{
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_DEFAULT,
                     NULL, NULL, out, err, &wait_status, &error))
    {
      g_test_message ("Failed to run %s: %s", argv[0], error->message);
      return FALSE;
    }

  g_assert_true (WIFEXITED (wait_status));
  *exit_status = WEXITSTATUS (wait_status);

  return TRUE;
}

static const char *
openssl_program (void)
{
  const char *openssl = g_getenv ("OPENSSL");

  return openssl != NULL ? openssl : "openssl";
}

static char *
run_openssl (const char  *input,
             gsize        input_len,
             GPtrArray   *args,
             int         *exit_status,
             char       **err)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_insert (args, 0, g_strdup (openssl_program ()));
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0) |
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);

  if (input != NULL)
    stdin_bytes = g_bytes_new (input, input_len);
  g_subprocess_communicate (proc, stdin_bytes, NULL, &stdout_bytes, &stderr_bytes, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (proc));
  status = g_subprocess_get_exit_status (proc);
  if (exit_status != NULL)
    *exit_status = status;
  if (err != NULL)
    *err = g_bytes_get_size (stderr_bytes) > 0
           ? g_strndup (g_bytes_get_data (stderr_bytes, NULL), g_bytes_get_size (stderr_bytes))
           : g_strdup ("");

  if (status != 0)
    {
      g_test_message ("openssl failed (%d): %.*s", status, (int) g_bytes_get_size (stderr_bytes),
                      (const char *) g_bytes_get_data (stderr_bytes, NULL));
      if (exit_status == NULL)
        return NULL;
    }

  if (g_bytes_get_size (stdout_bytes) == 0)
    return g_strdup ("");

  return g_strndup (g_bytes_get_data (stdout_bytes, NULL), g_bytes_get_size (stdout_bytes));
}

/**
 * cabut_test_openssl:
 *
 * Runs the openssl command-line tool, an outside peer.
 *
 * Returns: (nullable): what it printed, or %NULL if it failed
 */
char *
cabut_test_openssl (const char *first_arg,
                    ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);

  return run_openssl (NULL, 0, args, NULL, NULL);
}

/**
 * cabut_test_openssl_verdict:
 * @exit_status: (out): openssl's exit status
 * @err: (out): what it wrote to standard error
 *
 * Runs the openssl command-line tool for its verdict, a failure included:
 * for tests that assert which failure, not just that it failed.
 *
 * Returns: (transfer full): what it wrote to standard output
 */
char *
cabut_test_openssl_verdict (int         *exit_status,
                            char       **err,
                            const char  *first_arg,
                            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  va_list ap;

  g_assert (exit_status != NULL && err != NULL);

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);

  return run_openssl (NULL, 0, args, exit_status, err);
}

char *
cabut_test_openssl_stdin (const char *input,
                          gsize       input_len,
                          const char *first_arg,
                          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);

  return run_openssl (input, input_len, args, NULL, NULL);
}

/**
 * cabut_test_fixture_cert_pem:
 *
 * Asks openssl which certificate is the holder's in a fixture: the first in
 * a PEM or DER file; in a PKCS#12 file the one with a key ID (the one that
 * goes with the key) or, with no key, the first one.
 *
 * Returns: the PEM of all certificates openssl found, the holder's first
 */
char *
cabut_test_fixture_cert_pem (const CabutFixture *fixture)
{
  g_autofree char *pass = g_strdup_printf ("pass:%s", fixture->password ? fixture->password : "");

  if (g_str_equal (fixture->format, "pem"))
    return cabut_test_openssl ("x509", "-in", fixture->file, NULL);
  if (g_str_equal (fixture->format, "der"))
    return cabut_test_openssl ("x509", "-inform", "DER", "-in", fixture->file, NULL);

  if (g_str_equal (fixture->format, "pkcs12"))
    {
      g_autofree char *leaf = cabut_test_openssl ("pkcs12", "-legacy", "-in", fixture->file,
                                                  "-passin", pass, "-nokeys", "-clcerts", NULL);
      g_autofree char *others = NULL;

      g_assert_nonnull (leaf);
      if (strstr (leaf, "BEGIN CERTIFICATE") == NULL)
        return cabut_test_openssl ("pkcs12", "-legacy", "-in", fixture->file, "-passin", pass,
                                   "-nokeys", NULL);

      others = cabut_test_openssl ("pkcs12", "-legacy", "-in", fixture->file, "-passin", pass,
                                   "-nokeys", "-cacerts", NULL);
      g_assert_nonnull (others);

      return g_strconcat (leaf, others, NULL);
    }

  g_assert_not_reached ();
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/**
 * cabut_test_launcher_new:
 *
 * A launcher whose children (servers, responders) die with the test, even
 * when a failed assertion aborts it.
 *
 * Returns: (transfer full): the launcher
 */
GSubprocessLauncher *
cabut_test_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  return launcher;
}

static char *tmp_root;
static GSubprocess *tmp_watchdog;   /* holds the pipe until the test ends */

static void
remove_tmp_root (void)
{
  cabut_test_rm_rf (tmp_root);
  g_clear_object (&tmp_watchdog);
}

/**
 * cabut_test_isolate_tmp:
 * @name: the test's name, for the folder's
 *
 * Gives the test, and every process it starts, a temporary folder of its
 * own (TMPDIR) in the system's, and removes it when the test exits: on
 * return from main() at once, and after a failed assertion's abort through
 * a small watchdog that waits for the test's end. Call it first in main(),
 * before anything asks GLib for the temporary folder (GLib keeps the first
 * answer).
 */
void
cabut_test_isolate_tmp (const char *name)
{
  const char *base = g_getenv ("TMPDIR");
  g_autofree char *template = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (tmp_root == NULL);

  template = g_strdup_printf ("%s/cabut-%s-XXXXXX", base != NULL && *base != '\0' ? base : "/tmp", name);
  tmp_root = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (tmp_root);
  g_setenv ("TMPDIR", tmp_root, TRUE);
  g_assert_cmpstr (g_get_tmp_dir (), ==, tmp_root);

  /* It reads its standard input until the test's end closes the pipe. */
  tmp_watchdog = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                   "/bin/sh", "-c", "cat >/dev/null; rm -rf -- \"$0\"", tmp_root, NULL);
  g_assert_no_error (error);
  atexit (remove_tmp_root);
}

/* Removes a temporary folder and everything in it. */
void
cabut_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        cabut_test_rm_rf (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }

  g_rmdir (path);
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);
  if (*line == NULL)
    *line = g_strdup ("");
}

/**
 * cabut_test_read_line:
 *
 * Reads one line of a child's standard output (such as the server's
 * "listening on URL"), spinning the main context meanwhile.
 *
 * Returns: (transfer full): the line, "" at the end of the output
 */
char *
cabut_test_read_line (GSubprocess *process)
{
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  char *line = NULL;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &line);
  while (line == NULL)
    g_main_context_iteration (NULL, TRUE);

  return line;
}

/* For soup_session_send_and_read_async(): stores the body (empty on
 * failure) into the GBytes* that user_data points at. */
void
cabut_test_http_read_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (*out == NULL)
    *out = g_bytes_new (NULL, 0);
}

/**
 * cabut_test_http:
 * @expected_status: the status to assert, or 0 for any
 *
 * Sends @msg on a new session, spinning the main context meanwhile.
 *
 * Returns: (transfer full): the body
 */
GBytes *
cabut_test_http (SoupMessage *msg,
                 guint        expected_status)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  GBytes *body = NULL;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, cabut_test_http_read_cb, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);

  {
    /* The start of the answer, whole characters only; a binary answer (a
     * CRL, an OCSP response) by its size: the TAP log is UTF-8 text. */
    gsize size = g_bytes_get_size (body);
    const char *data = g_bytes_get_data (body, NULL);
    const char *end = NULL;
    g_autofree char *shown = NULL;

    if (g_utf8_validate_len (data, size, &end) || end - data >= 300)
      {
        glong chars = g_utf8_strlen (data, MIN (size, (gsize) (end - data)));
        shown = g_utf8_substring (data, 0, MIN (chars, 300));
      }
    else
      shown = g_strdup_printf ("<%" G_GSIZE_FORMAT " bytes>", size);
    g_test_message ("%s %s → %u %s", soup_message_get_method (msg), g_uri_get_path (soup_message_get_uri (msg)),
                    soup_message_get_status (msg), shown);
  }
  if (expected_status != 0)
    g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);

  return body;
}

/* A GAsyncReadyCallback that keeps the result in the GAsyncResult * slot
 * @user_data points to, for tests that spin until it is set. */
void
cabut_test_result_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

/**
 * cabut_test_service_start:
 * @name: for its temporary folder
 *
 * Starts `cabut-server --demo` in a new folder and waits until it listens.
 */
CabutTestService *
cabut_test_service_start (const char *name)
{
  return cabut_test_service_start_with (name, NULL);
}

/**
 * cabut_test_service_start_with:
 * @extra_args: (nullable): more options for cabut-server
 */
CabutTestService *
cabut_test_service_start_with (const char         *name,
                               const char * const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("cabut-%s-XXXXXX", name);
  g_autofree char *line = NULL;
  g_autofree char *path = NULL;
  CabutTestService *self = g_new0 (CabutTestService, 1);
  JsonArray *accounts;

  self->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  g_ptr_array_add (argv, (char *) g_getenv ("CABUT_SERVER"));
  g_ptr_array_add (argv, (char *) "--data");
  g_ptr_array_add (argv, self->dir);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--demo");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  line = cabut_test_read_line (self->process);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  self->url = g_strdup (line + strlen ("listening on "));

  path = g_build_filename (self->dir, "demo", "accounts.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  accounts = json_node_get_array (json_parser_get_root (parser));
  self->usernames = g_ptr_array_new_with_free_func (g_free);
  self->passwords = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);

      g_ptr_array_add (self->usernames, g_strdup (json_object_get_string_member (account, "username")));
      g_ptr_array_add (self->passwords, g_strdup (json_object_get_string_member (account, "password")));
    }

  return self;
}

void
cabut_test_service_stop (CabutTestService *self)
{
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
  cabut_test_rm_rf (self->dir);
  g_ptr_array_unref (self->usernames);
  g_ptr_array_unref (self->passwords);
  g_free (self->dir);
  g_free (self->url);
  g_free (self);
}

/**
 * cabut_test_proc_kib:
 * @field: of /proc/PID/status, such as "VmRSS" or "VmHWM"
 *
 * Returns: that figure of a running child, in KiB
 */
guint64
cabut_test_proc_kib (GSubprocess *process,
                     const char  *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, key);
  g_assert_nonnull (line);

  return g_ascii_strtoull (line + strlen (key), NULL, 10);
}

/** cabut_test_count_fds: Returns: the file descriptors a running child has open */
guint
cabut_test_count_fds (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

const char *
cabut_test_service_password (CabutTestService *self,
                             const char       *username)
{
  for (guint i = 0; i < self->usernames->len; i++)
    if (g_str_equal (g_ptr_array_index (self->usernames, i), username))
      return g_ptr_array_index (self->passwords, i);

  g_assert_not_reached ();
  return NULL;
}

/**
 * cabut_test_api:
 * @path: below /api/v1/, such as "requests?state=all"
 * @token: (nullable): the session, or none
 * @content_type: (nullable): of @body
 * @body: (nullable): the request body
 * @status: (out): the answer's status
 *
 * One request to the service's API, answered in English.
 *
 * Returns: (transfer full): the answer's body
 */
GBytes *
cabut_test_api (CabutTestService *service,
                const char       *method,
                const char       *path,
                const char       *token,
                const char       *content_type,
                const char       *body,
                guint            *status)
{
  /* "/pki/crl" is below the service's root; anything else below /api/v1/. */
  g_autofree char *url = path[0] == '/' ? g_strconcat (service->url, path + 1, NULL)
                                        : g_strconcat (service->url, "api/v1/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *headers;
  GBytes *answer;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept-Language", "en");
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json", bytes);
    }
  answer = cabut_test_http (msg, 0);
  *status = soup_message_get_status (msg);

  return answer;
}

/**
 * cabut_test_api_json:
 *
 * cabut_test_api() with a JSON answer of @expected_status.
 *
 * Returns: (transfer full): the answer's object
 */
JsonObject *
cabut_test_api_json (CabutTestService *service,
                     const char       *method,
                     const char       *path,
                     const char       *token,
                     const char       *body,
                     guint             expected_status)
{
  guint status = 0;
  g_autoptr(GBytes) answer = cabut_test_api (service, method, path, token, NULL, body, &status);
  g_autofree char *text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (status, ==, expected_status);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_object_ref (json_node_get_object (node));
}

/** cabut_test_error_code: Returns: (transfer full): error.code of an error answer, or NULL */
char *
cabut_test_error_code (GBytes *answer)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  g_autoptr(JsonNode) node = NULL;
  JsonObject *error;

  if (g_bytes_get_size (answer) == 0 || memchr (text, '\0', g_bytes_get_size (answer)) != NULL)
    return NULL;
  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), "error"))
    return NULL;
  error = json_object_get_object_member (json_node_get_object (node), "error");

  return g_strdup (json_object_get_string_member_with_default (error, "code", NULL));
}

/** cabut_test_service_sign_in: Returns: (transfer full): a session token of a demo account */
char *
cabut_test_service_sign_in (CabutTestService *service,
                            const char       *username)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) answer = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, cabut_test_service_password (service, username));
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  body = json_to_string (request, FALSE);
  answer = cabut_test_api_json (service, "POST", "session", NULL, body, SOUP_STATUS_CREATED);

  return g_strdup (json_object_get_string_member (answer, "token"));
}

/**
 * cabut_test_service_p12_password:
 * @username: a demo applicant
 *
 * Returns: (transfer full): the password of their PKCS#12 file
 */
char *
cabut_test_service_p12_password (CabutTestService *service,
                                 const char       *username)
{
  g_autofree char *path = g_build_filename (service->dir, "demo", "accounts.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *accounts;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  accounts = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);

      if (g_str_equal (json_object_get_string_member (account, "username"), username))
        return g_strdup (json_object_get_string_member (account, "p12_password"));
    }

  g_assert_not_reached ();
  return NULL;
}

/**
 * cabut_test_service_cli:
 * @user: (nullable): signs in as this demo account (password from the environment)
 * @args: the command and its options
 * @out: (out): standard output
 * @err: (out) (optional): standard error
 *
 * Runs cabut-cli against the service, in English.
 *
 * Returns: the exit status
 */
int
cabut_test_service_cli (CabutTestService   *service,
                        const char         *user,
                        const char * const *args,
                        char              **out,
                        char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *errors = NULL;
  int status = -1;

  g_ptr_array_add (argv, (char *) g_getenv ("CABUT_CLI"));
  g_ptr_array_add (argv, (char *) "--server");
  g_ptr_array_add (argv, service->url);
  if (user != NULL)
    {
      g_ptr_array_add (argv, (char *) "--user");
      g_ptr_array_add (argv, (char *) user);
      g_ptr_array_add (argv, (char *) "--password-env");
      g_ptr_array_add (argv, (char *) "CABUT_TEST_PASSWORD");
      envp = g_environ_setenv (envp, "CABUT_TEST_PASSWORD", cabut_test_service_password (service, user), TRUE);
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);

  g_assert_true (cabut_test_run ((const char * const *) argv->pdata, (const char * const *) envp, out, &errors,
                                 &status));
  g_test_message ("cabut-cli %s → %d %s", args[0], status, errors);
  if (err != NULL)
    *err = g_steal_pointer (&errors);

  return status;
}

/**
 * cabut_test_service_submit:
 * @user: who files (the applicant, or an officer at the desk)
 * @cert_owner: whose demo PKCS#12 file is used
 * @extra: (nullable): more options of `submit`, %NULL-terminated
 * @err: (out) (optional): cabut-cli's standard error when it fails
 *
 * Files a request with `cabut-cli submit --json`, reason superseded, a
 * small PDF letter.
 *
 * Returns: (transfer full) (nullable): the request, or %NULL when refused
 */
JsonObject *
cabut_test_service_submit (CabutTestService   *service,
                           const char         *user,
                           const char         *cert_owner,
                           const char * const *extra,
                           char              **err)
{
  static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
  g_autofree char *p12_name = g_strdup_printf ("%s.p12", cert_owner);
  g_autofree char *p12 = g_build_filename (service->dir, "demo", p12_name, NULL);
  g_autofree char *letter = g_build_filename (service->dir, "surat.pdf", NULL);
  g_autofree char *p12_password = cabut_test_service_p12_password (service, cert_owner);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (letter, pdf, sizeof pdf - 1, &error));
  g_setenv ("CABUT_TEST_P12_PASSWORD", p12_password, TRUE);
  for (const char * const *a = (const char * const[]) { "submit", "--json", "--cert", p12, "--cert-password-env",
                                                         "CABUT_TEST_P12_PASSWORD", "--reason", "superseded",
                                                         "--letter", letter, NULL }; *a != NULL; a++)
    g_ptr_array_add (args, (char *) *a);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (char *) extra[i]);
  g_ptr_array_add (args, NULL);

  if (cabut_test_service_cli (service, user, (const char * const *) args->pdata, &out, err) != 0)
    return NULL;
  node = json_from_string (out, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (node));
}

/* A GCompareFunc for a GPtrArray of strings, for g_ptr_array_sort (). */
int
cabut_test_compare_strings (gconstpointer a,
                            gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * cabut_test_service_restart:
 *
 * Starts `cabut-server --demo` again on the service's folder and port,
 * after its process ended (killed, or left by itself).
 */
void
cabut_test_service_restart (CabutTestService *self)
{
  g_autoptr(GSubprocessLauncher) launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_clear_object (&self->process);
  self->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CABUT_SERVER"), "--data", self->dir,
                                               "--listen", listen, "--demo", NULL);
  g_assert_no_error (error);
  line = cabut_test_read_line (self->process);
  g_assert_true (g_str_has_prefix (line, "listening on "));
}

/**
 * cabut_test_add_open_requests:
 * @db_path: a running service's cabut.db
 *
 * Adds @count open requests of @username, each for a certificate of its
 * own, due one after the other with ties (three share a deadline, from
 * 1800000000 down by a minute), numbered CBT-2025-900000 on; every third,
 * from the first, in review. As years of filing leave them.
 */
void
cabut_test_add_open_requests (const char *db_path,
                              const char *username,
                              int         count)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *owner = NULL;
  sqlite3_stmt *cert = NULL;
  sqlite3_stmt *req = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT c.account_id, c.issuer FROM certificates c JOIN accounts a "
                                           "ON a.id = c.account_id WHERE a.username = ?", -1, &owner, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (owner, 1, username, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (owner), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO certificates (account_id, serial, issuer, subject, "
                                           "subject_der, not_before, not_after) VALUES (?, ?, ?, 'CN=Lama', "
                                           "X'3000', 0, 1)", -1, &cert, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO requests (number, account_id, certificate_id, reason, "
                                           "letter_sha256, letter_type, letter_size, state, created_at, due_at) "
                                           "VALUES (?, ?, ?, 1, 'x', 'application/pdf', 1, ?, ?, ?)", -1, &req,
                                       NULL), ==, SQLITE_OK);
  for (int i = 0; i < count; i++)
    {
      g_autofree char *serial = g_strdup_printf ("5E%06X", i);
      g_autofree char *number = g_strdup_printf ("CBT-2025-%06d", 900000 + i);

      sqlite3_bind_int64 (cert, 1, sqlite3_column_int64 (owner, 0));
      sqlite3_bind_text (cert, 2, serial, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (cert, 3, (const char *) sqlite3_column_text (owner, 1), -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (cert), ==, SQLITE_DONE);
      sqlite3_reset (cert);

      sqlite3_bind_text (req, 1, number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (req, 2, sqlite3_column_int64 (owner, 0));
      sqlite3_bind_int64 (req, 3, sqlite3_last_insert_rowid (db));
      sqlite3_bind_text (req, 4, i % 3 ? "submitted" : "in_review", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (req, 5, 1700000000 + i);
      /* Three at a time share a deadline: the id breaks the tie. */
      sqlite3_bind_int64 (req, 6, 1800000000 - (i / 3) * 60);
      g_assert_cmpint (sqlite3_step (req), ==, SQLITE_DONE);
      sqlite3_reset (req);
    }
  sqlite3_finalize (req);
  sqlite3_finalize (cert);
  sqlite3_finalize (owner);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/**
 * cabut_test_db_strings:
 * @db_path: a service's cabut.db
 * @sql: a query of one text column
 *
 * Returns: (transfer full): the column's values, in the query's order
 */
GPtrArray *
cabut_test_db_strings (const char *db_path,
                       const char *sql)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return values;
}

/**
 * cabut_test_listen_local:
 *
 * Makes @server listen on a free port of 127.0.0.1.
 *
 * Returns: (transfer full): its URL, ending with "/"
 */
char *
cabut_test_listen_local (SoupServer *server)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  char *url;

  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return url;
}

/* Asserts that @requests (of #CabutRequest) holds exactly the numbers in
 * @expected, in that order. */
void
cabut_test_assert_request_ids (GListModel *requests,
                               GPtrArray  *expected)
{
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);

      g_assert_cmpstr (cabut_request_get_id (request), ==, g_ptr_array_index (expected, i));
    }
}
