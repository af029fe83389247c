/* cabut-cli-ams.c
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
#include <unistd.h>

#include "cabut-core.h"
#include "cabut-cli-private.h"

/* The commands that talk to the certificate management service: sign in,
 * do one thing, sign out. */

typedef struct
{
  CabutAmsClient *client;
  const char     *verb;
  gboolean        json;
} Session;

/* Every command of this file takes --json after it, too. */
static void
add_json_option (GOptionContext *context,
                 Session        *session)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &session->json, N_("Print JSON instead of text"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static int
exit_status_for (const GError *error)
{
  if (error->domain != CABUT_AMS_ERROR)
    return CABUT_CLI_EXIT_BAD_INPUT;

  switch (error->code)
    {
    case CABUT_AMS_ERROR_UNAUTHORIZED:
    case CABUT_AMS_ERROR_TOTP_REQUIRED:
    case CABUT_AMS_ERROR_LOCKED:
      return CABUT_CLI_EXIT_AUTH;
    case CABUT_AMS_ERROR_NETWORK:
    case CABUT_AMS_ERROR_TLS:
    case CABUT_AMS_ERROR_SERVER:
    case CABUT_AMS_ERROR_PROTOCOL:
      return CABUT_CLI_EXIT_NETWORK;
    case CABUT_AMS_ERROR_INSECURE_URL:
    case CABUT_AMS_ERROR_INVALID_URL:
      return CABUT_CLI_EXIT_USAGE;
    default:
      return CABUT_CLI_EXIT_REFUSED;
    }
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static JsonNode *
get (Session     *session,
     const char  *path,
     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_ams_client_get_async (session->client, path, NULL, result_cb, &result);
  return cabut_ams_client_call_finish (session->client, wait_for (&result), error);
}

/* Every page of a list ({"requests": […], "next": cursor}, or another
 * @member), followed to its end: one {"requests": […]} as a script
 * expects it. */
static JsonNode *
get_all_pages (Session     *session,
               const char  *path,
               const char  *member,
               GError     **error)
{
  g_autoptr(JsonArray) all = json_array_new ();
  g_autofree char *cursor = NULL;
  JsonObject *object = json_object_new ();
  JsonNode *root;

  for (;;)
    {
      g_autofree char *page_path = NULL;
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autoptr(JsonNode) page = NULL;
      JsonObject *page_object;
      JsonArray *requests;
      JsonNode *next;

      page_path = g_strdup_printf ("%s%slimit=200%s%s", path, strchr (path, '?') ? "&" : "?",
                                   escaped ? "&cursor=" : "", escaped ? escaped : "");
      if ((page = get (session, page_path, error)) == NULL)
        {
          json_object_unref (object);
          return NULL;
        }
      page_object = JSON_NODE_HOLDS_OBJECT (page) ? json_node_get_object (page) : NULL;
      requests = page_object && json_object_has_member (page_object, member)
                 ? json_object_get_array_member (page_object, member) : NULL;
      if (requests == NULL)
        {
          json_object_unref (object);
          g_set_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL,
                       _("The service’s answer is not a list of requests"));
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (requests); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (requests, i)));

      next = json_object_get_member (page_object, "next");
      g_clear_pointer (&cursor, g_free);
      if (next == NULL || JSON_NODE_HOLDS_NULL (next))
        break;
      if (json_node_get_value_type (next) != G_TYPE_STRING)
        {
          json_object_unref (object);
          g_set_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL,
                       _("The service’s answer is not a list of requests"));
          return NULL;
        }
      cursor = g_strdup (json_node_get_string (next));
    }

  json_object_set_array_member (object, member, g_steal_pointer (&all));
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, object);

  return root;
}

static JsonNode *
post (Session     *session,
      const char  *path,
      JsonNode    *body,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_ams_client_post_async (session->client, path, body, NULL, result_cb, &result);
  return cabut_ams_client_call_finish (session->client, wait_for (&result), error);
}

static int
sign_in (Session *session)
{
  CabutCliGlobals *g = &cabut_cli_globals;
  g_autoptr(CabutSecret) password = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (g->server == NULL || g->user == NULL || (g->password_file == NULL && g->password_env == NULL))
    return cabut_cli_usage_error (NULL, _("%s needs --server URL, --user NAME and --password-file FILE "
                                          "or --password-env VAR"), session->verb);

  password = cabut_cli_read_secret (g->password_file, g->password_env, _("password"), &error);
  if (password == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED) ? CABUT_CLI_EXIT_USAGE
                                                                            : CABUT_CLI_EXIT_BAD_INPUT;
    }

  session->client = cabut_ams_client_new (g->server, &error);
  if (session->client == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return CABUT_CLI_EXIT_USAGE;
    }
  if (g->ca_file != NULL && !cabut_ams_client_add_ca_file (session->client, g->ca_file, &error))
    {
      cabut_cli_error ("%s: %s", g->ca_file, error->message);
      return CABUT_CLI_EXIT_BAD_INPUT;
    }
  {
    const char *lang = g_getenv ("LANGUAGE");
    cabut_ams_client_set_language (session->client,
                                   lang != NULL && g_str_has_prefix (lang, "en") ? "en" : "id");
  }

  cabut_ams_client_sign_in_async (session->client, g->user, password, NULL, NULL, result_cb, &result);
  if (!cabut_ams_client_sign_in_finish (session->client, wait_for (&result), &error))
    {
      cabut_cli_error ("%s", error->message);
      return exit_status_for (error);
    }

  return CABUT_CLI_EXIT_OK;
}

static void
sign_out (Session *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (session->client == NULL || cabut_ams_client_get_token (session->client) == NULL)
    return;

  cabut_ams_client_sign_out_async (session->client, NULL, result_cb, &result);
  node = cabut_ams_client_call_finish (session->client, wait_for (&result), NULL);
}

static char *
format_time (GDateTime *utc)
{
  g_autoptr(GTimeZone) wib = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("—");

  /* Deadlines are set in the service's time, Western Indonesia Time. */
  wib = g_time_zone_new_identifier ("+07:00");
  local = g_date_time_to_timezone (utc, wib);

  /* Translators: a date and time in Western Indonesia Time */
  return g_date_time_format (local, _("%A, %-d %B %Y %H:%M WIB"));
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "submitted") == 0)
    return _("submitted, waiting for an officer");
  if (g_strcmp0 (status, "in_review") == 0)
    return _("being reviewed by an officer");
  if (g_strcmp0 (status, "revoked") == 0)
    return _("approved: the certificate is revoked");
  if (g_strcmp0 (status, "rejected") == 0)
    return _("rejected");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("cancelled by the applicant");

  return status;
}

/* One or two words, for lists. */
static const char *
status_word (const char *status)
{
  if (g_strcmp0 (status, "submitted") == 0)
    return C_("request status", "submitted");
  if (g_strcmp0 (status, "in_review") == 0)
    return C_("request status", "in review");
  if (g_strcmp0 (status, "revoked") == 0)
    return C_("request status", "revoked");
  if (g_strcmp0 (status, "rejected") == 0)
    return C_("request status", "rejected");
  if (g_strcmp0 (status, "cancelled") == 0)
    return C_("request status", "cancelled");

  return status;
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/* What the service found when it read the code on the letter. */
static const char *
letter_match_label (CabutLetterMatch match)
{
  switch (match)
    {
    case CABUT_LETTER_MATCH_YES:
      return _("matches this certificate and reason");
    case CABUT_LETTER_MATCH_OTHER_CERTIFICATE:
      return _("made for another certificate");
    case CABUT_LETTER_MATCH_OTHER_REASON:
      return _("made for this certificate, but for another reason");
    case CABUT_LETTER_MATCH_UNREADABLE:
      return _("not Cabut’s code, or the letter cannot be read — compare by eye");
    case CABUT_LETTER_MATCH_NO_CODE:
    default:
      return _("no code — compare by eye");
    }
}

/* @with_letter: the line on the letter's code, for a request that was
 * checked (`status` prints it; the answers to the other verbs stay as
 * they were). */
static void
print_request (CabutRequest *request,
               gboolean      with_events,
               gboolean      with_letter)
{
  g_autofree char *created = format_time (cabut_request_get_created_at (request));
  g_autofree char *due = format_time (cabut_request_get_due (request));
  const char *note = cabut_request_get_note (request);

  g_print (_("Request %s\n"), cabut_request_get_id (request));
  g_print ("  %s: %s\n", _("Status"),
           status_label (cabut_request_state_to_string (cabut_request_get_state (request))));
  g_print ("  %s: %s\n", _("Reason"), or_empty (cabut_request_get_reason_label (request)));
  g_print ("  %s: %s (%s)\n", _("Applicant"), or_empty (cabut_request_get_applicant_name (request)),
           or_empty (cabut_request_get_applicant_username (request)));
  g_print ("  %s: %s\n", _("Certificate"), or_empty (cabut_request_get_subject (request)));
  g_print ("  %s: %s\n", _("Serial number"), or_empty (cabut_request_get_serial (request)));
  g_print ("  %s: %s\n", _("Filed"), created);
  g_print ("  %s: %s%s\n", _("Due"), due, cabut_request_get_overdue (request) ? _(" (overdue)") : "");
  if (cabut_request_get_filed_by_username (request) != NULL)
    g_print ("  %s: %s (%s)\n", _("Filed at the desk by"), or_empty (cabut_request_get_filed_by_name (request)),
             cabut_request_get_filed_by_username (request));
  if (cabut_request_get_state (request) == CABUT_REQUEST_STATE_IN_REVIEW &&
      cabut_request_get_reviewer_username (request) != NULL)
    g_print ("  %s: %s (%s)\n", _("In review by"), or_empty (cabut_request_get_reviewer_name (request)),
             cabut_request_get_reviewer_username (request));
  g_print ("  %s: %s\n", _("Key possession"),
           cabut_request_get_key_possession (request)
             ? _("proven (signed with the certificate’s private key)")
             : cabut_request_get_filed_by_username (request) != NULL
               ? _("not proven (the applicant came to the desk with the signed letter)")
               : _("not proven"));
  if (cabut_request_get_pending_action (request) != NULL)
    {
      g_autofree char *at = format_time (cabut_request_get_pending_at (request));
      const char *pending_note = cabut_request_get_pending_note (request);

      g_print ("  %s: %s, %s (%s), %s%s%s\n", _("Waiting for a second officer"),
               g_str_equal (cabut_request_get_pending_action (request), "approve") ? C_("pending decision", "approve") : C_("pending decision", "reject"),
               or_empty (cabut_request_get_pending_by_name (request)),
               or_empty (cabut_request_get_pending_by_username (request)), at,
               pending_note ? " — " : "", pending_note ? pending_note : "");
    }
  if (with_letter && cabut_request_get_letter_checked (request))
    g_print ("  %s: %s\n", _("Letter code"), letter_match_label (cabut_request_get_letter_match (request)));
  if (note != NULL)
    g_print ("  %s: %s\n", _("Note"), note);
  if (cabut_request_get_crl_number (request) > 0)
    g_print ("  %s: %" G_GINT64_FORMAT "\n", _("CRL number"), cabut_request_get_crl_number (request));

  if (with_events && cabut_request_has_events (request))
    {
      GListModel *events = cabut_request_get_events (request);

      g_print ("  %s:\n", _("History"));
      for (guint i = 0; i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(CabutRequestEvent) event = g_list_model_get_item (events, i);
          g_autofree char *at = format_time (cabut_request_event_get_at (event));
          const char *event_note = cabut_request_event_get_note (event);

          g_print ("    %s  %s  %s%s%s\n", at,
                   status_label (cabut_request_state_to_string (cabut_request_event_get_state (event))),
                   or_empty (cabut_request_event_get_actor_name (event)),
                   event_note ? " — " : "", event_note ? event_note : "");
        }
    }
}

/* The dossier: the request, then what the service holds, then the checks,
 * each marked in words (a terminal may have no colour). */
static void
print_dossier (CabutReview *review)
{
  GPtrArray *subject = cabut_review_get_subject_attributes (review);
  GListModel *checks = cabut_review_get_checks (review);
  g_autofree char *not_before = format_time (cabut_review_get_not_before (review));
  g_autofree char *not_after = format_time (cabut_review_get_not_after (review));

  print_request (cabut_review_get_request (review), TRUE, TRUE);

  g_print ("%s\n", _("Account"));
  for (guint i = 0; i < CABUT_REVIEW_ACCOUNT_N_FIELDS; i++)
    g_print ("  %s: %s\n", cabut_review_account_field_to_label (i), or_empty (cabut_review_get_account (review, i)));

  g_print ("%s\n", _("Registered certificate"));
  g_print ("  %s: %s\n", _("Serial number"), cabut_review_get_serial (review));
  g_print ("  %s:\n", _("Subject"));
  for (guint i = 0; i < subject->len; i++)
    {
      const CabutRdnAttribute *attribute = g_ptr_array_index (subject, i);

      g_print ("    %s (%s): %s\n", cabut_rdn_attribute_get_label (attribute),
               cabut_rdn_attribute_get_name (attribute), cabut_rdn_attribute_get_value (attribute));
    }
  g_print ("  %s: %s\n", _("Issuer"), cabut_review_get_issuer (review));
  g_print ("  %s: %s – %s\n", _("Valid"), not_before, not_after);
  g_print ("  %s: %s\n", _("Registry"),
           cabut_review_get_revoked (review) ? C_("certificate status", "revoked") : C_("certificate status", "good"));
  g_print ("  %s: %s\n", _("SHA-256"), or_empty (cabut_review_get_sha256 (review)));

  g_print (_("Checks (%u do not match)\n"), cabut_review_count_mismatches (review));
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CabutReviewCheck) check = g_list_model_get_item (checks, i);

      g_print ("  [%s] %s: %s / %s\n",
               cabut_review_check_get_matches (check) ? _("match") : _("DIFFERS"),
               cabut_review_check_get_label (check),
               or_empty (cabut_review_check_get_expected (check)),
               or_empty (cabut_review_check_get_found (check)));
    }
}

static void
print_list (GListModel *requests)
{
  if (g_list_model_get_n_items (requests) == 0)
    {
      g_print ("%s\n", _("No requests."));
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);
      g_autofree char *due = format_time (cabut_request_get_due (request));
      const char *word = status_word (cabut_request_state_to_string (cabut_request_get_state (request)));
      /* Pad by characters, not bytes. */
      int pad = MAX (0, 12 - (int) g_utf8_strlen (word, -1));

      g_autofree char *reviewer = NULL;

      /* Officers see who has a request in review (only they, or an admin, decide it). */
      if (cabut_request_get_state (request) == CABUT_REQUEST_STATE_IN_REVIEW &&
          cabut_request_get_reviewer_name (request) != NULL)
        /* Translators: after a request's line in the queue; %s is an officer's name */
        reviewer = g_strdup_printf (_(" (in review by %s)"), cabut_request_get_reviewer_name (request));

      g_print ("%s  %s%*s  %s  %s%s%s\n", cabut_request_get_id (request), word, pad, "", due,
               or_empty (cabut_request_get_applicant_name (request)),
               cabut_request_get_overdue (request) ? _(" (overdue)") : "", or_empty (reviewer));
    }
}

/* The service's answer is printed as it came with --json; as text, it is
 * read into typed objects first, so that a malformed answer is an error
 * rather than half a report. */
static int
print_answer (Session    *session,
              JsonNode   *node,
              const char *heading,
              gboolean    list,
              gboolean    with_events,
              gboolean    with_letter)
{
  g_autoptr(GError) error = NULL;

  if (session->json)
    {
      cabut_cli_print_json (node);
      return CABUT_CLI_EXIT_OK;
    }

  if (list)
    {
      g_autoptr(GListModel) requests = cabut_request_list_new_from_json (node, &error);

      if (requests != NULL)
        print_list (requests);
    }
  else
    {
      g_autoptr(CabutRequest) request = cabut_request_new_from_json (node, &error);

      if (request != NULL && heading != NULL)
        g_print ("%s\n\n", heading);
      if (request != NULL)
        print_request (request, with_events, with_letter);
    }

  if (error != NULL)
    {
      cabut_cli_error ("%s", error->message);
      return exit_status_for (error);
    }

  return CABUT_CLI_EXIT_OK;
}

/* GETs @path and, with --json, prints it as it came. Returns: the answer
 * to print as text, or %NULL with @status the exit status (an error is
 * said). */
static JsonNode *
get_to_print (Session    *session,
              const char *path,
              int        *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = get (session, path, &error);

  *status = CABUT_CLI_EXIT_OK;
  if (node == NULL)
    {
      cabut_cli_error ("%s", error->message);
      *status = exit_status_for (error);
      return NULL;
    }
  if (session->json)
    {
      cabut_cli_print_json (node);
      return NULL;
    }

  return g_steal_pointer (&node);
}

static int
reasons (Session *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GListModel) list = NULL;
  const char *lang = g_getenv ("LANGUAGE");
  const char *key = lang != NULL && g_str_has_prefix (lang, "en") ? "en" : "id";
  int status;

  if ((node = get_to_print (session, "reasons", &status)) == NULL)
    return status;

  if ((list = cabut_reason_item_list_new_from_json (node, key, &error)) == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return exit_status_for (error);
    }

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(CabutReasonItem) reason = g_list_model_get_item (list, i);

      g_print ("%-22s %s\n", cabut_reason_item_get_name (reason), cabut_reason_item_get_label (reason));
      g_print ("%-22s %s\n", "", cabut_reason_item_get_help (reason));
    }

  return CABUT_CLI_EXIT_OK;
}

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  gboolean *tty = user_data;

  if (*tty && total > 0)
    g_printerr ("\r%s %3d%%", _("Sending…"), (int) (sent * 100 / total));
}

static int
submit (Session *session,
        int      argc,
        char   **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— file a revocation request"));
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) cert = NULL;
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *cert_password_file = NULL;
  g_autofree char *cert_password_env = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *letter_path = NULL;
  g_autofree char *note = NULL;
  g_autofree char *key = NULL;
  g_autofree char *letter_name = NULL;
  g_autofree char *on_behalf_of = NULL;
  gboolean tty = isatty (2);
  int status;
  const GOptionEntry entries[] = {
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_path, N_("The certificate to revoke (PEM, DER or PKCS#12)"), N_("FILE") },
    { "cert-password-file", 0, 0, G_OPTION_ARG_FILENAME, &cert_password_file,
      N_("Read the PKCS#12 password from the first line of FILE"), N_("FILE") },
    { "cert-password-env", 0, 0, G_OPTION_ARG_STRING, &cert_password_env,
      N_("Read the PKCS#12 password from the environment variable VAR"), N_("VAR") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("The reason, as its RFC 5280 name (see “reasons”)"), N_("NAME") },
    { "letter", 0, 0, G_OPTION_ARG_FILENAME, &letter_path, N_("The signed statement letter (PDF, JPEG or PNG)"), N_("FILE") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note for the officer"), N_("TEXT") },
    { "idempotency-key", 0, 0, G_OPTION_ARG_STRING, &key,
      N_("Reuse KEY to retry a submission safely (default: a new one)"), N_("KEY") },
    { "on-behalf-of", 0, 0, G_OPTION_ARG_STRING, &on_behalf_of,
      N_("Officers: file at the desk for the applicant USER, who is present with the signed letter"), N_("USER") },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_json_option (context, session);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (context, "%s", error->message);
  if (cert_path == NULL || reason == NULL || letter_path == NULL)
    return cabut_cli_usage_error (context, _("submit needs --cert FILE, --reason NAME and --letter FILE"));
  if (cabut_reason_lookup_name (reason) == NULL)
    return cabut_cli_usage_error (context, _("“%s” is not a revocation reason; run “cabut-cli reasons”"), reason);

  /* Everything local is checked before anything is sent. */
  cert = cabut_cli_load_certificate (context, cert_path, cert_password_file, cert_password_env, &status);
  if (cert == NULL)
    return status;
  {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (letter_path);

    if ((letter = g_file_load_bytes (file, NULL, NULL, &error)) == NULL)
      {
        cabut_cli_error ("%s: %s", letter_path, error->message);
        return CABUT_CLI_EXIT_BAD_INPUT;
      }
    letter_name = g_file_get_basename (file);
  }

  if ((status = sign_in (session)) != CABUT_CLI_EXIT_OK)
    return status;

  if (key == NULL)
    key = g_uuid_string_random ();

  cabut_ams_client_submit_for_async (session->client, cert, on_behalf_of, reason, note, letter, letter_name, key,
                                     progress_cb, &tty, NULL, result_cb, &result);
  node = cabut_ams_client_call_finish (session->client, wait_for (&result), &error);
  if (tty)
    g_printerr ("\r\033[K");
  if (node == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return exit_status_for (error);
    }

  return print_answer (session, node,
                       on_behalf_of != NULL ? _("The request has been filed for the applicant. Give them the request "
                                                "number.")
                                            : _("Your request has been filed. Keep the request number."),
                       FALSE, FALSE, FALSE);
}

static int
one_request (Session     *session,
             const char  *verb,
             int          argc,
             char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *note = NULL;
  g_autofree char *output = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  int status;
  GOptionEntry entries[] = {
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note for the applicant"), N_("TEXT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Save the letter as FILE"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("ID"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (g_str_equal (verb, "approve") || g_str_equal (verb, "reject") || g_str_equal (verb, "decline"))
    entries[1].long_name = NULL;
  else if (g_str_equal (verb, "letter"))
    entries[0] = entries[1], entries[1].long_name = NULL;
  else
    entries[0].long_name = NULL;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_json_option (context, session);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return cabut_cli_usage_error (context, _("%s takes one request number, such as CBT-2026-000001"), verb);
  if (g_str_equal (verb, "reject") && (note == NULL || *note == '\0'))
    return cabut_cli_usage_error (context, _("reject needs --note TEXT saying why"));
  if (g_str_equal (verb, "decline") && (note == NULL || *note == '\0'))
    return cabut_cli_usage_error (context, _("decline needs --note TEXT saying why"));
  if (g_str_equal (verb, "letter") && output == NULL)
    return cabut_cli_usage_error (context, _("letter needs --output FILE"));

  if ((status = sign_in (session)) != CABUT_CLI_EXIT_OK)
    return status;

  escaped = g_uri_escape_string (argv[1], NULL, FALSE);
  if (g_str_equal (verb, "dossier"))
    {
      g_autoptr(CabutReview) review = NULL;

      path = g_strdup_printf ("requests/%s/review", escaped);
      if ((node = get (session, path, &error)) != NULL && session->json)
        {
          cabut_cli_print_json (node);
          return CABUT_CLI_EXIT_OK;
        }
      if (node == NULL || (review = cabut_review_new_from_json (node, &error)) == NULL)
        {
          cabut_cli_error ("%s", error->message);
          return exit_status_for (error);
        }
      print_dossier (review);
      return CABUT_CLI_EXIT_OK;
    }
  if (g_str_equal (verb, "status"))
    {
      path = g_strdup_printf ("requests/%s", escaped);
      node = get (session, path, &error);
    }
  else if (g_str_equal (verb, "letter"))
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GBytes) bytes = NULL;

      path = g_strdup_printf ("requests/%s/letter", escaped);
      cabut_ams_client_download_async (session->client, path, NULL, result_cb, &result);
      bytes = cabut_ams_client_download_finish (session->client, wait_for (&result), &error);
      if (bytes == NULL)
        {
          cabut_cli_error ("%s", error->message);
          return exit_status_for (error);
        }
      if (!g_file_set_contents (output, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
        {
          cabut_cli_error ("%s", error->message);
          return CABUT_CLI_EXIT_BAD_INPUT;
        }
      return CABUT_CLI_EXIT_OK;
    }
  else
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) body = NULL;

      json_builder_begin_object (builder);
      if (note != NULL)
        {
          json_builder_set_member_name (builder, "note");
          json_builder_add_string_value (builder, note);
        }
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      path = g_strdup_printf ("requests/%s/%s", escaped, verb);
      node = post (session, path, body, &error);
    }

  if (node == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return exit_status_for (error);
    }

  /* Under second approval, an approval or a rejection is a proposal. */
  if ((g_str_equal (verb, "approve") || g_str_equal (verb, "reject")) && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *pending = json_object_get_member (json_node_get_object (node), "pending_decision");

      if (pending != NULL && !JSON_NODE_HOLDS_NULL (pending))
        return print_answer (session, node,
                             _("Proposed: the decision takes effect when another officer confirms it "
                               "(cabut-cli confirm)."),
                             FALSE, TRUE, FALSE);
    }

  return print_answer (session, node, NULL, FALSE, TRUE, g_str_equal (verb, "status"));
}

/* queue --counts: how many requests each state holds. */
static int
queue_counts (Session *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(CabutQueueCounts) counts = NULL;
  int status;

  if ((node = get_to_print (session, "queue/counts", &status)) == NULL)
    return status;
  if ((counts = cabut_queue_counts_new_from_json (node, &error)) == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return exit_status_for (error);
    }

  g_print ("%-14s %" G_GUINT64_FORMAT "\n", _("Open"), cabut_queue_counts_get (counts, "open"));
  g_print ("%-14s %" G_GUINT64_FORMAT "\n", _("Overdue"), cabut_queue_counts_get_overdue (counts));
  for (CabutRequestState state = CABUT_REQUEST_STATE_SUBMITTED; state <= CABUT_REQUEST_STATE_CANCELLED; state++)
    g_print ("%-14s %" G_GUINT64_FORMAT "\n", cabut_request_state_to_label (state),
             cabut_queue_counts_get (counts, cabut_request_state_to_string (state)));
  g_print ("%-14s %" G_GUINT64_FORMAT "\n", _("All"), cabut_queue_counts_get (counts, "all"));

  return CABUT_CLI_EXIT_OK;
}

static int
list_or_queue (Session     *session,
               const char  *verb,
               int          argc,
               char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *state = NULL;
  g_autofree char *path = NULL;
  gboolean counts = FALSE;
  int status;
  GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &state,
      N_("Only requests in STATE: open (default), submitted, in_review, revoked, rejected, cancelled"),
      N_("STATE") },
    { "counts", 0, 0, G_OPTION_ARG_NONE, &counts, N_("How many requests each state holds, and how many are overdue"),
      NULL },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (g_str_equal (verb, "queue"))
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_json_option (context, session);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (context, "%s", error->message);
  if (argc != 1)
    return cabut_cli_usage_error (context, _("%s takes no arguments"), verb);

  if (counts && state != NULL)
    return cabut_cli_usage_error (context, _("--counts and --state cannot be given together"));

  if ((status = sign_in (session)) != CABUT_CLI_EXIT_OK)
    return status;

  if (counts)
    return queue_counts (session);
  if (g_str_equal (verb, "queue"))
    {
      g_autofree char *escaped = g_uri_escape_string (state ? state : "open", NULL, FALSE);
      path = g_strdup_printf ("queue?state=%s", escaped);
    }
  else
    path = g_strdup ("requests");

  if ((node = get_all_pages (session, path, "requests", &error)) == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return exit_status_for (error);
    }

  return print_answer (session, node, NULL, TRUE, FALSE, FALSE);
}

/* A time given on the command line: RFC 3339, or a date (midnight UTC);
 * the service reads both. */
static gboolean
valid_time (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *full = strlen (text) == 10 ? g_strconcat (text, "T00:00:00Z", NULL) : g_strdup (text);
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (full, utc);

  return time != NULL;
}

static void
print_audit_csv (GListModel *entries)
{
  g_autoptr(GString) out = g_string_new (NULL);

  cabut_csv_append_row (out, "id", "at", "actor", "actor_name", "role", "action", "target", "remote", "detail",
                        NULL);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CabutAuditEntry) entry = g_list_model_get_item (entries, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, cabut_audit_entry_get_id (entry));
      g_autofree char *at = g_date_time_format (cabut_audit_entry_get_at (entry), "%FT%TZ");

      cabut_csv_append_row (out, id, at, or_empty (cabut_audit_entry_get_actor_username (entry)),
                            or_empty (cabut_audit_entry_get_actor_full_name (entry)),
                            or_empty (cabut_audit_entry_get_actor_role (entry)),
                            cabut_audit_entry_get_action (entry), or_empty (cabut_audit_entry_get_target (entry)),
                            or_empty (cabut_audit_entry_get_remote (entry)),
                            or_empty (cabut_audit_entry_get_detail (entry)), NULL);
    }
  fwrite (out->str, 1, out->len, stdout);
}

static void
print_audit (GListModel *entries)
{
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CabutAuditEntry) entry = g_list_model_get_item (entries, i);
      g_autofree char *at = format_time (cabut_audit_entry_get_at (entry));
      const char *actor = cabut_audit_entry_get_actor_username (entry);
      const char *target = cabut_audit_entry_get_target (entry);
      const char *detail = cabut_audit_entry_get_detail (entry);

      g_print ("%s  %-18s %-22s %s%s%s\n", at, actor ? actor : _("(the service)"),
               cabut_audit_entry_get_action (entry), or_empty (target), detail ? "  " : "", or_empty (detail));
    }
  if (g_list_model_get_n_items (entries) == 0)
    g_print ("%s\n", _("No audit entries match."));
}

static int
audit (Session *session,
       int      argc,
       char   **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— read the audit log (administrators)"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GListModel) entries = NULL;
  g_autoptr(GString) path = g_string_new ("admin/audit");
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *request = NULL;
  gboolean csv = FALSE;
  char separator = '?';
  int status;
  const GOptionEntry entries_options[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("Only from TIME on (2026-12-01, or with a time and zone)"), N_("TIME") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("Only before TIME"), N_("TIME") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Only what the account USER did"), N_("USER") },
    { "request", 0, 0, G_OPTION_ARG_STRING, &request, N_("Only what was done to request ID"), N_("ID") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Print CSV (RFC 4180) for a spreadsheet"), NULL },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries_options, GETTEXT_PACKAGE);
  add_json_option (context, session);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (context, "%s", error->message);
  if (argc != 1)
    return cabut_cli_usage_error (context, _("%s takes no arguments"), "audit");
  if ((since != NULL && !valid_time (since)) || (until != NULL && !valid_time (until)))
    return cabut_cli_usage_error (context, _("Give times as a date (2026-12-01) or a date and time with its zone "
                                             "(2026-12-01T08:00:00+07:00)"));

  if ((status = sign_in (session)) != CABUT_CLI_EXIT_OK)
    return status;

  {
    const char *names[] = { "since", "until", "actor", "request" };
    const char *values[] = { since, until, actor, request };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      if (values[i] != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (values[i], NULL, FALSE);

          g_string_append_printf (path, "%c%s=%s", separator, names[i], escaped);
          separator = '&';
        }
  }

  if ((node = get_all_pages (session, path->str, "entries", &error)) == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return exit_status_for (error);
    }
  if (session->json)
    {
      cabut_cli_print_json (node);
      return CABUT_CLI_EXIT_OK;
    }
  if ((entries = cabut_audit_entry_list_new_from_json (node, NULL, &error)) == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return exit_status_for (error);
    }
  if (csv)
    print_audit_csv (entries);
  else
    print_audit (entries);

  return CABUT_CLI_EXIT_OK;
}

static const char *
bulk_why_label (const char *why)
{
  if (g_strcmp0 (why, "unknown_nip") == 0)
    return _("no account has this NIP");
  if (g_strcmp0 (why, "unknown_serial") == 0)
    return _("no registered certificate has this serial number");
  if (g_strcmp0 (why, "already_revoked") == 0)
    return _("already revoked");
  if (g_strcmp0 (why, "open_request") == 0)
    return _("a request to revoke it is open");
  if (g_strcmp0 (why, "malformed") == 0)
    return _("not a NIP (18 digits) or a serial number (hexadecimal)");
  if (g_strcmp0 (why, "duplicate") == 0)
    return _("named by an earlier row");
  if (g_strcmp0 (why, "no_certificate") == 0)
    return _("the account holds no certificate");

  return or_empty (why);
}

static void
print_bulk (CabutBulkBatch *batch)
{
  GListModel *rows = cabut_bulk_batch_get_rows (batch);

  if (cabut_bulk_batch_get_dry_run (batch))
    g_print (_("Preview, nothing revoked: %u rows, %u certificates to revoke, %u not matched\n"),
             cabut_bulk_batch_get_n_rows (batch), cabut_bulk_batch_get_matched (batch),
             cabut_bulk_batch_get_unmatched (batch));
  else
    g_print (_("Batch %s (%s): %u revoked, %u skipped, %u still to do, %u rows not matched\n"),
             cabut_bulk_batch_get_id (batch),
             cabut_bulk_batch_is_done (batch) ? _("done") : _("not finished"),
             cabut_bulk_batch_get_revoked (batch), cabut_bulk_batch_get_skipped (batch),
             cabut_bulk_batch_get_pending (batch), cabut_bulk_batch_get_unmatched (batch));

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CabutBulkRow) row = g_list_model_get_item (rows, i);
      const char *status = cabut_bulk_row_get_status (row);
      g_autofree char *who = cabut_bulk_row_get_username (row) != NULL
        ? g_strdup_printf ("%s (%s) %s", cabut_bulk_row_get_full_name (row), cabut_bulk_row_get_username (row),
                           cabut_bulk_row_get_serial (row))
        : g_strdup ("");

      if (g_str_equal (status, "unmatched") || g_str_equal (status, "skipped"))
        g_print ("  %4u  %-24s %s%s%s\n", cabut_bulk_row_get_row (row), cabut_bulk_row_get_value (row),
                 bulk_why_label (cabut_bulk_row_get_why (row)), *who ? " — " : "", who);
      else if (g_str_equal (status, "revoked"))
        g_print ("  %4u  %-24s %s %s — %s\n", cabut_bulk_row_get_row (row), cabut_bulk_row_get_value (row),
                 _("revoked:"), who, or_empty (cabut_bulk_row_get_request_id (row)));
      else
        g_print ("  %4u  %-24s %s %s\n", cabut_bulk_row_get_row (row), cabut_bulk_row_get_value (row),
                 g_str_equal (status, "matched") ? _("to revoke:") : _("waiting:"), who);
    }
}

static CabutBulkBatch *
bulk_wait (Session         *session,
           CabutBulkBatch  *started,
           GError         **error)
{
  g_autoptr(CabutBulkBatch) batch = g_object_ref (started);
  gboolean tty = isatty (2);

  /* The service revokes row by row in the background: follow it. */
  while (!cabut_bulk_batch_is_done (batch))
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *id = g_strdup (cabut_bulk_batch_get_id (batch));

      if (tty)
        {
          g_printerr ("\r");
          g_printerr (_("Revoking… %u of %u"), cabut_bulk_batch_get_revoked (batch) + cabut_bulk_batch_get_skipped (batch),
                      cabut_bulk_batch_get_matched (batch));
        }
      g_usleep (G_USEC_PER_SEC / 5);
      g_clear_object (&batch);
      cabut_ams_client_get_bulk_async (session->client, id, NULL, result_cb, &result);
      if ((batch = cabut_ams_client_bulk_finish (session->client, wait_for (&result), error)) == NULL)
        {
          if (tty)
            g_printerr ("\r\033[K");
          return NULL;
        }
    }
  if (tty)
    g_printerr ("\r\033[K");

  return g_steal_pointer (&batch);
}

static int
bulk (Session *session,
      int      argc,
      char   **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— revoke many certificates at once"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CabutBulkBatch) batch = NULL;
  g_autoptr(CabutBulkBatch) done = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *note = NULL;
  g_autofree char *key = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *status_of = NULL;
  gboolean dry_run = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path, N_("One NIP or certificate serial number per row (a header is optional)"), N_("FILE") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("The reason, as its RFC 5280 name (see “reasons”)"), N_("NAME") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note for each applicant, such as the agency’s decree"), N_("TEXT") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Only show what each row matches; revoke nothing"), NULL },
    { "idempotency-key", 0, 0, G_OPTION_ARG_STRING, &key,
      N_("Reuse KEY to run the same batch again safely (default: a new one)"), N_("KEY") },
    { "resume", 0, 0, G_OPTION_ARG_STRING, &resume, N_("Carry on with batch ID, which was cut off"), N_("ID") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_of, N_("Show batch ID, its progress and rows"), N_("ID") },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_json_option (context, session);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (context, "%s", error->message);
  if (argc != 1 || (resume == NULL && status_of == NULL && (csv_path == NULL || reason == NULL)) ||
      (resume != NULL && status_of != NULL) || ((resume != NULL || status_of != NULL) && csv_path != NULL))
    return cabut_cli_usage_error (context, _("bulk needs --csv FILE and --reason NAME, or --resume ID, or --status ID"));
  if (reason != NULL && cabut_reason_lookup_name (reason) == NULL)
    return cabut_cli_usage_error (context, _("“%s” is not a revocation reason; run “cabut-cli reasons”"), reason);
  if (csv_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (csv_path);

      if ((csv = g_file_load_bytes (file, NULL, NULL, &error)) == NULL)
        {
          cabut_cli_error ("%s: %s", csv_path, error->message);
          return CABUT_CLI_EXIT_BAD_INPUT;
        }
    }

  if ((status = sign_in (session)) != CABUT_CLI_EXIT_OK)
    return status;

  if (resume != NULL)
    cabut_ams_client_resume_bulk_async (session->client, resume, NULL, result_cb, &result);
  else if (status_of != NULL)
    cabut_ams_client_get_bulk_async (session->client, status_of, NULL, result_cb, &result);
  else
    {
      if (!dry_run && key == NULL)
        key = g_uuid_string_random ();
      cabut_ams_client_bulk_async (session->client, csv, reason, note, dry_run, key, NULL, result_cb, &result);
    }
  if ((batch = cabut_ams_client_bulk_finish (session->client, wait_for (&result), &error)) == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return exit_status_for (error);
    }

  /* A preview or a status is shown as it is; a run is followed to its end. */
  if (cabut_bulk_batch_get_dry_run (batch) || status_of != NULL)
    done = g_steal_pointer (&batch);
  else if ((done = bulk_wait (session, batch, &error)) == NULL)
    {
      cabut_cli_error (_("Batch %s is not finished: %s. Carry on with “cabut-cli bulk --resume %s”."),
                       cabut_bulk_batch_get_id (batch), error->message, cabut_bulk_batch_get_id (batch));
      return exit_status_for (error);
    }

  if (session->json)
    cabut_cli_print_json (cabut_bulk_batch_get_json (done));
  else
    print_bulk (done);

  return CABUT_CLI_EXIT_OK;
}

static int
run (Session *session,
     int      argc,
     char   **argv)
{
  const char *verb = argv[0];

  if (g_str_equal (verb, "reasons"))
    {
      g_autoptr(GOptionContext) context = g_option_context_new (NULL);
      g_autoptr(GError) error = NULL;
      int status;

      add_json_option (context, session);
      if (!g_option_context_parse (context, &argc, &argv, &error))
        return cabut_cli_usage_error (context, "%s", error->message);
      if ((status = sign_in (session)) != CABUT_CLI_EXIT_OK)
        return status;
      return reasons (session);
    }
  if (g_str_equal (verb, "submit"))
    return submit (session, argc, argv);
  if (g_str_equal (verb, "list") || g_str_equal (verb, "queue"))
    return list_or_queue (session, verb, argc, argv);
  if (g_str_equal (verb, "audit"))
    return audit (session, argc, argv);
  if (g_str_equal (verb, "bulk"))
    return bulk (session, argc, argv);

  return one_request (session, verb, argc, argv);
}

int
cabut_cli_ams (int    argc,
               char **argv)
{
  Session session = { NULL, argv[0], cabut_cli_globals.json };
  int status;

  status = run (&session, argc, argv);
  sign_out (&session);
  g_clear_object (&session.client);

  return status;
}

/**
 * cabut_cli_fetch_profile:
 * @profile: (out): the signed-in account, as the service holds it
 *
 * Signs in with the options given before the command, reads the account
 * and signs out: for the commands that only need the account's data.
 *
 * Returns: an exit status; %CABUT_CLI_EXIT_OK when @profile is set
 */
int
cabut_cli_fetch_profile (const char    *verb,
                         CabutProfile **profile)
{
  Session session = { NULL, verb, cabut_cli_globals.json };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = sign_in (&session)) == CABUT_CLI_EXIT_OK)
    {
      cabut_ams_client_get_profile_async (session.client, NULL, result_cb, &result);
      *profile = cabut_ams_client_get_profile_finish (session.client, wait_for (&result), &error);
      if (*profile == NULL)
        {
          cabut_cli_error ("%s", error->message);
          status = exit_status_for (error);
        }
    }
  sign_out (&session);
  g_clear_object (&session.client);

  return status;
}

/* For the other files of verbs that talk to the service
 * (cabut-cli-complaint.c): the same sign-in, calls and exit statuses. */

/** cabut_cli_sign_in: Returns: an exit status; %CABUT_CLI_EXIT_OK when @client is signed in */
int
cabut_cli_sign_in (const char      *verb,
                   CabutAmsClient **client)
{
  Session session = { NULL, verb, cabut_cli_globals.json };
  int status = sign_in (&session);

  *client = g_steal_pointer (&session.client);

  return status;
}

/* Signs out (when signed in) and drops the client. */
void
cabut_cli_sign_out (CabutAmsClient **client)
{
  Session session = { *client, NULL, FALSE };

  sign_out (&session);
  g_clear_object (client);
}

int
cabut_cli_exit_status_for (const GError *error)
{
  return exit_status_for (error);
}

/** cabut_cli_call: Returns: (transfer full) (nullable): the answer of a GET (@body %NULL) or a POST */
JsonNode *
cabut_cli_call (CabutAmsClient  *client,
                const char      *method,
                const char      *path,
                JsonNode        *body,
                GError         **error)
{
  Session session = { client, NULL, FALSE };

  return g_str_equal (method, "GET") ? get (&session, path, error) : post (&session, path, body, error);
}

/** cabut_cli_format_time: Returns: (transfer full): @when as the text output shows times, or a dash */
char *
cabut_cli_format_time (GDateTime *when)
{
  return format_time (when);
}
