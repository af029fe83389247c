/* cabut-complaints-view.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-complaints-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-complaint-thread.h"
#include "cabut-complaints-view.h"
#include "cabut-util.h"

/* An applicant's complaints (pengaduan): the list with each one's state and
 * deadline, a new one (optionally about one of their requests), and one
 * complaint's conversation, where they reply. Read from the service under
 * the signed-in account; nothing of it is kept on this computer. */

struct _CabutComplaintsView
{
  GtkWidget      parent_instance;

  CabutContext  *context;
  GCancellable  *cancellable;
  GListModel    *complaints;
  char          *open_id;
  guint          loading;
  guint          news_id;       /* the feed's news, told once it is all in */
  gboolean       thread_news;   /* some of it about the complaint shown */

  GtkStack      *stack;
  GtkListBox    *list_box;
  AdwStatusPage *error_page;
  GtkWidget     *new_button;
  GtkWidget     *refresh_button;
  GtkLabel      *deadline_label;
  AdwEntryRow   *request_row;
  GtkTextView   *new_text;
  GtkLabel      *new_error;
  GtkWidget     *file_button;
  GtkWidget     *thread;
};

G_DEFINE_FINAL_TYPE (CabutComplaintsView, cabut_complaints_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
loading_changed (CabutComplaintsView *self,
                 int                  delta)
{
  gboolean was_busy = self->loading > 0;

  self->loading += delta;
  if (was_busy != (self->loading > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
signed_in (CabutComplaintsView *self)
{
  CabutAmsClient *client = cabut_context_get_client (self->context);

  return client != NULL && cabut_ams_client_get_token (client) != NULL;
}

static void
show_error (CabutComplaintsView *self,
            const GError        *error)
{
  g_debug ("Complaints cannot be shown: %s", error->message);
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
fill_list (CabutComplaintsView *self)
{
  GtkWidget *child;
  guint n = g_list_model_get_n_items (self->complaints);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CabutComplaint) complaint = g_list_model_get_item (self->complaints, i);

      gtk_list_box_append (self->list_box, cabut_complaint_row_new (complaint, FALSE));
    }
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CabutComplaintsView) self = user_data;
  g_autoptr(GListModel) complaints = NULL;
  g_autoptr(GError) error = NULL;
  const char *page;

  complaints = cabut_ams_client_list_complaints_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  loading_changed (self, -1);
  page = gtk_stack_get_visible_child_name (self->stack);
  if (complaints == NULL)
    {
      if (g_strcmp0 (page, "new") != 0 && g_strcmp0 (page, "thread") != 0)
        show_error (self, error);
      return;
    }

  g_set_object (&self->complaints, complaints);
  fill_list (self);
  /* Writing or reading one stays; the list is behind it. */
  if (g_strcmp0 (page, "new") != 0 && g_strcmp0 (page, "thread") != 0)
    gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (complaints) > 0 ? "list" : "empty");
}

static void
load_list (CabutComplaintsView *self)
{
  if (!signed_in (self))
    {
      gtk_stack_set_visible_child_name (self->stack, "signed-out");
      return;
    }
  loading_changed (self, +1);
  cabut_ams_client_list_complaints_async (cabut_context_get_client (self->context), NULL, self->cancellable,
                                          listed_cb, g_object_ref (self));
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CabutComplaintsView) self = user_data;
  g_autoptr(CabutComplaint) complaint = NULL;
  g_autoptr(GError) error = NULL;

  complaint = cabut_ams_client_get_complaint_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  loading_changed (self, -1);
  if (complaint == NULL)
    {
      show_error (self, error);
      return;
    }
  if (g_strcmp0 (self->open_id, cabut_complaint_get_id (complaint)) != 0)
    return;

  cabut_complaint_thread_set_complaint (CABUT_COMPLAINT_THREAD (self->thread), complaint);
  gtk_stack_set_visible_child (self->stack, self->thread);
}

/* The conversation shown, read again because of news: it stays where it
 * is, and a reply being written stays (the same complaint keeps its text). */
static void
refetched_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CabutComplaintsView) self = user_data;
  g_autoptr(CabutComplaint) complaint = NULL;
  g_autoptr(GError) error = NULL;
  CabutComplaintThread *thread = CABUT_COMPLAINT_THREAD (self->thread);
  CabutComplaint *shown = cabut_complaint_thread_get_complaint (thread);

  complaint = cabut_ams_client_get_complaint_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  loading_changed (self, -1);
  if (complaint == NULL)
    {
      g_debug ("Complaint %s could not be read again: %s", self->open_id, error->message);
      return;
    }
  /* A reply sent meanwhile brought a newer copy, or another was opened. */
  if (g_strcmp0 (self->open_id, cabut_complaint_get_id (complaint)) != 0 ||
      gtk_stack_get_visible_child (self->stack) != self->thread || cabut_complaint_thread_get_busy (thread) ||
      (shown != NULL && g_date_time_compare (cabut_complaint_get_updated_at (complaint),
                                             cabut_complaint_get_updated_at (shown)) < 0))
    return;

  cabut_complaint_thread_set_complaint (thread, complaint);
}

static gboolean
news_idle_cb (gpointer user_data)
{
  CabutComplaintsView *self = user_data;
  gboolean thread_news = self->thread_news;

  self->news_id = 0;
  self->thread_news = FALSE;
  if (!signed_in (self))
    return G_SOURCE_REMOVE;

  load_list (self);
  /* One being sent brings its own answer. */
  if (thread_news && self->open_id != NULL && gtk_stack_get_visible_child (self->stack) == self->thread &&
      !cabut_complaint_thread_get_busy (CABUT_COMPLAINT_THREAD (self->thread)))
    {
      loading_changed (self, +1);
      cabut_ams_client_get_complaint_async (cabut_context_get_client (self->context), self->open_id,
                                            self->cancellable, refetched_cb, g_object_ref (self));
    }

  return G_SOURCE_REMOVE;
}

static void
filed_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CabutComplaintsView) self = user_data;
  g_autoptr(CabutComplaint) complaint = NULL;
  g_autoptr(GError) error = NULL;

  complaint = cabut_ams_client_file_complaint_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (self->file_button, TRUE);
  loading_changed (self, -1);
  if (complaint == NULL)
    {
      /* What was written stays, to put right and send again. */
      gtk_label_set_text (self->new_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->new_error), TRUE);
      return;
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->new_text), "", -1);
  gtk_editable_set_text (GTK_EDITABLE (self->request_row), "");
  g_free (self->open_id);
  self->open_id = g_strdup (cabut_complaint_get_id (complaint));
  cabut_complaint_thread_set_complaint (CABUT_COMPLAINT_THREAD (self->thread), complaint);
  gtk_stack_set_visible_child (self->stack, self->thread);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Complaint sent"));
  load_list (self);
}

static void
file_clicked_cb (CabutComplaintsView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->new_text);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autofree char *request = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->request_row))));

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  gtk_widget_set_visible (GTK_WIDGET (self->new_error), FALSE);
  if (*text == '\0')
    {
      gtk_label_set_text (self->new_error, _("Say what went wrong first"));
      gtk_widget_set_visible (GTK_WIDGET (self->new_error), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->new_text));
      return;
    }

  /* Sent once: the button waits for the answer. */
  gtk_widget_set_sensitive (self->file_button, FALSE);
  loading_changed (self, +1);
  cabut_ams_client_file_complaint_async (cabut_context_get_client (self->context), text,
                                         *request != '\0' ? request : NULL, self->cancellable, filed_cb,
                                         g_object_ref (self));
}

static void
row_activated_cb (CabutComplaintsView *self,
                  GtkListBoxRow       *row)
{
  CabutComplaint *complaint = g_object_get_data (G_OBJECT (row), "complaint");

  cabut_complaints_view_open (self, cabut_complaint_get_id (complaint));
}

static void
new_text_changed_cb (CabutComplaintsView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->new_error), FALSE);
}

static void
new_clicked_cb (CabutComplaintsView *self)
{
  cabut_complaints_view_new_complaint (self, NULL);
}

static void
refresh_clicked_cb (CabutComplaintsView *self)
{
  if (gtk_stack_get_visible_child (self->stack) == self->thread && self->open_id != NULL)
    cabut_complaints_view_open (self, self->open_id);
  load_list (self);
}

static void
back_clicked_cb (CabutComplaintsView *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "new") == 0 || g_strcmp0 (page, "thread") == 0)
    cabut_complaints_view_show_list (self);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-assistant", NULL);
}

static void
thread_changed_cb (CabutComplaintsView *self)
{
  load_list (self);
}

static void
cabut_complaints_view_dispose (GObject *object)
{
  CabutComplaintsView *self = (CabutComplaintsView *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->news_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_COMPLAINTS_VIEW);
  /* The template's root box is a child of ours: a GtkWidget drops its own. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->complaints);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->open_id, g_free);

  G_OBJECT_CLASS (cabut_complaints_view_parent_class)->dispose (object);
}

static void
cabut_complaints_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CabutComplaintsView *self = CABUT_COMPLAINTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, cabut_complaints_view_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_complaints_view_class_init (CabutComplaintsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_complaints_view_dispose;
  object_class->get_property = cabut_complaints_view_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-complaints-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsView, stack);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsView, list_box);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsView, error_page);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsView, new_button);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsView, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsView, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsView, request_row);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsView, new_text);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsView, new_error);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintsView, file_button);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, file_clicked_cb);
}

static void
cabut_complaints_view_init (CabutComplaintsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->complaints = G_LIST_MODEL (g_list_store_new (CABUT_TYPE_COMPLAINT));
  cabut_name_icon_buttons (GTK_WIDGET (self));
  g_signal_connect_object (gtk_text_view_get_buffer (self->new_text), "changed", G_CALLBACK (new_text_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_label_set_text (self->deadline_label,
                      _("The service desk answers within 3 working days. What it cannot solve goes to an "
                        "official of the agency."));
}

GtkWidget *
cabut_complaints_view_new (CabutContext *context)
{
  CabutComplaintsView *self;

  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  self = g_object_new (CABUT_TYPE_COMPLAINTS_VIEW, NULL);
  self->context = g_object_ref (context);
  self->thread = cabut_complaint_thread_new (context, FALSE);
  gtk_stack_add_named (self->stack, self->thread, "thread");
  g_signal_connect_object (self->thread, "changed", G_CALLBACK (thread_changed_cb), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

/* The list, read again from the service. */
void
cabut_complaints_view_show_list (CabutComplaintsView *self)
{
  g_return_if_fail (CABUT_IS_COMPLAINTS_VIEW (self));

  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (self->complaints) > 0 ? "list" : "empty");
  load_list (self);
}

/**
 * cabut_complaints_view_new_complaint:
 * @request_id: (nullable): the request it is about, filled in
 */
void
cabut_complaints_view_new_complaint (CabutComplaintsView *self,
                                     const char          *request_id)
{
  g_return_if_fail (CABUT_IS_COMPLAINTS_VIEW (self));

  if (!signed_in (self))
    {
      gtk_stack_set_visible_child_name (self->stack, "signed-out");
      return;
    }
  if (request_id != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->request_row), request_id);
  gtk_widget_set_visible (GTK_WIDGET (self->new_error), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "new");
  gtk_widget_grab_focus (GTK_WIDGET (self->new_text));
}

/* Shows complaint @complaint_id with its conversation, read from the service. */
void
cabut_complaints_view_open (CabutComplaintsView *self,
                            const char          *complaint_id)
{
  g_autofree char *id = NULL;

  g_return_if_fail (CABUT_IS_COMPLAINTS_VIEW (self));
  g_return_if_fail (complaint_id != NULL);

  if (!signed_in (self))
    {
      gtk_stack_set_visible_child_name (self->stack, "signed-out");
      return;
    }
  /* @complaint_id may be the one shown already. */
  id = g_strdup (complaint_id);
  g_free (self->open_id);
  self->open_id = g_steal_pointer (&id);
  loading_changed (self, +1);
  cabut_ams_client_get_complaint_async (cabut_context_get_client (self->context), self->open_id, self->cancellable,
                                        fetched_cb, g_object_ref (self));
}

/**
 * cabut_complaints_view_complaint_changed:
 * @complaint_id: a complaint of the signed-in applicant's that changed at
 *   the service (answered, escalated, resolved, replied to elsewhere)
 *
 * Brings the list up to date, and the conversation when it shows
 * @complaint_id, once the news that came with it is all in.
 */
void
cabut_complaints_view_complaint_changed (CabutComplaintsView *self,
                                         const char          *complaint_id)
{
  g_return_if_fail (CABUT_IS_COMPLAINTS_VIEW (self));
  g_return_if_fail (complaint_id != NULL);

  if (g_strcmp0 (self->open_id, complaint_id) == 0)
    self->thread_news = TRUE;
  if (self->news_id == 0)
    self->news_id = g_idle_add (news_idle_cb, self);
}

gboolean
cabut_complaints_view_get_busy (CabutComplaintsView *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINTS_VIEW (self), FALSE);
  return self->loading > 0 || cabut_complaint_thread_get_busy (CABUT_COMPLAINT_THREAD (self->thread));
}

/** cabut_complaints_view_get_complaints: Returns: (transfer none): the applicant's complaints as last listed */
GListModel *
cabut_complaints_view_get_complaints (CabutComplaintsView *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINTS_VIEW (self), NULL);
  return self->complaints;
}

/** cabut_complaints_view_get_thread: Returns: (transfer none): the #CabutComplaintThread */
GtkWidget *
cabut_complaints_view_get_thread (CabutComplaintsView *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINTS_VIEW (self), NULL);
  return self->thread;
}

/** cabut_complaints_view_get_page: Returns: signed-out, empty, error, list, new or thread */
const char *
cabut_complaints_view_get_page (CabutComplaintsView *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINTS_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}
