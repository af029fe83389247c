/* cabut-screenshots.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Walks the wizard on the demo service and saves every page as a PNG, as
 * the window draws it; then the service desk's queue, as its officer sees
 * it with a few requests waiting, one of them overdue. Run by build-aux/screenshots.sh for each language,
 * size and style.
 *
 *   cabut-screenshots OUTPUT-DIR PREFIX WIDTH HEIGHT [dark]
 */

#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>

#include "cabut-desk-view.h"
#include "cabut-letter-maker.h"
#include "cabut-test-util.h"
#include "cabut-wizard-driver.h"

static const char *output_dir;
static const char *prefix;

static void
shoot (CabutWindow *window,
       const char  *name,
       gpointer     data)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("%s-%s.png", prefix, name);
  g_autofree char *path = g_build_filename (output_dir, file, NULL);
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  /* Let transitions and spinners settle. */
  cabut_driver_spin_for (700);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Failed to write %s", path);
  g_print ("%s\n", path);

  /* The letter made on that step, for a picture of the letter itself. */
  if (g_str_equal (name, "6-letter-made"))
    {
      GtkWidget *maker = cabut_driver_template_child (cabut_driver_current_page (window), "maker");
      g_autofree char *pdf_name = g_strdup_printf ("%s-letter.pdf", prefix);
      g_autoptr(GFile) copy = g_file_new_build_filename (output_dir, pdf_name, NULL);
      g_autoptr(GError) error = NULL;

      if (!g_file_copy (cabut_letter_maker_get_file (CABUT_LETTER_MAKER (maker)), copy, G_FILE_COPY_OVERWRITE,
                        NULL, NULL, NULL, &error))
        g_error ("Failed to copy the letter: %s", error->message);
    }
}

static gboolean
desk_ready (gpointer data)
{
  CabutQueue *queue = cabut_queue_view_get_queue (cabut_desk_view_get_queue_view (data));

  return cabut_desk_view_get_officer (data) && cabut_queue_get_loaded (queue) && !cabut_queue_get_loading (queue);
}

/* Two more requests (one of them past its deadline), and the desk's queue
 * as the demo's officer sees it. */
static void
shoot_desk (CabutWindow *window)
{
  g_autofree char *siti = cabut_driver_submit ("siti.rahmawati");
  g_autofree char *agus = cabut_driver_submit ("agus.wijaya");
  g_autofree char *db_path = g_build_filename (cabut_demo_service_get_data_dir (cabut_driver_fixture->demo),
                                               "cabut.db", NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE requests SET due_at = CAST(strftime('%%s', 'now') AS INTEGER) "
                                          "- 26 * 3600 WHERE number = '%s'", agus);
  CabutDeskView *desk = CABUT_DESK_VIEW (cabut_window_get_desk_view (window));
  sqlite3 *db = NULL;

  if (sqlite3_open (db_path, &db) != SQLITE_OK || sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("Failed to move a deadline: %s", sqlite3_errmsg (db));
  sqlite3_close (db);

  /* The applicant of the walk is still signed in: the desk says so. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", NULL);
  shoot (window, "desk-sign-in", NULL);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (desk, "username_row")), "dewi.verifikator");
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (desk, "password_row")),
                         cabut_demo_account_get_password (cabut_driver_demo_account ("dewi.verifikator")));
  g_signal_emit_by_name (cabut_desk_view_get_sign_in_button (desk), "clicked");
  cabut_driver_spin_until (desk_ready, desk, 60, "the desk's queue");
  gtk_widget_grab_focus (GTK_WIDGET (cabut_queue_view_get_column_view (cabut_desk_view_get_queue_view (desk))));
  shoot (window, "desk-queue", NULL);
}

int
main (int   argc,
      char *argv[])
{
  CabutWindow *window;
  int width, height;

  if (argc < 5)
    {
      g_printerr ("usage: %s OUTPUT-DIR PREFIX WIDTH HEIGHT [dark]\n", argv[0]);
      return 2;
    }
  output_dir = argv[1];
  prefix = argv[2];
  width = atoi (argv[3]);
  height = atoi (argv[4]);

  cabut_i18n_init ();
  gtk_init ();
  adw_init ();
  /* GNOME's own title-bar buttons, not Xvfb's. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  if (argc > 5 && g_str_equal (argv[5], "dark"))
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  cabut_driver_setup ();
  cabut_driver_fixture->width = width;
  cabut_driver_fixture->height = height;
  window = cabut_driver_open_window ("screenshots");
  cabut_driver_walk (window, "budi.santoso", shoot, NULL);
  shoot_desk (window);

  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_teardown ();

  return 0;
}
