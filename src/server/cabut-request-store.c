/* cabut-request-store.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The requests in SQLite: see cabut-request-store.h. */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-request-store.h"

#define REQUEST_COLUMNS \
  "r.id, r.number, r.state, r.reason, r.note, r.letter_sha256, r.letter_type, r.letter_size, " \
  "r.key_possession, r.created_at, r.due_at, r.decided_at, r.account_id, r.certificate_id, " \
  "c.serial, c.subject, c.issuer, a.username, a.full_name, r.letter_match, r.letter_code, " \
  "f.username, f.full_name, p.action, p.proposer_id, pa.username, pa.full_name, p.at, p.note, a.nip, " \
  "r.reviewer_id, rv.username, rv.full_name"

/* f: the officer who filed it at the desk, if one did; p and pa: a
 * decision waiting for a second officer, and who proposed it; rv: the
 * officer who took it for review */
#define REQUEST_JOINS \
  "JOIN certificates c ON c.id = r.certificate_id JOIN accounts a ON a.id = r.account_id " \
  "LEFT JOIN accounts f ON f.id = r.filed_by " \
  "LEFT JOIN pending_decisions p ON p.request_id = r.id LEFT JOIN accounts pa ON pa.id = p.proposer_id " \
  "LEFT JOIN accounts rv ON rv.id = r.reviewer_id "
#define REQUEST_FROM \
  " FROM requests r " REQUEST_JOINS

void
cabut_request_row_clear (CabutRequestRow *row)
{
  g_clear_pointer (&row->number, g_free);
  g_clear_pointer (&row->state, g_free);
  g_clear_pointer (&row->note, g_free);
  g_clear_pointer (&row->letter_sha256, g_free);
  g_clear_pointer (&row->letter_type, g_free);
  g_clear_pointer (&row->serial, g_free);
  g_clear_pointer (&row->subject, g_free);
  g_clear_pointer (&row->issuer, g_free);
  g_clear_pointer (&row->username, g_free);
  g_clear_pointer (&row->full_name, g_free);
  g_clear_pointer (&row->letter_match, g_free);
  g_clear_pointer (&row->letter_code, g_free);
  g_clear_pointer (&row->filed_by_username, g_free);
  g_clear_pointer (&row->filed_by_name, g_free);
  g_clear_pointer (&row->pending_action, g_free);
  g_clear_pointer (&row->pending_by_username, g_free);
  g_clear_pointer (&row->pending_by_name, g_free);
  g_clear_pointer (&row->pending_note, g_free);
  g_clear_pointer (&row->nip, g_free);
  g_clear_pointer (&row->reviewer_username, g_free);
  g_clear_pointer (&row->reviewer_name, g_free);
}

void
cabut_request_row_free (CabutRequestRow *row)
{
  if (row == NULL)
    return;
  cabut_request_row_clear (row);
  g_free (row);
}

void
cabut_event_row_clear (gpointer data)
{
  CabutEventRow *row = data;

  g_clear_pointer (&row->kind, g_free);
  g_clear_pointer (&row->state, g_free);
  g_clear_pointer (&row->note, g_free);
  g_clear_pointer (&row->username, g_free);
  g_clear_pointer (&row->full_name, g_free);
  g_clear_pointer (&row->role, g_free);
}

/* The columns of REQUEST_COLUMNS, by name. */
static void
read_request (sqlite3_stmt    *stmt,
              CabutRequestRow *row)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->number = cabut_db_column_text (stmt, 1);
  row->state = cabut_db_column_text (stmt, 2);
  row->reason = sqlite3_column_int (stmt, 3);
  row->note = cabut_db_column_text (stmt, 4);
  row->letter_sha256 = cabut_db_column_text (stmt, 5);
  row->letter_type = cabut_db_column_text (stmt, 6);
  row->letter_size = sqlite3_column_int64 (stmt, 7);
  row->key_possession = sqlite3_column_int (stmt, 8) != 0;
  row->created_at = sqlite3_column_int64 (stmt, 9);
  row->due_at = sqlite3_column_int64 (stmt, 10);
  row->decided_at = sqlite3_column_type (stmt, 11) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 11);
  row->account_id = sqlite3_column_int64 (stmt, 12);
  row->certificate_id = sqlite3_column_int64 (stmt, 13);
  row->serial = cabut_db_column_text (stmt, 14);
  row->subject = cabut_db_column_text (stmt, 15);
  row->issuer = cabut_db_column_text (stmt, 16);
  row->username = cabut_db_column_text (stmt, 17);
  row->full_name = cabut_db_column_text (stmt, 18);
  row->letter_match = cabut_db_column_text (stmt, 19);
  row->letter_code = cabut_db_column_text (stmt, 20);
  row->filed_by_username = cabut_db_column_text (stmt, 21);
  row->filed_by_name = cabut_db_column_text (stmt, 22);
  row->pending_action = cabut_db_column_text (stmt, 23);
  row->pending_by = sqlite3_column_int64 (stmt, 24);
  row->pending_by_username = cabut_db_column_text (stmt, 25);
  row->pending_by_name = cabut_db_column_text (stmt, 26);
  row->pending_at = sqlite3_column_int64 (stmt, 27);
  row->pending_note = cabut_db_column_text (stmt, 28);
  row->nip = cabut_db_column_text (stmt, 29);
  row->reviewer_id = sqlite3_column_type (stmt, 30) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 30);
  row->reviewer_username = cabut_db_column_text (stmt, 31);
  row->reviewer_name = cabut_db_column_text (stmt, 32);
}

/* One row or none; @found says which. */
static gboolean
get_one (CabutDb          *db,
         sqlite3_stmt     *stmt,
         CabutRequestRow  *row,
         gboolean         *found,
         GError          **error)
{
  *found = FALSE;
  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      read_request (stmt, row);
      *found = TRUE;
      return TRUE;
    case SQLITE_DONE:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
cabut_request_store_get (CabutDb          *db,
                         gint64            id,
                         CabutRequestRow  *row,
                         gboolean         *found,
                         GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = cabut_db_prepare (db, "SELECT " REQUEST_COLUMNS REQUEST_FROM "WHERE r.id = ?",
                                                   error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);

  return get_one (db, stmt, row, found, error);
}

gboolean
cabut_request_store_get_by_number (CabutDb          *db,
                                   const char       *number,
                                   CabutRequestRow  *row,
                                   gboolean         *found,
                                   GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = cabut_db_prepare (db, "SELECT " REQUEST_COLUMNS REQUEST_FROM
                                                       "WHERE r.number = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);

  return get_one (db, stmt, row, found, error);
}

/**
 * cabut_request_store_events:
 *
 * Returns: (transfer full) (nullable): every event of the request, oldest
 *   first (#CabutEventRow), or %NULL with @error set — never part of them
 */
void
cabut_event_row_read (sqlite3_stmt *stmt,
                      gpointer      element)
{
  CabutEventRow *event = element;

  event->id = sqlite3_column_int64 (stmt, 0);
  event->at = sqlite3_column_int64 (stmt, 1);
  event->kind = cabut_db_column_text (stmt, 2);
  event->state = cabut_db_column_text (stmt, 3);
  event->note = cabut_db_column_text (stmt, 4);
  event->username = cabut_db_column_text (stmt, 5);
  event->full_name = cabut_db_column_text (stmt, 6);
  event->role = cabut_db_column_text (stmt, 7);
}

GArray *
cabut_request_store_events (CabutDb  *db,
                            gint64    request_id,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "SELECT e.id, e.at, e.kind, e.state, e.note, a.username, a.full_name, a.role "
                           "FROM events e LEFT JOIN accounts a ON a.id = e.actor_id "
                           "WHERE e.request_id = ? ORDER BY e.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, request_id);

  return cabut_db_collect (db, stmt, sizeof (CabutEventRow), cabut_event_row_clear, cabut_event_row_read,
                           error);
}

static void
feed_event_clear (gpointer data)
{
  CabutFeedEvent *event = data;

  g_clear_pointer (&event->number, g_free);
  g_clear_pointer (&event->kind, g_free);
  g_clear_pointer (&event->state, g_free);
  g_clear_pointer (&event->note, g_free);
  g_clear_pointer (&event->serial, g_free);
  g_clear_pointer (&event->complaint, g_free);
}

/**
 * cabut_request_store_feed:
 * @account_id: whose requests' events, or 0 for everyone's
 *
 * Returns: (transfer full) (nullable): up to @limit events after @after,
 *   oldest first (#CabutFeedEvent), or %NULL with @error set
 */
static void
read_feed_event (sqlite3_stmt *stmt,
                 gpointer      element)
{
  CabutFeedEvent *event = element;

  event->id = sqlite3_column_int64 (stmt, 0);
  event->number = cabut_db_column_text (stmt, 1);
  event->kind = cabut_db_column_text (stmt, 2);
  event->state = cabut_db_column_text (stmt, 3);
  event->at = sqlite3_column_int64 (stmt, 4);
  event->note = cabut_db_column_text (stmt, 5);
  event->serial = cabut_db_column_text (stmt, 6);
  event->complaint = cabut_db_column_text (stmt, 7);
}

GArray *
cabut_request_store_feed (CabutDb  *db,
                          gint64    after,
                          gint64    account_id,
                          guint     limit,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "SELECT e.id, r.number, e.kind, e.state, e.at, e.note, c.serial, k.number "
                           "FROM events e LEFT JOIN requests r ON r.id = e.request_id "
                           "LEFT JOIN certificates c ON c.id = r.certificate_id "
                           "LEFT JOIN complaints k ON k.id = e.complaint_id "
                           /* An applicant's feed leaves out the officers' deliberation
                            * under second approval. */
                           "WHERE e.id > ?1 AND (?2 = 0 OR (r.account_id = ?2 AND e.kind NOT IN "
                           "('decision_proposed', 'decision_declined')) OR k.account_id = ?2) "
                           "ORDER BY e.id LIMIT ?3",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_int64 (stmt, 3, limit);

  return cabut_db_collect (db, stmt, sizeof (CabutFeedEvent), feed_event_clear, read_feed_event, error);
}

/**
 * cabut_request_store_list:
 * @more: (out): whether a page follows
 *
 * Keyset pagination: the rows after the cursor in a fixed order, found
 * through an index, so the first page and the thousandth cost the same.
 *
 * Returns: (transfer full) (nullable): up to @query's limit of
 *   #CabutRequestRow, or %NULL with @error set — never a shorter page
 */
GPtrArray *
cabut_request_store_list (CabutDb                  *db,
                          const CabutRequestQuery  *query,
                          gboolean                 *more,
                          GError                  **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " REQUEST_COLUMNS);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cabut_request_row_free);
  g_autofree char *like = NULL;
  g_autofree char *upper = NULL;
  int param;
  int rc;

  *more = FALSE;

  /* The same terms as the partial and plain indexes (migrations 4 and 5),
   * so SQLite walks an index in order and stops at the page's end.
   * Without statistics the planner would sort every open request for the
   * open queue: that one is named. */
  if (query->queue && g_str_equal (query->state, "open") && query->search == NULL)
    g_string_append (sql, " FROM requests r INDEXED BY requests_open_due " REQUEST_JOINS "WHERE ");
  else
    g_string_append (sql, REQUEST_FROM "WHERE ");
  g_string_append (sql, query->queue ? "1 " : "r.account_id = :account ");
  if (g_str_equal (query->state, "open"))
    g_string_append (sql, "AND r.state IN ('submitted', 'in_review') ");
  else if (!g_str_equal (query->state, "all"))
    g_string_append (sql, "AND r.state = :state ");
  if (query->pending > 0)
    g_string_append (sql, "AND p.request_id IS NOT NULL ");
  else if (query->pending == 0)
    g_string_append (sql, "AND p.request_id IS NULL ");
  if (query->search != NULL)
    g_string_append (sql, "AND r.id IN (SELECT id FROM requests WHERE number = :q "
                          "UNION SELECT r2.id FROM certificates c2 JOIN requests r2 ON r2.certificate_id = c2.id "
                          "WHERE c2.serial = :upper "
                          "UNION SELECT r3.id FROM accounts a3 JOIN requests r3 ON r3.account_id = a3.id "
                          "WHERE a3.nip = :q OR a3.nik = :q OR a3.full_name LIKE :like ESCAPE '\\') ");
  if (query->queue)
    g_string_append (sql, query->has_cursor ? "AND (r.due_at, r.id) > (:key, :id) ORDER BY r.due_at, r.id "
                                            : "ORDER BY r.due_at, r.id ");
  else
    g_string_append (sql, query->has_cursor ? "AND (r.created_at, r.id) < (:key, :id) "
                                              "ORDER BY r.created_at DESC, r.id DESC "
                                            : "ORDER BY r.created_at DESC, r.id DESC ");
  g_string_append (sql, "LIMIT :limit");

  if ((stmt = cabut_db_prepare (db, sql->str, error)) == NULL)
    return NULL;
  if ((param = sqlite3_bind_parameter_index (stmt, ":account")) > 0)
    sqlite3_bind_int64 (stmt, param, query->account_id);
  if ((param = sqlite3_bind_parameter_index (stmt, ":state")) > 0)
    sqlite3_bind_text (stmt, param, query->state, -1, SQLITE_STATIC);
  if (query->search != NULL)
    {
      g_autoptr(GString) escaped = g_string_new ("%");

      /* LIKE's wildcards are plain characters in a search. */
      for (const char *p = query->search; *p != '\0'; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (escaped, '\\');
          g_string_append_c (escaped, *p);
        }
      g_string_append_c (escaped, '%');
      like = g_string_free (g_steal_pointer (&escaped), FALSE);
      upper = g_ascii_strup (query->search, -1);
      sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":q"), query->search, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":upper"), upper, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":like"), like, -1, SQLITE_STATIC);
    }
  if (query->has_cursor)
    {
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":key"), query->cursor_key);
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":id"), query->cursor_id);
    }
  /* One more than the page: whether there is a next one. */
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), query->limit + 1);

  while ((rc = cabut_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      CabutRequestRow *row;

      if (rows->len == query->limit)
        {
          *more = TRUE;
          break;
        }
      row = g_new0 (CabutRequestRow, 1);
      read_request (stmt, row);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&rows);
}

/**
 * cabut_request_store_count:
 * @now: what "overdue" is measured against
 *
 * Counts every state in one walk of the (state, due_at) index, which
 * covers the query: no table row is read, whatever the number of requests.
 *
 * Returns: %TRUE with @counts filled, or %FALSE with @error set
 */
gboolean
cabut_request_store_count (CabutDb             *db,
                           gint64               now,
                           CabutRequestCounts  *counts,
                           GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *counts = (CabutRequestCounts) { 0 };
  stmt = cabut_db_prepare (db,
                           "SELECT state, COUNT(*), SUM(due_at < ?) FROM requests INDEXED BY requests_state "
                           "GROUP BY state", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);

  while ((rc = cabut_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *state = (const char *) sqlite3_column_text (stmt, 0);
      gint64 n = sqlite3_column_int64 (stmt, 1);
      gint64 late = sqlite3_column_int64 (stmt, 2);

      if (g_strcmp0 (state, "submitted") == 0)
        counts->submitted = n, counts->overdue += late;
      else if (g_strcmp0 (state, "in_review") == 0)
        counts->in_review = n, counts->overdue += late;
      else if (g_strcmp0 (state, "revoked") == 0)
        counts->revoked = n;
      else if (g_strcmp0 (state, "rejected") == 0)
        counts->rejected = n;
      else if (g_strcmp0 (state, "cancelled") == 0)
        counts->cancelled = n;
      else
        {
          g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, _("A request is in a state the service does not know: %s"),
                       state ? state : "");
          return FALSE;
        }
    }

  return rc == SQLITE_DONE;
}

/* Whether any request refers to the letter stored under @letter_sha256. */
gboolean
cabut_request_store_letter_in_use (CabutDb     *db,
                                   const char  *letter_sha256,
                                   gboolean    *in_use,
                                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = cabut_db_prepare (db, "SELECT 1 FROM requests WHERE letter_sha256 = ? LIMIT 1",
                                                   error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, letter_sha256, -1, SQLITE_TRANSIENT);
  rc = cabut_db_step (db, stmt, error);
  *in_use = rc == SQLITE_ROW;

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* Returns: whether the lookup could be made; @number is then the number
 * of the certificate's undecided request, or %NULL when it has none. */
gboolean
cabut_request_store_find_open (CabutDb      *db,
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

/* Returns: the request's id, 0 when the key is new, -1 with @error set
 * when the database cannot say. */
gint64
cabut_request_store_find_by_key (CabutDb      *db,
                                 gint64        account_id,
                                 const char   *key,
                                 GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "SELECT id FROM requests WHERE account_id = ? AND idempotency_key = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);

  return cabut_db_step_id (db, stmt, error);
}

/* Whether the request @id was filed with this metadata and letter: a retry,
 * not another request under a reused key. Rows from before schema 3 have
 * no metadata digest; their letter decides. */
gboolean
cabut_request_store_same_filing (CabutDb      *db,
                                 gint64        id,
                                 const char   *metadata_sha256,
                                 const char   *letter_sha256,
                                 gboolean     *same,
                                 GError      **error)
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

/**
 * cabut_request_store_insert:
 * @number: (out): CBT-YEAR-ID
 *
 * Records a request as submitted. A certificate with an undecided request
 * already fails with %CABUT_DB_ERROR_CONSTRAINT (requests_one_open).
 */
gboolean
cabut_request_store_insert (CabutDb                *db,
                            const CabutNewRequest  *request,
                            gint64                 *id,
                            char                  **number,
                            GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "INSERT INTO requests (number, account_id, certificate_id, reason, note, "
                           "letter_sha256, letter_type, letter_size, key_possession, state, "
                           "idempotency_key, created_at, due_at, metadata_sha256, letter_match, letter_code, filed_by) "
                           "VALUES ('pending', ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, request->account_id);
  sqlite3_bind_int64 (stmt, 2, request->certificate_id);
  sqlite3_bind_int (stmt, 3, request->reason);
  sqlite3_bind_text (stmt, 4, request->note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, request->letter_sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, request->letter_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, request->letter_size);
  sqlite3_bind_int (stmt, 8, request->key_possession);
  sqlite3_bind_text (stmt, 9, request->idempotency_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 10, request->created_at);
  sqlite3_bind_int64 (stmt, 11, request->due_at);
  sqlite3_bind_text (stmt, 12, request->metadata_sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, request->letter_match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 14, request->letter_code, -1, SQLITE_TRANSIENT);
  if (request->filed_by != 0)
    sqlite3_bind_int64 (stmt, 15, request->filed_by);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  *id = cabut_db_last_insert_id (db);
  *number = g_strdup_printf ("CBT-%d-%06" G_GINT64_FORMAT, request->year, *id);
  stmt = cabut_db_prepare (db, "UPDATE requests SET number = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, *number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, *id);

  return cabut_db_step_done (db, stmt, error);
}

/* Moves the request on from the state it was read in, and only from it:
 * what the database holds decides, so two decisions cannot both land. */
gboolean
cabut_request_store_set_state (CabutDb     *db,
                               gint64       id,
                               const char  *from,
                               const char  *to,
                               gboolean     decided,
                               gint64       now,
                               gboolean    *moved,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           decided ? "UPDATE requests SET state = ?, decided_at = ? WHERE id = ? AND state = ?"
                                   : "UPDATE requests SET state = ?, decided_at = NULL + ? WHERE id = ? "
                                     "AND state = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, id);
  sqlite3_bind_text (stmt, 4, from, -1, SQLITE_TRANSIENT);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  *moved = sqlite3_changes (cabut_db_get_handle (db)) == 1;

  return TRUE;
}

/* Takes a submitted request for review by @reviewer_id, and only a
 * submitted one: @moved says whether it was still. */
gboolean
cabut_request_store_take_for_review (CabutDb     *db,
                                     gint64       id,
                                     gint64       reviewer_id,
                                     gboolean    *moved,
                                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "UPDATE requests SET state = 'in_review', reviewer_id = ? "
                           "WHERE id = ? AND state = 'submitted'",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, reviewer_id);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  *moved = sqlite3_changes (cabut_db_get_handle (db)) == 1;

  return TRUE;
}

gboolean
cabut_request_store_add_event (CabutDb     *db,
                               gint64       request_id,
                               gint64       actor_id,
                               const char  *kind,
                               const char  *state,
                               const char  *note,
                               gint64       at,
                               GError     **error)
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

static void
read_id (sqlite3_stmt *stmt,
         gpointer      element)
{
  *(gint64 *) element = sqlite3_column_int64 (stmt, 0);
}

/**
 * cabut_request_store_overdue_unnoticed:
 *
 * Returns: (transfer full) (nullable): the ids (gint64) of up to @limit
 *   undecided requests past their deadline at @now that were not yet
 *   found so (cabut_request_store_set_overdue_noticed()), longest overdue
 *   first; %NULL with @error set
 */
GArray *
cabut_request_store_overdue_unnoticed (CabutDb  *db,
                                       gint64    now,
                                       guint     limit,
                                       GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "SELECT id FROM requests INDEXED BY requests_overdue_unnoticed "
                           "WHERE state IN ('submitted', 'in_review') AND overdue_noticed_at IS NULL AND due_at < ? "
                           "ORDER BY due_at, id LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, limit);

  return cabut_db_collect (db, stmt, sizeof (gint64), NULL, read_id, error);
}

/* Remembers that the request was found overdue (and its notice queued). */
gboolean
cabut_request_store_set_overdue_noticed (CabutDb  *db,
                                         gint64    id,
                                         gint64    now,
                                         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "UPDATE requests SET overdue_noticed_at = ? WHERE id = ? "
                               "AND overdue_noticed_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, id);

  return cabut_db_step_done (db, stmt, error);
}

/**
 * cabut_request_store_propose:
 * @moved: (out): %FALSE when the request was decided meanwhile
 *
 * Second approval: records @action ("approve" or "reject") as proposed by
 * @proposer_id, the request staying (or going) in review. A request that
 * has a proposal already fails with %CABUT_DB_ERROR_CONSTRAINT.
 */
gboolean
cabut_request_store_propose (CabutDb     *db,
                             gint64       id,
                             const char  *action,
                             gint64       proposer_id,
                             gint64       now,
                             const char  *note,
                             gboolean    *moved,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "UPDATE requests SET state = 'in_review' WHERE id = ? "
                               "AND state IN ('submitted', 'in_review')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  *moved = sqlite3_changes (cabut_db_get_handle (db)) == 1;
  if (!*moved)
    return TRUE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = cabut_db_prepare (db, "INSERT INTO pending_decisions (request_id, action, proposer_id, at, note) "
                               "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, proposer_id);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, note, -1, SQLITE_TRANSIENT);

  return cabut_db_step_done (db, stmt, error);
}

/**
 * cabut_request_store_take_pending:
 * @action: (nullable): only the proposal of this action by @proposer_id, as
 *   read; %NULL: whatever is pending
 * @taken: (out): whether a proposal was there and is now gone
 *
 * Removes the request's proposed decision: confirmed, declined, or moot
 * (the request was decided or cancelled).
 */
gboolean
cabut_request_store_take_pending (CabutDb     *db,
                                  gint64       id,
                                  const char  *action,
                                  gint64       proposer_id,
                                  gboolean    *taken,
                                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, action != NULL ? "DELETE FROM pending_decisions WHERE request_id = ? "
                                                "AND action = ? AND proposer_id = ?"
                                              : "DELETE FROM pending_decisions WHERE request_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (action != NULL)
    {
      sqlite3_bind_text (stmt, 2, action, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, proposer_id);
    }
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;
  *taken = sqlite3_changes (cabut_db_get_handle (db)) == 1;

  return TRUE;
}
