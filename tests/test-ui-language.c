/* test-ui-language.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every page of the wizard in Bahasa Indonesia: walks the whole request
 * with LANGUAGE=id and fails on any text on screen that is one of our
 * English messages left untranslated; then the service desk, its sign-in
 * form refusing an applicant and its queue.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cabut-desk-view.h"
#include "cabut-wizard-driver.h"

typedef struct
{
  GPtrArray *texts;       /* every text on the page, for the report */
  GPtrArray *untranslated;
} Scan;

static void
check_text (Scan       *scan,
            const char *where,
            const char *text)
{
  const char *translated;

  if (text == NULL || *text == '\0')
    return;

  g_ptr_array_add (scan->texts, g_strdup (text));

  /* An English message of ours on screen, where Indonesian was due. */
  translated = cabut_i18n_translate_for (text, "id");
  if (translated != text && g_strcmp0 (translated, text) != 0)
    g_ptr_array_add (scan->untranslated, g_strdup_printf ("%s: “%s”", where, text));
}

static void
scan_widget (Scan       *scan,
             const char *page,
             GtkWidget  *widget)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (GTK_IS_LABEL (widget))
    check_text (scan, page, gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_BUTTON (widget))
    check_text (scan, page, gtk_button_get_label (GTK_BUTTON (widget)));
  if (ADW_IS_PREFERENCES_ROW (widget))
    check_text (scan, page, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (ADW_IS_ACTION_ROW (widget))
    check_text (scan, page, adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  if (ADW_IS_PREFERENCES_GROUP (widget))
    {
      check_text (scan, page, adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)));
      check_text (scan, page, adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget)));
    }
  if (ADW_IS_STATUS_PAGE (widget))
    {
      check_text (scan, page, adw_status_page_get_title (ADW_STATUS_PAGE (widget)));
      check_text (scan, page, adw_status_page_get_description (ADW_STATUS_PAGE (widget)));
    }
  if (ADW_IS_WINDOW_TITLE (widget))
    check_text (scan, page, adw_window_title_get_title (ADW_WINDOW_TITLE (widget)));
  if (gtk_widget_get_tooltip_text (widget) != NULL)
    check_text (scan, page, gtk_widget_get_tooltip_text (widget));

  /* Only what is on screen: the visible page of each stack. */
  if (GTK_IS_STACK (widget))
    {
      GtkWidget *child = gtk_stack_get_visible_child (GTK_STACK (widget));

      if (child != NULL)
        scan_widget (scan, page, child);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    scan_widget (scan, page, child);
}

static void
check_page (CabutWindow *window,
            const char  *name,
            gpointer     data)
{
  Scan *scan = data;
  guint before = scan->texts->len;

  scan_widget (scan, name, GTK_WIDGET (window));
  g_test_message ("%s: %u texts", name, scan->texts->len - before);
  /* Each page has its own words to show. */
  g_assert_cmpuint (scan->texts->len - before, >, 3);
}

static void
test_every_page_in_indonesian (void)
{
  CabutWindow *window = cabut_driver_open_window ("bahasa");
  Scan scan = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  gboolean seen_next = FALSE;

  cabut_driver_walk (window, "budi.santoso", check_page, &scan);
  gtk_window_destroy (GTK_WINDOW (window));

  /* The scan would catch English: it does read the Indonesian. */
  for (guint i = 0; i < scan.texts->len; i++)
    seen_next |= g_str_equal (g_ptr_array_index (scan.texts, i), "Sela_njutnya") ||
                 g_str_equal (g_ptr_array_index (scan.texts, i), "Selanjutnya");
  g_assert_true (seen_next);
  g_assert_cmpstr (cabut_i18n_translate_for ("Before You Start", "id"), ==, "Sebelum Memulai");

  for (guint i = 0; i < scan.untranslated->len; i++)
    g_test_message ("untranslated: %s", (char *) g_ptr_array_index (scan.untranslated, i));
  g_assert_cmpuint (scan.untranslated->len, ==, 0);

  g_ptr_array_unref (scan.texts);
  g_ptr_array_unref (scan.untranslated);
}

/* The desk's review page and its dialogs, in Bahasa Indonesia: the
 * service's check labels too (asked for in the app's language). */
static void
test_review_page_in_indonesian (void)
{
  g_autofree char *letter = cabut_driver_make_two_page_letter (cabut_driver_fixture->dir);
  g_autofree char *id = cabut_driver_file_request ("siti.rahmawati", "superseded", letter);
  g_autoptr(CabutContext) context = cabut_driver_context_of ("dewi.verifikator");
  Scan scan = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  GtkWindow *window = NULL;
  CabutReviewPage *page = cabut_driver_open_review (context, id, &window);
  GtkWidget *dialog;

  scan_widget (&scan, "review", GTK_WIDGET (window));
  gtk_widget_activate_action (GTK_WIDGET (page), "review.reject", NULL);
  dialog = cabut_review_page_get_reject_dialog (page);
  cabut_driver_spin_for (300);
  scan_widget (&scan, "reject", dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_widget_activate_action (GTK_WIDGET (page), "review.approve", NULL);
  dialog = cabut_driver_wait_for_dialog ();
  scan_widget (&scan, "approve", dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);

  g_test_message ("%u texts", scan.texts->len);
  g_assert_cmpuint (scan.texts->len, >, 60);
  g_assert_true (g_ptr_array_find_with_equal_func (scan.texts, "Nomor seri di registri", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (scan.texts, "Sesuai", g_str_equal, NULL));
  for (guint i = 0; i < scan.untranslated->len; i++)
    g_test_message ("untranslated: %s", (char *) g_ptr_array_index (scan.untranslated, i));
  g_assert_cmpuint (scan.untranslated->len, ==, 0);

  g_ptr_array_unref (scan.texts);
  g_ptr_array_unref (scan.untranslated);
  cabut_driver_reject (id, "Diuji ulang.");
}

static gboolean
desk_said (gpointer desk)
{
  return *cabut_desk_view_get_status (desk) != '\0' && !g_str_equal (cabut_desk_view_get_status (desk), "Sedang masuk…");
}

static gboolean
queue_shown (gpointer desk)
{
  CabutQueue *queue = cabut_queue_view_get_queue (cabut_desk_view_get_queue_view (desk));

  return cabut_desk_view_get_officer (desk) && cabut_queue_get_loaded (queue) && !cabut_queue_get_loading (queue) &&
         cabut_queue_get_counts (queue) != NULL;
}

static void
sign_in_on_desk (CabutDeskView *desk,
                 const char    *username)
{
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (desk, "username_row")), username);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (desk, "password_row")),
                         cabut_demo_account_get_password (cabut_driver_demo_account (username)));
  g_signal_emit_by_name (cabut_desk_view_get_sign_in_button (desk), "clicked");
}

static void
test_desk_in_indonesian (void)
{
  g_autofree char *id = cabut_driver_submit ("siti.rahmawati");
  CabutWindow *window = cabut_driver_open_window ("bahasa-desk");
  CabutDeskView *desk = CABUT_DESK_VIEW (cabut_window_get_desk_view (window));
  Scan scan = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", NULL);
  sign_in_on_desk (desk, "agus.wijaya");
  cabut_driver_spin_until (desk_said, desk, 60, "the applicant refused");
  check_page (window, "desk-sign-in", &scan);
  g_assert_true (g_str_has_prefix (cabut_desk_view_get_status (desk), "Hanya petugas verifikasi"));

  sign_in_on_desk (desk, "dewi.verifikator");
  cabut_driver_spin_until (queue_shown, desk, 60, "the queue");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cabut_queue_view_get_queue (
                      cabut_desk_view_get_queue_view (desk)))), ==, 1);
  check_page (window, "desk-queue", &scan);

  cabut_desk_view_show_request (desk, id);
  check_page (window, "desk-review", &scan);

  for (guint i = 0; i < scan.untranslated->len; i++)
    g_test_message ("untranslated: %s", (char *) g_ptr_array_index (scan.untranslated, i));
  g_assert_cmpuint (scan.untranslated->len, ==, 0);
  /* The scan did read the desk's own words. */
  g_assert_true (g_ptr_array_find_with_equal_func (scan.texts, "Antrean", g_str_equal, NULL) ||
                 g_ptr_array_find_with_equal_func (scan.texts, "Meja Layanan", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (scan.texts, "Pemohon", g_str_equal, NULL));

  gtk_window_destroy (GTK_WINDOW (window));
  g_ptr_array_unref (scan.texts);
  g_ptr_array_unref (scan.untranslated);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LANGUAGE", "id", TRUE);
  g_setenv ("CABUT_SERVER_PROGRAM", g_getenv ("CABUT_SERVER"), TRUE);
  cabut_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cabut_driver_setup ();

  g_test_add_func ("/cabut/ui-language/every-page-in-indonesian", test_every_page_in_indonesian);
  g_test_add_func ("/cabut/ui-language/review-page-in-indonesian", test_review_page_in_indonesian);
  g_test_add_func ("/cabut/ui-language/desk-in-indonesian", test_desk_in_indonesian);

  status = g_test_run ();
  cabut_driver_teardown ();

  return status;
}
