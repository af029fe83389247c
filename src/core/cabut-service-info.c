/* cabut-service-info.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-service-info"

#include "config.h"

#include "cabut-json-private.h"
#include "cabut-service-info.h"

/* The service's public information (GET /api/v1/service): who runs it, how
 * to complain, how long it takes. The app keeps the last answer in its
 * offline cache as cabut_service_info_to_json() wrote it. */

enum
{
  STRING_AGENCY,
  STRING_SERVICE_NAME,
  STRING_PHONE,
  STRING_EMAIL,
  STRING_WEBSITE,
  STRING_COMPLAINTS_OFFICER,
  STRING_ESCALATION,
  STRING_OFFICE_HOURS,
  STRING_ADDRESS,
  N_STRINGS
};

/* JSON member and property name of each string, in the order above. */
static const struct {
  const char *member;
  const char *property;
} strings[N_STRINGS] = {
  { "agency", "agency" },
  { "service_name", "service-name" },
  { "phone", "phone" },
  { "email", "email" },
  { "website", "website" },
  { "complaints_officer", "complaints-officer" },
  { "escalation", "escalation" },
  { "office_hours", "office-hours" },
  { "address", "address" },
};

struct _CabutServiceInfo
{
  GObject  parent_instance;

  char    *strings[N_STRINGS];
  guint    service_days;
  guint64  fee;
  guint64  max_letter_size;
  gboolean second_approval;
};

G_DEFINE_FINAL_TYPE (CabutServiceInfo, cabut_service_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  /* PROP_AGENCY … PROP_ADDRESS follow the string order */
  PROP_SERVICE_DAYS = N_STRINGS + 1,
  PROP_FEE,
  PROP_MAX_LETTER_SIZE,
  PROP_SECOND_APPROVAL,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
cabut_service_info_finalize (GObject *object)
{
  CabutServiceInfo *self = (CabutServiceInfo *)object;

  for (guint i = 0; i < N_STRINGS; i++)
    g_clear_pointer (&self->strings[i], g_free);

  G_OBJECT_CLASS (cabut_service_info_parent_class)->finalize (object);
}

static void
cabut_service_info_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CabutServiceInfo *self = CABUT_SERVICE_INFO (object);

  if (prop_id >= 1 && prop_id <= N_STRINGS)
    {
      g_value_set_string (value, self->strings[prop_id - 1]);
      return;
    }

  switch (prop_id)
    {
    case PROP_SERVICE_DAYS:
      g_value_set_uint (value, self->service_days);
      break;
    case PROP_FEE:
      g_value_set_uint64 (value, self->fee);
      break;
    case PROP_MAX_LETTER_SIZE:
      g_value_set_uint64 (value, self->max_letter_size);
      break;
    case PROP_SECOND_APPROVAL:
      g_value_set_boolean (value, self->second_approval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_service_info_class_init (CabutServiceInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cabut_service_info_finalize;
  object_class->get_property = cabut_service_info_get_property;

  for (guint i = 0; i < N_STRINGS; i++)
    properties[i + 1] = g_param_spec_string (strings[i].property, NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE_DAYS] =
    g_param_spec_uint ("service-days", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FEE] =
    g_param_spec_uint64 ("fee", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECOND_APPROVAL] =
    g_param_spec_boolean ("second-approval", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_LETTER_SIZE] =
    g_param_spec_uint64 ("max-letter-size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_service_info_init (CabutServiceInfo *self)
{
}

/**
 * cabut_service_info_new_from_json:
 * @node: the answer of GET /api/v1/service
 *
 * Returns: (transfer full) (nullable): the information, or %NULL with
 *   %CABUT_AMS_ERROR_PROTOCOL when @node is not of that shape
 */
CabutServiceInfo *
cabut_service_info_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(CabutServiceInfo) self = NULL;
  JsonObject *object;
  gint64 service_days = 0;
  gint64 fee = 0;
  gint64 max_letter_size = 0;

  if ((object = cabut_json_get_object (node, "service", error)) == NULL)
    return NULL;

  self = g_object_new (CABUT_TYPE_SERVICE_INFO, NULL);
  for (guint i = 0; i < N_STRINGS; i++)
    if (!cabut_json_get_string (object, strings[i].member, TRUE, &self->strings[i], error))
      return NULL;

  if (!cabut_json_get_int (object, "service_days", 0, G_MAXUINT, &service_days, error) ||
      !cabut_json_get_int (object, "fee", 0, G_MAXINT64, &fee, error) ||
      !cabut_json_get_int (object, "max_letter_size", 0, G_MAXINT64, &max_letter_size, error))
    return NULL;

  self->service_days = service_days;
  self->fee = fee;
  self->max_letter_size = max_letter_size;

  /* Absent from an older service's answer (and a copy kept before): off. */
  if (json_object_has_member (object, "second_approval") &&
      !cabut_json_get_boolean (object, "second_approval", &self->second_approval, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * cabut_service_info_new_from_json_string:
 * @json: what cabut_service_info_to_json() wrote, or the service's answer
 *
 * Returns: (transfer full) (nullable): the information
 */
CabutServiceInfo *
cabut_service_info_new_from_json_string (const char  *json,
                                         GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  if ((node = cabut_json_parse (json, -1, NULL)) == NULL)
    {
      cabut_json_set_error (error, "service");
      return NULL;
    }

  return cabut_service_info_new_from_json (node, error);
}

/**
 * cabut_service_info_to_json:
 *
 * Returns: (transfer full): the information in the shape the service sends it
 */
char *
cabut_service_info_to_json (CabutServiceInfo *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (CABUT_IS_SERVICE_INFO (self), NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < N_STRINGS; i++)
    {
      json_builder_set_member_name (builder, strings[i].member);
      if (self->strings[i] != NULL)
        json_builder_add_string_value (builder, self->strings[i]);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "service_days");
  json_builder_add_int_value (builder, self->service_days);
  json_builder_set_member_name (builder, "fee");
  json_builder_add_int_value (builder, (gint64) MIN (self->fee, (guint64) G_MAXINT64));
  json_builder_set_member_name (builder, "max_letter_size");
  json_builder_add_int_value (builder, (gint64) MIN (self->max_letter_size, (guint64) G_MAXINT64));
  /* Absent reads as off: written only when on, so a copy from before reads the same. */
  if (self->second_approval)
    {
      json_builder_set_member_name (builder, "second_approval");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  return json_to_string (node, FALSE);
}

#define STRING_GETTER(func, index)                             \
  const char *                                                 \
  cabut_service_info_get_##func (CabutServiceInfo *self)       \
  {                                                            \
    g_return_val_if_fail (CABUT_IS_SERVICE_INFO (self), NULL); \
    return self->strings[index];                               \
  }

STRING_GETTER (agency, STRING_AGENCY)
STRING_GETTER (service_name, STRING_SERVICE_NAME)
STRING_GETTER (phone, STRING_PHONE)
STRING_GETTER (email, STRING_EMAIL)
STRING_GETTER (website, STRING_WEBSITE)
STRING_GETTER (complaints_officer, STRING_COMPLAINTS_OFFICER)
STRING_GETTER (escalation, STRING_ESCALATION)
STRING_GETTER (office_hours, STRING_OFFICE_HOURS)
STRING_GETTER (address, STRING_ADDRESS)

guint
cabut_service_info_get_service_days (CabutServiceInfo *self)
{
  g_return_val_if_fail (CABUT_IS_SERVICE_INFO (self), 0);
  return self->service_days;
}

guint64
cabut_service_info_get_fee (CabutServiceInfo *self)
{
  g_return_val_if_fail (CABUT_IS_SERVICE_INFO (self), 0);
  return self->fee;
}

guint64
cabut_service_info_get_max_letter_size (CabutServiceInfo *self)
{
  g_return_val_if_fail (CABUT_IS_SERVICE_INFO (self), 0);
  return self->max_letter_size;
}

/** cabut_service_info_get_second_approval: Returns: whether a decision needs a second officer to confirm it */
gboolean
cabut_service_info_get_second_approval (CabutServiceInfo *self)
{
  g_return_val_if_fail (CABUT_IS_SERVICE_INFO (self), FALSE);
  return self->second_approval;
}
