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

static const Verb verbs[] = {
  { "inspect", cabut_cli_inspect, N_("Show what is inside a certificate file") },
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
  g_print ("%s\n\n", _("Usage: cabut-cli COMMAND [OPTION…]"));
  g_print ("%s\n", _("Revoke BSrE electronic certificates from scripts at a service desk."));
  g_print ("\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    g_print ("  %-10s %s\n", verbs[i].name, _(verbs[i].summary));
  g_print ("\n%s\n", _("Run “cabut-cli COMMAND --help” for the options of a command."));
  g_print ("\n%s\n", _("Exit status: 0 success, 1 refused by the server, 2 usage error, "
                       "3 wrong or missing password, 4 bad input file, "
                       "5 server unreachable, 6 no trustworthy answer."));
}

int
main (int   argc,
      char *argv[])
{
  cabut_i18n_init ();
  g_set_prgname ("cabut-cli");

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_help ();
      return argc < 2 ? CABUT_CLI_EXIT_USAGE : CABUT_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("cabut-cli %s\n", PACKAGE_VERSION);
      return CABUT_CLI_EXIT_OK;
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
