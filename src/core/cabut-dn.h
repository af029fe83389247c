/* cabut-dn.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CABUT_DN_ERROR (cabut_dn_error_quark ())

typedef enum
{
  CABUT_DN_ERROR_INVALID,
} CabutDnError;

#define CABUT_TYPE_DN            (cabut_dn_get_type ())
#define CABUT_TYPE_RDN_ATTRIBUTE (cabut_rdn_attribute_get_type ())

typedef struct _CabutDn           CabutDn;
typedef struct _CabutRdnAttribute CabutRdnAttribute;

GQuark             cabut_dn_error_quark            (void);
GType              cabut_dn_get_type               (void) G_GNUC_CONST;
GType              cabut_rdn_attribute_get_type    (void) G_GNUC_CONST;

CabutDn           *cabut_dn_new_from_der           (GBytes                  *der,
                                                    GError                 **error);
CabutDn           *cabut_dn_new_from_string        (const char              *rfc4514,
                                                    GError                 **error);
CabutDn           *cabut_dn_copy                   (const CabutDn           *dn);
void               cabut_dn_free                   (CabutDn                 *dn);
GBytes            *cabut_dn_to_der                 (const CabutDn           *dn);
char              *cabut_dn_to_string              (const CabutDn           *dn);
GPtrArray         *cabut_dn_get_attributes         (const CabutDn           *dn);
char              *cabut_dn_dup_common_name        (const CabutDn           *dn);
char              *cabut_dn_dup_value              (const CabutDn           *dn,
                                                    const char              *name);
gboolean           cabut_dn_equal                  (const CabutDn           *a,
                                                    const CabutDn           *b);
gboolean           cabut_dn_string_equal           (const char              *a,
                                                    const char              *b);
gboolean           cabut_dn_value_equal            (const char              *a,
                                                    const char              *b);
gboolean           cabut_dn_name_equal             (const char              *a,
                                                    const char              *b);

CabutRdnAttribute *cabut_rdn_attribute_new         (const char              *oid,
                                                    const char              *name,
                                                    const char              *value,
                                                    guint                    rdn);
CabutRdnAttribute *cabut_rdn_attribute_copy        (const CabutRdnAttribute *attribute);
void               cabut_rdn_attribute_free        (CabutRdnAttribute       *attribute);
const char        *cabut_rdn_attribute_get_oid     (const CabutRdnAttribute *attribute);
const char        *cabut_rdn_attribute_get_name    (const CabutRdnAttribute *attribute);
const char        *cabut_rdn_attribute_get_label   (const CabutRdnAttribute *attribute);
const char        *cabut_rdn_attribute_get_value   (const CabutRdnAttribute *attribute);
guint              cabut_rdn_attribute_get_rdn     (const CabutRdnAttribute *attribute);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutDn, cabut_dn_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutRdnAttribute, cabut_rdn_attribute_free)

G_END_DECLS
