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
#include <stdio.h>
#include <stdlib.h>

#include "cabut-certificate-page.h"
#include "cabut-letter-page.h"
#include "cabut-probe.h"
#include "cabut-wizard-driver.h"

/* Under the service's 10 MiB limit: a page-sized scan of noise, which no
 * compression shrinks (the UI test's big letter, a little taller). */
#define LETTER_HEIGHT 1930

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
  cabut_driver_spin_until (cabut_driver_revocation_checked, cabut_driver_current_page (window), 30, "the revocation check");
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
  cabut_driver_spin_until (cabut_driver_is_idle, page, 30, "the check page to read the letter");
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

  path = cabut_driver_make_big_letter (LETTER_HEIGHT);
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
