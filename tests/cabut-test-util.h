/* cabut-test-util.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* One line of tests/fixtures/certs/manifest.tsv. */
typedef struct
{
  char     *file;         /* absolute path */
  char     *name;         /* as in the manifest */
  char     *format;       /* pem, der, pkcs12 or - */
  char     *password;     /* NULL when none is given */
  gboolean  legacy;
  char     *expect;       /* ok, wrong-password, needs-password, malformed, unsupported, no-certificate */
  char     *description;
} CabutFixture;

GPtrArray  *cabut_test_load_fixtures  (void);
const char *cabut_test_fixture_path   (const char   *name);
char       *cabut_test_fixture_id     (const CabutFixture *fixture);

gboolean    cabut_test_run            (const char * const *argv,
                                       const char * const *envp,
                                       char        **out,
                                       char        **err,
                                       int          *exit_status);
char       *cabut_test_openssl        (const char   *first_arg,
                                       ...) G_GNUC_NULL_TERMINATED;
char       *cabut_test_openssl_verdict (int         *exit_status,
                                       char       **err,
                                       const char  *first_arg,
                                       ...) G_GNUC_NULL_TERMINATED;
char       *cabut_test_openssl_stdin  (const char   *input,
                                       gsize         input_len,
                                       const char   *first_arg,
                                       ...) G_GNUC_NULL_TERMINATED;
char       *cabut_test_fixture_cert_pem (const CabutFixture *fixture);
GSubprocessLauncher *cabut_test_launcher_new (GSubprocessFlags flags);
void        cabut_test_rm_rf          (const char   *path);
void        cabut_test_isolate_tmp    (const char   *name);
GBytes     *cabut_test_http           (SoupMessage  *msg,
                                       guint         expected_status);
void        cabut_test_http_read_cb   (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data);
char       *cabut_test_read_line      (GSubprocess  *process);
void        cabut_test_result_cb      (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data);

/* The real cabut-server ($CABUT_SERVER) with its demo, on a free loopback port. */
typedef struct
{
  char        *dir;
  GSubprocess *process;
  char        *url;        /* ends with "/" */
  GPtrArray   *usernames;  /* of the demo accounts, with… */
  GPtrArray   *passwords;  /* …their passwords */
} CabutTestService;

CabutTestService *cabut_test_service_start    (const char       *name);
CabutTestService *cabut_test_service_start_with (const char       *name,
                                                 const char * const *extra_args);
guint64           cabut_test_proc_kib         (GSubprocess      *process,
                                               const char       *field);
guint             cabut_test_count_fds        (GSubprocess      *process);
void              cabut_test_service_stop     (CabutTestService *service);
void              cabut_test_service_restart  (CabutTestService *service);
const char       *cabut_test_service_password (CabutTestService *service,
                                               const char       *username);
char             *cabut_test_service_sign_in  (CabutTestService *service,
                                               const char       *username);
GBytes           *cabut_test_api              (CabutTestService *service,
                                               const char       *method,
                                               const char       *path,
                                               const char       *token,
                                               const char       *content_type,
                                               const char       *body,
                                               guint            *status);
JsonObject       *cabut_test_api_json         (CabutTestService *service,
                                               const char       *method,
                                               const char       *path,
                                               const char       *token,
                                               const char       *body,
                                               guint             expected_status);
char             *cabut_test_error_code       (GBytes           *answer);
int               cabut_test_compare_strings  (gconstpointer     a,
                                               gconstpointer     b);
char             *cabut_test_service_p12_password (CabutTestService *service,
                                               const char       *username);
int               cabut_test_service_cli      (CabutTestService *service,
                                               const char       *user,
                                               const char * const *args,
                                               char            **out,
                                               char            **err);
JsonObject       *cabut_test_service_submit   (CabutTestService *service,
                                               const char       *user,
                                               const char       *cert_owner,
                                               const char * const *extra,
                                               char            **err);
void              cabut_test_add_open_requests (const char      *db_path,
                                               const char       *username,
                                               int               count);
GPtrArray        *cabut_test_db_strings       (const char       *db_path,
                                               const char       *sql);
char             *cabut_test_listen_local     (SoupServer       *server);
void              cabut_test_assert_request_ids (GListModel     *requests,
                                               GPtrArray        *expected);

G_END_DECLS
