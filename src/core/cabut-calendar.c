/* cabut-calendar.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-calendar"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cabut-calendar.h"
#include "cabut-i18n.h"

#include <stdio.h>

/* Working days for the service standard's "1 working day": Monday to
 * Friday, minus national holidays and collective leave read from a data
 * file, counted in the service's own time zone (WIB by default). */
struct _CabutCalendar
{
  GObject     parent_instance;

  GTimeZone  *timezone;
  GHashTable *holidays;   /* julian day -> name */
};

G_DEFINE_FINAL_TYPE (CabutCalendar, cabut_calendar, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-calendar-error-quark, cabut_calendar_error)

static void
cabut_calendar_finalize (GObject *object)
{
  CabutCalendar *self = (CabutCalendar *)object;

  g_clear_pointer (&self->timezone, g_time_zone_unref);
  g_clear_pointer (&self->holidays, g_hash_table_unref);

  G_OBJECT_CLASS (cabut_calendar_parent_class)->finalize (object);
}

static void
cabut_calendar_class_init (CabutCalendarClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cabut_calendar_finalize;
}

static void
cabut_calendar_init (CabutCalendar *self)
{
  self->holidays = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

/**
 * cabut_calendar_new:
 * @tz: the zone whose days count
 */
CabutCalendar *
cabut_calendar_new (GTimeZone *tz)
{
  CabutCalendar *self;

  g_return_val_if_fail (tz != NULL, NULL);

  self = g_object_new (CABUT_TYPE_CALENDAR, NULL);
  self->timezone = g_time_zone_ref (tz);

  return self;
}

/**
 * cabut_calendar_new_default:
 *
 * The Indonesian calendar in WIB (UTC+7) with the holidays shipped in
 * data/holidays-id.txt.
 */
CabutCalendar *
cabut_calendar_new_default (GError **error)
{
  g_autoptr(GTimeZone) wib = g_time_zone_new_identifier ("+07:00");
  g_autoptr(CabutCalendar) self = cabut_calendar_new (wib);
  g_autofree char *path = cabut_get_data_path ("holidays-id.txt");

  if (!cabut_calendar_load_holidays (self, path, error))
    return NULL;

  return g_steal_pointer (&self);
}

static guint
julian_of (CabutCalendar *self,
           GDateTime     *when)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, self->timezone);
  g_autoptr(GDate) date = g_date_new_dmy (g_date_time_get_day_of_month (local),
                                          g_date_time_get_month (local),
                                          g_date_time_get_year (local));

  return g_date_get_julian (date);
}

void
cabut_calendar_add_holiday (CabutCalendar *self,
                            GDate         *date,
                            const char    *name)
{
  g_return_if_fail (CABUT_IS_CALENDAR (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  g_hash_table_replace (self->holidays, GUINT_TO_POINTER (g_date_get_julian (date)),
                        g_strdup (name != NULL ? name : ""));
}

/**
 * cabut_calendar_load_holidays:
 * @path: a file with one `YYYY-MM-DD name` per line; `#` starts a comment
 */
gboolean
cabut_calendar_load_holidays (CabutCalendar  *self,
                              const char     *path,
                              GError        **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (CABUT_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autoptr(GDate) date = NULL;
      guint year, month, day;
      int consumed = 0;

      if (*line == '\0' || *line == '#')
        continue;

      if (sscanf (line, "%4u-%2u-%2u%n", &year, &month, &day, &consumed) != 3 ||
          !g_date_valid_dmy (day, month, year))
        {
          g_set_error (error, CABUT_CALENDAR_ERROR, CABUT_CALENDAR_ERROR_INVALID,
                       _("Line %u of the holiday list %s is not a date"), i + 1, path);
          return FALSE;
        }

      date = g_date_new_dmy (day, month, year);
      cabut_calendar_add_holiday (self, date, g_strstrip (line + consumed));
    }

  return TRUE;
}

/** cabut_calendar_get_holiday: Returns: (nullable): the holiday's name on that day */
const char *
cabut_calendar_get_holiday (CabutCalendar *self,
                            GDateTime     *when)
{
  g_return_val_if_fail (CABUT_IS_CALENDAR (self), NULL);
  g_return_val_if_fail (when != NULL, NULL);

  return g_hash_table_lookup (self->holidays, GUINT_TO_POINTER (julian_of (self, when)));
}

gboolean
cabut_calendar_is_working_day (CabutCalendar *self,
                               GDateTime     *when)
{
  g_autoptr(GDateTime) local = NULL;
  int weekday;

  g_return_val_if_fail (CABUT_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  local = g_date_time_to_timezone (when, self->timezone);
  weekday = g_date_time_get_day_of_week (local);

  return weekday <= 5 && cabut_calendar_get_holiday (self, when) == NULL;
}

/**
 * cabut_calendar_get_deadline:
 * @from: when the request was filed
 * @working_days: how many working days the service has
 *
 * The end (23:59:59 local time) of the @working_days-th working day after
 * the day of @from: filed on Monday, one working day is due by the end of
 * Tuesday; filed on Friday or Saturday, by the end of Monday (unless that
 * is a holiday).
 *
 * Returns: (transfer full): the deadline, in the calendar's time zone
 */
GDateTime *
cabut_calendar_get_deadline (CabutCalendar *self,
                             GDateTime     *from,
                             guint          working_days)
{
  g_autoptr(GDateTime) day = NULL;
  guint counted = 0;

  g_return_val_if_fail (CABUT_IS_CALENDAR (self), NULL);
  g_return_val_if_fail (from != NULL, NULL);

  {
    g_autoptr(GDateTime) local = g_date_time_to_timezone (from, self->timezone);
    /* Noon avoids any doubt about which day we are on. */
    day = g_date_time_new (self->timezone, g_date_time_get_year (local),
                           g_date_time_get_month (local), g_date_time_get_day_of_month (local),
                           12, 0, 0);
  }

  while (counted < working_days)
    {
      GDateTime *next = g_date_time_add_days (day, 1);

      g_date_time_unref (day);
      day = next;
      if (cabut_calendar_is_working_day (self, day))
        counted++;
    }

  return g_date_time_new (self->timezone, g_date_time_get_year (day), g_date_time_get_month (day),
                          g_date_time_get_day_of_month (day), 23, 59, 59);
}

GTimeZone *
cabut_calendar_get_timezone (CabutCalendar *self)
{
  g_return_val_if_fail (CABUT_IS_CALENDAR (self), NULL);
  return self->timezone;
}
