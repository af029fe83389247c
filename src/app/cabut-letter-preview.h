/* cabut-letter-preview.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cabut-core.h"

G_BEGIN_DECLS

#define CABUT_LETTER_PREVIEW_ERROR (cabut_letter_preview_error_quark ())

typedef enum
{
  CABUT_LETTER_PREVIEW_ERROR_WRONG_TYPE,
  CABUT_LETTER_PREVIEW_ERROR_TOO_LARGE,
  CABUT_LETTER_PREVIEW_ERROR_EMPTY,
  CABUT_LETTER_PREVIEW_ERROR_DAMAGED,
} CabutLetterPreviewError;

#define CABUT_TYPE_LETTER_PREVIEW (cabut_letter_preview_get_type ())

G_DECLARE_FINAL_TYPE (CabutLetterPreview, cabut_letter_preview, CABUT, LETTER_PREVIEW, GtkWidget)

GQuark      cabut_letter_preview_error_quark   (void);
GtkWidget  *cabut_letter_preview_new           (void);
void        cabut_letter_preview_load_async    (CabutLetterPreview   *self,
                                                GFile                *file,
                                                guint64               max_size,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean    cabut_letter_preview_load_finish   (CabutLetterPreview   *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void        cabut_letter_preview_clear         (CabutLetterPreview   *self);
GFile      *cabut_letter_preview_get_file      (CabutLetterPreview   *self);
const char *cabut_letter_preview_get_content_type (CabutLetterPreview *self);
guint64     cabut_letter_preview_get_size      (CabutLetterPreview   *self);
guint       cabut_letter_preview_get_n_pages   (CabutLetterPreview   *self);
guint       cabut_letter_preview_get_page      (CabutLetterPreview   *self);
void        cabut_letter_preview_set_page      (CabutLetterPreview   *self,
                                                guint                 page);
double      cabut_letter_preview_get_zoom      (CabutLetterPreview   *self);
void        cabut_letter_preview_set_zoom      (CabutLetterPreview   *self,
                                                double                zoom);
void        cabut_letter_preview_zoom_step     (CabutLetterPreview   *self,
                                                int                   direction);
void        cabut_letter_preview_load_request_async  (CabutLetterPreview   *self,
                                                      CabutAmsClient       *client,
                                                      CabutRequest         *request,
                                                      guint64               max_size,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean    cabut_letter_preview_load_request_finish (CabutLetterPreview   *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
