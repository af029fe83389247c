/* cabut-openssl.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-openssl"

#include "config.h"

#include <openssl/provider.h>

#include "cabut-openssl-private.h"

void
cabut_x509_stack_free (CabutX509Stack *stack)
{
  sk_X509_pop_free (stack, X509_free);
}

void
cabut_asn1_object_stack_free (CabutAsn1ObjectStack *stack)
{
  sk_ASN1_OBJECT_pop_free (stack, ASN1_OBJECT_free);
}

void
cabut_dist_point_stack_free (CabutDistPointStack *stack)
{
  sk_DIST_POINT_pop_free (stack, DIST_POINT_free);
}

void
cabut_string_stack_free (CabutStringStack *stack)
{
  X509_email_free (stack);
}

void
cabut_asn1_type_stack_free (CabutAsn1TypeStack *stack)
{
  sk_ASN1_TYPE_pop_free (stack, ASN1_TYPE_free);
}

/**
 * cabut_openssl_init:
 *
 * Loads OpenSSL's default and legacy providers into the default library
 * context, once. The legacy provider is what decrypts PKCS#12 files made
 * by older tools (RC2-40, 3DES); loading any provider explicitly turns off
 * the implicit default one, so both are loaded.
 */
void
cabut_openssl_init (void)
{
  static gsize initialized = 0;
  /* Kept for the life of the process. */
  static OSSL_PROVIDER *default_provider;
  static OSSL_PROVIDER *legacy_provider;

  if (g_once_init_enter (&initialized))
    {
      if ((default_provider = OSSL_PROVIDER_load (NULL, "default")) == NULL)
        g_warning ("Failed to load the OpenSSL default provider");
      if ((legacy_provider = OSSL_PROVIDER_load (NULL, "legacy")) == NULL)
        {
          g_debug ("The OpenSSL legacy provider is not available; "
                   "old PKCS#12 files will not open");
          ERR_clear_error ();
        }
      g_once_init_leave (&initialized, 1);
    }
}

/* Takes the text written into a memory BIO as a NUL-terminated string. */
char *
cabut_openssl_bio_steal (BIO *bio)
{
  char *data = NULL;
  long len;

  g_assert (bio != NULL);

  len = BIO_get_mem_data (bio, &data);
  if (len <= 0)
    return g_strdup ("");

  return g_strndup (data, len);
}

/* Takes DER that an i2d_*() function allocated, as GBytes. */
GBytes *
cabut_openssl_der_to_bytes (unsigned char *der,
                            int            len)
{
  GBytes *bytes;

  g_assert (der != NULL && len > 0);

  bytes = g_bytes_new (der, len);
  OPENSSL_free (der);

  return bytes;
}

char *
cabut_openssl_hex (const guint8 *data,
                   gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[i * 2] = digits[data[i] >> 4];
      out[i * 2 + 1] = digits[data[i] & 0xf];
    }
  out[len * 2] = '\0';

  return out;
}

/**
 * cabut_openssl_serial_string:
 *
 * The one spelling of a serial number, for display and as the registry's
 * key: what `openssl x509 -serial` prints (uppercase hex, '-' first when
 * negative, "00" for an empty number), without the line breaks it puts into
 * numbers longer than 35 bytes.
 *
 * Returns: (transfer full): the serial
 */
char *
cabut_openssl_serial_string (const ASN1_INTEGER *serial)
{
  const guint8 *data = ASN1_STRING_get0_data (serial);
  int len = ASN1_STRING_length (serial);
  GString *out = g_string_new (NULL);

  if (ASN1_STRING_type (serial) == V_ASN1_NEG_INTEGER)
    g_string_append_c (out, '-');
  if (len <= 0)
    g_string_append (out, "00");
  for (int i = 0; i < len; i++)
    g_string_append_printf (out, "%02X", data[i]);

  return g_string_free (out, FALSE);
}

/**
 * cabut_openssl_time_to_date_time:
 *
 * Returns: (transfer full) (nullable): @time in UTC, or %NULL when it is
 *   missing or cannot be read (never a made-up date)
 */
GDateTime *
cabut_openssl_time_to_date_time (const ASN1_TIME *time)
{
  struct tm tm = { 0 };

  if (time == NULL)
    return NULL;
  if (!ASN1_TIME_to_tm (time, &tm))
    {
      ERR_clear_error ();
      return NULL;
    }

  /* NULL too for what GDateTime cannot hold (a leap second, year 10000). */
  return g_date_time_new_utc (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The oldest queued OpenSSL error, for debug output; clears the queue. */
char *
cabut_openssl_error_string (void)
{
  unsigned long code = ERR_peek_error ();
  char buf[256];

  if (code == 0)
    return g_strdup ("no OpenSSL error queued");

  ERR_error_string_n (code, buf, sizeof buf);
  ERR_clear_error ();

  return g_strdup (buf);
}
