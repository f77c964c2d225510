/* joren-money.h: money is a gint64 count of a currency's minor units (yen,
 * cents). Never a double. Rounding of a rational amount is explicit. */
#pragma once

#include "joren-types.h"

G_BEGIN_DECLS

struct _JorenCurrency {
  const char   *code;          /* ISO 4217: "JPY", "EUR", "TWD" */
  guint         decimals;      /* 0 for JPY/TWD, 2 for EUR */
  const char   *symbol;        /* "¥", "€", "NT$" */
  gboolean      symbol_after;  /* "12,50 €" vs "¥1,250" */
  const char   *group_sep;     /* "," or "." */
  const char   *decimal_sep;   /* "." or "," */
  const gint64 *denominations; /* notes and coins in minor units, ascending, 0-terminated */
};

/* Rounding is symmetric around zero, so a refund is the exact mirror of
 * the sale it reverses. */
typedef enum {
  JOREN_ROUND_HALF_UP,    /* half away from zero (kaufmännisch, 四捨五入) */
  JOREN_ROUND_DOWN,       /* toward zero (切り捨て) */
  JOREN_ROUND_UP,         /* away from zero (切り上げ) */
  JOREN_ROUND_HALF_EVEN,  /* banker's */
} JorenRounding;

const JorenCurrency *joren_currency_lookup        (const char          *code);

/* num / den rounded by mode; den > 0. */
gint64               joren_money_div_round        (gint64               num,
                                                   gint64               den,
                                                   JorenRounding        mode);
/* amount * bp / 10000, bp in basis points of a percent (1000 = 10 %). */
gint64               joren_money_percent          (gint64               amount,
                                                   guint                bp,
                                                   JorenRounding        mode);
/* Split total over weights (same sign, not all zero) by largest remainder:
 * out[] sums to total exactly. */
void                 joren_money_allocate         (gint64               total,
                                                   const gint64        *weights,
                                                   guint                n,
                                                   gint64              *out);
/* "¥1,280", "12,50 €", "-NT$100". */
char                *joren_money_format           (gint64               minor,
                                                   const JorenCurrency *currency);
/* Plain number without symbol for entry fields: "1280", "12,50". */
char                *joren_money_format_plain     (gint64               minor,
                                                   const JorenCurrency *currency);
/* Accepts "1280", "1,280", "¥1,280", "12.5", "12,50", "12,50 €". */
gboolean             joren_money_parse            (const char          *text,
                                                   const JorenCurrency *currency,
                                                   gint64              *out_minor,
                                                   GError             **error);
/* Quick cash buttons: the exact amount first, then the next round amounts a
 * customer is likely to hand over. Returns how many were written (<= max). */
guint                joren_money_quick_cash       (gint64               due,
                                                   const JorenCurrency *currency,
                                                   gint64              *out,
                                                   guint                max);

G_END_DECLS
