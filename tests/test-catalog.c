/* test-catalog.c: products, barcodes and categories in a real SQLite file:
 * the demo catalogue, saving and updating, duplicate barcodes and SKUs,
 * scanning (including in-store codes and inactive products), paging and
 * search, and the CSV import with good and bad rows. */
#include <string.h>

#include "joren-db-private.h"
#include "joren-test-utils.h"

static gint64
tax_class_id (JorenDb *db,
              guint    rate_bp)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) classes = joren_catalog_list_tax_classes (db, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < classes->len; i++)
    if (((JorenTaxClass *) g_ptr_array_index (classes, i))->rate_bp == rate_bp)
      return ((JorenTaxClass *) g_ptr_array_index (classes, i))->id;
  g_error ("no tax class at %u bp", rate_bp);
}

static JorenProduct *
scan (JorenDb     *db,
      const char  *code,
      GError     **error)
{
  JorenBarcode barcode;
  g_autoptr(GError) parse_error = NULL;

  joren_barcode_parse (code, &barcode, &parse_error);
  g_assert_no_error (parse_error);
  return joren_catalog_find_by_barcode (db, &barcode, error);
}

static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GPtrArray) products = joren_catalog_list_products (db, 0, NULL, TRUE, 0, 0, &error);
  g_autoptr(GPtrArray) categories = joren_catalog_list_categories (db, FALSE, &error);
  g_autoptr(GPtrArray) classes = joren_catalog_list_tax_classes (db, &error);
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, &error);
  guint n_barcodes = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (products->len, >=, 55);
  g_assert_cmpuint (categories->len, ==, 6);
  g_assert_cmpuint (classes->len, ==, 2);
  g_assert_cmpuint (((JorenTaxClass *) g_ptr_array_index (classes, 0))->rate_bp, ==, 1000);
  g_assert_cmpuint (((JorenTaxClass *) g_ptr_array_index (classes, 1))->rate_bp, ==, 800);
  g_assert_cmpstr (shop->invoice_number, ==, "T1234567890123");
  g_assert_cmpstr (shop->currency->code, ==, "JPY");
  g_assert_cmpstr (shop->register_prefix, ==, "R1");

  /* Every stored code scans back to its own product. */
  for (guint i = 0; i < products->len; i++)
    {
      JorenProduct *product = g_ptr_array_index (products, i);

      g_assert_cmpuint (product->rate_bp, >, 0);
      g_assert_cmpint (product->category_id, >, 0);
      for (guint j = 0; j < product->barcodes->len && product->embed == JOREN_EMBED_NONE; j++)
        {
          g_autoptr(JorenProduct) found = scan (db, g_ptr_array_index (product->barcodes, j), &error);

          g_assert_no_error (error);
          g_assert_cmpint (found->id, ==, product->id);
          g_assert_true (g_str_has_prefix (g_ptr_array_index (product->barcodes, j), "45"));
          n_barcodes++;
        }
    }
  g_assert_cmpuint (n_barcodes, >=, 10);

  /* A second call leaves the shop alone. */
  joren_db_create_demo (db, "jp", &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM products"), ==, products->len);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM staff"), ==, 3);
}

static void
test_demo_presets (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) de = joren_test_open_demo_db ("de");
  g_autoptr(JorenDb) tw = joren_test_open_demo_db ("tw");
  g_autoptr(JorenProduct) milk = joren_test_find_product (de, "Milchkaffee");
  g_autoptr(JorenProduct) pretzel = joren_test_find_product (de, "Laugenbrezel");
  g_autoptr(JorenShop) de_shop = joren_db_load_shop (de, &error);
  g_autoptr(JorenShop) tw_shop = joren_db_load_shop (tw, &error);
  g_autoptr(JorenDb) none = NULL;
  g_autofree char *path = joren_test_db_path ();

  g_assert_no_error (error);
  g_assert_cmpstr (de_shop->name, ==, "Café Joren");
  g_assert_cmpstr (de_shop->currency->code, ==, "EUR");
  g_assert_cmpuint (milk->rate_bp, ==, 1900);
  g_assert_cmpuint (pretzel->rate_bp, ==, 700);
  g_assert_cmpint (milk->price, ==, 360);
  g_assert_cmpstr (tw_shop->currency->code, ==, "TWD");
  g_assert_cmpint (joren_test_query_int (tw, "SELECT count(*) FROM tax_classes"), ==, 1);
  g_assert_cmpint (joren_test_query_int (tw, "SELECT count(*) FROM products WHERE name = '拿鐵'"), ==, 1);

  none = joren_db_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (joren_db_create_demo (none, "xx", &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
}

static JorenProduct *
new_product (JorenDb    *db,
             const char *name,
             const char *sku,
             gint64      price)
{
  JorenProduct *product = joren_product_new ();

  product->name = g_strdup (name);
  product->sku = g_strdup (sku);
  product->price = price;
  product->tax_class_id = tax_class_id (db, 800);
  return product;
}

static void
test_save_update (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenProduct) product = new_product (db, "  どら焼き ", "X1", 240);
  g_autoptr(JorenProduct) loaded = NULL;
  g_autoptr(JorenProduct) scanned = NULL;

  g_ptr_array_add (product->barcodes, g_strdup ("4901234567894"));
  g_ptr_array_add (product->barcodes, g_strdup ("036000291452"));   /* UPC-A */
  joren_catalog_save_product (db, product, &error);
  g_assert_no_error (error);
  g_assert_cmpint (product->id, >, 0);

  loaded = joren_catalog_get_product (db, product->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->name, ==, "どら焼き");
  g_assert_cmpstr (loaded->sku, ==, "X1");
  g_assert_cmpint (loaded->price, ==, 240);
  g_assert_cmpuint (loaded->rate_bp, ==, 800);
  g_assert_cmpuint (loaded->barcodes->len, ==, 2);
  /* UPC-A is stored as the EAN-13 it is. */
  g_assert_cmpstr (g_ptr_array_index (loaded->barcodes, 0), ==, "0036000291452");
  g_assert_cmpstr (g_ptr_array_index (loaded->barcodes, 1), ==, "4901234567894");

  /* Update: new price, one barcode dropped. */
  loaded->price = 260;
  g_ptr_array_remove_index (loaded->barcodes, 1);
  joren_catalog_save_product (db, loaded, &error);
  g_assert_no_error (error);
  g_clear_pointer (&loaded, joren_product_free);
  loaded = joren_catalog_get_product (db, product->id, &error);
  g_assert_cmpint (loaded->price, ==, 260);
  g_assert_cmpuint (loaded->barcodes->len, ==, 1);
  g_assert_null (scan (db, "4901234567894", &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  scanned = scan (db, "036000291452", &error);
  g_assert_no_error (error);
  g_assert_cmpint (scanned->id, ==, product->id);

  g_assert_null (joren_catalog_get_product (db, 999999, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
}

static void
test_duplicates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenProduct) first = new_product (db, "Daifuku", "D1", 200);
  g_autoptr(JorenProduct) second = new_product (db, "Mochi", "D2", 180);
  g_autoptr(JorenProduct) third = new_product (db, "Senbei", "D1", 150);
  gint64 count;

  g_ptr_array_add (first->barcodes, g_strdup ("4901234567894"));
  joren_catalog_save_product (db, first, &error);
  g_assert_no_error (error);
  count = joren_test_query_int (db, "SELECT count(*) FROM products");

  g_ptr_array_add (second->barcodes, g_strdup ("4901234567894"));
  g_assert_false (joren_catalog_save_product (db, second, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Daifuku"));
  g_clear_error (&error);
  /* Nothing of the refused product was kept. */
  g_assert_cmpint (second->id, ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM products"), ==, count);

  g_assert_false (joren_catalog_save_product (db, third, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_clear_error (&error);

  g_ptr_array_set_size (second->barcodes, 0);
  g_ptr_array_add (second->barcodes, g_strdup ("4901234567890"));   /* bad check digit */
  g_assert_false (joren_catalog_save_product (db, second, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);

  second->tax_class_id = 4242;
  g_ptr_array_set_size (second->barcodes, 0);
  g_assert_false (joren_catalog_save_product (db, second, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM products"), ==, count);
}

static void
test_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenProduct) water = joren_test_find_product (db, "ミネラルウォーター");
  g_autofree char *price_code = joren_barcode_make_in_store ("2012345", 398);
  g_autofree char *weight_code = joren_barcode_make_in_store ("2012346", 250);
  g_autoptr(JorenProduct) salad = scan (db, price_code, &error);
  g_autoptr(JorenProduct) beef = scan (db, weight_code, &error);
  g_autoptr(JorenProduct) found = NULL;
  g_autoptr(GPtrArray) listed = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (salad->name, ==, "量り売りサラダ");
  g_assert_cmpint (salad->embed, ==, JOREN_EMBED_PRICE);
  g_assert_cmpstr (beef->name, ==, "ローストビーフ");
  g_assert_cmpint (beef->embed, ==, JOREN_EMBED_WEIGHT);
  g_assert_cmpint (beef->price, ==, 6800);

  found = scan (db, g_ptr_array_index (water->barcodes, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, water->id);
  g_assert_null (scan (db, "4006381333931", &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "4006381333931"));
  g_clear_error (&error);

  /* Inactive: not sold, not in the grid, still in the back office. */
  joren_catalog_set_product_active (db, water->id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (scan (db, g_ptr_array_index (water->barcodes, 0), &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  listed = joren_catalog_list_products (db, water->category_id, NULL, FALSE, 0, 0, &error);
  for (guint i = 0; i < listed->len; i++)
    g_assert_cmpint (((JorenProduct *) g_ptr_array_index (listed, i))->id, !=, water->id);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = joren_catalog_list_products (db, water->category_id, NULL, TRUE, 0, 0, &error);
  g_assert_cmpuint (listed->len, ==, 10);
}

static void
test_paging_search (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GPtrArray) categories = joren_catalog_list_categories (db, FALSE, &error);
  JorenCategory *coffee = g_ptr_array_index (categories, 0);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  gint last_position = -1;
  guint total = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (coffee->name, ==, "コーヒー");
  for (guint offset = 0; offset < 20; offset += 4)
    {
      g_autoptr(GPtrArray) page = joren_catalog_list_products (db, coffee->id, NULL, FALSE,
                                                               offset, 4, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, 4);
      for (guint i = 0; i < page->len; i++)
        {
          JorenProduct *product = g_ptr_array_index (page, i);

          g_assert_cmpint (product->category_id, ==, coffee->id);
          g_assert_cmpint (product->position, >, last_position);
          last_position = product->position;
          g_assert_false (g_hash_table_contains (seen, GSIZE_TO_POINTER (product->id)));
          g_hash_table_add (seen, GSIZE_TO_POINTER (product->id));
        }
      total += page->len;
    }
  g_assert_cmpuint (total, ==, 10);
}

static guint
count_search (JorenDb    *db,
              const char *search)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = joren_catalog_list_products (db, 0, search, FALSE, 0, 50, &error);

  g_assert_no_error (error);
  return found->len;
}

static void
test_search (void)
{
  g_autoptr(JorenDb) jp = joren_test_open_demo_db ("jp");
  g_autoptr(JorenDb) de = joren_test_open_demo_db ("de");
  g_autoptr(JorenProduct) water = joren_test_find_product (jp, "ミネラルウォーター");

  g_assert_cmpuint (count_search (jp, "カフェ"), ==, 2);          /* カフェラテ, カフェモカ */
  g_assert_cmpuint (count_search (jp, "おにぎり"), ==, 3);
  g_assert_cmpuint (count_search (jp, "CF001"), ==, 1);           /* SKU */
  g_assert_cmpuint (count_search (jp, g_ptr_array_index (water->barcodes, 0)), ==, 1);
  g_assert_cmpuint (count_search (jp, "存在しない"), ==, 0);
  g_assert_cmpuint (count_search (de, "milch"), ==, 2);           /* Milchkaffee, Milchtee */
  g_assert_cmpuint (count_search (de, "Kaffee"), ==, 3);       /* beans x2, mug */
}

static const char csv_text[] =
  "\xef\xbb\xbf" "Name,price,SKU,tax,category,barcodes,active\r\n"
  "\"Kaffee \"\"Spezial\"\", 250 g\",1200,K1,reduced,Shop,4901234567894|0036000291452,yes\r\n"
  "\"Two-line\nname\",300,K2,8%,New category,,\r\n"
  ",100,K3,reduced,,,\r\n"
  "Bad price,abc,K4,reduced,,,\r\n"
  "Bad tax,100,K5,33%,,,\r\n"
  "Bad code,100,K6,10%,,4901234567890,\r\n"
  "Taken code,100,K7,standard,,4901234567894,\r\n"
  "\r\n"
  "Renamed blend,480,CF001,standard,,,no\r\n";

static void
test_import_csv (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  gint64 before = joren_test_query_int (db, "SELECT count(*) FROM products");
  g_autoptr(JorenImportReport) report = joren_catalog_import_csv (db, csv_text, -1, &error);
  g_autoptr(JorenProduct) special = NULL;
  g_autoptr(JorenProduct) two_line = NULL;
  g_autoptr(JorenProduct) renamed = NULL;
  static const char * const expected_errors[] = {
    "line 5: ", "line 6: ", "line 7: ", "line 8: ", "line 9: ",
  };

  g_assert_no_error (error);
  g_assert_cmpuint (report->inserted, ==, 2);
  g_assert_cmpuint (report->updated, ==, 1);
  g_assert_cmpuint (report->errors->len, ==, G_N_ELEMENTS (expected_errors));
  for (guint i = 0; i < report->errors->len; i++)
    {
      g_test_message ("%s", (char *) g_ptr_array_index (report->errors, i));
      g_assert_true (g_str_has_prefix (g_ptr_array_index (report->errors, i), expected_errors[i]));
    }
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 1), "abc"));
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 4), "Kaffee"));
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM products"), ==, before + 2);

  special = joren_test_find_product (db, "Kaffee \"Spezial\", 250 g");
  g_assert_cmpint (special->price, ==, 1200);
  g_assert_cmpuint (special->rate_bp, ==, 800);
  g_assert_cmpuint (special->barcodes->len, ==, 2);
  two_line = joren_test_find_product (db, "Two-line\nname");
  g_assert_cmpint (two_line->category_id, ==,
                   joren_test_query_int (db, "SELECT id FROM categories WHERE name = 'New category'"));
  renamed = joren_test_find_product (db, "Renamed blend");
  g_assert_cmpstr (renamed->sku, ==, "CF001");
  g_assert_false (renamed->active);
  g_assert_cmpint (renamed->price, ==, 480);
  /* Bad rows left nothing behind, not even a category. */
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM products WHERE sku IN"
                                             " ('K3', 'K4', 'K5', 'K6', 'K7')"), ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM categories"), ==, 8);
}

static void
test_import_bad_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenImportReport) report = joren_catalog_import_csv (db, "sku,title,price\nA,B,1\n",
                                                                  -1, &error);

  g_assert_null (report);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "name"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/catalog/demo", test_demo);
  g_test_add_func ("/joren/data/catalog/demo-presets", test_demo_presets);
  g_test_add_func ("/joren/data/catalog/save-update", test_save_update);
  g_test_add_func ("/joren/data/catalog/duplicates", test_duplicates);
  g_test_add_func ("/joren/data/catalog/lookup", test_lookup);
  g_test_add_func ("/joren/data/catalog/paging", test_paging_search);
  g_test_add_func ("/joren/data/catalog/search", test_search);
  g_test_add_func ("/joren/data/catalog/import-csv", test_import_csv);
  g_test_add_func ("/joren/data/catalog/import-bad-header", test_import_bad_header);

  return g_test_run ();
}
