/* joren-invoice.h: printing for value accounts. The invoice of a customer
 * account as an A4 PDF (Cairo + Pango, so Japanese and Chinese text
 * render): the shop's name, address and tax registration number (the
 * Japanese qualified-invoice number T + 13 digits, the German USt-IdNr.),
 * the lines, tax per rate, the total and the amount due; ready to be
 * e-mailed. And the slips: the voucher or prepaid card slip with its
 * number, QR code, balance and expiry, and the balance rows a sale
 * receipt shows after a voucher was redeemed or an account charged. */
#pragma once

#include <gio/gio.h>

#include "joren-receipt.h"
#include "joren-value.h"

G_BEGIN_DECLS

/* Renders the invoice (joren_value_invoice_for_sale/_for_period) as a
 * PDF at path; long invoices continue on further pages with the page
 * number at the foot. Labels are translated when called. */
gboolean      joren_invoice_write_pdf        (const JorenInvoice  *invoice,
                                              const char          *path,
                                              GError             **error);
/* The same PDF in memory, for an e-mail attachment. */
GBytes       *joren_invoice_render_pdf       (const JorenInvoice  *invoice,
                                              GError             **error);
/* "<number>.pdf", safe as a file name: what the saved PDF and the
 * e-mail attachment are called. */
char         *joren_invoice_file_name        (const JorenInvoice  *invoice);
/* The number of A4 pages the invoice takes. */
guint         joren_invoice_count_pages      (const JorenInvoice  *invoice);

/* The slip printed when a voucher or prepaid card is sold or topped up:
 * kind, the balance in large print, a QR code of the number, the number
 * in groups, and the expiry date. */
JorenReceipt *joren_receipt_new_value_slip   (const JorenShop         *shop,
                                              const JorenValueAccount *account);
/* Inserted after the "tenders" section of a sale receipt: per voucher,
 * card or account the sale used, its masked number and the balance left
 * (a customer account shows what is owed). */
void          joren_receipt_add_value_balances (JorenReceipt    *receipt,
                                                const JorenShop *shop,
                                                GPtrArray       *balances);

G_END_DECLS
