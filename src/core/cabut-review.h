/* cabut-review.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cabut-certificate.h"
#include "cabut-dn.h"
#include "cabut-request.h"

G_BEGIN_DECLS

#define CABUT_TYPE_REVIEW       (cabut_review_get_type ())
#define CABUT_TYPE_REVIEW_CHECK (cabut_review_check_get_type ())

G_DECLARE_FINAL_TYPE (CabutReview, cabut_review, CABUT, REVIEW, GObject)
G_DECLARE_FINAL_TYPE (CabutReviewCheck, cabut_review_check, CABUT, REVIEW_CHECK, GObject)

/* What a review dossier says of the account (CabutReview's account fields). */
typedef enum
{
  CABUT_REVIEW_ACCOUNT_USERNAME,
  CABUT_REVIEW_ACCOUNT_FULL_NAME,
  CABUT_REVIEW_ACCOUNT_EMAIL,
  CABUT_REVIEW_ACCOUNT_NIK,
  CABUT_REVIEW_ACCOUNT_NIP,
  CABUT_REVIEW_ACCOUNT_POSITION,
  CABUT_REVIEW_ACCOUNT_UNIT,
  CABUT_REVIEW_ACCOUNT_ORGANIZATION,
  CABUT_REVIEW_ACCOUNT_N_FIELDS,
} CabutReviewAccountField;

CabutReview      *cabut_review_new_from_json            (JsonNode         *node,
                                                         GError          **error);
CabutRequest     *cabut_review_get_request              (CabutReview      *self);
const char       *cabut_review_get_account              (CabutReview      *self,
                                                         CabutReviewAccountField field);
const char       *cabut_review_account_field_to_label   (CabutReviewAccountField field);
const char       *cabut_review_get_serial               (CabutReview      *self);
const char       *cabut_review_get_subject              (CabutReview      *self);
GPtrArray        *cabut_review_get_subject_attributes   (CabutReview      *self);
const char       *cabut_review_get_issuer               (CabutReview      *self);
GDateTime        *cabut_review_get_not_before           (CabutReview      *self);
GDateTime        *cabut_review_get_not_after            (CabutReview      *self);
gboolean          cabut_review_get_revoked              (CabutReview      *self);
GDateTime        *cabut_review_get_revoked_at           (CabutReview      *self);
const char       *cabut_review_get_sha256               (CabutReview      *self);
CabutCertificate *cabut_review_get_certificate          (CabutReview      *self);
GListModel       *cabut_review_get_checks               (CabutReview      *self);
CabutReviewCheck *cabut_review_find_check               (CabutReview      *self,
                                                         const char       *name);
guint             cabut_review_count_mismatches         (CabutReview      *self);

const char       *cabut_review_check_get_name           (CabutReviewCheck *self);
const char       *cabut_review_check_get_label          (CabutReviewCheck *self);
const char       *cabut_review_check_get_expected       (CabutReviewCheck *self);
const char       *cabut_review_check_get_found          (CabutReviewCheck *self);
gboolean          cabut_review_check_get_matches        (CabutReviewCheck *self);

G_END_DECLS
