/* cabut-cli-letter.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `cabut-cli check-letter`: whether a scanned statement letter was made
 * for this certificate and reason, by the code Cabut prints on it. */

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-cli-private.h"
#include "cabut-core.h"

static const char *
match_sentence (CabutLetterMatch match)
{
  switch (match)
    {
    case CABUT_LETTER_MATCH_YES:
      return _("The letter was made for this certificate and this reason.");
    case CABUT_LETTER_MATCH_OTHER_CERTIFICATE:
      return _("The letter was made for another certificate.");
    case CABUT_LETTER_MATCH_OTHER_REASON:
      return _("The letter was made for this certificate, but for another reason.");
    case CABUT_LETTER_MATCH_UNREADABLE:
      return _("The letter carries a code that is not Cabut’s: compare it by eye.");
    case CABUT_LETTER_MATCH_NO_CODE:
    default:
      return _("The letter has no Cabut code (written by hand, or scanned too poorly): compare it by eye.");
    }
}

int
cabut_cli_letter (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) cert = NULL;
  g_autoptr(GFile) scan_file = NULL;
  g_autoptr(GBytes) scan = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password_env = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *code = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  CabutLetterMatch match;
  int status;
  const GOptionEntry entries[] = {
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_file, N_("The certificate the request is for"), N_("FILE") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("The revocation reason of the request, e.g. keyCompromise"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the PKCS#12 password from the first line of FILE"), N_("FILE") },
    { "password-env", 0, 0, G_OPTION_ARG_STRING, &password_env,
      N_("Read the PKCS#12 password from the environment variable VAR"), N_("VAR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("SCAN") },
    { NULL }
  };

  context = g_option_context_new (_("SCAN — whether a signed statement letter is the one made for a request"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Reads the code Cabut prints on a statement letter from its scan (PDF, "
                                  "JPEG or PNG) and compares it with the certificate and the reason.\n\n"
                                  "Exit status: 0 it matches, 1 it was made for another certificate or "
                                  "reason, 2 usage error, 3 wrong or missing password, 4 bad input file, "
                                  "6 no code to read (compare by eye)."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (context, "%s", error->message);
  if (files == NULL || g_strv_length (files) != 1)
    return cabut_cli_usage_error (context, _("check-letter takes exactly one SCAN"));
  if (cert_file == NULL || reason == NULL)
    return cabut_cli_usage_error (context, _("check-letter needs --cert FILE and --reason NAME"));
  if (cabut_reason_lookup_name (reason) == NULL)
    return cabut_cli_usage_error (context, _("“%s” is not a revocation reason (see “cabut-cli reasons”)"), reason);

  cert = cabut_cli_load_certificate (context, cert_file, password_file, password_env, &status);
  if (cert == NULL)
    return status;

  scan_file = g_file_new_for_commandline_arg (files[0]);
  if ((scan = g_file_load_bytes (scan_file, NULL, NULL, &error)) == NULL ||
      !cabut_statement_letter_read_code (scan, &code, &error))
    {
      cabut_cli_error ("%s: %s", files[0], error->message);
      return CABUT_CLI_EXIT_BAD_INPUT;
    }

  match = cabut_statement_letter_match (code, cabut_certificate_get_serial (cert), cabut_certificate_get_sha256 (cert),
                                        reason);
  if (json || cabut_cli_globals.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "match");
      json_builder_add_string_value (builder, cabut_statement_letter_match_to_string (match));
      json_builder_set_member_name (builder, "code");
      if (code != NULL)
        json_builder_add_string_value (builder, code);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      cabut_cli_print_json (node);
    }
  else
    g_print ("%s\n", match_sentence (match));

  switch (match)
    {
    case CABUT_LETTER_MATCH_YES:
      return CABUT_CLI_EXIT_OK;
    case CABUT_LETTER_MATCH_OTHER_CERTIFICATE:
    case CABUT_LETTER_MATCH_OTHER_REASON:
      return CABUT_CLI_EXIT_REFUSED;
    case CABUT_LETTER_MATCH_UNREADABLE:
    case CABUT_LETTER_MATCH_NO_CODE:
    default:
      return CABUT_CLI_EXIT_NO_ANSWER;
    }
}
