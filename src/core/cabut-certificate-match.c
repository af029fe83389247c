/* cabut-certificate-match.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-certificate-match"

#include "config.h"

#include "cabut-certificate-match.h"

/* The wizard's "check before sending": does the certificate file belong to
 * the signed-in account, as the service will check (standard step 6)? */

G_DEFINE_BOXED_TYPE (CabutDnDifference, cabut_dn_difference,
                     cabut_dn_difference_copy, cabut_dn_difference_free)

static CabutDnDifference *
difference_new (const CabutRdnAttribute *any,
                const char              *registered,
                const char              *file)
{
  CabutDnDifference *difference = g_new0 (CabutDnDifference, 1);

  difference->name = g_strdup (cabut_rdn_attribute_get_name (any));
  difference->label = g_strdup (cabut_rdn_attribute_get_label (any));
  difference->registered = g_strdup (registered);
  difference->file = g_strdup (file);

  return difference;
}

CabutDnDifference *
cabut_dn_difference_copy (const CabutDnDifference *difference)
{
  CabutDnDifference *copy;

  g_return_val_if_fail (difference != NULL, NULL);

  copy = g_new0 (CabutDnDifference, 1);
  copy->name = g_strdup (difference->name);
  copy->label = g_strdup (difference->label);
  copy->registered = g_strdup (difference->registered);
  copy->file = g_strdup (difference->file);

  return copy;
}

void
cabut_dn_difference_free (CabutDnDifference *difference)
{
  if (difference == NULL)
    return;

  g_free (difference->name);
  g_free (difference->label);
  g_free (difference->registered);
  g_free (difference->file);
  g_free (difference);
}

/* The @nth attribute of type @oid in @attributes, or -1. */
static int
find_nth (GPtrArray  *attributes,
          const char *oid,
          guint       nth)
{
  for (guint i = 0; i < attributes->len; i++)
    if (g_str_equal (cabut_rdn_attribute_get_oid (g_ptr_array_index (attributes, i)), oid) && nth-- == 0)
      return i;

  return -1;
}

static guint
count_before (GPtrArray  *attributes,
              guint       index,
              const char *oid)
{
  guint n = 0;

  for (guint i = 0; i < index; i++)
    if (g_str_equal (cabut_rdn_attribute_get_oid (g_ptr_array_index (attributes, i)), oid))
      n++;

  return n;
}

/**
 * cabut_dn_diff:
 * @registered: the Subject DN the service holds
 * @file: the Subject DN in the certificate file
 *
 * Pairs the attributes of both names by type (the first CN with the first
 * CN, the second OU with the second OU…) and lists each pair whose values
 * differ by RFC 5280 rules, then each attribute present on one side only.
 * Attributes come in RFC 4514 order, those of @registered first.
 *
 * Returns: (transfer container) (element-type CabutDnDifference): the
 *   differences, empty when every attribute matches
 */
GPtrArray *
cabut_dn_diff (const CabutDn *registered,
               const CabutDn *file)
{
  g_autoptr(GPtrArray) ra = NULL;
  g_autoptr(GPtrArray) fa = NULL;
  g_autofree gboolean *paired = NULL;
  GPtrArray *differences;

  g_return_val_if_fail (registered != NULL, NULL);
  g_return_val_if_fail (file != NULL, NULL);

  ra = cabut_dn_get_attributes (registered);
  fa = cabut_dn_get_attributes (file);
  paired = g_new0 (gboolean, fa->len + 1);
  differences = g_ptr_array_new_with_free_func ((GDestroyNotify) cabut_dn_difference_free);

  for (guint i = 0; i < ra->len; i++)
    {
      const CabutRdnAttribute *r = g_ptr_array_index (ra, i);
      const char *oid = cabut_rdn_attribute_get_oid (r);
      int j = find_nth (fa, oid, count_before (ra, i, oid));

      if (j < 0)
        {
          g_ptr_array_add (differences, difference_new (r, cabut_rdn_attribute_get_value (r), NULL));
          continue;
        }

      paired[j] = TRUE;
      if (!cabut_dn_value_equal (cabut_rdn_attribute_get_value (r),
                                 cabut_rdn_attribute_get_value (g_ptr_array_index (fa, j))))
        g_ptr_array_add (differences, difference_new (r, cabut_rdn_attribute_get_value (r),
                                                      cabut_rdn_attribute_get_value (g_ptr_array_index (fa, j))));
    }

  for (guint j = 0; j < fa->len; j++)
    if (!paired[j])
      g_ptr_array_add (differences, difference_new (g_ptr_array_index (fa, j), NULL,
                                                    cabut_rdn_attribute_get_value (g_ptr_array_index (fa, j))));

  return differences;
}

/**
 * cabut_profile_match_certificate:
 * @profile: the signed-in account
 * @certificate: the certificate file the applicant chose
 * @registered: (out) (optional) (transfer full) (nullable): the registered
 *   certificate with that serial, or the closest one by Subject DN when
 *   none has it (%NULL when the account has none)
 * @differences: (out) (optional) (transfer container) (element-type CabutDnDifference):
 *   attribute by attribute, where the Subject DN of @registered and of
 *   @certificate differ; empty when they are equal
 *
 * Checks the certificate against the account the way the service will:
 * by serial number, then by Subject DN (RFC 5280 comparison).
 *
 * Returns: what the check found
 */
CabutCertificateMatchResult
cabut_profile_match_certificate (CabutProfile                *profile,
                                 CabutCertificate            *certificate,
                                 CabutRegisteredCertificate **registered,
                                 GPtrArray                  **differences)
{
  GListModel *certificates;
  g_autoptr(CabutRegisteredCertificate) found = NULL;
  g_autoptr(GPtrArray) diff = NULL;
  CabutCertificateMatchResult result;
  const char *serial;
  const CabutDn *subject;

  g_return_val_if_fail (CABUT_IS_PROFILE (profile), CABUT_CERTIFICATE_MATCH_NOT_REGISTERED);
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (certificate), CABUT_CERTIFICATE_MATCH_NOT_REGISTERED);

  certificates = cabut_profile_get_certificates (profile);
  serial = cabut_certificate_get_serial (certificate);
  subject = cabut_certificate_get_subject (certificate);

  /* Both sides print the serial as `openssl x509 -serial` does, uppercase
   * hex; compare without regard to case all the same. */
  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (certificates); i++)
    {
      g_autoptr(CabutRegisteredCertificate) item = g_list_model_get_item (certificates, i);

      if (g_ascii_strcasecmp (cabut_registered_certificate_get_serial (item), serial) == 0)
        found = g_steal_pointer (&item);
    }

  if (found != NULL)
    {
      diff = cabut_dn_diff (cabut_registered_certificate_get_subject_dn (found), subject);
      if (!cabut_dn_equal (cabut_registered_certificate_get_subject_dn (found), subject))
        result = CABUT_CERTIFICATE_MATCH_SUBJECT_DIFFERS;
      else if (cabut_registered_certificate_get_revoked (found))
        result = CABUT_CERTIFICATE_MATCH_ALREADY_REVOKED;
      else
        result = CABUT_CERTIFICATE_MATCH_OK;
    }
  else
    {
      /* Show the applicant which of their certificates this one resembles
       * most, and how it differs. */
      for (guint i = 0; i < g_list_model_get_n_items (certificates); i++)
        {
          g_autoptr(CabutRegisteredCertificate) item = g_list_model_get_item (certificates, i);
          g_autoptr(GPtrArray) item_diff = cabut_dn_diff (cabut_registered_certificate_get_subject_dn (item),
                                                          subject);

          if (diff == NULL || item_diff->len < diff->len)
            {
              g_set_object (&found, item);
              g_clear_pointer (&diff, g_ptr_array_unref);
              diff = g_steal_pointer (&item_diff);
            }
        }
      if (diff == NULL)
        diff = g_ptr_array_new_with_free_func ((GDestroyNotify) cabut_dn_difference_free);
      result = CABUT_CERTIFICATE_MATCH_NOT_REGISTERED;
    }

  if (registered != NULL)
    *registered = g_steal_pointer (&found);
  if (differences != NULL)
    *differences = g_steal_pointer (&diff);

  return result;
}
