/* test-slot-model.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

#include "cabut-slot-model.h"

static GListStore *
make_store (const char *prefix,
            guint       n)
{
  GListStore *store = g_list_store_new (GTK_TYPE_STRING_OBJECT);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s%u", prefix, i);
      g_autoptr(GtkStringObject) object = gtk_string_object_new (text);

      g_list_store_append (store, object);
    }
  return store;
}

static const char *
slot_text (GListModel *slots,
           guint       position)
{
  g_autoptr(CabutSlot) slot = g_list_model_get_item (slots, position);

  return gtk_string_object_get_string (cabut_slot_get_item (slot));
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint n_changes;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Change     *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
  change->n_changes++;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *n)
{
  (*n)++;
}

/* The same slot at a position whatever the model has there; only the
 * length of the list is said to change. */
static void
test_slots (void)
{
  g_autoptr(GListStore) store = make_store ("a", 10);
  g_autoptr(CabutSlotModel) model = cabut_slot_model_new (G_LIST_MODEL (store));
  GListModel *slots = G_LIST_MODEL (model);
  g_autoptr(CabutSlot) first = g_list_model_get_item (slots, 0);
  g_autoptr(CabutSlot) fifth = g_list_model_get_item (slots, 4);
  g_autoptr(CabutSlot) last = g_list_model_get_item (slots, 9);
  g_autoptr(CabutSlot) again = g_list_model_get_item (slots, 4);
  g_autoptr(GListStore) other = make_store ("b", 3);
  Change change = { 0 };
  guint first_notified = 0;
  guint fifth_notified = 0;

  g_assert_true (g_list_model_get_item_type (slots) == CABUT_TYPE_SLOT);
  g_assert_cmpuint (g_list_model_get_n_items (slots), ==, 10);
  g_assert_null (g_list_model_get_item (slots, 10));
  g_assert_true (fifth == again);
  g_assert_cmpstr (slot_text (slots, 4), ==, "a4");
  g_signal_connect (slots, "items-changed", G_CALLBACK (items_changed_cb), &change);
  g_signal_connect (first, "notify::item", G_CALLBACK (count_notify_cb), &first_notified);
  g_signal_connect (fifth, "notify::item", G_CALLBACK (count_notify_cb), &fifth_notified);

  /* Six removed at 2, three others there: 7 left. */
  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < 3; i++)
      g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (other), i));
    g_list_store_splice (store, 2, 6, items->pdata, items->len);
  }
  g_assert_cmpuint (change.n_changes, ==, 1);
  g_assert_cmpuint (change.position, ==, 7);
  g_assert_cmpuint (change.removed, ==, 3);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (slots), ==, 7);
  g_assert_cmpuint (first_notified, ==, 0);
  g_assert_cmpuint (fifth_notified, ==, 1);
  g_assert_cmpstr (gtk_string_object_get_string (cabut_slot_get_item (fifth)), ==, "b2");
  g_assert_cmpstr (slot_text (slots, 1), ==, "a1");
  g_assert_cmpstr (slot_text (slots, 5), ==, "a8");
  g_assert_cmpstr (slot_text (slots, 6), ==, "a9");

  /* Longer again: the slot that was past the end is not used again. */
  g_list_store_append (store, cabut_slot_get_item (first));
  g_list_store_append (store, cabut_slot_get_item (first));
  g_list_store_append (store, cabut_slot_get_item (first));
  g_assert_cmpuint (change.n_changes, ==, 4);
  g_assert_cmpuint (change.position, ==, 9);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 1);
  {
    g_autoptr(CabutSlot) tenth = g_list_model_get_item (slots, 9);

    g_assert_true (tenth != last);
    g_assert_cmpstr (gtk_string_object_get_string (cabut_slot_get_item (tenth)), ==, "a0");
  }

  /* The slots are not kept by the model. */
  g_clear_object (&again);
  g_assert_finalize_object (g_steal_pointer (&fifth));
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
show_slot (GtkLabel  *label,
           CabutSlot *slot)
{
  gtk_label_set_label (label, gtk_string_object_get_string (cabut_slot_get_item (slot)));
}

static void
slot_changed_cb (CabutSlot  *slot,
                 GParamSpec *pspec,
                 GtkLabel   *label)
{
  show_slot (label, slot);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  show_slot (GTK_LABEL (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
  g_signal_connect_object (gtk_list_item_get_item (item), "notify::item", G_CALLBACK (slot_changed_cb),
                           gtk_list_item_get_child (item), 0);
}

static void
unbind_label_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), slot_changed_cb,
                                        gtk_list_item_get_child (item));
}

static GPtrArray *
list_rows (GtkWidget *list)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_first_child (row) != NULL && GTK_IS_LABEL (gtk_widget_get_first_child (row)))
      g_ptr_array_add (rows, gtk_widget_get_first_child (row));
  return rows;
}

static gboolean
has_row (GPtrArray  *rows,
         const char *text)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (gtk_label_get_label (g_ptr_array_index (rows, i)), text))
      return TRUE;
  return FALSE;
}

static void
spin (void)
{
  for (int i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

/* A GTK 4.8 list view over slots keeps its row widgets when everything
 * it shows changes, and they show the new items. */
static void
test_list_view_keeps_rows (void)
{
  g_autoptr(GListStore) store = make_store ("a", 300);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GListStore) other = make_store ("b", 300);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_label_cb), NULL);
  list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (
                              cabut_slot_model_new (G_LIST_MODEL (store))))), factory);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 400);
  gtk_window_present (GTK_WINDOW (window));
  spin ();

  before = list_rows (list);
  g_assert_cmpuint (before->len, >, 10);
  g_assert_true (has_row (before, "a0"));

  /* Everything else, and fewer. */
  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < 250; i++)
      g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (other), i));
    g_list_store_splice (store, 0, 300, items->pdata, items->len);
  }
  spin ();

  after = list_rows (list);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    g_assert_true (g_ptr_array_find (before, g_ptr_array_index (after, i), NULL));
  g_assert_true (has_row (after, "b0"));
  g_assert_false (has_row (after, "a0"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cabut/slot-model/slots", test_slots);
  g_test_add_func ("/cabut/slot-model/list-view-keeps-rows", test_list_view_keeps_rows);

  return g_test_run ();
}
