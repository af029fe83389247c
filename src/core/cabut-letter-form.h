/* cabut-letter-form.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cabut-certificate.h"
#include "cabut-profile.h"
#include "cabut-statement-letter.h"

G_BEGIN_DECLS

#define CABUT_TYPE_LETTER_FORM (cabut_letter_form_get_type ())

G_DECLARE_FINAL_TYPE (CabutLetterForm, cabut_letter_form, CABUT, LETTER_FORM, GObject)

CabutLetterForm  *cabut_letter_form_new                (void);
CabutCertificate *cabut_letter_form_get_certificate    (CabutLetterForm      *self);
void              cabut_letter_form_set_certificate    (CabutLetterForm      *self,
                                                        CabutCertificate     *certificate);
CabutProfile     *cabut_letter_form_get_profile        (CabutLetterForm      *self);
void              cabut_letter_form_set_profile        (CabutLetterForm      *self,
                                                        CabutProfile         *profile);
const char       *cabut_letter_form_get_reason         (CabutLetterForm      *self);
void              cabut_letter_form_set_reason         (CabutLetterForm      *self,
                                                        const char           *reason);
const char       *cabut_letter_form_get_chronology     (CabutLetterForm      *self);
void              cabut_letter_form_set_chronology     (CabutLetterForm      *self,
                                                        const char           *chronology);
const char       *cabut_letter_form_get_draft_key      (CabutLetterForm      *self);
void              cabut_letter_form_set_draft_key      (CabutLetterForm      *self,
                                                        const char           *draft_key);
const char       *cabut_letter_form_get_place          (CabutLetterForm      *self);
void              cabut_letter_form_set_place          (CabutLetterForm      *self,
                                                        const char           *place);
GDateTime        *cabut_letter_form_get_date           (CabutLetterForm      *self);
void              cabut_letter_form_set_date           (CabutLetterForm      *self,
                                                        GDateTime            *date);
gboolean          cabut_letter_form_get_meterai        (CabutLetterForm      *self);
void              cabut_letter_form_set_meterai        (CabutLetterForm      *self,
                                                        gboolean              meterai);
const char       *cabut_letter_form_get_superior_name  (CabutLetterForm      *self);
void              cabut_letter_form_set_superior_name  (CabutLetterForm      *self,
                                                        const char           *name);
const char       *cabut_letter_form_get_superior_nip   (CabutLetterForm      *self);
void              cabut_letter_form_set_superior_nip   (CabutLetterForm      *self,
                                                        const char           *nip);
gboolean          cabut_letter_form_get_ready          (CabutLetterForm      *self);
GBytes           *cabut_letter_form_render             (CabutLetterForm      *self,
                                                        GError              **error);
void              cabut_letter_form_render_async       (CabutLetterForm      *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GBytes           *cabut_letter_form_render_finish      (CabutLetterForm      *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

void              cabut_statement_letter_check_async   (GFile                *scan,
                                                        guint64               max_size,
                                                        CabutCertificate     *certificate,
                                                        const char           *reason,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
CabutLetterMatch  cabut_statement_letter_check_finish  (GAsyncResult         *result,
                                                        char                **code,
                                                        gboolean             *unsigned_original,
                                                        GError              **error);
gboolean          cabut_statement_letter_is_unsigned_original (GBytes        *scan);
gboolean          cabut_statement_letter_parse_code    (const char           *code,
                                                        char                **serial,
                                                        char                **fingerprint,
                                                        char                **reason,
                                                        char                **draft_key);

G_END_DECLS
