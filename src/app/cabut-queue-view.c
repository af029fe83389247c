/* cabut-queue-view.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-queue-view"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cabut-queue-view.h"
#include "cabut-util.h"

/* The desk's queue: a column view over CabutQueue, which fetches a page
 * from the service as the officer scrolls near the end of what is in.
 * Search (number, name, NIP/NIK, serial: the service's own search, asked
 * 250 ms after the last key, dropping the fetch before it) and a filter by
 * state with the service's counts. Overdue requests say so in words and
 * with an icon, in red. A reload keeps the selected request selected when
 * it is still listed. Activating a row (Enter, a double click) emits
 * CabutQueueView::activated. */
struct _CabutQueueView
{
  GtkBox              parent_instance;

  GtkSearchEntry     *search_entry;
  GtkDropDown        *filter_dropdown;
  GtkStringList      *filter_labels;
  GtkButton          *refresh_button;
  GtkWidget          *overdue_box;
  GtkLabel           *overdue_label;
  GtkStack           *results_stack;
  GtkSpinner         *spinner;
  GtkScrolledWindow  *scroller;
  GtkColumnView      *column_view;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *error_page;
  GtkButton          *retry_button;
  GtkRevealer        *more_revealer;
  GtkLabel           *more_label;

  CabutQueue         *queue;
  GtkSingleSelection *selection;
  char               *selected_id;    /* kept across reloads */
  gboolean            restoring;
  gboolean            updating_labels;
};

G_DEFINE_FINAL_TYPE (CabutQueueView, cabut_queue_view, GTK_TYPE_BOX)

enum {
  ACTIVATED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* The filters, in the order the drop-down offers them. */
static const char * const filters[] = {
  "open", "submitted", "in_review", "revoked", "rejected", "cancelled", "all",
};

typedef enum
{
  COLUMN_NUMBER,
  COLUMN_NAME,
  COLUMN_NIP,
  COLUMN_SERIAL,
  COLUMN_REASON,
  COLUMN_STATE,
  COLUMN_DUE,
  N_COLUMNS
} Column;

/* What an officer reads whole (numbers, states, dates) is never cut short:
 * the table scrolls sideways instead. Names, serials and reasons are. */
static const struct {
  const char         *title;
  gboolean            expand;
  PangoEllipsizeMode  ellipsize;
  int                 width_chars;   /* at least, when cut short */
} columns[N_COLUMNS] = {
  [COLUMN_NUMBER] = { N_("Number"), FALSE, PANGO_ELLIPSIZE_NONE, -1 },
  [COLUMN_NAME] = { N_("Applicant"), TRUE, PANGO_ELLIPSIZE_END, 14 },
  [COLUMN_NIP] = { N_("NIP"), FALSE, PANGO_ELLIPSIZE_NONE, -1 },
  [COLUMN_SERIAL] = { N_("Serial"), FALSE, PANGO_ELLIPSIZE_MIDDLE, 12 },
  [COLUMN_REASON] = { N_("Reason"), TRUE, PANGO_ELLIPSIZE_END, 12 },
  [COLUMN_STATE] = { N_("State"), FALSE, PANGO_ELLIPSIZE_NONE, -1 },
  [COLUMN_DUE] = { N_("Due"), FALSE, PANGO_ELLIPSIZE_NONE, -1 },
};

static const char *
filter_label (guint filter)
{
  if (g_str_equal (filters[filter], "open"))
    return _("Open");
  if (g_str_equal (filters[filter], "all"))
    return _("All");
  return cabut_request_state_to_label ((CabutRequestState) (filter - 1));
}

/* "In review (4)": the counts change with the service, the choice stays. */
static void
update_filter_labels (CabutQueueView *self)
{
  CabutQueueCounts *counts = cabut_queue_get_counts (self->queue);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);
  guint64 overdue = counts ? cabut_queue_counts_get_overdue (counts) : 0;

  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      g_autofree char *label = NULL;

      if (counts != NULL)
        /* Translators: which requests, then how many there are */
        label = g_strdup_printf (_("%s (%u)"), filter_label (f), (guint) cabut_queue_counts_get (counts, filters[f]));
      g_strv_builder_add (builder, label ? label : filter_label (f));
    }
  labels = g_strv_builder_end (builder);

  self->updating_labels = TRUE;
  gtk_string_list_splice (self->filter_labels, 0, g_list_model_get_n_items (G_LIST_MODEL (self->filter_labels)),
                          (const char * const *) labels);
  gtk_drop_down_set_selected (self->filter_dropdown, selected < G_N_ELEMENTS (filters) ? selected : 0);
  self->updating_labels = FALSE;

  gtk_widget_set_visible (self->overdue_box, overdue > 0);
  if (overdue > 0)
    {
      /* Translators: how many requests */
      g_autofree char *text = g_strdup_printf (_("Open requests past their deadline: %u"), (guint) overdue);

      gtk_label_set_label (self->overdue_label, text);
    }
}

/* Which page the results show: rows, or why there are none. */
static void
update_results (CabutQueueView *self)
{
  const GError *error = cabut_queue_get_error (self->queue);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  const char *page;

  if (n > 0)
    page = "list";
  else if (error != NULL)
    page = "error";
  else if (!cabut_queue_get_complete (self->queue))
    page = "loading";
  else if (cabut_queue_get_search (self->queue) != NULL)
    page = "no-match";
  else
    page = "empty";

  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  if (error != NULL)
    adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->results_stack, page);

  /* Rows are listed, and the next page failed: said below them. */
  gtk_revealer_set_reveal_child (self->more_revealer, n > 0 && error != NULL);
  if (n > 0 && error != NULL)
    {
      /* Translators: %s is the reason */
      g_autofree char *text = g_strdup_printf (_("More requests could not be read: %s"), error->message);

      gtk_label_set_label (self->more_label, text);
    }
}

static void
search_changed_cb (CabutQueueView *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  if (cabut_queue_get_client (self->queue) == NULL)
    return;
  cabut_queue_set_search (self->queue, text);
  update_results (self);
}

static void
filter_changed_cb (CabutQueueView *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  if (self->updating_labels || selected >= G_N_ELEMENTS (filters) || cabut_queue_get_client (self->queue) == NULL)
    return;
  cabut_queue_set_state (self->queue, filters[selected]);
  update_results (self);
}

static void
refresh_clicked_cb (CabutQueueView *self)
{
  cabut_queue_view_refresh (self);
}

static void
retry_clicked_cb (CabutQueueView *self)
{
  if (cabut_queue_get_client (self->queue) == NULL)
    return;
  cabut_queue_retry (self->queue);
  update_results (self);
}

static void
column_view_activate_cb (CabutQueueView *self,
                         guint           position)
{
  g_autoptr(CabutRequest) request = g_list_model_get_item (G_LIST_MODEL (self->queue), position);

  if (request != NULL)
    g_signal_emit (self, signals[ACTIVATED], 0, request);
}

/* Near the bottom of what is in: the next page, before it is reached. */
static void
scrolled_cb (CabutQueueView *self,
             GtkAdjustment  *adjustment)
{
  double left = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_value (adjustment) -
                gtk_adjustment_get_page_size (adjustment);

  if (left < gtk_adjustment_get_page_size (adjustment) / 2)
    cabut_queue_load_more (self->queue);
}

static void
selected_cb (CabutQueueView *self)
{
  CabutRequest *request = gtk_single_selection_get_selected_item (self->selection);

  if (self->restoring)
    return;
  cabut_set_str (&self->selected_id, request ? cabut_request_get_id (request) : NULL);
}

/* A first page replaces the rows: before the selection model sees it… */
static void
items_changing_cb (CabutQueueView *self,
                   guint           position,
                   guint           removed,
                   guint           added)
{
  self->restoring = position == 0 && removed > 0;
}

/* The list took the focus while it was empty, and no row has it: the
 * first row takes it, so that arrows and Enter work at once. */
static void
focus_a_row (CabutQueueView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && gtk_widget_get_parent (focus) == GTK_WIDGET (self->column_view) &&
      g_list_model_get_n_items (G_LIST_MODEL (self->queue)) > 0)
    gtk_widget_child_focus (GTK_WIDGET (self->column_view), GTK_DIR_TAB_FORWARD);
}

/* …and after: the request selected before, where it is now. */
static void
items_changed_cb (CabutQueueView *self,
                  guint           position,
                  guint           removed,
                  guint           added)
{
  if (self->restoring)
    {
      guint found = self->selected_id ? cabut_queue_find (self->queue, self->selected_id) : G_MAXUINT;

      if (found != G_MAXUINT)
        gtk_single_selection_set_selected (self->selection, found);
      self->restoring = FALSE;
      selected_cb (self);
    }
  update_results (self);
  focus_a_row (self);
}

/* Cells */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), columns[column].ellipsize);
  gtk_label_set_width_chars (GTK_LABEL (label), columns[column].width_chars);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (column == COLUMN_NUMBER || column == COLUMN_NIP || column == COLUMN_SERIAL)
    gtk_widget_add_css_class (label, "numeric");

  if (column == COLUMN_DUE)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Overdue"), -1);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_item_set_child (item, box);
      return;
    }

  gtk_list_item_set_child (item, label);
}

/* The state, and who has it when it is in review: "In review (Dewi)",
 * the reviewer's first name. */
static char *
state_text (CabutRequest *request)
{
  CabutRequestState state = cabut_request_get_state (request);
  const char *reviewer = cabut_request_get_reviewer_name (request);
  g_autofree char *first = NULL;

  if (state != CABUT_REQUEST_STATE_IN_REVIEW || reviewer == NULL)
    return g_strdup (cabut_request_state_to_label (state));

  first = g_strndup (reviewer, strcspn (reviewer, " ,"));
  /* Translators: a request's state in the queue; %s is the first name of the officer reviewing it */
  return g_strdup_printf (_("In review (%s)"), first);
}

/* GTK 4.8 names a column view's row after nothing, and a screen reader
 * says "row" on each: the row is named after its request here, from its
 * first cell (the row is the cell's parent's parent). */
static void
name_row (GtkWidget    *child,
          CabutRequest *request)
{
  GtkWidget *cell = gtk_widget_get_parent (child);
  GtkWidget *row = cell ? gtk_widget_get_parent (cell) : NULL;
  const char *name = cabut_request_get_applicant_name (request);
  g_autofree char *state = state_text (request);
  g_autofree char *due = NULL;
  g_autofree char *label = NULL;

  if (row == NULL || !GTK_IS_ACCESSIBLE (row))
    return;

  if (name == NULL)
    name = cabut_request_get_applicant_username (request);
  due = cabut_format_date_time (cabut_request_get_due (request));
  if (cabut_request_get_overdue (request))
    /* Translators: a row of the queue: request number, applicant, state, then when it was due */
    label = g_strdup_printf (_("%s, %s, %s, overdue since %s"), cabut_request_get_id (request), name, state, due);
  else
    /* Translators: a row of the queue: request number, applicant, state, then its deadline */
    label = g_strdup_printf (_("%s, %s, %s, due %s"), cabut_request_get_id (request), name, state, due);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  CabutRequest *request = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  g_autofree char *owned = NULL;
  const char *text = NULL;

  switch (column)
    {
    case COLUMN_NUMBER:
      text = cabut_request_get_id (request);
      name_row (child, request);
      break;
    case COLUMN_NAME:
      text = cabut_request_get_applicant_name (request);
      if (text == NULL)
        text = cabut_request_get_applicant_username (request);
      break;
    case COLUMN_NIP:
      text = cabut_request_get_applicant_nip (request);
      break;
    case COLUMN_SERIAL:
      text = cabut_request_get_serial (request);
      break;
    case COLUMN_REASON:
      text = cabut_request_get_reason_label (request);
      break;
    case COLUMN_STATE:
      owned = state_text (request);
      text = owned;
      break;
    case COLUMN_DUE:
      {
        gboolean overdue = cabut_request_get_overdue (request);
        g_autofree char *due = cabut_format_date_time (cabut_request_get_due (request));
        GtkWidget *icon = gtk_widget_get_first_child (child);

        /* Translators: %s is the date and time a request was due */
        owned = overdue ? g_strdup_printf (_("Overdue since %s"), due) : g_steal_pointer (&due);
        text = owned;
        gtk_widget_set_visible (icon, overdue);
        if (overdue)
          gtk_widget_add_css_class (child, "error");
        else
          gtk_widget_remove_css_class (child, "error");
        child = gtk_widget_get_last_child (child);
      }
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (GTK_LABEL (child), text ? text : "—");
  gtk_widget_set_tooltip_text (child, text);
}

static void
add_columns (CabutQueueView *self)
{
  for (Column c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(columns[c].title), factory);
      gtk_column_view_column_set_expand (column, columns[c].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* GObject */

static void
cabut_queue_view_dispose (GObject *object)
{
  CabutQueueView *self = (CabutQueueView *)object;

  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->queue);
  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_QUEUE_VIEW);

  G_OBJECT_CLASS (cabut_queue_view_parent_class)->dispose (object);
}

static void
cabut_queue_view_finalize (GObject *object)
{
  CabutQueueView *self = (CabutQueueView *)object;

  g_clear_pointer (&self->selected_id, g_free);

  G_OBJECT_CLASS (cabut_queue_view_parent_class)->finalize (object);
}

static void
cabut_queue_view_class_init (CabutQueueViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_queue_view_dispose;
  object_class->finalize = cabut_queue_view_finalize;

  /**
   * CabutQueueView::activated:
   * @request: the request whose row was activated (Enter, a double click)
   */
  signals[ACTIVATED] =
    g_signal_new ("activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CABUT_TYPE_REQUEST);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-queue-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, overdue_box);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, results_stack);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, scroller);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, column_view);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, error_page);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, more_revealer);
  gtk_widget_class_bind_template_child (widget_class, CabutQueueView, more_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);
}

static void
cabut_queue_view_init (CabutQueueView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter_labels = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->filter_dropdown, G_LIST_MODEL (self->filter_labels));
  g_object_unref (self->filter_labels);

  self->queue = cabut_queue_new (NULL);
  /* In this order: ours, the selection's, ours again (see items_changing_cb). */
  g_signal_connect_object (self->queue, "items-changed", G_CALLBACK (items_changing_cb), self, G_CONNECT_SWAPPED);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->queue)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->queue, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::counts", G_CALLBACK (update_filter_labels), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::error", G_CALLBACK (update_results), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::loaded", G_CALLBACK (update_results), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::complete", G_CALLBACK (update_results), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (scrolled_cb), self, G_CONNECT_SWAPPED);

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  add_columns (self);
  update_filter_labels (self);
  update_results (self);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->column_view));
  /* GTK 4.8's drop-down does not hand its name to the button inside it. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->filter_dropdown));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Show requests by state"), -1);
  cabut_name_icon_buttons (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
cabut_queue_view_new (void)
{
  return g_object_new (CABUT_TYPE_QUEUE_VIEW, NULL);
}

/** cabut_queue_view_get_queue: Returns: (transfer none): the model the view shows */
CabutQueue *
cabut_queue_view_get_queue (CabutQueueView *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE_VIEW (self), NULL);
  return self->queue;
}

/**
 * cabut_queue_view_set_client:
 * @client: (nullable): a client signed in as an officer, or %NULL when
 *   nobody who may see the queue is signed in
 *
 * Another session: nothing of the one before stays in view.
 */
void
cabut_queue_view_set_client (CabutQueueView *self,
                             CabutAmsClient *client)
{
  g_return_if_fail (CABUT_IS_QUEUE_VIEW (self));

  g_clear_pointer (&self->selected_id, g_free);
  cabut_queue_set_client (self->queue, client);
  update_filter_labels (self);
  update_results (self);
}

/** cabut_queue_view_reload: the counts and the first page again, the selection kept where it can be */
void
cabut_queue_view_reload (CabutQueueView *self)
{
  g_return_if_fail (CABUT_IS_QUEUE_VIEW (self));

  if (cabut_queue_get_client (self->queue) == NULL)
    return;
  cabut_queue_reload (self->queue);
  update_results (self);
}

/** cabut_queue_view_refresh: as cabut_queue_view_reload(), keeping the rows listed (up to 200) */
void
cabut_queue_view_refresh (CabutQueueView *self)
{
  g_return_if_fail (CABUT_IS_QUEUE_VIEW (self));

  if (cabut_queue_get_client (self->queue) == NULL)
    return;
  cabut_queue_refresh (self->queue);
  update_results (self);
}

/** cabut_queue_view_focus_list: the focus on the table, on a row when there is one */
void
cabut_queue_view_focus_list (CabutQueueView *self)
{
  g_return_if_fail (CABUT_IS_QUEUE_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  focus_a_row (self);
}

void
cabut_queue_view_focus_search (CabutQueueView *self)
{
  g_return_if_fail (CABUT_IS_QUEUE_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GtkColumnView *
cabut_queue_view_get_column_view (CabutQueueView *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE_VIEW (self), NULL);
  return self->column_view;
}

GtkSearchEntry *
cabut_queue_view_get_search_entry (CabutQueueView *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE_VIEW (self), NULL);
  return self->search_entry;
}

GtkDropDown *
cabut_queue_view_get_filter (CabutQueueView *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE_VIEW (self), NULL);
  return self->filter_dropdown;
}

/** cabut_queue_view_get_visible: Returns: "loading", "list", "empty", "no-match" or "error" */
const char *
cabut_queue_view_get_visible (CabutQueueView *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->results_stack);
}

/** cabut_queue_view_get_selected_id: Returns: (nullable): the number of the request selected */
const char *
cabut_queue_view_get_selected_id (CabutQueueView *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE_VIEW (self), NULL);
  return self->selected_id;
}
