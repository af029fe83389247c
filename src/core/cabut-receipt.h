/* cabut-receipt.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cabut-request.h"
#include "cabut-service-info.h"

G_BEGIN_DECLS

GBytes *cabut_receipt_render        (CabutRequest         *request,
                                     CabutServiceInfo     *info,
                                     GDateTime            *now,
                                     GError              **error);
void    cabut_receipt_render_async  (CabutRequest         *request,
                                     CabutServiceInfo     *info,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
GBytes *cabut_receipt_render_finish (GAsyncResult         *result,
                                     GError              **error);
char   *cabut_receipt_file_name     (CabutRequest         *request);

G_END_DECLS
