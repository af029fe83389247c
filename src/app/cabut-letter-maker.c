/* cabut-letter-maker.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-letter-maker"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <poppler.h>

#include "cabut-letter-maker.h"
#include "cabut-util.h"

/* Poppler 22.12's types have no g_autoptr. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

/* The pre-filled statement letter, on the letter step: the place of
 * signing and the optional blocks asked for, the letter made (in a worker
 * thread, by CabutLetterForm) into the user's cache folder, then opened in
 * the document viewer, saved elsewhere or printed (pages drawn by poppler
 * into the print context). */
struct _CabutLetterMaker
{
  AdwPreferencesGroup  parent_instance;

  AdwEntryRow         *place_row;
  AdwActionRow        *chronology_row;
  GtkSwitch           *meterai_switch;
  GtkSwitch           *superior_switch;
  AdwEntryRow         *superior_name_row;
  AdwEntryRow         *superior_nip_row;
  AdwActionRow        *letter_row;
  GtkButton           *create_button;
  GtkWidget           *actions_box;
  GtkLabel            *error_label;

  CabutLetterForm     *form;
  GBytes              *pdf;
  GFile               *file;
  GDateTime           *made_at;
  GCancellable        *cancellable;
  gboolean             busy;
  gboolean             stale;
};

G_DEFINE_FINAL_TYPE (CabutLetterMaker, cabut_letter_maker, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_FILE,
  N_PROPS
};

enum {
  EDIT_CHRONOLOGY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
show_error (CabutLetterMaker *self,
            const char       *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (CabutLetterMaker *self,
          gboolean          busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update (CabutLetterMaker *self)
{
  const char *chronology = cabut_letter_form_get_chronology (self->form);

  adw_action_row_set_subtitle (self->chronology_row,
                               chronology != NULL && *chronology != '\0'
                                 ? chronology : _("Nothing written yet: you can add it at the reason step."));

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            !self->busy && cabut_letter_form_get_ready (self->form));
  gtk_button_set_label (self->create_button, self->file != NULL ? _("_Create Again") : _("_Create Letter"));
  gtk_widget_set_visible (self->actions_box, self->file != NULL);

  if (self->busy)
    adw_action_row_set_subtitle (self->letter_row, _("Making the letter…"));
  else if (self->file == NULL)
    adw_action_row_set_subtitle (self->letter_row,
                                 cabut_letter_form_get_ready (self->form)
                                   ? _("Not made yet") : _("Say where you sign it first"));
  else if (self->stale)
    adw_action_row_set_subtitle (self->letter_row, _("Your changes are not in it yet: create it again."));
  else
    {
      g_autofree char *size = g_format_size (g_bytes_get_size (self->pdf));
      g_autofree char *time = g_date_time_format (self->made_at, "%H:%M");
      /* Translators: a file size, then a time such as 10:42 */
      g_autofree char *subtitle = g_strdup_printf (_("PDF, %s, made at %s"), size, time);

      adw_action_row_set_subtitle (self->letter_row, subtitle);
    }
}

static void
form_notify_cb (CabutLetterMaker *self,
                GParamSpec       *pspec)
{
  if (self->file != NULL && !g_str_equal (pspec->name, "ready"))
    self->stale = TRUE;
  update (self);
}

/* The superior's block is in the letter only while its switch is on. */
static void
superior_changed_cb (CabutLetterMaker *self)
{
  gboolean on = gtk_switch_get_active (self->superior_switch);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->superior_name_row));
  const char *nip = gtk_editable_get_text (GTK_EDITABLE (self->superior_nip_row));

  cabut_letter_form_set_superior_name (self->form, on && *name != '\0' ? name : NULL);
  cabut_letter_form_set_superior_nip (self->form, on && *nip != '\0' ? nip : NULL);
}

static void
edit_chronology_cb (CabutLetterMaker *self)
{
  g_signal_emit (self, signals[EDIT_CHRONOLOGY], 0);
}

static GFile *
letter_file (CabutLetterMaker *self)
{
  CabutCertificate *certificate = cabut_letter_form_get_certificate (self->form);
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "cabut", "letters", NULL);
  g_autofree char *name = g_strdup_printf ("surat-pernyataan-%s.pdf", cabut_certificate_get_serial (certificate));

  g_mkdir_with_parents (dir, 0700);

  return g_file_new_build_filename (dir, name, NULL);
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CabutLetterMaker) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_pointer (&self->pdf, g_bytes_unref);
      set_busy (self, FALSE);
      show_error (self, error->message);
      update (self);
      return;
    }

  g_set_object (&self->file, G_FILE (object));
  g_clear_pointer (&self->made_at, g_date_time_unref);
  self->made_at = g_date_time_new_now_local ();
  self->stale = FALSE;
  set_busy (self, FALSE);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

static void
rendered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CabutLetterMaker) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GFile) file = NULL;

  pdf = cabut_letter_form_render_finish (CABUT_LETTER_FORM (object), result, &error);
  if (pdf == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message);
      update (self);
      return;
    }

  g_clear_pointer (&self->pdf, g_bytes_unref);
  self->pdf = g_bytes_ref (pdf);
  file = letter_file (self);
  g_file_replace_contents_bytes_async (file, pdf, NULL, FALSE, G_FILE_CREATE_PRIVATE, self->cancellable,
                                       written_cb, g_object_ref (self));
}

/**
 * cabut_letter_maker_create:
 *
 * Makes the letter from what the form holds now, as "Create Letter" does.
 */
void
cabut_letter_maker_create (CabutLetterMaker *self)
{
  g_return_if_fail (CABUT_IS_LETTER_MAKER (self));

  if (self->busy)
    return;

  show_error (self, NULL);
  set_busy (self, TRUE);
  update (self);
  cabut_letter_form_render_async (self->form, self->cancellable, rendered_cb, g_object_ref (self));
}

static void
create_clicked_cb (CabutLetterMaker *self)
{
  cabut_letter_maker_create (self);
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CabutLetterMaker) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: the error the system gave */
      message = g_strdup_printf (_("The letter cannot be opened: %s. Save it and open it yourself, or print it "
                                   "from here."), error->message);
      show_error (self, message);
    }
}

static void
open_clicked_cb (CabutLetterMaker *self)
{
  g_autoptr(GAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;

  if (self->file == NULL)
    return;

  show_error (self, NULL);
  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));
  uri = g_file_get_uri (self->file);
  g_app_info_launch_default_for_uri_async (uri, context, self->cancellable, launched_cb, g_object_ref (self));
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CabutLetterMaker) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (object));
      /* Translators: a file name, then the error the system gave */
      g_autofree char *message = g_strdup_printf (_("The letter cannot be saved as %s: %s"), name, error->message);

      show_error (self, message);
    }
}

static void
save_response_cb (GtkNativeDialog  *chooser,
                  int               response,
                  CabutLetterMaker *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->pdf != NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      show_error (self, NULL);
      g_file_replace_contents_bytes_async (file, self->pdf, NULL, FALSE, G_FILE_CREATE_NONE, self->cancellable,
                                           saved_cb, g_object_ref (self));
    }

  g_object_set_data (G_OBJECT (self), "cabut-save-chooser", NULL);
}

static void
save_clicked_cb (CabutLetterMaker *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->file == NULL || g_object_get_data (G_OBJECT (self), "cabut-save-chooser") != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save the Letter"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = g_file_get_basename (self->file);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* GTK keeps no reference to a native dialog: the widget does, until it answers. */
  g_object_set_data_full (G_OBJECT (self), "cabut-save-chooser", chooser, g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PopplerDocument   *document)
{
  gtk_print_operation_set_n_pages (operation, poppler_document_get_n_pages (document));
}

/* The letter's pages are A4 at the PDF's own margins: drawn at full size
 * from the paper's corner, scaled only when the paper is another size. */
static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PopplerDocument   *document)
{
  g_autoptr(PopplerPage) page = poppler_document_get_page (document, page_nr);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width, height, scale;

  if (page == NULL)
    return;

  poppler_page_get_size (page, &width, &height);
  scale = MIN (gtk_print_context_get_width (context) / width, gtk_print_context_get_height (context) / height);
  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render_for_printing (page, cr);
  cairo_restore (cr);
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               CabutLetterMaker        *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *message = NULL;

      gtk_print_operation_get_error (operation, &error);
      /* Translators: the error the printing system gave */
      message = g_strdup_printf (_("The letter cannot be printed: %s"), error ? error->message : "");
      show_error (self, message);
    }
}

static GtkPrintOperation *
new_print_operation (CabutLetterMaker  *self,
                     GError           **error)
{
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autoptr(GtkPaperSize) a4 = NULL;
  GtkPrintOperation *operation;

  if ((document = poppler_document_new_from_bytes (self->pdf, NULL, error)) == NULL)
    return NULL;

  operation = gtk_print_operation_new ();
  a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  setup = gtk_page_setup_new ();
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, "Surat Pernyataan");
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_data (operation, "begin-print", G_CALLBACK (begin_print_cb), g_object_ref (document),
                         (GClosureNotify) g_object_unref, 0);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page_cb), g_object_ref (document),
                         (GClosureNotify) g_object_unref, 0);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);

  return operation;
}

static void
print_clicked_cb (CabutLetterMaker *self)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->pdf == NULL)
    return;

  show_error (self, NULL);
  if ((operation = new_print_operation (self, &error)) == NULL)
    {
      show_error (self, error->message);
      return;
    }
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                           GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL);
}

/**
 * cabut_letter_maker_export:
 * @file: a local PDF file
 *
 * Prints the letter made last to @file, without a dialog: the pages Print
 * sends to a printer, as a PDF (for tests, and for printing to a file).
 */
void
cabut_letter_maker_export (CabutLetterMaker *self,
                           GFile            *file)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);

  g_return_if_fail (CABUT_IS_LETTER_MAKER (self));
  g_return_if_fail (self->pdf != NULL && path != NULL);

  if ((operation = new_print_operation (self, &error)) == NULL)
    {
      show_error (self, error->message);
      return;
    }
  gtk_print_operation_set_export_filename (operation, path);
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, NULL);
}

CabutLetterForm *
cabut_letter_maker_get_form (CabutLetterMaker *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_MAKER (self), NULL);
  return self->form;
}

/** cabut_letter_maker_get_file: Returns: (nullable): the letter made last, in the cache folder */
GFile *
cabut_letter_maker_get_file (CabutLetterMaker *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_MAKER (self), NULL);
  return self->file;
}

gboolean
cabut_letter_maker_get_busy (CabutLetterMaker *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_MAKER (self), FALSE);
  return self->busy;
}

static void
cabut_letter_maker_dispose (GObject *object)
{
  CabutLetterMaker *self = (CabutLetterMaker *)object;

  g_cancellable_cancel (self->cancellable);
  g_object_set_data (object, "cabut-save-chooser", NULL);
  if (self->form != NULL)
    g_signal_handlers_disconnect_by_data (self->form, self);

  G_OBJECT_CLASS (cabut_letter_maker_parent_class)->dispose (object);
}

static void
cabut_letter_maker_finalize (GObject *object)
{
  CabutLetterMaker *self = (CabutLetterMaker *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->form);
  g_clear_object (&self->file);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  g_clear_pointer (&self->made_at, g_date_time_unref);

  G_OBJECT_CLASS (cabut_letter_maker_parent_class)->finalize (object);
}

static void
cabut_letter_maker_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CabutLetterMaker *self = CABUT_LETTER_MAKER (object);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_FILE: g_value_set_object (value, self->file); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_letter_maker_class_init (CabutLetterMakerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_letter_maker_dispose;
  object_class->finalize = cabut_letter_maker_finalize;
  object_class->get_property = cabut_letter_maker_get_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* "What happened" is written at the reason step: the letter and the
   * request say the same. */
  signals[EDIT_CHRONOLOGY] = g_signal_new ("edit-chronology", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-letter-maker.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutLetterMaker, place_row);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterMaker, chronology_row);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterMaker, meterai_switch);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterMaker, superior_switch);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterMaker, superior_name_row);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterMaker, superior_nip_row);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterMaker, letter_row);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterMaker, create_button);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterMaker, actions_box);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterMaker, error_label);
  gtk_widget_class_bind_template_callback (widget_class, edit_chronology_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_clicked_cb);
}

static void
cabut_letter_maker_init (CabutLetterMaker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->form = g_object_new (CABUT_TYPE_LETTER_FORM, "place", "", NULL);
  g_object_bind_property (self->form, "place", self->place_row, "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->form, "meterai", self->meterai_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->superior_switch, "notify::active", G_CALLBACK (superior_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* Not an AdwExpanderRow: libadwaita 1.2 gives its switch and header no accessible name. */
  g_object_bind_property (self->superior_switch, "active", self->superior_name_row, "visible", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->superior_switch, "active", self->superior_nip_row, "visible", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->superior_name_row, "changed", G_CALLBACK (superior_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->superior_nip_row, "changed", G_CALLBACK (superior_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "notify", G_CALLBACK (form_notify_cb), self, G_CONNECT_SWAPPED);
  update (self);
}
