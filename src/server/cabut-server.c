/* cabut-server.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

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

/* The reference certificate management (AMS) service: a SoupServer that
 * answers the JSON API under /api/v1 and the CA's public endpoints under
 * /pki. This file holds the object, its configuration and the routes; each
 * concern has a file of its own, sharing cabut-server-private.h:
 * -reply (answers, body limits, the audit log), -connections, -session
 * (sign-in, /me), -requests (filing, listing, deciding), -events (the
 * long-poll feed), -admin, -pki (CRL and OCSP), -demo and -import. Reads
 * run on the main thread; every write on the database's writer thread;
 * what is slow (scrypt, RSA, fsync) in workers. */

G_DEFINE_FINAL_TYPE (CabutServer, cabut_server, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-server-error-quark, cabut_server_error)



/* The public information of GET /api/v1/service, from --config. Only this
 * file reads it, so it hangs on the object as data. */
typedef struct
{
  GKeyFile *keyfile;              /* validated; group [service] */
  int       service_days;
  int       fee;
} ServiceInfo;

#define SERVICE_GROUP "service"
#define MAIL_GROUP    "mail"

/* Free text for people: may have [en] (or [id]) variants. */
static const char * const localized_keys[] = {
  "agency", "service_name", "complaints_officer", "escalation", "office_hours", "address", NULL
};
/* Addresses and numbers: the same in every language. */
static const char * const plain_keys[] = {
  "phone", "email", "website", "service_days", "fee", "second_approval", NULL
};

#define SERVICE_INFO_KEY "cabut-service-info"

/* ---------------------------------------------------------------------- */
/* The API router                                                          */

static void
health_reply (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "service");
  json_builder_add_string_value (builder, "cabut-server");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
service_info_free (gpointer data)
{
  ServiceInfo *info = data;

  g_key_file_unref (info->keyfile);
  g_free (info);
}

static void
add_text_member (JsonBuilder *builder,
                 GKeyFile    *keyfile,
                 const char  *key,
                 const char  *language)
{
  g_autofree char *value = NULL;

  if (keyfile != NULL)
    value = language != NULL
      ? g_key_file_get_locale_string (keyfile, SERVICE_GROUP, key, language, NULL)
      : g_key_file_get_string (keyfile, SERVICE_GROUP, key, NULL);

  json_builder_set_member_name (builder, key);
  if (value != NULL && *g_strstrip (value) != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
service_reply (CabutServer         *self,
               CabutRequestContext *ctx)
{
  ServiceInfo *info = g_object_get_data (G_OBJECT (self), SERVICE_INFO_KEY);
  GKeyFile *keyfile = info != NULL ? info->keyfile : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  SoupMessageHeaders *headers;

  json_builder_begin_object (builder);
  add_text_member (builder, keyfile, "agency", ctx->language);
  add_text_member (builder, keyfile, "service_name", ctx->language);
  add_text_member (builder, keyfile, "phone", NULL);
  add_text_member (builder, keyfile, "email", NULL);
  add_text_member (builder, keyfile, "website", NULL);
  add_text_member (builder, keyfile, "complaints_officer", ctx->language);
  add_text_member (builder, keyfile, "escalation", ctx->language);
  add_text_member (builder, keyfile, "office_hours", ctx->language);
  add_text_member (builder, keyfile, "address", ctx->language);
  json_builder_set_member_name (builder, "service_days");
  json_builder_add_int_value (builder, info != NULL ? info->service_days : 1);
  json_builder_set_member_name (builder, "fee");
  json_builder_add_int_value (builder, info != NULL ? info->fee : 0);
  json_builder_set_member_name (builder, "max_letter_size");
  json_builder_add_int_value (builder, (gint64) self->max_letter_size);
  json_builder_set_member_name (builder, "second_approval");
  json_builder_add_boolean_value (builder, self->second_approval);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (ctx->msg, SOUP_STATUS_OK, node);

  /* It changes only with a restart; the text depends on the language. */
  headers = soup_server_message_get_response_headers (ctx->msg);
  soup_message_headers_replace (headers, "Cache-Control", "max-age=300");
  soup_message_headers_replace (headers, "Vary", "Accept-Language");
}

/* The API's routes: one libsoup handler per resource, each with the body
 * limit as its early handler (libsoup keeps early and normal handlers per
 * path, so a path with a handler of its own needs both). */
typedef enum
{
  ROUTE_PUBLIC,
  ROUTE_SIGNED_IN,
  ROUTE_SIGNED_IN_BUT_POST,    /* POST signs in; anything else needs a session */
} RouteAccess;

typedef struct
{
  const char  *path;
  const char  *method;          /* NULL: any; the route checks */
  RouteAccess  access;
  void       (*func) (CabutServer *self, CabutRequestContext *ctx, const char *rest, GHashTable *query);
} Route;

static void
route_health (CabutServer         *self,
              CabutRequestContext *ctx,
              const char          *rest,
              GHashTable          *query)
{
  const char *method = soup_server_message_get_method (ctx->msg);

  if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
    health_reply (ctx->msg);
  else
    cabut_server_reply_error (ctx->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                              N_("This address does not take that method"));
}

static void
route_service (CabutServer         *self,
               CabutRequestContext *ctx,
               const char          *rest,
               GHashTable          *query)
{
  const char *method = soup_server_message_get_method (ctx->msg);

  /* What a person should know before asking: no sign-in needed. */
  if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
    service_reply (self, ctx);
  else
    cabut_server_reply_error (ctx->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                              N_("This address does not take that method"));
}

static void
route_session (CabutServer         *self,
               CabutRequestContext *ctx,
               const char          *rest,
               GHashTable          *query)
{
  cabut_server_handle_session (self, ctx);
}

static void
route_me (CabutServer         *self,
          CabutRequestContext *ctx,
          const char          *rest,
          GHashTable          *query)
{
  if (rest[0] == '\0')
    cabut_server_handle_me (self, ctx);
  else if (g_str_equal (rest, "/certificates"))
    cabut_server_handle_my_certificates (self, ctx, query);
  else
    cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
}

static void
route_reasons (CabutServer         *self,
               CabutRequestContext *ctx,
               const char          *rest,
               GHashTable          *query)
{
  cabut_server_handle_reasons (self, ctx);
}

static void
route_requests (CabutServer         *self,
                CabutRequestContext *ctx,
                const char          *rest,
                GHashTable          *query)
{
  g_autofree char *resource = g_strconcat ("requests", rest, NULL);
  g_auto(GStrv) segments = g_strsplit (resource, "/", -1);

  cabut_server_handle_requests (self, ctx, segments);
}

static void
route_complaints (CabutServer         *self,
                  CabutRequestContext *ctx,
                  const char          *rest,
                  GHashTable          *query)
{
  g_autofree char *resource = g_strconcat ("complaints", rest, NULL);
  g_auto(GStrv) segments = g_strsplit (resource, "/", -1);

  cabut_server_handle_complaints (self, ctx, segments);
}

static void
route_queue (CabutServer         *self,
             CabutRequestContext *ctx,
             const char          *rest,
             GHashTable          *query)
{
  cabut_server_handle_queue (self, ctx);
}

static void
route_queue_counts (CabutServer         *self,
                    CabutRequestContext *ctx,
                    const char          *rest,
                    GHashTable          *query)
{
  cabut_server_handle_queue_counts (self, ctx);
}

static void
route_events (CabutServer         *self,
              CabutRequestContext *ctx,
              const char          *rest,
              GHashTable          *query)
{
  cabut_server_handle_events (self, ctx, query);
}

static void
route_admin (CabutServer         *self,
             CabutRequestContext *ctx,
             const char          *rest,
             GHashTable          *query)
{
  /* /admin/audit; /admin/bulk, /admin/bulk/ID and /admin/bulk/ID/resume;
   * /admin/accounts and /admin/certificates */
  if (g_str_equal (rest, "/audit"))
    cabut_server_handle_audit (self, ctx, query);
  else if (g_str_equal (rest, "/bulk") || g_str_has_prefix (rest, "/bulk/"))
    {
      g_auto(GStrv) parts = g_strsplit (rest + 1, "/", -1);
      guint n = g_strv_length (parts);

      if (n > 3 || (n >= 2 && parts[1][0] == '\0') || (n == 3 && parts[2][0] == '\0'))
        cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
      else
        cabut_server_handle_bulk (self, ctx, n >= 2 ? parts[1] : NULL, n == 3 ? parts[2] : NULL, query);
    }
  else if (rest[0] == '/' && rest[1] != '\0' && strchr (rest + 1, '/') == NULL)
    cabut_server_handle_admin (self, ctx, rest + 1);
  else
    cabut_server_reply_error (ctx->msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
}

static const Route routes[] = {
  { "/api/v1/health", NULL, ROUTE_PUBLIC, route_health },
  { "/api/v1/service", NULL, ROUTE_PUBLIC, route_service },
  { "/api/v1/session", NULL, ROUTE_SIGNED_IN_BUT_POST, route_session },
  { "/api/v1/me", "GET", ROUTE_SIGNED_IN, route_me },
  { "/api/v1/reasons", "GET", ROUTE_SIGNED_IN, route_reasons },
  { "/api/v1/requests", NULL, ROUTE_SIGNED_IN, route_requests },
  { "/api/v1/queue", "GET", ROUTE_SIGNED_IN, route_queue },
  { "/api/v1/queue/counts", "GET", ROUTE_SIGNED_IN, route_queue_counts },
  { "/api/v1/complaints", NULL, ROUTE_SIGNED_IN, route_complaints },
  { "/api/v1/events", "GET", ROUTE_SIGNED_IN, route_events },
  { "/api/v1/admin", NULL, ROUTE_SIGNED_IN, route_admin },
};

/* Whether @rest (what follows the route's path) is one the route serves:
 * nothing, for a resource of its own; below it, for those with parts. */
static gboolean
route_takes (const Route *route,
             const char  *rest)
{
  if (route->func == route_requests || route->func == route_admin || route->func == route_me ||
      route->func == route_complaints)
    return rest[0] == '\0' || rest[0] == '/';

  return rest[0] == '\0';
}

static void
route_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  const Route *route = user_data;
  CabutServer *self = g_object_get_data (G_OBJECT (server), "cabut-server");
  CabutRequestContext ctx = { self, msg, NULL, cabut_server_language_of (msg) };
  const char *method = soup_server_message_get_method (msg);
  const char *rest = path + strlen (route->path);

  /* The early handler may already have answered (413, 401). */
  if (soup_server_message_get_status (msg) != 0 && soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    return;

  if (!route_takes (route, rest) || (route->method != NULL && g_strcmp0 (method, route->method) != 0))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
      return;
    }

  if (route->access == ROUTE_SIGNED_IN || (route->access == ROUTE_SIGNED_IN_BUT_POST && method != SOUP_METHOD_POST))
    {
      ctx.account = g_object_steal_data (G_OBJECT (msg), CABUT_SERVER_ACCOUNT_KEY);
      if (ctx.account == NULL)
        {
          g_autoptr(GError) error = NULL;

          ctx.account = cabut_session_lookup (self->db, cabut_server_bearer_token (msg), cabut_server_now (),
                                              &error);
          if (error != NULL)
            {
              cabut_server_reply_gerror (msg, error);
              return;
            }
        }
      if (ctx.account == NULL)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "WWW-Authenticate", "Bearer realm=\"cabut\"");
          cabut_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                    N_("Your session has ended or is not valid: sign in again"));
          return;
        }
    }

  route->func (self, &ctx, rest, query);
  g_clear_pointer (&ctx.account, cabut_account_free);
}

/* Anything no route serves. */
static void
not_found_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  if (soup_server_message_get_status (msg) != 0 && soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    return;
  cabut_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", N_("There is nothing here"));
}

/* ---------------------------------------------------------------------- */
/* Object                                                                  */

static void
cabut_server_finalize (GObject *object)
{
  CabutServer *self = (CabutServer *)object;

  cabut_server_connections_clear (self);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  cabut_server_events_clear (self);
  g_clear_pointer (&self->mail, cabut_server_mail_free);
  g_clear_object (&self->soup);
  g_clear_object (&self->crl_db);
  g_clear_pointer (&self->crl_waiting, g_ptr_array_unref);
  g_clear_object (&self->db);
  g_clear_object (&self->calendar);
  g_clear_object (&self->ca);
  g_clear_pointer (&self->crl, g_bytes_unref);
  g_clear_pointer (&self->root_crl, g_bytes_unref);
  g_clear_pointer (&self->ca_subject, g_free);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->letters_dir, g_free);
  g_clear_pointer (&self->upload_dir, g_free);
  g_clear_pointer (&self->bulk_running, g_hash_table_unref);

  G_OBJECT_CLASS (cabut_server_parent_class)->finalize (object);
}

static void
cabut_server_class_init (CabutServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cabut_server_finalize;
}

static void
cabut_server_init (CabutServer *self)
{
  self->max_letter_size = CABUT_SERVER_DEFAULT_MAX_LETTER;
  self->crl_waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->request_timeout = CABUT_SERVER_DEFAULT_REQUEST_TIMEOUT;
  self->bulk_running = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static gboolean
make_dir (const char  *path,
          GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_DATA_DIR,
                   _("The data folder %s cannot be created: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Uploads that were cut off by a crash or a kill were never acknowledged. */
static void
clear_upload_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
}

static gboolean
is_sha256_name (const char *name)
{
  if (strlen (name) != 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* A letter is written (and fsynced) before its request's row commits: after
 * a crash in between, the letter — somebody's personal document — belongs
 * to no request. Such letters go at start-up. Fail closed: a letter is
 * removed only when the database answered that nothing refers to it. */
static void
collect_orphan_letters (CabutServer *self)
{
  g_autoptr(GDir) handle = g_dir_open (self->letters_dir, 0, NULL);
  const char *name;
  guint removed = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = NULL;
      gboolean in_use = TRUE;

      if (!is_sha256_name (name))
        continue;
      /* Removed only when the database says no request refers to it. */
      if (!cabut_request_store_letter_in_use (self->db, name, &in_use, NULL))
        return;
      if (in_use)
        continue;

      path = g_build_filename (self->letters_dir, name, NULL);
      if (g_unlink (path) == 0)
        removed++;
    }

  if (removed > 0)
    g_message ("Removed %u letters that no request refers to (left by an interrupted filing)", removed);
}

/**
 * cabut_server_new:
 * @data_dir: where the service keeps its database, letters and CA
 *
 * Returns: (transfer full): a server that is not listening yet
 */
CabutServer *
cabut_server_new (const char  *data_dir,
                  GError     **error)
{
  g_autoptr(CabutServer) self = NULL;
  g_autofree char *db_path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (CABUT_TYPE_SERVER, NULL);
  self->data_dir = g_strdup (data_dir);
  self->letters_dir = g_build_filename (data_dir, "letters", NULL);
  self->upload_dir = g_build_filename (data_dir, "uploads", NULL);

  if (!make_dir (data_dir, error) || !make_dir (self->letters_dir, error) ||
      !make_dir (self->upload_dir, error))
    return NULL;
  clear_upload_dir (self->upload_dir);

  db_path = g_build_filename (data_dir, "cabut.db", NULL);
  if ((self->db = cabut_db_open (db_path, error)) == NULL || !cabut_db_start_writer (self->db, error))
    return NULL;
  collect_orphan_letters (self);
  if ((self->calendar = cabut_calendar_new_default (error)) == NULL)
    return NULL;

  self->soup = soup_server_new ("server-header", "cabut-server/" PACKAGE_VERSION, NULL);
  cabut_server_connections_init (self);
  cabut_server_requests_init (self);
  g_object_set_data (G_OBJECT (self->soup), "cabut-server", self);
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      soup_server_add_handler (self->soup, routes[i].path, route_cb, (gpointer) &routes[i], NULL);
      /* The letter upload has an early handler of its own (cabut-server-requests.c). */
      if (routes[i].func != route_requests)
        soup_server_add_early_handler (self->soup, routes[i].path, cabut_server_body_limit_early_cb, self, NULL);
    }
  soup_server_add_handler (self->soup, "/api/v1", not_found_cb, self, NULL);
  /* Paths nobody serves: a 404, not the 500 libsoup gives a path whose
   * handler has only an early callback (the body limit below). */
  soup_server_add_handler (self->soup, NULL, not_found_cb, self, NULL);
  soup_server_add_handler (self->soup, "/pki", cabut_server_pki_cb, self, NULL);
  /* Early handlers are found by the same path as the others: each path,
   * and the default for paths nobody serves. */
  soup_server_add_early_handler (self->soup, "/api/v1", cabut_server_body_limit_early_cb, self, NULL);
  soup_server_add_early_handler (self->soup, "/pki", cabut_server_body_limit_early_cb, self, NULL);
  soup_server_add_early_handler (self->soup, NULL, cabut_server_body_limit_early_cb, self, NULL);

  return g_steal_pointer (&self);
}

void
cabut_server_set_max_letter_size (CabutServer *self,
                                  gsize        max_size)
{
  g_return_if_fail (CABUT_IS_SERVER (self));
  self->max_letter_size = max_size;
}

/**
 * cabut_server_set_second_approval:
 *
 * With second approval, an officer's approval or rejection is a proposal
 * (the request stays in review, event `decision_proposed`) that takes
 * effect only when a different officer confirms it.
 */
void
cabut_server_set_second_approval (CabutServer *self,
                                  gboolean     second_approval)
{
  g_return_if_fail (CABUT_IS_SERVER (self));
  self->second_approval = second_approval;
}

/** cabut_server_load_holidays: replaces the shipped holiday list with @path */
gboolean
cabut_server_load_holidays (CabutServer  *self,
                            const char   *path,
                            GError      **error)
{
  g_autoptr(CabutCalendar) calendar = NULL;

  g_return_val_if_fail (CABUT_IS_SERVER (self), FALSE);

  calendar = cabut_calendar_new (cabut_calendar_get_timezone (self->calendar));
  if (!cabut_calendar_load_holidays (calendar, path, error))
    return FALSE;
  g_set_object (&self->calendar, calendar);

  return TRUE;
}

static gboolean
is_known_key (const char *key)
{
  const char *bracket = strchr (key, '[');
  g_autofree char *base = NULL;

  if (bracket == NULL)
    return g_strv_contains (localized_keys, key) || g_strv_contains (plain_keys, key);

  /* Only free text has language variants, such as office_hours[en]. */
  base = g_strndup (key, bracket - key);

  return g_strv_contains (localized_keys, base) && g_str_has_suffix (bracket, "]");
}

static gboolean
is_web_address (const char *value)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *scheme;
  const char *host;

  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         host != NULL && *host != '\0';
}

/* Absent means @fallback; anything else must be a whole number ≥ @min. */
static gboolean
read_count (GKeyFile    *keyfile,
            const char  *path,
            const char  *key,
            int          min,
            int          fallback,
            int         *out,
            GError     **error)
{
  g_autofree char *raw = NULL;
  g_autoptr(GError) local_error = NULL;
  int value;

  if (!g_key_file_has_key (keyfile, SERVICE_GROUP, key, NULL))
    {
      *out = fallback;
      return TRUE;
    }

  raw = g_key_file_get_value (keyfile, SERVICE_GROUP, key, NULL);
  value = g_key_file_get_integer (keyfile, SERVICE_GROUP, key, &local_error);
  if (local_error != NULL || value < min)
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                   _("In the service information file %s, %s must be a whole number of at least %d, "
                     "not “%s”"), path, key, min, raw != NULL ? raw : "");
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* [mail]: how e-mail notices are sent (cabut_server_start_mail()). A
 * relative password file is found beside the configuration file. */
static gboolean
read_mail_group (GKeyFile    *keyfile,
                 const char  *path,
                 GError     **error)
{
  static const char * const mail_keys[] = { "smtp_url", "smtp_user", "smtp_password_file", "mail_from", NULL };
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile, MAIL_GROUP, NULL, NULL);
  g_autofree char *password_file = NULL;

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!g_strv_contains (mail_keys, keys[i]))
        {
          g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                       _("The service information file %s has an unknown key “%s” in [mail]"), path, keys[i]);
          return FALSE;
        }
      if ((value = g_key_file_get_string (keyfile, MAIL_GROUP, keys[i], &local_error)) == NULL)
        {
          g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                       _("The service information file %s cannot be read: %s"), path, local_error->message);
          return FALSE;
        }
    }

  password_file = g_key_file_get_string (keyfile, MAIL_GROUP, "smtp_password_file", NULL);
  if (password_file != NULL && *g_strstrip (password_file) != '\0' && !g_path_is_absolute (password_file))
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *absolute = g_build_filename (dir, password_file, NULL);

      g_key_file_set_string (keyfile, MAIL_GROUP, "smtp_password_file", absolute);
    }

  return TRUE;
}

/**
 * cabut_server_config_string:
 * @language: (nullable): "en" for a key's English variant, if it has one
 *
 * Returns: (transfer full) (nullable): the value of @key in @group of the
 *   configuration file, or %NULL when there is none (or it is blank)
 */
char *
cabut_server_config_string (CabutServer *self,
                            const char  *group,
                            const char  *key,
                            const char  *language)
{
  ServiceInfo *info = g_object_get_data (G_OBJECT (self), SERVICE_INFO_KEY);
  g_autofree char *value = NULL;

  if (info == NULL)
    return NULL;
  value = language != NULL ? g_key_file_get_locale_string (info->keyfile, group, key, language, NULL)
                           : g_key_file_get_string (info->keyfile, group, key, NULL);
  if (value == NULL || *g_strstrip (value) == '\0')
    return NULL;

  return g_steal_pointer (&value);
}

/**
 * cabut_server_load_config:
 * @path: a key file with a [service] group: agency, service_name, phone,
 *   email, website, complaints_officer, escalation, office_hours, address
 *   (free text ones may have language variants, such as office_hours[en]),
 *   service_days, fee and second_approval (true or false: see
 *   cabut_server_set_second_approval()); and optionally a [mail] group: smtp_url,
 *   smtp_user, smtp_password_file, mail_from (cabut_server_start_mail())
 *
 * Reads the public information that GET /api/v1/service answers. Nothing
 * changes unless the whole file is valid.
 */
gboolean
cabut_server_load_config (CabutServer  *self,
                          const char   *path,
                          GError      **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *email = NULL;
  g_autofree char *website = NULL;
  ServiceInfo *info;
  int service_days = 1;
  int fee = 0;
  gboolean second_approval = self->second_approval;

  g_return_val_if_fail (CABUT_IS_SERVER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                     _("The service information file %s does not exist"), path);
      else if (local_error->domain == G_KEY_FILE_ERROR)
        g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                     _("The service information file %s is not a valid key file: %s"), path,
                     local_error->message);
      else
        g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                     _("The service information file %s cannot be read: %s"), path, local_error->message);
      return FALSE;
    }

  if ((keys = g_key_file_get_keys (keyfile, SERVICE_GROUP, NULL, NULL)) == NULL)
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                   _("The service information file %s has no [service] group"), path);
      return FALSE;
    }

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *value = NULL;

      if (!is_known_key (keys[i]))
        {
          g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                       _("The service information file %s has an unknown key “%s” in [service]"),
                       path, keys[i]);
          return FALSE;
        }
      /* Text that is not UTF-8 is refused here, not at the first request. */
      if ((value = g_key_file_get_string (keyfile, SERVICE_GROUP, keys[i], &local_error)) == NULL)
        {
          g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                       _("The service information file %s cannot be read: %s"), path, local_error->message);
          return FALSE;
        }
    }

  if (g_key_file_has_group (keyfile, MAIL_GROUP) && !read_mail_group (keyfile, path, error))
    return FALSE;

  if (!read_count (keyfile, path, "service_days", 1, 1, &service_days, error) ||
      !read_count (keyfile, path, "fee", 0, 0, &fee, error))
    return FALSE;

  if (g_key_file_has_key (keyfile, SERVICE_GROUP, "second_approval", NULL))
    {
      g_autoptr(GError) bool_error = NULL;
      gboolean on = g_key_file_get_boolean (keyfile, SERVICE_GROUP, "second_approval", &bool_error);

      if (bool_error != NULL)
        {
          g_autofree char *raw = g_key_file_get_value (keyfile, SERVICE_GROUP, "second_approval", NULL);

          g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                       _("In the service information file %s, second_approval must be true or false, not “%s”"),
                       path, raw != NULL ? raw : "");
          return FALSE;
        }
      second_approval = on;
    }

  email = g_key_file_get_string (keyfile, SERVICE_GROUP, "email", NULL);
  if (email != NULL && *g_strstrip (email) != '\0' && !cabut_mail_address_is_plausible (email))
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                   _("In the service information file %s, email “%s” is not an e-mail address"), path, email);
      return FALSE;
    }

  website = g_key_file_get_string (keyfile, SERVICE_GROUP, "website", NULL);
  if (website != NULL && *g_strstrip (website) != '\0' && !is_web_address (website))
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_CONFIG,
                   _("In the service information file %s, website “%s” is not an http:// or https:// address"),
                   path, website);
      return FALSE;
    }

  info = g_new0 (ServiceInfo, 1);
  info->keyfile = g_steal_pointer (&keyfile);
  info->service_days = service_days;
  info->fee = fee;
  g_object_set_data_full (G_OBJECT (self), SERVICE_INFO_KEY, info, service_info_free);
  self->second_approval = second_approval;

  return TRUE;
}

/**
 * cabut_server_start_ca:
 * @base_url: the URL the service is reached at, for the certificates' CRL
 *   and OCSP pointers
 * @demo: create demo accounts and certificates when there are none
 *
 * Opens the CA in DATA/ca, creating a fictional one on first start.
 */
gboolean
cabut_server_start_ca (CabutServer  *self,
                       const char   *base_url,
                       gboolean      demo,
                       GError      **error)
{
  g_autofree char *ca_dir = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) issuing = NULL;
  g_autoptr(CabutCertificate) issuing_cert = NULL;

  g_return_val_if_fail (CABUT_IS_SERVER (self), FALSE);
  g_return_val_if_fail (base_url != NULL, FALSE);

  url = g_strdup (base_url);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';

  ca_dir = g_build_filename (self->data_dir, "ca", NULL);
  if ((self->ca = cabut_ca_open_or_create (ca_dir, url, error)) == NULL)
    return FALSE;

  issuing = cabut_ca_get_issuing_der (self->ca);
  if ((issuing_cert = cabut_certificate_new_from_bytes (issuing, NULL, error)) == NULL)
    return FALSE;
  self->ca_subject = g_strdup (cabut_certificate_get_subject_string (issuing_cert));

  if (demo && !cabut_server_seed_demo (self, error))
    return FALSE;

  return cabut_server_refresh_crl (self, error);
}

/**
 * cabut_server_listen:
 * @address: "HOST:PORT" with a literal IP address; port 0 picks a free one
 * @tls_certificate: (nullable): serve HTTPS with this certificate
 *
 * Plain HTTP is allowed on loopback only: anywhere else passwords and
 * letters would cross the network in clear.
 */
gboolean
cabut_server_listen (CabutServer      *self,
                     const char       *address,
                     GTlsCertificate  *tls_certificate,
                     GError          **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (CABUT_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  connectable = g_network_address_parse (address, 0, NULL);
  if (connectable != NULL)
    inet = g_inet_address_new_from_string (g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable)));
  if (inet == NULL)
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_INVALID_ADDRESS,
                   _("“%s” is not an address to listen on: give an IP address and a port, "
                     "such as 127.0.0.1:8480"), address);
      return FALSE;
    }

  if (tls_certificate == NULL && !g_inet_address_get_is_loopback (inet))
    {
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_TLS_REQUIRED,
                   _("Plain HTTP is only allowed on a loopback address; give --tls-cert and "
                     "--tls-key to listen on %s"), address);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (inet, g_network_address_get_port (G_NETWORK_ADDRESS (connectable)));

  /* GLib's default backlog of 10 drops connections when a desk's worth of
   * clients reconnect at once. */
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, 128);
  if (!g_socket_bind (socket, socket_address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;

  /* Accepted by us, not by libsoup's listener (see cabut-server-connections.c). */
  cabut_server_connections_listen (self, socket, tls_certificate);

  return TRUE;
}

/** cabut_server_get_url: Returns: (transfer full) (nullable): the base URL it listens on */
char *
cabut_server_get_url (CabutServer *self)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (CABUT_IS_SERVER (self), NULL);

  if (self->listener == NULL || (local = g_socket_get_local_address (self->listener, NULL)) == NULL)
    return NULL;
  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));

  return g_uri_join (G_URI_FLAGS_NONE, self->tls_certificate != NULL ? "https" : "http", NULL, host,
                     g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), "/", NULL, NULL);
}

/** cabut_server_shutdown: stops accepting requests and closes connections */
/**
 * cabut_server_begin_stop:
 *
 * The first half of a clean stop: no new connection is taken and the
 * long-polls are answered now; the requests in progress go on (a decision
 * waiting for its CRL, a filing being written), so the caller waits for
 * cabut_server_count_requests() to reach 0 before cabut_server_shutdown().
 */
void
cabut_server_begin_stop (CabutServer *self)
{
  g_return_if_fail (CABUT_IS_SERVER (self));

  cabut_server_stop_accepting (self);
  cabut_server_events_answer_all (self);
}

void
cabut_server_shutdown (CabutServer *self)
{
  g_return_if_fail (CABUT_IS_SERVER (self));

  cabut_server_connections_clear (self);
  soup_server_disconnect (self->soup);
  cabut_server_events_clear (self);
  cabut_server_mail_stop (self);
}
