/* bench-reports.c: the back office's read paths on a shop-sized file:
 * 1,000,000 sale lines over a year (250,000 receipts of 4 lines, 60 % by
 * members) and 1,000,000 customers. Times the month and year reports
 * (by product, the widest grouping, and by day with the summary), the X
 * computation and Z close of a day's drawer session, and the lapsed
 * segment. The data is generated with SQL in one transaction, then the
 * report summaries the till's commits would have filled are added up.
 * JOREN_BENCH_SMALL=1 shrinks it 50x for CI. Goals: month < 150 ms,
 * year < 0.5 s, Z < 5 ms, lapsed segment < 0.5 s. */
#include "config.h"

#include <stdlib.h>

#include "joren-cash.h"
#include "joren-db-private.h"
#include "joren-report.h"
#include "joren-sale-db.h"
#include "joren-segment.h"
#include "joren-test-utils.h"
#include "joren-zreport.h"

#define YEAR_START G_GINT64_CONSTANT (1704067200)   /* 2024-01-01 00:00 UTC */

static int
compare_gint64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
print_figures (const char *what, gint64 *us, guint n)
{
  qsort (us, n, sizeof *us, compare_gint64);
  g_print ("%-34s n=%-3u median %8.2f ms  p99 %8.2f ms\n", what, n,
           us[n / 2] / 1000.0, us[MIN (n - 1, n * 99 / 100)] / 1000.0);
}

static void
exec (JorenDb *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (joren_db_get_handle (db), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
generate (JorenDb *db, gint64 n_sales, gint64 n_customers)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *customers = g_strdup_printf (
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %" G_GINT64_FORMAT ")"
    " INSERT INTO customers (member_no, name, reading, store, created_at, uuid, tier, birthday,"
    " consent_email) SELECT 'B-' || i, 'Customer ' || i, '', 'S1', 0, 'uuid-' || i, i %% 3,"
    " printf ('1980-%%02d-10', i %% 12 + 1), i %% 2 FROM n", n_customers);
  g_autofree char *sales = g_strdup_printf (
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %" G_GINT64_FORMAT ")"
    " INSERT INTO sales (uuid, receipt_no, kind, staff_id, staff_name, created_at, business_day,"
    " currency, prices_include_tax, subtotal, discount_total, tax_total, total, paid, change,"
    " customer_id) SELECT 'b-' || i, 'B1-' || printf ('%%07d', i), 'sale', 1 + i %% 3, 'S', t,"
    " date (t / 1000000, 'unixepoch', 'localtime'), 'JPY', 1, 1200, 0, 109, 1200, 1200, 0,"
    " CASE WHEN i %% 5 < 3 THEN (i * 7919) %% %" G_GINT64_FORMAT " + 1 END"
    " FROM (SELECT i, (%" G_GINT64_FORMAT " + i * (31536000 / %" G_GINT64_FORMAT ")) * 1000000 AS t FROM n)",
    n_sales, n_customers, YEAR_START, n_sales);
  const char *lines =
    "WITH RECURSIVE p (k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM p WHERE k < 3)"
    " INSERT INTO sale_lines (sale_id, position, product_id, name, qty, unit_price, rate_bp,"
    " base, line_discount, receipt_discount, amount)"
    " SELECT s.id, p.k, (SELECT min (id) FROM products) + (s.id * 7 + p.k * 13) % 50,"
    " 'item', 1, 300, 1000, 300, 0, 0, 300 FROM sales s, p ORDER BY s.id, p.k";

  exec (db, "BEGIN");
  /* Generated rows are not this register's news for the sync outbox. */
  exec (db, "INSERT INTO sync_applying VALUES (1)");
  exec (db, customers);
  exec (db, sales);
  exec (db, lines);
  exec (db, "DELETE FROM sync_applying");
  exec (db, "COMMIT");
  joren_db_rebuild_reports (db, &error);
  g_assert_no_error (error);
  exec (db, "ANALYZE");
}

typedef void (*BenchFunc) (JorenDb *db, gpointer data);

static void
bench (const char *what, JorenDb *db, guint n, BenchFunc func, gpointer data)
{
  g_autofree gint64 *us = g_new (gint64, n);

  func (db, data);   /* warm the cache and the statement */
  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();

      func (db, data);
      us[i] = g_get_monotonic_time () - start;
    }
  print_figures (what, us, n);
}

static void
run_products (JorenDb *db, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenReport) report = joren_report_run (db, data, JOREN_REPORT_BY_PRODUCT, &error);

  g_assert_no_error (error);
}

static void
run_days_and_summary (JorenDb *db, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenReport) report = joren_report_run (db, data, JOREN_REPORT_BY_DAY, &error);
  JorenReportSummary summary;

  g_assert_no_error (error);
  joren_report_summary (db, data, &summary, &error);
  g_assert_no_error (error);
}

static void
run_x (JorenDb *db, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenZReport) x = joren_zreport_x (db, &error);

  g_assert_no_error (error);
}

static void
run_lapsed (JorenDb *db, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (YEAR_START + 365 * 86400);
  g_autoptr(JorenSegmentPage) page = NULL;
  JorenSegmentFilter filter = { 0, };

  joren_segment_preset_lapsed (&filter, now, 90);
  page = joren_segment_run (db, &filter, 0, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, >, 0);
}

/* A drawer session holding the last day's receipts. */
static void
bench_z (JorenDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCashSession) session = joren_cash_session_open (db, 1, 10000, &error);
  g_autoptr(JorenZReport) z = NULL;
  g_autofree char *attach = NULL;
  gint64 start;

  g_assert_no_error (error);
  attach = g_strdup_printf ("UPDATE sales SET cash_session_id = %" G_GINT64_FORMAT
                            " WHERE business_day = (SELECT max (business_day) FROM sales)",
                            session->id);
  exec (db, attach);
  bench ("X report (day's session)", db, 50, run_x, NULL);
  start = g_get_monotonic_time ();
  z = joren_zreport_close (db, 1, 10000, &error);
  g_assert_no_error (error);
  g_print ("%-34s n=1   %8.2f ms (%" G_GINT64_FORMAT " receipts)\n", "Z report close",
           (g_get_monotonic_time () - start) / 1000.0, z->n_sales);
}

int
main (int argc, char **argv)
{
  gboolean small = g_getenv ("JOREN_BENCH_SMALL") != NULL;
  gint64 n_sales = small ? 5000 : 250000;
  gint64 n_customers = small ? 20000 : 1000000;
  g_autoptr(JorenDb) db = NULL;
  JorenReportQuery month, year;
  gint64 start;

  g_setenv ("JOREN_FAST_PWHASH", "1", TRUE);
  db = joren_test_open_demo_db ("jp");
  start = g_get_monotonic_time ();
  generate (db, n_sales, n_customers);
  g_print ("generated %" G_GINT64_FORMAT " sale lines, %" G_GINT64_FORMAT
           " customers in %.1f s\n", n_sales * 4, n_customers,
           (g_get_monotonic_time () - start) / 1e6);
  joren_report_query_month (&month, 2024, 6);
  joren_report_query_year (&year, 2024);
  bench ("month report by product", db, 30, run_products, &month);
  bench ("month report by day + summary", db, 30, run_days_and_summary, &month);
  bench ("year report by product", db, 15, run_products, &year);
  bench ("year report by day + summary", db, 15, run_days_and_summary, &year);
  bench ("lapsed segment (90 days, page 50)", db, 15, run_lapsed, NULL);
  bench_z (db);
  return 0;
}
