/* bench-sync-pull.c: a new register joins a big chain. The server gets
 * 1,000,000 members (a card and a phone each) and 100,000 products
 * (barcode, category, tax class) in one transaction through
 * `joren-server --generate-demo-chain`; then a fresh register database
 * pulls the whole changes feed from the real joren-server on loopback
 * with joren_sync_pull(), the pull thread's own catch-up, until caught
 * up (goal: fully loaded in < 30 s). JOREN_BENCH_SMALL=1 uses 20,000 and
 * 2,000 for CI; JOREN_BENCH_CHAIN=FILE keeps the generated server
 * database in FILE-CUSTOMERS:PRODUCTS for later runs (generating takes
 * longer than the pull it sets up). Prints the time fetching (which includes the server's
 * work and overlaps applying), applying, and the CPU time of both; a
 * figure, not a pass/fail timing, but it fails if the register does not
 * end up with exactly the chain's members and products. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "joren-customer.h"
#include "joren-sync-pull.h"
#include "joren-test-utils.h"
#include "test-sync-common.h"

/* The tax classes and categories --generate-demo-chain adds. */
#define N_CHAIN_MASTER (2 + 24)

/* CPU seconds the server process has used (utime + stime). */
static double
server_cpu_s (TestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (server->process));
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  /* After "pid (comm) ": state is field 3, utime 14, stime 15. */
  fields = g_strsplit (strrchr (text, ')') + 2, " ", 0);
  g_assert_cmpuint (g_strv_length (fields), >, 12);
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / (double) sysconf (_SC_CLK_TCK);
}

/* CPU seconds this process (the register) has used: steadier than the
 * wall clock on a machine shared with other work. */
static double
own_cpu_s (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static guint64
file_size (const char *path)
{
  GStatBuf buf;

  return g_stat (path, &buf) == 0 ? (guint64) buf.st_size : 0;
}

/* Copies a server database (with its WAL) while no server has it open. */
static void
copy_server_db (const char *from,
                const char *to)
{
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *source = g_strconcat (from, i == 0 ? "" : "-wal", NULL);
      g_autofree char *target = g_strconcat (to, i == 0 ? "" : "-wal", NULL);
      g_autoptr(GFile) source_file = g_file_new_for_path (source);
      g_autoptr(GFile) target_file = g_file_new_for_path (target);
      g_autoptr(GError) error = NULL;

      g_unlink (target);
      if (i == 0 || g_file_test (source, G_FILE_TEST_EXISTS))
        g_file_copy (source_file, target_file, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
}

/* The chain on the server: generated, or copied from JOREN_BENCH_CHAIN's
 * file of a run of the same size. */
static void
make_chain (TestServer *server,
            const char *spec)
{
  const char *chain = g_getenv ("JOREN_BENCH_CHAIN");
  g_autofree char *kept = chain != NULL ? g_strdup_printf ("%s-%s", chain, spec) : NULL;
  gint64 start = g_get_monotonic_time ();

  if (kept != NULL && g_file_test (kept, G_FILE_TEST_EXISTS))
    {
      test_server_kill (server);
      copy_server_db (kept, server->db_path);
      test_server_start (server);
      g_test_message ("server: the chain %s from %s", spec, kept);
      return;
    }
  g_free (test_server_admin (server, "--generate-demo-chain", spec, NULL));
  g_test_message ("server: generated the chain %s in %.2f s", spec,
                  (g_get_monotonic_time () - start) / 1e6);
  if (kept == NULL)
    return;
  test_server_kill (server);
  copy_server_db (server->db_path, kept);
  test_server_start (server);
}

/* The pull thread's own catch-up (joren_sync_pull): pipelined fetch,
 * many pages per transaction; the first request does not wait. */
static void
pull_all (JorenDb            *db,
          JorenSyncClient    *client,
          JorenSyncPullStats *stats)
{
  g_autoptr(GError) error = NULL;

  joren_sync_pull (db, client, 0, NULL, stats, &error);
  g_assert_no_error (error);
}

/* Exactly the chain's members and products, nothing queued to push
 * back, and the last member (on the last page) found by its card. */
static void
verify_register (JorenDb *db,
                 guint    n_customers,
                 guint    n_products)
{
  g_autofree char *card = g_strdup_printf ("29%011u", n_customers);
  g_autofree char *member_no = g_strdup_printf ("B-M%u", n_customers);
  g_autofree char *phone = g_strdup_printf ("+8190%08u", n_customers);
  g_autofree char *name = g_strdup_printf ("Customer %u", n_customers);
  g_autofree char *reading = joren_customer_generated_reading (n_customers);
  g_autoptr(JorenCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers"), ==, n_customers);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_cards"), ==, n_customers);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_phones"), ==, n_customers);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM products"), ==, n_products);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM barcodes"), ==, n_products);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sync_pending"), ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sync_outbox"), ==, 0);
  customer = joren_customer_find_by_card (db, card, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (customer->member_no, ==, member_no);
  g_assert_cmpstr (customer->name, ==, name);
  g_assert_cmpstr (customer->reading, ==, reading);
  g_assert_cmpuint (customer->phones->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (customer->phones, 0), ==, phone);
}

static void
report (const JorenSyncPullStats *stats,
        double                    total_s,
        double                    register_s,
        double                    server_s,
        guint64                   bytes,
        const char               *db_path)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);

  g_test_message ("pulled %" G_GUINT64_FORMAT " changes in %u pages of up to %d: %.2f s (goal: < 30 s)",
                  stats->changes, stats->pages, JOREN_SYNC_PULL_PAGE, total_s);
  g_test_message ("%.0f changes/s", stats->changes / total_s);
  g_test_message ("fetch (transfer + parse, overlapped) %.2f s, applier waiting for pages %.2f s,"
                  " apply %.2f s; CPU: register %.2f s (fetching %.2f s, applying %.2f s), server %.2f s",
                  stats->fetch_us / 1e6, stats->stall_us / 1e6, stats->apply_us / 1e6,
                  register_s, stats->fetch_cpu_us / 1e6, stats->apply_cpu_us / 1e6, server_s);
  g_test_message ("%.1f MB of JSON received (%.0f bytes per change)",
                  bytes / 1e6, (double) bytes / MAX (1, stats->changes));
  g_test_message ("register database %.1f MB (+ %.1f MB WAL)",
                  file_size (db_path) / 1e6, file_size (wal) / 1e6);
}

static void
bench_pull (void)
{
  gboolean small = g_strcmp0 (g_getenv ("JOREN_BENCH_SMALL"), "1") == 0;
  guint n_customers = small ? 20000 : 1000000;
  guint n_products = small ? 2000 : 100000;
  g_autofree char *spec = g_strdup_printf ("%u:%u", n_customers, n_products);
  g_autofree char *db_path = joren_test_db_path ();
  TestServer *server = test_server_new (FALSE);
  g_autoptr(JorenSyncClient) client = NULL;
  g_autoptr(JorenDb) db = NULL;
  g_autoptr(GError) error = NULL;
  JorenSyncPullStats stats = { 0 };
  double server_start, register_start;
  gint64 start;

  make_chain (server, spec);
  client = test_server_pair (server, NULL);
  db = joren_db_open (db_path, &error);
  g_assert_no_error (error);

  server_start = server_cpu_s (server);
  register_start = own_cpu_s ();
  start = g_get_monotonic_time ();
  pull_all (db, client, &stats);
  report (&stats, (g_get_monotonic_time () - start) / 1e6, own_cpu_s () - register_start,
          server_cpu_s (server) - server_start,
          joren_sync_client_get_bytes_received (client), db_path);
  /* The compacted feed holds each entity once: nothing fetched twice. */
  g_assert_cmpuint (stats.changes, ==, n_customers + n_products + N_CHAIN_MASTER);
  verify_register (db, n_customers, n_products);
  test_server_free (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/joren/sync/bench/pull", bench_pull);
  return g_test_run ();
}
