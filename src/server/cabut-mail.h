/* cabut-mail.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* E-mail notices to applicants: the settings of the SMTP server they go
 * through, the bilingual message (built with GMime) and its sending (with
 * libcurl, blocking: call it from a worker thread). No database here. */

#define CABUT_MAIL_ERROR (cabut_mail_error_quark ())

typedef enum
{
  CABUT_MAIL_ERROR_SETTINGS,    /* the SMTP settings are not usable */
  CABUT_MAIL_ERROR_TEMPORARY,   /* try again later: the server is down, busy, or refused for now */
  CABUT_MAIL_ERROR_PERMANENT,   /* the recipient's address is refused: trying again will not help */
} CabutMailError;

typedef enum
{
  CABUT_MAIL_RECEIPT,
  CABUT_MAIL_REVOKED,
  CABUT_MAIL_REJECTED,
  CABUT_MAIL_OVERDUE,
  CABUT_MAIL_COMPLAINT_FILED,
  CABUT_MAIL_COMPLAINT_ANSWERED,
  CABUT_MAIL_COMPLAINT_ESCALATED,
  CABUT_MAIL_COMPLAINT_RESOLVED,
  CABUT_MAIL_N_KINDS,
} CabutMailKind;

#define CABUT_MAIL_KIND_IS_COMPLAINT(kind) ((kind) >= CABUT_MAIL_COMPLAINT_FILED)

/* The first retry comes this soon after a failure; each next one waits
 * twice as long, up to CABUT_MAIL_RETRY_MAX. */
#define CABUT_MAIL_RETRY_FIRST 15
#define CABUT_MAIL_RETRY_MAX   300

typedef struct _CabutMailSettings CabutMailSettings;

/* What a notice says: one request and what happened to it, or one
 * complaint (@number is then the complaint's; @serial, @subject_dn NULL,
 * @reason -1, @request_number the request it is about). */
typedef struct
{
  CabutMailKind  kind;
  const char    *number;
  const char    *full_name;
  const char    *serial;
  const char    *subject_dn;
  int            reason;
  gint64         filed_at;
  gint64         due_at;
  gint64         at;           /* of the decision, or when it was found overdue */
  const char    *note;         /* nullable: the officer's note on a decision, an answer */
  const char    *request_number; /* nullable: what a complaint is about */
} CabutMailNotice;

/* Who sends it: the service, and how to reach it (all but @from nullable). */
typedef struct
{
  char *from;
  char *name;                  /* the service's name, Indonesian */
  char *name_en;
  char *contacts;              /* lines of "Label: value", Indonesian */
  char *contacts_en;
} CabutMailIdentity;

GQuark             cabut_mail_error_quark     (void);
gboolean           cabut_mail_address_is_plausible (const char          *value);

CabutMailSettings *cabut_mail_settings_new    (const char              *url,
                                               const char              *username,
                                               const char              *password,
                                               const char              *from,
                                               GError                 **error);
CabutMailSettings *cabut_mail_settings_ref    (CabutMailSettings       *settings);
void               cabut_mail_settings_unref  (CabutMailSettings       *settings);
const char        *cabut_mail_settings_get_url (CabutMailSettings      *settings);
const char        *cabut_mail_settings_get_from (CabutMailSettings     *settings);
gboolean           cabut_mail_settings_requires_tls (CabutMailSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CabutMailSettings, cabut_mail_settings_unref)

void               cabut_mail_identity_clear  (CabutMailIdentity       *identity);

const char        *cabut_mail_kind_to_string  (CabutMailKind            kind);
char              *cabut_mail_subject         (const CabutMailNotice   *notice);
char              *cabut_mail_new_message_id  (const char              *from);
GBytes            *cabut_mail_compose         (const CabutMailNotice   *notice,
                                               const CabutMailIdentity *identity,
                                               const char              *recipient,
                                               const char              *message_id,
                                               gint64                   date,
                                               GError                 **error);
guint              cabut_mail_retry_delay     (guint                    attempts);
gboolean           cabut_mail_send            (CabutMailSettings       *settings,
                                               const char              *recipient,
                                               GBytes                  *message,
                                               GError                 **error);

G_END_DECLS
