/* cabut-calendar.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CABUT_CALENDAR_ERROR (cabut_calendar_error_quark ())

typedef enum
{
  CABUT_CALENDAR_ERROR_INVALID,
} CabutCalendarError;

#define CABUT_TYPE_CALENDAR (cabut_calendar_get_type ())

G_DECLARE_FINAL_TYPE (CabutCalendar, cabut_calendar, CABUT, CALENDAR, GObject)

GQuark         cabut_calendar_error_quark        (void);
CabutCalendar *cabut_calendar_new                (GTimeZone     *tz);
CabutCalendar *cabut_calendar_new_default        (GError       **error);
gboolean       cabut_calendar_load_holidays      (CabutCalendar *self,
                                                  const char    *path,
                                                  GError       **error);
void           cabut_calendar_add_holiday        (CabutCalendar *self,
                                                  GDate         *date,
                                                  const char    *name);
const char    *cabut_calendar_get_holiday        (CabutCalendar *self,
                                                  GDateTime     *when);
gboolean       cabut_calendar_is_working_day     (CabutCalendar *self,
                                                  GDateTime     *when);
GDateTime     *cabut_calendar_get_deadline       (CabutCalendar *self,
                                                  GDateTime     *from,
                                                  guint          working_days);
GTimeZone     *cabut_calendar_get_timezone       (CabutCalendar *self);

G_END_DECLS
