/* cabut-letter-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-letter-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-letter-maker.h"
#include "cabut-letter-page.h"
#include "cabut-letter-preview.h"
#include "cabut-util.h"

/* Step 6: the pre-filled letter to print and sign (CabutLetterMaker),
 * then its signed scan, chosen or dropped, checked before anything is
 * sent — PDF, JPEG or PNG by its content, within the service's size
 * limit, readable — and shown. */
struct _CabutLetterPage
{
  CabutPage             parent_instance;

  CabutLetterMaker     *maker;
  AdwActionRow         *file_row;
  GtkLabel             *error_label;
  AdwPreferencesGroup  *preview_group;
  CabutLetterPreview   *preview;

  GCancellable         *cancellable;
  guint                 loading : 1;
};

G_DEFINE_FINAL_TYPE (CabutLetterPage, cabut_letter_page, CABUT_TYPE_PAGE)

static guint64
max_size (CabutLetterPage *self)
{
  CabutServiceInfo *info = cabut_context_get_service_info (cabut_page_get_context (CABUT_PAGE (self)));

  if (info != NULL && cabut_service_info_get_max_letter_size (info) > 0)
    return cabut_service_info_get_max_letter_size (info);

  return CABUT_LETTER_DEFAULT_MAX_SIZE;
}

static void
show_error (CabutLetterPage *self,
            const char      *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update (CabutLetterPage *self)
{
  CabutDraft *draft = cabut_page_get_draft (CABUT_PAGE (self));
  GFile *shown = cabut_letter_preview_get_file (self->preview);
  gboolean ok = shown != NULL && cabut_draft_get_letter_file (draft) != NULL &&
                g_file_equal (shown, cabut_draft_get_letter_file (draft));

  gtk_widget_set_visible (GTK_WIDGET (self->preview_group), ok);
  if (ok)
    {
      g_autofree char *name = g_file_get_basename (shown);
      g_autofree char *size = g_format_size (cabut_letter_preview_get_size (self->preview));
      const char *type = cabut_letter_preview_get_content_type (self->preview);
      g_autofree char *subtitle = NULL;
      guint pages = cabut_letter_preview_get_n_pages (self->preview);

      if (g_str_equal (type, "application/pdf"))
        /* Translators: a file size, then a number of pages */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "PDF, %s, %u page", "PDF, %s, %u pages", pages),
                                    size, pages);
      else
        /* Translators: an image type such as JPEG, then a file size */
        subtitle = g_strdup_printf (_("%s image, %s"), g_str_equal (type, "image/png") ? "PNG" : "JPEG", size);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), name);
      adw_action_row_set_subtitle (self->file_row, subtitle);
    }
  else if (!self->loading)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), _("No letter attached yet"));
      adw_action_row_set_subtitle (self->file_row, "");
    }

  cabut_page_set_complete (CABUT_PAGE (self), ok && !self->loading);
  cabut_page_set_busy (CABUT_PAGE (self), self->loading || cabut_letter_maker_get_busy (self->maker));
}

static void
maker_busy_cb (CabutLetterPage *self)
{
  update (self);
}

/* The place is offered again on the next letter. */
static void
maker_file_cb (CabutLetterPage *self)
{
  GSettings *settings = cabut_context_get_settings (cabut_page_get_context (CABUT_PAGE (self)));
  const char *place = cabut_letter_form_get_place (cabut_letter_maker_get_form (self->maker));

  if (settings != NULL && place != NULL)
    g_settings_set_string (settings, "letter-place", place);
}

static void
edit_chronology_cb (CabutLetterPage *self)
{
  cabut_page_go_to_step (CABUT_PAGE (self), CABUT_DRAFT_STEP_REASON);
}

/* The letter says what the draft and the account say now. */
static void
fill_form (CabutLetterPage *self)
{
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));
  CabutDraft *draft = cabut_page_get_draft (CABUT_PAGE (self));
  CabutLetterForm *form = cabut_letter_maker_get_form (self->maker);
  CabutCertificate *certificate = cabut_draft_get_certificate (draft);
  const char *place = cabut_letter_form_get_place (form);

  cabut_letter_form_set_certificate (form, certificate);
  cabut_letter_form_set_profile (form, cabut_context_get_profile (context));
  cabut_letter_form_set_reason (form, cabut_draft_get_reason (draft));
  cabut_letter_form_set_chronology (form, cabut_draft_get_note (draft));
  cabut_letter_form_set_draft_key (form, cabut_draft_get_idempotency_key (draft));

  if (place == NULL || *place == '\0')
    {
      GSettings *settings = cabut_context_get_settings (context);
      g_autofree char *remembered = settings != NULL ? g_settings_get_string (settings, "letter-place") : NULL;
      g_autofree char *locality = NULL;

      if (remembered != NULL && *remembered != '\0')
        cabut_letter_form_set_place (form, remembered);
      else if (certificate != NULL &&
               (locality = cabut_dn_dup_value (cabut_certificate_get_subject (certificate), "L")) != NULL)
        cabut_letter_form_set_place (form, locality);
    }
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CabutLetterPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_letter_preview_load_finish (self->preview, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      self->loading = FALSE;
      show_error (self, error->message);
      /* The draft keeps only a letter that can be sent. */
      cabut_draft_set_letter_file (cabut_page_get_draft (CABUT_PAGE (self)), NULL);
      update (self);
      return;
    }

  self->loading = FALSE;
  show_error (self, NULL);
  cabut_draft_set_letter_file (cabut_page_get_draft (CABUT_PAGE (self)),
                               cabut_letter_preview_get_file (self->preview));
  update (self);
}

static void
load (CabutLetterPage *self,
      GFile           *file)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  self->loading = TRUE;
  show_error (self, NULL);
  adw_action_row_set_subtitle (self->file_row, _("Reading…"));
  cabut_page_set_complete (CABUT_PAGE (self), FALSE);
  cabut_page_set_busy (CABUT_PAGE (self), TRUE);
  cabut_letter_preview_load_async (self->preview, file, max_size (self), self->cancellable, loaded_cb,
                                   g_object_ref (self));
}

static void
file_chosen (GtkWidget *widget,
             GFile     *file)
{
  load (CABUT_LETTER_PAGE (widget), file);
}

static void
choose_clicked_cb (CabutLetterPage *self)
{
  static const char * const suffixes[] = { "pdf", "jpg", "jpeg", "png" };
  static const char * const types[] = { "application/pdf", "image/jpeg", "image/png" };
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Letters (PDF, JPEG, PNG)"));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    gtk_file_filter_add_mime_type (filter, types[i]);

  cabut_choose_file (GTK_WIDGET (self), _("Attach the Signed Letter"), _("_Attach"), filter, file_chosen);
}

static void
cabut_letter_page_shown (CabutPage *page)
{
  CabutLetterPage *self = CABUT_LETTER_PAGE (page);
  GFile *letter = cabut_draft_get_letter_file (cabut_page_get_draft (page));
  GFile *shown = cabut_letter_preview_get_file (self->preview);

  fill_form (self);
  /* A letter from a saved draft is checked again: it may have changed. */
  if (letter != NULL && !self->loading && (shown == NULL || !g_file_equal (shown, letter)))
    load (self, letter);
  else
    update (self);
}

static void
cabut_letter_page_dispose (GObject *object)
{
  CabutLetterPage *self = (CabutLetterPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cabut_letter_page_parent_class)->dispose (object);
}

static void
cabut_letter_page_class_init (CabutLetterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CabutPageClass *page_class = CABUT_PAGE_CLASS (klass);

  object_class->dispose = cabut_letter_page_dispose;
  page_class->shown = cabut_letter_page_shown;

  g_type_ensure (CABUT_TYPE_LETTER_PREVIEW);
  g_type_ensure (CABUT_TYPE_LETTER_MAKER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-letter-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutLetterPage, maker);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterPage, file_row);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterPage, preview_group);
  gtk_widget_class_bind_template_child (widget_class, CabutLetterPage, preview);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, edit_chronology_cb);
  gtk_widget_class_bind_template_callback (widget_class, maker_busy_cb);
  gtk_widget_class_bind_template_callback (widget_class, maker_file_cb);
}

static void
cabut_letter_page_init (CabutLetterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cabut_add_file_drop (GTK_WIDGET (self), file_chosen);
}

/** cabut_letter_page_set_file: attaches @file, as choosing or dropping it does */
void
cabut_letter_page_set_file (CabutLetterPage *self,
                            GFile           *file)
{
  g_return_if_fail (CABUT_IS_LETTER_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  load (self, file);
}
