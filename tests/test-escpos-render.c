/* test-escpos-render.c: the preview reads our bytes back. Text decodes to
 * what was encoded in every character set, barcodes and QR codes drawn
 * from the bytes scan back (zbarimg) to their data, and random or
 * truncated input never crashes or reads out of bounds. */
#include <string.h>

#include "joren-escpos.h"
#include "joren-escpos-render.h"
#include "test-escpos-common.h"

static GBytes *
encode_text (const char *profile, const char *text)
{
  JorenEscpos *e = joren_escpos_new (joren_test_profile (profile));

  joren_escpos_init (e);
  joren_escpos_text (e, text);
  return joren_escpos_free_to_bytes (e);
}

static void
assert_round_trip (const char *profile, const char *text)
{
  g_autoptr(GBytes) bytes = encode_text (profile, text);
  g_autofree char *seen = NULL;
  cairo_surface_t *s = joren_escpos_render_full (joren_test_profile (profile), bytes, &seen);

  g_assert_cmpstr (seen, ==, text);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, joren_test_profile (profile)->dots);
  g_assert_cmpint (cairo_image_surface_get_height (s), >=, 24);
  cairo_surface_destroy (s);
}

static void
test_text_round_trip (void)
{
  assert_round_trip ("epson-tm-t88", "Größe 12,50 €\nÄpfel × 3\n");
  assert_round_trip ("epson-tm-t20-jp", "税込 ¥1,280 ｱｲｳ\nおにぎり 2点\n");
  assert_round_trip ("clone-58-cn", "合计 ￥100\n");
  assert_round_trip ("generic-80-tw", "合計 NT$100 牛肉麵\n");
}

static guint
count_black (cairo_surface_t *s, int y0, int y1)
{
  const guint8 *px;
  int stride, w;
  guint n = 0;

  cairo_surface_flush (s);
  px = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  w = cairo_image_surface_get_width (s);
  for (int y = y0; y < y1; y++)
    for (int x = 0; x < w; x++)
      n += (*(const guint32 *) (px + y * stride + x * 4) & 0xff) < 128;
  return n;
}

static void
test_mixed_line (void)
{
  /* A Shift_JIS line with 麵 (not in Shift_JIS) goes raster, yet it is as
   * wide as the text lines around it: columns line up. */
  const JorenPrinterProfile *profile = joren_test_profile ("epson-tm-t20-jp");
  g_autoptr(GBytes) bytes = encode_text (profile->id, "ラーメン   ¥980\n牛肉麵     ¥980\n");
  g_autofree char *seen = NULL;
  cairo_surface_t *s = joren_escpos_render_full (profile, bytes, &seen);
  g_autofree char *png = joren_test_output_path ("mixed-line.png");

  g_assert_true (g_str_has_prefix (seen, "ラーメン   ¥980\n[raster]"));
  g_assert_cmpuint (count_black (s, 0, 34), >, 100);
  g_assert_cmpuint (count_black (s, 34, cairo_image_surface_get_height (s)), >, 100);
  g_assert_cmpint (cairo_surface_write_to_png (s, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
}

static char *
render_and_scan (const char *profile, GBytes *bytes, const char *name)
{
  g_autofree char *png = joren_test_output_path (name);
  g_autoptr(GError) error = NULL;

  joren_escpos_render_to_png (joren_test_profile (profile), bytes, png, &error);
  g_assert_no_error (error);
  return joren_test_zbarimg (png);
}

static void
test_barcodes_scan_back (void)
{
  JorenEscpos *e = joren_escpos_new (joren_test_profile ("epson-tm-t88"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *seen = NULL;

  joren_escpos_init (e);
  joren_escpos_set_align (e, JOREN_ALIGN_CENTER);
  joren_escpos_barcode (e, JOREN_ESCPOS_EAN13, "490123456789", TRUE, &error);
  g_assert_no_error (error);
  joren_escpos_feed (e, 2);
  joren_escpos_barcode (e, JOREN_ESCPOS_CODE128, "R1-000042", TRUE, &error);
  g_assert_no_error (error);
  joren_escpos_feed (e, 2);
  joren_escpos_barcode (e, JOREN_ESCPOS_CODE128, "20240001", TRUE, &error);
  g_assert_no_error (error);
  joren_escpos_feed (e, 2);
  bytes = joren_escpos_free_to_bytes (e);
  seen = render_and_scan ("epson-tm-t88", bytes, "barcodes.png");
  g_assert_nonnull (strstr (seen, "EAN-13:4901234567894\n"));
  g_assert_nonnull (strstr (seen, "CODE-128:R1-000042\n"));
  g_assert_nonnull (strstr (seen, "CODE-128:20240001\n"));
}

static void
assert_qr_scans (const char *profile, JorenQrMode mode, const char *name)
{
  JorenEscpos *e = joren_escpos_new (joren_test_profile (profile));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *seen = NULL;

  joren_escpos_init (e);
  joren_escpos_set_align (e, JOREN_ALIGN_CENTER);
  joren_escpos_feed (e, 1);
  joren_escpos_qr (e, "JOREN-V-0001-2345", mode, &error);
  g_assert_no_error (error);
  joren_escpos_feed (e, 2);
  bytes = joren_escpos_free_to_bytes (e);
  seen = render_and_scan (profile, bytes, name);
  g_assert_cmpstr (seen, ==, "QR-Code:JOREN-V-0001-2345\n");
}

static void
test_qr_scans_back (void)
{
  assert_qr_scans ("epson-tm-t88", JOREN_QR_NATIVE, "qr-native.png");
  assert_qr_scans ("epson-tm-t88", JOREN_QR_RASTER, "qr-raster.png");
  assert_qr_scans ("clone-58-cn", JOREN_QR_AUTO, "qr-58.png");
}

static void
render_quietly (const JorenPrinterProfile *profile, const guint8 *data, gsize len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autofree char *text = NULL;
  cairo_surface_t *s = joren_escpos_render_full (profile, bytes, &text);

  g_assert_cmpint (cairo_image_surface_get_width (s), ==, profile->dots);
  g_assert_cmpint (cairo_image_surface_get_height (s), <=, 32000);
  cairo_surface_destroy (s);
}

static void
test_random_bytes (void)
{
  const JorenPrinterProfile *const *profiles = joren_printer_profile_list ();
  GRand *rand = g_rand_new_with_seed (20240601);
  guint rounds = g_test_slow () ? 400 : 60;

  for (guint i = 0; i < rounds; i++)
    {
      gsize len = g_rand_int_range (rand, 0, 2048);
      g_autofree guint8 *data = g_malloc (len + 1);

      for (gsize j = 0; j < len; j++)
        /* bias toward command bytes so that parsers get exercised */
        data[j] = g_rand_int_range (rand, 0, 4) == 0
                  ? (guint8[]){ 0x1B, 0x1D, 0x1C, 0x10, 0x0A }[g_rand_int_range (rand, 0, 5)]
                  : (guint8) g_rand_int_range (rand, 0, 256);
      render_quietly (profiles[i % 5], data, len);
    }
  g_rand_free (rand);
}

static void
test_truncated_commands (void)
{
  /* every prefix of a real document: commands cut anywhere */
  JorenEscpos *e = joren_escpos_new (joren_test_profile ("epson-tm-t20-jp"));
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize len;

  joren_escpos_init (e);
  joren_escpos_text (e, "税込 ¥1,280\n牛肉麵\n");
  joren_escpos_barcode (e, JOREN_ESCPOS_CODE128, "R1-7", TRUE, NULL);
  joren_escpos_qr (e, "V-1", JOREN_QR_NATIVE, NULL);
  joren_escpos_cut (e, TRUE);
  bytes = joren_escpos_free_to_bytes (e);
  data = g_bytes_get_data (bytes, &len);
  for (gsize n = 0; n <= len; n += 1 + n / 64)
    render_quietly (joren_test_profile ("epson-tm-t20-jp"), data, n);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/devices/render/text-round-trip", test_text_round_trip);
  g_test_add_func ("/joren/devices/render/mixed-line", test_mixed_line);
  g_test_add_func ("/joren/devices/render/barcodes", test_barcodes_scan_back);
  g_test_add_func ("/joren/devices/render/qr", test_qr_scans_back);
  g_test_add_func ("/joren/devices/render/random-bytes", test_random_bytes);
  g_test_add_func ("/joren/devices/render/truncated", test_truncated_commands);
  return g_test_run ();
}
