/* cabut-history.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-history"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-core-enums.h"
#include "cabut-history.h"

/* "My requests": every request this computer knows of, newest first, as a
 * #GListModel of #CabutRequest that a list view binds to, narrowed by a
 * search (request number, serial, name, reason, state: every word must
 * appear) and by state. Filled from the store by whole lists; a longer
 * query only looks among what the shorter one matched.
 *
 * A search reads the search keys from one block of memory, in order,
 * rather than from as many objects scattered over the heap: with 100 000
 * requests that took most of a keystroke's time. The block is made in a
 * worker thread whenever the requests change; until it is there, the keys
 * are read from the requests. */
struct _CabutHistory
{
  GObject             parent_instance;

  GPtrArray          *requests;   /* CabutRequest, newest first */
  GArray             *shown;      /* guint indices into requests */
  GDateTime          *updated_at;
  char               *query;
  char               *folded;     /* the query folded, for narrowing */
  char              **words;
  GPtrArray          *earlier;    /* Earlier: what shorter queries showed, shortest first */
  CabutHistoryFilter  filter;
  guint               counts[CABUT_HISTORY_N_FILTERS];

  char               *keys;       /* each request's search key and a NUL, in order */
  guint              *key_starts; /* where each begins in keys */
  GCancellable       *indexing;
};

static void cabut_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CabutHistory, cabut_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, cabut_history_list_model_init))

enum {
  PROP_0,
  PROP_QUERY,
  PROP_FILTER,
  PROP_N_REQUESTS,
  PROP_N_ITEMS,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * cabut_history_filter_to_label:
 *
 * Returns: the filter in words, translated
 */
const char *
cabut_history_filter_to_label (CabutHistoryFilter filter)
{
  switch (filter)
    {
    case CABUT_HISTORY_FILTER_OPEN: return _("Waiting for a decision");
    case CABUT_HISTORY_FILTER_OVERDUE: return _("Overdue");
    case CABUT_HISTORY_FILTER_REVOKED: return cabut_request_state_to_label (CABUT_REQUEST_STATE_REVOKED);
    case CABUT_HISTORY_FILTER_REJECTED: return cabut_request_state_to_label (CABUT_REQUEST_STATE_REJECTED);
    case CABUT_HISTORY_FILTER_CANCELLED: return cabut_request_state_to_label (CABUT_REQUEST_STATE_CANCELLED);
    case CABUT_HISTORY_FILTER_ALL:
    default: return _("All requests");
    }
}

static gboolean
is_overdue (CabutRequest *request,
            GDateTime    *now)
{
  GDateTime *due;

  if (!cabut_request_state_is_open (cabut_request_get_state (request)))
    return FALSE;
  due = cabut_request_get_due (request);
  /* Past the deadline (the service's own flag says the same). */
  return due != NULL && g_date_time_compare (now, due) > 0;
}

static gboolean
passes_filter (CabutRequest       *request,
               CabutHistoryFilter  filter,
               GDateTime          *now)
{
  CabutRequestState state = cabut_request_get_state (request);

  switch (filter)
    {
    case CABUT_HISTORY_FILTER_OPEN: return cabut_request_state_is_open (state);
    case CABUT_HISTORY_FILTER_OVERDUE: return is_overdue (request, now);
    case CABUT_HISTORY_FILTER_REVOKED: return state == CABUT_REQUEST_STATE_REVOKED;
    case CABUT_HISTORY_FILTER_REJECTED: return state == CABUT_REQUEST_STATE_REJECTED;
    case CABUT_HISTORY_FILTER_CANCELLED: return state == CABUT_REQUEST_STATE_CANCELLED;
    case CABUT_HISTORY_FILTER_ALL:
    default: return TRUE;
    }
}

static gboolean
matches (CabutHistory *self,
         guint         index,
         GDateTime    *now)
{
  const char *key;

  /* The default filter lets everything through: the request is not read. */
  if (self->filter != CABUT_HISTORY_FILTER_ALL &&
      !passes_filter (g_ptr_array_index (self->requests, index), self->filter, now))
    return FALSE;
  if (self->words == NULL)
    return TRUE;

  key = self->keys != NULL ? self->keys + self->key_starts[index]
                           : cabut_request_get_search_key (g_ptr_array_index (self->requests, index));
  for (guint i = 0; self->words[i] != NULL; i++)
    if (strstr (key, self->words[i]) == NULL)
      return FALSE;

  return TRUE;
}

/* Shows @shown instead, saying only what changed between the first and
 * the last difference: a list view keeps the rows of the rest. */
static void
replace_shown (CabutHistory *self,
               GArray       *shown,
               gboolean      same_requests)
{
  GArray *old = self->shown;
  guint prefix = 0;
  guint suffix = 0;

  /* Other requests: the same indices say nothing. */
  while (same_requests && prefix < old->len && prefix < shown->len &&
         g_array_index (old, guint, prefix) == g_array_index (shown, guint, prefix))
    prefix++;
  while (same_requests && suffix < old->len - prefix && suffix < shown->len - prefix &&
         g_array_index (old, guint, old->len - 1 - suffix) == g_array_index (shown, guint, shown->len - 1 - suffix))
    suffix++;

  self->shown = shown;
  if (old->len != prefix + suffix || shown->len != prefix + suffix)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old->len - prefix - suffix,
                                shown->len - prefix - suffix);
  if (old->len != shown->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_array_unref (old);
}

/* Works out what is shown again; with @among, only among those. */
static void
refilter (CabutHistory *self,
          GArray       *among,
          gboolean      same_requests)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint n = among != NULL ? among->len : self->requests->len;
  GArray *shown = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);

  for (guint i = 0; i < n; i++)
    {
      guint index = among != NULL ? g_array_index (among, guint, i) : i;

      if (matches (self, index, now))
        g_array_append_val (shown, index);
    }

  replace_shown (self, shown, same_requests);
}

typedef struct
{
  GPtrArray *requests;
  char      *keys;
  guint     *key_starts;
} KeyIndex;

static void
key_index_free (KeyIndex *index)
{
  g_ptr_array_unref (index->requests);
  g_free (index->keys);
  g_free (index->key_starts);
  g_free (index);
}

/* In a worker thread: the keys were made before (cabut_history_set_requests)
 * and requests do not change, so they are only read here. */
static void
index_keys_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  KeyIndex *index = task_data;
  GPtrArray *requests = index->requests;
  g_autoptr(GString) keys = g_string_sized_new (requests->len * 128);

  index->key_starts = g_new (guint, MAX (requests->len, 1));
  for (guint i = 0; i < requests->len; i++)
    {
      const char *key = cabut_request_get_search_key (g_ptr_array_index (requests, i));

      if (keys->len > G_MAXUINT / 2)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Too many search keys to index");
          return;
        }
      index->key_starts[i] = (guint) keys->len;
      g_string_append_len (keys, key, strlen (key) + 1);
    }
  index->keys = g_string_free (g_steal_pointer (&keys), FALSE);

  g_task_return_boolean (task, TRUE);
}

static void
keys_indexed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CabutHistory *self = CABUT_HISTORY (object);
  KeyIndex *index = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Searching without an index: %s", error->message);
      return;
    }
  if (index->requests != self->requests)
    return;

  self->keys = g_steal_pointer (&index->keys);
  self->key_starts = g_steal_pointer (&index->key_starts);
  g_clear_object (&self->indexing);
}

static void
index_keys (CabutHistory *self)
{
  g_autoptr(GTask) task = NULL;
  KeyIndex *index;

  g_cancellable_cancel (self->indexing);
  g_clear_object (&self->indexing);
  g_clear_pointer (&self->keys, g_free);
  g_clear_pointer (&self->key_starts, g_free);

  self->indexing = g_cancellable_new ();
  index = g_new0 (KeyIndex, 1);
  index->requests = g_ptr_array_ref (self->requests);
  task = g_task_new (self, self->indexing, keys_indexed_cb, NULL);
  g_task_set_source_tag (task, index_keys);
  g_task_set_task_data (task, index, (GDestroyNotify) key_index_free);
  g_task_run_in_thread (task, index_keys_thread);
}

typedef struct
{
  char   *folded;
  GArray *shown;
} Earlier;

static void
earlier_free (Earlier *earlier)
{
  g_free (earlier->folded);
  g_array_unref (earlier->shown);
  g_free (earlier);
}

/* At most this many shorter queries' results are kept while typing. */
#define MAX_EARLIER 32

/**
 * cabut_history_set_requests:
 * @requests: (element-type CabutRequest): newest first
 * @updated_at: (nullable): when they were last brought up to date
 *
 * Shows @requests, through the same search and filter.
 */
void
cabut_history_set_requests (CabutHistory *self,
                            GPtrArray    *requests,
                            GDateTime    *updated_at)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_if_fail (CABUT_IS_HISTORY (self));
  g_return_if_fail (requests != NULL);

  g_clear_pointer (&self->requests, g_ptr_array_unref);
  self->requests = g_ptr_array_ref (requests);
  memset (self->counts, 0, sizeof self->counts);
  self->counts[CABUT_HISTORY_FILTER_ALL] = requests->len;
  for (guint i = 0; i < requests->len; i++)
    {
      CabutRequest *request = g_ptr_array_index (requests, i);

      /* Made here if not yet, so that the index's thread only reads them. */
      cabut_request_get_search_key (request);
      switch (cabut_request_get_state (request))
        {
        case CABUT_REQUEST_STATE_SUBMITTED:
        case CABUT_REQUEST_STATE_IN_REVIEW:
          self->counts[CABUT_HISTORY_FILTER_OPEN]++;
          self->counts[CABUT_HISTORY_FILTER_OVERDUE] += is_overdue (request, now);
          break;
        case CABUT_REQUEST_STATE_REVOKED:
          self->counts[CABUT_HISTORY_FILTER_REVOKED]++;
          break;
        case CABUT_REQUEST_STATE_REJECTED:
          self->counts[CABUT_HISTORY_FILTER_REJECTED]++;
          break;
        case CABUT_REQUEST_STATE_CANCELLED:
        default:
          self->counts[CABUT_HISTORY_FILTER_CANCELLED]++;
          break;
        }
    }

  g_clear_pointer (&self->updated_at, g_date_time_unref);
  self->updated_at = updated_at != NULL ? g_date_time_ref (updated_at) : NULL;

  index_keys (self);
  g_ptr_array_set_size (self->earlier, 0);
  refilter (self, NULL, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_REQUESTS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

/** cabut_history_get_n_requests: Returns: how many requests there are, shown or not */
guint
cabut_history_get_n_requests (CabutHistory *self)
{
  g_return_val_if_fail (CABUT_IS_HISTORY (self), 0);
  return self->requests->len;
}

/** cabut_history_count: Returns: how many requests @filter lets through, whatever the search */
guint
cabut_history_count (CabutHistory       *self,
                     CabutHistoryFilter  filter)
{
  g_return_val_if_fail (CABUT_IS_HISTORY (self), 0);
  g_return_val_if_fail (filter < CABUT_HISTORY_N_FILTERS, 0);
  return self->counts[filter];
}

/** cabut_history_get_updated_at: Returns: (nullable) (transfer none): when it was last brought up to date */
GDateTime *
cabut_history_get_updated_at (CabutHistory *self)
{
  g_return_val_if_fail (CABUT_IS_HISTORY (self), NULL);
  return self->updated_at;
}

const char *
cabut_history_get_query (CabutHistory *self)
{
  g_return_val_if_fail (CABUT_IS_HISTORY (self), NULL);
  return self->query;
}

/**
 * cabut_history_set_query:
 * @query: (nullable): words that must all appear, in any case; a serial
 *   number with or without its colons
 */
void
cabut_history_set_query (CabutHistory *self,
                         const char   *query)
{
  g_autofree char *folded = NULL;
  g_autoptr(GArray) among = NULL;
  g_autoptr(GArray) result = NULL;

  g_return_if_fail (CABUT_IS_HISTORY (self));

  if (g_strcmp0 (query, self->query) == 0)
    return;

  folded = cabut_request_fold_search_text (query != NULL ? query : "");

  /* Typing on: whatever matches the longer query matched the shorter, so
   * only those are looked at, and the shorter one's result is kept. */
  if (self->folded != NULL && g_str_has_prefix (folded, self->folded))
    {
      Earlier *earlier = g_new0 (Earlier, 1);

      earlier->folded = g_strdup (self->folded);
      earlier->shown = g_array_ref (self->shown);
      g_ptr_array_add (self->earlier, earlier);
      if (self->earlier->len > MAX_EARLIER)
        g_ptr_array_remove_index (self->earlier, 0);
      among = g_array_ref (self->shown);
    }
  else
    {
      /* Deleting: back to a kept result, or narrowing from one. */
      while (self->earlier->len > 0)
        {
          Earlier *earlier = g_ptr_array_index (self->earlier, self->earlier->len - 1);

          if (g_str_has_prefix (folded, earlier->folded))
            {
              if (g_str_equal (folded, earlier->folded))
                {
                  result = g_array_ref (earlier->shown);
                  g_ptr_array_remove_index (self->earlier, self->earlier->len - 1);
                }
              else
                among = g_array_ref (earlier->shown);
              break;
            }
          g_ptr_array_remove_index (self->earlier, self->earlier->len - 1);
        }
    }

  g_free (self->query);
  self->query = g_strdup (query);
  g_free (self->folded);
  self->folded = g_steal_pointer (&folded);
  g_clear_pointer (&self->words, g_strfreev);
  {
    g_auto(GStrv) words = g_strsplit_set (self->folded, " \t\n", -1);
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

    for (guint i = 0; words[i] != NULL; i++)
      if (*words[i] != '\0')
        g_strv_builder_add (builder, words[i]);
    self->words = g_strv_builder_end (builder);
    if (self->words[0] == NULL)
      g_clear_pointer (&self->words, g_strfreev);
  }

  if (result != NULL)
    replace_shown (self, g_steal_pointer (&result), TRUE);
  else
    refilter (self, among, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

CabutHistoryFilter
cabut_history_get_filter (CabutHistory *self)
{
  g_return_val_if_fail (CABUT_IS_HISTORY (self), CABUT_HISTORY_FILTER_ALL);
  return self->filter;
}

void
cabut_history_set_filter (CabutHistory       *self,
                          CabutHistoryFilter  filter)
{
  g_return_if_fail (CABUT_IS_HISTORY (self));
  g_return_if_fail (filter < CABUT_HISTORY_N_FILTERS);

  if (self->filter == filter)
    return;

  self->filter = filter;
  g_ptr_array_set_size (self->earlier, 0);
  refilter (self, NULL, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

/** cabut_history_find: Returns: (transfer none) (nullable): the request numbered @request_id */
CabutRequest *
cabut_history_find (CabutHistory *self,
                    const char   *request_id)
{
  g_return_val_if_fail (CABUT_IS_HISTORY (self), NULL);

  for (guint i = 0; i < self->requests->len; i++)
    if (g_strcmp0 (cabut_request_get_id (g_ptr_array_index (self->requests, i)), request_id) == 0)
      return g_ptr_array_index (self->requests, i);

  return NULL;
}

/* GListModel */

static GType
cabut_history_get_item_type (GListModel *model)
{
  return CABUT_TYPE_REQUEST;
}

static guint
cabut_history_get_n_items (GListModel *model)
{
  return CABUT_HISTORY (model)->shown->len;
}

static gpointer
cabut_history_get_item (GListModel *model,
                        guint       position)
{
  CabutHistory *self = CABUT_HISTORY (model);

  if (position >= self->shown->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->requests, g_array_index (self->shown, guint, position)));
}

static void
cabut_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cabut_history_get_item_type;
  iface->get_n_items = cabut_history_get_n_items;
  iface->get_item = cabut_history_get_item;
}

/* GObject */

static void
cabut_history_finalize (GObject *object)
{
  CabutHistory *self = (CabutHistory *)object;

  g_clear_object (&self->indexing);
  g_clear_pointer (&self->keys, g_free);
  g_clear_pointer (&self->key_starts, g_free);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->shown, g_array_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->folded, g_free);
  g_clear_pointer (&self->words, g_strfreev);
  g_clear_pointer (&self->earlier, g_ptr_array_unref);

  G_OBJECT_CLASS (cabut_history_parent_class)->finalize (object);
}

static void
cabut_history_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CabutHistory *self = CABUT_HISTORY (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_FILTER:
      g_value_set_enum (value, self->filter);
      break;
    case PROP_N_REQUESTS:
      g_value_set_uint (value, self->requests->len);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->shown->len);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_history_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CabutHistory *self = CABUT_HISTORY (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      cabut_history_set_query (self, g_value_get_string (value));
      break;
    case PROP_FILTER:
      cabut_history_set_filter (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_history_class_init (CabutHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cabut_history_finalize;
  object_class->get_property = cabut_history_get_property;
  object_class->set_property = cabut_history_set_property;

  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER] =
    g_param_spec_enum ("filter", NULL, NULL, CABUT_TYPE_HISTORY_FILTER, CABUT_HISTORY_FILTER_ALL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_REQUESTS] =
    g_param_spec_uint ("n-requests", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_history_init (CabutHistory *self)
{
  self->requests = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = g_array_new (FALSE, FALSE, sizeof (guint));
  self->earlier = g_ptr_array_new_with_free_func ((GDestroyNotify) earlier_free);
}

CabutHistory *
cabut_history_new (void)
{
  return g_object_new (CABUT_TYPE_HISTORY, NULL);
}
