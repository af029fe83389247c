/* cabut-letter-maker.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-core.h"

G_BEGIN_DECLS

#define CABUT_TYPE_LETTER_MAKER (cabut_letter_maker_get_type ())

G_DECLARE_FINAL_TYPE (CabutLetterMaker, cabut_letter_maker, CABUT, LETTER_MAKER, AdwPreferencesGroup)

CabutLetterForm *cabut_letter_maker_get_form     (CabutLetterMaker *self);
GFile           *cabut_letter_maker_get_file     (CabutLetterMaker *self);
gboolean         cabut_letter_maker_get_busy     (CabutLetterMaker *self);
void             cabut_letter_maker_create       (CabutLetterMaker *self);
void             cabut_letter_maker_export       (CabutLetterMaker *self,
                                                  GFile            *file);

G_END_DECLS
