/* cabut-store-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-store.h"

G_BEGIN_DECLS

/* For tests: @hook runs on the writer thread before each job, so a test can
 * check that no write ever runs on the caller's thread. */
typedef void (*CabutStoreJobHook) (gpointer user_data);

void cabut_store_set_job_hook_for_testing (CabutStore        *self,
                                           CabutStoreJobHook  hook,
                                           gpointer           user_data);

G_END_DECLS
