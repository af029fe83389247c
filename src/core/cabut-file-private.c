/* cabut-file-private.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "cabut-file-private.h"

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  GIOErrorEnum code;

  if (saved_errno == ENOSPC || saved_errno == EFBIG || saved_errno == EDQUOT)
    code = G_IO_ERROR_NO_SPACE;
  else
    code = g_io_error_from_errno (saved_errno);

  g_set_error (error, G_IO_ERROR, code, _("Failed to write %s: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/**
 * cabut_file_write_all:
 * @path: the file @fd is open on, for the message
 *
 * Writes all of @data to @fd, through short writes and EINTR.
 */
gboolean
cabut_file_write_all (int          fd,
                      const void  *data,
                      gsize        len,
                      const char  *path,
                      GError     **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize written = write (fd, p, len);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        return set_errno_error (error, errno, path);
      if (written == 0)
        return set_errno_error (error, ENOSPC, path);
      p += written;
      len -= written;
    }

  return TRUE;
}

/**
 * cabut_file_sync_dir:
 *
 * Makes a rename or a new file in @dir durable.
 */
gboolean
cabut_file_sync_dir (const char  *dir,
                     GError     **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return set_errno_error (error, errno, dir);

  /* Some file systems cannot sync a folder; their renames are durable
   * without it or not at all, and refusing would only block the work. */
  if (fsync (fd) != 0 && errno != EINVAL && errno != ENOTSUP)
    {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno, dir);
    }

  close (fd);
  return TRUE;
}

/**
 * cabut_file_write_durably:
 * @mode: of the new file, e.g. 0600
 *
 * Replaces @path with @bytes: written under a temporary name in the same
 * folder, fsynced, renamed over @path, and the folder fsynced. On failure
 * @path is untouched and no temporary file is left.
 */
gboolean
cabut_file_write_durably (const char  *path,
                          GBytes      *bytes,
                          int          mode,
                          GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp_path = g_build_filename (dir, ".tmp-XXXXXX", NULL);
  const guint8 *data;
  gsize len = 0;
  int saved_errno;
  int fd;

  data = g_bytes_get_data (bytes, &len);

  if ((fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, mode)) < 0)
    return set_errno_error (error, errno, path);

  if (!cabut_file_write_all (fd, data, len, path, error))
    {
      close (fd);
      g_unlink (tmp_path);
      return FALSE;
    }

  if (fsync (fd) != 0)
    goto fail;
  if (close (fd) != 0)
    {
      fd = -1;
      goto fail;
    }
  fd = -1;

  if (g_rename (tmp_path, path) != 0)
    goto fail;

  return cabut_file_sync_dir (dir, error);

fail:
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  return set_errno_error (error, saved_errno, path);
}
