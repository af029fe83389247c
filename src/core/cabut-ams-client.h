/* cabut-ams-client.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cabut-audit-entry.h"
#include "cabut-bulk-batch.h"
#include "cabut-certificate.h"
#include "cabut-complaint.h"
#include "cabut-profile.h"
#include "cabut-queue-counts.h"
#include "cabut-reason-item.h"
#include "cabut-request.h"
#include "cabut-request-page.h"
#include "cabut-review.h"
#include "cabut-service-info.h"
#include "cabut-submission.h"

G_BEGIN_DECLS

#define CABUT_AMS_ERROR (cabut_ams_error_quark ())

/**
 * CabutAmsError:
 * @CABUT_AMS_ERROR_INSECURE_URL: plain http to a host that is not this computer
 * @CABUT_AMS_ERROR_INVALID_URL: the service address is not a URL
 * @CABUT_AMS_ERROR_NETWORK: the service could not be reached
 * @CABUT_AMS_ERROR_TLS: the service's certificate is not trusted
 * @CABUT_AMS_ERROR_UNAUTHORIZED: wrong credentials, or the session ended
 * @CABUT_AMS_ERROR_TOTP_REQUIRED: the account needs a one-time code
 * @CABUT_AMS_ERROR_LOCKED: too many failed sign-ins
 * @CABUT_AMS_ERROR_FORBIDDEN: the service refused (not yours, DN mismatch, not an officer…)
 * @CABUT_AMS_ERROR_NOT_FOUND: no such request
 * @CABUT_AMS_ERROR_CONFLICT: the request is in a state that does not allow this
 * @CABUT_AMS_ERROR_TOO_LARGE: the letter is too large
 * @CABUT_AMS_ERROR_UNSUPPORTED_TYPE: the letter is not a PDF, JPEG or PNG
 * @CABUT_AMS_ERROR_BAD_REQUEST: the service did not understand the request
 * @CABUT_AMS_ERROR_SERVER: the service failed (5xx)
 * @CABUT_AMS_ERROR_PROTOCOL: the answer was not what the API promises
 * @CABUT_AMS_ERROR_TAKEN_BY_OTHER: another officer took the request for
 *   review: only they, or an admin, decide it (a 409 `taken_by_other`)
 */
typedef enum
{
  CABUT_AMS_ERROR_INSECURE_URL,
  CABUT_AMS_ERROR_INVALID_URL,
  CABUT_AMS_ERROR_NETWORK,
  CABUT_AMS_ERROR_TLS,
  CABUT_AMS_ERROR_UNAUTHORIZED,
  CABUT_AMS_ERROR_TOTP_REQUIRED,
  CABUT_AMS_ERROR_LOCKED,
  CABUT_AMS_ERROR_FORBIDDEN,
  CABUT_AMS_ERROR_NOT_FOUND,
  CABUT_AMS_ERROR_CONFLICT,
  CABUT_AMS_ERROR_TOO_LARGE,
  CABUT_AMS_ERROR_UNSUPPORTED_TYPE,
  CABUT_AMS_ERROR_BAD_REQUEST,
  CABUT_AMS_ERROR_SERVER,
  CABUT_AMS_ERROR_PROTOCOL,
  CABUT_AMS_ERROR_TAKEN_BY_OTHER,
} CabutAmsError;

/* Called on the caller's main context as the upload goes out. */
typedef void (*CabutAmsProgressFunc) (goffset  sent,
                                      goffset  total,
                                      gpointer user_data);

#define CABUT_TYPE_AMS_CLIENT (cabut_ams_client_get_type ())

G_DECLARE_FINAL_TYPE (CabutAmsClient, cabut_ams_client, CABUT, AMS_CLIENT, GObject)

GQuark          cabut_ams_error_quark                (void);

CabutAmsClient *cabut_ams_client_new                 (const char           *base_url,
                                                      GError              **error);
const char     *cabut_ams_client_get_base_url        (CabutAmsClient       *self);
gboolean        cabut_ams_client_add_ca_file         (CabutAmsClient       *self,
                                                      const char           *path,
                                                      GError              **error);
void            cabut_ams_client_set_language        (CabutAmsClient       *self,
                                                      const char           *language);
void            cabut_ams_client_set_retry_policy    (CabutAmsClient       *self,
                                                      guint                 max_attempts,
                                                      guint                 first_delay_ms);
void            cabut_ams_client_set_timeout         (CabutAmsClient       *self,
                                                      guint                 seconds);
const char     *cabut_ams_client_get_token           (CabutAmsClient       *self);
void            cabut_ams_client_set_token           (CabutAmsClient       *self,
                                                      const char           *token);

/* The untyped calls below (up to download) complete with
 * cabut_ams_client_call_finish(), which returns the JSON the service
 * answered (an object), or NULL for answers without a body; the app uses
 * the typed calls after them, whose _finish returns model objects and
 * fails with CABUT_AMS_ERROR_PROTOCOL on a malformed answer. */
JsonNode       *cabut_ams_client_call_finish         (CabutAmsClient       *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void            cabut_ams_client_sign_in_async       (CabutAmsClient       *self,
                                                      const char           *username,
                                                      const char           *password,
                                                      const char           *totp,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            cabut_ams_client_sign_out_async      (CabutAmsClient       *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            cabut_ams_client_get_async           (CabutAmsClient       *self,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            cabut_ams_client_post_async          (CabutAmsClient       *self,
                                                      const char           *path,
                                                      JsonNode             *body,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            cabut_ams_client_submit_async        (CabutAmsClient       *self,
                                                      CabutCertificate     *certificate,
                                                      const char           *reason,
                                                      const char           *note,
                                                      GBytes               *letter,
                                                      const char           *letter_name,
                                                      const char           *idempotency_key,
                                                      CabutAmsProgressFunc  progress,
                                                      gpointer              progress_data,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            cabut_ams_client_submit_for_async    (CabutAmsClient       *self,
                                                      CabutCertificate     *certificate,
                                                      const char           *on_behalf_of,
                                                      const char           *reason,
                                                      const char           *note,
                                                      GBytes               *letter,
                                                      const char           *letter_name,
                                                      const char           *idempotency_key,
                                                      CabutAmsProgressFunc  progress,
                                                      gpointer              progress_data,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            cabut_ams_client_download_async      (CabutAmsClient       *self,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GBytes         *cabut_ams_client_download_finish     (CabutAmsClient       *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

gboolean          cabut_ams_client_sign_in_finish          (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_send_async              (CabutAmsClient       *self,
                                                            CabutSubmission      *submission,
                                                            GBytes               *letter,
                                                            const char           *letter_name,
                                                            CabutAmsProgressFunc  progress,
                                                            gpointer              progress_data,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutRequest     *cabut_ams_client_send_finish             (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_get_service_info_async  (CabutAmsClient       *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutServiceInfo *cabut_ams_client_get_service_info_finish (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_get_profile_async       (CabutAmsClient       *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutProfile     *cabut_ams_client_get_profile_finish      (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_list_reasons_async      (CabutAmsClient       *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GListModel       *cabut_ams_client_list_reasons_finish     (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_list_requests_async     (CabutAmsClient       *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GListModel       *cabut_ams_client_list_requests_finish    (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_list_queue_async        (CabutAmsClient       *self,
                                                            const char           *state,
                                                            const char           *search,
                                                            const char           *cursor,
                                                            guint                 limit,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutRequestPage *cabut_ams_client_list_queue_finish       (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_get_queue_counts_async  (CabutAmsClient       *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutQueueCounts *cabut_ams_client_get_queue_counts_finish (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_get_request_async       (CabutAmsClient       *self,
                                                            const char           *id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutRequest     *cabut_ams_client_get_request_finish      (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_get_review_async        (CabutAmsClient       *self,
                                                            const char           *id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutReview      *cabut_ams_client_get_review_finish       (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_decide_async            (CabutAmsClient       *self,
                                                            const char           *id,
                                                            const char           *action,
                                                            const char           *note,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutRequest     *cabut_ams_client_decide_finish           (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_cancel_request_async    (CabutAmsClient       *self,
                                                            const char           *id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutRequest     *cabut_ams_client_cancel_request_finish   (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_file_complaint_async    (CabutAmsClient       *self,
                                                            const char           *text,
                                                            const char           *request,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutComplaint   *cabut_ams_client_file_complaint_finish   (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_list_complaints_async   (CabutAmsClient       *self,
                                                            const char           *state,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GListModel       *cabut_ams_client_list_complaints_finish  (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_get_complaint_async     (CabutAmsClient       *self,
                                                            const char           *id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutComplaint   *cabut_ams_client_get_complaint_finish    (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_complaint_step_async    (CabutAmsClient       *self,
                                                            const char           *id,
                                                            const char           *action,
                                                            const char           *text,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutComplaint   *cabut_ams_client_complaint_step_finish   (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_get_ca_async            (CabutAmsClient       *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray        *cabut_ams_client_get_ca_finish           (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

void              cabut_ams_client_list_audit_async        (CabutAmsClient       *self,
                                                            const char           *actor,
                                                            const char           *request,
                                                            GDateTime            *since,
                                                            GDateTime            *until,
                                                            const char           *cursor,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GListModel       *cabut_ams_client_list_audit_finish       (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            char                **next,
                                                            GError              **error);
void              cabut_ams_client_export_audit_async      (CabutAmsClient       *self,
                                                            const char           *actor,
                                                            const char           *request,
                                                            GDateTime            *since,
                                                            GDateTime            *until,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GBytes           *cabut_ams_client_export_audit_finish     (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              cabut_ams_client_bulk_async              (CabutAmsClient       *self,
                                                            GBytes               *csv,
                                                            const char           *reason,
                                                            const char           *note,
                                                            gboolean              dry_run,
                                                            const char           *idempotency_key,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
void              cabut_ams_client_get_bulk_async          (CabutAmsClient       *self,
                                                            const char           *id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
void              cabut_ams_client_resume_bulk_async       (CabutAmsClient       *self,
                                                            const char           *id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CabutBulkBatch   *cabut_ams_client_bulk_finish             (CabutAmsClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
