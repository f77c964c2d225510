/* joren-ui.h: small helpers every register widget shares: the style sheet,
 * button colours from the catalogue, emptying containers, and the two
 * modal questions the register asks (confirm, choose one of a list). */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-money.h"
#include "joren-staff.h"
#include "joren-sale.h"

G_BEGIN_DECLS

typedef void (*JorenChoiceFunc) (int      index,
                                 gpointer user_data);

/* Loads ui/style.css (once per display). */
void       joren_ui_init_style        (GdkDisplay *display);
/* Paints a button in a catalogue colour ("#e8a33d"); NULL or invalid: none. */
void       joren_ui_set_colour        (GtkWidget  *widget,
                                       const char *colour);
/* Removes every child of a GtkBox, GtkListBox, GtkFlowBox or GtkGrid. */
void       joren_ui_remove_all        (GtkWidget  *container);
/* A label with a style class, ready to pack. */
GtkWidget *joren_ui_label_new         (const char *text,
                                       const char *css_class,
                                       float       xalign);
/* Lets a label, or a button's label, wrap onto more lines when space is
 * short: a long translation makes it taller, not the window wider.
 * Returns widget. */
GtkWidget *joren_ui_wrap              (GtkWidget  *widget);
/* Sets a label to a formatted amount. */
void       joren_ui_set_money         (GtkLabel            *label,
                                       gint64               minor,
                                       const JorenCurrency *currency);
/* A modal question with a big OK and Cancel; func gets 0 on OK only. */
void       joren_ui_confirm           (GtkWidget       *parent,
                                       const char      *question,
                                       const char      *ok_label,
                                       JorenChoiceFunc  func,
                                       gpointer         user_data);
/* A modal list of big buttons and Cancel; func gets the index tapped
 * (not called on Cancel). */
void       joren_ui_choose            (GtkWidget        *parent,
                                       const char       *title,
                                       const char *const *labels,
                                       JorenChoiceFunc   func,
                                       gpointer          user_data);
typedef enum {
  JOREN_UI_DISCOUNT_PERCENT,
  JOREN_UI_DISCOUNT_AMOUNT,
} JorenUiDiscountMode;

/* Text typed on a keypad as a discount: "10" or "7.5" percent, or an
 * amount in the currency. */
gboolean    joren_ui_parse_discount   (const char          *text,
                                       JorenUiDiscountMode  mode,
                                       const JorenCurrency *currency,
                                       JorenDiscount       *out,
                                       GError             **error);
/* "-10%", "-¥100"; NULL when there is no discount. */
char       *joren_ui_format_discount  (const JorenDiscount *discount,
                                       const JorenCurrency *currency);
/* "Cashier", "Manager", "Owner", translated. */
const char *joren_ui_role_name        (JorenRole   role);
/* A modal window transient for parent's root, sized for touch. */
GtkWindow *joren_ui_dialog_new        (GtkWidget  *parent,
                                       const char *title);
/* What a committed sale did to its customer's points, read back from the
 * ledger, and the balance after it. */
typedef struct {
  gint64 earned;
  gint64 redeemed;
  gint64 balance;
} JorenUiSalePoints;

gboolean    joren_ui_get_sale_points  (JorenDb           *db,
                                       JorenSale         *sale,
                                       JorenUiSalePoints *out,
                                       GError           **error);
/* An opaque texture of an RGB24 or ARGB32 cairo image surface (the
 * receipt preview). */
GdkTexture *joren_ui_texture_new_for_surface (cairo_surface_t *surface);

G_END_DECLS
