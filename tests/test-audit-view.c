/* test-audit-view.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit log's view against the real demo service: as the admin, the
 * entries in the service's order (newest first); a filter by actor, by
 * request and by dates narrows to exactly what the service answers for
 * it; bad dates said in the window; older pages read as the list is
 * scrolled; the CSV export is byte for byte what
 * `cabut-cli audit --csv` prints for the same filter; an operator is
 * refused plainly.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "cabut-audit-view.h"
#include "cabut-test-util.h"
#include "cabut-wizard-driver.h"

static char *request_id;

static gboolean
not_busy (gpointer data)
{
  return !cabut_audit_view_get_busy (data);
}

static CabutAuditView *
open_view (CabutContext *context,
           GtkWindow   **out_window)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = cabut_audit_view_new (context);

  gtk_window_set_title (GTK_WINDOW (window), "Cabut");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  cabut_driver_spin_until (not_busy, view, 30, "the audit log");
  *out_window = GTK_WINDOW (window);

  return CABUT_AUDIT_VIEW (view);
}

/* Every entry the service answers for the filter, newest first, as ids joined by spaces. */
static char *
service_ids (const char *actor,
             const char *request)
{
  g_autoptr(CabutAmsClient) admin = cabut_driver_client_of ("admin");
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *cursor = NULL;

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GListModel) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *next = NULL;

      cabut_ams_client_list_audit_async (admin, actor, request, NULL, NULL, cursor, NULL, cabut_test_result_cb,
                                         &result);
      cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "a page of the audit log");
      page = cabut_ams_client_list_audit_finish (admin, result, &next, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < g_list_model_get_n_items (page); i++)
        {
          g_autoptr(CabutAuditEntry) entry = g_list_model_get_item (page, i);

          g_string_append_printf (out, "%s%" G_GINT64_FORMAT, out->len > 0 ? " " : "",
                                  cabut_audit_entry_get_id (entry));
        }
      g_free (cursor);
      cursor = g_steal_pointer (&next);
    }
  while (cursor != NULL);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
view_ids (CabutAuditView *view)
{
  GListModel *entries = cabut_audit_view_get_entries (view);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CabutAuditEntry) entry = g_list_model_get_item (entries, i);

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT, out->len > 0 ? " " : "", cabut_audit_entry_get_id (entry));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
filter (CabutAuditView *view,
        const char     *actor,
        const char     *request,
        const char     *since,
        const char     *until)
{
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "actor_entry")), actor);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "request_entry")), request);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "since_entry")), since);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "until_entry")), until);
  g_signal_emit_by_name (cabut_driver_template_child (view, "filter_button"), "clicked");
  cabut_driver_spin_until (not_busy, view, 30, "the filtered audit log");
}

static const char *
status_of (CabutAuditView *view)
{
  return gtk_label_get_text (GTK_LABEL (cabut_driver_template_child (view, "status_label")));
}

/* The admin: the service's entries in its order; each filter narrows to
 * exactly its entries; bad dates refused in the window. */
static void
test_listed_and_filtered (void)
{
  g_autoptr(CabutContext) admin = cabut_driver_context_of ("admin");
  GtkWindow *window = NULL;
  CabutAuditView *view = open_view (admin, &window);
  GListModel *entries = cabut_audit_view_get_entries (view);
  g_autofree char *all = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *today_text = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *yesterday_text = g_date_time_format (yesterday, "%Y-%m-%d");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (cabut_driver_template_child (view, "stack"))), ==,
                   "log");
  g_assert_null (cabut_audit_view_get_notice (view));
  g_assert_false (cabut_audit_view_get_has_more (view));
  shown = view_ids (view);
  all = service_ids (NULL, NULL);
  /* The admin's own sign-in for this comparison came after the view read the log. */
  g_assert_true (g_str_has_suffix (all, shown));
  g_assert_cmpuint (g_list_model_get_n_items (entries), >, 5);
  for (guint i = 0; i + 1 < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CabutAuditEntry) newer = g_list_model_get_item (entries, i);
      g_autoptr(CabutAuditEntry) older = g_list_model_get_item (entries, i + 1);

      g_assert_cmpint (g_date_time_compare (cabut_audit_entry_get_at (newer), cabut_audit_entry_get_at (older)), >=,
                       0);
    }

  /* By actor: exactly dewi's. */
  filter (view, "dewi.verifikator", "", "", "");
  g_clear_pointer (&shown, g_free);
  g_clear_pointer (&all, g_free);
  shown = view_ids (view);
  all = service_ids ("dewi.verifikator", NULL);
  g_assert_cmpstr (shown, ==, all);
  g_assert_cmpuint (g_list_model_get_n_items (entries), >=, 2);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CabutAuditEntry) entry = g_list_model_get_item (entries, i);

      g_assert_cmpstr (cabut_audit_entry_get_actor_username (entry), ==, "dewi.verifikator");
    }

  /* Every action the service has written so far has a label. */
  filter (view, "", "", "", "");
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CabutAuditEntry) entry = g_list_model_get_item (entries, i);

      if (cabut_audit_action_label (cabut_audit_entry_get_action (entry)) == NULL)
        g_error ("No label for the audit action “%s”", cabut_audit_entry_get_action (entry));
    }

  /* By request: its filing and its rejection, newest first. */
  filter (view, "", request_id, "", "");
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  {
    g_autoptr(CabutAuditEntry) first = g_list_model_get_item (entries, 0);
    g_autoptr(CabutAuditEntry) second = g_list_model_get_item (entries, 1);

    g_assert_cmpstr (cabut_audit_entry_get_action (first), ==, "request.reject");
    g_assert_cmpstr (cabut_audit_entry_get_action (second), ==, "request.create");
    /* Said for people in the table; the codes stay in the CSV. */
    g_assert_cmpstr (cabut_audit_action_label ("request.reject"), ==, "Rejected");
    g_assert_cmpstr (cabut_audit_action_label ("request.create"), ==, "Request filed");
  }
  g_assert_cmpstr (status_of (view), ==, "2 entries");
  g_assert_null (cabut_audit_action_label ("request.unheard-of"));

  /* By dates: today has them; up to yesterday has none. */
  filter (view, "", request_id, today_text, today_text);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  filter (view, "", request_id, "", yesterday_text);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 0);
  g_assert_cmpstr (status_of (view), ==, "No entries match");

  /* Bad dates: said, and nothing read. */
  filter (view, "", "", "2026-02-30", "");
  g_assert_cmpstr (cabut_audit_view_get_notice (view), ==,
                   "“2026-02-30” is not a date. Write the first day as YYYY-MM-DD, for example 2026-12-01.");
  g_assert_true (gtk_widget_get_visible (cabut_driver_template_child (view, "notice_box")));
  filter (view, "", "", "", "kemarin");
  g_assert_cmpstr (cabut_audit_view_get_notice (view), ==,
                   "“kemarin” is not a date. Write the last day as YYYY-MM-DD, for example 2026-12-31.");
  filter (view, "", "", today_text, yesterday_text);
  g_assert_cmpstr (cabut_audit_view_get_notice (view), ==,
                   "The first day is after the last day. Swap them, then try again.");
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 0);

  /* Cleared: the notice goes. */
  filter (view, "", "", "", "");
  g_assert_null (cabut_audit_view_get_notice (view));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (view, "notice_box")));

  gtk_window_destroy (window);
  cabut_driver_spin_for (100);
}

static char *cli_csv   (const char * const *args);
static void  export_to (CabutAuditView *view,
                        GFile          *file);

/* Writes @n audit rows about @target into the service's database, as a
 * long-running service would have. */
static void
add_audit_rows (const char *target,
                guint       n)
{
  g_autofree char *path = g_build_filename (cabut_driver_fixture->dir, "demo-service", "cabut.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO audit (at, actor_id, action, target, remote, detail) "
                                           "VALUES (strftime('%s','now') - ?, NULL, 'test.row', ?, NULL, ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *detail = g_strdup_printf ("row %u", i);

      sqlite3_bind_int (stmt, 1, n - i);
      sqlite3_bind_text (stmt, 2, target, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, detail, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gboolean
has_entries (gpointer data)
{
  gpointer *args = data;

  return !cabut_audit_view_get_busy (args[0]) &&
         g_list_model_get_n_items (cabut_audit_view_get_entries (args[0])) == GPOINTER_TO_UINT (args[1]);
}

/* 450 entries: a page of 200 first; scrolling to the end reads the next,
 * in order, until none is left. */
static void
test_paged_by_scrolling (void)
{
  g_autoptr(CabutContext) admin = cabut_driver_context_of ("admin");
  GtkWindow *window = NULL;
  CabutAuditView *view = NULL;
  GtkAdjustment *adjustment;
  g_autofree char *shown = NULL;
  g_autofree char *all = NULL;

  add_audit_rows ("PAGING-TEST", 450);
  view = open_view (admin, &window);
  filter (view, "", "PAGING-TEST", "", "");
  cabut_driver_spin_for (300);
  g_assert_cmpuint (g_list_model_get_n_items (cabut_audit_view_get_entries (view)), ==, 200);
  g_assert_true (cabut_audit_view_get_has_more (view));
  g_assert_cmpstr (status_of (view), ==, "200 entries shown; scroll for older ones");

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (cabut_driver_template_child (view,
                                                                                                    "scroller")));
  for (guint expected = 400; expected <= 450; expected += 50)
    {
      gpointer args[] = { view, GUINT_TO_POINTER (expected) };

      cabut_driver_spin_for (200);
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      cabut_driver_spin_until (has_entries, args, 30, "the next page");
    }
  g_assert_false (cabut_audit_view_get_has_more (view));
  g_assert_cmpstr (status_of (view), ==, "450 entries");
  shown = view_ids (view);
  all = service_ids (NULL, "PAGING-TEST");
  g_assert_cmpstr (shown, ==, all);

  /* Exported: three pages of the service's CSV, its header once — as cabut-cli prints it. */
  {
    const char *args[] = { "--request", "PAGING-TEST", NULL };
    g_autofree char *path = g_build_filename (cabut_driver_fixture->dir, "audit-paging.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *expected = cli_csv (args);
    g_autofree char *written = NULL;
    g_auto(GStrv) lines = NULL;

    export_to (view, file);
    g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
    g_assert_cmpstr (written, ==, expected);
    lines = g_strsplit (written, "\r\n", -1);
    /* The header, 450 rows, and the empty string after the last line break. */
    g_assert_cmpuint (g_strv_length (lines), ==, 452);
    g_assert_true (g_str_has_prefix (lines[0], "id,at,"));
    g_assert_true (g_str_has_suffix (lines[1], ",test.row,PAGING-TEST,,row 449"));
    g_assert_true (g_str_has_suffix (lines[450], ",test.row,PAGING-TEST,,row 0"));
  }

  gtk_window_destroy (window);
  cabut_driver_spin_for (100);
}

/* What cabut-cli prints for `audit --csv` and @args. */
static char *
cli_csv (const char * const *args)
{
  CabutDemoAccount *account = cabut_driver_demo_account ("admin");
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  const char *argv[16] = { g_getenv ("CABUT_CLI"), "--server", cabut_driver_fixture->url, "--user", "admin",
                           "--password-env", "CABUT_TEST_PW", "audit", "--csv", NULL };
  guint n = 9;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  for (guint i = 0; args[i] != NULL && n + 1 < G_N_ELEMENTS (argv); i++)
    argv[n++] = args[i];

  g_subprocess_launcher_setenv (launcher, "CABUT_TEST_PW", cabut_demo_account_get_password (account), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));

  return out;
}

static void
export_to (CabutAuditView *view,
           GFile          *file)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cabut_audit_view_export_async (view, file, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the export");
  g_assert_true (cabut_audit_view_export_finish (view, result, &error));
  g_assert_no_error (error);
}

/* The export is the service's CSV for the filter, every page of it, the
 * same bytes cabut-cli prints; the file is its owner's only. */
static void
test_export (void)
{
  g_autoptr(CabutContext) admin = cabut_driver_context_of ("admin");
  GtkWindow *window = NULL;
  CabutAuditView *view = open_view (admin, &window);
  g_autofree char *path = g_build_filename (cabut_driver_fixture->dir, "audit-dewi.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const char *dewi_args[] = { "--actor", "dewi.verifikator", NULL };
  const char *request_args[] = { "--request", request_id, NULL };
  g_autofree char *expected = NULL;
  g_autofree char *written = NULL;
  GStatBuf st;

  filter (view, "dewi.verifikator", "", "", "");
  export_to (view, file);
  expected = cli_csv (dewi_args);
  g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
  g_assert_true (g_str_has_prefix (written, "id,at,actor,actor_name,role,action,target,remote,detail\r\n"));
  g_assert_cmpstr (written, ==, expected);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Another filter, written over the same file. */
  filter (view, "", request_id, "", "");
  export_to (view, file);
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&written, g_free);
  expected = cli_csv (request_args);
  g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, expected);
  g_assert_nonnull (strstr (written, ",request.reject,"));

  /* A folder that does not exist: an error, nothing written. */
  {
    g_autofree char *nowhere = g_build_filename (cabut_driver_fixture->dir, "no-such-folder", "audit.csv", NULL);
    g_autoptr(GFile) missing = g_file_new_for_path (nowhere);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    cabut_audit_view_export_async (view, missing, NULL, cabut_test_result_cb, &result);
    cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the failed export");
    g_assert_false (cabut_audit_view_export_finish (view, result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  }

  gtk_window_destroy (window);
  cabut_driver_spin_for (100);
}

/* An operator: told plainly that the log is the administrators'; nothing read. */
static void
test_operator_refused (void)
{
  g_autoptr(CabutContext) dewi = cabut_driver_context_of ("dewi.verifikator");
  GtkWindow *window = NULL;
  CabutAuditView *view = open_view (dewi, &window);
  GtkWidget *refused = cabut_driver_template_child (view, "refused_page");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (cabut_driver_template_child (view, "stack"))), ==,
                   "refused");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (refused)), ==,
                   "Only administrators can read the audit log. Ask an administrator of the service if you need an "
                   "entry from it.");
  g_assert_cmpuint (g_list_model_get_n_items (cabut_audit_view_get_entries (view)), ==, 0);

  /* Nor can an export be had: the service refuses it. */
  {
    g_autofree char *path = g_build_filename (cabut_driver_fixture->dir, "audit-refused.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    cabut_audit_view_export_async (view, file, NULL, cabut_test_result_cb, &result);
    cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the refused export");
    g_assert_false (cabut_audit_view_export_finish (view, result, &error));
    g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_FORBIDDEN);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  gtk_window_destroy (window);
  cabut_driver_spin_for (100);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("CABUT_SERVER_PROGRAM", g_getenv ("CABUT_SERVER"), TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cabut_driver_setup ();
  /* Something to audit: siti files, dewi rejects. */
  request_id = cabut_driver_file_request ("siti.rahmawati", "superseded", cabut_driver_fixture->letter_pdf);
  cabut_driver_reject (request_id, "Surat belum ditandatangani.");

  g_test_add_func ("/cabut/audit-view/listed-and-filtered", test_listed_and_filtered);
  g_test_add_func ("/cabut/audit-view/paged-by-scrolling", test_paged_by_scrolling);
  g_test_add_func ("/cabut/audit-view/export", test_export);
  g_test_add_func ("/cabut/audit-view/operator-refused", test_operator_refused);

  status = g_test_run ();
  cabut_driver_teardown ();
  g_free (request_id);

  return status;
}
