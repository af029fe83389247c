/* cabut-db.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-db"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cabut-db.h"

/* The service's SQLite database: WAL, foreign keys, versioned migrations
 * (PRAGMA user_version). Callers use bound parameters only. */
struct _CabutDb
{
  GObject  parent_instance;

  sqlite3 *handle;
  char    *path;
};

G_DEFINE_FINAL_TYPE (CabutDb, cabut_db, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-db-error-quark, cabut_db_error)

/* Each entry moves the schema one version up; never edit a released one. */
static const char *migrations[] = {
  /* 1: accounts, sessions, certificate registry, requests, events, audit */
  "CREATE TABLE accounts ("
  "  id INTEGER PRIMARY KEY,"
  "  username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  full_name TEXT NOT NULL,"
  "  email TEXT, nik TEXT, nip TEXT, position TEXT, unit TEXT, organization TEXT,"
  "  role TEXT NOT NULL CHECK (role IN ('applicant', 'operator', 'admin')),"
  "  password_hash TEXT NOT NULL,"
  "  totp_secret TEXT,"
  "  failed_logins INTEGER NOT NULL DEFAULT 0,"
  "  locked_until INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  revoked INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE certificates ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id),"
  "  serial TEXT NOT NULL,"
  "  issuer TEXT NOT NULL,"
  "  subject TEXT NOT NULL,"
  "  subject_der BLOB NOT NULL,"
  "  not_before INTEGER NOT NULL,"
  "  not_after INTEGER NOT NULL,"
  "  cert_der BLOB,"
  "  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),"
  "  revoked_at INTEGER,"
  "  revocation_reason INTEGER,"
  "  invalidity_date INTEGER,"
  "  UNIQUE (issuer, serial));"
  "CREATE TABLE requests ("
  "  id INTEGER PRIMARY KEY,"
  "  number TEXT NOT NULL UNIQUE,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id),"
  "  certificate_id INTEGER NOT NULL REFERENCES certificates (id),"
  "  reason INTEGER NOT NULL,"
  "  note TEXT,"
  "  letter_sha256 TEXT NOT NULL,"
  "  letter_type TEXT NOT NULL,"
  "  letter_size INTEGER NOT NULL,"
  "  key_possession INTEGER NOT NULL DEFAULT 0,"
  "  state TEXT NOT NULL CHECK (state IN ('submitted', 'in_review', 'revoked', 'rejected', 'cancelled')),"
  "  idempotency_key TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  due_at INTEGER NOT NULL,"
  "  decided_at INTEGER,"
  "  UNIQUE (account_id, idempotency_key));"
  "CREATE INDEX requests_state ON requests (state, due_at);"
  "CREATE INDEX requests_account ON requests (account_id);"
  "CREATE TABLE events ("
  "  id INTEGER PRIMARY KEY,"
  "  request_id INTEGER NOT NULL REFERENCES requests (id),"
  "  at INTEGER NOT NULL,"
  "  actor_id INTEGER REFERENCES accounts (id),"
  "  kind TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  note TEXT);"
  "CREATE INDEX events_request ON events (request_id);"
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  actor_id INTEGER REFERENCES accounts (id),"
  "  action TEXT NOT NULL,"
  "  target TEXT,"
  "  remote TEXT,"
  "  detail TEXT);"
  "CREATE TABLE crl_state ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  number INTEGER NOT NULL);"
  "INSERT INTO crl_state (id, number) VALUES (1, 0);",
  /* 2: failed sign-ins counted per user name and client address (existing
   * or not), and the last TOTP step used (RFC 6238 §5.2) */
  "CREATE TABLE sign_in_failures ("
  "  username TEXT NOT NULL COLLATE NOCASE,"
  "  address TEXT NOT NULL,"
  "  failures INTEGER NOT NULL,"
  "  locked_until INTEGER NOT NULL,"
  "  last_at INTEGER NOT NULL,"
  "  PRIMARY KEY (username, address));"
  "CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, last_at);"
  "ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;",
};

static void
cabut_db_finalize (GObject *object)
{
  CabutDb *self = (CabutDb *)object;

  if (self->handle != NULL)
    sqlite3_close_v2 (self->handle);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cabut_db_parent_class)->finalize (object);
}

static void
cabut_db_class_init (CabutDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cabut_db_finalize;
}

static void
cabut_db_init (CabutDb *self)
{
}

/**
 * cabut_db_set_error:
 *
 * Sets @error from the connection's last error. Always returns %FALSE.
 */
gboolean
cabut_db_set_error (CabutDb  *self,
                    GError  **error)
{
  int code = sqlite3_extended_errcode (self->handle);
  CabutDbError our_code = CABUT_DB_ERROR_FAILED;

  switch (code & 0xff)
    {
    case SQLITE_CONSTRAINT: our_code = CABUT_DB_ERROR_CONSTRAINT; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: our_code = CABUT_DB_ERROR_BUSY; break;
    case SQLITE_FULL: our_code = CABUT_DB_ERROR_FULL; break;
    default: break;
    }

  if (our_code == CABUT_DB_ERROR_FULL)
    g_set_error (error, CABUT_DB_ERROR, our_code,
                 _("The service’s disk is full; nothing was saved. Try again later."));
  else
    g_set_error (error, CABUT_DB_ERROR, our_code, _("Database error: %s"),
                 sqlite3_errmsg (self->handle));

  return FALSE;
}

gboolean
cabut_db_exec (CabutDb     *self,
               const char  *sql,
               GError     **error)
{
  g_return_val_if_fail (CABUT_IS_DB (self), FALSE);

  if (sqlite3_exec (self->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return cabut_db_set_error (self, error);

  return TRUE;
}

sqlite3_stmt *
cabut_db_prepare (CabutDb     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (CABUT_IS_DB (self), NULL);

  if (sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cabut_db_set_error (self, error);
      return NULL;
    }

  return stmt;
}

/* Steps a statement that returns no rows. */
gboolean
cabut_db_step_done (CabutDb       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return cabut_db_set_error (self, error);

  return TRUE;
}

gboolean
cabut_db_begin (CabutDb  *self,
                GError  **error)
{
  return cabut_db_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
cabut_db_commit (CabutDb  *self,
                 GError  **error)
{
  if (!cabut_db_exec (self, "COMMIT", error))
    {
      cabut_db_rollback (self);
      return FALSE;
    }

  return TRUE;
}

void
cabut_db_rollback (CabutDb *self)
{
  if (!sqlite3_get_autocommit (self->handle))
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
}

gint64
cabut_db_last_insert_id (CabutDb *self)
{
  return sqlite3_last_insert_rowid (self->handle);
}

char *
cabut_db_column_text (sqlite3_stmt *stmt,
                      int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

int
cabut_db_get_version (CabutDb *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (self, "PRAGMA user_version", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;

  return sqlite3_column_int (stmt, 0);
}

static gboolean
migrate (CabutDb  *self,
         GError  **error)
{
  int version = cabut_db_get_version (self);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_NEWER_SCHEMA,
                   _("The database %s was written by a newer version of cabut-server"), self->path);
      return FALSE;
    }

  for (int v = version; v < (int) G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      g_debug ("Migrating %s to schema version %d", self->path, v + 1);
      if (!cabut_db_begin (self, error))
        return FALSE;
      if (!cabut_db_exec (self, migrations[v], error) ||
          !cabut_db_exec (self, bump, error))
        {
          cabut_db_rollback (self);
          return FALSE;
        }
      if (!cabut_db_commit (self, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * cabut_db_open:
 * @path: the database file; created when missing
 *
 * Returns: (transfer full): the database at the newest schema version
 */
CabutDb *
cabut_db_open (const char  *path,
               GError     **error)
{
  g_autoptr(CabutDb) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CABUT_TYPE_DB, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED,
                   _("The database %s cannot be opened: %s"), path,
                   self->handle ? sqlite3_errmsg (self->handle) : "out of memory");
      return NULL;
    }

  sqlite3_busy_timeout (self->handle, 5000);

  /* WAL with synchronous=FULL: an acknowledged request survives a crash or
   * a power cut, not just a killed process. */
  if (!cabut_db_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !cabut_db_exec (self, "PRAGMA synchronous = FULL", error) ||
      !cabut_db_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

sqlite3 *
cabut_db_get_handle (CabutDb *self)
{
  g_return_val_if_fail (CABUT_IS_DB (self), NULL);
  return self->handle;
}

/** cabut_db_integrity_check: Returns: (transfer full): "ok" or what is wrong */
char *
cabut_db_integrity_check (CabutDb *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) result = g_string_new (NULL);

  g_return_val_if_fail (CABUT_IS_DB (self), NULL);

  stmt = cabut_db_prepare (self, "PRAGMA integrity_check", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (result, "%s%s", result->len ? "\n" : "",
                            (const char *) sqlite3_column_text (stmt, 0));

  return g_string_free (g_steal_pointer (&result), FALSE);
}
