/* test-calendar.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cabut-core.h"

static GDateTime *
wib (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+07:00");

  return g_date_time_new (tz, year, month, day, hour, minute, 0);
}

static void
assert_deadline (CabutCalendar *calendar,
                 GDateTime     *from,
                 int            year,
                 int            month,
                 int            day)
{
  g_autoptr(GDateTime) due = cabut_calendar_get_deadline (calendar, from, 1);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+07:00");
  g_autoptr(GDateTime) local = g_date_time_to_timezone (due, tz);
  g_autofree char *text = g_date_time_format (local, "%F %T");
  g_autofree char *from_text = g_date_time_format (from, "%F %T %a");
  g_autofree char *expected = g_strdup_printf ("%04d-%02d-%02d 23:59:59", year, month, day);

  g_test_message ("filed %s → due %s", from_text, text);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_shipped_holidays (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCalendar) calendar = cabut_calendar_new_default (&error);
  g_autoptr(GDateTime) mon = wib (2026, 11, 30, 10, 0);
  g_autoptr(GDateTime) fri = wib (2026, 12, 4, 16, 30);
  g_autoptr(GDateTime) sat = wib (2026, 12, 5, 9, 0);
  g_autoptr(GDateTime) before_christmas = wib (2026, 12, 23, 8, 0);
  g_autoptr(GDateTime) independence_eve = wib (2026, 8, 14, 15, 0);
  g_autoptr(GDateTime) christmas = wib (2026, 12, 25, 12, 0);
  g_autoptr(GDateTime) late_utc = NULL;

  g_assert_no_error (error);

  assert_deadline (calendar, mon, 2026, 12, 1);          /* Monday → end of Tuesday */
  assert_deadline (calendar, fri, 2026, 12, 7);          /* Friday → end of Monday */
  assert_deadline (calendar, sat, 2026, 12, 7);          /* Saturday → end of Monday */
  assert_deadline (calendar, before_christmas, 2026, 12, 28); /* 24th leave, 25th Christmas */
  assert_deadline (calendar, independence_eve, 2026, 8, 18);  /* Monday 17 August is a holiday */

  g_assert_false (cabut_calendar_is_working_day (calendar, christmas));
  g_assert_nonnull (cabut_calendar_get_holiday (calendar, christmas));
  g_assert_true (cabut_calendar_is_working_day (calendar, mon));
  g_assert_false (cabut_calendar_is_working_day (calendar, sat));

  /* 20:00 UTC on Monday is already Tuesday in Jakarta. */
  late_utc = g_date_time_new_utc (2026, 11, 30, 20, 0, 0);
  assert_deadline (calendar, late_utc, 2026, 12, 2);
}

static void
test_custom_holidays (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) wita = g_time_zone_new_identifier ("+08:00");
  g_autoptr(CabutCalendar) calendar = cabut_calendar_new (wita);
  g_autofree char *dir = g_dir_make_tmp ("cabut-calendar-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "libur.txt", NULL);
  g_autofree char *bad = g_build_filename (dir, "rusak.txt", NULL);
  g_autoptr(GDateTime) tue = NULL;
  g_autoptr(GDateTime) due = NULL;

  g_assert_true (g_file_set_contents (good, "# cuti bersama instansi\n2027-03-03 Cuti\n\n2027-03-04 Cuti\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "2027-02-30 Tidak ada\n", -1, NULL));

  g_assert_true (cabut_calendar_load_holidays (calendar, good, &error));
  g_assert_no_error (error);
  g_assert_false (cabut_calendar_load_holidays (calendar, bad, &error));
  g_assert_error (error, CABUT_CALENDAR_ERROR, CABUT_CALENDAR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cabut_calendar_load_holidays (calendar, "/nonexistent/libur.txt", &error));
  g_clear_error (&error);

  /* Tuesday 2 March 2027: Wednesday and Thursday are off, so Friday. */
  tue = g_date_time_new (wita, 2027, 3, 2, 9, 0, 0);
  due = cabut_calendar_get_deadline (calendar, tue, 1);
  g_assert_cmpint (g_date_time_get_day_of_month (due), ==, 5);
  g_assert_cmpint (g_date_time_get_hour (due), ==, 23);

  /* Two working days from there reach Monday 8 March. */
  g_clear_pointer (&due, g_date_time_unref);
  due = cabut_calendar_get_deadline (calendar, tue, 2);
  g_assert_cmpint (g_date_time_get_day_of_month (due), ==, 8);

  g_unlink (good);
  g_unlink (bad);
  g_rmdir (dir);
}

static void
test_reasons (void)
{
  guint n = 0;
  const CabutReasonInfo *reasons = cabut_reason_list (&n);
  gboolean operator_only_seen = FALSE;

  g_assert_cmpuint (n, >=, 5);
  for (guint i = 0; i < n; i++)
    {
      /* Never certificateHold (6); every code is a real CRLReason. */
      g_assert_cmpint (reasons[i].code, !=, 6);
      g_assert_cmpstr (cabut_crl_reason_to_name (reasons[i].code), ==, reasons[i].name);
      g_assert_true (cabut_reason_lookup_name (reasons[i].name) == &reasons[i]);
      g_assert_true (cabut_reason_lookup (reasons[i].code) == &reasons[i]);
      if (reasons[i].operator_only)
        {
          g_assert_cmpstr (reasons[i].name, ==, "privilegeWithdrawn");
          operator_only_seen = TRUE;
        }
    }
  g_assert_true (operator_only_seen);
  g_assert_null (cabut_reason_lookup_name ("certificateHold"));

  /* Both languages from the one catalog, whatever the process locale. */
  g_assert_cmpstr (cabut_reason_get_label_for (cabut_reason_lookup_name ("keyCompromise"), "en"), ==,
                   "My key is lost or known to others");
  g_assert_cmpstr (cabut_reason_get_label_for (cabut_reason_lookup_name ("keyCompromise"), "id"), ==,
                   "Kunci saya hilang atau diketahui orang lain");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_i18n_init ();

  g_test_add_func ("/cabut/calendar/shipped-holidays", test_shipped_holidays);
  g_test_add_func ("/cabut/calendar/custom-holidays", test_custom_holidays);
  g_test_add_func ("/cabut/reason/list", test_reasons);

  return g_test_run ();
}
