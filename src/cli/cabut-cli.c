/* cabut-cli.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cabut-core.h"
#include "cabut-cli-private.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Verb;

CabutCliGlobals cabut_cli_globals;

static const Verb verbs[] = {
  { "inspect", cabut_cli_inspect, N_("Show what is inside a certificate file") },
  { "check", cabut_cli_check, N_("Ask whether a certificate has been revoked") },
  { "make-letter", cabut_cli_make_letter, N_("Make the statement letter to print and sign, filled in") },
  { "check-letter", cabut_cli_letter, N_("Tell whether a scanned statement letter was made for a request") },
  { "reasons", cabut_cli_ams, N_("List the revocation reasons the service offers") },
  { "submit", cabut_cli_ams, N_("File a revocation request with a statement letter") },
  { "list", cabut_cli_ams, N_("List your revocation requests") },
  { "status", cabut_cli_ams, N_("Show a request and its history") },
  { "cancel", cabut_cli_ams, N_("Cancel a request that is not decided yet") },
  { "queue", cabut_cli_ams, N_("Officers: list the requests waiting for a decision") },
  { "review", cabut_cli_ams, N_("Officers: take a request into review") },
  { "dossier", cabut_cli_ams, N_("Officers: show a request beside the account and certificate, with the checks") },
  { "approve", cabut_cli_ams, N_("Officers: approve a request; the certificate is revoked") },
  { "reject", cabut_cli_ams, N_("Officers: reject a request, with a note") },
  { "confirm", cabut_cli_ams, N_("Officers: confirm another officer’s proposed decision (second approval)") },
  { "decline", cabut_cli_ams, N_("Officers: decline a proposed decision, with a note; the request stays in review") },
  { "letter", cabut_cli_ams, N_("Download the statement letter of a request") },
  { "complaint", cabut_cli_complaint, N_("File, list, show, answer, reply to, escalate or resolve complaints") },
  { "bulk", cabut_cli_ams, N_("Officers: revoke the certificates of a CSV of NIPs or serials (preview first)") },
  { "audit", cabut_cli_ams, N_("Administrators: read the audit log, or export it as CSV") },
};

/* One line on stderr, prefixed with the program name. */
void
cabut_cli_error (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("cabut-cli: %s\n", message);
}

int
cabut_cli_usage_error (GOptionContext *context,
                       const char     *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: the first %s is an error, the second the help command to run */
  g_printerr (_("cabut-cli: %s (see “%s”)\n"), message, "cabut-cli --help");

  return CABUT_CLI_EXIT_USAGE;
}

void
cabut_cli_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  OPENSSL_cleanse (secret, strlen (secret));
  g_free (secret);
}

/**
 * cabut_cli_read_secret:
 * @file: (nullable): a file whose first line is the secret
 * @env: (nullable): the name of an environment variable holding it
 * @what: what the secret is, for messages
 *
 * Secrets are never taken on the command line, where other users could see
 * them in the process list.
 *
 * Returns: (nullable): the secret, %NULL with no error when none was asked for
 */
char *
cabut_cli_read_secret (const char  *file,
                       const char  *env,
                       const char  *what,
                       GError     **error)
{
  if (file != NULL && env != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Give the %s either from a file or from the environment, not both"), what);
      return NULL;
    }

  if (file != NULL)
    {
      g_autofree char *contents = NULL;
      gsize len = 0;
      char *secret;

      if (!g_file_get_contents (file, &contents, &len, NULL))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       _("%s: the %s file cannot be read"), file, what);
          return NULL;
        }
      /* Only the first line counts, as with `openssl -passin file:`. */
      secret = g_strndup (contents, strcspn (contents, "\r\n"));
      OPENSSL_cleanse (contents, len);

      return secret;
    }

  if (env != NULL)
    {
      const char *value = g_getenv (env);

      if (value == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("The environment variable %s holding the %s is not set"), env, what);
          return NULL;
        }

      return g_strdup (value);
    }

  return NULL;
}

/**
 * cabut_cli_load_certificate:
 * @path: a certificate file, as given on the command line
 * @password_file: (nullable): --password-file
 * @password_env: (nullable): --password-env
 * @exit_status: (out): set when %NULL is returned
 *
 * Reads the PKCS#12 password (wiped afterwards) and loads the file,
 * printing the one-line error a failure deserves.
 *
 * Returns: (transfer full) (nullable): the #CabutCertificate
 */
gpointer
cabut_cli_load_certificate (GOptionContext *context,
                            const char     *path,
                            const char     *password_file,
                            const char     *password_env,
                            int            *exit_status)
{
  g_autoptr(CabutSecret) password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  CabutCertificate *cert;

  password = cabut_cli_read_secret (password_file, password_env, _("password"), &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED))
        {
          *exit_status = cabut_cli_usage_error (context, "%s", error->message);
          return NULL;
        }
      cabut_cli_error ("%s", error->message);
      *exit_status = CABUT_CLI_EXIT_BAD_INPUT;
      return NULL;
    }

  file = g_file_new_for_commandline_arg (path);
  cert = cabut_certificate_new_from_file (file, password, NULL, &error);
  if (cert == NULL)
    {
      cabut_cli_error ("%s: %s", path, error->message);
      *exit_status = (g_error_matches (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_WRONG_PASSWORD) ||
                      g_error_matches (error, CABUT_CERTIFICATE_ERROR, CABUT_CERTIFICATE_ERROR_NEEDS_PASSWORD))
                       ? CABUT_CLI_EXIT_AUTH : CABUT_CLI_EXIT_BAD_INPUT;
    }

  return cert;
}

/** cabut_cli_iso8601: Returns: (nullable): @when in UTC as `2024-01-31T23:59:59Z`, as the JSON output has it */
char *
cabut_cli_iso8601 (GDateTime *when)
{
  g_autoptr(GDateTime) utc = NULL;

  if (when == NULL)
    return NULL;

  utc = g_date_time_to_utc (when);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

void
cabut_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_help (void)
{
  g_print ("%s\n\n", _("Usage: cabut-cli [--server URL --user NAME --password-file FILE] COMMAND [OPTION…]"));
  g_print ("%s\n", _("Revoke BSrE electronic certificates from scripts at a service desk."));
  g_print ("\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    g_print ("  %-10s %s\n", verbs[i].name, _(verbs[i].summary));
  g_print ("\n%s\n", _("Options for the commands that talk to the certificate management service:"));
  g_print ("  %-22s %s\n", _("--server URL"), _("The service (or $CABUT_SERVER); https, or http to this computer"));
  g_print ("  %-22s %s\n", _("--user NAME"), _("Your username (or $CABUT_USER)"));
  g_print ("  %-22s %s\n", _("--password-file FILE"), _("Read your password from the first line of FILE"));
  g_print ("  %-22s %s\n", _("--password-env VAR"), _("Read your password from the environment variable VAR"));
  g_print ("  %-22s %s\n", _("--ca-file FILE"), _("Also trust the CA certificates in FILE for the service"));
  g_print ("  %-22s %s\n", "--json", _("Print JSON instead of text"));
  g_print ("\n%s\n", _("Run “cabut-cli COMMAND --help” for the options of a command."));
  g_print ("\n%s\n", _("Exit status: 0 success, 1 refused by the server, 2 usage error, "
                       "3 wrong or missing password, 4 bad input file, "
                       "5 server unreachable, 6 no trustworthy answer."));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean help = FALSE;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &cabut_cli_globals.server, NULL, NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &cabut_cli_globals.user, NULL, NULL },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &cabut_cli_globals.password_file, NULL, NULL },
    { "password-env", 0, 0, G_OPTION_ARG_STRING, &cabut_cli_globals.password_env, NULL, NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &cabut_cli_globals.ca_file, NULL, NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cabut_cli_globals.json, NULL, NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, NULL, NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, NULL, NULL },
    { NULL }
  };

  cabut_i18n_init ();
  g_set_prgname ("cabut-cli");

  /* Options before the command are shared by all commands; parsing stops
   * at the command, whose own options follow it. */
  context = g_option_context_new (NULL);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (NULL, "%s", error->message);

  if (cabut_cli_globals.server == NULL)
    cabut_cli_globals.server = g_strdup (g_getenv ("CABUT_SERVER"));
  if (cabut_cli_globals.user == NULL)
    cabut_cli_globals.user = g_strdup (g_getenv ("CABUT_USER"));

  if (version)
    {
      g_print ("cabut-cli %s\n", PACKAGE_VERSION);
      return CABUT_CLI_EXIT_OK;
    }

  if (help || argc < 2 || g_str_equal (argv[1], "help"))
    {
      print_help ();
      return (argc < 2 && !help) ? CABUT_CLI_EXIT_USAGE : CABUT_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (argv[1], verbs[i].name))
      {
        g_autofree char *prgname = g_strconcat ("cabut-cli ", verbs[i].name, NULL);

        /* So that a verb's --help reads “cabut-cli inspect [OPTION…]”. */
        g_set_prgname (prgname);
        return verbs[i].run (argc - 1, argv + 1);
      }

  return cabut_cli_usage_error (NULL, _("unknown command “%s”"), argv[1]);
}
