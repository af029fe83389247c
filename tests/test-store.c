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
  g_autofree char *rw = g_build_filename (fixture->dir, "rw", NULL);
  g_autofree char *ro_file = g_build_filename (rw, "cabut.db", NULL);

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
      g_clear_error (&error);

      /* A database file the user cannot write, in a folder they can. */
      store = open_store (ro_file, &error);
      g_assert_null (store);
      g_assert_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_READ_ONLY);
      return;
    }

  write_file (ro_file, "", 0);
  g_assert_cmpint (g_chmod (ro_file, 0444), ==, 0);
  g_assert_cmpint (g_chmod (rw, 0777), ==, 0);
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
      g_assert_nonnull (strstr (error->message, "Free some disk space"));
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

static GListModel *
list_outbox (CabutStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *items;

  cabut_store_list_outbox_async (store, NULL, result_cb, &result);
  items = cabut_store_list_outbox_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);

  return items;
}

static gboolean
queue_submission (CabutStore       *store,
                  CabutDraft       *draft,
                  CabutSubmission  *submission,
                  GBytes           *letter,
                  GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_store_queue_submission_async (store, draft, submission, letter, "surat pernyataan.pdf",
                                      NULL, result_cb, &result);
  return cabut_store_queue_submission_finish (store, wait_for (&result), error);
}

#define CRASH_KEY "6f1c2f1e-crash-test-key"

static GBytes *
make_letter_sized (gsize len)
{
  guint8 *data = g_malloc (len);

  /* Binary, with NUL bytes, and not a multiple of any block size. */
  memcpy (data, "%PDF-1.7\n", 9);
  for (gsize i = 9; i < len; i++)
    data[i] = (guint8) ((i * 2654435761u) >> 13);

  return g_bytes_new_take (data, len);
}

static GBytes *
make_letter (void)
{
  return make_letter_sized (300 * 1024 + 7);
}

static GBytes *
make_metadata (void)
{
  static const char metadata[] =
    "{\"certificate\":\"MIIB…\",\"reason\":\"keyCompromise\",\"note\":\"Token hilang\"}";

  return g_bytes_new_static (metadata, sizeof metadata - 1);
}

static CabutSubmission *
make_submission (const char *key)
{
  g_autoptr(GBytes) metadata = make_metadata ();

  return cabut_submission_new_from_parts (metadata, "c2lnbmF0dXJl", key);
}

static CabutDraft *
make_queued_draft (const char *key)
{
  CabutDraft *draft = g_object_new (CABUT_TYPE_DRAFT, "idempotency-key", key, NULL);

  cabut_draft_set_server_url (draft, "https://ams.example.test");
  cabut_draft_set_username (draft, "budi.santoso");
  cabut_draft_set_reason (draft, "keyCompromise");
  cabut_draft_set_step (draft, CABUT_DRAFT_STEP_SEND);

  return draft;
}

static void
assert_file_bytes (GFile  *file,
                   GBytes *expected)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, expected));
}

static void
assert_outbox_item (CabutOutboxItem *item,
                    const char      *key,
                    GBytes          *letter)
{
  CabutSubmission *submission = cabut_outbox_item_get_submission (item);
  g_autoptr(GBytes) metadata = make_metadata ();
  g_autofree char *letter_path = g_file_get_path (cabut_outbox_item_get_letter_file (item));

  g_assert_cmpstr (cabut_outbox_item_get_idempotency_key (item), ==, key);
  g_assert_cmpstr (cabut_submission_get_idempotency_key (submission), ==, key);
  g_assert_true (g_bytes_equal (cabut_submission_get_metadata (submission), metadata));
  g_assert_cmpstr (cabut_submission_get_signature (submission), ==, "c2lnbmF0dXJl");
  g_assert_cmpstr (cabut_outbox_item_get_server_url (item), ==, "https://ams.example.test");
  g_assert_cmpstr (cabut_outbox_item_get_username (item), ==, "budi.santoso");
  g_assert_cmpstr (cabut_outbox_item_get_letter_name (item), ==, "surat pernyataan.pdf");
  g_assert_nonnull (cabut_outbox_item_get_queued_at (item));
  g_assert_cmpint (cabut_outbox_item_get_draft_id (item), >, 0);
  assert_file_bytes (cabut_outbox_item_get_letter_file (item), letter);
  assert_mode (letter_path, 0600);
}

/* Queueing writes a private copy of the letter and the outbox row, and
 * the draft becomes QUEUED: still offered, in memory and on disk. */
static void
test_outbox_queue (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(CabutDraft) draft = cabut_draft_new ();
  g_autoptr(CabutSubmission) submission = NULL;
  g_autoptr(GBytes) letter = make_letter ();
  g_autoptr(GListModel) items = NULL;
  g_autoptr(CabutOutboxItem) item = NULL;
  g_autoptr(CabutDraft) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *key = cabut_draft_get_idempotency_key (draft);

  cabut_draft_set_server_url (draft, "https://ams.example.test");
  cabut_draft_set_username (draft, "budi.santoso");
  cabut_draft_set_reason (draft, "keyCompromise");
  cabut_store_track_draft (store, draft);
  submission = make_submission (key);

  g_assert_true (queue_submission (store, draft, submission, letter, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cabut_draft_get_state (draft), ==, CABUT_DRAFT_STATE_QUEUED);
  g_assert_cmpint (cabut_draft_get_id (draft), >, 0);

  items = list_outbox (store);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
  item = g_list_model_get_item (items, 0);
  assert_outbox_item (item, key, letter);
  g_assert_cmpint (cabut_outbox_item_get_draft_id (item), ==, cabut_draft_get_id (draft));

  loaded = reload_draft (fixture->path);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (cabut_draft_get_idempotency_key (loaded), ==, key);
  g_assert_cmpint (cabut_draft_get_state (loaded), ==, CABUT_DRAFT_STATE_QUEUED);
}

/* The letter copy cannot be written: queueing fails, nothing of it
 * stays, and the draft is EDITING again. */
static void
test_outbox_queue_failed (Fixture       *fixture,
                          gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(CabutStore) store = open_store_ok (fixture->path);
      g_autoptr(CabutDraft) draft = make_queued_draft (CRASH_KEY);
      g_autoptr(CabutSubmission) submission = make_submission (CRASH_KEY);
      g_autoptr(GBytes) letter = make_letter_sized (8 * 1024 * 1024);
      g_autoptr(GListModel) items = NULL;
      g_autoptr(CabutDraft) loaded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *outbox = g_build_filename (fixture->dir, "data", "outbox", NULL);
      g_autoptr(GDir) dir = NULL;
      struct rlimit limit;

      cabut_store_track_draft (store, draft);
      flush_ok (store);

      /* The copy of the letter is larger than the file size limit; the
       * database and its WAL (checkpointed at 4 MiB) stay below it. */
      g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      limit.rlim_cur = 6 * 1024 * 1024;
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      g_assert_false (queue_submission (store, draft, submission, letter, &error));
      g_assert_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, fixture->path));

      limit.rlim_cur = limit.rlim_max;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      g_assert_cmpint (cabut_draft_get_state (draft), ==, CABUT_DRAFT_STATE_EDITING);
      items = list_outbox (store);
      g_assert_cmpuint (g_list_model_get_n_items (items), ==, 0);
      dir = g_dir_open (outbox, 0, NULL);
      g_assert_nonnull (dir);
      g_assert_null (g_dir_read_name (dir));

      flush_ok (store);
      g_clear_object (&store);
      loaded = reload_draft (fixture->path);
      g_assert_cmpint (cabut_draft_get_state (loaded), ==, CABUT_DRAFT_STATE_EDITING);
      return;
    }

  g_setenv (DIR_ENV, fixture->dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv (DIR_ENV);
  g_test_trap_assert_passed ();
}

static void
queued_then_kill_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cabut_store_queue_submission_finish (CABUT_STORE (object), result, &error));
  g_assert_no_error (error);
  kill (getpid (), SIGKILL);
}

/* The child is killed right after queueing; the parent's outbox has the
 * same bytes under the same key. */
static void
test_crash_outbox (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CabutStore) store = NULL;
  g_autoptr(GListModel) items = NULL;
  g_autoptr(CabutOutboxItem) item = NULL;
  g_autoptr(GBytes) letter = make_letter ();
  g_autoptr(CabutDraft) loaded = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(CabutDraft) draft = make_queued_draft (CRASH_KEY);
      g_autoptr(CabutSubmission) submission = make_submission (CRASH_KEY);

      store = open_store_ok (fixture->path);
      cabut_store_track_draft (store, draft);
      cabut_store_queue_submission_async (store, draft, submission, letter, "surat pernyataan.pdf",
                                          NULL, queued_then_kill_cb, NULL);
      for (;;)
        g_main_context_iteration (NULL, TRUE);
    }

  g_setenv (DIR_ENV, fixture->dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv (DIR_ENV);
  g_test_trap_assert_failed ();

  store = open_store_ok (fixture->path);
  items = list_outbox (store);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
  item = g_list_model_get_item (items, 0);
  assert_outbox_item (item, CRASH_KEY, letter);

  loaded = load_draft (store, NULL);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (cabut_draft_get_idempotency_key (loaded), ==, CRASH_KEY);
  g_assert_cmpint (cabut_draft_get_state (loaded), ==, CABUT_DRAFT_STATE_QUEUED);
  g_assert_cmpint (cabut_draft_get_id (loaded), ==, cabut_outbox_item_get_draft_id (item));
}

static CabutRequest *
make_request_for (const char *id,
                  const char *status,
                  const char *created_at,
                  const char *username,
                  const char *full_name,
                  const char *serial,
                  const char *due)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  CabutRequest *request;

  json = g_strdup_printf ("{\"id\": \"%s\", \"status\": \"%s\", \"reason\": \"keyCompromise\","
                          " \"reason_label\": \"Kunci bocor\", \"note\": \"Token hilang\","
                          " \"certificate\": {\"serial\": \"%s\", \"subject\": \"CN=%s,O=Contoh,C=ID\","
                          "   \"issuer\": \"CN=Demo CA,C=ID\"},"
                          " \"applicant\": {\"username\": \"%s\", \"full_name\": \"%s\"},"
                          " \"letter\": {\"sha256\": \"ab12\", \"type\": \"application/pdf\", \"size\": 307207},"
                          " \"key_possession\": true, \"letter_match\": \"other_reason\","
                          " \"letter_code\": \"CABUT1:0A1B2C:AB12:SUPERSEDED:K\","
                          " \"created_at\": \"%s\", \"due\": \"%s\","
                          " \"decided_at\": null, \"overdue\": false,"
                          " \"events\": [{\"id\": 7, \"at\": \"%s\", \"kind\": \"submitted\", \"status\": \"submitted\","
                          "   \"note\": null, \"actor\": {\"username\": \"budi.santoso\", \"full_name\": \"Budi Santoso\","
                          "   \"role\": \"applicant\"}}]}",
                          id, status, serial, full_name, username, full_name, created_at, due, created_at);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  request = cabut_request_new_from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);

  return request;
}

static CabutRequest *
make_request (const char *id,
              const char *status,
              const char *created_at)
{
  return make_request_for (id, status, created_at, "budi.santoso", "Budi Santoso", "0A1B2C",
                           "2026-05-05T10:00:00Z");
}

static GListModel *
list_requests (CabutStore *store,
               const char *username)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *requests;

  cabut_store_list_requests_async (store, "https://ams.example.test", username, NULL,
                                   result_cb, &result);
  requests = cabut_store_list_requests_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (requests);

  return requests;
}

static void
assert_same_request (CabutRequest *a,
                     CabutRequest *b)
{
  g_autoptr(CabutRequestEvent) ea = NULL;
  g_autoptr(CabutRequestEvent) eb = NULL;

  g_assert_cmpstr (cabut_request_get_id (a), ==, cabut_request_get_id (b));
  g_assert_cmpint (cabut_request_get_state (a), ==, cabut_request_get_state (b));
  g_assert_cmpstr (cabut_request_get_reason (a), ==, cabut_request_get_reason (b));
  g_assert_cmpstr (cabut_request_get_reason_label (a), ==, cabut_request_get_reason_label (b));
  g_assert_cmpstr (cabut_request_get_note (a), ==, cabut_request_get_note (b));
  g_assert_cmpstr (cabut_request_get_serial (a), ==, cabut_request_get_serial (b));
  g_assert_cmpstr (cabut_request_get_subject (a), ==, cabut_request_get_subject (b));
  g_assert_cmpstr (cabut_request_get_issuer (a), ==, cabut_request_get_issuer (b));
  g_assert_cmpstr (cabut_request_get_applicant_username (a), ==, cabut_request_get_applicant_username (b));
  g_assert_cmpstr (cabut_request_get_applicant_name (a), ==, cabut_request_get_applicant_name (b));
  g_assert_cmpstr (cabut_request_get_letter_sha256 (a), ==, cabut_request_get_letter_sha256 (b));
  g_assert_cmpstr (cabut_request_get_letter_type (a), ==, cabut_request_get_letter_type (b));
  g_assert_cmpuint (cabut_request_get_letter_size (a), ==, cabut_request_get_letter_size (b));
  g_assert_cmpint (cabut_request_get_key_possession (a), ==, cabut_request_get_key_possession (b));
  g_assert_true (cabut_request_get_letter_checked (b));
  g_assert_cmpint (cabut_request_get_letter_match (b), ==, CABUT_LETTER_MATCH_OTHER_REASON);
  g_assert_cmpstr (cabut_request_get_letter_code (b), ==, "CABUT1:0A1B2C:AB12:SUPERSEDED:K");
  g_assert_true (g_date_time_equal (cabut_request_get_created_at (a), cabut_request_get_created_at (b)));
  g_assert_true (g_date_time_equal (cabut_request_get_due (a), cabut_request_get_due (b)));
  g_assert_null (cabut_request_get_decided_at (b));
  g_assert_cmpint (cabut_request_get_overdue (a), ==, cabut_request_get_overdue (b));
  g_assert_cmpint (cabut_request_has_events (a), ==, cabut_request_has_events (b));
  g_assert_cmpuint (g_list_model_get_n_items (cabut_request_get_events (b)), ==, 1);

  ea = g_list_model_get_item (cabut_request_get_events (a), 0);
  eb = g_list_model_get_item (cabut_request_get_events (b), 0);
  g_assert_cmpint (cabut_request_event_get_id (ea), ==, cabut_request_event_get_id (eb));
  g_assert_true (g_date_time_equal (cabut_request_event_get_at (ea), cabut_request_event_get_at (eb)));
  g_assert_cmpstr (cabut_request_event_get_kind (ea), ==, cabut_request_event_get_kind (eb));
  g_assert_cmpint (cabut_request_event_get_state (ea), ==, cabut_request_event_get_state (eb));
  g_assert_cmpstr (cabut_request_event_get_actor_role (ea), ==, cabut_request_event_get_actor_role (eb));
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return text;
}

/* Acknowledged: the outbox row and the letter copy are gone, the draft is
 * SENT (and no longer offered), and the request is in the history. */
static void
test_mark_sent (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(CabutDraft) draft = make_queued_draft (CRASH_KEY);
  g_autoptr(CabutSubmission) submission = make_submission (CRASH_KEY);
  g_autoptr(GBytes) letter = make_letter ();
  g_autoptr(CabutRequest) request = make_request ("REQ-2026-000042", "submitted", "2026-05-04T09:30:00Z");
  g_autoptr(GListModel) items = NULL;
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(CabutOutboxItem) item = NULL;
  g_autoptr(CabutRequest) listed = NULL;
  g_autoptr(CabutDraft) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *request_id = NULL;
  GFile *letter_copy;

  cabut_store_track_draft (store, draft);
  g_assert_true (queue_submission (store, draft, submission, letter, &error));
  g_assert_no_error (error);
  items = list_outbox (store);
  item = g_list_model_get_item (items, 0);
  letter_copy = cabut_outbox_item_get_letter_file (item);
  g_assert_true (g_file_query_exists (letter_copy, NULL));
  g_clear_object (&items);

  cabut_store_mark_sent_async (store, CRASH_KEY, request, NULL, result_cb, &result);
  g_assert_true (cabut_store_mark_sent_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);

  g_assert_cmpint (cabut_draft_get_state (draft), ==, CABUT_DRAFT_STATE_SENT);
  g_assert_cmpstr (cabut_draft_get_request_id (draft), ==, "REQ-2026-000042");

  items = list_outbox (store);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 0);
  g_assert_false (g_file_query_exists (letter_copy, NULL));

  requests = list_requests (store, "budi.santoso");
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 1);
  listed = g_list_model_get_item (requests, 0);
  assert_same_request (request, listed);

  /* A later edit of the tracked draft does not make it EDITING again. */
  cabut_draft_set_note (draft, "sudah dikirim");
  flush_ok (store);
  g_clear_object (&store);

  state = query_text (fixture->path, "SELECT state FROM drafts WHERE idempotency_key = '" CRASH_KEY "'");
  request_id = query_text (fixture->path, "SELECT request_id FROM drafts WHERE idempotency_key = '" CRASH_KEY "'");
  g_assert_cmpstr (state, ==, "sent");
  g_assert_cmpstr (request_id, ==, "REQ-2026-000042");

  loaded = reload_draft (fixture->path);
  g_assert_null (loaded);

  /* Nothing queued under the key: an error, not a silent success. */
  store = open_store_ok (fixture->path);
  g_clear_object (&result);
  cabut_store_mark_sent_async (store, "no-such-key", request, NULL, result_cb, &result);
  g_assert_false (cabut_store_mark_sent_finish (store, wait_for (&result), &error));
  g_assert_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_FAILED);
}

/* The history is upserted per service and account, newest first. */
static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(GListStore) requests = g_list_store_new (CABUT_TYPE_REQUEST);
  g_autoptr(CabutRequest) older = make_request ("REQ-1", "revoked", "2026-04-01T08:00:00Z");
  g_autoptr(CabutRequest) newer = make_request ("REQ-2", "submitted", "2026-05-04T09:30:00Z");
  g_autoptr(CabutRequest) newer_again = make_request ("REQ-2", "in_review", "2026-05-04T09:30:00Z");
  g_autoptr(GListModel) listed = NULL;
  g_autoptr(CabutRequest) first = NULL;
  g_autoptr(CabutRequest) second = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_list_store_append (requests, older);
  g_list_store_append (requests, newer);
  cabut_store_save_requests_async (store, "https://ams.example.test", "budi.santoso",
                                   G_LIST_MODEL (requests), NULL, result_cb, &result);
  g_assert_true (cabut_store_save_requests_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);

  g_list_store_remove_all (requests);
  g_list_store_append (requests, newer_again);
  g_clear_object (&result);
  cabut_store_save_requests_async (store, "https://ams.example.test", "budi.santoso",
                                   G_LIST_MODEL (requests), NULL, result_cb, &result);
  g_assert_true (cabut_store_save_requests_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  store = open_store_ok (fixture->path);
  listed = list_requests (store, "budi.santoso");
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, 2);
  first = g_list_model_get_item (listed, 0);
  second = g_list_model_get_item (listed, 1);
  assert_same_request (newer_again, first);
  g_assert_cmpint (cabut_request_get_state (first), ==, CABUT_REQUEST_STATE_IN_REVIEW);
  assert_same_request (older, second);
  g_assert_cmpint (cabut_request_get_state (second), ==, CABUT_REQUEST_STATE_REVOKED);
  g_clear_object (&listed);

  listed = list_requests (store, "siti.aminah");
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, 0);
}

static void
save_requests (CabutStore *store,
               const char *server_url,
               const char *username,
               ...)
{
  g_autoptr(GListStore) requests = g_list_store_new (CABUT_TYPE_REQUEST);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CabutRequest *request;
  va_list args;

  va_start (args, username);
  while ((request = va_arg (args, CabutRequest *)) != NULL)
    g_list_store_append (requests, request);
  va_end (args);

  cabut_store_save_requests_async (store, server_url, username, G_LIST_MODEL (requests), NULL, result_cb, &result);
  g_assert_true (cabut_store_save_requests_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static GPtrArray *
load_history (CabutStore  *store,
              GDateTime  **updated_at,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_store_load_history_async (store, "https://ams.example.test", NULL, result_cb, &result);
  return cabut_store_load_history_finish (store, wait_for (&result), updated_at, error);
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *n_changes)
{
  (*n_changes)++;
}

static char *
ids_of (GListModel *model)
{
  GString *ids = g_string_new ("");

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (model, i);

      g_string_append_printf (ids, "%s%s", i ? " " : "", cabut_request_get_id (request));
    }

  return g_string_free (ids, FALSE);
}

/* Every account's requests at the service, newest first, searched and
 * filtered; the last time they were brought up to date comes back too. */
static void
test_history_every_account (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(CabutRequest) b1 = make_request_for ("CBT-2026-000001", "revoked", "2026-04-01T08:00:00Z",
                                                 "budi.santoso", "Budi Santoso", "0A1B2C", "2026-04-02T08:00:00Z");
  g_autoptr(CabutRequest) b2 = make_request_for ("CBT-2026-000007", "rejected", "2026-06-01T08:00:00Z",
                                                 "budi.santoso", "Budi Santoso", "0A1B2C", "2026-06-02T08:00:00Z");
  g_autoptr(CabutRequest) s1 = make_request_for ("CBT-2026-000004", "submitted", "2026-05-04T09:30:00Z",
                                                 "siti.rahmawati", "Siti Rahmawati", "7F00AA", "2026-05-05T09:30:00Z");
  g_autoptr(CabutRequest) s2 = make_request_for ("CBT-2026-000009", "in_review", "2026-07-04T09:30:00Z",
                                                 "siti.rahmawati", "Siti Rahmawati", "7F00AB", "2099-01-01T00:00:00Z");
  g_autoptr(CabutRequest) other = make_request_for ("XYZ-1", "submitted", "2026-08-01T08:00:00Z",
                                                    "budi.santoso", "Budi Santoso", "0A1B2C", "2099-01-01T00:00:00Z");
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) updated_at = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(CabutHistory) history = cabut_history_new ();
  g_autoptr(GError) error = NULL;
  guint n_changes = 0;
  char *ids;

  requests = load_history (store, &updated_at, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requests->len, ==, 0);
  g_assert_null (updated_at);
  g_clear_pointer (&requests, g_ptr_array_unref);

  save_requests (store, "https://ams.example.test", "budi.santoso", b1, b2, NULL);
  save_requests (store, "https://ams.example.test", "siti.rahmawati", s1, s2, NULL);
  save_requests (store, "https://other.example.test", "budi.santoso", other, NULL);
  g_clear_object (&store);

  store = open_store_ok (fixture->path);
  requests = load_history (store, &updated_at, &error);
  g_assert_no_error (error);
  g_assert_nonnull (updated_at);
  g_assert_cmpint (g_date_time_difference (updated_at, before), >=, 0);
  g_assert_cmpint (g_date_time_difference (updated_at, before), <, 60 * G_USEC_PER_SEC);

  g_signal_connect (history, "items-changed", G_CALLBACK (count_changes), &n_changes);
  cabut_history_set_requests (history, requests, updated_at);
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpuint (cabut_history_get_n_requests (history), ==, 4);
  g_assert_true (cabut_history_get_updated_at (history) == updated_at);
  ids = ids_of (G_LIST_MODEL (history));
  g_assert_cmpstr (ids, ==, "CBT-2026-000009 CBT-2026-000007 CBT-2026-000004 CBT-2026-000001");
  g_free (ids);

  /* Counts per state; s1 is past its deadline. */
  g_assert_cmpuint (cabut_history_count (history, CABUT_HISTORY_FILTER_ALL), ==, 4);
  g_assert_cmpuint (cabut_history_count (history, CABUT_HISTORY_FILTER_OPEN), ==, 2);
  g_assert_cmpuint (cabut_history_count (history, CABUT_HISTORY_FILTER_OVERDUE), ==, 1);
  g_assert_cmpuint (cabut_history_count (history, CABUT_HISTORY_FILTER_REVOKED), ==, 1);
  g_assert_cmpuint (cabut_history_count (history, CABUT_HISTORY_FILTER_REJECTED), ==, 1);
  g_assert_cmpuint (cabut_history_count (history, CABUT_HISTORY_FILTER_CANCELLED), ==, 0);
  g_assert_true (cabut_request_get_overdue (g_ptr_array_index (requests, 2)));
  g_assert_false (cabut_request_get_overdue (g_ptr_array_index (requests, 0)));

  /* By name, any case; typing on narrows; deleting widens again. */
  cabut_history_set_query (history, "SITI");
  ids = ids_of (G_LIST_MODEL (history));
  g_assert_cmpstr (ids, ==, "CBT-2026-000009 CBT-2026-000004");
  g_free (ids);
  cabut_history_set_query (history, "SITI 7f00ab");
  ids = ids_of (G_LIST_MODEL (history));
  g_assert_cmpstr (ids, ==, "CBT-2026-000009");
  g_free (ids);
  cabut_history_set_query (history, "siti");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);

  /* A serial number as OpenSSL prints it; a request number; a state. */
  cabut_history_set_query (history, "0a:1b:2c");
  ids = ids_of (G_LIST_MODEL (history));
  g_assert_cmpstr (ids, ==, "CBT-2026-000007 CBT-2026-000001");
  g_free (ids);
  cabut_history_set_query (history, "000004");
  ids = ids_of (G_LIST_MODEL (history));
  g_assert_cmpstr (ids, ==, "CBT-2026-000004");
  g_free (ids);
  cabut_history_set_query (history, "rejected");
  ids = ids_of (G_LIST_MODEL (history));
  g_assert_cmpstr (ids, ==, "CBT-2026-000007");
  g_free (ids);
  cabut_history_set_query (history, "nobody");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  /* Search and state together. */
  cabut_history_set_query (history, "budi");
  cabut_history_set_filter (history, CABUT_HISTORY_FILTER_REVOKED);
  ids = ids_of (G_LIST_MODEL (history));
  g_assert_cmpstr (ids, ==, "CBT-2026-000001");
  g_free (ids);
  cabut_history_set_query (history, NULL);
  cabut_history_set_filter (history, CABUT_HISTORY_FILTER_OPEN);
  ids = ids_of (G_LIST_MODEL (history));
  g_assert_cmpstr (ids, ==, "CBT-2026-000009 CBT-2026-000004");
  g_free (ids);
  cabut_history_set_filter (history, CABUT_HISTORY_FILTER_OVERDUE);
  ids = ids_of (G_LIST_MODEL (history));
  g_assert_cmpstr (ids, ==, "CBT-2026-000004");
  g_free (ids);
  g_assert_true (cabut_history_find (history, "CBT-2026-000007") == g_ptr_array_index (requests, 1));
  g_assert_null (cabut_history_find (history, "XYZ-1"));
  g_clear_object (&store);

  /* A kept copy that cannot be read is an error, never a shorter list. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE requests SET json = '{\"id\": 1' WHERE request_id = 'CBT-2026-000004'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  store = open_store_ok (fixture->path);
  g_clear_pointer (&requests, g_ptr_array_unref);
  requests = load_history (store, NULL, &error);
  g_assert_null (requests);
  g_assert_error (error, CABUT_STORE_ERROR, CABUT_STORE_ERROR_CORRUPT);
}

static void
count_decided (CabutStore   *store,
               CabutRequest *request,
               const char   *server_url,
               const char   *username,
               GPtrArray    *decided)
{
  g_assert_cmpstr (server_url, ==, "https://ams.example.test");
  g_assert_cmpstr (username, ==, "budi.santoso");
  g_ptr_array_add (decided, g_strdup_printf ("%s %s", cabut_request_get_id (request),
                                             cabut_request_state_to_string (cabut_request_get_state (request))));
}

/* A request kept undecided and then decided is news once; one first seen
 * decided, or seen decided again, is not. It holds across a restart and
 * a store from before the state was kept (schema 1). */
static void
test_request_decided (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(GPtrArray) decided = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) overdue = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CabutRequest) open1 = make_request ("REQ-1", "submitted", "2026-04-01T08:00:00Z");
  g_autoptr(CabutRequest) review1 = make_request ("REQ-1", "in_review", "2026-04-01T08:00:00Z");
  g_autoptr(CabutRequest) revoked1 = make_request ("REQ-1", "revoked", "2026-04-01T08:00:00Z");
  g_autoptr(CabutRequest) old2 = make_request ("REQ-2", "rejected", "2026-03-01T08:00:00Z");
  g_autoptr(CabutRequest) open3 = make_request ("REQ-3", "submitted", "2026-05-01T08:00:00Z");
  g_autoptr(CabutRequest) cancelled3 = make_request ("REQ-3", "cancelled", "2026-05-01T08:00:00Z");
  g_autofree char *state = NULL;

  g_signal_connect (store, "request-decided", G_CALLBACK (count_decided), decided);
  g_signal_connect (store, "request-overdue", G_CALLBACK (count_decided), overdue);
  save_requests (store, "https://ams.example.test", "budi.santoso", open1, old2, open3, NULL);
  save_requests (store, "https://ams.example.test", "budi.santoso", review1, NULL);
  g_assert_cmpuint (decided->len, ==, 0);
  /* Both undecided ones are past their deadline (5 May 2026): told once. */
  g_assert_cmpuint (overdue->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (overdue, 0), ==, "REQ-1 submitted");
  g_assert_cmpstr (g_ptr_array_index (overdue, 1), ==, "REQ-3 submitted");

  save_requests (store, "https://ams.example.test", "budi.santoso", revoked1, old2, NULL);
  g_assert_cmpuint (decided->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (decided, 0), ==, "REQ-1 revoked");
  save_requests (store, "https://ams.example.test", "budi.santoso", revoked1, NULL);
  g_assert_cmpuint (decided->len, ==, 1);
  g_clear_object (&store);

  /* After a restart, the kept state still counts. */
  store = open_store_ok (fixture->path);
  g_signal_connect (store, "request-decided", G_CALLBACK (count_decided), decided);
  g_signal_connect (store, "request-overdue", G_CALLBACK (count_decided), overdue);
  save_requests (store, "https://ams.example.test", "budi.santoso", open3, NULL);
  g_assert_cmpuint (overdue->len, ==, 2);
  save_requests (store, "https://ams.example.test", "budi.santoso", revoked1, cancelled3, NULL);
  g_assert_cmpuint (decided->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (decided, 1), ==, "REQ-3 cancelled");
  g_clear_object (&store);

  /* A schema-1 copy: the state comes from the kept JSON on upgrade. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "ALTER TABLE requests DROP COLUMN state; ALTER TABLE requests DROP COLUMN overdue_told;"
                                   "DROP TABLE complaints; DROP TABLE complaint_entries_told;"
                                   "PRAGMA user_version = 1;"
                                   "UPDATE requests SET json = replace (json, '\"cancelled\"', '\"in_review\"')"
                                   " WHERE request_id = 'REQ-3'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  store = open_store_ok (fixture->path);
  flush_ok (store);
  state = query_text (fixture->path, "SELECT state FROM requests WHERE request_id = 'REQ-3'");
  g_assert_cmpstr (state, ==, "in_review");
  g_signal_connect (store, "request-decided", G_CALLBACK (count_decided), decided);
  save_requests (store, "https://ams.example.test", "budi.santoso", cancelled3, NULL);
  g_assert_cmpuint (decided->len, ==, 3);
}

static CabutServiceInfo *
load_service_info (CabutStore  *store,
                   const char  *server_url,
                   GDateTime  **fetched_at,
                   GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_store_load_service_info_async (store, server_url, NULL, result_cb, &result);
  return cabut_store_load_service_info_finish (store, wait_for (&result), fetched_at, error);
}

/* The last copy of the service's information comes back with its time;
 * none saved is NULL without an error. */
/* A complaint of budi's as the service answers one, with @entries
 * ("ID KIND STATE HOUR", hours of 2 December 2026, UTC), the last one's
 * state its own. */
static CabutComplaint *
complaint_new_due (const char         *id,
                   const char * const *entries,
                   const char         *due,
                   gboolean            overdue)
{
  g_autoptr(GString) thread = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  CabutComplaint *complaint;
  const char *state = "open";

  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (entries[i], " ", 4);
      gboolean officer = !g_str_equal (parts[1], "filed") && !g_str_equal (parts[1], "replied");

      state = g_intern_string (parts[2]);
      g_string_append_printf (thread,
                              "%s{\"id\": %s, \"at\": \"2026-12-02T%s:00:00Z\", \"kind\": \"%s\","
                              " \"status\": \"%s\", \"text\": \"%s %s\", \"author\": {\"username\": \"%s\","
                              " \"full_name\": \"%s\", \"role\": \"%s\"}}",
                              i > 0 ? ", " : "", parts[0], parts[3], parts[1], parts[2], parts[1], parts[0],
                              officer ? "dewi" : "budi.santoso", officer ? "Dewi" : "Budi",
                              officer ? "operator" : "applicant");
    }
  json = g_strdup_printf ("{\"id\": \"%s\", \"status\": \"%s\", \"text\": \"Tolong\", \"request\": null,"
                          " \"applicant\": {\"username\": \"budi.santoso\", \"full_name\": \"Budi\"},"
                          " \"created_at\": \"2026-12-02T01:00:00Z\", \"updated_at\": \"2026-12-02T01:00:00Z\","
                          " \"due\": \"%s\", \"overdue\": %s, \"resolved_at\": null, \"entries\": [%s]}",
                          id, state, due, overdue ? "true" : "false", thread->str);

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  complaint = cabut_complaint_new_from_json (node, &error);
  g_assert_no_error (error);

  return complaint;
}

static CabutComplaint *
complaint_new (const char         *id,
               const char * const *entries)
{
  return complaint_new_due (id, entries, "2026-12-05T01:00:00Z", FALSE);
}

/* Keeps @complaint; the ids of the entries to tell, e.g. "3 4". */
static char *
save_complaint_overdue (CabutStore     *store,
                        CabutComplaint *complaint,
                        GDateTime      *news_since,
                        gboolean       *overdue)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) news = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);

  cabut_store_save_complaint_async (store, "https://ams.example.test", "budi.santoso", complaint, news_since, NULL,
                                    result_cb, &result);
  news = cabut_store_save_complaint_finish (store, wait_for (&result), overdue, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < news->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "",
                            cabut_complaint_entry_get_id (g_ptr_array_index (news, i)));

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char *
save_complaint (CabutStore     *store,
                CabutComplaint *complaint,
                GDateTime      *news_since)
{
  gboolean overdue = TRUE;
  char *news = save_complaint_overdue (store, complaint, news_since, &overdue);

  g_assert_false (overdue);
  return news;
}

static char *
list_open_complaints (CabutStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  cabut_store_list_open_complaints_async (store, "https://ams.example.test", "budi.santoso", NULL, result_cb, &result);
  ids = cabut_store_list_open_complaints_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);

  return g_strjoinv (" ", ids);
}

static char *
list_waiting (CabutStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) usernames = NULL;

  cabut_store_list_waiting_async (store, "https://ams.example.test", NULL, result_cb, &result);
  usernames = cabut_store_list_waiting_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);

  return g_strjoinv (" ", usernames);
}

/* An officer's step on a kept complaint is told once; one seen for the
 * first time has news only from the given time on; the applicant's own
 * steps are never news; an unsettled complaint makes its account one to
 * catch up on at start-up, a settled one no longer. */
static void
test_complaint_news (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(GDateTime) since = g_date_time_new_utc (2026, 12, 2, 5, 0, 0);
  const char *k1_answered[] = { "1 filed open 01", "2 answered answered 02", NULL };
  const char *k1_escalated[] = { "1 filed open 01", "2 answered answered 02", "3 replied open 03",
                                 "4 escalated escalated 04", NULL };
  const char *k1_resolved[] = { "1 filed open 01", "2 answered answered 02", "3 replied open 03",
                                "4 escalated escalated 04", "5 resolved resolved 06", NULL };
  const char *k2[] = { "10 filed open 01", "11 answered answered 04", "12 replied open 05",
                       "13 answered answered 06", NULL };
  g_autoptr(CabutComplaint) c1 = complaint_new ("K-1", k1_answered);
  g_autoptr(CabutComplaint) c1_escalated = complaint_new ("K-1", k1_escalated);
  g_autoptr(CabutComplaint) c1_resolved = complaint_new ("K-1", k1_resolved);
  g_autoptr(CabutComplaint) c2 = complaint_new ("K-2", k2);
  g_autofree char *waiting = NULL;
  g_autofree char *open = NULL;
  char *news;

  waiting = list_waiting (store);
  g_assert_cmpstr (waiting, ==, "");

  /* First seen without a time: only noted. */
  news = save_complaint (store, c1, NULL);
  g_assert_cmpstr (news, ==, "");
  g_free (news);
  open = list_open_complaints (store);
  g_assert_cmpstr (open, ==, "K-1");
  g_free (waiting);
  waiting = list_waiting (store);
  g_assert_cmpstr (waiting, ==, "budi.santoso");

  /* Kept: the escalation is news, his reply is not; once. */
  news = save_complaint (store, c1_escalated, NULL);
  g_assert_cmpstr (news, ==, "4");
  g_free (news);
  news = save_complaint (store, c1_escalated, since);
  g_assert_cmpstr (news, ==, "");
  g_free (news);

  /* First seen with a time: what came after it. */
  news = save_complaint (store, c2, since);
  g_assert_cmpstr (news, ==, "13");
  g_free (news);

  /* Settled: told, and no longer caught up on. */
  news = save_complaint (store, c1_resolved, NULL);
  g_assert_cmpstr (news, ==, "5");
  g_free (news);
  g_free (open);
  open = list_open_complaints (store);
  g_assert_cmpstr (open, ==, "K-2");
  g_clear_object (&store);

  /* Kept across a restart. */
  store = open_store_ok (fixture->path);
  news = save_complaint (store, c1_resolved, NULL);
  g_assert_cmpstr (news, ==, "");
  g_free (news);
  g_free (open);
  open = list_open_complaints (store);
  g_assert_cmpstr (open, ==, "K-2");
}

/* Past its deadline: told once for each deadline, across restarts. */
static void
test_complaint_overdue (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  const char *filed[] = { "20 filed open 01", NULL };
  const char *replied[] = { "20 filed open 01", "21 answered answered 02", "22 replied open 03", NULL };
  g_autoptr(CabutComplaint) late = complaint_new_due ("K-3", filed, "2026-12-05T01:00:00Z", TRUE);
  g_autoptr(CabutComplaint) late_again = complaint_new_due ("K-3", replied, "2026-12-09T01:00:00Z", TRUE);
  gboolean overdue = FALSE;
  char *news;

  news = save_complaint_overdue (store, late, NULL, &overdue);
  g_assert_cmpstr (news, ==, "");
  g_assert_true (overdue);
  g_free (news);
  news = save_complaint_overdue (store, late, NULL, &overdue);
  g_assert_false (overdue);
  g_free (news);

  /* Answered, replied to, late again: a new deadline, told again. */
  news = save_complaint_overdue (store, late_again, NULL, &overdue);
  g_assert_cmpstr (news, ==, "21");
  g_assert_true (overdue);
  g_free (news);
  g_clear_object (&store);

  store = open_store_ok (fixture->path);
  news = save_complaint_overdue (store, late_again, NULL, &overdue);
  g_assert_cmpstr (news, ==, "");
  g_assert_false (overdue);
  g_free (news);
}

static void
test_service_info (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char json[] =
    "{\"agency\": \"Dinas Contoh\", \"service_name\": \"Pencabutan Sertifikat\","
    " \"phone\": \"+62 21 000000\", \"email\": \"layanan@contoh.test\","
    " \"website\": \"https://contoh.test\", \"complaints_officer\": \"Petugas\","
    " \"escalation\": \"Kepala Dinas\", \"office_hours\": \"Senin–Jumat 08.00–16.00\","
    " \"address\": \"Jl. Contoh 1\", \"service_days\": 1, \"fee\": 0,"
    " \"max_letter_size\": 5242880}";
  g_autoptr(CabutStore) store = open_store_ok (fixture->path);
  g_autoptr(CabutServiceInfo) info = NULL;
  g_autoptr(CabutServiceInfo) loaded = NULL;
  g_autoptr(GDateTime) fetched_at = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *reloaded = NULL;

  loaded = load_service_info (store, "https://ams.example.test", &fetched_at, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
  g_assert_null (fetched_at);

  info = cabut_service_info_new_from_json_string (json, &error);
  g_assert_no_error (error);
  cabut_store_save_service_info_async (store, "https://ams.example.test", info, NULL, result_cb, &result);
  g_assert_true (cabut_store_save_service_info_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  store = open_store_ok (fixture->path);
  loaded = load_service_info (store, "https://ams.example.test", &fetched_at, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  saved = cabut_service_info_to_json (info);
  reloaded = cabut_service_info_to_json (loaded);
  g_assert_cmpstr (saved, ==, reloaded);
  g_assert_cmpstr (cabut_service_info_get_office_hours (loaded), ==, "Senin–Jumat 08.00–16.00");
  g_assert_cmpuint (cabut_service_info_get_max_letter_size (loaded), ==, 5242880);
  g_assert_nonnull (fetched_at);
  g_assert_cmpint (g_date_time_difference (fetched_at, before), >=, 0);
  g_assert_cmpint (g_date_time_difference (fetched_at, before), <, 60 * G_USEC_PER_SEC);
  g_clear_object (&loaded);

  loaded = load_service_info (store, "https://other.example.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
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
  ADD_TEST ("/cabut/store/outbox/queue", test_outbox_queue);
  ADD_TEST ("/cabut/store/outbox/queue-failed", test_outbox_queue_failed);
  ADD_TEST ("/cabut/store/outbox/mark-sent", test_mark_sent);
  ADD_TEST ("/cabut/store/crash/outbox", test_crash_outbox);
  ADD_TEST ("/cabut/store/history", test_history);
  ADD_TEST ("/cabut/store/history/every-account", test_history_every_account);
  ADD_TEST ("/cabut/store/history/request-decided", test_request_decided);
  ADD_TEST ("/cabut/store/service-info", test_service_info);
  ADD_TEST ("/cabut/store/complaint-news", test_complaint_news);
  ADD_TEST ("/cabut/store/complaint-overdue", test_complaint_overdue);

  return g_test_run ();
}
