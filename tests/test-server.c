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

/* A client of @url signed in as @username, a demo account of @accounts. */
static CabutAmsClient *
signed_in (const char *url,
           GListModel *accounts,
           const char *username)
{
  g_autoptr(CabutAmsClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *password = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(CabutDemoAccount) account = g_list_model_get_item (accounts, i);

      if (g_str_equal (cabut_demo_account_get_username (account), username))
        password = g_intern_string (cabut_demo_account_get_password (account));
    }
  g_assert_nonnull (password);

  client = cabut_ams_client_new (url, &error);
  g_assert_no_error (error);
  cabut_ams_client_sign_in_async (client, username, password, NULL, NULL, cabut_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cabut_ams_client_sign_in_finish (client, result, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&client);
}

static CabutQueueCounts *
queue_counts (CabutAmsClient  *client,
              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_ams_client_get_queue_counts_async (client, NULL, cabut_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return cabut_ams_client_get_queue_counts_finish (client, result, error);
}

/* GET /api/v1/queue/counts in process, through the app's client: every
 * state's count exact, the open ones past their deadline, from one query
 * that reads the (state, due_at) index alone; an applicant is refused. */
static void
test_queue_counts (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-server-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (dir, "cabut.db", NULL);
  g_autofree char *accounts_path = g_build_filename (dir, "demo", "accounts.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutServer) server = cabut_server_new (dir, &error);
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(CabutAmsClient) officer = NULL;
  g_autoptr(CabutAmsClient) applicant = NULL;
  g_autoptr(CabutQueueCounts) counts = NULL;
  g_autoptr(CabutQueueCounts) refused = NULL;
  g_autofree char *url = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *plan = NULL;
  g_autoptr(GString) details = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_true (cabut_server_listen (server, "127.0.0.1:0", NULL, &error));
  g_assert_no_error (error);
  url = cabut_server_get_url (server);
  g_assert_true (cabut_server_start_ca (server, url, TRUE, &error));
  g_assert_no_error (error);
  accounts = cabut_demo_accounts_load (accounts_path, &error);
  g_assert_no_error (error);

  /* Ten: four in review (900000, 900003, 900006, 900009), six submitted;
   * then two of those overdue, one revoked, one cancelled past its deadline. */
  cabut_test_add_open_requests (db_path, "budi.santoso", 10);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE requests SET due_at = 1000 WHERE number IN ('CBT-2025-900000', "
                                 "'CBT-2025-900001');"
                                 "UPDATE requests SET state = 'revoked', decided_at = 1700000500 "
                                 "WHERE number = 'CBT-2025-900002';"
                                 "UPDATE requests SET state = 'cancelled', decided_at = 1700000500, due_at = 1000 "
                                 "WHERE number = 'CBT-2025-900004';",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  officer = signed_in (url, accounts, "dewi.verifikator");
  counts = queue_counts (officer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "open"), ==, 8);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "submitted"), ==, 4);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "in_review"), ==, 4);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "revoked"), ==, 1);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "rejected"), ==, 0);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "cancelled"), ==, 1);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "all"), ==, 10);
  g_assert_cmpuint (cabut_queue_counts_get_overdue (counts), ==, 2);

  applicant = signed_in (url, accounts, "budi.santoso");
  refused = queue_counts (applicant, &error);
  g_assert_null (refused);
  g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_FORBIDDEN);

  /* The store's query reads the index alone, whatever the number of rows. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT state, COUNT(*), SUM(due_at < 0) "
                                           "FROM requests INDEXED BY requests_state GROUP BY state", -1, &plan,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (plan) == SQLITE_ROW)
    g_string_append_printf (details, "%s\n", sqlite3_column_text (plan, 3));
  sqlite3_finalize (plan);
  sqlite3_close (db);
  g_test_message ("%s", details->str);
  g_assert_nonnull (strstr (details->str, "USING COVERING INDEX requests_state"));
  g_assert_null (strstr (details->str, "TEMP B-TREE"));

  cabut_server_shutdown (server);
  cabut_test_rm_rf (dir);
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
  g_test_add_func ("/cabut/server/queue-counts", test_queue_counts);
  g_test_add_func ("/cabut/server/refuses-plain-http-off-loopback", test_refuses_plain_http_off_loopback);
  g_test_add_func ("/cabut/server/executable", test_executable);
  g_test_add_func ("/cabut/server/executable-refuses-public-plain-http",
                   test_executable_refuses_public_plain_http);

  return g_test_run ();
}
