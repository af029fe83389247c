/* cabut-draft-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-draft.h"

G_BEGIN_DECLS

/* Only the store sets these: they describe the saved row, not the applicant's entries. */
void cabut_draft_set_id         (CabutDraft *self,
                                 gint64      id);
void cabut_draft_set_updated_at (CabutDraft *self,
                                 GDateTime  *updated_at);

G_END_DECLS
