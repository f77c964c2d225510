/* joren-voucher-dialog.h: gift vouchers and prepaid cards at the till.
 * Selling: scan or type a number printed elsewhere, or let a new one be
 * made; a known number is a top-up and shows what the card holds; the
 * amount from presets or the keypad; a customer if wanted. The sale gets
 * a value line (no tax). Paying: scan or type the number, see the balance
 * and expiry, take at most what it holds and what is due. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-sale.h"

G_BEGIN_DECLS

#define JOREN_TYPE_VOUCHER_DIALOG (joren_voucher_dialog_get_type ())
G_DECLARE_FINAL_TYPE (JorenVoucherDialog, joren_voucher_dialog, JOREN, VOUCHER_DIALOG, GtkWindow)

/* Called once the line or tender is on the sale, as the dialog closes. */
typedef void (*JorenVoucherFunc) (gpointer user_data);

/* Sells or tops up a voucher or card: adds a value line to sale. */
JorenVoucherDialog *joren_voucher_dialog_sell   (GtkWidget        *parent,
                                                 JorenDb          *db,
                                                 JorenSale        *sale,
                                                 JorenVoucherFunc  func,
                                                 gpointer          user_data);
/* Pays part or all of sale with a voucher or card. */
JorenVoucherDialog *joren_voucher_dialog_redeem (GtkWidget        *parent,
                                                 JorenDb          *db,
                                                 JorenSale        *sale,
                                                 JorenVoucherFunc  func,
                                                 gpointer          user_data);
/* As if number were scanned into the field (and looked up). */
void                joren_voucher_dialog_set_number (JorenVoucherDialog *self,
                                                     const char         *number);
/* What the dialog says about the number (tests, screenshots). */
const char         *joren_voucher_dialog_get_info   (JorenVoucherDialog *self);
const char         *joren_voucher_dialog_get_error  (JorenVoucherDialog *self);

G_END_DECLS
