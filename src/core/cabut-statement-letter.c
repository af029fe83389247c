/* cabut-statement-letter.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The statement letter as an A4 PDF, drawn with cairo and pango: always
 * in Bahasa Indonesia (it goes to an Indonesian authority, whatever the
 * interface language), in the usual shape of a surat pernyataan, with a QR
 * code in the top right corner that ties a scan of the signed letter to
 * the certificate and reason it was made for. */

#include "config.h"

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <pango/pangocairo.h>
#include <poppler.h>
#include <qrencode.h>
#include <zbar.h>

#include "cabut-letter.h"
#include "cabut-pdf-private.h"

#include "cabut-statement-letter.h"

#define CM(x)          CABUT_PDF_CM (x)
#define PAGE_WIDTH     CABUT_PDF_PAGE_WIDTH
#define MARGIN_LEFT    CABUT_PDF_MARGIN_LEFT
#define TEXT_WIDTH     CABUT_PDF_TEXT_WIDTH
#define FONT_SIZE      CABUT_PDF_FONT_SIZE
#define PARAGRAPH_GAP  CABUT_PDF_PARAGRAPH_GAP
/* Big enough for a 150 dpi scan to give zbar over 3 pixels a module. */
#define QR_SIZE        CM (3.0)

#define TITLE "SURAT PERNYATAAN PERMOHONAN PENCABUTAN SERTIFIKAT ELEKTRONIK"

typedef CabutPdfWriter Writer;

/**
 * cabut_statement_letter_date:
 *
 * Returns: (transfer full): @date the Indonesian way, "2 Desember 2026"
 */
char *
cabut_statement_letter_date (GDateTime *date)
{
  return cabut_pdf_date (date);
}

/**
 * cabut_statement_letter_code:
 *
 * What the letter's QR code holds, printed beside it too: a version,
 * the certificate's serial and SHA-256 fingerprint, the reason and the
 * draft's idempotency key, separated by ':'. All of it in capitals: QR's
 * alphanumeric mode holds it in a smaller code than bytes would, which a
 * low-resolution scan still reads.
 *
 * Returns: (transfer full): the code's text
 */
char *
cabut_statement_letter_code (const CabutStatementLetter *letter)
{
  g_autofree char *text = g_strdup_printf ("CABUT1:%s:%s:%s:%s", letter->serial, letter->fingerprint,
                                           letter->reason, letter->draft_key != NULL ? letter->draft_key : "");

  return g_ascii_strup (text, -1);
}

/* Name and NIP under a place for the signature; @boxed draws the duty
 * stamp's box. */
static void
signature (Writer     *writer,
           double      x,
           double      y,
           const char *heading,
           const char *name,
           const char *id_label,
           const char *id,
           gboolean    boxed)
{
  double width = TEXT_WIDTH / 2 - 10;
  g_autoptr(PangoLayout) top = cabut_pdf_writer_layout (writer, heading, width, FALSE, FONT_SIZE, PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) name_layout = cabut_pdf_writer_layout (writer, name, width, TRUE, FONT_SIZE, PANGO_ALIGN_LEFT);
  g_autofree char *id_text = id != NULL ? g_strdup_printf ("%s %s", id_label, id) : NULL;
  PangoRectangle extents;

  cairo_move_to (writer->cr, x, y);
  pango_cairo_show_layout (writer->cr, top);
  pango_layout_get_pixel_extents (top, NULL, &extents);
  y += extents.height;

  if (boxed)
    {
      g_autoptr(PangoLayout) stamp = cabut_pdf_writer_layout (writer, "Meterai\n10.000", CM (2.2), FALSE, 7,
                                                 PANGO_ALIGN_CENTER);

      cairo_save (writer->cr);
      cairo_set_line_width (writer->cr, 0.5);
      cairo_set_dash (writer->cr, (double[]) { 2, 2 }, 2, 0);
      cairo_rectangle (writer->cr, x, y + 8, CM (2.5), CM (1.8));
      cairo_stroke (writer->cr);
      cairo_restore (writer->cr);
      cairo_move_to (writer->cr, x + CM (0.15), y + 8 + CM (0.55));
      pango_cairo_show_layout (writer->cr, stamp);
    }
  y += CM (2.4);

  cairo_move_to (writer->cr, x, y);
  pango_cairo_show_layout (writer->cr, name_layout);
  pango_layout_get_pixel_extents (name_layout, NULL, &extents);
  y += extents.height;
  if (id_text != NULL)
    {
      g_autoptr(PangoLayout) id_layout = cabut_pdf_writer_layout (writer, id_text, width, FALSE, FONT_SIZE, PANGO_ALIGN_LEFT);

      cairo_move_to (writer->cr, x, y);
      pango_cairo_show_layout (writer->cr, id_layout);
    }
}

/**
 * cabut_statement_letter_render:
 *
 * Returns: (transfer full) (nullable): the letter as an A4 PDF, or %NULL
 *   with @error set
 */
GBytes *
cabut_statement_letter_render (const CabutStatementLetter  *letter,
                               GError                     **error)
{
  g_autofree char *code = cabut_statement_letter_code (letter);
  g_autofree char *valid_until = NULL;
  g_autofree char *signed_on = NULL;
  g_autofree char *place_and_date = NULL;
  const char *id_label = letter->nip != NULL ? "NIP" : "NIK";
  const char *id = letter->nip != NULL ? letter->nip : letter->nik;
  Writer writer = { 0 };

  g_return_val_if_fail (letter->full_name != NULL && letter->serial != NULL && letter->subject != NULL &&
                        letter->issuer != NULL && letter->fingerprint != NULL && letter->reason != NULL &&
                        letter->reason_label != NULL && letter->place != NULL && letter->date != NULL, NULL);

  cabut_pdf_writer_begin (&writer, "Surat Pernyataan Permohonan Pencabutan Sertifikat Elektronik");
  if (!cabut_pdf_writer_qr_code (&writer, code, QR_SIZE, error))
    {
      g_autoptr(GBytes) unfinished = cabut_pdf_writer_end (&writer, NULL);

      return NULL;
    }
  cabut_pdf_writer_title (&writer, TITLE);

  cabut_pdf_writer_paragraph (&writer, "Yang bertanda tangan di bawah ini:", FALSE);
  cabut_pdf_writer_row (&writer, "Nama", letter->full_name);
  cabut_pdf_writer_row (&writer, id_label, id);
  cabut_pdf_writer_row (&writer, "Jabatan", letter->position);
  cabut_pdf_writer_row (&writer, "Unit Kerja", letter->unit);
  cabut_pdf_writer_row (&writer, "Instansi", letter->organization);
  cabut_pdf_writer_row (&writer, "E-mail", letter->email);
  writer.y += PARAGRAPH_GAP;

  cabut_pdf_writer_paragraph (&writer, "dengan ini mengajukan permohonan pencabutan sertifikat elektronik milik saya "
                      "dengan data sebagai berikut:", FALSE);
  valid_until = letter->valid_until != NULL ? cabut_statement_letter_date (letter->valid_until) : NULL;
  cabut_pdf_writer_row (&writer, "Nomor Seri", letter->serial);
  cabut_pdf_writer_row (&writer, "Subject DN", letter->subject);
  cabut_pdf_writer_row (&writer, "Penerbit", letter->issuer);
  cabut_pdf_writer_row (&writer, "Berlaku sampai", valid_until);
  cabut_pdf_writer_row (&writer, "Alasan", letter->reason_label);
  writer.y += PARAGRAPH_GAP;

  if (letter->chronology != NULL && *letter->chronology != '\0')
    {
      cabut_pdf_writer_paragraph (&writer, "Kronologi:", FALSE);
      cabut_pdf_writer_paragraph (&writer, letter->chronology, FALSE);
    }

  cabut_pdf_writer_paragraph (&writer, "Demikian surat pernyataan ini saya buat dengan sebenarnya, dalam keadaan sadar dan "
                      "tanpa paksaan dari pihak mana pun, untuk dipergunakan sebagaimana mestinya.", FALSE);
  writer.y += PARAGRAPH_GAP;

  /* The signatures stay together, on one page. */
  signed_on = cabut_statement_letter_date (letter->date);
  place_and_date = g_strdup_printf ("%s, %s", letter->place, signed_on);
  cabut_pdf_writer_ensure_room (&writer, CM (5.5));
  {
    double right = MARGIN_LEFT + TEXT_WIDTH / 2 + 10;
    /* Three lines each, so the two names stand on one line. */
    g_autofree char *heading = g_strdup_printf ("%s\nYang membuat pernyataan,\n", place_and_date);

    if (letter->superior_name != NULL)
      signature (&writer, MARGIN_LEFT, writer.y, "\nMengetahui,\nAtasan langsung,", letter->superior_name, "NIP",
                 letter->superior_nip, FALSE);
    signature (&writer, right, writer.y, heading, letter->full_name, id_label, id, letter->meterai);
  }

  return cabut_pdf_writer_end (&writer, error);
}

/**
 * cabut_statement_letter_match:
 * @code: (nullable): what cabut_statement_letter_read_code() found
 *
 * Compares a letter's code with the certificate and reason of the request
 * it is attached to (in any case: the code is in capitals). The draft's key
 * is not compared: a letter printed for one draft serves its retry too.
 */
CabutLetterMatch
cabut_statement_letter_match (const char *code,
                              const char *serial,
                              const char *fingerprint,
                              const char *reason)
{
  g_auto(GStrv) fields = NULL;

  if (code == NULL)
    return CABUT_LETTER_MATCH_NO_CODE;

  fields = g_strsplit (code, ":", -1);
  if (g_strv_length (fields) != 5 || g_ascii_strcasecmp (fields[0], "CABUT1") != 0)
    return CABUT_LETTER_MATCH_UNREADABLE;
  if (g_ascii_strcasecmp (fields[1], serial) != 0 || g_ascii_strcasecmp (fields[2], fingerprint) != 0)
    return CABUT_LETTER_MATCH_OTHER_CERTIFICATE;
  if (g_ascii_strcasecmp (fields[3], reason) != 0)
    return CABUT_LETTER_MATCH_OTHER_REASON;

  return CABUT_LETTER_MATCH_YES;
}

/* The names of the service's API and database (a nick would be spelt
 * with hyphens). */
static const char * const match_names[] = {
  [CABUT_LETTER_MATCH_NO_CODE] = "no_code",
  [CABUT_LETTER_MATCH_YES] = "yes",
  [CABUT_LETTER_MATCH_OTHER_CERTIFICATE] = "other_certificate",
  [CABUT_LETTER_MATCH_OTHER_REASON] = "other_reason",
  [CABUT_LETTER_MATCH_UNREADABLE] = "unreadable",
};

/** cabut_statement_letter_match_to_string: Returns: the name, e.g. "other_reason" */
const char *
cabut_statement_letter_match_to_string (CabutLetterMatch match)
{
  g_return_val_if_fail (match < G_N_ELEMENTS (match_names), NULL);
  return match_names[match];
}

/** cabut_statement_letter_match_from_string: Returns: %FALSE if @string names no result */
gboolean
cabut_statement_letter_match_from_string (const char       *string,
                                          CabutLetterMatch *match)
{
  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (match_names); i++)
    if (g_str_equal (string, match_names[i]))
      {
        if (match != NULL)
          *match = i;
        return TRUE;
      }

  return FALSE;
}

/* Reading the code back from a scan ------------------------------------- */

/* The resolution a page is rendered at for the reader: the 3 cm code is
 * then some 240 pixels across, over 4 a module. */
#define READ_DPI 200.0
/* Cabut prints its code on the first page; a scan may put a cover or the
 * pages out of order, but a letter of many pages is not read to its end
 * (the service reads every attached letter). */
#define READ_MAX_PAGES 3
/* The largest picture read, decoded or rendered: an A4 page scanned at
 * 600 dpi is 35 million pixels. A PNG of a few kilobytes can unpack into
 * gigabytes; one this size takes some 150 MB. */
#define READ_MAX_PIXELS (36 * 1000 * 1000)
/* A picture is looked at twice as large only up to this size (then it
 * is one of 4 million pixels: an A4 page at 200 dpi, a phone's photo
 * sent through a chat); a larger one has pixels enough. */
#define READ_MAX_UPSCALED_PIXELS (16 * 1000 * 1000)
/* The binarizer's blocks, in pixels, and the least difference between a
 * block's darkest and lightest pixel that says it holds an edge. */
#define BLOCK_SIZE 8
#define BLOCK_MIN_RANGE 24

/* Looks for Cabut's code in 8-bit grey @pixels, along every @step-th
 * line; @code set when found. */
static void
scan_grey (const guint8  *pixels,
           int            width,
           int            height,
           int            step,
           char         **code)
{
  zbar_image_scanner_t *scanner = zbar_image_scanner_create ();
  zbar_image_t *image = zbar_image_create ();
  const zbar_symbol_t *symbol;

  zbar_image_scanner_set_config (scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (scanner, ZBAR_NONE, ZBAR_CFG_X_DENSITY, step);
  zbar_image_scanner_set_config (scanner, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, step);
  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, width, height);
  zbar_image_set_data (image, pixels, (unsigned long) width * height, NULL);

  if (zbar_scan_image (scanner, image) > 0)
    for (symbol = zbar_image_first_symbol (image); symbol != NULL && *code == NULL;
         symbol = zbar_symbol_next (symbol))
      if (g_str_has_prefix (zbar_symbol_get_data (symbol), "CABUT1:"))
        *code = g_strdup (zbar_symbol_get_data (symbol));

  zbar_image_destroy (image);
  zbar_image_scanner_destroy (scanner);
}

/* @grey in black and white, each pixel against the pixels around it
 * rather than one level for the page: a photocopy's grey toner on grey
 * paper, or a photo lit unevenly, has edges zbar misses. Each block of
 * BLOCK_SIZE pixels gets a level (its mean; a flat one is taken as
 * paper unless its neighbours are dark), and each pixel is compared with
 * the mean level of the 5 × 5 blocks around its own.
 *
 * Returns: (transfer full) (nullable): the picture, or %NULL when no
 *   block has an edge (a blank page: no code to look for) */
static guint8 *
binarize (const guint8 *grey,
          int           width,
          int           height)
{
  int columns = (width + BLOCK_SIZE - 1) / BLOCK_SIZE;
  int rows = (height + BLOCK_SIZE - 1) / BLOCK_SIZE;
  g_autofree guint8 *levels = g_malloc ((gsize) columns * rows);
  guint8 *out;
  gboolean edges = FALSE;

  g_assert (width > 0 && height > 0);

  for (int row = 0; row < rows; row++)
    for (int column = 0; column < columns; column++)
      {
        int x0 = column * BLOCK_SIZE, y0 = row * BLOCK_SIZE;
        int x1 = MIN (x0 + BLOCK_SIZE, width), y1 = MIN (y0 + BLOCK_SIZE, height);
        guint sum = 0, count = (x1 - x0) * (y1 - y0);
        guint8 darkest = 255, lightest = 0;
        guint level;

        for (int y = y0; y < y1; y++)
          for (int x = x0; x < x1; x++)
            {
              guint8 p = grey[(gsize) y * width + x];

              sum += p;
              darkest = MIN (darkest, p);
              lightest = MAX (lightest, p);
            }

        if (lightest - darkest > BLOCK_MIN_RANGE)
          {
            level = sum / count;
            edges = TRUE;
          }
        else
          {
            /* Flat: paper, unless it lies in something dark. */
            level = darkest / 2;
            if (row > 0 && column > 0)
              {
                guint around = (levels[(gsize) (row - 1) * columns + column] +
                                2 * levels[(gsize) row * columns + column - 1] +
                                levels[(gsize) (row - 1) * columns + column - 1]) / 4;

                if (darkest < around)
                  level = around;
              }
          }
        levels[(gsize) row * columns + column] = (guint8) level;
      }

  if (!edges)
    return NULL;

  out = g_malloc ((gsize) width * height);
  for (int row = 0; row < rows; row++)
    for (int column = 0; column < columns; column++)
      {
        int x0 = column * BLOCK_SIZE, y0 = row * BLOCK_SIZE;
        int x1 = MIN (x0 + BLOCK_SIZE, width), y1 = MIN (y0 + BLOCK_SIZE, height);
        guint sum = 0, count = 0;

        for (int r = MAX (row - 2, 0); r <= MIN (row + 2, rows - 1); r++)
          for (int c = MAX (column - 2, 0); c <= MIN (column + 2, columns - 1); c++, count++)
            sum += levels[(gsize) r * columns + c];

        for (int y = y0; y < y1; y++)
          for (int x = x0; x < x1; x++)
            out[(gsize) y * width + x] = grey[(gsize) y * width + x] * count <= sum ? 0 : 255;
      }

  return out;
}

/* @grey twice as wide and high, each new pixel the mean of its
 * neighbours. Returns: (transfer full) */
static guint8 *
upscale (const guint8 *grey,
         int           width,
         int           height)
{
  int out_width = 2 * width;
  guint8 *out = g_malloc ((gsize) out_width * 2 * height);

  g_assert (width > 0 && height > 0);

  for (int y = 0; y < height; y++)
    {
      const guint8 *line = grey + (gsize) y * width;
      const guint8 *next = y + 1 < height ? line + width : line;
      guint8 *top = out + (gsize) 2 * y * out_width;
      guint8 *bottom = top + out_width;

      for (int x = 0; x < width; x++)
        {
          int right = x + 1 < width ? x + 1 : x;

          top[2 * x] = line[x];
          top[2 * x + 1] = (line[x] + line[right] + 1) / 2;
          bottom[2 * x] = (line[x] + next[x] + 1) / 2;
          bottom[2 * x + 1] = (line[x] + line[right] + next[x] + next[right] + 2) / 4;
        }
    }

  return out;
}

/* Looks for the code in @grey as it is, then in black and white, then
 * (a small picture) in black and white at twice the size: what a scanner
 * at 150 dpi, a grey photocopy or a phone's photo sent through a chat
 * needs. zbar finds a code turned any way by itself. */
static void
scan_picture (const guint8  *grey,
              int            width,
              int            height,
              char         **code)
{
  g_autofree guint8 *binary = NULL;

  g_assert ((gint64) width * height <= READ_MAX_PIXELS);

  scan_grey (grey, width, height, 1, code);
  if (*code != NULL)
    return;

  binary = binarize (grey, width, height);
  if (binary == NULL)
    return;
  scan_grey (binary, width, height, 1, code);
  if (*code != NULL)
    return;

  /* Along every other line of the larger picture: the lines of the
   * picture, each seen in twice as many pixels, which is what zbar
   * needs. */
  if ((gint64) width * height * 4 <= READ_MAX_UPSCALED_PIXELS)
    {
      g_autofree guint8 *large = upscale (grey, width, height);

      g_clear_pointer (&binary, g_free);
      binary = binarize (large, 2 * width, 2 * height);
      if (binary != NULL)
        scan_grey (binary, 2 * width, 2 * height, 2, code);
    }
}

static void
scan_pixbuf (GdkPixbuf  *pixbuf,
             char      **code)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  g_autofree guint8 *grey = g_malloc ((gsize) width * height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + (gsize) y * stride + (gsize) x * channels;

        grey[(gsize) y * width + x] = (guint8) ((p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000);
      }

  scan_picture (grey, width, height, code);
}

static void
scan_cairo (cairo_surface_t  *surface,
            char            **code)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *pixels = cairo_image_surface_get_data (surface);
  g_autofree guint8 *grey = g_malloc ((gsize) width * height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 argb = *(const guint32 *) (pixels + (gsize) y * stride + (gsize) x * 4);

        grey[(gsize) y * width + x] = (guint8) ((((argb >> 16) & 0xff) * 299 + ((argb >> 8) & 0xff) * 587 +
                                                 (argb & 0xff) * 114) / 1000);
      }

  scan_picture (grey, width, height, code);
}

/* The first READ_MAX_PAGES pages of a PDF, rendered on white; a page far
 * larger than paper at a lower resolution, within READ_MAX_PIXELS. */
static gboolean
scan_pdf (GBytes  *scan,
          char   **code,
          GError **error)
{
  /* Poppler 22.12's types have no g_autoptr. */
  g_autoptr(GObject) document = (GObject *) poppler_document_new_from_bytes (scan, NULL, error);
  int pages;

  if (document == NULL)
    return FALSE;

  pages = MIN (poppler_document_get_n_pages (POPPLER_DOCUMENT (document)), READ_MAX_PAGES);
  for (int i = 0; i < pages && *code == NULL; i++)
    {
      g_autoptr(GObject) page_object = (GObject *) poppler_document_get_page (POPPLER_DOCUMENT (document), i);
      PopplerPage *page = (PopplerPage *) page_object;
      double width = 0, height = 0;
      double scale = READ_DPI / 72;
      cairo_surface_t *surface;
      cairo_t *cr;

      if (page == NULL)
        continue;
      poppler_page_get_size (page, &width, &height);
      if (!(width >= 1 && height >= 1 && width < 1e6 && height < 1e6))
        continue;
      while (width * scale * height * scale > READ_MAX_PIXELS)
        scale /= 2;
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, MAX (1, (int) (width * scale)),
                                            MAX (1, (int) (height * scale)));
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        {
          cr = cairo_create (surface);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_paint (cr);
          cairo_scale (cr, scale, scale);
          poppler_page_render_for_printing (page, cr);
          cairo_destroy (cr);
          cairo_surface_flush (surface);
          if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
            scan_cairo (surface, code);
        }
      cairo_surface_destroy (surface);
    }

  return TRUE;
}

typedef struct
{
  int      width;
  int      height;
  gboolean too_large;
} ImageSize;

/* Stops the loader, before it allocates anything, when the image is
 * larger than READ_MAX_PIXELS. */
static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  ImageSize       *size)
{
  size->width = width;
  size->height = height;
  if ((gint64) width * height > READ_MAX_PIXELS)
    {
      size->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

/* A PNG or JPEG (@type), decoded by the loader of that type alone. */
static gboolean
scan_image (GBytes      *scan,
            const char  *type,
            char       **code,
            GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type (type, error);
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) local_error = NULL;
  ImageSize size = { 0 };
  GdkPixbuf *pixbuf;

  if (loader == NULL)
    return FALSE;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &size);
  /* A failed write closes the loader. */
  if (!gdk_pixbuf_loader_write_bytes (loader, scan, &local_error) || !gdk_pixbuf_loader_close (loader, &local_error))
    {
      if (size.too_large)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                     _("The letter’s image is too large to read (%d × %d pixels; at most %d million)"),
                     size.width, size.height, READ_MAX_PIXELS / (1000 * 1000));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if ((pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The letter’s image cannot be read"));
      return FALSE;
    }

  /* A phone's photo says which way is up. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  scan_pixbuf (oriented != NULL ? oriented : pixbuf, code);

  return TRUE;
}

/**
 * cabut_statement_letter_read_code:
 * @scan: the attached letter: a PDF (its first three pages are looked
 *   at), JPEG or PNG (of at most 36 million pixels)
 * @code: (out) (transfer full) (nullable): what Cabut's code holds, or
 *   %NULL when the letter has none (a hand-written letter: compare by eye)
 *
 * Finds the letter's QR code, rendering a PDF with poppler: in each
 * picture as it is, then in black and white (a grey photocopy), then, for
 * a picture of at most 4 million pixels (a 150 dpi scan, a phone's photo
 * sent through a chat), in black and white at twice the size. Slow (a PDF
 * page at 200 dpi, up to three looks at it): call it from a worker
 * thread. The work is bounded: no picture larger than 36 million pixels
 * is decoded or drawn (a PDF page larger than that at 200 dpi is drawn at
 * a lower resolution), and none is enlarged past 16 million.
 *
 * Returns: %FALSE with @error when @scan cannot be read at all (damaged,
 *   or an image too large: %G_IO_ERROR_MESSAGE_TOO_LARGE)
 */
gboolean
cabut_statement_letter_read_code (GBytes  *scan,
                                  char   **code,
                                  GError **error)
{
  const char *type = cabut_letter_sniff_type (scan);

  *code = NULL;
  if (g_strcmp0 (type, "application/pdf") == 0)
    return scan_pdf (scan, code, error);
  if (g_strcmp0 (type, "image/jpeg") == 0 || g_strcmp0 (type, "image/png") == 0)
    return scan_image (scan, type, code, error);

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("The letter is not a PDF, JPEG or PNG file"));
  return FALSE;
}
