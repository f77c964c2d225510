/* joren-value-ui.h: what the register's value screens share: the one
 * authority a register asks about vouchers (kept on the database, so the
 * sync work can swap it without touching a screen), a voucher or card
 * described in one line, the quick-pay setting, and the printing side:
 * balances on the sale receipt and a slip per voucher sold. */
#pragma once

#include <gtk/gtk.h>

#include "joren-receipt.h"
#include "joren-sale.h"
#include "joren-value.h"

G_BEGIN_DECLS

/* Setting "value.quick_pay" ("1"/"0"): scanning a prepaid card on a sale
 * with items pays the whole sale from it. */
#define JOREN_SETTING_VALUE_QUICK_PAY "value.quick_pay"

/* The authority for db (borrowed; created on first use). */
JorenValueAuthority *joren_value_ui_get_authority   (JorenDb *db);
/* "Prepaid card · 1000 2345 6789 0123 · ¥3,000 · until 2028-03-31". */
char                *joren_value_ui_describe        (const JorenValueAccount *account,
                                                     const JorenCurrency     *currency);
gboolean             joren_value_ui_quick_pay_enabled (JorenDb *db);
/* The sale customer's pay-later account, NULL when none. */
JorenValueAccount   *joren_value_ui_sale_account    (JorenDb   *db,
                                                     JorenSale *sale);
/* TRUE when the sale's customer has a pay-later account (the tender
 * page's Account button). */
gboolean             joren_value_ui_has_account     (JorenDb   *db,
                                                     JorenSale *sale);
/* The refusal of an account tender, with the limit and what is owed. */
char                *joren_value_ui_describe_refusal (JorenDb             *db,
                                                      JorenSale           *sale,
                                                      const char          *reason);
/* After a commit: the balances left on the vouchers and accounts the
 * sale used, added to its receipt. */
void                 joren_value_ui_add_balances    (JorenDb         *db,
                                                     const JorenShop *shop,
                                                     JorenSale       *sale,
                                                     JorenReceipt    *receipt);
/* One slip (JorenReceipt) per voucher or card the sale sold or topped up. */
GPtrArray           *joren_value_ui_build_slips     (JorenDb         *db,
                                                     const JorenShop *shop,
                                                     JorenSale       *sale);

G_END_DECLS
