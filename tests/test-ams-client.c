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

/* ---------------------------------------------------------------------- */
/* The review dossier                                                      */

static const char dossier_json[] =
  "{\"request\": {\"id\": \"CBT-2026-000007\", \"status\": \"in_review\", \"reason\": \"superseded\","
  "  \"reason_label\": \"Replaced\", \"note\": null,"
  "  \"certificate\": {\"serial\": \"0A1B\", \"subject\": \"CN=Budi Santoso,O=Pemerintah Kota Contoh,C=ID\","
  "                  \"issuer\": \"CN=Cabut Demo CA DS,C=ID\"},"
  "  \"applicant\": {\"username\": \"budi.santoso\", \"full_name\": \"Budi Santoso\"},"
  "  \"letter\": {\"sha256\": \"00\", \"type\": \"application/pdf\", \"size\": 51},"
  "  \"key_possession\": true, \"letter_match\": \"no_code\", \"letter_code\": null,"
  "  \"created_at\": \"2026-12-01T01:00:00Z\", \"due\": \"2026-12-02T16:59:59Z\", \"decided_at\": null,"
  "  \"overdue\": false, \"events\": []},"
  " \"account\": {\"username\": \"budi.santoso\", \"full_name\": \"Budi Santosa\", \"email\": null,"
  "  \"nik\": \"9973010101850001\", \"nip\": null, \"position\": null, \"unit\": null,"
  "  \"organization\": \"Pemerintah Kota Contoh\", \"role\": \"applicant\"},"
  " \"certificate\": {\"serial\": \"0A1B\", \"subject_string\": \"CN=Budi Santoso,O=Pemerintah Kota Contoh,C=ID\","
  "  \"subject\": [{\"oid\": \"2.5.4.3\", \"name\": \"CN\", \"value\": \"Budi Santoso\", \"rdn\": 0},"
  "              {\"oid\": \"2.5.4.10\", \"name\": \"O\", \"value\": \"Pemerintah Kota Contoh\", \"rdn\": 1},"
  "              {\"oid\": \"2.5.4.6\", \"name\": \"C\", \"value\": \"ID\", \"rdn\": 2}],"
  "  \"issuer\": \"CN=Cabut Demo CA DS,C=ID\", \"not_before\": \"2026-01-01T00:00:00Z\","
  "  \"not_after\": \"2028-01-01T00:00:00Z\", \"status\": \"good\", \"revoked_at\": null, \"sha256\": null,"
  "  \"pem\": null},"
  " \"checks\": [{\"name\": \"CN\", \"label\": \"Name\", \"expected\": \"Budi Santosa\", \"found\": \"Budi Santoso\","
  "              \"matches\": false},"
  "             {\"name\": \"O\", \"label\": \"Organization\", \"expected\": \"Pemerintah Kota Contoh\","
  "              \"found\": \"Pemerintah Kota Contoh\", \"matches\": true},"
  "             {\"name\": \"key_possession\", \"label\": \"Proof of key possession\", \"expected\": \"yes\","
  "              \"found\": \"yes\", \"matches\": true}]}";

static CabutReview *
review_from (const char  *json,
             GError     **error)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return cabut_review_new_from_json (node, error);
}

/* Replaces the first @from in the dossier by @to. */
static char *
dossier_with (const char *from,
              const char *to)
{
  const char *at = strstr (dossier_json, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - dossier_json), dossier_json, to, at + strlen (from));
}

static void
test_review_parsed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutReview) review = review_from (dossier_json, &error);
  GPtrArray *subject;
  CabutReviewCheck *check;

  g_assert_no_error (error);
  g_assert_cmpstr (cabut_request_get_id (cabut_review_get_request (review)), ==, "CBT-2026-000007");
  g_assert_cmpint (cabut_request_get_state (cabut_review_get_request (review)), ==, CABUT_REQUEST_STATE_IN_REVIEW);
  g_assert_cmpstr (cabut_review_get_account (review, CABUT_REVIEW_ACCOUNT_FULL_NAME), ==, "Budi Santosa");
  g_assert_cmpstr (cabut_review_get_account (review, CABUT_REVIEW_ACCOUNT_NIK), ==, "9973010101850001");
  g_assert_null (cabut_review_get_account (review, CABUT_REVIEW_ACCOUNT_NIP));
  g_assert_cmpstr (cabut_review_get_serial (review), ==, "0A1B");
  g_assert_false (cabut_review_get_revoked (review));
  g_assert_null (cabut_review_get_sha256 (review));
  g_assert_null (cabut_review_get_certificate (review));
  g_assert_cmpint (g_date_time_get_year (cabut_review_get_not_after (review)), ==, 2028);

  subject = cabut_review_get_subject_attributes (review);
  g_assert_cmpuint (subject->len, ==, 3);
  g_assert_cmpstr (cabut_rdn_attribute_get_oid (g_ptr_array_index (subject, 0)), ==, "2.5.4.3");
  g_assert_cmpstr (cabut_rdn_attribute_get_name (g_ptr_array_index (subject, 0)), ==, "CN");
  g_assert_cmpstr (cabut_rdn_attribute_get_label (g_ptr_array_index (subject, 0)), ==, "Common name");
  g_assert_cmpstr (cabut_rdn_attribute_get_value (g_ptr_array_index (subject, 1)), ==, "Pemerintah Kota Contoh");
  g_assert_cmpuint (cabut_rdn_attribute_get_rdn (g_ptr_array_index (subject, 2)), ==, 2);

  g_assert_cmpuint (g_list_model_get_n_items (cabut_review_get_checks (review)), ==, 3);
  g_assert_cmpuint (cabut_review_count_mismatches (review), ==, 1);
  check = cabut_review_find_check (review, "CN");
  g_assert_cmpstr (cabut_review_check_get_label (check), ==, "Name");
  g_assert_cmpstr (cabut_review_check_get_expected (check), ==, "Budi Santosa");
  g_assert_cmpstr (cabut_review_check_get_found (check), ==, "Budi Santoso");
  g_assert_false (cabut_review_check_get_matches (check));
  g_assert_null (cabut_review_find_check (review, "letter"));

  /* The same, as properties to bind to. */
  {
    g_autofree char *serial = NULL;
    g_autofree char *label = NULL;
    g_autoptr(GListModel) checks = NULL;
    g_autoptr(CabutRequest) request = NULL;
    gboolean revoked = TRUE, matches = TRUE;
    guint mismatches = 0;

    g_object_get (review, "serial", &serial, "revoked", &revoked, "checks", &checks, "request", &request,
                  "mismatches", &mismatches, NULL);
    g_assert_cmpstr (serial, ==, "0A1B");
    g_assert_false (revoked);
    g_assert_true (checks == cabut_review_get_checks (review));
    g_assert_true (request == cabut_review_get_request (review));
    g_assert_cmpuint (mismatches, ==, 1);
    g_object_get (check, "label", &label, "matches", &matches, NULL);
    g_assert_cmpstr (label, ==, "Name");
    g_assert_false (matches);
  }
}

/* Every member of the wrong type, or a value out of its set, is a
 * protocol error: never a default. */
static void
test_review_wrong_types (void)
{
  static const struct { const char *from, *to; } cases[] = {
    { "\"matches\": false", "\"matches\": \"no\"" },
    { "\"matches\": true", "\"matches\": 1" },
    { "\"value\": \"Budi Santoso\"", "\"value\": 7" },
    { "\"oid\": \"2.5.4.3\"", "\"oid\": \"commonName\"" },
    { "\"rdn\": 0", "\"rdn\": -1" },
    { "\"status\": \"good\"", "\"status\": \"fine\"" },
    { "\"not_after\": \"2028-01-01T00:00:00Z\"", "\"not_after\": 2028" },
    { "\"nik\": \"9973010101850001\"", "\"nik\": 9973010101850001" },
    { "\"username\": \"budi.santoso\", \"full_name\": \"Budi Santosa\"", "\"username\": null, \"full_name\": \"B\"" },
    { "\"pem\": null", "\"pem\": \"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n\"" },
    { "\"checks\": [", "\"checks\": 7, \"x\": [" },
    { "\"key_possession\": true", "\"key_possession\": \"true\"" },
    { "\"events\": []", "\"events\": [], \"crl_number\": \"7\"" },
    { "\"subject\": [{", "\"subject\": [7, {" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = dossier_with (cases[i].from, cases[i].to);
      g_autoptr(GError) error = NULL;
      g_autoptr(CabutReview) review = NULL;

      g_test_message ("%s → %s", cases[i].from, cases[i].to);
      review = review_from (json, &error);
      g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL);
      g_assert_null (review);
    }
}

/* Through the client: an answer that is no dossier is a protocol error;
 * a decision is sent once, never retried. */
static void
test_review_through_client (void)
{
  static const Step ok[] = { { ANSWER, 200 } };
  static const Step busy[] = { { ANSWER, 503, "0" }, { ANSWER, 200 } };
  g_autoptr(Scripted) scripted = scripted_new (ok, 1);
  g_autoptr(CabutAmsClient) client = client_new (scripted, 4, 10);
  g_autoptr(Scripted) busy_service = scripted_new (busy, 2);
  g_autoptr(CabutAmsClient) busy_client = client_new (busy_service, 4, 10);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) decided = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) decide_error = NULL;
  g_autoptr(CabutReview) review = NULL;
  g_autoptr(CabutRequest) request = NULL;

  cabut_ams_client_get_review_async (client, "CBT-2026-000001", NULL, cabut_test_result_cb, &result);
  review = cabut_ams_client_get_review_finish (client, wait_for (&result), &error);
  g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL);
  g_assert_null (review);
  assert_hits (scripted, 1, "GET", "/api/v1/requests/CBT-2026-000001/review", NULL);

  cabut_ams_client_decide_async (busy_client, "CBT-2026-000001", "reject", "Tidak ditandatangani.", NULL,
                                 cabut_test_result_cb, &decided);
  request = cabut_ams_client_decide_finish (busy_client, wait_for (&decided), &decide_error);
  g_assert_error (decide_error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_SERVER);
  g_assert_null (request);
  assert_hits (busy_service, 1, "POST", "/api/v1/requests/CBT-2026-000001/reject", NULL);
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
  g_test_add_func ("/cabut/ams-client/review-parsed", test_review_parsed);
  g_test_add_func ("/cabut/ams-client/review-wrong-types", test_review_wrong_types);
  g_test_add_func ("/cabut/ams-client/review-through-client", test_review_through_client);

  return g_test_run ();
}
