/* test-tax.c: tax per rate, worked by hand for Japan (10 % / 8 %, tax
 * included, fractions cut off) and Germany (19 % / 7 %, commercial
 * rounding), inclusive and exclusive, and the mirror image for refunds. */
#include <glib.h>

#include "joren-tax.h"

typedef struct {
  gint64        amount;
  guint         rate_bp;
  gboolean      inclusive;
  JorenRounding rounding;
  gint64        net, tax, gross;
} TaxCase;

static void
assert_tax_case (const TaxCase *c)
{
  JorenTaxLine line;

  g_test_message ("%" G_GINT64_FORMAT " at %u bp", c->amount, c->rate_bp);
  joren_tax_compute (c->amount, c->rate_bp, c->inclusive, c->rounding, &line);
  g_assert_cmpuint (line.rate_bp, ==, c->rate_bp);
  g_assert_cmpint (line.net, ==, c->net);
  g_assert_cmpint (line.tax, ==, c->tax);
  g_assert_cmpint (line.gross, ==, c->gross);
}

static void
test_japan_inclusive (void)
{
  static const TaxCase cases[] = {
    /* ¥1,080 at 8 %: 1080 * 8 / 108 = 80 exactly. */
    { 1080, 800, TRUE, JOREN_ROUND_DOWN, 1000, 80, 1080 },
    /* ¥1,000 at 10 %: 1000 * 10 / 110 = 90.909..., cut to 90. */
    { 1000, 1000, TRUE, JOREN_ROUND_DOWN, 910, 90, 1000 },
    /* The same with commercial rounding: 91. */
    { 1000, 1000, TRUE, JOREN_ROUND_HALF_UP, 909, 91, 1000 },
    /* ¥1,100 at 10 %: 100 exactly. */
    { 1100, 1000, TRUE, JOREN_ROUND_DOWN, 1000, 100, 1100 },
    /* ¥500 at 8 %: 500 * 8 / 108 = 37.04 -> 37. */
    { 500, 800, TRUE, JOREN_ROUND_DOWN, 463, 37, 500 },
    /* ¥300 at 8 %: 22.22 -> 22 (three ¥100 lines would each give 7). */
    { 300, 800, TRUE, JOREN_ROUND_DOWN, 278, 22, 300 },
    /* ¥100 at 8 %: 7.41 -> 7. */
    { 100, 800, TRUE, JOREN_ROUND_DOWN, 93, 7, 100 },
    /* Rounding up (切り上げ): 7.41 -> 8. */
    { 100, 800, TRUE, JOREN_ROUND_UP, 92, 8, 100 },
    { 0, 1000, TRUE, JOREN_ROUND_DOWN, 0, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_tax_case (&cases[i]);
}

static void
test_japan_exclusive (void)
{
  static const TaxCase cases[] = {
    /* ¥1,000 + 10 % = ¥1,100. */
    { 1000, 1000, FALSE, JOREN_ROUND_DOWN, 1000, 100, 1100 },
    /* ¥999 + 8 % = 79.92: cut to 79, rounded up to 80. */
    { 999, 800, FALSE, JOREN_ROUND_DOWN, 999, 79, 1078 },
    { 999, 800, FALSE, JOREN_ROUND_UP, 999, 80, 1079 },
    { 999, 800, FALSE, JOREN_ROUND_HALF_UP, 999, 80, 1079 },
    /* ¥105 + 10 % = 10.5: half up 11, half even 10. */
    { 105, 1000, FALSE, JOREN_ROUND_HALF_UP, 105, 11, 116 },
    { 105, 1000, FALSE, JOREN_ROUND_HALF_EVEN, 105, 10, 115 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_tax_case (&cases[i]);
}

static void
test_germany (void)
{
  static const TaxCase cases[] = {
    /* 11,90 € incl. 19 %: 1190 * 19 / 119 = 190 exactly. */
    { 1190, 1900, TRUE, JOREN_ROUND_HALF_UP, 1000, 190, 1190 },
    /* 1,00 € incl. 19 %: 100 * 19 / 119 = 15.97 -> 16. */
    { 100, 1900, TRUE, JOREN_ROUND_HALF_UP, 84, 16, 100 },
    /* 1,07 € incl. 7 %: 7 exactly. */
    { 107, 700, TRUE, JOREN_ROUND_HALF_UP, 100, 7, 107 },
    /* 2,50 € incl. 7 %: 250 * 7 / 107 = 16.36 -> 16. */
    { 250, 700, TRUE, JOREN_ROUND_HALF_UP, 234, 16, 250 },
    /* 10,00 € net + 19 % = 11,90 €. */
    { 1000, 1900, FALSE, JOREN_ROUND_HALF_UP, 1000, 190, 1190 },
    /* 0,99 € net + 19 % = 18.81 -> 19. */
    { 99, 1900, FALSE, JOREN_ROUND_HALF_UP, 99, 19, 118 },
    /* 0,50 € net + 7 % = 3.5: half up 4, down 3, half even 4. */
    { 50, 700, FALSE, JOREN_ROUND_HALF_UP, 50, 4, 54 },
    { 50, 700, FALSE, JOREN_ROUND_DOWN, 50, 3, 53 },
    { 50, 700, FALSE, JOREN_ROUND_HALF_EVEN, 50, 4, 54 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_tax_case (&cases[i]);
}

static void
test_refund_mirrors (void)
{
  static const guint rates[] = { 500, 700, 800, 1000, 1900 };
  static const JorenRounding modes[] = {
    JOREN_ROUND_HALF_UP, JOREN_ROUND_DOWN, JOREN_ROUND_UP, JOREN_ROUND_HALF_EVEN
  };

  for (guint i = 0; i < 1000; i++)
    {
      gint64 amount = g_test_rand_int_range (0, 5000000);
      guint rate = rates[i % G_N_ELEMENTS (rates)];
      JorenRounding mode = modes[(i / 5) % G_N_ELEMENTS (modes)];
      gboolean inclusive = i % 2;
      JorenTaxLine sale, refund;

      joren_tax_compute (amount, rate, inclusive, mode, &sale);
      joren_tax_compute (-amount, rate, inclusive, mode, &refund);
      g_assert_cmpint (refund.tax, ==, -sale.tax);
      g_assert_cmpint (refund.net, ==, -sale.net);
      g_assert_cmpint (refund.gross, ==, -sale.gross);
      g_assert_cmpint (sale.net + sale.tax, ==, sale.gross);
    }
}

/* Taxing each line and adding up is not the same as taxing the sum: the
 * reason the sale computes tax once per rate. */
static void
test_per_receipt_differs (void)
{
  JorenTaxLine one, all;

  joren_tax_compute (100, 800, TRUE, JOREN_ROUND_DOWN, &one);
  joren_tax_compute (300, 800, TRUE, JOREN_ROUND_DOWN, &all);
  g_assert_cmpint (3 * one.tax, ==, 21);
  g_assert_cmpint (all.tax, ==, 22);
}

static void
test_format_rate (void)
{
  static const struct { guint bp; const char *text; } cases[] = {
    { 1000, "10%" }, { 800, "8%" }, { 1900, "19%" }, { 700, "7%" },
    { 750, "7.5%" }, { 725, "7.25%" }, { 550, "5.5%" }, { 5, "0.05%" },
    { 0, "0%" }, { 10000, "100%" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = joren_tax_format_rate (cases[i].bp);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/tax/japan-inclusive", test_japan_inclusive);
  g_test_add_func ("/joren/data/tax/japan-exclusive", test_japan_exclusive);
  g_test_add_func ("/joren/data/tax/germany", test_germany);
  g_test_add_func ("/joren/data/tax/refund-mirrors", test_refund_mirrors);
  g_test_add_func ("/joren/data/tax/per-receipt-differs", test_per_receipt_differs);
  g_test_add_func ("/joren/data/tax/format-rate", test_format_rate);

  return g_test_run ();
}
