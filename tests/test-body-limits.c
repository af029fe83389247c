/* test-body-limits.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No address of the service keeps a large body in memory, signed in or
 * not: a body over the limit is refused from its Content-Length before it
 * is read, or while it streams in chunked — and the service's memory stays
 * where it was. Against the real cabut-server on loopback.
 */

#include "config.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "cabut-test-util.h"

static CabutTestService *service;

/* @size bytes on disk without taking any: a sparse file. */
static char *
big_file (gsize size)
{
  char *path = g_build_filename (service->dir, "besar.bin", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  close (fd);

  return path;
}

/* curl, a client nobody here wrote, sends @file to @path; its status. No
 * "Expect: 100-continue": the body comes whatever the service says. */
static guint
post (const char *path,
      const char *content_type,
      const char *file,
      gboolean    chunked)
{
  g_autofree char *url = g_strconcat (service->url, path, NULL);
  g_autofree char *type = g_strconcat ("Content-Type: ", content_type, NULL);
  g_autofree char *data = g_strconcat ("@", file, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *curl = g_find_program_in_path ("curl");
  int status = -1;
  const char *argv[] = { curl, "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "60",
                         "-H", "Expect:", "-H", type, "--data-binary", data, url,
                         chunked ? "-H" : NULL, "Transfer-Encoding: chunked", NULL };

  g_assert_nonnull (curl);
  g_assert_true (cabut_test_run (argv, NULL, &out, &err, &status));
  g_assert_cmpint (status, ==, 0);

  return (guint) g_ascii_strtoull (out, NULL, 10);
}

static void
check_path (const char *path,
            const char *content_type)
{
  guint64 before = cabut_test_proc_kib (service->process, "VmRSS");
  g_autofree char *file = big_file (256 * 1024 * 1024);

  /* Declared too large: refused from the headers; the body, sent anyway,
   * is read and dropped. */
  g_assert_cmpuint (post (path, content_type, file, FALSE), ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  /* Chunked, with no length to judge: refused as it streams, kept nowhere. */
  g_assert_cmpuint (post (path, content_type, file, TRUE), ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

  /* 512 MiB went through; the service holds none of it. */
  g_test_message ("%s: RSS %" G_GUINT64_FORMAT " KiB before, %" G_GUINT64_FORMAT " KiB after", path, before,
                  cabut_test_proc_kib (service->process, "VmRSS"));
  g_assert_cmpuint (cabut_test_proc_kib (service->process, "VmRSS"), <, before + 16 * 1024);
}

static void
test_ocsp (void)
{
  check_path ("pki/ocsp", "application/ocsp-request");
}

static void
test_json_api (void)
{
  check_path ("api/v1/session", "application/json");
}

/* Under /api/v1/requests, where the letter upload has its own early handler. */
static void
test_decision (void)
{
  check_path ("api/v1/requests/CBT-2026-000001/approve", "application/json");
}

/* A body within the limit is still read as before, chunked or not. */
static void
test_small_still_works (void)
{
  g_autofree char *file = g_build_filename (service->dir, "kecil.json", NULL);

  g_assert_true (g_file_set_contents (file, "{\"username\": \"tidak.ada\", \"password\": \"x\"}", -1, NULL));
  g_assert_cmpuint (post ("api/v1/session", "application/json", file, FALSE), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (post ("api/v1/session", "application/json", file, TRUE), ==, SOUP_STATUS_UNAUTHORIZED);
}

/* Where nobody serves anything, the body is not kept either. */
static void
test_unknown_path (void)
{
  check_path ("tidak/ada", "application/octet-stream");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  service = cabut_test_service_start ("body-limits");

  g_test_add_func ("/cabut/body-limits/ocsp", test_ocsp);
  g_test_add_func ("/cabut/body-limits/json-api", test_json_api);
  g_test_add_func ("/cabut/body-limits/decision", test_decision);
  g_test_add_func ("/cabut/body-limits/unknown-path", test_unknown_path);
  g_test_add_func ("/cabut/body-limits/small-still-works", test_small_still_works);

  status = g_test_run ();
  cabut_test_service_stop (service);

  return status;
}
