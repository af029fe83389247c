/* cabut-context.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-context"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-context.h"
#include "cabut-util.h"

/* What the assistant's pages share: the draft, the local store, the
 * client of the service and what the service told us. Pages never talk
 * to each other; they read and write here. */
struct _CabutContext
{
  GObject           parent_instance;

  GSettings        *settings;
  GCancellable     *cancellable;
  CabutDraft       *draft;
  CabutStore       *store;
  char             *store_path;
  char             *server_url;
  CabutAmsClient   *client;
  GError           *client_error;
  CabutDemoService *demo;
  CabutDemoAccount *demo_account;
  CabutServiceInfo *service_info;
  GDateTime        *service_info_time;
  GPtrArray        *issuers;
  CabutProfile     *profile;
  GListModel       *reasons;
  CabutRequest     *last_request;
  guint             service_info_offline : 1;
  guint             demo_pending : 1;
};

G_DEFINE_FINAL_TYPE (CabutContext, cabut_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DRAFT,
  PROP_STORE,
  PROP_SERVER_URL,
  PROP_CLIENT,
  PROP_DEMO,
  PROP_DEMO_PENDING,
  PROP_SERVICE_INFO,
  PROP_SERVICE_INFO_OFFLINE,
  PROP_ISSUERS,
  PROP_PROFILE,
  PROP_REASONS,
  PROP_LAST_REQUEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
client_language (void)
{
  const char * const *languages = g_get_language_names ();

  /* Indonesian when the session speaks it, English otherwise. */
  for (guint i = 0; languages[i] != NULL; i++)
    {
      if (g_str_has_prefix (languages[i], "id"))
        return "id";
      if (g_str_equal (languages[i], "C") || g_str_has_prefix (languages[i], "en"))
        return "en";
    }

  return "en";
}

static void
set_profile (CabutContext *self,
             CabutProfile *profile)
{
  if (g_set_object (&self->profile, profile))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

static void
set_reasons (CabutContext *self,
             GListModel   *reasons)
{
  if (g_set_object (&self->reasons, reasons))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASONS]);
}

/**
 * cabut_context_new_client:
 *
 * Returns: (transfer full) (nullable): a client of the service, set up as
 *   the context's own (language, the extra CA), with a session of its own
 */
CabutAmsClient *
cabut_context_new_client (CabutContext  *self,
                          GError       **error)
{
  g_autoptr(CabutAmsClient) client = NULL;
  g_autofree char *ca_file = NULL;

  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);

  if ((client = cabut_ams_client_new (self->server_url, error)) == NULL)
    return NULL;
  cabut_ams_client_set_language (client, client_language ());

  if (self->demo != NULL)
    ca_file = cabut_demo_service_get_ca_file (self->demo);
  else
    ca_file = g_settings_get_string (self->settings, "ca-file");

  if (ca_file != NULL && *ca_file != '\0' && !cabut_ams_client_add_ca_file (client, ca_file, error))
    return NULL;

  return g_steal_pointer (&client);
}

/**
 * cabut_context_new_event_feed:
 *
 * The signed-in session's event feed on a client of its own: a client's
 * session keeps two connections, and a long-poll holds one the whole time,
 * so each follower of the feed has its own and the shared client stays free
 * for the pages' calls.
 *
 * Returns: (transfer full) (nullable): the feed, not started; %NULL with
 *   @error set when no client can be made (or nobody is signed in)
 */
CabutEventFeed *
cabut_context_new_event_feed (CabutContext  *self,
                              GError       **error)
{
  g_autoptr(CabutAmsClient) client = NULL;

  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);

  if (self->client == NULL || cabut_ams_client_get_token (self->client) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Nobody is signed in"));
      return NULL;
    }
  if ((client = cabut_context_new_client (self, error)) == NULL)
    return NULL;
  cabut_ams_client_set_token (client, cabut_ams_client_get_token (self->client));

  return cabut_event_feed_new (client);
}

static void
rebuild_client (CabutContext *self)
{
  g_clear_object (&self->client);
  g_clear_error (&self->client_error);
  set_profile (self, NULL);

  if (self->server_url == NULL || *self->server_url == '\0')
    {
      g_set_error_literal (&self->client_error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_INVALID_URL,
                           _("No certificate management service is set: enter its address in Preferences"));
    }
  else
    self->client = cabut_context_new_client (self, &self->client_error);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
settings_changed_cb (CabutContext *self,
                     const char   *key,
                     GSettings    *settings)
{
  g_autofree char *url = NULL;

  /* The demo's service is not the one in the settings. */
  if (self->demo != NULL)
    return;

  url = g_settings_get_string (settings, "server-url");
  if (g_str_equal (key, "server-url"))
    cabut_context_set_server_url (self, url);
  else if (g_str_equal (key, "ca-file"))
    {
      rebuild_client (self);
      cabut_context_refresh_service_info (self);
    }
}

static void
cabut_context_dispose (GObject *object)
{
  CabutContext *self = (CabutContext *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->store != NULL && self->draft != NULL)
    cabut_store_untrack_draft (self->store, self->draft);
  g_clear_object (&self->settings);
  g_clear_object (&self->draft);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->demo);
  g_clear_object (&self->demo_account);
  g_clear_object (&self->service_info);
  g_clear_object (&self->profile);
  g_clear_object (&self->reasons);
  g_clear_object (&self->last_request);
  g_clear_pointer (&self->issuers, g_ptr_array_unref);
  g_clear_pointer (&self->service_info_time, g_date_time_unref);

  G_OBJECT_CLASS (cabut_context_parent_class)->dispose (object);
}

static void
cabut_context_finalize (GObject *object)
{
  CabutContext *self = (CabutContext *)object;

  g_clear_object (&self->cancellable);
  g_clear_error (&self->client_error);
  g_free (self->server_url);
  g_free (self->store_path);

  G_OBJECT_CLASS (cabut_context_parent_class)->finalize (object);
}

static void
cabut_context_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CabutContext *self = CABUT_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_DRAFT:
      g_value_set_object (value, self->draft);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_DEMO:
      g_value_set_object (value, self->demo);
      break;
    case PROP_DEMO_PENDING:
      g_value_set_boolean (value, self->demo_pending);
      break;
    case PROP_SERVICE_INFO:
      g_value_set_object (value, self->service_info);
      break;
    case PROP_SERVICE_INFO_OFFLINE:
      g_value_set_boolean (value, self->service_info_offline);
      break;
    case PROP_ISSUERS:
      g_value_set_boxed (value, self->issuers);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_REASONS:
      g_value_set_object (value, self->reasons);
      break;
    case PROP_LAST_REQUEST:
      g_value_set_object (value, self->last_request);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_context_class_init (CabutContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cabut_context_dispose;
  object_class->finalize = cabut_context_finalize;
  object_class->get_property = cabut_context_get_property;

  properties[PROP_DRAFT] =
    g_param_spec_object ("draft", NULL, NULL, CABUT_TYPE_DRAFT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CABUT_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, CABUT_TYPE_AMS_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_object ("demo", NULL, NULL, CABUT_TYPE_DEMO_SERVICE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO_PENDING] =
    g_param_spec_boolean ("demo-pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE_INFO] =
    g_param_spec_object ("service-info", NULL, NULL, CABUT_TYPE_SERVICE_INFO,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE_INFO_OFFLINE] =
    g_param_spec_boolean ("service-info-offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ISSUERS] =
    g_param_spec_boxed ("issuers", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, CABUT_TYPE_PROFILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASONS] =
    g_param_spec_object ("reasons", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_REQUEST] =
    g_param_spec_object ("last-request", NULL, NULL, CABUT_TYPE_REQUEST,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_context_init (CabutContext *self)
{
  self->cancellable = g_cancellable_new ();
  self->draft = cabut_draft_new ();
}

CabutContext *
cabut_context_new (GSettings *settings)
{
  CabutContext *self;
  g_autofree char *url = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CABUT_TYPE_CONTEXT, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);

  url = g_settings_get_string (settings, "server-url");
  cabut_context_set_server_url (self, url);

  return self;
}

GSettings *
cabut_context_get_settings (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->settings;
}

/** cabut_context_get_cancellable: Returns: (transfer none): cancelled when the window closes */
GCancellable *
cabut_context_get_cancellable (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->cancellable;
}

CabutDraft *
cabut_context_get_draft (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->draft;
}

/** cabut_context_set_draft: the request being prepared; the store keeps it on every change */
void
cabut_context_set_draft (CabutContext *self,
                         CabutDraft   *draft)
{
  g_return_if_fail (CABUT_IS_CONTEXT (self));
  g_return_if_fail (CABUT_IS_DRAFT (draft));

  if (self->draft == draft)
    return;

  if (self->store != NULL && self->draft != NULL)
    cabut_store_untrack_draft (self->store, self->draft);
  g_set_object (&self->draft, draft);
  if (self->server_url != NULL && cabut_draft_get_server_url (draft) == NULL)
    cabut_draft_set_server_url (draft, self->server_url);
  if (self->store != NULL)
    cabut_store_track_draft (self->store, self->draft);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAFT]);
}

/** cabut_context_get_store_path: Returns: where the window opens its store (default: $XDG_DATA_HOME/cabut/cabut.db) */
const char *
cabut_context_get_store_path (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);

  if (self->store_path == NULL)
    self->store_path = cabut_store_get_default_path ();

  return self->store_path;
}

void
cabut_context_set_store_path (CabutContext *self,
                              const char   *path)
{
  g_return_if_fail (CABUT_IS_CONTEXT (self));

  cabut_set_str (&self->store_path, path);
}

CabutStore *
cabut_context_get_store (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->store;
}

void
cabut_context_set_store (CabutContext *self,
                         CabutStore   *store)
{
  g_return_if_fail (CABUT_IS_CONTEXT (self));

  if (self->store == store)
    return;

  if (self->store != NULL)
    cabut_store_untrack_draft (self->store, self->draft);
  g_set_object (&self->store, store);
  /* A draft is kept only once there is something in it; see tracking. */
  if (self->store != NULL)
    cabut_store_track_draft (self->store, self->draft);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  cabut_context_refresh_service_info (self);
}

const char *
cabut_context_get_server_url (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->server_url;
}

void
cabut_context_set_server_url (CabutContext *self,
                              const char   *server_url)
{
  g_return_if_fail (CABUT_IS_CONTEXT (self));

  if (!cabut_set_str (&self->server_url, server_url))
    return;

  if (self->draft != NULL && cabut_draft_get_state (self->draft) == CABUT_DRAFT_STATE_EDITING)
    cabut_draft_set_server_url (self->draft, server_url);

  rebuild_client (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  cabut_context_refresh_service_info (self);
}

/** cabut_context_get_client: Returns: (transfer none) (nullable): see get_client_error when %NULL */
CabutAmsClient *
cabut_context_get_client (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->client;
}

const GError *
cabut_context_get_client_error (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->client_error;
}

CabutDemoService *
cabut_context_get_demo (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->demo;
}

/** cabut_context_set_demo: points everything at the started demo service */
void
cabut_context_set_demo (CabutContext     *self,
                        CabutDemoService *demo)
{
  g_return_if_fail (CABUT_IS_CONTEXT (self));

  if (!g_set_object (&self->demo, demo))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
  if (demo != NULL)
    {
      cabut_context_set_demo_pending (self, FALSE);
      g_clear_pointer (&self->server_url, g_free);
      cabut_context_set_server_url (self, cabut_demo_service_get_url (demo));
    }
}

/** cabut_context_get_demo_pending: Returns: %TRUE while `--demo`'s service is still starting */
gboolean
cabut_context_get_demo_pending (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), FALSE);
  return self->demo_pending;
}

void
cabut_context_set_demo_pending (CabutContext *self,
                                gboolean      pending)
{
  g_return_if_fail (CABUT_IS_CONTEXT (self));

  if (self->demo_pending == !!pending)
    return;
  self->demo_pending = !!pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO_PENDING]);
}

/** cabut_context_get_demo_account: Returns: (transfer none) (nullable): the demo account chosen on the first page */
CabutDemoAccount *
cabut_context_get_demo_account (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->demo_account;
}

void
cabut_context_set_demo_account (CabutContext     *self,
                                CabutDemoAccount *account)
{
  g_return_if_fail (CABUT_IS_CONTEXT (self));

  g_set_object (&self->demo_account, account);
}

CabutServiceInfo *
cabut_context_get_service_info (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->service_info;
}

/** cabut_context_get_service_info_offline: Returns: %TRUE when the service info is the last saved copy */
gboolean
cabut_context_get_service_info_offline (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), FALSE);
  return self->service_info_offline;
}

GDateTime *
cabut_context_get_service_info_time (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->service_info_time;
}

static void
set_service_info (CabutContext     *self,
                  CabutServiceInfo *info,
                  gboolean          offline,
                  GDateTime        *when)
{
  g_set_object (&self->service_info, info);
  g_clear_pointer (&self->service_info_time, g_date_time_unref);
  if (when != NULL)
    self->service_info_time = g_date_time_ref (when);
  self->service_info_offline = !!offline;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_INFO_OFFLINE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_INFO]);
}

static void
cached_service_info_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CabutContext) self = user_data;
  g_autoptr(CabutServiceInfo) info = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GError) error = NULL;

  info = cabut_store_load_service_info_finish (CABUT_STORE (object), result, &when, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to read the saved service information: %s", error->message);
      return;
    }

  /* A fresh answer may have come in meanwhile. */
  if (self->service_info == NULL || self->service_info_offline)
    set_service_info (self, info, TRUE, when);
}

static void
service_info_saved_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cabut_store_save_service_info_finish (CABUT_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Failed to save the service information: %s", error->message);
}

static void
service_info_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CabutContext) self = user_data;
  g_autoptr(CabutServiceInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = cabut_ams_client_get_service_info_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (CABUT_AMS_CLIENT (object) != self->client)
    return;   /* the address changed meanwhile */

  if (info != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      set_service_info (self, info, FALSE, now);
      if (self->store != NULL)
        cabut_store_save_service_info_async (self->store, self->server_url, info, self->cancellable,
                                             service_info_saved_cb, NULL);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("Service information unavailable: %s", error->message);
  if (self->store != NULL && self->server_url != NULL)
    cabut_store_load_service_info_async (self->store, self->server_url, self->cancellable,
                                         cached_service_info_cb, g_object_ref (self));
  else
    set_service_info (self, NULL, TRUE, NULL);
}

static void
issuers_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CabutContext) self = user_data;
  g_autoptr(GPtrArray) issuers = NULL;
  g_autoptr(GError) error = NULL;

  issuers = cabut_ams_client_get_ca_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (CABUT_AMS_CLIENT (object) != self->client)
    return;
  if (issuers == NULL)
    {
      g_debug ("The service's CA certificates are unavailable: %s", error->message);
      return;
    }

  g_clear_pointer (&self->issuers, g_ptr_array_unref);
  self->issuers = g_steal_pointer (&issuers);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ISSUERS]);
}

/** cabut_context_refresh_service_info: asks the service for its public information and CA */
void
cabut_context_refresh_service_info (CabutContext *self)
{
  g_return_if_fail (CABUT_IS_CONTEXT (self));

  if (self->client == NULL)
    {
      set_service_info (self, NULL, TRUE, NULL);
      return;
    }

  cabut_ams_client_get_service_info_async (self->client, self->cancellable, service_info_cb,
                                           g_object_ref (self));
  cabut_ams_client_get_ca_async (self->client, self->cancellable, issuers_cb, g_object_ref (self));
}

/** cabut_context_get_issuers: Returns: (transfer none) (nullable): the service's CA certificates (#CabutCertificate) */
GPtrArray *
cabut_context_get_issuers (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->issuers;
}

/**
 * cabut_context_find_issuer:
 *
 * Returns: (transfer none) (nullable): the service's CA certificate that
 *   issued @certificate, if the service runs it
 */
CabutCertificate *
cabut_context_find_issuer (CabutContext     *self,
                           CabutCertificate *certificate)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (CABUT_IS_CERTIFICATE (certificate), NULL);

  for (guint i = 0; self->issuers != NULL && i < self->issuers->len; i++)
    if (cabut_certificate_is_issued_by (certificate, g_ptr_array_index (self->issuers, i)))
      return g_ptr_array_index (self->issuers, i);

  return NULL;
}

/** cabut_context_get_profile: Returns: (transfer none) (nullable): the signed-in account */
CabutProfile *
cabut_context_get_profile (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->profile;
}

/** cabut_context_get_reasons: Returns: (transfer none) (nullable): #CabutReasonItem from the service */
GListModel *
cabut_context_get_reasons (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->reasons;
}

static void
reasons_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CabutContext *self = g_task_get_source_object (task);
  g_autoptr(GListModel) reasons = NULL;
  GError *error = NULL;

  reasons = cabut_ams_client_list_reasons_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (reasons == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  set_reasons (self, reasons);
  set_profile (self, g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

static void
profile_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CabutProfile *profile;
  GError *error = NULL;

  profile = cabut_ams_client_get_profile_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (profile == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_set_task_data (task, profile, g_object_unref);
  cabut_ams_client_list_reasons_async (CABUT_AMS_CLIENT (object), g_task_get_cancellable (task),
                                       reasons_cb, g_object_ref (task));
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!cabut_ams_client_sign_in_finish (CABUT_AMS_CLIENT (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  cabut_ams_client_get_profile_async (CABUT_AMS_CLIENT (object), g_task_get_cancellable (task),
                                      profile_cb, g_object_ref (task));
}

/**
 * cabut_context_sign_in_async:
 * @totp: (nullable): the one-time code, when the service asked for one
 *
 * Signs in, then reads the account's profile and the reasons it may choose.
 */
void
cabut_context_sign_in_async (CabutContext        *self,
                             const char          *username,
                             const char          *password,
                             const char          *totp,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CABUT_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_context_sign_in_async);

  if (self->client == NULL)
    {
      g_task_return_error (task, g_error_copy (self->client_error));
      return;
    }

  set_profile (self, NULL);
  cabut_ams_client_sign_in_async (self->client, username, password, totp, cancellable, signed_in_cb,
                                  g_steal_pointer (&task));
}

gboolean
cabut_context_sign_in_finish (CabutContext  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/** cabut_context_refresh_profile_async: reads the profile again (the check step's data) */
void
cabut_context_refresh_profile_async (CabutContext        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CABUT_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_context_refresh_profile_async);

  if (self->client == NULL)
    {
      g_task_return_error (task, g_error_copy (self->client_error));
      return;
    }

  cabut_ams_client_get_profile_async (self->client, cancellable, profile_cb, g_steal_pointer (&task));
}

gboolean
cabut_context_refresh_profile_finish (CabutContext  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/** cabut_context_sign_out: forgets the session here; the service's ends on its own */
void
cabut_context_sign_out (CabutContext *self)
{
  g_return_if_fail (CABUT_IS_CONTEXT (self));

  if (self->client != NULL && cabut_ams_client_get_token (self->client) != NULL)
    {
      cabut_ams_client_sign_out_async (self->client, NULL, NULL, NULL);
      cabut_ams_client_set_token (self->client, NULL);
    }
  set_profile (self, NULL);
}

/** cabut_context_start_over: a new, empty draft (the old one stays in the store until discarded) */
void
cabut_context_start_over (CabutContext *self)
{
  g_autoptr(CabutDraft) draft = cabut_draft_new ();

  g_return_if_fail (CABUT_IS_CONTEXT (self));

  cabut_context_set_draft (self, draft);
}

/** cabut_context_get_last_request: Returns: (transfer none) (nullable): the request just filed */
CabutRequest *
cabut_context_get_last_request (CabutContext *self)
{
  g_return_val_if_fail (CABUT_IS_CONTEXT (self), NULL);
  return self->last_request;
}

void
cabut_context_set_last_request (CabutContext *self,
                                CabutRequest *request)
{
  g_return_if_fail (CABUT_IS_CONTEXT (self));
  if (g_set_object (&self->last_request, request))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_REQUEST]);
}
