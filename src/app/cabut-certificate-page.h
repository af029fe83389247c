/* cabut-certificate-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-page.h"

G_BEGIN_DECLS

#define CABUT_TYPE_CERTIFICATE_PAGE (cabut_certificate_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutCertificatePage, cabut_certificate_page, CABUT, CERTIFICATE_PAGE, CabutPage)

void cabut_certificate_page_set_file     (CabutCertificatePage *self,
                                        GFile                *file);
void cabut_certificate_page_set_password (CabutCertificatePage *self,
                                        const char           *password);

G_END_DECLS
