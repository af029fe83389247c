/* cabut-request-store.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-db.h"

G_BEGIN_DECLS

/* The requests, their events and the queue, behind functions that take a
 * connection and return rows: SQL lives here and nowhere else in the
 * service's handling of requests, so a second backend implements this
 * file. Rules the service relies on are the database's own (one open
 * request per certificate is a unique index; a state moves only from the
 * one it was read in). Every call fails closed: a database error is an
 * error, never "nothing found". */

typedef struct
{
  gint64    id;
  char     *number;
  char     *state;
  int       reason;
  char     *note;               /* nullable */
  char     *letter_sha256;
  char     *letter_type;
  gint64    letter_size;
  gboolean  key_possession;
  char     *letter_match;       /* nullable: not checked (filed before schema 7) */
  char     *letter_code;        /* nullable: none read */
  gint64    created_at;
  gint64    due_at;
  gint64    decided_at;         /* 0 when undecided */
  gint64    account_id;
  gint64    certificate_id;
  char     *serial;             /* of the certificate */
  char     *subject;
  char     *issuer;
  char     *username;           /* of the applicant */
  char     *full_name;
  char     *filed_by_username;  /* nullable: the officer who filed it at the desk */
  char     *filed_by_name;
  char     *pending_action;     /* nullable: "approve" or "reject", waiting for a second officer */
  gint64    pending_by;         /* who proposed it */
  char     *pending_by_username;
  char     *pending_by_name;
  gint64    pending_at;
  char     *pending_note;       /* nullable */
  char     *nip;                /* of the applicant; nullable */
  gint64    reviewer_id;        /* 0: nobody took it for review */
  char     *reviewer_username;  /* nullable */
  char     *reviewer_name;
} CabutRequestRow;

void cabut_request_row_clear (CabutRequestRow *row);
void cabut_request_row_free  (CabutRequestRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CabutRequestRow, cabut_request_row_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutRequestRow, cabut_request_row_free)

typedef struct
{
  gint64  id;
  gint64  at;
  char   *kind;
  char   *state;
  char   *note;                 /* nullable */
  char   *username;             /* of the actor; all three NULL for the service itself */
  char   *full_name;
  char   *role;
} CabutEventRow;

void cabut_event_row_clear (gpointer      data);
void cabut_event_row_read  (sqlite3_stmt *stmt,
                            gpointer      element);

/* One entry of the event feed: of a request (@number, @serial) or of a
 * complaint (@complaint). */
typedef struct
{
  gint64  id;
  char   *number;               /* nullable */
  char   *kind;
  char   *state;
  gint64  at;
  char   *note;                 /* nullable */
  char   *serial;               /* nullable */
  char   *complaint;            /* nullable */
} CabutFeedEvent;

/* What a page of a listing is: the queue (every applicant's) or one
 * account's own requests, in a state, searched, after a cursor. */
typedef struct
{
  gboolean    queue;            /* by (due, id) ascending; else by (created, id) descending */
  gint64      account_id;       /* when not the queue */
  const char *state;            /* "open", "all" or one state */
  const char *search;           /* nullable */
  int         pending;          /* -1: any; 1: only with a decision waiting for a second officer; 0: only without */
  guint       limit;
  gboolean    has_cursor;
  gint64      cursor_key;       /* due_at or created_at of the last row of the page before */
  gint64      cursor_id;
} CabutRequestQuery;

/* How many requests each state holds, and how many open ones are past
 * their deadline: the queue's filter. */
typedef struct
{
  gint64  submitted;
  gint64  in_review;
  gint64  revoked;
  gint64  rejected;
  gint64  cancelled;
  gint64  overdue;
} CabutRequestCounts;

/* A request to record. */
typedef struct
{
  gint64      account_id;
  gint64      certificate_id;
  int         reason;
  const char *note;
  const char *letter_sha256;
  const char *letter_type;
  gint64      letter_size;
  gboolean    key_possession;
  const char *letter_match;     /* nullable: not checked */
  const char *letter_code;      /* nullable */
  const char *idempotency_key;
  const char *metadata_sha256;
  gint64      created_at;
  gint64      due_at;
  int         year;             /* of its number, in the service's calendar */
  gint64      filed_by;         /* 0, or the officer filing at the desk for the account */
} CabutNewRequest;

gboolean   cabut_request_store_get          (CabutDb                 *db,
                                             gint64                   id,
                                             CabutRequestRow         *row,
                                             gboolean                *found,
                                             GError                 **error);
gboolean   cabut_request_store_get_by_number (CabutDb                *db,
                                             const char              *number,
                                             CabutRequestRow         *row,
                                             gboolean                *found,
                                             GError                 **error);
GArray    *cabut_request_store_events       (CabutDb                 *db,
                                             gint64                   request_id,
                                             GError                 **error);
GPtrArray *cabut_request_store_list         (CabutDb                 *db,
                                             const CabutRequestQuery *query,
                                             gboolean                *more,
                                             GError                 **error);
gboolean   cabut_request_store_count        (CabutDb                 *db,
                                             gint64                   now,
                                             CabutRequestCounts      *counts,
                                             GError                 **error);

GArray    *cabut_request_store_feed         (CabutDb                 *db,
                                             gint64                   after,
                                             gint64                   account_id,
                                             guint                    limit,
                                             GError                 **error);

gboolean   cabut_request_store_letter_in_use (CabutDb                *db,
                                             const char              *letter_sha256,
                                             gboolean                *in_use,
                                             GError                 **error);
gboolean   cabut_request_store_find_open    (CabutDb                 *db,
                                             gint64                   certificate_id,
                                             char                   **number,
                                             GError                 **error);
gint64     cabut_request_store_find_by_key  (CabutDb                 *db,
                                             gint64                   account_id,
                                             const char              *key,
                                             GError                 **error);
gboolean   cabut_request_store_same_filing  (CabutDb                 *db,
                                             gint64                   id,
                                             const char              *metadata_sha256,
                                             const char              *letter_sha256,
                                             gboolean                *same,
                                             GError                 **error);
gboolean   cabut_request_store_insert       (CabutDb                 *db,
                                             const CabutNewRequest   *request,
                                             gint64                  *id,
                                             char                   **number,
                                             GError                 **error);
gboolean   cabut_request_store_set_state    (CabutDb                 *db,
                                             gint64                   id,
                                             const char              *from,
                                             const char              *to,
                                             gboolean                 decided,
                                             gint64                   now,
                                             gboolean                *moved,
                                             GError                 **error);
gboolean   cabut_request_store_take_for_review (CabutDb              *db,
                                             gint64                   id,
                                             gint64                   reviewer_id,
                                             gboolean                *moved,
                                             GError                 **error);
gboolean   cabut_request_store_add_event    (CabutDb                 *db,
                                             gint64                   request_id,
                                             gint64                   actor_id,
                                             const char              *kind,
                                             const char              *state,
                                             const char              *note,
                                             gint64                   at,
                                             GError                 **error);
GArray    *cabut_request_store_overdue_unnoticed (CabutDb          *db,
                                             gint64                   now,
                                             guint                    limit,
                                             GError                 **error);
gboolean   cabut_request_store_set_overdue_noticed (CabutDb        *db,
                                             gint64                   id,
                                             gint64                   now,
                                             GError                 **error);

gboolean   cabut_request_store_propose      (CabutDb                 *db,
                                             gint64                   id,
                                             const char              *action,
                                             gint64                   proposer_id,
                                             gint64                   now,
                                             const char              *note,
                                             gboolean                *moved,
                                             GError                 **error);
gboolean   cabut_request_store_take_pending (CabutDb                 *db,
                                             gint64                   id,
                                             const char              *action,
                                             gint64                   proposer_id,
                                             gboolean                *taken,
                                             GError                 **error);

G_END_DECLS
