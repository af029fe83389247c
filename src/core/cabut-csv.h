/* cabut-csv.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void        cabut_csv_append_cell  (GString     *out,
                                    const char  *cell);
void        cabut_csv_append_row   (GString     *out,
                                    const char  *first_cell,
                                    ...) G_GNUC_NULL_TERMINATED;
GPtrArray  *cabut_csv_parse        (const char  *text,
                                    gsize        len,
                                    guint        max_rows,
                                    GError     **error);

G_END_DECLS
