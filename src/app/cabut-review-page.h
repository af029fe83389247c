/* cabut-review-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_REVIEW_PAGE (cabut_review_page_get_type ())

G_DECLARE_FINAL_TYPE (CabutReviewPage, cabut_review_page, CABUT, REVIEW_PAGE, AdwBin)

GtkWidget    *cabut_review_page_new              (CabutContext    *context);
void          cabut_review_page_show_request     (CabutReviewPage *self,
                                                  const char      *request_id);
CabutReview  *cabut_review_page_get_review       (CabutReviewPage *self);
gboolean      cabut_review_page_get_busy         (CabutReviewPage *self);
GtkWidget    *cabut_review_page_get_letter_preview (CabutReviewPage *self);
const char   *cabut_review_page_get_notice       (CabutReviewPage *self);
const char   *cabut_review_page_get_confirmation (CabutReviewPage *self);
gint64        cabut_review_page_get_crl_number   (CabutReviewPage *self);
GtkWidget    *cabut_review_page_get_reject_dialog (CabutReviewPage *self);

G_END_DECLS
