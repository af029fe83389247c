/* cabut-event-feed.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-ams-client.h"

G_BEGIN_DECLS

/* Seconds a long-poll waits at the service for news (it allows 60). */
#define CABUT_EVENT_FEED_WAIT 50
/* Seconds between attempts after failures: doubling from 1, at most this. */
#define CABUT_EVENT_FEED_MAX_BACKOFF 60

#define CABUT_TYPE_EVENT_FEED (cabut_event_feed_get_type ())

G_DECLARE_FINAL_TYPE (CabutEventFeed, cabut_event_feed, CABUT, EVENT_FEED, GObject)

CabutEventFeed *cabut_event_feed_new             (CabutAmsClient *client);
void            cabut_event_feed_start           (CabutEventFeed *self);
void            cabut_event_feed_stop            (CabutEventFeed *self);
gboolean        cabut_event_feed_get_running     (CabutEventFeed *self);
gint64          cabut_event_feed_get_last        (CabutEventFeed *self);
guint           cabut_event_feed_get_failures    (CabutEventFeed *self);
guint           cabut_event_feed_backoff_seconds (guint           failures);

G_END_DECLS
