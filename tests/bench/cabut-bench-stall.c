/* cabut-bench-stall.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The longest main-loop stall while the wizard sends a letter of about
 * 10 MiB to the demo service, and while the details page checks revocation
 * (OCSP on loopback). Drives the real window in this process, as the UI
 * tests do, with the app's probe on (CABUT_PROBE). Not a test: run by
 * tests/bench/app.sh, which reads its `bench:` lines.
 *
 *   cabut-bench-stall [RUNS]
 */

#include "config.h"

#include <adwaita.h>
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>

#include "cabut-certificate-page.h"
#include "cabut-letter-page.h"
#include "cabut-probe.h"
#include "cabut-wizard-driver.h"

/* Under the service's 10 MiB limit: a page-sized scan of noise, which no
 * compression shrinks (the UI test's big letter, a little taller). */
#define LETTER_WIDTH  1800
#define LETTER_HEIGHT 1930

static char *
make_big_letter (void)
{
  char *path = g_build_filename (cabut_driver_fixture->dir, "surat-hasil-pindai.pdf", NULL);
  cairo_surface_t *pdf = cairo_pdf_surface_create (path, 595.276, 841.890);
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, LETTER_WIDTH, LETTER_HEIGHT);
  guint32 *pixels = (guint32 *) cairo_image_surface_get_data (image);
  int stride = cairo_image_surface_get_stride (image) / 4;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  cairo_t *cr;

  for (int y = 0; y < LETTER_HEIGHT; y++)
    for (int x = 0; x < LETTER_WIDTH; x++)
      pixels[y * stride + x] = g_rand_int (rand) & 0xffffff;
  cairo_surface_mark_dirty (image);

  cr = cairo_create (pdf);
  cairo_scale (cr, 595.276 / LETTER_WIDTH, 841.890 / LETTER_HEIGHT);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_paint (cr);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (pdf);
  g_assert_cmpint (cairo_surface_status (pdf), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (pdf);
  cairo_surface_destroy (image);

  return path;
}

static gboolean
revocation_checked (gpointer data)
{
  GtkWidget *row = cabut_driver_template_child (data, "revocation_row");
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  return subtitle != NULL && *subtitle != '\0' &&
         !gtk_spinner_get_spinning (GTK_SPINNER (cabut_driver_template_child (data, "revocation_spinner")));
}

static gboolean
is_idle (gpointer page)
{
  return !cabut_page_get_busy (page);
}

static void
run_once (guint             run,
          CabutDemoAccount *account,
          GFile            *letter)
{
  g_autofree char *store = g_strdup_printf ("bench-%u", run);
  CabutWindow *window = cabut_driver_open_window (store);
  const char *username = cabut_demo_account_get_username (account);
  CabutPage *page;
  gint64 start;
  gint64 stall;
  gint64 ended_at;

  cabut_driver_spin_for (300);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CERTIFICATE);
  page = cabut_driver_current_page (window);
  cabut_certificate_page_set_file (CABUT_CERTIFICATE_PAGE (page), cabut_demo_account_get_certificate_file (account));
  cabut_driver_spin_until ((CabutDriverCondition) gtk_widget_get_visible,
                           cabut_driver_template_child (page, "password_row"), 20, "the password field");
  cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page),
                                       cabut_demo_account_get_certificate_password (account));
  cabut_driver_wait_complete (page);

  /* Next on the certificate page: the PKCS#12 file is opened, the details
   * page is laid out and starts its revocation check; until its answer. */
  start = g_get_monotonic_time ();
  cabut_probe_stall_start ("details");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_DETAILS);
  cabut_driver_spin_until (revocation_checked, cabut_driver_current_page (window), 30, "the revocation check");
  stall = cabut_probe_stall_report (&ended_at);
  printf ("bench: details run=%u max_stall_us=%" G_GINT64_FORMAT " elapsed_us=%" G_GINT64_FORMAT
          " stall_ended_at=%" G_GINT64_FORMAT "\n", run, stall, g_get_monotonic_time () - start, ended_at);

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_SIGN_IN);
  page = cabut_driver_current_page (window);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (page, "username_row")), username);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (page, "password_row")),
                         cabut_demo_account_get_password (account));
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_wait_complete (cabut_driver_current_page (window));
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);
  page = cabut_driver_current_page (window);
  cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), letter);
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);
  page = cabut_driver_current_page (window);
  cabut_driver_spin_until (is_idle, page, 30, "the check page to read the letter");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_wait_complete (page);
  cabut_driver_spin_for (300);

  /* Send: the outbox copy, the signed metadata, the upload, the receipt. */
  start = g_get_monotonic_time ();
  cabut_probe_stall_start ("upload");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_RECEIPT);
  stall = cabut_probe_stall_report (&ended_at);
  printf ("bench: upload run=%u max_stall_us=%" G_GINT64_FORMAT " elapsed_us=%" G_GINT64_FORMAT
          " stall_ended_at=%" G_GINT64_FORMAT "\n", run, stall, g_get_monotonic_time () - start, ended_at);
  fflush (stdout);

  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_spin_for (200);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) applicants = g_ptr_array_new ();
  g_autoptr(GFile) letter = NULL;
  g_autofree char *path = NULL;
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 3;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("CABUT_PROBE", "1", TRUE);
  if (g_getenv ("CABUT_SERVER_PROGRAM") == NULL && g_getenv ("CABUT_SERVER") != NULL)
    g_setenv ("CABUT_SERVER_PROGRAM", g_getenv ("CABUT_SERVER"), TRUE);
  gtk_init ();
  adw_init ();
  cabut_driver_setup ();

  /* One request per certificate: each run is another applicant. */
  for (guint i = 0; i < g_list_model_get_n_items (cabut_driver_fixture->accounts); i++)
    {
      g_autoptr(CabutDemoAccount) account = g_list_model_get_item (cabut_driver_fixture->accounts, i);

      if (g_str_equal (cabut_demo_account_get_role (account), "applicant") &&
          cabut_demo_account_get_certificate_file (account) != NULL)
        g_ptr_array_add (applicants, account);
    }
  if (runs > applicants->len)
    runs = applicants->len;

  path = make_big_letter ();
  letter = g_file_new_for_path (path);
  {
    g_autoptr(GFileInfo) info = g_file_query_info (letter, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);

    printf ("bench: letter bytes=%" G_GOFFSET_FORMAT " runs=%u\n", g_file_info_get_size (info), runs);
  }

  for (guint i = 0; i < runs; i++)
    run_once (i, g_ptr_array_index (applicants, i), letter);

  cabut_driver_teardown ();

  return 0;
}
