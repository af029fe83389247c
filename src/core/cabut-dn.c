/* cabut-dn.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-dn"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-dn-private.h"

/* A distinguished name, kept as OpenSSL's X509_NAME so that nothing is lost
 * between the certificate and what we print, compare and send. */
struct _CabutDn
{
  X509_NAME *name;
};

struct _CabutRdnAttribute
{
  char  *oid;
  char  *name;
  char  *label;
  char  *value;
  guint  rdn;
};

G_DEFINE_QUARK (cabut-dn-error-quark, cabut_dn_error)
G_DEFINE_BOXED_TYPE (CabutDn, cabut_dn, cabut_dn_copy, cabut_dn_free)
G_DEFINE_BOXED_TYPE (CabutRdnAttribute, cabut_rdn_attribute,
                     cabut_rdn_attribute_copy, cabut_rdn_attribute_free)

static const struct {
  int         nid;
  const char *label;
} attribute_labels[] = {
  { NID_commonName, N_("Common name") },
  { NID_surname, N_("Surname") },
  { NID_givenName, N_("Given name") },
  { NID_initials, N_("Initials") },
  { NID_pseudonym, N_("Pseudonym") },
  { NID_name, N_("Name") },
  { NID_title, N_("Title") },
  { NID_serialNumber, N_("Identity number") },
  { NID_countryName, N_("Country") },
  { NID_stateOrProvinceName, N_("Province") },
  { NID_localityName, N_("City or regency") },
  { NID_streetAddress, N_("Street address") },
  { NID_postalCode, N_("Postal code") },
  { NID_organizationName, N_("Organization") },
  { NID_organizationalUnitName, N_("Organizational unit") },
  { NID_organizationIdentifier, N_("Organization identifier") },
  { NID_businessCategory, N_("Business category") },
  { NID_pkcs9_emailAddress, N_("Email address") },
  { NID_userId, N_("User ID") },
  { NID_domainComponent, N_("Domain component") },
  { NID_dnQualifier, N_("DN qualifier") },
  { NID_generationQualifier, N_("Generation qualifier") },
};

static const char *
label_for_nid (int nid)
{
  for (guint i = 0; i < G_N_ELEMENTS (attribute_labels); i++)
    if (attribute_labels[i].nid == nid)
      return g_dgettext (GETTEXT_PACKAGE, attribute_labels[i].label);

  return NULL;
}

static char *
oid_to_string (const ASN1_OBJECT *obj)
{
  char buf[128];
  int len = OBJ_obj2txt (buf, sizeof buf, obj, 1);

  if (len <= 0 || len >= (int) sizeof buf)
    return g_strdup ("?");

  return g_strdup (buf);
}

/* The value as UTF-8 when it is a string that converts cleanly, else NULL. */
static char *
entry_value_utf8 (const X509_NAME_ENTRY *entry)
{
  const ASN1_STRING *data = X509_NAME_ENTRY_get_data (entry);
  unsigned char *out = NULL;
  char *ret = NULL;
  int len;

  len = ASN1_STRING_to_UTF8 (&out, data);
  if (len < 0)
    {
      ERR_clear_error ();
      return NULL;
    }

  if (memchr (out, '\0', len) == NULL && g_utf8_validate ((const char *) out, len, NULL))
    ret = g_strndup ((const char *) out, len);

  OPENSSL_free (out);

  return ret;
}

/* RFC 4514 §2.4: a value that is not a string is written as '#' and its DER. */
static char *
entry_value_hex (const X509_NAME_ENTRY *entry)
{
  const ASN1_STRING *data = X509_NAME_ENTRY_get_data (entry);
  g_autoptr(ASN1_TYPE) type = ASN1_TYPE_new ();
  g_autofree char *hex = NULL;
  unsigned char *der = NULL;
  int len;

  ASN1_TYPE_set1 (type, ASN1_STRING_type (data), data);
  len = i2d_ASN1_TYPE (type, &der);
  if (len <= 0)
    return g_strdup ("#");

  hex = cabut_openssl_hex (der, len);
  OPENSSL_free (der);

  return g_strconcat ("#", hex, NULL);
}

static CabutRdnAttribute *
rdn_attribute_new_from_entry (const X509_NAME_ENTRY *entry,
                              guint                  rdn)
{
  CabutRdnAttribute *self = g_new0 (CabutRdnAttribute, 1);
  const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object (entry);
  int nid = OBJ_obj2nid (obj);
  const char *label;

  self->oid = oid_to_string (obj);
  self->name = g_strdup (nid != NID_undef ? OBJ_nid2sn (nid) : self->oid);
  label = label_for_nid (nid);
  self->label = g_strdup (label != NULL ? label : self->name);
  self->value = entry_value_utf8 (entry);
  if (self->value == NULL)
    self->value = entry_value_hex (entry);
  self->rdn = rdn;

  return self;
}

CabutDn *
cabut_dn_new_from_x509_name (const X509_NAME *name)
{
  CabutDn *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (CabutDn, 1);
  self->name = X509_NAME_dup (name);

  return self;
}

const X509_NAME *
cabut_dn_get_x509_name (const CabutDn *dn)
{
  g_return_val_if_fail (dn != NULL, NULL);

  return dn->name;
}

/**
 * cabut_dn_new_from_der:
 * @der: a DER-encoded X.501 Name
 *
 * Returns: (transfer full): the name, or %NULL with @error set
 */
CabutDn *
cabut_dn_new_from_der (GBytes  *der,
                       GError **error)
{
  const unsigned char *p;
  gsize len;
  X509_NAME *name;
  CabutDn *self;

  g_return_val_if_fail (der != NULL, NULL);

  p = g_bytes_get_data (der, &len);
  name = d2i_X509_NAME (NULL, &p, len);
  if (name == NULL || p != (const unsigned char *) g_bytes_get_data (der, NULL) + len)
    {
      X509_NAME_free (name);
      ERR_clear_error ();
      g_set_error_literal (error, CABUT_DN_ERROR, CABUT_DN_ERROR_INVALID,
                           _("The distinguished name is damaged"));
      return NULL;
    }

  self = g_new0 (CabutDn, 1);
  self->name = name;

  return self;
}

typedef struct
{
  ASN1_OBJECT *obj;
  GByteArray  *value;     /* UTF-8, or DER when is_der */
  gboolean     is_der;
  gboolean     joined;    /* joined to the previous one with '+' */
} ParsedAttribute;

static void
parsed_attribute_clear (gpointer data)
{
  ParsedAttribute *attr = data;

  ASN1_OBJECT_free (attr->obj);
  g_byte_array_unref (attr->value);
}

static ASN1_OBJECT *
lookup_attribute_type (const char *type)
{
  static const struct { const char *alias; int nid; } aliases[] = {
    { "E", NID_pkcs9_emailAddress },
    { "EMAIL", NID_pkcs9_emailAddress },
    { "EMAILADDRESS", NID_pkcs9_emailAddress },
    { "STREET", NID_streetAddress },
    { "UID", NID_userId },
    { "SERIALNUMBER", NID_serialNumber },
    { "SN", NID_surname },
    { "GIVENNAME", NID_givenName },
    { "TITLE", NID_title },
    { "DC", NID_domainComponent },
  };
  ASN1_OBJECT *obj;

  /* Short names first (case as OpenSSL knows them), then numeric OIDs. */
  if ((obj = OBJ_txt2obj (type, 0)) != NULL)
    return obj;
  ERR_clear_error ();

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (type, aliases[i].alias) == 0)
      return OBJ_nid2obj (aliases[i].nid);

  {
    g_autofree char *upper = g_ascii_strup (type, -1);
    if ((obj = OBJ_txt2obj (upper, 0)) != NULL)
      return obj;
    ERR_clear_error ();
  }

  return NULL;
}

static int
hex_value (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

static gboolean
parse_dn_string (const char  *str,
                 GArray      *attrs,
                 GError     **error)
{
  const char *p = str;
  gboolean joined = FALSE;

  while (*p == ' ')
    p++;
  if (*p == '\0')
    return TRUE;

  for (;;)
    {
      ParsedAttribute attr = { 0 };
      g_autofree char *type = NULL;
      const char *start;
      const char *end;

      while (*p == ' ')
        p++;

      start = p;
      while (*p != '\0' && *p != '=' && *p != ',' && *p != '+')
        p++;
      if (*p != '=')
        {
          g_set_error (error, CABUT_DN_ERROR, CABUT_DN_ERROR_INVALID,
                       _("The distinguished name “%s” is not written correctly: "
                         "an attribute has no “=”"), str);
          return FALSE;
        }
      end = p;
      while (end > start && end[-1] == ' ')
        end--;
      type = g_strndup (start, end - start);
      if (*type == '\0' || (attr.obj = lookup_attribute_type (type)) == NULL)
        {
          g_set_error (error, CABUT_DN_ERROR, CABUT_DN_ERROR_INVALID,
                       _("The distinguished name “%s” names an unknown attribute “%s”"),
                       str, type);
          return FALSE;
        }
      p++; /* '=' */

      attr.value = g_byte_array_new ();
      attr.joined = joined;

      if (*p == '#')
        {
          p++;
          while (hex_value (p[0]) >= 0 && hex_value (p[1]) >= 0)
            {
              guint8 byte = hex_value (p[0]) << 4 | hex_value (p[1]);
              g_byte_array_append (attr.value, &byte, 1);
              p += 2;
            }
          attr.is_der = TRUE;
          while (*p == ' ')
            p++;
        }
      else
        {
          gsize significant = 0; /* length up to the last escaped or non-space byte */

          while (*p != '\0' && *p != ',' && *p != '+')
            {
              guint8 byte;

              if (*p == '\\')
                {
                  if (hex_value (p[1]) >= 0 && hex_value (p[2]) >= 0)
                    {
                      byte = hex_value (p[1]) << 4 | hex_value (p[2]);
                      p += 3;
                    }
                  else if (p[1] != '\0')
                    {
                      byte = p[1];
                      p += 2;
                    }
                  else
                    {
                      g_set_error (error, CABUT_DN_ERROR, CABUT_DN_ERROR_INVALID,
                                   _("The distinguished name “%s” ends in the middle of an "
                                     "escape sequence"), str);
                      parsed_attribute_clear (&attr);
                      return FALSE;
                    }
                  g_byte_array_append (attr.value, &byte, 1);
                  significant = attr.value->len;
                }
              else
                {
                  byte = *p++;
                  /* Unescaped leading spaces are not part of the value. */
                  if (byte == ' ' && attr.value->len == 0)
                    continue;
                  g_byte_array_append (attr.value, &byte, 1);
                  if (byte != ' ')
                    significant = attr.value->len;
                }
            }
          g_byte_array_set_size (attr.value, significant);

          if (!g_utf8_validate ((const char *) attr.value->data, attr.value->len, NULL))
            {
              g_set_error (error, CABUT_DN_ERROR, CABUT_DN_ERROR_INVALID,
                           _("The distinguished name “%s” holds text that is not valid UTF-8"),
                           str);
              parsed_attribute_clear (&attr);
              return FALSE;
            }
        }

      g_array_append_val (attrs, attr);

      if (*p == '\0')
        return TRUE;
      if (*p != ',' && *p != '+')
        {
          g_set_error (error, CABUT_DN_ERROR, CABUT_DN_ERROR_INVALID,
                       _("The distinguished name “%s” is not written correctly"), str);
          return FALSE;
        }
      joined = (*p == '+');
      p++;
    }
}

/**
 * cabut_dn_new_from_string:
 * @rfc4514: a distinguished name as an RFC 4514 string, most specific RDN first
 *
 * Parses the string form that certificates are shown in (and that
 * `openssl x509 -nameopt RFC2253` prints) back into a name.
 *
 * Returns: (transfer full): the name, or %NULL with @error set
 */
CabutDn *
cabut_dn_new_from_string (const char  *rfc4514,
                          GError     **error)
{
  g_autoptr(GArray) attrs = NULL;
  g_autoptr(X509_NAME) name = NULL;
  CabutDn *self;

  g_return_val_if_fail (rfc4514 != NULL, NULL);

  attrs = g_array_new (FALSE, TRUE, sizeof (ParsedAttribute));
  g_array_set_clear_func (attrs, parsed_attribute_clear);

  if (!parse_dn_string (rfc4514, attrs, error))
    return NULL;

  name = X509_NAME_new ();

  /* The string lists the most specific RDN first; the encoding last. */
  for (guint i = attrs->len; i > 0; i--)
    {
      ParsedAttribute *attr = &g_array_index (attrs, ParsedAttribute, i - 1);
      /* attr i-1 joins i-2; when walking backwards, i-1 joins what we added before it */
      ParsedAttribute *after = i < attrs->len ? &g_array_index (attrs, ParsedAttribute, i) : NULL;
      int set = (after != NULL && after->joined) ? -1 : 0;
      gboolean ok;

      if (attr->is_der)
        {
          const unsigned char *der = attr->value->data;
          g_autoptr(ASN1_TYPE) type = d2i_ASN1_TYPE (NULL, &der, attr->value->len);
          g_autoptr(X509_NAME_ENTRY) entry = NULL;

          if (type == NULL || type->type == V_ASN1_SEQUENCE || type->type == V_ASN1_SET ||
              type->type == V_ASN1_BOOLEAN || type->type == V_ASN1_NULL ||
              type->type == V_ASN1_OBJECT)
            {
              ERR_clear_error ();
              g_set_error (error, CABUT_DN_ERROR, CABUT_DN_ERROR_INVALID,
                           _("The distinguished name “%s” holds a value in hexadecimal "
                             "that is not valid"), rfc4514);
              return NULL;
            }
          entry = X509_NAME_ENTRY_create_by_OBJ (NULL, attr->obj, type->type,
                                                 type->value.asn1_string->data,
                                                 type->value.asn1_string->length);
          ok = entry != NULL && X509_NAME_add_entry (name, entry, -1, set);
        }
      else
        {
          ok = X509_NAME_add_entry_by_OBJ (name, attr->obj, MBSTRING_UTF8,
                                           attr->value->data, attr->value->len, -1, set);
        }

      if (!ok)
        {
          ERR_clear_error ();
          g_set_error (error, CABUT_DN_ERROR, CABUT_DN_ERROR_INVALID,
                       _("The distinguished name “%s” holds a value that is not allowed "
                         "for its attribute"), rfc4514);
          return NULL;
        }
    }

  self = g_new0 (CabutDn, 1);
  self->name = g_steal_pointer (&name);

  return self;
}

CabutDn *
cabut_dn_copy (const CabutDn *dn)
{
  g_return_val_if_fail (dn != NULL, NULL);

  return cabut_dn_new_from_x509_name (dn->name);
}

void
cabut_dn_free (CabutDn *dn)
{
  if (dn == NULL)
    return;

  X509_NAME_free (dn->name);
  g_free (dn);
}

/**
 * cabut_dn_to_der:
 *
 * Returns: (transfer full): the DER encoding of the name
 */
GBytes *
cabut_dn_to_der (const CabutDn *dn)
{
  unsigned char *der = NULL;
  GBytes *bytes;
  int len;

  g_return_val_if_fail (dn != NULL, NULL);

  len = i2d_X509_NAME (dn->name, &der);
  if (len <= 0)
    return g_bytes_new (NULL, 0);

  bytes = cabut_openssl_der_to_bytes (der, len);

  return bytes;
}

/**
 * cabut_dn_to_string:
 *
 * Formats the name as RFC 4514 text, most specific RDN first, with non-ASCII
 * characters kept as UTF-8: exactly what
 * `openssl x509 -noout -subject -nameopt RFC2253,-esc_msb` prints.
 *
 * Returns: (transfer full): the string
 */
char *
cabut_dn_to_string (const CabutDn *dn)
{
  g_autoptr(BIO) bio = NULL;

  g_return_val_if_fail (dn != NULL, NULL);

  bio = BIO_new (BIO_s_mem ());
  X509_NAME_print_ex (bio, dn->name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);

  return cabut_openssl_bio_steal (bio);
}

/**
 * cabut_dn_get_attributes:
 *
 * The attributes in the order they are written (most specific first). The
 * attributes of a multi-valued RDN share one RDN index.
 *
 * Returns: (transfer container) (element-type CabutRdnAttribute): the attributes
 */
GPtrArray *
cabut_dn_get_attributes (const CabutDn *dn)
{
  GPtrArray *ret;
  int count;
  int last_set;

  g_return_val_if_fail (dn != NULL, NULL);

  ret = g_ptr_array_new_with_free_func ((GDestroyNotify) cabut_rdn_attribute_free);
  count = X509_NAME_entry_count (dn->name);
  if (count == 0)
    return ret;

  last_set = X509_NAME_ENTRY_set (X509_NAME_get_entry (dn->name, count - 1));
  for (int i = count - 1; i >= 0; i--)
    {
      const X509_NAME_ENTRY *entry = X509_NAME_get_entry (dn->name, i);

      g_ptr_array_add (ret, rdn_attribute_new_from_entry (entry,
                                                         last_set - X509_NAME_ENTRY_set (entry)));
    }

  return ret;
}

/**
 * cabut_dn_dup_value:
 * @name: an attribute's short name, e.g. "OU" or "emailAddress"
 *
 * Returns: (transfer full) (nullable): the value of the most specific
 *   attribute of that type, as UTF-8
 */
char *
cabut_dn_dup_value (const CabutDn *dn,
                    const char    *name)
{
  int nid;
  int idx = -1;

  g_return_val_if_fail (dn != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if ((nid = OBJ_sn2nid (name)) == NID_undef)
    return NULL;

  /* The last one in the encoding is the most specific. */
  for (int next = X509_NAME_get_index_by_NID (dn->name, nid, -1);
       next >= 0;
       next = X509_NAME_get_index_by_NID (dn->name, nid, next))
    idx = next;

  if (idx < 0)
    return NULL;

  return entry_value_utf8 (X509_NAME_get_entry (dn->name, idx));
}

/**
 * cabut_dn_dup_common_name:
 *
 * Returns: (transfer full) (nullable): the most specific common name, as UTF-8
 */
char *
cabut_dn_dup_common_name (const CabutDn *dn)
{
  return cabut_dn_dup_value (dn, "CN");
}

/* RFC 5280 §7.1 with RFC 4518 string preparation: compatibility-normalise,
 * fold case, drop leading and trailing space and squeeze inner runs. */
static char *
prepare_string (const char *value)
{
  g_autofree char *normalized = g_utf8_normalize (value, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = NULL;
  g_autofree char *renormalized = NULL;
  GString *out;
  gboolean pending_space = FALSE;

  if (normalized == NULL)
    return NULL;

  folded = g_utf8_casefold (normalized, -1);
  renormalized = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
  out = g_string_new (NULL);

  for (const char *p = renormalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static gboolean
entry_values_match (const X509_NAME_ENTRY *a,
                    const X509_NAME_ENTRY *b)
{
  g_autofree char *ua = entry_value_utf8 (a);
  g_autofree char *ub = entry_value_utf8 (b);

  if (ua != NULL && ub != NULL)
    {
      g_autofree char *pa = prepare_string (ua);
      g_autofree char *pb = prepare_string (ub);

      return pa != NULL && pb != NULL && g_str_equal (pa, pb);
    }
  else
    {
      g_autofree char *ha = entry_value_hex (a);
      g_autofree char *hb = entry_value_hex (b);

      return g_str_equal (ha, hb);
    }
}

/* Entries of the RDN that starts at @first: returns the index after it. */
static int
rdn_end (const X509_NAME *name,
         int              first)
{
  int count = X509_NAME_entry_count (name);
  int set = X509_NAME_ENTRY_set (X509_NAME_get_entry (name, first));
  int i = first + 1;

  while (i < count && X509_NAME_ENTRY_set (X509_NAME_get_entry (name, i)) == set)
    i++;

  return i;
}

/**
 * cabut_dn_equal:
 *
 * Compares two names the way RFC 5280 §7.1 asks: the same RDNs in the same
 * order, each RDN holding the same set of attributes, string values matched
 * without regard to case, string type or runs of white space.
 *
 * Returns: %TRUE if the names match
 */
gboolean
cabut_dn_equal (const CabutDn *a,
                const CabutDn *b)
{
  int ia = 0;
  int ib = 0;
  int count_a;
  int count_b;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  count_a = X509_NAME_entry_count (a->name);
  count_b = X509_NAME_entry_count (b->name);
  if (count_a != count_b)
    return FALSE;

  while (ia < count_a && ib < count_b)
    {
      int end_a = rdn_end (a->name, ia);
      int end_b = rdn_end (b->name, ib);
      guint64 used = 0;

      if (end_a - ia != end_b - ib || end_a - ia > 64)
        return FALSE;

      /* Within one RDN the attributes form a set: order does not matter. */
      for (int i = ia; i < end_a; i++)
        {
          const X509_NAME_ENTRY *ea = X509_NAME_get_entry (a->name, i);
          gboolean found = FALSE;

          for (int j = ib; j < end_b && !found; j++)
            {
              const X509_NAME_ENTRY *eb = X509_NAME_get_entry (b->name, j);

              if (used & (G_GUINT64_CONSTANT (1) << (j - ib)))
                continue;
              if (OBJ_cmp (X509_NAME_ENTRY_get_object (ea), X509_NAME_ENTRY_get_object (eb)) != 0)
                continue;
              if (!entry_values_match (ea, eb))
                continue;

              used |= G_GUINT64_CONSTANT (1) << (j - ib);
              found = TRUE;
            }

          if (!found)
            return FALSE;
        }

      ia = end_a;
      ib = end_b;
    }

  return ia == count_a && ib == count_b;
}

/**
 * cabut_dn_string_equal:
 *
 * Parses two RFC 4514 strings and compares them with cabut_dn_equal().
 * A string that does not parse matches nothing.
 */
gboolean
cabut_dn_string_equal (const char *a,
                       const char *b)
{
  g_autoptr(CabutDn) da = NULL;
  g_autoptr(CabutDn) db = NULL;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  da = cabut_dn_new_from_string (a, NULL);
  db = cabut_dn_new_from_string (b, NULL);

  return da != NULL && db != NULL && cabut_dn_equal (da, db);
}

/**
 * cabut_dn_value_equal:
 * @a: an attribute value, UTF-8
 * @b: another one
 *
 * Compares two attribute values as cabut_dn_equal() compares string values:
 * without regard to case or runs of white space (RFC 5280 §7.1).
 *
 * Returns: %TRUE if the values match
 */
gboolean
cabut_dn_value_equal (const char *a,
                      const char *b)
{
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  pa = prepare_string (a);
  pb = prepare_string (b);

  return pa != NULL && pb != NULL && g_str_equal (pa, pb);
}

/* A person's name without the academic and religious titles an
 * Indonesian name carries around it: degrees after the first comma
 * ("Budi Santoso, S.Kom., M.T."), titles before it ("Dr. Ir. H. …"). */
static char *
strip_titles (const char *name)
{
  static const char * const prefixes[] = { "dr.", "drs.", "dra.", "ir.", "prof.", "h.", "hj.", NULL };
  g_autofree char *copy = g_strdup (name);
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  char *comma = strchr (copy, ',');
  gboolean in_name = FALSE;

  if (comma != NULL)
    *comma = '\0';
  words = g_strsplit_set (copy, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *lower = g_utf8_strdown (words[i], -1);

      if (*words[i] == '\0')
        continue;
      if (!in_name && g_strv_contains (prefixes, lower))
        continue;
      in_name = TRUE;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * cabut_dn_name_equal:
 * @a: a person's name, UTF-8
 * @b: another spelling of it
 *
 * Compares two people's names as cabut_dn_value_equal() does, ignoring
 * the academic and religious titles around them: "Budi Santoso, S.Kom."
 * and "budi  santoso" are the same person's name.
 *
 * Returns: %TRUE if the names match
 */
gboolean
cabut_dn_name_equal (const char *a,
                     const char *b)
{
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  pa = strip_titles (a);
  pb = strip_titles (b);

  return *pa != '\0' && *pb != '\0' && cabut_dn_value_equal (pa, pb);
}

/**
 * cabut_rdn_attribute_new:
 * @oid: the attribute type's dotted OID
 * @name: (nullable): its short name as another party spelt it; OpenSSL's
 *   for a known @oid wins
 * @value: its value, UTF-8
 * @rdn: the index of the RDN it belongs to
 *
 * An attribute read from elsewhere than a certificate (the service's
 * answers), labelled as a certificate's would be.
 *
 * Returns: (transfer full) (nullable): the attribute, or %NULL when @oid is
 *   not a dotted OID
 */
CabutRdnAttribute *
cabut_rdn_attribute_new (const char *oid,
                         const char *name,
                         const char *value,
                         guint       rdn)
{
  CabutRdnAttribute *self;
  g_autoptr(ASN1_OBJECT) obj = NULL;
  const char *label;
  int nid;

  g_return_val_if_fail (oid != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  /* Numbers only: a name here would be looked up as one. */
  if ((obj = OBJ_txt2obj (oid, 1)) == NULL)
    return NULL;
  nid = OBJ_obj2nid (obj);

  self = g_new0 (CabutRdnAttribute, 1);
  self->oid = oid_to_string (obj);
  self->name = g_strdup (nid != NID_undef ? OBJ_nid2sn (nid) : (name != NULL ? name : self->oid));
  label = label_for_nid (nid);
  self->label = g_strdup (label != NULL ? label : self->name);
  self->value = g_strdup (value);
  self->rdn = rdn;

  return self;
}

CabutRdnAttribute *
cabut_rdn_attribute_copy (const CabutRdnAttribute *attribute)
{
  CabutRdnAttribute *copy;

  g_return_val_if_fail (attribute != NULL, NULL);

  copy = g_new0 (CabutRdnAttribute, 1);
  copy->oid = g_strdup (attribute->oid);
  copy->name = g_strdup (attribute->name);
  copy->label = g_strdup (attribute->label);
  copy->value = g_strdup (attribute->value);
  copy->rdn = attribute->rdn;

  return copy;
}

void
cabut_rdn_attribute_free (CabutRdnAttribute *attribute)
{
  if (attribute == NULL)
    return;

  g_free (attribute->oid);
  g_free (attribute->name);
  g_free (attribute->label);
  g_free (attribute->value);
  g_free (attribute);
}

/** cabut_rdn_attribute_get_oid: Returns: the dotted OID, e.g. "2.5.4.3" */
const char *
cabut_rdn_attribute_get_oid (const CabutRdnAttribute *attribute)
{
  g_return_val_if_fail (attribute != NULL, NULL);
  return attribute->oid;
}

/** cabut_rdn_attribute_get_name: Returns: OpenSSL's short name, e.g. "CN" */
const char *
cabut_rdn_attribute_get_name (const CabutRdnAttribute *attribute)
{
  g_return_val_if_fail (attribute != NULL, NULL);
  return attribute->name;
}

/** cabut_rdn_attribute_get_label: Returns: a label for people, in their language */
const char *
cabut_rdn_attribute_get_label (const CabutRdnAttribute *attribute)
{
  g_return_val_if_fail (attribute != NULL, NULL);
  return attribute->label;
}

/** cabut_rdn_attribute_get_value: Returns: the value as UTF-8, or '#' and hex DER */
const char *
cabut_rdn_attribute_get_value (const CabutRdnAttribute *attribute)
{
  g_return_val_if_fail (attribute != NULL, NULL);
  return attribute->value;
}

/** cabut_rdn_attribute_get_rdn: Returns: the RDN's position, 0 for the most specific */
guint
cabut_rdn_attribute_get_rdn (const CabutRdnAttribute *attribute)
{
  g_return_val_if_fail (attribute != NULL, 0);
  return attribute->rdn;
}
