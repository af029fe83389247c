/* cabut-demo-service.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CABUT_DEMO_ERROR (cabut_demo_error_quark ())

typedef enum
{
  CABUT_DEMO_ERROR_NO_SERVER,
  CABUT_DEMO_ERROR_FAILED,
} CabutDemoError;

#define CABUT_TYPE_DEMO_ACCOUNT (cabut_demo_account_get_type ())

G_DECLARE_FINAL_TYPE (CabutDemoAccount, cabut_demo_account, CABUT, DEMO_ACCOUNT, GObject)

const char *cabut_demo_account_get_username          (CabutDemoAccount *self);
const char *cabut_demo_account_get_password          (CabutDemoAccount *self);
const char *cabut_demo_account_get_role              (CabutDemoAccount *self);
const char *cabut_demo_account_get_full_name         (CabutDemoAccount *self);
GFile      *cabut_demo_account_get_certificate_file  (CabutDemoAccount *self);
const char *cabut_demo_account_get_certificate_password (CabutDemoAccount *self);

GListModel *cabut_demo_accounts_load                 (const char       *path,
                                                      GError          **error);

#define CABUT_TYPE_DEMO_SERVICE (cabut_demo_service_get_type ())

G_DECLARE_FINAL_TYPE (CabutDemoService, cabut_demo_service, CABUT, DEMO_SERVICE, GObject)

GQuark            cabut_demo_error_quark            (void);
char             *cabut_demo_service_find_server    (void);
CabutDemoService *cabut_demo_service_new            (const char          *data_dir);
void              cabut_demo_service_start_async    (CabutDemoService    *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean          cabut_demo_service_start_finish   (CabutDemoService    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void              cabut_demo_service_stop           (CabutDemoService    *self);
void              cabut_demo_service_stop_async     (CabutDemoService    *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean          cabut_demo_service_stop_finish    (CabutDemoService    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
const char       *cabut_demo_service_get_url        (CabutDemoService    *self);
const char       *cabut_demo_service_get_data_dir   (CabutDemoService    *self);
GListModel       *cabut_demo_service_get_accounts   (CabutDemoService    *self);
char             *cabut_demo_service_get_ca_file    (CabutDemoService    *self);
void              cabut_demo_service_set_second_approval (CabutDemoService *self,
                                                     gboolean             second_approval);

G_END_DECLS
