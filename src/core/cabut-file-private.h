/* cabut-file-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Durable writes, shared by the app's store and the service (letters, CRLs).
 * Errors are in G_IO_ERROR; a write refused for room — a full disk, a quota,
 * a file size limit — is always G_IO_ERROR_NO_SPACE. */
gboolean cabut_file_write_all     (int          fd,
                                   const void  *data,
                                   gsize        len,
                                   const char  *path,
                                   GError     **error);
gboolean cabut_file_sync_dir      (const char  *dir,
                                   GError     **error);
gboolean cabut_file_write_durably (const char  *path,
                                   GBytes      *bytes,
                                   int          mode,
                                   GError     **error);

G_END_DECLS
