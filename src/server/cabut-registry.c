/* cabut-registry.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The registry of certificates in SQLite: see cabut-registry.h. */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include "cabut-dn.h"
#include "cabut-registry.h"

void
cabut_registry_row_clear (CabutRegistryRow *row)
{
  g_clear_pointer (&row->subject_der, g_bytes_unref);
  g_clear_pointer (&row->cert_der, g_bytes_unref);
}

static void
held_clear (gpointer data)
{
  CabutHeldCertificate *held = data;

  g_clear_pointer (&held->serial, g_free);
  g_clear_pointer (&held->issuer, g_free);
  g_clear_pointer (&held->subject, g_free);
}

static void
read_held (sqlite3_stmt *stmt,
           gpointer      element)
{
  CabutHeldCertificate *held = element;

  held->serial = cabut_db_column_text (stmt, 0);
  held->issuer = cabut_db_column_text (stmt, 1);
  held->subject = cabut_db_column_text (stmt, 2);
  held->not_before = sqlite3_column_int64 (stmt, 3);
  held->not_after = sqlite3_column_int64 (stmt, 4);
  held->revoked = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 5), "revoked") == 0;
  held->revoked_at = sqlite3_column_type (stmt, 6) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 6);
  held->reason = sqlite3_column_type (stmt, 7) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 7);
  held->id = sqlite3_column_int64 (stmt, 8);
}

/**
 * cabut_registry_list_for_account:
 * @more: (out): whether a page follows
 *
 * The account's certificates a page at a time, oldest first (by validity,
 * then id), after the cursor when there is one.
 *
 * Returns: (transfer full) (nullable): up to @limit #CabutHeldCertificate,
 *   or %NULL with @error set — never a shorter page
 */
GArray *
cabut_registry_list_for_account (CabutDb   *db,
                                 gint64     account_id,
                                 gboolean   has_cursor,
                                 gint64     cursor_key,
                                 gint64     cursor_id,
                                 guint      limit,
                                 gboolean  *more,
                                 GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GArray *held;

  *more = FALSE;
  stmt = cabut_db_prepare (db,
                           "SELECT serial, issuer, subject, not_before, not_after, status, revoked_at, "
                           "revocation_reason, id FROM certificates WHERE account_id = ? "
                           "AND (NOT ? OR (not_before, id) > (?, ?)) ORDER BY not_before, id LIMIT ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int (stmt, 2, has_cursor);
  sqlite3_bind_int64 (stmt, 3, cursor_key);
  sqlite3_bind_int64 (stmt, 4, cursor_id);
  /* One more than the page: whether there is a next one. */
  sqlite3_bind_int64 (stmt, 5, (gint64) limit + 1);

  if ((held = cabut_db_collect (db, stmt, sizeof (CabutHeldCertificate), held_clear, read_held, error)) == NULL)
    return NULL;
  if (held->len > limit)
    {
      g_array_set_size (held, limit);
      *more = TRUE;
    }

  return held;
}

void
cabut_held_certificate_clear (CabutHeldCertificate *held)
{
  held_clear (held);
}

/**
 * cabut_registry_get:
 * @account_id: (out): the account that holds it
 * @cert_der: (out) (nullable): the certificate, %NULL when registered from an
 *   index without the file
 * @found: (out): whether there is such a certificate
 *
 * A certificate of the registry by its id, as its holder sees it.
 */
gboolean
cabut_registry_get (CabutDb               *db,
                    gint64                 certificate_id,
                    CabutHeldCertificate  *held,
                    gint64                *account_id,
                    GBytes               **cert_der,
                    gboolean              *found,
                    GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *found = FALSE;
  stmt = cabut_db_prepare (db,
                           "SELECT serial, issuer, subject, not_before, not_after, status, revoked_at, "
                           "revocation_reason, id, account_id, cert_der FROM certificates WHERE id = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, certificate_id);

  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      return TRUE;
    default:
      return FALSE;
    }

  read_held (stmt, held);
  *account_id = sqlite3_column_int64 (stmt, 9);
  *cert_der = sqlite3_column_type (stmt, 10) == SQLITE_BLOB
    ? g_bytes_new (sqlite3_column_blob (stmt, 10), sqlite3_column_bytes (stmt, 10))
    : NULL;
  *found = TRUE;

  return TRUE;
}

/* Spends the next CRL number: a number may be skipped, never reused. */
gboolean
cabut_registry_next_crl_number (CabutDb  *db,
                                gint64   *number,
                                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = cabut_db_prepare (db, "UPDATE crl_state SET number = number + 1 WHERE id = 1 "
                                                       "RETURNING number", error);

  if (stmt == NULL)
    return FALSE;
  if (cabut_db_step (db, stmt, error) != SQLITE_ROW)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, "The CRL number is missing");
      return FALSE;
    }
  *number = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

static void
revoked_clear (gpointer data)
{
  CabutRevokedRow *row = data;

  g_clear_pointer (&row->serial, g_free);
}

static void
read_revoked (sqlite3_stmt *stmt,
              gpointer      element)
{
  CabutRevokedRow *row = element;

  row->serial = cabut_db_column_text (stmt, 0);
  row->revoked_at = sqlite3_column_int64 (stmt, 1);
  row->reason = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 2);
  row->invalidity_date = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 3);
}

/**
 * cabut_registry_revoked:
 *
 * Returns: (transfer full) (nullable): every certificate of @issuer that is
 *   revoked (#CabutRevokedRow), or %NULL with @error set — a scan cut short
 *   by an error would sign a CRL with entries missing
 */
GArray *
cabut_registry_revoked (CabutDb     *db,
                        const char  *issuer,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "SELECT serial, revoked_at, revocation_reason, invalidity_date FROM certificates "
                           "WHERE status = 'revoked' AND issuer = ? ORDER BY revoked_at", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, issuer, -1, SQLITE_TRANSIENT);

  return cabut_db_collect (db, stmt, sizeof (CabutRevokedRow), revoked_clear, read_revoked, error);
}

/* What became of the certificate @serial of @issuer; %FALSE with @error
 * when the registry cannot say (never "unknown" for that). */
gboolean
cabut_registry_status (CabutDb              *db,
                       const char           *serial,
                       const char           *issuer,
                       CabutRegistryStatus  *status,
                       gint64               *revoked_at,
                       int                  *reason,
                       GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *status = CABUT_REGISTRY_UNKNOWN;
  stmt = cabut_db_prepare (db, "SELECT status, revoked_at, revocation_reason FROM certificates "
                               "WHERE serial = ? AND issuer = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, issuer, -1, SQLITE_TRANSIENT);

  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      return TRUE;
    default:
      return FALSE;
    }

  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "revoked") == 0)
    {
      *status = CABUT_REGISTRY_REVOKED;
      *revoked_at = sqlite3_column_int64 (stmt, 1);
      *reason = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 2);
    }
  else
    *status = CABUT_REGISTRY_GOOD;

  return TRUE;
}

/* Registers @certificate to the account; one registered already (same
 * issuer and serial) fails with %CABUT_DB_ERROR_CONSTRAINT. */
gboolean
cabut_registry_register (CabutDb           *db,
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

/* The certificate with @serial registered to the account, if any. */
gboolean
cabut_registry_find_for_account (CabutDb           *db,
                                 const char        *serial,
                                 gint64             account_id,
                                 CabutRegistryRow  *row,
                                 gboolean          *found,
                                 GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *found = FALSE;
  stmt = cabut_db_prepare (db,
                           "SELECT id, subject_der, status, cert_der FROM certificates "
                           "WHERE serial = ? AND account_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, account_id);

  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      return TRUE;
    default:
      return FALSE;
    }

  row->id = sqlite3_column_int64 (stmt, 0);
  row->subject_der = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  row->revoked = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "revoked") == 0;
  if (sqlite3_column_type (stmt, 3) == SQLITE_BLOB)
    row->cert_der = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
  *found = TRUE;

  return TRUE;
}

/* Records a revocation an existing CA made (an imported index): by serial
 * and issuer; @reason -1 for none. */
gboolean
cabut_registry_mark_revoked (CabutDb     *db,
                             const char  *serial,
                             const char  *issuer,
                             gint64       revoked_at,
                             int          reason,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "UPDATE certificates SET status = 'revoked', revoked_at = ?, revocation_reason = ? "
                           "WHERE serial = ? AND issuer = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, revoked_at);
  if (reason >= 0)
    sqlite3_bind_int (stmt, 2, reason);
  sqlite3_bind_text (stmt, 3, serial, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, issuer, -1, SQLITE_TRANSIENT);

  return cabut_db_step_done (db, stmt, error);
}

/* Marks a valid certificate revoked; one revoked already keeps its
 * revocation. @invalidity_date is 0 for none. */
gboolean
cabut_registry_revoke (CabutDb  *db,
                       gint64    certificate_id,
                       int       reason,
                       gint64    revoked_at,
                       gint64    invalidity_date,
                       GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "UPDATE certificates SET status = 'revoked', revoked_at = ?, "
                           "revocation_reason = ?, invalidity_date = ? WHERE id = ? AND status = 'valid'",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, revoked_at);
  sqlite3_bind_int (stmt, 2, reason);
  if (invalidity_date != 0)
    sqlite3_bind_int64 (stmt, 3, invalidity_date);
  sqlite3_bind_int64 (stmt, 4, certificate_id);

  return cabut_db_step_done (db, stmt, error);
}
