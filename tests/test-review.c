/* test-review.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's review page against the real demo service: a request filed
 * by an applicant, opened by the officer (dewi.verifikator) in a window
 * of its own; the letter rendered, zoomed and paged; the Subject DN
 * beside the account with its differences marked; take, approve (the CA
 * asked over OCSP, and `openssl ocsp` asked too) and reject with a note
 * the applicant then reads.
 */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <sqlite3.h>
#include <string.h>

#include "cabut-letter-preview.h"
#include "cabut-review-page.h"
#include "cabut-test-util.h"
#include "cabut-wizard-driver.h"

static char *two_page_letter;

/* The mark of a row (the widget named "match" or "difference"), or NULL. */
static const char *
mark_of (GtkWidget *row)
{
  if (cabut_driver_find_named (row, "match") != NULL)
    return "match";
  if (cabut_driver_find_named (row, "difference") != NULL)
    return "difference";
  return NULL;
}

static GtkWidget *
row_named (CabutReviewPage *page,
           const char      *group,
           const char      *name)
{
  GtkWidget *found = cabut_driver_find_named (cabut_driver_template_child (page, group), name);

  g_assert_nonnull (found);
  g_assert_true (ADW_IS_ACTION_ROW (found));

  return found;
}

static void
close_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  cabut_driver_spin_for (100);
}

static gboolean
not_busy (gpointer data)
{
  return !cabut_review_page_get_busy (data);
}

static CabutRequest *
request_as (const char *username,
            const char *request_id)
{
  g_autoptr(CabutAmsClient) client = cabut_driver_client_of (username);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CabutRequest *request;

  cabut_ams_client_get_request_async (client, request_id, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the request");
  request = cabut_ams_client_get_request_finish (client, result, &error);
  g_assert_no_error (error);

  return request;
}

/* Changes a column of an account in the service's database, as an
 * administrator with the store would. */
static void
set_account (const char *username,
             const char *column,
             const char *value)
{
  g_autofree char *path = g_build_filename (cabut_driver_fixture->dir, "demo-service", "cabut.db", NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE accounts SET %s = ? WHERE username = ?", column);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_true (g_str_equal (column, "full_name") || g_str_equal (column, "role"));
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, username, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* The letter is drawn in the window: pages, zoom, paging; and the Subject
 * DN beside the account, every row marked as the service compared it. */
static void
test_letter_and_dn (void)
{
  g_autofree char *id = cabut_driver_file_request ("budi.santoso", "superseded", two_page_letter);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (context, id, &window);
  CabutLetterPreview *preview = CABUT_LETTER_PREVIEW (cabut_review_page_get_letter_preview (page));
  GtkWidget *row;
  int fitted, zoomed;

  /* The letter: two pages, the first shown, fitted. */
  g_assert_cmpuint (cabut_letter_preview_get_n_pages (preview), ==, 2);
  g_assert_cmpuint (cabut_letter_preview_get_page (preview), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cabut_driver_template_child (page, "page_label"))), ==,
                   "Page 1 of 2");
  cabut_driver_spin_for (300);
  fitted = gtk_widget_get_width (GTK_WIDGET (preview));
  g_assert_cmpint (fitted, >, 100);

  /* Zoom in: drawn larger than fitted; fit again: as before. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-in", NULL);
  g_assert_cmpfloat (cabut_letter_preview_get_zoom (preview), >, 0);
  cabut_driver_spin_for (300);
  zoomed = gtk_widget_get_width (GTK_WIDGET (preview));
  g_assert_cmpint (zoomed, >, fitted);
  /* Past 100 %, the page is drawn again at that size (in its thread). */
  while (cabut_letter_preview_get_zoom (preview) < 1.5)
    gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-in", NULL);
  cabut_driver_spin_for (500);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (preview)), ==, 1350);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (gtk_picture_get_paintable (GTK_PICTURE (
                     gtk_widget_get_first_child (GTK_WIDGET (preview))))), ==, 1350);
  gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-fit", NULL);
  cabut_driver_spin_for (300);
  gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-in", NULL);
  cabut_driver_spin_for (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (preview)), ==, zoomed);
  gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-out", NULL);
  cabut_driver_spin_for (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (preview)), <, zoomed);
  gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-fit", NULL);
  g_assert_cmpfloat (cabut_letter_preview_get_zoom (preview), ==, 0);
  cabut_driver_spin_for (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (preview)), ==, fitted);

  /* The next page, rendered in its thread; then no page after it. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.next-page", NULL);
  for (guint i = 0; i < 200 && cabut_letter_preview_get_page (preview) != 1; i++)
    cabut_driver_spin_for (50);
  g_assert_cmpuint (cabut_letter_preview_get_page (preview), ==, 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cabut_driver_template_child (page, "page_label"))), ==,
                   "Page 2 of 2");

  /* Back a page and zoomed at once: the zoom draws the page asked for. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.previous-page", NULL);
  while (cabut_letter_preview_get_zoom (preview) < 1.5)
    gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-in", NULL);
  for (guint i = 0; i < 200 && cabut_letter_preview_get_page (preview) != 0; i++)
    cabut_driver_spin_for (50);
  cabut_driver_spin_for (300);
  g_assert_cmpuint (cabut_letter_preview_get_page (preview), ==, 0);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (gtk_picture_get_paintable (GTK_PICTURE (
                     gtk_widget_get_first_child (GTK_WIDGET (preview))))), ==, 1350);
  gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-fit", NULL);

  /* The Subject DN: every compared attribute matches, the rest are shown. */
  row = row_named (page, "subject_group", "CN");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Certificate: Budi Santoso, S.Kom.\nAccount: Budi Santoso, S.Kom.");
  g_assert_cmpstr (mark_of (row), ==, "match");
  g_assert_cmpstr (mark_of (row_named (page, "subject_group", "serialNumber")), ==, "match");
  g_assert_cmpstr (mark_of (row_named (page, "subject_group", "O")), ==, "match");
  g_assert_cmpstr (mark_of (row_named (page, "subject_group", "OU")), ==, "match");
  g_assert_cmpstr (mark_of (row_named (page, "subject_group", "emailAddress")), ==, "match");
  g_assert_cmpstr (mark_of (row_named (page, "subject_group", "title")), ==, "match");
  g_assert_null (mark_of (row_named (page, "subject_group", "C")));
  g_assert_cmpstr (mark_of (row_named (page, "checks_group", "serial")), ==, "match");
  g_assert_cmpstr (mark_of (row_named (page, "checks_group", "issuer")), ==, "match");
  g_assert_cmpstr (mark_of (row_named (page, "checks_group", "key_possession")), ==, "match");
  /* A letter without Cabut's code: compared by eye. */
  g_assert_cmpstr (mark_of (row_named (page, "checks_group", "letter")), ==, "difference");
  g_assert_cmpuint (cabut_review_count_mismatches (cabut_review_page_get_review (page)), ==, 1);

  close_window (window);
  /* Leaves budi's certificate free for the next case. */
  cabut_driver_reject (id, "Diuji ulang.");
}

/* A scanned image for a letter: one page, scaled to fit, zoomed. */
static void
test_image_letter (void)
{
  g_autoptr(GFile) pdf = g_file_new_for_path (two_page_letter);
  g_autoptr(GFile) scan = cabut_driver_scan_letter (pdf);
  g_autofree char *scan_path = g_file_get_path (scan);
  g_autofree char *id = cabut_driver_file_request ("agus.wijaya", "superseded", scan_path);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (context, id, &window);
  CabutLetterPreview *preview = CABUT_LETTER_PREVIEW (cabut_review_page_get_letter_preview (page));
  int fitted;

  g_assert_cmpstr (cabut_letter_preview_get_content_type (preview), ==, "image/png");
  g_assert_cmpuint (cabut_letter_preview_get_n_pages (preview), ==, 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cabut_driver_template_child (page, "page_label"))), ==,
                   "Page 1 of 1");
  /* No page after the only one. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.next-page", NULL);
  cabut_driver_spin_for (300);
  g_assert_cmpuint (cabut_letter_preview_get_page (preview), ==, 0);
  fitted = gtk_widget_get_width (GTK_WIDGET (preview));
  gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-in", NULL);
  cabut_driver_spin_for (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (preview)), >, fitted);

  close_window (window);
  cabut_driver_reject (id, "Diuji ulang.");
}

/* An account whose name no longer matches the certificate: exactly the
 * CN row differs. */
static void
test_mismatch_marked (void)
{
  g_autofree char *id = cabut_driver_file_request ("agus.wijaya", "affiliationChanged", two_page_letter);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  GtkWindow *window = NULL;
  CabutReviewPage *page;
  CabutReview *review;
  GtkWidget *row;

  set_account ("agus.wijaya", "full_name", "Agus Wijayanto");
  page = cabut_driver_open_review (context, id, &window);
  review = cabut_review_page_get_review (page);

  row = row_named (page, "subject_group", "CN");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Certificate: Agus Wijaya\nAccount: Agus Wijayanto");
  g_assert_cmpstr (mark_of (row), ==, "difference");
  g_assert_false (cabut_review_check_get_matches (cabut_review_find_check (review, "CN")));
  g_assert_cmpstr (mark_of (row_named (page, "subject_group", "serialNumber")), ==, "match");
  g_assert_cmpstr (mark_of (row_named (page, "subject_group", "O")), ==, "match");
  g_assert_cmpstr (mark_of (row_named (page, "subject_group", "OU")), ==, "match");
  g_assert_cmpstr (mark_of (row_named (page, "subject_group", "emailAddress")), ==, "match");
  /* The name and the letter: nothing else. */
  g_assert_cmpuint (cabut_review_count_mismatches (review), ==, 2);
  g_assert_nonnull (strstr (cabut_review_page_get_notice (page), "Differs"));

  close_window (window);
  set_account ("agus.wijaya", "full_name", "Agus Wijaya");
  cabut_driver_reject (id, "Diuji ulang.");
}

/* The `decided` signal: the state the request reached, plus one. */
static void
decided_cb (CabutReviewPage *page,
            CabutRequest    *request,
            int             *state)
{
  *state = cabut_request_get_state (request) + 1;
}

static gboolean
confirmation_known (gpointer data)
{
  const char *text = cabut_review_page_get_confirmation (data);

  return text != NULL && strstr (text, "Asking") == NULL;
}

/* Take for review, then approve after the confirmation: revoked, the
 * CRL's number shown, OCSP says revoked (and so does `openssl ocsp`). */
static void
test_take_and_approve (void)
{
  g_autofree char *id = cabut_driver_file_request ("budi.santoso", "keyCompromise", two_page_letter);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  g_autoptr(CabutRequest) seen = NULL;
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (context, id, &window);
  GtkWidget *dialog;
  GtkWidget *row;
  CabutRequest *request;
  int decided = 0;

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cabut_driver_template_child (page, "state_label"))), ==,
                   "Submitted");

  /* Take it: in review, by whom. */
  g_assert_true (gtk_widget_is_sensitive (cabut_driver_template_child (page, "take_button")));
  gtk_widget_activate_action (GTK_WIDGET (page), "review.take", NULL);
  cabut_driver_spin_until (not_busy, page, 30, "the review to be taken");
  cabut_driver_wait_review (page);
  request = cabut_review_get_request (cabut_review_page_get_review (page));
  g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_IN_REVIEW);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cabut_driver_template_child (page, "state_label"))), ==,
                   "In review by Dewi Lestari, S.T.");
  g_assert_false (gtk_widget_is_sensitive (cabut_driver_template_child (page, "take_button")));

  /* Approve: a confirmation first, which says it cannot be undone. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.approve", NULL);
  dialog = cabut_driver_wait_for_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "cannot be undone"));
  g_signal_connect (page, "decided", G_CALLBACK (decided_cb), &decided);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "approve");
  gtk_window_destroy (GTK_WINDOW (dialog));

  cabut_driver_spin_until (confirmation_known, page, 60, "the CA's answer");
  cabut_driver_spin_until (not_busy, page, 30, "the dossier again");
  request = cabut_review_get_request (cabut_review_page_get_review (page));
  g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_REVOKED);
  g_assert_cmpint (decided, ==, CABUT_REQUEST_STATE_REVOKED + 1);
  g_assert_cmpint (cabut_review_page_get_crl_number (page), >, 1);
  g_assert_true (g_str_has_prefix (cabut_review_page_get_confirmation (page), "OCSP: revoked at "));
  row = row_named (page, "decision_group", "crl_number");
  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, cabut_review_page_get_crl_number (page));

    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, number);
  }
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row_named (page, "decision_group", "ocsp"))), ==,
                   cabut_review_page_get_confirmation (page));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "approve_button")));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "reject_button")));

  /* The applicant sees it revoked. */
  seen = request_as ("budi.santoso", id);
  g_assert_cmpint (cabut_request_get_state (seen), ==, CABUT_REQUEST_STATE_REVOKED);

  /* An outside judge: openssl's own OCSP client, against the demo CA. */
  {
    CabutCertificate *certificate = cabut_review_get_certificate (cabut_review_page_get_review (page));
    g_autofree char *dir = g_build_filename (cabut_driver_fixture->dir, "ocsp-judge", NULL);
    g_autofree char *cert_path = g_build_filename (dir, "cert.pem", NULL);
    g_autofree char *chain = g_build_filename (cabut_driver_fixture->dir, "demo-service", "demo", "ca.pem", NULL);
    g_autofree char *pem = cabut_certificate_to_pem (certificate);
    g_autofree char *ocsp_url = NULL;
    g_autofree char *verdict = NULL;
    g_autofree char *verdict_err = NULL;
    g_autofree char *issuer_path = g_build_filename (dir, "issuer.pem", NULL);
    g_autofree char *chain_pem = NULL;
    const char *end;
    int status = -1;

    g_mkdir_with_parents (dir, 0700);
    g_assert_true (g_file_set_contents (cert_path, pem, -1, NULL));
    g_assert_true (g_file_get_contents (chain, &chain_pem, NULL, NULL));
    end = strstr (chain_pem, "-----END CERTIFICATE-----");
    g_assert_nonnull (end);
    g_assert_true (g_file_set_contents (issuer_path, chain_pem,
                                        end - chain_pem + strlen ("-----END CERTIFICATE-----\n"), NULL));
    ocsp_url = g_strdup (cabut_certificate_get_ocsp_urls (certificate)[0]);
    verdict = cabut_test_openssl_verdict (&status, &verdict_err, "ocsp", "-issuer", issuer_path, "-cert", cert_path,
                                          "-url", ocsp_url, "-CAfile", chain, NULL);
    g_test_message ("openssl ocsp: %s %s", verdict, verdict_err);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (verdict, ": revoked"));
  }
  close_window (window);

  /* Opened again later (another officer, another day): the CA is asked
   * again and says revoked; the CRL number was the approval's to tell. */
  {
    g_autoptr(CabutContext) later = cabut_driver_context_of ("rina.verifikator");
    GtkWindow *again_window = NULL;
    CabutReviewPage *again = cabut_driver_open_review (later, id, &again_window);

    cabut_driver_spin_until (confirmation_known, again, 60, "the CA's answer on a revoked request");
    g_assert_true (g_str_has_prefix (cabut_review_page_get_confirmation (again), "OCSP: revoked at "));
    cabut_driver_wait_review (again);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row_named (again, "decision_group", "ocsp"))), ==,
                     cabut_review_page_get_confirmation (again));
    g_assert_null (cabut_driver_find_named (cabut_driver_template_child (again, "decision_group"), "crl_number"));
    close_window (again_window);
  }
}

/* Reject: impossible with a blank note; a common cause fills the note,
 * and the applicant reads exactly that note. */
static void
test_reject_with_cause (void)
{
  g_autofree char *id = cabut_driver_file_request ("siti.rahmawati", "superseded", two_page_letter);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  g_autoptr(CabutRequest) seen = NULL;
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (context, id, &window);
  GtkWidget *dialog;
  GtkWidget *cause;
  GtkTextBuffer *buffer;
  g_autofree char *note = NULL;
  GtkTextIter start, end;

  gtk_widget_activate_action (GTK_WIDGET (page), "review.reject", NULL);
  dialog = cabut_review_page_get_reject_dialog (page);
  g_assert_nonnull (dialog);

  /* Blank, or only spaces: Reject stays disabled. */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reject"));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (cabut_driver_find_named (dialog, "note")));
  gtk_text_buffer_set_text (buffer, "   \n ", -1);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reject"));

  /* A common cause writes its note. */
  cause = cabut_driver_find_named (dialog, "cause-unsigned");
  g_assert_nonnull (cause);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cause), TRUE);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  note = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (note, ==,
                   "The statement letter is not signed. Print it, sign it, and file the request again with the scan "
                   "of the signed letter.");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reject"));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "reject");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cabut_driver_spin_until (not_busy, page, 30, "the rejection");
  cabut_driver_wait_review (page);
  g_assert_cmpint (cabut_request_get_state (cabut_review_get_request (cabut_review_page_get_review (page))), ==,
                   CABUT_REQUEST_STATE_REJECTED);

  /* As the applicant: rejected, with exactly that note. */
  seen = request_as ("siti.rahmawati", id);
  g_assert_cmpint (cabut_request_get_state (seen), ==, CABUT_REQUEST_STATE_REJECTED);
  g_assert_cmpstr (cabut_request_get_rejection_note (seen), ==, note);

  close_window (window);
}

/* A rejection that fails (the service stopped): the note is still in the
 * dialog, and the notice says what to do. */
static void
test_reject_fails_keeps_note (void)
{
  g_autofree char *id = cabut_driver_file_request ("siti.rahmawati", "superseded", two_page_letter);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (context, id, &window);
  const char *typed = "Nomor NIK pada surat berbeda dengan akun.";
  GtkWidget *dialog;
  GtkTextBuffer *buffer;
  g_autofree char *kept = NULL;
  GtkTextIter start, end;

  gtk_widget_activate_action (GTK_WIDGET (page), "review.reject", NULL);
  dialog = cabut_review_page_get_reject_dialog (page);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (cabut_driver_find_named (dialog, "note")));
  gtk_text_buffer_set_text (buffer, typed, -1);

  cabut_driver_stop_service ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "reject");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cabut_driver_spin_until (not_busy, page, 60, "the failed rejection");
  cabut_driver_start_service ();

  g_assert_nonnull (strstr (cabut_review_page_get_notice (page), "cannot be reached"));
  dialog = cabut_review_page_get_reject_dialog (page);
  g_assert_nonnull (dialog);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (cabut_driver_find_named (dialog, "note")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  kept = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (kept, ==, typed);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reject"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  close_window (window);
  cabut_driver_reject (id, "Diuji ulang.");
}

/* An officer's own request: no action offered, and why said. */
static void
test_own_request (void)
{
  g_autofree char *id = cabut_driver_file_request ("agus.wijaya", "superseded", two_page_letter);
  g_autoptr(CabutContext) context = NULL;
  GtkWindow *window = NULL;
  CabutReviewPage *page;

  /* agus becomes an officer of the desk, and opens his own request. */
  set_account ("agus.wijaya", "role", "operator");
  context = cabut_driver_context_of ("agus.wijaya");
  page = cabut_driver_open_review (context, id, &window);

  g_assert_cmpstr (cabut_review_page_get_notice (page), ==,
                   "This is your own request: another officer must take it, approve it or reject it.");
  g_assert_false (gtk_widget_is_sensitive (cabut_driver_template_child (page, "take_button")));
  g_assert_false (gtk_widget_is_sensitive (cabut_driver_template_child (page, "approve_button")));
  g_assert_false (gtk_widget_is_sensitive (cabut_driver_template_child (page, "reject_button")));
  /* The action itself does nothing either. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.take", NULL);
  g_assert_false (cabut_review_page_get_busy (page));

  close_window (window);
  set_account ("agus.wijaya", "role", "applicant");
  cabut_driver_reject (id, "Diuji ulang.");
}

static gboolean
has_notice (gpointer data)
{
  return cabut_review_page_get_notice (data) != NULL && !cabut_review_page_get_busy (data);
}

/* Another officer decides first: the approval is refused (409), the page
 * says so and shows what they decided. */
static void
test_decided_meanwhile (void)
{
  g_autofree char *id = cabut_driver_file_request ("agus.wijaya", "superseded", two_page_letter);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  g_autoptr(CabutAmsClient) other = cabut_driver_client_of ("admin");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CabutRequest) rejected = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (context, id, &window);
  GtkWidget *dialog;

  cabut_ams_client_decide_async (other, id, "reject", "Ditolak oleh admin.", NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the other officer's rejection");
  rejected = cabut_ams_client_decide_finish (other, result, &error);
  g_assert_no_error (error);

  /* The page still shows it open: the officer approves. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.approve", NULL);
  dialog = cabut_driver_wait_for_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "approve");
  gtk_window_destroy (GTK_WINDOW (dialog));

  cabut_driver_spin_until (has_notice, page, 30, "the refusal");
  g_assert_true (g_str_has_prefix (cabut_review_page_get_notice (page), "Someone else changed this request meanwhile"));
  cabut_driver_wait_review (page);
  g_assert_cmpint (cabut_request_get_state (cabut_review_get_request (cabut_review_page_get_review (page))), ==,
                   CABUT_REQUEST_STATE_REJECTED);
  g_assert_cmpstr (cabut_request_get_rejection_note (cabut_review_get_request (cabut_review_page_get_review (page))),
                   ==, "Ditolak oleh admin.");

  close_window (window);
}

/* The session ended (signed out elsewhere): taking the request says to sign
 * in again. */
static void
test_session_ended (void)
{
  g_autofree char *id = cabut_driver_file_request ("agus.wijaya", "superseded", two_page_letter);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  g_autoptr(CabutAmsClient) same = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (context, id, &window);

  same = cabut_ams_client_new (cabut_driver_fixture->url, &error);
  g_assert_no_error (error);
  cabut_ams_client_set_token (same, cabut_ams_client_get_token (cabut_context_get_client (context)));
  cabut_ams_client_sign_out_async (same, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the sign-out");
  g_clear_pointer (&result, g_object_unref);

  gtk_widget_activate_action (GTK_WIDGET (page), "review.take", NULL);
  cabut_driver_spin_until (has_notice, page, 30, "the refusal");
  g_assert_true (g_str_has_prefix (cabut_review_page_get_notice (page), "Your session has ended"));
  g_assert_nonnull (strstr (cabut_review_page_get_notice (page), "Sign in again"));

  close_window (window);
  cabut_driver_reject (id, "Diuji ulang.");
}

static void
take_as (const char *username,
         const char *request_id)
{
  g_autoptr(CabutAmsClient) client = cabut_driver_client_of (username);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CabutRequest) taken = NULL;
  g_autoptr(GError) error = NULL;

  cabut_ams_client_decide_async (client, request_id, "review", NULL, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the review to be taken");
  taken = cabut_ams_client_decide_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_request_get_state (taken), ==, CABUT_REQUEST_STATE_IN_REVIEW);
}

/* dewi has it in review: to rina, Approve and Reject are insensitive and
 * the page says dewi has it (also when dewi took it while rina's page
 * showed it open: the approval refused, said, the page loaded again); an
 * admin may decide, and is told they take over. */
static void
test_taken_by_other (void)
{
  g_autofree char *id = cabut_driver_file_request ("agus.wijaya", "superseded", two_page_letter);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("rina.verifikator");
  g_autoptr(CabutContext) admin = NULL;
  g_autoptr(CabutRequest) seen = NULL;
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (context, id, &window);
  GtkWidget *dialog;
  GtkWidget *row;

  g_assert_true (gtk_widget_is_sensitive (cabut_driver_template_child (page, "approve_button")));

  /* dewi takes it meanwhile; rina's approval is refused and explained. */
  take_as ("dewi.verifikator", id);
  gtk_widget_activate_action (GTK_WIDGET (page), "review.approve", NULL);
  dialog = cabut_driver_wait_for_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "approve");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cabut_driver_spin_until (has_notice, page, 30, "the refusal");
  g_assert_true (g_str_has_prefix (cabut_review_page_get_notice (page),
                                   "Another officer took this request for review meanwhile (Request "));
  g_assert_nonnull (strstr (cabut_review_page_get_notice (page), "is being reviewed by Dewi Lestari, S.T."));
  cabut_driver_wait_review (page);

  /* Loaded again: in review by dewi, nothing for rina to decide. */
  g_assert_cmpint (cabut_request_get_state (cabut_review_get_request (cabut_review_page_get_review (page))), ==,
                   CABUT_REQUEST_STATE_IN_REVIEW);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cabut_driver_template_child (page, "state_label"))), ==,
                   "In review by Dewi Lestari, S.T.");
  g_assert_false (gtk_widget_is_sensitive (cabut_driver_template_child (page, "approve_button")));
  g_assert_false (gtk_widget_is_sensitive (cabut_driver_template_child (page, "reject_button")));
  g_assert_false (gtk_widget_is_sensitive (cabut_driver_template_child (page, "take_button")));
  row = row_named (page, "decision_group", "taken");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "In review by Dewi Lestari, S.T.");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Only they or an administrator can approve or reject it.");
  /* The action itself does nothing either. */
  gtk_widget_activate_action (GTK_WIDGET (page), "review.reject", NULL);
  cabut_driver_spin_for (200);
  for (guint i = 0; i < g_list_model_get_n_items (gtk_window_get_toplevels ()); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (gtk_window_get_toplevels (), i);

      g_assert_false (ADW_IS_MESSAGE_DIALOG (toplevel));
    }
  close_window (window);

  /* An admin may decide it: the actions are there, with a note. */
  admin = cabut_driver_context_of ("admin");
  page = cabut_driver_open_review (admin, id, &window);
  g_assert_true (gtk_widget_is_sensitive (cabut_driver_template_child (page, "approve_button")));
  g_assert_true (gtk_widget_is_sensitive (cabut_driver_template_child (page, "reject_button")));
  row = row_named (page, "decision_group", "taken");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "As an administrator you may still approve or reject it: you take over their review.");
  close_window (window);

  /* Nothing was decided by rina; dewi still may. */
  seen = request_as ("dewi.verifikator", id);
  g_assert_cmpint (cabut_request_get_state (seen), ==, CABUT_REQUEST_STATE_IN_REVIEW);
  cabut_driver_reject (id, "Diuji ulang.");
}

/* Keys as a person types them (XTest, through xdotool), to @window, given
 * the X keyboard focus first. */
static void
press (GtkWindow  *window,
       const char *verb,
       const char *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  const char *argv[] = { "xdotool", "windowfocus", "--sync", xid, verb, "--delay", "60", keys, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  cabut_driver_spin_for (400);
}

/* Keyboard alone: zoom and page with the shortcuts, take with Alt+T,
 * reject with Alt+R, the note typed after Alt+N, sent with Alt+R. */
static void
test_keyboard (void)
{
  g_autofree char *id = NULL;
  g_autoptr(CabutContext) context = NULL;
  g_autoptr(CabutRequest) seen = NULL;
  GtkWindow *window = NULL;
  CabutReviewPage *page;
  CabutLetterPreview *preview;
  GtkWidget *dialog;
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  if (xdotool == NULL || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs xdotool and an X server");
      return;
    }

  id = cabut_driver_file_request ("siti.rahmawati", "superseded", two_page_letter);
  context = cabut_driver_context_of ("dewi.verifikator");
  page = cabut_driver_open_review (context, id, &window);
  preview = CABUT_LETTER_PREVIEW (cabut_review_page_get_letter_preview (page));

  press (window, "key", "ctrl+plus");
  g_assert_cmpfloat (cabut_letter_preview_get_zoom (preview), >, 0);
  press (window, "key", "ctrl+0");
  g_assert_cmpfloat (cabut_letter_preview_get_zoom (preview), ==, 0);
  press (window, "key", "ctrl+Next");
  for (guint i = 0; i < 100 && cabut_letter_preview_get_page (preview) != 1; i++)
    cabut_driver_spin_for (50);
  g_assert_cmpuint (cabut_letter_preview_get_page (preview), ==, 1);

  press (window, "key", "alt+t");
  cabut_driver_spin_until (not_busy, page, 30, "the review to be taken");
  cabut_driver_wait_review (page);
  g_assert_cmpint (cabut_request_get_state (cabut_review_get_request (cabut_review_page_get_review (page))), ==,
                   CABUT_REQUEST_STATE_IN_REVIEW);

  press (window, "key", "alt+r");
  dialog = cabut_review_page_get_reject_dialog (page);
  g_assert_nonnull (dialog);
  press (GTK_WINDOW (dialog), "key", "alt+n");
  press (GTK_WINDOW (dialog), "type", "Cap dinas tidak ada");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reject"));
  press (GTK_WINDOW (dialog), "key", "alt+r");
  cabut_driver_spin_until (not_busy, page, 30, "the rejection");
  cabut_driver_wait_review (page);

  seen = request_as ("siti.rahmawati", id);
  g_assert_cmpint (cabut_request_get_state (seen), ==, CABUT_REQUEST_STATE_REJECTED);
  g_assert_cmpstr (cabut_request_get_rejection_note (seen), ==, "Cap dinas tidak ada");

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("CABUT_SERVER_PROGRAM", g_getenv ("CABUT_SERVER"), TRUE);
  /* The keyboard test types with XTest: its keys must reach this program's window. */
  cabut_driver_use_own_display ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cabut_driver_setup ();
  two_page_letter = cabut_driver_make_two_page_letter (cabut_driver_fixture->dir);

  g_test_add_func ("/cabut/review/letter-and-dn", test_letter_and_dn);
  g_test_add_func ("/cabut/review/image-letter", test_image_letter);
  g_test_add_func ("/cabut/review/mismatch-marked", test_mismatch_marked);
  g_test_add_func ("/cabut/review/take-and-approve", test_take_and_approve);
  g_test_add_func ("/cabut/review/reject-with-cause", test_reject_with_cause);
  g_test_add_func ("/cabut/review/reject-fails-keeps-note", test_reject_fails_keeps_note);
  g_test_add_func ("/cabut/review/keyboard", test_keyboard);
  g_test_add_func ("/cabut/review/own-request", test_own_request);
  g_test_add_func ("/cabut/review/decided-meanwhile", test_decided_meanwhile);
  g_test_add_func ("/cabut/review/session-ended", test_session_ended);
  g_test_add_func ("/cabut/review/taken-by-other", test_taken_by_other);

  status = g_test_run ();
  cabut_driver_teardown ();
  g_free (two_page_letter);

  return status;
}
