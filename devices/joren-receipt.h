/* joren-receipt.h: a printable document as a list of blocks (logo, shop
 * header, item lines, total rows, tax table, barcode, QR, footer, free
 * text). Builders such as joren_receipt_new_for_sale() fill it in
 * sections; later features insert their own blocks after a named section
 * (customer after "header", points after "tenders") without touching the
 * builder. joren_receipt_encode() lays it out for one printer profile.
 * Once handed to the print queue a receipt must not change. */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "joren-escpos.h"
#include "joren-printer-profile.h"
#include "joren-types.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_RECEIPT_PLAIN     = 0,
  JOREN_RECEIPT_BOLD      = 1 << 0,
  JOREN_RECEIPT_LARGE     = 1 << 1,  /* double width and height */
  JOREN_RECEIPT_TALL      = 1 << 2,  /* double height only */
  JOREN_RECEIPT_REVERSE   = 1 << 3,
  JOREN_RECEIPT_UNDERLINE = 1 << 4,
} JorenReceiptStyle;

#define JOREN_TYPE_RECEIPT (joren_receipt_get_type ())
G_DECLARE_FINAL_TYPE (JorenReceipt, joren_receipt, JOREN, RECEIPT, GObject)

JorenReceipt *joren_receipt_new               (void);
JorenReceipt *joren_receipt_copy              (JorenReceipt *self);
guint         joren_receipt_get_n_blocks      (JorenReceipt *self);

/* Blocks added from now on belong to section (e.g. "header", "lines",
 * "totals", "taxes", "tenders", "staff", "barcode", "footer"). */
void          joren_receipt_set_section       (JorenReceipt *self, const char *section);
/* Where the next blocks go: after the last / before the first block of a
 * section (FALSE if there is none), or at the start / end. */
gboolean      joren_receipt_seek_after        (JorenReceipt *self, const char *section);
gboolean      joren_receipt_seek_before       (JorenReceipt *self, const char *section);
void          joren_receipt_seek_start        (JorenReceipt *self);
void          joren_receipt_seek_end          (JorenReceipt *self);

void          joren_receipt_add_logo          (JorenReceipt *self, cairo_surface_t *image);
/* Any argument but name may be NULL; invoice_number is Japan's T + 13. */
void          joren_receipt_add_header        (JorenReceipt *self,
                                               const char   *name,
                                               const char   *address,
                                               const char   *phone,
                                               const char   *invoice_number);
void          joren_receipt_add_text          (JorenReceipt      *self,
                                               const char        *text,
                                               JorenAlign         align,
                                               JorenReceiptStyle  style);
void          joren_receipt_add_separator     (JorenReceipt *self);
void          joren_receipt_add_feed          (JorenReceipt *self, guint lines);
/* An item: name left, amount right; detail ("2 × ¥150") indented below. */
void          joren_receipt_add_item          (JorenReceipt *self,
                                               const char   *name,
                                               const char   *detail,
                                               const char   *amount);
/* Label left, value right: totals, tenders, change, cashier. */
void          joren_receipt_add_row           (JorenReceipt      *self,
                                               const char        *label,
                                               const char        *value,
                                               JorenReceiptStyle  style);
/* One row of the tax table: rate, the amount it applies to, the tax. */
void          joren_receipt_add_tax_row       (JorenReceipt *self,
                                               const char   *rate,
                                               const char   *base,
                                               const char   *tax);
void          joren_receipt_add_barcode       (JorenReceipt     *self,
                                               JorenEscposSymbology  kind,
                                               const char       *data);
void          joren_receipt_add_qr            (JorenReceipt *self, const char *data);
void          joren_receipt_add_footer        (JorenReceipt *self, const char *text);

/* Document settings: cut at the end (default on), kick the drawer first. */
void          joren_receipt_set_cut           (JorenReceipt *self, gboolean cut);
void          joren_receipt_set_open_drawer   (JorenReceipt *self, gboolean open);

GBytes       *joren_receipt_encode            (JorenReceipt               *self,
                                               const JorenPrinterProfile  *profile,
                                               GError                    **error);

/* Builders (joren-receipt-sale.c): labels are translated when called, so
 * the caller sets the shop's language first. */
JorenReceipt *joren_receipt_new_for_sale      (const JorenShop *shop, JorenSale *sale);
JorenReceipt *joren_receipt_new_voucher       (const JorenShop *shop,
                                               gint64           amount,
                                               const char      *number,
                                               GDateTime       *expires);
/* The loyalty block, inserted after the "tenders" section: member number,
 * name, points earned and redeemed by the sale, and the balance after it. */
void          joren_receipt_add_customer      (JorenReceipt *self,
                                               const char   *member_no,
                                               const char   *name,
                                               gint64        earned,
                                               gint64        redeemed,
                                               gint64        balance);
/* One more row at the end of the loyalty block (count cards, stamps). */
void          joren_receipt_add_customer_row  (JorenReceipt *self,
                                               const char   *label,
                                               const char   *value);
/* A copy of a receipt marked as a reprint at the top. */
JorenReceipt *joren_receipt_new_reprint       (JorenReceipt *original);

G_END_DECLS
