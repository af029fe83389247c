/* test-import.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-server-private.h"
#include "cabut-test-util.h"

/* A new_certs_dir as `openssl ca` keeps it: SERIAL.pem for the leaves. */
static char *
make_certs_dir (const char *parent)
{
  const char *leaves[] = { "rsa2048.pem", "ec-p256.pem", "dn-utf8.pem", "dn-bmpstring.pem",
                           "dn-multivalue.pem", "dn-attributes.pem" };
  char *dir = g_build_filename (parent, "newcerts", NULL);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (leaves); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (cabut_test_fixture_path (leaves[i]));
      g_autoptr(CabutCertificate) cert = cabut_certificate_new_from_file (file, NULL, NULL, NULL);
      g_autofree char *pem = cabut_certificate_to_pem (cert);
      g_autofree char *name = g_strdup_printf ("%s.pem", cabut_certificate_get_serial (cert));
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_true (g_file_set_contents (path, pem, -1, NULL));
    }

  return dir;
}

static gint64
count (CabutServer *server,
       const char  *sql)
{
  g_autoptr(sqlite3_stmt) stmt = cabut_db_prepare (server->db, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  return sqlite3_column_int64 (stmt, 0);
}

static void
test_import_index (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cabut-import-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *certs = make_certs_dir (dir);
  g_autofree char *index_path = g_build_filename (dir, "index.txt", NULL);
  g_autofree char *original = NULL;
  g_autoptr(GString) index = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutServer) server = cabut_server_new (data, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_free);
  CabutAccount budi = { .username = (char *) "budi", .full_name = (char *) "Budi Santoso",
                        .email = (char *) "Budi.Santoso@contoh.go.id", .role = (char *) "applicant" };
  CabutAccount eko = { .username = (char *) "eko", .full_name = (char *) "Eko Wahyudi",
                       .email = (char *) "eko.wahyudi@contoh.go.id", .role = (char *) "applicant" };
  int imported;

  g_assert_no_error (error);
  g_assert_true (cabut_accounts_create (server->db, &budi, "sandi-budi-2026", NULL, &error));
  g_assert_true (cabut_accounts_create (server->db, &eko, "sandi-eko-2026", NULL, &error));

  /* The fixtures' real index, with Budi's certificate revoked by `openssl ca -revoke`. */
  g_assert_true (g_file_get_contents (cabut_test_fixture_path ("ca-index.txt"), &original, NULL, NULL));
  index = g_string_new (original);
  g_assert_true (g_str_has_prefix (index->str, "V\t350101000000Z\t\t10000001\t"));
  index->str[0] = 'R';
  g_string_insert (index, strlen ("R\t350101000000Z\t"), "261115093000Z,keyCompromise");
  g_string_append (index, "this is not an index line\n");
  g_assert_true (g_file_set_contents (index_path, index->str, -1, NULL));

  imported = cabut_server_import_index (server, index_path, certs, NULL, problems, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (problems, i));

  /* Budi has several certificates with his address in the fixtures; Eko one. */
  g_assert_cmpint (imported, >=, 2);
  g_assert_cmpint (count (server, "SELECT count(*) FROM certificates c JOIN accounts a ON a.id = c.account_id "
                                  "WHERE a.username = 'eko'"), ==, 1);
  g_assert_cmpint (count (server, "SELECT count(*) FROM certificates"), ==, imported);
  g_assert_cmpint (count (server, "SELECT count(*) FROM certificates WHERE serial = '10000001' "
                                  "AND status = 'revoked' AND revocation_reason = 1"), ==, 1);
  {
    g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 15, 9, 30, 0);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM certificates WHERE serial = '10000001' "
                                            "AND revoked_at = %" G_GINT64_FORMAT, g_date_time_to_unix (when));
    g_assert_cmpint (count (server, sql), ==, 1);
  }

  /* Every line not imported says why: no file, no account, not an entry. */
  g_assert_cmpuint (problems->len, ==, 22 - imported + 1);
  {
    gboolean saw_no_account = FALSE, saw_not_entry = FALSE, saw_no_file = FALSE;

    for (guint i = 0; i < problems->len; i++)
      {
        const char *p = g_ptr_array_index (problems, i);
        saw_no_account |= strstr (p, "no account") != NULL;
        saw_not_entry |= strstr (p, "not an index.txt entry") != NULL;
        saw_no_file |= strstr (p, "could not be read") != NULL;
      }
    g_assert_true (saw_no_account && saw_not_entry && saw_no_file);
  }

  /* Importing again registers nothing twice. */
  g_assert_cmpint (cabut_server_import_index (server, index_path, certs, NULL, again, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (count (server, "SELECT count(*) FROM certificates"), ==, imported);

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

  g_test_add_func ("/cabut/server/import-index", test_import_index);

  return g_test_run ();
}
