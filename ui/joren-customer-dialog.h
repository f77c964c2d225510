/* joren-customer-dialog.h: finding a customer at the till. A keypad for
 * the phone number or its last four digits, a text field for the name or
 * its reading (the input method gives kana), and the matches as big rows
 * to tap. "New customer" opens the quick registration instead. */
#pragma once

#include <gtk/gtk.h>

#include "joren-customer.h"

G_BEGIN_DECLS

#define JOREN_TYPE_CUSTOMER_DIALOG (joren_customer_dialog_get_type ())
G_DECLARE_FINAL_TYPE (JorenCustomerDialog, joren_customer_dialog, JOREN, CUSTOMER_DIALOG, GtkWindow)

/* The customer chosen (or just registered); borrowed for the call. */
typedef void (*JorenCustomerFunc) (const JorenCustomer *customer,
                                   gpointer             user_data);

/* Opens the dialog over parent; func is called once a customer is picked
 * and the dialog closes. */
JorenCustomerDialog *joren_customer_dialog_run     (GtkWidget         *parent,
                                                    JorenDb           *db,
                                                    JorenCustomerFunc  func,
                                                    gpointer           user_data);
/* As if digits were typed on the keypad and "Find by phone" tapped. */
void                 joren_customer_dialog_search_phone (JorenCustomerDialog *self,
                                                         const char          *digits);
/* Matches on screen (tests). */
guint                joren_customer_dialog_get_n_results (JorenCustomerDialog *self);

G_END_DECLS
