/* test-letter.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cabut-core.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cabut/letter/sniff", test_sniff);

  return g_test_run ();
}
