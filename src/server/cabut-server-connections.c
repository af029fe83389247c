/* cabut-server-connections.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Connections, so that none outlives its use.
 *
 * libsoup 3.2 (Debian 12) never closes a keep-alive connection that the
 * client closes while it is idle between requests: the next request's
 * reader meets the end of the stream and drops the message, but nothing
 * disconnects the connection, which keeps its file descriptor and its
 * objects for good (fixed upstream in 3.3 by commit d20c6601, "server: do
 * not leak idle connections closed by the client"). After about a thousand
 * ordinary requests under a 1,024-descriptor limit the service stopped
 * answering. Closing such a socket ourselves frees the descriptor but not
 * libsoup's objects for it (about 2 KiB each, for the life of the service),
 * and libsoup offers no way to drop them. So every answer says
 * "Connection: close": libsoup then disconnects and frees the connection
 * as soon as the answer is written, and there is no idle connection to
 * leak. A client pays one TCP (or TLS) handshake per request; the clients
 * of this service (the app, the CLI, relying parties asking OCSP) make few
 * requests each, and public PKI traffic at scale belongs behind a web
 * server that keeps connections alive.
 *
 * libsoup 3.2's own listener leaks every accepted GSocket as well (fixed in
 * 3.4 by commit b545d5f0): 344 bytes a connection. So the service accepts
 * connections itself, wraps them in TLS when it serves HTTPS, and hands
 * each to soup_server_accept_iostream(), which has no such leak. Owning
 * the accept also gives every connection a record from its first byte.
 *
 * libsoup also times out nothing: a client that sends a header a minute,
 * or nothing at all after connecting, would hold its connection for as
 * long as it liked. So a request whose reading, or whose answer's writing,
 * makes no progress for the request timeout has its socket closed. While
 * a handler works (a long-poll waiting for news, a worker thread signing)
 * the connection is the handler's. Closing the GSocket under libsoup is
 * safe: its streams then fail with G_IO_ERROR_CLOSED, which ends the
 * message, and GSocket never touches a closed descriptor. */

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "cabut-server-private.h"

typedef enum
{
  CLIENT_READING,    /* waiting for the request, or reading it */
  CLIENT_HANDLING,   /* the request is read; the handler has it */
  CLIENT_WRITING,    /* the answer is being written */
} ClientState;

typedef struct
{
  CabutServer       *server;     /* unowned: it owns us */
  GSocket           *socket;
  GSocketAddress    *remote;     /* the key: libsoup gives it back with each message */
  SoupServerMessage *msg;        /* unowned; the request in progress */
  ClientState        state;
  gint64             since;      /* monotonic µs of the last progress */
} Client;

static void msg_gone_cb (gpointer data, GObject *where_the_msg_was);

/* Stops following the request in progress. */
static void
client_forget_msg (Client *client)
{
  if (client->msg == NULL)
    return;
  g_signal_handlers_disconnect_by_data (client->msg, client);
  g_object_weak_unref (G_OBJECT (client->msg), msg_gone_cb, client);
  client->msg = NULL;
}

/* A message libsoup dropped without finishing it (a connection closed
 * before its first request): nothing to disconnect from any more. */
static void
msg_gone_cb (gpointer  data,
             GObject  *where_the_msg_was)
{
  Client *client = data;

  client->msg = NULL;
}

static void
client_free (Client *client)
{
  client_forget_msg (client);
  g_object_unref (client->socket);
  g_object_unref (client->remote);
  g_free (client);
}

static void
client_close (Client *client)
{
  g_debug ("Closing a connection whose request made no progress for %u s", client->server->request_timeout);
  g_socket_close (client->socket, NULL);
  g_hash_table_remove (client->server->clients, client->remote);
}

static void
client_progress (Client *client)
{
  client->since = g_get_monotonic_time ();
}

static void
client_set_state (Client      *client,
                  ClientState  state)
{
  client->state = state;
  client_progress (client);
}

static void
msg_progress_cb (SoupServerMessage *msg,
                 Client            *client)
{
  client_progress (client);
}

static void
msg_got_chunk_cb (SoupServerMessage *msg,
                  GBytes            *chunk,
                  Client            *client)
{
  client_progress (client);
}

static void
msg_wrote_data_cb (SoupServerMessage *msg,
                   guint              size,
                   Client            *client)
{
  client_progress (client);
}

static void
msg_got_body_cb (SoupServerMessage *msg,
                 Client            *client)
{
  client_set_state (client, CLIENT_HANDLING);
}

static void
msg_wrote_headers_cb (SoupServerMessage *msg,
                      Client            *client)
{
  client_set_state (client, CLIENT_WRITING);
}

/* The answer is out; libsoup closes the connection (Connection: close). */
static void
msg_finished_cb (SoupServerMessage *msg,
                 Client            *client)
{
  g_hash_table_remove (client->server->clients, client->remote);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    CabutServer       *self)
{
  Client *client = g_hash_table_lookup (self->clients, soup_server_message_get_remote_address (msg));

  /* Every connection is ours (accept_cb); a message from elsewhere would be
   * a stream given to the server by someone else. */
  if (client == NULL)
    return;
  client_forget_msg (client);

  /* See above: no connection is kept for a next request. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");

  client->msg = msg;
  g_object_weak_ref (G_OBJECT (msg), msg_gone_cb, client);
  client_set_state (client, CLIENT_READING);
  g_signal_connect (msg, "got-headers", G_CALLBACK (msg_progress_cb), client);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (msg_got_chunk_cb), client);
  g_signal_connect (msg, "got-body", G_CALLBACK (msg_got_body_cb), client);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (msg_wrote_headers_cb), client);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (msg_progress_cb), client);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (msg_wrote_data_cb), client);
  g_signal_connect (msg, "finished", G_CALLBACK (msg_finished_cb), client);
}

/* Once a second: what made no progress for too long goes; what libsoup
 * closed itself (a client gone before its request) is forgotten. */
static gboolean
sweep_cb (gpointer user_data)
{
  CabutServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) expired = g_ptr_array_new ();
  GHashTableIter iter;
  Client *client;

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &client))
    {
      if (g_socket_is_closed (client->socket))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }

      switch (client->state)
        {
        case CLIENT_READING:
        case CLIENT_WRITING:
          if (now - client->since > self->request_timeout * G_USEC_PER_SEC)
            g_ptr_array_add (expired, client);
          break;
        case CLIENT_HANDLING:
        default:
          break;
        }
    }

  for (guint i = 0; i < expired->len; i++)
    client_close (g_ptr_array_index (expired, i));

  return G_SOURCE_CONTINUE;
}

/* Takes every connection waiting, hands it to libsoup. */
static gboolean
accept_cb (GSocket      *listener,
           GIOCondition  condition,
           gpointer      user_data)
{
  CabutServer *self = user_data;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GIOStream) stream = NULL;
      g_autoptr(GSocketAddress) local = NULL;
      g_autoptr(GSocketAddress) remote = NULL;
      Client *client;

      if (socket == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_warning ("Failed to accept a connection: %s", error->message);
          return G_SOURCE_CONTINUE;
        }

      g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
      local = g_socket_get_local_address (socket, NULL);
      remote = g_socket_get_remote_address (socket, NULL);
      if (local == NULL || remote == NULL)
        continue;   /* gone already */

      connection = g_socket_connection_factory_create_connection (socket);
      if (self->tls_certificate != NULL)
        {
          stream = g_tls_server_connection_new (G_IO_STREAM (connection), self->tls_certificate, &error);
          if (stream == NULL)
            {
              g_warning ("Failed to start TLS on a connection: %s", error->message);
              continue;
            }
          g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (stream), FALSE);
        }
      else
        stream = g_object_ref (G_IO_STREAM (connection));

      /* Recorded first: libsoup starts the first message at once. */
      client = g_new0 (Client, 1);
      client->server = self;
      client->socket = g_object_ref (socket);
      client->remote = g_object_ref (remote);
      client_set_state (client, CLIENT_READING);
      g_hash_table_insert (self->clients, client->remote, client);

      if (!soup_server_accept_iostream (self->soup, stream, local, remote, &error))
        {
          g_warning ("Failed to serve a connection: %s", error->message);
          g_socket_close (socket, NULL);
          g_hash_table_remove (self->clients, remote);
        }
    }
}

void
cabut_server_connections_init (CabutServer *self)
{
  self->clients = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) client_free);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
}

/**
 * cabut_server_connections_listen:
 * @socket: bound and listening
 * @tls_certificate: (nullable): serve HTTPS with it
 *
 * Accepts connections on @socket from now on.
 */
void
cabut_server_connections_listen (CabutServer     *self,
                                 GSocket         *socket,
                                 GTlsCertificate *tls_certificate)
{
  g_return_if_fail (self->listener == NULL);

  self->listener = g_object_ref (socket);
  g_set_object (&self->tls_certificate, tls_certificate);
  g_socket_set_blocking (socket, FALSE);
  self->accept_source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, (GSourceFunc) (void (*) (void)) accept_cb, self, NULL);
  g_source_set_static_name (self->accept_source, "[cabut-server] accept");
  g_source_attach (self->accept_source, NULL);
  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add_seconds (1, sweep_cb, self);
}

void
cabut_server_connections_clear (CabutServer *self)
{
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  cabut_server_stop_accepting (self);
  g_clear_object (&self->tls_certificate);
  if (self->soup != NULL)
    g_signal_handlers_disconnect_by_func (self->soup, request_started_cb, self);
  g_clear_pointer (&self->clients, g_hash_table_unref);
}

/**
 * cabut_server_set_request_timeout:
 * @seconds: how long reading a request (from the connection on) or writing
 *   its answer may go without progress
 */
void
cabut_server_set_request_timeout (CabutServer *self,
                                  guint        seconds)
{
  g_return_if_fail (CABUT_IS_SERVER (self));
  g_return_if_fail (seconds > 0);

  self->request_timeout = seconds;
}

/** cabut_server_count_connections: Returns: the connections being watched */
guint
cabut_server_count_connections (CabutServer *self)
{
  return self->clients != NULL ? g_hash_table_size (self->clients) : 0;
}

/**
 * cabut_server_stop_accepting:
 *
 * Takes no new connection from now on; those open go on.
 */
void
cabut_server_stop_accepting (CabutServer *self)
{
  g_return_if_fail (CABUT_IS_SERVER (self));

  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);
}

/** cabut_server_count_requests: Returns: the requests read, being read or being answered now */
guint
cabut_server_count_requests (CabutServer *self)
{
  GHashTableIter iter;
  Client *client;
  guint n = 0;

  g_return_val_if_fail (CABUT_IS_SERVER (self), 0);

  if (self->clients == NULL)
    return 0;
  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &client))
    if (client->msg != NULL)
      n++;

  return n;
}
