/* joren-product-editor.h: the back office form for one product: name,
 * SKU, price, tax class, category, colour, barcodes, active. Saving goes
 * through joren_catalog_save_product (one transaction, barcodes included). */
#pragma once

#include <gtk/gtk.h>

#include "joren-catalog.h"

G_BEGIN_DECLS

#define JOREN_TYPE_PRODUCT_EDITOR (joren_product_editor_get_type ())
G_DECLARE_FINAL_TYPE (JorenProductEditor, joren_product_editor, JOREN, PRODUCT_EDITOR, GtkWindow)

/* product NULL: a new one. Emits "saved" after a successful save. */
JorenProductEditor *joren_product_editor_new (GtkWidget          *parent,
                                              JorenDb            *db,
                                              const JorenShop    *shop,
                                              const JorenProduct *product);

G_END_DECLS
