/* test-punch.c: count cards and stamp cards in a real SQLite file: a
 * card issued by selling it to a customer (and refused without one),
 * visits used at the till and written by the commit, expired, empty and
 * foreign cards refused, expiry that runs twice without expiring twice,
 * refunds reversing cards, visits and stamps, stamps earned and a free
 * item redeemed, the append-only ledger and retried commits that count
 * nothing twice, and the loyalty day close. The demo café (jp) sells
 * ブレンドコーヒー ¥450 and カフェラテ ¥520 (coffee) and 煎茶 ¥400 (tea). */
#include <string.h>

#include "joren-customer.h"
#include "joren-db-private.h"
#include "joren-loyalty.h"
#include "joren-points.h"
#include "joren-punch.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"

typedef struct {
  JorenDb       *db;
  JorenCustomer *customer;
  JorenStaff    *staff;
  JorenProduct  *card_product;   /* "10 visits of ブレンドコーヒー", 90 days */
  gint64         programme_id;   /* every 3rd coffee free */
} Fixture;

static JorenCustomer *
add_customer (JorenDb    *db,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  JorenCustomer *customer = joren_customer_new ();

  customer->name = g_strdup (name);
  joren_customer_add (db, customer, FALSE, &error);
  g_assert_no_error (error);
  return customer;
}

static JorenProduct *
add_card_product (Fixture *fixture,
                  guint    visits,
                  guint    valid_days)
{
  g_autoptr(JorenProduct) coffee = joren_test_find_product (fixture->db, "ブレンドコーヒー");
  g_autoptr(JorenProduct) product = joren_product_new ();
  g_autoptr(GError) error = NULL;
  JorenPunchProduct punch = { 0, visits, valid_days, coffee->id, 0 };

  product->name = g_strdup_printf ("コーヒー回数券 %u", visits);
  product->price = 4000;
  product->tax_class_id = coffee->tax_class_id;
  product->active = TRUE;
  joren_catalog_save_product (fixture->db, product, &error);
  g_assert_no_error (error);
  punch.product_id = product->id;
  joren_punch_set_product (fixture->db, &punch, &error);
  g_assert_no_error (error);
  /* Loaded back, so the rate of its tax class is filled in. */
  return joren_test_find_product (fixture->db, product->name);
}

static void
exec_sql (Fixture    *fixture,
          const char *sql)
{
  g_assert_cmpint (sqlite3_exec (joren_db_get_handle (fixture->db), sql, NULL, NULL, NULL),
                   ==, SQLITE_OK);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) programmes = NULL;
  g_autoptr(JorenProduct) coffee = NULL;
  g_autoptr(GError) error = NULL;
  JorenStampProgramme programme = { 0, "Coffee stamps", 0, 0, 3 };

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->staff = joren_test_find_staff (fixture->db, "Ben");
  fixture->customer = add_customer (fixture->db, "鈴木 一郎");
  fixture->card_product = add_card_product (fixture, 10, 90);
  /* Only this test's programme counts: the demo's is ended. */
  programmes = joren_punch_list_programmes (fixture->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < programmes->len; i++)
    joren_punch_remove_programme (fixture->db,
                                  ((JorenStampProgramme *) programmes->pdata[i])->id, NULL);
  coffee = joren_test_find_product (fixture->db, "ブレンドコーヒー");
  programme.category_id = coffee->category_id;
  joren_punch_add_programme (fixture->db, &programme, &error);
  g_assert_no_error (error);
  fixture->programme_id = programme.id;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->db);
  g_clear_pointer (&fixture->customer, joren_customer_free);
  g_clear_pointer (&fixture->staff, joren_staff_free);
  g_clear_pointer (&fixture->card_product, joren_product_free);
}

/* A sale for customer (0: none): "name", qty, ..., NULL. */
static JorenSale *
new_sale_for (Fixture    *fixture,
              gint64      customer_id,
              const char *first_name,
              ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenShop) shop = joren_db_load_shop (fixture->db, &error);
  JorenSale *sale = joren_sale_new (shop);
  va_list args;

  g_assert_no_error (error);
  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      g_autoptr(JorenProduct) product = joren_test_find_product (fixture->db, name);

      joren_sale_add_product (sale, product, va_arg (args, int), NULL);
    }
  va_end (args);
  joren_sale_set_staff (sale, fixture->staff->id, fixture->staff->name);
  joren_sale_set_customer (sale, customer_id);
  return sale;
}

static gboolean
try_commit (Fixture    *fixture,
            JorenSale  *sale,
            GError    **error)
{
  if (!joren_sale_is_settled (sale))
    joren_test_pay_cash (sale, 0);
  return joren_db_commit_sale (fixture->db, sale, 0, error);
}

static void
commit (Fixture   *fixture,
        JorenSale *sale)
{
  g_autoptr(GError) error = NULL;

  try_commit (fixture, sale, &error);
  g_assert_no_error (error);
}

/* Sells n cards to the fixture's customer; returns the newest card's id. */
static gint64
sell_cards (Fixture *fixture,
            gint     n)
{
  g_autoptr(JorenSale) sale = new_sale_for (fixture, fixture->customer->id,
                                            fixture->card_product->name, n, NULL);

  commit (fixture, sale);
  return joren_test_query_int (fixture->db, "SELECT max (id) FROM punch_cards");
}

static gint64
visits_left (Fixture *fixture,
             gint64   card_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (sum (units), 0) FROM punch_ledger"
                                          " WHERE card_id = %" G_GINT64_FORMAT, card_id);

  return joren_test_query_int (fixture->db, sql);
}

static gint64
stamps (Fixture *fixture)
{
  g_autoptr(GPtrArray) list = joren_punch_list_stamps (fixture->db, fixture->customer->id, NULL);

  g_assert_nonnull (list);
  for (guint i = 0; i < list->len; i++)
    {
      JorenStampBalance *balance = g_ptr_array_index (list, i);

      if (balance->programme_id == fixture->programme_id)
        return balance->stamps;
    }
  g_assert_not_reached ();
}

static guint
use_visit (Fixture   *fixture,
           JorenSale *sale,
           gint64     card_id)
{
  g_autoptr(GError) error = NULL;
  guint index = joren_punch_add_visit (fixture->db, sale, card_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (index, <, joren_sale_get_n_lines (sale));
  return index;
}

static void
test_issue (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(JorenSale) anonymous = new_sale_for (fixture, 0, fixture->card_product->name, 1, NULL);
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GError) error = NULL;
  JorenPunchCard *card;
  gint64 days;

  /* No customer: refused with a message, and nothing is stored. */
  g_assert_false (try_commit (fixture, anonymous, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "customer"));
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM sales"), ==, 0);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM punch_cards"), ==, 0);
  g_clear_error (&error);

  /* Two cards in one line: two cards of ten visits each. */
  sell_cards (fixture, 2);
  cards = joren_punch_list_cards (fixture->db, fixture->customer->id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 2);
  card = g_ptr_array_index (cards, 0);
  g_assert_cmpint (card->visits, ==, 10);
  g_assert_cmpint (card->visits_left, ==, 10);
  g_assert_cmpstr (card->name, ==, fixture->card_product->name);
  g_assert_nonnull (card->expires_at);
  days = joren_test_query_int (fixture->db, "SELECT (expires_at - issued_at) / 86400000000"
                                            " FROM punch_cards LIMIT 1");
  g_assert_cmpint (days, ==, 90);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM punch_ledger"
                                                      " WHERE kind = 'issue' AND units = 10"),
                   ==, 2);
}

static void
test_use_visit (Fixture       *fixture,
                gconstpointer  data)
{
  gint64 card_id = sell_cards (fixture, 1);
  g_autoptr(JorenSale) sale = new_sale_for (fixture, fixture->customer->id,
                                            "ブレンドコーヒー", 2, "煎茶", 1, NULL);
  g_autoptr(JorenSale) bare = new_sale_for (fixture, fixture->customer->id, NULL);
  const JorenSaleLine *line;
  guint index;

  /* A coffee on the sale becomes the visit: one of the two is free. */
  g_assert_cmpint (joren_sale_get_total (sale), ==, 1300);
  index = use_visit (fixture, sale, card_id);
  line = joren_sale_get_line (sale, index);
  g_assert_cmpint (line->kind, ==, JOREN_LINE_VISIT);
  g_assert_cmpint (line->amount, ==, 0);
  g_assert_cmpint (line->qty, ==, 1);
  g_assert_cmpint (g_ascii_strtoll (line->reference, NULL, 10), ==, card_id);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 850);
  g_assert_cmpint (joren_punch_visits_on_sale (sale, card_id), ==, 1);
  /* Nothing is used before the commit. */
  g_assert_cmpint (visits_left (fixture, card_id), ==, 10);
  commit (fixture, sale);
  g_assert_cmpint (visits_left (fixture, card_id), ==, 9);

  /* No coffee on the sale: the card's product is added at no charge. */
  use_visit (fixture, bare, card_id);
  g_assert_cmpuint (joren_sale_get_n_lines (bare), ==, 1);
  g_assert_cmpstr (joren_sale_get_line (bare, 0)->name, ==, "ブレンドコーヒー");
  g_assert_cmpint (joren_sale_get_total (bare), ==, 0);
  commit (fixture, bare);
  g_assert_cmpint (visits_left (fixture, card_id), ==, 8);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM sale_lines"
                                                      " WHERE line_kind = 'visit'"), ==, 2);
}

static void
assert_visit_refused (Fixture    *fixture,
                      JorenSale  *sale,
                      gint64      card_id,
                      const char *words)
{
  g_autoptr(GError) error = NULL;
  guint n_lines = joren_sale_get_n_lines (sale);

  g_assert_cmpuint (joren_punch_add_visit (fixture->db, sale, card_id, &error), ==, G_MAXUINT);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, words));
  g_assert_cmpuint (joren_sale_get_n_lines (sale), ==, n_lines);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JorenCustomer) other = add_customer (fixture->db, "佐藤 花子");
  g_autoptr(JorenSale) theirs = NULL;
  g_autoptr(JorenSale) two = NULL;
  g_autoptr(JorenSale) late = NULL;
  g_autoptr(JorenProduct) small = add_card_product (fixture, 2, 0);
  g_autoptr(JorenSale) buy = new_sale_for (fixture, fixture->customer->id, small->name, 1, NULL);
  g_autoptr(GError) error = NULL;
  gint64 card_id;

  commit (fixture, buy);
  card_id = joren_test_query_int (fixture->db, "SELECT max (id) FROM punch_cards");
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM punch_cards"
                                                      " WHERE expires_at IS NULL"), ==, 1);

  theirs = new_sale_for (fixture, other->id, "ブレンドコーヒー", 1, NULL);
  assert_visit_refused (fixture, theirs, card_id, "another customer");

  /* Two visits left: the third on the same sale is refused ... */
  two = new_sale_for (fixture, fixture->customer->id, NULL);
  use_visit (fixture, two, card_id);
  use_visit (fixture, two, card_id);
  assert_visit_refused (fixture, two, card_id, "no more visits");
  commit (fixture, two);
  g_assert_cmpint (visits_left (fixture, card_id), ==, 0);
  /* ... and an empty card on the next. */
  late = new_sale_for (fixture, fixture->customer->id, "ブレンドコーヒー", 1, NULL);
  assert_visit_refused (fixture, late, card_id, "no visits left");

  /* An expired card, and a visit taken before the expiry but committed
   * after it: both refused. */
  card_id = sell_cards (fixture, 1);
  use_visit (fixture, late, card_id);
  exec_sql (fixture, "UPDATE punch_cards SET expires_at = 1000"
                     " WHERE id = (SELECT max (id) FROM punch_cards)");
  g_assert_false (try_commit (fixture, late, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "expired"));
  g_clear_object (&late);
  late = new_sale_for (fixture, fixture->customer->id, "ブレンドコーヒー", 1, NULL);
  assert_visit_refused (fixture, late, card_id, "expired");
  g_assert_cmpint (visits_left (fixture, card_id), ==, 10);
}

static void
test_expire (Fixture       *fixture,
             gconstpointer  data)
{
  gint64 old_card = sell_cards (fixture, 1);
  gint64 new_card = sell_cards (fixture, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 91);
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expired = -1;

  /* Today nothing has expired. */
  joren_punch_expire (fixture->db, now, &expired, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expired, ==, 0);
  /* One card is older: it expires with all ten visits. */
  exec_sql (fixture, "UPDATE punch_cards SET expires_at = 1000"
                     " WHERE id = (SELECT min (id) FROM punch_cards)");
  joren_punch_expire (fixture->db, now, &expired, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expired, ==, 10);
  g_assert_cmpint (visits_left (fixture, old_card), ==, 0);
  g_assert_cmpint (visits_left (fixture, new_card), ==, 10);
  /* Running it again expires nothing more. */
  joren_punch_expire (fixture->db, now, &expired, &error);
  g_assert_cmpint (expired, ==, 0);
  cards = joren_punch_list_cards (fixture->db, fixture->customer->id, now, &error);
  g_assert_cmpuint (cards->len, ==, 1);
  g_clear_pointer (&cards, g_ptr_array_unref);
  /* 91 days on, the other is out of the list even before expiry ran. */
  cards = joren_punch_list_cards (fixture->db, fixture->customer->id, later, &error);
  g_assert_cmpuint (cards->len, ==, 0);
}

static JorenSale *
refund_of (Fixture   *fixture,
           JorenSale *sale,
           guint      line,
           gint64     qty)
{
  g_autoptr(GError) error = NULL;
  JorenSale *refund = joren_db_prepare_refund (fixture->db, joren_sale_get_receipt_no (sale),
                                               &error);

  g_assert_no_error (error);
  joren_sale_add_refund_line (refund, line, qty, &error);
  g_assert_no_error (error);
  joren_sale_set_staff (refund, fixture->staff->id, fixture->staff->name);
  return refund;
}

static void
test_refund (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JorenSale) buy = new_sale_for (fixture, fixture->customer->id,
                                           fixture->card_product->name, 2, NULL);
  g_autoptr(JorenSale) visit = NULL;
  g_autoptr(JorenSale) undo_visit = NULL;
  g_autoptr(JorenSale) undo_card = NULL;
  gint64 first, second;
  guint index;

  commit (fixture, buy);
  first = joren_test_query_int (fixture->db, "SELECT min (id) FROM punch_cards");
  second = joren_test_query_int (fixture->db, "SELECT max (id) FROM punch_cards");
  visit = new_sale_for (fixture, fixture->customer->id, "煎茶", 1, NULL);
  index = use_visit (fixture, visit, first);
  commit (fixture, visit);
  g_assert_cmpint (visits_left (fixture, first), ==, 9);

  /* Refunding the visit line gives the visit back. */
  undo_visit = refund_of (fixture, visit, index, 1);
  commit (fixture, undo_visit);
  g_assert_cmpint (visits_left (fixture, first), ==, 10);

  /* Refunding one of the two cards takes back one whole card. */
  undo_card = refund_of (fixture, buy, 0, 1);
  commit (fixture, undo_card);
  g_assert_cmpint (visits_left (fixture, first) + visits_left (fixture, second), ==, 10);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM punch_ledger"
                                                      " WHERE kind = 'reversal'"), ==, 2);
}

static void
test_stamps (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JorenSale) first = new_sale_for (fixture, fixture->customer->id,
                                             "ブレンドコーヒー", 2, "煎茶", 1, NULL);
  g_autoptr(JorenSale) anonymous = new_sale_for (fixture, 0, "ブレンドコーヒー", 5, NULL);
  g_autoptr(JorenSale) second = NULL;
  g_autoptr(JorenSale) third = NULL;
  g_autoptr(JorenSale) undo = NULL;
  g_autoptr(GError) error = NULL;
  const JorenSaleLine *line;

  /* Two coffees (the tea is no coffee); no customer earns nothing. */
  g_assert_cmpint (joren_punch_free_item_offer (fixture->db, first), ==, 0);
  commit (fixture, first);
  commit (fixture, anonymous);
  g_assert_cmpint (stamps (fixture), ==, 2);

  /* Two stamps of three: no offer yet. */
  second = new_sale_for (fixture, fixture->customer->id, "カフェラテ", 1, NULL);
  g_assert_cmpint (joren_punch_free_item_offer (fixture->db, second), ==, 0);
  g_assert_false (joren_punch_apply_free_item (fixture->db, second, fixture->programme_id,
                                               &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  commit (fixture, second);
  g_assert_cmpint (stamps (fixture), ==, 3);

  /* Three: one of the two lattes is free, split off its line. */
  third = new_sale_for (fixture, fixture->customer->id, "カフェラテ", 2, NULL);
  g_assert_cmpint (joren_punch_free_item_offer (fixture->db, third), ==, fixture->programme_id);
  joren_punch_apply_free_item (fixture->db, third, fixture->programme_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (joren_sale_get_n_lines (third), ==, 2);
  line = joren_sale_get_line (third, 1);
  g_assert_cmpint (line->qty, ==, 1);
  g_assert_cmpint (line->amount, ==, 0);
  g_assert_cmpint (joren_sale_get_total (third), ==, 520);
  /* The stamps on hand are spoken for: no second offer on this sale. */
  g_assert_cmpint (joren_punch_free_item_offer (fixture->db, third), ==, 0);
  commit (fixture, third);
  /* 3 - 3 redeemed + 1 earned by the paid latte (not by the free one). */
  g_assert_cmpint (stamps (fixture), ==, 1);

  /* Refunding the free latte gives the three stamps back. */
  undo = refund_of (fixture, third, 1, 1);
  commit (fixture, undo);
  g_assert_cmpint (stamps (fixture), ==, 4);
}

static void
test_no_double_count (Fixture       *fixture,
                      gconstpointer  data)
{
  gint64 card_id = sell_cards (fixture, 1);
  g_autoptr(JorenSale) sale = new_sale_for (fixture, fixture->customer->id,
                                            "カフェラテ", 2, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *duplicate = NULL;
  sqlite3 *handle = joren_db_get_handle (fixture->db);
  gint64 rows;

  use_visit (fixture, sale, card_id);
  commit (fixture, sale);
  rows = joren_test_query_int (fixture->db, "SELECT count (*) FROM punch_ledger");
  g_assert_cmpint (visits_left (fixture, card_id), ==, 9);
  /* The card pays a ブレンドコーヒー (added at no charge): the two paid
   * lattes earn stamps, the visit does not. */
  g_assert_cmpint (stamps (fixture), ==, 2);

  /* The same sale committed again: refused, nothing written twice. */
  g_assert_false (joren_db_commit_sale (fixture->db, sale, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM punch_ledger"),
                   ==, rows);
  g_assert_cmpint (visits_left (fixture, card_id), ==, 9);
  /* The ledger itself refuses a second use row for the sale (a replayed
   * sync that bypassed the sales table) ... */
  duplicate = g_strdup_printf ("INSERT INTO punch_ledger (customer_id, card_id, kind, units,"
                               " sale_uuid, created_at) VALUES (%" G_GINT64_FORMAT ", %"
                               G_GINT64_FORMAT ", 'use', -1, '%s', 0)",
                               fixture->customer->id, card_id, joren_sale_get_uuid (sale));
  g_assert_cmpint (sqlite3_exec (handle, duplicate, NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  /* ... and is append-only. */
  g_assert_cmpint (sqlite3_exec (handle, "UPDATE punch_ledger SET units = 100", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT_TRIGGER);
  g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM punch_ledger", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT_TRIGGER);
  g_assert_cmpint (visits_left (fixture, card_id), ==, 9);
}

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GArray) products = NULL;
  g_autoptr(GError) error = NULL;
  JorenPunchProduct bad = { fixture->card_product->id, 0, 0, 0, 0 };
  JorenPunchProduct got = { 0 };

  g_assert_false (joren_punch_set_product (fixture->db, &bad, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (joren_punch_get_product (fixture->db, fixture->card_product->id, &got));
  g_assert_cmpuint (got.visits, ==, 10);
  g_assert_cmpuint (got.valid_days, ==, 90);
  products = joren_punch_list_products (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (products->len, >=, 1);
  joren_punch_remove_product (fixture->db, fixture->card_product->id, &error);
  g_assert_no_error (error);
  g_assert_false (joren_punch_get_product (fixture->db, fixture->card_product->id, &got));
}

static void
test_day_close (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_months (now, 2);
  g_autoptr(GDateTime) next_day = g_date_time_add_days (later, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  gint64 card_id = sell_cards (fixture, 1);
  gboolean ran = FALSE;

  /* Never run: start-up catches up. Points and the card expire. */
  joren_points_adjust (fixture->db, fixture->customer->id, 50, "test", fixture->staff->id, NULL);
  exec_sql (fixture, "UPDATE punch_cards SET expires_at = 1000");
  joren_db_set_setting (fixture->db, "loyalty.expiry_months", "1", &error);
  g_assert_no_error (error);
  g_assert_null (joren_loyalty_get_last_day_close (fixture->db));
  joren_loyalty_catch_up (fixture->db, later, &ran, &error);
  g_assert_no_error (error);
  g_assert_true (ran);
  g_assert_cmpint (visits_left (fixture, card_id), ==, 0);
  g_assert_cmpint (joren_points_balance (fixture->db, fixture->customer->id, NULL), ==, 0);
  last = joren_loyalty_get_last_day_close (fixture->db);
  g_assert_nonnull (last);

  /* The same business day: no second run; a later one runs. */
  joren_loyalty_catch_up (fixture->db, later, &ran, &error);
  g_assert_false (ran);
  joren_loyalty_catch_up (fixture->db, now, &ran, &error);
  g_assert_false (ran);
  joren_loyalty_catch_up (fixture->db, next_day, &ran, &error);
  g_assert_no_error (error);
  g_assert_true (ran);
}

static void
test_tier_on_day_close (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JorenSale) sale = new_sale_for (fixture, fixture->customer->id,
                                            "ブレンドコーヒー", 10, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) next_year = g_date_time_add_months (now, 13);
  g_autoptr(JorenCustomer) loaded = NULL;
  g_autoptr(GError) error = NULL;

  joren_points_set_tier (fixture->db, 1, "Gold", 4000, 15000, &error);
  g_assert_no_error (error);
  commit (fixture, sale);
  loaded = joren_customer_get (fixture->db, fixture->customer->id, &error);
  g_assert_cmpuint (loaded->tier, ==, 1);
  g_clear_pointer (&loaded, joren_customer_free);
  /* A year on, the spend has aged out: the day close moves them down. */
  joren_loyalty_day_close (fixture->db, next_year, &error);
  g_assert_no_error (error);
  loaded = joren_customer_get (fixture->db, fixture->customer->id, &error);
  g_assert_cmpuint (loaded->tier, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/joren/data/punch/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("issue", test_issue);
  ADD ("use-visit", test_use_visit);
  ADD ("refused", test_refused);
  ADD ("expire", test_expire);
  ADD ("refund", test_refund);
  ADD ("stamps", test_stamps);
  ADD ("no-double-count", test_no_double_count);
  ADD ("settings", test_settings);
  ADD ("day-close", test_day_close);
  ADD ("tier-on-day-close", test_tier_on_day_close);
#undef ADD

  return g_test_run ();
}
