/* test-sync-holds.c: shared balances against the real joren-server on
 * loopback. A voucher sold on register A reaches the server through A's
 * outbox (its ledger row becomes a "value" op); then two registers hold
 * it at the same moment from two threads and exactly one wins, the same
 * for an e-coupon code; an unused hold expires and frees the balance; a
 * capture sent twice changes nothing; the offline policy refuses, or
 * allows within its caps; an offline redemption that overdraws is
 * recorded by the server, not dropped, and listed for the owner. An
 * e-coupon applied at one till is claimed there, so a second till is
 * refused; a code issued at one store (its campaign and codes pushed and
 * pulled) is redeemed at another and refused afterwards where it was
 * issued; a register whose copy of a voucher missed a top-up still
 * commits what the server held. */
#include "config.h"

#include <string.h>

#include "joren-coupon.h"
#include "joren-customer.h"
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
 * cashier's message: the server's refusal, or the till's own check. */
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
  if (error->domain != JOREN_COUPON_ERROR)
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

/* ---- coupons across stores ---- */

static gint64
add_campaign (JorenDb    *db,
              const char *name,
              gint64      amount)
{
  g_autoptr(JorenCouponCampaign) campaign = joren_coupon_campaign_new (name, JOREN_COUPON_AMOUNT, amount);
  g_autoptr(GError) error = NULL;

  joren_coupon_campaign_add (db, campaign, &error);
  g_assert_no_error (error);
  return campaign->id;
}

static GPtrArray *
issue (JorenDb *db,
       gint64   campaign_id,
       guint    n)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *codes = joren_coupon_issue (db, campaign_id, 0, n, &error);

  g_assert_no_error (error);
  return codes;
}

/* The local campaign a code belongs to, or NULL when the register does
 * not know the code. */
static JorenCouponCampaign *
campaign_of_code (JorenDb    *db,
                  const char *code)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce ((SELECT campaign_id FROM coupon_codes"
                                          " WHERE code = '%s'), 0)", code);
  gint64 id = joren_test_query_int (db, sql);

  return id != 0 ? joren_coupon_campaign_load (db, id, NULL) : NULL;
}

static void
set_active (JorenDb  *db,
            gint64    campaign_id,
            gboolean  active)
{
  g_autoptr(GError) error = NULL;

  joren_coupon_campaign_set_active (db, campaign_id, active, &error);
  g_assert_no_error (error);
}

/* A code issued at store A is unknown at B until sync brings the
 * campaign and its codes; then B redeems it (the campaign's terms, read
 * from A's campaign) and A, which issued it, is refused afterwards. B
 * sees A's campaign read-only and follows A stopping it; codes B issues
 * for A's campaign reach A. */
static void
test_coupon_cross_store (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(JorenValueRemote) a = new_remote (fixture, 0, NULL);
  g_autoptr(JorenValueRemote) b = new_remote (fixture, 1, NULL);
  g_autoptr(JorenSale) sale_b = joren_test_new_sale (fixture->db[1], 2);
  g_autoptr(JorenSale) sale_a = joren_test_new_sale (fixture->db[0], 2);
  g_autoptr(JorenSale) later_b = joren_test_new_sale (fixture->db[1], 2);
  g_autoptr(JorenCouponCampaign) seen_by_b = NULL;
  g_autoptr(JorenCouponCampaign) seen_by_a = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GPtrArray) codes_b = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *used = NULL;
  g_autofree char *stopped = NULL;
  gint64 campaign_id = add_campaign (fixture->db[0], "Spring ¥300", 300);
  const char *code;

  codes = issue (fixture->db[0], campaign_id, 3);
  code = g_ptr_array_index (codes, 0);
  unknown = apply_coupon (b, fixture->db[1], sale_b, code);
  g_assert_nonnull (strstr (unknown, "not known here"));
  /* Stopped and started again after its codes were pushed: the feed
   * keeps the campaign's newest change only, after the codes. */
  push_outbox (fixture, 0);
  set_active (fixture->db[0], campaign_id, FALSE);
  set_active (fixture->db[0], campaign_id, TRUE);
  push_outbox (fixture, 0);
  pull_all (fixture, 1);

  seen_by_b = campaign_of_code (fixture->db[1], code);
  g_assert_nonnull (seen_by_b);
  g_assert_cmpstr (seen_by_b->name, ==, "Spring ¥300");
  g_assert_cmpint (seen_by_b->value, ==, 300);
  g_assert_true (seen_by_b->active);
  g_assert_cmpuint (seen_by_b->n_issued, ==, 3);
  g_assert_cmpint (seen_by_b->owner_register, ==, joren_outbox_get_register_id (fixture->db[0]));
  g_assert_false (joren_coupon_campaign_set_active (fixture->db[1], seen_by_b->id, FALSE, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_null (apply_coupon (b, fixture->db[1], sale_b, code));
  g_assert_cmpint (joren_coupon_get_discount (sale_b), ==, 300);
  joren_test_pay_cash (sale_b, 0);
  joren_db_commit_sale (fixture->db[1], sale_b, 0, &error);
  g_assert_no_error (error);
  joren_value_capture_sale (JOREN_VALUE_AUTHORITY (b), sale_b, &error);
  g_assert_no_error (error);
  push_outbox (fixture, 1);
  used = apply_coupon (a, fixture->db[0], sale_a, code);
  g_assert_nonnull (strstr (used, "already used"));

  /* Codes are facts: B issues some of A's campaign, A learns them. */
  codes_b = issue (fixture->db[1], seen_by_b->id, 2);
  push_outbox (fixture, 1);
  pull_all (fixture, 0);
  seen_by_a = campaign_of_code (fixture->db[0], g_ptr_array_index (codes_b, 1));
  g_assert_nonnull (seen_by_a);
  g_assert_cmpint (seen_by_a->id, ==, campaign_id);
  g_assert_cmpuint (seen_by_a->n_issued, ==, 5);
  g_assert_cmpint (seen_by_a->owner_register, ==, 0);
  /* B's redemption came with the feed: A's back office counts the code
   * used (no receipt of A's), and A refuses it even without the server. */
  g_assert_cmpuint (seen_by_a->n_redeemed, ==, 1);
  listed = joren_coupon_list_codes (fixture->db[0], campaign_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < listed->len; i++)
    {
      const JorenCouponCode *row = g_ptr_array_index (listed, i);

      g_assert_true ((row->redeemed_at != NULL) == g_str_equal (row->code, code));
      g_assert_null (row->receipt_no);
    }
  g_assert_false (joren_coupon_check (fixture->db[0], code, sale_a, NULL, &error));
  g_assert_error (error, JOREN_COUPON_ERROR, JOREN_COUPON_ERROR_USED);
  g_clear_error (&error);

  /* The owner stops it: B follows. */
  set_active (fixture->db[0], campaign_id, FALSE);
  push_outbox (fixture, 0);
  pull_all (fixture, 1);
  stopped = apply_coupon (b, fixture->db[1], later_b, g_ptr_array_index (codes, 1));
  g_assert_nonnull (strstr (stopped, "expired"));
}

/* Only the register that created a campaign may change it at the server,
 * and a code the chain already has cannot be issued again. */
static void
test_coupon_campaign_owner (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_op_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 seq = joren_outbox_get_next_seq (fixture->db[1]);
  gint64 campaign_id = add_campaign (fixture->db[0], "Owned by A", 100);
  g_autoptr(GPtrArray) codes = issue (fixture->db[0], campaign_id, 1);

  joren_outbox_flush_now (fixture->db[0], &error);
  g_assert_no_error (error);
  rows = joren_outbox_list (fixture->db[0], 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  push_outbox (fixture, 0);
  /* B replays A's campaign and codes as its own ops. */
  for (guint i = 0; i < rows->len; i++)
    {
      JorenOutboxOp *row = g_ptr_array_index (rows, i);
      g_autofree char *op_id = g_uuid_string_random ();

      g_assert_cmpstr (row->kind, ==, i == 0 ? "coupon_campaign" : "coupon_codes");
      g_ptr_array_add (ops, joren_sync_op_new (op_id, seq + i, row->kind,
                                               cJSON_Parse (row->payload), &error));
      g_assert_no_error (error);
    }
  results = joren_sync_client_push (fixture->client[1], ops, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpstr (((JorenSyncResult *) results->pdata[0])->reason, ==, "not_owner");
  g_assert_cmpstr (((JorenSyncResult *) results->pdata[1])->reason, ==, "code_exists");
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

/* ---- releasing at once ---- */

static void
take_voucher (JorenValueRemote *remote,
              JorenSale        *sale,
              const char       *number,
              gint64            amount)
{
  g_autoptr(GError) error = NULL;

  joren_value_add_voucher_tender (JOREN_VALUE_AUTHORITY (remote), sale, number, amount, NULL, &error);
  g_assert_no_error (error);
}

/* What a tender held on the server is free for other registers as soon
 * as the tender goes: removed by the cashier, dropped because the sale's
 * lines changed, or the sale abandoned; a hold left behind would be
 * captured with the sale later. Holds last an hour here, so only a void
 * can free them within the test. */
static void
test_release_at_once (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, 3000);
  g_autoptr(JorenValueRemote) b = new_remote (fixture, 1, NULL);
  g_autoptr(JorenSale) sale = joren_test_new_sale (fixture->db[1], 6);
  g_autoptr(GError) error = NULL;
  JorenValueAuthority *authority = JOREN_VALUE_AUTHORITY (b);

  pull_all (fixture, 1);
  joren_value_remote_set_timing (b, 2, 3600);
  g_assert_cmpint (joren_sale_get_due (sale), >, 1500);
  take_voucher (b, sale, number, 1000);
  g_assert_cmpint (server_available (fixture, number), ==, 2000);
  joren_value_remove_tender (authority, sale, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (server_available (fixture, number), ==, 3000);

  take_voucher (b, sale, number, 1000);
  take_voucher (b, sale, number, 500);
  g_assert_cmpint (server_available (fixture, number), ==, 1500);
  joren_sale_set_line_qty (sale, 0, joren_sale_get_line (sale, 0)->qty + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (joren_sale_get_n_tenders (sale), ==, 0);
  g_assert_cmpint (server_available (fixture, number), ==, 3000);

  /* Paid again and committed: only the new hold is captured. */
  take_voucher (b, sale, number, 700);
  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (fixture->db[1], sale, 0, &error);
  g_assert_no_error (error);
  joren_value_capture_sale (authority, sale, &error);
  g_assert_no_error (error);
  g_assert_cmpint (server_available (fixture, number), ==, 2300);

  {
    g_autoptr(JorenSale) abandoned = joren_test_new_sale (fixture->db[1], 6);

    take_voucher (b, abandoned, number, 300);
    g_assert_cmpint (server_available (fixture, number), ==, 2000);
    joren_value_release_sale (authority, abandoned, &error);
    g_assert_no_error (error);
    g_assert_cmpint (server_available (fixture, number), ==, 2300);
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
  /* The expired hold cannot be captured any more, and the cashier is
   * told what to do (hold_expired). */
  g_assert_false (joren_value_authority_capture (authority, first, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The reservation ran out before the sale was paid."
                                       " Take the voucher or coupon again.");
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

/* ---- refusals in the cashier's words ---- */

#define FROZEN_BODY "{\"error\":{\"code\":\"card_frozen\",\"message\":\"Frozen by head office.\"}}"

/* Answers one HTTP request on listener with 409 card_frozen: a code no
 * register knows yet, as a newer joren-server might send. */
static gpointer
refuse_once_thread (gpointer data)
{
  GSocketListener *listener = data;
  g_autoptr(GSocketConnection) connection = g_socket_listener_accept (listener, NULL, NULL, NULL);
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *body = NULL;
  guint64 length = 0;

  g_assert_nonnull (connection);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);

      g_assert_nonnull (line);
      if (*line == '\0')
        break;
      if (g_ascii_strncasecmp (line, "Content-Length:", 15) == 0)
        length = g_ascii_strtoull (line + 15, NULL, 10);
    }
  /* Read to the end, or closing would reset the connection. */
  body = g_malloc (length + 1);
  g_assert_true (g_input_stream_read_all (G_INPUT_STREAM (in), body, length, NULL, NULL, NULL));
  reply = g_strdup_printf ("HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\n"
                           "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                           strlen (FROZEN_BODY), FROZEN_BODY);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                            reply, strlen (reply), NULL, NULL, NULL));
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return NULL;
}

/* Known codes from the real server read as this register's messages
 * (coupon_held and coupon_used: coupon-two-tills; hold_expired:
 * expires); an unknown code falls back to the server's own text. */
static void
test_refusal_messages (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, 1000);
  g_autoptr(JorenValueRemote) remote = new_remote (fixture, 1, NULL);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) loopback = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(JorenValueRemote) newer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *hold_id = NULL;
  g_autofree char *fallback = NULL;
  GThread *thread;

  hold_id = joren_value_authority_authorise (JOREN_VALUE_AUTHORITY (remote), number, 1500,
                                             "sale-refused", &error);
  g_assert_null (hold_id);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Not enough is left on this voucher or account"
                                       " (other registers may be using it).");
  g_clear_error (&error);

  g_socket_listener_add_address (listener, loopback, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  base_url = g_strdup_printf ("http://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  thread = g_thread_new ("refuse-once", refuse_once_thread, listener);
  newer = new_remote (fixture, 1, base_url);
  hold_id = joren_value_authority_authorise (JOREN_VALUE_AUTHORITY (newer), number, 100,
                                             "sale-frozen", &error);
  g_thread_join (thread);
  g_assert_null (hold_id);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Frozen by head office."));
  g_assert_false (joren_value_remote_is_offline (newer));

  /* Without the server's text, a plain refusal; a known code never
   * shows the server's English. */
  fallback = joren_value_remote_describe_refusal ("card_frozen", NULL);
  g_assert_cmpstr (fallback, ==, "The server refused this payment.");
  g_clear_pointer (&fallback, g_free);
  fallback = joren_value_remote_describe_refusal ("coupon_used", "This coupon code was already"
                                                                 " redeemed.");
  g_assert_cmpstr (fallback, ==, "This coupon was already used.");
}

/* A customer account is refused by its credit limit, and the till says
 * so (not "not enough on this voucher"); within the limit it holds. */
static void
test_credit_limit_refusal (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(JorenCustomer) customer = joren_customer_new ();
  g_autoptr(JorenValueAccount) account = NULL;
  g_autoptr(JorenValueRemote) remote = new_remote (fixture, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *held = NULL;

  customer->name = g_strdup ("Kato Yuki");
  joren_customer_add (fixture->db[0], customer, FALSE, &error);
  g_assert_no_error (error);
  account = joren_value_open_customer_account (fixture->db[0], customer->id, 5000, &error);
  g_assert_no_error (error);
  push_outbox (fixture, 0);

  refused = joren_value_authority_authorise (JOREN_VALUE_AUTHORITY (remote), account->number, 6000,
                                             "sale-over-limit", &error);
  g_assert_null (refused);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "credit limit"));
  g_clear_error (&error);
  held = joren_value_authority_authorise (JOREN_VALUE_AUTHORITY (remote), account->number, 4000,
                                          "sale-in-limit", &error);
  g_assert_no_error (error);
  g_assert_nonnull (held);
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
  g_test_add ("/joren/sync/holds/coupon-cross-store", Fixture, NULL,
              fixture_set_up, test_coupon_cross_store, fixture_tear_down);
  g_test_add ("/joren/sync/holds/coupon-campaign-owner", Fixture, NULL,
              fixture_set_up, test_coupon_campaign_owner, fixture_tear_down);
  g_test_add ("/joren/sync/holds/stale-balance", Fixture, NULL,
              fixture_set_up, test_stale_balance_trusts_server, fixture_tear_down);
  g_test_add ("/joren/sync/holds/release-at-once", Fixture, NULL,
              fixture_set_up, test_release_at_once, fixture_tear_down);
  g_test_add ("/joren/sync/holds/expires", Fixture, NULL,
              fixture_set_up, test_hold_expires, fixture_tear_down);
  g_test_add ("/joren/sync/holds/capture-replay", Fixture, NULL,
              fixture_set_up, test_capture_replay, fixture_tear_down);
  g_test_add ("/joren/sync/holds/refusal-messages", Fixture, NULL,
              fixture_set_up, test_refusal_messages, fixture_tear_down);
  g_test_add ("/joren/sync/holds/credit-limit", Fixture, NULL,
              fixture_set_up, test_credit_limit_refusal, fixture_tear_down);
  g_test_add ("/joren/sync/holds/offline-policy", Fixture, NULL,
              fixture_set_up, test_offline_policy, fixture_tear_down);
  g_test_add ("/joren/sync/holds/offline-overdraft", Fixture, NULL,
              fixture_set_up, test_offline_overdraft_recorded, fixture_tear_down);
  return g_test_run ();
}
