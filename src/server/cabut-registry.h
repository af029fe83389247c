/* cabut-registry.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-certificate.h"
#include "cabut-db.h"

G_BEGIN_DECLS

/* The registry of certificates: which account holds which certificate, and
 * what became of it. SQL lives here; see cabut-request-store.h for the
 * contract (rows out, errors never read as "nothing found"). */

typedef struct
{
  gint64    id;
  gboolean  revoked;
  GBytes   *subject_der;
  GBytes   *cert_der;          /* nullable: registered from an index without the file */
} CabutRegistryRow;

/* A certificate as its holder sees it. */
typedef struct
{
  gint64    id;
  char     *serial;
  char     *issuer;
  char     *subject;
  gint64    not_before;
  gint64    not_after;
  gboolean  revoked;
  gint64    revoked_at;        /* 0 when not revoked */
  int       reason;            /* -1 when none is recorded */
} CabutHeldCertificate;

/* A revoked certificate, as a CRL lists it. */
typedef struct
{
  char   *serial;
  gint64  revoked_at;
  int     reason;              /* -1 when none is recorded */
  gint64  invalidity_date;     /* 0 when none */
} CabutRevokedRow;

/* What OCSP says of a serial. */
typedef enum
{
  CABUT_REGISTRY_UNKNOWN,
  CABUT_REGISTRY_GOOD,
  CABUT_REGISTRY_REVOKED,
} CabutRegistryStatus;

void cabut_registry_row_clear (CabutRegistryRow *row);
void cabut_held_certificate_clear (CabutHeldCertificate *held);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CabutHeldCertificate, cabut_held_certificate_clear)

gboolean cabut_registry_get               (CabutDb           *db,
                                           gint64             certificate_id,
                                           CabutHeldCertificate *held,
                                           gint64            *account_id,
                                           GBytes           **cert_der,
                                           gboolean          *found,
                                           GError           **error);
gboolean cabut_registry_next_crl_number   (CabutDb           *db,
                                           gint64            *number,
                                           GError           **error);
GArray  *cabut_registry_revoked           (CabutDb           *db,
                                           const char        *issuer,
                                           GError           **error);
gboolean cabut_registry_status            (CabutDb           *db,
                                           const char        *serial,
                                           const char        *issuer,
                                           CabutRegistryStatus *status,
                                           gint64            *revoked_at,
                                           int               *reason,
                                           GError           **error);
GArray  *cabut_registry_list_for_account  (CabutDb           *db,
                                           gint64             account_id,
                                           gboolean           has_cursor,
                                           gint64             cursor_key,
                                           gint64             cursor_id,
                                           guint              limit,
                                           gboolean          *more,
                                           GError           **error);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CabutRegistryRow, cabut_registry_row_clear)

gboolean cabut_registry_register          (CabutDb           *db,
                                           gint64             account_id,
                                           CabutCertificate  *certificate,
                                           GError           **error);
gboolean cabut_registry_find_for_account  (CabutDb           *db,
                                           const char        *serial,
                                           gint64             account_id,
                                           CabutRegistryRow  *row,
                                           gboolean          *found,
                                           GError           **error);
gboolean cabut_registry_mark_revoked      (CabutDb           *db,
                                           const char        *serial,
                                           const char        *issuer,
                                           gint64             revoked_at,
                                           int                reason,
                                           GError           **error);
gboolean cabut_registry_revoke            (CabutDb           *db,
                                           gint64             certificate_id,
                                           int                reason,
                                           gint64             revoked_at,
                                           gint64             invalidity_date,
                                           GError           **error);

G_END_DECLS
