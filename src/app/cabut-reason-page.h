/* cabut-reason-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_REASON_PAGE (cabut_reason_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutReasonPage, cabut_reason_page, CABUT, REASON_PAGE, CabutPage)


G_END_DECLS
