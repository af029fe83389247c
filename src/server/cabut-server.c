/* cabut-server.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

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

/* The reference certificate management (AMS) service: a SoupServer that
 * answers the JSON API under /api/v1 and the CA's public endpoints under
 * /pki. All database work happens on the main thread in short
 * transactions; password hashing, the only slow step, runs in a worker. */

G_DEFINE_FINAL_TYPE (CabutServer, cabut_server, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-server-error-quark, cabut_server_error)

#define CRL_VALIDITY_SECONDS   (24 * 60 * 60)
#define CRL_REFRESH_SECONDS    (6 * 60 * 60)
#define MAX_JSON_BODY          CABUT_SERVER_MAX_JSON_BODY
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

/* The public information of GET /api/v1/service, from --config. Only this
 * file reads it, so it hangs on the object as data. */
typedef struct
{
  GKeyFile *keyfile;              /* validated; group [service] */
  int       service_days;
  int       fee;
} ServiceInfo;

#define SERVICE_GROUP "service"

/* Free text for people: may have [en] (or [id]) variants. */
static const char * const localized_keys[] = {
  "agency", "service_name", "complaints_officer", "escalation", "office_hours", "address", NULL
};
/* Addresses and numbers: the same in every language. */
static const char * const plain_keys[] = {
  "phone", "email", "website", "service_days", "fee", NULL
};

#define SERVICE_INFO_KEY "cabut-service-info"

/* ---------------------------------------------------------------------- */
/* Replies                                                                 */

const char *
cabut_server_language_of (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Accept-Language");

  /* Bahasa Indonesia first, as the service's users are. */
  if (accept == NULL || g_ascii_strncasecmp (accept, "id", 2) == 0)
    return "id";

  return "en";
}

char *
cabut_server_iso8601 (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

void
cabut_server_reply_json (SoupServerMessage *msg,
                         guint              status,
                         JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len = 0;
  char *body;

  json_generator_set_root (generator, node);
  body = json_generator_to_data (generator, &len);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, len);
}

/**
 * cabut_server_reply_error:
 * @code: a stable machine-readable code, such as "forbidden"
 * @format: an untranslated message (mark it with N_()), translated here
 *   into the language the client asked for
 */
void
cabut_server_reply_error (SoupServerMessage *msg,
                          guint              status,
                          const char        *code,
                          const char        *format,
                          ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;
  const char *translated = cabut_i18n_translate_for (format, cabut_server_language_of (msg));
  va_list args;

  va_start (args, format);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  message = g_strdup_vprintf (translated, args);
#pragma GCC diagnostic pop
  va_end (args);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (msg, status, node);
}

/* For errors that come from below (database, disk): a 5xx the client may retry. */
void
cabut_server_reply_gerror (SoupServerMessage *msg,
                           const GError      *error)
{
  g_warning ("Failed to answer %s %s: %s", soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)), error->message);

  if (g_error_matches (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FULL))
    cabut_server_reply_error (msg, SOUP_STATUS_INSUFFICIENT_STORAGE, "disk_full",
                              N_("The service’s disk is full; nothing was saved. Try again later."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    cabut_server_reply_error (msg, SOUP_STATUS_INSUFFICIENT_STORAGE, "disk_full",
                              N_("The service’s disk is full; nothing was saved. Try again later."));
  else if (g_error_matches (error, CABUT_DB_ERROR, CABUT_DB_ERROR_STORAGE))
    cabut_server_reply_error (msg, SOUP_STATUS_INSUFFICIENT_STORAGE, "storage_error",
                              N_("The service could not write to its disk; nothing was saved. "
                                 "Try again later."));
  else
    cabut_server_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server_error",
                              N_("The service ran into a problem; nothing was changed. "
                                 "Try again later."));
}

/* A request nested deeper than any the API defines: refused before it is
 * parsed, which would take a stack frame per level. */
void
cabut_server_reply_too_deep (SoupServerMessage *msg)
{
  cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "too_deep",
                            N_("The request is nested more than %u levels deep; "
                               "the service reads no deeper"), CABUT_JSON_MAX_DEPTH);
}

typedef struct
{
  gsize limit;
  gsize seen;
} BodyLimit;

static void
reply_body_too_large (SoupServerMessage *msg)
{
  cabut_server_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                            N_("The request is larger than this address takes"));
}

static void
limit_got_chunk_cb (SoupServerMessage *msg,
                    GBytes            *chunk,
                    BodyLimit         *limit)
{
  SoupMessageBody *body;

  if (limit->seen > limit->limit)
    return;

  limit->seen += g_bytes_get_size (chunk);
  if (limit->seen <= limit->limit)
    return;

  /* Over: what came is dropped, what still comes is read and not kept (a
   * chunked body has no other end), and the answer is 413. */
  body = soup_server_message_get_request_body (msg);
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  reply_body_too_large (msg);
}

/**
 * cabut_server_limit_body:
 * @limit: the most this request's body may hold, in bytes
 *
 * From an early handler: refuses a body larger than @limit from its
 * Content-Length, before it is read, or while a chunked one streams in —
 * so no address keeps more than @limit of anybody's body in memory.
 */
void
cabut_server_limit_body (SoupServerMessage *msg,
                         gsize              limit)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  BodyLimit *state;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) limit)
    {
      /* Decided from the headers; a client that sends the body anyway (no
       * Expect: 100-continue) has it read and dropped, never kept. */
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      reply_body_too_large (msg);
      return;
    }

  state = g_new0 (BodyLimit, 1);
  state->limit = limit;
  g_object_set_data_full (G_OBJECT (msg), "cabut-body-limit", state, g_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (limit_got_chunk_cb), state);
}

/* Every address but the letter upload: JSON documents and OCSP requests
 * are small. */
static void
body_limit_early_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  cabut_server_limit_body (msg, MAX_JSON_BODY);
}

/**
 * cabut_server_read_json:
 *
 * Returns: (transfer full) (nullable): the request body as a JSON object;
 *   on %NULL a 400 reply has been set
 */
JsonObject *
cabut_server_read_json (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (body->length > MAX_JSON_BODY)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                N_("The request is too large"));
      return NULL;
    }

  root = cabut_json_parse (body->data, body->length, &error);
  if (g_error_matches (error, CABUT_JSON_ERROR, CABUT_JSON_ERROR_TOO_DEEP))
    {
      cabut_server_reply_too_deep (msg);
      return NULL;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The request is not a valid JSON object"));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/**
 * cabut_server_audit_row:
 * @db: the connection of the transaction the audit row belongs to
 * @actor_id: the account acting, or 0 for the service itself
 * @remote: where the request came from ("local" for the command line)
 *
 * Every decision and every change of an account goes here: who, when,
 * what, from where. A change commits with its audit row or not at all.
 */
gboolean
cabut_server_audit_row (CabutDb     *db,
                        gint64       actor_id,
                        const char  *action,
                        const char  *target,
                        const char  *remote,
                        const char  *detail,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "INSERT INTO audit (at, actor_id, action, target, remote, detail) "
                           "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  if (actor_id != 0)
    sqlite3_bind_int64 (stmt, 2, actor_id);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, remote, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_TRANSIENT);

  return cabut_db_step_done (db, stmt, error);
}

/* Where @msg came from, for the audit log. */
const char *
cabut_server_remote_of (SoupServerMessage *msg)
{
  const char *remote = msg != NULL ? soup_server_message_get_remote_host (msg) : "local";

  return remote != NULL ? remote : "unknown";
}

/* The audit row of a change made on this thread's connection: callers
 * inside a transaction pass @error and fail with it; with @error %NULL (a
 * refusal, which changes nothing) a row that cannot be written is logged. */
gboolean
cabut_server_audit (CabutServer         *self,
                    SoupServerMessage   *msg,
                    const CabutAccount  *actor,
                    const char          *action,
                    const char          *target,
                    const char          *detail,
                    GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  if (cabut_server_audit_row (self->db, actor != NULL ? actor->id : 0, action, target,
                              cabut_server_remote_of (msg), detail, &local_error))
    return TRUE;

  if (error == NULL)
    g_warning ("Failed to write the audit log: %s", local_error->message);
  g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* An audit row on its own (a refusal, which changes nothing else), written
 * on the writer thread; one that cannot be written is logged. */
typedef struct
{
  gint64  actor_id;
  char   *action;
  char   *target;
  char   *remote;
  char   *detail;
} AuditRow;

static void
audit_row_free (AuditRow *row)
{
  g_free (row->action);
  g_free (row->target);
  g_free (row->remote);
  g_free (row->detail);
  g_free (row);
}

static gboolean
write_audit_row (CabutDb   *db,
                 gpointer   data,
                 GError   **error)
{
  AuditRow *row = data;

  return cabut_server_audit_row (db, row->actor_id, row->action, row->target, row->remote, row->detail, error);
}

static void
audit_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    g_warning ("Failed to write the audit log: %s", error->message);
  audit_row_free (user_data);
}

void
cabut_server_audit_later (CabutServer        *self,
                          SoupServerMessage  *msg,
                          const CabutAccount *actor,
                          const char         *action,
                          const char         *target,
                          const char         *detail)
{
  AuditRow *row = g_new0 (AuditRow, 1);

  row->actor_id = actor != NULL ? actor->id : 0;
  row->action = g_strdup (action);
  row->target = g_strdup (target);
  row->remote = g_strdup (cabut_server_remote_of (msg));
  row->detail = g_strdup (detail);
  cabut_db_write_async (self->db, write_audit_row, row, audit_written_cb, row);
}

/* ---------------------------------------------------------------------- */
/* Accounts and sessions                                                   */

static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;

  return auth + 7;
}

static void
add_account_members (JsonBuilder        *builder,
                     const CabutAccount *account)
{
  const struct { const char *name; const char *value; } members[] = {
    { "username", account->username },
    { "full_name", account->full_name },
    { "email", account->email },
    { "nik", account->nik },
    { "nip", account->nip },
    { "position", account->position },
    { "unit", account->unit },
    { "organization", account->organization },
    { "role", account->role },
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      json_builder_set_member_name (builder, members[i].name);
      if (members[i].value != NULL)
        json_builder_add_string_value (builder, members[i].value);
      else
        json_builder_add_null_value (builder);
    }
}

typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;   /* NULL when the username is unknown */
  char              *username;  /* as typed: failures are counted for it, existing or not */
  char              *address;
  char              *password;
  char              *totp;
  gint64             now;
  gboolean           verified;
  gint64             failures;  /* counted for this user name and address, this one included */
  /* set on the writer thread */
  CabutSignInVerdict verdict;
  gint64             retry_after;
  gint64             totp_step; /* 0: no code to claim */
  gboolean           totp_reused;
  char              *token;
  gint64             expires_at;
} Login;

static void
login_free (Login *login)
{
  g_clear_pointer (&login->account, cabut_account_free);
  if (login->password != NULL)
    OPENSSL_cleanse (login->password, strlen (login->password));
  g_free (login->password);
  g_free (login->totp);
  g_free (login->token);
  g_free (login->username);
  g_free (login->address);
  g_object_unref (login->msg);
  g_object_unref (login->server);
  g_free (login);
}

/* A fixed hash to check against when the user does not exist, so that the
 * answer takes as long as for a real account. */
static const char *
dummy_hash (void)
{
  static gsize hash = 0;

  if (g_once_init_enter (&hash))
    g_once_init_leave (&hash, (gsize) cabut_password_hash ("cabut-no-such-account"));

  return (const char *) hash;
}

static void
login_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Login *login = task_data;

  login->verified = cabut_password_verify (login->password,
                                           login->account ? login->account->password_hash
                                                          : dummy_hash ()) &&
                    login->account != NULL;
  g_task_return_boolean (task, TRUE);
}

/* At most this many password checks at once (scrypt holds 32 MiB each),
 * and this many waiting; beyond, the service answers 503. */
#define SCRYPT_THREADS   2
#define SCRYPT_QUEUE_MAX 64

static void
scrypt_worker (gpointer data,
               gpointer user_data)
{
  g_autoptr(GTask) task = data;

  login_thread (task, NULL, g_task_get_task_data (task), NULL);
}

static GThreadPool *
scrypt_pool (void)
{
  static gsize pool = 0;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, (gsize) g_thread_pool_new (scrypt_worker, NULL, SCRYPT_THREADS, FALSE, NULL));

  return (GThreadPool *) pool;
}

/* On the writer thread, after a right password: the code claimed (good
 * once), the count cleared, the session made, with its audit row. */
static gboolean
write_session (CabutDb   *db,
               gpointer   data,
               GError   **error)
{
  Login *login = data;

  if (login->totp_step != 0)
    {
      gboolean fresh = FALSE;

      if (!cabut_accounts_claim_totp_step (db, login->account->id, login->totp_step, &fresh, error))
        return FALSE;
      if (!fresh)
        {
          /* RFC 6238 §5.2: a code is good once. */
          login->totp_reused = TRUE;
          return cabut_server_audit_row (db, login->account->id, "session.failed", login->username,
                                         login->address, "totp reused", error);
        }
    }

  return cabut_sign_in_succeeded (db, login->username, login->address, error) &&
         (login->token = cabut_session_create (db, login->account->id, login->now, &login->expires_at,
                                               error)) != NULL &&
         cabut_server_audit_row (db, login->account->id, "session.create", login->account->username,
                                 login->address, NULL, error);
}

static void
login_finish (Login *login)
{
  soup_server_message_unpause (login->msg);
  login_free (login);
}

static void
session_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Login *login = user_data;
  SoupServerMessage *msg = login->msg;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *expires = NULL;

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      cabut_server_reply_gerror (msg, error);
      login_finish (login);
      return;
    }
  if (login->totp_reused)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "totp_used",
                                N_("This one-time code was used already: wait for the next one"));
      login_finish (login);
      return;
    }

  expires = cabut_server_iso8601 (login->expires_at);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, login->token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires);
  json_builder_set_member_name (builder, "account");
  json_builder_begin_object (builder);
  add_account_members (builder, login->account);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  cabut_server_reply_json (msg, SOUP_STATUS_CREATED, node);
  login_finish (login);
}

static void
login_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Login *login = user_data;
  CabutServer *self = login->server;
  SoupServerMessage *msg = login->msg;
  gboolean ok = login->verified;

  login->now = now_seconds ();
  if (ok && login->account->totp_secret != NULL)
    {
      if (login->totp == NULL)
        {
          /* The password was right: ask for the code. The attempt stays
           * counted, or a known password would buy unlimited code guesses. */
          cabut_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "totp_required",
                                    N_("Enter the 6-digit code from your authenticator app"));
          login_finish (login);
          return;
        }
      if (!cabut_totp_verify_step (login->account->totp_secret, login->totp, login->now, &login->totp_step))
        ok = FALSE;
    }

  if (!ok)
    {
      cabut_server_audit_later (self, msg, login->account, "session.failed", login->username, NULL);
      /* This attempt was counted before the check; the one that reached the
       * limit says so. Unknown user names answer exactly alike. */
      if (login->failures >= CABUT_ACCOUNTS_MAX_FAILURES)
        {
          g_autofree char *retry = g_strdup_printf ("%d", CABUT_ACCOUNTS_LOCK_SECONDS);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry);
          cabut_server_reply_error (msg, SOUP_STATUS_LOCKED, "locked",
                                  N_("Too many failed sign-ins: the account is locked for %d minutes"),
                                  (int) (CABUT_ACCOUNTS_LOCK_SECONDS / 60));
        }
      else
        cabut_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "bad_credentials",
                                  N_("The username or password is not correct"));
      login_finish (login);
      return;
    }

  cabut_db_write_async (self->db, write_session, login, session_written_cb, login);
}

/* On the writer thread: the attempt counted before any password is
 * checked; a refused one audited. */
static gboolean
write_reserve (CabutDb   *db,
               gpointer   data,
               GError   **error)
{
  Login *login = data;

  if (!cabut_sign_in_reserve (db, login->username, login->address, login->now, &login->verdict,
                              &login->retry_after, &login->failures, error))
    return FALSE;
  if (login->verdict == CABUT_SIGN_IN_ALLOWED)
    return TRUE;

  return cabut_server_audit_row (db, 0, login->verdict == CABUT_SIGN_IN_LOCKED ? "session.locked"
                                                                               : "session.limited",
                                 login->username, login->address, login->address, error);
}

static void
reserved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Login *login = user_data;
  CabutServer *self = login->server;
  SoupServerMessage *msg = login->msg;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      cabut_server_reply_gerror (msg, error);
      login_finish (login);
      return;
    }
  if (login->verdict != CABUT_SIGN_IN_ALLOWED)
    {
      g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT, login->retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry);
      if (login->verdict == CABUT_SIGN_IN_LOCKED)
        cabut_server_reply_error (msg, SOUP_STATUS_LOCKED, "locked",
                                  N_("Too many failed sign-ins: the account is locked for %d more minutes"),
                                  (int) ((login->retry_after + 59) / 60));
      else
        cabut_server_reply_error (msg, 429 /* Too Many Requests, RFC 6585 */, "too_many_attempts",
                                  N_("Too many failed sign-ins from this computer: try again in %d minutes"),
                                  (int) ((login->retry_after + 59) / 60));
      login_finish (login);
      return;
    }

  login->account = cabut_accounts_find (self->db, login->username, &error);
  if (login->account == NULL && !g_error_matches (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_NOT_FOUND))
    {
      cabut_server_reply_gerror (msg, error);
      login_finish (login);
      return;
    }

  task = g_task_new (NULL, NULL, login_done_cb, login);
  g_task_set_task_data (task, login, NULL);
  g_thread_pool_push (scrypt_pool (), g_steal_pointer (&task), NULL);
}

static gboolean
write_sign_out (CabutDb   *db,
                gpointer   data,
                GError   **error)
{
  Login *login = data;

  return cabut_session_revoke (db, login->token, error) &&
         cabut_server_audit_row (db, login->account->id, "session.delete", login->account->username,
                                 login->address, NULL, error);
}

static void
signed_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Login *login = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    cabut_server_reply_gerror (login->msg, error);
  else
    {
      /* Long-polls opened in this session end now, with 401. */
      cabut_server_events_changed (login->server);
      soup_server_message_set_status (login->msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  login_finish (login);
}

static Login *
login_new (CabutServer       *self,
           SoupServerMessage *msg)
{
  Login *login = g_new0 (Login, 1);

  login->server = g_object_ref (self);
  login->msg = g_object_ref (msg);
  login->address = g_strdup (cabut_server_remote_of (msg));
  login->now = now_seconds ();
  soup_server_message_pause (msg);

  return login;
}

static void
handle_session (CabutServer         *self,
                CabutRequestContext *ctx)
{
  SoupServerMessage *msg = ctx->msg;
  const char *method = soup_server_message_get_method (msg);

  if (method == SOUP_METHOD_DELETE)
    {
      Login *login;

      if (ctx->account == NULL)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                    N_("Sign in first"));
          return;
        }
      login = login_new (self, msg);
      login->account = g_steal_pointer (&ctx->account);
      login->token = g_strdup (bearer_token (msg));
      cabut_db_write_async (self->db, write_sign_out, login, signed_out_cb, login);
      return;
    }

  if (method == SOUP_METHOD_POST)
    {
      g_autoptr(JsonObject) body = cabut_server_read_json (msg);
      const char *username;
      const char *password;
      Login *login;

      if (body == NULL)
        return;

      username = json_object_get_string_member_with_default (body, "username", NULL);
      password = json_object_get_string_member_with_default (body, "password", NULL);
      if (username == NULL || password == NULL)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                    N_("Give a username and a password"));
          return;
        }

      if (g_thread_pool_unprocessed (scrypt_pool ()) >= SCRYPT_QUEUE_MAX)
        {
          /* Each check holds 32 MiB for a while: a burst waits its turn
           * or is told to come back, the service's memory stays bounded. */
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "2");
          cabut_server_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                                    N_("The service is busy signing others in: try again in a moment"));
          return;
        }

      login = login_new (self, msg);
      login->username = g_strdup (username);
      login->password = g_strdup (password);
      login->totp = g_strdup (json_object_get_string_member_with_default (body, "totp", NULL));
      cabut_db_write_async (self->db, write_reserve, login, reserved_cb, login);
      return;
    }

  cabut_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                            N_("This address does not take that method"));
}

/* Every certificate of the account, or %FALSE with @error: an
 * applicant shown some of them would miss the one to revoke. */
static gboolean
add_certificates (CabutServer  *self,
                  JsonBuilder  *builder,
                  gint64        account_id,
                  GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = cabut_db_prepare (self->db,
                           "SELECT serial, issuer, subject, not_before, not_after, status, revoked_at, "
                           "revocation_reason FROM certificates WHERE account_id = ? ORDER BY not_before",
                           error);
  if (stmt == NULL)
    return FALSE;
  json_builder_begin_array (builder);
    {
      sqlite3_bind_int64 (stmt, 1, account_id);
      while ((rc = cabut_db_step (self->db, stmt, error)) == SQLITE_ROW)
        {
          g_autofree char *not_before = cabut_server_iso8601 (sqlite3_column_int64 (stmt, 3));
          g_autofree char *not_after = cabut_server_iso8601 (sqlite3_column_int64 (stmt, 4));

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "serial");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 0));
          json_builder_set_member_name (builder, "issuer");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
          json_builder_set_member_name (builder, "subject");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 2));
          json_builder_set_member_name (builder, "not_before");
          json_builder_add_string_value (builder, not_before);
          json_builder_set_member_name (builder, "not_after");
          json_builder_add_string_value (builder, not_after);
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 5));
          json_builder_set_member_name (builder, "revoked_at");
          if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
            {
              g_autofree char *revoked_at = cabut_server_iso8601 (sqlite3_column_int64 (stmt, 6));
              json_builder_add_string_value (builder, revoked_at);
            }
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "reason");
          if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
            json_builder_add_string_value (builder, cabut_crl_reason_to_name (sqlite3_column_int (stmt, 7)));
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      if (rc != SQLITE_DONE)
        return FALSE;
    }
  json_builder_end_array (builder);

  return TRUE;
}

static void
handle_me (CabutServer         *self,
           CabutRequestContext *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);
  add_account_members (builder, ctx->account);
  json_builder_set_member_name (builder, "totp_enabled");
  json_builder_add_boolean_value (builder, ctx->account->totp_secret != NULL);
  json_builder_set_member_name (builder, "certificates");
  if (!add_certificates (self, builder, ctx->account->id, &error))
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (ctx->msg, SOUP_STATUS_OK, node);
}

static void
handle_reasons (CabutServer         *self,
                CabutRequestContext *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  const CabutReasonInfo *reasons;
  guint n;

  reasons = cabut_reason_list (&n);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, reasons[i].code);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, reasons[i].name);
      json_builder_set_member_name (builder, "label");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, cabut_reason_get_label_for (&reasons[i], "id"));
      json_builder_set_member_name (builder, "en");
      json_builder_add_string_value (builder, cabut_reason_get_label_for (&reasons[i], "en"));
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "help");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, cabut_reason_get_help_for (&reasons[i], "id"));
      json_builder_set_member_name (builder, "en");
      json_builder_add_string_value (builder, cabut_reason_get_help_for (&reasons[i], "en"));
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "operator_only");
      json_builder_add_boolean_value (builder, reasons[i].operator_only);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (ctx->msg, SOUP_STATUS_OK, node);
}

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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean operator = cabut_account_is_operator (account);
  int rc;

  stmt = cabut_db_prepare (self->db,
                           "SELECT e.id, r.number, e.kind, e.state, e.at, e.note, c.serial "
                           "FROM events e JOIN requests r ON r.id = e.request_id "
                           "JOIN certificates c ON c.id = r.certificate_id "
                           "WHERE e.id > ? AND (? OR r.account_id = ?) ORDER BY e.id LIMIT 200",
                           error);
  *last = after;
  if (stmt == NULL)
    return NULL;

  json_builder_begin_array (builder);
    {
      sqlite3_bind_int64 (stmt, 1, after);
      sqlite3_bind_int (stmt, 2, operator);
      sqlite3_bind_int64 (stmt, 3, account->id);
      while ((rc = cabut_db_step (self->db, stmt, error)) == SQLITE_ROW)
        {
          g_autofree char *at = cabut_server_iso8601 (sqlite3_column_int64 (stmt, 4));

          *last = sqlite3_column_int64 (stmt, 0);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, *last);
          json_builder_set_member_name (builder, "request");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 2));
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 3));
          json_builder_set_member_name (builder, "at");
          json_builder_add_string_value (builder, at);
          json_builder_set_member_name (builder, "note");
          if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
            json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 5));
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "certificate_serial");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 6));
          json_builder_end_object (builder);
        }
      if (rc != SQLITE_DONE)
        {
          *last = after;
          return NULL;
        }
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
  g_autoptr(CabutAccount) account = cabut_session_lookup (self->db, poll->token, now_seconds (), &error);

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

static void
handle_events (CabutServer         *self,
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
  poll->token = g_strdup (bearer_token (ctx->msg));
  poll->timeout_id = g_timeout_add_seconds (wait, poll_timeout_cb, poll);
  poll->finished_id = g_signal_connect (ctx->msg, "finished", G_CALLBACK (poll_finished_cb), poll);
  self->polls = g_list_prepend (self->polls, poll);
  soup_server_message_pause (ctx->msg);
}

/* ---------------------------------------------------------------------- */
/* Administration                                                          */

gboolean
cabut_server_register_certificate (CabutDb           *db,
                                   gint64             account_id,
                                   CabutCertificate  *certificate,
                                   GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) subject_der = cabut_dn_to_der (cabut_certificate_get_subject (certificate));
  g_autoptr(GBytes) der = cabut_certificate_get_der (certificate);

  stmt = cabut_db_prepare (db,
                           "INSERT INTO certificates (account_id, serial, issuer, subject, subject_der, "
                           "not_before, not_after, cert_der) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, cabut_certificate_get_serial (certificate), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, cabut_certificate_get_issuer_string (certificate), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, cabut_certificate_get_subject_string (certificate), -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 5, g_bytes_get_data (subject_der, NULL), g_bytes_get_size (subject_der),
                     SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, g_date_time_to_unix (cabut_certificate_get_not_before (certificate)));
  sqlite3_bind_int64 (stmt, 7, g_date_time_to_unix (cabut_certificate_get_not_after (certificate)));
  sqlite3_bind_blob (stmt, 8, g_bytes_get_data (der, NULL), g_bytes_get_size (der), SQLITE_TRANSIENT);

  return cabut_db_step_done (db, stmt, error);
}

/* Creating an account hashes its password: in a worker, like signing in. */
typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;   /* owned copy */
  gint64             actor_id;
  char              *remote;
  char              *password;
  char              *hash;
} NewAccount;

static void
new_account_free (NewAccount *job)
{
  if (job->password != NULL)
    OPENSSL_cleanse (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job->hash);
  g_free (job->remote);
  g_clear_pointer (&job->account, cabut_account_free);
  g_clear_object (&job->msg);
  g_clear_object (&job->server);
  g_free (job);
}

static void
hash_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  NewAccount *job = task_data;

  job->hash = cabut_password_hash (job->password);
  g_task_return_boolean (task, TRUE);
}

static gboolean
write_account (CabutDb   *db,
               gpointer   data,
               GError   **error)
{
  NewAccount *job = data;

  return cabut_accounts_insert (db, job->account, job->hash, NULL, error) &&
         cabut_server_audit_row (db, job->actor_id, "account.create", job->account->username, job->remote,
                                 job->account->role, error);
}

static void account_written_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
account_hashed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  NewAccount *job = user_data;

  /* The hash is made; the account and its audit row are written on the
   * writer thread. */
  cabut_db_write_async (job->server->db, write_account, job, account_written_cb, job);
}

static void
account_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  NewAccount *job = user_data;
  SoupServerMessage *msg = job->msg;
  g_autoptr(GError) error = NULL;

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      if (g_error_matches (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_EXISTS))
        cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "exists",
                                  N_("There is already an account named “%s”"), job->account->username);
      else
        cabut_server_reply_gerror (msg, error);
    }
  else
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, job->account->username);
      /* Shown once, for the person to load into an authenticator app. */
      if (job->account->totp_secret != NULL)
        {
          json_builder_set_member_name (builder, "totp_secret");
          json_builder_add_string_value (builder, job->account->totp_secret);
        }
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      cabut_server_reply_json (msg, SOUP_STATUS_CREATED, node);
    }

  soup_server_message_unpause (msg);
  new_account_free (job);
}

static void
create_account (CabutServer        *self,
                SoupServerMessage  *msg,
                const CabutAccount *actor,
                const CabutAccount *account,
                const char         *password)
{
  g_autoptr(GTask) task = NULL;
  NewAccount *job = g_new0 (NewAccount, 1);

  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->actor_id = actor->id;
  job->password = g_strdup (password);
  job->account = g_new0 (CabutAccount, 1);
  job->account->username = g_strdup (account->username);
  job->account->full_name = g_strdup (account->full_name);
  job->account->email = g_strdup (account->email);
  job->account->nik = g_strdup (account->nik);
  job->account->nip = g_strdup (account->nip);
  job->account->position = g_strdup (account->position);
  job->account->unit = g_strdup (account->unit);
  job->account->organization = g_strdup (account->organization);
  job->account->role = g_strdup (account->role);
  job->account->totp_secret = g_strdup (account->totp_secret);

  job->remote = g_strdup (cabut_server_remote_of (msg));

  /* The job is account_written_cb's to free. */
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, account_hashed_cb, job);
  g_task_set_task_data (task, job, NULL);
  g_task_run_in_thread (task, hash_thread);
}

/* Registering a certificate: on the writer thread, with its audit row. */
typedef struct
{
  SoupServerMessage *msg;
  gint64             actor_id;
  gint64             owner_id;
  char              *username;
  char              *remote;
  CabutCertificate  *certificate;
} Registration;

static gboolean
write_registration (CabutDb   *db,
                    gpointer   data,
                    GError   **error)
{
  Registration *registration = data;

  return cabut_server_register_certificate (db, registration->owner_id, registration->certificate, error) &&
         cabut_server_audit_row (db, registration->actor_id, "certificate.register",
                                 cabut_certificate_get_serial (registration->certificate),
                                 registration->remote, registration->username, error);
}

static void
registered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Registration *registration = user_data;
  g_autoptr(GError) error = NULL;

  if (cabut_db_write_finish (CABUT_DB (object), result, &error))
    soup_server_message_set_status (registration->msg, SOUP_STATUS_CREATED, NULL);
  else if (g_error_matches (error, CABUT_DB_ERROR, CABUT_DB_ERROR_CONSTRAINT))
    cabut_server_reply_error (registration->msg, SOUP_STATUS_CONFLICT, "exists",
                              N_("This certificate is already registered"));
  else
    cabut_server_reply_gerror (registration->msg, error);

  soup_server_message_unpause (registration->msg);
  g_object_unref (registration->msg);
  g_object_unref (registration->certificate);
  g_free (registration->username);
  g_free (registration->remote);
  g_free (registration);
}

static void
handle_admin (CabutServer         *self,
              CabutRequestContext *ctx,
              const char          *what)
{
  SoupServerMessage *msg = ctx->msg;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  if (!cabut_account_is_admin (ctx->account))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                N_("Only an administrator may do this"));
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                N_("This address does not take that method"));
      return;
    }
  if ((body = cabut_server_read_json (msg)) == NULL)
    return;

  if (g_str_equal (what, "accounts"))
    {
      CabutAccount account = {
        .username = (char *) json_object_get_string_member_with_default (body, "username", NULL),
        .full_name = (char *) json_object_get_string_member_with_default (body, "full_name", NULL),
        .email = (char *) json_object_get_string_member_with_default (body, "email", NULL),
        .nik = (char *) json_object_get_string_member_with_default (body, "nik", NULL),
        .nip = (char *) json_object_get_string_member_with_default (body, "nip", NULL),
        .position = (char *) json_object_get_string_member_with_default (body, "position", NULL),
        .unit = (char *) json_object_get_string_member_with_default (body, "unit", NULL),
        .organization = (char *) json_object_get_string_member_with_default (body, "organization", NULL),
        .role = (char *) json_object_get_string_member_with_default (body, "role", "applicant"),
      };
      const char *password = json_object_get_string_member_with_default (body, "password", NULL);
      g_autofree char *totp_secret = NULL;

      if (json_object_get_boolean_member_with_default (body, "totp", FALSE))
        account.totp_secret = totp_secret = cabut_totp_new_secret ();

      if (account.username == NULL || password == NULL)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                    N_("Give a username and a password"));
          return;
        }
      if (!cabut_accounts_validate (&account, password, &error))
        {
          cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "%s", error->message);
          return;
        }

      create_account (self, msg, ctx->account, &account, password);
    }
  else if (g_str_equal (what, "certificates"))
    {
      const char *username = json_object_get_string_member_with_default (body, "username", NULL);
      const char *pem = json_object_get_string_member_with_default (body, "pem", NULL);
      g_autoptr(CabutAccount) owner = NULL;
      g_autoptr(CabutCertificate) cert = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (username == NULL || pem == NULL)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                    N_("Give a username and the certificate as PEM"));
          return;
        }
      if ((owner = cabut_accounts_find (self->db, username, &error)) == NULL)
        {
          if (g_error_matches (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_NOT_FOUND))
            cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                                      N_("There is no account named “%s”"), username);
          else
            cabut_server_reply_gerror (msg, error);
          return;
        }
      bytes = g_bytes_new (pem, strlen (pem));
      if ((cert = cabut_certificate_new_from_bytes (bytes, NULL, &error)) == NULL)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_certificate", "%s", error->message);
          return;
        }
      {
        Registration *registration = g_new0 (Registration, 1);

        registration->msg = g_object_ref (msg);
        registration->actor_id = ctx->account->id;
        registration->owner_id = owner->id;
        registration->username = g_strdup (username);
        registration->remote = g_strdup (cabut_server_remote_of (msg));
        registration->certificate = g_steal_pointer (&cert);
        soup_server_message_pause (msg);
        cabut_db_write_async (self->db, write_registration, registration, registered_cb, registration);
      }
    }
  else
    {
      cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
    }
}

/* ---------------------------------------------------------------------- */
/* Public PKI endpoints                                                    */

/* OCSP answers are signed in worker threads (an RSA signature takes a few
 * milliseconds; the API must not queue behind them), each job reading the
 * registry through its own read-only connection: WAL lets readers run
 * beside the main thread's writes. */
typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  GBytes            *request;
  GBytes            *response;
  char              *db_path;
  char              *issuer;
  sqlite3           *db;
} OcspJob;

static void
ocsp_job_free (OcspJob *job)
{
  if (job->db != NULL)
    sqlite3_close_v2 (job->db);
  g_clear_object (&job->server);
  g_clear_object (&job->msg);
  g_clear_pointer (&job->request, g_bytes_unref);
  g_clear_pointer (&job->response, g_bytes_unref);
  g_free (job->db_path);
  g_free (job->issuer);
  g_free (job);
}

static CabutCaStatus
lookup_serial_cb (const char  *serial,
                  GDateTime  **revoked_at,
                  int         *reason,
                  gpointer     user_data)
{
  OcspJob *job = user_data;
  sqlite3_stmt *stmt = NULL;
  CabutCaStatus status = CABUT_CA_STATUS_UNKNOWN;

  int rc;

  if (job->db == NULL &&
      sqlite3_open_v2 (job->db_path, &job->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_warning ("Failed to open the registry for OCSP: %s", sqlite3_errmsg (job->db));
      return CABUT_CA_STATUS_ERROR;
    }
  sqlite3_busy_timeout (job->db, 5000);

  if (sqlite3_prepare_v2 (job->db,
                          "SELECT status, revoked_at, revocation_reason FROM certificates "
                          "WHERE serial = ? AND issuer = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("Failed to read the registry for OCSP: %s", sqlite3_errmsg (job->db));
      return CABUT_CA_STATUS_ERROR;
    }
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, job->issuer, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_warning ("Failed to read the registry for OCSP: %s", sqlite3_errmsg (job->db));
      status = CABUT_CA_STATUS_ERROR;
    }
  else if (rc == SQLITE_ROW)
    {
      if (g_str_equal ((const char *) sqlite3_column_text (stmt, 0), "revoked"))
        {
          *revoked_at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 1));
          *reason = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? CABUT_CA_REASON_NONE
                                                                 : sqlite3_column_int (stmt, 2);
          status = CABUT_CA_STATUS_REVOKED;
        }
      else
        status = CABUT_CA_STATUS_GOOD;
    }
  sqlite3_finalize (stmt);

  return status;
}

static void
ocsp_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OcspJob *job = task_data;

  job->response = cabut_ca_answer_ocsp (job->server->ca, job->request, lookup_serial_cb, job);
  g_task_return_boolean (task, TRUE);
}

static void
ocsp_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  OcspJob *job = g_task_get_task_data (G_TASK (result));

  soup_server_message_set_status (job->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (job->msg, "application/ocsp-response", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (job->response, NULL),
                                    g_bytes_get_size (job->response));
  soup_server_message_unpause (job->msg);
}

static void
answer_ocsp (CabutServer       *self,
             SoupServerMessage *msg,
             GBytes            *request)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, ocsp_done_cb, NULL);
  OcspJob *job = g_new0 (OcspJob, 1);

  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->request = g_bytes_ref (request);
  job->db_path = g_build_filename (self->data_dir, "cabut.db", NULL);
  job->issuer = g_strdup (self->ca_subject);

  soup_server_message_pause (msg);
  g_task_set_task_data (task, job, (GDestroyNotify) ocsp_job_free);
  g_task_run_in_thread (task, ocsp_thread);
}

/* Signs a new CRL from the registry read through @db (a connection of
 * the calling thread's own), with the next CRL number, and writes it
 * durably to DATA/ca/issuing.crl. Every revoked entry is read or nothing
 * is signed; a CRL number may be skipped, never reused. Reads only what
 * never changes once the CA is open, so it runs on any thread. */
static GBytes *
make_crl (CabutServer  *self,
          CabutDb      *db,
          GError      **error)
{
  g_autoptr(sqlite3_stmt) number_stmt = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (CabutCaRevokedEntry));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) times = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) crl = NULL;
  gint64 number;
  int rc;

  if (!cabut_db_begin (db, error))
    return NULL;
  number_stmt = cabut_db_prepare (db, "UPDATE crl_state SET number = number + 1 WHERE id = 1 "
                                            "RETURNING number", error);
  if (number_stmt == NULL || cabut_db_step (db, number_stmt, error) != SQLITE_ROW)
    {
      if (number_stmt != NULL && error != NULL && *error == NULL)
        g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, "The CRL number is missing");
      cabut_db_rollback (db);
      return NULL;
    }
  number = sqlite3_column_int64 (number_stmt, 0);
  g_clear_pointer (&number_stmt, sqlite3_finalize);

  stmt = cabut_db_prepare (db,
                           "SELECT serial, revoked_at, revocation_reason, invalidity_date FROM certificates "
                           "WHERE status = 'revoked' AND issuer = ? ORDER BY revoked_at", error);
  if (stmt == NULL)
    {
      cabut_db_rollback (db);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, self->ca_subject, -1, SQLITE_TRANSIENT);
  while ((rc = cabut_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      CabutCaRevokedEntry entry = { 0 };
      char *serial = cabut_db_column_text (stmt, 0);
      GDateTime *revoked_at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 1));

      g_ptr_array_add (keep, serial);
      g_ptr_array_add (times, revoked_at);
      entry.serial = serial;
      entry.revoked_at = revoked_at;
      entry.reason = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? CABUT_CA_REASON_NONE
                                                                  : sqlite3_column_int (stmt, 2);
      if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        {
          entry.invalidity_date = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 3));
          g_ptr_array_add (times, entry.invalidity_date);
        }
      g_array_append_val (entries, entry);
    }
  /* A scan cut short by an error would sign a CRL with entries missing. */
  if (rc != SQLITE_DONE)
    {
      cabut_db_rollback (db);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  crl = cabut_ca_make_crl (self->ca, (CabutCaRevokedEntry *) entries->data, entries->len, number,
                           CRL_VALIDITY_SECONDS, error);
  /* The number is spent before the CRL leaves: a commit that fails after
   * the file was written would hand the same number to another CRL. */
  if (crl == NULL || !cabut_db_commit (db, error))
    {
      cabut_db_rollback (db);
      return NULL;
    }

  path = g_build_filename (self->data_dir, "ca", "issuing.crl", NULL);
  if (!cabut_file_write_durably (path, crl, 0644, error))
    return NULL;

  return g_steal_pointer (&crl);
}

/* Serves @crl from now on (on the main thread). */
static void
install_crl (CabutServer *self,
             GBytes      *crl)
{
  g_clear_pointer (&self->crl, g_bytes_unref);
  self->crl = g_bytes_ref (crl);
  self->crl_signed_at = now_seconds ();
}

/**
 * cabut_server_refresh_crl:
 *
 * Signs, writes and serves a new CRL, on the calling thread: for start-up,
 * before the service answers anyone. On any error the last good CRL stays
 * the one served and on disk.
 */
gboolean
cabut_server_refresh_crl (CabutServer  *self,
                          GError      **error)
{
  g_autoptr(GBytes) crl = NULL;

  if (self->ca == NULL)
    return TRUE;
  if ((crl = make_crl (self, self->db, error)) == NULL)
    return FALSE;
  install_crl (self, crl);

  return TRUE;
}

/* Publishing while the service runs: in a worker thread with a connection
 * of its own (RSA over 100,000 entries and an fsync take a while), one
 * run at a time so CRL numbers are published in order. A request to
 * publish waits for a run that starts after it was made, so whoever
 * asks after committing a revocation gets a CRL that lists it. */
static void
crl_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  CabutServer *self = source_object;
  GError *error = NULL;
  GBytes *crl;

  if (self->crl_db == NULL)
    {
      g_autofree char *path = g_build_filename (self->data_dir, "cabut.db", NULL);

      self->crl_db = cabut_db_open (path, &error);
    }
  crl = self->crl_db != NULL ? make_crl (self, self->crl_db, &error) : NULL;
  if (crl == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, crl, (GDestroyNotify) g_bytes_unref);
}

static void start_crl_run (CabutServer *self);

static void
crl_run_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CabutServer *self = CABUT_SERVER (object);
  g_autoptr(GPtrArray) waiters = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) crl = g_task_propagate_pointer (G_TASK (result), &error);

  self->crl_running = FALSE;
  if (crl != NULL)
    install_crl (self, crl);
  else
    {
      g_warning ("Failed to publish a new CRL: %s", error->message);
      /* The next GET tries again. */
      self->crl_signed_at = 0;
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (crl != NULL)
        g_task_return_boolean (waiter, TRUE);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }

  if (self->crl_waiting->len > 0)
    start_crl_run (self);
}

static void
start_crl_run (CabutServer *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, crl_run_done_cb,
                                      g_steal_pointer (&self->crl_waiting));

  self->crl_waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->crl_running = TRUE;
  g_task_set_source_tag (task, start_crl_run);
  g_task_run_in_thread (task, crl_thread);
}

/**
 * cabut_server_publish_crl_async:
 * @callback: (nullable): called once a CRL made after this call is served
 *
 * Signs and publishes a new CRL without holding up the main loop.
 */
void
cabut_server_publish_crl_async (CabutServer         *self,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, cabut_server_publish_crl_async);
  if (self->ca == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_ptr_array_add (self->crl_waiting, task);
  if (!self->crl_running)
    start_crl_run (self);
}

gboolean
cabut_server_publish_crl_finish (CabutServer   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
reply_bytes (SoupServerMessage *msg,
             const char        *content_type,
             GBytes            *bytes)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
pki_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  CabutServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  /* The early handler may already have answered (413). */
  if (soup_server_message_get_status (msg) != 0 && soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    return;

  if (self->ca == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }

  if (g_str_equal (path, CABUT_CA_PATH_CA) && method == SOUP_METHOD_GET)
    {
      g_autoptr(GBytes) der = cabut_ca_get_issuing_der (self->ca);
      reply_bytes (msg, "application/pkix-cert", der);
    }
  else if (g_str_equal (path, CABUT_CA_PATH_ROOT_CA) && method == SOUP_METHOD_GET)
    {
      g_autoptr(GBytes) der = cabut_ca_get_root_der (self->ca);
      reply_bytes (msg, "application/pkix-cert", der);
    }
  else if (g_str_equal (path, "/pki/ca.pem") && method == SOUP_METHOD_GET)
    {
      g_autoptr(GBytes) pem = cabut_ca_get_chain_pem (self->ca);
      reply_bytes (msg, "application/x-pem-file", pem);
    }
  else if (g_str_equal (path, CABUT_CA_PATH_CRL) && method == SOUP_METHOD_GET)
    {
      /* An ageing CRL is still good until its nextUpdate: served while the
       * next one is made. */
      if ((self->crl == NULL || now_seconds () - self->crl_signed_at > CRL_REFRESH_SECONDS) &&
          !self->crl_running)
        cabut_server_publish_crl_async (self, NULL, NULL);
      if (self->crl == NULL)
        soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      else
        reply_bytes (msg, "application/pkix-crl", self->crl);
    }
  else if (g_str_equal (path, CABUT_CA_PATH_ROOT_CRL) && method == SOUP_METHOD_GET)
    {
      /* Signed again only when it ages, not for every anonymous GET. */
      if (self->root_crl == NULL || now_seconds () - self->root_crl_signed_at > CRL_REFRESH_SECONDS)
        {
          g_autoptr(GError) error = NULL;
          GBytes *crl = cabut_ca_make_root_crl (self->ca, now_seconds (), CRL_VALIDITY_SECONDS, &error);

          if (crl == NULL)
            g_warning ("Failed to sign the root CRL: %s", error->message);
          else
            {
              g_clear_pointer (&self->root_crl, g_bytes_unref);
              self->root_crl = crl;
              self->root_crl_signed_at = now_seconds ();
            }
        }
      if (self->root_crl == NULL)
        soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      else
        reply_bytes (msg, "application/pkix-crl", self->root_crl);
    }
  else if (g_str_equal (path, CABUT_CA_PATH_OCSP) && method == SOUP_METHOD_POST)
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) request = soup_message_body_flatten (body);

      answer_ocsp (self, msg, request);
    }
  else if (g_str_has_prefix (path, CABUT_CA_PATH_OCSP "/") && method == SOUP_METHOD_GET)
    {
      /* RFC 5019: the base64 request is the rest of the path. */
      g_autofree char *encoded = g_uri_unescape_string (path + strlen (CABUT_CA_PATH_OCSP "/"), NULL);
      g_autofree guchar *der = NULL;
      g_autoptr(GBytes) request = NULL;
      gsize len = 0;

      if (encoded == NULL)
        encoded = g_strdup ("");
      der = g_base64_decode (encoded, &len);
      request = g_bytes_new (der, len);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Cache-Control", "max-age=60, public");
      answer_ocsp (self, msg, request);
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    }
}

/* ---------------------------------------------------------------------- */
/* The API router                                                          */

static void
health_reply (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "service");
  json_builder_add_string_value (builder, "cabut-server");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
service_info_free (gpointer data)
{
  ServiceInfo *info = data;

  g_key_file_unref (info->keyfile);
  g_free (info);
}

static void
add_text_member (JsonBuilder *builder,
                 GKeyFile    *keyfile,
                 const char  *key,
                 const char  *language)
{
  g_autofree char *value = NULL;

  if (keyfile != NULL)
    value = language != NULL
      ? g_key_file_get_locale_string (keyfile, SERVICE_GROUP, key, language, NULL)
      : g_key_file_get_string (keyfile, SERVICE_GROUP, key, NULL);

  json_builder_set_member_name (builder, key);
  if (value != NULL && *g_strstrip (value) != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
service_reply (CabutServer         *self,
               CabutRequestContext *ctx)
{
  ServiceInfo *info = g_object_get_data (G_OBJECT (self), SERVICE_INFO_KEY);
  GKeyFile *keyfile = info != NULL ? info->keyfile : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  SoupMessageHeaders *headers;

  json_builder_begin_object (builder);
  add_text_member (builder, keyfile, "agency", ctx->language);
  add_text_member (builder, keyfile, "service_name", ctx->language);
  add_text_member (builder, keyfile, "phone", NULL);
  add_text_member (builder, keyfile, "email", NULL);
  add_text_member (builder, keyfile, "website", NULL);
  add_text_member (builder, keyfile, "complaints_officer", ctx->language);
  add_text_member (builder, keyfile, "escalation", ctx->language);
  add_text_member (builder, keyfile, "office_hours", ctx->language);
  add_text_member (builder, keyfile, "address", ctx->language);
  json_builder_set_member_name (builder, "service_days");
  json_builder_add_int_value (builder, info != NULL ? info->service_days : 1);
  json_builder_set_member_name (builder, "fee");
  json_builder_add_int_value (builder, info != NULL ? info->fee : 0);
  json_builder_set_member_name (builder, "max_letter_size");
  json_builder_add_int_value (builder, (gint64) self->max_letter_size);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (ctx->msg, SOUP_STATUS_OK, node);

  /* It changes only with a restart; the text depends on the language. */
  headers = soup_server_message_get_response_headers (ctx->msg);
  soup_message_headers_replace (headers, "Cache-Control", "max-age=300");
  soup_message_headers_replace (headers, "Vary", "Accept-Language");
}

static void
api_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  CabutServer *self = user_data;
  CabutRequestContext ctx = { self, msg, NULL, cabut_server_language_of (msg) };
  g_auto(GStrv) segments = NULL;
  const char *method = soup_server_message_get_method (msg);
  const char *resource;

  /* The early handler may already have answered (413, 401). */
  if (soup_server_message_get_status (msg) != 0 && soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    return;

  if (!g_str_has_prefix (path, "/api/v1/"))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
      return;
    }

  segments = g_strsplit (path + strlen ("/api/v1/"), "/", -1);
  resource = segments[0];

  if (g_str_equal (resource, "health"))
    {
      health_reply (msg);
      return;
    }

  /* What a person should know before asking: no sign-in needed. */
  if (g_str_equal (resource, "service") && segments[1] == NULL)
    {
      if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
        service_reply (self, &ctx);
      else
        cabut_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                  N_("This address does not take that method"));
      return;
    }

  if (g_str_equal (resource, "session") && method == SOUP_METHOD_POST)
    {
      handle_session (self, &ctx);
      return;
    }

  /* Everything else needs a signed-in account. */
  ctx.account = g_object_steal_data (G_OBJECT (msg), CABUT_SERVER_ACCOUNT_KEY);
  if (ctx.account == NULL)
    {
      g_autoptr(GError) error = NULL;

      ctx.account = cabut_session_lookup (self->db, bearer_token (msg), now_seconds (), &error);
      if (error != NULL)
        {
          cabut_server_reply_gerror (msg, error);
          return;
        }
    }
  if (ctx.account == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"cabut\"");
      cabut_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                N_("Your session has ended or is not valid: sign in again"));
      return;
    }

  if (g_str_equal (resource, "session"))
    handle_session (self, &ctx);
  else if (g_str_equal (resource, "me") && method == SOUP_METHOD_GET)
    handle_me (self, &ctx);
  else if (g_str_equal (resource, "reasons") && method == SOUP_METHOD_GET)
    handle_reasons (self, &ctx);
  else if (g_str_equal (resource, "requests"))
    cabut_server_handle_requests (self, &ctx, segments);
  else if (g_str_equal (resource, "queue") && method == SOUP_METHOD_GET)
    cabut_server_handle_queue (self, &ctx);
  else if (g_str_equal (resource, "events") && method == SOUP_METHOD_GET)
    handle_events (self, &ctx, query);
  else if (g_str_equal (resource, "admin") && segments[1] != NULL && segments[2] == NULL)
    handle_admin (self, &ctx, segments[1]);
  else
    cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));

  g_clear_pointer (&ctx.account, cabut_account_free);
}

/* ---------------------------------------------------------------------- */
/* Object                                                                  */

static void
cabut_server_finalize (GObject *object)
{
  CabutServer *self = (CabutServer *)object;

  cabut_server_connections_clear (self);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_list_free_full (g_steal_pointer (&self->polls), (GDestroyNotify) poll_free);
  g_clear_object (&self->soup);
  g_clear_object (&self->crl_db);
  g_clear_pointer (&self->crl_waiting, g_ptr_array_unref);
  g_clear_object (&self->db);
  g_clear_object (&self->calendar);
  g_clear_object (&self->ca);
  g_clear_pointer (&self->crl, g_bytes_unref);
  g_clear_pointer (&self->root_crl, g_bytes_unref);
  g_clear_pointer (&self->ca_subject, g_free);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->letters_dir, g_free);
  g_clear_pointer (&self->upload_dir, g_free);

  G_OBJECT_CLASS (cabut_server_parent_class)->finalize (object);
}

static void
cabut_server_class_init (CabutServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cabut_server_finalize;
}

static void
cabut_server_init (CabutServer *self)
{
  self->max_letter_size = CABUT_SERVER_DEFAULT_MAX_LETTER;
  self->crl_waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->request_timeout = CABUT_SERVER_DEFAULT_REQUEST_TIMEOUT;
}

static gboolean
make_dir (const char  *path,
          GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_DATA_DIR,
                   _("The data folder %s cannot be created: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Uploads that were cut off by a crash or a kill were never acknowledged. */
static void
clear_upload_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
}

static gboolean
is_sha256_name (const char *name)
{
  if (strlen (name) != 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* A letter is written (and fsynced) before its request's row commits: after
 * a crash in between, the letter — somebody's personal document — belongs
 * to no request. Such letters go at start-up. Fail closed: a letter is
 * removed only when the database answered that nothing refers to it. */
static void
collect_orphan_letters (CabutServer *self)
{
  g_autoptr(GDir) handle = g_dir_open (self->letters_dir, 0, NULL);
  const char *name;
  guint removed = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *path = NULL;

      if (!is_sha256_name (name))
        continue;
      stmt = cabut_db_prepare (self->db, "SELECT 1 FROM requests WHERE letter_sha256 = ? LIMIT 1", NULL);
      if (stmt == NULL)
        return;
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        continue;   /* referred to, or unknown: kept */

      path = g_build_filename (self->letters_dir, name, NULL);
      if (g_unlink (path) == 0)
        removed++;
    }

  if (removed > 0)
    g_message ("Removed %u letters that no request refers to (left by an interrupted filing)", removed);
}

/**
 * cabut_server_new:
 * @data_dir: where the service keeps its database, letters and CA
 *
 * Returns: (transfer full): a server that is not listening yet
 */
CabutServer *
cabut_server_new (const char  *data_dir,
                  GError     **error)
{
  g_autoptr(CabutServer) self = NULL;
  g_autofree char *db_path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (CABUT_TYPE_SERVER, NULL);
  self->data_dir = g_strdup (data_dir);
  self->letters_dir = g_build_filename (data_dir, "letters", NULL);
  self->upload_dir = g_build_filename (data_dir, "uploads", NULL);

  if (!make_dir (data_dir, error) || !make_dir (self->letters_dir, error) ||
      !make_dir (self->upload_dir, error))
    return NULL;
  clear_upload_dir (self->upload_dir);

  db_path = g_build_filename (data_dir, "cabut.db", NULL);
  if ((self->db = cabut_db_open (db_path, error)) == NULL || !cabut_db_start_writer (self->db, error))
    return NULL;
  collect_orphan_letters (self);
  if ((self->calendar = cabut_calendar_new_default (error)) == NULL)
    return NULL;

  self->soup = soup_server_new ("server-header", "cabut-server/" PACKAGE_VERSION, NULL);
  cabut_server_connections_init (self);
  cabut_server_requests_init (self);
  soup_server_add_handler (self->soup, "/api/v1", api_cb, self, NULL);
  /* libsoup keeps early and normal handlers per path: the path with an
   * early handler needs the normal one too. */
  soup_server_add_handler (self->soup, "/api/v1/requests", api_cb, self, NULL);
  soup_server_add_handler (self->soup, "/pki", pki_cb, self, NULL);
  /* Early handlers are found by the same path as the others: each path,
   * and the default for paths nobody serves. */
  soup_server_add_early_handler (self->soup, "/api/v1", body_limit_early_cb, self, NULL);
  soup_server_add_early_handler (self->soup, "/pki", body_limit_early_cb, self, NULL);
  soup_server_add_early_handler (self->soup, NULL, body_limit_early_cb, self, NULL);

  return g_steal_pointer (&self);
}

void
cabut_server_set_max_letter_size (CabutServer *self,
                                  gsize        max_size)
{
  g_return_if_fail (CABUT_IS_SERVER (self));
  self->max_letter_size = max_size;
}

/** cabut_server_load_holidays: replaces the shipped holiday list with @path */
gboolean
cabut_server_load_holidays (CabutServer  *self,
                            const char   *path,
                            GError      **error)
{
  g_autoptr(CabutCalendar) calendar = NULL;

  g_return_val_if_fail (CABUT_IS_SERVER (self), FALSE);

  calendar = cabut_calendar_new (cabut_calendar_get_timezone (self->calendar));
  if (!cabut_calendar_load_holidays (calendar, path, error))
    return FALSE;
  g_set_object (&self->calendar, calendar);

  return TRUE;
}

static gboolean
is_known_key (const char *key)
{
  const char *bracket = strchr (key, '[');
  g_autofree char *base = NULL;

  if (bracket == NULL)
    return g_strv_contains (localized_keys, key) || g_strv_contains (plain_keys, key);

  /* Only free text has language variants, such as office_hours[en]. */
  base = g_strndup (key, bracket - key);

  return g_strv_contains (localized_keys, base) && g_str_has_suffix (bracket, "]");
}

/* Catches typos and pasted names, not every address RFC 5322 allows. */
static gboolean
is_plausible_email (const char *value)
{
  const char *at = strchr (value, '@');
  const char *domain;

  if (at == NULL || at == value || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = value; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("<>()[],;:\\\"", *p) != NULL)
      return FALSE;

  domain = at + 1;

  return strchr (domain, '.') != NULL && domain[0] != '.' && !g_str_has_suffix (domain, ".") &&
         strstr (domain, "..") == NULL;
}

static gboolean
is_web_address (const char *value)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *scheme;
  const char *host;

  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         host != NULL && *host != '\0';
}

/* Absent means @fallback; anything else must be a whole number ≥ @min. */
static gboolean
read_count (GKeyFile    *keyfile,
            const char  *path,
            const char  *key,
            int          min,
            int          fallback,
            int         *out,
            GError     **error)
{
  g_autofree char *raw = NULL;
  g_autoptr(GError) local_error = NULL;
  int value;

  if (!g_key_file_has_key (keyfile, SERVICE_GROUP, key, NULL))
    {
      *out = fallback;
      return TRUE;
    }

  raw = g_key_file_get_value (keyfile, SERVICE_GROUP, key, NULL);
  value = g_key_file_get_integer (keyfile, SERVICE_GROUP, key, &local_error);
  if (local_error != NULL || value < min)
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                   _("In the service information file %s, %s must be a whole number of at least %d, "
                     "not “%s”"), path, key, min, raw != NULL ? raw : "");
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/**
 * cabut_server_load_config:
 * @path: a key file with a [service] group: agency, service_name, phone,
 *   email, website, complaints_officer, escalation, office_hours, address
 *   (free text ones may have language variants, such as office_hours[en]),
 *   service_days and fee
 *
 * Reads the public information that GET /api/v1/service answers. Nothing
 * changes unless the whole file is valid.
 */
gboolean
cabut_server_load_config (CabutServer  *self,
                          const char   *path,
                          GError      **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *email = NULL;
  g_autofree char *website = NULL;
  ServiceInfo *info;
  int service_days = 1;
  int fee = 0;

  g_return_val_if_fail (CABUT_IS_SERVER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                     _("The service information file %s does not exist"), path);
      else if (local_error->domain == G_KEY_FILE_ERROR)
        g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                     _("The service information file %s is not a valid key file: %s"), path,
                     local_error->message);
      else
        g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                     _("The service information file %s cannot be read: %s"), path, local_error->message);
      return FALSE;
    }

  if ((keys = g_key_file_get_keys (keyfile, SERVICE_GROUP, NULL, NULL)) == NULL)
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                   _("The service information file %s has no [service] group"), path);
      return FALSE;
    }

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *value = NULL;

      if (!is_known_key (keys[i]))
        {
          g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                       _("The service information file %s has an unknown key “%s” in [service]"),
                       path, keys[i]);
          return FALSE;
        }
      /* Text that is not UTF-8 is refused here, not at the first request. */
      if ((value = g_key_file_get_string (keyfile, SERVICE_GROUP, keys[i], &local_error)) == NULL)
        {
          g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                       _("The service information file %s cannot be read: %s"), path, local_error->message);
          return FALSE;
        }
    }

  if (!read_count (keyfile, path, "service_days", 1, 1, &service_days, error) ||
      !read_count (keyfile, path, "fee", 0, 0, &fee, error))
    return FALSE;

  email = g_key_file_get_string (keyfile, SERVICE_GROUP, "email", NULL);
  if (email != NULL && *g_strstrip (email) != '\0' && !is_plausible_email (email))
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                   _("In the service information file %s, email “%s” is not an e-mail address"), path, email);
      return FALSE;
    }

  website = g_key_file_get_string (keyfile, SERVICE_GROUP, "website", NULL);
  if (website != NULL && *g_strstrip (website) != '\0' && !is_web_address (website))
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                   _("In the service information file %s, website “%s” is not an http:// or https:// address"),
                   path, website);
      return FALSE;
    }

  info = g_new0 (ServiceInfo, 1);
  info->keyfile = g_steal_pointer (&keyfile);
  info->service_days = service_days;
  info->fee = fee;
  g_object_set_data_full (G_OBJECT (self), SERVICE_INFO_KEY, info, service_info_free);

  return TRUE;
}

/**
 * cabut_server_start_ca:
 * @base_url: the URL the service is reached at, for the certificates' CRL
 *   and OCSP pointers
 * @demo: create demo accounts and certificates when there are none
 *
 * Opens the CA in DATA/ca, creating a fictional one on first start.
 */
gboolean
cabut_server_start_ca (CabutServer  *self,
                       const char   *base_url,
                       gboolean      demo,
                       GError      **error)
{
  g_autofree char *ca_dir = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) issuing = NULL;
  g_autoptr(CabutCertificate) issuing_cert = NULL;

  g_return_val_if_fail (CABUT_IS_SERVER (self), FALSE);
  g_return_val_if_fail (base_url != NULL, FALSE);

  url = g_strdup (base_url);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';

  ca_dir = g_build_filename (self->data_dir, "ca", NULL);
  if ((self->ca = cabut_ca_open_or_create (ca_dir, url, error)) == NULL)
    return FALSE;

  issuing = cabut_ca_get_issuing_der (self->ca);
  if ((issuing_cert = cabut_certificate_new_from_bytes (issuing, NULL, error)) == NULL)
    return FALSE;
  self->ca_subject = g_strdup (cabut_certificate_get_subject_string (issuing_cert));

  if (demo && !cabut_server_seed_demo (self, error))
    return FALSE;

  return cabut_server_refresh_crl (self, error);
}

/**
 * cabut_server_listen:
 * @address: "HOST:PORT" with a literal IP address; port 0 picks a free one
 * @tls_certificate: (nullable): serve HTTPS with this certificate
 *
 * Plain HTTP is allowed on loopback only: anywhere else passwords and
 * letters would cross the network in clear.
 */
gboolean
cabut_server_listen (CabutServer      *self,
                     const char       *address,
                     GTlsCertificate  *tls_certificate,
                     GError          **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (CABUT_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  connectable = g_network_address_parse (address, 0, NULL);
  if (connectable != NULL)
    inet = g_inet_address_new_from_string (g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable)));
  if (inet == NULL)
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_INVALID_ADDRESS,
                   _("“%s” is not an address to listen on: give an IP address and a port, "
                     "such as 127.0.0.1:8480"), address);
      return FALSE;
    }

  if (tls_certificate == NULL && !g_inet_address_get_is_loopback (inet))
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_TLS_REQUIRED,
                   _("Plain HTTP is only allowed on a loopback address; give --tls-cert and "
                     "--tls-key to listen on %s"), address);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (inet, g_network_address_get_port (G_NETWORK_ADDRESS (connectable)));

  /* GLib's default backlog of 10 drops connections when a desk's worth of
   * clients reconnect at once. */
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, 128);
  if (!g_socket_bind (socket, socket_address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;

  /* Accepted by us, not by libsoup's listener (see cabut-server-connections.c). */
  cabut_server_connections_listen (self, socket, tls_certificate);

  return TRUE;
}

/** cabut_server_get_url: Returns: (transfer full) (nullable): the base URL it listens on */
char *
cabut_server_get_url (CabutServer *self)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (CABUT_IS_SERVER (self), NULL);

  if (self->listener == NULL || (local = g_socket_get_local_address (self->listener, NULL)) == NULL)
    return NULL;
  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));

  return g_uri_join (G_URI_FLAGS_NONE, self->tls_certificate != NULL ? "https" : "http", NULL, host,
                     g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), "/", NULL, NULL);
}

/** cabut_server_shutdown: stops accepting requests and closes connections */
void
cabut_server_shutdown (CabutServer *self)
{
  g_return_if_fail (CABUT_IS_SERVER (self));

  cabut_server_connections_clear (self);
  soup_server_disconnect (self->soup);
  g_list_free_full (g_steal_pointer (&self->polls), (GDestroyNotify) poll_free);
}
