/* cabut-details-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_DETAILS_PAGE (cabut_details_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutDetailsPage, cabut_details_page, CABUT, DETAILS_PAGE, CabutPage)


G_END_DECLS
