/* cabut-desk-view.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-desk-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-audit-view.h"
#include "cabut-bulk-view.h"
#include "cabut-complaints-desk.h"
#include "cabut-desk-filing.h"
#include "cabut-desk-view.h"
#include "cabut-review-page.h"
#include "cabut-util.h"

/* Seconds of quiet in the event feed before the queue is read again: the
 * feed's first answer tells every event since the service began. */
#define REFRESH_DELAY_MS 300

/* The service desk, for verification officers (operators and admins): its
 * sections in an AdwViewStack (the queue; others join with
 * cabut_desk_view_add_section()), a request's review in front of them, and
 * a sign-in form of its own when nobody, or an applicant, is signed in.
 * While an officer is signed in it follows the service's event feed (an
 * officer's holds every request's events) and reads the queue again after
 * each burst of news. */
struct _CabutDeskView
{
  GtkBox                parent_instance;

  AdwViewSwitcherTitle *switcher_title;
  GtkButton            *sign_out_button;
  GtkStack             *stack;
  AdwEntryRow          *username_row;
  AdwPasswordEntryRow  *password_row;
  AdwEntryRow          *totp_row;
  GtkLabel             *status_label;
  GtkButton            *sign_in_button;
  AdwViewStack         *sections;
  CabutQueueView       *queue_view;
  CabutReviewPage      *review_page;   /* the "review" page, made with the context */
  GtkWidget            *complaints;    /* the sections made for the officer signed in: */
  GtkWidget            *filing;
  GtkWidget            *bulk;
  GtkWidget            *audit;         /* administrators only */

  CabutContext         *context;
  GCancellable         *cancellable;
  CabutEventFeed       *feed;
  CabutAmsClient       *officer_client;   /* not a reference: the context's, while an officer is signed in */
  char                 *officer;          /* the officer's user name */
  char                 *review_id;
  guint                 refresh_id;
  gboolean              signing_in;
};

G_DEFINE_FINAL_TYPE (CabutDeskView, cabut_desk_view, GTK_TYPE_BOX)

static void set_officer_sections (CabutDeskView *self,
                                  CabutProfile  *profile);

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static gboolean
is_officer (CabutProfile *profile)
{
  return profile != NULL && cabut_profile_get_role (profile) != CABUT_ROLE_APPLICANT;
}

static void
show_status (CabutDeskView *self,
             const char    *text,
             gboolean       error)
{
  cabut_show_status (self->status_label, text, error);
}

static void
update_sign_in_button (CabutDeskView *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button),
                            !self->signing_in &&
                            cabut_sign_in_filled (GTK_EDITABLE (self->username_row), GTK_EDITABLE (self->password_row),
                                                  GTK_EDITABLE (self->totp_row)));
}

/* The demo's officer, as its first page shows it: the account "Open Desk"
 * chose there, else the demo's first operator. */
static void
fill_demo_account (CabutDeskView *self)
{
  CabutDemoService *demo = cabut_context_get_demo (self->context);
  CabutDemoAccount *chosen = cabut_context_get_demo_account (self->context);
  GListModel *accounts = demo ? cabut_demo_service_get_accounts (demo) : NULL;
  g_autoptr(CabutDemoAccount) officer = NULL;

  if (chosen != NULL && !g_str_equal (cabut_demo_account_get_role (chosen), "applicant"))
    officer = g_object_ref (chosen);
  for (guint i = 0; officer == NULL && accounts != NULL && i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(CabutDemoAccount) account = g_list_model_get_item (accounts, i);

      if (g_str_equal (cabut_demo_account_get_role (account), "operator"))
        officer = g_steal_pointer (&account);
    }
  /* An account chosen on the first page replaces what the form holds;
   * otherwise what someone typed stays. */
  if (officer == NULL || (officer != chosen && *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0'))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->username_row), cabut_demo_account_get_username (officer));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), cabut_demo_account_get_password (officer));
}

static gboolean
refresh_cb (gpointer data)
{
  CabutDeskView *self = data;

  self->refresh_id = 0;
  cabut_queue_view_refresh (self->queue_view);

  return G_SOURCE_REMOVE;
}

static void
feed_event_cb (CabutDeskView     *self,
               const char        *request_id,
               const char        *kind,
               CabutRequestState  state,
               const char        *note)
{
  g_debug ("Request %s: %s", request_id, kind);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh_cb, self);
}

static void
stop_following (CabutDeskView *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->feed == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->feed, self);
  cabut_event_feed_stop (self->feed);
  g_clear_object (&self->feed);
}

/* The feed waits at the service for news with a client of its own: a
 * client's session keeps two connections to a service, and the tracker's
 * long-poll holds one of the context's already. */
static void
follow (CabutDeskView  *self,
        CabutAmsClient *client)
{
  g_autoptr(GError) error = NULL;

  if ((self->feed = cabut_context_new_event_feed (self->context, &error)) == NULL)
    {
      g_warning ("Failed to follow the service's news: %s", error->message);
      return;
    }
  g_signal_connect_swapped (self->feed, "event", G_CALLBACK (feed_event_cb), self);
  cabut_event_feed_start (self->feed);
}

static void
show_sections (CabutDeskView *self)
{
  g_clear_pointer (&self->review_id, g_free);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, TRUE);
  adw_view_switcher_title_set_title (self->switcher_title, _("Service Desk"));
  gtk_stack_set_visible_child_name (self->stack, "sections");
}

/* Who is signed in decides what the desk shows. */
static void
profile_changed_cb (CabutDeskView *self)
{
  CabutProfile *profile = cabut_context_get_profile (self->context);
  CabutAmsClient *client = cabut_context_get_client (self->context);

  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button), profile != NULL);

  if (is_officer (profile) && client != NULL)
    {
      /* The same officer's profile read again: the same session. */
      if (client == self->officer_client && g_strcmp0 (self->officer, cabut_profile_get_username (profile)) == 0)
        return;

      stop_following (self);
      self->officer_client = client;
      g_free (self->officer);
      self->officer = g_strdup (cabut_profile_get_username (profile));
      show_status (self, NULL, FALSE);
      cabut_queue_view_set_client (self->queue_view, client);
      cabut_queue_view_reload (self->queue_view);
      follow (self, client);
      set_officer_sections (self, profile);
      if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "review"))
        show_sections (self);
      return;
    }

  stop_following (self);
  self->officer_client = NULL;
  g_clear_pointer (&self->officer, g_free);
  g_clear_pointer (&self->review_id, g_free);
  cabut_queue_view_set_client (self->queue_view, NULL);
  set_officer_sections (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
  adw_view_switcher_title_set_title (self->switcher_title, _("Service Desk"));

  if (profile != NULL)
    {
      /* Translators: %s is a person's name */
      g_autofree char *text = g_strdup_printf (_("Only verification officers may use the service desk. %s is "
                                                 "signed in as an applicant: sign in with an officer's account "
                                                 "to open it."),
                                               cabut_profile_get_full_name (profile));

      show_status (self, text, TRUE);
    }
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CabutDeskView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_context_sign_in_finish (CABUT_CONTEXT (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->signing_in = FALSE;
      message = cabut_describe_sign_in_error (error);
      show_status (self, message, TRUE);
      if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_TOTP_REQUIRED))
        {
          gtk_widget_set_visible (GTK_WIDGET (self->totp_row), TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->totp_row));
        }
      else if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_UNAUTHORIZED))
        {
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
          gtk_editable_select_region (GTK_EDITABLE (self->password_row), 0, -1);
        }
      update_sign_in_button (self);
      return;
    }

  self->signing_in = FALSE;
  /* The password is not kept here once it has done its work. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->totp_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->totp_row), FALSE);
  profile_changed_cb (self);
  update_sign_in_button (self);
  cabut_desk_view_present (self);
}

static void
sign_in_clicked_cb (CabutDeskView *self)
{
  const char *totp = gtk_editable_get_text (GTK_EDITABLE (self->totp_row));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->sign_in_button)))
    return;

  self->signing_in = TRUE;
  update_sign_in_button (self);
  show_status (self, _("Signing in…"), FALSE);
  cabut_context_sign_in_async (self->context, gtk_editable_get_text (GTK_EDITABLE (self->username_row)),
                               gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                               gtk_widget_get_visible (GTK_WIDGET (self->totp_row)) && *totp != '\0' ? totp : NULL,
                               self->cancellable, signed_in_cb, g_object_ref (self));
}

static void
entry_changed_cb (CabutDeskView *self)
{
  update_sign_in_button (self);
}

static void
entry_activated_cb (CabutDeskView *self)
{
  sign_in_clicked_cb (self);
}

static void
sign_out_clicked_cb (CabutDeskView *self)
{
  cabut_context_sign_out (self->context);
}

static void
drop_section (CabutDeskView  *self,
              GtkWidget     **section)
{
  if (*section != NULL)
    adw_view_stack_remove (self->sections, *section);
  *section = NULL;
}

/* The sections beside the queue work with the officer's session (the
 * Complaints section follows its event feed): made anew for each officer,
 * gone when nobody is signed in. The audit log is the administrators'. */
static void
set_officer_sections (CabutDeskView *self,
                      CabutProfile  *profile)
{
  drop_section (self, &self->complaints);
  drop_section (self, &self->filing);
  drop_section (self, &self->bulk);
  drop_section (self, &self->audit);
  if (profile == NULL)
    return;

  self->complaints = cabut_complaints_desk_new (self->context);
  cabut_desk_view_add_section (self, self->complaints, "complaints", _("Complaints"), "mail-unread-symbolic");
  self->filing = cabut_desk_filing_new (self->context);
  cabut_desk_view_add_section (self, self->filing, "filing", _("File for an Applicant"), "document-new-symbolic");
  self->bulk = cabut_bulk_view_new (self->context);
  cabut_desk_view_add_section (self, self->bulk, "bulk", _("Bulk Revocation"), "view-list-symbolic");
  if (cabut_profile_get_role (profile) == CABUT_ROLE_ADMIN)
    {
      self->audit = cabut_audit_view_new (self->context);
      cabut_desk_view_add_section (self, self->audit, "audit", _("Audit Log"), "document-open-recent-symbolic");
    }
}

static void
review_decided_cb (CabutDeskView *self,
                   CabutRequest  *request)
{
  cabut_desk_view_refresh (self);
}

static void
queue_activated_cb (CabutDeskView *self,
                    CabutRequest  *request)
{
  cabut_desk_view_show_request (self, cabut_request_get_id (request));
}

/* Back: from a request to the queue, from the desk to the assistant. */
static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CabutDeskView *self = CABUT_DESK_VIEW (widget);

  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "review"))
    {
      show_sections (self);
      cabut_queue_view_focus_list (self->queue_view);
      return;
    }

  gtk_widget_activate_action (widget, "win.show-assistant", NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CabutDeskView *self = CABUT_DESK_VIEW (widget);

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "sections"))
    return;
  adw_view_stack_set_visible_child_name (self->sections, "queue");
  cabut_queue_view_focus_search (self->queue_view);
}

/* GObject */

static void
cabut_desk_view_constructed (GObject *object)
{
  CabutDeskView *self = (CabutDeskView *)object;

  G_OBJECT_CLASS (cabut_desk_view_parent_class)->constructed (object);

  self->review_page = CABUT_REVIEW_PAGE (cabut_review_page_new (self->context));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->review_page), "review");
  g_signal_connect_object (self->review_page, "decided", G_CALLBACK (review_decided_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::profile", G_CALLBACK (profile_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::demo", G_CALLBACK (fill_demo_account), self, G_CONNECT_SWAPPED);
  profile_changed_cb (self);
}

static void
cabut_desk_view_dispose (GObject *object)
{
  CabutDeskView *self = (CabutDeskView *)object;

  g_cancellable_cancel (self->cancellable);
  stop_following (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_DESK_VIEW);

  G_OBJECT_CLASS (cabut_desk_view_parent_class)->dispose (object);
}

static void
cabut_desk_view_finalize (GObject *object)
{
  CabutDeskView *self = (CabutDeskView *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->officer, g_free);
  g_clear_pointer (&self->review_id, g_free);

  G_OBJECT_CLASS (cabut_desk_view_parent_class)->finalize (object);
}

static void
cabut_desk_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CabutDeskView *self = CABUT_DESK_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_desk_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CabutDeskView *self = CABUT_DESK_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_desk_view_class_init (CabutDeskViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cabut_desk_view_constructed;
  object_class->dispose = cabut_desk_view_dispose;
  object_class->finalize = cabut_desk_view_finalize;
  object_class->get_property = cabut_desk_view_get_property;
  object_class->set_property = cabut_desk_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CABUT_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CABUT_TYPE_QUEUE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-desk-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutDeskView, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskView, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskView, stack);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskView, username_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskView, password_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskView, totp_row);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskView, status_label);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskView, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskView, sections);
  gtk_widget_class_bind_template_child (widget_class, CabutDeskView, queue_view);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, queue_activated_cb);

  gtk_widget_class_install_action (widget_class, "desk.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "desk.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "desk.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "desk.search", NULL);
}

static void
cabut_desk_view_init (CabutDeskView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  cabut_name_icon_buttons (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
cabut_desk_view_new (CabutContext *context)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  return g_object_new (CABUT_TYPE_DESK_VIEW, "context", context, NULL);
}

/**
 * cabut_desk_view_present:
 *
 * Gets the desk ready to be seen: the sign-in form filled with the demo's
 * officer when there is one, and the focus where work starts.
 */
void
cabut_desk_view_present (CabutDeskView *self)
{
  const char *visible;

  g_return_if_fail (CABUT_IS_DESK_VIEW (self));

  visible = gtk_stack_get_visible_child_name (self->stack);
  if (g_str_equal (visible, "sign-in"))
    {
      fill_demo_account (self);
      update_sign_in_button (self);
      if (*gtk_editable_get_text (GTK_EDITABLE (self->username_row)) == '\0')
        gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
      else if (gtk_widget_get_sensitive (GTK_WIDGET (self->sign_in_button)))
        gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
    }
  else if (g_str_equal (visible, "sections"))
    cabut_queue_view_focus_list (self->queue_view);
}

/**
 * cabut_desk_view_add_section:
 * @child: the section's view
 * @name: its name in the view stack, e.g. "complaints"
 * @title: its translated title, shown in the view switcher
 * @icon_name: its symbolic icon
 *
 * Adds a section to the desk, after the queue.
 */
void
cabut_desk_view_add_section (CabutDeskView *self,
                             GtkWidget     *child,
                             const char    *name,
                             const char    *title,
                             const char    *icon_name)
{
  AdwViewStackPage *page;

  g_return_if_fail (CABUT_IS_DESK_VIEW (self));
  g_return_if_fail (GTK_IS_WIDGET (child));

  page = adw_view_stack_add_titled (self->sections, child, name, title);
  adw_view_stack_page_set_icon_name (page, icon_name);
}

/**
 * cabut_desk_view_show_request:
 * @request_id: the request number, e.g. "CBT-2026-000001"
 *
 * Shows the review of a request in front of the sections; Back (Escape)
 * returns to them.
 */
void
cabut_desk_view_show_request (CabutDeskView *self,
                              const char    *request_id)
{
  g_autofree char *title = NULL;

  g_return_if_fail (CABUT_IS_DESK_VIEW (self));
  g_return_if_fail (request_id != NULL);

  /* Translators: %s is a request number */
  title = g_strdup_printf (_("Request %s"), request_id);
  cabut_set_str (&self->review_id, request_id);
  cabut_review_page_show_request (self->review_page, request_id);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
  adw_view_switcher_title_set_title (self->switcher_title, title);
  gtk_stack_set_visible_child_name (self->stack, "review");
  gtk_widget_grab_focus (GTK_WIDGET (self->review_page));
}

/** cabut_desk_view_refresh: reads the queue again, as a decision made here asks */
void
cabut_desk_view_refresh (CabutDeskView *self)
{
  g_return_if_fail (CABUT_IS_DESK_VIEW (self));
  cabut_queue_view_refresh (self->queue_view);
}

/** cabut_desk_view_get_officer: Returns: whether an officer is signed in, so the sections are open */
gboolean
cabut_desk_view_get_officer (CabutDeskView *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_VIEW (self), FALSE);
  return self->officer != NULL;
}

/** cabut_desk_view_get_visible: Returns: "sign-in", "sections" or "review" */
const char *
cabut_desk_view_get_visible (CabutDeskView *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

CabutQueueView *
cabut_desk_view_get_queue_view (CabutDeskView *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_VIEW (self), NULL);
  return self->queue_view;
}

GtkWidget *
cabut_desk_view_get_sign_in_button (CabutDeskView *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_VIEW (self), NULL);
  return GTK_WIDGET (self->sign_in_button);
}

/** cabut_desk_view_get_status: Returns: what the sign-in form says, or "" */
const char *
cabut_desk_view_get_status (CabutDeskView *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_VIEW (self), NULL);
  return gtk_label_get_label (self->status_label);
}

/** cabut_desk_view_get_review_page: Returns: (transfer none): the review of the request shown */
CabutReviewPage *
cabut_desk_view_get_review_page (CabutDeskView *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_VIEW (self), NULL);
  return self->review_page;
}

/** cabut_desk_view_get_complaints: Returns: (transfer none) (nullable): the Complaints section, while an officer is signed in */
GtkWidget *
cabut_desk_view_get_complaints (CabutDeskView *self)
{
  g_return_val_if_fail (CABUT_IS_DESK_VIEW (self), NULL);
  return self->complaints;
}

/** cabut_desk_view_get_section: Returns: (transfer none) (nullable): the section named @name ("queue" aside), while shown */
GtkWidget *
cabut_desk_view_get_section (CabutDeskView *self,
                             const char    *name)
{
  g_return_val_if_fail (CABUT_IS_DESK_VIEW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return adw_view_stack_get_child_by_name (self->sections, name);
}
