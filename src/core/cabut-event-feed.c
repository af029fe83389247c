/* cabut-event-feed.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-event-feed"

#include "config.h"

#include "cabut-core-enums.h"
#include "cabut-event-feed.h"
#include "cabut-json-private.h"
#include "cabut-complaint.h"
#include "cabut-request.h"

/* Follows the service's event feed (GET /api/v1/events, a long-poll) for
 * the signed-in account: each event is said with ::event, in order, once;
 * a failure waits and tries again, longer each time (1 s doubling to a
 * minute), and a session that has ended stops the feed (::stopped). */
struct _CabutEventFeed
{
  GObject         parent_instance;

  CabutAmsClient *client;
  GCancellable   *cancellable;
  gint64          last;
  guint           failures;
  guint           retry_id;
  gboolean        running;
};

G_DEFINE_FINAL_TYPE (CabutEventFeed, cabut_event_feed, G_TYPE_OBJECT)

enum {
  EVENT,
  COMPLAINT_EVENT,
  STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void poll_once (CabutEventFeed *self);

/** cabut_event_feed_backoff_seconds: Returns: how long to wait after @failures failures in a row */
guint
cabut_event_feed_backoff_seconds (guint failures)
{
  if (failures == 0)
    return 0;
  return MIN ((guint) 1 << MIN (failures - 1, 6), CABUT_EVENT_FEED_MAX_BACKOFF);
}

static gboolean
retry_cb (gpointer data)
{
  CabutEventFeed *self = data;

  self->retry_id = 0;
  poll_once (self);

  return G_SOURCE_REMOVE;
}

static void
stop_with (CabutEventFeed *self,
           const GError   *error)
{
  cabut_event_feed_stop (self);
  g_signal_emit (self, signals[STOPPED], 0, error);
}

/* Says each event of @node; FALSE with @error when it is not a feed. */
static gboolean
report (CabutEventFeed  *self,
        JsonNode        *node,
        GError         **error)
{
  JsonObject *object;
  JsonArray *events;
  gint64 last;

  if ((object = cabut_json_get_object (node, "events", error)) == NULL ||
      (events = cabut_json_get_array_member (object, "events", error)) == NULL ||
      !cabut_json_get_int (object, "last", 0, G_MAXINT64, &last, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (events) && self->running; i++)
    {
      JsonNode *event = json_array_get_element (events, i);
      g_autofree char *request = NULL;
      g_autofree char *complaint = NULL;
      g_autofree char *kind = NULL;
      g_autofree char *status = NULL;
      g_autofree char *note = NULL;
      g_autoptr(GDateTime) at = NULL;
      JsonObject *member;
      gint64 id;
      CabutRequestState state;
      CabutComplaintState complaint_state;

      /* A request's event or a complaint's: one of the two names it. */
      if ((member = cabut_json_get_object (event, "event", error)) == NULL ||
          !cabut_json_get_int (member, "id", 0, G_MAXINT64, &id, error) ||
          !cabut_json_get_string (member, "request", TRUE, &request, error) ||
          !cabut_json_get_string (member, "complaint", TRUE, &complaint, error) ||
          !cabut_json_get_string (member, "kind", FALSE, &kind, error) ||
          !cabut_json_get_string (member, "status", FALSE, &status, error) ||
          !cabut_json_get_string (member, "note", TRUE, &note, error) ||
          !cabut_json_get_time (member, "at", FALSE, &at, error))
        return FALSE;
      if ((request == NULL) == (complaint == NULL))
        {
          cabut_json_set_error (error, "request");
          return FALSE;
        }
      if (request != NULL ? !cabut_request_state_from_string (status, &state)
                          : !cabut_complaint_state_from_string (status, &complaint_state))
        {
          cabut_json_set_error (error, "status");
          return FALSE;
        }
      /* Said once, in order, even if the service sends one again. */
      if (id <= self->last)
        continue;
      self->last = id;
      if (request != NULL)
        g_signal_emit (self, signals[EVENT], 0, request, kind, state, note);
      else
        g_signal_emit (self, signals[COMPLAINT_EVENT], 0, complaint, kind, complaint_state, note, at);
    }
  self->last = MAX (self->last, last);

  return TRUE;
}

static void
polled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CabutEventFeed) self = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = cabut_ams_client_call_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;

  if (node != NULL && report (self, node, &error))
    {
      self->failures = 0;
      if (self->running)
        poll_once (self);
      return;
    }

  /* The session is over: nothing to follow until the next sign-in. */
  if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_FORBIDDEN))
    {
      stop_with (self, error);
      return;
    }

  self->failures++;
  g_debug ("The event feed failed (%u in a row), again in %u s: %s", self->failures,
           cabut_event_feed_backoff_seconds (self->failures), error ? error->message : "no answer");
  self->retry_id = g_timeout_add_seconds (cabut_event_feed_backoff_seconds (self->failures), retry_cb, self);
}

static void
poll_once (CabutEventFeed *self)
{
  g_autofree char *path = g_strdup_printf ("events?after=%" G_GINT64_FORMAT "&wait=%d", self->last,
                                           CABUT_EVENT_FEED_WAIT);

  cabut_ams_client_get_async (self->client, path, self->cancellable, polled_cb, g_object_ref (self));
}

/**
 * cabut_event_feed_start:
 *
 * Follows the feed from the last event said (from the start of what the
 * service keeps, the first time).
 */
void
cabut_event_feed_start (CabutEventFeed *self)
{
  g_return_if_fail (CABUT_IS_EVENT_FEED (self));

  if (self->running)
    return;

  self->running = TRUE;
  self->failures = 0;
  self->cancellable = g_cancellable_new ();
  poll_once (self);
}

/** cabut_event_feed_stop: stops following; nothing more is said */
void
cabut_event_feed_stop (CabutEventFeed *self)
{
  g_return_if_fail (CABUT_IS_EVENT_FEED (self));

  self->running = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

gboolean
cabut_event_feed_get_running (CabutEventFeed *self)
{
  g_return_val_if_fail (CABUT_IS_EVENT_FEED (self), FALSE);
  return self->running;
}

/** cabut_event_feed_get_last: Returns: the last event said (0 before any) */
gint64
cabut_event_feed_get_last (CabutEventFeed *self)
{
  g_return_val_if_fail (CABUT_IS_EVENT_FEED (self), 0);
  return self->last;
}

/** cabut_event_feed_get_failures: Returns: failures in a row since the last answer */
guint
cabut_event_feed_get_failures (CabutEventFeed *self)
{
  g_return_val_if_fail (CABUT_IS_EVENT_FEED (self), 0);
  return self->failures;
}

static void
cabut_event_feed_dispose (GObject *object)
{
  CabutEventFeed *self = (CabutEventFeed *)object;

  cabut_event_feed_stop (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (cabut_event_feed_parent_class)->dispose (object);
}

static void
cabut_event_feed_class_init (CabutEventFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cabut_event_feed_dispose;

  /**
   * CabutEventFeed::event:
   * @request: the request number
   * @kind: what happened (filed, approved, rejected, cancelled, …)
   * @state: the request's state after it
   * @note: (nullable): the officer's note
   */
  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, CABUT_TYPE_REQUEST_STATE, G_TYPE_STRING);

  /**
   * CabutEventFeed::complaint-event:
   * @complaint: the complaint number
   * @kind: what happened (filed, answered, replied, escalated, resolved)
   * @state: the complaint's state after it
   * @text: (nullable): what was written
   * @at: when
   */
  signals[COMPLAINT_EVENT] =
    g_signal_new ("complaint-event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_STRING, CABUT_TYPE_COMPLAINT_STATE, G_TYPE_STRING,
                  G_TYPE_DATE_TIME);

  /**
   * CabutEventFeed::stopped:
   * @error: why: the session ended
   */
  signals[STOPPED] =
    g_signal_new ("stopped",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
cabut_event_feed_init (CabutEventFeed *self)
{
}

/** cabut_event_feed_new: Returns: (transfer full): a feed for @client's session, not yet started */
CabutEventFeed *
cabut_event_feed_new (CabutAmsClient *client)
{
  CabutEventFeed *self;

  g_return_val_if_fail (CABUT_IS_AMS_CLIENT (client), NULL);

  self = g_object_new (CABUT_TYPE_EVENT_FEED, NULL);
  self->client = g_object_ref (client);

  return self;
}
