/* cabut-accounts.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-db.h"

G_BEGIN_DECLS

#define CABUT_ACCOUNTS_ERROR (cabut_accounts_error_quark ())

typedef enum
{
  CABUT_ACCOUNTS_ERROR_BAD_CREDENTIALS,
  CABUT_ACCOUNTS_ERROR_LOCKED,
  CABUT_ACCOUNTS_ERROR_TOTP_REQUIRED,
  CABUT_ACCOUNTS_ERROR_EXISTS,
  CABUT_ACCOUNTS_ERROR_INVALID,
  CABUT_ACCOUNTS_ERROR_NOT_FOUND,
} CabutAccountsError;

/* After this many failed sign-ins in a row from one address, that user name
 * rests a while — for that address only, so nobody elsewhere can lock an
 * account for its owner. */
#define CABUT_ACCOUNTS_MAX_FAILURES   5
#define CABUT_ACCOUNTS_LOCK_SECONDS   (15 * 60)
/* Failed sign-ins one address may make, whatever the user names, per window. */
#define CABUT_SIGN_IN_ADDRESS_BUDGET  20
#define CABUT_SIGN_IN_WINDOW_SECONDS  (15 * 60)

typedef enum
{
  CABUT_SIGN_IN_ALLOWED,
  CABUT_SIGN_IN_LOCKED,            /* this user name, from this address */
  CABUT_SIGN_IN_ADDRESS_LIMITED,   /* this address, whatever the user name */
} CabutSignInVerdict;
#define CABUT_SESSION_SECONDS         (8 * 60 * 60)

typedef struct
{
  gint64  id;
  char   *username;
  char   *full_name;
  char   *email;
  char   *nik;
  char   *nip;
  char   *position;
  char   *unit;
  char   *organization;
  char   *role;           /* applicant, operator or admin */
  char   *password_hash;
  char   *totp_secret;    /* base32, or NULL */
  int     failed_logins;  /* schema 1's per-account count; sign_in_failures since schema 2 */
  gint64  locked_until;
} CabutAccount;

GQuark        cabut_accounts_error_quark   (void);

gboolean      cabut_sign_in_reserve        (CabutDb            *db,
                                            const char         *username,
                                            const char         *address,
                                            gint64              now,
                                            CabutSignInVerdict *verdict,
                                            gint64             *retry_after,
                                            gint64             *failures,
                                            GError            **error);
gboolean      cabut_sign_in_succeeded      (CabutDb            *db,
                                            const char         *username,
                                            const char         *address,
                                            GError            **error);
gboolean      cabut_accounts_claim_totp_step (CabutDb          *db,
                                            gint64              account_id,
                                            gint64              step,
                                            gboolean           *claimed,
                                            GError            **error);

void          cabut_account_free           (CabutAccount *account);
gboolean      cabut_account_is_operator    (const CabutAccount *account);
gboolean      cabut_account_is_admin       (const CabutAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutAccount, cabut_account_free)

char         *cabut_password_hash          (const char   *password);
gboolean      cabut_password_verify        (const char   *password,
                                            const char   *encoded);
char         *cabut_totp_new_secret        (void);
char         *cabut_totp_code              (const char   *secret_base32,
                                            gint64        unix_time);
gboolean      cabut_totp_verify            (const char   *secret_base32,
                                            const char   *code,
                                            gint64        unix_time);
gboolean      cabut_totp_verify_step       (const char   *secret_base32,
                                            const char   *code,
                                            gint64        unix_time,
                                            gint64       *step);

gboolean      cabut_accounts_validate      (const CabutAccount *account,
                                            const char   *password,
                                            GError      **error);
gboolean      cabut_accounts_insert        (CabutDb      *db,
                                            const CabutAccount *account,
                                            const char   *password_hash,
                                            gint64       *out_id,
                                            GError      **error);
gboolean      cabut_accounts_create        (CabutDb      *db,
                                            const CabutAccount *account,
                                            const char   *password,
                                            gint64       *out_id,
                                            GError      **error);
CabutAccount *cabut_accounts_get           (CabutDb      *db,
                                            gint64        id,
                                            GError      **error);
CabutAccount *cabut_accounts_find          (CabutDb      *db,
                                            const char   *username,
                                            GError      **error);
char         *cabut_session_create         (CabutDb      *db,
                                            gint64        account_id,
                                            gint64        now,
                                            gint64       *expires_at,
                                            GError      **error);
CabutAccount *cabut_session_lookup         (CabutDb      *db,
                                            const char   *token,
                                            gint64        now,
                                            GError      **error);
gboolean      cabut_session_revoke         (CabutDb      *db,
                                            const char   *token,
                                            GError      **error);

gint64        cabut_accounts_find_id_by_email (CabutDb   *db,
                                            const char   *email,
                                            GError      **error);
gboolean      cabut_accounts_count         (CabutDb      *db,
                                            gint64       *count,
                                            GError      **error);
gboolean      cabut_accounts_audit         (CabutDb      *db,
                                            gint64        actor_id,
                                            const char   *action,
                                            const char   *target,
                                            const char   *remote,
                                            const char   *detail,
                                            GError      **error);

/* An audit row as GET /api/v1/admin/audit shows it. */
typedef struct
{
  gint64  id;
  gint64  at;
  char   *username;             /* of the actor; all three NULL for the service itself */
  char   *full_name;
  char   *role;
  char   *action;
  char   *target;               /* nullable */
  char   *remote;               /* nullable */
  char   *detail;               /* nullable */
} CabutAuditRow;

/* Which audit rows, newest first: a page after the cursor (at, id). */
typedef struct
{
  const char *actor;            /* nullable: a username */
  const char *target;           /* nullable: a request number, a username, a serial */
  gint64      since;            /* 0: no bound; else at >= since */
  gint64      until;            /* 0: no bound; else at < until */
  guint       limit;
  gboolean    has_cursor;
  gint64      cursor_at;
  gint64      cursor_id;
} CabutAuditQuery;

GArray       *cabut_accounts_audit_list    (CabutDb      *db,
                                            const CabutAuditQuery *query,
                                            gboolean     *more,
                                            GError      **error);

G_END_DECLS
