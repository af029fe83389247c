/* cabut-wizard-driver.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the wizard in this process as a person would — the same calls
 * for the UI tests and for the screenshot tool.
 */

#include "config.h"

#include <cairo-pdf.h>
#include <poppler.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>

#include "cabut-certificate-page.h"
#include "cabut-letter-maker.h"
#include "cabut-letter-page.h"
#include "cabut-letter-preview.h"
#include "cabut-request-details.h"
#include "cabut-requests-view.h"
#include "cabut-test-util.h"
#include "cabut-wizard-driver.h"

CabutDriverFixture *cabut_driver_fixture;

/* ---------------------------------------------------------------------- */

static gboolean
cabut_driver_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
cabut_driver_spin_until (CabutDriverCondition    condition,
            gpointer     data,
            guint        seconds,
            const char  *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, cabut_driver_timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out after %u s waiting for %s", seconds, what);
  g_source_remove (id);
}

void
cabut_driver_spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, cabut_driver_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
cabut_driver_demo_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cabut_demo_service_start_finish (CABUT_DEMO_SERVICE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

gboolean
cabut_driver_is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* A one-page letter, made with cairo as a word processor would save it. */
char *
cabut_driver_make_letter_pdf (const char *dir)
{
  char *path = g_build_filename (dir, "surat-pernyataan.pdf", NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595.276, 841.890);
  cairo_t *cr = cairo_create (surface);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 14);
  cairo_move_to (cr, 85, 90);
  cairo_show_text (cr, "SURAT PERNYATAAN");
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return path;
}

gboolean
cabut_driver_has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

CabutDemoAccount *
cabut_driver_demo_account (const char *username)
{
  GListModel *accounts = cabut_driver_fixture->accounts;

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(CabutDemoAccount) account = g_list_model_get_item (accounts, i);

      if (g_str_equal (cabut_demo_account_get_username (account), username))
        return account;   /* the list keeps it alive */
    }

  g_error ("no demo account %s", username);
  return NULL;
}

/* Saves @window as it draws itself, once transitions and spinners settle. */
void
cabut_driver_save_png (GtkWidget  *window,
                       const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width, height;

  /* Let transitions and spinners settle, and a new window map. */
  cabut_driver_spin_for (700);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Failed to write %s", path);
}

CabutWindow *
cabut_driver_open_window (const char *store_name)
{
  static gsize style_loaded;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.cabut.Cabut");
  g_autoptr(CabutContext) context = cabut_context_new (settings);
  g_autofree char *store = g_build_filename (cabut_driver_fixture->dir, store_name, "cabut.db", NULL);
  CabutWindow *window;

  /* What AdwApplication does for the app: its icons and style sheet. */
  if (g_once_init_enter (&style_loaded))
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (css, "/io/github/cabut/Cabut/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                        "/io/github/cabut/Cabut/icons");
      g_once_init_leave (&style_loaded, 1);
    }

  /* Each its own store, as another computer's would be. */
  cabut_context_set_store_path (context, store);
  if (cabut_driver_fixture->demo != NULL)
    cabut_context_set_demo (context, cabut_driver_fixture->demo);
  else
    cabut_context_set_server_url (context, cabut_driver_fixture->url);
  window = cabut_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), cabut_driver_fixture->width ? cabut_driver_fixture->width : 800,
                               cabut_driver_fixture->height ? cabut_driver_fixture->height : 600);
  gtk_window_present (GTK_WINDOW (window));
  cabut_driver_spin_until ((CabutDriverCondition) cabut_window_get_ready, window, 20, "the store to open");

  return window;
}

CabutPage *
cabut_driver_current_page (CabutWindow *window)
{
  return cabut_assistant_get_current_page (cabut_window_get_assistant (window));
}

typedef struct
{
  CabutWindow    *window;
  CabutDraftStep  step;
} StepWait;

static gboolean
cabut_driver_at_step (gpointer data)
{
  StepWait *wait = data;

  return cabut_page_get_step (cabut_driver_current_page (wait->window)) == wait->step &&
         !cabut_page_get_busy (cabut_driver_current_page (wait->window));
}

void
cabut_driver_wait_for_step (CabutWindow    *window,
               CabutDraftStep  step)
{
  StepWait wait = { window, step };
  g_autofree char *what = g_strdup_printf ("step %d (now at %d)", step,
                                           cabut_page_get_step (cabut_driver_current_page (window)));

  cabut_driver_spin_until (cabut_driver_at_step, &wait, 30, what);
}

static gboolean
cabut_driver_page_complete (gpointer data)
{
  return cabut_page_get_complete (data) && !cabut_page_get_busy (data);
}

void
cabut_driver_wait_complete (CabutPage *page)
{
  g_autofree char *what = g_strdup_printf ("“%s” to be complete", cabut_page_get_title (page));

  cabut_driver_spin_until (cabut_driver_page_complete, page, 30, what);
}

/* Next, as the header bar's button: only when it is sensitive. */
void
cabut_driver_press_next (CabutWindow *window)
{
  GtkWidget *next = cabut_assistant_get_next_button (cabut_window_get_assistant (window));

  g_assert_true (gtk_widget_get_visible (next));
  g_assert_true (gtk_widget_get_sensitive (next));
  g_signal_emit_by_name (next, "clicked");
}

GtkWidget *
cabut_driver_template_child (gpointer    widget,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), G_OBJECT_TYPE (widget), name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

/* A widget under @root (or @root) with the widget name @name, or NULL. */
GtkWidget *
cabut_driver_find_named (GtkWidget  *root,
                         const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cabut_driver_find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A button in @root whose label is @label (mnemonic included). */
GtkWidget *
cabut_driver_find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0 &&
      gtk_widget_get_visible (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cabut_driver_find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
cabut_driver_label_has_text (gpointer data)
{
  return gtk_widget_get_visible (data) && *gtk_label_get_label (data) != '\0';
}

/* Welcome → certificate (PKCS#12 with its password) → details → sign-in. */
void
cabut_driver_walk_to_sign_in (CabutWindow *window,
                 const char  *certificate_of,
                 const char  *username)
{
  CabutDemoAccount *holder = cabut_driver_demo_account (certificate_of);
  CabutDemoAccount *account = cabut_driver_demo_account (username);
  CabutContext *context = cabut_window_get_context (window);
  CabutPage *page;

  page = cabut_driver_current_page (window);
  g_assert_cmpint (cabut_page_get_step (page), ==, CABUT_DRAFT_STEP_WELCOME);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CERTIFICATE);

  page = cabut_driver_current_page (window);
  g_assert_false (cabut_page_get_complete (page));
  cabut_certificate_page_set_file (CABUT_CERTIFICATE_PAGE (page), cabut_demo_account_get_certificate_file (holder));
  cabut_driver_spin_until ((CabutDriverCondition) gtk_widget_get_visible, cabut_driver_template_child (page, "password_row"), 20, "the password field");
  g_assert_false (cabut_page_get_complete (page));
  cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page),
                                       cabut_demo_account_get_certificate_password (holder));
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_DETAILS);
  g_assert_nonnull (cabut_draft_get_certificate (cabut_context_get_draft (context)));
  g_assert_true (cabut_certificate_has_private_key (cabut_draft_get_certificate (cabut_context_get_draft (context))));

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_SIGN_IN);

  page = cabut_driver_current_page (window);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (page, "username_row")),
                         cabut_demo_account_get_username (account));
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (page, "password_row")),
                         cabut_demo_account_get_password (account));
  cabut_driver_wait_complete (page);
}

/* A client signed in as @username (a demo account). */
CabutAmsClient *
cabut_driver_client_of (const char *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutAmsClient) client = cabut_ams_client_new (cabut_driver_fixture->url, &error);
  g_autoptr(GAsyncResult) result = NULL;
  CabutDemoAccount *account = cabut_driver_demo_account (username);

  g_assert_no_error (error);
  cabut_ams_client_sign_in_async (client, username, cabut_demo_account_get_password (account), NULL, NULL,
                                  cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "sign-in");
  g_assert_true (cabut_ams_client_sign_in_finish (client, result, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&client);
}

static void
context_signed_in_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  gboolean ok = cabut_context_sign_in_finish (CABUT_CONTEXT (object), result, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  *(gboolean *) user_data = TRUE;
}

/* Signs @context in as @username (a demo account), as the sign-in page would. */
void
cabut_driver_sign_in_context (CabutContext *context,
                              const char   *username)
{
  gboolean done = FALSE;

  cabut_context_sign_in_async (context, username,
                               cabut_demo_account_get_password (cabut_driver_demo_account (username)), NULL, NULL,
                               context_signed_in_cb, &done);
  cabut_driver_spin_until (cabut_driver_is_true, &done, 30, "signing in");
}

GListModel *
cabut_driver_requests_of (const char *username)
{
  g_autoptr(CabutAmsClient) client = cabut_driver_client_of (username);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *requests;

  cabut_ams_client_list_requests_async (client, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the request list");
  requests = cabut_ams_client_list_requests_finish (client, result, &error);
  g_assert_no_error (error);

  return requests;
}

/* From the reason step, with the neutral reason, to the checks done. */
void
cabut_driver_reason_to_check (CabutWindow *window,
                              GFile       *letter)
{
  CabutPage *page;

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);
  page = cabut_driver_current_page (window);
  cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), letter);
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);
  page = cabut_driver_current_page (window);
  /* Complete only once confirmed; wait for it to finish reading. */
  cabut_driver_spin_until (cabut_driver_is_idle, page, 30, "the check page to read the letter");
}

/* From the reason step to the receipt: the letter attached, the checks
 * confirmed, the request sent. */
void
cabut_driver_file_from_reason (CabutWindow *window,
                               GFile       *letter)
{
  CabutPage *page;

  cabut_driver_reason_to_check (window, letter);
  page = cabut_driver_current_page (window);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_RECEIPT);
}

/* @username files a request for the demo's certificate of theirs through
 * the service's API, as cabut-cli submit does, with the fixture's letter.
 * Returns: the request number. */
char *
cabut_driver_submit (const char *username)
{
  CabutDemoAccount *account = cabut_driver_demo_account (username);
  g_autoptr(CabutAmsClient) client = cabut_driver_client_of (username);
  g_autoptr(CabutCertificate) certificate = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) letter = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *key = g_uuid_string_random ();
  gsize len;

  certificate = cabut_certificate_new_from_file (cabut_demo_account_get_certificate_file (account),
                                                 cabut_demo_account_get_certificate_password (account), NULL,
                                                 &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (cabut_driver_fixture->letter_pdf, &contents, &len, &error));
  letter = g_bytes_new_take (g_steal_pointer (&contents), len);
  cabut_ams_client_submit_async (client, certificate, "superseded", NULL, letter, "surat.pdf", key, NULL, NULL,
                                 NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the filing");
  answer = cabut_ams_client_call_finish (client, result, &error);
  g_assert_no_error (error);

  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "id"));
}

/* @username cancels their request @request_id at the service. */
void
cabut_driver_cancel (const char *username,
                     const char *request_id)
{
  g_autoptr(CabutAmsClient) client = cabut_driver_client_of (username);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CabutRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  cabut_ams_client_cancel_request_async (client, request_id, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the cancellation");
  request = cabut_ams_client_cancel_request_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cabut_request_get_state (request), ==, CABUT_REQUEST_STATE_CANCELLED);
}

/* An officer (dewi) approves @request_id at the service: the CA revokes. */
void
cabut_driver_approve (const char *request_id)
{
  g_autoptr(CabutAmsClient) officer = cabut_driver_client_of ("dewi.verifikator");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("requests/%s/approve", request_id);

  cabut_ams_client_post_async (officer, path, NULL, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the approval");
  answer = cabut_ams_client_call_finish (officer, result, &error);
  g_assert_no_error (error);
}

/* An officer (dewi) rejects @request_id at the service, saying why in @note. */
void
cabut_driver_reject (const char *request_id,
                     const char *note)
{
  g_autoptr(CabutAmsClient) officer = cabut_driver_client_of ("dewi.verifikator");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("requests/%s/reject", request_id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "note");
  json_builder_add_string_value (builder, note);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  cabut_ams_client_post_async (officer, path, body, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the rejection");
  answer = cabut_ams_client_call_finish (officer, result, &error);
  g_assert_no_error (error);
}

gboolean
cabut_driver_confirmation_answered (gpointer details)
{
  return cabut_request_details_get_confirmation (details) != NULL;
}

/* The details page has its revocation answer (whatever it is). */
gboolean
cabut_driver_revocation_checked (gpointer data)
{
  GtkWidget *row = cabut_driver_template_child (data, "revocation_row");
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  return subtitle != NULL && *subtitle != '\0' &&
         !gtk_spinner_get_spinning (GTK_SPINNER (cabut_driver_template_child (data, "revocation_spinner")));
}

/*
 * The whole request as @applicant, every page shown at its most telling
 * (a wrong password said, the revocation check answered, the letter
 * previewed, the checks passed): @func is called on each.
 */
void
cabut_driver_walk (CabutWindow        *window,
                   const char         *applicant,
                   CabutDriverPageFunc func,
                   gpointer            data)
{
  g_autoptr(GFile) scan = NULL;
  CabutLetterMaker *maker;
  CabutPage *page;

  cabut_driver_spin_for (500);
  func (window, "1-welcome", data);

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CERTIFICATE);
  page = cabut_driver_current_page (window);
  cabut_certificate_page_set_file (CABUT_CERTIFICATE_PAGE (page),
                                   cabut_demo_account_get_certificate_file (cabut_driver_demo_account (applicant)));
  cabut_driver_spin_until ((CabutDriverCondition) gtk_widget_get_visible,
                           cabut_driver_template_child (page, "password_row"), 20, "the password field");
  cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page), "sandi-yang-salah");
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_spin_until (cabut_driver_label_has_text, cabut_driver_template_child (page, "error_label"), 20,
                           "the wrong password");
  func (window, "2-certificate-wrong-password", data);

  cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page),
                                       cabut_demo_account_get_certificate_password (cabut_driver_demo_account (applicant)));
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_DETAILS);
  cabut_driver_spin_until (cabut_driver_revocation_checked, cabut_driver_current_page (window), 30, "the revocation check");
  func (window, "3-details", data);

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_SIGN_IN);
  page = cabut_driver_current_page (window);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (page, "username_row")), applicant);
  gtk_editable_set_text (GTK_EDITABLE (cabut_driver_template_child (page, "password_row")),
                         cabut_demo_account_get_password (cabut_driver_demo_account (applicant)));
  func (window, "4-sign-in", data);

  /* As if chosen on the reason page, which shows what the draft holds. */
  cabut_draft_set_reason (cabut_context_get_draft (cabut_window_get_context (window)), "keyCompromise");
  cabut_draft_set_note (cabut_context_get_draft (cabut_window_get_context (window)),
                        "Laptop dinas berisi berkas sertifikat hilang di kereta pada 1 Desember 2026.");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  func (window, "5-reason", data);

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);
  page = cabut_driver_current_page (window);
  /* The letter Cabut makes, printed, signed and scanned. */
  maker = CABUT_LETTER_MAKER (cabut_driver_template_child (page, "maker"));
  cabut_letter_maker_create (maker);
  cabut_driver_spin_until ((CabutDriverCondition) cabut_letter_maker_get_file, maker, 30, "the letter made");
  func (window, "6-letter-made", data);
  scan = cabut_driver_scan_letter (cabut_letter_maker_get_file (maker));
  cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), scan);
  cabut_driver_wait_complete (page);
  func (window, "6-letter", data);

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);
  page = cabut_driver_current_page (window);
  cabut_driver_spin_for (500);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
  cabut_driver_wait_complete (page);
  func (window, "7-check", data);

  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_RECEIPT);
  func (window, "8-receipt", data);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
  cabut_driver_spin_for (1000);
  func (window, "9-my-requests", data);

  cabut_requests_view_open (CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window)),
                            cabut_context_get_last_request (cabut_window_get_context (window)));
  cabut_driver_spin_for (1000);
  func (window, "10-request", data);

  /* Further down: the letter filed, from the service. */
  {
    GtkWidget *details = cabut_requests_view_get_details (CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window)));
    GtkWidget *preview = cabut_request_details_get_letter_preview (CABUT_REQUEST_DETAILS (details));
    GtkWidget *scrolled = gtk_widget_get_ancestor (preview, GTK_TYPE_SCROLLED_WINDOW);

    cabut_driver_spin_until ((CabutDriverCondition) gtk_widget_get_mapped, preview, 30, "the letter filed");
    if (scrolled != NULL)
      {
        GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

        cabut_driver_spin_for (300);
        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      }
    cabut_driver_spin_for (500);
    func (window, "10-request-letter", data);
  }

  /* An officer rejects it, saying why; it is put right and filed again. */
  {
    g_autoptr(CabutRequest) request = g_object_ref (cabut_context_get_last_request (cabut_window_get_context (window)));
    GtkWidget *details = cabut_requests_view_get_details (CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window)));
    const char *file_again = g_dgettext (GETTEXT_PACKAGE, "_File Again");
    GtkWidget *button = NULL;

    cabut_driver_reject (cabut_request_get_id (request),
                         "Tanda tangan pada surat pernyataan tidak terbaca. Tanda tangani ulang dengan jelas, "
                         "lalu pindai lagi.");
    cabut_requests_view_open (CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window)), request);
    for (guint i = 0; i < 600 && button == NULL; i++)
      {
        cabut_driver_spin_for (50);
        if (!cabut_request_details_get_busy (CABUT_REQUEST_DETAILS (details)))
          button = cabut_driver_find_button (details, file_again);
      }
    g_assert_nonnull (button);
    func (window, "11-request-rejected", data);

    g_signal_emit_by_name (button, "clicked");
    cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CERTIFICATE);
    page = cabut_driver_current_page (window);
    cabut_driver_spin_until ((CabutDriverCondition) gtk_widget_get_visible,
                             cabut_driver_template_child (page, "password_row"), 20, "the password field");
    func (window, "12-file-again", data);
    cabut_certificate_page_set_password (CABUT_CERTIFICATE_PAGE (page),
                                         cabut_demo_account_get_certificate_password (cabut_driver_demo_account (applicant)));
    cabut_driver_wait_complete (page);
    cabut_driver_press_next (window);
    cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
    func (window, "13-file-again-reason", data);

    cabut_driver_press_next (window);
    cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_LETTER);
    page = cabut_driver_current_page (window);
    /* The letter made again for the new request, signed legibly this time. */
    maker = CABUT_LETTER_MAKER (cabut_driver_template_child (page, "maker"));
    cabut_letter_maker_create (maker);
    cabut_driver_spin_for (300);
    cabut_driver_spin_until ((CabutDriverCondition) cabut_letter_maker_get_file, maker, 30, "the letter made again");
    g_clear_object (&scan);
    scan = cabut_driver_scan_letter (cabut_letter_maker_get_file (maker));
    cabut_letter_page_set_file (CABUT_LETTER_PAGE (page), scan);
    cabut_driver_wait_complete (page);
    cabut_driver_press_next (window);
    cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_CHECK);
    page = cabut_driver_current_page (window);
    cabut_driver_spin_until (cabut_driver_is_idle, page, 30, "the checks");
    func (window, "13-file-again-check", data);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (cabut_driver_template_child (page, "confirm_check")), TRUE);
    cabut_driver_wait_complete (page);
    cabut_driver_press_next (window);
    cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_RECEIPT);
  }

  /* An officer approves the new one; the CA itself confirms. */
  {
    g_autoptr(CabutRequest) request = g_object_ref (cabut_context_get_last_request (cabut_window_get_context (window)));
    GtkWidget *details = cabut_requests_view_get_details (CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window)));

    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-requests", NULL);
    cabut_driver_approve (cabut_request_get_id (request));
    cabut_requests_view_open (CABUT_REQUESTS_VIEW (cabut_window_get_requests_view (window)), request);
    cabut_driver_spin_until (cabut_driver_confirmation_answered, details, 30, "the CA's answer");
    cabut_driver_spin_for (300);
    func (window, "14-request-revoked", data);
  }
}

/*
 * The letter printed, signed and scanned: its first page drawn at 150 dpi
 * on white with poppler, a line for the signature, saved as a PNG.
 */
GFile *
cabut_driver_scan_letter (GFile *pdf)
{
  g_autofree char *uri = g_file_get_uri (pdf);
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, &error);
  PopplerPage *page;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height, scale = 150.0 / 72.0;
  g_autofree char *path = g_build_filename (cabut_driver_fixture->dir, "surat-dipindai.png", NULL);

  g_assert_no_error (error);
  page = poppler_document_get_page (document, 0);
  poppler_page_get_size (page, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) (width * scale), (int) (height * scale));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  /* A signature, of sorts. */
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.5);
  cairo_move_to (cr, width * 0.6, height * 0.72);
  cairo_curve_to (cr, width * 0.65, height * 0.68, width * 0.7, height * 0.76, width * 0.78, height * 0.7);
  cairo_stroke (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_object_unref (page);
  g_object_unref (document);

  return g_file_new_for_path (path);
}

gboolean
cabut_driver_is_idle (gpointer page)
{
  return !cabut_page_get_busy (page);
}

/* For a widget with a "busy" property (the desk's views). */
gboolean
cabut_driver_is_not_busy (gpointer widget)
{
  gboolean busy = TRUE;

  g_object_get (widget, "busy", &busy, NULL);
  return !busy;
}

void
cabut_driver_wait_not_busy (gpointer widget)
{
  cabut_driver_spin_for (50);
  cabut_driver_spin_until (cabut_driver_is_not_busy, widget, 30, "the widget to be idle");
}

/* Selects the reason @name in an AdwComboRow over CabutReasonItems. */
void
cabut_driver_choose_reason (GtkWidget  *combo_row,
                            const char *name)
{
  AdwComboRow *row = ADW_COMBO_ROW (combo_row);
  GListModel *reasons = adw_combo_row_get_model (row);

  g_assert_nonnull (reasons);
  for (guint i = 0; i < g_list_model_get_n_items (reasons); i++)
    {
      g_autoptr(CabutReasonItem) item = g_list_model_get_item (reasons, i);

      if (g_str_equal (cabut_reason_item_get_name (item), name))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_error ("no reason %s offered", name);
}

/* The text of @owner's template label @child, which must be shown. */
const char *
cabut_driver_shown_label (gpointer    owner,
                          const char *child)
{
  GtkWidget *label = cabut_driver_template_child (owner, child);

  g_assert_true (gtk_widget_get_visible (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

/*
 * A scanned letter: a page-sized photo of noise, which no compression
 * shrinks — @height rows of 1800 pixels, 3 bytes each (1750 rows make about
 * 9 MiB, 1930 about 9.9 MiB) — long enough an upload to act during.
 */
char *
cabut_driver_make_big_letter (int height)
{
  char *path = g_build_filename (cabut_driver_fixture->dir, "surat-hasil-pindai.pdf", NULL);
  cairo_surface_t *pdf = cairo_pdf_surface_create (path, 595.276, 841.890);
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1800, height);
  guint32 *pixels = (guint32 *) cairo_image_surface_get_data (image);
  int stride = cairo_image_surface_get_stride (image) / 4;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  cairo_t *cr;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < 1800; x++)
      pixels[y * stride + x] = g_rand_int (rand) & 0xffffff;
  cairo_surface_mark_dirty (image);

  cr = cairo_create (pdf);
  cairo_scale (cr, 595.276 / 1800, 841.890 / height);
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

/*
 * Starts the demo service in a new temporary folder and makes the letter
 * fixture — or, in a child process the tests start (CABUT_DRIVER_DIR set),
 * takes the parent's folder and service.
 */
void
cabut_driver_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_dir = NULL;
  g_autofree char *accounts = NULL;
  const char *parent_dir = g_getenv ("CABUT_DRIVER_DIR");
  gboolean started = FALSE;

  cabut_driver_fixture = g_new0 (CabutDriverFixture, 1);

  if (parent_dir != NULL)
    {
      cabut_driver_fixture->dir = g_strdup (parent_dir);
      cabut_driver_fixture->url = g_strdup (g_getenv ("CABUT_DRIVER_URL"));
      cabut_driver_fixture->letter_pdf = g_build_filename (parent_dir, "surat-pernyataan.pdf", NULL);
      accounts = g_build_filename (parent_dir, "demo-service", "demo", "accounts.json", NULL);
      cabut_driver_fixture->accounts = cabut_demo_accounts_load (accounts, &error);
      g_assert_no_error (error);
      return;
    }

  cabut_driver_fixture->dir = g_dir_make_tmp ("cabut-wizard-XXXXXX", &error);
  g_assert_no_error (error);
  cabut_driver_fixture->letter_pdf = cabut_driver_make_letter_pdf (cabut_driver_fixture->dir);

  demo_dir = g_build_filename (cabut_driver_fixture->dir, "demo-service", NULL);
  cabut_driver_fixture->demo = cabut_demo_service_new (demo_dir);
  cabut_demo_service_start_async (cabut_driver_fixture->demo, NULL, cabut_driver_demo_started_cb, &started);
  cabut_driver_spin_until (cabut_driver_is_true, &started, 60, "the demo service");
  cabut_driver_fixture->url = g_strdup (cabut_demo_service_get_url (cabut_driver_fixture->demo));
  cabut_driver_fixture->accounts = g_object_ref (cabut_demo_service_get_accounts (cabut_driver_fixture->demo));
}

/* Stops the demo service (SIGTERM, as at the end of a session) and starts
 * it again on the same folder and port. */
/* Stops the demo service: its port refuses connections until it starts again. */
void
cabut_driver_stop_service (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cabut_demo_service_stop_async (cabut_driver_fixture->demo, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the demo service to stop");
  g_assert_true (cabut_demo_service_stop_finish (cabut_driver_fixture->demo, result, &error));
  g_assert_no_error (error);
}

/* Starts it again, at the same address, with what it held. */
void
cabut_driver_start_service (void)
{
  gboolean started = FALSE;

  cabut_demo_service_start_async (cabut_driver_fixture->demo, NULL, cabut_driver_demo_started_cb, &started);
  cabut_driver_spin_until (cabut_driver_is_true, &started, 60, "the demo service to start again");
  g_assert_cmpstr (cabut_demo_service_get_url (cabut_driver_fixture->demo), ==, cabut_driver_fixture->url);
}

void
cabut_driver_restart_service (void)
{
  cabut_driver_stop_service ();
  cabut_driver_start_service ();
}

/* Restarts the demo service with second approval on or off: from then on
 * an officer's approval or rejection is a proposal another confirms. */
void
cabut_driver_set_second_approval (gboolean second_approval)
{
  cabut_driver_stop_service ();
  cabut_demo_service_set_second_approval (cabut_driver_fixture->demo, second_approval);
  cabut_driver_start_service ();
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A session bus of this test program's own (a dbus-daemon that dies with
 * it), for tests that own a well-known name — the notification server,
 * the keyring — or register the application: UI tests running beside this
 * one would otherwise hold the same names on the shared bus. Call before
 * anything connects to the session bus. */
void
cabut_driver_use_private_bus (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  GSubprocess *bus;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--session", "--nofork", "--print-address=1",
                                     NULL);
  g_assert_no_error (error);
  address = cabut_test_read_line (bus);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", g_strstrip (address), TRUE);
  /* Kept until the program ends; die_with_parent ends the bus then. */
}

/* An X server of this test program's own (Xvfb, which writes its display
 * number to a pipe once it accepts connections), for tests that type with
 * XTest: keys go to the focused window, and UI tests running beside this one
 * map windows of their own. Call before gtk_test_init(). Xvfb dies with the
 * test program, however it ends. */
void
cabut_driver_use_own_display (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) xvfb = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  char number[32];
  ssize_t n = 0, got;
  int fds[2];

  g_assert_no_errno (pipe (fds));
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  xvfb = g_subprocess_launcher_spawn (launcher, &error, "Xvfb", "-displayfd", "3", "-screen", "0", "1280x1024x24",
                                      "-nolisten", "tcp", "-ac", NULL);
  g_assert_no_error (error);
  /* The launcher keeps the write end until it is freed. */
  g_clear_object (&launcher);
  while (n < (ssize_t) sizeof number - 1 && (got = read (fds[0], number + n, sizeof number - 1 - n)) > 0)
    {
      n += got;
      if (memchr (number, '\n', n) != NULL)
        break;
    }
  close (fds[0]);
  number[MAX (n, 0)] = '\0';
  g_strchomp (number);
  if (number[0] == '\0')
    g_error ("Xvfb did not start");
  display = g_strdup_printf (":%s", number);
  g_setenv ("DISPLAY", display, TRUE);
  g_unsetenv ("XAUTHORITY");
  /* Kept until the program ends; die_with_parent ends Xvfb then. */
  g_object_ref (xvfb);
}

void
cabut_driver_teardown (void)
{
  if (cabut_driver_fixture->demo != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;

      /* Wait for the service to be gone before its files are. */
      cabut_demo_service_stop_async (cabut_driver_fixture->demo, NULL, cabut_test_result_cb, &result);
      cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the demo service to stop");
      g_assert_true (cabut_demo_service_stop_finish (cabut_driver_fixture->demo, result, NULL));
      g_clear_object (&cabut_driver_fixture->demo);
      cabut_test_rm_rf (cabut_driver_fixture->dir);
    }
  g_clear_object (&cabut_driver_fixture->accounts);
  g_free (cabut_driver_fixture->letter_pdf);
  g_free (cabut_driver_fixture->url);
  g_free (cabut_driver_fixture->dir);
  g_clear_pointer (&cabut_driver_fixture, g_free);
}

/* ---------------------------------------------------------------------- */
/* A desktop's notification server, on the test's session bus            */

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' name='app_name' direction='in'/>"
  "      <arg type='u' name='replaces_id' direction='in'/>"
  "      <arg type='s' name='app_icon' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/>"
  "      <arg type='s' name='body' direction='in'/>"
  "      <arg type='as' name='actions' direction='in'/>"
  "      <arg type='a{sv}' name='hints' direction='in'/>"
  "      <arg type='i' name='expire_timeout' direction='in'/>"
  "      <arg type='u' name='id' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' name='id' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' name='capabilities' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' name='name' direction='out'/><arg type='s' name='vendor' direction='out'/>"
  "      <arg type='s' name='version' direction='out'/><arg type='s' name='spec_version' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'><arg type='u' name='id'/><arg type='s' name='action_key'/></signal>"
  "    <signal name='NotificationClosed'><arg type='u' name='id'/><arg type='u' name='reason'/></signal>"
  "  </interface>"
  "</node>";

static GPtrArray *notices;
static GDBusConnection *notifications_bus;

static void
notice_free (CabutDriverNotice *notice)
{
  g_free (notice->summary);
  g_free (notice->body);
  g_strfreev (notice->actions);
  g_free (notice);
}

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      CabutDriverNotice *notice = g_new0 (CabutDriverNotice, 1);

      g_variant_get (parameters, "(&su&sss^as@a{sv}i)", NULL, NULL, NULL, &notice->summary, &notice->body,
                     &notice->actions, NULL, NULL);
      notice->id = notices->len + 1;
      g_ptr_array_add (notices, notice);
      g_test_message ("notification %u: %s — %s", notice->id, notice->summary, notice->body);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notice->id));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *capabilities[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", capabilities));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "cabut-tests", "Cabut", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean name_acquired;

static void
notifications_name_cb (GDBusConnection *connection,
                       const char      *name,
                       gpointer         user_data)
{
  name_acquired = TRUE;
}

/*
 * Owns org.freedesktop.Notifications on the session bus and records what
 * is sent to it (GLib's notifications go there when no GNOME Shell runs).
 */
void
cabut_driver_notifications_start (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;

  notices = g_ptr_array_new_with_free_func ((GDestroyNotify) notice_free);
  notifications_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (notifications_bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (notifications_bus, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                notifications_name_cb, NULL, NULL, NULL);
  cabut_driver_spin_until (cabut_driver_is_true, &name_acquired, 20, "the notification server's name");
}

/** Returns: (element-type CabutDriverNotice): what was notified, oldest first */
GPtrArray *
cabut_driver_notices (void)
{
  return notices;
}

/* The desktop's user clicks notification @id. */
void
cabut_driver_notice_clicked (guint id)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (notifications_bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", id, "default"), &error);
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------------- */
/* The service desk                                                        */

/* A letter of two pages, made with cairo: the statement and its annex. */
char *
cabut_driver_make_two_page_letter (const char *dir)
{
  char *path = g_build_filename (dir, "surat-dua-halaman.pdf", NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595.276, 841.890);
  cairo_t *cr = cairo_create (surface);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 14);
  cairo_move_to (cr, 85, 90);
  cairo_show_text (cr, "SURAT PERNYATAAN PERMOHONAN PENCABUTAN");
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, 85, 700);
  cairo_line_to (cr, 260, 700);
  cairo_stroke (cr);
  cairo_show_page (cr);
  cairo_move_to (cr, 85, 90);
  cairo_show_text (cr, "LAMPIRAN");
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return path;
}

/* @applicant files a request for their own demo certificate with @letter
 * (as the app's send step does, through core's client); its number. */
char *
cabut_driver_file_request (const char *applicant,
                           const char *reason,
                           const char *letter)
{
  g_autoptr(CabutAmsClient) client = cabut_driver_client_of (applicant);
  CabutDemoAccount *account = cabut_driver_demo_account (applicant);
  g_autoptr(CabutCertificate) certificate = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *key = g_uuid_string_random ();

  certificate = cabut_certificate_new_from_file (cabut_demo_account_get_certificate_file (account),
                                                 cabut_demo_account_get_certificate_password (account), NULL,
                                                 &error);
  g_assert_no_error (error);
  mapped = g_mapped_file_new (letter, FALSE, &error);
  g_assert_no_error (error);
  bytes = g_mapped_file_get_bytes (mapped);

  cabut_ams_client_submit_async (client, certificate, reason, NULL, bytes, "surat.pdf", key, NULL, NULL, NULL,
                                 cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 60, "the filing");
  answer = cabut_ams_client_call_finish (client, result, &error);
  g_assert_no_error (error);

  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "id"));
}

/* A context signed in to the demo service as @username, as the window's
 * would be after the officer signed in. */
CabutContext *
cabut_driver_context_of (const char *username)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.cabut.Cabut");
  g_autoptr(CabutContext) context = cabut_context_new (settings);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CabutDemoAccount *account = cabut_driver_demo_account (username);

  cabut_context_set_server_url (context, cabut_driver_fixture->url);
  cabut_context_sign_in_async (context, username, cabut_demo_account_get_password (account), NULL, NULL,
                               cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the officer's sign-in");
  g_assert_true (cabut_context_sign_in_finish (context, result, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&context);
}

/* The review page of @request_id in a window of its own, its dossier and
 * letter loaded. */
CabutReviewPage *
cabut_driver_open_review (CabutContext *context,
                          const char   *request_id,
                          GtkWindow   **out_window)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = cabut_review_page_new (context);

  gtk_window_set_title (GTK_WINDOW (window), "Cabut");
  gtk_window_set_default_size (GTK_WINDOW (window), cabut_driver_fixture->width ? cabut_driver_fixture->width : 1200,
                               cabut_driver_fixture->height ? cabut_driver_fixture->height : 800);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  cabut_review_page_show_request (CABUT_REVIEW_PAGE (page), request_id);
  cabut_driver_wait_review (CABUT_REVIEW_PAGE (page));
  *out_window = GTK_WINDOW (window);

  return CABUT_REVIEW_PAGE (page);
}

static gboolean
cabut_driver_review_ready (gpointer data)
{
  CabutReviewPage *page = data;
  CabutLetterPreview *preview = CABUT_LETTER_PREVIEW (cabut_review_page_get_letter_preview (page));

  return !cabut_review_page_get_busy (page) && cabut_review_page_get_review (page) != NULL &&
         cabut_letter_preview_get_n_pages (preview) > 0;
}

/* The message dialog that has just opened (a confirmation). */
GtkWidget *
cabut_driver_wait_for_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < 100; i++)
    {
      cabut_driver_spin_for (20);
      for (guint j = 0; j < g_list_model_get_n_items (toplevels); j++)
        {
          g_autoptr(GtkWidget) candidate = g_list_model_get_item (toplevels, j);

          if (ADW_IS_MESSAGE_DIALOG (candidate))
            return candidate;
        }
    }

  g_error ("no dialog opened");
  return NULL;
}

/* Until the page has its dossier and its letter, and waits for nothing. */
void
cabut_driver_wait_review (CabutReviewPage *page)
{
  cabut_driver_spin_until (cabut_driver_review_ready, page, 60, "the dossier and its letter");
}
