/* joren-sale-view-private.h: the sale view's state, shared by the grid and
 * lines code (joren-sale-view.c) and the action buttons
 * (joren-sale-view-actions.c). */
#pragma once

#include "joren-customer.h"
#include "joren-keypad.h"
#include "joren-sale-view.h"

G_BEGIN_DECLS

struct _JorenSaleView
{
  GtkWidget     parent_instance;

  /* template */
  GtkLabel     *refund_label;
  GtkWidget    *lines_scroller;
  GtkListBox   *lines_box;
  GtkLabel     *subtotal_label;
  GtkWidget    *discount_title;
  GtkLabel     *discount_label;
  GtkWidget    *tax_box;
  GtkLabel     *total_label;
  GtkWidget    *pay_button;
  GtkWidget    *categories_box;
  GtkGrid      *products_grid;
  JorenKeypad  *keypad;
  GtkWidget    *customer_panel;
  GtkLabel     *customer_name_label;
  GtkLabel     *customer_member_label;
  GtkLabel     *customer_hint_label;
  GtkLabel     *customer_stats_label;
  GtkLabel     *customer_extra_label;
  GtkWidget    *punch_box;      /* count cards and stamps, one row each */
  GtkWidget    *payoff_button;  /* the customer's account, when they owe */
  GtkRevealer  *card_revealer;
  GtkLabel     *card_label;

  JorenDb      *db;
  JorenShop    *shop;
  JorenStaff   *staff;
  JorenSale    *sale;
  gulong        sale_changed_id;
  gint64        open_tax_class_id;
  guint         open_rate_bp;

  /* product paging: the current page starts at offset; earlier page
   * starts are kept so "Back" returns exactly. */
  gint64        category_id;
  char         *category_colour;
  guint         offset;
  GArray       *page_starts;
  GArray       *parked_ids;

  /* the sale's customer, NULL: none; the card offered for registration */
  JorenCustomer *customer;
  char          *unknown_card;
};

void     joren_sale_view_emit_message   (JorenSaleView *self,
                                         const char    *message);
/* Replaces the current sale (recall, refund); takes ownership. */
void     joren_sale_view_take_sale      (JorenSaleView *self,
                                         JorenSale     *sale);
/* FALSE (and a message) while a refund is on screen. */
gboolean joren_sale_view_check_editable (JorenSaleView *self,
                                         GError       **error);

/* joren-sale-view-actions.c: template callbacks */
void     joren_sale_view_price_clicked_cb    (JorenSaleView *self);
void     joren_sale_view_barcode_clicked_cb  (JorenSaleView *self);
void     joren_sale_view_discount_clicked_cb (JorenSaleView *self);
void     joren_sale_view_park_clicked_cb     (JorenSaleView *self);
void     joren_sale_view_recall_clicked_cb   (JorenSaleView *self);
void     joren_sale_view_refund_clicked_cb   (JorenSaleView *self);
void     joren_sale_view_clear_clicked_cb    (JorenSaleView *self);

/* joren-sale-view-customer.c: the reception panel, lookup, cards */
/* Loads the customer the sale names (after recall, refund, a new sale). */
void     joren_sale_view_sync_customer       (JorenSaleView *self);
/* A scanned code no product has: TRUE when it is a member card (the
 * customer is attached); otherwise it may be offered for registration. */
gboolean joren_sale_view_scan_card           (JorenSaleView *self,
                                              const char    *code);
void     joren_sale_view_customer_bind_template (GtkWidgetClass *widget_class);
/* Redraws the count cards and stamps (visits on the sale, free items). */
void     joren_sale_view_update_punch        (JorenSaleView *self);
void     joren_sale_view_customer_finalize   (JorenSaleView *self);

/* joren-sale-view-value.c: vouchers, coupons, customer accounts */
/* A scanned code no product has: TRUE when it was a voucher, prepaid
 * card or coupon (and was dealt with, a message said why not). */
gboolean joren_sale_view_scan_value          (JorenSaleView *self,
                                              const char    *code);
/* The coupon's name on the discount row, the account's pay-off button. */
void     joren_sale_view_update_value        (JorenSaleView *self);
void     joren_sale_view_value_bind_template (GtkWidgetClass *widget_class);

G_END_DECLS
