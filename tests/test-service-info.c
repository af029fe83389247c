/* test-service-info.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/service, the public information the app's first page shows,
 * from the real cabut-server executable started with --demo, --config FILE
 * or neither, and what it says when the file is wrong.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-server.h"
#include "cabut-test-util.h"

typedef struct
{
  char        *dir;
  GSubprocess *proc;
  char        *url;       /* with a trailing slash */
} Server;

static void
server_free (Server *self)
{
  if (self->proc != NULL)
    {
      g_subprocess_send_signal (self->proc, SIGTERM);
      g_subprocess_wait (self->proc, NULL, NULL);
      g_assert_true (g_subprocess_get_if_exited (self->proc));
      g_assert_cmpint (g_subprocess_get_exit_status (self->proc), ==, 0);
    }
  g_clear_object (&self->proc);
  cabut_test_rm_rf (self->dir);
  g_free (self->dir);
  g_free (self->url);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

/* cabut-server --data TMP --listen 127.0.0.1:0 @args… */
static Server *
server_start (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = cabut_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Server *self = g_new0 (Server, 1);

  self->dir = g_dir_make_tmp ("cabut-service-XXXXXX", NULL);
  g_ptr_array_add (argv, g_strdup (g_getenv ("CABUT_SERVER")));
  g_ptr_array_add (argv, g_strdup ("--data"));
  g_ptr_array_add (argv, g_build_filename (self->dir, "data", NULL));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  self->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  line = cabut_test_read_line (self->proc);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  self->url = g_strdup (line + strlen ("listening on "));

  return self;
}

static char *
write_config (const char *dir,
              const char *contents)
{
  g_autofree char *path = g_build_filename (dir, "service.conf", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

/* GET /api/v1/service with no token; @language is the Accept-Language. */
static JsonObject *
get_service (const char *base_url,
             const char *language)
{
  g_autofree char *url = g_strconcat (base_url, "api/v1/service", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  if (language != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language", language);
  body = cabut_test_http (msg, SOUP_STATUS_OK);

  headers = soup_message_get_response_headers (msg);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Cache-Control"), ==, "max-age=300");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Vary"), ==, "Accept-Language");

  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_object_ref (json_node_get_object (node));
}

static void
assert_member (JsonObject *object,
               const char *member,
               const char *expected)
{
  g_assert_true (json_object_has_member (object, member));
  if (expected == NULL)
    g_assert_true (json_object_get_null_member (object, member));
  else
    g_assert_cmpstr (json_object_get_string_member (object, member), ==, expected);
}

/* Exactly these members, no more. */
static void
assert_shape (JsonObject *object)
{
  static const char * const members[] = {
    "agency", "service_name", "phone", "email", "website", "complaints_officer", "escalation",
    "office_hours", "address", "service_days", "fee", "max_letter_size", "second_approval", NULL
  };

  g_assert_cmpuint (json_object_get_size (object), ==, g_strv_length ((char **) members));
  for (guint i = 0; members[i] != NULL; i++)
    g_assert_true (json_object_has_member (object, members[i]));
}

static void
test_demo (void)
{
  const char *args[] = { "--demo", "--max-letter-size", "3", NULL };
  g_autoptr(Server) server = server_start (args);
  const char *id_languages[] = { NULL, "id", "id-ID,id;q=0.9,en;q=0.8" };

  for (guint i = 0; i < G_N_ELEMENTS (id_languages); i++)
    {
      g_autoptr(JsonObject) service = get_service (server->url, id_languages[i]);

      assert_shape (service);
      assert_member (service, "agency", "Dinas Komunikasi dan Informatika Kota Contoh");
      assert_member (service, "service_name", "Layanan Sertifikat Elektronik Kota Contoh");
      assert_member (service, "phone", "(0274) 555-0123");
      assert_member (service, "email", "layanan.tte@contoh.go.id");
      assert_member (service, "website", "https://tte.contoh.go.id/pengaduan");
      assert_member (service, "complaints_officer", "Rina Kartika, S.Kom. (Pengelola Pengaduan)");
      assert_member (service, "escalation", "Kepala Bidang Persandian dan Keamanan Informasi");
      assert_member (service, "office_hours", "Senin–Jumat, 08.00–16.00 WIB");
      assert_member (service, "address", "Jl. Merdeka No. 1, Kota Contoh");
      g_assert_cmpint (json_object_get_int_member (service, "service_days"), ==, 1);
      g_assert_cmpint (json_object_get_int_member (service, "fee"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (service, "max_letter_size"), ==, 3 * 1024 * 1024);
    }

  {
    g_autoptr(JsonObject) service = get_service (server->url, "en");

    assert_shape (service);
    assert_member (service, "agency", "Communication and Informatics Office of Kota Contoh");
    assert_member (service, "service_name", "Kota Contoh Electronic Certificate Service");
    assert_member (service, "complaints_officer", "Rina Kartika, S.Kom. (Complaints Officer)");
    assert_member (service, "escalation", "Head of the Cryptography and Information Security Division");
    assert_member (service, "office_hours", "Monday–Friday, 08:00–16:00 WIB");
    /* No English variant: the Indonesian text, not nothing. */
    assert_member (service, "address", "Jl. Merdeka No. 1, Kota Contoh");
    assert_member (service, "phone", "(0274) 555-0123");
    assert_member (service, "email", "layanan.tte@contoh.go.id");
    assert_member (service, "website", "https://tte.contoh.go.id/pengaduan");
    g_assert_cmpint (json_object_get_int_member (service, "service_days"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (service, "fee"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (service, "max_letter_size"), ==, 3 * 1024 * 1024);
  }

  /* Only GET (and HEAD) is answered; nothing else needs a token either. */
  {
    g_autofree char *url = g_strconcat (server->url, "api/v1/service", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GBytes) body = cabut_test_http (msg, SOUP_STATUS_METHOD_NOT_ALLOWED);
  }
}

static const char custom_config[] =
  "# An agency's own file\n"
  "[service]\n"
  "agency=Dinas Komunikasi, Informatika dan Persandian Kabupaten Fiktif\n"
  "agency[en]=Fiktif Regency Communication, Informatics and Cryptography Office\n"
  "service_name=Layanan TTE Kabupaten Fiktif\n"
  "email=pengaduan.tte@fiktif.go.id\n"
  "website=http://pengaduan.fiktif.go.id\n"
  "office_hours=Senin–Kamis, 07.30–15.30 WITA\n"
  "office_hours[en]=Monday–Thursday, 07:30–15:30 WITA\n"
  "service_days=3\n"
  "fee=15000\n";

static void
test_custom_config (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-service-XXXXXX", NULL);
  g_autofree char *path = write_config (dir, custom_config);
  g_autoptr(JsonObject) id = NULL;
  g_autoptr(JsonObject) en = NULL;

  /* With --demo too: an agency's own file wins over the fictional one. */
  for (guint with_demo = 0; with_demo < 2; with_demo++)
    {
      const char *plain[] = { "--config", path, NULL };
      const char *demo[] = { "--demo", "--config", path, NULL };
      g_autoptr(Server) server = server_start (with_demo ? demo : plain);

      g_clear_pointer (&id, json_object_unref);
      g_clear_pointer (&en, json_object_unref);
      id = get_service (server->url, NULL);
      en = get_service (server->url, "en-US,id;q=0.9");

      assert_shape (id);
      assert_member (id, "agency", "Dinas Komunikasi, Informatika dan Persandian Kabupaten Fiktif");
      assert_member (id, "service_name", "Layanan TTE Kabupaten Fiktif");
      assert_member (id, "phone", NULL);
      assert_member (id, "email", "pengaduan.tte@fiktif.go.id");
      assert_member (id, "website", "http://pengaduan.fiktif.go.id");
      assert_member (id, "complaints_officer", NULL);
      assert_member (id, "escalation", NULL);
      assert_member (id, "office_hours", "Senin–Kamis, 07.30–15.30 WITA");
      assert_member (id, "address", NULL);
      g_assert_cmpint (json_object_get_int_member (id, "service_days"), ==, 3);
      g_assert_cmpint (json_object_get_int_member (id, "fee"), ==, 15000);
      g_assert_cmpint (json_object_get_int_member (id, "max_letter_size"), ==, CABUT_SERVER_DEFAULT_MAX_LETTER);

      assert_shape (en);
      assert_member (en, "agency", "Fiktif Regency Communication, Informatics and Cryptography Office");
      assert_member (en, "service_name", "Layanan TTE Kabupaten Fiktif");
      assert_member (en, "office_hours", "Monday–Thursday, 07:30–15:30 WITA");
      assert_member (en, "escalation", NULL);
      g_assert_cmpint (json_object_get_int_member (en, "service_days"), ==, 3);
      g_assert_cmpint (json_object_get_int_member (en, "fee"), ==, 15000);
    }

  cabut_test_rm_rf (dir);
}

static void
test_no_config (void)
{
  const char *args[] = { NULL };
  g_autoptr(Server) server = server_start (args);
  g_autoptr(JsonObject) service = get_service (server->url, "en");
  static const char * const text[] = {
    "agency", "service_name", "phone", "email", "website", "complaints_officer", "escalation",
    "office_hours", "address", NULL
  };

  assert_shape (service);
  for (guint i = 0; text[i] != NULL; i++)
    assert_member (service, text[i], NULL);
  g_assert_cmpint (json_object_get_int_member (service, "service_days"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (service, "fee"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (service, "max_letter_size"), ==, CABUT_SERVER_DEFAULT_MAX_LETTER);
  g_assert_false (json_object_get_boolean_member (service, "second_approval"));
}

typedef struct
{
  const char *contents;   /* NULL: no file at all */
  const char *message;    /* %s is the file's path */
} BadConfig;

static const BadConfig bad_configs[] = {
  { NULL, "The service information file %s does not exist" },
  { "[service]\nservice_days=abc\n",
    "In the service information file %s, service_days must be a whole number of at least 1, not “abc”" },
  { "[service]\nservice_days=0\n",
    "In the service information file %s, service_days must be a whole number of at least 1, not “0”" },
  { "[service]\nfee=1.5\n",
    "In the service information file %s, fee must be a whole number of at least 0, not “1.5”" },
  { "[service]\nsecond_approval=maybe\n",
    "In the service information file %s, second_approval must be true or false, not “maybe”" },
  { "[service]\nfee=-1\n",
    "In the service information file %s, fee must be a whole number of at least 0, not “-1”" },
  { "[service]\nemail=Layanan TTE <tte@contoh.go.id>\n",
    "In the service information file %s, email “Layanan TTE <tte@contoh.go.id>” is not an e-mail address" },
  { "[service]\nemail=tte@localhost\n",
    "In the service information file %s, email “tte@localhost” is not an e-mail address" },
  { "[service]\nwebsite=tte.contoh.go.id\n",
    "In the service information file %s, website “tte.contoh.go.id” is not an http:// or https:// address" },
  { "[service]\nwebsite=ftp://tte.contoh.go.id/\n",
    "In the service information file %s, website “ftp://tte.contoh.go.id/” is not an http:// or https:// address" },
  { "[service]\nofice_hours=Senin\n",
    "The service information file %s has an unknown key “ofice_hours” in [service]" },
  { "[service]\nfee[en]=0\n",
    "The service information file %s has an unknown key “fee[en]” in [service]" },
  { "[layanan]\nagency=Dinas\n", "The service information file %s has no [service] group" },
  { "agency=Dinas\n",
    "The service information file %s is not a valid key file: Key file does not start with a group" },
  { "[service]\nthis is not a key\n",
    "The service information file %s is not a valid key file: Key file contains line “this is not a key” "
    "which is not a key-value pair, group, or comment" },
};

static void
run_server_expecting_failure (const char  *dir,
                              const char  *config,
                              gboolean     demo,
                              const char  *language,
                              char       **err)
{
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *ca_dir = g_build_filename (data, "ca", NULL);
  g_autofree char *out = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LANGUAGE", language, TRUE);
  const char *argv[] = { g_getenv ("CABUT_SERVER"), "--data", data, "--listen", "127.0.0.1:0",
                         "--config", config, demo ? "--demo" : NULL, NULL };
  int status = 0;

  g_assert_true (cabut_test_run (argv, (const char * const *) envp, &out, err, &status));
  g_test_message ("cabut-server --config %s → %d %s", config, status, *err);
  g_assert_cmpint (status, !=, 0);
  /* It never started: nothing listened, no CA was made. */
  g_assert_cmpstr (out, ==, "");
  g_assert_false (g_file_test (ca_dir, G_FILE_TEST_EXISTS));
}

static void
test_bad_config (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_configs); i++)
    {
      g_autofree char *dir = g_dir_make_tmp ("cabut-service-XXXXXX", NULL);
      g_autofree char *path = NULL;
      g_autofree char *message = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *err = NULL;

      if (bad_configs[i].contents != NULL)
        path = write_config (dir, bad_configs[i].contents);
      else
        path = g_build_filename (dir, "missing.conf", NULL);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      message = g_strdup_printf (bad_configs[i].message, path);
#pragma GCC diagnostic pop
      expected = g_strconcat ("cabut-server: ", message, "\n", NULL);

      /* --demo does not stand in for a broken file. */
      run_server_expecting_failure (dir, path, i % 2 == 1, "en", &err);
      g_assert_cmpstr (err, ==, expected);

      cabut_test_rm_rf (dir);
    }
}

/* The message is for the person starting the service, in their language. */
static void
test_bad_config_translated (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-service-XXXXXX", NULL);
  g_autofree char *path = write_config (dir, "[service]\nservice_days=abc\n");
  g_autofree char *expected = g_strdup_printf ("cabut-server: Dalam berkas informasi layanan %s, service_days "
                                               "harus bilangan bulat paling sedikit 1, bukan “abc”\n", path);
  g_autofree char *err = NULL;

  run_server_expecting_failure (dir, path, FALSE, "id", &err);
  g_assert_cmpstr (err, ==, expected);

  cabut_test_rm_rf (dir);
}

/* In process: a failed load leaves the information loaded before. */
static void
test_failed_load_keeps_previous (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-service-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *good = write_config (dir, custom_config);
  g_autofree char *bad = g_build_filename (dir, "bad.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutServer) server = cabut_server_new (data, &error);
  g_autoptr(JsonObject) service = NULL;
  g_autofree char *url = NULL;

  g_assert_no_error (error);
  cabut_server_set_max_letter_size (server, 12345);
  g_assert_true (cabut_server_load_config (server, good, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_set_contents (bad, "[service]\nagency=Lain\nfee=gratis\n", -1, NULL));
  g_assert_false (cabut_server_load_config (server, bad, &error));
  g_assert_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG);

  g_assert_true (cabut_server_listen (server, "127.0.0.1:0", NULL, NULL));
  url = cabut_server_get_url (server);
  service = get_service (url, NULL);
  assert_member (service, "agency", "Dinas Komunikasi, Informatika dan Persandian Kabupaten Fiktif");
  g_assert_cmpint (json_object_get_int_member (service, "fee"), ==, 15000);
  g_assert_cmpint (json_object_get_int_member (service, "max_letter_size"), ==, 12345);

  cabut_server_shutdown (server);
  g_clear_object (&server);
  cabut_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_i18n_init ();

  g_test_add_func ("/cabut/service-info/demo", test_demo);
  g_test_add_func ("/cabut/service-info/custom-config", test_custom_config);
  g_test_add_func ("/cabut/service-info/no-config", test_no_config);
  g_test_add_func ("/cabut/service-info/bad-config", test_bad_config);
  g_test_add_func ("/cabut/service-info/bad-config-translated", test_bad_config_translated);
  g_test_add_func ("/cabut/service-info/failed-load-keeps-previous", test_failed_load_keeps_previous);

  return g_test_run ();
}
