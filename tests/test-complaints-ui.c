/* test-complaints-ui.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Complaints in the app against the real service (as `cabut --demo` starts
 * it): an applicant files one in their window's Complaints; the desk
 * officer answers it in CabutComplaintsDesk and the applicant is told;
 * the officer escalates it, and may then neither answer nor settle it; the
 * official (admin) resolves it at a desk of their own; the applicant sees
 * the whole conversation. With $CABUT_COMPLAINTS_SHOTS set, each step is
 * also saved there as a PNG. */

#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>
#include <string.h>

#include "cabut-complaint-thread.h"
#include "cabut-complaints-desk.h"
#include "cabut-complaints-view.h"
#include "cabut-test-util.h"
#include "cabut-tracker.h"
#include "cabut-wizard-driver.h"

static void
shoot (GtkWidget  *window,
       const char *name)
{
  const char *dir = g_getenv ("CABUT_COMPLAINTS_SHOTS");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  file = g_strdup_printf ("%s-%s.png", g_getenv ("LANGUAGE"), name);
  path = g_build_filename (dir, file, NULL);
  cabut_driver_save_png (window, path);
}

static gboolean
is_not_busy (gpointer widget)
{
  gboolean busy = TRUE;

  g_object_get (widget, "busy", &busy, NULL);
  return !busy;
}

static void
wait_idle (gpointer widget)
{
  cabut_driver_spin_for (100);
  cabut_driver_spin_until (is_not_busy, widget, 30, "the service's answer");
}

static void
type_into (GtkWidget  *owner,
           const char *child,
           const char *text)
{
  GtkWidget *view = cabut_driver_template_child (owner, child);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static void
click (GtkWidget  *owner,
       const char *child)
{
  GtkWidget *button = cabut_driver_template_child (owner, child);

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static CabutComplaint *
shown (GtkWidget *thread)
{
  CabutComplaint *complaint = cabut_complaint_thread_get_complaint (CABUT_COMPLAINT_THREAD (thread));

  g_assert_nonnull (complaint);
  return complaint;
}

/* An officer's desk in a window of its own, as the desk shell will hold it. */
static GtkWidget *
open_desk (const char    *username,
           CabutContext **context_out)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.cabut.Cabut");
  CabutContext *context = cabut_context_new (settings);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *desk;

  cabut_context_set_server_url (context, cabut_driver_fixture->url);
  cabut_driver_sign_in_context (context, username);
  desk = cabut_complaints_desk_new (context);
  gtk_window_set_child (GTK_WINDOW (window), desk);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  gtk_window_present (GTK_WINDOW (window));
  wait_idle (desk);
  *context_out = context;

  return desk;
}

/* Chooses @id in the desk's list as a click would. */
static void
choose (GtkWidget  *desk,
        const char *id)
{
  GtkListBox *list = GTK_LIST_BOX (cabut_driver_template_child (desk, "list_box"));
  GListModel *complaints = cabut_complaints_desk_get_complaints (CABUT_COMPLAINTS_DESK (desk));
  GtkListBoxRow *row = NULL;
  guint position = G_MAXUINT;

  for (guint i = 0; i < g_list_model_get_n_items (complaints); i++)
    {
      g_autoptr(CabutComplaint) complaint = g_list_model_get_item (complaints, i);

      if (g_str_equal (cabut_complaint_get_id (complaint), id))
        position = i;
      /* Oldest first. */
      if (i > 0)
        {
          g_autoptr(CabutComplaint) before = g_list_model_get_item (complaints, i - 1);
          g_assert_cmpint (g_date_time_compare (cabut_complaint_get_created_at (before),
                                                cabut_complaint_get_created_at (complaint)), <=, 0);
        }
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  row = gtk_list_box_get_row_at_index (list, position);
  g_signal_emit_by_name (list, "row-activated", row);
  wait_idle (desk);
  g_assert_cmpstr (cabut_complaint_get_id (shown (cabut_complaints_desk_get_thread (CABUT_COMPLAINTS_DESK (desk)))),
                   ==, id);
}

typedef struct
{
  GtkWidget           *thread;
  CabutComplaintState  state;
} Shows;

static gboolean
shows_state (gpointer data)
{
  Shows *shows = data;
  CabutComplaint *complaint = cabut_complaint_thread_get_complaint (CABUT_COMPLAINT_THREAD (shows->thread));

  return complaint != NULL && cabut_complaint_get_state (complaint) == shows->state;
}

static char *
typed_text (GtkWidget  *owner,
            const char *child)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (cabut_driver_template_child (owner, child)));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

typedef struct
{
  CabutComplaintsDesk *desk;
  const char          *id;
} DeskLists;

static gboolean
desk_lists (gpointer data)
{
  DeskLists *lists = data;
  GListModel *complaints = cabut_complaints_desk_get_complaints (lists->desk);

  for (guint i = 0; i < g_list_model_get_n_items (complaints); i++)
    {
      g_autoptr(CabutComplaint) complaint = g_list_model_get_item (complaints, i);

      if (g_str_equal (cabut_complaint_get_id (complaint), lists->id))
        return TRUE;
    }

  return FALSE;
}

static void
test_filed_answered_escalated_resolved (void)
{
  CabutWindow *window = cabut_driver_open_window ("complaints");
  CabutContext *context = cabut_window_get_context (window);
  GtkWidget *view = cabut_window_get_complaints_view (window);
  GtkWidget *thread = cabut_complaints_view_get_thread (CABUT_COMPLAINTS_VIEW (view));
  g_autoptr(CabutContext) dewi_context = NULL;
  g_autoptr(CabutContext) admin_context = NULL;
  GtkWidget *desk;
  GtkWidget *desk_thread;
  GtkWidget *official_desk;
  g_autofree char *id = NULL;
  guint notified;

  /* Not signed in: nothing to show but how. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-complaints", NULL);
  g_assert_cmpstr (cabut_complaints_view_get_page (CABUT_COMPLAINTS_VIEW (view)), ==, "signed-out");

  /* Filed from the main menu's Complaints. */
  cabut_driver_sign_in_context (context, "budi.santoso");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-complaints", NULL);
  wait_idle (view);
  g_assert_cmpstr (cabut_complaints_view_get_page (CABUT_COMPLAINTS_VIEW (view)), ==, "empty");
  shoot (GTK_WIDGET (window), "1-no-complaints");
  click (view, "new_button");
  g_assert_cmpstr (cabut_complaints_view_get_page (CABUT_COMPLAINTS_VIEW (view)), ==, "new");
  click (view, "file_button");
  g_assert_true (gtk_widget_get_visible (cabut_driver_template_child (view, "new_error")));
  type_into (view, "new_text", "Sudah dua hari kerja permohonan saya belum diputuskan. Mohon kabarnya.");
  shoot (GTK_WIDGET (window), "2-new-complaint");
  click (view, "file_button");
  wait_idle (view);
  g_assert_cmpstr (cabut_complaints_view_get_page (CABUT_COMPLAINTS_VIEW (view)), ==, "thread");
  id = g_strdup (cabut_complaint_get_id (shown (thread)));
  g_assert_true (g_str_has_prefix (id, "CBT-K-"));
  g_assert_cmpint (cabut_complaint_get_state (shown (thread)), ==, CABUT_COMPLAINT_STATE_OPEN);
  g_assert_cmpuint (g_list_model_get_n_items (cabut_complaint_get_entries (shown (thread))), ==, 1);
  g_assert_true (gtk_widget_get_visible (cabut_driver_template_child (thread, "reply_button")));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (thread, "answer_button")));
  g_assert_cmpuint (g_list_model_get_n_items (cabut_complaints_view_get_complaints (CABUT_COMPLAINTS_VIEW (view))),
                    ==, 1);
  shoot (GTK_WIDGET (window), "3-filed");

  /* The desk answers; the applicant's feed tells them. */
  desk = open_desk ("dewi.verifikator", &dewi_context);
  desk_thread = cabut_complaints_desk_get_thread (CABUT_COMPLAINTS_DESK (desk));
  choose (desk, id);
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (desk_thread, "reply_button")));
  notified = cabut_tracker_get_n_notified (cabut_window_get_tracker (window));
  /* The applicant is writing a reply meanwhile. */
  type_into (thread, "text_view", "Terima kasih, saya tunggu");
  type_into (desk_thread, "text_view", "Permohonan Bapak sedang kami periksa; hasilnya hari ini juga.");
  shoot (gtk_widget_get_ancestor (desk, GTK_TYPE_WINDOW), "4-desk");
  click (desk_thread, "answer_button");
  wait_idle (desk);
  g_assert_cmpint (cabut_complaint_get_state (shown (desk_thread)), ==, CABUT_COMPLAINT_STATE_ANSWERED);
  {
    CabutTracker *tracker = cabut_window_get_tracker (window);
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (cabut_tracker_get_n_notified (tracker) == notified)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
    g_assert_cmpuint (cabut_tracker_get_n_notified (tracker), ==, notified + 1);
  }
  /* The applicant's open conversation shows the answer by itself, and the
   * reply being written stays. */
  cabut_driver_spin_until (shows_state, &(Shows) { thread, CABUT_COMPLAINT_STATE_ANSWERED }, 30,
                           "the conversation to show the answer");
  wait_idle (view);
  g_assert_cmpstr (cabut_complaint_get_id (shown (thread)), ==, id);
  g_assert_cmpuint (g_list_model_get_n_items (cabut_complaint_get_entries (shown (thread))), ==, 2);
  {
    g_autofree char *typed = typed_text (thread, "text_view");
    g_assert_cmpstr (typed, ==, "Terima kasih, saya tunggu");
  }
  g_assert_cmpstr (cabut_complaints_view_get_page (CABUT_COMPLAINTS_VIEW (view)), ==, "thread");
  type_into (thread, "text_view", "");

  /* The desk cannot solve it: passed to an official; the desk may then
   * neither answer nor settle it. */
  click (desk_thread, "escalate_button");
  wait_idle (desk);
  g_assert_cmpint (cabut_complaint_get_state (shown (desk_thread)), ==, CABUT_COMPLAINT_STATE_ESCALATED);
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (desk_thread, "write_box")));
  cabut_driver_spin_until (shows_state, &(Shows) { thread, CABUT_COMPLAINT_STATE_ESCALATED }, 30,
                           "the conversation to show the escalation");

  /* The official settles it at a desk of their own. */
  official_desk = open_desk ("admin", &admin_context);
  choose (official_desk, id);
  desk_thread = cabut_complaints_desk_get_thread (CABUT_COMPLAINTS_DESK (official_desk));
  g_assert_true (gtk_widget_get_visible (cabut_driver_template_child (desk_thread, "write_box")));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (desk_thread, "escalate_button")));
  type_into (desk_thread, "text_view", "Permohonan telah diputuskan; mohon maaf atas keterlambatannya.");
  click (desk_thread, "resolve_button");
  wait_idle (official_desk);
  g_assert_cmpint (cabut_complaint_get_state (shown (desk_thread)), ==, CABUT_COMPLAINT_STATE_RESOLVED);
  /* Settled: no longer waiting at the desk. */
  for (guint i = 0; i < g_list_model_get_n_items (cabut_complaints_desk_get_complaints (CABUT_COMPLAINTS_DESK (official_desk))); i++)
    {
      g_autoptr(CabutComplaint) complaint =
        g_list_model_get_item (cabut_complaints_desk_get_complaints (CABUT_COMPLAINTS_DESK (official_desk)), i);
      g_assert_cmpstr (cabut_complaint_get_id (complaint), !=, id);
    }

  /* Settled ones are a filter away. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cabut_driver_template_child (official_desk, "filter_dropdown")), 2);
  wait_idle (official_desk);
  g_assert_true (desk_lists (&(DeskLists) { CABUT_COMPLAINTS_DESK (official_desk), id }));
  for (guint i = 0; i < g_list_model_get_n_items (cabut_complaints_desk_get_complaints (CABUT_COMPLAINTS_DESK (official_desk))); i++)
    {
      g_autoptr(CabutComplaint) complaint =
        g_list_model_get_item (cabut_complaints_desk_get_complaints (CABUT_COMPLAINTS_DESK (official_desk)), i);
      g_assert_cmpint (cabut_complaint_get_state (complaint), ==, CABUT_COMPLAINT_STATE_RESOLVED);
    }

  /* The applicant sees it all, without asking. */
  cabut_driver_spin_until (shows_state, &(Shows) { thread, CABUT_COMPLAINT_STATE_RESOLVED }, 30,
                           "the conversation to show the settlement");
  wait_idle (view);
  g_assert_cmpint (cabut_complaint_get_state (shown (thread)), ==, CABUT_COMPLAINT_STATE_RESOLVED);
  {
    GListModel *entries = cabut_complaint_get_entries (shown (thread));
    const char *kinds[] = { "filed", "answered", "escalated", "resolved" };

    g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 4);
    for (guint i = 0; i < 4; i++)
      {
        g_autoptr(CabutComplaintEntry) entry = g_list_model_get_item (entries, i);
        g_assert_cmpstr (cabut_complaint_entry_get_kind (entry), ==, kinds[i]);
      }
  }
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (thread, "write_box")));
  /* Each step the applicant did not take was told once: the answer, the
   * escalation, the settlement (the notices come after the conversation
   * shows them; waited for, so none reaches the next test). */
  {
    CabutTracker *tracker = cabut_window_get_tracker (window);
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (cabut_tracker_get_n_notified (tracker) < notified + 3)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
    cabut_driver_spin_for (300);
    g_assert_cmpuint (cabut_tracker_get_n_notified (tracker), ==, notified + 3);
  }
  shoot (GTK_WIDGET (window), "5-resolved");

  /* From a request's page: the form, with the request filled in. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.complain-about-request", "s", "CBT-2026-000042");
  g_assert_cmpstr (cabut_complaints_view_get_page (CABUT_COMPLAINTS_VIEW (view)), ==, "new");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cabut_driver_template_child (view, "request_row"))), ==,
                   "CBT-2026-000042");
  type_into (view, "new_text", "Tentang permohonan orang lain");
  click (view, "file_button");
  wait_idle (view);
  /* Not theirs: said, and what was written stays. */
  g_assert_true (gtk_widget_get_visible (cabut_driver_template_child (view, "new_error")));
  g_assert_cmpstr (cabut_complaints_view_get_page (CABUT_COMPLAINTS_VIEW (view)), ==, "new");

  /* Filed meanwhile: the desk lists it by itself (its event feed). */
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "request_row")), "");
  type_into (view, "new_text", "Surel pemberitahuan tidak sampai.");
  click (view, "file_button");
  wait_idle (view);
  g_assert_cmpstr (cabut_complaints_view_get_page (CABUT_COMPLAINTS_VIEW (view)), ==, "thread");
  g_clear_pointer (&id, g_free);
  id = g_strdup (cabut_complaint_get_id (shown (thread)));
  cabut_driver_spin_until (desk_lists, &(DeskLists) { CABUT_COMPLAINTS_DESK (desk), id }, 30,
                           "the desk to list the new complaint");

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_ancestor (desk, GTK_TYPE_WINDOW)));
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_ancestor (official_desk, GTK_TYPE_WINDOW)));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
notices_reach (gpointer n)
{
  return cabut_driver_notices ()->len >= GPOINTER_TO_UINT (n);
}

typedef struct
{
  CabutTracker *tracker;
  guint         n;
} ReadCount;

static gboolean
complaints_read_past (gpointer data)
{
  ReadCount *count = data;

  return cabut_tracker_get_n_complaints_read (count->tracker) > count->n;
}

/* The service's database, as another of its processes would write it. */
static void
service_db_exec (const char *sql)
{
  g_autofree char *path = g_build_filename (cabut_driver_fixture->dir, "demo-service", "cabut.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

/* budi's complaint goes past its deadline unanswered: at his next sign-in
 * he is told once, with whom to ask and how (the complaints channels the
 * service names); the one after, nothing. */
static void
test_overdue (void)
{
  CabutWindow *window = cabut_driver_open_window ("complaints-overdue");
  CabutContext *context = cabut_window_get_context (window);
  CabutTracker *tracker = cabut_window_get_tracker (window);
  guint told = cabut_driver_notices ()->len;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CabutComplaint) complaint = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *start = NULL;
  CabutServiceInfo *info;
  CabutDriverNotice *notice;
  gint64 due;
  guint read;

  cabut_driver_sign_in_context (context, "budi.santoso");
  cabut_ams_client_file_complaint_async (cabut_context_get_client (context), "Belum ada jawaban atas surat saya.",
                                         NULL, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the complaint filed");
  complaint = cabut_ams_client_file_complaint_finish (cabut_context_get_client (context), result, &error);
  g_assert_no_error (error);
  g_assert_false (cabut_complaint_get_overdue (complaint));
  cabut_driver_spin_until (complaints_read_past, &(ReadCount) { tracker, 0 }, 30, "the complaint kept");
  cabut_driver_spin_for (500);
  for (guint i = told; i < cabut_driver_notices ()->len; i++)
    g_test_message ("unexpected notice: %s: %s", ((CabutDriverNotice *) g_ptr_array_index (cabut_driver_notices (), i))->summary,
                    ((CabutDriverNotice *) g_ptr_array_index (cabut_driver_notices (), i))->body);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, told);

  /* Its deadline passed an hour ago, unanswered. */
  cabut_context_sign_out (context);
  sql = g_strdup_printf ("UPDATE complaints SET due_at = %" G_GINT64_FORMAT " WHERE number = '%s'",
                         g_get_real_time () / G_USEC_PER_SEC - 3600, cabut_complaint_get_id (complaint));
  service_db_exec (sql);
  read = cabut_tracker_get_n_complaints_read (tracker);
  cabut_driver_sign_in_context (context, "budi.santoso");
  cabut_driver_spin_until (notices_reach, GUINT_TO_POINTER (told + 1), 30, "the overdue notification");
  notice = g_ptr_array_index (cabut_driver_notices (), told);
  info = cabut_context_get_service_info (context);
  g_assert_nonnull (info);
  g_assert_cmpstr (notice->summary, ==, "Complaint Overdue");
  start = g_strdup_printf ("Complaint %s was due an answer ", cabut_complaint_get_id (complaint));
  g_assert_true (g_str_has_prefix (notice->body, start));
  g_assert_nonnull (strstr (notice->body, cabut_service_info_get_complaints_officer (info)));
  g_assert_nonnull (strstr (notice->body, cabut_service_info_get_phone (info)));
  g_assert_nonnull (strstr (notice->body, cabut_service_info_get_email (info)));
  g_assert_nonnull (strstr (notice->body, cabut_service_info_get_website (info)));
  g_assert_true (g_str_has_suffix (notice->body, ", quoting the complaint number."));
  cabut_driver_spin_for (500);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, told + 1);
  g_assert_cmpuint (cabut_tracker_get_n_complaints_read (tracker), >, read);

  /* Once: the next sign-in reads it again and says nothing. */
  cabut_context_sign_out (context);
  read = cabut_tracker_get_n_complaints_read (tracker);
  cabut_driver_sign_in_context (context, "budi.santoso");
  cabut_driver_spin_until (complaints_read_past, &(ReadCount) { tracker, read }, 30, "the complaint read again");
  cabut_driver_spin_for (500);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, told + 1);

  /* A deadline that passes while he is signed in, with no event to say
   * so: read again just after it, and told. */
  g_clear_object (&result);
  g_clear_object (&complaint);
  cabut_ams_client_file_complaint_async (cabut_context_get_client (context), "Surel konfirmasi tidak sampai.",
                                         NULL, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the second complaint filed");
  complaint = cabut_ams_client_file_complaint_finish (cabut_context_get_client (context), result, &error);
  g_assert_no_error (error);
  cabut_context_sign_out (context);
  g_free (sql);
  due = g_get_real_time () / G_USEC_PER_SEC + 4;
  sql = g_strdup_printf ("UPDATE complaints SET due_at = %" G_GINT64_FORMAT " WHERE number = '%s'", due,
                         cabut_complaint_get_id (complaint));
  service_db_exec (sql);
  cabut_driver_sign_in_context (context, "budi.santoso");
  cabut_driver_spin_until (notices_reach, GUINT_TO_POINTER (told + 2), 30, "the deadline passing");
  g_assert_cmpint (g_get_real_time () / G_USEC_PER_SEC, >=, due);
  notice = g_ptr_array_index (cabut_driver_notices (), told + 1);
  g_assert_cmpstr (notice->summary, ==, "Complaint Overdue");
  g_free (start);
  start = g_strdup_printf ("Complaint %s was due an answer ", cabut_complaint_get_id (complaint));
  g_assert_true (g_str_has_prefix (notice->body, start));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  GApplication *application;
  int status;

  if (g_getenv ("LANGUAGE") == NULL)
    g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("CABUT_SERVER_PROGRAM", g_getenv ("CABUT_SERVER"), TRUE);
  /* It owns the notification server's name and registers the application. */
  cabut_driver_use_private_bus ();
  cabut_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cabut_driver_setup ();

  g_test_add_func ("/cabut/complaints-ui/filed-answered-escalated-resolved", test_filed_answered_escalated_resolved);
  g_test_add_func ("/cabut/complaints-ui/overdue", test_overdue);

  /* Notifications go through an application, to the desktop's server. */
  application = g_application_new ("io.github.cabut.Cabut.ComplaintsTests", G_APPLICATION_NON_UNIQUE);
  cabut_driver_notifications_start ();
  g_assert_true (g_application_register (application, NULL, NULL));

  status = g_test_run ();
  g_clear_object (&application);

  cabut_driver_teardown ();

  return status;
}
