/* cabut-preferences-window.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-preferences-window.h"
#include "cabut-util.h"

/* The service's address and an extra CA file for its TLS certificate. */
struct _CabutPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwEntryRow          *url_row;
  AdwActionRow         *ca_row;
  GtkSwitch            *background_switch;
  GtkWidget            *ca_clear_button;
  GtkWidget            *demo_label;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (CabutPreferencesWindow, cabut_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
update_ca (CabutPreferencesWindow *self)
{
  g_autofree char *ca_file = g_settings_get_string (self->settings, "ca-file");

  adw_action_row_set_subtitle (self->ca_row, *ca_file != '\0' ? ca_file
                                             : _("None: only certificates your system trusts"));
  gtk_widget_set_visible (self->ca_clear_button, *ca_file != '\0');
}

static void
url_applied_cb (CabutPreferencesWindow *self)
{
  g_autofree char *url = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row)));

  g_settings_set_string (self->settings, "server-url", g_strstrip (url));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Service address saved")));
}

static void
ca_clear_clicked_cb (CabutPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "ca-file", "");
}

static void
ca_chosen (GtkWidget *widget,
           GFile     *file)
{
  CabutPreferencesWindow *self = CABUT_PREFERENCES_WINDOW (widget);

  if (g_file_peek_path (file) != NULL)
    g_settings_set_string (self->settings, "ca-file", g_file_peek_path (file));
}

static void
ca_choose_clicked_cb (CabutPreferencesWindow *self)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Certificates (.pem, .crt, .cer)"));
  gtk_file_filter_add_suffix (filter, "pem");
  gtk_file_filter_add_suffix (filter, "crt");
  gtk_file_filter_add_suffix (filter, "cer");
  cabut_choose_file (GTK_WIDGET (self), _("Choose the Certification Authority File"), _("_Choose"), filter, ca_chosen);
}

static void
cabut_preferences_window_dispose (GObject *object)
{
  CabutPreferencesWindow *self = (CabutPreferencesWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cabut_preferences_window_parent_class)->dispose (object);
}

static void
cabut_preferences_window_class_init (CabutPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, CabutPreferencesWindow, ca_row);
  gtk_widget_class_bind_template_child (widget_class, CabutPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, CabutPreferencesWindow, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, CabutPreferencesWindow, demo_label);
  gtk_widget_class_bind_template_callback (widget_class, url_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_choose_clicked_cb);
}

static void
cabut_preferences_window_init (CabutPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cabut_preferences_window_new (GSettings *settings,
                              gboolean   demo)
{
  CabutPreferencesWindow *self;
  g_autofree char *url = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CABUT_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);
  url = g_settings_get_string (settings, "server-url");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_widget_set_visible (self->demo_label, demo);
  g_signal_connect_object (settings, "changed::ca-file", G_CALLBACK (update_ca), self, G_CONNECT_SWAPPED);
  g_settings_bind (settings, "watch-in-background", self->background_switch, "active", G_SETTINGS_BIND_DEFAULT);
  update_ca (self);

  return GTK_WIDGET (self);
}
