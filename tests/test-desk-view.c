/* test-desk-view.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The service desk, driven in this process under Xvfb, against the real
 * cabut-server started as `cabut --demo` starts it (a child process on
 * loopback): signing in on the desk, the queue in deadline order with the
 * service's counts, search, the state filter, news from the event feed,
 * an applicant refused, and paging to the end of a long queue.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cabut-audit-view.h"
#include "cabut-core.h"
#include "cabut-desk-view.h"
#include "cabut-queue-view.h"
#include "cabut-test-util.h"
#include "cabut-window.h"
#include "cabut-wizard-driver.h"

#define SIGN_IN_SECONDS 60
/* Requests added for paging: more than GTK 4.8's list view makes rows for
 * at once (up to 200, the screenful and around it). */
#define N_PAGING 299

/* ---------------------------------------------------------------------- */

static char *
db_path (void)
{
  return g_build_filename (cabut_demo_service_get_data_dir (cabut_driver_fixture->demo), "cabut.db", NULL);
}

/* The numbers of the requests in @state ("open" for both undecided ones),
 * in the queue's order, as the service's database holds them. */
static GPtrArray *
db_queue (const char *state)
{
  g_autofree char *path = db_path ();
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("SELECT number FROM requests WHERE state IN (%s) ORDER BY due_at, id",
                         g_str_equal (state, "open") ? "'submitted', 'in_review'" : "'cancelled'");
  return cabut_test_db_strings (path, sql);
}

static gboolean
queue_idle (gpointer data)
{
  CabutQueue *queue = data;

  return cabut_queue_get_loaded (queue) && !cabut_queue_get_loading (queue) && cabut_queue_get_counts (queue);
}

static gboolean
desk_open (gpointer data)
{
  return cabut_desk_view_get_officer (data);
}

static gboolean
status_said (gpointer data)
{
  return strstr (cabut_desk_view_get_status (data), "Only verification officers") != NULL;
}

static CabutDeskView *
open_desk (CabutWindow *window)
{
  CabutDeskView *desk = CABUT_DESK_VIEW (cabut_window_get_desk_view (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", NULL));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (desk)) ||
                 gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (desk)))) ==
                 GTK_WIDGET (desk));
  return desk;
}

static void
sign_in_on_desk (CabutDeskView *desk,
                 const char    *username)
{
  CabutDemoAccount *account = cabut_driver_demo_account (username);
  GtkWidget *button = cabut_desk_view_get_sign_in_button (desk);

  g_assert_cmpstr (cabut_desk_view_get_visible (desk), ==, "sign-in");
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (desk, "username_row")), username);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (desk, "password_row")),
                         cabut_demo_account_get_password (account));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

typedef struct
{
  CabutQueue *queue;
  const char *search;
} Search;

static gboolean
searched (gpointer data)
{
  Search *search = data;

  return g_strcmp0 (cabut_queue_get_search (search->queue), search->search) == 0 && queue_idle (search->queue);
}

/* Types @text into the search entry and waits for its answer. */
static void
search (CabutQueueView *view,
        const char     *text)
{
  Search wanted = { cabut_queue_view_get_queue (view), *text != '\0' ? text : NULL };

  gtk_editable_set_text (GTK_EDITABLE (cabut_queue_view_get_search_entry (view)), text);
  cabut_driver_spin_until (searched, &wanted, 30, "the search's answer");
}

static void
choose_state (CabutQueueView *view,
              guint           position,
              const char     *state)
{
  CabutQueue *queue = cabut_queue_view_get_queue (view);

  gtk_drop_down_set_selected (cabut_queue_view_get_filter (view), position);
  g_assert_cmpstr (cabut_queue_get_state (queue), ==, state);
  cabut_driver_spin_until (queue_idle, queue, 30, "the state's requests");
}

typedef struct
{
  CabutQueue *queue;
  guint       n;
} Count;

static gboolean
has_n_items (gpointer data)
{
  Count *count = data;

  return queue_idle (count->queue) && g_list_model_get_n_items (G_LIST_MODEL (count->queue)) == count->n;
}

static gboolean
view_shows_error (gpointer view)
{
  return g_str_equal (cabut_queue_view_get_visible (view), "error");
}

/* ---------------------------------------------------------------------- */

static void
test_queue (void)
{
  g_autofree char *siti = cabut_driver_submit ("siti.rahmawati");
  g_autofree char *agus = cabut_driver_submit ("agus.wijaya");
  CabutWindow *window = cabut_driver_open_window ("desk-queue");
  CabutDeskView *desk = open_desk (window);
  CabutQueueView *view = cabut_desk_view_get_queue_view (desk);
  CabutQueue *queue = cabut_queue_view_get_queue (view);
  g_autoptr(GPtrArray) expected = db_queue ("open");
  CabutQueueCounts *counts;

  /* Nobody signed in: the desk's own form, the demo's officer filled in. */
  g_assert_cmpstr (cabut_desk_view_get_visible (desk), ==, "sign-in");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cabut_driver_template_child (desk, "username_row"))), ==,
                   "dewi.verifikator");
  g_assert_true (gtk_widget_get_sensitive (cabut_desk_view_get_sign_in_button (desk)));
  g_signal_emit_by_name (cabut_desk_view_get_sign_in_button (desk), "clicked");
  cabut_driver_spin_until (desk_open, desk, SIGN_IN_SECONDS, "the officer signed in");
  cabut_driver_spin_until (queue_idle, queue, 30, "the queue");
  g_assert_cmpstr (cabut_desk_view_get_visible (desk), ==, "sections");
  /* The focus on the first row: arrows and Enter work at once. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_get_parent (focus) ==
                   gtk_widget_get_first_child (GTK_WIDGET (cabut_queue_view_get_column_view (view))) ||
                   gtk_widget_get_parent (gtk_widget_get_parent (focus)) ==
                   GTK_WIDGET (cabut_queue_view_get_column_view (view)));
    g_assert_cmpstr (G_OBJECT_TYPE_NAME (focus), ==, "GtkListItemWidget");
  }

  /* The demo's open requests, soonest deadline first; the counts exact. */
  g_assert_cmpuint (expected->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (expected, 0), ==, siti);
  g_assert_cmpstr (g_ptr_array_index (expected, 1), ==, agus);
  cabut_test_assert_request_ids (G_LIST_MODEL (queue), expected);
  g_assert_cmpstr (cabut_queue_view_get_visible (view), ==, "list");
  counts = cabut_queue_get_counts (queue);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "open"), ==, 2);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "submitted"), ==, 2);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "in_review"), ==, 0);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "cancelled"), ==, 0);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "all"), ==, 2);
  g_assert_cmpuint (cabut_queue_counts_get_overdue (counts), ==, 0);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (cabut_queue_view_get_filter (view))),
                   ==, "Open (2)");

  /* Search by NIP: siti's request only; then nothing for nobody. */
  search (view, "199006152015032002");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 1);
  {
    g_autoptr(CabutRequest) request = g_list_model_get_item (G_LIST_MODEL (queue), 0);

    g_assert_cmpstr (cabut_request_get_id (request), ==, siti);
    g_assert_cmpstr (cabut_request_get_applicant_nip (request), ==, "199006152015032002");
  }
  search (view, "Nobody Here");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 0);
  g_assert_cmpstr (cabut_queue_view_get_visible (view), ==, "no-match");
  search (view, "");
  cabut_test_assert_request_ids (G_LIST_MODEL (queue), expected);

  /* The state filter: nothing cancelled yet, then the open ones again. */
  choose_state (view, 5, "cancelled");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 0);
  g_assert_cmpstr (cabut_queue_view_get_visible (view), ==, "empty");
  choose_state (view, 0, "open");
  cabut_test_assert_request_ids (G_LIST_MODEL (queue), expected);

  /* News from the event feed: agus cancels; the queue and the counts follow,
   * and siti's request stays selected. */
  gtk_selection_model_select_item (gtk_column_view_get_model (cabut_queue_view_get_column_view (view)), 0, TRUE);
  g_assert_cmpstr (cabut_queue_view_get_selected_id (view), ==, siti);
  cabut_driver_cancel ("agus.wijaya", agus);
  {
    Count count = { queue, 1 };

    cabut_driver_spin_until (has_n_items, &count, 30, "the queue to follow the cancellation");
  }
  cabut_driver_spin_until (queue_idle, queue, 30, "the counts");
  counts = cabut_queue_get_counts (queue);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "open"), ==, 1);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "cancelled"), ==, 1);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "all"), ==, 2);
  g_assert_cmpstr (cabut_queue_view_get_selected_id (view), ==, siti);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (
                      cabut_queue_view_get_column_view (view)))), ==, 0);

  /* Ctrl+F's action puts the focus in the search entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (desk), "desk.search", NULL));
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (cabut_queue_view_get_search_entry (view))));
  }

  /* Activating a row (Enter) opens its review, read from the service
   * (the request of that row, its letter); Back returns to the queue. */
  {
    g_autoptr(CabutRequest) first = g_list_model_get_item (G_LIST_MODEL (queue), 0);
    CabutReviewPage *review = cabut_desk_view_get_review_page (desk);

    g_signal_emit_by_name (cabut_queue_view_get_column_view (view), "activate", 0);
    g_assert_cmpstr (cabut_desk_view_get_visible (desk), ==, "review");
    cabut_driver_wait_review (review);
    g_assert_nonnull (cabut_review_page_get_review (review));
    g_assert_cmpstr (cabut_request_get_id (cabut_review_get_request (cabut_review_page_get_review (review))), ==,
                     cabut_request_get_id (first));
  }
  /* The officer's complaints, filing for an applicant and bulk revocation
   * are sections of the desk beside the queue; the audit log is only the
   * administrators'. */
  g_assert_nonnull (cabut_desk_view_get_complaints (desk));
  g_assert_true (cabut_desk_view_get_section (desk, "complaints") == cabut_desk_view_get_complaints (desk));
  g_assert_nonnull (cabut_desk_view_get_section (desk, "filing"));
  g_assert_nonnull (cabut_desk_view_get_section (desk, "bulk"));
  g_assert_null (cabut_desk_view_get_section (desk, "audit"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (desk), "desk.back", NULL));
  g_assert_cmpstr (cabut_desk_view_get_visible (desk), ==, "sections");

  /* Signed out: the form again, nothing of the queue left in view. */
  cabut_context_sign_out (cabut_window_get_context (window));
  g_assert_cmpstr (cabut_desk_view_get_visible (desk), ==, "sign-in");
  g_assert_null (cabut_desk_view_get_complaints (desk));
  g_assert_null (cabut_desk_view_get_section (desk, "bulk"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An administrator (the agency's official) has the audit log as a section
 * too, reading the service's log. */
static void
test_admin_sections (void)
{
  CabutWindow *window = cabut_driver_open_window ("desk-admin");
  CabutDeskView *desk = open_desk (window);
  GtkWidget *audit;

  sign_in_on_desk (desk, "admin");
  cabut_driver_spin_until (desk_open, desk, SIGN_IN_SECONDS, "the administrator signed in");
  g_assert_cmpstr (cabut_desk_view_get_visible (desk), ==, "sections");
  audit = cabut_desk_view_get_section (desk, "audit");
  g_assert_true (CABUT_IS_AUDIT_VIEW (audit));
  cabut_driver_spin_until (cabut_driver_is_not_busy, audit, 30, "the audit log");
  /* The demo's accounts, created when the service first started, at least. */
  g_assert_cmpuint (g_list_model_get_n_items (cabut_audit_view_get_entries (CABUT_AUDIT_VIEW (audit))), >=, 5);
  g_assert_nonnull (cabut_desk_view_get_section (desk, "complaints"));
  g_assert_nonnull (cabut_desk_view_get_section (desk, "bulk"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_applicant_refused (void)
{
  CabutWindow *window = cabut_driver_open_window ("desk-applicant");
  CabutDeskView *desk = open_desk (window);
  CabutQueue *queue = cabut_queue_view_get_queue (cabut_desk_view_get_queue_view (desk));

  sign_in_on_desk (desk, "budi.santoso");
  cabut_driver_spin_until (status_said, desk, SIGN_IN_SECONDS, "the applicant told");
  g_assert_cmpstr (cabut_desk_view_get_status (desk), ==,
                   "Only verification officers may use the service desk. Budi Santoso, S.Kom. is signed in as "
                   "an applicant: sign in with an officer's account to open it.");
  g_assert_cmpstr (cabut_desk_view_get_visible (desk), ==, "sign-in");
  g_assert_false (cabut_desk_view_get_officer (desk));
  g_assert_null (cabut_queue_get_client (queue));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Many pages of five: scrolled to the end, every row once, each page
 * fetched once. */
static void
test_paging (void)
{
  g_autofree char *path = db_path ();
  g_autoptr(GPtrArray) expected = NULL;
  CabutWindow *window;
  CabutDeskView *desk;
  CabutQueueView *view;
  CabutQueue *queue;
  GtkAdjustment *adjustment;
  guint listed;
  guint pages;

  cabut_test_add_open_requests (path, "budi.santoso", N_PAGING);
  expected = db_queue ("open");
  g_assert_cmpuint (expected->len, ==, N_PAGING + 1);

  /* A short window: a screenful is less than the queue. */
  cabut_driver_fixture->height = 360;
  window = cabut_driver_open_window ("desk-paging");
  cabut_driver_fixture->height = 0;
  desk = open_desk (window);
  view = cabut_desk_view_get_queue_view (desk);
  queue = cabut_queue_view_get_queue (view);
  cabut_queue_set_page_size (queue, 5);
  sign_in_on_desk (desk, "dewi.verifikator");
  cabut_driver_spin_until (desk_open, desk, SIGN_IN_SECONDS, "the officer signed in");
  cabut_driver_spin_until (queue_idle, queue, 30, "the queue");
  g_assert_cmpuint (cabut_queue_counts_get (cabut_queue_get_counts (queue), "open"), ==, N_PAGING + 1);

  /* The event feed's first answer (every event so far) reads the rows
   * listed again once, a moment after signing in: let it pass. */
  cabut_driver_spin_for (1500);
  cabut_driver_spin_until (queue_idle, queue, 30, "the queue");
  listed = g_list_model_get_n_items (G_LIST_MODEL (queue));
  pages = cabut_queue_get_pages_fetched (queue);
  g_test_message ("%u rows in view before scrolling, %u pages read", listed, pages);
  g_assert_cmpuint (listed, <, N_PAGING + 1);
  g_assert_cmpuint (listed % 5, ==, 0);

  /* Scrolled to the bottom until every page is in: the rest in pages of
   * five, each read once. */
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (cabut_queue_view_get_column_view (view)));
  for (guint i = 0; i < 20 && !cabut_queue_get_complete (queue); i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      cabut_driver_spin_for (100);
      cabut_driver_spin_until (queue_idle, queue, 30, "a page");
    }
  g_assert_true (cabut_queue_get_complete (queue));
  cabut_test_assert_request_ids (G_LIST_MODEL (queue), expected);
  g_assert_cmpuint (cabut_queue_get_pages_fetched (queue) - pages, ==, (N_PAGING + 1 - listed + 4) / 5);
  pages = cabut_queue_get_pages_fetched (queue);

  /* News while scrolled down: Siti cancels; the rows left stay listed,
   * read again in one page, not cut back to the first five. */
  {
    g_autoptr(GPtrArray) siti = cabut_test_db_strings (path, "SELECT r.number FROM requests r JOIN accounts a "
                                                             "ON a.id = r.account_id WHERE a.username = "
                                                             "'siti.rahmawati' AND r.state = 'submitted'");
    g_autoptr(GPtrArray) left = NULL;
    Count count = { queue, N_PAGING };

    g_assert_cmpuint (siti->len, ==, 1);
    cabut_driver_cancel ("siti.rahmawati", g_ptr_array_index (siti, 0));
    cabut_driver_spin_until (has_n_items, &count, 30, "the queue to follow the cancellation");
    left = db_queue ("open");
    cabut_test_assert_request_ids (G_LIST_MODEL (queue), left);
    g_assert_true (cabut_queue_get_complete (queue));
    /* Read again: one page per burst of news (the feed may bring two). */
    g_assert_cmpuint (cabut_queue_get_pages_fetched (queue), >, pages);
  }

  /* Out of reach: a state with nothing in it, the service stopped, then
   * brought up to date: the desk says so, with Retry; the service back,
   * Retry answers again. */
  choose_state (view, 4, "rejected");
  g_assert_cmpstr (cabut_queue_view_get_visible (view), ==, "empty");
  cabut_driver_stop_service ();
  g_signal_emit_by_name (cabut_driver_template_child (view, "refresh_button"), "clicked");
  cabut_driver_spin_until (view_shows_error, view, 60, "the service said out of reach");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 0);
  g_assert_error (cabut_queue_get_error (queue), CABUT_AMS_ERROR, CABUT_AMS_ERROR_NETWORK);
  cabut_driver_start_service ();
  g_signal_emit_by_name (cabut_driver_template_child (view, "retry_button"), "clicked");
  cabut_driver_spin_until (queue_idle, queue, 60, "the answer after Retry");
  g_assert_null (cabut_queue_get_error (queue));
  g_assert_cmpstr (cabut_queue_view_get_visible (view), ==, "empty");

  gtk_window_destroy (GTK_WINDOW (window));
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

  /* In this order: each finds what the one before left at the service. */
  g_test_add_func ("/cabut/desk/queue", test_queue);
  g_test_add_func ("/cabut/desk/admin-sections", test_admin_sections);
  g_test_add_func ("/cabut/desk/applicant-refused", test_applicant_refused);
  g_test_add_func ("/cabut/desk/paging", test_paging);

  status = g_test_run ();
  cabut_driver_teardown ();

  return status;
}
