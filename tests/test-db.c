/* test-db.c: opening the register's SQLite file: pragmas, migrations from
 * every earlier schema version with data in it, refusal of newer and
 * damaged files (left untouched), settings and the shop. */
#include <string.h>

#include <glib/gstdio.h>

#include "joren-db-private.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"

static char *
query_text (JorenDb    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (joren_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
exec_sql (JorenDb    *db,
          const char *sql)
{
  char *message = NULL;

  sqlite3_exec (joren_db_get_handle (db), sql, NULL, NULL, &message);
  g_assert_null (message);
}

static void
test_open_pragmas (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = joren_test_db_path ();
  g_autoptr(JorenDb) db = NULL;
  g_autofree char *journal = NULL;

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  db = joren_db_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (joren_db_get_path (db), ==, path);
  g_assert_cmpuint (joren_db_get_schema_version (db), ==, JOREN_DB_SCHEMA_VERSION);
  g_assert_cmpint (joren_test_query_int (db, "PRAGMA user_version"), ==, JOREN_DB_SCHEMA_VERSION);
  journal = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (joren_test_query_int (db, "PRAGMA synchronous"), ==, 2);   /* FULL */
  g_assert_cmpint (joren_test_query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (joren_test_query_int (db, "PRAGMA busy_timeout"), >=, 1000);
  joren_db_check_integrity (db, &error);
  g_assert_no_error (error);

  /* Foreign keys are enforced, not just declared. */
  g_assert_cmpint (sqlite3_exec (joren_db_get_handle (db),
                                 "INSERT INTO barcodes (code, product_id) VALUES ('1', 999)",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT_FOREIGNKEY);
}

static void
test_statement_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = joren_test_db_path ();
  g_autoptr(JorenDb) db = joren_db_open (path, &error);
  g_autofree char *sql = g_strdup ("SELECT count(*) FROM products");
  JorenStmt *first, *second;

  g_assert_no_error (error);
  first = joren_db_prepare (db, "SELECT count(*) FROM products", &error);
  g_assert_no_error (error);
  /* Keyed by the text, not the pointer. */
  second = joren_db_prepare (db, sql, &error);
  g_assert_no_error (error);
  g_assert_true (first == second);

  g_assert_null (joren_db_prepare (db, "SELECT nothing FROM nowhere", &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_FAILED);
}

/* Rows a register would have written at schema 1. */
static const char v1_rows[] =
  "INSERT INTO settings VALUES ('shop.preset', 'jp'), ('shop.name', 'Old Shop'),"
  " ('shop.register_prefix', 'R1');"
  "INSERT INTO tax_classes VALUES (1, 'standard', 'Standard', 1000);"
  "INSERT INTO categories VALUES (1, 'Coffee', '#8d5524', 0, 1);"
  "INSERT INTO products (id, sku, name, price, tax_class_id, category_id, colour, active)"
  " VALUES (1, 'CF1', 'Blend', 450, 1, 1, NULL, 1);"
  "INSERT INTO barcodes VALUES ('4512345000011', 1);"
  "INSERT INTO staff VALUES (1, 'Aiko', 'owner', 'x', 1, 0, 0);"
  "INSERT INTO receipt_sequences VALUES ('R1', 2);";

/* The sale: from schema 3 on a sale always has its business day (the
 * report tables of schema 9 refuse one without). */
#define V1_SALE_DETAIL_ROWS \
  "INSERT INTO sale_lines (sale_id, position, product_id, name, qty, unit_price, tax_class_id," \
  " rate_bp, base, line_discount, receipt_discount, amount)" \
  " VALUES (1, 0, 1, 'Blend', 2, 450, 1, 1000, 900, 0, 0, 900);" \
  "INSERT INTO sale_taxes VALUES (1, 1000, 819, 81, 900);" \
  "INSERT INTO sale_tenders VALUES (1, 0, 'cash', 1000, NULL);"
#define V1_SALE_ROW(day_column, day) \
  "INSERT INTO sales (id, uuid, receipt_no, kind, staff_id, staff_name, created_at, currency," \
  day_column " prices_include_tax, subtotal, discount_total, tax_total, total, paid, change)" \
  " VALUES (1, 'u-1', 'R1-000001', 'sale', 1, 'Aiko', 1700000000000000, 'JPY', " day \
  " 1, 900, 0, 81, 900, 1000, 100);" \
  V1_SALE_DETAIL_ROWS
static const char v1_sale_rows[] = V1_SALE_ROW ("", "");
static const char v3_sale_rows[] =
  V1_SALE_ROW ("business_day,", "date (1700000000, 'unixepoch', 'localtime'),");

/* And at schema 2: a drawer session and a parked sale. */
static const char v2_rows[] =
  "INSERT INTO cash_sessions (id, opened_by, opened_at, opening_float)"
  " VALUES (1, 1, 1700000000000000, 10000);"
  "UPDATE sales SET cash_session_id = 1;"
  "INSERT INTO parked_sales (id, label, parked_at, staff_id, staff_name, total, n_lines)"
  " VALUES (1, 'Table 4', 1700000001000000, 1, 'Aiko', 450, 1);"
  "INSERT INTO parked_sale_lines (parked_id, position, product_id, name, qty, unit_price,"
  " tax_class_id, rate_bp) VALUES (1, 0, 1, 'Blend', 1, 450, 1, 1000);";

/* And at schema 3: the sale's business day, a product placed in the grid. */
static const char v3_rows[] =
  "UPDATE sales SET business_day = date (created_at / 1000000, 'unixepoch', 'localtime');"
  "UPDATE products SET position = 7 WHERE id = 1;";

/* Schema 10 respelt the CHECKs of sales, lines and tenders, schema 14
 * those of the tables the changes feed writes: they still refuse what
 * they refused. */
static void
check_constraints_kept (JorenDb *db)
{
  const char *refused[] = {
    "UPDATE sales SET discount_kind = 'half' WHERE id = 1",
    "UPDATE sale_lines SET discount_kind = 'half' WHERE sale_id = 1",
    "UPDATE sale_lines SET line_kind = 'gift' WHERE sale_id = 1",
    "UPDATE sale_tenders SET kind = 'cheque' WHERE sale_id = 1",
    "UPDATE products SET embed = 'volume' WHERE id = 1",
    "UPDATE staff SET role = 'boss' WHERE id = 1",
    "INSERT INTO customer_cards (code, customer_id, kind, added_at) VALUES ('c', 1, 'nfc', 0)",
    "INSERT INTO points_ledger (customer_id, kind, points, sale_uuid, created_at)"
    " VALUES (1, 'gift', 5, 'u', 0)",
    "INSERT INTO value_accounts (number, kind, store, created_at) VALUES ('v', 'loan', 'S', 0)",
    "INSERT INTO value_ledger (account_id, kind, amount, sale_uuid, created_at)"
    " VALUES (1, 'bonus', 5, 'u', 0)",
    "INSERT INTO value_ledger (account_id, kind, amount, created_at) VALUES (1, 'topup', 5, 0)",
    "INSERT INTO punch_ledger (customer_id, card_id, kind, units, sale_uuid, created_at)"
    " VALUES (1, 1, 'gift', 1, 'u', 0)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    g_assert_cmpint (sqlite3_exec (joren_db_get_handle (db), refused[i], NULL, NULL, NULL),
                     ==, SQLITE_CONSTRAINT_CHECK);
  /* Respelt, not only still checked: no IN list is left but the
   * two-value ones of points and stamps (SQLite compiles those as ORs). */
  g_assert_cmpint (joren_test_query_int (db, "SELECT sum ((length (sql) - length (replace (sql, ' IN (', '')))"
                                             " / 5) FROM sqlite_schema WHERE type = 'table' AND name IN"
                                             " ('products', 'staff', 'customer_cards', 'points_ledger',"
                                             " 'value_accounts', 'value_ledger', 'punch_ledger')"), ==, 2);
}

/* The old sale's goods are in the product summary (filled by schema 9's
 * trigger, or its back-fill), and a sale committed after the migration
 * adds to it. */
static void
check_product_days (JorenDb      *db,
                    JorenProduct *product,
                    guint         from)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, &error);
  g_autoptr(JorenSale) sale = NULL;
  gint64 old_qty = from <= 9 ? 2 : 0;

  g_assert_no_error (error);
  sale = joren_sale_new (shop);
  joren_sale_add_product (sale, product, 1, NULL);
  joren_sale_set_staff (sale, 1, "Aiko");
  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
  /* 2 x 450 and 1 x 450 at 10 % included: 82 and 41 of tax. */
  g_assert_cmpint (joren_test_query_int (db, "SELECT sum (qty) FROM report_product_days"
                                             " WHERE product_id = 1"), ==, old_qty + 1);
  g_assert_cmpint (joren_test_query_int (db, "SELECT sum (tax) FROM report_product_days"
                                             " WHERE product_id = 1"), ==, (from <= 9 ? 82 : 0) + 41);
}

static void
check_migrated (JorenDb *db,
                guint    from)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenProduct) product = NULL;
  g_autoptr(JorenSale) sale = NULL;
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (1700000000);
  g_autofree char *day = g_date_time_format (local, "%Y-%m-%d");
  g_autofree char *stored_day = query_text (db, "SELECT business_day FROM sales WHERE id = 1");
  JorenBarcode barcode;

  g_assert_cmpuint (joren_db_get_schema_version (db), ==, JOREN_DB_SCHEMA_VERSION);
  joren_barcode_parse ("4512345000011", &barcode, &error);
  g_assert_no_error (error);
  product = joren_catalog_find_by_barcode (db, &barcode, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (product->name, ==, "Blend");
  g_assert_cmpint (product->embed, ==, JOREN_EMBED_NONE);
  sale = joren_db_load_sale (db, "R1-000001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 900);
  g_assert_cmpint (joren_sale_get_tax_total (sale), ==, 81);
  g_assert_cmpint (joren_sale_get_change (sale), ==, 100);
  /* Migration 3 back-filled the business day from the sale's time. */
  g_assert_cmpstr (stored_day, ==, day);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM parked_sales"), ==,
                   from >= 2 ? 1 : 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT position FROM products WHERE id = 1"), ==,
                   from >= 3 ? 7 : 0);
  /* Migration 4 rebuilt the tenders (points allowed) keeping every row,
   * and gave old sales no customer. */
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sale_tenders"
                                             " WHERE kind = 'cash' AND amount = 1000"), ==, 1);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sales"
                                             " WHERE customer_id IS NULL"), ==, 1);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM loyalty_tiers"), ==, 1);
  check_constraints_kept (db);
  check_product_days (db, product, from);
  joren_db_check_integrity (db, &error);
  g_assert_no_error (error);
}

static void
test_migrations (void)
{
  for (guint from = 1; from < JOREN_DB_SCHEMA_VERSION; from++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = joren_test_db_path ();
      g_autoptr(JorenDb) old = joren_db_open_at_version (path, from, &error);
      g_autoptr(JorenDb) db = NULL;

      g_test_message ("migrating from schema %u", from);
      g_assert_no_error (error);
      g_assert_cmpuint (joren_db_get_schema_version (old), ==, from);
      g_assert_cmpint (joren_test_query_int (old, "PRAGMA user_version"), ==, from);
      g_assert_cmpint (joren_test_query_int (old, "SELECT count(*) FROM pragma_table_info ('sales')"
                                                  " WHERE name = 'business_day'"), ==, from >= 3);
      exec_sql (old, v1_rows);
      exec_sql (old, from >= 3 ? v3_sale_rows : v1_sale_rows);
      if (from >= 2)
        exec_sql (old, v2_rows);
      if (from >= 3)
        exec_sql (old, v3_rows);
      g_clear_object (&old);

      db = joren_db_open (path, &error);
      g_assert_no_error (error);
      check_migrated (db, from);
    }
}

static void
test_newer_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = joren_test_db_path ();
  g_autoptr(JorenDb) db = joren_db_open (path, &error);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *set_version = g_strdup_printf ("PRAGMA journal_mode = DELETE;"
                                                  "PRAGMA user_version = %u",
                                                  JOREN_DB_SCHEMA_VERSION + 1);

  g_assert_no_error (error);
  exec_sql (db, set_version);
  g_clear_object (&db);
  before = joren_test_read_file (path);

  db = joren_db_open (path, &error);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NEWER_SCHEMA);
  g_assert_null (db);
  g_assert_nonnull (strstr (error->message, "newer"));
  after = joren_test_read_file (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
check_refused_untouched (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = joren_test_read_file (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(JorenDb) db = joren_db_open (path, &error);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_CORRUPT);
  g_assert_null (db);
  g_assert_nonnull (strstr (error->message, "damaged"));
  after = joren_test_read_file (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_corrupt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = joren_test_make_tmpdir ();
  g_autofree char *text_path = g_build_filename (dir, "notes.db", NULL);
  g_autofree char *damaged_path = g_build_filename (dir, "damaged.db", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JorenDb) db = NULL;
  g_autoptr(GBytes) good = NULL;
  g_autofree char *bytes = NULL;

  /* A file that was never a database. */
  for (guint i = 0; i < 300; i++)
    g_string_append (text, "this is a shopping list, not a database\n");
  g_file_set_contents (text_path, text->str, (gssize) text->len, &error);
  g_assert_no_error (error);
  check_refused_untouched (text_path);

  /* A real database whose header was overwritten. */
  db = joren_db_open (damaged_path, &error);
  g_assert_no_error (error);
  g_clear_object (&db);
  good = joren_test_read_file (damaged_path);
  bytes = g_memdup2 (g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  memcpy (bytes, "garbage garbage!", 16);
  g_file_set_contents (damaged_path, bytes, (gssize) g_bytes_get_size (good), &error);
  g_assert_no_error (error);
  check_refused_untouched (damaged_path);
}

static void
test_shop_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = joren_test_db_path ();
  g_autoptr(JorenDb) db = joren_db_open (path, &error);
  g_autoptr(JorenShop) shop = NULL;
  g_autoptr(JorenShop) loaded = NULL;
  g_autofree char *value = NULL;

  g_assert_no_error (error);
  g_assert_null (joren_db_load_shop (db, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  shop = joren_shop_new_from_preset (joren_shop_preset_lookup ("de"), "Café Joren", "K2");
  shop->invoice_number = g_strdup ("DE123456789");
  shop->tax_rounding = JOREN_ROUND_HALF_EVEN;
  joren_db_save_shop (db, shop, &error);
  g_assert_no_error (error);
  loaded = joren_db_load_shop (db, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->name, ==, "Café Joren");
  g_assert_cmpstr (loaded->preset, ==, "de");
  g_assert_cmpstr (loaded->currency->code, ==, "EUR");
  g_assert_cmpstr (loaded->register_prefix, ==, "K2");
  g_assert_cmpstr (loaded->invoice_number, ==, "DE123456789");
  g_assert_null (loaded->address);
  g_assert_cmpint (loaded->tax_rounding, ==, JOREN_ROUND_HALF_EVEN);
  g_assert_true (loaded->prices_include_tax);

  joren_db_set_setting (db, "printer.width", "576", &error);
  g_assert_no_error (error);
  value = joren_db_get_setting (db, "printer.width");
  g_assert_cmpstr (value, ==, "576");
  joren_db_set_setting (db, "printer.width", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (joren_db_get_setting (db, "printer.width"));
}

static void
test_default_path (void)
{
  g_autofree char *path = joren_db_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "joren", "register.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/db/open-pragmas", test_open_pragmas);
  g_test_add_func ("/joren/data/db/statement-cache", test_statement_cache);
  g_test_add_func ("/joren/data/db/migrations", test_migrations);
  g_test_add_func ("/joren/data/db/newer-schema", test_newer_schema);
  g_test_add_func ("/joren/data/db/corrupt", test_corrupt);
  g_test_add_func ("/joren/data/db/shop-settings", test_shop_settings);
  g_test_add_func ("/joren/data/db/default-path", test_default_path);

  return g_test_run ();
}
