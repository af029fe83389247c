/* cabut-openssl-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

G_BEGIN_DECLS

/* The one place where OpenSSL objects learn to clean up after themselves. */
typedef STACK_OF (X509) CabutX509Stack;
typedef STACK_OF (ASN1_OBJECT) CabutAsn1ObjectStack;
typedef STACK_OF (DIST_POINT) CabutDistPointStack;
typedef STACK_OF (OPENSSL_STRING) CabutStringStack;
typedef STACK_OF (ASN1_TYPE) CabutAsn1TypeStack;

void cabut_x509_stack_free          (CabutX509Stack       *stack);
void cabut_asn1_object_stack_free   (CabutAsn1ObjectStack *stack);
void cabut_dist_point_stack_free    (CabutDistPointStack  *stack);
void cabut_string_stack_free        (CabutStringStack     *stack);
void cabut_asn1_type_stack_free     (CabutAsn1TypeStack   *stack);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_NAME, X509_NAME_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_NAME_ENTRY, X509_NAME_ENTRY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free_all)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS12, PKCS12_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_OBJECT, ASN1_OBJECT_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_TYPE, ASN1_TYPE_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_STRING, ASN1_STRING_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GENERAL_NAMES, GENERAL_NAMES_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AUTHORITY_INFO_ACCESS, AUTHORITY_INFO_ACCESS_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ISSUING_DIST_POINT, ISSUING_DIST_POINT_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_CRL, X509_CRL_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_STORE, X509_STORE_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS7, PKCS7_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OCSP_REQUEST, OCSP_REQUEST_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OCSP_RESPONSE, OCSP_RESPONSE_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OCSP_BASICRESP, OCSP_BASICRESP_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OCSP_CERTID, OCSP_CERTID_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_REVOKED, X509_REVOKED_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_INTEGER, ASN1_INTEGER_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_ENUMERATED, ASN1_ENUMERATED_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_TIME, ASN1_TIME_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_OCTET_STRING, ASN1_OCTET_STRING_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_BIT_STRING, ASN1_BIT_STRING_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GENERAL_NAME, GENERAL_NAME_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AUTHORITY_KEYID, AUTHORITY_KEYID_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutX509Stack, cabut_x509_stack_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutAsn1ObjectStack, cabut_asn1_object_stack_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutDistPointStack, cabut_dist_point_stack_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutStringStack, cabut_string_stack_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutAsn1TypeStack, cabut_asn1_type_stack_free)

void   cabut_openssl_init        (void);
char  *cabut_openssl_bio_steal   (BIO                *bio);
GBytes *cabut_openssl_der_to_bytes (unsigned char  *der,
                                    int             len);
char  *cabut_openssl_hex         (const guint8       *data,
                                  gsize               len);
char  *cabut_openssl_error_string (void);
char  *cabut_openssl_serial_string (const ASN1_INTEGER *serial);
GDateTime *cabut_openssl_time_to_date_time (const ASN1_TIME *time);

G_END_DECLS
