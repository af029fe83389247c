/* cabut-bulk-view.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-bulk-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-bulk-view.h"
#include "cabut-util.h"

/* Bulk revocation, for the desk's "Bulk" section: a CSV of NIPs or serial
 * numbers (chosen or dropped), a reason and a note; Preview asks the
 * service for a dry run and lists the certificates matched and every row
 * that was not, with why; one confirmation, then the batch runs at the
 * service and is followed by polling it until it is done. The batch's
 * number is kept in GSettings ("bulk-batch") until it is done, so a run
 * cut off (the service stopped, or the app) is offered for Resume, also
 * after a restart of the app. */

#define POLL_INTERVAL_MS 400
/* The largest list the service takes (data/cabut-api.yaml: 64 KiB). */
#define CSV_MAX_SIZE (64 * 1024)

struct _CabutBulkView
{
  GtkWidget       parent_instance;

  CabutContext   *context;
  GCancellable   *cancellable;
  GFile          *file;
  GBytes         *csv;
  GListModel     *reasons;      /* CabutReasonItem, officer reasons included */
  CabutBulkBatch *batch;        /* the preview or the batch shown */
  char           *batch_id;     /* the real batch under way, or cut off */
  char           *run_key;      /* the Idempotency-Key of running what is previewed: a retry is the same batch */
  const char     *page;         /* start, preview, running, interrupted, done */
  guint           poll_id;
  guint           loading;
  gboolean        restoring;    /* reading back the batch kept in GSettings */

  AdwActionRow   *file_row;
  AdwComboRow    *reason_row;
  AdwEntryRow    *note_row;
  GtkButton      *preview_button;
  GtkLabel       *message_label;
  GtkLabel       *summary_label;
  GtkProgressBar *progress_bar;
  GtkButton      *run_button;
  GtkButton      *resume_button;
  AdwPreferencesGroup *matched_group;
  GtkListBox     *matched_list;
  AdwPreferencesGroup *unmatched_group;
  GtkListBox     *unmatched_list;
};

G_DEFINE_FINAL_TYPE (CabutBulkView, cabut_bulk_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void poll_batch (CabutBulkView *self);

static void
loading_changed (CabutBulkView *self,
                 int            delta)
{
  gboolean was_busy = self->loading > 0;

  self->loading += delta;
  if (was_busy != (self->loading > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_message (CabutBulkView *self,
              const char    *message)
{
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

/* Why a row did not match, for the person reading the preview. */
static const char *
why_label (const char *why)
{
  if (g_strcmp0 (why, "unknown_nip") == 0)
    return _("No account has this NIP");
  if (g_strcmp0 (why, "unknown_serial") == 0)
    return _("No certificate has this serial number");
  if (g_strcmp0 (why, "no_certificate") == 0)
    return _("The account holds no certificate");
  if (g_strcmp0 (why, "already_revoked") == 0)
    return _("Already revoked");
  if (g_strcmp0 (why, "open_request") == 0)
    return _("A request for it is waiting for a decision: decide that one");
  if (g_strcmp0 (why, "malformed") == 0)
    return _("Neither a NIP nor a serial number, or more than one cell");
  if (g_strcmp0 (why, "duplicate") == 0)
    return _("An earlier row named it already");
  return why != NULL ? why : _("Not matched");
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "revoked") == 0)
    return _("Revoked");
  if (g_strcmp0 (status, "pending") == 0)
    return _("Waiting");
  if (g_strcmp0 (status, "skipped") == 0)
    return _("Skipped: revoked or requested meanwhile");
  return _("To be revoked");
}

static GtkWidget *
row_new (CabutBulkRow *row)
{
  GtkWidget *widget = adw_action_row_new ();
  const char *name = cabut_bulk_row_get_full_name (row);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  /* Translators: a row number of the CSV file, then what it held */
  g_autofree char *line = g_strdup_printf (_("Row %u: %s"), cabut_bulk_row_get_row (row),
                                           cabut_bulk_row_get_value (row));

  if (g_str_equal (cabut_bulk_row_get_status (row), "unmatched"))
    {
      title = g_strdup (why_label (cabut_bulk_row_get_why (row)));
      subtitle = name != NULL ? g_strdup_printf ("%s — %s", line, name) : g_strdup (line);
    }
  else
    {
      title = g_strdup (name != NULL ? name : cabut_bulk_row_get_username (row));
      /* Translators: the CSV row, the NIP or username, the serial number, the row's state */
      subtitle = g_strdup_printf (_("%s · serial number %s · %s"), line, cabut_bulk_row_get_serial (row),
                                  status_label (cabut_bulk_row_get_status (row)));
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
  cabut_row_wrap_anywhere (ADW_ACTION_ROW (widget));
  g_object_set_data_full (G_OBJECT (widget), "bulk-row", g_object_ref (row), g_object_unref);

  return widget;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static gboolean
has_file_and_reason (CabutBulkView *self)
{
  return self->csv != NULL && adw_combo_row_get_selected_item (self->reason_row) != NULL;
}

static void
set_page (CabutBulkView *self,
          const char    *page)
{
  if (g_strcmp0 (self->page, page) != 0)
    {
      self->page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }
}

static void
update (CabutBulkView *self)
{
  gboolean busy = self->loading > 0;
  gboolean running = g_str_equal (self->page, "running");
  gboolean preview = g_str_equal (self->page, "preview");
  gboolean interrupted = g_str_equal (self->page, "interrupted");

  gtk_widget_set_sensitive (GTK_WIDGET (self->preview_button), !busy && !running && has_file_and_reason (self));
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), preview);
  /* One batch at a time from here: one cut off is resumed before another runs. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button),
                            !busy && self->batch_id == NULL && self->batch != NULL &&
                            cabut_bulk_batch_get_matched (self->batch) > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), interrupted || (preview && self->batch_id != NULL));
  gtk_widget_set_sensitive (GTK_WIDGET (self->resume_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running || interrupted);
}

static void
show_batch (CabutBulkView  *self,
            CabutBulkBatch *batch)
{
  GListModel *rows = cabut_bulk_batch_get_rows (batch);
  guint matched = cabut_bulk_batch_get_matched (batch);
  guint unmatched = cabut_bulk_batch_get_unmatched (batch);
  guint n_rows = cabut_bulk_batch_get_n_rows (batch);
  guint done = cabut_bulk_batch_get_revoked (batch) + cabut_bulk_batch_get_skipped (batch);
  g_autofree char *summary = NULL;

  g_set_object (&self->batch, batch);
  clear_list (self->matched_list);
  clear_list (self->unmatched_list);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CabutBulkRow) row = g_list_model_get_item (rows, i);
      gboolean is_unmatched = g_str_equal (cabut_bulk_row_get_status (row), "unmatched");

      gtk_list_box_append (is_unmatched ? self->unmatched_list : self->matched_list, row_new (row));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->matched_group), matched > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->unmatched_group), unmatched > 0);

  if (cabut_bulk_batch_get_dry_run (batch))
    /* Translators: the counts of a bulk revocation's preview; %u rows of the file */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row: %u certificates matched, %u rows not matched",
                                            "%u rows: %u certificates matched, %u rows not matched", n_rows),
                               n_rows, matched, unmatched);
  else if (cabut_bulk_batch_is_done (batch))
    /* Translators: the summary of a finished bulk revocation */
    summary = g_strdup_printf (_("Batch %s done: %u revoked, %u skipped, %u rows not matched"),
                               cabut_bulk_batch_get_id (batch), cabut_bulk_batch_get_revoked (batch),
                               cabut_bulk_batch_get_skipped (batch), unmatched);
  else
    /* Translators: progress of a bulk revocation */
    summary = g_strdup_printf (_("Batch %s: %u of %u certificates done"), cabut_bulk_batch_get_id (batch), done,
                               matched);
  gtk_label_set_label (self->summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, matched > 0 ? (double) done / matched : 1.0);
}

static void
remember_batch (CabutBulkView *self,
                const char    *id)
{
  cabut_set_str (&self->batch_id, id);
  g_settings_set_string (cabut_context_get_settings (self->context), "bulk-batch", id != NULL ? id : "");
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  poll_batch (user_data);

  return G_SOURCE_REMOVE;
}

/* A batch from the service: shown, and followed until it is done. */
static void
follow_batch (CabutBulkView  *self,
              CabutBulkBatch *batch)
{
  show_batch (self, batch);
  if (cabut_bulk_batch_is_done (batch))
    {
      remember_batch (self, NULL);
      set_page (self, "done");
      show_message (self, NULL);
    }
  else
    {
      remember_batch (self, cabut_bulk_batch_get_id (batch));
      set_page (self, "running");
      if (self->poll_id == 0)
        self->poll_id = g_timeout_add (POLL_INTERVAL_MS, poll_timeout_cb, self);
    }
  update (self);
}

/* A batch cut off: said, with Resume offered. */
static void
cut_off (CabutBulkView *self,
         const char    *message)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  show_message (self, message);
  set_page (self, "interrupted");
  update (self);
}

/* The service could not be reached while the batch ran. */
static void
interrupted (CabutBulkView *self,
             const GError  *error)
{
  /* Translators: the batch number, then the error */
  g_autofree char *message = g_strdup_printf (_("Batch %s was interrupted before it finished (%s). Nothing done is "
                                                "lost and nothing will be revoked twice: resume it when the service "
                                                "is back."), self->batch_id, error->message);

  cut_off (self, message);
}

static void
batch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CabutBulkView) self = user_data;
  g_autoptr(CabutBulkBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  batch = cabut_ams_client_bulk_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  loading_changed (self, -1);
  if (batch != NULL && self->restoring && !cabut_bulk_batch_is_done (batch))
    {
      /* Translators: the batch number */
      g_autofree char *message = g_strdup_printf (_("Batch %s was not seen to its end. Resume it: nothing done is "
                                                    "lost and nothing will be revoked twice."),
                                                  cabut_bulk_batch_get_id (batch));

      self->restoring = FALSE;
      show_batch (self, batch);
      cut_off (self, message);
      return;
    }
  self->restoring = FALSE;
  if (batch == NULL)
    {
      if (self->batch_id != NULL && !g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_NOT_FOUND))
        interrupted (self, error);
      else
        {
          if (self->batch_id != NULL)
            remember_batch (self, NULL);
          show_message (self, error->message);
          update (self);
        }
      return;
    }

  if (cabut_bulk_batch_get_dry_run (batch))
    {
      g_free (self->run_key);
      self->run_key = g_uuid_string_random ();
      show_message (self, NULL);
      show_batch (self, batch);
      set_page (self, "preview");
      update (self);
    }
  else
    follow_batch (self, batch);
}

static void
poll_batch (CabutBulkView *self)
{
  g_assert (self->batch_id != NULL);

  self->poll_id = 0;
  loading_changed (self, 1);
  cabut_ams_client_get_bulk_async (cabut_context_get_client (self->context), self->batch_id, self->cancellable,
                                   batch_cb, g_object_ref (self));
}

static void
reasons_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CabutBulkView) self = user_data;
  g_autoptr(GListModel) reasons = NULL;
  g_autoptr(GError) error = NULL;

  reasons = cabut_ams_client_list_reasons_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  loading_changed (self, -1);
  if (reasons == NULL)
    {
      show_message (self, error->message);
      return;
    }
  g_set_object (&self->reasons, reasons);
  adw_combo_row_set_model (self->reason_row, reasons);
  update (self);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CabutBulkView) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  loading_changed (self, -1);
  if (bytes == NULL)
    {
      show_message (self, error->message);
      update (self);
      return;
    }
  g_clear_pointer (&self->csv, g_bytes_unref);
  self->csv = g_steal_pointer (&bytes);
  name = g_file_get_basename (G_FILE (object));
  adw_action_row_set_subtitle (self->file_row, name);
  show_message (self, NULL);
  update (self);
}

static void
sized_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CabutBulkView) self = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  goffset size;

  info = g_file_query_info_finish (G_FILE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (info == NULL)
    {
      loading_changed (self, -1);
      show_message (self, error->message);
      update (self);
      return;
    }
  size = g_file_info_get_size (info);
  if (size > CSV_MAX_SIZE)
    {
      g_autofree char *have = g_format_size (size);
      g_autofree char *most = g_format_size (CSV_MAX_SIZE);
      /* Translators: two file sizes */
      g_autofree char *message = g_strdup_printf (_("The list is %s; the service takes lists of at most %s (10,000 "
                                                    "rows). Split it into several lists."), have, most);

      loading_changed (self, -1);
      g_clear_pointer (&self->csv, g_bytes_unref);
      adw_action_row_set_subtitle (self->file_row, _("No file chosen"));
      show_message (self, message);
      update (self);
      return;
    }
  g_file_load_bytes_async (G_FILE (object), self->cancellable, loaded_cb, g_object_ref (self));
}

static void
file_chosen (GtkWidget *widget,
             GFile     *file)
{
  cabut_bulk_view_set_file (CABUT_BULK_VIEW (widget), file);
}

static void
choose_clicked_cb (CabutBulkView *self)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Lists of NIPs or serial numbers (.csv, .txt)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  cabut_choose_file (GTK_WIDGET (self), _("Choose the List"), _("_Open"), filter, file_chosen);
}

static void
preview_clicked_cb (CabutBulkView *self)
{
  cabut_bulk_view_preview (self);
}

static void
run_clicked_cb (CabutBulkView *self)
{
  cabut_bulk_view_run (self);
}

static void
resume_clicked_cb (CabutBulkView *self)
{
  cabut_bulk_view_resume (self);
}

static void
reason_changed_cb (CabutBulkView *self)
{
  /* Another reason: the preview shown no longer says what would be done. */
  if (g_strcmp0 (self->page, "preview") == 0)
    set_page (self, "start");
  update (self);
}

static void
confirmed_cb (CabutBulkView  *self,
              const char     *response)
{
  CabutReasonItem *reason = adw_combo_row_get_selected_item (self->reason_row);
  const char *note = gtk_editable_get_text (GTK_EDITABLE (self->note_row));

  if (!g_str_equal (response, "revoke") || self->csv == NULL || reason == NULL || self->run_key == NULL)
    return;

  show_message (self, NULL);
  loading_changed (self, 1);
  update (self);
  cabut_ams_client_bulk_async (cabut_context_get_client (self->context), self->csv,
                               cabut_reason_item_get_name (reason), *note != '\0' ? note : NULL, FALSE, self->run_key,
                               self->cancellable, batch_cb, g_object_ref (self));
}

static void
cabut_bulk_view_dispose (GObject *object)
{
  CabutBulkView *self = (CabutBulkView *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_BULK_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->file);
  g_clear_object (&self->reasons);
  g_clear_object (&self->batch);
  g_clear_pointer (&self->csv, g_bytes_unref);
  g_clear_pointer (&self->batch_id, g_free);
  g_clear_pointer (&self->run_key, g_free);

  G_OBJECT_CLASS (cabut_bulk_view_parent_class)->dispose (object);
}

static void
cabut_bulk_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CabutBulkView *self = CABUT_BULK_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, cabut_bulk_view_get_busy (self));
      break;
    case PROP_PAGE:
      g_value_set_string (value, self->page);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_bulk_view_class_init (CabutBulkViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_bulk_view_dispose;
  object_class->get_property = cabut_bulk_view_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, "start",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-bulk-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, file_row);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, reason_row);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, note_row);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, preview_button);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, message_label);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, run_button);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, resume_button);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, matched_group);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, matched_list);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, unmatched_group);
  gtk_widget_class_bind_template_child (widget_class, CabutBulkView, unmatched_list);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, preview_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, run_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resume_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reason_changed_cb);
}

static void
cabut_bulk_view_init (CabutBulkView *self)
{
  g_autoptr(GtkExpression) label = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  cabut_name_icon_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->page = "start";
  label = gtk_property_expression_new (CABUT_TYPE_REASON_ITEM, NULL, "label");
  adw_combo_row_set_expression (self->reason_row, label);
  cabut_add_file_drop (GTK_WIDGET (self), file_chosen);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Progress of the batch"), -1);
}

/**
 * cabut_bulk_view_new:
 * @context: with an officer (operator or admin) signed in
 *
 * Returns: (transfer floating): the bulk revocation view; a batch left
 *   unfinished (kept in GSettings) is read back and offered for Resume
 */
GtkWidget *
cabut_bulk_view_new (CabutContext *context)
{
  CabutBulkView *self;
  g_autofree char *kept = NULL;

  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  self = g_object_new (CABUT_TYPE_BULK_VIEW, NULL);
  self->context = g_object_ref (context);
  /* The context's cancellable ends the view's work with the window. */
  g_signal_connect_object (cabut_context_get_cancellable (context), "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->cancellable, G_CONNECT_SWAPPED);

  loading_changed (self, 1);
  cabut_ams_client_list_reasons_async (cabut_context_get_client (context), self->cancellable, reasons_cb,
                                       g_object_ref (self));

  kept = g_settings_get_string (cabut_context_get_settings (context), "bulk-batch");
  if (*kept != '\0')
    {
      self->batch_id = g_steal_pointer (&kept);
      self->restoring = TRUE;
      poll_batch (self);
    }
  update (self);

  return GTK_WIDGET (self);
}

/** cabut_bulk_view_set_file: the CSV to read, as the chooser or a drop gives it */
void
cabut_bulk_view_set_file (CabutBulkView *self,
                          GFile         *file)
{
  g_return_if_fail (CABUT_IS_BULK_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->file, file);
  if (g_strcmp0 (self->page, "preview") == 0)
    set_page (self, "start");
  loading_changed (self, 1);
  /* Its size first: a file far larger than any list is not read at all. */
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                           self->cancellable, sized_cb, g_object_ref (self));
}

/** cabut_bulk_view_preview: a dry run of the file with the reason chosen, as Preview does */
void
cabut_bulk_view_preview (CabutBulkView *self)
{
  CabutReasonItem *reason;
  const char *note;

  g_return_if_fail (CABUT_IS_BULK_VIEW (self));

  reason = adw_combo_row_get_selected_item (self->reason_row);
  if (self->csv == NULL || reason == NULL)
    return;
  note = gtk_editable_get_text (GTK_EDITABLE (self->note_row));
  show_message (self, NULL);
  loading_changed (self, 1);
  update (self);
  cabut_ams_client_bulk_async (cabut_context_get_client (self->context), self->csv,
                               cabut_reason_item_get_name (reason), *note != '\0' ? note : NULL, TRUE, NULL,
                               self->cancellable, batch_cb, g_object_ref (self));
}

/** cabut_bulk_view_run: asks once, then starts the batch previewed */
void
cabut_bulk_view_run (CabutBulkView *self)
{
  GtkRoot *root;
  AdwMessageDialog *dialog;
  guint n;
  g_autofree char *body = NULL;

  g_return_if_fail (CABUT_IS_BULK_VIEW (self));

  if (self->batch == NULL || !cabut_bulk_batch_get_dry_run (self->batch))
    return;
  n = cabut_bulk_batch_get_matched (self->batch);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u certificate will be revoked; this cannot be undone.",
                                       "%u certificates will be revoked; this cannot be undone.", n), n);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Revoke the Certificates?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "revoke", _("_Revoke"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "revoke", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirmed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/** cabut_bulk_view_resume: carries on with the batch cut off, as Resume does */
void
cabut_bulk_view_resume (CabutBulkView *self)
{
  g_return_if_fail (CABUT_IS_BULK_VIEW (self));

  if (self->batch_id == NULL)
    return;
  show_message (self, NULL);
  loading_changed (self, 1);
  update (self);
  cabut_ams_client_resume_bulk_async (cabut_context_get_client (self->context), self->batch_id, self->cancellable,
                                      batch_cb, g_object_ref (self));
}

gboolean
cabut_bulk_view_get_busy (CabutBulkView *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_VIEW (self), FALSE);

  return self->loading > 0;
}

/** cabut_bulk_view_get_page: start, preview, running, interrupted or done */
const char *
cabut_bulk_view_get_page (CabutBulkView *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_VIEW (self), NULL);

  return self->page;
}

/** cabut_bulk_view_get_batch: Returns: (transfer none) (nullable): the preview or batch shown */
CabutBulkBatch *
cabut_bulk_view_get_batch (CabutBulkView *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_VIEW (self), NULL);

  return self->batch;
}
