/* cabut-context.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cabut-core.h"

G_BEGIN_DECLS

#define CABUT_TYPE_CONTEXT (cabut_context_get_type ())

G_DECLARE_FINAL_TYPE (CabutContext, cabut_context, CABUT, CONTEXT, GObject)

CabutContext     *cabut_context_new                     (GSettings            *settings);
GSettings        *cabut_context_get_settings            (CabutContext         *self);
GCancellable     *cabut_context_get_cancellable         (CabutContext         *self);
CabutDraft       *cabut_context_get_draft               (CabutContext         *self);
void              cabut_context_set_draft               (CabutContext         *self,
                                                         CabutDraft           *draft);
const char       *cabut_context_get_store_path          (CabutContext         *self);
void              cabut_context_set_store_path          (CabutContext         *self,
                                                         const char           *path);
CabutStore       *cabut_context_get_store               (CabutContext         *self);
void              cabut_context_set_store               (CabutContext         *self,
                                                         CabutStore           *store);
const char       *cabut_context_get_server_url          (CabutContext         *self);
void              cabut_context_set_server_url          (CabutContext         *self,
                                                         const char           *server_url);
CabutAmsClient   *cabut_context_get_client              (CabutContext         *self);
const GError     *cabut_context_get_client_error        (CabutContext         *self);
CabutDemoService *cabut_context_get_demo                (CabutContext         *self);
void              cabut_context_set_demo                (CabutContext         *self,
                                                         CabutDemoService     *demo);
gboolean          cabut_context_get_demo_pending        (CabutContext         *self);
void              cabut_context_set_demo_pending        (CabutContext         *self,
                                                         gboolean              pending);
CabutDemoAccount *cabut_context_get_demo_account        (CabutContext         *self);
void              cabut_context_set_demo_account        (CabutContext         *self,
                                                         CabutDemoAccount     *account);
CabutServiceInfo *cabut_context_get_service_info        (CabutContext         *self);
gboolean          cabut_context_get_service_info_offline (CabutContext        *self);
GDateTime        *cabut_context_get_service_info_time   (CabutContext         *self);
void              cabut_context_refresh_service_info    (CabutContext         *self);
GPtrArray        *cabut_context_get_issuers             (CabutContext         *self);
CabutAmsClient   *cabut_context_new_client              (CabutContext         *self,
                                                         GError              **error);
CabutEventFeed   *cabut_context_new_event_feed          (CabutContext         *self,
                                                         GError              **error);
CabutCertificate *cabut_context_find_issuer             (CabutContext         *self,
                                                         CabutCertificate     *certificate);
CabutProfile     *cabut_context_get_profile             (CabutContext         *self);
GListModel       *cabut_context_get_reasons             (CabutContext         *self);
void              cabut_context_sign_in_async           (CabutContext         *self,
                                                         const char           *username,
                                                         const char           *password,
                                                         const char           *totp,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean          cabut_context_sign_in_finish          (CabutContext         *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void              cabut_context_refresh_profile_async   (CabutContext         *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean          cabut_context_refresh_profile_finish  (CabutContext         *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
CabutRequest     *cabut_context_get_last_request        (CabutContext         *self);
void              cabut_context_set_last_request        (CabutContext         *self,
                                                         CabutRequest         *request);
void              cabut_context_sign_out                (CabutContext         *self);
void              cabut_context_start_over              (CabutContext         *self);

G_END_DECLS
