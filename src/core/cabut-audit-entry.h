/* cabut-audit-entry.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CABUT_TYPE_AUDIT_ENTRY (cabut_audit_entry_get_type ())

G_DECLARE_FINAL_TYPE (CabutAuditEntry, cabut_audit_entry, CABUT, AUDIT_ENTRY, GObject)

CabutAuditEntry *cabut_audit_entry_new_from_json       (JsonNode         *node,
                                                        GError          **error);
GListModel      *cabut_audit_entry_list_new_from_json  (JsonNode         *node,
                                                        char            **next,
                                                        GError          **error);
gint64           cabut_audit_entry_get_id              (CabutAuditEntry  *self);
GDateTime       *cabut_audit_entry_get_at              (CabutAuditEntry  *self);
const char      *cabut_audit_entry_get_actor_username  (CabutAuditEntry  *self);
const char      *cabut_audit_entry_get_actor_full_name (CabutAuditEntry  *self);
const char      *cabut_audit_entry_get_actor_role      (CabutAuditEntry  *self);
const char      *cabut_audit_entry_get_action          (CabutAuditEntry  *self);
const char      *cabut_audit_entry_get_target          (CabutAuditEntry  *self);
const char      *cabut_audit_entry_get_remote          (CabutAuditEntry  *self);
const char      *cabut_audit_entry_get_detail          (CabutAuditEntry  *self);
const char      *cabut_audit_action_label              (const char       *action);

G_END_DECLS
