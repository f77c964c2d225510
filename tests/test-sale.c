/* test-sale.c: the sale as the till builds it, with figures worked by hand:
 * totals per rate, line and receipt discounts, per-receipt tax rounding,
 * in-store price and weight codes, split tenders and change, and refunds
 * that give back exactly what was paid, in one go or in steps. */
#include <string.h>
#include <glib.h>

#include "joren-error.h"
#include "joren-catalog.h"
#include "joren-sale.h"

static JorenShop *
make_shop (const char *preset)
{
  return joren_shop_new_from_preset (joren_shop_preset_lookup (preset), "Test", "R1");
}

/* Products live on the stack: only their fields are read by the sale. */
static JorenProduct
product (gint64      id,
         const char *name,
         gint64      price,
         guint       rate_bp)
{
  JorenProduct p = { 0, };

  p.id = id;
  p.name = (char *) name;
  p.price = price;
  p.tax_class_id = rate_bp;
  p.rate_bp = rate_bp;
  p.active = TRUE;
  return p;
}

static void
assert_tax_line (JorenSale *sale,
                 guint      index,
                 guint      rate_bp,
                 gint64     net,
                 gint64     tax,
                 gint64     gross)
{
  const JorenTaxLine *line = joren_sale_get_tax_line (sale, index);

  g_assert_cmpuint (line->rate_bp, ==, rate_bp);
  g_assert_cmpint (line->net, ==, net);
  g_assert_cmpint (line->tax, ==, tax);
  g_assert_cmpint (line->gross, ==, gross);
}

static void
test_presets (void)
{
  const JorenShopPreset *jp = joren_shop_preset_lookup ("jp");
  const JorenShopPreset *de = joren_shop_preset_lookup ("de");
  const JorenShopPreset *tw = joren_shop_preset_lookup ("tw");
  g_autoptr(JorenShop) shop = make_shop ("de");
  g_autoptr(JorenShop) copy = joren_shop_copy (shop);

  g_assert_cmpstr (jp->currency, ==, "JPY");
  g_assert_cmpint (jp->tax_rounding, ==, JOREN_ROUND_DOWN);
  g_assert_cmpuint (jp->n_rates, ==, 2);
  g_assert_cmpuint (jp->rates[0].rate_bp, ==, 1000);
  g_assert_cmpuint (jp->rates[1].rate_bp, ==, 800);
  g_assert_cmpuint (de->rates[0].rate_bp, ==, 1900);
  g_assert_cmpuint (de->rates[1].rate_bp, ==, 700);
  g_assert_cmpint (de->tax_rounding, ==, JOREN_ROUND_HALF_UP);
  g_assert_cmpuint (tw->n_rates, ==, 1);
  g_assert_cmpuint (tw->rates[0].rate_bp, ==, 500);
  g_assert_null (joren_shop_preset_lookup ("xx"));

  g_assert_cmpstr (copy->currency->code, ==, "EUR");
  g_assert_true (copy->prices_include_tax);
  g_assert_cmpstr (copy->register_prefix, ==, "R1");
  g_assert_true (copy->name != shop->name);
  g_assert_cmpstr (copy->name, ==, "Test");
}

/* Japan, tax included, cut off: 2 x ¥330 coffee beans (8 %) and a ¥550
 * beer (10 %). 10 %: 550 * 10 / 110 = 50. 8 %: 660 * 8 / 108 = 48.9 -> 48. */
static void
test_totals_two_rates (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  JorenProduct beans = product (1, "Coffee beans", 330, 800);
  JorenProduct beer = product (2, "Beer", 550, 1000);

  g_assert_cmpuint (joren_sale_add_product (sale, &beans, 2, NULL), ==, 0);
  g_assert_cmpuint (joren_sale_add_product (sale, &beer, 1, "4901234567894"), ==, 1);

  g_assert_cmpint (joren_sale_get_line (sale, 0)->amount, ==, 660);
  g_assert_cmpstr (joren_sale_get_line (sale, 1)->barcode, ==, "4901234567894");
  g_assert_cmpint (joren_sale_get_subtotal (sale), ==, 1210);
  g_assert_cmpint (joren_sale_get_discount_total (sale), ==, 0);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 1210);
  g_assert_cmpint (joren_sale_get_item_count (sale), ==, 3);
  g_assert_cmpuint (joren_sale_get_n_tax_lines (sale), ==, 2);
  /* Highest rate first. */
  assert_tax_line (sale, 0, 1000, 500, 50, 550);
  assert_tax_line (sale, 1, 800, 612, 48, 660);
  g_assert_cmpint (joren_sale_get_tax_total (sale), ==, 98);
  g_assert_cmpstr (joren_sale_get_currency (sale)->code, ==, "JPY");
  g_assert_cmpint (joren_sale_get_kind (sale), ==, JOREN_SALE_KIND_SALE);
}

/* Three ¥100 rice balls at 8 %: per line 100 * 8 / 108 = 7.4 -> 7, which
 * would make 21; once per receipt 300 * 8 / 108 = 22.2 -> 22. */
static void
test_tax_once_per_receipt (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);

  for (guint i = 0; i < 3; i++)
    joren_sale_add_open_item (sale, "Onigiri", 100, 2, 800);

  g_assert_cmpuint (joren_sale_get_n_lines (sale), ==, 3);
  g_assert_cmpuint (joren_sale_get_n_tax_lines (sale), ==, 1);
  g_assert_cmpint (joren_sale_get_tax_total (sale), ==, 22);
  assert_tax_line (sale, 0, 800, 278, 22, 300);
}

static void
test_scan_again_bumps (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  JorenProduct tea = product (1, "Tea", 150, 800);
  JorenProduct bun = product (2, "Bun", 200, 800);
  JorenDiscount ten = { JOREN_DISCOUNT_PERCENT, 1000 };

  g_assert_cmpuint (joren_sale_add_product (sale, &tea, 1, NULL), ==, 0);
  g_assert_cmpuint (joren_sale_add_product (sale, &bun, 1, NULL), ==, 1);
  /* The last tea line is line 0, even with the bun after it. */
  g_assert_cmpuint (joren_sale_add_product (sale, &tea, 2, NULL), ==, 0);
  g_assert_cmpuint (joren_sale_get_n_lines (sale), ==, 2);
  g_assert_cmpint (joren_sale_get_line (sale, 0)->qty, ==, 3);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 650);

  /* A discounted line is left alone: the next tea gets its own line. */
  g_assert_true (joren_sale_set_line_discount (sale, 0, &ten, NULL));
  g_assert_cmpuint (joren_sale_add_product (sale, &tea, 1, NULL), ==, 2);
  g_assert_cmpint (joren_sale_get_line (sale, 0)->qty, ==, 3);
  /* 450 - 45 + 200 + 150 */
  g_assert_cmpint (joren_sale_get_total (sale), ==, 755);
  /* ... and that new undiscounted line is the one bumped next. */
  g_assert_cmpuint (joren_sale_add_product (sale, &tea, 1, NULL), ==, 2);
  g_assert_cmpint (joren_sale_get_line (sale, 2)->qty, ==, 2);
}

static void
test_set_line_qty (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  JorenProduct tea = product (1, "Tea", 150, 800);
  g_autoptr(GError) error = NULL;

  joren_sale_add_product (sale, &tea, 1, NULL);
  g_assert_true (joren_sale_set_line_qty (sale, 0, 4, &error));
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 600);

  g_assert_false (joren_sale_set_line_qty (sale, 0, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_sale_set_line_qty (sale, 0, -2, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (joren_sale_get_line (sale, 0)->qty, ==, 4);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 600);
}

/* Germany, 19 % / 7 %, tax included, half up:
 *   line 0: 3 x 4,99 € = 14,97 € less 10 % (1,497 -> 1,50) = 13,47 €
 *   line 1: 2,50 € less 0,30 € = 2,20 €            (7 %)
 *   line 2: 1,00 €                                  (7 %)
 * Receipt 10 % of 16,67 € = 1,667 -> 1,67 €, allocated 1347:220:100 =
 * 134.94 / 22.04 / 10.02 -> floors 134, 22, 10; the lost cent goes to the
 * largest remainder (.94): 135, 22, 10. Amounts 12,12 / 1,98 / 0,90.
 *   19 %: 1212 * 19 / 119 = 193.5 -> 194, net 1018
 *    7 %:  288 *  7 / 107 =  18.8 ->  19, net 269
 * Total 15,00 €, discounts 1,50 + 0,30 + 1,67 = 3,47 €, tax 2,13 €. */
static JorenSale *
make_discounted_sale (const JorenShop *shop)
{
  JorenSale *sale = joren_sale_new (shop);
  JorenProduct pens = product (1, "Pens", 499, 1900);
  JorenProduct cake = product (2, "Cake", 250, 700);
  JorenProduct roll = product (3, "Roll", 100, 700);
  JorenDiscount line0 = { JOREN_DISCOUNT_PERCENT, 1000 };
  JorenDiscount line1 = { JOREN_DISCOUNT_AMOUNT, 30 };
  JorenDiscount receipt = { JOREN_DISCOUNT_PERCENT, 1000 };
  g_autoptr(GError) error = NULL;

  joren_sale_add_product (sale, &pens, 3, NULL);
  joren_sale_add_product (sale, &cake, 1, NULL);
  joren_sale_add_product (sale, &roll, 1, NULL);
  joren_sale_set_line_discount (sale, 0, &line0, &error);
  g_assert_no_error (error);
  joren_sale_set_line_discount (sale, 1, &line1, &error);
  g_assert_no_error (error);
  joren_sale_set_discount (sale, &receipt, &error);
  g_assert_no_error (error);

  /* Stored ids, so refunds can point at them. */
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    joren_sale_get_line_mutable (sale, i)->id = 100 + i;
  joren_sale_recalculate (sale);

  return sale;
}

static void
test_line_and_receipt_discounts (void)
{
  g_autoptr(JorenShop) shop = make_shop ("de");
  g_autoptr(JorenSale) sale = make_discounted_sale (shop);
  static const gint64 line_discount[] = { 150, 30, 0 };
  static const gint64 receipt_share[] = { 135, 22, 10 };
  static const gint64 amount[] = { 1212, 198, 90 };

  for (guint i = 0; i < 3; i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);

      g_assert_cmpint (line->line_discount, ==, line_discount[i]);
      g_assert_cmpint (line->receipt_discount, ==, receipt_share[i]);
      g_assert_cmpint (line->amount, ==, amount[i]);
      g_assert_cmpint (line->base - line->line_discount - line->receipt_discount, ==, line->amount);
    }

  g_assert_cmpint (joren_sale_get_subtotal (sale), ==, 1847);
  g_assert_cmpint (joren_sale_get_discount_total (sale), ==, 347);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 1500);
  g_assert_cmpuint (joren_sale_get_n_tax_lines (sale), ==, 2);
  assert_tax_line (sale, 0, 1900, 1018, 194, 1212);
  assert_tax_line (sale, 1, 700, 269, 19, 288);
  g_assert_cmpint (joren_sale_get_tax_total (sale), ==, 213);
  g_assert_cmpint (joren_sale_get_discount (sale)->kind, ==, JOREN_DISCOUNT_PERCENT);
}

/* ¥100 off a ¥999 + ¥500 sale: 66.6 and 33.4 -> 67 and 33. */
static void
test_receipt_amount_discount (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  JorenDiscount hundred = { JOREN_DISCOUNT_AMOUNT, 100 };
  JorenDiscount too_much = { JOREN_DISCOUNT_AMOUNT, 1500 };
  g_autoptr(GError) error = NULL;

  joren_sale_add_open_item (sale, "A", 333, 2, 800);
  joren_sale_set_line_qty (sale, 0, 3, NULL);
  joren_sale_add_open_item (sale, "B", 500, 1, 1000);

  g_assert_false (joren_sale_set_discount (sale, &too_much, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Discount is larger than the sale.");
  g_assert_cmpint (joren_sale_get_total (sale), ==, 1499);

  g_assert_true (joren_sale_set_discount (sale, &hundred, NULL));
  g_assert_cmpint (joren_sale_get_line (sale, 0)->receipt_discount, ==, 67);
  g_assert_cmpint (joren_sale_get_line (sale, 1)->receipt_discount, ==, 33);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 1399);
  /* 10 %: 467 * 10 / 110 = 42.45 -> 42. 8 %: 932 * 8 / 108 = 69.04 -> 69. */
  assert_tax_line (sale, 0, 1000, 425, 42, 467);
  assert_tax_line (sale, 1, 800, 863, 69, 932);

  /* Removing line B leaves ¥999: the ¥100 now comes off line A alone. */
  joren_sale_remove_line (sale, 1);
  g_assert_cmpint (joren_sale_get_line (sale, 0)->receipt_discount, ==, 100);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 899);
}

static void
test_bad_discounts (void)
{
  g_autoptr(JorenShop) shop = make_shop ("de");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  JorenDiscount too_large = { JOREN_DISCOUNT_AMOUNT, 251 };
  JorenDiscount negative = { JOREN_DISCOUNT_AMOUNT, -1 };
  JorenDiscount over_100 = { JOREN_DISCOUNT_PERCENT, 10001 };
  JorenDiscount all = { JOREN_DISCOUNT_AMOUNT, 250 };
  g_autoptr(GError) error = NULL;

  joren_sale_add_open_item (sale, "Cake", 250, 2, 700);
  g_assert_false (joren_sale_set_line_discount (sale, 0, &too_large, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Discount is larger than the line.");
  g_clear_error (&error);
  g_assert_false (joren_sale_set_line_discount (sale, 0, &negative, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_sale_set_line_discount (sale, 0, &over_100, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_sale_set_discount (sale, &over_100, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 250);

  /* The whole line free is allowed. */
  g_assert_true (joren_sale_set_line_discount (sale, 0, &all, NULL));
  g_assert_cmpint (joren_sale_get_total (sale), ==, 0);
  g_assert_cmpint (joren_sale_get_tax_total (sale), ==, 0);
}

/* Prices without tax (a wholesale shop): ¥1,000 + 10 % and ¥999 + 8 %
 * (79.92 -> 79): total 1,100 + 1,078. */
static void
test_exclusive_totals (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = NULL;

  shop->prices_include_tax = FALSE;
  sale = joren_sale_new (shop);
  joren_sale_add_open_item (sale, "Tool", 1000, 1, 1000);
  joren_sale_add_open_item (sale, "Snack", 999, 2, 800);

  g_assert_cmpint (joren_sale_get_subtotal (sale), ==, 1999);
  g_assert_cmpint (joren_sale_get_tax_total (sale), ==, 179);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 2178);
  assert_tax_line (sale, 0, 1000, 1000, 100, 1100);
  assert_tax_line (sale, 1, 800, 999, 79, 1078);
}

static void
test_in_store_codes (void)
{
  g_autoptr(JorenShop) shop = make_shop ("de");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  JorenProduct cheese = product (7, "Cheese", 1299, 700);   /* per kg */
  JorenProduct salad = product (8, "Salad bowl", 0, 700);
  JorenBarcode weight_code, price_code;
  g_autoptr(GError) error = NULL;

  cheese.embed = JOREN_EMBED_WEIGHT;
  salad.embed = JOREN_EMBED_PRICE;
  g_assert_true (joren_barcode_parse ("2912345004552", &weight_code, NULL));
  g_assert_true (joren_barcode_parse ("2012345003491", &price_code, NULL));

  /* 455 g at 12,99 €/kg = 5,91045 € -> 5,91 €. */
  g_assert_cmpuint (joren_sale_add_in_store (sale, &cheese, &weight_code), ==, 0);
  g_assert_cmpuint (joren_sale_get_line (sale, 0)->weight_g, ==, 455);
  g_assert_true (joren_sale_get_line (sale, 0)->fixed);
  g_assert_cmpint (joren_sale_get_line (sale, 0)->qty, ==, 1);
  g_assert_cmpint (joren_sale_get_line (sale, 0)->amount, ==, 591);
  g_assert_cmpstr (joren_sale_get_line (sale, 0)->barcode, ==, "2912345004552");

  /* The label says 3,49 €. Two labels are two lines, never merged. */
  g_assert_cmpuint (joren_sale_add_in_store (sale, &salad, &price_code), ==, 1);
  g_assert_cmpuint (joren_sale_add_in_store (sale, &salad, &price_code), ==, 2);
  g_assert_cmpint (joren_sale_get_line (sale, 1)->amount, ==, 349);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 591 + 349 + 349);
  g_assert_cmpint (joren_sale_get_item_count (sale), ==, 3);

  g_assert_false (joren_sale_set_line_qty (sale, 1, 2, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 1289);
}

/* A ¥1,210 sale paid ¥1,000 by card and ¥500 in cash: change ¥290. */
static void
test_split_tender_and_change (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  g_autoptr(GError) error = NULL;

  joren_sale_add_open_item (sale, "Beans", 660, 2, 800);
  joren_sale_add_open_item (sale, "Beer", 550, 1, 1000);

  g_assert_true (joren_sale_add_tender (sale, JOREN_TENDER_CARD, 1000, "slip 42", &error));
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_paid (sale), ==, 1000);
  g_assert_cmpint (joren_sale_get_due (sale), ==, 210);
  g_assert_false (joren_sale_is_settled (sale));
  g_assert_cmpint (joren_sale_get_change (sale), ==, 0);

  g_assert_true (joren_sale_add_tender (sale, JOREN_TENDER_CASH, 500, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (joren_sale_is_settled (sale));
  g_assert_cmpint (joren_sale_get_paid (sale), ==, 1500);
  g_assert_cmpint (joren_sale_get_due (sale), ==, 0);
  g_assert_cmpint (joren_sale_get_change (sale), ==, 290);
  g_assert_cmpuint (joren_sale_get_n_tenders (sale), ==, 2);
  g_assert_cmpstr (joren_sale_get_tender (sale, 0)->reference, ==, "slip 42");
  g_assert_cmpint (joren_sale_get_tender (sale, 1)->kind, ==, JOREN_TENDER_CASH);

  /* Nothing more is taken once paid. */
  g_assert_false (joren_sale_add_tender (sale, JOREN_TENDER_CASH, 10, NULL, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (joren_sale_get_paid (sale), ==, 1500);
}

static void
test_card_beyond_due_refused (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  g_autoptr(GError) error = NULL;

  joren_sale_add_open_item (sale, "Beans", 1210, 2, 800);
  g_assert_false (joren_sale_add_tender (sale, JOREN_TENDER_CARD, 5000, NULL, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "¥5,000 is more than the ¥1,210 still due. Only cash can be more than what is due.");
  g_clear_error (&error);
  g_assert_false (joren_sale_add_tender (sale, JOREN_TENDER_OTHER, 1211, NULL, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (joren_sale_get_n_tenders (sale), ==, 0);

  /* Cash first, then card for the rest: change stays 0. */
  g_assert_true (joren_sale_add_tender (sale, JOREN_TENDER_CASH, 210, NULL, NULL));
  g_assert_false (joren_sale_add_tender (sale, JOREN_TENDER_CARD, 1001, NULL, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_true (joren_sale_add_tender (sale, JOREN_TENDER_CARD, 1000, NULL, NULL));
  g_assert_true (joren_sale_is_settled (sale));
  g_assert_cmpint (joren_sale_get_change (sale), ==, 0);
}

static void
test_bad_tenders (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  g_autoptr(GError) error = NULL;

  /* No lines: nothing to pay, and an empty sale is never settled. */
  g_assert_false (joren_sale_add_tender (sale, JOREN_TENDER_CASH, 100, NULL, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_sale_is_settled (sale));

  joren_sale_add_open_item (sale, "Tea", 150, 2, 800);
  g_assert_false (joren_sale_add_tender (sale, JOREN_TENDER_CASH, 0, NULL, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_sale_add_tender (sale, JOREN_TENDER_CASH, -100, NULL, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpuint (joren_sale_get_n_tenders (sale), ==, 0);
}

/* Payment taken is dropped when the lines change, so it can never be for
 * another total than the one on screen. */
static void
test_line_change_clears_tenders (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  JorenProduct tea = product (1, "Tea", 150, 800);
  JorenDiscount off = { JOREN_DISCOUNT_AMOUNT, 50 };

  joren_sale_add_product (sale, &tea, 1, NULL);
  g_assert_true (joren_sale_add_tender (sale, JOREN_TENDER_CASH, 1000, NULL, NULL));
  g_assert_true (joren_sale_is_settled (sale));

  joren_sale_add_product (sale, &tea, 1, NULL);
  g_assert_cmpuint (joren_sale_get_n_tenders (sale), ==, 0);
  g_assert_cmpint (joren_sale_get_due (sale), ==, 300);

  g_assert_true (joren_sale_add_tender (sale, JOREN_TENDER_CARD, 100, NULL, NULL));
  g_assert_true (joren_sale_set_discount (sale, &off, NULL));
  g_assert_cmpuint (joren_sale_get_n_tenders (sale), ==, 0);
  g_assert_cmpint (joren_sale_get_due (sale), ==, 250);

  g_assert_true (joren_sale_add_tender (sale, JOREN_TENDER_CARD, 100, NULL, NULL));
  joren_sale_clear_tenders (sale);
  g_assert_cmpint (joren_sale_get_paid (sale), ==, 0);
}

static void
count_changed_cb (JorenSale *sale,
                  guint     *count)
{
  (*count)++;
}

static void
test_changed_signal (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  JorenProduct tea = product (1, "Tea", 150, 800);
  JorenDiscount off = { JOREN_DISCOUNT_PERCENT, 500 };
  guint count = 0;

  g_signal_connect (sale, "changed", G_CALLBACK (count_changed_cb), &count);
  joren_sale_add_product (sale, &tea, 1, NULL);
  g_assert_cmpuint (count, ==, 1);
  joren_sale_set_line_qty (sale, 0, 2, NULL);
  g_assert_cmpuint (count, ==, 2);
  joren_sale_set_line_discount (sale, 0, &off, NULL);
  joren_sale_set_discount (sale, &off, NULL);
  g_assert_cmpuint (count, ==, 4);
  joren_sale_add_tender (sale, JOREN_TENDER_CASH, 500, NULL, NULL);
  g_assert_cmpuint (count, ==, 5);
  joren_sale_set_staff (sale, 3, "Aiko");
  g_assert_cmpuint (count, ==, 6);
  joren_sale_remove_line (sale, 0);
  g_assert_cmpuint (count, ==, 7);
  joren_sale_clear (sale);
  g_assert_cmpuint (count, ==, 8);

  /* A refused change changes nothing and says nothing. */
  g_assert_false (joren_sale_add_tender (sale, JOREN_TENDER_CASH, 500, NULL, NULL));
  g_assert_cmpuint (count, ==, 8);
}

static void
test_clear (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  JorenDiscount off = { JOREN_DISCOUNT_AMOUNT, 50 };

  joren_sale_add_open_item (sale, "Tea", 150, 2, 800);
  joren_sale_set_discount (sale, &off, NULL);
  joren_sale_add_tender (sale, JOREN_TENDER_CASH, 100, NULL, NULL);
  joren_sale_clear (sale);

  g_assert_cmpuint (joren_sale_get_n_lines (sale), ==, 0);
  g_assert_cmpuint (joren_sale_get_n_tenders (sale), ==, 0);
  g_assert_cmpuint (joren_sale_get_n_tax_lines (sale), ==, 0);
  g_assert_cmpint (joren_sale_get_discount (sale)->kind, ==, JOREN_DISCOUNT_NONE);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 0);
}

static void
test_identity (void)
{
  g_autoptr(JorenShop) shop = make_shop ("tw");
  g_autoptr(JorenSale) a = joren_sale_new (shop);
  g_autoptr(JorenSale) b = joren_sale_new (shop);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2024, 5, 1, 9, 30, 0);

  g_assert_true (g_uuid_string_is_valid (joren_sale_get_uuid (a)));
  g_assert_cmpstr (joren_sale_get_uuid (a), !=, joren_sale_get_uuid (b));
  g_assert_null (joren_sale_get_created_at (a));
  g_assert_null (joren_sale_get_receipt_no (a));
  g_assert_cmpint (joren_sale_get_id (a), ==, 0);

  joren_sale_set_stored (a, 17, NULL, "R1-000017", when);
  g_assert_true (g_uuid_string_is_valid (joren_sale_get_uuid (a)));
  g_assert_cmpint (joren_sale_get_id (a), ==, 17);
  g_assert_cmpstr (joren_sale_get_receipt_no (a), ==, "R1-000017");
  g_assert_true (g_date_time_equal (joren_sale_get_created_at (a), when));

  joren_sale_set_stored (a, 17, "6f1c1a52-8f55-4c39-9b39-2b4b1f0d8a11", "R1-000017", when);
  g_assert_cmpstr (joren_sale_get_uuid (a), ==, "6f1c1a52-8f55-4c39-9b39-2b4b1f0d8a11");

  joren_sale_set_staff (a, 4, "Mei");
  g_assert_cmpint (joren_sale_get_staff_id (a), ==, 4);
  g_assert_cmpstr (joren_sale_get_staff_name (a), ==, "Mei");
  g_assert_true (joren_sale_get_shop (a) != shop);
  g_assert_cmpstr (joren_sale_get_shop (a)->preset, ==, "tw");
}

/* The data layer loads a stored sale line by line; the sale keeps its
 * own copies of the strings. */
static void
test_append_line (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  JorenSaleLine line = { 0, };

  line.product_id = 5;
  line.name = g_strdup ("Miso");
  line.barcode = g_strdup ("4901234567894");
  line.qty = 2;
  line.unit_price = 540;
  line.rate_bp = 800;
  line.id = 33;
  joren_sale_append_line (sale, &line);
  g_free (line.name);
  g_free (line.barcode);

  g_assert_cmpstr (joren_sale_get_line (sale, 0)->name, ==, "Miso");
  g_assert_cmpstr (joren_sale_get_line (sale, 0)->barcode, ==, "4901234567894");
  g_assert_cmpint (joren_sale_get_line (sale, 0)->id, ==, 33);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 1080);
  /* 1080 * 8 / 108 = 80 */
  g_assert_cmpint (joren_sale_get_tax_total (sale), ==, 80);

  joren_sale_get_line_mutable (sale, 0)->qty = 1;
  joren_sale_recalculate (sale);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 540);
}

/* ---- Refunds ----------------------------------------------------------- */

static JorenSale *
refund_everything (const JorenShop *shop,
                   JorenSale       *original)
{
  JorenSale *refund = joren_sale_new_refund (shop, original, NULL);

  for (guint i = 0; i < joren_sale_get_n_lines (original); i++)
    {
      g_autoptr(GError) error = NULL;

      joren_sale_add_refund_line (refund, i, joren_sale_get_refundable_qty (refund, i), &error);
      g_assert_no_error (error);
    }

  return refund;
}

static void
assert_mirrors (JorenSale *original,
                JorenSale *refund)
{
  g_assert_cmpint (joren_sale_get_total (refund), ==, -joren_sale_get_total (original));
  g_assert_cmpint (joren_sale_get_tax_total (refund), ==, -joren_sale_get_tax_total (original));
  g_assert_cmpint (joren_sale_get_item_count (refund), ==, -joren_sale_get_item_count (original));
  g_assert_cmpuint (joren_sale_get_n_tax_lines (refund), ==, joren_sale_get_n_tax_lines (original));

  for (guint i = 0; i < joren_sale_get_n_tax_lines (original); i++)
    {
      const JorenTaxLine *sold = joren_sale_get_tax_line (original, i);

      assert_tax_line (refund, i, sold->rate_bp, -sold->net, -sold->tax, -sold->gross);
    }
}

static void
test_refund_mirrors (gconstpointer data)
{
  const char *mode = data;
  g_autoptr(JorenShop) shop = make_shop ("de");
  g_autoptr(JorenSale) original = NULL;
  g_autoptr(JorenSale) refund = NULL;

  shop->prices_include_tax = g_str_equal (mode, "inclusive");
  original = make_discounted_sale (shop);
  refund = refund_everything (shop, original);

  g_assert_cmpint (joren_sale_get_kind (refund), ==, JOREN_SALE_KIND_REFUND);
  g_assert_true (joren_sale_get_original (refund) == original);
  g_assert_cmpuint (joren_sale_get_n_lines (refund), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (refund, i);
      const JorenSaleLine *sold = joren_sale_get_line (original, i);

      g_assert_cmpint (line->amount, ==, -sold->amount);
      g_assert_cmpint (line->qty, ==, -sold->qty);
      g_assert_cmpint (line->original_line_id, ==, 100 + i);
      g_assert_cmpuint (line->rate_bp, ==, sold->rate_bp);
      g_assert_cmpint (line->tax_class_id, ==, sold->tax_class_id);
      g_assert_cmpint (line->id, ==, 0);
      g_assert_true (line->fixed);
    }
  assert_mirrors (original, refund);

  /* Exclusive: the same lines give net 1212 + 288 and tax on top
   * (1212 * 0.19 = 230.28 -> 230, 288 * 0.07 = 20.16 -> 20). */
  if (!shop->prices_include_tax)
    g_assert_cmpint (joren_sale_get_total (original), ==, 1500 + 230 + 20);
  else
    g_assert_cmpint (joren_sale_get_total (original), ==, 1500);
}

/* Line A: 3 x ¥333 = ¥999 with ¥67 of a receipt discount = ¥932 paid.
 * One unit at a time: 932/3 = 310.67 -> 311; 1864/3 = 621.33 -> 621, so
 * 310; then 932 - 621 = 311. Always exactly ¥932 in the end. */
static JorenSale *
make_awkward_sale (const JorenShop *shop)
{
  JorenSale *sale = joren_sale_new (shop);
  JorenDiscount hundred = { JOREN_DISCOUNT_AMOUNT, 100 };

  joren_sale_add_open_item (sale, "A", 333, 2, 800);
  joren_sale_set_line_qty (sale, 0, 3, NULL);
  joren_sale_add_open_item (sale, "B", 500, 1, 1000);
  joren_sale_set_discount (sale, &hundred, NULL);
  g_assert_cmpint (joren_sale_get_line (sale, 0)->amount, ==, 932);
  return sale;
}

static void
test_refund_in_steps_same_sale (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) original = make_awkward_sale (shop);
  g_autoptr(JorenSale) refund = joren_sale_new_refund (shop, original, NULL);
  static const gint64 cumulative[] = { -311, -621, -932 };
  g_autoptr(GError) error = NULL;

  for (guint step = 0; step < 3; step++)
    {
      g_assert_cmpint (joren_sale_get_refundable_qty (refund, 0), ==, 3 - step);
      g_assert_cmpuint (joren_sale_add_refund_line (refund, 0, 1, &error), ==, 0);
      g_assert_no_error (error);
      g_assert_cmpuint (joren_sale_get_n_lines (refund), ==, 1);
      g_assert_cmpint (joren_sale_get_line (refund, 0)->qty, ==, -(gint64) step - 1);
      g_assert_cmpint (joren_sale_get_line (refund, 0)->amount, ==, cumulative[step]);
    }

  g_assert_cmpint (joren_sale_get_refundable_qty (refund, 0), ==, 0);
  g_assert_cmpuint (joren_sale_add_refund_line (refund, 0, 1, &error), ==, G_MAXUINT);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "“A” has already been refunded in full.");
}

static void
test_refund_in_steps_across_sales (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) original = make_awkward_sale (shop);
  gint64 already[2] = { 0, 0 };
  gint64 returned = 0;
  static const gint64 steps[] = { 1, 1, 1 };
  static const gint64 expected[] = { -311, -310, -311 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(JorenSale) refund = joren_sale_new_refund (shop, original, already);

      g_assert_cmpuint (joren_sale_add_refund_line (refund, 0, steps[i], NULL), ==, 0);
      g_assert_cmpint (joren_sale_get_total (refund), ==, expected[i]);
      returned += joren_sale_get_total (refund);
      already[0] += steps[i];
    }
  g_assert_cmpint (returned, ==, -932);

  /* 2 then 1: 621 + 311. */
  {
    gint64 first[2] = { 0, 0 };
    gint64 later[2] = { 2, 0 };
    g_autoptr(JorenSale) r1 = joren_sale_new_refund (shop, original, first);
    g_autoptr(JorenSale) r2 = joren_sale_new_refund (shop, original, later);

    joren_sale_add_refund_line (r1, 0, 2, NULL);
    joren_sale_add_refund_line (r2, 0, 1, NULL);
    g_assert_cmpint (joren_sale_get_total (r1), ==, -621);
    g_assert_cmpint (joren_sale_get_total (r2), ==, -311);
    g_assert_cmpint (joren_sale_get_refundable_qty (r2, 0), ==, 0);
  }
}

static void
test_refund_step_sums_random (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");

  for (guint round = 0; round < 50; round++)
    {
      g_autoptr(JorenSale) original = joren_sale_new (shop);
      g_autoptr(JorenSale) refund = NULL;
      gint64 qty = g_test_rand_int_range (1, 13);
      JorenDiscount off = { JOREN_DISCOUNT_PERCENT, g_test_rand_int_range (0, 5000) };
      gint64 total = 0;

      joren_sale_add_open_item (original, "X", g_test_rand_int_range (1, 5000), 2, 800);
      joren_sale_set_line_qty (original, 0, qty, NULL);
      joren_sale_set_discount (original, &off, NULL);
      refund = joren_sale_new_refund (shop, original, NULL);

      while (joren_sale_get_refundable_qty (refund, 0) > 0)
        {
          gint64 step = g_test_rand_int_range (1, (gint32) joren_sale_get_refundable_qty (refund, 0) + 1);
          gint64 before = joren_sale_get_total (refund);

          joren_sale_add_refund_line (refund, 0, step, NULL);
          total += joren_sale_get_total (refund) - before;
        }

      g_assert_cmpint (total, ==, -joren_sale_get_line (original, 0)->amount);
      assert_mirrors (original, refund);
    }
}

static void
test_refund_rules (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) original = make_awkward_sale (shop);
  gint64 already[2] = { 1, 0 };
  g_autoptr(JorenSale) refund = joren_sale_new_refund (shop, original, already);
  JorenDiscount off = { JOREN_DISCOUNT_AMOUNT, 10 };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (joren_sale_get_refundable_qty (refund, 0), ==, 2);
  g_assert_cmpuint (joren_sale_add_refund_line (refund, 0, 3, &error), ==, G_MAXUINT);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Between 1 and 2 of “A” can be refunded.");
  g_clear_error (&error);
  g_assert_cmpuint (joren_sale_add_refund_line (refund, 0, 0, &error), ==, G_MAXUINT);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (joren_sale_add_refund_line (refund, 5, 1, &error), ==, G_MAXUINT);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (joren_sale_get_n_lines (refund), ==, 0);

  /* Units 2 and 3 of 3: 932 - 311 = 621. */
  g_assert_cmpuint (joren_sale_add_refund_line (refund, 0, 2, &error), ==, 0);
  g_assert_cmpint (joren_sale_get_total (refund), ==, -621);

  g_assert_false (joren_sale_set_discount (refund, &off, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_sale_set_line_discount (refund, 0, &off, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_sale_set_line_qty (refund, 0, 1, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);

  /* Voiding the refund line makes the units refundable again. */
  joren_sale_remove_line (refund, 0);
  g_assert_cmpint (joren_sale_get_refundable_qty (refund, 0), ==, 2);
}

/* Money goes out: tenders are negative and the rules mirror a sale's. */
static void
test_refund_tenders (void)
{
  g_autoptr(JorenShop) shop = make_shop ("de");
  g_autoptr(JorenSale) original = make_discounted_sale (shop);
  g_autoptr(JorenSale) refund = refund_everything (shop, original);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (joren_sale_get_total (refund), ==, -1500);
  g_assert_cmpint (joren_sale_get_due (refund), ==, -1500);
  g_assert_false (joren_sale_is_settled (refund));

  g_assert_false (joren_sale_add_tender (refund, JOREN_TENDER_CASH, 500, NULL, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_sale_add_tender (refund, JOREN_TENDER_CARD, -2000, NULL, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "20,00 € is more than the 15,00 € still due. Only cash can be more than what is due.");
  g_clear_error (&error);

  g_assert_true (joren_sale_add_tender (refund, JOREN_TENDER_CARD, -1000, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_due (refund), ==, -500);
  g_assert_false (joren_sale_is_settled (refund));
  g_assert_true (joren_sale_add_tender (refund, JOREN_TENDER_CASH, -500, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (joren_sale_is_settled (refund));
  g_assert_cmpint (joren_sale_get_due (refund), ==, 0);
  g_assert_cmpint (joren_sale_get_change (refund), ==, 0);
  g_assert_cmpint (joren_sale_get_paid (refund), ==, -1500);
}

static void
test_customer_and_points_tender (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) original = make_discounted_sale (shop);
  g_autoptr(JorenSale) refund = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = joren_sale_get_total (original);

  g_assert_cmpint (joren_sale_get_customer_id (original), ==, 0);
  joren_sale_set_customer (original, 42);
  g_assert_cmpint (joren_sale_get_customer_id (original), ==, 42);
  /* Points pay like a card: never more than is due, no change. */
  g_assert_false (joren_sale_add_tender (original, JOREN_TENDER_POINTS, total + 1, NULL, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (joren_sale_add_tender (original, JOREN_TENDER_POINTS, total - 100, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_due (original), ==, 100);
  g_assert_true (joren_sale_add_tender (original, JOREN_TENDER_CASH, 1000, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_change (original), ==, 900);

  /* A refund belongs to the original's customer. */
  refund = joren_sale_new_refund (shop, original, NULL);
  g_assert_cmpint (joren_sale_get_customer_id (refund), ==, 42);
  joren_sale_clear (original);
  g_assert_cmpint (joren_sale_get_customer_id (original), ==, 0);
}

/* A sale's uuid is a valid lower-case UUID whose first 48 bits are the
 * time: sales made later sort after (their unique index grows at its end). */
static void
test_uuid_ordered (void)
{
  g_autoptr(JorenShop) shop = make_shop ("jp");
  g_autoptr(JorenSale) first = joren_sale_new (shop);
  g_autoptr(JorenSale) again = joren_sale_new (shop);
  g_autoptr(JorenSale) later = NULL;
  const char *uuid = joren_sale_get_uuid (first);

  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpuint (strlen (uuid), ==, 36);
  for (const char *p = uuid; *p != '\0'; p++)
    g_assert_false (g_ascii_isupper (*p));
  g_assert_cmpint (uuid[14], ==, '7');
  g_assert_true (strchr ("89ab", uuid[19]) != NULL);
  g_assert_cmpstr (uuid, !=, joren_sale_get_uuid (again));
  g_usleep (2000);
  later = joren_sale_new (shop);
  g_assert_cmpint (strcmp (uuid, joren_sale_get_uuid (later)), <, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/sale/presets", test_presets);
  g_test_add_func ("/joren/data/sale/totals-two-rates", test_totals_two_rates);
  g_test_add_func ("/joren/data/sale/tax-once-per-receipt", test_tax_once_per_receipt);
  g_test_add_func ("/joren/data/sale/scan-again-bumps", test_scan_again_bumps);
  g_test_add_func ("/joren/data/sale/set-line-qty", test_set_line_qty);
  g_test_add_func ("/joren/data/sale/line-and-receipt-discounts", test_line_and_receipt_discounts);
  g_test_add_func ("/joren/data/sale/receipt-amount-discount", test_receipt_amount_discount);
  g_test_add_func ("/joren/data/sale/bad-discounts", test_bad_discounts);
  g_test_add_func ("/joren/data/sale/exclusive-totals", test_exclusive_totals);
  g_test_add_func ("/joren/data/sale/in-store-codes", test_in_store_codes);
  g_test_add_func ("/joren/data/sale/split-tender-and-change", test_split_tender_and_change);
  g_test_add_func ("/joren/data/sale/card-beyond-due-refused", test_card_beyond_due_refused);
  g_test_add_func ("/joren/data/sale/bad-tenders", test_bad_tenders);
  g_test_add_func ("/joren/data/sale/line-change-clears-tenders", test_line_change_clears_tenders);
  g_test_add_func ("/joren/data/sale/changed-signal", test_changed_signal);
  g_test_add_func ("/joren/data/sale/clear", test_clear);
  g_test_add_func ("/joren/data/sale/identity", test_identity);
  g_test_add_func ("/joren/data/sale/append-line", test_append_line);
  g_test_add_data_func ("/joren/data/sale/refund/mirrors-inclusive", "inclusive", test_refund_mirrors);
  g_test_add_data_func ("/joren/data/sale/refund/mirrors-exclusive", "exclusive", test_refund_mirrors);
  g_test_add_func ("/joren/data/sale/refund/in-steps-same-sale", test_refund_in_steps_same_sale);
  g_test_add_func ("/joren/data/sale/refund/in-steps-across-sales", test_refund_in_steps_across_sales);
  g_test_add_func ("/joren/data/sale/refund/step-sums-random", test_refund_step_sums_random);
  g_test_add_func ("/joren/data/sale/refund/rules", test_refund_rules);
  g_test_add_func ("/joren/data/sale/refund/tenders", test_refund_tenders);
  g_test_add_func ("/joren/data/sale/customer-and-points-tender", test_customer_and_points_tender);
  g_test_add_func ("/joren/data/sale/uuid-ordered", test_uuid_ordered);

  return g_test_run ();
}
