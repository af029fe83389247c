/* cabut-welcome-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-util.h"
#include "cabut-welcome-page.h"

/* Step 1: what revocation means, what is needed, how long it takes and
 * whom to ask — from the service's own public information (its last copy
 * when it cannot be reached). In the demo, the accounts to try it with. */
struct _CabutWelcomePage
{
  CabutPage             parent_instance;

  AdwPreferencesGroup  *resume_group;
  AdwActionRow         *resume_row;
  AdwActionRow         *letter_row;
  AdwActionRow         *time_row;
  AdwActionRow         *agency_row;
  AdwActionRow         *phone_row;
  AdwActionRow         *email_row;
  AdwActionRow         *website_row;
  AdwActionRow         *officer_row;
  AdwActionRow         *hours_row;
  AdwActionRow         *escalation_row;
  AdwActionRow         *offline_row;
  AdwPreferencesGroup  *demo_group;
  AdwActionRow         *demo_starting_row;
  GtkSpinner           *demo_spinner;
  GPtrArray            *demo_rows;
  GListModel           *demo_accounts;  /* the accounts the rows show (not owned: the demo keeps them) */
};

G_DEFINE_FINAL_TYPE (CabutWelcomePage, cabut_welcome_page, CABUT_TYPE_PAGE)

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  gboolean has_value = value != NULL && *value != '\0';

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (row), has_value);
  adw_action_row_set_subtitle (row, has_value ? value : "");
}

static void
update_service_info (CabutWelcomePage *self)
{
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));
  CabutServiceInfo *info = cabut_context_get_service_info (context);
  gboolean offline = cabut_context_get_service_info_offline (context);
  g_autofree char *max_size = NULL;
  g_autofree char *letter = NULL;
  g_autofree char *time = NULL;

  if (info != NULL && cabut_service_info_get_max_letter_size (info) > 0)
    {
      max_size = g_format_size_full (cabut_service_info_get_max_letter_size (info), G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: %s is a file size such as "10.5 MB" */
      letter = g_strdup_printf (_("Giving the reason, signed and scanned as PDF, JPEG or PNG, at most %s."),
                                max_size);
      adw_action_row_set_subtitle (self->letter_row, letter);
    }

  if (info != NULL)
    {
      guint days = MAX (cabut_service_info_get_service_days (info), 1);

      if (cabut_service_info_get_fee (info) == 0)
        time = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Decided within %u working day, free of charge",
                                             "Decided within %u working days, free of charge", days),
                                days);
      else
        time = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Decided within %u working day",
                                             "Decided within %u working days", days),
                                days);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->time_row), time);
    }

  set_row (self->agency_row, info ? cabut_service_info_get_agency (info) : NULL);
  set_row (self->phone_row, info ? cabut_service_info_get_phone (info) : NULL);
  set_row (self->email_row, info ? cabut_service_info_get_email (info) : NULL);
  set_row (self->website_row, info ? cabut_service_info_get_website (info) : NULL);
  set_row (self->officer_row, info ? cabut_service_info_get_complaints_officer (info) : NULL);
  set_row (self->hours_row, info ? cabut_service_info_get_office_hours (info) : NULL);
  set_row (self->escalation_row, info ? cabut_service_info_get_escalation (info) : NULL);

  /* While the demo's own service starts, nothing is unreachable yet. */
  if (cabut_context_get_demo_pending (context))
    offline = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->offline_row), offline);
  if (offline)
    {
      GDateTime *when = cabut_context_get_service_info_time (context);
      g_autofree char *subtitle = NULL;

      if (info != NULL && when != NULL)
        {
          g_autofree char *date = cabut_format_date_time (when);

          /* Translators: %s is a date and time */
          subtitle = g_strdup_printf (_("Shown as it was on %s. You can still prepare your request."), date);
        }
      else
        subtitle = g_strdup (_("Check the service address in Preferences, or your network connection. "
                               "You can still prepare your request."));
      adw_action_row_set_subtitle (self->offline_row, subtitle);
    }
}

static void
start_with_account_cb (GtkButton        *button,
                       CabutWelcomePage *self)
{
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));
  CabutDemoAccount *account = g_object_get_data (G_OBJECT (button), "account");
  CabutDraft *draft = cabut_context_get_draft (context);

  cabut_context_set_demo_account (context, account);
  cabut_draft_set_username (draft, cabut_demo_account_get_username (account));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-certificate", "s",
                              g_file_peek_path (cabut_demo_account_get_certificate_file (account)));
}

/* The officer's command line, for a terminal. */
static void
copy_command_cb (GtkButton        *button,
                 CabutWelcomePage *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          g_object_get_data (G_OBJECT (button), "command"));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Command copied"));
}

/* The service desk, its sign-in form filled with this officer's account. */
static void
open_desk_cb (GtkButton        *button,
              CabutWelcomePage *self)
{
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));

  cabut_context_set_demo_account (context, g_object_get_data (G_OBJECT (button), "account"));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-desk", NULL);
}

static void
update_demo (CabutWelcomePage *self)
{
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));
  CabutDemoService *demo = cabut_context_get_demo (context);
  GListModel *accounts = demo ? cabut_demo_service_get_accounts (demo) : NULL;
  gboolean pending = cabut_context_get_demo_pending (context);

  gtk_widget_set_visible (GTK_WIDGET (self->demo_group), accounts != NULL || pending);
  gtk_widget_set_visible (GTK_WIDGET (self->demo_starting_row), pending);
  gtk_spinner_set_spinning (self->demo_spinner, pending);

  /* Rebuilt only for other accounts: a focused "Use" button stays. */
  if (accounts == self->demo_accounts)
    return;
  self->demo_accounts = accounts;

  for (guint i = 0; i < self->demo_rows->len; i++)
    adw_preferences_group_remove (self->demo_group, g_ptr_array_index (self->demo_rows, i));
  g_ptr_array_set_size (self->demo_rows, 0);
  if (accounts == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(CabutDemoAccount) account = g_list_model_get_item (accounts, i);
      const char *role = cabut_demo_account_get_role (account);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cabut_demo_account_get_full_name (account));
      if (cabut_demo_account_get_certificate_file (account) != NULL)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Use"));
          g_autofree char *tooltip = NULL;

          /* Translators: the demo account's user name (Use fills in its passwords) */
          subtitle = g_strdup_printf (_("Applicant · %s"), cabut_demo_account_get_username (account));
          /* Translators: %s is a person's name */
          tooltip = g_strdup_printf (_("Start a request as %s"), cabut_demo_account_get_full_name (account));
          gtk_widget_set_tooltip_text (button, tooltip);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (button), "account", g_object_ref (account), g_object_unref);
          g_signal_connect (button, "clicked", G_CALLBACK (start_with_account_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
          /* The whole row starts it: Enter or Space on it, or a click. */
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
        }
      else
        {
          /* Officers and the official: the desk (its form filled in), and
           * for a terminal the command with the password in its
           * environment. The applicants come first: they are what the demo
           * shows, so these buttons are not the suggested ones. */
          gboolean admin = g_str_equal (role, "admin");
          GtkWidget *button = gtk_button_new_with_mnemonic (_("Copy _Command"));
          GtkWidget *desk = gtk_button_new_with_mnemonic (_("Open _Desk"));
          g_autofree char *quoted = g_shell_quote (cabut_demo_account_get_password (account));
          g_autofree char *command = g_strdup_printf ("CABUT_PASSWORD=%s cabut-cli --server %s --user %s "
                                                      "--password-env CABUT_PASSWORD %s", quoted,
                                                      cabut_demo_service_get_url (demo),
                                                      cabut_demo_account_get_username (account),
                                                      admin ? "audit" : "queue");
          g_autofree char *tooltip = NULL;

          /* Translators: a role, then the demo account's user name */
          subtitle = g_strdup_printf (admin ? _("Official (administrator) · %s") : _("Verification officer · %s"),
                                      cabut_demo_account_get_username (account));
          gtk_widget_set_tooltip_text (button, _("Copy the cabut-cli command for this account, password included"));
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (button), "command", g_steal_pointer (&command), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (copy_command_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

          /* Translators: %s is a person's name */
          tooltip = g_strdup_printf (_("Open the service desk as %s"), cabut_demo_account_get_full_name (account));
          gtk_widget_set_tooltip_text (desk, tooltip);
          gtk_accessible_update_property (GTK_ACCESSIBLE (desk), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
          gtk_widget_set_valign (desk, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (desk), "account", g_object_ref (account), g_object_unref);
          g_signal_connect (desk, "clicked", G_CALLBACK (open_desk_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), desk);
        }

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set (row, "subtitle-lines", 0, NULL);
      adw_preferences_group_add (self->demo_group, row);
      g_ptr_array_add (self->demo_rows, row);
    }
}

static void
cabut_welcome_page_constructed (GObject *object)
{
  CabutWelcomePage *self = (CabutWelcomePage *)object;
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));

  G_OBJECT_CLASS (cabut_welcome_page_parent_class)->constructed (object);

  g_signal_connect_object (context, "notify::service-info", G_CALLBACK (update_service_info), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::demo", G_CALLBACK (update_demo), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::demo-pending", G_CALLBACK (update_demo), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::demo-pending", G_CALLBACK (update_service_info), self,
                           G_CONNECT_SWAPPED);
  update_service_info (self);
  update_demo (self);
}

static void
cabut_welcome_page_finalize (GObject *object)
{
  CabutWelcomePage *self = (CabutWelcomePage *)object;

  g_clear_pointer (&self->demo_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cabut_welcome_page_parent_class)->finalize (object);
}

static void
cabut_welcome_page_class_init (CabutWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cabut_welcome_page_constructed;
  object_class->finalize = cabut_welcome_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, resume_group);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, resume_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, letter_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, time_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, agency_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, email_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, website_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, officer_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, hours_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, escalation_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, offline_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, demo_group);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, demo_starting_row);
  gtk_widget_class_bind_template_child (widget_class, CabutWelcomePage, demo_spinner);
}

static void
cabut_welcome_page_init (CabutWelcomePage *self)
{
  self->demo_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cabut_welcome_page_offer_draft:
 * @draft: (nullable): an unfinished draft from the store, or %NULL to stop offering
 */
void
cabut_welcome_page_offer_draft (CabutWelcomePage *self,
                                CabutDraft       *draft)
{
  g_autofree char *subtitle = NULL;

  g_return_if_fail (CABUT_IS_WELCOME_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->resume_group), draft != NULL);
  if (draft == NULL)
    return;

  if (cabut_draft_get_state (draft) == CABUT_DRAFT_STATE_QUEUED)
    subtitle = g_strdup (_("A request was being sent when Cabut stopped. Continue to finish sending it; "
                           "it will not be filed twice."));
  else
    {
      CabutCertificate *certificate = cabut_draft_get_certificate (draft);
      GDateTime *updated = cabut_draft_get_updated_at (draft);
      g_autofree char *when = updated ? cabut_format_date_time (updated) : g_strdup ("");
      g_autofree char *name = certificate ? cabut_dn_dup_common_name (cabut_certificate_get_subject (certificate))
                                          : NULL;

      if (name != NULL)
        /* Translators: a person's name, then a date and time */
        subtitle = g_strdup_printf (_("The request for %s, last changed on %s."), name, when);
      else
        /* Translators: %s is a date and time */
        subtitle = g_strdup_printf (_("A request last changed on %s."), when);
    }
  adw_action_row_set_subtitle (self->resume_row, subtitle);
}
