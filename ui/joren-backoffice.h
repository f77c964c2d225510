/* joren-backoffice.h: the owner's and manager's pages, one section each
 * in a sidebar: reports, end of day, customers, promotions, loyalty,
 * vouchers & accounts, products (search, paging, categories, CSV import),
 * staff and the receipt printer. Only shown to roles with BACK_OFFICE; the
 * staff section only to roles with MANAGE_STAFF. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-staff.h"

G_BEGIN_DECLS

#define JOREN_TYPE_BACKOFFICE (joren_backoffice_get_type ())
G_DECLARE_FINAL_TYPE (JorenBackoffice, joren_backoffice, JOREN, BACKOFFICE, GtkWidget)

/* Products shown per page of the list. */
#define JOREN_BACKOFFICE_PAGE 50

GtkWidget *joren_backoffice_new    (void);
/* (Re)loads the lists from db. */
void       joren_backoffice_set_db (JorenBackoffice *self,
                                    JorenDb         *db,
                                    const JorenShop *shop);
/* Who is signed in (NULL: nobody): what the pages write to the audit log
 * under, and whether the staff section is offered (MANAGE_STAFF). */
void       joren_backoffice_set_staff (JorenBackoffice  *self,
                                       const JorenStaff *staff);
/* Imports CSV text and shows the report (the file chooser calls this). */
void       joren_backoffice_import (JorenBackoffice *self,
                                    const char      *text,
                                    gssize           length);
/* Shows a section by name: "reports", "endofday", "customers",
 * "promotions", "loyalty", "value", "products", "staff", "printer". A
 * section hidden from the signed-in role stays hidden. */
void       joren_backoffice_show_section         (JorenBackoffice *self,
                                                  const char      *section);
/* The widget of a section ("reports", "endofday", "staff"...), or NULL. */
GtkWidget *joren_backoffice_get_section          (JorenBackoffice *self,
                                                  const char      *section);
/* The JorenPrinterSettings in the "printer" section. */
GtkWidget *joren_backoffice_get_printer_settings (JorenBackoffice *self);

G_END_DECLS
