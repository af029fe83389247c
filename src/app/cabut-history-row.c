/* cabut-history-row.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-history-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-history-row.h"
#include "cabut-util.h"

/* One row of "My requests": "CBT-… · Name" over a dimmed "reason · due …",
 * the state at the end in its colour. A list view of GTK 4.8 makes a
 * couple of hundred rows anew whenever a search changes which requests
 * are at the top, most of them out of sight, so this is one widget with no
 * children: its height comes from the font alone (the same for every row,
 * worked out once), and its text is laid out only when it is drawn. */
struct _CabutHistoryRow
{
  GtkWidget     parent_instance;

  char         *title;
  char         *subtitle;
  char         *badge;
  char         *description;     /* for screen readers: state and subtitle */
  const char   *badge_color;     /* a named colour of the theme, or NULL */

  /* Made when first drawn, for the widget's Pango context as it was. */
  PangoLayout  *title_layout;
  PangoLayout  *subtitle_layout;
  PangoLayout  *badge_layout;
  guint         context_serial;
};

G_DEFINE_FINAL_TYPE (CabutHistoryRow, cabut_history_row, GTK_TYPE_WIDGET)

/* As the row was made of boxes: 9 px above and below, 12 at the sides
 * and between the text and the state, 2 between the lines. */
#define PAD_Y     9
#define PAD_X     12
#define SPACING   12
#define LINE_GAP  2
/* Adwaita's .caption and .caption-heading: 9 pt, at the screen's resolution
 * (so large text makes them larger too). */
#define CAPTION_SIZE (9 * PANGO_SCALE)
/* Adwaita's .dim-label */
#define DIM_ALPHA 0.55f

/* The line heights of the two fonts, for whichever font and resolution
 * the rows were last measured with: every row of a list has the same. */
typedef struct
{
  PangoFontDescription *font;
  double                resolution;
  int                   title_ascent;
  int                   title_height;
  int                   caption_ascent;
  int                   caption_height;
  int                   char_width;
} RowMetrics;

static RowMetrics metrics;

static PangoFontDescription *
caption_font (PangoContext *context,
              gboolean      bold)
{
  PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (context));

  pango_font_description_set_size (font, CAPTION_SIZE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  return font;
}

static const RowMetrics *
get_metrics (CabutHistoryRow *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);
  double resolution = pango_cairo_context_get_resolution (context);
  g_autoptr(PangoFontDescription) caption = NULL;
  PangoFontMetrics *font_metrics;

  if (metrics.font != NULL && metrics.resolution == resolution && pango_font_description_equal (metrics.font, font))
    return &metrics;

  g_clear_pointer (&metrics.font, pango_font_description_free);
  metrics.font = pango_font_description_copy (font);
  metrics.resolution = resolution;

  /* As GtkInscription measures a line: ascent and descent. */
  font_metrics = pango_context_get_metrics (context, font, NULL);
  metrics.title_ascent = pango_font_metrics_get_ascent (font_metrics);
  metrics.title_height = PANGO_PIXELS_CEIL (metrics.title_ascent + pango_font_metrics_get_descent (font_metrics));
  metrics.char_width = PANGO_PIXELS_CEIL (pango_font_metrics_get_approximate_char_width (font_metrics));
  pango_font_metrics_unref (font_metrics);

  caption = caption_font (context, FALSE);
  font_metrics = pango_context_get_metrics (context, caption, NULL);
  metrics.caption_ascent = pango_font_metrics_get_ascent (font_metrics);
  metrics.caption_height = PANGO_PIXELS_CEIL (metrics.caption_ascent + pango_font_metrics_get_descent (font_metrics));
  pango_font_metrics_unref (font_metrics);

  return &metrics;
}

static PangoLayout *
make_layout (CabutHistoryRow *self,
             const char      *text,
             gboolean         caption,
             gboolean         bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (caption)
    {
      g_autoptr(PangoFontDescription) font = caption_font (gtk_widget_get_pango_context (GTK_WIDGET (self)), bold);

      pango_layout_set_font_description (layout, font);
    }
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  return layout;
}

static void
clear_layouts (CabutHistoryRow *self)
{
  g_clear_object (&self->title_layout);
  g_clear_object (&self->subtitle_layout);
  g_clear_object (&self->badge_layout);
}

static void
ensure_layouts (CabutHistoryRow *self)
{
  guint serial = pango_context_get_serial (gtk_widget_get_pango_context (GTK_WIDGET (self)));

  /* Another font or resolution: the captions' fonts are made from it. */
  if (self->title_layout != NULL && serial != self->context_serial)
    clear_layouts (self);
  self->context_serial = serial;

  if (self->title_layout == NULL)
    {
      self->title_layout = make_layout (self, self->title, FALSE, FALSE);
      self->subtitle_layout = make_layout (self, self->subtitle, TRUE, FALSE);
      self->badge_layout = make_layout (self, self->badge, TRUE, TRUE);
    }
}

/* Draws @layout with its first baseline @ascent (Pango units) below @y. */
static void
append_line (GtkSnapshot    *snapshot,
             PangoLayout    *layout,
             int             x,
             int             y,
             int             ascent,
             const GdkRGBA  *color)
{
  int baseline = pango_layout_get_baseline (layout);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y + (float) (ascent - baseline) / PANGO_SCALE));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
cabut_history_row_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CabutHistoryRow *self = CABUT_HISTORY_ROW (widget);
  const RowMetrics *m = get_metrics (self);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int text_width, text_x, badge_x;
  PangoRectangle badge_extents;
  GdkRGBA color, dim, badge_color;

  if (self->title == NULL || width <= 2 * PAD_X)
    return;

  ensure_layouts (self);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (style, &color);
  badge_color = color;
  if (self->badge_color != NULL && !gtk_style_context_lookup_color (style, self->badge_color, &badge_color))
    badge_color = color;
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = color;
  dim.alpha *= DIM_ALPHA;

  /* The state at the end, whole; the text ellipsized before it. */
  pango_layout_get_pixel_extents (self->badge_layout, NULL, &badge_extents);
  text_width = width - 2 * PAD_X - (badge_extents.width > 0 ? badge_extents.width + SPACING : 0);
  text_width = MAX (text_width, 0);
  text_x = rtl ? width - PAD_X - text_width : PAD_X;
  badge_x = rtl ? PAD_X : width - PAD_X - badge_extents.width;

  pango_layout_set_width (self->title_layout, text_width * PANGO_SCALE);
  pango_layout_set_width (self->subtitle_layout, text_width * PANGO_SCALE);
  pango_layout_set_alignment (self->title_layout, rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_alignment (self->subtitle_layout, rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);

  /* The two lines centred together, as the boxes did. */
  {
    int block = m->title_height + LINE_GAP + m->caption_height;
    int top = MAX (0, (height - block) / 2);

    append_line (snapshot, self->title_layout, text_x, top, m->title_ascent, &color);
    append_line (snapshot, self->subtitle_layout, text_x, top + m->title_height + LINE_GAP, m->caption_ascent, &dim);
    append_line (snapshot, self->badge_layout, badge_x - badge_extents.x, (height - m->caption_height) / 2,
                 m->caption_ascent, &badge_color);
  }
}

static void
cabut_history_row_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  const RowMetrics *m = get_metrics (CABUT_HISTORY_ROW (widget));

  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      *minimum = *natural = PAD_Y + m->title_height + LINE_GAP + m->caption_height + PAD_Y;
    }
  else
    {
      /* A few characters of text and of the state at least; about as
       * wide as the longest state and a name by nature. */
      *minimum = 2 * PAD_X + SPACING + 6 * m->char_width;
      *natural = 2 * PAD_X + SPACING + 48 * m->char_width;
    }
}

static GtkSizeRequestMode
cabut_history_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
cabut_history_row_direction_changed (GtkWidget        *widget,
                                     GtkTextDirection  previous)
{
  GTK_WIDGET_CLASS (cabut_history_row_parent_class)->direction_changed (widget, previous);
  gtk_widget_queue_draw (widget);
}

static void
cabut_history_row_system_setting_changed (GtkWidget         *widget,
                                          GtkSystemSetting   setting)
{
  GTK_WIDGET_CLASS (cabut_history_row_parent_class)->system_setting_changed (widget, setting);
  /* Fonts installed or removed: laid out anew when next drawn. */
  clear_layouts (CABUT_HISTORY_ROW (widget));
  gtk_widget_queue_resize (widget);
}

static void
cabut_history_row_finalize (GObject *object)
{
  CabutHistoryRow *self = (CabutHistoryRow *)object;

  clear_layouts (self);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->subtitle, g_free);
  g_clear_pointer (&self->badge, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (cabut_history_row_parent_class)->finalize (object);
}

static void
cabut_history_row_class_init (CabutHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cabut_history_row_finalize;

  widget_class->snapshot = cabut_history_row_snapshot;
  widget_class->measure = cabut_history_row_measure;
  widget_class->get_request_mode = cabut_history_row_get_request_mode;
  widget_class->direction_changed = cabut_history_row_direction_changed;
  widget_class->system_setting_changed = cabut_history_row_system_setting_changed;

  gtk_widget_class_set_css_name (widget_class, "cabut-history-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cabut_history_row_init (CabutHistoryRow *self)
{
}

/** cabut_history_row_new: Returns: a row showing nothing until given a request */
GtkWidget *
cabut_history_row_new (void)
{
  return g_object_new (CABUT_TYPE_HISTORY_ROW, NULL);
}

static void
set_text (PangoLayout  *layout,
          char        **field,
          char         *text)
{
  g_free (*field);
  *field = text;
  if (layout != NULL)
    pango_layout_set_text (layout, text, -1);
}

/**
 * cabut_history_row_set_request:
 *
 * Shows @request: its number and applicant, its reason and deadline (or
 * when it was decided), and its state. Screen readers read the same: the
 * title as the row's name, the state and the rest as its description.
 */
void
cabut_history_row_set_request (CabutHistoryRow *self,
                               CabutRequest    *request)
{
  CabutRequestState state;
  const char *name;
  const char *reason;
  gboolean overdue;

  g_return_if_fail (CABUT_IS_HISTORY_ROW (self));
  g_return_if_fail (CABUT_IS_REQUEST (request));

  state = cabut_request_get_state (request);
  name = cabut_request_get_applicant_name (request);
  reason = cabut_request_get_reason_label (request);
  overdue = cabut_request_get_overdue (request);

  set_text (self->title_layout, &self->title,
            /* Translators: a request number, then the applicant's name */
            g_strdup_printf (_("%s · %s"), cabut_request_get_id (request),
                             name != NULL ? name : cabut_request_get_applicant_username (request)));

  if (cabut_request_state_is_open (state))
    {
      g_autofree char *due = cabut_format_date_time (cabut_request_get_due (request));

      set_text (self->subtitle_layout, &self->subtitle,
                overdue
                  /* Translators: a reason, then a date */
                  ? g_strdup_printf (_("%s · was due %s, overdue"), reason, due)
                  /* Translators: a reason, then a date */
                  : g_strdup_printf (_("%s · due %s"), reason, due));
    }
  else
    {
      g_autofree char *decided = cabut_format_date_time (cabut_request_get_decided_at (request));

      set_text (self->subtitle_layout, &self->subtitle,
                *decided != '\0'
                  /* Translators: a reason, then a date */
                  ? g_strdup_printf (_("%s · decided %s"), reason, decided)
                  : g_strdup (reason));
    }

  set_text (self->badge_layout, &self->badge,
            g_strdup (overdue ? _("Overdue") : cabut_request_state_to_label (state)));
  /* The colours of Adwaita's .success, .error, .warning and .accent. */
  self->badge_color = state == CABUT_REQUEST_STATE_REVOKED ? "success_color"
                      : state == CABUT_REQUEST_STATE_REJECTED ? "error_color"
                      : state == CABUT_REQUEST_STATE_CANCELLED ? NULL
                      : overdue ? "warning_color" : "accent_color";

  /* Translators: how screen readers describe a row of My requests: its
   * state, then its reason and deadline or decision */
  g_free (self->description);
  self->description = g_strdup_printf (_("%s: %s"), self->badge, self->subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description, -1);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/** cabut_history_row_get_title: Returns: (nullable): the number and applicant shown */
const char *
cabut_history_row_get_title (CabutHistoryRow *self)
{
  g_return_val_if_fail (CABUT_IS_HISTORY_ROW (self), NULL);
  return self->title;
}

/** cabut_history_row_get_subtitle: Returns: (nullable): the reason and deadline or decision shown */
const char *
cabut_history_row_get_subtitle (CabutHistoryRow *self)
{
  g_return_val_if_fail (CABUT_IS_HISTORY_ROW (self), NULL);
  return self->subtitle;
}

/** cabut_history_row_get_badge: Returns: (nullable): the state shown */
const char *
cabut_history_row_get_badge (CabutHistoryRow *self)
{
  g_return_val_if_fail (CABUT_IS_HISTORY_ROW (self), NULL);
  return self->badge;
}

/** cabut_history_row_get_description: Returns: (nullable): the state, reason and dates, as screen readers say them */
const char *
cabut_history_row_get_description (CabutHistoryRow *self)
{
  g_return_val_if_fail (CABUT_IS_HISTORY_ROW (self), NULL);
  return self->description;
}
