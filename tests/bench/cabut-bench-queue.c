/* cabut-bench-queue.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's queue model in an app's process: how long CabutQueue takes
 * from a reload to its first page and counts in (two requests in flight,
 * JSON parsed into CabutRequest objects on the main thread), signed in as
 * the demo's officer. Not a test: run by tests/bench/listing.sh, which
 * prints its table row.
 *
 *   cabut-bench-queue DATA URL RUNS LABEL
 */

#include "config.h"

#include <stdlib.h>

#include "cabut-core.h"
#include "cabut-test-util.h"

static gboolean
loaded (CabutQueue *queue)
{
  return cabut_queue_get_loaded (queue) && !cabut_queue_get_loading (queue);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(CabutAmsClient) client = NULL;
  g_autoptr(CabutQueue) queue = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *path = NULL;
  const char *password = NULL;
  int runs;

  if (argc != 5)
    {
      g_printerr ("usage: %s DATA URL RUNS LABEL\n", argv[0]);
      return 2;
    }
  runs = atoi (argv[3]);

  path = g_build_filename (argv[1], "demo", "accounts.json", NULL);
  if ((accounts = cabut_demo_accounts_load (path, &error)) == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(CabutDemoAccount) account = g_list_model_get_item (accounts, i);

      if (g_str_equal (cabut_demo_account_get_username (account), "dewi.verifikator"))
        password = g_intern_string (cabut_demo_account_get_password (account));
    }

  if ((client = cabut_ams_client_new (argv[2], &error)) == NULL)
    g_error ("%s", error->message);
  cabut_ams_client_sign_in_async (client, "dewi.verifikator", password, NULL, NULL, cabut_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!cabut_ams_client_sign_in_finish (client, result, &error))
    g_error ("%s", error->message);

  queue = cabut_queue_new (client);
  for (int i = 0; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      cabut_queue_reload (queue);
      while (!loaded (queue))
        g_main_context_iteration (NULL, TRUE);
      if (cabut_queue_get_error (queue) != NULL)
        g_error ("%s", cabut_queue_get_error (queue)->message);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_doubles);

  g_print ("| %s | the app's queue model: counts and first page of %u, parsed (of %" G_GUINT64_FORMAT
           " requests) | %.1f ms | %u requests |\n",
           argv[4], cabut_queue_get_page_size (queue), cabut_queue_counts_get (cabut_queue_get_counts (queue), "all"),
           g_array_index (times, double, times->len / 2), g_list_model_get_n_items (G_LIST_MODEL (queue)));

  return 0;
}
