/* test-coupon.c: e-coupons in a real SQLite file: code format and check
 * character, every reason a code is refused, the three kinds of value as
 * discounts on the sale, redemption inside the sale commit, and two
 * threads with their own connections racing to redeem one code, of which
 * exactly one may win. Prices are the demo café's (jp): ブレンドコーヒー
 * ¥450, チーズケーキ ¥480. */
#include <string.h>

#include "joren-coupon.h"
#include "joren-db-private.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"

typedef struct {
  JorenDb    *db;
  JorenStaff *staff;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->db = joren_test_open_demo_db ("jp");
  fixture->staff = joren_test_find_staff (fixture->db, "Chen");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->db);
  g_clear_pointer (&fixture->staff, joren_staff_free);
}

static JorenSale *
new_sale (JorenDb    *db,
          JorenStaff *staff,
          const char *product_name,
          gint64      qty)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, &error);
  g_autoptr(JorenProduct) product = joren_test_find_product (db, product_name);
  JorenSale *sale;

  g_assert_no_error (error);
  sale = joren_sale_new (shop);
  joren_sale_add_product (sale, product, qty, NULL);
  joren_sale_set_staff (sale, staff->id, staff->name);
  return sale;
}

/* A campaign of kind/value (more set by the caller through setup) with
 * n codes; returns the codes. */
static GPtrArray *
issue (Fixture              *fixture,
       JorenCouponCampaign  *campaign,
       guint                 n)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *codes;

  joren_coupon_campaign_add (fixture->db, campaign, &error);
  g_assert_no_error (error);
  codes = joren_coupon_issue (fixture->db, campaign->id, 0, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, ==, n);
  return codes;
}

static void
test_codes (void)
{
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *code = joren_coupon_code_generate ();
      g_autofree char *shown = joren_coupon_code_format (code);
      g_autofree char *typed = g_ascii_strdown (shown, -1);
      g_autofree char *back = joren_coupon_code_normalize (typed);
      guint at = (guint) g_random_int_range (0, JOREN_COUPON_CODE_LENGTH);
      char wrong[JOREN_COUPON_CODE_LENGTH + 1];

      g_assert_cmpuint (strlen (code), ==, JOREN_COUPON_CODE_LENGTH);
      g_assert_null (strpbrk (code, "01IO"));
      g_assert_true (joren_coupon_code_check_ok (code));
      g_assert_cmpuint (strlen (shown), ==, JOREN_COUPON_CODE_LENGTH + 1);
      g_assert_cmpstr (back, ==, code);
      /* Any single wrong character is caught by the check character. */
      memcpy (wrong, code, sizeof wrong);
      wrong[at] = wrong[at] == 'Z' ? '2' : wrong[at] == '9' ? 'A' : (char) (wrong[at] + 1);
      wrong[at] = wrong[at] == 'I' ? 'J' : wrong[at] == 'O' ? 'P' : wrong[at];
      g_assert_false (joren_coupon_code_check_ok (wrong));
    }
  g_assert_null (joren_coupon_code_normalize ("ABCDE-FGH0K"));
}

static void
assert_refused (Fixture          *fixture,
                const char       *code,
                JorenSale        *sale,
                JorenCouponError  reason)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (joren_coupon_check (fixture->db, code, sale, NULL, &error));
  g_assert_error (error, JOREN_COUPON_ERROR, (gint) reason);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_reasons (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JorenCouponCampaign) big = joren_coupon_campaign_new ("Big spender", JOREN_COUPON_AMOUNT, 500);
  g_autoptr(JorenCouponCampaign) cake = joren_coupon_campaign_new ("Free cake", JOREN_COUPON_FREE_ITEM, 0);
  g_autoptr(JorenCouponCampaign) soon = joren_coupon_campaign_new ("Soon", JOREN_COUPON_PERCENT, 1000);
  g_autoptr(JorenCouponCampaign) over = joren_coupon_campaign_new ("Over", JOREN_COUPON_PERCENT, 1000);
  g_autoptr(JorenProduct) cheesecake = joren_test_find_product (fixture->db, "チーズケーキ");
  g_autoptr(JorenSale) sale = new_sale (fixture->db, fixture->staff, "ブレンドコーヒー", 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) big_codes = NULL;
  g_autoptr(GPtrArray) cake_codes = NULL;
  g_autoptr(GPtrArray) soon_codes = NULL;
  g_autoptr(GPtrArray) over_codes = NULL;
  g_autofree char *unknown = joren_coupon_code_generate ();

  big->min_spend = 3000;
  g_array_append_val (cake->product_ids, cheesecake->id);
  soon->valid_from = g_date_time_add_days (now, 2);
  over->valid_until = g_date_time_add_days (now, -1);
  big_codes = issue (fixture, big, 1);
  cake_codes = issue (fixture, cake, 1);
  soon_codes = issue (fixture, soon, 1);
  over_codes = issue (fixture, over, 1);

  assert_refused (fixture, "HELLO", sale, JOREN_COUPON_ERROR_MISTYPED);
  assert_refused (fixture, unknown, sale, JOREN_COUPON_ERROR_UNKNOWN);
  assert_refused (fixture, big_codes->pdata[0], sale, JOREN_COUPON_ERROR_MINIMUM);
  assert_refused (fixture, cake_codes->pdata[0], sale, JOREN_COUPON_ERROR_NO_ITEM);
  assert_refused (fixture, soon_codes->pdata[0], sale, JOREN_COUPON_ERROR_NOT_YET_VALID);
  assert_refused (fixture, over_codes->pdata[0], sale, JOREN_COUPON_ERROR_EXPIRED);
}

static void
test_apply_kinds (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JorenCouponCampaign) amount = joren_coupon_campaign_new ("¥200 off", JOREN_COUPON_AMOUNT, 200);
  g_autoptr(JorenCouponCampaign) percent = joren_coupon_campaign_new ("10 %", JOREN_COUPON_PERCENT, 1000);
  g_autoptr(JorenCouponCampaign) cake = joren_coupon_campaign_new ("Cake", JOREN_COUPON_FREE_ITEM, 0);
  g_autoptr(JorenProduct) cheesecake = joren_test_find_product (fixture->db, "チーズケーキ");
  g_autoptr(JorenSale) sale = new_sale (fixture->db, fixture->staff, "ブレンドコーヒー", 2);
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) p = NULL;
  g_autoptr(GPtrArray) c = NULL;
  g_autoptr(GError) error = NULL;
  guint cake_line;

  g_array_append_val (cake->category_ids, cheesecake->category_id);
  a = issue (fixture, amount, 1);
  p = issue (fixture, percent, 1);
  c = issue (fixture, cake, 1);

  joren_coupon_apply (fixture->db, sale, a->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 700);
  g_assert_cmpint (joren_coupon_get_discount (sale), ==, 200);
  /* One coupon per sale. */
  assert_refused (fixture, p->pdata[0], sale, JOREN_COUPON_ERROR_NOT_ALLOWED);
  joren_coupon_remove (sale);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 900);
  g_assert_null (joren_sale_get_coupon_code (sale));

  joren_coupon_apply (fixture->db, sale, p->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 810);
  joren_coupon_remove (sale);

  cake_line = joren_sale_add_product (sale, cheesecake, 2, NULL);
  joren_coupon_apply (fixture->db, sale, c->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (joren_sale_get_coupon_line (sale), ==, cake_line);
  g_assert_cmpint (joren_sale_get_line (sale, cake_line)->line_discount, ==, 480);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 900 + 480);
}

static void
test_single_use (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JorenCouponCampaign) campaign = joren_coupon_campaign_new ("¥100", JOREN_COUPON_AMOUNT, 100);
  g_autoptr(GPtrArray) codes = issue (fixture, campaign, 3);
  g_autoptr(JorenSale) first = new_sale (fixture->db, fixture->staff, "ブレンドコーヒー", 1);
  g_autoptr(JorenSale) second = new_sale (fixture->db, fixture->staff, "ブレンドコーヒー", 1);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(JorenCouponCampaign) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sales_before;

  /* Both tills apply the code before either commits. */
  joren_coupon_apply (fixture->db, first, codes->pdata[0], &error);
  g_assert_no_error (error);
  joren_coupon_apply (fixture->db, second, codes->pdata[0], &error);
  g_assert_no_error (error);
  joren_test_pay_cash (first, 0);
  joren_test_pay_cash (second, 0);
  joren_db_commit_sale (fixture->db, first, 0, &error);
  g_assert_no_error (error);
  sales_before = joren_test_query_int (fixture->db, "SELECT count (*) FROM sales");
  g_assert_false (joren_db_commit_sale (fixture->db, second, 0, &error));
  g_assert_error (error, JOREN_COUPON_ERROR, JOREN_COUPON_ERROR_USED);
  g_clear_error (&error);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM sales"), ==,
                   sales_before);
  assert_refused (fixture, codes->pdata[0], second, JOREN_COUPON_ERROR_USED);

  listed = joren_coupon_list_codes (fixture->db, campaign->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 3);
  loaded = joren_coupon_campaign_load (fixture->db, campaign->id, &error);
  g_assert_cmpuint (loaded->n_issued, ==, 3);
  g_assert_cmpuint (loaded->n_redeemed, ==, 1);
  g_assert_false (joren_db_exec (fixture->db, "DELETE FROM coupon_redemptions", "test", &error));
  g_assert_nonnull (error);
}

/* ---- the race ------------------------------------------------------------------ */

typedef struct {
  const char *path;
  const char *code;
  GMutex     *lock;
  GCond      *cond;
  gint       *ready;
  gboolean    committed;
  GError     *error;
} Racer;

/* Each thread opens its own connection, applies the code, waits until
 * both are ready, then commits. */
static gpointer
race_cb (gpointer data)
{
  Racer *racer = data;
  g_autoptr(JorenDb) db = joren_db_open (racer->path, &racer->error);
  g_autoptr(JorenStaff) staff = NULL;
  g_autoptr(JorenSale) sale = NULL;

  if (db == NULL)
    return NULL;
  staff = joren_test_find_staff (db, "Chen");
  sale = new_sale (db, staff, "チーズケーキ", 1);
  if (!joren_coupon_apply (db, sale, racer->code, &racer->error))
    return NULL;
  joren_test_pay_cash (sale, 0);
  g_mutex_lock (racer->lock);
  (*racer->ready)++;
  g_cond_broadcast (racer->cond);
  while (*racer->ready < 2)
    g_cond_wait (racer->cond, racer->lock);
  g_mutex_unlock (racer->lock);
  racer->committed = joren_db_commit_sale (db, sale, 0, &racer->error);
  return NULL;
}

static void
test_race (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(JorenCouponCampaign) campaign = joren_coupon_campaign_new ("Race", JOREN_COUPON_AMOUNT, 100);
  g_autoptr(GPtrArray) codes = issue (fixture, campaign, 1);
  GMutex lock;
  GCond cond;
  gint ready = 0;
  Racer racers[2];
  GThread *threads[2];

  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (guint i = 0; i < 2; i++)
    {
      racers[i] = (Racer) { joren_db_get_path (fixture->db), codes->pdata[0], &lock, &cond,
                            &ready, FALSE, NULL };
      threads[i] = g_thread_new ("racer", race_cb, &racers[i]);
    }
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);

  /* Exactly one wins; the other is told the coupon was used. */
  g_assert_cmpint (racers[0].committed + racers[1].committed, ==, 1);
  for (guint i = 0; i < 2; i++)
    if (!racers[i].committed)
      g_assert_error (racers[i].error, JOREN_COUPON_ERROR, JOREN_COUPON_ERROR_USED);
    else
      g_assert_no_error (racers[i].error);
  g_clear_error (&racers[0].error);
  g_clear_error (&racers[1].error);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM coupon_redemptions"),
                   ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/coupon/codes", test_codes);
#define ADD(path, func) \
  g_test_add ("/joren/data/coupon/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("reasons", test_reasons);
  ADD ("apply-kinds", test_apply_kinds);
  ADD ("single-use", test_single_use);
  ADD ("race", test_race);
#undef ADD

  return g_test_run ();
}
