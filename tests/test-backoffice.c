/* test-backoffice.c: reports, X/Z reports, segments, attendance, merge,
 * export and anonymise on real SQLite files. Every expected figure is
 * computed here from the objects the test built (sale totals, generated
 * visit histories), never by the SQL under test. */
#include "config.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "joren-attendance.h"
#include "joren-audit.h"
#include "joren-cash.h"
#include "joren-catalog.h"
#include "joren-customer-admin.h"
#include "joren-db-private.h"
#include "joren-points.h"
#include "joren-receipt-zreport.h"
#include "joren-report.h"
#include "joren-sale-db.h"
#include "joren-segment.h"
#include "joren-test-utils.h"
#include "joren-value.h"
#include "joren-zreport.h"

/* --- shared fixtures ------------------------------------------------ */

static gint64
add_customer (JorenDb    *db,
              const char *name,
              const char *card)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) customer = joren_customer_new ();

  customer->name = g_strdup (name);
  customer->email = g_strdup ("a@example.com");
  if (card != NULL)
    joren_customer_add_card (customer, card, JOREN_CARD_BARCODE);
  joren_customer_add (db, customer, FALSE, &error);
  g_assert_no_error (error);
  return customer->id;
}

static JorenSale *
commit_sale (JorenDb *db,
             guint    n_products,
             gint64   customer_id,
             gint64   session_id)
{
  g_autoptr(GError) error = NULL;
  JorenSale *sale = joren_test_new_sale (db, n_products);

  joren_sale_set_customer (sale, customer_id);
  joren_test_pay_cash (sale, 500);
  joren_db_commit_sale (db, sale, session_id, &error);
  g_assert_no_error (error);
  return sale;
}

static JorenSale *
commit_refund (JorenDb    *db,
               JorenSale  *original,
               gint64      session_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenStaff) ben = joren_test_find_staff (db, "Ben");
  JorenSale *refund = joren_db_prepare_refund (db, joren_sale_get_receipt_no (original), &error);

  g_assert_no_error (error);
  joren_sale_add_refund_line (refund, 0, 1, &error);
  g_assert_no_error (error);
  joren_sale_set_staff (refund, ben->id, ben->name);
  joren_test_pay_cash (refund, 0);
  joren_db_commit_sale (db, refund, session_id, &error);
  g_assert_no_error (error);
  return refund;
}

/* A day of trade: six sales (three by members), one refund. */
typedef struct {
  JorenDb   *db;
  GPtrArray *sales;        /* JorenSale*, the refund last */
  gint64     session_id;
  gint64     member;
} Day;

static void
day_setup (Day           *day,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenStaff) aiko = NULL;
  g_autoptr(JorenCashSession) session = NULL;

  day->db = joren_test_open_demo_db ("jp");
  aiko = joren_test_find_staff (day->db, "Aiko");
  session = joren_cash_session_open (day->db, aiko->id, 10000, &error);
  g_assert_no_error (error);
  day->session_id = session->id;
  day->member = add_customer (day->db, "Sato", "CARD-1");
  day->sales = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 6; i++)
    g_ptr_array_add (day->sales, commit_sale (day->db, i + 1, i % 2 == 0 ? day->member : 0,
                                              day->session_id));
  g_ptr_array_add (day->sales, commit_refund (day->db, g_ptr_array_index (day->sales, 1),
                                              day->session_id));
}

static void
day_teardown (Day           *day,
              gconstpointer  data)
{
  g_ptr_array_unref (day->sales);
  g_object_unref (day->db);
}

static JorenSale *
day_sale (Day *day, guint i)
{
  return g_ptr_array_index (day->sales, i);
}

static void
today (JorenReportQuery *query)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  joren_report_query_day (query, now);
}

/* --- reports -------------------------------------------------------- */

static void
test_report_groupings (Day *day, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 gross = 0, tax = 0;
  JorenReportQuery query;
  const JorenReportGrouping all[] = {
    JOREN_REPORT_BY_DAY, JOREN_REPORT_BY_MONTH, JOREN_REPORT_BY_HOUR,
    JOREN_REPORT_BY_STAFF, JOREN_REPORT_BY_STORE,
  };

  for (guint i = 0; i < day->sales->len; i++)
    {
      gross += joren_sale_get_total (day_sale (day, i));
      tax += joren_sale_get_tax_total (day_sale (day, i));
    }
  today (&query);
  for (guint g = 0; g < G_N_ELEMENTS (all); g++)
    {
      g_autoptr(JorenReport) report = joren_report_run (day->db, &query, all[g], &error);

      g_assert_no_error (error);
      g_assert_cmpint (report->total->gross, ==, gross);
      g_assert_cmpint (report->total->tax, ==, tax);
      g_assert_cmpint (report->total->net, ==, gross - tax);
      g_assert_cmpint (report->total->count, ==, 6);
    }
}

static void
test_report_products (Day *day, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(JorenReport) report = NULL;
  g_autoptr(JorenReport) categories = NULL;
  JorenReportQuery query;
  gint64 goods = 0;
  gint64 keys[64] = { 0, };
  gint64 sums[64] = { 0, };
  guint n = 0;

  /* jp prices include tax: a line's gross is its amount. */
  for (guint i = 0; i < day->sales->len; i++)
    for (guint l = 0; l < joren_sale_get_n_lines (day_sale (day, i)); l++)
      {
        const JorenSaleLine *line = joren_sale_get_line (day_sale (day, i), l);
        guint k = 0;

        while (k < n && keys[k] != line->product_id)
          k++;
        if (k == n)
          keys[n++] = line->product_id;
        sums[k] += line->amount;
        goods += line->amount;
      }
  today (&query);
  report = joren_report_run (day->db, &query, JOREN_REPORT_BY_PRODUCT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->rows->len, ==, n);
  for (guint r = 0; r < report->rows->len; r++)
    {
      const JorenReportRow *row = g_ptr_array_index (report->rows, r);
      guint k = 0;

      while (k < n && keys[k] != g_ascii_strtoll (row->key, NULL, 10))
        k++;
      g_assert_cmpuint (k, <, n);
      g_assert_cmpint (row->gross, ==, sums[k]);
    }
  categories = joren_report_run (day->db, &query, JOREN_REPORT_BY_CATEGORY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (categories->total->gross, ==, goods);
}

/* What the per-product summary must hold for the goods of a sale: per
 * line, its share of tax at its rate rounded half away from zero (net of
 * tax when prices include it, on top of the amount when they do not). */
typedef struct {
  gint64 product_id;
  gint64 qty, net, tax, gross;
} ProductSum;

static gint64
round_half_away (gint64 numerator,
                 gint64 denominator)
{
  return (2 * numerator + (numerator < 0 ? -denominator : denominator)) / (2 * denominator);
}

static void
expect_goods (GArray    *sums,
              JorenSale *sale)
{
  gboolean inclusive = joren_sale_get_shop (sale)->prices_include_tax;

  for (guint l = 0; l < joren_sale_get_n_lines (sale); l++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, l);
      gint64 rate = line->rate_bp;
      gint64 tax = inclusive ? round_half_away (line->amount * rate, 10000 + rate)
                             : round_half_away (line->amount * rate, 10000);
      gint64 gross = inclusive ? line->amount : line->amount + tax;
      ProductSum *sum = NULL;

      if (line->kind != JOREN_LINE_GOODS)
        continue;
      for (guint k = 0; k < sums->len && sum == NULL; k++)
        if (g_array_index (sums, ProductSum, k).product_id == line->product_id)
          sum = &g_array_index (sums, ProductSum, k);
      if (sum == NULL)
        {
          ProductSum zero = { line->product_id, 0, 0, 0, 0 };

          g_array_append_val (sums, zero);
          sum = &g_array_index (sums, ProductSum, sums->len - 1);
        }
      sum->qty += line->qty;
      sum->tax += tax;
      sum->gross += gross;
      sum->net += gross - tax;
    }
}

/* Value issues, account payments, visits: what the day's goods gross
 * leaves out. */
static gint64
other_lines_total (JorenSale *sale)
{
  gint64 total = 0;

  for (guint l = 0; l < joren_sale_get_n_lines (sale); l++)
    if (joren_sale_get_line (sale, l)->kind != JOREN_LINE_GOODS)
      total += joren_sale_get_line (sale, l)->amount;
  return total;
}

static JorenSale *
commit_mixed_sale (JorenDb      *db,
                   JorenShop    *shop,
                   JorenProduct *first,
                   JorenProduct *second)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenStaff) chen = joren_test_find_staff (db, "Chen");
  JorenDiscount tenth = { JOREN_DISCOUNT_PERCENT, 1000 };
  JorenSale *sale = joren_sale_new (shop);
  guint line;

  /* A discounted line is not bumped: the product comes back on a line
   * of its own. */
  line = joren_sale_add_product (sale, first, 1, NULL);
  joren_sale_set_line_discount (sale, line, &tenth, &error);
  g_assert_no_error (error);
  joren_sale_add_product (sale, second, 2, NULL);
  joren_sale_add_product (sale, first, 3, NULL);
  joren_sale_add_open_item (sale, "Misc", 333, first->tax_class_id, first->rate_bp);
  /* A gift voucher sold is not revenue. */
  joren_value_add_issue_line (db, sale, JOREN_VALUE_GIFT, NULL, 2000, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (joren_sale_get_n_lines (sale), ==, 5);
  joren_sale_set_staff (sale, chen->id, chen->name);
  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
  return sale;
}

static void
check_product_rows (JorenDb *db,
                    GArray  *sums)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenReport) report = NULL;
  JorenReportQuery query;

  today (&query);
  report = joren_report_run (db, &query, JOREN_REPORT_BY_PRODUCT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->rows->len, ==, sums->len);
  for (guint k = 0; k < sums->len; k++)
    {
      const ProductSum *sum = &g_array_index (sums, ProductSum, k);
      const JorenReportRow *row = NULL;

      for (guint r = 0; r < report->rows->len && row == NULL; r++)
        if (g_ascii_strtoll (((JorenReportRow *) g_ptr_array_index (report->rows, r))->key,
                             NULL, 10) == sum->product_id)
          row = g_ptr_array_index (report->rows, r);
      g_assert_nonnull (row);
      g_assert_cmpint (row->count, ==, sum->qty);
      g_assert_cmpint (row->net, ==, sum->net);
      g_assert_cmpint (row->tax, ==, sum->tax);
      g_assert_cmpint (row->gross, ==, sum->gross);
    }
}

static void
check_day_gross (JorenDb *db,
                 gint64   gross)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenReport) report = NULL;
  JorenReportQuery query;

  today (&query);
  report = joren_report_run (db, &query, JOREN_REPORT_BY_DAY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->total->gross, ==, gross);
}

/* The commit adds a sale's lines to the summaries (schema 010) as the
 * triggers per line did: two lines of one product, an open item, a
 * voucher sold (not revenue), a refund, and a shop whose prices exclude
 * tax. */
static void
test_report_product_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, &error);
  g_autoptr(JorenShop) exclusive = NULL;
  g_autoptr(GPtrArray) products = joren_catalog_list_products (db, 0, NULL, FALSE, 0, 0, &error);
  g_autoptr(GPtrArray) sales = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) sums = g_array_new (FALSE, FALSE, sizeof (ProductSum));
  g_autoptr(JorenStaff) ben = joren_test_find_staff (db, "Ben");
  JorenProduct *picked[2] = { NULL, NULL };
  JorenSale *refund;
  gint64 goods_gross = 0;
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < products->len && n < 2; i++)
    if (((JorenProduct *) g_ptr_array_index (products, i))->embed == JOREN_EMBED_NONE)
      picked[n++] = g_ptr_array_index (products, i);
  g_assert_cmpuint (n, ==, 2);
  exclusive = joren_shop_copy (shop);
  exclusive->prices_include_tax = FALSE;
  g_ptr_array_add (sales, commit_mixed_sale (db, shop, picked[0], picked[1]));
  g_ptr_array_add (sales, commit_mixed_sale (db, exclusive, picked[0], picked[1]));
  refund = joren_db_prepare_refund (db, joren_sale_get_receipt_no (g_ptr_array_index (sales, 0)),
                                    &error);
  g_assert_no_error (error);
  joren_sale_add_refund_line (refund, 0, 1, &error);
  g_assert_no_error (error);
  joren_sale_add_refund_line (refund, 2, 2, &error);
  g_assert_no_error (error);
  joren_sale_set_staff (refund, ben->id, ben->name);
  joren_test_pay_cash (refund, 0);
  joren_db_commit_sale (db, refund, 0, &error);
  g_assert_no_error (error);
  g_ptr_array_add (sales, refund);

  for (guint i = 0; i < sales->len; i++)
    {
      goods_gross += joren_sale_get_total (g_ptr_array_index (sales, i))
                     - other_lines_total (g_ptr_array_index (sales, i));
      expect_goods (sums, g_ptr_array_index (sales, i));
    }
  check_product_rows (db, sums);
  check_day_gross (db, goods_gross);
  /* Adding up the stored sales afresh finds the same. */
  joren_db_rebuild_reports (db, &error);
  g_assert_no_error (error);
  check_product_rows (db, sums);
  check_day_gross (db, goods_gross);
}

/* Each commit adds a member's sale to the member's visits (sales, not
 * refunds) and spend (sales minus refunds). */
static gint64
visits_column (JorenDb    *db,
               const char *column,
               gint64      customer_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM customer_visits WHERE customer_id = %"
                                          G_GINT64_FORMAT, column, customer_id);

  return joren_test_query_int (db, sql);
}

static void
test_report_visits (Day *day, gconstpointer data)
{
  g_autoptr(JorenSale) refund = NULL;
  gint64 spend = 0;

  for (guint i = 0; i < 6; i += 2)
    spend += joren_sale_get_total (day_sale (day, i));
  g_assert_cmpint (visits_column (day->db, "visits", day->member), ==, 3);
  g_assert_cmpint (visits_column (day->db, "spend", day->member), ==, spend);
  g_assert_cmpint (visits_column (day->db, "first_visit", day->member), ==,
                   joren_db_time_to_usec (joren_sale_get_created_at (day_sale (day, 0))));
  g_assert_cmpint (visits_column (day->db, "last_visit", day->member), ==,
                   joren_db_time_to_usec (joren_sale_get_created_at (day_sale (day, 4))));

  /* A refund takes its money off the spend, and is no visit. */
  refund = commit_refund (day->db, day_sale (day, 2), day->session_id);
  g_assert_cmpint (joren_sale_get_customer_id (refund), ==, day->member);
  g_assert_cmpint (joren_sale_get_total (refund), <, 0);
  g_assert_cmpint (visits_column (day->db, "visits", day->member), ==, 3);
  g_assert_cmpint (visits_column (day->db, "spend", day->member), ==,
                   spend + joren_sale_get_total (refund));
  g_assert_cmpint (visits_column (day->db, "last_visit", day->member), ==,
                   joren_db_time_to_usec (joren_sale_get_created_at (day_sale (day, 4))));
}

static char *
summaries_text (JorenDb *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *sql =
    "SELECT (SELECT group_concat (r, ';') FROM (SELECT printf ('%s,%d,%s,%d,%d,%s,%d,%d,%d,%d',"
    "  business_day, hour, store, staff_id, member, kind, n, gross, tax, discounts) AS r"
    "  FROM report_days ORDER BY r))"
    " || '|' || (SELECT group_concat (r, ';') FROM (SELECT printf ('%s,%s,%d,%d,%d,%d,%d',"
    "  business_day, store, product_id, qty, net, tax, gross) AS r"
    "  FROM report_product_days ORDER BY r))"
    " || '|' || (SELECT group_concat (r, ';') FROM (SELECT printf ('%d,%d,%d,%d,%d',"
    "  customer_id, first_visit, last_visit, visits, spend) AS r FROM customer_visits ORDER BY r))";

  g_assert_cmpint (sqlite3_prepare_v2 (joren_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* What the commits kept (each from the values it held) is what adding up
 * the stored sales afresh gives, row for row. */
static void
test_report_rebuild (Day *day, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = summaries_text (day->db);
  g_autofree char *rebuilt = NULL;

  g_assert_nonnull (strstr (kept, "refund"));
  joren_db_rebuild_reports (day->db, &error);
  g_assert_no_error (error);
  rebuilt = summaries_text (day->db);
  g_assert_cmpstr (kept, ==, rebuilt);
}

static void
test_report_summary (Day *day, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  JorenReportSummary summary;
  JorenReportQuery query;
  gint64 sales = 0, member = 0, refund = -joren_sale_get_total (day_sale (day, 6));

  for (guint i = 0; i < 6; i++)
    {
      sales += joren_sale_get_total (day_sale (day, i));
      if (i % 2 == 0)
        member += joren_sale_get_total (day_sale (day, i));
    }
  today (&query);
  joren_report_summary (day->db, &query, &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary.n_sales, ==, 6);
  g_assert_cmpint (summary.sales_gross, ==, sales);
  g_assert_cmpint (summary.n_refunds, ==, 1);
  g_assert_cmpint (summary.refunds_gross, ==, refund);
  g_assert_cmpint (summary.gross, ==, sales - refund);
  g_assert_cmpint (summary.n_member_sales, ==, 3);
  g_assert_cmpint (summary.member_gross, ==, member);
  g_assert_cmpint (summary.anonymous_gross, ==, sales - member);
  g_assert_cmpint (summary.average_basket, ==, (sales + 3) / 6);
  g_assert_cmpint (summary.member_share_bp, ==, (member * 10000 + sales / 2) / sales);

  /* Another store, or another day, has nothing. */
  query.store = "ZZ";
  joren_report_summary (day->db, &query, &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary.n_sales, ==, 0);
}

static void
test_report_liability (Day *day, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 points = 0, value = -1, expected;

  expected = joren_points_balance (day->db, day->member, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expected, >, 0);
  joren_report_points_liability (day->db, &points, &value, &error);
  g_assert_no_error (error);
  g_assert_cmpint (points, ==, expected);
  g_assert_cmpint (value, ==, expected);  /* demo rate: 1 point = 1 yen */
  joren_report_voucher_liability (day->db, &value, &error);
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 0);
}

static void
test_report_csv (void)
{
  g_autoptr(JorenReport) report = g_new0 (JorenReport, 1);
  g_autoptr(GBytes) csv = NULL;
  JorenReportRow *row = joren_report_row_new ("7", "Latte, \"large\"");
  const char *expected =
    "\xEF\xBB\xBF" "Product,Name,Units,Net,Tax,Gross\r\n"
    "7,\"Latte, \"\"large\"\"\",3,-12.05,0.50,1234.00\r\n"
    "total,Total,0,0.00,0.00,0.00\r\n";

  report->grouping = JOREN_REPORT_BY_PRODUCT;
  report->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_report_row_free);
  report->total = joren_report_row_new ("total", "Total");
  row->count = 3;
  row->net = -1205;
  row->tax = 50;
  row->gross = 123400;
  g_ptr_array_add (report->rows, row);
  csv = joren_report_to_csv (report, 2);
  g_assert_cmpmem (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv),
                   expected, strlen (expected));
}

/* --- X and Z -------------------------------------------------------- */

static gint64
row_gross (GPtrArray *rows, const char *key)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (((JorenReportRow *) g_ptr_array_index (rows, i))->key, key))
      return ((JorenReportRow *) g_ptr_array_index (rows, i))->gross;
  return G_MININT64;
}

static void
test_zreport_totals (Day *day, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenZReport) x = NULL;
  g_autoptr(JorenZReport) z = NULL;
  g_autoptr(JorenZReport) again = NULL;
  g_autoptr(JorenShop) shop = joren_db_load_shop (day->db, NULL);
  g_autoptr(JorenReceipt) slip = NULL;
  gint64 sum = 0, tax = 0, taxed = 0;

  for (guint i = 0; i < day->sales->len; i++)
    {
      sum += joren_sale_get_total (day_sale (day, i));
      tax += joren_sale_get_tax_total (day_sale (day, i));
    }
  joren_void_log_add (day->db, 0, "Latte", 1, 450, &error);
  g_assert_no_error (error);
  x = joren_zreport_x (day->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (x->z_no, ==, 0);
  g_assert_cmpint (x->gross, ==, sum);
  g_assert_cmpint (x->tax, ==, tax);
  g_assert_cmpint (x->n_sales, ==, 6);
  g_assert_cmpint (x->n_refunds, ==, 1);
  g_assert_cmpint (x->n_voids, ==, 1);
  g_assert_cmpint (x->voids_total, ==, 450);
  g_assert_cmpint (row_gross (x->tenders, "cash"), ==, sum);   /* all paid cash */
  g_assert_cmpint (x->cash_expected, ==, 10000 + sum);
  for (guint i = 0; i < x->tax_rates->len; i++)
    taxed += ((JorenReportRow *) g_ptr_array_index (x->tax_rates, i))->gross;
  g_assert_cmpint (taxed, ==, sum);

  z = joren_zreport_close (day->db, 1, 10000 + sum - 100, &error);
  g_assert_no_error (error);
  g_assert_cmpint (z->z_no, ==, 1);
  g_assert_cmpint (z->gross, ==, sum);
  g_assert_cmpint (z->cash_difference, ==, -100);
  /* Closed: no X, no second Z for the same session. */
  g_assert_null (joren_zreport_x (day->db, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NO_SESSION);
  g_clear_error (&error);
  again = joren_zreport_get_by_number (day->db, z->register_prefix, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->gross, ==, z->gross);
  g_assert_cmpint (again->cash_counted, ==, z->cash_counted);
  g_assert_cmpint (row_gross (again->tenders, "cash"), ==, sum);
  g_assert_cmpuint (again->tax_rates->len, ==, z->tax_rates->len);
  slip = joren_receipt_new_for_zreport (shop, again);
  g_assert_cmpuint (joren_receipt_get_n_blocks (slip), >, 10);
}

static void
close_day (JorenDb *db, gint64 expect_no)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCashSession) session = joren_cash_session_open (db, 1, 0, &error);
  g_autoptr(JorenZReport) z = NULL;

  g_assert_no_error (error);
  z = joren_zreport_close (db, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (z->z_no, ==, expect_no);
}

/* A crash in the closing transaction hands out no number and closes
 * nothing; the numbers stay gapless and are never issued twice. */
static void
test_zreport_crash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JorenCashSession) open = NULL;

  if (g_test_subprocess ())
    {
      db = joren_db_open (g_getenv ("JOREN_TEST_DB"), &error);
      g_assert_no_error (error);
      g_setenv ("JOREN_CRASH_POINT", "zreport-before-commit", TRUE);
      joren_zreport_close (db, 1, 0, &error);
      g_assert_not_reached ();
    }
  db = joren_test_open_demo_db ("jp");
  close_day (db, 1);
  open = joren_cash_session_open (db, 1, 500, &error);
  g_assert_no_error (error);
  g_setenv ("JOREN_TEST_DB", joren_db_get_path (db), TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_clear_object (&db);
  path = g_strdup (g_getenv ("JOREN_TEST_DB"));
  db = joren_db_open (path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&open, joren_cash_session_free);
  open = joren_cash_session_current (db, &error);
  g_assert_no_error (error);   /* still open */
  g_assert_cmpint (joren_test_query_int (db, "SELECT count (*) FROM z_reports"), ==, 1);
  {
    g_autoptr(JorenZReport) z = joren_zreport_close (db, 1, 500, &error);

    g_assert_no_error (error);
    g_assert_cmpint (z->z_no, ==, 2);
  }
  close_day (db, 3);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count (DISTINCT z_no) FROM z_reports"),
                   ==, 3);
}

/* --- segments ------------------------------------------------------- */

#define N_CUSTOMERS 300
#define DAY_US G_TIME_SPAN_DAY

typedef struct {
  gint64 id;
  gint64 first, last;      /* all-time sale visits; 0: none */
  gint64 visits;
  gint64 spend_in_period;  /* sales - refunds in the period */
  gint64 visits_in_period;
  guint  tier;
  guint  birthday_month;
  gboolean consent_email;
} Known;

typedef struct {
  JorenDb *db;
  Known    known[N_CUSTOMERS];
  gint64   now, from, to;
} Segments;

static void
insert_sale (JorenDb *db, gint64 customer_id, gint64 at, gint64 total, gboolean refund)
{
  static gint64 n;
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db,
    "INSERT INTO sales (uuid, receipt_no, kind, original_sale_id, staff_name, created_at,"
    " business_day, currency, prices_include_tax, subtotal, discount_total, tax_total, total,"
    " paid, change, customer_id) VALUES (?1, ?2, ?3, CASE WHEN ?3 = 'refund' THEN 1 END,"
    " 'T', ?4, date (?4 / 1000000, 'unixepoch'), 'JPY', 1, ?5, 0, 0, ?5, ?5, 0, ?6)", &error);

  g_assert_no_error (error);
  n++;
  sqlite3_bind_text (stmt, 1, g_strdup_printf ("u-%" G_GINT64_FORMAT, n), -1, g_free);
  sqlite3_bind_text (stmt, 2, g_strdup_printf ("SEG-%06" G_GINT64_FORMAT, n), -1, g_free);
  sqlite3_bind_text (stmt, 3, refund ? "refund" : "sale", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, at);
  sqlite3_bind_int64 (stmt, 5, total);
  sqlite3_bind_int64 (stmt, 6, customer_id);
  joren_db_step_done (db, stmt, "insert", &error);
  g_assert_no_error (error);
}

static gint64
insert_known_customer (JorenDb *db, guint i, Known *k)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db,
    "INSERT INTO customers (member_no, name, store, created_at, tier, birthday, consent_email)"
    " VALUES (?, 'c', 'S1', 0, ?, ?, ?)", &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, g_strdup_printf ("SEG-M%04u", i), -1, g_free);
  sqlite3_bind_int (stmt, 2, (int) k->tier);
  sqlite3_bind_text (stmt, 3, g_strdup_printf ("1990-%02u-15", k->birthday_month), -1, g_free);
  sqlite3_bind_int (stmt, 4, k->consent_email);
  joren_db_step_done (db, stmt, "insert", &error);
  g_assert_no_error (error);
  return sqlite3_last_insert_rowid (joren_db_get_handle (db));
}

static void
add_visit (Segments *s, Known *k, gint64 at, gint64 total, gboolean refund)
{
  insert_sale (s->db, k->id, at, refund ? -total : total, refund);
  if (at >= s->from && at < s->to)
    {
      k->spend_in_period += refund ? -total : total;
      k->visits_in_period += !refund;
    }
  if (refund)
    return;
  k->visits++;
  k->first = k->first == 0 ? at : MIN (k->first, at);
  k->last = MAX (k->last, at);
}

static void
segments_setup (Segments *s, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;

  s->db = joren_test_open_demo_db ("jp");
  s->now = (gint64) 1717200000 * G_USEC_PER_SEC;   /* 2024-06-01 */
  s->from = s->now - 30 * DAY_US;
  s->to = s->now;
  joren_db_begin (s->db, NULL);
  for (guint i = 0; i < N_CUSTOMERS; i++)
    {
      Known *k = &s->known[i];
      guint n = (guint) g_rand_int_range (rand, 0, 6);

      k->tier = (guint) g_rand_int_range (rand, 0, 3);
      k->birthday_month = (guint) g_rand_int_range (rand, 1, 13);
      k->consent_email = g_rand_boolean (rand);
      k->id = insert_known_customer (s->db, i, k);
      for (guint v = 0; v < n; v++)
        add_visit (s, k, s->now - g_rand_int_range (rand, 1, 200) * DAY_US
                         + (gint64) g_rand_int_range (rand, 0, 86400) * G_USEC_PER_SEC,
                   g_rand_int_range (rand, 1, 100) * 100, FALSE);
      if (n > 0 && g_rand_int_range (rand, 0, 4) == 0)
        add_visit (s, k, s->now - g_rand_int_range (rand, 1, 60) * DAY_US, 100, TRUE);
    }
  joren_db_commit (s->db, NULL);
  /* Written with SQL, not committed: their visits are added up here. */
  joren_db_rebuild_reports (s->db, &error);
  g_assert_no_error (error);
}

static void
segments_teardown (Segments *s, gconstpointer data)
{
  g_object_unref (s->db);
}

/* The ids of the whole segment, paging through it 7 at a time. */
static GArray *
run_all (JorenDb *db, const JorenSegmentFilter *filter)
{
  g_autoptr(GError) error = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint64 total = G_MAXUINT64;

  for (guint offset = 0;; offset += 7)
    {
      g_autoptr(JorenSegmentPage) page = joren_segment_run (db, filter, offset, 7, &error);

      g_assert_no_error (error);
      if (total != G_MAXUINT64)
        g_assert_cmpuint (page->total, ==, total);
      total = page->total;
      g_array_append_vals (ids, page->ids->data, page->ids->len);
      if (page->ids->len < 7)
        break;
    }
  g_assert_cmpuint (ids->len, ==, total);
  return ids;
}

typedef gboolean (*KnownPredicate) (const Segments *s, const Known *k);

static void
assert_same_set (Segments *s, const JorenSegmentFilter *filter, KnownPredicate in_segment)
{
  g_autoptr(GArray) ids = run_all (s->db, filter);
  guint expected = 0;

  for (guint i = 0; i < N_CUSTOMERS; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < ids->len; j++)
        found |= g_array_index (ids, gint64, j) == s->known[i].id;
      g_assert_cmpint (found, ==, in_segment (s, &s->known[i]));
      expected += in_segment (s, &s->known[i]);
    }
  g_assert_cmpuint (ids->len, ==, expected);
  g_assert_cmpuint (expected, >, 0);
}

static gboolean
is_lapsed (const Segments *s, const Known *k)
{
  return k->visits > 0 && k->last < s->now - 60 * DAY_US;
}

static gboolean
is_june_birthday (const Segments *s, const Known *k)
{
  return k->birthday_month == 6;
}

static gboolean
is_first_time (const Segments *s, const Known *k)
{
  return k->first >= s->from && k->first < s->to && k->visits_in_period == 1;
}

static gboolean
is_tier_2 (const Segments *s, const Known *k)
{
  return k->tier == 2;
}

static gboolean
is_builder_match (const Segments *s, const Known *k)
{
  return k->spend_in_period >= 3000 && k->visits_in_period <= 2 && k->consent_email
         && k->tier == 1;
}

static void
test_segments_ready (Segments *s, gconstpointer data)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (s->now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (s->from / G_USEC_PER_SEC);
  JorenSegmentFilter filter = { 0, };

  joren_segment_preset_lapsed (&filter, now, 60);
  assert_same_set (s, &filter, is_lapsed);
  joren_segment_preset_birthdays (&filter, now);
  assert_same_set (s, &filter, is_june_birthday);
  joren_segment_preset_first_time (&filter, from, now);
  assert_same_set (s, &filter, is_first_time);
  joren_segment_preset_tier (&filter, 2);
  assert_same_set (s, &filter, is_tier_2);

  filter = (JorenSegmentFilter) { 0, };
  filter.conditions = JOREN_SEGMENT_SPEND_MIN | JOREN_SEGMENT_VISITS_MAX
                      | JOREN_SEGMENT_CONSENT_EMAIL | JOREN_SEGMENT_TIER;
  filter.period_from = from;
  filter.period_to = now;
  filter.spend_min = 3000;
  filter.visits_max = 2;
  filter.tier = 1;
  assert_same_set (s, &filter, is_builder_match);
}

static void
test_segments_best (Segments *s, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (s->now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (s->from / G_USEC_PER_SEC);
  g_autoptr(JorenSegmentPage) page = NULL;
  JorenSegmentFilter filter = { 0, };
  gint64 previous = G_MAXINT64;

  joren_segment_preset_best (&filter, from, now);
  page = joren_segment_run (s->db, &filter, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->ids->len, ==, 10);
  for (guint j = 0; j < page->ids->len; j++)
    for (guint i = 0; i < N_CUSTOMERS; i++)
      if (s->known[i].id == g_array_index (page->ids, gint64, j))
        {
          guint better = 0;

          g_assert_cmpint (s->known[i].spend_in_period, <=, previous);
          previous = s->known[i].spend_in_period;
          for (guint o = 0; o < N_CUSTOMERS; o++)
            better += s->known[o].visits_in_period > 0
                      && s->known[o].spend_in_period > previous;
          g_assert_cmpuint (better, <=, j);
        }
}

/* --- attendance ----------------------------------------------------- */

static GDateTime *
local_time (int hour, int minute)
{
  return g_date_time_new_local (2024, 5, 14, hour, minute, 0);
}

static void
clock_at (JorenDb *db, gint64 staff_id, JorenClockKind kind, int hour, int minute)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) at = local_time (hour, minute);
  g_autoptr(JorenClockEvent) event = joren_attendance_clock_at (db, staff_id, kind, at, &error);

  g_assert_no_error (error);
}

static void
test_attendance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenStaff) chen = joren_test_find_staff (db, "Chen");
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(JorenClockEvent) in = NULL;
  g_autoptr(JorenClockEvent) out = NULL;
  g_autoptr(JorenClockEvent) refused = NULL;
  g_autoptr(GBytes) csv = NULL;
  const JorenAttendanceDay *day;

  clock_at (db, chen->id, JOREN_CLOCK_IN, 9, 0);
  clock_at (db, chen->id, JOREN_CLOCK_OUT, 12, 0);
  clock_at (db, chen->id, JOREN_CLOCK_IN, 12, 30);
  clock_at (db, chen->id, JOREN_CLOCK_OUT, 17, 0);
  days = joren_attendance_report (db, "2024-05-14", "2024-05-14", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 1);
  day = g_ptr_array_index (days, 0);
  g_assert_cmpint (day->worked_us, ==, (gint64) 450 * 60 * G_USEC_PER_SEC);
  g_assert_cmpint (day->break_us, ==, (gint64) 30 * 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (day->n_breaks, ==, 1);
  g_assert_cmpint (g_date_time_get_hour (day->last_out), ==, 17);
  csv = joren_attendance_to_csv (days);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv),
                                  ",7.50,0.50\r\n"));

  /* A card clocks in, then out; a deactivated holder's card is refused. */
  joren_staff_add_card (db, chen->id, "STAFF-9", &error);
  g_assert_no_error (error);
  in = joren_attendance_clock_card (db, "STAFF-9", &error);
  g_assert_no_error (error);
  g_assert_cmpint (in->kind, ==, JOREN_CLOCK_IN);
  out = joren_attendance_clock_pin (db, chen->id, "3333", &error);
  g_assert_no_error (error);
  g_assert_cmpint (out->kind, ==, JOREN_CLOCK_OUT);
  joren_staff_add_card (db, 1, "STAFF-9", &error);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_clear_error (&error);
  joren_staff_set_role (db, chen->id, JOREN_ROLE_MANAGER, &error);
  g_assert_no_error (error);
  joren_staff_deactivate (db, chen->id, &error);
  g_assert_no_error (error);
  refused = joren_attendance_clock_card (db, "STAFF-9", &error);
  g_assert_null (refused);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_PERMISSION);
}

static void
test_performance (Day *day, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) perf = NULL;
  JorenReportQuery query;
  gint64 chen = 0;

  for (guint i = 0; i < 6; i++)
    chen += joren_sale_get_total (day_sale (day, i));
  today (&query);
  perf = joren_attendance_performance (day->db, query.first_day, query.last_day, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (perf->len, ==, 2);   /* Chen sold, Ben refunded */
  g_assert_cmpint (((JorenStaffPerformance *) g_ptr_array_index (perf, 0))->gross, ==, chen);
  g_assert_cmpint (((JorenStaffPerformance *) g_ptr_array_index (perf, 0))->n_sales, ==, 6);
}

/* --- privacy -------------------------------------------------------- */

/* Rows of later schemas naming the survivor (s) and the duplicate (d):
 * a shared promotion run and birthday, one each the survivor lacks, a
 * count card, stamps, a voucher, a coupon code and a pay-later account
 * each. */
static void
add_merge_rows (JorenDb *db,
                gint64   s,
                gint64   d,
                gint64   sale_id)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO promotion_runs (id, kind, channel, name, body, created_at) VALUES"
    " (901, 'campaign', 'email', 'Spring', 'b', 0), (902, 'campaign', 'email', 'Summer', 'b', 0);"
    "INSERT INTO promotion_recipients (run_id, customer_id, status) VALUES"
    " (901, %1$" G_GINT64_FORMAT ", 'sent'), (901, %2$" G_GINT64_FORMAT ", 'sent'),"
    " (902, %2$" G_GINT64_FORMAT ", 'sent');"
    "INSERT INTO birthday_greetings (customer_id, year, channel, at) VALUES"
    " (%1$" G_GINT64_FORMAT ", 2026, 'email', 0), (%2$" G_GINT64_FORMAT ", 2026, 'email', 0),"
    " (%2$" G_GINT64_FORMAT ", 2025, 'email', 0);"
    "INSERT INTO punch_cards (customer_id, name, visits, issued_at, sale_id, sale_uuid,"
    " line_position, seq) VALUES (%2$" G_GINT64_FORMAT ", '10 coffees', 10, 0,"
    " %3$" G_GINT64_FORMAT ", 'u', 0, 0);"
    "INSERT INTO stamp_programmes (id, name, category_id, stamps_needed) VALUES (901, 'Cake', 1, 10);"
    "INSERT INTO punch_ledger (customer_id, programme_id, kind, units, reason, created_at) VALUES"
    " (%1$" G_GINT64_FORMAT ", 901, 'adjust', 2, 'x', 0), (%2$" G_GINT64_FORMAT ", 901, 'adjust', 5, 'x', 0);"
    "INSERT INTO value_accounts (number, kind, customer_id, store, created_at) VALUES"
    " ('V-DUP', 'gift', %2$" G_GINT64_FORMAT ", 'R1', 0),"
    " ('A-SURV', 'customer_account', %1$" G_GINT64_FORMAT ", 'R1', 0),"
    " ('A-DUP', 'customer_account', %2$" G_GINT64_FORMAT ", 'R1', 0);"
    "INSERT INTO coupon_campaigns (id, name, kind, value, created_at) VALUES (901, 'c', 'amount', 1, 0);"
    "INSERT INTO coupon_codes (code, campaign_id, customer_id, issued_at) VALUES"
    " ('CODE', 901, %2$" G_GINT64_FORMAT ", 0);", s, d, sale_id);

  g_assert_cmpint (sqlite3_exec (joren_db_get_handle (db), sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static gint64
count_of (JorenDb    *db,
          const char *format,
          gint64      customer_id)
{
  g_autofree char *sql = g_strdup_printf (format, customer_id);

  return joren_test_query_int (db, sql);
}

/* Where each row of add_merge_rows went. */
static void
check_merge_rows (JorenDb *db,
                  gint64   s,
                  gint64   d)
{
  /* Run 1 had both: the duplicate's row stays; run 2 moves. */
  g_assert_cmpint (count_of (db, "SELECT count (*) FROM promotion_recipients WHERE customer_id = %"
                             G_GINT64_FORMAT " AND run_id = 902", s), ==, 1);
  g_assert_cmpint (count_of (db, "SELECT count (*) FROM promotion_recipients WHERE customer_id = %"
                             G_GINT64_FORMAT, d), ==, 1);
  g_assert_cmpint (count_of (db, "SELECT count (*) FROM birthday_greetings WHERE customer_id = %"
                             G_GINT64_FORMAT, s), ==, 2);
  g_assert_cmpint (count_of (db, "SELECT count (*) FROM punch_cards WHERE customer_id = %"
                             G_GINT64_FORMAT, s), ==, 1);
  g_assert_cmpint (count_of (db, "SELECT sum (units) FROM punch_ledger WHERE programme_id = 901"
                             " AND customer_id = %" G_GINT64_FORMAT, s), ==, 7);
  g_assert_cmpint (count_of (db, "SELECT sum (units) FROM punch_ledger WHERE programme_id = 901"
                             " AND customer_id = %" G_GINT64_FORMAT, d), ==, 0);
  g_assert_cmpint (count_of (db, "SELECT count (*) FROM value_accounts WHERE number = 'V-DUP'"
                             " AND customer_id = %" G_GINT64_FORMAT, s), ==, 1);
  /* One pay-later account per customer: the duplicate's keeps its own. */
  g_assert_cmpint (count_of (db, "SELECT count (*) FROM value_accounts WHERE number = 'A-DUP'"
                             " AND customer_id = %" G_GINT64_FORMAT, d), ==, 1);
  g_assert_cmpint (count_of (db, "SELECT count (*) FROM coupon_codes WHERE customer_id = %"
                             G_GINT64_FORMAT, s), ==, 1);
}

static void
test_merge (Day *day, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) survivor = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  gint64 dup = add_customer (day->db, "Sato T.", "CARD-2");
  g_autoptr(JorenSale) sale = commit_sale (day->db, 2, dup, day->session_id);
  gint64 before = joren_points_balance (day->db, day->member, NULL)
                  + joren_points_balance (day->db, dup, NULL);

  joren_customer_merge (day->db, 1, day->member, day->member, &error);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  add_merge_rows (day->db, day->member, dup, joren_sale_get_id (sale));
  joren_customer_merge (day->db, 1, day->member, dup, &error);
  g_assert_no_error (error);
  check_merge_rows (day->db, day->member, dup);
  g_assert_cmpint (joren_points_balance (day->db, day->member, NULL), ==, before);
  g_assert_cmpint (joren_points_balance (day->db, dup, NULL), ==, 0);
  survivor = joren_customer_find_by_card (day->db, "CARD-2", &error);
  g_assert_no_error (error);
  g_assert_cmpint (survivor->id, ==, day->member);
  g_assert_cmpint (joren_test_query_int (day->db, "SELECT count (*) FROM sales"
                                                  " WHERE customer_id IS NOT NULL"), ==, 4);
  g_assert_cmpint (joren_test_query_int (day->db, "SELECT count (DISTINCT customer_id)"
                                                  " FROM sales WHERE customer_id IS NOT NULL"), ==, 1);
  g_assert_cmpint (joren_test_query_int (day->db, "SELECT visits FROM customer_visits"
                                                  " ORDER BY customer_id LIMIT 1"), ==, 4);
  audit = joren_audit_list (day->db, day->member, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 1);
  g_assert_cmpint (((JorenAuditEntry *) g_ptr_array_index (audit, 0))->action, ==,
                   JOREN_AUDIT_MERGE);
}

static void
test_export_anonymise (Day *day, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JorenCustomer) after = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  cJSON *root;
  gboolean anonymised = TRUE;

  json = joren_customer_export_json (day->db, 1, day->member, &error);
  g_assert_no_error (error);
  root = cJSON_Parse (json);
  g_assert_nonnull (root);
  g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetObjectItem (root, "customer"), "name")
                   ->valuestring, ==, "Sato");
  g_assert_cmpint (cJSON_GetArraySize (cJSON_GetObjectItem (root, "sales")), ==, 3);
  cJSON_Delete (root);

  joren_customer_is_anonymised (day->db, day->member, &anonymised, &error);
  g_assert_no_error (error);
  g_assert_false (anonymised);
  joren_customer_anonymise (day->db, 2, day->member, &error);
  g_assert_no_error (error);
  after = joren_customer_admin_view (day->db, 1, day->member, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->name, ==, "");
  g_assert_null (after->email);
  g_assert_cmpuint (after->cards->len, ==, 0);
  g_assert_cmpint (joren_test_query_int (day->db, "SELECT count (*) FROM sales"
                                                  " WHERE customer_id IS NOT NULL"), ==, 3);
  audit = joren_audit_list (day->db, day->member, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 3);   /* export, anonymise, view: newest first */
  g_assert_cmpint (((JorenAuditEntry *) g_ptr_array_index (audit, 2))->action, ==,
                   JOREN_AUDIT_EXPORT);
  /* The log cannot be rewritten. */
  g_assert_false (joren_db_exec (day->db, "DELETE FROM audit_log", "delete", &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (joren_test_query_int (day->db, "SELECT count (*) FROM audit_log"), ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define DAY_TEST(path, fn) \
  g_test_add ("/joren/data/backoffice/" path, Day, NULL, day_setup, fn, day_teardown)
  DAY_TEST ("report/groupings", test_report_groupings);
  DAY_TEST ("report/products", test_report_products);
  g_test_add_func ("/joren/data/backoffice/report/product-lines", test_report_product_lines);
  DAY_TEST ("report/visits", test_report_visits);
  DAY_TEST ("report/rebuild", test_report_rebuild);
  DAY_TEST ("report/summary", test_report_summary);
  DAY_TEST ("report/liability", test_report_liability);
  g_test_add_func ("/joren/data/backoffice/report/csv", test_report_csv);
  DAY_TEST ("zreport/totals", test_zreport_totals);
  g_test_add_func ("/joren/data/backoffice/zreport/crash", test_zreport_crash);
  g_test_add ("/joren/data/backoffice/segment/ready", Segments, NULL, segments_setup,
              test_segments_ready, segments_teardown);
  g_test_add ("/joren/data/backoffice/segment/best", Segments, NULL, segments_setup,
              test_segments_best, segments_teardown);
  g_test_add_func ("/joren/data/backoffice/attendance/clock", test_attendance);
  DAY_TEST ("attendance/performance", test_performance);
  DAY_TEST ("privacy/merge", test_merge);
  DAY_TEST ("privacy/export-anonymise", test_export_anonymise);
  return g_test_run ();
}
