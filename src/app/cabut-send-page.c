/* cabut-send-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-send-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-core-enums.h"
#include "cabut-send-page.h"
#include "cabut-util.h"

/* Step 8: the request goes into the outbox on this computer first — the
 * signed metadata (proof of key possession when the private key is at hand)
 * and a private copy of the letter — and only then is uploaded, with one
 * idempotency key for every retry, after a network failure, a server error,
 * a stop, or a crash and a new start. The service never files it twice. */
struct _CabutSendPage
{
  CabutPage       parent_instance;

  AdwStatusPage  *status;
  GtkProgressBar *progress;
  GtkButton      *stop_button;
  GtkButton      *fix_button;
  GtkButton      *retry_button;

  GCancellable   *cancellable;
  CabutDraftStep  fix_step;
  gboolean        sending;
};

G_DEFINE_FINAL_TYPE (CabutSendPage, cabut_send_page, CABUT_TYPE_PAGE)

static void send (CabutSendPage *self);

static void
set_sending (CabutSendPage *self,
             gboolean       sending)
{
  self->sending = sending;
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), sending);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), sending);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), !sending);
  if (sending)
    gtk_widget_set_visible (GTK_WIDGET (self->fix_button), FALSE);
  cabut_page_set_can_go_back (CABUT_PAGE (self), !sending);
}

static void
fail (CabutSendPage  *self,
      const char     *title,
      const char     *description,
      const char     *fix_label,
      CabutDraftStep  fix_step)
{
  set_sending (self, FALSE);
  adw_status_page_set_icon_name (self->status, "dialog-warning-symbolic");
  adw_status_page_set_title (self->status, title);
  adw_status_page_set_description (self->status, description);
  gtk_widget_set_visible (GTK_WIDGET (self->fix_button), fix_label != NULL);
  if (fix_label != NULL)
    {
      gtk_button_set_label (self->fix_button, fix_label);
      self->fix_step = fix_step;
    }
}

static void
fail_with_error (CabutSendPage *self,
                 const GError  *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fail (self, _("Sending Stopped"),
            _("Your request is saved on this computer and has not been filed yet. Send it when you are ready; "
              "it will never be filed twice."),
            NULL, 0);
      return;
    }

  if (error->domain == CABUT_AMS_ERROR)
    {
      switch ((CabutAmsError) error->code)
        {
        case CABUT_AMS_ERROR_FORBIDDEN:
          fail (self, _("The Service Refused the Request"), error->message, _("_Check Again"),
                CABUT_DRAFT_STEP_CHECK);
          return;
        case CABUT_AMS_ERROR_TOO_LARGE:
        case CABUT_AMS_ERROR_UNSUPPORTED_TYPE:
          fail (self, _("The Service Refused the Letter"), error->message, _("_Attach Another Letter"),
                CABUT_DRAFT_STEP_LETTER);
          return;
        case CABUT_AMS_ERROR_UNAUTHORIZED:
          fail (self, _("Your Session Has Ended"),
                _("Sign in again; your request is kept and will be sent as it is."), _("_Sign In"),
                CABUT_DRAFT_STEP_SIGN_IN);
          return;
        case CABUT_AMS_ERROR_CONFLICT:
          fail (self, _("A Request Is Already Open"), error->message, NULL, 0);
          return;
        case CABUT_AMS_ERROR_NETWORK:
        case CABUT_AMS_ERROR_SERVER:
        case CABUT_AMS_ERROR_TLS:
        case CABUT_AMS_ERROR_INSECURE_URL:
        case CABUT_AMS_ERROR_INVALID_URL:
        case CABUT_AMS_ERROR_TOTP_REQUIRED:
        case CABUT_AMS_ERROR_LOCKED:
        case CABUT_AMS_ERROR_NOT_FOUND:
        case CABUT_AMS_ERROR_BAD_REQUEST:
        case CABUT_AMS_ERROR_PROTOCOL:
        default:
          break;
        }
    }

  {
    g_autofree char *description = NULL;

    /* Translators: %s is the reason it failed */
    description = g_strdup_printf (_("%s\n\nYour request is saved on this computer. Try again; it will never be "
                                     "filed twice."), error->message);
    fail (self, _("The Request Could Not Be Sent"), description, NULL, 0);
  }
}

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  CabutSendPage *self = user_data;
  g_autofree char *sent_text = g_format_size (sent);
  g_autofree char *total_text = g_format_size (total);
  g_autofree char *text = NULL;

  if (total <= 0)
    return;

  /* Translators: bytes sent so far, of the total, e.g. "1.2 MB of 3.4 MB" */
  text = g_strdup_printf (_("%s of %s"), sent_text, total_text);
  gtk_progress_bar_set_fraction (self->progress, CLAMP ((double) sent / total, 0.0, 1.0));
  gtk_progress_bar_set_text (self->progress, text);
}

static void
marked_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CabutSendPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Filed at the service either way; the store only lags behind. */
  if (!cabut_store_mark_sent_finish (CABUT_STORE (object), result, &error))
    g_warning ("Failed to record the filed request on this computer: %s", error->message);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CabutSendPage) self = user_data;
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));
  CabutDraft *draft = cabut_page_get_draft (CABUT_PAGE (self));
  g_autoptr(CabutRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = cabut_ams_client_send_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (request == NULL)
    {
      fail_with_error (self, error);
      return;
    }

  cabut_context_set_last_request (context, request);
  cabut_draft_set_request_id (draft, cabut_request_get_id (request));
  cabut_draft_set_state (draft, CABUT_DRAFT_STATE_SENT);
  cabut_store_mark_sent_async (cabut_context_get_store (context), cabut_draft_get_idempotency_key (draft), request,
                               NULL, marked_sent_cb, g_object_ref (self));

  set_sending (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  cabut_page_set_can_go_back (CABUT_PAGE (self), FALSE);
  cabut_page_set_complete (CABUT_PAGE (self), TRUE);
  cabut_page_next (CABUT_PAGE (self));
}

static void
letter_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CabutOutboxItem) item = user_data;
  CabutSendPage *self = g_object_get_data (G_OBJECT (item), "page");
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GError) error = NULL;

  letter = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (letter == NULL)
    {
      fail_with_error (self, error);
      g_object_unref (self);
      return;
    }

  adw_status_page_set_description (self->status, _("Uploading the letter…"));
  cabut_ams_client_send_async (cabut_context_get_client (context), cabut_outbox_item_get_submission (item), letter,
                               cabut_outbox_item_get_letter_name (item), progress_cb, self, self->cancellable,
                               sent_cb, self);
}

static void
outbox_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CabutSendPage) self = user_data;
  CabutDraft *draft = cabut_page_get_draft (CABUT_PAGE (self));
  g_autoptr(GListModel) outbox = NULL;
  g_autoptr(GError) error = NULL;

  outbox = cabut_store_list_outbox_finish (CABUT_STORE (object), result, &error);
  if (outbox == NULL)
    {
      fail_with_error (self, error);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (outbox); i++)
    {
      g_autoptr(CabutOutboxItem) item = g_list_model_get_item (outbox, i);

      if (g_strcmp0 (cabut_outbox_item_get_idempotency_key (item), cabut_draft_get_idempotency_key (draft)) == 0)
        {
          g_object_set_data (G_OBJECT (item), "page", self);
          g_file_load_bytes_async (cabut_outbox_item_get_letter_file (item), self->cancellable, letter_read_cb,
                                   g_object_ref (item));
          g_steal_pointer (&self);   /* the reference goes on with the upload */
          return;
        }
    }

  /* QUEUED but not in the outbox: only an edited database does that. */
  cabut_draft_set_state (draft, CABUT_DRAFT_STATE_EDITING);
  send (self);
}

static void
queued_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CabutSendPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_store_queue_submission_finish (CABUT_STORE (object), result, &error))
    {
      g_autofree char *description = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          fail_with_error (self, error);
          return;
        }

      /* Translators: %s is the reason */
      description = g_strdup_printf (_("Cabut could not record the request on this computer before sending it, "
                                       "so nothing was sent: %s"), error->message);
      fail (self, _("The Request Could Not Be Saved"), description, NULL, 0);
      return;
    }

  cabut_store_list_outbox_async (CABUT_STORE (object), self->cancellable, outbox_cb, g_object_ref (self));
}

typedef struct
{
  CabutCertificate *certificate;
  char             *reason;
  char             *note;
  char             *key;
  GFile            *letter_file;
  GBytes           *letter;
  CabutSubmission  *submission;
} Prepare;

static void
prepare_free (Prepare *prepare)
{
  g_clear_object (&prepare->certificate);
  g_free (prepare->reason);
  g_free (prepare->note);
  g_free (prepare->key);
  g_clear_object (&prepare->letter_file);
  g_clear_pointer (&prepare->letter, g_bytes_unref);
  g_clear_object (&prepare->submission);
  g_free (prepare);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Prepare *prepare = task_data;
  GError *error = NULL;
  char *contents = NULL;
  gsize length = 0;

  /* Signing is crypto and reading the letter is disk: not on the main loop. */
  prepare->submission = cabut_submission_new (prepare->certificate, prepare->reason, prepare->note, prepare->key,
                                              &error);
  if (prepare->submission == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!g_file_load_contents (prepare->letter_file, cancellable, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  prepare->letter = g_bytes_new_take (contents, length);

  g_task_return_boolean (task, TRUE);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CabutSendPage *self = CABUT_SEND_PAGE (object);
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));
  Prepare *prepare = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail_with_error (self, error);
      return;
    }

  name = g_file_get_basename (prepare->letter_file);
  adw_status_page_set_description (self->status, _("Saving the request on this computer…"));
  cabut_store_queue_submission_async (cabut_context_get_store (context), cabut_page_get_draft (CABUT_PAGE (self)),
                                      prepare->submission, prepare->letter, name, self->cancellable, queued_cb,
                                      g_object_ref (self));
}

static void
send (CabutSendPage *self)
{
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));
  CabutDraft *draft = cabut_page_get_draft (CABUT_PAGE (self));
  CabutStore *store = cabut_context_get_store (context);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  adw_status_page_set_icon_name (self->status, "mail-send-symbolic");
  adw_status_page_set_title (self->status, _("Sending Your Request"));
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_progress_bar_set_text (self->progress, NULL);
  set_sending (self, TRUE);

  if (store == NULL)
    {
      fail (self, _("The Request Could Not Be Saved"),
            _("Cabut cannot keep anything on this computer (see the message at the top of the window), so it "
              "sends nothing: a request that is not recorded here could be lost or filed twice."),
            NULL, 0);
      return;
    }
  if (cabut_context_get_client (context) == NULL || cabut_context_get_profile (context) == NULL)
    {
      fail (self, _("Sign In First"), _("Your request is kept; sign in to send it."), _("_Sign In"),
            CABUT_DRAFT_STEP_SIGN_IN);
      return;
    }

  if (cabut_draft_get_state (draft) == CABUT_DRAFT_STATE_QUEUED)
    {
      adw_status_page_set_description (self->status, _("Sending the saved request…"));
      cabut_store_list_outbox_async (store, self->cancellable, outbox_cb, g_object_ref (self));
    }
  else
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, prepared_cb, NULL);
      Prepare *prepare = g_new0 (Prepare, 1);

      if (cabut_draft_get_certificate (draft) == NULL || cabut_draft_get_letter_file (draft) == NULL ||
          cabut_draft_get_reason (draft) == NULL)
        {
          prepare_free (prepare);
          fail (self, _("Something Is Missing"), _("Go back and check the request."), _("_Check Again"),
                CABUT_DRAFT_STEP_CHECK);
          return;
        }

      prepare->certificate = g_object_ref (cabut_draft_get_certificate (draft));
      prepare->reason = g_strdup (cabut_draft_get_reason (draft));
      prepare->note = g_strdup (cabut_draft_get_note (draft));
      prepare->key = g_strdup (cabut_draft_get_idempotency_key (draft));
      prepare->letter_file = g_object_ref (cabut_draft_get_letter_file (draft));
      g_task_set_task_data (task, prepare, (GDestroyNotify) prepare_free);
      adw_status_page_set_description (self->status, _("Preparing the request…"));
      g_task_run_in_thread (task, prepare_thread);
    }
}

static void
stop_clicked_cb (CabutSendPage *self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
retry_clicked_cb (CabutSendPage *self)
{
  send (self);
}

static void
fix_clicked_cb (CabutSendPage *self)
{
  cabut_page_go_to_step (CABUT_PAGE (self), self->fix_step);
}

static void
cabut_send_page_shown (CabutPage *page)
{
  CabutSendPage *self = CABUT_SEND_PAGE (page);

  /* Done only for the draft it sent: a new one (started over, or filing a
   * rejected request again) is sent in its turn. */
  if (!self->sending && cabut_draft_get_state (cabut_page_get_draft (page)) != CABUT_DRAFT_STATE_SENT)
    cabut_page_set_complete (page, FALSE);

  if (!self->sending && !cabut_page_get_complete (page))
    send (self);
}

static void
cabut_send_page_dispose (GObject *object)
{
  CabutSendPage *self = (CabutSendPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cabut_send_page_parent_class)->dispose (object);
}

static void
cabut_send_page_class_init (CabutSendPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CabutPageClass *page_class = CABUT_PAGE_CLASS (klass);

  object_class->dispose = cabut_send_page_dispose;
  page_class->shown = cabut_send_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-send-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutSendPage, status);
  gtk_widget_class_bind_template_child (widget_class, CabutSendPage, progress);
  gtk_widget_class_bind_template_child (widget_class, CabutSendPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, CabutSendPage, fix_button);
  gtk_widget_class_bind_template_child (widget_class, CabutSendPage, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, stop_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fix_clicked_cb);
}

static void
cabut_send_page_init (CabutSendPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
