/* cabut-probe.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean  cabut_probe_enabled       (void);
void      cabut_probe_mark          (const char *event);
void      cabut_probe_watch_window  (GtkWindow  *window);
void      cabut_probe_stall_start   (const char *label);
gint64    cabut_probe_stall_report  (gint64     *ended_at);

G_END_DECLS
