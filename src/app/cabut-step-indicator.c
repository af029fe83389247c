/* cabut-step-indicator.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-step-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-step-indicator.h"

/* A row of dots under the header bar: where the applicant is in the
 * assistant, said to screen readers as "Step 3 of 9: …". */
struct _CabutStepIndicator
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *label;
  guint      n_steps;
  guint      current;
};

G_DEFINE_FINAL_TYPE (CabutStepIndicator, cabut_step_indicator, GTK_TYPE_WIDGET)

static void
update (CabutStepIndicator *self,
        const char         *title)
{
  g_autofree char *text = NULL;
  guint i = 0;

  for (GtkWidget *dot = gtk_widget_get_first_child (self->box);
       dot != NULL;
       dot = gtk_widget_get_next_sibling (dot), i++)
    {
      if (i < self->current)
        gtk_widget_add_css_class (dot, "done");
      else
        gtk_widget_remove_css_class (dot, "done");
      if (i == self->current)
        gtk_widget_add_css_class (dot, "current");
      else
        gtk_widget_remove_css_class (dot, "current");
    }

  /* Translators: the position in the assistant, e.g. "Step 3 of 9" */
  text = g_strdup_printf (_("Step %u of %u"), self->current + 1, MAX (self->n_steps, 1));
  gtk_label_set_label (GTK_LABEL (self->label), text);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 1.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) MAX (self->n_steps, 1),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) self->current + 1,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, title != NULL ? title : text,
                                  -1);
}

static void
cabut_step_indicator_dispose (GObject *object)
{
  CabutStepIndicator *self = (CabutStepIndicator *)object;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cabut_step_indicator_parent_class)->dispose (object);
}

static void
cabut_step_indicator_class_init (CabutStepIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_step_indicator_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "stepindicator");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
cabut_step_indicator_init (CabutStepIndicator *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (self->box, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->label, "caption");
  gtk_widget_add_css_class (self->label, "dim-label");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
}

GtkWidget *
cabut_step_indicator_new (void)
{
  return g_object_new (CABUT_TYPE_STEP_INDICATOR, NULL);
}

void
cabut_step_indicator_set_steps (CabutStepIndicator *self,
                                guint               n_steps)
{
  GtkWidget *child;

  g_return_if_fail (CABUT_IS_STEP_INDICATOR (self));

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);

  for (guint i = 0; i < n_steps; i++)
    {
      GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      gtk_widget_add_css_class (dot, "step-dot");
      gtk_box_append (GTK_BOX (self->box), dot);
    }

  self->n_steps = n_steps;
  self->current = MIN (self->current, n_steps > 0 ? n_steps - 1 : 0);
  update (self, NULL);
}

void
cabut_step_indicator_set_current (CabutStepIndicator *self,
                                  guint               current,
                                  const char         *title)
{
  g_return_if_fail (CABUT_IS_STEP_INDICATOR (self));

  self->current = current;
  update (self, title);
}

guint
cabut_step_indicator_get_current (CabutStepIndicator *self)
{
  g_return_val_if_fail (CABUT_IS_STEP_INDICATOR (self), 0);
  return self->current;
}

guint
cabut_step_indicator_get_steps (CabutStepIndicator *self)
{
  g_return_val_if_fail (CABUT_IS_STEP_INDICATOR (self), 0);
  return self->n_steps;
}
