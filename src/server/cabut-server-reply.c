/* cabut-server-reply.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Answers (JSON, errors, GErrors), body limits, the audit log. */

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
void
cabut_server_body_limit_early_cb (SoupServer        *server,
                                  SoupServerMessage *msg,
                                  const char        *path,
                                  GHashTable        *query,
                                  gpointer           user_data)
{
  cabut_server_limit_body (msg, CABUT_SERVER_MAX_JSON_BODY);
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

  if (body->length > CABUT_SERVER_MAX_JSON_BODY)
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

  if (cabut_accounts_audit (self->db, actor != NULL ? actor->id : 0, action, target,
                              cabut_server_remote_of (msg), detail, &local_error))
    return TRUE;

  if (error == NULL)
    g_warning ("Failed to write the audit log: %s", local_error->message);
  g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

gint64
cabut_server_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * cabut_server_thread_pool:
 * @pool: a `static gsize` of the caller's, 0 at first
 *
 * Returns: (transfer none): the pool of @max_threads running @func, made
 *   on the first call and kept for the life of the process
 */
GThreadPool *
cabut_server_thread_pool (gsize *pool,
                          GFunc  func,
                          int    max_threads)
{
  if (g_once_init_enter (pool))
    g_once_init_leave (pool, (gsize) g_thread_pool_new (func, NULL, max_threads, FALSE, NULL));

  return (GThreadPool *) *pool;
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

  return cabut_accounts_audit (db, row->actor_id, row->action, row->target, row->remote, row->detail, error);
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

const char *
cabut_server_bearer_token (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;

  return auth + 7;
}

/* Keyset pagination: a page is the rows after the cursor in a fixed order,
 * found through an index, so the first page and the thousandth cost the
 * same. The cursor (the last row's sort key and id) is opaque to clients. */
char *
cabut_server_cursor_encode (gint64 key,
               gint64 id)
{
  g_autofree char *text = g_strdup_printf ("c1:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, key, id);
  char *encoded = g_base64_encode ((const guchar *) text, strlen (text));

  /* URL-safe, no padding: it goes into a query string as it is. */
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');

  return encoded;
}

static gboolean
cursor_decode (const char *cursor,
               gint64     *key,
               gint64     *id)
{
  g_autofree char *padded = NULL;
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  gsize len = 0;
  gsize n = strlen (cursor);

  if (n == 0 || n > 64 || strspn (cursor, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n)
    return FALSE;
  padded = g_strnfill (n + (4 - n % 4) % 4, '=');
  memcpy (padded, cursor, n);
  g_strdelimit (padded, "-", '+');
  g_strdelimit (padded, "_", '/');
  raw = g_base64_decode (padded, &len);
  text = g_strndup ((const char *) raw, len);
  fields = g_strsplit (text, ":", -1);

  return g_strv_length (fields) == 3 && g_str_equal (fields[0], "c1") &&
         g_ascii_string_to_signed (fields[1], 10, G_MININT64, G_MAXINT64, key, NULL) &&
         g_ascii_string_to_signed (fields[2], 10, 1, G_MAXINT64, id, NULL);
}

/**
 * cabut_server_parse_page:
 * @default_limit: the page size when ?limit= is absent
 *
 * Reads ?limit= (1 to %CABUT_SERVER_PAGE_MAX) and ?cursor=; answers 400
 * and returns %FALSE when one is not valid.
 */
gboolean
cabut_server_parse_page (CabutRequestContext *ctx,
                         GHashTable          *query,
                         guint                default_limit,
                         guint               *limit,
                         gboolean            *has_cursor,
                         gint64              *cursor_key,
                         gint64              *cursor_id)
{
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
  guint64 value = default_limit;

  if (limit_text != NULL && !g_ascii_string_to_unsigned (limit_text, 10, 1, CABUT_SERVER_PAGE_MAX, &value, NULL))
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The page size must be a number from 1 to %d"), CABUT_SERVER_PAGE_MAX);
      return FALSE;
    }
  *limit = value;

  *has_cursor = FALSE;
  if (cursor != NULL)
    {
      if (!cursor_decode (cursor, cursor_key, cursor_id))
        {
          cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "bad_cursor",
                                    N_("This page cursor is not one the service gave: start again from "
                                       "the first page"));
          return FALSE;
        }
      *has_cursor = TRUE;
    }

  return TRUE;
}

/* @member as an ISO 8601 time, or null for 0. */
void
cabut_server_add_time (JsonBuilder *builder,
                       const char  *member,
                       gint64       time)
{
  json_builder_set_member_name (builder, member);
  if (time == 0)
    {
      json_builder_add_null_value (builder);
    }
  else
    {
      g_autofree char *text = cabut_server_iso8601 (time);
      json_builder_add_string_value (builder, text);
    }
}

/* @member as an account's {username, full_name}, or null when @username
 * is %NULL (nobody). */
void
cabut_server_add_person (JsonBuilder *builder,
                         const char  *member,
                         const char  *username,
                         const char  *full_name)
{
  json_builder_set_member_name (builder, member);
  if (username == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  cabut_server_add_text (builder, "username", username);
  cabut_server_add_text (builder, "full_name", full_name);
  json_builder_end_object (builder);
}

/* @member as a string, or null for %NULL. */
void
cabut_server_add_text (JsonBuilder *builder,
                       const char  *member,
                       const char  *text)
{
  json_builder_set_member_name (builder, member);
  if (text == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, text);
}
