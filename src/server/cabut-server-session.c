/* cabut-server-session.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Signing in and out (sessions, lockout, TOTP), and what a signed-in account reads about itself (/me, /reasons). */

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

/* ---------------------------------------------------------------------- */
/* Accounts and sessions                                                   */


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

  return cabut_server_thread_pool (&pool, scrypt_worker, SCRYPT_THREADS);
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
          return cabut_accounts_audit (db, login->account->id, "session.failed", login->username,
                                         login->address, "totp reused", error);
        }
    }

  return cabut_sign_in_succeeded (db, login->username, login->address, error) &&
         (login->token = cabut_session_create (db, login->account->id, login->now, &login->expires_at,
                                               error)) != NULL &&
         cabut_accounts_audit (db, login->account->id, "session.create", login->account->username,
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

  login->now = cabut_server_now ();
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

  return cabut_accounts_audit (db, 0, login->verdict == CABUT_SIGN_IN_LOCKED ? "session.locked"
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
         cabut_accounts_audit (db, login->account->id, "session.delete", login->account->username,
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
  login->now = cabut_server_now ();
  soup_server_message_pause (msg);

  return login;
}

void
cabut_server_handle_session (CabutServer         *self,
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
      login->token = g_strdup (cabut_server_bearer_token (msg));
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

/* A page of the account's certificates as an array, and @next_member set
 * to the cursor of the next page or null; %FALSE with @error (never a
 * shorter page). */
static gboolean
add_certificates (CabutServer  *self,
                  JsonBuilder  *builder,
                  gint64        account_id,
                  gboolean      has_cursor,
                  gint64        cursor_key,
                  gint64        cursor_id,
                  guint         limit,
                  const char   *array_member,
                  const char   *next_member,
                  GError      **error)
{
  gboolean more = FALSE;
  g_autoptr(GArray) held = cabut_registry_list_for_account (self->db, account_id, has_cursor, cursor_key,
                                                            cursor_id, limit, &more, error);

  if (held == NULL)
    return FALSE;

  json_builder_set_member_name (builder, array_member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < held->len; i++)
    {
      const CabutHeldCertificate *one = &g_array_index (held, CabutHeldCertificate, i);
      g_autofree char *not_before = cabut_server_iso8601 (one->not_before);
      g_autofree char *not_after = cabut_server_iso8601 (one->not_after);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "serial");
      json_builder_add_string_value (builder, one->serial);
      json_builder_set_member_name (builder, "issuer");
      json_builder_add_string_value (builder, one->issuer);
      json_builder_set_member_name (builder, "subject");
      json_builder_add_string_value (builder, one->subject);
      json_builder_set_member_name (builder, "not_before");
      json_builder_add_string_value (builder, not_before);
      json_builder_set_member_name (builder, "not_after");
      json_builder_add_string_value (builder, not_after);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, one->revoked ? "revoked" : "valid");
      json_builder_set_member_name (builder, "revoked_at");
      if (one->revoked_at != 0)
        {
          g_autofree char *revoked_at = cabut_server_iso8601 (one->revoked_at);
          json_builder_add_string_value (builder, revoked_at);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "reason");
      if (one->reason >= 0)
        json_builder_add_string_value (builder, cabut_crl_reason_to_name (one->reason));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, next_member);
  if (more && held->len > 0)
    {
      const CabutHeldCertificate *last = &g_array_index (held, CabutHeldCertificate, held->len - 1);
      g_autofree char *next = cabut_server_cursor_encode (last->not_before, last->id);

      json_builder_add_string_value (builder, next);
    }
  else
    json_builder_add_null_value (builder);

  return TRUE;
}

/* /me (@with_account) or a page of /me/certificates. */
static void
reply_me (CabutServer         *self,
          CabutRequestContext *ctx,
          gboolean             with_account,
          gboolean             has_cursor,
          gint64               cursor_key,
          gint64               cursor_id,
          guint                limit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);
  if (with_account)
    {
      add_account_members (builder, ctx->account);
      json_builder_set_member_name (builder, "totp_enabled");
      json_builder_add_boolean_value (builder, ctx->account->totp_secret != NULL);
    }
  /* /me has the first page; certificates_next leads to the rest. */
  if (!add_certificates (self, builder, ctx->account->id, has_cursor, cursor_key, cursor_id, limit,
                         "certificates", with_account ? "certificates_next" : "next", &error))
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (ctx->msg, SOUP_STATUS_OK, node);
}

/* GET /api/v1/me/certificates: the rest of them, after /me's first page. */
void
cabut_server_handle_my_certificates (CabutServer         *self,
                                     CabutRequestContext *ctx,
                                     GHashTable          *query)
{
  gboolean has_cursor = FALSE;
  gint64 key = 0, id = 0;
  guint limit = 0;

  if (cabut_server_parse_page (ctx, query, CABUT_SERVER_PAGE_MAX, &limit, &has_cursor, &key, &id))
    reply_me (self, ctx, FALSE, has_cursor, key, id, limit);
}

void
cabut_server_handle_me (CabutServer         *self,
                        CabutRequestContext *ctx)
{
  reply_me (self, ctx, TRUE, FALSE, 0, 0, CABUT_SERVER_PAGE_MAX);
}

void
cabut_server_handle_reasons (CabutServer         *self,
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
