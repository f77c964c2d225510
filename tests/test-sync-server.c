/* test-sync-server.c: the real joren-server on loopback, driven by the
 * real client library (libcurl): pairing codes work once, pushes apply
 * each op exactly once (replays, conflicts, gaps, kill -9 mid-push and
 * restart), revoked tokens stop working, the changes feed pages by
 * cursor and long polls wake on a change, and bad input of every kind
 * gets a 4xx JSON error while the server keeps answering. */
#include "config.h"

#include <string.h>

#include "joren-test-utils.h"
#include "test-sync-common.h"

static void
assert_all_status (GPtrArray      *results,
                   GPtrArray      *ops,
                   JorenSyncStatus status)
{
  g_assert_cmpuint (results->len, ==, ops->len);
  for (guint i = 0; i < results->len; i++)
    {
      const JorenSyncResult *result = g_ptr_array_index (results, i);
      const JorenSyncOp *op = g_ptr_array_index (ops, i);

      g_assert_cmpstr (result->op_id, ==, op->op_id);
      g_assert_cmpstr (joren_sync_status_to_string (result->status), ==,
                       joren_sync_status_to_string (status));
    }
}

static gint64
count_rows (TestServer      *server,
            JorenServerTable table)
{
  g_autoptr(JorenServerDb) db = test_server_open_db (server);

  return joren_server_db_count_rows (db, table);
}

static void
test_pairing (void)
{
  TestServer *server = test_server_new (TRUE);
  g_autofree char *code = test_server_admin (server, "--new-pairing-code", "1", NULL);
  g_autoptr(JorenSyncClient) first = joren_sync_client_new (server->base_url);
  g_autoptr(JorenSyncClient) second = joren_sync_client_new (server->base_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *again = NULL;
  g_autofree char *guessed = NULL;
  gint64 register_id = 0;

  token = joren_sync_client_pair (first, code, "Till 1", &register_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (register_id, ==, 1);
  g_assert_cmpstr (joren_sync_client_get_token (first), ==, token);

  again = joren_sync_client_pair (second, code, "Till 2", NULL, &error);
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNAUTHORIZED);
  g_assert_null (again);
  g_clear_error (&error);
  guessed = joren_sync_client_pair (second, "AAAAAAAAAA", "Till 2", NULL, &error);
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNAUTHORIZED);
  g_assert_null (guessed);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_REGISTERS), ==, 1);
  test_server_free (server);
}

static void
test_pairing_expiry (void)
{
  TestServer *server = test_server_new (TRUE);
  g_autofree char *code = test_server_admin (server, "--new-pairing-code", "1", "--code-ttl", "1", NULL);
  g_autoptr(JorenSyncClient) client = joren_sync_client_new (server->base_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_usleep (1100 * 1000);
  token = joren_sync_client_pair (client, code, "Till", NULL, &error);
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNAUTHORIZED);
  g_assert_null (token);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_REGISTERS), ==, 0);
  test_server_free (server);
}

static GPtrArray *
push_ok (JorenSyncClient *client,
         GPtrArray       *ops,
         gint64          *next_seq)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *results = joren_sync_client_push (client, ops, next_seq, &error);

  g_assert_no_error (error);
  return results;
}

static void
test_push_replay (void)
{
  TestServer *server = test_server_new (TRUE);
  g_autoptr(JorenSyncClient) client = test_server_pair (server, NULL);
  g_autoptr(GPtrArray) ops = test_make_ops (1, 50);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  gint64 next_seq = 0;

  first = push_ok (client, ops, &next_seq);
  assert_all_status (first, ops, JOREN_SYNC_APPLIED);
  g_assert_cmpint (next_seq, ==, 51);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_SALES), ==, 50);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_SALE_LINES), ==, 150);

  second = push_ok (client, ops, &next_seq);
  assert_all_status (second, ops, JOREN_SYNC_DUPLICATE);
  g_assert_cmpint (next_seq, ==, 51);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_SALES), ==, 50);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_SALE_LINES), ==, 150);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_INBOX), ==, 50);
  test_server_free (server);
}

static const JorenSyncResult *
push_one (JorenSyncClient *client,
          JorenSyncOp     *op,
          GPtrArray      **keep)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new ();

  g_ptr_array_add (ops, op);
  *keep = push_ok (client, ops, NULL);
  return g_ptr_array_index (*keep, 0);
}

static void
test_push_conflicts (void)
{
  TestServer *server = test_server_new (TRUE);
  g_autoptr(JorenSyncClient) client = test_server_pair (server, NULL);
  g_autoptr(GPtrArray) ops = test_make_ops (1, 3);
  g_autoptr(GPtrArray) applied = push_ok (client, ops, NULL);
  g_autoptr(GPtrArray) keep1 = NULL, keep2 = NULL, keep3 = NULL, keep4 = NULL;
  g_autoptr(GError) error = NULL;
  const JorenSyncOp *first = g_ptr_array_index (ops, 0);
  g_autofree char *new_id = g_uuid_string_random ();
  const JorenSyncResult *result;

  assert_all_status (applied, ops, JOREN_SYNC_APPLIED);

  /* Same op id, another payload. */
  g_autoptr(JorenSyncOp) changed = joren_sync_op_new (first->op_id, 1, "sale", test_sale_payload (1, 2), &error);
  g_assert_no_error (error);
  result = push_one (client, changed, &keep1);
  g_assert_cmpint (result->status, ==, JOREN_SYNC_REJECTED);
  g_assert_cmpstr (result->reason, ==, "op_id_conflict");

  /* A gap: seq 9 when 4 is next. */
  g_autoptr(JorenSyncOp) gap = joren_sync_op_new (new_id, 9, "sale", test_sale_payload (9, 1), &error);
  result = push_one (client, gap, &keep2);
  g_assert_cmpint (result->status, ==, JOREN_SYNC_REJECTED);
  g_assert_cmpstr (result->reason, ==, "sequence_gap");
  g_assert_cmpint (result->expected_seq, ==, 4);

  /* A new op on a used number. */
  g_autoptr(JorenSyncOp) reused = joren_sync_op_new (new_id, 2, "sale", test_sale_payload (9, 1), &error);
  result = push_one (client, reused, &keep3);
  g_assert_cmpint (result->status, ==, JOREN_SYNC_REJECTED);
  g_assert_cmpstr (result->reason, ==, "sequence_used");

  /* Nothing of the above was applied; the expected number still works. */
  g_autoptr(JorenSyncOp) next = joren_sync_op_new (new_id, 4, "sale", test_sale_payload (4, 1), &error);
  result = push_one (client, next, &keep4);
  g_assert_cmpint (result->status, ==, JOREN_SYNC_APPLIED);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_SALES), ==, 4);
  test_server_free (server);
}

static void
test_revoke (void)
{
  TestServer *server = test_server_new (TRUE);
  gint64 register_id = 0;
  g_autoptr(JorenSyncClient) client = test_server_pair (server, &register_id);
  g_autoptr(GPtrArray) ops = test_make_ops (1, 2);
  g_autoptr(GPtrArray) results = push_ok (client, ops, NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, register_id);
  g_autofree char *out = test_server_admin (server, "--revoke-register", id, NULL);
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(JorenSyncChanges) changes = NULL;
  g_autoptr(GError) error = NULL;
  TestReply reply;

  refused = joren_sync_client_push (client, ops, NULL, &error);
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNAUTHORIZED);
  g_assert_null (refused);
  g_clear_error (&error);
  changes = joren_sync_client_pull (client, 0, 10, 0, &error);
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNAUTHORIZED);
  g_assert_null (changes);

  reply = test_raw_request (server->base_url, "/v1/register", joren_sync_client_get_token (client),
                            NULL, NULL, 0);
  g_assert_cmpstr (test_reply_error_code (&reply, 401), ==, "unauthorized");
  test_reply_clear (&reply);
  test_server_free (server);
}

static void
assert_cursors_increase (JorenSyncChanges *page,
                         gint64            since)
{
  gint64 last = since;

  for (guint i = 0; i < page->changes->len; i++)
    {
      const JorenSyncChange *change = g_ptr_array_index (page->changes, i);

      g_assert_cmpint (change->cursor, >, last);
      last = change->cursor;
    }
  g_assert_cmpint (page->cursor, ==, last);
}

/* Pages through the whole feed; returns the final cursor and counts the
 * staff entries, checking their PIN hashes are Argon2id. */
static gint64
pull_all (JorenSyncClient *client,
          guint           *n_changes,
          guint           *n_staff)
{
  gint64 cursor = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JorenSyncChanges) page = joren_sync_client_pull (client, cursor, 7, 0, &error);

      g_assert_no_error (error);
      assert_cursors_increase (page, cursor);
      g_assert_cmpuint (page->changes->len, <=, 7);
      for (guint i = 0; i < page->changes->len; i++)
        {
          const JorenSyncChange *change = g_ptr_array_index (page->changes, i);

          if (g_str_equal (change->entity, "staff"))
            {
              g_assert_true (g_str_has_prefix (joren_sync_get_string (change->data, "pin_hash"), "$argon2id$"));
              *n_staff += 1;
            }
        }
      *n_changes += page->changes->len;
      more = page->more;
      cursor = page->cursor;
    }
  return cursor;
}

typedef struct {
  JorenSyncClient  *client;
  gint64            since;
  JorenSyncChanges *changes;
  gint64            elapsed;
} LongPoll;

static gpointer
long_poll_thread (gpointer data)
{
  LongPoll *poll = data;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  poll->changes = joren_sync_client_pull (poll->client, poll->since, 10, 20, &error);
  g_assert_no_error (error);
  poll->elapsed = g_get_monotonic_time () - start;
  return NULL;
}

static void
test_pull (void)
{
  TestServer *server = test_server_new (TRUE);
  g_autoptr(JorenSyncClient) client = test_server_pair (server, NULL);
  g_autoptr(JorenSyncClient) poller = test_server_pair (server, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSyncChanges) empty = NULL;
  g_autofree char *out = NULL;
  guint n_changes = 0, n_staff = 0;
  LongPoll poll = { poller, 0, NULL, 0 };
  const JorenSyncChange *change;
  GThread *thread;
  gint64 start;

  poll.since = pull_all (client, &n_changes, &n_staff);
  g_assert_cmpuint (n_staff, ==, 3);
  g_assert_cmpuint (n_changes, >, 40);  /* the demo: tax classes, categories, ~60 products */

  /* Nothing new: a short wait answers empty, after the wait. */
  start = g_get_monotonic_time ();
  empty = joren_sync_client_pull (client, poll.since, 10, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->changes->len, ==, 0);
  g_assert_cmpint (empty->cursor, ==, poll.since);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);

  /* A price change from another process wakes a long poll at once. */
  thread = g_thread_new ("long-poll", long_poll_thread, &poll);
  g_usleep (300 * 1000);
  out = test_server_admin (server, "--set-price", "1:999", NULL);
  g_thread_join (thread);
  g_assert_cmpuint (poll.changes->changes->len, ==, 1);
  change = g_ptr_array_index (poll.changes->changes, 0);
  g_assert_cmpstr (change->entity, ==, "product");
  g_assert_cmpint (change->id, ==, 1);
  g_assert_false (change->deleted);
  g_assert_cmpint (joren_sync_get_int (change->data, "price", -1), ==, 999);
  g_assert_cmpint (poll.elapsed, <, 5 * G_USEC_PER_SEC);

  /* A deletion comes as a tombstone without data. */
  g_free (test_server_admin (server, "--delete-product", "2", NULL));
  g_autoptr(JorenSyncChanges) deleted = joren_sync_client_pull (client, poll.changes->cursor, 10, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (deleted->changes->len, ==, 1);
  change = g_ptr_array_index (deleted->changes, 0);
  g_assert_true (change->deleted);
  g_assert_cmpint (change->id, ==, 2);
  g_assert_null (change->data);
  joren_sync_changes_free (poll.changes);
  test_server_free (server);
}

/* Long polls hold no thread: with more waiting pulls than the server's
 * pool has threads, a push is still answered at once. */
static void
test_long_polls_hold_no_thread (void)
{
  TestServer *server = test_server_new (TRUE);
  g_autoptr(JorenSyncClient) client = test_server_pair (server, NULL);
  g_autoptr(GPtrArray) ops = test_make_ops (1, 20);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) pollers = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_client_free);
  LongPoll polls[4];
  GThread *threads[4];
  guint n_staff = 0, n_changes = 0;
  gint64 cursor = pull_all (client, &n_changes, &n_staff);
  gint64 start;

  for (guint i = 0; i < G_N_ELEMENTS (polls); i++)
    {
      polls[i] = (LongPoll) { test_server_pair (server, NULL), cursor, NULL, 0 };
      g_ptr_array_add (pollers, polls[i].client);
      threads[i] = g_thread_new ("long-poll", long_poll_thread, &polls[i]);
    }
  g_usleep (300 * 1000);
  start = g_get_monotonic_time ();
  results = push_ok (client, ops, NULL);
  assert_all_status (results, ops, JOREN_SYNC_APPLIED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* One change wakes them all. */
  g_free (test_server_admin (server, "--set-price", "3:120", NULL));
  for (guint i = 0; i < G_N_ELEMENTS (polls); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (polls[i].changes->changes->len, ==, 1);
      joren_sync_changes_free (polls[i].changes);
    }
  test_server_free (server);
}

/* A listener that accepts and never answers: the client's timeout. */
static void
test_client_errors (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSyncClient) silent = NULL;
  g_autoptr(JorenSyncClient) closed = NULL;
  g_autoptr(GPtrArray) ops = test_make_ops (1, 1);
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  silent = joren_sync_client_new (url);
  joren_sync_client_set_token (silent, "0000000000000000000000000000000000000000000000000000000000000000");
  joren_sync_client_set_timeout (silent, 1);
  results = joren_sync_client_push (silent, ops, NULL, &error);
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNKNOWN_OUTCOME);
  g_assert_null (results);
  g_clear_error (&error);

  /* Nobody listening: nothing was sent. */
  g_socket_listener_close (listener);
  closed = joren_sync_client_new (url);
  results = joren_sync_client_push (closed, ops, NULL, &error);
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_NETWORK);
  g_assert_null (results);
}

static void
pushed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_push_async (void)
{
  TestServer *server = test_server_new (TRUE);
  g_autoptr(JorenSyncClient) client = test_server_pair (server, NULL);
  g_autoptr(GPtrArray) ops = test_make_ops (1, 10);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  joren_sync_client_push_async (client, ops, NULL, pushed_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  results = joren_sync_client_push_finish (client, result, &error);
  g_assert_no_error (error);
  assert_all_status (results, ops, JOREN_SYNC_APPLIED);
  test_server_free (server);
}

typedef struct {
  const char *path;
  const char *content_type;
  const char *body;
  long        status;
  const char *code;
} BadRequest;

static void
check_bad_requests (TestServer *server,
                    const char *token)
{
  static const BadRequest cases[] = {
    { "/v1/ops", "application/json", "{\"ops\":[", 400, "invalid_request" },
    { "/v1/ops", "application/json", "", 400, "invalid_request" },
    { "/v1/ops", "application/json", "[1,2]", 400, "invalid_request" },
    { "/v1/ops", "application/json", "{\"ops\":[]} trailing", 400, "invalid_request" },
    { "/v1/pair", "application/json", "{\"code\":\"A\",\"name\":\"x\"}{}", 400, "invalid_request" },
    { "/v1/ops", "application/json", "{\"ops\":\"x\"}", 400, "invalid_request" },
    { "/v1/ops", "application/json", "{\"ops\":[],\"extra\":1}", 400, "invalid_request" },
    { "/v1/ops", "application/json", "{\"ops\":[]}", 400, "invalid_request" },
    { "/v1/ops", "application/json", "{\"ops\":[{\"op_id\":\"x\"}]}", 400, "invalid_request" },
    { "/v1/ops", "application/json",
      "{\"ops\":[{\"kind\":\"sale\",\"op_id\":\"0b5c5e2e-3a4b-4c47-9b1d-6f1e1f0a7c11\",\"payload\":{},"
      "\"payload_hash\":\"x\",\"seq\":\"1\"}]}", 400, "invalid_request" },
    { "/v1/ops", "application/json",
      "{\"ops\":[{\"kind\":\"sale\",\"op_id\":\"0b5c5e2e-3a4b-4c47-9b1d-6f1e1f0a7c11\",\"payload\":{\"a\":1.5},"
      "\"payload_hash\":\"x\",\"seq\":1}]}", 400, "invalid_request" },
    { "/v1/ops", "application/json",
      "{\"ops\":[{\"kind\":\"sale\",\"op_id\":\"0b5c5e2e-3a4b-4c47-9b1d-6f1e1f0a7c11\",\"payload\":{},"
      "\"payload_hash\":\"00\",\"seq\":1,\"color\":1}]}", 400, "invalid_request" },
    { "/v1/ops", "text/plain", "{\"ops\":[]}", 415, "unsupported_media_type" },
    { "/v1/ops", NULL, NULL, 405, "method_not_allowed" },
    { "/v1/pair", "application/json", "{\"code\":1,\"name\":\"x\"}", 400, "invalid_request" },
    { "/v1/pair", "application/json", "{\"code\":\"ABC\",\"name\":\"\"}", 400, "invalid_request" },
    { "/v1/changes?since=abc", NULL, NULL, 400, "invalid_request" },
    { "/v1/changes?limit=0", NULL, NULL, 400, "invalid_request" },
    { "/v1/changes?wait=600", NULL, NULL, 400, "invalid_request" },
    { "/v1/changes?color=red", NULL, NULL, 400, "invalid_request" },
    { "/v1/nothing", NULL, NULL, 404, "not_found" },
    { "/", NULL, NULL, 404, "not_found" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const BadRequest *bad = &cases[i];
      TestReply reply = test_raw_request (server->base_url, bad->path, token, bad->content_type,
                                          bad->body, bad->body ? strlen (bad->body) : 0);

      g_test_message ("case %u: %s %s", i, bad->path, bad->body ? bad->body : "(GET)");
      g_assert_cmpstr (test_reply_error_code (&reply, bad->status), ==, bad->code);
      test_reply_clear (&reply);
    }
}

static void
check_auth_failures (TestServer *server)
{
  static const char *const tokens[] = {
    NULL, "", "nonsense",
    "0000000000000000000000000000000000000000000000000000000000000000",
  };
  const char *paths[] = { "/v1/ops", "/v1/changes", "/v1/register" };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    for (guint j = 0; j < G_N_ELEMENTS (paths); j++)
      {
        gboolean post = j == 0;
        TestReply reply = test_raw_request (server->base_url, paths[j], tokens[i],
                                            post ? "application/json" : NULL,
                                            post ? "{\"ops\":[]}" : NULL, post ? 10 : 0);

        g_assert_cmpstr (test_reply_error_code (&reply, 401), ==, "unauthorized");
        test_reply_clear (&reply);
      }
}

static void
check_huge_body (TestServer *server,
                 const char *token)
{
  gsize size = 9 * 1024 * 1024;
  g_autofree char *huge = g_malloc (size);
  TestReply reply;

  memset (huge, ' ', size);
  huge[0] = '{';
  reply = test_raw_request (server->base_url, "/v1/ops", token, "application/json", huge, size);
  g_assert_cmpstr (test_reply_error_code (&reply, 413), ==, "too_large");
  test_reply_clear (&reply);
}

static void
test_bad_input (void)
{
  TestServer *server = test_server_new (TRUE);
  g_autoptr(JorenSyncClient) client = test_server_pair (server, NULL);
  const char *token = joren_sync_client_get_token (client);
  g_autoptr(GPtrArray) ops = test_make_ops (1, 5);
  g_autoptr(GPtrArray) results = NULL;
  TestReply health;

  check_bad_requests (server, token);
  check_auth_failures (server);
  check_huge_body (server, token);

  /* Still up, nothing applied by the bad requests, and a good push works. */
  health = test_raw_request (server->base_url, "/v1/health", NULL, NULL, NULL, 0);
  g_assert_cmpint (health.status, ==, 200);
  test_reply_clear (&health);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_INBOX), ==, 0);
  results = push_ok (client, ops, NULL);
  assert_all_status (results, ops, JOREN_SYNC_APPLIED);
  test_server_free (server);
}

/* Random damage to a valid batch (g_test's seeded random: reproducible
 * with --seed): every answer is a 200 or a 4xx with a JSON error, never
 * a 5xx or a dropped connection, and the server answers afterwards. */
static void
test_fuzz (void)
{
  TestServer *server = test_server_new (TRUE);
  g_autoptr(JorenSyncClient) client = test_server_pair (server, NULL);
  g_autoptr(GPtrArray) ops = test_make_ops (1, 3);
  g_autofree char *valid = joren_sync_encode_ops (ops);
  gsize length = strlen (valid);
  TestReply health;

  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *body = g_strdup (valid);
      guint n_flips = (guint) g_test_rand_int_range (1, 8);
      TestReply reply;

      for (guint j = 0; j < n_flips; j++)
        body[g_test_rand_int_range (0, (gint32) length)] = (char) g_test_rand_int_range (1, 256);
      reply = test_raw_request (server->base_url, i % 2 ? "/v1/ops" : "/v1/pair",
                                joren_sync_client_get_token (client), "application/json",
                                body, length);
      if (reply.status != 200)
        {
          g_test_message ("request %u answered %ld", i, reply.status);
          g_assert_cmpint (reply.status, <, 500);
          test_reply_error_code (&reply, reply.status);
        }
      test_reply_clear (&reply);
    }
  health = test_raw_request (server->base_url, "/v1/health", NULL, NULL, NULL, 0);
  g_assert_cmpint (health.status, ==, 200);
  test_reply_clear (&health);
  test_server_free (server);
}

/* ---- kill -9 mid-push ---- */

#define CRASH_OPS 6000
#define CRASH_BATCH 200

typedef struct {
  JorenSyncClient *client;
  GPtrArray       *ops;
  guint            batches_done;
  gboolean         failed;
} PushAll;

static gpointer
push_all_thread (gpointer data)
{
  PushAll *push = data;

  for (guint from = 0; from < push->ops->len; from += CRASH_BATCH)
    {
      g_autoptr(GPtrArray) batch = test_slice_ops (push->ops, from, CRASH_BATCH);
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(GError) error = NULL;

      results = joren_sync_client_push (push->client, batch, NULL, &error);
      if (results == NULL)
        {
          g_assert_true (g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNKNOWN_OUTCOME)
                         || g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_NETWORK));
          push->failed = TRUE;
          return NULL;
        }
      g_atomic_int_inc (&push->batches_done);
    }
  return NULL;
}

/* Re-pushes everything; every op must end applied exactly once. */
static void
push_everything_again (JorenSyncClient *client,
                       GPtrArray       *ops,
                       guint           *n_applied,
                       guint           *n_duplicate)
{
  for (guint from = 0; from < ops->len; from += CRASH_BATCH)
    {
      g_autoptr(GPtrArray) batch = test_slice_ops (ops, from, CRASH_BATCH);
      g_autoptr(GPtrArray) results = push_ok (client, batch, NULL);

      for (guint i = 0; i < results->len; i++)
        {
          const JorenSyncResult *result = g_ptr_array_index (results, i);

          g_assert_cmpint (result->status, !=, JOREN_SYNC_REJECTED);
          *(result->status == JOREN_SYNC_APPLIED ? n_applied : n_duplicate) += 1;
        }
    }
}

static void
test_kill_restart (void)
{
  TestServer *server = test_server_new (TRUE);
  g_autoptr(JorenSyncClient) client = test_server_pair (server, NULL);
  g_autoptr(GPtrArray) ops = test_make_ops (1, CRASH_OPS);
  g_autoptr(JorenSyncClient) again = NULL;
  PushAll push = { client, ops, 0, FALSE };
  guint n_applied = 0, n_duplicate = 0;
  gint64 before_restart;
  GThread *thread;

  thread = g_thread_new ("push", push_all_thread, &push);
  while (g_atomic_int_get (&push.batches_done) < 3)
    g_usleep (1000);
  test_server_kill (server);
  g_thread_join (thread);
  g_test_message ("killed after %u of %u batches (client saw the cut: %d)",
                  push.batches_done, CRASH_OPS / CRASH_BATCH, push.failed);

  /* What survived is a prefix of the sequence, with all its lines. */
  before_restart = count_rows (server, JOREN_SERVER_TABLE_SALES);
  g_assert_cmpint (before_restart, >=, 3 * CRASH_BATCH);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_SALE_LINES), ==, 3 * before_restart);

  test_server_start (server);
  again = joren_sync_client_new (server->base_url);
  joren_sync_client_set_token (again, joren_sync_client_get_token (client));
  push_everything_again (again, ops, &n_applied, &n_duplicate);
  g_assert_cmpuint (n_applied + n_duplicate, ==, CRASH_OPS);
  g_assert_cmpint (n_duplicate, ==, before_restart);

  /* Replaying every request once more changes nothing. */
  n_applied = n_duplicate = 0;
  push_everything_again (again, ops, &n_applied, &n_duplicate);
  g_assert_cmpuint (n_applied, ==, 0);
  g_assert_cmpuint (n_duplicate, ==, CRASH_OPS);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_SALES), ==, CRASH_OPS);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_SALE_LINES), ==, 3 * CRASH_OPS);
  g_assert_cmpint (count_rows (server, JOREN_SERVER_TABLE_INBOX), ==, CRASH_OPS);
  test_server_free (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/sync/server/pairing", test_pairing);
  g_test_add_func ("/joren/sync/server/pairing-expiry", test_pairing_expiry);
  g_test_add_func ("/joren/sync/server/push-replay", test_push_replay);
  g_test_add_func ("/joren/sync/server/push-conflicts", test_push_conflicts);
  g_test_add_func ("/joren/sync/server/revoke", test_revoke);
  g_test_add_func ("/joren/sync/server/pull", test_pull);
  g_test_add_func ("/joren/sync/server/long-polls-hold-no-thread", test_long_polls_hold_no_thread);
  g_test_add_func ("/joren/sync/server/client-errors", test_client_errors);
  g_test_add_func ("/joren/sync/server/push-async", test_push_async);
  g_test_add_func ("/joren/sync/server/bad-input", test_bad_input);
  g_test_add_func ("/joren/sync/server/fuzz", test_fuzz);
  g_test_add_func ("/joren/sync/server/kill-restart", test_kill_restart);
  return g_test_run ();
}
