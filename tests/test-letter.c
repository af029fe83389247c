/* test-letter.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cabut-core.h"
#include "cabut-test-util.h"

static void
test_sniff (void)
{
  static const struct { const char *bytes; gsize len; const char *type; const char *ext; } cases[] = {
    { "%PDF-1.7\n", 9, "application/pdf", "pdf" },
    { "\xff\xd8\xff\xe0\0\x10JFIF", 10, "image/jpeg", "jpg" },
    { "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "image/png", "png" },
    /* A name or an extension proves nothing; neither do near misses. */
    { "%PDF", 4, NULL, "bin" },
    { "\x89PNG\r\n", 6, NULL, "bin" },
    { "GIF89a", 6, NULL, "bin" },
    { "PK\x03\x04", 4, NULL, "bin" },
    { "", 0, NULL, "bin" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].bytes, cases[i].len);
      const char *type = cabut_letter_sniff_type (bytes);

      g_assert_cmpstr (type, ==, cases[i].type);
      g_assert_cmpstr (cabut_letter_type_extension (type), ==, cases[i].ext);
    }
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static GFile *
keep (const char  *sha256,
      GBytes      *letter,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_letter_cache_keep_async (sha256, "application/pdf", letter, NULL, result_cb, &result);
  return cabut_letter_cache_keep_finish (wait_for (&result), error);
}

static GFile *
look_up (const char  *sha256,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cabut_letter_cache_lookup_async (sha256, "application/pdf", NULL, result_cb, &result);
  return cabut_letter_cache_lookup_finish (wait_for (&result), error);
}

/* Kept under its hash, only when it is the one filed; found again only
 * while its hash still is that; the name is a hash or nothing. */
static void
test_cache (void)
{
  static const char pdf[] = "%PDF-1.4\n% surat pernyataan\n%%EOF\n";
  g_autoptr(GBytes) letter = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, letter);
  g_autofree char *upper = g_ascii_strup (sha256, -1);
  g_autofree char *other = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "lain", -1);
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) expected = cabut_letter_cache_get_file (sha256, "application/pdf");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  GStatBuf st;

  g_assert_false (cabut_letter_cache_is_valid_name (NULL));
  g_assert_false (cabut_letter_cache_is_valid_name (""));
  g_assert_false (cabut_letter_cache_is_valid_name ("../../../../etc/passwd"));
  g_assert_false (cabut_letter_cache_is_valid_name ("0123"));
  g_assert_true (cabut_letter_cache_is_valid_name (upper));
  path = g_build_filename (g_get_user_cache_dir (), "cabut", "letters", NULL);
  g_assert_true (g_str_has_prefix (g_file_peek_path (expected), path));
  g_assert_true (g_str_has_suffix (g_file_peek_path (expected), ".pdf"));

  /* Nothing kept yet. */
  file = look_up (sha256, &error);
  g_assert_no_error (error);
  g_assert_null (file);

  /* Not the letter filed: refused, nothing kept. */
  file = keep (other, letter, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (file);
  g_assert_nonnull (strstr (error->message, other));
  g_clear_error (&error);
  g_clear_object (&file);
  file = cabut_letter_cache_get_file (other, "application/pdf");
  g_assert_false (g_file_query_exists (file, NULL));
  g_clear_object (&file);

  /* The one filed: kept privately, found again (by either case of hex). */
  file = keep (upper, letter, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (file, expected));
  g_assert_cmpint (g_stat (g_file_peek_path (file), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_clear_object (&file);
  file = look_up (upper, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (file, expected));
  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, NULL));
  g_assert_cmpmem (contents, length, pdf, sizeof pdf - 1);
  g_clear_object (&file);

  /* Cut short: not found, and gone. */
  g_assert_true (g_file_replace_contents (expected, pdf, 9, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error));
  g_assert_no_error (error);
  file = look_up (sha256, &error);
  g_assert_no_error (error);
  g_assert_null (file);
  g_assert_false (g_file_query_exists (expected, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("cabut-letter-cache-XXXXXX", NULL);
  int status;

  g_assert_nonnull (cache);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cabut/letter/sniff", test_sniff);
  g_test_add_func ("/cabut/letter/cache", test_cache);

  status = g_test_run ();
  cabut_test_rm_rf (cache);

  return status;
}
