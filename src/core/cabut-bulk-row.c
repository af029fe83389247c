/* cabut-bulk-row.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-bulk-row"

#include "config.h"

#include "cabut-bulk-row.h"
#include "cabut-json-private.h"

/* One row of a bulk revocation's CSV as the service matched it: the
 * certificate it names (or why none), and how far it got — "matched" in a
 * preview; "pending", "revoked" (with the request that did it) or
 * "skipped" in a batch; "unmatched" with why: unknown_nip, unknown_serial,
 * already_revoked, open_request, malformed, duplicate, no_certificate. */

enum
{
  STRING_VALUE,
  STRING_STATUS,
  STRING_WHY,
  STRING_USERNAME,
  STRING_FULL_NAME,
  STRING_SERIAL,
  STRING_SUBJECT,
  STRING_REQUEST_ID,
  N_STRINGS
};

static const char * const string_properties[N_STRINGS] = {
  "value", "status", "why", "username", "full-name", "serial", "subject", "request-id",
};

struct _CabutBulkRow
{
  GObject  parent_instance;

  guint    row;
  char    *strings[N_STRINGS];
};

G_DEFINE_FINAL_TYPE (CabutBulkRow, cabut_bulk_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  /* the strings, in their order */
  PROP_ROW = N_STRINGS + 1,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
cabut_bulk_row_finalize (GObject *object)
{
  CabutBulkRow *self = (CabutBulkRow *)object;

  for (guint i = 0; i < N_STRINGS; i++)
    g_clear_pointer (&self->strings[i], g_free);

  G_OBJECT_CLASS (cabut_bulk_row_parent_class)->finalize (object);
}

static void
cabut_bulk_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CabutBulkRow *self = CABUT_BULK_ROW (object);

  if (prop_id >= 1 && prop_id <= N_STRINGS)
    g_value_set_string (value, self->strings[prop_id - 1]);
  else if (prop_id == PROP_ROW)
    g_value_set_uint (value, self->row);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cabut_bulk_row_class_init (CabutBulkRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_bulk_row_finalize;
  object_class->get_property = cabut_bulk_row_get_property;

  for (guint i = 0; i < N_STRINGS; i++)
    properties[i + 1] = g_param_spec_string (string_properties[i], NULL, NULL, NULL, flags);
  properties[PROP_ROW] = g_param_spec_uint ("row", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_bulk_row_init (CabutBulkRow *self)
{
}

/**
 * cabut_bulk_row_new_from_json:
 * @node: one element of "rows" in a bulk revocation's answer
 *
 * Returns: (transfer full) (nullable): the row, or %NULL with %CABUT_AMS_ERROR_PROTOCOL
 */
CabutBulkRow *
cabut_bulk_row_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(CabutBulkRow) self = g_object_new (CABUT_TYPE_BULK_ROW, NULL);
  JsonObject *object;
  JsonNode *certificate;
  gint64 row = 0;

  if ((object = cabut_json_get_object (node, "rows", error)) == NULL)
    return NULL;
  if (!cabut_json_get_int (object, "row", 1, G_MAXUINT, &row, error) ||
      !cabut_json_get_string (object, "value", FALSE, &self->strings[STRING_VALUE], error) ||
      !cabut_json_get_string (object, "status", FALSE, &self->strings[STRING_STATUS], error) ||
      !cabut_json_get_string (object, "why", TRUE, &self->strings[STRING_WHY], error) ||
      !cabut_json_get_string (object, "request", TRUE, &self->strings[STRING_REQUEST_ID], error))
    return NULL;
  self->row = row;

  certificate = json_object_get_member (object, "certificate");
  if (certificate != NULL && !JSON_NODE_HOLDS_NULL (certificate))
    {
      JsonObject *cert = cabut_json_get_object (certificate, "certificate", error);

      if (cert == NULL ||
          !cabut_json_get_string (cert, "username", FALSE, &self->strings[STRING_USERNAME], error) ||
          !cabut_json_get_string (cert, "full_name", FALSE, &self->strings[STRING_FULL_NAME], error) ||
          !cabut_json_get_string (cert, "serial", FALSE, &self->strings[STRING_SERIAL], error) ||
          !cabut_json_get_string (cert, "subject", FALSE, &self->strings[STRING_SUBJECT], error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

/** cabut_bulk_row_get_row: Returns: the row's number in the CSV, from 1 */
guint
cabut_bulk_row_get_row (CabutBulkRow *self)
{
  g_return_val_if_fail (CABUT_IS_BULK_ROW (self), 0);
  return self->row;
}

#define STRING_GETTER(func, index)                         \
  const char *                                             \
  cabut_bulk_row_get_##func (CabutBulkRow *self)           \
  {                                                        \
    g_return_val_if_fail (CABUT_IS_BULK_ROW (self), NULL); \
    return self->strings[index];                           \
  }

STRING_GETTER (value, STRING_VALUE)
STRING_GETTER (status, STRING_STATUS)
STRING_GETTER (why, STRING_WHY)
STRING_GETTER (username, STRING_USERNAME)
STRING_GETTER (full_name, STRING_FULL_NAME)
STRING_GETTER (serial, STRING_SERIAL)
STRING_GETTER (subject, STRING_SUBJECT)
STRING_GETTER (request_id, STRING_REQUEST_ID)
