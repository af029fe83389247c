/* cabut-request-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-request-page"

#include "config.h"

#include "cabut-json-private.h"
#include "cabut-request.h"
#include "cabut-request-page.h"

/* One page of a listing (GET /api/v1/requests or /api/v1/queue): its
 * requests, and the opaque cursor of the next page, %NULL on the last. */
struct _CabutRequestPage
{
  GObject     parent_instance;

  GListModel *requests;   /* CabutRequest */
  char       *next;
};

G_DEFINE_FINAL_TYPE (CabutRequestPage, cabut_request_page, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REQUESTS,
  PROP_NEXT,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
cabut_request_page_finalize (GObject *object)
{
  CabutRequestPage *self = (CabutRequestPage *)object;

  g_clear_object (&self->requests);
  g_clear_pointer (&self->next, g_free);

  G_OBJECT_CLASS (cabut_request_page_parent_class)->finalize (object);
}

static void
cabut_request_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CabutRequestPage *self = CABUT_REQUEST_PAGE (object);

  switch (prop_id)
    {
    case PROP_REQUESTS:
      g_value_set_object (value, self->requests);
      break;
    case PROP_NEXT:
      g_value_set_string (value, self->next);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_request_page_class_init (CabutRequestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cabut_request_page_finalize;
  object_class->get_property = cabut_request_page_get_property;

  properties[PROP_REQUESTS] =
    g_param_spec_object ("requests", NULL, NULL, G_TYPE_LIST_MODEL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT] =
    g_param_spec_string ("next", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_request_page_init (CabutRequestPage *self)
{
}

/**
 * cabut_request_page_new_from_json:
 * @node: `{"requests": [Request…], "next": cursor or null}`
 *
 * Returns: (transfer full) (nullable): the page, or %NULL with @error set
 *   (%CABUT_AMS_ERROR_PROTOCOL) when any part of it cannot be read
 */
CabutRequestPage *
cabut_request_page_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(CabutRequestPage) self = g_object_new (CABUT_TYPE_REQUEST_PAGE, NULL);
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);

  if ((self->requests = cabut_request_list_new_from_json (node, error)) == NULL ||
      (object = cabut_json_get_object (node, "requests", error)) == NULL ||
      !cabut_json_get_string (object, "next", TRUE, &self->next, error))
    return NULL;

  return g_steal_pointer (&self);
}

/** cabut_request_page_get_requests: Returns: (transfer none): the page's #CabutRequest list */
GListModel *
cabut_request_page_get_requests (CabutRequestPage *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_PAGE (self), NULL);
  return self->requests;
}

/** cabut_request_page_get_next: Returns: (nullable): the next page's cursor, %NULL on the last page */
const char *
cabut_request_page_get_next (CabutRequestPage *self)
{
  g_return_val_if_fail (CABUT_IS_REQUEST_PAGE (self), NULL);
  return self->next;
}
