/* cabut-json-private.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-ams-client.h"
#include "cabut-json-private.h"

G_DEFINE_QUARK (cabut-json-error-quark, cabut_json_error)

/**
 * cabut_json_check_depth:
 * @data: a JSON document, not necessarily NUL-terminated
 * @len: its length in bytes
 * @max_depth: how many arrays and objects may be open at once
 *
 * Counts the nesting of [ and { outside strings, without building
 * anything, so that a hostile document cannot exhaust the stack of the
 * recursive parser that reads it afterwards. Outside strings only the
 * characters JSON allows there are accepted: json-glib also reads comments
 * and single-quoted strings, which could hide brackets from this count.
 *
 * Returns: %TRUE if @data nests no deeper than @max_depth
 */
gboolean
cabut_json_check_depth (const char  *data,
                        gsize        len,
                        guint        max_depth,
                        GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, CABUT_JSON_ERROR, CABUT_JSON_ERROR_TOO_DEEP,
                           _("The JSON is nested more than %u levels deep"), max_depth);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        default:
          if (c == '\0' || (!g_ascii_isalnum (c) && strchr (" \t\r\n,:+-.", c) == NULL))
            {
              g_set_error (error, CABUT_JSON_ERROR, CABUT_JSON_ERROR_INVALID,
                           _("The JSON is not valid: unexpected character at byte %u"),
                           (guint) MIN (i + 1, G_MAXUINT));
              return FALSE;
            }
          break;
        }
    }

  return TRUE;
}

/**
 * cabut_json_parse:
 * @data: a JSON document
 * @len: its length in bytes, or -1 if it is NUL-terminated
 *
 * The one way Cabut reads JSON: checks the nesting depth against
 * %CABUT_JSON_MAX_DEPTH first, then parses.
 *
 * Returns: (transfer full) (nullable): the root, or %NULL with @error set;
 *   an empty document is an error too
 */
JsonNode *
cabut_json_parse (const char  *data,
                  gssize       len,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (data);

  if (!cabut_json_check_depth (data, len, CABUT_JSON_MAX_DEPTH, error))
    return NULL;

  parser = json_parser_new ();
  if (len > 0 && !json_parser_load_from_data (parser, data, len, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CABUT_JSON_ERROR, CABUT_JSON_ERROR_INVALID,
                           _("The JSON is empty"));
      return NULL;
    }

  return json_node_ref (root);
}

void
cabut_json_set_error (GError     **error,
                      const char  *member)
{
  g_set_error (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_PROTOCOL,
               _("The service answered something Cabut does not understand (“%s” is missing or "
                 "malformed); try again later or ask the service desk"), member);
}

/* Returns: (transfer none) (nullable): @node's object */
JsonObject *
cabut_json_get_object (JsonNode    *node,
                       const char  *what,
                       GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      cabut_json_set_error (error, what);
      return NULL;
    }

  return json_node_get_object (node);
}

static JsonNode *
get_value (JsonObject *object,
           const char *member,
           GType       type,
           gboolean   *is_null)
{
  JsonNode *node = json_object_get_member (object, member);

  *is_null = node == NULL || JSON_NODE_HOLDS_NULL (node);
  if (*is_null)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;

  return node;
}

gboolean
cabut_json_get_string (JsonObject  *object,
                       const char  *member,
                       gboolean     nullable,
                       char       **out,
                       GError     **error)
{
  gboolean is_null;
  JsonNode *node = get_value (object, member, G_TYPE_STRING, &is_null);

  g_assert (out != NULL && *out == NULL);

  if (is_null && nullable)
    return TRUE;
  if (node == NULL)
    {
      cabut_json_set_error (error, member);
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
cabut_json_get_boolean (JsonObject  *object,
                        const char  *member,
                        gboolean    *out,
                        GError     **error)
{
  gboolean is_null;
  JsonNode *node = get_value (object, member, G_TYPE_BOOLEAN, &is_null);

  if (node == NULL)
    {
      cabut_json_set_error (error, member);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
cabut_json_get_int (JsonObject  *object,
                    const char  *member,
                    gint64       min,
                    gint64       max,
                    gint64      *out,
                    GError     **error)
{
  gboolean is_null;
  JsonNode *node = get_value (object, member, G_TYPE_INT64, &is_null);

  if (node == NULL || json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      cabut_json_set_error (error, member);
      return FALSE;
    }

  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
cabut_json_get_time (JsonObject  *object,
                     const char  *member,
                     gboolean     nullable,
                     GDateTime  **out,
                     GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  g_assert (out != NULL && *out == NULL);

  if (!cabut_json_get_string (object, member, nullable, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  *out = g_date_time_new_from_iso8601 (text, utc);
  if (*out == NULL)
    {
      cabut_json_set_error (error, member);
      return FALSE;
    }

  return TRUE;
}

/* Returns: (transfer none) (nullable): the object member, or %NULL with @error set */
JsonObject *
cabut_json_get_object_member (JsonObject  *object,
                              const char  *member,
                              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      cabut_json_set_error (error, member);
      return NULL;
    }

  return json_node_get_object (node);
}

/* Returns: (transfer none) (nullable): the array member, or %NULL with @error set */
JsonArray *
cabut_json_get_array_member (JsonObject  *object,
                             const char  *member,
                             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      cabut_json_set_error (error, member);
      return NULL;
    }

  return json_node_get_array (node);
}

GBytes *
cabut_json_to_bytes (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len = 0;
  char *data;

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &len);

  return g_bytes_new_take (data, len);
}
