/* cabut-queue.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-queue"

#include "config.h"

#include "cabut-queue.h"

/* The officers' queue as a list model of CabutRequest that grows a page at
 * a time (GET /api/v1/queue, keyset cursors), as the rows near its end are
 * asked for: a list view over it fetches what the officer scrolls to, and
 * nothing more, at 100,000 requests as at ten.
 *
 * One page is in flight at a time, and a page is asked for with the cursor
 * the page before it gave, so no page is fetched twice. A page is published
 * whole or not at all: a failed fetch leaves the rows as they were and sets
 * #CabutQueue:error until cabut_queue_retry() asks for the same page again.
 * A reload asks for the counts and the first page again; the rows shown
 * stay until the first page replaces them, so a selection can be found
 * again among the new ones (news from the event feed asks for as many rows
 * as are listed). Another search or state drops the rows at once.
 * Each reload starts a generation: answers to an older one are dropped. */
struct _CabutQueue
{
  GObject           parent_instance;

  CabutAmsClient   *client;
  char             *state;
  char             *search;          /* nullable */
  guint             page_size;
  guint             first_size;      /* rows asked for on this generation's first page */

  GPtrArray        *items;           /* CabutRequest */
  GHashTable       *ids;             /* the numbers in items */
  char             *next;            /* cursor of the page after the last one in */
  CabutQueueCounts *counts;
  GError           *error;
  GCancellable     *cancellable;     /* of this generation's fetches */
  guint             generation;
  guint             pages_fetched;

  guint             page_loading : 1;
  guint             counts_loading : 1;
  guint             counts_failed : 1;
  guint             first_in : 1;    /* this generation's first page is in */
  guint             loaded : 1;      /* some generation's first page is in */
};

static void cabut_queue_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CabutQueue, cabut_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, cabut_queue_list_model_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
  PROP_SEARCH,
  PROP_PAGE_SIZE,
  PROP_LOADING,
  PROP_LOADED,
  PROP_COMPLETE,
  PROP_ERROR,
  PROP_COUNTS,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

/* One fetch: its generation, and whether it is a first page. */
typedef struct
{
  CabutQueue *queue;
  guint       generation;
  gboolean    first;
} Fetch;

static Fetch *
fetch_new (CabutQueue *self,
           gboolean    first)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->queue = g_object_ref (self);
  fetch->generation = self->generation;
  fetch->first = first;

  return fetch;
}

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->queue);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

/* Notifies what follows from the fetches in flight and the pages in. */
static void
notify_progress (CabutQueue *self,
                 gboolean    was_loading,
                 gboolean    was_loaded,
                 gboolean    was_complete)
{
  if (was_loading != cabut_queue_get_loading (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  if (was_loaded != cabut_queue_get_loaded (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  if (was_complete != cabut_queue_get_complete (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
set_error (CabutQueue   *self,
           const GError *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Adds @requests at the end, leaving out any already listed (a row can
 * move between two pages while the officer scrolls). Returns how many. */
static guint
append_requests (CabutQueue *self,
                 GListModel *requests)
{
  guint added = 0;

  for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
    {
      g_autoptr(CabutRequest) request = g_list_model_get_item (requests, i);
      const char *id = cabut_request_get_id (request);

      if (!g_hash_table_add (self->ids, g_strdup (id)))
        continue;
      g_ptr_array_add (self->items, g_steal_pointer (&request));
      added++;
    }

  return added;
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  CabutQueue *self = fetch->queue;
  g_autoptr(CabutRequestPage) page = NULL;
  g_autoptr(GError) error = NULL;
  gboolean was_loading, was_loaded, was_complete;

  page = cabut_ams_client_list_queue_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (fetch->generation != self->generation)
    return;

  was_loading = cabut_queue_get_loading (self);
  was_loaded = cabut_queue_get_loaded (self);
  was_complete = cabut_queue_get_complete (self);
  self->page_loading = FALSE;

  if (page == NULL)
    {
      g_debug ("A page of the queue could not be read: %s", error->message);
      set_error (self, error);
      notify_progress (self, was_loading, was_loaded, was_complete);
      return;
    }

  self->pages_fetched++;
  g_free (self->next);
  self->next = g_strdup (cabut_request_page_get_next (page));

  if (fetch->first)
    {
      guint removed = self->items->len;

      g_ptr_array_set_size (self->items, 0);
      g_hash_table_remove_all (self->ids);
      self->first_in = TRUE;
      self->loaded = TRUE;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed,
                                  append_requests (self, cabut_request_page_get_requests (page)));
    }
  else
    {
      guint position = self->items->len;
      guint added = append_requests (self, cabut_request_page_get_requests (page));

      if (added > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);
    }

  notify_progress (self, was_loading, was_loaded, was_complete);
}

static void
counts_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  CabutQueue *self = fetch->queue;
  g_autoptr(CabutQueueCounts) counts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean was_loading;

  counts = cabut_ams_client_get_queue_counts_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (fetch->generation != self->generation)
    return;

  was_loading = cabut_queue_get_loading (self);
  self->counts_loading = FALSE;
  self->counts_failed = counts == NULL;
  if (counts == NULL)
    {
      g_debug ("The queue's counts could not be read: %s", error->message);
      if (self->error == NULL)
        set_error (self, error);
    }
  else if (g_set_object (&self->counts, counts))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTS]);

  notify_progress (self, was_loading, cabut_queue_get_loaded (self), cabut_queue_get_complete (self));
}

static void
fetch_page (CabutQueue *self,
            gboolean    first)
{
  g_assert (self->client != NULL && !self->page_loading);

  self->page_loading = TRUE;
  cabut_ams_client_list_queue_async (self->client, self->state, self->search, first ? NULL : self->next,
                                     first ? self->first_size : self->page_size, self->cancellable, page_cb,
                                     fetch_new (self, first));
}

static void
fetch_counts (CabutQueue *self)
{
  g_assert (self->client != NULL && !self->counts_loading);

  self->counts_loading = TRUE;
  cabut_ams_client_get_queue_counts_async (self->client, self->cancellable, counts_cb, fetch_new (self, FALSE));
}

/* Drops what is in flight: its answers will belong to an older generation. */
static void
new_generation (CabutQueue *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->page_loading = FALSE;
  self->counts_loading = FALSE;
  self->first_in = FALSE;
}

static void start_over (CabutQueue *self,
                        guint       first_size);

/* Replaces *@str with a copy of @value; %TRUE when it changed. */
static gboolean
set_string (char       **str,
            const char  *value)
{
  if (g_strcmp0 (*str, value) == 0)
    return FALSE;
  g_free (*str);
  *str = g_strdup (value);
  return TRUE;
}

/* Drops every row listed: what another search or state listed is not
 * what this one lists, even for the moment before its first page. */
static void
clear_rows (CabutQueue *self)
{
  guint removed = self->items->len;

  g_ptr_array_set_size (self->items, 0);
  g_hash_table_remove_all (self->ids);
  g_clear_pointer (&self->next, g_free);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}

/* GListModel */

static GType
cabut_queue_get_item_type (GListModel *model)
{
  return CABUT_TYPE_REQUEST;
}

static guint
cabut_queue_get_n_items (GListModel *model)
{
  return CABUT_QUEUE (model)->items->len;
}

static gpointer
cabut_queue_get_item (GListModel *model,
                      guint       position)
{
  CabutQueue *self = CABUT_QUEUE (model);

  if (position >= self->items->len)
    return NULL;

  /* A row near the end is in view: the next page, before it is reached. */
  if (position + MAX (self->page_size / 2, 1) >= self->items->len)
    cabut_queue_load_more (self);

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
cabut_queue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cabut_queue_get_item_type;
  iface->get_n_items = cabut_queue_get_n_items;
  iface->get_item = cabut_queue_get_item;
}

/* GObject */

static void
cabut_queue_dispose (GObject *object)
{
  CabutQueue *self = (CabutQueue *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->counts);

  G_OBJECT_CLASS (cabut_queue_parent_class)->dispose (object);
}

static void
cabut_queue_finalize (GObject *object)
{
  CabutQueue *self = (CabutQueue *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->ids, g_hash_table_unref);
  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->next, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cabut_queue_parent_class)->finalize (object);
}

static void
cabut_queue_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CabutQueue *self = CABUT_QUEUE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, cabut_queue_get_loading (self));
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, cabut_queue_get_loaded (self));
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, cabut_queue_get_complete (self));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_COUNTS:
      g_value_set_object (value, self->counts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_queue_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CabutQueue *self = CABUT_QUEUE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      cabut_queue_set_client (self, g_value_get_object (value));
      break;
    case PROP_STATE:
      cabut_queue_set_state (self, g_value_get_string (value));
      break;
    case PROP_SEARCH:
      cabut_queue_set_search (self, g_value_get_string (value));
      break;
    case PROP_PAGE_SIZE:
      cabut_queue_set_page_size (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_queue_class_init (CabutQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cabut_queue_dispose;
  object_class->finalize = cabut_queue_finalize;
  object_class->get_property = cabut_queue_get_property;
  object_class->set_property = cabut_queue_set_property;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, CABUT_TYPE_AMS_CLIENT, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, "open", flags);
  properties[PROP_SEARCH] = g_param_spec_string ("search", NULL, NULL, NULL, flags);
  properties[PROP_PAGE_SIZE] = g_param_spec_uint ("page-size", NULL, NULL, 1, 200, CABUT_QUEUE_DEFAULT_PAGE_SIZE,
                                                  flags);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNTS] =
    g_param_spec_object ("counts", NULL, NULL, CABUT_TYPE_QUEUE_COUNTS, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_queue_init (CabutQueue *self)
{
  self->state = g_strdup ("open");
  self->page_size = CABUT_QUEUE_DEFAULT_PAGE_SIZE;
  self->first_size = CABUT_QUEUE_DEFAULT_PAGE_SIZE;
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

/* Public API */

/**
 * cabut_queue_new:
 * @client: (nullable): a client signed in as an officer; nothing is
 *   fetched until cabut_queue_reload()
 */
CabutQueue *
cabut_queue_new (CabutAmsClient *client)
{
  return g_object_new (CABUT_TYPE_QUEUE, "client", client, NULL);
}

/** cabut_queue_get_client: Returns: (transfer none) (nullable) */
CabutAmsClient *
cabut_queue_get_client (CabutQueue *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), NULL);
  return self->client;
}

/**
 * cabut_queue_set_client:
 *
 * Another session (a sign-in, a sign-out): the rows, counts and error of
 * the one before go, and what is in flight is dropped.
 */
void
cabut_queue_set_client (CabutQueue     *self,
                        CabutAmsClient *client)
{
  gboolean was_loading, was_loaded, was_complete;

  g_return_if_fail (CABUT_IS_QUEUE (self));
  g_return_if_fail (client == NULL || CABUT_IS_AMS_CLIENT (client));

  if (self->client == client)
    return;

  was_loading = cabut_queue_get_loading (self);
  was_loaded = cabut_queue_get_loaded (self);
  was_complete = cabut_queue_get_complete (self);
  g_set_object (&self->client, client);
  new_generation (self);
  self->loaded = FALSE;
  self->pages_fetched = 0;
  self->counts_failed = FALSE;
  clear_rows (self);
  if (g_set_object (&self->counts, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTS]);
  set_error (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  notify_progress (self, was_loading, was_loaded, was_complete);
}

/** cabut_queue_get_state: Returns: "open", "all" or a state's name */
const char *
cabut_queue_get_state (CabutQueue *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), NULL);
  return self->state;
}

/**
 * cabut_queue_set_state:
 * @state: (nullable): "open" (when %NULL), "all" or a state's name
 *
 * Shows the requests in @state, reloading when it changed: the rows of
 * the state before go at once.
 */
void
cabut_queue_set_state (CabutQueue *self,
                       const char *state)
{
  g_return_if_fail (CABUT_IS_QUEUE (self));

  if (set_string (&self->state, state ? state : "open"))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      if (self->client != NULL)
        {
          cabut_queue_reload (self);
          clear_rows (self);
        }
    }
}

/** cabut_queue_get_search: Returns: (nullable) */
const char *
cabut_queue_get_search (CabutQueue *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), NULL);
  return self->search;
}

/**
 * cabut_queue_set_search:
 * @search: (nullable): a request number, serial, NIP, NIK or part of a
 *   name; %NULL or empty for every request
 *
 * Shows what matches, reloading (and dropping the fetch of the search
 * before) when it changed: the rows of the search before go at once.
 */
void
cabut_queue_set_search (CabutQueue *self,
                        const char *search)
{
  g_return_if_fail (CABUT_IS_QUEUE (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (set_string (&self->search, search))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
      if (self->client != NULL)
        {
          cabut_queue_reload (self);
          clear_rows (self);
        }
    }
}

guint
cabut_queue_get_page_size (CabutQueue *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), 0);
  return self->page_size;
}

/** cabut_queue_set_page_size: @page_size: rows per page, 1 to 200; for the pages fetched from now on */
void
cabut_queue_set_page_size (CabutQueue *self,
                           guint       page_size)
{
  g_return_if_fail (CABUT_IS_QUEUE (self));
  g_return_if_fail (page_size >= 1 && page_size <= 200);

  if (self->page_size == page_size)
    return;
  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
}

/** cabut_queue_get_loading: Returns: whether a page or the counts are being fetched */
gboolean
cabut_queue_get_loading (CabutQueue *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), FALSE);
  return self->page_loading || self->counts_loading;
}

/** cabut_queue_get_loaded: Returns: whether a first page is in since the client was set */
gboolean
cabut_queue_get_loaded (CabutQueue *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), FALSE);
  return self->loaded;
}

/** cabut_queue_get_complete: Returns: whether every page of this search is in */
gboolean
cabut_queue_get_complete (CabutQueue *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), FALSE);
  return self->first_in && self->next == NULL;
}

/** cabut_queue_get_error: Returns: (nullable): why the last fetch failed, until a retry or reload */
const GError *
cabut_queue_get_error (CabutQueue *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), NULL);
  return self->error;
}

/** cabut_queue_get_counts: Returns: (transfer none) (nullable): the counts last read */
CabutQueueCounts *
cabut_queue_get_counts (CabutQueue *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), NULL);
  return self->counts;
}

/** cabut_queue_get_pages_fetched: Returns: how many pages were read since the client was set */
guint
cabut_queue_get_pages_fetched (CabutQueue *self)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), 0);
  return self->pages_fetched;
}

/**
 * cabut_queue_reload:
 *
 * Fetches the counts and the first page again; the rows stay until the
 * first page replaces them. What was in flight is dropped.
 */
void
cabut_queue_reload (CabutQueue *self)
{
  g_return_if_fail (CABUT_IS_QUEUE (self));
  g_return_if_fail (self->client != NULL);

  start_over (self, self->page_size);
}

/**
 * cabut_queue_refresh:
 *
 * As cabut_queue_reload(), for news of the same search: the first page is
 * asked for as long as what is listed now (at most 200 rows), so an
 * officer who scrolled down keeps the rows around them.
 */
void
cabut_queue_refresh (CabutQueue *self)
{
  g_return_if_fail (CABUT_IS_QUEUE (self));
  g_return_if_fail (self->client != NULL);

  start_over (self, CLAMP (self->items->len, self->page_size, 200));
}

static void
start_over (CabutQueue *self,
            guint       first_size)
{
  gboolean was_loading, was_loaded, was_complete;

  was_loading = cabut_queue_get_loading (self);
  was_loaded = cabut_queue_get_loaded (self);
  was_complete = cabut_queue_get_complete (self);
  new_generation (self);
  self->first_size = first_size;
  set_error (self, NULL);
  fetch_counts (self);
  fetch_page (self, TRUE);
  notify_progress (self, was_loading, was_loaded, was_complete);
}

/**
 * cabut_queue_load_more:
 *
 * Fetches the next page, unless one is in flight, every page is in, or a
 * fetch failed (cabut_queue_retry() then).
 */
void
cabut_queue_load_more (CabutQueue *self)
{
  g_return_if_fail (CABUT_IS_QUEUE (self));

  if (self->client == NULL || self->page_loading || !self->first_in || self->next == NULL || self->error != NULL)
    return;

  fetch_page (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * cabut_queue_retry:
 *
 * After an error: fetches again what failed — the first page (a reload),
 * or the page after the last one in, and the counts if they failed.
 */
void
cabut_queue_retry (CabutQueue *self)
{
  g_return_if_fail (CABUT_IS_QUEUE (self));
  g_return_if_fail (self->client != NULL);

  if (!self->first_in)
    {
      start_over (self, MAX (self->first_size, self->page_size));
      return;
    }

  set_error (self, NULL);
  if (self->counts_failed && !self->counts_loading)
    fetch_counts (self);
  cabut_queue_load_more (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/** cabut_queue_find: Returns: the position of request @request_id, or %G_MAXUINT when not listed */
guint
cabut_queue_find (CabutQueue *self,
                  const char *request_id)
{
  g_return_val_if_fail (CABUT_IS_QUEUE (self), G_MAXUINT);
  g_return_val_if_fail (request_id != NULL, G_MAXUINT);

  if (!g_hash_table_contains (self->ids, request_id))
    return G_MAXUINT;
  for (guint i = 0; i < self->items->len; i++)
    if (g_str_equal (cabut_request_get_id (g_ptr_array_index (self->items, i)), request_id))
      return i;

  return G_MAXUINT;
}
