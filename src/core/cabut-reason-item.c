/* cabut-reason-item.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-reason-item"

#include "config.h"

#include "cabut-json-private.h"
#include "cabut-reason-item.h"

/* One revocation reason the service offers (GET /api/v1/reasons), with its
 * label and help in one language. */
struct _CabutReasonItem
{
  GObject   parent_instance;

  int       code;
  char     *name;
  char     *label;
  char     *help;
  gboolean  operator_only;
};

G_DEFINE_FINAL_TYPE (CabutReasonItem, cabut_reason_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_LABEL,
  PROP_HELP,
  PROP_OPERATOR_ONLY,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static gboolean
get_localized (JsonObject  *object,
               const char  *member,
               const char  *language,
               char       **out,
               GError     **error)
{
  JsonObject *texts = cabut_json_get_object_member (object, member, error);

  /* The service speaks Indonesian and English; anything else reads Indonesian. */
  return texts != NULL &&
         cabut_json_get_string (texts, g_str_has_prefix (language, "en") ? "en" : "id", FALSE, out, error);
}

static void
cabut_reason_item_finalize (GObject *object)
{
  CabutReasonItem *self = (CabutReasonItem *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->help, g_free);

  G_OBJECT_CLASS (cabut_reason_item_parent_class)->finalize (object);
}

static void
cabut_reason_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CabutReasonItem *self = CABUT_REASON_ITEM (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_int (value, self->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_HELP:
      g_value_set_string (value, self->help);
      break;
    case PROP_OPERATOR_ONLY:
      g_value_set_boolean (value, self->operator_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_reason_item_class_init (CabutReasonItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_reason_item_finalize;
  object_class->get_property = cabut_reason_item_get_property;

  properties[PROP_CODE] = g_param_spec_int ("code", NULL, NULL, 0, 10, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_HELP] = g_param_spec_string ("help", NULL, NULL, NULL, flags);
  properties[PROP_OPERATOR_ONLY] = g_param_spec_boolean ("operator-only", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_reason_item_init (CabutReasonItem *self)
{
}

/**
 * cabut_reason_item_new_from_json:
 * @node: one element of "reasons" in GET /api/v1/reasons
 * @language: "id" or "en": which of the service's texts to keep
 *
 * Returns: (transfer full) (nullable): the reason, or %NULL with
 *   %CABUT_AMS_ERROR_PROTOCOL
 */
CabutReasonItem *
cabut_reason_item_new_from_json (JsonNode    *node,
                                 const char  *language,
                                 GError     **error)
{
  g_autoptr(CabutReasonItem) self = NULL;
  JsonObject *object;
  gint64 code = 0;

  g_return_val_if_fail (language != NULL, NULL);

  if ((object = cabut_json_get_object (node, "reasons", error)) == NULL)
    return NULL;

  /* RFC 5280 CRLReason codes run from 0 to 10. */
  self = g_object_new (CABUT_TYPE_REASON_ITEM, NULL);
  if (!cabut_json_get_int (object, "code", 0, 10, &code, error) ||
      !cabut_json_get_string (object, "name", FALSE, &self->name, error) ||
      !get_localized (object, "label", language, &self->label, error) ||
      !get_localized (object, "help", language, &self->help, error) ||
      !cabut_json_get_boolean (object, "operator_only", &self->operator_only, error))
    return NULL;
  self->code = code;

  return g_steal_pointer (&self);
}

/**
 * cabut_reason_item_list_new_from_json:
 * @node: the answer of GET /api/v1/reasons: `{"reasons": […]}`
 * @language: "id" or "en"
 *
 * Returns: (transfer full) (nullable): a list of #CabutReasonItem in the
 *   service's order, or %NULL with %CABUT_AMS_ERROR_PROTOCOL
 */
GListModel *
cabut_reason_item_list_new_from_json (JsonNode    *node,
                                      const char  *language,
                                      GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (CABUT_TYPE_REASON_ITEM);
  JsonObject *object;
  JsonArray *array;

  g_return_val_if_fail (language != NULL, NULL);

  if ((object = cabut_json_get_object (node, "reasons", error)) == NULL ||
      (array = cabut_json_get_array_member (object, "reasons", error)) == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(CabutReasonItem) item = NULL;

      if ((item = cabut_reason_item_new_from_json (json_array_get_element (array, i), language, error)) == NULL)
        return NULL;
      g_list_store_append (store, item);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/** cabut_reason_item_get_code: Returns: the RFC 5280 CRLReason code */
int
cabut_reason_item_get_code (CabutReasonItem *self)
{
  g_return_val_if_fail (CABUT_IS_REASON_ITEM (self), 0);
  return self->code;
}

/** cabut_reason_item_get_name: Returns: the RFC 5280 name, e.g. "keyCompromise" */
const char *
cabut_reason_item_get_name (CabutReasonItem *self)
{
  g_return_val_if_fail (CABUT_IS_REASON_ITEM (self), NULL);
  return self->name;
}

const char *
cabut_reason_item_get_label (CabutReasonItem *self)
{
  g_return_val_if_fail (CABUT_IS_REASON_ITEM (self), NULL);
  return self->label;
}

const char *
cabut_reason_item_get_help (CabutReasonItem *self)
{
  g_return_val_if_fail (CABUT_IS_REASON_ITEM (self), NULL);
  return self->help;
}

/** cabut_reason_item_get_operator_only: Returns: %TRUE if only an officer may pick it */
gboolean
cabut_reason_item_get_operator_only (CabutReasonItem *self)
{
  g_return_val_if_fail (CABUT_IS_REASON_ITEM (self), FALSE);
  return self->operator_only;
}
