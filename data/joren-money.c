/* joren-money.c: currencies, exact rounding and allocation of gint64 minor
 * units, and the conversions between amounts and what a cashier reads or
 * types. Rounding works on magnitudes and puts the sign back afterwards, so
 * every mode is symmetric around zero and a refund mirrors its sale. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "joren-error.h"
#include "joren-money.h"

typedef struct {
  JorenCurrency currency;
  const char   *aliases[3];  /* other ways people write it, NULL-terminated */
} CurrencyEntry;

static const gint64 jpy_denominations[] = {
  1, 5, 10, 50, 100, 500, 1000, 2000, 5000, 10000, 0
};
static const gint64 eur_denominations[] = {
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 0
};
static const gint64 twd_denominations[] = {
  1, 5, 10, 50, 100, 200, 500, 1000, 2000, 0
};
static const gint64 usd_denominations[] = {
  1, 5, 10, 25, 100, 500, 1000, 2000, 5000, 10000, 0
};

static const CurrencyEntry currencies[] = {
  { { "JPY", 0, "¥", FALSE, ",", ".", jpy_denominations }, { "￥", "円", "JPY" } },
  { { "EUR", 2, "€", TRUE, ".", ",", eur_denominations }, { "EUR", NULL } },
  { { "TWD", 0, "NT$", FALSE, ",", ".", twd_denominations }, { "元", "TWD", "$" } },
  { { "USD", 2, "$", FALSE, ",", ".", usd_denominations }, { "USD", "US$", NULL } },
};

const JorenCurrency *
joren_currency_lookup (const char *code)
{
  g_return_val_if_fail (code != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    if (g_ascii_strcasecmp (currencies[i].currency.code, code) == 0)
      return &currencies[i].currency;

  return NULL;
}

static const CurrencyEntry *
find_entry (const JorenCurrency *currency)
{
  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    if (&currencies[i].currency == currency)
      return &currencies[i];

  return NULL;
}

/* ---- Rounding ---------------------------------------------------------- */

static guint64
magnitude (gint64 value)
{
  /* Negating in unsigned arithmetic is defined even for G_MININT64. */
  return value < 0 ? -(guint64) value : (guint64) value;
}

static gint64
with_sign (gboolean negative,
           guint64  value)
{
  return negative ? -(gint64) value : (gint64) value;
}

/* a * b / den and its remainder without overflowing the product: a yen
 * amount times a rate in basis points can pass 2^63 long before the
 * result does. */
static guint64
mul_div (guint64  a,
         guint64  b,
         guint64  den,
         guint64 *rem)
{
#ifdef __SIZEOF_INT128__
  unsigned __int128 product = (unsigned __int128) a * b;

  *rem = (guint64) (product % den);
  return (guint64) (product / den);
#else
  *rem = (a * b) % den;
  return (a * b) / den;
#endif
}

/* q + r/den rounded to an integer by mode (all non-negative). */
static guint64
round_quotient (guint64       q,
                guint64       r,
                guint64       den,
                JorenRounding mode)
{
  switch (mode)
    {
    case JOREN_ROUND_DOWN:
      return q;
    case JOREN_ROUND_UP:
      return q + (r != 0);
    case JOREN_ROUND_HALF_UP:
      return q + (r != 0 && r >= den - r);
    case JOREN_ROUND_HALF_EVEN:
      return q + (r > den - r || (r != 0 && r == den - r && (q & 1)));
    default:
      g_return_val_if_reached (q);
    }
}

/* value * mul / den, rounded symmetrically around zero. */
static gint64
scale_round (gint64        value,
             guint64       mul,
             guint64       den,
             JorenRounding mode)
{
  guint64 rem;
  guint64 q = mul_div (magnitude (value), mul, den, &rem);

  return with_sign (value < 0, round_quotient (q, rem, den, mode));
}

gint64
joren_money_div_round (gint64        num,
                       gint64        den,
                       JorenRounding mode)
{
  g_return_val_if_fail (den > 0, 0);

  return scale_round (num, 1, (guint64) den, mode);
}

gint64
joren_money_percent (gint64        amount,
                     guint         bp,
                     JorenRounding mode)
{
  return scale_round (amount, bp, 10000, mode);
}

/* ---- Allocation -------------------------------------------------------- */

static gboolean
weights_are_valid (const gint64 *weights,
                   guint         n,
                   guint64      *out_sum)
{
  gboolean any_positive = FALSE;
  gboolean any_negative = FALSE;

  *out_sum = 0;
  for (guint i = 0; i < n; i++)
    {
      any_positive |= weights[i] > 0;
      any_negative |= weights[i] < 0;
      *out_sum += magnitude (weights[i]);
    }

  return !(any_positive && any_negative);
}

/* Hands out the units lost to flooring, one each, to the largest
 * remainders; ties go to the earlier entry so the result is stable. */
static void
give_leftover (guint64 *shares,
               guint64 *rems,
               guint    n,
               guint64  leftover)
{
  for (; leftover > 0; leftover--)
    {
      guint best = 0;

      for (guint i = 1; i < n; i++)
        if (rems[i] > rems[best])
          best = i;

      shares[best]++;
      rems[best] = 0;
    }
}

void
joren_money_allocate (gint64        total,
                      const gint64 *weights,
                      guint         n,
                      gint64       *out)
{
  g_autofree guint64 *shares = NULL;
  g_autofree guint64 *rems = NULL;
  guint64 sum, given = 0;

  g_return_if_fail (n == 0 || (weights != NULL && out != NULL));
  g_return_if_fail (weights_are_valid (weights, n, &sum));
  g_return_if_fail (sum > 0 || total == 0);

  if (sum == 0)
    {
      memset (out, 0, n * sizeof *out);
      return;
    }

  shares = g_new0 (guint64, n);
  rems = g_new0 (guint64, n);
  for (guint i = 0; i < n; i++)
    {
      shares[i] = mul_div (magnitude (total), magnitude (weights[i]), sum, &rems[i]);
      given += shares[i];
    }

  give_leftover (shares, rems, n, magnitude (total) - given);

  for (guint i = 0; i < n; i++)
    out[i] = with_sign (total < 0, shares[i]);
}

/* ---- Formatting -------------------------------------------------------- */

static guint64
minor_per_major (const JorenCurrency *currency)
{
  guint64 scale = 1;

  for (guint i = 0; i < currency->decimals; i++)
    scale *= 10;

  return scale;
}

static char *
format_number (guint64              value,
               const JorenCurrency *currency,
               gboolean             grouped)
{
  guint64 scale = minor_per_major (currency);
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, value / scale);
  gsize len = strlen (digits);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    {
      if (grouped && i > 0 && (len - i) % 3 == 0)
        g_string_append (out, currency->group_sep);
      g_string_append_c (out, digits[i]);
    }

  if (currency->decimals > 0)
    g_string_append_printf (out, "%s%0*" G_GUINT64_FORMAT, currency->decimal_sep,
                            (int) currency->decimals, value % scale);

  return g_string_free (out, FALSE);
}

char *
joren_money_format (gint64               minor,
                    const JorenCurrency *currency)
{
  g_autofree char *number = NULL;
  const char *sign = minor < 0 ? "-" : "";

  g_return_val_if_fail (currency != NULL, NULL);

  number = format_number (magnitude (minor), currency, TRUE);
  if (currency->symbol_after)
    return g_strdup_printf ("%s%s %s", sign, number, currency->symbol);

  return g_strdup_printf ("%s%s%s", sign, currency->symbol, number);
}

char *
joren_money_format_plain (gint64               minor,
                          const JorenCurrency *currency)
{
  g_autofree char *number = NULL;

  g_return_val_if_fail (currency != NULL, NULL);

  number = format_number (magnitude (minor), currency, FALSE);
  return g_strdup_printf ("%s%s", minor < 0 ? "-" : "", number);
}

/* ---- Parsing ----------------------------------------------------------- */

/* Removes affix from the start or the end of s (in place), then spaces. */
static gboolean
strip_affix (char       *s,
             const char *affix)
{
  gsize len = strlen (s);
  gsize alen = strlen (affix);

  if (alen == 0 || alen > len)
    return FALSE;

  if (strncmp (s, affix, alen) == 0)
    memmove (s, s + alen, len - alen + 1);
  else if (strcmp (s + len - alen, affix) == 0)
    s[len - alen] = '\0';
  else
    return FALSE;

  g_strstrip (s);
  return TRUE;
}

static gboolean
strip_minus (char *s)
{
  if (s[0] != '-')
    return FALSE;

  memmove (s, s + 1, strlen (s));
  g_strstrip (s);
  return TRUE;
}

/* Leaves only the number: a minus sign may stand before or after the
 * symbol ("-¥1,280", "¥-1,280", "-12,50 €"). */
static gboolean
strip_symbol_and_sign (char                *s,
                       const JorenCurrency *currency)
{
  const CurrencyEntry *entry = find_entry (currency);
  gboolean negative = strip_minus (s);

  if (!strip_affix (s, currency->symbol) && entry != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (entry->aliases) && entry->aliases[i]; i++)
      if (strip_affix (s, entry->aliases[i]))
        break;

  if (!negative)
    negative = strip_minus (s);

  return negative;
}

/* Which '.' or ',' (if any) is the decimal point. Both present: the last
 * one. One kind several times: grouping. One separator once: the decimal
 * point when it is the currency's own, or when not followed by exactly
 * three digits ("12.5" is 12,50 €; "1,280" is ¥1,280). */
static const char *
find_decimal_point (const char          *s,
                    const JorenCurrency *currency)
{
  const char *last = NULL;
  guint n_dots = 0, n_commas = 0;

  for (const char *p = s; *p; p++)
    {
      n_dots += *p == '.';
      n_commas += *p == ',';
      if (*p == '.' || *p == ',')
        last = p;
    }

  if (last == NULL)
    return NULL;
  if (n_dots > 0 && n_commas > 0)
    return last;
  if (n_dots + n_commas > 1)
    return NULL;
  if (currency->decimals > 0 && *last == currency->decimal_sep[0])
    return last;

  return strlen (last + 1) == 3 ? NULL : last;
}

static gboolean
append_digit (guint64 *value,
              char     c)
{
  guint d = (guint) (c - '0');

  if (*value > ((guint64) G_MAXINT64 - d) / 10)
    return FALSE;

  *value = *value * 10 + d;
  return TRUE;
}

typedef enum { PARSE_OK, PARSE_INVALID, PARSE_TOO_LARGE, PARSE_DECIMALS } ParseResult;

/* Whole units in [s, end): digits, optionally grouped by threes. */
static ParseResult
parse_whole (const char *s,
             const char *end,
             guint64    *value)
{
  guint group_len = 0;
  gboolean grouped = FALSE;
  char group_char = 0;

  for (const char *p = s; p < end; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (!append_digit (value, *p))
            return PARSE_TOO_LARGE;
          group_len++;
          continue;
        }
      if ((*p != '.' && *p != ',') || (group_char && *p != group_char) ||
          group_len == 0 || (grouped && group_len != 3) || group_len > 3)
        return PARSE_INVALID;
      group_char = *p;
      grouped = TRUE;
      group_len = 0;
    }

  return (group_len == 0 || (grouped && group_len != 3)) ? PARSE_INVALID : PARSE_OK;
}

/* Decimals after the point: padded to the currency's precision; extra
 * digits are only accepted when they are zeros ("100.00" yen). */
static ParseResult
parse_fraction (const char          *s,
                const JorenCurrency *currency,
                guint64             *value)
{
  gsize len = strlen (s);

  if (len == 0)
    return PARSE_INVALID;

  for (gsize i = 0; i < MAX (len, currency->decimals); i++)
    {
      char c = i < len ? s[i] : '0';

      if (!g_ascii_isdigit (c))
        return PARSE_INVALID;
      if (i >= currency->decimals)
        {
          if (c != '0')
            return PARSE_DECIMALS;
        }
      else if (!append_digit (value, c))
        return PARSE_TOO_LARGE;
    }

  return PARSE_OK;
}

static ParseResult
parse_number (const char          *s,
              const JorenCurrency *currency,
              guint64             *value)
{
  const char *point = find_decimal_point (s, currency);
  ParseResult result;

  *value = 0;
  if (!g_ascii_isdigit (s[0]))
    return PARSE_INVALID;

  result = parse_whole (s, point ? point : s + strlen (s), value);
  if (result != PARSE_OK)
    return result;

  if (point != NULL)
    return parse_fraction (point + 1, currency, value);

  for (guint i = 0; i < currency->decimals; i++)
    if (!append_digit (value, '0'))
      return PARSE_TOO_LARGE;

  return PARSE_OK;
}

static void
set_parse_error (GError             **error,
                 ParseResult          result,
                 const char          *text,
                 const JorenCurrency *currency)
{
  if (result == PARSE_TOO_LARGE)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("“%s” is too large an amount."), text);
  else if (result == PARSE_DECIMALS && currency->decimals == 0)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("“%s”: %s amounts have no decimal places."), text, currency->code);
  else if (result == PARSE_DECIMALS)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("“%s”: %s amounts have at most %u decimal places."),
                 text, currency->code, currency->decimals);
  else
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("“%s” is not an amount."), text);
}

gboolean
joren_money_parse (const char          *text,
                   const JorenCurrency *currency,
                   gint64              *out_minor,
                   GError             **error)
{
  g_autofree char *work = NULL;
  gboolean negative;
  guint64 value;
  ParseResult result;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (currency != NULL, FALSE);
  g_return_val_if_fail (out_minor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  work = g_strstrip (g_strdup (text));
  if (work[0] == '\0')
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                           _("Enter an amount."));
      return FALSE;
    }

  negative = strip_symbol_and_sign (work, currency);
  result = parse_number (work, currency, &value);
  if (result != PARSE_OK)
    {
      g_autofree char *shown = g_strstrip (g_strdup (text));

      set_parse_error (error, result, shown, currency);
      return FALSE;
    }

  *out_minor = with_sign (negative, value);
  return TRUE;
}

/* ---- Quick cash -------------------------------------------------------- */

/* 1, 5, 10, 50, 100 ... : the steps people round a payment up to. */
static gboolean
is_round_step (gint64 denomination)
{
  while (denomination >= 10 && denomination % 10 == 0)
    denomination /= 10;

  return denomination == 1 || denomination == 5;
}

/* Inserts into the ascending, duplicate-free out[0..*n), keeping only the
 * max smallest values. */
static void
insert_candidate (gint64 *out,
                  guint  *n,
                  guint   max,
                  gint64  value)
{
  guint pos = 0;

  while (pos < *n && out[pos] < value)
    pos++;
  if (pos >= max || (pos < *n && out[pos] == value))
    return;
  if (*n == max)
    (*n)--;

  memmove (&out[pos + 1], &out[pos], (*n - pos) * sizeof *out);
  out[pos] = value;
  (*n)++;
}

/* Candidates: due rounded up to each 1-5 step, and every note or coin
 * larger than due on its own (a ¥2,000 note, a 20 € note). */
guint
joren_money_quick_cash (gint64               due,
                        const JorenCurrency *currency,
                        gint64              *out,
                        guint                max)
{
  guint n = 0;

  g_return_val_if_fail (currency != NULL, 0);
  g_return_val_if_fail (out != NULL || max == 0, 0);

  if (max == 0)
    return 0;

  out[n++] = due;
  if (due <= 0)
    return n;

  for (const gint64 *d = currency->denominations; *d != 0; d++)
    {
      if (is_round_step (*d))
        insert_candidate (out, &n, max, (due + *d - 1) / *d * *d);
      if (*d > due)
        insert_candidate (out, &n, max, *d);
    }

  return n;
}
