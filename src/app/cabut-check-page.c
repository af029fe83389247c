/* cabut-check-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-check-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-check-page.h"
#include "cabut-core-enums.h"
#include "cabut-letter-preview.h"
#include "cabut-util.h"

/* Step 7, the service standard's step 5: the data the service holds beside
 * the letter, and the checks Cabut can make — the certificate is registered
 * to this account with the same Subject DN (explained attribute by attribute
 * when not), the letter is attached and readable, a reason is chosen. Each
 * failed check leads back to the step that fixes it. */
struct _CabutCheckPage
{
  CabutPage            parent_instance;

  AdwPreferencesGroup *checks_group;
  AdwPreferencesGroup *data_group;
  AdwPreferencesGroup *letter_group;
  CabutLetterPreview  *preview;
  AdwActionRow        *confirm_row;
  GtkCheckButton      *confirm_check;
  GtkButton           *redo_button;

  GPtrArray           *check_rows;
  GPtrArray           *data_rows;
  GCancellable        *cancellable;
  CabutLetterMatch     letter_match;
  char                *code_error;
  gboolean             unsigned_original;
  guint                checks_ok : 1;
  guint                letter_ok : 1;
  guint                refreshing : 1;
  guint                loading_letter : 1;
  guint                reading_code : 1;
};

typedef enum
{
  CHECK_FAILED,
  CHECK_PASSED,
  CHECK_BY_EYE,   /* nothing Cabut can check: the person compares */
} CheckResult;

G_DEFINE_FINAL_TYPE (CabutCheckPage, cabut_check_page, CABUT_TYPE_PAGE)

static void
update_complete (CabutCheckPage *self)
{
  cabut_page_set_complete (CABUT_PAGE (self),
                           self->checks_ok && self->letter_ok && !self->refreshing && !self->loading_letter &&
                           !self->reading_code && gtk_check_button_get_active (self->confirm_check));
  cabut_page_set_busy (CABUT_PAGE (self), self->refreshing || self->loading_letter || self->reading_code);
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
fix_clicked_cb (GtkButton      *button,
                CabutCheckPage *self)
{
  cabut_page_go_to_step (CABUT_PAGE (self), GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "step")));
}

static GtkWidget *
add_result (CabutCheckPage *self,
            CheckResult     result,
            const char     *title,
            const char     *detail,
            const char     *fix_label,
            CabutDraftStep  fix_step)
{
  static const struct { const char *icon, *style, *label; } looks[] = {
    [CHECK_FAILED] = { "dialog-error-symbolic", "error", N_("Failed") },
    [CHECK_PASSED] = { "emblem-ok-symbolic", "success", N_("Passed") },
    [CHECK_BY_EYE] = { "dialog-information-symbolic", "accent", N_("Compare by eye") },
  };
  gboolean ok = result != CHECK_FAILED;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (looks[result].icon);

  gtk_widget_add_css_class (icon, looks[result].style);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _(looks[result].label), -1);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (detail != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
      cabut_row_wrap_anywhere (ADW_ACTION_ROW (row));
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (!ok && fix_label != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (fix_label);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "step", GUINT_TO_POINTER (fix_step));
      g_signal_connect (button, "clicked", G_CALLBACK (fix_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  adw_preferences_group_add (self->checks_group, row);
  g_ptr_array_add (self->check_rows, row);

  return row;
}

static GtkWidget *
add_check (CabutCheckPage *self,
           gboolean        ok,
           const char     *title,
           const char     *detail,
           const char     *fix_label,
           CabutDraftStep  fix_step)
{
  return add_result (self, ok ? CHECK_PASSED : CHECK_FAILED, title, detail, fix_label, fix_step);
}

static const char *reason_label (CabutCheckPage *self,
                                 const char     *name);

/* What the code Cabut prints on its letters says of this request. */
static gboolean
add_code_check (CabutCheckPage *self,
                const char     *reason)
{
  g_autofree char *detail = NULL;

  if (self->unsigned_original)
    {
      add_check (self, FALSE, _("The letter is not signed yet"),
                 _("You attached the letter as Cabut made it. Print it, sign it, scan the signed page and attach "
                   "the scan."), _("_Attach the Signed Scan"), CABUT_DRAFT_STEP_LETTER);
      return FALSE;
    }
  if (self->code_error != NULL)
    {
      /* Translators: the reason the letter's code could not be read */
      detail = g_strdup_printf (_("Its code cannot be read (%s): compare the letter by eye."), self->code_error);
      add_result (self, CHECK_BY_EYE, _("The letter’s code was not checked"), detail, NULL, 0);
      return TRUE;
    }

  switch (self->letter_match)
    {
    case CABUT_LETTER_MATCH_YES:
      add_check (self, TRUE, _("The letter belongs to this certificate and reason"),
                 _("Cabut read the code printed on it."), NULL, 0);
      return TRUE;

    case CABUT_LETTER_MATCH_OTHER_CERTIFICATE:
      add_check (self, FALSE, _("The letter was made for another certificate"),
                 _("Its code names another certificate — perhaps an older letter. Make the letter again, sign "
                   "it and attach its scan."), _("_Redo the Letter"), CABUT_DRAFT_STEP_LETTER);
      return FALSE;

    case CABUT_LETTER_MATCH_OTHER_REASON:
      /* Translators: a revocation reason */
      detail = g_strdup_printf (_("Its code gives another reason than “%s”. Make the letter again, sign it and "
                                  "attach its scan."), reason_label (self, reason));
      add_check (self, FALSE, _("The letter gives another reason"), detail, _("_Redo the Letter"),
                 CABUT_DRAFT_STEP_LETTER);
      return FALSE;

    case CABUT_LETTER_MATCH_NO_CODE:
    case CABUT_LETTER_MATCH_UNREADABLE:
    default:
      add_result (self, CHECK_BY_EYE, _("Compare the letter by eye"),
                  _("It has no code Cabut can read (written by hand, or scanned unclearly): check that it gives "
                    "your name, NIP, the certificate’s serial number and the reason."), NULL, 0);
      return TRUE;
    }
}

static void
add_data (CabutCheckPage *self,
          const char     *title,
          const char     *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  cabut_row_wrap_anywhere (ADW_ACTION_ROW (row));
  adw_preferences_group_add (self->data_group, row);
  g_ptr_array_add (self->data_rows, row);
}

static const char *
reason_label (CabutCheckPage *self,
              const char     *name)
{
  GListModel *reasons = cabut_context_get_reasons (cabut_page_get_context (CABUT_PAGE (self)));

  for (guint i = 0; reasons != NULL && i < g_list_model_get_n_items (reasons); i++)
    {
      g_autoptr(CabutReasonItem) item = g_list_model_get_item (reasons, i);

      if (g_strcmp0 (cabut_reason_item_get_name (item), name) == 0)
        return cabut_reason_item_get_label (item);
    }

  return name;
}

static void
run_checks (CabutCheckPage *self)
{
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));
  CabutDraft *draft = cabut_page_get_draft (CABUT_PAGE (self));
  CabutProfile *profile = cabut_context_get_profile (context);
  CabutCertificate *certificate = cabut_draft_get_certificate (draft);
  const char *reason = cabut_draft_get_reason (draft);
  gboolean ok = TRUE;

  clear_rows (self->checks_group, self->check_rows);
  clear_rows (self->data_group, self->data_rows);

  if (profile == NULL)
    {
      add_check (self, FALSE, _("You are not signed in"), _("Sign in to compare your data with the service."),
                 _("_Sign In"), CABUT_DRAFT_STEP_SIGN_IN);
      ok = FALSE;
    }
  else if (certificate == NULL)
    {
      add_check (self, FALSE, _("No certificate chosen"), NULL, _("_Choose Certificate"),
                 CABUT_DRAFT_STEP_CERTIFICATE);
      ok = FALSE;
    }
  else
    {
      g_autoptr(GPtrArray) differences = NULL;
      CabutRegisteredCertificate *registered = NULL;
      CabutCertificateMatchResult match;
      g_autofree char *detail = NULL;

      match = cabut_profile_match_certificate (profile, certificate, &registered, &differences);
      switch (match)
        {
        case CABUT_CERTIFICATE_MATCH_OK:
          /* Translators: %s is a user name */
          detail = g_strdup_printf (_("Serial number and Subject DN match a certificate registered to %s."),
                                    cabut_profile_get_username (profile));
          add_check (self, TRUE, _("The certificate is yours"), detail, NULL, 0);
          break;

        case CABUT_CERTIFICATE_MATCH_ALREADY_REVOKED:
          add_check (self, FALSE, _("The certificate is already revoked"),
                     _("The service lists it as revoked: there is nothing left to do."),
                     _("_Choose Another Certificate"), CABUT_DRAFT_STEP_CERTIFICATE);
          ok = FALSE;
          break;

        case CABUT_CERTIFICATE_MATCH_NOT_REGISTERED:
        case CABUT_CERTIFICATE_MATCH_SUBJECT_DIFFERS:
        default:
          {
            GString *text = g_string_new (NULL);

            if (match == CABUT_CERTIFICATE_MATCH_NOT_REGISTERED)
              /* Translators: a serial number, then a user name */
              g_string_append_printf (text, _("No certificate with serial number %s is registered to the "
                                              "account %s."),
                                      cabut_certificate_get_serial (certificate),
                                      cabut_profile_get_username (profile));
            else
              g_string_append (text, _("The service holds this certificate with other holder data."));

            for (guint i = 0; differences != NULL && i < differences->len; i++)
              {
                const CabutDnDifference *difference = g_ptr_array_index (differences, i);

                g_string_append_c (text, '\n');
                /* Translators: an attribute name (e.g. Name), what the service holds, what the file says */
                g_string_append_printf (text, _("%s: the service holds “%s”, your file says “%s”"),
                                        difference->label ? difference->label : difference->name,
                                        difference->registered ? difference->registered : _("nothing"),
                                        difference->file ? difference->file : _("nothing"));
              }
            if (registered != NULL && match == CABUT_CERTIFICATE_MATCH_NOT_REGISTERED)
              g_string_append_printf (text, "\n%s", _("Compared with the closest certificate of your account."));

            add_check (self, FALSE, _("This certificate is not registered to your account"), text->str,
                       _("_Choose Another Certificate"), CABUT_DRAFT_STEP_CERTIFICATE);
            g_string_free (text, TRUE);
            ok = FALSE;
            break;
          }
        }
    }

  if (self->letter_ok)
    {
      add_check (self, TRUE, _("The letter is attached and readable"), NULL, NULL, 0);
      if (!self->reading_code && reason != NULL && certificate != NULL)
        ok &= add_code_check (self, reason);
    }
  else
    {
      add_check (self, FALSE, _("The letter is missing or cannot be read"), NULL, _("_Attach Letter"),
                 CABUT_DRAFT_STEP_LETTER);
      ok = FALSE;
    }

  if (reason != NULL)
    add_check (self, TRUE, _("A reason is chosen"), reason_label (self, reason), NULL, 0);
  else
    {
      add_check (self, FALSE, _("No reason is chosen"), NULL, _("Choose a _Reason"), CABUT_DRAFT_STEP_REASON);
      ok = FALSE;
    }

  if (profile != NULL)
    {
      add_data (self, _("Name"), cabut_profile_get_full_name (profile));
      add_data (self, _("NIP"), cabut_profile_get_nip (profile));
      add_data (self, _("NIK"), cabut_profile_get_nik (profile));
      add_data (self, _("Position"), cabut_profile_get_position (profile));
      add_data (self, _("Work unit"), cabut_profile_get_unit (profile));
      add_data (self, _("Agency"), cabut_profile_get_organization (profile));
      add_data (self, _("E-mail"), cabut_profile_get_email (profile));
    }
  if (certificate != NULL)
    {
      add_data (self, _("Certificate serial number"), cabut_certificate_get_serial (certificate));
      add_data (self, _("Certificate holder (Subject DN)"), cabut_certificate_get_subject_string (certificate));
    }
  if (reason != NULL)
    add_data (self, _("Reason"), reason_label (self, reason));
  add_data (self, _("What happened"), cabut_draft_get_note (draft));

  self->checks_ok = ok;
  update_complete (self);
}

static void
letter_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CabutCheckPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->letter_ok = cabut_letter_preview_load_finish (self->preview, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading_letter = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->letter_group), self->letter_ok);
  run_checks (self);
}

static void
code_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CabutCheckPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->letter_match = cabut_statement_letter_check_finish (result, NULL, &self->unsigned_original, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_pointer (&self->code_error, g_free);
  if (error != NULL)
    self->code_error = g_strdup (error->message);
  self->reading_code = FALSE;
  run_checks (self);
}

static void
profile_refreshed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CabutCheckPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_context_refresh_profile_finish (CABUT_CONTEXT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The profile read at sign-in is still there to compare with. */
      g_debug ("Failed to read the profile again: %s", error->message);
    }

  self->refreshing = FALSE;
  run_checks (self);
}

static void
confirm_toggled_cb (CabutCheckPage *self)
{
  cabut_draft_set_letter_confirmed (cabut_page_get_draft (CABUT_PAGE (self)),
                                    gtk_check_button_get_active (self->confirm_check));
  update_complete (self);
}

static void
redo_clicked_cb (CabutCheckPage *self)
{
  cabut_draft_set_letter_confirmed (cabut_page_get_draft (CABUT_PAGE (self)), FALSE);
  cabut_page_go_to_step (CABUT_PAGE (self), CABUT_DRAFT_STEP_LETTER);
}

static void
cabut_check_page_shown (CabutPage *page)
{
  CabutCheckPage *self = CABUT_CHECK_PAGE (page);
  CabutContext *context = cabut_page_get_context (page);
  CabutDraft *draft = cabut_page_get_draft (page);
  GFile *letter = cabut_draft_get_letter_file (draft);
  CabutCertificate *certificate = cabut_draft_get_certificate (draft);
  CabutServiceInfo *info = cabut_context_get_service_info (context);
  guint64 max_size = info != NULL && cabut_service_info_get_max_letter_size (info) > 0
                       ? cabut_service_info_get_max_letter_size (info) : CABUT_LETTER_DEFAULT_MAX_SIZE;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* The letter and the account may have changed since they were read. */
  self->loading_letter = letter != NULL;
  self->refreshing = cabut_context_get_profile (context) != NULL;
  gtk_check_button_set_active (self->confirm_check, cabut_draft_get_letter_confirmed (draft));
  self->letter_ok = FALSE;
  /* The code Cabut printed on the letter, if it has one, is read meanwhile. */
  self->reading_code = letter != NULL && certificate != NULL && cabut_draft_get_reason (draft) != NULL;
  g_clear_pointer (&self->code_error, g_free);
  self->letter_match = CABUT_LETTER_MATCH_NO_CODE;
  self->unsigned_original = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->letter_group), FALSE);
  run_checks (self);

  if (letter != NULL)
    cabut_letter_preview_load_async (self->preview, letter, max_size, self->cancellable, letter_loaded_cb,
                                     g_object_ref (self));
  if (self->reading_code)
    cabut_statement_letter_check_async (letter, max_size, certificate, cabut_draft_get_reason (draft),
                                        self->cancellable, code_read_cb, g_object_ref (self));
  if (self->refreshing)
    cabut_context_refresh_profile_async (context, self->cancellable, profile_refreshed_cb, g_object_ref (self));
}

static void
cabut_check_page_dispose (GObject *object)
{
  CabutCheckPage *self = (CabutCheckPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cabut_check_page_parent_class)->dispose (object);
}

static void
cabut_check_page_finalize (GObject *object)
{
  CabutCheckPage *self = (CabutCheckPage *)object;

  g_clear_pointer (&self->check_rows, g_ptr_array_unref);
  g_clear_pointer (&self->data_rows, g_ptr_array_unref);
  g_clear_pointer (&self->code_error, g_free);

  G_OBJECT_CLASS (cabut_check_page_parent_class)->finalize (object);
}

static void
cabut_check_page_class_init (CabutCheckPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CabutPageClass *page_class = CABUT_PAGE_CLASS (klass);

  object_class->dispose = cabut_check_page_dispose;
  object_class->finalize = cabut_check_page_finalize;
  page_class->shown = cabut_check_page_shown;

  g_type_ensure (CABUT_TYPE_LETTER_PREVIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-check-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutCheckPage, checks_group);
  gtk_widget_class_bind_template_child (widget_class, CabutCheckPage, data_group);
  gtk_widget_class_bind_template_child (widget_class, CabutCheckPage, letter_group);
  gtk_widget_class_bind_template_child (widget_class, CabutCheckPage, preview);
  gtk_widget_class_bind_template_child (widget_class, CabutCheckPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, CabutCheckPage, confirm_check);
  gtk_widget_class_bind_template_child (widget_class, CabutCheckPage, redo_button);
  gtk_widget_class_bind_template_callback (widget_class, confirm_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, redo_clicked_cb);
}

static void
cabut_check_page_init (CabutCheckPage *self)
{
  self->check_rows = g_ptr_array_new ();
  self->data_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
