/* cabut-revocation.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cabut-revocation"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <time.h>

#include "cabut-certificate-private.h"
#include "cabut-dn-private.h"
#include "cabut-reason.h"
#include "cabut-revocation.h"

/* Asks whether a certificate has been revoked: first the issuer's OCSP
 * responder, then its CRL. Only answers signed by the certificate's issuer
 * (or by a responder the issuer delegated OCSP signing to) count, so plain
 * http is fine. The downloads run on the caller's main context; parsing and
 * checking the answers is cheap enough to do inline. */

struct _CabutRevocationResult
{
  GObject                parent_instance;

  CabutRevocationStatus  status;
  const char            *reason;       /* static, RFC 5280 name */
  const char            *source;       /* static: "ocsp" or "crl" */
  char                  *url;
  GDateTime             *revoked_at;
  GDateTime             *this_update;
  GDateTime             *next_update;
};

typedef struct
{
  CabutCertificate       *certificate;
  X509                   *issuer;        /* owned, once found */
  SoupSession            *session;
  GStrv                   aia_urls;
  GStrv                   ocsp_urls;
  GStrv                   crl_urls;
  guint                   next_url;      /* into whichever list is being tried */
  const char             *url;           /* the one being tried */
  OCSP_CERTID            *cert_id;
  OCSP_REQUEST           *ocsp_request;
  CabutRevocationResult  *unknown;       /* an OCSP “unknown”, kept while the CRL is tried */
  GError                 *error;         /* the most telling failure so far */
} CheckData;

/* One HTTP download with a size limit and an overall timeout. */
typedef struct
{
  SoupMessage   *message;
  GCancellable  *cancellable;            /* cancelled by the caller's one or the timeout */
  GCancellable  *caller_cancellable;
  gulong         cancelled_id;
  GSource       *timeout;
  GInputStream  *stream;
  GByteArray    *body;
  char          *url;
  gboolean       timed_out;
} Fetch;

typedef enum
{
  FRESHNESS_OK,
  FRESHNESS_NOT_YET_VALID,
  FRESHNESS_EXPIRED,
  FRESHNESS_TOO_OLD,
  FRESHNESS_INVALID,
} Freshness;

static void try_next_ocsp (GTask *task);
static void try_next_crl  (GTask *task);

G_DEFINE_FINAL_TYPE (CabutRevocationResult, cabut_revocation_result, G_TYPE_OBJECT)
G_DEFINE_QUARK (cabut-revocation-error-quark, cabut_revocation_error)

#define FETCH_CHUNK_SIZE (64 * 1024)

static char *
format_date (const ASN1_TIME *time)
{
  g_autoptr(GDateTime) when = cabut_openssl_time_to_date_time (time);

  if (when == NULL)
    return g_strdup ("?");

  return g_date_time_format (when, "%Y-%m-%d %H:%M:%S UTC");
}

/* An answer without nextUpdate would otherwise be good forever: it counts
 * only until @max_age seconds after its thisUpdate. */
static Freshness
check_freshness (const ASN1_TIME *this_update,
                 const ASN1_TIME *next_update,
                 time_t           max_age)
{
  time_t now = time (NULL);
  time_t latest = now + CABUT_REVOCATION_CLOCK_SKEW;
  time_t earliest = now - CABUT_REVOCATION_CLOCK_SKEW;
  int cmp;

  g_assert (max_age > 0);

  if (this_update == NULL)
    return FRESHNESS_INVALID;

  cmp = X509_cmp_time (this_update, &latest);
  if (cmp == 0)
    return FRESHNESS_INVALID;
  if (cmp > 0)
    return FRESHNESS_NOT_YET_VALID;

  if (next_update != NULL)
    {
      cmp = X509_cmp_time (next_update, &earliest);
      if (cmp == 0)
        return FRESHNESS_INVALID;
      if (cmp < 0)
        return FRESHNESS_EXPIRED;
      /* -2: an error */
      cmp = ASN1_TIME_compare (this_update, next_update);
      if (cmp == -2 || cmp > 0)
        return FRESHNESS_INVALID;
    }
  else
    {
      time_t oldest = earliest - max_age;

      cmp = X509_cmp_time (this_update, &oldest);
      if (cmp == 0)
        return FRESHNESS_INVALID;
      if (cmp < 0)
        return FRESHNESS_TOO_OLD;
    }

  return FRESHNESS_OK;
}

static gboolean
is_web_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL)
    return FALSE;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* The override alone when given, else the certificate's http(s) addresses
 * (ldap:// and the like are skipped). */
static GStrv
collect_urls (const char         *override,
              const char * const *urls)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (override != NULL)
    {
      g_strv_builder_add (builder, override);
      return g_strv_builder_end (builder);
    }

  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    if (is_web_url (urls[i]))
      g_strv_builder_add (builder, urls[i]);

  return g_strv_builder_end (builder);
}

static GStrv
ca_issuers_urls (X509 *cert)
{
  g_autoptr(AUTHORITY_INFO_ACCESS) aia = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  aia = X509_get_ext_d2i (cert, NID_info_access, NULL, NULL);
  ERR_clear_error ();

  for (int i = 0; aia != NULL && i < sk_ACCESS_DESCRIPTION_num (aia); i++)
    {
      ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value (aia, i);
      const ASN1_IA5STRING *uri;
      g_autofree char *url = NULL;

      if (OBJ_obj2nid (ad->method) != NID_ad_ca_issuers || ad->location->type != GEN_URI)
        continue;

      uri = ad->location->d.uniformResourceIdentifier;
      url = g_strndup ((const char *) ASN1_STRING_get0_data (uri), ASN1_STRING_length (uri));
      if ((int) strlen (url) == ASN1_STRING_length (uri) && is_web_url (url))
        g_strv_builder_add (builder, url);
    }

  return g_strv_builder_end (builder);
}

/* Whether @issuer's key signed @cert, and its name and key identifier fit. */
static gboolean
issued_by (X509 *cert,
           X509 *issuer)
{
  EVP_PKEY *key;
  gboolean ok;

  g_assert (cert != NULL);
  g_assert (issuer != NULL);

  if (X509_check_issued (issuer, cert) != X509_V_OK)
    {
      ERR_clear_error ();
      return FALSE;
    }

  key = X509_get0_pubkey (issuer);
  ok = key != NULL && X509_verify (cert, key) == 1;
  ERR_clear_error ();

  return ok;
}

static gboolean
looks_like_pem (GBytes *bytes)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return len > 0 && g_strstr_len (data, MIN (len, 1024), "-----BEGIN") != NULL;
}

/* caIssuers may hold one certificate (DER or PEM) or a certs-only PKCS#7. */
static X509 *
find_issuer_in_download (X509   *cert,
                         GBytes *bytes)
{
  g_autoptr(CabutX509Stack) candidates = sk_X509_new_null ();
  gsize len = 0;
  const unsigned char *data = g_bytes_get_data (bytes, &len);

  if (looks_like_pem (bytes))
    {
      g_autoptr(BIO) bio = BIO_new_mem_buf (data, (int) len);
      X509 *x;

      while (bio != NULL && (x = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
        if (!X509_add_cert (candidates, x, X509_ADD_FLAG_DEFAULT))
          X509_free (x);
    }
  else
    {
      const unsigned char *p = data;
      X509 *x = d2i_X509 (NULL, &p, (long) len);

      if (x != NULL)
        {
          if (!X509_add_cert (candidates, x, X509_ADD_FLAG_DEFAULT))
            X509_free (x);
        }
      else
        {
          g_autoptr(PKCS7) p7 = NULL;

          p = data;
          p7 = d2i_PKCS7 (NULL, &p, (long) len);
          if (p7 != NULL && PKCS7_type_is_signed (p7) && p7->d.sign != NULL)
            {
              STACK_OF (X509) *certs = p7->d.sign->cert;

              for (int i = 0; certs != NULL && i < sk_X509_num (certs); i++)
                X509_add_cert (candidates, sk_X509_value (certs, i), X509_ADD_FLAG_UP_REF);
            }
        }
    }
  ERR_clear_error ();

  for (int i = 0; i < sk_X509_num (candidates); i++)
    {
      X509 *candidate = sk_X509_value (candidates, i);

      if (issued_by (cert, candidate) && X509_up_ref (candidate))
        return candidate;
    }

  return NULL;
}

/* Which failure to report when nothing gave an answer: a forged or
 * mismatched answer says more than an unreachable server. */
static int
error_rank (const GError *error)
{
  if (error == NULL)
    return -1;
  if (error->domain != CABUT_REVOCATION_ERROR)
    return 0;

  switch ((CabutRevocationError) error->code)
    {
    case CABUT_REVOCATION_ERROR_NO_URL: return 1;
    case CABUT_REVOCATION_ERROR_NETWORK: return 2;
    case CABUT_REVOCATION_ERROR_NO_ISSUER: return 3;
    case CABUT_REVOCATION_ERROR_BAD_RESPONSE: return 4;
    case CABUT_REVOCATION_ERROR_STALE: return 5;
    case CABUT_REVOCATION_ERROR_WRONG_ISSUER: return 6;
    case CABUT_REVOCATION_ERROR_BAD_SIGNATURE: return 7;
    default: return 0;
    }
}

/* Takes @error. */
static void
note_error (CheckData *data,
            GError    *error)
{
  g_debug ("No answer: %s", error->message);

  if (error_rank (error) > error_rank (data->error))
    {
      g_clear_error (&data->error);
      data->error = error;
    }
  else
    {
      g_error_free (error);
    }
}

static void
check_data_free (gpointer user_data)
{
  CheckData *data = user_data;

  g_clear_object (&data->certificate);
  g_clear_pointer (&data->issuer, X509_free);
  g_clear_object (&data->session);
  g_clear_pointer (&data->aia_urls, g_strfreev);
  g_clear_pointer (&data->ocsp_urls, g_strfreev);
  g_clear_pointer (&data->crl_urls, g_strfreev);
  g_clear_pointer (&data->cert_id, OCSP_CERTID_free);
  g_clear_pointer (&data->ocsp_request, OCSP_REQUEST_free);
  g_clear_object (&data->unknown);
  g_clear_error (&data->error);
  g_free (data);
}

/* Downloads ---------------------------------------------------------------- */

static void
fetch_stop (Fetch *fetch)
{
  if (fetch->timeout != NULL)
    {
      g_source_destroy (fetch->timeout);
      g_clear_pointer (&fetch->timeout, g_source_unref);
    }

  if (fetch->cancelled_id != 0)
    {
      g_cancellable_disconnect (fetch->caller_cancellable, fetch->cancelled_id);
      fetch->cancelled_id = 0;
    }
}

static void
fetch_free (gpointer user_data)
{
  Fetch *fetch = user_data;

  fetch_stop (fetch);
  g_clear_object (&fetch->caller_cancellable);
  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->message);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
  g_clear_pointer (&fetch->url, g_free);
  g_free (fetch);
}

/* Takes @error. */
static void
fetch_return_error (GTask  *task,
                    GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);

  fetch_stop (fetch);

  if (fetch->timed_out)
    {
      g_error_free (error);
      error = g_error_new (CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NETWORK,
                           _("%s did not answer in time"), fetch->url);
    }
  else if (error->domain != CABUT_REVOCATION_ERROR &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GError *network = g_error_new (CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NETWORK,
                                     /* Translators: an address, then why it failed */
                                     _("%s cannot be reached: %s"), fetch->url, error->message);

      g_error_free (error);
      error = network;
    }

  g_task_return_error (task, error);
}

static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
fetch_timed_out_cb (gpointer user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);

  g_debug ("%s: no answer within %d seconds", fetch->url, CABUT_REVOCATION_TIMEOUT);
  fetch->timed_out = TRUE;
  g_clear_pointer (&fetch->timeout, g_source_unref);
  g_cancellable_cancel (fetch->cancellable);

  return G_SOURCE_REMOVE;
}

static void fetch_read_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);

static void
fetch_read_more (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (fetch->stream, FETCH_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   fetch->cancellable, fetch_read_cb, task);
}

static void
fetch_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      fetch_return_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      fetch_stop (fetch);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&fetch->body)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (fetch->body->len + g_bytes_get_size (chunk) > CABUT_REVOCATION_MAX_RESPONSE_SIZE)
    {
      fetch_return_error (task, g_error_new (CABUT_REVOCATION_ERROR,
                                             CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                                             _("The answer from %s is far too large"),
                                             fetch->url));
      return;
    }

  g_byte_array_append (fetch->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  fetch_read_more (g_steal_pointer (&task));
}

static void
fetch_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;
  guint status;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (fetch->stream == NULL)
    {
      fetch_return_error (task, error);
      return;
    }

  status = soup_message_get_status (fetch->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fetch_return_error (task, g_error_new (CABUT_REVOCATION_ERROR,
                                             CABUT_REVOCATION_ERROR_NETWORK,
                                             /* Translators: an address, an HTTP status code and its description */
                                             _("%s answered with HTTP error %u (%s)"),
                                             fetch->url, status,
                                             soup_message_get_reason_phrase (fetch->message)));
      return;
    }

  headers = soup_message_get_response_headers (fetch->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > CABUT_REVOCATION_MAX_RESPONSE_SIZE)
    {
      fetch_return_error (task, g_error_new (CABUT_REVOCATION_ERROR,
                                             CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                                             _("The answer from %s is far too large"),
                                             fetch->url));
      return;
    }

  fetch_read_more (g_steal_pointer (&task));
}

/* GET @url, or POST @ocsp_request to it. The whole download, body included,
 * must fit in CABUT_REVOCATION_TIMEOUT seconds, whatever the session's own
 * timeouts are. */
static void
fetch_async (SoupSession         *session,
             const char          *url,
             GBytes              *ocsp_request,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  g_assert (SOUP_IS_SESSION (session));
  g_assert (url != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, fetch_async);

  fetch = g_new0 (Fetch, 1);
  fetch->url = g_strdup (url);
  fetch->body = g_byte_array_new ();
  fetch->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, fetch, fetch_free);

  fetch->message = soup_message_new (ocsp_request != NULL ? SOUP_METHOD_POST : SOUP_METHOD_GET, url);
  if (fetch->message == NULL)
    {
      g_task_return_new_error (task, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_URL,
                               _("“%s” is not a web address Cabut can use"), url);
      return;
    }

  if (ocsp_request != NULL)
    {
      soup_message_set_request_body_from_bytes (fetch->message, "application/ocsp-request",
                                                ocsp_request);
      soup_message_headers_replace (soup_message_get_request_headers (fetch->message),
                                    "Accept", "application/ocsp-response");
    }

  if (cancellable != NULL)
    {
      fetch->caller_cancellable = g_object_ref (cancellable);
      fetch->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                   g_object_ref (fetch->cancellable),
                                                   g_object_unref);
    }

  fetch->timeout = g_timeout_source_new_seconds (CABUT_REVOCATION_TIMEOUT);
  g_source_set_static_name (fetch->timeout, "[cabut] revocation download timeout");
  g_task_attach_source (task, fetch->timeout, fetch_timed_out_cb);

  g_debug ("%s %s", soup_message_get_method (fetch->message), url);
  soup_session_send_async (session, fetch->message, G_PRIORITY_DEFAULT, fetch->cancellable,
                           fetch_sent_cb, g_steal_pointer (&task));
}

static GBytes *
fetch_finish (GAsyncResult  *result,
              GError       **error)
{
  g_assert (g_task_get_source_tag (G_TASK (result)) == fetch_async);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Answers ------------------------------------------------------------------ */

static CabutRevocationResult *
result_new (const char      *source,
            const char      *url,
            const ASN1_TIME *this_update,
            const ASN1_TIME *next_update)
{
  CabutRevocationResult *result = g_object_new (CABUT_TYPE_REVOCATION_RESULT, NULL);

  result->source = source;
  result->url = g_strdup (url);
  result->this_update = cabut_openssl_time_to_date_time (this_update);
  result->next_update = cabut_openssl_time_to_date_time (next_update);

  return result;
}

/* The response's signer is the issuer itself, or a certificate the issuer
 * signed for OCSP signing (RFC 6960 §4.2.2.2). OCSP_basic_verify() checked
 * this already; this says it again in plain code, so that a change of flags
 * there can never let a stranger's answer through. */
static gboolean
signer_is_authorised (OCSP_BASICRESP *basic,
                      X509           *issuer)
{
  g_autoptr(CabutX509Stack) extra = sk_X509_new_null ();
  X509 *signer = NULL;

  if (extra == NULL || !X509_up_ref (issuer))
    return FALSE;
  if (!sk_X509_push (extra, issuer))
    {
      X509_free (issuer);
      return FALSE;
    }

  if (OCSP_resp_get0_signer (basic, &signer, extra) != 1 || signer == NULL)
    {
      ERR_clear_error ();
      return FALSE;
    }

  if (X509_cmp (signer, issuer) == 0)
    return TRUE;

  return issued_by (signer, issuer) &&
         (X509_get_extension_flags (signer) & EXFLAG_XKUSAGE) != 0 &&
         (X509_get_extended_key_usage (signer) & XKU_OCSP_SIGN) != 0;
}

static const char *
ocsp_status_label (int status)
{
  switch (status)
    {
    case OCSP_RESPONSE_STATUS_MALFORMEDREQUEST:
      return _("it did not understand the question");
    case OCSP_RESPONSE_STATUS_INTERNALERROR:
      return _("it has an internal error");
    case OCSP_RESPONSE_STATUS_TRYLATER:
      return _("it is busy, try again later");
    case OCSP_RESPONSE_STATUS_SIGREQUIRED:
      return _("it only answers signed questions");
    case OCSP_RESPONSE_STATUS_UNAUTHORIZED:
      return _("it does not answer for this certificate");
    default:
      return _("for no reason it would give");
    }
}

/* RFC 6960 §4.4: of the response's extensions Cabut knows the nonce (checked
 * by OCSP_check_nonce()); the others it knows only give information. An
 * unknown critical one, on the response or on the answer about our
 * certificate, makes the answer unusable. */
static gboolean
ocsp_extension_understood (X509_EXTENSION *ext)
{
  switch (OBJ_obj2nid (X509_EXTENSION_get_object (ext)))
    {
    case NID_id_pkix_OCSP_Nonce:
    case NID_id_pkix_OCSP_CrlID:
    case NID_id_pkix_OCSP_archiveCutoff:
      return TRUE;

    default:
      return X509_EXTENSION_get_critical (ext) == 0;
    }
}

static gboolean
ocsp_extensions_understood (OCSP_BASICRESP *basic,
                            OCSP_CERTID    *cert_id)
{
  OCSP_SINGLERESP *single;
  int idx;

  g_assert (basic != NULL);
  g_assert (cert_id != NULL);

  for (int i = 0; i < OCSP_BASICRESP_get_ext_count (basic); i++)
    {
      X509_EXTENSION *ext = OCSP_BASICRESP_get_ext (basic, i);

      if (ext == NULL || !ocsp_extension_understood (ext))
        return FALSE;
    }

  idx = OCSP_resp_find (basic, cert_id, -1);
  single = idx >= 0 ? OCSP_resp_get0 (basic, idx) : NULL;
  if (single == NULL)
    return FALSE;

  for (int i = 0; i < OCSP_SINGLERESP_get_ext_count (single); i++)
    {
      X509_EXTENSION *ext = OCSP_SINGLERESP_get_ext (single, i);

      if (ext == NULL || !ocsp_extension_understood (ext))
        return FALSE;
    }

  return TRUE;
}

static CabutRevocationResult *
parse_ocsp_response (CheckData   *data,
                     GBytes      *bytes,
                     GError     **error)
{
  g_autoptr(OCSP_RESPONSE) response = NULL;
  g_autoptr(OCSP_BASICRESP) basic = NULL;
  g_autoptr(X509_STORE) store = NULL;
  g_autoptr(CabutX509Stack) certs = NULL;
  g_autoptr(CabutRevocationResult) result = NULL;
  ASN1_GENERALIZEDTIME *revoked_at = NULL;
  ASN1_GENERALIZEDTIME *this_update = NULL;
  ASN1_GENERALIZEDTIME *next_update = NULL;
  const unsigned char *p;
  gsize len = 0;
  Freshness freshness;
  int response_status;
  int status = -1;
  int reason = -1;

  p = g_bytes_get_data (bytes, &len);
  response = d2i_OCSP_RESPONSE (NULL, &p, (long) len);
  if (response == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                   _("What %s sent is not a certificate status (OCSP) answer"), data->url);
      return NULL;
    }

  response_status = OCSP_response_status (response);
  if (response_status != OCSP_RESPONSE_STATUS_SUCCESSFUL)
    {
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                   /* Translators: an address, then a reason such as “it is busy, try again later” */
                   _("The status service at %s gave no answer: %s"), data->url,
                   ocsp_status_label (response_status));
      return NULL;
    }

  basic = OCSP_response_get1_basic (response);
  if (basic == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                   _("The answer from the status service at %s is damaged"), data->url);
      return NULL;
    }

  /* Only the issuer is trusted, as a partial chain: a delegated responder
   * must chain to it, and OCSP_NOEXPLICIT keeps “any certificate under a
   * trusted root” from being enough. */
  store = X509_STORE_new ();
  certs = sk_X509_new_null ();
  if (store == NULL || certs == NULL || !X509_STORE_add_cert (store, data->issuer) ||
      !X509_STORE_set_flags (store, X509_V_FLAG_PARTIAL_CHAIN) ||
      !X509_add_cert (certs, data->issuer, X509_ADD_FLAG_UP_REF))
    g_error ("Out of memory");

  if (OCSP_basic_verify (basic, certs, store, OCSP_NOEXPLICIT) != 1 ||
      !signer_is_authorised (basic, data->issuer))
    {
      g_autofree char *why = cabut_openssl_error_string ();

      g_debug ("%s: OCSP response does not verify: %s", data->url, why);
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_SIGNATURE,
                   _("The answer from the status service at %s is not signed by the "
                     "certificate’s issuer or by a responder it authorised"), data->url);
      return NULL;
    }

  /* 1: echoed; -1: not echoed, which pre-signed responses never do. */
  if (OCSP_check_nonce (data->ocsp_request, basic) == 0)
    {
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                   _("The answer from the status service at %s is not the answer to our "
                     "question; it may be a replayed old answer"), data->url);
      return NULL;
    }

  if (!OCSP_resp_find_status (basic, data->cert_id, &status, &reason,
                              &revoked_at, &this_update, &next_update))
    {
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_WRONG_ISSUER,
                   _("The answer from the status service at %s is about another certificate"),
                   data->url);
      return NULL;
    }

  if (!ocsp_extensions_understood (basic, data->cert_id))
    {
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                   _("The answer from the status service at %s has a critical extension "
                     "Cabut does not understand"), data->url);
      return NULL;
    }

  /* OpenSSL's reading of the same rules is a second opinion: both must agree
   * that the answer is current. */
  freshness = check_freshness (this_update, next_update, CABUT_REVOCATION_OCSP_MAX_AGE);
  if (freshness == FRESHNESS_OK &&
      OCSP_check_validity (this_update, next_update, CABUT_REVOCATION_CLOCK_SKEW,
                           next_update == NULL
                             ? CABUT_REVOCATION_OCSP_MAX_AGE + CABUT_REVOCATION_CLOCK_SKEW
                             : -1) != 1)
    freshness = FRESHNESS_INVALID;
  ERR_clear_error ();

  switch (freshness)
    {
    case FRESHNESS_OK:
      break;

    case FRESHNESS_NOT_YET_VALID:
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_STALE,
                   _("The answer from the status service at %s is dated in the future; "
                     "check this computer’s clock"), data->url);
      return NULL;

    case FRESHNESS_TOO_OLD:
      {
        g_autofree char *given = format_date (this_update);

        g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_STALE,
                     /* Translators: an address, then a date */
                     _("The answer from the status service at %s is out of date: it names no "
                       "time for a newer one and was given on %s"), data->url, given);
        return NULL;
      }

    case FRESHNESS_EXPIRED:
    case FRESHNESS_INVALID:
    default:
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_STALE,
                   _("The answer from the status service at %s is out of date"), data->url);
      return NULL;
    }

  result = result_new ("ocsp", data->url, this_update, next_update);

  switch (status)
    {
    case V_OCSP_CERTSTATUS_GOOD:
      result->status = CABUT_REVOCATION_STATUS_GOOD;
      break;

    case V_OCSP_CERTSTATUS_REVOKED:
      result->status = CABUT_REVOCATION_STATUS_REVOKED;
      result->reason = cabut_crl_reason_to_name (reason);
      result->revoked_at = cabut_openssl_time_to_date_time (revoked_at);
      break;

    case V_OCSP_CERTSTATUS_UNKNOWN:
    default:
      result->status = CABUT_REVOCATION_STATUS_UNKNOWN;
      break;
    }

  return g_steal_pointer (&result);
}

static X509_CRL *
load_crl (GBytes *bytes)
{
  gsize len = 0;
  const unsigned char *data = g_bytes_get_data (bytes, &len);
  X509_CRL *crl;

  if (looks_like_pem (bytes))
    {
      g_autoptr(BIO) bio = BIO_new_mem_buf (data, (int) len);

      crl = bio != NULL ? PEM_read_bio_X509_CRL (bio, NULL, NULL, NULL) : NULL;
    }
  else
    {
      const unsigned char *p = data;

      crl = d2i_X509_CRL (NULL, &p, (long) len);
    }
  ERR_clear_error ();

  return crl;
}

static char *
oid_to_string (const ASN1_OBJECT *obj)
{
  char buf[128];

  if (OBJ_obj2txt (buf, sizeof buf, obj, 1) <= 0)
    {
      ERR_clear_error ();
      return g_strdup ("?");
    }

  return g_strdup (buf);
}

/* Whether an extension decodes as what its OID says it is. */
static gboolean
extension_decodes (X509_EXTENSION *ext)
{
  const X509V3_EXT_METHOD *method = X509V3_EXT_get (ext);
  void *value;

  if (method == NULL || method->it == NULL)
    return FALSE;

  value = X509V3_EXT_d2i (ext);
  if (value == NULL)
    {
      ERR_clear_error ();
      return FALSE;
    }

  ASN1_item_free (value, ASN1_ITEM_ptr (method->it));
  return TRUE;
}

static void
set_crl_damaged (GError     **error,
                 const char  *url,
                 const char  *why)
{
  g_debug ("%s: unusable CRL: %s", url, why);
  g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
               _("The revocation list at %s is damaged"), url);
}

/* RFC 5280 §5.2: the CRL extensions Cabut understands are the CRL number,
 * the authority key identifier, the issuing distribution point (see
 * crl_covers()) and the delta CRL indicator (such a CRL is refused). Any
 * other critical extension makes the CRL unusable; non-critical ones are
 * ignored. */
static gboolean
crl_extensions_understood (X509_CRL    *crl,
                           const char  *url,
                           GError     **error)
{
  for (int i = 0; i < X509_CRL_get_ext_count (crl); i++)
    {
      X509_EXTENSION *ext = X509_CRL_get_ext (crl, i);
      ASN1_OBJECT *obj = ext != NULL ? X509_EXTENSION_get_object (ext) : NULL;

      if (obj == NULL)
        {
          set_crl_damaged (error, url, "unreadable extension");
          return FALSE;
        }

      /* Each extension at most once (RFC 5280 §4.2): which one would count? */
      if (X509_CRL_get_ext_by_OBJ (crl, obj, i) != -1)
        {
          set_crl_damaged (error, url, "repeated extension");
          return FALSE;
        }

      switch (OBJ_obj2nid (obj))
        {
        case NID_crl_number:
        case NID_authority_key_identifier:
        case NID_issuing_distribution_point:
        case NID_delta_crl:
          if (!extension_decodes (ext))
            {
              set_crl_damaged (error, url, "malformed CRL extension");
              return FALSE;
            }
          break;

        default:
          if (X509_EXTENSION_get_critical (ext))
            {
              g_autofree char *oid = oid_to_string (obj);

              g_debug ("%s: unknown critical CRL extension %s", url, oid);
              g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                           _("The revocation list at %s has a critical extension Cabut does not "
                             "understand"), url);
              return FALSE;
            }
          break;
        }
    }

  return TRUE;
}

/* Whether two distribution point names share a name, as in OpenSSL's own
 * CRL checks. DIST_POINT_set_dpname() has made any name relative to the
 * issuer a full directory name. */
static gboolean
dist_point_names_match (const DIST_POINT_NAME *a,
                        const DIST_POINT_NAME *b)
{
  const X509_NAME *name = NULL;
  const GENERAL_NAMES *names = NULL;

  g_assert (a != NULL);
  g_assert (b != NULL);

  if (a->type == 1 && b->type == 1)
    return a->dpname != NULL && b->dpname != NULL && X509_NAME_cmp (a->dpname, b->dpname) == 0;

  if (a->type == 1)
    {
      name = a->dpname;
      names = b->name.fullname;
    }
  else if (b->type == 1)
    {
      name = b->dpname;
      names = a->name.fullname;
    }

  if (a->type == 1 || b->type == 1)
    {
      if (name == NULL)
        return FALSE;

      for (int i = 0; i < sk_GENERAL_NAME_num (names); i++)
        {
          GENERAL_NAME *gen = sk_GENERAL_NAME_value (names, i);

          if (gen->type == GEN_DIRNAME && X509_NAME_cmp (name, gen->d.directoryName) == 0)
            return TRUE;
        }

      return FALSE;
    }

  for (int i = 0; i < sk_GENERAL_NAME_num (a->name.fullname); i++)
    for (int j = 0; j < sk_GENERAL_NAME_num (b->name.fullname); j++)
      if (GENERAL_NAME_cmp (sk_GENERAL_NAME_value (a->name.fullname, i),
                            sk_GENERAL_NAME_value (b->name.fullname, j)) == 0)
        return TRUE;

  return FALSE;
}

/* RFC 5280 §6.3.3 (b)(2)(i): a CRL whose issuing distribution point names a
 * distribution point covers only the certificates that name it too. */
static gboolean
crl_dist_point_matches (ISSUING_DIST_POINT *idp,
                        X509_CRL           *crl,
                        X509               *cert)
{
  g_autoptr(CabutDistPointStack) points = NULL;
  int crit = -1;

  g_assert (idp->distpoint != NULL);

  if (DIST_POINT_set_dpname (idp->distpoint, X509_CRL_get_issuer (crl)) != 1)
    {
      ERR_clear_error ();
      return FALSE;
    }

  points = X509_get_ext_d2i (cert, NID_crl_distribution_points, &crit, NULL);
  ERR_clear_error ();

  for (int i = 0; points != NULL && i < sk_DIST_POINT_num (points); i++)
    {
      DIST_POINT *point = sk_DIST_POINT_value (points, i);

      /* A point with a cRLIssuer is served by an indirect CRL. */
      if (point->distpoint == NULL || point->CRLissuer != NULL)
        continue;

      if (DIST_POINT_set_dpname (point->distpoint, X509_get_issuer_name (cert)) != 1)
        {
          ERR_clear_error ();
          return FALSE;
        }

      if (dist_point_names_match (idp->distpoint, point->distpoint))
        return TRUE;
    }

  return FALSE;
}

/* A CRL that lists only some reasons, only CA certificates, other issuers'
 * certificates, another distribution point's certificates or only changes
 * cannot say that a certificate is good. */
static gboolean
crl_covers (X509_CRL    *crl,
            X509        *cert,
            const char  *url,
            GError     **error)
{
  g_autoptr(ISSUING_DIST_POINT) idp = NULL;
  int crit = -1;

  idp = X509_CRL_get_ext_d2i (crl, NID_issuing_distribution_point, &crit, NULL);
  ERR_clear_error ();
  if (idp != NULL || crit != -1)
    {
      gboolean is_ca = X509_check_ca (cert) != 0;

      if (idp == NULL || idp->indirectCRL || idp->onlysomereasons != NULL || idp->onlyattr ||
          (idp->onlyCA && !is_ca) || (idp->onlyuser && is_ca) ||
          (idp->distpoint != NULL && !crl_dist_point_matches (idp, crl, cert)))
        {
          g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                       _("The revocation list at %s does not cover this certificate"), url);
          return FALSE;
        }
    }

  /* RFC 5280 §5.2.4: a delta CRL is never a complete one, critical or not. */
  if (X509_CRL_get_ext_by_NID (crl, NID_delta_crl, -1) != -1)
    {
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                   _("The revocation list at %s lists only recent changes (a delta CRL)"), url);
      return FALSE;
    }

  return TRUE;
}

/* RFC 5280 §5.3: the entry extensions Cabut understands are the reason code
 * and the invalidity date. A certificate issuer means an indirect CRL, which
 * Cabut does not support, and any other critical extension is unknown;
 * either makes the whole CRL unusable, whichever entry carries it, as the
 * entry may change what the CRL says about other certificates. */
static gboolean
crl_entry_understood (X509_REVOKED  *entry,
                      const char    *url,
                      GError       **error)
{
  for (int i = 0; i < X509_REVOKED_get_ext_count (entry); i++)
    {
      X509_EXTENSION *ext = X509_REVOKED_get_ext (entry, i);
      ASN1_OBJECT *obj = ext != NULL ? X509_EXTENSION_get_object (ext) : NULL;

      if (obj == NULL)
        {
          set_crl_damaged (error, url, "unreadable entry extension");
          return FALSE;
        }

      if (X509_REVOKED_get_ext_by_OBJ (entry, obj, i) != -1)
        {
          set_crl_damaged (error, url, "repeated entry extension");
          return FALSE;
        }

      switch (OBJ_obj2nid (obj))
        {
        case NID_crl_reason:
          {
            g_autoptr(ASN1_ENUMERATED) code = X509V3_EXT_d2i (ext);
            long value = code != NULL ? ASN1_ENUMERATED_get (code) : -1;

            ERR_clear_error ();
            /* Only codes RFC 5280 defines; removeFromCRL (8) belongs in delta
             * CRLs only. */
            if (value < 0 || value > G_MAXINT || value == 8 ||
                cabut_crl_reason_to_name ((int) value) == NULL)
              {
                set_crl_damaged (error, url, "bad reason code");
                return FALSE;
              }
          }
          break;

        case NID_invalidity_date:
          if (!extension_decodes (ext))
            {
              set_crl_damaged (error, url, "malformed invalidity date");
              return FALSE;
            }
          break;

        case NID_certificate_issuer:
          g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                       _("The revocation list at %s also lists other authorities’ certificates "
                         "(an indirect CRL); Cabut does not use such lists"), url);
          return FALSE;

        default:
          if (X509_EXTENSION_get_critical (ext))
            {
              g_autofree char *oid = oid_to_string (obj);

              g_debug ("%s: unknown critical CRL entry extension %s", url, oid);
              g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                           _("The revocation list at %s has an entry with a critical extension "
                             "Cabut does not understand"), url);
              return FALSE;
            }
          break;
        }
    }

  return TRUE;
}

/* Reads every entry (so that no entry goes unchecked) and finds @serial's.
 * On success *@found is its entry, or %NULL when the CRL does not list it. */
static gboolean
crl_find_entry (X509_CRL            *crl,
                const ASN1_INTEGER  *serial,
                const char          *url,
                X509_REVOKED       **found,
                GError             **error)
{
  STACK_OF (X509_REVOKED) *entries = X509_CRL_get_REVOKED (crl);

  g_assert (serial != NULL);
  g_assert (found != NULL);

  *found = NULL;

  for (int i = 0; i < sk_X509_REVOKED_num (entries); i++)
    {
      X509_REVOKED *entry = sk_X509_REVOKED_value (entries, i);
      const ASN1_INTEGER *entry_serial = entry != NULL ? X509_REVOKED_get0_serialNumber (entry) : NULL;

      if (entry_serial == NULL || X509_REVOKED_get0_revocationDate (entry) == NULL)
        {
          set_crl_damaged (error, url, "unreadable entry");
          return FALSE;
        }

      if (!crl_entry_understood (entry, url, error))
        return FALSE;

      if (*found == NULL && ASN1_INTEGER_cmp (entry_serial, serial) == 0)
        *found = entry;
    }

  return TRUE;
}

static CabutRevocationResult *
parse_crl (CheckData  *data,
           GBytes     *bytes,
           GError    **error)
{
  X509 *cert = cabut_certificate_get_x509 (data->certificate);
  g_autoptr(X509_CRL) crl = NULL;
  g_autoptr(CabutRevocationResult) result = NULL;
  const ASN1_TIME *this_update;
  const ASN1_TIME *next_update;
  X509_REVOKED *entry = NULL;

  crl = load_crl (bytes);
  if (crl == NULL)
    {
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                   _("What %s sent is not a certificate revocation list"), data->url);
      return NULL;
    }

  if (X509_NAME_cmp (X509_CRL_get_issuer (crl), X509_get_issuer_name (cert)) != 0)
    {
      g_autoptr(CabutDn) dn = cabut_dn_new_from_x509_name (X509_CRL_get_issuer (crl));
      g_autofree char *name = cabut_dn_to_string (dn);

      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_WRONG_ISSUER,
                   /* Translators: an address, then a distinguished name */
                   _("The revocation list at %s comes from “%s”, not from the certificate’s "
                     "issuer"), data->url, name);
      return NULL;
    }

  if (X509_CRL_verify (crl, X509_get0_pubkey (data->issuer)) != 1)
    {
      ERR_clear_error ();
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_SIGNATURE,
                   _("The revocation list at %s is not signed by the certificate’s issuer"),
                   data->url);
      return NULL;
    }

  if (!crl_extensions_understood (crl, data->url, error) ||
      !crl_covers (crl, cert, data->url, error) ||
      !crl_find_entry (crl, X509_get0_serialNumber (cert), data->url, &entry, error))
    return NULL;

  this_update = X509_CRL_get0_lastUpdate (crl);
  next_update = X509_CRL_get0_nextUpdate (crl);
  switch (check_freshness (this_update, next_update, CABUT_REVOCATION_CRL_MAX_AGE))
    {
    case FRESHNESS_OK:
      break;

    case FRESHNESS_NOT_YET_VALID:
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_STALE,
                   _("The revocation list at %s is dated in the future; check this computer’s "
                     "clock"), data->url);
      return NULL;

    case FRESHNESS_EXPIRED:
      {
        g_autofree char *due = format_date (next_update);

        g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_STALE,
                     /* Translators: an address, then a date */
                     _("The revocation list at %s is out of date: a newer one was due on %s"),
                     data->url, due);
        return NULL;
      }

    case FRESHNESS_TOO_OLD:
      {
        g_autofree char *issued = format_date (this_update);

        g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_STALE,
                     /* Translators: an address, then a date */
                     _("The revocation list at %s is out of date: it names no date for a newer "
                       "one and was issued on %s"), data->url, issued);
        return NULL;
      }

    case FRESHNESS_INVALID:
    default:
      ERR_clear_error ();
      g_set_error (error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_BAD_RESPONSE,
                   _("The revocation list at %s has invalid dates"), data->url);
      return NULL;
    }

  result = result_new ("crl", data->url, this_update, next_update);

  /* The entries and their reason codes were checked by crl_find_entry(). */
  if (entry != NULL)
    {
      g_autoptr(ASN1_ENUMERATED) code = NULL;
      int crit = -1;

      result->status = CABUT_REVOCATION_STATUS_REVOKED;
      result->revoked_at = cabut_openssl_time_to_date_time (X509_REVOKED_get0_revocationDate (entry));

      code = X509_REVOKED_get_ext_d2i (entry, NID_crl_reason, &crit, NULL);
      if (code != NULL)
        result->reason = cabut_crl_reason_to_name ((int) ASN1_ENUMERATED_get (code));
      ERR_clear_error ();
    }
  else
    {
      result->status = CABUT_REVOCATION_STATUS_GOOD;
    }

  return g_steal_pointer (&result);
}

/* The check, step by step ------------------------------------------------- */

static void
finish_without_answer (GTask *task)
{
  CheckData *data = g_task_get_task_data (task);

  /* A signed “unknown” is an answer, if not a useful one. */
  if (data->unknown != NULL)
    {
      if (data->error != NULL)
        g_debug ("Reporting “unknown” rather than: %s", data->error->message);
      g_task_return_pointer (task, g_steal_pointer (&data->unknown), g_object_unref);
    }
  else if (data->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->error));
    }
  else
    {
      g_task_return_new_error (task, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_URL,
                               _("The certificate names no status service (OCSP) and no "
                                 "revocation list (CRL) that could be asked"));
    }
}

static gboolean
return_if_cancelled (GTask  *task,
                     GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  g_task_return_error (task, error);
  return TRUE;
}

static void
crl_fetched_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  CabutRevocationResult *answer;
  GError *error = NULL;

  bytes = fetch_finish (result, &error);
  if (bytes == NULL)
    {
      if (!return_if_cancelled (task, error))
        {
          note_error (data, error);
          try_next_crl (task);
        }
      return;
    }

  answer = parse_crl (data, bytes, &error);
  if (answer == NULL)
    {
      note_error (data, error);
      try_next_crl (task);
      return;
    }

  /* When the issuer's own responder said it does not know the
   * certificate, a CRL can prove it revoked but cannot vouch for it: a
   * CRL only lists what was revoked, not what was issued. */
  if (data->unknown != NULL && cabut_revocation_result_get_status (answer) == CABUT_REVOCATION_STATUS_GOOD)
    {
      g_debug ("%s does not list the certificate, but its issuer does not know it", data->url);
      g_object_unref (answer);
      g_task_return_pointer (task, g_steal_pointer (&data->unknown), g_object_unref);
      return;
    }

  g_task_return_pointer (task, answer, g_object_unref);
}

static void
try_next_crl (GTask *task)
{
  CheckData *data = g_task_get_task_data (task);

  if (data->crl_urls[data->next_url] == NULL)
    {
      finish_without_answer (task);
      return;
    }

  data->url = data->crl_urls[data->next_url++];
  fetch_async (data->session, data->url, NULL, g_task_get_cancellable (task),
               crl_fetched_cb, g_object_ref (task));
}

static void
start_crl (GTask *task)
{
  CheckData *data = g_task_get_task_data (task);

  data->next_url = 0;
  try_next_crl (task);
}

static void
ocsp_fetched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  CabutRevocationResult *answer;
  GError *error = NULL;

  bytes = fetch_finish (result, &error);
  if (bytes == NULL)
    {
      if (!return_if_cancelled (task, error))
        {
          note_error (data, error);
          try_next_ocsp (task);
        }
      return;
    }

  answer = parse_ocsp_response (data, bytes, &error);
  if (answer == NULL)
    {
      note_error (data, error);
      try_next_ocsp (task);
      return;
    }

  /* The responder does not know the certificate; the CRL may list it as
   * revoked (but cannot make it good, see crl_fetched_cb()). */
  if (answer->status == CABUT_REVOCATION_STATUS_UNKNOWN)
    {
      g_debug ("%s does not know the certificate", data->url);
      if (data->unknown == NULL)
        data->unknown = answer;
      else
        g_object_unref (answer);
      try_next_ocsp (task);
      return;
    }

  g_task_return_pointer (task, answer, g_object_unref);
}

static void
try_next_ocsp (GTask *task)
{
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) request = NULL;
  unsigned char *der = NULL;
  int len;

  if (data->ocsp_request == NULL || data->ocsp_urls[data->next_url] == NULL)
    {
      start_crl (task);
      return;
    }

  len = i2d_OCSP_REQUEST (data->ocsp_request, &der);
  if (len <= 0)
    g_error ("Out of memory");
  request = cabut_openssl_der_to_bytes (der, len);

  data->url = data->ocsp_urls[data->next_url++];
  fetch_async (data->session, data->url, request, g_task_get_cancellable (task),
               ocsp_fetched_cb, g_object_ref (task));
}

static void
start_ocsp (GTask *task)
{
  CheckData *data = g_task_get_task_data (task);
  X509 *cert = cabut_certificate_get_x509 (data->certificate);

  g_assert (data->issuer != NULL);

  data->next_url = 0;
  g_clear_error (&data->error);

  if (data->ocsp_urls[0] != NULL)
    {
      OCSP_CERTID *id;

      /* SHA-1 CertIDs are what every responder understands (RFC 5019). */
      data->cert_id = OCSP_cert_to_id (EVP_sha1 (), cert, data->issuer);
      data->ocsp_request = OCSP_REQUEST_new ();
      id = data->cert_id != NULL ? OCSP_CERTID_dup (data->cert_id) : NULL;
      if (id != NULL && data->ocsp_request != NULL &&
          OCSP_request_add0_id (data->ocsp_request, id) == NULL)
        g_clear_pointer (&id, OCSP_CERTID_free);
      if (id == NULL || data->ocsp_request == NULL ||
          !OCSP_request_add1_nonce (data->ocsp_request, NULL, -1))
        {
          g_autofree char *why = cabut_openssl_error_string ();

          g_warning ("Failed to build an OCSP request: %s", why);
          g_clear_pointer (&data->ocsp_request, OCSP_REQUEST_free);
        }
    }

  try_next_ocsp (task);
}

static void try_next_issuer_url (GTask *task);

static void
issuer_fetched_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = fetch_finish (result, &error);
  if (bytes == NULL)
    {
      if (!return_if_cancelled (task, error))
        {
          g_clear_error (&data->error);
          data->error = g_error_new (CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_ISSUER,
                                     /* Translators: why a download failed */
                                     _("The issuer’s certificate could not be downloaded: %s"),
                                     error->message);
          g_error_free (error);
          try_next_issuer_url (task);
        }
      return;
    }

  data->issuer = find_issuer_in_download (cabut_certificate_get_x509 (data->certificate), bytes);
  if (data->issuer == NULL)
    {
      g_clear_error (&data->error);
      g_set_error (&data->error, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_ISSUER,
                   _("The certificate downloaded from %s is not the one that issued this "
                     "certificate"), data->url);
      try_next_issuer_url (task);
      return;
    }

  g_debug ("Issuer certificate downloaded from %s", data->url);
  start_ocsp (task);
}

static void
try_next_issuer_url (GTask *task)
{
  CheckData *data = g_task_get_task_data (task);

  if (data->aia_urls[data->next_url] == NULL)
    {
      if (data->error != NULL)
        g_task_return_error (task, g_steal_pointer (&data->error));
      else
        g_task_return_new_error (task, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_ISSUER,
                                 _("The certificate of the authority that issued this "
                                   "certificate is not available; give it together with the "
                                   "certificate"));
      return;
    }

  data->url = data->aia_urls[data->next_url++];
  fetch_async (data->session, data->url, NULL, g_task_get_cancellable (task),
               issuer_fetched_cb, g_object_ref (task));
}

/* GObject ------------------------------------------------------------------ */

static void
cabut_revocation_result_finalize (GObject *object)
{
  CabutRevocationResult *self = (CabutRevocationResult *)object;

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->revoked_at, g_date_time_unref);
  g_clear_pointer (&self->this_update, g_date_time_unref);
  g_clear_pointer (&self->next_update, g_date_time_unref);

  G_OBJECT_CLASS (cabut_revocation_result_parent_class)->finalize (object);
}

static void
cabut_revocation_result_class_init (CabutRevocationResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cabut_revocation_result_finalize;
}

static void
cabut_revocation_result_init (CabutRevocationResult *self)
{
  self->status = CABUT_REVOCATION_STATUS_UNKNOWN;
}

/* Public API --------------------------------------------------------------- */

/**
 * cabut_revocation_check_async:
 * @certificate: the certificate to ask about
 * @issuer: (nullable): the certificate of its issuer; when %NULL, taken from
 *   the certificates that came with @certificate or downloaded from the
 *   address the certificate names (caIssuers)
 * @ocsp_url: (nullable): the OCSP responder to ask instead of the
 *   certificate's own
 * @crl_url: (nullable): the CRL to read instead of the certificate's own
 * @session: (nullable): the session to download with, or %NULL for a new one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: data for @callback
 *
 * Asks the issuer's OCSP responder whether @certificate is revoked and, when
 * it gives no trustworthy answer, the issuer's CRL. An answer counts only
 * when the issuer (or an OCSP responder it authorised) signed it and it is
 * current. Each download may take at most %CABUT_REVOCATION_TIMEOUT seconds
 * and %CABUT_REVOCATION_MAX_RESPONSE_SIZE bytes.
 */
void
cabut_revocation_check_async (CabutCertificate    *certificate,
                              CabutCertificate    *issuer,
                              const char          *ocsp_url,
                              const char          *crl_url,
                              SoupSession         *session,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;
  X509 *cert;
  GPtrArray *extra;

  g_return_if_fail (CABUT_IS_CERTIFICATE (certificate));
  g_return_if_fail (issuer == NULL || CABUT_IS_CERTIFICATE (issuer));
  g_return_if_fail (session == NULL || SOUP_IS_SESSION (session));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  cabut_openssl_init ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cabut_revocation_check_async);

  data = g_new0 (CheckData, 1);
  data->certificate = g_object_ref (certificate);
  if (session != NULL)
    data->session = g_object_ref (session);
  else
    data->session = soup_session_new_with_options ("timeout", CABUT_REVOCATION_TIMEOUT,
                                                   "user-agent", "Cabut/" PACKAGE_VERSION,
                                                   NULL);
  data->ocsp_urls = collect_urls (ocsp_url, cabut_certificate_get_ocsp_urls (certificate));
  data->crl_urls = collect_urls (crl_url, cabut_certificate_get_crl_urls (certificate));
  g_task_set_task_data (task, data, check_data_free);

  for (guint i = 0; i < 2; i++)
    {
      const char *url = i == 0 ? ocsp_url : crl_url;

      if (url != NULL && !is_web_url (url))
        {
          g_task_return_new_error (task, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_URL,
                                   _("“%s” is not a web address (http:// or https://)"), url);
          return;
        }
    }

  if (data->ocsp_urls[0] == NULL && data->crl_urls[0] == NULL)
    {
      finish_without_answer (task);
      return;
    }

  cert = cabut_certificate_get_x509 (certificate);

  if (issuer != NULL)
    {
      X509 *x509 = cabut_certificate_get_x509 (issuer);

      if (!issued_by (cert, x509))
        {
          g_task_return_new_error (task, CABUT_REVOCATION_ERROR, CABUT_REVOCATION_ERROR_NO_ISSUER,
                                   _("“%s” did not issue this certificate"),
                                   cabut_certificate_get_subject_string (issuer));
          return;
        }

      X509_up_ref (x509);
      data->issuer = x509;
      start_ocsp (task);
      return;
    }

  extra = cabut_certificate_get_extra_certificates (certificate);
  for (guint i = 0; i < extra->len; i++)
    {
      X509 *x509 = cabut_certificate_get_x509 (g_ptr_array_index (extra, i));

      if (issued_by (cert, x509))
        {
          X509_up_ref (x509);
          data->issuer = x509;
          start_ocsp (task);
          return;
        }
    }

  data->aia_urls = ca_issuers_urls (cert);
  data->next_url = 0;
  try_next_issuer_url (task);
}

/**
 * cabut_revocation_check_finish:
 *
 * Returns: (transfer full): the answer, whose status may be
 *   %CABUT_REVOCATION_STATUS_UNKNOWN when the OCSP responder does not know
 *   the certificate and no CRL said otherwise; %NULL with @error set when
 *   no trustworthy answer could be had
 */
CabutRevocationResult *
cabut_revocation_check_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cabut_revocation_check_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

CabutRevocationStatus
cabut_revocation_result_get_status (CabutRevocationResult *self)
{
  g_return_val_if_fail (CABUT_IS_REVOCATION_RESULT (self), CABUT_REVOCATION_STATUS_UNKNOWN);

  return self->status;
}

/**
 * cabut_revocation_result_get_reason:
 *
 * Returns: (nullable): the RFC 5280 CRLReason name, such as “keyCompromise”;
 *   %NULL when not revoked or when the issuer gave no reason
 */
const char *
cabut_revocation_result_get_reason (CabutRevocationResult *self)
{
  g_return_val_if_fail (CABUT_IS_REVOCATION_RESULT (self), NULL);

  return self->reason;
}

/**
 * cabut_revocation_result_get_revoked_at:
 *
 * Returns: (nullable) (transfer none): when the certificate was revoked, in UTC
 */
GDateTime *
cabut_revocation_result_get_revoked_at (CabutRevocationResult *self)
{
  g_return_val_if_fail (CABUT_IS_REVOCATION_RESULT (self), NULL);

  return self->revoked_at;
}

/**
 * cabut_revocation_result_get_source:
 *
 * Returns: “ocsp” or “crl”
 */
const char *
cabut_revocation_result_get_source (CabutRevocationResult *self)
{
  g_return_val_if_fail (CABUT_IS_REVOCATION_RESULT (self), NULL);

  return self->source;
}

/**
 * cabut_revocation_result_get_this_update:
 *
 * Returns: (nullable) (transfer none): when the answer was produced (thisUpdate)
 */
GDateTime *
cabut_revocation_result_get_this_update (CabutRevocationResult *self)
{
  g_return_val_if_fail (CABUT_IS_REVOCATION_RESULT (self), NULL);

  return self->this_update;
}

/**
 * cabut_revocation_result_get_next_update:
 *
 * Returns: (nullable) (transfer none): when a newer answer is due (nextUpdate);
 *   %NULL when the answer does not say
 */
GDateTime *
cabut_revocation_result_get_next_update (CabutRevocationResult *self)
{
  g_return_val_if_fail (CABUT_IS_REVOCATION_RESULT (self), NULL);

  return self->next_update;
}

/**
 * cabut_revocation_result_get_url:
 *
 * Returns: the address the answer came from
 */
const char *
cabut_revocation_result_get_url (CabutRevocationResult *self)
{
  g_return_val_if_fail (CABUT_IS_REVOCATION_RESULT (self), NULL);

  return self->url;
}

/**
 * cabut_revocation_status_to_string:
 *
 * Returns: “good”, “revoked” or “unknown”, for machines
 */
const char *
cabut_revocation_status_to_string (CabutRevocationStatus status)
{
  switch (status)
    {
    case CABUT_REVOCATION_STATUS_GOOD: return "good";
    case CABUT_REVOCATION_STATUS_REVOKED: return "revoked";
    case CABUT_REVOCATION_STATUS_UNKNOWN: return "unknown";
    default: g_return_val_if_reached ("unknown");
    }
}

/**
 * cabut_revocation_status_to_label:
 *
 * Returns: the status in words, translated
 */
const char *
cabut_revocation_status_to_label (CabutRevocationStatus status)
{
  switch (status)
    {
    case CABUT_REVOCATION_STATUS_GOOD: return _("Good, not revoked");
    case CABUT_REVOCATION_STATUS_REVOKED: return _("Revoked");
    case CABUT_REVOCATION_STATUS_UNKNOWN: return _("Unknown to the issuer");
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * cabut_revocation_source_to_label:
 * @source: “ocsp” or “crl”
 *
 * Returns: where the answer came from, in words, translated
 */
const char *
cabut_revocation_source_to_label (const char *source)
{
  g_return_val_if_fail (source != NULL, NULL);

  if (g_str_equal (source, "ocsp"))
    return _("Status service (OCSP)");
  if (g_str_equal (source, "crl"))
    return _("Revocation list (CRL)");

  return source;
}
