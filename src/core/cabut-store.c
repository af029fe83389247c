/* cabut-store.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>

#include "cabut-draft-private.h"
#include "cabut-file-private.h"
#include "cabut-json-private.h"
#include "cabut-outbox-item.h"
#include "cabut-store-private.h"

/* The applicant's local store: drafts, the outbox of submissions, the
 * service's public information and a history of filed requests, in one
 * SQLite file under the user's data folder.
 *
 * Every SQLite and file operation runs on one writer thread owned by the
 * store, in the order the calls were made; results come back on the
 * caller's main context. A tracked draft is snapshotted on the caller's
 * thread at every change; while a save is queued and not yet started, a
 * newer snapshot replaces the one it will write, so a burst of keystrokes
 * costs one write and the last state is always the one written.
 *
 * Each job holds a reference on the store and is completed (and freed) on
 * the main context, so the store is only ever finalized there, after its
 * last job. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct _Job Job;

typedef gboolean (*JobFunc) (CabutStore  *self,
                             Job         *job,
                             GError     **error);

typedef struct
{
  gint64           id;
  char            *idempotency_key;
  char            *server_url;
  char            *certificate_uri;
  GBytes          *certificate_der;
  char            *username;
  char            *reason;
  char            *note;
  char            *letter_uri;
  gboolean         letter_confirmed;
  CabutDraftStep   step;
  CabutDraftState  state;
  char            *request_id;
  gboolean         empty;
} DraftSnapshot;

struct _Job
{
  JobFunc         func;
  CabutStore     *store;        /* owned */
  GTask          *task;         /* owned, nullable */
  GMainContext   *context;      /* owned: where the job completes */

  CabutDraft     *draft;        /* owned, nullable */
  DraftSnapshot  *snapshot;     /* owned; for saves guarded by store->lock until started */
  gboolean        started;      /* guarded by store->lock */

  gpointer        data;         /* input, owned */
  GDestroyNotify  data_free;
  gpointer        result;       /* output, handed to the task */
  GDestroyNotify  result_free;

  gboolean        returns_pointer;
  gboolean        revert_on_error;  /* put back the state below if the job fails */
  CabutDraftState previous_state;
  char           *previous_request_id;

  gint64          saved_id;
  gint64          saved_at;
  gboolean        ok;
  GError         *error;
};

typedef struct
{
  CabutDraft *draft;            /* owned */
  gulong      notify_id;
  Job        *open_job;         /* a queued save whose snapshot may still be replaced */
} Tracker;

struct _CabutStore
{
  GObject            parent_instance;

  char              *path;
  char              *dir;
  GMainContext      *context;   /* the main context of the thread that opened it */
  GHashTable        *trackers;  /* CabutDraft* → Tracker*, main thread only */
  gboolean           applying;  /* the store itself is changing a draft */

  GThread           *thread;
  GAsyncQueue       *queue;

  GMutex             lock;
  CabutStoreJobHook  hook;      /* guarded by lock */
  gpointer           hook_data;

  /* Owned by the writer thread. */
  sqlite3           *db;
  GError            *save_failure;  /* first failed save since the last flush */
};

G_DEFINE_FINAL_TYPE (CabutStore, cabut_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-store-error-quark, cabut_store_error)

enum {
  SAVE_FAILED,
  REQUEST_DECIDED,
  REQUEST_OVERDUE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean job_complete_cb (gpointer data);

/* Sentinel that ends the writer thread. */
static Job quit_job;

/* Each entry moves the schema one version up; never edit a released one.
 * Times are microseconds since the epoch, UTC. No secrets: a certificate
 * is kept as its public DER, files by URI, requests and the service's
 * information as the service's JSON. */
static const char *migrations[] = {
  /* 1: drafts, outbox, history of requests, service information */
  "CREATE TABLE drafts ("
  "  id INTEGER PRIMARY KEY,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  server_url TEXT,"
  "  certificate_uri TEXT,"
  "  certificate_der BLOB,"
  "  username TEXT,"
  "  reason TEXT,"
  "  note TEXT,"
  "  letter_uri TEXT,"
  "  letter_confirmed INTEGER NOT NULL DEFAULT 0,"
  "  step INTEGER NOT NULL DEFAULT 0,"
  "  state TEXT NOT NULL CHECK (state IN ('editing', 'queued', 'sent')),"
  "  request_id TEXT,"
  "  empty INTEGER NOT NULL DEFAULT 1,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE INDEX drafts_offered ON drafts (state, empty, updated_at);"
  "CREATE TABLE outbox ("
  "  idempotency_key TEXT PRIMARY KEY,"
  "  draft_id INTEGER REFERENCES drafts (id) ON DELETE SET NULL,"
  "  server_url TEXT NOT NULL,"
  "  username TEXT,"
  "  metadata BLOB NOT NULL,"
  "  signature TEXT,"
  "  letter_path TEXT NOT NULL,"
  "  letter_name TEXT NOT NULL,"
  "  queued_at INTEGER NOT NULL);"
  "CREATE TABLE requests ("
  "  server_url TEXT NOT NULL,"
  "  username TEXT NOT NULL,"
  "  request_id TEXT NOT NULL,"
  "  json TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  saved_at INTEGER NOT NULL,"
  "  PRIMARY KEY (server_url, username, request_id));"
  "CREATE TABLE service_info ("
  "  server_url TEXT PRIMARY KEY,"
  "  json TEXT NOT NULL,"
  "  fetched_at INTEGER NOT NULL);",
  /* 2: each kept request's state, to tell when a decision arrives */
  "ALTER TABLE requests ADD COLUMN state TEXT;"
  "UPDATE requests SET state = json_extract (json, '$.status');",
  /* 3: when the applicant was told a kept request is overdue */
  "ALTER TABLE requests ADD COLUMN overdue_told INTEGER;",
  /* 4: the applicant's complaints known here, and which entries of their
   * threads were told, so an answer is told once — at start-up too */
  "CREATE TABLE complaints ("
  "  server_url TEXT NOT NULL,"
  "  username TEXT NOT NULL,"
  "  complaint_id TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  saved_at INTEGER NOT NULL,"
  "  PRIMARY KEY (server_url, complaint_id));"
  "CREATE TABLE complaint_entries_told ("
  "  server_url TEXT NOT NULL,"
  "  complaint_id TEXT NOT NULL,"
  "  entry_id INTEGER NOT NULL,"
  "  PRIMARY KEY (server_url, entry_id));",
  /* 5: the deadline of a kept complaint the applicant was told is past */
  "ALTER TABLE complaints ADD COLUMN overdue_told INTEGER;",
};

static const char *draft_states[] = { "editing", "queued", "sent" };

/* What draft_from_row() reads, in its order. */
#define DRAFT_COLUMNS \
  "id, idempotency_key, server_url, certificate_uri, certificate_der, username, reason, note, letter_uri," \
  " letter_confirmed, step, state, request_id, updated_at"

/* Auxiliary functions */

static void
draft_snapshot_free (DraftSnapshot *snap)
{
  g_free (snap->idempotency_key);
  g_free (snap->server_url);
  g_free (snap->certificate_uri);
  g_clear_pointer (&snap->certificate_der, g_bytes_unref);
  g_free (snap->username);
  g_free (snap->reason);
  g_free (snap->note);
  g_free (snap->letter_uri);
  g_free (snap->request_id);
  g_free (snap);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DraftSnapshot, draft_snapshot_free)

static DraftSnapshot *
draft_snapshot_new (CabutDraft *draft)
{
  DraftSnapshot *snap = g_new0 (DraftSnapshot, 1);
  CabutCertificate *certificate = cabut_draft_get_certificate (draft);
  GFile *file;

  snap->id = cabut_draft_get_id (draft);
  snap->idempotency_key = g_strdup (cabut_draft_get_idempotency_key (draft));
  snap->server_url = g_strdup (cabut_draft_get_server_url (draft));
  if ((file = cabut_draft_get_certificate_file (draft)) != NULL)
    snap->certificate_uri = g_file_get_uri (file);
  if (certificate != NULL)
    snap->certificate_der = cabut_certificate_get_der (certificate);
  snap->username = g_strdup (cabut_draft_get_username (draft));
  snap->reason = g_strdup (cabut_draft_get_reason (draft));
  snap->note = g_strdup (cabut_draft_get_note (draft));
  if ((file = cabut_draft_get_letter_file (draft)) != NULL)
    snap->letter_uri = g_file_get_uri (file);
  snap->letter_confirmed = cabut_draft_get_letter_confirmed (draft);
  snap->step = cabut_draft_get_step (draft);
  snap->state = cabut_draft_get_state (draft);
  snap->request_id = g_strdup (cabut_draft_get_request_id (draft));
  snap->empty = cabut_draft_is_empty (draft);

  return snap;
}

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_clear_object (&job->draft);
  g_clear_pointer (&job->snapshot, draft_snapshot_free);
  if (job->data_free != NULL)
    g_clear_pointer (&job->data, job->data_free);
  if (job->result_free != NULL)
    g_clear_pointer (&job->result, job->result_free);
  g_clear_error (&job->error);
  g_clear_pointer (&job->previous_request_id, g_free);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_object (&job->store);
  g_free (job);
}

static Job *
job_new (CabutStore *self,
         JobFunc     func,
         GTask      *task)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->store = g_object_ref (self);
  job->task = task;   /* takes ownership */
  job->context = g_main_context_ref (task != NULL ? g_task_get_context (task) : self->context);

  return job;
}

static void
seal_open_saves (CabutStore *self)
{
  GHashTableIter iter;
  Tracker *tracker;

  /* A job that touches a draft (queue, send, discard) must not be
   * overtaken by a later edit folded into an earlier save. */
  g_hash_table_iter_init (&iter, self->trackers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tracker))
    tracker->open_job = NULL;
}

/* For every job but the saves of tracked drafts. */
static void
push_job (CabutStore *self,
          Job        *job)
{
  seal_open_saves (self);
  g_async_queue_push (self->queue, job);
}

static gint64
now_usec (void)
{
  return g_get_real_time ();
}

static GDateTime *
date_time_from_usec (gint64 usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  if (utc == NULL)
    return NULL;

  return g_date_time_add (utc, usec % G_USEC_PER_SEC);
}

static gint64
usec_from_date_time (GDateTime *date_time)
{
  return g_date_time_to_unix (date_time) * G_USEC_PER_SEC + g_date_time_get_microsecond (date_time);
}

static int
error_code_for_errno (int saved_errno)
{
  switch (saved_errno)
    {
    case EACCES:
    case EPERM:
    case EROFS:
      return CABUT_STORE_ERROR_READ_ONLY;
    default:
      return CABUT_STORE_ERROR_FAILED;
    }
}

static gboolean
set_errno_error (GError **error)
{
  int saved_errno = errno;

  g_set_error_literal (error, CABUT_STORE_ERROR, error_code_for_errno (saved_errno),
                       g_strerror (saved_errno));
  return FALSE;
}

static int
error_code_for_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return CABUT_STORE_ERROR_CORRUPT;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return CABUT_STORE_ERROR_READ_ONLY;
    default:
      return CABUT_STORE_ERROR_FAILED;
    }
}

/* Sets @error from the connection's last error; the message is SQLite's
 * own, and callers put it in a sentence that says what to do. */
static gboolean
set_db_error (CabutStore  *self,
              GError     **error)
{
  int rc = self->db != NULL ? sqlite3_extended_errcode (self->db) : SQLITE_NOMEM;

  g_set_error_literal (error, CABUT_STORE_ERROR, error_code_for_sqlite (rc),
                       self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
db_exec (CabutStore  *self,
         const char  *sql,
         GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (self, error);

  return TRUE;
}

static sqlite3_stmt *
db_prepare (CabutStore  *self,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return NULL;
    }

  return stmt;
}

static gboolean
bind_text (CabutStore    *self,
           sqlite3_stmt  *stmt,
           int            index,
           const char    *text,
           GError       **error)
{
  int rc = text != NULL ? sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT)
                        : sqlite3_bind_null (stmt, index);

  return rc == SQLITE_OK || set_db_error (self, error);
}

static gboolean
bind_bytes (CabutStore    *self,
            sqlite3_stmt  *stmt,
            int            index,
            GBytes        *bytes,
            GError       **error)
{
  int rc;

  if (bytes == NULL)
    {
      rc = sqlite3_bind_null (stmt, index);
    }
  else
    {
      gsize len = 0;
      gconstpointer data = g_bytes_get_data (bytes, &len);

      /* A zero-length blob, not NULL: the data pointer may be NULL. */
      rc = sqlite3_bind_blob64 (stmt, index, data != NULL ? data : "", len, SQLITE_TRANSIENT);
    }

  return rc == SQLITE_OK || set_db_error (self, error);
}

static gboolean
bind_int64 (CabutStore    *self,
            sqlite3_stmt  *stmt,
            int            index,
            gint64         value,
            GError       **error)
{
  return sqlite3_bind_int64 (stmt, index, value) == SQLITE_OK || set_db_error (self, error);
}

static gboolean
step_done (CabutStore    *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_db_error (self, error);

  return TRUE;
}

/* Steps once: TRUE with *has_row set, or FALSE with @error set. */
static gboolean
step_row (CabutStore    *self,
          sqlite3_stmt  *stmt,
          gboolean      *has_row,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      *has_row = TRUE;
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *has_row = FALSE;
      return TRUE;
    }

  return set_db_error (self, error);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           column)
{
  const void *data;
  int len;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  data = sqlite3_column_blob (stmt, column);
  len = sqlite3_column_bytes (stmt, column);

  return g_bytes_new (data, len);
}

static gboolean
db_begin (CabutStore  *self,
          GError     **error)
{
  return db_exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
db_commit (CabutStore  *self,
           GError     **error)
{
  if (!db_exec (self, "COMMIT", error))
    {
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  return TRUE;
}

static void
db_rollback (CabutStore *self)
{
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The shared durable writes report G_IO_ERROR; the store's callers know
 * its own codes. */
static gboolean
store_error_from_io (GError  *io_error,
                     GError **error)
{
  int code = CABUT_STORE_ERROR_FAILED;

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
           g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_READ_ONLY))
    code = CABUT_STORE_ERROR_READ_ONLY;

  g_set_error_literal (error, CABUT_STORE_ERROR, code, io_error->message);
  g_error_free (io_error);
  return FALSE;
}

static gboolean
fsync_dir (const char  *dir,
           GError     **error)
{
  GError *io_error = NULL;

  if (!cabut_file_sync_dir (dir, &io_error))
    return store_error_from_io (io_error, error);

  return TRUE;
}

/* The writer thread */

static gpointer
writer_thread_main (gpointer data)
{
  CabutStore *self = data;
  GAsyncQueue *queue = g_async_queue_ref (self->queue);

  /* The thread holds no reference on the store: jobs do, and the store
   * sends the quit sentinel from finalize once no job is left. */
  for (;;)
    {
      Job *job = g_async_queue_pop (queue);
      GCancellable *cancellable;

      if (job == &quit_job)
        break;

      g_mutex_lock (&self->lock);
      if (self->hook != NULL)
        self->hook (self->hook_data);
      g_mutex_unlock (&self->lock);

      cancellable = job->task != NULL ? g_task_get_cancellable (job->task) : NULL;
      if (g_cancellable_set_error_if_cancelled (cancellable, &job->error))
        job->ok = FALSE;
      else
        job->ok = job->func (self, job, &job->error);

      g_assert (job->ok || job->error != NULL);

      /* Always as a source: g_main_context_invoke() would run it right here
       * when nobody holds the context, and a store finalized on its own
       * thread joins itself. */
      {
        GSource *source = g_idle_source_new ();

        g_source_set_priority (source, G_PRIORITY_DEFAULT);
        g_source_set_callback (source, job_complete_cb, job, NULL);
        g_source_set_static_name (source, "[cabut] store job complete");
        g_source_attach (source, job->context);
        g_source_unref (source);
      }
    }

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  self->db = NULL;
  g_clear_error (&self->save_failure);
  g_async_queue_unref (queue);

  return NULL;
}

/* Jobs, run on the writer thread */

static gboolean
ensure_dir (const char  *dir,
            GError     **error)
{
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_errno_error (error);

  return TRUE;
}

static gboolean
create_db_file (const char  *path,
                GError     **error)
{
  int fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  /* An existing file is only checked, never opened: closing a descriptor
   * of a database drops every POSIX lock this process holds on it, another
   * connection's too. */
  if (fd < 0 && errno == EEXIST)
    return g_access (path, R_OK | W_OK) == 0 || set_errno_error (error);

  if (fd < 0)
    return set_errno_error (error);

  close (fd);
  return TRUE;
}

static int
get_user_version (CabutStore  *self,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;

  if (!(stmt = db_prepare (self, "PRAGMA user_version", error)) ||
      !step_row (self, stmt, &has_row, error))
    return -1;

  if (!has_row)
    {
      g_set_error_literal (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_CORRUPT,
                           "PRAGMA user_version returned nothing");
      return -1;
    }

  return sqlite3_column_int (stmt, 0);
}

static gboolean
check_integrity (CabutStore  *self,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;
  const char *result;

  if (!(stmt = db_prepare (self, "PRAGMA quick_check", error)) ||
      !step_row (self, stmt, &has_row, error))
    return FALSE;

  result = has_row ? (const char *) sqlite3_column_text (stmt, 0) : NULL;
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error_literal (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_CORRUPT,
                           result != NULL ? result : "quick_check returned nothing");
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (CabutStore  *self,
         GError     **error)
{
  int version = get_user_version (self, error);

  if (version < 0)
    return FALSE;

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_TOO_NEW,
                   "schema version %d, this version of Cabut knows up to %d",
                   version, (int) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (int v = version; v < (int) G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      g_debug ("Migrating %s to schema version %d", self->path, v + 1);
      if (!db_begin (self, error))
        return FALSE;
      if (!db_exec (self, migrations[v], error) ||
          !db_exec (self, bump, error) ||
          !db_commit (self, error))
        {
          db_rollback (self);
          return FALSE;
        }
    }

  return TRUE;
}

static char *
get_outbox_dir (CabutStore *self)
{
  return g_build_filename (self->dir, "outbox", NULL);
}

/* Letter copies that no outbox row names are left over from a queueing
 * that never committed; they are removed so nothing half-written stays. */
static gboolean
clean_outbox_dir (CabutStore  *self,
                  GError     **error)
{
  g_autofree char *outbox = get_outbox_dir (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean has_row = FALSE;

  if (!ensure_dir (outbox, error))
    return FALSE;

  if (!(stmt = db_prepare (self, "SELECT letter_path FROM outbox", error)))
    return FALSE;
  while (step_row (self, stmt, &has_row, error) && has_row)
    g_hash_table_add (known, column_text (stmt, 0));
  if (error != NULL && *error != NULL)
    return FALSE;

  if (!(dir = g_dir_open (outbox, 0, error)))
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (outbox, name, NULL);

      if (!g_hash_table_contains (known, path))
        {
          g_debug ("Removing %s, left over from an unfinished queueing", path);
          g_unlink (path);
        }
    }

  return TRUE;
}

static gboolean
run_open (CabutStore  *self,
          Job         *job,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  int rc;

  if (!ensure_dir (self->dir, &local_error) ||
      !create_db_file (self->path, &local_error) ||
      !fsync_dir (self->dir, &local_error))
    goto fail;

  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error_literal (&local_error, CABUT_STORE_ERROR, error_code_for_sqlite (rc),
                           self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      goto fail;
    }

  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error_literal (&local_error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_READ_ONLY,
                           g_strerror (EACCES));
      goto fail;
    }

  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);

  /* WAL with synchronous=FULL: a committed save survives a power cut,
   * not only a killed process. */
  if (!db_exec (self, "PRAGMA journal_mode = WAL", &local_error) ||
      !db_exec (self, "PRAGMA synchronous = FULL", &local_error) ||
      !db_exec (self, "PRAGMA foreign_keys = ON", &local_error) ||
      !check_integrity (self, &local_error) ||
      !migrate (self, &local_error) ||
      !clean_outbox_dir (self, &local_error))
    goto fail;

  return TRUE;

fail:
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  self->db = NULL;

  switch (local_error->code)
    {
    case CABUT_STORE_ERROR_CORRUPT:
      g_set_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_CORRUPT,
                   _("Cabut’s saved data in %s is damaged (%s). Move the file aside and start "
                     "Cabut again to begin with an empty store."),
                   self->path, local_error->message);
      break;
    case CABUT_STORE_ERROR_TOO_NEW:
      g_set_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_TOO_NEW,
                   _("Cabut’s saved data in %s was written by a newer version of Cabut (%s). "
                     "Update Cabut to continue."),
                   self->path, local_error->message);
      break;
    case CABUT_STORE_ERROR_READ_ONLY:
      g_set_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_READ_ONLY,
                   _("Cabut cannot write its data to %s (%s). Check that the folder belongs "
                     "to you and is writable."),
                   self->path, local_error->message);
      break;
    default:
      g_set_error (error, CABUT_STORE_ERROR, local_error->code,
                   _("Cabut could not open its saved data in %s (%s). Free some disk space "
                     "and start Cabut again."),
                   self->path, local_error->message);
      break;
    }

  return FALSE;
}

/* Writes @snap. An empty draft only updates a row that exists already, so
 * opening the wizard and closing it leaves nothing behind; @force inserts
 * it anyway. Returns the row id in @out_id, 0 when nothing was written. */
static gboolean
write_draft (CabutStore     *self,
             DraftSnapshot  *snap,
             gboolean        force,
             gint64          updated_at,
             gint64         *out_id,
             GError        **error)
{
  static const char *upsert_sql =
    "INSERT INTO drafts (idempotency_key, server_url, certificate_uri, certificate_der,"
    "  username, reason, note, letter_uri, letter_confirmed, step, state, request_id,"
    "  empty, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)"
    " ON CONFLICT (idempotency_key) DO UPDATE SET"
    "  server_url = ?2, certificate_uri = ?3, certificate_der = ?4, username = ?5,"
    "  reason = ?6, note = ?7, letter_uri = ?8, letter_confirmed = ?9, step = ?10,"
    "  state = CASE WHEN state = 'sent' THEN 'sent' ELSE ?11 END,"
    "  request_id = coalesce (?12, request_id), empty = ?13, updated_at = ?14"
    " RETURNING id";
  static const char *update_sql =
    "UPDATE drafts SET"
    "  server_url = ?2, certificate_uri = ?3, certificate_der = ?4, username = ?5,"
    "  reason = ?6, note = ?7, letter_uri = ?8, letter_confirmed = ?9, step = ?10,"
    "  state = CASE WHEN state = 'sent' THEN 'sent' ELSE ?11 END,"
    "  request_id = coalesce (?12, request_id), empty = ?13, updated_at = ?14"
    " WHERE idempotency_key = ?1"
    " RETURNING id";
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;

  if (!(stmt = db_prepare (self, (snap->empty && !force) ? update_sql : upsert_sql, error)) ||
      !bind_text (self, stmt, 1, snap->idempotency_key, error) ||
      !bind_text (self, stmt, 2, snap->server_url, error) ||
      !bind_text (self, stmt, 3, snap->certificate_uri, error) ||
      !bind_bytes (self, stmt, 4, snap->certificate_der, error) ||
      !bind_text (self, stmt, 5, snap->username, error) ||
      !bind_text (self, stmt, 6, snap->reason, error) ||
      !bind_text (self, stmt, 7, snap->note, error) ||
      !bind_text (self, stmt, 8, snap->letter_uri, error) ||
      !bind_int64 (self, stmt, 9, snap->letter_confirmed, error) ||
      !bind_int64 (self, stmt, 10, snap->step, error) ||
      !bind_text (self, stmt, 11, draft_states[snap->state], error) ||
      !bind_text (self, stmt, 12, snap->request_id, error) ||
      !bind_int64 (self, stmt, 13, snap->empty, error) ||
      !bind_int64 (self, stmt, 14, updated_at, error) ||
      !step_row (self, stmt, &has_row, error))
    return FALSE;

  *out_id = has_row ? sqlite3_column_int64 (stmt, 0) : 0;

  /* RETURNING rows are produced before the statement finishes; the
   * write is only done once it steps to SQLITE_DONE. */
  if (has_row && !step_done (self, stmt, error))
    return FALSE;

  return TRUE;
}

static gboolean
run_save (CabutStore  *self,
          Job         *job,
          GError     **error)
{
  g_autoptr(DraftSnapshot) snap = NULL;
  g_autoptr(GError) local_error = NULL;

  g_mutex_lock (&self->lock);
  job->started = TRUE;
  snap = g_steal_pointer (&job->snapshot);
  g_mutex_unlock (&self->lock);

  g_assert (snap != NULL);

  job->saved_at = now_usec ();
  if (write_draft (self, snap, FALSE, job->saved_at, &job->saved_id, &local_error))
    return TRUE;

  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not save your draft in %s: %s. Free some disk space; your "
                 "entries are kept while Cabut is open."),
               self->path, local_error->message);
  if (self->save_failure == NULL)
    self->save_failure = g_error_copy (*error);

  return FALSE;
}

static gboolean
run_flush (CabutStore  *self,
           Job         *job,
           GError     **error)
{
  if (self->save_failure != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->save_failure));
      return FALSE;
    }

  return TRUE;
}

static CabutDraft *
draft_from_row (sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(CabutDraft) draft = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GDateTime) updated_at = NULL;
  const char *uri;
  int step = sqlite3_column_int (stmt, 10);
  const char *state = (const char *) sqlite3_column_text (stmt, 11);

  draft = g_object_new (CABUT_TYPE_DRAFT,
                        "idempotency-key", sqlite3_column_text (stmt, 1),
                        "server-url", sqlite3_column_text (stmt, 2),
                        "username", sqlite3_column_text (stmt, 5),
                        "reason", sqlite3_column_text (stmt, 6),
                        "note", sqlite3_column_text (stmt, 7),
                        "letter-confirmed", sqlite3_column_int (stmt, 9) != 0,
                        "request-id", sqlite3_column_text (stmt, 12),
                        NULL);

  cabut_draft_set_id (draft, sqlite3_column_int64 (stmt, 0));

  if ((uri = (const char *) sqlite3_column_text (stmt, 3)) != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      cabut_draft_set_certificate_file (draft, file);
    }

  if ((der = column_bytes (stmt, 4)) != NULL)
    {
      g_autoptr(CabutCertificate) certificate = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!(certificate = cabut_certificate_new_from_bytes (der, NULL, &local_error)))
        {
          g_set_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_CORRUPT,
                       "the saved certificate cannot be read: %s", local_error->message);
          return NULL;
        }
      cabut_draft_set_certificate (draft, certificate);
    }

  if ((uri = (const char *) sqlite3_column_text (stmt, 8)) != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      cabut_draft_set_letter_file (draft, file);
    }

  if (step >= CABUT_DRAFT_STEP_WELCOME && step <= CABUT_DRAFT_STEP_RECEIPT)
    cabut_draft_set_step (draft, step);

  for (guint i = 0; i < G_N_ELEMENTS (draft_states); i++)
    if (g_strcmp0 (state, draft_states[i]) == 0)
      cabut_draft_set_state (draft, i);

  updated_at = date_time_from_usec (sqlite3_column_int64 (stmt, 13));
  cabut_draft_set_updated_at (draft, updated_at);

  return g_steal_pointer (&draft);
}

static gboolean
run_load_draft (CabutStore  *self,
                Job         *job,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean has_row = FALSE;

  if (!(stmt = db_prepare (self,
                           "SELECT " DRAFT_COLUMNS
                           " FROM drafts"
                           " WHERE state IN ('editing', 'queued') AND empty = 0"
                           " ORDER BY updated_at DESC, id DESC LIMIT 1",
                           &local_error)) ||
      !step_row (self, stmt, &has_row, &local_error))
    goto fail;

  if (!has_row)
    return TRUE;

  if (!(job->result = draft_from_row (stmt, &local_error)))
    goto fail;
  job->result_free = g_object_unref;

  return TRUE;

fail:
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not read your saved draft from %s: %s. Your entries were not "
                 "deleted; try again, or move the file aside to start afresh."),
               self->path, local_error->message);
  return FALSE;
}

static gboolean
run_discard (CabutStore  *self,
             Job         *job,
             GError     **error)
{
  const char *key = job->data;
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) delete_outbox = NULL;
  g_autoptr(sqlite3_stmt) delete_draft = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *letter_path = NULL;
  gboolean has_row = FALSE;

  if (!db_begin (self, &local_error))
    goto fail;

  if (!(select = db_prepare (self, "SELECT letter_path FROM outbox WHERE idempotency_key = ?",
                             &local_error)) ||
      !bind_text (self, select, 1, key, &local_error) ||
      !step_row (self, select, &has_row, &local_error))
    goto fail;
  if (has_row)
    letter_path = column_text (select, 0);

  if (!(delete_outbox = db_prepare (self, "DELETE FROM outbox WHERE idempotency_key = ?",
                                    &local_error)) ||
      !bind_text (self, delete_outbox, 1, key, &local_error) ||
      !step_done (self, delete_outbox, &local_error) ||
      !(delete_draft = db_prepare (self, "DELETE FROM drafts WHERE idempotency_key = ?",
                                   &local_error)) ||
      !bind_text (self, delete_draft, 1, key, &local_error) ||
      !step_done (self, delete_draft, &local_error) ||
      !db_commit (self, &local_error))
    goto fail;

  if (letter_path != NULL && g_unlink (letter_path) != 0 && errno != ENOENT)
    g_debug ("Could not remove %s: %s", letter_path, g_strerror (errno));

  return TRUE;

fail:
  db_rollback (self);
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not discard the draft in %s: %s. It is still saved; try again."),
               self->path, local_error->message);
  return FALSE;
}

typedef struct
{
  char   *key;
  char   *server_url;
  char   *username;
  GBytes *metadata;
  char   *signature;
  GBytes *letter;
  char   *letter_name;
} QueueData;

static void
queue_data_free (QueueData *data)
{
  g_free (data->key);
  g_free (data->server_url);
  g_free (data->username);
  g_clear_pointer (&data->metadata, g_bytes_unref);
  g_free (data->signature);
  g_clear_pointer (&data->letter, g_bytes_unref);
  g_free (data->letter_name);
  g_free (data);
}

/* Writes @bytes to a new file in @dir, durably. Returns the final path. */
static char *
write_durably (const char  *dir,
               GBytes      *bytes,
               GError     **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strconcat (uuid, ".letter", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GError *io_error = NULL;

  if (!cabut_file_write_durably (path, bytes, 0600, &io_error))
    {
      store_error_from_io (io_error, error);
      return NULL;
    }

  return g_steal_pointer (&path);
}

static gboolean
run_queue_submission (CabutStore  *self,
                      Job         *job,
                      GError     **error)
{
  QueueData *data = job->data;
  g_autofree char *outbox = get_outbox_dir (self);
  g_autofree char *letter_path = NULL;
  g_autofree char *old_letter_path = NULL;
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean has_row = FALSE;

  if (!ensure_dir (outbox, &local_error) ||
      !(letter_path = write_durably (outbox, data->letter, &local_error)))
    goto fail;

  job->saved_at = now_usec ();

  if (!db_begin (self, &local_error) ||
      !write_draft (self, job->snapshot, TRUE, job->saved_at, &job->saved_id, &local_error))
    goto fail;

  /* Queued again under the same key (a retry after an error): the row is
   * replaced, and the older copy of the letter goes once this commits. */
  if (!(select = db_prepare (self, "SELECT letter_path FROM outbox WHERE idempotency_key = ?",
                             &local_error)) ||
      !bind_text (self, select, 1, data->key, &local_error) ||
      !step_row (self, select, &has_row, &local_error))
    goto fail;
  if (has_row)
    old_letter_path = column_text (select, 0);

  if (!(insert = db_prepare (self,
                             "INSERT OR REPLACE INTO outbox (idempotency_key, draft_id, server_url,"
                             "  username, metadata, signature, letter_path, letter_name, queued_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             &local_error)) ||
      !bind_text (self, insert, 1, data->key, &local_error) ||
      !bind_int64 (self, insert, 2, job->saved_id, &local_error) ||
      !bind_text (self, insert, 3, data->server_url, &local_error) ||
      !bind_text (self, insert, 4, data->username, &local_error) ||
      !bind_bytes (self, insert, 5, data->metadata, &local_error) ||
      !bind_text (self, insert, 6, data->signature, &local_error) ||
      !bind_text (self, insert, 7, letter_path, &local_error) ||
      !bind_text (self, insert, 8, data->letter_name, &local_error) ||
      !bind_int64 (self, insert, 9, job->saved_at, &local_error) ||
      !step_done (self, insert, &local_error) ||
      !db_commit (self, &local_error))
    goto fail;

  if (old_letter_path != NULL && g_strcmp0 (old_letter_path, letter_path) != 0)
    g_unlink (old_letter_path);

  return TRUE;

fail:
  db_rollback (self);
  if (letter_path != NULL)
    g_unlink (letter_path);
  job->saved_id = 0;

  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not put your request in the outbox in %s: %s. Nothing was sent; "
                 "free some disk space and send it again."),
               self->path, local_error->message);
  return FALSE;
}

static gboolean
run_list_outbox (CabutStore  *self,
                 Job         *job,
                 GError     **error)
{
  g_autoptr(GListStore) items = g_list_store_new (CABUT_TYPE_OUTBOX_ITEM);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean has_row = FALSE;

  if (!(stmt = db_prepare (self,
                           "SELECT idempotency_key, draft_id, server_url, username, metadata,"
                           "  signature, letter_path, letter_name, queued_at"
                           " FROM outbox ORDER BY queued_at, rowid",
                           &local_error)))
    goto fail;

  while (step_row (self, stmt, &has_row, &local_error) && has_row)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(GBytes) metadata = column_bytes (stmt, 4);
      g_autoptr(CabutSubmission) submission = NULL;
      g_autoptr(GFile) letter_file = g_file_new_for_path ((const char *) sqlite3_column_text (stmt, 6));
      g_autoptr(GDateTime) queued_at = date_time_from_usec (sqlite3_column_int64 (stmt, 8));
      g_autoptr(CabutOutboxItem) item = NULL;

      if (metadata == NULL)
        metadata = g_bytes_new (NULL, 0);
      submission = cabut_submission_new_from_parts (metadata,
                                                    (const char *) sqlite3_column_text (stmt, 5),
                                                    key);
      item = g_object_new (CABUT_TYPE_OUTBOX_ITEM,
                           "idempotency-key", key,
                           "draft-id", (gint64) sqlite3_column_int64 (stmt, 1),
                           "server-url", sqlite3_column_text (stmt, 2),
                           "username", sqlite3_column_text (stmt, 3),
                           "submission", submission,
                           "letter-file", letter_file,
                           "letter-name", sqlite3_column_text (stmt, 7),
                           "queued-at", queued_at,
                           NULL);
      g_list_store_append (items, item);
    }
  if (local_error != NULL)
    goto fail;

  job->result = g_steal_pointer (&items);
  job->result_free = g_object_unref;
  return TRUE;

fail:
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not read its outbox in %s: %s. Requests waiting to be sent are "
                 "kept; try again."),
               self->path, local_error->message);
  return FALSE;
}

typedef struct
{
  char         *server_url;
  char         *username;
  char         *request_id;
  char         *json;
  const char   *state;
  gint64        created_at;
  CabutRequest *request;
  gboolean      decided_now;   /* kept undecided before, decided now (set by the writer) */
  gboolean      overdue_now;   /* undecided past its deadline, not yet told (set by the writer) */
} RequestRow;

static void
request_row_free (RequestRow *row)
{
  g_clear_object (&row->request);
  g_free (row->server_url);
  g_free (row->username);
  g_free (row->request_id);
  g_free (row->json);
  g_free (row);
}

/* Keeps @row; notes in it whether it was kept undecided before and is
 * decided now, which is news to tell the applicant once. */
static gboolean
upsert_request (CabutStore  *self,
                RequestRow  *row,
                gint64       saved_at,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *before = NULL;
  gboolean has_row = FALSE;
  gboolean told = FALSE;
  CabutRequestState was, is;

  if (!(select = db_prepare (self,
                             "SELECT state, overdue_told IS NOT NULL FROM requests"
                             " WHERE server_url = ? AND username = ? AND request_id = ?",
                             error)) ||
      !bind_text (self, select, 1, row->server_url, error) ||
      !bind_text (self, select, 2, row->username, error) ||
      !bind_text (self, select, 3, row->request_id, error) ||
      !step_row (self, select, &has_row, error))
    return FALSE;
  if (has_row)
    {
      before = column_text (select, 0);
      told = sqlite3_column_int (select, 1) != 0;
    }

  row->decided_now = before != NULL && cabut_request_state_from_string (before, &was) &&
                     cabut_request_state_is_open (was) && cabut_request_state_from_string (row->state, &is) &&
                     !cabut_request_state_is_open (is);
  row->overdue_now = !told && cabut_request_get_overdue (row->request);

  return (stmt = db_prepare (self,
                             "INSERT INTO requests (server_url, username, request_id, json,"
                             "  created_at, saved_at, state, overdue_told) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                             " ON CONFLICT (server_url, username, request_id) DO UPDATE SET"
                             "  json = excluded.json, created_at = excluded.created_at,"
                             "  saved_at = excluded.saved_at, state = excluded.state,"
                             "  overdue_told = coalesce (requests.overdue_told, excluded.overdue_told)",
                             error)) != NULL &&
         bind_text (self, stmt, 1, row->server_url, error) &&
         bind_text (self, stmt, 2, row->username, error) &&
         bind_text (self, stmt, 3, row->request_id, error) &&
         bind_text (self, stmt, 4, row->json, error) &&
         bind_int64 (self, stmt, 5, row->created_at, error) &&
         bind_int64 (self, stmt, 6, saved_at, error) &&
         bind_text (self, stmt, 7, row->state, error) &&
         (row->overdue_now ? bind_int64 (self, stmt, 8, saved_at, error) : TRUE) &&
         step_done (self, stmt, error);
}

typedef struct
{
  char       *key;
  RequestRow *row;    /* server_url and username come from the outbox */
} MarkSentData;

static void
mark_sent_data_free (MarkSentData *data)
{
  g_free (data->key);
  g_clear_pointer (&data->row, request_row_free);
  g_free (data);
}

static gboolean
run_mark_sent (CabutStore  *self,
               Job         *job,
               GError     **error)
{
  MarkSentData *data = job->data;
  RequestRow *row = data->row;
  const char *key = data->key;
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) delete_outbox = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *letter_path = NULL;
  gboolean has_row = FALSE;
  gint64 draft_id = 0;
  gint64 now = now_usec ();

  if (!db_begin (self, &local_error))
    goto fail;

  if (!(select = db_prepare (self,
                             "SELECT draft_id, server_url, username, letter_path FROM outbox"
                             " WHERE idempotency_key = ?1"
                             " UNION ALL"
                             " SELECT id, server_url, username, NULL FROM drafts"
                             " WHERE idempotency_key = ?1"
                             " LIMIT 1",
                             &local_error)) ||
      !bind_text (self, select, 1, key, &local_error) ||
      !step_row (self, select, &has_row, &local_error))
    goto fail;

  if (!has_row)
    {
      g_set_error (&local_error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_FAILED,
                   "no submission with the key %s", key);
      goto fail;
    }

  draft_id = sqlite3_column_int64 (select, 0);
  g_free (row->server_url);
  row->server_url = column_text (select, 1);
  if (sqlite3_column_type (select, 2) != SQLITE_NULL)
    {
      g_free (row->username);
      row->username = column_text (select, 2);
    }
  letter_path = column_text (select, 3);

  if (row->server_url == NULL || row->username == NULL)
    {
      g_set_error (&local_error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_FAILED,
                   "the submission with the key %s names no service or account", key);
      goto fail;
    }

  if (!(delete_outbox = db_prepare (self, "DELETE FROM outbox WHERE idempotency_key = ?",
                                    &local_error)) ||
      !bind_text (self, delete_outbox, 1, key, &local_error) ||
      !step_done (self, delete_outbox, &local_error) ||
      !(update = db_prepare (self,
                             "UPDATE drafts SET state = 'sent', request_id = ?1, updated_at = ?2"
                             " WHERE id = ?3 OR idempotency_key = ?4",
                             &local_error)) ||
      !bind_text (self, update, 1, row->request_id, &local_error) ||
      !bind_int64 (self, update, 2, now, &local_error) ||
      !bind_int64 (self, update, 3, draft_id, &local_error) ||
      !bind_text (self, update, 4, key, &local_error) ||
      !step_done (self, update, &local_error) ||
      !upsert_request (self, row, now, &local_error) ||
      !db_commit (self, &local_error))
    goto fail;

  /* After the commit: a crash before this leaves an orphan that the next
   * open removes, never a row without its letter. */
  if (letter_path != NULL && g_unlink (letter_path) != 0 && errno != ENOENT)
    g_debug ("Could not remove %s: %s", letter_path, g_strerror (errno));

  return TRUE;

fail:
  db_rollback (self);
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not record in %s that request %s was received: %s. The service "
                 "has it; Cabut will check again when it next sends."),
               self->path, row->request_id, local_error->message);
  return FALSE;
}

typedef struct
{
  char      *server_url;
  char      *username;
  GPtrArray *rows;   /* of RequestRow */
} RequestsData;

static void
requests_data_free (RequestsData *data)
{
  g_free (data->server_url);
  g_free (data->username);
  g_clear_pointer (&data->rows, g_ptr_array_unref);
  g_free (data);
}

static gboolean
run_save_requests (CabutStore  *self,
                   Job         *job,
                   GError     **error)
{
  RequestsData *data = job->data;
  g_autoptr(GError) local_error = NULL;
  gint64 now = now_usec ();

  if (!db_begin (self, &local_error))
    goto fail;

  for (guint i = 0; i < data->rows->len; i++)
    if (!upsert_request (self, g_ptr_array_index (data->rows, i), now, &local_error))
      goto fail;

  if (!db_commit (self, &local_error))
    goto fail;

  return TRUE;

fail:
  db_rollback (self);
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not keep a copy of your requests in %s: %s. They stay on the "
                 "service; free some disk space to see them offline."),
               self->path, local_error->message);
  return FALSE;
}

/* Reads the requests @stmt selects (their JSON in column 0) into @out,
 * their search keys made here, off the main thread. */
static gboolean
read_requests (CabutStore    *self,
               sqlite3_stmt  *stmt,
               GPtrArray     *out,
               GError       **error)
{
  for (;;)
    {
      gboolean has_row = FALSE;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(CabutRequest) request = NULL;
      g_autoptr(GError) parse_error = NULL;
      const char *json;

      if (!step_row (self, stmt, &has_row, error))
        return FALSE;
      if (!has_row)
        return TRUE;

      json = (const char *) sqlite3_column_text (stmt, 0);
      if (!(root = cabut_json_parse (json != NULL ? json : "", -1, &parse_error)) ||
          !(request = cabut_request_new_from_json (root, &parse_error)))
        {
          g_set_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_CORRUPT,
                       "a saved request cannot be read: %s", parse_error->message);
          return FALSE;
        }
      cabut_request_get_search_key (request);
      g_ptr_array_add (out, g_steal_pointer (&request));
    }
}

static gboolean
run_list_requests (CabutStore  *self,
                   Job         *job,
                   GError     **error)
{
  RequestsData *data = job->data;
  g_autoptr(GListStore) requests = g_list_store_new (CABUT_TYPE_REQUEST);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!(stmt = db_prepare (self,
                           "SELECT json FROM requests WHERE server_url = ? AND username = ?"
                           " ORDER BY created_at DESC, request_id DESC",
                           &local_error)) ||
      !bind_text (self, stmt, 1, data->server_url, &local_error) ||
      !bind_text (self, stmt, 2, data->username, &local_error) ||
      !read_requests (self, stmt, rows, &local_error))
    goto fail;

  g_list_store_splice (requests, 0, 0, rows->pdata, rows->len);
  job->result = g_steal_pointer (&requests);
  job->result_free = g_object_unref;
  return TRUE;

fail:
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not read the copy of your requests in %s: %s. Connect to the "
                 "service to see them."),
               self->path, local_error->message);
  return FALSE;
}

/* The accounts with a kept request that waits for a decision. */
static gboolean
run_list_waiting (CabutStore  *self,
                  Job         *job,
                  GError     **error)
{
  const char *server_url = job->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) local_error = NULL;
  gboolean has_row = FALSE;

  if (!(stmt = db_prepare (self,
                           "SELECT username FROM requests"
                           " WHERE server_url = ?1 AND state IN ('submitted', 'in_review')"
                           " UNION SELECT username FROM complaints"
                           " WHERE server_url = ?1 AND state != 'resolved' ORDER BY username",
                           &local_error)) ||
      !bind_text (self, stmt, 1, server_url, &local_error))
    goto fail;

  while (step_row (self, stmt, &has_row, &local_error) && has_row)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (local_error != NULL)
    goto fail;

  job->result = g_strv_builder_end (builder);
  job->result_free = (GDestroyNotify) g_strfreev;
  return TRUE;

fail:
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not read the copy of your requests in %s: %s. Connect to the "
                 "service to see them."),
               self->path, local_error->message);
  return FALSE;
}

typedef struct
{
  GPtrArray *requests;
  GDateTime *updated_at;
} HistoryResult;

static void
history_result_free (HistoryResult *result)
{
  g_clear_pointer (&result->requests, g_ptr_array_unref);
  g_clear_pointer (&result->updated_at, g_date_time_unref);
  g_free (result);
}

/* Every account's requests at one service, newest first. */
static gboolean
run_load_history (CabutStore  *self,
                  Job         *job,
                  GError     **error)
{
  const char *server_url = job->data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) saved = NULL;
  g_autoptr(GError) local_error = NULL;
  HistoryResult *result;
  gboolean has_row = FALSE;

  if (!(stmt = db_prepare (self,
                           "SELECT json FROM requests WHERE server_url = ?"
                           " ORDER BY created_at DESC, request_id DESC",
                           &local_error)) ||
      !bind_text (self, stmt, 1, server_url, &local_error) ||
      !read_requests (self, stmt, rows, &local_error) ||
      !(saved = db_prepare (self, "SELECT max(saved_at) FROM requests WHERE server_url = ?", &local_error)) ||
      !bind_text (self, saved, 1, server_url, &local_error) ||
      !step_row (self, saved, &has_row, &local_error))
    goto fail;

  result = g_new0 (HistoryResult, 1);
  result->requests = g_steal_pointer (&rows);
  if (has_row && sqlite3_column_type (saved, 0) != SQLITE_NULL)
    result->updated_at = date_time_from_usec (sqlite3_column_int64 (saved, 0));
  job->result = result;
  job->result_free = (GDestroyNotify) history_result_free;
  return TRUE;

fail:
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not read the copy of your requests in %s: %s. Connect to the "
                 "service to see them."),
               self->path, local_error->message);
  return FALSE;
}

typedef struct
{
  char *server_url;
  char *json;
} ServiceInfoData;

static void
service_info_data_free (ServiceInfoData *data)
{
  g_free (data->server_url);
  g_free (data->json);
  g_free (data);
}

typedef struct
{
  CabutServiceInfo *info;
  GDateTime        *fetched_at;
} ServiceInfoResult;

static void
service_info_result_free (ServiceInfoResult *result)
{
  g_clear_object (&result->info);
  g_clear_pointer (&result->fetched_at, g_date_time_unref);
  g_free (result);
}

static gboolean
run_save_service_info (CabutStore  *self,
                       Job         *job,
                       GError     **error)
{
  ServiceInfoData *data = job->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!(stmt = db_prepare (self,
                           "INSERT OR REPLACE INTO service_info (server_url, json, fetched_at)"
                           " VALUES (?, ?, ?)",
                           &local_error)) ||
      !bind_text (self, stmt, 1, data->server_url, &local_error) ||
      !bind_text (self, stmt, 2, data->json, &local_error) ||
      !bind_int64 (self, stmt, 3, now_usec (), &local_error) ||
      !step_done (self, stmt, &local_error))
    {
      g_set_error (error, CABUT_STORE_ERROR, local_error->code,
                   _("Cabut could not keep a copy of the service’s information in %s: %s. "
                     "Free some disk space to see it offline."),
                   self->path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_load_service_info (CabutStore  *self,
                       Job         *job,
                       GError     **error)
{
  ServiceInfoData *data = job->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  ServiceInfoResult *result;
  gboolean has_row = FALSE;

  if (!(stmt = db_prepare (self, "SELECT json, fetched_at FROM service_info WHERE server_url = ?",
                           &local_error)) ||
      !bind_text (self, stmt, 1, data->server_url, &local_error) ||
      !step_row (self, stmt, &has_row, &local_error))
    goto fail;

  if (!has_row)
    return TRUE;

  result = g_new0 (ServiceInfoResult, 1);
  job->result = result;
  job->result_free = (GDestroyNotify) service_info_result_free;

  result->fetched_at = date_time_from_usec (sqlite3_column_int64 (stmt, 1));
  result->info = cabut_service_info_new_from_json_string ((const char *) sqlite3_column_text (stmt, 0),
                                                          &local_error);
  if (result->info == NULL)
    {
      local_error->domain = CABUT_STORE_ERROR;
      local_error->code = CABUT_STORE_ERROR_CORRUPT;
      goto fail;
    }

  return TRUE;

fail:
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not read its copy of the service’s information in %s: %s. "
                 "Connect to the service to see it."),
               self->path, local_error->message);
  return FALSE;
}

typedef struct
{
  char *server_url;
  char *request_id;
} RequestKey;

static void
request_key_free (RequestKey *key)
{
  g_free (key->server_url);
  g_free (key->request_id);
  g_free (key);
}

/* Queues @func to look up one request of @server_url, answering @task. */
static void
push_request_lookup (CabutStore *self,
                     JobFunc     func,
                     const char *server_url,
                     const char *request_id,
                     GTask      *task)
{
  RequestKey *key = g_new0 (RequestKey, 1);
  Job *job;

  key->server_url = g_strdup (server_url);
  key->request_id = g_strdup (request_id);

  job = job_new (self, func, task);
  job->data = key;
  job->data_free = (GDestroyNotify) request_key_free;
  job->returns_pointer = TRUE;
  push_job (self, job);
}

/* The certificate of a request filed from this computer: the sent draft
 * kept its DER. */
static gboolean
run_find_certificate (CabutStore  *self,
                      Job         *job,
                      GError     **error)
{
  RequestKey *key = job->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) der = NULL;
  gboolean has_row = FALSE;

  if (!(stmt = db_prepare (self,
                           "SELECT certificate_der FROM drafts WHERE server_url = ? AND request_id = ?"
                           " AND certificate_der IS NOT NULL ORDER BY updated_at DESC LIMIT 1",
                           &local_error)) ||
      !bind_text (self, stmt, 1, key->server_url, &local_error) ||
      !bind_text (self, stmt, 2, key->request_id, &local_error) ||
      !step_row (self, stmt, &has_row, &local_error))
    goto fail;

  if (!has_row)
    return TRUE;

  der = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  job->result = cabut_certificate_new_from_bytes (der, NULL, &local_error);
  job->result_free = g_object_unref;
  if (job->result == NULL)
    {
      local_error->domain = CABUT_STORE_ERROR;
      local_error->code = CABUT_STORE_ERROR_CORRUPT;
      goto fail;
    }

  return TRUE;

fail:
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not read the certificate of request %s in %s: %s"),
               key->request_id, self->path, local_error->message);
  return FALSE;
}

/* The draft a request was filed from on this computer, as it was sent:
 * its certificate's file and public part. */
static gboolean
run_find_sent_draft (CabutStore  *self,
                     Job         *job,
                     GError     **error)
{
  RequestKey *key = job->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean has_row = FALSE;

  if (!(stmt = db_prepare (self,
                           "SELECT " DRAFT_COLUMNS
                           " FROM drafts WHERE server_url = ? AND request_id = ?"
                           " ORDER BY updated_at DESC, id DESC LIMIT 1",
                           &local_error)) ||
      !bind_text (self, stmt, 1, key->server_url, &local_error) ||
      !bind_text (self, stmt, 2, key->request_id, &local_error) ||
      !step_row (self, stmt, &has_row, &local_error))
    goto fail;

  if (!has_row)
    return TRUE;

  if (!(job->result = draft_from_row (stmt, &local_error)))
    goto fail;
  job->result_free = g_object_unref;

  return TRUE;

fail:
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not read what was filed for request %s in %s: %s"),
               key->request_id, self->path, local_error->message);
  return FALSE;
}

typedef struct
{
  char           *server_url;
  char           *username;
  CabutComplaint *complaint;
  gint64          news_since;   /* usec; 0: a complaint not kept before has no news */
} ComplaintData;

typedef struct
{
  GPtrArray *entries;   /* of CabutComplaintEntry: to tell */
  gboolean   overdue;   /* past its deadline, not told yet */
} ComplaintNews;

static void
complaint_news_free (ComplaintNews *news)
{
  g_clear_pointer (&news->entries, g_ptr_array_unref);
  g_free (news);
}

static void
complaint_data_free (ComplaintData *data)
{
  g_clear_object (&data->complaint);
  g_free (data->server_url);
  g_free (data->username);
  g_free (data);
}

/* What an officer did is news to the applicant; what they wrote is not. */
static gboolean
entry_is_news (CabutComplaintEntry *entry)
{
  const char *kind = cabut_complaint_entry_get_kind (entry);

  return g_strcmp0 (kind, "answered") == 0 || g_strcmp0 (kind, "escalated") == 0 ||
         g_strcmp0 (kind, "resolved") == 0;
}

/* Keeps a complaint and notes its entries as told; the ones not told
 * before that are news are the result. A complaint seen for the first
 * time has news only from @news_since on: what came before was never
 * this computer's to tell. Past its deadline is news once per deadline. */
static gboolean
run_save_complaint (CabutStore  *self,
                    Job         *job,
                    GError     **error)
{
  ComplaintData *data = job->data;
  GListModel *entries = cabut_complaint_get_entries (data->complaint);
  const char *id = cabut_complaint_get_id (data->complaint);
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autoptr(sqlite3_stmt) told = NULL;
  g_autoptr(GPtrArray) news = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  gint64 due = usec_from_date_time (cabut_complaint_get_due (data->complaint));
  ComplaintNews *result;
  gboolean kept = FALSE;
  gboolean overdue_now;

  if (!db_begin (self, &local_error) ||
      !(select = db_prepare (self,
                             "SELECT overdue_told FROM complaints WHERE server_url = ? AND complaint_id = ?",
                             &local_error)) ||
      !bind_text (self, select, 1, data->server_url, &local_error) ||
      !bind_text (self, select, 2, id, &local_error) ||
      !step_row (self, select, &kept, &local_error))
    goto fail;

  /* Once for each deadline: a reply sets a new one. */
  overdue_now = cabut_complaint_get_overdue (data->complaint) &&
                (!kept || sqlite3_column_type (select, 0) == SQLITE_NULL || sqlite3_column_int64 (select, 0) != due);

  if (!(upsert = db_prepare (self,
                             "INSERT INTO complaints (server_url, username, complaint_id, state, saved_at,"
                             "  overdue_told) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (server_url, complaint_id)"
                             " DO UPDATE SET username = excluded.username, state = excluded.state,"
                             "  saved_at = excluded.saved_at,"
                             "  overdue_told = coalesce (excluded.overdue_told, complaints.overdue_told)",
                             &local_error)) ||
      !bind_text (self, upsert, 1, data->server_url, &local_error) ||
      !bind_text (self, upsert, 2, data->username, &local_error) ||
      !bind_text (self, upsert, 3, id, &local_error) ||
      !bind_text (self, upsert, 4, cabut_complaint_state_to_string (cabut_complaint_get_state (data->complaint)),
                  &local_error) ||
      !bind_int64 (self, upsert, 5, now_usec (), &local_error) ||
      (overdue_now && !bind_int64 (self, upsert, 6, due, &local_error)) ||
      !step_done (self, upsert, &local_error) ||
      !(told = db_prepare (self,
                           "INSERT OR IGNORE INTO complaint_entries_told (server_url, complaint_id, entry_id)"
                           " VALUES (?, ?, ?)",
                           &local_error)))
    goto fail;

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CabutComplaintEntry) entry = g_list_model_get_item (entries, i);
      GDateTime *at = cabut_complaint_entry_get_at (entry);

      if (sqlite3_reset (told) != SQLITE_OK ||
          !bind_text (self, told, 1, data->server_url, &local_error) ||
          !bind_text (self, told, 2, id, &local_error) ||
          !bind_int64 (self, told, 3, cabut_complaint_entry_get_id (entry), &local_error) ||
          !step_done (self, told, &local_error))
        {
          if (local_error == NULL)
            set_db_error (self, &local_error);
          goto fail;
        }
      if (sqlite3_changes (self->db) == 1 && entry_is_news (entry) &&
          (kept || (data->news_since != 0 && usec_from_date_time (at) >= data->news_since)))
        g_ptr_array_add (news, g_object_ref (entry));
    }

  if (!db_commit (self, &local_error))
    goto fail;

  result = g_new0 (ComplaintNews, 1);
  result->entries = g_steal_pointer (&news);
  result->overdue = overdue_now;
  job->result = result;
  job->result_free = (GDestroyNotify) complaint_news_free;
  return TRUE;

fail:
  db_rollback (self);
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not note in %s what it told you of complaint %s: %s. Free some disk space; "
                 "it may be told again."),
               self->path, id, local_error->message);
  return FALSE;
}

/* An account's kept complaints the service has not settled yet. */
static gboolean
run_list_open_complaints (CabutStore  *self,
                          Job         *job,
                          GError     **error)
{
  ComplaintData *data = job->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) local_error = NULL;
  gboolean has_row = FALSE;

  if (!(stmt = db_prepare (self,
                           "SELECT complaint_id FROM complaints"
                           " WHERE server_url = ? AND username = ? AND state != 'resolved' ORDER BY complaint_id",
                           &local_error)) ||
      !bind_text (self, stmt, 1, data->server_url, &local_error) ||
      !bind_text (self, stmt, 2, data->username, &local_error))
    goto fail;

  while (step_row (self, stmt, &has_row, &local_error) && has_row)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (local_error != NULL)
    goto fail;

  job->result = g_strv_builder_end (builder);
  job->result_free = (GDestroyNotify) g_strfreev;
  return TRUE;

fail:
  g_set_error (error, CABUT_STORE_ERROR, local_error->code,
               _("Cabut could not read which complaints it follows in %s: %s"),
               self->path, local_error->message);
  return FALSE;
}

/* Callbacks, run on the main context */

static gboolean
job_complete_cb (gpointer data)
{
  Job *job = data;
  CabutStore *self = job->store;

  /* Decisions learnt: said once, now that they are kept. */
  if (job->func == run_save_requests && job->ok)
    {
      RequestsData *requests = job->data;

      for (guint i = 0; i < requests->rows->len; i++)
        {
          RequestRow *row = g_ptr_array_index (requests->rows, i);

          if (row->decided_now)
            g_signal_emit (self, signals[REQUEST_DECIDED], 0, row->request, row->server_url, row->username);
          if (row->overdue_now)
            g_signal_emit (self, signals[REQUEST_OVERDUE], 0, row->request, row->server_url, row->username);
        }
    }

  if (job->func == run_save)
    {
      Tracker *tracker = g_hash_table_lookup (self->trackers, job->draft);

      if (tracker != NULL && tracker->open_job == job)
        tracker->open_job = NULL;

      if (!job->ok)
        {
          g_debug ("%s", job->error->message);
          g_signal_emit (self, signals[SAVE_FAILED], 0, job->draft, job->error);
        }
    }

  if (job->draft != NULL && job->ok && job->saved_id > 0)
    {
      g_autoptr(GDateTime) saved_at = date_time_from_usec (job->saved_at);

      cabut_draft_set_id (job->draft, job->saved_id);
      cabut_draft_set_updated_at (job->draft, saved_at);
    }
  else if (job->draft != NULL && !job->ok && job->revert_on_error)
    {
      /* Saved again through tracking, as any change would be. */
      cabut_draft_set_state (job->draft, job->previous_state);
      cabut_draft_set_request_id (job->draft, job->previous_request_id);
    }

  if (job->task != NULL)
    {
      if (!job->ok)
        g_task_return_error (job->task, g_steal_pointer (&job->error));
      else if (job->returns_pointer)
        g_task_return_pointer (job->task, g_steal_pointer (&job->result), job->result_free);
      else
        g_task_return_boolean (job->task, TRUE);
    }

  job_free (job);

  return G_SOURCE_REMOVE;
}

static void
schedule_save (CabutStore *self,
               Tracker    *tracker)
{
  DraftSnapshot *snap = draft_snapshot_new (tracker->draft);
  DraftSnapshot *old = NULL;
  Job *job;

  g_mutex_lock (&self->lock);
  if (tracker->open_job != NULL && !tracker->open_job->started)
    {
      old = tracker->open_job->snapshot;
      tracker->open_job->snapshot = snap;
      snap = NULL;
    }
  g_mutex_unlock (&self->lock);

  g_clear_pointer (&old, draft_snapshot_free);
  if (snap == NULL)
    return;

  job = job_new (self, run_save, NULL);
  job->draft = g_object_ref (tracker->draft);
  job->snapshot = snap;
  tracker->open_job = job;
  g_async_queue_push (self->queue, job);
}

static void
draft_notify_cb (CabutDraft *draft,
                 GParamSpec *pspec,
                 CabutStore *self)
{
  Tracker *tracker;

  /* These describe the saved row; the store sets them itself. */
  if (self->applying ||
      g_str_equal (pspec->name, "id") ||
      g_str_equal (pspec->name, "updated-at"))
    return;

  if ((tracker = g_hash_table_lookup (self->trackers, draft)) != NULL)
    schedule_save (self, tracker);
}

static void
tracker_free (Tracker *tracker)
{
  g_clear_signal_handler (&tracker->notify_id, tracker->draft);
  g_clear_object (&tracker->draft);
  g_free (tracker);
}

/* Overrides */

static void
cabut_store_dispose (GObject *object)
{
  CabutStore *self = (CabutStore *)object;

  /* Queued saves hold their own snapshot; untracking only stops new ones. */
  g_hash_table_remove_all (self->trackers);

  G_OBJECT_CLASS (cabut_store_parent_class)->dispose (object);
}

static void
cabut_store_finalize (GObject *object)
{
  CabutStore *self = (CabutStore *)object;

  /* Every job holds a reference, so the queue is empty: the thread only
   * closes the database and ends. */
  if (self->thread != NULL)
    {
      g_async_queue_push (self->queue, &quit_job);
      g_thread_join (self->thread);
    }

  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->trackers, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->dir, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cabut_store_parent_class)->finalize (object);
}

static void
cabut_store_class_init (CabutStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cabut_store_dispose;
  object_class->finalize = cabut_store_finalize;

  /**
   * CabutStore::save-failed:
   * @self: the store
   * @draft: the draft that could not be saved
   * @error: what went wrong, for the person to read
   *
   * Emitted on the main context when a tracked draft could not be written.
   * The draft keeps its values in memory; the next change tries again.
   */
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CABUT_TYPE_DRAFT, G_TYPE_ERROR);

  /**
   * CabutStore::request-decided:
   * @request: the request, as now kept
   * @server_url: its service
   * @username: whose it is
   *
   * A request kept undecided was decided: emitted once, when the copy
   * that says so is kept (so a later copy says nothing new).
   */
  signals[REQUEST_DECIDED] =
    g_signal_new ("request-decided",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, CABUT_TYPE_REQUEST, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * CabutStore::request-overdue:
   *
   * A kept request is undecided past its deadline: emitted once per
   * request, when a copy that says so is first kept.
   */
  signals[REQUEST_OVERDUE] =
    g_signal_new ("request-overdue",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, CABUT_TYPE_REQUEST, G_TYPE_STRING, G_TYPE_STRING);
}

static void
cabut_store_init (CabutStore *self)
{
  g_mutex_init (&self->lock);
  self->queue = g_async_queue_new ();
  self->trackers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) tracker_free);
  self->context = g_main_context_ref_thread_default ();
}

/* Public API */

/**
 * cabut_store_get_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/cabut/cabut.db`
 */
char *
cabut_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "cabut", "cabut.db", NULL);
}

/**
 * cabut_store_open_async:
 * @path: the database file; it and its folder are created when missing
 *
 * Opens the store on its own writer thread: the folder is created 0700 and
 * the file 0600, the schema is brought up to date in a transaction. A file
 * from a newer Cabut is refused with %CABUT_STORE_ERROR_TOO_NEW, a damaged
 * one with %CABUT_STORE_ERROR_CORRUPT.
 */
void
cabut_store_open_async (const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(CabutStore) self = NULL;
  g_autoptr(GError) error = NULL;
  GTask *task;
  Job *job;

  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_open_async);

  self = g_object_new (CABUT_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->dir = g_path_get_dirname (path);
  self->thread = g_thread_try_new ("cabut-store", writer_thread_main, self, &error);
  if (self->thread == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  job = job_new (self, run_open, task);
  job->returns_pointer = TRUE;
  job->result = g_object_ref (self);
  job->result_free = g_object_unref;
  push_job (self, job);
}

/**
 * cabut_store_open_finish:
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 */
CabutStore *
cabut_store_open_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cabut_store_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
cabut_store_get_path (CabutStore *self)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  return self->path;
}

/**
 * cabut_store_track_draft:
 *
 * Saves @draft now and after every change of its properties, until
 * cabut_store_untrack_draft(). Failures are reported by
 * #CabutStore::save-failed and by the next cabut_store_flush_async().
 */
void
cabut_store_track_draft (CabutStore *self,
                         CabutDraft *draft)
{
  Tracker *tracker;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (CABUT_IS_DRAFT (draft));

  if ((tracker = g_hash_table_lookup (self->trackers, draft)) == NULL)
    {
      tracker = g_new0 (Tracker, 1);
      tracker->draft = g_object_ref (draft);
      tracker->notify_id = g_signal_connect_object (draft, "notify",
                                                    G_CALLBACK (draft_notify_cb),
                                                    self, 0);
      g_hash_table_insert (self->trackers, draft, tracker);
    }

  schedule_save (self, tracker);
}

/**
 * cabut_store_untrack_draft:
 *
 * Stops saving @draft on change. A save already queued is still written.
 */
void
cabut_store_untrack_draft (CabutStore *self,
                           CabutDraft *draft)
{
  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (CABUT_IS_DRAFT (draft));

  g_hash_table_remove (self->trackers, draft);
}

/**
 * cabut_store_flush_async:
 *
 * Completes once every write queued before it is committed; fails with the
 * first draft save that failed since the previous flush.
 */
void
cabut_store_flush_async (CabutStore          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_flush_async);
  push_job (self, job_new (self, run_flush, task));
}

gboolean
cabut_store_flush_finish (CabutStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cabut_store_load_draft_async:
 *
 * Looks up the draft to offer back: the most recently saved one that is
 * still being edited or waits in the outbox, and is not empty.
 */
void
cabut_store_load_draft_async (CabutStore          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_load_draft_async);
  job = job_new (self, run_load_draft, task);
  job->returns_pointer = TRUE;
  push_job (self, job);
}

/**
 * cabut_store_load_draft_finish:
 *
 * Returns: (transfer full) (nullable): the draft, or %NULL when there is
 *   none (@error unset) or the store failed (@error set): never read an
 *   error as "no draft"
 */
CabutDraft *
cabut_store_load_draft_finish (CabutStore    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cabut_store_discard_draft_async:
 *
 * Stops tracking @draft and deletes it, with its outbox entry and the
 * private copy of its letter if it was queued.
 */
void
cabut_store_discard_draft_async (CabutStore          *self,
                                 CabutDraft          *draft,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (CABUT_IS_DRAFT (draft));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  cabut_store_untrack_draft (self, draft);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_discard_draft_async);
  job = job_new (self, run_discard, task);
  job->draft = g_object_ref (draft);
  job->data = g_strdup (cabut_draft_get_idempotency_key (draft));
  job->data_free = g_free;
  push_job (self, job);
}

gboolean
cabut_store_discard_draft_finish (CabutStore    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cabut_store_set_job_hook_for_testing (CabutStore        *self,
                                      CabutStoreJobHook  hook,
                                      gpointer           user_data)
{
  g_return_if_fail (CABUT_IS_STORE (self));

  g_mutex_lock (&self->lock);
  self->hook = hook;
  self->hook_data = user_data;
  g_mutex_unlock (&self->lock);
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          GDateTime   *when)
{
  json_builder_set_member_name (builder, member);
  if (when == NULL)
    {
      json_builder_add_null_value (builder);
    }
  else
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (when);
      g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      json_builder_add_string_value (builder, text);
    }
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The request in the service's own JSON shape, so the history is read
 * back by cabut_request_new_from_json() like an answer from the service. */
static char *
request_to_json (CabutRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_string (builder, "id", cabut_request_get_id (request));
  add_string (builder, "status", cabut_request_state_to_string (cabut_request_get_state (request)));
  add_string (builder, "reason", cabut_request_get_reason (request));
  add_string (builder, "reason_label", cabut_request_get_reason_label (request));
  add_string (builder, "note", cabut_request_get_note (request));

  json_builder_set_member_name (builder, "certificate");
  json_builder_begin_object (builder);
  add_string (builder, "serial", cabut_request_get_serial (request));
  add_string (builder, "subject", cabut_request_get_subject (request));
  add_string (builder, "issuer", cabut_request_get_issuer (request));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "applicant");
  json_builder_begin_object (builder);
  add_string (builder, "username", cabut_request_get_applicant_username (request));
  add_string (builder, "full_name", cabut_request_get_applicant_name (request));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "letter");
  json_builder_begin_object (builder);
  add_string (builder, "sha256", cabut_request_get_letter_sha256 (request));
  add_string (builder, "type", cabut_request_get_letter_type (request));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, cabut_request_get_letter_size (request));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "key_possession");
  json_builder_add_boolean_value (builder, cabut_request_get_key_possession (request));
  add_string (builder, "letter_match",
              cabut_request_get_letter_checked (request)
                ? cabut_statement_letter_match_to_string (cabut_request_get_letter_match (request)) : NULL);
  add_string (builder, "letter_code", cabut_request_get_letter_code (request));
  add_time (builder, "created_at", cabut_request_get_created_at (request));
  add_time (builder, "due", cabut_request_get_due (request));
  add_time (builder, "decided_at", cabut_request_get_decided_at (request));
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_boolean_value (builder, cabut_request_get_overdue (request));

  if (cabut_request_has_events (request))
    {
      GListModel *events = cabut_request_get_events (request);

      json_builder_set_member_name (builder, "events");
      json_builder_begin_array (builder);
      for (guint i = 0; i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(CabutRequestEvent) event = g_list_model_get_item (events, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, cabut_request_event_get_id (event));
          add_time (builder, "at", cabut_request_event_get_at (event));
          add_string (builder, "kind", cabut_request_event_get_kind (event));
          add_string (builder, "status",
                      cabut_request_state_to_string (cabut_request_event_get_state (event)));
          add_string (builder, "note", cabut_request_event_get_note (event));
          json_builder_set_member_name (builder, "actor");
          json_builder_begin_object (builder);
          add_string (builder, "username", cabut_request_event_get_actor_username (event));
          add_string (builder, "full_name", cabut_request_event_get_actor_name (event));
          add_string (builder, "role", cabut_request_event_get_actor_role (event));
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static RequestRow *
request_row_new (const char   *server_url,
                 const char   *username,
                 CabutRequest *request)
{
  RequestRow *row = g_new0 (RequestRow, 1);
  GDateTime *created_at = cabut_request_get_created_at (request);

  row->server_url = g_strdup (server_url);
  row->username = g_strdup (username);
  row->request_id = g_strdup (cabut_request_get_id (request));
  row->json = request_to_json (request);
  row->state = cabut_request_state_to_string (cabut_request_get_state (request));
  row->request = g_object_ref (request);
  if (created_at != NULL)
    row->created_at = g_date_time_to_unix (created_at) * G_USEC_PER_SEC +
                      g_date_time_get_microsecond (created_at);

  return row;
}

static CabutDraft *
find_tracked_draft (CabutStore *self,
                    const char *idempotency_key)
{
  GHashTableIter iter;
  CabutDraft *draft;

  g_hash_table_iter_init (&iter, self->trackers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &draft, NULL))
    if (g_strcmp0 (cabut_draft_get_idempotency_key (draft), idempotency_key) == 0)
      return draft;

  return NULL;
}

/* Changes @draft's state in memory without a save of its own: the job
 * that follows writes it, in the same transaction as the rest. */
static void
job_set_draft_state (Job             *job,
                     CabutDraft      *draft,
                     CabutDraftState  state,
                     const char      *request_id)
{
  CabutStore *self = job->store;

  job->draft = g_object_ref (draft);
  job->revert_on_error = TRUE;
  job->previous_state = cabut_draft_get_state (draft);
  job->previous_request_id = g_strdup (cabut_draft_get_request_id (draft));

  self->applying = TRUE;
  cabut_draft_set_state (draft, state);
  if (request_id != NULL)
    cabut_draft_set_request_id (draft, request_id);
  self->applying = FALSE;
}

/**
 * cabut_store_queue_submission_async:
 * @draft: the draft the submission was made from
 * @submission: the signed metadata to send
 * @letter: the statement letter's bytes
 * @letter_name: the letter's file name, sent with the upload
 *
 * Records a submission in the outbox before its upload starts: a private
 * copy of the letter is written durably under the store's folder, and the
 * outbox row and the draft's new state (%CABUT_DRAFT_STATE_QUEUED, set in
 * memory at once) are committed together. On failure nothing of it stays
 * and the draft's state is put back.
 */
void
cabut_store_queue_submission_async (CabutStore          *self,
                                    CabutDraft          *draft,
                                    CabutSubmission     *submission,
                                    GBytes              *letter,
                                    const char          *letter_name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  QueueData *data;
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (CABUT_IS_DRAFT (draft));
  g_return_if_fail (CABUT_IS_SUBMISSION (submission));
  g_return_if_fail (letter != NULL);
  g_return_if_fail (letter_name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_queue_submission_async);

  data = g_new0 (QueueData, 1);
  data->key = g_strdup (cabut_submission_get_idempotency_key (submission));
  data->server_url = g_strdup (cabut_draft_get_server_url (draft));
  data->username = g_strdup (cabut_draft_get_username (draft));
  data->metadata = g_bytes_ref (cabut_submission_get_metadata (submission));
  data->signature = g_strdup (cabut_submission_get_signature (submission));
  data->letter = g_bytes_ref (letter);
  data->letter_name = g_strdup (letter_name);

  job = job_new (self, run_queue_submission, task);
  job->data = data;
  job->data_free = (GDestroyNotify) queue_data_free;
  job_set_draft_state (job, draft, CABUT_DRAFT_STATE_QUEUED, NULL);
  job->snapshot = draft_snapshot_new (draft);
  push_job (self, job);
}

gboolean
cabut_store_queue_submission_finish (CabutStore    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cabut_store_list_outbox_async:
 *
 * Lists the submissions not yet acknowledged by the service, oldest first.
 */
void
cabut_store_list_outbox_async (CabutStore          *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_list_outbox_async);
  job = job_new (self, run_list_outbox, task);
  job->returns_pointer = TRUE;
  push_job (self, job);
}

/**
 * cabut_store_list_outbox_finish:
 *
 * Returns: (transfer full) (nullable): a list of #CabutOutboxItem, or %NULL
 *   with @error set
 */
GListModel *
cabut_store_list_outbox_finish (CabutStore    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cabut_store_mark_sent_async:
 * @idempotency_key: the key the submission was queued under
 * @request: the request the service filed for it
 *
 * In one transaction: the outbox row goes, the draft becomes
 * %CABUT_DRAFT_STATE_SENT with the request's id, and the request joins
 * the history. The private copy of the letter is deleted after the commit.
 */
void
cabut_store_mark_sent_async (CabutStore          *self,
                             const char          *idempotency_key,
                             CabutRequest        *request,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MarkSentData *data;
  CabutDraft *draft;
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (idempotency_key != NULL);
  g_return_if_fail (CABUT_IS_REQUEST (request));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_mark_sent_async);

  data = g_new0 (MarkSentData, 1);
  data->key = g_strdup (idempotency_key);
  /* The applicant's username stands in if the outbox row has none. */
  data->row = request_row_new (NULL, cabut_request_get_applicant_username (request), request);

  job = job_new (self, run_mark_sent, task);
  job->data = data;
  job->data_free = (GDestroyNotify) mark_sent_data_free;
  if ((draft = find_tracked_draft (self, idempotency_key)) != NULL)
    job_set_draft_state (job, draft, CABUT_DRAFT_STATE_SENT, cabut_request_get_id (request));
  push_job (self, job);
}

gboolean
cabut_store_mark_sent_finish (CabutStore    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cabut_store_save_requests_async:
 * @requests: a list of #CabutRequest, as the service listed them
 *
 * Keeps a copy of @requests for @username at @server_url, replacing older
 * copies of the same requests.
 */
void
cabut_store_save_requests_async (CabutStore          *self,
                                 const char          *server_url,
                                 const char          *username,
                                 GListModel          *requests,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  RequestsData *data;
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (G_IS_LIST_MODEL (requests));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_save_requests_async);

  data = g_new0 (RequestsData, 1);
  data->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) request_row_free);
  for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);

      g_ptr_array_add (data->rows, request_row_new (server_url, username, request));
    }

  job = job_new (self, run_save_requests, task);
  job->data = data;
  job->data_free = (GDestroyNotify) requests_data_free;
  push_job (self, job);
}

gboolean
cabut_store_save_requests_finish (CabutStore    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cabut_store_list_requests_async:
 *
 * Lists the copy of @username's requests at @server_url, newest first.
 */
void
cabut_store_list_requests_async (CabutStore          *self,
                                 const char          *server_url,
                                 const char          *username,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  RequestsData *data;
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_list_requests_async);

  data = g_new0 (RequestsData, 1);
  data->server_url = g_strdup (server_url);
  data->username = g_strdup (username);

  job = job_new (self, run_list_requests, task);
  job->data = data;
  job->data_free = (GDestroyNotify) requests_data_free;
  job->returns_pointer = TRUE;
  push_job (self, job);
}

/**
 * cabut_store_list_requests_finish:
 *
 * Returns: (transfer full) (nullable): a list of #CabutRequest (empty when
 *   none was kept), or %NULL with @error set
 */
GListModel *
cabut_store_list_requests_finish (CabutStore    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cabut_store_save_service_info_async:
 *
 * Keeps a copy of @info, fetched now from @server_url.
 */
void
cabut_store_save_service_info_async (CabutStore          *self,
                                     const char          *server_url,
                                     CabutServiceInfo    *info,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ServiceInfoData *data;
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (CABUT_IS_SERVICE_INFO (info));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_save_service_info_async);

  data = g_new0 (ServiceInfoData, 1);
  data->server_url = g_strdup (server_url);
  data->json = cabut_service_info_to_json (info);

  job = job_new (self, run_save_service_info, task);
  job->data = data;
  job->data_free = (GDestroyNotify) service_info_data_free;
  push_job (self, job);
}

gboolean
cabut_store_save_service_info_finish (CabutStore    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cabut_store_load_service_info_async (CabutStore          *self,
                                     const char          *server_url,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ServiceInfoData *data;
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_load_service_info_async);

  data = g_new0 (ServiceInfoData, 1);
  data->server_url = g_strdup (server_url);

  job = job_new (self, run_load_service_info, task);
  job->data = data;
  job->data_free = (GDestroyNotify) service_info_data_free;
  job->returns_pointer = TRUE;
  push_job (self, job);
}

/**
 * cabut_store_load_service_info_finish:
 * @fetched_at: (out) (optional) (transfer full): when the copy was saved
 *
 * Returns: (transfer full) (nullable): the last copy of the service's
 *   information; %NULL without @error when it was never saved, %NULL with
 *   @error when the store failed
 */
CabutServiceInfo *
cabut_store_load_service_info_finish (CabutStore    *self,
                                      GAsyncResult  *result,
                                      GDateTime    **fetched_at,
                                      GError       **error)
{
  ServiceInfoResult *found;
  CabutServiceInfo *info;

  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (fetched_at != NULL)
    *fetched_at = NULL;

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return NULL;

  info = g_steal_pointer (&found->info);
  if (fetched_at != NULL)
    *fetched_at = g_steal_pointer (&found->fetched_at);
  service_info_result_free (found);

  return info;
}

/**
 * cabut_store_find_certificate_async:
 * @request_id: a request filed from this computer
 *
 * Finds the certificate a request was filed for, as its draft kept it.
 */
void
cabut_store_find_certificate_async (CabutStore          *self,
                                    const char          *server_url,
                                    const char          *request_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (request_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_find_certificate_async);
  push_request_lookup (self, run_find_certificate, server_url, request_id, task);
}

/**
 * cabut_store_find_certificate_finish:
 *
 * Returns: (transfer full) (nullable): the certificate; %NULL without
 *   @error when this computer did not file the request, %NULL with @error
 *   when the store failed
 */
CabutCertificate *
cabut_store_find_certificate_finish (CabutStore    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cabut_store_find_sent_draft_async:
 * @request_id: a request filed from this computer
 *
 * Finds the draft @request_id was filed from, as the store kept it (the
 * certificate's file and public part, the reason, the note), to file it
 * again.
 */
void
cabut_store_find_sent_draft_async (CabutStore          *self,
                                   const char          *server_url,
                                   const char          *request_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (request_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_find_sent_draft_async);
  push_request_lookup (self, run_find_sent_draft, server_url, request_id, task);
}

/**
 * cabut_store_find_sent_draft_finish:
 *
 * Returns: (transfer full) (nullable): the draft, not tracked; %NULL
 *   without @error when the request was filed from another computer,
 *   %NULL with @error when the store failed
 */
CabutDraft *
cabut_store_find_sent_draft_finish (CabutStore    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cabut_store_load_history_async:
 * @server_url: the service
 *
 * Reads every request kept of every account used with @server_url on
 * this computer, newest first, in the store's thread.
 */
void
cabut_store_load_history_async (CabutStore          *self,
                                const char          *server_url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (server_url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_load_history_async);

  job = job_new (self, run_load_history, task);
  job->data = g_strdup (server_url);
  job->data_free = g_free;
  job->returns_pointer = TRUE;
  push_job (self, job);
}

/**
 * cabut_store_load_history_finish:
 * @updated_at: (out) (optional) (nullable) (transfer full): when the
 *   newest copy was kept, %NULL when none was
 *
 * Returns: (transfer full) (element-type CabutRequest) (nullable): the
 *   requests, or %NULL with @error set
 */
GPtrArray *
cabut_store_load_history_finish (CabutStore    *self,
                                 GAsyncResult  *result,
                                 GDateTime    **updated_at,
                                 GError       **error)
{
  HistoryResult *history;
  GPtrArray *requests;

  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  history = g_task_propagate_pointer (G_TASK (result), error);
  if (history == NULL)
    return NULL;

  requests = g_steal_pointer (&history->requests);
  if (updated_at != NULL)
    *updated_at = g_steal_pointer (&history->updated_at);
  history_result_free (history);

  return requests;
}

/**
 * cabut_store_list_waiting_async:
 * @server_url: the service
 *
 * Finds the accounts that have a kept request waiting for a decision at
 * @server_url.
 */
void
cabut_store_list_waiting_async (CabutStore          *self,
                                const char          *server_url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Job *job;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (server_url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_list_waiting_async);

  job = job_new (self, run_list_waiting, task);
  job->data = g_strdup (server_url);
  job->data_free = g_free;
  job->returns_pointer = TRUE;
  push_job (self, job);
}

/**
 * cabut_store_list_waiting_finish:
 *
 * Returns: (transfer full) (nullable): the user names, or %NULL with @error set
 */
char **
cabut_store_list_waiting_finish (CabutStore    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
push_complaint_job (CabutStore     *self,
                    JobFunc         func,
                    ComplaintData  *data,
                    GTask          *task)
{
  Job *job = job_new (self, func, task);

  job->data = data;
  job->data_free = (GDestroyNotify) complaint_data_free;
  job->returns_pointer = TRUE;
  push_job (self, job);
}

/**
 * cabut_store_save_complaint_async:
 * @server_url: the service
 * @username: the applicant whose complaint it is
 * @complaint: one read with its entries
 * @news_since: (nullable): for a complaint not kept before, entries from
 *   this time on are news; %NULL: none are (it is only noted)
 *
 * Keeps @complaint (its state, so that start-up knows which to catch up
 * on) and notes every entry of its thread as told. The officers' steps
 * (answered, escalated, resolved) not told before are the result, to be
 * told now, once; so is a deadline past (once for each deadline).
 */
void
cabut_store_save_complaint_async (CabutStore          *self,
                                  const char          *server_url,
                                  const char          *username,
                                  CabutComplaint      *complaint,
                                  GDateTime           *news_since,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  ComplaintData *data;
  GTask *task;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (CABUT_IS_COMPLAINT (complaint));
  g_return_if_fail (cabut_complaint_has_entries (complaint));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_save_complaint_async);
  data = g_new0 (ComplaintData, 1);
  data->server_url = g_strdup (server_url);
  data->username = g_strdup (username);
  data->complaint = g_object_ref (complaint);
  data->news_since = news_since != NULL ? usec_from_date_time (news_since) : 0;
  push_complaint_job (self, run_save_complaint, data, task);
}

/**
 * cabut_store_save_complaint_finish:
 * @overdue: (out) (optional): set to whether the complaint is past its
 *   deadline and the applicant was not told of this deadline yet
 *
 * Returns: (transfer container) (element-type CabutComplaintEntry): the
 *   entries to tell, oldest first; %NULL with @error set when the store
 *   failed
 */
GPtrArray *
cabut_store_save_complaint_finish (CabutStore    *self,
                                   GAsyncResult  *result,
                                   gboolean      *overdue,
                                   GError       **error)
{
  ComplaintNews *news;
  GPtrArray *entries;

  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (overdue != NULL)
    *overdue = FALSE;
  if ((news = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return NULL;
  if (overdue != NULL)
    *overdue = news->overdue;
  entries = g_steal_pointer (&news->entries);
  complaint_news_free (news);

  return entries;
}

/**
 * cabut_store_list_open_complaints_async:
 *
 * Finds @username's kept complaints at @server_url that were not settled
 * when last seen: those whose news start-up catches up on.
 */
void
cabut_store_list_open_complaints_async (CabutStore          *self,
                                        const char          *server_url,
                                        const char          *username,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  ComplaintData *data;
  GTask *task;

  g_return_if_fail (CABUT_IS_STORE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_store_list_open_complaints_async);
  data = g_new0 (ComplaintData, 1);
  data->server_url = g_strdup (server_url);
  data->username = g_strdup (username);
  push_complaint_job (self, run_list_open_complaints, data, task);
}

/**
 * cabut_store_list_open_complaints_finish:
 *
 * Returns: (transfer full) (nullable): the complaint numbers, or %NULL
 *   with @error set
 */
char **
cabut_store_list_open_complaints_finish (CabutStore    *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (CABUT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
