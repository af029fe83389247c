/* cabut-complaint-store.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The complaints in SQLite: see cabut-complaint-store.h. */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include "cabut-complaint-store.h"
#include "cabut-request-store.h"

#define COMPLAINT_COLUMNS \
  "k.id, k.number, k.state, k.text, k.account_id, a.username, a.full_name, k.request_id, r.number, " \
  "k.created_at, k.due_at, k.updated_at, k.resolved_at"

#define COMPLAINT_FROM \
  " FROM complaints k JOIN accounts a ON a.id = k.account_id LEFT JOIN requests r ON r.id = k.request_id "

void
cabut_complaint_row_clear (CabutComplaintRow *row)
{
  g_clear_pointer (&row->number, g_free);
  g_clear_pointer (&row->state, g_free);
  g_clear_pointer (&row->text, g_free);
  g_clear_pointer (&row->username, g_free);
  g_clear_pointer (&row->full_name, g_free);
  g_clear_pointer (&row->request_number, g_free);
}

void
cabut_complaint_row_free (CabutComplaintRow *row)
{
  if (row == NULL)
    return;
  cabut_complaint_row_clear (row);
  g_free (row);
}

/* The columns of COMPLAINT_COLUMNS, by name. */
static void
read_complaint (sqlite3_stmt      *stmt,
                CabutComplaintRow *row)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->number = cabut_db_column_text (stmt, 1);
  row->state = cabut_db_column_text (stmt, 2);
  row->text = cabut_db_column_text (stmt, 3);
  row->account_id = sqlite3_column_int64 (stmt, 4);
  row->username = cabut_db_column_text (stmt, 5);
  row->full_name = cabut_db_column_text (stmt, 6);
  row->request_id = sqlite3_column_int64 (stmt, 7);
  row->request_number = cabut_db_column_text (stmt, 8);
  row->created_at = sqlite3_column_int64 (stmt, 9);
  row->due_at = sqlite3_column_int64 (stmt, 10);
  row->updated_at = sqlite3_column_int64 (stmt, 11);
  row->resolved_at = sqlite3_column_int64 (stmt, 12);
}

static gboolean
get_one (CabutDb            *db,
         sqlite3_stmt       *stmt,
         CabutComplaintRow  *row,
         gboolean           *found,
         GError            **error)
{
  *found = FALSE;
  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      read_complaint (stmt, row);
      *found = TRUE;
      return TRUE;
    case SQLITE_DONE:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
cabut_complaint_store_get_by_number (CabutDb            *db,
                                     const char         *number,
                                     CabutComplaintRow  *row,
                                     gboolean           *found,
                                     GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = cabut_db_prepare (db, "SELECT " COMPLAINT_COLUMNS COMPLAINT_FROM
                                                       "WHERE k.number = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);

  return get_one (db, stmt, row, found, error);
}

gboolean
cabut_complaint_store_get (CabutDb            *db,
                           gint64              id,
                           CabutComplaintRow  *row,
                           gboolean           *found,
                           GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = cabut_db_prepare (db, "SELECT " COMPLAINT_COLUMNS COMPLAINT_FROM
                                                       "WHERE k.id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);

  return get_one (db, stmt, row, found, error);
}

/**
 * cabut_complaint_store_thread:
 *
 * Returns: (transfer full) (nullable): every entry of the complaint's
 *   thread, oldest first (#CabutEventRow), or %NULL with @error set
 */
GArray *
cabut_complaint_store_thread (CabutDb  *db,
                              gint64    complaint_id,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "SELECT e.id, e.at, e.kind, e.state, e.note, a.username, a.full_name, a.role "
                           "FROM events e LEFT JOIN accounts a ON a.id = e.actor_id "
                           "WHERE e.complaint_id = ? ORDER BY e.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, complaint_id);

  return cabut_db_collect (db, stmt, sizeof (CabutEventRow), cabut_event_row_clear, cabut_event_row_read,
                           error);
}

/**
 * cabut_complaint_store_list:
 * @more: (out): whether a page follows
 *
 * Keyset pagination over (created, id), through an index.
 *
 * Returns: (transfer full) (nullable): up to @query's limit of
 *   #CabutComplaintRow, or %NULL with @error set
 */
GPtrArray *
cabut_complaint_store_list (CabutDb                    *db,
                            const CabutComplaintQuery  *query,
                            gboolean                   *more,
                            GError                    **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " COMPLAINT_COLUMNS COMPLAINT_FROM "WHERE ");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cabut_complaint_row_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int param;
  int rc;

  *more = FALSE;

  g_string_append (sql, query->desk ? "1 " : "k.account_id = :account ");
  if (g_str_equal (query->state, "unresolved"))
    g_string_append (sql, "AND k.state != 'resolved' ");
  else if (!g_str_equal (query->state, "all"))
    g_string_append (sql, "AND k.state = :state ");
  if (query->desk)
    g_string_append (sql, query->has_cursor ? "AND (k.created_at, k.id) > (:key, :id) ORDER BY k.created_at, k.id "
                                            : "ORDER BY k.created_at, k.id ");
  else
    g_string_append (sql, query->has_cursor ? "AND (k.created_at, k.id) < (:key, :id) "
                                              "ORDER BY k.created_at DESC, k.id DESC "
                                            : "ORDER BY k.created_at DESC, k.id DESC ");
  g_string_append (sql, "LIMIT :limit");

  if ((stmt = cabut_db_prepare (db, sql->str, error)) == NULL)
    return NULL;
  if ((param = sqlite3_bind_parameter_index (stmt, ":account")) > 0)
    sqlite3_bind_int64 (stmt, param, query->account_id);
  if ((param = sqlite3_bind_parameter_index (stmt, ":state")) > 0)
    sqlite3_bind_text (stmt, param, query->state, -1, SQLITE_STATIC);
  if (query->has_cursor)
    {
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":key"), query->cursor_key);
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":id"), query->cursor_id);
    }
  /* One more than the page: whether there is a next one. */
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), query->limit + 1);

  while ((rc = cabut_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      CabutComplaintRow *row;

      if (rows->len == query->limit)
        {
          *more = TRUE;
          break;
        }
      row = g_new0 (CabutComplaintRow, 1);
      read_complaint (stmt, row);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&rows);
}

/**
 * cabut_complaint_store_insert:
 * @request_id: the request it is about, or 0
 * @number: (out): CBT-K-YEAR-ID
 *
 * Records a complaint as open.
 */
gboolean
cabut_complaint_store_insert (CabutDb      *db,
                              gint64        account_id,
                              gint64        request_id,
                              const char   *text,
                              gint64        now,
                              gint64        due_at,
                              int           year,
                              gint64       *id,
                              char        **number,
                              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "INSERT INTO complaints (number, account_id, request_id, text, state, created_at, "
                           "due_at, updated_at) VALUES ('pending', ?, ?, ?, 'open', ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (request_id != 0)
    sqlite3_bind_int64 (stmt, 2, request_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, due_at);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  *id = cabut_db_last_insert_id (db);
  *number = g_strdup_printf ("CBT-K-%d-%06" G_GINT64_FORMAT, year, *id);
  stmt = cabut_db_prepare (db, "UPDATE complaints SET number = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, *number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, *id);

  return cabut_db_step_done (db, stmt, error);
}

/**
 * cabut_complaint_store_set_state:
 * @due_at: the new response deadline, or 0 to keep it
 *
 * Moves the complaint on from the state it was read in, and only from it
 * (@from may equal @to: an entry that keeps the state still must find it
 * unchanged). @moved says whether it did.
 */
gboolean
cabut_complaint_store_set_state (CabutDb     *db,
                                 gint64       id,
                                 const char  *from,
                                 const char  *to,
                                 gint64       now,
                                 gint64       due_at,
                                 gboolean    *moved,
                                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "UPDATE complaints SET state = ?1, updated_at = ?2, "
                           "due_at = CASE WHEN ?3 = 0 THEN due_at ELSE ?3 END, "
                           "resolved_at = CASE WHEN ?1 = 'resolved' THEN ?2 ELSE NULL END "
                           "WHERE id = ?4 AND state = ?5", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, due_at);
  sqlite3_bind_int64 (stmt, 4, id);
  sqlite3_bind_text (stmt, 5, from, -1, SQLITE_TRANSIENT);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  *moved = sqlite3_changes (cabut_db_get_handle (db)) == 1;

  return TRUE;
}

/* An entry of the thread, which is an event of the feed. */
gboolean
cabut_complaint_store_add_event (CabutDb     *db,
                                 gint64       complaint_id,
                                 gint64       actor_id,
                                 const char  *kind,
                                 const char  *state,
                                 const char  *text,
                                 gint64       at,
                                 gint64      *event_id,
                                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "INSERT INTO events (complaint_id, at, actor_id, kind, state, note) "
                           "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, complaint_id);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_int64 (stmt, 3, actor_id);
  sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, text, -1, SQLITE_TRANSIENT);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  *event_id = cabut_db_last_insert_id (db);

  return TRUE;
}
