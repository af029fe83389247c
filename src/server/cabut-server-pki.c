/* cabut-server-pki.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The CA's public endpoints: its certificates, CRLs (made and published off the main loop) and OCSP (answered in worker threads). */

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

#define CRL_VALIDITY_SECONDS   (24 * 60 * 60)
#define CRL_REFRESH_SECONDS    (6 * 60 * 60)

/* ---------------------------------------------------------------------- */
/* Public PKI endpoints                                                    */

/* OCSP answers are signed in worker threads (an RSA signature takes a few
 * milliseconds; the API must not queue behind them), each job reading the
 * registry through its own read-only connection: WAL lets readers run
 * beside the main thread's writes. */
typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  GBytes            *request;
  GBytes            *response;
  char              *db_path;
  char              *issuer;
  CabutDb           *db;          /* read-only, the job's own */
} OcspJob;

static void
ocsp_job_free (OcspJob *job)
{
  g_clear_object (&job->db);
  g_clear_object (&job->server);
  g_clear_object (&job->msg);
  g_clear_pointer (&job->request, g_bytes_unref);
  g_clear_pointer (&job->response, g_bytes_unref);
  g_free (job->db_path);
  g_free (job->issuer);
  g_free (job);
}

static CabutCaStatus
lookup_serial_cb (const char  *serial,
                  GDateTime  **revoked_at,
                  int         *reason,
                  gpointer     user_data)
{
  OcspJob *job = user_data;
  g_autoptr(GError) error = NULL;
  CabutRegistryStatus status = CABUT_REGISTRY_UNKNOWN;
  gint64 when = 0;
  int code = -1;

  if ((job->db == NULL && (job->db = cabut_db_open_reader (job->db_path, &error)) == NULL) ||
      !cabut_registry_status (job->db, serial, job->issuer, &status, &when, &code, &error))
    {
      /* Not known is not "unknown": the answer is tryLater. */
      g_warning ("Failed to read the registry for OCSP: %s", error->message);
      return CABUT_CA_STATUS_ERROR;
    }

  switch (status)
    {
    case CABUT_REGISTRY_REVOKED:
      *revoked_at = g_date_time_new_from_unix_utc (when);
      *reason = code < 0 ? CABUT_CA_REASON_NONE : code;
      return CABUT_CA_STATUS_REVOKED;
    case CABUT_REGISTRY_GOOD:
      return CABUT_CA_STATUS_GOOD;
    case CABUT_REGISTRY_UNKNOWN:
    default:
      return CABUT_CA_STATUS_UNKNOWN;
    }
}

static void
ocsp_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OcspJob *job = task_data;

  job->response = cabut_ca_answer_ocsp (job->server->ca, job->request, lookup_serial_cb, job);
  g_task_return_boolean (task, TRUE);
}

static void
ocsp_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  OcspJob *job = g_task_get_task_data (G_TASK (result));

  soup_server_message_set_status (job->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (job->msg, "application/ocsp-response", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (job->response, NULL),
                                    g_bytes_get_size (job->response));
  soup_server_message_unpause (job->msg);
}

static void
answer_ocsp (CabutServer       *self,
             SoupServerMessage *msg,
             GBytes            *request)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, ocsp_done_cb, NULL);
  OcspJob *job = g_new0 (OcspJob, 1);

  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->request = g_bytes_ref (request);
  job->db_path = g_build_filename (self->data_dir, "cabut.db", NULL);
  job->issuer = g_strdup (self->ca_subject);

  soup_server_message_pause (msg);
  g_task_set_task_data (task, job, (GDestroyNotify) ocsp_job_free);
  g_task_run_in_thread (task, ocsp_thread);
}

/* Signs a new CRL from the registry read through @db (a connection of
 * the calling thread's own), with the next CRL number, and writes it
 * durably to DATA/ca/issuing.crl. Every revoked entry is read or nothing
 * is signed; a CRL number may be skipped, never reused. Reads only what
 * never changes once the CA is open, so it runs on any thread. */
static GBytes *
make_crl (CabutServer  *self,
          CabutDb      *db,
          gint64       *out_number,
          GError      **error)
{
  g_autoptr(GArray) revoked = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (CabutCaRevokedEntry));
  g_autoptr(GPtrArray) times = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) crl = NULL;
  gint64 number = 0;

  /* The number and the entries in one transaction: a CRL lists what was
   * revoked when its number was spent. */
  if (!cabut_db_begin (db, error))
    return NULL;
  if (!cabut_registry_next_crl_number (db, &number, error) ||
      (revoked = cabut_registry_revoked (db, self->ca_subject, error)) == NULL)
    {
      cabut_db_rollback (db);
      return NULL;
    }
  for (guint i = 0; i < revoked->len; i++)
    {
      const CabutRevokedRow *row = &g_array_index (revoked, CabutRevokedRow, i);
      CabutCaRevokedEntry entry = {
        .serial = row->serial,
        .revoked_at = g_date_time_new_from_unix_utc (row->revoked_at),
        .reason = row->reason < 0 ? CABUT_CA_REASON_NONE : row->reason,
        .invalidity_date = row->invalidity_date != 0 ? g_date_time_new_from_unix_utc (row->invalidity_date) : NULL,
      };

      g_ptr_array_add (times, entry.revoked_at);
      if (entry.invalidity_date != NULL)
        g_ptr_array_add (times, entry.invalidity_date);
      g_array_append_val (entries, entry);
    }

  crl = cabut_ca_make_crl (self->ca, (CabutCaRevokedEntry *) entries->data, entries->len, number,
                           CRL_VALIDITY_SECONDS, error);
  /* The number is spent before the CRL leaves: a commit that fails after
   * the file was written would hand the same number to another CRL. */
  if (crl == NULL || !cabut_db_commit (db, error))
    {
      cabut_db_rollback (db);
      return NULL;
    }

  path = g_build_filename (self->data_dir, "ca", "issuing.crl", NULL);
  if (!cabut_file_write_durably (path, crl, 0644, error))
    return NULL;
  *out_number = number;

  return g_steal_pointer (&crl);
}

/* Serves @crl from now on (on the main thread). */
static void
install_crl (CabutServer *self,
             GBytes      *crl,
             gint64       number)
{
  g_clear_pointer (&self->crl, g_bytes_unref);
  self->crl = g_bytes_ref (crl);
  self->crl_number = number;
  self->crl_signed_at = cabut_server_now ();
}

/**
 * cabut_server_refresh_crl:
 *
 * Signs, writes and serves a new CRL, on the calling thread: for start-up,
 * before the service answers anyone. On any error the last good CRL stays
 * the one served and on disk.
 */
gboolean
cabut_server_refresh_crl (CabutServer  *self,
                          GError      **error)
{
  g_autoptr(GBytes) crl = NULL;
  gint64 number = 0;

  if (self->ca == NULL)
    return TRUE;
  if ((crl = make_crl (self, self->db, &number, error)) == NULL)
    return FALSE;
  install_crl (self, crl, number);

  return TRUE;
}

/* Publishing while the service runs: in a worker thread with a connection
 * of its own (RSA over 100,000 entries and an fsync take a while), one
 * run at a time so CRL numbers are published in order. A request to
 * publish waits for a run that starts after it was made, so whoever
 * asks after committing a revocation gets a CRL that lists it. */
static void
crl_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  CabutServer *self = source_object;
  GError *error = NULL;
  GBytes *crl;

  if (self->crl_db == NULL)
    {
      g_autofree char *path = g_build_filename (self->data_dir, "cabut.db", NULL);

      self->crl_db = cabut_db_open (path, &error);
    }
  /* The number goes back in the task's data, beside the CRL. */
  crl = self->crl_db != NULL ? make_crl (self, self->crl_db, task_data, &error) : NULL;
  if (crl == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, crl, (GDestroyNotify) g_bytes_unref);
}

static void start_crl_run (CabutServer *self);

static void
crl_run_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CabutServer *self = CABUT_SERVER (object);
  g_autoptr(GPtrArray) waiters = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) crl = g_task_propagate_pointer (G_TASK (result), &error);

  self->crl_running = FALSE;
  if (crl != NULL)
    install_crl (self, crl, *(gint64 *) g_task_get_task_data (G_TASK (result)));
  else
    {
      g_warning ("Failed to publish a new CRL: %s", error->message);
      /* The next GET tries again. */
      self->crl_signed_at = 0;
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (crl != NULL)
        g_task_return_boolean (waiter, TRUE);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }

  if (self->crl_waiting->len > 0)
    start_crl_run (self);
}

static void
start_crl_run (CabutServer *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, crl_run_done_cb,
                                      g_steal_pointer (&self->crl_waiting));

  self->crl_waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->crl_running = TRUE;
  g_task_set_source_tag (task, start_crl_run);
  g_task_set_task_data (task, g_new0 (gint64, 1), g_free);
  g_task_run_in_thread (task, crl_thread);
}

/**
 * cabut_server_publish_crl_async:
 * @callback: (nullable): called once a CRL made after this call is served
 *
 * Signs and publishes a new CRL without holding up the main loop.
 */
void
cabut_server_publish_crl_async (CabutServer         *self,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, cabut_server_publish_crl_async);
  if (self->ca == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_ptr_array_add (self->crl_waiting, task);
  if (!self->crl_running)
    start_crl_run (self);
}

gboolean
cabut_server_publish_crl_finish (CabutServer   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
reply_bytes (SoupServerMessage *msg,
             const char        *content_type,
             GBytes            *bytes)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

void
cabut_server_pki_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  CabutServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  /* The early handler may already have answered (413). */
  if (soup_server_message_get_status (msg) != 0 && soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    return;

  if (self->ca == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }

  if (g_str_equal (path, CABUT_CA_PATH_CA) && method == SOUP_METHOD_GET)
    {
      g_autoptr(GBytes) der = cabut_ca_get_issuing_der (self->ca);
      reply_bytes (msg, "application/pkix-cert", der);
    }
  else if (g_str_equal (path, CABUT_CA_PATH_ROOT_CA) && method == SOUP_METHOD_GET)
    {
      g_autoptr(GBytes) der = cabut_ca_get_root_der (self->ca);
      reply_bytes (msg, "application/pkix-cert", der);
    }
  else if (g_str_equal (path, "/pki/ca.pem") && method == SOUP_METHOD_GET)
    {
      g_autoptr(GBytes) pem = cabut_ca_get_chain_pem (self->ca);
      reply_bytes (msg, "application/x-pem-file", pem);
    }
  else if (g_str_equal (path, CABUT_CA_PATH_CRL) && method == SOUP_METHOD_GET)
    {
      /* An ageing CRL is still good until its nextUpdate: served while the
       * next one is made. */
      if ((self->crl == NULL || cabut_server_now () - self->crl_signed_at > CRL_REFRESH_SECONDS) &&
          !self->crl_running)
        cabut_server_publish_crl_async (self, NULL, NULL);
      if (self->crl == NULL)
        soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      else
        reply_bytes (msg, "application/pkix-crl", self->crl);
    }
  else if (g_str_equal (path, CABUT_CA_PATH_ROOT_CRL) && method == SOUP_METHOD_GET)
    {
      /* Signed again only when it ages, not for every anonymous GET. */
      if (self->root_crl == NULL || cabut_server_now () - self->root_crl_signed_at > CRL_REFRESH_SECONDS)
        {
          g_autoptr(GError) error = NULL;
          GBytes *crl = cabut_ca_make_root_crl (self->ca, cabut_server_now (), CRL_VALIDITY_SECONDS, &error);

          if (crl == NULL)
            g_warning ("Failed to sign the root CRL: %s", error->message);
          else
            {
              g_clear_pointer (&self->root_crl, g_bytes_unref);
              self->root_crl = crl;
              self->root_crl_signed_at = cabut_server_now ();
            }
        }
      if (self->root_crl == NULL)
        soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      else
        reply_bytes (msg, "application/pkix-crl", self->root_crl);
    }
  else if (g_str_equal (path, CABUT_CA_PATH_OCSP) && method == SOUP_METHOD_POST)
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) request = soup_message_body_flatten (body);

      answer_ocsp (self, msg, request);
    }
  else if (g_str_has_prefix (path, CABUT_CA_PATH_OCSP "/") && method == SOUP_METHOD_GET)
    {
      /* RFC 5019: the base64 request is the rest of the path. */
      g_autofree char *encoded = g_uri_unescape_string (path + strlen (CABUT_CA_PATH_OCSP "/"), NULL);
      g_autofree guchar *der = NULL;
      g_autoptr(GBytes) request = NULL;
      gsize len = 0;

      if (encoded == NULL)
        encoded = g_strdup ("");
      der = g_base64_decode (encoded, &len);
      request = g_bytes_new (der, len);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Cache-Control", "max-age=60, public");
      answer_ocsp (self, msg, request);
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    }
}
