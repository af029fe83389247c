/* cabut-assistant.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-assistant.h"
#include "cabut-step-indicator.h"

/* The wizard's frame, after gnome-initial-setup's GisAssistant: a stack of
 * pages, Back and Next in the header bar. Next is sensitive while the page
 * is complete; it runs the page's apply (sign-in, upload) and moves on when
 * that succeeds. Back never loses anything: the pages keep the draft. */
struct _CabutAssistant
{
  GtkBox              parent_instance;

  GtkStack           *stack;
  GtkButton          *back_button;
  GtkButton          *cancel_button;
  GtkButton          *next_button;
  GtkStack           *next_stack;
  GtkLabel           *next_label;
  GtkSpinner         *spinner;
  AdwWindowTitle     *title;
  CabutStepIndicator *steps;
  GtkRevealer        *rejection_revealer;
  GtkLabel           *rejection_label;

  GPtrArray          *pages;          /* CabutPage, in order */
  CabutPage          *current;
  GCancellable       *apply_cancellable;
  CabutDraftStep      resume_target;
  gboolean            resuming;
  gboolean            applying;
};

G_DEFINE_FINAL_TYPE (CabutAssistant, cabut_assistant, GTK_TYPE_BOX)

static void show_page (CabutAssistant *self, CabutPage *page);

static guint
page_index (CabutAssistant *self,
            CabutPage      *page)
{
  guint index = 0;

  if (page == NULL || !g_ptr_array_find (self->pages, page, &index))
    return G_MAXUINT;

  return index;
}

static CabutPage *
find_page (CabutAssistant *self,
           CabutPage      *from,
           int             direction)
{
  guint index = page_index (self, from);

  if (index == G_MAXUINT)
    return NULL;

  for (int i = (int) index + direction; i >= 0 && i < (int) self->pages->len; i += direction)
    {
      CabutPage *page = g_ptr_array_index (self->pages, i);

      if (gtk_widget_get_visible (GTK_WIDGET (page)))
        return page;
    }

  return NULL;
}

static void
update_next_label (CabutAssistant *self,
                   const char     *label)
{
  g_autofree char *name = NULL;
  GString *plain;

  if (g_strcmp0 (gtk_label_get_label (self->next_label), label) == 0)
    return;

  gtk_label_set_text_with_mnemonic (self->next_label, label);

  /* The button's name for screen readers: the label without its mnemonic. */
  plain = g_string_new (label);
  g_string_replace (plain, "_", "", 0);
  name = g_string_free (plain, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->next_button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* A draft filing a rejected request again says why it was rejected on
 * every step up to sending it. */
static void
update_rejection (CabutAssistant *self)
{
  CabutDraft *draft = self->current != NULL ? cabut_page_get_draft (self->current) : NULL;
  const char *note = draft != NULL ? cabut_draft_get_rejection_note (draft) : NULL;
  CabutDraftStep step = self->current != NULL ? cabut_page_get_step (self->current) : CABUT_DRAFT_STEP_WELCOME;
  gboolean show = note != NULL && step >= CABUT_DRAFT_STEP_CERTIFICATE && step <= CABUT_DRAFT_STEP_CHECK &&
                  cabut_draft_get_state (draft) == CABUT_DRAFT_STATE_EDITING;

  if (show)
    {
      /* Translators: %s is the verification officer's note on why the request was rejected */
      g_autofree char *text = g_strdup_printf (_("Rejected: %s — fix this before you send again"), note);

      if (g_strcmp0 (gtk_label_get_label (self->rejection_label), text) != 0)
        gtk_label_set_text (self->rejection_label, text);
    }
  gtk_revealer_set_reveal_child (self->rejection_revealer, show);
}

static void
update_navigation (CabutAssistant *self)
{
  CabutPage *page = self->current;
  gboolean busy, complete, has_next, can_back;

  if (page == NULL)
    return;

  busy = cabut_page_get_busy (page);
  complete = cabut_page_get_complete (page);
  has_next = find_page (self, page, 1) != NULL;
  can_back = cabut_page_get_can_go_back (page) && find_page (self, page, -1) != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), can_back && !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), has_next);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), complete && !busy);
  update_next_label (self, cabut_page_get_next_label (page));
  gtk_stack_set_visible_child (self->next_stack, busy ? GTK_WIDGET (self->spinner) : GTK_WIDGET (self->next_label));
  gtk_spinner_set_spinning (self->spinner, busy);

  adw_window_title_set_title (self->title, cabut_page_get_title (page));
  update_rejection (self);
}

static void
update_steps (CabutAssistant *self)
{
  guint n = 0, current = 0;

  for (guint i = 0; i < self->pages->len; i++)
    {
      CabutPage *page = g_ptr_array_index (self->pages, i);

      if (!gtk_widget_get_visible (GTK_WIDGET (page)))
        continue;
      if (page == self->current)
        current = n;
      n++;
    }

  if (cabut_step_indicator_get_steps (self->steps) != n)
    cabut_step_indicator_set_steps (self->steps, n);
  cabut_step_indicator_set_current (self->steps, current,
                                    self->current ? cabut_page_get_title (self->current) : NULL);
}

static void
page_notify_cb (CabutAssistant *self,
                GParamSpec     *pspec,
                CabutPage      *page)
{
  if (page != self->current)
    {
      if (g_str_equal (pspec->name, "visible"))
        update_steps (self);
      return;
    }

  update_navigation (self);
  if (g_str_equal (pspec->name, "visible") || g_str_equal (pspec->name, "title"))
    update_steps (self);

  /* Resuming, a page that was reading what the draft holds (a letter, the
   * profile) is passed once it is done and complete. Typing never moves on
   * by itself: only "busy" ending does. */
  if (self->resuming && !self->applying && g_str_equal (pspec->name, "busy") && !cabut_page_get_busy (page) &&
      cabut_page_get_complete (page) && cabut_page_get_step (page) < self->resume_target)
    cabut_assistant_next (self);
}

static void
show_page (CabutAssistant *self,
           CabutPage      *page)
{
  CabutDraft *draft;

  g_assert (CABUT_IS_PAGE (page));

  self->current = page;
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));

  draft = cabut_page_get_draft (page);
  if (draft != NULL && cabut_page_get_step (page) > cabut_draft_get_step (draft))
    cabut_draft_set_step (draft, cabut_page_get_step (page));

  cabut_page_shown (page);
  update_navigation (self);
  update_steps (self);

  /* While resuming, pages that are complete already are passed on the way
   * to where the applicant was; a page that needs them (signing in again)
   * waits for its Next, and the way on continues after it. */
  if (self->resuming && cabut_page_get_step (page) >= self->resume_target)
    self->resuming = FALSE;
  else if (self->resuming && cabut_page_get_complete (page) && !cabut_page_get_busy (page))
    cabut_assistant_next (self);
}

static void
move_forward (CabutAssistant *self)
{
  CabutPage *next = find_page (self, self->current, 1);

  if (next != NULL)
    show_page (self, next);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CabutAssistant) self = user_data;
  CabutPage *page = CABUT_PAGE (object);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = cabut_page_apply_finish (page, result, &error);
  cabut_page_set_busy (page, FALSE);
  self->applying = FALSE;
  g_clear_object (&self->apply_cancellable);

  if (!ok)
    {
      /* The page says what went wrong, where it happened. */
      self->resuming = FALSE;
      g_debug ("Page “%s” not applied: %s", cabut_page_get_title (page), error ? error->message : "");
      update_navigation (self);
      return;
    }

  if (page == self->current)
    move_forward (self);
}

static void
back_clicked_cb (CabutAssistant *self)
{
  cabut_assistant_back (self);
}

static void
cancel_clicked_cb (CabutAssistant *self)
{
  if (self->apply_cancellable != NULL)
    g_cancellable_cancel (self->apply_cancellable);
}

static void
next_clicked_cb (CabutAssistant *self)
{
  cabut_assistant_next (self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  cabut_assistant_next (CABUT_ASSISTANT (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  cabut_assistant_back (CABUT_ASSISTANT (widget));
}

static void
go_to_step_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  cabut_assistant_go_to_step (CABUT_ASSISTANT (widget), g_variant_get_uint32 (parameter));
}

static void
cabut_assistant_dispose (GObject *object)
{
  CabutAssistant *self = (CabutAssistant *)object;

  if (self->apply_cancellable != NULL)
    g_cancellable_cancel (self->apply_cancellable);
  g_clear_object (&self->apply_cancellable);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  self->current = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_ASSISTANT);

  G_OBJECT_CLASS (cabut_assistant_parent_class)->dispose (object);
}

static void
cabut_assistant_class_init (CabutAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_assistant_dispose;

  g_type_ensure (CABUT_TYPE_STEP_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, next_stack);
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, next_label);
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, spinner);
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, title);
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, steps);
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, rejection_revealer);
  gtk_widget_class_bind_template_child (widget_class, CabutAssistant, rejection_label);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);

  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "assistant.go-to-step", "u", go_to_step_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "assistant.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "assistant.next", NULL);
}

static void
cabut_assistant_init (CabutAssistant *self)
{
  self->pages = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_label_set_mnemonic_widget (self->next_label, GTK_WIDGET (self->next_button));
  update_next_label (self, _("_Next"));
}

/** cabut_assistant_add_page: adds @page after the others */
void
cabut_assistant_add_page (CabutAssistant *self,
                          CabutPage      *page)
{
  g_return_if_fail (CABUT_IS_ASSISTANT (self));
  g_return_if_fail (CABUT_IS_PAGE (page));

  g_ptr_array_add (self->pages, page);
  gtk_stack_add_child (self->stack, GTK_WIDGET (page));
  g_signal_connect_object (page, "notify", G_CALLBACK (page_notify_cb), self, G_CONNECT_SWAPPED);

  if (self->current == NULL)
    show_page (self, page);
  else
    {
      update_navigation (self);
      update_steps (self);
    }
}

CabutPage *
cabut_assistant_get_current_page (CabutAssistant *self)
{
  g_return_val_if_fail (CABUT_IS_ASSISTANT (self), NULL);
  return self->current;
}

/** cabut_assistant_get_page: Returns: (transfer none) (nullable): the page of @step */
CabutPage *
cabut_assistant_get_page (CabutAssistant *self,
                          CabutDraftStep  step)
{
  g_return_val_if_fail (CABUT_IS_ASSISTANT (self), NULL);

  for (guint i = 0; i < self->pages->len; i++)
    {
      CabutPage *page = g_ptr_array_index (self->pages, i);

      if (cabut_page_get_step (page) == step)
        return page;
    }

  return NULL;
}

/** cabut_assistant_go_to_step: shows the page of @step, e.g. to fix what a check found */
void
cabut_assistant_go_to_step (CabutAssistant *self,
                            CabutDraftStep  step)
{
  CabutPage *page;

  g_return_if_fail (CABUT_IS_ASSISTANT (self));

  if ((page = cabut_assistant_get_page (self, step)) == NULL || page == self->current)
    return;

  if (self->apply_cancellable != NULL)
    g_cancellable_cancel (self->apply_cancellable);
  self->resuming = FALSE;
  show_page (self, page);
}

/** cabut_assistant_next: what the Next button (and Enter) does */
void
cabut_assistant_next (CabutAssistant *self)
{
  CabutPage *page;

  g_return_if_fail (CABUT_IS_ASSISTANT (self));

  page = self->current;
  if (page == NULL || !cabut_page_get_complete (page) || cabut_page_get_busy (page) ||
      find_page (self, page, 1) == NULL)
    return;

  g_clear_object (&self->apply_cancellable);
  self->apply_cancellable = g_cancellable_new ();
  self->applying = TRUE;
  cabut_page_set_busy (page, TRUE);

  if (!cabut_page_apply_async (page, self->apply_cancellable, apply_cb, g_object_ref (self)))
    {
      /* Nothing to apply: the callback will not come. */
      g_object_unref (self);
      cabut_page_set_busy (page, FALSE);
      self->applying = FALSE;
      g_clear_object (&self->apply_cancellable);
      move_forward (self);
    }
}

void
cabut_assistant_back (CabutAssistant *self)
{
  CabutPage *previous;

  g_return_if_fail (CABUT_IS_ASSISTANT (self));

  if (self->current == NULL || !cabut_page_get_can_go_back (self->current))
    return;

  if (self->apply_cancellable != NULL)
    g_cancellable_cancel (self->apply_cancellable);
  self->resuming = FALSE;

  if ((previous = find_page (self, self->current, -1)) != NULL)
    show_page (self, previous);
}

/**
 * cabut_assistant_resume:
 * @target: the step the applicant had reached
 *
 * Moves on from the current page through every complete page, stopping at
 * the first that needs the applicant (signing in again, a password) or at
 * @target.
 */
void
cabut_assistant_resume (CabutAssistant *self,
                        CabutDraftStep  target)
{
  g_return_if_fail (CABUT_IS_ASSISTANT (self));

  self->resume_target = target;
  self->resuming = TRUE;
  cabut_assistant_next (self);
}

GtkWidget *
cabut_assistant_get_next_button (CabutAssistant *self)
{
  g_return_val_if_fail (CABUT_IS_ASSISTANT (self), NULL);
  return GTK_WIDGET (self->next_button);
}
