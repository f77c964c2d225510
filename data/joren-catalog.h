/* joren-catalog.h: products, their barcodes, categories and tax classes.
 * Built for a million products: nothing here loads the whole catalogue;
 * the touch grid pages through one category at a time. */
#pragma once

#include "joren-db.h"
#include "joren-barcode.h"

G_BEGIN_DECLS

struct _JorenTaxClass {
  gint64  id;
  char   *code;      /* "standard", "reduced" */
  char   *name;
  guint   rate_bp;
};

struct _JorenCategory {
  gint64   id;
  char    *name;
  char    *colour;   /* "#e8a33d" */
  gint     position;
  gboolean active;
};

typedef enum {
  JOREN_EMBED_NONE,
  JOREN_EMBED_PRICE,   /* in-store code carries the price */
  JOREN_EMBED_WEIGHT,  /* in-store code carries grams; price is per kg */
} JorenEmbedKind;

struct _JorenProduct {
  gint64          id;          /* 0 until saved */
  char           *sku;         /* may be NULL */
  char           *name;
  gint64          price;       /* minor units; per kg when EMBED_WEIGHT */
  gint64          tax_class_id;
  guint           rate_bp;     /* filled on load from the tax class */
  gint64          category_id; /* 0: none */
  char           *colour;      /* button colour, NULL: the category's */
  gboolean        active;
  gint            position;
  JorenEmbedKind  embed;
  GPtrArray      *barcodes;    /* char*; in-store products list their 7-digit key */
};

JorenProduct  *joren_product_new           (void);
JorenProduct  *joren_product_copy          (const JorenProduct *product);
void           joren_product_free          (JorenProduct *product);
void           joren_category_free         (JorenCategory *category);
void           joren_tax_class_free        (JorenTaxClass *tax_class);

GPtrArray     *joren_catalog_list_tax_classes (JorenDb *db, GError **error);
GPtrArray     *joren_catalog_list_categories  (JorenDb *db, gboolean include_inactive,
                                               GError **error);
gboolean       joren_catalog_save_category    (JorenDb *db, JorenCategory *category,
                                               GError **error);
/* category_id 0: all. search: NULL or a name prefix / SKU / barcode.
 * Ordered by position then name. */
GPtrArray     *joren_catalog_list_products    (JorenDb    *db,
                                               gint64      category_id,
                                               const char *search,
                                               gboolean    include_inactive,
                                               guint       offset,
                                               guint       limit,
                                               GError    **error);
JorenProduct  *joren_catalog_get_product      (JorenDb *db, gint64 id, GError **error);
/* Active products only. Tries the full code, then the in-store key.
 * NOT_FOUND with a cashier-readable message when nothing matches. */
JorenProduct  *joren_catalog_find_by_barcode  (JorenDb            *db,
                                               const JorenBarcode *barcode,
                                               GError            **error);
/* Insert (id 0) or update, barcodes included, in one transaction.
 * EXISTS when a barcode belongs to another product. */
gboolean       joren_catalog_save_product     (JorenDb *db, JorenProduct *product,
                                               GError **error);
gboolean       joren_catalog_set_product_active (JorenDb *db, gint64 id, gboolean active,
                                                 GError **error);

struct _JorenImportReport {
  guint      inserted;
  guint      updated;
  GPtrArray *errors;   /* char*: "line 12: price \"abc\" is not a number" */
};

void               joren_import_report_free   (JorenImportReport *report);
/* CSV with a header row: sku,name,price,tax,category,barcodes[,colour][,active]
 * (barcodes separated by '|' or ' '; tax is a tax class code or a rate
 * such as "8%"; price in the shop's currency format). Good rows are
 * imported (updated by sku when it exists) in one transaction; bad rows
 * are reported and skipped. */
JorenImportReport *joren_catalog_import_csv   (JorenDb    *db,
                                               const char *text,
                                               gssize      length,
                                               GError    **error);

/* Adds n synthetic products ("Item 0000042", JAN code 49 + number) over
 * the existing categories and tax classes: benchmarks and big-shop demos. */
gboolean           joren_catalog_generate     (JorenDb    *db,
                                               guint       n_products,
                                               GError    **error);
/* The barcode joren_catalog_generate gave product number n. */
void               joren_catalog_generated_barcode (guint n,
                                                    char  out[14]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenProduct, joren_product_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenImportReport, joren_import_report_free)

G_END_DECLS
