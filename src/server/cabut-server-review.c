/* cabut-server-review.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cabut-certificate.h"
#include "cabut-dn.h"
#include "cabut-i18n.h"
#include "cabut-server-private.h"

/* The review dossier, GET /api/v1/requests/{id}/review: a request beside
 * what the service holds of its applicant and certificate, and the checks
 * a verifikator makes (the service standard's step 6), each with what was
 * expected, what was found and whether they match. Officers only. */

typedef struct
{
  JsonBuilder *builder;
  const char  *language;
} Checks;

/* One check; @label untranslated (N_()). */
static void
add_check (Checks     *checks,
           const char *name,
           const char *label,
           const char *expected,
           const char *found,
           gboolean    matches)
{
  JsonBuilder *builder = checks->builder;

  json_builder_begin_object (builder);
  cabut_server_add_text (builder, "name", name);
  cabut_server_add_text (builder, "label", cabut_i18n_translate_for (label, checks->language));
  cabut_server_add_text (builder, "expected", expected);
  cabut_server_add_text (builder, "found", found);
  json_builder_set_member_name (builder, "matches");
  json_builder_add_boolean_value (builder, matches);
  json_builder_end_object (builder);
}

/* An attribute of the Subject DN against the account's data: every
 * occurrence of @name is checked, and an absent one is a mismatch only when
 * @required (an e-mail address, say, is optional in a certificate). */
static void
check_attribute (Checks        *checks,
                 const CabutDn *subject,
                 const char    *name,
                 const char    *label,
                 const char    *expected,
                 gboolean       is_person_name,
                 gboolean       required)
{
  g_autoptr(GPtrArray) attributes = cabut_dn_get_attributes (subject);
  gboolean seen = FALSE;

  for (guint i = 0; i < attributes->len; i++)
    {
      const CabutRdnAttribute *attribute = g_ptr_array_index (attributes, i);
      const char *value = cabut_rdn_attribute_get_value (attribute);
      gboolean matches;

      if (!g_str_equal (cabut_rdn_attribute_get_name (attribute), name))
        continue;
      seen = TRUE;
      matches = expected != NULL && *expected != '\0' &&
                (is_person_name ? cabut_dn_name_equal (value, expected) : cabut_dn_value_equal (value, expected));
      add_check (checks, name, label, expected, value, matches);
    }

  if (!seen && required)
    add_check (checks, name, label, expected, NULL, FALSE);
}

static void
add_account (JsonBuilder        *builder,
             const CabutAccount *account)
{
  json_builder_begin_object (builder);
  cabut_server_add_text (builder, "username", account->username);
  cabut_server_add_text (builder, "full_name", account->full_name);
  cabut_server_add_text (builder, "email", account->email);
  cabut_server_add_text (builder, "nik", account->nik);
  cabut_server_add_text (builder, "nip", account->nip);
  cabut_server_add_text (builder, "position", account->position);
  cabut_server_add_text (builder, "unit", account->unit);
  cabut_server_add_text (builder, "organization", account->organization);
  cabut_server_add_text (builder, "role", account->role);
  json_builder_end_object (builder);
}

static void
add_certificate (JsonBuilder                *builder,
                 const CabutHeldCertificate *held,
                 const CabutDn              *subject,
                 CabutCertificate           *certificate)
{
  g_autoptr(GPtrArray) attributes = cabut_dn_get_attributes (subject);
  g_autofree char *pem = certificate != NULL ? cabut_certificate_to_pem (certificate) : NULL;

  json_builder_begin_object (builder);
  cabut_server_add_text (builder, "serial", held->serial);
  cabut_server_add_text (builder, "subject_string", held->subject);
  json_builder_set_member_name (builder, "subject");
  json_builder_begin_array (builder);
  for (guint i = 0; i < attributes->len; i++)
    {
      const CabutRdnAttribute *attribute = g_ptr_array_index (attributes, i);

      json_builder_begin_object (builder);
      cabut_server_add_text (builder, "oid", cabut_rdn_attribute_get_oid (attribute));
      cabut_server_add_text (builder, "name", cabut_rdn_attribute_get_name (attribute));
      cabut_server_add_text (builder, "value", cabut_rdn_attribute_get_value (attribute));
      json_builder_set_member_name (builder, "rdn");
      json_builder_add_int_value (builder, cabut_rdn_attribute_get_rdn (attribute));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  cabut_server_add_text (builder, "issuer", held->issuer);
  cabut_server_add_time (builder, "not_before", held->not_before);
  cabut_server_add_time (builder, "not_after", held->not_after);
  cabut_server_add_text (builder, "status", held->revoked ? "revoked" : "good");
  cabut_server_add_time (builder, "revoked_at", held->revoked_at);
  cabut_server_add_text (builder, "sha256", certificate != NULL ? cabut_certificate_get_sha256 (certificate) : NULL);
  /* So an officer's app can ask the CA about it, as the applicant's does. */
  cabut_server_add_text (builder, "pem", pem);
  json_builder_end_object (builder);
}

void
cabut_server_handle_review (CabutServer         *self,
                            CabutRequestContext *ctx,
                            const char          *number)
{
  g_auto(CabutRequestRow) row = { 0 };
  g_auto(CabutHeldCertificate) held = { 0 };
  g_autoptr(CabutAccount) account = NULL;
  g_autoptr(GBytes) cert_der = NULL;
  g_autoptr(CabutCertificate) certificate = NULL;
  g_autoptr(CabutDn) parsed_subject = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const CabutDn *subject;
  gboolean found = FALSE;
  gint64 holder_id = 0;
  Checks checks = { builder, ctx->language };

  if (!cabut_account_is_operator (ctx->account))
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                N_("Only a verification officer may review a request"));
      return;
    }

  if (!cabut_request_store_get_by_number (self->db, number, &row, &found, &error))
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }
  if (!found)
    {
      cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "not_found",
                                N_("There is no request %s"), number);
      return;
    }

  /* Every part is read, or there is no dossier: a check made against
   * nothing would read as a mismatch, or worse, a match. */
  if ((request = cabut_server_request_to_json (self, row.id, TRUE, TRUE, ctx->language, &error)) == NULL ||
      (account = cabut_accounts_get (self->db, row.account_id, &error)) == NULL ||
      !cabut_registry_get (self->db, row.certificate_id, &held, &holder_id, &cert_der, &found, &error))
    {
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }
  if (!found)
    {
      g_set_error (&error, CABUT_DB_ERROR, CABUT_DB_ERROR_FAILED,
                   "The certificate of request %s is not in the registry", row.number);
      cabut_server_reply_gerror (ctx->msg, error);
      return;
    }

  if (cert_der != NULL)
    {
      if ((certificate = cabut_certificate_new_from_bytes (cert_der, NULL, &error)) == NULL)
        {
          cabut_server_reply_gerror (ctx->msg, error);
          return;
        }
      subject = cabut_certificate_get_subject (certificate);
    }
  else
    {
      if ((parsed_subject = cabut_dn_new_from_string (held.subject, &error)) == NULL)
        {
          cabut_server_reply_gerror (ctx->msg, error);
          return;
        }
      subject = parsed_subject;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "request");
  json_builder_add_value (builder, g_steal_pointer (&request));
  json_builder_set_member_name (builder, "account");
  add_account (builder, account);
  json_builder_set_member_name (builder, "certificate");
  add_certificate (builder, &held, subject, certificate);

  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  check_attribute (&checks, subject, "CN", N_("Name"), account->full_name, TRUE, TRUE);
  /* The demo CA, like BSrE, puts the NIK in serialNumber; a UID, where a
   * CA uses one, holds the NIP. */
  check_attribute (&checks, subject, "serialNumber", N_("NIK"), account->nik, FALSE, TRUE);
  check_attribute (&checks, subject, "UID", N_("NIP"), account->nip, FALSE, FALSE);
  check_attribute (&checks, subject, "title", N_("Position"), account->position, FALSE, FALSE);
  check_attribute (&checks, subject, "OU", N_("Unit"), account->unit, FALSE, TRUE);
  check_attribute (&checks, subject, "O", N_("Organization"), account->organization, FALSE, TRUE);
  check_attribute (&checks, subject, "emailAddress", N_("Email address"), account->email, FALSE, FALSE);
  add_check (&checks, "serial", N_("Serial number in the registry"), row.serial, held.serial,
             g_strcmp0 (row.serial, held.serial) == 0 && holder_id == row.account_id);
  add_check (&checks, "issuer", N_("Issuer in the registry"), row.issuer, held.issuer,
             cabut_dn_string_equal (row.issuer, held.issuer));
  add_check (&checks, "key_possession", N_("Proof of key possession"), "yes",
             row.key_possession ? "yes" : "no", row.key_possession);
  add_check (&checks, "letter", N_("Letter code"), "yes", row.letter_match,
             g_strcmp0 (row.letter_match, "yes") == 0);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cabut_server_reply_json (ctx->msg, SOUP_STATUS_OK, root);
}
