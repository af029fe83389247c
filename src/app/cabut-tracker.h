/* cabut-tracker.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_TRACKER (cabut_tracker_get_type ())

G_DECLARE_FINAL_TYPE (CabutTracker, cabut_tracker, CABUT, TRACKER, GObject)

CabutTracker *cabut_tracker_new             (CabutContext *context);
gboolean      cabut_tracker_get_following   (CabutTracker *self);
gboolean      cabut_tracker_get_waiting     (CabutTracker *self);
guint         cabut_tracker_get_n_notified  (CabutTracker *self);
guint         cabut_tracker_get_n_synced    (CabutTracker *self);
guint         cabut_tracker_get_n_complaints_read (CabutTracker *self);

G_END_DECLS
