/* cabut-complaint-thread.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-complaint-thread"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cabut-complaint-thread.h"
#include "cabut-util.h"

/* One complaint: its state and deadline, its conversation, and what the
 * person looking may write next — the applicant replies; an officer
 * answers, escalates to an official or marks it solved (an escalated one:
 * only an official, the admin role, answers or settles it). Each step goes
 * to the service, and the complaint it answers replaces the one shown. */

struct _CabutComplaintThread
{
  GtkWidget       parent_instance;

  CabutContext   *context;
  CabutComplaint *complaint;
  GCancellable   *cancellable;
  gboolean        officer;
  gboolean        busy;

  GtkLabel       *title_label;
  AdwActionRow   *state_row;
  AdwActionRow   *due_row;
  AdwActionRow   *applicant_row;
  AdwActionRow   *request_row;
  GtkListBox     *entries_list;
  GtkWidget      *write_box;
  GtkLabel       *write_label;
  GtkTextView    *text_view;
  GtkLabel       *error_label;
  GtkWidget      *reply_button;
  GtkWidget      *answer_button;
  GtkWidget      *escalate_button;
  GtkWidget      *resolve_button;
};

G_DEFINE_FINAL_TYPE (CabutComplaintThread, cabut_complaint_thread, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COMPLAINT,
  PROP_BUSY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "filed") == 0)
    return _("Complaint filed");
  if (g_strcmp0 (kind, "answered") == 0)
    return _("Answered");
  if (g_strcmp0 (kind, "replied") == 0)
    return _("Replied");
  if (g_strcmp0 (kind, "escalated") == 0)
    return _("Escalated to an official");
  if (g_strcmp0 (kind, "resolved") == 0)
    return _("Resolved");

  return kind;
}

static const char *
role_label (const char *role)
{
  if (g_strcmp0 (role, "operator") == 0)
    return _("service desk");
  if (g_strcmp0 (role, "admin") == 0)
    return _("official");

  return NULL;
}

static GtkWidget *
entry_row_new (CabutComplaintEntry *entry)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *heading;
  g_autofree char *at = cabut_format_date_time (cabut_complaint_entry_get_at (entry));
  const char *name = cabut_complaint_entry_get_author_name (entry);
  const char *role = role_label (cabut_complaint_entry_get_author_role (entry));
  const char *text = cabut_complaint_entry_get_text (entry);
  g_autofree char *who = role != NULL ? g_strdup_printf ("%s (%s)", name ? name : "", role) : g_strdup (name);
  /* Translators: what happened, who did it, and when, e.g. "Answered — Dewi (service desk), 2 December 2026, 10:00 WIB" */
  g_autofree char *line = g_strdup_printf (_("%s — %s, %s"), kind_label (cabut_complaint_entry_get_kind (entry)),
                                           who ? who : "", at);

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  heading = gtk_label_new (line);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_widget_add_css_class (heading, "caption");
  gtk_box_append (GTK_BOX (box), heading);
  if (text != NULL)
    {
      GtkWidget *body = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (body), 0);
      gtk_label_set_wrap (GTK_LABEL (body), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (body), TRUE);
      gtk_box_append (GTK_BOX (box), body);
    }

  return box;
}

/* What can be written next, by whom. */
static void
update_actions (CabutComplaintThread *self)
{
  CabutComplaintState state = self->complaint ? cabut_complaint_get_state (self->complaint)
                                              : CABUT_COMPLAINT_STATE_RESOLVED;
  CabutProfile *profile = cabut_context_get_profile (self->context);
  gboolean admin = profile != NULL && cabut_profile_get_role (profile) == CABUT_ROLE_ADMIN;
  gboolean settled = state == CABUT_COMPLAINT_STATE_RESOLVED;
  gboolean escalated = state == CABUT_COMPLAINT_STATE_ESCALATED;
  gboolean may_answer = self->officer && !settled && (!escalated || admin);

  gtk_widget_set_visible (self->write_box, !settled && (!self->officer || may_answer));
  gtk_widget_set_visible (self->reply_button, !self->officer);
  gtk_widget_set_visible (self->answer_button, self->officer);
  gtk_widget_set_visible (self->resolve_button, self->officer);
  gtk_widget_set_visible (self->escalate_button, self->officer && !escalated);
  gtk_label_set_text_with_mnemonic (self->write_label, self->officer ? _("Your _Answer") : _("Your _Reply"));
  gtk_widget_set_sensitive (self->write_box, !self->busy);
}

static void
update (CabutComplaintThread *self)
{
  CabutComplaint *complaint = self->complaint;
  GtkWidget *child;
  GListModel *entries;
  g_autofree char *due = NULL;
  g_autofree char *applicant = NULL;
  g_autofree char *title = NULL;
  CabutComplaintState state;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->entries_list))) != NULL)
    gtk_list_box_remove (self->entries_list, child);
  update_actions (self);
  if (complaint == NULL)
    return;

  state = cabut_complaint_get_state (complaint);
  /* Translators: %s is a complaint number, e.g. CBT-K-2026-000001 */
  title = g_strdup_printf (_("Complaint %s"), cabut_complaint_get_id (complaint));
  gtk_label_set_text (self->title_label, title);
  adw_action_row_set_subtitle (self->state_row, cabut_complaint_state_to_label (state));
  due = cabut_format_date_time (cabut_complaint_get_due (complaint));
  if (cabut_complaint_get_overdue (complaint))
    {
      /* Translators: %s is a deadline that has passed */
      g_autofree char *late = g_strdup_printf (_("%s (overdue)"), due);
      adw_action_row_set_subtitle (self->due_row, late);
    }
  else
    adw_action_row_set_subtitle (self->due_row, due);
  gtk_widget_set_visible (GTK_WIDGET (self->due_row),
                          state == CABUT_COMPLAINT_STATE_OPEN || state == CABUT_COMPLAINT_STATE_ESCALATED);
  applicant = g_strdup_printf ("%s (%s)", cabut_complaint_get_applicant_name (complaint),
                               cabut_complaint_get_applicant_username (complaint));
  adw_action_row_set_subtitle (self->applicant_row, applicant);
  gtk_widget_set_visible (GTK_WIDGET (self->applicant_row), self->officer);
  adw_action_row_set_subtitle (self->request_row, cabut_complaint_get_request (complaint));
  gtk_widget_set_visible (GTK_WIDGET (self->request_row), cabut_complaint_get_request (complaint) != NULL);

  entries = cabut_complaint_get_entries (complaint);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CabutComplaintEntry) entry = g_list_model_get_item (entries, i);

      gtk_list_box_append (self->entries_list, entry_row_new (entry));
    }
}

static void
set_busy (CabutComplaintThread *self,
          gboolean              busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
stepped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CabutComplaintThread) self = user_data;
  g_autoptr(CabutComplaint) complaint = NULL;
  g_autoptr(GError) error = NULL;

  complaint = cabut_ams_client_complaint_step_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (complaint == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", -1);
  cabut_complaint_thread_set_complaint (self, complaint);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
take_step (CabutComplaintThread *self,
           const char           *action)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->complaint == NULL || self->busy)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  if (*text == '\0' && !g_str_equal (action, "escalate"))
    {
      gtk_label_set_text (self->error_label, _("Write something first"));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
      return;
    }

  set_busy (self, TRUE);
  cabut_ams_client_complaint_step_async (cabut_context_get_client (self->context),
                                         cabut_complaint_get_id (self->complaint), action,
                                         *text != '\0' ? text : NULL, self->cancellable, stepped_cb,
                                         g_object_ref (self));
}

static void
reply_clicked_cb (CabutComplaintThread *self)
{
  take_step (self, "reply");
}

static void
answer_clicked_cb (CabutComplaintThread *self)
{
  take_step (self, "answer");
}

static void
escalate_clicked_cb (CabutComplaintThread *self)
{
  take_step (self, "escalate");
}

static void
resolve_clicked_cb (CabutComplaintThread *self)
{
  take_step (self, "resolve");
}

static void
cabut_complaint_thread_dispose (GObject *object)
{
  CabutComplaintThread *self = (CabutComplaintThread *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_COMPLAINT_THREAD);
  /* The template's root box is a child of ours: a GtkWidget drops its own. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->complaint);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cabut_complaint_thread_parent_class)->dispose (object);
}

static void
cabut_complaint_thread_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CabutComplaintThread *self = CABUT_COMPLAINT_THREAD (object);

  switch (prop_id)
    {
    case PROP_COMPLAINT:
      g_value_set_object (value, self->complaint);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_complaint_thread_class_init (CabutComplaintThreadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_complaint_thread_dispose;
  object_class->get_property = cabut_complaint_thread_get_property;

  properties[PROP_COMPLAINT] =
    g_param_spec_object ("complaint", NULL, NULL, CABUT_TYPE_COMPLAINT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CabutComplaintThread::changed:
   *
   * A step was taken: the complaint shown is the service's answer to it.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-complaint-thread.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, title_label);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, state_row);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, due_row);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, applicant_row);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, request_row);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, entries_list);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, write_box);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, write_label);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, text_view);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, error_label);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, reply_button);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, answer_button);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, escalate_button);
  gtk_widget_class_bind_template_child (widget_class, CabutComplaintThread, resolve_button);
  gtk_widget_class_bind_template_callback (widget_class, reply_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, answer_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, escalate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resolve_clicked_cb);
}

static void
cabut_complaint_thread_init (CabutComplaintThread *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * cabut_complaint_thread_new:
 * @officer: %TRUE on the desk (answer, escalate, resolve); %FALSE for the
 *   applicant (reply)
 */
GtkWidget *
cabut_complaint_thread_new (CabutContext *context,
                            gboolean      officer)
{
  CabutComplaintThread *self;

  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  self = g_object_new (CABUT_TYPE_COMPLAINT_THREAD, NULL);
  self->context = g_object_ref (context);
  self->officer = officer;
  update (self);

  return GTK_WIDGET (self);
}

/** cabut_complaint_thread_get_complaint: Returns: (transfer none) (nullable) */
CabutComplaint *
cabut_complaint_thread_get_complaint (CabutComplaintThread *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT_THREAD (self), NULL);
  return self->complaint;
}

/** cabut_complaint_thread_set_complaint: @complaint: (nullable): one with its entries */
void
cabut_complaint_thread_set_complaint (CabutComplaintThread *self,
                                      CabutComplaint       *complaint)
{
  g_return_if_fail (CABUT_IS_COMPLAINT_THREAD (self));

  if (self->complaint != NULL && complaint != NULL &&
      g_strcmp0 (cabut_complaint_get_id (self->complaint), cabut_complaint_get_id (complaint)) != 0)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", -1);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
    }
  if (!g_set_object (&self->complaint, complaint))
    return;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLAINT]);
}

gboolean
cabut_complaint_thread_get_busy (CabutComplaintThread *self)
{
  g_return_val_if_fail (CABUT_IS_COMPLAINT_THREAD (self), FALSE);
  return self->busy;
}

/* The start of @text, at most @max characters, cut after a whole word
 * with an ellipsis when there is more. */
static char *
excerpt (const char *text,
         glong       max)
{
  g_autofree char *start = NULL;
  char *space;

  if (g_utf8_strlen (text, -1) <= max)
    return g_strdup (text);
  start = g_utf8_substring (text, 0, max);
  if ((space = strrchr (start, ' ')) != NULL && space > start)
    *space = '\0';
  return g_strconcat (start, "…", NULL);
}

/**
 * cabut_complaint_row_new:
 * @with_applicant: whose complaint it is, for the desk
 *
 * Returns: (transfer floating): a row for a list of complaints: number and
 *   state, the start of its text, its deadline while the service owes an
 *   answer (overdue marked)
 */
GtkWidget *
cabut_complaint_row_new (CabutComplaint *complaint,
                         gboolean        with_applicant)
{
  GtkWidget *row = adw_action_row_new ();
  CabutComplaintState state = cabut_complaint_get_state (complaint);
  g_autofree char *start = excerpt (cabut_complaint_get_text (complaint), 80);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *due = cabut_format_date_time (cabut_complaint_get_due (complaint));
  g_strdelimit (start, "\n", ' ');
  /* Translators: a complaint's number and its state, e.g. "CBT-K-2026-000001 · Answered" */
  title = g_strdup_printf (_("%s · %s"), cabut_complaint_get_id (complaint), cabut_complaint_state_to_label (state));
  subtitle = with_applicant ? g_strdup_printf ("%s — %s", cabut_complaint_get_applicant_name (complaint), start)
                            : g_strdup (start);
  if (state == CABUT_COMPLAINT_STATE_OPEN || state == CABUT_COMPLAINT_STATE_ESCALATED)
    {
      g_autofree char *with_due = NULL;

      /* Translators: a complaint's text, then when the service owes its answer */
      with_due = g_strdup_printf (cabut_complaint_get_overdue (complaint) ? _("%s\nAnswer was due %s")
                                                                           : _("%s\nAnswer due %s"),
                                  subtitle, due);
      g_free (subtitle);
      subtitle = g_steal_pointer (&with_due);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  if (cabut_complaint_get_overdue (complaint))
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "error");
      gtk_widget_set_tooltip_text (icon, _("Overdue"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Overdue"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "complaint", g_object_ref (complaint), g_object_unref);

  return row;
}
