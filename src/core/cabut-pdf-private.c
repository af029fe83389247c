/* cabut-pdf-private.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The A4 documents Cabut makes — the statement letter and the receipt —
 * written with cairo (a PDF surface) and pango, top to bottom, text that
 * does not fit flowing onto a new page. */

#include "config.h"

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <qrencode.h>

#include "cabut-pdf-private.h"

/* A sans metric-compatible with Arial (fonts-liberation2). */
#define FONT         "Liberation Sans"
#define LABEL_WIDTH  105.0
#define COLON_WIDTH  10.0

static const char * const months[] = {
  "Januari", "Februari", "Maret", "April", "Mei", "Juni",
  "Juli", "Agustus", "September", "Oktober", "November", "Desember",
};

/** cabut_pdf_date: Returns: (transfer full): @date the Indonesian way, "2 Desember 2026" */
char *
cabut_pdf_date (GDateTime *date)
{
  return g_strdup_printf ("%d %s %d", g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1], g_date_time_get_year (date));
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

void
cabut_pdf_writer_begin (CabutPdfWriter *writer,
                        const char     *title)
{
  cairo_surface_t *surface;

  writer->pdf = g_byte_array_new ();
  surface = cairo_pdf_surface_create_for_stream (write_cb, writer->pdf, CABUT_PDF_PAGE_WIDTH,
                                                 CABUT_PDF_PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Cabut");
  writer->cr = cairo_create (surface);
  cairo_surface_destroy (surface);
  writer->pages = 1;
  writer->y = CABUT_PDF_MARGIN_TOP;
  cairo_set_source_rgb (writer->cr, 0, 0, 0);
}

/**
 * cabut_pdf_writer_end:
 *
 * Finishes the document; ends @writer whatever happens.
 *
 * Returns: (transfer full) (nullable): the PDF, or %NULL with @error set
 */
GBytes *
cabut_pdf_writer_end (CabutPdfWriter  *writer,
                      GError         **error)
{
  cairo_surface_t *surface = cairo_surface_reference (cairo_get_target (writer->cr));
  cairo_status_t status;

  cairo_destroy (g_steal_pointer (&writer->cr));
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The letter cannot be made: %s"),
                   cairo_status_to_string (status));
      g_byte_array_unref (g_steal_pointer (&writer->pdf));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&writer->pdf));
}

PangoLayout *
cabut_pdf_writer_layout (CabutPdfWriter *writer,
                         const char     *text,
                         double          width,
                         gboolean        bold,
                         double          size,
                         PangoAlignment  alignment)
{
  PangoLayout *layout = pango_cairo_create_layout (writer->cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT);

  /* Point sizes mean points only at 72 dpi. */
  pango_cairo_context_set_resolution (pango_layout_get_context (layout), 72);
  pango_layout_context_changed (layout);
  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  /* Long DNs and names without spaces still break. */
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_text (layout, text, -1);

  return layout;
}

/* Moves to a new page unless @height fits on this one. */
void
cabut_pdf_writer_ensure_room (CabutPdfWriter *writer,
                              double          height)
{
  if (writer->y + height <= CABUT_PDF_PAGE_HEIGHT - CABUT_PDF_MARGIN_BOTTOM)
    return;

  cairo_show_page (writer->cr);
  writer->pages++;
  writer->y = CABUT_PDF_MARGIN_TOP;
}

/* Draws @layout at @x line by line from the writer's y, flowing onto new
 * pages as needed. */
void
cabut_pdf_writer_flow (CabutPdfWriter *writer,
                       PangoLayout    *layout,
                       double          x)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      double height, baseline;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      height = (double) logical.height / PANGO_SCALE;
      baseline = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;
      cabut_pdf_writer_ensure_room (writer, height);
      cairo_move_to (writer->cr, x + (double) logical.x / PANGO_SCALE, writer->y + baseline);
      pango_cairo_show_layout_line (writer->cr, line);
      writer->y += height;
    }
  while (pango_layout_iter_next_line (iter));

  pango_layout_iter_free (iter);
}

/* Bold, centred, a little larger. */
void
cabut_pdf_writer_title (CabutPdfWriter *writer,
                        const char     *title)
{
  g_autoptr(PangoLayout) layout = cabut_pdf_writer_layout (writer, title, CABUT_PDF_TEXT_WIDTH, TRUE, 12,
                                                           PANGO_ALIGN_CENTER);

  cabut_pdf_writer_flow (writer, layout, CABUT_PDF_MARGIN_LEFT);
  writer->y += 2 * CABUT_PDF_PARAGRAPH_GAP;
}

void
cabut_pdf_writer_paragraph (CabutPdfWriter *writer,
                            const char     *text,
                            gboolean        bold)
{
  g_autoptr(PangoLayout) layout = cabut_pdf_writer_layout (writer, text, CABUT_PDF_TEXT_WIDTH, bold,
                                                           CABUT_PDF_FONT_SIZE, PANGO_ALIGN_LEFT);

  cabut_pdf_writer_flow (writer, layout, CABUT_PDF_MARGIN_LEFT);
  writer->y += CABUT_PDF_PARAGRAPH_GAP;
}

/* "Label  : value", the value wrapping in its own column; nothing when
 * there is no value. */
void
cabut_pdf_writer_row (CabutPdfWriter *writer,
                      const char     *label,
                      const char     *value)
{
  double value_x = CABUT_PDF_MARGIN_LEFT + LABEL_WIDTH + COLON_WIDTH;
  g_autoptr(PangoLayout) label_layout = NULL;
  g_autoptr(PangoLayout) colon = NULL;
  g_autoptr(PangoLayout) value_layout = NULL;
  PangoRectangle first;

  if (value == NULL || *value == '\0')
    return;

  label_layout = cabut_pdf_writer_layout (writer, label, LABEL_WIDTH, FALSE, CABUT_PDF_FONT_SIZE, PANGO_ALIGN_LEFT);
  colon = cabut_pdf_writer_layout (writer, ":", COLON_WIDTH, FALSE, CABUT_PDF_FONT_SIZE, PANGO_ALIGN_LEFT);
  value_layout = cabut_pdf_writer_layout (writer, value, CABUT_PDF_PAGE_WIDTH - CABUT_PDF_MARGIN_RIGHT - value_x,
                                          FALSE, CABUT_PDF_FONT_SIZE, PANGO_ALIGN_LEFT);

  /* The label and the value's first line on one page. */
  pango_layout_get_pixel_extents (label_layout, NULL, &first);
  cabut_pdf_writer_ensure_room (writer, first.height);
  cairo_move_to (writer->cr, CABUT_PDF_MARGIN_LEFT, writer->y);
  pango_cairo_show_layout (writer->cr, label_layout);
  cairo_move_to (writer->cr, CABUT_PDF_MARGIN_LEFT + LABEL_WIDTH, writer->y);
  pango_cairo_show_layout (writer->cr, colon);
  cabut_pdf_writer_flow (writer, value_layout, value_x);
  writer->y += 2;
}

/* A QR code @size wide in the top right corner, its text beside it in
 * small type; the writer goes on below it. */
gboolean
cabut_pdf_writer_qr_code (CabutPdfWriter  *writer,
                          const char      *text,
                          double           size,
                          GError         **error)
{
  QRcode *code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  double x = CABUT_PDF_PAGE_WIDTH - CABUT_PDF_MARGIN_RIGHT - size;
  double y = CABUT_PDF_MARGIN_TOP;
  double module;
  g_autoptr(PangoLayout) caption = NULL;

  if (code == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The letter’s code cannot be made"));
      return FALSE;
    }

  /* Four modules of quiet zone around it, as readers expect. */
  module = size / (code->width + 8);
  cairo_save (writer->cr);
  cairo_set_source_rgb (writer->cr, 0, 0, 0);
  for (int row_index = 0; row_index < code->width; row_index++)
    for (int column = 0; column < code->width; column++)
      if (code->data[row_index * code->width + column] & 1)
        cairo_rectangle (writer->cr, x + (column + 4) * module, y + (row_index + 4) * module, module, module);
  cairo_fill (writer->cr);
  cairo_restore (writer->cr);
  QRcode_free (code);

  caption = cabut_pdf_writer_layout (writer, text, CABUT_PDF_CM (6.0), FALSE, 6.5, PANGO_ALIGN_RIGHT);
  cairo_move_to (writer->cr, x - CABUT_PDF_CM (6.2), y + size - 4 * 6.5 * 1.3);
  pango_cairo_show_layout (writer->cr, caption);

  writer->y = CABUT_PDF_MARGIN_TOP + size + 6;
  return TRUE;
}
