/* cabut-certificate-match.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cabut-certificate.h"
#include "cabut-profile.h"

G_BEGIN_DECLS

/**
 * CabutCertificateMatchResult:
 * @CABUT_CERTIFICATE_MATCH_OK: the account holds this certificate, same serial and Subject DN
 * @CABUT_CERTIFICATE_MATCH_NOT_REGISTERED: no certificate of the account has this serial
 * @CABUT_CERTIFICATE_MATCH_SUBJECT_DIFFERS: the serial is registered, with another Subject DN
 * @CABUT_CERTIFICATE_MATCH_ALREADY_REVOKED: the registered certificate is revoked already
 */
typedef enum
{
  CABUT_CERTIFICATE_MATCH_OK,
  CABUT_CERTIFICATE_MATCH_NOT_REGISTERED,
  CABUT_CERTIFICATE_MATCH_SUBJECT_DIFFERS,
  CABUT_CERTIFICATE_MATCH_ALREADY_REVOKED,
} CabutCertificateMatchResult;

/* One attribute where the registered Subject DN and the file's differ. */
typedef struct
{
  char *name;         /* short name, e.g. "CN" */
  char *label;        /* translated human label, as CabutRdnAttribute */
  char *registered;   /* value the service holds, NULL if absent */
  char *file;         /* value in the file, NULL if absent */
} CabutDnDifference;

#define CABUT_TYPE_DN_DIFFERENCE (cabut_dn_difference_get_type ())

GType                       cabut_dn_difference_get_type     (void) G_GNUC_CONST;
CabutDnDifference          *cabut_dn_difference_copy         (const CabutDnDifference  *difference);
void                        cabut_dn_difference_free         (CabutDnDifference        *difference);

GPtrArray                  *cabut_dn_diff                    (const CabutDn            *registered,
                                                              const CabutDn            *file);
CabutCertificateMatchResult cabut_profile_match_certificate  (CabutProfile             *profile,
                                                              CabutCertificate         *certificate,
                                                              CabutRegisteredCertificate **registered,
                                                              GPtrArray               **differences);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutDnDifference, cabut_dn_difference_free)

G_END_DECLS
