/* cabut-assistant.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_ASSISTANT (cabut_assistant_get_type ())

G_DECLARE_FINAL_TYPE (CabutAssistant, cabut_assistant, CABUT, ASSISTANT, GtkBox)

void        cabut_assistant_add_page         (CabutAssistant *self,
                                              CabutPage      *page);
CabutPage  *cabut_assistant_get_current_page (CabutAssistant *self);
CabutPage  *cabut_assistant_get_page         (CabutAssistant *self,
                                              CabutDraftStep  step);
void        cabut_assistant_go_to_step       (CabutAssistant *self,
                                              CabutDraftStep  step);
void        cabut_assistant_next             (CabutAssistant *self);
void        cabut_assistant_back             (CabutAssistant *self);
void        cabut_assistant_resume           (CabutAssistant *self,
                                              CabutDraftStep  target);
GtkWidget  *cabut_assistant_get_next_button  (CabutAssistant *self);

G_END_DECLS
