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
cabut_receipt_page_class_init (CabutReceiptPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CabutPageClass *page_class = CABUT_PAGE_CLASS (klass);

  page_class->shown = cabut_receipt_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-receipt-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, number_row);
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, filed_row);
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, due_row);
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, proof_row);
  gtk_widget_class_bind_template_child (widget_class, CabutReceiptPage, contact_row);

  gtk_widget_class_install_action (widget_class, "receipt.copy", NULL, copy_action);
}

static void
cabut_receipt_page_init (CabutReceiptPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
