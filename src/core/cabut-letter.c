/* cabut-letter.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-letter"

#include "config.h"

#include <string.h>

#include "cabut-letter.h"

/**
 * cabut_letter_sniff_type:
 * @letter: the contents of a statement letter
 *
 * Decides by magic bytes, never by file name: a scan is a JPEG or PNG, a
 * letter saved from a word processor a PDF.
 *
 * Returns: (nullable): "application/pdf", "image/jpeg" or "image/png", or
 *   %NULL for anything else
 */
const char *
cabut_letter_sniff_type (GBytes *letter)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
  gsize len = 0;
  const guint8 *data;

  g_return_val_if_fail (letter != NULL, NULL);

  data = g_bytes_get_data (letter, &len);
  if (len >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return "application/pdf";
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  if (len >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return "image/png";

  return NULL;
}

/** cabut_letter_type_extension: Returns: "pdf", "jpg" or "png" for a type from cabut_letter_sniff_type() */
const char *
cabut_letter_type_extension (const char *content_type)
{
  if (g_strcmp0 (content_type, "application/pdf") == 0)
    return "pdf";
  if (g_strcmp0 (content_type, "image/png") == 0)
    return "png";
  if (g_strcmp0 (content_type, "image/jpeg") == 0)
    return "jpg";

  return "bin";
}
