/* cabut-db.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-db"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>
#include <unistd.h>

#include "cabut-db.h"

/* The service's SQLite database: WAL, foreign keys, versioned migrations
 * (PRAGMA user_version). Callers use bound parameters only. */
struct _CabutDb
{
  GObject  parent_instance;

  sqlite3 *handle;
  char    *path;
  guint8   key[32];     /* seals secrets kept in the database (cabut-secret.key beside it) */
  gboolean has_key;

  CabutDb     *writer;  /* a connection of its own, used by write_pool's one thread */
  GThreadPool *write_pool;
};

#define SEALED_PREFIX "gcm1:"
#define KEY_FILE      "cabut-secret.key"

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
  /* 3: what a request's metadata part was, so a reused Idempotency-Key with
   * another body is told apart from a retry */
  "ALTER TABLE requests ADD COLUMN metadata_sha256 TEXT;",
  /* 4: one undecided request per certificate, held by the database itself
   * (and the index the open-request lookup uses) */
  "CREATE UNIQUE INDEX requests_one_open ON requests (certificate_id) "
  "  WHERE state IN ('submitted', 'in_review');",
  /* 5: the indexes behind paged listings and the desk's search */
  "CREATE INDEX requests_open_due ON requests (due_at, id) WHERE state IN ('submitted', 'in_review');"
  "CREATE INDEX requests_due ON requests (due_at, id);"
  "CREATE INDEX requests_account_created ON requests (account_id, created_at, id);"
  "DROP INDEX requests_account;"
  "CREATE INDEX requests_certificate ON requests (certificate_id);"
  "CREATE INDEX certificates_serial ON certificates (serial);"
  "CREATE INDEX accounts_nip ON accounts (nip);"
  "CREATE INDEX accounts_nik ON accounts (nik);",
  /* 6: an account's certificates, a page at a time */
  "CREATE INDEX certificates_account ON certificates (account_id, not_before, id);",
  /* 7: what the code on a request's letter said when it was filed (the
   * names of cabut_statement_letter_match_to_string()), and the code
   * itself; NULL for a request filed before: not checked */
  "ALTER TABLE requests ADD COLUMN letter_match TEXT "
  "  CHECK (letter_match IN ('no_code', 'yes', 'other_certificate', 'other_reason', 'unreadable'));"
  "ALTER TABLE requests ADD COLUMN letter_code TEXT;",
  /* 8: e-mail notices to applicants, written in the transaction of what
   * they tell and sent from here by a worker (one of each kind per
   * request); when a request was found overdue and its notice queued */
  "CREATE TABLE mail_outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  request_id INTEGER NOT NULL REFERENCES requests (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('receipt', 'revoked', 'rejected', 'overdue')),"
  "  recipient TEXT NOT NULL,"
  "  message_id TEXT NOT NULL UNIQUE,"
  "  message BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL,"
  "  sent_at INTEGER,"
  "  last_error TEXT,"
  "  UNIQUE (request_id, kind));"
  "CREATE INDEX mail_outbox_pending ON mail_outbox (next_attempt_at, id) WHERE state = 'pending';"
  "ALTER TABLE requests ADD COLUMN overdue_noticed_at INTEGER;"
  "CREATE INDEX requests_overdue_unnoticed ON requests (due_at, id) "
  "  WHERE state IN ('submitted', 'in_review') AND overdue_noticed_at IS NULL;",
  /* 9: complaints (pengaduan) with their own number and deadline; their
   * thread is events of the same feed as the requests' (an event belongs
   * to a request or to a complaint), and their notices go through the
   * same outbox (one per event: a complaint is answered more than once).
   * SQLite cannot drop a NOT NULL, so both tables are made anew. */
  "CREATE TABLE complaints ("
  "  id INTEGER PRIMARY KEY,"
  "  number TEXT NOT NULL UNIQUE,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id),"
  "  request_id INTEGER REFERENCES requests (id),"
  "  text TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('open', 'answered', 'escalated', 'resolved')),"
  "  created_at INTEGER NOT NULL,"
  "  due_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  resolved_at INTEGER);"
  "CREATE INDEX complaints_account_created ON complaints (account_id, created_at, id);"
  "CREATE INDEX complaints_created ON complaints (created_at, id);"
  "CREATE INDEX complaints_unresolved_created ON complaints (created_at, id) WHERE state != 'resolved';"
  "CREATE TABLE events_new ("
  "  id INTEGER PRIMARY KEY,"
  "  request_id INTEGER REFERENCES requests (id),"
  "  complaint_id INTEGER REFERENCES complaints (id),"
  "  at INTEGER NOT NULL,"
  "  actor_id INTEGER REFERENCES accounts (id),"
  "  kind TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  note TEXT,"
  "  CHECK ((request_id IS NULL) != (complaint_id IS NULL)));"
  "INSERT INTO events_new (id, request_id, at, actor_id, kind, state, note) "
  "  SELECT id, request_id, at, actor_id, kind, state, note FROM events;"
  "DROP TABLE events;"
  "ALTER TABLE events_new RENAME TO events;"
  "CREATE INDEX events_request ON events (request_id);"
  "CREATE INDEX events_complaint ON events (complaint_id);"
  "CREATE TABLE mail_outbox_new ("
  "  id INTEGER PRIMARY KEY,"
  "  request_id INTEGER REFERENCES requests (id),"
  "  complaint_id INTEGER REFERENCES complaints (id),"
  "  event_id INTEGER UNIQUE REFERENCES events (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('receipt', 'revoked', 'rejected', 'overdue', 'complaint_filed', "
  "    'complaint_answered', 'complaint_escalated', 'complaint_resolved')),"
  "  recipient TEXT NOT NULL,"
  "  message_id TEXT NOT NULL UNIQUE,"
  "  message BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL,"
  "  sent_at INTEGER,"
  "  last_error TEXT,"
  "  CHECK ((request_id IS NULL) != (complaint_id IS NULL)),"
  "  UNIQUE (request_id, kind));"
  "INSERT INTO mail_outbox_new (id, request_id, kind, recipient, message_id, message, created_at, state, attempts, "
  "  next_attempt_at, sent_at, last_error) "
  "  SELECT id, request_id, kind, recipient, message_id, message, created_at, state, attempts, next_attempt_at, "
  "  sent_at, last_error FROM mail_outbox;"
  "DROP TABLE mail_outbox;"
  "ALTER TABLE mail_outbox_new RENAME TO mail_outbox;"
  "CREATE INDEX mail_outbox_pending ON mail_outbox (next_attempt_at, id) WHERE state = 'pending';",
  /* 10: the audit log read by admins, newest first, filtered by actor or
   * target (GET /api/v1/admin/audit) */
  "CREATE INDEX IF NOT EXISTS audit_at ON audit (at, id);"
  "CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor_id, at, id);"
  "CREATE INDEX IF NOT EXISTS audit_target ON audit (target, at, id);",
  /* 11: a request an officer filed at the desk for the applicant: who */
  "ALTER TABLE requests ADD COLUMN filed_by INTEGER REFERENCES accounts (id);",
  /* 12: second approval: a decision an officer proposed, waiting for
   * another to confirm (or decline) it; one per request */
  "CREATE TABLE IF NOT EXISTS pending_decisions ("
  "  request_id INTEGER PRIMARY KEY REFERENCES requests (id),"
  "  action TEXT NOT NULL CHECK (action IN ('approve', 'reject')),"
  "  proposer_id INTEGER NOT NULL REFERENCES accounts (id),"
  "  at INTEGER NOT NULL,"
  "  note TEXT);",
  /* 13: bulk revocation: a batch (its rows as the CSV gave them) and each
   * row's progress, so an interrupted batch resumes without revoking twice */
  "CREATE TABLE IF NOT EXISTS bulk_batches ("
  "  id INTEGER PRIMARY KEY,"
  "  number TEXT NOT NULL UNIQUE,"
  "  idempotency_key TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('running', 'done')),"
  "  reason INTEGER NOT NULL,"
  "  note TEXT,"
  "  actor_id INTEGER NOT NULL REFERENCES accounts (id),"
  "  created_at INTEGER NOT NULL,"
  "  finished_at INTEGER,"
  "  UNIQUE (actor_id, idempotency_key));"
  "CREATE TABLE IF NOT EXISTS bulk_items ("
  "  id INTEGER PRIMARY KEY,"
  "  batch_id INTEGER NOT NULL REFERENCES bulk_batches (id),"
  "  seq INTEGER NOT NULL,"
  "  row INTEGER NOT NULL,"
  "  value TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('unmatched', 'pending', 'revoked', 'skipped')),"
  "  why TEXT,"
  "  certificate_id INTEGER REFERENCES certificates (id),"
  "  request_id INTEGER REFERENCES requests (id),"
  "  UNIQUE (batch_id, seq));"
  "CREATE INDEX IF NOT EXISTS bulk_items_pending ON bulk_items (batch_id, seq) WHERE state = 'pending';",
  /* 14: the officer who took a request for review, who alone (or an
   * admin) decides it while it is in review; a request taken before this
   * is its latest review event's */
  "ALTER TABLE requests ADD COLUMN reviewer_id INTEGER REFERENCES accounts (id);"
  "UPDATE requests SET reviewer_id = (SELECT e.actor_id FROM events e WHERE e.request_id = requests.id "
  "  AND e.kind = 'review' ORDER BY e.id DESC LIMIT 1) WHERE state = 'in_review';",
};

static void
cabut_db_finalize (GObject *object)
{
  CabutDb *self = (CabutDb *)object;

  /* Every write queued is done before the connections close. */
  if (self->write_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->write_pool), FALSE, TRUE);
  g_clear_object (&self->writer);
  if (self->handle != NULL)
    sqlite3_close_v2 (self->handle);
  g_clear_pointer (&self->path, g_free);

  OPENSSL_cleanse (self->key, sizeof self->key);

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

  int system_errno = sqlite3_system_errno (self->handle);

  switch (code & 0xff)
    {
    case SQLITE_CONSTRAINT: our_code = CABUT_DB_ERROR_CONSTRAINT; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: our_code = CABUT_DB_ERROR_BUSY; break;
    case SQLITE_FULL: our_code = CABUT_DB_ERROR_FULL; break;
    case SQLITE_IOERR:
      /* A write refused for room is a full disk when SQLite still knows
       * the errno; otherwise (a file size limit, a failing disk) all that
       * is known is that nothing could be written. */
      if (system_errno == ENOSPC || system_errno == EFBIG || system_errno == EDQUOT)
        our_code = CABUT_DB_ERROR_FULL;
      else if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC || code == SQLITE_IOERR_DIR_FSYNC ||
               code == SQLITE_IOERR_TRUNCATE)
        our_code = CABUT_DB_ERROR_STORAGE;
      break;
    default: break;
    }

  if (our_code == CABUT_DB_ERROR_FULL)
    g_set_error (error, CABUT_DB_ERROR, our_code,
                 _("The service’s disk is full; nothing was saved. Try again later."));
  else if (our_code == CABUT_DB_ERROR_STORAGE)
    g_set_error (error, CABUT_DB_ERROR, our_code, _("The database could not be written: %s"),
                 sqlite3_errmsg (self->handle));
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

/**
 * cabut_db_step:
 *
 * Steps @stmt once. Returns: %SQLITE_ROW or %SQLITE_DONE, or any other code
 * with @error set — an error is never taken for the end of the rows.
 */
int
cabut_db_step (CabutDb       *self,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    cabut_db_set_error (self, error);

  return rc;
}

/**
 * cabut_db_step_id:
 *
 * Steps a statement that selects one row id (or none). Returns: the id, 0
 * when there is no row, -1 with @error set.
 */
gint64
cabut_db_step_id (CabutDb       *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  switch (cabut_db_step (self, stmt, error))
    {
    case SQLITE_ROW:
      return sqlite3_column_int64 (stmt, 0);
    case SQLITE_DONE:
      return 0;
    default:
      return -1;
    }
}

/**
 * cabut_db_collect:
 * @clear_func: (nullable): clears an element
 *
 * Steps @stmt to its end, reading each row into an element of its own.
 *
 * Returns: (transfer full) (nullable): every row, or %NULL with @error
 *   set — never the rows before an error
 */
GArray *
cabut_db_collect (CabutDb         *self,
                  sqlite3_stmt    *stmt,
                  guint            element_size,
                  GDestroyNotify   clear_func,
                  CabutDbReadFunc  read,
                  GError         **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, element_size);
  int rc;

  g_array_set_clear_func (rows, clear_func);
  while ((rc = cabut_db_step (self, stmt, error)) == SQLITE_ROW)
    {
      g_array_set_size (rows, rows->len + 1);
      read (stmt, (guint8 *) rows->data + (gsize) (rows->len - 1) * element_size);
    }
  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&rows);
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

static int
read_version (CabutDb  *self,
              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return -1;
  if (cabut_db_step (self, stmt, error) != SQLITE_ROW)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, _("Database error: %s"),
                     "PRAGMA user_version");
      return -1;
    }

  return sqlite3_column_int (stmt, 0);
}

/** cabut_db_get_version: Returns: the schema version, or -1 when it cannot be read */
int
cabut_db_get_version (CabutDb *self)
{
  return read_version (self, NULL);
}

/** cabut_db_latest_version: Returns: the schema version this build migrates a database to */
int
cabut_db_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

static gboolean
migrate (CabutDb  *self,
         GError  **error)
{
  int version = read_version (self, error);

  if (version < 0)
    return FALSE;
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

/* Everything in the data folder is the service's alone: password hashes,
 * NIKs and the key that seals TOTP secrets. Tightens what an earlier
 * version, or an administrator, left open. */
static gboolean
make_private (const char  *path,
              int          mode,
              GError     **error)
{
  if (g_chmod (path, mode) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED,
                   _("The permissions of %s cannot be made private: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* The key lives outside the database, so a copy of cabut.db alone reads
 * no TOTP secret. Made once, 0600; two openers at once agree on one. */
static gboolean
load_key (CabutDb  *self,
          GError  **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *path = g_build_filename (dir, KEY_FILE, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  int fd;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0)
    {
      guint8 key[32];
      gboolean ok = RAND_bytes (key, sizeof key) == 1 && write (fd, key, sizeof key) == sizeof key &&
                    fsync (fd) == 0;

      OPENSSL_cleanse (key, sizeof key);
      close (fd);
      if (!ok)
        {
          g_unlink (path);
          g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED,
                       _("The secret key %s cannot be made"), path);
          return FALSE;
        }
    }
  else if (errno != EEXIST)
    {
      int saved_errno = errno;

      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED,
                   _("The secret key %s cannot be made: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (!make_private (path, 0600, error) || !g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  if (length != sizeof self->key)
    {
      OPENSSL_cleanse (contents, length);
      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED,
                   _("The secret key %s is damaged; restore it from a backup (without it, accounts with "
                     "one-time codes cannot sign in)"), path);
      return FALSE;
    }

  memcpy (self->key, contents, sizeof self->key);
  OPENSSL_cleanse (contents, length);
  self->has_key = TRUE;

  return TRUE;
}

/**
 * cabut_db_seal:
 * @context: what the secret belongs to (e.g. the user name): it is
 *   authenticated, so a sealed value cannot be moved to another row
 *
 * Returns: (transfer full) (nullable): @plain sealed with AES-256-GCM under
 *   the database's key, as text; %NULL only if OpenSSL fails
 */
char *
cabut_db_seal (CabutDb    *self,
               const char *context,
               const char *plain)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  EVP_CIPHER_CTX *ctx = NULL;
  guint8 nonce[12];
  guint8 tag[16];
  int len = 0, total = 0;
  gsize plain_len = strlen (plain);
  gboolean ok;
  char *encoded = NULL;

  g_return_val_if_fail (CABUT_IS_DB (self) && self->has_key, NULL);

  g_byte_array_set_size (out, sizeof nonce + plain_len + sizeof tag);
  ok = RAND_bytes (nonce, sizeof nonce) == 1 && (ctx = EVP_CIPHER_CTX_new ()) != NULL &&
       EVP_EncryptInit_ex (ctx, EVP_aes_256_gcm (), NULL, self->key, nonce) == 1 &&
       EVP_EncryptUpdate (ctx, NULL, &len, (const guint8 *) context, strlen (context)) == 1 &&
       EVP_EncryptUpdate (ctx, out->data + sizeof nonce, &len, (const guint8 *) plain, plain_len) == 1 &&
       (total = len, EVP_EncryptFinal_ex (ctx, out->data + sizeof nonce + total, &len) == 1) &&
       (total += len, EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_GET_TAG, sizeof tag, tag) == 1);
  EVP_CIPHER_CTX_free (ctx);

  if (ok && total == (int) plain_len)
    {
      g_autofree char *b64 = NULL;

      memcpy (out->data, nonce, sizeof nonce);
      memcpy (out->data + sizeof nonce + plain_len, tag, sizeof tag);
      b64 = g_base64_encode (out->data, out->len);
      encoded = g_strconcat (SEALED_PREFIX, b64, NULL);
    }
  OPENSSL_cleanse (out->data, out->len);

  return encoded;
}

/**
 * cabut_db_unseal:
 *
 * Returns: (transfer full) (nullable): the plain text, or %NULL with @error
 *   when @sealed is not one of ours, was altered, or belongs elsewhere
 */
char *
cabut_db_unseal (CabutDb     *self,
                 const char  *context,
                 const char  *sealed,
                 GError     **error)
{
  g_autofree guint8 *raw = NULL;
  g_autofree char *plain = NULL;
  EVP_CIPHER_CTX *ctx = NULL;
  gsize raw_len = 0;
  int len = 0, total = 0;
  gboolean ok;

  g_return_val_if_fail (CABUT_IS_DB (self) && self->has_key, NULL);

  if (!g_str_has_prefix (sealed, SEALED_PREFIX) ||
      (raw = g_base64_decode (sealed + strlen (SEALED_PREFIX), &raw_len)) == NULL || raw_len < 12 + 16)
    goto bad;

  plain = g_malloc0 (raw_len - 12 - 16 + 1);
  ok = (ctx = EVP_CIPHER_CTX_new ()) != NULL &&
       EVP_DecryptInit_ex (ctx, EVP_aes_256_gcm (), NULL, self->key, raw) == 1 &&
       EVP_DecryptUpdate (ctx, NULL, &len, (const guint8 *) context, strlen (context)) == 1 &&
       EVP_DecryptUpdate (ctx, (guint8 *) plain, &len, raw + 12, raw_len - 12 - 16) == 1 &&
       (total = len, EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_TAG, 16, raw + raw_len - 16) == 1) &&
       EVP_DecryptFinal_ex (ctx, (guint8 *) plain + total, &len) == 1;
  EVP_CIPHER_CTX_free (ctx);
  if (ok)
    return g_steal_pointer (&plain);

  OPENSSL_cleanse (plain, raw_len - 12 - 16);

bad:
  g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED,
               _("A sealed secret in the database cannot be opened with its key"));
  return NULL;
}

/* Secrets written in clear by schema 1 are sealed once, in one transaction. */
static gboolean
seal_legacy_secrets (CabutDb  *self,
                     GError  **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  int rc;

  select = cabut_db_prepare (self, "SELECT id, username, totp_secret FROM accounts WHERE totp_secret IS NOT NULL "
                                   "AND substr (totp_secret, 1, 5) <> '" SEALED_PREFIX "'", error);
  if (select == NULL)
    return FALSE;
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (select, 0)));
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (select, 1)));
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (select, 2)));
    }
  if (rc != SQLITE_DONE)
    return cabut_db_set_error (self, error);
  if (rows->len == 0)
    return TRUE;

  if (!cabut_db_begin (self, error))
    return FALSE;
  for (guint i = 0; i + 2 < rows->len; i += 3)
    {
      g_autoptr(sqlite3_stmt) update = NULL;
      g_autofree char *sealed = cabut_db_seal (self, g_ptr_array_index (rows, i + 1), g_ptr_array_index (rows, i + 2));
      char *plain = g_ptr_array_index (rows, i + 2);

      OPENSSL_cleanse (plain, strlen (plain));
      update = cabut_db_prepare (self, "UPDATE accounts SET totp_secret = ? WHERE id = ?", error);
      if (sealed == NULL || update == NULL)
        {
          if (sealed == NULL)
            g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, _("A secret cannot be sealed"));
          cabut_db_rollback (self);
          return FALSE;
        }
      sqlite3_bind_text (update, 1, sealed, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (update, 2, g_ascii_strtoll (g_ptr_array_index (rows, i), NULL, 10));
      if (!cabut_db_step_done (self, update, error))
        {
          cabut_db_rollback (self);
          return FALSE;
        }
    }

  return cabut_db_commit (self, error);
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

  {
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    int fd;

    /* Created private: SQLite gives its -wal and -shm the database's mode.
     * Only a file that does not exist yet is opened here: closing any
     * descriptor of a database file drops every POSIX lock this process
     * holds on it, so another connection's would go, and another process
     * would take the log for unused and delete it. */
    fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
      {
        int saved_errno = errno;

        g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED,
                     _("The database %s cannot be opened: %s"), path, g_strerror (saved_errno));
        return NULL;
      }
    if (fd >= 0)
      close (fd);
    if (!make_private (dir, 0700, error) || !make_private (path, 0600, error) ||
        !make_private (wal, 0600, error) || !make_private (shm, 0600, error) || !load_key (self, error))
      return NULL;
  }

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
      !migrate (self, error) ||
      !seal_legacy_secrets (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * cabut_db_open_reader:
 *
 * A read-only connection to an existing database another connection of
 * this process opened (and migrated): for a worker thread's reads, cheap
 * enough to open per job. It seals and unseals nothing.
 *
 * Returns: (transfer full) (nullable): the connection
 */
CabutDb *
cabut_db_open_reader (const char  *path,
                      GError     **error)
{
  g_autoptr(CabutDb) self = g_object_new (CABUT_TYPE_DB, NULL);

  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED,
                   _("The database %s cannot be opened: %s"), path,
                   self->handle ? sqlite3_errmsg (self->handle) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->handle, 5000);

  return g_steal_pointer (&self);
}

sqlite3 *
cabut_db_get_handle (CabutDb *self)
{
  g_return_val_if_fail (CABUT_IS_DB (self), NULL);
  return self->handle;
}

/* The writer thread ----------------------------------------------------- */

typedef struct
{
  CabutDbWriteFunc func;
  gpointer         data;
} WriteJob;

static void
write_worker (gpointer task_data,
              gpointer user_data)
{
  g_autoptr(GTask) task = task_data;
  CabutDb *self = g_task_get_source_object (task);
  WriteJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!cabut_db_begin (self->writer, &error) ||
      !job->func (self->writer, job->data, &error) ||
      !cabut_db_commit (self->writer, &error))
    {
      cabut_db_rollback (self->writer);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * cabut_db_start_writer:
 *
 * Opens the connection that cabut_db_write_async() writes through, and the
 * one thread that uses it: every commit (and its fsync) happens there,
 * never on the thread that owns @self, which keeps reading.
 */
gboolean
cabut_db_start_writer (CabutDb  *self,
                       GError  **error)
{
  g_return_val_if_fail (CABUT_IS_DB (self), FALSE);
  g_return_val_if_fail (self->writer == NULL, FALSE);

  if ((self->writer = cabut_db_open (self->path, error)) == NULL)
    return FALSE;
  self->write_pool = g_thread_pool_new (write_worker, self, 1, TRUE, error);

  return self->write_pool != NULL;
}

/**
 * cabut_db_write_async:
 * @func: runs on the writer thread inside a transaction, with the writer's
 *   connection; returning %FALSE rolls it back
 * @data: for @func; the caller keeps it alive until @callback
 *
 * Queues a write. Writes run one at a time, in the order queued; @callback
 * runs in the caller's main context once the transaction has committed
 * (durably) or rolled back.
 */
void
cabut_db_write_async (CabutDb             *self,
                      CabutDbWriteFunc     func,
                      gpointer             data,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  WriteJob *job;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CABUT_IS_DB (self));
  g_return_if_fail (self->write_pool != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, cabut_db_write_async);
  job = g_new0 (WriteJob, 1);
  job->func = func;
  job->data = data;
  g_task_set_task_data (task, job, g_free);
  if (!g_thread_pool_push (self->write_pool, task, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
    }
}

gboolean
cabut_db_write_finish (CabutDb       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/** cabut_db_integrity_check: Returns: (transfer full): "ok" or what is wrong */
char *
cabut_db_integrity_check (CabutDb *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) result = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CABUT_IS_DB (self), NULL);

  stmt = cabut_db_prepare (self, "PRAGMA integrity_check", &error);
  while (stmt != NULL && cabut_db_step (self, stmt, &error) == SQLITE_ROW)
    g_string_append_printf (result, "%s%s", result->len ? "\n" : "",
                            (const char *) sqlite3_column_text (stmt, 0));
  /* A check that cannot finish is no "ok". */
  if (error != NULL)
    g_string_append_printf (result, "%s%s", result->len ? "\n" : "", error->message);

  return g_string_free (g_steal_pointer (&result), FALSE);
}
