/* cabut-dn-list.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-dn-list"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-dn-list.h"
#include "cabut-util.h"

/* A distinguished name, attribute by attribute, with human labels
 * ("Name", "Organisation"…), most specific first, as `cabut-cli inspect`
 * prints it. Values are selectable so they can be copied. */
struct _CabutDnList
{
  AdwPreferencesGroup  parent_instance;

  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (CabutDnList, cabut_dn_list, ADW_TYPE_PREFERENCES_GROUP)

static void
cabut_dn_list_finalize (GObject *object)
{
  CabutDnList *self = (CabutDnList *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cabut_dn_list_parent_class)->finalize (object);
}

static void
cabut_dn_list_class_init (CabutDnListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cabut_dn_list_finalize;
}

static void
cabut_dn_list_init (CabutDnList *self)
{
  self->rows = g_ptr_array_new ();
}

GtkWidget *
cabut_dn_list_new (void)
{
  return g_object_new (CABUT_TYPE_DN_LIST, NULL);
}

/** cabut_dn_list_set_dn: shows @dn, or nothing when %NULL */
void
cabut_dn_list_set_dn (CabutDnList   *self,
                      const CabutDn *dn)
{
  g_autoptr(GPtrArray) attributes = NULL;

  g_return_if_fail (CABUT_IS_DN_LIST (self));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  if (dn == NULL)
    return;

  attributes = cabut_dn_get_attributes (dn);
  for (guint i = 0; i < attributes->len; i++)
    {
      const CabutRdnAttribute *attribute = g_ptr_array_index (attributes, i);
      GtkWidget *row = adw_action_row_new ();
      const char *label = cabut_rdn_attribute_get_label (attribute);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     label != NULL ? label : cabut_rdn_attribute_get_name (attribute));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cabut_rdn_attribute_get_value (attribute));
      cabut_row_wrap_anywhere (ADW_ACTION_ROW (row));
      gtk_widget_set_tooltip_text (row, cabut_rdn_attribute_get_name (attribute));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
}

guint
cabut_dn_list_get_n_rows (CabutDnList *self)
{
  g_return_val_if_fail (CABUT_IS_DN_LIST (self), 0);
  return self->rows->len;
}
