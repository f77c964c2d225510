/* test-points.c: loyalty points in a real SQLite file: the append-only
 * ledger, each kind of earning rule (base rate and its rounding, tier,
 * product, category, date and time windows, exclusions), redemption as a
 * tender, manual grants, refunds reversing and restoring points, retries
 * that must not double anything, expiry and tiers. Prices are the demo
 * café's (jp): ブレンドコーヒー ¥450 and カフェラテ ¥520 (coffee), 煎茶
 * ¥400 and 抹茶ラテ ¥550 (tea). */
#include <string.h>

#include "joren-customer.h"
#include "joren-db-private.h"
#include "joren-points.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"

typedef struct {
  JorenDb       *db;
  JorenCustomer *customer;
  JorenStaff    *staff;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->staff = joren_test_find_staff (fixture->db, "Ben");
  fixture->customer = joren_customer_new ();
  fixture->customer->name = g_strdup ("鈴木 一郎");
  fixture->customer->reading = g_strdup ("スズキ イチロウ");
  joren_customer_add (fixture->db, fixture->customer, FALSE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->db);
  g_clear_pointer (&fixture->customer, joren_customer_free);
  g_clear_pointer (&fixture->staff, joren_staff_free);
}

static gint64
product_id (Fixture    *fixture,
            const char *name)
{
  g_autoptr(JorenProduct) product = joren_test_find_product (fixture->db, name);

  return product->id;
}

static gint64
category_id (Fixture    *fixture,
             const char *product_name)
{
  g_autoptr(JorenProduct) product = joren_test_find_product (fixture->db, product_name);

  return product->category_id;
}

/* A sale for the fixture's customer: "name", qty, "name", qty, ..., NULL. */
static JorenSale *
new_sale (Fixture    *fixture,
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
  joren_sale_set_customer (sale, fixture->customer->id);
  return sale;
}

static gint64
points_for (Fixture   *fixture,
            JorenSale *sale,
            GDateTime *when)
{
  g_autoptr(GError) error = NULL;
  gint64 points = -1;

  joren_points_for_sale (fixture->db, sale, when, &points, &error);
  g_assert_no_error (error);
  return points;
}

static void
commit (Fixture   *fixture,
        JorenSale *sale)
{
  g_autoptr(GError) error = NULL;

  if (!joren_sale_is_settled (sale))
    joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (fixture->db, sale, 0, &error);
  g_assert_no_error (error);
}

static gint64
balance (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 points = joren_points_balance (fixture->db, fixture->customer->id, &error);

  g_assert_no_error (error);
  /* Never a stored number: always the ledger's sum. */
  g_assert_cmpint (points, ==, joren_test_query_int (fixture->db,
                                                     "SELECT coalesce (sum (points), 0)"
                                                     " FROM points_ledger"));
  return points;
}

static void
add_rule (Fixture             *fixture,
          JorenPointsRuleKind  kind,
          gint64               product,
          gint64               category,
          guint                multiplier_bp)
{
  g_autoptr(GError) error = NULL;
  JorenPointsRule rule = { 0, kind, product, category, multiplier_bp, 0, 0, 0, 0, 1440 };

  joren_points_add_rule (fixture->db, &rule, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rule.id, >, 0);
}

static void
grant (Fixture *fixture,
       gint64   points)
{
  g_autoptr(GError) error = NULL;

  joren_points_adjust (fixture->db, fixture->customer->id, points, "Welcome gift",
                       fixture->staff->id, &error);
  g_assert_no_error (error);
}

static void
test_base_rate_and_rounding (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 3, NULL);
  g_autoptr(JorenSale) anonymous = new_sale (fixture, "煎茶", 5, NULL);
  g_autoptr(JorenSale) fifty = new_sale (fixture, "ブレンドコーヒー", 3, NULL);
  JorenPointsSettings settings;

  /* ¥1,350 at 1 point per ¥100 is 13.5: rounded down to 13. */
  g_assert_cmpint (joren_sale_get_total (sale), ==, 1350);
  g_assert_cmpint (points_for (fixture, sale, NULL), ==, 13);
  commit (fixture, sale);
  g_assert_cmpint (balance (fixture), ==, 13);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count(*) FROM points_ledger"
                                                      " WHERE kind = 'earn' AND points = 13"
                                                      " AND sale_id IS NOT NULL"
                                                      " AND staff_id IS NOT NULL"), ==, 1);

  /* No customer, no points. */
  joren_sale_set_customer (anonymous, 0);
  g_assert_cmpint (points_for (fixture, anonymous, NULL), ==, 0);
  commit (fixture, anonymous);
  g_assert_cmpint (balance (fixture), ==, 13);

  /* The owner's rate: 3 points per ¥50 of ¥1,350 is 81. */
  joren_points_get_settings (fixture->db, &settings);
  settings.earn_amount = 50;
  settings.earn_points = 3;
  joren_points_set_settings (fixture->db, &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpint (points_for (fixture, fifty, NULL), ==, 81);
  settings.earn_amount = 0;
  g_assert_false (joren_points_set_settings (fixture->db, &settings, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
}

static void
test_tier_multiplier (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 3, NULL);

  joren_points_set_tier (fixture->db, 1, "Gold", 10000, 15000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (points_for (fixture, sale, NULL), ==, 13);
  fixture->customer->tier = 1;
  joren_customer_update (fixture->db, fixture->customer, FALSE, &error);
  g_assert_no_error (error);
  /* ¥1,350 x 1.5 = 2,025: 20 points. */
  g_assert_cmpint (points_for (fixture, sale, NULL), ==, 20);
}

static void
test_product_and_category (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(JorenSale) mixed = new_sale (fixture, "ブレンドコーヒー", 1, "煎茶", 1, NULL);
  g_autoptr(JorenSale) teas = new_sale (fixture, "抹茶ラテ", 3, "煎茶", 1, NULL);

  g_assert_cmpint (points_for (fixture, mixed, NULL), ==, 8);
  /* Double points on the blend: 900 + 400. */
  add_rule (fixture, JOREN_POINTS_RULE_PRODUCT, product_id (fixture, "ブレンドコーヒー"), 0, 20000);
  g_assert_cmpint (points_for (fixture, mixed, NULL), ==, 13);
  /* Triple on tea: 1,650 x 3 + 400 x 3. */
  g_assert_cmpint (points_for (fixture, teas, NULL), ==, 20);
  add_rule (fixture, JOREN_POINTS_RULE_CATEGORY, 0, category_id (fixture, "煎茶"), 30000);
  g_assert_cmpint (points_for (fixture, teas, NULL), ==, 61);
  /* A product's own rule wins over its category's: 4,950 + 400. */
  add_rule (fixture, JOREN_POINTS_RULE_PRODUCT, product_id (fixture, "煎茶"), 0, 10000);
  g_assert_cmpint (points_for (fixture, teas, NULL), ==, 53);
  g_assert_cmpint (points_for (fixture, mixed, NULL), ==, 13);
}

static void
test_exclusions (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 2, "カフェラテ", 1,
                                        "煎茶", 1, NULL);

  g_assert_cmpint (points_for (fixture, sale, NULL), ==, 18);
  add_rule (fixture, JOREN_POINTS_RULE_EXCLUDE, product_id (fixture, "ブレンドコーヒー"), 0, 0);
  g_assert_cmpint (points_for (fixture, sale, NULL), ==, 9);
  /* An exclusion beats any multiplier. */
  add_rule (fixture, JOREN_POINTS_RULE_PRODUCT, product_id (fixture, "ブレンドコーヒー"), 0, 50000);
  g_assert_cmpint (points_for (fixture, sale, NULL), ==, 9);
  add_rule (fixture, JOREN_POINTS_RULE_EXCLUDE, 0, category_id (fixture, "カフェラテ"), 0);
  g_assert_cmpint (points_for (fixture, sale, NULL), ==, 4);
}

static void
add_window (Fixture   *fixture,
            GDateTime *starts,
            GDateTime *ends,
            guint      weekdays,
            guint      minute_from,
            guint      minute_to,
            guint      multiplier_bp)
{
  g_autoptr(GError) error = NULL;
  JorenPointsRule rule = { 0, JOREN_POINTS_RULE_WINDOW, 0, 0, multiplier_bp,
                           starts != NULL ? joren_db_time_to_usec (starts) : 0,
                           ends != NULL ? joren_db_time_to_usec (ends) : 0,
                           weekdays, minute_from, minute_to };

  joren_points_add_rule (fixture->db, &rule, &error);
  g_assert_no_error (error);
}

static void
test_windows (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 2, NULL);
  /* Wednesday 2026-11-25, 10:30 local; the campaign runs that week. */
  g_autoptr(GDateTime) wednesday = g_date_time_new_local (2026, 11, 25, 10, 30, 0);
  g_autoptr(GDateTime) thursday_night = g_date_time_new_local (2026, 11, 26, 23, 30, 0);
  g_autoptr(GDateTime) week_start = g_date_time_new_local (2026, 11, 23, 0, 0, 0);
  g_autoptr(GDateTime) week_end = g_date_time_new_local (2026, 11, 30, 0, 0, 0);
  g_autoptr(GDateTime) next_month = g_date_time_new_local (2026, 12, 3, 10, 30, 0);

  g_assert_cmpint (points_for (fixture, sale, wednesday), ==, 9);
  /* Double points all week ... */
  add_window (fixture, week_start, week_end, 0, 0, 1440, 20000);
  g_assert_cmpint (points_for (fixture, sale, wednesday), ==, 18);
  g_assert_cmpint (points_for (fixture, sale, next_month), ==, 9);
  /* ... triple on Wednesdays (bit 2) from 10:00 to 11:00, any date ... */
  add_window (fixture, NULL, NULL, 1 << 2, 600, 660, 30000);
  g_assert_cmpint (points_for (fixture, sale, wednesday), ==, 27);
  g_assert_cmpint (points_for (fixture, sale, thursday_night), ==, 18);
  /* ... and 5x late at night, a window across midnight. */
  add_window (fixture, NULL, NULL, 0, 22 * 60, 2 * 60, 50000);
  g_assert_cmpint (points_for (fixture, sale, thursday_night), ==, 45);
  g_assert_cmpint (points_for (fixture, sale, next_month), ==, 9);
}

/* A window across midnight belongs to the evening it starts: Friday's
 * late hours run into Saturday morning, and a holiday's night into the
 * next day, not the night before it. */
static void
test_window_past_midnight (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 2, NULL);
  g_autoptr(GDateTime) christmas_eve = g_date_time_new_local (2026, 12, 24, 0, 0, 0);
  g_autoptr(GDateTime) christmas = g_date_time_new_local (2026, 12, 25, 0, 0, 0);
  g_autoptr(GDateTime) friday_late = g_date_time_new_local (2026, 11, 27, 23, 0, 0);
  g_autoptr(GDateTime) saturday_early = g_date_time_new_local (2026, 11, 28, 1, 30, 0);
  g_autoptr(GDateTime) friday_early = g_date_time_new_local (2026, 11, 27, 1, 30, 0);
  g_autoptr(GDateTime) saturday_late = g_date_time_new_local (2026, 11, 28, 23, 0, 0);
  g_autoptr(GDateTime) eve_early = g_date_time_new_local (2026, 12, 24, 1, 0, 0);
  g_autoptr(GDateTime) eve_late = g_date_time_new_local (2026, 12, 24, 23, 0, 0);
  g_autoptr(GDateTime) christmas_early = g_date_time_new_local (2026, 12, 25, 1, 0, 0);
  g_autoptr(GDateTime) christmas_late = g_date_time_new_local (2026, 12, 25, 21, 30, 0);

  /* Fridays (bit 4), 22:00-02:00, triple. */
  add_window (fixture, NULL, NULL, 1 << 4, 22 * 60, 2 * 60, 30000);
  g_assert_cmpint (points_for (fixture, sale, friday_late), ==, 27);
  g_assert_cmpint (points_for (fixture, sale, saturday_early), ==, 27);
  g_assert_cmpint (points_for (fixture, sale, friday_early), ==, 9);
  g_assert_cmpint (points_for (fixture, sale, saturday_late), ==, 9);
  /* Christmas Eve's night (a Thursday), 21:00-03:00, double; not the
   * evening of Christmas Day (a Friday, before its own window). */
  add_window (fixture, christmas_eve, christmas, 0, 21 * 60, 3 * 60, 20000);
  g_assert_cmpint (points_for (fixture, sale, eve_late), ==, 18);
  g_assert_cmpint (points_for (fixture, sale, christmas_early), ==, 18);
  g_assert_cmpint (points_for (fixture, sale, eve_early), ==, 9);
  g_assert_cmpint (points_for (fixture, sale, christmas_late), ==, 9);
}

/* A window is edited in place (same id) and checked on the way in: an
 * empty time span or a last day before the first is refused. */
static void
test_window_update (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 2, NULL);
  g_autoptr(GDateTime) wednesday = g_date_time_new_local (2026, 11, 25, 10, 30, 0);
  g_autoptr(GDateTime) thursday = g_date_time_new_local (2026, 11, 26, 10, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rules = NULL;
  JorenPointsRule rule = { 0, JOREN_POINTS_RULE_WINDOW, 0, 0, 20000, 0, 0, 1 << 2, 600, 660 };

  joren_points_add_rule (fixture->db, &rule, &error);
  g_assert_no_error (error);
  g_assert_cmpint (points_for (fixture, sale, wednesday), ==, 18);
  g_assert_cmpint (points_for (fixture, sale, thursday), ==, 9);
  /* Thursdays instead. */
  rule.weekdays = 1 << 3;
  joren_points_update_rule (fixture->db, &rule, &error);
  g_assert_no_error (error);
  g_assert_cmpint (points_for (fixture, sale, wednesday), ==, 9);
  g_assert_cmpint (points_for (fixture, sale, thursday), ==, 18);
  rules = joren_points_list_rules (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rules->len, ==, 1);
  g_assert_cmpint (g_array_index (rules, JorenPointsRule, 0).id, ==, rule.id);

  rule.minute_to = rule.minute_from;
  g_assert_false (joren_points_update_rule (fixture->db, &rule, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  rule.minute_to = 660;
  rule.starts_at = joren_db_time_to_usec (thursday);
  rule.ends_at = joren_db_time_to_usec (wednesday);
  g_assert_false (joren_points_add_rule (fixture->db, &rule, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  /* Refused changes left the rule as it was. */
  g_assert_cmpint (points_for (fixture, sale, thursday), ==, 18);
  joren_points_remove_rule (fixture->db, rule.id, &error);
  g_assert_no_error (error);
  rule.starts_at = rule.ends_at = 0;
  g_assert_false (joren_points_update_rule (fixture->db, &rule, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
}

static void
test_redeem (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 3, NULL);
  g_autoptr(JorenSale) stored = NULL;
  JorenPointsSettings settings;

  grant (fixture, 500);
  /* Below the minimum, above the balance. */
  g_assert_false (joren_points_add_tender (fixture->db, sale, 50, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_points_add_tender (fixture->db, sale, 600, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "500"));
  g_clear_error (&error);
  g_assert_cmpuint (joren_sale_get_n_tenders (sale), ==, 0);

  /* 1 point = ¥2 here: 300 points pay ¥600 of ¥1,350. */
  joren_points_get_settings (fixture->db, &settings);
  settings.redeem_value = 2;
  joren_points_set_settings (fixture->db, &settings, &error);
  g_assert_no_error (error);
  joren_points_add_tender (fixture->db, sale, 300, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_tender (sale, 0)->kind, ==, JOREN_TENDER_POINTS);
  g_assert_cmpint (joren_sale_get_tender (sale, 0)->amount, ==, 600);
  g_assert_cmpint (joren_sale_get_due (sale), ==, 750);
  /* Only what is paid in money earns: ¥750 gives 7. */
  g_assert_cmpint (points_for (fixture, sale, NULL), ==, 7);
  commit (fixture, sale);
  g_assert_cmpint (balance (fixture), ==, 500 - 300 + 7);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT points FROM points_ledger"
                                                      " WHERE kind = 'redeem'"), ==, -300);

  /* The tender is stored and loads back. */
  stored = joren_db_load_sale (fixture->db, joren_sale_get_receipt_no (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_tender (stored, 0)->kind, ==, JOREN_TENDER_POINTS);
  g_assert_cmpint (joren_sale_get_tender (stored, 0)->amount, ==, 600);
}

static void
test_redeem_checked_at_commit (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) first = new_sale (fixture, "ブレンドコーヒー", 1, NULL);
  g_autoptr(JorenSale) second = new_sale (fixture, "ブレンドコーヒー", 1, NULL);
  g_autoptr(JorenSale) anonymous = new_sale (fixture, "ブレンドコーヒー", 1, NULL);
  gint64 sales_before;

  grant (fixture, 150);
  /* Two tills take the same points; the second commit finds them gone. */
  joren_points_add_tender (fixture->db, first, 150, &error);
  g_assert_no_error (error);
  joren_points_add_tender (fixture->db, second, 150, &error);
  g_assert_no_error (error);
  commit (fixture, first);
  joren_test_pay_cash (second, 0);
  sales_before = joren_test_query_int (fixture->db, "SELECT count(*) FROM sales");
  g_assert_false (joren_db_commit_sale (fixture->db, second, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  /* Rolled back whole: no sale, no receipt number used. */
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count(*) FROM sales"), ==,
                   sales_before);
  g_assert_cmpint (balance (fixture), ==, 3);

  /* Points without a customer cannot be committed. */
  joren_sale_set_customer (anonymous, 0);
  joren_sale_add_tender (anonymous, JOREN_TENDER_POINTS, 100, NULL, &error);
  g_assert_no_error (error);
  joren_test_pay_cash (anonymous, 0);
  g_assert_false (joren_db_commit_sale (fixture->db, anonymous, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count(*) FROM sales"), ==,
                   sales_before);
}

static void
test_adjust (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  grant (fixture, 200);
  joren_points_adjust (fixture->db, fixture->customer->id, -50, "Complaint settled wrong",
                       fixture->staff->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balance (fixture), ==, 150);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count(*) FROM points_ledger"
                                                      " WHERE kind = 'adjust' AND reason <> ''"
                                                      " AND staff_id IS NOT NULL"), ==, 2);
  /* A reason is required, and the balance cannot go below zero. */
  g_assert_false (joren_points_adjust (fixture->db, fixture->customer->id, 10, "  ",
                                       fixture->staff->id, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_points_adjust (fixture->db, fixture->customer->id, -151, "Too much",
                                       fixture->staff->id, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (balance (fixture), ==, 150);
}

static void
test_ledger_append_only (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 3, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *duplicate = NULL;
  sqlite3 *handle = joren_db_get_handle (fixture->db);

  commit (fixture, sale);
  g_assert_cmpint (sqlite3_exec (handle, "UPDATE points_ledger SET points = 1000",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT_TRIGGER);
  g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM points_ledger", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT_TRIGGER);
  g_assert_cmpint (balance (fixture), ==, 13);

  /* A retried commit of the same sale stores nothing twice ... */
  g_assert_false (joren_db_commit_sale (fixture->db, sale, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_assert_cmpint (balance (fixture), ==, 13);
  /* ... and the ledger itself refuses a second earn for one sale (a
   * replayed sync that bypassed the sales table). */
  duplicate = g_strdup_printf ("INSERT INTO points_ledger (customer_id, kind, points, sale_uuid,"
                               " created_at) VALUES (%" G_GINT64_FORMAT ", 'earn', 13, '%s', 0)",
                               fixture->customer->id, joren_sale_get_uuid (sale));
  g_assert_cmpint (sqlite3_exec (handle, duplicate, NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpint (balance (fixture), ==, 13);
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
  g_assert_cmpint (joren_sale_get_customer_id (refund), ==, fixture->customer->id);
  joren_sale_add_refund_line (refund, line, qty, &error);
  g_assert_no_error (error);
  joren_sale_set_staff (refund, fixture->staff->id, fixture->staff->name);
  return refund;
}

static void
test_refund_reverses_earned (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 3, "煎茶", 2, NULL);
  g_autoptr(JorenSale) part = NULL;
  g_autoptr(JorenSale) rest_tea = NULL;
  g_autoptr(JorenSale) rest_coffee = NULL;

  /* ¥2,150: 21 points. */
  commit (fixture, sale);
  g_assert_cmpint (balance (fixture), ==, 21);
  /* One coffee (¥450 of ¥2,150) takes back 21 x 450 / 2150 = 4.39: 4. */
  part = refund_of (fixture, sale, 0, 1);
  commit (fixture, part);
  g_assert_cmpint (balance (fixture), ==, 17);
  /* The teas (¥800 more: 21 x 1250 / 2150 = 12.2, so 8 more). */
  rest_tea = refund_of (fixture, sale, 1, 2);
  commit (fixture, rest_tea);
  g_assert_cmpint (balance (fixture), ==, 9);
  /* Everything refunded: exactly what was earned is gone. */
  rest_coffee = refund_of (fixture, sale, 0, 2);
  commit (fixture, rest_coffee);
  g_assert_cmpint (balance (fixture), ==, 0);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count(*) FROM points_ledger"
                                                      " WHERE kind = 'reversal'"), ==, 3);
}

static void
test_refund_restores_redeemed (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 2, NULL);
  g_autoptr(JorenSale) half = NULL;
  g_autoptr(JorenSale) rest = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) story = g_string_new (NULL);
  gint64 amount;

  grant (fixture, 400);
  /* ¥900: 400 points, ¥500 cash earning 5. */
  joren_points_add_tender (fixture->db, sale, 400, &error);
  g_assert_no_error (error);
  commit (fixture, sale);
  g_assert_cmpint (balance (fixture), ==, 5);

  /* Half the sale back: half the points (200) go back as points, the rest
   * in cash, and half the earned points (2) are taken back. */
  half = refund_of (fixture, sale, 0, 1);
  amount = joren_points_refund_amount (fixture->db, half, &error);
  g_assert_no_error (error);
  g_assert_cmpint (amount, ==, -200);
  joren_sale_add_tender (half, JOREN_TENDER_POINTS, amount, NULL, &error);
  g_assert_no_error (error);
  commit (fixture, half);
  g_assert_cmpint (balance (fixture), ==, 5 - 2 + 200);

  /* The ledger tells the story, newest first. */
  entries = joren_points_list (fixture->db, fixture->customer->id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 5);
  for (guint i = 0; i < entries->len; i++)
    {
      JorenPointsEntry *entry = g_ptr_array_index (entries, i);

      g_string_append_printf (story, "%s%s %+" G_GINT64_FORMAT, i > 0 ? ", " : "",
                              entry->kind, entry->points);
      g_assert_cmpstr (entry->staff_name, ==, "Ben");
      g_assert_nonnull (entry->created_at);
      g_assert_true ((entry->receipt_no != NULL) == (g_strcmp0 (entry->kind, "adjust") != 0));
    }
  g_assert_cmpstr (story->str, ==,
                   "reversal +200, reversal -2, earn +5, redeem -400, adjust +400");
  g_assert_cmpstr (((JorenPointsEntry *) g_ptr_array_index (entries, 4))->reason, ==,
                   "Welcome gift");
  g_assert_cmpstr (((JorenPointsEntry *) g_ptr_array_index (entries, 0))->receipt_no, ==,
                   joren_sale_get_receipt_no (half));

  rest = refund_of (fixture, sale, 0, 1);
  amount = joren_points_refund_amount (fixture->db, rest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (amount, ==, -200);
  joren_sale_add_tender (rest, JOREN_TENDER_POINTS, amount, NULL, &error);
  g_assert_no_error (error);
  commit (fixture, rest);
  /* Back where the customer started before the sale. */
  g_assert_cmpint (balance (fixture), ==, 400);
}

static void
insert_old_grant (Fixture   *fixture,
                  gint64     points,
                  GDateTime *when)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO points_ledger (customer_id, kind, points,"
                                          " reason, created_at) VALUES (%" G_GINT64_FORMAT ","
                                          " 'adjust', %" G_GINT64_FORMAT ", 'Imported', %"
                                          G_GINT64_FORMAT ")", fixture->customer->id, points,
                                          joren_db_time_to_usec (when));

  g_assert_cmpint (sqlite3_exec (joren_db_get_handle (fixture->db), sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);
}

static void
test_expiry (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) two_years_ago = g_date_time_add_years (now, -2);
  g_autoptr(GDateTime) in_13_months = g_date_time_add_months (now, 13);
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 3, NULL);
  gint64 expired = -1;

  /* 200 old points, 120 of them spent; 50 + 13 recent ones. */
  insert_old_grant (fixture, 200, two_years_ago);
  grant (fixture, 50);
  joren_points_add_tender (fixture->db, sale, 120, &error);
  g_assert_no_error (error);
  commit (fixture, sale);
  g_assert_cmpint (balance (fixture), ==, 200 + 50 - 120 + 12);

  /* Oldest are spent first: 80 of the old ones are left and expire. */
  joren_points_expire (fixture->db, now, &expired, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expired, ==, 80);
  g_assert_cmpint (balance (fixture), ==, 62);
  joren_points_expire (fixture->db, now, &expired, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expired, ==, 0);
  g_assert_cmpint (balance (fixture), ==, 62);

  /* A year on, the rest expires too; never below zero. */
  joren_points_expire (fixture->db, in_13_months, &expired, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expired, ==, 62);
  g_assert_cmpint (balance (fixture), ==, 0);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count(*) FROM points_ledger"
                                                      " WHERE kind = 'expire'"), ==, 2);
}

static void
test_expiry_off (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) two_years_ago = g_date_time_add_years (now, -2);
  gint64 expired = -1;

  joren_db_set_setting (fixture->db, "loyalty.expiry_months", "0", &error);
  g_assert_no_error (error);
  insert_old_grant (fixture, 200, two_years_ago);
  joren_points_expire (fixture->db, now, &expired, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expired, ==, 0);
  g_assert_cmpint (balance (fixture), ==, 200);
}

static guint
stored_tier (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) customer = joren_customer_get (fixture->db, fixture->customer->id,
                                                          &error);

  g_assert_no_error (error);
  return customer->tier;
}

static void
update_tiers (Fixture   *fixture,
              GDateTime *now)
{
  g_autoptr(GError) error = NULL;

  joren_points_update_tiers (fixture->db, now, &error);
  g_assert_no_error (error);
}

static void
test_tiers (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) soon = NULL;
  g_autoptr(JorenSale) again = new_sale (fixture, "ブレンドコーヒー", 3, NULL);
  g_autoptr(JorenSale) next = new_sale (fixture, "ブレンドコーヒー", 3, NULL);
  g_autoptr(JorenSale) big = new_sale (fixture, "ブレンドコーヒー", 10, NULL);
  g_autoptr(JorenSale) small = new_sale (fixture, "煎茶", 2, NULL);
  g_autoptr(JorenSale) refund = NULL;

  joren_points_set_tier (fixture->db, 1, "Silver", 3000, 12000, &error);
  g_assert_no_error (error);
  joren_points_set_tier (fixture->db, 2, "Gold", 5000, 15000, &error);
  g_assert_no_error (error);

  /* Every commit sets the customer's tier at once. */
  commit (fixture, small);
  g_assert_cmpuint (stored_tier (fixture), ==, 0);
  /* ¥800 + ¥4,500 = ¥5,300: gold. */
  commit (fixture, big);
  g_assert_cmpuint (stored_tier (fixture), ==, 2);
  soon = g_date_time_new_now_utc ();
  update_tiers (fixture, soon);
  g_assert_cmpuint (stored_tier (fixture), ==, 2);
  /* A refund of 6 coffees leaves ¥2,600: below silver, back to tier 0. */
  refund = refund_of (fixture, big, 0, 6);
  commit (fixture, refund);
  g_assert_cmpuint (stored_tier (fixture), ==, 0);
  /* ¥2,600 + ¥1,350 = ¥3,950: silver, and the next sale earns 1.2x. */
  commit (fixture, again);
  g_assert_cmpuint (stored_tier (fixture), ==, 1);
  update_tiers (fixture, NULL);
  g_assert_cmpuint (stored_tier (fixture), ==, 1);
  g_assert_cmpint (points_for (fixture, next, NULL), ==, 16);
}

static void
test_tier_upgrade_by_period (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 8, NULL);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) in_11_months = NULL;
  g_autoptr(GDateTime) in_13_months = NULL;

  joren_points_set_tier (fixture->db, 1, "Silver", 3000, 12000, &error);
  g_assert_no_error (error);
  commit (fixture, sale);
  g_assert_cmpuint (stored_tier (fixture), ==, 1);
  now = g_date_time_new_now_utc ();
  in_11_months = g_date_time_add_months (now, 11);
  in_13_months = g_date_time_add_months (now, 13);
  update_tiers (fixture, in_11_months);
  g_assert_cmpuint (stored_tier (fixture), ==, 1);
  /* Downgraded when the spend leaves the trailing 12 months. */
  update_tiers (fixture, in_13_months);
  g_assert_cmpuint (stored_tier (fixture), ==, 0);
}

#define ADD(path, func) \
  g_test_add ("/joren/data/points/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("base-rate-and-rounding", test_base_rate_and_rounding);
  ADD ("tier-multiplier", test_tier_multiplier);
  ADD ("product-and-category", test_product_and_category);
  ADD ("exclusions", test_exclusions);
  ADD ("windows", test_windows);
  ADD ("window-past-midnight", test_window_past_midnight);
  ADD ("window-update", test_window_update);
  ADD ("redeem", test_redeem);
  ADD ("redeem-checked-at-commit", test_redeem_checked_at_commit);
  ADD ("adjust", test_adjust);
  ADD ("ledger-append-only", test_ledger_append_only);
  ADD ("refund-reverses-earned", test_refund_reverses_earned);
  ADD ("refund-restores-redeemed", test_refund_restores_redeemed);
  ADD ("expiry", test_expiry);
  ADD ("expiry-off", test_expiry_off);
  ADD ("tiers", test_tiers);
  ADD ("tier-upgrade-by-period", test_tier_upgrade_by_period);

  return g_test_run ();
}
