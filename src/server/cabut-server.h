/* cabut-server.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CABUT_SERVER_ERROR (cabut_server_error_quark ())

typedef enum
{
  CABUT_SERVER_ERROR_INVALID_ADDRESS,
  CABUT_SERVER_ERROR_TLS_REQUIRED,
  CABUT_SERVER_ERROR_DATA_DIR,
} CabutServerError;

#define CABUT_TYPE_SERVER (cabut_server_get_type ())

G_DECLARE_FINAL_TYPE (CabutServer, cabut_server, CABUT, SERVER, GObject)

GQuark       cabut_server_error_quark (void);
CabutServer *cabut_server_new         (const char   *data_dir,
                                       GError      **error);
gboolean     cabut_server_listen      (CabutServer  *self,
                                       const char   *address,
                                       GTlsCertificate *tls_certificate,
                                       GError      **error);
char        *cabut_server_get_url     (CabutServer  *self);
void         cabut_server_shutdown    (CabutServer  *self);

G_END_DECLS
