/* test-approval.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Second approval on the desk's review page, against the real demo service
 * started with --second-approval: dewi.verifikator proposes, a different
 * officer (rina.verifikator) sees the proposal and confirms it (the CA
 * revokes: a CRL number and OCSP "revoked") or declines it with a note
 * (back in review, undecided); the proposer is never offered to confirm
 * her own, and is told clearly when the service refuses it.
 */

#include "config.h"

#include <string.h>

#include "cabut-review-page.h"
#include "cabut-test-util.h"
#include "cabut-wizard-driver.h"

static gboolean
not_busy (gpointer data)
{
  return !cabut_review_page_get_busy (data);
}

static gboolean
has_service_info (gpointer data)
{
  return cabut_context_get_service_info (data) != NULL;
}

static gboolean
ca_answered (gpointer data)
{
  const char *confirmation = cabut_review_page_get_confirmation (data);

  return !cabut_review_page_get_busy (data) && confirmation != NULL && !g_str_has_suffix (confirmation, "…");
}

static gboolean
has_notice (gpointer data)
{
  return cabut_review_page_get_notice (data) != NULL && !cabut_review_page_get_busy (data);
}

/* A signed-in officer's context, once it knows the service runs with second approval. */
static CabutContext *
officer (const char *username)
{
  CabutContext *context = cabut_driver_context_of (username);

  cabut_driver_spin_until (has_service_info, context, 30, "the service's information");
  g_assert_true (cabut_service_info_get_second_approval (cabut_context_get_service_info (context)));

  return context;
}

static CabutRequest *
request_of (CabutReviewPage *page)
{
  return cabut_review_get_request (cabut_review_page_get_review (page));
}

static void
close_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  cabut_driver_spin_for (100);
}

/* The title and subtitle of the decision group's row named @name. */
static void
assert_row (CabutReviewPage *page,
            const char      *name,
            const char      *title,
            const char      *subtitle_part)
{
  GtkWidget *row = cabut_driver_find_named (cabut_driver_template_child (page, "decision_group"), name);

  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, title);
  if (subtitle_part != NULL)
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), subtitle_part));
}

static gboolean
shown (CabutReviewPage *page,
       const char      *child)
{
  GtkWidget *widget = cabut_driver_template_child (page, child);

  return gtk_widget_get_visible (widget) && gtk_widget_is_sensitive (widget);
}

/* Answers the dialog that opened with @response, and waits for the page. */
static void
answer_dialog (CabutReviewPage *page,
               GtkWidget       *dialog,
               const char      *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  cabut_driver_spin_until (not_busy, page, 60, response);
  cabut_driver_wait_review (page);
}

/* Writes @note in the open note dialog (to reject or to decline). */
static GtkWidget *
note_dialog_with (CabutReviewPage *page,
                  const char      *response,
                  const char      *note)
{
  GtkWidget *dialog = cabut_review_page_get_reject_dialog (page);
  GtkTextBuffer *buffer;

  g_autofree char *stripped = g_strstrip (g_strdup (note));

  g_assert_nonnull (dialog);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (cabut_driver_find_named (dialog, "note")));
  gtk_text_buffer_set_text (buffer, "", -1);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), response));
  gtk_text_buffer_set_text (buffer, note, -1);
  /* Only a note with words in it. */
  g_assert_cmpint (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), response), ==,
                   *stripped != '\0');

  return dialog;
}

static CabutRequest *
decide_as (const char *username,
           const char *request_id,
           const char *action,
           const char *note)
{
  g_autoptr(CabutAmsClient) client = cabut_driver_client_of (username);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CabutRequest *request;

  cabut_ams_client_decide_async (client, request_id, action, note, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, action);
  request = cabut_ams_client_decide_finish (client, result, &error);
  g_assert_no_error (error);

  return request;
}

/* dewi proposes an approval: nothing is revoked, she waits; rina sees
 * the proposal and confirms it: revoked, with the CRL that lists it and
 * the CA's OCSP answer. */
static void
test_propose_and_confirm (void)
{
  g_autofree char *id = cabut_driver_file_request ("siti.rahmawati", "superseded", cabut_driver_fixture->letter_pdf);
  g_autoptr(CabutContext) dewi = officer ("dewi.verifikator");
  g_autoptr(CabutContext) rina = officer ("rina.verifikator");
  g_autoptr(CabutRequest) seen = NULL;
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (dewi, id, &window);
  GtkWidget *dialog;
  CabutRequest *request;

  /* The buttons say they propose. */
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (cabut_driver_template_child (page, "approve_button"))), ==,
                   "_Propose Approval…");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (cabut_driver_template_child (page, "reject_button"))), ==,
                   "Propose _Rejection…");
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "confirm_button")));

  gtk_widget_activate_action (GTK_WIDGET (page), "review.approve", NULL);
  dialog = cabut_driver_wait_for_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Propose Approval?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Another officer must confirm"));
  answer_dialog (page, dialog, "approve");

  request = request_of (page);
  g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_IN_REVIEW);
  g_assert_cmpstr (cabut_request_get_pending_action (request), ==, "approve");
  g_assert_cmpstr (cabut_request_get_pending_by_username (request), ==, "dewi.verifikator");
  g_assert_nonnull (cabut_request_get_pending_at (request));
  g_test_message ("notice: %s", cabut_review_page_get_notice (page));
  assert_row (page, "pending", "Approval proposed", "Dewi Lestari, S.T.");
  assert_row (page, "waiting", "Waiting for another officer to confirm", NULL);
  /* The proposer: no confirm, no decline, no second proposal. */
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "confirm_button")));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "decline_button")));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "approve_button")));
  gtk_widget_activate_action (GTK_WIDGET (page), "review.confirm", NULL);
  cabut_driver_spin_for (200);
  g_assert_false (cabut_review_page_get_busy (page));
  g_assert_cmpint (cabut_request_get_state (request_of (page)), ==, CABUT_REQUEST_STATE_IN_REVIEW);
  close_window (window);

  /* rina: the proposal, by whom and when, to confirm or decline. */
  page = cabut_driver_open_review (rina, id, &window);
  assert_row (page, "pending", "Approval proposed", "Dewi Lestari, S.T.");
  assert_row (page, "pending_note", "Note", "None");
  assert_row (page, "waiting", "Another officer must confirm it", NULL);
  g_assert_true (shown (page, "confirm_button"));
  g_assert_true (shown (page, "decline_button"));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "approve_button")));

  gtk_widget_activate_action (GTK_WIDGET (page), "review.confirm", NULL);
  dialog = cabut_driver_wait_for_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Confirm the Approval?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "This cannot be undone."));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Dewi Lestari, S.T."));
  answer_dialog (page, dialog, "confirm");
  cabut_driver_spin_until (ca_answered, page, 60, "the CA's answer");

  request = request_of (page);
  g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_REVOKED);
  g_assert_null (cabut_request_get_pending_action (request));
  g_assert_cmpint (cabut_review_page_get_crl_number (page), >, 0);
  g_assert_true (g_str_has_prefix (cabut_review_page_get_confirmation (page), "OCSP: revoked at "));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "confirm_button")));

  /* The applicant: revoked. */
  {
    g_autoptr(CabutAmsClient) client = cabut_driver_client_of ("siti.rahmawati");
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    cabut_ams_client_get_request_async (client, id, NULL, cabut_test_result_cb, &result);
    cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the request");
    seen = cabut_ams_client_get_request_finish (client, result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cabut_request_get_state (seen), ==, CABUT_REQUEST_STATE_REVOKED);
  }

  close_window (window);
}

/* dewi proposes a rejection with a note; rina declines it with hers: back
 * in review, undecided, to be proposed again. */
static void
test_propose_and_decline (void)
{
  g_autofree char *id = cabut_driver_file_request ("budi.santoso", "superseded", cabut_driver_fixture->letter_pdf);
  g_autoptr(CabutContext) dewi = officer ("dewi.verifikator");
  g_autoptr(CabutContext) rina = officer ("rina.verifikator");
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (dewi, id, &window);
  GtkWidget *dialog;
  CabutRequest *request;
  GListModel *events;
  g_autoptr(CabutRequestEvent) last = NULL;

  gtk_widget_activate_action (GTK_WIDGET (page), "review.reject", NULL);
  dialog = note_dialog_with (page, "reject", "Surat belum ditandatangani.");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Propose Rejection?");
  answer_dialog (page, dialog, "reject");
  request = request_of (page);
  g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_IN_REVIEW);
  g_assert_cmpstr (cabut_request_get_pending_action (request), ==, "reject");
  g_assert_cmpstr (cabut_request_get_pending_note (request), ==, "Surat belum ditandatangani.");
  assert_row (page, "pending", "Rejection proposed", "Dewi Lestari, S.T.");
  close_window (window);

  page = cabut_driver_open_review (rina, id, &window);
  assert_row (page, "pending_note", "Note", "Surat belum ditandatangani.");
  gtk_widget_activate_action (GTK_WIDGET (page), "review.decline", NULL);
  /* A blank note does not decline. */
  note_dialog_with (page, "decline", "   ");
  dialog = note_dialog_with (page, "decline", "Tanda tangan sudah ada di halaman 2.");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Decline the Proposal?");
  g_assert_null (cabut_driver_find_named (dialog, "cause-unsigned"));
  answer_dialog (page, dialog, "decline");

  request = request_of (page);
  g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_IN_REVIEW);
  g_assert_null (cabut_request_get_pending_action (request));
  g_assert_null (cabut_request_get_decided_at (request));
  events = cabut_request_get_events (request);
  last = g_list_model_get_item (events, g_list_model_get_n_items (events) - 1);
  g_assert_cmpstr (cabut_request_event_get_kind (last), ==, "decision_declined");
  g_assert_cmpstr (cabut_request_event_get_note (last), ==, "Tanda tangan sudah ada di halaman 2.");
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "decision_group")));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "confirm_button")));
  g_assert_true (shown (page, "approve_button"));
  g_assert_true (shown (page, "reject_button"));

  close_window (window);
}

/* dewi's page still shows rina's proposal when dewi's own replaced it
 * meanwhile: confirming is refused (403 own_proposal), and the page says
 * why and shows her own proposal, waiting. */
static void
test_own_proposal_refused (void)
{
  g_autofree char *id = cabut_driver_file_request ("agus.wijaya", "superseded", cabut_driver_fixture->letter_pdf);
  g_autoptr(CabutContext) dewi = officer ("dewi.verifikator");
  g_autoptr(CabutRequest) proposed = decide_as ("rina.verifikator", id, "approve", NULL);
  g_autoptr(CabutRequest) declined = NULL;
  g_autoptr(CabutRequest) own = NULL;
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (dewi, id, &window);
  GtkWidget *dialog;

  g_assert_cmpstr (cabut_request_get_pending_by_username (proposed), ==, "rina.verifikator");
  g_assert_true (shown (page, "confirm_button"));

  declined = decide_as ("rina.verifikator", id, "decline", "Diajukan ulang oleh Dewi.");
  own = decide_as ("dewi.verifikator", id, "approve", NULL);
  g_assert_cmpstr (cabut_request_get_pending_by_username (own), ==, "dewi.verifikator");

  gtk_widget_activate_action (GTK_WIDGET (page), "review.confirm", NULL);
  dialog = cabut_driver_wait_for_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cabut_driver_spin_until (has_notice, page, 30, "the refusal");
  cabut_driver_wait_review (page);

  g_assert_true (g_str_has_prefix (cabut_review_page_get_notice (page),
                                   "You proposed this decision yourself: another officer must confirm it ("));
  g_assert_cmpint (cabut_request_get_state (request_of (page)), ==, CABUT_REQUEST_STATE_IN_REVIEW);
  g_assert_cmpstr (cabut_request_get_pending_by_username (request_of (page)), ==, "dewi.verifikator");
  assert_row (page, "waiting", "Waiting for another officer to confirm", NULL);
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (page, "confirm_button")));

  close_window (window);
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
  cabut_driver_set_second_approval (TRUE);

  g_test_add_func ("/cabut/approval/propose-and-confirm", test_propose_and_confirm);
  g_test_add_func ("/cabut/approval/propose-and-decline", test_propose_and_decline);
  g_test_add_func ("/cabut/approval/own-proposal-refused", test_own_proposal_refused);

  status = g_test_run ();
  cabut_driver_teardown ();

  return status;
}
