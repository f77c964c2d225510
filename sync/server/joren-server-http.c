/* joren-server-http.c: routes, authentication and JSON answers of the
 * sync API on libmicrohttpd (internal epoll thread pool). Every request
 * is answered on a later access-handler call, never the first: answering
 * at once makes libmicrohttpd close the connection (FIELD-NOTES), and a
 * register pushing batches wants keep-alive. Long polls on the changes
 * feed are suspended connections that a notifier thread resumes when the
 * feed's cursor moves (or their wait is over), so a waiting register
 * holds no thread. */
#include "config.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <string.h>

#include "joren-server-http.h"
#include "joren-server-member-page.h"
#include "joren-server-unsubscribe.h"
#include "joren-server-value.h"

#define POOL_THREADS 2
#define NOTIFY_INTERVAL_US (100 * 1000)
#define DEFAULT_LIMIT 100
#define MAX_LIMIT 5000   /* a new register pulls a million customers */

struct _JorenServerHttp {
  struct MHD_Daemon *daemon;
  JorenServerDb     *db;
  guint16            port;

  GMutex             waiters_lock;
  GCond              waiters_cond;
  GPtrArray         *waiters;     /* Request* suspended in a long poll */
  gint64             seen_cursor;
  gboolean           stopping;
  GThread           *notifier;
  char              *tls_cert;    /* PEM, kept for the daemon's life */
  char              *tls_key;
};

typedef struct {
  struct MHD_Connection *connection;
  GByteArray            *body;
  gboolean               too_large;
  gint64                 deadline;   /* monotonic; 0 until a long poll starts */
} Request;

/* ---- answers ---- */

/* Takes text (g_free and free are the same allocator). */
static enum MHD_Result
respond (struct MHD_Connection *connection,
         guint                  status,
         char                  *text)
{
  struct MHD_Response *response;
  enum MHD_Result ret;

  response = MHD_create_response_from_buffer (strlen (text), text, MHD_RESPMEM_MUST_FREE);
  MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  if (status == MHD_HTTP_UNAUTHORIZED)
    MHD_add_response_header (response, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  ret = MHD_queue_response (connection, status, response);
  MHD_destroy_response (response);
  return ret;
}

static enum MHD_Result
respond_error (struct MHD_Connection *connection,
               guint                  status,
               const char            *code,
               const char            *message)
{
  g_autoptr(cJSON) json = cJSON_CreateObject ();
  cJSON *error = cJSON_AddObjectToObject (json, "error");
  /* Messages quote the client's field names, which may be any bytes. */
  g_autofree char *valid = g_utf8_make_valid (message, -1);
  GString *body = g_string_new (NULL);

  cJSON_AddStringToObject (error, "code", code);
  cJSON_AddStringToObject (error, "message", valid);
  joren_sync_write_canonical (body, json, NULL);
  return respond (connection, status, g_string_free (body, FALSE));
}

static enum MHD_Result
respond_json (struct MHD_Connection *connection,
              guint                  status,
              const cJSON           *json)
{
  GString *body = g_string_new (NULL);

  joren_sync_write_canonical (body, json, NULL);
  return respond (connection, status, g_string_free (body, FALSE));
}

static enum MHD_Result
respond_gerror (struct MHD_Connection *connection,
                const GError          *error)
{
  if (g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID))
    return respond_error (connection, MHD_HTTP_BAD_REQUEST, "invalid_request", error->message);
  if (g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNAUTHORIZED))
    return respond_error (connection, MHD_HTTP_UNAUTHORIZED, "unauthorized", error->message);
  g_warning ("Request failed: %s", error->message);
  return respond_error (connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                        "The server could not complete the request; nothing was changed. Retry.");
}

/* ---- request checks ---- */

/* The register a valid, unrevoked Bearer token belongs to, or 0. */
static gint64
authenticate (JorenServerHttp       *self,
              struct MHD_Connection *connection)
{
  const char *header = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_AUTHORIZATION);

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return 0;
  return joren_server_db_authenticate (self->db, header + 7);
}

static gboolean
is_json_request (struct MHD_Connection *connection)
{
  const char *type = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_CONTENT_TYPE);

  return type != NULL
         && (g_ascii_strcasecmp (type, "application/json") == 0
             || g_ascii_strncasecmp (type, "application/json;", 17) == 0);
}

static cJSON *
parse_object (const Request *request,
              GError       **error)
{
  return joren_sync_parse_json ((const char *) request->body->data, request->body->len, error);
}

/* ---- endpoints ---- */

static enum MHD_Result
handle_health (JorenServerHttp       *self,
               struct MHD_Connection *connection)
{
  g_autoptr(cJSON) json = cJSON_CreateObject ();

  cJSON_AddStringToObject (json, "status", "ok");
  cJSON_AddStringToObject (json, "version", PACKAGE_VERSION);
  cJSON_AddNumberToObject (json, "api", 1);
  return respond_json (connection, MHD_HTTP_OK, json);
}

static const JorenSyncField pair_fields[] = {
  { "code", JOREN_SYNC_FIELD_STRING, TRUE },
  { "name", JOREN_SYNC_FIELD_STRING, TRUE },
};

static enum MHD_Result
handle_pair (JorenServerHttp       *self,
             struct MHD_Connection *connection,
             Request               *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(cJSON) json = parse_object (request, &error);
  g_autoptr(cJSON) answer = NULL;
  g_autofree char *token = NULL;
  gint64 register_id = 0, store_id = 0;
  const char *name;

  if (json == NULL
      || !joren_sync_check_object (json, "the request", pair_fields, G_N_ELEMENTS (pair_fields), &error))
    return respond_gerror (connection, error);
  name = joren_sync_get_string (json, "name");
  if (*name == '\0' || strlen (name) > 100 || !g_utf8_validate (name, -1, NULL))
    return respond_error (connection, MHD_HTTP_BAD_REQUEST, "invalid_request",
                          "the request: \"name\" must be 1 to 100 bytes of UTF-8");
  token = joren_server_db_pair (self->db, joren_sync_get_string (json, "code"), name,
                                &register_id, &store_id, &error);
  if (token == NULL)
    return respond_gerror (connection, error);

  g_message ("Register %" G_GINT64_FORMAT " paired with store %" G_GINT64_FORMAT,
             register_id, store_id);
  answer = cJSON_CreateObject ();
  cJSON_AddNumberToObject (answer, "register_id", (double) register_id);
  cJSON_AddNumberToObject (answer, "store_id", (double) store_id);
  cJSON_AddStringToObject (answer, "token", token);
  return respond_json (connection, MHD_HTTP_CREATED, answer);
}

static enum MHD_Result
handle_ops (JorenServerHttp       *self,
            struct MHD_Connection *connection,
            Request               *request,
            gint64                 register_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) results = NULL;
  gint64 next_seq = 0;

  ops = joren_sync_decode_ops ((const char *) request->body->data, request->body->len, &error);
  if (ops == NULL)
    return respond_gerror (connection, error);
  if (ops->len == 0)
    return respond_error (connection, MHD_HTTP_BAD_REQUEST, "invalid_request",
                          "the request: \"ops\" must hold at least one op");
  results = joren_server_db_apply_ops (self->db, register_id, ops, &next_seq, &error);
  if (results == NULL)
    return respond_gerror (connection, error);
  return respond (connection, MHD_HTTP_OK, joren_sync_encode_results (results, next_seq));
}

static enum MHD_Result
handle_register (JorenServerHttp       *self,
                 struct MHD_Connection *connection,
                 gint64                 register_id)
{
  g_autoptr(cJSON) json = cJSON_CreateObject ();

  cJSON_AddNumberToObject (json, "register_id", (double) register_id);
  cJSON_AddNumberToObject (json, "next_seq",
                           (double) joren_server_db_get_next_seq (self->db, register_id));
  return respond_json (connection, MHD_HTTP_OK, json);
}

/* ---- the changes feed ---- */

typedef struct {
  gint64 since;
  gint64 limit;
  gint64 wait;
  char  *problem;
} FeedQuery;

static gboolean
parse_query_int (const char *text,
                 gint64      min,
                 gint64      max,
                 gint64     *out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, (guint64) min, (guint64) max, &value, NULL))
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

static enum MHD_Result
check_query_arg (void                *cls,
                 enum MHD_ValueKind   kind,
                 const char          *key,
                 const char          *value)
{
  FeedQuery *query = cls;
  gboolean ok;

  if (g_strcmp0 (key, "since") == 0)
    ok = value != NULL && parse_query_int (value, 0, JOREN_SYNC_MAX_INT, &query->since);
  else if (g_strcmp0 (key, "limit") == 0)
    ok = value != NULL && parse_query_int (value, 1, MAX_LIMIT, &query->limit);
  else if (g_strcmp0 (key, "wait") == 0)
    ok = value != NULL && parse_query_int (value, 0, JOREN_SERVER_MAX_WAIT, &query->wait);
  else
    ok = FALSE;
  if (ok)
    return MHD_YES;
  query->problem = g_strdup_printf ("query parameter \"%s\": expected since=0.., limit=1..%d,"
                                    " wait=0..%d (seconds), nothing else",
                                    key, MAX_LIMIT, JOREN_SERVER_MAX_WAIT);
  return MHD_NO;
}

/* The stored data are canonical JSON already: copied, not parsed and
 * printed again (most of the feed's CPU when a register loads a
 * million customers). Keys in canonical order, like every answer. */
static void
write_change (GString                 *body,
              const JorenServerChange *change)
{
  g_string_append_printf (body, "{\"cursor\":%" G_GINT64_FORMAT, change->cursor);
  if (change->data != NULL)
    g_string_append_printf (body, ",\"data\":%s", change->data);
  g_string_append (body, ",\"entity\":");
  joren_json_write_string (body, change->entity);
  g_string_append_printf (body, ",\"id\":%" G_GINT64_FORMAT ",\"op\":\"%s\"}", change->id,
                          change->data != NULL ? "upsert" : "delete");
}

/* Reads one more than asked: whether another page is ready. */
static enum MHD_Result
respond_changes (struct MHD_Connection *connection,
                 const FeedQuery       *query,
                 GPtrArray             *changes)
{
  GString *body = g_string_sized_new (512 * MIN (changes->len, (guint) query->limit) + 64);
  gboolean more = changes->len > (guint) query->limit;
  gint64 cursor = query->since;

  g_string_append (body, "{\"changes\":[");
  for (guint i = 0; i < changes->len && i < (guint) query->limit; i++)
    {
      const JorenServerChange *change = g_ptr_array_index (changes, i);

      if (i > 0)
        g_string_append_c (body, ',');
      write_change (body, change);
      cursor = change->cursor;
    }
  g_string_append_printf (body, "],\"cursor\":%" G_GINT64_FORMAT ",\"more\":%s}", cursor,
                          more ? "true" : "false");
  return respond (connection, MHD_HTTP_OK, g_string_free (body, FALSE));
}

/* Suspends the connection unless the feed moved past since meanwhile.
 * Checked under the waiters lock, like the notifier's check, so a
 * change committed in between cannot be missed. */
static gboolean
start_waiting (JorenServerHttp *self,
               Request         *request,
               gint64           since)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->waiters_lock);

  if (self->stopping || joren_server_db_get_last_cursor (self->db) > since)
    return FALSE;
  g_ptr_array_add (self->waiters, request);
  MHD_suspend_connection (request->connection);
  return TRUE;
}

static enum MHD_Result
handle_changes (JorenServerHttp       *self,
                struct MHD_Connection *connection,
                Request               *request)
{
  FeedQuery query = { 0, DEFAULT_LIMIT, 0, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;

  MHD_get_connection_values (connection, MHD_GET_ARGUMENT_KIND, check_query_arg, &query);
  if (query.problem != NULL)
    {
      g_autofree char *problem = query.problem;

      return respond_error (connection, MHD_HTTP_BAD_REQUEST, "invalid_request", problem);
    }
  changes = joren_server_db_read_changes (self->db, query.since, (guint) query.limit + 1, &error);
  if (changes == NULL)
    return respond_gerror (connection, error);
  if (changes->len == 0 && query.wait > 0)
    {
      if (request->deadline == 0)
        request->deadline = g_get_monotonic_time () + query.wait * G_USEC_PER_SEC;
      if (g_get_monotonic_time () < request->deadline && start_waiting (self, request, query.since))
        return MHD_YES;
    }
  return respond_changes (connection, &query, changes);
}

/* The notifier: wakes long polls when the cursor moves (a push from
 * this process or master data written by `joren-server --set-price` in
 * another) and when their wait is over. */
static void
resume_waiters (JorenServerHttp *self,
                gboolean         all)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = self->waiters->len; i > 0; i--)
    {
      Request *request = g_ptr_array_index (self->waiters, i - 1);

      if (all || now >= request->deadline)
        {
          g_ptr_array_remove_index_fast (self->waiters, i - 1);
          MHD_resume_connection (request->connection);
        }
    }
}

static gpointer
notify_thread (gpointer data)
{
  JorenServerHttp *self = data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->waiters_lock);

  while (!self->stopping)
    {
      gint64 cursor;

      g_cond_wait_until (&self->waiters_cond, &self->waiters_lock,
                         g_get_monotonic_time () + NOTIFY_INTERVAL_US);
      cursor = joren_server_db_get_last_cursor (self->db);
      resume_waiters (self, self->stopping || cursor != self->seen_cursor);
      self->seen_cursor = cursor;
    }
  resume_waiters (self, TRUE);
  return NULL;
}

/* ---- shared balances: holds and accounts ---- */

static const JorenSyncField hold_fields[] = {
  { "op_id", JOREN_SYNC_FIELD_STRING, TRUE },
  { "number", JOREN_SYNC_FIELD_STRING, FALSE },
  { "coupon", JOREN_SYNC_FIELD_STRING, FALSE },
  { "amount", JOREN_SYNC_FIELD_INT, FALSE },
  { "sale_uuid", JOREN_SYNC_FIELD_STRING, TRUE },
  { "ttl_s", JOREN_SYNC_FIELD_INT, FALSE },
};

static cJSON *
hold_to_json (const JorenServerHold *hold)
{
  cJSON *json = cJSON_CreateObject ();

  cJSON_AddStringToObject (json, "hold_id", hold->id);
  cJSON_AddStringToObject (json, "state", hold->state);
  if (hold->number != NULL)
    cJSON_AddStringToObject (json, "number", hold->number);
  if (hold->coupon != NULL)
    cJSON_AddStringToObject (json, "coupon", hold->coupon);
  cJSON_AddStringToObject (json, "sale_uuid", hold->sale_uuid);
  cJSON_AddNumberToObject (json, "amount", (double) hold->amount);
  cJSON_AddNumberToObject (json, "expires_at", (double) hold->expires_at);
  return json;
}

/* Refusals are 409 (404 for what does not exist), with the reason as
 * the error code, so a register can tell "not enough" from "unknown". */
static enum MHD_Result
respond_hold (struct MHD_Connection *connection,
              guint                  status,
              JorenServerHold       *hold,
              const char            *reason,
              const GError          *error)
{
  g_autoptr(cJSON) json = NULL;

  if (hold == NULL && reason == NULL)
    return respond_gerror (connection, error);
  if (hold == NULL)
    return respond_error (connection,
                          g_str_equal (reason, "not_found") || g_str_equal (reason, "unknown_account")
                          ? MHD_HTTP_NOT_FOUND : MHD_HTTP_CONFLICT,
                          reason, error->message);
  json = hold_to_json (hold);
  return respond_json (connection, status, json);
}

static gboolean
check_hold_request (const cJSON             *json,
                    JorenServerHoldRequest  *request,
                    GError                 **error)
{
  gint64 ttl = joren_sync_get_int (json, "ttl_s", 0);

  if (!joren_sync_check_object (json, "the hold", hold_fields, G_N_ELEMENTS (hold_fields), error))
    return FALSE;
  request->op_id = joren_sync_get_string (json, "op_id");
  request->number = joren_sync_get_string (json, "number");
  request->coupon = joren_sync_get_string (json, "coupon");
  request->amount = joren_sync_get_int (json, "amount", 0);
  request->sale_uuid = joren_sync_get_string (json, "sale_uuid");
  request->ttl_s = (guint) CLAMP (ttl, 0, JOREN_SERVER_HOLD_MAX_TTL_S);
  if (!joren_sync_is_uuid (request->op_id) || (request->number == NULL) == (request->coupon == NULL)
      || (request->number != NULL && request->amount <= 0) || ttl < 0
      || ttl > JOREN_SERVER_HOLD_MAX_TTL_S)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID,
                   "the hold: a uuid \"op_id\", either \"number\" with \"amount\" > 0 or"
                   " \"coupon\", and \"ttl_s\" 0..%d", JOREN_SERVER_HOLD_MAX_TTL_S);
      return FALSE;
    }
  return TRUE;
}

static enum MHD_Result
handle_hold (JorenServerHttp       *self,
             struct MHD_Connection *connection,
             Request               *request,
             gint64                 register_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(cJSON) json = parse_object (request, &error);
  g_autoptr(JorenServerHold) hold = NULL;
  JorenServerHoldRequest hold_request = { 0 };
  const char *reason = NULL;
  gboolean replayed = FALSE;

  if (json == NULL || !check_hold_request (json, &hold_request, &error))
    return respond_gerror (connection, error);
  hold = joren_server_value_hold (self->db, register_id, &hold_request, &replayed, &reason, &error);
  return respond_hold (connection, replayed ? MHD_HTTP_OK : MHD_HTTP_CREATED, hold, reason, error);
}

static const JorenSyncField finish_fields[] = {
  { "op_id", JOREN_SYNC_FIELD_STRING, TRUE },
};

static enum MHD_Result
handle_finish_hold (JorenServerHttp       *self,
                    struct MHD_Connection *connection,
                    Request               *request,
                    gint64                 register_id,
                    const char            *hold_id,
                    gboolean               capture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(cJSON) json = parse_object (request, &error);
  g_autoptr(JorenServerHold) hold = NULL;
  const char *reason = NULL;

  if (json == NULL
      || !joren_sync_check_object (json, "the request", finish_fields, G_N_ELEMENTS (finish_fields), &error))
    return respond_gerror (connection, error);
  if (!joren_sync_is_uuid (joren_sync_get_string (json, "op_id")))
    return respond_error (connection, MHD_HTTP_BAD_REQUEST, "invalid_request",
                          "the request: \"op_id\" must be a uuid");
  hold = joren_server_value_finish_hold (self->db, register_id, hold_id,
                                         joren_sync_get_string (json, "op_id"), capture,
                                         &reason, &error);
  return respond_hold (connection, MHD_HTTP_OK, hold, reason, error);
}

static enum MHD_Result
handle_account (JorenServerHttp       *self,
                struct MHD_Connection *connection,
                const char            *number)
{
  g_autoptr(cJSON) json = joren_server_value_account_json (self->db, number);

  if (json == NULL)
    return respond_error (connection, MHD_HTTP_NOT_FOUND, "unknown_account",
                          "The server does not know this voucher or account.");
  return respond_json (connection, MHD_HTTP_OK, json);
}

/* ---- dispatch ---- */

typedef enum {
  ROUTE_HEALTH,
  ROUTE_PAIR,
  ROUTE_OPS,
  ROUTE_CHANGES,
  ROUTE_REGISTER,
  ROUTE_HOLDS,
  ROUTE_HOLD_CAPTURE,
  ROUTE_HOLD_VOID,
  ROUTE_ACCOUNT,
} RouteId;

typedef struct {
  const char *path;
  const char *method;
  gboolean    authenticated;
  RouteId     id;
} Route;

static const Route routes[] = {
  { "/v1/health", MHD_HTTP_METHOD_GET, FALSE, ROUTE_HEALTH },
  { "/v1/pair", MHD_HTTP_METHOD_POST, FALSE, ROUTE_PAIR },
  { "/v1/ops", MHD_HTTP_METHOD_POST, TRUE, ROUTE_OPS },
  { "/v1/changes", MHD_HTTP_METHOD_GET, TRUE, ROUTE_CHANGES },
  { "/v1/register", MHD_HTTP_METHOD_GET, TRUE, ROUTE_REGISTER },
  { "/v1/holds", MHD_HTTP_METHOD_POST, TRUE, ROUTE_HOLDS },
};

/* Paths with one parameter: prefix, parameter, suffix. */
static const struct {
  const char *prefix;
  const char *suffix;
  Route       route;
} param_routes[] = {
  { "/v1/holds/", "/capture", { "", MHD_HTTP_METHOD_POST, TRUE, ROUTE_HOLD_CAPTURE } },
  { "/v1/holds/", "/void", { "", MHD_HTTP_METHOD_POST, TRUE, ROUTE_HOLD_VOID } },
  { "/v1/accounts/", "", { "", MHD_HTTP_METHOD_GET, TRUE, ROUTE_ACCOUNT } },
};

/* The parameter: 1 to 64 bytes, no slash. */
static char *
match_param (const char *url,
             const char *prefix,
             const char *suffix)
{
  gsize length = strlen (url), pre = strlen (prefix), suf = strlen (suffix);
  g_autofree char *param = NULL;

  if (length <= pre + suf || length - pre - suf > 64
      || !g_str_has_prefix (url, prefix) || !g_str_has_suffix (url, suffix))
    return NULL;
  param = g_strndup (url + pre, length - pre - suf);
  return strchr (param, '/') == NULL ? g_steal_pointer (&param) : NULL;
}

static const Route *
find_route (const char  *url,
            char       **param)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (strcmp (routes[i].path, url) == 0)
      return &routes[i];
  for (guint i = 0; i < G_N_ELEMENTS (param_routes); i++)
    if ((*param = match_param (url, param_routes[i].prefix, param_routes[i].suffix)) != NULL)
      return &param_routes[i].route;
  return NULL;
}

static enum MHD_Result
run_route (JorenServerHttp       *self,
           struct MHD_Connection *connection,
           const Route           *route,
           Request               *request,
           gint64                 register_id,
           const char            *param)
{
  switch (route->id)
    {
    case ROUTE_HEALTH: return handle_health (self, connection);
    case ROUTE_PAIR: return handle_pair (self, connection, request);
    case ROUTE_OPS: return handle_ops (self, connection, request, register_id);
    case ROUTE_CHANGES: return handle_changes (self, connection, request);
    case ROUTE_REGISTER: return handle_register (self, connection, register_id);
    case ROUTE_HOLDS: return handle_hold (self, connection, request, register_id);
    case ROUTE_HOLD_CAPTURE:
      return handle_finish_hold (self, connection, request, register_id, param, TRUE);
    case ROUTE_HOLD_VOID:
      return handle_finish_hold (self, connection, request, register_id, param, FALSE);
    case ROUTE_ACCOUNT: return handle_account (self, connection, param);
    default: g_assert_not_reached ();
    }
}

static enum MHD_Result
dispatch (JorenServerHttp       *self,
          struct MHD_Connection *connection,
          const char            *url,
          const char            *method,
          Request               *request)
{
  g_autofree char *param = NULL;
  const Route *route = find_route (url, &param);
  gint64 register_id = 0;

  if (joren_server_unsubscribe_owns (url))
    return joren_server_unsubscribe_respond (self->db, connection, url, method,
                                             (const char *) request->body->data, request->body->len);
  if (joren_server_member_page_owns (url))
    return joren_server_member_page_respond (self->db, connection, url, method,
                                             (const char *) request->body->data, request->body->len);
  if (route == NULL)
    return respond_error (connection, MHD_HTTP_NOT_FOUND, "not_found",
                          "No such endpoint; see docs/API.md (all paths start with /v1/).");
  if (strcmp (method, route->method) != 0)
    return respond_error (connection, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                          strcmp (route->method, "GET") == 0 ? "This endpoint takes GET."
                                                             : "This endpoint takes POST.");
  if (request->too_large)
    return respond_error (connection, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
                          "The request body is larger than 8 MiB; send smaller batches.");
  if (route->authenticated && (register_id = authenticate (self, connection)) == 0)
    return respond_error (connection, MHD_HTTP_UNAUTHORIZED, "unauthorized",
                          "Missing, unknown or revoked token (Authorization: Bearer <token>).");
  if (strcmp (method, "POST") == 0 && !is_json_request (connection))
    return respond_error (connection, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                          "Send the body as Content-Type: application/json.");
  return run_route (self, connection, route, request, register_id, param);
}

static gboolean
declared_too_large (struct MHD_Connection *connection)
{
  const char *length = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_CONTENT_LENGTH);
  guint64 value;

  return length != NULL
         && g_ascii_string_to_unsigned (length, 10, 0, G_MAXUINT64, &value, NULL)
         && value > JOREN_SERVER_MAX_BODY;
}

static void
take_upload (Request    *request,
             const char *data,
             size_t      size)
{
  if (request->too_large)
    return;  /* drained and dropped: the answer is 413 */
  if (request->body->len + size > JOREN_SERVER_MAX_BODY)
    {
      request->too_large = TRUE;
      g_byte_array_set_size (request->body, 0);
      return;
    }
  g_byte_array_append (request->body, (const guint8 *) data, (guint) size);
}

static enum MHD_Result
access_cb (void                  *cls,
           struct MHD_Connection *connection,
           const char            *url,
           const char            *method,
           const char            *version,
           const char            *upload_data,
           size_t                *upload_data_size,
           void                 **con_cls)
{
  Request *request = *con_cls;

  if (request == NULL)
    {
      request = g_new0 (Request, 1);
      request->connection = connection;
      request->body = g_byte_array_new ();
      request->too_large = declared_too_large (connection);
      *con_cls = request;
      return MHD_YES;
    }
  if (*upload_data_size > 0)
    {
      take_upload (request, upload_data, *upload_data_size);
      *upload_data_size = 0;
      return MHD_YES;
    }
  return dispatch (cls, connection, url, method, request);
}

static void
completed_cb (void                            *cls,
              struct MHD_Connection           *connection,
              void                           **con_cls,
              enum MHD_RequestTerminationCode  code)
{
  Request *request = *con_cls;

  if (request == NULL)
    return;
  g_byte_array_unref (request->body);
  g_free (request);
  *con_cls = NULL;
}

/* ---- life cycle ---- */

/* Suspend/resume needs the inter-thread channel (MHD_ALLOW_SUSPEND_RESUME
 * brings it); the idle timeout does not apply to suspended long polls. */
static struct MHD_Daemon *
start_daemon (JorenServerHttp          *self,
              const struct sockaddr_in *addr)
{
  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL
                       | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;

  /* With TLS the key and certificate options come first; without, the
   * list ends there (MHD_OPTION_END in the key's place). */
  return MHD_start_daemon (flags | (self->tls_cert != NULL ? MHD_USE_TLS : 0),
                           ntohs (addr->sin_port), NULL, NULL, access_cb, self,
                           MHD_OPTION_SOCK_ADDR, addr,
                           MHD_OPTION_THREAD_POOL_SIZE, (unsigned int) POOL_THREADS,
                           MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) 120,
                           MHD_OPTION_NOTIFY_COMPLETED, completed_cb, self,
                           self->tls_cert != NULL ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END,
                           self->tls_cert,
                           MHD_OPTION_HTTPS_MEM_KEY, self->tls_key,
                           MHD_OPTION_END);
}

/* A plain-text reason for a refused certificate or key before the daemon
 * tries them (its own errors only reach stderr). */
static gboolean
check_tls (const JorenServerTls  *tls,
           GError               **error)
{
  if (!MHD_is_feature_supported (MHD_FEATURE_TLS))
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   "This libmicrohttpd was built without TLS.");
      return FALSE;
    }
  if (tls->cert_pem == NULL || strstr (tls->cert_pem, "-----BEGIN CERTIFICATE-----") == NULL)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   "The TLS certificate is not a PEM certificate.");
      return FALSE;
    }
  if (tls->key_pem == NULL || strstr (tls->key_pem, "PRIVATE KEY-----") == NULL)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   "The TLS key is not a PEM private key.");
      return FALSE;
    }
  return TRUE;
}

JorenServerHttp *
joren_server_http_start (JorenServerDb        *db,
                         const char           *address,
                         guint16               port,
                         const JorenServerTls *tls,
                         GError              **error)
{
  JorenServerHttp *self;
  struct sockaddr_in addr = { 0 };
  const union MHD_DaemonInfo *info;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  if (inet_pton (AF_INET, address, &addr.sin_addr) != 1)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   "\"%s\" is not an IPv4 address.", address);
      return NULL;
    }
  if (tls != NULL && !check_tls (tls, error))
    return NULL;
  self = g_new0 (JorenServerHttp, 1);
  self->db = db;
  if (tls != NULL)
    {
      self->tls_cert = g_strdup (tls->cert_pem);
      self->tls_key = g_strdup (tls->key_pem);
    }
  self->waiters = g_ptr_array_new ();
  g_mutex_init (&self->waiters_lock);
  g_cond_init (&self->waiters_cond);
  self->seen_cursor = joren_server_db_get_last_cursor (db);
  self->daemon = start_daemon (self, &addr);
  if (self->daemon == NULL)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   tls != NULL ? "Could not listen on %s:%u (in use, or the TLS key does"
                                 " not match the certificate?)."
                               : "Could not listen on %s:%u (in use?).", address, port);
      joren_server_http_stop (self);
      return NULL;
    }
  info = MHD_get_daemon_info (self->daemon, MHD_DAEMON_INFO_BIND_PORT);
  self->port = info != NULL ? info->port : port;
  self->notifier = g_thread_new ("joren-notify", notify_thread, self);
  return self;
}

guint16
joren_server_http_get_port (JorenServerHttp *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

void
joren_server_http_stop (JorenServerHttp *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&self->waiters_lock);
  self->stopping = TRUE;
  g_cond_signal (&self->waiters_cond);
  g_mutex_unlock (&self->waiters_lock);
  g_clear_pointer (&self->notifier, g_thread_join);
  g_clear_pointer (&self->daemon, MHD_stop_daemon);
  g_ptr_array_unref (self->waiters);
  g_mutex_clear (&self->waiters_lock);
  g_cond_clear (&self->waiters_cond);
  g_free (self->tls_cert);
  g_free (self->tls_key);
  g_free (self);
}
