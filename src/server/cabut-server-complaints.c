/* cabut-server-complaints.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-server-private.h"

/* Complaints (pengaduan), the service standard's direct path: an applicant
 * files one, optionally about a request of their own; the desk officer
 * (operator) answers until it is solved, and may mark it solved; what the
 * desk cannot solve is escalated to an official of the agency (admin), who
 * settles it. States: open → answered (→ open again when the applicant
 * replies) → escalated → resolved. Every step is an entry of the thread —
 * an event of the feed the requests use — with its audit row and the
 * applicant's e-mail notice, in one transaction on the writer thread. */

#define MAX_TEXT_LENGTH       4000

/* ---------------------------------------------------------------------- */
/* JSON                                                                    */

static void
add_text (JsonBuilder *builder,
          const char  *member,
          const char  *text)
{
  json_builder_set_member_name (builder, member);
  if (text == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, text);
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       time)
{
  g_autofree char *text = time != 0 ? cabut_server_iso8601 (time) : NULL;

  add_text (builder, member, text);
}

/* Whether the service owes the next word. */
static gboolean
is_awaiting_service (const char *state)
{
  return g_str_equal (state, "open") || g_str_equal (state, "escalated");
}

/* A complaint as the API shows it; @thread (nullable) its entries. */
static void
add_complaint (JsonBuilder             *builder,
               const CabutComplaintRow *row,
               GArray                  *thread)
{
  json_builder_begin_object (builder);
  add_text (builder, "id", row->number);
  add_text (builder, "status", row->state);
  add_text (builder, "text", row->text);
  add_text (builder, "request", row->request_number);

  json_builder_set_member_name (builder, "applicant");
  json_builder_begin_object (builder);
  add_text (builder, "username", row->username);
  add_text (builder, "full_name", row->full_name);
  json_builder_end_object (builder);

  add_time (builder, "created_at", row->created_at);
  add_time (builder, "updated_at", row->updated_at);
  add_time (builder, "due", row->due_at);
  add_time (builder, "resolved_at", row->resolved_at);
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_boolean_value (builder, is_awaiting_service (row->state) && row->due_at < cabut_server_now ());

  if (thread != NULL)
    {
      json_builder_set_member_name (builder, "entries");
      json_builder_begin_array (builder);
      for (guint i = 0; i < thread->len; i++)
        {
          const CabutEventRow *entry = &g_array_index (thread, CabutEventRow, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, entry->id);
          add_time (builder, "at", entry->at);
          add_text (builder, "kind", entry->kind);
          add_text (builder, "status", entry->state);
          add_text (builder, "text", entry->note);
          json_builder_set_member_name (builder, "author");
          json_builder_begin_object (builder);
          add_text (builder, "username", entry->username);
          add_text (builder, "full_name", entry->full_name);
          add_text (builder, "role", entry->role);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
}

/* The complaint with its whole thread, or an error (never part of it). */
static void
reply_complaint (CabutServer         *self,
                 CabutRequestContext *ctx,
                 guint                status,
                 gint64               complaint_id)
{
  g_auto(CabutComplaintRow) row = { 0 };
  g_autoptr(GArray) thread = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!cabut_complaint_store_get (self->db, complaint_id, &row, &found, &error) ||
      (found && (thread = cabut_complaint_store_thread (self->db, complaint_id, &error)) == NULL))
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }
  if (!found)
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is no such complaint"));
      return;
    }

  add_complaint (builder, &row, thread);
  node = json_builder_get_root (builder);
  cabut_server_reply_json (ctx->msg, status, node);
}

/* ---------------------------------------------------------------------- */
/* Reading the body                                                        */

/* Reads "text" (and with @request, "request") from the JSON body; answers
 * 400 and returns %FALSE when it is missing while @required, empty, too
 * long or not text. */
static gboolean
read_body (CabutRequestContext  *ctx,
           gboolean              required,
           char                **text,
           char                **request)
{
  g_autoptr(JsonObject) body = NULL;
  JsonNode *member;

  *text = NULL;
  if (request != NULL)
    *request = NULL;

  if (soup_server_message_get_request_body (ctx->msg)->length > 0 || required)
    {
      if ((body = cabut_server_read_json (ctx->msg)) == NULL)
        return FALSE;

      member = json_object_get_member (body, "text");
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        {
          if (json_node_get_value_type (member) != G_TYPE_STRING)
            {
              cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                        N_("The text must be a string"));
              return FALSE;
            }
          *text = g_strstrip (g_strdup (json_node_get_string (member)));
          if (**text == '\0')
            g_clear_pointer (text, g_free);
        }

      if (request != NULL && (member = json_object_get_member (body, "request")) != NULL &&
          !JSON_NODE_HOLDS_NULL (member))
        {
          if (json_node_get_value_type (member) != G_TYPE_STRING)
            {
              g_clear_pointer (text, g_free);
              cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                        N_("The request must be a request number"));
              return FALSE;
            }
          *request = g_strdup (json_node_get_string (member));
        }
    }

  if (*text == NULL && required)
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "text_required",
                                N_("Write what the complaint or the answer says"));
      goto failed;
    }
  if (*text != NULL && (!g_utf8_validate (*text, -1, NULL) || g_utf8_strlen (*text, -1) > MAX_TEXT_LENGTH))
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "text_too_long",
                                N_("The text is longer than %d characters"), MAX_TEXT_LENGTH);
      goto failed;
    }

  return TRUE;

failed:
  g_clear_pointer (text, g_free);
  if (request != NULL)
    g_clear_pointer (request, g_free);
  return FALSE;
}

/* The next response deadline, counted from now in the service's calendar. */
static gint64
next_due (CabutServer *self,
          gint64       now)
{
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) due = cabut_calendar_get_deadline (self->calendar, from, CABUT_SERVER_COMPLAINT_DAYS);

  return g_date_time_to_unix (due);
}

/* ---------------------------------------------------------------------- */
/* Writing: filing and every later step                                    */

typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;
  char              *language;
  char              *remote;
  gint64             now;
  gint64             due;           /* 0: the deadline stays */
  char              *text;          /* nullable but for filing */

  /* Filing */
  gint64             request_id;    /* 0: about no request */
  int                year;
  char              *number;        /* set on the writer thread */

  /* A step */
  gint64             complaint_id;
  char              *complaint_number;
  char              *from;          /* the state it was read in */
  const char        *to;            /* static */
  const char        *kind;          /* static: the entry's kind */
  CabutMailKind      mail;
  gboolean           has_mail;
  gboolean           moved;         /* set on the writer thread */
} Step;

static void
step_free (Step *step)
{
  soup_server_message_unpause (step->msg);
  g_object_unref (step->msg);
  g_object_unref (step->server);
  cabut_account_free (step->account);
  g_free (step->language);
  g_free (step->remote);
  g_free (step->text);
  g_free (step->number);
  g_free (step->complaint_number);
  g_free (step->from);
  g_free (step);
}

static Step *
step_new (CabutServer         *self,
          CabutRequestContext *ctx,
          char                *text)
{
  Step *step = g_new0 (Step, 1);

  step->server = g_object_ref (self);
  step->msg = g_object_ref (ctx->msg);
  step->account = g_steal_pointer (&ctx->account);
  step->language = g_strdup (ctx->language);
  step->remote = g_strdup (cabut_server_remote_of (ctx->msg));
  step->now = cabut_server_now ();
  step->text = text;
  soup_server_message_pause (ctx->msg);

  return step;
}

/* On the writer thread: the complaint, its first entry, the audit row and
 * the receipt, together or not at all. */
static gboolean
write_filing (CabutDb   *db,
              gpointer   data,
              GError   **error)
{
  Step *step = data;
  gint64 event_id = 0;

  return cabut_complaint_store_insert (db, step->account->id, step->request_id, step->text, step->now, step->due,
                                       step->year, &step->complaint_id, &step->number, error) &&
         cabut_complaint_store_add_event (db, step->complaint_id, step->account->id, "filed", "open", step->text,
                                          step->now, &event_id, error) &&
         cabut_accounts_audit (db, step->account->id, "complaint.file", step->number, step->remote, NULL, error) &&
         cabut_server_mail_enqueue_complaint (step->server, db, step->complaint_id, event_id,
                                              CABUT_MAIL_COMPLAINT_FILED, NULL, step->now, error);
}

/* On the writer thread: the step moves the complaint only from the state
 * it was read in; its entry, audit row and notice commit with it. */
static gboolean
write_step (CabutDb   *db,
            gpointer   data,
            GError   **error)
{
  Step *step = data;
  g_autofree char *action = g_strconcat ("complaint.", step->kind, NULL);
  gint64 event_id = 0;

  if (!cabut_complaint_store_set_state (db, step->complaint_id, step->from, step->to, step->now, step->due,
                                        &step->moved, error))
    return FALSE;
  if (!step->moved)
    return TRUE;   /* changed meanwhile: nothing written */

  return cabut_complaint_store_add_event (db, step->complaint_id, step->account->id, step->kind, step->to,
                                          step->text, step->now, &event_id, error) &&
         cabut_accounts_audit (db, step->account->id, action, step->complaint_number, step->remote, step->text,
                               error) &&
         (!step->has_mail ||
          cabut_server_mail_enqueue_complaint (step->server, db, step->complaint_id, event_id, step->mail,
                                               step->text, step->now, error));
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Step *step = user_data;
  g_autoptr(GError) error = NULL;
  CabutRequestContext ctx = { step->server, step->msg, step->account, step->language };

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      cabut_server_reply_gerror (step->msg, error);
      step_free (step);
      return;
    }
  if (step->from != NULL && !step->moved)
    {
      cabut_server_reply_error (step->msg, SOUP_STATUS_CONFLICT, "wrong_state",
                                N_("Complaint %s was changed meanwhile; load it again"), step->complaint_number);
      step_free (step);
      return;
    }

  cabut_server_events_changed (step->server);
  cabut_server_mail_kick (step->server);
  reply_complaint (step->server, &ctx, step->from == NULL ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                   step->complaint_id);
  step_free (step);
}

static void
file_complaint (CabutServer         *self,
                CabutRequestContext *ctx)
{
  g_autofree char *text = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) local = NULL;
  gint64 request_id = 0;
  Step *step;

  if (!read_body (ctx, TRUE, &text, &request))
    return;

  if (request != NULL)
    {
      g_auto(CabutRequestRow) row = { 0 };
      g_autoptr(GError) error = NULL;
      gboolean found = FALSE;

      if (!cabut_request_store_get_by_number (self->db, request, &row, &found, &error))
        {
          cabut_server_reply_gerror (ctx->msg, error);
          return;
        }
      /* Another's request is no more known than one that does not exist. */
      if (!found || row.account_id != ctx->account->id)
        {
          cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "unknown_request",
                                    N_("You have no request %s"), request);
          return;
        }
      request_id = row.id;
    }

  step = step_new (self, ctx, g_steal_pointer (&text));
  step->request_id = request_id;
  step->due = next_due (self, step->now);
  now = g_date_time_new_from_unix_utc (step->now);
  /* The year as the service's own calendar has it, not UTC's. */
  local = g_date_time_to_timezone (now, cabut_calendar_get_timezone (self->calendar));
  step->year = g_date_time_get_year (local);
  cabut_db_write_async (self->db, write_filing, step, written_cb, step);
}

static gboolean
is_admin (const CabutAccount *account)
{
  return g_str_equal (account->role, "admin");
}

/* One step on a complaint the account may see. */
static void
take_step (CabutServer         *self,
           CabutRequestContext *ctx,
           CabutComplaintRow   *row,
           const char          *action)
{
  SoupServerMessage *msg = ctx->msg;
  const char *state = row->state;
  gboolean officer = cabut_account_is_operator (ctx->account);
  gboolean own = row->account_id == ctx->account->id;
  g_autofree char *text = NULL;
  const char *to = NULL;
  const char *kind;
  CabutMailKind mail = CABUT_MAIL_COMPLAINT_ANSWERED;
  gboolean has_mail = TRUE;
  gboolean new_due = FALSE;
  Step *step;

  if (g_str_equal (action, "reply"))
    {
      if (!own)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                    N_("Only the applicant may reply to a complaint; officers answer it"));
          return;
        }
    }
  else if (!officer)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                N_("Only a service desk officer may do this"));
      return;
    }
  else if (own)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "own_complaint",
                                N_("Another officer must handle your own complaint"));
      return;
    }

  if (g_str_equal (state, "resolved"))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "wrong_state", N_("Complaint %s is already resolved"),
                                row->number);
      return;
    }
  /* What the desk escalated is the official's to answer and settle. */
  if (g_str_equal (state, "escalated") && !g_str_equal (action, "reply") && !is_admin (ctx->account))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "official_only",
                                N_("Complaint %s was escalated: only an official of the agency may answer or "
                                   "resolve it"), row->number);
      return;
    }

  if (g_str_equal (action, "answer"))
    {
      kind = "answered";
      to = g_str_equal (state, "escalated") ? "escalated" : "answered";
    }
  else if (g_str_equal (action, "reply"))
    {
      kind = "replied";
      has_mail = FALSE;   /* their own words */
      to = g_str_equal (state, "escalated") ? "escalated" : "open";
      new_due = g_str_equal (state, "answered");
    }
  else if (g_str_equal (action, "escalate"))
    {
      if (g_str_equal (state, "escalated"))
        {
          cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "wrong_state",
                                    N_("Complaint %s is already escalated"), row->number);
          return;
        }
      kind = "escalated";
      mail = CABUT_MAIL_COMPLAINT_ESCALATED;
      to = "escalated";
      new_due = TRUE;
    }
  else
    {
      kind = "resolved";
      mail = CABUT_MAIL_COMPLAINT_RESOLVED;
      to = "resolved";
    }

  if (!read_body (ctx, !g_str_equal (action, "escalate"), &text, NULL))
    return;

  step = step_new (self, ctx, g_steal_pointer (&text));
  step->complaint_id = row->id;
  step->complaint_number = g_strdup (row->number);
  step->from = g_strdup (state);
  step->to = to;
  step->kind = kind;
  step->mail = mail;
  step->has_mail = has_mail;
  step->due = new_due ? next_due (self, step->now) : 0;
  cabut_db_write_async (self->db, write_step, step, written_cb, step);
}

/* ---------------------------------------------------------------------- */
/* Reading                                                                 */

/* Finds a complaint the account may see: its own, or any for an officer.
 * Others' complaints do not exist, as far as the answer tells. */
static gboolean
find_complaint (CabutServer         *self,
                CabutRequestContext *ctx,
                const char          *number,
                CabutComplaintRow   *row)
{
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!cabut_complaint_store_get_by_number (self->db, number, row, &found, &error))
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return FALSE;
    }
  if (found && (cabut_account_is_operator (ctx->account) || row->account_id == ctx->account->id))
    return TRUE;

  cabut_complaint_row_clear (row);
  cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is no complaint %s"), number);
  return FALSE;
}

/* A page: an applicant's own complaints, newest first; for an officer
 * everyone's, oldest first (unresolved ones unless ?state= says). */
static void
list_complaints (CabutServer         *self,
                 CabutRequestContext *ctx)
{
  static const char * const states[] = { "unresolved", "all", "open", "answered", "escalated", "resolved", NULL };
  GUri *uri = soup_server_message_get_uri (ctx->msg);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gboolean desk = cabut_account_is_operator (ctx->account);
  CabutComplaintQuery listing = { .desk = desk, .account_id = ctx->account->id };
  gboolean more = FALSE;

  if (g_uri_get_query (uri) != NULL)
    query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  listing.state = query ? g_hash_table_lookup (query, "state") : NULL;
  if (listing.state == NULL)
    listing.state = desk ? "unresolved" : "all";
  if (!g_strv_contains (states, listing.state))
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The state must be one of: unresolved, all, open, answered, escalated, "
                                   "resolved"));
      return;
    }
  if (!cabut_server_parse_page (ctx, query, 50, &listing.limit, &listing.has_cursor, &listing.cursor_key,
                                &listing.cursor_id))
    return;

  if ((rows = cabut_complaint_store_list (self->db, &listing, &more, &error)) == NULL)
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "complaints");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    add_complaint (builder, g_ptr_array_index (rows, i), NULL);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next");
  if (more && rows->len > 0)
    {
      const CabutComplaintRow *last = g_ptr_array_index (rows, rows->len - 1);
      g_autofree char *next = cabut_server_cursor_encode (last->created_at, last->id);

      json_builder_add_string_value (builder, next);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (ctx->msg, SOUP_STATUS_OK, node);
}

void
cabut_server_handle_complaints (CabutServer         *self,
                                CabutRequestContext *ctx,
                                char               **segments)
{
  const char *method = soup_server_message_get_method (ctx->msg);
  guint n = g_strv_length (segments);
  g_auto(CabutComplaintRow) row = { 0 };

  if (n == 1 || (n == 2 && segments[1][0] == '\0'))
    {
      if (method == SOUP_METHOD_POST)
        file_complaint (self, ctx);
      else if (method == SOUP_METHOD_GET)
        list_complaints (self, ctx);
      else
        cabut_server_reply_error (ctx->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                  N_("This address does not take that method"));
      return;
    }

  if (!find_complaint (self, ctx, segments[1], &row))
    return;

  if (n == 2 && method == SOUP_METHOD_GET)
    reply_complaint (self, ctx, SOUP_STATUS_OK, row.id);
  else if (n == 3 && method == SOUP_METHOD_POST &&
           (g_str_equal (segments[2], "answer") || g_str_equal (segments[2], "reply") ||
            g_str_equal (segments[2], "escalate") || g_str_equal (segments[2], "resolve")))
    take_step (self, ctx, &row, segments[2]);
  else
    cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
}
