/* cabut-server.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cabut-server.h"

/* The reference certificate management (AMS) service: a SoupServer that
 * answers the JSON API under /api/v1. */
struct _CabutServer
{
  GObject     parent_instance;

  char       *data_dir;
  SoupServer *soup;
};

G_DEFINE_FINAL_TYPE (CabutServer, cabut_server, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-server-error-quark, cabut_server_error)

static void
send_json (SoupServerMessage *msg,
           guint              status,
           JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len = 0;
  char *body;

  json_generator_set_root (generator, node);
  body = json_generator_to_data (generator, &len);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, len);
}

static void
health_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET &&
      soup_server_message_get_method (msg) != SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "service");
  json_builder_add_string_value (builder, "cabut-server");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  send_json (msg, SOUP_STATUS_OK, node);
}

static void
cabut_server_finalize (GObject *object)
{
  CabutServer *self = (CabutServer *)object;

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->data_dir, g_free);

  G_OBJECT_CLASS (cabut_server_parent_class)->finalize (object);
}

static void
cabut_server_class_init (CabutServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cabut_server_finalize;
}

static void
cabut_server_init (CabutServer *self)
{
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

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CABUT_SERVER_ERROR, CABUT_SERVER_ERROR_DATA_DIR,
                   _("The data folder %s cannot be created: %s"), data_dir,
                   g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (CABUT_TYPE_SERVER, NULL);
  self->data_dir = g_strdup (data_dir);
  self->soup = soup_server_new ("server-header", "cabut-server/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (self->soup, "/api/v1/health", health_cb, self, NULL);

  return g_steal_pointer (&self);
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
  SoupServerListenOptions options = 0;

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

  if (tls_certificate != NULL)
    {
      soup_server_set_tls_certificate (self->soup, tls_certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  socket_address = g_inet_socket_address_new (inet, g_network_address_get_port (G_NETWORK_ADDRESS (connectable)));

  return soup_server_listen (self->soup, socket_address, options, error);
}

/** cabut_server_get_url: Returns: (transfer full) (nullable): the base URL it listens on */
char *
cabut_server_get_url (CabutServer *self)
{
  GSList *uris;
  char *ret = NULL;

  g_return_val_if_fail (CABUT_IS_SERVER (self), NULL);

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    ret = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return ret;
}

/** cabut_server_shutdown: stops accepting requests and closes connections */
void
cabut_server_shutdown (CabutServer *self)
{
  g_return_if_fail (CABUT_IS_SERVER (self));

  soup_server_disconnect (self->soup);
}
