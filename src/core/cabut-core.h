/* cabut-core.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-ams-client.h"
#include "cabut-audit-entry.h"
#include "cabut-bulk-batch.h"
#include "cabut-bulk-row.h"
#include "cabut-calendar.h"
#include "cabut-certificate.h"
#include "cabut-certificate-match.h"
#include "cabut-core-enums.h"
#include "cabut-csv.h"
#include "cabut-demo-service.h"
#include "cabut-dn.h"
#include "cabut-draft.h"
#include "cabut-i18n.h"
#include "cabut-letter-cache.h"
#include "cabut-letter-form.h"
#include "cabut-letter.h"
#include "cabut-outbox-item.h"
#include "cabut-profile.h"
#include "cabut-queue.h"
#include "cabut-queue-counts.h"
#include "cabut-reason.h"
#include "cabut-receipt.h"
#include "cabut-reason-item.h"
#include "cabut-registered-certificate.h"
#include "cabut-event-feed.h"
#include "cabut-history.h"
#include "cabut-complaint.h"
#include "cabut-request.h"
#include "cabut-request-page.h"
#include "cabut-review.h"
#include "cabut-revocation.h"
#include "cabut-service-info.h"
#include "cabut-statement-letter.h"
#include "cabut-store.h"
#include "cabut-submission.h"
