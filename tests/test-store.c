/* test-store.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cabut-core.h"
#include "cabut-draft-private.h"
#include "cabut-store-private.h"
#include "cabut-test-util.h"

/* Each test works in its own folder, removed at the end; the children of
 * the crash tests find it through this variable. */
#define DIR_ENV "CABUT_TEST_STORE_DIR"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      fixture->dir = g_strdup (g_getenv (DIR_ENV));
      g_assert_nonnull (fixture->dir);
    }
  else
    {
      fixture->dir = g_dir_make_tmp ("cabut-store-XXXXXX", &error);
      g_assert_no_error (error);
    }

  /* A folder the store has to create, to check its mode. */
  fixture->path = g_build_filename (fixture->dir, "data", "cabut.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (!g_test_subprocess ())
    cabut_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static CabutStore *
open_store (const char  *path,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_store_open_async (path, NULL, result_cb, &result);
  return cabut_store_open_finish (wait_for (&result), error);
}

static CabutStore *
open_store_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  CabutStore *store = open_store (path, &error);

  g_assert_no_error (error);
  g_assert_true (CABUT_IS_STORE (store));

  return store;
}

static gboolean
flush (CabutStore  *store,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_store_flush_async (store, NULL, result_cb, &result);
  return cabut_store_flush_finish (store, wait_for (&result), error);
}

static void
flush_ok (CabutStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (flush (store, &error));
  g_assert_no_error (error);
}

static CabutDraft *
load_draft (CabutStore  *store,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_store_load_draft_async (store, NULL, result_cb, &result);
  return cabut_store_load_draft_finish (store, wait_for (&result), error);
}

/* Loads from a second store on the same file, as the next start would. */
static CabutDraft *
reload_draft (const char *path)
{
  g_autoptr(CabutStore) store = open_store_ok (path);
  g_autoptr(GError) error = NULL;
  CabutDraft *draft = load_draft (store, &error);

  g_assert_no_error (error);

  return draft;
}

static void
discard_ok (CabutStore *store,
            CabutDraft *draft)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cabut_store_discard_draft_async (store, draft, NULL, result_cb, &result);
  g_assert_true (cabut_store_discard_draft_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static CabutCertificate *
load_certificate (const char *name)
{
  g_autoptr(GFile) file = g_file_new_for_path (cabut_test_fixture_path (name));
  g_autoptr(GError) error = NULL;
  CabutCertificate *certificate = cabut_certificate_new_from_file (file, NULL, NULL, &error);

  g_assert_no_error (error);

  return certificate;
}

static void
fill_draft (CabutDraft *draft)
{
  g_autoptr(CabutCertificate) certificate = load_certificate ("pem-with-key.pem");
  g_autoptr(GFile) certificate_file = g_file_new_for_path (cabut_test_fixture_path ("pem-with-key.pem"));
  g_autoptr(GFile) letter_file = g_file_new_for_path ("/home/budi/Dokumen/surat pernyataan.pdf");

  g_assert_true (cabut_certificate_has_private_key (certificate));

  cabut_draft_set_server_url (draft, "https://ams.example.test");
  cabut_draft_set_certificate_file (draft, certificate_file);
  cabut_draft_set_certificate (draft, certificate);
  cabut_draft_set_username (draft, "budi.santoso");
  cabut_draft_set_reason (draft, "keyCompromise");
  cabut_draft_set_note (draft, "Token hilang di kereta — dilaporkan 2 Mei");
  cabut_draft_set_letter_file (draft, letter_file);
  cabut_draft_set_letter_confirmed (draft, TRUE);
  cabut_draft_set_step (draft, CABUT_DRAFT_STEP_CHECK);
  cabut_draft_set_request_id (draft, "REQ-0001");
}

static void
assert_same_draft (CabutDraft *a,
                   CabutDraft *b)
{
  CabutCertificate *ca = cabut_draft_get_certificate (a);
  CabutCertificate *cb = cabut_draft_get_certificate (b);

  g_assert_cmpint (cabut_draft_get_id (a), ==, cabut_draft_get_id (b));
  g_assert_cmpstr (cabut_draft_get_idempotency_key (a), ==, cabut_draft_get_idempotency_key (b));
  g_assert_cmpstr (cabut_draft_get_server_url (a), ==, cabut_draft_get_server_url (b));
  g_assert_true (g_file_equal (cabut_draft_get_certificate_file (a), cabut_draft_get_certificate_file (b)));
  g_assert_cmpstr (cabut_certificate_get_sha256 (ca), ==, cabut_certificate_get_sha256 (cb));
  g_assert_cmpstr (cabut_certificate_get_serial (ca), ==, cabut_certificate_get_serial (cb));
  g_assert_cmpstr (cabut_draft_get_username (a), ==, cabut_draft_get_username (b));
  g_assert_cmpstr (cabut_draft_get_reason (a), ==, cabut_draft_get_reason (b));
  g_assert_cmpstr (cabut_draft_get_note (a), ==, cabut_draft_get_note (b));
  g_assert_true (g_file_equal (cabut_draft_get_letter_file (a), cabut_draft_get_letter_file (b)));
  g_assert_cmpint (cabut_draft_get_letter_confirmed (a), ==, cabut_draft_get_letter_confirmed (b));
  g_assert_cmpint (cabut_draft_get_step (a), ==, cabut_draft_get_step (b));
  g_assert_cmpint (cabut_draft_get_state (a), ==, cabut_draft_get_state (b));
  g_assert_cmpstr (cabut_draft_get_request_id (a), ==, cabut_draft_get_request_id (b));
  g_assert_true (g_date_time_equal (cabut_draft_get_updated_at (a), cabut_draft_get_updated_at (b)));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* Properties notify only on a real change; a new draft is empty. */
static void
test_draft_properties (void)
{
  g_autoptr(CabutDraft) draft = cabut_draft_new ();
  g_autoptr(CabutDraft) other = cabut_draft_new ();
  g_autoptr(GFile) file = g_file_new_for_path ("/tmp/letter.pdf");
  g_autoptr(GFile) same = g_file_new_for_path ("/tmp/letter.pdf");
  guint count = 0;

  g_assert_true (cabut_draft_is_empty (draft));
  g_assert_cmpint (cabut_draft_get_id (draft), ==, 0);
  g_assert_null (cabut_draft_get_updated_at (draft));
  g_assert_true (g_uuid_string_is_valid (cabut_draft_get_idempotency_key (draft)));
  g_assert_cmpstr (cabut_draft_get_idempotency_key (draft), !=, cabut_draft_get_idempotency_key (other));
  g_assert_cmpint (cabut_draft_get_step (draft), ==, CABUT_DRAFT_STEP_WELCOME);
  g_assert_cmpint (cabut_draft_get_state (draft), ==, CABUT_DRAFT_STATE_EDITING);

  g_signal_connect (draft, "notify", G_CALLBACK (count_notify_cb), &count);
  cabut_draft_set_username (draft, "budi");
  cabut_draft_set_username (draft, "budi");
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (cabut_draft_is_empty (draft));

  cabut_draft_set_letter_file (draft, file);
  cabut_draft_set_letter_file (draft, same);
  g_assert_cmpuint (count, ==, 2);
  g_assert_false (cabut_draft_is_empty (draft));

  g_object_set (draft, "step", CABUT_DRAFT_STEP_REASON, "step", CABUT_DRAFT_STEP_REASON, NULL);
  g_assert_cmpuint (count, ==, 3);
  cabut_draft_set_letter_file (draft, NULL);
  cabut_draft_set_reason (draft, "");
  g_assert_true (cabut_draft_is_empty (draft));
  cabut_draft_set_note (draft, "x");
  g_assert_false (cabut_draft_is_empty (draft));

  g_assert_cmpstr (g_enum_to_string (CABUT_TYPE_DRAFT_STATE, CABUT_DRAFT_STATE_QUEUED), ==,
                   "CABUT_DRAFT_STATE_QUEUED");
  g_assert_cmpstr (g_enum_to_string (CABUT_TYPE_DRAFT_STEP, CABUT_DRAFT_STEP_RECEIPT), ==,
                   "CABUT_DRAFT_STEP_RECEIPT");
}

/* Every property comes back from a second store on the same file; the
 * certificate comes back without its private key. */
static void
test_draft_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(CabutDraft) draft = cabut_draft_new ();
  g_autoptr(CabutDraft) loaded = NULL;
  g_autofree char *before_sha256 = NULL;

  g_assert_cmpstr (cabut_store_get_path (store), ==, fixture->path);

  fill_draft (draft);
  cabut_store_track_draft (store, draft);
  flush_ok (store);
  g_assert_cmpint (cabut_draft_get_id (draft), >, 0);
  g_assert_nonnull (cabut_draft_get_updated_at (draft));

  loaded = reload_draft (fixture->path);
  g_assert_nonnull (loaded);
  assert_same_draft (draft, loaded);
  g_assert_cmpstr (cabut_draft_get_note (loaded), ==, "Token hilang di kereta — dilaporkan 2 Mei");
  g_assert_cmpint (cabut_draft_get_step (loaded), ==, CABUT_DRAFT_STEP_CHECK);
  g_assert_false (cabut_certificate_has_private_key (cabut_draft_get_certificate (loaded)));
  g_assert_false (cabut_draft_is_empty (loaded));
}

/* Changes made after track_draft are saved; a burst ends with its last value. */
static void
test_draft_changes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(CabutDraft) draft = cabut_draft_new ();
  g_autoptr(CabutDraft) loaded = NULL;

  cabut_store_track_draft (store, draft);
  flush_ok (store);
  /* Empty: nothing written yet. */
  g_assert_cmpint (cabut_draft_get_id (draft), ==, 0);

  cabut_draft_set_reason (draft, "superseded");
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *note = g_strdup_printf ("note %u", i);
      cabut_draft_set_note (draft, note);
    }
  cabut_draft_set_step (draft, CABUT_DRAFT_STEP_LETTER);
  flush_ok (store);

  loaded = reload_draft (fixture->path);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (cabut_draft_get_reason (loaded), ==, "superseded");
  g_assert_cmpstr (cabut_draft_get_note (loaded), ==, "note 199");
  g_assert_cmpint (cabut_draft_get_step (loaded), ==, CABUT_DRAFT_STEP_LETTER);
  g_assert_null (cabut_draft_get_certificate (loaded));
  g_assert_cmpint (cabut_draft_get_id (loaded), ==, cabut_draft_get_id (draft));
  g_clear_object (&loaded);

  /* Untracked: later changes stay in memory only. */
  cabut_store_untrack_draft (store, draft);
  cabut_draft_set_reason (draft, "affiliationChanged");
  flush_ok (store);
  loaded = reload_draft (fixture->path);
  g_assert_cmpstr (cabut_draft_get_reason (loaded), ==, "superseded");
}

/* Empty drafts are not offered, nor sent ones; queued ones are; discard
 * removes a draft. */
static void
test_draft_offered (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(CabutDraft) empty = cabut_draft_new ();
  g_autoptr(CabutDraft) draft = cabut_draft_new ();
  g_autoptr(CabutDraft) loaded = NULL;
  g_autoptr(GError) error = NULL;

  cabut_store_track_draft (store, empty);
  cabut_draft_set_username (empty, "budi");
  cabut_draft_set_step (empty, CABUT_DRAFT_STEP_SIGN_IN);
  flush_ok (store);
  loaded = load_draft (store, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  cabut_store_track_draft (store, draft);
  cabut_draft_set_reason (draft, "keyCompromise");
  flush_ok (store);
  loaded = load_draft (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cabut_draft_get_idempotency_key (loaded), ==, cabut_draft_get_idempotency_key (draft));
  g_clear_object (&loaded);

  /* A draft emptied again is not offered either. */
  cabut_draft_set_reason (draft, NULL);
  flush_ok (store);
  loaded = load_draft (store, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  cabut_draft_set_reason (draft, "keyCompromise");
  cabut_draft_set_state (draft, CABUT_DRAFT_STATE_QUEUED);
  flush_ok (store);
  loaded = load_draft (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpint (cabut_draft_get_state (loaded), ==, CABUT_DRAFT_STATE_QUEUED);
  g_clear_object (&loaded);

  cabut_draft_set_state (draft, CABUT_DRAFT_STATE_SENT);
  flush_ok (store);
  loaded = load_draft (store, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  /* Discard: the draft is gone, and later edits are not saved. */
  g_clear_object (&draft);
  draft = cabut_draft_new ();
  cabut_store_track_draft (store, draft);
  cabut_draft_set_note (draft, "to be discarded");
  flush_ok (store);
  loaded = load_draft (store, &error);
  g_assert_nonnull (loaded);
  g_clear_object (&loaded);

  discard_ok (store, draft);
  cabut_draft_set_note (draft, "after discard");
  flush_ok (store);
  loaded = reload_draft (fixture->path);
  g_assert_null (loaded);
}

/* The child saves a reason, flushes and is killed; the parent finds it. */
static void
test_crash_draft (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(CabutDraft) loaded = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(CabutStore) store = open_store_ok (fixture->path);
      g_autoptr(CabutDraft) draft = cabut_draft_new ();

      cabut_store_track_draft (store, draft);
      cabut_draft_set_note (draft, "first");
      cabut_draft_set_reason (draft, "cessationOfOperation");
      flush_ok (store);
      kill (getpid (), SIGKILL);
      g_assert_not_reached ();
    }

  g_setenv (DIR_ENV, fixture->dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv (DIR_ENV);
  g_test_trap_assert_failed ();

  loaded = reload_draft (fixture->path);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (cabut_draft_get_reason (loaded), ==, "cessationOfOperation");
  g_assert_cmpstr (cabut_draft_get_note (loaded), ==, "first");
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 07777, ==, mode);
}

/* The folder is private to the user, and so are the file and its WAL. */
static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(CabutStore) store = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox", NULL);
  mode_t old_umask = umask (022);

  store = open_store_ok (fixture->path);
  umask (old_umask);

  assert_mode (dir, 0700);
  assert_mode (fixture->path, 0600);
  assert_mode (wal, 0600);
  assert_mode (outbox, 0700);
}

static void
write_file (const char   *path,
            const char   *contents,
            gssize        len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

/* Garbage in the file is reported as damage, with the path, never as
 * "no draft". */
static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CabutStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *garbage = g_strnfill (8192, 'Z');

  write_file (fixture->path, garbage, -1);

  store = open_store (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

/* A file from a newer schema is refused and left alone. */
static void
test_too_new (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CabutStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, fixture->path));

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 999);
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);
}

/* A folder the user cannot write: opening fails with READ_ONLY. Root
 * ignores modes, so the child gives up its privileges first. */
static void
test_read_only_folder (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *ro = g_build_filename (fixture->dir, "ro", NULL);

  if (g_test_subprocess ())
    {
      g_autofree char *inside = g_build_filename (ro, "cabut.db", NULL);
      g_autofree char *below = g_build_filename (ro, "sub", "cabut.db", NULL);
      g_autoptr(CabutStore) store = NULL;
      g_autoptr(GError) error = NULL;

      if (getuid () == 0)
        {
          g_assert_cmpint (setgid (65534), ==, 0);
          g_assert_cmpint (setuid (65534), ==, 0);
        }

      store = open_store (inside, &error);
      g_assert_null (store);
      g_assert_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_READ_ONLY);
      g_assert_nonnull (strstr (error->message, inside));
      g_clear_error (&error);

      store = open_store (below, &error);
      g_assert_null (store);
      g_assert_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_READ_ONLY);
      return;
    }

  g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);

  g_setenv (DIR_ENV, fixture->dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv (DIR_ENV);
  g_test_trap_assert_passed ();
}

static void
save_failed_cb (CabutStore  *store,
                CabutDraft  *draft,
                GError      *error,
                GError     **out)
{
  g_assert_true (CABUT_IS_DRAFT (draft));
  g_assert_nonnull (error);
  if (*out == NULL)
    *out = g_error_copy (error);
}

/* A save that cannot be written (here: the file size limit, as on a full
 * disk) is reported by save-failed and by flush; the draft keeps its
 * values in memory. */
static void
test_save_failed (Fixture       *fixture,
                  gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(CabutStore) store = open_store_ok (fixture->path);
      g_autoptr(CabutDraft) draft = cabut_draft_new ();
      g_autoptr(GError) signalled = NULL;
      g_autoptr(GError) error = NULL;
      struct rlimit limit = { 1, 1 };
      g_autofree char *note = g_strnfill (64 * 1024, 'n');

      g_signal_connect (store, "save-failed", G_CALLBACK (save_failed_cb), &signalled);

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      cabut_store_track_draft (store, draft);
      cabut_draft_set_note (draft, note);
      g_assert_false (flush (store, &error));
      g_assert_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, fixture->path));
      g_assert_nonnull (signalled);
      g_assert_cmpint (signalled->code, ==, error->code);
      g_assert_cmpstr (cabut_draft_get_note (draft), ==, note);
      g_assert_cmpint (cabut_draft_get_id (draft), ==, 0);

      /* Reported once: the next flush is clean. */
      g_clear_error (&error);
      g_assert_true (flush (store, &error));
      g_assert_no_error (error);
      return;
    }

  g_setenv (DIR_ENV, fixture->dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv (DIR_ENV);
  g_test_trap_assert_passed ();
}

static void
record_thread_hook (gpointer user_data)
{
  GPtrArray *threads = user_data;

  g_ptr_array_add (threads, g_thread_self ());
}

/* Every job runs on the one writer thread, never the caller's. */
static void
test_writer_thread (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(CabutDraft) draft = cabut_draft_new ();
  g_autoptr(CabutDraft) loaded = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  cabut_store_set_job_hook_for_testing (store, record_thread_hook, threads);
  cabut_store_track_draft (store, draft);
  cabut_draft_set_reason (draft, "superseded");
  flush_ok (store);
  loaded = load_draft (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  cabut_store_set_job_hook_for_testing (store, NULL, NULL);

  g_assert_cmpuint (threads->len, >=, 3);
  for (guint i = 0; i < threads->len; i++)
    {
      g_assert_true (threads->pdata[i] != (gpointer) g_thread_self ());
      g_assert_true (threads->pdata[i] == threads->pdata[0]);
    }
}

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cabut/draft/properties", test_draft_properties);
  ADD_TEST ("/cabut/store/draft/round-trip", test_draft_round_trip);
  ADD_TEST ("/cabut/store/draft/changes", test_draft_changes);
  ADD_TEST ("/cabut/store/draft/offered", test_draft_offered);
  ADD_TEST ("/cabut/store/crash/draft", test_crash_draft);
  ADD_TEST ("/cabut/store/permissions", test_permissions);
  ADD_TEST ("/cabut/store/corrupt", test_corrupt);
  ADD_TEST ("/cabut/store/too-new", test_too_new);
  ADD_TEST ("/cabut/store/read-only-folder", test_read_only_folder);
  ADD_TEST ("/cabut/store/save-failed", test_save_failed);
  ADD_TEST ("/cabut/store/writer-thread", test_writer_thread);

  return g_test_run ();
}
