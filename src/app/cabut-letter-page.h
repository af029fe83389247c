/* cabut-letter-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_LETTER_PAGE (cabut_letter_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutLetterPage, cabut_letter_page, CABUT, LETTER_PAGE, CabutPage)

void cabut_letter_page_set_file (CabutLetterPage *self,
                                GFile           *file);

G_END_DECLS
