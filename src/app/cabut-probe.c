/* cabut-probe.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dormant measuring points for tests/bench/app.sh. Nothing happens unless
 * CABUT_PROBE is set in the environment; then each event prints one line on
 * stderr, `cabut-probe: EVENT <µs>`, with g_get_monotonic_time () (which is
 * CLOCK_MONOTONIC, so a launcher can compare it with its own clock), and a
 * 5 ms timer watches the main loop for its longest stall.
 */

#define G_LOG_DOMAIN "cabut-probe"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cabut-probe.h"

#define STALL_PERIOD_MS 5

static struct
{
  GHashTable *marked;        /* events already printed */
  char       *stall_label;
  guint       stall_id;
  gint64      stall_last;    /* when the timer last ran */
  gint64      stall_max;     /* the longest gap beyond the period, µs */
  gint64      stall_max_end; /* when it ended */
} probe;

static void
print_stall (void)
{
  fprintf (stderr, "cabut-probe: max-stall %" G_GINT64_FORMAT " during %s\n", probe.stall_max, probe.stall_label);
  fflush (stderr);
}

static void
print_stall_at_exit (void)
{
  if (probe.stall_id != 0)
    print_stall ();
}

static gboolean
stall_tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - probe.stall_last - STALL_PERIOD_MS * 1000;

  if (late > probe.stall_max)
    {
      probe.stall_max = late;
      probe.stall_max_end = now;
    }
  probe.stall_last = now;

  return G_SOURCE_CONTINUE;
}

static void
surface_mapped_cb (GdkSurface *surface)
{
  if (gdk_surface_get_mapped (surface))
    cabut_probe_mark ("window-mapped");
}

static void
window_mapped_cb (GtkWidget *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  /* The widget is mapped first; the surface once the X server said so. */
  if (gdk_surface_get_mapped (surface))
    cabut_probe_mark ("window-mapped");
  else
    g_signal_connect (surface, "notify::mapped", G_CALLBACK (surface_mapped_cb), NULL);
}

/** cabut_probe_enabled: Returns: whether CABUT_PROBE is set (looked up once) */
gboolean
cabut_probe_enabled (void)
{
  static gsize enabled;

  if (g_once_init_enter (&enabled))
    g_once_init_leave (&enabled, g_getenv ("CABUT_PROBE") != NULL ? 2 : 1);

  return enabled == 2;
}

/**
 * cabut_probe_mark:
 *
 * Prints `cabut-probe: @event <µs>` the first time @event happens (main
 * thread only). Starts the stall monitor for the whole session, too.
 */
void
cabut_probe_mark (const char *event)
{
  if (!cabut_probe_enabled ())
    return;

  if (probe.marked == NULL)
    probe.marked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_add (probe.marked, g_strdup (event)))
    return;

  fprintf (stderr, "cabut-probe: %s %" G_GINT64_FORMAT "\n", event, g_get_monotonic_time ());
  fflush (stderr);

  if (probe.stall_id == 0)
    cabut_probe_stall_start ("session");
}

/** cabut_probe_watch_window: marks `window-mapped` when @window is first on screen */
void
cabut_probe_watch_window (GtkWindow *window)
{
  if (!cabut_probe_enabled ())
    return;

  g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), NULL);
}

/**
 * cabut_probe_stall_start:
 *
 * Watches the default main context for its longest stall from now on, as
 * @label: a timer every 5 ms, at high priority, notes how late it runs.
 * The figure is printed by cabut_probe_stall_report(), or at exit.
 */
void
cabut_probe_stall_start (const char *label)
{
  static gboolean at_exit;

  if (!cabut_probe_enabled ())
    return;

  g_free (probe.stall_label);
  probe.stall_label = g_strdup (label);
  probe.stall_max = 0;
  probe.stall_max_end = 0;
  probe.stall_last = g_get_monotonic_time ();
  if (probe.stall_id == 0)
    probe.stall_id = g_timeout_add_full (G_PRIORITY_HIGH, STALL_PERIOD_MS, stall_tick_cb, NULL, NULL);
  if (!at_exit)
    at_exit = atexit (print_stall_at_exit) == 0;
}

/**
 * cabut_probe_stall_report:
 *
 * @ended_at: (out) (optional): when the longest stall ended (monotonic µs)
 *
 * Prints `cabut-probe: max-stall <µs> during LABEL` and starts counting
 * afresh under the same label.
 *
 * Returns: the longest stall in µs, or -1 when the probe is off
 */
gint64
cabut_probe_stall_report (gint64 *ended_at)
{
  gint64 max;

  if (!cabut_probe_enabled () || probe.stall_id == 0)
    return -1;

  /* A stall still going on counts too. */
  stall_tick_cb (NULL);
  max = probe.stall_max;
  if (ended_at != NULL)
    *ended_at = probe.stall_max_end;
  print_stall ();
  probe.stall_max = 0;

  return max;
}
