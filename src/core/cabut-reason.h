/* cabut-reason.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 5280 §5.3.1 CRLReason codes that Cabut deals in. */
typedef enum
{
  CABUT_REASON_UNSPECIFIED            = 0,
  CABUT_REASON_KEY_COMPROMISE         = 1,
  CABUT_REASON_AFFILIATION_CHANGED    = 3,
  CABUT_REASON_SUPERSEDED             = 4,
  CABUT_REASON_CESSATION_OF_OPERATION = 5,
  CABUT_REASON_PRIVILEGE_WITHDRAWN    = 9,
} CabutReason;

typedef struct
{
  CabutReason  code;
  const char  *name;          /* RFC 5280 name, e.g. "keyCompromise" */
  const char  *label;         /* untranslated; use cabut_reason_get_label() */
  const char  *help;          /* untranslated; use cabut_reason_get_help() */
  gboolean     operator_only;
} CabutReasonInfo;

const CabutReasonInfo *cabut_reason_list            (guint       *n_reasons);
const CabutReasonInfo *cabut_reason_lookup          (int          code);
const CabutReasonInfo *cabut_reason_lookup_name     (const char  *name);
const char            *cabut_reason_get_label       (const CabutReasonInfo *info);
const char            *cabut_reason_get_help        (const CabutReasonInfo *info);
const char            *cabut_reason_get_label_for   (const CabutReasonInfo *info,
                                                     const char  *language);
const char            *cabut_reason_get_help_for    (const CabutReasonInfo *info,
                                                     const char  *language);
const char            *cabut_crl_reason_to_name     (int          code);
int                    cabut_crl_reason_from_name   (const char  *name);
const char            *cabut_crl_reason_to_label    (const char  *name);

G_END_DECLS
