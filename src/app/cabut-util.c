/* cabut-util.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-util"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-core.h"
#include "cabut-util.h"

/* Indonesian dates are written "2 Desember 2026"; gettext gives the month. */
static const char *months[] = {
  N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
  N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
};

/**
 * cabut_format_date_time:
 *
 * Returns: (transfer full): @when in Western Indonesian Time, the time zone
 *   of the service's deadlines, e.g. "2 December 2026, 16:00 WIB"
 */
char *
cabut_format_date_time (GDateTime *when)
{
  g_autoptr(GTimeZone) wib = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return g_strdup ("");

  wib = g_time_zone_new_identifier ("Asia/Jakarta");
  if (wib == NULL)
    wib = g_time_zone_new_offset (7 * 3600);
  local = g_date_time_to_timezone (when, wib);

  /* Translators: a date and time: day, month name, year, hour, minute, e.g. "2 December 2026, 16:00 WIB" */
  return g_strdup_printf (_("%d %s %d, %02d:%02d WIB"), g_date_time_get_day_of_month (local),
                          _(months[g_date_time_get_month (local) - 1]), g_date_time_get_year (local),
                          g_date_time_get_hour (local), g_date_time_get_minute (local));
}

static void
tooltip_to_label (GtkWidget *button)
{
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  if (tooltip != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

/**
 * cabut_name_icon_buttons:
 *
 * Names the icon-only buttons inside @widget after their tooltips, and keeps
 * doing so when a tooltip changes. GTK 4.8 does not use a tooltip as the
 * accessible name, so such a button is announced by its type ("GtkImage").
 * For widgets we do not build: libadwaita 1.2's AdwPasswordEntryRow has a
 * "Show Text"/"Hide Text" button with nothing but a tooltip.
 */
void
cabut_name_icon_buttons (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL)
        {
          tooltip_to_label (child);
          g_signal_connect (child, "notify::tooltip-text", G_CALLBACK (tooltip_to_label), NULL);
        }
      cabut_name_icon_buttons (child);
    }
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CabutFileFunc  func)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;

  /* One file at a time: the first. */
  func (widget, files->data);
  g_slist_free (files);

  return TRUE;
}

/** cabut_add_file_drop: files dropped onto @widget go to @func */
void
cabut_add_file_drop (GtkWidget     *widget,
                     CabutFileFunc  func)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), func);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (target));
}

static void
chooser_free (gpointer chooser)
{
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     GtkWidget       *widget)
{
  CabutFileFunc func = g_object_get_data (G_OBJECT (dialog), "func");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        func (widget, file);
    }

  g_object_set_data (G_OBJECT (widget), "cabut-chooser", NULL);
}

static void
choose (GtkWidget            *widget,
        GtkFileChooserAction  action,
        const char           *title,
        const char           *accept_label,
        GtkFileFilter        *filter,
        const char           *suggested_name,
        CabutFileFunc         func)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  GtkFileFilter *all;

  if (g_object_get_data (G_OBJECT (widget), "cabut-chooser") != NULL)
    {
      g_object_unref (filter);
      return;
    }

  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         action, accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  if (suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);

  all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_object_unref (all);

  /* GTK keeps no reference to a native dialog: the widget does, until it answers. */
  g_object_set_data (G_OBJECT (chooser), "func", func);
  g_object_set_data_full (G_OBJECT (widget), "cabut-chooser", chooser, chooser_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * cabut_choose_file:
 * @filter: (transfer full): what the chooser offers first; "All files" is added
 *
 * Opens a file chooser for @widget's window (one at a time per widget);
 * the chosen file goes to @func.
 */
void
cabut_choose_file (GtkWidget     *widget,
                   const char    *title,
                   const char    *accept_label,
                   GtkFileFilter *filter,
                   CabutFileFunc  func)
{
  choose (widget, GTK_FILE_CHOOSER_ACTION_OPEN, title, accept_label, filter, NULL, func);
}

/**
 * cabut_choose_save_file:
 * @filter: (transfer full): what the chooser offers first; "All files" is added
 * @suggested_name: the file name offered
 *
 * As cabut_choose_file(), for a file to write: the chooser asks before
 * replacing one.
 */
void
cabut_choose_save_file (GtkWidget     *widget,
                        const char    *title,
                        const char    *accept_label,
                        GtkFileFilter *filter,
                        const char    *suggested_name,
                        CabutFileFunc  func)
{
  choose (widget, GTK_FILE_CHOOSER_ACTION_SAVE, title, accept_label, filter, suggested_name, func);
}

static void
wrap_labels (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "subtitle"))
        gtk_label_set_wrap_mode (GTK_LABEL (child), PANGO_WRAP_WORD_CHAR);
      wrap_labels (child);
    }
}

/**
 * cabut_row_wrap_anywhere:
 *
 * Lets the row's subtitle break inside words: fingerprints, serial numbers
 * and distinguished names have none to break at, and would otherwise make
 * the window wider than a phone-sized screen (libadwaita 1.2 has no
 * property for it).
 */
void
cabut_row_wrap_anywhere (AdwActionRow *row)
{
  g_return_if_fail (ADW_IS_ACTION_ROW (row));

  adw_action_row_set_subtitle_lines (row, 0);
  wrap_labels (GTK_WIDGET (row));
}

/**
 * cabut_password_schema:
 *
 * The desktop keyring (Secret Service) keeps a remembered password; the
 * attributes, which it stores in clear, are the service's address and the
 * user name — never the password, a NIP or a name.
 */
const SecretSchema *
cabut_password_schema (void)
{
  static const SecretSchema schema = {
    "io.github.cabut.Cabut.Account", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/**
 * cabut_describe_sign_in_error:
 *
 * Returns: (transfer full): what a failed sign-in means, and what to do
 */
char *
cabut_describe_sign_in_error (const GError *error)
{
  if (error->domain != CABUT_AMS_ERROR)
    return g_strdup (error->message);

  switch ((CabutAmsError) error->code)
    {
    case CABUT_AMS_ERROR_UNAUTHORIZED:
      return g_strdup (_("The user name or the password is wrong. Check Caps Lock and try again."));
    case CABUT_AMS_ERROR_TOTP_REQUIRED:
      return g_strdup (_("This account also needs the one-time code from your authenticator app."));
    case CABUT_AMS_ERROR_TLS:
      /* Translators: %s is the technical reason */
      return g_strdup_printf (_("%s If your agency uses its own certification authority for the service, "
                                "add its certificate file in Preferences."), error->message);
    case CABUT_AMS_ERROR_LOCKED:
    case CABUT_AMS_ERROR_NETWORK:
    case CABUT_AMS_ERROR_INSECURE_URL:
    case CABUT_AMS_ERROR_INVALID_URL:
    case CABUT_AMS_ERROR_FORBIDDEN:
    case CABUT_AMS_ERROR_NOT_FOUND:
    case CABUT_AMS_ERROR_CONFLICT:
    case CABUT_AMS_ERROR_TAKEN_BY_OTHER:
    case CABUT_AMS_ERROR_TOO_LARGE:
    case CABUT_AMS_ERROR_UNSUPPORTED_TYPE:
    case CABUT_AMS_ERROR_BAD_REQUEST:
    case CABUT_AMS_ERROR_SERVER:
    case CABUT_AMS_ERROR_PROTOCOL:
    default:
      return g_strdup (error->message);
    }
}

/* Shows @text in a form's status line (hides it for %NULL), red for an error. */
void
cabut_show_status (GtkLabel   *label,
                   const char *text,
                   gboolean    is_error)
{
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

/* Whether a sign-in form is filled: a user name, a password, and the
 * one-time code when its field is shown. */
gboolean
cabut_sign_in_filled (GtkEditable *username,
                      GtkEditable *password,
                      GtkEditable *totp)
{
  return *gtk_editable_get_text (username) != '\0' && *gtk_editable_get_text (password) != '\0' &&
         (!gtk_widget_get_visible (GTK_WIDGET (totp)) || *gtk_editable_get_text (totp) != '\0');
}
