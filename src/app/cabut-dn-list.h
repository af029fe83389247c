/* cabut-dn-list.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-core.h"

G_BEGIN_DECLS

#define CABUT_TYPE_DN_LIST (cabut_dn_list_get_type ())

G_DECLARE_FINAL_TYPE (CabutDnList, cabut_dn_list, CABUT, DN_LIST, AdwPreferencesGroup)

GtkWidget *cabut_dn_list_new    (void);
void       cabut_dn_list_set_dn (CabutDnList   *self,
                                 const CabutDn *dn);
guint      cabut_dn_list_get_n_rows (CabutDnList *self);

G_END_DECLS
