/* test-model.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The typed objects the app binds to, read from the real service: a
 * CabutServer with its demo data, in this process, on loopback.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-server.h"
#include "cabut-test-util.h"

typedef struct
{
  char        *dir;
  CabutServer *server;
  char        *url;
  JsonNode    *accounts;
} Service;

static Service *service;   /* one demo service for the whole program */

static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

/* ---------------------------------------------------------------------- */

static Service *
service_new (void)
{
  Service *self = g_new0 (Service, 1);
  g_autofree char *accounts_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  self->dir = g_dir_make_tmp ("cabut-model-XXXXXX", NULL);
  self->server = cabut_server_new (self->dir, &error);
  g_assert_no_error (error);
  g_assert_true (cabut_server_listen (self->server, "127.0.0.1:0", NULL, &error));
  g_assert_no_error (error);
  self->url = cabut_server_get_url (self->server);
  g_assert_true (cabut_server_start_ca (self->server, self->url, TRUE, &error));
  g_assert_no_error (error);

  accounts_path = g_build_filename (self->dir, "demo", "accounts.json", NULL);
  json_parser_load_from_file (parser, accounts_path, &error);
  g_assert_no_error (error);
  self->accounts = json_node_copy (json_parser_get_root (parser));

  return self;
}

static void
service_free (Service *self)
{
  cabut_server_shutdown (self->server);
  g_clear_object (&self->server);
  cabut_test_rm_rf (self->dir);
  json_node_unref (self->accounts);
  g_free (self->dir);
  g_free (self->url);
  g_free (self);
}

/* A member of a demo account, e.g. account ("budi.santoso", "password"). */
static const char *
account (const char *username,
         const char *member)
{
  JsonArray *array = json_node_get_array (service->accounts);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (object, "username"), username))
        return json_object_get_string_member (object, member);
    }

  g_assert_not_reached ();
}

static CabutCertificate *
load_p12 (const char *username)
{
  g_autofree char *path = g_build_filename (service->dir, "demo", account (username, "p12"), NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CabutCertificate *certificate;

  certificate = cabut_certificate_new_from_file (file, account (username, "p12_password"), NULL, &error);
  g_assert_no_error (error);

  return certificate;
}

static CabutCertificate *
load_fixture (const char *name)
{
  g_autoptr(GFile) file = g_file_new_for_path (cabut_test_fixture_path (name));
  g_autoptr(GError) error = NULL;
  CabutCertificate *certificate;

  certificate = cabut_certificate_new_from_file (file, NULL, NULL, &error);
  g_assert_no_error (error);

  return certificate;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static CabutAmsClient *
client_new (const char *url)
{
  g_autoptr(GError) error = NULL;
  CabutAmsClient *client = cabut_ams_client_new (url, &error);

  g_assert_no_error (error);
  cabut_ams_client_set_language (client, "en");
  cabut_ams_client_set_retry_policy (client, 1, 0);

  return client;
}

static CabutAmsClient *
signed_in (const char *username)
{
  g_autoptr(CabutAmsClient) client = client_new (service->url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cabut_ams_client_sign_in_async (client, username, account (username, "password"), NULL, NULL,
                                  result_cb, &result);
  g_assert_true (cabut_ams_client_sign_in_finish (client, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_nonnull (cabut_ams_client_get_token (client));

  return g_steal_pointer (&client);
}

static CabutProfile *
get_profile (CabutAmsClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CabutProfile *profile;

  cabut_ams_client_get_profile_async (client, NULL, result_cb, &result);
  profile = cabut_ams_client_get_profile_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_true (CABUT_IS_PROFILE (profile));

  return profile;
}

/* ---------------------------------------------------------------------- */
/* Service information                                                     */

#define SERVICE_JSON \
  "{\"agency\":\"Pemerintah Kota Contoh\",\"service_name\":\"Pencabutan Sertifikat Elektronik\"," \
  "\"phone\":\"(022) 555-0100\",\"email\":\"layanan@contoh.go.id\",\"website\":\"https://ams.contoh.go.id\"," \
  "\"complaints_officer\":\"Petugas Pengaduan\",\"escalation\":null,\"office_hours\":\"Senin–Jumat 08.00–16.00\"," \
  "\"address\":\"Jl. Contoh No. 1, Kota Contoh\",\"service_days\":1,\"fee\":0,\"max_letter_size\":10485760}"

static void
test_service_info_from_string (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutServiceInfo) info = cabut_service_info_new_from_json_string (SERVICE_JSON, &error);
  g_autoptr(CabutServiceInfo) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *phone = NULL;
  guint64 max = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (cabut_service_info_get_agency (info), ==, "Pemerintah Kota Contoh");
  g_assert_cmpstr (cabut_service_info_get_service_name (info), ==, "Pencabutan Sertifikat Elektronik");
  g_assert_cmpstr (cabut_service_info_get_phone (info), ==, "(022) 555-0100");
  g_assert_cmpstr (cabut_service_info_get_email (info), ==, "layanan@contoh.go.id");
  g_assert_cmpstr (cabut_service_info_get_website (info), ==, "https://ams.contoh.go.id");
  g_assert_cmpstr (cabut_service_info_get_complaints_officer (info), ==, "Petugas Pengaduan");
  g_assert_null (cabut_service_info_get_escalation (info));
  g_assert_cmpstr (cabut_service_info_get_office_hours (info), ==, "Senin–Jumat 08.00–16.00");
  g_assert_cmpstr (cabut_service_info_get_address (info), ==, "Jl. Contoh No. 1, Kota Contoh");
  g_assert_cmpuint (cabut_service_info_get_service_days (info), ==, 1);
  g_assert_cmpuint (cabut_service_info_get_fee (info), ==, 0);
  g_assert_cmpuint (cabut_service_info_get_max_letter_size (info), ==, 10485760);

  /* What GTK binds to. */
  g_object_get (info, "phone", &phone, "max-letter-size", &max, NULL);
  g_assert_cmpstr (phone, ==, "(022) 555-0100");
  g_assert_cmpuint (max, ==, 10485760);

  /* The offline cache writes what the service sent. */
  json = cabut_service_info_to_json (info);
  g_assert_cmpstr (json, ==, SERVICE_JSON);
  again = cabut_service_info_new_from_json_string (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cabut_service_info_get_address (again), ==, "Jl. Contoh No. 1, Kota Contoh");
}

static void
test_service_info_malformed (void)
{
  const char *bad[] = {
    "{\"agency\": 5}",
    "[]",
    "not json",
    "{\"agency\":null,\"service_name\":null,\"phone\":null,\"email\":null,\"website\":null,"
    "\"complaints_officer\":null,\"escalation\":null,\"office_hours\":null,\"address\":null,"
    "\"service_days\":-1,\"fee\":0,\"max_letter_size\":1}",
    "{\"agency\":null,\"service_name\":null,\"phone\":null,\"email\":null,\"website\":null,"
    "\"complaints_officer\":null,\"escalation\":null,\"office_hours\":null,\"address\":null,"
    "\"service_days\":1,\"fee\":\"free\",\"max_letter_size\":1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CabutServiceInfo) info = cabut_service_info_new_from_json_string (bad[i], &error);

      g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL);
      g_assert_null (info);
    }
}

/* GET /api/v1/service, without a session; no --config: no texts. */
static void
test_service_info_live (void)
{
  g_autoptr(CabutAmsClient) client = client_new (service->url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutServiceInfo) info = NULL;

  cabut_ams_client_get_service_info_async (client, NULL, result_cb, &result);
  info = cabut_ams_client_get_service_info_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_null (cabut_service_info_get_agency (info));
  g_assert_null (cabut_service_info_get_phone (info));
  g_assert_cmpuint (cabut_service_info_get_service_days (info), ==, 1);
  g_assert_cmpuint (cabut_service_info_get_fee (info), ==, 0);
  g_assert_cmpuint (cabut_service_info_get_max_letter_size (info), ==, CABUT_SERVER_DEFAULT_MAX_LETTER);
}

/* ---------------------------------------------------------------------- */
/* Profile and the DN check                                                */

static void
test_profile (void)
{
  g_autoptr(CabutAmsClient) client = signed_in ("budi.santoso");
  g_autoptr(CabutProfile) profile = get_profile (client);
  g_autoptr(CabutCertificate) certificate = load_p12 ("budi.santoso");
  g_autoptr(CabutRegisteredCertificate) registered = NULL;
  g_autoptr(GListModel) bound = NULL;
  GListModel *certificates;
  CabutRole role = CABUT_ROLE_ADMIN;

  g_assert_cmpstr (cabut_profile_get_username (profile), ==, "budi.santoso");
  g_assert_cmpstr (cabut_profile_get_full_name (profile), ==, "Budi Santoso, S.Kom.");
  g_assert_cmpstr (cabut_profile_get_email (profile), ==, "budi.santoso@contoh.go.id");
  g_assert_cmpstr (cabut_profile_get_nik (profile), ==, "9973010101850001");
  g_assert_cmpstr (cabut_profile_get_nip (profile), ==, "198501012010011001");
  g_assert_cmpstr (cabut_profile_get_position (profile), ==, "Pranata Komputer Ahli Muda");
  g_assert_cmpstr (cabut_profile_get_unit (profile), ==, "Dinas Komunikasi dan Informatika");
  g_assert_cmpstr (cabut_profile_get_organization (profile), ==, "Pemerintah Kota Contoh");
  g_assert_cmpint (cabut_profile_get_role (profile), ==, CABUT_ROLE_APPLICANT);
  g_assert_false (cabut_profile_get_totp_enabled (profile));

  g_object_get (profile, "role", &role, "certificates", &bound, NULL);
  g_assert_cmpint (role, ==, CABUT_ROLE_APPLICANT);
  g_assert_true (bound == cabut_profile_get_certificates (profile));

  certificates = cabut_profile_get_certificates (profile);
  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 1);
  g_assert_true (g_list_model_get_item_type (certificates) == CABUT_TYPE_REGISTERED_CERTIFICATE);
  registered = g_list_model_get_item (certificates, 0);
  g_assert_cmpstr (cabut_registered_certificate_get_serial (registered), ==,
                   cabut_certificate_get_serial (certificate));
  g_assert_cmpstr (cabut_registered_certificate_get_subject (registered), ==,
                   cabut_certificate_get_subject_string (certificate));
  g_assert_cmpstr (cabut_registered_certificate_get_issuer (registered), ==,
                   cabut_certificate_get_issuer_string (certificate));
  g_assert_cmpstr (cabut_registered_certificate_get_status (registered), ==, "valid");
  g_assert_false (cabut_registered_certificate_get_revoked (registered));
  g_assert_null (cabut_registered_certificate_get_revoked_at (registered));
  g_assert_null (cabut_registered_certificate_get_reason (registered));
  g_assert_cmpint (g_date_time_to_unix (cabut_registered_certificate_get_not_before (registered)), ==,
                   g_date_time_to_unix (cabut_certificate_get_not_before (certificate)));
  g_assert_cmpint (g_date_time_to_unix (cabut_registered_certificate_get_not_after (registered)), ==,
                   g_date_time_to_unix (cabut_certificate_get_not_after (certificate)));
}

/* An account holding more certificates than /me's first page (200): the
 * client follows certificates_next to the last, every one once, in order. */
static void
test_profile_many_certificates (void)
{
  g_autofree char *path = g_build_filename (service->dir, "cabut.db", NULL);
  g_autoptr(CabutAmsClient) client = NULL;
  g_autoptr(CabutProfile) profile = NULL;
  GListModel *certificates;
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO certificates (account_id, serial, issuer, subject, "
                                           "subject_der, not_before, not_after) SELECT a.id, ?, c.issuer, "
                                           "'CN=Siti', X'3000', ?, ? FROM accounts a JOIN certificates c "
                                           "ON c.account_id = a.id WHERE a.username = 'siti.rahmawati' LIMIT 1",
                                       -1, &insert, NULL), ==, SQLITE_OK);
  for (int i = 0; i < 449; i++)
    {
      g_autofree char *serial = g_strdup_printf ("51%06X", i);

      sqlite3_bind_text (insert, 1, serial, -1, SQLITE_TRANSIENT);
      /* Ties on not_before: the id orders them. */
      sqlite3_bind_int64 (insert, 2, 1600000000 + i / 3);
      sqlite3_bind_int64 (insert, 3, 1900000000);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
    }
  sqlite3_finalize (insert);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  client = signed_in ("siti.rahmawati");
  profile = get_profile (client);
  certificates = cabut_profile_get_certificates (profile);
  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 450);
  for (guint i = 0; i < 449; i++)
    {
      g_autoptr(CabutRegisteredCertificate) one = g_list_model_get_item (certificates, i);
      g_autofree char *serial = g_strdup_printf ("51%06X", i);

      g_assert_cmpstr (cabut_registered_certificate_get_serial (one), ==, serial);
    }
}

static void
test_match_own_certificate (void)
{
  g_autoptr(CabutAmsClient) client = signed_in ("budi.santoso");
  g_autoptr(CabutProfile) profile = get_profile (client);
  g_autoptr(CabutCertificate) certificate = load_p12 ("budi.santoso");
  g_autoptr(CabutRegisteredCertificate) registered = NULL;
  g_autoptr(GPtrArray) differences = NULL;

  g_assert_cmpint (cabut_profile_match_certificate (profile, certificate, &registered, &differences), ==,
                   CABUT_CERTIFICATE_MATCH_OK);
  g_assert_cmpstr (cabut_registered_certificate_get_serial (registered), ==,
                   cabut_certificate_get_serial (certificate));
  g_assert_cmpuint (differences->len, ==, 0);

  /* Both outs are optional. */
  g_assert_cmpint (cabut_profile_match_certificate (profile, certificate, NULL, NULL), ==,
                   CABUT_CERTIFICATE_MATCH_OK);
}

static void
assert_difference (GPtrArray  *differences,
                   guint       index,
                   const char *name,
                   const char *registered,
                   const char *file)
{
  const CabutDnDifference *difference;

  g_assert_cmpuint (index, <, differences->len);
  difference = g_ptr_array_index (differences, index);
  g_assert_cmpstr (difference->name, ==, name);
  g_assert_nonnull (difference->label);
  g_assert_cmpstr (difference->registered, ==, registered);
  g_assert_cmpstr (difference->file, ==, file);
}

static void
test_match_someone_elses_certificate (void)
{
  g_autoptr(CabutAmsClient) client = signed_in ("budi.santoso");
  g_autoptr(CabutProfile) profile = get_profile (client);
  g_autoptr(CabutCertificate) budi = load_p12 ("budi.santoso");
  g_autoptr(CabutCertificate) siti = load_p12 ("siti.rahmawati");
  g_autoptr(CabutRegisteredCertificate) registered = NULL;
  g_autoptr(GPtrArray) differences = NULL;

  g_assert_cmpint (cabut_profile_match_certificate (profile, siti, &registered, &differences), ==,
                   CABUT_CERTIFICATE_MATCH_NOT_REGISTERED);

  /* The closest of budi's own: his only one. */
  g_assert_cmpstr (cabut_registered_certificate_get_serial (registered), ==, cabut_certificate_get_serial (budi));

  /* The demo DNs share O, L, ST and C, and differ in everything personal. */
  g_assert_cmpuint (differences->len, ==, 5);
  assert_difference (differences, 0, "emailAddress", "budi.santoso@contoh.go.id", "siti.rahmawati@contoh.go.id");
  assert_difference (differences, 1, "CN", "Budi Santoso, S.Kom.", "Siti Rahmawati, S.E.");
  assert_difference (differences, 2, "serialNumber", "9973010101850001", "9973014506900002");
  assert_difference (differences, 3, "title", "Pranata Komputer Ahli Muda", "Analis Keuangan");
  assert_difference (differences, 4, "OU", "Dinas Komunikasi dan Informatika", "Badan Pengelolaan Keuangan Daerah");
}

/* A profile as the service would send it, for cases the demo has not. */
static CabutProfile *
profile_with (CabutCertificate *certificate,
              const char       *serial,
              const char       *subject,
              const char       *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  CabutProfile *profile;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, "budi.santoso");
  json_builder_set_member_name (builder, "full_name");
  json_builder_add_string_value (builder, "Budi Santoso, S.Kom.");
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "applicant");
  json_builder_set_member_name (builder, "totp_enabled");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "certificates");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "serial");
  json_builder_add_string_value (builder, serial);
  json_builder_set_member_name (builder, "issuer");
  json_builder_add_string_value (builder, cabut_certificate_get_issuer_string (certificate));
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, subject);
  json_builder_set_member_name (builder, "not_before");
  json_builder_add_string_value (builder, "2026-01-05T01:00:00Z");
  json_builder_set_member_name (builder, "not_after");
  json_builder_add_string_value (builder, "2028-01-05T01:00:00Z");
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_set_member_name (builder, "revoked_at");
  if (g_str_equal (status, "revoked"))
    json_builder_add_string_value (builder, "2026-03-02T03:04:05Z");
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reason");
  if (g_str_equal (status, "revoked"))
    json_builder_add_string_value (builder, "keyCompromise");
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  profile = cabut_profile_new_from_json (node, &error);
  g_assert_no_error (error);

  return profile;
}

static void
test_match_subject_and_revoked (void)
{
  g_autoptr(CabutCertificate) certificate = load_fixture ("rsa2048.pem");
  const char *serial = cabut_certificate_get_serial (certificate);
  g_autofree char *lower = g_ascii_strdown (serial, -1);
  g_autoptr(CabutProfile) other_subject = NULL;
  g_autoptr(CabutProfile) folded = NULL;
  g_autoptr(CabutProfile) revoked = NULL;
  g_autoptr(CabutRegisteredCertificate) registered = NULL;
  g_autoptr(GPtrArray) differences = NULL;
  g_autofree char *shouting = g_ascii_strup (cabut_certificate_get_subject_string (certificate), -1);

  /* Same serial, another person. */
  other_subject = profile_with (certificate, serial,
                                "CN=Budi Santoso,OU=Dinas Komunikasi dan Informatika,"
                                "O=Pemerintah Kota Contoh,L=Kota Bandung,ST=Jawa Barat", "valid");
  g_assert_cmpint (cabut_profile_match_certificate (other_subject, certificate, &registered, &differences), ==,
                   CABUT_CERTIFICATE_MATCH_SUBJECT_DIFFERS);
  g_assert_cmpuint (differences->len, ==, 2);
  assert_difference (differences, 0, "emailAddress", NULL, "budi.santoso@contoh.go.id");
  assert_difference (differences, 1, "C", NULL, "ID");
  g_clear_object (&registered);
  g_clear_pointer (&differences, g_ptr_array_unref);

  /* RFC 5280: case and runs of white space do not count; nor does the case of the serial. */
  folded = profile_with (certificate, lower, shouting, "valid");
  g_assert_cmpint (cabut_profile_match_certificate (folded, certificate, NULL, &differences), ==,
                   CABUT_CERTIFICATE_MATCH_OK);
  g_assert_cmpuint (differences->len, ==, 0);
  g_clear_pointer (&differences, g_ptr_array_unref);

  revoked = profile_with (certificate, serial, cabut_certificate_get_subject_string (certificate), "revoked");
  g_assert_cmpint (cabut_profile_match_certificate (revoked, certificate, &registered, NULL), ==,
                   CABUT_CERTIFICATE_MATCH_ALREADY_REVOKED);
  g_assert_true (cabut_registered_certificate_get_revoked (registered));
  g_assert_cmpstr (cabut_registered_certificate_get_reason (registered), ==, "keyCompromise");
  g_assert_nonnull (cabut_registered_certificate_get_revoked_at (registered));
}

static void
test_dn_value_equal (void)
{
  g_assert_true (cabut_dn_value_equal ("Budi  Santoso", " budi santoso "));
  g_assert_true (cabut_dn_value_equal ("DINAS", "dinas"));
  g_assert_false (cabut_dn_value_equal ("Budi Santoso", "BudiSantoso"));
  g_assert_false (cabut_dn_value_equal ("Budi", "Siti"));
}

/* ---------------------------------------------------------------------- */
/* Reasons                                                                 */

static void
test_reasons (void)
{
  g_autoptr(CabutAmsClient) client = signed_in ("budi.santoso");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) reasons = NULL;
  const CabutReasonInfo *infos;
  guint n = 0;

  cabut_ams_client_list_reasons_async (client, NULL, result_cb, &result);
  reasons = cabut_ams_client_list_reasons_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);

  /* The service lists every reason it knows, flagging the officers' one;
   * offering only the others to an applicant is the app's job. */
  infos = cabut_reason_list (&n);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (reasons), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CabutReasonItem) item = g_list_model_get_item (reasons, i);

      g_assert_cmpint (cabut_reason_item_get_code (item), ==, infos[i].code);
      g_assert_cmpstr (cabut_reason_item_get_name (item), ==, infos[i].name);
      g_assert_cmpstr (cabut_reason_item_get_label (item), ==, cabut_reason_get_label_for (&infos[i], "en"));
      g_assert_cmpstr (cabut_reason_item_get_help (item), ==, cabut_reason_get_help_for (&infos[i], "en"));
      g_assert_cmpint (cabut_reason_item_get_operator_only (item), ==,
                       g_str_equal (infos[i].name, "privilegeWithdrawn"));
      g_assert_cmpstr (cabut_reason_item_get_name (item), !=, "certificateHold");

      if (g_str_equal (infos[i].name, "keyCompromise"))
        {
          g_assert_cmpint (cabut_reason_item_get_code (item), ==, 1);
          g_assert_cmpstr (cabut_reason_item_get_label (item), ==, "My key is lost or known to others");
        }
    }

  /* The same answer, in Indonesian. */
  {
    g_autoptr(GAsyncResult) id_result = NULL;
    g_autoptr(GListModel) id_reasons = NULL;
    g_autoptr(CabutReasonItem) first = NULL;

    cabut_ams_client_set_language (client, "id");
    cabut_ams_client_list_reasons_async (client, NULL, result_cb, &id_result);
    id_reasons = cabut_ams_client_list_reasons_finish (client, wait_for (&id_result), &error);
    g_assert_no_error (error);
    first = g_list_model_get_item (id_reasons, 0);
    g_assert_cmpstr (cabut_reason_item_get_label (first), ==, cabut_reason_get_label_for (&infos[0], "id"));
  }
}

/* ---------------------------------------------------------------------- */
/* Submissions and requests                                                */

static CabutRequest *
send (CabutAmsClient  *client,
      CabutSubmission *submission)
{
  g_autoptr(GBytes) letter = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CabutRequest *request;

  cabut_ams_client_send_async (client, submission, letter, "surat.pdf", NULL, NULL, NULL, result_cb, &result);
  request = cabut_ams_client_send_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_true (CABUT_IS_REQUEST (request));

  return request;
}

static void
test_submission_without_key (void)
{
  g_autoptr(CabutCertificate) with_key = load_p12 ("agus.wijaya");
  g_autofree char *pem = cabut_certificate_to_pem (with_key);
  g_autoptr(GBytes) pem_bytes = g_bytes_new (pem, strlen (pem));
  g_autoptr(CabutCertificate) certificate = NULL;
  g_autoptr(CabutSubmission) submission = NULL;
  g_autoptr(GError) error = NULL;

  certificate = cabut_certificate_new_from_bytes (pem_bytes, NULL, &error);
  g_assert_no_error (error);
  submission = cabut_submission_new (certificate, "superseded", NULL, "model-no-key", &error);
  g_assert_no_error (error);
  g_assert_false (cabut_submission_has_key_proof (submission));
  g_assert_null (cabut_submission_get_signature (submission));
  g_assert_cmpstr (cabut_submission_get_idempotency_key (submission), ==, "model-no-key");
}

static void
test_submission_and_request (void)
{
  g_autoptr(CabutAmsClient) client = signed_in ("budi.santoso");
  g_autoptr(CabutCertificate) certificate = load_p12 ("budi.santoso");
  g_autoptr(CabutSubmission) submission = NULL;
  g_autoptr(CabutSubmission) from_outbox = NULL;
  g_autoptr(CabutRequest) first = NULL;
  g_autoptr(CabutRequest) second = NULL;
  g_autoptr(CabutRequest) third = NULL;
  g_autoptr(CabutRequest) fetched = NULL;
  g_autoptr(CabutRequestEvent) event = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) list_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) metadata = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autofree guchar *decoded = NULL;
  JsonObject *object;
  CabutRequestState state = CABUT_REQUEST_STATE_CANCELLED;
  gsize len = 0;

  submission = cabut_submission_new (certificate, "keyCompromise", "Laptop hilang", "model-key-1", &error);
  g_assert_no_error (error);
  g_assert_true (cabut_submission_has_key_proof (submission));
  g_assert_cmpstr (cabut_submission_get_idempotency_key (submission), ==, "model-key-1");

  /* The metadata part, as cabut_ams_client_submit_async() always built it. */
  metadata = json_from_string (g_bytes_get_data (cabut_submission_get_metadata (submission), NULL), &error);
  g_assert_no_error (error);
  object = json_node_get_object (metadata);
  g_assert_cmpuint (json_object_get_size (object), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (object, "serial"), ==, cabut_certificate_get_serial (certificate));
  g_assert_cmpstr (json_object_get_string_member (object, "subject"), ==,
                   cabut_certificate_get_subject_string (certificate));
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "keyCompromise");
  g_assert_cmpstr (json_object_get_string_member (object, "note"), ==, "Laptop hilang");
  g_assert_cmpstr (json_object_get_string_member (object, "idempotency_key"), ==, "model-key-1");

  /* The proof of possession: the metadata bytes, signed with the key. */
  decoded = g_base64_decode (cabut_submission_get_signature (submission), &len);
  signature = g_bytes_new (decoded, len);
  g_assert_true (cabut_certificate_verify_signature (certificate, cabut_submission_get_metadata (submission),
                                                     signature));

  first = send (client, submission);
  g_assert_true (g_str_has_prefix (cabut_request_get_id (first), "CBT-"));
  g_assert_cmpint (cabut_request_get_state (first), ==, CABUT_REQUEST_STATE_SUBMITTED);
  g_assert_true (cabut_request_get_key_possession (first));
  g_assert_cmpstr (cabut_request_get_reason (first), ==, "keyCompromise");
  g_assert_cmpstr (cabut_request_get_reason_label (first), ==, "My key is lost or known to others");
  g_assert_cmpstr (cabut_request_get_note (first), ==, "Laptop hilang");
  g_assert_cmpstr (cabut_request_get_serial (first), ==, cabut_certificate_get_serial (certificate));
  g_assert_cmpstr (cabut_request_get_subject (first), ==, cabut_certificate_get_subject_string (certificate));
  g_assert_cmpstr (cabut_request_get_issuer (first), ==, cabut_certificate_get_issuer_string (certificate));
  g_assert_cmpstr (cabut_request_get_applicant_username (first), ==, "budi.santoso");
  g_assert_cmpstr (cabut_request_get_applicant_name (first), ==, "Budi Santoso, S.Kom.");
  g_assert_cmpstr (cabut_request_get_letter_type (first), ==, "application/pdf");
  g_assert_cmpuint (cabut_request_get_letter_size (first), ==, sizeof pdf - 1);
  g_assert_cmpuint (strlen (cabut_request_get_letter_sha256 (first)), ==, 64);
  g_assert_nonnull (cabut_request_get_created_at (first));
  g_assert_nonnull (cabut_request_get_due (first));
  g_assert_cmpint (g_date_time_compare (cabut_request_get_due (first), cabut_request_get_created_at (first)), >, 0);
  g_assert_null (cabut_request_get_decided_at (first));
  g_assert_false (cabut_request_get_overdue (first));
  /* The service read the letter for its code: this one is no PDF poppler opens. */
  g_assert_true (cabut_request_get_letter_checked (first));
  g_assert_cmpint (cabut_request_get_letter_match (first), ==, CABUT_LETTER_MATCH_UNREADABLE);
  g_assert_null (cabut_request_get_letter_code (first));

  g_object_get (first, "state", &state, "due", &due, NULL);
  g_assert_cmpint (state, ==, CABUT_REQUEST_STATE_SUBMITTED);
  g_assert_true (g_date_time_equal (due, cabut_request_get_due (first)));

  g_assert_true (cabut_request_has_events (first));
  g_assert_cmpuint (g_list_model_get_n_items (cabut_request_get_events (first)), ==, 1);
  event = g_list_model_get_item (cabut_request_get_events (first), 0);
  g_assert_cmpint (cabut_request_event_get_state (event), ==, CABUT_REQUEST_STATE_SUBMITTED);
  g_assert_cmpstr (cabut_request_event_get_actor_username (event), ==, "budi.santoso");
  g_assert_cmpstr (cabut_request_event_get_actor_name (event), ==, "Budi Santoso, S.Kom.");
  g_assert_cmpstr (cabut_request_event_get_actor_role (event), ==, "applicant");
  g_assert_nonnull (cabut_request_event_get_at (event));
  g_assert_nonnull (cabut_request_event_get_kind (event));

  /* Sent again with the same key: the same request, not a second one. */
  second = send (client, submission);
  g_assert_cmpstr (cabut_request_get_id (second), ==, cabut_request_get_id (first));

  /* From the outbox after a crash: the same bytes, the same request. */
  from_outbox = cabut_submission_new_from_parts (cabut_submission_get_metadata (submission),
                                                 cabut_submission_get_signature (submission),
                                                 cabut_submission_get_idempotency_key (submission));
  g_assert_true (cabut_submission_has_key_proof (from_outbox));
  third = send (client, from_outbox);
  g_assert_cmpstr (cabut_request_get_id (third), ==, cabut_request_get_id (first));

  /* The key again, with another letter or other metadata: not a retry but
   * another request under a reused key — refused (422), nothing recorded. */
  {
    static const char other_pdf[] = "%PDF-1.4\n% surat yang lain\n%%EOF\n";
    g_autoptr(GBytes) other_letter = g_bytes_new_static (other_pdf, sizeof other_pdf - 1);
    g_autoptr(GBytes) letter = g_bytes_new_static (pdf, sizeof pdf - 1);
    g_autoptr(CabutSubmission) other_note = NULL;
    g_autoptr(GAsyncResult) r1 = NULL;
    g_autoptr(GAsyncResult) r2 = NULL;
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;
    g_autoptr(CabutRequest) none1 = NULL;
    g_autoptr(CabutRequest) none2 = NULL;

    cabut_ams_client_send_async (client, submission, other_letter, "surat.pdf", NULL, NULL, NULL, result_cb, &r1);
    none1 = cabut_ams_client_send_finish (client, wait_for (&r1), &e1);
    g_assert_null (none1);
    g_assert_error (e1, CABUT_AMS_ERROR, CABUT_AMS_ERROR_BAD_REQUEST);
    g_assert_nonnull (strstr (e1->message, "Idempotency-Key"));

    other_note = cabut_submission_new (certificate, "keyCompromise", "Catatan yang lain",
                                       cabut_submission_get_idempotency_key (submission), &error);
    g_assert_no_error (error);
    cabut_ams_client_send_async (client, other_note, letter, "surat.pdf", NULL, NULL, NULL, result_cb, &r2);
    none2 = cabut_ams_client_send_finish (client, wait_for (&r2), &e2);
    g_assert_null (none2);
    g_assert_error (e2, CABUT_AMS_ERROR, CABUT_AMS_ERROR_BAD_REQUEST);
    g_assert_nonnull (strstr (e2->message, "Idempotency-Key"));
  }

  cabut_ams_client_get_request_async (client, cabut_request_get_id (first), NULL, result_cb, &result);
  fetched = cabut_ams_client_get_request_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cabut_request_get_id (fetched), ==, cabut_request_get_id (first));
  g_assert_true (cabut_request_has_events (fetched));
  g_assert_true (cabut_request_get_key_possession (fetched));

  cabut_ams_client_list_requests_async (client, NULL, result_cb, &list_result);
  list = cabut_ams_client_list_requests_finish (client, wait_for (&list_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  {
    g_autoptr(CabutRequest) listed = g_list_model_get_item (list, 0);

    g_assert_cmpstr (cabut_request_get_id (listed), ==, cabut_request_get_id (first));
    g_assert_cmpint (cabut_request_get_state (listed), ==, CABUT_REQUEST_STATE_SUBMITTED);
    /* Lists leave the events out. */
    g_assert_false (cabut_request_has_events (listed));
  }
}

static void
test_request_state (void)
{
  static const struct {
    CabutRequestState  state;
    const char        *name;
    const char        *label;
    gboolean           open;
  } states[] = {
    { CABUT_REQUEST_STATE_SUBMITTED, "submitted", "Submitted", TRUE },
    { CABUT_REQUEST_STATE_IN_REVIEW, "in_review", "In review", TRUE },
    { CABUT_REQUEST_STATE_REVOKED, "revoked", "Revoked", FALSE },
    { CABUT_REQUEST_STATE_REJECTED, "rejected", "Rejected", FALSE },
    { CABUT_REQUEST_STATE_CANCELLED, "cancelled", "Cancelled", FALSE },
  };
  CabutRequestState parsed;
  GEnumClass *klass;

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_assert_cmpstr (cabut_request_state_to_string (states[i].state), ==, states[i].name);
      g_assert_true (cabut_request_state_from_string (states[i].name, &parsed));
      g_assert_cmpint (parsed, ==, states[i].state);
      g_assert_cmpstr (cabut_request_state_to_label (states[i].state), ==, states[i].label);
      g_assert_cmpint (cabut_request_state_is_open (states[i].state), ==, states[i].open);
    }
  g_assert_false (cabut_request_state_from_string ("approved", &parsed));
  g_assert_false (cabut_request_state_from_string (NULL, &parsed));

  /* Registered with glib-mkenums, for GTK to bind. */
  klass = g_type_class_ref (CABUT_TYPE_REQUEST_STATE);
  g_assert_cmpstr (g_enum_get_value (klass, CABUT_REQUEST_STATE_IN_REVIEW)->value_nick, ==, "in-review");
  g_type_class_unref (klass);
  g_assert_true (G_TYPE_IS_ENUM (CABUT_TYPE_ROLE));
  g_assert_true (G_TYPE_IS_ENUM (CABUT_TYPE_CERTIFICATE_MATCH_RESULT));
}

/* A rejected request as the service answers it, with its timeline. */
static CabutRequest *
rejected_request (const char *serial)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  CabutRequest *request;

  json = g_strdup_printf ("{\"id\": \"CBT-2026-000007\", \"status\": \"rejected\", \"reason\": \"superseded\","
                          " \"reason_label\": \"I have a new certificate\", \"note\": \"Sertifikat baru terbit\","
                          " \"certificate\": {\"serial\": \"%s\", \"subject\": \"CN=Agus,C=ID\", \"issuer\": \"CN=CA,C=ID\"},"
                          " \"applicant\": {\"username\": \"agus.wijaya\", \"full_name\": \"Agus Wijaya\"},"
                          " \"letter\": {\"sha256\": null, \"type\": \"application/pdf\", \"size\": 1000},"
                          " \"key_possession\": false, \"letter_match\": null, \"letter_code\": null,"
                          " \"created_at\": \"2026-03-01T02:00:00Z\", \"due\": \"2026-03-02T16:59:00Z\","
                          " \"decided_at\": \"2026-03-02T02:00:00Z\", \"overdue\": false, \"events\": ["
                          "  {\"id\": 1, \"at\": \"2026-03-01T02:00:00Z\", \"kind\": \"submitted\", \"status\": \"submitted\","
                          "   \"note\": \"Sertifikat baru terbit\", \"actor\": {\"username\": \"agus.wijaya\","
                          "   \"full_name\": \"Agus Wijaya\", \"role\": \"applicant\"}},"
                          "  {\"id\": 2, \"at\": \"2026-03-02T02:00:00Z\", \"kind\": \"rejected\", \"status\": \"rejected\","
                          "   \"note\": \"Surat belum ditandatangani\", \"actor\": {\"username\": \"dewi.verifikator\","
                          "   \"full_name\": \"Dewi Lestari\", \"role\": \"operator\"}}]}",
                          serial);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  request = cabut_request_new_from_json (node, &error);
  g_assert_no_error (error);

  return request;
}

/* File Again: the officer's note read from the timeline; a new draft with
 * a new key, the request's reason and note, and the kept draft's
 * certificate only when it is the one the request was for. */
static void
test_request_file_again (void)
{
  g_autoptr(CabutCertificate) certificate = load_fixture ("rsa2048.pem");
  g_autofree char *serial = g_strdup (cabut_certificate_get_serial (certificate));
  g_autofree char *colons = NULL;
  g_autoptr(CabutRequest) rejected = NULL;
  g_autoptr(CabutRequest) other = rejected_request ("0A0B0C");
  g_autoptr(CabutDraft) kept = cabut_draft_new ();
  g_autoptr(CabutDraft) again = NULL;
  g_autoptr(CabutDraft) elsewhere = NULL;
  g_autoptr(CabutDraft) mismatched = NULL;
  g_autoptr(GFile) file = g_file_new_for_path ("/tmp/agus.p12");
  GString *spaced = g_string_new (NULL);

  /* The serial as OpenSSL prints it, in lower case: the same certificate. */
  for (const char *p = serial; *p != '\0'; p++)
    {
      if (p != serial && (p - serial) % 2 == 0)
        g_string_append_c (spaced, ':');
      g_string_append_c (spaced, g_ascii_tolower (*p));
    }
  colons = g_string_free (spaced, FALSE);
  rejected = rejected_request (colons);
  g_assert_cmpstr (cabut_request_get_rejection_note (rejected), ==, "Surat belum ditandatangani");

  cabut_draft_set_certificate (kept, certificate);
  cabut_draft_set_certificate_file (kept, file);
  cabut_draft_set_state (kept, CABUT_DRAFT_STATE_SENT);
  cabut_draft_set_request_id (kept, "CBT-2026-000007");

  again = cabut_draft_new_again (rejected, kept);
  g_assert_cmpstr (cabut_draft_get_idempotency_key (again), !=, cabut_draft_get_idempotency_key (kept));
  g_assert_cmpint (cabut_draft_get_state (again), ==, CABUT_DRAFT_STATE_EDITING);
  g_assert_null (cabut_draft_get_request_id (again));
  g_assert_cmpstr (cabut_draft_get_previous_request_id (again), ==, "CBT-2026-000007");
  g_assert_cmpstr (cabut_draft_get_rejection_note (again), ==, "Surat belum ditandatangani");
  g_assert_cmpstr (cabut_draft_get_reason (again), ==, "superseded");
  g_assert_cmpstr (cabut_draft_get_note (again), ==, "Sertifikat baru terbit");
  g_assert_cmpstr (cabut_draft_get_username (again), ==, "agus.wijaya");
  g_assert_true (cabut_draft_get_certificate (again) == certificate);
  g_assert_true (g_file_equal (cabut_draft_get_certificate_file (again), file));
  g_assert_null (cabut_draft_get_letter_file (again));

  /* Filed from another computer: the certificate is asked for. */
  elsewhere = cabut_draft_new_again (rejected, NULL);
  g_assert_null (cabut_draft_get_certificate (elsewhere));
  g_assert_null (cabut_draft_get_certificate_file (elsewhere));
  g_assert_cmpstr (cabut_draft_get_reason (elsewhere), ==, "superseded");

  /* A kept draft of another certificate is not used. */
  mismatched = cabut_draft_new_again (other, kept);
  g_assert_null (cabut_draft_get_certificate (mismatched));

}

/* What the service said of the letter's code: a result, or not checked
 * (null, or absent from a service that does not check letters); a name
 * Cabut does not know is a malformed answer. */
static void
test_request_letter_match (void)
{
  static const struct {
    const char       *member;    /* NULL: absent */
    gboolean          valid;
    gboolean          checked;
    CabutLetterMatch  match;
  } cases[] = {
    { NULL, TRUE, FALSE, CABUT_LETTER_MATCH_NO_CODE },
    { "\"letter_match\": null, \"letter_code\": null,", TRUE, FALSE, CABUT_LETTER_MATCH_NO_CODE },
    { "\"letter_match\": \"yes\", \"letter_code\": \"CABUT1:0A:AB:KEYCOMPROMISE:K\",", TRUE, TRUE,
      CABUT_LETTER_MATCH_YES },
    { "\"letter_match\": \"other_certificate\", \"letter_code\": \"CABUT1:0B:CD:KEYCOMPROMISE:K\",", TRUE,
      TRUE, CABUT_LETTER_MATCH_OTHER_CERTIFICATE },
    { "\"letter_match\": \"no_code\",", TRUE, TRUE, CABUT_LETTER_MATCH_NO_CODE },
    { "\"letter_match\": \"maybe\",", FALSE },
    { "\"letter_match\": \"other-reason\",", FALSE },
    { "\"letter_match\": 1,", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"id\": \"CBT-2026-000001\", \"status\": \"submitted\", \"reason\": \"keyCompromise\","
        " \"reason_label\": \"Kunci bocor\", \"note\": null,"
        " \"certificate\": {\"serial\": \"0A\", \"subject\": \"CN=Budi\", \"issuer\": \"CN=CA\"},"
        " \"applicant\": {\"username\": \"budi.santoso\", \"full_name\": \"Budi\"},"
        " \"letter\": {\"sha256\": \"ab\", \"type\": \"application/pdf\", \"size\": 1},"
        " \"key_possession\": false, %s \"created_at\": \"2026-05-04T03:00:00Z\", \"due\": null,"
        " \"decided_at\": null, \"overdue\": false}", cases[i].member ? cases[i].member : "");
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (json, &error);
      g_autoptr(CabutRequest) request = NULL;
      CabutLetterMatch match = CABUT_LETTER_MATCH_UNREADABLE;
      gboolean checked = !cases[i].checked;

      g_assert_no_error (error);
      request = cabut_request_new_from_json (node, &error);
      if (!cases[i].valid)
        {
          g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL);
          g_assert_nonnull (strstr (error->message, "letter_match"));
          g_assert_null (request);
          continue;
        }
      g_assert_no_error (error);
      g_object_get (request, "letter-checked", &checked, "letter-match", &match, NULL);
      g_assert_cmpint (checked, ==, cases[i].checked);
      g_assert_cmpint (match, ==, cases[i].match);
      g_assert_cmpint (cabut_request_get_letter_checked (request), ==, cases[i].checked);
      g_assert_cmpint (cabut_request_get_letter_match (request), ==, cases[i].match);
    }
}

/* ---------------------------------------------------------------------- */
/* Malformed answers                                                       */

static void
scripted_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  static const struct {
    const char *path;
    const char *type;
    const char *body;
  } answers[] = {
    { "/api/v1/service", "application/json", "{\"agency\": 5}" },
    { "/api/v1/me", "application/json", "[]" },
    { "/api/v1/reasons", "application/json", "{\"reasons\": [{\"code\": 1, \"name\": \"keyCompromise\"}]}" },
    { "/api/v1/requests", "application/json", "{\"requests\": [{\"id\": \"CBT-2026-000001\"}]}" },
    { "/api/v1/requests/CBT-2026-000001", "application/json", "{\"id\": 7}" },
    { "/api/v1/session", "application/json", "{\"expires_at\": \"2026-12-02T00:00:00Z\"}" },
    { "/pki/ca.pem", "application/pem-certificate-chain", "-----BEGIN CERTIFICATE-----\nAAAA\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    if (g_str_equal (path, answers[i].path))
      {
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, answers[i].type, SOUP_MEMORY_STATIC,
                                          answers[i].body, strlen (answers[i].body));
        return;
      }

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
assert_protocol_error (CabutAmsClient *client,
                       GAsyncResult   *result,
                       gpointer      (*finish) (CabutAmsClient *, GAsyncResult *, GError **))
{
  g_autoptr(GError) error = NULL;
  gpointer value = finish (client, result, &error);

  g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL);
  g_assert_null (value);
}

static void
test_malformed_answers (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutAmsClient) client = NULL;
  g_autofree char *url = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, scripted_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  client = client_new (url);
  cabut_ams_client_set_token (client, "scripted");

  {
    g_autoptr(GAsyncResult) result = NULL;
    cabut_ams_client_get_service_info_async (client, NULL, result_cb, &result);
    assert_protocol_error (client, wait_for (&result), (gpointer) cabut_ams_client_get_service_info_finish);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    cabut_ams_client_get_profile_async (client, NULL, result_cb, &result);
    assert_protocol_error (client, wait_for (&result), (gpointer) cabut_ams_client_get_profile_finish);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    cabut_ams_client_list_reasons_async (client, NULL, result_cb, &result);
    assert_protocol_error (client, wait_for (&result), (gpointer) cabut_ams_client_list_reasons_finish);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    cabut_ams_client_list_requests_async (client, NULL, result_cb, &result);
    assert_protocol_error (client, wait_for (&result), (gpointer) cabut_ams_client_list_requests_finish);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    cabut_ams_client_get_request_async (client, "CBT-2026-000001", NULL, result_cb, &result);
    assert_protocol_error (client, wait_for (&result), (gpointer) cabut_ams_client_get_request_finish);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    cabut_ams_client_get_ca_async (client, NULL, result_cb, &result);
    assert_protocol_error (client, wait_for (&result), (gpointer) cabut_ams_client_get_ca_finish);
  }
  {
    /* A sign-in answered without a token is no sign-in. */
    g_autoptr(GAsyncResult) result = NULL;

    cabut_ams_client_set_token (client, NULL);
    cabut_ams_client_sign_in_async (client, "budi.santoso", "x", NULL, NULL, result_cb, &result);
    g_assert_false (cabut_ams_client_sign_in_finish (client, wait_for (&result), &error));
    g_assert_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL);
    g_assert_null (cabut_ams_client_get_token (client));
  }

  soup_server_disconnect (server);
}

/* ---------------------------------------------------------------------- */
/* The CA                                                                  */

static void
test_ca_chain (void)
{
  g_autoptr(CabutAmsClient) client = client_new (service->url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(CabutCertificate) budi = load_p12 ("budi.santoso");
  g_autoptr(CabutCertificate) fixture_ca = load_fixture ("ca-issuing.pem");
  g_autoptr(CabutCertificate) fixture_leaf = load_fixture ("rsa2048.pem");
  CabutCertificate *issuing;
  CabutCertificate *root;

  cabut_ams_client_get_ca_async (client, NULL, result_cb, &result);
  chain = cabut_ams_client_get_ca_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chain->len, ==, 2);
  issuing = g_ptr_array_index (chain, 0);
  root = g_ptr_array_index (chain, 1);

  /* The issuing CA first, then the root. */
  g_assert_cmpstr (cabut_certificate_get_subject_string (issuing), ==, cabut_certificate_get_issuer_string (budi));
  g_assert_cmpstr (cabut_certificate_get_subject_string (root), ==, cabut_certificate_get_issuer_string (root));

  g_assert_true (cabut_certificate_is_issued_by (budi, issuing));
  g_assert_true (cabut_certificate_is_issued_by (issuing, root));
  g_assert_true (cabut_certificate_is_issued_by (root, root));
  g_assert_false (cabut_certificate_is_issued_by (budi, root));
  g_assert_false (cabut_certificate_is_issued_by (budi, budi));

  /* An unrelated CA: neither names nor keys fit. */
  g_assert_false (cabut_certificate_is_issued_by (budi, fixture_ca));
  g_assert_true (cabut_certificate_is_issued_by (fixture_leaf, fixture_ca));
  g_assert_false (cabut_certificate_is_issued_by (fixture_leaf, issuing));
}

/* ---------------------------------------------------------------------- */
/* The event feed                                                          */

static void
test_event_feed_backoff (void)
{
  static const guint expected[] = { 0, 1, 2, 4, 8, 16, 32, 60, 60, 60 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (cabut_event_feed_backoff_seconds (i), ==, expected[i]);
  g_assert_cmpuint (cabut_event_feed_backoff_seconds (G_MAXUINT), ==, CABUT_EVENT_FEED_MAX_BACKOFF);
}

static void
feed_stopped_cb (CabutEventFeed  *feed,
                 const GError    *error,
                 GError         **out)
{
  *out = g_error_copy (error);
}

/* Followed while signed in; when the session ends (signed out), the
 * long-poll under way ends and the feed stops, saying why. */
static void
test_event_feed_session_ends (void)
{
  g_autoptr(CabutAmsClient) client = signed_in ("siti.rahmawati");
  g_autoptr(CabutAmsClient) same_session = client_new (service->url);
  g_autoptr(CabutEventFeed) feed = cabut_event_feed_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) stopped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gint64 deadline;

  g_signal_connect (feed, "stopped", G_CALLBACK (feed_stopped_cb), &stopped);
  cabut_event_feed_start (feed);
  g_assert_true (cabut_event_feed_get_running (feed));

  /* The same session, ended from elsewhere while the feed waits. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  cabut_ams_client_set_token (same_session, cabut_ams_client_get_token (client));
  cabut_ams_client_sign_out_async (same_session, NULL, result_cb, &result);
  g_clear_pointer (&answer, json_node_unref);
  answer = cabut_ams_client_call_finish (same_session, wait_for (&result), &error);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (stopped == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (stopped, CABUT_AMS_ERROR, CABUT_AMS_ERROR_UNAUTHORIZED);
  g_assert_false (cabut_event_feed_get_running (feed));
  g_assert_cmpuint (cabut_event_feed_get_failures (feed), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_i18n_init ();

  g_test_add_func ("/cabut/model/service-info/from-string", test_service_info_from_string);
  g_test_add_func ("/cabut/model/service-info/malformed", test_service_info_malformed);
  g_test_add_func ("/cabut/model/service-info/live", test_service_info_live);
  g_test_add_func ("/cabut/model/profile", test_profile);
  g_test_add_func ("/cabut/model/match/own-certificate", test_match_own_certificate);
  g_test_add_func ("/cabut/model/match/someone-elses-certificate", test_match_someone_elses_certificate);
  g_test_add_func ("/cabut/model/match/subject-and-revoked", test_match_subject_and_revoked);
  g_test_add_func ("/cabut/model/match/dn-value-equal", test_dn_value_equal);
  g_test_add_func ("/cabut/model/reasons", test_reasons);
  g_test_add_func ("/cabut/model/submission/without-key", test_submission_without_key);
  g_test_add_func ("/cabut/model/submission/send-twice", test_submission_and_request);
  g_test_add_func ("/cabut/model/request/state", test_request_state);
  g_test_add_func ("/cabut/model/event-feed/backoff", test_event_feed_backoff);
  g_test_add_func ("/cabut/model/event-feed/session-ends", test_event_feed_session_ends);
  g_test_add_func ("/cabut/model/request/letter-match", test_request_letter_match);
  g_test_add_func ("/cabut/model/request/file-again", test_request_file_again);
  g_test_add_func ("/cabut/model/malformed-answers", test_malformed_answers);
  g_test_add_func ("/cabut/model/ca-chain", test_ca_chain);
  /* Last: it gives siti.rahmawati 449 more certificates. */
  g_test_add_func ("/cabut/model/profile/many-certificates", test_profile_many_certificates);

  service = service_new ();
  status = g_test_run ();
  g_clear_pointer (&service, service_free);

  return status;
}
