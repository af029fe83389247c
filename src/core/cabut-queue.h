/* cabut-queue.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-ams-client.h"

G_BEGIN_DECLS

/* Rows per page unless set: a screenful and some. */
#define CABUT_QUEUE_DEFAULT_PAGE_SIZE 50

#define CABUT_TYPE_QUEUE (cabut_queue_get_type ())

G_DECLARE_FINAL_TYPE (CabutQueue, cabut_queue, CABUT, QUEUE, GObject)

CabutQueue       *cabut_queue_new            (CabutAmsClient *client);
CabutAmsClient   *cabut_queue_get_client     (CabutQueue     *self);
void              cabut_queue_set_client     (CabutQueue     *self,
                                              CabutAmsClient *client);
const char       *cabut_queue_get_state      (CabutQueue     *self);
void              cabut_queue_set_state      (CabutQueue     *self,
                                              const char     *state);
const char       *cabut_queue_get_search     (CabutQueue     *self);
void              cabut_queue_set_search     (CabutQueue     *self,
                                              const char     *search);
guint             cabut_queue_get_page_size  (CabutQueue     *self);
void              cabut_queue_set_page_size  (CabutQueue     *self,
                                              guint           page_size);
gboolean          cabut_queue_get_loading    (CabutQueue     *self);
gboolean          cabut_queue_get_loaded     (CabutQueue     *self);
gboolean          cabut_queue_get_complete   (CabutQueue     *self);
const GError     *cabut_queue_get_error      (CabutQueue     *self);
CabutQueueCounts *cabut_queue_get_counts     (CabutQueue     *self);
guint             cabut_queue_get_pages_fetched (CabutQueue  *self);
void              cabut_queue_reload         (CabutQueue     *self);
void              cabut_queue_refresh        (CabutQueue     *self);
void              cabut_queue_load_more      (CabutQueue     *self);
void              cabut_queue_retry          (CabutQueue     *self);
guint             cabut_queue_find           (CabutQueue     *self,
                                              const char     *request_id);

G_END_DECLS
