/* test-sign-in.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sign-in under attack, against the real cabut-server on loopback: a burst
 * of wrong passwords is counted one by one, a lock holds only for the
 * address it came from, unknown user names answer like known ones, one
 * address has a budget, and a one-time code is good once.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "cabut-accounts.h"
#include "cabut-core.h"
#include "cabut-test-util.h"

static CabutTestService *service;

static const char *
password_of (const char *username)
{
  return cabut_test_service_password (service, username);
}

typedef struct
{
  guint      pending;
  GPtrArray *statuses;   /* in the order sent */
} Burst;

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Burst *burst = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  g_assert_nonnull (body);
  burst->pending--;
}

static SoupMessage *
sign_in_message (const char *username,
                 const char *password,
                 const char *totp)
{
  g_autofree char *url = g_strconcat (service->url, "api/v1/session", NULL);
  g_autofree char *json = totp ? g_strdup_printf ("{\"username\": \"%s\", \"password\": \"%s\", \"totp\": \"%s\"}",
                                                  username, password, totp)
                               : g_strdup_printf ("{\"username\": \"%s\", \"password\": \"%s\"}", username, password);
  SoupMessage *msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  return msg;
}

/* All of @n sign-ins sent at once, on separate connections; their statuses. */
static void
send_burst (SoupSession  *session,
            SoupMessage **messages,
            guint         n)
{
  Burst burst = { n, NULL };

  for (guint i = 0; i < n; i++)
    soup_session_send_and_read_async (session, messages[i], G_PRIORITY_DEFAULT, NULL, sent_cb, &burst);
  while (burst.pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **body = user_data;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  g_assert_nonnull (*body);
}

/* One request on @session (its local address), its answer. */
static GBytes *
http_in (SoupSession *session,
         SoupMessage *msg,
         guint        expected_status)
{
  GBytes *body = NULL;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, read_cb, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (expected_status != 0)
    g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);

  return body;
}

static guint
count_status (SoupMessage **messages,
              guint         n,
              guint         status)
{
  guint count = 0;

  for (guint i = 0; i < n; i++)
    count += soup_message_get_status (messages[i]) == status;
  return count;
}

static SoupSession *
session_from (const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (inet, 0);

  return soup_session_new_with_options ("local-address", local, "max-conns", 64, "max-conns-per-host", 64, NULL);
}

static void
test_burst_counted_one_by_one (void)
{
  g_autoptr(SoupSession) session = session_from ("127.0.0.1");
  g_autoptr(SoupSession) elsewhere = session_from ("127.0.0.2");
  SoupMessage *burst[25];
  g_autoptr(SoupMessage) right = NULL;
  g_autoptr(SoupMessage) owner = NULL;

  /* 24 wrong passwords and, in the middle, the right one. */
  for (guint i = 0; i < G_N_ELEMENTS (burst); i++)
    burst[i] = sign_in_message ("agus.wijaya", i == 12 ? password_of ("agus.wijaya") : "tebakan-salah", NULL);
  send_burst (session, burst, G_N_ELEMENTS (burst));

  /* Five were checked (four refused, the fifth refused and locked), twenty
   * were turned away unchecked — whatever order they arrived in, unless the
   * right one was among the first five. */
  if (soup_message_get_status (burst[12]) == SOUP_STATUS_CREATED)
    g_test_message ("the right password arrived among the first five");
  else
    {
      g_assert_cmpuint (count_status (burst, 25, SOUP_STATUS_UNAUTHORIZED), ==, CABUT_ACCOUNTS_MAX_FAILURES - 1);
      g_assert_cmpuint (count_status (burst, 25, SOUP_STATUS_LOCKED), ==, 25 - (CABUT_ACCOUNTS_MAX_FAILURES - 1));
      g_assert_cmpuint (soup_message_get_status (burst[12]), ==, SOUP_STATUS_LOCKED);

      /* The right password is locked out too… */
      right = sign_in_message ("agus.wijaya", password_of ("agus.wijaya"), NULL);
      g_bytes_unref (http_in (session, right, SOUP_STATUS_LOCKED));
      g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (right), "Retry-After"));
    }

  /* …but only from where the guesses came: the owner elsewhere signs in. */
  owner = sign_in_message ("agus.wijaya", password_of ("agus.wijaya"), NULL);
  g_bytes_unref (http_in (elsewhere, owner, SOUP_STATUS_CREATED));

  for (guint i = 0; i < G_N_ELEMENTS (burst); i++)
    g_object_unref (burst[i]);
}

static void
test_unknown_answers_alike (void)
{
  g_autoptr(SoupSession) session = session_from ("127.0.0.3");
  const char *names[] = { "siti.rahmawati", "tidak.ada.orangnya" };
  guint statuses[2][CABUT_ACCOUNTS_MAX_FAILURES + 1];
  char codes[2][CABUT_ACCOUNTS_MAX_FAILURES + 1][32];

  for (guint n = 0; n < 2; n++)
    for (guint i = 0; i <= CABUT_ACCOUNTS_MAX_FAILURES; i++)
      {
        g_autoptr(SoupMessage) msg = sign_in_message (names[n], "tebakan-salah", NULL);
        g_autoptr(GBytes) body = http_in (session, msg, 0);
        g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);

        statuses[n][i] = soup_message_get_status (msg);
        g_strlcpy (codes[n][i], json_object_get_string_member (json_object_get_object_member (
                                  json_node_get_object (node), "error"), "code"), sizeof codes[n][i]);
      }

  /* An account that exists and one that does not: the same answers. */
  for (guint i = 0; i <= CABUT_ACCOUNTS_MAX_FAILURES; i++)
    {
      g_assert_cmpuint (statuses[0][i], ==, statuses[1][i]);
      g_assert_cmpstr (codes[0][i], ==, codes[1][i]);
      g_assert_cmpuint (statuses[0][i], ==, i < CABUT_ACCOUNTS_MAX_FAILURES - 1 ? SOUP_STATUS_UNAUTHORIZED
                                                                              : SOUP_STATUS_LOCKED);
    }
}

static void
test_address_budget (void)
{
  g_autoptr(SoupSession) session = session_from ("127.0.0.4");
  g_autoptr(SoupMessage) over = NULL;
  g_autoptr(GBytes) body = NULL;

  /* Guessing across user names: the address runs out, not the accounts. */
  for (guint i = 0; i < CABUT_SIGN_IN_ADDRESS_BUDGET; i++)
    {
      g_autofree char *name = g_strdup_printf ("tebakan.%u", i);
      g_autoptr(SoupMessage) msg = sign_in_message (name, "tebakan-salah", NULL);

      g_bytes_unref (http_in (session, msg, SOUP_STATUS_UNAUTHORIZED));
    }
  over = sign_in_message ("budi.santoso", password_of ("budi.santoso"), NULL);
  body = http_in (session, over, 429);
  g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "\"too_many_attempts\""));
  g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (over), "Retry-After"));
}

static void
test_totp_code_good_once (void)
{
  g_autoptr(SoupSession) session = session_from ("127.0.0.5");
  g_autoptr(SoupMessage) admin = sign_in_message ("admin", password_of ("admin"), NULL);
  g_autoptr(GBytes) admin_body = http_in (session, admin, SOUP_STATUS_CREATED);
  g_autoptr(JsonNode) admin_node = json_from_string (g_bytes_get_data (admin_body, NULL), NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", json_object_get_string_member (json_node_get_object (admin_node),
                                                                                 "token"), NULL);
  g_autofree char *url = g_strconcat (service->url, "api/v1/admin/accounts", NULL);
  static const char create[] = "{\"username\": \"rina.w\", \"password\": \"sandi-rina-2026\", \"role\": "
                               "\"applicant\", \"full_name\": \"Rina Wulandari\", \"totp\": true}";
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new_static (create, strlen (create));
  g_autoptr(GBytes) created = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *code = NULL;
  const char *secret;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  created = http_in (session, msg, SOUP_STATUS_CREATED);
  node = json_from_string (g_bytes_get_data (created, NULL), NULL);
  secret = json_object_get_string_member (json_node_get_object (node), "totp_secret");
  code = cabut_totp_code (secret, g_get_real_time () / G_USEC_PER_SEC);

  {
    g_autoptr(SoupMessage) first = sign_in_message ("rina.w", "sandi-rina-2026", code);
    g_autoptr(SoupMessage) again = sign_in_message ("rina.w", "sandi-rina-2026", code);
    g_autoptr(GBytes) refused = NULL;

    g_bytes_unref (http_in (session, first, SOUP_STATUS_CREATED));
    /* RFC 6238 §5.2: the same code, within its 30 seconds, is refused. */
    refused = http_in (session, again, SOUP_STATUS_UNAUTHORIZED);
    g_assert_nonnull (strstr (g_bytes_get_data (refused, NULL), "\"totp_used\""));
  }
}

static void
poll_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **body = user_data;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  if (*body == NULL)
    *body = g_bytes_new (NULL, 0);
}

/* A long-poll opened before signing out ends with the session, with 401,
 * at once — not when its wait runs out, and never with events. */
static void
test_sign_out_ends_long_poll (void)
{
  g_autoptr(SoupSession) session = session_from ("127.0.0.6");
  g_autoptr(SoupMessage) sign_in = sign_in_message ("siti.rahmawati", password_of ("siti.rahmawati"), NULL);
  g_autoptr(GBytes) answer = http_in (session, sign_in, SOUP_STATUS_CREATED);
  g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (answer, NULL), NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", json_object_get_string_member (json_node_get_object (node), "token"),
                                       NULL);
  g_autofree char *events_url = g_strconcat (service->url, "api/v1/events?after=999999&wait=30", NULL);
  g_autofree char *session_url = g_strconcat (service->url, "api/v1/session", NULL);
  g_autoptr(SoupMessage) poll = soup_message_new ("GET", events_url);
  g_autoptr(SoupMessage) sign_out = soup_message_new ("DELETE", session_url);
  g_autoptr(GBytes) polled = NULL;
  gint64 started;

  soup_message_headers_replace (soup_message_get_request_headers (poll), "Authorization", auth);
  soup_session_send_and_read_async (session, poll, G_PRIORITY_DEFAULT, NULL, poll_cb, &polled);
  /* Let the poll reach the service and wait there. */
  started = g_get_monotonic_time ();
  while (g_get_monotonic_time () - started < 500 * 1000)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (polled);

  soup_message_headers_replace (soup_message_get_request_headers (sign_out), "Authorization", auth);
  started = g_get_monotonic_time ();
  g_bytes_unref (http_in (session, sign_out, SOUP_STATUS_NO_CONTENT));
  while (polled == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (soup_message_get_status (poll), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  service = cabut_test_service_start ("sign-in");

  g_test_add_func ("/cabut/sign-in/burst-counted-one-by-one", test_burst_counted_one_by_one);
  g_test_add_func ("/cabut/sign-in/unknown-answers-alike", test_unknown_answers_alike);
  g_test_add_func ("/cabut/sign-in/address-budget", test_address_budget);
  g_test_add_func ("/cabut/sign-in/totp-code-good-once", test_totp_code_good_once);
  g_test_add_func ("/cabut/sign-in/sign-out-ends-long-poll", test_sign_out_ends_long_poll);

  status = g_test_run ();
  cabut_test_service_stop (service);

  return status;
}
