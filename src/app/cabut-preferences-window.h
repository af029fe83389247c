/* cabut-preferences-window.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CABUT_TYPE_PREFERENCES_WINDOW (cabut_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CabutPreferencesWindow, cabut_preferences_window, CABUT, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *cabut_preferences_window_new (GSettings *settings,
                                         gboolean   demo);

G_END_DECLS
