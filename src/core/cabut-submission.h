/* cabut-submission.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-certificate.h"

G_BEGIN_DECLS

#define CABUT_TYPE_SUBMISSION (cabut_submission_get_type ())

G_DECLARE_FINAL_TYPE (CabutSubmission, cabut_submission, CABUT, SUBMISSION, GObject)

CabutSubmission *cabut_submission_new                  (CabutCertificate  *certificate,
                                                        const char        *reason,
                                                        const char        *note,
                                                        const char        *idempotency_key,
                                                        GError           **error);
CabutSubmission *cabut_submission_new_for_applicant    (CabutCertificate  *certificate,
                                                        const char        *on_behalf_of,
                                                        const char        *reason,
                                                        const char        *note,
                                                        const char        *idempotency_key,
                                                        GError           **error);
void             cabut_submission_new_async            (CabutCertificate    *certificate,
                                                        const char          *on_behalf_of,
                                                        const char          *reason,
                                                        const char          *note,
                                                        const char          *idempotency_key,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
CabutSubmission *cabut_submission_new_finish           (GAsyncResult        *result,
                                                        GError             **error);
CabutSubmission *cabut_submission_new_from_parts       (GBytes            *metadata,
                                                        const char        *signature,
                                                        const char        *idempotency_key);
GBytes          *cabut_submission_get_metadata         (CabutSubmission   *self);
const char      *cabut_submission_get_signature        (CabutSubmission   *self);
const char      *cabut_submission_get_idempotency_key  (CabutSubmission   *self);
gboolean         cabut_submission_has_key_proof        (CabutSubmission   *self);

G_END_DECLS
