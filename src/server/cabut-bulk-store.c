/* cabut-bulk-store.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <string.h>

#include "cabut-bulk-store.h"

/* What a bulk revocation reads and records. A batch's rows are written
 * with it in one transaction; each row's revocation later commits with the
 * row marked done, so a batch cut off mid-way resumes where it stopped and
 * never revokes twice. */

#define MATCH_COLUMNS \
  "c.id, c.account_id, a.username, a.full_name, a.nip, c.serial, c.subject, c.status = 'revoked', " \
  "(SELECT number FROM requests r WHERE r.certificate_id = c.id AND r.state IN ('submitted', 'in_review')) "

void
cabut_bulk_match_clear (gpointer data)
{
  CabutBulkMatch *match = data;

  g_clear_pointer (&match->username, g_free);
  g_clear_pointer (&match->full_name, g_free);
  g_clear_pointer (&match->nip, g_free);
  g_clear_pointer (&match->serial, g_free);
  g_clear_pointer (&match->subject, g_free);
  g_clear_pointer (&match->open_number, g_free);
}

void
cabut_bulk_item_clear (gpointer data)
{
  CabutBulkItem *item = data;

  g_clear_pointer (&item->value, g_free);
  g_clear_pointer (&item->state, g_free);
  g_clear_pointer (&item->why, g_free);
  g_clear_pointer (&item->username, g_free);
  g_clear_pointer (&item->full_name, g_free);
  g_clear_pointer (&item->serial, g_free);
  g_clear_pointer (&item->subject, g_free);
  g_clear_pointer (&item->request_number, g_free);
}

void
cabut_bulk_batch_row_clear (CabutBulkBatchRow *batch)
{
  g_clear_pointer (&batch->number, g_free);
  g_clear_pointer (&batch->idempotency_key, g_free);
  g_clear_pointer (&batch->state, g_free);
  g_clear_pointer (&batch->note, g_free);
  g_clear_pointer (&batch->actor_username, g_free);
  g_clear_pointer (&batch->actor_name, g_free);
}

static void
read_match (sqlite3_stmt *stmt,
            gpointer      element)
{
  CabutBulkMatch *match = element;

  match->certificate_id = sqlite3_column_int64 (stmt, 0);
  match->account_id = sqlite3_column_int64 (stmt, 1);
  match->username = cabut_db_column_text (stmt, 2);
  match->full_name = cabut_db_column_text (stmt, 3);
  match->nip = cabut_db_column_text (stmt, 4);
  match->serial = cabut_db_column_text (stmt, 5);
  match->subject = cabut_db_column_text (stmt, 6);
  match->revoked = sqlite3_column_int (stmt, 7) != 0;
  match->open_number = cabut_db_column_text (stmt, 8);
}

/**
 * cabut_bulk_store_match_nip:
 * @account_found: (out): whether an account has this NIP
 *
 * Returns: (transfer full) (nullable): the certificates of the account
 *   with @nip (#CabutBulkMatch), oldest first, or %NULL with @error set
 */
GArray *
cabut_bulk_store_match_nip (CabutDb     *db,
                            const char  *nip,
                            gboolean    *account_found,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) account = NULL;

  if ((account = cabut_db_prepare (db, "SELECT id FROM accounts WHERE nip = ?", error)) == NULL)
    return NULL;
  sqlite3_bind_text (account, 1, nip, -1, SQLITE_TRANSIENT);
  switch (cabut_db_step (db, account, error))
    {
    case SQLITE_ROW: *account_found = TRUE; break;
    case SQLITE_DONE: *account_found = FALSE; break;
    default: return NULL;
    }

  stmt = cabut_db_prepare (db, "SELECT " MATCH_COLUMNS "FROM accounts a JOIN certificates c ON c.account_id = a.id "
                               "WHERE a.nip = ? ORDER BY c.not_before, c.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, nip, -1, SQLITE_TRANSIENT);

  return cabut_db_collect (db, stmt, sizeof (CabutBulkMatch), cabut_bulk_match_clear, read_match, error);
}

/**
 * cabut_bulk_store_match_serial:
 *
 * Returns: (transfer full) (nullable): the certificates registered under
 *   @serial (#CabutBulkMatch; more than one only across issuers), or %NULL
 *   with @error set
 */
GArray *
cabut_bulk_store_match_serial (CabutDb     *db,
                               const char  *serial,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "SELECT " MATCH_COLUMNS "FROM certificates c JOIN accounts a ON a.id = c.account_id "
                               "WHERE c.serial = ? ORDER BY c.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_TRANSIENT);

  return cabut_db_collect (db, stmt, sizeof (CabutBulkMatch), cabut_bulk_match_clear, read_match, error);
}

/* Returns: the batch @actor_id made with @key, 0 when none, -1 with @error set. */
gint64
cabut_bulk_store_find_by_key (CabutDb     *db,
                              gint64       actor_id,
                              const char  *key,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "SELECT id FROM bulk_batches WHERE actor_id = ? AND idempotency_key = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, actor_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);

  return cabut_db_step_id (db, stmt, error);
}

/**
 * cabut_bulk_store_create:
 * @items: (element-type CabutBulkItem): every row, in order; matched ones
 *   in state "pending", the others "unmatched" with their why
 *
 * Records a batch and its rows. Run it inside a transaction.
 */
gboolean
cabut_bulk_store_create (CabutDb               *db,
                         const CabutBulkBatchRow  *batch,
                         GArray                *items,
                         gint64                *id,
                         char                 **number,
                         GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "INSERT INTO bulk_batches (number, idempotency_key, state, reason, note, actor_id, "
                               "created_at) VALUES ('pending', ?, 'running', ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, batch->idempotency_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, batch->reason);
  sqlite3_bind_text (stmt, 3, batch->note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, batch->actor_id);
  sqlite3_bind_int64 (stmt, 5, batch->created_at);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  *id = cabut_db_last_insert_id (db);
  *number = g_strdup_printf ("BULK-%06" G_GINT64_FORMAT, *id);
  if ((stmt = cabut_db_prepare (db, "UPDATE bulk_batches SET number = ? WHERE id = ?", error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, *number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, *id);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = cabut_db_prepare (db, "INSERT INTO bulk_items (batch_id, seq, row, value, state, why, certificate_id) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      const CabutBulkItem *item = &g_array_index (items, CabutBulkItem, i);

      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      sqlite3_bind_int64 (stmt, 1, *id);
      sqlite3_bind_int (stmt, 2, i + 1);
      sqlite3_bind_int (stmt, 3, item->row);
      sqlite3_bind_text (stmt, 4, item->value, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, item->state, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, item->why, -1, SQLITE_TRANSIENT);
      if (item->certificate_id != 0)
        sqlite3_bind_int64 (stmt, 7, item->certificate_id);
      if (!cabut_db_step_done (db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/** cabut_bulk_store_get: @found: (out): whether there is a batch @number */
gboolean
cabut_bulk_store_get (CabutDb         *db,
                      const char      *number,
                      CabutBulkBatchRow  *batch,
                      gboolean        *found,
                      GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "SELECT b.id, b.number, b.idempotency_key, b.state, b.reason, b.note, b.actor_id, "
                               "a.username, a.full_name, b.created_at, b.finished_at "
                               "FROM bulk_batches b JOIN accounts a ON a.id = b.actor_id WHERE b.number = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);

  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      batch->id = sqlite3_column_int64 (stmt, 0);
      batch->number = cabut_db_column_text (stmt, 1);
      batch->idempotency_key = cabut_db_column_text (stmt, 2);
      batch->state = cabut_db_column_text (stmt, 3);
      batch->reason = sqlite3_column_int (stmt, 4);
      batch->note = cabut_db_column_text (stmt, 5);
      batch->actor_id = sqlite3_column_int64 (stmt, 6);
      batch->actor_username = cabut_db_column_text (stmt, 7);
      batch->actor_name = cabut_db_column_text (stmt, 8);
      batch->created_at = sqlite3_column_int64 (stmt, 9);
      batch->finished_at = sqlite3_column_type (stmt, 10) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 10);
      *found = TRUE;
      return TRUE;
    case SQLITE_DONE:
      *found = FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

#define ITEM_COLUMNS \
  "i.id, i.row, i.value, i.state, i.why, i.certificate_id, a.username, a.full_name, c.serial, c.subject, r.number "
#define ITEM_FROM \
  "FROM bulk_items i LEFT JOIN certificates c ON c.id = i.certificate_id " \
  "LEFT JOIN accounts a ON a.id = c.account_id LEFT JOIN requests r ON r.id = i.request_id "

static void
read_item (sqlite3_stmt *stmt,
           gpointer      element)
{
  CabutBulkItem *item = element;

  item->id = sqlite3_column_int64 (stmt, 0);
  item->row = sqlite3_column_int (stmt, 1);
  item->value = cabut_db_column_text (stmt, 2);
  item->state = cabut_db_column_text (stmt, 3);
  item->why = cabut_db_column_text (stmt, 4);
  item->certificate_id = sqlite3_column_int64 (stmt, 5);
  item->username = cabut_db_column_text (stmt, 6);
  item->full_name = cabut_db_column_text (stmt, 7);
  item->serial = cabut_db_column_text (stmt, 8);
  item->subject = cabut_db_column_text (stmt, 9);
  item->request_number = cabut_db_column_text (stmt, 10);
}

/** cabut_bulk_store_items: Returns: (transfer full) (nullable): every row of the batch, in order */
GArray *
cabut_bulk_store_items (CabutDb  *db,
                        gint64    batch_id,
                        GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "SELECT " ITEM_COLUMNS ITEM_FROM "WHERE i.batch_id = ? ORDER BY i.seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);

  return cabut_db_collect (db, stmt, sizeof (CabutBulkItem), cabut_bulk_item_clear, read_item, error);
}

/** cabut_bulk_store_next_pending: the first row still to do, in the CSV's order */
gboolean
cabut_bulk_store_next_pending (CabutDb        *db,
                               gint64          batch_id,
                               CabutBulkItem  *item,
                               gboolean       *found,
                               GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "SELECT " ITEM_COLUMNS ITEM_FROM "WHERE i.batch_id = ? AND i.state = 'pending' "
                               "ORDER BY i.seq LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, batch_id);

  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      read_item (stmt, item);
      *found = TRUE;
      return TRUE;
    case SQLITE_DONE:
      *found = FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

/* Marks a row done ("revoked", with its request) or "skipped" (why). */
gboolean
cabut_bulk_store_finish_item (CabutDb     *db,
                              gint64       item_id,
                              const char  *state,
                              const char  *why,
                              gint64       request_id,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "UPDATE bulk_items SET state = ?, why = ?, request_id = ? "
                               "WHERE id = ? AND state = 'pending'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, why, -1, SQLITE_TRANSIENT);
  if (request_id != 0)
    sqlite3_bind_int64 (stmt, 3, request_id);
  sqlite3_bind_int64 (stmt, 4, item_id);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  /* Fail closed: a row done twice would be a revocation done twice. */
  if (sqlite3_changes (cabut_db_get_handle (db)) != 1)
    {
      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_CONSTRAINT, "Bulk row %" G_GINT64_FORMAT " is done already",
                   item_id);
      return FALSE;
    }

  return TRUE;
}

gboolean
cabut_bulk_store_finish (CabutDb  *db,
                         gint64    batch_id,
                         gint64    now,
                         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "UPDATE bulk_batches SET state = 'done', finished_at = ? WHERE id = ? "
                               "AND state = 'running'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, batch_id);

  return cabut_db_step_done (db, stmt, error);
}

/** cabut_bulk_store_match_certificate: the certificate @certificate_id as a row would match it now */
gboolean
cabut_bulk_store_match_certificate (CabutDb         *db,
                                    gint64           certificate_id,
                                    CabutBulkMatch  *match,
                                    gboolean        *found,
                                    GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "SELECT " MATCH_COLUMNS "FROM certificates c JOIN accounts a ON a.id = c.account_id "
                               "WHERE c.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, certificate_id);

  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      read_match (stmt, match);
      *found = TRUE;
      return TRUE;
    case SQLITE_DONE:
      *found = FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}
