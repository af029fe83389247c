/* test-desk.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The service desk's operations against the real cabut-server on
 * loopback, driven by raw HTTP, by core's typed client and by cabut-cli:
 * the audit log and its CSV export, filing for an applicant at the desk.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-test-util.h"

static CabutTestService *service;

static char *
api_path (const char *format,
          ...) G_GNUC_PRINTF (1, 2);

static char *
api_path (const char *format,
          ...)
{
  va_list args;
  char *path;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);

  return path;
}

/* The actions of a page of the audit log, in its order, joined by spaces. */
static char *
audit_actions (JsonObject *page)
{
  JsonArray *entries = json_object_get_array_member (page, "entries");
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, json_object_get_string_member (entry, "action"));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

/* A rejection whose note would be a formula in a spreadsheet: the audit
 * log has it, filtered by request, actor and time, paged, as JSON, as CSV
 * (safe) and through core's typed client and cabut-cli. */
static void
test_audit (void)
{
  static const char note[] = "=HYPERLINK(\"http://contoh.invalid\",\"klik\"), baris 1\nbaris 2";
  g_autoptr(JsonObject) filed = cabut_test_service_submit (service, "agus.wijaya", "agus.wijaya", NULL, NULL);
  g_autofree char *admin = cabut_test_service_sign_in (service, "admin");
  g_autofree char *officer = cabut_test_service_sign_in (service, "dewi.verifikator");
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *actions = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(JsonObject) rejected = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *csv_text = NULL;
  g_autofree char *expected_row = NULL;
  guint status = 0;

  g_assert_nonnull (filed);
  id = g_strdup (json_object_get_string_member (filed, "id"));

  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *body = NULL;

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "note");
    json_builder_add_string_value (builder, note);
    json_builder_end_object (builder);
    node = json_builder_get_root (builder);
    body = json_to_string (node, FALSE);
    path = api_path ("requests/%s/reject", id);
    rejected = cabut_test_api_json (service, "POST", path, officer, body, SOUP_STATUS_OK);
    g_assert_cmpstr (json_object_get_string_member (rejected, "status"), ==, "rejected");
    g_clear_pointer (&path, g_free);
  }

  /* By request: the rejection, then the filing (newest first). */
  path = api_path ("admin/audit?request=%s", id);
  page = cabut_test_api_json (service, "GET", path, admin, NULL, SOUP_STATUS_OK);
  actions = audit_actions (page);
  g_assert_cmpstr (actions, ==, "request.reject request.create");
  g_assert_true (json_object_get_null_member (page, "next"));
  {
    JsonObject *reject = json_array_get_object_element (json_object_get_array_member (page, "entries"), 0);
    JsonObject *actor = json_object_get_object_member (reject, "actor");

    g_assert_cmpstr (json_object_get_string_member (actor, "username"), ==, "dewi.verifikator");
    g_assert_cmpstr (json_object_get_string_member (actor, "role"), ==, "operator");
    g_assert_cmpstr (json_object_get_string_member (reject, "detail"), ==, note);
    g_assert_cmpstr (json_object_get_string_member (reject, "remote"), ==, "127.0.0.1");
  }
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&page, json_object_unref);
  g_clear_pointer (&actions, g_free);

  /* By actor and request together; an unknown actor matches nothing. */
  path = api_path ("admin/audit?actor=agus.wijaya&request=%s", id);
  page = cabut_test_api_json (service, "GET", path, admin, NULL, SOUP_STATUS_OK);
  actions = audit_actions (page);
  g_assert_cmpstr (actions, ==, "request.create");
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&page, json_object_unref);
  g_clear_pointer (&actions, g_free);
  page = cabut_test_api_json (service, "GET", "admin/audit?actor=nobody.here", admin, NULL, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "entries")), ==, 0);
  g_clear_pointer (&page, json_object_unref);

  /* Time bounds: nothing since tomorrow, all of it until then; a bad time is refused. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
    g_autofree char *day = g_date_time_format (tomorrow, "%F");
    g_autoptr(GBytes) answer = NULL;
    g_autofree char *code = NULL;

    path = api_path ("admin/audit?request=%s&since=%s", id, day);
    page = cabut_test_api_json (service, "GET", path, admin, NULL, SOUP_STATUS_OK);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "entries")), ==, 0);
    g_clear_pointer (&path, g_free);
    g_clear_pointer (&page, json_object_unref);
    path = api_path ("admin/audit?request=%s&until=%s", id, day);
    page = cabut_test_api_json (service, "GET", path, admin, NULL, SOUP_STATUS_OK);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "entries")), ==, 2);
    g_clear_pointer (&path, g_free);
    g_clear_pointer (&page, json_object_unref);

    answer = cabut_test_api (service, "GET", "admin/audit?since=yesterday", admin, NULL, NULL, &status);
    code = cabut_test_error_code (answer);
    g_assert_cmpuint (status, ==, 400);
    g_assert_cmpstr (code, ==, "bad_time");
  }

  /* Paged by one: the same rows, in the same order, as one page of 200. */
  {
    g_autoptr(JsonObject) whole = cabut_test_api_json (service, "GET", "admin/audit?limit=200", admin, NULL,
                                                       SOUP_STATUS_OK);
    g_autofree char *all = audit_actions (whole);
    g_autoptr(GString) paged = g_string_new (NULL);
    g_autofree char *cursor = NULL;
    guint pages = 0;
    gint64 last_id = G_MAXINT64;

    do
      {
        g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
        g_autofree char *one = NULL;
        g_autofree char *page_path = g_strconcat ("admin/audit?limit=1", escaped ? "&cursor=" : "", escaped, NULL);
        g_autoptr(JsonObject) part = cabut_test_api_json (service, "GET", page_path, admin, NULL, SOUP_STATUS_OK);
        JsonArray *entries = json_object_get_array_member (part, "entries");

        g_assert_cmpuint (json_array_get_length (entries), ==, 1);
        g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (entries, 0), "id"), <, last_id);
        last_id = json_object_get_int_member (json_array_get_object_element (entries, 0), "id");
        one = audit_actions (part);
        if (paged->len > 0)
          g_string_append_c (paged, ' ');
        g_string_append (paged, one);
        g_free (cursor);
        cursor = json_object_get_null_member (part, "next") ? NULL
                                                            : g_strdup (json_object_get_string_member (part, "next"));
        pages++;
      }
    while (cursor != NULL);

    g_assert_cmpstr (paged->str, ==, all);
    g_assert_cmpuint (pages, ==, json_array_get_length (json_object_get_array_member (whole, "entries")));
  }

  /* CSV, asked for by Accept: quoted, quotes doubled, the formula defused. */
  {
    g_autofree char *url = g_strdup_printf ("%sapi/v1/admin/audit?request=%s", service->url, id);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autofree char *auth = g_strconcat ("Bearer ", admin, NULL);
    g_auto(GStrv) lines = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "text/csv");
    csv = cabut_test_http (msg, SOUP_STATUS_OK);
    g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                                            NULL), "text/csv"));
    csv_text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
    g_assert_true (g_str_has_prefix (csv_text, "id,at,actor,actor_name,role,action,target,remote,detail\r\n"));
    expected_row = g_strdup_printf (",dewi.verifikator,\"Dewi Lestari, S.T.\",operator,request.reject,%s,127.0.0.1,"
                                    "\"'=HYPERLINK(\"\"http://contoh.invalid\"\",\"\"klik\"\"), baris 1\nbaris 2\"\r\n",
                                    id);
    g_assert_nonnull (strstr (csv_text, expected_row));
    lines = g_strsplit (csv_text, "\r\n", -1);
    /* header, two rows, and the empty string after the last CRLF */
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
  }

  /* format=csv gives the same bytes. */
  {
    g_autoptr(GBytes) again = NULL;

    path = api_path ("admin/audit?request=%s&format=csv", id);
    again = cabut_test_api (service, "GET", path, admin, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
    g_assert_true (g_bytes_equal (again, csv));
    g_clear_pointer (&path, g_free);
  }

  /* Core's typed client reads the same page. */
  {
    g_autoptr(CabutAmsClient) client = cabut_ams_client_new (service->url, NULL);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GListModel) entries = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CabutAuditEntry) first = NULL;
    g_autofree char *next = NULL;

    cabut_ams_client_set_token (client, admin);
    cabut_ams_client_list_audit_async (client, NULL, id, NULL, NULL, NULL, NULL, cabut_test_result_cb, &result);
    entries = cabut_ams_client_list_audit_finish (client, wait_for (&result), &next, &error);
    g_assert_no_error (error);
    g_assert_null (next);
    g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
    first = g_list_model_get_item (entries, 0);
    g_assert_cmpstr (cabut_audit_entry_get_action (first), ==, "request.reject");
    g_assert_cmpstr (cabut_audit_entry_get_actor_username (first), ==, "dewi.verifikator");
    g_assert_cmpstr (cabut_audit_entry_get_detail (first), ==, note);
    g_assert_cmpstr (cabut_audit_entry_get_target (first), ==, id);

    /* An officer is not an administrator. */
    g_clear_object (&result);
    g_clear_object (&entries);
    cabut_ams_client_set_token (client, officer);
    cabut_ams_client_list_audit_async (client, NULL, NULL, NULL, NULL, NULL, NULL, cabut_test_result_cb, &result);
    entries = cabut_ams_client_list_audit_finish (client, wait_for (&result), NULL, &error);
    g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_FORBIDDEN);
    g_assert_null (entries);
  }

  /* cabut-cli audit --csv prints what the service exports; as an officer it is refused. */
  {
    const char *args[] = { "audit", "--csv", "--request", id, NULL };
    const char *text_args[] = { "audit", "--request", id, "--actor", "dewi.verifikator", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (cabut_test_service_cli (service, "admin", args, &out, NULL), ==, 0);
    g_assert_cmpstr (out, ==, csv_text);
    g_clear_pointer (&out, g_free);

    g_assert_cmpint (cabut_test_service_cli (service, "admin", text_args, &out, NULL), ==, 0);
    lines = g_strsplit (out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 3);   /* two lines and the end */
    g_assert_nonnull (strstr (lines[0], "dewi.verifikator"));
    g_assert_nonnull (strstr (lines[0], "request.reject"));
    g_clear_pointer (&out, g_free);

    g_assert_cmpint (cabut_test_service_cli (service, "dewi.verifikator", args, &out, &err), ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_assert_nonnull (strstr (err, "Only an administrator may do this"));
  }
}

/* The demo applicant's certificate, without its private key, as a PEM
 * file: what an officer has when the applicant comes to the desk. */
static char *
certificate_pem_file (const char        *username,
                      CabutCertificate **out)
{
  g_autofree char *p12_name = g_strdup_printf ("%s.p12", username);
  g_autofree char *p12 = g_build_filename (service->dir, "demo", p12_name, NULL);
  g_autofree char *password = cabut_test_service_p12_password (service, username);
  g_autofree char *pem_name = g_strdup_printf ("%s.pem", username);
  g_autofree char *path = g_build_filename (service->dir, pem_name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (p12);
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) cert = cabut_certificate_new_from_file (file, password, NULL, &error);
  g_autofree char *pem = NULL;

  g_assert_no_error (error);
  pem = cabut_certificate_to_pem (cert);
  g_assert_true (g_file_set_contents (path, pem, -1, &error));
  if (out != NULL)
    *out = g_steal_pointer (&cert);

  return g_steal_pointer (&path);
}

/* A filing by raw HTTP (multipart: metadata, a small PDF letter), for
 * the refusals' exact codes. Returns: "STATUS code" or "STATUS". */
static char *
file_raw (const char *token,
          const char *metadata)
{
  static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
  g_autoptr(SoupMessageHeaders) part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) meta = g_bytes_new (metadata, strlen (metadata));
  g_autoptr(GBytes) letter = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *url = g_strconcat (service->url, "api/v1/requests", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *code = NULL;
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);

  soup_message_headers_replace (part, "Content-Disposition", "form-data; name=\"metadata\"");
  soup_multipart_append_part (multipart, part, meta);
  soup_multipart_append_form_file (multipart, "letter", "surat.pdf", "application/pdf", letter);
  soup_multipart_to_message (multipart, headers, &body);
  soup_multipart_free (multipart);
  soup_message_set_request_body_from_bytes (msg, soup_message_headers_get_one (headers, "Content-Type"), body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  answer = cabut_test_http (msg, 0);
  code = cabut_test_error_code (answer);

  return code != NULL ? g_strdup_printf ("%u %s", soup_message_get_status (msg), code)
                      : g_strdup_printf ("%u", soup_message_get_status (msg));
}

static char *
metadata_for (CabutCertificate *cert,
              const char       *on_behalf_of)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "serial");
  json_builder_add_string_value (builder, cabut_certificate_get_serial (cert));
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, cabut_certificate_get_subject_string (cert));
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, "superseded");
  if (on_behalf_of != NULL)
    {
      json_builder_set_member_name (builder, "on_behalf_of");
      json_builder_add_string_value (builder, on_behalf_of);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  return json_to_string (node, FALSE);
}

static gboolean
list_has (JsonObject *list,
          const char *id)
{
  JsonArray *requests = json_object_get_array_member (list, "requests");

  for (guint i = 0; i < json_array_get_length (requests); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (requests, i), "id"), id))
      return TRUE;

  return FALSE;
}

/* An officer files for an applicant at the desk with the certificate
 * alone: the request is the applicant's (their list, their timeline, their
 * feed), filed_by names the officer, the filing's event and audit row are
 * the officer's, and there is no proof of key possession. */
static void
test_file_on_behalf (void)
{
  g_autoptr(CabutCertificate) cert = NULL;
  g_autofree char *pem = certificate_pem_file ("budi.santoso", &cert);
  g_autoptr(JsonObject) filed = NULL;
  g_autofree char *budi = cabut_test_service_sign_in (service, "budi.santoso");
  g_autofree char *admin = cabut_test_service_sign_in (service, "admin");
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) seen = NULL;
  g_autoptr(JsonObject) audit = NULL;
  g_autoptr(JsonObject) feed = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  JsonObject *event;
  JsonObject *entry;
  const char *id;

  /* cabut-cli submit --cert takes the PEM here: no private key. */
  {
    const char *args[] = { "submit", "--json", "--cert", pem, "--reason", "superseded", "--letter", NULL, "--on-behalf-of",
                           "budi.santoso", NULL };
    g_autofree char *letter = g_build_filename (service->dir, "surat.pdf", NULL);
    g_autoptr(JsonNode) node = NULL;
    static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

    g_assert_true (g_file_set_contents (letter, pdf, sizeof pdf - 1, NULL));
    args[7] = letter;
    g_assert_cmpint (cabut_test_service_cli (service, "dewi.verifikator", args, &out, NULL), ==, 0);
    node = json_from_string (out, NULL);
    filed = json_object_ref (json_node_get_object (node));
  }
  id = json_object_get_string_member (filed, "id");
  g_assert_cmpstr (json_object_get_string_member (filed, "status"), ==, "submitted");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (filed, "applicant"), "username"), ==,
                   "budi.santoso");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (filed, "filed_by"), "username"), ==,
                   "dewi.verifikator");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (filed, "filed_by"), "full_name"), ==,
                   "Dewi Lestari, S.T.");
  g_assert_false (json_object_get_boolean_member (filed, "key_possession"));

  /* The applicant's: in their list and their feed; the officer files, so the event is hers. */
  list = cabut_test_api_json (service, "GET", "requests", budi, NULL, SOUP_STATUS_OK);
  g_assert_true (list_has (list, id));
  path = api_path ("requests/%s", id);
  seen = cabut_test_api_json (service, "GET", path, budi, NULL, SOUP_STATUS_OK);
  event = json_array_get_object_element (json_object_get_array_member (seen, "events"), 0);
  g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "submitted");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event, "actor"), "username"), ==,
                   "dewi.verifikator");
  feed = cabut_test_api_json (service, "GET", "events?after=0&wait=0", budi, NULL, SOUP_STATUS_OK);
  {
    JsonArray *events = json_object_get_array_member (feed, "events");
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (events); i++)
      found |= g_str_equal (json_object_get_string_member (json_array_get_object_element (events, i), "request"), id);
    g_assert_true (found);
  }
  g_clear_pointer (&path, g_free);

  path = api_path ("admin/audit?request=%s", id);
  audit = cabut_test_api_json (service, "GET", path, admin, NULL, SOUP_STATUS_OK);
  entry = json_array_get_object_element (json_object_get_array_member (audit, "entries"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "action"), ==, "request.create");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "actor"), "username"), ==,
                   "dewi.verifikator");
  g_assert_cmpstr (json_object_get_string_member (entry, "detail"), ==,
                   "filed at the desk for budi.santoso; key possession not proven");

  /* Core's typed request says the same; cabut-cli status shows it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    g_autoptr(CabutRequest) request = NULL;
    const char *args[] = { "status", id, NULL };
    g_autofree char *text = NULL;

    json_node_set_object (node, seen);
    request = cabut_request_new_from_json (node, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (cabut_request_get_filed_by_username (request), ==, "dewi.verifikator");
    g_assert_cmpstr (cabut_request_get_filed_by_name (request), ==, "Dewi Lestari, S.T.");
    g_assert_null (cabut_request_get_pending_action (request));

    g_assert_cmpint (cabut_test_service_cli (service, "budi.santoso", args, &text, NULL), ==, 0);
    g_assert_nonnull (strstr (text, "Filed at the desk by: Dewi Lestari, S.T. (dewi.verifikator)\n"));
    g_assert_nonnull (strstr (text, "Key possession: not proven (the applicant came to the desk with the signed letter)\n"));
  }

  /* The applicant's own filing has filed_by null. */
  {
    g_autoptr(JsonObject) own = cabut_test_service_submit (service, "siti.rahmawati", "siti.rahmawati", NULL, NULL);

    g_assert_nonnull (own);
    g_assert_true (json_object_get_null_member (own, "filed_by"));
    g_assert_true (json_object_get_boolean_member (own, "key_possession"));
  }
}

/* Who may file for whom, with the exact refusals. */
static void
test_file_on_behalf_refused (void)
{
  g_autoptr(CabutCertificate) cert = NULL;
  g_autofree char *pem = certificate_pem_file ("agus.wijaya", &cert);
  g_autofree char *officer = cabut_test_service_sign_in (service, "dewi.verifikator");
  g_autofree char *applicant = cabut_test_service_sign_in (service, "siti.rahmawati");
  g_autofree char *admin = cabut_test_service_sign_in (service, "admin");
  const struct {
    const char *token;
    const char *on_behalf_of;
    const char *expect;
  } cases[] = {
    { applicant, "agus.wijaya", "403 forbidden" },
    { officer, "dewi.verifikator", "403 own_request" },
    { officer, "DEWI.verifikator", "403 own_request" },
    { officer, "rina.verifikator", "403 not_an_applicant" },
    { officer, "admin", "403 not_an_applicant" },
    { admin, "dewi.verifikator", "403 not_an_applicant" },
    { officer, "nobody.here", "404 unknown_applicant" },
    { officer, "siti.rahmawati", "403 not_your_certificate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *metadata = metadata_for (cert, cases[i].on_behalf_of);
      g_autofree char *got = file_raw (cases[i].token, metadata);

      g_assert_cmpstr (got, ==, cases[i].expect);
    }

  /* An administrator may file at the desk too; nothing was filed before. */
  {
    g_autofree char *metadata = metadata_for (cert, "agus.wijaya");
    g_autofree char *got = file_raw (admin, metadata);

    g_assert_cmpstr (got, ==, "201");
  }
}

/* The administrator registers @cert to @username's account. */
static void
register_certificate (CabutTestService *on,
                      const char       *admin,
                      const char       *username,
                      CabutCertificate *cert)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *pem = cabut_certificate_to_pem (cert);
  g_autofree char *body = NULL;
  g_autoptr(GBytes) answer = NULL;
  guint status = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "pem");
  json_builder_add_string_value (builder, pem);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  body = json_to_string (node, FALSE);
  answer = cabut_test_api (on, "POST", "admin/certificates", admin, NULL, body, &status);
  g_assert_cmpuint (status, ==, 201);
}

/* An officer who also holds a certificate files their own request like
 * anyone; another officer decides it, never they. */
static void
test_officer_own_request (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (cabut_test_fixture_path ("rsa2048.pem"));
  g_autoptr(CabutCertificate) cert = cabut_certificate_new_from_file (file, NULL, NULL, &error);
  g_autofree char *admin = cabut_test_service_sign_in (service, "admin");
  g_autofree char *rina = cabut_test_service_sign_in (service, "rina.verifikator");
  g_autofree char *dewi = cabut_test_service_sign_in (service, "dewi.verifikator");
  g_autofree char *metadata = NULL;
  g_autofree char *got = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *code = NULL;
  JsonObject *request;
  guint status = 0;

  g_assert_no_error (error);
  register_certificate (service, admin, "rina.verifikator", cert);

  metadata = metadata_for (cert, NULL);
  got = file_raw (rina, metadata);
  g_assert_cmpstr (got, ==, "201");
  list = cabut_test_api_json (service, "GET", "requests", rina, NULL, SOUP_STATUS_OK);
  request = json_array_get_object_element (json_object_get_array_member (list, "requests"), 0);

  for (guint i = 0; i < 3; i++)
    {
      const char *verbs[] = { "review", "approve", "reject" };

      g_clear_pointer (&path, g_free);
      g_clear_pointer (&answer, g_bytes_unref);
      g_clear_pointer (&code, g_free);
      path = api_path ("requests/%s/%s", json_object_get_string_member (request, "id"), verbs[i]);
      answer = cabut_test_api (service, "POST", path, rina, NULL, "{\"note\": \"sendiri\"}", &status);
      code = cabut_test_error_code (answer);
      g_assert_cmpuint (status, ==, 403);
      g_assert_cmpstr (code, ==, "own_request");
    }

  /* Another officer may. */
  g_clear_pointer (&path, g_free);
  path = api_path ("requests/%s/review", json_object_get_string_member (request, "id"));
  g_clear_pointer (&list, json_object_unref);
  list = cabut_test_api_json (service, "POST", path, dewi, "{}", SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (list, "status"), ==, "in_review");
}

/* The serials the service's CRL lists, as openssl reads them (the CRL's
 * signature verified against the demo chain), sorted, joined by spaces. */
static char *
crl_serials (CabutTestService *on)
{
  g_autofree char *url = g_strconcat (on->url, "pki/crl", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) crl = cabut_test_http (msg, SOUP_STATUS_OK);
  g_autofree char *path = g_build_filename (on->dir, "served.crl", NULL);
  g_autofree char *chain = g_build_filename (on->dir, "demo", "ca.pem", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) serials = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (crl, NULL), g_bytes_get_size (crl), NULL));
  text = cabut_test_openssl ("crl", "-inform", "DER", "-in", path, "-CAfile", chain, "-noout", "-text", NULL);
  g_assert_nonnull (text);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (g_str_has_prefix (line, "Serial Number: "))
        g_ptr_array_add (serials, g_strdup (line + strlen ("Serial Number: ")));
    }
  g_ptr_array_sort (serials, (GCompareFunc) cabut_test_compare_strings);
  g_ptr_array_add (serials, NULL);

  return g_strjoinv (" ", (char **) serials->pdata);
}

static const char *
pending_member (JsonObject *request,
                const char *member)
{
  JsonNode *pending = json_object_get_member (request, "pending_decision");

  if (pending == NULL || JSON_NODE_HOLDS_NULL (pending))
    return NULL;

  return json_object_get_string_member (json_node_get_object (pending), member);
}

static const char *
last_event_kind (JsonObject *request)
{
  JsonArray *events = json_object_get_array_member (request, "events");
  JsonObject *last = json_array_get_object_element (events, json_array_get_length (events) - 1);

  return json_object_get_string_member (last, "kind");
}

static const char *
reviewer_member (JsonObject *request,
                 const char *member)
{
  JsonNode *reviewer = json_object_get_member (request, "reviewer");

  g_assert_nonnull (reviewer);
  if (JSON_NODE_HOLDS_NULL (reviewer))
    return NULL;

  return json_object_get_string_member (json_node_get_object (reviewer), member);
}

static char *
answer_code (CabutTestService *on,
             const char       *method,
             const char       *path,
             const char       *token,
             const char       *body)
{
  guint status = 0;
  g_autoptr(GBytes) answer = cabut_test_api (on, method, path, token, NULL, body, &status);
  g_autofree char *code = cabut_test_error_code (answer);

  return code != NULL ? g_strdup_printf ("%u %s", status, code) : g_strdup_printf ("%u", status);
}

/* Second approval: an approval or rejection is a proposal until a
 * different officer confirms it; declined, the request is back in review
 * undecided; the proposer cannot confirm their own; the CA revokes only on
 * confirmation (the CRL as openssl reads it); a cancellation clears it. */
static void
test_second_approval (void)
{
  const char *args[] = { "--second-approval", NULL };
  CabutTestService *two = cabut_test_service_start_with ("desk-two", args);
  g_autofree char *dewi = cabut_test_service_sign_in (two, "dewi.verifikator");
  g_autofree char *rina = cabut_test_service_sign_in (two, "rina.verifikator");
  g_autofree char *budi = cabut_test_service_sign_in (two, "budi.santoso");
  g_autofree char *admin = cabut_test_service_sign_in (two, "admin");
  g_autoptr(JsonObject) budi_filed = cabut_test_service_submit (two, "budi.santoso", "budi.santoso", NULL, NULL);
  g_autoptr(JsonObject) siti_filed = cabut_test_service_submit (two, "siti.rahmawati", "siti.rahmawati", NULL, NULL);
  g_autoptr(JsonObject) agus_filed = cabut_test_service_submit (two, "agus.wijaya", "agus.wijaya", NULL, NULL);
  g_autoptr(JsonObject) info = cabut_test_api_json (two, "GET", "service", NULL, NULL, SOUP_STATUS_OK);
  const char *budi_id = json_object_get_string_member (budi_filed, "id");
  const char *siti_id = json_object_get_string_member (siti_filed, "id");
  const char *siti_serial = json_object_get_string_member (json_object_get_object_member (siti_filed, "certificate"),
                                                           "serial");
  g_autofree char *approve = api_path ("requests/%s/approve", budi_id);
  g_autofree char *reject = api_path ("requests/%s/reject", budi_id);
  g_autofree char *confirm = api_path ("requests/%s/confirm", budi_id);
  g_autofree char *decline = api_path ("requests/%s/decline", budi_id);
  g_autofree char *one = api_path ("requests/%s", budi_id);
  g_autofree char *serials = NULL;

  g_assert_true (json_object_get_boolean_member (info, "second_approval"));
  g_assert_true (json_object_get_null_member (budi_filed, "pending_decision"));
  /* Core reads it, for a screen to bind to; a copy kept from before it existed reads as off. */
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    g_autoptr(CabutServiceInfo) typed = NULL;
    g_autoptr(CabutServiceInfo) older = NULL;
    g_autoptr(GError) error = NULL;

    json_node_set_object (node, info);
    typed = cabut_service_info_new_from_json (node, &error);
    g_assert_no_error (error);
    g_assert_true (cabut_service_info_get_second_approval (typed));
    {
      g_autofree char *kept = cabut_service_info_to_json (typed);
      g_autoptr(CabutServiceInfo) again = cabut_service_info_new_from_json_string (kept, &error);

      g_assert_no_error (error);
      g_assert_true (cabut_service_info_get_second_approval (again));
    }
    older = cabut_service_info_new_from_json_string ("{\"agency\": null, \"service_name\": null, \"phone\": null, "
                                                     "\"email\": null, \"website\": null, \"complaints_officer\": null, "
                                                     "\"escalation\": null, \"office_hours\": null, \"address\": null, "
                                                     "\"service_days\": 1, \"fee\": 0, \"max_letter_size\": 1}",
                                                     &error);
    g_assert_no_error (error);
    g_assert_false (cabut_service_info_get_second_approval (older));
  }

  /* Proposed: 202, in review, nothing revoked. */
  {
    g_autoptr(JsonObject) proposed = cabut_test_api_json (two, "POST", approve, dewi, "{\"note\": \"Data sesuai\"}",
                                                          SOUP_STATUS_ACCEPTED);

    g_assert_cmpstr (json_object_get_string_member (proposed, "status"), ==, "in_review");
    g_assert_cmpstr (pending_member (proposed, "action"), ==, "approve");
    g_assert_cmpstr (pending_member (proposed, "by"), ==, "dewi.verifikator");
    g_assert_cmpstr (pending_member (proposed, "by_full_name"), ==, "Dewi Lestari, S.T.");
    g_assert_cmpstr (pending_member (proposed, "note"), ==, "Data sesuai");
    g_assert_nonnull (pending_member (proposed, "at"));
    g_assert_true (json_object_get_null_member (proposed, "decided_at"));
    g_assert_cmpstr (last_event_kind (proposed), ==, "decision_proposed");

    /* The applicant sees none of it until it takes effect: not in the
     * request, not in their feed. */
    {
      g_autoptr(JsonObject) seen = cabut_test_api_json (two, "GET", one, budi, NULL, SOUP_STATUS_OK);
      g_autoptr(JsonObject) feed = cabut_test_api_json (two, "GET", "events?after=0&wait=0", budi, NULL,
                                                        SOUP_STATUS_OK);
      JsonArray *events = json_object_get_array_member (feed, "events");

      g_assert_true (json_object_get_null_member (seen, "pending_decision"));
      g_assert_cmpstr (last_event_kind (seen), ==, "submitted");
      g_assert_cmpstr (json_object_get_string_member (seen, "status"), ==, "in_review");
      for (guint i = 0; i < json_array_get_length (events); i++)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, i), "kind"), !=,
                         "decision_proposed");
    }
    serials = crl_serials (two);
    g_assert_cmpstr (serials, ==, "");
    g_clear_pointer (&serials, g_free);
  }

  /* Who may not: the proposer, a second proposal, the applicant. */
  {
    const struct { const char *path; const char *token; const char *body; const char *expect; } refused[] = {
      { confirm, dewi, NULL, "403 own_proposal" },
      { approve, dewi, NULL, "409 decision_pending" },
      { approve, rina, NULL, "409 decision_pending" },
      { reject, rina, "{\"note\": \"x\"}", "409 decision_pending" },
      { confirm, budi, NULL, "403 forbidden" },
      { decline, budi, "{\"note\": \"x\"}", "403 forbidden" },
      { decline, rina, NULL, "400 note_required" },
      { decline, rina, "{\"note\": \"  \"}", "400 note_required" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autofree char *got = answer_code (two, "POST", refused[i].path, refused[i].token, refused[i].body);

        g_assert_cmpstr (got, ==, refused[i].expect);
      }
  }

  /* A bulk revocation would decide without a second pair of eyes: only its preview. */
  {
    g_autofree char *csv = g_strdup_printf ("%s\n", siti_serial);
    g_autofree char *refused = answer_code (two, "POST", "admin/bulk?reason=superseded", dewi, csv);
    g_autofree char *previewed = answer_code (two, "POST", "admin/bulk?reason=superseded&dry_run=true", dewi, csv);

    g_assert_cmpstr (refused, ==, "409 second_approval");
    g_assert_cmpstr (previewed, ==, "200");
  }

  /* The queue filters on it. */
  {
    g_autoptr(JsonObject) waiting = cabut_test_api_json (two, "GET", "queue?pending=true", rina, NULL, SOUP_STATUS_OK);
    g_autoptr(JsonObject) others = cabut_test_api_json (two, "GET", "queue?pending=false", rina, NULL, SOUP_STATUS_OK);
    g_autofree char *bad = answer_code (two, "GET", "queue?pending=maybe", rina, NULL);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (waiting, "requests")), ==, 1);
    g_assert_true (list_has (waiting, budi_id));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (others, "requests")), ==, 2);
    g_assert_false (list_has (others, budi_id));
    g_assert_cmpstr (bad, ==, "400 bad_request");
  }

  /* Declined: back in review, undecided, nothing to confirm. */
  {
    g_autoptr(JsonObject) declined = cabut_test_api_json (two, "POST", decline, rina,
                                                          "{\"note\": \"Tanda tangan belum diperiksa\"}", SOUP_STATUS_OK);
    g_autofree char *nothing = answer_code (two, "POST", confirm, rina, NULL);

    g_assert_cmpstr (json_object_get_string_member (declined, "status"), ==, "in_review");
    g_assert_true (json_object_get_null_member (declined, "pending_decision"));
    g_assert_cmpstr (last_event_kind (declined), ==, "decision_declined");
    g_assert_cmpstr (nothing, ==, "409 no_pending_decision");
  }

  /* rina proposes a rejection; dewi confirms it with cabut-cli: rejected
   * with rina's note, the decision dewi's. */
  {
    g_autoptr(JsonObject) proposed = cabut_test_api_json (two, "POST", reject, rina,
                                                          "{\"note\": \"Surat belum ditandatangani\"}",
                                                          SOUP_STATUS_ACCEPTED);
    const char *cli_args[] = { "confirm", "--json", budi_id, NULL };
    g_autofree char *out = NULL;
    g_autoptr(JsonNode) node = NULL;
    JsonObject *decided;
    JsonArray *events;
    JsonObject *last;
    g_autofree char *audit_path = api_path ("admin/audit?request=%s", budi_id);
    g_autoptr(JsonObject) audit = NULL;
    g_autofree char *actions = NULL;
    g_autoptr(JsonObject) seen = NULL;

    g_assert_cmpstr (pending_member (proposed, "action"), ==, "reject");
    g_assert_cmpint (cabut_test_service_cli (two, "dewi.verifikator", cli_args, &out, NULL), ==, 0);
    node = json_from_string (out, NULL);
    decided = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (decided, "status"), ==, "rejected");
    g_assert_true (json_object_get_null_member (decided, "pending_decision"));
    events = json_object_get_array_member (decided, "events");
    last = json_array_get_object_element (events, json_array_get_length (events) - 1);
    g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "reject");
    g_assert_cmpstr (json_object_get_string_member (last, "note"), ==, "Surat belum ditandatangani");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (last, "actor"), "username"), ==,
                     "dewi.verifikator");

    /* The applicant sees the decision and its note. */
    seen = cabut_test_api_json (two, "GET", one, budi, NULL, SOUP_STATUS_OK);
    g_assert_cmpstr (json_object_get_string_member (seen, "status"), ==, "rejected");

    audit = cabut_test_api_json (two, "GET", audit_path, admin, NULL, SOUP_STATUS_OK);
    actions = audit_actions (audit);
    g_assert_cmpstr (actions, ==, "request.reject request.propose request.decline request.propose request.create");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (audit, "entries"), 0),
                                                    "detail"),
                     ==, "confirms the proposal of rina.verifikator: Surat belum ditandatangani");
  }

  /* An approval confirmed: the CA revokes, and the served CRL lists exactly that certificate. */
  {
    g_autofree char *siti_approve = api_path ("requests/%s/approve", siti_id);
    g_autoptr(JsonObject) proposed = cabut_test_api_json (two, "POST", siti_approve, dewi, NULL, SOUP_STATUS_ACCEPTED);
    const char *cli_args[] = { "confirm", siti_id, NULL };
    g_autofree char *out = NULL;

    g_assert_cmpint (cabut_test_service_cli (two, "rina.verifikator", cli_args, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Status: approved: the certificate is revoked\n"));
    serials = crl_serials (two);
    g_assert_cmpstr (serials, ==, siti_serial);
  }

  /* The applicant cancels while a decision is proposed: nothing is left to confirm. */
  {
    const char *agus_id = json_object_get_string_member (agus_filed, "id");
    g_autofree char *agus_approve = api_path ("requests/%s/approve", agus_id);
    g_autofree char *agus_cancel = api_path ("requests/%s/cancel", agus_id);
    g_autofree char *agus_confirm = api_path ("requests/%s/confirm", agus_id);
    g_autofree char *agus = cabut_test_service_sign_in (two, "agus.wijaya");
    g_autoptr(JsonObject) proposed = cabut_test_api_json (two, "POST", agus_approve, rina, NULL, SOUP_STATUS_ACCEPTED);
    g_autoptr(JsonObject) cancelled = cabut_test_api_json (two, "POST", agus_cancel, agus, "{}", SOUP_STATUS_OK);
    g_autofree char *late = answer_code (two, "POST", agus_confirm, dewi, NULL);

    g_assert_cmpstr (json_object_get_string_member (cancelled, "status"), ==, "cancelled");
    g_assert_true (json_object_get_null_member (cancelled, "pending_decision"));
    g_assert_cmpstr (late, ==, "409 wrong_state");
  }

  /* Taken for review, only the reviewer proposes; any other officer confirms. */
  {
    g_autoptr(JsonObject) again = cabut_test_service_submit (two, "agus.wijaya", "agus.wijaya", NULL, NULL);
    const char *again_id = json_object_get_string_member (again, "id");
    g_autofree char *again_review = api_path ("requests/%s/review", again_id);
    g_autofree char *again_approve = api_path ("requests/%s/approve", again_id);
    g_autofree char *again_confirm = api_path ("requests/%s/confirm", again_id);
    g_autoptr(JsonObject) taken = cabut_test_api_json (two, "POST", again_review, dewi, NULL, SOUP_STATUS_OK);
    g_autofree char *refused = answer_code (two, "POST", again_approve, rina, NULL);
    g_autoptr(JsonObject) proposed = NULL;
    g_autoptr(JsonObject) confirmed = NULL;

    g_assert_cmpstr (refused, ==, "409 taken_by_other");
    proposed = cabut_test_api_json (two, "POST", again_approve, dewi, NULL, SOUP_STATUS_ACCEPTED);
    g_assert_cmpstr (pending_member (proposed, "by"), ==, "dewi.verifikator");
    confirmed = cabut_test_api_json (two, "POST", again_confirm, rina, NULL, SOUP_STATUS_OK);
    g_assert_cmpstr (json_object_get_string_member (confirmed, "status"), ==, "revoked");
    g_assert_cmpstr (reviewer_member (confirmed, "username"), ==, "dewi.verifikator");
  }

  cabut_test_service_stop (two);
}

/* The message of a 409 taken_by_other answer. */
static char *
taken_message (CabutTestService *on,
               const char       *path,
               const char       *token)
{
  guint status = 0;
  g_autoptr(GBytes) answer = cabut_test_api (on, "POST", path, token, NULL, NULL, &status);
  g_autofree char *text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  JsonObject *error = json_object_get_object_member (json_node_get_object (node), "error");

  g_assert_cmpuint (status, ==, SOUP_STATUS_CONFLICT);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "taken_by_other");

  return g_strdup (json_object_get_string_member (error, "message"));
}

/* Taken for review, a request is the reviewer's to decide: another
 * officer's approval or rejection is refused (nothing changes, nothing is
 * revoked), the reviewer's own goes through, and an admin may take over,
 * which the audit log says. */
static void
test_review_lock (void)
{
  CabutTestService *lock = cabut_test_service_start ("desk-lock");
  g_autofree char *dewi = cabut_test_service_sign_in (lock, "dewi.verifikator");
  g_autofree char *rina = cabut_test_service_sign_in (lock, "rina.verifikator");
  g_autofree char *admin = cabut_test_service_sign_in (lock, "admin");
  g_autofree char *budi = cabut_test_service_sign_in (lock, "budi.santoso");
  g_autoptr(JsonObject) budi_filed = cabut_test_service_submit (lock, "budi.santoso", "budi.santoso", NULL, NULL);
  g_autoptr(JsonObject) siti_filed = cabut_test_service_submit (lock, "siti.rahmawati", "siti.rahmawati", NULL, NULL);
  const char *budi_id = json_object_get_string_member (budi_filed, "id");
  const char *siti_id = json_object_get_string_member (siti_filed, "id");
  const char *budi_serial = json_object_get_string_member (json_object_get_object_member (budi_filed, "certificate"),
                                                           "serial");
  const char *siti_serial = json_object_get_string_member (json_object_get_object_member (siti_filed, "certificate"),
                                                           "serial");
  g_autofree char *review = api_path ("requests/%s/review", budi_id);
  g_autofree char *approve = api_path ("requests/%s/approve", budi_id);
  g_autofree char *reject = api_path ("requests/%s/reject", budi_id);
  g_autofree char *one = api_path ("requests/%s", budi_id);
  g_autofree char *serials = NULL;

  g_assert_true (json_object_get_null_member (budi_filed, "reviewer"));

  /* dewi takes it: the request names her, to officers only. */
  {
    g_autoptr(JsonObject) taken = cabut_test_api_json (lock, "POST", review, dewi, NULL, SOUP_STATUS_OK);
    g_autoptr(JsonObject) seen = cabut_test_api_json (lock, "GET", one, budi, NULL, SOUP_STATUS_OK);
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    g_autoptr(CabutRequest) typed = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_cmpstr (json_object_get_string_member (taken, "status"), ==, "in_review");
    g_assert_cmpstr (reviewer_member (taken, "username"), ==, "dewi.verifikator");
    g_assert_cmpstr (reviewer_member (taken, "full_name"), ==, "Dewi Lestari, S.T.");
    g_assert_true (json_object_get_null_member (seen, "reviewer"));

    /* Core reads it strictly. */
    json_node_set_object (node, taken);
    typed = cabut_request_new_from_json (node, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (cabut_request_get_reviewer_username (typed), ==, "dewi.verifikator");
    g_assert_cmpstr (cabut_request_get_reviewer_name (typed), ==, "Dewi Lestari, S.T.");
  }

  /* rina may not decide it: 409 taken_by_other naming dewi; nothing changed. */
  {
    g_autofree char *message = taken_message (lock, approve, rina);
    g_autofree char *expected = g_strdup_printf ("Request %s is being reviewed by Dewi Lestari, S.T.: only they or "
                                                 "an administrator can decide it", budi_id);
    g_autofree char *rejected = answer_code (lock, "POST", reject, rina, "{\"note\": \"Data tidak sesuai\"}");
    g_autofree char *again = answer_code (lock, "POST", review, rina, NULL);
    g_autoptr(JsonObject) seen = cabut_test_api_json (lock, "GET", one, rina, NULL, SOUP_STATUS_OK);

    g_assert_cmpstr (message, ==, expected);
    g_assert_cmpstr (rejected, ==, "409 taken_by_other");
    /* cabut-cli says who has it, and is refused as the service says. */
    {
      const char *status_args[] = { "status", budi_id, NULL };
      const char *approve_args[] = { "approve", budi_id, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (cabut_test_service_cli (lock, "rina.verifikator", status_args, &out, NULL), ==, 0);
      g_assert_nonnull (strstr (out, "  In review by: Dewi Lestari, S.T. (dewi.verifikator)\n"));
      g_clear_pointer (&out, g_free);
      {
        const char *queue_args[] = { "queue", NULL };
        g_autofree char *line = NULL;
        char *start;

        g_assert_cmpint (cabut_test_service_cli (lock, "rina.verifikator", queue_args, &out, NULL), ==, 0);
        g_assert_nonnull ((start = strstr (out, budi_id)));
        line = g_strndup (start, strcspn (start, "\n"));
        g_assert_true (g_str_has_suffix (line, " (in review by Dewi Lestari, S.T.)"));
        g_clear_pointer (&out, g_free);
      }
      g_assert_cmpint (cabut_test_service_cli (lock, "rina.verifikator", approve_args, &out, &err), ==, 1);
      g_assert_nonnull (strstr (err, expected));
    }
    g_assert_cmpstr (again, ==, "409 wrong_state");
    g_assert_cmpstr (json_object_get_string_member (seen, "status"), ==, "in_review");
    g_assert_true (json_object_get_null_member (seen, "decided_at"));
    g_assert_cmpstr (last_event_kind (seen), ==, "review");
    serials = crl_serials (lock);
    g_assert_cmpstr (serials, ==, "");
    g_clear_pointer (&serials, g_free);
  }

  /* dewi decides it: revoked, and the CRL lists it. */
  {
    g_autoptr(JsonObject) decided = cabut_test_api_json (lock, "POST", approve, dewi, NULL, SOUP_STATUS_OK);

    g_assert_cmpstr (json_object_get_string_member (decided, "status"), ==, "revoked");
    g_assert_cmpstr (reviewer_member (decided, "username"), ==, "dewi.verifikator");
    serials = crl_serials (lock);
    g_assert_cmpstr (serials, ==, budi_serial);
    g_clear_pointer (&serials, g_free);
  }

  /* An admin takes over: the decision goes through, and the audit row
   * says whose review it took over. */
  {
    g_autofree char *siti_review = api_path ("requests/%s/review", siti_id);
    g_autofree char *siti_approve = api_path ("requests/%s/approve", siti_id);
    g_autofree char *audit_path = api_path ("admin/audit?request=%s", siti_id);
    g_autoptr(JsonObject) taken = cabut_test_api_json (lock, "POST", siti_review, dewi, NULL, SOUP_STATUS_OK);
    g_autoptr(JsonObject) decided = cabut_test_api_json (lock, "POST", siti_approve, admin,
                                                         "{\"note\": \"Dewi sedang cuti\"}", SOUP_STATUS_OK);
    g_autoptr(JsonObject) audit = cabut_test_api_json (lock, "GET", audit_path, admin, NULL, SOUP_STATUS_OK);
    g_autofree char *actions = audit_actions (audit);
    JsonObject *entry = json_array_get_object_element (json_object_get_array_member (audit, "entries"), 0);
    g_autofree char *both = g_strdup_printf ("%s %s", budi_serial, siti_serial);
    g_autofree char *both_other = g_strdup_printf ("%s %s", siti_serial, budi_serial);

    g_assert_cmpstr (json_object_get_string_member (decided, "status"), ==, "revoked");
    g_assert_cmpstr (actions, ==, "request.approve request.review request.create");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "actor"), "username"), ==,
                     "admin");
    g_assert_cmpstr (json_object_get_string_member (entry, "detail"), ==,
                     "takes over the review of dewi.verifikator: Dewi sedang cuti");
    serials = crl_serials (lock);
    g_assert_true (g_str_equal (serials, both) || g_str_equal (serials, both_other));
  }

  cabut_test_service_stop (lock);
}

/* Without second approval, a decision takes effect at once and there is
 * nothing to confirm. */
static void
test_no_second_approval (void)
{
  g_autofree char *dewi = cabut_test_service_sign_in (service, "dewi.verifikator");
  g_autoptr(JsonObject) info = cabut_test_api_json (service, "GET", "service", NULL, NULL, SOUP_STATUS_OK);
  g_autoptr(JsonObject) queue = cabut_test_api_json (service, "GET", "queue?state=submitted", dewi, NULL, SOUP_STATUS_OK);
  JsonArray *requests = json_object_get_array_member (queue, "requests");
  const char *id;
  g_autofree char *confirm = NULL;
  g_autofree char *decline = NULL;
  g_autofree char *got = NULL;
  g_autofree char *got_decline = NULL;

  g_assert_false (json_object_get_boolean_member (info, "second_approval"));
  /* The cases before left requests waiting; any of them does. */
  g_assert_cmpuint (json_array_get_length (requests), >, 0);
  id = json_object_get_string_member (json_array_get_object_element (requests, 0), "id");
  confirm = api_path ("requests/%s/confirm", id);
  decline = api_path ("requests/%s/decline", id);
  got = answer_code (service, "POST", confirm, dewi, NULL);
  got_decline = answer_code (service, "POST", decline, dewi, "{\"note\": \"x\"}");
  g_assert_cmpstr (got, ==, "409 no_pending_decision");
  g_assert_cmpstr (got_decline, ==, "409 no_pending_decision");
}

static gint64
db_count (CabutTestService *on,
          const char       *sql)
{
  g_autofree char *path = g_build_filename (on->dir, "cabut.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

static JsonObject *
cli_json_of (CabutTestService   *on,
             const char         *user,
             const char * const *args,
             int                 expected_status)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cabut_test_service_cli (on, user, args, &out, NULL), ==, expected_status);
  node = json_from_string (out, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (node));
}

/* "row status why username", one per line, for the rows of a bulk answer. */
static char *
bulk_rows (JsonObject *answer)
{
  JsonArray *rows = json_object_get_array_member (answer, "rows");
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonNode *certificate = json_object_get_member (row, "certificate");

      g_string_append_printf (out, "%" G_GINT64_FORMAT " %s %s %s\n", json_object_get_int_member (row, "row"),
                              json_object_get_string_member (row, "status"),
                              json_object_get_null_member (row, "why") ? "-" : json_object_get_string_member (row, "why"),
                              JSON_NODE_HOLDS_NULL (certificate) ? "-"
                                : json_object_get_string_member (json_node_get_object (certificate), "username"));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
sorted_serials (const char *first,
                ...)
{
  g_autoptr(GPtrArray) serials = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *serial = first; serial != NULL; serial = va_arg (args, const char *))
    g_ptr_array_add (serials, (char *) serial);
  va_end (args);
  g_ptr_array_sort (serials, (GCompareFunc) cabut_test_compare_strings);
  g_ptr_array_add (serials, NULL);

  return g_strjoinv (" ", (char **) serials->pdata);
}

/* Bulk revocation: a CSV with every kind of mismatch previewed exactly;
 * the real run, the service killed after its first row, resumed: each
 * matched certificate revoked once, the served CRL (openssl) lists exactly
 * them, the audit log has one decision each. */
static void
test_bulk (void)
{
  CabutTestService *bulk = NULL;
  g_autoptr(CabutCertificate) budi_cert = NULL;
  g_autoptr(CabutCertificate) agus_cert = NULL;
  g_autoptr(CabutCertificate) extra = NULL;
  g_autofree char *budi_pem = NULL;
  g_autofree char *agus_pem = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *dewi = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *serials = NULL;
  g_autofree char *want = NULL;
  g_autofree char *agus_serial_colons = NULL;
  g_autoptr(JsonObject) preview = NULL;
  g_autoptr(JsonObject) resumed = NULL;
  g_autoptr(JsonObject) open_filed = NULL;
  g_autoptr(GError) error = NULL;
  CabutTestService *saved = service;

  /* A service of its own, that leaves after revoking its first row. */
  g_setenv ("CABUT_TEST_BULK_ABORT_AFTER", "1", TRUE);
  bulk = cabut_test_service_start_with ("desk-bulk", NULL);
  g_unsetenv ("CABUT_TEST_BULK_ABORT_AFTER");
  service = bulk;
  budi_pem = certificate_pem_file ("budi.santoso", &budi_cert);
  agus_pem = certificate_pem_file ("agus.wijaya", &agus_cert);
  admin = cabut_test_service_sign_in (bulk, "admin");
  dewi = cabut_test_service_sign_in (bulk, "dewi.verifikator");

  /* agus.wijaya holds a second certificate; siti.rahmawati has a request open. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (cabut_test_fixture_path ("rsa2048.pem"));

    extra = cabut_certificate_new_from_file (file, NULL, NULL, &error);
    g_assert_no_error (error);
    register_certificate (bulk, admin, "agus.wijaya", extra);
  }
  open_filed = cabut_test_service_submit (bulk, "siti.rahmawati", "siti.rahmawati", NULL, NULL);
  g_assert_nonnull (open_filed);

  /* The agus serial as a person might copy it: lower case, with colons. */
  {
    g_autoptr(GString) colons = g_string_new (NULL);
    const char *serial = cabut_certificate_get_serial (agus_cert);

    for (guint i = 0; serial[i] != '\0'; i++)
      {
        if (i > 0 && i % 2 == 0)
          g_string_append_c (colons, ':');
        g_string_append_c (colons, g_ascii_tolower (serial[i]));
      }
    agus_serial_colons = g_string_free (g_steal_pointer (&colons), FALSE);
  }
  csv = g_strdup_printf ("NIP\r\n"
                         "198501012010011001\r\n"          /* 2 budi: matched */
                         "199006152015032002\r\n"          /* 3 siti: open request */
                         "%s\r\n"                          /* 4 agus's demo certificate by serial */
                         "\"197803122005011003\"\r\n"      /* 5 agus: his second, and the demo one again */
                         "199999999999999999\r\n"          /* 6 unknown NIP */
                         "DEADBEEF\r\n"                    /* 7 unknown serial */
                         "bukan nomor\r\n"                 /* 8 malformed */
                         "198501012010011001\r\n"          /* 9 the same row again */
                         "\r\n"                            /* 10 blank: not a row */
                         "198808272012122004\r\n"          /* 11 dewi: no certificate */
                         "198501012010011001,x\r\n",       /* 12 two cells: malformed */
                         agus_serial_colons);
  csv_path = g_build_filename (bulk->dir, "pensiun.csv", NULL);
  g_assert_true (g_file_set_contents (csv_path, csv, -1, &error));

  /* The preview: every row, exactly. */
  {
    const char *args[] = { "bulk", "--json", "--csv", csv_path, "--reason", "affiliationChanged", "--dry-run", NULL };
    JsonObject *summary;

    preview = cli_json_of (bulk, "dewi.verifikator", args, 0);
    g_assert_true (json_object_get_boolean_member (preview, "dry_run"));
    g_assert_cmpstr (json_object_get_string_member (preview, "state"), ==, "preview");
    g_assert_true (json_object_get_null_member (preview, "id"));
    rows = bulk_rows (preview);
    g_assert_cmpstr (rows, ==,
                     "2 matched - budi.santoso\n"
                     "3 unmatched open_request siti.rahmawati\n"
                     "4 matched - agus.wijaya\n"
                     "5 matched - agus.wijaya\n"
                     "5 unmatched duplicate agus.wijaya\n"
                     "6 unmatched unknown_nip -\n"
                     "7 unmatched unknown_serial -\n"
                     "8 unmatched malformed -\n"
                     "9 unmatched duplicate -\n"
                     "11 unmatched no_certificate -\n"
                     "12 unmatched malformed -\n");
    summary = json_object_get_object_member (preview, "summary");
    g_assert_cmpint (json_object_get_int_member (summary, "rows"), ==, 10);
    g_assert_cmpint (json_object_get_int_member (summary, "matched"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (summary, "unmatched"), ==, 8);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                       json_array_get_object_element (json_object_get_array_member (preview, "rows"), 3), "certificate"),
                       "serial"), ==, cabut_certificate_get_serial (extra));
    g_assert_cmpint (db_count (bulk, "SELECT count(*) FROM bulk_batches"), ==, 0);
    g_clear_pointer (&rows, g_free);
  }

  /* The real run: the service leaves after the first row; cabut-cli says how to carry on. */
  {
    const char *args[] = { "bulk", "--csv", csv_path, "--reason", "affiliationChanged", "--note", "SK Pensiun 2026",
                           "--idempotency-key", "pensiun-2026-12", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (cabut_test_service_cli (bulk, "dewi.verifikator", args, &out, &err), ==, 5);
    g_assert_nonnull (strstr (err, "Batch BULK-000001 is not finished"));
    g_assert_nonnull (strstr (err, "cabut-cli bulk --resume BULK-000001"));
    g_assert_true (g_subprocess_wait (bulk->process, NULL, &error));
    g_assert_true (g_subprocess_get_if_exited (bulk->process));
    g_assert_cmpint (g_subprocess_get_exit_status (bulk->process), ==, 3);
    g_assert_cmpint (db_count (bulk, "SELECT count(*) FROM bulk_items WHERE state = 'revoked'"), ==, 1);
    g_assert_cmpint (db_count (bulk, "SELECT count(*) FROM bulk_items WHERE state = 'pending'"), ==, 2);
    g_assert_cmpint (db_count (bulk, "SELECT count(*) FROM certificates WHERE status = 'revoked'"), ==, 1);
  }

  /* Started again; resumed: the other two, and nothing twice. */
  cabut_test_service_restart (bulk);
  {
    const char *args[] = { "bulk", "--json", "--resume", "BULK-000001", NULL };
    JsonObject *summary;
    JsonArray *all;
    g_autoptr(GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);

    resumed = cli_json_of (bulk, "rina.verifikator", args, 0);
    g_assert_cmpstr (json_object_get_string_member (resumed, "state"), ==, "done");
    g_assert_cmpstr (json_object_get_string_member (resumed, "idempotency_key"), ==, "pensiun-2026-12");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (resumed, "by"), "username"), ==,
                     "dewi.verifikator");
    rows = bulk_rows (resumed);
    g_assert_cmpstr (rows, ==,
                     "2 revoked - budi.santoso\n"
                     "3 unmatched open_request siti.rahmawati\n"
                     "4 revoked - agus.wijaya\n"
                     "5 revoked - agus.wijaya\n"
                     "5 unmatched duplicate agus.wijaya\n"
                     "6 unmatched unknown_nip -\n"
                     "7 unmatched unknown_serial -\n"
                     "8 unmatched malformed -\n"
                     "9 unmatched duplicate -\n"
                     "11 unmatched no_certificate -\n"
                     "12 unmatched malformed -\n");
    summary = json_object_get_object_member (resumed, "summary");
    g_assert_cmpint (json_object_get_int_member (summary, "revoked"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (summary, "pending"), ==, 0);
    all = json_object_get_array_member (resumed, "rows");
    for (guint i = 0; i < json_array_get_length (all); i++)
      {
        JsonObject *row = json_array_get_object_element (all, i);

        if (g_str_equal (json_object_get_string_member (row, "status"), "revoked"))
          g_hash_table_add (numbers, (gpointer) json_object_get_string_member (row, "request"));
      }
    g_assert_cmpuint (g_hash_table_size (numbers), ==, 3);
  }

  /* Exactly once each: three requests, three approvals, three certificates. */
  g_assert_cmpint (db_count (bulk, "SELECT count(*) FROM requests WHERE state = 'revoked'"), ==, 3);
  g_assert_cmpint (db_count (bulk, "SELECT count(*) FROM events WHERE kind = 'approve'"), ==, 3);
  g_assert_cmpint (db_count (bulk, "SELECT count(*) FROM certificates WHERE status = 'revoked'"), ==, 3);
  g_assert_cmpint (db_count (bulk, "SELECT count(*) FROM bulk_items WHERE request_id IS NOT NULL"), ==, 3);

  /* The CRL, as openssl reads it, lists exactly them — those this CA
   * issued: the second certificate of agus.wijaya is another issuer's
   * (revoked in the registry above, and for OCSP, not on this CRL). */
  serials = crl_serials (bulk);
  want = sorted_serials (cabut_certificate_get_serial (budi_cert), cabut_certificate_get_serial (agus_cert), NULL);
  g_assert_cmpstr (serials, ==, want);

  /* The audit log: the batch, its resumption, one decision per certificate. */
  {
    g_autoptr(JsonObject) audit = cabut_test_api_json (bulk, "GET", "admin/audit?actor=dewi.verifikator", admin, NULL,
                                                       SOUP_STATUS_OK);
    g_autoptr(JsonObject) resumption = cabut_test_api_json (bulk, "GET", "admin/audit?request=BULK-000001", admin,
                                                            NULL, SOUP_STATUS_OK);
    g_autofree char *actions = audit_actions (audit);
    g_autofree char *batch_actions = audit_actions (resumption);

    /* Newest first; her sign-ins come before. */
    g_assert_true (g_str_has_prefix (actions, "request.approve request.create request.approve request.create "
                                              "request.approve request.create bulk.create session."));
    g_assert_cmpstr (batch_actions, ==, "bulk.resume bulk.create");
  }

  /* The applicant sees the decision, filed by the officer, without a letter. */
  {
    g_autofree char *budi = cabut_test_service_sign_in (bulk, "budi.santoso");
    g_autoptr(JsonObject) list = cabut_test_api_json (bulk, "GET", "requests", budi, NULL, SOUP_STATUS_OK);
    JsonObject *request = json_array_get_object_element (json_object_get_array_member (list, "requests"), 0);
    g_autofree char *letter = api_path ("requests/%s/letter", json_object_get_string_member (request, "id"));
    g_autofree char *no_letter = answer_code (bulk, "GET", letter, budi, NULL);

    g_assert_cmpstr (json_object_get_string_member (request, "status"), ==, "revoked");
    g_assert_cmpstr (json_object_get_string_member (request, "note"), ==, "SK Pensiun 2026");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (request, "filed_by"), "username"),
                     ==, "dewi.verifikator");
    g_assert_true (json_object_get_null_member (json_object_get_object_member (request, "letter"), "sha256"));
    g_assert_cmpstr (no_letter, ==, "404 no_letter");
  }

  /* The same key gives back the same batch; a preview now finds them revoked. */
  {
    g_autofree char *url = g_strconcat (bulk->url, "api/v1/admin/bulk?reason=affiliationChanged", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autofree char *auth = g_strconcat ("Bearer ", dewi, NULL);
    g_autoptr(GBytes) body = g_bytes_new (csv, strlen (csv));
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(JsonNode) node = NULL;
    const char *args[] = { "bulk", "--json", "--csv", csv_path, "--reason", "affiliationChanged", "--dry-run", NULL };
    g_autoptr(JsonObject) again = NULL;
    g_autofree char *again_rows = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", "pensiun-2026-12");
    soup_message_set_request_body_from_bytes (msg, "text/csv", body);
    answer = cabut_test_http (msg, SOUP_STATUS_OK);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Idempotent-Replayed"), ==,
                     "true");
    node = json_from_string (g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer)), NULL);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "id"), ==, "BULK-000001");
    g_assert_cmpint (db_count (bulk, "SELECT count(*) FROM bulk_batches"), ==, 1);

    again = cli_json_of (bulk, "dewi.verifikator", args, 0);
    again_rows = bulk_rows (again);
    g_assert_nonnull (strstr (again_rows, "2 unmatched already_revoked budi.santoso\n"));
    g_assert_nonnull (strstr (again_rows, "4 unmatched already_revoked agus.wijaya\n"));
  }

  /* Refusals: an applicant, no reason, an unknown batch. */
  {
    g_autofree char *budi = cabut_test_service_sign_in (bulk, "budi.santoso");
    g_autofree char *applicant = answer_code (bulk, "POST", "admin/bulk?reason=superseded&dry_run=true", budi, NULL);
    g_autofree char *no_reason = answer_code (bulk, "POST", "admin/bulk?dry_run=true", dewi, NULL);
    g_autofree char *unknown = answer_code (bulk, "GET", "admin/bulk/BULK-999999", dewi, NULL);

    g_assert_cmpstr (applicant, ==, "403 forbidden");
    g_assert_cmpstr (no_reason, ==, "400 bad_reason");
    g_assert_cmpstr (unknown, ==, "404 not_found");
  }

  service = saved;
  cabut_test_service_stop (bulk);
}

typedef struct
{
  SoupMessage *msg;
  GBytes      *answer;
  gboolean     done;
} Sent;

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;

  sent->answer = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  sent->done = TRUE;
}

static void
post_async (CabutTestService *on,
            SoupSession      *session,
            const char       *path,
            const char       *token,
            Sent             *sent)
{
  g_autofree char *url = g_strconcat (on->url, "api/v1/", path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

  sent->msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (sent->msg), "Accept-Language", "en");
  soup_message_headers_replace (soup_message_get_request_headers (sent->msg), "Authorization", auth);
  soup_session_send_and_read_async (session, sent->msg, G_PRIORITY_DEFAULT, NULL, sent_cb, sent);
}

static void
spin_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* The check is the write's too: dewi takes a request and rina approves it
 * at the same moment, both reading it submitted while the database's
 * writer waits (the test holds the write lock); dewi's review is written
 * first, and rina's approval, read again in its transaction, is refused
 * taken_by_other: nothing revoked. */
static void
test_review_lock_raced (void)
{
  CabutTestService *race = cabut_test_service_start ("desk-race");
  g_autofree char *dewi = cabut_test_service_sign_in (race, "dewi.verifikator");
  g_autofree char *rina = cabut_test_service_sign_in (race, "rina.verifikator");
  g_autoptr(JsonObject) filed = cabut_test_service_submit (race, "budi.santoso", "budi.santoso", NULL, NULL);
  const char *id = json_object_get_string_member (filed, "id");
  g_autofree char *review = api_path ("requests/%s/review", id);
  g_autofree char *approve = api_path ("requests/%s/approve", id);
  g_autofree char *one = api_path ("requests/%s", id);
  g_autofree char *db_path = g_build_filename (race->dir, "cabut.db", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonObject) seen = NULL;
  g_autofree char *serials = NULL;
  g_autofree char *code = NULL;
  Sent taken = { 0 };
  Sent approved = { 0 };
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  post_async (race, session, review, dewi, &taken);
  spin_ms (300);
  post_async (race, session, approve, rina, &approved);
  spin_ms (300);
  g_assert_false (taken.done);
  g_assert_false (approved.done);
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  while (!taken.done || !approved.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (taken.answer);
  g_assert_nonnull (approved.answer);
  g_assert_cmpuint (soup_message_get_status (taken.msg), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (soup_message_get_status (approved.msg), ==, SOUP_STATUS_CONFLICT);
  code = cabut_test_error_code (approved.answer);
  g_assert_cmpstr (code, ==, "taken_by_other");

  seen = cabut_test_api_json (race, "GET", one, rina, NULL, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (seen, "status"), ==, "in_review");
  g_assert_cmpstr (reviewer_member (seen, "username"), ==, "dewi.verifikator");
  g_assert_cmpint (db_count (race, "SELECT count(*) FROM certificates WHERE revoked_at IS NOT NULL"), ==, 0);
  serials = crl_serials (race);
  g_assert_cmpstr (serials, ==, "");

  g_clear_object (&taken.msg);
  g_clear_object (&approved.msg);
  g_clear_pointer (&taken.answer, g_bytes_unref);
  g_clear_pointer (&approved.answer, g_bytes_unref);
  cabut_test_service_stop (race);
}

/* A clean stop: SIGTERM while an approval is being written (the test
 * holds the database's write lock). The service takes no new connection,
 * but answers the approval once it commits — revoked, on the CRL — and only
 * then ends, with status 0. (The app stops its demo service this way when
 * it quits, which can be while an officer's approval waits for its CRL.) */
static void
test_stop_answers_requests_in_progress (void)
{
  CabutTestService *stopping = cabut_test_service_start ("desk-stop");
  g_autofree char *dewi = cabut_test_service_sign_in (stopping, "dewi.verifikator");
  g_autoptr(JsonObject) filed = cabut_test_service_submit (stopping, "budi.santoso", "budi.santoso", NULL, NULL);
  const char *id = json_object_get_string_member (filed, "id");
  g_autofree char *approve = api_path ("requests/%s/approve", id);
  g_autofree char *db_path = g_build_filename (stopping->dir, "cabut.db", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) late = NULL;
  g_autoptr(GUri) uri = g_uri_parse (stopping->url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *serials = NULL;
  Sent approved = { 0 };
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  post_async (stopping, session, approve, dewi, &approved);
  spin_ms (300);
  g_assert_false (approved.done);
  g_subprocess_send_signal (stopping->process, SIGTERM);
  spin_ms (300);
  /* Still there for the approval, but no longer taking connections. */
  /* (GSubprocess forgets the identifier once the process has ended.) */
  g_assert_nonnull (g_subprocess_get_identifier (stopping->process));
  g_assert_false (approved.done);
  late = g_socket_client_connect_to_host (client, g_uri_get_host (uri), g_uri_get_port (uri), NULL, &error);
  g_assert_null (late);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  while (!approved.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (approved.msg), ==, SOUP_STATUS_OK);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (approved.answer, NULL),
                                             g_bytes_get_size (approved.answer), NULL));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "status"), ==,
                   "revoked");

  g_assert_true (g_subprocess_wait (stopping->process, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (stopping->process));
  g_assert_cmpint (g_subprocess_get_exit_status (stopping->process), ==, 0);
  g_assert_cmpint (db_count (stopping, "SELECT count(*) FROM certificates WHERE revoked_at IS NOT NULL"), ==, 1);

  g_clear_object (&approved.msg);
  g_clear_pointer (&approved.answer, g_bytes_unref);
  cabut_test_service_stop (stopping);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_test_isolate_tmp ("test-desk");
  cabut_i18n_init ();

  service = cabut_test_service_start ("desk");

  g_test_add_func ("/cabut/desk/audit", test_audit);
  g_test_add_func ("/cabut/desk/file-on-behalf", test_file_on_behalf);
  g_test_add_func ("/cabut/desk/file-on-behalf-refused", test_file_on_behalf_refused);
  g_test_add_func ("/cabut/desk/officer-own-request", test_officer_own_request);
  g_test_add_func ("/cabut/desk/second-approval", test_second_approval);
  g_test_add_func ("/cabut/desk/no-second-approval", test_no_second_approval);
  g_test_add_func ("/cabut/desk/review-lock", test_review_lock);
  g_test_add_func ("/cabut/desk/review-lock-raced", test_review_lock_raced);
  g_test_add_func ("/cabut/desk/stop-answers-requests-in-progress", test_stop_answers_requests_in_progress);
  g_test_add_func ("/cabut/desk/bulk", test_bulk);

  status = g_test_run ();
  cabut_test_service_stop (service);

  return status;
}
