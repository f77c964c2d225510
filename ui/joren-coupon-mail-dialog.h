/* joren-coupon-mail-dialog.h: "E-mail codes to a segment" in the back
 * office's coupons. The owner picks a ready segment and edits the
 * message; the preview says how many customers with e-mail consent will
 * each get a code of their own (and who is left out) and shows a sample
 * message; Send issues and mails the codes in a worker thread while the
 * screen stays live, then shows how many were sent and which failed. The
 * run is kept in the promotions' send log. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-promotions-page.h"

G_BEGIN_DECLS

#define JOREN_TYPE_COUPON_MAIL_DIALOG (joren_coupon_mail_dialog_get_type ())
G_DECLARE_FINAL_TYPE (JorenCouponMailDialog, joren_coupon_mail_dialog, JOREN, COUPON_MAIL_DIALOG,
                      GtkWindow)

/* Opens the dialog over parent for the campaign; staff_id (0: nobody)
 * is logged as the sender. The first segment (all customers) is chosen
 * and previewed at once. */
JorenCouponMailDialog *joren_coupon_mail_dialog_new     (GtkWidget             *parent,
                                                         JorenDb               *db,
                                                         gint64                 campaign_id,
                                                         gint64                 staff_id);
/* The same as tapping the segment's button (JOREN_PROMOTIONS_TIER is not
 * offered). */
void        joren_coupon_mail_dialog_choose      (JorenCouponMailDialog  *self,
                                                  JorenPromotionsSegment  segment);
/* Recipients of the current preview; -1 while it is being worked out. */
gint64      joren_coupon_mail_dialog_get_count   (JorenCouponMailDialog  *self);
/* TRUE while the codes are being sent. */
gboolean    joren_coupon_mail_dialog_is_sending  (JorenCouponMailDialog  *self);
/* What the dialog says after a send ("" before). */
const char *joren_coupon_mail_dialog_get_result  (JorenCouponMailDialog  *self);

G_END_DECLS
