/* cabut-screenshots.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Walks the wizard on the demo service and saves every page as a PNG, as
 * the window draws it. Run by build-aux/screenshots.sh for each language,
 * size and style.
 *
 *   cabut-screenshots OUTPUT-DIR PREFIX WIDTH HEIGHT [dark]
 */

#include "config.h"

#include <adwaita.h>

#include "cabut-letter-maker.h"
#include "cabut-wizard-driver.h"

static const char *output_dir;
static const char *prefix;

static void
shoot (CabutWindow *window,
       const char  *name,
       gpointer     data)
{
  g_autofree char *file = g_strdup_printf ("%s-%s.png", prefix, name);
  g_autofree char *path = g_build_filename (output_dir, file, NULL);

  cabut_driver_save_png (GTK_WIDGET (window), path);
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

  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_teardown ();

  return 0;
}
