/* test-sale-db.c: storing sales: a commit and load give back the same
 * sale to the yen; receipt numbers are gapless even across refused
 * commits; a sale is never stored twice or unpaid; refunds in parts stop
 * at what was sold; parked sales come back as they were left. */
#include <string.h>

#include "joren-db-private.h"
#include "joren-outbox.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"

/* A sale touching every stored field: quantities, a line discount, a
 * receipt discount, a weighed in-store item, an open item, two tenders. */
static JorenSale *
rich_sale (JorenDb *db)
{
  g_autoptr(GError) error = NULL;
  JorenSale *sale = joren_test_new_sale (db, 4);
  g_autoptr(JorenProduct) beef = joren_test_find_product (db, "ローストビーフ");
  g_autofree char *code = joren_barcode_make_in_store ("2012346", 345);
  JorenDiscount line_discount = { JOREN_DISCOUNT_PERCENT, 1000 };
  JorenDiscount receipt_discount = { JOREN_DISCOUNT_AMOUNT, 50 };
  JorenBarcode barcode;

  joren_barcode_parse (code, &barcode, &error);
  g_assert_no_error (error);
  joren_sale_add_in_store (sale, beef, &barcode);
  joren_sale_add_open_item (sale, "Gift wrap", 110, beef->tax_class_id, beef->rate_bp);
  joren_sale_get_line_mutable (sale, 1)->reference = g_strdup ("wrap-18");
  joren_sale_set_line_discount (sale, 1, &line_discount, &error);
  g_assert_no_error (error);
  joren_sale_set_discount (sale, &receipt_discount, &error);
  g_assert_no_error (error);
  joren_sale_add_tender (sale, JOREN_TENDER_CARD, 1000, "A-17", &error);
  g_assert_no_error (error);
  joren_test_pay_cash (sale, 330);
  return sale;
}

static void
assert_same_sale (JorenSale *a,
                  JorenSale *b)
{
  g_assert_cmpint (joren_sale_get_kind (a), ==, joren_sale_get_kind (b));
  g_assert_cmpint (joren_sale_get_subtotal (a), ==, joren_sale_get_subtotal (b));
  g_assert_cmpint (joren_sale_get_discount_total (a), ==, joren_sale_get_discount_total (b));
  g_assert_cmpint (joren_sale_get_tax_total (a), ==, joren_sale_get_tax_total (b));
  g_assert_cmpint (joren_sale_get_total (a), ==, joren_sale_get_total (b));
  g_assert_cmpint (joren_sale_get_paid (a), ==, joren_sale_get_paid (b));
  g_assert_cmpint (joren_sale_get_change (a), ==, joren_sale_get_change (b));
  g_assert_cmpuint (joren_sale_get_n_lines (a), ==, joren_sale_get_n_lines (b));
  for (guint i = 0; i < joren_sale_get_n_lines (a); i++)
    {
      const JorenSaleLine *x = joren_sale_get_line (a, i);
      const JorenSaleLine *y = joren_sale_get_line (b, i);

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->barcode, ==, y->barcode);
      g_assert_cmpint (x->product_id, ==, y->product_id);
      g_assert_cmpint (x->qty, ==, y->qty);
      g_assert_cmpint (x->weight_g, ==, y->weight_g);
      g_assert_cmpint (x->amount, ==, y->amount);
      g_assert_cmpint (x->receipt_discount, ==, y->receipt_discount);
      g_assert_cmpint (x->kind, ==, y->kind);
      g_assert_cmpstr (x->reference, ==, y->reference);
    }
  g_assert_cmpuint (joren_sale_get_n_tax_lines (a), ==, joren_sale_get_n_tax_lines (b));
  for (guint i = 0; i < joren_sale_get_n_tax_lines (a); i++)
    {
      g_assert_cmpuint (joren_sale_get_tax_line (a, i)->rate_bp, ==, joren_sale_get_tax_line (b, i)->rate_bp);
      g_assert_cmpint (joren_sale_get_tax_line (a, i)->tax, ==, joren_sale_get_tax_line (b, i)->tax);
    }
  g_assert_cmpuint (joren_sale_get_n_tenders (a), ==, joren_sale_get_n_tenders (b));
}

static gint64
stored_int (JorenDb    *db,
            const char *column,
            gint64      sale_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM sales WHERE id = %" G_GINT64_FORMAT,
                                          column, sale_id);

  return joren_test_query_int (db, sql);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenSale) sale = rich_sale (db);
  g_autoptr(JorenSale) loaded = NULL;
  g_autoptr(JorenSale) last = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *day = NULL;
  g_autofree char *sql = NULL;
  gint64 id;

  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
  id = joren_sale_get_id (sale);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (joren_sale_get_receipt_no (sale), ==, "R1-000001");
  g_assert_nonnull (joren_sale_get_created_at (sale));
  g_assert_cmpint (joren_sale_get_line (sale, 0)->id, >, 0);

  /* What is in the file is what the till showed. */
  g_assert_cmpint (stored_int (db, "total", id), ==, joren_sale_get_total (sale));
  g_assert_cmpint (stored_int (db, "tax_total", id), ==, joren_sale_get_tax_total (sale));
  g_assert_cmpint (stored_int (db, "change", id), ==, 330);
  local = g_date_time_to_local (joren_sale_get_created_at (sale));
  day = g_date_time_format (local, "%Y-%m-%d");
  sql = g_strdup_printf ("SELECT count(*) FROM sales WHERE business_day = '%s'", day);
  g_assert_cmpint (joren_test_query_int (db, sql), ==, 1);
  g_assert_cmpint (stored_int (db, "(SELECT sum (amount) FROM sale_lines WHERE sale_id = sales.id)", id),
                   ==, joren_sale_get_total (sale));
  g_assert_cmpint (stored_int (db, "(SELECT sum (gross) FROM sale_taxes WHERE sale_id = sales.id)", id),
                   ==, joren_sale_get_total (sale));

  loaded = joren_db_load_sale (db, "R1-000001", &error);
  g_assert_no_error (error);
  assert_same_sale (sale, loaded);
  g_assert_cmpstr (joren_sale_get_uuid (loaded), ==, joren_sale_get_uuid (sale));
  g_assert_cmpstr (joren_sale_get_staff_name (loaded), ==, "Chen");
  g_assert_true (g_date_time_equal (joren_sale_get_created_at (loaded), joren_sale_get_created_at (sale)));
  g_assert_cmpint (joren_sale_get_line (loaded, 2)->id, ==, joren_sale_get_line (sale, 2)->id);

  last = joren_db_load_last_sale (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_id (last), ==, id);
  g_clear_object (&loaded);
  loaded = joren_db_load_sale (db, "R1-999999", &error);
  g_assert_null (loaded);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
}

static char *
commit_new (JorenDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) sale = joren_test_new_sale (db, 1);

  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
  return g_strdup (joren_sale_get_receipt_no (sale));
}

static void
test_refused_commits (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenSale) unpaid = joren_test_new_sale (db, 2);
  g_autoptr(JorenSale) no_staff = joren_test_new_sale (db, 2);
  g_autoptr(JorenSale) twice = joren_test_new_sale (db, 2);
  g_autofree char *first = commit_new (db);
  g_autofree char *last = NULL;

  g_assert_cmpstr (first, ==, "R1-000001");
  g_assert_false (joren_db_commit_sale (db, unpaid, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_PAID);
  g_clear_error (&error);

  joren_test_pay_cash (no_staff, 0);
  joren_sale_set_staff (no_staff, 0, NULL);
  g_assert_false (joren_db_commit_sale (db, no_staff, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);

  /* The second commit of one sale fails inside the transaction, after it
   * drew a receipt number: the rollback gives the number back. */
  joren_test_pay_cash (twice, 0);
  joren_db_commit_sale (db, twice, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (joren_sale_get_receipt_no (twice), ==, "R1-000002");
  g_assert_false (joren_db_commit_sale (db, twice, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_assert_cmpstr (joren_sale_get_receipt_no (twice), ==, "R1-000002");
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sales"), ==, 2);

  last = commit_new (db);
  g_assert_cmpstr (last, ==, "R1-000003");
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sales"), ==, 3);
}

static void
test_gapless (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");

  for (guint i = 1; i <= 12; i++)
    {
      g_autofree char *receipt = commit_new (db);
      g_autofree char *expected = g_strdup_printf ("R1-%06u", i);

      g_assert_cmpstr (receipt, ==, expected);
    }
  g_assert_cmpint (joren_test_query_int (db, "SELECT next FROM receipt_sequences WHERE prefix = 'R1'"),
                   ==, 13);
}

/* Settles every queued op: acknowledged, or refused for good with reason. */
static void
settle_all (JorenDb    *db,
            const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = joren_outbox_list (db, 1000, &error);
  g_autofree JorenOutboxResult *results = NULL;

  g_assert_no_error (error);
  results = g_new0 (JorenOutboxResult, ops->len + 1);
  for (guint i = 0; i < ops->len; i++)
    {
      results[i].op_id = ((JorenOutboxOp *) g_ptr_array_index (ops, i))->op_id;
      results[i].reason = reason;
    }
  joren_outbox_settle (db, results, ops->len, &error);
  g_assert_no_error (error);
}

static gint64
last_queued_seq (JorenDb *db)
{
  return joren_test_query_int (db, "SELECT max (seq) FROM sync_outbox");
}

/* Each sale's op takes the next sequence number in the commit, gapless,
 * and never one the server already has: ops it took leave the outbox,
 * ops it refused stay, and the numbering goes on after both. */
static void
test_outbox_sequence (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  gint64 first;

  settle_all (db, NULL);
  first = joren_outbox_get_next_seq (db);
  g_assert_cmpint (first, >=, 1);
  for (guint i = 0; i < 3; i++)
    g_free (commit_new (db));
  g_assert_cmpint (joren_test_query_int (db, "SELECT count (*) FROM sync_outbox"), ==, 3);
  g_assert_cmpint (joren_test_query_int (db, "SELECT min (seq) FROM sync_outbox"), ==, first);
  g_assert_cmpint (last_queued_seq (db), ==, first + 2);

  settle_all (db, NULL);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count (*) FROM sync_outbox"), ==, 0);
  g_assert_cmpint (joren_outbox_get_next_seq (db), ==, first + 3);
  g_free (commit_new (db));
  g_assert_cmpint (last_queued_seq (db), ==, first + 3);

  settle_all (db, "invalid_payload");
  g_assert_cmpint (joren_outbox_count_rejected (db), ==, 1);
  g_free (commit_new (db));
  g_assert_cmpint (last_queued_seq (db), ==, first + 4);
  settle_all (db, NULL);
  g_assert_cmpint (joren_outbox_get_next_seq (db), ==, first + 5);
}

static JorenSale *
refund (JorenDb    *db,
        const char *receipt_no,
        guint       line,
        gint64      qty)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenStaff) ben = joren_test_find_staff (db, "Ben");
  JorenSale *sale = joren_db_prepare_refund (db, receipt_no, &error);

  g_assert_no_error (error);
  joren_sale_add_refund_line (sale, line, qty, &error);
  g_assert_no_error (error);
  joren_sale_set_staff (sale, ben->id, ben->name);
  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
  return sale;
}

/* A stored refund loads with its lines tied to the original, and cannot
 * itself be refunded. */
static void
check_stored_refund (JorenDb   *db,
                     JorenSale *sale,
                     JorenSale *refund)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) loaded = joren_db_load_sale (db, joren_sale_get_receipt_no (refund), &error);
  g_autoptr(JorenSale) again = NULL;

  g_assert_no_error (error);
  assert_same_sale (refund, loaded);
  g_assert_cmpint (joren_sale_get_id (joren_sale_get_original (loaded)), ==, joren_sale_get_id (sale));
  again = joren_db_prepare_refund (db, joren_sale_get_receipt_no (refund), &error);
  g_assert_null (again);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
}

static void
test_refunds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenSale) sale = joren_test_new_sale (db, 3);   /* qty 1, 2, 3 */
  g_autoptr(JorenSale) part = NULL;
  g_autoptr(JorenSale) rest = NULL;
  g_autoptr(JorenSale) rest_of_line = NULL;
  g_autoptr(JorenSale) more = NULL;
  const char *receipt;

  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
  receipt = joren_sale_get_receipt_no (sale);

  part = refund (db, receipt, 2, 2);
  g_assert_cmpint (joren_sale_get_kind (part), ==, JOREN_SALE_KIND_REFUND);
  g_assert_cmpint (joren_sale_get_line (part, 0)->qty, ==, -2);
  g_assert_cmpint (stored_int (db, "original_sale_id", joren_sale_get_id (part)), ==,
                   joren_sale_get_id (sale));

  /* The next refund knows what was already taken back. */
  more = joren_db_prepare_refund (db, receipt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_refundable_qty (more, 2), ==, 1);
  g_assert_cmpint (joren_sale_get_refundable_qty (more, 1), ==, 2);
  g_clear_object (&more);

  rest_of_line = refund (db, receipt, 2, 1);
  rest = refund (db, receipt, 0, 1);
  g_clear_object (&rest);
  rest = refund (db, receipt, 1, 2);
  g_assert_cmpint (joren_sale_get_total (part) + joren_sale_get_total (rest_of_line)
                   + joren_sale_get_total (rest)
                   + joren_test_query_int (db, "SELECT total FROM sales WHERE receipt_no = 'R1-000004'"),
                   ==, -joren_sale_get_total (sale));

  more = joren_db_prepare_refund (db, receipt, &error);
  g_assert_null (more);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  check_stored_refund (db, sale, part);
}

static void
test_refund_race (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenSale) sale = joren_test_new_sale (db, 2);   /* qty 1, 2 */
  g_autoptr(JorenSale) first = NULL;
  g_autoptr(JorenSale) second = NULL;
  g_autoptr(JorenStaff) ben = joren_test_find_staff (db, "Ben");

  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);

  /* Two tills prepare a refund of the same item before either commits. */
  first = joren_db_prepare_refund (db, joren_sale_get_receipt_no (sale), &error);
  second = joren_db_prepare_refund (db, joren_sale_get_receipt_no (sale), &error);
  g_assert_no_error (error);
  joren_sale_add_refund_line (first, 1, 2, &error);
  joren_sale_add_refund_line (second, 1, 1, &error);
  g_assert_no_error (error);
  joren_sale_set_staff (first, ben->id, ben->name);
  joren_sale_set_staff (second, ben->id, ben->name);
  joren_test_pay_cash (first, 0);
  joren_test_pay_cash (second, 0);
  joren_db_commit_sale (db, first, 0, &error);
  g_assert_no_error (error);
  g_assert_false (joren_db_commit_sale (db, second, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sales WHERE kind = 'refund'"), ==, 1);
}

/* Parks table 4 (3 lines, 5 % off, a card tender) and table 7. */
static gint64
park_two (JorenDb   *db,
          JorenSale *table4)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) table7 = joren_test_new_sale (db, 1);
  g_autoptr(GPtrArray) parked = NULL;
  JorenDiscount discount = { JOREN_DISCOUNT_PERCENT, 500 };
  JorenParkedSale *first;
  gint64 id4, id7;

  joren_sale_set_discount (table4, &discount, &error);
  g_assert_no_error (error);
  joren_sale_add_tender (table4, JOREN_TENDER_CARD, 100, NULL, &error);
  g_assert_no_error (error);
  id4 = joren_db_park_sale (db, table4, "Table 4", &error);
  g_assert_no_error (error);
  id7 = joren_db_park_sale (db, table7, "Table 7", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id4, >, 0);
  g_assert_cmpint (id7, >, id4);

  parked = joren_db_list_parked (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parked->len, ==, 2);
  first = g_ptr_array_index (parked, 0);
  g_assert_cmpstr (first->label, ==, "Table 4");
  g_assert_cmpint (first->total, ==, joren_sale_get_total (table4));
  g_assert_cmpuint (first->n_lines, ==, 3);
  g_assert_cmpstr (first->staff_name, ==, "Chen");
  g_assert_nonnull (first->parked_at);
  return id4;
}

static void
test_parked (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenSale) table4 = joren_test_new_sale (db, 3);
  gint64 id4 = park_two (db, table4);
  g_autoptr(JorenSale) recalled = NULL;
  g_autoptr(JorenSale) twice = NULL;
  g_autoptr(GPtrArray) parked = NULL;

  recalled = joren_db_recall_parked (db, id4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_total (recalled), ==, joren_sale_get_total (table4));
  g_assert_cmpint (joren_sale_get_discount (recalled)->value, ==, 500);
  g_assert_cmpuint (joren_sale_get_n_lines (recalled), ==, 3);
  g_assert_cmpuint (joren_sale_get_n_tenders (recalled), ==, 0);    /* tenders dropped */
  g_assert_cmpint (joren_sale_get_staff_id (recalled), ==, joren_sale_get_staff_id (table4));
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM parked_sale_lines"), ==, 1);

  twice = joren_db_recall_parked (db, id4, &error);
  g_assert_null (twice);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  parked = joren_db_list_parked (db, &error);
  g_assert_cmpuint (parked->len, ==, 1);

  /* The recalled sale is a normal sale: it can be paid and stored. */
  joren_test_pay_cash (recalled, 0);
  joren_db_commit_sale (db, recalled, 0, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/sale-db/round-trip", test_round_trip);
  g_test_add_func ("/joren/data/sale-db/refused-commits", test_refused_commits);
  g_test_add_func ("/joren/data/sale-db/gapless", test_gapless);
  g_test_add_func ("/joren/data/sale-db/outbox-sequence", test_outbox_sequence);
  g_test_add_func ("/joren/data/sale-db/refunds", test_refunds);
  g_test_add_func ("/joren/data/sale-db/refund-race", test_refund_race);
  g_test_add_func ("/joren/data/sale-db/parked", test_parked);

  return g_test_run ();
}
