/* cabut-welcome-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_WELCOME_PAGE (cabut_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutWelcomePage, cabut_welcome_page, CABUT, WELCOME_PAGE, CabutPage)

void cabut_welcome_page_offer_draft (CabutWelcomePage *self,
                                    CabutDraft       *draft);

G_END_DECLS
