/* cabut-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-core-enums.h"
#include "cabut-page.h"
#include "cabut-util.h"

typedef struct
{
  CabutContext   *context;
  char           *title;
  char           *next_label;
  CabutDraftStep  step;
  guint           complete : 1;
  guint           busy : 1;
  guint           can_go_back : 1;
} CabutPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (CabutPage, cabut_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_TITLE,
  PROP_COMPLETE,
  PROP_BUSY,
  PROP_NEXT_LABEL,
  PROP_CAN_GO_BACK,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cabut_page_dispose (GObject *object)
{
  CabutPage *self = (CabutPage *)object;
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_clear_object (&priv->context);

  G_OBJECT_CLASS (cabut_page_parent_class)->dispose (object);
}

static void
cabut_page_finalize (GObject *object)
{
  CabutPage *self = (CabutPage *)object;
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_free (priv->title);
  g_free (priv->next_label);

  G_OBJECT_CLASS (cabut_page_parent_class)->finalize (object);
}

static void
cabut_page_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CabutPage *self = CABUT_PAGE (object);
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, priv->context);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, priv->complete);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;
    case PROP_NEXT_LABEL:
      g_value_set_string (value, cabut_page_get_next_label (self));
      break;
    case PROP_CAN_GO_BACK:
      g_value_set_boolean (value, priv->can_go_back);
      break;
    case PROP_STEP:
      g_value_set_enum (value, priv->step);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_page_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CabutPage *self = CABUT_PAGE (object);
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;
    case PROP_TITLE:
      cabut_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_COMPLETE:
      cabut_page_set_complete (self, g_value_get_boolean (value));
      break;
    case PROP_BUSY:
      cabut_page_set_busy (self, g_value_get_boolean (value));
      break;
    case PROP_NEXT_LABEL:
      cabut_page_set_next_label (self, g_value_get_string (value));
      break;
    case PROP_CAN_GO_BACK:
      cabut_page_set_can_go_back (self, g_value_get_boolean (value));
      break;
    case PROP_STEP:
      priv->step = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* libadwaita 1.2's password rows have an unnamed "Show Text" button. */
static void
name_password_rows (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_PASSWORD_ENTRY_ROW (child))
        cabut_name_icon_buttons (child);
      else
        name_password_rows (child);
    }
}

static void
cabut_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (cabut_page_parent_class)->constructed (object);

  /* The subclass's template is built by now. */
  name_password_rows (GTK_WIDGET (object));
}

static void
cabut_page_class_init (CabutPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cabut_page_constructed;
  object_class->dispose = cabut_page_dispose;
  object_class->finalize = cabut_page_finalize;
  object_class->get_property = cabut_page_get_property;
  object_class->set_property = cabut_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CABUT_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_LABEL] =
    g_param_spec_string ("next-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_GO_BACK] =
    g_param_spec_boolean ("can-go-back", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_enum ("step", NULL, NULL, CABUT_TYPE_DRAFT_STEP, CABUT_DRAFT_STEP_WELCOME,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cabut_page_init (CabutPage *self)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  priv->can_go_back = TRUE;
}

/** cabut_page_get_context: Returns: (transfer none): what the pages share */
CabutContext *
cabut_page_get_context (CabutPage *self)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_val_if_fail (CABUT_IS_PAGE (self), NULL);

  return priv->context;
}

/** cabut_page_get_draft: Returns: (transfer none): the request being prepared */
CabutDraft *
cabut_page_get_draft (CabutPage *self)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_val_if_fail (CABUT_IS_PAGE (self), NULL);

  return priv->context != NULL ? cabut_context_get_draft (priv->context) : NULL;
}

const char *
cabut_page_get_title (CabutPage *self)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_val_if_fail (CABUT_IS_PAGE (self), NULL);

  return priv->title;
}

void
cabut_page_set_title (CabutPage  *self,
                      const char *title)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_if_fail (CABUT_IS_PAGE (self));

  if (cabut_set_str (&priv->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

gboolean
cabut_page_get_complete (CabutPage *self)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_val_if_fail (CABUT_IS_PAGE (self), FALSE);

  return priv->complete;
}

void
cabut_page_set_complete (CabutPage *self,
                         gboolean   complete)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_if_fail (CABUT_IS_PAGE (self));

  complete = !!complete;
  if (priv->complete != complete)
    {
      priv->complete = complete;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }
}

gboolean
cabut_page_get_busy (CabutPage *self)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_val_if_fail (CABUT_IS_PAGE (self), FALSE);

  return priv->busy;
}

void
cabut_page_set_busy (CabutPage *self,
                     gboolean   busy)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_if_fail (CABUT_IS_PAGE (self));

  busy = !!busy;
  if (priv->busy != busy)
    {
      priv->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

/** cabut_page_get_next_label: Returns: the label of the Next button on this page */
const char *
cabut_page_get_next_label (CabutPage *self)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_val_if_fail (CABUT_IS_PAGE (self), NULL);

  return priv->next_label != NULL ? priv->next_label : _("_Next");
}

void
cabut_page_set_next_label (CabutPage  *self,
                           const char *label)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_if_fail (CABUT_IS_PAGE (self));

  if (cabut_set_str (&priv->next_label, label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_LABEL]);
}

gboolean
cabut_page_get_can_go_back (CabutPage *self)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_val_if_fail (CABUT_IS_PAGE (self), FALSE);

  return priv->can_go_back;
}

void
cabut_page_set_can_go_back (CabutPage *self,
                            gboolean   can_go_back)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_if_fail (CABUT_IS_PAGE (self));

  can_go_back = !!can_go_back;
  if (priv->can_go_back != can_go_back)
    {
      priv->can_go_back = can_go_back;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_BACK]);
    }
}

CabutDraftStep
cabut_page_get_step (CabutPage *self)
{
  CabutPagePrivate *priv = cabut_page_get_instance_private (self);

  g_return_val_if_fail (CABUT_IS_PAGE (self), CABUT_DRAFT_STEP_WELCOME);

  return priv->step;
}

/** cabut_page_shown: called by the assistant each time the page comes into view */
void
cabut_page_shown (CabutPage *self)
{
  g_return_if_fail (CABUT_IS_PAGE (self));

  if (CABUT_PAGE_GET_CLASS (self)->shown != NULL)
    CABUT_PAGE_GET_CLASS (self)->shown (self);
}

/**
 * cabut_page_apply_async:
 *
 * Returns: %FALSE when the page has nothing to apply (the callback is not
 *   called and the assistant moves on at once)
 */
gboolean
cabut_page_apply_async (CabutPage           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_val_if_fail (CABUT_IS_PAGE (self), FALSE);

  if (CABUT_PAGE_GET_CLASS (self)->apply_async == NULL)
    return FALSE;

  return CABUT_PAGE_GET_CLASS (self)->apply_async (self, cancellable, callback, user_data);
}

gboolean
cabut_page_apply_finish (CabutPage     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (CABUT_IS_PAGE (self), FALSE);
  g_return_val_if_fail (CABUT_PAGE_GET_CLASS (self)->apply_finish != NULL, FALSE);

  return CABUT_PAGE_GET_CLASS (self)->apply_finish (self, result, error);
}

/** cabut_page_go_to_step: asks the assistant to show the page of @step (a fix, a way back) */
void
cabut_page_go_to_step (CabutPage      *self,
                       CabutDraftStep  step)
{
  g_return_if_fail (CABUT_IS_PAGE (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.go-to-step", "u", (guint) step);
}

/** cabut_page_next: asks the assistant to move on, as the Next button does */
void
cabut_page_next (CabutPage *self)
{
  g_return_if_fail (CABUT_IS_PAGE (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
}
