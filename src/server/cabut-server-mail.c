/* cabut-server-mail.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* E-mail notices to applicants: a receipt when a request is filed, the
 * decision (revoked, rejected) and a word when it is overdue. Each notice
 * is a row of the outbox written in the transaction of what it tells
 * (cabut_server_mail_enqueue(), on the writer thread), so it exists
 * exactly when the change does. The main thread reads the next one due and
 * hands it to a worker thread that sends it with libcurl; the outcome is
 * written back through the writer thread. A failed attempt is tried again
 * later (cabut_mail_retry_delay()); a restart finds what was not sent. */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "cabut-mail-outbox.h"
#include "cabut-server-private.h"

/* How often the service looks for requests that went past their deadline. */
#define SWEEP_SECONDS 60
#define SWEEP_BATCH   50
/* After the outbox could not be read or written. */
#define TROUBLE_SECONDS 30

struct _CabutServerMail
{
  CabutMailSettings *settings;
  CabutMailIdentity  identity;   /* read by the writer thread: set once, before serving */
  guint              retry_seconds;   /* 0: cabut_mail_retry_delay() */
  guint              sweep_seconds;
  guint              pump_id;
  guint              sweep_id;
  gboolean           sending;    /* a notice is out, or its outcome being written */
  gboolean           sweeping;
  gboolean           stopped;
  gboolean           signs_in;
};

typedef enum
{
  OUTCOME_SENT,
  OUTCOME_RETRY,
  OUTCOME_FAILED,
} Outcome;

/* One notice on its way: to the worker and back. */
typedef struct
{
  CabutServer       *server;
  CabutMailSettings *settings;
  CabutOutboxRow     row;
  Outcome            outcome;
  gint64             next_at;
  char              *error;
} Sending;

static void pump (CabutServer *self);

static void
sending_free (Sending *sending)
{
  g_clear_object (&sending->server);
  g_clear_pointer (&sending->settings, cabut_mail_settings_unref);
  cabut_outbox_row_clear (&sending->row);
  g_free (sending->error);
  g_free (sending);
}

void
cabut_server_mail_free (CabutServerMail *mail)
{
  g_clear_handle_id (&mail->pump_id, g_source_remove);
  g_clear_handle_id (&mail->sweep_id, g_source_remove);
  g_clear_pointer (&mail->settings, cabut_mail_settings_unref);
  cabut_mail_identity_clear (&mail->identity);
  g_free (mail);
}

/* Test hooks: a test cannot wait out the real schedule. */
static guint
seconds_from_env (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL ? (guint) CLAMP (g_ascii_strtoll (value, NULL, 10), 0, 3600) : 0;
}

/* Enqueueing (the writer thread) ------------------------------------------ */

/* Composes @notice for the account's address and queues it: for a
 * request (@request_id) or for an entry (@event_id) of a complaint. No
 * address, no notice. */
static gboolean
enqueue (CabutServer            *self,
         CabutDb                *db,
         gint64                  account_id,
         const CabutMailNotice  *notice,
         gint64                  request_id,
         gint64                  complaint_id,
         gint64                  event_id,
         GError                **error)
{
  CabutServerMail *mail = self->mail;
  g_autoptr(CabutAccount) account = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autofree char *message_id = NULL;
  const char *kind = cabut_mail_kind_to_string (notice->kind);

  if ((account = cabut_accounts_get (db, account_id, error)) == NULL)
    return FALSE;
  if (account->email == NULL || !cabut_mail_address_is_plausible (account->email))
    {
      g_debug ("No e-mail address for the applicant of %s: no notice", notice->number);
      return TRUE;
    }

  message_id = cabut_mail_new_message_id (mail->identity.from);
  if ((message = cabut_mail_compose (notice, &mail->identity, account->email, message_id, notice->at, error)) == NULL)
    return FALSE;

  return request_id != 0
    ? cabut_mail_outbox_add (db, request_id, kind, account->email, message_id, message, notice->at, error)
    : cabut_mail_outbox_add_for_complaint (db, complaint_id, event_id, kind, account->email, message_id, message,
                                           notice->at, error);
}

/**
 * cabut_server_mail_enqueue:
 * @db: the writer's connection, inside the transaction of the change
 * @note: (nullable): the officer's note on a decision
 * @at: when it happened
 *
 * Queues the notice of @kind for the request's applicant, when mail is on
 * and the account has an address. A notice that cannot be written fails
 * the transaction: the change and its notice commit together or not at all.
 */
gboolean
cabut_server_mail_enqueue (CabutServer    *self,
                           CabutDb        *db,
                           gint64          request_id,
                           CabutMailKind   kind,
                           const char     *note,
                           gint64          at,
                           GError        **error)
{
  g_auto(CabutRequestRow) row = { 0 };
  gboolean found = FALSE;

  if (self->mail == NULL)
    return TRUE;

  if (!cabut_request_store_get (db, request_id, &row, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, "Request %" G_GINT64_FORMAT " is gone", request_id);
      return FALSE;
    }

  {
    CabutMailNotice notice = {
      .kind = kind,
      .number = row.number,
      .full_name = row.full_name,
      .serial = row.serial,
      .subject_dn = row.subject,
      .reason = row.reason,
      .filed_at = row.created_at,
      .due_at = row.due_at,
      .at = at,
      .note = note,
    };

    return enqueue (self, db, row.account_id, &notice, request_id, 0, 0, error);
  }
}

/**
 * cabut_server_mail_enqueue_complaint:
 * @db: the writer's connection, inside the transaction of the entry
 * @event_id: the entry of the complaint's thread the notice tells of
 * @note: (nullable): what the officer wrote
 *
 * Queues the notice of @kind for the complaint's applicant, as
 * cabut_server_mail_enqueue() does for a request.
 */
gboolean
cabut_server_mail_enqueue_complaint (CabutServer    *self,
                                     CabutDb        *db,
                                     gint64          complaint_id,
                                     gint64          event_id,
                                     CabutMailKind   kind,
                                     const char     *note,
                                     gint64          at,
                                     GError        **error)
{
  g_auto(CabutComplaintRow) row = { 0 };
  gboolean found = FALSE;

  g_assert (CABUT_MAIL_KIND_IS_COMPLAINT (kind));

  if (self->mail == NULL)
    return TRUE;

  if (!cabut_complaint_store_get (db, complaint_id, &row, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, "Complaint %" G_GINT64_FORMAT " is gone",
                   complaint_id);
      return FALSE;
    }

  {
    CabutMailNotice notice = {
      .kind = kind,
      .number = row.number,
      .full_name = row.full_name,
      .reason = -1,
      .filed_at = row.created_at,
      .due_at = row.due_at,
      .at = at,
      .note = note,
      .request_number = row.request_number,
    };

    return enqueue (self, db, row.account_id, &notice, 0, complaint_id, event_id, error);
  }
}

/* Sending (the main thread, and a worker for libcurl) -------------------- */

static void
send_worker (gpointer data,
             gpointer user_data)
{
  g_autoptr(GTask) task = data;
  Sending *sending = g_task_get_task_data (task);
  GError *error = NULL;

  if (cabut_mail_send (sending->settings, sending->row.recipient, sending->row.message, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static GThreadPool *
send_pool (void)
{
  static gsize pool = 0;

  /* One notice at a time: an outbox is a queue. */
  return cabut_server_thread_pool (&pool, send_worker, 1);
}

static gboolean
pump_cb (gpointer user_data)
{
  CabutServer *self = user_data;

  self->mail->pump_id = 0;
  pump (self);

  return G_SOURCE_REMOVE;
}

static void
pump_later (CabutServer *self,
            guint        seconds)
{
  g_clear_handle_id (&self->mail->pump_id, g_source_remove);
  self->mail->pump_id = g_timeout_add_seconds (MAX (seconds, 1), pump_cb, self);
}

/* On the writer thread: what became of an attempt. */
static gboolean
write_outcome (CabutDb   *db,
               gpointer   data,
               GError   **error)
{
  Sending *sending = data;

  switch (sending->outcome)
    {
    case OUTCOME_SENT:
      return cabut_mail_outbox_sent (db, sending->row.id, cabut_server_now (), error);
    case OUTCOME_RETRY:
      return cabut_mail_outbox_retry (db, sending->row.id, sending->next_at, sending->error, error);
    case OUTCOME_FAILED:
      return cabut_mail_outbox_failed (db, sending->row.id, sending->error, error);
    default:
      g_assert_not_reached ();
    }
}

static void
outcome_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Sending *sending = user_data;
  CabutServer *self = sending->server;
  g_autoptr(GError) error = NULL;

  self->mail->sending = FALSE;
  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      /* Still pending: sent again later, at worst once more. */
      g_warning ("Failed to record what became of e-mail notice %" G_GINT64_FORMAT ": %s", sending->row.id,
                 error->message);
      if (!self->mail->stopped)
        pump_later (self, TROUBLE_SECONDS);
    }
  else
    pump (self);

  sending_free (sending);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sending *sending = g_task_get_task_data (G_TASK (result));
  CabutServer *self = CABUT_SERVER (object);
  CabutServerMail *mail = self->mail;
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      sending->outcome = OUTCOME_SENT;
      g_debug ("E-mail notice %" G_GINT64_FORMAT " (%s) sent", sending->row.id, sending->row.kind);
    }
  else if (g_error_matches (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_PERMANENT))
    {
      sending->outcome = OUTCOME_FAILED;
      sending->error = g_strdup (error->message);
      g_warning ("E-mail notice %" G_GINT64_FORMAT " (%s) refused for good: %s", sending->row.id,
                 sending->row.kind, error->message);
    }
  else
    {
      guint delay = mail->retry_seconds > 0 ? mail->retry_seconds
                                            : cabut_mail_retry_delay (sending->row.attempts + 1);

      sending->outcome = OUTCOME_RETRY;
      sending->next_at = cabut_server_now () + delay;
      sending->error = g_strdup (error->message);
      g_message ("E-mail notice %" G_GINT64_FORMAT " (%s) not sent, attempt %u; trying again in %u s: %s",
                 sending->row.id, sending->row.kind, sending->row.attempts + 1, delay, error->message);
    }

  cabut_db_write_async (self->db, write_outcome, sending, outcome_written_cb, sending);
}

/* Sends the next notice that is due, if none is on its way; otherwise
 * waits for the next one's time. */
static void
pump (CabutServer *self)
{
  CabutServerMail *mail = self->mail;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  Sending *sending;
  gboolean found = FALSE;
  gint64 next_at = 0;
  gint64 now;

  if (mail == NULL || mail->stopped || mail->sending)
    return;
  g_clear_handle_id (&mail->pump_id, g_source_remove);

  now = cabut_server_now ();
  sending = g_new0 (Sending, 1);
  if (!cabut_mail_outbox_next (self->db, now, &sending->row, &found, &next_at, &error))
    {
      g_warning ("Failed to read the e-mail outbox: %s", error->message);
      sending_free (sending);
      pump_later (self, TROUBLE_SECONDS);
      return;
    }
  if (!found)
    {
      sending_free (sending);
      if (next_at > 0)
        pump_later (self, (guint) MIN (next_at - now, G_MAXUINT));
      return;
    }

  sending->server = g_object_ref (self);
  sending->settings = cabut_mail_settings_ref (mail->settings);
  mail->sending = TRUE;
  task = g_task_new (self, NULL, sent_cb, NULL);
  g_task_set_source_tag (task, pump);
  /* Freed once its outcome is written (outcome_written_cb). */
  g_task_set_task_data (task, sending, NULL);
  g_thread_pool_push (send_pool (), g_steal_pointer (&task), NULL);
}

/** cabut_server_mail_kick: sends what a commit just queued (when mail is on) */
void
cabut_server_mail_kick (CabutServer *self)
{
  pump (self);
}

/* The overdue sweep ------------------------------------------------------- */

typedef struct
{
  CabutServer *server;
  gint64       now;
  gboolean     more;
} Sweep;

/* On the writer thread: each request found overdue is remembered so, with
 * its notice, in one transaction. */
static gboolean
write_sweep (CabutDb   *db,
             gpointer   data,
             GError   **error)
{
  Sweep *sweep = data;
  g_autoptr(GArray) ids = cabut_request_store_overdue_unnoticed (db, sweep->now, SWEEP_BATCH, error);

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      if (!cabut_request_store_set_overdue_noticed (db, id, sweep->now, error) ||
          !cabut_server_mail_enqueue (sweep->server, db, id, CABUT_MAIL_OVERDUE, NULL, sweep->now, error))
        return FALSE;
    }
  sweep->more = ids->len == SWEEP_BATCH;

  return TRUE;
}

static gboolean sweep_cb (gpointer user_data);

static void
swept_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree Sweep *sweep = user_data;
  CabutServer *self = sweep->server;
  g_autoptr(GError) error = NULL;

  self->mail->sweeping = FALSE;
  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      g_warning ("Failed to look for overdue requests: %s", error->message);
    }
  else
    {
      pump (self);
      if (sweep->more && !self->mail->stopped)
        sweep_cb (self);
    }
  g_object_unref (self);
}

static gboolean
sweep_cb (gpointer user_data)
{
  CabutServer *self = user_data;
  g_autoptr(GArray) due = NULL;
  g_autoptr(GError) error = NULL;
  Sweep *sweep;

  if (self->mail->sweeping || self->mail->stopped)
    return G_SOURCE_CONTINUE;

  /* A read through the index first: the writer is bothered only when
   * there is something to write. */
  if ((due = cabut_request_store_overdue_unnoticed (self->db, cabut_server_now (), 1, &error)) == NULL)
    {
      g_warning ("Failed to look for overdue requests: %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  if (due->len == 0)
    return G_SOURCE_CONTINUE;

  sweep = g_new0 (Sweep, 1);
  sweep->server = g_object_ref (self);
  sweep->now = cabut_server_now ();
  self->mail->sweeping = TRUE;
  cabut_db_write_async (self->db, write_sweep, sweep, swept_cb, sweep);

  return G_SOURCE_CONTINUE;
}

/* Said once the service runs, so a start that fails says only why. */
static gboolean
say_mail_off_cb (gpointer user_data)
{
  g_message ("E-mail notices are off: no SMTP server is set (--smtp-url, or smtp_url in [mail] of --config)");

  return G_SOURCE_REMOVE;
}

static gboolean
first_sweep_cb (gpointer user_data)
{
  CabutServer *self = user_data;

  g_message ("E-mail notices go through %s%s, from %s", cabut_mail_settings_get_url (self->mail->settings),
             self->mail->signs_in ? " with a user name and password" : "", self->mail->identity.from);

  sweep_cb (self);
  self->mail->sweep_id = g_timeout_add_seconds (self->mail->sweep_seconds, sweep_cb, self);

  return G_SOURCE_REMOVE;
}

/* Starting ----------------------------------------------------------------- */

static char *
read_secret_file (const char  *path,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  char *secret;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  secret = g_strndup (contents, strcspn (contents, "\r\n"));
  OPENSSL_cleanse (contents, length);

  return secret;
}

/* Lines of "Label: value" for the contacts the configuration gives. */
static char *
contacts (CabutServer *self,
          const char  *language)
{
  static const struct { const char *key; const char *id; const char *en; } fields[] = {
    { "phone", "Telepon", "Phone" },
    { "email", "Surel", "E-mail" },
    { "website", "Situs web", "Website" },
    { "complaints_officer", "Pengelola pengaduan", "Complaints officer" },
    { "escalation", "Eskalasi", "Escalation" },
    { "office_hours", "Jam layanan", "Office hours" },
    { "address", "Alamat", "Address" },
  };
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean english = g_str_equal (language, "en");

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = cabut_server_config_string (self, "service", fields[i].key, english ? "en" : NULL);

      if (value != NULL)
        g_string_append_printf (text, "%s%s: %s", text->len > 0 ? "\n" : "", english ? fields[i].en : fields[i].id,
                                value);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/**
 * cabut_server_start_mail:
 * @smtp_url: (nullable): --smtp-url; else smtp_url in [mail] of --config
 * @user: (nullable): --smtp-user; else smtp_user
 * @password_file: (nullable): --smtp-password-file; else smtp_password_file
 * @from: (nullable): --mail-from; else mail_from
 *
 * Turns e-mail notices on when an SMTP server is given (and says once that
 * they are off when none is). Call after cabut_server_load_config() and
 * before serving. Fails on settings that cannot work, so a service never
 * runs believing it sends mail it cannot.
 */
gboolean
cabut_server_start_mail (CabutServer  *self,
                         const char   *smtp_url,
                         const char   *user,
                         const char   *password_file,
                         const char   *from,
                         GError      **error)
{
  g_autofree char *config_url = cabut_server_config_string (self, "mail", "smtp_url", NULL);
  g_autofree char *config_user = cabut_server_config_string (self, "mail", "smtp_user", NULL);
  g_autofree char *config_password_file = cabut_server_config_string (self, "mail", "smtp_password_file", NULL);
  g_autofree char *config_from = cabut_server_config_string (self, "mail", "mail_from", NULL);
  g_autofree char *password = NULL;
  g_autoptr(CabutMailSettings) settings = NULL;
  CabutServerMail *mail;

  g_return_val_if_fail (CABUT_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->mail == NULL, FALSE);

  smtp_url = smtp_url != NULL ? smtp_url : config_url;
  user = user != NULL ? user : config_user;
  password_file = password_file != NULL ? password_file : config_password_file;
  from = from != NULL ? from : config_from;

  if (smtp_url == NULL)
    {
      g_idle_add (say_mail_off_cb, NULL);
      return TRUE;
    }
  if (password_file != NULL && (password = read_secret_file (password_file, error)) == NULL)
    return FALSE;

  settings = cabut_mail_settings_new (smtp_url, user, password, from, error);
  if (password != NULL)
    OPENSSL_cleanse (password, strlen (password));
  if (settings == NULL)
    return FALSE;

  mail = g_new0 (CabutServerMail, 1);
  mail->settings = g_steal_pointer (&settings);
  mail->identity.from = g_strdup (from);
  mail->identity.name = cabut_server_config_string (self, "service", "service_name", NULL);
  mail->identity.name_en = cabut_server_config_string (self, "service", "service_name", "en");
  mail->identity.contacts = contacts (self, "id");
  mail->identity.contacts_en = contacts (self, "en");
  mail->retry_seconds = seconds_from_env ("CABUT_TEST_MAIL_RETRY_SECONDS");
  mail->sweep_seconds = seconds_from_env ("CABUT_TEST_OVERDUE_SWEEP_SECONDS");
  if (mail->sweep_seconds == 0)
    mail->sweep_seconds = SWEEP_SECONDS;
  self->mail = mail;

  mail->signs_in = user != NULL;

  /* Once serving: what an earlier run left unsent goes first; then the sweep. */
  mail->pump_id = g_idle_add (pump_cb, self);
  mail->sweep_id = g_idle_add (first_sweep_cb, self);

  return TRUE;
}

/* Stops sending: the service is going away. What is pending stays so. */
void
cabut_server_mail_stop (CabutServer *self)
{
  if (self->mail == NULL)
    return;
  self->mail->stopped = TRUE;
  g_clear_handle_id (&self->mail->pump_id, g_source_remove);
  g_clear_handle_id (&self->mail->sweep_id, g_source_remove);
}
