/* cabut-audit-view.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-audit-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cabut-audit-view.h"
#include "cabut-file-private.h"
#include "cabut-util.h"

/* The audit log, for administrators: who did what, to what, when — a
 * column view over the service's pages, newest first, the next page read
 * as the list is scrolled near its end. Filters by actor, request and
 * dates; the same filters export the service's CSV, written durably in a
 * worker thread. An operator is told plainly that the log is the
 * administrators'. The entries are core's CabutAuditEntry; no JSON here. */

struct _CabutAuditView
{
  AdwBin          parent_instance;

  CabutContext   *context;
  GListStore     *entries;
  GCancellable   *cancellable;       /* the listing; cancelled by a new one and with the window */
  char           *next;              /* the cursor of the next page, NULL at the end */
  gboolean        busy;
  gboolean        exporting;
  char           *notice;

  /* the filters of the listing shown (and of an export) */
  char           *actor;
  char           *request;
  GDateTime      *since;
  GDateTime      *until;

  /* template children */
  GtkStack       *stack;
  GtkEditable    *actor_entry;
  GtkEditable    *request_entry;
  GtkEditable    *since_entry;
  GtkEditable    *until_entry;
  GtkWidget      *notice_box;
  GtkImage       *notice_icon;
  GtkLabel       *notice_label;
  GtkScrolledWindow *scroller;
  GtkColumnView  *column_view;
  GtkLabel       *status_label;
};

G_DEFINE_FINAL_TYPE (CabutAuditView, cabut_audit_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum {
  COLUMN_TIME,
  COLUMN_ACTOR,
  COLUMN_ACTION,
  COLUMN_TARGET,
  COLUMN_DETAIL,
} Column;

static void load_page (CabutAuditView *self);

/* ---------------------------------------------------------------------- */

static void
set_busy (CabutAuditView *self,
          gboolean        busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_notice (CabutAuditView *self,
            gboolean        error,
            const char     *text)
{
  cabut_set_str (&self->notice, text);
  gtk_widget_set_visible (self->notice_box, text != NULL);
  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
  gtk_image_set_from_icon_name (self->notice_icon, error ? "dialog-error-symbolic" : "emblem-ok-symbolic");
  if (error)
    gtk_widget_add_css_class (self->notice_box, "error");
  else
    gtk_widget_remove_css_class (self->notice_box, "error");
}

static void
update_status (CabutAuditView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  g_autofree char *text = NULL;

  if (self->busy && n == 0)
    text = g_strdup (_("Loading…"));
  else if (n == 0)
    text = g_strdup (_("No entries match"));
  else if (self->next != NULL)
    /* Translators: how many audit entries are shown; more are read on scrolling */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry shown; scroll for older ones",
                                         "%u entries shown; scroll for older ones", n), n);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries", n), n);
  gtk_label_set_text (self->status_label, text);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.refresh", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.export", !self->exporting);
}

static gboolean
is_admin (CabutAuditView *self)
{
  CabutProfile *profile = self->context != NULL ? cabut_context_get_profile (self->context) : NULL;

  return profile != NULL && cabut_profile_get_role (profile) == CABUT_ROLE_ADMIN;
}

static void
show_refused (CabutAuditView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_list_store_remove_all (self->entries);
  g_clear_pointer (&self->next, g_free);
  set_busy (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "refused");
}

/* What went wrong with the service, for the administrator. */
static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_UNAUTHORIZED))
    /* Translators: %s is the service's own words */
    return g_strdup_printf (_("Your session has ended (%s). Sign in again, then try again."), error->message);
  if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_NETWORK) ||
      g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_SERVER))
    return g_strdup_printf (_("The service cannot be reached (%s). Check the network connection, then try "
                              "again."), error->message);

  return g_strdup_printf (_("The audit log cannot be read: %s"), error->message);
}

/* A date the administrator wrote, YYYY-MM-DD, as the start of that day
 * here; empty is no date. */
static gboolean
parse_date (const char  *text,
            GDateTime  **out,
            gboolean    *valid)
{
  g_auto(GStrv) parts = NULL;
  guint64 year, month, day;

  *out = NULL;
  *valid = TRUE;
  if (text == NULL || *text == '\0')
    return FALSE;

  parts = g_strsplit (text, "-", -1);
  if (g_strv_length (parts) != 3 || strlen (parts[0]) != 4 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, 9999, &year, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL) ||
      !g_ascii_string_to_unsigned (parts[2], 10, 1, 31, &day, NULL) ||
      !g_date_valid_dmy (day, month, year))
    {
      *valid = FALSE;
      return FALSE;
    }
  *out = g_date_time_new_local (year, month, day, 0, 0, 0);

  return *out != NULL;
}

/* A date filter (the first day, or the last), or what is wrong with it
 * said in the window. */
static gboolean
read_date (CabutAuditView  *self,
           const char      *text,
           GDateTime      **out,
           gboolean         first)
{
  g_autofree char *message = NULL;
  gboolean valid;

  parse_date (text, out, &valid);
  if (valid)
    return TRUE;
  if (first)
    /* Translators: %s is what was written as the first date */
    message = g_strdup_printf (_("“%s” is not a date. Write the first day as YYYY-MM-DD, for example 2026-12-01."),
                               text);
  else
    /* Translators: %s is what was written as the last date */
    message = g_strdup_printf (_("“%s” is not a date. Write the last day as YYYY-MM-DD, for example 2026-12-31."),
                               text);
  set_notice (self, TRUE, message);

  return FALSE;
}

static char *
stripped (GtkEditable *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (entry)));
}

/* Reads the filters from the entries; says what is wrong in the window. */
static gboolean
read_filters (CabutAuditView *self)
{
  g_autofree char *actor = stripped (self->actor_entry);
  g_autofree char *request = stripped (self->request_entry);
  g_autofree char *since_text = stripped (self->since_entry);
  g_autofree char *until_text = stripped (self->until_entry);
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GDateTime) until = NULL;

  if (!read_date (self, since_text, &since, TRUE) || !read_date (self, until_text, &until, FALSE))
    return FALSE;
  if (since != NULL && until != NULL && g_date_time_compare (since, until) > 0)
    {
      set_notice (self, TRUE, _("The first day is after the last day. Swap them, then try again."));
      return FALSE;
    }

  cabut_set_str (&self->actor, *actor != '\0' ? actor : NULL);
  cabut_set_str (&self->request, *request != '\0' ? request : NULL);
  g_clear_pointer (&self->since, g_date_time_unref);
  g_clear_pointer (&self->until, g_date_time_unref);
  self->since = g_steal_pointer (&since);
  /* The last day is included: until the start of the next. */
  self->until = until != NULL ? g_date_time_add_days (until, 1) : NULL;

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Reading the pages                                                      */

static gboolean
near_the_end (CabutAuditView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double page = gtk_adjustment_get_page_size (adjustment);

  /* Within a screenful of the end; not before the list is laid out (its
   * adjustment changes then, and this is asked again). */
  return page > 0 && gtk_adjustment_get_upper (adjustment) - (gtk_adjustment_get_value (adjustment) + page) <= page;
}

static void
maybe_load_more (CabutAuditView *self)
{
  if (!self->busy && self->next != NULL && near_the_end (self))
    load_page (self);
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CabutAuditView) self = user_data;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;

  page = cabut_ams_client_list_audit_finish (CABUT_AMS_CLIENT (object), result, &next, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);

  if (page == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_FORBIDDEN))
        {
          show_refused (self);
          return;
        }
      text = describe_error (error);
      set_notice (self, TRUE, text);
      update_status (self);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (page); i++)
    {
      g_autoptr(GObject) entry = g_list_model_get_item (page, i);

      g_list_store_append (self->entries, entry);
    }
  g_free (self->next);
  self->next = g_steal_pointer (&next);
  /* The next page is read when the list, laid out again, is scrolled near its end. */
  update_status (self);
}

static void
load_page (CabutAuditView *self)
{
  CabutAmsClient *client = cabut_context_get_client (self->context);

  if (client == NULL)
    {
      set_notice (self, TRUE, _("You are not signed in to the service. Sign in as an administrator, then try "
                                "again."));
      return;
    }

  set_busy (self, TRUE);
  update_status (self);
  cabut_ams_client_list_audit_async (client, self->actor, self->request, self->since, self->until, self->next,
                                     self->cancellable, page_cb, g_object_ref (self));
}

/* From the first page, with the filters as they are written now. */
static void
reload (CabutAuditView *self)
{
  if (!is_admin (self))
    {
      show_refused (self);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "log");
  if (!read_filters (self))
    return;

  set_notice (self, FALSE, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (g_cancellable_is_cancelled (cabut_context_get_cancellable (self->context)))
    g_cancellable_cancel (self->cancellable);
  g_list_store_remove_all (self->entries);
  g_clear_pointer (&self->next, g_free);
  set_busy (self, FALSE);
  load_page (self);
}

/* ---------------------------------------------------------------------- */
/* Export                                                                 */

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  g_autofree char *path = g_file_get_path (file);
  GError *error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only a file on this computer can be written"));
      return;
    }
  /* The log names people and what they did: readable by its owner only. */
  if (!cabut_file_write_durably (path, task_data, 0600, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) csv = NULL;
  GError *error = NULL;

  csv = cabut_ams_client_export_audit_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (csv == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, g_steal_pointer (&csv), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, write_thread);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CabutAuditView *self = CABUT_AUDIT_VIEW (object);
  g_autoptr(GError) error = NULL;
  GFile *file = user_data;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *text = NULL;

  if (!cabut_audit_view_export_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_object_unref (file);
          return;
        }
      if (error->domain == CABUT_AMS_ERROR)
        text = describe_error (error);
      else
        /* Translators: the file, then why it could not be written */
        text = g_strdup_printf (_("The audit log could not be saved to %s: %s. Choose another place, then try "
                                  "again."), name, error->message);
      set_notice (self, TRUE, text);
    }
  else
    {
      /* Translators: %s is the file written */
      text = g_strdup_printf (_("The audit log is saved to %s."), name);
      set_notice (self, FALSE, text);
    }
  g_object_unref (file);
}

static void
export_chosen (GtkWidget *widget,
               GFile     *file)
{
  CabutAuditView *self = CABUT_AUDIT_VIEW (widget);

  cabut_audit_view_export_async (self, file, cabut_context_get_cancellable (self->context), export_done_cb,
                                 g_object_ref (file));
}

static void
export_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  CabutAuditView *self = CABUT_AUDIT_VIEW (widget);
  GtkFileFilter *filter;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *suggested = g_date_time_format (now, "audit-%Y%m%d.csv");

  if (!is_admin (self) || !read_filters (self))
    return;

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("CSV files (.csv)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  cabut_choose_save_file (widget, _("Export the Audit Log"), _("_Save"), filter, suggested, export_chosen);
}

static void
refresh_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  reload (CABUT_AUDIT_VIEW (widget));
}

static void
adjustment_changed_cb (CabutAuditView *self)
{
  maybe_load_more (self);
}

static void
reload_cb (CabutAuditView *self)
{
  reload (self);
}

static void
window_closed_cb (CabutAuditView *self)
{
  g_cancellable_cancel (self->cancellable);
}

/* ---------------------------------------------------------------------- */
/* Columns                                                                */

/* The service's role names, as said in the app. */
static const char *
role_label (const char *role)
{
  if (g_strcmp0 (role, "applicant") == 0)
    return C_("role", "applicant");
  if (g_strcmp0 (role, "operator") == 0)
    return C_("role", "officer");
  if (g_strcmp0 (role, "admin") == 0)
    return C_("role", "administrator");

  return role != NULL ? role : "";
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  CabutAuditEntry *entry = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  switch ((Column) GPOINTER_TO_INT (user_data))
    {
    case COLUMN_TIME:
      text = cabut_format_date_time (cabut_audit_entry_get_at (entry));
      break;
    case COLUMN_ACTOR:
      if (cabut_audit_entry_get_actor_username (entry) == NULL)
        text = g_strdup (_("(the service)"));
      else
        /* Translators: a user name and their role, e.g. "dewi.verifikator (operator)" */
        text = g_strdup_printf (_("%s (%s)"), cabut_audit_entry_get_actor_username (entry),
                                role_label (cabut_audit_entry_get_actor_role (entry)));
      break;
    case COLUMN_ACTION:
      {
        const char *said = cabut_audit_action_label (cabut_audit_entry_get_action (entry));

        text = g_strdup (said != NULL ? said : cabut_audit_entry_get_action (entry));
      }
      break;
    case COLUMN_TARGET:
      text = g_strdup (cabut_audit_entry_get_target (entry));
      break;
    case COLUMN_DETAIL:
    default:
      text = g_strdup (cabut_audit_entry_get_detail (entry));
      break;
    }
  gtk_label_set_text (label, text != NULL ? text : "");
  /* Long details are cut in the cell: the whole text is the tooltip. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
}

static void
add_column (CabutAuditView *self,
            const char     *title,
            Column          column,
            gboolean        expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_append_column (self->column_view, view_column);
}

/* ---------------------------------------------------------------------- */

static void
cabut_audit_view_dispose (GObject *object)
{
  CabutAuditView *self = (CabutAuditView *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_AUDIT_VIEW);

  G_OBJECT_CLASS (cabut_audit_view_parent_class)->dispose (object);
}

static void
cabut_audit_view_finalize (GObject *object)
{
  CabutAuditView *self = (CabutAuditView *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->entries);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->since, g_date_time_unref);
  g_clear_pointer (&self->until, g_date_time_unref);
  g_free (self->next);
  g_free (self->notice);
  g_free (self->actor);
  g_free (self->request);

  G_OBJECT_CLASS (cabut_audit_view_parent_class)->finalize (object);
}

static void
cabut_audit_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CabutAuditView *self = CABUT_AUDIT_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_audit_view_class_init (CabutAuditViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_audit_view_dispose;
  object_class->finalize = cabut_audit_view_finalize;
  object_class->get_property = cabut_audit_view_get_property;

  /**
   * CabutAuditView:busy:
   *
   * Whether a page of the log is being read.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-audit-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, stack);
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, actor_entry);
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, request_entry);
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, since_entry);
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, until_entry);
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, notice_box);
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, notice_label);
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, scroller);
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, column_view);
  gtk_widget_class_bind_template_child (widget_class, CabutAuditView, status_label);
  /* Not kept, but found by name (tests, accessibility checks). */
  gtk_widget_class_bind_template_child_full (widget_class, "filter_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "export_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "refused_page", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "audit.refresh", NULL, refresh_cb);
  gtk_widget_class_install_action (widget_class, "audit.export", NULL, export_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "audit.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "audit.refresh", NULL);
}

static void
cabut_audit_view_init (CabutAuditView *self)
{
  GtkAdjustment *adjustment;
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  cabut_name_icon_buttons (GTK_WIDGET (self));

  self->entries = g_list_store_new (CABUT_TYPE_AUDIT_ENTRY);
  self->cancellable = g_cancellable_new ();
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->entries)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  add_column (self, _("Time"), COLUMN_TIME, FALSE);
  add_column (self, _("Actor"), COLUMN_ACTOR, FALSE);
  add_column (self, _("Action"), COLUMN_ACTION, FALSE);
  add_column (self, _("Target"), COLUMN_TARGET, FALSE);
  add_column (self, _("Detail"), COLUMN_DETAIL, TRUE);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (adjustment_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->actor_entry, "activate", G_CALLBACK (reload_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->request_entry, "activate", G_CALLBACK (reload_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->since_entry, "activate", G_CALLBACK (reload_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->until_entry, "activate", G_CALLBACK (reload_cb), self, G_CONNECT_SWAPPED);
}

/**
 * cabut_audit_view_new:
 * @context: the app's context, signed in (as an administrator, to see the log)
 *
 * Returns: (transfer floating): the audit view, reading the first page
 */
GtkWidget *
cabut_audit_view_new (CabutContext *context)
{
  CabutAuditView *self;

  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  self = g_object_new (CABUT_TYPE_AUDIT_VIEW, NULL);
  self->context = g_object_ref (context);
  g_signal_connect_object (cabut_context_get_cancellable (context), "cancelled", G_CALLBACK (window_closed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::profile", G_CALLBACK (reload_cb), self, G_CONNECT_SWAPPED);
  reload (self);

  return GTK_WIDGET (self);
}

/** cabut_audit_view_refresh: reads the log again from its newest entry, with the filters as written */
void
cabut_audit_view_refresh (CabutAuditView *self)
{
  g_return_if_fail (CABUT_IS_AUDIT_VIEW (self));
  reload (self);
}

/** cabut_audit_view_get_entries: Returns: (transfer none): the #CabutAuditEntry list read so far, newest first */
GListModel *
cabut_audit_view_get_entries (CabutAuditView *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_VIEW (self), NULL);
  return G_LIST_MODEL (self->entries);
}

gboolean
cabut_audit_view_get_busy (CabutAuditView *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_VIEW (self), FALSE);
  return self->busy;
}

/** cabut_audit_view_get_has_more: Returns: whether older entries are left to read */
gboolean
cabut_audit_view_get_has_more (CabutAuditView *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_VIEW (self), FALSE);
  return self->next != NULL;
}

/** cabut_audit_view_get_notice: Returns: (nullable): what the view says above the list */
const char *
cabut_audit_view_get_notice (CabutAuditView *self)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_VIEW (self), NULL);
  return self->notice;
}

/**
 * cabut_audit_view_export_async:
 * @file: where to write the CSV
 *
 * Writes the service's CSV of the whole log under the filters as written
 * (every page), durably (written, flushed to disk, then renamed into
 * place), in a worker thread. "Export CSV…" asks for @file and calls this.
 */
void
cabut_audit_view_export_async (CabutAuditView      *self,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CabutAmsClient *client;

  g_return_if_fail (CABUT_IS_AUDIT_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_audit_view_export_async);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);

  client = cabut_context_get_client (self->context);
  if (client == NULL || !read_filters (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Sign in as an administrator and write the filters correctly, then try again"));
      return;
    }

  self->exporting = TRUE;
  update_status (self);
  cabut_ams_client_export_audit_async (client, self->actor, self->request, self->since, self->until, cancellable,
                                       exported_cb, g_steal_pointer (&task));
}

gboolean
cabut_audit_view_export_finish (CabutAuditView  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (CABUT_IS_AUDIT_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  self->exporting = FALSE;
  update_status (self);

  return g_task_propagate_boolean (G_TASK (result), error);
}
