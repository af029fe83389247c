/* cabut-registered-certificate.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-registered-certificate"

#include "config.h"

#include "cabut-json-private.h"
#include "cabut-registered-certificate.h"

/* A certificate the service holds for the signed-in account, as one
 * element of "certificates" in GET /api/v1/me. */
struct _CabutRegisteredCertificate
{
  GObject    parent_instance;

  char      *serial;
  char      *subject;
  CabutDn   *subject_dn;
  char      *issuer;
  GDateTime *not_before;
  GDateTime *not_after;
  char      *status;
  GDateTime *revoked_at;
  char      *reason;
};

G_DEFINE_FINAL_TYPE (CabutRegisteredCertificate, cabut_registered_certificate, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERIAL,
  PROP_SUBJECT,
  PROP_ISSUER,
  PROP_NOT_BEFORE,
  PROP_NOT_AFTER,
  PROP_REVOKED,
  PROP_STATUS,
  PROP_REVOKED_AT,
  PROP_REASON,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
cabut_registered_certificate_finalize (GObject *object)
{
  CabutRegisteredCertificate *self = (CabutRegisteredCertificate *)object;

  g_clear_pointer (&self->serial, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->subject_dn, cabut_dn_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->revoked_at, g_date_time_unref);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (cabut_registered_certificate_parent_class)->finalize (object);
}

static void
cabut_registered_certificate_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  CabutRegisteredCertificate *self = CABUT_REGISTERED_CERTIFICATE (object);

  switch (prop_id)
    {
    case PROP_SERIAL:
      g_value_set_string (value, self->serial);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;
    case PROP_NOT_BEFORE:
      g_value_set_boxed (value, self->not_before);
      break;
    case PROP_NOT_AFTER:
      g_value_set_boxed (value, self->not_after);
      break;
    case PROP_REVOKED:
      g_value_set_boolean (value, cabut_registered_certificate_get_revoked (self));
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_REVOKED_AT:
      g_value_set_boxed (value, self->revoked_at);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_registered_certificate_class_init (CabutRegisteredCertificateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_registered_certificate_finalize;
  object_class->get_property = cabut_registered_certificate_get_property;

  properties[PROP_SERIAL] = g_param_spec_string ("serial", NULL, NULL, NULL, flags);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  properties[PROP_ISSUER] = g_param_spec_string ("issuer", NULL, NULL, NULL, flags);
  properties[PROP_NOT_BEFORE] = g_param_spec_boxed ("not-before", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_NOT_AFTER] = g_param_spec_boxed ("not-after", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_REVOKED] = g_param_spec_boolean ("revoked", NULL, NULL, FALSE, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_REVOKED_AT] = g_param_spec_boxed ("revoked-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_registered_certificate_init (CabutRegisteredCertificate *self)
{
}

/**
 * cabut_registered_certificate_new_from_json:
 * @node: one element of "certificates" in GET /api/v1/me
 *
 * Returns: (transfer full) (nullable): the certificate, or %NULL with
 *   %CABUT_AMS_ERROR_PROTOCOL
 */
CabutRegisteredCertificate *
cabut_registered_certificate_new_from_json (JsonNode  *node,
                                            GError   **error)
{
  g_autoptr(CabutRegisteredCertificate) self = NULL;
  JsonObject *object;

  if ((object = cabut_json_get_object (node, "certificates", error)) == NULL)
    return NULL;

  self = g_object_new (CABUT_TYPE_REGISTERED_CERTIFICATE, NULL);
  if (!cabut_json_get_string (object, "serial", FALSE, &self->serial, error) ||
      !cabut_json_get_string (object, "subject", FALSE, &self->subject, error) ||
      !cabut_json_get_string (object, "issuer", FALSE, &self->issuer, error) ||
      !cabut_json_get_time (object, "not_before", FALSE, &self->not_before, error) ||
      !cabut_json_get_time (object, "not_after", FALSE, &self->not_after, error) ||
      !cabut_json_get_string (object, "status", FALSE, &self->status, error) ||
      !cabut_json_get_time (object, "revoked_at", TRUE, &self->revoked_at, error) ||
      !cabut_json_get_string (object, "reason", TRUE, &self->reason, error))
    return NULL;

  /* The DN check before sending compares against this; one that does not
   * parse must not read as "no difference". */
  if ((self->subject_dn = cabut_dn_new_from_string (self->subject, NULL)) == NULL)
    {
      cabut_json_set_error (error, "subject");
      return NULL;
    }

  return g_steal_pointer (&self);
}

/** cabut_registered_certificate_get_serial: Returns: uppercase hex, as cabut_certificate_get_serial() */
const char *
cabut_registered_certificate_get_serial (CabutRegisteredCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_REGISTERED_CERTIFICATE (self), NULL);
  return self->serial;
}

/** cabut_registered_certificate_get_subject: Returns: the Subject DN, RFC 4514 */
const char *
cabut_registered_certificate_get_subject (CabutRegisteredCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_REGISTERED_CERTIFICATE (self), NULL);
  return self->subject;
}

/** cabut_registered_certificate_get_subject_dn: Returns: (transfer none): the Subject DN, parsed */
const CabutDn *
cabut_registered_certificate_get_subject_dn (CabutRegisteredCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_REGISTERED_CERTIFICATE (self), NULL);
  return self->subject_dn;
}

const char *
cabut_registered_certificate_get_issuer (CabutRegisteredCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_REGISTERED_CERTIFICATE (self), NULL);
  return self->issuer;
}

/** cabut_registered_certificate_get_not_before: Returns: (transfer none) */
GDateTime *
cabut_registered_certificate_get_not_before (CabutRegisteredCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_REGISTERED_CERTIFICATE (self), NULL);
  return self->not_before;
}

/** cabut_registered_certificate_get_not_after: Returns: (transfer none) */
GDateTime *
cabut_registered_certificate_get_not_after (CabutRegisteredCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_REGISTERED_CERTIFICATE (self), NULL);
  return self->not_after;
}

/** cabut_registered_certificate_get_revoked: Returns: %TRUE if the service has revoked it */
gboolean
cabut_registered_certificate_get_revoked (CabutRegisteredCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_REGISTERED_CERTIFICATE (self), FALSE);
  return g_strcmp0 (self->status, "revoked") == 0;
}

/** cabut_registered_certificate_get_status: Returns: the registry's status, e.g. "valid" or "revoked" */
const char *
cabut_registered_certificate_get_status (CabutRegisteredCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_REGISTERED_CERTIFICATE (self), NULL);
  return self->status;
}

/** cabut_registered_certificate_get_revoked_at: Returns: (transfer none) (nullable) */
GDateTime *
cabut_registered_certificate_get_revoked_at (CabutRegisteredCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_REGISTERED_CERTIFICATE (self), NULL);
  return self->revoked_at;
}

/** cabut_registered_certificate_get_reason: Returns: (nullable): the RFC 5280 name of the revocation reason */
const char *
cabut_registered_certificate_get_reason (CabutRegisteredCertificate *self)
{
  g_return_val_if_fail (CABUT_IS_REGISTERED_CERTIFICATE (self), NULL);
  return self->reason;
}
