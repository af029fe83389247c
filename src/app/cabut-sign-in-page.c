/* cabut-sign-in-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "cabut-sign-in-page.h"
#include "cabut-util.h"

/* Step 4: sign in to the certificate management service. The one-time
 * code field appears only when the service asks for it; every failure is
 * said in words next to the fields. */
struct _CabutSignInPage
{
  CabutPage            parent_instance;

  AdwActionRow        *server_row;
  AdwEntryRow         *username_row;
  AdwPasswordEntryRow *password_row;
  AdwEntryRow         *totp_row;
  AdwActionRow        *remember_row;
  GtkSwitch           *remember_switch;
  GtkLabel            *status_label;

  GCancellable        *keyring_cancellable;
  guint                lookup_id;
  char                *looked_up;       /* server and user name last asked of the keyring */
};

G_DEFINE_FINAL_TYPE (CabutSignInPage, cabut_sign_in_page, CABUT_TYPE_PAGE)

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CabutSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* No keyring on this desktop: nothing to offer. */
  gtk_widget_set_visible (GTK_WIDGET (self->remember_row), error == NULL);
  if (error != NULL)
    {
      g_debug ("No desktop keyring: %s", error->message);
      return;
    }

  gtk_switch_set_active (self->remember_switch, password != NULL);
  if (password != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  secret_password_free (password);
}

static void
look_up_password (CabutSignInPage *self)
{
  const char *server = cabut_context_get_server_url (cabut_page_get_context (CABUT_PAGE (self)));
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  g_autofree char *key = g_strconcat (server ? server : "", "\n", username, NULL);

  if (server == NULL || *username == '\0' || g_strcmp0 (key, self->looked_up) == 0)
    return;

  g_free (self->looked_up);
  self->looked_up = g_steal_pointer (&key);
  g_cancellable_cancel (self->keyring_cancellable);
  g_clear_object (&self->keyring_cancellable);
  self->keyring_cancellable = g_cancellable_new ();
  secret_password_lookup (cabut_password_schema (), self->keyring_cancellable, looked_up_cb, g_object_ref (self),
                          "server", server, "username", username, NULL);
}

static void
keyring_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean stored = GPOINTER_TO_INT (user_data);

  if (stored ? !secret_password_store_finish (result, &error) : !secret_password_clear_finish (result, &error))
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to update the desktop keyring: %s", error->message);
    }
}

/* After a successful sign-in: keep the password, or forget it. */
static void
remember_password (CabutSignInPage *self,
                   const char      *server,
                   const char      *username,
                   const char      *password)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->remember_row)))
    return;

  if (gtk_switch_get_active (self->remember_switch))
    {
      /* Translators: the label of the password in the keyring; %s is a user name, then an address */
      g_autofree char *label = g_strdup_printf (_("Cabut password of %s at %s"), username, server);

      secret_password_store (cabut_password_schema (), SECRET_COLLECTION_DEFAULT, label, password, NULL,
                             keyring_done_cb, GINT_TO_POINTER (TRUE),
                             "server", server, "username", username, NULL);
    }
  else
    secret_password_clear (cabut_password_schema (), NULL, keyring_done_cb, GINT_TO_POINTER (FALSE),
                           "server", server, "username", username, NULL);
}

static gboolean
signed_in_as_entered (CabutSignInPage *self)
{
  CabutProfile *profile = cabut_context_get_profile (cabut_page_get_context (CABUT_PAGE (self)));

  return profile != NULL &&
         g_strcmp0 (cabut_profile_get_username (profile),
                    gtk_editable_get_text (GTK_EDITABLE (self->username_row))) == 0 &&
         *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0';
}

static void
show_status (CabutSignInPage *self,
             const char      *message,
             gboolean         is_error)
{
  cabut_show_status (self->status_label, message, is_error);
}

static void
update_complete (CabutSignInPage *self)
{
  cabut_page_set_complete (CABUT_PAGE (self),
                           signed_in_as_entered (self) ||
                           cabut_sign_in_filled (GTK_EDITABLE (self->username_row), GTK_EDITABLE (self->password_row),
                                                 GTK_EDITABLE (self->totp_row)));
}

static gboolean
look_up_cb (gpointer user_data)
{
  CabutSignInPage *self = user_data;

  self->lookup_id = 0;
  look_up_password (self);

  return G_SOURCE_REMOVE;
}

static void
entry_changed_cb (CabutSignInPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
  update_complete (self);
}

/* A remembered password is looked up once the user name stops changing. */
static void
username_changed_cb (CabutSignInPage *self)
{
  g_clear_handle_id (&self->lookup_id, g_source_remove);
  self->lookup_id = g_timeout_add (400, look_up_cb, self);
}

static void
entry_activated_cb (CabutSignInPage *self)
{
  cabut_page_next (CABUT_PAGE (self));
}

static void
update_server (CabutSignInPage *self)
{
  const char *url = cabut_context_get_server_url (cabut_page_get_context (CABUT_PAGE (self)));

  adw_action_row_set_subtitle (self->server_row, url != NULL && *url != '\0' ? url : _("Not set"));
}

static void
cabut_sign_in_page_shown (CabutPage *page)
{
  CabutSignInPage *self = CABUT_SIGN_IN_PAGE (page);
  CabutContext *context = cabut_page_get_context (page);
  CabutDraft *draft = cabut_page_get_draft (page);
  CabutDemoAccount *demo = cabut_context_get_demo_account (context);
  const char *username = cabut_draft_get_username (draft);

  update_server (self);

  if (*gtk_editable_get_text (GTK_EDITABLE (self->username_row)) == '\0' && username != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);

  /* The demo's passwords are on its first page already. */
  if (demo != NULL && g_strcmp0 (username, cabut_demo_account_get_username (demo)) == 0 &&
      *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0' &&
      cabut_context_get_profile (context) == NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), cabut_demo_account_get_password (demo));

  if (cabut_context_get_profile (context) != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is a person's name */
      text = g_strdup_printf (_("Signed in as %s."),
                              cabut_profile_get_full_name (cabut_context_get_profile (context)));
      show_status (self, text, FALSE);
    }

  update_complete (self);
  look_up_password (self);

  if (*gtk_editable_get_text (GTK_EDITABLE (self->username_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
  else if (!signed_in_as_entered (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CabutSignInPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!cabut_context_sign_in_finish (CABUT_CONTEXT (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          show_status (self, NULL, FALSE);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      message = cabut_describe_sign_in_error (error);
      show_status (self, message, TRUE);

      if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_TOTP_REQUIRED))
        {
          gtk_widget_set_visible (GTK_WIDGET (self->totp_row), TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->totp_row));
        }
      else if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_UNAUTHORIZED))
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "error");
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
          gtk_editable_select_region (GTK_EDITABLE (self->password_row), 0, -1);
        }
      update_complete (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  remember_password (self, cabut_context_get_server_url (CABUT_CONTEXT (object)),
                     gtk_editable_get_text (GTK_EDITABLE (self->username_row)),
                     gtk_editable_get_text (GTK_EDITABLE (self->password_row)));

  /* The password is not kept here once it has done its work. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->totp_row), "");
  cabut_draft_set_username (cabut_page_get_draft (CABUT_PAGE (self)),
                            gtk_editable_get_text (GTK_EDITABLE (self->username_row)));
  show_status (self, NULL, FALSE);
  update_complete (self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
cabut_sign_in_page_apply_async (CabutPage           *page,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  CabutSignInPage *self = CABUT_SIGN_IN_PAGE (page);
  const char *totp = gtk_editable_get_text (GTK_EDITABLE (self->totp_row));
  GTask *task;

  if (signed_in_as_entered (self))
    return FALSE;

  task = g_task_new (self, cancellable, callback, user_data);
  show_status (self, _("Signing in…"), FALSE);
  cabut_context_sign_in_async (cabut_page_get_context (page),
                               gtk_editable_get_text (GTK_EDITABLE (self->username_row)),
                               gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                               gtk_widget_get_visible (GTK_WIDGET (self->totp_row)) && *totp != '\0' ? totp : NULL,
                               cancellable, signed_in_cb, task);

  return TRUE;
}

static gboolean
cabut_sign_in_page_apply_finish (CabutPage     *page,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cabut_sign_in_page_constructed (GObject *object)
{
  CabutSignInPage *self = (CabutSignInPage *)object;
  CabutContext *context = cabut_page_get_context (CABUT_PAGE (self));

  G_OBJECT_CLASS (cabut_sign_in_page_parent_class)->constructed (object);

  g_signal_connect_object (context, "notify::server-url", G_CALLBACK (update_server), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::profile", G_CALLBACK (update_complete), self, G_CONNECT_SWAPPED);
  update_server (self);
}

static void
cabut_sign_in_page_dispose (GObject *object)
{
  CabutSignInPage *self = (CabutSignInPage *)object;

  g_clear_handle_id (&self->lookup_id, g_source_remove);
  g_cancellable_cancel (self->keyring_cancellable);
  g_clear_object (&self->keyring_cancellable);
  g_clear_pointer (&self->looked_up, g_free);

  G_OBJECT_CLASS (cabut_sign_in_page_parent_class)->dispose (object);
}

static void
cabut_sign_in_page_class_init (CabutSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CabutPageClass *page_class = CABUT_PAGE_CLASS (klass);

  object_class->constructed = cabut_sign_in_page_constructed;
  object_class->dispose = cabut_sign_in_page_dispose;
  page_class->shown = cabut_sign_in_page_shown;
  page_class->apply_async = cabut_sign_in_page_apply_async;
  page_class->apply_finish = cabut_sign_in_page_apply_finish;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, CabutSignInPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, CabutSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CabutSignInPage, totp_row);
  gtk_widget_class_bind_template_child (widget_class, CabutSignInPage, remember_row);
  gtk_widget_class_bind_template_child (widget_class, CabutSignInPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, CabutSignInPage, status_label);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
}

static void
cabut_sign_in_page_init (CabutSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->username_row, "changed", G_CALLBACK (username_changed_cb), self);
}
