/* cabut-server-audit.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cabut-csv.h"
#include "cabut-server-private.h"

/* The audit log for administrators: GET /api/v1/admin/audit, a page at a
 * time, newest first, as JSON or (Accept: text/csv, or ?format=csv) as
 * CSV to open in a spreadsheet. */

#define MAX_FILTER_LENGTH 200
#define CSV_HEADER_NEXT   "Cabut-Next-Cursor"

/* ?since= and ?until=: an RFC 3339 time, or a date (midnight UTC). */
static gboolean
parse_time (const char *text,
            gint64     *out)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  if (strlen (text) == 10)
    {
      g_autofree char *full = g_strconcat (text, "T00:00:00Z", NULL);

      time = g_date_time_new_from_iso8601 (full, utc);
    }
  else
    time = g_date_time_new_from_iso8601 (text, utc);
  if (time == NULL)
    return FALSE;
  *out = g_date_time_to_unix (time);

  return TRUE;
}

static gboolean
wants_csv (SoupServerMessage *msg,
           GHashTable        *query)
{
  const char *format = query != NULL ? g_hash_table_lookup (query, "format") : NULL;
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg), "Accept");

  if (format != NULL)
    return g_str_equal (format, "csv");

  return accept != NULL && strstr (accept, "text/csv") != NULL && strstr (accept, "application/json") == NULL;
}

static char *
iso8601_or_null (gint64 at)
{
  return at != 0 ? cabut_server_iso8601 (at) : NULL;
}

static void
reply_csv (SoupServerMessage *msg,
           GArray            *rows,
           const char        *next)
{
  GString *out = g_string_new (NULL);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize len;

  cabut_csv_append_row (out, "id", "at", "actor", "actor_name", "role", "action", "target", "remote", "detail",
                        NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      const CabutAuditRow *row = &g_array_index (rows, CabutAuditRow, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, row->id);
      g_autofree char *at = iso8601_or_null (row->at);

      cabut_csv_append_row (out, id, at ? at : "", row->username ? row->username : "",
                            row->full_name ? row->full_name : "", row->role ? row->role : "", row->action,
                            row->target ? row->target : "", row->remote ? row->remote : "",
                            row->detail ? row->detail : "", NULL);
    }

  len = out->len;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Content-Disposition", "attachment; filename=\"audit.csv\"");
  if (next != NULL)
    soup_message_headers_replace (headers, CSV_HEADER_NEXT, next);
  soup_server_message_set_response (msg, "text/csv; charset=utf-8; header=present", SOUP_MEMORY_TAKE,
                                    g_string_free (out, FALSE), len);
}

static void
reply_json (SoupServerMessage *msg,
            GArray            *rows,
            const char        *next)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      const CabutAuditRow *row = &g_array_index (rows, CabutAuditRow, i);
      g_autofree char *at = iso8601_or_null (row->at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, row->id);
      cabut_server_add_text (builder, "at", at);
      json_builder_set_member_name (builder, "actor");
      if (row->username != NULL)
        {
          json_builder_begin_object (builder);
          cabut_server_add_text (builder, "username", row->username);
          cabut_server_add_text (builder, "full_name", row->full_name);
          cabut_server_add_text (builder, "role", row->role);
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);
      cabut_server_add_text (builder, "action", row->action);
      cabut_server_add_text (builder, "target", row->target);
      cabut_server_add_text (builder, "remote", row->remote);
      cabut_server_add_text (builder, "detail", row->detail);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  cabut_server_add_text (builder, "next", next);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  cabut_server_reply_json (msg, SOUP_STATUS_OK, node);
}

static gboolean
valid_filter (const char *text)
{
  return text == NULL || (g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, -1) <= MAX_FILTER_LENGTH);
}

/**
 * cabut_server_handle_audit:
 *
 * GET /api/v1/admin/audit?actor=&request=&since=&until=&cursor=&limit=
 * (administrators only).
 */
void
cabut_server_handle_audit (CabutServer         *self,
                           CabutRequestContext *ctx,
                           GHashTable          *query)
{
  SoupServerMessage *msg = ctx->msg;
  CabutAuditQuery audit = { 0 };
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  const char *since;
  const char *until;
  gboolean more = FALSE;

  if (!cabut_account_is_admin (ctx->account))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", N_("Only an administrator may do this"));
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      cabut_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                N_("This address does not take that method"));
      return;
    }

  audit.actor = query ? g_hash_table_lookup (query, "actor") : NULL;
  audit.target = query ? g_hash_table_lookup (query, "request") : NULL;
  since = query ? g_hash_table_lookup (query, "since") : NULL;
  until = query ? g_hash_table_lookup (query, "until") : NULL;
  if (audit.actor != NULL && *audit.actor == '\0')
    audit.actor = NULL;
  if (audit.target != NULL && *audit.target == '\0')
    audit.target = NULL;
  if (!valid_filter (audit.actor) || !valid_filter (audit.target))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("A filter is longer than %d characters"), MAX_FILTER_LENGTH);
      return;
    }
  if ((since != NULL && !parse_time (since, &audit.since)) || (until != NULL && !parse_time (until, &audit.until)))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_time",
                                N_("Give times as a date (2026-12-01) or a date and time with its zone "
                                   "(2026-12-01T08:00:00+07:00)"));
      return;
    }
  if (query != NULL && g_hash_table_contains (query, "format") &&
      !g_str_equal (g_hash_table_lookup (query, "format"), "csv") &&
      !g_str_equal (g_hash_table_lookup (query, "format"), "json"))
    {
      cabut_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                N_("The format must be json or csv"));
      return;
    }
  if (!cabut_server_parse_page (ctx, query, 50, &audit.limit, &audit.has_cursor, &audit.cursor_at,
                                &audit.cursor_id))
    return;

  if ((rows = cabut_accounts_audit_list (self->db, &audit, &more, &error)) == NULL)
    {
      cabut_server_reply_gerror (msg, error);
      return;
    }
  if (more && rows->len > 0)
    {
      const CabutAuditRow *last = &g_array_index (rows, CabutAuditRow, rows->len - 1);

      next = cabut_server_cursor_encode (last->at, last->id);
    }

  if (wants_csv (msg, query))
    reply_csv (msg, rows, next);
  else
    reply_json (msg, rows, next);
}
