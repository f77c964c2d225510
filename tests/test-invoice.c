/* test-invoice.c: the invoice PDF of a customer account, from sales
 * charged in a real SQLite file, drawn with Cairo and Pango. poppler's
 * pdfinfo, pdftotext and pdftoppm read it back: the page count matches,
 * the text holds the registration number, the Japanese names and the
 * totals, and the pages are rendered to PNG (next to the test binary) to
 * be looked at. */
#include <string.h>

#include "joren-customer.h"
#include "joren-invoice.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"
#include "joren-value.h"

typedef struct {
  JorenDb             *db;
  JorenValueAuthority *authority;
  JorenStaff          *staff;
  JorenCustomer       *customer;
  JorenValueAccount   *account;
  char                *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenShop) shop = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->authority = joren_value_local_authority_new (fixture->db);
  fixture->staff = joren_test_find_staff (fixture->db, "Ben");
  fixture->dir = joren_test_make_tmpdir ();
  shop = joren_db_load_shop (fixture->db, &error);
  g_free (shop->invoice_number);
  shop->invoice_number = g_strdup ("T1234567890123");
  g_free (shop->address);
  shop->address = g_strdup ("東京都渋谷区神南1-2-3");
  joren_db_save_shop (fixture->db, shop, &error);
  g_assert_no_error (error);
  fixture->customer = joren_customer_new ();
  fixture->customer->name = g_strdup ("株式会社 山田商店");
  joren_customer_add (fixture->db, fixture->customer, FALSE, &error);
  g_assert_no_error (error);
  fixture->account = joren_value_open_customer_account (fixture->db, fixture->customer->id,
                                                        1000000, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->authority);
  g_clear_object (&fixture->db);
  g_clear_pointer (&fixture->staff, joren_staff_free);
  g_clear_pointer (&fixture->customer, joren_customer_free);
  g_clear_pointer (&fixture->account, joren_value_account_free);
  g_clear_pointer (&fixture->dir, g_free);
}

/* A sale of n_products demo products charged to the account. */
static JorenSale *
charge_sale (Fixture *fixture,
             guint    n_products)
{
  g_autoptr(GError) error = NULL;
  JorenSale *sale = joren_test_new_sale (fixture->db, n_products);

  joren_sale_set_customer (sale, fixture->customer->id);
  joren_value_add_account_tender (fixture->authority, fixture->db, sale, 0, &error);
  g_assert_no_error (error);
  joren_db_commit_sale (fixture->db, sale, 0, &error);
  g_assert_no_error (error);
  return sale;
}

/* Runs a poppler tool; returns its stdout, or NULL (test skipped) when
 * poppler-utils is missing. */
static char *
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  if (g_find_program_in_path (argv[0]) == NULL)
    return NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return g_steal_pointer (&out);
}

static guint
pdf_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = run_tool (argv);
  const char *pages = info != NULL ? strstr (info, "Pages:") : NULL;

  g_assert_nonnull (pages);
  return (guint) g_ascii_strtoull (pages + 6, NULL, 10);
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };

  return run_tool (argv);
}

/* Renders the PDF's pages to PNG next to the test binary, to look at. */
static void
render_png (const char *path,
            const char *name)
{
  g_autofree char *prefix = g_test_build_filename (G_TEST_BUILT, name, NULL);
  const char *argv[] = { "pdftoppm", "-png", "-r", "60", path, prefix, NULL };
  g_autofree char *out = run_tool (argv);
  g_autofree char *first = g_strdup_printf ("%s-1.png", prefix);

  g_assert_true (g_file_test (first, G_FILE_TEST_EXISTS));
}

static gboolean
have_poppler (void)
{
  g_autofree char *info = g_find_program_in_path ("pdfinfo");
  g_autofree char *text = g_find_program_in_path ("pdftotext");
  g_autofree char *ppm = g_find_program_in_path ("pdftoppm");

  if (info != NULL && text != NULL && ppm != NULL)
    return TRUE;
  g_test_skip ("poppler-utils (pdfinfo, pdftotext, pdftoppm) is not installed");
  return FALSE;
}

static void
test_one_charge (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JorenSale) sale = charge_sale (fixture, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenInvoice) invoice = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "charge.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *total = joren_money_format (joren_sale_get_total (sale),
                                               joren_sale_get_currency (sale));

  invoice = joren_value_invoice_for_sale (fixture->db, joren_sale_get_receipt_no (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invoice->lines->len, ==, 3);
  g_assert_cmpint (invoice->total, ==, joren_sale_get_total (sale));
  g_assert_cmpint (invoice->charged, ==, joren_sale_get_total (sale));
  g_assert_cmpint (invoice->amount_due, ==, joren_sale_get_total (sale));
  g_assert_cmpstr (invoice->registration_no, ==, "T1234567890123");
  g_assert_cmpint (g_array_index (invoice->tax_lines, JorenTaxLine, 0).tax, ==,
                   joren_sale_get_tax_total (sale));
  g_assert_cmpuint (joren_invoice_count_pages (invoice), ==, 1);

  joren_invoice_write_pdf (invoice, path, &error);
  g_assert_no_error (error);
  if (!have_poppler ())
    return;
  g_assert_cmpuint (pdf_pages (path), ==, 1);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "T1234567890123"));
  g_assert_nonnull (strstr (text, "株式会社 山田商店"));
  g_assert_nonnull (strstr (text, joren_sale_get_line (sale, 0)->name));
  g_assert_nonnull (strstr (text, total));
  g_assert_nonnull (strstr (text, joren_sale_get_receipt_no (sale)));
  render_png (path, "invoice-charge");
}

static void
test_period_pages (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -30);
  g_autoptr(GDateTime) to = g_date_time_add_days (now, 1);
  g_autoptr(JorenInvoice) invoice = NULL;
  g_autoptr(JorenValueAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "period.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *due = NULL;
  gint64 charged = 0;
  guint pages;

  /* 12 sales of 5 lines: 60 rows do not fit on one page. */
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(JorenSale) sale = charge_sale (fixture, 5);

      charged += joren_sale_get_total (sale);
    }
  joren_value_record_payment (fixture->db, fixture->account->id, 1000, "Bank transfer", 0, &error);
  g_assert_no_error (error);

  invoice = joren_value_invoice_for_period (fixture->db, fixture->account->id, from, to, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invoice->lines->len, ==, 60);
  g_assert_cmpint (invoice->charged, ==, charged);
  g_assert_cmpint (invoice->payments, ==, 1000);
  g_assert_cmpint (invoice->amount_due, ==, charged - 1000);
  pages = joren_invoice_count_pages (invoice);
  g_assert_cmpuint (pages, >=, 2);

  pdf = joren_invoice_render_pdf (invoice, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF"));
  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);
  if (!have_poppler ())
    return;
  g_assert_cmpuint (pdf_pages (path), ==, pages);
  text = pdf_text (path);
  account = joren_value_lookup_by_id (fixture->db, fixture->account->id, &error);
  due = joren_money_format (-account->balance, invoice->currency);
  g_assert_nonnull (strstr (text, due));
  g_assert_nonnull (strstr (text, "Amount due"));
  render_png (path, "invoice-period");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/joren/devices/invoice/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("one-charge", test_one_charge);
  ADD ("period-pages", test_period_pages);
#undef ADD

  return g_test_run ();
}
