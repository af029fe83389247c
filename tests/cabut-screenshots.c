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

#include "cabut-audit-view.h"
#include "cabut-desk-view.h"
#include "cabut-letter-maker.h"
#include "cabut-test-util.h"
#include "cabut-wizard-driver.h"

static const char *output_dir;
static const char *prefix;

static void
shoot_widget (GtkWidget  *window,
              const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s-%s.png", prefix, name);
  g_autofree char *path = g_build_filename (output_dir, file, NULL);

  cabut_driver_save_png (GTK_WIDGET (window), path);
  g_print ("%s\n", path);
}

static void
shoot (CabutWindow *window,
       const char  *name,
       gpointer     data)
{
  shoot_widget (GTK_WIDGET (window), name);

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

/* The statement letter Cabut makes for @applicant (cabut-cli make-letter,
 * beside the service's program), as they would print, sign and scan it. */
static char *
make_letter (const char *applicant,
             const char *reason)
{
  CabutDemoAccount *account = cabut_driver_demo_account (applicant);
  g_autofree char *bin = g_path_get_dirname (g_getenv ("CABUT_SERVER_PROGRAM"));
  g_autofree char *cli = g_build_filename (bin, "cabut-cli", NULL);
  g_autofree char *cert = g_file_get_path (cabut_demo_account_get_certificate_file (account));
  char *path = g_build_filename (cabut_driver_fixture->dir, "surat-siti.pdf", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "CABUT_SHOT_PW", cabut_demo_account_get_password (account), TRUE);
  g_subprocess_launcher_setenv (launcher, "CABUT_SHOT_P12", cabut_demo_account_get_certificate_password (account),
                                TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, cli, "--server", cabut_driver_fixture->url,
                                         "--user", applicant, "--password-env", "CABUT_SHOT_PW", "make-letter",
                                         "--cert", cert, "--cert-password-env", "CABUT_SHOT_P12",
                                         "--reason", reason,
                                         "--chronology", "Pindah tugas ke Badan Kepegawaian Daerah mulai 1 Desember 2026.",
                                         "-o", path, NULL);
  if (process == NULL || !g_subprocess_wait_check (process, NULL, &error))
    g_error ("Failed to make the letter: %s", error->message);

  return path;
}

static gboolean
review_settled (gpointer data)
{
  const char *confirmation = cabut_review_page_get_confirmation (data);

  return !cabut_review_page_get_busy (data) && confirmation != NULL && !g_str_has_suffix (confirmation, "…");
}

/* The desk: an officer reviews siti's request, with the letter Cabut made
 * for her, then a request whose account no longer matches, and decides. */
static void
shoot_review (void)
{
  g_autofree char *letter = make_letter ("siti.rahmawati", "affiliationChanged");
  g_autofree char *id = cabut_driver_file_request ("siti.rahmawati", "affiliationChanged", letter);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (context, id, &window);
  GtkWidget *dialog;

  shoot_widget (GTK_WIDGET (window), "desk-review-1-dossier");

  gtk_widget_activate_action (GTK_WIDGET (page), "review.take", NULL);
  cabut_driver_spin_for (300);
  cabut_driver_wait_review (page);
  gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-in", NULL);
  shoot_widget (GTK_WIDGET (window), "desk-review-2-in-review-zoomed");
  gtk_widget_activate_action (GTK_WIDGET (page), "review.zoom-fit", NULL);

  gtk_widget_activate_action (GTK_WIDGET (page), "review.reject", NULL);
  dialog = cabut_review_page_get_reject_dialog (page);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_find_named (dialog, "cause-data")), TRUE);
  shoot_widget (dialog, "desk-review-3-reject");
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_widget_activate_action (GTK_WIDGET (page), "review.approve", NULL);
  dialog = cabut_driver_wait_for_dialog ();
  shoot_widget (dialog, "desk-review-4-approve");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "approve");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cabut_driver_spin_until (review_settled, page, 60, "the CA's answer");
  cabut_driver_wait_review (page);
  shoot_widget (GTK_WIDGET (window), "desk-review-5-approved");
  gtk_window_destroy (window);
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

  /* The desk's complaints, a section beside the queue. */
  {
    GtkWidget *complaints = cabut_desk_view_get_section (desk, "complaints");
    AdwViewStack *sections = ADW_VIEW_STACK (gtk_widget_get_parent (complaints));

    adw_view_stack_set_visible_child (sections, complaints);
    cabut_driver_spin_until (cabut_driver_is_not_busy, complaints, 30, "the desk's complaints");
    shoot (window, "desk-complaints", NULL);
    adw_view_stack_set_visible_child_name (sections, "queue");
  }

  /* Withdrawn again: the review's shots file for siti anew. */
  cabut_driver_cancel ("siti.rahmawati", siti);
  cabut_driver_cancel ("agus.wijaya", agus);
}

static gboolean
review_idle (gpointer data)
{
  return !cabut_review_page_get_busy (data);
}

/* Second approval: dewi proposes to approve agus's request and waits; rina
 * sees the proposal, to confirm or decline. */
static void
shoot_second_approval (void)
{
  g_autofree char *id = NULL;
  g_autoptr(CabutContext) dewi = NULL;
  g_autoptr(CabutContext) rina = NULL;
  GtkWindow *window = NULL;
  CabutReviewPage *page;
  GtkWidget *dialog;

  cabut_driver_set_second_approval (TRUE);
  id = cabut_driver_file_request ("agus.wijaya", "affiliationChanged", cabut_driver_fixture->letter_pdf);
  dewi = cabut_driver_context_of ("dewi.verifikator");
  rina = cabut_driver_context_of ("rina.verifikator");
  cabut_driver_spin_for (500);

  page = cabut_driver_open_review (dewi, id, &window);
  gtk_widget_activate_action (GTK_WIDGET (page), "review.approve", NULL);
  dialog = cabut_driver_wait_for_dialog ();
  shoot_widget (dialog, "desk-approval-1-propose");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "approve");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cabut_driver_spin_until (review_idle, page, 60, "the proposal");
  cabut_driver_wait_review (page);
  shoot_widget (GTK_WIDGET (window), "desk-approval-2-waiting");
  gtk_window_destroy (window);

  page = cabut_driver_open_review (rina, id, &window);
  shoot_widget (GTK_WIDGET (window), "desk-approval-3-pending");
  gtk_widget_activate_action (GTK_WIDGET (page), "review.confirm", NULL);
  dialog = cabut_driver_wait_for_dialog ();
  shoot_widget (dialog, "desk-approval-4-confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);
  cabut_driver_set_second_approval (FALSE);
}

static gboolean
audit_idle (gpointer data)
{
  return !cabut_audit_view_get_busy (data);
}

/* The audit log as the administrator sees it, then filtered by an officer. */
static void
shoot_audit (void)
{
  g_autoptr(CabutContext) admin = cabut_driver_context_of ("admin");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = cabut_audit_view_new (admin);

  gtk_window_set_title (GTK_WINDOW (window), "Cabut");
  gtk_window_set_default_size (GTK_WINDOW (window), cabut_driver_fixture->width, cabut_driver_fixture->height);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  cabut_driver_spin_until (audit_idle, view, 30, "the audit log");
  cabut_driver_spin_for (300);
  shoot_widget (window, "desk-audit-1-log");

  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (view, "actor_entry")), "dewi.verifikator");
  cabut_audit_view_refresh (CABUT_AUDIT_VIEW (view));
  cabut_driver_spin_until (audit_idle, view, 30, "the filtered audit log");
  cabut_driver_spin_for (300);
  shoot_widget (window, "desk-audit-2-filtered");
  gtk_window_destroy (GTK_WINDOW (window));
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
  shoot_review ();
  shoot_second_approval ();
  shoot_audit ();
  cabut_driver_teardown ();

  return 0;
}
