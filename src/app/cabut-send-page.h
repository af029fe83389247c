/* cabut-send-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_SEND_PAGE (cabut_send_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutSendPage, cabut_send_page, CABUT, SEND_PAGE, CabutPage)


G_END_DECLS
