/* joren-receipt-coupon.h: e-coupon slips for the receipt printer. A
 * batch of codes issued in the back office is printed one slip per code,
 * each its own job so the printer cuts between them: the shop, the
 * campaign's name, its value and conditions in words, the validity, and
 * the code in large print and as a QR code the till's scanner reads. */
#pragma once

#include "joren-coupon.h"
#include "joren-receipt.h"

G_BEGIN_DECLS

/* "¥500 off", "10% off", "7.5% off", "One item free". Translated. */
char         *joren_coupon_describe_value     (const JorenCouponCampaign *campaign,
                                               const JorenCurrency       *currency);
/* The conditions in words, one line each (minimum spend, products,
 * validity window, single use). Translated. */
GStrv         joren_coupon_describe_conditions (const JorenCouponCampaign *campaign,
                                                const JorenCurrency       *currency);

/* One slip for code (normalized, as joren_coupon_issue returns it). */
JorenReceipt *joren_receipt_new_coupon_slip   (const JorenShop           *shop,
                                               const JorenCouponCampaign *campaign,
                                               const char                *code);
/* A slip per code (char *), in order: JorenReceipt, each cut at its end. */
GPtrArray    *joren_receipt_new_coupon_slips  (const JorenShop           *shop,
                                               const JorenCouponCampaign *campaign,
                                               GPtrArray                 *codes);

G_END_DECLS
