/* cabut-server-main.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>

#include "cabut-core.h"
#include "cabut-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutServer) server = NULL;
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *url = NULL;
  const GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir,
      N_("Keep the database, letters and CA in DIR"), N_("DIR") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on ADDR:PORT (default 127.0.0.1:8480; port 0 picks a free one)"), N_("ADDR:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("Serve HTTPS with the certificate chain in FILE (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("The private key for --tls-cert (PEM)"), N_("FILE") },
    { NULL }
  };

  cabut_i18n_init ();
  g_set_prgname ("cabut-server");

  context = g_option_context_new (_("— the Cabut certificate management service"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("cabut-server: %s\n", error->message);
      return 2;
    }
  if (data_dir == NULL)
    {
      g_printerr ("cabut-server: %s\n", _("--data DIR is required"));
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("cabut-server: %s\n", _("--tls-cert and --tls-key go together"));
      return 2;
    }

  if (tls_cert != NULL)
    {
      tls = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (tls == NULL)
        {
          g_printerr ("cabut-server: %s\n", error->message);
          return 1;
        }
    }

  server = cabut_server_new (data_dir, &error);
  if (server == NULL ||
      !cabut_server_listen (server, listen != NULL ? listen : "127.0.0.1:8480", tls, &error))
    {
      g_printerr ("cabut-server: %s\n", error->message);
      return 1;
    }

  url = cabut_server_get_url (server);
  g_print ("listening on %s\n", url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  cabut_server_shutdown (server);

  return 0;
}
