/* cabut-csv.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-csv"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-csv.h"

/* Comma-separated values as RFC 4180 has them, both ways: the audit
 * export writes them, the bulk revocation reads them. A cell written is
 * safe to open in a spreadsheet: one that would start a formula (= + - @,
 * or a tab or carriage return before one) gets a leading apostrophe, as
 * OWASP's advice on CSV injection says. */

/**
 * cabut_csv_append_cell:
 * @cell: (nullable): the text; %NULL is an empty cell
 *
 * Appends one cell, quoted when it holds a comma, a quote or a line break.
 */
void
cabut_csv_append_cell (GString    *out,
                       const char *cell)
{
  gboolean formula;
  gboolean quote;

  g_return_if_fail (out != NULL);

  if (cell == NULL || *cell == '\0')
    return;

  formula = strchr ("=+-@\t\r", cell[0]) != NULL;
  quote = strpbrk (cell, ",\"\r\n") != NULL;

  if (quote)
    g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = cell; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

/**
 * cabut_csv_append_row:
 * @first_cell: (nullable): the first cell, then the others, then %NULL…
 *
 * Appends a record ending in CRLF. A %NULL cell ends the list, so pass ""
 * for an empty one.
 */
void
cabut_csv_append_row (GString    *out,
                      const char *first_cell,
                      ...)
{
  va_list args;
  const char *cell = first_cell;
  gboolean first = TRUE;

  va_start (args, first_cell);
  while (cell != NULL)
    {
      if (!first)
        g_string_append_c (out, ',');
      cabut_csv_append_cell (out, cell);
      first = FALSE;
      cell = va_arg (args, const char *);
    }
  va_end (args);
  g_string_append (out, "\r\n");
}

/**
 * cabut_csv_parse:
 * @text: UTF-8 text, CRLF or LF line ends
 * @max_rows: refuse more records than this
 *
 * Reads RFC 4180 records (quoted cells may hold commas, quotes doubled and
 * line breaks). A blank line is a record with one empty cell, so that row
 * numbers stay those of the file.
 *
 * Returns: (transfer full) (element-type GStrv): the records, or %NULL
 *   with @error set (%G_CONVERT_ERROR_ILLEGAL_SEQUENCE for text that is not
 *   UTF-8 or a quote left open, %G_CONVERT_ERROR_NO_MEMORY for too many rows)
 */
GPtrArray *
cabut_csv_parse (const char  *text,
                 gsize        len,
                 guint        max_rows,
                 GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GString) cell = g_string_new (NULL);
  gsize i = 0;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (!g_utf8_validate_len (text, len, NULL))
    {
      g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                   _("The CSV file is not UTF-8 text"));
      return NULL;
    }
  /* A byte order mark, as spreadsheets write it. */
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    i = 3;

  while (i < len)
    {
      if (cells == NULL)
        cells = g_ptr_array_new_with_free_func (g_free);
      g_string_truncate (cell, 0);

      if (text[i] == '"')
        {
          i++;
          for (;;)
            {
              if (i >= len)
                {
                  g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                               _("Line %u of the CSV file opens a quote it does not close"), rows->len + 1);
                  return NULL;
                }
              if (text[i] == '"' && i + 1 < len && text[i + 1] == '"')
                {
                  g_string_append_c (cell, '"');
                  i += 2;
                }
              else if (text[i] == '"')
                {
                  i++;
                  break;
                }
              else
                g_string_append_c (cell, text[i++]);
            }
        }
      /* The rest of the cell (after a closing quote, kept as it is). */
      while (i < len && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
        g_string_append_c (cell, text[i++]);
      g_ptr_array_add (cells, g_strdup (cell->str));

      if (i < len && text[i] == ',')
        {
          i++;
          if (i == len)
            g_ptr_array_add (cells, g_strdup (""));
          else
            continue;
        }
      else if (i < len && text[i] == '\r')
        i += 2;
      else if (i < len)
        i++;

      if (rows->len >= max_rows)
        {
          g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_MEMORY,
                       _("The CSV file has more than %u rows"), max_rows);
          return NULL;
        }
      g_ptr_array_add (cells, NULL);
      g_ptr_array_add (rows, g_ptr_array_free (g_steal_pointer (&cells), FALSE));
    }

  return g_steal_pointer (&rows);
}
