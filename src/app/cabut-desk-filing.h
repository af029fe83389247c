/* cabut-desk-filing.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_DESK_FILING (cabut_desk_filing_get_type ())

G_DECLARE_FINAL_TYPE (CabutDeskFiling, cabut_desk_filing, CABUT, DESK_FILING, GtkWidget)

GtkWidget        *cabut_desk_filing_new              (CabutContext    *context);
void              cabut_desk_filing_set_certificate_file (CabutDeskFiling *self,
                                                      GFile           *file);
void              cabut_desk_filing_set_scan         (CabutDeskFiling *self,
                                                      GFile           *file);
void              cabut_desk_filing_file             (CabutDeskFiling *self);
gboolean          cabut_desk_filing_get_busy         (CabutDeskFiling *self);
CabutCertificate *cabut_desk_filing_get_certificate  (CabutDeskFiling *self);
CabutRequest     *cabut_desk_filing_get_request      (CabutDeskFiling *self);
GtkWidget        *cabut_desk_filing_get_letter_maker (CabutDeskFiling *self);

G_END_DECLS
