/* cabut-history-row.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cabut-request.h"

G_BEGIN_DECLS

#define CABUT_TYPE_HISTORY_ROW (cabut_history_row_get_type ())

G_DECLARE_FINAL_TYPE (CabutHistoryRow, cabut_history_row, CABUT, HISTORY_ROW, GtkWidget)

GtkWidget  *cabut_history_row_new          (void);
void        cabut_history_row_set_request  (CabutHistoryRow *self,
                                            CabutRequest    *request);
const char *cabut_history_row_get_title    (CabutHistoryRow *self);
const char *cabut_history_row_get_subtitle (CabutHistoryRow *self);
const char *cabut_history_row_get_badge    (CabutHistoryRow *self);
const char *cabut_history_row_get_description (CabutHistoryRow *self);

G_END_DECLS
