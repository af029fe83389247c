/* fuzz-certificate.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the certificate loader: any bytes, with and without
 * a password, must give a certificate or a CABUT_CERTIFICATE_ERROR, never a
 * crash, a leak or a GLib critical.
 */

#include "config.h"

#include "cabut-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CabutCertificate) cert = cabut_certificate_new_from_bytes (bytes, i ? "rahasia-123" : NULL,
                                                                           &error);

      if (cert == NULL)
        {
          g_assert (error != NULL && error->domain == CABUT_CERTIFICATE_ERROR);
          continue;
        }

      /* Touch what a caller shows. */
      {
        g_autoptr(GPtrArray) rdns = cabut_dn_get_attributes (cabut_certificate_get_subject (cert));
        g_autofree char *pem = cabut_certificate_to_pem (cert);
        g_autoptr(CabutDn) reparsed = cabut_dn_new_from_string (cabut_certificate_get_subject_string (cert),
                                                                NULL);

        g_assert (cabut_certificate_get_serial (cert) != NULL);
        g_assert (pem != NULL);
        if (reparsed != NULL)
          (void) cabut_dn_equal (reparsed, cabut_certificate_get_subject (cert));
      }
    }

  return 0;
}
