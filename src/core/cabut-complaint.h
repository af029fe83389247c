/* cabut-complaint.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* open → answered (→ open again when the applicant replies) → escalated
 * (to an official) → resolved. */
typedef enum
{
  CABUT_COMPLAINT_STATE_OPEN,
  CABUT_COMPLAINT_STATE_ANSWERED,
  CABUT_COMPLAINT_STATE_ESCALATED,
  CABUT_COMPLAINT_STATE_RESOLVED,
} CabutComplaintState;

#define CABUT_TYPE_COMPLAINT       (cabut_complaint_get_type ())
#define CABUT_TYPE_COMPLAINT_ENTRY (cabut_complaint_entry_get_type ())

G_DECLARE_FINAL_TYPE (CabutComplaint, cabut_complaint, CABUT, COMPLAINT, GObject)
G_DECLARE_FINAL_TYPE (CabutComplaintEntry, cabut_complaint_entry, CABUT, COMPLAINT_ENTRY, GObject)

const char          *cabut_complaint_state_to_string         (CabutComplaintState  state);
gboolean             cabut_complaint_state_from_string       (const char          *string,
                                                              CabutComplaintState *state);
const char          *cabut_complaint_state_to_label          (CabutComplaintState  state);

CabutComplaint      *cabut_complaint_new_from_json           (JsonNode            *node,
                                                              GError             **error);
GListModel          *cabut_complaint_list_new_from_json      (JsonNode            *node,
                                                              char               **next,
                                                              GError             **error);
const char          *cabut_complaint_get_id                  (CabutComplaint      *self);
CabutComplaintState  cabut_complaint_get_state               (CabutComplaint      *self);
const char          *cabut_complaint_get_text                (CabutComplaint      *self);
const char          *cabut_complaint_get_request             (CabutComplaint      *self);
const char          *cabut_complaint_get_applicant_username  (CabutComplaint      *self);
const char          *cabut_complaint_get_applicant_name      (CabutComplaint      *self);
GDateTime           *cabut_complaint_get_created_at          (CabutComplaint      *self);
GDateTime           *cabut_complaint_get_updated_at          (CabutComplaint      *self);
GDateTime           *cabut_complaint_get_due                 (CabutComplaint      *self);
GDateTime           *cabut_complaint_get_resolved_at         (CabutComplaint      *self);
gboolean             cabut_complaint_get_overdue             (CabutComplaint      *self);
gboolean             cabut_complaint_has_entries             (CabutComplaint      *self);
GListModel          *cabut_complaint_get_entries             (CabutComplaint      *self);

CabutComplaintEntry *cabut_complaint_entry_new_from_json     (JsonNode            *node,
                                                              GError             **error);
gint64               cabut_complaint_entry_get_id            (CabutComplaintEntry *self);
GDateTime           *cabut_complaint_entry_get_at            (CabutComplaintEntry *self);
const char          *cabut_complaint_entry_get_kind          (CabutComplaintEntry *self);
CabutComplaintState  cabut_complaint_entry_get_state         (CabutComplaintEntry *self);
const char          *cabut_complaint_entry_get_text          (CabutComplaintEntry *self);
const char          *cabut_complaint_entry_get_author_username (CabutComplaintEntry *self);
const char          *cabut_complaint_entry_get_author_name   (CabutComplaintEntry *self);
const char          *cabut_complaint_entry_get_author_role   (CabutComplaintEntry *self);

G_END_DECLS
