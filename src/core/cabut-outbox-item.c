/* cabut-outbox-item.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-outbox-item"

#include "config.h"

#include "cabut-outbox-item.h"

/* One submission waiting in the store's outbox: recorded before the upload
 * starts, so after a crash it is sent again with the same bytes and the
 * same idempotency key. Built by CabutStore; read-only. */
struct _CabutOutboxItem
{
  GObject          parent_instance;

  char            *idempotency_key;
  char            *server_url;
  char            *username;
  CabutSubmission *submission;
  GFile           *letter_file;
  char            *letter_name;
  GDateTime       *queued_at;
  gint64           draft_id;
};

G_DEFINE_FINAL_TYPE (CabutOutboxItem, cabut_outbox_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IDEMPOTENCY_KEY,
  PROP_SERVER_URL,
  PROP_USERNAME,
  PROP_SUBMISSION,
  PROP_LETTER_FILE,
  PROP_LETTER_NAME,
  PROP_QUEUED_AT,
  PROP_DRAFT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cabut_outbox_item_finalize (GObject *object)
{
  CabutOutboxItem *self = (CabutOutboxItem *)object;

  g_clear_pointer (&self->idempotency_key, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_object (&self->submission);
  g_clear_object (&self->letter_file);
  g_clear_pointer (&self->letter_name, g_free);
  g_clear_pointer (&self->queued_at, g_date_time_unref);

  G_OBJECT_CLASS (cabut_outbox_item_parent_class)->finalize (object);
}

static void
cabut_outbox_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CabutOutboxItem *self = CABUT_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_IDEMPOTENCY_KEY:
      g_value_set_string (value, self->idempotency_key);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_SUBMISSION:
      g_value_set_object (value, self->submission);
      break;
    case PROP_LETTER_FILE:
      g_value_set_object (value, self->letter_file);
      break;
    case PROP_LETTER_NAME:
      g_value_set_string (value, self->letter_name);
      break;
    case PROP_QUEUED_AT:
      g_value_set_boxed (value, self->queued_at);
      break;
    case PROP_DRAFT_ID:
      g_value_set_int64 (value, self->draft_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_outbox_item_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CabutOutboxItem *self = CABUT_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_IDEMPOTENCY_KEY:
      self->idempotency_key = g_value_dup_string (value);
      break;
    case PROP_SERVER_URL:
      self->server_url = g_value_dup_string (value);
      break;
    case PROP_USERNAME:
      self->username = g_value_dup_string (value);
      break;
    case PROP_SUBMISSION:
      self->submission = g_value_dup_object (value);
      break;
    case PROP_LETTER_FILE:
      self->letter_file = g_value_dup_object (value);
      break;
    case PROP_LETTER_NAME:
      self->letter_name = g_value_dup_string (value);
      break;
    case PROP_QUEUED_AT:
      self->queued_at = g_value_dup_boxed (value);
      break;
    case PROP_DRAFT_ID:
      self->draft_id = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_outbox_item_class_init (CabutOutboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cabut_outbox_item_finalize;
  object_class->get_property = cabut_outbox_item_get_property;
  object_class->set_property = cabut_outbox_item_set_property;

  properties[PROP_IDEMPOTENCY_KEY] =
    g_param_spec_string ("idempotency-key", NULL, NULL, NULL, flags);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL, flags);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL, flags);
  properties[PROP_SUBMISSION] =
    g_param_spec_object ("submission", NULL, NULL, CABUT_TYPE_SUBMISSION, flags);

  /**
   * CabutOutboxItem:letter-file:
   *
   * The store's private copy of the statement letter, not the file the
   * applicant picked: that one may have moved since.
   */
  properties[PROP_LETTER_FILE] =
    g_param_spec_object ("letter-file", NULL, NULL, G_TYPE_FILE, flags);

  /**
   * CabutOutboxItem:letter-name:
   *
   * The letter's file name as the applicant knew it, sent with the upload.
   */
  properties[PROP_LETTER_NAME] =
    g_param_spec_string ("letter-name", NULL, NULL, NULL, flags);
  properties[PROP_QUEUED_AT] =
    g_param_spec_boxed ("queued-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  /**
   * CabutOutboxItem:draft-id:
   *
   * The #CabutDraft:id of the draft it was made from; 0 if that is gone.
   */
  properties[PROP_DRAFT_ID] =
    g_param_spec_int64 ("draft-id", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_outbox_item_init (CabutOutboxItem *self)
{
}

const char *
cabut_outbox_item_get_idempotency_key (CabutOutboxItem *self)
{
  g_return_val_if_fail (CABUT_IS_OUTBOX_ITEM (self), NULL);
  return self->idempotency_key;
}

const char *
cabut_outbox_item_get_server_url (CabutOutboxItem *self)
{
  g_return_val_if_fail (CABUT_IS_OUTBOX_ITEM (self), NULL);
  return self->server_url;
}

const char *
cabut_outbox_item_get_username (CabutOutboxItem *self)
{
  g_return_val_if_fail (CABUT_IS_OUTBOX_ITEM (self), NULL);
  return self->username;
}

/** cabut_outbox_item_get_submission: Returns: (transfer none): the signed metadata, as queued */
CabutSubmission *
cabut_outbox_item_get_submission (CabutOutboxItem *self)
{
  g_return_val_if_fail (CABUT_IS_OUTBOX_ITEM (self), NULL);
  return self->submission;
}

/** cabut_outbox_item_get_letter_file: Returns: (transfer none): the private copy of the letter */
GFile *
cabut_outbox_item_get_letter_file (CabutOutboxItem *self)
{
  g_return_val_if_fail (CABUT_IS_OUTBOX_ITEM (self), NULL);
  return self->letter_file;
}

const char *
cabut_outbox_item_get_letter_name (CabutOutboxItem *self)
{
  g_return_val_if_fail (CABUT_IS_OUTBOX_ITEM (self), NULL);
  return self->letter_name;
}

/** cabut_outbox_item_get_queued_at: Returns: (transfer none) */
GDateTime *
cabut_outbox_item_get_queued_at (CabutOutboxItem *self)
{
  g_return_val_if_fail (CABUT_IS_OUTBOX_ITEM (self), NULL);
  return self->queued_at;
}

gint64
cabut_outbox_item_get_draft_id (CabutOutboxItem *self)
{
  g_return_val_if_fail (CABUT_IS_OUTBOX_ITEM (self), 0);
  return self->draft_id;
}
