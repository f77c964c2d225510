/* test-escpos.c: the encoder, command by command, against golden bytes
 * (checked by hand against Epson's ESC/POS reference), plus the text
 * paths: each profile's own font, and the raster fallback for characters
 * a font lacks. */
#define _GNU_SOURCE
#include <string.h>

#include "joren-device-error.h"
#include "joren-escpos.h"
#include "test-escpos-common.h"

typedef struct {
  const char *name;
  const char *profile;
  void      (*encode) (JorenEscpos *e);
} GoldenCase;

static void
encode_nothing (JorenEscpos *e)
{
}

static void
encode_styles (JorenEscpos *e)
{
  joren_escpos_set_bold (e, TRUE);
  joren_escpos_text (e, "B");
  joren_escpos_set_bold (e, TRUE);   /* no second ESC E */
  joren_escpos_set_underline (e, 1);
  joren_escpos_text (e, "U");
  joren_escpos_set_underline (e, 2);
  joren_escpos_text (e, "2");
  joren_escpos_reset_style (e);
  joren_escpos_text (e, "n\n");
  joren_escpos_set_size (e, 2, 2);
  joren_escpos_text (e, "W");
  joren_escpos_set_size (e, 1, 2);
  joren_escpos_text (e, "H");
  joren_escpos_set_size (e, 1, 1);
  joren_escpos_set_reverse (e, TRUE);
  joren_escpos_text (e, "R");
  joren_escpos_set_reverse (e, FALSE);
  joren_escpos_set_font (e, 1);
  joren_escpos_text (e, "b\n");
}

static void
encode_align (JorenEscpos *e)
{
  joren_escpos_set_align (e, JOREN_ALIGN_CENTER);
  joren_escpos_text (e, "C\n");
  joren_escpos_text (e, "C\n");      /* no second ESC a */
  joren_escpos_set_align (e, JOREN_ALIGN_RIGHT);
  joren_escpos_text (e, "R\n");
  joren_escpos_set_align (e, JOREN_ALIGN_LEFT);
  joren_escpos_text (e, "L\n");
}

static void
encode_spacing_feed (JorenEscpos *e)
{
  joren_escpos_set_line_spacing (e, 40);
  joren_escpos_text (e, "a\n");
  joren_escpos_set_line_spacing (e, 0);
  joren_escpos_feed (e, 3);
  joren_escpos_feed_dots (e, 300);
  joren_escpos_newline (e);
}

static void
encode_cut_full (JorenEscpos *e)
{
  joren_escpos_text (e, "end");
  joren_escpos_cut (e, FALSE);
}

static void
encode_cut_partial (JorenEscpos *e)
{
  joren_escpos_cut (e, TRUE);
}

static void
encode_pulse (JorenEscpos *e)
{
  joren_escpos_pulse (e, 0, 50, 500);
  joren_escpos_pulse (e, 1, 100, 1000);
}

static void
encode_barcodes (JorenEscpos *e)
{
  g_autoptr(GError) error = NULL;

  joren_escpos_set_align (e, JOREN_ALIGN_CENTER);
  joren_escpos_barcode (e, JOREN_ESCPOS_EAN13, "4901234567894", TRUE, &error);
  g_assert_no_error (error);
  joren_escpos_barcode (e, JOREN_ESCPOS_CODE128, "R1-{42}", FALSE, &error);
  g_assert_no_error (error);
  joren_escpos_barcode (e, JOREN_ESCPOS_CODE128, "20240001", TRUE, &error);
  g_assert_no_error (error);
}

static void
encode_qr (JorenEscpos *e)
{
  g_autoptr(GError) error = NULL;

  joren_escpos_set_align (e, JOREN_ALIGN_CENTER);
  joren_escpos_qr (e, "V-1234", JOREN_QR_AUTO, &error);
  g_assert_no_error (error);
}

static void
encode_image (JorenEscpos *e)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 32, 12);
  cairo_t *cr = cairo_create (s);
  cairo_pattern_t *grad = cairo_pattern_create_linear (0, 0, 32, 0);
  g_autoptr(JorenBitmap) bitmap = NULL;

  cairo_pattern_add_color_stop_rgb (grad, 0, 0, 0, 0);
  cairo_pattern_add_color_stop_rgb (grad, 1, 1, 1, 1);
  cairo_set_source (cr, grad);
  cairo_rectangle (cr, 0, 0, 32, 4);   /* rows 4..7 transparent: a feed */
  cairo_rectangle (cr, 0, 8, 32, 4);
  cairo_fill (cr);
  cairo_pattern_destroy (grad);
  cairo_destroy (cr);
  bitmap = joren_bitmap_new_from_surface (s, 512, TRUE);
  cairo_surface_destroy (s);
  joren_escpos_set_align (e, JOREN_ALIGN_RIGHT);
  joren_escpos_image (e, bitmap);
}

static void
encode_text_de (JorenEscpos *e)
{
  joren_escpos_text (e, "Größe 12,50 €\nStraße ×2\n");
}

static void
encode_text_ja (JorenEscpos *e)
{
  joren_escpos_text (e, "税込 ¥1,280 ｱｲｳ\nおにぎり 2点\n");
}

static void
encode_text_zh (JorenEscpos *e)
{
  joren_escpos_text (e, "合计 ¥100\n");
}

static void
encode_text_tw (JorenEscpos *e)
{
  joren_escpos_text (e, "合計 NT$100 牛肉麵\n");
}

static const GoldenCase golden_cases[] = {
  { "init-tm-t88", "epson-tm-t88", encode_nothing },
  { "init-tm-t20-jp", "epson-tm-t20-jp", encode_nothing },
  { "init-clone-58-cn", "clone-58-cn", encode_nothing },
  { "init-80-tw", "generic-80-tw", encode_nothing },
  { "init-58-raster", "generic-58-raster", encode_nothing },
  { "styles", "epson-tm-t88", encode_styles },
  { "align", "epson-tm-t88", encode_align },
  { "spacing-feed", "epson-tm-t88", encode_spacing_feed },
  { "cut-full", "epson-tm-t88", encode_cut_full },
  { "cut-partial", "epson-tm-t88", encode_cut_partial },
  { "cut-no-cutter", "clone-58-cn", encode_cut_full },
  { "pulse", "epson-tm-t88", encode_pulse },
  { "pulse-no-drawer", "generic-58-raster", encode_pulse },
  { "barcodes", "epson-tm-t88", encode_barcodes },
  { "qr-native", "epson-tm-t88", encode_qr },
  { "qr-raster", "clone-58-cn", encode_qr },
  { "image-dither", "epson-tm-t88", encode_image },
  { "text-de-cp858", "epson-tm-t88", encode_text_de },
  { "text-ja-sjis", "epson-tm-t20-jp", encode_text_ja },
  { "text-zh-gb18030", "clone-58-cn", encode_text_zh },
  { "text-tw-big5", "generic-80-tw", encode_text_tw },
};

static void
test_golden (gconstpointer data)
{
  const GoldenCase *tc = data;
  JorenEscpos *e = joren_escpos_new (joren_test_profile (tc->profile));
  g_autoptr(GBytes) bytes = NULL;

  joren_escpos_init (e);
  tc->encode (e);
  bytes = joren_escpos_free_to_bytes (e);
  joren_test_golden_check (tc->name, bytes);
}

/* Raster lines are drawn by Pango, so they are checked by structure, not
 * byte for byte: one GS v 0 image the width of the text, no text bytes. */
static void
assert_raster_line (GBytes *bytes, gsize prefix, guint min_width_bytes)
{
  gsize len;
  const guint8 *p = g_bytes_get_data (bytes, &len);
  guint xb, rows;

  g_assert_cmpuint (len, >, prefix + 8);
  p += prefix;
  /* leading blank rows may come first as ESC J feeds */
  while (p[0] == 0x1B && p[1] == 'J')
    p += 3;
  g_assert_cmpint (memcmp (p, "\x1d\x76\x30\x00", 4), ==, 0);
  xb = p[4] | p[5] << 8;
  rows = p[6] | p[7] << 8;
  g_assert_cmpuint (xb, >=, min_width_bytes);
  g_assert_cmpuint (rows, >, 8);
  g_assert_cmpuint (rows, <=, 34);
}

static void
test_raster_fallback (void)
{
  const JorenPrinterProfile *profile = joren_test_profile ("generic-58-raster");
  JorenEscpos *e = joren_escpos_new (profile);
  g_autoptr(GBytes) bytes = NULL;

  joren_escpos_text (e, "Größe\n");
  bytes = joren_escpos_free_to_bytes (e);
  /* 5 cells of 12 dots: at least 60 dots = 8 bytes */
  assert_raster_line (bytes, 0, 8);
  g_assert_null (memmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "Gr", 2));
}

static void
test_mixed_line_falls_back (void)
{
  /* 麵 is not in Shift_JIS: the whole line goes raster, keeping columns */
  JorenEscpos *e = joren_escpos_new (joren_test_profile ("epson-tm-t20-jp"));
  g_autoptr(GBytes) bytes = NULL;

  g_assert_cmpuint (joren_escpos_text_columns (e, "牛肉麵 ¥980"), ==, 11);
  joren_escpos_set_align (e, JOREN_ALIGN_RIGHT);
  joren_escpos_text (e, "牛肉麵 ¥980\n");
  bytes = joren_escpos_free_to_bytes (e);
  /* right aligned on 576 dots: the bitmap spans the full 72 bytes */
  assert_raster_line (bytes, 0, 72);
}

static void
test_columns (void)
{
  JorenEscpos *e = joren_escpos_new (joren_test_profile ("epson-tm-t88"));

  g_assert_cmpuint (joren_escpos_get_columns (e), ==, 42);
  joren_escpos_set_size (e, 2, 1);
  g_assert_cmpuint (joren_escpos_get_columns (e), ==, 21);
  joren_escpos_set_font (e, 1);
  g_assert_cmpuint (joren_escpos_get_columns (e), ==, 28);
  g_assert_cmpuint (joren_escpos_text_columns (e, "Größe €"), ==, 7);
  joren_escpos_free (e);
  e = joren_escpos_new (joren_test_profile ("clone-58-cn"));
  g_assert_cmpuint (joren_escpos_get_columns (e), ==, 32);
  g_assert_cmpuint (joren_escpos_text_columns (e, "合计 ¥1"), ==, 8);
  joren_escpos_free (e);
}

static void
test_barcode_errors (void)
{
  JorenEscpos *e = joren_escpos_new (joren_test_profile ("epson-tm-t88"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_false (joren_escpos_barcode (e, JOREN_ESCPOS_EAN13, "4901234567890", TRUE, &error));
  g_assert_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_escpos_barcode (e, JOREN_ESCPOS_EAN13, "49012", TRUE, &error));
  g_assert_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_escpos_barcode (e, JOREN_ESCPOS_CODE128, "Größe", TRUE, &error));
  g_assert_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (joren_escpos_qr (e, "", JOREN_QR_NATIVE, &error));
  g_assert_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID);
  bytes = joren_escpos_free_to_bytes (e);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);  /* nothing half-written */
}

static void
test_raster_strips (void)
{
  /* 600 black rows: three strips of at most 256 rows */
  JorenEscpos *e = joren_escpos_new (joren_test_profile ("clone-58-cn"));
  g_autoptr(JorenBitmap) bitmap = joren_bitmap_new (16, 600);
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *p;
  gsize len;
  guint rows = 0, strips = 0;

  memset (bitmap->data, 0xff, (gsize) bitmap->stride * bitmap->height);
  joren_escpos_image (e, bitmap);
  bytes = joren_escpos_free_to_bytes (e);
  p = g_bytes_get_data (bytes, &len);
  for (gsize i = 0; i + 8 <= len; strips++)
    {
      guint n;

      g_assert_cmpint (memcmp (p + i, "\x1d\x76\x30\x00\x02\x00", 6), ==, 0);
      n = p[i + 6] | p[i + 7] << 8;
      g_assert_cmpuint (n, <=, 256);
      rows += n;
      i += 8 + 2 * n;
    }
  g_assert_cmpuint (rows, ==, 600);
  g_assert_cmpuint (strips, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (golden_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/joren/devices/escpos/golden/",
                                           golden_cases[i].name, NULL);

      g_test_add_data_func (path, &golden_cases[i], test_golden);
    }
  g_test_add_func ("/joren/devices/escpos/raster-fallback", test_raster_fallback);
  g_test_add_func ("/joren/devices/escpos/mixed-line", test_mixed_line_falls_back);
  g_test_add_func ("/joren/devices/escpos/columns", test_columns);
  g_test_add_func ("/joren/devices/escpos/barcode-errors", test_barcode_errors);
  g_test_add_func ("/joren/devices/escpos/raster-strips", test_raster_strips);
  return g_test_run ();
}
