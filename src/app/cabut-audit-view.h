/* cabut-audit-view.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_AUDIT_VIEW (cabut_audit_view_get_type ())

G_DECLARE_FINAL_TYPE (CabutAuditView, cabut_audit_view, CABUT, AUDIT_VIEW, AdwBin)

GtkWidget  *cabut_audit_view_new          (CabutContext         *context);
void        cabut_audit_view_refresh      (CabutAuditView       *self);
GListModel *cabut_audit_view_get_entries  (CabutAuditView       *self);
gboolean    cabut_audit_view_get_busy     (CabutAuditView       *self);
gboolean    cabut_audit_view_get_has_more (CabutAuditView       *self);
const char *cabut_audit_view_get_notice   (CabutAuditView       *self);
void        cabut_audit_view_export_async (CabutAuditView       *self,
                                           GFile                *file,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    cabut_audit_view_export_finish (CabutAuditView      *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
