/* test-queue.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CabutQueue, the officers' queue as a list model that grows a page at a
 * time, against the real cabut-server (a child process on loopback) seen
 * through a small forwarding proxy of this test's, which can refuse the
 * queue's pages on demand: pages in order, each fetched once, no row
 * twice; a failed page publishes nothing and is fetched again on retry.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-test-util.h"

#define N_REQUESTS 23
#define PAGE_SIZE  5

typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *url;
  const char  *target;      /* the real service, ends with "/" */
  gboolean     refuse;      /* answer the queue's pages 503 */
  guint        pages;       /* queue pages forwarded */
  guint        refused;
} Proxy;

static CabutTestService *service;

/* ---------------------------------------------------------------------- */

static void
forwarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  SoupMessage *forward = g_object_get_data (G_OBJECT (msg), "forward");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (body == NULL)
    soup_server_message_set_status (msg, SOUP_STATUS_BAD_GATEWAY, NULL);
  else
    {
      gsize len;
      const char *data = g_bytes_get_data (body, &len);

      soup_server_message_set_status (msg, soup_message_get_status (forward), NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, len);
    }
  soup_server_message_unpause (msg);
}

static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  static const char busy[] = "{\"error\": {\"code\": \"busy\", \"message\": \"The service is busy\"}}";
  Proxy *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *url = NULL;
  SoupMessage *forward;

  if (g_str_equal (path, "/api/v1/queue"))
    {
      if (self->refuse)
        {
          self->refused++;
          soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, busy, strlen (busy));
          return;
        }
      self->pages++;
    }

  url = g_strconcat (self->target, path + 1, g_uri_get_query (uri) ? "?" : "", g_uri_get_query (uri), NULL);
  forward = soup_message_new (soup_server_message_get_method (msg), url);
  soup_message_headers_replace (soup_message_get_request_headers (forward), "Authorization",
                                soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                              "Authorization"));
  g_object_set_data_full (G_OBJECT (msg), "forward", forward, g_object_unref);
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (self->session, forward, G_PRIORITY_DEFAULT, NULL, forwarded_cb,
                                    g_object_ref (msg));
}

static Proxy *
proxy_new (const char *target)
{
  Proxy *self = g_new0 (Proxy, 1);

  self->target = target;
  self->session = soup_session_new ();
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, proxy_cb, self, NULL);
  self->url = cabut_test_listen_local (self->server);

  return self;
}

static void
proxy_free (Proxy *self)
{
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->session);
  g_free (self->url);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proxy, proxy_free)

/* ---------------------------------------------------------------------- */

static void
spin_while_loading (CabutQueue *queue)
{
  gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (cabut_queue_get_loading (queue))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* A client of the proxy, signed in as @username at the service itself,
 * that tries once (a retry is the queue's to make). */
static CabutAmsClient *
officer_client (Proxy      *proxy,
                const char *username)
{
  g_autoptr(CabutAmsClient) direct = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CabutAmsClient *client;

  direct = cabut_ams_client_new (service->url, &error);
  g_assert_no_error (error);
  cabut_ams_client_sign_in_async (direct, username, cabut_test_service_password (service, username), NULL, NULL,
                                  cabut_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cabut_ams_client_sign_in_finish (direct, result, &error));
  g_assert_no_error (error);

  client = cabut_ams_client_new (proxy->url, &error);
  g_assert_no_error (error);
  cabut_ams_client_set_language (client, "en");
  cabut_ams_client_set_token (client, cabut_ams_client_get_token (direct));
  cabut_ams_client_set_retry_policy (client, 1, 10);

  return client;
}

/* The numbers of the open requests in the queue's order, from the database. */
static GPtrArray *
open_numbers (void)
{
  g_autofree char *path = g_build_filename (service->dir, "cabut.db", NULL);

  return cabut_test_db_strings (path, "SELECT number FROM requests WHERE state IN ('submitted', 'in_review') "
                                      "ORDER BY due_at, id");
}

/* Asks for the last row, as a list view scrolled to the end does, until
 * every page is in. */
static void
scroll_to_end (CabutQueue *queue)
{
  GListModel *model = G_LIST_MODEL (queue);

  while (!cabut_queue_get_complete (queue))
    {
      g_autoptr(GObject) last = g_list_model_get_item (model, g_list_model_get_n_items (model) - 1);

      g_assert_nonnull (last);
      g_assert_true (cabut_queue_get_loading (queue));
      spin_while_loading (queue);
      g_assert_null (cabut_queue_get_error (queue));
    }
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *changes)
{
  (*changes)++;
}

/* ---------------------------------------------------------------------- */

static void
test_pages (void)
{
  g_autoptr(Proxy) proxy = proxy_new (service->url);
  g_autoptr(CabutAmsClient) client = officer_client (proxy, "dewi.verifikator");
  g_autoptr(CabutQueue) queue = cabut_queue_new (client);
  g_autoptr(GPtrArray) expected = open_numbers ();
  GListModel *model = G_LIST_MODEL (queue);
  CabutQueueCounts *counts;

  g_assert_cmpuint (expected->len, ==, N_REQUESTS);
  cabut_queue_set_page_size (queue, PAGE_SIZE);
  g_assert_false (cabut_queue_get_loaded (queue));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  cabut_queue_reload (queue);
  g_assert_true (cabut_queue_get_loading (queue));
  spin_while_loading (queue);
  g_assert_true (cabut_queue_get_loaded (queue));
  g_assert_false (cabut_queue_get_complete (queue));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, PAGE_SIZE);
  g_assert_cmpuint (proxy->pages, ==, 1);

  counts = cabut_queue_get_counts (queue);
  g_assert_nonnull (counts);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "open"), ==, N_REQUESTS);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "in_review"), ==, (N_REQUESTS + 2) / 3);
  g_assert_cmpuint (cabut_queue_counts_get (counts, "all"), ==, N_REQUESTS);
  g_assert_cmpuint (cabut_queue_counts_get_overdue (counts), ==, 0);

  /* A row early in the page asks for nothing. */
  {
    g_autoptr(GObject) first = g_list_model_get_item (model, 0);

    g_assert_false (cabut_queue_get_loading (queue));
  }

  /* To the end: every row once, in the service's order, each page once. */
  scroll_to_end (queue);
  cabut_test_assert_request_ids (G_LIST_MODEL (queue), expected);
  g_assert_cmpuint (proxy->pages, ==, (N_REQUESTS + PAGE_SIZE - 1) / PAGE_SIZE);
  g_assert_cmpuint (cabut_queue_get_pages_fetched (queue), ==, proxy->pages);

  /* At the end, asking again fetches nothing. */
  {
    g_autoptr(GObject) last = g_list_model_get_item (model, N_REQUESTS - 1);

    g_assert_false (cabut_queue_get_loading (queue));
    g_assert_null (g_list_model_get_item (model, N_REQUESTS));
  }

  /* News: refreshed, the rows listed stay listed, in one page. */
  cabut_queue_refresh (queue);
  spin_while_loading (queue);
  cabut_test_assert_request_ids (G_LIST_MODEL (queue), expected);
  g_assert_true (cabut_queue_get_complete (queue));
  g_assert_cmpuint (proxy->pages, ==, (N_REQUESTS + PAGE_SIZE - 1) / PAGE_SIZE + 1);

  /* Another search, another state: a new first page, replacing the rows. */
  cabut_queue_set_search (queue, "CBT-2025-900007");
  spin_while_loading (queue);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_true (cabut_queue_get_complete (queue));
  cabut_queue_set_search (queue, NULL);
  cabut_queue_set_state (queue, "in_review");
  spin_while_loading (queue);
  scroll_to_end (queue);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, (N_REQUESTS + 2) / 3);
  g_assert_cmpuint (cabut_queue_find (queue, "CBT-2025-900003"), !=, G_MAXUINT);
  g_assert_cmpuint (cabut_queue_find (queue, "CBT-2025-900001"), ==, G_MAXUINT);
}

/* A search typed quickly: each change drops the fetch before it, and only
 * the last search's rows are published. */
static void
test_search_cancels (void)
{
  g_autoptr(Proxy) proxy = proxy_new (service->url);
  g_autoptr(CabutAmsClient) client = officer_client (proxy, "dewi.verifikator");
  g_autoptr(CabutQueue) queue = cabut_queue_new (client);
  guint changes = 0;

  g_signal_connect (queue, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  cabut_queue_set_search (queue, "CBT-2025-9000");
  cabut_queue_set_search (queue, "CBT-2025-90001");
  cabut_queue_set_search (queue, "CBT-2025-900012");
  spin_while_loading (queue);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 1);
  {
    g_autoptr(CabutRequest) request = g_list_model_get_item (G_LIST_MODEL (queue), 0);

    g_assert_cmpstr (cabut_request_get_id (request), ==, "CBT-2025-900012");
    g_assert_cmpstr (cabut_request_get_applicant_nip (request), ==, "198501012010011001");
  }
}

static void
test_error_then_retry (void)
{
  g_autoptr(Proxy) proxy = proxy_new (service->url);
  g_autoptr(CabutAmsClient) client = officer_client (proxy, "dewi.verifikator");
  g_autoptr(CabutQueue) queue = cabut_queue_new (client);
  g_autoptr(GPtrArray) expected = open_numbers ();
  GListModel *model = G_LIST_MODEL (queue);
  guint changes = 0;

  cabut_queue_set_page_size (queue, PAGE_SIZE);
  g_signal_connect (queue, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  /* The first page refused: nothing listed, nothing loaded, the error said. */
  proxy->refuse = TRUE;
  cabut_queue_reload (queue);
  spin_while_loading (queue);
  g_assert_error (cabut_queue_get_error (queue), CABUT_AMS_ERROR, CABUT_AMS_ERROR_SERVER);
  g_assert_false (cabut_queue_get_loaded (queue));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (proxy->refused, ==, 1);
  /* The counts came; only the page failed. */
  g_assert_nonnull (cabut_queue_get_counts (queue));

  proxy->refuse = FALSE;
  cabut_queue_retry (queue);
  spin_while_loading (queue);
  g_assert_null (cabut_queue_get_error (queue));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, PAGE_SIZE);
  g_assert_cmpuint (changes, ==, 1);

  /* The second page refused: the rows stay as they were, and asking for
   * the end again fetches nothing until a retry. */
  proxy->refuse = TRUE;
  {
    g_autoptr(GObject) last = g_list_model_get_item (model, PAGE_SIZE - 1);
  }
  spin_while_loading (queue);
  g_assert_error (cabut_queue_get_error (queue), CABUT_AMS_ERROR, CABUT_AMS_ERROR_SERVER);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, PAGE_SIZE);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (proxy->refused, ==, 2);
  {
    g_autoptr(GObject) last = g_list_model_get_item (model, PAGE_SIZE - 1);

    g_assert_false (cabut_queue_get_loading (queue));
    g_assert_cmpuint (proxy->refused, ==, 2);
  }

  /* Retried: the same page, then the rest, every row once. */
  proxy->refuse = FALSE;
  cabut_queue_retry (queue);
  g_assert_true (cabut_queue_get_loading (queue));
  spin_while_loading (queue);
  g_assert_null (cabut_queue_get_error (queue));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2 * PAGE_SIZE);
  scroll_to_end (queue);
  cabut_test_assert_request_ids (G_LIST_MODEL (queue), expected);
  g_assert_cmpuint (proxy->pages, ==, (N_REQUESTS + PAGE_SIZE - 1) / PAGE_SIZE);
}

/* An applicant's client: refused, said, nothing listed. */
static void
test_applicant_refused (void)
{
  g_autoptr(Proxy) proxy = proxy_new (service->url);
  g_autoptr(CabutAmsClient) client = officer_client (proxy, "budi.santoso");
  g_autoptr(CabutQueue) queue = cabut_queue_new (client);

  cabut_queue_reload (queue);
  spin_while_loading (queue);
  g_assert_error (cabut_queue_get_error (queue), CABUT_AMS_ERROR, CABUT_AMS_ERROR_FORBIDDEN);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 0);
  g_assert_null (cabut_queue_get_counts (queue));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db_path = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_test_isolate_tmp ("test-queue");
  cabut_i18n_init ();

  service = cabut_test_service_start ("queue");
  db_path = g_build_filename (service->dir, "cabut.db", NULL);
  cabut_test_add_open_requests (db_path, "budi.santoso", N_REQUESTS);

  g_test_add_func ("/cabut/queue/pages", test_pages);
  g_test_add_func ("/cabut/queue/search-cancels", test_search_cancels);
  g_test_add_func ("/cabut/queue/error-then-retry", test_error_then_retry);
  g_test_add_func ("/cabut/queue/applicant-refused", test_applicant_refused);

  ret = g_test_run ();
  cabut_test_service_stop (service);

  return ret;
}
