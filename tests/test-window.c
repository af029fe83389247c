/* test-window.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "cabut-test-util.h"
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

static void
test_window_opens (void)
{
  g_autofree char *data = g_dir_make_tmp ("cabut-window-XXXXXX", NULL);
  GtkWidget *window;
  CabutAssistant *assistant;
  CabutPage *page;

  g_setenv ("XDG_DATA_HOME", data, TRUE);
  window = GTK_WIDGET (cabut_window_new (NULL, NULL));
  gtk_window_present (GTK_WINDOW (window));
  spin_until_mapped (window);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Cabut");
  assistant = cabut_window_get_assistant (CABUT_WINDOW (window));
  page = cabut_assistant_get_current_page (assistant);
  g_assert_nonnull (page);
  g_assert_cmpint (cabut_page_get_step (page), ==, CABUT_DRAFT_STEP_WELCOME);
  g_assert_cmpstr (cabut_page_get_title (page), ==, "Before You Start");
  g_assert_true (cabut_page_get_complete (page));
  g_assert_true (gtk_widget_get_visible (cabut_assistant_get_next_button (assistant)));
  g_assert_true (gtk_widget_get_sensitive (cabut_assistant_get_next_button (assistant)));

  gtk_window_destroy (GTK_WINDOW (window));
  cabut_test_rm_rf (data);
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
