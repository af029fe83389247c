/* cabut-ams-client.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-ams-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-ams-client.h"
#include "cabut-json-private.h"
#include "cabut-letter.h"

/* The HTTP client of the certificate management (AMS) API, shared by the
 * CLI and the app. Every call is asynchronous and cancellable. Transient
 * failures (the network, a 429/502/503/504) are retried with backoff, and
 * no sooner than a Retry-After asks — but only for reads and for filing a
 * request, whose Idempotency-Key makes the retry safe. TLS is always
 * verified; plain http only reaches this computer. */
struct _CabutAmsClient
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *base_url;     /* no trailing slash */
  char         *host;
  char         *token;
  char         *language;
  GTlsDatabase *extra_ca;
  guint         max_attempts;
  guint         first_delay_ms;
};

G_DEFINE_FINAL_TYPE (CabutAmsClient, cabut_ams_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-ams-error-quark, cabut_ams_error)

#define MAX_RESPONSE_SIZE (16 * 1024 * 1024)

/* Seconds; a longer Retry-After ends the call instead of a retry. */
#define MAX_RETRY_AFTER 60

/* libsoup 3.2 has no name for it (RFC 6585). */
#define STATUS_TOO_MANY_REQUESTS 429

/* Turns a successful answer into what the call returns: @root is the JSON
 * (NULL for a raw call or an empty body), @body the bytes. */
typedef gpointer (*CallParseFunc) (CabutAmsClient  *self,
                                   JsonNode        *root,
                                   GBytes          *body,
                                   GError         **error);

typedef struct
{
  CabutAmsClient       *self;
  char                 *method;
  char                 *path;
  GBytes               *body;
  char                 *content_type;
  char                 *idempotency_key;
  gboolean              retryable;
  gboolean              raw;
  gboolean              sign_in;
  gboolean              next_header;  /* raw: answer a CsvPage with the Cabut-Next-Cursor header */
  guint                 attempt;
  CabutAmsProgressFunc  progress;
  gpointer              progress_data;
  goffset               sent;
  SoupMessage          *msg;
  guint                 retry_id;
  CallParseFunc         parse;
  GDestroyNotify        result_free;
} Call;

/* A page of a CSV listing: its bytes, and the cursor of the next page. */
typedef struct
{
  GBytes *body;
  char   *next;
} CsvPage;

static void
csv_page_free (CsvPage *page)
{
  g_clear_pointer (&page->body, g_bytes_unref);
  g_free (page->next);
  g_free (page);
}

static void start_attempt (GTask *task);

static void
call_free (Call *call)
{
  g_clear_handle_id (&call->retry_id, g_source_remove);
  g_clear_object (&call->msg);
  g_clear_object (&call->self);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->method);
  g_free (call->path);
  g_free (call->content_type);
  g_free (call->idempotency_key);
  g_free (call);
}

static void
cabut_ams_client_finalize (GObject *object)
{
  CabutAmsClient *self = (CabutAmsClient *)object;

  g_clear_object (&self->session);
  g_clear_object (&self->extra_ca);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->language, g_free);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (cabut_ams_client_parent_class)->finalize (object);
}

static void
cabut_ams_client_class_init (CabutAmsClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cabut_ams_client_finalize;
}

static void
cabut_ams_client_init (CabutAmsClient *self)
{
  self->session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 60,
                                                 "user-agent", "Cabut/" PACKAGE_VERSION, NULL);
  self->language = g_strdup ("id");
  self->max_attempts = 4;
  self->first_delay_ms = 500;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * cabut_ams_client_new:
 * @base_url: the service, e.g. `https://ams.contoh.go.id`
 *
 * Returns: (transfer full): a client, or %NULL if the URL is not one Cabut
 *   will talk to (plain http is allowed only to this computer)
 */
CabutAmsClient *
cabut_ams_client_new (const char  *base_url,
                      GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  CabutAmsClient *self;
  const char *scheme;

  g_return_val_if_fail (base_url != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_set_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_INVALID_URL,
                   _("“%s” is not the address of a service: it should look like "
                     "https://ams.example.go.id"), base_url);
      return NULL;
    }

  if (g_str_equal (scheme, "http") && !host_is_loopback (g_uri_get_host (uri)))
    {
      g_set_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_INSECURE_URL,
                   _("Cabut only talks to %s over https: with plain http your password and "
                     "letter would cross the network unprotected"), g_uri_get_host (uri));
      return NULL;
    }

  self = g_object_new (CABUT_TYPE_AMS_CLIENT, NULL);
  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->host = g_strdup (g_uri_get_host (uri));

  return self;
}

const char *
cabut_ams_client_get_base_url (CabutAmsClient *self)
{
  g_return_val_if_fail (CABUT_IS_AMS_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * cabut_ams_client_add_ca_file:
 * @path: a PEM file of CA certificates to trust for this service, on top
 *   of the system's
 */
gboolean
cabut_ams_client_add_ca_file (CabutAmsClient  *self,
                              const char      *path,
                              GError         **error)
{
  g_autofree char *absolute = NULL;
  GTlsDatabase *database;

  g_return_val_if_fail (CABUT_IS_AMS_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* g_tls_file_database_new() wants an absolute path. */
  absolute = g_canonicalize_filename (path, NULL);
  database = g_tls_file_database_new (absolute, error);
  if (database == NULL)
    return FALSE;

  g_set_object (&self->extra_ca, database);
  g_object_unref (database);

  return TRUE;
}

/** cabut_ams_client_set_language: "id" or "en", for the service's messages */
void
cabut_ams_client_set_language (CabutAmsClient *self,
                               const char     *language)
{
  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  g_free (self->language);
  self->language = g_strdup (language != NULL ? language : "id");
}

/**
 * cabut_ams_client_set_retry_policy:
 * @max_attempts: attempts in all, the first included
 * @first_delay_ms: the pause before the second; it doubles for each one after,
 *   and is longer when the service's Retry-After asks for more
 */
void
cabut_ams_client_set_retry_policy (CabutAmsClient *self,
                                   guint           max_attempts,
                                   guint           first_delay_ms)
{
  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  self->max_attempts = MAX (max_attempts, 1);
  self->first_delay_ms = first_delay_ms;
}

/** cabut_ams_client_set_timeout: gives up on a silent connection after @seconds */
void
cabut_ams_client_set_timeout (CabutAmsClient *self,
                              guint           seconds)
{
  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  soup_session_set_timeout (self->session, seconds);
  soup_session_set_idle_timeout (self->session, seconds);
}

const char *
cabut_ams_client_get_token (CabutAmsClient *self)
{
  g_return_val_if_fail (CABUT_IS_AMS_CLIENT (self), NULL);
  return self->token;
}

void
cabut_ams_client_set_token (CabutAmsClient *self,
                            const char     *token)
{
  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}

/* ---------------------------------------------------------------------- */

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       CabutAmsClient       *self)
{
  g_autoptr(GSocketConnectable) identity = NULL;
  GTlsCertificateFlags flags;

  if (self->extra_ca == NULL)
    return FALSE;

  /* The system did not trust it; the CA file given for this service may. */
  identity = g_network_address_new (self->host, 0);
  flags = g_tls_database_verify_chain (self->extra_ca, certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity, NULL,
                                       G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);

  return flags == 0;
}

static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    GTask       *task)
{
  Call *call = g_task_get_task_data (task);

  call->sent += chunk_size;
  if (call->progress != NULL)
    call->progress (call->sent, g_bytes_get_size (call->body), call->progress_data);
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call->retry_id = 0;
  start_attempt (task);

  return G_SOURCE_REMOVE;
}

/* Retry-After (RFC 9110, 10.2.3): seconds, or an HTTP date.
 * Returns: the seconds to wait, or -1 when the header is absent or unreadable */
static gint64
retry_after_seconds (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds;

  if ((date = soup_date_time_new_from_http_string (value)) == NULL)
    return -1;
  now = g_date_time_new_now_utc ();

  return MAX (g_date_time_difference (date, now) / G_USEC_PER_SEC, 0);
}

/* Returns TRUE if another attempt was scheduled. @status is 0 when no
 * answer came. */
static gboolean
maybe_retry (GTask *task,
             guint  status)
{
  Call *call = g_task_get_task_data (task);
  guint delay;

  if (!call->retryable || call->attempt >= call->self->max_attempts ||
      g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;

  delay = call->self->first_delay_ms << MIN (call->attempt - 1, 6);

  /* The service says when it can take the request again; no sooner than
   * that. A pause longer than anyone waits in front of a spinner is
   * reported now instead of being cut short against its wish. */
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE || status == STATUS_TOO_MANY_REQUESTS)
    {
      gint64 after = retry_after_seconds (call->msg);

      if (after > MAX_RETRY_AFTER)
        {
          g_debug ("Not retrying %s %s: the service asks for %" G_GINT64_FORMAT " s",
                   call->method, call->path, after);
          return FALSE;
        }
      if (after >= 0)
        delay = MAX (delay, (guint) after * 1000);
    }

  g_debug ("Retrying %s %s in %u ms (attempt %u)", call->method, call->path, delay, call->attempt + 1);
  call->retry_id = g_timeout_add (delay, retry_cb, task);

  return TRUE;
}

static CabutAmsError
error_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED: return CABUT_AMS_ERROR_UNAUTHORIZED;
    case SOUP_STATUS_FORBIDDEN: return CABUT_AMS_ERROR_FORBIDDEN;
    case SOUP_STATUS_NOT_FOUND: return CABUT_AMS_ERROR_NOT_FOUND;
    case SOUP_STATUS_CONFLICT: return CABUT_AMS_ERROR_CONFLICT;
    case SOUP_STATUS_LOCKED: return CABUT_AMS_ERROR_LOCKED;
    case 429: return CABUT_AMS_ERROR_LOCKED;   /* too many failed sign-ins from this address */
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE: return CABUT_AMS_ERROR_TOO_LARGE;
    case SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE: return CABUT_AMS_ERROR_UNSUPPORTED_TYPE;
    default:
      return status >= 500 ? CABUT_AMS_ERROR_SERVER : CABUT_AMS_ERROR_BAD_REQUEST;
    }
}

static const char *
default_message (CabutAmsError code)
{
  switch (code)
    {
    case CABUT_AMS_ERROR_UNAUTHORIZED: return _("Your session has ended: sign in again");
    case CABUT_AMS_ERROR_FORBIDDEN: return _("The service refused the request");
    case CABUT_AMS_ERROR_NOT_FOUND: return _("The service does not know this request");
    case CABUT_AMS_ERROR_CONFLICT: return _("The request cannot be changed in its current state");
    case CABUT_AMS_ERROR_LOCKED: return _("Too many failed sign-ins: wait a while before trying again");
    case CABUT_AMS_ERROR_TOO_LARGE: return _("The letter is too large for the service");
    case CABUT_AMS_ERROR_UNSUPPORTED_TYPE: return _("The letter must be a PDF, JPEG or PNG file");
    case CABUT_AMS_ERROR_SERVER: return _("The service has a problem; try again later");
    case CABUT_AMS_ERROR_TAKEN_BY_OTHER: return _("Another officer has taken this request for review");
    default: return _("The service did not understand the request");
    }
}

static void
finish_call (GTask    *task,
             GBytes   *bytes,
             GError   *error)
{
  Call *call = g_task_get_task_data (task);
  CabutAmsClient *self = call->self;
  g_autoptr(JsonNode) root = NULL;
  guint status;

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_error_copy (error));
      else if (error->domain == G_TLS_ERROR ||
               soup_message_get_tls_peer_certificate_errors (call->msg) != 0)
        g_task_return_new_error (task, CABUT_AMS_ERROR, CABUT_AMS_ERROR_TLS,
                                 _("The service at %s could not prove who it is (%s); "
                                   "nothing was sent"), self->host, error->message);
      else
        g_task_return_new_error (task, CABUT_AMS_ERROR, CABUT_AMS_ERROR_NETWORK,
                                 _("The service at %s cannot be reached: %s. Check your network "
                                   "connection and try again."), self->host, error->message);
      return;
    }

  status = soup_message_get_status (call->msg);

  if (call->raw && SOUP_STATUS_IS_SUCCESSFUL (status) && call->next_header)
    {
      CsvPage *page = g_new0 (CsvPage, 1);
      SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);

      page->body = g_bytes_ref (bytes);
      page->next = g_strdup (soup_message_headers_get_one (headers, "Cabut-Next-Cursor"));
      g_task_return_pointer (task, page, (GDestroyNotify) csv_page_free);
      return;
    }

  if (call->raw && SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (call->parse != NULL)
        {
          g_autoptr(GError) parse_error = NULL;
          gpointer result = call->parse (self, NULL, bytes, &parse_error);

          if (result == NULL)
            g_task_return_error (task, g_steal_pointer (&parse_error));
          else
            g_task_return_pointer (task, result, call->result_free);
          return;
        }
      g_task_return_pointer (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }

  /* An answer nested too deep is no answer (CABUT_AMS_ERROR_PROTOCOL below). */
  if (g_bytes_get_size (bytes) > 0)
    root = cabut_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      CabutAmsError code = error_for_status (status);
      const char *message = NULL;

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *err = json_object_get_object_member (json_node_get_object (root), "error");

          if (err != NULL)
            {
              const char *server_code = json_object_get_string_member_with_default (err, "code", "");

              message = json_object_get_string_member_with_default (err, "message", NULL);
              if (g_str_equal (server_code, "totp_required"))
                code = CABUT_AMS_ERROR_TOTP_REQUIRED;
              else if (g_str_equal (server_code, "taken_by_other"))
                code = CABUT_AMS_ERROR_TAKEN_BY_OTHER;
            }
        }
      if (status == SOUP_STATUS_UNAUTHORIZED && !call->sign_in)
        cabut_ams_client_set_token (self, NULL);

      g_task_return_new_error (task, CABUT_AMS_ERROR, code, "%s",
                               message != NULL ? message : default_message (code));
      return;
    }

  if (g_bytes_get_size (bytes) > 0 && (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)))
    {
      g_task_return_new_error (task, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL,
                               _("The service at %s answered something Cabut does not understand"),
                               self->host);
      return;
    }

  if (call->sign_in)
    {
      g_autofree char *token = NULL;
      g_autoptr(GError) token_error = NULL;

      if (root == NULL ||
          !cabut_json_get_string (json_node_get_object (root), "token", FALSE, &token, &token_error))
        {
          g_task_return_new_error (task, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL,
                                   _("The service at %s answered something Cabut does not understand"),
                                   self->host);
          return;
        }
      cabut_ams_client_set_token (self, token);
    }

  if (call->parse != NULL)
    {
      g_autoptr(GError) parse_error = NULL;
      gpointer result = call->parse (self, root, bytes, &parse_error);

      if (result == NULL)
        g_task_return_error (task, g_steal_pointer (&parse_error));
      else
        g_task_return_pointer (task, result, call->result_free);
      return;
    }

  g_task_return_pointer (task, root ? json_node_copy (root) : NULL, (GDestroyNotify) json_node_unref);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  status = bytes != NULL ? soup_message_get_status (call->msg) : 0;

  /* Transient: the network, a gateway that could not reach the service, or
   * a service that is busy. */
  if (((bytes == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
        error->domain != G_TLS_ERROR && soup_message_get_tls_peer_certificate_errors (call->msg) == 0) ||
       status == SOUP_STATUS_BAD_GATEWAY || status == SOUP_STATUS_SERVICE_UNAVAILABLE ||
       status == SOUP_STATUS_GATEWAY_TIMEOUT || status == STATUS_TOO_MANY_REQUESTS) &&
      maybe_retry (task, status))
    return;

  finish_call (task, bytes, error);
  g_object_unref (task);
}

static void
start_attempt (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  CabutAmsClient *self = call->self;
  /* A path with a leading slash lies outside the API, e.g. /pki/ca.pem. */
  g_autofree char *url = call->path[0] == '/'
                           ? g_strconcat (self->base_url, call->path, NULL)
                           : g_strdup_printf ("%s/api/v1/%s", self->base_url, call->path);
  SoupMessageHeaders *headers;

  call->attempt++;
  call->sent = 0;
  g_clear_object (&call->msg);
  call->msg = soup_message_new (call->method, url);
  if (call->msg == NULL)
    {
      g_task_return_new_error (task, CABUT_AMS_ERROR, CABUT_AMS_ERROR_INVALID_URL,
                               _("“%s” is not a valid address"), url);
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (call->msg);
  soup_message_headers_replace (headers, "Accept", call->raw ? "*/*" : "application/json");
  soup_message_headers_replace (headers, "Accept-Language", self->language);
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (call->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", call->idempotency_key);
  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (call->msg, call->content_type, call->body);

  g_signal_connect_object (call->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), self, 0);
  if (call->progress != NULL)
    g_signal_connect (call->msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), task);

  soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), sent_cb, task);
}

static Call *
call_new (const char *method,
          const char *path,
          gboolean    retryable)
{
  Call *call = g_new0 (Call, 1);

  call->method = g_strdup (method);
  call->path = g_strdup (path);
  call->retryable = retryable;

  return call;
}

static void
call_start (CabutAmsClient      *self,
            Call                *call,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  call->self = g_object_ref (self);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  start_attempt (task);
}

/**
 * cabut_ams_client_call_finish:
 *
 * Returns: (transfer full) (nullable): the JSON object the service answered
 */
JsonNode *
cabut_ams_client_call_finish (CabutAmsClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (CABUT_IS_AMS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cabut_ams_client_sign_in_async:
 * @totp: (nullable): the one-time code, for accounts that use one
 *
 * On success the client keeps the session token for the calls that follow.
 */
void
cabut_ams_client_sign_in_async (CabutAmsClient      *self,
                                const char          *username,
                                const char          *password,
                                const char          *totp,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  Call *call;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (username != NULL && password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  if (totp != NULL)
    {
      json_builder_set_member_name (builder, "totp");
      json_builder_add_string_value (builder, totp);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  call = call_new ("POST", "session", FALSE);
  call->body = cabut_json_to_bytes (node);
  call->content_type = g_strdup ("application/json");
  call->sign_in = TRUE;

  call_start (self, call, cabut_ams_client_sign_in_async, cancellable, callback, user_data);
}

void
cabut_ams_client_sign_out_async (CabutAmsClient      *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Call *call;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  call = call_new ("DELETE", "session", FALSE);

  call_start (self, call, cabut_ams_client_sign_out_async, cancellable, callback, user_data);
}

/**
 * cabut_ams_client_get_async:
 * @path: under /api/v1, e.g. "requests/CBT-2026-000001"
 *
 * Reads are retried on transient failures.
 */
void
cabut_ams_client_get_async (CabutAmsClient      *self,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Call *call;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (path != NULL);

  call = call_new ("GET", path, TRUE);
  call_start (self, call, cabut_ams_client_get_async, cancellable, callback, user_data);
}

/**
 * cabut_ams_client_post_async:
 * @body: (nullable): a JSON body
 *
 * Decisions (approve, reject, cancel) are not retried: a lost answer must
 * not turn into a second, different decision.
 */
void
cabut_ams_client_post_async (CabutAmsClient      *self,
                             const char          *path,
                             JsonNode            *body,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Call *call;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (path != NULL);

  call = call_new ("POST", path, FALSE);
  if (body != NULL)
    {
      call->body = cabut_json_to_bytes (body);
      call->content_type = g_strdup ("application/json");
    }

  call_start (self, call, cabut_ams_client_post_async, cancellable, callback, user_data);
}

static Call *
send_call_new (CabutSubmission      *submission,
               GBytes               *letter,
               const char           *letter_name,
               CabutAmsProgressFunc  progress,
               gpointer              progress_data)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(SoupMessageHeaders) part_headers = NULL;
  SoupMultipart *multipart;
  GBytes *body = NULL;
  const char *type;
  Call *call;

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  part_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  soup_message_headers_replace (part_headers, "Content-Disposition", "form-data; name=\"metadata\"");
  soup_message_headers_replace (part_headers, "Content-Type", "application/json");
  soup_multipart_append_part (multipart, part_headers, cabut_submission_get_metadata (submission));

  if (cabut_submission_get_signature (submission) != NULL)
    soup_multipart_append_form_string (multipart, "signature", cabut_submission_get_signature (submission));

  /* The service decides by content too; this only labels the part. */
  type = cabut_letter_sniff_type (letter);
  soup_multipart_append_form_file (multipart, "letter", letter_name ? letter_name : "letter",
                                   type != NULL ? type : "application/octet-stream", letter);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, headers, &body);
  soup_multipart_free (multipart);

  call = call_new ("POST", "requests", TRUE);
  call->body = body;
  call->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  call->idempotency_key = g_strdup (cabut_submission_get_idempotency_key (submission));
  call->progress = progress;
  call->progress_data = progress_data;

  return call;
}

static gpointer
parse_request (CabutAmsClient  *self,
               JsonNode        *root,
               GBytes          *body,
               GError         **error)
{
  return cabut_request_new_from_json (root, error);
}

/**
 * cabut_ams_client_send_async:
 * @submission: the prepared filing, from cabut_submission_new() or the outbox
 * @letter: the signed statement letter (PDF, JPEG or PNG)
 * @letter_name: (nullable): its file name, for the officer's download
 * @progress: (nullable): called as the upload goes out
 *
 * Files a revocation request. Retried on transient failures with the
 * submission's idempotency key, so the service never records it twice —
 * also when the program sends the same submission again after a restart.
 */
void
cabut_ams_client_send_async (CabutAmsClient       *self,
                             CabutSubmission      *submission,
                             GBytes               *letter,
                             const char           *letter_name,
                             CabutAmsProgressFunc  progress,
                             gpointer              progress_data,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  Call *call;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (CABUT_IS_SUBMISSION (submission));
  g_return_if_fail (letter != NULL);

  call = send_call_new (submission, letter, letter_name, progress, progress_data);
  call->parse = parse_request;
  call->result_free = g_object_unref;

  call_start (self, call, cabut_ams_client_send_async, cancellable, callback, user_data);
}

/** cabut_ams_client_send_finish: Returns: (transfer full): the request as the service recorded it */
CabutRequest *
cabut_ams_client_send_finish (CabutAmsClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (CABUT_IS_AMS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cabut_ams_client_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cabut_ams_client_submit_async:
 * @certificate: the certificate to revoke; when its file held the matching
 *   private key, the request is signed with it as proof of possession
 * @reason: the RFC 5280 name of the reason, e.g. "keyCompromise"
 * @note: (nullable): a note for the officer
 * @letter: the signed statement letter (PDF, JPEG or PNG)
 * @letter_name: its file name, for the officer's download
 * @idempotency_key: a key that stays the same for every retry of this one
 *   request, also across restarts of the program
 * @progress: (nullable): called as the upload goes out
 *
 * Builds a #CabutSubmission and sends it as cabut_ams_client_send_async()
 * does; completes with cabut_ams_client_call_finish() and the JSON the
 * service answered. Signs on the calling thread: the app prepares a
 * #CabutSubmission in a worker thread instead.
 */
void
cabut_ams_client_submit_async (CabutAmsClient       *self,
                               CabutCertificate     *certificate,
                               const char           *reason,
                               const char           *note,
                               GBytes               *letter,
                               const char           *letter_name,
                               const char           *idempotency_key,
                               CabutAmsProgressFunc  progress,
                               gpointer              progress_data,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  cabut_ams_client_submit_for_async (self, certificate, NULL, reason, note, letter, letter_name, idempotency_key,
                                     progress, progress_data, cancellable, callback, user_data);
}

/**
 * cabut_ams_client_submit_for_async:
 * @on_behalf_of: (nullable): an officer files at the desk for this
 *   applicant (their username); %NULL files one's own request
 *
 * As cabut_ams_client_submit_async(); completes with
 * cabut_ams_client_call_finish(). The request is the applicant's (in their
 * list, their notices); its `filed_by` names the officer.
 */
void
cabut_ams_client_submit_for_async (CabutAmsClient       *self,
                                   CabutCertificate     *certificate,
                                   const char           *on_behalf_of,
                                   const char           *reason,
                                   const char           *note,
                                   GBytes               *letter,
                                   const char           *letter_name,
                                   const char           *idempotency_key,
                                   CabutAmsProgressFunc  progress,
                                   gpointer              progress_data,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(CabutSubmission) submission = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (CABUT_IS_CERTIFICATE (certificate));
  g_return_if_fail (reason != NULL);
  g_return_if_fail (letter != NULL);
  g_return_if_fail (idempotency_key != NULL);

  submission = cabut_submission_new_for_applicant (certificate, on_behalf_of, reason, note, idempotency_key, &error);
  if (submission == NULL)
    {
      g_task_report_error (self, callback, user_data, cabut_ams_client_submit_async,
                           g_steal_pointer (&error));
      return;
    }

  call_start (self, send_call_new (submission, letter, letter_name, progress, progress_data),
              cabut_ams_client_submit_async, cancellable, callback, user_data);
}

/** cabut_ams_client_download_async: fetches a file, such as a letter */
void
cabut_ams_client_download_async (CabutAmsClient      *self,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Call *call;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (path != NULL);

  call = call_new ("GET", path, TRUE);
  call->raw = TRUE;

  call_start (self, call, cabut_ams_client_download_async, cancellable, callback, user_data);
}

/** cabut_ams_client_download_finish: Returns: (transfer full): the file */
GBytes *
cabut_ams_client_download_finish (CabutAmsClient  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (CABUT_IS_AMS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Typed calls                                                             */

/**
 * cabut_ams_client_sign_in_finish:
 *
 * Returns: %TRUE if signed in; the client keeps the session token
 */
gboolean
cabut_ams_client_sign_in_finish (CabutAmsClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CABUT_IS_AMS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  node = cabut_ams_client_call_finish (self, result, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static void
typed_get (CabutAmsClient      *self,
           const char          *path,
           gboolean             raw,
           CallParseFunc        parse,
           GDestroyNotify       result_free,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  Call *call = call_new ("GET", path, TRUE);

  call->raw = raw;
  call->parse = parse;
  call->result_free = result_free;

  call_start (self, call, source_tag, cancellable, callback, user_data);
}

static gpointer
typed_finish (CabutAmsClient  *self,
              GAsyncResult    *result,
              gpointer         source_tag,
              GError         **error)
{
  g_return_val_if_fail (CABUT_IS_AMS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
parse_service_info (CabutAmsClient  *self,
                    JsonNode        *root,
                    GBytes          *body,
                    GError         **error)
{
  return cabut_service_info_new_from_json (root, error);
}

/**
 * cabut_ams_client_get_service_info_async:
 *
 * Reads the service's public information; needs no session.
 */
void
cabut_ams_client_get_service_info_async (CabutAmsClient      *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  typed_get (self, "service", FALSE, parse_service_info, g_object_unref,
             cabut_ams_client_get_service_info_async, cancellable, callback, user_data);
}

/** cabut_ams_client_get_service_info_finish: Returns: (transfer full) */
CabutServiceInfo *
cabut_ams_client_get_service_info_finish (CabutAmsClient  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_get_service_info_async, error);
}

static gpointer
parse_profile (CabutAmsClient  *self,
               JsonNode        *root,
               GBytes          *body,
               GError         **error)
{
  return cabut_profile_new_from_json (root, error);
}

/* The certificates past /me's first page, a page at a time. */
static gpointer
parse_raw (CabutAmsClient  *self,
           JsonNode        *root,
           GBytes          *body,
           GError         **error)
{
  return json_node_ref (root);
}

static void get_certificates_page (GTask *task, const char *cursor);

static void
certificates_page_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CabutProfile *profile = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *next = NULL;

  if (page == NULL || !cabut_profile_add_certificates_from_json (profile, page, &next, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (next != NULL)
    get_certificates_page (g_steal_pointer (&task), next);
  else
    g_task_return_pointer (task, g_object_ref (profile), g_object_unref);
}

static void
get_certificates_page (GTask      *task,
                       const char *cursor)
{
  g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
  g_autofree char *path = g_strconcat ("me/certificates?cursor=", escaped, NULL);

  typed_get (g_task_get_source_object (task), path, FALSE, parse_raw, (GDestroyNotify) json_node_unref,
             get_certificates_page, g_task_get_cancellable (task), certificates_page_cb, task);
}

static void
profile_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutProfile) profile = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *next = NULL;

  if (profile == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  next = cabut_profile_take_certificates_next (profile);
  if (next == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&profile), g_object_unref);
      return;
    }
  g_task_set_task_data (task, g_steal_pointer (&profile), g_object_unref);
  get_certificates_page (g_steal_pointer (&task), next);
}

/**
 * cabut_ams_client_get_profile_async:
 *
 * Reads the signed-in account and every certificate it holds (following
 * the pages past the first).
 */
void
cabut_ams_client_get_profile_async (CabutAmsClient      *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_ams_client_get_profile_async);
  typed_get (self, "me", FALSE, parse_profile, g_object_unref, profile_cb, cancellable, profile_cb, task);
}

/** cabut_ams_client_get_profile_finish: Returns: (transfer full) */
CabutProfile *
cabut_ams_client_get_profile_finish (CabutAmsClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_get_profile_async, error);
}

static gpointer
parse_reasons (CabutAmsClient  *self,
               JsonNode        *root,
               GBytes          *body,
               GError         **error)
{
  return cabut_reason_item_list_new_from_json (root, self->language, error);
}

/**
 * cabut_ams_client_list_reasons_async:
 *
 * Reads the reasons the service offers, labelled in the client's language
 * (cabut_ams_client_set_language()).
 */
void
cabut_ams_client_list_reasons_async (CabutAmsClient      *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  typed_get (self, "reasons", FALSE, parse_reasons, g_object_unref,
             cabut_ams_client_list_reasons_async, cancellable, callback, user_data);
}

/** cabut_ams_client_list_reasons_finish: Returns: (transfer full): a list of #CabutReasonItem */
GListModel *
cabut_ams_client_list_reasons_finish (CabutAmsClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_list_reasons_async, error);
}

/* One page of a list: its requests (or complaints), and the cursor of the next page. */
typedef struct
{
  GListModel *requests;
  char       *next;
} Page;

static void
page_free (Page *page)
{
  g_clear_object (&page->requests);
  g_free (page->next);
  g_free (page);
}

static gpointer
parse_page (CabutAmsClient  *self,
            JsonNode        *root,
            GBytes          *body,
            GError         **error)
{
  Page *page = g_new0 (Page, 1);
  JsonObject *object;

  if ((page->requests = cabut_request_list_new_from_json (root, error)) == NULL ||
      (object = cabut_json_get_object (root, "requests", error)) == NULL ||
      !cabut_json_get_string (object, "next", TRUE, &page->next, error))
    {
      page_free (page);
      return NULL;
    }

  return page;
}

/* Every page of a list, walked to its end: @all gathers the items of each
 * page read by @parse from @path plus the cursor. */
typedef struct
{
  GListStore    *all;
  char          *path;      /* with its query: "requests?limit=200" */
  CallParseFunc  parse;     /* gives a Page */
} Pages;

static void
pages_free (Pages *pages)
{
  g_clear_object (&pages->all);
  g_free (pages->path);
  g_free (pages);
}

static void get_page (GTask *task, const char *cursor);

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Pages *pages = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Page *page = g_task_propagate_pointer (G_TASK (result), &error);

  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (page->requests); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (page->requests, i);
      g_list_store_append (pages->all, item);
    }
  if (page->next != NULL)
    get_page (g_steal_pointer (&task), page->next);
  else
    g_task_return_pointer (task, g_object_ref (pages->all), g_object_unref);
  page_free (page);
}

static void
get_page (GTask      *task,
          const char *cursor)
{
  Pages *pages = g_task_get_task_data (task);
  g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = g_strconcat (pages->path, escaped ? "&cursor=" : "", escaped, NULL);

  typed_get (g_task_get_source_object (task), path, FALSE, pages->parse, (GDestroyNotify) page_free,
             get_page, g_task_get_cancellable (task), page_cb, task);
}

static void
list_all (CabutAmsClient      *self,
          GType                item_type,
          char                *path,
          CallParseFunc        parse,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Pages *pages = g_new0 (Pages, 1);

  g_task_set_source_tag (task, source_tag);
  pages->all = g_list_store_new (item_type);
  pages->path = path;
  pages->parse = parse;
  g_task_set_task_data (task, pages, (GDestroyNotify) pages_free);
  get_page (task, NULL);
}

/* One page of a listing as the caller pages it (the queue). */
static gpointer
parse_request_page (CabutAmsClient  *self,
                    JsonNode        *root,
                    GBytes          *body,
                    GError         **error)
{
  return cabut_request_page_new_from_json (root, error);
}

/**
 * cabut_ams_client_list_requests_async:
 *
 * Reads the signed-in applicant's requests, without events: every page,
 * newest first.
 */
void
cabut_ams_client_list_requests_async (CabutAmsClient      *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  list_all (self, CABUT_TYPE_REQUEST, g_strdup ("requests?limit=200"), parse_page,
            cabut_ams_client_list_requests_async, cancellable, callback, user_data);
}

/** cabut_ams_client_list_requests_finish: Returns: (transfer full): a list of #CabutRequest */
GListModel *
cabut_ams_client_list_requests_finish (CabutAmsClient  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_list_requests_async, error);
}

static gpointer
parse_audit_page (CabutAmsClient  *self,
                  JsonNode        *root,
                  GBytes          *body,
                  GError         **error)
{
  Page *page = g_new0 (Page, 1);

  if ((page->requests = cabut_audit_entry_list_new_from_json (root, &page->next, error)) == NULL)
    {
      page_free (page);
      return NULL;
    }

  return page;
}

static void
append_param (GString    *path,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || *value == '\0')
    return;
  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (path, "&%s=%s", name, escaped);
}

/**
 * cabut_ams_client_list_audit_async:
 * @actor: (nullable): only what this username did
 * @request: (nullable): only what was done to this request (or account, or serial)
 * @since: (nullable): only from then on
 * @until: (nullable): only before then
 * @cursor: (nullable): the page after this one (from the last _finish), or the first
 *
 * Reads one page (up to 200 entries) of the audit log, newest first;
 * administrators only.
 */
void
cabut_ams_client_list_audit_async (CabutAmsClient      *self,
                                   const char          *actor,
                                   const char          *request,
                                   GDateTime           *since,
                                   GDateTime           *until,
                                   const char          *cursor,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("admin/audit?limit=200");
  g_autofree char *since_text = since ? g_date_time_format_iso8601 (since) : NULL;
  g_autofree char *until_text = until ? g_date_time_format_iso8601 (until) : NULL;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  append_param (path, "actor", actor);
  append_param (path, "request", request);
  append_param (path, "since", since_text);
  append_param (path, "until", until_text);
  append_param (path, "cursor", cursor);
  typed_get (self, path->str, FALSE, parse_audit_page, (GDestroyNotify) page_free,
             cabut_ams_client_list_audit_async, cancellable, callback, user_data);
}

/**
 * cabut_ams_client_list_audit_finish:
 * @next: (out) (optional) (nullable): the cursor of the next page; %NULL on the last
 *
 * Returns: (transfer full): a list of #CabutAuditEntry
 */
GListModel *
cabut_ams_client_list_audit_finish (CabutAmsClient  *self,
                                    GAsyncResult    *result,
                                    char           **next,
                                    GError         **error)
{
  Page *page = typed_finish (self, result, cabut_ams_client_list_audit_async, error);
  GListModel *entries;

  if (page == NULL)
    return NULL;
  entries = g_steal_pointer (&page->requests);
  if (next != NULL)
    *next = g_steal_pointer (&page->next);
  page_free (page);

  return entries;
}

/* The whole export: the filters' path, the CSV so far. */
typedef struct
{
  char    *path;
  GString *csv;
} Export;

static void
export_free (Export *export)
{
  g_free (export->path);
  if (export->csv != NULL)
    g_string_free (export->csv, TRUE);
  g_free (export);
}

static void export_page (GTask *task, const char *cursor);

static void
export_page_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Export *export = g_task_get_task_data (task);
  CsvPage *page;
  GError *error = NULL;
  const char *data;
  gsize len;

  page = g_task_propagate_pointer (G_TASK (result), &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_bytes_get_data (page->body, &len);
  /* Every page starts with the header row; the file has it once. */
  if (export->csv->len > 0)
    {
      const char *end = memchr (data, '\n', len);

      len = end != NULL ? len - (end + 1 - data) : 0;
      data = end != NULL ? end + 1 : data;
    }
  g_string_append_len (export->csv, data, len);

  if (page->next != NULL && len > 0)
    export_page (task, page->next);
  else
    g_task_return_pointer (task, g_string_free_to_bytes (g_steal_pointer (&export->csv)),
                           (GDestroyNotify) g_bytes_unref);
  csv_page_free (page);
}

static void
export_page (GTask      *task,
             const char *cursor)
{
  CabutAmsClient *self = g_task_get_source_object (task);
  Export *export = g_task_get_task_data (task);
  g_autoptr(GString) path = g_string_new (export->path);
  GTask *page_task = g_task_new (self, g_task_get_cancellable (task), export_page_cb, g_object_ref (task));
  Call *call;

  append_param (path, "cursor", cursor);
  call = call_new ("GET", path->str, TRUE);
  call->raw = TRUE;
  call->next_header = TRUE;
  call->self = g_object_ref (self);
  g_task_set_source_tag (page_task, export_page);
  g_task_set_task_data (page_task, call, (GDestroyNotify) call_free);
  start_attempt (page_task);
}

/**
 * cabut_ams_client_export_audit_async:
 * @actor: (nullable): only what this username did
 * @request: (nullable): only what was done to this request (or account, or serial)
 * @since: (nullable): only from then on
 * @until: (nullable): only before then
 *
 * Reads the whole audit log that matches, newest first, as the service
 * writes it in CSV (RFC 4180, one header row), every page of it;
 * administrators only.
 */
void
cabut_ams_client_export_audit_async (CabutAmsClient      *self,
                                     const char          *actor,
                                     const char          *request,
                                     GDateTime           *since,
                                     GDateTime           *until,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) path = g_string_new ("admin/audit?format=csv&limit=200");
  g_autofree char *since_text = since ? g_date_time_format_iso8601 (since) : NULL;
  g_autofree char *until_text = until ? g_date_time_format_iso8601 (until) : NULL;
  Export *export = g_new0 (Export, 1);

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  append_param (path, "actor", actor);
  append_param (path, "request", request);
  append_param (path, "since", since_text);
  append_param (path, "until", until_text);
  export->path = g_string_free (g_steal_pointer (&path), FALSE);
  export->csv = g_string_new (NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_ams_client_export_audit_async);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  export_page (task, NULL);
}

/** cabut_ams_client_export_audit_finish: Returns: (transfer full): the CSV */
GBytes *
cabut_ams_client_export_audit_finish (CabutAmsClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_export_audit_async, error);
}

static gpointer
parse_bulk (CabutAmsClient  *self,
            JsonNode        *root,
            GBytes          *body,
            GError         **error)
{
  return cabut_bulk_batch_new_from_json (root, error);
}

/**
 * cabut_ams_client_bulk_async:
 * @csv: one NIP or certificate serial number per row, a header optional
 * @reason: the RFC 5280 name of the reason, e.g. "affiliationChanged"
 * @note: (nullable): said to each applicant, and kept with each request
 * @dry_run: only preview what each row matches
 * @idempotency_key: (nullable): for the real run: the same key gives back
 *   the same batch, so a retry never starts a second one
 *
 * Bulk revocation (operators, administrators): completes with
 * cabut_ams_client_bulk_finish(). A real run answers at once with the
 * batch running; follow it with cabut_ams_client_get_bulk_async().
 */
void
cabut_ams_client_bulk_async (CabutAmsClient      *self,
                             GBytes              *csv,
                             const char          *reason,
                             const char          *note,
                             gboolean             dry_run,
                             const char          *idempotency_key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("admin/bulk?dry_run=");
  Call *call;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (csv != NULL);
  g_return_if_fail (reason != NULL);

  g_string_append (path, dry_run ? "true" : "false");
  append_param (path, "reason", reason);
  append_param (path, "note", note);
  /* A preview changes nothing, a keyed run gives back its batch: both may be retried. */
  call = call_new ("POST", path->str, dry_run || idempotency_key != NULL);
  call->body = g_bytes_ref (csv);
  call->content_type = g_strdup ("text/csv; charset=utf-8");
  call->idempotency_key = g_strdup (idempotency_key);
  call->parse = parse_bulk;
  call->result_free = g_object_unref;

  call_start (self, call, cabut_ams_client_bulk_async, cancellable, callback, user_data);
}

/**
 * cabut_ams_client_bulk_finish:
 *
 * Returns: (transfer full): the preview or the batch; the same for
 *   cabut_ams_client_get_bulk_async() and _resume_bulk_async()
 */
CabutBulkBatch *
cabut_ams_client_bulk_finish (CabutAmsClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (CABUT_IS_AMS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/** cabut_ams_client_get_bulk_async: reads a batch, its progress and rows; finish with cabut_ams_client_bulk_finish() */
void
cabut_ams_client_get_bulk_async (CabutAmsClient      *self,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("admin/bulk/", escaped, NULL);
  typed_get (self, path, FALSE, parse_bulk, g_object_unref, cabut_ams_client_bulk_async, cancellable, callback,
             user_data);
}

/**
 * cabut_ams_client_resume_bulk_async:
 *
 * Carries on with a batch that was cut off (the service stopped), from
 * its first row not done; finish with cabut_ams_client_bulk_finish().
 */
void
cabut_ams_client_resume_bulk_async (CabutAmsClient      *self,
                                    const char          *id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Call *call;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("admin/bulk/", escaped, "/resume", NULL);
  /* Resuming twice is resuming once. */
  call = call_new ("POST", path, TRUE);
  call->parse = parse_bulk;
  call->result_free = g_object_unref;

  call_start (self, call, cabut_ams_client_bulk_async, cancellable, callback, user_data);
}

/**
 * cabut_ams_client_list_queue_async:
 * @state: (nullable): "open" (when %NULL), "all" or a state's name
 * @search: (nullable): a request number, serial, NIP, NIK or part of a name
 * @cursor: (nullable): the page's cursor, from the page before; %NULL for the first
 * @limit: rows per page (1 to 200), or 0 for the service's default
 *
 * Reads one page of the officers' queue, soonest deadline first.
 */
void
cabut_ams_client_list_queue_async (CabutAmsClient      *self,
                                   const char          *state,
                                   const char          *search,
                                   const char          *cursor,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("queue?state=");

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (limit <= 200);

  g_string_append_uri_escaped (path, state ? state : "open", NULL, FALSE);
  if (limit > 0)
    g_string_append_printf (path, "&limit=%u", limit);
  if (search != NULL && *search != '\0')
    {
      g_string_append (path, "&q=");
      g_string_append_uri_escaped (path, search, NULL, FALSE);
    }
  if (cursor != NULL)
    {
      g_string_append (path, "&cursor=");
      g_string_append_uri_escaped (path, cursor, NULL, FALSE);
    }

  typed_get (self, path->str, FALSE, parse_request_page, g_object_unref, cabut_ams_client_list_queue_async, cancellable,
             callback, user_data);
}

/** cabut_ams_client_list_queue_finish: Returns: (transfer full): the page */
CabutRequestPage *
cabut_ams_client_list_queue_finish (CabutAmsClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_list_queue_async, error);
}

static gpointer
parse_queue_counts (CabutAmsClient  *self,
                    JsonNode        *root,
                    GBytes          *body,
                    GError         **error)
{
  return cabut_queue_counts_new_from_json (root, error);
}

/**
 * cabut_ams_client_get_queue_counts_async:
 *
 * Reads how many requests each of the queue's filters shows (officers only).
 */
void
cabut_ams_client_get_queue_counts_async (CabutAmsClient      *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  typed_get (self, "queue/counts", FALSE, parse_queue_counts, g_object_unref,
             cabut_ams_client_get_queue_counts_async, cancellable, callback, user_data);
}

/** cabut_ams_client_get_queue_counts_finish: Returns: (transfer full) */
CabutQueueCounts *
cabut_ams_client_get_queue_counts_finish (CabutAmsClient  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_get_queue_counts_async, error);
}

/**
 * cabut_ams_client_get_request_async:
 * @id: the request number, e.g. "CBT-2026-000001"
 *
 * Reads one request with its events.
 */
void
cabut_ams_client_get_request_async (CabutAmsClient      *self,
                                    const char          *id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("requests/", escaped, NULL);
  typed_get (self, path, FALSE, parse_request, g_object_unref,
             cabut_ams_client_get_request_async, cancellable, callback, user_data);
}

/** cabut_ams_client_get_request_finish: Returns: (transfer full) */
CabutRequest *
cabut_ams_client_get_request_finish (CabutAmsClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_get_request_async, error);
}

/**
 * cabut_ams_client_cancel_request_async:
 * @id: the request number, e.g. "CBT-2026-000001"
 *
 * Cancels a request of the signed-in applicant that is not decided yet.
 */
void
cabut_ams_client_cancel_request_async (CabutAmsClient      *self,
                                       const char          *id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Call *call;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("requests/", escaped, "/cancel", NULL);
  call = call_new ("POST", path, FALSE);
  call->body = g_bytes_new_static ("{}", 2);
  call->content_type = g_strdup ("application/json");
  call->parse = parse_request;
  call->result_free = g_object_unref;
  call_start (self, call, cabut_ams_client_cancel_request_async, cancellable, callback, user_data);
}

/** cabut_ams_client_cancel_request_finish: Returns: (transfer full): the request, cancelled */
CabutRequest *
cabut_ams_client_cancel_request_finish (CabutAmsClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_cancel_request_async, error);
}

/* ---------------------------------------------------------------------- */
/* Complaints                                                              */

static gpointer
parse_complaint (CabutAmsClient  *self,
                 JsonNode        *root,
                 GBytes          *body,
                 GError         **error)
{
  return cabut_complaint_new_from_json (root, error);
}

/* A POST whose answer is one complaint; never retried (a lost answer must
 * not file or answer twice). */
static void
complaint_post (CabutAmsClient      *self,
                const char          *path,
                const char          *text,
                const char          *request,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  Call *call;

  json_builder_begin_object (builder);
  if (text != NULL)
    {
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text);
    }
  if (request != NULL)
    {
      json_builder_set_member_name (builder, "request");
      json_builder_add_string_value (builder, request);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  call = call_new ("POST", path, FALSE);
  call->body = cabut_json_to_bytes (node);
  call->content_type = g_strdup ("application/json");
  call->parse = parse_complaint;
  call->result_free = g_object_unref;
  call_start (self, call, source_tag, cancellable, callback, user_data);
}

/**
 * cabut_ams_client_file_complaint_async:
 * @text: what the applicant complains of
 * @request: (nullable): the number of one of the applicant's requests it is about
 *
 * Files a complaint for the signed-in account.
 */
void
cabut_ams_client_file_complaint_async (CabutAmsClient      *self,
                                       const char          *text,
                                       const char          *request,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (text != NULL);

  complaint_post (self, "complaints", text, request, cabut_ams_client_file_complaint_async, cancellable,
                  callback, user_data);
}

/** cabut_ams_client_file_complaint_finish: Returns: (transfer full): the complaint, open, with its thread */
CabutComplaint *
cabut_ams_client_file_complaint_finish (CabutAmsClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_file_complaint_async, error);
}

/**
 * cabut_ams_client_complaint_step_async:
 * @id: the complaint number, e.g. "CBT-K-2026-000001"
 * @action: "answer", "escalate", "resolve" (officers) or "reply" (its applicant)
 * @text: (nullable): what is said; only escalating may go without
 *
 * Takes one step on a complaint.
 */
void
cabut_ams_client_complaint_step_async (CabutAmsClient      *self,
                                       const char          *id,
                                       const char          *action,
                                       const char          *text,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  static const char * const actions[] = { "answer", "reply", "escalate", "resolve", NULL };
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (action != NULL && g_strv_contains (actions, action));

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("complaints/", escaped, "/", action, NULL);
  complaint_post (self, path, text, NULL, cabut_ams_client_complaint_step_async, cancellable, callback,
                  user_data);
}

/** cabut_ams_client_complaint_step_finish: Returns: (transfer full): the complaint after the step, with its thread */
CabutComplaint *
cabut_ams_client_complaint_step_finish (CabutAmsClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_complaint_step_async, error);
}

/**
 * cabut_ams_client_get_complaint_async:
 * @id: the complaint number
 *
 * Reads one complaint with its thread.
 */
void
cabut_ams_client_get_complaint_async (CabutAmsClient      *self,
                                      const char          *id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("complaints/", escaped, NULL);
  typed_get (self, path, FALSE, parse_complaint, g_object_unref, cabut_ams_client_get_complaint_async, cancellable,
             callback, user_data);
}

/** cabut_ams_client_get_complaint_finish: Returns: (transfer full) */
CabutComplaint *
cabut_ams_client_get_complaint_finish (CabutAmsClient  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_get_complaint_async, error);
}

static gpointer
parse_complaint_page (CabutAmsClient  *self,
                      JsonNode        *root,
                      GBytes          *body,
                      GError         **error)
{
  Page *page = g_new0 (Page, 1);

  if ((page->requests = cabut_complaint_list_new_from_json (root, &page->next, error)) == NULL)
    {
      page_free (page);
      return NULL;
    }

  return page;
}

/**
 * cabut_ams_client_list_complaints_async:
 * @state: (nullable): "unresolved", "all" or one state; %NULL for the
 *   service's default (an applicant's: all; officers': unresolved)
 *
 * Reads every page of complaints, without their threads: an applicant's
 * own, newest first; for an officer everyone's, oldest first.
 */
void
cabut_ams_client_list_complaints_async (CabutAmsClient      *self,
                                        const char          *state,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  escaped = state != NULL ? g_uri_escape_string (state, NULL, FALSE) : NULL;
  list_all (self, CABUT_TYPE_COMPLAINT,
            g_strconcat ("complaints?limit=200", escaped ? "&state=" : "", escaped, NULL),
            parse_complaint_page, cabut_ams_client_list_complaints_async, cancellable, callback, user_data);
}

/** cabut_ams_client_list_complaints_finish: Returns: (transfer full): a list of #CabutComplaint */
GListModel *
cabut_ams_client_list_complaints_finish (CabutAmsClient  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_list_complaints_async, error);
}

static gpointer
parse_review (CabutAmsClient  *self,
              JsonNode        *root,
              GBytes          *body,
              GError         **error)
{
  return cabut_review_new_from_json (root, error);
}

/**
 * cabut_ams_client_get_review_async:
 * @id: the request number, e.g. "CBT-2026-000001"
 *
 * Reads the review dossier of a request (officers only): the request
 * beside the account and registered certificate, and the checks.
 */
void
cabut_ams_client_get_review_async (CabutAmsClient      *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("requests/", escaped, "/review", NULL);
  typed_get (self, path, FALSE, parse_review, g_object_unref,
             cabut_ams_client_get_review_async, cancellable, callback, user_data);
}

/** cabut_ams_client_get_review_finish: Returns: (transfer full) */
CabutReview *
cabut_ams_client_get_review_finish (CabutAmsClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_get_review_async, error);
}

/**
 * cabut_ams_client_decide_async:
 * @id: the request number
 * @action: "review" (take it for review), "approve" or "reject"; under
 *   second approval "confirm" (another officer's proposal takes effect) or
 *   "decline" (it is dropped)
 * @note: (nullable): the note for the applicant; required to reject and
 *   to decline
 *
 * Under second approval "approve" and "reject" only propose: the request
 * answered stays in review with its pending decision.
 *
 * An officer's step on a request. Never retried: a decision sent twice
 * would be refused the second time (409) while it succeeded the first.
 */
void
cabut_ams_client_decide_async (CabutAmsClient      *self,
                               const char          *id,
                               const char          *action,
                               const char          *note,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Call *call;

  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (g_strcmp0 (action, "review") == 0 || g_strcmp0 (action, "approve") == 0 ||
                    g_strcmp0 (action, "reject") == 0 || g_strcmp0 (action, "confirm") == 0 ||
                    g_strcmp0 (action, "decline") == 0);

  json_builder_begin_object (builder);
  if (note != NULL)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, note);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("requests/", escaped, "/", action, NULL);
  call = call_new ("POST", path, FALSE);
  call->body = cabut_json_to_bytes (body);
  call->content_type = g_strdup ("application/json");
  call->parse = parse_request;
  call->result_free = g_object_unref;
  call_start (self, call, cabut_ams_client_decide_async, cancellable, callback, user_data);
}

/** cabut_ams_client_decide_finish: Returns: (transfer full): the request after the step */
CabutRequest *
cabut_ams_client_decide_finish (CabutAmsClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_decide_async, error);
}

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END   "-----END CERTIFICATE-----"

static gpointer
parse_ca (CabutAmsClient  *self,
          JsonNode        *root,
          GBytes          *body,
          GError         **error)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *text = NULL;
  const char *p;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  /* One certificate per PEM block, in the order served. */
  text = g_strndup (data, len);
  for (p = strstr (text, PEM_BEGIN); p != NULL; p = strstr (p, PEM_BEGIN))
    {
      const char *end = strstr (p, PEM_END);
      g_autoptr(GBytes) block = NULL;
      g_autoptr(CabutCertificate) certificate = NULL;

      if (end == NULL)
        break;
      end += strlen (PEM_END);
      block = g_bytes_new (p, end - p);
      certificate = cabut_certificate_new_from_bytes (block, NULL, NULL);
      if (certificate == NULL)
        break;
      g_ptr_array_add (chain, g_steal_pointer (&certificate));
      p = end;
    }

  if (chain->len == 0 || p != NULL)
    {
      g_set_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL,
                   _("The service at %s sent CA certificates Cabut cannot read"), self->host);
      return NULL;
    }

  return g_steal_pointer (&chain);
}

/**
 * cabut_ams_client_get_ca_async:
 *
 * Reads the service's CA certificates (/pki/ca.pem); needs no session.
 */
void
cabut_ams_client_get_ca_async (CabutAmsClient      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CABUT_IS_AMS_CLIENT (self));

  typed_get (self, "/pki/ca.pem", TRUE, parse_ca, (GDestroyNotify) g_ptr_array_unref,
             cabut_ams_client_get_ca_async, cancellable, callback, user_data);
}

/**
 * cabut_ams_client_get_ca_finish:
 *
 * Returns: (transfer container) (element-type CabutCertificate): the chain,
 *   the issuing CA first and the root last
 */
GPtrArray *
cabut_ams_client_get_ca_finish (CabutAmsClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return typed_finish (self, result, cabut_ams_client_get_ca_async, error);
}
