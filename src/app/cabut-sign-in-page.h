/* cabut-sign-in-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_SIGN_IN_PAGE (cabut_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutSignInPage, cabut_sign_in_page, CABUT, SIGN_IN_PAGE, CabutPage)


G_END_DECLS
