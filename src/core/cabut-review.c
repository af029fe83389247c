/* cabut-review.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-review"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-json-private.h"
#include "cabut-review.h"

/* A review dossier as the service sends it (GET /api/v1/requests/ID/review):
 * the request, the account and registered certificate the service holds,
 * and the checks of the one against the other, each with what was
 * expected, what was found and whether they match. */

struct _CabutReviewCheck
{
  GObject   parent_instance;

  char     *name;
  char     *label;
  char     *expected;   /* nullable */
  char     *found;      /* nullable */
  gboolean  matches;
};

G_DEFINE_FINAL_TYPE (CabutReviewCheck, cabut_review_check, G_TYPE_OBJECT)

enum {
  CHECK_PROP_0,
  CHECK_PROP_NAME,
  CHECK_PROP_LABEL,
  CHECK_PROP_EXPECTED,
  CHECK_PROP_FOUND,
  CHECK_PROP_MATCHES,
  N_CHECK_PROPS
};

static GParamSpec *check_properties[N_CHECK_PROPS];

enum {
  CERT_SERIAL,
  CERT_SUBJECT,
  CERT_ISSUER,
  CERT_STATUS,
  CERT_SHA256,
  N_CERT_STRINGS
};

struct _CabutReview
{
  GObject       parent_instance;

  CabutRequest *request;
  char         *account[CABUT_REVIEW_ACCOUNT_N_FIELDS];
  char         *certificate[N_CERT_STRINGS];
  GPtrArray    *subject;      /* CabutRdnAttribute */
  GDateTime    *not_before;
  GDateTime    *not_after;
  GDateTime    *revoked_at;
  GListStore   *checks;       /* CabutReviewCheck */
  CabutCertificate *registered; /* nullable */
};

G_DEFINE_FINAL_TYPE (CabutReview, cabut_review, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REQUEST,
  PROP_SERIAL,
  PROP_SUBJECT,
  PROP_ISSUER,
  PROP_NOT_BEFORE,
  PROP_NOT_AFTER,
  PROP_REVOKED,
  PROP_SHA256,
  PROP_CHECKS,
  PROP_MISMATCHES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *member;
  gboolean    nullable;
  const char *label;
} account_fields[] = {
  [CABUT_REVIEW_ACCOUNT_USERNAME] = { "username", FALSE, N_("User name") },
  [CABUT_REVIEW_ACCOUNT_FULL_NAME] = { "full_name", FALSE, N_("Full name") },
  [CABUT_REVIEW_ACCOUNT_EMAIL] = { "email", TRUE, N_("Email address") },
  [CABUT_REVIEW_ACCOUNT_NIK] = { "nik", TRUE, N_("NIK") },
  [CABUT_REVIEW_ACCOUNT_NIP] = { "nip", TRUE, N_("NIP") },
  [CABUT_REVIEW_ACCOUNT_POSITION] = { "position", TRUE, N_("Position") },
  [CABUT_REVIEW_ACCOUNT_UNIT] = { "unit", TRUE, N_("Unit") },
  [CABUT_REVIEW_ACCOUNT_ORGANIZATION] = { "organization", TRUE, N_("Organization") },
};

static const struct {
  const char *member;
  gboolean    nullable;
} cert_strings[] = {
  [CERT_SERIAL] = { "serial", FALSE },
  [CERT_SUBJECT] = { "subject_string", FALSE },
  [CERT_ISSUER] = { "issuer", FALSE },
  [CERT_STATUS] = { "status", FALSE },
  [CERT_SHA256] = { "sha256", TRUE },
};

static void
cabut_review_check_finalize (GObject *object)
{
  CabutReviewCheck *self = (CabutReviewCheck *)object;

  g_free (self->name);
  g_free (self->label);
  g_free (self->expected);
  g_free (self->found);

  G_OBJECT_CLASS (cabut_review_check_parent_class)->finalize (object);
}

static void
cabut_review_check_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CabutReviewCheck *self = CABUT_REVIEW_CHECK (object);

  switch (prop_id)
    {
    case CHECK_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case CHECK_PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case CHECK_PROP_EXPECTED:
      g_value_set_string (value, self->expected);
      break;
    case CHECK_PROP_FOUND:
      g_value_set_string (value, self->found);
      break;
    case CHECK_PROP_MATCHES:
      g_value_set_boolean (value, self->matches);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_review_check_class_init (CabutReviewCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cabut_review_check_finalize;
  object_class->get_property = cabut_review_check_get_property;

  check_properties[CHECK_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  check_properties[CHECK_PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  check_properties[CHECK_PROP_EXPECTED] =
    g_param_spec_string ("expected", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  check_properties[CHECK_PROP_FOUND] =
    g_param_spec_string ("found", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  check_properties[CHECK_PROP_MATCHES] =
    g_param_spec_boolean ("matches", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_CHECK_PROPS, check_properties);
}

static void
cabut_review_check_init (CabutReviewCheck *self)
{
}

static void
cabut_review_finalize (GObject *object)
{
  CabutReview *self = (CabutReview *)object;

  g_clear_object (&self->request);
  for (guint i = 0; i < G_N_ELEMENTS (self->account); i++)
    g_free (self->account[i]);
  for (guint i = 0; i < G_N_ELEMENTS (self->certificate); i++)
    g_free (self->certificate[i]);
  g_clear_pointer (&self->subject, g_ptr_array_unref);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->revoked_at, g_date_time_unref);
  g_clear_object (&self->checks);
  g_clear_object (&self->registered);

  G_OBJECT_CLASS (cabut_review_parent_class)->finalize (object);
}

static void
cabut_review_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CabutReview *self = CABUT_REVIEW (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;
    case PROP_SERIAL:
      g_value_set_string (value, self->certificate[CERT_SERIAL]);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->certificate[CERT_SUBJECT]);
      break;
    case PROP_ISSUER:
      g_value_set_string (value, self->certificate[CERT_ISSUER]);
      break;
    case PROP_NOT_BEFORE:
      g_value_set_boxed (value, self->not_before);
      break;
    case PROP_NOT_AFTER:
      g_value_set_boxed (value, self->not_after);
      break;
    case PROP_REVOKED:
      g_value_set_boolean (value, cabut_review_get_revoked (self));
      break;
    case PROP_SHA256:
      g_value_set_string (value, self->certificate[CERT_SHA256]);
      break;
    case PROP_CHECKS:
      g_value_set_object (value, self->checks);
      break;
    case PROP_MISMATCHES:
      g_value_set_uint (value, cabut_review_count_mismatches (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_review_class_init (CabutReviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cabut_review_finalize;
  object_class->get_property = cabut_review_get_property;

  /* Read-only: a dossier is read from the service whole, never changed. */
  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, CABUT_TYPE_REQUEST, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERIAL] =
    g_param_spec_string ("serial", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ISSUER] =
    g_param_spec_string ("issuer", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOT_BEFORE] =
    g_param_spec_boxed ("not-before", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOT_AFTER] =
    g_param_spec_boxed ("not-after", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVOKED] =
    g_param_spec_boolean ("revoked", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHA256] =
    g_param_spec_string ("sha256", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKS] =
    g_param_spec_object ("checks", NULL, NULL, G_TYPE_LIST_MODEL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MISMATCHES] =
    g_param_spec_uint ("mismatches", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_review_init (CabutReview *self)
{
  self->subject = g_ptr_array_new_with_free_func ((GDestroyNotify) cabut_rdn_attribute_free);
  self->checks = g_list_store_new (CABUT_TYPE_REVIEW_CHECK);
}

static gboolean
read_subject (CabutReview  *self,
              JsonObject   *certificate,
              GError      **error)
{
  JsonArray *array;

  if ((array = cabut_json_get_array_member (certificate, "subject", error)) == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *oid = NULL;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      CabutRdnAttribute *attribute;
      JsonObject *object;
      gint64 rdn = 0;

      if ((object = cabut_json_get_object (json_array_get_element (array, i), "subject", error)) == NULL ||
          !cabut_json_get_string (object, "oid", FALSE, &oid, error) ||
          !cabut_json_get_string (object, "name", FALSE, &name, error) ||
          !cabut_json_get_string (object, "value", FALSE, &value, error) ||
          !cabut_json_get_int (object, "rdn", 0, G_MAXUINT, &rdn, error))
        return FALSE;
      if ((attribute = cabut_rdn_attribute_new (oid, name, value, rdn)) == NULL)
        {
          cabut_json_set_error (error, "oid");
          return FALSE;
        }
      g_ptr_array_add (self->subject, attribute);
    }

  return TRUE;
}

static gboolean
read_checks (CabutReview  *self,
             JsonObject   *root,
             GError      **error)
{
  JsonArray *array;

  if ((array = cabut_json_get_array_member (root, "checks", error)) == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(CabutReviewCheck) check = g_object_new (CABUT_TYPE_REVIEW_CHECK, NULL);
      JsonObject *object;

      if ((object = cabut_json_get_object (json_array_get_element (array, i), "checks", error)) == NULL ||
          !cabut_json_get_string (object, "name", FALSE, &check->name, error) ||
          !cabut_json_get_string (object, "label", FALSE, &check->label, error) ||
          !cabut_json_get_string (object, "expected", TRUE, &check->expected, error) ||
          !cabut_json_get_string (object, "found", TRUE, &check->found, error) ||
          !cabut_json_get_boolean (object, "matches", &check->matches, error))
        return FALSE;
      g_list_store_append (self->checks, check);
    }

  return TRUE;
}

/**
 * cabut_review_new_from_json:
 * @node: a review dossier as the service sends it
 *
 * Returns: (transfer full) (nullable): the dossier, or %NULL with
 *   %CABUT_AMS_ERROR_PROTOCOL when @node is not of that shape
 */
CabutReview *
cabut_review_new_from_json (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(CabutReview) self = NULL;
  JsonObject *root;
  JsonObject *account;
  JsonObject *certificate;
  JsonNode *request;
  g_autofree char *pem = NULL;

  if ((root = cabut_json_get_object (node, "review", error)) == NULL ||
      (account = cabut_json_get_object_member (root, "account", error)) == NULL ||
      (certificate = cabut_json_get_object_member (root, "certificate", error)) == NULL)
    return NULL;
  if ((request = json_object_get_member (root, "request")) == NULL)
    {
      cabut_json_set_error (error, "request");
      return NULL;
    }

  self = g_object_new (CABUT_TYPE_REVIEW, NULL);
  if ((self->request = cabut_request_new_from_json (request, error)) == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (account_fields); i++)
    if (!cabut_json_get_string (account, account_fields[i].member, account_fields[i].nullable,
                                &self->account[i], error))
      return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cert_strings); i++)
    if (!cabut_json_get_string (certificate, cert_strings[i].member, cert_strings[i].nullable,
                                &self->certificate[i], error))
      return NULL;
  if (!g_str_equal (self->certificate[CERT_STATUS], "good") &&
      !g_str_equal (self->certificate[CERT_STATUS], "revoked"))
    {
      cabut_json_set_error (error, "status");
      return NULL;
    }

  if (!read_subject (self, certificate, error) ||
      !cabut_json_get_time (certificate, "not_before", FALSE, &self->not_before, error) ||
      !cabut_json_get_time (certificate, "not_after", FALSE, &self->not_after, error) ||
      !cabut_json_get_time (certificate, "revoked_at", TRUE, &self->revoked_at, error) ||
      !read_checks (self, root, error) ||
      !cabut_json_get_string (certificate, "pem", TRUE, &pem, error))
    return NULL;
  if (pem != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (pem, strlen (pem));

      /* The registered certificate it claims to be, or a protocol error. */
      if ((self->registered = cabut_certificate_new_from_bytes (bytes, NULL, NULL)) == NULL ||
          g_strcmp0 (cabut_certificate_get_serial (self->registered), self->certificate[CERT_SERIAL]) != 0)
        {
          cabut_json_set_error (error, "pem");
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

/** cabut_review_get_request: Returns: (transfer none): the request, with its events */
CabutRequest *
cabut_review_get_request (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return self->request;
}

/** cabut_review_get_account: Returns: (nullable): what the account says of @field */
const char *
cabut_review_get_account (CabutReview             *self,
                          CabutReviewAccountField  field)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  g_return_val_if_fail (field < CABUT_REVIEW_ACCOUNT_N_FIELDS, NULL);
  return self->account[field];
}

/** cabut_review_account_field_to_label: Returns: the field's translated label */
const char *
cabut_review_account_field_to_label (CabutReviewAccountField field)
{
  g_return_val_if_fail (field < CABUT_REVIEW_ACCOUNT_N_FIELDS, NULL);
  return g_dgettext (GETTEXT_PACKAGE, account_fields[field].label);
}

const char *
cabut_review_get_serial (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return self->certificate[CERT_SERIAL];
}

/** cabut_review_get_subject: Returns: the registered Subject DN, RFC 4514 */
const char *
cabut_review_get_subject (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return self->certificate[CERT_SUBJECT];
}

/**
 * cabut_review_get_subject_attributes:
 *
 * Returns: (transfer none) (element-type CabutRdnAttribute): the registered
 *   Subject DN attribute by attribute, in the certificate's order
 */
GPtrArray *
cabut_review_get_subject_attributes (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return self->subject;
}

const char *
cabut_review_get_issuer (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return self->certificate[CERT_ISSUER];
}

GDateTime *
cabut_review_get_not_before (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return self->not_before;
}

GDateTime *
cabut_review_get_not_after (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return self->not_after;
}

/** cabut_review_get_revoked: Returns: whether the registry has the certificate revoked */
gboolean
cabut_review_get_revoked (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), FALSE);
  return g_str_equal (self->certificate[CERT_STATUS], "revoked");
}

/** cabut_review_get_revoked_at: Returns: (nullable) */
GDateTime *
cabut_review_get_revoked_at (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return self->revoked_at;
}

/** cabut_review_get_sha256: Returns: (nullable): the fingerprint, when the service holds the certificate itself */
const char *
cabut_review_get_sha256 (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return self->certificate[CERT_SHA256];
}

/** cabut_review_get_certificate: Returns: (transfer none) (nullable): the registered certificate itself, when the service holds it */
CabutCertificate *
cabut_review_get_certificate (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return self->registered;
}

/** cabut_review_get_checks: Returns: (transfer none): a list of #CabutReviewCheck */
GListModel *
cabut_review_get_checks (CabutReview *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);
  return G_LIST_MODEL (self->checks);
}

/**
 * cabut_review_find_check:
 * @name: a check's name: a Subject DN attribute's short name ("CN", "O", …),
 *   "serial", "issuer", "key_possession" or "letter"
 *
 * Returns: (transfer none) (nullable): the first check of that name
 */
CabutReviewCheck *
cabut_review_find_check (CabutReview *self,
                         const char  *name)
{
  g_return_val_if_fail (CABUT_IS_REVIEW (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i++)
    {
      g_autoptr(CabutReviewCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      if (g_str_equal (check->name, name))
        return check;
    }

  return NULL;
}

/** cabut_review_count_mismatches: Returns: how many checks do not match */
guint
cabut_review_count_mismatches (CabutReview *self)
{
  guint count = 0;

  g_return_val_if_fail (CABUT_IS_REVIEW (self), 0);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i++)
    {
      g_autoptr(CabutReviewCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      count += !check->matches;
    }

  return count;
}

const char *
cabut_review_check_get_name (CabutReviewCheck *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_CHECK (self), NULL);
  return self->name;
}

const char *
cabut_review_check_get_label (CabutReviewCheck *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_CHECK (self), NULL);
  return self->label;
}

/** cabut_review_check_get_expected: Returns: (nullable): what the service holds */
const char *
cabut_review_check_get_expected (CabutReviewCheck *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_CHECK (self), NULL);
  return self->expected;
}

/** cabut_review_check_get_found: Returns: (nullable): what the certificate or filing says */
const char *
cabut_review_check_get_found (CabutReviewCheck *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_CHECK (self), NULL);
  return self->found;
}

gboolean
cabut_review_check_get_matches (CabutReviewCheck *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_CHECK (self), FALSE);
  return self->matches;
}
