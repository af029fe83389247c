/* cabut-cli-letter.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `cabut-cli make-letter`: the statement letter to print and sign, filled
 * in from the certificate and (with the service options) the account.
 * `cabut-cli check-letter`: whether a scanned statement letter was made
 * for this certificate and reason, by the code Cabut prints on it. */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cabut-cli-private.h"
#include "cabut-core.h"

static GDateTime *
parse_date (const char *text)
{
  g_autofree char *iso = g_strconcat (text, "T12:00:00", NULL);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  int year, month, day;

  if (sscanf (text, "%4d-%2d-%2d", &year, &month, &day) != 3 || strlen (text) != 10)
    return NULL;

  return g_date_time_new_from_iso8601 (iso, local);
}

int
cabut_cli_make_letter (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) cert = NULL;
  g_autoptr(CabutProfile) profile = NULL;
  g_autoptr(CabutLetterForm) form = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GFile) output_file = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password_env = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *chronology = NULL;
  g_autofree char *place = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *superior_name = NULL;
  g_autofree char *superior_nip = NULL;
  g_autofree char *output = NULL;
  g_autofree char *key = NULL;
  gboolean meterai = FALSE;
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_file, N_("The certificate to revoke (PEM, DER or PKCS#12)"),
      N_("FILE") },
    { "cert-password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the PKCS#12 password from the first line of FILE"), N_("FILE") },
    { "cert-password-env", 0, 0, G_OPTION_ARG_STRING, &password_env,
      N_("Read the PKCS#12 password from the environment variable VAR"), N_("VAR") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("The reason, as its RFC 5280 name (see “reasons”)"),
      N_("NAME") },
    { "chronology", 0, 0, G_OPTION_ARG_STRING, &chronology, N_("What happened, in your own words"), N_("TEXT") },
    { "place", 0, 0, G_OPTION_ARG_STRING, &place,
      N_("Where you sign the letter (default: the certificate’s locality)"), N_("TEXT") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("The date you sign it (default: today)"),
      N_("YYYY-MM-DD") },
    { "meterai", 0, 0, G_OPTION_ARG_NONE, &meterai, N_("Leave a box for the duty stamp (meterai)"), NULL },
    { "superior-name", 0, 0, G_OPTION_ARG_STRING, &superior_name,
      N_("Add “Mengetahui, atasan langsung” with your superior’s NAME"), N_("NAME") },
    { "superior-nip", 0, 0, G_OPTION_ARG_STRING, &superior_nip, N_("Your superior’s NIP"), N_("NIP") },
    { "idempotency-key", 0, 0, G_OPTION_ARG_STRING, &key,
      N_("The KEY you will submit with (default: a new one)"), N_("KEY") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Save the letter as FILE"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— make the statement letter to print and sign"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Writes the statement letter (surat pernyataan) as an A4 PDF in Bahasa Indonesia, "
                                  "with a code that ties its scan to the certificate and the reason. With --user (and "
                                  "--server and a password) before the command, your data comes from your account; "
                                  "without, from the certificate."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (context, "%s", error->message);
  if (argc != 1)
    return cabut_cli_usage_error (context, _("%s takes no arguments"), "make-letter");
  if (cert_file == NULL || reason == NULL || output == NULL)
    return cabut_cli_usage_error (context, _("make-letter needs --cert FILE, --reason NAME and -o FILE"));
  if (cabut_reason_lookup_name (reason) == NULL)
    return cabut_cli_usage_error (context, _("“%s” is not a revocation reason (see “cabut-cli reasons”)"), reason);
  if (date_text != NULL && (date = parse_date (date_text)) == NULL)
    return cabut_cli_usage_error (context, _("“%s” is not a date like 2026-12-31"), date_text);
  if (superior_nip != NULL && superior_name == NULL)
    return cabut_cli_usage_error (context, _("--superior-nip needs --superior-name"));

  cert = cabut_cli_load_certificate (context, cert_file, password_file, password_env, &status);
  if (cert == NULL)
    return status;
  if (place == NULL && (place = cabut_dn_dup_value (cabut_certificate_get_subject (cert), "L")) == NULL)
    return cabut_cli_usage_error (context, _("The certificate names no locality: say where you sign with --place"));

  /* $CABUT_SERVER alone does not ask the service: a user name does. */
  if (cabut_cli_globals.user != NULL)
    {
      if ((status = cabut_cli_fetch_profile ("make-letter", &profile)) != CABUT_CLI_EXIT_OK)
        return status;
    }

  form = g_object_new (CABUT_TYPE_LETTER_FORM,
                       "certificate", cert,
                       "profile", profile,
                       "reason", reason,
                       "chronology", chronology,
                       "draft-key", key != NULL ? key : (key = g_uuid_string_random ()),
                       "place", place,
                       "date", date,
                       "meterai", meterai,
                       "superior-name", superior_name,
                       "superior-nip", superior_nip,
                       NULL);
  output_file = g_file_new_for_commandline_arg (output);
  if ((pdf = cabut_letter_form_render (form, &error)) == NULL ||
      !g_file_replace_contents (output_file, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL, FALSE,
                                G_FILE_CREATE_NONE, NULL, NULL, &error))
    {
      cabut_cli_error ("%s: %s", output, error->message);
      return CABUT_CLI_EXIT_BAD_INPUT;
    }

  if (json || cabut_cli_globals.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *path = g_file_get_path (output_file);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, path);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, g_bytes_get_size (pdf));
      json_builder_set_member_name (builder, "idempotency_key");
      json_builder_add_string_value (builder, key);
      json_builder_set_member_name (builder, "from_account");
      json_builder_add_boolean_value (builder, profile != NULL);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      cabut_cli_print_json (node);
    }
  else
    {
      /* Translators: a file name */
      g_print (_("The letter is in %s. Print it, sign it, scan it and attach the scan to your request.\n"), output);
      if (profile == NULL)
        g_print ("%s\n", _("Your data comes from the certificate: check it, or give the service options to "
                            "use your account’s."));
    }

  return CABUT_CLI_EXIT_OK;
}

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
  g_autofree char *held_serial = NULL;
  g_autofree char *held_fingerprint = NULL;
  g_autofree char *held_reason = NULL;
  g_autofree char *held_key = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  CabutLetterMatch match;
  int status;
  const GOptionEntry entries[] = {
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_file, N_("The certificate the request is for"), N_("FILE") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("The revocation reason of the request, e.g. keyCompromise"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "cert-password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the PKCS#12 password from the first line of FILE"), N_("FILE") },
    { "cert-password-env", 0, 0, G_OPTION_ARG_STRING, &password_env,
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
      /* What the code holds, when it is one of Cabut's. */
      json_builder_set_member_name (builder, "holds");
      if (cabut_statement_letter_parse_code (code, &held_serial, &held_fingerprint, &held_reason, &held_key))
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "serial");
          json_builder_add_string_value (builder, held_serial);
          json_builder_set_member_name (builder, "sha256");
          json_builder_add_string_value (builder, held_fingerprint);
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, held_reason);
          json_builder_set_member_name (builder, "idempotency_key");
          if (held_key != NULL)
            json_builder_add_string_value (builder, held_key);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
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
