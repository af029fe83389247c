/* cabut-window.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CABUT_TYPE_WINDOW (cabut_window_get_type ())

G_DECLARE_FINAL_TYPE (CabutWindow, cabut_window, CABUT, WINDOW, AdwApplicationWindow)

CabutWindow *cabut_window_new (GtkApplication *application);

G_END_DECLS
