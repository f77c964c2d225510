/* test-sync-holds.c: shared balances against the real joren-server on
 * loopback. A voucher sold on register A reaches the server through A's
 * outbox (its ledger row becomes a "value" op); then two registers hold
 * it at the same moment from two threads and exactly one wins, the same
 * for an e-coupon code; an unused hold expires and frees the balance; a
 * capture sent twice changes nothing; the offline policy refuses, or
 * allows within its caps; an offline redemption that overdraws is
 * recorded by the server, not dropped. */
#include "config.h"

#include <string.h>

#include "joren-outbox.h"
#include "joren-sale-db.h"
#include "joren-server-value.h"
#include "joren-test-utils.h"
#include "joren-value-offline.h"
#include "joren-value-remote.h"
#include "test-sync-common.h"

typedef struct {
  TestServer      *server;
  JorenDb         *db[2];
  JorenSyncClient *client[2];
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_new (TRUE);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id_text = NULL;
      gint64 register_id = 0;

      fixture->db[i] = joren_test_open_demo_db ("jp");
      fixture->client[i] = test_server_pair (fixture->server, &register_id);
      id_text = g_strdup_printf ("%" G_GINT64_FORMAT, register_id);
      joren_db_set_setting (fixture->db[i], "sync.register_id", id_text, &error);
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&fixture->client[i], joren_sync_client_free);
      g_clear_object (&fixture->db[i]);
    }
  test_server_free (fixture->server);
}

/* Sends the register's whole outbox, as the sync worker would. */
static void
push_outbox (Fixture *fixture,
             guint    index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_op_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autofree JorenOutboxResult *settled = NULL;

  joren_outbox_flush_now (fixture->db[index], &error);
  g_assert_no_error (error);
  rows = joren_outbox_list (fixture->db[index], 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      JorenOutboxOp *row = g_ptr_array_index (rows, i);

      g_ptr_array_add (ops, joren_sync_op_new (row->op_id, row->seq, row->kind,
                                               cJSON_Parse (row->payload), &error));
      g_assert_no_error (error);
    }
  results = joren_sync_client_push (fixture->client[index], ops, NULL, &error);
  g_assert_no_error (error);
  settled = g_new0 (JorenOutboxResult, results->len);
  for (guint i = 0; i < results->len; i++)
    {
      JorenSyncResult *result = g_ptr_array_index (results, i);

      g_assert_cmpstr (result->reason, ==, NULL);
      g_assert_cmpint (result->status, ==, JOREN_SYNC_APPLIED);
      settled[i].op_id = result->op_id;
    }
  joren_outbox_settle (fixture->db[index], settled, results->len, &error);
  g_assert_no_error (error);
}

/* Register A sells a gift voucher of amount for cash and pushes it. */
static char *
sell_voucher (Fixture *fixture,
              gint64   amount)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) sale = joren_test_new_sale (fixture->db[0], 0);

  joren_value_add_issue_line (fixture->db[0], sale, JOREN_VALUE_GIFT, NULL, amount, 0, &error);
  g_assert_no_error (error);
  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (fixture->db[0], sale, 0, &error);
  g_assert_no_error (error);
  push_outbox (fixture, 0);
  return g_strdup (joren_sale_get_line (sale, 0)->reference);
}

static JorenValueRemote *
new_remote (Fixture    *fixture,
            guint       index,
            const char *base_url)
{
  JorenValueRemote *remote = joren_value_remote_new (fixture->db[index],
                                                     base_url != NULL ? base_url : fixture->server->base_url,
                                                     joren_sync_client_get_token (fixture->client[index]));

  joren_value_remote_set_timing (remote, 2, 60);
  return remote;
}

static gint64
server_available (Fixture    *fixture,
                  const char *number)
{
  g_autoptr(JorenServerDb) db = test_server_open_db (fixture->server);
  g_autoptr(cJSON) json = joren_server_value_account_json (db, number);

  g_assert_nonnull (json);
  return joren_json_get_int (json, "available", -1);
}

/* ---- two registers at the same moment ---- */

typedef struct {
  JorenValueRemote *remote;
  const char       *number;   /* a voucher, or NULL: claim coupon */
  const char       *coupon;
  gint64            amount;
  GMutex           *lock;
  GCond            *cond;
  gboolean         *go;
  char             *hold_id;
  GError           *error;
} Racer;

static gpointer
race_thread (gpointer data)
{
  Racer *racer = data;
  g_autofree char *sale_uuid = g_uuid_string_random ();

  g_mutex_lock (racer->lock);
  while (!*racer->go)
    g_cond_wait (racer->cond, racer->lock);
  g_mutex_unlock (racer->lock);
  if (racer->number != NULL)
    racer->hold_id = joren_value_authority_authorise (JOREN_VALUE_AUTHORITY (racer->remote),
                                                      racer->number, racer->amount, sale_uuid,
                                                      &racer->error);
  else
    racer->hold_id = joren_value_remote_claim_coupon (racer->remote, racer->coupon, sale_uuid,
                                                      &racer->error);
  return NULL;
}

/* Both start on one signal; returns how many won. */
static guint
race (Fixture    *fixture,
      const char *number,
      const char *coupon,
      gint64      amount)
{
  g_autoptr(JorenValueRemote) remote0 = new_remote (fixture, 0, NULL);
  g_autoptr(JorenValueRemote) remote1 = new_remote (fixture, 1, NULL);
  GMutex lock;
  GCond cond;
  gboolean go = FALSE;
  Racer racers[2] = {
    { remote0, number, coupon, amount, &lock, &cond, &go, NULL, NULL },
    { remote1, number, coupon, amount, &lock, &cond, &go, NULL, NULL },
  };
  GThread *threads[2];
  guint won = 0;

  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("racer", race_thread, &racers[i]);
  g_mutex_lock (&lock);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      if (racers[i].hold_id != NULL)
        won++;
      else
        g_assert_error (racers[i].error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
      g_clear_error (&racers[i].error);
      g_free (racers[i].hold_id);
    }
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
  return won;
}

static void
test_voucher_race (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, 3000);

  g_assert_cmpint (server_available (fixture, number), ==, 3000);
  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *fresh = round == 0 ? g_strdup (number) : sell_voucher (fixture, 3000);

      g_assert_cmpuint (race (fixture, fresh, NULL, 2000), ==, 1);
      g_assert_cmpint (server_available (fixture, fresh), ==, 1000);
    }
}

static void
test_coupon_race (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *code = g_strdup_printf ("EC-RACE-%u", round);

      g_assert_cmpuint (race (fixture, NULL, code, 0), ==, 1);
    }
}

/* ---- expiry and replays ---- */

static void
test_hold_expires (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, 1000);
  g_autoptr(JorenValueRemote) remote = new_remote (fixture, 1, NULL);
  JorenValueAuthority *authority = JOREN_VALUE_AUTHORITY (remote);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  joren_value_remote_set_timing (remote, 2, 1);
  first = joren_value_authority_authorise (authority, number, 1000, "sale-a", &error);
  g_assert_no_error (error);
  second = joren_value_authority_authorise (authority, number, 1, "sale-b", &error);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_null (second);
  g_clear_error (&error);
  g_assert_cmpint (server_available (fixture, number), ==, 0);
  g_usleep (1200 * 1000);
  g_assert_cmpint (server_available (fixture, number), ==, 1000);
  third = joren_value_authority_authorise (authority, number, 1000, "sale-c", &error);
  g_assert_no_error (error);
  g_assert_nonnull (third);
  /* The expired hold cannot be captured any more. */
  g_assert_false (joren_value_authority_capture (authority, first, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
}

static char *
hold_body (const char *number,
           gint64      amount)
{
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *sale = g_uuid_string_random ();

  return g_strdup_printf ("{\"op_id\":\"%s\",\"number\":\"%s\",\"amount\":%" G_GINT64_FORMAT
                          ",\"sale_uuid\":\"%s\"}", op_id, number, amount, sale);
}

static TestReply
post (Fixture    *fixture,
      const char *path,
      const char *body)
{
  return test_raw_request (fixture->server->base_url, path,
                           joren_sync_client_get_token (fixture->client[1]),
                           "application/json", body, strlen (body));
}

static void
test_capture_replay (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, 5000);
  g_autofree char *body = hold_body (number, 1200);
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *capture = g_strdup_printf ("{\"op_id\":\"%s\"}", op_id);
  g_autofree char *other = NULL;
  g_autofree char *path = NULL;
  g_autofree char *void_path = NULL;
  TestReply reply = post (fixture, "/v1/holds", body);
  TestReply again;

  g_assert_cmpint (reply.status, ==, 201);
  path = g_strdup_printf ("/v1/holds/%s/capture", joren_json_get_string (reply.json, "hold_id"));
  void_path = g_strdup_printf ("/v1/holds/%s/void", joren_json_get_string (reply.json, "hold_id"));
  test_reply_clear (&reply);
  /* The hold request itself repeats to the same hold. */
  again = post (fixture, "/v1/holds", body);
  g_assert_cmpint (again.status, ==, 200);
  test_reply_clear (&again);
  for (guint i = 0; i < 3; i++)
    {
      reply = post (fixture, path, capture);
      g_assert_cmpint (reply.status, ==, 200);
      g_assert_cmpstr (joren_json_get_string (reply.json, "state"), ==, "captured");
      test_reply_clear (&reply);
      g_assert_cmpint (server_available (fixture, number), ==, 5000 - 1200);
    }
  other = g_strdup_printf ("{\"op_id\":\"%s\"}", g_uuid_string_random ());
  reply = post (fixture, void_path, other);
  g_assert_cmpstr (test_reply_error_code (&reply, 409), ==, "hold_finished");
  test_reply_clear (&reply);
  g_assert_cmpint (server_available (fixture, number), ==, 5000 - 1200);
}

/* ---- offline ---- */

static void
set_setting (JorenDb    *db,
             const char *key,
             const char *value)
{
  g_autoptr(GError) error = NULL;

  joren_db_set_setting (db, key, value, &error);
  g_assert_no_error (error);
}

static void
test_offline_policy (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, 2000);
  /* Nothing listens on port 1: the server is out of reach. */
  g_autoptr(JorenValueRemote) remote = new_remote (fixture, 0, "http://127.0.0.1:1");
  JorenValueAuthority *authority = JOREN_VALUE_AUTHORITY (remote);
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *over = NULL;
  g_autofree char *taken = NULL;

  refused = joren_value_authority_authorise (authority, number, 500, "sale-1", &error);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_null (refused);
  g_assert_true (joren_value_remote_is_offline (remote));
  g_clear_error (&error);

  set_setting (fixture->db[0], "value.offline_policy", "allow");
  set_setting (fixture->db[0], "value.offline_max_per_sale", "800");
  over = joren_value_authority_authorise (authority, number, 900, "sale-2", &error);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  taken = joren_value_authority_authorise (authority, number, 700, "sale-2", &error);
  g_assert_no_error (error);
  g_assert_nonnull (taken);
  g_assert_cmpint (joren_value_offline_count (fixture->db[0]), ==, 1);
  /* The per-sale cap counts what the sale already took offline. */
  g_assert_null (joren_value_authority_authorise (authority, number, 200, "sale-2", &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
}

/* Register A, offline, redeems what register B already spent online:
 * the pushed entry is applied (a fact) and the overdraft recorded. */
static void
test_offline_overdraft_recorded (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, 1000);
  g_autoptr(JorenValueRemote) online = new_remote (fixture, 1, NULL);
  g_autoptr(JorenValueRemote) offline = new_remote (fixture, 0, "http://127.0.0.1:1");
  g_autoptr(JorenSale) sale = joren_test_new_sale (fixture->db[0], 1);
  g_autoptr(JorenServerDb) server_db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hold = NULL;

  hold = joren_value_authority_authorise (JOREN_VALUE_AUTHORITY (online), number, 1000, "b-sale", &error);
  g_assert_no_error (error);
  joren_value_authority_capture (JOREN_VALUE_AUTHORITY (online), hold, &error);
  g_assert_no_error (error);
  set_setting (fixture->db[0], "value.offline_policy", "allow");
  joren_value_add_voucher_tender (JOREN_VALUE_AUTHORITY (offline), sale, number, 0, NULL, &error);
  g_assert_no_error (error);
  if (joren_sale_get_due (sale) > 0)
    joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (fixture->db[0], sale, 0, &error);
  g_assert_no_error (error);
  push_outbox (fixture, 0);
  server_db = test_server_open_db (fixture->server);
  g_assert_cmpint (joren_server_value_count_conflicts (server_db), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/joren/sync/holds/voucher-race", Fixture, NULL,
              fixture_set_up, test_voucher_race, fixture_tear_down);
  g_test_add ("/joren/sync/holds/coupon-race", Fixture, NULL,
              fixture_set_up, test_coupon_race, fixture_tear_down);
  g_test_add ("/joren/sync/holds/expires", Fixture, NULL,
              fixture_set_up, test_hold_expires, fixture_tear_down);
  g_test_add ("/joren/sync/holds/capture-replay", Fixture, NULL,
              fixture_set_up, test_capture_replay, fixture_tear_down);
  g_test_add ("/joren/sync/holds/offline-policy", Fixture, NULL,
              fixture_set_up, test_offline_policy, fixture_tear_down);
  g_test_add ("/joren/sync/holds/offline-overdraft", Fixture, NULL,
              fixture_set_up, test_offline_overdraft_recorded, fixture_tear_down);
  return g_test_run ();
}
