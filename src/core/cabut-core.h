/* cabut-core.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-ams-client.h"
#include "cabut-calendar.h"
#include "cabut-certificate.h"
#include "cabut-dn.h"
#include "cabut-i18n.h"
#include "cabut-letter.h"
#include "cabut-reason.h"
#include "cabut-revocation.h"
