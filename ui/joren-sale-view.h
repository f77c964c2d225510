/* joren-sale-view.h: the register page: the current sale's lines and
 * totals on the left; category tabs, the product grid (paged, never the
 * whole catalogue), a keypad and the sale actions on the right; over the
 * lines, the reception panel of the sale's customer. Messages
 * for the cashier go out through "message" (the window's banner); "pay"
 * asks the window for the tender page. */
#pragma once

#include <gtk/gtk.h>

#include "joren-customer.h"
#include "joren-db.h"
#include "joren-sale.h"
#include "joren-staff.h"

G_BEGIN_DECLS

#define JOREN_TYPE_SALE_VIEW (joren_sale_view_get_type ())
G_DECLARE_FINAL_TYPE (JorenSaleView, joren_sale_view, JOREN, SALE_VIEW, GtkWidget)

/* Product buttons per page: the grid is this many columns by rows. */
#define JOREN_SALE_VIEW_COLUMNS 5
#define JOREN_SALE_VIEW_ROWS    4

GtkWidget *joren_sale_view_new              (void);
/* Loads the categories and tax classes and starts an empty sale. */
void       joren_sale_view_set_context      (JorenSaleView   *self,
                                             JorenDb         *db,
                                             const JorenShop *shop);
void       joren_sale_view_set_staff        (JorenSaleView    *self,
                                             const JorenStaff *staff);
JorenSale *joren_sale_view_get_sale         (JorenSaleView *self);
/* Drops the current sale (after a commit) and starts an empty one. */
void       joren_sale_view_new_sale         (JorenSaleView *self);
/* A scanned or typed code: parse, look up, add. A code no product has is
 * tried as a member card: TRUE with the customer attached; an unknown
 * card stays NOT_FOUND and is offered for registration. On error nothing
 * is added and the sale is untouched. */
gboolean   joren_sale_view_scan             (JorenSaleView *self,
                                             const char    *code,
                                             GError       **error);
/* Attaches a customer to the sale (a copy is kept) and shows the
 * reception panel; NULL detaches. */
void       joren_sale_view_set_customer     (JorenSaleView       *self,
                                             const JorenCustomer *customer);
/* Attaches the customer and adds a line paying off their whole account
 * debt (the "Pay off account" button changes the amount), ready for any
 * tender. Refused while the register holds another sale. */
gboolean   joren_sale_view_take_account_payment (JorenSaleView  *self,
                                                 gint64          customer_id,
                                                 GError        **error);
/* The attached customer, or NULL. */
const JorenCustomer *joren_sale_view_get_customer (JorenSaleView *self);
/* The one-line hint on the reception panel ("" when none). */
const char *joren_sale_view_get_customer_hint (JorenSaleView *self);
/* Reloads categories and the grid after the back office changed them. */
void       joren_sale_view_reload_catalog   (JorenSaleView *self);

G_END_DECLS
