/* cabut-demo-service.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-demo-service"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "cabut-demo-service.h"
#include "cabut-json-private.h"

/* `cabut --demo` runs the reference service as a child process on this
 * computer — never in the app's process, whose main loop must stay free —
 * with its data kept across runs, on the same port when it is free (the
 * demo certificates carry the CRL and OCSP addresses of their first run). */

struct _CabutDemoAccount
{
  GObject  parent_instance;

  char    *username;
  char    *password;
  char    *role;
  char    *full_name;
  GFile   *certificate_file;
  char    *certificate_password;
};

G_DEFINE_FINAL_TYPE (CabutDemoAccount, cabut_demo_account, G_TYPE_OBJECT)

struct _CabutDemoService
{
  GObject      parent_instance;

  char        *data_dir;
  char        *url;
  GSubprocess *process;
  GListModel  *accounts;
  gboolean     second_approval;
};

G_DEFINE_FINAL_TYPE (CabutDemoService, cabut_demo_service, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-demo-error-quark, cabut_demo_error)

#define LISTENING_PREFIX "listening on "

static void
cabut_demo_account_finalize (GObject *object)
{
  CabutDemoAccount *self = (CabutDemoAccount *)object;

  g_free (self->username);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->role);
  g_free (self->full_name);
  g_clear_object (&self->certificate_file);
  if (self->certificate_password != NULL)
    memset (self->certificate_password, 0, strlen (self->certificate_password));
  g_free (self->certificate_password);

  G_OBJECT_CLASS (cabut_demo_account_parent_class)->finalize (object);
}

static void
cabut_demo_account_class_init (CabutDemoAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cabut_demo_account_finalize;
}

static void
cabut_demo_account_init (CabutDemoAccount *self)
{
}

const char *
cabut_demo_account_get_username (CabutDemoAccount *self)
{
  g_return_val_if_fail (CABUT_IS_DEMO_ACCOUNT (self), NULL);
  return self->username;
}

const char *
cabut_demo_account_get_password (CabutDemoAccount *self)
{
  g_return_val_if_fail (CABUT_IS_DEMO_ACCOUNT (self), NULL);
  return self->password;
}

const char *
cabut_demo_account_get_role (CabutDemoAccount *self)
{
  g_return_val_if_fail (CABUT_IS_DEMO_ACCOUNT (self), NULL);
  return self->role;
}

const char *
cabut_demo_account_get_full_name (CabutDemoAccount *self)
{
  g_return_val_if_fail (CABUT_IS_DEMO_ACCOUNT (self), NULL);
  return self->full_name;
}

/** cabut_demo_account_get_certificate_file: Returns: (nullable): the PKCS#12 file, for applicants */
GFile *
cabut_demo_account_get_certificate_file (CabutDemoAccount *self)
{
  g_return_val_if_fail (CABUT_IS_DEMO_ACCOUNT (self), NULL);
  return self->certificate_file;
}

const char *
cabut_demo_account_get_certificate_password (CabutDemoAccount *self)
{
  g_return_val_if_fail (CABUT_IS_DEMO_ACCOUNT (self), NULL);
  return self->certificate_password;
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_node_get_string (node));
}

/**
 * cabut_demo_accounts_load:
 * @path: the demo's accounts.json
 *
 * Returns: (transfer full): a list of #CabutDemoAccount, or %NULL with
 *   @error set when the file is missing or not what the demo writes
 */
GListModel *
cabut_demo_accounts_load (const char  *path,
                          GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GListStore) store = g_list_store_new (CABUT_TYPE_DEMO_ACCOUNT);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) local_error = NULL;
  JsonArray *array;

  g_return_val_if_fail (path != NULL, NULL);

  if ((mapped = g_mapped_file_new (path, FALSE, &local_error)) == NULL ||
      (root = cabut_json_parse (g_mapped_file_get_contents (mapped), g_mapped_file_get_length (mapped),
                                &local_error)) == NULL)
    {
      g_set_error (error, CABUT_DEMO_ERROR, CABUT_DEMO_ERROR_FAILED,
                   _("The demo accounts in %s cannot be read: %s"), path, local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_ARRAY (root))
    goto malformed;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(CabutDemoAccount) account = NULL;
      g_autofree char *p12 = NULL;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto malformed;
      object = json_node_get_object (node);

      account = g_object_new (CABUT_TYPE_DEMO_ACCOUNT, NULL);
      account->username = dup_member (object, "username");
      account->password = dup_member (object, "password");
      account->role = dup_member (object, "role");
      account->full_name = dup_member (object, "full_name");
      account->certificate_password = dup_member (object, "p12_password");
      p12 = dup_member (object, "p12");
      if (account->username == NULL || account->password == NULL || account->role == NULL)
        goto malformed;
      if (p12 != NULL)
        {
          g_autofree char *p12_path = NULL;

          /* A file name, never a path the file could point elsewhere with. */
          if (strchr (p12, '/') != NULL || g_str_equal (p12, "..") || account->certificate_password == NULL)
            goto malformed;
          p12_path = g_build_filename (dir, p12, NULL);
          account->certificate_file = g_file_new_for_path (p12_path);
        }

      g_list_store_append (store, account);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));

malformed:
  g_set_error (error, CABUT_DEMO_ERROR, CABUT_DEMO_ERROR_FAILED,
               _("The demo accounts in %s are damaged; delete the folder %s to make a new demo"),
               path, dir);
  return NULL;
}

static void
cabut_demo_service_dispose (GObject *object)
{
  CabutDemoService *self = (CabutDemoService *)object;

  cabut_demo_service_stop (self);

  G_OBJECT_CLASS (cabut_demo_service_parent_class)->dispose (object);
}

static void
cabut_demo_service_finalize (GObject *object)
{
  CabutDemoService *self = (CabutDemoService *)object;

  g_clear_object (&self->accounts);
  g_free (self->data_dir);
  g_free (self->url);

  G_OBJECT_CLASS (cabut_demo_service_parent_class)->finalize (object);
}

static void
cabut_demo_service_class_init (CabutDemoServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cabut_demo_service_dispose;
  object_class->finalize = cabut_demo_service_finalize;
}

static void
cabut_demo_service_init (CabutDemoService *self)
{
}

/**
 * cabut_demo_service_find_server:
 *
 * Returns: (transfer full) (nullable): the cabut-server program: from
 *   $CABUT_SERVER_PROGRAM, else next to this executable (the build tree, or
 *   the installed bindir), else on $PATH
 */
char *
cabut_demo_service_find_server (void)
{
  const char *env = g_getenv ("CABUT_SERVER_PROGRAM");
  g_autofree char *exe = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *candidate = g_build_filename (dir, "cabut-server", NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&candidate);
    }

  return g_find_program_in_path ("cabut-server");
}

/**
 * cabut_demo_service_new:
 * @data_dir: the service's data folder, kept across runs
 */
CabutDemoService *
cabut_demo_service_new (const char *data_dir)
{
  CabutDemoService *self;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (CABUT_TYPE_DEMO_SERVICE, NULL);
  self->data_dir = g_strdup (data_dir);

  return self;
}

typedef struct
{
  char             *program;
  guint             port;
  gboolean          tried_saved_port;
  GSubprocess      *process;
  GDataInputStream *stdout_stream;
  char             *url;
} Start;

static void
start_free (Start *start)
{
  g_free (start->program);
  g_clear_object (&start->process);
  g_clear_object (&start->stdout_stream);
  g_free (start->url);
  g_free (start);
}

static char *
port_file (CabutDemoService *self)
{
  return g_build_filename (self->data_dir, "cabut-app-port", NULL);
}

static void
child_setup (gpointer user_data)
{
  /* The service goes when the app goes, even when the app is killed. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void launch (GTask *task);

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CabutDemoService *self = source_object;
  Start *start = task_data;
  g_autofree char *path = port_file (self);
  g_autofree char *contents = NULL;

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, CABUT_DEMO_ERROR, CABUT_DEMO_ERROR_FAILED,
                               _("The demo folder %s cannot be created: %s"), self->data_dir,
                               g_strerror (saved_errno));
      return;
    }

  if (g_file_get_contents (path, &contents, NULL, NULL))
    {
      guint64 port = 0;

      if (g_ascii_string_to_unsigned (g_strstrip (contents), 10, 1024, 65535, &port, NULL))
        start->port = (guint) port;
    }

  g_task_return_boolean (task, TRUE);
}

static void
accounts_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CabutDemoService *self = source_object;
  Start *start = task_data;
  g_autofree char *accounts_path = g_build_filename (self->data_dir, "demo", "accounts.json", NULL);
  g_autofree char *port_path = port_file (self);
  g_autoptr(GUri) uri = g_uri_parse (start->url, G_URI_FLAGS_NONE, NULL);
  GListModel *accounts;
  GError *error = NULL;

  if ((accounts = cabut_demo_accounts_load (accounts_path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (uri != NULL && g_uri_get_port (uri) > 0)
    {
      g_autofree char *port = g_strdup_printf ("%d\n", g_uri_get_port (uri));

      /* Only a convenience for the next run; failing to keep it is harmless. */
      if (!g_file_set_contents_full (port_path, port, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        {
          g_debug ("Failed to remember the demo port: %s", error->message);
          g_clear_error (&error);
        }
    }

  g_task_return_pointer (task, accounts, g_object_unref);
}

static void
accounts_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CabutDemoService *self = g_task_get_source_object (task);
  Start *start = g_task_get_task_data (task);
  GError *error = NULL;
  GListModel *accounts;

  accounts = g_task_propagate_pointer (G_TASK (result), &error);
  if (accounts == NULL)
    {
      g_subprocess_send_signal (start->process, SIGTERM);
      g_task_return_error (task, error);
      return;
    }

  g_clear_object (&self->accounts);
  self->accounts = accounts;
  g_free (self->url);
  self->url = g_steal_pointer (&start->url);
  g_set_object (&self->process, start->process);

  g_task_return_boolean (task, TRUE);
}

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Start *start = g_task_get_task_data (task);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, NULL, &err, &error);

  if (start->port != 0 && !start->tried_saved_port)
    {
      /* The port of the last run is taken: any free one will do. */
      start->tried_saved_port = TRUE;
      start->port = 0;
      launch (g_steal_pointer (&task));
      return;
    }

  g_task_return_new_error (task, CABUT_DEMO_ERROR, CABUT_DEMO_ERROR_FAILED,
                           _("The demo service did not start: %s"),
                           err != NULL && *err != '\0' ? g_strstrip (err) : _("it stopped without saying why"));
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Start *start = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GTask *accounts_task;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_subprocess_force_exit (start->process);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (line == NULL || !g_str_has_prefix (line, LISTENING_PREFIX))
    {
      /* It failed, and said why on stderr. */
      g_subprocess_communicate_utf8_async (start->process, NULL, NULL, communicated_cb,
                                           g_steal_pointer (&task));
      return;
    }

  start->url = g_strdup (g_strstrip (line + strlen (LISTENING_PREFIX)));
  if (g_str_has_suffix (start->url, "/"))
    start->url[strlen (start->url) - 1] = '\0';

  {
    gpointer source = g_task_get_source_object (task);
    GCancellable *cancellable = g_task_get_cancellable (task);

    /* The arguments' order of evaluation is unspecified: steal last. */
    accounts_task = g_task_new (source, cancellable, accounts_loaded_cb, g_steal_pointer (&task));
  }
  g_task_set_task_data (accounts_task, start, NULL);
  g_task_run_in_thread (accounts_task, accounts_thread);
  g_object_unref (accounts_task);
}

static void
launch (GTask *task)
{
  CabutDemoService *self = g_task_get_source_object (task);
  Start *start = g_task_get_task_data (task);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", start->port);
  GError *error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  g_clear_object (&start->stdout_stream);
  g_clear_object (&start->process);
  start->process = g_subprocess_launcher_spawn (launcher, &error, start->program,
                                                "--data", self->data_dir,
                                                "--listen", listen,
                                                "--demo",
                                                self->second_approval ? "--second-approval" : NULL,
                                                NULL);
  if (start->process == NULL)
    {
      g_task_return_new_error (task, CABUT_DEMO_ERROR, CABUT_DEMO_ERROR_NO_SERVER,
                               _("The demo service %s cannot be started: %s"), start->program,
                               error->message);
      g_error_free (error);
      g_object_unref (task);
      return;
    }

  start->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (start->process));
  g_data_input_stream_read_line_async (start->stdout_stream, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (task), read_line_cb, task);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  launch (task);
}

/**
 * cabut_demo_service_start_async:
 *
 * Starts `cabut-server --demo` on a loopback port and waits until it
 * listens; the first run creates the demo CA and accounts.
 */
void
cabut_demo_service_start_async (CabutDemoService    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *prepare;
  Start *start;

  g_return_if_fail (CABUT_IS_DEMO_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_demo_service_start_async);

  start = g_new0 (Start, 1);
  start->program = cabut_demo_service_find_server ();
  g_task_set_task_data (task, start, (GDestroyNotify) start_free);

  if (start->program == NULL)
    {
      g_task_return_new_error (task, CABUT_DEMO_ERROR, CABUT_DEMO_ERROR_NO_SERVER,
                               _("The demo needs the cabut-server program, which is not installed"));
      return;
    }

  prepare = g_task_new (self, cancellable, prepared_cb, g_steal_pointer (&task));
  g_task_set_task_data (prepare, start, NULL);
  g_task_run_in_thread (prepare, prepare_thread);
  g_object_unref (prepare);
}

gboolean
cabut_demo_service_start_finish (CabutDemoService  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (CABUT_IS_DEMO_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/** cabut_demo_service_stop: asks the service to stop (SIGTERM); it finishes what it answered */
void
cabut_demo_service_stop (CabutDemoService *self)
{
  g_return_if_fail (CABUT_IS_DEMO_SERVICE (self));

  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      g_clear_object (&self->process);
    }
}

static void
stopped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cabut_demo_service_stop_async:
 *
 * Asks the service to stop, as cabut_demo_service_stop() does, and
 * completes once it has exited (its port is free again).
 */
void
cabut_demo_service_stop_async (CabutDemoService    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocess) process = NULL;

  g_return_if_fail (CABUT_IS_DEMO_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_demo_service_stop_async);

  if (self->process == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  process = g_object_ref (self->process);
  cabut_demo_service_stop (self);
  g_subprocess_wait_async (process, cancellable, stopped_cb, g_steal_pointer (&task));
}

gboolean
cabut_demo_service_stop_finish (CabutDemoService  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/** cabut_demo_service_get_url: Returns: (nullable): e.g. http://127.0.0.1:8480, once started */
const char *
cabut_demo_service_get_url (CabutDemoService *self)
{
  g_return_val_if_fail (CABUT_IS_DEMO_SERVICE (self), NULL);
  return self->url;
}

const char *
cabut_demo_service_get_data_dir (CabutDemoService *self)
{
  g_return_val_if_fail (CABUT_IS_DEMO_SERVICE (self), NULL);
  return self->data_dir;
}

/** cabut_demo_service_get_accounts: Returns: (transfer none) (nullable): #CabutDemoAccount items */
GListModel *
cabut_demo_service_get_accounts (CabutDemoService *self)
{
  g_return_val_if_fail (CABUT_IS_DEMO_SERVICE (self), NULL);
  return self->accounts;
}

/** cabut_demo_service_get_ca_file: Returns: (transfer full): the demo CA chain (PEM) */
char *
cabut_demo_service_get_ca_file (CabutDemoService *self)
{
  g_return_val_if_fail (CABUT_IS_DEMO_SERVICE (self), NULL);
  return g_build_filename (self->data_dir, "demo", "ca.pem", NULL);
}

/**
 * cabut_demo_service_set_second_approval:
 * @second_approval: whether a decision needs a second officer
 *
 * From the next start on, the service runs with `--second-approval`.
 */
void
cabut_demo_service_set_second_approval (CabutDemoService *self,
                                        gboolean          second_approval)
{
  g_return_if_fail (CABUT_IS_DEMO_SERVICE (self));

  self->second_approval = !!second_approval;
}
