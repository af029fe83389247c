/* cabut-window.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-window.h"

struct _CabutWindow
{
  AdwApplicationWindow  parent_instance;

  AdwStatusPage        *status_page;
};

G_DEFINE_FINAL_TYPE (CabutWindow, cabut_window, ADW_TYPE_APPLICATION_WINDOW)

static void
cabut_window_class_init (CabutWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutWindow, status_page);
}

static void
cabut_window_init (CabutWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

}

CabutWindow *
cabut_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (CABUT_TYPE_WINDOW, "application", application, NULL);
}
