/* cabut-letter-preview.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-letter-preview"

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "cabut-core.h"
#include "cabut-letter-preview.h"

/* poppler-glib 22.12 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

/* The statement letter as the officer will see it: the first page of a
 * PDF rendered with poppler, or the scanned image. Everything — reading,
 * sniffing the type by content, the size limit, rendering — happens in a
 * worker thread, each load with its own PopplerDocument. */
struct _CabutLetterPreview
{
  GtkWidget   parent_instance;

  GtkPicture *picture;
  GFile      *file;
  char       *content_type;
  guint64     size;
  guint       n_pages;
};

G_DEFINE_FINAL_TYPE (CabutLetterPreview, cabut_letter_preview, GTK_TYPE_WIDGET)
G_DEFINE_QUARK (cabut-letter-preview-error-quark, cabut_letter_preview_error)

/* Wide enough to read a letter's print on a 1280-pixel screen. */
#define PREVIEW_WIDTH 900

typedef struct
{
  GFile      *file;
  guint64     max_size;
  GdkTexture *texture;
  const char *content_type;
  guint64     size;
  guint       n_pages;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->file);
  g_clear_object (&load->texture);
  g_free (load);
}

static GdkTexture *
render_pdf (GBytes   *bytes,
            guint    *n_pages,
            GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(PopplerPage) page = NULL;
  g_autoptr(GBytes) pixels = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height, scale;
  int w, h, stride;
  GdkTexture *texture;

  document = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  if (document == NULL)
    {
      /* Translators: %s is poppler's reason */
      g_set_error (error, CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_DAMAGED,
                   _("The PDF file is damaged and cannot be opened (%s). Scan or save the letter again."),
                   local_error->message);
      return NULL;
    }

  *n_pages = poppler_document_get_n_pages (document);
  if (*n_pages == 0 || (page = poppler_document_get_page (document, 0)) == NULL)
    {
      g_set_error_literal (error, CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_DAMAGED,
                           _("The PDF file has no pages. Scan or save the letter again."));
      return NULL;
    }

  poppler_page_get_size (page, &width, &height);
  if (width < 1 || height < 1 || width > 20000 || height > 20000)
    {
      g_set_error_literal (error, CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_DAMAGED,
                           _("The first page of the PDF file has an impossible size. Scan or save the letter again."));
      return NULL;
    }

  scale = PREVIEW_WIDTH / width;
  w = PREVIEW_WIDTH;
  h = MAX (1, (int) (height * scale));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error_literal (error, CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_DAMAGED,
                           _("Not enough memory to show the letter"));
      return NULL;
    }

  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  stride = cairo_image_surface_get_stride (surface);
  pixels = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * h);
  texture = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, pixels, stride);
  cairo_surface_destroy (surface);

  return texture;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *max = NULL;
  char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (load->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, cancellable,
                            &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Refused from its size alone: nothing that large is read. */
  load->size = g_file_info_get_size (info);
  max = g_format_size_full (load->max_size, G_FORMAT_SIZE_IEC_UNITS);
  if (load->max_size > 0 && load->size > load->max_size)
    {
      g_autofree char *size = g_format_size_full (load->size, G_FORMAT_SIZE_IEC_UNITS);

      /* "10.0 MiB, more than 10.0 MiB" would say nothing: give the bytes. */
      if (g_str_equal (size, max))
        {
          g_free (size);
          g_free (max);
          size = g_format_size_full (load->size, G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);
          max = g_format_size_full (load->max_size, G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);
        }

      g_task_return_new_error (task, CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_TOO_LARGE,
                               /* Translators: the letter's size, then the service's limit */
                               _("The letter is %s, more than the service accepts (%s). Scan it again at a lower "
                                 "resolution (150–200 dpi is enough), or save it as PDF."), size, max);
      return;
    }
  if (load->size == 0)
    {
      g_task_return_new_error (task, CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_EMPTY,
                               _("The file is empty. Choose the scan of your signed letter."));
      return;
    }

  if (!g_file_load_contents (load->file, cancellable, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  bytes = g_bytes_new_take (contents, length);
  load->size = length;
  if (load->max_size > 0 && length > load->max_size)
    {
      g_task_return_new_error (task, CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_TOO_LARGE,
                               _("The letter grew while it was read and is now more than the service accepts (%s)."),
                               max);
      return;
    }

  load->content_type = cabut_letter_sniff_type (bytes);
  if (load->content_type == NULL)
    {
      g_task_return_new_error (task, CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_WRONG_TYPE,
                               _("This file is not a PDF, JPEG or PNG, whatever its name says. Scan the signed "
                                 "letter, or save it as PDF."));
      return;
    }

  if (g_str_equal (load->content_type, "application/pdf"))
    load->texture = render_pdf (bytes, &load->n_pages, &error);
  else
    {
      load->n_pages = 1;
      load->texture = gdk_texture_new_from_bytes (bytes, &error);
      if (load->texture == NULL)
        {
          g_autoptr(GError) damaged = NULL;

          /* Translators: %s is the image loader's reason */
          damaged = g_error_new (CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_DAMAGED,
                                 _("The image is damaged and cannot be shown (%s). Scan the letter again."),
                                 error->message);
          g_clear_error (&error);
          error = g_steal_pointer (&damaged);
        }
    }

  if (load->texture == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
cabut_letter_preview_dispose (GObject *object)
{
  CabutLetterPreview *self = (CabutLetterPreview *)object;

  g_clear_pointer ((GtkWidget **) &self->picture, gtk_widget_unparent);
  g_clear_object (&self->file);
  g_clear_pointer (&self->content_type, g_free);

  G_OBJECT_CLASS (cabut_letter_preview_parent_class)->dispose (object);
}

static void
cabut_letter_preview_class_init (CabutLetterPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_letter_preview_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "letterpreview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cabut_letter_preview_init (CabutLetterPreview *self)
{
  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1, 320);
  gtk_widget_set_parent (GTK_WIDGET (self->picture), GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preview of the statement letter"), -1);
}

GtkWidget *
cabut_letter_preview_new (void)
{
  return g_object_new (CABUT_TYPE_LETTER_PREVIEW, NULL);
}

/**
 * cabut_letter_preview_load_async:
 * @max_size: the service's limit in bytes, 0 for none
 *
 * Reads @file in a thread, checks it is a PDF, JPEG or PNG by content and
 * within @max_size, and shows its first page. The preview keeps showing the
 * last good letter until a new one loads.
 */
void
cabut_letter_preview_load_async (CabutLetterPreview  *self,
                                 GFile               *file,
                                 guint64              max_size,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_return_if_fail (CABUT_IS_LETTER_PREVIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  load = g_new0 (Load, 1);
  load->file = g_object_ref (file);
  load->max_size = max_size;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_letter_preview_load_async);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
cabut_letter_preview_load_finish (CabutLetterPreview  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  Load *load;

  g_return_val_if_fail (CABUT_IS_LETTER_PREVIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  load = g_task_get_task_data (G_TASK (result));
  g_set_object (&self->file, load->file);
  g_free (self->content_type);
  self->content_type = g_strdup (load->content_type);
  self->size = load->size;
  self->n_pages = load->n_pages;
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (load->texture));

  return TRUE;
}

void
cabut_letter_preview_clear (CabutLetterPreview *self)
{
  g_return_if_fail (CABUT_IS_LETTER_PREVIEW (self));

  g_clear_object (&self->file);
  g_clear_pointer (&self->content_type, g_free);
  self->size = 0;
  self->n_pages = 0;
  gtk_picture_set_paintable (self->picture, NULL);
}

/** cabut_letter_preview_get_file: Returns: (transfer none) (nullable): the letter shown */
GFile *
cabut_letter_preview_get_file (CabutLetterPreview *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_PREVIEW (self), NULL);
  return self->file;
}

const char *
cabut_letter_preview_get_content_type (CabutLetterPreview *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_PREVIEW (self), NULL);
  return self->content_type;
}

guint64
cabut_letter_preview_get_size (CabutLetterPreview *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_PREVIEW (self), 0);
  return self->size;
}

guint
cabut_letter_preview_get_n_pages (CabutLetterPreview *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_PREVIEW (self), 0);
  return self->n_pages;
}
