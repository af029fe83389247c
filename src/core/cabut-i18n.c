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
 * cabut_get_data_path:
 * @name: a file shipped in data/
 *
 * Returns: (transfer full): its path, in the source tree when running
 *   uninstalled, else in the installed data folder
 */
char *
cabut_get_data_path (const char *name)
{
  const char *env = g_getenv ("CABUT_DATADIR");

  if (env != NULL && *env != '\0')
    return g_build_filename (env, name, NULL);
  if (cabut_running_uninstalled ())
    return g_build_filename (SOURCE_DATADIR, name, NULL);

  return g_build_filename (PKGDATADIR, name, NULL);
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

/* A catalog read straight from a .mo file: msgid -> msgstr. */
static GHashTable *
load_catalog (const char *language)
{
  g_autofree char *path = g_build_filename (cabut_i18n_get_localedir (), language, "LC_MESSAGES",
                                            GETTEXT_PACKAGE ".mo", NULL);
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);
  GHashTable *catalog = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const guint8 *data;
  gsize len;
  guint32 n, orig_offset, trans_offset;
  gboolean swap;

  if (mapped == NULL)
    return catalog;

  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  len = g_mapped_file_get_length (mapped);
  if (len < 20)
    return catalog;

#define READ32(off) (swap ? GUINT32_SWAP_LE_BE (*(const guint32 *) (data + (off))) \
                          : *(const guint32 *) (data + (off)))
  swap = *(const guint32 *) data == 0xde120495;
  if (!swap && *(const guint32 *) data != 0x950412de)
    return catalog;

  n = READ32 (8);
  orig_offset = READ32 (12);
  trans_offset = READ32 (16);
  if (orig_offset > len || trans_offset > len || n > (len - orig_offset) / 8 ||
      n > (len - trans_offset) / 8)
    return catalog;

  for (guint32 i = 0; i < n; i++)
    {
      guint32 olen = READ32 (orig_offset + i * 8);
      guint32 ooff = READ32 (orig_offset + i * 8 + 4);
      guint32 tlen = READ32 (trans_offset + i * 8);
      guint32 toff = READ32 (trans_offset + i * 8 + 4);

      if (ooff > len || olen > len - ooff || toff > len || tlen > len - toff)
        break;
      g_hash_table_insert (catalog, g_strndup ((const char *) data + ooff, olen),
                           g_strndup ((const char *) data + toff, tlen));
    }
#undef READ32

  return catalog;
}

/**
 * cabut_i18n_translate_for:
 * @msgid: an untranslated (English) string
 * @language: a language code, such as "id"
 *
 * Translates into a given language whatever the process locale, for
 * answers that carry several languages at once (the server's reason list).
 * Safe from any thread.
 *
 * Returns: the translation, or @msgid
 */
const char *
cabut_i18n_translate_for (const char *msgid,
                          const char *language)
{
  static GMutex mutex;
  static GHashTable *catalogs;
  GHashTable *catalog;
  const char *ret;

  g_return_val_if_fail (msgid != NULL, NULL);
  g_return_val_if_fail (language != NULL, msgid);

  if (g_str_equal (language, "en"))
    return msgid;

  g_mutex_lock (&mutex);
  if (catalogs == NULL)
    catalogs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_hash_table_unref);
  catalog = g_hash_table_lookup (catalogs, language);
  if (catalog == NULL)
    {
      catalog = load_catalog (language);
      g_hash_table_insert (catalogs, g_strdup (language), catalog);
    }
  ret = g_hash_table_lookup (catalog, msgid);
  g_mutex_unlock (&mutex);

  /* Catalogs live as long as the process, so the string stays valid. */
  return ret != NULL && *ret != '\0' ? ret : msgid;
}
