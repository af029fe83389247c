/* cabut-requests-view.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_REQUESTS_VIEW (cabut_requests_view_get_type ())

G_DECLARE_FINAL_TYPE (CabutRequestsView, cabut_requests_view, CABUT, REQUESTS_VIEW, GtkBox)

GtkWidget *cabut_requests_view_new     (CabutContext      *context);
void       cabut_requests_view_refresh (CabutRequestsView *self);
void       cabut_requests_view_show_list (CabutRequestsView *self);
guint      cabut_requests_view_get_n_requests (CabutRequestsView *self);

void       cabut_requests_view_open        (CabutRequestsView *self,
                                            CabutRequest      *request);
void       cabut_requests_view_open_id     (CabutRequestsView *self,
                                            const char        *request_id);
GtkWidget *cabut_requests_view_get_details (CabutRequestsView *self);
CabutHistory *cabut_requests_view_get_history (CabutRequestsView *self);
gboolean   cabut_requests_view_get_synced  (CabutRequestsView *self);

G_END_DECLS
