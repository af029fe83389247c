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
#include "cabut-statement-letter.h"

/* Revocation requests: filing (a streamed multipart upload), the
 * applicant's own list, the operators' queue and their decisions. */

#define MAX_NOTE_LENGTH       2000
#define MAX_IDEMPOTENCY_KEY   200
#define MULTIPART_OVERHEAD    (256 * 1024)
/* A code Cabut prints is under 400 characters; a longer one is not kept. */
#define MAX_LETTER_CODE       1024
/* At most this many letters stored and read at once: reading one renders a
 * page or decodes an image (up to 36 million pixels, some 150 MB). */
#define LETTER_THREADS        2

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

  return cabut_server_thread_pool (&pool, upload_drain, 2);
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

static gboolean
is_open (const CabutRequestRow *row)
{
  return g_str_equal (row->state, "submitted") || g_str_equal (row->state, "in_review");
}

/* Under second approval, what officers proposed and declined is theirs:
 * an applicant sees the decision once it takes effect. */
static gboolean
is_deliberation (const char *kind)
{
  return g_str_equal (kind, "decision_proposed") || g_str_equal (kind, "decision_declined");
}

/* A request as the API shows it to an officer or (@officer %FALSE) to its
 * applicant; @events (nullable) its timeline. */
static void
add_request (JsonBuilder           *builder,
             const CabutRequestRow *row,
             GArray                *events,
             gboolean               officer,
             const char            *language)
{
  const CabutReasonInfo *reason = cabut_reason_lookup (row->reason);

  json_builder_begin_object (builder);
  cabut_server_add_text (builder, "id", row->number);
  cabut_server_add_text (builder, "status", row->state);
  cabut_server_add_text (builder, "reason", reason ? reason->name : cabut_crl_reason_to_name (row->reason));
  cabut_server_add_text (builder, "reason_label", reason ? cabut_reason_get_label_for (reason, language) : "");
  cabut_server_add_text (builder, "note", row->note);

  json_builder_set_member_name (builder, "certificate");
  json_builder_begin_object (builder);
  cabut_server_add_text (builder, "serial", row->serial);
  cabut_server_add_text (builder, "subject", row->subject);
  cabut_server_add_text (builder, "issuer", row->issuer);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "applicant");
  json_builder_begin_object (builder);
  cabut_server_add_text (builder, "username", row->username);
  cabut_server_add_text (builder, "full_name", row->full_name);
  cabut_server_add_text (builder, "nip", row->nip);
  json_builder_end_object (builder);

  /* A request of a bulk revocation has no letter: its sha256 and type are null. */
  json_builder_set_member_name (builder, "letter");
  json_builder_begin_object (builder);
  cabut_server_add_text (builder, "sha256", row->letter_size > 0 ? row->letter_sha256 : NULL);
  cabut_server_add_text (builder, "type", row->letter_size > 0 ? row->letter_type : NULL);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, row->letter_size);
  json_builder_end_object (builder);

  /* Filed at the desk by an officer for the applicant, who was there
   * in person with the signed letter: key_possession is usually false. */
  cabut_server_add_person (builder, "filed_by", row->filed_by_username, row->filed_by_name);

  /* Second approval: a decision proposed, waiting for another officer. */
  json_builder_set_member_name (builder, "pending_decision");
  if (row->pending_action != NULL && officer)
    {
      json_builder_begin_object (builder);
      cabut_server_add_text (builder, "action", row->pending_action);
      cabut_server_add_text (builder, "by", row->pending_by_username);
      cabut_server_add_text (builder, "by_full_name", row->pending_by_name);
      cabut_server_add_time (builder, "at", row->pending_at);
      cabut_server_add_text (builder, "note", row->pending_note);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  /* Who took it for review: they alone (or an admin) decide it. */
  cabut_server_add_person (builder, "reviewer", officer ? row->reviewer_username : NULL, row->reviewer_name);

  json_builder_set_member_name (builder, "key_possession");
  json_builder_add_boolean_value (builder, row->key_possession);
  cabut_server_add_text (builder, "letter_match", row->letter_match);
  cabut_server_add_text (builder, "letter_code", row->letter_code);
  cabut_server_add_time (builder, "created_at", row->created_at);
  cabut_server_add_time (builder, "due", row->due_at);
  cabut_server_add_time (builder, "decided_at", row->decided_at);
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_boolean_value (builder, row->decided_at == 0 && is_open (row) && row->due_at < cabut_server_now ());

  if (events != NULL)
    {
      json_builder_set_member_name (builder, "events");
      json_builder_begin_array (builder);
      for (guint i = 0; i < events->len; i++)
        {
          const CabutEventRow *event = &g_array_index (events, CabutEventRow, i);

          if (!officer && is_deliberation (event->kind))
            continue;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, event->id);
          cabut_server_add_time (builder, "at", event->at);
          cabut_server_add_text (builder, "kind", event->kind);
          cabut_server_add_text (builder, "status", event->state);
          cabut_server_add_text (builder, "note", event->note);
          json_builder_set_member_name (builder, "actor");
          json_builder_begin_object (builder);
          cabut_server_add_text (builder, "username", event->username);
          cabut_server_add_text (builder, "full_name", event->full_name);
          cabut_server_add_text (builder, "role", event->role);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
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
                              gboolean      officer,
                              const char   *language,
                              GError      **error)
{
  g_auto(CabutRequestRow) row = { 0 };
  g_autoptr(GArray) events = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean found = FALSE;

  if (!cabut_request_store_get (self->db, request_id, &row, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, "Request %" G_GINT64_FORMAT " is gone",
                   request_id);
      return NULL;
    }
  /* A timeline with events missing is no answer. */
  if (with_events && (events = cabut_request_store_events (self->db, request_id, error)) == NULL)
    return NULL;

  add_request (builder, &row, events, officer, language);

  return json_builder_get_root (builder);
}

static void
reply_request (CabutServer         *self,
               CabutRequestContext *ctx,
               guint                status,
               gint64               request_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = cabut_server_request_to_json (self, request_id, TRUE,
                                                            cabut_account_is_operator (ctx->account),
                                                            ctx->language, &error);

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

static void
reply_key_reused (SoupServerMessage *msg)
{
  cabut_server_reply_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "idempotency_key_reused",
                            N_("This Idempotency-Key was used for a different request: a new request needs "
                               "a new key"));
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
  CabutAccount      *account;       /* who files: the applicant, or an officer at the desk */
  char              *language;
  gint64             owner_id;       /* whose request it is */
  char              *on_behalf_of;   /* nullable: the applicant an officer files for */
  gint64             certificate_id;
  int                reason;
  char              *note;
  char              *key;
  GBytes            *letter;
  const char        *letter_type;
  gboolean           key_possession;
  char              *serial;          /* the registered certificate's, for the letter's code… */
  char              *fingerprint;     /* …nullable: registered without the file, not checked */
  const char        *reason_name;     /* static */
  char              *sha256;
  char              *metadata_sha256;
  char              *remote;
  gint64             now;
  gint64             due;
  int                year;
  /* what the letter's code said, found by the letter's worker */
  const char        *letter_match;    /* static; NULL: not checked */
  char              *letter_code;
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
  g_free (filing->on_behalf_of);
  g_free (filing->note);
  g_free (filing->key);
  g_free (filing->serial);
  g_free (filing->fingerprint);
  g_free (filing->letter_code);
  g_free (filing->sha256);
  g_free (filing->metadata_sha256);
  g_free (filing->remote);
  g_free (filing->open_number);
  g_free (filing->number);
  g_free (filing);
}

/* What the letter's code says of the request: part of the filing, so the
 * row is whole when it commits. Never a reason to refuse the filing: a
 * letter written by hand has no code, and one that cannot be read at all
 * (a PDF poppler cannot open, an image too large) is recorded so. */
static void
check_letter (Filing *filing)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  CabutLetterMatch match;

  if (filing->fingerprint == NULL)
    return;

  if (!cabut_statement_letter_read_code (filing->letter, &code, &error))
    {
      g_debug ("The code on the letter of a filing cannot be read: %s", error->message);
      match = CABUT_LETTER_MATCH_UNREADABLE;
    }
  else
    match = cabut_statement_letter_match (code, filing->serial, filing->fingerprint, filing->reason_name);

  filing->letter_match = cabut_statement_letter_match_to_string (match);
  if (code != NULL && strlen (code) <= MAX_LETTER_CODE && g_utf8_validate (code, -1, NULL))
    filing->letter_code = g_steal_pointer (&code);
}

/* On a worker of letter_pool(): the letter stored durably, then read. */
static void
letter_worker (gpointer data,
               gpointer user_data)
{
  g_autoptr(GTask) task = data;
  Filing *filing = g_task_get_task_data (task);
  GError *error = NULL;

  if ((filing->sha256 = store_letter (filing->server, filing->letter, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  check_letter (filing);
  g_task_return_boolean (task, TRUE);
}

static GThreadPool *
letter_pool (void)
{
  static gsize pool = 0;

  return cabut_server_thread_pool (&pool, letter_worker, LETTER_THREADS);
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

  /* While the letter was written, a retry or another filing may have won:
   * the same body is that request, another body under the key is refused. */
  if (filing->key != NULL &&
      (filing->existing = cabut_request_store_find_by_key (db, filing->owner_id, filing->key, error)) != 0)
    return filing->existing > 0 &&
           cabut_request_store_same_filing (db, filing->existing, filing->metadata_sha256, filing->sha256, &filing->same, error);
  if (!cabut_request_store_find_open (db, filing->certificate_id, &filing->open_number, error))
    return FALSE;
  if (filing->open_number != NULL)
    return TRUE;

  {
    CabutNewRequest request = {
      .account_id = filing->owner_id,
      .filed_by = filing->on_behalf_of != NULL ? filing->account->id : 0,
      .certificate_id = filing->certificate_id,
      .reason = filing->reason,
      .note = filing->note,
      .letter_sha256 = filing->sha256,
      .letter_type = filing->letter_type,
      .letter_size = g_bytes_get_size (filing->letter),
      .key_possession = filing->key_possession,
      .letter_match = filing->letter_match,
      .letter_code = filing->letter_code,
      .idempotency_key = filing->key,
      .metadata_sha256 = filing->metadata_sha256,
      .created_at = filing->now,
      .due_at = filing->due,
      .year = filing->year,
    };

    /* The database holds the one-open-request rule too (requests_one_open):
     * a constraint error here means another filing got there first. */
    if (!cabut_request_store_insert (db, &request, &filing->request_id, &filing->number, error))
      return FALSE;
  }

  /* The audit row and the applicant's receipt commit with what they
   * record, or nothing does. The filing's event and audit row name who
   * filed: the officer, for a filing at the desk. */
  {
    g_autofree char *detail = NULL;

    if (filing->on_behalf_of != NULL)
      detail = g_strdup_printf ("filed at the desk for %s; %s", filing->on_behalf_of,
                                filing->key_possession ? "key possession proven" : "key possession not proven");
    else if (filing->key_possession)
      detail = g_strdup ("key possession proven");

    if (!cabut_request_store_add_event (db, filing->request_id, filing->account->id, "submitted", "submitted",
                                        filing->note, filing->now, error) ||
        !cabut_accounts_audit (db, filing->account->id, "request.create", filing->number, filing->remote, detail,
                               error))
      return FALSE;
  }

  return cabut_server_mail_enqueue (filing->server, db, filing->request_id, CABUT_MAIL_RECEIPT, NULL, filing->now,
                                    error);
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
      cabut_server_mail_kick (filing->server);
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

  if (!cabut_request_store_same_filing (self->db, replay->existing, replay->metadata_sha256, replay->letter_sha256, &same, &error))
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
  gint64 owner_id = ctx->account->id;
  g_autoptr(CabutAccount) applicant = NULL;
  const char *on_behalf_of;
  gboolean key_possession = FALSE;

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

  /* Filed at the desk: an officer for an applicant who is there in
   * person, never for themselves or for another officer. */
  on_behalf_of = json_object_get_string_member_with_default (metadata, "on_behalf_of", NULL);
  if (on_behalf_of != NULL)
    {
      if (!cabut_account_is_operator (ctx->account))
        {
          cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                    N_("Only a verification officer may file a request for an applicant"));
          return;
        }
      if (g_ascii_strcasecmp (on_behalf_of, ctx->account->username) == 0)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "own_request",
                                    N_("An officer cannot file at the desk for themselves: file your own request "
                                       "as an applicant, and another officer decides it"));
          return;
        }
      if ((applicant = cabut_accounts_find (self->db, on_behalf_of, &error)) == NULL)
        {
          if (g_error_matches (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_NOT_FOUND))
            cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "unknown_applicant",
                                      N_("There is no account named “%s”"), on_behalf_of);
          else
            cabut_server_reply_gerror (msg, error);
          return;
        }
      if (cabut_account_is_operator (applicant))
        {
          cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "not_an_applicant",
                                    N_("%s is an officer: an officer files at the desk only for applicants"),
                                    applicant->username);
          return;
        }
      owner_id = applicant->id;
    }

  /* A retry of a request that already went through gets the same answer —
   * if it is the same request: its letter is hashed in a worker first. The
   * checks below (one open request, not revoked) would refuse a retry. */
  if (key != NULL && (existing = cabut_request_store_find_by_key (self->db, owner_id, key, &error)) < 0)
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
  {
    g_auto(CabutRegistryRow) registry = { 0 };
    gboolean found = FALSE;

    if (!cabut_registry_find_for_account (self->db, serial, owner_id, &registry, &found, &error))
      {
        cabut_server_reply_gerror (msg, error);
        return;
      }
    if (!found)
      {
        cabut_server_audit_later (self, msg, ctx->account, "request.refused", serial, "not registered to account");
        if (applicant != NULL)
          cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "not_your_certificate",
                                    N_("The certificate with serial number %s is not registered to %s’s "
                                       "account"), serial, applicant->username);
        else
          cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "not_your_certificate",
                                    N_("The certificate with serial number %s is not registered to your "
                                       "account. You can only revoke your own certificates."), serial);
        return;
      }
    if (registry.revoked)
      {
        cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "already_revoked",
                                  N_("This certificate is already revoked"));
        return;
      }
    certificate_id = registry.id;
    subject_der = g_bytes_ref (registry.subject_der);
    if (registry.cert_der != NULL)
      registered = cabut_certificate_new_from_bytes (registry.cert_der, NULL, NULL);
  }

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
  if (!cabut_request_store_find_open (self->db, certificate_id, &open_number, &error))
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

  /* Hashing and durably writing up to 10 MiB, and reading the letter's
   * code, happen in a worker; the row is then recorded on the database's
   * writer thread. */
  filing = g_new0 (Filing, 1);
  filing->server = g_object_ref (self);
  filing->msg = g_object_ref (msg);
  filing->account = g_steal_pointer (&ctx->account);
  filing->language = g_strdup (ctx->language);
  filing->owner_id = owner_id;
  filing->on_behalf_of = applicant != NULL ? g_strdup (applicant->username) : NULL;
  filing->certificate_id = certificate_id;
  filing->reason = reason->code;
  filing->note = g_strdup (note);
  filing->key = g_strdup (key);
  filing->letter = g_bytes_ref (parts.letter);
  filing->letter_type = letter_type;
  filing->key_possession = key_possession;
  filing->reason_name = reason->name;
  if (registered != NULL)
    {
      filing->serial = g_strdup (cabut_certificate_get_serial (registered));
      filing->fingerprint = g_strdup (cabut_certificate_get_sha256 (registered));
    }
  filing->metadata_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, parts.metadata);

  /* The filing is letter_stored_cb's to free. */
  task = g_task_new (NULL, NULL, letter_stored_cb, filing);
  g_task_set_task_data (task, filing, NULL);
  soup_server_message_pause (msg);
  g_thread_pool_push (letter_pool (), g_steal_pointer (&task), NULL);
}

/* ---------------------------------------------------------------------- */
/* Reading and deciding                                                    */

/* Finds a request the account may see: its own, or any for an operator.
 * Others' requests do not exist, as far as the answer tells. */
static gboolean
find_request (CabutServer         *self,
              CabutRequestContext *ctx,
              const char          *number,
              CabutRequestRow     *row)
{
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!cabut_request_store_get_by_number (self->db, number, row, &found, &error))
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return FALSE;
    }
  if (found && (cabut_account_is_operator (ctx->account) || row->account_id == ctx->account->id))
    return TRUE;

  cabut_request_row_clear (row);
  cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "not_found",
                            N_("There is no request %s"), number);
  return FALSE;
}

static gboolean
has_text (const char *note)
{
  g_autofree char *trimmed = note != NULL ? g_strstrip (g_strdup (note)) : NULL;

  return trimmed != NULL && *trimmed != '\0';
}

/* How a decision takes effect: at once (second approval off, a review,
 * a cancellation), proposed for a second officer, or that proposal
 * confirmed or declined. */
typedef enum
{
  DECIDE_NOW,
  DECIDE_PROPOSE,
  DECIDE_CONFIRM,
  DECIDE_DECLINE,
} DecisionMode;

typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;
  char              *language;
  CabutRequestRow    row;
  DecisionMode       mode;
  const char        *new_state;   /* static */
  char              *action;
  char              *note;
  char              *remote;
  gint64             now;
  gboolean           moved;       /* set on the writer thread */
  char              *held_by;     /* set on the writer thread: the full name of the
                                   * officer who has it in review, refused */
  gboolean           crl_published; /* a CRL that lists the revocation is served */
} Decision;

static void
decision_free (Decision *decision)
{
  soup_server_message_unpause (decision->msg);
  g_object_unref (decision->msg);
  g_object_unref (decision->server);
  cabut_account_free (decision->account);
  cabut_request_row_clear (&decision->row);
  g_free (decision->language);
  g_free (decision->action);
  g_free (decision->note);
  g_free (decision->remote);
  g_free (decision->held_by);
  g_free (decision);
}

/* In review by an officer other than @account: only they, or an admin
 * taking over, decide it (or propose a decision). */
static gboolean
is_held_by_other (const CabutRequestRow *row,
                  const CabutAccount    *account)
{
  return g_str_equal (row->state, "in_review") && row->reviewer_id != 0 && row->reviewer_id != account->id;
}

static void
reply_taken_by_other (SoupServerMessage *msg,
                      const char        *number,
                      const char        *full_name)
{
  cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "taken_by_other",
                            N_("Request %s is being reviewed by %s: only they or an administrator can decide it"),
                            number, full_name);
}

/* On the writer thread, for an approval or a rejection (or its proposal):
 * the request is read again in the transaction, so a decision lands only
 * in the state it was read in and only by the officer who has it in
 * review or an admin. %FALSE with @error set, or %TRUE with @go saying
 * whether to write; an admin's takeover is said in @detail. */
static gboolean
check_reviewer (CabutDb   *db,
                Decision  *decision,
                char     **detail,
                gboolean  *go,
                GError   **error)
{
  g_auto(CabutRequestRow) now = { 0 };
  gboolean found = FALSE;

  *go = FALSE;
  if (!cabut_request_store_get (db, decision->row.id, &now, &found, error))
    return FALSE;
  if (found && is_held_by_other (&now, decision->account) && !cabut_account_is_admin (decision->account))
    {
      /* Taken meanwhile, perhaps: say by whom. */
      decision->held_by = g_strdup (now.reviewer_name);
      return TRUE;
    }
  if (!found || !g_str_equal (now.state, decision->row.state))
    return TRUE;   /* moved meanwhile: wrong_state */
  if (is_held_by_other (&now, decision->account))   /* an admin takes over */
    *detail = g_strdup_printf ("takes over the review of %s%s%s", now.reviewer_username,
                               decision->note ? ": " : "", decision->note ? decision->note : "");
  *go = TRUE;

  return TRUE;
}

static gboolean
is_decided_by_officer (const char *state)
{
  return g_str_equal (state, "revoked") || g_str_equal (state, "rejected");
}

/* On the writer thread: a proposal (second approval) or a declined one,
 * with its event and audit row; the request stays in review. */
static gboolean
record_proposal (CabutDb   *db,
                 Decision  *decision,
                 GError   **error)
{
  g_autofree char *detail = NULL;
  const char *kind;
  const char *audit_action;

  if (decision->mode == DECIDE_PROPOSE)
    {
      g_autofree char *takeover = NULL;
      gboolean go = FALSE;

      if (!check_reviewer (db, decision, &takeover, &go, error))
        return FALSE;
      if (!go)
        return TRUE;
      if (!cabut_request_store_propose (db, decision->row.id, decision->action, decision->account->id,
                                        decision->now, decision->note, &decision->moved, error))
        return FALSE;
      kind = "decision_proposed";
      audit_action = "request.propose";
      if (takeover != NULL)
        detail = g_strdup_printf ("%s, %s", decision->action, takeover);
      else
        detail = g_strdup_printf ("%s%s%s", decision->action, decision->note ? ": " : "",
                                  decision->note ? decision->note : "");
    }
  else
    {
      if (!cabut_request_store_take_pending (db, decision->row.id, decision->row.pending_action,
                                             decision->row.pending_by, &decision->moved, error))
        return FALSE;
      kind = "decision_declined";
      audit_action = "request.decline";
      detail = g_strdup_printf ("%s by %s declined: %s", decision->row.pending_action,
                                decision->row.pending_by_username, decision->note);
    }
  if (!decision->moved)
    return TRUE;

  return cabut_request_store_add_event (db, decision->row.id, decision->account->id, kind, "in_review",
                                        decision->note, decision->now, error) &&
         cabut_accounts_audit (db, decision->account->id, audit_action, decision->row.number, decision->remote,
                               detail, error);
}

/* On the writer thread: the decision, its event, its audit row and the
 * applicant's notice commit together, or none does. A confirmed proposal
 * takes effect here, as a decision of the confirming officer. */
static gboolean
record_decision (CabutDb   *db,
                 gpointer   data,
                 GError   **error)
{
  Decision *decision = data;
  g_autofree char *audit_action = g_strconcat ("request.", decision->action, NULL);
  g_autofree char *detail = NULL;
  gboolean taken = FALSE;

  if (decision->mode == DECIDE_PROPOSE || decision->mode == DECIDE_DECLINE)
    return record_proposal (db, decision, error);

  /* The proposal confirmed is the one read, still there. */
  if (decision->mode == DECIDE_CONFIRM)
    {
      if (!cabut_request_store_take_pending (db, decision->row.id, decision->row.pending_action,
                                             decision->row.pending_by, &taken, error))
        return FALSE;
      if (!taken)
        return TRUE;   /* confirmed or declined meanwhile: nothing written */
      detail = g_strdup_printf ("confirms the proposal of %s%s%s", decision->row.pending_by_username,
                                decision->note ? ": " : "", decision->note ? decision->note : "");
    }

  if (decision->mode == DECIDE_NOW &&
      (g_str_equal (decision->action, "approve") || g_str_equal (decision->action, "reject")))
    {
      gboolean go = FALSE;

      if (!check_reviewer (db, decision, &detail, &go, error))
        return FALSE;
      if (!go)
        return TRUE;   /* nothing written: wrong_state or taken_by_other */
    }

  if (g_str_equal (decision->action, "review"))
    {
      if (!cabut_request_store_take_for_review (db, decision->row.id, decision->account->id, &decision->moved,
                                                error))
        return FALSE;
    }
  else if (!cabut_request_store_set_state (db, decision->row.id, decision->row.state, decision->new_state,
                                           !g_str_equal (decision->new_state, "in_review"), decision->now,
                                           &decision->moved, error))
    return FALSE;
  if (!decision->moved)
    return TRUE;   /* decided meanwhile: nothing written */

  /* A decided or cancelled request has nothing left to confirm. */
  if (decision->mode == DECIDE_NOW && !g_str_equal (decision->new_state, "in_review") &&
      !cabut_request_store_take_pending (db, decision->row.id, NULL, 0, &taken, error))
    return FALSE;

  return (!g_str_equal (decision->new_state, "revoked") ||
          /* For a compromised key, the applicant knew no later than when they asked. */
          cabut_registry_revoke (db, decision->row.certificate_id, decision->row.reason, decision->now,
                                 decision->row.reason == CABUT_REASON_KEY_COMPROMISE ? decision->row.created_at : 0,
                                 error)) &&
         cabut_request_store_add_event (db, decision->row.id, decision->account->id, decision->action, decision->new_state,
                       decision->note, decision->now, error) &&
         cabut_accounts_audit (db, decision->account->id, audit_action, decision->row.number,
                                 decision->remote, detail != NULL ? detail : decision->note, error) &&
         /* The applicant hears of a decision (a cancellation is their own). */
         (!is_decided_by_officer (decision->new_state) ||
          cabut_server_mail_enqueue (decision->server, db, decision->row.id,
                                     g_str_equal (decision->new_state, "revoked") ? CABUT_MAIL_REVOKED : CABUT_MAIL_REJECTED,
                                     decision->note, decision->now, error));
}

static void
decision_reply (Decision *decision)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = cabut_server_request_to_json (decision->server, decision->row.id, TRUE,
                                                           cabut_account_is_operator (decision->account),
                                                           decision->language, &error);

  if (node == NULL)
    {
      cabut_server_reply_gerror (decision->msg, error);
      decision_free (decision);
      return;
    }
  /* An approval names the CRL that lists it (the one served now: it was
   * made after the revocation committed). */
  if (decision->crl_published)
    json_object_set_int_member (json_node_get_object (node), "crl_number", decision->server->crl_number);

  /* A proposal is accepted, not yet in effect. */
  cabut_server_reply_json (decision->msg, decision->mode == DECIDE_PROPOSE ? SOUP_STATUS_ACCEPTED : SOUP_STATUS_OK,
                           node);
  decision_free (decision);
}

static void
decision_crl_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  /* Should the CRL fail, the revocation stands (OCSP says so already) and
   * the next GET of the CRL tries again; the failure was logged. */
  Decision *decision = user_data;

  decision->crl_published = cabut_server_publish_crl_finish (CABUT_SERVER (object), result, NULL) &&
                            decision->server->crl != NULL;
  decision_reply (decision);
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
      /* pending_decisions holds one per request: another got there first. */
      if (decision->mode == DECIDE_PROPOSE && g_error_matches (error, CABUT_DB_ERROR, CABUT_DB_ERROR_CONSTRAINT))
        cabut_server_reply_error (decision->msg, SOUP_STATUS_CONFLICT, "decision_pending",
                                  N_("A decision on request %s is waiting for a second officer: confirm or "
                                     "decline it"), decision->row.number);
      else
        cabut_server_reply_gerror (decision->msg, error);
      decision_free (decision);
      return;
    }
  if (decision->held_by != NULL)
    {
      /* Taken for review by another officer meanwhile. */
      reply_taken_by_other (decision->msg, decision->row.number, decision->held_by);
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
  cabut_server_mail_kick (decision->server);
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
        CabutRequestRow     *row,
        const char          *action)
{
  SoupServerMessage *msg = ctx->msg;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *note = NULL;
  const char *new_state;
  gint64 now = cabut_server_now ();
  gboolean operator_action = !g_str_equal (action, "cancel");
  DecisionMode mode = DECIDE_NOW;

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
  if (g_str_equal (action, "decline") && !has_text (note))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "note_required",
                                N_("Say why the proposed decision is declined, so the officer who proposed it "
                                   "knows"));
      return;
    }

  if (g_str_equal (action, "review"))
    {
      if (!g_str_equal (row->state, "submitted"))
        goto wrong_state;
      new_state = "in_review";
    }
  else if (g_str_equal (action, "approve") || g_str_equal (action, "reject"))
    {
      if (!is_open (row))
        goto wrong_state;
      if (row->pending_action != NULL)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "decision_pending",
                                    N_("A decision on request %s is waiting for a second officer: confirm or "
                                       "decline it"), row->number);
          return;
        }
      /* While one officer has it in review, another does not decide it;
       * an admin may, taking over (the writer checks again). */
      if (is_held_by_other (row, ctx->account) && !cabut_account_is_admin (ctx->account))
        {
          reply_taken_by_other (msg, row->number, row->reviewer_name);
          return;
        }
      /* Under second approval a decision is a proposal until another
       * officer confirms it. */
      if (self->second_approval)
        {
          mode = DECIDE_PROPOSE;
          new_state = "in_review";
        }
      else
        new_state = g_str_equal (action, "approve") ? "revoked" : "rejected";
    }
  else if (g_str_equal (action, "confirm") || g_str_equal (action, "decline"))
    {
      if (!is_open (row))
        goto wrong_state;
      if (row->pending_action == NULL)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "no_pending_decision",
                                    N_("No decision on request %s is waiting for a second officer"), row->number);
          return;
        }
      if (g_str_equal (action, "decline"))
        {
          mode = DECIDE_DECLINE;
          new_state = "in_review";
        }
      else if (row->pending_by == ctx->account->id)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "own_proposal",
                                    N_("Another officer must confirm the decision you proposed"));
          return;
        }
      else
        {
          /* The proposal takes effect as it was made: its action, its note. */
          mode = DECIDE_CONFIRM;
          action = row->pending_action;
          note = row->pending_note;
          new_state = g_str_equal (action, "approve") ? "revoked" : "rejected";
        }
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
    decision->mode = mode;
    decision->action = g_strdup (action);
    decision->note = g_strdup (note);
    decision->row = *row;
    memset (row, 0, sizeof *row);
    decision->new_state = new_state;
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
             CabutRequestRow     *row)
{
  g_autofree char *path = g_build_filename (self->letters_dir, row->letter_sha256, NULL);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *disposition = NULL;
  const char *ext = cabut_letter_type_extension (row->letter_type);

  if (row->letter_size == 0 || row->letter_sha256[0] == '\0')
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "no_letter",
                                N_("Request %s has no letter: it was made by a bulk revocation"), row->number);
      return;
    }
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
#define SEARCH_MAX   200

typedef struct
{
  gboolean    queue;        /* the officers' queue, or the applicant's own list */
  const char *state;        /* "open", "all" or one state */
  const char *search;       /* nullable */
  int         pending;      /* -1 any, 1 waiting for a second officer, 0 not */
  guint       limit;
  gboolean    has_cursor;
  gint64      cursor_key;   /* due_at or created_at */
  gint64      cursor_id;
} Listing;

/* Reads ?state=, ?q=, ?limit= and ?cursor=; answers 400 and returns
 * %FALSE when one is not valid. */
static gboolean
parse_listing (CabutRequestContext *ctx,
               GHashTable          *query,
               Listing             *listing)
{
  static const char * const states[] = { "open", "all", "submitted", "in_review", "revoked", "rejected",
                                         "cancelled", NULL };
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

  listing->pending = -1;
  {
    const char *pending = query ? g_hash_table_lookup (query, "pending") : NULL;

    if (pending != NULL && g_str_equal (pending, "true"))
      listing->pending = 1;
    else if (pending != NULL && g_str_equal (pending, "false"))
      listing->pending = 0;
    else if (pending != NULL)
      {
        cabut_server_reply_error (ctx->msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                  N_("pending must be true or false"));
        return FALSE;
      }
  }

  return cabut_server_parse_page (ctx, query, 50, &listing->limit, &listing->has_cursor, &listing->cursor_key,
                                  &listing->cursor_id);
}

/* The page: every row of it or an error (never a shorter page), and the
 * cursor of the next one when there is more. */
static void
reply_page (CabutServer         *self,
            CabutRequestContext *ctx,
            const Listing       *listing)
{
  CabutRequestQuery query = {
    .queue = listing->queue,
    .account_id = ctx->account->id,
    .state = listing->state,
    .search = listing->search,
    .pending = listing->pending,
    .limit = listing->limit,
    .has_cursor = listing->has_cursor,
    .cursor_key = listing->cursor_key,
    .cursor_id = listing->cursor_id,
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gboolean more = FALSE;

  if ((rows = cabut_request_store_list (self->db, &query, &more, &error)) == NULL)
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    add_request (builder, g_ptr_array_index (rows, i), NULL, cabut_account_is_operator (ctx->account),
                 ctx->language);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next");
  if (more && rows->len > 0)
    {
      const CabutRequestRow *last = g_ptr_array_index (rows, rows->len - 1);
      g_autofree char *next = cabut_server_cursor_encode (listing->queue ? last->due_at : last->created_at, last->id);

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
  g_auto(CabutRequestRow) row = { 0 };

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

  /* Officers only: an applicant hears so before whether it exists. */
  if (n == 3 && g_str_equal (segments[2], "review") && method == SOUP_METHOD_GET)
    {
      cabut_server_handle_review (self, ctx, segments[1]);
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
            g_str_equal (segments[2], "approve") || g_str_equal (segments[2], "reject") ||
            g_str_equal (segments[2], "confirm") || g_str_equal (segments[2], "decline")))
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

static void
add_count (JsonBuilder *builder,
           const char  *name,
           gint64       count)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, count);
}

/* GET /queue/counts: how many requests each state of the queue's filter
 * holds, and how many open ones are overdue. */
void
cabut_server_handle_queue_counts (CabutServer         *self,
                                  CabutRequestContext *ctx)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  CabutRequestCounts counts;

  if (!cabut_account_is_operator (ctx->account))
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                N_("Only a verification officer may see the queue"));
      return;
    }

  if (!cabut_request_store_count (self->db, cabut_server_now (), &counts, &error))
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_count (builder, "open", counts.submitted + counts.in_review);
  add_count (builder, "submitted", counts.submitted);
  add_count (builder, "in_review", counts.in_review);
  add_count (builder, "revoked", counts.revoked);
  add_count (builder, "rejected", counts.rejected);
  add_count (builder, "cancelled", counts.cancelled);
  add_count (builder, "all", counts.submitted + counts.in_review + counts.revoked + counts.rejected +
                             counts.cancelled);
  add_count (builder, "overdue", counts.overdue);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (ctx->msg, SOUP_STATUS_OK, node);
}
