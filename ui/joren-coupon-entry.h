/* joren-coupon-entry.h: an e-coupon code typed at the till. A scanned code
 * goes straight through the sale view's scan; this is for a code read
 * off a phone screen or a paper slip: a big text field, Apply, and the
 * reason in plain words when the code cannot be used. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-sale.h"

G_BEGIN_DECLS

/* Opens the entry over parent; the coupon is applied to sale on Apply. */
GtkWindow *joren_coupon_entry_run (GtkWidget *parent,
                                   JorenDb   *db,
                                   JorenSale *sale);
/* "Coupon ABCDE-FGHJK: -¥500" for the banner once applied. */
char      *joren_coupon_entry_describe (JorenSale *sale);

G_END_DECLS
