/* test-wizard.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The applicant's wizard, driven in this process under Xvfb, against the
 * real cabut-server started as `cabut --demo` starts it (a child process on
 * loopback), with a real SQLite store in a temporary folder.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>
#include <string.h>

#include "cabut-certificate-page.h"
#include "cabut-core.h"
#include "cabut-history-row.h"
#include "cabut-letter-maker.h"
#include "cabut-letter-page.h"
#include "cabut-receipt-page.h"
#include "cabut-letter-preview.h"
#include "cabut-request-details.h"
#include "cabut-requests-view.h"
#include "cabut-test-util.h"
#include "cabut-welcome-page.h"
#include "cabut-window.h"
#include "cabut-wizard-driver.h"

/* ---------------------------------------------------------------------- */

/* A row of @root whose title is @title, or NULL. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
details_idle (gpointer details)
{
  return !cabut_request_details_get_busy (details);
}

static char *
pdf_tool (const char *tool,
          const char *path)
{
  g_autofree char *program = g_find_program_in_path (tool);
  const char *argv[] = { program, path, tool[3] == 't' ? "-" : NULL, NULL };
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = -1;

  g_assert_nonnull (program);
  g_assert_true (cabut_test_run (argv, NULL, &out, &err, &status));
  g_test_message ("%s %s → %d %s", tool, path, status, err);
  g_assert_cmpint (status, ==, 0);

  return out;
}

static void
test_full_flow (void)
{
  CabutWindow *window = cabut_driver_open_window ("full-flow");
  CabutContext *context = cabut_window_get_context (window);
  CabutDraft *draft;
  CabutPage *page;
  CabutRequest *request;
  g_autoptr(GFile) letter = g_file_new_for_path (cabut_driver_fixture->letter_pdf);
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(CabutRequest) filed = NULL;
  g_autofree char *outbox = NULL;

  cabut_driver_walk_to_sign_in (window, "budi.santoso", "budi.santoso");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  g_assert_nonnull (cabut_context_get_profile (context));
  g_assert_cmpstr (cabut_profile_get_username (cabut_context_get_profile (context)), ==, "budi.santoso");

  /* The neutral reason is preselected. */
  page = cabut_driver_current_page (window);
  cabut_driver_wait_complete (page);
  draft = cabut_context_get_draft (context);
  g_assert_cmpstr (cabut_draft_get_reason (draft), ==, "unspecified");
  cabut_draft_set_note (draft, "Laptop dinas hilang di kereta");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);

  page = cabut_driver_current_page (window);
  g_assert_false (cabut_page_get_complete (page));
  cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), letter);
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);

  /* Every check passes; only the applicant's confirmation is missing. */
  page = cabut_driver_current_page (window);
  cabut_driver_spin_for (200);
  g_assert_false (cabut_page_get_complete (page));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_wait_complete (page);
  g_assert_true (cabut_draft_get_letter_confirmed (draft));
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_RECEIPT);

  request = cabut_context_get_last_request (context);
  g_assert_nonnull (request);
  g_assert_true (g_str_has_prefix (cabut_request_get_id (request), "CBT-"));
  g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_SUBMITTED);
  g_assert_true (cabut_request_get_key_possession (request));
  g_assert_cmpstr (cabut_draft_get_request_id (draft), ==, cabut_request_get_id (request));
  g_assert_cmpint (cabut_draft_get_state (draft), ==, CABUT_DRAFT_STATE_SENT);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (cabut_driver_template_child (cabut_driver_current_page (window), "number_row"))),
                   ==, cabut_request_get_id (request));

  /* The receipt as a PDF: the number, the deadline, the certificate. */
  {
    g_autofree char *path = g_build_filename (cabut_driver_fixture->dir, "tanda-terima.pdf", NULL);
    g_autoptr(GFile) receipt = g_file_new_for_path (path);
    g_autofree char *text = NULL;
    g_autofree char *serial = NULL;

    CabutReceiptPage *receipt_page = CABUT_RECEIPT_PAGE (cabut_driver_current_page (window));
    g_autoptr(GAsyncResult) saved = NULL;
    g_autoptr(GError) error = NULL;

    cabut_receipt_page_save_async (receipt_page, receipt, NULL, cabut_test_result_cb, &saved);
    cabut_driver_spin_until (cabut_driver_has_result, &saved, 30, "the receipt saved");
    g_assert_true (cabut_receipt_page_save_finish (receipt_page, saved, &error));
    g_assert_no_error (error);
    text = pdf_tool ("pdftotext", path);
    g_assert_nonnull (strstr (text, "TANDA TERIMA PERMOHONAN"));
    g_assert_nonnull (strstr (text, cabut_request_get_id (request)));
    g_assert_nonnull (strstr (text, "Batas waktu"));
    g_assert_nonnull (strstr (text, cabut_request_get_serial (request)));
    g_assert_nonnull (strstr (text, "Laptop dinas hilang di kereta"));
  }

  /* The service holds exactly this one request, with the note and letter. */
  requests = cabut_driver_requests_of ("budi.santoso");
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 1);
  filed = g_list_model_get_item (requests, 0);
  g_assert_cmpstr (cabut_request_get_id (filed), ==, cabut_request_get_id (request));
  g_assert_cmpstr (cabut_request_get_reason (filed), ==, "unspecified");
  g_assert_cmpstr (cabut_request_get_note (filed), ==, "Laptop dinas hilang di kereta");
  g_assert_cmpstr (cabut_request_get_letter_type (filed), ==, "application/pdf");

  /* The outbox gave its letter copy back. */
  cabut_driver_spin_for (300);
  outbox = g_build_filename (cabut_driver_fixture->dir, "full-flow", "cabut", "outbox", NULL);
  if (g_file_test (outbox, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (outbox, 0, NULL);

      g_assert_null (g_dir_read_name (dir));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_wrong_password (void)
{
  CabutWindow *window = cabut_driver_open_window ("wrong-password");
  CabutDemoAccount *budi = cabut_driver_demo_account ("budi.santoso");
  GtkWidget *error_label;
  GtkWidget *password;
  CabutPage *page;

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CERTIFICATE);
  page = cabut_driver_current_page (window);
  cabut_certificate_page_set_file (CABUT_CERTIFICATE_PAGE (page), cabut_demo_account_get_certificate_file (budi));
  password = cabut_driver_template_child (page, "password_row");
  cabut_driver_spin_until ((CabutDriverCondition) gtk_widget_get_visible, password, 20, "the password field");

  cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page), "bukan-sandinya");
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);

  error_label = cabut_driver_template_child (page, "error_label");
  cabut_driver_spin_until (cabut_driver_label_has_text, error_label, 20, "the wrong-password message");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==,
                   "The password is wrong. Check Caps Lock and try again; it is the password you set when you "
                   "downloaded the certificate.");
  g_assert_cmpint (cabut_page_get_step (cabut_driver_current_page (window)), ==, CABUT_DRAFT_STEP_CERTIFICATE);
  g_assert_null (cabut_draft_get_certificate (cabut_context_get_draft (cabut_window_get_context (window))));
  g_assert_true (gtk_widget_has_css_class (password, "error"));
  g_assert_true (gtk_widget_is_focus (password) || gtk_widget_get_focus_child (password) != NULL);

  /* The right one, and the page moves on. */
  cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page),
                                       cabut_demo_account_get_certificate_password (budi));
  g_assert_false (gtk_widget_get_visible (error_label));
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_DETAILS);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_not_registered (void)
{
  CabutWindow *window = cabut_driver_open_window ("not-registered");
  g_autoptr(GFile) letter = g_file_new_for_path (cabut_driver_fixture->letter_pdf);
  g_autoptr(GListModel) requests = NULL;
  GtkWidget *fix;
  CabutPage *page;

  /* Budi's certificate, Siti's account. */
  cabut_driver_walk_to_sign_in (window, "budi.santoso", "siti.rahmawati");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);
  page = cabut_driver_current_page (window);
  cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), letter);
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);

  page = cabut_driver_current_page (window);
  fix = NULL;
  for (guint i = 0; i < 100 && fix == NULL; i++)
    {
      cabut_driver_spin_for (50);
      fix = cabut_driver_find_button (cabut_driver_template_child (page, "checks_group"), "_Choose Another Certificate");
    }
  g_assert_nonnull (fix);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_spin_for (300);
  g_assert_false (cabut_page_get_complete (page));
  g_assert_false (gtk_widget_get_sensitive (cabut_assistant_get_next_button (cabut_window_get_assistant (window))));

  /* The checks ran again when the letter and the profile were read anew. */
  fix = cabut_driver_find_button (cabut_driver_template_child (page, "checks_group"), "_Choose Another Certificate");
  g_assert_nonnull (fix);
  g_signal_emit_by_name (fix, "clicked");
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CERTIFICATE);

  /* Nothing reached the service. */
  requests = cabut_driver_requests_of ("siti.rahmawati");
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
check_letter_refused (CabutWindow *window,
                      const char  *path,
                      const char  *message)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CabutPage *page = cabut_driver_current_page (window);
  GtkWidget *error_label = cabut_driver_template_child (page, "error_label");

  cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), file);
  cabut_driver_spin_until (cabut_driver_label_has_text, error_label, 20, "the letter to be refused");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==, message);
  g_assert_false (cabut_page_get_complete (page));
  g_assert_null (cabut_draft_get_letter_file (cabut_context_get_draft (cabut_window_get_context (window))));
}

static void
test_letter_refused (void)
{
  CabutWindow *window = cabut_driver_open_window ("letter-refused");
  g_autofree char *text = g_build_filename (cabut_driver_fixture->dir, "surat.pdf", NULL);
  g_autofree char *huge = g_build_filename (cabut_driver_fixture->dir, "besar.pdf", NULL);
  g_autofree char *broken = g_build_filename (cabut_driver_fixture->dir, "rusak.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *big = NULL;
  gsize big_size = 10 * 1024 * 1024 + 1;

  cabut_assistant_go_to_step (cabut_window_get_assistant (window), CABUT_DRAFT_STEP_LETTER);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);

  /* A text file named .pdf: refused by content. */
  g_assert_true (g_file_set_contents (text, "Surat ini bukan PDF\n", -1, &error));
  check_letter_refused (window, text,
                        "This file is not a PDF, JPEG or PNG, whatever its name says. Scan the signed letter, or "
                        "save it as PDF.");

  /* One byte over the service's limit: refused before it is read. */
  big = g_malloc0 (big_size);
  memcpy (big, "%PDF-1.4\n", 9);
  g_assert_true (g_file_set_contents (huge, big, big_size, &error));
  {
    g_autofree char *size = g_format_size_full (big_size, G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);
    g_autofree char *limit = g_format_size_full (big_size - 1, G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);
    g_autofree char *message = g_strdup_printf ("The letter is %s, more than the service accepts (%s). Scan it again "
                                                "at a lower resolution (150–200 dpi is enough), or save it as PDF.",
                                                size, limit);

    g_assert_true (g_str_has_suffix (size, "(10485761 bytes)"));
    check_letter_refused (window, huge, message);
  }

  /* A PDF header and nothing behind it. */
  g_assert_true (g_file_set_contents (broken, "%PDF-1.7\n1 0 obj\n<<", -1, &error));
  {
    g_autoptr(GFile) file = g_file_new_for_path (broken);
    CabutPage *page = cabut_driver_current_page (window);
    GtkWidget *error_label = cabut_driver_template_child (page, "error_label");

    cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), file);
    cabut_driver_spin_until (cabut_driver_label_has_text, error_label, 20, "the damaged PDF to be refused");
    g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (error_label)),
                                     "The PDF file is damaged and cannot be opened ("));
    g_assert_false (cabut_page_get_complete (page));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_gone (gpointer data)
{
  return *(CabutWindow **) data == NULL;
}

static void
test_draft_offered_back (void)
{
  CabutWindow *window = cabut_driver_open_window ("resume");
  CabutContext *context = cabut_window_get_context (window);
  CabutWelcomePage *welcome;
  CabutPage *page;

  cabut_driver_walk_to_sign_in (window, "agus.wijaya", "agus.wijaya");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_draft_set_reason (cabut_context_get_draft (context), "affiliationChanged");
  cabut_draft_set_note (cabut_context_get_draft (context), "Pindah ke instansi lain");

  /* Quit at the reason step, right after the change: closing waits until
   * the store has written it. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  cabut_driver_spin_until (window_gone, &window, 20, "the window to close");

  window = cabut_driver_open_window ("resume");
  context = cabut_window_get_context (window);
  welcome = CABUT_WELCOME_PAGE (cabut_driver_current_page (window));
  g_assert_true (gtk_widget_get_visible (cabut_driver_template_child (welcome, "resume_group")));
  g_assert_cmpstr (cabut_draft_get_note (cabut_context_get_draft (context)), ==, NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.resume-draft", NULL);
  /* It goes as far as it can: signing in needs the applicant again. */
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_SIGN_IN);
  g_assert_cmpstr (cabut_draft_get_reason (cabut_context_get_draft (context)), ==, "affiliationChanged");
  g_assert_cmpstr (cabut_draft_get_note (cabut_context_get_draft (context)), ==, "Pindah ke instansi lain");
  g_assert_cmpstr (cabut_draft_get_username (cabut_context_get_draft (context)), ==, "agus.wijaya");
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (welcome, "resume_group")));

  page = cabut_driver_current_page (window);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (page, "password_row")),
                         cabut_demo_account_get_password (cabut_driver_demo_account ("agus.wijaya")));
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  /* …and on to where the applicant was. */
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Certificate, sign-in, reason, letter, check: ready to confirm and send. */
static void
walk_to_check (CabutWindow *window,
               const char  *username,
               GFile       *letter)
{
  cabut_driver_walk_to_sign_in (window, username, username);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_reason_to_check (window, letter);
}

static gboolean
upload_under_way (gpointer data)
{
  CabutPage *page = cabut_driver_current_page (data);
  double fraction;

  if (cabut_page_get_step (page) != CABUT_DRAFT_STEP_SEND)
    return FALSE;
  fraction = gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (cabut_driver_template_child (page, "progress")));

  return fraction > 0.0 && fraction < 0.5;
}

static gboolean
sent_or_failed (gpointer data)
{
  CabutPage *page = cabut_driver_current_page (data);

  if (cabut_page_get_step (page) == CABUT_DRAFT_STEP_RECEIPT)
    return TRUE;

  return cabut_page_get_step (page) == CABUT_DRAFT_STEP_SEND &&
         gtk_widget_get_visible (cabut_driver_template_child (page, "retry_button"));
}

static void
test_service_stopped_during_upload (void)
{
  CabutWindow *window = cabut_driver_open_window ("interrupted");
  g_autofree char *path = cabut_driver_make_big_letter (1750);
  g_autoptr(GFile) letter = g_file_new_for_path (path);
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(CabutRequest) filed = NULL;
  CabutPage *page;

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  walk_to_check (window, "siti.rahmawati", letter);
  page = cabut_driver_current_page (window);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);

  /* The service goes away with part of the letter sent, and comes back. */
  cabut_driver_spin_until (upload_under_way, window, 30, "the upload to be under way");
  cabut_driver_restart_service ();

  /* The client's own retries may finish it; else Try Again does. */
  cabut_driver_spin_until (sent_or_failed, window, 60, "the request to be sent or to fail");
  page = cabut_driver_current_page (window);
  if (cabut_page_get_step (page) == CABUT_DRAFT_STEP_SEND)
    g_signal_emit_by_name (cabut_driver_template_child (page, "retry_button"), "clicked");
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_RECEIPT);

  /* Filed exactly once, with the whole letter. */
  requests = cabut_driver_requests_of ("siti.rahmawati");
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 1);
  filed = g_list_model_get_item (requests, 0);
  g_assert_cmpstr (cabut_request_get_id (filed), ==,
                   cabut_request_get_id (cabut_context_get_last_request (cabut_window_get_context (window))));
  {
    g_autoptr(GFileInfo) info = g_file_query_info (letter, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);

    g_assert_cmpuint (cabut_request_get_letter_size (filed), ==, g_file_info_get_size (info));
    g_assert_cmpuint (g_file_info_get_size (info), >, 8 * 1024 * 1024);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
flushed_then_die_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_assert_true (cabut_store_flush_finish (CABUT_STORE (object), result, NULL));
  /* A crash: no clean-up, no chance to upload. */
  kill (getpid (), SIGKILL);
}

static void
draft_state_cb (CabutDraft   *draft,
                GParamSpec   *pspec,
                CabutContext *context)
{
  if (cabut_draft_get_state (draft) == CABUT_DRAFT_STATE_QUEUED)
    cabut_store_flush_async (cabut_context_get_store (context), NULL, flushed_then_die_cb, NULL);
}

/* In the child: up to the outbox write, then killed. */
static void
crash_after_outbox (void)
{
  CabutWindow *window = cabut_driver_open_window ("crash");
  CabutContext *context = cabut_window_get_context (window);
  g_autoptr(GFile) letter = g_file_new_for_path (cabut_driver_fixture->letter_pdf);
  CabutPage *page;

  walk_to_check (window, "agus.wijaya", letter);
  page = cabut_driver_current_page (window);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_wait_complete (page);
  g_signal_connect (cabut_context_get_draft (context), "notify::state", G_CALLBACK (draft_state_cb), context);
  cabut_driver_press_next (window);
  cabut_driver_spin_for (30000);
  g_error ("still alive after the outbox write");
}

static void
test_killed_after_outbox_write (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) before = NULL;
  g_autoptr(GListModel) after = NULL;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *outbox = g_build_filename (cabut_driver_fixture->dir, "crash", "outbox", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  CabutWindow *window;
  CabutContext *context;
  CabutPage *page;

  g_subprocess_launcher_setenv (launcher, "CABUT_DRIVER_DIR", cabut_driver_fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "CABUT_DRIVER_URL", cabut_driver_fixture->url, TRUE);
  g_subprocess_launcher_setenv (launcher, "CABUT_DRIVER_CRASH", "1", TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, exe, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (child, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 90, "the child to crash");
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* It died before the upload: the service has nothing, the outbox has it. */
  before = cabut_driver_requests_of ("agus.wijaya");
  g_assert_cmpuint (g_list_model_get_n_items (before), ==, 0);
  {
    g_autoptr(GDir) dir = g_dir_open (outbox, 0, &error);

    g_assert_no_error (error);
    g_assert_nonnull (g_dir_read_name (dir));
  }

  /* The next start offers it back and finishes sending it. */
  window = cabut_driver_open_window ("crash");
  context = cabut_window_get_context (window);
  g_assert_true (gtk_widget_get_visible (cabut_driver_template_child (cabut_driver_current_page (window),
                                                                       "resume_group")));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.resume-draft", NULL);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_SIGN_IN);
  page = cabut_driver_current_page (window);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (page, "password_row")),
                         cabut_demo_account_get_password (cabut_driver_demo_account ("agus.wijaya")));
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_RECEIPT);

  after = cabut_driver_requests_of ("agus.wijaya");
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, 1);
  g_assert_cmpint (cabut_draft_get_state (cabut_context_get_draft (context)), ==, CABUT_DRAFT_STATE_SENT);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
revocation_answered (gpointer page)
{
  GtkWidget *spinner = cabut_driver_template_child (page, "revocation_spinner");
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (cabut_driver_template_child (page,
                                                                                                      "revocation_row")));

  return !gtk_spinner_get_spinning (GTK_SPINNER (spinner)) && subtitle != NULL &&
         g_str_has_prefix (subtitle, "Already revoked");
}

/* After full-flow: the officer approves Budi's request; his certificate's
 * details then say it is revoked already, and the request stops there. */
static void
test_already_revoked (void)
{
  g_autoptr(GListModel) requests = cabut_driver_requests_of ("budi.santoso");
  g_autoptr(CabutRequest) request = NULL;
  CabutDemoAccount *budi = cabut_driver_demo_account ("budi.santoso");
  CabutWindow *window;
  CabutPage *page;

  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 1);
  request = g_list_model_get_item (requests, 0);
  cabut_driver_approve (cabut_request_get_id (request));

  window = cabut_driver_open_window ("already-revoked");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CERTIFICATE);
  page = cabut_driver_current_page (window);
  cabut_certificate_page_set_file (CABUT_CERTIFICATE_PAGE (page), cabut_demo_account_get_certificate_file (budi));
  cabut_driver_spin_until ((CabutDriverCondition) gtk_widget_get_visible,
                           cabut_driver_template_child (page, "password_row"), 20, "the password field");
  cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page),
                                       cabut_demo_account_get_certificate_password (budi));
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_DETAILS);

  page = cabut_driver_current_page (window);
  cabut_driver_spin_until (revocation_answered, page, 30, "the revocation check to say revoked");
  g_assert_false (cabut_page_get_complete (page));
  g_assert_false (gtk_widget_get_sensitive (cabut_assistant_get_next_button (cabut_window_get_assistant (window))));
  g_assert_true (gtk_widget_has_css_class (cabut_driver_template_child (page, "revocation_icon"), "error"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
service_info_fresh (gpointer context)
{
  return cabut_context_get_service_info (context) != NULL && !cabut_context_get_service_info_offline (context);
}

static gboolean
service_info_offline (gpointer context)
{
  return cabut_context_get_service_info (context) != NULL && cabut_context_get_service_info_offline (context);
}

/* The first page's service information, from the last copy while the
 * service cannot be reached. */
static void
test_service_info_offline (void)
{
  CabutWindow *window = cabut_driver_open_window ("offline");
  CabutContext *context = cabut_window_get_context (window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *offline;
  CabutPage *welcome;

  cabut_driver_spin_until (service_info_fresh, context, 30, "the service information");
  welcome = cabut_driver_current_page (window);
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (welcome, "offline_row")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (cabut_driver_template_child (welcome, "phone_row"))),
                   ==, "(0274) 555-0123");
  cabut_store_flush_async (cabut_context_get_store (context), NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 20, "the store to flush");
  g_assert_true (cabut_store_flush_finish (cabut_context_get_store (context), result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  gtk_window_destroy (GTK_WINDOW (window));

  cabut_driver_stop_service ();

  window = cabut_driver_open_window ("offline");
  context = cabut_window_get_context (window);
  cabut_driver_spin_until (service_info_offline, context, 60, "the saved service information");
  welcome = cabut_driver_current_page (window);
  offline = cabut_driver_template_child (welcome, "offline_row");
  g_assert_true (gtk_widget_get_visible (offline));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (offline)), "Shown as it was on "));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (cabut_driver_template_child (welcome, "phone_row"))),
                   ==, "(0274) 555-0123");
  gtk_window_destroy (GTK_WINDOW (window));

  cabut_driver_start_service ();
}

/* The letter step makes the letter (the account's data, the place asked
 * for, the duty-stamp box), prints it, and its "scan" attached passes the
 * check step's code check; with the reason changed afterwards, the check
 * step says the letter gives another reason and leads back to the letter. */
static void
test_made_letter (void)
{
  CabutWindow *window = cabut_driver_open_window ("made-letter");
  CabutDraft *draft = cabut_context_get_draft (cabut_window_get_context (window));
  g_autofree char *printed_path = g_build_filename (cabut_driver_fixture->dir, "printed.pdf", NULL);
  g_autoptr(GFile) printed = g_file_new_for_path (printed_path);
  g_autoptr(GFile) scan = NULL;
  g_autofree char *made_path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *printed_text = NULL;
  g_autofree char *info = NULL;
  CabutLetterMaker *maker;
  CabutPage *page;
  GtkWidget *row;
  GtkWidget *fix;

  cabut_driver_walk_to_sign_in (window, "agus.wijaya", "agus.wijaya");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_draft_set_reason (draft, "keyCompromise");
  cabut_draft_set_note (draft, "Laptop dinas hilang di kereta.");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);

  page = cabut_driver_current_page (window);
  maker = CABUT_LETTER_MAKER (cabut_driver_template_child (page, "maker"));
  /* The place is offered: the certificate's locality, or the last one written. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cabut_driver_template_child (maker, "place_row"))), !=, "");
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (maker, "place_row")), "Kota Bandung");
  gtk_switch_set_active (GTK_SWITCH (cabut_driver_template_child (maker, "meterai_switch")), TRUE);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (cabut_driver_template_child (maker, "chronology_row"))),
                   ==, "Laptop dinas hilang di kereta.");
  g_signal_emit_by_name (cabut_driver_find_button (GTK_WIDGET (maker), "_Create Letter"), "clicked");
  cabut_driver_spin_until ((CabutDriverCondition) cabut_letter_maker_get_file, maker, 30, "the letter made");
  g_assert_false (cabut_page_get_busy (page));

  made_path = g_file_get_path (cabut_letter_maker_get_file (maker));
  text = pdf_tool ("pdftotext", made_path);
  g_assert_nonnull (strstr (text, "Agus Wijaya"));
  g_assert_nonnull (strstr (text, "197803122005011003"));
  g_assert_nonnull (strstr (text, "Kepala Seksi Pelayanan"));
  g_assert_nonnull (strstr (text, "Kunci saya hilang atau diketahui orang lain"));
  g_assert_nonnull (strstr (text, "Laptop dinas hilang di kereta."));
  g_assert_nonnull (strstr (text, "Kota Bandung, "));
  g_assert_nonnull (strstr (text, "Meterai"));

  /* Print sends the letter's own pages: one A4 page, the same words. */
  cabut_letter_maker_export (maker, printed);
  info = pdf_tool ("pdfinfo", printed_path);
  g_test_message ("%s", info);
  g_assert_nonnull (strstr (info, "Pages:           1\n"));
  g_assert_nonnull (strstr (info, "Page size:       595.276 x 841.89 pts (A4)"));
  printed_text = pdf_tool ("pdftotext", printed_path);
  g_assert_nonnull (strstr (printed_text, "Agus Wijaya"));
  g_assert_nonnull (strstr (printed_text, "Kota Bandung, "));

  /* A change after making it is said. */
  gtk_switch_set_active (GTK_SWITCH (cabut_driver_template_child (maker, "meterai_switch")), FALSE);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (cabut_driver_template_child (maker, "letter_row"))),
                   ==, "Your changes are not in it yet: create it again.");

  /* The file as made, attached in a hurry: not signed, said, and leads back. */
  cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), cabut_letter_maker_get_file (maker));
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);
  page = cabut_driver_current_page (window);
  cabut_driver_spin_until (cabut_driver_is_idle, page, 30, "the checks");
  row = find_row (cabut_driver_template_child (page, "checks_group"), "The letter is not signed yet");
  g_assert_nonnull (row);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_spin_for (200);
  g_assert_false (cabut_page_get_complete (page));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), FALSE);
  g_signal_emit_by_name (cabut_driver_find_button (row, "_Attach the Signed Scan"), "clicked");
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);
  page = cabut_driver_current_page (window);

  /* Its scan attached: the check step reads the code and passes it. */
  scan = cabut_driver_scan_letter (cabut_letter_maker_get_file (maker));
  cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), scan);
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);
  page = cabut_driver_current_page (window);
  cabut_driver_spin_until (cabut_driver_is_idle, page, 30, "the checks");
  g_assert_null (find_row (cabut_driver_template_child (page, "checks_group"), "The letter is not signed yet"));
  row = find_row (cabut_driver_template_child (page, "checks_group"), "The letter belongs to this certificate and reason");
  g_assert_nonnull (row);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_wait_complete (page);

  /* Another reason now: the letter does not say it. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), FALSE);
  cabut_draft_set_reason (draft, "superseded");
  cabut_page_go_to_step (page, CABUT_DRAFT_STEP_LETTER);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);
  cabut_driver_wait_complete (cabut_driver_current_page (window));
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);
  page = cabut_driver_current_page (window);
  cabut_driver_spin_until (cabut_driver_is_idle, page, 30, "the checks");
  row = find_row (cabut_driver_template_child (page, "checks_group"), "The letter gives another reason");
  g_assert_nonnull (row);
  g_assert_null (find_row (cabut_driver_template_child (page, "checks_group"),
                           "The letter belongs to this certificate and reason"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_spin_for (200);
  g_assert_false (cabut_page_get_complete (page));
  fix = cabut_driver_find_button (row, "_Redo the Letter");
  g_assert_nonnull (fix);
  g_signal_emit_by_name (fix, "clicked");
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Cancels, as @username, any request of theirs still waiting for a
 * decision, so their certificate may be filed for again. */
static void
free_certificate_of (const char *username)
{
  g_autoptr(GListModel) requests = cabut_driver_requests_of (username);
  g_autoptr(CabutAmsClient) client = cabut_driver_client_of (username);

  for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);
      g_autoptr(CabutRequest) cancelled = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      if (!cabut_request_state_is_open (cabut_request_get_state (request)))
        continue;
      cabut_ams_client_cancel_request_async (client, cabut_request_get_id (request), NULL, cabut_test_result_cb,
                                             &result);
      cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the cancellation");
      cancelled = cabut_ams_client_cancel_request_finish (client, result, &error);
      g_assert_no_error (error);
    }
}

/* Reason → letter (attached, not made) → check (confirmed) → sent; with
 * @banner (nullable) revealed on the letter and check steps. */
static void
send_with_letter (CabutWindow *window,
                  GFile       *letter,
                  GtkWidget   *banner)
{
  CabutPage *page;

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);
  g_assert_true (banner == NULL || gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  page = cabut_driver_current_page (window);
  g_assert_false (cabut_page_get_complete (page));
  cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), letter);
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);
  page = cabut_driver_current_page (window);
  g_assert_true (banner == NULL || gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  cabut_driver_spin_until (cabut_driver_is_idle, page, 30, "the checks");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_RECEIPT);
}

typedef struct
{
  CabutHistory *history;
  const char   *id;
  guint         position;
} RejectedInHistory;

/* My requests lists request @id, rejected (at position). */
static gboolean
history_shows_rejected (gpointer data)
{
  RejectedInHistory *wait = data;
  GListModel *model = G_LIST_MODEL (wait->history);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (model, i);

      if (g_str_equal (cabut_request_get_id (request), wait->id) &&
          cabut_request_get_state (request) == CABUT_REQUEST_STATE_REJECTED)
        {
          wait->position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
revealed (gpointer revealer)
{
  return gtk_revealer_get_reveal_child (revealer);
}

static char *
text_view_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Opens @id in My requests of @window, as its row does: waits for it to
 * be listed rejected and read again with its timeline. */
static CabutRequestDetails *
open_rejected (CabutWindow *window,
               const char  *id)
{
  CabutRequestsView *view = CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window));
  RejectedInHistory wait = { cabut_requests_view_get_history (view), id, G_MAXUINT };
  CabutRequestDetails *details = CABUT_REQUEST_DETAILS (cabut_requests_view_get_details (view));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
  cabut_driver_spin_until (history_shows_rejected, &wait, 30, "the rejection in My requests");
  g_signal_emit_by_name (cabut_driver_template_child (view, "list"), "activate", wait.position);
  cabut_driver_spin_for (100);
  cabut_driver_spin_until (details_idle, details, 30, "the request read again");

  return details;
}

#define REJECTION_NOTE "Surat pernyataan belum ditandatangani. Tanda tangani, pindai, lalu kirim lagi."

/* A request the officer rejected, filed again from its page in My
 * requests: "File Again" starts a new draft (a new idempotency key) with
 * the same certificate (its file read again, the password asked, so the
 * key proves possession again), reason and note; the officer's note is
 * said on every step; sent, it is a second request at the service. Agus's
 * certificate, freed first of the request killed-after-outbox-write left. */
static void
test_file_again (void)
{
  CabutWindow *window = cabut_driver_open_window ("file-again");
  CabutContext *context = cabut_window_get_context (window);
  CabutDemoAccount *agus = cabut_driver_demo_account ("agus.wijaya");
  CabutAssistant *assistant = cabut_window_get_assistant (window);
  GtkWidget *banner = cabut_driver_template_child (assistant, "rejection_revealer");
  GtkWidget *banner_label = cabut_driver_template_child (assistant, "rejection_label");
  g_autoptr(GFile) letter = g_file_new_for_path (cabut_driver_fixture->letter_pdf);
  g_autoptr(CabutRequest) first = NULL;
  g_autoptr(CabutRequest) second = NULL;
  g_autoptr(CabutDraft) sent = NULL;
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_key = NULL;
  g_autofree char *note = NULL;
  CabutRequestDetails *details;
  CabutDraft *draft;
  CabutPage *page;
  GtkWidget *button;
  GtkWidget *row;
  gboolean seen_first = FALSE, seen_second = FALSE;

  free_certificate_of ("agus.wijaya");

  /* Filed once, for "my details changed", with what happened. */
  cabut_driver_walk_to_sign_in (window, "agus.wijaya", "agus.wijaya");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  draft = cabut_context_get_draft (context);
  cabut_draft_set_reason (draft, "affiliationChanged");
  cabut_draft_set_note (draft, "Pindah tugas ke Dinas Kesehatan sejak 1 Desember 2026.");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  send_with_letter (window, letter, NULL);
  first = g_object_ref (cabut_context_get_last_request (context));
  first_key = g_strdup (cabut_draft_get_idempotency_key (draft));
  g_assert_cmpstr (cabut_draft_get_request_id (draft), ==, cabut_request_get_id (first));

  /* The officer rejects it, saying why. */
  cabut_driver_reject (cabut_request_get_id (first), REJECTION_NOTE);

  /* From another computer, where its certificate was never chosen: the
   * reason and note are filled in, the certificate file is asked for. */
  {
    CabutWindow *elsewhere = cabut_driver_open_window ("file-again-elsewhere");
    CabutContext *elsewhere_context = cabut_window_get_context (elsewhere);
    CabutDraft *elsewhere_draft;

    cabut_driver_walk_to_sign_in (elsewhere, "agus.wijaya", "agus.wijaya");
    cabut_driver_press_next (elsewhere);
    cabut_driver_wait_for_step (elsewhere, CABUT_DRAFT_STEP_REASON);
    details = open_rejected (elsewhere, cabut_request_get_id (first));
    g_signal_emit_by_name (cabut_driver_find_button (GTK_WIDGET (details), "_File Again"), "clicked");
    cabut_driver_spin_until (revealed, cabut_driver_template_child (cabut_window_get_assistant (elsewhere),
                                                                    "rejection_revealer"),
                             20, "the wizard filing it again");
    g_assert_cmpint (cabut_page_get_step (cabut_driver_current_page (elsewhere)), ==, CABUT_DRAFT_STEP_CERTIFICATE);
    elsewhere_draft = cabut_context_get_draft (elsewhere_context);
    g_assert_null (cabut_draft_get_certificate (elsewhere_draft));
    g_assert_null (cabut_draft_get_certificate_file (elsewhere_draft));
    g_assert_cmpstr (cabut_draft_get_reason (elsewhere_draft), ==, "affiliationChanged");
    g_assert_cmpstr (cabut_draft_get_note (elsewhere_draft), ==, "Pindah tugas ke Dinas Kesehatan sejak 1 Desember 2026.");
    g_assert_cmpstr (cabut_draft_get_rejection_note (elsewhere_draft), ==, REJECTION_NOTE);
    g_assert_false (cabut_page_get_complete (cabut_driver_current_page (elsewhere)));
    gtk_window_destroy (GTK_WINDOW (elsewhere));
  }

  /* My requests: its row opens it, read again with its timeline. */
  details = open_rejected (window, cabut_request_get_id (first));
  g_assert_true (cabut_request_has_events (cabut_request_details_get_request (details)));
  g_assert_cmpstr (cabut_request_get_rejection_note (cabut_request_details_get_request (details)), ==,
                   REJECTION_NOTE);
  row = find_row (GTK_WIDGET (details), "Why it was rejected");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, REJECTION_NOTE);
  g_assert_null (cabut_driver_find_button (GTK_WIDGET (details), "_Cancel Request…"));

  /* File Again: the wizard, the certificate's file read again. */
  button = cabut_driver_find_button (GTK_WIDGET (details), "_File Again");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  cabut_driver_spin_until ((CabutDriverCondition) gtk_widget_get_visible,
                           cabut_driver_template_child (cabut_assistant_get_page (assistant,
                                                                                  CABUT_DRAFT_STEP_CERTIFICATE),
                                                        "password_row"),
                           20, "the certificate file's password asked");
  g_assert_true (gtk_stack_get_visible_child (GTK_STACK (cabut_driver_template_child (window, "main_stack"))) ==
                 GTK_WIDGET (assistant));
  page = cabut_driver_current_page (window);
  g_assert_cmpint (cabut_page_get_step (page), ==, CABUT_DRAFT_STEP_CERTIFICATE);

  /* A new draft, never the sent one, filled in from the rejected request. */
  draft = cabut_context_get_draft (context);
  g_assert_cmpstr (cabut_draft_get_idempotency_key (draft), !=, first_key);
  g_assert_cmpint (cabut_draft_get_state (draft), ==, CABUT_DRAFT_STATE_EDITING);
  g_assert_null (cabut_draft_get_request_id (draft));
  g_assert_cmpstr (cabut_draft_get_previous_request_id (draft), ==, cabut_request_get_id (first));
  g_assert_cmpstr (cabut_draft_get_rejection_note (draft), ==, REJECTION_NOTE);
  g_assert_cmpstr (cabut_draft_get_reason (draft), ==, "affiliationChanged");
  g_assert_cmpstr (cabut_draft_get_note (draft), ==, "Pindah tugas ke Dinas Kesehatan sejak 1 Desember 2026.");
  g_assert_cmpstr (cabut_draft_get_username (draft), ==, "agus.wijaya");
  g_assert_nonnull (cabut_draft_get_certificate (draft));
  g_assert_cmpstr (cabut_certificate_get_serial (cabut_draft_get_certificate (draft)), ==,
                   cabut_request_get_serial (first));
  g_assert_true (g_file_equal (cabut_draft_get_certificate_file (draft),
                               cabut_demo_account_get_certificate_file (agus)));
  g_assert_null (cabut_draft_get_letter_file (draft));

  /* Why it was rejected, said from the first step on. */
  cabut_driver_spin_until (revealed, banner, 5, "the rejection shown");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (banner_label)), ==,
                   "Rejected: " REJECTION_NOTE " — fix this before you send again");

  /* The password; then on, past the pages that are done, to the reason. */
  cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page),
                                       cabut_demo_account_get_certificate_password (agus));
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  g_assert_true (cabut_certificate_has_private_key (cabut_draft_get_certificate (draft)));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  cabut_driver_spin_until ((CabutDriverCondition) gtk_widget_get_mapped, banner_label, 5, "the rejection on screen");
  page = cabut_driver_current_page (window);
  cabut_driver_wait_complete (page);
  note = text_view_text (cabut_driver_template_child (page, "note_view"));
  g_assert_cmpstr (note, ==, "Pindah tugas ke Dinas Kesehatan sejak 1 Desember 2026.");
  g_assert_cmpstr (cabut_draft_get_reason (draft), ==, "affiliationChanged");

  /* The letter done again, and sent. */
  send_with_letter (window, letter, banner);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* A second request at the service, beside the rejected one. */
  second = g_object_ref (cabut_context_get_last_request (context));
  g_assert_cmpstr (cabut_request_get_id (second), !=, cabut_request_get_id (first));
  g_assert_cmpstr (cabut_draft_get_request_id (draft), ==, cabut_request_get_id (second));
  g_assert_true (cabut_request_get_key_possession (second));
  requests = cabut_driver_requests_of ("agus.wijaya");
  for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);

      if (g_str_equal (cabut_request_get_id (request), cabut_request_get_id (first)))
        {
          seen_first = TRUE;
          g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_REJECTED);
        }
      else if (g_str_equal (cabut_request_get_id (request), cabut_request_get_id (second)))
        {
          seen_second = TRUE;
          g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_SUBMITTED);
          g_assert_cmpstr (cabut_request_get_serial (request), ==, cabut_request_get_serial (first));
          g_assert_cmpstr (cabut_request_get_reason (request), ==, "affiliationChanged");
          g_assert_cmpstr (cabut_request_get_note (request), ==, "Pindah tugas ke Dinas Kesehatan sejak 1 Desember 2026.");
        }
    }
  g_assert_true (seen_first);
  g_assert_true (seen_second);

  /* The first draft was left as it was sent. */
  cabut_store_find_sent_draft_async (cabut_context_get_store (context), cabut_context_get_server_url (context),
                                     cabut_request_get_id (first), NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the first draft");
  sent = cabut_store_find_sent_draft_finish (cabut_context_get_store (context), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sent);
  g_assert_cmpstr (cabut_draft_get_idempotency_key (sent), ==, first_key);
  g_assert_cmpint (cabut_draft_get_state (sent), ==, CABUT_DRAFT_STATE_SENT);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* My requests → one request: its state, deadline and timeline read from
 * the service; Cancel (as confirmed) cancels it at the service and the
 * timeline says so. Runs last: it cancels the request siti's earlier case
 * filed. */
static void
test_request_details (void)
{
  CabutWindow *window = cabut_driver_open_window ("request-details");
  CabutRequestsView *view;
  CabutRequestDetails *details;
  g_autoptr(GListModel) before = cabut_driver_requests_of ("siti.rahmawati");
  g_autoptr(GListModel) after = NULL;
  g_autoptr(CabutRequest) open_request = NULL;
  g_autoptr(CabutRequest) cancelled = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;
  guint n;

  for (guint i = 0; i < g_list_model_get_n_items (before) && open_request == NULL; i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (before, i);

      if (cabut_request_state_is_open (cabut_request_get_state (request)))
        open_request = g_object_ref (request);
    }
  g_assert_nonnull (open_request);

  cabut_driver_walk_to_sign_in (window, "siti.rahmawati", "siti.rahmawati");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
  view = CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window));
  cabut_driver_spin_until ((CabutDriverCondition) cabut_requests_view_get_n_requests, view, 30, "the list");

  cabut_requests_view_open (view, open_request);
  details = CABUT_REQUEST_DETAILS (cabut_requests_view_get_details (view));
  cabut_driver_spin_for (100);
  cabut_driver_spin_until (details_idle, details, 30, "the request read again");
  g_assert_nonnull (find_row (GTK_WIDGET (details), "Filed"));
  g_assert_nonnull (find_row (GTK_WIDGET (details), "Decision due by"));
  row = find_row (GTK_WIDGET (details), "Status");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   cabut_request_state_to_label (cabut_request_get_state (open_request)));
  g_assert_nonnull (cabut_driver_find_button (GTK_WIDGET (details), "_Cancel Request…"));
  g_assert_true (cabut_request_has_events (cabut_request_details_get_request (details)));
  n = g_list_model_get_n_items (cabut_request_get_events (cabut_request_details_get_request (details)));
  g_assert_cmpuint (n, >=, 1);

  /* The letter filed, from the service, shown: the same bytes. */
  {
    CabutLetterPreview *preview = CABUT_LETTER_PREVIEW (cabut_request_details_get_letter_preview (details));
    g_autofree char *contents = NULL;
    g_autofree char *checksum = NULL;
    gsize length = 0;

    cabut_driver_spin_until ((CabutDriverCondition) cabut_letter_preview_get_file, preview, 60, "the letter shown");
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (preview)));
    g_assert_true (g_file_load_contents (cabut_letter_preview_get_file (preview), NULL, &contents, &length, NULL, NULL));
    g_assert_cmpuint (length, ==, cabut_request_get_letter_size (open_request));
    checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
    g_assert_cmpstr (checksum, ==, cabut_request_get_letter_sha256 (open_request));
  }

  cabut_request_details_cancel_async (details, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the cancellation");
  g_assert_true (cabut_request_details_cancel_finish (details, result, &error));
  g_assert_no_error (error);
  cancelled = g_object_ref (cabut_request_details_get_request (details));
  g_assert_cmpint (cabut_request_get_state (cancelled), ==, CABUT_REQUEST_STATE_CANCELLED);
  row = find_row (GTK_WIDGET (details), "Status");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   cabut_request_state_to_label (CABUT_REQUEST_STATE_CANCELLED));
  g_assert_nonnull (find_row (GTK_WIDGET (details), "Decided"));
  g_assert_null (cabut_driver_find_button (GTK_WIDGET (details), "_Cancel Request…"));
  g_assert_cmpuint (g_list_model_get_n_items (cabut_request_get_events (cancelled)), ==, n + 1);

  /* The service holds it cancelled. */
  after = cabut_driver_requests_of ("siti.rahmawati");
  for (guint i = 0; i < g_list_model_get_n_items (after); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (after, i);

      if (g_str_equal (cabut_request_get_id (request), cabut_request_get_id (open_request)))
        g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_CANCELLED);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}


/* Whether @root holds the icon @name styled @style_class. */
static gboolean
has_image (GtkWidget  *root,
           const char *name,
           const char *style_class)
{
  if (GTK_IS_IMAGE (root) && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (root)), name) == 0 &&
      gtk_widget_has_css_class (root, style_class))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (has_image (child, name, style_class))
      return TRUE;

  return FALSE;
}


/* budi's request, revoked by the already-revoked case: opened from the
 * computer that filed it, the CA itself is asked and agrees. */
static void
test_revocation_confirmed (void)
{
  CabutWindow *window = cabut_driver_open_window ("full-flow");
  g_autoptr(GListModel) requests = cabut_driver_requests_of ("budi.santoso");
  g_autoptr(CabutRequest) revoked = NULL;
  CabutRequestsView *view;
  CabutRequestDetails *details;
  const char *text;
  GtkWidget *row;

  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 1);
  revoked = g_list_model_get_item (requests, 0);
  g_assert_cmpint (cabut_request_get_state (revoked), ==, CABUT_REQUEST_STATE_REVOKED);

  cabut_driver_walk_to_sign_in (window, "budi.santoso", "budi.santoso");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
  view = CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window));
  cabut_requests_view_open (view, revoked);
  details = CABUT_REQUEST_DETAILS (cabut_requests_view_get_details (view));
  cabut_driver_spin_until (cabut_driver_confirmation_answered, details, 30, "the CA's answer");
  cabut_driver_spin_until (details_idle, details, 30, "the request read again");

  text = cabut_request_details_get_confirmation (details);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_suffix (text, " WIB · Status service (OCSP)\nRevoked. Reason: No reason given"));
  row = find_row (GTK_WIDGET (details), "Confirmed by the certification authority");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, text);
  g_assert_true (has_image (row, "emblem-ok-symbolic", "success"));
  g_assert_null (find_row (GTK_WIDGET (details), "If the desk cannot help"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_issuers (gpointer context)
{
  return cabut_context_get_issuers (context) != NULL;
}

/* The service (as this computer last heard it) says siti's request is
 * revoked while the CA says her certificate is good: shown as a warning
 * with the complaint channels. The honest service cannot be made to say
 * that, so the request the computer shows is the service's own answer
 * with its state changed; the CA asked is the real one. */
static void
test_revocation_disputed (void)
{
  CabutWindow *window = cabut_driver_open_window ("interrupted");
  CabutContext *context = cabut_window_get_context (window);
  g_autoptr(GListModel) requests = cabut_driver_requests_of ("siti.rahmawati");
  g_autoptr(CabutRequest) filed = NULL;
  g_autoptr(CabutRequest) said = NULL;
  g_autoptr(CabutAmsClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CabutRequestsView *view;
  CabutRequestDetails *details;
  const char *text;

  /* The one filed from this computer: its letter was the big one. */
  for (guint i = 0; i < g_list_model_get_n_items (requests) && filed == NULL; i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);

      if (cabut_request_get_letter_size (request) > 8 * 1024 * 1024)
        filed = g_object_ref (request);
    }
  g_assert_nonnull (filed);

  client = cabut_driver_client_of ("siti.rahmawati");
  path = g_strdup_printf ("requests/%s", cabut_request_get_id (filed));
  cabut_ams_client_get_async (client, path, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the request");
  node = cabut_ams_client_call_finish (client, result, &error);
  g_assert_no_error (error);
  json_object_set_string_member (json_node_get_object (node), "status", "revoked");
  g_assert_cmpint (cabut_request_get_state (filed), !=, CABUT_REQUEST_STATE_REVOKED);
  said = cabut_request_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_request_get_state (said), ==, CABUT_REQUEST_STATE_REVOKED);

  /* Not signed in: the page shows what this computer was told. */
  cabut_context_refresh_service_info (context);
  cabut_driver_spin_until (has_issuers, context, 30, "the service's CA certificates");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
  view = CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window));
  cabut_requests_view_open (view, said);
  details = CABUT_REQUEST_DETAILS (cabut_requests_view_get_details (view));
  cabut_driver_spin_until (cabut_driver_confirmation_answered, details, 30, "the CA's answer");

  text = cabut_request_details_get_confirmation (details);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_suffix (text,
                                   " WIB · Status service (OCSP)\nThe authority still calls the certificate valid."));
  g_assert_true (has_image (find_row (GTK_WIDGET (details), "The certification authority disagrees"),
                            "dialog-warning-symbolic", "warning"));
  g_assert_null (find_row (GTK_WIDGET (details), "Confirmed by the certification authority"));
  g_assert_nonnull (find_row (GTK_WIDGET (details), "If the desk cannot help"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A request as this computer may have kept it from an earlier sign-in. */
static CabutRequest *
kept_request (const char *id,
              const char *status,
              const char *username,
              const char *full_name,
              const char *serial,
              const char *created_at,
              const char *due)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  CabutRequest *request;

  json = g_strdup_printf ("{\"id\": \"%s\", \"status\": \"%s\", \"reason\": \"superseded\","
                          " \"reason_label\": \"My data changed\", \"note\": null,"
                          " \"certificate\": {\"serial\": \"%s\", \"subject\": \"CN=%s,C=ID\", \"issuer\": \"CN=CA,C=ID\"},"
                          " \"applicant\": {\"username\": \"%s\", \"full_name\": \"%s\"},"
                          " \"letter\": {\"sha256\": null, \"type\": \"application/pdf\", \"size\": 1000},"
                          " \"key_possession\": true, \"letter_match\": null, \"letter_code\": null,"
                          " \"created_at\": \"%s\", \"due\": \"%s\", \"decided_at\": null, \"overdue\": false}",
                          id, status, serial, full_name, username, full_name, created_at, due);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  request = cabut_request_new_from_json (node, &error);
  g_assert_no_error (error);

  return request;
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return TRUE;
  if (GTK_IS_INSCRIPTION (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (root)), text) == 0)
    return TRUE;
  /* A row of My requests draws its own text. */
  if (CABUT_IS_HISTORY_ROW (root) && gtk_widget_get_mapped (root) &&
      (g_strcmp0 (cabut_history_row_get_title (CABUT_HISTORY_ROW (root)), text) == 0 ||
       g_strcmp0 (cabut_history_row_get_subtitle (CABUT_HISTORY_ROW (root)), text) == 0 ||
       g_strcmp0 (cabut_history_row_get_badge (CABUT_HISTORY_ROW (root)), text) == 0))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;

  return FALSE;
}

static gboolean
view_synced (gpointer view)
{
  return cabut_requests_view_get_synced (view);
}

static gboolean
subtitle_starts (gpointer view)
{
  GtkWidget *title = cabut_driver_template_child (view, "title");

  return g_str_has_prefix (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)),
                           "The service cannot be reached: as of ");
}

static gboolean
history_has (gpointer view)
{
  return cabut_history_get_n_requests (cabut_requests_view_get_history (view)) >= 5;
}

static gboolean
notices_reach (gpointer n)
{
  return cabut_driver_notices ()->len >= GPOINTER_TO_UINT (n);
}

/* My requests: every account's requests kept on this computer, in every
 * state, searched and filtered; brought up to date on sign-in; still shown,
 * said to be old, while the service is down; up to date again after. */
static void
test_history (void)
{
  CabutWindow *window = cabut_driver_open_window ("history");
  CabutContext *context = cabut_window_get_context (window);
  g_autoptr(GListStore) kept = g_list_store_new (CABUT_TYPE_REQUEST);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) budi = cabut_driver_requests_of ("budi.santoso");
  CabutRequestsView *view;
  CabutHistory *history;
  GtkWidget *list;
  guint n_budi = g_list_model_get_n_items (budi);
  g_autoptr(CabutRequest) first = NULL;
  static const struct { const char *id, *status, *user, *name, *serial, *created, *due; } rows[] = {
    { "CBT-2025-000101", "submitted", "rina.kusuma", "Rina Kusuma", "1A2B3C01", "2025-03-01T02:00:00Z", "2099-03-02T16:59:00Z" },
    { "CBT-2025-000102", "in_review", "rina.kusuma", "Rina Kusuma", "1A2B3C02", "2025-03-02T02:00:00Z", "2025-03-03T16:59:00Z" },
    { "CBT-2025-000103", "revoked", "rina.kusuma", "Rina Kusuma", "1A2B3C03", "2025-03-03T02:00:00Z", "2025-03-04T16:59:00Z" },
    { "CBT-2025-000104", "rejected", "rina.kusuma", "Rina Kusuma", "1A2B3C04", "2025-03-04T02:00:00Z", "2025-03-05T16:59:00Z" },
    { "CBT-2025-000105", "cancelled", "rina.kusuma", "Rina Kusuma", "1A2B3C05", "2025-03-05T02:00:00Z", "2025-03-06T16:59:00Z" },
  };

  guint notices_before = cabut_driver_notices ()->len;

  /* Nothing kept, not signed in: said so, not an error. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
  view = CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window));
  history = cabut_requests_view_get_history (view);
  cabut_driver_spin_for (300);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (cabut_driver_template_child (view, "stack"))), ==,
                   "empty");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (cabut_driver_template_child (view, "title"))), ==,
                   "Sign in to bring it up to date");

  /* Another account's requests, kept from an earlier sign-in. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(CabutRequest) request = kept_request (rows[i].id, rows[i].status, rows[i].user, rows[i].name,
                                                      rows[i].serial, rows[i].created, rows[i].due);

      g_list_store_append (kept, request);
    }
  cabut_store_save_requests_async (cabut_context_get_store (context), cabut_context_get_server_url (context),
                                   "rina.kusuma", G_LIST_MODEL (kept), NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the requests kept");
  g_assert_true (cabut_store_save_requests_finish (cabut_context_get_store (context), result, &error));
  g_assert_no_error (error);

  /* The one in review is past its deadline: told once, with whom to ask. */
  {
    guint n = notices_before;
    CabutDriverNotice *notice;

    cabut_driver_spin_until (notices_reach, GUINT_TO_POINTER (n + 1), 30, "the overdue notification");
    cabut_driver_spin_for (300);
    g_assert_cmpuint (cabut_driver_notices ()->len, ==, n + 1);
    notice = g_ptr_array_index (cabut_driver_notices (), n);
    g_assert_cmpstr (notice->summary, ==, "Request Overdue");
    g_assert_true (g_str_has_prefix (notice->body, "Request CBT-2025-000102 was due 3 March 2025, 23:59 WIB and is "
                                                   "not decided yet. Ask the service desk at "));
  }

  cabut_requests_view_refresh (view);
  cabut_driver_spin_until (history_has, view, 30, "the kept requests");
  g_assert_cmpuint (cabut_history_get_n_requests (history), ==, 5);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (cabut_driver_template_child (view, "stack"))), ==,
                   "list");
  g_assert_true (g_str_has_prefix (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (cabut_driver_template_child (view, "title"))),
                                   "As of "));
  cabut_driver_spin_for (200);
  list = cabut_driver_template_child (view, "list");
  g_assert_true (has_label (list, "CBT-2025-000105 · Rina Kusuma"));
  g_assert_true (has_label (list, "Cancelled"));
  g_assert_true (has_label (list, "Rejected"));
  g_assert_true (has_label (list, "Revoked"));
  g_assert_true (has_label (list, "Submitted"));
  /* In review and past its deadline since it was kept. */
  g_assert_true (has_label (list, "Overdue"));
  g_assert_true (has_label (list, "My data changed · was due 3 March 2025, 23:59 WIB, overdue"));

  /* Search by serial as OpenSSL prints it, by state, by name. */
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "search_entry")), "1a:2b:3c:04");
  cabut_driver_spin_for (400);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  g_assert_true (has_label (list, "CBT-2025-000104 · Rina Kusuma"));
  g_assert_false (has_label (list, "CBT-2025-000105 · Rina Kusuma"));
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "search_entry")), "nobody");
  cabut_driver_spin_for (400);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (cabut_driver_template_child (view, "results_stack"))),
                   ==, "no-results");
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "search_entry")), "rina");
  cabut_driver_spin_for (400);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 5);

  /* By state, from the drop-down, its counts shown. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cabut_driver_template_child (view, "filter_dropdown")),
                              CABUT_HISTORY_FILTER_OPEN);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (cabut_driver_template_child (view, "filter_dropdown")))), CABUT_HISTORY_FILTER_OPEN),
                   ==, "Waiting for a decision (2)");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cabut_driver_template_child (view, "filter_dropdown")),
                              CABUT_HISTORY_FILTER_ALL);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "search_entry")), "");
  cabut_driver_spin_for (400);

  /* A row opens its request, as this computer kept it (another account). */
  g_signal_emit_by_name (list, "activate", 0);
  first = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_true (cabut_request_details_get_request (CABUT_REQUEST_DETAILS (cabut_requests_view_get_details (view))) == first);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (cabut_driver_template_child (view, "stack"))), ==,
                   "request");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-assistant", NULL);

  /* Signing in brings budi's requests from the service, beside rina's. */
  cabut_driver_walk_to_sign_in (window, "budi.santoso", "budi.santoso");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_spin_until (view_synced, view, 30, "the requests brought up to date");
  cabut_driver_spin_for (300);
  g_assert_cmpuint (cabut_history_get_n_requests (history), ==, 5 + n_budi);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (cabut_driver_template_child (view, "title"))), ==,
                   "Up to date");

  /* The service goes away: the list stays, said to be old. */
  cabut_driver_stop_service ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
  cabut_driver_spin_until (subtitle_starts, view, 60, "the history said to be old");
  g_assert_false (cabut_requests_view_get_synced (view));
  g_assert_cmpuint (cabut_history_get_n_requests (history), ==, 5 + n_budi);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (cabut_driver_template_child (view, "stack"))), ==,
                   "list");

  /* It comes back: up to date again. */
  cabut_driver_start_service ();
  g_signal_emit_by_name (cabut_driver_template_child (view, "refresh_button"), "clicked");
  cabut_driver_spin_until (view_synced, view, 60, "the requests brought up to date again");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (cabut_driver_template_child (view, "title"))), ==,
                   "Up to date");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-assistant", NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static CabutWindow *shown_window;

/* The notification's action, as CabutApplication's "show-request" does. */
static void
show_request_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  g_assert_nonnull (shown_window);
  cabut_window_show_request (shown_window, g_variant_get_string (parameter, NULL));
}


static gboolean
tracker_synced (gpointer window)
{
  return cabut_tracker_get_n_synced (cabut_window_get_tracker (window)) > 0;
}

/* agus's open request (filed from the "crash" computer). */
static CabutRequest *
open_request_of (const char *username)
{
  g_autoptr(GListModel) requests = cabut_driver_requests_of (username);

  for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);

      if (cabut_request_state_is_open (cabut_request_get_state (request)))
        return g_steal_pointer (&request);
    }

  return NULL;
}

static void
decide (const char *request_id,
        const char *action,
        const char *note)
{
  g_autoptr(CabutAmsClient) officer = cabut_driver_client_of ("dewi.verifikator");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("requests/%s/%s", request_id, action);
  g_autofree char *json = g_strdup_printf ("{\"note\": \"%s\"}", note);

  body = json_from_string (json, &error);
  g_assert_no_error (error);
  cabut_ams_client_post_async (officer, path, body, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the decision");
  answer = cabut_ams_client_call_finish (officer, result, &error);
  g_assert_no_error (error);
}

/* Decisions notified through the desktop's notification server: one made
 * while Cabut was closed, told once at the next sign-in (and not again
 * after that), whose notification opens the request; one made while it
 * runs, told as the event feed brings it. */
static void
test_notifications (void)
{
  g_autoptr(CabutRequest) open = open_request_of ("agus.wijaya");
  g_autoptr(CabutRequest) refiled = NULL;
  g_autoptr(GFile) letter = g_file_new_for_path (cabut_driver_fixture->letter_pdf);
  CabutDriverNotice *notice;
  CabutWindow *window;
  guint before = cabut_driver_notices ()->len;
  g_autofree char *body = NULL;

  /* agus signs in on the computer he filed from: it keeps it undecided. */
  g_assert_nonnull (open);
  window = cabut_driver_open_window ("crash");
  cabut_driver_walk_to_sign_in (window, "agus.wijaya", "agus.wijaya");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_spin_until (tracker_synced, window, 30, "the requests brought up to date");
  g_assert_true (cabut_tracker_get_following (cabut_window_get_tracker (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_spin_for (200);

  /* Rejected while Cabut is closed; told at the next sign-in. */
  decide (cabut_request_get_id (open), "reject", "Surat pernyataan belum ditandatangani");
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, before);
  window = shown_window = cabut_driver_open_window ("crash");
  cabut_driver_walk_to_sign_in (window, "agus.wijaya", "agus.wijaya");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_spin_until (notices_reach, GUINT_TO_POINTER (before + 1), 30, "the rejection's notification");
  notice = g_ptr_array_index (cabut_driver_notices (), before);
  body = g_strdup_printf ("Request %s: Surat pernyataan belum ditandatangani", cabut_request_get_id (open));
  g_assert_cmpstr (notice->summary, ==, "Request Rejected");
  g_assert_cmpstr (notice->body, ==, body);
  g_assert_true (g_strv_contains ((const char * const *) notice->actions, "default"));

  /* Clicked: the request is shown. */
  cabut_driver_notice_clicked (notice->id);
  cabut_driver_spin_until ((CabutDriverCondition) cabut_request_details_get_request,
                           cabut_requests_view_get_details (CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window))),
                           30, "the request shown");
  g_assert_cmpstr (cabut_request_get_id (cabut_request_details_get_request (CABUT_REQUEST_DETAILS (cabut_requests_view_get_details (CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window)))))),
                   ==, cabut_request_get_id (open));
  gtk_window_destroy (GTK_WINDOW (window));
  shown_window = NULL;
  cabut_driver_spin_for (200);

  /* Started again and signed in again: nothing new to tell. */
  window = cabut_driver_open_window ("crash");
  cabut_driver_walk_to_sign_in (window, "agus.wijaya", "agus.wijaya");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_spin_until (tracker_synced, window, 30, "the requests brought up to date");
  cabut_driver_spin_for (500);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, before + 1);

  /* He files again with the letter put right; approved while Cabut runs. */
  cabut_driver_file_from_reason (window, letter);
  refiled = g_object_ref (cabut_context_get_last_request (cabut_window_get_context (window)));
  cabut_driver_spin_for (1000);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, before + 1);
  /* Worth watching with the window closed, until decided. */
  cabut_driver_spin_until ((CabutDriverCondition) cabut_tracker_get_waiting, cabut_window_get_tracker (window), 30,
                           "the tracker to wait for the decision");

  cabut_driver_approve (cabut_request_get_id (refiled));
  cabut_driver_spin_until (notices_reach, GUINT_TO_POINTER (before + 2), 30, "the approval's notification");
  notice = g_ptr_array_index (cabut_driver_notices (), before + 1);
  g_free (body);
  body = g_strdup_printf ("Request %s: certificate %s is revoked and can no longer sign. To sign again, apply for "
                          "a new certificate.", cabut_request_get_id (refiled), cabut_request_get_serial (refiled));
  g_assert_cmpstr (notice->summary, ==, "Certificate Revoked");
  g_assert_cmpstr (notice->body, ==, body);
  cabut_driver_spin_for (500);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, before + 2);
  g_assert_false (cabut_tracker_get_waiting (cabut_window_get_tracker (window)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A loopback proxy in front of the service that counts the letters it
 * passes on: what the app downloads, seen from outside it. */
typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *upstream;   /* the service's address, without the last "/" */
  char        *url;        /* the proxy's, ending with "/" */
  guint        n_letters;
} LetterProxy;

typedef struct
{
  SoupServerMessage *msg;
  SoupMessage       *upstream;
} Forward;

static void
forwarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Forward *forward = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    soup_server_message_set_status (forward->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
  else
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (forward->msg);

      soup_server_message_set_status (forward->msg, soup_message_get_status (forward->upstream), NULL);
      soup_message_headers_iter_init (&iter, soup_message_get_response_headers (forward->upstream));
      while (soup_message_headers_iter_next (&iter, &name, &value))
        if (g_ascii_strcasecmp (name, "Content-Length") != 0 && g_ascii_strcasecmp (name, "Transfer-Encoding") != 0 &&
            g_ascii_strcasecmp (name, "Connection") != 0 && g_ascii_strcasecmp (name, "Content-Type") != 0 &&
            g_ascii_strcasecmp (name, "Content-Encoding") != 0)
          soup_message_headers_append (headers, name, value);
      soup_server_message_set_response (forward->msg,
                                        soup_message_headers_get_content_type (
                                          soup_message_get_response_headers (forward->upstream), NULL),
                                        SOUP_MEMORY_COPY, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    }
  soup_server_message_unpause (forward->msg);
  g_object_unref (forward->msg);
  g_object_unref (forward->upstream);
  g_free (forward);
}

static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  LetterProxy *proxy = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *target = g_strdup_printf ("%s%s%s%s", proxy->upstream, path, g_uri_get_query (uri) ? "?" : "",
                                             g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  Forward *forward = g_new0 (Forward, 1);

  if (g_str_equal (method, "GET") && g_str_has_suffix (path, "/letter"))
    proxy->n_letters++;
  forward->msg = g_object_ref (msg);
  forward->upstream = soup_message_new (method, target);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Host") != 0 && g_ascii_strcasecmp (name, "Connection") != 0 &&
        g_ascii_strcasecmp (name, "Content-Length") != 0 && g_ascii_strcasecmp (name, "Content-Type") != 0)
      soup_message_headers_append (soup_message_get_request_headers (forward->upstream), name, value);
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (forward->upstream,
                                              soup_message_headers_get_content_type (
                                                soup_server_message_get_request_headers (msg), NULL),
                                              body);
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (proxy->session, forward->upstream, G_PRIORITY_DEFAULT, NULL, forwarded_cb,
                                    forward);
}

static LetterProxy *
letter_proxy_start (void)
{
  LetterProxy *proxy = g_new0 (LetterProxy, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  proxy->upstream = g_strdup (cabut_driver_fixture->url);
  if (g_str_has_suffix (proxy->upstream, "/"))
    proxy->upstream[strlen (proxy->upstream) - 1] = '\0';
  /* Long-polls of closed windows may still wait upstream: room for them. */
  proxy->session = soup_session_new_with_options ("timeout", 90, "max-conns", 64, "max-conns-per-host", 32, NULL);
  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy->server, NULL, proxy_cb, proxy, NULL);
  g_assert_true (soup_server_listen_local (proxy->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy->server);
  proxy->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return proxy;
}

static void
letter_proxy_stop (LetterProxy *proxy)
{
  /* Long-polls still waiting end first, answered, then the proxy. */
  soup_session_abort (proxy->session);
  cabut_driver_spin_for (300);
  soup_server_disconnect (proxy->server);
  g_clear_object (&proxy->server);
  g_clear_object (&proxy->session);
  g_free (proxy->upstream);
  g_free (proxy->url);
  g_free (proxy);
}

/* A window of its own talking to the service through @url. */
static CabutWindow *
open_window_at (const char *store_name,
                const char *url)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.cabut.Cabut");
  g_autoptr(CabutContext) context = cabut_context_new (settings);
  g_autofree char *store = g_build_filename (cabut_driver_fixture->dir, store_name, "cabut.db", NULL);
  CabutWindow *window;

  cabut_context_set_store_path (context, store);
  cabut_context_set_server_url (context, url);
  window = cabut_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  cabut_driver_spin_until ((CabutDriverCondition) cabut_window_get_ready, window, 20, "the store to open");

  return window;
}

/* siti opens @request's page in a window of her own; its letter is shown.
 * Returns: (transfer full): the file shown */
static GFile *
letter_shown_at (const char   *url,
                 CabutRequest *request)
{
  CabutWindow *window = open_window_at ("letter-cache", url);
  CabutRequestsView *view = CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window));
  CabutRequestDetails *details = CABUT_REQUEST_DETAILS (cabut_requests_view_get_details (view));
  CabutLetterPreview *preview = CABUT_LETTER_PREVIEW (cabut_request_details_get_letter_preview (details));
  g_autofree char *contents = NULL;
  g_autofree char *checksum = NULL;
  gsize length = 0;
  GFile *file;

  cabut_driver_sign_in_context (cabut_window_get_context (window), "siti.rahmawati");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
  cabut_driver_spin_until ((CabutDriverCondition) cabut_requests_view_get_n_requests, view, 30, "the list");
  cabut_requests_view_open (view, request);
  cabut_driver_spin_until ((CabutDriverCondition) cabut_letter_preview_get_file, preview, 60, "the letter shown");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (preview)));
  file = g_object_ref (cabut_letter_preview_get_file (preview));
  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, NULL));
  g_assert_cmpuint (length, ==, cabut_request_get_letter_size (request));
  checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  g_assert_cmpstr (checksum, ==, cabut_request_get_letter_sha256 (request));
  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_spin_for (200);

  return file;
}

/* The letter filed is downloaded once and kept under its SHA-256: the
 * page opened again shows the kept one; a kept file cut short is found
 * out by its hash, fetched again and shown. Counted at a proxy in front
 * of the service. */
static void
test_letter_cache (void)
{
  g_autoptr(GListModel) requests = cabut_driver_requests_of ("siti.rahmawati");
  g_autoptr(GFile) letter = g_file_new_for_path (cabut_driver_fixture->letter_pdf);
  g_autoptr(CabutRequest) request = NULL;
  g_autoptr(GFile) first = NULL;
  g_autoptr(GFile) second = NULL;
  g_autoptr(GFile) third = NULL;
  g_autoptr(GFile) expected = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  LetterProxy *proxy = letter_proxy_start ();

  /* Run alone, she has filed nothing yet. */
  if (g_list_model_get_n_items (requests) == 0)
    {
      CabutWindow *window = cabut_driver_open_window ("letter-cache-filing");

      cabut_driver_walk_to_sign_in (window, "siti.rahmawati", "siti.rahmawati");
      cabut_driver_press_next (window);
      cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
      cabut_driver_file_from_reason (window, letter);
      gtk_window_destroy (GTK_WINDOW (window));
      g_clear_object (&requests);
      requests = cabut_driver_requests_of ("siti.rahmawati");
    }
  g_assert_cmpuint (g_list_model_get_n_items (requests), >, 0);
  request = g_list_model_get_item (requests, 0);
  g_assert_true (cabut_letter_cache_is_valid_name (cabut_request_get_letter_sha256 (request)));
  expected = cabut_letter_cache_get_file (cabut_request_get_letter_sha256 (request),
                                          cabut_request_get_letter_type (request));
  g_file_delete (expected, NULL, NULL);

  first = letter_shown_at (proxy->url, request);
  g_assert_cmpuint (proxy->n_letters, ==, 1);
  g_assert_true (g_file_equal (first, expected));
  name = g_file_get_basename (first);
  g_assert_true (g_str_has_prefix (name, cabut_request_get_letter_sha256 (request)));

  /* Opened again, another day: the kept one, no download. */
  second = letter_shown_at (proxy->url, request);
  g_assert_cmpuint (proxy->n_letters, ==, 1);
  g_assert_true (g_file_equal (second, expected));

  /* Cut short on disk: found out, fetched again, shown whole. */
  g_assert_true (g_file_replace_contents (expected, "%PDF-1.4\n", 9, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL,
                                          &error));
  g_assert_no_error (error);
  third = letter_shown_at (proxy->url, request);
  g_assert_cmpuint (proxy->n_letters, ==, 2);
  g_assert_true (g_file_equal (third, expected));

  letter_proxy_stop (proxy);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GApplication) application = NULL;
  g_autofree char *cache = g_dir_make_tmp ("cabut-wizard-cache-XXXXXX", NULL);
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("CABUT_SERVER_PROGRAM", g_getenv ("CABUT_SERVER"), TRUE);
  /* It owns the notification server's name and registers the application. */
  cabut_driver_use_private_bus ();
  /* Letters kept by these tests stay out of the user's cache. */
  g_assert_nonnull (cache);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cabut_driver_setup ();

  if (g_getenv ("CABUT_DRIVER_CRASH") != NULL)
    {
      crash_after_outbox ();
      return 1;
    }

  g_test_add_func ("/cabut/wizard/full-flow", test_full_flow);
  g_test_add_func ("/cabut/wizard/already-revoked", test_already_revoked);
  g_test_add_func ("/cabut/wizard/wrong-password", test_wrong_password);
  g_test_add_func ("/cabut/wizard/not-registered", test_not_registered);
  g_test_add_func ("/cabut/wizard/letter-refused", test_letter_refused);
  g_test_add_func ("/cabut/wizard/made-letter", test_made_letter);
  g_test_add_func ("/cabut/wizard/draft-offered-back", test_draft_offered_back);
  g_test_add_func ("/cabut/wizard/service-stopped-during-upload", test_service_stopped_during_upload);
  g_test_add_func ("/cabut/wizard/killed-after-outbox-write", test_killed_after_outbox_write);
  g_test_add_func ("/cabut/wizard/service-info-offline", test_service_info_offline);
  g_test_add_func ("/cabut/wizard/revocation-confirmed", test_revocation_confirmed);
  g_test_add_func ("/cabut/wizard/revocation-disputed", test_revocation_disputed);
  g_test_add_func ("/cabut/wizard/history", test_history);
  g_test_add_func ("/cabut/wizard/file-again", test_file_again);
  g_test_add_func ("/cabut/wizard/notifications", test_notifications);
  g_test_add_func ("/cabut/wizard/letter-cache", test_letter_cache);
  g_test_add_func ("/cabut/wizard/request-details", test_request_details);

  /* Notifications go through an application, to the desktop's server. */
  {
    static const GActionEntry actions[] = { { "show-request", show_request_action, "s" } };

    application = g_application_new ("io.github.cabut.Cabut.Tests", G_APPLICATION_NON_UNIQUE);
    g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions), NULL);
    cabut_driver_notifications_start ();
    g_assert_true (g_application_register (application, NULL, NULL));
  }

  status = g_test_run ();
  cabut_driver_teardown ();
  cabut_test_rm_rf (cache);

  return status;
}
