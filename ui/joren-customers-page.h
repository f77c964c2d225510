/* joren-customers-page.h: the back office's Customers section: search by
 * name, reading, phone (or its last 4 digits) or card; the birthdays of
 * the month; a customer's details, history (visits, spend, points
 * ledger), edit, merge of a duplicate, export of their data as JSON and
 * anonymising on request. Every look at a customer's data, and each of
 * these actions, is written to the audit log with the staff member. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"

G_BEGIN_DECLS

#define JOREN_TYPE_CUSTOMERS_PAGE (joren_customers_page_get_type ())
G_DECLARE_FINAL_TYPE (JorenCustomersPage, joren_customers_page, JOREN, CUSTOMERS_PAGE, GtkWidget)

GtkWidget *joren_customers_page_new          (void);
void       joren_customers_page_set_db       (JorenCustomersPage *self,
                                              JorenDb            *db);
/* Who the audit log names (0: unknown). */
void       joren_customers_page_set_staff    (JorenCustomersPage *self,
                                              gint64              staff_id);
/* Selects (and views, logged) the customer in the list; FALSE if absent. */
gboolean   joren_customers_page_select       (JorenCustomersPage *self,
                                              gint64              customer_id);
/* Selects the index-th row of the list; FALSE past its end. */
gboolean   joren_customers_page_select_row   (JorenCustomersPage *self,
                                              guint               index);
gint64     joren_customers_page_get_selected (JorenCustomersPage *self);
guint      joren_customers_page_get_n_rows   (JorenCustomersPage *self);
/* Writes the selected customer's data (JSON) to path; logged. */
gboolean   joren_customers_page_export_to    (JorenCustomersPage *self,
                                              const char         *path,
                                              GError            **error);

G_END_DECLS
