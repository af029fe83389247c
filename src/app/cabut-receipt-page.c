/* cabut-receipt-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-receipt-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-receipt-page.h"
#include "cabut-util.h"

/* Step 9: the receipt — the request number to quote, when it was filed,
 * when it is due (end of the next working day, WIB), what happens next and
 * whom to contact. */
struct _CabutReceiptPage
{
  CabutPage     parent_instance;

  GtkLabel      *description_label;
  AdwActionRow  *number_row;
  AdwActionRow  *filed_row;
  AdwActionRow  *due_row;
  AdwActionRow  *proof_row;
  AdwActionRow  *contact_row;

  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (CabutReceiptPage, cabut_receipt_page, CABUT_TYPE_PAGE)

static void
cabut_receipt_page_shown (CabutPage *page)
{
  CabutReceiptPage *self = CABUT_RECEIPT_PAGE (page);
  CabutContext *context = cabut_page_get_context (page);
  CabutRequest *request = cabut_context_get_last_request (context);
  CabutServiceInfo *info = cabut_context_get_service_info (context);
  g_autofree char *filed = NULL;
  g_autofree char *due = NULL;
  g_autofree char *description = NULL;
  GString *contact = g_string_new (NULL);

  if (request == NULL)
    return;

  filed = cabut_format_date_time (cabut_request_get_created_at (request));
  due = cabut_format_date_time (cabut_request_get_due (request));
  adw_action_row_set_subtitle (self->number_row, cabut_request_get_id (request));
  adw_action_row_set_subtitle (self->filed_row, filed);
  adw_action_row_set_subtitle (self->due_row, due);
  adw_action_row_set_subtitle (self->proof_row,
                               cabut_request_get_key_possession (request)
                               ? _("Included: the request is signed with your private key")
                               : _("Not included: the certificate file held no private key"));

  /* Translators: %s is a request number such as CBT-2026-000001 */
  description = g_strdup_printf (_("Quote the number %s when you ask about it."), cabut_request_get_id (request));
  gtk_label_set_label (self->description_label, description);

  if (info != NULL)
    {
      const char *parts[] = {
        cabut_service_info_get_agency (info),
        cabut_service_info_get_phone (info),
        cabut_service_info_get_email (info),
        cabut_service_info_get_website (info),
        cabut_service_info_get_office_hours (info),
      };

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          if (parts[i] == NULL || *parts[i] == '\0')
            continue;
          if (contact->len > 0)
            g_string_append (contact, "\n");
          g_string_append (contact, parts[i]);
        }
    }
  if (contact->len == 0)
    g_string_append (contact, _("The service desk of your agency"));
  adw_action_row_set_subtitle (self->contact_row, contact->str);
  g_string_free (contact, TRUE);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CabutRequest *request = cabut_context_get_last_request (cabut_page_get_context (CABUT_PAGE (widget)));

  if (request == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), cabut_request_get_id (request));
  gtk_widget_activate_action (widget, "win.toast", "s", _("Copied"));
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
rendered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) pdf = cabut_receipt_render_finish (result, &error);

  if (pdf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_file_replace_contents_bytes_async (g_task_get_task_data (task), pdf, NULL, FALSE, G_FILE_CREATE_NONE,
                                       g_task_get_cancellable (task), written_cb, g_object_ref (task));
}

/**
 * cabut_receipt_page_save_async:
 *
 * Makes the receipt of the request just filed (in a worker thread) and
 * writes it to @file, as "Save as PDF…" does once a file is chosen.
 */
void
cabut_receipt_page_save_async (CabutReceiptPage    *self,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  CabutContext *context;
  CabutRequest *request;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CABUT_IS_RECEIPT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  context = cabut_page_get_context (CABUT_PAGE (self));
  request = cabut_context_get_last_request (context);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_receipt_page_save_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  if (request == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No request has been filed yet"));
      return;
    }

  cabut_receipt_render_async (request, cabut_context_get_service_info (context), cancellable, rendered_cb,
                              g_steal_pointer (&task));
}

gboolean
cabut_receipt_page_save_finish (CabutReceiptPage  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CabutReceiptPage *self = CABUT_RECEIPT_PAGE (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (!cabut_receipt_page_save_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: a file name, then the error the system gave */
      message = g_strdup_printf (_("The receipt cannot be saved as %s: %s"), name, error->message);
    }
  else
    /* Translators: a file name */
    message = g_strdup_printf (_("Receipt saved as %s"), name);

  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static void
save_response_cb (GtkNativeDialog  *chooser,
                  int               response,
                  CabutReceiptPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    cabut_receipt_page_save_async (self, file, self->cancellable, saved_cb, g_object_ref (file));

  g_object_set_data (G_OBJECT (self), "cabut-save-chooser", NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CabutReceiptPage *self = CABUT_RECEIPT_PAGE (widget);
  CabutRequest *request = cabut_context_get_last_request (cabut_page_get_context (CABUT_PAGE (widget)));
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (request == NULL || g_object_get_data (G_OBJECT (self), "cabut-save-chooser") != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save the Receipt"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = cabut_receipt_file_name (request);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* GTK keeps no reference to a native dialog: the page does, until it answers. */
  g_object_set_data_full (G_OBJECT (self), "cabut-save-chooser", chooser, g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cabut_receipt_page_dispose (GObject *object)
{
  CabutReceiptPage *self = (CabutReceiptPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_object_set_data (object, "cabut-save-chooser", NULL);

  G_OBJECT_CLASS (cabut_receipt_page_parent_class)->dispose (object);
}

static void
cabut_receipt_page_class_init (CabutReceiptPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CabutPageClass *page_class = CABUT_PAGE_CLASS (klass);

  object_class->dispose = cabut_receipt_page_dispose;
  page_class->shown = cabut_receipt_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-receipt-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, number_row);
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, filed_row);
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, due_row);
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, proof_row);
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, contact_row);

  gtk_widget_class_install_action (widget_class, "receipt.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "receipt.save", NULL, save_action);
}

static void
cabut_receipt_page_init (CabutReceiptPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
