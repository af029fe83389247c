/* cabut-cli-check.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-core.h"
#include "cabut-cli-private.h"

typedef struct
{
  GMainLoop              *loop;
  CabutRevocationResult  *result;
  GError                 *error;
} CheckRun;

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_date (JsonBuilder *builder,
          const char  *member,
          GDateTime   *when)
{
  g_autofree char *text = cabut_cli_iso8601 (when);

  add_nullable_string (builder, member, text);
}

static JsonNode *
result_to_json (CabutRevocationResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_nullable_string (builder, "status",
                       cabut_revocation_status_to_string (cabut_revocation_result_get_status (result)));
  add_nullable_string (builder, "reason", cabut_revocation_result_get_reason (result));
  add_date (builder, "revoked_at", cabut_revocation_result_get_revoked_at (result));
  add_nullable_string (builder, "source", cabut_revocation_result_get_source (result));
  add_date (builder, "this_update", cabut_revocation_result_get_this_update (result));
  add_date (builder, "next_update", cabut_revocation_result_get_next_update (result));
  add_nullable_string (builder, "url", cabut_revocation_result_get_url (result));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
format_date (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  /* Translators: a date and time in UTC, see the GDateTime format docs */
  return g_date_time_format (utc, _("%-d %B %Y, %H:%M:%S UTC"));
}

static void
print_row (const char *label,
           const char *value)
{
  g_print ("  %s: %s\n", label, value);
}

static void
print_date_row (const char *label,
                GDateTime  *when)
{
  g_autofree char *text = NULL;

  if (when == NULL)
    return;

  text = format_date (when);
  print_row (label, text);
}

static void
print_human (const char            *path,
             CabutCertificate      *cert,
             CabutRevocationResult *result)
{
  const char *reason = cabut_revocation_result_get_reason (result);

  /* Translators: %s is a file name */
  g_print (_("Revocation status of %s\n"), path);
  print_row (_("Holder"), cabut_certificate_get_subject_string (cert));
  print_row (_("Serial number"), cabut_certificate_get_serial (cert));
  print_row (_("Status"),
             cabut_revocation_status_to_label (cabut_revocation_result_get_status (result)));

  if (cabut_revocation_result_get_status (result) == CABUT_REVOCATION_STATUS_REVOKED)
    {
      const char *label = reason != NULL ? cabut_crl_reason_to_label (reason) : NULL;

      print_row (_("Reason"), label != NULL ? label : _("not given"));
      print_date_row (_("Revoked on"), cabut_revocation_result_get_revoked_at (result));
    }

  print_row (_("Answered by"),
             cabut_revocation_source_to_label (cabut_revocation_result_get_source (result)));
  print_row (_("Address"), cabut_revocation_result_get_url (result));
  print_date_row (_("Answer dated"), cabut_revocation_result_get_this_update (result));
  print_date_row (_("Next update due"), cabut_revocation_result_get_next_update (result));
}

static gboolean
is_web_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL &&
         (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 ||
          g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CheckRun *run = user_data;

  run->result = cabut_revocation_check_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

int
cabut_cli_check (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) cert = NULL;
  g_autoptr(CabutCertificate) issuer = NULL;
  int status;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(CabutRevocationResult) result = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password_env = NULL;
  g_autofree char *ocsp_url = NULL;
  g_autofree char *crl_url = NULL;
  g_autofree char *issuer_file = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  CheckRun run = { 0 };
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "ocsp", 0, 0, G_OPTION_ARG_STRING, &ocsp_url,
      N_("Ask this status service (OCSP) instead of the one named in the certificate"),
      N_("URL") },
    { "crl", 0, 0, G_OPTION_ARG_STRING, &crl_url,
      N_("Read this revocation list (CRL) instead of the one named in the certificate"),
      N_("URL") },
    { "issuer", 0, 0, G_OPTION_ARG_FILENAME, &issuer_file,
      N_("The certificate of the issuing authority (PEM or DER)"), N_("FILE") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the PKCS#12 password from the first line of FILE"), N_("FILE") },
    { "password-env", 0, 0, G_OPTION_ARG_STRING, &password_env,
      N_("Read the PKCS#12 password from the environment variable VAR"), N_("VAR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("— ask whether a certificate has been revoked"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Asks the issuer’s status service (OCSP) and, failing that, "
                                  "its revocation list (CRL). Only answers signed by the issuer "
                                  "count.\n\n"
                                  "Exit status: 0 good or revoked, 2 usage error, 3 wrong or "
                                  "missing password, 4 bad input file, 6 no trustworthy answer "
                                  "(also when the issuer does not know the certificate)."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (context, "%s", error->message);
  if (files == NULL || g_strv_length (files) != 1)
    return cabut_cli_usage_error (context, _("check takes exactly one FILE"));
  if (ocsp_url != NULL && !is_web_url (ocsp_url))
    return cabut_cli_usage_error (context, _("--ocsp needs an http:// or https:// address"));
  if (crl_url != NULL && !is_web_url (crl_url))
    return cabut_cli_usage_error (context, _("--crl needs an http:// or https:// address"));

  cert = cabut_cli_load_certificate (context, files[0], password_file, password_env, &status);
  if (cert == NULL)
    return status;

  if (issuer_file != NULL)
    {
      g_autoptr(GFile) issuer_gfile = g_file_new_for_commandline_arg (issuer_file);

      issuer = cabut_certificate_new_from_file (issuer_gfile, NULL, NULL, &error);
      if (issuer == NULL)
        {
          cabut_cli_error ("%s: %s", issuer_file, error->message);
          return CABUT_CLI_EXIT_BAD_INPUT;
        }
    }

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  cabut_revocation_check_async (cert, issuer, ocsp_url, crl_url, NULL, NULL, check_done_cb, &run);
  g_main_loop_run (loop);

  result = g_steal_pointer (&run.result);
  if (result == NULL)
    {
      cabut_cli_error ("%s", run.error->message);
      g_clear_error (&run.error);
      return CABUT_CLI_EXIT_NO_ANSWER;
    }

  if (json || cabut_cli_globals.json)
    {
      g_autoptr(JsonNode) node = result_to_json (result);
      cabut_cli_print_json (node);
    }
  else
    {
      print_human (files[0], cert, result);
    }

  if (cabut_revocation_result_get_status (result) == CABUT_REVOCATION_STATUS_UNKNOWN)
    {
      cabut_cli_error ("%s", _("The issuer’s status service does not know this certificate, "
                               "and no revocation list said otherwise"));
      return CABUT_CLI_EXIT_NO_ANSWER;
    }

  return CABUT_CLI_EXIT_OK;
}
