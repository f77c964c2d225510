/* joren-customer-form.h: quick registration at the counter: phone on a
 * keypad, name, reading, birthday, and the card just scanned. A phone
 * number another member has is never merged: the form names that member
 * and asks "Register anyway" before it adds a second customer. */
#pragma once

#include <gtk/gtk.h>

#include "joren-customer-dialog.h"

G_BEGIN_DECLS

#define JOREN_TYPE_CUSTOMER_FORM (joren_customer_form_get_type ())
G_DECLARE_FINAL_TYPE (JorenCustomerForm, joren_customer_form, JOREN, CUSTOMER_FORM, GtkWindow)

/* card, phone: prefilled, may be NULL. func gets the new customer. */
JorenCustomerForm *joren_customer_form_run (GtkWidget         *parent,
                                            JorenDb           *db,
                                            const char        *card,
                                            const char        *phone,
                                            JorenCustomerFunc  func,
                                            gpointer           user_data);

G_END_DECLS
