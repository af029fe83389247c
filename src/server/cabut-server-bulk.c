/* cabut-server-bulk.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cabut-csv.h"
#include "cabut-reason.h"
#include "cabut-server-private.h"

/* Bulk revocation for agency events (retirements, transfers): a CSV of
 * NIPs or serials and a reason. A dry run previews what each row matches;
 * the real run records a batch with every row, then revokes row by row, in
 * order, each row's request, decision, audit rows and its "done" mark in
 * one transaction on the writer thread, so that a batch cut off (the
 * service killed) resumes where it stopped and revokes nothing twice. One
 * CRL is published when the batch is done (OCSP answers from the registry
 * at once). */

#define MAX_ROWS          10000
#define MAX_NOTE_LENGTH   2000
#define MAX_KEY_LENGTH    200

typedef struct
{
  CabutServer  *server;
  gint64        batch_id;
  char         *number;
  gint64        actor_id;
  int           reason;
  char         *note;
  /* set on the writer thread */
  gboolean      finished;
} BulkJob;

static void bulk_next (BulkJob *job);

static void
bulk_job_free (BulkJob *job)
{
  g_object_unref (job->server);
  g_free (job->number);
  g_free (job->note);
  g_free (job);
}

/* ---------------------------------------------------------------------- */
/* Reading the CSV and matching its rows                                   */

static gboolean
is_nip (const char *value)
{
  return strlen (value) == 18 && strspn (value, "0123456789") == 18;
}

/* A serial as the registry spells it: uppercase hex, without separators. */
static char *
serial_of (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ':' || *p == ' ')
        continue;
      if (!g_ascii_isxdigit (*p))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, g_ascii_toupper (*p));
    }
  if (out->len == 0 || out->len > 64)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_header (const char *value)
{
  static const char * const names[] = { "nip", "serial", "nip_or_serial", "nip/serial", "nip atau serial",
                                        "serial number", "nomor seri", NULL };
  g_autofree char *lower = g_utf8_strdown (value, -1);

  return g_strv_contains (names, lower);
}

static void
add_item (GArray               *items,
          guint                 row,
          const char           *value,
          const char           *state,
          const char           *why,
          const CabutBulkMatch *match)
{
  CabutBulkItem item = { 0 };

  item.row = row;
  item.value = g_strdup (value);
  item.state = g_strdup (state);
  item.why = g_strdup (why);
  if (match != NULL)
    {
      item.certificate_id = match->certificate_id;
      item.username = g_strdup (match->username);
      item.full_name = g_strdup (match->full_name);
      item.serial = g_strdup (match->serial);
      item.subject = g_strdup (match->subject);
    }
  g_array_append_val (items, item);
}

/* Every row of @csv, in order, matched or not and why; %NULL with @error
 * set when the database cannot say. In a worker, on a read-only
 * connection of its own: a CSV of thousands of rows takes a while. */
static GArray *
match_rows (CabutDb      *db,
            GPtrArray    *rows,
            GError      **error)
{
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (CabutBulkItem));
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) certificates = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_array_set_clear_func (items, cabut_bulk_item_clear);

  for (guint i = 0; i < rows->len; i++)
    {
      char **cells = g_ptr_array_index (rows, i);
      g_autoptr(GArray) matches = NULL;
      g_autofree char *serial = NULL;
      g_autofree char *key = NULL;
      const char *value = NULL;
      guint filled = 0;
      guint row = i + 1;

      for (guint c = 0; cells[c] != NULL; c++)
        {
          g_strstrip (cells[c]);
          if (cells[c][0] != '\0')
            {
              filled++;
              value = value != NULL ? value : cells[c];
            }
        }

      /* Blank lines are not rows; the header is optional. */
      if (filled == 0 || (row == 1 && filled == 1 && is_header (value)))
        continue;
      if (filled > 1)
        {
          g_autofree char *joined = g_strjoinv (",", cells);

          add_item (items, row, joined, "unmatched", "malformed", NULL);
          continue;
        }

      if (is_nip (value))
        key = g_strconcat ("nip:", value, NULL);
      else if ((serial = serial_of (value)) != NULL)
        key = g_strconcat ("serial:", serial, NULL);
      else
        {
          add_item (items, row, value, "unmatched", "malformed", NULL);
          continue;
        }

      if (g_hash_table_contains (values, key))
        {
          add_item (items, row, value, "unmatched", "duplicate", NULL);
          continue;
        }
      g_hash_table_add (values, g_strdup (key));

      if (serial == NULL)
        {
          gboolean account_found = FALSE;

          if ((matches = cabut_bulk_store_match_nip (db, value, &account_found, error)) == NULL)
            return NULL;
          if (!account_found)
            {
              add_item (items, row, value, "unmatched", "unknown_nip", NULL);
              continue;
            }
          if (matches->len == 0)
            {
              add_item (items, row, value, "unmatched", "no_certificate", NULL);
              continue;
            }
        }
      else
        {
          if ((matches = cabut_bulk_store_match_serial (db, serial, error)) == NULL)
            return NULL;
          if (matches->len == 0)
            {
              add_item (items, row, value, "unmatched", "unknown_serial", NULL);
              continue;
            }
        }

      /* A NIP names each certificate of its holder. */
      for (guint m = 0; m < matches->len; m++)
        {
          const CabutBulkMatch *match = &g_array_index (matches, CabutBulkMatch, m);

          if (g_hash_table_contains (certificates, &match->certificate_id))
            add_item (items, row, value, "unmatched", "duplicate", match);
          else if (match->revoked)
            add_item (items, row, value, "unmatched", "already_revoked", match);
          else if (match->open_number != NULL)
            add_item (items, row, value, "unmatched", "open_request", match);
          else
            add_item (items, row, value, "pending", NULL, match);
          g_hash_table_add (certificates, g_memdup2 (&match->certificate_id, sizeof (gint64)));
        }
    }

  return g_steal_pointer (&items);
}

/* ---------------------------------------------------------------------- */
/* Answers                                                                 */

static void
add_count (JsonBuilder *builder,
           const char  *member,
           guint        count)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, count);
}

/* The batch (or, with @batch %NULL, the dry run's preview) and its rows. */
static JsonNode *
batch_to_json (const CabutBulkBatchRow  *batch,
               int                       reason,
               const char               *note,
               GArray                   *items)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const CabutReasonInfo *info = cabut_reason_lookup (reason);
  guint rows = 0, matched = 0, unmatched = 0, pending = 0, revoked = 0, skipped = 0;
  guint last_row = 0;

  json_builder_begin_object (builder);
  cabut_server_add_text (builder, "id", batch ? batch->number : NULL);
  cabut_server_add_text (builder, "idempotency_key", batch ? batch->idempotency_key : NULL);
  cabut_server_add_text (builder, "state", batch ? batch->state : "preview");
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, batch == NULL);
  cabut_server_add_text (builder, "reason", info ? info->name : cabut_crl_reason_to_name (reason));
  cabut_server_add_text (builder, "note", note);
  cabut_server_add_person (builder, "by", batch ? batch->actor_username : NULL, batch ? batch->actor_name : NULL);
  cabut_server_add_time (builder, "created_at", batch ? batch->created_at : 0);
  cabut_server_add_time (builder, "finished_at", batch ? batch->finished_at : 0);

  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      const CabutBulkItem *item = &g_array_index (items, CabutBulkItem, i);
      const char *state = item->state;

      if (item->row != last_row)
        rows++;
      last_row = item->row;
      if (g_str_equal (state, "unmatched"))
        unmatched++;
      else
        matched++;
      pending += g_str_equal (state, "pending");
      revoked += g_str_equal (state, "revoked");
      skipped += g_str_equal (state, "skipped");
      /* A preview's matched row is "matched", not waiting for anything. */
      if (batch == NULL && g_str_equal (state, "pending"))
        state = "matched";

      json_builder_begin_object (builder);
      add_count (builder, "row", item->row);
      cabut_server_add_text (builder, "value", item->value);
      cabut_server_add_text (builder, "status", state);
      cabut_server_add_text (builder, "why", item->why);
      json_builder_set_member_name (builder, "certificate");
      if (item->certificate_id != 0)
        {
          json_builder_begin_object (builder);
          cabut_server_add_text (builder, "username", item->username);
          cabut_server_add_text (builder, "full_name", item->full_name);
          cabut_server_add_text (builder, "serial", item->serial);
          cabut_server_add_text (builder, "subject", item->subject);
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);
      cabut_server_add_text (builder, "request", item->request_number);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "summary");
  json_builder_begin_object (builder);
  add_count (builder, "rows", rows);
  add_count (builder, "matched", matched);
  add_count (builder, "unmatched", unmatched);
  add_count (builder, "pending", pending);
  add_count (builder, "revoked", revoked);
  add_count (builder, "skipped", skipped);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
reply_stored_batch (CabutServer       *self,
                    SoupServerMessage *msg,
                    guint              status,
                    const char        *number)
{
  g_auto(CabutBulkBatchRow) batch = { 0 };
  g_autoptr(GArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean found = FALSE;

  if (!cabut_bulk_store_get (self->db, number, &batch, &found, &error) ||
      (found && (items = cabut_bulk_store_items (self->db, batch.id, &error)) == NULL))
    {
      cabut_server_reply_gerror (msg, error);
      return;
    }
  if (!found)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is no batch %s"), number);
      return;
    }

  node = batch_to_json (&batch, batch.reason, batch.note, items);
  cabut_server_reply_json (msg, status, node);
}

/* ---------------------------------------------------------------------- */
/* Revoking, row by row                                                    */

/* On the writer thread: the next row of the batch, whole or not at all. */
static gboolean
write_bulk_row (CabutDb   *db,
                gpointer   data,
                GError   **error)
{
  BulkJob *job = data;
  CabutServer *self = job->server;
  CabutBulkItem item = { 0 };
  CabutBulkMatch match = { 0 };
  gboolean found = FALSE;
  gboolean moved = FALSE;
  gboolean ok = FALSE;
  gint64 now = cabut_server_now ();
  gint64 request_id = 0;
  g_autofree char *number = NULL;
  g_autofree char *event_note = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, cabut_calendar_get_timezone (self->calendar));

  if (!cabut_bulk_store_next_pending (db, job->batch_id, &item, &found, error))
    return FALSE;
  if (!found)
    {
      job->finished = TRUE;
      return cabut_bulk_store_finish (db, job->batch_id, now, error);
    }

  /* What the preview saw may have changed since: checked again here. */
  if (!cabut_bulk_store_match_certificate (db, item.certificate_id, &match, &found, error))
    goto out;
  if (!found || match.revoked || match.open_number != NULL)
    {
      ok = cabut_bulk_store_finish_item (db, item.id, "skipped",
                                         !found ? "unknown_serial" : match.revoked ? "already_revoked" : "open_request",
                                         0, error);
      goto out;
    }

  {
    CabutNewRequest request = {
      .account_id = match.account_id,
      .certificate_id = match.certificate_id,
      .reason = job->reason,
      .note = job->note,
      .letter_sha256 = "",
      .letter_type = "",
      .letter_size = 0,
      .created_at = now,
      .due_at = now,
      .year = g_date_time_get_year (local),
      .filed_by = job->actor_id,
    };

    if (!cabut_request_store_insert (db, &request, &request_id, &number, error))
      goto out;
  }

  event_note = g_strdup_printf ("%s, row %u%s%s", job->number, item.row, job->note ? ": " : "",
                                job->note ? job->note : "");
  detail = g_strdup_printf ("bulk %s row %u", job->number, item.row);
  ok = cabut_request_store_add_event (db, request_id, job->actor_id, "submitted", "submitted", event_note, now,
                                      error) &&
       cabut_request_store_set_state (db, request_id, "submitted", "revoked", TRUE, now, &moved, error) &&
       moved &&
       cabut_registry_revoke (db, match.certificate_id, job->reason, now, 0, error) &&
       cabut_request_store_add_event (db, request_id, job->actor_id, "approve", "revoked", event_note, now, error) &&
       cabut_accounts_audit (db, job->actor_id, "request.create", number, NULL, detail, error) &&
       cabut_accounts_audit (db, job->actor_id, "request.approve", number, NULL, detail, error) &&
       cabut_server_mail_enqueue (self, db, request_id, CABUT_MAIL_REVOKED, job->note, now, error) &&
       cabut_bulk_store_finish_item (db, item.id, "revoked", NULL, request_id, error);
  /* Fail closed: a request just made that would not move is an error too. */
  if (!ok && error != NULL && *error == NULL)
    g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, "The request of bulk row %u did not move", item.row);

out:
  cabut_bulk_item_clear (&item);
  cabut_bulk_match_clear (&match);

  return ok;
}

static void
bulk_crl_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  BulkJob *job = user_data;

  /* Should the CRL fail, the revocations stand (OCSP says so already) and
   * the next GET of the CRL tries again; the failure was logged. */
  cabut_server_publish_crl_finish (CABUT_SERVER (object), result, NULL);
  g_hash_table_remove (job->server->bulk_running, job->number);
  bulk_job_free (job);
}

static guint
abort_after (void)
{
  const char *text = g_getenv ("CABUT_TEST_BULK_ABORT_AFTER");

  return text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : 0;
}

static void
bulk_row_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  BulkJob *job = user_data;
  g_autoptr(GError) error = NULL;
  static guint rows_done = 0;

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      /* The batch stays running: POST …/resume carries on from this row. */
      g_warning ("Failed to revoke a row of %s, which stops there: %s", job->number, error->message);
      g_hash_table_remove (job->server->bulk_running, job->number);
      bulk_job_free (job);
      return;
    }

  cabut_server_events_changed (job->server);
  cabut_server_mail_kick (job->server);
  if (job->finished)
    {
      cabut_server_publish_crl_async (job->server, bulk_crl_cb, job);
      return;
    }

  /* Tests kill the service mid-batch this way (it leaves at once, as a
   * crash or a kill would: nothing is flushed or closed). */
  if (abort_after () != 0 && ++rows_done == abort_after ())
    _exit (3);

  bulk_next (job);
}

static void
bulk_next (BulkJob *job)
{
  cabut_db_write_async (job->server->db, write_bulk_row, job, bulk_row_written_cb, job);
}

/* Starts revoking the batch's rows, unless this process is at it already. */
static void
bulk_start (CabutServer          *self,
            const CabutBulkBatchRow *batch)
{
  BulkJob *job;

  if (g_str_equal (batch->state, "done") || g_hash_table_contains (self->bulk_running, batch->number))
    return;

  job = g_new0 (BulkJob, 1);
  job->server = g_object_ref (self);
  job->batch_id = batch->id;
  job->number = g_strdup (batch->number);
  job->actor_id = batch->actor_id;
  job->reason = batch->reason;
  job->note = g_strdup (batch->note);
  g_hash_table_add (self->bulk_running, g_strdup (batch->number));
  bulk_next (job);
}

/* ---------------------------------------------------------------------- */
/* Creating a batch                                                        */

typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutBulkBatchRow  batch;
  gboolean           preview;
  GBytes            *csv;
  char              *db_path;
  GArray            *items;       /* found by the worker */
  JsonNode          *answer;      /* the preview, made by the worker */
  guint              status;      /* …or why there is none */
  char              *code;
  char              *message;
  char              *remote;
  gint64             id;
  char              *number;
} NewBatch;

static void
new_batch_free (NewBatch *job)
{
  soup_server_message_unpause (job->msg);
  g_object_unref (job->msg);
  g_object_unref (job->server);
  cabut_bulk_batch_row_clear (&job->batch);
  g_clear_pointer (&job->csv, g_bytes_unref);
  g_clear_pointer (&job->items, g_array_unref);
  g_clear_pointer (&job->answer, json_node_unref);
  g_free (job->db_path);
  g_free (job->code);
  g_free (job->message);
  g_free (job->remote);
  g_free (job->number);
  g_free (job);
}

static gboolean
write_batch (CabutDb   *db,
             gpointer   data,
             GError   **error)
{
  NewBatch *job = data;
  g_autofree char *detail = NULL;
  guint pending = 0;

  for (guint i = 0; i < job->items->len; i++)
    pending += g_str_equal (g_array_index (job->items, CabutBulkItem, i).state, "pending");
  detail = g_strdup_printf ("%u rows, %u to revoke, reason %s", job->items->len, pending,
                            cabut_crl_reason_to_name (job->batch.reason));

  return cabut_bulk_store_create (db, &job->batch, job->items, &job->id, &job->number, error) &&
         cabut_accounts_audit (db, job->batch.actor_id, "bulk.create", job->number, job->remote, detail, error);
}

/* The rows are revoked once the answer that names the batch is out: a
 * client always learns the batch's id, even should the service stop
 * at its first row. */
typedef struct
{
  CabutServer *server;
  char        *number;
} Starter;

static void
answer_sent_cb (SoupServerMessage *msg,
                Starter           *starter)
{
  g_auto(CabutBulkBatchRow) batch = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (cabut_bulk_store_get (starter->server->db, starter->number, &batch, &found, &error) && found)
    bulk_start (starter->server, &batch);
  else
    g_warning ("Failed to start batch %s: %s", starter->number, error ? error->message : "it is gone");
}

static void
starter_free (gpointer  data,
              GClosure *closure)
{
  Starter *starter = data;

  g_object_unref (starter->server);
  g_free (starter->number);
  g_free (starter);
}

static void
start_when_answered (CabutServer       *self,
                     SoupServerMessage *msg,
                     const char        *number)
{
  Starter *starter = g_new0 (Starter, 1);

  starter->server = g_object_ref (self);
  starter->number = g_strdup (number);
  g_signal_connect_data (msg, "finished", G_CALLBACK (answer_sent_cb), starter, starter_free, 0);
}

static void
batch_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  NewBatch *job = user_data;
  CabutServer *self = job->server;
  g_autoptr(GError) error = NULL;

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      if (g_error_matches (error, CABUT_DB_ERROR, CABUT_DB_ERROR_CONSTRAINT))
        cabut_server_reply_error (job->msg, SOUP_STATUS_CONFLICT, "idempotency_key_reused",
                                  N_("This Idempotency-Key was used for another batch: a new batch needs a new "
                                     "key"));
      else
        cabut_server_reply_gerror (job->msg, error);
      new_batch_free (job);
      return;
    }

  /* Accepted: the rows are revoked in the background; GET …/bulk/ID tells how far. */
  start_when_answered (self, job->msg, job->number);
  reply_stored_batch (self, job->msg, SOUP_STATUS_ACCEPTED, job->number);
  new_batch_free (job);
}

/* In a worker: the CSV read and its rows matched; a preview made into its answer. */
static void
match_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  NewBatch *job = task_data;
  g_autoptr(CabutDb) db = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if ((rows = cabut_csv_parse (g_bytes_get_data (job->csv, NULL), g_bytes_get_size (job->csv), MAX_ROWS,
                               &error)) == NULL)
    {
      job->status = SOUP_STATUS_BAD_REQUEST;
      job->code = g_strdup ("bad_csv");
      job->message = g_strdup (error->message);
    }
  else if ((db = cabut_db_open_reader (job->db_path, &error)) == NULL ||
           (job->items = match_rows (db, rows, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else if (job->items->len == 0)
    {
      job->status = SOUP_STATUS_BAD_REQUEST;
      job->code = g_strdup ("empty_csv");
    }
  else if (job->preview)
    job->answer = batch_to_json (NULL, job->batch.reason, job->batch.note, job->items);

  g_task_return_boolean (task, TRUE);
}

static void
rows_matched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  NewBatch *job = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    cabut_server_reply_gerror (job->msg, error);
  else if (job->code != NULL && g_str_equal (job->code, "bad_csv"))
    /* The parser's message, already in the service's language. */
    cabut_server_reply_error (job->msg, job->status, job->code, "%s", job->message);
  else if (job->code != NULL)
    cabut_server_reply_error (job->msg, job->status, job->code,
                              N_("The CSV file has no rows: one NIP or serial number per row"));
  else if (job->preview)
    cabut_server_reply_json (job->msg, SOUP_STATUS_OK, job->answer);
  else
    {
      /* The batch and every row, in one transaction on the writer thread. */
      job->batch.created_at = cabut_server_now ();
      cabut_db_write_async (job->server->db, write_batch, job, batch_written_cb, job);
      return;
    }

  new_batch_free (job);
}

static void
create_batch (CabutServer         *self,
              CabutRequestContext *ctx,
              GHashTable          *query)
{
  SoupServerMessage *msg = ctx->msg;
  const char *reason_name = query ? g_hash_table_lookup (query, "reason") : NULL;
  const char *note = query ? g_hash_table_lookup (query, "note") : NULL;
  const char *dry_run = query ? g_hash_table_lookup (query, "dry_run") : NULL;
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Idempotency-Key");
  const CabutReasonInfo *reason;
  g_autoptr(GError) error = NULL;
  gboolean preview;

  reason = reason_name != NULL ? cabut_reason_lookup_name (reason_name) : NULL;
  if (reason == NULL)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_reason",
                                N_("Choose one of the revocation reasons the service offers"));
      return;
    }
  if (dry_run != NULL && !g_str_equal (dry_run, "true") && !g_str_equal (dry_run, "false"))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", N_("dry_run must be true or false"));
      return;
    }
  preview = g_strcmp0 (dry_run, "true") == 0;
  if (note != NULL && (*note == '\0' || !g_utf8_validate (note, -1, NULL)))
    note = NULL;
  if (note != NULL && g_utf8_strlen (note, -1) > MAX_NOTE_LENGTH)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The note is longer than %d characters"), MAX_NOTE_LENGTH);
      return;
    }
  if (key != NULL && (*key == '\0' || strlen (key) > MAX_KEY_LENGTH))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The Idempotency-Key header must hold 1 to 200 characters"));
      return;
    }
  /* Four eyes on every revocation: a batch would have one pair. */
  if (!preview && self->second_approval)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "second_approval",
                                N_("Under second approval a bulk revocation cannot be run: preview it, and "
                                   "approve the requests one by one"));
      return;
    }

  /* A retry of a batch already made gets that batch. */
  if (!preview && key != NULL)
    {
      gint64 existing = cabut_bulk_store_find_by_key (self->db, ctx->account->id, key, &error);

      if (existing < 0)
        {
          cabut_server_reply_gerror (msg, error);
          return;
        }
      if (existing > 0)
        {
          g_autofree char *number = g_strdup_printf ("BULK-%06" G_GINT64_FORMAT, existing);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Idempotent-Replayed", "true");
          reply_stored_batch (self, msg, SOUP_STATUS_OK, number);
          return;
        }
    }

  {
    NewBatch *job = g_new0 (NewBatch, 1);
    g_autoptr(GTask) task = NULL;

    job->server = g_object_ref (self);
    job->msg = g_object_ref (msg);
    job->preview = preview;
    job->csv = soup_message_body_flatten (soup_server_message_get_request_body (msg));
    job->db_path = g_build_filename (self->data_dir, "cabut.db", NULL);
    job->batch.idempotency_key = key != NULL ? g_strdup (key) : g_uuid_string_random ();
    job->batch.reason = reason->code;
    job->batch.note = g_strdup (note);
    job->batch.actor_id = ctx->account->id;
    job->remote = g_strdup (cabut_server_remote_of (msg));
    soup_server_message_pause (msg);
    task = g_task_new (NULL, NULL, rows_matched_cb, job);
    g_task_set_task_data (task, job, NULL);
    g_task_run_in_thread (task, match_thread);
  }
}

/**
 * cabut_server_handle_bulk:
 * @batch: (nullable): the batch's number, for GET /admin/bulk/ID and its resume
 * @action: (nullable): "resume"
 *
 * POST /api/v1/admin/bulk, GET /api/v1/admin/bulk/ID, POST
 * /api/v1/admin/bulk/ID/resume (operators and administrators).
 */
void
cabut_server_handle_bulk (CabutServer         *self,
                          CabutRequestContext *ctx,
                          const char          *batch,
                          const char          *action,
                          GHashTable          *query)
{
  SoupServerMessage *msg = ctx->msg;
  const char *method = soup_server_message_get_method (msg);

  if (!cabut_account_is_operator (ctx->account))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", N_("Only a verification officer may do this"));
      return;
    }

  if (batch == NULL)
    {
      if (method == SOUP_METHOD_POST)
        create_batch (self, ctx, query);
      else
        cabut_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                  N_("This address does not take that method"));
      return;
    }

  if (action == NULL && method == SOUP_METHOD_GET)
    {
      reply_stored_batch (self, msg, SOUP_STATUS_OK, batch);
      return;
    }
  if (action == NULL || !g_str_equal (action, "resume"))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
      return;
    }
  if (method != SOUP_METHOD_POST)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                N_("This address does not take that method"));
      return;
    }

  /* Resuming: carries on from the first row not done. */
  {
    g_auto(CabutBulkBatchRow) stored = { 0 };
    g_autoptr(GError) error = NULL;
    gboolean found = FALSE;

    if (!cabut_bulk_store_get (self->db, batch, &stored, &found, &error))
      {
        cabut_server_reply_gerror (msg, error);
        return;
      }
    if (!found)
      {
        cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is no batch %s"), batch);
        return;
      }
    if (g_str_equal (stored.state, "done"))
      {
        reply_stored_batch (self, msg, SOUP_STATUS_OK, batch);
        return;
      }
    cabut_server_audit_later (self, msg, ctx->account, "bulk.resume", batch, NULL);
    start_when_answered (self, msg, batch);
    reply_stored_batch (self, msg, SOUP_STATUS_ACCEPTED, batch);
  }
}
