/* cabut-server-events.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The event feed: long-polls that wake when a request or a complaint changes, and end with their session. */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cabut-i18n.h"
#include "cabut-reason.h"
#include "cabut-server-private.h"

#define MAX_POLL_SECONDS       60

typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;
  char              *language;
  gint64             after;
  char              *token;       /* the session it was opened in: checked again before answering */
  guint              timeout_id;
  gulong             finished_id;
} EventPoll;

static void poll_free (EventPoll *poll);


/* ---------------------------------------------------------------------- */
/* Event feed (long-poll)                                                  */

/* Returns: (nullable): the events after @after, or %NULL with @error set */
static JsonNode *
events_after (CabutServer         *self,
              const CabutAccount  *account,
              gint64               after,
              gint64              *last,
              GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GArray) feed = NULL;

  /* An officer follows every request; an applicant their own. */
  *last = after;
  feed = cabut_request_store_feed (self->db, after, cabut_account_is_operator (account) ? 0 : account->id, 200,
                                   error);
  if (feed == NULL)
    return NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < feed->len; i++)
    {
      const CabutFeedEvent *event = &g_array_index (feed, CabutFeedEvent, i);
      g_autofree char *at = cabut_server_iso8601 (event->at);

      *last = event->id;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, event->id);
      /* A request's event, or a complaint's. */
      json_builder_set_member_name (builder, "request");
      if (event->number != NULL)
        json_builder_add_string_value (builder, event->number);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "complaint");
      if (event->complaint != NULL)
        json_builder_add_string_value (builder, event->complaint);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, event->kind);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, event->state);
      json_builder_set_member_name (builder, "at");
      json_builder_add_string_value (builder, at);
      json_builder_set_member_name (builder, "note");
      if (event->note != NULL)
        json_builder_add_string_value (builder, event->note);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "certificate_serial");
      if (event->serial != NULL)
        json_builder_add_string_value (builder, event->serial);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

/* Answers a poll; returns %FALSE when there is nothing to say yet. */
static gboolean
answer_poll (CabutServer        *self,
             SoupServerMessage  *msg,
             const CabutAccount *account,
             gint64              after,
             gboolean            even_if_empty)
{
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last = after;

  events = events_after (self, account, after, &last, &error);
  if (events == NULL)
    {
      /* Not knowing is not "nothing new": the client tries again later. */
      cabut_server_reply_gerror (msg, error);
      return TRUE;
    }
  if (!even_if_empty && json_array_get_length (json_node_get_array (events)) == 0)
    return FALSE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_add_value (builder, g_steal_pointer (&events));
  json_builder_set_member_name (builder, "last");
  json_builder_add_int_value (builder, last);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  cabut_server_reply_json (msg, SOUP_STATUS_OK, node);

  return TRUE;
}

/* A poll outlives nothing: signed out (or expired) meanwhile, it ends with
 * 401 instead of delivering. Returns %TRUE when it was ended. */
static gboolean
end_poll_if_signed_out (CabutServer *self,
                        EventPoll   *poll)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutAccount) account = cabut_session_lookup (self->db, poll->token, cabut_server_now (), &error);

  if (account != NULL)
    return FALSE;

  /* Not knowing whether it still holds is no reason to deliver. */
  if (error != NULL)
    {
      cabut_server_reply_gerror (poll->msg, error);
      return TRUE;
    }

  cabut_server_reply_error (poll->msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                            N_("Your session has ended or is not valid: sign in again"));
  return TRUE;
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  EventPoll *poll = user_data;
  CabutServer *self = poll->server;

  poll->timeout_id = 0;
  if (!end_poll_if_signed_out (self, poll))
    answer_poll (self, poll->msg, poll->account, poll->after, TRUE);
  soup_server_message_unpause (poll->msg);
  self->polls = g_list_remove (self->polls, poll);
  poll_free (poll);

  return G_SOURCE_REMOVE;
}

static void
poll_finished_cb (SoupServerMessage *msg,
                  EventPoll         *poll)
{
  CabutServer *self = poll->server;

  /* The client went away while waiting. */
  self->polls = g_list_remove (self->polls, poll);
  poll_free (poll);
}

static void
poll_free (EventPoll *poll)
{
  g_clear_handle_id (&poll->timeout_id, g_source_remove);
  g_clear_signal_handler (&poll->finished_id, poll->msg);
  g_clear_pointer (&poll->account, cabut_account_free);
  g_clear_object (&poll->msg);
  g_free (poll->language);
  if (poll->token != NULL)
    OPENSSL_cleanse (poll->token, strlen (poll->token));
  g_free (poll->token);
  g_free (poll);
}

/* Wakes every long-poll that has news. */
void
cabut_server_events_changed (CabutServer *self)
{
  GList *polls = g_list_copy (self->polls);

  for (GList *l = polls; l != NULL; l = l->next)
    {
      EventPoll *poll = l->data;

      if (end_poll_if_signed_out (self, poll) ||
          answer_poll (self, poll->msg, poll->account, poll->after, FALSE))
        {
          soup_server_message_unpause (poll->msg);
          self->polls = g_list_remove (self->polls, poll);
          poll_free (poll);
        }
    }

  g_list_free (polls);
}

void
cabut_server_handle_events (CabutServer         *self,
                            CabutRequestContext *ctx,
                            GHashTable          *query)
{
  const char *after_str = query ? g_hash_table_lookup (query, "after") : NULL;
  const char *wait_str = query ? g_hash_table_lookup (query, "wait") : NULL;
  gint64 after = after_str ? g_ascii_strtoll (after_str, NULL, 10) : 0;
  guint wait = wait_str ? (guint) CLAMP (g_ascii_strtoll (wait_str, NULL, 10), 0, MAX_POLL_SECONDS) : 0;
  EventPoll *poll;

  if (answer_poll (self, ctx->msg, ctx->account, after, wait == 0))
    return;

  poll = g_new0 (EventPoll, 1);
  poll->server = self;
  poll->msg = g_object_ref (ctx->msg);
  poll->account = g_steal_pointer (&ctx->account);
  poll->after = after;
  poll->token = g_strdup (cabut_server_bearer_token (ctx->msg));
  poll->timeout_id = g_timeout_add_seconds (wait, poll_timeout_cb, poll);
  poll->finished_id = g_signal_connect (ctx->msg, "finished", G_CALLBACK (poll_finished_cb), poll);
  self->polls = g_list_prepend (self->polls, poll);
  soup_server_message_pause (ctx->msg);
}

/* Ends every long-poll without an answer: the service is going away. */
void
cabut_server_events_answer_all (CabutServer *self)
{
  /* Each answered as when its wait runs out: what is new, or nothing. */
  while (self->polls != NULL)
    {
      EventPoll *poll = self->polls->data;

      g_clear_handle_id (&poll->timeout_id, g_source_remove);
      poll_timeout_cb (poll);
    }
}

void
cabut_server_events_clear (CabutServer *self)
{
  g_list_free_full (g_steal_pointer (&self->polls), (GDestroyNotify) poll_free);
}
