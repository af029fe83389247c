/* cabut-receipt.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The receipt of a filed request as an A4 PDF, by the statement letter's
 * writer: the number to quote, when it was filed and is due (Western
 * Indonesia Time), the certificate, the reason, the letter, what happens
 * next and whom to contact. Like the letter, in Bahasa Indonesia whatever
 * the interface language: it is a paper of the Indonesian service. */

#define G_LOG_DOMAIN "cabut-receipt"

#include "config.h"

#include <gio/gio.h>

#include "cabut-pdf-private.h"
#include "cabut-reason.h"
#include "cabut-receipt.h"

#define TITLE   "TANDA TERIMA PERMOHONAN PENCABUTAN SERTIFIKAT ELEKTRONIK"
#define QR_SIZE CABUT_PDF_CM (2.5)

/* What the receipt says, owned: what a worker thread draws. */
typedef struct
{
  GPtrArray *rows;     /* label, value, label, value, … for the request */
  GPtrArray *contact;  /* the same, for the service */
  char      *number;
  char      *agency;
  char      *printed;
  gboolean   free_of_charge;
} Receipt;

static void
receipt_free (Receipt *receipt)
{
  g_ptr_array_unref (receipt->rows);
  g_ptr_array_unref (receipt->contact);
  g_free (receipt->number);
  g_free (receipt->agency);
  g_free (receipt->printed);
  g_free (receipt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Receipt, receipt_free)

static const char * const days[] = {
  "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
};

/* "Rabu, 2 Desember 2026 pukul 10.42 WIB": the service's deadlines are
 * set in its time, Western Indonesia Time. */
static char *
wib (GDateTime *when)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;

  if (when == NULL)
    return NULL;

  zone = g_time_zone_new_identifier ("+07:00");
  local = g_date_time_to_timezone (when, zone);
  date = cabut_pdf_date (local);

  return g_strdup_printf ("%s, %s pukul %02d.%02d WIB", days[g_date_time_get_day_of_week (local) - 1], date,
                          g_date_time_get_hour (local), g_date_time_get_minute (local));
}

static void
add (GPtrArray  *rows,
     const char *label,
     char       *value)
{
  if (value == NULL || *value == '\0')
    {
      g_free (value);
      return;
    }
  g_ptr_array_add (rows, g_strdup (label));
  g_ptr_array_add (rows, value);
}

static char *
letter_match (CabutRequest *request)
{
  if (!cabut_request_get_letter_checked (request))
    return NULL;

  switch (cabut_request_get_letter_match (request))
    {
    case CABUT_LETTER_MATCH_YES:
      return g_strdup ("sesuai dengan sertifikat dan alasan ini");
    case CABUT_LETTER_MATCH_OTHER_CERTIFICATE:
      return g_strdup ("dibuat untuk sertifikat lain");
    case CABUT_LETTER_MATCH_OTHER_REASON:
      return g_strdup ("dibuat untuk alasan lain");
    case CABUT_LETTER_MATCH_NO_CODE:
    case CABUT_LETTER_MATCH_UNREADABLE:
    default:
      return g_strdup ("tidak ada kode yang terbaca; diperiksa petugas");
    }
}

static Receipt *
receipt_new (CabutRequest     *request,
             CabutServiceInfo *info,
             GDateTime        *now)
{
  Receipt *receipt = g_new0 (Receipt, 1);
  const CabutReasonInfo *reason = cabut_reason_lookup_name (cabut_request_get_reason (request));
  const char *name = cabut_request_get_applicant_name (request);
  const char *username = cabut_request_get_applicant_username (request);
  g_autofree char *size = g_format_size (cabut_request_get_letter_size (request));
  const char *type = cabut_request_get_letter_type (request);
  const char *sha256 = cabut_request_get_letter_sha256 (request);

  receipt->rows = g_ptr_array_new_with_free_func (g_free);
  receipt->contact = g_ptr_array_new_with_free_func (g_free);
  receipt->number = g_strdup (cabut_request_get_id (request));
  receipt->printed = wib (now);

  add (receipt->rows, "Nomor Permohonan", g_strdup (receipt->number));
  if (name != NULL && username != NULL)
    add (receipt->rows, "Pemohon", g_strdup_printf ("%s (%s)", name, username));
  else
    add (receipt->rows, "Pemohon", g_strdup (name != NULL ? name : username));
  add (receipt->rows, "Diajukan", wib (cabut_request_get_created_at (request)));
  add (receipt->rows, "Batas waktu", wib (cabut_request_get_due (request)));
  add (receipt->rows, "Nomor Seri", g_strdup (cabut_request_get_serial (request)));
  add (receipt->rows, "Subject DN", g_strdup (cabut_request_get_subject (request)));
  add (receipt->rows, "Penerbit", g_strdup (cabut_request_get_issuer (request)));
  add (receipt->rows, "Alasan", g_strdup (reason != NULL ? cabut_reason_get_label_for (reason, "id")
                                                        : cabut_request_get_reason_label (request)));
  add (receipt->rows, "Kronologi", g_strdup (cabut_request_get_note (request)));
  if (type != NULL)
    add (receipt->rows, "Surat pernyataan",
         g_strdup_printf ("%s, %s%s%s", g_str_equal (type, "application/pdf") ? "PDF"
                                        : g_str_equal (type, "image/png") ? "PNG" : "JPEG",
                          size, sha256 != NULL ? ", SHA-256 " : "", sha256 != NULL ? sha256 : ""));
  add (receipt->rows, "Kode pada surat", letter_match (request));
  add (receipt->rows, "Bukti kunci privat",
       g_strdup (cabut_request_get_key_possession (request)
                   ? "ada: permohonan ditandatangani dengan kunci privat sertifikat"
                   : "tidak ada: berkas sertifikat tidak memuat kunci privat"));

  if (info != NULL)
    {
      receipt->agency = g_strdup (cabut_service_info_get_agency (info));
      receipt->free_of_charge = cabut_service_info_get_fee (info) == 0;
      add (receipt->contact, "Layanan", g_strdup (cabut_service_info_get_service_name (info)));
      add (receipt->contact, "Telepon", g_strdup (cabut_service_info_get_phone (info)));
      add (receipt->contact, "Surel", g_strdup (cabut_service_info_get_email (info)));
      add (receipt->contact, "Situs web", g_strdup (cabut_service_info_get_website (info)));
      add (receipt->contact, "Jam layanan", g_strdup (cabut_service_info_get_office_hours (info)));
      add (receipt->contact, "Alamat", g_strdup (cabut_service_info_get_address (info)));
      add (receipt->contact, "Pengaduan", g_strdup (cabut_service_info_get_complaints_officer (info)));
      add (receipt->contact, "Eskalasi", g_strdup (cabut_service_info_get_escalation (info)));
    }

  return receipt;
}

static void
rows (CabutPdfWriter *writer,
      GPtrArray      *pairs)
{
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    cabut_pdf_writer_row (writer, g_ptr_array_index (pairs, i), g_ptr_array_index (pairs, i + 1));
  writer->y += CABUT_PDF_PARAGRAPH_GAP;
}

static GBytes *
draw (Receipt  *receipt,
      GError  **error)
{
  CabutPdfWriter writer = { 0 };
  g_autofree char *code = g_strdup_printf ("CABUT1:PERMOHONAN:%s", receipt->number);
  g_autofree char *received = NULL;
  g_autofree char *printed = NULL;

  cabut_pdf_writer_begin (&writer, "Tanda Terima Permohonan Pencabutan Sertifikat Elektronik");
  /* The number as a code too, for a service desk's scanner. */
  if (!cabut_pdf_writer_qr_code (&writer, code, QR_SIZE, error))
    {
      g_autoptr(GBytes) unfinished = cabut_pdf_writer_end (&writer, NULL);

      return NULL;
    }
  cabut_pdf_writer_title (&writer, TITLE);

  received = receipt->agency != NULL
    ? g_strdup_printf ("Permohonan pencabutan sertifikat elektronik berikut telah diterima oleh %s.",
                       receipt->agency)
    : g_strdup ("Permohonan pencabutan sertifikat elektronik berikut telah diterima oleh layanan.");
  cabut_pdf_writer_paragraph (&writer, received, FALSE);
  rows (&writer, receipt->rows);

  cabut_pdf_writer_paragraph (&writer, "Langkah berikutnya", TRUE);
  cabut_pdf_writer_paragraph (&writer,
                              "Petugas verifikasi mencocokkan permohonan dengan nama pengguna dan Subject DN "
                              "sertifikat Anda, lalu mencabut sertifikat atau menolak permohonan dengan catatan. "
                              "Anda akan menerima pemberitahuan atas keputusannya. Sebutkan nomor permohonan bila "
                              "menghubungi layanan.", FALSE);
  if (receipt->free_of_charge)
    cabut_pdf_writer_paragraph (&writer, "Layanan ini tidak dipungut biaya.", FALSE);

  if (receipt->contact->len > 0)
    {
      cabut_pdf_writer_paragraph (&writer, "Kontak layanan", TRUE);
      rows (&writer, receipt->contact);
    }

  if (receipt->printed != NULL)
    {
      g_autoptr(PangoLayout) footer = NULL;

      printed = g_strdup_printf ("Dicetak oleh Cabut pada %s.", receipt->printed);
      footer = cabut_pdf_writer_layout (&writer, printed, CABUT_PDF_TEXT_WIDTH, FALSE, 8, PANGO_ALIGN_LEFT);
      cabut_pdf_writer_flow (&writer, footer, CABUT_PDF_MARGIN_LEFT);
    }

  return cabut_pdf_writer_end (&writer, error);
}

/**
 * cabut_receipt_render:
 * @info: (nullable): the service, for its contact
 * @now: (nullable): when it is printed
 *
 * Returns: (transfer full) (nullable): the receipt as an A4 PDF, or %NULL
 *   with @error set
 */
GBytes *
cabut_receipt_render (CabutRequest      *request,
                      CabutServiceInfo  *info,
                      GDateTime         *now,
                      GError           **error)
{
  g_autoptr(Receipt) receipt = NULL;

  g_return_val_if_fail (CABUT_IS_REQUEST (request), NULL);
  g_return_val_if_fail (info == NULL || CABUT_IS_SERVICE_INFO (info), NULL);

  receipt = receipt_new (request, info, now);
  return draw (receipt, error);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *pdf = draw (task_data, &error);

  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

/**
 * cabut_receipt_render_async:
 *
 * Makes the receipt in a worker thread, from what @request and @info
 * hold now, printed now.
 */
void
cabut_receipt_render_async (CabutRequest        *request,
                            CabutServiceInfo    *info,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_if_fail (CABUT_IS_REQUEST (request));
  g_return_if_fail (info == NULL || CABUT_IS_SERVICE_INFO (info));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_receipt_render_async);
  g_task_set_task_data (task, receipt_new (request, info, now), (GDestroyNotify) receipt_free);
  g_task_run_in_thread (task, render_thread);
}

GBytes *
cabut_receipt_render_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/** cabut_receipt_file_name: Returns: (transfer full): "tanda-terima-CBT-2026-000001.pdf" */
char *
cabut_receipt_file_name (CabutRequest *request)
{
  g_autofree char *number = g_strdup (cabut_request_get_id (request));

  /* A number from the service names a file only with safe characters. */
  g_strcanon (number, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-", '_');

  return g_strdup_printf ("tanda-terima-%s.pdf", number);
}
