/* cabut-server-requests.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cabut-letter.h"
#include "cabut-reason.h"
#include "cabut-server-private.h"

/* Revocation requests: filing (a streamed multipart upload), the
 * applicant's own list, the operators' queue and their decisions. */

#define MAX_NOTE_LENGTH       2000
#define MAX_IDEMPOTENCY_KEY   200
#define MULTIPART_OVERHEAD    (256 * 1024)

/* The letter upload, streamed to a temporary file by a worker thread: the
 * main loop only queues each chunk as it comes (a slow disk never holds it
 * up). The handler runs once the last chunk is on disk. */
typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           lock;
  char            *path;
  int              fd;              /* written by one drain at a time */
  gsize            size;
  gsize            limit;
  gboolean         too_large;       /* main thread only */
  GError          *error;           /* under lock */
  GQueue           chunks;          /* GBytes, under lock */
  gboolean         draining;        /* under lock: a worker has the queue */
  GMainContext    *context;
  GSourceFunc      drained;         /* under lock: run in @context once on disk */
  gpointer         drained_data;
} Upload;

static Upload *
upload_ref (Upload *upload)
{
  g_atomic_ref_count_inc (&upload->ref_count);
  return upload;
}

static void
upload_unref (gpointer data)
{
  Upload *upload = data;

  if (!g_atomic_ref_count_dec (&upload->ref_count))
    return;
  if (upload->fd >= 0)
    close (upload->fd);
  if (upload->path != NULL)
    g_unlink (upload->path);
  g_free (upload->path);
  g_clear_error (&upload->error);
  g_queue_clear_full (&upload->chunks, (GDestroyNotify) g_bytes_unref);
  g_mutex_clear (&upload->lock);
  g_main_context_unref (upload->context);
  g_free (upload);
}

/* ---------------------------------------------------------------------- */
/* Streaming the upload to disk                                            */

/* On a worker: writes what is queued, until the queue is empty. */
static void
upload_drain (gpointer data,
              gpointer user_data)
{
  Upload *upload = data;

  for (;;)
    {
      g_autoptr(GBytes) chunk = NULL;
      GError *error = NULL;
      gboolean failed;

      g_mutex_lock (&upload->lock);
      chunk = g_queue_pop_head (&upload->chunks);
      failed = upload->error != NULL;
      if (chunk == NULL)
        {
          GSourceFunc drained = g_steal_pointer (&upload->drained);
          gpointer drained_data = g_steal_pointer (&upload->drained_data);

          upload->draining = FALSE;
          g_mutex_unlock (&upload->lock);
          if (drained != NULL)
            g_main_context_invoke (upload->context, drained, drained_data);
          break;
        }
      g_mutex_unlock (&upload->lock);

      if (failed)
        continue;   /* the rest is read and dropped */
      if (!cabut_file_write_all (upload->fd, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk),
                                 upload->path, &error))
        {
          g_mutex_lock (&upload->lock);
          upload->error = error;
          g_mutex_unlock (&upload->lock);
        }
    }

  upload_unref (upload);
}

static GThreadPool *
upload_pool (void)
{
  static gsize pool = 0;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, (gsize) g_thread_pool_new (upload_drain, NULL, 2, FALSE, NULL));

  return (GThreadPool *) pool;
}

static void
upload_got_chunk_cb (SoupServerMessage *msg,
                     GBytes            *chunk,
                     Upload            *upload)
{
  if (upload->too_large)
    return;

  upload->size += g_bytes_get_size (chunk);
  if (upload->size > upload->limit)
    {
      /* Keep reading (a chunked body has no other end) but keep nothing:
       * what the worker still writes goes with the file. */
      upload->too_large = TRUE;
      return;
    }

  g_mutex_lock (&upload->lock);
  g_queue_push_tail (&upload->chunks, g_bytes_ref (chunk));
  if (!upload->draining)
    {
      upload->draining = TRUE;
      g_thread_pool_push (upload_pool (), upload_ref (upload), NULL);
    }
  g_mutex_unlock (&upload->lock);
}

/* Returns: %TRUE when every chunk is on disk; otherwise @drained runs in
 * the main context once it is, and %FALSE. */
static gboolean
upload_when_written (Upload      *upload,
                     GSourceFunc  drained,
                     gpointer     drained_data)
{
  gboolean written;

  g_mutex_lock (&upload->lock);
  written = !upload->draining;
  if (!written)
    {
      upload->drained = drained;
      upload->drained_data = drained_data;
    }
  g_mutex_unlock (&upload->lock);

  return written;
}

static void
upload_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  /* The temporary file goes as soon as the answer is out. */
  g_object_set_data (G_OBJECT (msg), CABUT_SERVER_UPLOAD_KEY, NULL);
}

static void
requests_early_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  CabutServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(CabutAccount) account = NULL;
  const char *auth;
  Upload *upload;

  /* This early handler takes /api/v1/requests and below from the general
   * one: every other request here is small JSON. */
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST ||
      g_strcmp0 (path, "/api/v1/requests") != 0)
    {
      cabut_server_limit_body (msg, CABUT_SERVER_MAX_JSON_BODY);
      return;
    }

  /* Whatever happens below, the body is never kept in memory: a refused
   * one is read and dropped, an accepted one goes to a file. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  /* Nobody may make us store 10 MiB without signing in first. */
  auth = soup_message_headers_get_one (headers, "Authorization");
  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    {
      g_autoptr(GError) error = NULL;

      account = cabut_session_lookup (self->db, auth + 7, cabut_server_now (), &error);
      if (error != NULL)
        {
          cabut_server_reply_gerror (msg, error);
          return;
        }
    }
  if (account == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"cabut\"");
      cabut_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                N_("Your session has ended or is not valid: sign in again"));
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) (self->max_letter_size + MULTIPART_OVERHEAD))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                N_("The letter is larger than %u MiB: scan it at a lower resolution "
                                   "or save it as a smaller PDF"),
                                (guint) (self->max_letter_size / (1024 * 1024)));
      return;
    }

  /* The handler that runs once the body is in needs not look it up again. */
  g_object_set_data_full (G_OBJECT (msg), CABUT_SERVER_ACCOUNT_KEY, g_steal_pointer (&account),
                          (GDestroyNotify) cabut_account_free);

  upload = g_new0 (Upload, 1);
  g_atomic_ref_count_init (&upload->ref_count);
  g_mutex_init (&upload->lock);
  upload->context = g_main_context_ref_thread_default ();
  upload->fd = -1;
  upload->limit = self->max_letter_size + MULTIPART_OVERHEAD;
  upload->path = g_strdup_printf ("%s/upload-%u-XXXXXX", self->upload_dir, ++self->upload_serial);
  upload->fd = g_mkstemp_full (upload->path, O_RDWR | O_CLOEXEC, 0600);
  if (upload->fd < 0)
    {
      int saved_errno = errno;
      g_set_error (&upload->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s", g_strerror (saved_errno));
      g_clear_pointer (&upload->path, g_free);
    }

  g_object_set_data_full (G_OBJECT (msg), CABUT_SERVER_UPLOAD_KEY, upload, upload_unref);
  g_signal_connect (msg, "finished", G_CALLBACK (upload_finished_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk_cb), upload);
}

void
cabut_server_requests_init (CabutServer *self)
{
  soup_server_add_early_handler (self->soup, "/api/v1/requests", requests_early_cb, self, NULL);
}

/* ---------------------------------------------------------------------- */
/* JSON                                                                    */

#define REQUEST_COLUMNS \
  "r.id, r.number, r.state, r.reason, r.note, r.letter_sha256, r.letter_type, r.letter_size, " \
  "r.key_possession, r.created_at, r.due_at, r.decided_at, c.serial, c.subject, c.issuer, " \
  "a.username, a.full_name, r.account_id"

#define REQUEST_FROM \
  " FROM requests r JOIN certificates c ON c.id = r.certificate_id JOIN accounts a ON a.id = r.account_id "

static void
add_time (JsonBuilder  *builder,
          const char   *member,
          sqlite3_stmt *stmt,
          int           column)
{
  json_builder_set_member_name (builder, member);
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    {
      json_builder_add_null_value (builder);
    }
  else
    {
      g_autofree char *text = cabut_server_iso8601 (sqlite3_column_int64 (stmt, column));
      json_builder_add_string_value (builder, text);
    }
}

static void
add_text (JsonBuilder  *builder,
          const char   *member,
          sqlite3_stmt *stmt,
          int           column)
{
  json_builder_set_member_name (builder, member);
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, column));
}

static gboolean
add_request_row (CabutServer   *self,
                 JsonBuilder   *builder,
                 sqlite3_stmt  *stmt,
                 gboolean       with_events,
                 const char    *language,
                 GError       **error)
{
  const CabutReasonInfo *reason = cabut_reason_lookup (sqlite3_column_int (stmt, 3));
  gint64 id = sqlite3_column_int64 (stmt, 0);

  json_builder_begin_object (builder);
  add_text (builder, "id", stmt, 1);
  add_text (builder, "status", stmt, 2);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason ? reason->name
                                                 : cabut_crl_reason_to_name (sqlite3_column_int (stmt, 3)));
  json_builder_set_member_name (builder, "reason_label");
  json_builder_add_string_value (builder, reason ? cabut_reason_get_label_for (reason, language) : "");
  add_text (builder, "note", stmt, 4);

  json_builder_set_member_name (builder, "certificate");
  json_builder_begin_object (builder);
  add_text (builder, "serial", stmt, 12);
  add_text (builder, "subject", stmt, 13);
  add_text (builder, "issuer", stmt, 14);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "applicant");
  json_builder_begin_object (builder);
  add_text (builder, "username", stmt, 15);
  add_text (builder, "full_name", stmt, 16);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "letter");
  json_builder_begin_object (builder);
  add_text (builder, "sha256", stmt, 5);
  add_text (builder, "type", stmt, 6);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 7));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "key_possession");
  json_builder_add_boolean_value (builder, sqlite3_column_int (stmt, 8) != 0);
  add_time (builder, "created_at", stmt, 9);
  add_time (builder, "due", stmt, 10);
  add_time (builder, "decided_at", stmt, 11);
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_boolean_value (builder,
                                  sqlite3_column_type (stmt, 11) == SQLITE_NULL &&
                                  (g_str_equal ((const char *) sqlite3_column_text (stmt, 2), "submitted") ||
                                   g_str_equal ((const char *) sqlite3_column_text (stmt, 2), "in_review")) &&
                                  sqlite3_column_int64 (stmt, 10) < cabut_server_now ());

  if (with_events)
    {
      g_autoptr(sqlite3_stmt) events = NULL;
      int rc;

      events = cabut_db_prepare (self->db,
                                 "SELECT e.id, e.at, e.kind, e.state, e.note, a.username, a.full_name, a.role "
                                 "FROM events e LEFT JOIN accounts a ON a.id = e.actor_id "
                                 "WHERE e.request_id = ? ORDER BY e.id", error);
      if (events == NULL)
        return FALSE;
      json_builder_set_member_name (builder, "events");
      json_builder_begin_array (builder);
        {
          sqlite3_bind_int64 (events, 1, id);
          while ((rc = cabut_db_step (self->db, events, error)) == SQLITE_ROW)
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "id");
              json_builder_add_int_value (builder, sqlite3_column_int64 (events, 0));
              add_time (builder, "at", events, 1);
              add_text (builder, "kind", events, 2);
              add_text (builder, "status", events, 3);
              add_text (builder, "note", events, 4);
              json_builder_set_member_name (builder, "actor");
              json_builder_begin_object (builder);
              add_text (builder, "username", events, 5);
              add_text (builder, "full_name", events, 6);
              add_text (builder, "role", events, 7);
              json_builder_end_object (builder);
              json_builder_end_object (builder);
            }
          /* A timeline with events missing is no answer. */
          if (rc != SQLITE_DONE)
            return FALSE;
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);

  return TRUE;
}

/**
 * cabut_server_request_to_json:
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with @error
 *   set (a request that is not there is an error too: the caller knows it
 *   should be)
 */
JsonNode *
cabut_server_request_to_json (CabutServer  *self,
                              gint64        request_id,
                              gboolean      with_events,
                              const char   *language,
                              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  stmt = cabut_db_prepare (self->db, "SELECT " REQUEST_COLUMNS REQUEST_FROM "WHERE r.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, request_id);
  switch (cabut_db_step (self->db, stmt, error))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, "Request %" G_GINT64_FORMAT " is gone",
                   request_id);
      return NULL;
    default:
      return NULL;
    }

  if (!add_request_row (self, builder, stmt, with_events, language, error))
    return NULL;

  return json_builder_get_root (builder);
}

static void
reply_request (CabutServer         *self,
               CabutRequestContext *ctx,
               guint                status,
               gint64               request_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = cabut_server_request_to_json (self, request_id, TRUE, ctx->language, &error);

  if (node == NULL)
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }

  cabut_server_reply_json (ctx->msg, status, node);
}

/* ---------------------------------------------------------------------- */
/* Filing a request                                                        */

/* Letters are stored under their SHA-256, never under a name the client
 * chose; written to a temporary file, fsynced, renamed, and the folder
 * fsynced (cabut_file_write_durably), before the request row is
 * committed. */
static char *
store_letter (CabutServer  *self,
              GBytes       *letter,
              GError      **error)
{
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, letter);
  g_autofree char *path = g_build_filename (self->letters_dir, sha256, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !cabut_file_write_durably (path, letter, 0600, error))
    return NULL;

  return g_steal_pointer (&sha256);
}

/* Returns: whether the lookup could be made; @number is then the number
 * of the certificate's undecided request, or %NULL when it has none. */
static gboolean
find_open_request (CabutDb      *db,
                   gint64        certificate_id,
                   char        **number,
                   GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *number = NULL;
  stmt = cabut_db_prepare (db,
                           "SELECT number FROM requests WHERE certificate_id = ? "
                           "AND state IN ('submitted', 'in_review')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, certificate_id);

  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      *number = cabut_db_column_text (stmt, 0);
      return TRUE;
    case SQLITE_DONE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Whether the request @id was filed with this metadata and letter: a retry,
 * not another request under a reused key. Rows from before schema 3 have
 * no metadata digest; their letter decides. */
static gboolean
same_filing (CabutDb      *db,
             gint64       id,
             const char  *metadata_sha256,
             const char  *letter_sha256,
             gboolean    *same,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *stored_metadata;

  stmt = cabut_db_prepare (db, "SELECT metadata_sha256, letter_sha256 FROM requests WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (cabut_db_step (db, stmt, error) != SQLITE_ROW)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, "Request %" G_GINT64_FORMAT " is gone", id);
      return FALSE;
    }

  stored_metadata = (const char *) sqlite3_column_text (stmt, 0);
  *same = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), letter_sha256) == 0 &&
          (stored_metadata == NULL || g_strcmp0 (stored_metadata, metadata_sha256) == 0);

  return TRUE;
}

static void
reply_key_reused (SoupServerMessage *msg)
{
  cabut_server_reply_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "idempotency_key_reused",
                            N_("This Idempotency-Key was used for a different request: a new request needs "
                               "a new key"));
}

/* Returns: the request's id, 0 when the key is new, -1 with @error set
 * when the database cannot say. */
static gint64
find_by_idempotency_key (CabutDb      *db,
                         gint64        account_id,
                         const char   *key,
                         GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "SELECT id FROM requests WHERE account_id = ? AND idempotency_key = ?",
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);

  return cabut_db_step_id (db, stmt, error);
}

static gboolean
insert_event (CabutDb      *db,
              gint64        request_id,
              gint64        actor_id,
              const char   *kind,
              const char   *state,
              const char   *note,
              gint64        at,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "INSERT INTO events (request_id, at, actor_id, kind, state, note) "
                           "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, request_id);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_int64 (stmt, 3, actor_id);
  sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, note, -1, SQLITE_TRANSIENT);

  return cabut_db_step_done (db, stmt, error);
}

typedef struct
{
  GBytes *metadata;
  GBytes *letter;
  GBytes *signature;
} Parts;

static void
parts_clear (Parts *parts)
{
  g_clear_pointer (&parts->metadata, g_bytes_unref);
  g_clear_pointer (&parts->letter, g_bytes_unref);
  g_clear_pointer (&parts->signature, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parts, parts_clear)

static gboolean
read_parts (SoupServerMessage *msg,
            GBytes            *body,
            Parts             *parts)
{
  SoupMultipart *multipart;

  multipart = soup_multipart_new_from_message (soup_server_message_get_request_headers (msg), body);
  if (multipart == NULL)
    return FALSE;

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers = NULL;
      GBytes *part = NULL;
      g_autoptr(GHashTable) params = NULL;
      const char *name;

      if (!soup_multipart_get_part (multipart, i, &headers, &part) ||
          !soup_message_headers_get_content_disposition (headers, NULL, &params))
        continue;

      name = g_hash_table_lookup (params, "name");
      if (g_strcmp0 (name, "metadata") == 0 && parts->metadata == NULL)
        parts->metadata = g_bytes_ref (part);
      else if (g_strcmp0 (name, "letter") == 0 && parts->letter == NULL)
        parts->letter = g_bytes_ref (part);
      else if (g_strcmp0 (name, "signature") == 0 && parts->signature == NULL)
        parts->signature = g_bytes_ref (part);
    }

  soup_multipart_free (multipart);

  return parts->metadata != NULL && parts->letter != NULL;
}

typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;
  char              *language;
  gint64             certificate_id;
  int                reason;
  char              *note;
  char              *key;
  GBytes            *letter;
  const char        *letter_type;
  gboolean           key_possession;
  char              *sha256;
  char              *metadata_sha256;
  char              *remote;
  gint64             now;
  gint64             due;
  int                year;
  /* what the writer thread found */
  gint64             existing;       /* the request under the same key */
  gboolean           same;           /* …filed with the same body */
  char              *open_number;    /* the certificate's undecided request */
  gint64             request_id;
  char              *number;
} Filing;

static void
filing_free (Filing *filing)
{
  g_clear_object (&filing->server);
  g_clear_object (&filing->msg);
  g_clear_pointer (&filing->account, cabut_account_free);
  g_clear_pointer (&filing->letter, g_bytes_unref);
  g_free (filing->language);
  g_free (filing->note);
  g_free (filing->key);
  g_free (filing->sha256);
  g_free (filing->metadata_sha256);
  g_free (filing->remote);
  g_free (filing->open_number);
  g_free (filing->number);
  g_free (filing);
}

static void
store_letter_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Filing *filing = task_data;
  GError *error = NULL;

  if ((filing->sha256 = store_letter (filing->server, filing->letter, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* On the writer thread: records a filing whose letter is safely on disk —
 * the row, its event and its audit entry in one transaction — or finds
 * why not (the key's earlier request, the certificate's open one). */
static gboolean
write_filing (CabutDb   *db,
              gpointer   data,
              GError   **error)
{
  Filing *filing = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* While the letter was written, a retry or another filing may have won:
   * the same body is that request, another body under the key is refused. */
  if (filing->key != NULL &&
      (filing->existing = find_by_idempotency_key (db, filing->account->id, filing->key, error)) != 0)
    return filing->existing > 0 &&
           same_filing (db, filing->existing, filing->metadata_sha256, filing->sha256, &filing->same, error);
  if (!find_open_request (db, filing->certificate_id, &filing->open_number, error))
    return FALSE;
  if (filing->open_number != NULL)
    return TRUE;

  stmt = cabut_db_prepare (db,
                           "INSERT INTO requests (number, account_id, certificate_id, reason, note, "
                           "letter_sha256, letter_type, letter_size, key_possession, state, "
                           "idempotency_key, created_at, due_at, metadata_sha256) "
                           "VALUES ('pending', ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, filing->account->id);
  sqlite3_bind_int64 (stmt, 2, filing->certificate_id);
  sqlite3_bind_int (stmt, 3, filing->reason);
  sqlite3_bind_text (stmt, 4, filing->note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, filing->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, filing->letter_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, g_bytes_get_size (filing->letter));
  sqlite3_bind_int (stmt, 8, filing->key_possession);
  sqlite3_bind_text (stmt, 9, filing->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 10, filing->now);
  sqlite3_bind_int64 (stmt, 11, filing->due);
  sqlite3_bind_text (stmt, 12, filing->metadata_sha256, -1, SQLITE_TRANSIENT);
  /* The database holds the one-open-request rule too (requests_one_open):
   * a constraint error here means another filing got there first. */
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  filing->request_id = cabut_db_last_insert_id (db);
  filing->number = g_strdup_printf ("CBT-%d-%06" G_GINT64_FORMAT, filing->year, filing->request_id);
  stmt = cabut_db_prepare (db, "UPDATE requests SET number = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, filing->number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, filing->request_id);

  /* The audit row commits with what it records, or nothing does. */
  return cabut_db_step_done (db, stmt, error) &&
         insert_event (db, filing->request_id, filing->account->id, "submitted", "submitted", filing->note,
                       filing->now, error) &&
         cabut_server_audit_row (db, filing->account->id, "request.create", filing->number, filing->remote,
                                 filing->key_possession ? "key possession proven" : NULL, error);
}

static void
filing_recorded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Filing *filing = user_data;
  SoupServerMessage *msg = filing->msg;
  CabutRequestContext ctx = { filing->server, msg, filing->account, filing->language };
  g_autoptr(GError) error = NULL;

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      if (g_error_matches (error, CABUT_DB_ERROR, CABUT_DB_ERROR_CONSTRAINT))
        cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "already_requested",
                                  N_("A request to revoke this certificate is already being processed"));
      else
        cabut_server_reply_gerror (msg, error);
    }
  else if (filing->existing > 0 && !filing->same)
    {
      reply_key_reused (msg);
    }
  else if (filing->existing > 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Idempotent-Replayed", "true");
      reply_request (filing->server, &ctx, SOUP_STATUS_OK, filing->existing);
    }
  else if (filing->open_number != NULL)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "already_requested",
                                N_("A request to revoke this certificate is already being processed: %s"),
                                filing->open_number);
    }
  else
    {
      cabut_server_events_changed (filing->server);
      reply_request (filing->server, &ctx, SOUP_STATUS_CREATED, filing->request_id);
    }

  soup_server_message_unpause (msg);
  filing_free (filing);
}

static void
letter_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Filing *filing = user_data;
  CabutServer *self = filing->server;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) due = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      cabut_server_reply_gerror (filing->msg, error);
      soup_server_message_unpause (filing->msg);
      filing_free (filing);
      return;
    }

  filing->now = cabut_server_now ();
  now = g_date_time_new_from_unix_utc (filing->now);
  due = cabut_calendar_get_deadline (self->calendar, now, 1);
  filing->due = g_date_time_to_unix (due);
  /* The year as the service's own calendar has it, not UTC's. */
  local = g_date_time_to_timezone (now, cabut_calendar_get_timezone (self->calendar));
  filing->year = g_date_time_get_year (local);
  filing->remote = g_strdup (cabut_server_remote_of (filing->msg));

  cabut_db_write_async (self->db, write_filing, filing, filing_recorded_cb, filing);
}

typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;
  char              *language;
  gint64             existing;
  char              *metadata_sha256;
  GBytes            *letter;
  char              *letter_sha256;
} Replay;

static void
replay_free (Replay *replay)
{
  g_clear_object (&replay->server);
  g_clear_object (&replay->msg);
  g_clear_pointer (&replay->account, cabut_account_free);
  g_free (replay->language);
  g_free (replay->metadata_sha256);
  g_clear_pointer (&replay->letter, g_bytes_unref);
  g_free (replay->letter_sha256);
  g_free (replay);
}

static void
replay_hash_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Replay *replay = task_data;

  replay->letter_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, replay->letter);
  g_task_return_boolean (task, TRUE);
}

static void
replay_hashed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Replay *replay = g_task_get_task_data (G_TASK (result));
  CabutServer *self = replay->server;
  CabutRequestContext ctx = { self, replay->msg, replay->account, replay->language };
  g_autoptr(GError) error = NULL;
  gboolean same = FALSE;

  if (!same_filing (self->db, replay->existing, replay->metadata_sha256, replay->letter_sha256, &same, &error))
    cabut_server_reply_gerror (replay->msg, error);
  else if (!same)
    reply_key_reused (replay->msg);
  else
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (replay->msg),
                                    "Idempotent-Replayed", "true");
      reply_request (self, &ctx, SOUP_STATUS_OK, replay->existing);
    }
  soup_server_message_unpause (replay->msg);
}

/* A filing whose last chunks were still being written when its body was
 * read: it resumes once they are on disk. */
typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;
  char              *language;
} Pending;

static void create_request (CabutServer *self, CabutRequestContext *ctx);

static Pending *
pending_new (CabutServer         *self,
             CabutRequestContext *ctx)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->server = g_object_ref (self);
  pending->msg = g_object_ref (ctx->msg);
  pending->account = g_steal_pointer (&ctx->account);
  pending->language = g_strdup (ctx->language);

  return pending;
}

/* Returns: (transfer full): the account, which the caller takes back */
static CabutAccount *
pending_free (Pending *pending)
{
  CabutAccount *account = g_steal_pointer (&pending->account);

  g_object_unref (pending->msg);
  g_object_unref (pending->server);
  g_free (pending->language);
  g_free (pending);

  return account;
}

static gboolean
create_request_again (gpointer data)
{
  Pending *pending = data;
  CabutRequestContext ctx = { pending->server, pending->msg, NULL, pending->language };

  ctx.account = g_steal_pointer (&pending->account);
  soup_server_message_unpause (pending->msg);
  create_request (pending->server, &ctx);
  g_clear_pointer (&ctx.account, cabut_account_free);
  cabut_account_free (pending_free (pending));

  return G_SOURCE_REMOVE;
}

static void
create_request (CabutServer         *self,
                CabutRequestContext *ctx)
{
  SoupServerMessage *msg = ctx->msg;
  Upload *upload = g_object_get_data (G_OBJECT (msg), CABUT_SERVER_UPLOAD_KEY);
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Idempotency-Key");
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(CabutDn) sent_dn = NULL;
  g_autoptr(CabutDn) registered_dn = NULL;
  g_autoptr(GBytes) subject_der = NULL;
  g_autoptr(CabutCertificate) registered = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *open_number = NULL;
  g_auto(Parts) parts = { 0 };
  Filing *filing;
  const CabutReasonInfo *reason;
  JsonObject *metadata;
  const char *serial;
  const char *subject;
  const char *note;
  const char *letter_type;
  gint64 certificate_id;
  gint64 existing = 0;
  gboolean key_possession = FALSE;
  int rc;

  if (key != NULL && (strlen (key) == 0 || strlen (key) > MAX_IDEMPOTENCY_KEY))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The Idempotency-Key header must hold 1 to 200 characters"));
      return;
    }

  if (upload != NULL && upload->path != NULL && !upload->too_large)
    {
      Pending *pending = pending_new (self, ctx);

      if (!upload_when_written (upload, create_request_again, pending))
        {
          /* The last chunks are still going to disk. */
          g_debug ("A filing waits for the last chunks of its letter to reach the disk");
          soup_server_message_pause (msg);
          return;
        }
      ctx->account = pending_free (pending);
    }

  if (upload == NULL || upload->error != NULL || upload->path == NULL)
    {
      if (upload != NULL && upload->error != NULL)
        {
          cabut_server_reply_gerror (msg, upload->error);
          return;
        }
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The request must be multipart/form-data with a metadata part "
                                   "and a letter part"));
      return;
    }
  if (upload->too_large)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                N_("The letter is larger than %u MiB: scan it at a lower resolution "
                                   "or save it as a smaller PDF"),
                                (guint) (self->max_letter_size / (1024 * 1024)));
      return;
    }
  if (close (upload->fd) != 0)
    {
      int saved_errno = errno;

      upload->fd = -1;
      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s", g_strerror (saved_errno));
      cabut_server_reply_gerror (msg, error);
      return;
    }
  upload->fd = -1;

  mapped = g_mapped_file_new (upload->path, FALSE, &error);
  if (mapped == NULL)
    {
      cabut_server_reply_gerror (msg, error);
      return;
    }
  body = g_mapped_file_get_bytes (mapped);

  if (!read_parts (msg, body, &parts))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The request must be multipart/form-data with a metadata part "
                                   "and a letter part"));
      return;
    }

  /* A retry of a request that already went through gets the same answer —
   * if it is the same request: its letter is hashed in a worker first. The
   * checks below (one open request, not revoked) would refuse a retry. */
  if (key != NULL && (existing = find_by_idempotency_key (self->db, ctx->account->id, key, &error)) < 0)
    {
      cabut_server_reply_gerror (msg, error);
      return;
    }
  if (existing > 0)
    {
      Replay *replay = g_new0 (Replay, 1);

      replay->server = g_object_ref (self);
      replay->msg = g_object_ref (msg);
      replay->account = g_steal_pointer (&ctx->account);
      replay->language = g_strdup (ctx->language);
      replay->existing = existing;
      replay->metadata_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, parts.metadata);
      replay->letter = g_bytes_ref (parts.letter);
      task = g_task_new (NULL, NULL, replay_hashed_cb, NULL);
      g_task_set_task_data (task, replay, (GDestroyNotify) replay_free);
      soup_server_message_pause (msg);
      g_task_run_in_thread (task, replay_hash_thread);
      return;
    }

  /* The 64 KiB cap of the JSON endpoints does not hold for a part. */
  root = cabut_json_parse (g_bytes_get_data (parts.metadata, NULL), g_bytes_get_size (parts.metadata),
                           &error);
  if (g_error_matches (error, CABUT_JSON_ERROR, CABUT_JSON_ERROR_TOO_DEEP))
    {
      cabut_server_reply_too_deep (msg);
      return;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The request’s metadata is not a valid JSON object"));
      return;
    }
  metadata = json_node_get_object (root);
  serial = json_object_get_string_member_with_default (metadata, "serial", NULL);
  subject = json_object_get_string_member_with_default (metadata, "subject", NULL);
  note = json_object_get_string_member_with_default (metadata, "note", NULL);
  reason = cabut_reason_lookup_name (json_object_get_string_member_with_default (metadata, "reason", ""));

  if (serial == NULL || subject == NULL)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The request must name the certificate’s serial number and Subject DN"));
      return;
    }
  if (reason == NULL || (reason->operator_only && !cabut_account_is_operator (ctx->account)))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_reason",
                                N_("Choose one of the revocation reasons the service offers"));
      return;
    }
  if (note != NULL && g_utf8_strlen (note, -1) > MAX_NOTE_LENGTH)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The note is longer than %d characters"), MAX_NOTE_LENGTH);
      return;
    }
  if (note != NULL && !g_utf8_validate (note, -1, NULL))
    note = NULL;

  /* The certificate must be registered to this account, with this DN. */
  stmt = cabut_db_prepare (self->db,
                           "SELECT id, subject_der, status, cert_der FROM certificates "
                           "WHERE serial = ? AND account_id = ?", &error);
  if (stmt == NULL)
    {
      cabut_server_reply_gerror (msg, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, ctx->account->id);
  if ((rc = cabut_db_step (self->db, stmt, &error)) != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        {
          cabut_server_reply_gerror (msg, error);
          return;
        }
      cabut_server_audit_later (self, msg, ctx->account, "request.refused", serial, "not registered to account");
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "not_your_certificate",
                                N_("The certificate with serial number %s is not registered to your "
                                   "account. You can only revoke your own certificates."), serial);
      return;
    }
  certificate_id = sqlite3_column_int64 (stmt, 0);
  subject_der = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  if (sqlite3_column_type (stmt, 3) == SQLITE_BLOB)
    {
      g_autoptr(GBytes) der = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
      registered = cabut_certificate_new_from_bytes (der, NULL, NULL);
    }
  if (g_str_equal ((const char *) sqlite3_column_text (stmt, 2), "revoked"))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "already_revoked",
                                N_("This certificate is already revoked"));
      return;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  sent_dn = cabut_dn_new_from_string (subject, NULL);
  registered_dn = cabut_dn_new_from_der (subject_der, NULL);
  if (sent_dn == NULL || registered_dn == NULL || !cabut_dn_equal (sent_dn, registered_dn))
    {
      cabut_server_audit_later (self, msg, ctx->account, "request.refused", serial, "subject DN mismatch");
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "dn_mismatch",
                                N_("The Subject DN you sent does not match the certificate registered "
                                   "to your account. Check that you chose the right certificate file."));
      return;
    }

  /* One open request per certificate (checked again when it is recorded). */
  if (!find_open_request (self->db, certificate_id, &open_number, &error))
    {
      cabut_server_reply_gerror (msg, error);
      return;
    }
  if (open_number != NULL)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "already_requested",
                                N_("A request to revoke this certificate is already being processed: %s"),
                                open_number);
      return;
    }

  /* The letter: a real PDF, JPEG or PNG within the limit. */
  if (g_bytes_get_size (parts.letter) == 0)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "empty_letter",
                                N_("The statement letter is empty"));
      return;
    }
  if (g_bytes_get_size (parts.letter) > self->max_letter_size)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                N_("The letter is larger than %u MiB: scan it at a lower resolution "
                                   "or save it as a smaller PDF"),
                                (guint) (self->max_letter_size / (1024 * 1024)));
      return;
    }
  letter_type = cabut_letter_sniff_type (parts.letter);
  if (letter_type == NULL)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_letter",
                                N_("The statement letter must be a PDF, JPEG or PNG file"));
      return;
    }

  /* Proof of key possession: a signature over the metadata part. */
  if (parts.signature != NULL)
    {
      g_autofree guchar *sig = NULL;
      g_autofree char *text = g_strndup (g_bytes_get_data (parts.signature, NULL),
                                         g_bytes_get_size (parts.signature));
      g_autoptr(GBytes) sig_bytes = NULL;
      gsize sig_len = 0;

      sig = g_base64_decode (g_strstrip (text), &sig_len);
      sig_bytes = g_bytes_new (sig, sig_len);
      if (registered == NULL || sig_len == 0 ||
          !cabut_certificate_verify_signature (registered, parts.metadata, sig_bytes))
        {
          cabut_server_audit_later (self, msg, ctx->account, "request.refused", serial, "bad key signature");
          cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "bad_signature",
                                    N_("The signature was not made with this certificate’s private key"));
          return;
        }
      key_possession = TRUE;
    }

  /* Hashing and durably writing up to 10 MiB happens in a worker; the
   * row is recorded back on the main thread, which owns the database. */
  filing = g_new0 (Filing, 1);
  filing->server = g_object_ref (self);
  filing->msg = g_object_ref (msg);
  filing->account = g_steal_pointer (&ctx->account);
  filing->language = g_strdup (ctx->language);
  filing->certificate_id = certificate_id;
  filing->reason = reason->code;
  filing->note = g_strdup (note);
  filing->key = g_strdup (key);
  filing->letter = g_bytes_ref (parts.letter);
  filing->letter_type = letter_type;
  filing->key_possession = key_possession;
  filing->metadata_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, parts.metadata);

  /* The filing is letter_stored_cb's to free. */
  task = g_task_new (NULL, NULL, letter_stored_cb, filing);
  g_task_set_task_data (task, filing, NULL);
  soup_server_message_pause (msg);
  g_task_run_in_thread (task, store_letter_thread);
}

/* ---------------------------------------------------------------------- */
/* Reading and deciding                                                    */

typedef struct
{
  gint64  id;
  gint64  account_id;
  gint64  certificate_id;
  int     reason;
  char   *state;
  char   *number;
  char   *letter_sha256;
  char   *letter_type;
  gint64  created_at;
} RequestRow;

static void
request_row_clear (RequestRow *row)
{
  g_clear_pointer (&row->state, g_free);
  g_clear_pointer (&row->number, g_free);
  g_clear_pointer (&row->letter_sha256, g_free);
  g_clear_pointer (&row->letter_type, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RequestRow, request_row_clear)

/* Finds a request the account may see: its own, or any for an operator.
 * Others' requests do not exist, as far as the answer tells. */
static gboolean
find_request (CabutServer         *self,
              CabutRequestContext *ctx,
              const char          *number,
              RequestRow          *row)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  int rc = SQLITE_ERROR;

  stmt = cabut_db_prepare (self->db,
                           "SELECT id, account_id, certificate_id, reason, state, number, letter_sha256, "
                           "letter_type, created_at FROM requests WHERE number = ?", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
      rc = cabut_db_step (self->db, stmt, &error);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return FALSE;
    }
  if (rc == SQLITE_ROW &&
      (cabut_account_is_operator (ctx->account) || sqlite3_column_int64 (stmt, 1) == ctx->account->id))
    {
      row->id = sqlite3_column_int64 (stmt, 0);
      row->account_id = sqlite3_column_int64 (stmt, 1);
      row->certificate_id = sqlite3_column_int64 (stmt, 2);
      row->reason = sqlite3_column_int (stmt, 3);
      row->state = cabut_db_column_text (stmt, 4);
      row->number = cabut_db_column_text (stmt, 5);
      row->letter_sha256 = cabut_db_column_text (stmt, 6);
      row->letter_type = cabut_db_column_text (stmt, 7);
      row->created_at = sqlite3_column_int64 (stmt, 8);
      return TRUE;
    }

  cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "not_found",
                            N_("There is no request %s"), number);
  return FALSE;
}

static gboolean
is_open (const RequestRow *row)
{
  return g_str_equal (row->state, "submitted") || g_str_equal (row->state, "in_review");
}

/* Moves the request on from the state it was read in, and only from it:
 * what the database holds decides, so two decisions cannot both land. */
static gboolean
set_state (CabutDb      *db,
           RequestRow   *row,
           const char   *state,
           gboolean      decided,
           gboolean     *moved,
           GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           decided ? "UPDATE requests SET state = ?, decided_at = ? WHERE id = ? AND state = ?"
                                   : "UPDATE requests SET state = ?, decided_at = NULL + ? WHERE id = ? "
                                     "AND state = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, cabut_server_now ());
  sqlite3_bind_int64 (stmt, 3, row->id);
  sqlite3_bind_text (stmt, 4, row->state, -1, SQLITE_TRANSIENT);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  *moved = sqlite3_changes (cabut_db_get_handle (db)) == 1;

  return TRUE;
}

static gboolean
revoke_certificate (CabutDb      *db,
                    RequestRow   *row,
                    gint64        now,
                    GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "UPDATE certificates SET status = 'revoked', revoked_at = ?, "
                           "revocation_reason = ?, invalidity_date = ? WHERE id = ? AND status = 'valid'",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, row->reason);
  /* For a compromised key, the applicant knew no later than when they asked. */
  if (row->reason == CABUT_REASON_KEY_COMPROMISE)
    sqlite3_bind_int64 (stmt, 3, row->created_at);
  sqlite3_bind_int64 (stmt, 4, row->certificate_id);

  return cabut_db_step_done (db, stmt, error);
}

static gboolean
has_text (const char *note)
{
  g_autofree char *trimmed = note != NULL ? g_strstrip (g_strdup (note)) : NULL;

  return trimmed != NULL && *trimmed != '\0';
}

typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;
  char              *language;
  RequestRow         row;
  const char        *new_state;   /* static */
  char              *action;
  char              *note;
  char              *remote;
  gint64             now;
  gboolean           moved;       /* set on the writer thread */
} Decision;

static void
decision_free (Decision *decision)
{
  soup_server_message_unpause (decision->msg);
  g_object_unref (decision->msg);
  g_object_unref (decision->server);
  cabut_account_free (decision->account);
  request_row_clear (&decision->row);
  g_free (decision->language);
  g_free (decision->action);
  g_free (decision->note);
  g_free (decision->remote);
  g_free (decision);
}

/* On the writer thread: the decision, its event and its audit row commit
 * together, or none does. */
static gboolean
record_decision (CabutDb   *db,
                 gpointer   data,
                 GError   **error)
{
  Decision *decision = data;
  g_autofree char *audit_action = g_strconcat ("request.", decision->action, NULL);

  if (!set_state (db, &decision->row, decision->new_state, !g_str_equal (decision->new_state, "in_review"),
                  &decision->moved, error))
    return FALSE;
  if (!decision->moved)
    return TRUE;   /* decided meanwhile: nothing written */

  return (!g_str_equal (decision->new_state, "revoked") ||
          revoke_certificate (db, &decision->row, decision->now, error)) &&
         insert_event (db, decision->row.id, decision->account->id, decision->action, decision->new_state,
                       decision->note, decision->now, error) &&
         cabut_server_audit_row (db, decision->account->id, audit_action, decision->row.number,
                                 decision->remote, decision->note, error);
}

static void
decision_reply (Decision *decision)
{
  CabutRequestContext ctx = { decision->server, decision->msg, decision->account, decision->language };

  reply_request (decision->server, &ctx, SOUP_STATUS_OK, decision->row.id);
  decision_free (decision);
}

static void
decision_crl_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  /* Should the CRL fail, the revocation stands (OCSP says so already) and
   * the next GET of the CRL tries again; the failure was logged. */
  cabut_server_publish_crl_finish (CABUT_SERVER (object), result, NULL);
  decision_reply (user_data);
}

static void
decision_recorded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Decision *decision = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      cabut_server_reply_gerror (decision->msg, error);
      decision_free (decision);
      return;
    }
  if (!decision->moved)
    {
      /* Decided meanwhile by someone else: say so. */
      cabut_server_reply_error (decision->msg, SOUP_STATUS_CONFLICT, "wrong_state",
                                N_("Request %s was changed meanwhile; load it again"), decision->row.number);
      decision_free (decision);
      return;
    }

  cabut_server_events_changed (decision->server);
  if (g_str_equal (decision->new_state, "revoked"))
    {
      /* The CA publishes at once: the answer comes with a CRL that lists it. */
      cabut_server_publish_crl_async (decision->server, decision_crl_cb, decision);
      return;
    }
  decision_reply (decision);
}

static void
decide (CabutServer         *self,
        CabutRequestContext *ctx,
        RequestRow          *row,
        const char          *action)
{
  SoupServerMessage *msg = ctx->msg;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *note = NULL;
  const char *new_state;
  gint64 now = cabut_server_now ();
  gboolean operator_action = !g_str_equal (action, "cancel");

  if (operator_action && !cabut_account_is_operator (ctx->account))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                N_("Only a verification officer may do this"));
      return;
    }
  if (!operator_action && row->account_id != ctx->account->id)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                N_("Only the applicant may cancel a request"));
      return;
    }
  if (operator_action && row->account_id == ctx->account->id)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "own_request",
                                N_("Another officer must decide on your own request"));
      return;
    }

  if (soup_server_message_get_request_body (msg)->length > 0)
    {
      if ((body = cabut_server_read_json (msg)) == NULL)
        return;
      note = json_object_get_string_member_with_default (body, "note", NULL);
      if (note != NULL && (g_utf8_strlen (note, -1) > MAX_NOTE_LENGTH || !g_utf8_validate (note, -1, NULL)))
        {
          cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                    N_("The note is longer than %d characters"), MAX_NOTE_LENGTH);
          return;
        }
    }

  if (g_str_equal (action, "reject") && !has_text (note))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "note_required",
                                N_("Say why the request is rejected, so the applicant can put it right"));
      return;
    }

  if (g_str_equal (action, "review"))
    {
      if (!g_str_equal (row->state, "submitted"))
        goto wrong_state;
      new_state = "in_review";
    }
  else if (g_str_equal (action, "approve"))
    {
      if (!is_open (row))
        goto wrong_state;
      new_state = "revoked";
    }
  else if (g_str_equal (action, "reject"))
    {
      if (!is_open (row))
        goto wrong_state;
      new_state = "rejected";
    }
  else
    {
      if (!is_open (row))
        goto wrong_state;
      new_state = "cancelled";
    }

  /* The decision is written on the database's writer thread; the answer
   * waits for it (and, for a revocation, for the CRL that lists it), the
   * main loop does not. */
  {
    Decision *decision = g_new0 (Decision, 1);

    decision->server = g_object_ref (self);
    decision->msg = g_object_ref (msg);
    decision->account = g_steal_pointer (&ctx->account);
    decision->language = g_strdup (ctx->language);
    decision->row = *row;
    memset (row, 0, sizeof *row);
    decision->new_state = new_state;
    decision->action = g_strdup (action);
    decision->note = g_strdup (note);
    decision->remote = g_strdup (cabut_server_remote_of (msg));
    decision->now = now;
    soup_server_message_pause (msg);
    cabut_db_write_async (self->db, record_decision, decision, decision_recorded_cb, decision);
  }
  return;

wrong_state:
  cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "wrong_state",
                            N_("Request %s is already %s"), row->number, row->state);
}

static void
send_letter (CabutServer         *self,
             CabutRequestContext *ctx,
             RequestRow          *row)
{
  g_autofree char *path = g_build_filename (self->letters_dir, row->letter_sha256, NULL);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *disposition = NULL;
  const char *ext = cabut_letter_type_extension (row->letter_type);

  if ((mapped = g_mapped_file_new (path, FALSE, &error)) == NULL)
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }

  bytes = g_mapped_file_get_bytes (mapped);
  disposition = g_strdup_printf ("attachment; filename=\"%s.%s\"", row->number, ext);
  soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg),
                                "Content-Disposition", disposition);
  soup_server_message_set_status (ctx->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (ctx->msg, row->letter_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* ---------------------------------------------------------------------- */
/* Listing, a page at a time                                               */

/* Keyset pagination: a page is the rows after the cursor in a fixed order,
 * found through an index, so the first page and the thousandth cost the
 * same. The queue goes by (due, id), soonest first; an applicant's list by
 * (created, id), newest first. The cursor is opaque to clients. */
#define PAGE_DEFAULT 50
#define PAGE_MAX     200
#define SEARCH_MAX   200

typedef struct
{
  gboolean    queue;        /* the officers' queue, or the applicant's own list */
  const char *state;        /* "open", "all" or one state */
  const char *search;       /* nullable */
  guint       limit;
  gboolean    has_cursor;
  gint64      cursor_key;   /* due_at or created_at */
  gint64      cursor_id;
} Listing;

static char *
cursor_encode (gint64 key,
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

/* Reads ?state=, ?q=, ?limit= and ?cursor=; answers 400 and returns
 * %FALSE when one is not valid. */
static gboolean
parse_listing (CabutRequestContext *ctx,
               GHashTable          *query,
               Listing             *listing)
{
  static const char * const states[] = { "open", "all", "submitted", "in_review", "revoked", "rejected",
                                         "cancelled", NULL };
  const char *limit = query ? g_hash_table_lookup (query, "limit") : NULL;
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
  guint64 value = PAGE_DEFAULT;

  listing->state = query ? g_hash_table_lookup (query, "state") : NULL;
  if (listing->state == NULL)
    listing->state = listing->queue ? "open" : "all";
  if (!g_strv_contains (states, listing->state))
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The state must be one of: open, all, submitted, in_review, revoked, "
                                   "rejected, cancelled"));
      return FALSE;
    }

  listing->search = query ? g_hash_table_lookup (query, "q") : NULL;
  if (listing->search != NULL && *listing->search == '\0')
    listing->search = NULL;
  if (listing->search != NULL &&
      (!g_utf8_validate (listing->search, -1, NULL) || g_utf8_strlen (listing->search, -1) > SEARCH_MAX))
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The search is longer than %d characters"), SEARCH_MAX);
      return FALSE;
    }

  if (limit != NULL && !g_ascii_string_to_unsigned (limit, 10, 1, PAGE_MAX, &value, NULL))
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The page size must be a number from 1 to %d"), PAGE_MAX);
      return FALSE;
    }
  listing->limit = value;

  if (cursor != NULL)
    {
      if (!cursor_decode (cursor, &listing->cursor_key, &listing->cursor_id))
        {
          cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "bad_cursor",
                                    N_("This page cursor is not one the service gave: start again from "
                                       "the first page"));
          return FALSE;
        }
      listing->has_cursor = TRUE;
    }

  return TRUE;
}

/* The page: every row of it or an error (never a shorter page), and the
 * cursor of the next one when there is more. */
static void
reply_page (CabutServer         *self,
            CabutRequestContext *ctx,
            const Listing       *listing)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " REQUEST_COLUMNS);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *like = NULL;
  g_autofree char *upper = NULL;
  gint64 last_key = 0, last_id = 0;
  guint rows = 0;
  int param = 1;
  int rc;

  /* The same terms as the partial and plain indexes (migrations 4 and 5),
   * so SQLite walks an index in order and stops at the page's end. Without
   * statistics the planner would sort every open request for the open
   * queue: that one is named. */
  if (listing->queue && g_str_equal (listing->state, "open") && listing->search == NULL)
    g_string_append (sql, " FROM requests r INDEXED BY requests_open_due "
                          "JOIN certificates c ON c.id = r.certificate_id JOIN accounts a ON a.id = r.account_id "
                          "WHERE ");
  else
    g_string_append (sql, REQUEST_FROM "WHERE ");
  if (listing->queue)
    g_string_append (sql, "1 ");
  else
    g_string_append (sql, "r.account_id = :account ");
  if (g_str_equal (listing->state, "open"))
    g_string_append (sql, "AND r.state IN ('submitted', 'in_review') ");
  else if (!g_str_equal (listing->state, "all"))
    g_string_append (sql, "AND r.state = :state ");
  if (listing->search != NULL)
    g_string_append (sql, "AND r.id IN (SELECT id FROM requests WHERE number = :q "
                          "UNION SELECT r2.id FROM certificates c2 JOIN requests r2 ON r2.certificate_id = c2.id "
                          "WHERE c2.serial = :upper "
                          "UNION SELECT r3.id FROM accounts a3 JOIN requests r3 ON r3.account_id = a3.id "
                          "WHERE a3.nip = :q OR a3.nik = :q OR a3.full_name LIKE :like ESCAPE '\\') ");
  if (listing->queue)
    g_string_append (sql, listing->has_cursor ? "AND (r.due_at, r.id) > (:key, :id) ORDER BY r.due_at, r.id "
                                              : "ORDER BY r.due_at, r.id ");
  else
    g_string_append (sql, listing->has_cursor ? "AND (r.created_at, r.id) < (:key, :id) "
                                                "ORDER BY r.created_at DESC, r.id DESC "
                                              : "ORDER BY r.created_at DESC, r.id DESC ");
  g_string_append (sql, "LIMIT :limit");

  if ((stmt = cabut_db_prepare (self->db, sql->str, &error)) == NULL)
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }
  if ((param = sqlite3_bind_parameter_index (stmt, ":account")) > 0)
    sqlite3_bind_int64 (stmt, param, ctx->account->id);
  if ((param = sqlite3_bind_parameter_index (stmt, ":state")) > 0)
    sqlite3_bind_text (stmt, param, listing->state, -1, SQLITE_STATIC);
  if (listing->search != NULL)
    {
      g_autoptr(GString) escaped = g_string_new ("%");

      for (const char *p = listing->search; *p != '\0'; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (escaped, '\\');
          g_string_append_c (escaped, *p);
        }
      g_string_append_c (escaped, '%');
      like = g_string_free (g_steal_pointer (&escaped), FALSE);
      upper = g_ascii_strup (listing->search, -1);
      sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":q"), listing->search, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":upper"), upper, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":like"), like, -1, SQLITE_STATIC);
    }
  if (listing->has_cursor)
    {
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":key"), listing->cursor_key);
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":id"), listing->cursor_id);
    }
  /* One more than the page: whether there is a next one. */
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), listing->limit + 1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  while ((rc = cabut_db_step (self->db, stmt, &error)) == SQLITE_ROW && rows < listing->limit)
    {
      if (!add_request_row (self, builder, stmt, FALSE, ctx->language, &error))
        break;
      last_id = sqlite3_column_int64 (stmt, 0);
      last_key = sqlite3_column_int64 (stmt, listing->queue ? 10 : 9);   /* due_at, created_at */
      rows++;
    }
  if (error != NULL)
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next");
  if (rc == SQLITE_ROW)
    {
      g_autofree char *next = cursor_encode (last_key, last_id);
      json_builder_add_string_value (builder, next);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (ctx->msg, SOUP_STATUS_OK, node);
}

static void
handle_listing (CabutServer         *self,
                CabutRequestContext *ctx,
                gboolean             queue)
{
  GUri *uri = soup_server_message_get_uri (ctx->msg);
  g_autoptr(GHashTable) query = NULL;
  Listing listing = { .queue = queue };

  if (g_uri_get_query (uri) != NULL)
    query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (!parse_listing (ctx, query, &listing))
    return;

  reply_page (self, ctx, &listing);
}

void
cabut_server_handle_requests (CabutServer         *self,
                              CabutRequestContext *ctx,
                              char               **segments)
{
  const char *method = soup_server_message_get_method (ctx->msg);
  guint n = g_strv_length (segments);
  g_auto(RequestRow) row = { 0 };

  if (n == 1 || (n == 2 && segments[1][0] == '\0'))
    {
      if (method == SOUP_METHOD_POST)
        {
          create_request (self, ctx);
        }
      else if (method == SOUP_METHOD_GET)
        {
          handle_listing (self, ctx, FALSE);
        }
      else
        cabut_server_reply_error (ctx->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                  N_("This address does not take that method"));
      return;
    }

  if (!find_request (self, ctx, segments[1], &row))
    return;

  if (n == 2 && method == SOUP_METHOD_GET)
    reply_request (self, ctx, SOUP_STATUS_OK, row.id);
  else if (n == 3 && g_str_equal (segments[2], "letter") && method == SOUP_METHOD_GET)
    send_letter (self, ctx, &row);
  else if (n == 3 && method == SOUP_METHOD_POST &&
           (g_str_equal (segments[2], "cancel") || g_str_equal (segments[2], "review") ||
            g_str_equal (segments[2], "approve") || g_str_equal (segments[2], "reject")))
    decide (self, ctx, &row, segments[2]);
  else
    cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
}

void
cabut_server_handle_queue (CabutServer         *self,
                           CabutRequestContext *ctx)
{
  if (!cabut_account_is_operator (ctx->account))
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                N_("Only a verification officer may see the queue"));
      return;
    }

  handle_listing (self, ctx, TRUE);
}
