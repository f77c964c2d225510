/* test-sync-bench.c: one register pushes 100,000 sales (3 lines each) to
 * a real joren-server on loopback in batches of 200, through the client
 * library, and prints the time and sales per second (goal: under 10 s).
 * JOREN_BENCH_SMALL=1 pushes 5,000 for CI. A figure, not a pass/fail
 * timing; it does fail if a sale is lost or doubled. */
#include "config.h"

#include "test-sync-common.h"

#define BATCH 200

static void
push_batches (JorenSyncClient *client,
              GPtrArray       *ops)
{
  for (guint from = 0; from < ops->len; from += BATCH)
    {
      g_autoptr(GPtrArray) batch = test_slice_ops (ops, from, BATCH);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) results = joren_sync_client_push (client, batch, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (((JorenSyncResult *) g_ptr_array_index (results, results->len - 1))->status,
                       ==, JOREN_SYNC_APPLIED);
    }
}

static void
bench_push (void)
{
  guint n = g_strcmp0 (g_getenv ("JOREN_BENCH_SMALL"), "1") == 0 ? 5000 : 100000;
  TestServer *server = test_server_new (TRUE);
  g_autoptr(JorenSyncClient) client = test_server_pair (server, NULL);
  g_autoptr(JorenServerDb) db = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  gint64 start;
  double build_s, push_s;

  start = g_get_monotonic_time ();
  ops = test_make_ops (1, n);
  build_s = (g_get_monotonic_time () - start) / 1e6;

  start = g_get_monotonic_time ();
  push_batches (client, ops);
  push_s = (g_get_monotonic_time () - start) / 1e6;

  g_test_message ("built %u sale ops in %.2f s", n, build_s);
  g_test_message ("pushed %u sales in batches of %d: %.2f s, %.0f sales/s (goal: 100k in < 10 s)",
                  n, BATCH, push_s, n / push_s);
  db = test_server_open_db (server);
  g_assert_cmpint (joren_server_db_count_rows (db, JOREN_SERVER_TABLE_SALES), ==, n);
  g_assert_cmpint (joren_server_db_count_rows (db, JOREN_SERVER_TABLE_SALE_LINES), ==, 3 * (gint64) n);
  test_server_free (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/joren/sync/bench/push", bench_push);
  return g_test_run ();
}
