/* test-keyring.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Remember my password" on the sign-in page, against a real desktop
 * keyring: gnome-keyring-daemon on this test's own session bus.
 */

#include "config.h"

#include <adwaita.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "cabut-test-util.h"
#include "cabut-wizard-driver.h"

static const SecretSchema schema = {
  "io.github.cabut.Cabut.Account", SECRET_SCHEMA_NONE,
  { { "server", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "username", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static GSubprocess *keyring;

static void die_with_parent (gpointer data);

static char *
stored_password (void)
{
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_sync (&schema, NULL, &error, "server", cabut_driver_fixture->url,
                                          "username", "budi.santoso", NULL);
  g_assert_no_error (error);

  return password;
}

static gboolean
row_visible (gpointer page)
{
  return gtk_widget_get_visible (cabut_driver_template_child (page, "remember_row"));
}

static gboolean
password_filled (gpointer page)
{
  return *gtk_editable_get_text (GTK_EDITABLE (cabut_driver_template_child (page, "password_row"))) != '\0';
}

static void
test_remember_password (void)
{
  CabutWindow *window = cabut_driver_open_window ("keyring-1");
  const char *password = cabut_demo_account_get_password (cabut_driver_demo_account ("budi.santoso"));
  CabutPage *page;
  char *kept;

  g_assert_null (stored_password ());

  /* Offered once the keyring answers; on, the password is kept. */
  cabut_driver_walk_to_sign_in (window, "budi.santoso", "budi.santoso");
  page = cabut_driver_current_page (window);
  cabut_driver_spin_until (row_visible, page, 20, "the keyring to answer");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (cabut_driver_template_child (page, "remember_switch"))));
  gtk_switch_set_active (GTK_SWITCH (cabut_driver_template_child (page, "remember_switch")), TRUE);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_spin_for (500);
  kept = stored_password ();
  g_assert_cmpstr (kept, ==, password);
  secret_password_free (kept);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Another day: the sign-in page fills it in. */
  window = cabut_driver_open_window ("keyring-2");
  cabut_draft_set_username (cabut_context_get_draft (cabut_window_get_context (window)), "budi.santoso");
  cabut_assistant_go_to_step (cabut_window_get_assistant (window), CABUT_DRAFT_STEP_SIGN_IN);
  page = cabut_driver_current_page (window);
  cabut_driver_spin_until (password_filled, page, 20, "the remembered password");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cabut_driver_template_child (page, "password_row"))), ==,
                   password);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (cabut_driver_template_child (page, "remember_switch"))));

  /* Off, and signing in forgets it. */
  gtk_switch_set_active (GTK_SWITCH (cabut_driver_template_child (page, "remember_switch")), FALSE);
  cabut_driver_wait_complete (page);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_spin_for (500);
  g_assert_null (stored_password ());

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
notices_reach (gpointer n)
{
  return cabut_driver_notices ()->len >= GPOINTER_TO_UINT (n);
}

static gboolean
tracker_done_waiting (gpointer window)
{
  return !cabut_tracker_get_waiting (cabut_window_get_tracker (window));
}

static gboolean
complaints_read (gpointer window)
{
  return cabut_tracker_get_n_complaints_read (cabut_window_get_tracker (window)) > 0;
}

static gboolean
tracker_synced (gpointer window)
{
  return cabut_tracker_get_n_synced (cabut_window_get_tracker (window)) > 0;
}

/* siti files a request with her password remembered and closes Cabut; it
 * is rejected meanwhile. The next start, before anyone signs in, catches
 * up quietly with the remembered password and tells the rejection, with
 * the officer's note, once. */
static void
test_catch_up_at_start (void)
{
  CabutWindow *window = cabut_driver_open_window ("catch-up");
  g_autoptr(GFile) letter = g_file_new_for_path (cabut_driver_fixture->letter_pdf);
  g_autofree char *filed = NULL;
  g_autofree char *body = NULL;
  CabutDriverNotice *notice;
  CabutPage *page;

  cabut_driver_walk_to_sign_in (window, "siti.rahmawati", "siti.rahmawati");
  page = cabut_driver_current_page (window);
  cabut_driver_spin_until (row_visible, page, 20, "the keyring to answer");
  gtk_switch_set_active (GTK_SWITCH (cabut_driver_template_child (page, "remember_switch")), TRUE);
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_file_from_reason (window, letter);
  filed = g_strdup (cabut_request_get_id (cabut_context_get_last_request (cabut_window_get_context (window))));
  cabut_driver_spin_for (500);
  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_spin_for (300);

  cabut_driver_reject (filed, "Surat pernyataan belum ditandatangani");
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, 0);

  window = cabut_driver_open_window ("catch-up");
  cabut_driver_spin_until (notices_reach, GUINT_TO_POINTER (1), 30, "the rejection's notification");
  notice = g_ptr_array_index (cabut_driver_notices (), 0);
  body = g_strdup_printf ("Request %s: Surat pernyataan belum ditandatangani", filed);
  g_assert_cmpstr (notice->summary, ==, "Request Rejected");
  g_assert_cmpstr (notice->body, ==, body);
  g_assert_null (cabut_context_get_profile (cabut_window_get_context (window)));
  cabut_driver_spin_until (tracker_synced, window, 30, "the catching up");
  cabut_driver_spin_for (500);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Once only: the next start has no request waiting, so nothing to
   * tell. (Her demo complaint, escalated and unsettled, was kept as her
   * feed told of it: the start catches up on that, telling nothing.) */
  window = cabut_driver_open_window ("catch-up");
  cabut_driver_spin_until (complaints_read, window, 30, "her complaint caught up on");
  cabut_driver_spin_for (1000);
  g_assert_cmpuint (cabut_tracker_get_n_synced (cabut_window_get_tracker (window)), <=, 1);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, 1);

  /* She files again and closes Cabut; started again, nobody signing in,
   * it follows the new request with the quiet session until it is
   * decided (what watching with the window closed relies on). */
  cabut_driver_walk_to_sign_in (window, "siti.rahmawati", "siti.rahmawati");
  cabut_driver_press_next (window);
  cabut_driver_wait_for_step (window, CABUT_DRAFT_STEP_REASON);
  cabut_driver_file_from_reason (window, letter);
  g_free (filed);
  filed = g_strdup (cabut_request_get_id (cabut_context_get_last_request (cabut_window_get_context (window))));
  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_spin_for (300);

  window = cabut_driver_open_window ("catch-up");
  cabut_driver_spin_until ((CabutDriverCondition) cabut_tracker_get_waiting, cabut_window_get_tracker (window), 30,
                           "the new request followed");
  g_assert_null (cabut_context_get_profile (cabut_window_get_context (window)));
  cabut_driver_approve (filed);
  cabut_driver_spin_until (notices_reach, GUINT_TO_POINTER (2), 30, "the approval's notification");
  notice = g_ptr_array_index (cabut_driver_notices (), 1);
  g_assert_cmpstr (notice->summary, ==, "Certificate Revoked");
  g_assert_nonnull (strstr (notice->body, filed));
  cabut_driver_spin_until (tracker_done_waiting, window, 30, "nothing left to wait for");
  cabut_driver_spin_for (500);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* @officer takes a step on complaint @id at the service. */
static void
complaint_step (const char *officer,
                const char *id,
                const char *action,
                const char *text)
{
  g_autoptr(CabutAmsClient) client = cabut_driver_client_of (officer);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CabutComplaint) complaint = NULL;
  g_autoptr(GError) error = NULL;

  cabut_ams_client_complaint_step_async (client, id, action, text, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the complaint's step");
  complaint = cabut_ams_client_complaint_step_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (complaint);
}

/* Started, nobody signing in: what was said on budi's complaint while
 * Cabut was closed is told once, with the remembered password. */
static void
expect_told_at_start (guint       n,
                      const char *summary,
                      const char *body)
{
  CabutWindow *window = cabut_driver_open_window ("complaint-catch-up");
  CabutDriverNotice *notice;

  cabut_driver_spin_until (notices_reach, GUINT_TO_POINTER (n), 30, summary);
  notice = g_ptr_array_index (cabut_driver_notices (), n - 1);
  g_assert_cmpstr (notice->summary, ==, summary);
  g_assert_cmpstr (notice->body, ==, body);
  g_assert_null (cabut_context_get_profile (cabut_window_get_context (window)));
  cabut_driver_spin_until (complaints_read, window, 30, "the complaint kept");
  cabut_driver_spin_for (500);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, n);
  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_spin_for (300);
}

/* budi files a complaint, his password remembered, and closes Cabut; the
 * desk answers it, and later settles it, each while Cabut is closed. Each
 * start tells what is new, once; settled, the next start has nothing to
 * catch up on. */
static void
test_complaint_catch_up_at_start (void)
{
  const char *password = cabut_demo_account_get_password (cabut_driver_demo_account ("budi.santoso"));
  guint told = cabut_driver_notices ()->len;
  CabutWindow *window = cabut_driver_open_window ("complaint-catch-up");
  CabutContext *context = cabut_window_get_context (window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CabutComplaint) complaint = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const char *id;

  g_assert_true (secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "Cabut", password, NULL, &error,
                                             "server", cabut_driver_fixture->url, "username", "budi.santoso", NULL));
  g_assert_no_error (error);
  cabut_driver_sign_in_context (context, "budi.santoso");
  cabut_ams_client_file_complaint_async (cabut_context_get_client (context), "Surat pernyataan saya ditolak sistem.",
                                         NULL, NULL, cabut_test_result_cb, &result);
  cabut_driver_spin_until (cabut_driver_has_result, &result, 30, "the complaint filed");
  complaint = cabut_ams_client_file_complaint_finish (cabut_context_get_client (context), result, &error);
  g_assert_no_error (error);
  id = cabut_complaint_get_id (complaint);
  /* Kept as the feed tells of it; the filing is no news to him. */
  cabut_driver_spin_until (complaints_read, window, 30, "the complaint kept");
  cabut_driver_spin_for (300);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, told);
  gtk_window_destroy (GTK_WINDOW (window));
  cabut_driver_spin_for (300);

  complaint_step ("dewi.verifikator", id, "answer", "Sedang kami periksa.");
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, told);
  body = g_strdup_printf ("Complaint %s: Sedang kami periksa.", id);
  expect_told_at_start (told + 1, "Complaint Answered", body);

  complaint_step ("dewi.verifikator", id, "resolve", "Surat sudah diterima.");
  g_free (body);
  body = g_strdup_printf ("Complaint %s: Surat sudah diterima.", id);
  expect_told_at_start (told + 2, "Complaint Resolved", body);

  /* Settled: nothing to catch up on, nothing told again. */
  window = cabut_driver_open_window ("complaint-catch-up");
  cabut_driver_spin_for (2000);
  g_assert_cmpuint (cabut_tracker_get_n_complaints_read (cabut_window_get_tracker (window)), ==, 0);
  g_assert_cmpuint (cabut_tracker_get_n_synced (cabut_window_get_tracker (window)), ==, 0);
  g_assert_cmpuint (cabut_driver_notices ()->len, ==, told + 2);
  gtk_window_destroy (GTK_WINDOW (window));

  g_assert_true (secret_password_clear_sync (&schema, NULL, &error, "server", cabut_driver_fixture->url,
                                             "username", "budi.santoso", NULL));
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A throw-away, unlocked login keyring on this test's session bus. Other
 * tests' apps may have had the bus start one (gnome-keyring is D-Bus
 * activatable), locked and empty: this one replaces it. */
static void
start_keyring (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autofree char *home = g_build_filename (cabut_driver_fixture->dir, "keyring-home", NULL);
  g_autofree char *data = g_build_filename (home, ".local", "share", NULL);
  g_autofree char *runtime = g_build_filename (home, "run", NULL);
  g_autoptr(GError) error = NULL;
  gboolean appeared = FALSE;
  guint watch;

  g_mkdir_with_parents (data, 0700);
  g_mkdir_with_parents (runtime, 0700);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  /* Its own control socket: an --unlock that finds another daemon's
   * socket hands the password to that one and exits. */
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground", "--replace", "--unlock",
                                         "--components=secrets", NULL);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring), "test", 4, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (keyring), NULL, &error));
  g_assert_no_error (error);

  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, "org.freedesktop.secrets", G_BUS_NAME_WATCHER_FLAGS_NONE,
                            name_appeared_cb, NULL, &appeared, NULL);
  cabut_driver_spin_until (cabut_driver_is_true, &appeared, 20, "the keyring on the bus");
  g_bus_unwatch_name (watch);

  /* Wait until the name is this daemon's (it replaces one the bus may have
   * started for another test) and its login collection is unlocked. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
      g_autoptr(GVariant) owner = NULL;
      g_autoptr(GVariant) pid = NULL;
      guint32 owner_pid = 0;

      owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "GetNameOwner",
                                           g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(s)"),
                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
      if (owner != NULL)
        {
          const char *unique;

          g_variant_get (owner, "(&s)", &unique);
          pid = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                             g_variant_new ("(s)", unique), G_VARIANT_TYPE ("(u)"),
                                             G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
          if (pid != NULL)
            g_variant_get (pid, "(u)", &owner_pid);
        }

      if (owner_pid != 0 && g_ascii_strtoull (g_subprocess_get_identifier (keyring), NULL, 10) == owner_pid)
        {
          g_autoptr(SecretService) service = NULL;
          g_autoptr(SecretCollection) login = NULL;

          /* Forget what an earlier look learnt from another daemon. */
          secret_service_disconnect ();
          service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, NULL);
          if (service != NULL)
            login = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                      SECRET_COLLECTION_NONE, NULL, NULL);
          if (login != NULL && !secret_collection_get_locked (login))
            return;
        }
      cabut_driver_spin_for (100);
    }
  g_error ("The keyring has no unlocked login collection");
}

int
main (int   argc,
      char *argv[])
{
  GApplication *application;
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("CABUT_SERVER_PROGRAM", g_getenv ("CABUT_SERVER"), TRUE);
  cabut_driver_use_private_bus ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cabut_driver_setup ();

  if (g_find_program_in_path ("gnome-keyring-daemon") == NULL)
    {
      g_printerr ("gnome-keyring-daemon is missing: build-aux/setup.sh installs it\n");
      return 1;
    }
  start_keyring ();

  application = g_application_new ("io.github.cabut.Cabut.KeyringTests", G_APPLICATION_NON_UNIQUE);
  cabut_driver_notifications_start ();
  g_assert_true (g_application_register (application, NULL, NULL));

  g_test_add_func ("/cabut/keyring/remember-password", test_remember_password);
  g_test_add_func ("/cabut/keyring/catch-up-at-start", test_catch_up_at_start);
  g_test_add_func ("/cabut/keyring/complaint-catch-up-at-start", test_complaint_catch_up_at_start);

  status = g_test_run ();
  g_clear_object (&application);

  g_subprocess_force_exit (keyring);
  g_clear_object (&keyring);
  /* The bus goes with this process (GLib raises SIGTERM in a program whose
   * session bus closes under it, so it is never stopped first). */
  cabut_driver_teardown ();

  return status;
}
