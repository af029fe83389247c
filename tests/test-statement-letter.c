/* test-statement-letter.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The statement letter, judged by tools nobody here wrote: pdfinfo (A4,
 * pages), pdffonts (fonts embedded), pdftotext (every field, the date the
 * Indonesian way), and pdftoppm + zbarimg (the QR code reads back as what
 * it was made of).
 */

#include "config.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cabut-core.h"
#include "cabut-test-util.h"

static char *dir;

static CabutStatementLetter
plain_letter (GDateTime *date,
              GDateTime *valid_until)
{
  CabutStatementLetter letter = {
    .full_name = "Budi Santoso, S.Kom.",
    .nip = "198501012010011001",
    .position = "Pranata Komputer Ahli Muda",
    .unit = "Dinas Komunikasi dan Informatika",
    .organization = "Pemerintah Kota Contoh",
    .email = "budi.santoso@contoh.go.id",
    .serial = "7C96EE010C3D37A776E30F0A8370744E",
    .subject = "emailAddress=budi.santoso@contoh.go.id,CN=Budi Santoso,serialNumber=9973010101850001,"
               "O=Pemerintah Kota Contoh,C=ID",
    .issuer = "CN=Cabut Demo CA DS,O=Cabut Demo (Fiktif),C=ID",
    .valid_until = valid_until,
    .fingerprint = "3F2A9C0B7D1E4F5A6B7C8D9E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C",
    .reason = "keyCompromise",
    .reason_label = "Kunci privat hilang atau diketahui pihak lain",
    .chronology = "Laptop dinas tertinggal di kereta pada 1 Desember 2026.",
    .draft_key = "5b2f0d9e-6c1a-4e3b-9f7d-2a8c1e0b4d6f",
    .place = "Kota Contoh",
    .date = date,
  };

  return letter;
}

/* Writes @pdf and runs @tool on it; its standard output. */
static char *
judge (GBytes     *pdf,
       const char *name,
       const char *tool,
       ...)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *program = g_find_program_in_path (tool);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;
  va_list ap;

  g_assert_nonnull (program);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  g_ptr_array_add (argv, program);
  va_start (ap, tool);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) (g_str_equal (arg, "@") ? path : arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (cabut_test_run ((const char * const *) argv->pdata, NULL, &out, &err, &status));
  g_test_message ("%s → %d %s%s", tool, status, err, g_str_equal (tool, "pdfinfo") ? out : "");
  g_assert_cmpint (status, ==, 0);

  return g_steal_pointer (&out);
}

/* pdftotext's text with every run of white space one space: lines wrap
 * wherever the layout put them. */
static char *
text_of (GBytes     *pdf,
         const char *name)
{
  g_autofree char *raw = judge (pdf, name, "pdftotext", "-layout", "-enc", "UTF-8", "@", "-", NULL);
  g_auto(GStrv) words = g_regex_split_simple ("\\s+", raw, 0, 0);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_strv_builder_add (builder, words[i]);
  kept = g_strv_builder_end (builder);

  return g_strjoinv (" ", kept);
}

/* One field of pdfinfo's report. */
static char *
info_value (const char *info,
            const char *key)
{
  g_auto(GStrv) lines = g_strsplit (info, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], key) && lines[i][strlen (key)] == ':')
      return g_strstrip (g_strdup (lines[i] + strlen (key) + 1));

  g_error ("pdfinfo says no %s", key);
  return NULL;
}

static void
assert_info (const char *info,
             const char *key,
             const char *expected)
{
  g_autofree char *value = info_value (info, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
assert_contains (const char *text,
                 const char *wanted)
{
  g_autofree char *collapsed = NULL;
  g_auto(GStrv) words = g_regex_split_simple ("\\s+", wanted, 0, 0);

  collapsed = g_strjoinv (" ", words);
  if (strstr (text, collapsed) == NULL)
    g_error ("“%s” is not in the letter:\n%s", collapsed, text);
}

/* The plain letter, signed 2 December 2026 for a certificate valid until
 * 15 March 2028, as a PDF; @code (nullable) what its QR code holds. */
static GBytes *
render_plain (char **code)
{
  g_autoptr(GTimeZone) wib = g_time_zone_new_identifier ("+07:00");
  g_autoptr(GDateTime) date = g_date_time_new (wib, 2026, 12, 2, 9, 30, 0);
  g_autoptr(GDateTime) until = g_date_time_new_utc (2028, 3, 15, 0, 0, 0);
  CabutStatementLetter letter = plain_letter (date, until);
  g_autoptr(GError) error = NULL;
  GBytes *pdf = cabut_statement_letter_render (&letter, &error);

  g_assert_no_error (error);
  if (code != NULL)
    *code = cabut_statement_letter_code (&letter);

  return pdf;
}

static void
test_plain (void)
{
  g_autoptr(GBytes) pdf = render_plain (NULL);
  g_autofree char *info = NULL;
  g_autofree char *fonts = NULL;
  g_autofree char *text = NULL;

  info = judge (pdf, "plain.pdf", "pdfinfo", "@", NULL);
  assert_info (info, "Page size", "595.276 x 841.89 pts (A4)");
  assert_info (info, "Pages", "1");
  assert_info (info, "Title", "Surat Pernyataan Permohonan Pencabutan Sertifikat Elektronik");

  /* Liberation Sans, embedded (a subset): the letter prints the same anywhere. */
  fonts = judge (pdf, "plain.pdf", "pdffonts", "@", NULL);
  g_assert_nonnull (strstr (fonts, "LiberationSans"));
  g_assert_null (strstr (fonts, " no  "));

  text = text_of (pdf, "plain.pdf");
  assert_contains (text, "SURAT PERNYATAAN PERMOHONAN PENCABUTAN SERTIFIKAT ELEKTRONIK");
  assert_contains (text, "Yang bertanda tangan di bawah ini:");
  assert_contains (text, "Nama : Budi Santoso, S.Kom.");
  assert_contains (text, "NIP : 198501012010011001");
  assert_contains (text, "Jabatan : Pranata Komputer Ahli Muda");
  assert_contains (text, "Unit Kerja : Dinas Komunikasi dan Informatika");
  assert_contains (text, "Instansi : Pemerintah Kota Contoh");
  assert_contains (text, "Nomor Seri : 7C96EE010C3D37A776E30F0A8370744E");
  assert_contains (text, "Penerbit : CN=Cabut Demo CA DS,O=Cabut Demo (Fiktif),C=ID");
  assert_contains (text, "Berlaku sampai : 15 Maret 2028");
  assert_contains (text, "Alasan : Kunci privat hilang atau diketahui pihak lain");
  assert_contains (text, "Laptop dinas tertinggal di kereta pada 1 Desember 2026.");
  assert_contains (text, "Demikian surat pernyataan ini saya buat dengan sebenarnya");
  assert_contains (text, "Kota Contoh, 2 Desember 2026");
  /* No optional block unless asked for. */
  g_assert_null (strstr (text, "Meterai"));
  g_assert_null (strstr (text, "Mengetahui"));
}

/* The code, read from the rendered page as a scanner would. */
static void
test_code_reads_back (void)
{
  g_autofree char *code = NULL;
  g_autoptr(GBytes) pdf = render_plain (&code);
  g_autofree char *prefix = g_build_filename (dir, "page", NULL);
  g_autofree char *png = g_build_filename (dir, "page-1.png", NULL);
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = g_strconcat (code, "\n", NULL);

  g_assert_cmpstr (code, ==, "CABUT1:7C96EE010C3D37A776E30F0A8370744E:"
                             "3F2A9C0B7D1E4F5A6B7C8D9E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C:"
                             "KEYCOMPROMISE:5B2F0D9E-6C1A-4E3B-9F7D-2A8C1E0B4D6F");
  g_free (judge (pdf, "code.pdf", "pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "@", prefix, NULL));
  {
    g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
    const char *argv[] = { zbarimg, "--raw", "-q", png, NULL };
    g_autofree char *err = NULL;
    int status = -1;

    g_assert_nonnull (zbarimg);
    g_assert_true (cabut_test_run (argv, NULL, &out, &err, &status));
    g_assert_cmpint (status, ==, 0);
  }
  g_assert_cmpstr (out, ==, expected);

  /* …and printed beside it, for a person. */
  text = text_of (pdf, "code.pdf");
  assert_contains (text, "CABUT1:7C96EE010C3D37A776E30F0A8370744E:");
}

/* A long chronology flows onto a second page; every word of it is there. */
static void
test_long_chronology (void)
{
  g_autoptr(GTimeZone) wib = g_time_zone_new_identifier ("+07:00");
  g_autoptr(GDateTime) date = g_date_time_new (wib, 2026, 1, 31, 9, 30, 0);
  CabutStatementLetter letter = plain_letter (date, NULL);
  g_autoptr(GString) chronology = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *info = NULL;
  g_autofree char *text = NULL;

  for (int i = 1; i <= 120; i++)
    g_string_append_printf (chronology, "Kalimat nomor %d dari kronologi kejadian yang panjang sekali. ", i);
  letter.chronology = chronology->str;
  pdf = cabut_statement_letter_render (&letter, &error);
  g_assert_no_error (error);

  info = judge (pdf, "long.pdf", "pdfinfo", "@", NULL);
  {
    g_autofree char *pages = info_value (info, "Pages");
    g_assert_cmpint (atoi (pages), >=, 2);
  }
  text = text_of (pdf, "long.pdf");
  assert_contains (text, "Kalimat nomor 1 dari kronologi");
  assert_contains (text, "Kalimat nomor 120 dari kronologi kejadian yang panjang sekali.");
  assert_contains (text, "Kota Contoh, 31 Januari 2026");
  /* No validity given: no such row. */
  g_assert_null (strstr (text, "Berlaku sampai"));
}

/* Titles, diacritics, a name and a DN far longer than a line: all of it on
 * the page, nothing cut; the optional blocks when asked for. */
static void
test_long_names_and_options (void)
{
  g_autoptr(GTimeZone) wib = g_time_zone_new_identifier ("+07:00");
  g_autoptr(GDateTime) date = g_date_time_new (wib, 2026, 8, 17, 9, 30, 0);
  CabutStatementLetter letter = plain_letter (date, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *info = NULL;

  letter.full_name = "Prof. Dr. Ir. I Gusti Ngurah Made Sūryadharma Wiraatmadja Kusumaningrat, M.Sc., Ph.D.";
  letter.nip = NULL;
  letter.nik = "9973011203780003";
  letter.subject = "emailAddress=i.gusti.ngurah.made.suryadharma@pemerintahkabupatencontohyangsangatpanjang.go.id,"
                   "CN=Prof. Dr. Ir. I Gusti Ngurah Made Sūryadharma Wiraatmadja Kusumaningrat,"
                   "OU=Bidang Persandian dan Keamanan Informasi,O=Pemerintah Kabupaten Contoh,L=Kota Contoh,C=ID";
  letter.meterai = TRUE;
  letter.superior_name = "Dra. Siti Aminah Nurhaliza";
  letter.superior_nip = "197001011995032001";
  pdf = cabut_statement_letter_render (&letter, &error);
  g_assert_no_error (error);

  info = judge (pdf, "names.pdf", "pdfinfo", "@", NULL);
  assert_info (info, "Pages", "1");
  text = text_of (pdf, "names.pdf");
  assert_contains (text, "Sūryadharma");
  assert_contains (text, "NIK : 9973011203780003");
  assert_contains (text, "Bidang Persandian dan Keamanan Informasi");
  assert_contains (text, "Meterai 10.000");
  /* Side by side with the applicant's, so each line on its own. */
  assert_contains (text, "Mengetahui,");
  assert_contains (text, "Atasan langsung,");
  assert_contains (text, "Dra. Siti Aminah Nurhaliza");
  assert_contains (text, "NIP 197001011995032001");
  assert_contains (text, "Kota Contoh, 17 Agustus 2026");
  /* The long e-mail in the DN breaks inside the word, not off the page. */
  {
    g_autofree char *bbox = judge (pdf, "names.pdf", "pdftotext", "-bbox", "@", "-", NULL);
    g_autoptr(GRegex) regex = g_regex_new ("xMax=\"([0-9.]+)\"", 0, 0, NULL);
    g_autoptr(GMatchInfo) match = NULL;
    double widest = 0;

    g_regex_match (regex, bbox, 0, &match);
    while (g_match_info_matches (match))
      {
        g_autofree char *value = g_match_info_fetch (match, 1);

        widest = MAX (widest, g_ascii_strtod (value, NULL));
        g_match_info_next (match, NULL);
      }
    /* 21 cm less the 2 cm right margin, in points. */
    g_assert_cmpfloat (widest, <=, 595.28 - 56.69 + 0.5);
    g_assert_cmpfloat (widest, >, 300);
  }
}

static char *
read_code (GBytes *scan)
{
  g_autoptr(GError) error = NULL;
  char *code = NULL;

  g_assert_true (cabut_statement_letter_read_code (scan, &code, &error));
  g_assert_no_error (error);

  return code;
}

/* A scan of the printed letter, as a scanner or a phone gives it: the
 * PDF itself, PNG and JPEG pages at 150 and 300 dpi (made by pdftoppm) —
 * the code reads back as what it was made of. */
static void
test_read_code (void)
{
  g_autofree char *code = NULL;
  g_autoptr(GBytes) pdf = render_plain (&code);
  const struct { const char *format; const char *dpi; const char *file; } scans[] = {
    { "-png", "150", "scan150-1.png" },
    { "-png", "300", "scan300-1.png" },
    { "-jpeg", "150", "scan150-1.jpg" },
    { "-jpeg", "300", "scan300-1.jpg" },
  };

  {
    g_autofree char *found = read_code (pdf);
    g_assert_cmpstr (found, ==, code);
  }

  for (guint i = 0; i < G_N_ELEMENTS (scans); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s/scan%s", dir, scans[i].dpi);
      g_autofree char *path = g_build_filename (dir, scans[i].file, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *found = NULL;
      g_autoptr(GBytes) image = NULL;
      gsize len = 0;

      g_free (judge (pdf, "scan.pdf", "pdftoppm", scans[i].format, "-r", scans[i].dpi, "-f", "1", "-l", "1",
                     "@", prefix, NULL));
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      image = g_bytes_new (contents, len);
      found = read_code (image);
      g_test_message ("%s: %s", scans[i].file, found);
      g_assert_cmpstr (found, ==, code);
    }
}

/* A page written by hand, scanned: text, no code. Returns its path. */
static char *
write_hand_letter (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 800);
  cairo_t *cr = cairo_create (surface);
  char *path = g_build_filename (dir, "by-hand.png", NULL);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_move_to (cr, 40, 100);
  cairo_show_text (cr, "Surat pernyataan, ditulis tangan");
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return path;
}

/* A letter without Cabut's code (written by hand): no code, no error —
 * the check then says "compare by eye". Something not a letter: an error. */
static void
test_read_no_code (void)
{
  g_autofree char *path = write_hand_letter ();
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) junk = g_bytes_new_static ("not a letter", 12);
  g_autoptr(GError) error = NULL;
  char *code = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  png = g_bytes_new (contents, len);

  g_assert_true (cabut_statement_letter_read_code (png, &code, &error));
  g_assert_no_error (error);
  g_assert_null (code);

  g_assert_false (cabut_statement_letter_read_code (junk, &code, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_null (code);
}

/* @letter's first page as page @page of a PDF, after blank ones. */
static GBytes *
letter_on_page (GBytes *letter,
                int     page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) document = (GObject *) poppler_document_new_from_bytes (letter, NULL, &error);
  g_autoptr(GObject) first = NULL;
  g_autofree char *name = g_strdup_printf ("on-page-%d.pdf", page);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595.276, 841.89);
  cairo_t *cr = cairo_create (surface);
  gsize len = 0;

  g_assert_no_error (error);
  first = (GObject *) poppler_document_get_page (POPPLER_DOCUMENT (document), 0);
  for (int i = 1; i < page; i++)
    cairo_show_page (cr);
  poppler_page_render_for_printing (POPPLER_PAGE (first), cr);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));

  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

/* The work of reading is bounded: the first three pages of a PDF are read
 * (a code on the fourth is not found: compare by eye), and an image of
 * more than 36 million pixels is refused before it is decoded (this one,
 * 60 million pixels, is a PNG of a few kilobytes). */
static void
test_read_bounded (void)
{
  g_autofree char *code = NULL;
  g_autoptr(GBytes) letter = render_plain (&code);
  g_autoptr(GBytes) third = letter_on_page (letter, 3);
  g_autoptr(GBytes) fourth = letter_on_page (letter, 4);
  g_autofree char *found = read_code (third);
  g_autofree char *big_path = g_build_filename (dir, "big.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A1, 10000, 6000);
  char *none = NULL;
  gsize len = 0;

  g_assert_cmpstr (found, ==, code);
  g_assert_true (cabut_statement_letter_read_code (fourth, &none, &error));
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_cmpint (cairo_surface_write_to_png (surface, big_path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_assert_true (g_file_get_contents (big_path, &contents, &len, NULL));
  g_test_message ("a 10000 × 6000 PNG of %" G_GSIZE_FORMAT " bytes", len);
  big = g_bytes_new (contents, len);
  g_assert_false (cabut_statement_letter_read_code (big, &none, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_assert_null (none);
}

/* The code compared with the request it is attached to. */
static void
test_match (void)
{
  g_autofree char *code = NULL;
  g_autoptr(GBytes) pdf = render_plain (&code);
  g_autofree char *found = read_code (pdf);
  const char *serial = "7C96EE010C3D37A776E30F0A8370744E";
  const char *fingerprint = "3f2a9c0b7d1e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";
  g_autoptr(GEnumClass) klass = g_type_class_ref (CABUT_TYPE_LETTER_MATCH);

  g_assert_cmpint (cabut_statement_letter_match (found, serial, fingerprint, "keyCompromise"), ==,
                   CABUT_LETTER_MATCH_YES);
  g_assert_cmpint (cabut_statement_letter_match (found, serial, fingerprint, "superseded"), ==,
                   CABUT_LETTER_MATCH_OTHER_REASON);
  g_assert_cmpint (cabut_statement_letter_match (found, "01", fingerprint, "keyCompromise"), ==,
                   CABUT_LETTER_MATCH_OTHER_CERTIFICATE);
  g_assert_cmpint (cabut_statement_letter_match (found, serial, "00", "keyCompromise"), ==,
                   CABUT_LETTER_MATCH_OTHER_CERTIFICATE);
  g_assert_cmpint (cabut_statement_letter_match (NULL, serial, fingerprint, "keyCompromise"), ==,
                   CABUT_LETTER_MATCH_NO_CODE);
  g_assert_cmpint (cabut_statement_letter_match ("CABUT2:A:B:C:D", serial, fingerprint, "keyCompromise"), ==,
                   CABUT_LETTER_MATCH_UNREADABLE);
  g_assert_cmpint (cabut_statement_letter_match ("CABUT1:only-three:x", serial, fingerprint, "keyCompromise"),
                   ==, CABUT_LETTER_MATCH_UNREADABLE);
  /* Registered with GType, for the app to bind to. */
  g_assert_nonnull (g_enum_get_value (klass, CABUT_LETTER_MATCH_OTHER_REASON));

  /* The names of the service's API and database, both ways. */
  {
    static const char * const names[] = { "no_code", "yes", "other_certificate", "other_reason", "unreadable" };
    CabutLetterMatch match = CABUT_LETTER_MATCH_YES;

    g_assert_cmpuint (G_N_ELEMENTS (names), ==, klass->n_values);
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_assert_cmpstr (cabut_statement_letter_match_to_string (i), ==, names[i]);
        g_assert_true (cabut_statement_letter_match_from_string (names[i], &match));
        g_assert_cmpint (match, ==, i);
      }
    g_assert_false (cabut_statement_letter_match_from_string ("other-reason", &match));
    g_assert_false (cabut_statement_letter_match_from_string (NULL, &match));
  }
}

/* Writes the letter made for the fixture @cert_name as @name; its code
 * in @code, the certificate in @cert_out (optional). */
static void
write_letter_for (const char        *cert_name,
                  const char        *name,
                  char             **code,
                  CabutCertificate **cert_out)
{
  g_autoptr(GFile) file = g_file_new_for_path (cabut_test_fixture_path (cert_name));
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) cert = cabut_certificate_new_from_file (file, NULL, NULL, &error);
  g_autoptr(GTimeZone) wib = g_time_zone_new_identifier ("+07:00");
  g_autoptr(GDateTime) date = g_date_time_new (wib, 2026, 12, 2, 9, 30, 0);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  CabutStatementLetter letter = plain_letter (date, NULL);
  g_autoptr(GBytes) pdf = NULL;

  g_assert_no_error (error);
  letter.serial = cabut_certificate_get_serial (cert);
  letter.fingerprint = cabut_certificate_get_sha256 (cert);
  pdf = cabut_statement_letter_render (&letter, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  *code = cabut_statement_letter_code (&letter);
  if (cert_out != NULL)
    *cert_out = g_steal_pointer (&cert);
}

/* `cabut-cli check-letter` on a letter made for a fixture certificate. */
static int
check_letter (const char  *scan,
              const char  *reason,
              gboolean     json,
              char       **out)
{
  const char *argv[] = { g_getenv ("CABUT_CLI"), "check-letter", "--cert", cabut_test_fixture_path ("rsa2048.pem"),
                         "--reason", reason, scan, json ? "--json" : NULL, NULL };
  g_autofree char *err = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LANGUAGE", "en", TRUE);
  int status = -1;

  g_assert_true (cabut_test_run (argv, (const char * const *) envp, out, &err, &status));
  g_test_message ("check-letter %s → %d %s%s", reason, status, *out, err);

  return status;
}

static void
test_cli_check_letter (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) cert = NULL;
  g_autofree char *path = g_build_filename (dir, "for-rsa2048.pdf", NULL);
  g_autofree char *blank = write_hand_letter ();
  g_autofree char *out = NULL;
  g_autofree char *json = NULL;
  g_autofree char *other = NULL;
  g_autofree char *none = NULL;
  g_autofree char *expected = NULL;

  write_letter_for ("rsa2048.pem", "for-rsa2048.pdf", &expected, &cert);

  g_assert_cmpint (check_letter (path, "keyCompromise", FALSE, &out), ==, 0);
  g_assert_cmpstr (out, ==, "The letter was made for this certificate and this reason.\n");

  g_assert_cmpint (check_letter (path, "superseded", FALSE, &other), ==, 1);
  g_assert_cmpstr (other, ==, "The letter was made for this certificate, but for another reason.\n");

  g_assert_cmpint (check_letter (path, "keyCompromise", TRUE, &json), ==, 0);
  {
    g_autoptr(JsonNode) node = json_from_string (json, &error);
    JsonObject *object;

    g_assert_no_error (error);
    object = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (object, "match"), ==, "yes");
    g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, expected);
    /* …and what it holds, spelt as the rest of Cabut spells it. */
    {
      JsonObject *holds = json_object_get_object_member (object, "holds");

      g_assert_cmpstr (json_object_get_string_member (holds, "serial"), ==, cabut_certificate_get_serial (cert));
      g_assert_cmpstr (json_object_get_string_member (holds, "sha256"), ==, cabut_certificate_get_sha256 (cert));
      g_assert_cmpstr (json_object_get_string_member (holds, "reason"), ==, "keyCompromise");
      g_assert_cmpstr (json_object_get_string_member (holds, "idempotency_key"), ==,
                       "5b2f0d9e-6c1a-4e3b-9f7d-2a8c1e0b4d6f");
    }
  }

  /* A page written by hand: no code, compare by eye. */
  g_assert_cmpint (check_letter (blank, "keyCompromise", FALSE, &none), ==, 6);
  g_assert_cmpstr (none, ==, "The letter has no Cabut code (written by hand, or scanned too poorly): compare it by "
                             "eye.\n");
}

/* CabutLetterForm, as the app drives it: "ready" follows the certificate,
 * reason and place; the letter is made in a worker thread from the
 * Subject DN when there is no account; and a scan of it is checked in a
 * worker thread: this reason matches, another does not. */
static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_form (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (cabut_test_fixture_path ("rsa2048.pem"));
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) cert = cabut_certificate_new_from_file (file, NULL, NULL, &error);
  g_autoptr(CabutLetterForm) form = cabut_letter_form_new ();
  g_autoptr(GAsyncResult) made = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GAsyncResult) checked = NULL;
  g_autoptr(GAsyncResult) other = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GFile) scan = NULL;
  g_autofree char *path = g_build_filename (dir, "form.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *code = NULL;
  gboolean unsigned_original = FALSE;
  guint ready_notes = 0;

  g_assert_no_error (error);
  g_signal_connect (form, "notify::ready", G_CALLBACK (count_cb), &ready_notes);
  g_assert_false (cabut_letter_form_get_ready (form));

  /* Not ready: refused with a sentence, not made. */
  cabut_letter_form_set_certificate (form, cert);
  cabut_letter_form_set_reason (form, "keyCompromise");
  cabut_letter_form_render_async (form, NULL, async_done_cb, &refused);
  g_assert_null (cabut_letter_form_render_finish (form, wait_result (&refused), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "The letter needs the place where you sign it.");
  g_clear_error (&error);
  cabut_letter_form_set_place (form, "   ");
  g_assert_false (cabut_letter_form_get_ready (form));
  g_assert_cmpuint (ready_notes, ==, 0);

  cabut_letter_form_set_place (form, "Kota Bandung");
  g_assert_true (cabut_letter_form_get_ready (form));
  g_assert_cmpuint (ready_notes, ==, 1);
  cabut_letter_form_set_chronology (form, "Laptop dinas hilang.");
  cabut_letter_form_set_meterai (form, TRUE);
  g_assert_cmpuint (ready_notes, ==, 1);

  cabut_letter_form_render_async (form, NULL, async_done_cb, &made);
  pdf = cabut_letter_form_render_finish (form, wait_result (&made), &error);
  g_assert_no_error (error);
  text = text_of (pdf, "form.pdf");
  g_test_message ("%s", text);
  /* From the Subject DN: the CN, the OU, the O and the e-mail address. */
  g_assert_nonnull (strstr (text, "Yang bertanda tangan di bawah ini: Nama : Budi Santoso Unit Kerja : Dinas "
                                  "Komunikasi dan Informatika Instansi : Pemerintah Kota Contoh E-mail : "
                                  "budi.santoso@contoh.go.id dengan ini"));
  g_assert_nonnull (strstr (text, "Alasan : Kunci saya hilang atau diketahui orang lain Kronologi: Laptop dinas hilang."));
  g_assert_nonnull (strstr (text, "Meterai"));

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  scan = g_file_new_for_path (path);
  cabut_statement_letter_check_async (scan, 10 * 1024 * 1024, cert, "keyCompromise", NULL, async_done_cb, &checked);
  g_assert_cmpint (cabut_statement_letter_check_finish (wait_result (&checked), &code, &unsigned_original, &error),
                   ==, CABUT_LETTER_MATCH_YES);
  /* The very file Cabut made: not a scan of it signed. */
  g_assert_true (unsigned_original);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (code, "CABUT1:10000001:"));

  cabut_statement_letter_check_async (scan, 10 * 1024 * 1024, cert, "superseded", NULL, async_done_cb, &other);
  g_assert_cmpint (cabut_statement_letter_check_finish (wait_result (&other), NULL, NULL, &error), ==,
                   CABUT_LETTER_MATCH_OTHER_REASON);
  g_assert_no_error (error);

  /* Its scan, a picture of the page, is not the original; nor is a PDF Cabut made of another kind. */
  {
    g_autofree char *prefix = g_build_filename (dir, "form-scan", NULL);
    g_autofree char *png = g_strconcat (prefix, ".png", NULL);
    g_autofree char *contents = NULL;
    g_autoptr(GBytes) picture = NULL;
    g_autoptr(GBytes) bare = NULL;
    gsize length = 0;

    g_free (judge (pdf, "form.pdf", "pdftoppm", "-r", "100", "-png", "-singlefile", "@", prefix, NULL));
    g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
    picture = g_bytes_new_take (g_steal_pointer (&contents), length);
    g_assert_false (cabut_statement_letter_is_unsigned_original (picture));
    g_assert_true (cabut_statement_letter_is_unsigned_original (pdf));
    bare = g_bytes_new_static ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", 47);
    g_assert_false (cabut_statement_letter_is_unsigned_original (bare));
  }

  /* Over the size limit: an error, never "no code". */
  g_clear_object (&checked);
  cabut_statement_letter_check_async (scan, 1000, cert, "keyCompromise", NULL, async_done_cb, &checked);
  cabut_statement_letter_check_finish (wait_result (&checked), NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
}

/* Scans of the printed, signed letter ------------------------------------
 *
 * What a civil servant's scanner or phone makes of the letter, made once
 * per run: pages drawn by pdftoppm at 150 and 300 dpi, then ImageMagick
 * (only to make them, never to judge) turns, blurs, greys and shrinks
 * them, img2pdf wraps them in a PDF as a scanner's "scan to PDF" does.
 * Each is checked as the app checks an attached scan, against the
 * certificate the letter was made for. */

static struct
{
  CabutCertificate *cert;        /* rsa2048.pem: the letter's */
  char             *code;        /* what the letter's code holds */
  char             *other_code;  /* …and that of a letter for rsa4096.pem */
} scanned;

/* How each scan is made: a tool and its arguments, as a shell would split
 * them (no shell runs them); "@name" is a file in the test's folder. The
 * steps of one stage run side by side; a stage uses the files of those
 * before it. */
typedef struct
{
  const char *tool;
  const char *args;
} Step;

#define HAND_FONT "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf"
#define TURN "-background white -virtual-pixel background -interpolate bilinear -filter point"

static const Step pages[] = {
  { "pdftoppm", "-r 150 -singlefile @letter.pdf @page-150" },
  { "pdftoppm", "-r 150 -gray -singlefile @letter.pdf @grey-150" },
  { "pdftoppm", "-r 300 -jpeg -singlefile @letter.pdf @page-300" },
  { "pdftoppm", "-r 150 -jpeg -singlefile @other.pdf @other-150" },
  /* A letter written by hand, and signed, scanned at 150 dpi. */
  { "convert", "-size 1240x1754 xc:white -font " HAND_FONT " -pointsize 30 -fill '#1a1a40' "
               "-annotate +150+220 'Surat Pernyataan\n\nYang bertanda tangan di bawah ini,\n"
               "Nama: Budi Santoso\nNIP: 198501012010011001\n\nmengajukan pencabutan sertifikat "
               "elektronik saya\nkarena kunci privatnya hilang.\n\nKota Contoh, 2 Desember 2026' "
               "-stroke '#1a1a40' -strokewidth 3 -fill none "
               "-draw \"path 'M 760,1010 C 800,900 840,1100 880,980 S 960,1050 1010,960'\" "
               "-seed 3 -attenuate 0.3 +noise Gaussian -quality 75 @by-hand.jpg" },
};

/* The letter's code is 3 cm wide, 2 cm from the page's top and right
 * edges: at 150 dpi, from (945, 118) to (1122, 295). */
static const Step pictures[] = {
  /* Laid a little crooked on the glass (turned with bilinear
   * interpolation: three times as fast as -rotate). */
  { "convert", "@page-150.ppm " TURN " +distort SRT 2 @tilted-2.png" },
  { "convert", "@page-150.ppm " TURN " +distort SRT -4 -quality 60 @tilted-minus-4.jpg" },
  /* Fed the wrong way. */
  { "convert", "@page-150.ppm -rotate 90 @sideways.png" },
  { "convert", "@page-300.jpg -rotate 180 -quality 85 @upside-down.jpg" },
  /* Grey photocopies: grey toner on grey paper, noise, blur. */
  { "convert", "@grey-150.pgm -seed 1 -attenuate 0.5 +noise Gaussian -blur 0x1 +level 25%,85% "
               "-quality 85 @photocopy-150.jpg" },
  /* …a softer one at 300 dpi (blurred at 150 dpi and enlarged: as soft
   * as a blur of 2.5 pixels at 300, in a fraction of the time). */
  { "convert", "@grey-150.pgm -blur 0x1.25 -filter Triangle -resize 200% +level 30%,75% -quality 85 "
               "@photocopy-300.jpg" },
  /* A phone's photo of the sheet on a desk, seen a little from below. */
  { "convert", "@page-150.ppm -resize x1500 -bordercolor '#6b5a48' -border 60 -virtual-pixel edge "
               "-interpolate bilinear -filter point "
               "-distort Perspective '0,0 50,20  1180,0 1140,40  0,1620 0,1620  1180,1620 1180,1600' "
               "-quality 60 @phone-1600.jpg" },
  /* The right 3.5 cm of the sheet missed the glass: half the code. */
  { "convert", "@page-150.ppm -gravity East -chop 207x0 -quality 85 @cut.jpg" },
  /* Crossed out with a pen. */
  { "convert", "@page-150.ppm -stroke black -strokewidth 7 -fill none "
               "-draw \"path 'M 940,150 C 1000,310 1050,100 1130,280'\" "
               "-draw \"path 'M 940,260 C 1000,125 1075,325 1130,130'\" "
               "-draw 'line 945,210 1125,200' -quality 85 @crossed-out.jpg" },
  /* An ink blot over some 5 × 5 modules: the code's error correction mends it. */
  { "convert", "@page-150.ppm -fill black -draw 'rectangle 1015,200 1032,217' -quality 85 @blot.jpg" },
};

static const Step wrapped[] = {
  /* The photo, sent again through a chat that makes it smaller. */
  { "convert", "@phone-1600.jpg -resize x1000 -quality 60 @phone-1000.jpg" },
  { "img2pdf", "--pagesize A4 @photocopy-150.jpg -o @scan-150.pdf" },
  { "img2pdf", "--pagesize A4 @photocopy-300.jpg -o @scan-300.pdf" },
  { "img2pdf", "--pagesize A4 @by-hand.jpg -o @by-hand.pdf" },
};

/* Runs @n_steps side by side; each must succeed. */
static void
run_stage (const Step *steps,
           gsize       n_steps)
{
  g_autoptr(GSubprocessLauncher) launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func (g_object_unref);

  /* One thread each: the steps run side by side already. */
  g_subprocess_launcher_setenv (launcher, "MAGICK_THREAD_LIMIT", "1", TRUE);

  for (gsize i = 0; i < n_steps; i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) args = NULL;
      g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
      char *program = g_find_program_in_path (steps[i].tool);

      if (program == NULL)
        g_error ("%s is not installed (build-aux/setup.sh installs it)", steps[i].tool);
      g_ptr_array_add (argv, program);
      g_assert_true (g_shell_parse_argv (steps[i].args, NULL, &args, &error));
      g_assert_no_error (error);
      for (guint j = 0; args[j] != NULL; j++)
        g_ptr_array_add (argv, args[j][0] == '@' ? g_build_filename (dir, args[j] + 1, NULL) : g_strdup (args[j]));
      g_ptr_array_add (argv, NULL);
      g_ptr_array_add (running, g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < running->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;
      GSubprocess *process = running->pdata[i];

      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
      g_assert_no_error (error);
      if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
        g_error ("%s %s failed: %s", steps[i].tool, steps[i].args, err);
    }
}

static void
make_scans (void)
{
  if (scanned.cert != NULL)
    return;

  g_test_timer_start ();
  write_letter_for ("rsa2048.pem", "letter.pdf", &scanned.code, &scanned.cert);
  write_letter_for ("rsa4096.pem", "other.pdf", &scanned.other_code, NULL);
  g_assert_cmpstr (scanned.code, !=, scanned.other_code);
  run_stage (pages, G_N_ELEMENTS (pages));
  run_stage (pictures, G_N_ELEMENTS (pictures));
  run_stage (wrapped, G_N_ELEMENTS (wrapped));
  g_test_message ("made the scans in %.2f s", g_test_timer_elapsed ());
}

/* The app's check of the scan @name against the letter's certificate and
 * @reason: its outcome, and the code it read. */
static CabutLetterMatch
check_scan (const char  *name,
            const char  *reason,
            char       **code)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean unsigned_original = TRUE;
  CabutLetterMatch match;
  gint64 start;

  make_scans ();
  start = g_get_monotonic_time ();
  cabut_statement_letter_check_async (file, 10 * 1024 * 1024, scanned.cert, reason, NULL, async_done_cb, &result);
  match = cabut_statement_letter_check_finish (wait_result (&result), code, &unsigned_original, &error);
  g_assert_no_error (error);
  /* A scan, not the PDF Cabut made. */
  g_assert_false (unsigned_original);
  g_test_message ("%s (%s): %s in %.2f s, %s", name, reason, cabut_statement_letter_match_to_string (match),
                  (g_get_monotonic_time () - start) / 1e6, *code != NULL ? *code : "no code");

  return match;
}

/* The scan @name holds the letter's code, every field of it: made for
 * this certificate and this reason. */
static void
assert_scan_matches (const char *name)
{
  g_autofree char *code = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *draft_key = NULL;

  g_assert_cmpint (check_scan (name, "keyCompromise", &code), ==, CABUT_LETTER_MATCH_YES);
  g_assert_cmpstr (code, ==, scanned.code);
  g_assert_true (cabut_statement_letter_parse_code (code, &serial, &fingerprint, &reason, &draft_key));
  g_assert_cmpstr (serial, ==, cabut_certificate_get_serial (scanned.cert));
  g_assert_cmpstr (fingerprint, ==, cabut_certificate_get_sha256 (scanned.cert));
  g_assert_cmpstr (reason, ==, "keyCompromise");
  g_assert_cmpstr (draft_key, ==, "5b2f0d9e-6c1a-4e3b-9f7d-2a8c1e0b4d6f");
}

/* The scan @name has no code that can be read: "compare it by eye", not
 * an error and never a match. zbarimg, which nobody here wrote, agrees
 * that a picture holds no code it can read. */
static void
assert_scan_has_no_code (const char *name)
{
  g_autofree char *code = NULL;

  g_assert_cmpint (check_scan (name, "keyCompromise", &code), ==, CABUT_LETTER_MATCH_NO_CODE);
  g_assert_null (code);

  if (!g_str_has_suffix (name, ".pdf"))
    {
      g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
      g_autofree char *path = g_build_filename (dir, name, NULL);
      const char *argv[] = { zbarimg, "--raw", "-q", path, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = -1;

      g_assert_nonnull (zbarimg);
      g_assert_true (cabut_test_run (argv, NULL, &out, &err, &status));
      /* 4: no symbol found. */
      g_assert_cmpint (status, ==, 4);
      g_assert_cmpstr (out, ==, "");
    }
}

/* Crooked on the glass, or fed sideways or upside down: zbar reads a
 * code turned any way. */
static void
test_scan_turned (void)
{
  assert_scan_matches ("tilted-2.png");
  assert_scan_matches ("tilted-minus-4.jpg");
  assert_scan_matches ("sideways.png");
  assert_scan_matches ("upside-down.jpg");
}

/* A grey photocopy, blurred and noisy, scanned at 150 or 300 dpi: read
 * once the page is in black and white. */
static void
test_scan_photocopy (void)
{
  assert_scan_matches ("photocopy-150.jpg");
  assert_scan_matches ("photocopy-300.jpg");
}

/* A phone's photo as a chat app sends it, JPEG at quality 60: some 1600
 * pixels high, and 1000 (read at twice the size; from some 850 pixels
 * down, 1.5 pixels a module, this one is not read at all). */
static void
test_scan_phone (void)
{
  assert_scan_matches ("phone-1600.jpg");
  assert_scan_matches ("phone-1000.jpg");
}

/* The photocopies wrapped in a PDF, as a scanner's "scan to PDF" makes
 * them. */
static void
test_scan_pdf (void)
{
  assert_scan_matches ("scan-150.pdf");
  assert_scan_matches ("scan-300.pdf");
}

/* A letter written by hand, as a picture and as a PDF: compare by eye. */
static void
test_scan_by_hand (void)
{
  assert_scan_has_no_code ("by-hand.jpg");
  assert_scan_has_no_code ("by-hand.pdf");
}

/* A code cut in half or crossed out is not read — compare by eye, never a
 * match on what is left; a blot the code's error correction mends is. */
static void
test_scan_damaged (void)
{
  assert_scan_has_no_code ("cut.jpg");
  assert_scan_has_no_code ("crossed-out.jpg");
  assert_scan_matches ("blot.jpg");
}

/* Another letter's code: another certificate, exactly that code; this
 * letter attached to a request for another reason. */
static void
test_scan_other_letter (void)
{
  g_autofree char *other = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpint (check_scan ("other-150.jpg", "keyCompromise", &other), ==,
                   CABUT_LETTER_MATCH_OTHER_CERTIFICATE);
  g_assert_cmpstr (other, ==, scanned.other_code);

  g_assert_cmpint (check_scan ("tilted-2.png", "superseded", &code), ==, CABUT_LETTER_MATCH_OTHER_REASON);
  g_assert_cmpstr (code, ==, scanned.code);
}

/* The receipt of a filed request: one A4 page, fonts embedded, every
 * field in Bahasa Indonesia with times in WIB, the service's contact, and
 * the request number as a code; made in a worker thread as the app does. */
static void
test_receipt (void)
{
  const char *request_json =
    "{\"id\": \"CBT-2026-000042\", \"status\": \"submitted\", \"reason\": \"keyCompromise\","
    " \"reason_label\": \"My key is lost or known to others\", \"note\": \"Laptop dinas hilang di kereta.\","
    " \"certificate\": {\"serial\": \"6B17CAEFEF96B52A99A91E015E6A717C\","
    "   \"subject\": \"emailAddress=budi.santoso@contoh.go.id,CN=Budi Santoso,O=Pemerintah Kota Contoh,C=ID\","
    "   \"issuer\": \"CN=Cabut Demo CA DS,O=Cabut Demo (Fiktif),C=ID\"},"
    " \"applicant\": {\"username\": \"budi.santoso\", \"full_name\": \"Budi Santoso, S.Kom.\"},"
    " \"letter\": {\"sha256\": \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
    "   \"type\": \"application/pdf\", \"size\": 38912},"
    " \"key_possession\": true, \"letter_match\": \"yes\", \"letter_code\": \"CABUT1:X\","
    " \"created_at\": \"2026-12-02T03:00:00Z\", \"due\": \"2026-12-03T16:59:00Z\","
    " \"decided_at\": null, \"overdue\": false}";
  const char *info_json =
    "{\"agency\": \"Dinas Komunikasi dan Informatika Kota Contoh\", \"service_name\": \"Layanan Sertifikat "
    "Elektronik\", \"phone\": \"(022) 555-0123\", \"email\": \"sertifikat@contoh.go.id\", \"website\": "
    "\"https://sertifikat.contoh.go.id\", \"complaints_officer\": null, \"escalation\": null, \"office_hours\": "
    "\"Senin–Jumat 08.00–16.00 WIB\", \"address\": null, \"service_days\": 1, \"fee\": 0, "
    "\"max_letter_size\": 10485760}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (request_json, &error);
  g_autoptr(CabutRequest) request = NULL;
  g_autoptr(CabutServiceInfo) info = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-12-02T03:05:00Z", NULL);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) made = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *text = NULL;
  g_autofree char *info_text = NULL;
  g_autofree char *fonts = NULL;
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;

  g_assert_no_error (error);
  request = cabut_request_new_from_json (node, &error);
  g_assert_no_error (error);
  info = cabut_service_info_new_from_json_string (info_json, &error);
  g_assert_no_error (error);

  pdf = cabut_receipt_render (request, info, now, &error);
  g_assert_no_error (error);
  info_text = judge (pdf, "receipt.pdf", "pdfinfo", "@", NULL);
  g_assert_nonnull (strstr (info_text, "Pages:           1\n"));
  g_assert_nonnull (strstr (info_text, "(A4)"));
  fonts = judge (pdf, "receipt.pdf", "pdffonts", "@", NULL);
  g_assert_nonnull (strstr (fonts, "LiberationSans"));
  g_assert_null (strstr (fonts, " no  "));

  text = text_of (pdf, "receipt.pdf");
  g_test_message ("%s", text);
  assert_contains (text, "TANDA TERIMA PERMOHONAN PENCABUTAN SERTIFIKAT ELEKTRONIK");
  assert_contains (text, "telah diterima oleh Dinas Komunikasi dan Informatika Kota Contoh.");
  assert_contains (text, "Nomor Permohonan : CBT-2026-000042");
  assert_contains (text, "Pemohon : Budi Santoso, S.Kom. (budi.santoso)");
  assert_contains (text, "Diajukan : Rabu, 2 Desember 2026 pukul 10.00 WIB");
  assert_contains (text, "Batas waktu : Kamis, 3 Desember 2026 pukul 23.59 WIB");
  assert_contains (text, "Nomor Seri : 6B17CAEFEF96B52A99A91E015E6A717C");
  /* The reason in Indonesian, whatever language the service answered in. */
  assert_contains (text, "Alasan : Kunci saya hilang atau diketahui orang lain");
  assert_contains (text, "Kronologi : Laptop dinas hilang di kereta.");
  assert_contains (text, "Surat pernyataan : PDF, 38.9 kB, SHA-256 9f86d081884c7d659a2feaa0c55ad015");
  assert_contains (text, "Kode pada surat : sesuai dengan sertifikat dan alasan ini");
  assert_contains (text, "Bukti kunci privat : ada");
  assert_contains (text, "Telepon : (022) 555-0123");
  assert_contains (text, "Surel : sertifikat@contoh.go.id");
  assert_contains (text, "Jam layanan : Senin–Jumat 08.00–16.00 WIB");
  assert_contains (text, "Dicetak oleh Cabut pada Rabu, 2 Desember 2026 pukul 10.05 WIB.");
  assert_contains (text, "bila menghubungi layanan. Layanan ini tidak dipungut biaya.");
  g_assert_null (strstr (text, "Alamat"));

  /* The number as a code, for a desk's scanner. */
  g_assert_true (cabut_statement_letter_read_code (pdf, &code, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "CABUT1:PERMOHONAN:CBT-2026-000042");

  /* Without the service's data, and in a worker thread. */
  cabut_receipt_render_async (request, NULL, NULL, async_done_cb, &result);
  made = cabut_receipt_render_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = text_of (made, "receipt-alone.pdf");
  assert_contains (text, "telah diterima oleh layanan.");
  g_assert_null (strstr (text, "Kontak layanan"));
  /* Whether it costs anything is the service's to say. */
  g_assert_null (strstr (text, "biaya"));

  name = cabut_receipt_file_name (request);
  g_assert_cmpstr (name, ==, "tanda-terima-CBT-2026-000042.pdf");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cabut_test_isolate_tmp ("test-statement-letter");
  dir = g_dir_make_tmp ("cabut-letter-XXXXXX", NULL);

  g_test_add_func ("/cabut/statement-letter/plain", test_plain);
  g_test_add_func ("/cabut/statement-letter/code-reads-back", test_code_reads_back);
  g_test_add_func ("/cabut/statement-letter/long-chronology", test_long_chronology);
  g_test_add_func ("/cabut/statement-letter/long-names-and-options", test_long_names_and_options);
  g_test_add_func ("/cabut/statement-letter/read-code", test_read_code);
  g_test_add_func ("/cabut/statement-letter/read-no-code", test_read_no_code);
  g_test_add_func ("/cabut/statement-letter/read-bounded", test_read_bounded);
  g_test_add_func ("/cabut/statement-letter/match", test_match);
  g_test_add_func ("/cabut/statement-letter/cli-check-letter", test_cli_check_letter);
  g_test_add_func ("/cabut/statement-letter/form", test_form);
  g_test_add_func ("/cabut/statement-letter/receipt", test_receipt);
  g_test_add_func ("/cabut/statement-letter/scan/turned", test_scan_turned);
  g_test_add_func ("/cabut/statement-letter/scan/photocopy", test_scan_photocopy);
  g_test_add_func ("/cabut/statement-letter/scan/phone", test_scan_phone);
  g_test_add_func ("/cabut/statement-letter/scan/pdf", test_scan_pdf);
  g_test_add_func ("/cabut/statement-letter/scan/by-hand", test_scan_by_hand);
  g_test_add_func ("/cabut/statement-letter/scan/damaged", test_scan_damaged);
  g_test_add_func ("/cabut/statement-letter/scan/other-letter", test_scan_other_letter);

  status = g_test_run ();
  g_clear_object (&scanned.cert);
  g_clear_pointer (&scanned.code, g_free);
  g_clear_pointer (&scanned.other_code, g_free);
  cabut_test_rm_rf (dir);
  g_free (dir);

  return status;
}
