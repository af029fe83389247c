/* cabut-json-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Our documents are at most five levels deep; json-glib's parser recurses
 * once per level and overflows the stack somewhere past tens of thousands,
 * so every document is checked against this before it is parsed. */
#define CABUT_JSON_MAX_DEPTH 32

#define CABUT_JSON_ERROR (cabut_json_error_quark ())

typedef enum
{
  CABUT_JSON_ERROR_INVALID,
  CABUT_JSON_ERROR_TOO_DEEP,
} CabutJsonError;

GQuark      cabut_json_error_quark     (void);
gboolean    cabut_json_check_depth     (const char   *data,
                                        gsize         len,
                                        guint         max_depth,
                                        GError      **error);
JsonNode   *cabut_json_parse           (const char   *data,
                                        gssize        len,
                                        GError      **error);

/* Strict readers for the service's answers: a member of the wrong type is a
 * protocol error (CABUT_AMS_ERROR_PROTOCOL), never a default value. A
 * missing member reads as null. */

void        cabut_json_set_error       (GError      **error,
                                        const char   *member);
JsonObject *cabut_json_get_object      (JsonNode     *node,
                                        const char   *what,
                                        GError      **error);
gboolean    cabut_json_get_string      (JsonObject   *object,
                                        const char   *member,
                                        gboolean      nullable,
                                        char        **out,
                                        GError      **error);
gboolean    cabut_json_get_boolean     (JsonObject   *object,
                                        const char   *member,
                                        gboolean     *out,
                                        GError      **error);
gboolean    cabut_json_get_int         (JsonObject   *object,
                                        const char   *member,
                                        gint64        min,
                                        gint64        max,
                                        gint64       *out,
                                        GError      **error);
gboolean    cabut_json_get_time        (JsonObject   *object,
                                        const char   *member,
                                        gboolean      nullable,
                                        GDateTime   **out,
                                        GError      **error);
JsonObject *cabut_json_get_object_member (JsonObject *object,
                                        const char   *member,
                                        GError      **error);
JsonArray  *cabut_json_get_array_member  (JsonObject *object,
                                        const char   *member,
                                        GError      **error);
GBytes     *cabut_json_to_bytes        (JsonNode     *node);

G_END_DECLS
