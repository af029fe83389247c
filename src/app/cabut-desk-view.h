/* cabut-desk-view.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"
#include "cabut-queue-view.h"
#include "cabut-review-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_DESK_VIEW (cabut_desk_view_get_type ())

G_DECLARE_FINAL_TYPE (CabutDeskView, cabut_desk_view, CABUT, DESK_VIEW, GtkBox)

GtkWidget      *cabut_desk_view_new            (CabutContext  *context);
void            cabut_desk_view_present        (CabutDeskView *self);
void            cabut_desk_view_add_section    (CabutDeskView *self,
                                                GtkWidget     *child,
                                                const char    *name,
                                                const char    *title,
                                                const char    *icon_name);
void            cabut_desk_view_show_request   (CabutDeskView *self,
                                                const char    *request_id);
void            cabut_desk_view_refresh        (CabutDeskView *self);
gboolean        cabut_desk_view_get_officer    (CabutDeskView *self);
const char     *cabut_desk_view_get_visible    (CabutDeskView *self);
CabutQueueView *cabut_desk_view_get_queue_view (CabutDeskView *self);
GtkWidget      *cabut_desk_view_get_sign_in_button (CabutDeskView *self);
const char     *cabut_desk_view_get_status     (CabutDeskView *self);
CabutReviewPage *cabut_desk_view_get_review_page (CabutDeskView *self);
GtkWidget      *cabut_desk_view_get_complaints (CabutDeskView *self);
GtkWidget      *cabut_desk_view_get_section    (CabutDeskView *self,
                                                const char    *name);

G_END_DECLS
