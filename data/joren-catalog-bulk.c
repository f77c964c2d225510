/* joren-catalog-bulk.c: a synthetic catalogue of any size, for the
 * benchmarks and for trying the register with a wholesaler's million
 * products. Rows go in through cached statements in batches of 50,000 per
 * transaction: one transaction per product would spend ~0.25 ms on each
 * FULL fsync, a batch spends it once. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-barcode.h"
#include "joren-catalog.h"
#include "joren-db-private.h"

#define BATCH_SIZE 50000

static gint64
pick_id (GPtrArray *rows,
         guint      n)
{
  /* Both lists hold structs that start with their gint64 id. */
  return rows->len ? *(gint64 *) g_ptr_array_index (rows, n % rows->len) : 0;
}

/* "49" + 10 digits + check: a JAN code that cannot clash with the demo's. */
void
joren_catalog_generated_barcode (guint n,
                                 char  out[14])
{
  g_snprintf (out, 14, "49%010u", n);
  out[12] = '0' + joren_ean_check_digit (out, 12);
  out[13] = '\0';
}

static gboolean
insert_one (JorenDb   *db,
            guint      n,
            gint64     category_id,
            gint64     tax_class_id,
            GError   **error)
{
  g_autoptr(JorenStmt) product = NULL;
  g_autoptr(JorenStmt) barcode = NULL;
  char name[32], code[14];

  product = joren_db_prepare (db,
      "INSERT INTO products (sku, name, price, tax_class_id, category_id, position) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (product == NULL)
    return FALSE;
  g_snprintf (name, sizeof name, "Item %07u", n);
  joren_catalog_generated_barcode (n, code);
  sqlite3_bind_text (product, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (product, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (product, 3, 100 + (n * 37) % 4900);
  sqlite3_bind_int64 (product, 4, tax_class_id);
  joren_db_bind_id_or_null (product, 5, category_id);
  sqlite3_bind_int (product, 6, 1000 + (int) (n % 1000));
  if (!joren_db_step_done (db, product, _("Could not save the product."), error))
    return FALSE;

  barcode = joren_db_prepare (db,
      "INSERT INTO barcodes (code, product_id) VALUES (?1, last_insert_rowid ())",
      error);
  if (barcode == NULL)
    return FALSE;
  sqlite3_bind_text (barcode, 1, code, -1, SQLITE_TRANSIENT);
  return joren_db_step_done (db, barcode, _("Could not save the product."), error);
}

gboolean
joren_catalog_generate (JorenDb  *db,
                        guint     n_products,
                        GError  **error)
{
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) tax_classes = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  categories = joren_catalog_list_categories (db, FALSE, error);
  if (categories == NULL)
    return FALSE;
  tax_classes = joren_catalog_list_tax_classes (db, error);
  if (tax_classes == NULL)
    return FALSE;
  if (tax_classes->len == 0)
    return g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                                _("The shop has no tax classes yet.")), FALSE;

  for (guint start = 0; start < n_products; start += BATCH_SIZE)
    {
      guint end = MIN (n_products, start + BATCH_SIZE);

      if (!joren_db_begin (db, error))
        return FALSE;
      for (guint n = start; n < end; n++)
        if (!insert_one (db, n, pick_id (categories, n), pick_id (tax_classes, n), error))
          {
            joren_db_rollback (db);
            return FALSE;
          }
      if (!joren_db_commit (db, error))
        return FALSE;
    }
  return TRUE;
}
