/* cabut-complaints-desk.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_COMPLAINTS_DESK (cabut_complaints_desk_get_type ())

G_DECLARE_FINAL_TYPE (CabutComplaintsDesk, cabut_complaints_desk, CABUT, COMPLAINTS_DESK, GtkWidget)

GtkWidget  *cabut_complaints_desk_new         (CabutContext        *context);
void        cabut_complaints_desk_refresh     (CabutComplaintsDesk *self);
void        cabut_complaints_desk_open        (CabutComplaintsDesk *self,
                                               const char          *complaint_id);
gboolean    cabut_complaints_desk_get_busy    (CabutComplaintsDesk *self);
GListModel *cabut_complaints_desk_get_complaints (CabutComplaintsDesk *self);
GtkWidget  *cabut_complaints_desk_get_thread  (CabutComplaintsDesk *self);

G_END_DECLS
