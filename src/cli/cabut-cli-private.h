/* cabut-cli-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cabut-ams-client.h"
#include "cabut-profile.h"

G_BEGIN_DECLS

/* Exit statuses, documented in the README and in `cabut-cli --help`. */
typedef enum
{
  CABUT_CLI_EXIT_OK         = 0,
  CABUT_CLI_EXIT_REFUSED    = 1,
  CABUT_CLI_EXIT_USAGE      = 2,
  CABUT_CLI_EXIT_AUTH       = 3,
  CABUT_CLI_EXIT_BAD_INPUT  = 4,
  CABUT_CLI_EXIT_NETWORK    = 5,
  CABUT_CLI_EXIT_NO_ANSWER  = 6,
} CabutCliExit;

/* Options given before the command, for the commands that talk to a service. */
typedef struct
{
  char     *server;
  char     *user;
  char     *password_file;
  char     *password_env;
  char     *ca_file;
  gboolean  json;
} CabutCliGlobals;

extern CabutCliGlobals cabut_cli_globals;

int   cabut_cli_ams           (int          argc,
                               char       **argv);
int   cabut_cli_inspect       (int          argc,
                               char       **argv);
int   cabut_cli_check         (int          argc,
                               char       **argv);
int   cabut_cli_fetch_profile (const char  *verb,
                               CabutProfile **profile);
int   cabut_cli_make_letter   (int          argc,
                               char       **argv);
int   cabut_cli_letter        (int          argc,
                               char       **argv);

int   cabut_cli_complaint     (int          argc,
                               char       **argv);
int   cabut_cli_sign_in       (const char  *verb,
                               CabutAmsClient **client);
void  cabut_cli_sign_out      (CabutAmsClient **client);
int   cabut_cli_exit_status_for (const GError *error);
JsonNode *cabut_cli_call      (CabutAmsClient *client,
                               const char  *method,
                               const char  *path,
                               JsonNode    *body,
                               GError     **error);
char *cabut_cli_format_time   (GDateTime   *when);

void  cabut_cli_error         (const char  *format,
                               ...) G_GNUC_PRINTF (1, 2);
int   cabut_cli_usage_error   (GOptionContext *context,
                               const char  *format,
                               ...) G_GNUC_PRINTF (2, 3);
char *cabut_cli_read_secret   (const char  *file,
                               const char  *env,
                               const char  *what,
                               GError     **error);
void  cabut_cli_secret_free   (char        *secret);
void  cabut_cli_print_json    (JsonNode    *node);
char *cabut_cli_iso8601       (GDateTime   *when);
gpointer cabut_cli_load_certificate (GOptionContext *context,
                                     const char     *path,
                                     const char     *password_file,
                                     const char     *password_env,
                                     int            *exit_status);

/* A string that is wiped before it is freed. */
typedef char CabutSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutSecret, cabut_cli_secret_free)

G_END_DECLS
