/* joren-catalog-import.c: the product CSV import. Shops export their
 * catalogue from spreadsheets, so the reader follows RFC 4180 (quoted
 * fields, doubled quotes, commas and line breaks inside quotes) and the
 * header row may name the columns in any order. Each row is checked and
 * stored under its own savepoint: a bad row is reported with its line
 * number and skipped, and the good rows commit together. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-catalog.h"
#include "joren-db-private.h"

typedef enum {
  COL_SKU,
  COL_NAME,
  COL_PRICE,
  COL_TAX,
  COL_CATEGORY,
  COL_BARCODES,
  COL_COLOUR,
  COL_ACTIVE,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS] = {
  "sku", "name", "price", "tax", "category", "barcodes", "colour", "active",
};

typedef struct {
  JorenDb             *db;
  const JorenCurrency *currency;
  GPtrArray           *tax_classes;
  int                  columns[N_COLUMNS];   /* field index, -1: absent */
  JorenImportReport   *report;
} Import;

void
joren_import_report_free (JorenImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->errors, g_ptr_array_unref);
  g_free (report);
}

/* --- RFC 4180 reader ------------------------------------------------ */

typedef struct {
  const char *p;
  const char *end;
  guint       line;   /* physical line of p, from 1 */
} CsvReader;

static void
push_field (GPtrArray *fields,
            GString   *field)
{
  g_ptr_array_add (fields, g_strdup (field->str));
  g_string_truncate (field, 0);
}

/* Reads one record. FALSE at the end of the text; an unclosed quote
 * swallows the rest of the text and sets error. */
static gboolean
csv_read_record (CsvReader  *reader,
                 GPtrArray  *fields,
                 GError    **error)
{
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;

  g_ptr_array_set_size (fields, 0);
  if (reader->p >= reader->end)
    return FALSE;
  while (reader->p < reader->end)
    {
      char c = *reader->p++;

      if (c == '\n')
        reader->line++;
      if (quoted && c == '"' && reader->p < reader->end && *reader->p == '"')
        g_string_append_c (field, *reader->p++);
      else if (c == '"')
        quoted = !quoted;
      else if (quoted)
        g_string_append_c (field, c);
      else if (c == ',')
        push_field (fields, field);
      else if (c == '\n')
        break;
      else if (c != '\r')
        g_string_append_c (field, c);
    }
  push_field (fields, field);
  if (quoted)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("a quoted field is not closed"));
  return TRUE;
}

static gboolean
record_is_blank (GPtrArray *fields)
{
  return fields->len == 1 && *(const char *) g_ptr_array_index (fields, 0) == '\0';
}

/* --- header --------------------------------------------------------- */

static gboolean
map_columns (Import     *import,
             GPtrArray  *header,
             GError    **error)
{
  static const Column required[] = { COL_NAME, COL_PRICE, COL_TAX };

  for (guint c = 0; c < N_COLUMNS; c++)
    import->columns[c] = -1;
  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *name = g_ascii_strdown (g_strstrip (g_ptr_array_index (header, i)), -1);

      for (guint c = 0; c < N_COLUMNS; c++)
        if ((g_str_equal (name, column_names[c])
             || (c == COL_COLOUR && g_str_equal (name, "color")))
            && import->columns[c] < 0)
          import->columns[c] = (int) i;
    }
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (import->columns[required[i]] < 0)
      {
        g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                     _("The file has no “%s” column. The first row must name the columns: %s."),
                     column_names[required[i]], "sku,name,price,tax,category,barcodes");
        return FALSE;
      }
  return TRUE;
}

/* A field of the row, trimmed, "" when the column or the field is absent. */
static const char *
get_field (Import    *import,
           GPtrArray *fields,
           Column     column)
{
  int index = import->columns[column];

  if (index < 0 || (guint) index >= fields->len)
    return "";
  return g_strstrip ((char *) g_ptr_array_index (fields, index));
}

/* --- field parsers -------------------------------------------------- */

static gboolean
invalid (GError     **error,
         const char  *format,
         const char  *value)
{
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID, format, value);
  return FALSE;
}

/* "8%", "8", "7.5 %", "10.00%" in basis points. */
static gboolean
parse_rate_bp (const char *text,
               guint      *out)
{
  guint bp = 0, whole = 0, decimals = 0;
  const char *p = text;

  for (; g_ascii_isdigit (*p) && whole < 6; p++, whole++)
    bp = bp * 10 + (guint) (*p - '0');
  bp *= 100;
  if (*p == '.' || *p == ',')
    {
      for (p++; g_ascii_isdigit (*p); p++, decimals++)
        {
          if (decimals >= 2 && *p != '0')
            return FALSE;   /* finer than a basis point */
          if (decimals < 2)
            bp += (guint) (*p - '0') * (decimals == 0 ? 10 : 1);
        }
    }
  while (*p == ' ')
    p++;
  if (*p == '%')
    p++;
  *out = bp;
  return whole > 0 && *p == '\0';
}

static gboolean
parse_tax (Import        *import,
           const char    *text,
           JorenProduct  *product,
           GError       **error)
{
  guint bp;
  gboolean is_rate = parse_rate_bp (text, &bp);

  for (guint i = 0; i < import->tax_classes->len; i++)
    {
      JorenTaxClass *tax_class = g_ptr_array_index (import->tax_classes, i);

      if (g_ascii_strcasecmp (tax_class->code, text) == 0
          || (is_rate && tax_class->rate_bp == bp))
        {
          product->tax_class_id = tax_class->id;
          return TRUE;
        }
    }
  return invalid (error, _("tax “%s” is not one of the shop's tax classes"), text);
}

static gboolean
parse_active (const char *text,
              gboolean   *out,
              GError    **error)
{
  static const char * const yes[] = { "", "1", "yes", "y", "true", "active" };
  static const char * const no[] = { "0", "no", "n", "false", "inactive" };

  *out = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_ascii_strcasecmp (text, no[i]) == 0)
      return TRUE;
  *out = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (text, yes[i]) == 0)
      return TRUE;
  return invalid (error, _("active “%s” is not yes or no"), text);
}

static gboolean
parse_colour (const char  *text,
              char       **out,
              GError     **error)
{
  if (*text == '\0')
    return TRUE;
  if (strlen (text) != 7 || text[0] != '#' || strspn (text + 1, "0123456789abcdefABCDEF") != 6)
    return invalid (error, _("colour “%s” must look like #e8a33d"), text);
  g_free (*out);
  *out = g_ascii_strdown (text, -1);
  return TRUE;
}

static void
parse_barcodes (const char   *text,
                JorenProduct *product)
{
  g_auto(GStrv) codes = g_strsplit_set (text, "| ", -1);

  g_ptr_array_set_size (product->barcodes, 0);
  for (guint i = 0; codes[i] != NULL; i++)
    if (*codes[i] != '\0')
      g_ptr_array_add (product->barcodes, g_strdup (codes[i]));
}

/* --- database look-ups ---------------------------------------------- */

static gint64
lookup_id (JorenDb     *db,
           const char  *sql,
           const char  *value,
           GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the catalogue."), error))
    return -1;
  return has_row ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* The category's id, creating it at the end of the list if it is new. */
static gboolean
resolve_category (JorenDb      *db,
                  const char   *name,
                  JorenProduct *product,
                  GError      **error)
{
  JorenCategory category = { 0, (char *) name, NULL, 0, TRUE };
  gint64 id;

  if (*name == '\0')
    return TRUE;
  id = lookup_id (db, "SELECT id FROM categories WHERE name = ?", name, error);
  if (id < 0)
    return FALSE;
  if (id == 0)
    {
      /* After the other categories in the grid. */
      category.position = (gint) lookup_id (db, "SELECT COALESCE (MAX (position) + 1, 0)"
                                                " FROM categories WHERE name <> ?",
                                            name, NULL);
      if (!joren_catalog_save_category (db, &category, error))
        return FALSE;
      id = category.id;
    }
  product->category_id = id;
  return TRUE;
}

/* The product the row updates (by SKU), or a new one. */
static JorenProduct *
product_for_row (Import      *import,
                 const char  *sku,
                 GError     **error)
{
  JorenProduct *product;
  gint64 id = 0;

  if (*sku != '\0')
    id = lookup_id (import->db, "SELECT id FROM products WHERE sku = ?", sku, error);
  if (id < 0)
    return NULL;
  if (id > 0)
    return joren_catalog_get_product (import->db, id, error);
  product = joren_product_new ();
  product->sku = *sku != '\0' ? g_strdup (sku) : NULL;
  return product;
}

/* --- rows ----------------------------------------------------------- */

static gboolean
fill_product (Import        *import,
              GPtrArray     *fields,
              JorenProduct  *product,
              GError       **error)
{
  const char *name = get_field (import, fields, COL_NAME);
  const char *price = get_field (import, fields, COL_PRICE);
  g_autoptr(GError) money_error = NULL;

  if (*name == '\0')
    return invalid (error, "%s", _("the name is missing"));
  g_free (product->name);
  product->name = g_strdup (name);
  if (!joren_money_parse (price, import->currency, &product->price, &money_error)
      || product->price < 0)
    return invalid (error, _("price “%s” is not a number"), price);
  if (import->columns[COL_BARCODES] >= 0)
    parse_barcodes (get_field (import, fields, COL_BARCODES), product);
  return parse_tax (import, get_field (import, fields, COL_TAX), product, error)
         && parse_colour (get_field (import, fields, COL_COLOUR), &product->colour, error)
         && parse_active (get_field (import, fields, COL_ACTIVE), &product->active, error)
         && resolve_category (import->db, get_field (import, fields, COL_CATEGORY),
                              product, error);
}

static gboolean
import_row (Import     *import,
            GPtrArray  *fields,
            GError    **error)
{
  g_autoptr(JorenProduct) product = NULL;
  gboolean update;

  product = product_for_row (import, get_field (import, fields, COL_SKU), error);
  if (product == NULL)
    return FALSE;
  update = product->id != 0;
  if (!fill_product (import, fields, product, error)
      || !joren_catalog_store_product (import->db, product, error))
    return FALSE;
  if (update)
    import->report->updated++;
  else
    import->report->inserted++;
  return TRUE;
}

/* One savepoint per row: a failing row leaves no trace, not even a
 * category it created. */
static gboolean
import_row_atomically (Import     *import,
                       GPtrArray  *fields,
                       guint       line,
                       GError    **error)
{
  g_autoptr(GError) row_error = NULL;
  const char *doing = _("Could not import the products.");

  if (!joren_db_exec (import->db, "SAVEPOINT import_row", doing, error))
    return FALSE;
  if (!import_row (import, fields, &row_error))
    {
      g_ptr_array_add (import->report->errors,
                       g_strdup_printf (_("line %u: %s"), line, row_error->message));
      if (!joren_db_exec (import->db, "ROLLBACK TO import_row", doing, error))
        return FALSE;
    }
  return joren_db_exec (import->db, "RELEASE import_row", doing, error);
}

static gboolean
import_records (Import     *import,
                CsvReader  *reader,
                GError    **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  guint line = reader->line;
  GError *csv_error = NULL;

  while (csv_read_record (reader, fields, &csv_error))
    {
      if (csv_error != NULL)
        {
          g_ptr_array_add (import->report->errors,
                           g_strdup_printf (_("line %u: %s"), line, csv_error->message));
          g_clear_error (&csv_error);
        }
      else if (!record_is_blank (fields)
               && !import_row_atomically (import, fields, line, error))
        return FALSE;
      line = reader->line;
    }
  return TRUE;
}

static gboolean
prepare_import (Import     *import,
                CsvReader  *reader,
                GError    **error)
{
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JorenShop) shop = joren_db_load_shop (import->db, error);

  if (shop == NULL)
    return FALSE;
  import->currency = shop->currency;
  import->tax_classes = joren_catalog_list_tax_classes (import->db, error);
  if (import->tax_classes == NULL)
    return FALSE;
  /* Spreadsheets on Windows start UTF-8 files with a byte order mark. */
  if (reader->end - reader->p >= 3 && memcmp (reader->p, "\xef\xbb\xbf", 3) == 0)
    reader->p += 3;
  if (!csv_read_record (reader, header, error))
    return invalid (error, "%s", _("The file is empty."));
  return map_columns (import, header, error);
}

JorenImportReport *
joren_catalog_import_csv (JorenDb     *db,
                          const char  *text,
                          gssize       length,
                          GError     **error)
{
  g_autoptr(JorenImportReport) report = g_new0 (JorenImportReport, 1);
  Import import = { db, NULL, NULL, { 0 }, report };
  CsvReader reader = { text, NULL, 1 };
  gboolean ok;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  reader.end = text + (length < 0 ? strlen (text) : (gsize) length);
  report->errors = g_ptr_array_new_with_free_func (g_free);
  ok = prepare_import (&import, &reader, error) && joren_db_begin (db, error);
  if (ok && !(ok = import_records (&import, &reader, error)))
    joren_db_rollback (db);
  ok = ok && joren_db_commit (db, error);
  g_clear_pointer (&import.tax_classes, g_ptr_array_unref);
  return ok ? g_steal_pointer (&report) : NULL;
}
