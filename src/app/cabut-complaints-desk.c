/* cabut-complaints-desk.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-complaints-desk"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-complaint-thread.h"
#include "cabut-complaints-desk.h"
#include "cabut-util.h"

/* The officers' complaints, for the desk's "Complaints" section: every
 * unresolved complaint, oldest first, overdue ones marked; the one chosen
 * beside the list with its conversation, to answer, escalate to an
 * official or mark solved (an escalated one: the official, the admin
 * role). A step here, or news from the service's event feed (a complaint
 * filed, replied to or answered elsewhere), brings the list up to date. */

struct _CabutComplaintsDesk
{
  GtkWidget     parent_instance;

  CabutContext *context;
  GCancellable *cancellable;
  GCancellable *list_cancellable;  /* the listing under way; a newer one cancels it */
  CabutEventFeed *feed;        /* complaints filed or changed elsewhere */
  guint         news_id;       /* an idle bringing the list up to date after news */
  GListModel   *complaints;    /* CabutComplaint, as last listed */
  char         *open_id;       /* the complaint shown, or being fetched */
  guint         loading;

  GtkLabel     *count_label;
  GtkDropDown  *filter_dropdown;
  GtkStack     *list_stack;
  GtkListBox   *list_box;
  AdwStatusPage *error_page;
  GtkStack     *thread_stack;
  GtkWidget    *thread;
};

G_DEFINE_FINAL_TYPE (CabutComplaintsDesk, cabut_complaints_desk, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
loading_changed (CabutComplaintsDesk *self,
                 int                  delta)
{
  gboolean was_busy = self->loading > 0;

  self->loading += delta;
  if (was_busy != (self->loading > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The states the filter offers, in its order, as the service names them. */
static const char * const filters[] = { "unresolved", "escalated", "resolved", "all" };

static const char *
current_filter (CabutComplaintsDesk *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  return selected < G_N_ELEMENTS (filters) ? filters[selected] : filters[0];
}

static void
show_list (CabutComplaintsDesk *self)
{
  guint n = g_list_model_get_n_items (self->complaints);
  guint overdue = 0;
  GtkWidget *child;
  g_autofree char *count = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CabutComplaint) complaint = g_list_model_get_item (self->complaints, i);
      GtkWidget *row = cabut_complaint_row_new (complaint, TRUE);

      overdue += cabut_complaint_get_overdue (complaint);
      gtk_list_box_append (self->list_box, row);
      if (g_strcmp0 (self->open_id, cabut_complaint_get_id (complaint)) == 0)
        gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (row));
    }

  if (!g_str_equal (current_filter (self), "unresolved"))
    count = g_strdup_printf (ngettext ("%u complaint", "%u complaints", n), n);
  else if (overdue > 0)
    /* Translators: the first %u is how many complaints wait, the second how many of them are overdue */
    count = g_strdup_printf (ngettext ("%u complaint waiting, %u overdue", "%u complaints waiting, %u overdue", n),
                             n, overdue);
  else
    count = g_strdup_printf (ngettext ("%u complaint waiting", "%u complaints waiting", n), n);
  gtk_label_set_text (self->count_label, count);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CabutComplaintsDesk) self = user_data;
  g_autoptr(GListModel) complaints = NULL;
  g_autoptr(GError) error = NULL;

  complaints = cabut_ams_client_list_complaints_finish (CABUT_AMS_CLIENT (object), result, &error);
  loading_changed (self, -1);
  /* Superseded by a newer listing, or the desk is going away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (complaints == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      gtk_label_set_text (self->count_label, "");
    }
  else
    {
      g_set_object (&self->complaints, complaints);
      show_list (self);
    }
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CabutComplaintsDesk) self = user_data;
  g_autoptr(CabutComplaint) complaint = NULL;
  g_autoptr(GError) error = NULL;

  complaint = cabut_ams_client_get_complaint_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  loading_changed (self, -1);
  if (complaint == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
      return;
    }
  if (g_strcmp0 (self->open_id, cabut_complaint_get_id (complaint)) != 0)
    return;   /* another was chosen meanwhile */

  cabut_complaint_thread_set_complaint (CABUT_COMPLAINT_THREAD (self->thread), complaint);
  gtk_stack_set_visible_child (self->thread_stack, self->thread);
}

static void
row_activated_cb (CabutComplaintsDesk *self,
                  GtkListBoxRow       *row)
{
  CabutComplaint *complaint = g_object_get_data (G_OBJECT (row), "complaint");

  cabut_complaints_desk_open (self, cabut_complaint_get_id (complaint));
}

static void
refresh_clicked_cb (CabutComplaintsDesk *self)
{
  cabut_complaints_desk_refresh (self);
}

static void
filter_changed_cb (CabutComplaintsDesk *self)
{
  if (self->context != NULL)
    cabut_complaints_desk_refresh (self);
}

static void
thread_changed_cb (CabutComplaintsDesk *self)
{
  cabut_complaints_desk_refresh (self);
}

static gboolean
news_idle_cb (gpointer user_data)
{
  CabutComplaintsDesk *self = user_data;
  CabutComplaintThread *thread = CABUT_COMPLAINT_THREAD (self->thread);

  self->news_id = 0;
  cabut_complaints_desk_refresh (self);
  /* The one shown changed too, unless an officer here is writing to it. */
  if (self->open_id != NULL && !cabut_complaint_thread_get_busy (thread) &&
      cabut_complaint_thread_get_complaint (thread) != NULL)
    cabut_complaints_desk_open (self, self->open_id);

  return G_SOURCE_REMOVE;
}

/* Another officer answered, an applicant filed or replied: the list is
 * brought up to date once the feed's news is all told. */
static void
complaint_event_cb (CabutComplaintsDesk *self,
                    const char          *complaint_id,
                    const char          *kind,
                    CabutComplaintState  state,
                    const char          *text,
                    GDateTime           *at)
{
  if (self->news_id == 0)
    self->news_id = g_idle_add (news_idle_cb, self);
}

static void
cabut_complaints_desk_dispose (GObject *object)
{
  CabutComplaintsDesk *self = (CabutComplaintsDesk *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->list_cancellable != NULL)
    g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_handle_id (&self->news_id, g_source_remove);
  if (self->feed != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->feed, self);
      cabut_event_feed_stop (self->feed);
      g_clear_object (&self->feed);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_COMPLAINTS_DESK);
  /* The template's root box is a child of ours: a GtkWidget drops its own. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->complaints);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->open_id, g_free);

  G_OBJECT_CLASS (cabut_complaints_desk_parent_class)->dispose (object);
}

static void
cabut_complaints_desk_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CabutComplaintsDesk *self = CABUT_COMPLAINTS_DESK (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, cabut_complaints_desk_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_complaints_desk_class_init (CabutComplaintsDeskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_complaints_desk_dispose;
  object_class->get_property = cabut_complaints_desk_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-complaints-desk.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsDesk, count_label);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsDesk, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsDesk, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsDesk, list_box);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsDesk, error_page);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsDesk, thread_stack);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
}

static void
cabut_complaints_desk_init (CabutComplaintsDesk *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cabut_name_icon_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->complaints = G_LIST_MODEL (g_list_store_new (CABUT_TYPE_COMPLAINT));
}

/**
 * cabut_complaints_desk_new:
 * @context: with an officer (operator or admin) signed in
 *
 * Returns: (transfer floating): the desk's complaints, listing them at once
 */
GtkWidget *
cabut_complaints_desk_new (CabutContext *context)
{
  CabutComplaintsDesk *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  self = g_object_new (CABUT_TYPE_COMPLAINTS_DESK, NULL);
  self->context = g_object_ref (context);
  self->thread = cabut_complaint_thread_new (context, TRUE);
  gtk_stack_add_named (self->thread_stack, self->thread, "thread");
  g_signal_connect_object (self->thread, "changed", G_CALLBACK (thread_changed_cb), self, G_CONNECT_SWAPPED);
  /* Without a feed the list is brought up to date by its own steps and Refresh. */
  if ((self->feed = cabut_context_new_event_feed (context, &error)) != NULL)
    {
      g_signal_connect_swapped (self->feed, "complaint-event", G_CALLBACK (complaint_event_cb), self);
      cabut_event_feed_start (self->feed);
    }
  else
    g_warning ("Failed to follow the service's news: %s", error->message);
  cabut_complaints_desk_refresh (self);

  return GTK_WIDGET (self);
}

/* Lists the complaints in the state chosen again (unresolved at first; the one shown stays). */
void
cabut_complaints_desk_refresh (CabutComplaintsDesk *self)
{
  g_return_if_fail (CABUT_IS_COMPLAINTS_DESK (self));

  if (self->list_cancellable != NULL)
    g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  loading_changed (self, +1);
  cabut_ams_client_list_complaints_async (cabut_context_get_client (self->context), current_filter (self),
                                          self->list_cancellable, listed_cb, g_object_ref (self));
}

/* Shows complaint @complaint_id with its conversation. */
void
cabut_complaints_desk_open (CabutComplaintsDesk *self,
                            const char          *complaint_id)
{
  g_autofree char *id = NULL;

  g_return_if_fail (CABUT_IS_COMPLAINTS_DESK (self));
  g_return_if_fail (complaint_id != NULL);

  /* @complaint_id may be the one shown already. */
  id = g_strdup (complaint_id);
  g_free (self->open_id);
  self->open_id = g_steal_pointer (&id);
  loading_changed (self, +1);
  cabut_ams_client_get_complaint_async (cabut_context_get_client (self->context), self->open_id, self->cancellable,
                                        fetched_cb, g_object_ref (self));
}

/** cabut_complaints_desk_get_busy: Returns: %TRUE while listing or fetching, or a step is on its way */
gboolean
cabut_complaints_desk_get_busy (CabutComplaintsDesk *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINTS_DESK (self), FALSE);
  return self->loading > 0 || cabut_complaint_thread_get_busy (CABUT_COMPLAINT_THREAD (self->thread));
}

/** cabut_complaints_desk_get_complaints: Returns: (transfer none): the complaints as last listed */
GListModel *
cabut_complaints_desk_get_complaints (CabutComplaintsDesk *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINTS_DESK (self), NULL);
  return self->complaints;
}

/** cabut_complaints_desk_get_thread: Returns: (transfer none): the #CabutComplaintThread beside the list */
GtkWidget *
cabut_complaints_desk_get_thread (CabutComplaintsDesk *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINTS_DESK (self), NULL);
  return self->thread;
}
