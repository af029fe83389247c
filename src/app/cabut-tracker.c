/* cabut-tracker.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-tracker"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-tracker.h"
#include "cabut-util.h"

struct _CabutTracker
{
  GObject         parent_instance;

  CabutContext   *context;
  CabutStore     *store;
  CabutEventFeed *feed;
  CabutAmsClient *feed_client;    /* not a reference: the one the feed holds */
  char           *feed_username;
  GDateTime      *feed_since;     /* complaints' news older than this was told before, or never will be */
  GCancellable   *cancellable;
  gboolean        syncing;
  gboolean        sync_again;
  guint           n_notified;
  guint           n_synced;
  guint           n_open;      /* undecided, as last brought up to date */
  gboolean        waiting;
  gboolean        caught_up;   /* the start-up's catching up is done or under way */
  GHashTable     *catch_ups;   /* user name → CatchUp under way */
  GHashTable     *follow_ups;  /* user name → FollowUp: caught up, still waiting */
  GHashTable     *complaint_news;     /* complaint numbers with news to read, nullable */
  GHashTable     *deadlines;          /* complaint number → timeout just after its deadline */
  guint           complaint_news_id;
  guint           n_complaints_read;  /* read and kept, to tell their news */
};

G_DEFINE_FINAL_TYPE (CabutTracker, cabut_tracker, G_TYPE_OBJECT)

/* At start-up, an account with a kept request waiting for a decision and
 * its password remembered in the keyring is signed in quietly, with a
 * client of its own, to bring its requests up to date: what was decided
 * while Cabut was closed is told then, not at the next sign-in. The
 * session ends when nothing uses it any more. */
typedef struct
{
  gatomicrefcount  ref;
  CabutTracker    *self;
  char            *username;
  CabutAmsClient  *client;
  gboolean         signed_in;
  guint            n_open;
} CatchUp;

/* An account caught up at start-up whose request still waits: followed
 * with the quiet session (its event feed) until it is decided, so that
 * closing the window keeps watching it as it does a signed-in account. */
typedef struct
{
  CabutTracker   *self;      /* not a reference: the tracker owns this */
  char           *username;
  CabutAmsClient *client;
  CabutEventFeed *feed;
  guint           n_open;
  gboolean        syncing;
  gboolean        again;
} FollowUp;

static void
follow_up_free (FollowUp *follow_up)
{
  g_signal_handlers_disconnect_by_data (follow_up->feed, follow_up);
  cabut_event_feed_stop (follow_up->feed);
  g_clear_object (&follow_up->feed);
  cabut_ams_client_sign_out_async (follow_up->client, NULL, NULL, NULL);
  g_clear_object (&follow_up->client);
  g_free (follow_up->username);
  g_free (follow_up);
}

static CatchUp *
catch_up_ref (CatchUp *catch_up)
{
  g_atomic_ref_count_inc (&catch_up->ref);
  return catch_up;
}

static void
signed_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = cabut_ams_client_call_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (error != NULL)
    g_debug ("Signing out after catching up failed: %s", error->message);
}

static void
catch_up_unref (CatchUp *catch_up)
{
  if (!g_atomic_ref_count_dec (&catch_up->ref))
    return;

  if (catch_up->signed_in)
    cabut_ams_client_sign_out_async (catch_up->client, NULL, signed_out_cb, NULL);
  if (catch_up->self->catch_ups != NULL &&
      g_hash_table_lookup (catch_up->self->catch_ups, catch_up->username) == catch_up)
    g_hash_table_remove (catch_up->self->catch_ups, catch_up->username);
  g_clear_object (&catch_up->client);
  g_object_unref (catch_up->self);
  g_free (catch_up->username);
  g_free (catch_up);
}

/* Tells the applicant about decisions. While signed in it follows the
 * service's event feed; an event brings the account's requests up to date
 * in the store, and the store says which kept request was undecided and
 * is decided now (CabutStore::request-decided) — whichever brought it up
 * to date, this or My requests. Each such decision raises one desktop
 * notification ("certificate revoked", "request rejected: <note>") whose
 * action opens that request; a request past its deadline, once, with whom
 * to ask. Because the store remembers what it kept, a
 * decision made while Cabut was closed is told once at the next sign-in,
 * and never twice. The same holds for the
 * officers' steps on the applicant's complaints (answered, escalated,
 * resolved): each is read again and kept, and the store answers which
 * entries were not told yet; at start-up, an account's unsettled kept
 * complaints are caught up on with the quiet session. */

enum {
  PROP_0,
  PROP_WAITING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  COMPLAINT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_waiting (CabutTracker *self)
{
  gboolean waiting = (self->feed != NULL && cabut_event_feed_get_running (self->feed) && self->n_open > 0) ||
                     (self->follow_ups != NULL && g_hash_table_size (self->follow_ups) > 0);

  if (waiting == self->waiting)
    return;
  self->waiting = waiting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
}

static void sync_requests (CabutTracker *self);

/* How many of @requests wait for a decision. */
static guint
count_open (GListModel *requests)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);

      n += cabut_request_state_is_open (cabut_request_get_state (request));
    }

  return n;
}

/* Through the application, to the desktop (GNotification). */
static void
deliver (CabutTracker  *self,
         const char    *id,
         GNotification *notification,
         const char    *body)
{
  GApplication *application = g_application_get_default ();

  self->n_notified++;
  if (application == NULL || !g_application_get_is_registered (application))
    {
      g_debug ("No application to notify through: %s", body);
      return;
    }
  g_application_send_notification (application, id, notification);
}

static void
send_notification (CabutTracker *self,
                   CabutRequest *request,
                   const char   *note)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = g_strdup_printf ("request-%s", cabut_request_get_id (request));
  g_autofree char *body = NULL;

  if (cabut_request_get_state (request) == CABUT_REQUEST_STATE_REVOKED)
    {
      notification = g_notification_new (_("Certificate Revoked"));
      /* Translators: a request number, then a certificate's serial number */
      body = g_strdup_printf (_("Request %s: certificate %s is revoked and can no longer sign. To sign again, "
                                "apply for a new certificate."),
                              cabut_request_get_id (request), cabut_request_get_serial (request));
    }
  else
    {
      notification = g_notification_new (_("Request Rejected"));
      body = note != NULL && *note != '\0'
               /* Translators: a request number, then the officer's note */
               ? g_strdup_printf (_("Request %s: %s"), cabut_request_get_id (request), note)
               /* Translators: a request number */
               : g_strdup_printf (_("Request %s was rejected: open it to see why."), cabut_request_get_id (request));
    }
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-request", "s",
                                                cabut_request_get_id (request));

  deliver (self, id, notification, body);
}

typedef struct
{
  CabutTracker *self;
  CabutRequest *request;
  CatchUp      *catch_up;   /* whose session reads the note */
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_pointer (&pending->catch_up, catch_up_unref);
  g_object_unref (pending->self);
  g_object_unref (pending->request);
  g_free (pending);
}

/* A rejection is told with the officer's note, which the list leaves out. */
static void
rejected_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(CabutRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *note = NULL;

  request = cabut_ams_client_get_request_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pending_free (pending);
      return;
    }
  if (request != NULL && cabut_request_has_events (request))
    {
      GListModel *events = cabut_request_get_events (request);

      for (guint i = g_list_model_get_n_items (events); i-- > 0 && note == NULL;)
        {
          g_autoptr(CabutRequestEvent) event = g_list_model_get_item (events, i);

          if (cabut_request_event_get_state (event) == CABUT_REQUEST_STATE_REJECTED)
            note = cabut_request_event_get_note (event);
        }
    }
  else if (error != NULL)
    g_debug ("The rejection's note could not be read: %s", error->message);

  send_notification (pending->self, pending->request, note);
  pending_free (pending);
}

static void
request_decided_cb (CabutStore   *store,
                    CabutRequest *request,
                    const char   *server_url,
                    const char   *username,
                    CabutTracker *self)
{
  CabutAmsClient *client = cabut_context_get_client (self->context);
  CabutProfile *profile = cabut_context_get_profile (self->context);
  CabutRequestState state = cabut_request_get_state (request);
  Pending *pending;

  /* The applicant's own cancellation is no news to them. */
  if (state != CABUT_REQUEST_STATE_REVOKED && state != CABUT_REQUEST_STATE_REJECTED)
    return;

  if (profile == NULL || g_strcmp0 (cabut_profile_get_username (profile), username) != 0)
    {
      CatchUp *catch_up = self->catch_ups != NULL ? g_hash_table_lookup (self->catch_ups, username) : NULL;
      FollowUp *follow_up = self->follow_ups != NULL ? g_hash_table_lookup (self->follow_ups, username) : NULL;

      client = catch_up != NULL && catch_up->signed_in ? catch_up->client
               : follow_up != NULL ? follow_up->client : NULL;
    }
  if (state == CABUT_REQUEST_STATE_REVOKED || client == NULL)
    {
      send_notification (self, request, NULL);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->self = g_object_ref (self);
  pending->request = g_object_ref (request);
  if (self->catch_ups != NULL && g_hash_table_lookup (self->catch_ups, username) != NULL)
    pending->catch_up = catch_up_ref (g_hash_table_lookup (self->catch_ups, username));
  cabut_ams_client_get_request_async (client, cabut_request_get_id (request), self->cancellable, rejected_read_cb,
                                      pending);
}

/* Past the deadline: said once, with whom to ask (the indirect complaint
 * path of the service standard); the request page lists every channel. */
static void
request_overdue_cb (CabutStore   *store,
                    CabutRequest *request,
                    const char   *server_url,
                    const char   *username,
                    CabutTracker *self)
{
  CabutServiceInfo *info = cabut_context_get_service_info (self->context);
  g_autoptr(GNotification) notification = g_notification_new (_("Request Overdue"));
  g_autofree char *id = g_strdup_printf ("overdue-%s", cabut_request_get_id (request));
  g_autofree char *due = cabut_format_date_time (cabut_request_get_due (request));
  g_autofree char *body = NULL;
  const char *contact = NULL;

  if (info != NULL)
    contact = cabut_service_info_get_phone (info) != NULL ? cabut_service_info_get_phone (info)
                                                          : cabut_service_info_get_email (info);
  body = contact != NULL
           /* Translators: a request number, a date and time, then a phone number or an e-mail address */
           ? g_strdup_printf (_("Request %s was due %s and is not decided yet. Ask the service desk at %s, quoting "
                                "the request number."), cabut_request_get_id (request), due, contact)
           /* Translators: a request number, then a date and time */
           : g_strdup_printf (_("Request %s was due %s and is not decided yet. Ask the service desk, quoting the "
                                "request number."), cabut_request_get_id (request), due);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-request", "s",
                                                cabut_request_get_id (request));

  deliver (self, id, notification, body);
}

static void
synced_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CabutTracker) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_store_save_requests_finish (CABUT_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Failed to keep the requests on this computer: %s", error->message);

  self->n_synced++;
  self->syncing = FALSE;
  update_waiting (self);
  if (self->sync_again)
    sync_requests (self);
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CabutTracker) self = user_data;
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(GError) error = NULL;
  CabutProfile *profile = cabut_context_get_profile (self->context);
  const char *server_url = cabut_context_get_server_url (self->context);

  requests = cabut_ams_client_list_requests_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (requests == NULL || self->store == NULL || profile == NULL || server_url == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The requests could not be brought up to date: %s", error->message);
      self->syncing = FALSE;
      return;
    }

  self->n_open = count_open (requests);

  cabut_store_save_requests_async (self->store, server_url, cabut_profile_get_username (profile), requests,
                                   self->cancellable, synced_saved_cb, g_object_ref (self));
}

/* The account's requests, from the service into the store; one at a time. */
static void
sync_requests (CabutTracker *self)
{
  CabutAmsClient *client = cabut_context_get_client (self->context);

  if (self->syncing)
    {
      self->sync_again = TRUE;
      return;
    }
  if (client == NULL || cabut_context_get_profile (self->context) == NULL)
    return;

  self->syncing = TRUE;
  self->sync_again = FALSE;
  cabut_ams_client_list_requests_async (client, self->cancellable, synced_cb, g_object_ref (self));
}

static void
feed_event_cb (CabutEventFeed    *feed,
               const char        *request_id,
               const char        *kind,
               CabutRequestState  state,
               const char        *note,
               CabutTracker      *self)
{
  g_debug ("Request %s: %s", request_id, kind);
  sync_requests (self);
}

/* One step of an officer's on one of the applicant's complaints:
 * answered, passed to an official, settled. */
static void
notify_complaint (CabutTracker *self,
                  const char   *complaint_id,
                  const char   *kind,
                  const char   *text)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = g_strdup_printf ("complaint-%s", complaint_id);
  g_autofree char *body = NULL;

  if (g_str_equal (kind, "answered"))
    notification = g_notification_new (_("Complaint Answered"));
  else if (g_str_equal (kind, "escalated"))
    notification = g_notification_new (_("Complaint Passed to an Official"));
  else if (g_str_equal (kind, "resolved"))
    notification = g_notification_new (_("Complaint Resolved"));
  else
    return;

  body = text != NULL && *text != '\0'
           /* Translators: a complaint number, then what the officer wrote */
           ? g_strdup_printf (_("Complaint %s: %s"), complaint_id, text)
           /* Translators: a complaint number */
           : g_strdup_printf (_("Complaint %s: the service desk could not solve it, so an official of the agency "
                                "will answer."), complaint_id);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-complaint", "s", complaint_id);
  deliver (self, id, notification, body);
}

/* Past the deadline for the service's answer: said once for each
 * deadline, with the complaints channels the service names (the desk's
 * complaints officer, or the official once it is escalated). */
static void
notify_complaint_overdue (CabutTracker   *self,
                          CabutComplaint *complaint)
{
  CabutServiceInfo *info = cabut_context_get_service_info (self->context);
  g_autoptr(GNotification) notification = g_notification_new (_("Complaint Overdue"));
  const char *id = cabut_complaint_get_id (complaint);
  g_autofree char *notification_id = g_strdup_printf ("complaint-overdue-%s", id);
  g_autofree char *due = cabut_format_date_time (cabut_complaint_get_due (complaint));
  g_autofree char *body = NULL;

  if (info != NULL)
    {
      const char *who = cabut_complaint_get_state (complaint) == CABUT_COMPLAINT_STATE_ESCALATED
                          ? cabut_service_info_get_escalation (info)
                          : cabut_service_info_get_complaints_officer (info);

      /* Translators: a complaint number, a date and time, who handles complaints, then a phone number,
       * an e-mail address and a website */
      body = g_strdup_printf (_("Complaint %s was due an answer %s. Ask %s by phone at %s, by e-mail at %s or at "
                                "%s, quoting the complaint number."),
                              id, due, who, cabut_service_info_get_phone (info), cabut_service_info_get_email (info),
                              cabut_service_info_get_website (info));
    }
  else
    {
      /* Translators: a complaint number, then a date and time */
      body = g_strdup_printf (_("Complaint %s was due an answer %s. Ask the service desk, quoting the complaint "
                                "number."), id, due);
    }
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-complaint", "s", id);

  deliver (self, notification_id, notification, body);
}

/* One complaint read again and kept, to tell what of it is news. */
typedef struct
{
  CabutTracker *self;
  char         *username;
  char         *complaint_id;
  CabutComplaint *complaint;  /* as read, nullable until then */
  GDateTime    *news_since;   /* nullable */
  CatchUp      *catch_up;     /* whose session reads it, nullable */
} Telling;

static void
telling_free (Telling *telling)
{
  g_clear_pointer (&telling->catch_up, catch_up_unref);
  g_clear_pointer (&telling->news_since, g_date_time_unref);
  g_clear_object (&telling->complaint);
  g_object_unref (telling->self);
  g_free (telling->username);
  g_free (telling->complaint_id);
  g_free (telling);
}

static void watch_deadline (CabutTracker   *self,
                            CabutComplaint *complaint);

static void
complaint_kept_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Telling *telling = user_data;
  g_autoptr(GPtrArray) news = NULL;
  g_autoptr(GError) error = NULL;
  gboolean overdue = FALSE;

  news = cabut_store_save_complaint_finish (CABUT_STORE (object), result, &overdue, &error);
  if (news == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to note a complaint's news: %s", error->message);
      telling_free (telling);
      return;
    }

  telling->self->n_complaints_read++;
  for (guint i = 0; i < news->len; i++)
    {
      CabutComplaintEntry *entry = g_ptr_array_index (news, i);

      notify_complaint (telling->self, telling->complaint_id, cabut_complaint_entry_get_kind (entry),
                        cabut_complaint_entry_get_text (entry));
    }
  if (overdue)
    notify_complaint_overdue (telling->self, telling->complaint);
  /* The signed-in session's: watched until its deadline. */
  if (telling->catch_up == NULL && g_strcmp0 (telling->username, telling->self->feed_username) == 0)
    watch_deadline (telling->self, telling->complaint);
  telling_free (telling);
}

static void
complaint_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Telling *telling = user_data;
  CabutTracker *self = telling->self;
  g_autoptr(CabutComplaint) complaint = NULL;
  g_autoptr(GError) error = NULL;
  const char *server_url = cabut_context_get_server_url (self->context);

  complaint = cabut_ams_client_get_complaint_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (complaint == NULL || self->store == NULL || server_url == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("A complaint could not be read: %s", error->message);
      telling_free (telling);
      return;
    }

  telling->complaint = g_object_ref (complaint);
  cabut_store_save_complaint_async (self->store, server_url, telling->username, complaint, telling->news_since,
                                    self->cancellable, complaint_kept_cb, telling);
}

/* Reads @complaint_id with @client and tells its news once (the store
 * remembers what was told). */
static void
tell_complaint (CabutTracker   *self,
                CabutAmsClient *client,
                const char     *username,
                const char     *complaint_id,
                GDateTime      *news_since,
                CatchUp        *catch_up)
{
  Telling *telling = g_new0 (Telling, 1);

  telling->self = g_object_ref (self);
  telling->username = g_strdup (username);
  telling->complaint_id = g_strdup (complaint_id);
  telling->news_since = news_since != NULL ? g_date_time_ref (news_since) : NULL;
  telling->catch_up = catch_up != NULL ? catch_up_ref (catch_up) : NULL;
  cabut_ams_client_get_complaint_async (client, complaint_id, self->cancellable, complaint_read_cb, telling);
}

static gboolean
complaint_news_cb (gpointer user_data)
{
  CabutTracker *self = user_data;
  CabutAmsClient *client = cabut_context_get_client (self->context);
  g_autoptr(GHashTable) ids = g_steal_pointer (&self->complaint_news);
  GHashTableIter iter;
  const char *id;

  self->complaint_news_id = 0;
  if (client == NULL || client != self->feed_client || self->feed_username == NULL)
    return G_SOURCE_REMOVE;

  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    tell_complaint (self, client, self->feed_username, id, self->feed_since, NULL);

  return G_SOURCE_REMOVE;
}

/* @complaint_id read again (with the signed-in session) once the news
 * under way is all in. */
static void
queue_complaint (CabutTracker *self,
                 const char   *complaint_id)
{
  if (self->complaint_news == NULL)
    self->complaint_news = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (self->complaint_news, g_strdup (complaint_id));
  if (self->complaint_news_id == 0)
    self->complaint_news_id = g_idle_add (complaint_news_cb, self);
}

typedef struct
{
  CabutTracker *self;   /* not a reference: its deadlines table owns the timeout */
  char         *complaint_id;
} Deadline;

static void
deadline_free (Deadline *deadline)
{
  g_free (deadline->complaint_id);
  g_free (deadline);
}

static gboolean
deadline_passed_cb (gpointer user_data)
{
  Deadline *deadline = user_data;
  CabutTracker *self = deadline->self;

  g_hash_table_steal (self->deadlines, deadline->complaint_id);
  queue_complaint (self, deadline->complaint_id);

  return G_SOURCE_REMOVE;
}

/* While signed in, a complaint the service owes an answer is read again
 * just after its deadline: past it with no answer is news, with no event
 * to say so. */
static void
watch_deadline (CabutTracker   *self,
                CabutComplaint *complaint)
{
  CabutComplaintState state = cabut_complaint_get_state (complaint);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan left = g_date_time_difference (cabut_complaint_get_due (complaint), now);
  Deadline *deadline;
  guint id;

  g_hash_table_remove (self->deadlines, cabut_complaint_get_id (complaint));
  if ((state != CABUT_COMPLAINT_STATE_OPEN && state != CABUT_COMPLAINT_STATE_ESCALATED) ||
      cabut_complaint_get_overdue (complaint) || left < 0 || left / G_USEC_PER_SEC > G_MAXUINT / 2)
    return;

  deadline = g_new0 (Deadline, 1);
  deadline->self = self;
  deadline->complaint_id = g_strdup (cabut_complaint_get_id (complaint));
  id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, left / G_USEC_PER_SEC + 2, deadline_passed_cb, deadline,
                                   (GDestroyNotify) deadline_free);
  g_hash_table_replace (self->deadlines, g_strdup (deadline->complaint_id), GUINT_TO_POINTER (id));
}

static void
remove_source (gpointer id)
{
  g_source_remove (GPOINTER_TO_UINT (id));
}

/* What happened to one of the applicant's complaints, as it happens, and
 * (the feed's first answer) before: read again once the feed's news is
 * all in, and what of it was not told yet is told. */
static void
complaint_event_cb (CabutEventFeed      *feed,
                    const char          *complaint_id,
                    const char          *kind,
                    CabutComplaintState  state,
                    const char          *text,
                    GDateTime           *at,
                    CabutTracker        *self)
{
  CabutProfile *profile = cabut_context_get_profile (self->context);
  gboolean recent;

  g_debug ("Complaint %s: %s", complaint_id, kind);
  g_signal_emit (self, signals[COMPLAINT_CHANGED], 0, complaint_id, kind);
  /* Officers follow every complaint at their desk; the feed's first answer
   * holds what happened before this session. */
  if (profile == NULL || cabut_profile_get_role (profile) != CABUT_ROLE_APPLICANT || self->feed_since == NULL)
    return;

  recent = g_date_time_compare (at, self->feed_since) >= 0;
  if (self->store == NULL)
    {
      if (recent)
        notify_complaint (self, complaint_id, kind, text);
      return;
    }
  /* Older news is read too: a kept complaint's step not told yet, or a
   * deadline passed meanwhile. */
  queue_complaint (self, complaint_id);
}

static void
feed_stopped_cb (CabutEventFeed *feed,
                 const GError   *error,
                 CabutTracker   *self)
{
  g_debug ("The event feed stopped: %s", error ? error->message : "signed out");
  update_waiting (self);
}

static void follow_up_sync (FollowUp *follow_up);

static void
follow_up_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CabutTracker) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_store_save_requests_finish (CABUT_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Failed to keep the requests on this computer: %s", error->message);
}

static void
follow_up_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CabutTracker) self = user_data;
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(GError) error = NULL;
  const char *server_url = cabut_context_get_server_url (self->context);
  FollowUp *follow_up;
  g_autofree char *username = g_object_steal_data (object, "cabut-username");

  requests = cabut_ams_client_list_requests_finish (CABUT_AMS_CLIENT (object), result, &error);
  follow_up = self->follow_ups != NULL && username != NULL ? g_hash_table_lookup (self->follow_ups, username) : NULL;
  if (follow_up == NULL || follow_up->client != CABUT_AMS_CLIENT (object))
    return;
  follow_up->syncing = FALSE;
  if (requests == NULL || self->store == NULL || server_url == NULL)
    {
      if (error != NULL)
        g_debug ("Following %s: %s", username, error->message);
      return;
    }

  follow_up->n_open = count_open (requests);
  cabut_store_save_requests_async (self->store, server_url, username, requests, self->cancellable,
                                   follow_up_saved_cb, g_object_ref (self));
  self->n_synced++;

  /* Decided: nothing left to wait for with this session. */
  if (follow_up->n_open == 0)
    {
      g_hash_table_remove (self->follow_ups, username);
      update_waiting (self);
      return;
    }
  if (follow_up->again)
    follow_up_sync (follow_up);
}

static void
follow_up_sync (FollowUp *follow_up)
{
  if (follow_up->syncing)
    {
      follow_up->again = TRUE;
      return;
    }
  follow_up->syncing = TRUE;
  follow_up->again = FALSE;
  g_object_set_data_full (G_OBJECT (follow_up->client), "cabut-username", g_strdup (follow_up->username), g_free);
  cabut_ams_client_list_requests_async (follow_up->client, follow_up->self->cancellable, follow_up_listed_cb,
                                        g_object_ref (follow_up->self));
}

static void
follow_up_event_cb (CabutEventFeed    *feed,
                    const char        *request_id,
                    const char        *kind,
                    CabutRequestState  state,
                    const char        *note,
                    FollowUp          *follow_up)
{
  follow_up_sync (follow_up);
}

static void
follow_up_stopped_cb (CabutEventFeed *feed,
                      const GError   *error,
                      FollowUp       *follow_up)
{
  CabutTracker *self = follow_up->self;

  g_debug ("Following %s stopped: %s", follow_up->username, error ? error->message : "");
  g_hash_table_remove (self->follow_ups, follow_up->username);
  update_waiting (self);
}

/* Takes over @catch_up's session to follow its account's events. */
static void
follow (CabutTracker *self,
        CatchUp      *catch_up)
{
  FollowUp *follow_up = g_new0 (FollowUp, 1);

  follow_up->self = self;
  follow_up->username = g_strdup (catch_up->username);
  follow_up->client = g_object_ref (catch_up->client);
  follow_up->n_open = catch_up->n_open;
  follow_up->feed = cabut_event_feed_new (follow_up->client);
  catch_up->signed_in = FALSE;   /* the session is the follow-up's now */
  g_signal_connect (follow_up->feed, "event", G_CALLBACK (follow_up_event_cb), follow_up);
  g_signal_connect (follow_up->feed, "stopped", G_CALLBACK (follow_up_stopped_cb), follow_up);
  g_hash_table_replace (self->follow_ups, g_strdup (follow_up->username), follow_up);
  cabut_event_feed_start (follow_up->feed);
  update_waiting (self);
}

static void
caught_up_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CatchUp *catch_up = user_data;
  g_autoptr(GError) error = NULL;

  /* The decisions were told as the copy was kept (::request-decided). */
  if (!cabut_store_save_requests_finish (CABUT_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to keep the requests on this computer: %s", error->message);
      catch_up_unref (catch_up);
      return;
    }

  catch_up->self->n_synced++;
  if (catch_up->n_open > 0 && catch_up->self->follow_ups != NULL)
    follow (catch_up->self, catch_up);
  catch_up_unref (catch_up);
}

static void
caught_up_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CatchUp *catch_up = user_data;
  CabutTracker *self = catch_up->self;
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(GError) error = NULL;
  const char *server_url = cabut_context_get_server_url (self->context);

  requests = cabut_ams_client_list_requests_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (requests == NULL || self->store == NULL || server_url == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Catching up %s failed: %s", catch_up->username, error->message);
      catch_up_unref (catch_up);
      return;
    }

  catch_up->n_open = count_open (requests);
  cabut_store_save_requests_async (self->store, server_url, catch_up->username, requests, self->cancellable,
                                   caught_up_saved_cb, catch_up);
}

/* What the desk did on complaints kept unsettled while Cabut was closed. */
static void
open_complaints_listed_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  CatchUp *catch_up = user_data;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = cabut_store_list_open_complaints_finish (CABUT_STORE (object), result, &error);
  if (ids == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to catch up on complaints: %s", error->message);
      catch_up_unref (catch_up);
      return;
    }

  for (guint i = 0; ids[i] != NULL; i++)
    tell_complaint (catch_up->self, catch_up->client, catch_up->username, ids[i], NULL, catch_up);
  catch_up_unref (catch_up);
}

static void
caught_up_signed_in_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  CatchUp *catch_up = user_data;
  g_autoptr(GError) error = NULL;
  const char *server_url = cabut_context_get_server_url (catch_up->self->context);

  /* A one-time code wanted, a changed password: the next sign-in will do. */
  if (!cabut_ams_client_sign_in_finish (CABUT_AMS_CLIENT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Catching up %s: no quiet sign-in: %s", catch_up->username, error->message);
      catch_up_unref (catch_up);
      return;
    }

  catch_up->signed_in = TRUE;
  if (catch_up->self->store != NULL && server_url != NULL)
    cabut_store_list_open_complaints_async (catch_up->self->store, server_url, catch_up->username,
                                            catch_up->self->cancellable, open_complaints_listed_cb,
                                            catch_up_ref (catch_up));
  cabut_ams_client_list_requests_async (catch_up->client, catch_up->self->cancellable, caught_up_listed_cb,
                                        catch_up);
}

static void
caught_up_password_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  CatchUp *catch_up = user_data;
  CabutTracker *self = catch_up->self;
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (password == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No keyring to catch up %s: %s", catch_up->username, error->message);
      catch_up_unref (catch_up);
      return;
    }

  if ((catch_up->client = cabut_context_new_client (self->context, &error)) == NULL)
    {
      g_debug ("Catching up %s: %s", catch_up->username, error->message);
      secret_password_free (password);
      catch_up_unref (catch_up);
      return;
    }
  g_hash_table_replace (self->catch_ups, g_strdup (catch_up->username), catch_up);
  cabut_ams_client_sign_in_async (catch_up->client, catch_up->username, password, NULL, self->cancellable,
                                  caught_up_signed_in_cb, catch_up);
  secret_password_free (password);
}

static void
waiting_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CabutTracker) self = user_data;
  g_auto(GStrv) usernames = NULL;
  g_autoptr(GError) error = NULL;
  const char *server_url = cabut_context_get_server_url (self->context);
  CabutProfile *profile = cabut_context_get_profile (self->context);

  usernames = cabut_store_list_waiting_finish (CABUT_STORE (object), result, &error);
  if (usernames == NULL || server_url == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Nothing to catch up: %s", error->message);
      return;
    }

  for (guint i = 0; usernames[i] != NULL; i++)
    {
      CatchUp *catch_up;

      /* Signed in already: its own bringing up to date does it. */
      if (profile != NULL && g_strcmp0 (cabut_profile_get_username (profile), usernames[i]) == 0)
        continue;

      catch_up = g_new0 (CatchUp, 1);
      g_atomic_ref_count_init (&catch_up->ref);
      catch_up->self = g_object_ref (self);
      catch_up->username = g_strdup (usernames[i]);
      secret_password_lookup (cabut_password_schema (), self->cancellable, caught_up_password_cb, catch_up,
                              "server", server_url, "username", usernames[i], NULL);
    }
}

/* Once, when the store and the service are known. */
static void
catch_up (CabutTracker *self)
{
  const char *server_url = cabut_context_get_server_url (self->context);

  if (self->caught_up || self->store == NULL || server_url == NULL)
    return;

  self->caught_up = TRUE;
  cabut_store_list_waiting_async (self->store, server_url, self->cancellable, waiting_listed_cb,
                                  g_object_ref (self));
}

static void
stop_following_quietly (CabutTracker *self)
{
  if (self->feed == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->feed, self);
  cabut_event_feed_stop (self->feed);
  g_clear_object (&self->feed);
  g_clear_pointer (&self->feed_username, g_free);
  g_clear_pointer (&self->feed_since, g_date_time_unref);
  if (self->deadlines != NULL)
    g_hash_table_remove_all (self->deadlines);
}

static void
stop_following (CabutTracker *self)
{
  stop_following_quietly (self);
  update_waiting (self);
}

static void
profile_changed_cb (CabutTracker *self)
{
  CabutAmsClient *client = cabut_context_get_client (self->context);
  CabutProfile *profile = cabut_context_get_profile (self->context);

  /* The same account's profile read again: the same session, followed
   * already (restarting would say "nothing to wait for" for a moment). */
  if (client != NULL && profile != NULL && self->feed != NULL && cabut_event_feed_get_running (self->feed) &&
      self->feed_client == client && g_strcmp0 (self->feed_username, cabut_profile_get_username (profile)) == 0)
    return;

  stop_following_quietly (self);
  if (client == NULL || profile == NULL)
    {
      update_waiting (self);
      return;
    }

  /* Its first answer holds what happened since the service began keeping
   * events: one bringing up to date tells what was decided meanwhile. */
  self->feed = cabut_event_feed_new (client);
  self->feed_client = client;
  self->feed_username = g_strdup (cabut_profile_get_username (profile));
  g_signal_connect (self->feed, "event", G_CALLBACK (feed_event_cb), self);
  g_signal_connect (self->feed, "complaint-event", G_CALLBACK (complaint_event_cb), self);
  g_signal_connect (self->feed, "stopped", G_CALLBACK (feed_stopped_cb), self);
  g_clear_pointer (&self->feed_since, g_date_time_unref);
  self->feed_since = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC);
  cabut_event_feed_start (self->feed);
  update_waiting (self);
  sync_requests (self);
}

/* Just filed: waiting for a decision from now, before any event says so
 * (closing the window right after the receipt keeps watching it). */
static void
filed_cb (CabutTracker *self)
{
  CabutRequest *request = cabut_context_get_last_request (self->context);

  if (request == NULL || !cabut_request_state_is_open (cabut_request_get_state (request)))
    return;

  self->n_open = MAX (self->n_open, 1);
  update_waiting (self);
  sync_requests (self);
}

static void
store_changed_cb (CabutTracker *self)
{
  CabutStore *store = cabut_context_get_store (self->context);

  if (store == self->store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      g_signal_connect (store, "request-decided", G_CALLBACK (request_decided_cb), self);
      g_signal_connect (store, "request-overdue", G_CALLBACK (request_overdue_cb), self);
    }
  catch_up (self);
}

/** cabut_tracker_get_following: Returns: whether the event feed is followed now */
gboolean
cabut_tracker_get_following (CabutTracker *self)
{
  g_return_val_if_fail (CABUT_IS_TRACKER (self), FALSE);
  return self->feed != NULL && cabut_event_feed_get_running (self->feed);
}

/**
 * cabut_tracker_get_waiting:
 *
 * Returns: whether a request of the signed-in account waits for a
 *   decision while the feed is followed: worth watching in the background
 */
gboolean
cabut_tracker_get_waiting (CabutTracker *self)
{
  g_return_val_if_fail (CABUT_IS_TRACKER (self), FALSE);
  return self->waiting;
}

/** cabut_tracker_get_n_notified: Returns: how many decisions were told */
guint
cabut_tracker_get_n_notified (CabutTracker *self)
{
  g_return_val_if_fail (CABUT_IS_TRACKER (self), 0);
  return self->n_notified;
}

/** cabut_tracker_get_n_synced: Returns: how many times the requests were brought up to date */
guint
cabut_tracker_get_n_synced (CabutTracker *self)
{
  g_return_val_if_fail (CABUT_IS_TRACKER (self), 0);
  return self->n_synced;
}

/** cabut_tracker_get_n_complaints_read: Returns: how many times a complaint was read and kept to tell its news */
guint
cabut_tracker_get_n_complaints_read (CabutTracker *self)
{
  g_return_val_if_fail (CABUT_IS_TRACKER (self), 0);
  return self->n_complaints_read;
}

static void
cabut_tracker_dispose (GObject *object)
{
  CabutTracker *self = (CabutTracker *)object;

  stop_following (self);
  g_clear_handle_id (&self->complaint_news_id, g_source_remove);
  g_clear_pointer (&self->complaint_news, g_hash_table_unref);
  g_clear_pointer (&self->deadlines, g_hash_table_unref);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->catch_ups, g_hash_table_unref);
  g_clear_pointer (&self->follow_ups, g_hash_table_unref);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cabut_tracker_parent_class)->dispose (object);
}

static void
cabut_tracker_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CabutTracker *self = CABUT_TRACKER (object);

  switch (prop_id)
    {
    case PROP_WAITING:
      g_value_set_boolean (value, self->waiting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_tracker_class_init (CabutTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cabut_tracker_dispose;
  object_class->get_property = cabut_tracker_get_property;

  properties[PROP_WAITING] =
    g_param_spec_boolean ("waiting", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CabutTracker::complaint-changed:
   * @complaint_id: the complaint number
   * @kind: what happened to it (filed, answered, replied, escalated, resolved)
   *
   * A complaint of the signed-in account changed at the service, as its
   * event feed says: what shows it may read it again.
   */
  signals[COMPLAINT_CHANGED] =
    g_signal_new ("complaint-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
cabut_tracker_init (CabutTracker *self)
{
  self->cancellable = g_cancellable_new ();
  self->catch_ups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->follow_ups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) follow_up_free);
  self->deadlines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, remove_source);
}

/** cabut_tracker_new: Returns: (transfer full): a tracker of @context's account and store */
CabutTracker *
cabut_tracker_new (CabutContext *context)
{
  CabutTracker *self;

  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  self = g_object_new (CABUT_TYPE_TRACKER, NULL);
  self->context = g_object_ref (context);
  g_signal_connect_swapped (context, "notify::profile", G_CALLBACK (profile_changed_cb), self);
  g_signal_connect_swapped (context, "notify::store", G_CALLBACK (store_changed_cb), self);
  g_signal_connect_swapped (context, "notify::last-request", G_CALLBACK (filed_cb), self);
  store_changed_cb (self);
  profile_changed_cb (self);

  return self;
}
