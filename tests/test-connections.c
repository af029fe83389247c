/* test-connections.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real cabut-server on loopback, under a small descriptor limit, asked
 * by clients nobody here wrote (curl, Python's http.client) the way they
 * ask: a connection each, kept alive on their side and closed while idle.
 * Its descriptors and memory must stay flat; a request that makes no
 * progress must be cut off; a long-poll must not be.
 */

#define _GNU_SOURCE 1   /* prlimit () */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/resource.h>

#include "cabut-test-util.h"

#define REQUESTS 5000
#define FD_LIMIT 256

static CabutTestService *service;

static guint16
service_port (void)
{
  g_autoptr(GUri) uri = g_uri_parse (service->url, G_URI_FLAGS_NONE, NULL);

  return g_uri_get_port (uri);
}

/* The service's descriptors once the connections just closed are gone. */
static guint
settled_fds (guint expected)
{
  guint n = cabut_test_count_fds (service->process);

  for (int i = 0; i < 50 && n != expected; i++)
    {
      g_usleep (100 * 1000);
      n = cabut_test_count_fds (service->process);
    }

  return n;
}

static void
assert_answers (void)
{
  g_autofree char *url = g_strconcat (service->url, "api/v1/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_OK);
}

/* One curl, REQUESTS connections: each URL names another host (all sent to
 * the service), so none is reused; curl keeps a few alive and closes the
 * oldest as it goes, then the rest when it exits. */
static void
run_curl (void)
{
  g_autofree char *config = g_build_filename (service->dir, "curl.cfg", NULL);
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;
  guint16 port = service_port ();

  g_string_append_printf (text, "connect-to = \"::127.0.0.1:%u\"\n", port);
  g_string_append (text, "write-out = \"%{http_code}\\n\"\n");
  for (guint i = 0; i < REQUESTS; i++)
    g_string_append_printf (text, "url = \"http://h%u.invalid:%u/api/v1/health\"\noutput = \"/dev/null\"\n",
                            i, port);
  g_assert_true (g_file_set_contents (config, text->str, text->len, NULL));

  {
    const char *argv[] = { curl, "-s", "-K", config, NULL };

    g_assert_nonnull (curl);
    g_assert_true (cabut_test_run (argv, NULL, &out, &err, &status));
  }
  g_assert_cmpint (status, ==, 0);
  /* Every one answered. */
  {
    g_auto(GStrv) codes = g_strsplit (out, "\n", -1);
    guint ok = 0;

    for (guint i = 0; codes[i] != NULL; i++)
      ok += g_str_equal (codes[i], "200");
    g_assert_cmpuint (ok, ==, REQUESTS);
  }
}

static void
run_python (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *script = g_strdup_printf (
    "import http.client\n"
    "ok = 0\n"
    "for i in range(%u):\n"
    "    c = http.client.HTTPConnection('127.0.0.1', %u, timeout=30)\n"
    "    c.request('GET', '/api/v1/health')\n"
    "    r = c.getresponse()\n"
    "    r.read()\n"
    "    ok += r.status == 200\n"
    "    c.close()\n"
    "print(ok)\n", REQUESTS, service_port ());
  const char *argv[] = { python, "-c", script, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = g_strdup_printf ("%u\n", REQUESTS);
  int status = -1;

  g_assert_nonnull (python);
  g_assert_true (cabut_test_run (argv, NULL, &out, &err, &status));
  g_test_message ("python → %d %s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, expected);
}

/* Before the fix each of these requests kept a descriptor: the service,
 * limited to FD_LIMIT, stopped answering after about 240 of them. */
static void
test_descriptors_flat (void)
{
  struct rlimit limit = { FD_LIMIT, FD_LIMIT };
  guint fds;
  guint64 rss;

  g_assert_cmpint (prlimit (atoi (g_subprocess_get_identifier (service->process)), RLIMIT_NOFILE, &limit, NULL),
                   ==, 0);
  assert_answers ();
  g_usleep (200 * 1000);
  fds = cabut_test_count_fds (service->process);
  rss = cabut_test_proc_kib (service->process, "VmRSS");
  g_test_message ("before: %u descriptors, %" G_GUINT64_FORMAT " KiB", fds, rss);

  run_curl ();
  g_assert_cmpuint (settled_fds (fds), ==, fds);
  assert_answers ();

  run_python ();
  g_assert_cmpuint (settled_fds (fds), ==, fds);
  assert_answers ();

  /* libsoup 3.2's listener leaked 344 bytes a connection, its idle
   * connections about 2 KiB: 10,000 connections would be 3 to 20 MiB. */
  g_test_message ("after: %u descriptors, %" G_GUINT64_FORMAT " KiB", cabut_test_count_fds (service->process),
                  cabut_test_proc_kib (service->process, "VmRSS"));
  g_assert_cmpuint (cabut_test_proc_kib (service->process, "VmRSS"), <, rss + 2048);
}

/* A raw connection to the service. */
static GSocketConnection *
connect_raw (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection = g_socket_client_connect_to_host (client, "127.0.0.1", service_port (), NULL,
                                                                   &error);

  g_assert_no_error (error);

  return connection;
}

/* Seconds until the service closes @connection (it reads the end of the
 * stream), or -1 when it has not in @limit seconds. */
static double
seconds_until_closed (GSocketConnection *connection,
                      int                limit)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  gint64 start = g_get_monotonic_time ();
  char buffer[256];

  g_socket_set_timeout (socket, limit);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n == 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        return -1;
      g_assert_no_error (error);
    }
}

static void
send_text (GSocketConnection *connection,
           const char        *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), text,
                                            strlen (text), NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A connection that sends @text (or nothing) and then stalls is cut off
 * after the request timeout (2 s here). */
static void
assert_cut_off (const char *text)
{
  g_autoptr(GSocketConnection) connection = connect_raw ();
  double seconds;

  if (text != NULL)
    send_text (connection, text);
  seconds = seconds_until_closed (connection, 20);
  g_test_message ("closed after %.1f s", seconds);
  g_assert_cmpfloat (seconds, >=, 0);
  assert_answers ();
}

/* Connected, nothing sent. */
static void
test_silent_connection (void)
{
  assert_cut_off (NULL);
}

/* Headers begun and never finished (slowloris). */
static void
test_unfinished_headers (void)
{
  assert_cut_off ("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
}

/* A body promised and stalled halfway. */
static void
test_stalled_body (void)
{
  assert_cut_off ("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  "Content-Length: 100\r\n\r\n{\"username\": ");
}

/* A long-poll waits longer than the request timeout and is answered: while
 * a handler holds a request, its connection is not cut off. */
static void
test_long_poll_not_cut (void)
{
  g_autofree char *session_url = g_strconcat (service->url, "api/v1/session", NULL);
  g_autofree char *json = g_strdup_printf ("{\"username\": \"budi.santoso\", \"password\": \"%s\"}",
                                           cabut_test_service_password (service, "budi.santoso"));
  g_autoptr(SoupMessage) sign_in = soup_message_new ("POST", session_url);
  g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) session = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *poll_url = g_strconcat (service->url, "api/v1/events?after=999999&wait=4", NULL);
  g_autofree char *auth = NULL;
  g_autoptr(SoupMessage) poll = NULL;
  g_autoptr(GBytes) answer = NULL;
  gint64 start;

  soup_message_set_request_body_from_bytes (sign_in, "application/json", request);
  session = cabut_test_http (sign_in, SOUP_STATUS_CREATED);
  node = json_from_string (g_bytes_get_data (session, NULL), NULL);
  auth = g_strconcat ("Bearer ", json_object_get_string_member (json_node_get_object (node), "token"), NULL);

  poll = soup_message_new ("GET", poll_url);
  soup_message_headers_replace (soup_message_get_request_headers (poll), "Authorization", auth);
  start = g_get_monotonic_time ();
  answer = cabut_test_http (poll, SOUP_STATUS_OK);
  /* It waited out its 4 s, twice the request timeout, and got its answer. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 3 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (g_bytes_get_data (answer, NULL), "\"events\":[]"));
}

int
main (int   argc,
      char *argv[])
{
  const char *extra[] = { "--request-timeout", "2", NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);
  cabut_test_isolate_tmp ("test-connections");

  g_test_add_func ("/cabut/connections/descriptors-flat", test_descriptors_flat);
  g_test_add_func ("/cabut/connections/silent-connection", test_silent_connection);
  g_test_add_func ("/cabut/connections/unfinished-headers", test_unfinished_headers);
  g_test_add_func ("/cabut/connections/stalled-body", test_stalled_body);
  g_test_add_func ("/cabut/connections/long-poll-not-cut", test_long_poll_not_cut);

  service = cabut_test_service_start_with ("connections", extra);
  ret = g_test_run ();
  cabut_test_service_stop (service);

  return ret;
}
