/* test-ams-client.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CabutAmsClient's retries against a scripted service on loopback (the
 * pattern of GNOME Calendar's tests/gcal-simple-server.c): which calls are
 * retried, how often, after how long, with which Idempotency-Key.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-test-util.h"

/* Scheduling slack for the upper bound of a measured pause, in ms. */
#define SLACK_MS 400

typedef enum
{
  ANSWER,
  DROP,      /* close the connection without an answer */
} StepKind;

typedef struct
{
  StepKind    kind;
  guint       status;
  const char *retry_after;
} Step;

typedef struct
{
  char   *method;
  char   *path;
  char   *idempotency_key;
  gint64  at;              /* monotonic, µs */
} Hit;

typedef struct
{
  SoupServer *server;
  char       *url;
  const Step *steps;       /* the last one repeats */
  guint       n_steps;
  GPtrArray  *hits;
} Scripted;

static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

static void
hit_free (Hit *hit)
{
  g_free (hit->method);
  g_free (hit->path);
  g_free (hit->idempotency_key);
  g_free (hit);
}

static void
scripted_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  static const char busy[] = "{\"error\": {\"code\": \"busy\", \"message\": \"The service is busy\"}}";
  static const char done[] = "{\"id\": \"CBT-2026-000001\"}";
  Scripted *self = user_data;
  const Step *step = &self->steps[MIN (self->hits->len, self->n_steps - 1)];
  Hit *hit = g_new0 (Hit, 1);

  hit->method = g_strdup (soup_server_message_get_method (msg));
  hit->path = g_strdup (path);
  hit->idempotency_key = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                 "Idempotency-Key"));
  hit->at = g_get_monotonic_time ();
  g_ptr_array_add (self->hits, hit);

  if (step->kind == DROP)
    {
      /* The answer that follows cannot go out: the client sees the
       * connection end. */
      g_socket_shutdown (soup_server_message_get_socket (msg), TRUE, TRUE, NULL);
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }

  soup_server_message_set_status (msg, step->status, NULL);
  if (step->retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                  step->retry_after);
  if (SOUP_STATUS_IS_SUCCESSFUL (step->status))
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, done, strlen (done));
  else
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, busy, strlen (busy));
}

static Scripted *
scripted_new (const Step *steps,
              guint       n_steps)
{
  Scripted *self = g_new0 (Scripted, 1);

  self->steps = steps;
  self->n_steps = n_steps;
  self->hits = g_ptr_array_new_with_free_func ((GDestroyNotify) hit_free);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, scripted_cb, self, NULL);
  self->url = cabut_test_listen_local (self->server);

  return self;
}

static void
scripted_free (Scripted *self)
{
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_ptr_array_unref (self->hits);
  g_free (self->url);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scripted, scripted_free)

static Hit *
scripted_hit (Scripted *self,
              guint     i)
{
  g_assert_cmpuint (i, <, self->hits->len);
  return g_ptr_array_index (self->hits, i);
}

/* The pause before hit @i, against what the policy asks for. */
static void
assert_pause (Scripted *self,
              guint     i,
              guint     expected_ms)
{
  gint64 pause_ms = (scripted_hit (self, i)->at - scripted_hit (self, i - 1)->at) / 1000;

  g_test_message ("pause before attempt %u: %" G_GINT64_FORMAT " ms (expected %u)", i + 1, pause_ms,
                  expected_ms);
  g_assert_cmpint (pause_ms, >=, (gint64) expected_ms - 2);
  g_assert_cmpint (pause_ms, <=, (gint64) expected_ms + SLACK_MS);
}

static void
assert_hits (Scripted   *self,
             guint       n,
             const char *method,
             const char *path,
             const char *idempotency_key)
{
  g_assert_cmpuint (self->hits->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      Hit *hit = scripted_hit (self, i);

      g_assert_cmpstr (hit->method, ==, method);
      g_assert_cmpstr (hit->path, ==, path);
      g_assert_cmpstr (hit->idempotency_key, ==, idempotency_key);
    }
}

static CabutAmsClient *
client_new (Scripted *scripted,
            guint     max_attempts,
            guint     first_delay_ms)
{
  g_autoptr(GError) error = NULL;
  CabutAmsClient *client = cabut_ams_client_new (scripted->url, &error);

  g_assert_no_error (error);
  cabut_ams_client_set_language (client, "en");
  cabut_ams_client_set_token (client, "scripted");
  cabut_ams_client_set_retry_policy (client, max_attempts, first_delay_ms);

  return client;
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static JsonNode *
submit (CabutAmsClient  *client,
        const char      *idempotency_key,
        GError         **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (cabut_test_fixture_path ("rsa2048.pem"));
  g_autoptr(CabutCertificate) certificate = NULL;
  g_autoptr(GBytes) letter = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;

  certificate = cabut_certificate_new_from_file (file, NULL, NULL, &local_error);
  g_assert_no_error (local_error);

  cabut_ams_client_submit_async (client, certificate, "keyCompromise", NULL, letter, "letter.pdf",
                                 idempotency_key, NULL, NULL, NULL, cabut_test_result_cb, &result);

  return cabut_ams_client_call_finish (client, wait_for (&result), error);
}

static JsonNode *
get (CabutAmsClient  *client,
     const char      *path,
     GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_ams_client_get_async (client, path, NULL, cabut_test_result_cb, &result);

  return cabut_ams_client_call_finish (client, wait_for (&result), error);
}

/* ---------------------------------------------------------------------- */

static void
test_submit_retried_after_503 (void)
{
  static const Step steps[] = { { ANSWER, 503 }, { ANSWER, 503 }, { ANSWER, 201 } };
  g_autoptr(Scripted) scripted = scripted_new (steps, G_N_ELEMENTS (steps));
  g_autoptr(CabutAmsClient) client = client_new (scripted, 3, 50);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = submit (client, "retry-503", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "id"), ==, "CBT-2026-000001");
  assert_hits (scripted, 3, "POST", "/api/v1/requests", "retry-503");
  assert_pause (scripted, 1, 50);
  assert_pause (scripted, 2, 100);
}

static void
test_submit_retried_after_drop (void)
{
  static const Step steps[] = { { DROP }, { ANSWER, 201 } };
  g_autoptr(Scripted) scripted = scripted_new (steps, G_N_ELEMENTS (steps));
  g_autoptr(CabutAmsClient) client = client_new (scripted, 3, 30);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = submit (client, "retry-drop", &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  assert_hits (scripted, 2, "POST", "/api/v1/requests", "retry-drop");
  assert_pause (scripted, 1, 30);
}

/* A prepared submission (the outbox's) gives up after max_attempts with the
 * service's error, every attempt under its one key. */
static void
test_send_gives_up (void)
{
  static const Step steps[] = { { ANSWER, 503 } };
  static const char metadata[] = "{\"serial\": \"01\", \"subject\": \"CN=Budi\", \"reason\": \"keyCompromise\"}";
  g_autoptr(Scripted) scripted = scripted_new (steps, G_N_ELEMENTS (steps));
  g_autoptr(CabutAmsClient) client = client_new (scripted, 3, 20);
  g_autoptr(GBytes) metadata_bytes = g_bytes_new_static (metadata, strlen (metadata));
  g_autoptr(CabutSubmission) submission = cabut_submission_new_from_parts (metadata_bytes, NULL, "outbox-1");
  g_autoptr(GBytes) letter = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutRequest) request = NULL;

  cabut_ams_client_send_async (client, submission, letter, "letter.pdf", NULL, NULL, NULL,
                               cabut_test_result_cb, &result);
  request = cabut_ams_client_send_finish (client, wait_for (&result), &error);

  g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "The service is busy");
  g_assert_null (request);
  assert_hits (scripted, 3, "POST", "/api/v1/requests", "outbox-1");
  assert_pause (scripted, 1, 20);
  assert_pause (scripted, 2, 40);
}

static void
test_submit_gives_up_on_network (void)
{
  static const Step steps[] = { { DROP } };
  g_autoptr(Scripted) scripted = scripted_new (steps, G_N_ELEMENTS (steps));
  g_autoptr(CabutAmsClient) client = client_new (scripted, 2, 20);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = submit (client, "retry-network", &error);

  g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_NETWORK);
  g_assert_null (node);
  assert_hits (scripted, 2, "POST", "/api/v1/requests", "retry-network");
  assert_pause (scripted, 1, 20);
}

/* A decision whose answer was lost must not become a second decision. */
static void
test_decision_not_retried (void)
{
  static const Step busy[] = { { ANSWER, 503, "0" }, { ANSWER, 200 } };
  static const Step dropped[] = { { DROP }, { ANSWER, 200 } };
  const Step *scripts[] = { busy, dropped };
  const int expected[] = { CABUT_AMS_ERROR_SERVER, CABUT_AMS_ERROR_NETWORK };

  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    {
      g_autoptr(Scripted) scripted = scripted_new (scripts[i], 2);
      g_autoptr(CabutAmsClient) client = client_new (scripted, 4, 10);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      cabut_ams_client_post_async (client, "requests/CBT-2026-000001/approve", NULL, NULL,
                                   cabut_test_result_cb, &result);
      node = cabut_ams_client_call_finish (client, wait_for (&result), &error);

      g_assert_error (error, CABUT_AMS_ERROR, expected[i]);
      g_assert_null (node);
      assert_hits (scripted, 1, "POST", "/api/v1/requests/CBT-2026-000001/approve", NULL);

      /* Nothing is sent later either. */
      {
        gint64 until = g_get_monotonic_time () + 100 * 1000;

        while (g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, FALSE);
      }
      g_assert_cmpuint (scripted->hits->len, ==, 1);
    }
}

static void
test_get_retried (void)
{
  /* The drop comes first: on a connection kept alive from an earlier
   * answer, libsoup itself sends a GET again, which is not our retry. */
  static const Step steps[] = { { DROP }, { ANSWER, 502 }, { ANSWER, 504 }, { ANSWER, 200 } };
  g_autoptr(Scripted) scripted = scripted_new (steps, G_N_ELEMENTS (steps));
  g_autoptr(CabutAmsClient) client = client_new (scripted, 4, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = get (client, "requests", &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  assert_hits (scripted, 4, "GET", "/api/v1/requests", NULL);
  assert_pause (scripted, 1, 10);
  assert_pause (scripted, 2, 20);
  assert_pause (scripted, 3, 40);
}

static void
test_get_gives_up (void)
{
  static const Step steps[] = { { ANSWER, 503 } };
  g_autoptr(Scripted) scripted = scripted_new (steps, G_N_ELEMENTS (steps));
  g_autoptr(CabutAmsClient) client = client_new (scripted, 3, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = get (client, "requests", &error);

  g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_SERVER);
  g_assert_null (node);
  assert_hits (scripted, 3, "GET", "/api/v1/requests", NULL);
}

/* Retry-After: no sooner than the service asks (seconds, or a date — one in
 * the past asks for no pause beyond the backoff). */
static void
test_retry_after (void)
{
  static const Step steps[] = {
    { ANSWER, 429, "1" },
    { ANSWER, 503, "Wed, 21 Oct 2015 07:28:00 GMT" },
    { ANSWER, 200 },
  };
  g_autoptr(Scripted) scripted = scripted_new (steps, G_N_ELEMENTS (steps));
  g_autoptr(CabutAmsClient) client = client_new (scripted, 3, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = get (client, "requests", &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  assert_hits (scripted, 3, "GET", "/api/v1/requests", NULL);
  assert_pause (scripted, 1, 1000);
  assert_pause (scripted, 2, 20);
}

/* A submission too: Retry-After on a 503, with the same key. */
static void
test_retry_after_submit (void)
{
  static const Step steps[] = { { ANSWER, 503, "1" }, { ANSWER, 201 } };
  g_autoptr(Scripted) scripted = scripted_new (steps, G_N_ELEMENTS (steps));
  g_autoptr(CabutAmsClient) client = client_new (scripted, 3, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = submit (client, "retry-after", &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  assert_hits (scripted, 2, "POST", "/api/v1/requests", "retry-after");
  assert_pause (scripted, 1, 1000);
}

/* A pause longer than anyone waits for is reported at once. */
static void
test_retry_after_too_long (void)
{
  static const Step steps[] = { { ANSWER, 503, "3600" }, { ANSWER, 200 } };
  g_autoptr(Scripted) scripted = scripted_new (steps, G_N_ELEMENTS (steps));
  g_autoptr(CabutAmsClient) client = client_new (scripted, 3, 10);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(JsonNode) node = get (client, "requests", &error);

  g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_SERVER);
  g_assert_null (node);
  assert_hits (scripted, 1, "GET", "/api/v1/requests", NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, SLACK_MS * 1000);
}

/* A sign-in the service turns away for this address (429) is a lock, said
 * in the service's words, and is not retried. */
static void
test_sign_in_too_many (void)
{
  static const Step steps[] = { { ANSWER, 429, "900" }, { ANSWER, 201 } };
  g_autoptr(Scripted) scripted = scripted_new (steps, G_N_ELEMENTS (steps));
  g_autoptr(CabutAmsClient) client = client_new (scripted, 3, 10);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cabut_ams_client_sign_in_async (client, "budi.santoso", "tebakan", NULL, NULL, cabut_test_result_cb, &result);
  g_assert_false (cabut_ams_client_sign_in_finish (client, wait_for (&result), &error));
  g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_LOCKED);
  assert_hits (scripted, 1, "POST", "/api/v1/session", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cabut/ams-client/submit-retried-after-503", test_submit_retried_after_503);
  g_test_add_func ("/cabut/ams-client/submit-retried-after-drop", test_submit_retried_after_drop);
  g_test_add_func ("/cabut/ams-client/send-gives-up", test_send_gives_up);
  g_test_add_func ("/cabut/ams-client/submit-gives-up-on-network", test_submit_gives_up_on_network);
  g_test_add_func ("/cabut/ams-client/decision-not-retried", test_decision_not_retried);
  g_test_add_func ("/cabut/ams-client/get-retried", test_get_retried);
  g_test_add_func ("/cabut/ams-client/get-gives-up", test_get_gives_up);
  g_test_add_func ("/cabut/ams-client/retry-after", test_retry_after);
  g_test_add_func ("/cabut/ams-client/retry-after-submit", test_retry_after_submit);
  g_test_add_func ("/cabut/ams-client/retry-after-too-long", test_retry_after_too_long);
  g_test_add_func ("/cabut/ams-client/sign-in-too-many", test_sign_in_too_many);

  return g_test_run ();
}
