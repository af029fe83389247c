/* cabut-letter-cache.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean  cabut_letter_cache_is_valid_name (const char           *sha256);
GFile    *cabut_letter_cache_get_file      (const char           *sha256,
                                            const char           *content_type);
void      cabut_letter_cache_lookup_async  (const char           *sha256,
                                            const char           *content_type,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GFile    *cabut_letter_cache_lookup_finish (GAsyncResult         *result,
                                            GError              **error);
void      cabut_letter_cache_keep_async    (const char           *sha256,
                                            const char           *content_type,
                                            GBytes               *letter,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GFile    *cabut_letter_cache_keep_finish   (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
