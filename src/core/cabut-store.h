/* cabut-store.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cabut-complaint.h"
#include "cabut-draft.h"
#include "cabut-request.h"
#include "cabut-service-info.h"
#include "cabut-submission.h"

G_BEGIN_DECLS

#define CABUT_STORE_ERROR (cabut_store_error_quark ())

/**
 * CabutStoreError:
 * @CABUT_STORE_ERROR_FAILED: reading or writing failed (disk full, I/O error, …)
 * @CABUT_STORE_ERROR_CORRUPT: the database file is damaged or not a database
 * @CABUT_STORE_ERROR_READ_ONLY: the folder or the file cannot be written
 * @CABUT_STORE_ERROR_TOO_NEW: the file was written by a newer version of Cabut
 */
typedef enum
{
  CABUT_STORE_ERROR_FAILED,
  CABUT_STORE_ERROR_CORRUPT,
  CABUT_STORE_ERROR_READ_ONLY,
  CABUT_STORE_ERROR_TOO_NEW,
} CabutStoreError;

#define CABUT_TYPE_STORE (cabut_store_get_type ())

G_DECLARE_FINAL_TYPE (CabutStore, cabut_store, CABUT, STORE, GObject)

GQuark      cabut_store_error_quark        (void);

char       *cabut_store_get_default_path   (void);
void        cabut_store_open_async         (const char           *path,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
CabutStore *cabut_store_open_finish        (GAsyncResult         *result,
                                            GError              **error);
const char *cabut_store_get_path           (CabutStore           *self);

void        cabut_store_track_draft        (CabutStore           *self,
                                            CabutDraft           *draft);
void        cabut_store_untrack_draft      (CabutStore           *self,
                                            CabutDraft           *draft);
void        cabut_store_flush_async        (CabutStore           *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    cabut_store_flush_finish       (CabutStore           *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        cabut_store_load_draft_async   (CabutStore           *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
CabutDraft *cabut_store_load_draft_finish  (CabutStore           *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        cabut_store_discard_draft_async (CabutStore          *self,
                                             CabutDraft          *draft,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean    cabut_store_discard_draft_finish (CabutStore         *self,
                                              GAsyncResult       *result,
                                              GError            **error);

void        cabut_store_queue_submission_async  (CabutStore          *self,
                                                 CabutDraft          *draft,
                                                 CabutSubmission     *submission,
                                                 GBytes              *letter,
                                                 const char          *letter_name,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    cabut_store_queue_submission_finish (CabutStore          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void        cabut_store_list_outbox_async       (CabutStore          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GListModel *cabut_store_list_outbox_finish      (CabutStore          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void        cabut_store_mark_sent_async         (CabutStore          *self,
                                                 const char          *idempotency_key,
                                                 CabutRequest        *request,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    cabut_store_mark_sent_finish        (CabutStore          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void        cabut_store_save_requests_async     (CabutStore          *self,
                                                 const char          *server_url,
                                                 const char          *username,
                                                 GListModel          *requests,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    cabut_store_save_requests_finish    (CabutStore          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void        cabut_store_list_requests_async     (CabutStore          *self,
                                                 const char          *server_url,
                                                 const char          *username,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GListModel *cabut_store_list_requests_finish    (CabutStore          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void        cabut_store_save_service_info_async  (CabutStore          *self,
                                                  const char          *server_url,
                                                  CabutServiceInfo    *info,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean    cabut_store_save_service_info_finish (CabutStore          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void        cabut_store_load_service_info_async  (CabutStore          *self,
                                                  const char          *server_url,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
CabutServiceInfo *cabut_store_load_service_info_finish (CabutStore    *self,
                                                        GAsyncResult  *result,
                                                        GDateTime    **fetched_at,
                                                        GError       **error);

void        cabut_store_find_certificate_async  (CabutStore          *self,
                                                 const char          *server_url,
                                                 const char          *request_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
CabutCertificate *cabut_store_find_certificate_finish (CabutStore    *self,
                                                       GAsyncResult  *result,
                                                       GError       **error);
void        cabut_store_find_sent_draft_async   (CabutStore          *self,
                                                 const char          *server_url,
                                                 const char          *request_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
CabutDraft *cabut_store_find_sent_draft_finish  (CabutStore          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void        cabut_store_load_history_async      (CabutStore          *self,
                                                 const char          *server_url,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray  *cabut_store_load_history_finish     (CabutStore          *self,
                                                 GAsyncResult        *result,
                                                 GDateTime          **updated_at,
                                                 GError             **error);

void        cabut_store_list_waiting_async      (CabutStore          *self,
                                                 const char          *server_url,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char      **cabut_store_list_waiting_finish     (CabutStore          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void        cabut_store_save_complaint_async    (CabutStore          *self,
                                                 const char          *server_url,
                                                 const char          *username,
                                                 CabutComplaint      *complaint,
                                                 GDateTime           *news_since,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray  *cabut_store_save_complaint_finish   (CabutStore          *self,
                                                 GAsyncResult        *result,
                                                 gboolean            *overdue,
                                                 GError             **error);
void        cabut_store_list_open_complaints_async  (CabutStore          *self,
                                                     const char          *server_url,
                                                     const char          *username,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
char      **cabut_store_list_open_complaints_finish (CabutStore          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
