/* test-sync-holds.c: shared balances against the real joren-server on
 * loopback. A voucher sold on register A reaches the server through A's
 * outbox (its ledger row becomes a "value" op); then two registers hold
 * it at the same moment from two threads and exactly one wins, the same
 * for an e-coupon code; an unused hold expires and frees the balance; a
 * capture sent twice changes nothing; the offline policy refuses, or
 * allows within its caps; an offline redemption that overdraws is
 * recorded by the server, not dropped, and listed for the owner. An
 * e-coupon applied at one till is claimed there, so a second till is
 * refused; a register whose copy of a voucher missed a top-up still
 * commits what the server held. */
#include "config.h"

#include <string.h>

#include "joren-coupon.h"
#include "joren-db-private.h"
#include "joren-outbox.h"
#include "joren-replica.h"
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

/* Pulls the changes feed to the end, as the sync worker would. */
static void
pull_all (Fixture *fixture,
          guint    index)
{
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JorenSyncChanges) page = NULL;
      g_autofree JorenReplicaChange *changes = NULL;

      page = joren_sync_client_pull (fixture->client[index],
                                     joren_replica_get_cursor (fixture->db[index]), 500, 0, &error);
      g_assert_no_error (error);
      changes = g_new0 (JorenReplicaChange, page->changes->len + 1);
      for (guint i = 0; i < page->changes->len; i++)
        {
          const JorenSyncChange *change = g_ptr_array_index (page->changes, i);

          changes[i] = (JorenReplicaChange) { change->entity, change->id, change->data };
        }
      joren_replica_apply (fixture->db[index], changes, page->changes->len, page->cursor, &error);
      g_assert_no_error (error);
      more = page->more;
    }
}

static gint64
local_balance (JorenDb    *db,
               const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenValueAccount) account = joren_value_lookup (db, number, &error);

  g_assert_no_error (error);
  return account->balance;
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

/* The same campaign on both registers, and one code that both know. */
static char *
issue_shared_code (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *sql = NULL;
  gint64 campaign_id[2];

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JorenCouponCampaign) campaign = joren_coupon_campaign_new ("¥100 off",
                                                                          JOREN_COUPON_AMOUNT, 100);

      joren_coupon_campaign_add (fixture->db[i], campaign, &error);
      g_assert_no_error (error);
      campaign_id[i] = campaign->id;
    }
  codes = joren_coupon_issue (fixture->db[0], campaign_id[0], 0, 1, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("INSERT INTO coupon_codes (code, campaign_id, issued_at)"
                         " VALUES ('%s', %" G_GINT64_FORMAT ", 0)",
                         (char *) g_ptr_array_index (codes, 0), campaign_id[1]);
  g_assert_cmpint (sqlite3_exec (joren_db_get_handle (fixture->db[1]), sql, NULL, NULL, NULL),
                   ==, SQLITE_OK);
  return g_strdup (g_ptr_array_index (codes, 0));
}

/* Applies code to sale through remote; NULL when it took, else the
 * cashier's message. */
static char *
apply_coupon (JorenValueRemote *remote,
              JorenDb          *db,
              JorenSale        *sale,
              const char       *code)
{
  g_autoptr(GError) error = NULL;

  if (joren_value_apply_coupon (JOREN_VALUE_AUTHORITY (remote), db, sale, code, &error))
    {
      g_assert_cmpstr (joren_sale_get_coupon_code (sale), ==, code);
      return NULL;
    }
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_null (joren_sale_get_coupon_code (sale));
  g_assert_cmpint (joren_coupon_get_discount (sale), ==, 0);
  return g_strdup (error->message);
}

static void
test_coupon_two_tills (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *code = issue_shared_code (fixture);
  g_autoptr(JorenValueRemote) a = new_remote (fixture, 0, NULL);
  g_autoptr(JorenValueRemote) b = new_remote (fixture, 1, NULL);
  g_autoptr(JorenValueRemote) a_offline = new_remote (fixture, 0, "http://127.0.0.1:1");
  g_autoptr(JorenSale) sale_a = joren_test_new_sale (fixture->db[0], 2);
  g_autoptr(JorenSale) sale_b = joren_test_new_sale (fixture->db[1], 2);
  g_autoptr(JorenSale) again_a = joren_test_new_sale (fixture->db[0], 2);
  g_autoptr(JorenSale) offline_a = joren_test_new_sale (fixture->db[0], 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *used = NULL;
  g_autofree char *offline = NULL;

  g_assert_null (apply_coupon (a, fixture->db[0], sale_a, code));
  /* Leaving the tender page releases voucher holds, not the coupon. */
  joren_value_release_sale (JOREN_VALUE_AUTHORITY (a), sale_a, &error);
  g_assert_no_error (error);
  refused = apply_coupon (b, fixture->db[1], sale_b, code);
  g_assert_nonnull (refused);
  g_assert_nonnull (strstr (refused, "another register"));
  /* Taken off A's sale, the code is free for B at once. */
  joren_value_remove_coupon (JOREN_VALUE_AUTHORITY (a), sale_a);
  g_assert_null (apply_coupon (b, fixture->db[1], sale_b, code));
  joren_test_pay_cash (sale_b, 0);
  joren_db_commit_sale (fixture->db[1], sale_b, 0, &error);
  g_assert_no_error (error);
  joren_value_capture_sale (JOREN_VALUE_AUTHORITY (b), sale_b, &error);
  g_assert_no_error (error);
  push_outbox (fixture, 1);
  used = apply_coupon (a, fixture->db[0], again_a, code);
  g_assert_nonnull (used);
  g_assert_cmpstr (used, !=, refused);
  /* Offline, the default policy refuses coupons like vouchers. */
  offline = apply_coupon (a_offline, fixture->db[0], offline_a, code);
  g_assert_nonnull (offline);
  g_assert_nonnull (strstr (offline, "cannot be reached"));
}

/* B's copy of the voucher missed A's top-up; the server, which has it,
 * holds more than B's balance, and B's commit trusts that hold. */
static void
test_stale_balance_trusts_server (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, 1000);
  g_autoptr(JorenSale) topup = joren_test_new_sale (fixture->db[0], 0);
  g_autoptr(JorenSale) spend = joren_test_new_sale (fixture->db[1], 6);
  g_autoptr(JorenValueRemote) b = new_remote (fixture, 1, NULL);
  g_autoptr(GError) error = NULL;
  gint64 taken = 0;

  pull_all (fixture, 1);
  g_assert_cmpint (local_balance (fixture->db[1], number), ==, 1000);
  joren_value_add_issue_line (fixture->db[0], topup, JOREN_VALUE_GIFT, number, 2000, 0, &error);
  g_assert_no_error (error);
  joren_test_pay_cash (topup, 0);
  joren_db_commit_sale (fixture->db[0], topup, 0, &error);
  g_assert_no_error (error);
  push_outbox (fixture, 0);

  g_assert_cmpint (joren_sale_get_due (spend), >, 1500);
  joren_value_add_voucher_tender (JOREN_VALUE_AUTHORITY (b), spend, number, 1500, &taken, &error);
  g_assert_no_error (error);
  joren_test_pay_cash (spend, 0);
  joren_db_commit_sale (fixture->db[1], spend, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (local_balance (fixture->db[1], number), ==, 1000 - 1500);
  push_outbox (fixture, 1);
  pull_all (fixture, 0);
  pull_all (fixture, 1);
  g_assert_cmpint (local_balance (fixture->db[0], number), ==, 1500);
  g_assert_cmpint (local_balance (fixture->db[1], number), ==, 1500);
  g_assert_cmpint (server_available (fixture, number), ==, 1500);
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

/* `joren-server --list-conflicts`: a header and the one overdraft, with
 * the voucher, the amount overdrawn (all A took: B had captured the
 * whole balance), A (whose offline op it was) and B. */
static void
check_listed_conflict (Fixture    *fixture,
                       const char *number,
                       gint64      amount)
{
  g_autofree char *amount_text = g_strdup_printf ("%" G_GINT64_FORMAT, amount);
  g_autofree char *table = test_server_admin (fixture->server, "--list-conflicts", NULL);
  g_auto(GStrv) rows = g_strsplit (table, "\n", -1);
  g_auto(GStrv) cells = NULL;
  g_autofree char *a = g_strdup_printf ("#%" G_GINT64_FORMAT " (offline)",
                                        joren_outbox_get_register_id (fixture->db[0]));
  g_autofree char *b = g_strdup_printf ("#%" G_GINT64_FORMAT,
                                        joren_outbox_get_register_id (fixture->db[1]));

  g_assert_cmpuint (g_strv_length (rows), ==, 2);
  g_assert_true (g_str_has_prefix (rows[0], "time\t"));
  cells = g_strsplit (rows[1], "\t", -1);
  g_assert_cmpuint (g_strv_length (cells), ==, 6);
  g_assert_cmpstr (cells[1], ==, "overdraft");
  g_assert_cmpstr (cells[2], ==, number);
  g_assert_cmpstr (cells[3], ==, amount_text);
  g_assert_true (g_str_has_suffix (cells[4], a));
  g_assert_true (g_str_has_suffix (cells[5], b));
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
  gint64 taken = 0;

  hold = joren_value_authority_authorise (JOREN_VALUE_AUTHORITY (online), number, 1000, "b-sale", &error);
  g_assert_no_error (error);
  joren_value_authority_capture (JOREN_VALUE_AUTHORITY (online), hold, &error);
  g_assert_no_error (error);
  set_setting (fixture->db[0], "value.offline_policy", "allow");
  joren_value_add_voucher_tender (JOREN_VALUE_AUTHORITY (offline), sale, number, 0, &taken, &error);
  g_assert_no_error (error);
  if (joren_sale_get_due (sale) > 0)
    joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (fixture->db[0], sale, 0, &error);
  g_assert_no_error (error);
  push_outbox (fixture, 0);
  server_db = test_server_open_db (fixture->server);
  g_assert_cmpint (joren_server_value_count_conflicts (server_db), ==, 1);
  check_listed_conflict (fixture, number, taken);
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
  g_test_add ("/joren/sync/holds/coupon-two-tills", Fixture, NULL,
              fixture_set_up, test_coupon_two_tills, fixture_tear_down);
  g_test_add ("/joren/sync/holds/stale-balance", Fixture, NULL,
              fixture_set_up, test_stale_balance_trusts_server, fixture_tear_down);
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
