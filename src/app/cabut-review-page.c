/* cabut-review-page.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-review-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cabut-letter-preview.h"
#include "cabut-review-page.h"
#include "cabut-util.h"

/* The verifikator's page for one request (the service standard's steps
 * 6–8): the request beside what the service holds — the account, the
 * registered certificate's Subject DN attribute by attribute with every
 * difference marked in words and an icon, the checks, the timeline — and
 * the letter itself, paged and zoomed. Take for review, Approve (after a
 * confirmation; then the CA is asked over OCSP) and Reject (with a note)
 * go to the service with the signed-in officer's client. Under second
 * approval Approve and Reject only propose; the proposal is shown, and
 * another officer confirms it (then as an approval or a rejection) or
 * declines it with a note. What the page shows comes from core's
 * CabutReview; it holds no JSON. */

struct _CabutReviewPage
{
  AdwBin              parent_instance;

  CabutContext       *context;
  char               *request_id;
  CabutReview        *review;
  GCancellable       *cancellable;      /* the request shown; cancelled for another, and with the window's */
  gboolean            busy;
  const char         *action;           /* static: the step under way */
  char               *notice;
  char               *letter_for;       /* the request whose letter is shown */
  gint64              crl_number;       /* of the approval made here, 0 before */
  char               *decided_for;      /* the request approved here */
  char               *asked_for;        /* the revoked request the CA was asked about */
  char               *confirmation;     /* the CA's answer after approving */
  char               *reject_note;      /* kept until the rejection (or decline) succeeds */
  const char         *note_response;    /* static: "reject" or "decline", the note dialog's */
  GtkWidget          *reject_dialog;    /* weak: the note dialog, to reject or to decline */
  GtkWidget          *reject_text;      /* weak: the dialog's text view */
  GPtrArray          *rows;             /* (group, row) pairs to remove on rebuild */

  /* template children */
  GtkLabel           *title_label;
  GtkLabel           *state_label;
  GtkLabel           *deadline_label;
  GtkWidget          *take_button;
  GtkWidget          *approve_button;
  GtkWidget          *reject_button;
  GtkWidget          *decline_button;
  GtkWidget          *confirm_button;
  GtkWidget          *notice_box;
  GtkImage           *notice_icon;
  GtkLabel           *notice_label;
  AdwPreferencesGroup *decision_group;
  AdwPreferencesGroup *subject_group;
  AdwPreferencesGroup *checks_group;
  AdwPreferencesGroup *request_group;
  AdwPreferencesGroup *account_group;
  AdwPreferencesGroup *certificate_group;
  AdwPreferencesGroup *timeline_group;
  GtkLabel           *page_label;
  GtkLabel           *zoom_label;
  GtkLabel           *letter_label;
  CabutLetterPreview *preview;
};

G_DEFINE_FINAL_TYPE (CabutReviewPage, cabut_review_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  DECIDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The common causes of a rejection, and the note each writes for the
 * applicant. */
static const struct {
  const char *id;
  const char *label;
  const char *note;
} causes[] = {
  { "unsigned", N_("The letter is not signed"),
    N_("The statement letter is not signed. Print it, sign it, and file the request again with the scan of the "
       "signed letter.") },
  { "data", N_("The data does not match"),
    N_("The data in the request does not match your account or your certificate. Check your data with the "
       "service desk, then file the request again.") },
  { "certificate", N_("Wrong certificate"),
    N_("The certificate in the request is not the one your letter names. File the request again with the "
       "right certificate.") },
  { "scan", N_("The scan cannot be read"),
    N_("The scan of the letter cannot be read. Scan the signed letter again (150–200 dpi is enough) and file "
       "the request again.") },
};

static void load (CabutReviewPage *self);

/* ---------------------------------------------------------------------- */

/* The work for the request shown stops with the window (the context's
 * cancellable) or when another request is shown. */
static void
new_cancellable (CabutReviewPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->context != NULL && g_cancellable_is_cancelled (cabut_context_get_cancellable (self->context)))
    g_cancellable_cancel (self->cancellable);
}

static void
window_closed_cb (CabutReviewPage *self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
set_busy (CabutReviewPage *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* A notice above the page: what happened and what to do. */
static void
set_notice (CabutReviewPage *self,
            const char      *icon_name,
            const char      *text)
{
  cabut_set_str (&self->notice, text);
  gtk_widget_set_visible (self->notice_box, text != NULL);
  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
  gtk_image_set_from_icon_name (self->notice_icon, icon_name);
  gtk_widget_remove_css_class (self->notice_box, "error");
  gtk_widget_remove_css_class (self->notice_box, "warning");
  if (g_strcmp0 (icon_name, "dialog-error-symbolic") == 0)
    gtk_widget_add_css_class (self->notice_box, "error");
  else if (g_strcmp0 (icon_name, "dialog-warning-symbolic") == 0)
    gtk_widget_add_css_class (self->notice_box, "warning");
}

/* What went wrong with the service, said for the officer, with what to do. */
static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_CONFLICT))
    /* Translators: %s is the service's own words */
    return g_strdup_printf (_("Someone else changed this request meanwhile (%s). It has been loaded again: look "
                              "at its state before you go on."), error->message);
  if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_NETWORK) ||
      g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_SERVER))
    return g_strdup_printf (_("The service cannot be reached (%s). Nothing was changed. Check the network "
                              "connection, then try again."), error->message);
  if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_UNAUTHORIZED))
    return g_strdup_printf (_("Your session has ended (%s). Sign in again, then try again."), error->message);
  if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_FORBIDDEN))
    return g_strdup_printf (_("The service refused this (%s)."), error->message);
  if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_NOT_FOUND))
    return g_strdup_printf (_("The service does not know this request (%s). Go back to the queue and load it "
                              "again."), error->message);

  return g_strdup_printf (_("It did not work: %s"), error->message);
}

/* Says @error above the page; returns what it said. */
static char *
show_error (CabutReviewPage *self,
            const GError    *error)
{
  char *text = describe_error (error);

  set_notice (self, "dialog-error-symbolic", text);
  return text;
}

static void
clear_rows (CabutReviewPage *self)
{
  for (guint i = 0; i + 1 < self->rows->len; i += 2)
    adw_preferences_group_remove (g_ptr_array_index (self->rows, i), g_ptr_array_index (self->rows, i + 1));
  g_ptr_array_set_size (self->rows, 0);
}

static AdwActionRow *
add_row (CabutReviewPage     *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (row, subtitle);
  cabut_row_wrap_anywhere (row);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  g_ptr_array_add (self->rows, group);
  g_ptr_array_add (self->rows, row);

  return row;
}

/* A match or a difference, in an icon and a word (never colour alone). */
static void
mark_row (AdwActionRow *row,
          gboolean      matches)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (matches ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (matches ? _("Matches") : _("Differs"));

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (box, matches ? "success" : "warning");
  gtk_widget_set_name (box, matches ? "match" : "difference");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  adw_action_row_add_suffix (row, box);
}

static const char *
letter_match_label (const char *found)
{
  CabutLetterMatch match;

  if (found == NULL || !cabut_statement_letter_match_from_string (found, &match))
    return _("Not checked: filed before the service read letter codes");

  switch (match)
    {
    case CABUT_LETTER_MATCH_YES:
      return _("Its code names this certificate and reason");
    case CABUT_LETTER_MATCH_OTHER_CERTIFICATE:
      return _("Its code names another certificate");
    case CABUT_LETTER_MATCH_OTHER_REASON:
      return _("Its code gives another reason");
    case CABUT_LETTER_MATCH_NO_CODE:
      return _("No code on it: compare the letter by eye");
    case CABUT_LETTER_MATCH_UNREADABLE:
    default:
      return _("Its code cannot be read: compare the letter by eye");
    }
}

/* The officer who took the request for review, from its timeline. */
static const char *
reviewer_of (CabutRequest *request)
{
  GListModel *events = cabut_request_get_events (request);
  const char *name = cabut_request_get_reviewer_name (request);

  /* The service names who took it; one older than that, its events. */
  if (name != NULL)
    return name;

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(CabutRequestEvent) event = g_list_model_get_item (events, i);

      if (cabut_request_event_get_state (event) == CABUT_REQUEST_STATE_IN_REVIEW)
        name = cabut_request_event_get_actor_name (event);
    }

  return name;
}

static gboolean
is_own_request (CabutReviewPage *self)
{
  CabutProfile *profile = cabut_context_get_profile (self->context);

  return profile != NULL && self->review != NULL &&
         g_strcmp0 (cabut_profile_get_username (profile),
                    cabut_review_get_account (self->review, CABUT_REVIEW_ACCOUNT_USERNAME)) == 0;
}

static gboolean
is_admin (CabutReviewPage *self)
{
  CabutProfile *profile = self->context != NULL ? cabut_context_get_profile (self->context) : NULL;

  return profile != NULL && cabut_profile_get_role (profile) == CABUT_ROLE_ADMIN;
}

/* In review by another officer: only they, or an admin taking over,
 * approve or reject it (the service refuses anyone else). */
static gboolean
is_taken_by_other (CabutReviewPage *self,
                   CabutRequest    *request)
{
  CabutProfile *profile = self->context != NULL ? cabut_context_get_profile (self->context) : NULL;
  const char *reviewer = request != NULL ? cabut_request_get_reviewer_username (request) : NULL;

  return profile != NULL && reviewer != NULL && cabut_request_get_state (request) == CABUT_REQUEST_STATE_IN_REVIEW &&
         g_strcmp0 (cabut_profile_get_username (profile), reviewer) != 0;
}

/* Whether the service wants a second officer to confirm each decision. */
static gboolean
has_second_approval (CabutReviewPage *self)
{
  CabutServiceInfo *info = self->context != NULL ? cabut_context_get_service_info (self->context) : NULL;

  return info != NULL && cabut_service_info_get_second_approval (info);
}

static gboolean
is_own_proposal (CabutReviewPage *self,
                 CabutRequest    *request)
{
  CabutProfile *profile = self->context != NULL ? cabut_context_get_profile (self->context) : NULL;

  return profile != NULL && request != NULL && cabut_request_get_pending_action (request) != NULL &&
         g_strcmp0 (cabut_profile_get_username (profile), cabut_request_get_pending_by_username (request)) == 0;
}

static void
update_actions (CabutReviewPage *self)
{
  CabutRequest *request = self->review != NULL ? cabut_review_get_request (self->review) : NULL;
  CabutRequestState state = request != NULL ? cabut_request_get_state (request) : CABUT_REQUEST_STATE_CANCELLED;
  gboolean can_act = request != NULL && !self->busy && !is_own_request (self);
  gboolean pending = request != NULL && cabut_request_get_pending_action (request) != NULL;
  gboolean own_proposal = is_own_proposal (self, request);
  gboolean propose = has_second_approval (self);
  gboolean locked = is_taken_by_other (self, request) && !is_admin (self);
  guint n_pages = cabut_letter_preview_get_n_pages (self->preview);
  guint page = cabut_letter_preview_get_page (self->preview);
  double zoom = cabut_letter_preview_get_zoom (self->preview);
  g_autofree char *page_text = NULL;
  g_autofree char *zoom_text = NULL;

  /* A decided request has nothing left to do here. */
  gtk_widget_set_visible (self->take_button, request == NULL || cabut_request_state_is_open (state));
  gtk_widget_set_visible (self->reject_button, (request == NULL || cabut_request_state_is_open (state)) && !pending);
  gtk_widget_set_visible (self->approve_button, (request == NULL || cabut_request_state_is_open (state)) && !pending);
  /* A proposal waits for a different officer: the proposer sees neither. */
  gtk_widget_set_visible (self->confirm_button, pending && !own_proposal);
  gtk_widget_set_visible (self->decline_button, pending && !own_proposal);
  gtk_button_set_label (GTK_BUTTON (self->approve_button), propose ? _("_Propose Approval…") : _("_Approve…"));
  gtk_button_set_label (GTK_BUTTON (self->reject_button), propose ? _("Propose _Rejection…") : _("_Reject…"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.take",
                                 can_act && state == CABUT_REQUEST_STATE_SUBMITTED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.approve",
                                 can_act && cabut_request_state_is_open (state) && !pending && !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.reject",
                                 can_act && cabut_request_state_is_open (state) && !pending && !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.confirm",
                                 can_act && cabut_request_state_is_open (state) && pending && !own_proposal);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.decline",
                                 can_act && cabut_request_state_is_open (state) && pending && !own_proposal);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.previous-page", page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.next-page", page + 1 < n_pages);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.zoom-in", n_pages > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.zoom-out", n_pages > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.zoom-fit", n_pages > 0 && zoom > 0);

  /* Translators: the page of the letter shown, e.g. "Page 1 of 2" */
  page_text = n_pages > 0 ? g_strdup_printf (_("Page %u of %u"), page + 1, n_pages) : g_strdup ("");
  gtk_label_set_text (self->page_label, page_text);
  /* Translators: the zoom of the letter; "Fit" when fitted to the window */
  zoom_text = zoom > 0 ? g_strdup_printf (_("%.0f%%"), zoom * 100) : g_strdup (C_("zoom", "Fit"));
  gtk_label_set_text (self->zoom_label, zoom_text);
}

static void
show_header (CabutReviewPage *self,
             CabutRequest    *request)
{
  CabutRequestState state = cabut_request_get_state (request);
  g_autofree char *title = NULL;
  g_autofree char *due = cabut_format_date_time (cabut_request_get_due (request));
  g_autofree char *deadline = NULL;
  g_autofree char *state_text = NULL;
  const char *reviewer = reviewer_of (request);

  /* Translators: %s is the request number */
  title = g_strdup_printf (_("Request %s"), cabut_request_get_id (request));
  gtk_label_set_text (self->title_label, title);

  if (state == CABUT_REQUEST_STATE_IN_REVIEW && reviewer != NULL)
    /* Translators: %s is the officer's name */
    state_text = g_strdup_printf (_("In review by %s"), reviewer);
  else
    state_text = g_strdup (cabut_request_state_to_label (state));
  gtk_label_set_text (self->state_label, state_text);

  if (cabut_request_state_is_open (state) && cabut_request_get_overdue (request))
    /* Translators: %s is the deadline */
    deadline = g_strdup_printf (_("⚠ Overdue: it was due %s"), due);
  else if (cabut_request_state_is_open (state))
    deadline = g_strdup_printf (_("Due %s"), due);
  else
    {
      g_autofree char *decided = cabut_format_date_time (cabut_request_get_decided_at (request));

      deadline = g_strdup_printf (_("Decided %s"), decided);
    }
  gtk_label_set_text (self->deadline_label, deadline);
  gtk_widget_remove_css_class (GTK_WIDGET (self->deadline_label), "warning");
  if (cabut_request_state_is_open (state) && cabut_request_get_overdue (request))
    gtk_widget_add_css_class (GTK_WIDGET (self->deadline_label), "warning");
}

/* The registered Subject DN attribute by attribute, each beside the
 * account's value where the service compared them. */
static void
show_subject (CabutReviewPage *self)
{
  GPtrArray *attributes = cabut_review_get_subject_attributes (self->review);
  GListModel *checks = cabut_review_get_checks (self->review);
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < attributes->len; i++)
    {
      const CabutRdnAttribute *attribute = g_ptr_array_index (attributes, i);
      const char *name = cabut_rdn_attribute_get_name (attribute);
      const char *value = cabut_rdn_attribute_get_value (attribute);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      CabutReviewCheck *check = NULL;
      AdwActionRow *row;

      for (guint j = 0; j < g_list_model_get_n_items (checks) && check == NULL; j++)
        {
          g_autoptr(CabutReviewCheck) candidate = g_list_model_get_item (checks, j);

          if (!g_hash_table_contains (used, candidate) &&
              g_str_equal (cabut_review_check_get_name (candidate), name) &&
              g_strcmp0 (cabut_review_check_get_found (candidate), value) == 0)
            check = candidate;
        }

      /* Translators: an attribute's label and its short name, e.g. "Common name (CN)" */
      title = g_strdup_printf (_("%s (%s)"), cabut_rdn_attribute_get_label (attribute), name);
      if (check != NULL)
        {
          g_hash_table_add (used, check);
          /* Translators: the certificate's value, then the account's */
          subtitle = g_strdup_printf (_("Certificate: %s\nAccount: %s"), value,
                                      cabut_review_check_get_expected (check) != NULL
                                        ? cabut_review_check_get_expected (check) : _("(empty)"));
        }
      else
        subtitle = g_strdup_printf (_("Certificate: %s\nNot compared with the account"), value);

      row = add_row (self, self->subject_group, title, subtitle);
      gtk_widget_set_name (GTK_WIDGET (row), name);
      if (check != NULL)
        mark_row (row, cabut_review_check_get_matches (check));
    }

  /* What the account has and the certificate lacks. */
  for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
    {
      g_autoptr(CabutReviewCheck) check = g_list_model_get_item (checks, j);
      g_autofree char *subtitle = NULL;
      AdwActionRow *row;

      const char *name = cabut_review_check_get_name (check);

      /* Only Subject DN checks: the others are shown under Checks. */
      if (g_hash_table_contains (used, check) || cabut_review_check_get_found (check) != NULL ||
          g_str_equal (name, "serial") || g_str_equal (name, "issuer") ||
          g_str_equal (name, "key_possession") || g_str_equal (name, "letter"))
        continue;

      subtitle = g_strdup_printf (_("Certificate: (missing)\nAccount: %s"),
                                  cabut_review_check_get_expected (check) != NULL
                                    ? cabut_review_check_get_expected (check) : _("(empty)"));
      row = add_row (self, self->subject_group, cabut_review_check_get_label (check), subtitle);
      gtk_widget_set_name (GTK_WIDGET (row), cabut_review_check_get_name (check));
      mark_row (row, FALSE);
    }
}

static void
show_checks (CabutReviewPage *self)
{
  static const char * const names[] = { "serial", "issuer", "key_possession", "letter" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      CabutReviewCheck *check = cabut_review_find_check (self->review, names[i]);
      const char *found;
      AdwActionRow *row;

      if (check == NULL)
        continue;
      found = cabut_review_check_get_found (check);
      if (g_str_equal (names[i], "key_possession"))
        found = cabut_review_check_get_matches (check)
          ? _("Proven: the filing was signed with the certificate’s private key")
          : _("Not proven");
      else if (g_str_equal (names[i], "letter"))
        found = letter_match_label (found);

      row = add_row (self, self->checks_group, cabut_review_check_get_label (check), found);
      gtk_widget_set_name (GTK_WIDGET (row), names[i]);
      mark_row (row, cabut_review_check_get_matches (check));
    }
}

static void
show_details (CabutReviewPage *self,
              CabutRequest    *request)
{
  g_autofree char *filed = cabut_format_date_time (cabut_request_get_created_at (request));
  g_autofree char *not_before = cabut_format_date_time (cabut_review_get_not_before (self->review));
  g_autofree char *not_after = cabut_format_date_time (cabut_review_get_not_after (self->review));
  g_autofree char *validity = NULL;
  g_autofree char *applicant = NULL;
  GListModel *events = cabut_request_get_events (request);
  const char *note = cabut_request_get_note (request);

  /* Translators: the applicant's name and user name */
  applicant = g_strdup_printf (_("%s (%s)"), cabut_request_get_applicant_name (request),
                               cabut_request_get_applicant_username (request));
  add_row (self, self->request_group, _("Applicant"), applicant);
  add_row (self, self->request_group, _("Reason"), cabut_request_get_reason_label (request));
  add_row (self, self->request_group, _("Applicant’s note"), note != NULL ? note : _("None"));
  add_row (self, self->request_group, _("Filed"), filed);

  for (guint i = 0; i < CABUT_REVIEW_ACCOUNT_N_FIELDS; i++)
    {
      const char *value = cabut_review_get_account (self->review, i);

      add_row (self, self->account_group, cabut_review_account_field_to_label (i),
               value != NULL && *value != '\0' ? value : _("(empty)"));
    }

  add_row (self, self->certificate_group, _("Serial number"), cabut_review_get_serial (self->review));
  add_row (self, self->certificate_group, _("Issuer"), cabut_review_get_issuer (self->review));
  /* Translators: from one date to another */
  validity = g_strdup_printf (_("%s to %s"), not_before, not_after);
  add_row (self, self->certificate_group, _("Valid"), validity);
  add_row (self, self->certificate_group, _("In the registry"),
           cabut_review_get_revoked (self->review) ? _("Revoked") : _("Valid, not revoked"));
  if (cabut_review_get_sha256 (self->review) != NULL)
    add_row (self, self->certificate_group, _("SHA-256 fingerprint"), cabut_review_get_sha256 (self->review));

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(CabutRequestEvent) event = g_list_model_get_item (events, i);
      g_autofree char *at = cabut_format_date_time (cabut_request_event_get_at (event));
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      const char *actor = cabut_request_event_get_actor_name (event);
      const char *event_note = cabut_request_event_get_note (event);

      /* Translators: a state, then who moved the request there */
      title = actor != NULL
        ? g_strdup_printf (_("%s — %s"), cabut_request_state_to_label (cabut_request_event_get_state (event)), actor)
        : g_strdup (cabut_request_state_to_label (cabut_request_event_get_state (event)));
      subtitle = event_note != NULL ? g_strdup_printf ("%s\n%s", at, event_note) : g_strdup (at);
      add_row (self, self->timeline_group, title, subtitle);
    }
}

static void
show_decision (CabutReviewPage *self,
               CabutRequest    *request)
{
  CabutRequestState state = cabut_request_get_state (request);
  gboolean here = g_strcmp0 (self->decided_for, cabut_request_get_id (request)) == 0;

  const char *pending = cabut_request_get_pending_action (request);

  gtk_widget_set_visible (GTK_WIDGET (self->decision_group),
                          state == CABUT_REQUEST_STATE_REVOKED || state == CABUT_REQUEST_STATE_REJECTED ||
                          pending != NULL || is_taken_by_other (self, request));
  /* Another officer has it: say who, and who else may decide. */
  if (is_taken_by_other (self, request))
    {
      g_autofree char *title = NULL;
      AdwActionRow *row;

      /* Translators: %s is the officer's name */
      title = g_strdup_printf (_("In review by %s"), cabut_request_get_reviewer_name (request));
      row = add_row (self, self->decision_group, title,
                     is_admin (self)
                       ? _("As an administrator you may still approve or reject it: you take over their review.")
                       : _("Only they or an administrator can approve or reject it."));
      gtk_widget_set_name (GTK_WIDGET (row), "taken");
    }
  if (pending != NULL && cabut_request_state_is_open (state))
    {
      g_autofree char *at = cabut_format_date_time (cabut_request_get_pending_at (request));
      g_autofree char *by = NULL;
      const char *note = cabut_request_get_pending_note (request);
      AdwActionRow *row;

      /* Translators: the officer who proposed a decision, then when */
      by = g_strdup_printf (_("By %s, %s"), cabut_request_get_pending_by_name (request), at);
      row = add_row (self, self->decision_group,
                     g_str_equal (pending, "approve") ? _("Approval proposed") : _("Rejection proposed"), by);
      gtk_widget_set_name (GTK_WIDGET (row), "pending");
      row = add_row (self, self->decision_group, _("Note"), note != NULL && *note != '\0' ? note : _("None"));
      gtk_widget_set_name (GTK_WIDGET (row), "pending_note");
      if (is_own_proposal (self, request))
        row = add_row (self, self->decision_group, _("Waiting for another officer to confirm"),
                       _("Your proposal takes effect only when a different officer confirms it."));
      else
        row = add_row (self, self->decision_group, _("Another officer must confirm it"),
                       _("Confirm it to make the decision take effect, or decline it with a note."));
      gtk_widget_set_name (GTK_WIDGET (row), "waiting");
    }
  else if (state == CABUT_REQUEST_STATE_REVOKED)
    {
      AdwActionRow *row;

      add_row (self, self->decision_group, _("Approved"), _("The certificate is revoked."));
      if (here && self->crl_number > 0)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, self->crl_number);

          row = add_row (self, self->decision_group, _("CRL number"), number);
          gtk_widget_set_name (GTK_WIDGET (row), "crl_number");
        }
      if (g_strcmp0 (self->asked_for, cabut_request_get_id (request)) == 0)
        {
          row = add_row (self, self->decision_group, _("The CA’s status service"),
                         self->confirmation != NULL ? self->confirmation : _("Asking…"));
          gtk_widget_set_name (GTK_WIDGET (row), "ocsp");
        }
    }
  else if (state == CABUT_REQUEST_STATE_REJECTED)
    {
      const char *note = cabut_request_get_rejection_note (request);

      add_row (self, self->decision_group, _("Rejected"), note != NULL ? note : "");
    }
}

static void
rebuild (CabutReviewPage *self)
{
  CabutRequest *request;

  clear_rows (self);
  if (self->review == NULL)
    {
      update_actions (self);
      return;
    }

  request = cabut_review_get_request (self->review);
  show_header (self, request);
  show_decision (self, request);
  show_subject (self);
  show_checks (self);
  show_details (self, request);

  if (is_own_request (self))
    set_notice (self, "dialog-information-symbolic",
                _("This is your own request: another officer must take it, approve it or reject it."));
  else if (self->notice == NULL && cabut_review_count_mismatches (self->review) > 0 &&
           cabut_request_state_is_open (cabut_request_get_state (request)))
    set_notice (self, "dialog-warning-symbolic",
                _("Some checks do not match (marked “Differs” below). Compare them with the letter before you "
                  "decide."));
  update_actions (self);
}

/* ---------------------------------------------------------------------- */
/* The letter                                                             */

static void
letter_shown_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CabutReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cabut_letter_preview_load_request_finish (CABUT_LETTER_PREVIEW (object), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: why the letter cannot be shown */
      text = g_strdup_printf (_("The letter cannot be shown: %s"), error->message);
      gtk_label_set_text (self->letter_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->letter_label), TRUE);
      g_clear_pointer (&self->letter_for, g_free);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->letter_label), FALSE);
  update_actions (self);
}

static void
show_letter (CabutReviewPage *self)
{
  CabutAmsClient *client = cabut_context_get_client (self->context);
  CabutServiceInfo *info = cabut_context_get_service_info (self->context);
  CabutRequest *request = cabut_review_get_request (self->review);

  if (client == NULL || g_strcmp0 (self->letter_for, cabut_request_get_id (request)) == 0)
    return;

  cabut_set_str (&self->letter_for, cabut_request_get_id (request));
  cabut_letter_preview_clear (self->preview);
  gtk_label_set_text (self->letter_label, _("Loading the letter…"));
  gtk_widget_set_visible (GTK_WIDGET (self->letter_label), TRUE);
  cabut_letter_preview_load_request_async (self->preview, client, request,
                                           info != NULL ? cabut_service_info_get_max_letter_size (info) : 0,
                                           self->cancellable, letter_shown_cb, g_object_ref (self));
}

static void
preview_changed_cb (CabutReviewPage *self)
{
  update_actions (self);
}

/* ---------------------------------------------------------------------- */
/* Reading the dossier                                                    */

static void ask_ca (CabutReviewPage *self);

static void
review_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CabutReviewPage) self = user_data;
  g_autoptr(CabutReview) review = NULL;
  g_autoptr(GError) error = NULL;

  review = cabut_ams_client_get_review_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (review == NULL)
    {
      g_free (show_error (self, error));
      update_actions (self);
      return;
    }
  /* An answer for a request no longer shown. */
  if (g_strcmp0 (cabut_request_get_id (cabut_review_get_request (review)), self->request_id) != 0)
    return;

  g_set_object (&self->review, review);
  /* A request revoked before (here or elsewhere): the CA is asked once
   * more what it says of the certificate, as after an approval. */
  if (cabut_request_get_state (cabut_review_get_request (review)) == CABUT_REQUEST_STATE_REVOKED &&
      g_strcmp0 (self->asked_for, self->request_id) != 0)
    {
      cabut_set_str (&self->asked_for, self->request_id);
      g_clear_pointer (&self->confirmation, g_free);
      ask_ca (self);
    }
  rebuild (self);
  show_letter (self);
}

static void
load (CabutReviewPage *self)
{
  CabutAmsClient *client = cabut_context_get_client (self->context);

  if (client == NULL)
    {
      set_notice (self, "dialog-error-symbolic",
                  _("You are not signed in to the service. Sign in as an officer, then open the request again."));
      return;
    }

  set_busy (self, TRUE);
  update_actions (self);
  cabut_ams_client_get_review_async (client, self->request_id, self->cancellable, review_loaded_cb,
                                     g_object_ref (self));
}

/* ---------------------------------------------------------------------- */
/* Deciding                                                               */

static void
answered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CabutReviewPage) self = user_data;
  g_autoptr(CabutRevocationResult) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = cabut_revocation_check_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_free (self->confirmation);
  if (answer == NULL)
    /* Translators: why the CA could not be asked */
    self->confirmation = g_strdup_printf (_("It could not be asked now: %s"), error->message);
  else
    {
      g_autofree char *at = cabut_format_date_time (cabut_revocation_result_get_revoked_at (answer));
      const char *source = cabut_revocation_result_get_source (answer);
      const char *what = g_strcmp0 (source, "ocsp") == 0 ? "OCSP" : "CRL";

      switch (cabut_revocation_result_get_status (answer))
        {
        case CABUT_REVOCATION_STATUS_REVOKED:
          /* Translators: "OCSP" or "CRL", then when the certificate was revoked */
          self->confirmation = g_strdup_printf (_("%s: revoked at %s"), what, at);
          break;
        case CABUT_REVOCATION_STATUS_GOOD:
          self->confirmation = g_strdup_printf (_("%s: still valid. Ask again in a minute; if it stays so, "
                                                  "report it to the CA."), what);
          break;
        case CABUT_REVOCATION_STATUS_UNKNOWN:
        default:
          self->confirmation = g_strdup_printf (_("%s: the certificate is unknown to the CA."), what);
          break;
        }
    }
  rebuild (self);
}


static void
issuers_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CabutReviewPage) self = user_data;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GError) error = NULL;
  CabutCertificate *certificate = self->review != NULL ? cabut_review_get_certificate (self->review) : NULL;

  chain = cabut_ams_client_get_ca_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || certificate == NULL)
    return;
  for (guint i = 0; chain != NULL && i < chain->len; i++)
    if (cabut_certificate_is_issued_by (certificate, g_ptr_array_index (chain, i)))
      {
        cabut_revocation_check_async (certificate, g_ptr_array_index (chain, i), NULL, NULL, NULL,
                                      self->cancellable, answered_cb, g_object_ref (self));
        return;
      }

  g_free (self->confirmation);
  self->confirmation = g_strdup (_("The certificate of the CA that issued it is not known: the CA cannot be "
                                   "asked."));
  rebuild (self);
}

/* After an approval: the CA itself is asked, OCSP first. */
static void
ask_ca (CabutReviewPage *self)
{
  CabutCertificate *certificate = cabut_review_get_certificate (self->review);
  CabutCertificate *issuer;

  if (certificate == NULL)
    {
      g_free (self->confirmation);
      self->confirmation = g_strdup (_("The service holds no copy of the certificate: the CA cannot be asked."));
      return;
    }
  if ((issuer = cabut_context_find_issuer (self->context, certificate)) == NULL)
    {
      cabut_ams_client_get_ca_async (cabut_context_get_client (self->context), self->cancellable, issuers_cb,
                                     g_object_ref (self));
      return;
    }

  cabut_revocation_check_async (certificate, issuer, NULL, NULL, NULL, self->cancellable, answered_cb,
                                g_object_ref (self));
}

static void open_note_dialog (CabutReviewPage *self,
                              const char      *response,
                              const char      *error_text);

static void
decided_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CabutReviewPage) self = user_data;
  g_autoptr(CabutRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *action = self->action;

  request = cabut_ams_client_decide_finish (CABUT_AMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);

  if (request == NULL && g_strcmp0 (action, "confirm") == 0 &&
      g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_FORBIDDEN))
    {
      /* Translators: %s is the service's own words */
      g_autofree char *text = g_strdup_printf (_("You proposed this decision yourself: another officer must "
                                                 "confirm it (%s)."), error->message);

      /* What the page showed is out of date: load what the service holds. */
      set_notice (self, "dialog-error-symbolic", text);
      load (self);
      return;
    }
  if (request == NULL && g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_TAKEN_BY_OTHER))
    {
      /* Translators: %s is the service's own words, naming the officer */
      g_autofree char *text = g_strdup_printf (_("Another officer took this request for review meanwhile (%s). It "
                                                 "has been loaded again."), error->message);

      set_notice (self, "dialog-error-symbolic", text);
      load (self);
      return;
    }
  if (request == NULL)
    {
      g_autofree char *text = show_error (self, error);

      /* Someone decided meanwhile: show what they did. */
      if (g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_CONFLICT))
        load (self);
      else
        update_actions (self);
      /* The note stays, in the dialog opened again. */
      if (self->reject_note != NULL && (g_strcmp0 (action, "reject") == 0 || g_strcmp0 (action, "decline") == 0) &&
          !g_error_matches (error, CABUT_AMS_ERROR, CABUT_AMS_ERROR_CONFLICT))
        open_note_dialog (self, action, text);
      return;
    }

  set_notice (self, NULL, NULL);
  if (cabut_request_get_state (request) == CABUT_REQUEST_STATE_REVOKED)
    {
      cabut_set_str (&self->decided_for, cabut_request_get_id (request));
      cabut_set_str (&self->asked_for, cabut_request_get_id (request));
      self->crl_number = cabut_request_get_crl_number (request);
      g_clear_pointer (&self->confirmation, g_free);
      ask_ca (self);
    }
  if (cabut_request_get_state (request) == CABUT_REQUEST_STATE_REJECTED ||
      cabut_request_get_pending_action (request) != NULL || g_strcmp0 (action, "decline") == 0)
    g_clear_pointer (&self->reject_note, g_free);

  g_signal_emit (self, signals[DECIDED], 0, request);
  load (self);
}

static void
decide (CabutReviewPage *self,
        const char      *action,
        const char      *note)
{
  CabutAmsClient *client = cabut_context_get_client (self->context);

  if (client == NULL || self->review == NULL || self->busy)
    return;

  self->action = action;

  set_busy (self, TRUE);
  update_actions (self);
  cabut_ams_client_decide_async (client, self->request_id, action, note, self->cancellable,
                                 decided_cb, g_object_ref (self));
}

static void
take_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  decide (CABUT_REVIEW_PAGE (widget), "review", NULL);
}

/* A confirmation on the page's window: Cancel, or the destructive @response. */
static GtkWidget *
new_confirmation (CabutReviewPage *self,
                  const char      *heading,
                  const char      *body,
                  const char      *response,
                  const char      *response_label,
                  GCallback        callback)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response, response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", callback, self, 0);

  return dialog;
}

static void
approve_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     CabutReviewPage  *self)
{
  if (g_strcmp0 (response, "approve") == 0)
    decide (self, "approve", NULL);
}

static void
approve_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CabutReviewPage *self = CABUT_REVIEW_PAGE (widget);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->review == NULL)
    return;

  if (has_second_approval (self))
    {
      /* Translators: the applicant's name, then the certificate's serial number */
      body = g_strdup_printf (_("You propose to revoke the certificate of %s (serial number %s). Another officer "
                                "must confirm it: only then is it revoked."),
                              cabut_review_get_account (self->review, CABUT_REVIEW_ACCOUNT_FULL_NAME),
                              cabut_review_get_serial (self->review));
      dialog = new_confirmation (self, _("Propose Approval?"), body, "approve", _("_Propose Approval"),
                                 G_CALLBACK (approve_response_cb));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* Translators: the applicant's name, then the certificate's serial number */
  body = g_strdup_printf (_("The certificate of %s (serial number %s) will be revoked at once and listed in a "
                            "new CRL. This cannot be undone."),
                          cabut_review_get_account (self->review, CABUT_REVIEW_ACCOUNT_FULL_NAME),
                          cabut_review_get_serial (self->review));
  dialog = new_confirmation (self, _("Approve and Revoke the Certificate?"), body, "approve",
                             _("_Approve and Revoke"), G_CALLBACK (approve_response_cb));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     CabutReviewPage  *self)
{
  if (g_strcmp0 (response, "confirm") == 0)
    decide (self, "confirm", NULL);
}

/* Another officer's proposal takes effect: cannot be undone. */
static void
confirm_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CabutReviewPage *self = CABUT_REVIEW_PAGE (widget);
  CabutRequest *request = self->review != NULL ? cabut_review_get_request (self->review) : NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (request == NULL || cabut_request_get_pending_action (request) == NULL)
    return;

  if (g_str_equal (cabut_request_get_pending_action (request), "approve"))
    {
      /* Translators: the proposing officer, the applicant, the certificate's serial number */
      body = g_strdup_printf (_("The approval proposed by %s takes effect: the certificate of %s (serial number %s) "
                                "is revoked at once and listed in a new CRL. This cannot be undone."),
                              cabut_request_get_pending_by_name (request),
                              cabut_review_get_account (self->review, CABUT_REVIEW_ACCOUNT_FULL_NAME),
                              cabut_review_get_serial (self->review));
      dialog = new_confirmation (self, _("Confirm the Approval?"), body, "confirm", _("_Confirm and Revoke"),
                                 G_CALLBACK (confirm_response_cb));
    }
  else
    {
      const char *note = cabut_request_get_pending_note (request);

      /* Translators: the proposing officer, the applicant, the note sent to them */
      body = g_strdup_printf (_("The rejection proposed by %s takes effect: %s is told, with the note “%s”. This "
                                "cannot be undone."),
                              cabut_request_get_pending_by_name (request),
                              cabut_review_get_account (self->review, CABUT_REVIEW_ACCOUNT_FULL_NAME),
                              note != NULL ? note : "");
      dialog = new_confirmation (self, _("Confirm the Rejection?"), body, "confirm", _("_Confirm Rejection"),
                                 G_CALLBACK (confirm_response_cb));
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
has_text (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));

  return *copy != '\0';
}

static void
note_changed_cb (GtkTextBuffer   *buffer,
                 CabutReviewPage *self)
{
  g_autofree char *text = NULL;

  if (self->reject_dialog == NULL)
    return;
  text = buffer_text (GTK_TEXT_VIEW (self->reject_text));
  cabut_set_str (&self->reject_note, text);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->reject_dialog), self->note_response,
                                           has_text (text));
}

static void
cause_toggled_cb (GtkCheckButton  *button,
                  CabutReviewPage *self)
{
  const char *note = g_object_get_data (G_OBJECT (button), "cabut-note");

  if (!gtk_check_button_get_active (button) || self->reject_text == NULL || note == NULL)
    return;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->reject_text)), note, -1);
}

static void
reject_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    CabutReviewPage  *self)
{
  g_autofree char *note = buffer_text (GTK_TEXT_VIEW (self->reject_text));

  /* Kept whatever the answer: nothing typed is lost. */
  cabut_set_str (&self->reject_note, note);
  if (g_strcmp0 (response, self->note_response) == 0 && has_text (note))
    decide (self, self->note_response, note);
}

static void
open_note_dialog (CabutReviewPage *self,
                  const char      *response,
                  const char      *error_text)
{
  gboolean declining = g_str_equal (response, "decline");
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *scroller;
  GtkWidget *view;
  GtkWidget *group = NULL;
  g_autofree char *body = NULL;

  if (self->review == NULL)
    return;
  if (self->reject_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->reject_dialog));
  /* A note written for the other kind of dialog is not this one's. */
  if (g_strcmp0 (self->note_response, response) != 0)
    g_clear_pointer (&self->reject_note, g_free);
  self->note_response = declining ? "decline" : "reject";

  if (declining)
    body = g_strdup (_("The proposal is dropped and the request stays in review, undecided. Say why: the officer "
                       "who proposed it reads your note."));
  else if (has_second_approval (self))
    /* Translators: %s is the applicant's name */
    body = g_strdup_printf (_("You propose to reject it: another officer must confirm it. Say why, so that %s can "
                              "put it right; the note is sent to them as you write it once it is confirmed."),
                            cabut_review_get_account (self->review, CABUT_REVIEW_ACCOUNT_FULL_NAME));
  else
    /* Translators: %s is the applicant's name */
    body = g_strdup_printf (_("Say why, so that %s can put it right. The note is sent to them as you write it."),
                            cabut_review_get_account (self->review, CABUT_REVIEW_ACCOUNT_FULL_NAME));
  if (error_text != NULL)
    {
      g_autofree char *with_error = g_strdup_printf ("%s\n\n%s", error_text, body);

      g_free (body);
      body = g_steal_pointer (&with_error);
    }
  if (declining)
    dialog = new_confirmation (self, _("Decline the Proposal?"), body, "decline", _("_Decline"),
                               G_CALLBACK (reject_response_cb));
  else if (has_second_approval (self))
    dialog = new_confirmation (self, _("Propose Rejection?"), body, "reject", _("_Propose Rejection"),
                               G_CALLBACK (reject_response_cb));
  else
    dialog = new_confirmation (self, _("Reject the Request?"), body, "reject", _("_Reject"),
                               G_CALLBACK (reject_response_cb));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (_("Common causes"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_visible (label, !declining);
  gtk_box_append (GTK_BOX (box), label);

  view = gtk_text_view_new ();
  self->reject_text = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->reject_text);

  for (guint i = 0; i < G_N_ELEMENTS (causes) && !declining; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (_(causes[i].label));
      g_autofree char *name = g_strconcat ("cause-", causes[i].id, NULL);

      gtk_widget_set_name (check, name);
      g_object_set_data (G_OBJECT (check), "cabut-note", (gpointer) _(causes[i].note));
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), GTK_CHECK_BUTTON (group));
      else
        group = check;
      g_signal_connect_object (check, "toggled", G_CALLBACK (cause_toggled_cb), self, 0);
      gtk_box_append (GTK_BOX (box), check);
    }

  label = gtk_label_new_with_mnemonic (declining ? _("_Note for the officer") : _("_Note for the applicant"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 6);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), view);
  gtk_box_append (GTK_BOX (box), label);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_widget_set_name (view, "note");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 100);
  gtk_widget_add_css_class (scroller, "card");
  gtk_box_append (GTK_BOX (box), scroller);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  self->reject_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->reject_dialog);
  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                           G_CALLBACK (note_changed_cb), self, 0);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                            self->reject_note != NULL ? self->reject_note : "", -1);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), response, has_text (self->reject_note));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reject_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  open_note_dialog (CABUT_REVIEW_PAGE (widget), g_str_equal (action_name, "review.decline") ? "decline" : "reject",
                    NULL);
}

static void
zoom_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  CabutReviewPage *self = CABUT_REVIEW_PAGE (widget);

  if (g_str_equal (action_name, "review.zoom-in"))
    cabut_letter_preview_zoom_step (self->preview, 1);
  else if (g_str_equal (action_name, "review.zoom-out"))
    cabut_letter_preview_zoom_step (self->preview, -1);
  else
    cabut_letter_preview_set_zoom (self->preview, 0);
}

static void
page_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  CabutReviewPage *self = CABUT_REVIEW_PAGE (widget);
  guint page = cabut_letter_preview_get_page (self->preview);

  if (g_str_equal (action_name, "review.next-page"))
    cabut_letter_preview_set_page (self->preview, page + 1);
  else if (page > 0)
    cabut_letter_preview_set_page (self->preview, page - 1);
}

/* ---------------------------------------------------------------------- */

static void
cabut_review_page_dispose (GObject *object)
{
  CabutReviewPage *self = (CabutReviewPage *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->reject_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->reject_dialog));
  gtk_widget_dispose_template (GTK_WIDGET (self), CABUT_TYPE_REVIEW_PAGE);

  G_OBJECT_CLASS (cabut_review_page_parent_class)->dispose (object);
}

static void
cabut_review_page_finalize (GObject *object)
{
  CabutReviewPage *self = (CabutReviewPage *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->review);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->request_id);
  g_free (self->notice);
  g_free (self->letter_for);
  g_free (self->decided_for);
  g_free (self->asked_for);
  g_free (self->confirmation);
  g_free (self->reject_note);

  G_OBJECT_CLASS (cabut_review_page_parent_class)->finalize (object);
}

static void
cabut_review_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CabutReviewPage *self = CABUT_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cabut_review_page_class_init (CabutReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cabut_review_page_dispose;
  object_class->finalize = cabut_review_page_finalize;
  object_class->get_property = cabut_review_page_get_property;

  /**
   * CabutReviewPage:busy:
   *
   * Whether the page waits for the service (a dossier or a decision).
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CabutReviewPage::decided:
   * @request: the request after the decision
   *
   * A step on the request succeeded: taken for review, approved or
   * rejected; under second approval also proposed, confirmed or declined
   * (a proposal leaves it in review with its pending decision).
   */
  signals[DECIDED] =
    g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CABUT_TYPE_REQUEST);

  g_type_ensure (CABUT_TYPE_LETTER_PREVIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cabut/Cabut/cabut-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, take_button);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, approve_button);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, reject_button);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, decline_button);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, notice_box);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, notice_label);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, decision_group);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, subject_group);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, checks_group);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, request_group);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, account_group);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, certificate_group);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, timeline_group);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, page_label);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, letter_label);
  gtk_widget_class_bind_template_child (widget_class, CabutReviewPage, preview);

  gtk_widget_class_install_action (widget_class, "review.take", NULL, take_cb);
  gtk_widget_class_install_action (widget_class, "review.approve", NULL, approve_cb);
  gtk_widget_class_install_action (widget_class, "review.reject", NULL, reject_cb);
  gtk_widget_class_install_action (widget_class, "review.confirm", NULL, confirm_cb);
  gtk_widget_class_install_action (widget_class, "review.decline", NULL, reject_cb);
  gtk_widget_class_install_action (widget_class, "review.zoom-in", NULL, zoom_cb);
  gtk_widget_class_install_action (widget_class, "review.zoom-out", NULL, zoom_cb);
  gtk_widget_class_install_action (widget_class, "review.zoom-fit", NULL, zoom_cb);
  gtk_widget_class_install_action (widget_class, "review.previous-page", NULL, page_cb);
  gtk_widget_class_install_action (widget_class, "review.next-page", NULL, page_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "review.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "review.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "review.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "review.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "review.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "review.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "review.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "review.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "review.next-page", NULL);
}

static void
cabut_review_page_init (CabutReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The letter's toolbar is icons: named for screen readers by their tooltips. */
  cabut_name_icon_buttons (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->preview, "notify::page", G_CALLBACK (preview_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::n-pages", G_CALLBACK (preview_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::zoom", G_CALLBACK (preview_changed_cb), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
}

/**
 * cabut_review_page_new:
 * @context: the app's context, signed in as an officer
 *
 * Returns: (transfer floating): a review page showing nothing yet
 */
GtkWidget *
cabut_review_page_new (CabutContext *context)
{
  CabutReviewPage *self;

  g_return_val_if_fail (CABUT_IS_CONTEXT (context), NULL);

  self = g_object_new (CABUT_TYPE_REVIEW_PAGE, NULL);
  self->context = g_object_ref (context);
  g_signal_connect_object (cabut_context_get_cancellable (context), "cancelled", G_CALLBACK (window_closed_cb),
                           self, G_CONNECT_SWAPPED);
  /* Whether decisions are proposals is the service's to say: the buttons follow it. */
  g_signal_connect_object (context, "notify::service-info", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  new_cancellable (self);

  return GTK_WIDGET (self);
}

/**
 * cabut_review_page_show_request:
 * @request_id: the request number, e.g. "CBT-2026-000001"
 *
 * Reads the request's dossier from the service and shows it, with its
 * letter. A step under way for another request is left to finish unseen.
 */
void
cabut_review_page_show_request (CabutReviewPage *self,
                                const char      *request_id)
{
  g_return_if_fail (CABUT_IS_REVIEW_PAGE (self));
  g_return_if_fail (request_id != NULL);

  if (g_strcmp0 (self->request_id, request_id) != 0)
    {
      new_cancellable (self);
      g_clear_object (&self->review);
      g_clear_pointer (&self->reject_note, g_free);
      g_clear_pointer (&self->letter_for, g_free);
      cabut_set_str (&self->request_id, request_id);
      set_busy (self, FALSE);
    }
  set_notice (self, NULL, NULL);
  rebuild (self);
  load (self);
}

/** cabut_review_page_get_review: Returns: (transfer none) (nullable): the dossier shown */
CabutReview *
cabut_review_page_get_review (CabutReviewPage *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_PAGE (self), NULL);
  return self->review;
}

gboolean
cabut_review_page_get_busy (CabutReviewPage *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_PAGE (self), FALSE);
  return self->busy;
}

/** cabut_review_page_get_letter_preview: Returns: (transfer none): the #CabutLetterPreview */
GtkWidget *
cabut_review_page_get_letter_preview (CabutReviewPage *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_PAGE (self), NULL);
  return GTK_WIDGET (self->preview);
}

/** cabut_review_page_get_notice: Returns: (nullable): the notice above the page */
const char *
cabut_review_page_get_notice (CabutReviewPage *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_PAGE (self), NULL);
  return self->notice;
}

/** cabut_review_page_get_confirmation: Returns: (nullable): the CA's answer after an approval here */
const char *
cabut_review_page_get_confirmation (CabutReviewPage *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_PAGE (self), NULL);
  return self->confirmation;
}

/** cabut_review_page_get_crl_number: Returns: the CRL number of an approval here, 0 before */
gint64
cabut_review_page_get_crl_number (CabutReviewPage *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_PAGE (self), 0);
  return self->crl_number;
}

/**
 * cabut_review_page_get_reject_dialog:
 *
 * Returns: (transfer none) (nullable): the open note dialog, to reject or
 *   to decline a proposal
 */
GtkWidget *
cabut_review_page_get_reject_dialog (CabutReviewPage *self)
{
  g_return_val_if_fail (CABUT_IS_REVIEW_PAGE (self), NULL);
  return self->reject_dialog;
}
