/* joren-tender-view.h: taking the money: amount due, quick cash buttons,
 * a keypad for the amount handed over, Cash/Card/Other and, for a member
 * with a balance, Points (split tenders allowed), then the commit and the
 * change, very large, with the points earned and the new balance. The sale is
 * committed here; a failed commit leaves it on screen, unpaid, not lost. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-sale.h"

G_BEGIN_DECLS

#define JOREN_TYPE_TENDER_VIEW (joren_tender_view_get_type ())
G_DECLARE_FINAL_TYPE (JorenTenderView, joren_tender_view, JOREN, TENDER_VIEW, GtkWidget)

GtkWidget *joren_tender_view_new     (void);
/* Starts taking payment for sale (tenders already on it are kept). */
void       joren_tender_view_begin   (JorenTenderView *self,
                                      JorenDb         *db,
                                      JorenSale       *sale,
                                      gint64           cash_session_id);
/* TRUE while the change of a committed sale is on screen. */
gboolean   joren_tender_view_is_done (JorenTenderView *self);
/* The sale being paid, or the one just committed while is_done. */
JorenSale *joren_tender_view_get_sale (JorenTenderView *self);
/* The printed receipt as an image beside the change; NULL hides it. */
void          joren_tender_view_set_preview (JorenTenderView *self,
                                             GdkPaintable    *preview);
GdkPaintable *joren_tender_view_get_preview (JorenTenderView *self);

G_END_DECLS
