/* cabut-mail-outbox.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-db.h"

G_BEGIN_DECLS

/* The e-mail notices waiting to be sent, and those sent, in SQLite. A
 * notice is added in the transaction of the change it tells of, and leaves
 * "pending" only once the mail server has taken it ("sent") or refused its
 * recipient for good ("failed"). At most one of each kind per request. */

typedef struct
{
  gint64  id;
  gint64  request_id;       /* 0 for a complaint's */
  char   *kind;
  char   *recipient;
  GBytes *message;
  guint   attempts;         /* failed so far */
} CabutOutboxRow;

void     cabut_outbox_row_clear      (CabutOutboxRow  *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CabutOutboxRow, cabut_outbox_row_clear)

gboolean cabut_mail_outbox_add       (CabutDb         *db,
                                      gint64           request_id,
                                      const char      *kind,
                                      const char      *recipient,
                                      const char      *message_id,
                                      GBytes          *message,
                                      gint64           now,
                                      GError         **error);
gboolean cabut_mail_outbox_add_for_complaint (CabutDb   *db,
                                      gint64           complaint_id,
                                      gint64           event_id,
                                      const char      *kind,
                                      const char      *recipient,
                                      const char      *message_id,
                                      GBytes          *message,
                                      gint64           now,
                                      GError         **error);
gboolean cabut_mail_outbox_next      (CabutDb         *db,
                                      gint64           now,
                                      CabutOutboxRow  *row,
                                      gboolean        *found,
                                      gint64          *next_at,
                                      GError         **error);
gboolean cabut_mail_outbox_sent      (CabutDb         *db,
                                      gint64           id,
                                      gint64           now,
                                      GError         **error);
gboolean cabut_mail_outbox_retry     (CabutDb         *db,
                                      gint64           id,
                                      gint64           next_at,
                                      const char      *last_error,
                                      GError         **error);
gboolean cabut_mail_outbox_failed    (CabutDb         *db,
                                      gint64           id,
                                      const char      *last_error,
                                      GError         **error);

G_END_DECLS
