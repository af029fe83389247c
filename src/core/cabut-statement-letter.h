/* cabut-statement-letter.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The statement letter (surat pernyataan) an applicant prints and signs:
 * what it says. Strings are UTF-8; nullable ones are left out of the
 * letter (or, for the applicant's data, fall back to the Subject DN the
 * caller put in). */
typedef struct
{
  /* The applicant, as the service holds the account */
  const char *full_name;
  const char *nip;            /* nullable: then the NIK */
  const char *nik;            /* nullable */
  const char *position;       /* jabatan, nullable */
  const char *unit;           /* unit kerja, nullable */
  const char *organization;   /* instansi, nullable */
  const char *email;          /* nullable */

  /* The certificate */
  const char *serial;
  const char *subject;        /* RFC 4514 */
  const char *issuer;
  GDateTime  *valid_until;
  const char *fingerprint;    /* SHA-256, hex; for the code */

  /* The request */
  const char *reason;         /* RFC 5280 name, e.g. "keyCompromise": for the code */
  const char *reason_label;   /* in Bahasa Indonesia */
  const char *chronology;     /* the applicant's own words, nullable */
  const char *draft_key;      /* the draft's idempotency key, for the code */

  /* Place and date of signing */
  const char *place;
  GDateTime  *date;

  /* Optional blocks, off by default */
  gboolean    meterai;        /* a box for the duty stamp */
  const char *superior_name;  /* "Mengetahui, atasan langsung", when given */
  const char *superior_nip;
} CabutStatementLetter;

/**
 * CabutLetterMatch:
 * @CABUT_LETTER_MATCH_NO_CODE: the letter has no Cabut code (written by
 *   hand, or scanned too poorly): compare it by eye
 * @CABUT_LETTER_MATCH_YES: made for this certificate and this reason
 * @CABUT_LETTER_MATCH_OTHER_CERTIFICATE: made for another certificate
 * @CABUT_LETTER_MATCH_OTHER_REASON: for this certificate, another reason
 * @CABUT_LETTER_MATCH_UNREADABLE: a code that is not one Cabut makes, or
 *   (as the service records it) a letter that could not be read at all
 *
 * What a letter's code says of the request it is attached to. Its names
 * in the service's API and database are those of
 * cabut_statement_letter_match_to_string().
 */
typedef enum
{
  CABUT_LETTER_MATCH_NO_CODE,
  CABUT_LETTER_MATCH_YES,
  CABUT_LETTER_MATCH_OTHER_CERTIFICATE,
  CABUT_LETTER_MATCH_OTHER_REASON,
  CABUT_LETTER_MATCH_UNREADABLE,
} CabutLetterMatch;

char   *cabut_statement_letter_code    (const CabutStatementLetter *letter);
CabutLetterMatch cabut_statement_letter_match (const char          *code,
                                        const char                 *serial,
                                        const char                 *fingerprint,
                                        const char                 *reason);
gboolean cabut_statement_letter_read_code (GBytes                  *scan,
                                        char                      **code,
                                        GError                    **error);
const char *cabut_statement_letter_match_to_string (CabutLetterMatch  match);
gboolean cabut_statement_letter_match_from_string (const char      *string,
                                        CabutLetterMatch           *match);
char   *cabut_statement_letter_date    (GDateTime                  *date);
GBytes *cabut_statement_letter_render  (const CabutStatementLetter *letter,
                                        GError                    **error);

G_END_DECLS
