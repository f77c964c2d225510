/* test-value.c: gift vouchers, prepaid cards and customer accounts in a
 * real SQLite file: numbers and their check digit, the ledger's math and
 * append-only rows, partial redemption, recharge, limits, expiry, holds,
 * liability vs revenue in the stored sale, refunds back onto a voucher,
 * credit limits, debtors and payments. Prices are the demo café's (jp):
 * ブレンドコーヒー ¥450 (10 %), チーズケーキ ¥480. */
#include <string.h>

#include "joren-customer.h"
#include "joren-db-private.h"
#include "joren-points.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"
#include "joren-value-private.h"

typedef struct {
  JorenDb             *db;
  JorenValueAuthority *authority;
  JorenStaff          *staff;
  JorenCustomer       *customer;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->authority = joren_value_local_authority_new (fixture->db);
  fixture->staff = joren_test_find_staff (fixture->db, "Ben");
  fixture->customer = joren_customer_new ();
  fixture->customer->name = g_strdup ("山田 花子");
  joren_customer_add (fixture->db, fixture->customer, FALSE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->authority);
  g_clear_object (&fixture->db);
  g_clear_pointer (&fixture->staff, joren_staff_free);
  g_clear_pointer (&fixture->customer, joren_customer_free);
}

/* A sale with qty of the named product (NULL: no goods), rung up by Ben. */
static JorenSale *
new_sale (Fixture    *fixture,
          const char *product_name,
          gint64      qty)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenShop) shop = joren_db_load_shop (fixture->db, &error);
  JorenSale *sale;

  g_assert_no_error (error);
  sale = joren_sale_new (shop);
  if (product_name != NULL)
    {
      g_autoptr(JorenProduct) product = joren_test_find_product (fixture->db, product_name);

      joren_sale_add_product (sale, product, qty, NULL);
    }
  joren_sale_set_staff (sale, fixture->staff->id, fixture->staff->name);
  return sale;
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

/* Sells a voucher (number NULL: generated) of amount; returns its number. */
static char *
sell_voucher (Fixture        *fixture,
              JorenValueKind  kind,
              const char     *number,
              gint64          amount)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) sale = new_sale (fixture, NULL, 0);
  guint index = joren_value_add_issue_line (fixture->db, sale, kind, number, amount, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (index, ==, 0);
  commit (fixture, sale);
  return g_strdup (joren_sale_get_line (sale, 0)->reference);
}

static JorenValueAccount *
lookup (Fixture    *fixture,
        const char *number)
{
  g_autoptr(GError) error = NULL;
  JorenValueAccount *account = joren_value_lookup (fixture->db, number, &error);

  g_assert_no_error (error);
  return account;
}

static gint64
balance_of (Fixture    *fixture,
            const char *number)
{
  g_autoptr(JorenValueAccount) account = lookup (fixture, number);

  return account->balance;
}

static gint64
count_sales (Fixture *fixture)
{
  return joren_test_query_int (fixture->db, "SELECT count (*) FROM sales");
}

/* ---- numbers ------------------------------------------------------------- */

static void
test_numbers (void)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *number = joren_value_number_generate (4321);
      char wrong[JOREN_VALUE_NUMBER_LENGTH + 1];
      guint at = (guint) g_random_int_range (0, JOREN_VALUE_NUMBER_LENGTH);

      g_assert_cmpuint (strlen (number), ==, JOREN_VALUE_NUMBER_LENGTH);
      g_assert_true (g_str_has_prefix (number, "4321"));
      g_assert_true (joren_value_number_luhn_ok (number));
      /* Any single wrong digit is caught. */
      memcpy (wrong, number, sizeof wrong);
      wrong[at] = (char) ('0' + (wrong[at] - '0' + 1 + g_random_int_range (0, 9)) % 10);
      g_assert_false (joren_value_number_luhn_ok (wrong));
    }
  /* A well-known Luhn example. */
  g_assert_true (joren_value_number_luhn_ok ("79927398713"));
  g_assert_false (joren_value_number_luhn_ok ("79927398710"));
}

static void
test_number_typing (void)
{
  g_autofree char *digits = joren_value_number_normalize ("1000 2000-3000 4000");
  g_autofree char *shown = joren_value_number_format ("1000200030004000");
  g_autofree char *masked = joren_value_number_mask ("1000200030004000");
  g_autofree char *letters = joren_value_number_normalize ("1000 20*0");

  g_assert_cmpstr (digits, ==, "1000200030004000");
  g_assert_cmpstr (shown, ==, "1000 2000 3000 4000");
  g_assert_cmpstr (masked, ==, "•••• 4000");
  g_assert_null (letters);
}

static void
test_mistyped (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 3000);
  g_autofree char *typo = g_strdup (number);
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenValueAccount) found = NULL;
  g_autoptr(JorenValueAccount) spaced = NULL;
  g_autofree char *shown = joren_value_number_format (number);

  typo[7] = typo[7] == '9' ? '0' : (char) (typo[7] + 1);
  found = joren_value_lookup (fixture->db, typo, &error);
  g_assert_null (found);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "check digit"));
  g_clear_error (&error);
  found = joren_value_lookup (fixture->db, "12345", &error);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  /* Typed as printed on the slip, in groups. */
  spaced = lookup (fixture, shown);
  g_assert_cmpint (spaced->balance, ==, 3000);
}

/* ---- liability vs revenue ------------------------------------------------- */

static void
test_liability_not_revenue (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 2);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  JorenValueDayReport report;
  gint64 goods_tax;

  goods_tax = joren_sale_get_tax_total (sale);
  joren_value_add_issue_line (fixture->db, sale, JOREN_VALUE_GIFT, NULL, 5000, 0, &error);
  g_assert_no_error (error);
  /* The voucher adds to what is paid, not to the tax or the taxed lines. */
  g_assert_cmpint (joren_sale_get_total (sale), ==, 900 + 5000);
  g_assert_cmpint (joren_sale_get_tax_total (sale), ==, goods_tax);
  g_assert_cmpint (joren_sale_get_goods_total (sale), ==, 900);
  g_assert_cmpuint (joren_sale_get_n_tax_lines (sale), ==, 1);
  commit (fixture, sale);

  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM sale_lines"
                                         " WHERE line_kind = 'value' AND amount = 5000"), ==, 1);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT sum (gross) FROM sale_taxes"), ==, 900);
  g_assert_cmpint (joren_value_outstanding_liability (fixture->db, &error), ==, 5000);
  g_assert_no_error (error);
  joren_value_day_report (fixture->db, day, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report.revenue, ==, 900);
  g_assert_cmpint (report.liability_issued, ==, 5000);
  g_assert_cmpint (report.tax, ==, goods_tax);
  g_assert_cmpint (report.liability_redeemed, ==, 0);
}

/* ---- redemption ------------------------------------------------------------ */

static void
test_partial_redemption (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 1000);
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) balances = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  JorenValueDayReport report;
  gint64 taken = 0;

  /* amount 0: as much as the voucher covers of what is due. */
  joren_value_add_voucher_tender (fixture->authority, sale, number, 0, &taken, &error);
  g_assert_no_error (error);
  g_assert_cmpint (taken, ==, 450);
  g_assert_true (joren_sale_is_settled (sale));
  commit (fixture, sale);
  g_assert_cmpint (balance_of (fixture, number), ==, 550);
  g_assert_cmpint (joren_value_outstanding_liability (fixture->db, NULL), ==, 550);

  balances = joren_value_balances_for_sale (fixture->db, sale, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (balances->len, ==, 1);
  g_assert_cmpint (((JorenValueBalance *) balances->pdata[0])->balance, ==, 550);

  joren_value_day_report (fixture->db, day, &report, &error);
  g_assert_cmpint (report.liability_redeemed, ==, 450);
  g_assert_cmpint (report.revenue, ==, 450);

  /* The rest pays part of a bigger sale; the voucher is then empty. */
  {
    g_autoptr(JorenSale) second = new_sale (fixture, "チーズケーキ", 2);

    joren_value_add_voucher_tender (fixture->authority, second, number, 0, &taken, &error);
    g_assert_no_error (error);
    g_assert_cmpint (taken, ==, 550);
    g_assert_false (joren_sale_is_settled (second));
    commit (fixture, second);
    g_assert_cmpint (balance_of (fixture, number), ==, 0);
  }
}

static void
test_overspend_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 300);
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 2);
  g_autoptr(GError) error = NULL;
  gint64 sales_before;

  g_assert_false (joren_value_add_voucher_tender (fixture->authority, sale, number, 500, NULL,
                                                  &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "300"));
  g_clear_error (&error);
  g_assert_cmpuint (joren_sale_get_n_tenders (sale), ==, 0);

  /* A tender that skipped the authority is caught inside the commit. */
  sales_before = count_sales (fixture);
  joren_sale_add_tender (sale, JOREN_TENDER_VOUCHER, 500, number, &error);
  g_assert_no_error (error);
  joren_test_pay_cash (sale, 0);
  g_assert_false (joren_db_commit_sale (fixture->db, sale, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (count_sales (fixture), ==, sales_before);
  g_assert_cmpint (balance_of (fixture, number), ==, 300);
}

static void
test_holds (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_PREPAID, NULL, 1000);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autoptr(JorenValueAccount) account = NULL;

  first = joren_value_authority_authorise (fixture->authority, number, 600, "sale-a", &error);
  g_assert_no_error (error);
  /* A second till cannot hold what the first one holds. */
  second = joren_value_authority_authorise (fixture->authority, number, 600, "sale-b", &error);
  g_assert_null (second);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  account = lookup (fixture, number);
  g_assert_cmpint (account->held, ==, 600);
  g_assert_cmpint (joren_value_account_available (account), ==, 400);

  g_assert_true (joren_value_authority_release (fixture->authority, first, &error));
  g_assert_no_error (error);
  /* A hold moves once: released is final. */
  g_assert_false (joren_value_authority_capture (fixture->authority, first, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  third = joren_value_authority_authorise (fixture->authority, number, 600, "sale-b", &error);
  g_assert_no_error (error);
  g_assert_nonnull (third);
  /* And the table itself refuses to move it back. */
  g_assert_false (joren_db_exec (fixture->db, "UPDATE value_holds SET state = 'held'",
                                 "test", &error));
  g_assert_nonnull (error);
}

static void
test_commit_captures_holds (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 2000);
  g_autoptr(JorenSale) sale = new_sale (fixture, "チーズケーキ", 1);
  g_autoptr(JorenSale) abandoned = new_sale (fixture, "チーズケーキ", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenValueAccount) account = NULL;

  joren_value_add_voucher_tender (fixture->authority, sale, number, 0, NULL, &error);
  g_assert_no_error (error);
  joren_value_add_voucher_tender (fixture->authority, abandoned, number, 0, NULL, &error);
  g_assert_no_error (error);
  commit (fixture, sale);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM value_holds"
                                         " WHERE state = 'captured'"), ==, 1);
  joren_value_release_sale (fixture->authority, abandoned, &error);
  g_assert_no_error (error);
  account = lookup (fixture, number);
  g_assert_cmpint (account->balance, ==, 1520);
  g_assert_cmpint (account->held, ==, 0);
}

/* Removing one of two voucher tenders frees exactly its hold at once;
 * the other tender keeps its hold and stays on the sale. */
static void
test_remove_one_tender (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *first = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 2000);
  g_autofree char *second = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 2000);
  g_autoptr(JorenSale) sale = new_sale (fixture, "チーズケーキ", 2);
  g_autoptr(JorenValueAccount) freed = NULL;
  g_autoptr(JorenValueAccount) kept = NULL;
  g_autoptr(GError) error = NULL;

  joren_value_add_voucher_tender (fixture->authority, sale, first, 300, NULL, &error);
  g_assert_no_error (error);
  joren_value_add_voucher_tender (fixture->authority, sale, second, 200, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (joren_sale_get_tender (sale, 0)->hold_id);
  joren_value_remove_tender (fixture->authority, sale, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (joren_sale_get_n_tenders (sale), ==, 1);
  g_assert_cmpstr (joren_sale_get_tender (sale, 0)->reference, ==, second);
  freed = lookup (fixture, first);
  kept = lookup (fixture, second);
  g_assert_cmpint (joren_value_account_available (freed), ==, 2000);
  g_assert_cmpint (joren_value_account_available (kept), ==, 1800);
  /* The kept tender's hold is the one the commit captures. */
  commit (fixture, sale);
  g_assert_cmpint (balance_of (fixture, first), ==, 2000);
  g_assert_cmpint (balance_of (fixture, second), ==, 1800);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM value_holds"
                                         " WHERE state = 'held'"), ==, 0);
}

/* ---- recharge, limits, expiry --------------------------------------------- */

static void
test_recharge (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_PREPAID, NULL, 1000);
  g_autofree char *again = sell_voucher (fixture, JOREN_VALUE_PREPAID, number, 2000);
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenValueAccount) account = lookup (fixture, number);
  g_autoptr(GPtrArray) entries = joren_value_list_entries (fixture->db, account->id, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, number);
  g_assert_cmpint (account->balance, ==, 3000);
  g_assert_cmpuint (entries->len, ==, 2);
  /* Newest first: the top-up, then the issue. */
  g_assert_cmpint (((JorenValueEntry *) entries->pdata[0])->kind, ==, JOREN_VALUE_ENTRY_TOPUP);
  g_assert_cmpint (((JorenValueEntry *) entries->pdata[1])->kind, ==, JOREN_VALUE_ENTRY_ISSUE);
  g_assert_nonnull (((JorenValueEntry *) entries->pdata[0])->receipt_no);
}

static void
test_external_number (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_GIFT, "GV 2024 0042", 1500);
  g_autoptr(JorenValueAccount) account = lookup (fixture, "gv-2024-0042");

  g_assert_cmpstr (number, ==, "GV20240042");
  g_assert_true (account->external);
  g_assert_cmpint (account->balance, ==, 1500);
}

static void
test_limits (Fixture       *fixture,
             gconstpointer  data)
{
  JorenValueSettings settings;
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) sale = new_sale (fixture, NULL, 0);
  g_autofree char *number = NULL;

  joren_value_get_settings (fixture->db, &settings);
  settings.max_topup = 10000;
  settings.max_balance = 15000;
  settings.accepted_kinds = JOREN_VALUE_KIND_BIT (JOREN_VALUE_GIFT);
  joren_value_set_settings (fixture->db, &settings, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (joren_value_add_issue_line (fixture->db, sale, JOREN_VALUE_GIFT, NULL, 20000,
                                                0, &error), ==, G_MAXUINT);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "10,000"));
  g_clear_error (&error);
  g_assert_cmpuint (joren_value_add_issue_line (fixture->db, sale, JOREN_VALUE_PREPAID, NULL, 100,
                                                0, &error), ==, G_MAXUINT);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);

  number = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 10000);
  g_assert_cmpuint (joren_value_add_issue_line (fixture->db, sale, JOREN_VALUE_GIFT, number, 6000,
                                                0, &error), ==, G_MAXUINT);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "15,000"));
  g_clear_error (&error);
  g_assert_cmpuint (joren_value_add_issue_line (fixture->db, sale, JOREN_VALUE_GIFT, number, 5000,
                                                0, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_expiry (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 800);
  g_autoptr(JorenValueAccount) account = lookup (fixture, number);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_days (now, -1);
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 1);
  g_autoptr(GError) error = NULL;
  gint64 expired = -1;

  /* New vouchers get the store's validity (36 months by default). */
  g_assert_nonnull (account->expires_at);
  g_assert_cmpint (g_date_time_difference (account->expires_at, now) / G_TIME_SPAN_DAY, >, 1000);
  joren_value_set_expiry (fixture->db, account->id, past, &error);
  g_assert_no_error (error);
  g_assert_false (joren_value_add_voucher_tender (fixture->authority, sale, number, 0, NULL,
                                                  &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "expired"));
  g_clear_error (&error);

  joren_value_expire (fixture->db, NULL, &expired, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expired, ==, 800);
  g_assert_cmpint (balance_of (fixture, number), ==, 0);
  joren_value_expire (fixture->db, NULL, &expired, &error);
  g_assert_cmpint (expired, ==, 0);
  g_assert_cmpint (joren_value_outstanding_liability (fixture->db, NULL), ==, 0);
}

/* ---- the ledger -------------------------------------------------------------- */

static void
test_append_only (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 1000);
  g_autoptr(JorenValueAccount) account = lookup (fixture, number);
  g_autoptr(GError) error = NULL;

  g_assert_false (joren_db_exec (fixture->db, "UPDATE value_ledger SET amount = 99999",
                                 "test", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (joren_db_exec (fixture->db, "DELETE FROM value_ledger", "test", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Adjustments are rows too, with a reason; a voucher stays >= 0. */
  g_assert_false (joren_value_adjust (fixture->db, account->id, -2000, "broken", 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_value_adjust (fixture->db, account->id, 100, "", 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  joren_value_adjust (fixture->db, account->id, -250, "Damaged slip", fixture->staff->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balance_of (fixture, number), ==, 750);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM value_ledger"), ==, 2);
}

static void
test_retry_does_not_double (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 1000);
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 1);
  g_autoptr(GError) error = NULL;
  JorenValueRow row = { 0, };
  g_autoptr(JorenValueAccount) account = lookup (fixture, number);

  joren_value_add_voucher_tender (fixture->authority, sale, number, 0, NULL, &error);
  commit (fixture, sale);
  g_assert_false (joren_db_commit_sale (fixture->db, sale, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_clear_error (&error);
  /* The ledger's own index refuses a second row of the sale too. */
  row = (JorenValueRow) { account->id, JOREN_VALUE_ENTRY_REDEEM, -450, NULL, 0,
                          joren_sale_get_id (sale), joren_sale_get_uuid (sale), NULL };
  g_assert_false (joren_value_insert_row (fixture->db, &row, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_assert_cmpint (balance_of (fixture, number), ==, 550);
}

/* ---- refunds ------------------------------------------------------------------ */

static JorenSale *
prepare_refund (Fixture   *fixture,
                JorenSale *original)
{
  g_autoptr(GError) error = NULL;
  JorenSale *refund = joren_db_prepare_refund (fixture->db, joren_sale_get_receipt_no (original),
                                               &error);

  g_assert_no_error (error);
  joren_sale_set_staff (refund, fixture->staff->id, fixture->staff->name);
  joren_sale_add_refund_line (refund, 0, joren_sale_get_line (original, 0)->qty, &error);
  g_assert_no_error (error);
  return refund;
}

static void
test_refund_onto_voucher (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, JOREN_VALUE_GIFT, NULL, 1000);
  g_autoptr(JorenSale) sale = new_sale (fixture, "ブレンドコーヒー", 1);
  g_autoptr(JorenSale) refund = NULL;
  g_autoptr(GError) error = NULL;
  gint64 back = 0;

  joren_value_add_voucher_tender (fixture->authority, sale, number, 0, NULL, &error);
  commit (fixture, sale);
  g_assert_cmpint (balance_of (fixture, number), ==, 550);

  refund = prepare_refund (fixture, sale);
  joren_value_add_voucher_tender (fixture->authority, refund, number, 0, &back, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back, ==, -450);
  g_assert_true (joren_sale_is_settled (refund));
  commit (fixture, refund);
  g_assert_cmpint (balance_of (fixture, number), ==, 1000);
}

static void
test_refund_voucher_sale (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JorenSale) sale = new_sale (fixture, NULL, 0);
  g_autoptr(JorenSale) used_sale = new_sale (fixture, NULL, 0);
  g_autoptr(JorenSale) refund = NULL;
  g_autoptr(JorenSale) refused = NULL;
  g_autoptr(JorenSale) spend = new_sale (fixture, "ブレンドコーヒー", 1);
  g_autoptr(GError) error = NULL;
  const char *number, *used;

  joren_value_add_issue_line (fixture->db, sale, JOREN_VALUE_GIFT, NULL, 3000, 0, &error);
  joren_value_add_issue_line (fixture->db, used_sale, JOREN_VALUE_GIFT, NULL, 3000, 0, &error);
  g_assert_no_error (error);
  commit (fixture, sale);
  commit (fixture, used_sale);
  number = joren_sale_get_line (sale, 0)->reference;
  used = joren_sale_get_line (used_sale, 0)->reference;

  /* Refunding an unused voucher voids its balance. */
  refund = prepare_refund (fixture, sale);
  commit (fixture, refund);
  g_assert_cmpint (balance_of (fixture, number), ==, 0);
  g_assert_cmpint (joren_value_outstanding_liability (fixture->db, NULL), ==, 3000);

  /* A voucher partly spent cannot be paid out in full. */
  joren_value_add_voucher_tender (fixture->authority, spend, used, 0, NULL, &error);
  commit (fixture, spend);
  refused = prepare_refund (fixture, used_sale);
  joren_test_pay_cash (refused, 0);
  g_assert_false (joren_db_commit_sale (fixture->db, refused, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (balance_of (fixture, used), ==, 2550);
}

/* ---- customer accounts ------------------------------------------------------ */

static JorenValueAccount *
open_account (Fixture *fixture,
              gint64   limit)
{
  g_autoptr(GError) error = NULL;
  JorenValueAccount *account = joren_value_open_customer_account (fixture->db,
                                                                  fixture->customer->id,
                                                                  limit, &error);

  g_assert_no_error (error);
  return account;
}

static void
test_credit_limit (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JorenValueAccount) account = open_account (fixture, 1000);
  g_autoptr(JorenSale) first = new_sale (fixture, "ブレンドコーヒー", 2);
  g_autoptr(JorenSale) second = new_sale (fixture, "チーズケーキ", 1);
  g_autoptr(JorenSale) anonymous = new_sale (fixture, "チーズケーキ", 1);
  g_autoptr(GError) error = NULL;

  g_assert_false (joren_value_add_account_tender (fixture->authority, fixture->db, anonymous, 0,
                                                  &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  joren_sale_set_customer (first, fixture->customer->id);
  joren_value_add_account_tender (fixture->authority, fixture->db, first, 0, &error);
  g_assert_no_error (error);
  commit (fixture, first);
  g_assert_cmpint (balance_of (fixture, account->number), ==, -900);

  joren_sale_set_customer (second, fixture->customer->id);
  g_assert_false (joren_value_add_account_tender (fixture->authority, fixture->db, second, 0,
                                                  &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "credit limit"));
  g_clear_error (&error);
  /* 100 still fits. */
  joren_value_add_account_tender (fixture->authority, fixture->db, second, 100, &error);
  g_assert_no_error (error);
  commit (fixture, second);
  g_assert_cmpint (balance_of (fixture, account->number), ==, -1000);
}

static void
test_debtors_and_payments (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(JorenValueAccount) account = open_account (fixture, 10000);
  g_autoptr(JorenSale) charge = new_sale (fixture, "ブレンドコーヒー", 2);
  g_autoptr(JorenSale) later = new_sale (fixture, "チーズケーキ", 1);
  g_autoptr(JorenSale) payment = new_sale (fixture, NULL, 0);
  g_autoptr(GPtrArray) debtors = NULL;
  g_autoptr(GError) error = NULL;
  JorenDebtor *debtor;

  joren_sale_set_customer (charge, fixture->customer->id);
  joren_value_add_account_tender (fixture->authority, fixture->db, charge, 0, &error);
  commit (fixture, charge);
  joren_sale_set_customer (later, fixture->customer->id);
  joren_value_add_account_tender (fixture->authority, fixture->db, later, 0, &error);
  g_assert_no_error (error);
  commit (fixture, later);

  /* A partial payment at the till, in cash: pays the oldest charge first. */
  joren_value_add_payment_line (fixture->db, payment, account->id, 600, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_tax_total (payment), ==, 0);
  commit (fixture, payment);

  debtors = joren_value_list_debtors (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (debtors->len, ==, 1);
  debtor = debtors->pdata[0];
  g_assert_cmpint (debtor->debt, ==, 900 + 480 - 600);
  g_assert_cmpstr (debtor->customer_name, ==, "山田 花子");
  g_assert_cmpstr (debtor->oldest_receipt_no, ==, joren_sale_get_receipt_no (charge));
  g_assert_cmpint (debtor->oldest_unpaid, ==, 300);
  g_assert_nonnull (debtor->since);

  /* Mark paid: a bank transfer of the rest. */
  joren_value_record_payment (fixture->db, account->id, 0, "Bank transfer", fixture->staff->id,
                              &error);
  g_assert_no_error (error);
  g_clear_pointer (&debtors, g_ptr_array_unref);
  debtors = joren_value_list_debtors (fixture->db, &error);
  g_assert_cmpuint (debtors->len, ==, 0);
  g_assert_cmpint (balance_of (fixture, account->number), ==, 0);
  g_assert_false (joren_value_record_payment (fixture->db, account->id, 0, "again", 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
}

static void
test_no_points_on_value (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(JorenSale) goods = new_sale (fixture, "ブレンドコーヒー", 2);
  g_autoptr(JorenSale) both = new_sale (fixture, "ブレンドコーヒー", 2);
  g_autoptr(GError) error = NULL;
  gint64 goods_points = -1, both_points = -1;

  joren_sale_set_customer (goods, fixture->customer->id);
  joren_sale_set_customer (both, fixture->customer->id);
  joren_value_add_issue_line (fixture->db, both, JOREN_VALUE_GIFT, NULL, 10000, 0, &error);
  g_assert_no_error (error);
  joren_points_for_sale (fixture->db, goods, NULL, &goods_points, &error);
  joren_points_for_sale (fixture->db, both, NULL, &both_points, &error);
  g_assert_no_error (error);
  g_assert_cmpint (goods_points, >, 0);
  g_assert_cmpint (both_points, ==, goods_points);
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) debtors = NULL;

  joren_value_create_demo (fixture->db, &error);
  g_assert_no_error (error);
  /* Two vouchers (¥5,000 and ¥3,000) and a prepaid card (¥2,000). */
  g_assert_cmpint (joren_value_outstanding_liability (fixture->db, NULL), ==, 10000);
  debtors = joren_value_list_debtors (fixture->db, &error);
  g_assert_cmpuint (debtors->len, ==, 1);
  g_assert_cmpint (((JorenDebtor *) debtors->pdata[0])->debt, ==, 3200);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM coupon_codes"), ==, 5);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM sales"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/value/numbers", test_numbers);
  g_test_add_func ("/joren/data/value/number-typing", test_number_typing);
#define ADD(path, func) \
  g_test_add ("/joren/data/value/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("mistyped", test_mistyped);
  ADD ("liability-not-revenue", test_liability_not_revenue);
  ADD ("partial-redemption", test_partial_redemption);
  ADD ("overspend-refused", test_overspend_refused);
  ADD ("holds", test_holds);
  ADD ("commit-captures-holds", test_commit_captures_holds);
  ADD ("remove-one-tender", test_remove_one_tender);
  ADD ("recharge", test_recharge);
  ADD ("external-number", test_external_number);
  ADD ("limits", test_limits);
  ADD ("expiry", test_expiry);
  ADD ("append-only", test_append_only);
  ADD ("retry-does-not-double", test_retry_does_not_double);
  ADD ("refund-onto-voucher", test_refund_onto_voucher);
  ADD ("refund-voucher-sale", test_refund_voucher_sale);
  ADD ("credit-limit", test_credit_limit);
  ADD ("debtors-and-payments", test_debtors_and_payments);
  ADD ("no-points-on-value", test_no_points_on_value);
  ADD ("demo", test_demo);
#undef ADD

  return g_test_run ();
}
