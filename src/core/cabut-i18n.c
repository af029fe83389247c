/* cabut-i18n.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-i18n"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "cabut-i18n.h"

/**
 * cabut_running_uninstalled:
 *
 * Returns: %TRUE when the running program is the one in the build tree, so
 *   that translations and data are taken from there rather than the prefix
 */
gboolean
cabut_running_uninstalled (void)
{
  static gsize result = 0;

  if (g_once_init_enter (&result))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *build_root = g_path_get_dirname (BUILD_LOCALEDIR);
      gboolean uninstalled = exe != NULL && g_str_has_prefix (exe, build_root);

      g_once_init_leave (&result, uninstalled ? 2 : 1);
    }

  return result == 2;
}

const char *
cabut_i18n_get_localedir (void)
{
  const char *env = g_getenv ("CABUT_LOCALEDIR");

  if (env != NULL && *env != '\0')
    return env;
  if (cabut_running_uninstalled ())
    return BUILD_LOCALEDIR;

  return LOCALEDIR;
}

/**
 * cabut_i18n_init:
 *
 * Sets the locale from the environment and binds the gettext domain, from
 * the build tree when running uninstalled.
 */
void
cabut_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cabut_i18n_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
