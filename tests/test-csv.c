/* test-csv.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 4180 both ways: what the audit export writes (quoted where it must
 * be, formulas defused) and what the bulk revocation reads.
 */

#include "config.h"

#include <string.h>

#include "cabut-core.h"

static char *
cell (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  cabut_csv_append_cell (out, text);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_write (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { NULL, "" },
    { "", "" },
    { "budi.santoso", "budi.santoso" },
    { "Dewi Lestari, S.T.", "\"Dewi Lestari, S.T.\"" },
    { "kata \"kutip\"", "\"kata \"\"kutip\"\"\"" },
    { "baris 1\nbaris 2", "\"baris 1\nbaris 2\"" },
    { "baris 1\r\nbaris 2", "\"baris 1\r\nbaris 2\"" },
    /* Formula injection: = + - @ (and a tab or CR first) get an apostrophe. */
    { "=1+1", "'=1+1" },
    { "+62 812", "'+62 812" },
    { "-5", "'-5" },
    { "@SUM(A1)", "'@SUM(A1)" },
    { "\t=1", "'\t=1" },
    { "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
    { "a=b", "a=b" },
  };
  g_autoptr(GString) row = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = cell (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }

  cabut_csv_append_row (row, "1", "", "x,y", NULL);
  g_assert_cmpstr (row->str, ==, "1,,\"x,y\"\r\n");
}

static char *
joined (GPtrArray *rows)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *line = g_strjoinv ("|", g_ptr_array_index (rows, i));

      g_string_append_printf (out, "[%s]", line);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_read (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "", "" },
    { "a", "[a]" },
    { "a\n", "[a]" },
    { "a\r\nb\r\n", "[a][b]" },
    { "a,b\nc", "[a|b][c]" },
    { "a,\n", "[a|]" },
    { "\n\nx", "[][][x]" },
    { "\"a,b\",c", "[a,b|c]" },
    { "\"say \"\"hi\"\"\"", "[say \"hi\"]" },
    { "\"two\nlines\",x\r\ny", "[two\nlines|x][y]" },
    { "\xef\xbb\xbfNIP\r\n1", "[NIP][1]" },
    /* A lone CR is kept in the cell (only CRLF and LF end a record). */
    { "a\rb", "[a\rb]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = cabut_csv_parse (cases[i].in, strlen (cases[i].in), 100, &error);
      g_autofree char *got = NULL;

      g_assert_no_error (error);
      got = joined (rows);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_read_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  rows = cabut_csv_parse ("a\n\"open", 7, 100, &error);
  g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE);
  g_assert_cmpstr (error->message, ==, "Line 2 of the CSV file opens a quote it does not close");
  g_assert_null (rows);
  g_clear_error (&error);

  rows = cabut_csv_parse ("caf\xe9", 4, 100, &error);
  g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE);
  g_assert_null (rows);
  g_clear_error (&error);

  rows = cabut_csv_parse ("1\n2\n3\n", 6, 2, &error);
  g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_MEMORY);
  g_assert_cmpstr (error->message, ==, "The CSV file has more than 2 rows");
  g_assert_null (rows);
}

/* What is written reads back as it was (the defused formula keeps its apostrophe). */
static void
test_round_trip (void)
{
  const char *cells[] = { "Dewi Lestari, S.T.", "baris 1\r\nbaris 2", "kata \"kutip\"", "polos" };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  char **row;

  cabut_csv_append_row (out, cells[0], cells[1], cells[2], cells[3], NULL);
  rows = cabut_csv_parse (out->str, out->len, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (g_strv_length (row), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (row[i], ==, cells[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_i18n_init ();

  g_test_add_func ("/cabut/csv/write", test_write);
  g_test_add_func ("/cabut/csv/read", test_read);
  g_test_add_func ("/cabut/csv/read-refused", test_read_refused);
  g_test_add_func ("/cabut/csv/round-trip", test_round_trip);

  return g_test_run ();
}
