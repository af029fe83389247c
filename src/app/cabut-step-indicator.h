/* cabut-step-indicator.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CABUT_TYPE_STEP_INDICATOR (cabut_step_indicator_get_type ())

G_DECLARE_FINAL_TYPE (CabutStepIndicator, cabut_step_indicator, CABUT, STEP_INDICATOR, GtkWidget)

GtkWidget *cabut_step_indicator_new        (void);
void       cabut_step_indicator_set_steps  (CabutStepIndicator *self,
                                            guint               n_steps);
void       cabut_step_indicator_set_current (CabutStepIndicator *self,
                                            guint               current,
                                            const char         *title);
guint      cabut_step_indicator_get_current (CabutStepIndicator *self);
guint      cabut_step_indicator_get_steps  (CabutStepIndicator *self);

G_END_DECLS
