/* joren-promotions-page.h: the back office's Promotions section: a ready
 * segment (best customers, lapsed, birthdays this month, first-time
 * visitors, a tier) narrowed by a simple filter, the count shown as it
 * changes, a channel (e-mail, postcards, address labels) and a template,
 * a preview of the first messages with who is left out and why, a send
 * that runs in a worker thread, and the send log. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"

G_BEGIN_DECLS

#define JOREN_TYPE_PROMOTIONS_PAGE (joren_promotions_page_get_type ())
G_DECLARE_FINAL_TYPE (JorenPromotionsPage, joren_promotions_page, JOREN, PROMOTIONS_PAGE, GtkWidget)

typedef enum {
  JOREN_PROMOTIONS_ALL,
  JOREN_PROMOTIONS_BEST,
  JOREN_PROMOTIONS_LAPSED,
  JOREN_PROMOTIONS_BIRTHDAYS,
  JOREN_PROMOTIONS_FIRST_TIME,
  JOREN_PROMOTIONS_TIER,
} JorenPromotionsSegment;

GtkWidget *joren_promotions_page_new         (void);
void       joren_promotions_page_set_db      (JorenPromotionsPage   *self,
                                              JorenDb               *db);
void       joren_promotions_page_set_staff   (JorenPromotionsPage   *self,
                                              gint64                 staff_id);
/* The same as tapping the segment's button. */
void       joren_promotions_page_choose      (JorenPromotionsPage   *self,
                                              JorenPromotionsSegment segment);
/* The live count shown (G_MAXUINT64 while it is being counted). */
guint64    joren_promotions_page_get_count   (JorenPromotionsPage   *self);
/* Sets the template (subject may be NULL for paper). */
void       joren_promotions_page_set_template (JorenPromotionsPage *self,
                                               const char          *subject,
                                               const char          *body);
/* What Preview does; the number of recipients, or -1 on error. */
gint64     joren_promotions_page_preview     (JorenPromotionsPage   *self);

G_END_DECLS
