/* cabut-cli-inspect.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-core.h"
#include "cabut-cli-private.h"

static void
add_string_array (JsonBuilder        *builder,
                  const char         *member,
                  const char * const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static JsonNode *
certificate_to_json (CabutCertificate *cert)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) rdns = cabut_dn_get_attributes (cabut_certificate_get_subject (cert));
  g_autofree char *not_before = cabut_cli_iso8601 (cabut_certificate_get_not_before (cert));
  g_autofree char *not_after = cabut_cli_iso8601 (cabut_certificate_get_not_after (cert));
  CabutKeyUsage usage = cabut_certificate_get_key_usage (cert);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder,
                                 cabut_certificate_format_to_string (cabut_certificate_get_format (cert)));
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, cabut_certificate_get_subject_string (cert));
  json_builder_set_member_name (builder, "issuer");
  json_builder_add_string_value (builder, cabut_certificate_get_issuer_string (cert));

  json_builder_set_member_name (builder, "subject_rdns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rdns->len; i++)
    {
      const CabutRdnAttribute *attr = g_ptr_array_index (rdns, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "oid");
      json_builder_add_string_value (builder, cabut_rdn_attribute_get_oid (attr));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, cabut_rdn_attribute_get_name (attr));
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, cabut_rdn_attribute_get_label (attr));
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, cabut_rdn_attribute_get_value (attr));
      json_builder_set_member_name (builder, "rdn");
      json_builder_add_int_value (builder, cabut_rdn_attribute_get_rdn (attr));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "serial");
  json_builder_add_string_value (builder, cabut_certificate_get_serial (cert));
  json_builder_set_member_name (builder, "not_before");
  json_builder_add_string_value (builder, not_before);
  json_builder_set_member_name (builder, "not_after");
  json_builder_add_string_value (builder, not_after);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, cabut_certificate_get_sha256 (cert));
  json_builder_set_member_name (builder, "sha1");
  json_builder_add_string_value (builder, cabut_certificate_get_sha1 (cert));

  json_builder_set_member_name (builder, "key");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, cabut_certificate_get_key_type (cert));
  json_builder_set_member_name (builder, "bits");
  json_builder_add_int_value (builder, cabut_certificate_get_key_bits (cert));
  if (cabut_certificate_get_key_curve (cert) != NULL)
    {
      json_builder_set_member_name (builder, "curve");
      json_builder_add_string_value (builder, cabut_certificate_get_key_curve (cert));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "key_usage");
  json_builder_begin_array (builder);
  for (guint bit = 0; bit < CABUT_KEY_USAGE_N_BITS; bit++)
    if (usage & (1 << bit))
      json_builder_add_string_value (builder, cabut_key_usage_to_name (1 << bit));
  json_builder_end_array (builder);

  add_string_array (builder, "extended_key_usage", cabut_certificate_get_extended_key_usage (cert));
  add_string_array (builder, "crl_urls", cabut_certificate_get_crl_urls (cert));
  add_string_array (builder, "ocsp_urls", cabut_certificate_get_ocsp_urls (cert));

  json_builder_set_member_name (builder, "has_private_key");
  json_builder_add_boolean_value (builder, cabut_certificate_has_private_key (cert));
  json_builder_set_member_name (builder, "key_matches");
  if (cabut_certificate_has_private_key (cert))
    json_builder_add_boolean_value (builder, cabut_certificate_key_matches (cert));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "extra_certificates");
  json_builder_add_int_value (builder, cabut_certificate_get_extra_certificates (cert)->len);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
print_row (const char *label,
           const char *value)
{
  g_print ("  %s: %s\n", label, value);
}

static char *
format_local_date (GDateTime *when)
{
  /* Translators: a date and time in UTC, see the GDateTime format docs */
  return g_date_time_format (when, _("%-d %B %Y, %H:%M:%S UTC"));
}

static void
print_urls (const char         *label,
            const char * const *urls)
{
  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    print_row (label, urls[i]);
}

static void
print_human (const char       *path,
             CabutCertificate *cert)
{
  g_autoptr(GPtrArray) rdns = cabut_dn_get_attributes (cabut_certificate_get_subject (cert));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *not_before = format_local_date (cabut_certificate_get_not_before (cert));
  g_autofree char *not_after = format_local_date (cabut_certificate_get_not_after (cert));
  g_autoptr(GString) usages = g_string_new (NULL);
  g_autoptr(GString) ekus = g_string_new (NULL);
  g_autofree char *key = NULL;
  CabutKeyUsage usage = cabut_certificate_get_key_usage (cert);
  const char * const *eku = cabut_certificate_get_extended_key_usage (cert);
  const char *format_label;

  switch (cabut_certificate_get_format (cert))
    {
    case CABUT_CERTIFICATE_FORMAT_PEM: format_label = "PEM"; break;
    case CABUT_CERTIFICATE_FORMAT_DER: format_label = "DER"; break;
    case CABUT_CERTIFICATE_FORMAT_PKCS12: format_label = "PKCS#12"; break;
    default: g_assert_not_reached ();
    }

  /* Translators: %s is a file name, then a format such as PEM */
  g_print (_("Certificate in %s (%s)\n"), path, format_label);

  g_print ("\n%s\n", _("Holder (Subject)"));
  for (guint i = 0; i < rdns->len; i++)
    {
      const CabutRdnAttribute *attr = g_ptr_array_index (rdns, i);
      print_row (cabut_rdn_attribute_get_label (attr), cabut_rdn_attribute_get_value (attr));
    }
  print_row (_("Subject DN"), cabut_certificate_get_subject_string (cert));

  g_print ("\n%s\n", _("Certificate"));
  print_row (_("Issued by"), cabut_certificate_get_issuer_string (cert));
  print_row (_("Serial number"), cabut_certificate_get_serial (cert));
  print_row (_("Valid from"), not_before);
  if (g_date_time_compare (now, cabut_certificate_get_not_after (cert)) > 0)
    {
      g_autofree char *expired = g_strdup_printf (_("%s (expired)"), not_after);
      print_row (_("Valid until"), expired);
    }
  else
    print_row (_("Valid until"), not_after);

  if (cabut_certificate_get_key_curve (cert) != NULL)
    /* Translators: key type, size in bits, and curve name, e.g. “EC 256 bits (prime256v1)” */
    key = g_strdup_printf (_("%s %u bits (%s)"), cabut_certificate_get_key_type (cert),
                           cabut_certificate_get_key_bits (cert),
                           cabut_certificate_get_key_curve (cert));
  else
    /* Translators: key type and size in bits, e.g. “RSA 2048 bits” */
    key = g_strdup_printf (_("%s %u bits"), cabut_certificate_get_key_type (cert),
                           cabut_certificate_get_key_bits (cert));
  print_row (_("Public key"), key);

  for (guint bit = 0; bit < CABUT_KEY_USAGE_N_BITS; bit++)
    if (usage & (1 << bit))
      g_string_append_printf (usages, "%s%s", usages->len ? ", " : "",
                              cabut_key_usage_to_label (1 << bit));
  if (usages->len > 0)
    print_row (_("Key usage"), usages->str);

  for (guint i = 0; eku != NULL && eku[i] != NULL; i++)
    g_string_append_printf (ekus, "%s%s", ekus->len ? ", " : "",
                            cabut_extended_key_usage_to_label (eku[i]));
  if (ekus->len > 0)
    print_row (_("Extended key usage"), ekus->str);

  print_urls (_("Revocation list (CRL)"), cabut_certificate_get_crl_urls (cert));
  print_urls (_("Status service (OCSP)"), cabut_certificate_get_ocsp_urls (cert));
  print_row (_("SHA-256 fingerprint"), cabut_certificate_get_sha256 (cert));
  print_row (_("SHA-1 fingerprint"), cabut_certificate_get_sha1 (cert));

  g_print ("\n%s\n", _("In this file"));
  if (!cabut_certificate_has_private_key (cert))
    print_row (_("Private key"), _("not included"));
  else if (cabut_certificate_key_matches (cert))
    print_row (_("Private key"), _("included, belongs to this certificate"));
  else
    print_row (_("Private key"), _("included, but it does NOT belong to this certificate"));

  {
    g_autofree char *count = g_strdup_printf ("%u", cabut_certificate_get_extra_certificates (cert)->len);
    print_row (_("Other certificates"), count);
  }
}

int
cabut_cli_inspect (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutCertificate) cert = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password_env = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the PKCS#12 password from the first line of FILE"), N_("FILE") },
    { "password-env", 0, 0, G_OPTION_ARG_STRING, &password_env,
      N_("Read the PKCS#12 password from the environment variable VAR"), N_("VAR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("— show what is inside a certificate file"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Reads PEM, DER and PKCS#12 (.p12, .pfx) files."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cabut_cli_usage_error (context, "%s", error->message);
  if (files == NULL || g_strv_length (files) != 1)
    return cabut_cli_usage_error (context, _("inspect takes exactly one FILE"));

  cert = cabut_cli_load_certificate (context, files[0], password_file, password_env, &status);
  if (cert == NULL)
    return status;

  if (json || cabut_cli_globals.json)
    {
      g_autoptr(JsonNode) node = certificate_to_json (cert);
      cabut_cli_print_json (node);
    }
  else
    {
      print_human (files[0], cert);
    }

  return CABUT_CLI_EXIT_OK;
}
