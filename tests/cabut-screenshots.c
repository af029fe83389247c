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

#include "cabut-certificate-page.h"
#include "cabut-letter-page.h"
#include "cabut-wizard-driver.h"

static const char *output_dir;
static const char *prefix;

static void
shoot (CabutWindow *window,
       const char  *name)
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
}

static gboolean
revocation_checked (gpointer data)
{
  GtkWidget *row = cabut_driver_template_child (data, "revocation_row");
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  return subtitle != NULL && *subtitle != '\0' &&
         !gtk_spinner_get_spinning (GTK_SPINNER (cabut_driver_template_child (data, "revocation_spinner")));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GFile) letter = NULL;
  CabutWindow *window;
  CabutPage *page;
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

  gtk_init ();
  adw_init ();
  if (argc > 5 && g_str_equal (argv[5], "dark"))
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  cabut_driver_setup ();
  window = cabut_driver_open_window ("screenshots");
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  cabut_driver_spin_for (500);
  shoot (window, "1-welcome");

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CERTIFICATE);
  page = cabut_driver_current_page (window);
  cabut_certificate_page_set_file (CABUT_CERTIFICATE_PAGE (page),
                                   cabut_demo_account_get_certificate_file (cabut_driver_demo_account ("budi.santoso")));
  cabut_driver_spin_until ((CabutDriverCondition) gtk_widget_get_visible,
                           cabut_driver_template_child (page, "password_row"), 20, "the password field");
  cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page), "sandi-yang-salah");
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_spin_until (cabut_driver_label_has_text, cabut_driver_template_child (page, "error_label"), 20,
                           "the wrong password");
  shoot (window, "2-certificate-wrong-password");

  cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page),
                                       cabut_demo_account_get_certificate_password (cabut_driver_demo_account ("budi.santoso")));
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_DETAILS);
  cabut_driver_spin_until (revocation_checked, cabut_driver_current_page (window), 30, "the revocation check");
  shoot (window, "3-details");

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_SIGN_IN);
  page = cabut_driver_current_page (window);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (page, "username_row")), "budi.santoso");
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (page, "password_row")),
                         cabut_demo_account_get_password (cabut_driver_demo_account ("budi.santoso")));
  shoot (window, "4-sign-in");

  /* As if chosen on the reason page, which shows what the draft holds. */
  cabut_draft_set_reason (cabut_context_get_draft (cabut_window_get_context (window)), "keyCompromise");
  cabut_draft_set_note (cabut_context_get_draft (cabut_window_get_context (window)),
                        "Laptop dinas berisi berkas sertifikat hilang di kereta pada 1 Desember 2026.");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  shoot (window, "5-reason");

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);
  page = cabut_driver_current_page (window);
  letter = g_file_new_for_path (cabut_driver_fixture->letter_pdf);
  cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), letter);
  cabut_driver_wait_complete (page);
  shoot (window, "6-letter");

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);
  page = cabut_driver_current_page (window);
  cabut_driver_spin_for (500);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_wait_complete (page);
  shoot (window, "7-check");

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_RECEIPT);
  shoot (window, "8-receipt");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
  cabut_driver_spin_for (1000);
  shoot (window, "9-my-requests");

  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_teardown ();

  return 0;
}
