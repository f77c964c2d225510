/* test-money.c: money arithmetic and text: symmetric rounding at the .5
 * boundaries, largest-remainder allocation, formatting and parsing in yen,
 * euro and NT dollar, and the quick cash suggestions. */
#include <glib.h>

#include "joren-error.h"
#include "joren-money.h"

static const JorenCurrency *
currency (const char *code)
{
  const JorenCurrency *c = joren_currency_lookup (code);

  g_assert_nonnull (c);
  return c;
}

static void
test_currency_lookup (void)
{
  const JorenCurrency *jpy = currency ("JPY");
  const JorenCurrency *eur = currency ("eur");

  g_assert_cmpstr (jpy->code, ==, "JPY");
  g_assert_cmpuint (jpy->decimals, ==, 0);
  g_assert_cmpuint (eur->decimals, ==, 2);
  g_assert_cmpuint (currency ("TWD")->decimals, ==, 0);
  g_assert_null (joren_currency_lookup ("XXX"));

  /* Denominations are ascending and 0-terminated. */
  for (const gint64 *d = eur->denominations; d[1] != 0; d++)
    g_assert_cmpint (d[0], <, d[1]);
  g_assert_cmpint (jpy->denominations[9], ==, 10000);
  g_assert_cmpint (jpy->denominations[10], ==, 0);
}

typedef struct {
  gint64 num, den;
  gint64 half_up, down, up, half_even;
} RoundCase;

static void
test_div_round (void)
{
  static const RoundCase cases[] = {
    {  5, 2,  3,  2,  3,  2 },   /* 2.5: even stays 2 */
    { -5, 2, -3, -2, -3, -2 },   /* mirror */
    {  7, 2,  4,  3,  4,  4 },   /* 3.5: even goes up to 4 */
    { -7, 2, -4, -3, -4, -4 },
    {  1, 3,  0,  0,  1,  0 },
    { -1, 3,  0,  0, -1,  0 },
    {  2, 3,  1,  0,  1,  1 },
    { -2, 3, -1,  0, -1, -1 },
    {  6, 3,  2,  2,  2,  2 },   /* exact: every mode agrees */
    {  0, 7,  0,  0,  0,  0 },
    { 149, 100, 1, 1, 2, 1 },    /* 1.49 */
    { 150, 100, 2, 1, 2, 2 },    /* 1.50 */
    { 250, 100, 3, 2, 3, 2 },    /* 2.50 */
    { -250, 100, -3, -2, -3, -2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const RoundCase *c = &cases[i];

      g_test_message ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, c->num, c->den);
      g_assert_cmpint (joren_money_div_round (c->num, c->den, JOREN_ROUND_HALF_UP), ==, c->half_up);
      g_assert_cmpint (joren_money_div_round (c->num, c->den, JOREN_ROUND_DOWN), ==, c->down);
      g_assert_cmpint (joren_money_div_round (c->num, c->den, JOREN_ROUND_UP), ==, c->up);
      g_assert_cmpint (joren_money_div_round (c->num, c->den, JOREN_ROUND_HALF_EVEN), ==, c->half_even);
    }

  g_assert_cmpint (joren_money_div_round (G_MAXINT64, 1, JOREN_ROUND_UP), ==, G_MAXINT64);
  g_assert_cmpint (joren_money_div_round (-G_MAXINT64, 2, JOREN_ROUND_DOWN), ==, -(G_MAXINT64 / 2));
}

static void
test_rounding_symmetric (void)
{
  JorenRounding modes[] = { JOREN_ROUND_HALF_UP, JOREN_ROUND_DOWN, JOREN_ROUND_UP,
                            JOREN_ROUND_HALF_EVEN };

  for (guint i = 0; i < 2000; i++)
    {
      gint64 num = g_test_rand_int_range (0, 1000000);
      gint64 den = g_test_rand_int_range (1, 1000);

      for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
        g_assert_cmpint (joren_money_div_round (-num, den, modes[m]), ==,
                         -joren_money_div_round (num, den, modes[m]));
    }
}

static void
test_percent (void)
{
  /* 10 % of ¥1,000 */
  g_assert_cmpint (joren_money_percent (1000, 1000, JOREN_ROUND_DOWN), ==, 100);
  /* 10 % of 105 = 10.5 */
  g_assert_cmpint (joren_money_percent (105, 1000, JOREN_ROUND_HALF_UP), ==, 11);
  g_assert_cmpint (joren_money_percent (105, 1000, JOREN_ROUND_DOWN), ==, 10);
  g_assert_cmpint (joren_money_percent (105, 1000, JOREN_ROUND_HALF_EVEN), ==, 10);
  g_assert_cmpint (joren_money_percent (-105, 1000, JOREN_ROUND_HALF_UP), ==, -11);
  /* 10 % of 115 = 11.5: even rounds up to 12 */
  g_assert_cmpint (joren_money_percent (115, 1000, JOREN_ROUND_HALF_EVEN), ==, 12);
  /* 7.5 % of 1,99 € = 14.925 cents */
  g_assert_cmpint (joren_money_percent (199, 750, JOREN_ROUND_HALF_UP), ==, 15);
  g_assert_cmpint (joren_money_percent (199, 750, JOREN_ROUND_DOWN), ==, 14);
  /* 100 % of a huge amount: the intermediate product passes 2^63. */
  g_assert_cmpint (joren_money_percent (G_MAXINT64 / 2, 10000, JOREN_ROUND_DOWN), ==, G_MAXINT64 / 2);
  g_assert_cmpint (joren_money_percent (123, 0, JOREN_ROUND_UP), ==, 0);
}

static gint64
sum_of (const gint64 *values,
        guint         n)
{
  gint64 sum = 0;

  for (guint i = 0; i < n; i++)
    sum += values[i];

  return sum;
}

static void
assert_allocation (gint64        total,
                   const gint64 *weights,
                   guint         n,
                   const gint64 *expected)
{
  gint64 out[8];

  joren_money_allocate (total, weights, n, out);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (out[i], ==, expected[i]);
  g_assert_cmpint (sum_of (out, n), ==, total);
}

static void
test_allocate (void)
{
  /* 100 over three equal lines: 33.33 each, the lost unit goes first. */
  assert_allocation (100, (gint64[]) { 1, 1, 1 }, 3, (gint64[]) { 34, 33, 33 });
  assert_allocation (-100, (gint64[]) { 1, 1, 1 }, 3, (gint64[]) { -34, -33, -33 });
  assert_allocation (200, (gint64[]) { 1, 1, 1 }, 3, (gint64[]) { 67, 67, 66 });
  /* Exact split. */
  assert_allocation (10, (gint64[]) { 1, 2, 3, 4 }, 4, (gint64[]) { 1, 2, 3, 4 });
  /* 5 over 2:3:5 = 1, 1.5, 2.5: floors 1, 1, 2; the tie goes to the earlier. */
  assert_allocation (5, (gint64[]) { 2, 3, 5 }, 3, (gint64[]) { 1, 2, 2 });
  /* Zero weights get nothing. */
  assert_allocation (10, (gint64[]) { 0, 5, 5 }, 3, (gint64[]) { 0, 5, 5 });
  assert_allocation (1, (gint64[]) { 1000, 1, 1 }, 3, (gint64[]) { 1, 0, 0 });
  /* The largest remainder wins, not the first line: 7 over 1:4 is 1.4 and
   * 5.6, floors 1 and 5, the lost unit goes to the 0.6. */
  assert_allocation (7, (gint64[]) { 1, 4 }, 2, (gint64[]) { 1, 6 });
  /* 100 over 1:1:1:1:1:1 = 16.67 each: four get 17, two get 16. */
  assert_allocation (100, (gint64[]) { 1, 1, 1, 1, 1, 1 }, 6,
                     (gint64[]) { 17, 17, 17, 17, 16, 16 });
  assert_allocation (0, (gint64[]) { 0, 0 }, 2, (gint64[]) { 0, 0 });
  /* Negative weights (refund lines) allocate like positive ones. */
  assert_allocation (-100, (gint64[]) { -1, -1, -1 }, 3, (gint64[]) { -34, -33, -33 });
}

static void
test_allocate_random (void)
{
  for (guint round = 0; round < 500; round++)
    {
      guint n = g_test_rand_int_range (1, 8);
      gint64 weights[8], out[8], wsum = 0;
      gint64 total = g_test_rand_int_range (-100000, 100000);

      for (guint i = 0; i < n; i++)
        wsum += weights[i] = g_test_rand_int_range (i == 0 ? 1 : 0, 50000);

      joren_money_allocate (total, weights, n, out);
      g_assert_cmpint (sum_of (out, n), ==, total);
      /* Each share is within one unit of its exact proportion. */
      for (guint i = 0; i < n; i++)
        {
          double exact = (double) total * (double) weights[i] / (double) wsum;

          g_assert_cmpfloat (ABS ((double) out[i] - exact), <, 1.0);
        }
    }
}

typedef struct {
  const char *code;
  gint64      minor;
  const char *formatted;
  const char *plain;
} FormatCase;

static void
test_format (void)
{
  static const FormatCase cases[] = {
    { "JPY", 1280, "¥1,280", "1280" },
    { "JPY", 0, "¥0", "0" },
    { "JPY", 999, "¥999", "999" },
    { "JPY", 1000, "¥1,000", "1000" },
    { "JPY", -1280, "-¥1,280", "-1280" },
    { "JPY", 1234567, "¥1,234,567", "1234567" },
    { "EUR", 1250, "12,50 €", "12,50" },
    { "EUR", 5, "0,05 €", "0,05" },
    { "EUR", -1250, "-12,50 €", "-12,50" },
    { "EUR", -5, "-0,05 €", "-0,05" },
    { "EUR", 123456789, "1.234.567,89 €", "1234567,89" },
    { "TWD", 100, "NT$100", "100" },
    { "TWD", -100, "-NT$100", "-100" },
    { "TWD", 12345, "NT$12,345", "12345" },
    { "USD", 199, "$1.99", "1.99" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = joren_money_format (cases[i].minor, currency (cases[i].code));
      g_autofree char *plain = joren_money_format_plain (cases[i].minor, currency (cases[i].code));

      g_assert_cmpstr (formatted, ==, cases[i].formatted);
      g_assert_cmpstr (plain, ==, cases[i].plain);
    }
}

typedef struct {
  const char *code;
  const char *text;
  gint64      minor;
} ParseCase;

static void
test_parse (void)
{
  static const ParseCase cases[] = {
    { "JPY", "1280", 1280 },
    { "JPY", "1,280", 1280 },
    { "JPY", "¥1,280", 1280 },
    { "JPY", "  ¥1,280\n", 1280 },
    { "JPY", "-¥1,280", -1280 },
    { "JPY", "¥-50", -50 },
    { "JPY", "1.280", 1280 },           /* three digits after: grouping */
    { "JPY", "100.00", 100 },           /* zero decimals are harmless */
    { "JPY", "1280円", 1280 },
    { "JPY", "1,234,567", 1234567 },
    { "JPY", "0", 0 },
    { "EUR", "12.5", 1250 },
    { "EUR", "12,50", 1250 },
    { "EUR", "12,5", 1250 },
    { "EUR", "12,50 €", 1250 },
    { "EUR", "€12.50", 1250 },
    { "EUR", "-12,50 €", -1250 },
    { "EUR", "1.234,56", 123456 },
    { "EUR", "1,234.56", 123456 },
    { "EUR", "1.280", 128000 },         /* German grouping */
    { "EUR", "1,280", 128 },            /* the euro's own decimal comma */
    { "EUR", "12", 1200 },
    { "EUR", "0,05", 5 },
    { "EUR", "EUR 3", 300 },
    { "EUR", "1.234.567,89 €", 123456789 },
    { "TWD", "NT$100", 100 },
    { "TWD", "-NT$1,000", -1000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 minor = -999;

      g_test_message ("%s %s", cases[i].code, cases[i].text);
      g_assert_true (joren_money_parse (cases[i].text, currency (cases[i].code), &minor, &error));
      g_assert_no_error (error);
      g_assert_cmpint (minor, ==, cases[i].minor);
    }
}

static void
test_parse_round_trip (void)
{
  const char *codes[] = { "JPY", "EUR", "TWD" };

  for (guint i = 0; i < 300; i++)
    {
      const JorenCurrency *c = currency (codes[i % 3]);
      gint64 value = g_test_rand_int_range (-10000000, 10000000);
      g_autofree char *formatted = joren_money_format (value, c);
      g_autofree char *plain = joren_money_format_plain (value, c);
      gint64 back = 0;

      g_assert_true (joren_money_parse (formatted, c, &back, NULL));
      g_assert_cmpint (back, ==, value);
      g_assert_true (joren_money_parse (plain, c, &back, NULL));
      g_assert_cmpint (back, ==, value);
    }
}

typedef struct {
  const char *code;
  const char *text;
  const char *message;
} BadCase;

static void
test_parse_bad (void)
{
  static const BadCase cases[] = {
    { "JPY", "", "Enter an amount." },
    { "JPY", "   ", "Enter an amount." },
    { "JPY", "abc", "“abc” is not an amount." },
    { "JPY", "12.5", "“12.5”: JPY amounts have no decimal places." },
    { "EUR", "12,345", "“12,345”: EUR amounts have at most 2 decimal places." },
    { "EUR", "12,5,0", "“12,5,0” is not an amount." },
    { "JPY", "1,23,456", "“1,23,456” is not an amount." },
    { "JPY", "1234,567", "“1234,567” is not an amount." },
    { "JPY", "--5", "“--5” is not an amount." },
    { "JPY", "¥", "“¥” is not an amount." },
    { "JPY", "1 280", "“1 280” is not an amount." },
    { "JPY", "12,", "“12,” is not an amount." },
    { "EUR", ",50", "“,50” is not an amount." },
    { "EUR", "12€50", "“12€50” is not an amount." },
    { "JPY", "99999999999999999999", "“99999999999999999999” is too large an amount." },
    { "EUR", "99999999999999999", "“99999999999999999” is too large an amount." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 minor = 42;

      g_test_message ("%s “%s”", cases[i].code, cases[i].text);
      g_assert_false (joren_money_parse (cases[i].text, currency (cases[i].code), &minor, &error));
      g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpint (minor, ==, 42);
    }
}

static void
assert_quick_cash (const char   *code,
                   gint64        due,
                   guint         max,
                   const gint64 *expected,
                   guint         n_expected)
{
  gint64 out[16];
  guint n = joren_money_quick_cash (due, currency (code), out, max);

  g_assert_cmpuint (n, ==, n_expected);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (out[i], ==, expected[i]);
}

#define QUICK(code, due, max, ...) \
  assert_quick_cash (code, due, max, (gint64[]) { __VA_ARGS__ }, \
                     sizeof ((gint64[]) { __VA_ARGS__ }) / sizeof (gint64))

static void
test_quick_cash (void)
{
  /* ¥1,280: exact, then rounded to ¥50/100 (1,300), ¥500 (1,500),
   * ¥1,000 (2,000), then the ¥5,000 and ¥10,000 notes. */
  QUICK ("JPY", 1280, 6, 1280, 1300, 1500, 2000, 5000, 10000);
  QUICK ("JPY", 1280, 10, 1280, 1300, 1500, 2000, 5000, 10000);
  QUICK ("JPY", 1280, 3, 1280, 1300, 1500);
  QUICK ("JPY", 5000, 6, 5000, 10000);
  QUICK ("JPY", 10000, 6, 10000);
  /* 12,30 €: 12,50 (50 ct), 13 (1 €), 15 (5 €), 20 (10 € / the 20 € note), 50 */
  QUICK ("EUR", 1230, 6, 1230, 1250, 1300, 1500, 2000, 5000);
  QUICK ("EUR", 1230, 12, 1230, 1250, 1300, 1500, 2000, 5000, 10000, 20000, 50000);
  /* NT$360: 400 (NT$50/100), the NT$500, 1,000 and 2,000 notes. */
  QUICK ("TWD", 360, 8, 360, 400, 500, 1000, 2000);
  QUICK ("JPY", 0, 6, 0);
  QUICK ("JPY", 1280, 1, 1280);
  g_assert_cmpuint (joren_money_quick_cash (1280, currency ("JPY"), NULL, 0), ==, 0);
}

static void
test_quick_cash_ordered (void)
{
  for (guint i = 0; i < 300; i++)
    {
      gint64 due = g_test_rand_int_range (1, 3000000);
      gint64 out[8];
      guint n = joren_money_quick_cash (due, currency (i % 2 ? "EUR" : "JPY"), out, 8);

      g_assert_cmpuint (n, >=, 1);
      g_assert_cmpint (out[0], ==, due);
      for (guint k = 1; k < n; k++)
        g_assert_cmpint (out[k - 1], <, out[k]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/money/currency-lookup", test_currency_lookup);
  g_test_add_func ("/joren/data/money/div-round", test_div_round);
  g_test_add_func ("/joren/data/money/rounding-symmetric", test_rounding_symmetric);
  g_test_add_func ("/joren/data/money/percent", test_percent);
  g_test_add_func ("/joren/data/money/allocate", test_allocate);
  g_test_add_func ("/joren/data/money/allocate-random", test_allocate_random);
  g_test_add_func ("/joren/data/money/format", test_format);
  g_test_add_func ("/joren/data/money/parse", test_parse);
  g_test_add_func ("/joren/data/money/parse-round-trip", test_parse_round_trip);
  g_test_add_func ("/joren/data/money/parse-bad", test_parse_bad);
  g_test_add_func ("/joren/data/money/quick-cash", test_quick_cash);
  g_test_add_func ("/joren/data/money/quick-cash-ordered", test_quick_cash_ordered);

  return g_test_run ();
}
