/* cabut-letter.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest statement letter the reference service takes by default. */
#define CABUT_LETTER_DEFAULT_MAX_SIZE (10 * 1024 * 1024)

const char *cabut_letter_sniff_type      (GBytes     *letter);
const char *cabut_letter_type_extension  (const char *content_type);

G_END_DECLS
