/* cabut-letter-cache.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-letter-cache"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cabut-letter-cache.h"
#include "cabut-letter.h"

/* Letters brought from the service, kept in $XDG_CACHE_HOME/cabut/letters
 * named by their SHA-256 (the request's letter.sha256), so a request page
 * opened again shows the letter without downloading it again. A kept file
 * is used only after its hash is checked again (a truncated or damaged one
 * is removed and fetched anew), and a download is kept only when its hash
 * is the one the service filed. The hashing runs in a worker thread. */

typedef struct
{
  char   *sha256;
  char   *content_type;
  GBytes *letter;   /* to keep, nullable */
} CacheJob;

static void
cache_job_free (CacheJob *job)
{
  g_clear_pointer (&job->letter, g_bytes_unref);
  g_free (job->sha256);
  g_free (job->content_type);
  g_free (job);
}

/* The SHA-256 of @file's contents in lower-case hex, or %NULL with @error set. */
static char *
hash_file (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (64 * 1024);
  gssize n;

  if ((stream = g_file_read (file, cancellable, error)) == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, 64 * 1024, cancellable, error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    return NULL;

  return g_strdup (g_checksum_get_string (checksum));
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CacheJob *job = task_data;
  g_autoptr(GFile) file = cabut_letter_cache_get_file (job->sha256, job->content_type);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;

  sha256 = hash_file (file, cancellable, &error);
  if (sha256 == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (sha256 == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Damaged or cut short: not this letter any more, so fetched again. */
  if (g_ascii_strcasecmp (sha256, job->sha256) != 0)
    {
      g_debug ("A kept letter's hash is %s, not %s: removed", sha256, job->sha256);
      if (!g_file_delete (file, cancellable, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
}

static void
keep_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CacheJob *job = task_data;
  g_autoptr(GFile) file = cabut_letter_cache_get_file (job->sha256, job->content_type);
  g_autoptr(GFile) dir = g_file_get_parent (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  gsize length = 0;
  gconstpointer data = g_bytes_get_data (job->letter, &length);

  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data != NULL ? data : (const guchar *) "", length);
  if (g_ascii_strcasecmp (sha256, job->sha256) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("the service sent a letter other than the one filed (its SHA-256 is %s, not %s). "
                                 "Try again later; if it stays so, tell the service desk"),
                               sha256, job->sha256);
      return;
    }

  if (g_mkdir_with_parents (g_file_peek_path (dir), 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s",
                               g_file_peek_path (dir), g_strerror (saved_errno));
      return;
    }
  if (!g_file_replace_contents (file, data != NULL ? data : "", length, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable,
                                &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
}

static void
run (const char          *sha256,
     const char          *content_type,
     GBytes              *letter,
     gpointer             source_tag,
     GTaskThreadFunc      func,
     GCancellable        *cancellable,
     GAsyncReadyCallback  callback,
     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CacheJob *job = g_new0 (CacheJob, 1);

  g_task_set_source_tag (task, source_tag);
  job->sha256 = g_ascii_strdown (sha256, -1);
  job->content_type = g_strdup (content_type);
  job->letter = letter != NULL ? g_bytes_ref (letter) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify) cache_job_free);
  g_task_run_in_thread (task, func);
}

/**
 * cabut_letter_cache_is_valid_name:
 *
 * Returns: whether @sha256 is a SHA-256 in hex (64 digits), and so may
 *   name a kept letter
 */
gboolean
cabut_letter_cache_is_valid_name (const char *sha256)
{
  if (sha256 == NULL || strlen (sha256) != 64)
    return FALSE;
  for (const char *p = sha256; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;

  return TRUE;
}

/**
 * cabut_letter_cache_get_file:
 * @sha256: a valid name (cabut_letter_cache_is_valid_name())
 * @content_type: (nullable): the letter's type, for its extension
 *
 * Returns: (transfer full): where the letter with that hash is kept
 */
GFile *
cabut_letter_cache_get_file (const char *sha256,
                             const char *content_type)
{
  g_autofree char *lower = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (cabut_letter_cache_is_valid_name (sha256), NULL);

  lower = g_ascii_strdown (sha256, -1);
  name = g_strdup_printf ("%s.%s", lower, cabut_letter_type_extension (content_type));

  return g_file_new_build_filename (g_get_user_cache_dir (), "cabut", "letters", name, NULL);
}

/**
 * cabut_letter_cache_lookup_async:
 *
 * Finds the kept letter whose SHA-256 is @sha256, its hash checked again;
 * a kept file whose hash is another is removed.
 */
void
cabut_letter_cache_lookup_async (const char          *sha256,
                                 const char          *content_type,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (cabut_letter_cache_is_valid_name (sha256));

  run (sha256, content_type, NULL, cabut_letter_cache_lookup_async, lookup_thread, cancellable, callback,
       user_data);
}

/**
 * cabut_letter_cache_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the kept letter; %NULL without
 *   @error when none is kept (or the one kept was damaged), %NULL with
 *   @error when it could not be read
 */
GFile *
cabut_letter_cache_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cabut_letter_cache_keep_async:
 * @letter: as downloaded
 *
 * Keeps @letter under its hash, privately and atomically, if its SHA-256
 * is @sha256 (the service's record of the letter filed); otherwise fails
 * with %G_IO_ERROR_INVALID_DATA and keeps nothing.
 */
void
cabut_letter_cache_keep_async (const char          *sha256,
                               const char          *content_type,
                               GBytes              *letter,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (cabut_letter_cache_is_valid_name (sha256));
  g_return_if_fail (letter != NULL);

  run (sha256, content_type, letter, cabut_letter_cache_keep_async, keep_thread, cancellable, callback, user_data);
}

/** cabut_letter_cache_keep_finish: Returns: (transfer full): the kept letter, or %NULL with @error set */
GFile *
cabut_letter_cache_keep_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
