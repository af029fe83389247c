/* test-bulk-view.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Bulk revocation in the app against the real service (as `cabut --demo`
 * starts it, here told to stop after revoking one row with
 * $CABUT_TEST_BULK_ABORT_AFTER): a CSV with every kind of mismatch is
 * previewed exactly; the run, confirmed once, is cut off and said so; the
 * app "restarted" (a new view) finds the batch again, Resume finishes it,
 * and each matched certificate was revoked once. With $CABUT_DESK_SHOTS
 * set, the preview is also saved there as a PNG. */

#include "config.h"

#include <adwaita.h>
#include <unistd.h>

#include "cabut-bulk-view.h"
#include "cabut-wizard-driver.h"

/* The app's message @msgid in the language the test runs in. */
#define T(msgid) g_dgettext (GETTEXT_PACKAGE, msgid)

/* "why | Row N: value", as the view lists an unmatched row. */
static char *
unmatched_line (const char *why,
                guint       row,
                const char *value)
{
  g_autofree char *line = g_strdup_printf (T ("Row %u: %s"), row, value);

  return g_strdup_printf ("%s | %s\n", T (why), line);
}

typedef struct
{
  CabutBulkView *view;
  const char    *page;
} PageWait;

static gboolean
on_page (gpointer data)
{
  PageWait *wait = data;

  return g_str_equal (cabut_bulk_view_get_page (wait->view), wait->page);
}

static void
wait_page (GtkWidget  *view,
           const char *page)
{
  cabut_driver_spin_until (on_page, &(PageWait) { CABUT_BULK_VIEW (view), page }, 60, page);
}

/* "title | subtitle", one per line, of the rows of a list. */
static char *
list_rows (GtkWidget  *view,
           const char *child)
{
  GtkWidget *list = cabut_driver_template_child (view, child);
  g_autoptr(GString) out = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    g_string_append_printf (out, "%s | %s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                            adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GtkWidget *
open_view (CabutContext *context)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = cabut_bulk_view_new (context);

  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 1000);
  gtk_window_present (GTK_WINDOW (window));
  cabut_driver_wait_not_busy (view);

  return view;
}

/* How many of @username's requests are revoked. */
static guint
revoked_of (const char *username)
{
  g_autoptr(GListModel) requests = cabut_driver_requests_of (username);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);

      n += cabut_request_get_state (request) == CABUT_REQUEST_STATE_REVOKED;
    }

  return n;
}

static void
test_preview_run_interrupted_resume (void)
{
  g_autoptr(CabutContext) context = NULL;
  g_autoptr(CabutContext) again = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.cabut.Cabut");
  g_autofree char *csv_path = g_build_filename (cabut_driver_fixture->dir, "pensiun.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *open_request = NULL;
  g_autofree char *matched = NULL;
  g_autofree char *unmatched = NULL;
  g_autofree char *batch_id = NULL;
  GtkWidget *view;
  GtkWidget *dialog;

  /* The service leaves after revoking the first row of a batch. */
  cabut_driver_stop_service ();
  g_setenv ("CABUT_TEST_BULK_ABORT_AFTER", "1", TRUE);
  cabut_driver_start_service ();
  g_unsetenv ("CABUT_TEST_BULK_ABORT_AFTER");

  open_request = cabut_driver_file_request ("siti.rahmawati", "superseded", cabut_driver_fixture->letter_pdf);
  g_assert_true (g_file_set_contents (csv_path,
                                      "NIP\r\n"
                                      "198501012010011001\r\n"   /* 2 budi */
                                      "199006152015032002\r\n"   /* 3 siti: her request is open */
                                      "197803122005011003\r\n"   /* 4 agus */
                                      "199999999999999999\r\n"   /* 5 nobody */
                                      "DEADBEEF\r\n"             /* 6 no such serial */
                                      "bukan nomor\r\n"          /* 7 malformed */
                                      "198501012010011001\r\n"   /* 8 budi again */
                                      "198808272012122004\r\n",  /* 9 dewi: no certificate */
                                      -1, &error));
  g_assert_no_error (error);

  context = cabut_driver_context_of ("dewi.verifikator");
  view = open_view (context);
  g_assert_cmpstr (cabut_bulk_view_get_page (CABUT_BULK_VIEW (view)), ==, "start");
  g_assert_false (gtk_widget_get_sensitive (cabut_driver_template_child (view, "preview_button")));

  /* A file larger than the service takes is not even read. */
  {
    g_autofree char *big_path = g_build_filename (cabut_driver_fixture->dir, "besar.csv", NULL);
    g_autoptr(GFile) big = g_file_new_for_path (big_path);
    g_autoptr(GString) rows = g_string_new ("NIP\n");
    g_autofree char *have = NULL;
    g_autofree char *most = g_format_size (64 * 1024);
    g_autofree char *expected = NULL;

    while (rows->len <= 64 * 1024)
      g_string_append (rows, "198501012010011001\n");
    g_assert_true (g_file_set_contents (big_path, rows->str, rows->len, &error));
    have = g_format_size (rows->len);
    expected = g_strdup_printf (T ("The list is %s; the service takes lists of at most %s (10,000 rows). Split it "
                                   "into several lists."), have, most);
    cabut_bulk_view_set_file (CABUT_BULK_VIEW (view), big);
    cabut_driver_wait_not_busy (view);
    g_assert_cmpstr (cabut_driver_shown_label (view, "message_label"), ==, expected);
    g_assert_false (gtk_widget_get_sensitive (cabut_driver_template_child (view, "preview_button")));
  }

  /* The preview: every row, exactly. */
  cabut_bulk_view_set_file (CABUT_BULK_VIEW (view), csv);
  cabut_driver_wait_not_busy (view);
  cabut_driver_choose_reason (cabut_driver_template_child (view, "reason_row"), "affiliationChanged");
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "note_row")), "SK Pensiun 2026");
  g_signal_emit_by_name (cabut_driver_template_child (view, "preview_button"), "clicked");
  cabut_driver_wait_not_busy (view);
  g_assert_cmpstr (cabut_bulk_view_get_page (CABUT_BULK_VIEW (view)), ==, "preview");
  {
    g_autofree char *summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u row: %u certificates matched, %u rows not matched",
                                                             "%u rows: %u certificates matched, %u rows not matched", 8),
                                                8, 2, 6);
    g_autofree char *budi = g_strdup_printf (T ("Row %u: %s"), 2, "198501012010011001");
    g_autofree char *agus = g_strdup_printf (T ("Row %u: %s"), 4, "197803122005011003");
    g_autofree char *siti = g_strdup_printf (T ("Row %u: %s"), 3, "199006152015032002");
    g_autofree char *budi_line = NULL;
    g_autofree char *agus_line = NULL;
    g_autofree char *expected = NULL;
    g_autofree char *u5 = unmatched_line ("No account has this NIP", 5, "199999999999999999");
    g_autofree char *u6 = unmatched_line ("No certificate has this serial number", 6, "DEADBEEF");
    g_autofree char *u7 = unmatched_line ("Neither a NIP nor a serial number, or more than one cell", 7, "bukan nomor");
    g_autofree char *u8 = unmatched_line ("An earlier row named it already", 8, "198501012010011001");
    g_autofree char *u9 = unmatched_line ("The account holds no certificate", 9, "198808272012122004");
    g_autoptr(GListModel) rows = NULL;

    g_assert_cmpstr (cabut_driver_shown_label (view, "summary_label"), ==, summary);
    /* The serial numbers are the service's: read from the preview's rows. */
    rows = g_object_ref (cabut_bulk_batch_get_rows (cabut_bulk_view_get_batch (CABUT_BULK_VIEW (view))));
    {
      g_autoptr(CabutBulkRow) first = g_list_model_get_item (rows, 0);
      g_autoptr(CabutBulkRow) third = g_list_model_get_item (rows, 2);

      g_assert_cmpstr (cabut_bulk_row_get_username (first), ==, "budi.santoso");
      g_assert_cmpstr (cabut_bulk_row_get_username (third), ==, "agus.wijaya");
      budi_line = g_strdup_printf (T ("%s · serial number %s · %s"), budi, cabut_bulk_row_get_serial (first),
                                   T ("To be revoked"));
      agus_line = g_strdup_printf (T ("%s · serial number %s · %s"), agus, cabut_bulk_row_get_serial (third),
                                   T ("To be revoked"));
    }
    matched = list_rows (view, "matched_list");
    expected = g_strdup_printf ("Budi Santoso, S.Kom. | %s\nAgus Wijaya | %s\n", budi_line, agus_line);
    g_assert_cmpstr (matched, ==, expected);
    unmatched = list_rows (view, "unmatched_list");
    g_clear_pointer (&expected, g_free);
    expected = g_strdup_printf ("%s | %s — Siti Rahmawati, S.E.\n%s%s%s%s%s",
                                T ("A request for it is waiting for a decision: decide that one"), siti,
                                u5, u6, u7, u8, u9);
    g_assert_cmpstr (unmatched, ==, expected);
  }
  {
    const char *dir = g_getenv ("CABUT_DESK_SHOTS");

    if (dir != NULL)
      {
        g_autofree char *file = g_strdup_printf ("%s-bulk-preview.png", g_getenv ("LANGUAGE"));
        g_autofree char *path = g_build_filename (dir, file, NULL);

        cabut_driver_save_png (gtk_widget_get_ancestor (view, GTK_TYPE_WINDOW), path);
      }
  }

  /* One confirmation; the run is cut off after its first row, and said so. */
  g_signal_emit_by_name (cabut_driver_template_child (view, "run_button"), "clicked");
  dialog = cabut_driver_wait_for_dialog ();
  {
    g_autofree char *body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u certificate will be revoked; this cannot be undone.",
                                                          "%u certificates will be revoked; this cannot be undone.", 2),
                                             2);

    g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==, body);
  }
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "revoke");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_page (view, "interrupted");
  batch_id = g_settings_get_string (settings, "bulk-batch");
  g_assert_true (g_str_has_prefix (batch_id, "BULK-"));
  {
    /* The network error's own words come after the number. */
    g_autofree char *format = g_strdup (T ("Batch %s was interrupted before it finished (%s). Nothing done is lost and "
                                          "nothing will be revoked twice: resume it when the service is back."));
    g_auto(GStrv) parts = NULL;
    g_autofree char *start = NULL;

    *strstr (format, "%s)") = '\0';
    parts = g_strsplit (format, "%s", 2);
    start = g_strconcat (parts[0], batch_id, parts[1], NULL);
    g_assert_true (g_str_has_prefix (cabut_driver_shown_label (view, "message_label"), start));
  }
  g_assert_true (gtk_widget_get_visible (cabut_driver_template_child (view, "resume_button")));

  /* The service back; the app started again: the batch is found, resumed, done. */
  cabut_driver_stop_service ();
  cabut_driver_start_service ();
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_ancestor (view, GTK_TYPE_WINDOW)));
  again = cabut_driver_context_of ("dewi.verifikator");
  view = open_view (again);
  wait_page (view, "interrupted");
  {
    g_autofree char *expected = g_strdup_printf (T ("Batch %s was not seen to its end. Resume it: nothing done is "
                                                    "lost and nothing will be revoked twice."), batch_id);
    g_assert_cmpstr (cabut_driver_shown_label (view, "message_label"), ==, expected);
  }
  g_assert_cmpuint (cabut_bulk_batch_get_revoked (cabut_bulk_view_get_batch (CABUT_BULK_VIEW (view))), ==, 1);
  g_signal_emit_by_name (cabut_driver_template_child (view, "resume_button"), "clicked");
  wait_page (view, "done");
  {
    g_autofree char *expected = g_strdup_printf (T ("Batch %s done: %u revoked, %u skipped, %u rows not matched"),
                                                 batch_id, 2, 0, 6);
    g_autofree char *kept = g_settings_get_string (settings, "bulk-batch");

    g_assert_cmpstr (cabut_driver_shown_label (view, "summary_label"), ==, expected);
    g_assert_cmpstr (kept, ==, "");
  }
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (view, "message_label")));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (view, "resume_button")));

  /* Each revoked once; siti's request untouched. */
  g_assert_cmpuint (revoked_of ("budi.santoso"), ==, 1);
  g_assert_cmpuint (revoked_of ("agus.wijaya"), ==, 1);
  g_assert_cmpuint (revoked_of ("siti.rahmawati"), ==, 0);

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_ancestor (view, GTK_TYPE_WINDOW)));
}

/* A data folder like the source's, whose demo information turns second
 * approval on. */
static char *
second_approval_data_dir (void)
{
  g_autofree char *source = cabut_get_data_path ("cabut-demo.conf");
  g_autofree char *source_dir = g_path_get_dirname (source);
  char *dir = g_build_filename (cabut_driver_fixture->dir, "data-two", NULL);
  g_autofree char *conf = g_build_filename (dir, "cabut-demo.conf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  listing = g_dir_open (source_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *from = g_build_filename (source_dir, name, NULL);
      g_autofree char *to = g_build_filename (dir, name, NULL);

      if (!g_str_equal (name, "cabut-demo.conf"))
        g_assert_cmpint (symlink (from, to), ==, 0);
    }
  g_assert_true (g_file_get_contents (source, &text, NULL, &error));
  changed = g_strconcat (text, "\nsecond_approval=true\n", NULL);
  g_assert_true (g_file_set_contents (conf, changed, -1, &error));
  g_assert_no_error (error);

  return dir;
}

/* Under second approval: the preview is allowed, the run refused with the
 * service's message, nothing revoked, nothing kept to resume. */
static void
test_second_approval (void)
{
  g_autoptr(CabutContext) context = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.cabut.Cabut");
  g_autofree char *data_dir = second_approval_data_dir ();
  g_autofree char *csv_path = g_build_filename (cabut_driver_fixture->dir, "satu.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  GtkWidget *view;
  GtkWidget *dialog;

  cabut_driver_stop_service ();
  g_setenv ("CABUT_DATADIR", data_dir, TRUE);
  cabut_driver_start_service ();
  g_unsetenv ("CABUT_DATADIR");

  g_assert_true (g_file_set_contents (csv_path, "198501012010011001\n", -1, &error));
  g_assert_no_error (error);
  context = cabut_driver_context_of ("dewi.verifikator");
  view = open_view (context);
  cabut_bulk_view_set_file (CABUT_BULK_VIEW (view), csv);
  cabut_driver_wait_not_busy (view);
  cabut_driver_choose_reason (cabut_driver_template_child (view, "reason_row"), "affiliationChanged");
  g_signal_emit_by_name (cabut_driver_template_child (view, "preview_button"), "clicked");
  cabut_driver_wait_not_busy (view);
  g_assert_cmpstr (cabut_bulk_view_get_page (CABUT_BULK_VIEW (view)), ==, "preview");
  g_assert_cmpuint (cabut_bulk_batch_get_matched (cabut_bulk_view_get_batch (CABUT_BULK_VIEW (view))), ==, 1);

  g_signal_emit_by_name (cabut_driver_template_child (view, "run_button"), "clicked");
  dialog = cabut_driver_wait_for_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "revoke");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cabut_driver_wait_not_busy (view);
  g_assert_cmpstr (cabut_driver_shown_label (view, "message_label"), ==,
                   T ("Under second approval a bulk revocation cannot be run: preview it, and approve the requests "
                      "one by one"));
  g_assert_cmpstr (cabut_bulk_view_get_page (CABUT_BULK_VIEW (view)), ==, "preview");
  kept = g_settings_get_string (settings, "bulk-batch");
  g_assert_cmpstr (kept, ==, "");
  g_assert_cmpuint (revoked_of ("budi.santoso"), ==, 0);

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_ancestor (view, GTK_TYPE_WINDOW)));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (g_getenv ("LANGUAGE") == NULL)
    g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("CABUT_SERVER_PROGRAM", g_getenv ("CABUT_SERVER"), TRUE);
  cabut_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cabut_driver_setup ();

  g_test_add_func ("/cabut/bulk-view/second-approval", test_second_approval);
  g_test_add_func ("/cabut/bulk-view/preview-run-interrupted-resume", test_preview_run_interrupted_resume);
  status = g_test_run ();

  cabut_driver_teardown ();

  return status;
}
