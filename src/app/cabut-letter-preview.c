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

/* The statement letter as the officer will see it: a page of a PDF
 * rendered with poppler (the first, until another is asked for), or the
 * scanned image; fitted to the space it has, or zoomed. Everything —
 * reading, sniffing the type by content, the size limit, rendering —
 * happens in a worker thread, each load and each page with its own
 * PopplerDocument. */
struct _CabutLetterPreview
{
  GtkWidget   parent_instance;

  GtkPicture *picture;
  GFile      *file;
  char       *content_type;
  guint64     size;
  guint       n_pages;
  guint       page;             /* shown, from 0 */
  guint       wanted_page;      /* being rendered, or shown */
  GBytes     *pdf;              /* the PDF shown, to render other pages from */
  double      zoom;             /* 0: fit */
  int         rendered_width;   /* of the page shown, or asked for */
  GCancellable *page_cancellable;
};

G_DEFINE_FINAL_TYPE (CabutLetterPreview, cabut_letter_preview, GTK_TYPE_WIDGET)
G_DEFINE_QUARK (cabut-letter-preview-error-quark, cabut_letter_preview_error)

/* Wide enough to read a letter's print on a 1280-pixel screen; zoom 1. */
#define PREVIEW_WIDTH 900
#define FIT_HEIGHT 320

enum {
  PROP_0,
  PROP_PAGE,
  PROP_N_PAGES,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const double zoom_levels[] = { 0.25, 0.33, 0.5, 0.67, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0 };

typedef struct
{
  GFile      *file;       /* NULL when a page of @pdf is rendered */
  guint64     max_size;
  GdkTexture *texture;
  const char *content_type;
  guint64     size;
  guint       n_pages;
  guint       page;
  int         width;      /* to render the page at */
  GBytes     *pdf;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->file);
  g_clear_object (&load->texture);
  g_clear_pointer (&load->pdf, g_bytes_unref);
  g_free (load);
}

static GdkTexture *
render_pdf (GBytes   *bytes,
            guint     index,
            int       target_width,
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
  if (*n_pages == 0 || (page = poppler_document_get_page (document, MIN (index, *n_pages - 1))) == NULL)
    {
      g_set_error_literal (error, CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_DAMAGED,
                           _("The PDF file has no pages. Scan or save the letter again."));
      return NULL;
    }

  poppler_page_get_size (page, &width, &height);
  if (width < 1 || height < 1 || width > 20000 || height > 20000)
    {
      g_set_error_literal (error, CABUT_LETTER_PREVIEW_ERROR, CABUT_LETTER_PREVIEW_ERROR_DAMAGED,
                           _("A page of the PDF file has an impossible size. Scan or save the letter again."));
      return NULL;
    }

  scale = target_width / width;
  w = target_width;
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
    {
      load->texture = render_pdf (bytes, 0, PREVIEW_WIDTH, &load->n_pages, &error);
      load->pdf = g_bytes_ref (bytes);
    }
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

static void page_rendered_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);
static int  needed_width     (CabutLetterPreview *self);
static void render_page      (CabutLetterPreview *self,
                              guint               page);

static void
set_pages (CabutLetterPreview *self,
           guint               page,
           guint               n_pages)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->page != page)
    {
      self->page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }
  if (self->n_pages != n_pages)
    {
      self->n_pages = n_pages;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
page_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  GError *error = NULL;

  if ((load->texture = render_pdf (load->pdf, load->page, load->width, &load->n_pages, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The size the letter is drawn at: the space it is given when fitted,
 * its zoomed size otherwise. */
static void
apply_zoom (CabutLetterPreview *self)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (self->picture);
  double ratio = 1.414;

  if (paintable != NULL && gdk_paintable_get_intrinsic_width (paintable) > 0)
    ratio = (double) gdk_paintable_get_intrinsic_height (paintable) / gdk_paintable_get_intrinsic_width (paintable);

  if (self->zoom <= 0)
    gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1, FIT_HEIGHT);
  else
    gtk_widget_set_size_request (GTK_WIDGET (self->picture), PREVIEW_WIDTH * self->zoom,
                                 PREVIEW_WIDTH * self->zoom * ratio);

  /* Zoomed past 100 %, a PDF page is drawn again at that size, so that a
   * signature or a stamp stays sharp. */
  if (self->pdf != NULL && needed_width (self) != self->rendered_width)
    render_page (self, self->wanted_page);
}

static int
needed_width (CabutLetterPreview *self)
{
  return (int) (PREVIEW_WIDTH * MAX (1.0, self->zoom));
}

/* Renders @page of the PDF shown in a thread, at the width the zoom needs. */
static void
render_page (CabutLetterPreview *self,
             guint               page)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_cancellable_cancel (self->page_cancellable);
  g_clear_object (&self->page_cancellable);
  self->page_cancellable = g_cancellable_new ();
  self->rendered_width = needed_width (self);
  self->wanted_page = page;

  load = g_new0 (Load, 1);
  load->pdf = g_bytes_ref (self->pdf);
  load->page = page;
  load->width = self->rendered_width;
  task = g_task_new (self, self->page_cancellable, page_rendered_cb, NULL);
  g_task_set_source_tag (task, render_page);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  g_task_run_in_thread (task, page_thread);
}

static void
show_texture (CabutLetterPreview *self,
              GdkTexture         *texture)
{
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  apply_zoom (self);
}

static void
page_rendered_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CabutLetterPreview *self = CABUT_LETTER_PREVIEW (object);
  Load *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to render page %u of the letter: %s", load->page + 1, error->message);
      return;
    }
  /* Another letter came meanwhile. */
  if (self->pdf != load->pdf)
    return;

  show_texture (self, load->texture);
  if (self->page != load->page)
    {
      self->page = load->page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }
}

static void
cabut_letter_preview_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CabutLetterPreview *self = CABUT_LETTER_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_uint (value, self->page);
      break;
    case PROP_N_PAGES:
      g_value_set_uint (value, self->n_pages);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_letter_preview_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CabutLetterPreview *self = CABUT_LETTER_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      cabut_letter_preview_set_page (self, g_value_get_uint (value));
      break;
    case PROP_ZOOM:
      cabut_letter_preview_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_letter_preview_dispose (GObject *object)
{
  CabutLetterPreview *self = (CabutLetterPreview *)object;

  g_cancellable_cancel (self->page_cancellable);
  g_clear_object (&self->page_cancellable);
  g_clear_pointer (&self->pdf, g_bytes_unref);

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
  object_class->get_property = cabut_letter_preview_get_property;
  object_class->set_property = cabut_letter_preview_set_property;

  /**
   * CabutLetterPreview:page:
   *
   * The page shown, from 0; set it to show another (rendered in a thread,
   * notified once it is on screen).
   */
  properties[PROP_PAGE] =
    g_param_spec_uint ("page", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_PAGES] =
    g_param_spec_uint ("n-pages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CabutLetterPreview:zoom:
   *
   * 1 draws the letter 900 pixels wide; 0 fits it to the space it has.
   */
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, 3, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1, FIT_HEIGHT);
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
  g_cancellable_cancel (self->page_cancellable);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  self->pdf = load->pdf != NULL ? g_bytes_ref (load->pdf) : NULL;
  self->rendered_width = PREVIEW_WIDTH;
  self->wanted_page = 0;
  set_pages (self, 0, load->n_pages);
  show_texture (self, load->texture);

  return TRUE;
}

void
cabut_letter_preview_clear (CabutLetterPreview *self)
{
  g_return_if_fail (CABUT_IS_LETTER_PREVIEW (self));

  g_clear_object (&self->file);
  g_clear_pointer (&self->content_type, g_free);
  self->size = 0;
  g_cancellable_cancel (self->page_cancellable);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  self->rendered_width = 0;
  self->wanted_page = 0;
  gtk_picture_set_paintable (self->picture, NULL);
  set_pages (self, 0, 0);
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

/** cabut_letter_preview_get_page: Returns: the page shown, from 0 */
guint
cabut_letter_preview_get_page (CabutLetterPreview *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_PREVIEW (self), 0);
  return self->page;
}

/**
 * cabut_letter_preview_set_page:
 * @page: from 0
 *
 * Renders @page of the PDF shown in a thread and shows it; #CabutLetterPreview:page
 * changes once it is on screen. Pages past the last, or of an image, are
 * ignored.
 */
void
cabut_letter_preview_set_page (CabutLetterPreview *self,
                               guint               page)
{
  g_return_if_fail (CABUT_IS_LETTER_PREVIEW (self));

  if (self->pdf == NULL || page >= self->n_pages)
    return;

  render_page (self, page);
}

/** cabut_letter_preview_get_zoom: Returns: the zoom, 0 when fitted */
double
cabut_letter_preview_get_zoom (CabutLetterPreview *self)
{
  g_return_val_if_fail (CABUT_IS_LETTER_PREVIEW (self), 0);
  return self->zoom;
}

/**
 * cabut_letter_preview_set_zoom:
 * @zoom: 1 for 900 pixels wide, 0 to fit the letter to the space it has
 */
void
cabut_letter_preview_set_zoom (CabutLetterPreview *self,
                               double              zoom)
{
  g_return_if_fail (CABUT_IS_LETTER_PREVIEW (self));

  zoom = CLAMP (zoom, 0, zoom_levels[G_N_ELEMENTS (zoom_levels) - 1]);
  if (zoom > 0)
    zoom = MAX (zoom, zoom_levels[0]);
  if (self->zoom == zoom)
    return;

  self->zoom = zoom;
  apply_zoom (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* The zoom it is drawn at now: when fitted, what the space makes it. */
static double
effective_zoom (CabutLetterPreview *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->picture));

  if (self->zoom > 0)
    return self->zoom;

  return width > 0 ? (double) width / PREVIEW_WIDTH : 1.0;
}

/**
 * cabut_letter_preview_zoom_step:
 * @direction: 1 to zoom in, -1 to zoom out
 *
 * Zooms to the next level from the size drawn now.
 */
void
cabut_letter_preview_zoom_step (CabutLetterPreview *self,
                                int                 direction)
{
  double now;

  g_return_if_fail (CABUT_IS_LETTER_PREVIEW (self));

  now = effective_zoom (self);
  if (direction > 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
        if (zoom_levels[i] > now + 0.01)
          {
            cabut_letter_preview_set_zoom (self, zoom_levels[i]);
            return;
          }
    }
  else
    {
      for (guint i = G_N_ELEMENTS (zoom_levels); i > 0; i--)
        if (zoom_levels[i - 1] < now - 0.01)
          {
            cabut_letter_preview_set_zoom (self, zoom_levels[i - 1]);
            return;
          }
    }
}

typedef struct
{
  CabutLetterPreview *self;
  CabutAmsClient     *client;
  guint64             max_size;
  char               *name;     /* when the request names no hash */
  char               *path;     /* of the letter at the service */
  char               *sha256;   /* nullable: the letter filed, as the request says */
  char               *type;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->self);
  g_clear_object (&fetch->client);
  g_free (fetch->name);
  g_free (fetch->path);
  g_free (fetch->sha256);
  g_free (fetch->type);
  g_free (fetch);
}

static void request_letter_downloaded_cb (GObject      *object,
                                          GAsyncResult *result,
                                          gpointer      user_data);

static void
request_letter_download (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  cabut_ams_client_download_async (fetch->client, fetch->path, g_task_get_cancellable (task),
                                   request_letter_downloaded_cb, task);
}

static void
request_letter_shown_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!cabut_letter_preview_load_finish (CABUT_LETTER_PREVIEW (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
request_letter_kept_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  cabut_letter_preview_load_async (fetch->self, G_FILE (object), fetch->max_size, g_task_get_cancellable (task),
                                   request_letter_shown_cb, g_object_ref (task));
}

/* Kept under its hash once it proved to be the one filed (the cache checks). */
static void
request_letter_cached_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;

  if ((file = cabut_letter_cache_keep_finish (result, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cabut_letter_preview_load_async (fetch->self, file, fetch->max_size, g_task_get_cancellable (task),
                                   request_letter_shown_cb, g_object_ref (task));
}

static void
request_letter_looked_up_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = cabut_letter_cache_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (file != NULL)
    {
      cabut_letter_preview_load_async (fetch->self, file, fetch->max_size, g_task_get_cancellable (task),
                                       request_letter_shown_cb, task);
      return;
    }
  /* Not kept, or kept damaged (removed now), or unreadable: fetched again. */
  if (error != NULL)
    g_debug ("The kept letter cannot be read: %s", error->message);
  request_letter_download (task);
}

static void
request_letter_downloaded_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  GError *error = NULL;

  if ((letter = cabut_ams_client_download_finish (CABUT_AMS_CLIENT (object), result, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (fetch->sha256 != NULL)
    {
      cabut_letter_cache_keep_async (fetch->sha256, fetch->type, letter, g_task_get_cancellable (task),
                                     request_letter_cached_cb, g_object_ref (task));
      return;
    }

  /* No hash said: kept in the cache, private to the user, named by the request. */
  dir = g_build_filename (g_get_user_cache_dir (), "cabut", "letters", NULL);
  g_mkdir_with_parents (dir, 0700);
  file = g_file_new_build_filename (dir, fetch->name, NULL);
  g_file_replace_contents_bytes_async (file, letter, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), request_letter_kept_cb, g_object_ref (task));
}

/**
 * cabut_letter_preview_load_request_async:
 * @client: a client signed in as someone who may read the letter
 * @request: the request whose filed letter to show
 * @max_size: as for cabut_letter_preview_load_async()
 *
 * Shows the letter filed with @request: the one kept in
 * $XDG_CACHE_HOME/cabut/letters under its SHA-256 when the kept file still
 * has that hash, else downloaded and kept there (only if it has the hash
 * the request names: cabut_letter_cache_keep_async()); a request that
 * names no hash has its letter kept under its number.
 */
void
cabut_letter_preview_load_request_async (CabutLetterPreview  *self,
                                         CabutAmsClient      *client,
                                         CabutRequest        *request,
                                         guint64              max_size,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  const char *type;
  Fetch *fetch;

  g_return_if_fail (CABUT_IS_LETTER_PREVIEW (self));
  g_return_if_fail (CABUT_IS_AMS_CLIENT (client));
  g_return_if_fail (CABUT_IS_REQUEST (request));

  type = cabut_request_get_letter_type (request);
  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->max_size = max_size;
  fetch->name = g_strdup_printf ("%s%s", cabut_request_get_id (request),
                                 g_strcmp0 (type, "image/jpeg") == 0 ? ".jpg"
                                 : g_strcmp0 (type, "image/png") == 0 ? ".png" : ".pdf");

  fetch->client = g_object_ref (client);
  fetch->type = g_strdup (type);
  if (cabut_letter_cache_is_valid_name (cabut_request_get_letter_sha256 (request)))
    fetch->sha256 = g_strdup (cabut_request_get_letter_sha256 (request));
  escaped = g_uri_escape_string (cabut_request_get_id (request), NULL, FALSE);
  fetch->path = g_strdup_printf ("requests/%s/letter", escaped);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_letter_preview_load_request_async);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  if (fetch->sha256 != NULL)
    cabut_letter_cache_lookup_async (fetch->sha256, type, cancellable, request_letter_looked_up_cb,
                                     g_steal_pointer (&task));
  else
    request_letter_download (g_steal_pointer (&task));
}

gboolean
cabut_letter_preview_load_request_finish (CabutLetterPreview  *self,
                                          GAsyncResult        *result,
                                          GError             **error)
{
  g_return_val_if_fail (CABUT_IS_LETTER_PREVIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
