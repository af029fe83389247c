/* cabut-server.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cabut-letter.h"

G_BEGIN_DECLS

#define CABUT_SERVER_ERROR (cabut_server_error_quark ())

typedef enum
{
  CABUT_SERVER_ERROR_INVALID_ADDRESS,
  CABUT_SERVER_ERROR_TLS_REQUIRED,
  CABUT_SERVER_ERROR_DATA_DIR,
  CABUT_SERVER_ERROR_NOT_LISTENING,
  CABUT_SERVER_ERROR_CONFIG,
} CabutServerError;

/* Letters above this are refused before their body is read. */
#define CABUT_SERVER_DEFAULT_MAX_LETTER CABUT_LETTER_DEFAULT_MAX_SIZE
/* Seconds, as nginx's client_header_timeout and client_body_timeout. */
#define CABUT_SERVER_DEFAULT_REQUEST_TIMEOUT 60

#define CABUT_TYPE_SERVER (cabut_server_get_type ())

G_DECLARE_FINAL_TYPE (CabutServer, cabut_server, CABUT, SERVER, GObject)

GQuark       cabut_server_error_quark       (void);
CabutServer *cabut_server_new               (const char      *data_dir,
                                             GError         **error);
void         cabut_server_set_max_letter_size (CabutServer   *self,
                                             gsize            max_size);
void         cabut_server_set_second_approval (CabutServer   *self,
                                             gboolean         second_approval);
gboolean     cabut_server_load_holidays     (CabutServer     *self,
                                             const char      *path,
                                             GError         **error);
gboolean     cabut_server_load_config       (CabutServer     *self,
                                             const char      *path,
                                             GError         **error);
gboolean     cabut_server_listen            (CabutServer     *self,
                                             const char      *address,
                                             GTlsCertificate *tls_certificate,
                                             GError         **error);
gboolean     cabut_server_start_ca          (CabutServer     *self,
                                             const char      *base_url,
                                             gboolean         demo,
                                             GError         **error);
gboolean     cabut_server_start_mail        (CabutServer     *self,
                                             const char      *smtp_url,
                                             const char      *user,
                                             const char      *password_file,
                                             const char      *from,
                                             GError         **error);
char        *cabut_server_get_url           (CabutServer     *self);
void         cabut_server_begin_stop        (CabutServer     *self);
guint        cabut_server_count_requests    (CabutServer     *self);
void         cabut_server_shutdown          (CabutServer     *self);
void         cabut_server_set_request_timeout (CabutServer   *self,
                                             guint            seconds);
guint        cabut_server_count_connections (CabutServer     *self);

G_END_DECLS
