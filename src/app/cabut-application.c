/* cabut-application.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-application"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-application.h"
#include "cabut-preferences-window.h"
#include "cabut-window.h"

struct _CabutApplication
{
  AdwApplication    parent_instance;

  GSettings        *settings;
  CabutDemoService *demo;
  GCancellable     *cancellable;
  GPtrArray        *watched;   /* CabutTracker of closed windows, still waiting */
  gboolean          quitting;
  gboolean          demo_requested;
};

G_DEFINE_FINAL_TYPE (CabutApplication, cabut_application, ADW_TYPE_APPLICATION)

static CabutWindow *
get_window (CabutApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (CABUT_IS_WINDOW (window))
    return CABUT_WINDOW (window);

  {
    g_autoptr(CabutContext) context = cabut_context_new (self->settings);

    if (self->demo != NULL && cabut_demo_service_get_url (self->demo) != NULL)
      cabut_context_set_demo (context, self->demo);
    else if (self->demo != NULL)
      cabut_context_set_demo_pending (context, TRUE);

    return cabut_window_new (GTK_APPLICATION (self), context);
  }
}

static void
demo_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CabutApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *windows;

  g_application_release (G_APPLICATION (self));

  if (!cabut_demo_service_start_finish (CABUT_DEMO_SERVICE (object), result, &error))
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
      AdwMessageDialog *dialog;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
        if (CABUT_IS_WINDOW (l->data))
          cabut_context_set_demo_pending (cabut_window_get_context (l->data), FALSE);
      g_warning ("Failed to start the demo service: %s", error->message);
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("The Demo Could Not Start"), error->message));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  g_debug ("Demo service at %s", cabut_demo_service_get_url (self->demo));
  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  for (GList *l = windows; l != NULL; l = l->next)
    {
      if (CABUT_IS_WINDOW (l->data))
        cabut_context_set_demo (cabut_window_get_context (l->data), self->demo);
    }
}

static void
start_demo (CabutApplication *self)
{
  g_autofree char *dir = NULL;

  if (self->demo != NULL)
    return;

  dir = g_build_filename (g_get_user_data_dir (), "cabut", "demo-service", NULL);
  self->demo = cabut_demo_service_new (dir);
  g_application_hold (G_APPLICATION (self));
  cabut_demo_service_start_async (self->demo, self->cancellable, demo_started_cb, g_object_ref (self));
}

static void
cabut_application_activate (GApplication *app)
{
  CabutApplication *self = CABUT_APPLICATION (app);

  if (self->demo_requested)
    start_demo (self);

  gtk_window_present (GTK_WINDOW (get_window (self)));
}

static void
cabut_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  CabutApplication *self = CABUT_APPLICATION (app);
  CabutWindow *window;

  if (self->demo_requested)
    start_demo (self);

  window = get_window (self);
  gtk_window_present (GTK_WINDOW (window));

  /* One request at a time: the first file is the certificate to revoke. */
  if (n_files > 0)
    cabut_window_open_file (window, files[0]);
}

static int
cabut_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  CabutApplication *self = CABUT_APPLICATION (app);

  if (g_variant_dict_contains (options, "demo"))
    self->demo_requested = TRUE;

  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The Cabut authors", NULL };
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);

  adw_show_about_window (window,
                         "application-name", _("Cabut"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Cabut authors"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Revoke your BSrE electronic certificate, step by step"),
                         "developers", developers,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Cabut authors",
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CabutApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences = cabut_preferences_window_new (self->settings, self->demo != NULL);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), window);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
watched_changed_cb (CabutTracker     *tracker,
                    GParamSpec       *pspec,
                    CabutApplication *self)
{
  if (cabut_tracker_get_waiting (tracker))
    return;

  g_debug ("Nothing left to wait for: no longer watching in the background");
  g_signal_handlers_disconnect_by_func (tracker, watched_changed_cb, self);
  g_ptr_array_remove (self->watched, tracker);
  g_application_release (G_APPLICATION (self));
}

/**
 * cabut_application_watch:
 *
 * Keeps @tracker (a closed window's) following its account while a
 * request waits for a decision, and the application running for it; when
 * nothing is left to wait for, lets both go. The user can turn this off.
 */
void
cabut_application_watch (CabutApplication *self,
                         CabutTracker     *tracker)
{
  g_return_if_fail (CABUT_IS_APPLICATION (self));
  g_return_if_fail (CABUT_IS_TRACKER (tracker));

  if (self->quitting || !cabut_tracker_get_waiting (tracker) ||
      !g_settings_get_boolean (self->settings, "watch-in-background"))
    return;

  g_debug ("Watching in the background until the decision");
  g_ptr_array_add (self->watched, g_object_ref (tracker));
  g_application_hold (G_APPLICATION (self));
  g_signal_connect (tracker, "notify::waiting", G_CALLBACK (watched_changed_cb), self);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CabutApplication *self = CABUT_APPLICATION (user_data);
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Quitting ends watching in the background too: nothing is held. */
  self->quitting = TRUE;
  while (self->watched->len > 0)
    {
      CabutTracker *tracker = g_ptr_array_index (self->watched, self->watched->len - 1);

      g_signal_handlers_disconnect_by_func (tracker, watched_changed_cb, self);
      g_ptr_array_remove_index (self->watched, self->watched->len - 1);
      g_application_release (G_APPLICATION (self));
    }

  /* Closed, not destroyed: each window first lets the store write the last
   * change; the application ends with its last window. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

/* The window a notification's action shows something in (made if need be). */
static CabutWindow *
window_for_notification (GtkApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (app);

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (app));
      window = gtk_application_get_active_window (app);
    }
  if (!CABUT_IS_WINDOW (window))
    return NULL;

  gtk_window_present (window);
  return CABUT_WINDOW (window);
}

/* A notification's action: that request. */
static void
show_request_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  CabutWindow *window = window_for_notification (GTK_APPLICATION (user_data));

  if (window != NULL)
    cabut_window_show_request (window, g_variant_get_string (parameter, NULL));
}

/* A notification's action: that complaint. */
static void
show_complaint_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  CabutWindow *window = window_for_notification (GTK_APPLICATION (user_data));

  if (window != NULL)
    cabut_window_show_complaint (window, g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "show-request", show_request_action, "s" },
  { "show-complaint", show_complaint_action, "s" },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

static void
cabut_application_startup (GApplication *app)
{
  CabutApplication *self = CABUT_APPLICATION (app);

  G_APPLICATION_CLASS (cabut_application_parent_class)->startup (app);

  self->settings = g_settings_new ("io.github.cabut.Cabut");
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-requests",
                                         (const char *[]) { "<Control>r", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-desk",
                                         (const char *[]) { "<Control>d", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.start-over",
                                         (const char *[]) { "<Control>n", NULL });
}

static void
cabut_application_shutdown (GApplication *app)
{
  CabutApplication *self = CABUT_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  if (self->demo != NULL)
    cabut_demo_service_stop (self->demo);

  G_APPLICATION_CLASS (cabut_application_parent_class)->shutdown (app);
}

static void
cabut_application_dispose (GObject *object)
{
  CabutApplication *self = (CabutApplication *)object;

  if (self->watched != NULL)
    for (guint i = 0; i < self->watched->len; i++)
      g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i), watched_changed_cb, self);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->demo);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cabut_application_parent_class)->dispose (object);
}

static void
cabut_application_class_init (CabutApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cabut_application_dispose;
  app_class->activate = cabut_application_activate;
  app_class->open = cabut_application_open;
  app_class->startup = cabut_application_startup;
  app_class->shutdown = cabut_application_shutdown;
  app_class->handle_local_options = cabut_application_handle_local_options;
}

static void
cabut_application_init (CabutApplication *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Try Cabut on a demonstration service on this computer, with fictional accounts"), NULL },
    { NULL }
  };

  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

CabutApplication *
cabut_application_new (void)
{
  return g_object_new (CABUT_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/cabut/Cabut",
                       NULL);
}
