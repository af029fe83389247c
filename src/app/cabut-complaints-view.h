/* cabut-complaints-view.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_COMPLAINTS_VIEW (cabut_complaints_view_get_type ())

G_DECLARE_FINAL_TYPE (CabutComplaintsView, cabut_complaints_view, CABUT, COMPLAINTS_VIEW, GtkWidget)

GtkWidget  *cabut_complaints_view_new           (CabutContext        *context);
void        cabut_complaints_view_show_list     (CabutComplaintsView *self);
void        cabut_complaints_view_new_complaint (CabutComplaintsView *self,
                                                 const char          *request_id);
void        cabut_complaints_view_open          (CabutComplaintsView *self,
                                                 const char          *complaint_id);
void        cabut_complaints_view_complaint_changed (CabutComplaintsView *self,
                                                     const char          *complaint_id);
gboolean    cabut_complaints_view_get_busy      (CabutComplaintsView *self);
GListModel *cabut_complaints_view_get_complaints (CabutComplaintsView *self);
GtkWidget  *cabut_complaints_view_get_thread    (CabutComplaintsView *self);
const char *cabut_complaints_view_get_page      (CabutComplaintsView *self);

G_END_DECLS
