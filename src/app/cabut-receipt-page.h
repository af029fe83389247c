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


void     cabut_receipt_page_save_async  (CabutReceiptPage     *self,
                                         GFile                *file,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean cabut_receipt_page_save_finish (CabutReceiptPage     *self,
                                         GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
