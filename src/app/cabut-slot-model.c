/* cabut-slot-model.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-slot-model"

#include "config.h"

#include "cabut-slot-model.h"

/* A list model of slots over another list model: the item at a position
 * is always the same CabutSlot, whose "item" is what the other model has
 * there now. When the other model changes, the slots say so and only the
 * length of the list changes.
 *
 * Why: GTK 4.8's list views keep no row widgets for reuse. When a search
 * changes which items are at the top, a list view over the search's model
 * destroys its couple of hundred rows and makes as many anew; over slots
 * it keeps them, and each row shows its slot's new item. That suits rows
 * whose height does not depend on their item, which the list view then
 * has no reason to measure again. */

struct _CabutSlot
{
  GObject   parent_instance;

  GObject  *item;
  guint     position;
};

G_DEFINE_FINAL_TYPE (CabutSlot, cabut_slot, G_TYPE_OBJECT)

enum {
  SLOT_PROP_0,
  SLOT_PROP_ITEM,
  SLOT_N_PROPS
};

static GParamSpec *slot_properties[SLOT_N_PROPS];

struct _CabutSlotModel
{
  GObject      parent_instance;

  GListModel  *model;
  guint        n_items;
  GHashTable  *slots;   /* position → CabutSlot, weak: a slot lasts as long as its row */
};

static void cabut_slot_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CabutSlotModel, cabut_slot_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, cabut_slot_model_list_model_init))

/* CabutSlot */

static void
cabut_slot_set_item (CabutSlot *self,
                     GObject   *item)
{
  if (g_set_object (&self->item, item))
    g_object_notify_by_pspec (G_OBJECT (self), slot_properties[SLOT_PROP_ITEM]);
}

static void
cabut_slot_finalize (GObject *object)
{
  CabutSlot *self = (CabutSlot *)object;

  g_clear_object (&self->item);

  G_OBJECT_CLASS (cabut_slot_parent_class)->finalize (object);
}

static void
cabut_slot_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CabutSlot *self = CABUT_SLOT (object);

  switch (prop_id)
    {
    case SLOT_PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_slot_class_init (CabutSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cabut_slot_finalize;
  object_class->get_property = cabut_slot_get_property;

  slot_properties[SLOT_PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, SLOT_N_PROPS, slot_properties);
}

static void
cabut_slot_init (CabutSlot *self)
{
}

/** cabut_slot_get_item: Returns: (transfer none) (type GObject): what the model has at this slot's position */
gpointer
cabut_slot_get_item (CabutSlot *self)
{
  g_return_val_if_fail (CABUT_IS_SLOT (self), NULL);
  return self->item;
}

/* CabutSlotModel */

static void
slot_finalized_cb (gpointer  data,
                   GObject  *where_the_object_was)
{
  CabutSlotModel *self = data;
  CabutSlot *slot = (CabutSlot *) where_the_object_was;

  if (g_hash_table_lookup (self->slots, GUINT_TO_POINTER (slot->position)) == slot)
    g_hash_table_remove (self->slots, GUINT_TO_POINTER (slot->position));
}

static void
forget_slot (CabutSlotModel *self,
             CabutSlot      *slot)
{
  g_object_weak_unref (G_OBJECT (slot), slot_finalized_cb, self);
}

static void
model_items_changed_cb (CabutSlotModel *self,
                        guint           position,
                        guint           removed,
                        guint           added,
                        GListModel     *model)
{
  g_autoptr(GPtrArray) moved = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_n = self->n_items;
  guint new_n = g_list_model_get_n_items (model);
  guint common = MIN (old_n, new_n);
  GHashTableIter iter;
  gpointer key, value;

  self->n_items = new_n;

  /* Slots past the end now are forgotten (their rows go with the end of
   * the list); the others from @position on show what is there now. */
  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CabutSlot *slot = value;

      if (slot->position >= new_n)
        {
          forget_slot (self, slot);
          g_hash_table_iter_remove (&iter);
        }
      else if (slot->position >= position)
        g_ptr_array_add (moved, g_object_ref (slot));
    }
  for (guint i = 0; i < moved->len; i++)
    {
      CabutSlot *slot = g_ptr_array_index (moved, i);
      g_autoptr(GObject) item = g_list_model_get_item (model, slot->position);

      cabut_slot_set_item (slot, item);
    }

  if (old_n != new_n)
    g_list_model_items_changed (G_LIST_MODEL (self), common, old_n - common, new_n - common);
}

static GType
cabut_slot_model_get_item_type (GListModel *model)
{
  return CABUT_TYPE_SLOT;
}

static guint
cabut_slot_model_get_n_items (GListModel *model)
{
  return CABUT_SLOT_MODEL (model)->n_items;
}

static gpointer
cabut_slot_model_get_item (GListModel *model,
                           guint       position)
{
  CabutSlotModel *self = CABUT_SLOT_MODEL (model);
  CabutSlot *slot;

  if (position >= self->n_items)
    return NULL;

  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot != NULL)
    return g_object_ref (slot);

  slot = g_object_new (CABUT_TYPE_SLOT, NULL);
  slot->position = position;
  slot->item = g_list_model_get_item (self->model, position);
  g_hash_table_insert (self->slots, GUINT_TO_POINTER (position), slot);
  g_object_weak_ref (G_OBJECT (slot), slot_finalized_cb, self);

  return slot;
}

static void
cabut_slot_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cabut_slot_model_get_item_type;
  iface->get_n_items = cabut_slot_model_get_n_items;
  iface->get_item = cabut_slot_model_get_item;
}

static void
cabut_slot_model_dispose (GObject *object)
{
  CabutSlotModel *self = (CabutSlotModel *)object;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    forget_slot (self, value);
  g_hash_table_remove_all (self->slots);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (cabut_slot_model_parent_class)->dispose (object);
}

static void
cabut_slot_model_finalize (GObject *object)
{
  CabutSlotModel *self = (CabutSlotModel *)object;

  g_clear_pointer (&self->slots, g_hash_table_unref);

  G_OBJECT_CLASS (cabut_slot_model_parent_class)->finalize (object);
}

static void
cabut_slot_model_class_init (CabutSlotModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cabut_slot_model_dispose;
  object_class->finalize = cabut_slot_model_finalize;
}

static void
cabut_slot_model_init (CabutSlotModel *self)
{
  self->slots = g_hash_table_new (NULL, NULL);
}

/**
 * cabut_slot_model_new:
 * @model: the items the slots show
 *
 * Returns: (transfer full): a list of as many #CabutSlot as @model has items
 */
CabutSlotModel *
cabut_slot_model_new (GListModel *model)
{
  CabutSlotModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (CABUT_TYPE_SLOT_MODEL, NULL);
  self->model = g_object_ref (model);
  self->n_items = g_list_model_get_n_items (model);
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (model_items_changed_cb), self);

  return self;
}
