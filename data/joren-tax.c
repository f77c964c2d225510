/* joren-tax.c: splits one amount at one rate into net, tax and gross. The
 * sale calls this once per rate per receipt, on the sum of that rate's
 * lines, which is what Japanese qualified invoices and German receipts
 * require; rounding is symmetric, so a refund's tax mirrors the sale's. */
#include "config.h"

#include "joren-tax.h"

/* Inclusive: tax = gross * r / (10000 + r), i.e. the tax part of a price
 * that already contains it (¥1,080 at 8 % holds ¥80).
 * Exclusive: tax = net * r / 10000 on top. */
void
joren_tax_compute (gint64         amount,
                   guint          rate_bp,
                   gboolean       prices_include_tax,
                   JorenRounding  rounding,
                   JorenTaxLine  *out)
{
  g_return_if_fail (out != NULL);

  out->rate_bp = rate_bp;
  if (prices_include_tax)
    {
      out->gross = amount;
      out->tax = joren_money_div_round (amount * (gint64) rate_bp,
                                        10000 + (gint64) rate_bp, rounding);
      out->net = amount - out->tax;
    }
  else
    {
      out->net = amount;
      out->tax = joren_money_percent (amount, rate_bp, rounding);
      out->gross = amount + out->tax;
    }
}

/* 1000 -> "10%", 750 -> "7.5%", 725 -> "7.25%": no trailing zeros. */
char *
joren_tax_format_rate (guint rate_bp)
{
  guint whole = rate_bp / 100;
  guint hundredths = rate_bp % 100;

  if (hundredths == 0)
    return g_strdup_printf ("%u%%", whole);
  if (hundredths % 10 == 0)
    return g_strdup_printf ("%u.%u%%", whole, hundredths / 10);

  return g_strdup_printf ("%u.%02u%%", whole, hundredths);
}
