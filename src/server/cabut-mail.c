/* cabut-mail.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* E-mail notices: see cabut-mail.h. */

#define G_LOG_DOMAIN "cabut-mail"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cabut-mail.h"
#include "cabut-reason.h"

struct _CabutMailSettings
{
  char     *url;
  char     *username;   /* nullable */
  char     *password;   /* nullable; cleansed when freed */
  char     *from;
  gboolean  require_tls;
};

G_DEFINE_QUARK (cabut-mail-error-quark, cabut_mail_error)

/* GMime 3.2 declares none of these. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMultipart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

/* The service's deadlines are set in its time, Western Indonesia Time. */
#define WIB "+07:00"

static const char * const days_id[] = { "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu" };
static const char * const days_en[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
static const char * const months_id[] = {
  "Januari", "Februari", "Maret", "April", "Mei", "Juni",
  "Juli", "Agustus", "September", "Oktober", "November", "Desember",
};
static const char * const months_en[] = {
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
};

static void
libraries_init (void)
{
  static gsize done = 0;

  /* Both want to be set up once, before any thread uses them. */
  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      if (curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
        g_error ("libcurl cannot be initialised");
      g_once_init_leave (&done, 1);
    }
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * cabut_mail_address_is_plausible:
 *
 * Catches typos and pasted names, not every address RFC 5322 allows.
 */
gboolean
cabut_mail_address_is_plausible (const char *value)
{
  const char *at = strchr (value, '@');
  const char *domain;

  if (at == NULL || at == value || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = value; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("<>()[],;:\\\"", *p) != NULL)
      return FALSE;

  domain = at + 1;

  return strchr (domain, '.') != NULL && domain[0] != '.' && !g_str_has_suffix (domain, ".") &&
         strstr (domain, "..") == NULL;
}

/**
 * cabut_mail_settings_new:
 * @url: smtp://HOST[:PORT] (STARTTLS when offered; required unless HOST is
 *   loopback) or smtps://HOST[:PORT] (TLS from the start)
 * @username: (nullable): to sign in to the server with
 * @password: (nullable): its password; kept in memory only
 * @from: the sender's address
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with @error
 */
CabutMailSettings *
cabut_mail_settings_new (const char  *url,
                         const char  *username,
                         const char  *password,
                         const char  *from,
                         GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  CabutMailSettings *self;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (url != NULL, NULL);

  libraries_init ();

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || (g_ascii_strcasecmp (scheme, "smtp") != 0 && g_ascii_strcasecmp (scheme, "smtps") != 0) ||
      host == NULL || *host == '\0')
    {
      g_set_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_SETTINGS,
                   _("“%s” is not an SMTP server address: give smtp://HOST:PORT or smtps://HOST:PORT"), url);
      return NULL;
    }
  /* A password in the address would end up in logs and process lists. */
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_SETTINGS,
                   _("The SMTP server address may not hold a user name or password: give them with "
                     "--smtp-user and --smtp-password-file"));
      return NULL;
    }
  if ((username == NULL) != (password == NULL))
    {
      g_set_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_SETTINGS,
                   _("The SMTP user name and password file go together"));
      return NULL;
    }
  if (from == NULL || !cabut_mail_address_is_plausible (from))
    {
      g_set_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_SETTINGS,
                   _("E-mail notices need the sender’s address (--mail-from), such as layanan@contoh.go.id"));
      return NULL;
    }

  self = g_atomic_rc_box_new0 (CabutMailSettings);
  self->url = g_strdup (url);
  self->username = g_strdup (username);
  self->password = g_strdup (password);
  self->from = g_strdup (from);
  self->require_tls = g_ascii_strcasecmp (scheme, "smtps") == 0 || !is_loopback_host (host);

  return self;
}

CabutMailSettings *
cabut_mail_settings_ref (CabutMailSettings *settings)
{
  return g_atomic_rc_box_acquire (settings);
}

static void
settings_clear (gpointer data)
{
  CabutMailSettings *self = data;

  g_free (self->url);
  g_free (self->username);
  if (self->password != NULL)
    OPENSSL_cleanse (self->password, strlen (self->password));
  g_free (self->password);
  g_free (self->from);
}

void
cabut_mail_settings_unref (CabutMailSettings *settings)
{
  g_atomic_rc_box_release_full (settings, settings_clear);
}

const char *
cabut_mail_settings_get_url (CabutMailSettings *settings)
{
  return settings->url;
}

const char *
cabut_mail_settings_get_from (CabutMailSettings *settings)
{
  return settings->from;
}

/* Whether the connection must be encrypted: anything that leaves the machine. */
gboolean
cabut_mail_settings_requires_tls (CabutMailSettings *settings)
{
  return settings->require_tls;
}

void
cabut_mail_identity_clear (CabutMailIdentity *identity)
{
  g_clear_pointer (&identity->from, g_free);
  g_clear_pointer (&identity->name, g_free);
  g_clear_pointer (&identity->name_en, g_free);
  g_clear_pointer (&identity->contacts, g_free);
  g_clear_pointer (&identity->contacts_en, g_free);
}

/* The names the outbox keeps. */
const char *
cabut_mail_kind_to_string (CabutMailKind kind)
{
  switch (kind)
    {
    case CABUT_MAIL_RECEIPT: return "receipt";
    case CABUT_MAIL_REVOKED: return "revoked";
    case CABUT_MAIL_REJECTED: return "rejected";
    case CABUT_MAIL_OVERDUE: return "overdue";
    case CABUT_MAIL_COMPLAINT_FILED: return "complaint_filed";
    case CABUT_MAIL_COMPLAINT_ANSWERED: return "complaint_answered";
    case CABUT_MAIL_COMPLAINT_ESCALATED: return "complaint_escalated";
    case CABUT_MAIL_COMPLAINT_RESOLVED: return "complaint_resolved";
    default: g_assert_not_reached ();
    }
}

/**
 * cabut_mail_retry_delay:
 * @attempts: how many times sending has failed so far (1 or more)
 *
 * Returns: seconds to wait before the next attempt: 15, 30, 60, 120, 240,
 *   then every 300
 */
guint
cabut_mail_retry_delay (guint attempts)
{
  guint delay = CABUT_MAIL_RETRY_FIRST;

  for (guint i = 1; i < attempts && delay < CABUT_MAIL_RETRY_MAX; i++)
    delay *= 2;

  return MIN (delay, CABUT_MAIL_RETRY_MAX);
}

/* "Selasa, 3 Maret 2026 pukul 23.59 WIB" or "Tuesday 3 March 2026, 23:59 WIB" */
static char *
format_time (gint64  unix_time,
             gboolean english)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (WIB);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
  int weekday = g_date_time_get_day_of_week (local) - 1;
  int month = g_date_time_get_month (local) - 1;

  if (english)
    return g_strdup_printf ("%s %d %s %d, %02d:%02d WIB", days_en[weekday], g_date_time_get_day_of_month (local),
                            months_en[month], g_date_time_get_year (local), g_date_time_get_hour (local),
                            g_date_time_get_minute (local));

  return g_strdup_printf ("%s, %d %s %d pukul %02d.%02d WIB", days_id[weekday], g_date_time_get_day_of_month (local),
                          months_id[month], g_date_time_get_year (local), g_date_time_get_hour (local),
                          g_date_time_get_minute (local));
}

/**
 * cabut_mail_subject:
 *
 * Returns: (transfer full): the subject, the request number first, then
 *   Indonesian and English
 */
char *
cabut_mail_subject (const CabutMailNotice *notice)
{
  const char *text;

  switch (notice->kind)
    {
    case CABUT_MAIL_RECEIPT:
      text = "Permohonan pencabutan sertifikat diterima — Revocation request received";
      break;
    case CABUT_MAIL_REVOKED:
      text = "Sertifikat Anda telah dicabut — Your certificate has been revoked";
      break;
    case CABUT_MAIL_REJECTED:
      text = "Permohonan pencabutan ditolak — Revocation request rejected";
      break;
    case CABUT_MAIL_OVERDUE:
      text = "Permohonan melewati batas waktu layanan — Request past its deadline";
      break;
    case CABUT_MAIL_COMPLAINT_FILED:
      text = "Pengaduan diterima — Complaint received";
      break;
    case CABUT_MAIL_COMPLAINT_ANSWERED:
      text = "Pengaduan Anda dijawab — Your complaint has been answered";
      break;
    case CABUT_MAIL_COMPLAINT_ESCALATED:
      text = "Pengaduan Anda diteruskan kepada pejabat — Your complaint has been escalated to an official";
      break;
    case CABUT_MAIL_COMPLAINT_RESOLVED:
      text = "Pengaduan Anda diselesaikan — Your complaint has been resolved";
      break;
    default:
      g_assert_not_reached ();
    }

  return g_strdup_printf ("[%s] %s", notice->number, text);
}

/** cabut_mail_new_message_id: Returns: (transfer full): a new Message-ID, without its angle brackets */
char *
cabut_mail_new_message_id (const char *from)
{
  const char *at = strrchr (from, '@');
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("%s.cabut@%s", uuid, at != NULL ? at + 1 : "localhost");
}

static void
append_field (GString    *text,
              const char *label,
              const char *value)
{
  if (value != NULL && *value != '\0')
    g_string_append_printf (text, "%s: %s\n", label, value);
}

static void
append_note (GString    *text,
             const char *label,
             const char *note)
{
  if (note == NULL || *note == '\0')
    return;
  g_string_append_printf (text, "\n%s:\n%s\n", label, note);
}

/* The words of a notice in one language. {name} is the applicant's,
 * {number} the request's, {when} the decision's time or the deadline. */
typedef struct
{
  const char *language;
  gboolean    english;
  const char *greeting;
  const char *opening[CABUT_MAIL_N_KINDS];     /* by CabutMailKind */
  const char *number;
  const char *complaint_number;
  const char *about;
  const char *serial;
  const char *holder;
  const char *reason;
  const char *filed;
  const char *deadline;
  const char *note;
  const char *answer;
  const char *closing[CABUT_MAIL_N_KINDS];     /* the overdue one continues with where to complain */
  const char *automatic;
} Wording;

static const Wording indonesian = {
  "id", FALSE,
  "Yth. {name},",
  {
    "Permohonan pencabutan sertifikat elektronik Anda telah kami terima.",
    "Sertifikat elektronik Anda telah dicabut pada {when} atas permohonan {number}. Sertifikat ini tidak dapat lagi "
    "digunakan untuk menandatangani.",
    "Permohonan pencabutan {number} ditolak oleh verifikator. Sertifikat Anda tidak dicabut.",
    "Permohonan pencabutan {number} belum diputuskan, padahal batas waktu layanannya {when}.",
    "Pengaduan Anda telah kami terima dengan nomor {number}.",
    "Petugas layanan telah menjawab pengaduan {number}.",
    "Pengaduan {number} belum dapat diselesaikan oleh petugas layanan dan telah diteruskan kepada pejabat "
    "instansi.",
    "Pengaduan {number} telah diselesaikan pada {when}.",
  },
  "Nomor permohonan", "Nomor pengaduan", "Permohonan terkait", "Nomor seri sertifikat", "Pemilik sertifikat",
  "Alasan", "Diajukan", "Batas waktu",
  "Catatan verifikator", "Tanggapan",
  {
    "Verifikator akan memeriksa permohonan dan surat pernyataan Anda. Anda akan menerima surel lagi ketika "
    "permohonan diputuskan. Sebutkan nomor permohonan setiap kali menghubungi layanan.",
    "Bila Anda memerlukan sertifikat baru, ajukan penerbitan sertifikat baru.",
    "Perbaiki hal yang disebutkan dalam catatan, lalu ajukan permohonan baru.",
    "Mohon maaf atas keterlambatan ini. Anda dapat menyampaikan pengaduan dengan menyebutkan nomor permohonan",
    "Petugas layanan akan menanggapi pengaduan Anda paling lambat pada batas waktu di atas.",
    "Bila jawaban ini belum menyelesaikan masalah Anda, balaslah pengaduan ini di Cabut.",
    "Pejabat instansi akan menanggapi dan menyelesaikan pengaduan Anda paling lambat pada batas waktu di atas.",
    "Terima kasih telah menyampaikan pengaduan Anda.",
  },
  "Surel ini dikirim secara otomatis; mohon tidak membalas surel ini.",
};

static const Wording english = {
  "en", TRUE,
  "Dear {name},",
  {
    "We have received your request to revoke your electronic certificate.",
    "Your electronic certificate was revoked on {when}, as you asked in request {number}. It can no longer be used "
    "to sign.",
    "Revocation request {number} was rejected by the verification officer. Your certificate has not been revoked.",
    "Revocation request {number} has not been decided, although its deadline was {when}.",
    "We have received your complaint, number {number}.",
    "The service desk has answered complaint {number}.",
    "The service desk could not settle complaint {number}; it has been passed to an official of the agency.",
    "Complaint {number} was resolved on {when}.",
  },
  "Request number", "Complaint number", "About request", "Certificate serial number", "Certificate holder",
  "Reason", "Filed", "Deadline",
  "The officer’s note", "The answer",
  {
    "A verification officer will check your request and your statement letter. You will receive another "
    "e-mail when it is decided. Quote the request number whenever you contact the service.",
    "If you need a new certificate, apply for one to be issued.",
    "Put right what the note says, then file a new request.",
    "We are sorry for the delay. You may complain, quoting the request number",
    "The service desk will answer your complaint by the deadline above.",
    "If this answer does not settle the matter, reply to the complaint in Cabut.",
    "An official of the agency will answer and settle your complaint by the deadline above.",
    "Thank you for telling us.",
  },
  "This e-mail was sent automatically; please do not reply to it.",
};

/* Appends @words with its {placeholders} filled in. */
static void
append_words (GString               *text,
              const char            *words,
              const CabutMailNotice *notice,
              const char            *when)
{
  const struct { const char *token; const char *value; } fills[] = {
    { "{name}", notice->full_name }, { "{number}", notice->number }, { "{when}", when },
  };

  while (*words != '\0')
    {
      gboolean filled = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (fills) && !filled; i++)
        if (g_str_has_prefix (words, fills[i].token))
          {
            g_string_append (text, fills[i].value);
            words += strlen (fills[i].token);
            filled = TRUE;
          }
      if (!filled)
        g_string_append_c (text, *words++);
    }
}

/* One language's part. */
static char *
body (const CabutMailNotice *notice,
      const Wording         *words,
      const char            *service_name,
      const char            *contacts)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const CabutReasonInfo *reason = cabut_reason_lookup (notice->reason);
  g_autofree char *filed = format_time (notice->filed_at, words->english);
  g_autofree char *due = format_time (notice->due_at, words->english);
  g_autofree char *at = format_time (notice->kind == CABUT_MAIL_OVERDUE ? notice->due_at : notice->at,
                                     words->english);
  g_autofree char *reason_text = reason != NULL
    ? g_strdup_printf ("%s (%s)", cabut_reason_get_label_for (reason, words->language), reason->name) : NULL;

  append_words (text, words->greeting, notice, at);
  g_string_append (text, "\n\n");
  append_words (text, words->opening[notice->kind], notice, at);
  g_string_append (text, "\n\n");

  append_field (text, CABUT_MAIL_KIND_IS_COMPLAINT (notice->kind) ? words->complaint_number : words->number,
                notice->number);
  append_field (text, words->about, notice->request_number);
  append_field (text, words->serial, notice->serial);
  append_field (text, words->holder, notice->subject_dn);
  append_field (text, words->reason, reason_text);
  append_field (text, words->filed, filed);
  append_field (text, words->deadline, due);
  append_note (text, CABUT_MAIL_KIND_IS_COMPLAINT (notice->kind) ? words->answer : words->note, notice->note);

  g_string_append_printf (text, "\n%s", words->closing[notice->kind]);
  if (notice->kind == CABUT_MAIL_OVERDUE && contacts != NULL)
    g_string_append_printf (text, ":\n\n%s", contacts);
  else if (notice->kind == CABUT_MAIL_OVERDUE)
    g_string_append_c (text, '.');
  g_string_append (text, "\n\n-- \n");
  if (service_name != NULL)
    g_string_append_printf (text, "%s\n", service_name);
  g_string_append_printf (text, "%s\n", words->automatic);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GMimeObject *
text_part (const char *text,
           const char *language)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype ("plain");

  g_mime_text_part_set_text (part, text);
  g_mime_text_part_set_charset (part, "utf-8");
  /* Lines stay short and 7-bit on the wire, whatever the note holds. */
  g_mime_part_set_content_encoding (GMIME_PART (part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_mime_object_set_disposition (GMIME_OBJECT (part), GMIME_DISPOSITION_INLINE);
  g_mime_object_set_header (GMIME_OBJECT (part), "Content-Language", language, NULL);

  return GMIME_OBJECT (part);
}

/**
 * cabut_mail_compose:
 * @recipient: the applicant's address
 * @message_id: from cabut_mail_new_message_id()
 * @date: of the Date header
 *
 * Builds the notice as an Internet message (RFC 5322, MIME): a
 * multipart/mixed of two inline UTF-8 text parts, Indonesian then English,
 * quoted-printable, the Subject RFC 2047-encoded, CRLF line ends.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error
 */
GBytes *
cabut_mail_compose (const CabutMailNotice   *notice,
                    const CabutMailIdentity *identity,
                    const char              *recipient,
                    const char              *message_id,
                    gint64                   date,
                    GError                 **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeMultipart) multipart = NULL;
  g_autoptr(GMimeObject) part_id = NULL;
  g_autoptr(GMimeObject) part_en = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (WIB);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (date);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
  g_autofree char *subject = cabut_mail_subject (notice);
  g_autofree char *text_id = body (notice, &indonesian, identity->name, identity->contacts);
  g_autofree char *text_en = body (notice, &english, identity->name_en != NULL ? identity->name_en : identity->name,
                                   identity->contacts_en != NULL ? identity->contacts_en : identity->contacts);
  GMimeFormatOptions *options;
  GByteArray *bytes;
  gssize written;

  g_return_val_if_fail (notice != NULL && identity != NULL && identity->from != NULL, NULL);
  g_return_val_if_fail (recipient != NULL && message_id != NULL, NULL);

  libraries_init ();

  message = g_mime_message_new (TRUE);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, identity->name != NULL ? identity->name : "Cabut",
                              identity->from);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, notice->full_name, recipient);
  g_mime_message_set_subject (message, subject, "utf-8");
  g_mime_message_set_date (message, local);
  g_mime_message_set_message_id (message, message_id);
  g_mime_object_set_header (GMIME_OBJECT (message), "MIME-Version", "1.0", NULL);
  /* RFC 3834: no vacation replies to a machine. */
  g_mime_object_set_header (GMIME_OBJECT (message), "Auto-Submitted", "auto-generated", NULL);

  multipart = g_mime_multipart_new_with_subtype ("mixed");
  part_id = text_part (text_id, "id");
  part_en = text_part (text_en, "en");
  g_mime_multipart_add (multipart, part_id);
  g_mime_multipart_add (multipart, part_en);
  g_mime_message_set_mime_part (message, GMIME_OBJECT (multipart));

  stream = g_mime_stream_mem_new ();
  options = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  written = g_mime_object_write_to_stream (GMIME_OBJECT (message), options, stream);
  g_mime_format_options_free (options);
  if (written < 0)
    {
      g_set_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_SETTINGS, _("The e-mail notice cannot be made"));
      return NULL;
    }

  bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));

  return g_bytes_new (bytes->data, bytes->len);
}

/* Sending ---------------------------------------------------------------- */

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         offset;
} Upload;

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  nitems,
         void   *user_data)
{
  Upload *upload = user_data;
  gsize n = MIN (size * nitems, upload->length - upload->offset);

  memcpy (buffer, upload->data + upload->offset, n);
  upload->offset += n;

  return n;
}

/* Refusals that are about the recipient's address itself (RFC 5321
 * §4.2.3): sending it again will not help. Everything else — a server
 * that is down, busy, refuses for now, or rejects our own sign-in or
 * sender — is tried again, so nothing is lost to a fault the
 * administrator can mend. */
static gboolean
is_permanent (long response)
{
  return response == 550 || response == 551 || response == 553;
}

/**
 * cabut_mail_send:
 * @message: the whole message, CRLF line ends (cabut_mail_compose())
 *
 * Hands @message to the SMTP server, blocking until it has accepted it
 * (libcurl; dot-stuffing is its job). Call from a worker thread.
 *
 * Returns: whether the server accepted the message; otherwise @error is
 *   %CABUT_MAIL_ERROR_TEMPORARY or %CABUT_MAIL_ERROR_PERMANENT
 */
gboolean
cabut_mail_send (CabutMailSettings  *settings,
                 const char         *recipient,
                 GBytes             *message,
                 GError            **error)
{
  g_autoptr(CURL) curl = NULL;
  g_autofree char *from = NULL;
  struct curl_slist *recipients = NULL;
  char message_buffer[CURL_ERROR_SIZE] = "";
  Upload upload = { 0 };
  CURLcode rc;
  long response = 0;

  g_return_val_if_fail (settings != NULL && recipient != NULL && message != NULL, FALSE);

  libraries_init ();

  upload.data = g_bytes_get_data (message, &upload.length);
  from = g_strdup_printf ("<%s>", settings->from);
  if ((curl = curl_easy_init ()) == NULL || (recipients = curl_slist_append (NULL, recipient)) == NULL)
    {
      g_set_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_TEMPORARY, _("Out of memory"));
      return FALSE;
    }

  if ((rc = curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, message_buffer)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_URL, settings->url)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps")) != CURLE_OK ||
      /* A worker thread: no signals, no alarm(). */
      (rc = curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_USE_SSL, (long) (settings->require_tls ? CURLUSESSL_ALL
                                                                                   : CURLUSESSL_TRY))) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, 15L)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_TIMEOUT, 120L)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_MAIL_FROM, from)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_cb)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_READDATA, &upload)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L)) != CURLE_OK ||
      (rc = curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) upload.length)) != CURLE_OK ||
      (settings->username != NULL &&
       ((rc = curl_easy_setopt (curl, CURLOPT_USERNAME, settings->username)) != CURLE_OK ||
        (rc = curl_easy_setopt (curl, CURLOPT_PASSWORD, settings->password)) != CURLE_OK)))
    {
      curl_slist_free_all (recipients);
      g_set_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_TEMPORARY, _("libcurl cannot be set up to send mail: %s"),
                   curl_easy_strerror (rc));
      return FALSE;
    }

  rc = curl_easy_perform (curl);
  curl_slist_free_all (recipients);
  if (rc == CURLE_OK)
    return TRUE;

  if (curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &response) != CURLE_OK)
    response = 0;
  if (response != 0)
    g_set_error (error, CABUT_MAIL_ERROR, is_permanent (response) ? CABUT_MAIL_ERROR_PERMANENT : CABUT_MAIL_ERROR_TEMPORARY,
                 _("The mail server did not take the message: %s (SMTP %ld)"),
                 message_buffer[0] != '\0' ? message_buffer : curl_easy_strerror (rc), response);
  else
    g_set_error (error, CABUT_MAIL_ERROR, CABUT_MAIL_ERROR_TEMPORARY, _("The mail server cannot be reached: %s"),
                 message_buffer[0] != '\0' ? message_buffer : curl_easy_strerror (rc));

  return FALSE;
}
