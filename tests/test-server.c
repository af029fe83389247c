/* test-server.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-server.h"
#include "cabut-test-util.h"

static JsonNode *
get_json (const char *url,
          guint      *status)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = cabut_test_http (msg, 0);
  g_autoptr(GError) error = NULL;

  JsonNode *node;

  *status = soup_message_get_status (msg);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "application/json");

  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return node;
}

static void
test_health_in_process (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-server-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutServer) server = cabut_server_new (dir, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *url = NULL;
  g_autofree char *health = NULL;
  guint status = 0;
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_true (cabut_server_listen (server, "127.0.0.1:0", NULL, &error));
  g_assert_no_error (error);

  url = cabut_server_get_url (server);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  health = g_strconcat (url, "api/v1/health", NULL);

  node = get_json (health, &status);
  g_assert_cmpuint (status, ==, 200);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (object, "version"), ==, PACKAGE_VERSION);

  cabut_server_shutdown (server);
  cabut_test_rm_rf (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* Letters no request refers to — a crash between the letter's write and
 * its row's commit — are removed when the service starts; a letter a
 * request refers to, and any other file, stay. */
static void
test_orphan_letters_collected (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-server-XXXXXX", NULL);
  g_autofree char *letters = g_build_filename (dir, "letters", NULL);
  g_autofree char *db_path = g_build_filename (dir, "cabut.db", NULL);
  g_autofree char *kept_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "surat yang diajukan", -1);
  g_autofree char *orphan_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "surat yang tertinggal", -1);
  g_autofree char *kept = g_build_filename (letters, kept_sha, NULL);
  g_autofree char *orphan = g_build_filename (letters, orphan_sha, NULL);
  g_autofree char *other = g_build_filename (letters, "README", NULL);
  g_autofree char *insert = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  /* A first start makes the folders and the database. */
  {
    g_autoptr(CabutServer) server = cabut_server_new (dir, &error);

    g_assert_no_error (error);
    cabut_server_shutdown (server);
  }

  g_assert_true (g_file_set_contents (kept, "surat yang diajukan", -1, &error));
  g_assert_true (g_file_set_contents (orphan, "surat yang tertinggal", -1, &error));
  g_assert_true (g_file_set_contents (other, "bukan surat", -1, &error));
  insert = g_strdup_printf ("INSERT INTO requests (number, account_id, certificate_id, reason, letter_sha256, "
                            "letter_type, letter_size, state, created_at, due_at) VALUES "
                            "('CBT-2026-000001', 1, 1, 1, '%s', 'application/pdf', 19, 'submitted', 0, 0)",
                            kept_sha);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, insert, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  {
    g_autoptr(CabutServer) server = NULL;

    g_test_expect_message ("cabut-server", G_LOG_LEVEL_MESSAGE, "Removed 1 letters*");
    server = cabut_server_new (dir, &error);
    g_test_assert_expected_messages ();
    g_assert_no_error (error);
    cabut_server_shutdown (server);
  }

  g_assert_true (g_file_test (kept, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (orphan, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));

  cabut_test_rm_rf (dir);
}

static void
test_refuses_plain_http_off_loopback (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-server-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutServer) server = cabut_server_new (dir, &error);

  g_assert_no_error (error);
  g_assert_false (cabut_server_listen (server, "0.0.0.0:0", NULL, &error));
  g_assert_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_TLS_REQUIRED);
  g_clear_error (&error);

  g_assert_false (cabut_server_listen (server, "ams.contoh.go.id:8480", NULL, &error));
  g_assert_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_INVALID_ADDRESS);
  g_clear_error (&error);

  g_assert_false (cabut_server_listen (server, "nonsense", NULL, &error));
  g_assert_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_INVALID_ADDRESS);

  cabut_test_rm_rf (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* The real executable: announces its URL, answers, and stops on SIGTERM. */
static void
test_executable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-server-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *line = NULL;
  g_autofree char *health = NULL;
  guint status = 0;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           g_getenv ("CABUT_SERVER"), "--data", dir, "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);

  line = cabut_test_read_line (proc);

  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  health = g_strconcat (line + strlen ("listening on "), "api/v1/health", NULL);
  node = get_json (health, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "version"), ==, PACKAGE_VERSION);

  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);

  cabut_test_rm_rf (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
test_executable_refuses_public_plain_http (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-server-XXXXXX", NULL);
  const char *argv[] = { g_getenv ("CABUT_SERVER"), "--data", dir, "--listen", "0.0.0.0:0", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (cabut_test_run (argv, NULL, &out, &err, &status));
  /* Refused for plain HTTP off loopback, not for anything else that exits 1. */
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (err, ==, "cabut-server: Plain HTTP is only allowed on a loopback address; give --tls-cert "
                            "and --tls-key to listen on 0.0.0.0:0\n");
  g_assert_cmpstr (out, ==, "");

  cabut_test_rm_rf (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_test_isolate_tmp ("test-server");
  cabut_i18n_init ();

  g_test_add_func ("/cabut/server/health", test_health_in_process);
  g_test_add_func ("/cabut/server/orphan-letters-collected", test_orphan_letters_collected);
  g_test_add_func ("/cabut/server/refuses-plain-http-off-loopback", test_refuses_plain_http_off_loopback);
  g_test_add_func ("/cabut/server/executable", test_executable);
  g_test_add_func ("/cabut/server/executable-refuses-public-plain-http",
                   test_executable_refuses_public_plain_http);

  return g_test_run ();
}
