/* test-authz.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who may do what: every endpoint of the API document, with every method
 * it takes, tried against the real cabut-server as nobody, an applicant,
 * an operator and an administrator, each answer's status and error code
 * asserted. A route the table does not list fails the test, so a new
 * endpoint must be added here (and to data/cabut-api.yaml) to pass.
 * The rules that need more than one account's doing (an officer's own
 * request, an officer's own proposal) are in test-desk.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-test-util.h"

static CabutTestService *service;

typedef enum { ANONYMOUS, APPLICANT, OPERATOR, ADMIN, N_ROLES } Role;

static const char * const role_users[N_ROLES] = {
  NULL,
  "siti.rahmawati",      /* an applicant who is not the request's */
  "dewi.verifikator",
  "admin",
};

/* The answers expected, "STATUS" or "STATUS code", per role. {id} is a
 * request filed by budi.santoso and cancelled (so no decision can change
 * it: passing the door shows as 409 wrong_state) — on a complaint's path,
 * a complaint of another applicant (agus.wijaya) already resolved, which no
 * step can change either —, {batch} a batch that does not exist,
 * {request} a malformed OCSP request. */
typedef struct
{
  const char *method;
  const char *path;
  const char *body;       /* nullable */
  const char *expect[N_ROLES];
} Probe;

#define UNAUTHORIZED "401 unauthorized"

static const Probe probes[] = {
  { "GET", "/api/v1/health", NULL, { "200", "200", "200", "200" } },
  { "GET", "/api/v1/service", NULL, { "200", "200", "200", "200" } },
  { "POST", "/api/v1/session", "{}", { "400 bad_request", "400 bad_request", "400 bad_request", "400 bad_request" } },
  /* DELETE /api/v1/session ends the session: tried last, with a session of its own. */
  { "DELETE", "/api/v1/session", NULL, { UNAUTHORIZED, "204", "204", "204" } },
  { "GET", "/api/v1/me", NULL, { UNAUTHORIZED, "200", "200", "200" } },
  { "GET", "/api/v1/me/certificates", NULL, { UNAUTHORIZED, "200", "200", "200" } },
  { "GET", "/api/v1/reasons", NULL, { UNAUTHORIZED, "200", "200", "200" } },
  { "GET", "/api/v1/requests", NULL, { UNAUTHORIZED, "200", "200", "200" } },
  { "POST", "/api/v1/requests", "{}", { UNAUTHORIZED, "400 bad_request", "400 bad_request", "400 bad_request" } },
  { "GET", "/api/v1/requests/{id}", NULL, { UNAUTHORIZED, "404 not_found", "200", "200" } },
  { "GET", "/api/v1/requests/{id}/review", NULL, { UNAUTHORIZED, "403 forbidden", "200", "200" } },
  { "GET", "/api/v1/requests/{id}/letter", NULL, { UNAUTHORIZED, "404 not_found", "200", "200" } },
  { "POST", "/api/v1/requests/{id}/cancel", "{}", { UNAUTHORIZED, "404 not_found", "403 forbidden", "403 forbidden" } },
  { "POST", "/api/v1/requests/{id}/review", "{}", { UNAUTHORIZED, "404 not_found", "409 wrong_state", "409 wrong_state" } },
  { "POST", "/api/v1/requests/{id}/approve", "{}", { UNAUTHORIZED, "404 not_found", "409 wrong_state", "409 wrong_state" } },
  { "POST", "/api/v1/requests/{id}/reject", "{\"note\": \"x\"}", { UNAUTHORIZED, "404 not_found", "409 wrong_state", "409 wrong_state" } },
  { "POST", "/api/v1/requests/{id}/confirm", "{}", { UNAUTHORIZED, "404 not_found", "409 wrong_state", "409 wrong_state" } },
  { "POST", "/api/v1/requests/{id}/decline", "{\"note\": \"x\"}", { UNAUTHORIZED, "404 not_found", "409 wrong_state", "409 wrong_state" } },
  { "GET", "/api/v1/complaints", NULL, { UNAUTHORIZED, "200", "200", "200" } },
  /* Officers are civil servants with certificates too: they may complain. */
  { "POST", "/api/v1/complaints", "{}", { UNAUTHORIZED, "400 text_required", "400 text_required", "400 text_required" } },
  { "GET", "/api/v1/complaints/{id}", NULL, { UNAUTHORIZED, "404 not_found", "200", "200" } },
  { "POST", "/api/v1/complaints/{id}/answer", "{\"text\": \"x\"}", { UNAUTHORIZED, "404 not_found", "409 wrong_state", "409 wrong_state" } },
  { "POST", "/api/v1/complaints/{id}/reply", "{\"text\": \"x\"}", { UNAUTHORIZED, "404 not_found", "403 forbidden", "403 forbidden" } },
  { "POST", "/api/v1/complaints/{id}/escalate", "{\"text\": \"x\"}", { UNAUTHORIZED, "404 not_found", "409 wrong_state", "409 wrong_state" } },
  { "POST", "/api/v1/complaints/{id}/resolve", "{\"text\": \"x\"}", { UNAUTHORIZED, "404 not_found", "409 wrong_state", "409 wrong_state" } },
  { "GET", "/api/v1/queue", NULL, { UNAUTHORIZED, "403 forbidden", "200", "200" } },
  { "GET", "/api/v1/queue/counts", NULL, { UNAUTHORIZED, "403 forbidden", "200", "200" } },
  { "GET", "/api/v1/events?wait=0", NULL, { UNAUTHORIZED, "200", "200", "200" } },
  { "POST", "/api/v1/admin/accounts", "{}", { UNAUTHORIZED, "403 forbidden", "403 forbidden", "400 bad_request" } },
  { "POST", "/api/v1/admin/certificates", "{}", { UNAUTHORIZED, "403 forbidden", "403 forbidden", "400 bad_request" } },
  /* No reason: refused after the door, changing nothing. */
  { "POST", "/api/v1/admin/bulk?dry_run=true", "198501012010011001\n", { UNAUTHORIZED, "403 forbidden", "400 bad_reason", "400 bad_reason" } },
  { "GET", "/api/v1/admin/bulk/{batch}", NULL, { UNAUTHORIZED, "403 forbidden", "404 not_found", "404 not_found" } },
  { "POST", "/api/v1/admin/bulk/{batch}/resume", NULL, { UNAUTHORIZED, "403 forbidden", "404 not_found", "404 not_found" } },
  { "GET", "/api/v1/admin/audit", NULL, { UNAUTHORIZED, "403 forbidden", "403 forbidden", "200" } },
  { "GET", "/pki/ca", NULL, { "200", "200", "200", "200" } },
  { "GET", "/pki/root-ca", NULL, { "200", "200", "200", "200" } },
  { "GET", "/pki/ca.pem", NULL, { "200", "200", "200", "200" } },
  { "GET", "/pki/crl", NULL, { "200", "200", "200", "200" } },
  { "GET", "/pki/root-crl", NULL, { "200", "200", "200", "200" } },
  /* RFC 6960: a malformed request is an OCSP answer (malformedRequest), over HTTP 200. */
  { "POST", "/pki/ocsp", "", { "200", "200", "200", "200" } },
  { "GET", "/pki/ocsp/{request}", NULL, { "200", "200", "200", "200" } },
};

static char *tokens[N_ROLES];
static char *request_id;
static char *complaint_id;

/* The path as the API document writes it: without the query, the
 * example values back to their {placeholders}. */
static char *
template_of (const char *path)
{
  return g_strndup (path, strcspn (path, "?"));
}

static char *
fill (const char *path)
{
  g_autoptr(GString) out = g_string_new (path);

  g_string_replace (out, "{id}", g_str_has_prefix (path, "/api/v1/complaints/") ? complaint_id : request_id, 0);
  g_string_replace (out, "{batch}", "BULK-999999", 0);
  g_string_replace (out, "{request}", "AAAA", 0);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
answer_of (const char *method,
           const char *path,
           const char *token,
           const char *body)
{
  g_autofree char *filled = fill (path);
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *code = NULL;
  guint status = 0;

  answer = cabut_test_api (service, method, filled, token,
                           g_str_has_prefix (path, "/pki/") ? "application/ocsp-request" : NULL, body, &status);
  code = cabut_test_error_code (answer);

  return code != NULL ? g_strdup_printf ("%u %s", status, code) : g_strdup_printf ("%u", status);
}

/* budi.santoso files a request (with cabut-cli, as the app would) and
 * cancels it. */
static void
file_cancelled_request (void)
{
  g_autoptr(JsonObject) filed = cabut_test_service_submit (service, "budi.santoso", "budi.santoso", NULL, NULL);
  g_autofree char *token = cabut_test_service_sign_in (service, "budi.santoso");
  g_autofree char *cancel_path = NULL;
  g_autoptr(JsonObject) cancelled = NULL;

  g_assert_nonnull (filed);
  request_id = g_strdup (json_object_get_string_member (filed, "id"));
  cancel_path = g_strdup_printf ("requests/%s/cancel", request_id);
  cancelled = cabut_test_api_json (service, "POST", cancel_path, token, "{}", SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (cancelled, "status"), ==, "cancelled");
}

/* One of the demo's complaints: agus.wijaya's, resolved. */
static void
find_resolved_complaint (void)
{
  g_autoptr(JsonObject) list = cabut_test_api_json (service, "GET", "complaints?state=resolved&limit=100", tokens[ADMIN],
                                                    NULL, SOUP_STATUS_OK);
  JsonArray *complaints = json_object_get_array_member (list, "complaints");

  for (guint i = 0; i < json_array_get_length (complaints) && complaint_id == NULL; i++)
    {
      JsonObject *complaint = json_array_get_object_element (complaints, i);
      JsonObject *applicant = json_object_get_object_member (complaint, "applicant");

      if (g_str_equal (json_object_get_string_member (applicant, "username"), "agus.wijaya"))
        complaint_id = g_strdup (json_object_get_string_member (complaint, "id"));
    }
  g_assert_nonnull (complaint_id);
}

static void
test_sweep (void)
{
  g_autoptr(GString) failures = g_string_new (NULL);
  guint tried = 0;

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    for (Role role = ANONYMOUS; role < N_ROLES; role++)
      {
        const Probe *probe = &probes[i];
        g_autofree char *fresh = NULL;
        g_autofree char *got = NULL;
        const char *token = tokens[role];

        /* Signing out ends the session it is sent with: a session of its own. */
        if (g_str_equal (probe->method, "DELETE") && g_str_equal (probe->path, "/api/v1/session") && role != ANONYMOUS)
          token = fresh = cabut_test_service_sign_in (service, role_users[role]);

        got = answer_of (probe->method, probe->path, token, probe->body);
        tried++;
        if (!g_str_equal (got, probe->expect[role]))
          g_string_append_printf (failures, "%s %s as %s: got “%s”, expected “%s”\n", probe->method, probe->path,
                                  role_users[role] ? role_users[role] : "nobody", got, probe->expect[role]);
      }

  g_test_message ("%u answers checked", tried);
  if (failures->len > 0)
    g_error ("Unexpected answers:\n%s", failures->str);
}

static gboolean
table_has (const char *method,
           const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      g_autofree char *template = template_of (probes[i].path);

      if (g_ascii_strcasecmp (probes[i].method, method) == 0 && g_str_equal (template, path))
        return TRUE;
    }

  return FALSE;
}

static char *
source_file (const char *relative)
{
  g_autofree char *top = g_path_get_dirname (g_getenv ("G_TEST_SRCDIR"));
  g_autofree char *path = g_build_filename (top, relative, NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));

  return contents;
}

/* The table and the API document list the same endpoints; every route
 * of the service, and every action on a request, is in the table. */
static void
test_table_complete (void)
{
  g_autofree char *yaml = source_file ("data/cabut-api.yaml");
  g_autofree char *server = source_file ("src/server/cabut-server.c");
  g_autofree char *requests = source_file ("src/server/cabut-server-requests.c");
  g_auto(GStrv) lines = g_strsplit (yaml, "\n", -1);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GHashTable) documented = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GRegex) route = g_regex_new ("\\{ \"(/api/v1/[a-z/]+)\", ", 0, 0, NULL);
  g_autoptr(GRegex) action = g_regex_new ("g_str_equal \\(segments\\[2\\], \"([a-z]+)\"\\)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  const char *path = NULL;
  g_autofree char *current = NULL;

  /* paths: two spaces and the path; its methods: four spaces. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "  /") && g_str_has_suffix (line, ":"))
        {
          g_free (current);
          current = g_strndup (line + 2, strlen (line) - 3);
          path = current;
        }
      else if (path != NULL && g_str_has_prefix (line, "    ") && line[4] != ' ' && g_str_has_suffix (line, ":"))
        {
          g_autofree char *method = g_strndup (line + 4, strlen (line) - 5);

          if (!g_strv_contains ((const char *[]) { "get", "post", "put", "patch", "delete", NULL }, method))
            continue;
          g_hash_table_add (documented, g_strdup_printf ("%s %s", method, path));
          if (!table_has (method, path))
            g_string_append_printf (missing, "documented but not probed: %s %s\n", method, path);
        }
      else if (line[0] != ' ' && line[0] != '\0')
        path = NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      g_autofree char *template = template_of (probes[i].path);
      g_autofree char *lower = g_ascii_strdown (probes[i].method, -1);
      g_autofree char *key = g_strdup_printf ("%s %s", lower, template);

      if (!g_hash_table_contains (documented, key))
        g_string_append_printf (missing, "probed but not documented: %s\n", key);
    }

  /* Each route of the router serves at least one endpoint probed. */
  g_regex_match (route, server, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *prefix = g_match_info_fetch (match, 1);
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (probes) && !found; i++)
        found = g_str_has_prefix (probes[i].path, prefix);
      if (!found)
        g_string_append_printf (missing, "route without a probe: %s\n", prefix);
    }
  g_clear_pointer (&match, g_match_info_unref);

  /* Each action on a request the service takes is probed. */
  g_regex_match (action, requests, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *verb = g_match_info_fetch (match, 1);
      g_autofree char *endpoint = g_strdup_printf ("/api/v1/requests/{id}/%s", verb);

      if (!table_has ("GET", endpoint) && !table_has ("POST", endpoint))
        g_string_append_printf (missing, "request action without a probe: %s\n", endpoint);
    }

  if (missing->len > 0)
    g_error ("The authorization table is not complete:\n%s", missing->str);
}

/* No endpoint takes a method the table does not list: an administrator
 * gets 404 or 405 for every other one. */
static void
test_no_hidden_methods (void)
{
  static const char * const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
  g_autoptr(GString) failures = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
      {
        g_autofree char *template = template_of (probes[i].path);
        g_autofree char *got = NULL;

        if (table_has (methods[m], template) || (g_str_equal (methods[m], "DELETE") && g_str_equal (template, "/api/v1/session")))
          continue;
        got = answer_of (methods[m], template, tokens[ADMIN], NULL);
        if (!g_str_has_prefix (got, "404") && !g_str_has_prefix (got, "405"))
          g_string_append_printf (failures, "%s %s as admin: got “%s”\n", methods[m], template, got);
      }

  if (failures->len > 0)
    g_error ("Methods no probe lists are served:\n%s", failures->str);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_test_isolate_tmp ("test-authz");

  service = cabut_test_service_start ("authz");
  for (Role role = APPLICANT; role < N_ROLES; role++)
    tokens[role] = cabut_test_service_sign_in (service, role_users[role]);
  file_cancelled_request ();
  find_resolved_complaint ();

  g_test_add_func ("/cabut/authz/table-complete", test_table_complete);
  g_test_add_func ("/cabut/authz/sweep", test_sweep);
  g_test_add_func ("/cabut/authz/no-hidden-methods", test_no_hidden_methods);

  status = g_test_run ();

  cabut_test_service_stop (service);
  for (Role role = ANONYMOUS; role < N_ROLES; role++)
    g_free (tokens[role]);
  g_free (request_id);
  g_free (complaint_id);

  return status;
}
