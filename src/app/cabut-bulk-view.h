/* cabut-bulk-view.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_BULK_VIEW (cabut_bulk_view_get_type ())

G_DECLARE_FINAL_TYPE (CabutBulkView, cabut_bulk_view, CABUT, BULK_VIEW, GtkWidget)

GtkWidget      *cabut_bulk_view_new         (CabutContext  *context);
void            cabut_bulk_view_set_file    (CabutBulkView *self,
                                             GFile         *file);
void            cabut_bulk_view_preview     (CabutBulkView *self);
void            cabut_bulk_view_run         (CabutBulkView *self);
void            cabut_bulk_view_resume      (CabutBulkView *self);
gboolean        cabut_bulk_view_get_busy    (CabutBulkView *self);
const char     *cabut_bulk_view_get_page    (CabutBulkView *self);
CabutBulkBatch *cabut_bulk_view_get_batch   (CabutBulkView *self);

G_END_DECLS
