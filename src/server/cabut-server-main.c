/* cabut-server-main.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cabut-core.h"
#include "cabut-server-private.h"

/* A clean stop: on SIGTERM or SIGINT, no new connection and the long-polls
 * answered; the requests in progress (an approval waiting for its CRL, a
 * filing being written) are answered before the service ends, for at most
 * STOP_SECONDS. A second signal ends it at once. */
#define STOP_SECONDS 10

typedef struct
{
  GMainLoop   *loop;
  CabutServer *server;
  gint64       deadline;
  guint        drain_id;
} Stopping;

static gboolean
drain_cb (gpointer user_data)
{
  Stopping *stopping = user_data;

  if (cabut_server_count_requests (stopping->server) > 0 && g_get_monotonic_time () < stopping->deadline)
    return G_SOURCE_CONTINUE;

  stopping->drain_id = 0;
  g_main_loop_quit (stopping->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_cb (gpointer user_data)
{
  Stopping *stopping = user_data;

  if (stopping->drain_id != 0)
    {
      g_main_loop_quit (stopping->loop);
      return G_SOURCE_CONTINUE;
    }

  cabut_server_begin_stop (stopping->server);
  stopping->deadline = g_get_monotonic_time () + STOP_SECONDS * G_USEC_PER_SEC;
  stopping->drain_id = g_timeout_add (20, drain_cb, stopping);
  return G_SOURCE_CONTINUE;
}

static int
fail (const char *message)
{
  g_printerr ("cabut-server: %s\n", message);
  return 1;
}

static char *
read_password_file (const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  char *password;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  password = g_strndup (contents, strcspn (contents, "\r\n"));
  OPENSSL_cleanse (contents, len);

  return password;
}

/* `cabut-server --data DIR add-account …`: accounts for a real agency. */
static int
add_account (CabutServer *server,
             int          argc,
             char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— create an account"));
  g_autoptr(GError) error = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  gboolean totp = FALSE;
  CabutAccount account = { 0 };
  const GOptionEntry entries[] = {
    { "username", 0, 0, G_OPTION_ARG_STRING, &account.username, N_("The sign-in name"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &account.role, N_("applicant, operator or admin"), N_("ROLE") },
    { "full-name", 0, 0, G_OPTION_ARG_STRING, &account.full_name, N_("The person’s full name"), N_("NAME") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &account.email, N_("E-mail address"), N_("ADDRESS") },
    { "nik", 0, 0, G_OPTION_ARG_STRING, &account.nik, N_("National identity number (NIK)"), N_("NIK") },
    { "nip", 0, 0, G_OPTION_ARG_STRING, &account.nip, N_("Civil servant number (NIP)"), N_("NIP") },
    { "position", 0, 0, G_OPTION_ARG_STRING, &account.position, N_("Position (jabatan)"), N_("TEXT") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &account.unit, N_("Work unit"), N_("TEXT") },
    { "organization", 0, 0, G_OPTION_ARG_STRING, &account.organization, N_("Agency"), N_("TEXT") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the initial password from the first line of FILE"), N_("FILE") },
    { "totp", 0, 0, G_OPTION_ARG_NONE, &totp,
      N_("Require a one-time code from an authenticator app at sign-in"), NULL },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (totp)
    account.totp_secret = cabut_totp_new_secret ();
  if (account.username == NULL || password_file == NULL)
    return fail (_("add-account needs --username and --password-file"));
  if (account.role == NULL)
    account.role = g_strdup ("applicant");

  if ((password = read_password_file (password_file, &error)) == NULL)
    return fail (error->message);
  /* The account and its audit row, together or not at all. */
  if (!cabut_db_begin (server->db, &error) ||
      !cabut_accounts_create (server->db, &account, password, NULL, &error) ||
      !cabut_server_audit (server, NULL, NULL, "account.create", account.username, account.role, &error) ||
      !cabut_db_commit (server->db, &error))
    {
      cabut_db_rollback (server->db);
      return fail (error->message);
    }
  g_print (_("Account %s created\n"), account.username);
  if (account.totp_secret != NULL)
    g_print (_("Load this key into the person’s authenticator app: %s\n"
               "(otpauth://totp/Cabut:%s?secret=%s&issuer=Cabut)\n"),
             account.totp_secret, account.username, account.totp_secret);

  OPENSSL_cleanse (password, strlen (password));
  g_free (account.username);
  g_free (account.role);
  g_free (account.full_name);
  g_free (account.email);
  g_free (account.nik);
  g_free (account.nip);
  g_free (account.position);
  g_free (account.unit);
  g_free (account.organization);
  g_free (account.totp_secret);

  return 0;
}

/* `cabut-server --data DIR import-cert --username U FILE…`: the registry. */
static int
import_certificates (CabutServer *server,
                     int          argc,
                     char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE… — register certificates to an account"));
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutAccount) owner = NULL;
  g_autofree char *username = NULL;
  const GOptionEntry entries[] = {
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, N_("The account the certificates belong to"),
      N_("NAME") },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (username == NULL || argc < 2)
    return fail (_("import-cert needs --username and at least one certificate file"));
  if ((owner = cabut_accounts_find (server->db, username, &error)) == NULL)
    return fail (error->message);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
      g_autoptr(CabutCertificate) cert = cabut_certificate_new_from_file (file, NULL, NULL, &error);

      if (cert == NULL ||
          !cabut_db_begin (server->db, &error) ||
          !cabut_registry_register (server->db, owner->id, cert, &error) ||
          !cabut_server_audit (server, NULL, NULL, "certificate.register", cabut_certificate_get_serial (cert),
                               username, &error) ||
          !cabut_db_commit (server->db, &error))
        {
          g_autofree char *message = g_strdup_printf ("%s: %s", argv[i], error->message);

          cabut_db_rollback (server->db);
          return fail (message);
        }
      g_print (_("Registered %s (serial %s) to %s\n"), cabut_certificate_get_subject_string (cert),
               cabut_certificate_get_serial (cert), username);
    }

  return 0;
}

/* `cabut-server --data DIR import-index --certs DIR index.txt`: an existing CA. */
static int
import_index (CabutServer *server,
              int          argc,
              char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("INDEX — register the certificates of an openssl ca"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *certs_dir = NULL;
  g_autofree char *username = NULL;
  int imported;
  const GOptionEntry entries[] = {
    { "certs", 0, 0, G_OPTION_ARG_FILENAME, &certs_dir,
      N_("The CA’s new_certs_dir, holding SERIAL.pem for each certificate"), N_("DIR") },
    { "username", 0, 0, G_OPTION_ARG_STRING, &username,
      N_("Register every certificate to this account (default: by e-mail address)"), N_("NAME") },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (certs_dir == NULL || argc != 2)
    return fail (_("import-index needs --certs DIR and one index.txt"));

  imported = cabut_server_import_index (server, argv[1], certs_dir, username, problems, &error);
  if (imported < 0)
    return fail (error->message);

  for (guint i = 0; i < problems->len; i++)
    g_printerr ("cabut-server: %s: %s\n", argv[1], (char *) g_ptr_array_index (problems, i));
  g_print (_("Registered %d certificates; %u entries skipped\n"), imported, problems->len);

  return problems->len > 0 ? 1 : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutServer) server = NULL;
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Stopping stopping = { 0 };
  g_autofree char *data_dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *holidays = NULL;
  g_autofree char *config = NULL;
  g_autofree char *url = NULL;
  g_autofree char *smtp_url = NULL;
  g_autofree char *smtp_user = NULL;
  g_autofree char *smtp_password_file = NULL;
  g_autofree char *mail_from = NULL;
  gboolean demo = FALSE;
  gboolean second_approval = FALSE;
  int max_letter_mib = 0;
  int request_timeout = CABUT_SERVER_DEFAULT_REQUEST_TIMEOUT;
  const GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir,
      N_("Keep the database, letters and CA in DIR"), N_("DIR") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on ADDR:PORT (default 127.0.0.1:8480; port 0 picks a free one)"), N_("ADDR:PORT") },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url,
      N_("The URL clients reach the service at, for the CRL and OCSP addresses in certificates"),
      N_("URL") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("Serve HTTPS with the certificate chain in FILE (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("The private key for --tls-cert (PEM)"), N_("FILE") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      N_("On first start, create fictional demo accounts and certificates in DIR/demo"), NULL },
    { "second-approval", 0, 0, G_OPTION_ARG_NONE, &second_approval,
      N_("An officer's approval or rejection takes effect only when a second officer confirms it "
         "(also second_approval=true in --config)"), NULL },
    { "max-letter-size", 0, 0, G_OPTION_ARG_INT, &max_letter_mib,
      N_("The largest statement letter accepted, in MiB (default 10)"), N_("MIB") },
    { "request-timeout", 0, 0, G_OPTION_ARG_INT, &request_timeout,
      N_("Close a connection whose request or answer makes no progress for SECONDS (default 60)"),
      N_("SECONDS") },
    { "holidays", 0, 0, G_OPTION_ARG_FILENAME, &holidays,
      N_("Read the holiday list from FILE instead of the one shipped"), N_("FILE") },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config,
      N_("Read the agency, contacts and service terms that the app shows from FILE "
         "(with --demo and no --config, fictional ones)"), N_("FILE") },
    { "smtp-url", 0, 0, G_OPTION_ARG_STRING, &smtp_url,
      N_("Send applicants e-mail notices through the SMTP server at URL: smtp://HOST:PORT (STARTTLS, required "
         "unless HOST is loopback) or smtps://HOST:PORT; without it, no e-mail is sent"), N_("URL") },
    { "smtp-user", 0, 0, G_OPTION_ARG_STRING, &smtp_user,
      N_("Sign in to the SMTP server as NAME"), N_("NAME") },
    { "smtp-password-file", 0, 0, G_OPTION_ARG_FILENAME, &smtp_password_file,
      N_("Read the SMTP password from the first line of FILE"), N_("FILE") },
    { "mail-from", 0, 0, G_OPTION_ARG_STRING, &mail_from,
      N_("Send e-mail notices from ADDRESS"), N_("ADDRESS") },
    { NULL }
  };

  cabut_i18n_init ();
  g_set_prgname ("cabut-server");
  /* A write past a file size limit (RLIMIT_FSIZE) fails with EFBIG and is
   * answered like a full disk; by default the signal would kill us. */
  signal (SIGXFSZ, SIG_IGN);

  context = g_option_context_new (_("[add-account|import-cert|import-index …] — the Cabut certificate management service"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Sub-commands have options of their own. */
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("cabut-server: %s\n", error->message);
      return 2;
    }
  if (data_dir == NULL)
    {
      g_printerr ("cabut-server: %s\n", _("--data DIR is required"));
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("cabut-server: %s\n", _("--tls-cert and --tls-key go together"));
      return 2;
    }
  if (request_timeout <= 0)
    {
      g_printerr ("cabut-server: %s\n", _("--request-timeout takes a number of seconds above 0"));
      return 2;
    }

  server = cabut_server_new (data_dir, &error);
  if (server == NULL)
    return fail (error->message);
  if (max_letter_mib > 0)
    cabut_server_set_max_letter_size (server, (gsize) max_letter_mib * 1024 * 1024);
  cabut_server_set_request_timeout (server, request_timeout);
  if (holidays != NULL && !cabut_server_load_holidays (server, holidays, &error))
    return fail (error->message);

  if (argc > 1)
    {
      if (g_str_equal (argv[1], "add-account"))
        return add_account (server, argc - 1, argv + 1);
      if (g_str_equal (argv[1], "import-cert"))
        return import_certificates (server, argc - 1, argv + 1);
      if (g_str_equal (argv[1], "import-index"))
        return import_index (server, argc - 1, argv + 1);

      g_printerr ("cabut-server: %s “%s”\n", _("unknown command or option"), argv[1]);
      return 2;
    }

  /* Before listening: a service never answers half-configured. */
  if (config == NULL && demo)
    config = cabut_get_data_path ("cabut-demo.conf");
  if (config != NULL && !cabut_server_load_config (server, config, &error))
    return fail (error->message);
  /* The flag turns it on whatever the file says. */
  if (second_approval)
    cabut_server_set_second_approval (server, TRUE);
  if (!cabut_server_start_mail (server, smtp_url, smtp_user, smtp_password_file, mail_from, &error))
    return fail (error->message);

  if (tls_cert != NULL)
    {
      tls = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (tls == NULL)
        return fail (error->message);
    }

  if (!cabut_server_listen (server, listen != NULL ? listen : "127.0.0.1:8480", tls, &error))
    return fail (error->message);

  url = cabut_server_get_url (server);
  if (!cabut_server_start_ca (server, public_url != NULL ? public_url : url, demo, &error))
    return fail (error->message);

  /* Before saying it listens: whoever started it may stop it at once,
   * and a SIGTERM before the handler would end it without a clean exit. */
  loop = g_main_loop_new (NULL, FALSE);
  stopping.loop = loop;
  stopping.server = server;
  g_unix_signal_add (SIGTERM, stop_cb, &stopping);
  g_unix_signal_add (SIGINT, stop_cb, &stopping);

  g_print ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_clear_handle_id (&stopping.drain_id, g_source_remove);
  cabut_server_shutdown (server);

  return 0;
}
