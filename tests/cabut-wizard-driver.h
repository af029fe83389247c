/* cabut-wizard-driver.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cabut-core.h"
#include "cabut-review-page.h"
#include "cabut-window.h"

G_BEGIN_DECLS

typedef struct
{
  char             *dir;         /* temporary; each window's XDG_DATA_HOME is under it */
  CabutDemoService *demo;        /* the real cabut-server, as `cabut --demo` starts it (parent only) */
  char             *url;         /* its address */
  GListModel       *accounts;    /* its CabutDemoAccount list */
  int               width;       /* of the windows opened, 800×600 unless set */
  int               height;
  char             *letter_pdf;  /* a one-page letter made with cairo */
} CabutDriverFixture;

typedef gboolean (*CabutDriverCondition) (gpointer data);
typedef void     (*CabutDriverPageFunc)  (CabutWindow *window,
                                          const char  *name,
                                          gpointer     data);

extern CabutDriverFixture *cabut_driver_fixture;

void              cabut_driver_use_own_display  (void);
void              cabut_driver_use_private_bus  (void);
void              cabut_driver_setup            (void);
void              cabut_driver_teardown         (void);
void              cabut_driver_restart_service  (void);
void              cabut_driver_stop_service     (void);
void              cabut_driver_start_service    (void);
void              cabut_driver_set_second_approval (gboolean         second_approval);
void              cabut_driver_spin_until       (CabutDriverCondition condition,
                                                 gpointer             data,
                                                 guint                seconds,
                                                 const char          *what);
void              cabut_driver_spin_for         (guint                ms);
gboolean          cabut_driver_is_true          (gpointer             data);
gboolean          cabut_driver_has_result       (gpointer             data);
gboolean          cabut_driver_label_has_text   (gpointer             data);
char             *cabut_driver_make_letter_pdf  (const char          *dir);
CabutDemoAccount *cabut_driver_demo_account     (const char          *username);
CabutWindow      *cabut_driver_open_window      (const char          *store_name);
void              cabut_driver_save_png         (GtkWidget           *window,
                                                 const char          *path);
CabutPage        *cabut_driver_current_page     (CabutWindow         *window);
void              cabut_driver_wait_for_step    (CabutWindow         *window,
                                                 CabutDraftStep       step);
void              cabut_driver_wait_complete    (CabutPage           *page);
void              cabut_driver_press_next       (CabutWindow         *window);
GtkWidget        *cabut_driver_template_child   (gpointer             widget,
                                                 const char          *name);
GtkWidget        *cabut_driver_find_named       (GtkWidget           *root,
                                                 const char          *name);
GtkWidget        *cabut_driver_find_button      (GtkWidget           *root,
                                                 const char          *label);
void              cabut_driver_walk_to_sign_in  (CabutWindow         *window,
                                                 const char          *certificate_of,
                                                 const char          *username);
GListModel       *cabut_driver_requests_of      (const char          *username);
char             *cabut_driver_make_big_letter  (int                  height);
CabutAmsClient   *cabut_driver_client_of        (const char          *username);
void              cabut_driver_sign_in_context  (CabutContext        *context,
                                                 const char          *username);
void              cabut_driver_reason_to_check  (CabutWindow         *window,
                                                 GFile               *letter);
void              cabut_driver_file_from_reason (CabutWindow         *window,
                                                 GFile               *letter);
char             *cabut_driver_submit           (const char          *username);
void              cabut_driver_cancel           (const char          *username,
                                                 const char          *request_id);
void              cabut_driver_approve          (const char          *request_id);
void              cabut_driver_reject           (const char          *request_id,
                                                 const char          *note);
gboolean          cabut_driver_confirmation_answered (gpointer        details);
gboolean          cabut_driver_revocation_checked (gpointer           page);
gboolean          cabut_driver_is_idle          (gpointer             page);
gboolean          cabut_driver_is_not_busy      (gpointer             widget);
void              cabut_driver_wait_not_busy    (gpointer             widget);
void              cabut_driver_choose_reason    (GtkWidget           *combo_row,
                                                 const char          *name);
const char       *cabut_driver_shown_label      (gpointer             owner,
                                                 const char          *child);
GFile            *cabut_driver_scan_letter      (GFile               *pdf);
void              cabut_driver_walk             (CabutWindow         *window,
                                                 const char          *applicant,
                                                 CabutDriverPageFunc  func,
                                                 gpointer             data);

typedef struct
{
  guint  id;
  char  *summary;
  char  *body;
  char **actions;
} CabutDriverNotice;

void              cabut_driver_notifications_start (void);
GPtrArray        *cabut_driver_notices          (void);
void              cabut_driver_notice_clicked   (guint                id);

char             *cabut_driver_make_two_page_letter (const char    *dir);
char             *cabut_driver_file_request     (const char          *applicant,
                                                 const char          *reason,
                                                 const char          *letter);
CabutContext     *cabut_driver_context_of       (const char          *username);
CabutReviewPage  *cabut_driver_open_review      (CabutContext        *context,
                                                 const char          *request_id,
                                                 GtkWindow          **out_window);
void              cabut_driver_wait_review      (CabutReviewPage     *page);
GtkWidget        *cabut_driver_wait_for_dialog  (void);

G_END_DECLS
