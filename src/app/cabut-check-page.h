/* cabut-check-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_CHECK_PAGE (cabut_check_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutCheckPage, cabut_check_page, CABUT, CHECK_PAGE, CabutPage)


G_END_DECLS
