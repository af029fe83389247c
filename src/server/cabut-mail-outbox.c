/* cabut-mail-outbox.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The outbox of e-mail notices in SQLite: see cabut-mail-outbox.h. */

#define G_LOG_DOMAIN "cabut-mail"

#include "config.h"

#include "cabut-mail-outbox.h"

void
cabut_outbox_row_clear (CabutOutboxRow *row)
{
  g_clear_pointer (&row->kind, g_free);
  g_clear_pointer (&row->recipient, g_free);
  g_clear_pointer (&row->message, g_bytes_unref);
}

static gboolean
add (CabutDb     *db,
     gint64       request_id,
     gint64       complaint_id,
     gint64       event_id,
     const char  *kind,
     const char  *recipient,
     const char  *message_id,
     GBytes      *message,
     gint64       now,
     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gsize length = 0;
  gconstpointer data = g_bytes_get_data (message, &length);

  stmt = cabut_db_prepare (db,
                           "INSERT INTO mail_outbox (request_id, complaint_id, event_id, kind, recipient, message_id, "
                           "message, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  if (request_id != 0)
    sqlite3_bind_int64 (stmt, 1, request_id);
  if (complaint_id != 0)
    sqlite3_bind_int64 (stmt, 2, complaint_id);
  if (event_id != 0)
    sqlite3_bind_int64 (stmt, 3, event_id);
  sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, recipient, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (stmt, 7, data, length, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, now);
  sqlite3_bind_int64 (stmt, 9, now);

  return cabut_db_step_done (db, stmt, error);
}

/* Queues a notice, to be tried at once. A second notice of the same kind
 * for the request fails with %CABUT_DB_ERROR_CONSTRAINT. */
gboolean
cabut_mail_outbox_add (CabutDb     *db,
                       gint64       request_id,
                       const char  *kind,
                       const char  *recipient,
                       const char  *message_id,
                       GBytes      *message,
                       gint64       now,
                       GError     **error)
{
  return add (db, request_id, 0, 0, kind, recipient, message_id, message, now, error);
}

/* Queues the notice of one entry (@event_id) of a complaint's thread: one
 * per entry, a second fails with %CABUT_DB_ERROR_CONSTRAINT. */
gboolean
cabut_mail_outbox_add_for_complaint (CabutDb     *db,
                                     gint64       complaint_id,
                                     gint64       event_id,
                                     const char  *kind,
                                     const char  *recipient,
                                     const char  *message_id,
                                     GBytes      *message,
                                     gint64       now,
                                     GError     **error)
{
  return add (db, 0, complaint_id, event_id, kind, recipient, message_id, message, now, error);
}

/**
 * cabut_mail_outbox_next:
 * @found: (out): whether a notice is due now; then @row holds it
 * @next_at: (out): when none is due, the time the next one is, or 0
 *
 * The pending notice due first, oldest first.
 */
gboolean
cabut_mail_outbox_next (CabutDb         *db,
                        gint64           now,
                        CabutOutboxRow  *row,
                        gboolean        *found,
                        gint64          *next_at,
                        GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *found = FALSE;
  *next_at = 0;
  stmt = cabut_db_prepare (db,
                           "SELECT id, request_id, kind, recipient, message, attempts, next_attempt_at "
                           "FROM mail_outbox INDEXED BY mail_outbox_pending WHERE state = 'pending' "
                           "ORDER BY next_attempt_at, id LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;

  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      return TRUE;
    default:
      return FALSE;
    }

  if (sqlite3_column_int64 (stmt, 6) > now)
    {
      *next_at = sqlite3_column_int64 (stmt, 6);
      return TRUE;
    }

  row->id = sqlite3_column_int64 (stmt, 0);
  row->request_id = sqlite3_column_int64 (stmt, 1);
  row->kind = cabut_db_column_text (stmt, 2);
  row->recipient = cabut_db_column_text (stmt, 3);
  row->message = g_bytes_new (sqlite3_column_blob (stmt, 4), sqlite3_column_bytes (stmt, 4));
  row->attempts = sqlite3_column_int (stmt, 5);
  *found = TRUE;

  return TRUE;
}

/* Runs an UPDATE of one pending notice; one that is no longer pending is
 * left as it is. */
static gboolean
update_pending (CabutDb     *db,
                const char  *sql,
                gint64       id,
                gint64       time,
                const char  *last_error,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = cabut_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":id"), id);
  if (sqlite3_bind_parameter_index (stmt, ":time") > 0)
    sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":time"), time);
  if (sqlite3_bind_parameter_index (stmt, ":error") > 0)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":error"), last_error, -1, SQLITE_TRANSIENT);

  return cabut_db_step_done (db, stmt, error);
}

/* The mail server has taken the notice. */
gboolean
cabut_mail_outbox_sent (CabutDb  *db,
                        gint64    id,
                        gint64    now,
                        GError  **error)
{
  return update_pending (db, "UPDATE mail_outbox SET state = 'sent', sent_at = :time, last_error = NULL "
                             "WHERE id = :id AND state = 'pending'", id, now, NULL, error);
}

/* An attempt failed; the next is at @next_at. */
gboolean
cabut_mail_outbox_retry (CabutDb     *db,
                         gint64       id,
                         gint64       next_at,
                         const char  *last_error,
                         GError     **error)
{
  return update_pending (db, "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = :time, "
                             "last_error = :error WHERE id = :id AND state = 'pending'", id, next_at, last_error,
                         error);
}

/* The recipient was refused for good: kept, with why, never tried again. */
gboolean
cabut_mail_outbox_failed (CabutDb     *db,
                          gint64       id,
                          const char  *last_error,
                          GError     **error)
{
  return update_pending (db, "UPDATE mail_outbox SET state = 'failed', attempts = attempts + 1, "
                             "last_error = :error WHERE id = :id AND state = 'pending'", id, 0, last_error, error);
}
