/* cabut-outbox-item.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cabut-submission.h"

G_BEGIN_DECLS

#define CABUT_TYPE_OUTBOX_ITEM (cabut_outbox_item_get_type ())

G_DECLARE_FINAL_TYPE (CabutOutboxItem, cabut_outbox_item, CABUT, OUTBOX_ITEM, GObject)

const char      *cabut_outbox_item_get_idempotency_key (CabutOutboxItem *self);
const char      *cabut_outbox_item_get_server_url      (CabutOutboxItem *self);
const char      *cabut_outbox_item_get_username        (CabutOutboxItem *self);
CabutSubmission *cabut_outbox_item_get_submission      (CabutOutboxItem *self);
GFile           *cabut_outbox_item_get_letter_file     (CabutOutboxItem *self);
const char      *cabut_outbox_item_get_letter_name     (CabutOutboxItem *self);
GDateTime       *cabut_outbox_item_get_queued_at       (CabutOutboxItem *self);
gint64           cabut_outbox_item_get_draft_id        (CabutOutboxItem *self);

G_END_DECLS
