/* joren-loyalty-settings.h: the back office's Loyalty page: the points
 * rates (earn, redeem, minimum, expiry), tiers, earning rules, count-card
 * products, stamp programmes, and a manual grant of points to a customer
 * that a manager or the owner confirms with their PIN. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-customer.h"

G_BEGIN_DECLS

#define JOREN_TYPE_LOYALTY_SETTINGS (joren_loyalty_settings_get_type ())
G_DECLARE_FINAL_TYPE (JorenLoyaltySettings, joren_loyalty_settings, JOREN, LOYALTY_SETTINGS, GtkWidget)

GtkWidget *joren_loyalty_settings_new      (void);
/* Shows what db holds. */
void       joren_loyalty_settings_set_db   (JorenLoyaltySettings *self,
                                            JorenDb              *db);
/* Finds the customer for a grant by card code, phone (or its last four
 * digits) or name; NULL with a message when nobody matches. */
JorenCustomer *joren_loyalty_settings_find_customer (JorenDb     *db,
                                                     const char  *text,
                                                     GError     **error);

G_END_DECLS
