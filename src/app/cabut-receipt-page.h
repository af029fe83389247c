/* cabut-receipt-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_RECEIPT_PAGE (cabut_receipt_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutReceiptPage, cabut_receipt_page, CABUT, RECEIPT_PAGE, CabutPage)


G_END_DECLS
