/* joren-customer-editor.h: the back office's full edit of a customer:
 * the fields the quick registration at the counter leaves out (e-mail,
 * postal address, the three consents, notes) next to name, reading,
 * phone and birthday. Consent is what promotions obey, so it is set
 * here, one switch per channel. */
#pragma once

#include <gtk/gtk.h>

#include "joren-customer-dialog.h"

G_BEGIN_DECLS

/* Opens the editor for a copy of customer; func gets the saved record. */
GtkWindow *joren_customer_editor_run (GtkWidget           *parent,
                                      JorenDb             *db,
                                      const JorenCustomer *customer,
                                      JorenCustomerFunc    func,
                                      gpointer             user_data);

G_END_DECLS
