/* cabut-application.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-tracker.h"

G_BEGIN_DECLS

#define CABUT_TYPE_APPLICATION (cabut_application_get_type ())

G_DECLARE_FINAL_TYPE (CabutApplication, cabut_application, CABUT, APPLICATION, AdwApplication)

CabutApplication *cabut_application_new   (void);
void              cabut_application_watch (CabutApplication *self,
                                           CabutTracker     *tracker);

G_END_DECLS
