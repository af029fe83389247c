/* test-dn.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cabut-core.h"
#include "cabut-test-util.h"

static void
assert_dn_equal (const char *a,
                 const char *b,
                 gboolean    expected)
{
  g_autoptr(CabutDn) da = NULL;
  g_autoptr(CabutDn) db = NULL;
  g_autoptr(GError) error = NULL;

  da = cabut_dn_new_from_string (a, &error);
  g_assert_no_error (error);
  db = cabut_dn_new_from_string (b, &error);
  g_assert_no_error (error);

  if (cabut_dn_equal (da, db) != expected)
    g_error ("“%s” and “%s” should %smatch", a, b, expected ? "" : "not ");
  /* Matching is symmetric. */
  g_assert_cmpint (cabut_dn_equal (db, da), ==, expected);
  g_assert_cmpint (cabut_dn_string_equal (a, b), ==, expected);
}

static void
test_rfc5280_matching (void)
{
  const char *base = "CN=Budi Santoso,OU=Dinas Komunikasi dan Informatika,O=Pemerintah Kota Contoh,C=ID";

  assert_dn_equal (base, base, TRUE);
  /* Case-insensitive. */
  assert_dn_equal (base, "cn=BUDI SANTOSO,ou=dinas komunikasi dan informatika,o=PEMERINTAH kota contoh,c=id", TRUE);
  /* Inner runs of white space fold into one; leading and trailing ones go. */
  assert_dn_equal (base, "CN=Budi    Santoso,OU=Dinas  Komunikasi dan   Informatika,O=Pemerintah Kota Contoh,C=ID", TRUE);
  assert_dn_equal (base, "CN=\\ Budi Santoso\\ ,OU=Dinas Komunikasi dan Informatika,O=Pemerintah Kota Contoh,C=ID", TRUE);
  /* Attribute names may be long names or OIDs. */
  assert_dn_equal (base, "commonName=Budi Santoso,organizationalUnitName=Dinas Komunikasi dan Informatika,2.5.4.10=Pemerintah Kota Contoh,C=ID", TRUE);
  /* Non-ASCII case folding. */
  assert_dn_equal ("CN=Ni Luh Putu Ayu Ségara,C=ID", "CN=NI LUH PUTU AYU SÉGARA,C=ID", TRUE);
  /* Compatibility normalisation: a precomposed é and e + combining acute. */
  assert_dn_equal ("CN=S\xc3\xa9gara,C=ID", "CN=Se\xcc\x81gara,C=ID", TRUE);

  /* Different value, order, or number of RDNs: no match. */
  assert_dn_equal (base, "CN=Budi Santosa,OU=Dinas Komunikasi dan Informatika,O=Pemerintah Kota Contoh,C=ID", FALSE);
  assert_dn_equal (base, "OU=Dinas Komunikasi dan Informatika,CN=Budi Santoso,O=Pemerintah Kota Contoh,C=ID", FALSE);
  assert_dn_equal (base, "CN=Budi Santoso,O=Pemerintah Kota Contoh,C=ID", FALSE);
  assert_dn_equal (base, "CN=Budi Santoso,OU=Dinas Komunikasi dan Informatika,O=Pemerintah Kota Contoh,C=MY", FALSE);
  assert_dn_equal ("CN=Budi Santoso", "CN=BudiSantoso", FALSE);
  /* Same value under another attribute type. */
  assert_dn_equal ("CN=Budi", "OU=Budi", FALSE);

  /* Multi-valued RDNs are sets: order inside does not matter, membership does. */
  assert_dn_equal ("CN=Rina Wulandari+UID=rina.w,O=Contoh,C=ID", "UID=rina.w+CN=Rina Wulandari,O=Contoh,C=ID", TRUE);
  assert_dn_equal ("CN=Rina Wulandari+UID=rina.w,O=Contoh,C=ID", "CN=Rina Wulandari,UID=rina.w,O=Contoh,C=ID", FALSE);
  assert_dn_equal ("CN=Rina Wulandari+UID=rina.w,O=Contoh,C=ID", "CN=Rina Wulandari+UID=rina.x,O=Contoh,C=ID", FALSE);
}

static void
test_parse_errors (void)
{
  const char *bad[] = {
    "CN",
    "CN=Budi,O",
    "=Budi",
    "XYZZY=Budi",
    "CN=Budi\\",
    "C=Indonesia",          /* countryName is two letters */
    "CN=#zz",
    "CN=Budi\\ff\\fe",      /* escapes that are not UTF-8 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CabutDn) dn = cabut_dn_new_from_string (bad[i], &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (dn);
      g_assert_error (error, CABUT_DN_ERROR, CABUT_DN_ERROR_INVALID);
      g_assert_false (cabut_dn_string_equal (bad[i], bad[i]));
    }

  /* The empty DN is a DN. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CabutDn) dn = cabut_dn_new_from_string ("", &error);
    g_autofree char *str = NULL;

    g_assert_no_error (error);
    str = cabut_dn_to_string (dn);
    g_assert_cmpstr (str, ==, "");
  }
}

/* Every fixture's subject, printed as openssl prints it, parses back into a
 * name that matches the certificate's own and prints the same again. */
static void
test_round_trip_fixtures (void)
{
  g_autoptr(GPtrArray) fixtures = cabut_test_load_fixtures ();
  guint checked = 0;

  for (guint i = 0; i < fixtures->len; i++)
    {
      const CabutFixture *fixture = g_ptr_array_index (fixtures, i);
      g_autoptr(GFile) file = NULL;
      g_autoptr(CabutCertificate) cert = NULL;
      g_autoptr(CabutDn) parsed = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *printed = NULL;
      g_autoptr(GBytes) der = NULL;
      g_autoptr(CabutDn) from_der = NULL;

      if (!g_str_equal (fixture->expect, "ok"))
        continue;

      file = g_file_new_for_path (fixture->file);
      cert = cabut_certificate_new_from_file (file, fixture->password, NULL, &error);
      g_assert_no_error (error);

      g_test_message ("%s: %s", fixture->name, cabut_certificate_get_subject_string (cert));
      parsed = cabut_dn_new_from_string (cabut_certificate_get_subject_string (cert), &error);
      g_assert_no_error (error);
      g_assert_true (cabut_dn_equal (parsed, cabut_certificate_get_subject (cert)));

      printed = cabut_dn_to_string (parsed);
      g_assert_cmpstr (printed, ==, cabut_certificate_get_subject_string (cert));

      der = cabut_dn_to_der (cabut_certificate_get_subject (cert));
      from_der = cabut_dn_new_from_der (der, &error);
      g_assert_no_error (error);
      g_assert_true (cabut_dn_equal (from_der, cabut_certificate_get_subject (cert)));

      /* Subject and issuer differ except for the self-signed root. */
      if (!g_str_equal (fixture->name, "ca-root.pem"))
        g_assert_false (cabut_dn_equal (cabut_certificate_get_subject (cert),
                                        cabut_certificate_get_issuer (cert)));
      checked++;
    }

  g_assert_cmpuint (checked, >, 30);
}

static void
test_attributes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutDn) dn = cabut_dn_new_from_string (
    "emailAddress=rina@contoh.go.id,CN=Rina Wulandari+UID=rina.w,serialNumber=9901234567890001,"
    "title=Analis Kebijakan,OU=Biro Umum,O=Kementerian Contoh,L=Kota Bandung,ST=Jawa Barat,C=ID",
    &error);
  g_autoptr(GPtrArray) attrs = NULL;
  g_autofree char *cn = NULL;
  struct { const char *oid, *name, *value; guint rdn; } expected[] = {
    { "1.2.840.113549.1.9.1", "emailAddress", "rina@contoh.go.id", 0 },
    { "2.5.4.3", "CN", "Rina Wulandari", 1 },
    { "0.9.2342.19200300.100.1.1", "UID", "rina.w", 1 },
    { "2.5.4.5", "serialNumber", "9901234567890001", 2 },
    { "2.5.4.12", "title", "Analis Kebijakan", 3 },
    { "2.5.4.11", "OU", "Biro Umum", 4 },
    { "2.5.4.10", "O", "Kementerian Contoh", 5 },
    { "2.5.4.7", "L", "Kota Bandung", 6 },
    { "2.5.4.8", "ST", "Jawa Barat", 7 },
    { "2.5.4.6", "C", "ID", 8 },
  };

  g_assert_no_error (error);
  attrs = cabut_dn_get_attributes (dn);
  g_assert_cmpuint (attrs->len, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < attrs->len; i++)
    {
      const CabutRdnAttribute *attr = g_ptr_array_index (attrs, i);

      g_assert_cmpstr (cabut_rdn_attribute_get_oid (attr), ==, expected[i].oid);
      g_assert_cmpstr (cabut_rdn_attribute_get_name (attr), ==, expected[i].name);
      g_assert_cmpstr (cabut_rdn_attribute_get_value (attr), ==, expected[i].value);
      g_assert_cmpuint (cabut_rdn_attribute_get_rdn (attr), ==, expected[i].rdn);
      g_assert_nonnull (cabut_rdn_attribute_get_label (attr));
    }

  g_assert_cmpstr (cabut_rdn_attribute_get_label (g_ptr_array_index (attrs, 1)), ==, "Common name");
  g_assert_cmpstr (cabut_rdn_attribute_get_label (g_ptr_array_index (attrs, 4)), ==, "Title");

  cn = cabut_dn_dup_common_name (dn);
  g_assert_cmpstr (cn, ==, "Rina Wulandari");
  /* Any attribute by its short name, as the statement letter falls back on them. */
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *value = cabut_dn_dup_value (dn, expected[i].name);

      g_assert_cmpstr (value, ==, expected[i].value);
    }
  g_assert_null (cabut_dn_dup_value (dn, "givenName"));
  g_assert_null (cabut_dn_dup_value (dn, "no-such-attribute"));
}

static void
test_hex_value (void)
{
  g_autoptr(GError) error = NULL;
  /* #0c0442756469 is the DER of UTF8String "Budi". */
  g_autoptr(CabutDn) hex = cabut_dn_new_from_string ("CN=#0c0442756469,C=ID", &error);
  g_autoptr(CabutDn) text = cabut_dn_new_from_string ("CN=budi,C=ID", &error);

  g_assert_no_error (error);
  g_assert_true (cabut_dn_equal (hex, text));
}

/* A person's name in a certificate against the account's: titles around
 * it, case and runs of white space do not count; anything else does. */
static void
test_name_equal (void)
{
  g_assert_true (cabut_dn_name_equal ("Budi Santoso, S.Kom.", "Budi Santoso, S.Kom."));
  g_assert_true (cabut_dn_name_equal ("Budi Santoso, S.Kom.", "budi  SANTOSO"));
  g_assert_true (cabut_dn_name_equal ("Dr. Ir. H. Agus Wijaya, M.T.", "Agus Wijaya"));
  g_assert_true (cabut_dn_name_equal ("Hj. Siti Rahmawati, S.E., M.Ak.", "Siti Rahmawati"));
  g_assert_false (cabut_dn_name_equal ("Budi Santoso, S.Kom.", "Budi Santosa"));
  g_assert_false (cabut_dn_name_equal ("Agus Wijaya", "Agus Wijayanto"));
  /* A title alone is no name. */
  g_assert_false (cabut_dn_name_equal ("Dr.", "Dr."));
  g_assert_false (cabut_dn_name_equal ("", ""));
}

/* An attribute read from the service's answer: labelled as a
 * certificate's; a name where a dotted OID belongs is refused. */
static void
test_attribute_new (void)
{
  g_autoptr(CabutRdnAttribute) cn = cabut_rdn_attribute_new ("2.5.4.3", "CN", "Budi Santoso", 1);
  g_autoptr(CabutRdnAttribute) unknown = cabut_rdn_attribute_new ("1.3.6.1.4.1.99999.1", "x-nip", "1985", 2);

  g_assert_cmpstr (cabut_rdn_attribute_get_oid (cn), ==, "2.5.4.3");
  g_assert_cmpstr (cabut_rdn_attribute_get_name (cn), ==, "CN");
  g_assert_cmpstr (cabut_rdn_attribute_get_label (cn), ==, "Common name");
  g_assert_cmpstr (cabut_rdn_attribute_get_value (cn), ==, "Budi Santoso");
  g_assert_cmpuint (cabut_rdn_attribute_get_rdn (cn), ==, 1);
  g_assert_cmpstr (cabut_rdn_attribute_get_name (unknown), ==, "x-nip");
  g_assert_cmpstr (cabut_rdn_attribute_get_label (unknown), ==, "x-nip");
  g_assert_null (cabut_rdn_attribute_new ("commonName", "CN", "Budi", 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  cabut_i18n_init ();

  g_test_add_func ("/cabut/dn/rfc5280-matching", test_rfc5280_matching);
  g_test_add_func ("/cabut/dn/parse-errors", test_parse_errors);
  g_test_add_func ("/cabut/dn/round-trip-fixtures", test_round_trip_fixtures);
  g_test_add_func ("/cabut/dn/attributes", test_attributes);
  g_test_add_func ("/cabut/dn/hex-value", test_hex_value);
  g_test_add_func ("/cabut/dn/name-equal", test_name_equal);
  g_test_add_func ("/cabut/dn/attribute-new", test_attribute_new);

  return g_test_run ();
}
