/* test-complaints.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Complaints against the real cabut-server --demo on loopback, with a real
 * SMTP server (aiosmtpd) taking its notices and the real cabut-cli: the
 * whole path filed → answered → replied → escalated → resolved, who may
 * do what, bad input, paging, and the command line's exit statuses. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-db.h"
#include "cabut-test-util.h"

#define MAIL_TIMEOUT_MS 20000

static CabutTestService *service;
static GSubprocess *sink;
static char *sink_dir;
static JsonNode *accounts;

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */

static const char *
account (const char *username,
         const char *member)
{
  JsonArray *array = json_node_get_array (accounts);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (object, "username"), username))
        return json_object_get_string_member (object, member);
    }

  g_assert_not_reached ();
}

/* The API's answer to @method @path as @token (nullable) with @body
 * (nullable), which must be @status: its JSON object. */
static JsonObject *
api (const char *method,
     const char *path,
     const char *token,
     const char *body,
     guint       status)
{
  g_autofree char *url = g_strconcat (service->url, "api/v1/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = cabut_test_http (msg, status);
  node = json_from_string (g_bytes_get_data (answer, NULL), &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (node));
}

static char *
sign_in (const char *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\": \"%s\", \"password\": \"%s\"}", username,
                                           cabut_test_service_password (service, username));
  g_autoptr(JsonObject) answer = api ("POST", "session", NULL, body, SOUP_STATUS_CREATED);

  return g_strdup (json_object_get_string_member (answer, "token"));
}

/* The error code of an answer. */
static const char *
code_of (JsonObject *answer)
{
  return json_object_get_string_member (json_object_get_object_member (answer, "error"), "code");
}

/* Runs cabut-cli as @user with --json; its standard output, and its exit
 * status in @status. */
static char *
cli (const char          *user,
     const char * const  *args,
     int                 *status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *err = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("CABUT_CLI"));
  g_ptr_array_add (argv, (char *) "--server");
  g_ptr_array_add (argv, service->url);
  g_ptr_array_add (argv, (char *) "--user");
  g_ptr_array_add (argv, (char *) user);
  g_ptr_array_add (argv, (char *) "--password-env");
  g_ptr_array_add (argv, (char *) "CABUT_TEST_PASSWORD");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "CABUT_TEST_PASSWORD", cabut_test_service_password (service, user), TRUE);
  if (account (user, "p12_password") != NULL)
    envp = g_environ_setenv (envp, "CABUT_TEST_P12_PASSWORD", account (user, "p12_password"), TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);

  g_assert_true (cabut_test_run ((const char * const *) argv->pdata, (const char * const *) envp, &out, &err,
                                 status));
  g_test_message ("cabut-cli %s %s → %d %s", args[0], args[1] ? args[1] : "", *status, err);

  return out;
}

/* cabut-cli … --json, which must succeed: its answer. */
static JsonObject *
cli_json (const char         *user,
          const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, (char *) "--json");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  out = cli (user, (const char * const *) argv->pdata, &status);
  g_assert_cmpint (status, ==, 0);
  node = json_from_string (out, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (node));
}

/* Files a revocation request for @user's own certificate: its number. */
static char *
file_request (const char *user)
{
  static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
  g_autofree char *letter = g_build_filename (service->dir, "surat.pdf", NULL);
  g_autofree char *p12 = g_build_filename (service->dir, "demo", account (user, "p12"), NULL);
  const char *args[] = { "submit", "--cert", p12, "--cert-password-env", "CABUT_TEST_P12_PASSWORD",
                         "--reason", "superseded", "--letter", letter, NULL };
  g_autoptr(JsonObject) filed = NULL;

  g_assert_true (g_file_set_contents (letter, pdf, sizeof pdf - 1, NULL));
  filed = cli_json (user, args);

  return g_strdup (json_object_get_string_member (filed, "id"));
}

static gint64
db_int (const char *sql)
{
  g_autofree char *path = g_build_filename (service->dir, "cabut.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* The messages the SMTP server took whose subject holds @number, waiting
 * until there are @n. */
static GPtrArray *
wait_mail (const char *number,
           guint       n)
{
  gint64 deadline = g_get_monotonic_time () + MAIL_TIMEOUT_MS * 1000;

  for (;;)
    {
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(GDir) dir = g_dir_open (sink_dir, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".json"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *path = g_build_filename (sink_dir, g_ptr_array_index (names, i), NULL);
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonObject *message;

          if (!json_parser_load_from_file (parser, path, NULL))
            continue;   /* being written */
          message = json_node_get_object (json_parser_get_root (parser));
          if (strstr (json_object_get_string_member (message, "subject"), number) != NULL)
            g_ptr_array_add (found, json_object_ref (message));
        }
      if (found->len >= n)
        return g_steal_pointer (&found);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * 1000);
    }
}

static const char *
entry_member (JsonObject *complaint,
              guint       index,
              const char *member)
{
  JsonArray *entries = json_object_get_array_member (complaint, "entries");

  return json_object_get_string_member (json_array_get_object_element (entries, index), member);
}

static const char *
entry_role (JsonObject *complaint,
            guint       index)
{
  JsonArray *entries = json_object_get_array_member (complaint, "entries");
  JsonObject *entry = json_array_get_object_element (entries, index);

  return json_object_get_string_member (json_object_get_object_member (entry, "author"), "role");
}

/* The deadline the service should set: three working days from @from. */
static char *
expected_due (const char *from)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCalendar) calendar = cabut_calendar_new_default (&error);
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (from, NULL);
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) utc = NULL;

  g_assert_no_error (error);
  due = cabut_calendar_get_deadline (calendar, start, 3);
  utc = g_date_time_to_utc (due);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* ---------------------------------------------------------------------- */
/* The whole path                                                          */

static void
poll_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **out = user_data;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  g_assert_nonnull (*out);
}

static void
test_full_path (void)
{
  g_autofree char *budi = sign_in ("budi.santoso");
  g_autofree char *dewi = sign_in ("dewi.verifikator");
  g_autofree char *admin = sign_in ("admin");
  g_autofree char *request = file_request ("budi.santoso");
  g_autofree char *body = g_strdup_printf ("{\"text\": \"Permohonan %s belum diputuskan padahal sudah lewat "
                                           "satu hari kerja.\", \"request\": \"%s\"}", request, request);
  g_autoptr(JsonObject) filed = api ("POST", "complaints", budi, body, SOUP_STATUS_CREATED);
  g_autofree char *number = g_strdup (json_object_get_string_member (filed, "id"));
  g_autofree char *due = expected_due (json_object_get_string_member (filed, "created_at"));
  g_autoptr(JsonObject) feed = NULL;
  g_autoptr(JsonObject) answered = NULL;
  g_autoptr(JsonObject) replied = NULL;
  g_autoptr(JsonObject) escalated = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(JsonObject) officer_feed = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autofree char *sql = NULL;
  gint64 last;

  /* Filed: open, about the request, three working days to answer. */
  g_assert_true (g_str_has_prefix (number, "CBT-K-"));
  g_assert_cmpuint (strlen (number), ==, strlen ("CBT-K-2026-000001"));
  g_assert_cmpstr (json_object_get_string_member (filed, "status"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (filed, "request"), ==, request);
  g_assert_cmpstr (json_object_get_string_member (filed, "due"), ==, due);
  g_assert_false (json_object_get_boolean_member (filed, "overdue"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (filed, "entries")), ==, 1);
  g_assert_cmpstr (entry_member (filed, 0, "kind"), ==, "filed");
  g_assert_cmpstr (entry_role (filed, 0), ==, "applicant");

  /* The applicant waits on the feed; the desk answers meanwhile: the
   * long-poll wakes with the answer. */
  feed = api ("GET", "events?after=0", budi, NULL, SOUP_STATUS_OK);
  last = json_object_get_int_member (feed, "last");
  {
    g_autofree char *url = g_strdup_printf ("%sapi/v1/events?after=%" G_GINT64_FORMAT "&wait=30", service->url,
                                            last);
    g_autofree char *bearer = g_strconcat ("Bearer ", budi, NULL);
    g_autoptr(SoupMessage) poll = soup_message_new ("GET", url);
    g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
    g_autoptr(GBytes) news = NULL;
    g_autoptr(JsonNode) node = NULL;
    const char *args[] = { "complaint", "answer", number, "--text", "Permohonan Bapak sedang kami periksa.", NULL };
    gint64 started = g_get_monotonic_time ();
    JsonArray *events;
    JsonObject *event;

    soup_message_headers_replace (soup_message_get_request_headers (poll), "Authorization", bearer);
    soup_session_send_and_read_async (session, poll, G_PRIORITY_DEFAULT, NULL, poll_cb, &news);
    g_usleep (300 * 1000);
    answered = cli_json ("dewi.verifikator", args);
    while (news == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (g_get_monotonic_time () - started, <, 15 * G_USEC_PER_SEC);
    node = json_from_string (g_bytes_get_data (news, NULL), NULL);
    events = json_object_get_array_member (json_node_get_object (node), "events");
    g_assert_cmpuint (json_array_get_length (events), ==, 1);
    event = json_array_get_object_element (events, 0);
    g_assert_cmpstr (json_object_get_string_member (event, "complaint"), ==, number);
    g_assert_true (json_object_get_null_member (event, "request"));
    g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "answered");
    g_assert_cmpstr (json_object_get_string_member (event, "status"), ==, "answered");
    g_assert_cmpstr (json_object_get_string_member (event, "note"), ==, "Permohonan Bapak sedang kami periksa.");
  }
  g_assert_cmpstr (json_object_get_string_member (answered, "status"), ==, "answered");

  /* The applicant replies: open again, a new deadline from the reply. */
  {
    const char *args[] = { "complaint", "reply", number, "--text", "Sudah dua hari, mohon dipercepat.", NULL };
    g_autofree char *due_again = NULL;

    replied = cli_json ("budi.santoso", args);
    g_assert_cmpstr (json_object_get_string_member (replied, "status"), ==, "open");
    due_again = expected_due (json_object_get_string_member (replied, "updated_at"));
    g_assert_cmpstr (json_object_get_string_member (replied, "due"), ==, due_again);
  }

  /* The desk cannot solve it: escalated, to an official. */
  {
    const char *args[] = { "complaint", "escalate", number, NULL };

    escalated = cli_json ("dewi.verifikator", args);
    g_assert_cmpstr (json_object_get_string_member (escalated, "status"), ==, "escalated");
  }

  /* The desk may not settle it now; the official does. */
  refused = api ("POST", g_strdup_printf ("complaints/%s/resolve", number), dewi, "{\"text\": \"Selesai\"}",
                 SOUP_STATUS_FORBIDDEN);
  g_assert_cmpstr (code_of (refused), ==, "official_only");
  g_clear_pointer (&refused, json_object_unref);
  refused = api ("POST", g_strdup_printf ("complaints/%s/answer", number), dewi, "{\"text\": \"Tunggu\"}",
                 SOUP_STATUS_FORBIDDEN);
  g_assert_cmpstr (code_of (refused), ==, "official_only");
  resolved = api ("POST", g_strdup_printf ("complaints/%s/resolve", number), admin,
                  "{\"text\": \"Permohonan telah diputuskan hari ini; mohon maaf atas keterlambatannya.\"}",
                  SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (resolved, "status"), ==, "resolved");
  g_assert_cmpstr (json_object_get_string_member (resolved, "resolved_at"), ==,
                   json_object_get_string_member (resolved, "updated_at"));

  /* The thread, exactly. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (resolved, "entries")), ==, 5);
  {
    const char *kinds[] = { "filed", "answered", "replied", "escalated", "resolved" };
    const char *states[] = { "open", "answered", "open", "escalated", "resolved" };
    const char *roles[] = { "applicant", "operator", "applicant", "operator", "admin" };

    for (guint i = 0; i < 5; i++)
      {
        g_assert_cmpstr (entry_member (resolved, i, "kind"), ==, kinds[i]);
        g_assert_cmpstr (entry_member (resolved, i, "status"), ==, states[i]);
        g_assert_cmpstr (entry_role (resolved, i), ==, roles[i]);
      }
  }
  g_assert_null (entry_member (resolved, 3, "text"));

  /* Settled is settled. */
  g_clear_pointer (&refused, json_object_unref);
  refused = api ("POST", g_strdup_printf ("complaints/%s/reply", number), budi, "{\"text\": \"Terima kasih\"}",
                 SOUP_STATUS_CONFLICT);
  g_assert_cmpstr (code_of (refused), ==, "wrong_state");

  /* The officers' feed has the five entries; each step left an audit row. */
  officer_feed = api ("GET", "events?after=0", dewi, NULL, SOUP_STATUS_OK);
  {
    JsonArray *events = json_object_get_array_member (officer_feed, "events");
    guint n = 0;

    for (guint i = 0; i < json_array_get_length (events); i++)
      {
        JsonObject *event = json_array_get_object_element (events, i);

        n += g_strcmp0 (json_object_get_string_member (event, "complaint"), number) == 0;
      }
    g_assert_cmpuint (n, ==, 5);
  }
  sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE target = '%s' AND action LIKE 'complaint.%%'", number);
  g_assert_cmpint (db_int (sql), ==, 5);

  /* The applicant is told by e-mail of all but their own reply: four. */
  mail = wait_mail (number, 4);
  g_usleep (1500 * 1000);
  g_clear_pointer (&mail, g_ptr_array_unref);
  mail = wait_mail (number, 4);
  g_assert_cmpuint (mail->len, ==, 4);
  {
    const char *subjects[] = { "Pengaduan diterima — Complaint received",
                               "Pengaduan Anda dijawab — Your complaint has been answered",
                               "Pengaduan Anda diteruskan kepada pejabat — Your complaint has been escalated to an "
                               "official",
                               "Pengaduan Anda diselesaikan — Your complaint has been resolved" };

    /* Each once; the outbox sends in its own order. */
    for (guint i = 0; i < 4; i++)
      {
        g_autofree char *subject = g_strdup_printf ("[%s] %s", number, subjects[i]);
        guint found = 0;

        for (guint j = 0; j < 4; j++)
          {
            JsonObject *message = g_ptr_array_index (mail, j);
            JsonArray *to = json_object_get_array_member (message, "rcpt_tos");

            g_assert_cmpstr (json_array_get_string_element (to, 0), ==, "budi.santoso@contoh.go.id");
            found += g_str_equal (json_object_get_string_member (message, "subject"), subject);
          }
        g_assert_cmpuint (found, ==, 1);
      }
  }
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM mail_outbox o JOIN complaints k ON k.id = o.complaint_id "
                         "WHERE k.number = '%s' AND o.state = 'sent' AND o.attempts = 0 AND o.event_id IS NOT NULL",
                         number);
  g_assert_cmpint (db_int (sql), ==, 4);
}

/* ---------------------------------------------------------------------- */
/* Who may do what                                                         */

static void
test_authorization (void)
{
  g_autofree char *budi = sign_in ("budi.santoso");
  g_autofree char *siti = sign_in ("siti.rahmawati");
  g_autofree char *dewi = sign_in ("dewi.verifikator");
  g_autofree char *siti_request = file_request ("siti.rahmawati");
  g_autofree char *body = g_strdup_printf ("{\"text\": \"Tentang permohonan orang lain\", \"request\": \"%s\"}",
                                           siti_request);
  g_autoptr(JsonObject) siti_list = api ("GET", "complaints", siti, NULL, SOUP_STATUS_OK);
  g_autoptr(JsonObject) own = api ("POST", "complaints", budi, "{\"text\": \"Pengaduan Budi\"}", SOUP_STATUS_CREATED);
  const char *own_number = json_object_get_string_member (own, "id");
  JsonArray *list = json_object_get_array_member (siti_list, "complaints");
  const char *siti_number;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) budi_list = NULL;

  g_assert_cmpuint (json_array_get_length (list), >, 0);
  siti_number = json_object_get_string_member (json_array_get_object_element (list, 0), "id");

  /* Another's complaint does not exist for an applicant. */
  answer = api ("GET", g_strdup_printf ("complaints/%s", siti_number), budi, NULL, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpstr (code_of (answer), ==, "not_found");
  g_clear_pointer (&answer, json_object_unref);
  answer = api ("POST", g_strdup_printf ("complaints/%s/reply", siti_number), budi, "{\"text\": \"x\"}",
                SOUP_STATUS_NOT_FOUND);
  g_assert_cmpstr (code_of (answer), ==, "not_found");

  /* Nor may they answer, escalate or resolve, not even their own. */
  for (guint i = 0; i < 3; i++)
    {
      const char *actions[] = { "answer", "escalate", "resolve" };

      g_clear_pointer (&answer, json_object_unref);
      answer = api ("POST", g_strdup_printf ("complaints/%s/%s", own_number, actions[i]), budi, "{\"text\": \"x\"}",
                    SOUP_STATUS_FORBIDDEN);
      g_assert_cmpstr (code_of (answer), ==, "forbidden");
    }

  /* An officer answers; replying is the applicant's. */
  g_clear_pointer (&answer, json_object_unref);
  answer = api ("POST", g_strdup_printf ("complaints/%s/reply", own_number), dewi, "{\"text\": \"x\"}",
                SOUP_STATUS_FORBIDDEN);
  g_assert_cmpstr (code_of (answer), ==, "forbidden");

  /* Another's request cannot be attached: as if it did not exist. */
  g_clear_pointer (&answer, json_object_unref);
  answer = api ("POST", "complaints", budi, body, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (code_of (answer), ==, "unknown_request");

  /* An applicant's list holds their own only. */
  budi_list = api ("GET", "complaints?state=all", budi, NULL, SOUP_STATUS_OK);
  list = json_object_get_array_member (budi_list, "complaints");
  g_assert_cmpuint (json_array_get_length (list), >, 0);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *complaint = json_array_get_object_element (list, i);

      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (complaint, "applicant"),
                                                      "username"), ==, "budi.santoso");
      g_assert_false (json_object_has_member (complaint, "entries"));
    }
}

/* ---------------------------------------------------------------------- */
/* Bad input                                                               */

static void
test_bad_input (void)
{
  g_autofree char *budi = sign_in ("budi.santoso");
  g_autofree char *dewi = sign_in ("dewi.verifikator");
  g_autoptr(GString) long_text = g_string_new ("{\"text\": \"");
  g_autofree char *just_fits = NULL;
  g_autofree char *too_long = NULL;
  g_autoptr(JsonObject) fits = NULL;
  const struct { const char *body; const char *code; } cases[] = {
    { "{\"text\": \"\"}", "text_required" },
    { "{\"text\": \"  \\n \"}", "text_required" },
    { "{}", "text_required" },
    { "{\"text\": null}", "text_required" },
    { "{\"text\": 42}", "bad_request" },
    { "{\"text\": \"x\", \"request\": 7}", "bad_request" },
    { "{\"text\": \"x\", \"request\": \"CBT-2026-999999\"}", "unknown_request" },
    { "{\"text\": \"x\", \"request\": \"\"}", "unknown_request" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) answer = api ("POST", "complaints", budi, cases[i].body, SOUP_STATUS_BAD_REQUEST);

      g_assert_cmpstr (code_of (answer), ==, cases[i].code);
    }

  /* 4,000 characters (not bytes: "é" is two) are taken, one more is not.
   * Plain ones first: the test log cuts answers at 300 bytes. */
  for (guint i = 0; i < 4000; i++)
    g_string_append (long_text, i < 400 ? "a" : "é");
  just_fits = g_strconcat (long_text->str, "\"}", NULL);
  too_long = g_strconcat (long_text->str, "é\"}", NULL);
  {
    g_autoptr(JsonObject) answer = api ("POST", "complaints", budi, too_long, SOUP_STATUS_BAD_REQUEST);
    g_assert_cmpstr (code_of (answer), ==, "text_too_long");
  }
  fits = api ("POST", "complaints", budi, just_fits, SOUP_STATUS_CREATED);

  /* An answer says something too. */
  {
    g_autofree char *path = g_strdup_printf ("complaints/%s/answer", json_object_get_string_member (fits, "id"));
    g_autoptr(JsonObject) answer = api ("POST", path, dewi, "{\"text\": \" \"}", SOUP_STATUS_BAD_REQUEST);
    g_autoptr(JsonObject) listing = api ("GET", "complaints?state=closed", dewi, NULL, SOUP_STATUS_BAD_REQUEST);

    g_assert_cmpstr (code_of (answer), ==, "text_required");
    g_assert_cmpstr (code_of (listing), ==, "bad_request");
  }
}

/* ---------------------------------------------------------------------- */
/* The desk's list                                                         */

static void
test_desk_pages (void)
{
  g_autofree char *dewi = sign_in ("dewi.verifikator");
  g_autoptr(JsonObject) everything = api ("GET", "complaints?state=all&limit=200", dewi, NULL, SOUP_STATUS_OK);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  g_autofree char *previous = NULL;
  guint unresolved = 0;
  guint paged = 0;
  gboolean states[4] = { FALSE };
  JsonArray *all = json_object_get_array_member (everything, "complaints");

  /* The demo has complaints in every state. */
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      const char *names[] = { "open", "answered", "escalated", "resolved" };
      const char *state = json_object_get_string_member (json_array_get_object_element (all, i), "status");

      for (guint j = 0; j < 4; j++)
        states[j] |= g_str_equal (state, names[j]);
      unresolved += !g_str_equal (state, "resolved");
    }
  for (guint j = 0; j < 4; j++)
    g_assert_true (states[j]);

  /* Unresolved ones by default, oldest first, two at a time, each once. */
  do
    {
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *path = g_strconcat ("complaints?limit=2", cursor ? "&cursor=" : "", escaped, NULL);
      g_autoptr(JsonObject) page = api ("GET", path, dewi, NULL, SOUP_STATUS_OK);
      JsonArray *complaints = json_object_get_array_member (page, "complaints");

      g_assert_cmpuint (json_array_get_length (complaints), <=, 2);
      for (guint i = 0; i < json_array_get_length (complaints); i++)
        {
          JsonObject *complaint = json_array_get_object_element (complaints, i);
          const char *created = json_object_get_string_member (complaint, "created_at");

          g_assert_cmpstr (json_object_get_string_member (complaint, "status"), !=, "resolved");
          g_assert_true (g_hash_table_add (seen, g_strdup (json_object_get_string_member (complaint, "id"))));
          if (previous != NULL)
            g_assert_cmpstr (previous, <=, created);
          g_free (previous);
          previous = g_strdup (created);
          paged++;
        }
      g_clear_pointer (&cursor, g_free);
      if (!json_object_get_null_member (page, "next"))
        cursor = g_strdup (json_object_get_string_member (page, "next"));
    }
  while (cursor != NULL);
  g_assert_cmpuint (paged, ==, unresolved);
}

/* ---------------------------------------------------------------------- */
/* The command line                                                        */

static void
test_cli (void)
{
  g_autofree char *text_file = g_build_filename (service->dir, "pengaduan.txt", NULL);
  g_autofree char *missing = g_build_filename (service->dir, "tidak-ada.txt", NULL);
  g_autoptr(JsonObject) filed = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (g_file_set_contents (text_file, "Halaman unggah\nberhenti di tengah jalan.\n", -1, NULL));
  {
    const char *args[] = { "complaint", "file", "--text-file", text_file, NULL };

    filed = cli_json ("agus.wijaya", args);
    g_assert_cmpstr (json_object_get_string_member (filed, "text"), ==, "Halaman unggah\nberhenti di tengah jalan.");
    g_assert_cmpstr (json_object_get_string_member (filed, "status"), ==, "open");
  }
  {
    const char *args[] = { "complaint", "list", "--state", "open", NULL };

    list = cli_json ("agus.wijaya", args);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (list, "complaints")), ==, 1);
  }
  {
    const char *args[] = { "complaint", "show", json_object_get_string_member (filed, "id"), NULL };
    g_autofree char *expected = g_strdup_printf ("Complaint %s\n", json_object_get_string_member (filed, "id"));

    out = cli ("agus.wijaya", args, &status);
    g_assert_cmpint (status, ==, 0);
    g_assert_true (g_str_has_prefix (out, expected));
    g_assert_nonnull (strstr (out, "Waiting for an answer"));
    g_clear_pointer (&out, g_free);
  }

  /* Exit statuses: refused 1, usage 2, unreadable input 4. */
  {
    const char *args[] = { "complaint", "answer", json_object_get_string_member (filed, "id"), "--text", "x", NULL };

    out = cli ("agus.wijaya", args, &status);
    g_assert_cmpint (status, ==, 1);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "complaint", "resolve", json_object_get_string_member (filed, "id"), NULL };

    out = cli ("dewi.verifikator", args, &status);
    g_assert_cmpint (status, ==, 2);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "complaint", "file", "--text", "a", "--text-file", text_file, NULL };

    out = cli ("agus.wijaya", args, &status);
    g_assert_cmpint (status, ==, 2);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "complaint", "file", "--text-file", missing, NULL };

    out = cli ("agus.wijaya", args, &status);
    g_assert_cmpint (status, ==, 4);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "complaint", "frobnicate", NULL };

    out = cli ("agus.wijaya", args, &status);
    g_assert_cmpint (status, ==, 2);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "complaint", "resolve", json_object_get_string_member (filed, "id"), "--text",
                           "Berkas di atas 10 MB; batasnya sudah dijelaskan.", NULL };
    g_autoptr(JsonObject) resolved = cli_json ("dewi.verifikator", args);

    g_assert_cmpstr (json_object_get_string_member (resolved, "status"), ==, "resolved");
  }
}

/* ---------------------------------------------------------------------- */
/* The schema                                                              */

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
count_in (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* A database from before complaints (the service's own, after the other
 * cases, copied and rewound: its events and notices in the old tables) is
 * migrated: every request event and notice kept under its id, nothing of
 * a complaint's, and the rules of the new tables hold. */
static void
test_migration (void)
{
  g_autofree char *live_path = g_build_filename (service->dir, "cabut.db", NULL);
  g_autofree char *dir = g_dir_make_tmp ("cabut-complaints-migration-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cabut.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutDb) migrated = NULL;
  sqlite3 *live = NULL;
  sqlite3 *copy = NULL;
  sqlite3_backup *backup;
  gint64 version, events, notices, event_ids, notice_ids;

  /* A consistent copy of the running service's database. */
  g_assert_cmpint (sqlite3_open_v2 (live_path, &live, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (live, 5000);
  g_assert_cmpint (sqlite3_open (path, &copy), ==, SQLITE_OK);
  backup = sqlite3_backup_init (copy, "main", live, "main");
  g_assert_nonnull (backup);
  g_assert_cmpint (sqlite3_backup_step (backup, -1), ==, SQLITE_DONE);
  sqlite3_backup_finish (backup);
  sqlite3_close (live);

  version = count_in (copy, "PRAGMA user_version");
  g_assert_cmpint (count_in (copy, "SELECT count(*) FROM mail_outbox WHERE request_id IS NOT NULL"), >, 0);

  /* Rewound to schema 8, the one before complaints (9): the tables as they
   * were, without what a complaint left, and without the column of a later
   * migration that cannot run twice (11, filed_by; 14, reviewer_id; the others make their
   * tables and indexes only if they are missing). */
  exec_ok (copy,
           "PRAGMA foreign_keys = OFF;"
           "BEGIN;"
           "ALTER TABLE requests DROP COLUMN filed_by;"
           "ALTER TABLE requests DROP COLUMN reviewer_id;"
           "DELETE FROM mail_outbox WHERE complaint_id IS NOT NULL;"
           "DELETE FROM events WHERE complaint_id IS NOT NULL;"
           "CREATE TABLE events_old (id INTEGER PRIMARY KEY, request_id INTEGER NOT NULL REFERENCES requests (id),"
           "  at INTEGER NOT NULL, actor_id INTEGER REFERENCES accounts (id), kind TEXT NOT NULL,"
           "  state TEXT NOT NULL, note TEXT);"
           "INSERT INTO events_old SELECT id, request_id, at, actor_id, kind, state, note FROM events;"
           "DROP TABLE events;"
           "ALTER TABLE events_old RENAME TO events;"
           "CREATE INDEX events_request ON events (request_id);"
           "CREATE TABLE mail_outbox_old (id INTEGER PRIMARY KEY,"
           "  request_id INTEGER NOT NULL REFERENCES requests (id),"
           "  kind TEXT NOT NULL CHECK (kind IN ('receipt', 'revoked', 'rejected', 'overdue')),"
           "  recipient TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE, message BLOB NOT NULL,"
           "  created_at INTEGER NOT NULL,"
           "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),"
           "  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, sent_at INTEGER,"
           "  last_error TEXT, UNIQUE (request_id, kind));"
           "INSERT INTO mail_outbox_old SELECT id, request_id, kind, recipient, message_id, message, created_at,"
           "  state, attempts, next_attempt_at, sent_at, last_error FROM mail_outbox;"
           "DROP TABLE mail_outbox;"
           "ALTER TABLE mail_outbox_old RENAME TO mail_outbox;"
           "CREATE INDEX mail_outbox_pending ON mail_outbox (next_attempt_at, id) WHERE state = 'pending';"
           "DROP TABLE complaints;"
           "COMMIT;");
  {
    exec_ok (copy, "PRAGMA user_version = 8");
  }
  events = count_in (copy, "SELECT count(*) FROM events");
  notices = count_in (copy, "SELECT count(*) FROM mail_outbox");
  event_ids = count_in (copy, "SELECT total(id * id) FROM events");
  notice_ids = count_in (copy, "SELECT total(id * id) FROM mail_outbox WHERE state = 'sent'");
  g_assert_cmpint (events, >, 0);
  sqlite3_close (copy);

  /* Migrated as the service would at its start. */
  migrated = cabut_db_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_db_get_version (migrated), ==, version);
  copy = cabut_db_get_handle (migrated);
  g_assert_cmpint (count_in (copy, "SELECT count(*) FROM events WHERE request_id IS NOT NULL"), ==, events);
  g_assert_cmpint (count_in (copy, "SELECT total(id * id) FROM events"), ==, event_ids);
  g_assert_cmpint (count_in (copy, "SELECT count(*) FROM mail_outbox WHERE request_id IS NOT NULL"), ==, notices);
  g_assert_cmpint (count_in (copy, "SELECT total(id * id) FROM mail_outbox WHERE state = 'sent'"), ==, notice_ids);
  g_assert_cmpint (count_in (copy, "SELECT count(*) FROM complaints"), ==, 0);
  g_assert_cmpint (count_in (copy, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  {
    g_autofree char *integrity = cabut_db_integrity_check (migrated);
    g_assert_cmpstr (integrity, ==, "ok");
  }

  /* An event belongs to a request or to a complaint: one of the two; a
   * complaint is in one of its four states. */
  g_assert_cmpint (sqlite3_exec (copy, "INSERT INTO events (at, kind, state) VALUES (1, 'filed', 'open')", NULL, NULL,
                                 NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (copy, "INSERT INTO complaints (number, account_id, text, state, created_at, due_at, "
                                       "updated_at) VALUES ('CBT-K-2026-999999', 1, 'x', 'closed', 1, 1, 1)",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);

  g_clear_object (&migrated);
  cabut_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *line = NULL;
  g_autofree char *smtp_url = NULL;
  g_autofree char *accounts_path = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* A real SMTP server, then the service sending to it. */
  sink_dir = g_dir_make_tmp ("cabut-complaints-mail-XXXXXX", NULL);
  launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  sink = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PYTHON3"), g_getenv ("SMTP_SINK"), sink_dir, "0",
                                      NULL);
  g_assert_no_error (error);
  line = cabut_test_read_line (sink);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  smtp_url = g_strdup_printf ("--smtp-url=smtp://127.0.0.1:%s", line + strlen ("listening on "));
  {
    const char *args[] = { smtp_url, "--mail-from=layanan@contoh.go.id", NULL };

    service = cabut_test_service_start_with ("complaints", args);
  }
  accounts_path = g_build_filename (service->dir, "demo", "accounts.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, accounts_path, &error));
  accounts = json_node_copy (json_parser_get_root (parser));

  g_test_add_func ("/cabut/complaints/full-path", test_full_path);
  g_test_add_func ("/cabut/complaints/authorization", test_authorization);
  g_test_add_func ("/cabut/complaints/bad-input", test_bad_input);
  g_test_add_func ("/cabut/complaints/desk-pages", test_desk_pages);
  g_test_add_func ("/cabut/complaints/cli", test_cli);
  g_test_add_func ("/cabut/complaints/migration", test_migration);
  status = g_test_run ();

  cabut_test_service_stop (service);
  g_subprocess_send_signal (sink, SIGTERM);
  g_subprocess_wait (sink, NULL, NULL);
  g_clear_object (&sink);
  cabut_test_rm_rf (sink_dir);
  g_free (sink_dir);
  json_node_unref (accounts);

  return status;
}
