/* cabut-request-details.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_REQUEST_DETAILS (cabut_request_details_get_type ())

G_DECLARE_FINAL_TYPE (CabutRequestDetails, cabut_request_details, CABUT, REQUEST_DETAILS, AdwBin)

GtkWidget    *cabut_request_details_new          (CabutContext        *context);
CabutRequest *cabut_request_details_get_request  (CabutRequestDetails *self);
void          cabut_request_details_show         (CabutRequestDetails *self,
                                                  CabutRequest        *request);
gboolean      cabut_request_details_get_busy     (CabutRequestDetails *self);
GtkWidget    *cabut_request_details_get_letter_preview (CabutRequestDetails *self);
const char   *cabut_request_details_get_confirmation (CabutRequestDetails *self);
void          cabut_request_details_cancel_async (CabutRequestDetails *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      cabut_request_details_cancel_finish (CabutRequestDetails *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void          cabut_request_details_file_again_async  (CabutRequestDetails *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
CabutDraft   *cabut_request_details_file_again_finish (CabutRequestDetails *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
