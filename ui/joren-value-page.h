/* joren-value-page.h: the back office's "Vouchers & accounts" page: the
 * outstanding liability on vouchers and cards, the vouchers and cards
 * with their ledgers, the debtors (mark paid, invoice as PDF or by
 * e-mail), e-coupon campaigns and their codes, and the store's limits. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-shop.h"

G_BEGIN_DECLS

#define JOREN_TYPE_VALUE_PAGE (joren_value_page_get_type ())
G_DECLARE_FINAL_TYPE (JorenValuePage, joren_value_page, JOREN, VALUE_PAGE, GtkWidget)

/* Setting: the folder invoice PDFs are saved in (default: Documents). */
#define JOREN_SETTING_INVOICE_DIR "invoice.dir"

GtkWidget  *joren_value_page_new        (void);
/* Shows what db holds. */
void        joren_value_page_set_db     (JorenValuePage  *self,
                                         JorenDb         *db,
                                         const JorenShop *shop);
/* Who is signed in (0: nobody): e-mailed invoices are logged as theirs. */
void        joren_value_page_set_staff  (JorenValuePage  *self,
                                         gint64           staff_id);
/* Reads everything again (after sales on the till). */
void        joren_value_page_reload     (JorenValuePage *self);
/* The last message the page showed (saved PDF path, errors), or "". */
const char *joren_value_page_get_status (JorenValuePage *self);

G_END_DECLS
