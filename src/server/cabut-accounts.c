/* cabut-accounts.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-accounts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "cabut-accounts.h"

/* scrypt cost: 2^15 x 8 x 128 B = 32 MiB and some tens of ms per guess. */
#define SCRYPT_N    32768
#define SCRYPT_R    8
#define SCRYPT_P    1
#define SALT_LEN    16
#define HASH_LEN    32

G_DEFINE_QUARK (cabut-accounts-error-quark, cabut_accounts_error)

void
cabut_account_free (CabutAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->username);
  g_free (account->full_name);
  g_free (account->email);
  g_free (account->nik);
  g_free (account->nip);
  g_free (account->position);
  g_free (account->unit);
  g_free (account->organization);
  g_free (account->role);
  g_free (account->password_hash);
  if (account->totp_secret != NULL)
    OPENSSL_cleanse (account->totp_secret, strlen (account->totp_secret));
  g_free (account->totp_secret);
  g_free (account);
}

gboolean
cabut_account_is_operator (const CabutAccount *account)
{
  return g_strcmp0 (account->role, "operator") == 0 || g_strcmp0 (account->role, "admin") == 0;
}

gboolean
cabut_account_is_admin (const CabutAccount *account)
{
  return g_strcmp0 (account->role, "admin") == 0;
}

static gboolean
scrypt (const char   *password,
        const guint8 *salt,
        gsize         salt_len,
        guint64       n,
        guint32       r,
        guint32       p,
        guint8       *out,
        gsize         out_len)
{
  EVP_KDF *kdf = EVP_KDF_fetch (NULL, "SCRYPT", NULL);
  EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new (kdf) : NULL;
  OSSL_PARAM params[] = {
    OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_PASSWORD, (void *) password, strlen (password)),
    OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT, (void *) salt, salt_len),
    OSSL_PARAM_construct_uint64 (OSSL_KDF_PARAM_SCRYPT_N, &n),
    OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_R, &r),
    OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_P, &p),
    OSSL_PARAM_construct_end (),
  };
  gboolean ok = ctx != NULL && EVP_KDF_derive (ctx, out, out_len, params) == 1;

  EVP_KDF_CTX_free (ctx);
  EVP_KDF_free (kdf);

  return ok;
}

/**
 * cabut_password_hash:
 *
 * Returns: (transfer full): `scrypt$N$r$p$salt$hash` (base64), for storage
 */
char *
cabut_password_hash (const char *password)
{
  guint8 salt[SALT_LEN];
  guint8 hash[HASH_LEN];
  g_autofree char *salt64 = NULL;
  g_autofree char *hash64 = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  if (RAND_bytes (salt, sizeof salt) != 1 ||
      !scrypt (password, salt, sizeof salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, hash, sizeof hash))
    g_error ("Failed to hash a password: OpenSSL's scrypt is not available");

  salt64 = g_base64_encode (salt, sizeof salt);
  hash64 = g_base64_encode (hash, sizeof hash);
  OPENSSL_cleanse (hash, sizeof hash);

  return g_strdup_printf ("scrypt$%u$%u$%u$%s$%s", SCRYPT_N, SCRYPT_R, SCRYPT_P, salt64, hash64);
}

/**
 * cabut_password_verify:
 *
 * Compares in constant time. Slow on purpose: call it from a worker thread.
 */
gboolean
cabut_password_verify (const char *password,
                       const char *encoded)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *expected = NULL;
  guint8 actual[HASH_LEN];
  gsize salt_len = 0;
  gsize expected_len = 0;
  guint64 n;
  guint64 r;
  guint64 p;
  gboolean ok;

  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (encoded != NULL, FALSE);

  parts = g_strsplit (encoded, "$", -1);
  if (g_strv_length (parts) != 6 || !g_str_equal (parts[0], "scrypt"))
    return FALSE;

  n = g_ascii_strtoull (parts[1], NULL, 10);
  r = g_ascii_strtoull (parts[2], NULL, 10);
  p = g_ascii_strtoull (parts[3], NULL, 10);
  salt = g_base64_decode (parts[4], &salt_len);
  expected = g_base64_decode (parts[5], &expected_len);
  if (n < 2 || n > (1 << 20) || r == 0 || r > 32 || p == 0 || p > 16 || expected_len != HASH_LEN)
    return FALSE;

  if (!scrypt (password, salt, salt_len, n, r, p, actual, sizeof actual))
    return FALSE;

  ok = CRYPTO_memcmp (actual, expected, HASH_LEN) == 0;
  OPENSSL_cleanse (actual, sizeof actual);

  return ok;
}

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** cabut_totp_new_secret: Returns: (transfer full): 160 random bits, base32 */
char *
cabut_totp_new_secret (void)
{
  guint8 bytes[20];
  GString *out = g_string_new (NULL);
  guint buffer = 0;
  int bits = 0;

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    g_error ("Failed to get random bytes");

  for (guint i = 0; i < sizeof bytes; i++)
    {
      buffer = (buffer << 8) | bytes[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, base32_alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  OPENSSL_cleanse (bytes, sizeof bytes);

  return g_string_free (out, FALSE);
}

static GBytes *
base32_decode (const char *text)
{
  GByteArray *out = g_byte_array_new ();
  guint buffer = 0;
  int bits = 0;

  for (const char *p = text; *p; p++)
    {
      const char *pos;

      if (*p == '=' || *p == ' ')
        continue;
      pos = strchr (base32_alphabet, g_ascii_toupper (*p));
      if (pos == NULL)
        {
          g_byte_array_unref (out);
          return NULL;
        }
      buffer = (buffer << 5) | (pos - base32_alphabet);
      bits += 5;
      if (bits >= 8)
        {
          guint8 byte = (buffer >> (bits - 8)) & 0xff;
          g_byte_array_append (out, &byte, 1);
          bits -= 8;
        }
    }

  return g_byte_array_free_to_bytes (out);
}

/**
 * cabut_totp_code:
 *
 * RFC 6238 with HMAC-SHA1, 30 s steps, 6 digits — what authenticator apps
 * compute.
 *
 * Returns: (transfer full) (nullable): the code for @unix_time
 */
char *
cabut_totp_code (const char *secret_base32,
                 gint64      unix_time)
{
  g_autoptr(GBytes) key = base32_decode (secret_base32);
  guint64 counter = unix_time / 30;
  guint8 message[8];
  guint8 mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  guint32 code;
  int offset;

  if (key == NULL || g_bytes_get_size (key) == 0)
    return NULL;

  for (int i = 7; i >= 0; i--)
    {
      message[i] = counter & 0xff;
      counter >>= 8;
    }

  if (HMAC (EVP_sha1 (), g_bytes_get_data (key, NULL), g_bytes_get_size (key),
            message, sizeof message, mac, &mac_len) == NULL)
    return NULL;

  offset = mac[mac_len - 1] & 0x0f;
  code = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) |
         (mac[offset + 2] << 8) | mac[offset + 3];

  return g_strdup_printf ("%06u", code % 1000000);
}

/**
 * cabut_totp_verify_step:
 * @step: (out) (optional): the time step (unix time / 30) the code is for
 *
 * Accepts the current step and one either side, for clock drift. The
 * caller refuses a step already used (RFC 6238 §5.2).
 */
gboolean
cabut_totp_verify_step (const char *secret_base32,
                        const char *code,
                        gint64      unix_time,
                        gint64     *step)
{
  gboolean ok = FALSE;

  if (code == NULL || strlen (code) != 6)
    return FALSE;

  /* Every candidate is compared, so the time taken says nothing. */
  for (int drift = -1; drift <= 1; drift++)
    {
      g_autofree char *expected = cabut_totp_code (secret_base32, unix_time + drift * 30);

      if (expected != NULL && CRYPTO_memcmp (expected, code, 6) == 0)
        {
          ok = TRUE;
          if (step != NULL)
            *step = (unix_time + drift * 30) / 30;
        }
    }

  return ok;
}

gboolean
cabut_totp_verify (const char *secret_base32,
                   const char *code,
                   gint64      unix_time)
{
  return cabut_totp_verify_step (secret_base32, code, unix_time, NULL);
}

/**
 * cabut_accounts_claim_totp_step:
 * @claimed: (out): %TRUE when @step is newer than any used before, and is
 *   now the last used; %FALSE when the code was used already
 *
 * One statement, so two requests with the same code cannot both pass.
 */
gboolean
cabut_accounts_claim_totp_step (CabutDb  *db,
                                gint64    account_id,
                                gint64    step,
                                gboolean *claimed,
                                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "UPDATE accounts SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_int64 (stmt, 3, step);
  if (!cabut_db_step_done (db, stmt, error))
    return FALSE;

  *claimed = sqlite3_changes (cabut_db_get_handle (db)) == 1;
  return TRUE;
}

/**
 * cabut_sign_in_reserve:
 * @address: the client's address
 * @verdict: (out): whether the attempt may go on to the password check
 * @retry_after: (out): seconds until a refused attempt may be made again
 * @failures: (out): the failures counted for this user name and address,
 *   this attempt included
 *
 * Counts the attempt as failed *before* the password is checked, inside
 * the caller's transaction (the service's writer thread runs one at a
 * time), so that attempts sent all at once are counted one after the other
 * and none is checked past the limit; a right
 * password then clears the count (cabut_sign_in_succeeded()). Counted per
 * user name — existing or not, so the answers tell nothing — and client
 * address, with a budget per address across user names.
 *
 * Returns: %FALSE with @error when the database failed: then nothing is
 *   checked (fail closed)
 */
gboolean
cabut_sign_in_reserve (CabutDb            *db,
                       const char         *username,
                       const char         *address,
                       gint64              now,
                       CabutSignInVerdict *verdict,
                       gint64             *retry_after,
                       gint64             *failures_out,
                       GError            **error)
{
  g_autoptr(sqlite3_stmt) budget = NULL;
  g_autoptr(sqlite3_stmt) row = NULL;
  g_autoptr(sqlite3_stmt) write = NULL;
  gint64 failures = 0, locked_until = 0, spent = 0, oldest = now;
  int rc;

  *verdict = CABUT_SIGN_IN_ALLOWED;
  *retry_after = 0;
  *failures_out = 0;

  budget = cabut_db_prepare (db, "SELECT COALESCE (SUM (failures), 0), COALESCE (MIN (last_at), ?) "
                                 "FROM sign_in_failures WHERE address = ? AND last_at > ?", error);
  if (budget == NULL)
    return FALSE;
  sqlite3_bind_int64 (budget, 1, now);
  sqlite3_bind_text (budget, 2, address, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (budget, 3, now - CABUT_SIGN_IN_WINDOW_SECONDS);
  if (cabut_db_step (db, budget, error) != SQLITE_ROW)
    {
      if (error != NULL && *error == NULL)
        cabut_db_set_error (db, error);
      return FALSE;
    }
  spent = sqlite3_column_int64 (budget, 0);
  oldest = sqlite3_column_int64 (budget, 1);

  row = cabut_db_prepare (db, "SELECT failures, locked_until FROM sign_in_failures "
                              "WHERE username = ? AND address = ?", error);
  if (row == NULL)
    return FALSE;
  sqlite3_bind_text (row, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (row, 2, address, -1, SQLITE_STATIC);
  rc = cabut_db_step (db, row, error);
  if (rc == SQLITE_ROW)
    {
      failures = sqlite3_column_int64 (row, 0);
      locked_until = sqlite3_column_int64 (row, 1);
    }
  else if (rc != SQLITE_DONE)
    {
      return FALSE;
    }

  if (locked_until > now)
    {
      *verdict = CABUT_SIGN_IN_LOCKED;
      *retry_after = locked_until - now;
      return TRUE;
    }
  if (spent >= CABUT_SIGN_IN_ADDRESS_BUDGET)
    {
      *verdict = CABUT_SIGN_IN_ADDRESS_LIMITED;
      *retry_after = MAX (1, oldest + CABUT_SIGN_IN_WINDOW_SECONDS - now);
      return TRUE;
    }

  /* A lock that has run out starts the count again. */
  if (locked_until != 0)
    failures = 0;
  failures++;
  locked_until = failures >= CABUT_ACCOUNTS_MAX_FAILURES ? now + CABUT_ACCOUNTS_LOCK_SECONDS : 0;

  write = cabut_db_prepare (db, "INSERT INTO sign_in_failures (username, address, failures, locked_until, last_at) "
                                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (username, address) DO UPDATE SET "
                                "failures = excluded.failures, locked_until = excluded.locked_until, "
                                "last_at = excluded.last_at", error);
  if (write == NULL)
    return FALSE;
  sqlite3_bind_text (write, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (write, 2, address, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (write, 3, failures);
  sqlite3_bind_int64 (write, 4, locked_until);
  sqlite3_bind_int64 (write, 5, now);
  if (!cabut_db_step_done (db, write, error))
    return FALSE;

  *failures_out = failures;
  return TRUE;
}

/** cabut_sign_in_succeeded: the right password: the count for this user name and address starts again */
gboolean
cabut_sign_in_succeeded (CabutDb     *db,
                         const char  *username,
                         const char  *address,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "DELETE FROM sign_in_failures WHERE username = ? AND address = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, address, -1, SQLITE_STATIC);

  return cabut_db_step_done (db, stmt, error);
}

static CabutAccount *
account_from_row (CabutDb      *db,
                  sqlite3_stmt *stmt)
{
  CabutAccount *account = g_new0 (CabutAccount, 1);

  account->id = sqlite3_column_int64 (stmt, 0);
  account->username = cabut_db_column_text (stmt, 1);
  account->full_name = cabut_db_column_text (stmt, 2);
  account->email = cabut_db_column_text (stmt, 3);
  account->nik = cabut_db_column_text (stmt, 4);
  account->nip = cabut_db_column_text (stmt, 5);
  account->position = cabut_db_column_text (stmt, 6);
  account->unit = cabut_db_column_text (stmt, 7);
  account->organization = cabut_db_column_text (stmt, 8);
  account->role = cabut_db_column_text (stmt, 9);
  account->password_hash = cabut_db_column_text (stmt, 10);
  account->totp_secret = cabut_db_column_text (stmt, 11);
  if (account->totp_secret != NULL)
    {
      g_autoptr(GError) error = NULL;
      char *plain = cabut_db_unseal (db, account->username, account->totp_secret, &error);

      /* A secret that cannot be opened verifies no code: the account cannot
       * sign in, it does not lose its second factor. */
      if (plain != NULL)
        {
          g_free (account->totp_secret);
          account->totp_secret = plain;
        }
      else
        g_warning ("Account %s: %s", account->username, error->message);
    }
  account->failed_logins = sqlite3_column_int (stmt, 12);
  account->locked_until = sqlite3_column_int64 (stmt, 13);

  return account;
}

#define ACCOUNT_COLUMNS \
  "id, username, full_name, email, nik, nip, position, unit, organization, role, " \
  "password_hash, totp_secret, failed_logins, locked_until"

static gboolean
valid_username (const char *username)
{
  gsize len = strlen (username);

  if (len < 2 || len > 64)
    return FALSE;
  for (const char *p = username; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-' && *p != '@')
      return FALSE;

  return TRUE;
}

/**
 * cabut_accounts_validate:
 *
 * Checks what a new account would hold, before any slow hashing.
 */
gboolean
cabut_accounts_validate (const CabutAccount  *account,
                         const char          *password,
                         GError             **error)
{
  g_return_val_if_fail (account != NULL, FALSE);

  if (account->username == NULL || !valid_username (account->username))
    {
      g_set_error (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_INVALID,
                   _("A username has 2 to 64 letters, digits, dots, dashes, underscores or @"));
      return FALSE;
    }
  if (g_strcmp0 (account->role, "applicant") != 0 && g_strcmp0 (account->role, "operator") != 0 &&
      g_strcmp0 (account->role, "admin") != 0)
    {
      g_set_error (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_INVALID,
                   _("The role must be applicant, operator or admin"));
      return FALSE;
    }
  if (password == NULL || strlen (password) < 8)
    {
      g_set_error (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_INVALID,
                   _("A password needs at least 8 characters"));
      return FALSE;
    }

  return TRUE;
}

/**
 * cabut_accounts_insert:
 * @account: the fields to store, already validated
 * @password_hash: from cabut_password_hash()
 */
gboolean
cabut_accounts_insert (CabutDb             *db,
                       const CabutAccount  *account,
                       const char          *password_hash,
                       gint64              *out_id,
                       GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sealed = NULL;

  g_return_val_if_fail (CABUT_IS_DB (db), FALSE);
  g_return_val_if_fail (account != NULL && account->username != NULL, FALSE);
  g_return_val_if_fail (password_hash != NULL, FALSE);

  stmt = cabut_db_prepare (db,
                           "INSERT INTO accounts (username, full_name, email, nik, nip, position, "
                           "unit, organization, role, password_hash, totp_secret, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, account->username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, account->full_name ? account->full_name : account->username, -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, account->email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, account->nik, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, account->nip, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, account->position, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, account->unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, account->organization, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, account->role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, password_hash, -1, SQLITE_TRANSIENT);
  if (account->totp_secret != NULL)
    {
      /* Kept sealed under a key outside the database. */
      sealed = cabut_db_seal (db, account->username, account->totp_secret);
      if (sealed == NULL)
        {
          g_set_error (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_INVALID,
                       _("The one-time code secret cannot be sealed"));
          return FALSE;
        }
    }
  sqlite3_bind_text (stmt, 11, sealed, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 12, g_get_real_time () / G_USEC_PER_SEC);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if ((sqlite3_extended_errcode (cabut_db_get_handle (db)) & 0xff) == SQLITE_CONSTRAINT)
        {
          g_set_error (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_EXISTS,
                       _("There is already an account named “%s”"), account->username);
          return FALSE;
        }
      return cabut_db_set_error (db, error);
    }

  if (out_id != NULL)
    *out_id = cabut_db_last_insert_id (db);

  return TRUE;
}

/**
 * cabut_accounts_create:
 * @account: the fields to store (id, hash and counters are ignored)
 * @password: the initial password; it is hashed, never stored
 *
 * Validates, hashes (slowly, on purpose) and inserts. The server's API
 * hashes in a worker thread and calls the two halves itself.
 */
gboolean
cabut_accounts_create (CabutDb             *db,
                       const CabutAccount  *account,
                       const char          *password,
                       gint64              *out_id,
                       GError             **error)
{
  g_autofree char *hash = NULL;

  if (!cabut_accounts_validate (account, password, error))
    return FALSE;

  hash = cabut_password_hash (password);

  return cabut_accounts_insert (db, account, hash, out_id, error);
}

CabutAccount *
cabut_accounts_get (CabutDb  *db,
                    gint64    id,
                    GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  switch (cabut_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      g_set_error (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_NOT_FOUND,
                   _("No such account"));
      return NULL;
    default:
      return NULL;
    }

  return account_from_row (db, stmt);
}

CabutAccount *
cabut_accounts_find (CabutDb     *db,
                     const char  *username,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE username = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return account_from_row (db, stmt);
    case SQLITE_DONE:
      g_set_error (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_NOT_FOUND,
                   _("There is no account named “%s”"), username);
      return NULL;
    default:
      /* A busy or broken database is not "no such account". */
      cabut_db_set_error (db, error);
      return NULL;
    }
}

/* Only a hash of a token is stored: a copy of the database signs nobody in. */
static char *
token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/** cabut_session_create: Returns: (transfer full): a new bearer token */
char *
cabut_session_create (CabutDb  *db,
                      gint64    account_id,
                      gint64    now,
                      gint64   *expires_at,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;
  guint8 random[32];
  char *token;

  if (RAND_bytes (random, sizeof random) != 1)
    g_error ("Failed to get random bytes");
  token = g_base64_encode (random, sizeof random);
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  g_strdelimit (token, "=", '\0');
  OPENSSL_cleanse (random, sizeof random);
  hash = token_hash (token);

  stmt = cabut_db_prepare (db, "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) "
                               "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    {
      g_free (token);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now + CABUT_SESSION_SECONDS);
  if (!cabut_db_step_done (db, stmt, error))
    {
      g_free (token);
      return NULL;
    }

  if (expires_at != NULL)
    *expires_at = now + CABUT_SESSION_SECONDS;

  return token;
}

/**
 * cabut_session_lookup:
 *
 * Returns: (nullable): the account of a live session; %NULL with @error
 *   unset when there is none, %NULL with @error set when the database
 *   cannot say
 */
CabutAccount *
cabut_session_lookup (CabutDb     *db,
                      const char  *token,
                      gint64       now,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;

  if (token == NULL || *token == '\0')
    return NULL;

  hash = token_hash (token);
  stmt = cabut_db_prepare (db,
                           "SELECT a.id, a.username, a.full_name, a.email, a.nik, a.nip, a.position, "
                           "a.unit, a.organization, a.role, a.password_hash, a.totp_secret, "
                           "a.failed_logins, a.locked_until FROM sessions s "
                           "JOIN accounts a ON a.id = s.account_id "
                           "WHERE s.token_hash = ? AND s.revoked = 0 AND s.expires_at > ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);

  if (cabut_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;

  return account_from_row (db, stmt);
}

gboolean
cabut_session_revoke (CabutDb     *db,
                      const char  *token,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = token_hash (token);

  stmt = cabut_db_prepare (db, "UPDATE sessions SET revoked = 1 WHERE token_hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);

  return cabut_db_step_done (db, stmt, error);
}

/**
 * cabut_accounts_audit:
 * @db: the connection of the transaction the audit row belongs to
 * @actor_id: the account acting, or 0 for the service itself
 * @remote: where the request came from ("local" for the command line)
 *
 * Every decision and every change of an account goes here: who, when,
 * what, from where. A change commits with its audit row or not at all.
 */
gboolean
cabut_accounts_audit (CabutDb     *db,
                      gint64       actor_id,
                      const char  *action,
                      const char  *target,
                      const char  *remote,
                      const char  *detail,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cabut_db_prepare (db,
                           "INSERT INTO audit (at, actor_id, action, target, remote, detail) "
                           "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  if (actor_id != 0)
    sqlite3_bind_int64 (stmt, 2, actor_id);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, remote, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_TRANSIENT);

  return cabut_db_step_done (db, stmt, error);
}

static void
audit_row_clear (gpointer data)
{
  CabutAuditRow *row = data;

  g_clear_pointer (&row->username, g_free);
  g_clear_pointer (&row->full_name, g_free);
  g_clear_pointer (&row->role, g_free);
  g_clear_pointer (&row->action, g_free);
  g_clear_pointer (&row->target, g_free);
  g_clear_pointer (&row->remote, g_free);
  g_clear_pointer (&row->detail, g_free);
}

static void
read_audit_row (sqlite3_stmt *stmt,
                gpointer      element)
{
  CabutAuditRow *row = element;

  row->id = sqlite3_column_int64 (stmt, 0);
  row->at = sqlite3_column_int64 (stmt, 1);
  row->username = cabut_db_column_text (stmt, 2);
  row->full_name = cabut_db_column_text (stmt, 3);
  row->role = cabut_db_column_text (stmt, 4);
  row->action = cabut_db_column_text (stmt, 5);
  row->target = cabut_db_column_text (stmt, 6);
  row->remote = cabut_db_column_text (stmt, 7);
  row->detail = cabut_db_column_text (stmt, 8);
}

/**
 * cabut_accounts_audit_list:
 * @more: (out): whether rows follow the page
 *
 * A page of the audit log, newest first (by time, then id), filtered;
 * the indexes audit_at, audit_actor and audit_target serve each filter.
 *
 * Returns: (transfer full) (nullable): the rows (#CabutAuditRow), or %NULL
 *   with @error set — never part of a page
 */
GArray *
cabut_accounts_audit_list (CabutDb               *db,
                           const CabutAuditQuery *query,
                           gboolean              *more,
                           GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT au.id, au.at, a.username, a.full_name, a.role, au.action, "
                                         "au.target, au.remote, au.detail "
                                         "FROM audit au LEFT JOIN accounts a ON a.id = au.actor_id WHERE 1");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) rows = NULL;
  int n = 0;

  g_return_val_if_fail (query->limit > 0, NULL);

  /* Only the conditions given, so the planner can use their index. */
  if (query->actor != NULL)
    g_string_append (sql, " AND au.actor_id = (SELECT id FROM accounts WHERE username = ?)");
  if (query->target != NULL)
    g_string_append (sql, " AND au.target = ?");
  if (query->since != 0)
    g_string_append (sql, " AND au.at >= ?");
  if (query->until != 0)
    g_string_append (sql, " AND au.at < ?");
  if (query->has_cursor)
    g_string_append (sql, " AND (au.at < ? OR (au.at = ? AND au.id < ?))");
  g_string_append (sql, " ORDER BY au.at DESC, au.id DESC LIMIT ?");

  if ((stmt = cabut_db_prepare (db, sql->str, error)) == NULL)
    return NULL;
  if (query->actor != NULL)
    sqlite3_bind_text (stmt, ++n, query->actor, -1, SQLITE_TRANSIENT);
  if (query->target != NULL)
    sqlite3_bind_text (stmt, ++n, query->target, -1, SQLITE_TRANSIENT);
  if (query->since != 0)
    sqlite3_bind_int64 (stmt, ++n, query->since);
  if (query->until != 0)
    sqlite3_bind_int64 (stmt, ++n, query->until);
  if (query->has_cursor)
    {
      sqlite3_bind_int64 (stmt, ++n, query->cursor_at);
      sqlite3_bind_int64 (stmt, ++n, query->cursor_at);
      sqlite3_bind_int64 (stmt, ++n, query->cursor_id);
    }
  /* One more than asked tells whether there is a next page. */
  sqlite3_bind_int64 (stmt, ++n, (gint64) query->limit + 1);

  if ((rows = cabut_db_collect (db, stmt, sizeof (CabutAuditRow), audit_row_clear, read_audit_row, error)) == NULL)
    return NULL;
  *more = rows->len > query->limit;
  if (*more)
    g_array_set_size (rows, query->limit);

  return g_steal_pointer (&rows);
}

/* Returns: the id of the account with @email (any case), 0 when there is
 * none (or no @email), -1 with @error set when the database cannot say. */
gint64
cabut_accounts_find_id_by_email (CabutDb     *db,
                                 const char  *email,
                                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (email == NULL)
    return 0;
  stmt = cabut_db_prepare (db, "SELECT id FROM accounts WHERE email = ? COLLATE NOCASE", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_TRANSIENT);

  return cabut_db_step_id (db, stmt, error);
}

gboolean
cabut_accounts_count (CabutDb  *db,
                      gint64   *count,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = cabut_db_prepare (db, "SELECT count(*) FROM accounts", error);

  if (stmt == NULL || cabut_db_step (db, stmt, error) != SQLITE_ROW)
    {
      if (stmt != NULL && error != NULL && *error == NULL)
        g_set_error (error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED, "No count of accounts");
      return FALSE;
    }
  *count = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}
