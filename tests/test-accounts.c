/* test-accounts.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cabut-accounts.h"
#include "cabut-core.h"
#include "cabut-test-util.h"

static void
test_password_hash (void)
{
  g_autofree char *a = cabut_password_hash ("rahasia negara 123");
  g_autofree char *b = cabut_password_hash ("rahasia negara 123");

  /* Salted: the same password never hashes the same twice. */
  g_assert_cmpstr (a, !=, b);
  g_assert_true (g_str_has_prefix (a, "scrypt$32768$8$1$"));
  g_assert_null (strstr (a, "rahasia"));

  g_assert_true (cabut_password_verify ("rahasia negara 123", a));
  g_assert_true (cabut_password_verify ("rahasia negara 123", b));
  g_assert_false (cabut_password_verify ("rahasia negara 124", a));
  g_assert_false (cabut_password_verify ("", a));
  g_assert_false (cabut_password_verify ("rahasia negara 123", "scrypt$garbage"));
  g_assert_false (cabut_password_verify ("rahasia negara 123", "md5$abc"));
}

/* RFC 6238 appendix B, SHA-1, truncated to the 6 digits apps show. */
static void
test_totp_vectors (void)
{
  /* base32 of "12345678901234567890" */
  const char *secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  const struct { gint64 time; const char *code; } vectors[] = {
    { 59, "287082" },
    { 1111111109, "081804" },
    { 1111111111, "050471" },
    { 1234567890, "005924" },
    { 2000000000, "279037" },
    { G_GINT64_CONSTANT (20000000000), "353130" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *code = cabut_totp_code (secret, vectors[i].time);

      g_assert_cmpstr (code, ==, vectors[i].code);
      g_assert_true (cabut_totp_verify (secret, vectors[i].code, vectors[i].time));
      /* One step of clock drift either way is tolerated, two are not. */
      g_assert_true (cabut_totp_verify (secret, vectors[i].code, vectors[i].time + 30));
      g_assert_false (cabut_totp_verify (secret, vectors[i].code, vectors[i].time + 90));
    }

  g_assert_false (cabut_totp_verify (secret, "12345", 59));
  g_assert_false (cabut_totp_verify (secret, NULL, 59));

  {
    g_autofree char *fresh = cabut_totp_new_secret ();
    g_autofree char *code = cabut_totp_code (fresh, 1000);

    g_assert_cmpuint (strlen (fresh), ==, 32);
    g_assert_true (cabut_totp_verify (fresh, code, 1000));
  }
}

static void
test_lockout_and_sessions (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-accounts-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cabut.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutDb) db = cabut_db_open (path, &error);
  g_autoptr(CabutAccount) account = NULL;
  g_autoptr(CabutAccount) found = NULL;
  g_autoptr(CabutAccount) expired = NULL;
  g_autofree char *token = NULL;
  g_autofree char *integrity = NULL;
  CabutAccount fields = { .username = (char *) "rina.w", .full_name = (char *) "Rina Wulandari",
                          .role = (char *) "applicant" };
  gint64 now = 1800000000;
  gint64 expires = 0;
  gint64 id = 0;
  CabutSignInVerdict verdict;
  gint64 retry = 0;
  gint64 failures = 0;

  g_assert_no_error (error);
  g_assert_cmpint (cabut_db_get_version (db), ==, cabut_db_latest_version ());
  g_assert_cmpint (cabut_db_latest_version (), >=, 13);

  g_assert_true (cabut_accounts_create (db, &fields, "sandi-yang-panjang", &id, &error));
  g_assert_no_error (error);
  g_assert_false (cabut_accounts_create (db, &fields, "sandi-yang-panjang", NULL, &error));
  g_assert_error (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_EXISTS);
  g_clear_error (&error);

  /* Usernames are matched without regard to case. */
  account = cabut_accounts_find (db, "RINA.W", &error);
  g_assert_no_error (error);
  g_assert_cmpint (account->id, ==, id);

  /* Failures are counted per user name and address, before the check:
   * the fifth locks that user name for that address only. */
  for (int i = 1; i <= CABUT_ACCOUNTS_MAX_FAILURES; i++)
    {
      g_assert_true (cabut_sign_in_reserve (db, "rina.w", "192.0.2.1", now, &verdict, &retry, &failures, &error));
      g_assert_no_error (error);
      g_assert_cmpint (verdict, ==, CABUT_SIGN_IN_ALLOWED);
      g_assert_cmpint (failures, ==, i);
    }
  g_assert_true (cabut_sign_in_reserve (db, "RINA.W", "192.0.2.1", now + 60, &verdict, &retry, &failures, &error));
  g_assert_cmpint (verdict, ==, CABUT_SIGN_IN_LOCKED);
  g_assert_cmpint (retry, ==, CABUT_ACCOUNTS_LOCK_SECONDS - 60);
  /* Elsewhere the owner still gets in… */
  g_assert_true (cabut_sign_in_reserve (db, "rina.w", "198.51.100.7", now + 60, &verdict, &retry, &failures, &error));
  g_assert_cmpint (verdict, ==, CABUT_SIGN_IN_ALLOWED);
  g_assert_cmpint (failures, ==, 1);
  /* …the lock ends, and the count starts again; a success clears it. */
  g_assert_true (cabut_sign_in_reserve (db, "rina.w", "192.0.2.1", now + CABUT_ACCOUNTS_LOCK_SECONDS + 1, &verdict,
                                        &retry, &failures, &error));
  g_assert_cmpint (verdict, ==, CABUT_SIGN_IN_ALLOWED);
  g_assert_cmpint (failures, ==, 1);
  g_assert_true (cabut_sign_in_succeeded (db, "rina.w", "192.0.2.1", &error));
  g_assert_true (cabut_sign_in_reserve (db, "rina.w", "192.0.2.1", now + CABUT_ACCOUNTS_LOCK_SECONDS + 2, &verdict,
                                        &retry, &failures, &error));
  g_assert_cmpint (failures, ==, 1);

  /* One address has a budget across user names, existing or not. */
  for (int i = 0; i < CABUT_SIGN_IN_ADDRESS_BUDGET; i++)
    {
      g_autofree char *name = g_strdup_printf ("tebakan%d", i);

      g_assert_true (cabut_sign_in_reserve (db, name, "203.0.113.9", now, &verdict, &retry, &failures, &error));
      g_assert_cmpint (verdict, ==, CABUT_SIGN_IN_ALLOWED);
    }
  g_assert_true (cabut_sign_in_reserve (db, "rina.w", "203.0.113.9", now + 10, &verdict, &retry, &failures, &error));
  g_assert_cmpint (verdict, ==, CABUT_SIGN_IN_ADDRESS_LIMITED);
  g_assert_cmpint (retry, ==, CABUT_SIGN_IN_WINDOW_SECONDS - 10);

  /* A TOTP step is good once, and never an older one after it. */
  {
    gboolean claimed = FALSE;

    g_assert_true (cabut_accounts_claim_totp_step (db, id, 1000, &claimed, &error));
    g_assert_true (claimed);
    g_assert_true (cabut_accounts_claim_totp_step (db, id, 1000, &claimed, &error));
    g_assert_false (claimed);
    g_assert_true (cabut_accounts_claim_totp_step (db, id, 999, &claimed, &error));
    g_assert_false (claimed);
    g_assert_true (cabut_accounts_claim_totp_step (db, id, 1001, &claimed, &error));
    g_assert_true (claimed);
  }

  token = cabut_session_create (db, id, now, &expires, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expires, ==, now + CABUT_SESSION_SECONDS);
  found = cabut_session_lookup (db, token, now + 10, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->username, ==, "rina.w");
  expired = cabut_session_lookup (db, token, now + CABUT_SESSION_SECONDS + 1, &error);
  g_assert_no_error (error);
  g_assert_null (expired);
  g_assert_null (cabut_session_lookup (db, "not-a-token", now, &error));
  g_assert_no_error (error);
  g_assert_true (cabut_session_revoke (db, token, &error));
  g_assert_null (cabut_session_lookup (db, token, now + 10, &error));
  g_assert_no_error (error);

  integrity = cabut_db_integrity_check (db);
  g_assert_cmpstr (integrity, ==, "ok");

  /* Reopening migrates nothing twice. */
  g_clear_object (&db);
  db = cabut_db_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_db_get_version (db), ==, cabut_db_latest_version ());
  g_clear_object (&db);

  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static char *
raw_secret (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT totp_secret FROM accounts WHERE username = 'rina.w'", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
set_raw_secret (const char *db_path,
                const char *value)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE accounts SET totp_secret = '%s' WHERE username = 'rina.w'", value);

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The data folder and the database are the service's alone, and a copy of
 * the database reads no TOTP secret: those are sealed under a key kept
 * beside it, not in it. */
static void
test_private_and_sealed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-accounts-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cabut.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *key = g_build_filename (dir, "cabut-secret.key", NULL);
  g_autofree char *secret = cabut_totp_new_secret ();
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  CabutAccount fields = { .username = (char *) "rina.w", .full_name = (char *) "Rina Wulandari",
                          .role = (char *) "applicant", .totp_secret = secret };

  /* Left open by an earlier version, or by hand. */
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents_full (path, "", 0, G_FILE_SET_CONTENTS_NONE, 0644, &error));

  {
    g_autoptr(CabutDb) db = cabut_db_open (path, &error);
    g_autoptr(CabutAccount) account = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (mode_of (dir), ==, 0700);
    g_assert_cmpuint (mode_of (path), ==, 0600);
    g_assert_cmpuint (mode_of (key), ==, 0600);
    g_assert_true (cabut_accounts_create (db, &fields, "sandi-yang-panjang", NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (mode_of (wal), ==, 0600);

    account = cabut_accounts_find (db, "rina.w", &error);
    g_assert_cmpstr (account->totp_secret, ==, secret);
  }

  stored = raw_secret (path);
  g_assert_true (g_str_has_prefix (stored, "gcm1:"));
  g_assert_null (strstr (stored, secret));

  /* A secret schema 1 kept in clear is sealed when the database is opened. */
  set_raw_secret (path, secret);
  {
    g_autoptr(CabutDb) db = cabut_db_open (path, &error);
    g_autoptr(CabutAccount) account = NULL;
    g_autofree char *resealed = raw_secret (path);

    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (resealed, "gcm1:"));
    account = cabut_accounts_find (db, "rina.w", &error);
    g_assert_cmpstr (account->totp_secret, ==, secret);
  }

  /* Another row's sealed value, or an altered one, opens to nothing: that
   * account's codes never verify. */
  {
    g_autofree char *moved = NULL;
    g_autofree char *code = cabut_totp_code (secret, 1800000000);
    g_autoptr(CabutDb) db = cabut_db_open (path, &error);
    g_autoptr(CabutAccount) account = NULL;

    moved = cabut_db_seal (db, "someone.else", secret);
    set_raw_secret (path, moved);
    g_test_expect_message ("cabut-accounts", G_LOG_LEVEL_WARNING, "*cannot be opened with its key*");
    account = cabut_accounts_find (db, "rina.w", &error);
    g_test_assert_expected_messages ();
    g_assert_cmpstr (account->totp_secret, !=, secret);
    g_assert_false (cabut_totp_verify (account->totp_secret, code, 1800000000));
  }

  /* Without its key, the database is refused rather than read half. */
  g_assert_cmpint (g_unlink (key), ==, 0);
  g_assert_true (g_file_set_contents_full (key, "kurang", 6, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  {
    g_autoptr(CabutDb) db = cabut_db_open (path, &error);

    g_assert_null (db);
    g_assert_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "is damaged"));
  }

  cabut_test_rm_rf (dir);
}

/* A second connection in the same process (the service has three: the
 * main thread's, the writer's, the CRL thread's) must leave the first its
 * locks: another process opening and closing the database must not take
 * the log for unused and delete it, with a committed row in it. */
static void
test_second_connection_keeps_locks (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-db-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cabut.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutDb) first = cabut_db_open (path, &error);
  g_autoptr(CabutDb) second = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *script = g_strdup_printf ("import sqlite3\n"
                                             "c = sqlite3.connect('%s')\n"
                                             "c.execute('SELECT count(*) FROM sqlite_master').fetchone()\n"
                                             "c.close()\n", path);
  const char *argv[] = { python, "-c", script, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_no_error (error);
  /* A row committed into the log only. */
  g_assert_true (cabut_db_exec (first, "PRAGMA wal_autocheckpoint = 0; CREATE TABLE kept (x); "
                                       "INSERT INTO kept VALUES (42)", &error));
  g_assert_no_error (error);

  second = cabut_db_open (path, &error);
  g_assert_no_error (error);

  g_assert_nonnull (python);
  g_assert_true (cabut_test_run (argv, NULL, &out, &err, &status));
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* …and the row is still there for everyone. */
  {
    g_autofree char *check = g_strdup_printf ("import sqlite3\n"
                                              "print(sqlite3.connect('%s').execute('SELECT x FROM kept')"
                                              ".fetchone()[0])\n", path);
    const char *argv2[] = { python, "-c", check, NULL };
    g_autofree char *out2 = NULL;
    g_autofree char *err2 = NULL;

    g_assert_true (cabut_test_run (argv2, NULL, &out2, &err2, &status));
    g_test_message ("python → %d %s%s", status, out2, err2);
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (out2, ==, "42\n");
  }

  g_clear_object (&second);
  g_clear_object (&first);
  cabut_test_rm_rf (dir);
}

/* One undecided request per certificate is the database's rule, whatever
 * the code in front of it checked: a second open one is refused, one after
 * a decision is not. */
static void
test_one_open_request_constraint (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-db-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cabut.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutDb) db = cabut_db_open (path, &error);
#define REQUEST "INSERT INTO requests (number, account_id, certificate_id, reason, letter_sha256, " \
                "letter_type, letter_size, state, created_at, due_at) VALUES ('%s', 1, 1, 1, 'x', " \
                "'application/pdf', 1, '%s', 0, 0)"

  g_assert_no_error (error);
  g_assert_true (cabut_db_exec (db, "INSERT INTO accounts (id, username, full_name, role, password_hash, "
                                    "created_at) VALUES (1, 'a', 'A', 'applicant', 'x', 0);"
                                    "INSERT INTO certificates (id, account_id, serial, issuer, subject, "
                                    "subject_der, not_before, not_after) VALUES (1, 1, '01', 'CN=CA', 'CN=A', "
                                    "X'3000', 0, 1)", &error));
  g_assert_no_error (error);

  {
    g_autofree char *first = g_strdup_printf (REQUEST, "R-1", "submitted");
    g_autofree char *second = g_strdup_printf (REQUEST, "R-2", "in_review");
    g_autofree char *decided = g_strdup_printf (REQUEST, "R-3", "rejected");

    g_assert_true (cabut_db_exec (db, first, &error));
    g_assert_no_error (error);
    g_assert_false (cabut_db_exec (db, second, &error));
    g_assert_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_CONSTRAINT);
    g_clear_error (&error);
    g_assert_true (cabut_db_exec (db, decided, &error));
    g_assert_no_error (error);
  }

  g_clear_object (&db);
  cabut_test_rm_rf (dir);
#undef REQUEST
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cabut/accounts/password-hash", test_password_hash);
  g_test_add_func ("/cabut/accounts/totp-rfc6238", test_totp_vectors);
  g_test_add_func ("/cabut/accounts/lockout-and-sessions", test_lockout_and_sessions);
  g_test_add_func ("/cabut/accounts/private-and-sealed", test_private_and_sealed);
  g_test_add_func ("/cabut/db/second-connection-keeps-locks", test_second_connection_keeps_locks);
  g_test_add_func ("/cabut/db/one-open-request", test_one_open_request_constraint);

  return g_test_run ();
}
