/* cabut-server-private.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cabut-accounts.h"
#include "cabut-bulk-store.h"
#include "cabut-ca.h"
#include "cabut-calendar.h"
#include "cabut-certificate.h"
#include "cabut-complaint-store.h"
#include "cabut-db.h"
#include "cabut-registry.h"
#include "cabut-request-store.h"
#include "cabut-file-private.h"
#include "cabut-json-private.h"
#include "cabut-mail.h"
#include "cabut-server.h"

G_BEGIN_DECLS

typedef struct _CabutServerMail CabutServerMail;

struct _CabutServer
{
  GObject         parent_instance;

  char           *data_dir;
  char           *letters_dir;
  char           *upload_dir;
  CabutDb        *db;
  CabutCalendar  *calendar;
  CabutCa        *ca;
  char           *ca_subject;     /* the issuing CA's DN, as stored in the registry */
  SoupServer     *soup;
  gsize           max_letter_size;

  GBytes         *crl;            /* the last CRL signed, DER */
  gint64          crl_signed_at;
  gint64          crl_number;     /* of self->crl */
  CabutDb        *crl_db;         /* the CRL thread's connection */
  gboolean        crl_running;
  GPtrArray      *crl_waiting;    /* GTask: for the next run */
  GBytes         *root_crl;       /* the root's (empty) CRL, DER */
  gint64          root_crl_signed_at;

  GList          *polls;          /* EventPoll: long-polls waiting for news */
  GHashTable     *clients;        /* remote GSocketAddress → Client: every connection */
  guint           sweep_id;
  GSocket        *listener;
  GSource        *accept_source;
  GTlsCertificate *tls_certificate;
  guint           request_timeout; /* seconds a request may make no progress */
  guint           upload_serial;
  CabutServerMail *mail;          /* NULL: e-mail notices are off */
  gboolean        second_approval; /* a decision takes effect when a second officer confirms it */
  GHashTable     *bulk_running;   /* numbers of the bulk batches this process is revoking */
};

/* The account and language of the request being answered. */
typedef struct
{
  CabutServer       *server;
  SoupServerMessage *msg;
  CabutAccount      *account;     /* nullable */
  const char        *language;    /* "id" or "en" */
} CabutRequestContext;

#define CABUT_SERVER_UPLOAD_KEY "cabut-upload"
/* The account an early handler already found for a message. */
#define CABUT_SERVER_ACCOUNT_KEY "cabut-account"

/* cabut-server.c */
const char   *cabut_server_language_of        (SoupServerMessage  *msg);
void          cabut_server_reply_json         (SoupServerMessage  *msg,
                                               guint               status,
                                               JsonNode           *node);
void          cabut_server_reply_error        (SoupServerMessage  *msg,
                                               guint               status,
                                               const char         *code,
                                               const char         *format,
                                               ...) G_GNUC_PRINTF (4, 5);
void          cabut_server_reply_gerror       (SoupServerMessage  *msg,
                                               const GError       *error);
void          cabut_server_reply_too_deep     (SoupServerMessage  *msg);
JsonObject   *cabut_server_read_json          (SoupServerMessage  *msg);
const char   *cabut_server_remote_of          (SoupServerMessage  *msg);
void          cabut_server_audit_later        (CabutServer        *self,
                                               SoupServerMessage  *msg,
                                               const CabutAccount *actor,
                                               const char         *action,
                                               const char         *target,
                                               const char         *detail);
gboolean      cabut_server_audit              (CabutServer        *self,
                                               SoupServerMessage  *msg,
                                               const CabutAccount *actor,
                                               const char         *action,
                                               const char         *target,
                                               const char         *detail,
                                               GError            **error);
void          cabut_server_events_changed     (CabutServer        *self);
gboolean      cabut_server_refresh_crl        (CabutServer        *self,
                                               GError            **error);
void          cabut_server_publish_crl_async  (CabutServer        *self,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean      cabut_server_publish_crl_finish (CabutServer        *self,
                                               GAsyncResult       *result,
                                               GError            **error);
char         *cabut_server_iso8601            (gint64              unix_time);
void          cabut_server_add_text           (JsonBuilder        *builder,
                                               const char         *member,
                                               const char         *text);
void          cabut_server_add_person         (JsonBuilder        *builder,
                                               const char         *member,
                                               const char         *username,
                                               const char         *full_name);
void          cabut_server_add_time           (JsonBuilder        *builder,
                                               const char         *member,
                                               gint64              time);
char         *cabut_server_config_string      (CabutServer        *self,
                                               const char         *group,
                                               const char         *key,
                                               const char         *language);
/* cabut-server-reply.c */
gint64        cabut_server_now                (void);
GThreadPool  *cabut_server_thread_pool        (gsize              *pool,
                                               GFunc               func,
                                               int                 max_threads);
const char   *cabut_server_bearer_token       (SoupServerMessage  *msg);
void          cabut_server_body_limit_early_cb (SoupServer        *server,
                                               SoupServerMessage  *msg,
                                               const char         *path,
                                               GHashTable         *query,
                                               gpointer            user_data);

#define CABUT_SERVER_PAGE_MAX 200
char         *cabut_server_cursor_encode      (gint64              key,
                                               gint64              id);
gboolean      cabut_server_parse_page         (CabutRequestContext *ctx,
                                               GHashTable         *query,
                                               guint               default_limit,
                                               guint              *limit,
                                               gboolean           *has_cursor,
                                               gint64             *cursor_key,
                                               gint64             *cursor_id);

/* cabut-server-session.c */
void          cabut_server_handle_session     (CabutServer        *self,
                                               CabutRequestContext *ctx);
void          cabut_server_handle_me          (CabutServer        *self,
                                               CabutRequestContext *ctx);
void          cabut_server_handle_my_certificates (CabutServer    *self,
                                               CabutRequestContext *ctx,
                                               GHashTable         *query);
void          cabut_server_handle_reasons     (CabutServer        *self,
                                               CabutRequestContext *ctx);

/* cabut-server-events.c */
void          cabut_server_handle_events      (CabutServer        *self,
                                               CabutRequestContext *ctx,
                                               GHashTable         *query);
void          cabut_server_events_answer_all  (CabutServer        *self);
void          cabut_server_events_clear       (CabutServer        *self);

/* cabut-server-admin.c */
void          cabut_server_handle_admin       (CabutServer        *self,
                                               CabutRequestContext *ctx,
                                               const char         *what);

/* cabut-server-audit.c */
void          cabut_server_handle_audit       (CabutServer        *self,
                                               CabutRequestContext *ctx,
                                               GHashTable         *query);

/* cabut-server-bulk.c */
void          cabut_server_handle_bulk        (CabutServer        *self,
                                               CabutRequestContext *ctx,
                                               const char         *batch,
                                               const char         *action,
                                               GHashTable         *query);

/* cabut-server-pki.c */
void          cabut_server_pki_cb             (SoupServer         *server,
                                               SoupServerMessage  *msg,
                                               const char         *path,
                                               GHashTable         *query,
                                               gpointer            user_data);

/* cabut-server-connections.c */
void          cabut_server_connections_init   (CabutServer        *self);
void          cabut_server_connections_clear  (CabutServer        *self);
void          cabut_server_stop_accepting     (CabutServer        *self);
void          cabut_server_connections_listen (CabutServer        *self,
                                               GSocket            *socket,
                                               GTlsCertificate    *tls_certificate);

/* cabut-server-requests.c */
void          cabut_server_requests_init      (CabutServer        *self);
/* The largest JSON document or OCSP request any address takes. */
#define CABUT_SERVER_MAX_JSON_BODY (64 * 1024)

void          cabut_server_limit_body         (SoupServerMessage  *msg,
                                               gsize               limit);
void          cabut_server_handle_requests    (CabutServer        *self,
                                               CabutRequestContext *ctx,
                                               char              **segments);
/* cabut-server-review.c */
void          cabut_server_handle_review      (CabutServer        *self,
                                               CabutRequestContext *ctx,
                                               const char         *number);

void          cabut_server_handle_queue       (CabutServer        *self,
                                               CabutRequestContext *ctx);
void          cabut_server_handle_queue_counts (CabutServer        *self,
                                               CabutRequestContext *ctx);
JsonNode     *cabut_server_request_to_json    (CabutServer        *self,
                                               gint64              request_id,
                                               gboolean            with_events,
                                               gboolean            officer,
                                               const char         *language,
                                               GError            **error);

/* cabut-server-complaints.c */
/* The desk owes an answer within three working days of a complaint (or of
 * the applicant's reply; the official, of its escalation): the service
 * itself takes one working day, so a complaint about it should be
 * answered within a few. Our choice, not a figure from the service
 * standard (which names none); the statutory ceiling for answering a
 * written complaint under UU 25/2009 is believed to be longer (14 days),
 * to be confirmed with the agency. */
#define CABUT_SERVER_COMPLAINT_DAYS 3

void          cabut_server_handle_complaints  (CabutServer        *self,
                                               CabutRequestContext *ctx,
                                               char              **segments);

/* cabut-server-mail.c */
gboolean      cabut_server_mail_enqueue       (CabutServer        *self,
                                               CabutDb            *db,
                                               gint64              request_id,
                                               CabutMailKind       kind,
                                               const char         *note,
                                               gint64              at,
                                               GError            **error);
gboolean      cabut_server_mail_enqueue_complaint (CabutServer  *self,
                                               CabutDb            *db,
                                               gint64              complaint_id,
                                               gint64              event_id,
                                               CabutMailKind       kind,
                                               const char         *note,
                                               gint64              at,
                                               GError            **error);
void          cabut_server_mail_kick          (CabutServer        *self);
void          cabut_server_mail_stop          (CabutServer        *self);
void          cabut_server_mail_free          (CabutServerMail    *mail);

/* cabut-server-import.c */
int           cabut_server_import_index       (CabutServer        *self,
                                               const char         *index_path,
                                               const char         *certs_dir,
                                               const char         *username,
                                               GPtrArray          *problems,
                                               GError            **error);

/* cabut-server-demo.c */
gboolean      cabut_server_seed_demo          (CabutServer        *self,
                                               GError            **error);

G_END_DECLS
