/* cabut-slot-model.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CABUT_TYPE_SLOT (cabut_slot_get_type ())

G_DECLARE_FINAL_TYPE (CabutSlot, cabut_slot, CABUT, SLOT, GObject)

#define CABUT_TYPE_SLOT_MODEL (cabut_slot_model_get_type ())

G_DECLARE_FINAL_TYPE (CabutSlotModel, cabut_slot_model, CABUT, SLOT_MODEL, GObject)

gpointer        cabut_slot_get_item      (CabutSlot  *self);

CabutSlotModel *cabut_slot_model_new     (GListModel *model);

G_END_DECLS
