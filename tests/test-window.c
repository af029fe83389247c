/* test-window.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "cabut-window.h"

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_until_mapped (GtkWidget *widget)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (!gtk_widget_get_mapped (widget) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static GtkWidget *
find_status_page (GtkWidget *widget)
{
  if (ADW_IS_STATUS_PAGE (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_status_page (child);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_window_opens (void)
{
  GtkWidget *window = g_object_new (CABUT_TYPE_WINDOW, NULL);
  GtkWidget *status;

  gtk_window_present (GTK_WINDOW (window));
  spin_until_mapped (window);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Cabut");
  status = find_status_page (window);
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==,
                   "Revoke an Electronic Certificate");
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (status)), ==, "io.github.cabut.Cabut");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_resources (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/cabut/Cabut/gtk/help-overlay.ui");
  g_autoptr(GBytes) icon = g_resources_lookup_data ("/io/github/cabut/Cabut/icons/scalable/apps/io.github.cabut.Cabut.svg",
                                                    0, NULL);

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  g_assert_nonnull (icon);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/cabut/window/opens", test_window_opens);
  g_test_add_func ("/cabut/window/resources", test_resources);

  return g_test_run ();
}
