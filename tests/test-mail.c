/* test-mail.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * E-mail notices: the retry schedule, the settings and the message as
 * units; then the cabut-server executable sending through a real SMTP
 * server on loopback (aiosmtpd, tests/smtp-sink.py, whose Python email
 * package is the outside judge of each message), with the server down
 * during a decision and the service killed between commit and send.
 */

#define _GNU_SOURCE 1   /* memmem () */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-mail.h"
#include "cabut-test-util.h"

#define SENDER        "layanan.tte@contoh.go.id"
#define SMTP_USER     "cabut-mailer"
#define SMTP_PASSWORD "Smtp-rahasia-8841"
/* How long a test waits for a message that should come. */
#define MAIL_TIMEOUT_MS 15000
/* How long nothing more must come: past several retries and sweeps (1 s each here). */
#define QUIET_MS 1500

/* ---------------------------------------------------------------------- */
/* Units                                                                   */

/* The real schedule: a first retry within a minute, then doubling, capped
 * at five minutes, never sooner than the one before. */
static void
test_retry_schedule (void)
{
  static const guint expected[] = { 15, 30, 60, 120, 240, 300, 300, 300 };
  guint previous = 0;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (cabut_mail_retry_delay (i + 1), ==, expected[i]);
  g_assert_cmpuint (cabut_mail_retry_delay (1), <=, 60);
  g_assert_cmpuint (cabut_mail_retry_delay (1) + cabut_mail_retry_delay (2), <=, 60);

  for (guint attempts = 1; attempts < 10000; attempts++)
    {
      guint delay = cabut_mail_retry_delay (attempts);

      g_assert_cmpuint (delay, >=, previous);
      g_assert_cmpuint (delay, <=, CABUT_MAIL_RETRY_MAX);
      previous = delay;
    }
  g_assert_cmpuint (cabut_mail_retry_delay (G_MAXUINT), ==, CABUT_MAIL_RETRY_MAX);
}

static void
test_settings (void)
{
  static const char * const refused[] = {
    "http://127.0.0.1:25", "smtp://", "smtp:///", "127.0.0.1:25", "smtp://user:pw@mail.contoh.go.id", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CabutMailSettings) settings = cabut_mail_settings_new (refused[i], NULL, NULL, SENDER, &error);

      g_test_message ("%s: %s", refused[i], error != NULL ? error->message : "accepted");
      g_assert_null (settings);
      g_assert_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_SETTINGS);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CabutMailSettings) settings = cabut_mail_settings_new ("smtp://127.0.0.1:25", NULL, NULL, "layanan",
                                                                     &error);

    g_assert_null (settings);
    g_assert_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_SETTINGS);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CabutMailSettings) settings = cabut_mail_settings_new ("smtp://127.0.0.1:25", SMTP_USER, NULL, SENDER,
                                                                     &error);

    g_assert_null (settings);
    g_assert_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_SETTINGS);
  }

  /* STARTTLS is required off the machine, TLS from the start with smtps. */
  {
    static const struct { const char *url; gboolean tls; } cases[] = {
      { "smtp://127.0.0.1:2525", FALSE },
      { "smtp://localhost:25", FALSE },
      { "smtp://[::1]:25", FALSE },
      { "smtp://mail.contoh.go.id:587", TRUE },
      { "smtp://10.0.0.5", TRUE },
      { "smtps://127.0.0.1:465", TRUE },
      { "SMTPS://mail.contoh.go.id", TRUE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(CabutMailSettings) settings = cabut_mail_settings_new (cases[i].url, SMTP_USER, SMTP_PASSWORD,
                                                                         SENDER, &error);

        g_assert_no_error (error);
        g_assert_cmpint (cabut_mail_settings_requires_tls (settings), ==, cases[i].tls);
      }
  }
}

/* The message on the wire: CRLF only, short lines, the headers a mail
 * client needs, the subject RFC 2047-encoded, two inline UTF-8 parts. The
 * integration cases below have Python's email package read it back. */
static void
test_message (void)
{
  CabutMailNotice notice = {
    .kind = CABUT_MAIL_REJECTED,
    .number = "CBT-2026-000042",
    .full_name = "Siti Rahmawati, S.E.",
    .serial = "1A2B3C",
    .subject_dn = "CN=Siti Rahmawati,O=Pemerintah Kota Contoh,C=ID",
    .reason = 3,
    .filed_at = 1772517600,   /* 2026-03-03 06:00 UTC, a Tuesday: 13.00 WIB */
    .due_at = 1772643599,     /* Wednesday 4 March 2026, 23:59:59 WIB */
    .at = 1772604000,
    .note = "Tanda tangan kurang.\n.\n..bukan perintah SMTP — mohon ulangi",
  };
  CabutMailIdentity identity = { .from = (char *) SENDER, .name = (char *) "Layanan TTE Kota Contoh" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = cabut_mail_compose (&notice, &identity, "siti.rahmawati@contoh.go.id",
                                                  "abc.cabut@contoh.go.id", notice.at, &error);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;
  const char *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (message, &length);
  text = g_strndup (data, length);
  g_assert_cmpuint (strlen (text), ==, length);

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '\n')
        g_assert_cmpint (i > 0 ? text[i - 1] : 0, ==, '\r');
      /* 7-bit on the wire: everything beyond ASCII is encoded. */
      g_assert_cmpint ((guchar) text[i], <, 0x80);
    }
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]), <=, 78);

  /* The dash is the subject's only word beyond ASCII: that word is encoded. */
  g_assert_nonnull (strstr (text, "\r\nSubject: [CBT-2026-000042] Permohonan pencabutan ditolak =?UTF-8?B?4oCU?=\r\n"
                                  " Revocation request rejected\r\n"));
  g_assert_nonnull (strstr (text, "Date: Wed, 04 Mar 2026 13:00:00 +0700\r\n"));
  g_assert_nonnull (strstr (text, "Message-Id: <abc.cabut@contoh.go.id>\r\n"));
  g_assert_nonnull (strstr (text, "MIME-Version: 1.0\r\n"));
  g_assert_nonnull (strstr (text, "Auto-Submitted: auto-generated\r\n"));
  g_assert_nonnull (strstr (text, "Content-Type: multipart/mixed; boundary="));
  g_assert_nonnull (strstr (text, "Content-Language: id\r\n"));
  g_assert_nonnull (strstr (text, "Content-Language: en\r\n"));
  g_assert_nonnull (strstr (text, "Content-Type: text/plain; charset=utf-8\r\n"));
  g_assert_nonnull (strstr (text, "Content-Transfer-Encoding: quoted-printable\r\n"));
  g_assert_nonnull (strstr (text, "<siti.rahmawati@contoh.go.id>"));
  g_assert_nonnull (strstr (text, "<" SENDER ">"));
}

/* ---------------------------------------------------------------------- */
/* A real SMTP server                                                      */

typedef struct
{
  char        *dir;        /* where it writes what it receives */
  GSubprocess *proc;
  guint        port;
  const char  *credentials;
} Sink;

static void
sink_start (Sink *self)
{
  g_autoptr(GSubprocessLauncher) launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", self->port);
  g_autofree char *line = NULL;

  if (self->dir == NULL)
    self->dir = g_dir_make_tmp ("smtp-sink-XXXXXX", NULL);
  self->proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PYTHON3"), g_getenv ("SMTP_SINK"),
                                            self->dir, port, self->credentials, NULL);
  g_assert_no_error (error);
  line = cabut_test_read_line (self->proc);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  self->port = (guint) g_ascii_strtoull (line + strlen ("listening on "), NULL, 10);
  g_assert_cmpuint (self->port, >, 0);
}

static void
sink_stop (Sink *self)
{
  g_subprocess_send_signal (self->proc, SIGTERM);
  g_assert_true (g_subprocess_wait (self->proc, NULL, NULL));
  g_clear_object (&self->proc);
}

static void
sink_clear (Sink *self)
{
  if (self->proc != NULL)
    sink_stop (self);
  if (self->dir != NULL)
    cabut_test_rm_rf (self->dir);
  g_clear_pointer (&self->dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sink, sink_clear)

static guint
count_mail (Sink *sink)
{
  g_autoptr(GDir) dir = g_dir_open (sink->dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_suffix (name, ".json");

  return n;
}

/* The @n-th message received (from 1), waiting for it to come. */
static JsonObject *
wait_mail (Sink *sink,
           guint n)
{
  g_autofree char *path = g_strdup_printf ("%s/%04u.json", sink->dir, n);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + MAIL_TIMEOUT_MS * 1000;

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Message %u never came (%u received)", n, count_mail (sink));
      g_usleep (50 * 1000);
    }
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* That nothing more comes: long enough for several retries and sweeps. */
static void
assert_no_more_mail (Sink  *sink,
                     guint  expected)
{
  g_usleep (QUIET_MS * 1000);
  g_assert_cmpuint (count_mail (sink), ==, expected);
}

/* ---------------------------------------------------------------------- */
/* The service                                                             */

typedef struct
{
  char        *dir;
  GSubprocess *proc;
  char        *url;
  char        *listen;
  char        *log;        /* its standard error, every run */
  JsonNode    *accounts;
  guint        smtp_port;  /* 0: no mail, or as --config says */
  gboolean     with_password;
  const char  *config;     /* nullable: --config */
  gboolean     lenient;    /* its warnings do not abort it */
} Service;

static void service_start (Service *self);
static void service_stop  (Service *self,
                           int      signum);

/* The demo's CA, accounts and certificates take seconds to make: made
 * once, then each case's service starts from a copy of its own. */
static void
copy_demo (const char *dir)
{
  static char *demo;
  g_autofree char *source = NULL;
  const char *cp[] = { "/bin/cp", "-a", NULL, dir, NULL };
  int status = -1;

  if (demo == NULL)
    {
      Service maker = { .dir = g_dir_make_tmp ("cabut-mail-demo-XXXXXX", NULL) };

      maker.log = g_strconcat (maker.dir, ".log", NULL);
      service_start (&maker);
      service_stop (&maker, SIGTERM);
      demo = g_steal_pointer (&maker.dir);
      g_free (maker.url);
      g_free (maker.listen);
      g_free (maker.log);
      json_node_unref (maker.accounts);
    }

  source = g_build_filename (demo, ".", NULL);
  cp[2] = source;
  g_assert_true (cabut_test_run (cp, NULL, NULL, NULL, &status));
  g_assert_cmpint (status, ==, 0);
}

static void
service_start (Service *self)
{
  g_autoptr(GSubprocessLauncher) launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  int log_fd;

  if (self->dir == NULL)
    {
      self->dir = g_dir_make_tmp ("cabut-mail-XXXXXX", NULL);
      self->log = g_strconcat (self->dir, ".log", NULL);
      copy_demo (self->dir);
    }
  log_fd = g_open (self->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  g_assert_cmpint (log_fd, >=, 0);
  g_subprocess_launcher_take_stderr_fd (launcher, log_fd);
  /* The real schedule is test_retry_schedule's; here a second will do. */
  g_subprocess_launcher_setenv (launcher, "CABUT_TEST_MAIL_RETRY_SECONDS", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "CABUT_TEST_OVERDUE_SWEEP_SECONDS", "1", TRUE);
  if (self->lenient)
    g_subprocess_launcher_setenv (launcher, "G_DEBUG", "gc-friendly", TRUE);

  g_ptr_array_add (argv, g_strdup (g_getenv ("CABUT_SERVER")));
  g_ptr_array_add (argv, g_strdup ("--data"));
  g_ptr_array_add (argv, g_strdup (self->dir));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup (self->listen != NULL ? self->listen : "127.0.0.1:0"));
  g_ptr_array_add (argv, g_strdup ("--demo"));
  if (self->config != NULL)
    g_ptr_array_add (argv, g_strconcat ("--config=", self->config, NULL));
  if (self->smtp_port != 0)
    {
      g_ptr_array_add (argv, g_strdup_printf ("--smtp-url=smtp://127.0.0.1:%u", self->smtp_port));
      g_ptr_array_add (argv, g_strdup ("--mail-from=" SENDER));
    }
  if (self->with_password)
    {
      g_autofree char *password_file = g_build_filename (self->dir, "..", "smtp-password", NULL);

      g_assert_true (g_file_set_contents (password_file, SMTP_PASSWORD "\n", -1, NULL));
      g_ptr_array_add (argv, g_strdup ("--smtp-user=" SMTP_USER));
      g_ptr_array_add (argv, g_strconcat ("--smtp-password-file=", password_file, NULL));
    }
  g_ptr_array_add (argv, NULL);

  self->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  line = cabut_test_read_line (self->proc);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_free (self->url);
  self->url = g_strdup (line + strlen ("listening on "));
  if (self->listen == NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);

      self->listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
    }

  if (self->accounts == NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *path = g_build_filename (self->dir, "demo", "accounts.json", NULL);

      g_assert_true (json_parser_load_from_file (parser, path, &error));
      self->accounts = json_node_copy (json_parser_get_root (parser));
    }
}

static void
service_stop (Service *self,
              int      signum)
{
  g_subprocess_send_signal (self->proc, signum);
  g_assert_true (g_subprocess_wait (self->proc, NULL, NULL));
  if (signum == SIGTERM)
    g_assert_true (g_subprocess_get_if_exited (self->proc) && g_subprocess_get_exit_status (self->proc) == 0);
  g_clear_object (&self->proc);
}

static void
service_clear (Service *self)
{
  if (self->proc != NULL)
    service_stop (self, SIGTERM);
  if (self->dir != NULL)
    cabut_test_rm_rf (self->dir);
  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->listen, g_free);
  g_clear_pointer (&self->log, g_free);
  g_clear_pointer (&self->accounts, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Service, service_clear)

static const char *
account (Service    *service,
         const char *username,
         const char *member)
{
  JsonArray *array = json_node_get_array (service->accounts);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (object, "username"), username))
        return json_object_get_string_member (object, member);
    }

  g_assert_not_reached ();
}

/* Runs cabut-cli as @user; returns its JSON answer (it must succeed). */
static JsonObject *
cli (Service            *service,
     const char         *user,
     const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, (char *) g_getenv ("CABUT_CLI"));
  g_ptr_array_add (argv, (char *) "--server");
  g_ptr_array_add (argv, service->url);
  g_ptr_array_add (argv, (char *) "--user");
  g_ptr_array_add (argv, (char *) user);
  g_ptr_array_add (argv, (char *) "--password-env");
  g_ptr_array_add (argv, (char *) "CABUT_TEST_PASSWORD");
  g_ptr_array_add (argv, (char *) "--json");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "CABUT_TEST_PASSWORD", account (service, user, "password"), TRUE);
  if (account (service, user, "p12_password") != NULL)
    envp = g_environ_setenv (envp, "CABUT_TEST_P12_PASSWORD", account (service, user, "p12_password"), TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);

  g_assert_true (cabut_test_run ((const char * const *) argv->pdata, (const char * const *) envp, &out, &err,
                                 &status));
  g_test_message ("cabut-cli %s → %d %s", args[0], status, err);
  g_assert_cmpint (status, ==, 0);
  node = json_from_string (out, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (node));
}

/* Files a request for @user's own certificate. */
static JsonObject *
file_request (Service    *service,
              const char *user)
{
  static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
  g_autofree char *letter = g_build_filename (service->dir, "..", "surat.pdf", NULL);
  g_autofree char *p12 = g_build_filename (service->dir, "demo", account (service, user, "p12"), NULL);
  const char *args[] = { "submit", "--cert", p12, "--cert-password-env", "CABUT_TEST_P12_PASSWORD",
                         "--reason", "keyCompromise", "--letter", letter, "--note=Laptop dinas hilang", NULL };

  g_assert_true (g_file_set_contents (letter, pdf, sizeof pdf - 1, NULL));

  return cli (service, user, args);
}

/* An officer's decision: "approve" or "reject". */
static JsonObject *
decide (Service    *service,
        const char *action,
        const char *number,
        const char *note)
{
  const char *args[] = { action, number, "--note", note, NULL };

  return cli (service, "dewi.verifikator", args);
}

static gint64
db_int (Service    *service,
        const char *sql)
{
  g_autofree char *path = g_build_filename (service->dir, "cabut.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
db_exec (Service    *service,
         const char *sql)
{
  g_autofree char *path = g_build_filename (service->dir, "cabut.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Waits until @sql counts at least one row. */
static void
wait_db (Service    *service,
         const char *sql)
{
  gint64 deadline = g_get_monotonic_time () + MAIL_TIMEOUT_MS * 1000;

  while (db_int (service, sql) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

/* ---------------------------------------------------------------------- */
/* What a message says                                                     */

static const char * const days_id[] = { "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu" };
static const char * const days_en[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                        "Sunday" };
static const char * const months_id[] = { "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
                                          "Agustus", "September", "Oktober", "November", "Desember" };
static const char * const months_en[] = { "January", "February", "March", "April", "May", "June", "July",
                                          "August", "September", "October", "November", "December" };

/* A time in the API's ISO 8601, as a notice writes it (in WIB). */
static char *
wib (const char *iso,
     gboolean    english)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (iso, NULL);
  g_autoptr(GDateTime) t = NULL;

  g_assert_nonnull (utc);
  t = g_date_time_add_hours (utc, 7);
  if (english)
    return g_strdup_printf ("%s %d %s %d, %02d:%02d WIB", days_en[g_date_time_get_day_of_week (t) - 1],
                            g_date_time_get_day_of_month (t), months_en[g_date_time_get_month (t) - 1],
                            g_date_time_get_year (t), g_date_time_get_hour (t), g_date_time_get_minute (t));

  return g_strdup_printf ("%s, %d %s %d pukul %02d.%02d WIB", days_id[g_date_time_get_day_of_week (t) - 1],
                          g_date_time_get_day_of_month (t), months_id[g_date_time_get_month (t) - 1],
                          g_date_time_get_year (t), g_date_time_get_hour (t), g_date_time_get_minute (t));
}

/* The text of the part in @language, line ends as in C. */
static char *
part_text (JsonObject *mail,
           const char *language)
{
  JsonArray *parts = json_object_get_array_member (mail, "parts");

  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (part, "language", NULL), language) == 0)
        {
          g_autoptr(GRegex) crlf = g_regex_new ("\r\n", 0, 0, NULL);

          return g_regex_replace_literal (crlf, json_object_get_string_member (part, "text"), -1, 0, "\n", 0,
                                          NULL);
        }
    }

  g_assert_not_reached ();
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not in:\n%s", needle, text);
}

/* What every notice is: to the applicant from the service, well formed
 * (Python finds no defect), multipart/mixed of an Indonesian and an
 * English text part, the request's number in the subject and both parts. */
static void
assert_notice (JsonObject *mail,
               const char *recipient,
               const char *number,
               const char *subject,
               const char *due)
{
  JsonArray *parts = json_object_get_array_member (mail, "parts");
  g_autofree char *expected_subject = g_strdup_printf ("[%s] %s", number, subject);
  g_autofree char *text_id = part_text (mail, "id");
  g_autofree char *text_en = part_text (mail, "en");
  g_autofree char *due_id = wib (due, FALSE);
  g_autofree char *due_en = wib (due, TRUE);
  g_autofree char *line_id = NULL;
  g_autofree char *line_en = NULL;

  g_assert_cmpstr (json_object_get_string_member (mail, "mail_from"), ==, SENDER);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (mail, "rcpt_tos")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (mail, "rcpt_tos"), 0), ==, recipient);
  assert_contains (json_object_get_string_member (mail, "to"), recipient);
  assert_contains (json_object_get_string_member (mail, "from"), SENDER);
  g_assert_cmpstr (json_object_get_string_member (mail, "subject"), ==, expected_subject);
  /* The subject's dash is not ASCII: RFC 2047 on the wire. */
  g_assert_nonnull (strstr (json_object_get_string_member (mail, "raw_subject"), "=?UTF-8?B?"));
  g_assert_true (json_object_get_boolean_member (mail, "date_valid"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (mail, "message_id"), "<"));
  g_assert_cmpstr (json_object_get_string_member (mail, "mime_version"), ==, "1.0");
  g_assert_cmpstr (json_object_get_string_member (mail, "auto_submitted"), ==, "auto-generated");
  g_assert_cmpstr (json_object_get_string_member (mail, "content_type"), ==, "multipart/mixed");
  g_assert_false (json_object_get_boolean_member (mail, "bare_lf"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (mail, "defects")), ==, 0);

  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);

      g_assert_cmpstr (json_object_get_string_member (part, "language"), ==, i == 0 ? "id" : "en");
      g_assert_cmpstr (json_object_get_string_member (part, "content_type"), ==, "text/plain");
      g_assert_cmpstr (json_object_get_string_member (part, "charset"), ==, "utf-8");
      g_assert_cmpstr (json_object_get_string_member (part, "disposition"), ==, "inline");
    }

  line_id = g_strdup_printf ("Nomor permohonan: %s\n", number);
  line_en = g_strdup_printf ("Request number: %s\n", number);
  assert_contains (text_id, line_id);
  assert_contains (text_en, line_en);
  g_clear_pointer (&line_id, g_free);
  g_clear_pointer (&line_en, g_free);
  line_id = g_strdup_printf ("Batas waktu: %s\n", due_id);
  line_en = g_strdup_printf ("Deadline: %s\n", due_en);
  assert_contains (text_id, line_id);
  assert_contains (text_en, line_en);
  /* Fixed languages, whatever the service's locale. */
  assert_contains (text_id, "Alasan: Kunci saya hilang atau diketahui orang lain (keyCompromise)\n");
  assert_contains (text_en, "Reason: My key is lost or known to others (keyCompromise)\n");
}

/* A file holds @needle nowhere. */
static void
assert_file_lacks (const char *path,
                   const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;
  g_assert_null (memmem (contents, length, needle, strlen (needle)));
}

/* ---------------------------------------------------------------------- */
/* The service sends                                                       */

/* A receipt, a rejection with a note that has lines a naive SMTP client
 * would end the message on, another receipt and a revocation: each once,
 * to the applicant, through a server that wants a password — which is
 * found neither in the database nor in the log. */
static void
test_receipt_and_decisions (void)
{
  g_auto(Sink) sink = { .credentials = SMTP_USER ":" SMTP_PASSWORD };
  g_auto(Service) service = { 0 };
  g_autoptr(JsonObject) filed = NULL;
  g_autoptr(JsonObject) refiled = NULL;
  g_autoptr(JsonObject) receipt = NULL;
  g_autoptr(JsonObject) rejection = NULL;
  g_autoptr(JsonObject) receipt2 = NULL;
  g_autoptr(JsonObject) revocation = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *text_id = NULL;
  g_autofree char *text_en = NULL;
  g_autofree char *log = NULL;
  const char *recipient = "budi.santoso@contoh.go.id";
  const char *note = "Surat pernyataan belum ditandatangani.\n.\n..dan QUIT bukan perintah — mohon unggah ulang";
  const char *number;

  sink_start (&sink);
  service.smtp_port = sink.port;
  service.with_password = TRUE;
  service_start (&service);

  filed = file_request (&service, "budi.santoso");
  number = json_object_get_string_member (filed, "id");
  receipt = wait_mail (&sink, 1);
  assert_notice (receipt, recipient, number, "Permohonan pencabutan sertifikat diterima — Revocation request received",
                 json_object_get_string_member (filed, "due"));
  g_assert_cmpstr (json_object_get_string_member (receipt, "login"), ==, SMTP_USER);
  text_id = part_text (receipt, "id");
  assert_contains (text_id, "Yth. Budi Santoso, S.Kom.,\n");
  assert_contains (text_id, "telah kami terima");
  g_clear_pointer (&text_id, g_free);

  answer = decide (&service, "reject", number, note);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "rejected");
  rejection = wait_mail (&sink, 2);
  assert_notice (rejection, recipient, number, "Permohonan pencabutan ditolak — Revocation request rejected",
                 json_object_get_string_member (filed, "due"));
  text_id = part_text (rejection, "id");
  text_en = part_text (rejection, "en");
  {
    g_autofree char *note_id = g_strdup_printf ("Catatan verifikator:\n%s\n", note);
    g_autofree char *note_en = g_strdup_printf ("The officer’s note:\n%s\n", note);

    assert_contains (text_id, note_id);
    assert_contains (text_en, note_en);
  }
  assert_contains (text_en, "Your certificate has not been revoked");
  g_clear_pointer (&text_id, g_free);
  g_clear_pointer (&text_en, g_free);

  refiled = file_request (&service, "budi.santoso");
  g_assert_cmpstr (json_object_get_string_member (refiled, "id"), !=, number);
  receipt2 = wait_mail (&sink, 3);
  assert_notice (receipt2, recipient, json_object_get_string_member (refiled, "id"),
                 "Permohonan pencabutan sertifikat diterima — Revocation request received",
                 json_object_get_string_member (refiled, "due"));
  g_clear_pointer (&answer, json_object_unref);
  answer = decide (&service, "approve", json_object_get_string_member (refiled, "id"), "Data sesuai");
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "revoked");
  revocation = wait_mail (&sink, 4);
  assert_notice (revocation, recipient, json_object_get_string_member (refiled, "id"),
                 "Sertifikat Anda telah dicabut — Your certificate has been revoked",
                 json_object_get_string_member (refiled, "due"));
  text_id = part_text (revocation, "id");
  text_en = part_text (revocation, "en");
  assert_contains (text_id, "Catatan verifikator:\nData sesuai\n");
  assert_contains (text_en, "The officer’s note:\nData sesuai\n");
  assert_contains (text_id, "telah dicabut pada ");

  /* Each once, each its own Message-ID. */
  assert_no_more_mail (&sink, 4);
  g_assert_cmpstr (json_object_get_string_member (receipt, "message_id"), !=,
                   json_object_get_string_member (receipt2, "message_id"));
  g_assert_cmpint (db_int (&service, "SELECT count(*) FROM mail_outbox WHERE state = 'sent' AND attempts = 0"), ==, 4);
  g_assert_cmpint (db_int (&service, "SELECT count(DISTINCT message_id) FROM mail_outbox"), ==, 4);

  service_stop (&service, SIGTERM);
  {
    g_autofree char *db = g_build_filename (service.dir, "cabut.db", NULL);
    g_autofree char *wal = g_build_filename (service.dir, "cabut.db-wal", NULL);

    assert_file_lacks (db, SMTP_PASSWORD);
    assert_file_lacks (wal, SMTP_PASSWORD);
    assert_file_lacks (service.log, SMTP_PASSWORD);
  }
  g_assert_true (g_file_get_contents (service.log, &log, NULL, NULL));
  g_assert_null (strstr (log, "notices are off"));
}

/* The desk's ways: a filing at the desk is acknowledged to the applicant,
 * not to the officer; a bulk revocation tells each holder, with the note. */
static void
test_desk (void)
{
  g_auto(Sink) sink = { 0 };
  g_auto(Service) service = { 0 };
  g_autoptr(JsonObject) filed = NULL;
  g_autoptr(JsonObject) batch = NULL;
  g_autoptr(JsonObject) receipt = NULL;
  g_autoptr(JsonObject) revocation = NULL;
  g_autofree char *text_id = NULL;
  g_autofree char *csv = NULL;
  static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
  g_autofree char *subject = NULL;
  const char *number;

  sink_start (&sink);
  service.smtp_port = sink.port;
  service_start (&service);

  {
    g_autofree char *letter = g_build_filename (service.dir, "..", "surat.pdf", NULL);
    g_autofree char *p12 = g_build_filename (service.dir, "demo", account (&service, "budi.santoso", "p12"), NULL);
    const char *args[] = { "submit", "--on-behalf-of", "budi.santoso", "--cert", p12, "--cert-password-env",
                           "CABUT_TEST_P12_PASSWORD", "--reason", "superseded", "--letter", letter, NULL };

    g_assert_true (g_file_set_contents (letter, pdf, sizeof pdf - 1, NULL));
    g_setenv ("CABUT_TEST_P12_PASSWORD", account (&service, "budi.santoso", "p12_password"), TRUE);
    filed = cli (&service, "dewi.verifikator", args);
    g_unsetenv ("CABUT_TEST_P12_PASSWORD");
  }
  number = json_object_get_string_member (filed, "id");
  receipt = wait_mail (&sink, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (receipt, "rcpt_tos"), 0), ==,
                   "budi.santoso@contoh.go.id");
  subject = g_strdup_printf ("[%s] Permohonan pencabutan sertifikat diterima — Revocation request received", number);
  g_assert_cmpstr (json_object_get_string_member (receipt, "subject"), ==, subject);
  g_clear_pointer (&subject, g_free);

  csv = g_build_filename (service.dir, "..", "mutasi.csv", NULL);
  g_assert_true (g_file_set_contents (csv, "NIP\n199006152015032002\n", -1, NULL));
  {
    const char *args[] = { "bulk", "--csv", csv, "--reason", "affiliationChanged", "--note", "SK Mutasi 2026", NULL };
    JsonObject *row;

    batch = cli (&service, "dewi.verifikator", args);
    g_assert_cmpstr (json_object_get_string_member (batch, "state"), ==, "done");
    row = json_array_get_object_element (json_object_get_array_member (batch, "rows"), 0);
    g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "revoked");
    number = json_object_get_string_member (row, "request");
  }
  revocation = wait_mail (&sink, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (revocation, "rcpt_tos"), 0), ==,
                   "siti.rahmawati@contoh.go.id");
  subject = g_strdup_printf ("[%s] Sertifikat Anda telah dicabut — Your certificate has been revoked", number);
  g_assert_cmpstr (json_object_get_string_member (revocation, "subject"), ==, subject);
  text_id = part_text (revocation, "id");
  assert_contains (text_id, "Catatan verifikator:\nSK Mutasi 2026\n");

  assert_no_more_mail (&sink, 2);
}

/* The mail server is down when the officer decides: the decision is
 * answered at once, the notice waits in the outbox, tried again and again,
 * and goes out once the server is back — once. */
static void
test_smtp_down (void)
{
  g_auto(Sink) sink = { 0 };
  g_auto(Service) service = { 0 };
  g_autoptr(JsonObject) filed = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) rejection = NULL;
  const char *number;
  gint64 start;

  sink_start (&sink);
  service.smtp_port = sink.port;
  service_start (&service);
  filed = file_request (&service, "siti.rahmawati");
  number = json_object_get_string_member (filed, "id");
  json_object_unref (wait_mail (&sink, 1));

  sink_stop (&sink);
  start = g_get_monotonic_time ();
  answer = decide (&service, "reject", number, "Nama pada surat tidak sesuai");
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "rejected");
  /* The answer did not wait for the mail server. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  wait_db (&service, "SELECT count(*) FROM mail_outbox WHERE kind = 'rejected' AND state = 'pending' "
                     "AND attempts >= 2 AND last_error IS NOT NULL");
  g_assert_cmpuint (count_mail (&sink), ==, 1);

  sink_start (&sink);
  rejection = wait_mail (&sink, 2);
  assert_notice (rejection, "siti.rahmawati@contoh.go.id", number,
                 "Permohonan pencabutan ditolak — Revocation request rejected",
                 json_object_get_string_member (filed, "due"));
  assert_no_more_mail (&sink, 2);
  g_assert_cmpint (db_int (&service, "SELECT count(*) FROM mail_outbox WHERE state = 'sent'"), ==, 2);
}

/* Killed (SIGKILL) after the filing committed and before its receipt
 * could go (the mail server is not up yet): the restarted service sends
 * it, once. */
static void
test_killed_before_send (void)
{
  g_auto(Sink) sink = { 0 };
  g_auto(Service) service = { 0 };
  g_autoptr(JsonObject) filed = NULL;
  g_autoptr(JsonObject) receipt = NULL;

  /* A port of its own that nothing listens on, for now. */
  sink_start (&sink);
  sink_stop (&sink);
  service.smtp_port = sink.port;
  service_start (&service);

  filed = file_request (&service, "agus.wijaya");
  g_assert_cmpint (db_int (&service, "SELECT count(*) FROM mail_outbox WHERE kind = 'receipt' AND state = 'pending'"),
                   ==, 1);
  service_stop (&service, SIGKILL);
  g_assert_cmpuint (count_mail (&sink), ==, 0);

  sink_start (&sink);
  g_assert_cmpuint (count_mail (&sink), ==, 0);
  service_start (&service);
  receipt = wait_mail (&sink, 1);
  assert_notice (receipt, "agus.wijaya@contoh.go.id", json_object_get_string_member (filed, "id"),
                 "Permohonan pencabutan sertifikat diterima — Revocation request received",
                 json_object_get_string_member (filed, "due"));
  assert_no_more_mail (&sink, 1);

  /* Another restart sends nothing again. */
  service_stop (&service, SIGTERM);
  service_start (&service);
  assert_no_more_mail (&sink, 1);
  g_assert_cmpint (db_int (&service, "SELECT count(*) FROM mail_outbox WHERE state = 'sent'"), ==, 1);
}

/* A request past its deadline: one notice saying so, with where to
 * complain (the demo's contacts), and never another, restart or not. */
static void
test_overdue (void)
{
  g_auto(Sink) sink = { 0 };
  g_auto(Service) service = { 0 };
  g_autoptr(JsonObject) filed = NULL;
  g_autoptr(JsonObject) overdue = NULL;
  g_autofree char *text_id = NULL;
  g_autofree char *text_en = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) past = NULL;
  g_autofree char *past_iso = NULL;
  const char *number;

  sink_start (&sink);
  service.smtp_port = sink.port;
  service_start (&service);
  filed = file_request (&service, "budi.santoso");
  number = json_object_get_string_member (filed, "id");
  json_object_unref (wait_mail (&sink, 1));
  assert_no_more_mail (&sink, 1);

  /* The deadline passed an hour ago. */
  now = g_date_time_new_now_utc ();
  past = g_date_time_add_hours (now, -1);
  sql = g_strdup_printf ("UPDATE requests SET due_at = %" G_GINT64_FORMAT " WHERE number = '%s'",
                         g_date_time_to_unix (past), number);
  db_exec (&service, sql);
  past_iso = g_date_time_format_iso8601 (past);

  overdue = wait_mail (&sink, 2);
  assert_notice (overdue, "budi.santoso@contoh.go.id", number,
                 "Permohonan melewati batas waktu layanan — Request past its deadline", past_iso);
  text_id = part_text (overdue, "id");
  text_en = part_text (overdue, "en");
  assert_contains (text_id, "Telepon: (0274) 555-0123\n");
  assert_contains (text_id, "Pengelola pengaduan: Rina Kartika, S.Kom. (Pengelola Pengaduan)\n");
  assert_contains (text_en, "Phone: (0274) 555-0123\n");
  assert_contains (text_en, "Complaints officer: Rina Kartika, S.Kom. (Complaints Officer)\n");
  assert_contains (text_en, "Kota Contoh Electronic Certificate Service\n");
  assert_no_more_mail (&sink, 2);

  service_stop (&service, SIGTERM);
  service_start (&service);
  assert_no_more_mail (&sink, 2);
  g_assert_cmpint (db_int (&service, "SELECT count(*) FROM requests WHERE overdue_noticed_at IS NOT NULL"), ==, 1);
}

/* The settings from [mail] of --config (the password file found beside
 * it); a recipient the mail server refuses for good is kept as failed,
 * not tried again, and holds up no other notice. An unknown key in [mail]
 * stops the start. */
static void
test_config_and_refused (void)
{
  g_auto(Sink) sink = { .credentials = SMTP_USER ":" SMTP_PASSWORD };
  g_auto(Service) service = { .lenient = TRUE };
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) filed = NULL;
  g_autoptr(JsonObject) receipt = NULL;
  g_autofree char *config = g_build_filename (g_get_tmp_dir (), "cabut-mail.conf", NULL);
  g_autofree char *password = g_build_filename (g_get_tmp_dir (), "smtp-password-from-config", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  sink_start (&sink);
  contents = g_strdup_printf ("[service]\nagency=Dinas Kominfo Kota Contoh\nservice_name=Layanan TTE Kota Contoh\n\n"
                              "[mail]\nsmtp_url=smtp://127.0.0.1:%u\nsmtp_user=" SMTP_USER "\n"
                              "smtp_password_file=smtp-password-from-config\nmail_from=" SENDER "\n", sink.port);
  g_assert_true (g_file_set_contents (config, contents, -1, NULL));
  g_assert_true (g_file_set_contents (password, SMTP_PASSWORD "\n", -1, NULL));
  service.config = config;
  service_start (&service);

  db_exec (&service, "UPDATE accounts SET email = 'ditolak.siti@contoh.go.id' WHERE username = 'siti.rahmawati'");
  refused = file_request (&service, "siti.rahmawati");
  wait_db (&service, "SELECT count(*) FROM mail_outbox WHERE state = 'failed' AND attempts = 1 "
                     "AND last_error LIKE '%550%'");
  filed = file_request (&service, "budi.santoso");
  receipt = wait_mail (&sink, 1);
  assert_notice (receipt, "budi.santoso@contoh.go.id", json_object_get_string_member (filed, "id"),
                 "Permohonan pencabutan sertifikat diterima — Revocation request received",
                 json_object_get_string_member (filed, "due"));
  g_assert_cmpstr (json_object_get_string_member (receipt, "login"), ==, SMTP_USER);
  assert_contains (json_object_get_string_member (receipt, "from"), "Layanan TTE Kota Contoh");
  assert_no_more_mail (&sink, 1);
  g_assert_cmpint (db_int (&service, "SELECT attempts FROM mail_outbox WHERE state = 'failed'"), ==, 1);
  service_stop (&service, SIGTERM);

  bad = g_strconcat (contents, "smtp_pasword_file=typo\n", NULL);
  g_assert_true (g_file_set_contents (config, bad, -1, NULL));
  {
    const char *argv[] = { g_getenv ("CABUT_SERVER"), "--data", service.dir, "--listen", "127.0.0.1:0",
                           "--config", config, NULL };

    g_assert_true (cabut_test_run (argv, NULL, &out, &err, &status));
  }
  g_assert_cmpint (status, !=, 0);
  assert_contains (err, "unknown key “smtp_pasword_file” in [mail]");
}

/* No SMTP server given: no mail, said once at start-up; nothing queued. */
static void
test_off (void)
{
  g_auto(Service) service = { 0 };
  g_autoptr(JsonObject) filed = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  guint said = 0;

  service_start (&service);
  filed = file_request (&service, "budi.santoso");
  service_stop (&service, SIGTERM);

  g_assert_true (g_file_get_contents (service.log, &log, NULL, NULL));
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    said += strstr (lines[i], "E-mail notices are off") != NULL;
  g_assert_cmpuint (said, ==, 1);
  g_assert_cmpint (db_int (&service, "SELECT count(*) FROM mail_outbox"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_test_isolate_tmp ("test-mail");
  cabut_i18n_init ();

  g_test_add_func ("/cabut/mail/retry-schedule", test_retry_schedule);
  g_test_add_func ("/cabut/mail/settings", test_settings);
  g_test_add_func ("/cabut/mail/message", test_message);
  g_test_add_func ("/cabut/mail/service/receipt-and-decisions", test_receipt_and_decisions);
  g_test_add_func ("/cabut/mail/service/desk", test_desk);
  g_test_add_func ("/cabut/mail/service/smtp-down", test_smtp_down);
  g_test_add_func ("/cabut/mail/service/killed-before-send", test_killed_before_send);
  g_test_add_func ("/cabut/mail/service/overdue", test_overdue);
  g_test_add_func ("/cabut/mail/service/config-and-refused", test_config_and_refused);
  g_test_add_func ("/cabut/mail/service/off", test_off);

  return g_test_run ();
}
