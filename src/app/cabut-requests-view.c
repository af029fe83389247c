/* cabut-requests-view.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-requests-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-history-row.h"
#include "cabut-request-details.h"
#include "cabut-requests-view.h"
#include "cabut-slot-model.h"
#include "cabut-util.h"

/* "My requests": every request of every account used on this computer
 * with this service, from the store (so it works offline, saying when it
 * was last brought up to date), brought up to date from the service when
 * shown, on sign-in and when the network comes back. Searchable by number,
 * serial, name and state, filterable by state; a request opens its page. */
struct _CabutRequestsView
{
  GtkBox            parent_instance;

  AdwWindowTitle   *title;
  GtkStack         *stack;
  GtkStack         *results_stack;
  AdwStatusPage    *empty_page;
  GtkListView      *list;
  GtkSearchEntry   *search_entry;
  GtkDropDown      *filter_dropdown;
  GtkStringList    *filter_labels;
  GtkWidget        *details;

  CabutContext     *context;
  CabutHistory     *history;
  GCancellable     *cancellable;
  GNetworkMonitor  *monitor;
  gboolean          network_available;
  gboolean          synced;     /* brought up to date from the service this time */
  gboolean          updating_labels;
  char             *pending_id;  /* to open once the history is read */
  char             *sync_error;
};

G_DEFINE_FINAL_TYPE (CabutRequestsView, cabut_requests_view, GTK_TYPE_BOX)

/* "Revoked (3)": the counts change with the history, the choice stays. */
static void
update_filter_labels (CabutRequestsView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);
  gboolean same = TRUE;

  for (guint f = 0; f < CABUT_HISTORY_N_FILTERS; f++)
    {
      /* Translators: which requests, then how many there are */
      g_autofree char *label = g_strdup_printf (_("%s (%u)"), cabut_history_filter_to_label (f),
                                                cabut_history_count (self->history, f));

      same &= g_strcmp0 (label, gtk_string_list_get_string (self->filter_labels, f)) == 0;
      g_strv_builder_add (builder, label);
    }
  if (same)
    return;

  labels = g_strv_builder_end (builder);
  self->updating_labels = TRUE;
  gtk_string_list_splice (self->filter_labels, 0, CABUT_HISTORY_N_FILTERS, (const char * const *) labels);
  gtk_drop_down_set_selected (self->filter_dropdown, selected);
  self->updating_labels = FALSE;
}

static void
update_status (CabutRequestsView *self)
{
  GDateTime *updated_at = cabut_history_get_updated_at (self->history);
  g_autofree char *when = updated_at != NULL ? cabut_format_date_time (updated_at) : NULL;
  g_autofree char *subtitle = NULL;
  guint n = cabut_history_get_n_requests (self->history);

  if (self->synced)
    subtitle = g_strdup (_("Up to date"));
  else if (self->sync_error != NULL)
    subtitle = when != NULL
                 /* Translators: a date and time */
                 ? g_strdup_printf (_("The service cannot be reached: as of %s"), when)
                 : g_strdup (_("The service cannot be reached"));
  else if (when != NULL)
    /* Translators: a date and time */
    subtitle = g_strdup_printf (_("As of %s: sign in to bring it up to date"), when);
  else
    subtitle = g_strdup (_("Sign in to bring it up to date"));
  adw_window_title_set_subtitle (self->title, subtitle);

  update_filter_labels (self);

  adw_status_page_set_description (self->empty_page,
                                   self->sync_error != NULL ? self->sync_error
                                   : _("Requests filed from this computer, and those of accounts signed in "
                                       "here, are listed here."));
  if (gtk_stack_get_visible_child (self->stack) != self->details)
    gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->results_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->history)) > 0 ? "results"
                                                                                                 : "no-results");
}

static void
history_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CabutRequestsView) self = user_data;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GDateTime) updated_at = NULL;
  g_autoptr(GError) error = NULL;

  requests = cabut_store_load_history_finish (CABUT_STORE (object), result, &updated_at, &error);
  if (requests == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Said, never shown as "no requests". */
      g_free (self->sync_error);
      self->sync_error = g_strdup (error->message);
      update_status (self);
      return;
    }

  cabut_history_set_requests (self->history, requests, updated_at);
  update_status (self);
  if (self->pending_id != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->pending_id);
      CabutRequest *request = cabut_history_find (self->history, id);

      if (request != NULL)
        cabut_requests_view_open (self, request);
    }
}

static void
load_history (CabutRequestsView *self)
{
  CabutStore *store = cabut_context_get_store (self->context);
  const char *server_url = cabut_context_get_server_url (self->context);

  if (store == NULL || server_url == NULL)
    {
      update_status (self);
      return;
    }

  cabut_store_load_history_async (store, server_url, self->cancellable, history_loaded_cb, g_object_ref (self));
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CabutRequestsView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_store_save_requests_finish (CABUT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Failed to keep the requests on this computer: %s", error->message);
    }

  load_history (self);
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
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_free (self->sync_error);
      self->sync_error = g_strdup (error->message);
      self->synced = FALSE;
      update_status (self);
      return;
    }

  g_clear_pointer (&self->sync_error, g_free);
  self->synced = TRUE;
  update_status (self);
  store = cabut_context_get_store (self->context);
  profile = cabut_context_get_profile (self->context);
  if (store != NULL && profile != NULL && cabut_context_get_server_url (self->context) != NULL)
    {
      cabut_store_save_requests_async (store, cabut_context_get_server_url (self->context),
                                       cabut_profile_get_username (profile), requests, self->cancellable, saved_cb,
                                       g_object_ref (self));
      return;
    }

  /* Nowhere to keep them: shown as the service sent them. */
  {
    g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
      g_ptr_array_add (array, g_list_model_get_item (requests, i));
    cabut_history_set_requests (self->history, array, NULL);
    update_status (self);
  }
}

/** cabut_requests_view_refresh: shows what this computer kept, then brings it up to date when signed in */
void
cabut_requests_view_refresh (CabutRequestsView *self)
{
  CabutAmsClient *client;

  g_return_if_fail (CABUT_IS_REQUESTS_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  load_history (self);
  client = cabut_context_get_client (self->context);
  if (client != NULL && cabut_context_get_profile (self->context) != NULL)
    cabut_ams_client_list_requests_async (client, self->cancellable, listed_cb, g_object_ref (self));
  else
    self->synced = FALSE;
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

static void
search_changed_cb (CabutRequestsView *self)
{
  cabut_history_set_query (self->history, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_status (self);
}

static void
filter_changed_cb (CabutRequestsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  if (self->updating_labels)
    return;
  if (selected < CABUT_HISTORY_N_FILTERS)
    cabut_history_set_filter (self->history, selected);
  update_status (self);
}

static void
list_activate_cb (CabutRequestsView *self,
                  guint              position)
{
  g_autoptr(CabutRequest) request = g_list_model_get_item (G_LIST_MODEL (self->history), position);

  if (request != NULL)
    cabut_requests_view_open (self, request);
}

/* One row: number and applicant, reason and deadline, state, drawn by one
 * widget. The list view's items are slots (CabutSlotModel): a search that
 * changes which requests are at the top gives its rows other requests
 * instead of having GTK 4.8 make a couple of hundred rows anew. */
static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CabutRequestsView        *self)
{
  gtk_list_item_set_child (item, cabut_history_row_new ());
}

static void
show_request (CabutHistoryRow *row,
              CabutRequest    *request)
{
  GtkWidget *list_row = gtk_widget_get_parent (GTK_WIDGET (row));

  cabut_history_row_set_request (row, request);
  /* The list's own row is what takes the focus and what screen readers
   * read; without a name it would be read as its type's. */
  if (list_row != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (list_row),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, cabut_history_row_get_title (row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, cabut_history_row_get_description (row),
                                    -1);
}

static void
slot_changed_cb (CabutSlot       *slot,
                 GParamSpec      *pspec,
                 CabutHistoryRow *row)
{
  show_request (row, cabut_slot_get_item (slot));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CabutRequestsView        *self)
{
  CabutSlot *slot = gtk_list_item_get_item (item);
  CabutHistoryRow *row = CABUT_HISTORY_ROW (gtk_list_item_get_child (item));

  show_request (row, cabut_slot_get_item (slot));
  g_signal_connect_object (slot, "notify::item", G_CALLBACK (slot_changed_cb), row, 0);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CabutRequestsView        *self)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), slot_changed_cb,
                                        gtk_list_item_get_child (item));
}

static void
signed_in_cb (CabutRequestsView *self)
{
  if (cabut_context_get_profile (self->context) != NULL)
    cabut_requests_view_refresh (self);
}

static void
network_changed_cb (CabutRequestsView *self,
                    gboolean           available)
{
  gboolean was = self->network_available;

  self->network_available = available;
  if (available && !was && cabut_context_get_profile (self->context) != NULL)
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

/** cabut_requests_view_show_list: shows the list, brought up to date */
void
cabut_requests_view_show_list (CabutRequestsView *self)
{
  g_return_if_fail (CABUT_IS_REQUESTS_VIEW (self));

  adw_window_title_set_title (self->title, _("My Requests"));
  gtk_stack_set_visible_child_name (self->stack, "list");
  cabut_requests_view_refresh (self);
  update_status (self);
}

/**
 * cabut_requests_view_open_id:
 *
 * Shows request @request_id, once the history holds it (it may still be
 * on its way from the store).
 */
void
cabut_requests_view_open_id (CabutRequestsView *self,
                             const char        *request_id)
{
  CabutRequest *request;

  g_return_if_fail (CABUT_IS_REQUESTS_VIEW (self));

  request = cabut_history_find (self->history, request_id);
  if (request != NULL)
    {
      cabut_requests_view_open (self, request);
      return;
    }

  g_free (self->pending_id);
  self->pending_id = g_strdup (request_id);
  cabut_requests_view_show_list (self);
}

/* From a request back to the list; from the list back to the assistant. */
static void
back_clicked_cb (CabutRequestsView *self)
{
  if (gtk_stack_get_visible_child (self->stack) == self->details)
    {
      cabut_requests_view_show_list (self);
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
store_changed_cb (CabutRequestsView *self)
{
  if (cabut_context_get_store (self->context) != NULL)
    load_history (self);
}

static void
cabut_requests_view_dispose (GObject *object)
{
  CabutRequestsView *self = (CabutRequestsView *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->context);
  g_clear_object (&self->history);
  g_clear_pointer (&self->sync_error, g_free);
  g_clear_pointer (&self->pending_id, g_free);

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
  gtk_widget_class_bind_template_child (widget_class, CabutRequestsView, results_stack);
  gtk_widget_class_bind_template_child (widget_class, CabutRequestsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CabutRequestsView, list);
  gtk_widget_class_bind_template_child (widget_class, CabutRequestsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CabutRequestsView, filter_dropdown);
  gtk_widget_class_bind_template_child_full (widget_class, "refresh_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
}

static void
cabut_requests_view_init (CabutRequestsView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->history = cabut_history_new ();
  selection = gtk_no_selection_new (G_LIST_MODEL (cabut_slot_model_new (G_LIST_MODEL (self->history))));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list, factory);
  gtk_list_view_set_model (self->list, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  g_object_unref (factory);

  self->filter_labels = gtk_string_list_new (NULL);
  for (guint f = 0; f < CABUT_HISTORY_N_FILTERS; f++)
    gtk_string_list_append (self->filter_labels, cabut_history_filter_to_label (f));
  gtk_drop_down_set_model (self->filter_dropdown, G_LIST_MODEL (self->filter_labels));
  g_object_unref (self->filter_labels);

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->monitor);
  g_signal_connect_swapped (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self);
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
  g_signal_connect_object (context, "notify::profile", G_CALLBACK (signed_in_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::store", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  self->cancellable = g_cancellable_new ();
  load_history (self);

  return GTK_WIDGET (self);
}

/** cabut_requests_view_get_n_requests: Returns: how many requests the history holds, shown or not */
guint
cabut_requests_view_get_n_requests (CabutRequestsView *self)
{
  g_return_val_if_fail (CABUT_IS_REQUESTS_VIEW (self), 0);
  return cabut_history_get_n_requests (self->history);
}

/** cabut_requests_view_get_history: Returns: (transfer none): the requests the list shows */
CabutHistory *
cabut_requests_view_get_history (CabutRequestsView *self)
{
  g_return_val_if_fail (CABUT_IS_REQUESTS_VIEW (self), NULL);
  return self->history;
}

/** cabut_requests_view_get_synced: Returns: whether the list was brought up to date from the service */
gboolean
cabut_requests_view_get_synced (CabutRequestsView *self)
{
  g_return_val_if_fail (CABUT_IS_REQUESTS_VIEW (self), FALSE);
  return self->synced;
}
