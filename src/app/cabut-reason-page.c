/* cabut-reason-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-reason-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-reason-page.h"
#include "cabut-util.h"

/* Step 5: one reason from the service's list, with plain help for each;
 * the neutral one preselected (CA/B Forum BR §7.2.2), officer-only reasons
 * never offered; and the applicant's own account of what happened. */
struct _CabutReasonPage
{
  CabutPage            parent_instance;

  AdwPreferencesGroup *reasons_group;
  AdwPreferencesGroup *compromise_group;
  AdwActionRow        *compromise_row;
  GtkTextView         *note_view;

  GPtrArray           *rows;
  GtkCheckButton      *first_check;
  gboolean             syncing;
};

G_DEFINE_FINAL_TYPE (CabutReasonPage, cabut_reason_page, CABUT_TYPE_PAGE)

#define NEUTRAL_REASON "unspecified"
#define KEY_COMPROMISE "keyCompromise"

static void
update_compromise (CabutReasonPage *self)
{
  CabutDraft *draft = cabut_page_get_draft (CABUT_PAGE (self));
  CabutCertificate *certificate = cabut_draft_get_certificate (draft);
  gboolean compromise = g_strcmp0 (cabut_draft_get_reason (draft), KEY_COMPROMISE) == 0;
  const char *text;

  gtk_widget_set_visible (GTK_WIDGET (self->compromise_group), compromise);
  if (!compromise)
    return;

  if (certificate != NULL && cabut_certificate_has_private_key (certificate) &&
      cabut_certificate_key_matches (certificate))
    text = _("Someone else has, or may have, your private key: a lost laptop or token, a shared password, "
             "malware. Signatures made with it after this day cannot be trusted. Your request will carry "
             "proof that you hold the key, signed with it.");
  else
    text = _("Someone else has, or may have, your private key: a lost laptop or token, a shared password, "
             "malware. Signatures made with it after this day cannot be trusted. The certificate file you "
             "chose holds no private key, so the request cannot prove you hold it; the officer will rely on "
             "your letter.");
  adw_action_row_set_subtitle (self->compromise_row, text);
}

static void
check_toggled_cb (GtkCheckButton  *check,
                  CabutReasonPage *self)
{
  CabutReasonItem *item;

  if (self->syncing || !gtk_check_button_get_active (check))
    return;

  item = g_object_get_data (G_OBJECT (check), "reason");
  cabut_draft_set_reason (cabut_page_get_draft (CABUT_PAGE (self)), cabut_reason_item_get_name (item));
  cabut_page_set_complete (CABUT_PAGE (self), TRUE);
  update_compromise (self);
}

static void
select_reason (CabutReasonPage *self,
               const char      *name)
{
  self->syncing = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (self->rows, i);
      GtkCheckButton *check = GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (row));
      CabutReasonItem *item = g_object_get_data (G_OBJECT (check), "reason");

      gtk_check_button_set_active (check, g_strcmp0 (cabut_reason_item_get_name (item), name) == 0);
    }
  self->syncing = FALSE;
}

static void
update_reasons (CabutReasonPage *self)
{
  GListModel *reasons = cabut_context_get_reasons (cabut_page_get_context (CABUT_PAGE (self)));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->reasons_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  self->first_check = NULL;

  for (guint i = 0; reasons != NULL && i < g_list_model_get_n_items (reasons); i++)
    {
      g_autoptr(CabutReasonItem) item = g_list_model_get_item (reasons, i);
      GtkWidget *row;
      GtkWidget *check;

      if (cabut_reason_item_get_operator_only (item))
        continue;

      check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cabut_reason_item_get_label (item),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, cabut_reason_item_get_help (item),
                                      -1);
      g_object_set_data_full (G_OBJECT (check), "reason", g_object_ref (item), g_object_unref);
      if (self->first_check != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->first_check);
      else
        self->first_check = GTK_CHECK_BUTTON (check);
      g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), self);

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cabut_reason_item_get_label (item));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cabut_reason_item_get_help (item));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->reasons_group, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
note_changed_cb (GtkTextBuffer   *buffer,
                 CabutReasonPage *self)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (self->syncing)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  cabut_draft_set_note (cabut_page_get_draft (CABUT_PAGE (self)), *g_strstrip (text) != '\0' ? text : NULL);
}

static void
cabut_reason_page_shown (CabutPage *page)
{
  CabutReasonPage *self = CABUT_REASON_PAGE (page);
  CabutDraft *draft = cabut_page_get_draft (page);
  const char *note = cabut_draft_get_note (draft);
  g_autofree char *current = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;

  if (self->rows->len == 0)
    update_reasons (self);

  if (cabut_draft_get_reason (draft) == NULL)
    cabut_draft_set_reason (draft, NEUTRAL_REASON);
  select_reason (self, cabut_draft_get_reason (draft));
  cabut_page_set_complete (page, cabut_draft_get_reason (draft) != NULL && self->rows->len > 0);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  current = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (g_strcmp0 (g_strstrip (current), note ? note : "") != 0)
    {
      self->syncing = TRUE;
      gtk_text_buffer_set_text (buffer, note ? note : "", -1);
      self->syncing = FALSE;
    }

  update_compromise (self);
}

static void
cabut_reason_page_constructed (GObject *object)
{
  CabutReasonPage *self = (CabutReasonPage *)object;

  G_OBJECT_CLASS (cabut_reason_page_parent_class)->constructed (object);

  g_signal_connect_object (cabut_page_get_context (CABUT_PAGE (self)), "notify::reasons",
                           G_CALLBACK (update_reasons), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->note_view), "changed",
                           G_CALLBACK (note_changed_cb), self, 0);
}

static void
cabut_reason_page_finalize (GObject *object)
{
  CabutReasonPage *self = (CabutReasonPage *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cabut_reason_page_parent_class)->finalize (object);
}

static void
cabut_reason_page_class_init (CabutReasonPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CabutPageClass *page_class = CABUT_PAGE_CLASS (klass);

  object_class->constructed = cabut_reason_page_constructed;
  object_class->finalize = cabut_reason_page_finalize;
  page_class->shown = cabut_reason_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-reason-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutReasonPage, reasons_group);
  gtk_widget_class_bind_template_child (widget_class, CabutReasonPage, compromise_group);
  gtk_widget_class_bind_template_child (widget_class, CabutReasonPage, compromise_row);
  gtk_widget_class_bind_template_child (widget_class, CabutReasonPage, note_view);
}

static void
cabut_reason_page_init (CabutReasonPage *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
