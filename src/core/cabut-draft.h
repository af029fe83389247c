/* cabut-draft.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cabut-certificate.h"
#include "cabut-request.h"

G_BEGIN_DECLS

/**
 * CabutDraftStep:
 *
 * The wizard's pages, in order. A draft remembers the furthest one reached.
 */
typedef enum
{
  CABUT_DRAFT_STEP_WELCOME,
  CABUT_DRAFT_STEP_CERTIFICATE,
  CABUT_DRAFT_STEP_DETAILS,
  CABUT_DRAFT_STEP_SIGN_IN,
  CABUT_DRAFT_STEP_REASON,
  CABUT_DRAFT_STEP_LETTER,
  CABUT_DRAFT_STEP_CHECK,
  CABUT_DRAFT_STEP_SEND,
  CABUT_DRAFT_STEP_RECEIPT,
} CabutDraftStep;

/**
 * CabutDraftState:
 * @CABUT_DRAFT_STATE_EDITING: the applicant is still filling it in
 * @CABUT_DRAFT_STATE_QUEUED: in the outbox, not yet acknowledged by the service
 * @CABUT_DRAFT_STATE_SENT: the service acknowledged it; see #CabutDraft:request-id
 */
typedef enum
{
  CABUT_DRAFT_STATE_EDITING,
  CABUT_DRAFT_STATE_QUEUED,
  CABUT_DRAFT_STATE_SENT,
} CabutDraftState;

#define CABUT_TYPE_DRAFT (cabut_draft_get_type ())

G_DECLARE_FINAL_TYPE (CabutDraft, cabut_draft, CABUT, DRAFT, GObject)

CabutDraft       *cabut_draft_new                  (void);

gint64            cabut_draft_get_id               (CabutDraft       *self);
const char       *cabut_draft_get_idempotency_key  (CabutDraft       *self);
const char       *cabut_draft_get_server_url       (CabutDraft       *self);
void              cabut_draft_set_server_url       (CabutDraft       *self,
                                                    const char       *server_url);
GFile            *cabut_draft_get_certificate_file (CabutDraft       *self);
void              cabut_draft_set_certificate_file (CabutDraft       *self,
                                                    GFile            *certificate_file);
CabutCertificate *cabut_draft_get_certificate      (CabutDraft       *self);
void              cabut_draft_set_certificate      (CabutDraft       *self,
                                                    CabutCertificate *certificate);
const char       *cabut_draft_get_username         (CabutDraft       *self);
void              cabut_draft_set_username         (CabutDraft       *self,
                                                    const char       *username);
const char       *cabut_draft_get_reason           (CabutDraft       *self);
void              cabut_draft_set_reason           (CabutDraft       *self,
                                                    const char       *reason);
const char       *cabut_draft_get_note             (CabutDraft       *self);
void              cabut_draft_set_note             (CabutDraft       *self,
                                                    const char       *note);
GFile            *cabut_draft_get_letter_file      (CabutDraft       *self);
void              cabut_draft_set_letter_file      (CabutDraft       *self,
                                                    GFile            *letter_file);
gboolean          cabut_draft_get_letter_confirmed (CabutDraft       *self);
void              cabut_draft_set_letter_confirmed (CabutDraft       *self,
                                                    gboolean          letter_confirmed);
CabutDraftStep    cabut_draft_get_step             (CabutDraft       *self);
void              cabut_draft_set_step             (CabutDraft       *self,
                                                    CabutDraftStep    step);
CabutDraftState   cabut_draft_get_state            (CabutDraft       *self);
void              cabut_draft_set_state            (CabutDraft       *self,
                                                    CabutDraftState   state);
const char       *cabut_draft_get_request_id       (CabutDraft       *self);
void              cabut_draft_set_request_id       (CabutDraft       *self,
                                                    const char       *request_id);
GDateTime        *cabut_draft_get_updated_at       (CabutDraft       *self);
gboolean          cabut_draft_is_empty             (CabutDraft       *self);
CabutDraft       *cabut_draft_new_again            (CabutRequest     *rejected,
                                                    CabutDraft       *kept);
const char       *cabut_draft_get_previous_request_id (CabutDraft    *self);
const char       *cabut_draft_get_rejection_note   (CabutDraft       *self);

G_END_DECLS
