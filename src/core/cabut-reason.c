/* cabut-reason.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-reason"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cabut-i18n.h"
#include "cabut-reason.h"

/* What a subscriber may ask for follows the CA/Browser Forum rule: never
 * certificateHold, and privilegeWithdrawn only by the authority. Labels and
 * help are written for the person revoking, not for PKI people. */
static const CabutReasonInfo reasons[] = {
  { CABUT_REASON_KEY_COMPROMISE, "keyCompromise",
    N_("My key is lost or known to others"),
    N_("The private key, its token or its password may be in someone else’s hands: "
       "lost, stolen, shared, or the computer holding it was compromised."), FALSE },
  { CABUT_REASON_AFFILIATION_CHANGED, "affiliationChanged",
    N_("My data or my agency changed"),
    N_("Your name, position, unit or agency in the certificate is no longer correct, "
       "for example after a transfer or promotion."), FALSE },
  { CABUT_REASON_SUPERSEDED, "superseded",
    N_("I have a new certificate"),
    N_("The certificate has been replaced by a new one and is no longer needed."), FALSE },
  { CABUT_REASON_CESSATION_OF_OPERATION, "cessationOfOperation",
    N_("I no longer need it (retirement, end of duty)"),
    N_("You retire, leave the civil service or no longer hold the duty the certificate "
       "was issued for."), FALSE },
  { CABUT_REASON_UNSPECIFIED, "unspecified",
    N_("Another reason"),
    N_("None of the above fits. Explain the reason in your statement letter."), FALSE },
  { CABUT_REASON_PRIVILEGE_WITHDRAWN, "privilegeWithdrawn",
    N_("The holder’s authority was withdrawn"),
    N_("For the authority only: the holder is no longer entitled to the certificate, "
       "for example after a disciplinary decision."), TRUE },
};

/**
 * cabut_reason_list:
 *
 * Returns: the revocation reasons Cabut offers, most common first
 */
const CabutReasonInfo *
cabut_reason_list (guint *n_reasons)
{
  if (n_reasons != NULL)
    *n_reasons = G_N_ELEMENTS (reasons);

  return reasons;
}

const CabutReasonInfo *
cabut_reason_lookup (int code)
{
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if ((int) reasons[i].code == code)
      return &reasons[i];

  return NULL;
}

const CabutReasonInfo *
cabut_reason_lookup_name (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (g_str_equal (reasons[i].name, name))
      return &reasons[i];

  return NULL;
}

const char *
cabut_reason_get_label (const CabutReasonInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return g_dgettext (GETTEXT_PACKAGE, info->label);
}

const char *
cabut_reason_get_help (const CabutReasonInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return g_dgettext (GETTEXT_PACKAGE, info->help);
}

const char *
cabut_reason_get_label_for (const CabutReasonInfo *info,
                            const char            *language)
{
  g_return_val_if_fail (info != NULL, NULL);
  return cabut_i18n_translate_for (info->label, language);
}

const char *
cabut_reason_get_help_for (const CabutReasonInfo *info,
                           const char            *language)
{
  g_return_val_if_fail (info != NULL, NULL);
  return cabut_i18n_translate_for (info->help, language);
}

/* RFC 5280 §5.3.1 in full, for what others say about a certificate; the
 * index is the CRLReason code (7 is not used). */
static const struct {
  const char *name;
  const char *label;
} crl_reasons[] = {
  { "unspecified", N_("No reason given") },
  { "keyCompromise", N_("The private key was compromised") },
  { "cACompromise", N_("The certification authority was compromised") },
  { "affiliationChanged", N_("The holder’s details or affiliation changed") },
  { "superseded", N_("Replaced by a new certificate") },
  { "cessationOfOperation", N_("No longer needed") },
  { "certificateHold", N_("Suspended (on hold)") },
  { NULL, NULL },
  { "removeFromCRL", N_("Taken off the revocation list") },
  { "privilegeWithdrawn", N_("The holder’s authority was withdrawn") },
  { "aACompromise", N_("The attribute authority was compromised") },
};

/** cabut_crl_reason_to_name: Returns: (nullable): the RFC 5280 name of any CRLReason code */
const char *
cabut_crl_reason_to_name (int code)
{
  if (code < 0 || code >= (int) G_N_ELEMENTS (crl_reasons))
    return NULL;

  return crl_reasons[code].name;
}

/** cabut_crl_reason_from_name: Returns: the CRLReason code of an RFC 5280 name, or -1 */
int
cabut_crl_reason_from_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (crl_reasons); i++)
    if (g_strcmp0 (crl_reasons[i].name, name) == 0)
      return i;

  return -1;
}

/**
 * cabut_crl_reason_to_label:
 * @name: an RFC 5280 CRLReason name, such as “keyCompromise”
 *
 * Returns: (nullable): the reason in words, translated; %NULL for a name
 *   that is not a CRLReason
 */
const char *
cabut_crl_reason_to_label (const char *name)
{
  int code = cabut_crl_reason_from_name (name);

  return code >= 0 ? g_dgettext (GETTEXT_PACKAGE, crl_reasons[code].label) : NULL;
}
