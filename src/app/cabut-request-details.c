/* cabut-request-details.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-request-details"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-letter-preview.h"
#include "cabut-request-details.h"
#include "cabut-util.h"

typedef enum
{
  CONFIRM_NONE,
  CONFIRM_CHECKING,
  CONFIRM_REVOKED,     /* the CA agrees */
  CONFIRM_GOOD,        /* the CA disagrees: a warning, never hidden */
  CONFIRM_FAILED,      /* no answer now: try again */
  CONFIRM_IMPOSSIBLE,  /* filed elsewhere, or no issuer known */
} ConfirmState;

/* One request, from "My requests": its state and deadline (overdue said,
 * with whom to complain to), its timeline, what was filed, and Cancel
 * while it is not decided. Read again from the service when signed in;
 * otherwise what this computer kept. */
struct _CabutRequestDetails
{
  AdwBin           parent_instance;

  AdwPreferencesPage *page;
  GPtrArray       *groups;

  CabutContext    *context;
  CabutRequest    *request;
  GCancellable    *cancellable;
  GCancellable    *confirm_cancellable;
  gboolean         busy;
  gboolean         offline;

  /* The CA's own answer, once the service says revoked */
  ConfirmState     confirm_state;
  char            *confirm_text;
  char            *confirm_for;   /* the request it is about */

  /* The letter as the service keeps it, shown */
  GtkWidget       *letter_preview;   /* CabutLetterPreview, kept across rebuilds */
  GtkWidget       *letter_group;     /* the group holding it now */
  GCancellable    *letter_cancellable;
  char            *letter_for;       /* the request whose letter is (being) shown */
  char            *letter_error;
  gboolean         letter_loading;
};

G_DEFINE_FINAL_TYPE (CabutRequestDetails, cabut_request_details, ADW_TYPE_BIN)

static void confirm (CabutRequestDetails *self);

enum {
  PROP_0,
  PROP_BUSY,
  PROP_REQUEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FILE_AGAIN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (CabutRequestDetails *self,
          gboolean             busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static AdwPreferencesGroup *
add_group (CabutRequestDetails *self,
           const char          *title,
           const char          *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title != NULL ? title : "");
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
  g_ptr_array_add (self->groups, group);

  return ADW_PREFERENCES_GROUP (group);
}

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return NULL;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  cabut_row_wrap_anywhere (ADW_ACTION_ROW (row));
  adw_preferences_group_add (group, row);

  return row;
}

static const char *
state_icon (CabutRequestState state)
{
  switch (state)
    {
    case CABUT_REQUEST_STATE_REVOKED: return "emblem-ok-symbolic";
    case CABUT_REQUEST_STATE_REJECTED: return "dialog-error-symbolic";
    case CABUT_REQUEST_STATE_CANCELLED: return "edit-delete-symbolic";
    case CABUT_REQUEST_STATE_IN_REVIEW: return "system-search-symbolic";
    case CABUT_REQUEST_STATE_SUBMITTED:
    default: return "document-send-symbolic";
    }
}

static const char *
letter_check (CabutRequest *request)
{
  if (!cabut_request_get_letter_checked (request))
    return NULL;

  switch (cabut_request_get_letter_match (request))
    {
    case CABUT_LETTER_MATCH_YES:
      return _("Its code matches this certificate and reason");
    case CABUT_LETTER_MATCH_OTHER_CERTIFICATE:
      return _("Its code names another certificate");
    case CABUT_LETTER_MATCH_OTHER_REASON:
      return _("Its code gives another reason");
    case CABUT_LETTER_MATCH_NO_CODE:
    case CABUT_LETTER_MATCH_UNREADABLE:
    default:
      return _("No code to read: the officer compares it by eye");
    }
}

static void cancel_clicked_cb (CabutRequestDetails *self);
static void file_again_clicked_cb (CabutRequestDetails *self);

static void
show_complaint_channels_in (CabutRequestDetails *self,
                            AdwPreferencesGroup *group)
{
  CabutServiceInfo *info = cabut_context_get_service_info (self->context);

  if (info == NULL)
    {
      add_row (group, _("Whom to ask"), _("The service desk of your agency"));
      return;
    }
  add_row (group, _("Service"), cabut_service_info_get_agency (info));
  add_row (group, _("Phone"), cabut_service_info_get_phone (info));
  add_row (group, _("E-mail"), cabut_service_info_get_email (info));
  add_row (group, _("Website"), cabut_service_info_get_website (info));
  add_row (group, _("Complaints officer"), cabut_service_info_get_complaints_officer (info));
  add_row (group, _("If the desk cannot help"), cabut_service_info_get_escalation (info));
}

static void
show_complaint_channels (CabutRequestDetails *self)
{
  show_complaint_channels_in (self, add_group (self, _("This Request Is Overdue"),
                                               _("The service promised a decision by the deadline above. Ask "
                                                 "about it, quoting the request number; if the desk cannot "
                                                 "help, take it further.")));
}

static void
retry_clicked_cb (CabutRequestDetails *self)
{
  g_clear_pointer (&self->confirm_for, g_free);
  confirm (self);
}

/* The CA's own answer, as the timeline's last entry. */
static void
show_confirmation (CabutRequestDetails *self,
                   AdwPreferencesGroup *history)
{
  static const struct { const char *icon, *style; } looks[] = {
    [CONFIRM_CHECKING] = { "content-loading-symbolic", NULL },
    [CONFIRM_REVOKED] = { "emblem-ok-symbolic", "success" },
    [CONFIRM_GOOD] = { "dialog-warning-symbolic", "warning" },
    [CONFIRM_FAILED] = { "dialog-question-symbolic", "warning" },
    [CONFIRM_IMPOSSIBLE] = { "dialog-information-symbolic", NULL },
  };
  const char *title;
  GtkWidget *row;
  GtkWidget *icon;

  switch (self->confirm_state)
    {
    case CONFIRM_CHECKING: title = _("Asking the certification authority…"); break;
    case CONFIRM_REVOKED: title = _("Confirmed by the certification authority"); break;
    case CONFIRM_GOOD: title = _("The certification authority disagrees"); break;
    case CONFIRM_NONE:
    case CONFIRM_FAILED:
    case CONFIRM_IMPOSSIBLE:
    default: title = _("Not confirmed by the certification authority"); break;
    }

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (self->confirm_text != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), self->confirm_text);
  cabut_row_wrap_anywhere (ADW_ACTION_ROW (row));
  adw_preferences_group_add (history, row);

  if (self->confirm_state == CONFIRM_CHECKING)
    {
      icon = gtk_spinner_new ();
      gtk_spinner_start (GTK_SPINNER (icon));
    }
  else
    icon = gtk_image_new_from_icon_name (looks[self->confirm_state].icon);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  if (looks[self->confirm_state].style != NULL)
    gtk_widget_add_css_class (icon, looks[self->confirm_state].style);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (self->confirm_state == CONFIRM_FAILED)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Ask Again"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (retry_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
}

static void
rebuild (CabutRequestDetails *self)
{
  CabutRequest *request = self->request;
  CabutRequestState state;
  AdwPreferencesGroup *group;
  g_autofree char *filed = NULL;
  g_autofree char *due = NULL;
  g_autofree char *decided = NULL;
  g_autofree char *title = NULL;
  GtkWidget *row;

  if (self->letter_group != NULL)
    {
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->letter_group), self->letter_preview);
      self->letter_group = NULL;
    }
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);

  if (request == NULL)
    return;

  state = cabut_request_get_state (request);
  filed = cabut_format_date_time (cabut_request_get_created_at (request));
  due = cabut_format_date_time (cabut_request_get_due (request));
  decided = cabut_format_date_time (cabut_request_get_decided_at (request));

  /* Translators: a request number such as CBT-2026-000001 */
  title = g_strdup_printf (_("Request %s"), cabut_request_get_id (request));
  group = add_group (self, title,
                     self->offline ? _("As this computer last saw it: sign in to bring it up to date.") : NULL);
  row = add_row (group, _("Status"), cabut_request_state_to_label (state));
  if (row != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (state_icon (state));

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cabut_request_state_to_label (state), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  add_row (group, _("Filed"), filed);
  if (cabut_request_state_is_open (state))
    {
      g_autofree char *due_text = cabut_request_get_overdue (request)
                                    /* Translators: a date and time, past */
                                    ? g_strdup_printf (_("%s — overdue"), due) : g_strdup (due);

      row = add_row (group, _("Decision due by"), due_text);
      if (row != NULL && cabut_request_get_overdue (request))
        gtk_widget_add_css_class (row, "warning");
    }
  else
    add_row (group, _("Decided"), decided);

  /* What to put right, and the way to, before the rest. */
  if (state == CABUT_REQUEST_STATE_REJECTED)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_File Again"));

      group = add_group (self, _("Put It Right and File Again"),
                         _("A new request for the same certificate, with the same reason and account of what "
                           "happened. Fix what the officer asked for first; usually it is the letter."));
      row = add_row (group, _("Why it was rejected"), cabut_request_get_rejection_note (request));
      if (row != NULL)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Why it was rejected"), -1);
          gtk_widget_add_css_class (icon, "warning");
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
        }
      gtk_widget_add_css_class (button, "suggested-action");
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_margin_top (button, 12);
      gtk_widget_set_sensitive (button, !self->offline && !self->busy);
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (file_again_clicked_cb), self);
      adw_preferences_group_add (group, button);
    }

  /* Never hidden: the service and the authority disagree. */
  if (state == CABUT_REQUEST_STATE_REVOKED && self->confirm_state == CONFIRM_GOOD)
    show_complaint_channels_in (self, add_group (self, _("The Certificate May Still Be Valid"),
                                                 _("The service says it revoked the certificate, but the "
                                                   "certification authority does not. Until it does, the "
                                                   "certificate can still sign. Ask the service now, quoting "
                                                   "the request number.")));

  if (cabut_request_state_is_open (state) && cabut_request_get_overdue (request))
    show_complaint_channels (self);

  if (cabut_request_has_events (request) ||
      (state == CABUT_REQUEST_STATE_REVOKED && self->confirm_state != CONFIRM_NONE))
    {
      GListModel *events = cabut_request_get_events (request);

      group = add_group (self, _("History"), NULL);
      for (guint i = 0; events != NULL && i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(CabutRequestEvent) event = g_list_model_get_item (events, i);
          CabutRequestState event_state = cabut_request_event_get_state (event);
          g_autofree char *at = cabut_format_date_time (cabut_request_event_get_at (event));
          const char *actor = cabut_request_event_get_actor_name (event);
          const char *note = cabut_request_event_get_note (event);
          GString *subtitle = g_string_new (at);
          GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", state_icon (event_state),
                                          "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);

          if (actor != NULL)
            g_string_append_printf (subtitle, " · %s", actor);
          if (note != NULL && *note != '\0')
            g_string_append_printf (subtitle, "\n%s", note);
          row = add_row (group, cabut_request_state_to_label (event_state), subtitle->str);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          g_string_free (subtitle, TRUE);
        }
      if (state == CABUT_REQUEST_STATE_REVOKED && self->confirm_state != CONFIRM_NONE)
        show_confirmation (self, group);
    }

  group = add_group (self, _("What Was Filed"), NULL);
  add_row (group, _("Reason"), cabut_request_get_reason_label (request));
  add_row (group, _("What happened"), cabut_request_get_note (request));
  add_row (group, _("Certificate serial number"), cabut_request_get_serial (request));
  add_row (group, _("Certificate holder (Subject DN)"), cabut_request_get_subject (request));
  add_row (group, _("Statement letter"), letter_check (request));
  add_row (group, _("Proof of key possession"),
           cabut_request_get_key_possession (request)
             ? _("Included: the request is signed with your private key") : _("Not included"));

  /* The letter itself, as the service keeps it */
  group = add_group (self, _("The Statement Letter Filed"), NULL);
  if (g_strcmp0 (self->letter_for, cabut_request_get_id (request)) == 0 &&
      cabut_letter_preview_get_file (CABUT_LETTER_PREVIEW (self->letter_preview)) != NULL)
    {
      adw_preferences_group_add (group, self->letter_preview);
      self->letter_group = GTK_WIDGET (group);
    }
  else if (self->letter_loading)
    add_row (group, _("Statement letter"), _("Bringing the letter from the service…"));
  else if (self->letter_error != NULL)
    add_row (group, _("Statement letter"), self->letter_error);
  else
    add_row (group, _("Statement letter"), _("Sign in to see the letter."));

  if (cabut_request_state_is_open (state))
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Cancel Request…"));

      group = add_group (self, NULL, NULL);
      gtk_widget_add_css_class (button, "destructive-action");
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (button, !self->offline && !self->busy);
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
      adw_preferences_group_add (group, button);
    }

  /* The direct path to the service desk, about this request. */
  {
    GtkWidget *button = gtk_button_new_with_mnemonic (_("C_omplain About This Request…"));

    group = add_group (self, NULL, NULL);
    gtk_widget_add_css_class (button, "pill");
    gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
    gtk_widget_set_sensitive (button, !self->offline);
    gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.complain-about-request");
    gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", cabut_request_get_id (request));
    adw_preferences_group_add (group, button);
  }
}

static void
set_confirmation (CabutRequestDetails *self,
                  ConfirmState         state,
                  char                *text)
{
  self->confirm_state = state;
  g_free (self->confirm_text);
  self->confirm_text = text;
  rebuild (self);
}

static void
answered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CabutRequestDetails) self = user_data;
  g_autoptr(CabutRevocationResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = cabut_format_date_time (now);
  g_autofree char *asked = NULL;

  answer = cabut_revocation_check_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer == NULL)
    {
      /* Translators: why the authority could not be asked */
      set_confirmation (self, CONFIRM_FAILED, g_strdup_printf (_("It could not be asked now: %s"), error->message));
      return;
    }

  /* Translators: a date and time, then where the answer came from (e.g. "Status service (OCSP)") */
  asked = g_strdup_printf (_("%s · %s"), when,
                           cabut_revocation_source_to_label (cabut_revocation_result_get_source (answer)));
  switch (cabut_revocation_result_get_status (answer))
    {
    case CABUT_REVOCATION_STATUS_REVOKED:
      {
        const char *reason = cabut_revocation_result_get_reason (answer);

        /* Translators: the first %s is when and where, then the reason for revocation (e.g. "Key compromise") */
        set_confirmation (self, CONFIRM_REVOKED,
                          g_strdup_printf (_("%s\nRevoked. Reason: %s"), asked,
                                           reason != NULL ? cabut_crl_reason_to_label (reason)
                                                          : _("No reason given")));
        break;
      }

    case CABUT_REVOCATION_STATUS_GOOD:
      /* Translators: when and where */
      set_confirmation (self, CONFIRM_GOOD,
                        g_strdup_printf (_("%s\nThe authority still calls the certificate valid."), asked));
      break;

    case CABUT_REVOCATION_STATUS_UNKNOWN:
    default:
      /* Translators: when and where */
      set_confirmation (self, CONFIRM_FAILED,
                        g_strdup_printf (_("%s\nThe authority does not know the certificate."), asked));
      break;
    }
}

static void
certificate_found_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CabutRequestDetails) self = user_data;
  g_autoptr(CabutCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  CabutCertificate *issuer;

  certificate = cabut_store_find_certificate_finish (CABUT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      set_confirmation (self, CONFIRM_FAILED, g_strdup (error->message));
      return;
    }
  if (certificate == NULL)
    {
      set_confirmation (self, CONFIRM_IMPOSSIBLE,
                        g_strdup (_("This request was filed from another computer: its certificate is not here to "
                                    "ask about.")));
      return;
    }
  if ((issuer = cabut_context_find_issuer (self->context, certificate)) == NULL)
    {
      set_confirmation (self, CONFIRM_FAILED,
                        g_strdup (_("The certificate of the authority that issued it is not known yet. Connect "
                                    "to the service and ask again.")));
      return;
    }

  cabut_revocation_check_async (certificate, issuer, NULL, NULL, NULL, self->confirm_cancellable, answered_cb,
                                g_object_ref (self));
}

/* Once the service says revoked, the CA itself is asked: OCSP, then the
 * CRL, signatures and freshness verified. Once per request shown. */
static void
confirm (CabutRequestDetails *self)
{
  CabutStore *store = cabut_context_get_store (self->context);
  const char *server_url = cabut_context_get_server_url (self->context);

  if (self->request == NULL || cabut_request_get_state (self->request) != CABUT_REQUEST_STATE_REVOKED ||
      g_strcmp0 (self->confirm_for, cabut_request_get_id (self->request)) == 0)
    return;

  g_free (self->confirm_for);
  self->confirm_for = g_strdup (cabut_request_get_id (self->request));
  g_cancellable_cancel (self->confirm_cancellable);
  g_clear_object (&self->confirm_cancellable);
  self->confirm_cancellable = g_cancellable_new ();

  if (store == NULL || server_url == NULL)
    {
      set_confirmation (self, CONFIRM_IMPOSSIBLE,
                        g_strdup (_("This request was filed from another computer: its certificate is not here to "
                                    "ask about.")));
      return;
    }

  set_confirmation (self, CONFIRM_CHECKING, NULL);
  cabut_store_find_certificate_async (store, server_url, cabut_request_get_id (self->request),
                                      self->confirm_cancellable, certificate_found_cb, g_object_ref (self));
}

/* Said in place of the letter, on the request page. */
static void
letter_failed (CabutRequestDetails *self,
               const GError        *error)
{
  self->letter_loading = FALSE;
  g_free (self->letter_error);
  /* Translators: why the letter cannot be shown */
  self->letter_error = g_strdup_printf (_("The letter cannot be shown: %s"), error->message);
  rebuild (self);
}

static void
letter_shown_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CabutRequestDetails) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_letter_preview_load_finish (CABUT_LETTER_PREVIEW (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      letter_failed (self, error);
      return;
    }
  self->letter_loading = FALSE;
  rebuild (self);
}

static void
show_kept_letter (CabutRequestDetails *self,
                  GFile               *file)
{
  CabutServiceInfo *info = cabut_context_get_service_info (self->context);

  cabut_letter_preview_load_async (CABUT_LETTER_PREVIEW (self->letter_preview), file,
                                   info != NULL ? cabut_service_info_get_max_letter_size (info) : 0,
                                   self->letter_cancellable, letter_shown_cb, g_object_ref (self));
}

static void
letter_kept_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CabutRequestDetails) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      letter_failed (self, error);
      return;
    }

  show_kept_letter (self, G_FILE (object));
}

static void
letter_cached_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CabutRequestDetails) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  file = cabut_letter_cache_keep_finish (result, &error);
  if (file == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      letter_failed (self, error);
      return;
    }

  show_kept_letter (self, file);
}

static void
letter_downloaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CabutRequestDetails) self = user_data;
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  const char *type;
  const char *sha256;

  letter = cabut_ams_client_download_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (letter == NULL)
    {
      letter_failed (self, error);
      return;
    }

  /* Kept under its hash, once it is the one filed. */
  type = self->request != NULL ? cabut_request_get_letter_type (self->request) : NULL;
  sha256 = self->request != NULL ? cabut_request_get_letter_sha256 (self->request) : NULL;
  if (cabut_letter_cache_is_valid_name (sha256))
    {
      cabut_letter_cache_keep_async (sha256, type, letter, self->letter_cancellable, letter_cached_cb,
                                     g_object_ref (self));
      return;
    }

  /* No hash said: kept in the cache, private to the user, named by the request. */
  dir = g_build_filename (g_get_user_cache_dir (), "cabut", "letters", NULL);
  g_mkdir_with_parents (dir, 0700);
  name = g_strdup_printf ("%s.%s", self->letter_for, cabut_letter_type_extension (type));
  file = g_file_new_build_filename (dir, name, NULL);
  g_file_replace_contents_bytes_async (file, letter, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->letter_cancellable, letter_kept_cb, g_object_ref (self));
}

static void
download_letter (CabutRequestDetails *self)
{
  CabutAmsClient *client = cabut_context_get_client (self->context);
  g_autofree char *path = g_strdup_printf ("requests/%s/letter", self->letter_for);

  if (client == NULL)
    {
      self->letter_loading = FALSE;
      rebuild (self);
      return;
    }
  cabut_ams_client_download_async (client, path, self->letter_cancellable, letter_downloaded_cb,
                                   g_object_ref (self));
}

static void
letter_looked_up_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CabutRequestDetails) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  file = cabut_letter_cache_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (file != NULL)
    {
      show_kept_letter (self, file);
      return;
    }
  /* Not kept, or kept damaged (removed now), or unreadable: fetched. */
  if (error != NULL)
    g_debug ("The kept letter cannot be read: %s", error->message);
  download_letter (self);
}

/* The letter of the request shown: the one kept here when its hash is
 * the one filed, else from the service (and kept); once per request. */
static void
show_letter (CabutRequestDetails *self)
{
  CabutAmsClient *client = cabut_context_get_client (self->context);
  const char *sha256;

  if (self->request == NULL || self->offline || client == NULL ||
      g_strcmp0 (self->letter_for, cabut_request_get_id (self->request)) == 0)
    return;

  g_cancellable_cancel (self->letter_cancellable);
  g_clear_object (&self->letter_cancellable);
  self->letter_cancellable = g_cancellable_new ();
  cabut_letter_preview_clear (CABUT_LETTER_PREVIEW (self->letter_preview));
  g_clear_pointer (&self->letter_error, g_free);
  g_free (self->letter_for);
  self->letter_for = g_strdup (cabut_request_get_id (self->request));
  self->letter_loading = TRUE;

  sha256 = cabut_request_get_letter_sha256 (self->request);
  if (cabut_letter_cache_is_valid_name (sha256))
    cabut_letter_cache_lookup_async (sha256, cabut_request_get_letter_type (self->request), self->letter_cancellable,
                                     letter_looked_up_cb, g_object_ref (self));
  else
    download_letter (self);
}

static void
set_request (CabutRequestDetails *self,
             CabutRequest        *request)
{
  if (g_set_object (&self->request, request))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST]);
  if (g_strcmp0 (self->confirm_for, cabut_request_get_id (request)) != 0)
    {
      g_cancellable_cancel (self->confirm_cancellable);
      self->confirm_state = CONFIRM_NONE;
    }
  rebuild (self);
  confirm (self);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CabutRequestDetails) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CabutRequest) request = NULL;

  request = cabut_ams_client_get_request_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (request == NULL)
    {
      /* What this computer kept stays shown, said to be old. */
      self->offline = TRUE;
      rebuild (self);
      return;
    }

  self->offline = FALSE;
  set_request (self, request);
  show_letter (self);
}

/**
 * cabut_request_details_show:
 *
 * Shows @request at once, then reads it again, with its timeline, from
 * the service when signed in.
 */
void
cabut_request_details_show (CabutRequestDetails *self,
                            CabutRequest        *request)
{
  CabutAmsClient *client;
  CabutProfile *profile;

  g_return_if_fail (CABUT_IS_REQUEST_DETAILS (self));
  g_return_if_fail (CABUT_IS_REQUEST (request));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  client = cabut_context_get_client (self->context);
  profile = cabut_context_get_profile (self->context);
  /* Another account's request is shown as this computer kept it. */
  self->offline = client == NULL || profile == NULL ||
                  g_strcmp0 (cabut_profile_get_username (profile), cabut_request_get_applicant_username (request)) != 0;
  set_request (self, request);
  if (self->offline)
    return;

  set_busy (self, TRUE);
  cabut_ams_client_get_request_async (client, cabut_request_get_id (request), self->cancellable, fetched_cb,
                                      g_object_ref (self));
}

static void
cancelled_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CabutRequestDetails *self = g_task_get_source_object (task);
  g_autoptr(CabutRequest) request = NULL;
  GError *error = NULL;

  request = cabut_ams_client_cancel_request_finish (CABUT_AMS_CLIENT (object), result, &error);
  set_busy (self, FALSE);
  if (request == NULL)
    {
      rebuild (self);
      g_task_return_error (task, error);
      return;
    }

  set_request (self, request);
  g_task_return_boolean (task, TRUE);
}

/**
 * cabut_request_details_cancel_async:
 *
 * Cancels the request shown, as "Cancel Request…" does once confirmed.
 */
void
cabut_request_details_cancel_async (CabutRequestDetails *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CabutAmsClient *client;

  g_return_if_fail (CABUT_IS_REQUEST_DETAILS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_request_details_cancel_async);
  client = cabut_context_get_client (self->context);
  if (self->request == NULL || client == NULL || cabut_context_get_profile (self->context) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Sign in to cancel the request."));
      return;
    }

  set_busy (self, TRUE);
  rebuild (self);
  cabut_ams_client_cancel_request_async (client, cabut_request_get_id (self->request), cancellable, cancelled_cb,
                                         g_steal_pointer (&task));
}

gboolean
cabut_request_details_cancel_finish (CabutRequestDetails  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cancel_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CabutRequestDetails *self = CABUT_REQUEST_DETAILS (object);
  g_autoptr(GError) error = NULL;

  if (cabut_request_details_cancel_finish (self, result, &error))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Request cancelled"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
}

static void
confirm_response_cb (AdwMessageDialog    *dialog,
                     const char          *response,
                     CabutRequestDetails *self)
{
  if (g_str_equal (response, "cancel-request"))
    cabut_request_details_cancel_async (self, self->cancellable, cancel_done_cb, NULL);
}

static void
cancel_clicked_cb (CabutRequestDetails *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (self->request == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Cancel This Request?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Request %s will not be decided, and your certificate stays valid. You can file "
                                    "a new request later."), cabut_request_get_id (self->request));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep It"),
                                    "cancel-request", _("_Cancel Request"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-request",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sent_draft_found_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CabutRequestDetails *self = g_task_get_source_object (task);
  CabutRequest *rejected = g_task_get_task_data (task);
  g_autoptr(CabutDraft) kept = NULL;
  GError *error = NULL;

  kept = cabut_store_find_sent_draft_finish (CABUT_STORE (object), result, &error);
  set_busy (self, FALSE);
  rebuild (self);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Filed from another computer: the certificate is asked for. */
  g_task_return_pointer (task, cabut_draft_new_again (rejected, kept), g_object_unref);
}

/**
 * cabut_request_details_file_again_async:
 *
 * Makes a new draft to file the rejected request shown again, as "File
 * Again" does: the same certificate when this computer filed it (its
 * file and public part, as its draft kept them), reason and note, and the
 * officer's note on what to put right. The draft has a new idempotency
 * key; the one sent is never reused.
 */
void
cabut_request_details_file_again_async (CabutRequestDetails *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CabutStore *store;
  const char *server_url;

  g_return_if_fail (CABUT_IS_REQUEST_DETAILS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_request_details_file_again_async);
  if (self->request == NULL || cabut_request_get_state (self->request) != CABUT_REQUEST_STATE_REJECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Only a rejected request can be filed again."));
      return;
    }
  g_task_set_task_data (task, g_object_ref (self->request), g_object_unref);

  store = cabut_context_get_store (self->context);
  server_url = cabut_context_get_server_url (self->context);
  if (store == NULL || server_url == NULL)
    {
      g_task_return_pointer (task, cabut_draft_new_again (self->request, NULL), g_object_unref);
      return;
    }

  set_busy (self, TRUE);
  rebuild (self);
  cabut_store_find_sent_draft_async (store, server_url, cabut_request_get_id (self->request), cancellable,
                                     sent_draft_found_cb, g_steal_pointer (&task));
}

/**
 * cabut_request_details_file_again_finish:
 *
 * Returns: (transfer full): the new draft, not yet the wizard's
 */
CabutDraft *
cabut_request_details_file_again_finish (CabutRequestDetails  *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
file_again_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CabutRequestDetails *self = CABUT_REQUEST_DETAILS (object);
  g_autoptr(CabutDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  draft = cabut_request_details_file_again_finish (self, result, &error);
  if (draft != NULL)
    g_signal_emit (self, signals[FILE_AGAIN], 0, draft);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
}

static void
file_again_clicked_cb (CabutRequestDetails *self)
{
  cabut_request_details_file_again_async (self, self->cancellable, file_again_done_cb, NULL);
}

CabutRequest *
cabut_request_details_get_request (CabutRequestDetails *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_DETAILS (self), NULL);
  return self->request;
}

/** cabut_request_details_get_confirmation: Returns: (nullable): what the CA's answer says, once asked */
const char *
cabut_request_details_get_confirmation (CabutRequestDetails *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_DETAILS (self), NULL);
  return self->confirm_state == CONFIRM_CHECKING ? NULL : self->confirm_text;
}

/** cabut_request_details_get_letter_preview: Returns: (transfer none): the filed letter's preview */
GtkWidget *
cabut_request_details_get_letter_preview (CabutRequestDetails *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_DETAILS (self), NULL);
  return self->letter_preview;
}

gboolean
cabut_request_details_get_busy (CabutRequestDetails *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_DETAILS (self), FALSE);
  return self->busy;
}

static void
cabut_request_details_dispose (GObject *object)
{
  CabutRequestDetails *self = (CabutRequestDetails *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->confirm_cancellable);
  g_clear_object (&self->confirm_cancellable);
  g_cancellable_cancel (self->letter_cancellable);
  g_clear_object (&self->letter_cancellable);
  g_clear_object (&self->letter_preview);
  g_clear_object (&self->request);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cabut_request_details_parent_class)->dispose (object);
}

static void
cabut_request_details_finalize (GObject *object)
{
  CabutRequestDetails *self = (CabutRequestDetails *)object;

  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->confirm_text, g_free);
  g_clear_pointer (&self->confirm_for, g_free);
  g_clear_pointer (&self->letter_for, g_free);
  g_clear_pointer (&self->letter_error, g_free);

  G_OBJECT_CLASS (cabut_request_details_parent_class)->finalize (object);
}

static void
cabut_request_details_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CabutRequestDetails *self = CABUT_REQUEST_DETAILS (object);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_REQUEST: g_value_set_object (value, self->request); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_request_details_class_init (CabutRequestDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cabut_request_details_dispose;
  object_class->finalize = cabut_request_details_finalize;
  object_class->get_property = cabut_request_details_get_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUEST] = g_param_spec_object ("request", NULL, NULL, CABUT_TYPE_REQUEST,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CabutRequestDetails::file-again:
   * @draft: the new draft, filled in from the rejected request
   *
   * "File Again" was pressed on a rejected request: the wizard takes
   * @draft on.
   */
  signals[FILE_AGAIN] = g_signal_new ("file-again", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                      NULL, G_TYPE_NONE, 1, CABUT_TYPE_DRAFT);
}

static void
cabut_request_details_init (CabutRequestDetails *self)
{
  self->groups = g_ptr_array_new ();
  self->letter_preview = g_object_ref_sink (cabut_letter_preview_new ());
  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->page));
}

GtkWidget *
cabut_request_details_new (CabutContext *context)
{
  CabutRequestDetails *self;

  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  self = g_object_new (CABUT_TYPE_REQUEST_DETAILS, NULL);
  self->context = g_object_ref (context);

  return GTK_WIDGET (self);
}
