/* cabut-certificate.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cabut-dn.h"

G_BEGIN_DECLS

#define CABUT_CERTIFICATE_ERROR (cabut_certificate_error_quark ())

/**
 * CabutCertificateError:
 * @CABUT_CERTIFICATE_ERROR_WRONG_PASSWORD: the password does not open the file
 * @CABUT_CERTIFICATE_ERROR_NEEDS_PASSWORD: the file is protected and no password was given
 * @CABUT_CERTIFICATE_ERROR_MALFORMED: the file is damaged or truncated
 * @CABUT_CERTIFICATE_ERROR_UNSUPPORTED: the file is not a certificate in a format we read
 * @CABUT_CERTIFICATE_ERROR_NO_CERTIFICATE: the file holds keys but no certificate
 * @CABUT_CERTIFICATE_ERROR_UNREADABLE: the file could not be read at all
 * @CABUT_CERTIFICATE_ERROR_TOO_LARGE: the file is far larger than any certificate
 * @CABUT_CERTIFICATE_ERROR_NO_PRIVATE_KEY: signing needs the certificate's own private key
 */
typedef enum
{
  CABUT_CERTIFICATE_ERROR_WRONG_PASSWORD,
  CABUT_CERTIFICATE_ERROR_NEEDS_PASSWORD,
  CABUT_CERTIFICATE_ERROR_MALFORMED,
  CABUT_CERTIFICATE_ERROR_UNSUPPORTED,
  CABUT_CERTIFICATE_ERROR_NO_CERTIFICATE,
  CABUT_CERTIFICATE_ERROR_UNREADABLE,
  CABUT_CERTIFICATE_ERROR_TOO_LARGE,
  CABUT_CERTIFICATE_ERROR_NO_PRIVATE_KEY,
} CabutCertificateError;

typedef enum
{
  CABUT_CERTIFICATE_FORMAT_PEM,
  CABUT_CERTIFICATE_FORMAT_DER,
  CABUT_CERTIFICATE_FORMAT_PKCS12,
} CabutCertificateFormat;

/* RFC 5280 §4.2.1.3, in bit order. */
typedef enum
{
  CABUT_KEY_USAGE_DIGITAL_SIGNATURE = 1 << 0,
  CABUT_KEY_USAGE_NON_REPUDIATION   = 1 << 1,
  CABUT_KEY_USAGE_KEY_ENCIPHERMENT  = 1 << 2,
  CABUT_KEY_USAGE_DATA_ENCIPHERMENT = 1 << 3,
  CABUT_KEY_USAGE_KEY_AGREEMENT     = 1 << 4,
  CABUT_KEY_USAGE_KEY_CERT_SIGN     = 1 << 5,
  CABUT_KEY_USAGE_CRL_SIGN          = 1 << 6,
  CABUT_KEY_USAGE_ENCIPHER_ONLY     = 1 << 7,
  CABUT_KEY_USAGE_DECIPHER_ONLY     = 1 << 8,
} CabutKeyUsage;

#define CABUT_KEY_USAGE_N_BITS 9

/* Larger than any certificate file a person holds; refused unread. */
#define CABUT_CERTIFICATE_MAX_FILE_SIZE (4 * 1024 * 1024)

#define CABUT_TYPE_CERTIFICATE (cabut_certificate_get_type ())

G_DECLARE_FINAL_TYPE (CabutCertificate, cabut_certificate, CABUT, CERTIFICATE, GObject)

GQuark                  cabut_certificate_error_quark            (void);

CabutCertificate       *cabut_certificate_new_from_bytes         (GBytes               *data,
                                                                  const char           *password,
                                                                  GError              **error);
CabutCertificate       *cabut_certificate_new_from_file          (GFile                *file,
                                                                  const char           *password,
                                                                  GCancellable         *cancellable,
                                                                  GError              **error);
void                    cabut_certificate_new_from_file_async    (GFile                *file,
                                                                  const char           *password,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
CabutCertificate       *cabut_certificate_new_from_file_finish   (GAsyncResult         *result,
                                                                  GError              **error);

CabutCertificateFormat  cabut_certificate_get_format             (CabutCertificate     *self);
const char             *cabut_certificate_format_to_string       (CabutCertificateFormat format);
const CabutDn          *cabut_certificate_get_subject            (CabutCertificate     *self);
const CabutDn          *cabut_certificate_get_issuer             (CabutCertificate     *self);
const char             *cabut_certificate_get_subject_string     (CabutCertificate     *self);
const char             *cabut_certificate_get_issuer_string      (CabutCertificate     *self);
const char             *cabut_certificate_get_serial             (CabutCertificate     *self);
GDateTime              *cabut_certificate_get_not_before         (CabutCertificate     *self);
GDateTime              *cabut_certificate_get_not_after          (CabutCertificate     *self);
gboolean                cabut_certificate_is_valid_at            (CabutCertificate     *self,
                                                                  GDateTime            *when);
const char             *cabut_certificate_get_key_type           (CabutCertificate     *self);
guint                   cabut_certificate_get_key_bits           (CabutCertificate     *self);
const char             *cabut_certificate_get_key_curve          (CabutCertificate     *self);
const char             *cabut_certificate_get_sha256             (CabutCertificate     *self);
const char             *cabut_certificate_get_sha1               (CabutCertificate     *self);
gboolean                cabut_certificate_has_key_usage          (CabutCertificate     *self);
CabutKeyUsage           cabut_certificate_get_key_usage          (CabutCertificate     *self);
const char * const     *cabut_certificate_get_extended_key_usage (CabutCertificate     *self);
const char * const     *cabut_certificate_get_crl_urls           (CabutCertificate     *self);
const char * const     *cabut_certificate_get_ocsp_urls          (CabutCertificate     *self);
gboolean                cabut_certificate_has_private_key        (CabutCertificate     *self);
gboolean                cabut_certificate_key_matches            (CabutCertificate     *self);
GPtrArray              *cabut_certificate_get_extra_certificates (CabutCertificate     *self);
GBytes                 *cabut_certificate_get_der                (CabutCertificate     *self);
char                   *cabut_certificate_to_pem                 (CabutCertificate     *self);
GBytes                 *cabut_certificate_sign                   (CabutCertificate     *self,
                                                                  GBytes               *data,
                                                                  GError              **error);
gboolean                cabut_certificate_verify_signature       (CabutCertificate     *self,
                                                                  GBytes               *data,
                                                                  GBytes               *signature);
gboolean                cabut_certificate_is_issued_by           (CabutCertificate     *self,
                                                                  CabutCertificate     *issuer);

const char             *cabut_key_usage_to_name                  (CabutKeyUsage         usage);
const char             *cabut_key_usage_to_label                 (CabutKeyUsage         usage);
const char             *cabut_extended_key_usage_to_label        (const char           *name);

G_END_DECLS
