/* joren-sync-client.c: libcurl calls of the sync API. One easy handle per
 * client keeps the connection to the server alive between batches (a new
 * TCP connection per batch would cost more than the batch). curl's
 * errors become JOREN_SYNC_ERRORs here, split by what they mean for the
 * outbox: NETWORK (nothing sent, retry later), UNKNOWN_OUTCOME (maybe
 * applied, retry the same ops), or an answer from the server. */
#include "config.h"

#include <string.h>

#include <curl/curl.h>
#include <glib/gi18n.h>

#include "joren-sync-client.h"

#define CONNECT_TIMEOUT_S 5

struct _JorenSyncClient {
  GMutex  lock;       /* the handle is used from push_async's thread too */
  CURL   *curl;
  char   *base_url;
  char   *token;
  guint   timeout_s;
  guint64 bytes_received;   /* response bodies, for the benchmarks */
};

typedef struct {
  long     status;
  GString *body;
} Response;

/* The authority a shop's own (self-signed) server certificate is checked
 * against, besides the system's. Process-wide, like curl's global init:
 * every client of a register talks to the one server it is paired with. */
G_LOCK_DEFINE_STATIC (trust);
static char *trusted_ca_file;

void
joren_sync_client_set_ca_file (const char *path)
{
  G_LOCK (trust);
  g_free (trusted_ca_file);
  trusted_ca_file = path != NULL && *path != '\0' ? g_strdup (path) : NULL;
  G_UNLOCK (trust);
}

static void
set_trust (CURL *curl)
{
  G_LOCK (trust);
  if (trusted_ca_file != NULL)
    curl_easy_setopt (curl, CURLOPT_CAINFO, trusted_ca_file);  /* curl copies it */
  G_UNLOCK (trust);
}

static void
init_curl_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&done, 1);
    }
}

JorenSyncClient *
joren_sync_client_new (const char *base_url)
{
  JorenSyncClient *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  init_curl_once ();
  self = g_new0 (JorenSyncClient, 1);
  g_mutex_init (&self->lock);
  self->curl = curl_easy_init ();
  self->base_url = g_strdup (base_url);
  self->timeout_s = 30;
  return self;
}

void
joren_sync_client_free (JorenSyncClient *self)
{
  if (self == NULL)
    return;
  curl_easy_cleanup (self->curl);
  g_free (self->base_url);
  g_free (self->token);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
joren_sync_client_set_token (JorenSyncClient *self,
                             const char      *token)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->lock);
}

const char *
joren_sync_client_get_token (JorenSyncClient *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->token;
}

void
joren_sync_client_set_timeout (JorenSyncClient *self,
                               guint            seconds)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (seconds > 0);
  self->timeout_s = seconds;
}

guint64
joren_sync_client_get_bytes_received (JorenSyncClient *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes_received;
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  n,
          void   *user_data)
{
  g_string_append_len (user_data, data, (gssize) (size * n));
  return size * n;
}

static gboolean
set_curl_error (CURLcode  code,
                GError  **error)
{
  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_NETWORK,
                   _("Could not reach the server (%s). Sales are kept and sent later."),
                   curl_easy_strerror (code));
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      /* The handshake comes before the request: nothing was sent. */
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_NETWORK,
                   _("The server's certificate could not be trusted (%s). Sales are kept;"
                     " check the server address and its certificate authority."),
                   curl_easy_strerror (code));
      break;
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNKNOWN_OUTCOME,
                   _("The server did not answer in time (%s). The sales will be sent again."),
                   curl_easy_strerror (code));
      break;
    default:
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   _("Talking to the server failed: %s"), curl_easy_strerror (code));
    }
  return FALSE;
}

/* The server's {"error":{"code","message"}}, or the status line. */
static char *
describe_error_body (const Response *response)
{
  g_autoptr(cJSON) json = cJSON_ParseWithLength (response->body->str, response->body->len);
  const cJSON *error = cJSON_GetObjectItemCaseSensitive (json, "error");
  const char *message = joren_sync_get_string (error, "message");
  const char *code = joren_sync_get_string (error, "code");

  if (message != NULL && code != NULL)
    return g_strdup_printf ("%s (%s)", message, code);
  return g_strdup_printf ("HTTP %ld", response->status);
}

static gboolean
check_status (const Response *response,
              GError        **error)
{
  g_autofree char *detail = NULL;

  if (response->status >= 200 && response->status < 300)
    return TRUE;
  detail = describe_error_body (response);
  if (response->status == 401)
    g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNAUTHORIZED,
                 _("The server refused this register: %s. Pair it again."), detail);
  else if (response->status >= 500)
    g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_SERVER,
                 _("The server had a problem: %s. The sales will be sent again."), detail);
  else
    g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_REFUSED,
                 _("The server refused the request: %s"), detail);
  return FALSE;
}

static struct curl_slist *
make_headers (JorenSyncClient *self)
{
  struct curl_slist *headers = NULL;

  headers = curl_slist_append (headers, "Content-Type: application/json");
  headers = curl_slist_append (headers, "Accept: application/json");
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Authorization: Bearer ", self->token, NULL);

      headers = curl_slist_append (headers, auth);
      memset (auth, 0, strlen (auth));
    }
  return headers;
}

/* One request on the shared handle; the lock is held by the caller.
 * body NULL: GET. */
static gboolean
perform (JorenSyncClient *self,
         const char      *path,
         const char      *body,
         guint            timeout_s,
         Response        *response,
         GError         **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  struct curl_slist *headers = make_headers (self);
  CURLcode code;

  curl_easy_reset (self->curl);
  curl_easy_setopt (self->curl, CURLOPT_URL, url);
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (self->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (self->curl, CURLOPT_CONNECTTIMEOUT, (long) CONNECT_TIMEOUT_S);
  curl_easy_setopt (self->curl, CURLOPT_TIMEOUT, (long) timeout_s);
  curl_easy_setopt (self->curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (self->curl, CURLOPT_WRITEDATA, response->body);
  set_trust (self->curl);
  if (body != NULL)
    {
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (body));
    }
  code = curl_easy_perform (self->curl);
  curl_slist_free_all (headers);
  if (code != CURLE_OK)
    return set_curl_error (code, error);
  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &response->status);
  self->bytes_received += response->body->len;
  return check_status (response, error);
}

static gboolean
request (JorenSyncClient *self,
         const char      *path,
         const char      *body,
         guint            timeout_s,
         GString         *answer,
         GError         **error)
{
  Response response = { 0, answer };
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = perform (self, path, body, timeout_s, &response, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

static gboolean
set_protocol_error (GError *cause,
                    GError **error)
{
  g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
               _("The server's answer could not be read: %s"), cause->message);
  g_error_free (cause);
  return FALSE;
}

static const JorenSyncField pair_answer_fields[] = {
  { "token", JOREN_SYNC_FIELD_STRING, TRUE },
  { "register_id", JOREN_SYNC_FIELD_INT, TRUE },
  { "store_id", JOREN_SYNC_FIELD_INT, TRUE },
};

char *
joren_sync_client_pair (JorenSyncClient *self,
                        const char      *code,
                        const char      *register_name,
                        gint64          *register_id,
                        GError         **error)
{
  g_autoptr(cJSON) request_json = cJSON_CreateObject ();
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree char *body = NULL;
  g_autoptr(cJSON) json = NULL;
  GError *cause = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (register_name != NULL, NULL);

  cJSON_AddStringToObject (request_json, "code", code);
  cJSON_AddStringToObject (request_json, "name", register_name);
  body = cJSON_PrintUnformatted (request_json);
  if (!request (self, "/v1/pair", body, self->timeout_s, answer, error))
    return NULL;

  json = cJSON_ParseWithLength (answer->str, answer->len);
  if (!joren_sync_check_object (json, "the pairing answer", pair_answer_fields,
                                G_N_ELEMENTS (pair_answer_fields), &cause))
    return set_protocol_error (cause, error), NULL;
  joren_sync_client_set_token (self, joren_sync_get_string (json, "token"));
  if (register_id != NULL)
    *register_id = joren_sync_get_int (json, "register_id", 0);
  return g_strdup (self->token);
}

GPtrArray *
joren_sync_client_push (JorenSyncClient *self,
                        GPtrArray       *ops,
                        gint64          *next_seq,
                        GError         **error)
{
  g_autofree char *body = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GPtrArray) results = NULL;
  GError *cause = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (ops != NULL && ops->len > 0, NULL);

  body = joren_sync_encode_ops (ops);
  if (!request (self, "/v1/ops", body, self->timeout_s, answer, error))
    return NULL;
  results = joren_sync_decode_results (answer->str, answer->len, next_seq, &cause);
  if (results == NULL)
    return set_protocol_error (cause, error), NULL;
  if (results->len != ops->len)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   _("The server answered for %u operations instead of %u."),
                   results->len, ops->len);
      return NULL;
    }
  return g_steal_pointer (&results);
}

typedef struct {
  JorenSyncClient *client;
  GPtrArray       *ops;
} PushData;

static void
free_push_data (gpointer data)
{
  PushData *push = data;

  g_ptr_array_unref (push->ops);
  g_free (push);
}

static void
push_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PushData *push = task_data;
  GError *error = NULL;
  GPtrArray *results = joren_sync_client_push (push->client, push->ops, NULL, &error);

  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

/* The client must outlive the task. */
void
joren_sync_client_push_async (JorenSyncClient    *self,
                              GPtrArray          *ops,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  PushData *push;

  g_return_if_fail (self != NULL);
  g_return_if_fail (ops != NULL && ops->len > 0);

  push = g_new0 (PushData, 1);
  push->client = self;
  push->ops = g_ptr_array_ref (ops);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, joren_sync_client_push_async);
  g_task_set_task_data (task, push, free_push_data);
  g_task_run_in_thread (task, push_thread);
}

GPtrArray *
joren_sync_client_push_finish (JorenSyncClient *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

JorenSyncChanges *
joren_sync_client_pull (JorenSyncClient *self,
                        gint64           since,
                        guint            limit,
                        guint            wait_s,
                        GError         **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  JorenSyncChanges *changes;
  GError *cause = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (since >= 0, NULL);
  g_return_val_if_fail (limit > 0, NULL);

  path = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u&wait=%u",
                          since, limit, wait_s);
  if (!request (self, path, NULL, self->timeout_s + wait_s, answer, error))
    return NULL;
  changes = joren_sync_decode_changes (answer->str, answer->len, &cause);
  if (changes == NULL)
    set_protocol_error (cause, error);
  return changes;
}

static char *
error_code_of (const GString *answer)
{
  g_autoptr(cJSON) json = cJSON_ParseWithLength (answer->str, answer->len);

  return g_strdup (joren_sync_get_string (cJSON_GetObjectItemCaseSensitive (json, "error"), "code"));
}

cJSON *
joren_sync_client_call (JorenSyncClient *self,
                        const char      *path,
                        const cJSON     *body,
                        char           **code,
                        GError         **error)
{
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree char *text = NULL;
  GError *local = NULL;
  cJSON *json;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (code != NULL)
    *code = NULL;
  text = body != NULL ? cJSON_PrintUnformatted (body) : NULL;
  if (!request (self, path, text, self->timeout_s, answer, &local))
    {
      if (code != NULL && g_error_matches (local, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_REFUSED))
        *code = error_code_of (answer);
      g_propagate_error (error, local);
      return NULL;
    }
  json = cJSON_ParseWithLength (answer->str, answer->len);
  if (!cJSON_IsObject (json))
    {
      cJSON_Delete (json);
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   _("The server's answer could not be read."));
      return NULL;
    }
  return json;
}
