/* cabut-bench-history.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "My requests" with many requests kept on this computer: how long the
 * real view takes to open the history from the store (SQLite, JSON, search
 * keys in the store's thread), and what each keystroke in its search
 * costs the main loop (the filter, the list view's update, until the next
 * frame is painted), with the probe's 5 ms timer watching for stalls.
 * Not a test: run by tests/bench/app.sh (or alone), which reads its
 * `bench:` lines.
 *
 *   cabut-bench-history [REQUESTS]        (default 100000)
 */

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabut-probe.h"
#include "cabut-requests-view.h"
#include "cabut-test-util.h"
#include "cabut-wizard-driver.h"

static const char *first_names[] = { "Budi", "Siti", "Agus", "Dewi", "Rina", "Eko", "Sri", "Joko", "Ani", "Hendra",
                                     "Wahyu", "Putri", "Bambang", "Yuni", "Rudi", "Lestari" };
static const char *last_names[] = { "Santoso", "Rahmawati", "Wijaya", "Lestari", "Kusuma", "Pratama", "Hidayat",
                                    "Saputra", "Nugroho", "Susanti", "Hasanah", "Setiawan" };
static const char *states[] = { "submitted", "in_review", "revoked", "rejected", "cancelled", "revoked", "revoked" };

static CabutRequest *
make_request (guint   i,
              GRand  *rand)
{
  const char *first = first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))];
  const char *last = last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))];
  g_autoptr(GDateTime) created = g_date_time_new_utc (2020 + (gint) (i / 20000), 1 + (gint) (i % 12),
                                                      1 + (gint) (i % 28), 3, 0, 0);
  g_autoptr(GDateTime) due = g_date_time_add_days (created, 1);
  g_autofree char *created_text = g_date_time_format_iso8601 (created);
  g_autofree char *due_text = g_date_time_format_iso8601 (due);
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  CabutRequest *request;

  json = g_strdup_printf ("{\"id\": \"CBT-%04d-%06u\", \"status\": \"%s\", \"reason\": \"keyCompromise\","
                          " \"reason_label\": \"My key is lost or known to others\","
                          " \"note\": \"Laptop dinas hilang di kereta pada perjalanan dinas\","
                          " \"certificate\": {\"serial\": \"%08X%08X%08X%08X\","
                          "   \"subject\": \"emailAddress=%s.%s@contoh.go.id,CN=%s %s,serialNumber=19%06u%08u,"
                          "title=Pranata Komputer,OU=Dinas Komunikasi dan Informatika,O=Pemerintah Kota Contoh,"
                          "L=Kota Contoh,ST=Jawa Barat,C=ID\","
                          "   \"issuer\": \"CN=BSrE Demo CA,O=Balai Sertifikasi Elektronik,C=ID\"},"
                          " \"applicant\": {\"username\": \"%s.%s\", \"full_name\": \"%s %s, S.Kom.\"},"
                          " \"letter\": {\"sha256\": \"%064x\", \"type\": \"application/pdf\", \"size\": 307207},"
                          " \"key_possession\": true, \"letter_match\": \"yes\", \"letter_code\": null,"
                          " \"created_at\": \"%s\", \"due\": \"%s\", \"decided_at\": null, \"overdue\": false}",
                          2020 + i / 20000, i, states[i % G_N_ELEMENTS (states)],
                          g_rand_int (rand), g_rand_int (rand), g_rand_int (rand), g_rand_int (rand),
                          first, last, first, last, i, g_rand_int (rand) % 100000000u,
                          first, last, first, last, i, created_text, due_text);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  request = cabut_request_new_from_json (node, &error);
  g_assert_no_error (error);

  return request;
}

static gboolean painted;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  painted = TRUE;
}

/* Until the window has painted a frame with what changed. */
static void
wait_for_paint (GtkWidget *widget)
{
  painted = FALSE;
  gtk_widget_queue_draw (widget);
  cabut_driver_spin_until (cabut_driver_is_true, &painted, 10, "a frame");
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static gboolean
history_loaded (gpointer view)
{
  return cabut_requests_view_get_n_requests (view) > 0;
}

/* The search the entry now holds, as its signal runs it, until painted. */
static void
keystroke (CabutRequestsView *view,
           GtkWidget         *entry)
{
  gint64 start = g_get_monotonic_time ();
  gint64 handled;
  gint64 elapsed;

  g_signal_emit_by_name (entry, "search-changed");
  handled = g_get_monotonic_time () - start;
  wait_for_paint (GTK_WIDGET (view));
  elapsed = g_get_monotonic_time () - start;
  printf ("bench: history-keystroke query=\"%s\" shown=%u handler_us=%" G_GINT64_FORMAT
          " to_paint_us=%" G_GINT64_FORMAT " rows=%u\n",
          gtk_editable_get_text (GTK_EDITABLE (entry)),
          g_list_model_get_n_items (G_LIST_MODEL (cabut_requests_view_get_history (view))),
          handled, elapsed, count_children (cabut_driver_template_child (view, "list")));
  cabut_driver_spin_for (30);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  const char *query = "siti rahmawati 3f";
  const char *accounts[] = { "budi.santoso", "siti.rahmawati", "agus.wijaya" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);
  CabutWindow *window;
  CabutContext *context;
  CabutRequestsView *view;
  GtkWidget *entry;
  GdkFrameClock *clock;
  gint64 start, elapsed, stall, ended_at;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("CABUT_PROBE", "1", TRUE);
  if (g_getenv ("CABUT_SERVER_PROGRAM") == NULL && g_getenv ("CABUT_SERVER") != NULL)
    g_setenv ("CABUT_SERVER_PROGRAM", g_getenv ("CABUT_SERVER"), TRUE);
  gtk_init ();
  adw_init ();
  cabut_driver_setup ();
  cabut_driver_fixture->width = 1000;
  cabut_driver_fixture->height = 800;

  window = cabut_driver_open_window ("history-bench");
  context = cabut_window_get_context (window);
  cabut_driver_spin_until ((CabutDriverCondition) cabut_context_get_store, context, 30, "the store");

  /* The store, filled as sign-ins of three accounts would leave it. */
  start = g_get_monotonic_time ();
  for (guint done = 0; done < n;)
    {
      g_autoptr(GListStore) batch = g_list_store_new (CABUT_TYPE_REQUEST);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      guint end = MIN (n, done + 5000);

      for (; done < end; done++)
        {
          g_autoptr(CabutRequest) request = make_request (done, rand);

          g_list_store_append (batch, request);
        }
      cabut_store_save_requests_async (cabut_context_get_store (context), cabut_context_get_server_url (context),
                                       accounts[(done / 5000) % G_N_ELEMENTS (accounts)], G_LIST_MODEL (batch), NULL,
                                       cabut_test_result_cb, &result);
      cabut_driver_spin_until (cabut_driver_has_result, &result, 120, "a batch kept");
      g_assert_true (cabut_store_save_requests_finish (cabut_context_get_store (context), result, &error));
    }
  printf ("bench: history-fill requests=%u elapsed_us=%" G_GINT64_FORMAT "\n", n, g_get_monotonic_time () - start);
  fflush (stdout);

  /* Opening My requests: from the store, in its thread, to the first frame. */
  view = CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  cabut_driver_spin_for (500);
  start = g_get_monotonic_time ();
  cabut_probe_stall_start ("history-open");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
  cabut_driver_spin_until (history_loaded, view, 120, "the history");
  g_assert_cmpuint (cabut_requests_view_get_n_requests (view), ==, n);
  wait_for_paint (GTK_WIDGET (view));
  elapsed = g_get_monotonic_time () - start;
  stall = cabut_probe_stall_report (&ended_at);
  printf ("bench: history-open requests=%u elapsed_us=%" G_GINT64_FORMAT " max_stall_us=%" G_GINT64_FORMAT "\n",
          n, elapsed, stall);
  fflush (stdout);

  /* Typing the query, one character at a time: each keystroke's filter
   * and list update (the search entry's signal), then its frame. */
  entry = cabut_driver_template_child (view, "search_entry");
  /* The entry's own delayed signal would come too, with nothing new. */
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (entry), G_MAXINT);
  cabut_probe_stall_start ("history-typing");
  for (guint i = 1; i <= strlen (query); i++)
    {
      int position = (int) i - 1;

      /* As typed: one character at the end (setting the whole text would
       * empty the entry first, and an empty search is run at once). */
      gtk_editable_insert_text (GTK_EDITABLE (entry), query + i - 1, 1, &position);
      keystroke (view, entry);
    }
  /* And deleting it again, a character at a time: the list widens. */
  for (guint i = strlen (query); i-- > 0;)
    {
      gtk_editable_delete_text (GTK_EDITABLE (entry), (int) i, -1);
      keystroke (view, entry);
    }
  stall = cabut_probe_stall_report (&ended_at);
  printf ("bench: history-typing max_stall_us=%" G_GINT64_FORMAT "\n", stall);
  fflush (stdout);

  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_teardown ();

  return 0;
}
