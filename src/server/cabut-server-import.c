/* cabut-server-import.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "cabut-reason.h"
#include "cabut-server-private.h"

/* Filling the certificate registry from an existing CA run with `openssl
 * ca`: its index.txt says which certificates exist and which are revoked,
 * its new_certs_dir holds each one as SERIAL.pem. The index's own subject
 * column is not used: X509_NAME_oneline() loses BMPStrings and escapes. */

static char *
email_of (CabutCertificate *certificate)
{
  g_autoptr(GPtrArray) attributes = cabut_dn_get_attributes (cabut_certificate_get_subject (certificate));

  for (guint i = 0; i < attributes->len; i++)
    {
      const CabutRdnAttribute *attribute = g_ptr_array_index (attributes, i);

      if (g_str_equal (cabut_rdn_attribute_get_name (attribute), "emailAddress"))
        return g_strdup (cabut_rdn_attribute_get_value (attribute));
    }

  return NULL;
}

/* "YYMMDDHHMMSSZ" as index.txt writes it (RFC 5280 UTCTime rules). */
static gint64
parse_index_time (const char *text)
{
  int yy, mo, dd, hh, mi, ss;

  if (strlen (text) < 13 || sscanf (text, "%2d%2d%2d%2d%2d%2d", &yy, &mo, &dd, &hh, &mi, &ss) != 6)
    return 0;

  {
    g_autoptr(GDateTime) dt = g_date_time_new_utc (yy >= 50 ? 1900 + yy : 2000 + yy, mo, dd, hh, mi, ss);
    return dt != NULL ? g_date_time_to_unix (dt) : 0;
  }
}

/**
 * cabut_server_import_index:
 * @index_path: an `openssl ca` index.txt
 * @certs_dir: the CA's new_certs_dir, with one SERIAL.pem per certificate
 * @username: (nullable): bind every certificate to this account; without
 *   it, each goes to the account whose e-mail is in its Subject DN
 * @problems: (element-type utf8): one line for each entry not imported
 *
 * Imports in one transaction: either the whole index or nothing.
 *
 * Returns: how many certificates were registered, or -1 with @error set
 */
int
cabut_server_import_index (CabutServer  *self,
                           const char   *index_path,
                           const char   *certs_dir,
                           const char   *username,
                           GPtrArray    *problems,
                           GError      **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(CabutAccount) owner = NULL;
  int imported = 0;

  g_return_val_if_fail (CABUT_IS_SERVER (self), -1);

  if (!g_file_get_contents (index_path, &contents, NULL, error))
    return -1;
  if (username != NULL && (owner = cabut_accounts_find (self->db, username, error)) == NULL)
    return -1;
  if (!cabut_db_begin (self->db, error))
    return -1;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_autofree char *pem_name = NULL;
      g_autofree char *pem_path = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(CabutCertificate) cert = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *email = NULL;
      gint64 account_id;

      if (*lines[i] == '\0')
        continue;

      fields = g_strsplit (lines[i], "\t", 6);
      if (g_strv_length (fields) != 6 || strlen (fields[0]) != 1 || strchr ("VRE", fields[0][0]) == NULL)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("line %u: not an index.txt entry"), i + 1));
          continue;
        }

      pem_name = g_strdup_printf ("%s.pem", fields[3]);
      pem_path = g_build_filename (certs_dir, pem_name, NULL);
      file = g_file_new_for_path (pem_path);
      cert = cabut_certificate_new_from_file (file, NULL, NULL, &local_error);
      if (cert == NULL)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("line %u: serial %s: %s"), i + 1, fields[3],
                                                      local_error->message));
          continue;
        }
      if (g_ascii_strcasecmp (cabut_certificate_get_serial (cert), fields[3]) != 0)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("line %u: %s holds serial %s, not %s"), i + 1,
                                                      pem_name, cabut_certificate_get_serial (cert), fields[3]));
          continue;
        }

      email = email_of (cert);
      account_id = owner != NULL ? owner->id : cabut_accounts_find_id_by_email (self->db, email, error);
      if (account_id < 0)
        {
          cabut_db_rollback (self->db);
          return -1;
        }
      if (account_id == 0)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("line %u: serial %s: no account has the e-mail "
                                                        "address %s"), i + 1, fields[3],
                                                      email ? email : "—"));
          continue;
        }

      if (!cabut_registry_register (self->db, account_id, cert, &local_error))
        {
          if (g_error_matches (local_error, CABUT_DB_ERROR, CABUT_DB_ERROR_CONSTRAINT))
            {
              g_ptr_array_add (problems, g_strdup_printf (_("line %u: serial %s is already registered"),
                                                          i + 1, fields[3]));
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          cabut_db_rollback (self->db);
          return -1;
        }

      if (fields[0][0] == 'R')
        {
          g_auto(GStrv) revocation = g_strsplit (fields[2], ",", 2);

          if (!cabut_registry_mark_revoked (self->db, cabut_certificate_get_serial (cert),
                             cabut_certificate_get_issuer_string (cert), parse_index_time (revocation[0]),
                             cabut_crl_reason_from_name (revocation[1]), error))
            {
              cabut_db_rollback (self->db);
              return -1;
            }
        }

      if (!cabut_server_audit (self, NULL, NULL, "certificate.register", cabut_certificate_get_serial (cert),
                               index_path, error))
        {
          cabut_db_rollback (self->db);
          return -1;
        }
      imported++;
    }

  if (!cabut_db_commit (self->db, error))
    return -1;

  return imported;
}
