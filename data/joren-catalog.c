/* joren-catalog.c: products, barcodes, categories and tax classes in
 * SQLite. Every query is bounded: the touch grid pages through one
 * category, the search box uses an index range on the name (never LIKE,
 * which cannot use the index), and a scan is one primary-key lookup in
 * the barcodes table, so a million products cost no more at the till
 * than a hundred. The CSV import lives in joren-catalog-import.c. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-catalog.h"
#include "joren-db-private.h"

/* --- boxed values --------------------------------------------------- */

JorenProduct *
joren_product_new (void)
{
  JorenProduct *product = g_new0 (JorenProduct, 1);

  product->active = TRUE;
  product->barcodes = g_ptr_array_new_with_free_func (g_free);
  return product;
}

JorenProduct *
joren_product_copy (const JorenProduct *product)
{
  JorenProduct *copy;

  g_return_val_if_fail (product != NULL, NULL);

  copy = g_memdup2 (product, sizeof *product);
  copy->sku = g_strdup (product->sku);
  copy->name = g_strdup (product->name);
  copy->colour = g_strdup (product->colour);
  copy->barcodes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; product->barcodes != NULL && i < product->barcodes->len; i++)
    g_ptr_array_add (copy->barcodes, g_strdup (g_ptr_array_index (product->barcodes, i)));
  return copy;
}

void
joren_product_free (JorenProduct *product)
{
  if (product == NULL)
    return;
  g_free (product->sku);
  g_free (product->name);
  g_free (product->colour);
  g_clear_pointer (&product->barcodes, g_ptr_array_unref);
  g_free (product);
}

void
joren_category_free (JorenCategory *category)
{
  if (category == NULL)
    return;
  g_free (category->name);
  g_free (category->colour);
  g_free (category);
}

void
joren_tax_class_free (JorenTaxClass *tax_class)
{
  if (tax_class == NULL)
    return;
  g_free (tax_class->code);
  g_free (tax_class->name);
  g_free (tax_class);
}

/* --- reading -------------------------------------------------------- */

typedef gpointer (*RowFunc) (sqlite3_stmt *stmt);

/* Steps a bound statement to the end, one object per row. */
static GPtrArray *
collect_rows (JorenDb        *db,
              JorenStmt      *stmt,
              RowFunc         from_row,
              GDestroyNotify  free_func,
              GError        **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the product list."), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gpointer
tax_class_from_row (sqlite3_stmt *stmt)
{
  JorenTaxClass *tax_class = g_new0 (JorenTaxClass, 1);

  tax_class->id = sqlite3_column_int64 (stmt, 0);
  tax_class->code = joren_db_column_dup_text (stmt, 1);
  tax_class->name = joren_db_column_dup_text (stmt, 2);
  tax_class->rate_bp = (guint) sqlite3_column_int (stmt, 3);
  return tax_class;
}

GPtrArray *
joren_catalog_list_tax_classes (JorenDb  *db,
                                GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT id, code, name, rate_bp FROM tax_classes"
                               " ORDER BY rate_bp DESC, id", error);
  if (stmt == NULL)
    return NULL;
  return collect_rows (db, stmt, tax_class_from_row,
                       (GDestroyNotify) joren_tax_class_free, error);
}

static gpointer
category_from_row (sqlite3_stmt *stmt)
{
  JorenCategory *category = g_new0 (JorenCategory, 1);

  category->id = sqlite3_column_int64 (stmt, 0);
  category->name = joren_db_column_dup_text (stmt, 1);
  category->colour = joren_db_column_dup_text (stmt, 2);
  category->position = sqlite3_column_int (stmt, 3);
  category->active = sqlite3_column_int (stmt, 4) != 0;
  return category;
}

GPtrArray *
joren_catalog_list_categories (JorenDb   *db,
                               gboolean   include_inactive,
                               GError   **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT id, name, colour, position, active FROM categories"
                               " WHERE ?1 OR active ORDER BY position, name", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_inactive);
  return collect_rows (db, stmt, category_from_row,
                       (GDestroyNotify) joren_category_free, error);
}

static const char * const embed_names[] = { "none", "price", "weight" };

static JorenEmbedKind
embed_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (embed_names); i++)
    if (g_strcmp0 (text, embed_names[i]) == 0)
      return (JorenEmbedKind) i;
  return JOREN_EMBED_NONE;
}

#define PRODUCT_SELECT \
  "SELECT p.id, p.sku, p.name, p.price, p.tax_class_id, t.rate_bp, p.category_id," \
  " p.colour, p.active, p.position, p.embed" \
  " FROM products p JOIN tax_classes t ON t.id = p.tax_class_id "

static gpointer
product_from_row (sqlite3_stmt *stmt)
{
  JorenProduct *product = joren_product_new ();

  product->id = sqlite3_column_int64 (stmt, 0);
  product->sku = joren_db_column_dup_text (stmt, 1);
  product->name = joren_db_column_dup_text (stmt, 2);
  product->price = sqlite3_column_int64 (stmt, 3);
  product->tax_class_id = sqlite3_column_int64 (stmt, 4);
  product->rate_bp = (guint) sqlite3_column_int (stmt, 5);
  product->category_id = sqlite3_column_int64 (stmt, 6);
  product->colour = joren_db_column_dup_text (stmt, 7);
  product->active = sqlite3_column_int (stmt, 8) != 0;
  product->position = sqlite3_column_int (stmt, 9);
  product->embed = embed_from_string ((const char *) sqlite3_column_text (stmt, 10));
  return product;
}

static gboolean
load_barcodes (JorenDb       *db,
               JorenProduct  *product,
               GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT code FROM barcodes WHERE product_id = ? ORDER BY code",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (product->barcodes, joren_db_column_dup_text (stmt, 0));
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not read the product's barcodes."), error);
}

/* Products from a bound statement, with their barcodes. */
static GPtrArray *
collect_products (JorenDb    *db,
                  JorenStmt  *stmt,
                  GError    **error)
{
  g_autoptr(GPtrArray) list = collect_rows (db, stmt, product_from_row,
                                            (GDestroyNotify) joren_product_free, error);

  for (guint i = 0; list != NULL && i < list->len; i++)
    if (!load_barcodes (db, g_ptr_array_index (list, i), error))
      return NULL;
  return g_steal_pointer (&list);
}

/* Three shapes so each can use its own index: one category's grid
 * (products_grid), everything (products_order), or a search. */
static const char *
list_products_sql (gint64      category_id,
                   const char *search)
{
  if (search != NULL)
    return PRODUCT_SELECT
      "WHERE p.id IN (SELECT id FROM products"
      "               WHERE name >= ?3 COLLATE NOCASE AND name < ?4 COLLATE NOCASE"
      "               UNION SELECT id FROM products WHERE sku = ?3"
      "               UNION SELECT product_id FROM barcodes WHERE code = ?3)"
      " AND (?1 = 0 OR p.category_id = ?1) AND (?2 OR p.active)"
      " ORDER BY p.position, p.name, p.id LIMIT ?5 OFFSET ?6";
  if (category_id != 0)
    return PRODUCT_SELECT
      "WHERE p.category_id = ?1 AND (?2 OR p.active)"
      " ORDER BY p.position, p.name, p.id LIMIT ?5 OFFSET ?6";
  return PRODUCT_SELECT
    "WHERE (?2 OR p.active) ORDER BY p.position, p.name, p.id LIMIT ?5 OFFSET ?6";
}

GPtrArray *
joren_catalog_list_products (JorenDb     *db,
                             gint64       category_id,
                             const char  *search,
                             gboolean     include_inactive,
                             guint        offset,
                             guint        limit,
                             GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *upper = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  needle = search != NULL ? g_strstrip (g_strdup (search)) : NULL;
  if (needle != NULL && *needle == '\0')
    g_clear_pointer (&needle, g_free);
  stmt = joren_db_prepare (db, list_products_sql (category_id, needle), error);
  if (stmt == NULL)
    return NULL;
  /* 0xff never occurs in UTF-8, so needle + 0xff sorts after every name
   * that starts with needle: [needle, upper) is the prefix range. */
  upper = g_strconcat (needle != NULL ? needle : "", "\xff", NULL);
  sqlite3_bind_int64 (stmt, 1, category_id);
  sqlite3_bind_int (stmt, 2, include_inactive);
  joren_db_bind_text_or_null (stmt, 3, needle);
  sqlite3_bind_text (stmt, 4, upper, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 6, offset);
  return collect_products (db, stmt, error);
}

/* The one product a bound statement finds, or NULL without error. */
static JorenProduct *
fetch_product (JorenDb    *db,
               JorenStmt  *stmt,
               GError    **error)
{
  g_autoptr(GPtrArray) list = collect_products (db, stmt, error);

  if (list == NULL || list->len == 0)
    return NULL;
  return g_ptr_array_steal_index (list, 0);
}

JorenProduct *
joren_catalog_get_product (JorenDb  *db,
                           gint64    id,
                           GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  JorenProduct *product;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, PRODUCT_SELECT "WHERE p.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  product = fetch_product (db, stmt, &local_error);
  if (product == NULL && local_error == NULL)
    g_set_error (&local_error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                 _("This product does not exist any more."));
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return product;
}

static JorenProduct *
find_by_code (JorenDb     *db,
              const char  *code,
              GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, PRODUCT_SELECT
                           "WHERE p.id = (SELECT product_id FROM barcodes WHERE code = ?)",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  return fetch_product (db, stmt, error);
}

JorenProduct *
joren_catalog_find_by_barcode (JorenDb             *db,
                               const JorenBarcode  *barcode,
                               GError             **error)
{
  g_autoptr(JorenProduct) product = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (barcode != NULL, NULL);

  product = find_by_code (db, barcode->code, &local_error);
  if (product == NULL && local_error == NULL && barcode->in_store)
    product = find_by_code (db, barcode->item_key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (product == NULL)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                 _("No product has the barcode %s. Check the item or enter it by hand."),
                 barcode->code);
  else if (!product->active)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                 _("“%s” is no longer sold. Ask a manager."), product->name);
  else
    return g_steal_pointer (&product);
  return NULL;
}

/* --- writing -------------------------------------------------------- */

gboolean
joren_catalog_save_category (JorenDb        *db,
                             JorenCategory  *category,
                             GError        **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (category != NULL, FALSE);

  name = g_strstrip (g_strdup (category->name != NULL ? category->name : ""));
  if (*name == '\0')
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Enter a name for the category."));
      return FALSE;
    }
  if (category->id == 0)
    stmt = joren_db_prepare (db, "INSERT INTO categories (name, colour, position, active)"
                                 " VALUES (?2, ?3, ?4, ?5)", error);
  else
    stmt = joren_db_prepare (db, "UPDATE categories SET name = ?2, colour = ?3,"
                                 " position = ?4, active = ?5 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, category->id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  joren_db_bind_text_or_null (stmt, 3, category->colour);
  sqlite3_bind_int (stmt, 4, category->position);
  sqlite3_bind_int (stmt, 5, category->active);
  if (!joren_db_step_done (db, stmt, _("Could not save the category."), error))
    return FALSE;
  if (category->id == 0)
    category->id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  return TRUE;
}

/* An in-store product lists its 7-digit key ("2012345"); anything else
 * must scan as a valid code and is stored normalised (UPC-A as EAN-13). */
static char *
normalise_barcode (const JorenProduct  *product,
                   const char          *code,
                   GError             **error)
{
  g_autoptr(GError) parse_error = NULL;
  JorenBarcode barcode;

  if (product->embed != JOREN_EMBED_NONE && strlen (code) == 7
      && strspn (code, "0123456789") == 7
      && (code[0] == '2' || (code[0] == '0' && code[1] == '2')))
    return g_strdup (code);
  if (joren_barcode_parse (code, &barcode, &parse_error))
    return g_strdup (barcode.code);
  /* The parser's message already names the code and what is wrong. */
  g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID, parse_error->message);
  return NULL;
}

/* Names the product that already owns a value, or NULL. */
static char *
find_owner (JorenDb     *db,
            const char  *sql,
            const char  *value,
            gint64       product_id,
            GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, product_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not check the barcode."), error)
      || !has_row)
    return NULL;
  return joren_db_column_dup_text (stmt, 0);
}

static gboolean
check_barcode_free (JorenDb     *db,
                    const char  *code,
                    gint64       product_id,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *owner = find_owner (db,
                                       "SELECT p.name FROM barcodes b JOIN products p"
                                       " ON p.id = b.product_id"
                                       " WHERE b.code = ?1 AND b.product_id <> ?2",
                                       code, product_id, &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (owner != NULL)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
                 _("Barcode %s already belongs to “%s”."), code, owner);
  return local_error == NULL && owner == NULL;
}

static gboolean
check_sku_free (JorenDb     *db,
                const char  *sku,
                gint64       product_id,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *owner = NULL;

  if (sku == NULL)
    return TRUE;
  owner = find_owner (db, "SELECT name FROM products WHERE sku = ?1 AND id <> ?2",
                      sku, product_id, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (owner != NULL)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
                 _("The SKU %s is already used by “%s”."), sku, owner);
  return local_error == NULL && owner == NULL;
}

static gboolean
fill_tax_rate (JorenDb       *db,
               JorenProduct  *product,
               GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db, "SELECT rate_bp FROM tax_classes WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product->tax_class_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the tax classes."), error))
    return FALSE;
  if (has_row)
    {
      product->rate_bp = (guint) sqlite3_column_int (stmt, 0);
      return TRUE;
    }
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("Choose a tax class for “%s”."), product->name);
  return FALSE;
}

static gboolean
validate_product (JorenDb       *db,
                  JorenProduct  *product,
                  GError       **error)
{
  if (product->sku != NULL && *g_strstrip (product->sku) == '\0')
    g_clear_pointer (&product->sku, g_free);
  if (product->name == NULL || *g_strstrip (product->name) == '\0')
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Enter a name for the product."));
      return FALSE;
    }
  if (product->price < 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("The price of “%s” cannot be negative."), product->name);
      return FALSE;
    }
  return fill_tax_rate (db, product, error)
         && check_sku_free (db, product->sku, product->id, error);
}

static gboolean
write_product_row (JorenDb       *db,
                   JorenProduct  *product,
                   GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  const char *doing = _("Could not save the product.");

  if (product->id == 0)
    stmt = joren_db_prepare (db, "INSERT INTO products (sku, name, price, tax_class_id,"
                                 " category_id, colour, active, position, embed)"
                                 " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  else
    stmt = joren_db_prepare (db, "UPDATE products SET sku = ?2, name = ?3, price = ?4,"
                                 " tax_class_id = ?5, category_id = ?6, colour = ?7,"
                                 " active = ?8, position = ?9, embed = ?10 WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product->id);
  joren_db_bind_text_or_null (stmt, 2, product->sku);
  sqlite3_bind_text (stmt, 3, product->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, product->price);
  sqlite3_bind_int64 (stmt, 5, product->tax_class_id);
  joren_db_bind_id_or_null (stmt, 6, product->category_id);
  joren_db_bind_text_or_null (stmt, 7, product->colour);
  sqlite3_bind_int (stmt, 8, product->active);
  sqlite3_bind_int (stmt, 9, product->position);
  sqlite3_bind_text (stmt, 10, embed_names[product->embed], -1, SQLITE_STATIC);
  if (!joren_db_step_done (db, stmt, doing, error))
    return FALSE;
  if (product->id == 0)
    product->id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  else if (sqlite3_changes (joren_db_get_handle (db)) == 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("This product does not exist any more."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
bind_and_run (JorenDb     *db,
              const char  *sql,
              gint64       product_id,
              const char  *code,
              GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  joren_db_bind_text_or_null (stmt, 2, code);
  return joren_db_step_done (db, stmt, _("Could not save the product's barcodes."), error);
}

/* Replaces the product's barcodes with its list, normalised. */
static gboolean
write_barcodes (JorenDb       *db,
                JorenProduct  *product,
                GError       **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; product->barcodes != NULL && i < product->barcodes->len; i++)
    {
      char *code = normalise_barcode (product, g_ptr_array_index (product->barcodes, i), error);

      if (code == NULL)
        return FALSE;
      g_ptr_array_add (codes, code);
      if (!check_barcode_free (db, code, product->id, error))
        return FALSE;
    }
  if (!bind_and_run (db, "DELETE FROM barcodes WHERE product_id = ?1", product->id, NULL, error))
    return FALSE;
  for (guint i = 0; i < codes->len; i++)
    if (!bind_and_run (db, "INSERT INTO barcodes (product_id, code) VALUES (?1, ?2)"
                           " ON CONFLICT (code) DO NOTHING",
                       product->id, g_ptr_array_index (codes, i), error))
      return FALSE;
  g_clear_pointer (&product->barcodes, g_ptr_array_unref);
  product->barcodes = g_steal_pointer (&codes);
  return TRUE;
}

gboolean
joren_catalog_store_product (JorenDb       *db,
                             JorenProduct  *product,
                             GError       **error)
{
  gint64 old_id = product->id;

  g_assert ((guint) product->embed < G_N_ELEMENTS (embed_names));

  if (validate_product (db, product, error)
      && write_product_row (db, product, error)
      && write_barcodes (db, product, error))
    return TRUE;
  product->id = old_id;   /* the insert is rolled back by the caller */
  return FALSE;
}

gboolean
joren_catalog_save_product (JorenDb       *db,
                            JorenProduct  *product,
                            GError       **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (product != NULL, FALSE);
  g_return_val_if_fail ((guint) product->embed < G_N_ELEMENTS (embed_names), FALSE);

  if (!joren_db_begin (db, error))
    return FALSE;
  if (joren_catalog_store_product (db, product, error))
    return joren_db_commit (db, error);
  joren_db_rollback (db);
  return FALSE;
}

gboolean
joren_catalog_set_product_active (JorenDb   *db,
                                  gint64     id,
                                  gboolean   active,
                                  GError   **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  stmt = joren_db_prepare (db, "UPDATE products SET active = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, active);
  if (!joren_db_step_done (db, stmt, _("Could not save the product."), error))
    return FALSE;
  if (sqlite3_changes (joren_db_get_handle (db)) > 0)
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
               _("This product does not exist any more."));
  return FALSE;
}
