/* joren-tax.h: tax per rate. Taxes are computed once per rate per receipt
 * (Japan's qualified-invoice rule, also what German receipts show), from
 * the sum of the line amounts at that rate. */
#pragma once

#include "joren-money.h"

G_BEGIN_DECLS

struct _JorenTaxLine {
  guint  rate_bp;   /* 1000 = 10 % */
  gint64 net;
  gint64 tax;
  gint64 gross;
};

/* amount is gross when prices_include_tax, else net. */
void joren_tax_compute (gint64         amount,
                        guint          rate_bp,
                        gboolean       prices_include_tax,
                        JorenRounding  rounding,
                        JorenTaxLine  *out);

/* "10%", "8%", "7.5%" */
char *joren_tax_format_rate (guint rate_bp);

G_END_DECLS
