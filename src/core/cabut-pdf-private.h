/* cabut-pdf-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* A4 in points, and the margins of an official letter: 3 cm left, 2 cm
 * right and top, 2.5 cm bottom. */
#define CABUT_PDF_CM(x)          ((x) * 72.0 / 2.54)
#define CABUT_PDF_PAGE_WIDTH     CABUT_PDF_CM (21.0)
#define CABUT_PDF_PAGE_HEIGHT    CABUT_PDF_CM (29.7)
#define CABUT_PDF_MARGIN_LEFT    CABUT_PDF_CM (3.0)
#define CABUT_PDF_MARGIN_RIGHT   CABUT_PDF_CM (2.0)
#define CABUT_PDF_MARGIN_TOP     CABUT_PDF_CM (2.0)
#define CABUT_PDF_MARGIN_BOTTOM  CABUT_PDF_CM (2.5)
#define CABUT_PDF_TEXT_WIDTH     (CABUT_PDF_PAGE_WIDTH - CABUT_PDF_MARGIN_LEFT - CABUT_PDF_MARGIN_RIGHT)
#define CABUT_PDF_FONT_SIZE      11
#define CABUT_PDF_PARAGRAPH_GAP  8.0

/* An A4 document written top to bottom, flowing onto new pages. */
typedef struct
{
  cairo_t    *cr;
  double      y;         /* where the next line goes */
  int         pages;
  GByteArray *pdf;
} CabutPdfWriter;

void         cabut_pdf_writer_begin      (CabutPdfWriter  *writer,
                                          const char      *title);
GBytes      *cabut_pdf_writer_end        (CabutPdfWriter  *writer,
                                          GError         **error);
PangoLayout *cabut_pdf_writer_layout     (CabutPdfWriter  *writer,
                                          const char      *text,
                                          double           width,
                                          gboolean         bold,
                                          double           size,
                                          PangoAlignment   alignment);
void         cabut_pdf_writer_ensure_room (CabutPdfWriter *writer,
                                          double           height);
void         cabut_pdf_writer_flow       (CabutPdfWriter  *writer,
                                          PangoLayout     *layout,
                                          double           x);
void         cabut_pdf_writer_title      (CabutPdfWriter  *writer,
                                          const char      *title);
void         cabut_pdf_writer_paragraph  (CabutPdfWriter  *writer,
                                          const char      *text,
                                          gboolean         bold);
void         cabut_pdf_writer_row        (CabutPdfWriter  *writer,
                                          const char      *label,
                                          const char      *value);
gboolean     cabut_pdf_writer_qr_code    (CabutPdfWriter  *writer,
                                          const char      *text,
                                          double           size,
                                          GError         **error);
char        *cabut_pdf_date              (GDateTime       *date);

G_END_DECLS
