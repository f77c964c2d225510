/* joren-sale.h: a sale (or refund) as the till builds it: lines, line and
 * receipt discounts, tenders, and the totals derived from them. Pure
 * domain: no SQL here (joren-sale-db.h stores it). Every change emits
 * "changed" so the UI can redraw. */
#pragma once

#include <glib-object.h>

#include "joren-money.h"
#include "joren-tax.h"
#include "joren-shop.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_DISCOUNT_NONE,
  JOREN_DISCOUNT_PERCENT,   /* value in basis points: 1000 = 10 % */
  JOREN_DISCOUNT_AMOUNT,    /* value in minor units */
} JorenDiscountKind;

typedef struct {
  JorenDiscountKind kind;
  gint64            value;
} JorenDiscount;

typedef enum {
  JOREN_TENDER_CASH,
  JOREN_TENDER_CARD,
  JOREN_TENDER_OTHER,
  JOREN_TENDER_POINTS,      /* loyalty points, as money (joren-points.h) */
  JOREN_TENDER_VOUCHER,     /* gift voucher / prepaid card; reference: its number */
  JOREN_TENDER_ACCOUNT,     /* charged to a customer account (pay later) */
} JorenTenderKind;

/* What a line is. Only goods are revenue and carry tax; the others move
 * money between the shop and a value account (joren-value.h) or use up
 * a visit of a count card (joren-punch.h). */
typedef enum {
  JOREN_LINE_GOODS,         /* a product or open item */
  JOREN_LINE_VALUE_ISSUE,   /* a voucher/prepaid card sold or topped up: a liability */
  JOREN_LINE_ACCOUNT_PAYMENT, /* a customer paying off their account */
  JOREN_LINE_VISIT,         /* a product paid by one visit of a count card */
} JorenLineKind;

typedef enum {
  JOREN_SALE_KIND_SALE,
  JOREN_SALE_KIND_REFUND,
} JorenSaleKind;

struct _JorenSaleLine {
  gint64        product_id;      /* 0: open item */
  char         *name;
  char         *barcode;         /* as scanned, or NULL */
  gint64        qty;             /* units; negative on a refund */
  gint64        unit_price;      /* minor units, gross if prices include tax */
  gboolean      fixed;           /* amount fixed by an in-store code or a refund */
  gint64        fixed_amount;    /* when fixed: the line's base amount */
  guint         weight_g;        /* weighed items, for the receipt */
  gint64        tax_class_id;
  guint         rate_bp;
  JorenDiscount discount;
  gint64        original_line_id; /* refund: the sale_lines.id refunded */
  gint64        id;              /* sale_lines.id once stored */
  JorenLineKind kind;
  char         *reference;       /* value account number, count card id..., or NULL */

  /* derived by joren_sale_recalculate() */
  gint64        base;            /* fixed_amount or qty * unit_price */
  gint64        line_discount;
  gint64        receipt_discount; /* share of the receipt discount */
  gint64        amount;          /* base - line_discount - receipt_discount */
};

struct _JorenTender {
  JorenTenderKind kind;
  gint64          amount;        /* what was handed over (cash may exceed due) */
  char           *reference;     /* card slip number etc., may be NULL */
  char           *hold_id;       /* voucher/account: the authority's hold behind it, or NULL */
};

/* Signals: "changed" after every change; "holds-dropped" when a change
 * to the lines dropped tenders that held a balance. */
#define JOREN_TYPE_SALE (joren_sale_get_type ())
G_DECLARE_FINAL_TYPE (JorenSale, joren_sale, JOREN, SALE, GObject)

JorenSale           *joren_sale_new              (const JorenShop *shop);
JorenSaleKind        joren_sale_get_kind         (JorenSale *self);
const JorenShop     *joren_sale_get_shop         (JorenSale *self);
const JorenCurrency *joren_sale_get_currency     (JorenSale *self);

/* Lines */
guint                joren_sale_get_n_lines      (JorenSale *self);
const JorenSaleLine *joren_sale_get_line         (JorenSale *self, guint index);
/* Adds qty of a product; the same product scanned again bumps the last
 * line when it has no discount. Returns the index of the line touched. */
guint                joren_sale_add_product      (JorenSale          *self,
                                                  const JorenProduct *product,
                                                  gint64              qty,
                                                  const char         *barcode);
/* A scanned in-store code: price-embedded (value = amount) or
 * weight-embedded (value = grams, product price per kg). */
guint                joren_sale_add_in_store     (JorenSale          *self,
                                                  const JorenProduct *product,
                                                  const JorenBarcode *barcode);
guint                joren_sale_add_open_item    (JorenSale  *self,
                                                  const char *name,
                                                  gint64      unit_price,
                                                  gint64      tax_class_id,
                                                  guint       rate_bp);
/* A line that moves money to or from a value account (joren-value.h):
 * kind JOREN_LINE_VALUE_ISSUE or JOREN_LINE_ACCOUNT_PAYMENT, a fixed
 * amount, reference = the account number. No tax, no share of the
 * receipt discount, no points. */
guint                joren_sale_add_value_line   (JorenSale     *self,
                                                  JorenLineKind  kind,
                                                  const char    *name,
                                                  const char    *reference,
                                                  gint64         amount);
/* The goods lines' total after discounts (what revenue and coupons see). */
gint64               joren_sale_get_goods_total  (JorenSale *self);
gboolean             joren_sale_set_line_qty     (JorenSale *self, guint index,
                                                  gint64 qty, GError **error);
gboolean             joren_sale_set_line_discount (JorenSale *self, guint index,
                                                   const JorenDiscount *discount,
                                                   GError **error);
/* Void a line before payment: it disappears from the sale. */
void                 joren_sale_remove_line      (JorenSale *self, guint index);
gboolean             joren_sale_set_discount     (JorenSale *self,
                                                  const JorenDiscount *discount,
                                                  GError **error);
const JorenDiscount *joren_sale_get_discount     (JorenSale *self);
void                 joren_sale_clear            (JorenSale *self);

/* Totals (always current) */
gint64               joren_sale_get_subtotal     (JorenSale *self); /* sum of bases */
gint64               joren_sale_get_discount_total (JorenSale *self);
gint64               joren_sale_get_total        (JorenSale *self); /* what is owed */
gint64               joren_sale_get_tax_total    (JorenSale *self);
guint                joren_sale_get_n_tax_lines  (JorenSale *self);
const JorenTaxLine  *joren_sale_get_tax_line     (JorenSale *self, guint index);
gint64               joren_sale_get_item_count   (JorenSale *self);

/* Tenders. Only cash may exceed what is due (the rest is change); card and
 * other tenders are refused beyond the remaining due. */
gboolean             joren_sale_add_tender       (JorenSale       *self,
                                                  JorenTenderKind  kind,
                                                  gint64           amount,
                                                  const char      *reference,
                                                  GError         **error);
void                 joren_sale_clear_tenders    (JorenSale *self);
/* Drops one tender, keeping the others (and their holds) as they are. */
void                 joren_sale_remove_tender    (JorenSale *self, guint index);
/* Notes the value authority's hold behind tender index (joren-value.h). */
void                 joren_sale_set_tender_hold  (JorenSale  *self,
                                                  guint       index,
                                                  const char *hold_id);
guint                joren_sale_get_n_tenders    (JorenSale *self);
const JorenTender   *joren_sale_get_tender       (JorenSale *self, guint index);
gint64               joren_sale_get_paid         (JorenSale *self);
gint64               joren_sale_get_due          (JorenSale *self); /* total - paid, >= 0 (<= 0 on refund) */
gint64               joren_sale_get_change       (JorenSale *self);
gboolean             joren_sale_is_settled       (JorenSale *self);

/* Refunds: a refund sale references the original (loaded by the data
 * layer) and takes back up to what is not yet refunded of each line, at
 * the amount actually paid for it, discounts included. */
JorenSale           *joren_sale_new_refund       (const JorenShop *shop,
                                                  JorenSale       *original,
                                                  const gint64    *already_refunded_qty);
JorenSale           *joren_sale_get_original     (JorenSale *self);
gint64               joren_sale_get_refundable_qty (JorenSale *self, guint original_index);
guint                joren_sale_add_refund_line  (JorenSale *self,
                                                  guint      original_index,
                                                  gint64     qty,
                                                  GError   **error);

/* Identity, set when stored */
const char          *joren_sale_get_uuid         (JorenSale *self);
gint64               joren_sale_get_id           (JorenSale *self);
const char          *joren_sale_get_receipt_no   (JorenSale *self);
GDateTime           *joren_sale_get_created_at   (JorenSale *self);
gint64               joren_sale_get_staff_id     (JorenSale *self);
const char          *joren_sale_get_staff_name   (JorenSale *self);
void                 joren_sale_set_staff        (JorenSale *self, gint64 staff_id,
                                                  const char *staff_name);

/* The loyalty customer (customers.id), 0: none. A refund starts with
 * its original's customer. */
gint64               joren_sale_get_customer_id  (JorenSale *self);
void                 joren_sale_set_customer     (JorenSale *self, gint64 customer_id);

/* The e-coupon applied (joren-coupon.h): its code, NULL when none, and
 * the line it made free (G_MAXUINT: it is the receipt discount). */
void                 joren_sale_set_coupon       (JorenSale  *self,
                                                  const char *code,
                                                  guint       line_index);
const char          *joren_sale_get_coupon_code  (JorenSale *self);
guint                joren_sale_get_coupon_line  (JorenSale *self);

/* For the data layer when storing/loading; not for the UI. */
void                 joren_sale_set_stored       (JorenSale  *self,
                                                  gint64      id,
                                                  const char *uuid,
                                                  const char *receipt_no,
                                                  GDateTime  *created_at);
JorenSaleLine       *joren_sale_get_line_mutable (JorenSale *self, guint index);
void                 joren_sale_append_line      (JorenSale *self, const JorenSaleLine *line);
void                 joren_sale_recalculate      (JorenSale *self);

G_END_DECLS
