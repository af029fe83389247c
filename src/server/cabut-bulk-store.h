/* cabut-bulk-store.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-db.h"

G_BEGIN_DECLS

/* Bulk revocation: the certificates a row of the CSV names, the batch and
 * its rows, each row's progress. SQL lives here and nowhere else. */

/* A registered certificate a row names. */
typedef struct
{
  gint64    certificate_id;
  gint64    account_id;
  char     *username;
  char     *full_name;
  char     *nip;              /* nullable */
  char     *serial;
  char     *subject;
  gboolean  revoked;
  char     *open_number;      /* nullable: the certificate's undecided request */
} CabutBulkMatch;

void      cabut_bulk_match_clear      (gpointer data);

/* One row of a batch: a row of the CSV and what it matched (or why not). */
typedef struct
{
  gint64    id;
  guint     row;              /* in the CSV, from 1 */
  char     *value;            /* as the row gave it */
  char     *state;            /* unmatched, pending, revoked, skipped */
  char     *why;              /* nullable: unknown_nip, unknown_serial, already_revoked, open_request,
                               * malformed, duplicate, no_certificate */
  gint64    certificate_id;   /* 0 when unmatched */
  char     *username;         /* of the certificate's holder; nullable */
  char     *full_name;
  char     *serial;
  char     *subject;
  char     *request_number;   /* nullable: the request that revoked it */
} CabutBulkItem;

void      cabut_bulk_item_clear       (gpointer data);

typedef struct
{
  gint64    id;
  char     *number;           /* BULK-000001 */
  char     *idempotency_key;
  char     *state;            /* running, done */
  int       reason;
  char     *note;             /* nullable */
  gint64    actor_id;
  char     *actor_username;
  char     *actor_name;
  gint64    created_at;
  gint64    finished_at;      /* 0 while running */
} CabutBulkBatchRow;

void      cabut_bulk_batch_row_clear      (CabutBulkBatchRow *batch);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CabutBulkBatchRow, cabut_bulk_batch_row_clear)

GArray   *cabut_bulk_store_match_nip    (CabutDb        *db,
                                         const char     *nip,
                                         gboolean       *account_found,
                                         GError        **error);
GArray   *cabut_bulk_store_match_serial (CabutDb        *db,
                                         const char     *serial,
                                         GError        **error);
gboolean  cabut_bulk_store_match_certificate (CabutDb   *db,
                                         gint64          certificate_id,
                                         CabutBulkMatch *match,
                                         gboolean       *found,
                                         GError        **error);
gint64    cabut_bulk_store_find_by_key  (CabutDb        *db,
                                         gint64          actor_id,
                                         const char     *key,
                                         GError        **error);
gboolean  cabut_bulk_store_create       (CabutDb        *db,
                                         const CabutBulkBatchRow *batch,
                                         GArray         *items,
                                         gint64         *id,
                                         char          **number,
                                         GError        **error);
gboolean  cabut_bulk_store_get          (CabutDb        *db,
                                         const char     *number,
                                         CabutBulkBatchRow *batch,
                                         gboolean       *found,
                                         GError        **error);
GArray   *cabut_bulk_store_items        (CabutDb        *db,
                                         gint64          batch_id,
                                         GError        **error);
gboolean  cabut_bulk_store_next_pending (CabutDb        *db,
                                         gint64          batch_id,
                                         CabutBulkItem  *item,
                                         gboolean       *found,
                                         GError        **error);
gboolean  cabut_bulk_store_finish_item  (CabutDb        *db,
                                         gint64          item_id,
                                         const char     *state,
                                         const char     *why,
                                         gint64          request_id,
                                         GError        **error);
gboolean  cabut_bulk_store_finish       (CabutDb        *db,
                                         gint64          batch_id,
                                         gint64          now,
                                         GError        **error);

G_END_DECLS
