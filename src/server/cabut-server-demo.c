/* cabut-server-demo.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/rand.h>
#include <string.h>

#include "cabut-server-private.h"

/* `--demo`: fictional people in a fictional city government, each with a
 * certificate from the demo CA, so the whole flow works on one machine.
 * Every name, number and address here is made up; NIKs start with 99, a
 * province code that does not exist. */

typedef struct
{
  const char *username;
  const char *role;
  const char *full_name;
  const char *email;
  const char *nik;
  const char *nip;
  const char *position;
  const char *unit;
} DemoPerson;

static const DemoPerson people[] = {
  { "budi.santoso", "applicant", "Budi Santoso, S.Kom.", "budi.santoso@contoh.go.id",
    "9973010101850001", "198501012010011001", "Pranata Komputer Ahli Muda",
    "Dinas Komunikasi dan Informatika" },
  { "siti.rahmawati", "applicant", "Siti Rahmawati, S.E.", "siti.rahmawati@contoh.go.id",
    "9973014506900002", "199006152015032002", "Analis Keuangan",
    "Badan Pengelolaan Keuangan Daerah" },
  { "agus.wijaya", "applicant", "Agus Wijaya", "agus.wijaya@contoh.go.id",
    "9973011203780003", "197803122005011003", "Kepala Seksi Pelayanan",
    "Dinas Kependudukan dan Pencatatan Sipil" },
  { "dewi.verifikator", "operator", "Dewi Lestari, S.T.", "dewi.lestari@contoh.go.id",
    "9973016708880004", "198808272012122004", "Verifikator Sertifikat Elektronik",
    "Dinas Komunikasi dan Informatika" },
  { "admin", "admin", "Administrator Layanan", "admin@contoh.go.id", NULL, NULL, NULL, NULL },
  /* A second officer, so that second approval can be tried in the demo. */
  { "rina.verifikator", "operator", "Rina Marlina, S.Kom.", "rina.marlina@contoh.go.id",
    "9973015203910005", "199103122019032005", "Verifikator Sertifikat Elektronik",
    "Dinas Komunikasi dan Informatika" },
};

#define DEMO_ORGANIZATION "Pemerintah Kota Contoh"

static char *
random_password (void)
{
  /* No 0/O or 1/l/I: people may have to type these from a screen. */
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  guint8 bytes[14];
  char *out = g_malloc (sizeof bytes + 1);

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    g_error ("Failed to get random bytes");
  for (guint i = 0; i < sizeof bytes; i++)
    out[i] = alphabet[bytes[i] % (sizeof alphabet - 1)];
  out[sizeof bytes] = '\0';

  return out;
}

static char *
escape_dn_value (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p; p++)
    {
      if (strchr (",+\"\\<>;=", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* Returns: 1 when there are accounts, 0 when none, -1 with @error set. */
static int
demo_exists (CabutServer  *self,
             GError      **error)
{
  gint64 count = 0;

  if (!cabut_accounts_count (self->db, &count, error))
    return -1;

  return count > 0;
}

static gboolean
write_private (const char  *path,
               const void  *data,
               gsize        len,
               GError     **error)
{
  return g_file_set_contents_full (path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* Complaints in every state, so the desk has something to work on. Who
 * filed each (by index in people[]), how many days ago, and its thread:
 * entries by index in people[] with their kind, hours after the filing. */
typedef struct
{
  guint        author;
  const char  *kind;
  const char  *state;
  guint        hours;
  const char  *text;
} DemoEntry;

typedef struct
{
  guint      applicant;
  guint      days_ago;
  DemoEntry  thread[4];
} DemoComplaint;

#define DEMO_DEWI  3
#define DEMO_ADMIN 4

static const DemoComplaint complaints[] = {
  { 1, 0, {
    { 1, "filed", "open", 0, "Saya sudah dua kali mengunggah surat pernyataan, tetapi unggahan selalu berhenti di "
                             "tengah jalan. Mohon dibantu agar permohonan pencabutan saya dapat diajukan." } } },
  { 2, 2, {
    { 2, "filed", "open", 0, "Sudah lewat satu hari kerja sejak saya mengajukan permohonan, tetapi belum ada kabar "
                             "sama sekali." },
    { DEMO_DEWI, "answered", "answered", 3, "Mohon maaf atas keterlambatannya, Pak. Permohonan Bapak sedang kami "
                                            "periksa; hasilnya kami kabarkan paling lambat besok siang." } } },
  { 1, 3, {
    { 1, "filed", "open", 0, "Nama unit kerja pada sertifikat saya keliru sejak diterbitkan. Saya tidak ingin "
                             "mencabut sertifikat hanya karena itu." },
    { DEMO_DEWI, "answered", "answered", 4, "Data unit kerja diambil dari data kepegawaian. Mohon kirimkan "
                                            "salinan SK penempatan terakhir." },
    { 1, "replied", "open", 20, "SK penempatan sudah saya serahkan ke bagian kepegawaian minggu lalu." },
    { DEMO_DEWI, "escalated", "escalated", 26, "Perbaikan data kepegawaian di luar wewenang meja layanan; "
                                               "diteruskan kepada pejabat instansi." } } },
  { 2, 9, {
    { 2, "filed", "open", 0, "Surel pemberitahuan dari layanan tidak pernah sampai ke kotak masuk saya." },
    { DEMO_DEWI, "resolved", "resolved", 5, "Alamat surel pada akun Bapak keliru satu huruf dan sudah kami "
                                            "perbaiki. Pemberitahuan berikutnya akan sampai." } } },
};

static gboolean seed (CabutServer *self, const char *demo_dir, GError **error);

/**
 * cabut_server_seed_demo:
 *
 * On a service without accounts, creates the demo people, issues their
 * certificates, and writes DATA/demo/: ca.pem, one PKCS#12 file per
 * applicant and accounts.json with every password.
 */
gboolean
cabut_server_seed_demo (CabutServer  *self,
                        GError      **error)
{
  g_autofree char *demo_dir = g_build_filename (self->data_dir, "demo", NULL);
  int exists = demo_exists (self, error);

  if (exists != 0)
    return exists > 0;

  /* All of it or nothing, so that a failed first start can simply be retried. */
  if (!cabut_db_begin (self->db, error))
    return FALSE;
  if (!seed (self, demo_dir, error))
    {
      cabut_db_rollback (self->db);
      return FALSE;
    }

  return cabut_db_commit (self->db, error);
}

/* The demo's complaints, written as the service would have: each with its
 * thread, its deadline counted from the last entry that owes an answer. */
static gboolean
seed_complaints (CabutServer   *self,
                 const gint64  *account_ids,
                 GDateTime     *now,
                 GError       **error)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now, cabut_calendar_get_timezone (self->calendar));

  for (guint i = 0; i < G_N_ELEMENTS (complaints); i++)
    {
      const DemoComplaint *complaint = &complaints[i];
      g_autoptr(GDateTime) filed = g_date_time_add_days (now, -(int) complaint->days_ago);
      g_autoptr(GDateTime) due = cabut_calendar_get_deadline (self->calendar, filed, CABUT_SERVER_COMPLAINT_DAYS);
      g_autofree char *number = NULL;
      gint64 filed_at = g_date_time_to_unix (filed) - (complaint->days_ago == 0 ? 3600 : 0);
      gint64 id = 0;
      const char *state = "open";

      if (!cabut_complaint_store_insert (self->db, account_ids[complaint->applicant], 0, complaint->thread[0].text,
                                         filed_at, g_date_time_to_unix (due), g_date_time_get_year (local), &id,
                                         &number, error))
        return FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (complaint->thread) && complaint->thread[j].kind != NULL; j++)
        {
          const DemoEntry *entry = &complaint->thread[j];
          gint64 at = filed_at + entry->hours * 3600;
          gint64 event_id = 0;
          gboolean moved = TRUE;

          if (j > 0)
            {
              gboolean owes = g_str_equal (entry->state, "open") || g_str_equal (entry->state, "escalated");
              g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (at);
              g_autoptr(GDateTime) next = owes ? cabut_calendar_get_deadline (self->calendar, from, CABUT_SERVER_COMPLAINT_DAYS) : NULL;

              if (!cabut_complaint_store_set_state (self->db, id, state, entry->state, at,
                                                    next != NULL ? g_date_time_to_unix (next) : 0, &moved, error))
                return FALSE;
              g_assert (moved);
              state = entry->state;
            }
          if (!cabut_complaint_store_add_event (self->db, id, account_ids[entry->author], entry->kind, entry->state,
                                                entry->text, at, &event_id, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
seed (CabutServer  *self,
      const char   *demo_dir,
      GError      **error)
{
  g_autofree char *ca_path = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) chain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) not_before = g_date_time_ref (now);
  g_autoptr(GDateTime) not_after = g_date_time_add_years (now, 2);
  gint64 account_ids[G_N_ELEMENTS (people)] = { 0 };

  if (g_mkdir_with_parents (demo_dir, 0700) != 0)
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_DATA_DIR,
                   _("The data folder %s cannot be created: %s"), demo_dir, g_strerror (errno));
      return FALSE;
    }

  chain = cabut_ca_get_chain_pem (self->ca);
  ca_path = g_build_filename (demo_dir, "ca.pem", NULL);
  if (!g_file_set_contents_full (ca_path, g_bytes_get_data (chain, NULL), g_bytes_get_size (chain),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;

  builder = json_builder_new ();
  json_builder_begin_array (builder);

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      const DemoPerson *person = &people[i];
      CabutAccount account = {
        .username = (char *) person->username,
        .full_name = (char *) person->full_name,
        .email = (char *) person->email,
        .nik = (char *) person->nik,
        .nip = (char *) person->nip,
        .position = (char *) person->position,
        .unit = (char *) person->unit,
        .organization = (char *) DEMO_ORGANIZATION,
        .role = (char *) person->role,
      };
      g_autofree char *password = random_password ();
      g_autofree char *p12_password = NULL;
      g_autofree char *p12_name = NULL;
      gint64 account_id = 0;

      if (!cabut_accounts_create (self->db, &account, password, &account_id, error))
        return FALSE;
      account_ids[i] = account_id;

      if (g_str_equal (person->role, "applicant"))
        {
          g_autofree char *cn = escape_dn_value (person->full_name);
          g_autofree char *title = escape_dn_value (person->position);
          g_autofree char *unit = escape_dn_value (person->unit);
          g_autofree char *dn_string = NULL;
          g_autofree char *p12_path = NULL;
          g_autofree char *cert_pem = NULL;
          g_autofree char *serial = NULL;
          g_autoptr(CabutDn) dn = NULL;
          g_autoptr(GBytes) p12 = NULL;
          g_autoptr(CabutCertificate) cert = NULL;
          g_autoptr(GBytes) pem_bytes = NULL;

          /* The shape of a civil servant's signing certificate: who, with
           * which NIK, in which post, of which agency. */
          dn_string = g_strdup_printf ("emailAddress=%s,CN=%s,serialNumber=%s,title=%s,OU=%s,O=%s,"
                                       "L=Kota Contoh,ST=Jawa Barat,C=ID",
                                       person->email, cn, person->nik, title, unit, DEMO_ORGANIZATION);
          if ((dn = cabut_dn_new_from_string (dn_string, error)) == NULL)
            return FALSE;

          p12_password = random_password ();
          if (!cabut_ca_issue (self->ca, dn, not_before, not_after, p12_password, &p12, &cert_pem,
                               &serial, error))
            return FALSE;

          pem_bytes = g_bytes_new (cert_pem, strlen (cert_pem));
          if ((cert = cabut_certificate_new_from_bytes (pem_bytes, NULL, error)) == NULL ||
              !cabut_registry_register (self->db, account_id, cert, error))
            return FALSE;

          p12_name = g_strdup_printf ("%s.p12", person->username);
          p12_path = g_build_filename (demo_dir, p12_name, NULL);
          if (!write_private (p12_path, g_bytes_get_data (p12, NULL), g_bytes_get_size (p12), error))
            return FALSE;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, person->username);
      json_builder_set_member_name (builder, "password");
      json_builder_add_string_value (builder, password);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, person->role);
      json_builder_set_member_name (builder, "full_name");
      json_builder_add_string_value (builder, person->full_name);
      json_builder_set_member_name (builder, "p12");
      if (p12_name != NULL)
        json_builder_add_string_value (builder, p12_name);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "p12_password");
      if (p12_password != NULL)
        json_builder_add_string_value (builder, p12_password);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);

      if (!cabut_server_audit (self, NULL, NULL, "demo.account", person->username, person->role, error))
        return FALSE;
    }

  json_builder_end_array (builder);
  if (!seed_complaints (self, account_ids, now, error))
    return FALSE;
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json = json_generator_to_data (generator, NULL);
  json_path = g_build_filename (demo_dir, "accounts.json", NULL);

  return write_private (json_path, json, strlen (json), error);
}
