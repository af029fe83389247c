/* test-desk-filing.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Filing at the desk in the app against the real service (as `cabut
 * --demo` starts it): dewi.verifikator files for budi.santoso with budi's
 * PKCS#12 file (its password asked for), a letter made from his
 * certificate, printed (exported) and "signed"; the request is in budi's
 * own list with dewi as `filed_by`; filing for another officer is refused
 * with the service's message. With $CABUT_DESK_SHOTS set, the form is also
 * saved there as a PNG. */

#include "config.h"

#include <adwaita.h>

#include "cabut-desk-filing.h"
#include "cabut-letter-maker.h"
#include "cabut-util.h"
#include "cabut-wizard-driver.h"

/* The app's (and the service's) message @msgid in the language the test runs in. */
#define T(msgid) g_dgettext (GETTEXT_PACKAGE, msgid)

static void
shoot (GtkWidget  *window,
       const char *name)
{
  const char *dir = g_getenv ("CABUT_DESK_SHOTS");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  file = g_strdup_printf ("%s-%s.png", g_getenv ("LANGUAGE"), name);
  path = g_build_filename (dir, file, NULL);
  cabut_driver_save_png (window, path);
}

static gboolean
maker_done (gpointer maker)
{
  return !cabut_letter_maker_get_busy (maker) && cabut_letter_maker_get_file (maker) != NULL;
}

static void
test_file_for_applicant (void)
{
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  CabutDemoAccount *budi = cabut_driver_demo_account ("budi.santoso");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *filing = cabut_desk_filing_new (context);
  GtkWidget *button = cabut_driver_template_child (filing, "file_button");
  CabutLetterMaker *maker;
  CabutRequest *request;
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(GFile) printed = NULL;
  g_autoptr(GFile) scan = NULL;
  g_autofree char *id = NULL;
  g_autofree char *printed_path = NULL;
  gboolean found = FALSE;

  gtk_window_set_child (GTK_WINDOW (window), filing);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 1000);
  gtk_window_present (GTK_WINDOW (window));
  cabut_driver_wait_not_busy (filing);
  g_assert_false (gtk_widget_get_sensitive (button));

  /* Budi at the desk with his PKCS#12 file: its password is asked for. */
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (filing, "username_row")), "budi.santoso");
  cabut_desk_filing_set_certificate_file (CABUT_DESK_FILING (filing), cabut_demo_account_get_certificate_file (budi));
  cabut_driver_wait_not_busy (filing);
  g_assert_null (cabut_desk_filing_get_certificate (CABUT_DESK_FILING (filing)));
  g_assert_true (gtk_widget_get_visible (cabut_driver_template_child (filing, "password_row")));
  g_assert_nonnull (cabut_driver_shown_label (filing, "message_label"));
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (filing, "password_row")),
                         cabut_demo_account_get_certificate_password (budi));
  g_signal_emit_by_name (cabut_driver_template_child (filing, "password_row"), "apply");
  cabut_driver_wait_not_busy (filing);
  g_assert_nonnull (cabut_desk_filing_get_certificate (CABUT_DESK_FILING (filing)));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (filing, "password_row")));
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (filing, "message_label")));
  g_assert_true (gtk_widget_get_visible (cabut_driver_template_child (filing, "holder_row")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (cabut_driver_template_child (filing,
                                                                                                     "holder_row"))),
                   ==, "Budi Santoso, S.Kom.");
  {
    g_autofree char *nip = g_strdup_printf (T ("NIP/NIK %s"), "9973010101850001");
    g_autofree char *serial = g_strdup_printf (T ("serial number %s"), cabut_certificate_get_serial (
                                                 cabut_desk_filing_get_certificate (CABUT_DESK_FILING (filing))));
    g_autofree char *expected = g_strdup_printf ("%s · Dinas Komunikasi dan Informatika · Pemerintah Kota Contoh\n%s",
                                                 nip, serial);

    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (cabut_driver_template_child (filing, "holder_row"))),
                     ==, expected);
  }
  cabut_driver_choose_reason (cabut_driver_template_child (filing, "reason_row"), "superseded");
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (filing, "note_row")),
                         "Pindah tugas; datang sendiri ke loket.");

  /* The letter, made from his certificate and printed on the spot. */
  maker = CABUT_LETTER_MAKER (cabut_desk_filing_get_letter_maker (CABUT_DESK_FILING (filing)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (maker)));
  cabut_letter_form_set_place (cabut_letter_maker_get_form (maker), "Bandung");
  cabut_letter_maker_create (maker);
  cabut_driver_spin_until (maker_done, maker, 30, "the letter");
  printed_path = g_build_filename (cabut_driver_fixture->dir, "printed-at-desk.pdf", NULL);
  printed = g_file_new_for_path (printed_path);
  cabut_letter_maker_export (maker, printed);
  g_assert_true (g_file_test (printed_path, G_FILE_TEST_IS_REGULAR));
  scan = cabut_driver_scan_letter (cabut_letter_maker_get_file (maker));
  cabut_desk_filing_set_scan (CABUT_DESK_FILING (filing), scan);
  g_assert_true (gtk_widget_get_sensitive (button));
  shoot (window, "desk-filing");

  /* Filed: the receipt line names the request, the officer and budi. */
  g_signal_emit_by_name (button, "clicked");
  cabut_driver_wait_not_busy (filing);
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (filing, "message_label")));
  request = cabut_desk_filing_get_request (CABUT_DESK_FILING (filing));
  g_assert_nonnull (request);
  id = g_strdup (cabut_request_get_id (request));
  g_assert_cmpstr (cabut_request_get_filed_by_username (request), ==, "dewi.verifikator");
  g_assert_cmpstr (cabut_request_get_applicant_username (request), ==, "budi.santoso");
  g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_SUBMITTED);
  g_assert_cmpint (cabut_request_get_letter_match (request), ==, CABUT_LETTER_MATCH_YES);
  /* His PKCS#12 file holds his key: the filing proves possession too. */
  g_assert_true (cabut_request_get_key_possession (request));
  {
    g_autofree char *when = cabut_format_date_time (cabut_request_get_created_at (request));
    g_autofree char *expected = g_strdup_printf (T ("Request %s filed by %s for %s (%s) on %s. The applicant sees it in "
                                                    "their requests and is told of each step."),
                                                 id, "Dewi Lestari, S.T.", "Budi Santoso, S.Kom.", "budi.santoso", when);

    g_assert_cmpstr (cabut_driver_shown_label (filing, "receipt_label"), ==, expected);
  }
  /* His account, as the service holds it (the request's dossier). */
  {
    GtkWidget *account = cabut_driver_template_child (filing, "account_row");
    g_autofree char *nip = g_strdup_printf (T ("NIP %s"), "198501012010011001");
    g_autofree char *expected = NULL;

    g_assert_true (gtk_widget_get_visible (account));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (account)), ==, "Budi Santoso, S.Kom.");
    expected = g_strdup_printf ("%s · Pranata Komputer Ahli Muda · Dinas Komunikasi dan Informatika · "
                                "Pemerintah Kota Contoh", nip);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (account)), ==, expected);
  }
  /* Scrolled down to the receipt. */
  {
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (filing)));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    shoot (window, "desk-filed");
  }

  /* In budi's own list, filed by dewi. */
  requests = cabut_driver_requests_of ("budi.santoso");
  for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
    {
      g_autoptr(CabutRequest) mine = g_list_model_get_item (requests, i);

      if (g_str_equal (cabut_request_get_id (mine), id))
        {
          found = TRUE;
          g_assert_cmpstr (cabut_request_get_filed_by_username (mine), ==, "dewi.verifikator");
          g_assert_cmpstr (cabut_request_get_reason (mine), ==, "superseded");
        }
    }
  g_assert_true (found);

  /* For another officer: refused with the service's message; the form stays. */
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (filing, "username_row")), "rina.verifikator");
  g_assert_false (gtk_widget_get_visible (cabut_driver_template_child (filing, "account_row")));
  g_signal_emit_by_name (button, "clicked");
  cabut_driver_wait_not_busy (filing);
  {
    g_autofree char *refusal = g_strdup_printf (T ("%s is an officer: an officer files at the desk only for "
                                                   "applicants"), "rina.verifikator");

    g_assert_cmpstr (cabut_driver_shown_label (filing, "message_label"), ==, refusal);
  }
  g_assert_cmpstr (cabut_request_get_id (cabut_desk_filing_get_request (CABUT_DESK_FILING (filing))), ==, id);
  g_assert_true (gtk_widget_get_sensitive (button));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (g_getenv ("LANGUAGE") == NULL)
    g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("CABUT_SERVER_PROGRAM", g_getenv ("CABUT_SERVER"), TRUE);
  cabut_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cabut_driver_setup ();

  g_test_add_func ("/cabut/desk-filing/file-for-applicant", test_file_for_applicant);
  status = g_test_run ();

  cabut_driver_teardown ();

  return status;
}
