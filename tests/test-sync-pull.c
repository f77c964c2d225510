/* test-sync-pull.c: a new register's first load (joren_sync_pull) from
 * the real joren-server: several pages, pipelined, in shared
 * transactions, end with exactly the chain's rows and the server's
 * cursor; and a load that stops before its commit leaves neither the
 * rows nor the cursor, so the next pull starts again where the last
 * commit ended and nothing is applied twice. */
#include "config.h"

#include "joren-replica.h"
#include "joren-sync-pull.h"
#include "joren-test-utils.h"
#include "test-sync-common.h"

/* Three pages of JOREN_SYNC_PULL_PAGE with the 26 tax classes and
 * categories --generate-demo-chain adds. */
#define N_CUSTOMERS 11000
#define N_PRODUCTS 1000
#define N_CHANGES (N_CUSTOMERS + N_PRODUCTS + 2 + 24)

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

  g_free (test_server_admin (server, "--generate-demo-chain", spec, NULL));
  client = test_server_pair (server, NULL);
  db = joren_db_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_true (joren_sync_pull (db, client, 0, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pages, ==, 3);
  g_assert_cmpuint (stats.changes, ==, N_CHANGES);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers"), ==, N_CUSTOMERS);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_phones"), ==, N_CUSTOMERS);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM products"), ==, N_PRODUCTS);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sync_pending"), ==, 0);
  g_assert_cmpint (joren_replica_get_cursor (db), ==, N_CHANGES);

  /* Caught up: the next pull brings nothing and keeps the cursor. */
  g_assert_true (joren_sync_pull (db, client, 0, NULL, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again.changes, ==, 0);
  g_assert_cmpint (joren_replica_get_cursor (db), ==, N_CHANGES);
  test_server_free (server);
}

static cJSON *
customer_doc (guint n)
{
  g_autofree char *text = g_strdup_printf ("{\"uuid\": \"00000000-0000-4000-8000-%012u\","
                                           " \"member_no\": \"T-%u\", \"store\": \"T\", \"created_at\": 1,"
                                           " \"merged_into\": null, \"cards\": [],"
                                           " \"fields\": {\"name\": {\"value\": \"Load %u\", \"at\": 5,"
                                           " \"register\": 1}}}", n, n, n);

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
  JorenReplicaLoad *load;

  g_assert_no_error (error);
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
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_field_clock"), ==, 200);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sync_pending"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/joren/sync/pull/first-load", test_first_load);
  g_test_add_func ("/joren/sync/pull/stopped-load", test_stopped_load);
  return g_test_run ();
}
