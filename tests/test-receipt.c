/* test-receipt.c: whole documents. A receipt built from blocks and a
 * voucher are checked byte for byte per profile (golden files), then real
 * sales in Japanese, Traditional Chinese and German are laid out, rendered
 * to PNG by the preview and read back: the right size, ink on the paper,
 * the voucher's QR and the receipt's return barcode decode to their
 * numbers. */
#define _GNU_SOURCE
#include <string.h>

#include "joren-device-error.h"
#include "joren-escpos-render.h"
#include "joren-receipt.h"
#include "joren-sale.h"
#include "joren-shop.h"
#include "test-escpos-common.h"

static cairo_surface_t *
make_logo (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 160, 48);
  cairo_t *cr = cairo_create (s);
  cairo_pattern_t *grad = cairo_pattern_create_radial (80, 24, 2, 80, 24, 60);

  cairo_pattern_add_color_stop_rgb (grad, 0, 0.1, 0.1, 0.1);
  cairo_pattern_add_color_stop_rgba (grad, 1, 0.8, 0.5, 0.2, 0);
  cairo_set_source (cr, grad);
  cairo_paint (cr);
  cairo_pattern_destroy (grad);
  cairo_destroy (cr);
  return s;
}

/* The same document in the three languages' texts: strings the target
 * printer's font has, so the golden bytes hold no Pango rendering. */
typedef struct {
  const char *golden;
  const char *profile;
  const char *shop;
  const char *address;
  const char *invoice;
  const char *items[3][3];
  const char *rows[4][2];
  const char *footer;
} BlockDoc;

static const BlockDoc block_docs[] = {
  { "receipt-blocks-de", "epson-tm-t88", "Bäckerei Müller", "Hauptstraße 5\n10115 Berlin", NULL,
    { { "Brezel", "3 × 0,80 €", "2,40 €" }, { "Roggenbrot 1 kg mit extra langem Namen", NULL, "4,90 €" },
      { "Kaffee", NULL, "2,20 €" } },
    { { "Summe", "9,50 €" }, { "MwSt 7%", "0,62 €" }, { "Bar", "10,00 €" }, { "Rückgeld", "0,50 €" } },
    "Vielen Dank!" },
  { "receipt-blocks-ja", "epson-tm-t20-jp", "喫茶 さくら", "東京都千代田区1-2-3", "T1234567890123",
    { { "おにぎり", "2 × ¥150", "¥300" }, { "ブレンドコーヒー", NULL, "¥480" }, { "ｹｰｷ", NULL, "¥420" } },
    { { "合計", "¥1,200" }, { "内消費税 8%", "¥88" }, { "現金", "¥2,000" }, { "お釣り", "¥800" } },
    "ありがとうございました" },
  { "receipt-blocks-zh", "clone-58-cn", "小吃店", "台北市中正区", NULL,
    { { "牛肉面", NULL, "$150" }, { "卤肉饭", "2 × $50", "$100" }, { "珍珠奶茶", NULL, "$60" } },
    { { "合计", "$310" }, { "税 5%", "$15" }, { "现金", "$500" }, { "找零", "$190" } },
    "谢谢光临" },
};

static JorenReceipt *
build_block_doc (const BlockDoc *doc)
{
  JorenReceipt *r = joren_receipt_new ();
  cairo_surface_t *logo = make_logo ();

  joren_receipt_set_section (r, "header");
  joren_receipt_add_logo (r, logo);
  cairo_surface_destroy (logo);
  joren_receipt_add_header (r, doc->shop, doc->address, "+00 1234", doc->invoice);
  joren_receipt_set_section (r, "lines");
  joren_receipt_add_separator (r);
  for (guint i = 0; i < 3; i++)
    joren_receipt_add_item (r, doc->items[i][0], doc->items[i][1], doc->items[i][2]);
  joren_receipt_add_separator (r);
  joren_receipt_set_section (r, "totals");
  joren_receipt_add_row (r, doc->rows[0][0], doc->rows[0][1], JOREN_RECEIPT_LARGE);
  joren_receipt_add_tax_row (r, doc->rows[1][0], doc->rows[0][1], doc->rows[1][1]);
  joren_receipt_set_section (r, "tenders");
  joren_receipt_add_row (r, doc->rows[2][0], doc->rows[2][1], 0);
  joren_receipt_add_row (r, doc->rows[3][0], doc->rows[3][1], JOREN_RECEIPT_BOLD);
  joren_receipt_set_section (r, "barcode");
  joren_receipt_add_barcode (r, JOREN_ESCPOS_CODE128, "R1-000042");
  joren_receipt_set_section (r, "footer");
  joren_receipt_add_qr (r, "https://joren.example/r/42");
  joren_receipt_add_footer (r, doc->footer);
  joren_receipt_set_open_drawer (r, TRUE);
  return r;
}

static void
test_block_golden (gconstpointer data)
{
  const BlockDoc *doc = data;
  g_autoptr(JorenReceipt) r = build_block_doc (doc);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = joren_receipt_encode (r, joren_test_profile (doc->profile), &error);
  g_autofree char *text = NULL;
  g_autofree char *png = g_strconcat (doc->golden, ".png", NULL);
  g_autofree char *path = joren_test_output_path (png);
  cairo_surface_t *s;

  g_assert_no_error (error);
  joren_test_golden_check (doc->golden, bytes);
  /* every text line was in the printer's font: the preview reads it back */
  s = joren_escpos_render_full (joren_test_profile (doc->profile), bytes, &text);
  g_assert_nonnull (strstr (text, doc->items[1][0]) != NULL ? text : strstr (text, doc->items[2][0]));
  g_assert_nonnull (strstr (text, doc->footer));
  g_assert_nonnull (strstr (text, "[barcode R1-000042]"));
  g_assert_cmpint (cairo_surface_write_to_png (s, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
}

static void
test_sections (void)
{
  g_autoptr(JorenReceipt) r = build_block_doc (&block_docs[0]);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *s;
  const char *customer, *tendered, *footer;

  /* a later feature inserts its block after a section it did not build */
  g_assert_false (joren_receipt_seek_after (r, "points"));
  g_assert_true (joren_receipt_seek_after (r, "tenders"));
  joren_receipt_set_section (r, "customer");
  joren_receipt_add_row (r, "Kunde", "Nr. 77", 0);
  joren_receipt_seek_end (r);
  g_assert_cmpuint (joren_receipt_get_n_blocks (r), ==, 15);
  bytes = joren_receipt_encode (r, joren_test_profile ("epson-tm-t88"), NULL);
  s = joren_escpos_render_full (joren_test_profile ("epson-tm-t88"), bytes, &text);
  cairo_surface_destroy (s);
  customer = strstr (text, "Kunde");
  tendered = strstr (text, "Rückgeld");
  footer = strstr (text, "[barcode");
  g_assert_nonnull (customer);
  g_assert_true (tendered < customer && customer < footer);
}

static void
test_long_lines_wrap (void)
{
  g_autoptr(JorenReceipt) r = joren_receipt_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  JorenEscpos *e = joren_escpos_new (joren_test_profile ("clone-58-cn"));

  joren_receipt_set_cut (r, FALSE);
  joren_receipt_add_item (r, "特选牛肉面加大份量另加卤蛋和青菜套餐", NULL, "$1,150");
  bytes = joren_receipt_encode (r, joren_test_profile ("clone-58-cn"), NULL);
  cairo_surface_destroy (joren_escpos_render_full (joren_test_profile ("clone-58-cn"), bytes, &text));
  lines = g_strsplit (text, "\n", -1);
  /* 18 wide characters do not fit 32 columns: name wraps, amount right */
  g_assert_cmpuint (g_strv_length (lines), >=, 3);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (joren_escpos_text_columns (e, lines[i]), <=, 32);
  g_assert_true (g_str_has_suffix (lines[1], "$1,150"));
  joren_escpos_free (e);
}

static JorenShop *
make_shop (const char *preset, const char *name, const char *invoice)
{
  JorenShop *shop = joren_shop_new_from_preset (joren_shop_preset_lookup (preset), name, "R1");

  g_free (shop->invoice_number);
  shop->invoice_number = g_strdup (invoice);
  g_free (shop->address);
  shop->address = g_strdup ("1-2-3");
  return shop;
}

typedef struct {
  const char *lang;
  const char *preset;
  const char *profile;
  const char *shop;
  const char *invoice;
  const char *items[3];
  gint64      prices[3];
  guint       rates[3];
  gint64      cash;
} SaleDoc;

static const SaleDoc sale_docs[] = {
  { "ja", "jp", "epson-tm-t20-jp", "喫茶 さくら", "T1234567890123",
    { "おにぎり 鮭", "牛肉麵", "ビール" }, { 150, 980, 550 }, { 800, 800, 1000 }, 2000 },
  { "zh_TW", "tw", "generic-80-tw", "台北小吃店", NULL,
    { "牛肉麵", "滷肉飯", "珍珠奶茶" }, { 150, 50, 60 }, { 500, 500, 500 }, 500 },
  { "de", "de", "epson-tm-t88", "Bäckerei Müller", NULL,
    { "Brezel", "Käsekuchen", "Kaffee groß" }, { 80, 350, 290 }, { 700, 700, 1900 }, 2000 },
  { "de-58", "de", "clone-58-cn", "Bäckerei Müller", NULL,
    { "Brezel", "Käsekuchen", "Kaffee groß" }, { 80, 350, 290 }, { 700, 700, 1900 }, 2000 },
};

static JorenSale *
make_sale (const JorenShop *shop, const SaleDoc *doc)
{
  JorenSale *sale = joren_sale_new (shop);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2024, 6, 1, 12, 30, 0);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    joren_sale_add_open_item (sale, doc->items[i], doc->prices[i], 0, doc->rates[i]);
  joren_sale_set_line_qty (sale, 0, 2, &error);
  g_assert_no_error (error);
  joren_sale_add_tender (sale, JOREN_TENDER_CASH, doc->cash, NULL, &error);
  g_assert_no_error (error);
  joren_sale_set_staff (sale, 1, "Sato");
  joren_sale_set_stored (sale, 42, "uuid-42", "R1-000042", when);
  return sale;
}

static void
test_sale_receipt_png (gconstpointer data)
{
  const SaleDoc *doc = data;
  g_autoptr(JorenShop) shop = make_shop (doc->preset, doc->shop, doc->invoice);
  g_autoptr(JorenSale) sale = make_sale (shop, doc);
  g_autoptr(JorenReceipt) r = joren_receipt_new_for_sale (shop, sale);
  const JorenPrinterProfile *profile = joren_test_profile (doc->profile);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = joren_receipt_encode (r, profile, &error);
  g_autofree char *name = g_strdup_printf ("sale-%s.png", doc->lang);
  g_autofree char *png = joren_test_output_path (name);
  g_autofree char *scanned = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *s;

  g_assert_no_error (error);
  s = joren_escpos_render_full (profile, bytes, &text);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, profile->dots);
  g_assert_cmpint (cairo_image_surface_get_height (s), >, 600);
  g_assert_cmpint (cairo_surface_write_to_png (s, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
  g_assert_nonnull (strstr (text, "Sato"));
  if (doc->invoice != NULL)
    g_assert_nonnull (strstr (text, doc->invoice));
  scanned = joren_test_zbarimg (png);
  g_assert_cmpstr (scanned, ==, "CODE-128:R1-000042\n");
}

static void
test_voucher_png (gconstpointer data)
{
  const SaleDoc *doc = data;
  g_autoptr(JorenShop) shop = make_shop (doc->preset, doc->shop, doc->invoice);
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2025, 12, 31, 0, 0, 0);
  g_autoptr(JorenReceipt) r = joren_receipt_new_voucher (shop, 5000, "GV-2024-000123", expires);
  const JorenPrinterProfile *profile = joren_test_profile (doc->profile);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = joren_receipt_encode (r, profile, &error);
  g_autofree char *name = g_strdup_printf ("voucher-%s.png", doc->lang);
  g_autofree char *png = joren_test_output_path (name);
  g_autofree char *scanned = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *s;

  g_assert_no_error (error);
  s = joren_escpos_render_full (profile, bytes, &text);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, profile->dots);
  g_assert_cmpint (cairo_surface_write_to_png (s, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
  g_assert_nonnull (strstr (text, "2025-12-31"));
  scanned = joren_test_zbarimg (png);
  g_assert_cmpstr (scanned, ==, "QR-Code:GV-2024-000123\n");
}

static void
test_voucher_golden (void)
{
  g_autoptr(JorenShop) shop = make_shop ("de", "Bäckerei Müller", NULL);
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2025, 12, 31, 0, 0, 0);
  g_autoptr(JorenReceipt) r = joren_receipt_new_voucher (shop, 2500, "GV-2024-000123", expires);
  g_autoptr(GBytes) bytes = joren_receipt_encode (r, joren_test_profile ("epson-tm-t88"), NULL);

  joren_test_golden_check ("voucher-de-tm-t88", bytes);
}

static void
test_reprint (void)
{
  g_autoptr(JorenReceipt) r = build_block_doc (&block_docs[0]);
  g_autoptr(JorenReceipt) again = joren_receipt_new_reprint (r);
  const JorenPrinterProfile *profile = joren_test_profile ("epson-tm-t88");
  g_autoptr(GBytes) first = joren_receipt_encode (r, profile, NULL);
  g_autoptr(GBytes) second = joren_receipt_encode (again, profile, NULL);
  g_autofree char *text = NULL;

  g_assert_cmpuint (joren_receipt_get_n_blocks (again), ==, joren_receipt_get_n_blocks (r) + 1);
  cairo_surface_destroy (joren_escpos_render_full (profile, second, &text));
  g_assert_true (g_str_has_prefix (text, "REPRINT\n"));
  /* the drawer pulse (ESC p) is only in the original */
  g_assert_nonnull (memmem (g_bytes_get_data (first, NULL), g_bytes_get_size (first), "\x1bp", 2));
  g_assert_null (memmem (g_bytes_get_data (second, NULL), g_bytes_get_size (second), "\x1bp", 2));
}

static void
test_bad_barcode_fails_cleanly (void)
{
  g_autoptr(JorenReceipt) r = joren_receipt_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  joren_receipt_add_barcode (r, JOREN_ESCPOS_EAN13, "12345");
  bytes = joren_receipt_encode (r, joren_test_profile ("epson-tm-t88"), &error);
  g_assert_null (bytes);
  g_assert_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (block_docs); i++)
    {
      g_autofree char *path = g_strconcat ("/joren/devices/receipt/golden/", block_docs[i].golden, NULL);

      g_test_add_data_func (path, &block_docs[i], test_block_golden);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sale_docs); i++)
    {
      g_autofree char *sale = g_strconcat ("/joren/devices/receipt/sale/", sale_docs[i].lang, NULL);
      g_autofree char *voucher = g_strconcat ("/joren/devices/receipt/voucher/", sale_docs[i].lang, NULL);

      g_test_add_data_func (sale, &sale_docs[i], test_sale_receipt_png);
      g_test_add_data_func (voucher, &sale_docs[i], test_voucher_png);
    }
  g_test_add_func ("/joren/devices/receipt/voucher-golden", test_voucher_golden);
  g_test_add_func ("/joren/devices/receipt/sections", test_sections);
  g_test_add_func ("/joren/devices/receipt/wrap", test_long_lines_wrap);
  g_test_add_func ("/joren/devices/receipt/reprint", test_reprint);
  g_test_add_func ("/joren/devices/receipt/bad-barcode", test_bad_barcode_fails_cleanly);
  return g_test_run ();
}
