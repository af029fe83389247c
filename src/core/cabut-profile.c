/* cabut-profile.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-profile"

#include "config.h"

#include "cabut-core-enums.h"
#include "cabut-json-private.h"
#include "cabut-profile.h"

/* The signed-in account (GET /api/v1/me) with the certificates the service
 * holds for it. */

enum
{
  STRING_USERNAME,
  STRING_FULL_NAME,
  STRING_EMAIL,
  STRING_NIK,
  STRING_NIP,
  STRING_POSITION,
  STRING_UNIT,
  STRING_ORGANIZATION,
  N_STRINGS
};

static const struct {
  const char *member;
  const char *property;
  gboolean    nullable;
} strings[N_STRINGS] = {
  { "username", "username", FALSE },
  { "full_name", "full-name", FALSE },
  { "email", "email", TRUE },
  { "nik", "nik", TRUE },
  { "nip", "nip", TRUE },
  { "position", "position", TRUE },
  { "unit", "unit", TRUE },
  { "organization", "organization", TRUE },
};

static const char * const role_names[] = { "applicant", "operator", "admin" };

struct _CabutProfile
{
  GObject     parent_instance;

  char       *strings[N_STRINGS];
  CabutRole   role;
  gboolean    totp_enabled;
  GListStore *certificates;   /* CabutRegisteredCertificate */
  char       *certificates_next;  /* the cursor of the rest, while it is being read */
};

G_DEFINE_FINAL_TYPE (CabutProfile, cabut_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  /* PROP_USERNAME … PROP_ORGANIZATION follow the string order */
  PROP_ROLE = N_STRINGS + 1,
  PROP_TOTP_ENABLED,
  PROP_CERTIFICATES,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
cabut_profile_finalize (GObject *object)
{
  CabutProfile *self = (CabutProfile *)object;

  for (guint i = 0; i < N_STRINGS; i++)
    g_clear_pointer (&self->strings[i], g_free);
  g_clear_object (&self->certificates);
  g_clear_pointer (&self->certificates_next, g_free);

  G_OBJECT_CLASS (cabut_profile_parent_class)->finalize (object);
}

static void
cabut_profile_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CabutProfile *self = CABUT_PROFILE (object);

  if (prop_id >= 1 && prop_id <= N_STRINGS)
    {
      g_value_set_string (value, self->strings[prop_id - 1]);
      return;
    }

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_TOTP_ENABLED:
      g_value_set_boolean (value, self->totp_enabled);
      break;
    case PROP_CERTIFICATES:
      g_value_set_object (value, self->certificates);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_profile_class_init (CabutProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_profile_finalize;
  object_class->get_property = cabut_profile_get_property;

  for (guint i = 0; i < N_STRINGS; i++)
    properties[i + 1] = g_param_spec_string (strings[i].property, NULL, NULL, NULL, flags);
  properties[PROP_ROLE] = g_param_spec_enum ("role", NULL, NULL, CABUT_TYPE_ROLE, CABUT_ROLE_APPLICANT, flags);
  properties[PROP_TOTP_ENABLED] = g_param_spec_boolean ("totp-enabled", NULL, NULL, FALSE, flags);
  properties[PROP_CERTIFICATES] = g_param_spec_object ("certificates", NULL, NULL, G_TYPE_LIST_MODEL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_profile_init (CabutProfile *self)
{
  self->certificates = g_list_store_new (CABUT_TYPE_REGISTERED_CERTIFICATE);
}

/* Every element, or none of them when one is malformed. */
static gboolean
append_certificates (CabutProfile  *self,
                     JsonArray     *certificates,
                     GError       **error)
{
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (certificates); i++)
    {
      CabutRegisteredCertificate *certificate;

      certificate = cabut_registered_certificate_new_from_json (json_array_get_element (certificates, i), error);
      if (certificate == NULL)
        return FALSE;
      g_ptr_array_add (parsed, certificate);
    }
  g_list_store_splice (self->certificates, g_list_model_get_n_items (G_LIST_MODEL (self->certificates)), 0,
                       parsed->pdata, parsed->len);

  return TRUE;
}

/**
 * cabut_profile_new_from_json:
 * @node: the answer of GET /api/v1/me
 *
 * Returns: (transfer full) (nullable): the account, or %NULL with
 *   %CABUT_AMS_ERROR_PROTOCOL when @node is not of that shape
 */
CabutProfile *
cabut_profile_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(CabutProfile) self = NULL;
  g_autofree char *role = NULL;
  JsonObject *object;
  JsonArray *certificates;

  if ((object = cabut_json_get_object (node, "me", error)) == NULL)
    return NULL;

  self = g_object_new (CABUT_TYPE_PROFILE, NULL);
  for (guint i = 0; i < N_STRINGS; i++)
    if (!cabut_json_get_string (object, strings[i].member, strings[i].nullable, &self->strings[i], error))
      return NULL;

  if (!cabut_json_get_string (object, "role", FALSE, &role, error) ||
      !cabut_json_get_boolean (object, "totp_enabled", &self->totp_enabled, error) ||
      (certificates = cabut_json_get_array_member (object, "certificates", error)) == NULL)
    return NULL;

  if (!cabut_role_from_string (role, &self->role))
    {
      cabut_json_set_error (error, "role");
      return NULL;
    }

  if (!append_certificates (self, certificates, error))
    return NULL;
  /* A service before paging sends no certificates_next: it sent them all. */
  if (json_object_has_member (object, "certificates_next") &&
      !cabut_json_get_string (object, "certificates_next", TRUE, &self->certificates_next, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * cabut_profile_take_certificates_next:
 *
 * For #CabutAmsClient, which reads the rest of the certificates.
 *
 * Returns: (transfer full) (nullable): the cursor of the certificates not
 *   read yet, or %NULL when they all are
 */
char *
cabut_profile_take_certificates_next (CabutProfile *self)
{
  g_return_val_if_fail (CABUT_IS_PROFILE (self), NULL);

  return g_steal_pointer (&self->certificates_next);
}

/**
 * cabut_profile_add_certificates_from_json:
 * @node: a page of GET /api/v1/me/certificates: `{"certificates": […], "next": …}`
 * @next: (out) (transfer full) (nullable): the cursor of the page after
 *
 * Appends a page of the account's certificates, all or none of it.
 */
gboolean
cabut_profile_add_certificates_from_json (CabutProfile  *self,
                                          JsonNode      *node,
                                          char         **next,
                                          GError       **error)
{
  JsonObject *object;
  JsonArray *certificates;

  g_return_val_if_fail (CABUT_IS_PROFILE (self), FALSE);

  *next = NULL;
  return (object = cabut_json_get_object (node, "certificates", error)) != NULL &&
         (certificates = cabut_json_get_array_member (object, "certificates", error)) != NULL &&
         cabut_json_get_string (object, "next", TRUE, next, error) &&
         append_certificates (self, certificates, error);
}

#define STRING_GETTER(func, index)                        \
  const char *                                            \
  cabut_profile_get_##func (CabutProfile *self)           \
  {                                                       \
    g_return_val_if_fail (CABUT_IS_PROFILE (self), NULL); \
    return self->strings[index];                          \
  }

STRING_GETTER (username, STRING_USERNAME)
STRING_GETTER (full_name, STRING_FULL_NAME)
STRING_GETTER (email, STRING_EMAIL)
STRING_GETTER (nik, STRING_NIK)
STRING_GETTER (nip, STRING_NIP)
STRING_GETTER (position, STRING_POSITION)
STRING_GETTER (unit, STRING_UNIT)
STRING_GETTER (organization, STRING_ORGANIZATION)

CabutRole
cabut_profile_get_role (CabutProfile *self)
{
  g_return_val_if_fail (CABUT_IS_PROFILE (self), CABUT_ROLE_APPLICANT);
  return self->role;
}

gboolean
cabut_profile_get_totp_enabled (CabutProfile *self)
{
  g_return_val_if_fail (CABUT_IS_PROFILE (self), FALSE);
  return self->totp_enabled;
}

/**
 * cabut_profile_get_certificates:
 *
 * Returns: (transfer none): a list of #CabutRegisteredCertificate, oldest first
 */
GListModel *
cabut_profile_get_certificates (CabutProfile *self)
{
  g_return_val_if_fail (CABUT_IS_PROFILE (self), NULL);
  return G_LIST_MODEL (self->certificates);
}

/** cabut_role_to_string: Returns: the service's name of @role, e.g. "operator" */
const char *
cabut_role_to_string (CabutRole role)
{
  g_return_val_if_fail (role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

gboolean
cabut_role_from_string (const char *string,
                        CabutRole  *role)
{
  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (g_str_equal (string, role_names[i]))
      {
        if (role != NULL)
          *role = i;
        return TRUE;
      }

  return FALSE;
}
