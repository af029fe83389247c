/* cabut-window.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-assistant.h"
#include "cabut-context.h"
#include "cabut-tracker.h"

G_BEGIN_DECLS

#define CABUT_TYPE_WINDOW (cabut_window_get_type ())

G_DECLARE_FINAL_TYPE (CabutWindow, cabut_window, CABUT, WINDOW, AdwApplicationWindow)

CabutWindow    *cabut_window_new           (GtkApplication *application,
                                            CabutContext   *context);
CabutContext   *cabut_window_get_context   (CabutWindow    *self);
CabutAssistant *cabut_window_get_assistant (CabutWindow    *self);
GtkWidget      *cabut_window_get_requests_view (CabutWindow *self);
GtkWidget      *cabut_window_get_desk_view     (CabutWindow *self);
void            cabut_window_open_file     (CabutWindow    *self,
                                            GFile          *file);
gboolean        cabut_window_get_ready     (CabutWindow    *self);
CabutTracker   *cabut_window_get_tracker   (CabutWindow    *self);
void            cabut_window_show_complaint (CabutWindow   *self,
                                            const char    *complaint_id);
GtkWidget      *cabut_window_get_complaints_view (CabutWindow *self);
void            cabut_window_show_request  (CabutWindow    *self,
                                            const char     *request_id);
void            cabut_window_file_again    (CabutWindow    *self,
                                            CabutDraft     *draft);

G_END_DECLS
