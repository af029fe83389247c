/* cabut-complaint-thread.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_COMPLAINT_THREAD (cabut_complaint_thread_get_type ())

G_DECLARE_FINAL_TYPE (CabutComplaintThread, cabut_complaint_thread, CABUT, COMPLAINT_THREAD, GtkWidget)

GtkWidget      *cabut_complaint_thread_new           (CabutContext         *context,
                                                      gboolean              officer);
CabutComplaint *cabut_complaint_thread_get_complaint (CabutComplaintThread *self);
void            cabut_complaint_thread_set_complaint (CabutComplaintThread *self,
                                                      CabutComplaint       *complaint);
gboolean        cabut_complaint_thread_get_busy      (CabutComplaintThread *self);
GtkWidget      *cabut_complaint_row_new              (CabutComplaint       *complaint,
                                                      gboolean              with_applicant);

G_END_DECLS
