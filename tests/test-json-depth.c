/* test-json-depth.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 7: JSON nested deep enough to overflow json-glib's recursive parser
 * is refused before it is parsed — by the service (a multipart metadata
 * part, a JSON body), by the client and by cabut-cli (a service's answer).
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-demo-service.h"
#include "cabut-json-private.h"
#include "cabut-server.h"
#include "cabut-test-util.h"

/* What kills an unguarded json-glib 1.6 on an 8 MiB stack. */
#define HOSTILE_DEPTH 75000

/* The JSON endpoints take at most 64 KiB. */
#define HOSTILE_JSON_BODY_DEPTH 65000

static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

static GBytes *
nested (guint depth)
{
  char *data = g_malloc (depth);

  memset (data, '[', depth);

  return g_bytes_new_take (data, depth);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

/* ---------------------------------------------------------------------- */
/* The scanner                                                             */

static void
assert_depth (const char *json,
              guint       max_depth,
              GQuark      domain,
              int         code)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = cabut_json_check_depth (json, strlen (json), max_depth, &error);

  if (domain == 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, domain, code);
      g_assert_false (ok);
    }
}

static void
test_scanner (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  assert_depth ("{\"a\": [1, {\"b\": [true, null, -1.5e3]}]}", 4, 0, 0);
  assert_depth ("{\"a\": [1, {\"b\": [true, null, -1.5e3]}]}", 3, CABUT_JSON_ERROR, CABUT_JSON_ERROR_TOO_DEEP);
  /* Brackets inside strings do not count, escaped quotes do not end them. */
  assert_depth ("[\"[[[[{{{{\"]", 1, 0, 0);
  assert_depth ("[\"\\\"[[[[\", \"\\\\\"]", 1, 0, 0);
  assert_depth ("[\"\\\\\", [[]]]", 2, CABUT_JSON_ERROR, CABUT_JSON_ERROR_TOO_DEEP);
  /* Siblings are no deeper than one of them. */
  assert_depth ("[[], [], {}, [[]]]", 3, 0, 0);
  /* json-glib reads comments and single-quoted strings, where a quote
   * could hide brackets from the count: not JSON, refused. */
  assert_depth ("/* \" */ [[[[]]]]", 8, CABUT_JSON_ERROR, CABUT_JSON_ERROR_INVALID);
  assert_depth ("['\"', [[[[]]]]]", 8, CABUT_JSON_ERROR, CABUT_JSON_ERROR_INVALID);
  assert_depth ("# \"\n[]", 8, CABUT_JSON_ERROR, CABUT_JSON_ERROR_INVALID);

  for (guint i = 0; i < CABUT_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < CABUT_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  node = cabut_json_parse (deep->str, deep->len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_clear_pointer (&node, json_node_unref);

  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  g_assert_null (cabut_json_parse (deep->str, -1, &error));
  g_assert_error (error, CABUT_JSON_ERROR, CABUT_JSON_ERROR_TOO_DEEP);
  g_clear_error (&error);

  g_assert_null (cabut_json_parse ("", 0, &error));
  g_assert_error (error, CABUT_JSON_ERROR, CABUT_JSON_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (cabut_json_parse ("{\"a\": }", -1, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == JSON_PARSER_ERROR);
  g_clear_error (&error);

  /* The app's saved service information goes through the same door. */
  {
    g_autoptr(GBytes) hostile = nested (HOSTILE_DEPTH);
    g_autofree char *text = g_strndup (g_bytes_get_data (hostile, NULL), HOSTILE_DEPTH);

    g_assert_null (cabut_service_info_new_from_json_string (text, &error));
    g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL);
  }
}

/* ---------------------------------------------------------------------- */
/* The service, in this process, on loopback                               */

typedef struct
{
  char        *dir;
  CabutServer *server;
  char        *url;     /* ends in a slash */
} Service;

static Service *
service_new (void)
{
  Service *self = g_new0 (Service, 1);
  g_autoptr(GError) error = NULL;

  self->dir = g_dir_make_tmp ("cabut-json-depth-XXXXXX", NULL);
  self->server = cabut_server_new (self->dir, &error);
  g_assert_no_error (error);
  g_assert_true (cabut_server_listen (self->server, "127.0.0.1:0", NULL, &error));
  g_assert_no_error (error);
  self->url = cabut_server_get_url (self->server);
  g_assert_true (cabut_server_start_ca (self->server, self->url, TRUE, &error));
  g_assert_no_error (error);

  return self;
}

static void
service_free (Service *self)
{
  cabut_server_shutdown (self->server);
  g_clear_object (&self->server);
  cabut_test_rm_rf (self->dir);
  g_free (self->dir);
  g_free (self->url);
  g_free (self);
}

/* Starting one takes seconds (its CA, the demo's keys): the tests share it. */
static Service *shared;

static Service *
shared_service (void)
{
  if (shared == NULL)
    shared = service_new ();

  return shared;
}

static SoupMessage *
service_message (Service    *service,
                 const char *method,
                 const char *path,
                 const char *token)
{
  g_autofree char *url = g_strconcat (service->url, "api/v1/", path, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Accept-Language", "id");
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }

  return msg;
}

/* Signs in as the demo's first applicant. */
static char *
service_sign_in (Service *service)
{
  g_autofree char *path = g_build_filename (service->dir, "demo", "accounts.json", NULL);
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GBytes) request_body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  CabutDemoAccount *applicant = NULL;

  accounts = cabut_demo_accounts_load (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; applicant == NULL && i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(CabutDemoAccount) account = g_list_model_get_item (accounts, i);

      if (g_str_equal (cabut_demo_account_get_role (account), "applicant"))
        applicant = account;
    }
  g_assert_nonnull (applicant);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, cabut_demo_account_get_username (applicant));
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, cabut_demo_account_get_password (applicant));
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);

  msg = service_message (service, "POST", "session", NULL);
  request_body = cabut_json_to_bytes (request);
  soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  body = cabut_test_http (msg, SOUP_STATUS_CREATED);
  answer = cabut_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);

  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "token"));
}

static void
assert_too_deep (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = cabut_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                               &error);
  JsonObject *err;

  g_assert_no_error (error);
  err = json_object_get_object_member (json_node_get_object (node), "error");
  g_assert_cmpstr (json_object_get_string_member (err, "code"), ==, "too_deep");
  /* Translated for the Accept-Language of the request. */
  g_assert_cmpstr (json_object_get_string_member (err, "message"), ==,
                   "Permohonan bersarang lebih dari 32 tingkat; layanan tidak membaca lebih dalam");
}

static void
assert_healthy (Service *service)
{
  g_autoptr(SoupMessage) msg = service_message (service, "GET", "health", NULL);
  g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_OK);
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  g_assert_nonnull (strstr (text, "\"status\":\"ok\""));
}

static void
test_server_multipart (void)
{
  Service *service = shared_service ();
  g_autofree char *token = service_sign_in (service);
  g_autoptr(SoupMessage) msg = service_message (service, "POST", "requests", token);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(SoupMessageHeaders) part_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GBytes) metadata = nested (HOSTILE_DEPTH);
  g_autoptr(GBytes) letter = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);

  soup_message_headers_replace (part_headers, "Content-Disposition", "form-data; name=\"metadata\"");
  soup_message_headers_replace (part_headers, "Content-Type", "application/json");
  soup_multipart_append_part (multipart, part_headers, metadata);
  soup_multipart_append_form_file (multipart, "letter", "letter.pdf", "application/pdf", letter);
  soup_multipart_to_message (multipart, headers, &request);
  soup_multipart_free (multipart);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", "json-depth-1");
  soup_message_set_request_body_from_bytes (msg, soup_message_headers_get_one (headers, "Content-Type"),
                                            request);
  body = cabut_test_http (msg, SOUP_STATUS_BAD_REQUEST);
  assert_too_deep (body);

  assert_healthy (service);
}

static void
test_server_json_body (void)
{
  Service *service = shared_service ();
  g_autoptr(SoupMessage) msg = service_message (service, "POST", "session", NULL);
  g_autoptr(GBytes) request = nested (HOSTILE_JSON_BODY_DEPTH);
  g_autoptr(GBytes) body = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  body = cabut_test_http (msg, SOUP_STATUS_BAD_REQUEST);
  assert_too_deep (body);

  assert_healthy (service);
}

/* ---------------------------------------------------------------------- */
/* The client and the CLI, against a scripted service                      */

static void
hostile_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  static const char session[] = "{\"token\": \"scripted\", \"expires_at\": \"2026-12-02T00:00:00Z\"}";
  GBytes *hostile = user_data;

  if (g_str_equal (path, "/api/v1/session"))
    {
      if (g_str_equal (soup_server_message_get_method (msg), "POST"))
        {
          soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                            session, strlen (session));
        }
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (hostile, NULL), g_bytes_get_size (hostile));
}

static SoupServer *
hostile_server_new (GBytes  *hostile,
                    char   **url)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, hostile_cb, hostile, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

static void
test_client (void)
{
  g_autoptr(GBytes) hostile = nested (HOSTILE_DEPTH);
  g_autofree char *url = NULL;
  g_autoptr(SoupServer) server = hostile_server_new (hostile, &url);
  g_autoptr(CabutAmsClient) client = cabut_ams_client_new (url, NULL);

  cabut_ams_client_set_retry_policy (client, 1, 0);
  cabut_ams_client_set_token (client, "scripted");

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CabutProfile) profile = NULL;

    cabut_ams_client_get_profile_async (client, NULL, cabut_test_result_cb, &result);
    profile = cabut_ams_client_get_profile_finish (client, wait_for (&result), &error);
    g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL);
    g_assert_null (profile);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    cabut_ams_client_get_async (client, "me", NULL, cabut_test_result_cb, &result);
    node = cabut_ams_client_call_finish (client, wait_for (&result), &error);
    g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL);
    g_assert_null (node);
  }

  soup_server_disconnect (server);
}

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  cabut_test_result_cb (object, result, user_data);
}

static void
test_cli (void)
{
  g_autoptr(GBytes) hostile = nested (HOSTILE_DEPTH);
  g_autofree char *url = NULL;
  g_autoptr(SoupServer) server = hostile_server_new (hostile, &url);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "CABUT_TEST_PASSWORD", "scripted", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CABUT_CLI"), "--server", url,
                                         "--user", "budi.santoso", "--password-env", "CABUT_TEST_PASSWORD",
                                         "reasons", NULL);
  g_assert_no_error (error);

  /* The scripted service answers from this main context. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &result);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, wait_for (&result), &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("cabut-cli reasons → %d %s", g_subprocess_get_exit_status (process), err);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 5);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "cabut-cli: "));
  lines = g_strsplit (err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[1], ==, "");

  soup_server_disconnect (server);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cabut/json-depth/scanner", test_scanner);
  g_test_add_func ("/cabut/json-depth/server-multipart", test_server_multipart);
  g_test_add_func ("/cabut/json-depth/server-json-body", test_server_json_body);
  g_test_add_func ("/cabut/json-depth/client", test_client);
  g_test_add_func ("/cabut/json-depth/cli", test_cli);

  status = g_test_run ();
  g_clear_pointer (&shared, service_free);

  return status;
}
