/* cabut-queue-view.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-core.h"

G_BEGIN_DECLS

#define CABUT_TYPE_QUEUE_VIEW (cabut_queue_view_get_type ())

G_DECLARE_FINAL_TYPE (CabutQueueView, cabut_queue_view, CABUT, QUEUE_VIEW, GtkBox)

GtkWidget     *cabut_queue_view_new             (void);
CabutQueue    *cabut_queue_view_get_queue       (CabutQueueView *self);
void           cabut_queue_view_set_client      (CabutQueueView *self,
                                                 CabutAmsClient *client);
void           cabut_queue_view_reload          (CabutQueueView *self);
void           cabut_queue_view_refresh         (CabutQueueView *self);
void           cabut_queue_view_focus_list      (CabutQueueView *self);
void           cabut_queue_view_focus_search    (CabutQueueView *self);
GtkColumnView *cabut_queue_view_get_column_view (CabutQueueView *self);
GtkSearchEntry *cabut_queue_view_get_search_entry (CabutQueueView *self);
GtkDropDown   *cabut_queue_view_get_filter      (CabutQueueView *self);
const char    *cabut_queue_view_get_visible     (CabutQueueView *self);
const char    *cabut_queue_view_get_selected_id (CabutQueueView *self);

G_END_DECLS
