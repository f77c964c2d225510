/* test-sync-pull.c: a new register's first load (joren_sync_pull) from
 * the real joren-server: many pages, pipelined, in shared transactions,
 * end with exactly the chain's rows, the server's cursor, every index
 * and the triggers back; a load that stops before its commit leaves
 * neither the rows nor the cursor, so the next pull starts again where
 * the last commit ended and nothing is applied twice, and the indexes
 * it deferred are built by the next pull even with the server away, or
 * before a migration. */
#include "config.h"

#include "joren-customer.h"
#include "joren-db-private.h"
#include "joren-replica.h"
#include "joren-sync-pull.h"
#include "joren-test-utils.h"
#include "test-sync-common.h"

/* Pages of JOREN_SYNC_PULL_PAGE with the 26 tax classes and categories
 * --generate-demo-chain adds. */
#define N_CUSTOMERS 11000
#define N_PRODUCTS 1000
#define N_CHANGES (N_CUSTOMERS + N_PRODUCTS + 2 + 24)

#define COUNT_INDEXES "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
#define COUNT_DEFERRED "SELECT count(*) FROM settings WHERE key LIKE 'db.deferred_index.%'"

/* The copies the pick lists read (013-pick.sql) match their customers,
 * though a first load writes them with triggers off: names on every
 * phone, and the first phone on every customer that has one. */
static void
check_pick_copies (JorenDb *db,
                   gint64   n_with_phone)
{
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_phones p JOIN customers c"
                                         " ON c.id = p.customer_id WHERE p.name IS NOT c.name"
                                         " OR p.reading IS NOT c.reading OR p.member_no IS NOT c.member_no"),
                   ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers c WHERE phone IS NOT"
                                         " (SELECT entered FROM customer_phones WHERE customer_id = c.id"
                                         " ORDER BY phone LIMIT 1)"), ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers WHERE phone IS NOT NULL"),
                   ==, n_with_phone);
}

/* The last generated member, found by card with their phone and clocks,
 * and in both pick lists with what their rows show. */
static void
check_member (JorenDb *db,
              guint    n)
{
  g_autofree char *card = g_strdup_printf ("29%011u", n);
  g_autofree char *name = g_strdup_printf ("Customer %u", n);
  g_autofree char *phone = g_strdup_printf ("+8190%08u", n);
  g_autofree char *last4 = g_strdup_printf ("%04u", n % 10000);
  g_autoptr(JorenCustomer) customer = NULL;
  g_autoptr(GPtrArray) by_last4 = NULL;
  g_autoptr(GPtrArray) by_name = NULL;
  g_autoptr(GError) error = NULL;
  JorenCustomer *pick;

  customer = joren_customer_find_by_card (db, card, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (customer->name, ==, name);
  by_last4 = joren_customer_find_by_last4 (db, last4, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_last4->len, ==, 1 + (N_CUSTOMERS - n % 10000) / 10000);
  by_name = joren_customer_find_by_name (db, name, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_name->len, ==, 1);
  /* The generated readings put the other match (N - 10000) first. */
  pick = g_ptr_array_index (by_last4, by_last4->len - 1);
  g_assert_cmpint (pick->id, ==, customer->id);
  for (guint i = 0; i < 2; i++, pick = g_ptr_array_index (by_name, 0))
    {
      g_assert_cmpint (pick->id, ==, customer->id);
      g_assert_cmpstr (pick->name, ==, name);
      g_assert_cmpstr (pick->reading, ==, customer->reading);
      g_assert_cmpstr (pick->member_no, ==, customer->member_no);
      g_assert_cmpuint (pick->phones->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (pick->phones, 0), ==, phone);
    }
  check_pick_copies (db, N_CUSTOMERS);
  g_assert_cmpuint (customer->phones->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (customer->phones, 0), ==, phone);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_field_clock"), ==,
                   3 * N_CUSTOMERS);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_cards"), ==, N_CUSTOMERS);
}

/* Triggers work on the loading connection again: a customer added here
 * gets a uuid and is marked for the server. So do foreign keys, and a
 * sale's commit waits for the disk again. */
static void
check_triggers (JorenDb *db)
{
  g_assert_cmpint (sqlite3_exec (joren_db_get_handle (db), "INSERT INTO barcodes (code, product_id)"
                                 " VALUES ('0', 999999999)", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT_FOREIGNKEY);
  g_assert_cmpint (joren_test_query_int (db, "PRAGMA synchronous"), ==, 2);   /* FULL */
  g_assert_cmpint (sqlite3_exec (joren_db_get_handle (db), "INSERT INTO customers (member_no, store,"
                                 " created_at) VALUES ('L-1', 'L', 1)", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers WHERE uuid IS NULL"), ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sync_pending"), ==, 1);
}

static void
test_first_load (void)
{
  g_autofree char *spec = g_strdup_printf ("%u:%u", N_CUSTOMERS, N_PRODUCTS);
  g_autofree char *db_path = joren_test_db_path ();
  TestServer *server = test_server_new (FALSE);
  g_autoptr(JorenSyncClient) client = NULL;
  g_autoptr(JorenDb) db = NULL;
  g_autoptr(GError) error = NULL;
  JorenSyncPullStats stats = { 0 }, again = { 0 };
  gint64 n_indexes;

  g_free (test_server_admin (server, "--generate-demo-chain", spec, NULL));
  client = test_server_pair (server, NULL);
  db = joren_db_open (db_path, &error);
  g_assert_no_error (error);
  n_indexes = joren_test_query_int (db, COUNT_INDEXES);
  g_assert_true (joren_sync_pull (db, client, 0, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pages, ==, (N_CHANGES + JOREN_SYNC_PULL_PAGE - 1) / JOREN_SYNC_PULL_PAGE);
  g_assert_cmpuint (stats.changes, ==, N_CHANGES);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers"), ==, N_CUSTOMERS);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_phones"), ==, N_CUSTOMERS);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM products"), ==, N_PRODUCTS);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sync_pending"), ==, 0);
  g_assert_cmpint (joren_replica_get_cursor (db), ==, N_CHANGES);
  g_assert_cmpint (joren_test_query_int (db, COUNT_INDEXES), ==, n_indexes);
  g_assert_cmpint (joren_test_query_int (db, COUNT_DEFERRED), ==, 0);
  check_member (db, N_CUSTOMERS);

  /* Caught up: the next pull brings nothing and keeps the cursor. */
  g_assert_true (joren_sync_pull (db, client, 0, NULL, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again.changes, ==, 0);
  g_assert_cmpint (joren_replica_get_cursor (db), ==, N_CHANGES);
  check_triggers (db);
  test_server_free (server);
}

static cJSON *
customer_doc (guint n)
{
  g_autofree char *text = g_strdup_printf ("{\"uuid\": \"00000000-0000-4000-8000-%012u\","
                                           " \"member_no\": \"T-%u\", \"store\": \"T\", \"created_at\": 1,"
                                           " \"merged_into\": null, \"cards\": [],"
                                           " \"fields\": {\"name\": {\"value\": \"Load %u\", \"at\": 5,"
                                           " \"register\": 1}, \"phones\": {\"value\": [\"+4930%07u\","
                                           " \"+4917%07u\"], \"at\": 5, \"register\": 1}}}", n, n, n, n, n);

  return cJSON_Parse (text);
}

/* Applies customers first..first+n-1 as one page ending at cursor. */
static gboolean
load_customers (JorenReplicaLoad *load,
                guint             first,
                guint             n,
                gint64            cursor,
                GError          **error)
{
  g_autofree JorenReplicaChange *changes = g_new0 (JorenReplicaChange, n);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) cJSON_Delete);

  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (docs, customer_doc (first + i));
      changes[i] = (JorenReplicaChange) { "customer", first + i, g_ptr_array_index (docs, i) };
    }
  return joren_replica_load_apply (load, changes, n, cursor, error);
}

static void
test_stopped_load (void)
{
  g_autofree char *db_path = joren_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_db_open (db_path, &error);
  g_autoptr(JorenSyncClient) away = joren_sync_client_new ("http://127.0.0.1:9");
  JorenReplicaLoad *load;
  gint64 n_indexes;

  g_assert_no_error (error);
  n_indexes = joren_test_query_int (db, COUNT_INDEXES);
  load = joren_replica_load_new (db, &error);
  g_assert_no_error (error);
  g_assert_true (load_customers (load, 1, 100, 100, &error));
  g_assert_true (joren_replica_load_commit (load, &error));
  g_assert_true (load_customers (load, 101, 100, 200, &error));
  g_assert_no_error (error);
  /* Stopped (the app quits, the network fails) before the commit. */
  joren_replica_load_free (load);
  g_assert_cmpint (joren_replica_get_cursor (db), ==, 100);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers"), ==, 100);

  /* The next pull resumes at 100: the second page once, no doubles. */
  load = joren_replica_load_new (db, &error);
  g_assert_true (load_customers (load, 101, 100, 200, &error));
  g_assert_true (joren_replica_load_commit (load, &error));
  g_assert_no_error (error);
  joren_replica_load_free (load);
  g_assert_cmpint (joren_replica_get_cursor (db), ==, 200);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers"), ==, 200);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_field_clock"), ==, 400);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sync_pending"), ==, 0);

  /* Never finished: the indexes the first load deferred are missing
   * until the next pull builds them, before it asks the server. */
  g_assert_cmpint (joren_test_query_int (db, COUNT_INDEXES), <, n_indexes);
  g_assert_cmpint (joren_test_query_int (db, COUNT_DEFERRED), >, 0);
  g_assert_false (joren_sync_pull (db, away, 0, NULL, NULL, &error));
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_NETWORK);
  g_assert_cmpint (joren_test_query_int (db, COUNT_INDEXES), ==, n_indexes);
  g_assert_cmpint (joren_test_query_int (db, COUNT_DEFERRED), ==, 0);
  check_triggers (db);
}

/* Applies one points entry for customer n as a page ending at cursor. */
static gboolean
load_points (JorenReplicaLoad *load,
             guint             n,
             gint64            cursor,
             GError          **error)
{
  g_autofree char *text = g_strdup_printf ("{\"op_id\": \"points-%u\", \"customer_uuid\":"
                                           " \"00000000-0000-4000-8000-%012u\", \"kind\": \"earn\","
                                           " \"points\": 10, \"sale_uuid\": \"00000000-0000-4000-9000-%012u\","
                                           " \"created_at\": 1, \"register\": 9}", n, n, n);
  g_autoptr(cJSON) data = cJSON_Parse (text);
  JorenReplicaChange change = { "points", n, data };

  return joren_replica_load_apply (load, &change, 1, cursor, error);
}

/* With the uuid index deferred, a first load still finds each customer
 * once: one a points entry named before its document arrived, and one
 * a till added between two of the load's transactions; the unique index
 * then builds. */
static void
test_first_load_finds (void)
{
  g_autofree char *db_path = joren_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_db_open (db_path, &error);
  g_autoptr(JorenDb) till = NULL;
  g_autoptr(JorenReplicaLoad) load = NULL;

  g_assert_no_error (error);
  till = joren_db_open (db_path, &error);
  g_assert_no_error (error);
  load = joren_replica_load_new (db, &error);
  g_assert_no_error (error);
  g_assert_true (load_points (load, 7, 1, &error));
  g_assert_true (load_customers (load, 1, 100, 101, &error));
  g_assert_true (joren_replica_load_commit (load, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (joren_db_get_handle (till), "INSERT INTO customers (uuid, member_no, store,"
                                 " created_at) VALUES ('00000000-0000-4000-8000-000000000150', 'L-150',"
                                 " 'L', 1)", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (load_customers (load, 101, 100, 201, &error));
  g_assert_true (joren_replica_load_finish (load, &error));
  g_assert_no_error (error);
  g_clear_pointer (&load, joren_replica_load_free);

  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers"), ==, 200);
  g_assert_cmpint (joren_test_query_int (db, COUNT_DEFERRED), ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sqlite_schema"
                                         " WHERE name = 'customers_uuid'"), ==, 1);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers WHERE name = 'Load 7'"
                                         " AND id = (SELECT customer_id FROM points_ledger)"), ==, 1);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers WHERE name = 'Load 150'"
                                         " AND member_no = 'L-150'"), ==, 1);
  /* Those two were known when their documents came: merged, not
   * created, with the copies' triggers off. */
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_phones WHERE"
                                         " name IN ('Load 7', 'Load 150')"), ==, 4);
  check_pick_copies (db, 200);
}

/* A member number this register gave someone else already: the
 * customer from the feed gets their uuid as number instead, in a first
 * load (uuid index deferred) as in a page applied alone; sent again,
 * they are found by uuid, not added twice. */
static void
test_member_number_taken (void)
{
  g_autofree char *db_path = joren_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_db_open (db_path, &error);
  g_autoptr(JorenReplicaLoad) load = NULL;
  g_autoptr(cJSON) doc = customer_doc (20);
  JorenReplicaChange change = { "customer", 20, doc };

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (joren_db_get_handle (db), "INSERT INTO customers (member_no, store,"
                                 " created_at) VALUES ('T-5', 'L', 1), ('T-20', 'L', 1)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  load = joren_replica_load_new (db, &error);
  g_assert_no_error (error);
  g_assert_true (load_customers (load, 1, 10, 10, &error));
  g_assert_true (joren_replica_load_finish (load, &error));
  g_assert_no_error (error);
  g_clear_pointer (&load, joren_replica_load_free);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers WHERE name = 'Load 5'"
                                         " AND member_no = '00000000-0000-4000-8000-000000000005'"), ==, 1);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers WHERE member_no = 'T-5'"
                                         " AND store = 'L'"), ==, 1);

  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (joren_replica_apply (db, &change, 1, 11 + i, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers WHERE name = 'Load 20'"
                                         " AND member_no = '00000000-0000-4000-8000-000000000020'"), ==, 1);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers"), ==, 13);
  check_pick_copies (db, 11);
}

/* A migration may replace an index a first load deferred (012 does
 * customer_phones_last4): opening builds them first. */
static void
test_deferred_migration (void)
{
  g_autofree char *db_path = joren_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) old = joren_db_open_at_version (db_path, 11, &error);
  g_autoptr(JorenDb) db = NULL;
  const char * const names[] = { "customer_phones_last4", NULL };

  g_assert_no_error (error);
  g_assert_true (joren_db_defer_indexes (old, names, &error));
  g_assert_no_error (error);
  g_clear_object (&old);
  db = joren_db_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_test_query_int (db, COUNT_DEFERRED), ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sqlite_schema WHERE name"
                                         " = 'customer_phones_last4' AND sql LIKE '%entered%'"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/joren/sync/pull/first-load", test_first_load);
  g_test_add_func ("/joren/sync/pull/stopped-load", test_stopped_load);
  g_test_add_func ("/joren/sync/pull/first-load-finds", test_first_load_finds);
  g_test_add_func ("/joren/sync/pull/member-number-taken", test_member_number_taken);
  g_test_add_func ("/joren/sync/pull/deferred-migration", test_deferred_migration);
  return g_test_run ();
}
