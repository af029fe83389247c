/* cabut-server-admin.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Administration: accounts and certificates registered by an administrator. */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cabut-i18n.h"
#include "cabut-reason.h"
#include "cabut-server-private.h"

/* ---------------------------------------------------------------------- */
/* Administration                                                          */

/* Creating an account hashes its password: in a worker, like signing in. */
typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;   /* owned copy */
  gint64             actor_id;
  char              *remote;
  char              *password;
  char              *hash;
} NewAccount;

static void
new_account_free (NewAccount *job)
{
  if (job->password != NULL)
    OPENSSL_cleanse (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job->hash);
  g_free (job->remote);
  g_clear_pointer (&job->account, cabut_account_free);
  g_clear_object (&job->msg);
  g_clear_object (&job->server);
  g_free (job);
}

static void
hash_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  NewAccount *job = task_data;

  job->hash = cabut_password_hash (job->password);
  g_task_return_boolean (task, TRUE);
}

static gboolean
write_account (CabutDb   *db,
               gpointer   data,
               GError   **error)
{
  NewAccount *job = data;

  return cabut_accounts_insert (db, job->account, job->hash, NULL, error) &&
         cabut_accounts_audit (db, job->actor_id, "account.create", job->account->username, job->remote,
                                 job->account->role, error);
}

static void account_written_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
account_hashed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  NewAccount *job = user_data;

  /* The hash is made; the account and its audit row are written on the
   * writer thread. */
  cabut_db_write_async (job->server->db, write_account, job, account_written_cb, job);
}

static void
account_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  NewAccount *job = user_data;
  SoupServerMessage *msg = job->msg;
  g_autoptr(GError) error = NULL;

  if (!cabut_db_write_finish (CABUT_DB (object), result, &error))
    {
      if (g_error_matches (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_EXISTS))
        cabut_server_reply_error (msg, SOUP_STATUS_CONFLICT, "exists",
                                  N_("There is already an account named “%s”"), job->account->username);
      else
        cabut_server_reply_gerror (msg, error);
    }
  else
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, job->account->username);
      /* Shown once, for the person to load into an authenticator app. */
      if (job->account->totp_secret != NULL)
        {
          json_builder_set_member_name (builder, "totp_secret");
          json_builder_add_string_value (builder, job->account->totp_secret);
        }
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      cabut_server_reply_json (msg, SOUP_STATUS_CREATED, node);
    }

  soup_server_message_unpause (msg);
  new_account_free (job);
}

static void
create_account (CabutServer        *self,
                SoupServerMessage  *msg,
                const CabutAccount *actor,
                const CabutAccount *account,
                const char         *password)
{
  g_autoptr(GTask) task = NULL;
  NewAccount *job = g_new0 (NewAccount, 1);

  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->actor_id = actor->id;
  job->password = g_strdup (password);
  job->account = g_new0 (CabutAccount, 1);
  job->account->username = g_strdup (account->username);
  job->account->full_name = g_strdup (account->full_name);
  job->account->email = g_strdup (account->email);
  job->account->nik = g_strdup (account->nik);
  job->account->nip = g_strdup (account->nip);
  job->account->position = g_strdup (account->position);
  job->account->unit = g_strdup (account->unit);
  job->account->organization = g_strdup (account->organization);
  job->account->role = g_strdup (account->role);
  job->account->totp_secret = g_strdup (account->totp_secret);

  job->remote = g_strdup (cabut_server_remote_of (msg));

  /* The job is account_written_cb's to free. */
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, account_hashed_cb, job);
  g_task_set_task_data (task, job, NULL);
  g_task_run_in_thread (task, hash_thread);
}

/* Registering a certificate: on the writer thread, with its audit row. */
typedef struct
{
  SoupServerMessage *msg;
  gint64             actor_id;
  gint64             owner_id;
  char              *username;
  char              *remote;
  CabutCertificate  *certificate;
} Registration;

static gboolean
write_registration (CabutDb   *db,
                    gpointer   data,
                    GError   **error)
{
  Registration *registration = data;

  return cabut_registry_register (db, registration->owner_id, registration->certificate, error) &&
         cabut_accounts_audit (db, registration->actor_id, "certificate.register",
                                 cabut_certificate_get_serial (registration->certificate),
                                 registration->remote, registration->username, error);
}

static void
registered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Registration *registration = user_data;
  g_autoptr(GError) error = NULL;

  if (cabut_db_write_finish (CABUT_DB (object), result, &error))
    soup_server_message_set_status (registration->msg, SOUP_STATUS_CREATED, NULL);
  else if (g_error_matches (error, CABUT_DB_ERROR, CABUT_DB_ERROR_CONSTRAINT))
    cabut_server_reply_error (registration->msg, SOUP_STATUS_CONFLICT, "exists",
                              N_("This certificate is already registered"));
  else
    cabut_server_reply_gerror (registration->msg, error);

  soup_server_message_unpause (registration->msg);
  g_object_unref (registration->msg);
  g_object_unref (registration->certificate);
  g_free (registration->username);
  g_free (registration->remote);
  g_free (registration);
}

void
cabut_server_handle_admin (CabutServer         *self,
                           CabutRequestContext *ctx,
                           const char          *what)
{
  SoupServerMessage *msg = ctx->msg;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  if (!cabut_account_is_admin (ctx->account))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                N_("Only an administrator may do this"));
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                N_("This address does not take that method"));
      return;
    }
  if ((body = cabut_server_read_json (msg)) == NULL)
    return;

  if (g_str_equal (what, "accounts"))
    {
      CabutAccount account = {
        .username = (char *) json_object_get_string_member_with_default (body, "username", NULL),
        .full_name = (char *) json_object_get_string_member_with_default (body, "full_name", NULL),
        .email = (char *) json_object_get_string_member_with_default (body, "email", NULL),
        .nik = (char *) json_object_get_string_member_with_default (body, "nik", NULL),
        .nip = (char *) json_object_get_string_member_with_default (body, "nip", NULL),
        .position = (char *) json_object_get_string_member_with_default (body, "position", NULL),
        .unit = (char *) json_object_get_string_member_with_default (body, "unit", NULL),
        .organization = (char *) json_object_get_string_member_with_default (body, "organization", NULL),
        .role = (char *) json_object_get_string_member_with_default (body, "role", "applicant"),
      };
      const char *password = json_object_get_string_member_with_default (body, "password", NULL);
      g_autofree char *totp_secret = NULL;

      if (json_object_get_boolean_member_with_default (body, "totp", FALSE))
        account.totp_secret = totp_secret = cabut_totp_new_secret ();

      if (account.username == NULL || password == NULL)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                    N_("Give a username and a password"));
          return;
        }
      if (!cabut_accounts_validate (&account, password, &error))
        {
          cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "%s", error->message);
          return;
        }

      create_account (self, msg, ctx->account, &account, password);
    }
  else if (g_str_equal (what, "certificates"))
    {
      const char *username = json_object_get_string_member_with_default (body, "username", NULL);
      const char *pem = json_object_get_string_member_with_default (body, "pem", NULL);
      g_autoptr(CabutAccount) owner = NULL;
      g_autoptr(CabutCertificate) cert = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (username == NULL || pem == NULL)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                    N_("Give a username and the certificate as PEM"));
          return;
        }
      if ((owner = cabut_accounts_find (self->db, username, &error)) == NULL)
        {
          if (g_error_matches (error, CABUT_ACCOUNTS_ERROR, CABUT_ACCOUNTS_ERROR_NOT_FOUND))
            cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                                      N_("There is no account named “%s”"), username);
          else
            cabut_server_reply_gerror (msg, error);
          return;
        }
      bytes = g_bytes_new (pem, strlen (pem));
      if ((cert = cabut_certificate_new_from_bytes (bytes, NULL, &error)) == NULL)
        {
          cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_certificate", "%s", error->message);
          return;
        }
      {
        Registration *registration = g_new0 (Registration, 1);

        registration->msg = g_object_ref (msg);
        registration->actor_id = ctx->account->id;
        registration->owner_id = owner->id;
        registration->username = g_strdup (username);
        registration->remote = g_strdup (cabut_server_remote_of (msg));
        registration->certificate = g_steal_pointer (&cert);
        soup_server_message_pause (msg);
        cabut_db_write_async (self->db, write_registration, registration, registered_cb, registration);
      }
    }
  else
    {
      cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
    }
}
