/* cabut-complaint-store.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-db.h"

G_BEGIN_DECLS

/* Complaints (pengaduan) and their threads, behind functions that take a
 * connection and return rows, as cabut-request-store.h does for requests:
 * SQL lives here and nowhere else in the service's handling of complaints.
 * A complaint's thread is the events that name it, in the one event feed.
 * A state moves only from the one it was read in. Every call fails
 * closed: a database error is an error, never "nothing found". */

typedef struct
{
  gint64  id;
  char   *number;
  char   *state;
  char   *text;
  gint64  account_id;
  char   *username;              /* of the applicant */
  char   *full_name;
  gint64  request_id;            /* 0: about no request */
  char   *request_number;        /* nullable */
  gint64  created_at;
  gint64  due_at;
  gint64  updated_at;
  gint64  resolved_at;           /* 0 while unresolved */
} CabutComplaintRow;

void cabut_complaint_row_clear (CabutComplaintRow *row);
void cabut_complaint_row_free  (CabutComplaintRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CabutComplaintRow, cabut_complaint_row_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutComplaintRow, cabut_complaint_row_free)

/* A page of a listing: one account's own (newest first), or everyone's
 * for the desk (oldest first). */
typedef struct
{
  gboolean    desk;
  gint64      account_id;       /* when not the desk */
  const char *state;            /* "unresolved", "all" or one state */
  guint       limit;
  gboolean    has_cursor;
  gint64      cursor_key;       /* created_at of the last row of the page before */
  gint64      cursor_id;
} CabutComplaintQuery;

gboolean   cabut_complaint_store_get_by_number (CabutDb                   *db,
                                                const char                *number,
                                                CabutComplaintRow         *row,
                                                gboolean                  *found,
                                                GError                   **error);
gboolean   cabut_complaint_store_get        (CabutDb                   *db,
                                             gint64                     id,
                                             CabutComplaintRow         *row,
                                             gboolean                  *found,
                                             GError                   **error);
GArray    *cabut_complaint_store_thread     (CabutDb                   *db,
                                             gint64                     complaint_id,
                                             GError                   **error);
GPtrArray *cabut_complaint_store_list       (CabutDb                   *db,
                                             const CabutComplaintQuery *query,
                                             gboolean                  *more,
                                             GError                   **error);
gboolean   cabut_complaint_store_insert     (CabutDb                   *db,
                                             gint64                     account_id,
                                             gint64                     request_id,
                                             const char                *text,
                                             gint64                     now,
                                             gint64                     due_at,
                                             int                        year,
                                             gint64                    *id,
                                             char                     **number,
                                             GError                   **error);
gboolean   cabut_complaint_store_set_state  (CabutDb                   *db,
                                             gint64                     id,
                                             const char                *from,
                                             const char                *to,
                                             gint64                     now,
                                             gint64                     due_at,
                                             gboolean                  *moved,
                                             GError                   **error);
gboolean   cabut_complaint_store_add_event  (CabutDb                   *db,
                                             gint64                     complaint_id,
                                             gint64                     actor_id,
                                             const char                *kind,
                                             const char                *state,
                                             const char                *text,
                                             gint64                     at,
                                             gint64                    *event_id,
                                             GError                   **error);

G_END_DECLS
