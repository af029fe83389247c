/* cabut-window.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-application.h"
#include "cabut-certificate-page.h"
#include "cabut-check-page.h"
#include "cabut-complaints-view.h"
#include "cabut-desk-view.h"
#include "cabut-details-page.h"
#include "cabut-letter-page.h"
#include "cabut-probe.h"
#include "cabut-reason-page.h"
#include "cabut-receipt-page.h"
#include "cabut-request-details.h"
#include "cabut-requests-view.h"
#include "cabut-send-page.h"
#include "cabut-sign-in-page.h"
#include "cabut-welcome-page.h"
#include "cabut-window.h"

/* The main window: the assistant, and "My requests" beside it. It opens
 * the local store (in its thread), offers an unfinished draft back, and
 * says so plainly when nothing can be kept on this computer. */
struct _CabutWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toasts;
  GtkRevealer          *problem_revealer;
  GtkLabel             *problem_label;
  GtkStack             *main_stack;
  CabutAssistant       *assistant;
  GtkWidget            *requests_view;
  GtkWidget            *complaints_view;
  GtkWidget            *desk_view;
  CabutTracker         *tracker;
  CabutWelcomePage     *welcome_page;

  CabutContext         *context;
  CabutDraft           *offered;
  GFile                *pending_file;
  gboolean              ready;
  gboolean              flushed;       /* the store has everything: the window may go */
};

G_DEFINE_FINAL_TYPE (CabutWindow, cabut_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_problem (CabutWindow *self,
              const char  *message)
{
  gtk_label_set_label (self->problem_label, message ? message : "");
  gtk_revealer_set_reveal_child (self->problem_revealer, message != NULL);
}

static void
set_ready (CabutWindow *self)
{
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);

  if (self->pending_file != NULL)
    {
      g_autoptr(GFile) file = g_steal_pointer (&self->pending_file);

      cabut_window_open_file (self, file);
    }
}

static void
save_failed_cb (CabutWindow *self,
                CabutDraft  *draft,
                GError      *error)
{
  show_problem (self, error->message);
}

static void
draft_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CabutWindow) self = user_data;
  g_autoptr(CabutDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  draft = cabut_store_load_draft_finish (CABUT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      /* Translators: %s is the reason */
      g_autofree char *message = g_strdup_printf (_("Your unfinished request could not be read: %s"), error->message);

      show_problem (self, message);
    }
  else if (draft != NULL && self->pending_file == NULL)
    {
      g_set_object (&self->offered, draft);
      cabut_welcome_page_offer_draft (self->welcome_page, draft);
    }

  cabut_context_set_store (self->context, CABUT_STORE (object));
  set_ready (self);
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CabutWindow) self = user_data;
  g_autoptr(CabutStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = cabut_store_open_finish (result, &error);
  if (store == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* Translators: %s is the reason */
      message = g_strdup_printf (_("Cabut cannot keep your work on this computer: %s. You can look around, but "
                                   "nothing will be sent until this is solved."), error->message);
      show_problem (self, message);
      set_ready (self);
      return;
    }

  g_signal_connect_object (store, "save-failed", G_CALLBACK (save_failed_cb), self, G_CONNECT_SWAPPED);
  cabut_store_load_draft_async (store, cabut_context_get_cancellable (self->context), draft_loaded_cb,
                                g_object_ref (self));
}

static void
show_requests_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CabutWindow *self = CABUT_WINDOW (widget);

  gtk_stack_set_visible_child (self->main_stack, self->requests_view);
  cabut_requests_view_show_list (CABUT_REQUESTS_VIEW (self->requests_view));
}

static void
show_complaints_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CabutWindow *self = CABUT_WINDOW (widget);

  gtk_stack_set_visible_child (self->main_stack, self->complaints_view);
  cabut_complaints_view_show_list (CABUT_COMPLAINTS_VIEW (self->complaints_view));
}

static void
complain_about_request_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CabutWindow *self = CABUT_WINDOW (widget);

  gtk_stack_set_visible_child (self->main_stack, self->complaints_view);
  cabut_complaints_view_show_list (CABUT_COMPLAINTS_VIEW (self->complaints_view));
  cabut_complaints_view_new_complaint (CABUT_COMPLAINTS_VIEW (self->complaints_view),
                                       g_variant_get_string (parameter, NULL));
}

static void
show_desk_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CabutWindow *self = CABUT_WINDOW (widget);

  gtk_stack_set_visible_child (self->main_stack, self->desk_view);
  cabut_desk_view_present (CABUT_DESK_VIEW (self->desk_view));
}

static void
show_assistant_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CabutWindow *self = CABUT_WINDOW (widget);

  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->assistant));
}

static void
start_over_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CabutWindow *self = CABUT_WINDOW (widget);
  CabutDraft *draft = cabut_context_get_draft (self->context);

  if (cabut_draft_get_state (draft) == CABUT_DRAFT_STATE_QUEUED)
    {
      /* A request in the outbox is finished, never dropped. */
      adw_toast_overlay_add_toast (self->toasts,
                                   adw_toast_new (_("Finish sending the request first; it is saved")));
      return;
    }

  cabut_context_start_over (self->context);
  cabut_welcome_page_offer_draft (self->welcome_page, NULL);
  g_clear_object (&self->offered);
  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->assistant));
  cabut_assistant_go_to_step (self->assistant, CABUT_DRAFT_STEP_WELCOME);
}

static void
resume_draft_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CabutWindow *self = CABUT_WINDOW (widget);
  g_autoptr(CabutDraft) draft = g_steal_pointer (&self->offered);
  CabutDraftStep target;

  if (draft == NULL)
    return;

  cabut_welcome_page_offer_draft (self->welcome_page, NULL);
  target = cabut_draft_get_state (draft) == CABUT_DRAFT_STATE_QUEUED ? CABUT_DRAFT_STEP_SEND
                                                                       : cabut_draft_get_step (draft);
  cabut_context_set_draft (self->context, draft);
  cabut_assistant_resume (self->assistant, MAX (target, CABUT_DRAFT_STEP_CERTIFICATE));
}

static void
discarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CabutWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_store_discard_draft_finish (CABUT_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_problem (self, error->message);
}

static void
discard_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CabutWindow *self = CABUT_WINDOW (widget);
  g_autoptr(CabutDraft) draft = g_steal_pointer (&self->offered);
  CabutStore *store = cabut_context_get_store (self->context);

  cabut_welcome_page_offer_draft (self->welcome_page, NULL);
  if (draft == NULL || store == NULL)
    return;

  cabut_store_discard_draft_async (store, draft, cabut_context_get_cancellable (self->context), discarded_cb,
                                   g_object_ref (self));
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("The unfinished request was discarded")));
}

static void
open_certificate_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  cabut_window_open_file (CABUT_WINDOW (widget), file);
}

static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CabutWindow *self = CABUT_WINDOW (widget);

  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (g_variant_get_string (parameter, NULL)));
}

/* The applicant's open conversation follows the event feed. */
static void
complaint_changed_cb (CabutWindow *self,
                      const char  *complaint_id,
                      const char  *kind)
{
  cabut_complaints_view_complaint_changed (CABUT_COMPLAINTS_VIEW (self->complaints_view), complaint_id);
}

static void
file_again_cb (CabutWindow         *self,
               CabutDraft          *draft,
               CabutRequestDetails *details)
{
  cabut_window_file_again (self, draft);
}

static void
add_pages (CabutWindow *self)
{
  const GType types[] = {
    CABUT_TYPE_WELCOME_PAGE, CABUT_TYPE_CERTIFICATE_PAGE, CABUT_TYPE_DETAILS_PAGE, CABUT_TYPE_SIGN_IN_PAGE,
    CABUT_TYPE_REASON_PAGE, CABUT_TYPE_LETTER_PAGE, CABUT_TYPE_CHECK_PAGE, CABUT_TYPE_SEND_PAGE,
    CABUT_TYPE_RECEIPT_PAGE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      CabutPage *page = g_object_new (types[i], "context", self->context, NULL);

      if (i == 0)
        self->welcome_page = CABUT_WELCOME_PAGE (page);
      cabut_assistant_add_page (self->assistant, page);
    }
}

static void
cabut_window_constructed (GObject *object)
{
  CabutWindow *self = (CabutWindow *)object;
  GSettings *settings;

  G_OBJECT_CLASS (cabut_window_parent_class)->constructed (object);

  if (self->context == NULL)
    {
      g_autoptr(GSettings) default_settings = g_settings_new ("io.github.cabut.Cabut");

      self->context = cabut_context_new (default_settings);
    }
  settings = cabut_context_get_settings (self->context);

  add_pages (self);
  self->tracker = cabut_tracker_new (self->context);
  self->requests_view = cabut_requests_view_new (self->context);
  gtk_stack_add_named (self->main_stack, self->requests_view, "requests");
  self->desk_view = cabut_desk_view_new (self->context);
  gtk_stack_add_named (self->main_stack, self->desk_view, "desk");
  g_signal_connect_object (cabut_requests_view_get_details (CABUT_REQUESTS_VIEW (self->requests_view)), "file-again",
                           G_CALLBACK (file_again_cb), self, G_CONNECT_SWAPPED);
  self->complaints_view = cabut_complaints_view_new (self->context);
  gtk_stack_add_named (self->main_stack, self->complaints_view, "complaints");
  g_signal_connect_object (self->tracker, "complaint-changed", G_CALLBACK (complaint_changed_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_window_set_default_widget (GTK_WINDOW (self), cabut_assistant_get_next_button (self->assistant));

  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  if (cabut_context_get_store (self->context) != NULL)
    {
      set_ready (self);
      return;
    }

  cabut_store_open_async (cabut_context_get_store_path (self->context), cabut_context_get_cancellable (self->context),
                          store_opened_cb, g_object_ref (self));
}

static void
closing_flushed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CabutWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GApplication *application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (!cabut_store_flush_finish (CABUT_STORE (object), result, &error))
    g_warning ("Failed to save the request before closing: %s", error->message);

  self->flushed = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
  if (application != NULL)
    g_application_release (application);
}

/* Closing (or quitting) waits until the store has written the last change:
 * the writer thread would not outlive the process. */
static gboolean
cabut_window_close_request (GtkWindow *window)
{
  CabutWindow *self = CABUT_WINDOW (window);
  CabutStore *store = cabut_context_get_store (self->context);
  GApplication *application = G_APPLICATION (gtk_window_get_application (window));

  /* A request waits for its decision: followed with the window closed. */
  if (CABUT_IS_APPLICATION (application) && !self->flushed)
    cabut_application_watch (CABUT_APPLICATION (application), self->tracker);

  if (self->flushed || store == NULL)
    return GTK_WINDOW_CLASS (cabut_window_parent_class)->close_request (window);

  if (application != NULL)
    g_application_hold (application);
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  cabut_store_flush_async (store, NULL, closing_flushed_cb, g_object_ref (self));

  return TRUE;
}

static void
cabut_window_dispose (GObject *object)
{
  CabutWindow *self = (CabutWindow *)object;

  g_clear_object (&self->tracker);
  if (self->context != NULL)
    g_cancellable_cancel (cabut_context_get_cancellable (self->context));
  g_clear_object (&self->offered);
  g_clear_object (&self->pending_file);

  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_WINDOW);

  G_OBJECT_CLASS (cabut_window_parent_class)->dispose (object);
}

static void
cabut_window_finalize (GObject *object)
{
  CabutWindow *self = (CabutWindow *)object;

  g_clear_object (&self->context);

  G_OBJECT_CLASS (cabut_window_parent_class)->finalize (object);
}

static void
cabut_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CabutWindow *self = CABUT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CabutWindow *self = CABUT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_window_class_init (CabutWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cabut_window_constructed;
  object_class->dispose = cabut_window_dispose;
  object_class->finalize = cabut_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = cabut_window_close_request;
  object_class->get_property = cabut_window_get_property;
  object_class->set_property = cabut_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CABUT_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CABUT_TYPE_ASSISTANT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, CabutWindow, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, CabutWindow, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CabutWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CabutWindow, assistant);

  gtk_widget_class_install_action (widget_class, "win.show-requests", NULL, show_requests_action);
  gtk_widget_class_install_action (widget_class, "win.show-assistant", NULL, show_assistant_action);
  gtk_widget_class_install_action (widget_class, "win.show-complaints", NULL, show_complaints_action);
  gtk_widget_class_install_action (widget_class, "win.complain-about-request", "s", complain_about_request_action);
  gtk_widget_class_install_action (widget_class, "win.show-desk", NULL, show_desk_action);
  gtk_widget_class_install_action (widget_class, "win.start-over", NULL, start_over_action);
  gtk_widget_class_install_action (widget_class, "win.resume-draft", NULL, resume_draft_action);
  gtk_widget_class_install_action (widget_class, "win.discard-draft", NULL, discard_draft_action);
  gtk_widget_class_install_action (widget_class, "win.open-certificate", "s", open_certificate_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.show-assistant", NULL);
}

static void
cabut_window_init (CabutWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cabut_probe_watch_window (GTK_WINDOW (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

/**
 * cabut_window_new:
 * @context: (nullable): what the pages share, or %NULL for one made from
 *   the default settings and store
 */
CabutWindow *
cabut_window_new (GtkApplication *application,
                  CabutContext   *context)
{
  return g_object_new (CABUT_TYPE_WINDOW, "application", application, "context", context, NULL);
}

CabutContext *
cabut_window_get_context (CabutWindow *self)
{
  g_return_val_if_fail (CABUT_IS_WINDOW (self), NULL);
  return self->context;
}

CabutAssistant *
cabut_window_get_assistant (CabutWindow *self)
{
  g_return_val_if_fail (CABUT_IS_WINDOW (self), NULL);
  return self->assistant;
}

GtkWidget *
cabut_window_get_requests_view (CabutWindow *self)
{
  g_return_val_if_fail (CABUT_IS_WINDOW (self), NULL);
  return self->requests_view;
}

GtkWidget *
cabut_window_get_desk_view (CabutWindow *self)
{
  g_return_val_if_fail (CABUT_IS_WINDOW (self), NULL);
  return self->desk_view;
}

/** cabut_window_get_ready: Returns: %TRUE once the store was opened (or failed to) and a draft offered */
gboolean
cabut_window_get_ready (CabutWindow *self)
{
  g_return_val_if_fail (CABUT_IS_WINDOW (self), FALSE);
  return self->ready;
}

/**
 * cabut_window_open_file:
 *
 * Starts a request with @file: its details for a certificate, the password
 * field for a PKCS#12 file. (`cabut FILE`, a double-click, the demo.)
 */
void
cabut_window_open_file (CabutWindow *self,
                        GFile       *file)
{
  CabutPage *page;

  g_return_if_fail (CABUT_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* Wait for the store, so the file's draft is the one kept. */
  if (!self->ready)
    {
      g_set_object (&self->pending_file, file);
      return;
    }

  if (cabut_draft_get_state (cabut_context_get_draft (self->context)) != CABUT_DRAFT_STATE_EDITING)
    cabut_context_start_over (self->context);

  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->assistant));
  cabut_assistant_go_to_step (self->assistant, CABUT_DRAFT_STEP_CERTIFICATE);
  page = cabut_assistant_get_page (self->assistant, CABUT_DRAFT_STEP_CERTIFICATE);
  cabut_certificate_page_set_file (CABUT_CERTIFICATE_PAGE (page), file);
}

/** cabut_window_get_tracker: Returns: (transfer none): what tells this window's account of decisions */
CabutTracker *
cabut_window_get_tracker (CabutWindow *self)
{
  g_return_val_if_fail (CABUT_IS_WINDOW (self), NULL);
  return self->tracker;
}

/** cabut_window_show_request: shows request @request_id of My requests, as a notification's action does */
void
cabut_window_show_request (CabutWindow *self,
                           const char  *request_id)
{
  g_return_if_fail (CABUT_IS_WINDOW (self));
  g_return_if_fail (request_id != NULL);

  gtk_stack_set_visible_child (self->main_stack, self->requests_view);
  cabut_requests_view_open_id (CABUT_REQUESTS_VIEW (self->requests_view), request_id);
}

/** cabut_window_show_complaint: shows complaint @complaint_id with its conversation, as a notification's action does */
void
cabut_window_show_complaint (CabutWindow *self,
                             const char  *complaint_id)
{
  g_return_if_fail (CABUT_IS_WINDOW (self));
  g_return_if_fail (complaint_id != NULL);

  gtk_stack_set_visible_child (self->main_stack, self->complaints_view);
  cabut_complaints_view_open (CABUT_COMPLAINTS_VIEW (self->complaints_view), complaint_id);
}

/** cabut_window_get_complaints_view: Returns: (transfer none): the applicant's complaints */
GtkWidget *
cabut_window_get_complaints_view (CabutWindow *self)
{
  g_return_val_if_fail (CABUT_IS_WINDOW (self), NULL);
  return self->complaints_view;
}

/**
 * cabut_window_file_again:
 * @draft: a new draft filing a rejected request again (cabut_draft_new_again())
 *
 * Takes @draft into the wizard, on to the reason step where what to fix
 * is said. A certificate file kept on this computer is read again on the
 * way, so a PKCS#12 file's private key (never kept) proves possession once
 * more: its password is asked. Without a certificate (the request was
 * filed from another computer), the wizard asks for the file.
 */
void
cabut_window_file_again (CabutWindow *self,
                         CabutDraft  *draft)
{
  CabutCertificate *certificate;
  GFile *file;

  g_return_if_fail (CABUT_IS_WINDOW (self));
  g_return_if_fail (CABUT_IS_DRAFT (draft));

  if (cabut_draft_get_state (cabut_context_get_draft (self->context)) == CABUT_DRAFT_STATE_QUEUED)
    {
      /* A request in the outbox is finished, never dropped. */
      adw_toast_overlay_add_toast (self->toasts,
                                   adw_toast_new (_("Finish sending the request first; it is saved")));
      return;
    }

  cabut_welcome_page_offer_draft (self->welcome_page, NULL);
  g_clear_object (&self->offered);
  cabut_context_set_draft (self->context, draft);
  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->assistant));
  /* From the start, so every page shows the new draft. */
  cabut_assistant_go_to_step (self->assistant, CABUT_DRAFT_STEP_WELCOME);
  cabut_assistant_go_to_step (self->assistant, CABUT_DRAFT_STEP_CERTIFICATE);

  certificate = cabut_draft_get_certificate (draft);
  file = cabut_draft_get_certificate_file (draft);
  if (certificate == NULL)
    return;

  if (file != NULL && !cabut_certificate_has_private_key (certificate))
    {
      CabutPage *page = cabut_assistant_get_page (self->assistant, CABUT_DRAFT_STEP_CERTIFICATE);

      cabut_certificate_page_set_file (CABUT_CERTIFICATE_PAGE (page), file);
    }
  cabut_assistant_resume (self->assistant, CABUT_DRAFT_STEP_REASON);
}
