/* cabut-history.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cabut-request.h"

G_BEGIN_DECLS

/* Which requests the history shows. */
typedef enum
{
  CABUT_HISTORY_FILTER_ALL,
  CABUT_HISTORY_FILTER_OPEN,
  CABUT_HISTORY_FILTER_OVERDUE,
  CABUT_HISTORY_FILTER_REVOKED,
  CABUT_HISTORY_FILTER_REJECTED,
  CABUT_HISTORY_FILTER_CANCELLED,
} CabutHistoryFilter;

#define CABUT_HISTORY_N_FILTERS (CABUT_HISTORY_FILTER_CANCELLED + 1)

#define CABUT_TYPE_HISTORY (cabut_history_get_type ())

G_DECLARE_FINAL_TYPE (CabutHistory, cabut_history, CABUT, HISTORY, GObject)

const char         *cabut_history_filter_to_label (CabutHistoryFilter  filter);

CabutHistory       *cabut_history_new             (void);
void                cabut_history_set_requests    (CabutHistory       *self,
                                                   GPtrArray          *requests,
                                                   GDateTime          *updated_at);
guint               cabut_history_get_n_requests  (CabutHistory       *self);
guint               cabut_history_count           (CabutHistory       *self,
                                                   CabutHistoryFilter  filter);
GDateTime          *cabut_history_get_updated_at  (CabutHistory       *self);
const char         *cabut_history_get_query       (CabutHistory       *self);
void                cabut_history_set_query       (CabutHistory       *self,
                                                   const char         *query);
CabutHistoryFilter  cabut_history_get_filter      (CabutHistory       *self);
void                cabut_history_set_filter      (CabutHistory       *self,
                                                   CabutHistoryFilter  filter);
CabutRequest       *cabut_history_find            (CabutHistory       *self,
                                                   const char         *request_id);

G_END_DECLS
