/* cabut-page.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-context.h"

G_BEGIN_DECLS

#define CABUT_TYPE_PAGE (cabut_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (CabutPage, cabut_page, CABUT, PAGE, AdwBin)

/* One step of the assistant, after gnome-initial-setup's GisPage: a page is
 * `complete` when Next may be pressed; Next runs apply_async (a sign-in, an
 * upload) while the page is `busy`, and moves on when it succeeds. */
struct _CabutPageClass
{
  AdwBinClass parent_class;

  void      (*shown)        (CabutPage            *page);
  /* Return FALSE when there is nothing to apply: the assistant moves on. */
  gboolean  (*apply_async)  (CabutPage            *page,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data);
  gboolean  (*apply_finish) (CabutPage            *page,
                             GAsyncResult         *result,
                             GError              **error);
};

CabutContext *cabut_page_get_context      (CabutPage            *self);
CabutDraft   *cabut_page_get_draft        (CabutPage            *self);
const char   *cabut_page_get_title        (CabutPage            *self);
void          cabut_page_set_title        (CabutPage            *self,
                                           const char           *title);
gboolean      cabut_page_get_complete     (CabutPage            *self);
void          cabut_page_set_complete     (CabutPage            *self,
                                           gboolean              complete);
gboolean      cabut_page_get_busy         (CabutPage            *self);
void          cabut_page_set_busy         (CabutPage            *self,
                                           gboolean              busy);
const char   *cabut_page_get_next_label   (CabutPage            *self);
void          cabut_page_set_next_label   (CabutPage            *self,
                                           const char           *label);
gboolean      cabut_page_get_can_go_back  (CabutPage            *self);
void          cabut_page_set_can_go_back  (CabutPage            *self,
                                           gboolean              can_go_back);
CabutDraftStep cabut_page_get_step        (CabutPage            *self);

void          cabut_page_shown            (CabutPage            *self);
gboolean      cabut_page_apply_async      (CabutPage            *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      cabut_page_apply_finish     (CabutPage            *self,
                                           GAsyncResult         *result,
                                           GError              **error);
void          cabut_page_go_to_step       (CabutPage            *self,
                                           CabutDraftStep        step);
void          cabut_page_next             (CabutPage            *self);

G_END_DECLS
