/* joren-refund-dialog.h: which lines of a receipt, and how many of each,
 * go back. Works on a refund prepared by joren_db_prepare_refund, which
 * already knows what was refunded before. */
#pragma once

#include <gtk/gtk.h>

#include "joren-sale.h"

G_BEGIN_DECLS

typedef void (*JorenRefundFunc) (JorenSale *refund,
                                 gpointer   user_data);

/* func gets the refund with its lines added (at least one). */
void joren_refund_dialog_run (GtkWidget       *parent,
                              JorenSale       *refund,
                              JorenRefundFunc  func,
                              gpointer         user_data);

G_END_DECLS
