/* cabut-cli-complaint.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-cli-private.h"

/* `cabut-cli complaint VERB`: complaints (pengaduan) and their threads.
 * Applicants file, list, show and reply; officers list, answer, escalate
 * and resolve (an escalated one: officials, the admin role). */

typedef struct
{
  const char *name;
  const char *summary;
  const char *action;      /* the service's step, or NULL */
  gboolean    takes_id;
  gboolean    needs_text;
} ComplaintVerb;

static const ComplaintVerb complaint_verbs[] = {
  { "file", N_("File a complaint, optionally about one of your requests"), NULL, FALSE, TRUE },
  { "list", N_("List complaints: yours, or for officers every unresolved one"), NULL, FALSE, FALSE },
  { "show", N_("Show a complaint and its thread"), NULL, TRUE, FALSE },
  { "answer", N_("Officers: answer a complaint"), "answer", TRUE, TRUE },
  { "reply", N_("Reply to the answer to your complaint"), "reply", TRUE, TRUE },
  { "escalate", N_("Officers: pass a complaint the desk cannot solve to an official"), "escalate", TRUE, FALSE },
  { "resolve", N_("Officers: mark a complaint solved, saying how (escalated ones: officials)"), "resolve", TRUE,
    TRUE },
};

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "filed") == 0)
    return C_("complaint entry", "filed");
  if (g_strcmp0 (kind, "answered") == 0)
    return C_("complaint entry", "answered");
  if (g_strcmp0 (kind, "replied") == 0)
    return C_("complaint entry", "replied");
  if (g_strcmp0 (kind, "escalated") == 0)
    return C_("complaint entry", "escalated");
  if (g_strcmp0 (kind, "resolved") == 0)
    return C_("complaint entry", "resolved");

  return kind;
}

static void
print_complaint (CabutComplaint *complaint)
{
  g_autofree char *created = cabut_cli_format_time (cabut_complaint_get_created_at (complaint));
  g_autofree char *due = cabut_cli_format_time (cabut_complaint_get_due (complaint));
  CabutComplaintState state = cabut_complaint_get_state (complaint);
  GListModel *entries = cabut_complaint_get_entries (complaint);

  g_print (_("Complaint %s\n"), cabut_complaint_get_id (complaint));
  g_print ("  %s: %s\n", _("Status"), cabut_complaint_state_to_label (state));
  g_print ("  %s: %s (%s)\n", _("Applicant"), cabut_complaint_get_applicant_name (complaint),
           cabut_complaint_get_applicant_username (complaint));
  if (cabut_complaint_get_request (complaint) != NULL)
    g_print ("  %s: %s\n", _("About request"), cabut_complaint_get_request (complaint));
  g_print ("  %s: %s\n", _("Filed"), created);
  if (state == CABUT_COMPLAINT_STATE_OPEN || state == CABUT_COMPLAINT_STATE_ESCALATED)
    g_print ("  %s: %s%s\n", _("Answer due"), due, cabut_complaint_get_overdue (complaint) ? _(" (overdue)") : "");

  if (!cabut_complaint_has_entries (complaint))
    {
      g_print ("  %s\n", cabut_complaint_get_text (complaint));
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CabutComplaintEntry) entry = g_list_model_get_item (entries, i);
      g_autofree char *at = cabut_cli_format_time (cabut_complaint_entry_get_at (entry));
      const char *text = cabut_complaint_entry_get_text (entry);

      g_print ("\n  %s — %s, %s\n", at, kind_label (cabut_complaint_entry_get_kind (entry)),
               cabut_complaint_entry_get_author_name (entry) ? cabut_complaint_entry_get_author_name (entry) : "");
      if (text != NULL)
        g_print ("    %s\n", text);
    }
}

static void
print_list (GListModel *complaints)
{
  if (g_list_model_get_n_items (complaints) == 0)
    {
      g_print ("%s\n", _("No complaints."));
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (complaints); i++)
    {
      g_autoptr(CabutComplaint) complaint = g_list_model_get_item (complaints, i);
      g_autofree char *due = cabut_cli_format_time (cabut_complaint_get_due (complaint));
      g_autofree char *text = g_utf8_substring (cabut_complaint_get_text (complaint), 0, 60);

      g_print ("%s  %-26s  %s  %s%s\n", cabut_complaint_get_id (complaint),
               cabut_complaint_state_to_label (cabut_complaint_get_state (complaint)),
               cabut_complaint_get_applicant_username (complaint), text,
               cabut_complaint_get_overdue (complaint) ? _(" (overdue)") : "");
      g_print ("    %s: %s\n", _("Answer due"), due);
    }
}

/* Every page of the list, followed to its end: one {"complaints": […]}. */
static JsonNode *
get_all (CabutAmsClient  *client,
         const char      *state,
         GError         **error)
{
  g_autoptr(JsonArray) all = json_array_new ();
  g_autofree char *cursor = NULL;
  JsonObject *object;
  JsonNode *root;

  do
    {
      g_autofree char *escaped_state = state ? g_uri_escape_string (state, NULL, FALSE) : NULL;
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *path = g_strconcat ("complaints?limit=200", state ? "&state=" : "",
                                           state ? escaped_state : "", cursor ? "&cursor=" : "",
                                           cursor ? escaped : "", NULL);
      g_autoptr(JsonNode) page = cabut_cli_call (client, "GET", path, NULL, error);
      g_autoptr(GListModel) checked = NULL;
      JsonArray *complaints;

      g_clear_pointer (&cursor, g_free);
      /* The page is read strictly first: a malformed one is no list. */
      if (page == NULL || (checked = cabut_complaint_list_new_from_json (page, &cursor, error)) == NULL)
        return NULL;
      complaints = json_object_get_array_member (json_node_get_object (page), "complaints");
      for (guint i = 0; i < json_array_get_length (complaints); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (complaints, i)));
    }
  while (cursor != NULL);

  object = json_object_new ();
  json_object_set_array_member (object, "complaints", g_steal_pointer (&all));
  json_object_set_null_member (object, "next");
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, object);

  return root;
}

static int
print_answer (JsonNode *node,
              gboolean  list,
              gboolean  json)
{
  g_autoptr(GError) error = NULL;

  if (json)
    {
      cabut_cli_print_json (node);
      return CABUT_CLI_EXIT_OK;
    }

  if (list)
    {
      g_autoptr(GListModel) complaints = cabut_complaint_list_new_from_json (node, NULL, &error);

      if (complaints != NULL)
        print_list (complaints);
    }
  else
    {
      g_autoptr(CabutComplaint) complaint = cabut_complaint_new_from_json (node, &error);

      if (complaint != NULL)
        print_complaint (complaint);
    }

  if (error != NULL)
    {
      cabut_cli_error ("%s", error->message);
      return cabut_cli_exit_status_for (error);
    }

  return CABUT_CLI_EXIT_OK;
}

/* The text, from --text or --text-file (all of the file, UTF-8). */
static int
read_text (GOptionContext  *context,
           const char      *text,
           const char      *text_file,
           gboolean         needed,
           char           **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  *out = NULL;
  if (text != NULL && text_file != NULL)
    return cabut_cli_usage_error (context, _("give the text either with --text or with --text-file, not both"));
  if (text_file != NULL)
    {
      if (!g_file_get_contents (text_file, &contents, NULL, &error))
        {
          cabut_cli_error ("%s", error->message);
          return CABUT_CLI_EXIT_BAD_INPUT;
        }
      if (!g_utf8_validate (contents, -1, NULL))
        {
          cabut_cli_error (_("%s: the text is not UTF-8"), text_file);
          return CABUT_CLI_EXIT_BAD_INPUT;
        }
      *out = g_steal_pointer (&contents);
    }
  else if (text != NULL)
    *out = g_strdup (text);
  else if (needed)
    return cabut_cli_usage_error (context, _("this needs --text TEXT or --text-file FILE"));

  return CABUT_CLI_EXIT_OK;
}

static JsonNode *
body_new (const char *text,
          const char *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (text != NULL)
    {
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text);
    }
  if (request != NULL)
    {
      json_builder_set_member_name (builder, "request");
      json_builder_add_string_value (builder, request);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static int
run_verb (const ComplaintVerb  *verb,
          int                   argc,
          char                **argv,
          CabutAmsClient      **client)
{
  g_autoptr(GOptionContext) context = g_option_context_new (verb->takes_id ? _("ID") : NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text_option = NULL;
  g_autofree char *text_file = NULL;
  g_autofree char *text = NULL;
  g_autofree char *request = NULL;
  g_autofree char *state = NULL;
  g_autofree char *prgname = g_strconcat ("cabut-cli complaint ", verb->name, NULL);
  gboolean json = cabut_cli_globals.json;
  gboolean with_text = verb->action != NULL || g_str_equal (verb->name, "file");
  int status;
  const GOptionEntry text_entries[] = {
    { "text", 0, 0, G_OPTION_ARG_STRING, &text_option, N_("What you write"), N_("TEXT") },
    { "text-file", 0, 0, G_OPTION_ARG_FILENAME, &text_file, N_("Read what you write from FILE"), N_("FILE") },
    { NULL }
  };
  const GOptionEntry request_entries[] = {
    { "request", 0, 0, G_OPTION_ARG_STRING, &request, N_("The request the complaint is about"), N_("ID") },
    { NULL }
  };
  const GOptionEntry state_entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &state,
      N_("Only complaints in STATE: unresolved, all, open, answered, escalated, resolved"), N_("STATE") },
    { NULL }
  };
  const GOptionEntry json_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of text"), NULL },
    { NULL }
  };

  g_set_prgname (prgname);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(verb->summary));
  if (with_text)
    g_option_context_add_main_entries (context, text_entries, GETTEXT_PACKAGE);
  if (g_str_equal (verb->name, "file"))
    g_option_context_add_main_entries (context, request_entries, GETTEXT_PACKAGE);
  if (g_str_equal (verb->name, "list"))
    g_option_context_add_main_entries (context, state_entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, json_entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (context, "%s", error->message);
  if (verb->takes_id && argc != 2)
    return cabut_cli_usage_error (context, _("%s takes one complaint number, such as CBT-K-2026-000001"),
                                  verb->name);
  if (!verb->takes_id && argc != 1)
    return cabut_cli_usage_error (context, _("%s takes no arguments"), verb->name);
  if (with_text && (status = read_text (context, text_option, text_file, verb->needs_text, &text)) != CABUT_CLI_EXIT_OK)
    return status;

  if ((status = cabut_cli_sign_in (prgname, client)) != CABUT_CLI_EXIT_OK)
    return status;

  if (g_str_equal (verb->name, "list"))
    node = get_all (*client, state, &error);
  else if (g_str_equal (verb->name, "file"))
    {
      body = body_new (text, request);
      node = cabut_cli_call (*client, "POST", "complaints", body, &error);
    }
  else
    {
      g_autofree char *escaped = g_uri_escape_string (argv[1], NULL, FALSE);
      g_autofree char *path = verb->action != NULL ? g_strdup_printf ("complaints/%s/%s", escaped, verb->action)
                                                   : g_strdup_printf ("complaints/%s", escaped);

      if (verb->action != NULL)
        body = body_new (text, NULL);
      node = cabut_cli_call (*client, verb->action != NULL ? "POST" : "GET", path, body, &error);
    }

  if (node == NULL)
    {
      cabut_cli_error ("%s", error->message);
      return cabut_cli_exit_status_for (error);
    }

  return print_answer (node, g_str_equal (verb->name, "list"), json);
}

static void
print_help (void)
{
  g_print ("%s\n\n", _("Usage: cabut-cli [--server URL --user NAME --password-file FILE] complaint VERB [OPTION…]"));
  g_print ("%s\n", _("Complaints about the service: the desk answers; what it cannot solve goes to an official."));
  g_print ("\n%s\n", _("Verbs:"));
  for (guint i = 0; i < G_N_ELEMENTS (complaint_verbs); i++)
    g_print ("  %-10s %s\n", complaint_verbs[i].name, _(complaint_verbs[i].summary));
  g_print ("\n%s\n", _("Run “cabut-cli complaint VERB --help” for the options of a verb."));
}

int
cabut_cli_complaint (int    argc,
                     char **argv)
{
  g_autoptr(CabutAmsClient) client = NULL;
  int status;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_help ();
      return argc < 2 ? CABUT_CLI_EXIT_USAGE : CABUT_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (complaint_verbs); i++)
    if (g_str_equal (argv[1], complaint_verbs[i].name))
      {
        status = run_verb (&complaint_verbs[i], argc - 1, argv + 1, &client);
        cabut_cli_sign_out (&client);
        return status;
      }

  return cabut_cli_usage_error (NULL, _("unknown complaint verb “%s”"), argv[1]);
}
