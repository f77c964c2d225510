/* joren-backoffice.h: the owner's page: products (search by name, SKU or
 * barcode, paged, add/edit/deactivate), categories (add, rename), CSV
 * import with its report, and the receipt printer's settings. Only shown to roles with BACK_OFFICE. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"

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
/* Imports CSV text and shows the report (the file chooser calls this). */
void       joren_backoffice_import (JorenBackoffice *self,
                                    const char      *text,
                                    gssize           length);
/* "products" or "printer". */
void       joren_backoffice_show_section         (JorenBackoffice *self,
                                                  const char      *section);
/* The widget of a section ("reports", "endofday", "staff"...), or NULL. */
GtkWidget *joren_backoffice_get_section          (JorenBackoffice *self,
                                                  const char      *section);
/* The JorenPrinterSettings in the "printer" section. */
GtkWidget *joren_backoffice_get_printer_settings (JorenBackoffice *self);

G_END_DECLS
