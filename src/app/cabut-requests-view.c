/* cabut-requests-view.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-requests-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-request-details.h"
#include "cabut-requests-view.h"
#include "cabut-util.h"

/* "My requests": a plain list of the account's requests with their state
 * and deadline — from the service when signed in, else from this
 * computer's copy, saying when that copy was made. (The full history with
 * timelines and notifications is its own piece of work.) */
struct _CabutRequestsView
{
  GtkBox          parent_instance;

  AdwWindowTitle *title;
  GtkStack       *stack;
  AdwStatusPage  *empty_page;
  GtkListBox     *list;
  GtkWidget      *back_button;
  GtkWidget      *details;

  CabutContext   *context;
  GPtrArray      *requests;
  GCancellable   *cancellable;
  guint           n_requests;
};

G_DEFINE_FINAL_TYPE (CabutRequestsView, cabut_requests_view, GTK_TYPE_BOX)

static void
show_requests (CabutRequestsView *self,
               GListModel        *requests,
               gboolean           offline)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  self->n_requests = requests ? g_list_model_get_n_items (requests) : 0;
  g_ptr_array_set_size (self->requests, 0);
  for (guint i = 0; i < self->n_requests; i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);
      CabutRequestState state = cabut_request_get_state (request);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *badge = gtk_label_new (cabut_request_state_to_label (state));
      g_autofree char *due = cabut_format_date_time (cabut_request_get_due (request));
      g_autofree char *subtitle = NULL;

      if (cabut_request_state_is_open (state))
        /* Translators: a reason, then a date */
        subtitle = g_strdup_printf (_("%s · due %s%s"), cabut_request_get_reason_label (request), due,
                                    cabut_request_get_overdue (request) ? _(" · overdue") : "");
      else
        subtitle = g_strdup (cabut_request_get_reason_label (request));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cabut_request_get_id (request));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
      gtk_widget_add_css_class (badge, "caption-heading");
      gtk_widget_add_css_class (badge, state == CABUT_REQUEST_STATE_REVOKED ? "success"
                                       : state == CABUT_REQUEST_STATE_REJECTED ? "error" : "accent");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "cabut-index", GUINT_TO_POINTER (self->requests->len));
      g_ptr_array_add (self->requests, g_object_ref (request));
      gtk_list_box_append (self->list, row);
    }

  adw_window_title_set_subtitle (self->title, offline ? _("Saved on this computer; sign in to bring it up to date")
                                                      : "");
  adw_status_page_set_description (self->empty_page,
                                   offline ? _("Requests you file from this computer are listed here.") : NULL);
  if (gtk_stack_get_visible_child (self->stack) != self->details)
    gtk_stack_set_visible_child_name (self->stack, self->n_requests > 0 ? "list" : "empty");
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CabutRequestsView) self = user_data;
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(GError) error = NULL;

  requests = cabut_store_list_requests_finish (CABUT_STORE (object), result, &error);
  if (requests == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_status_page_set_description (self->empty_page, error->message);
      return;
    }

  show_requests (self, requests, TRUE);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cabut_store_save_requests_finish (CABUT_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Failed to keep the requests on this computer: %s", error->message);
}

static void
load_stored (CabutRequestsView *self)
{
  CabutStore *store = cabut_context_get_store (self->context);
  CabutDraft *draft = cabut_context_get_draft (self->context);
  const char *username = cabut_draft_get_username (draft);

  if (store == NULL || username == NULL || cabut_context_get_server_url (self->context) == NULL)
    {
      show_requests (self, NULL, TRUE);
      return;
    }

  cabut_store_list_requests_async (store, cabut_context_get_server_url (self->context), username,
                                   self->cancellable, stored_cb, g_object_ref (self));
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CabutRequestsView) self = user_data;
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(GError) error = NULL;
  CabutStore *store;
  CabutProfile *profile;

  requests = cabut_ams_client_list_requests_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (requests == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        load_stored (self);
      return;
    }

  show_requests (self, requests, FALSE);

  store = cabut_context_get_store (self->context);
  profile = cabut_context_get_profile (self->context);
  if (store != NULL && profile != NULL)
    cabut_store_save_requests_async (store, cabut_context_get_server_url (self->context),
                                     cabut_profile_get_username (profile), requests, self->cancellable, saved_cb,
                                     NULL);
}

/** cabut_requests_view_refresh: reads the list again */
void
cabut_requests_view_refresh (CabutRequestsView *self)
{
  CabutAmsClient *client;

  g_return_if_fail (CABUT_IS_REQUESTS_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, self->n_requests > 0 ? "list" : "empty");

  client = cabut_context_get_client (self->context);
  if (client != NULL && cabut_context_get_profile (self->context) != NULL)
    cabut_ams_client_list_requests_async (client, self->cancellable, listed_cb, g_object_ref (self));
  else
    load_stored (self);
}

static void
refresh_clicked_cb (CabutRequestsView *self)
{
  if (gtk_stack_get_visible_child (self->stack) == self->details)
    cabut_request_details_show (CABUT_REQUEST_DETAILS (self->details),
                                cabut_request_details_get_request (CABUT_REQUEST_DETAILS (self->details)));
  else
    cabut_requests_view_refresh (self);
}

/** cabut_requests_view_open: shows @request with its timeline */
void
cabut_requests_view_open (CabutRequestsView *self,
                          CabutRequest      *request)
{
  g_return_if_fail (CABUT_IS_REQUESTS_VIEW (self));

  cabut_request_details_show (CABUT_REQUEST_DETAILS (self->details), request);
  gtk_stack_set_visible_child (self->stack, self->details);
  adw_window_title_set_title (self->title, cabut_request_get_id (request));
  adw_window_title_set_subtitle (self->title, "");
}

static void
row_activated_cb (CabutRequestsView *self,
                  GtkListBoxRow     *row)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "cabut-index"));

  if (index < self->requests->len)
    cabut_requests_view_open (self, g_ptr_array_index (self->requests, index));
}

/* From a request back to the list; from the list back to the assistant. */
static void
back_clicked_cb (CabutRequestsView *self)
{
  if (gtk_stack_get_visible_child (self->stack) == self->details)
    {
      adw_window_title_set_title (self->title, _("My Requests"));
      cabut_requests_view_refresh (self);
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-assistant", NULL);
}

/** cabut_requests_view_get_details: Returns: (transfer none): the page of one request */
GtkWidget *
cabut_requests_view_get_details (CabutRequestsView *self)
{
  g_return_val_if_fail (CABUT_IS_REQUESTS_VIEW (self), NULL);
  return self->details;
}

static void
cabut_requests_view_dispose (GObject *object)
{
  CabutRequestsView *self = (CabutRequestsView *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->requests, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_REQUESTS_VIEW);

  G_OBJECT_CLASS (cabut_requests_view_parent_class)->dispose (object);
}

static void
cabut_requests_view_class_init (CabutRequestsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_requests_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-requests-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutRequestsView, title);
  gtk_widget_class_bind_template_child (widget_class, CabutRequestsView, stack);
  gtk_widget_class_bind_template_child (widget_class, CabutRequestsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CabutRequestsView, list);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
}

static void
cabut_requests_view_init (CabutRequestsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->requests = g_ptr_array_new_with_free_func (g_object_unref);
}

GtkWidget *
cabut_requests_view_new (CabutContext *context)
{
  CabutRequestsView *self;

  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  self = g_object_new (CABUT_TYPE_REQUESTS_VIEW, NULL);
  self->context = g_object_ref (context);
  self->details = cabut_request_details_new (context);
  gtk_stack_add_named (self->stack, self->details, "request");

  return GTK_WIDGET (self);
}

guint
cabut_requests_view_get_n_requests (CabutRequestsView *self)
{
  g_return_val_if_fail (CABUT_IS_REQUESTS_VIEW (self), 0);
  return self->n_requests;
}
