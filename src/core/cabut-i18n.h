/* cabut-i18n.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void        cabut_i18n_init           (void);
const char *cabut_i18n_get_localedir  (void);
gboolean    cabut_running_uninstalled (void);
char       *cabut_get_data_path       (const char *name);
const char *cabut_i18n_translate_for  (const char *msgid,
                                       const char *language);

G_END_DECLS
