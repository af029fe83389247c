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
  g_assert_cmpint (cabut_db_get_version (db), ==, 2);

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
  found = cabut_session_lookup (db, token, now + 10);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->username, ==, "rina.w");
  expired = cabut_session_lookup (db, token, now + CABUT_SESSION_SECONDS + 1);
  g_assert_null (expired);
  g_assert_null (cabut_session_lookup (db, "not-a-token", now));
  g_assert_true (cabut_session_revoke (db, token, &error));
  g_assert_null (cabut_session_lookup (db, token, now + 10));

  integrity = cabut_db_integrity_check (db);
  g_assert_cmpstr (integrity, ==, "ok");

  /* Reopening migrates nothing twice. */
  g_clear_object (&db);
  db = cabut_db_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_db_get_version (db), ==, 2);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cabut/accounts/password-hash", test_password_hash);
  g_test_add_func ("/cabut/accounts/totp-rfc6238", test_totp_vectors);
  g_test_add_func ("/cabut/accounts/lockout-and-sessions", test_lockout_and_sessions);

  return g_test_run ();
}
