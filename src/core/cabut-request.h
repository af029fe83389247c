/* cabut-request.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cabut-statement-letter.h"

G_BEGIN_DECLS

/* submitted → in_review → revoked | rejected; cancelled by the applicant
 * before a decision. */
typedef enum
{
  CABUT_REQUEST_STATE_SUBMITTED,
  CABUT_REQUEST_STATE_IN_REVIEW,
  CABUT_REQUEST_STATE_REVOKED,
  CABUT_REQUEST_STATE_REJECTED,
  CABUT_REQUEST_STATE_CANCELLED,
} CabutRequestState;

#define CABUT_TYPE_REQUEST       (cabut_request_get_type ())
#define CABUT_TYPE_REQUEST_EVENT (cabut_request_event_get_type ())

G_DECLARE_FINAL_TYPE (CabutRequest, cabut_request, CABUT, REQUEST, GObject)
G_DECLARE_FINAL_TYPE (CabutRequestEvent, cabut_request_event, CABUT, REQUEST_EVENT, GObject)

const char        *cabut_request_state_to_string        (CabutRequestState  state);
gboolean           cabut_request_state_from_string      (const char        *string,
                                                         CabutRequestState *state);
const char        *cabut_request_state_to_label         (CabutRequestState  state);
gboolean           cabut_request_state_is_open          (CabutRequestState  state);

CabutRequest      *cabut_request_new_from_json          (JsonNode          *node,
                                                         GError           **error);
GListModel        *cabut_request_list_new_from_json     (JsonNode          *node,
                                                         GError           **error);
const char        *cabut_request_get_id                 (CabutRequest      *self);
CabutRequestState  cabut_request_get_state              (CabutRequest      *self);
const char        *cabut_request_get_reason             (CabutRequest      *self);
const char        *cabut_request_get_reason_label       (CabutRequest      *self);
const char        *cabut_request_get_note               (CabutRequest      *self);
const char        *cabut_request_get_serial             (CabutRequest      *self);
const char        *cabut_request_get_subject            (CabutRequest      *self);
const char        *cabut_request_get_issuer             (CabutRequest      *self);
const char        *cabut_request_get_applicant_username (CabutRequest      *self);
const char        *cabut_request_get_applicant_name     (CabutRequest      *self);
const char        *cabut_request_get_applicant_nip      (CabutRequest      *self);
const char        *cabut_request_get_letter_sha256      (CabutRequest      *self);
const char        *cabut_request_get_letter_type        (CabutRequest      *self);
guint64            cabut_request_get_letter_size        (CabutRequest      *self);
gboolean           cabut_request_get_key_possession     (CabutRequest      *self);
gboolean           cabut_request_get_letter_checked     (CabutRequest      *self);
CabutLetterMatch   cabut_request_get_letter_match       (CabutRequest      *self);
const char        *cabut_request_get_letter_code        (CabutRequest      *self);
/* Filed at the desk by an officer for the applicant: NULL otherwise. */
const char        *cabut_request_get_filed_by_username  (CabutRequest      *self);
const char        *cabut_request_get_filed_by_name      (CabutRequest      *self);
/* A decision proposed under second approval, waiting for another officer:
 * "approve" or "reject", NULL when none. */
const char        *cabut_request_get_pending_action     (CabutRequest      *self);
const char        *cabut_request_get_pending_by_username (CabutRequest     *self);
const char        *cabut_request_get_pending_by_name    (CabutRequest      *self);
const char        *cabut_request_get_pending_note       (CabutRequest      *self);
GDateTime         *cabut_request_get_pending_at         (CabutRequest      *self);
/* The officer who took it for review (officers see it): NULL when nobody
 * did. While it is in review only they, or an admin, decide it. */
const char        *cabut_request_get_reviewer_username  (CabutRequest      *self);
const char        *cabut_request_get_reviewer_name      (CabutRequest      *self);
GDateTime         *cabut_request_get_created_at         (CabutRequest      *self);
GDateTime         *cabut_request_get_due                (CabutRequest      *self);
GDateTime         *cabut_request_get_decided_at         (CabutRequest      *self);
gboolean           cabut_request_get_overdue            (CabutRequest      *self);
gint64             cabut_request_get_crl_number         (CabutRequest      *self);
gboolean           cabut_request_has_events             (CabutRequest      *self);
const char        *cabut_request_get_search_key         (CabutRequest      *self);
char              *cabut_request_fold_search_text       (const char        *text);
GListModel        *cabut_request_get_events             (CabutRequest      *self);
const char        *cabut_request_get_rejection_note     (CabutRequest      *self);

CabutRequestEvent *cabut_request_event_new_from_json    (JsonNode          *node,
                                                         GError           **error);
gint64             cabut_request_event_get_id           (CabutRequestEvent *self);
GDateTime         *cabut_request_event_get_at           (CabutRequestEvent *self);
const char        *cabut_request_event_get_kind         (CabutRequestEvent *self);
CabutRequestState  cabut_request_event_get_state        (CabutRequestEvent *self);
const char        *cabut_request_event_get_note         (CabutRequestEvent *self);
const char        *cabut_request_event_get_actor_username (CabutRequestEvent *self);
const char        *cabut_request_event_get_actor_name   (CabutRequestEvent *self);
const char        *cabut_request_event_get_actor_role   (CabutRequestEvent *self);

G_END_DECLS
