/* bench-register.c: the register's hot paths against a big catalogue:
 * scan-to-line (parse + indexed lookup + add to the sale), the sale commit
 * taking turns with a plain SQLite commit of the same rows, opening
 * the file, and finding a customer at the till (card, phone, last four
 * digits, reading) among many. Prints figures; it fails only if something
 * errors. JOREN_BENCH_SMALL=1 shrinks it for CI; JOREN_BENCH_PRODUCTS=N
 * and JOREN_BENCH_CUSTOMERS=N set the sizes (defaults 1,000,000 and
 * 200,000). */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "joren-barcode.h"
#include "joren-catalog.h"
#include "joren-customer.h"
#include "joren-punch.h"
#include "joren-db-private.h"
#include "joren-sale-db.h"
#include "joren-sale.h"
#include "joren-test-utils.h"

typedef struct {
  guint   n;
  gint64 *usec;
} Samples;

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
percentile (Samples *s,
            guint    p)
{
  guint i = (guint) (((guint64) (s->n - 1) * p) / 100);

  return s->usec[i];
}

static void
report (const char *what,
        Samples    *s)
{
  qsort (s->usec, s->n, sizeof (gint64), compare_gint64);
  g_print ("%-38s n=%-6u median %6" G_GINT64_FORMAT " us  p99 %6" G_GINT64_FORMAT
           " us  max %6" G_GINT64_FORMAT " us\n",
           what, s->n, percentile (s, 50), percentile (s, 99), s->usec[s->n - 1]);
}

static void
bench_scans (JorenDb   *db,
             JorenShop *shop,
             guint      n_products,
             guint      n_samples)
{
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  Samples s = { n_samples, g_new (gint64, n_samples) };

  for (guint i = 0; i < n_samples; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JorenProduct) product = NULL;
      JorenBarcode barcode;
      char code[14];
      gint64 t0;

      joren_catalog_generated_barcode (g_rand_int_range (rand, 0, n_products), code);
      t0 = g_get_monotonic_time ();
      if (!joren_barcode_parse (code, &barcode, &error))
        g_error ("parse %s: %s", code, error->message);
      product = joren_catalog_find_by_barcode (db, &barcode, &error);
      if (product == NULL)
        g_error ("lookup %s: %s", code, error->message);
      joren_sale_add_product (sale, product, 1, code);
      s.usec[i] = g_get_monotonic_time () - t0;
      if (joren_sale_get_n_lines (sale) >= 30)
        joren_sale_clear (sale);
    }
  report ("scan to line (lookup + add)", &s);
  g_free (s.usec);
}

/* What the sale screen loads after sign-in: the categories and the first
 * page of the grid, and what "More" loads deep in a big category. */
static void
bench_grid (JorenDb *db,
            guint    n_samples)
{
  Samples first = { n_samples, g_new (gint64, n_samples) };
  Samples deep = { n_samples, g_new (gint64, n_samples) };

  for (guint i = 0; i < n_samples; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) categories = NULL;
      g_autoptr(GPtrArray) page = NULL;
      gint64 t0 = g_get_monotonic_time ();
      gint64 category;

      categories = joren_catalog_list_categories (db, FALSE, &error);
      g_assert_no_error (error);
      category = ((JorenCategory *) g_ptr_array_index (categories, i % categories->len))->id;
      page = joren_catalog_list_products (db, category, NULL, FALSE, 0, 20, &error);
      g_assert_no_error (error);
      first.usec[i] = g_get_monotonic_time () - t0;
      g_clear_pointer (&page, g_ptr_array_unref);

      t0 = g_get_monotonic_time ();
      page = joren_catalog_list_products (db, category, NULL, FALSE, 2000, 20, &error);
      g_assert_no_error (error);
      deep.usec[i] = g_get_monotonic_time () - t0;
    }
  report ("sale screen grid (categories + page)", &first);
  report ("grid page 101 (offset 2000)", &deep);
  g_free (first.usec);
  g_free (deep.usec);
}

static JorenSale *
build_sale (JorenDb   *db,
            JorenShop *shop,
            guint      seed)
{
  JorenSale *sale = joren_sale_new (shop);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(JorenProduct) product = NULL;
      JorenBarcode barcode;
      char code[14];

      joren_catalog_generated_barcode (seed * 5 + i, code);
      joren_barcode_parse (code, &barcode, NULL);
      product = joren_catalog_find_by_barcode (db, &barcode, &error);
      g_assert_no_error (error);
      joren_sale_add_product (sale, product, 1 + i % 2, code);
    }
  joren_sale_set_staff (sale, 1, "Bench");
  if (!joren_sale_add_tender (sale, JOREN_TENDER_CASH,
                              joren_sale_get_total (sale) + 1000, NULL, &error))
    g_error ("tender: %s", error->message);
  return sale;
}

static gint64
joren_commit (JorenDb   *db,
              JorenShop *shop,
              guint      i)
{
  g_autoptr(JorenSale) sale = build_sale (db, shop, i);
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (!joren_db_commit_sale (db, sale, 0, &error))
    g_error ("commit: %s", error->message);
  return g_get_monotonic_time () - t0;
}

/* The baseline: the same rows (1 header, 5 lines, 1 tax row, 1 tender)
 * written with prepared statements in one transaction, WAL, FULL. */
static const char plain_schema[] =
  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
  "CREATE TABLE s (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, no TEXT UNIQUE,"
  " staff TEXT, at INTEGER, total INTEGER, paid INTEGER, change INTEGER);"
  "CREATE TABLE l (id INTEGER PRIMARY KEY, sale INTEGER REFERENCES s, pos INTEGER,"
  " product INTEGER, name TEXT, qty INTEGER, price INTEGER, amount INTEGER);"
  "CREATE TABLE t (sale INTEGER, rate INTEGER, net INTEGER, tax INTEGER, gross INTEGER);"
  "CREATE TABLE p (sale INTEGER, pos INTEGER, kind TEXT, amount INTEGER);";

typedef struct {
  sqlite3      *db;
  sqlite3_stmt *stmts[4];
} Plain;

static void
plain_open (Plain      *plain,
            const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "plain.db", NULL);
  const char *sql[] = {
    "INSERT INTO s (uuid, no, staff, at, total, paid, change) VALUES (?1, ?2, 'Bench', 0, 1280, 2000, 720)",
    "INSERT INTO l (sale, pos, product, name, qty, price, amount) VALUES (last_insert_rowid (), ?1, 42, 'Item', 1, 250, 250)",
    "INSERT INTO t VALUES (1, 800, 1186, 94, 1280)",
    "INSERT INTO p VALUES (1, 0, 'cash', 2000)",
  };

  if (sqlite3_open (path, &plain->db) != SQLITE_OK ||
      sqlite3_exec (plain->db, plain_schema, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("plain db: %s", sqlite3_errmsg (plain->db));
  for (guint k = 0; k < G_N_ELEMENTS (sql); k++)
    if (sqlite3_prepare_v2 (plain->db, sql[k], -1, &plain->stmts[k], NULL) != SQLITE_OK)
      g_error ("prepare: %s", sqlite3_errmsg (plain->db));
}

static void
plain_close (Plain *plain)
{
  for (guint k = 0; k < G_N_ELEMENTS (plain->stmts); k++)
    sqlite3_finalize (plain->stmts[k]);
  sqlite3_close (plain->db);
}

static gint64
plain_commit (Plain *plain,
              guint  i)
{
  sqlite3 *db = plain->db;
  sqlite3_stmt **stmts = plain->stmts;
  gint64 t0 = g_get_monotonic_time ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *no = g_strdup_printf ("P-%06u", i);

  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  sqlite3_bind_text (stmts[0], 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmts[0], 2, no, -1, SQLITE_STATIC);
  sqlite3_step (stmts[0]);
  sqlite3_reset (stmts[0]);
  for (int pos = 0; pos < 5; pos++)
    {
      sqlite3_bind_int (stmts[1], 1, pos);
      sqlite3_step (stmts[1]);
      sqlite3_reset (stmts[1]);
    }
  sqlite3_step (stmts[2]);
  sqlite3_reset (stmts[2]);
  sqlite3_step (stmts[3]);
  sqlite3_reset (stmts[3]);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("plain commit: %s", sqlite3_errmsg (db));
  return g_get_monotonic_time () - t0;
}

/* Pages a connection wrote (to the WAL) since the last call: each is
 * 4 KiB more for the commit's fsync. */
static int
take_pages_written (sqlite3 *db)
{
  int pages = 0, highwater;

  sqlite3_db_status (db, SQLITE_DBSTATUS_CACHE_WRITE, &pages, &highwater, TRUE);
  return pages;
}

/* Joren's commit and the plain one take turns, each going first every
 * other round, so the machine's noise (another process's I/O, a
 * checkpoint) falls on both alike. */
static void
bench_commits (JorenDb    *db,
               JorenShop  *shop,
               const char *dir,
               guint       n_samples)
{
  Samples joren = { n_samples, g_new (gint64, n_samples) };
  Samples plain = { n_samples, g_new (gint64, n_samples) };
  sqlite3 *handle = joren_db_get_handle (db);
  int joren_pages, plain_pages;
  Plain p;

  plain_open (&p, dir);
  take_pages_written (handle);
  take_pages_written (p.db);
  for (guint i = 0; i < n_samples; i++)
    {
      if (i % 2 == 0)
        joren.usec[i] = joren_commit (db, shop, i);
      plain.usec[i] = plain_commit (&p, i);
      if (i % 2 == 1)
        joren.usec[i] = joren_commit (db, shop, i);
    }
  joren_pages = take_pages_written (handle);
  plain_pages = take_pages_written (p.db);
  plain_close (&p);
  report ("sale commit (5 lines, cash)", &joren);
  report ("plain SQLite commit, same rows", &plain);
  g_print ("commit ratio (median joren / median plain): %.2f\n",
           (double) percentile (&joren, 50) / MAX (1, percentile (&plain, 50)));
  g_print ("pages written per commit: joren %.1f, plain %.1f\n",
           (double) joren_pages / n_samples, (double) plain_pages / n_samples);
  g_free (joren.usec);
  g_free (plain.usec);
}

/* Katakana readings from the number's digits, so prefixes spread. */
typedef GPtrArray *(*FindList) (JorenDb     *db,
                                const char  *key,
                                guint        limit,
                                GError     **error);
typedef char *(*MakeKey) (guint n);

static GPtrArray *
find_by_phone (JorenDb     *db,
               const char  *key,
               guint        limit,
               GError     **error)
{
  return joren_customer_find_by_phone (db, key, error);
}

static char *
phone_key (guint n)
{
  return g_strdup_printf ("090-%04u-%04u", n / 10000 % 10000, n % 10000);
}

static char *
last4_key (guint n)
{
  return g_strdup_printf ("%04u", n % 10000);
}

/* The first three kana of a generated reading. */
static char *
reading_key (guint n)
{
  g_autofree char *reading = joren_customer_generated_reading (n);

  return g_strndup (reading, 9);
}

/* Times a lookup that returns a pick list, for keys of random customers. */
static void
bench_find (JorenDb    *db,
            const char *what,
            FindList    find,
            MakeKey     make_key,
            guint       n_customers,
            guint       n_samples)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  Samples s = { n_samples, g_new (gint64, n_samples) };

  for (guint i = 0; i < n_samples; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = NULL;
      g_autofree char *key = make_key ((guint) g_rand_int_range (rand, 1, (gint32) n_customers));
      gint64 t0 = g_get_monotonic_time ();

      found = find (db, key, 20, &error);
      s.usec[i] = g_get_monotonic_time () - t0;
      if (found == NULL || found->len == 0)
        g_error ("%s %s: nothing found", what, key);
    }
  report (what, &s);
  g_free (s.usec);
}

static void
bench_card (JorenDb *db,
            guint    n_customers,
            guint    n_samples)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  Samples s = { n_samples, g_new (gint64, n_samples) };

  for (guint i = 0; i < n_samples; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JorenCustomer) customer = NULL;
      g_autofree char *code = g_strdup_printf ("29%011d",
                                               g_rand_int_range (rand, 1, (gint32) n_customers));
      gint64 t0 = g_get_monotonic_time ();

      customer = joren_customer_find_by_card (db, code, &error);
      s.usec[i] = g_get_monotonic_time () - t0;
      if (customer == NULL)
        g_error ("card %s: %s", code, error->message);
    }
  report ("customer by card", &s);
  g_free (s.usec);
}

/* The same card lookup as bare SQLite: the floor the data layer adds to. */
static void
bench_plain_card (JorenDb *db,
                  guint    n_customers,
                  guint    n_samples)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  Samples s = { n_samples, g_new (gint64, n_samples) };
  sqlite3 *handle = joren_db_get_handle (db);
  sqlite3_stmt *stmt;

  if (sqlite3_prepare_v2 (handle, "SELECT customer_id FROM customer_cards WHERE code = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("prepare: %s", sqlite3_errmsg (handle));
  for (guint i = 0; i < n_samples; i++)
    {
      char code[16];
      gint64 t0;

      g_snprintf (code, sizeof code, "29%011d", g_rand_int_range (rand, 1, (gint32) n_customers));
      t0 = g_get_monotonic_time ();
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        g_error ("plain card %s: not found", code);
      sqlite3_reset (stmt);
      s.usec[i] = g_get_monotonic_time () - t0;
    }
  sqlite3_finalize (stmt);
  report ("plain indexed SQLite lookup (card)", &s);
  g_free (s.usec);
}

/* What the reception panel reads when a member is attached: the
 * customer, the summary, the hint, count cards and stamps. */
static void
bench_panel (JorenDb *db,
             guint    n_customers,
             guint    n_samples)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  Samples s = { n_samples, g_new (gint64, n_samples) };

  for (guint i = 0; i < n_samples; i++)
    {
      gint64 id = g_rand_int_range (rand, 1, (gint32) n_customers);
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(JorenCustomer) customer = joren_customer_get (db, id, NULL);
      g_auto(JorenCustomerSummary) summary = { 0 };
      g_autofree char *hint = NULL;
      g_autoptr(GPtrArray) cards = NULL;
      g_autoptr(GPtrArray) stamps = NULL;

      if (customer == NULL || !joren_customer_summary (db, customer, NULL, &summary, NULL))
        g_error ("panel %" G_GINT64_FORMAT ": not found", id);
      hint = joren_customer_hint (db, customer, &summary);
      cards = joren_punch_list_cards (db, id, NULL, NULL);
      stamps = joren_punch_list_stamps (db, id, NULL);
      s.usec[i] = g_get_monotonic_time () - t0;
    }
  report ("reception panel data (with cards, stamps)", &s);
  g_free (s.usec);
}

static void
bench_customers (JorenDb *db,
                 guint    n_customers,
                 guint    n_samples)
{
  gint64 t0 = g_get_monotonic_time ();

  if (g_getenv ("JOREN_BENCH_REUSE") != NULL)
    g_print ("customers: reusing the database's\n");
  else if (!joren_customer_generate (db, n_customers, NULL))
    g_error ("could not generate the customers");
  else
    g_print ("customers: %u generated in %.1f s\n", n_customers,
             (g_get_monotonic_time () - t0) / 1e6);
  bench_plain_card (db, n_customers, n_samples);
  bench_card (db, n_customers, n_samples);
  bench_find (db, "customer by phone (090-xxxx-xxxx)", find_by_phone, phone_key,
              n_customers, n_samples);
  bench_find (db, "customers by last 4 digits (pick list)", joren_customer_find_by_last4,
              last4_key, n_customers, n_samples);
  bench_find (db, "customers by reading prefix (3 kana)", joren_customer_find_by_name,
              reading_key, n_customers, n_samples);
  bench_panel (db, n_customers, n_samples);
}

int
main (int    argc,
      char **argv)
{
  gboolean small = g_getenv ("JOREN_BENCH_SMALL") != NULL;
  const char *env_n = g_getenv ("JOREN_BENCH_PRODUCTS");
  const char *env_c = g_getenv ("JOREN_BENCH_CUSTOMERS");
  guint n_products = env_n ? (guint) g_ascii_strtoull (env_n, NULL, 10) : small ? 20000 : 1000000;
  guint n_customers = env_c ? (guint) g_ascii_strtoull (env_c, NULL, 10) : small ? 20000 : 1000000;
  guint n_commits = small ? 200 : 1000;
  g_autofree char *dir = joren_test_make_tmpdir ();
  /* JOREN_BENCH_DB=FILE keeps the database; JOREN_BENCH_REUSE=1 runs
   * the lookups again on the one a previous run left there. */
  g_autofree char *path = g_getenv ("JOREN_BENCH_DB") ? g_strdup (g_getenv ("JOREN_BENCH_DB"))
                                                      : g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenShop) shop = NULL;
  JorenDb *db;
  gint64 t0;

  g_setenv ("JOREN_FAST_PWHASH", "1", TRUE);
  db = joren_db_open (path, &error);
  g_assert_no_error (error);
  if (g_getenv ("JOREN_BENCH_REUSE") == NULL)
    {
      joren_db_create_demo (db, "jp", &error);
      g_assert_no_error (error);
      t0 = g_get_monotonic_time ();
      joren_catalog_generate (db, n_products, &error);
      g_assert_no_error (error);
      g_print ("catalogue: %u products generated in %.1f s\n", n_products,
               (g_get_monotonic_time () - t0) / 1e6);
    }
  g_object_unref (db);

  t0 = g_get_monotonic_time ();
  db = joren_db_open (path, &error);
  g_assert_no_error (error);
  shop = joren_db_load_shop (db, &error);
  g_assert_no_error (error);
  g_print ("open database + load shop: %.2f ms\n", (g_get_monotonic_time () - t0) / 1e3);

  /* JOREN_BENCH_ONLY=customers: the lookups alone, while tuning them. */
  if (g_strcmp0 (g_getenv ("JOREN_BENCH_ONLY"), "customers") != 0)
    {
      bench_grid (db, small ? 50 : 200);
      bench_scans (db, shop, n_products, small ? 2000 : 20000);
      bench_commits (db, shop, dir, n_commits);
    }
  bench_customers (db, n_customers, small ? 500 : 5000);

  g_object_unref (db);
  return 0;
}
