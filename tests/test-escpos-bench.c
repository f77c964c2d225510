/* test-escpos-bench.c: encode time and bytes sent for a 40-line receipt
 * with a logo and a QR code, per printer profile (native text, Kanji,
 * GB18030 with raster QR, raster-only text), plus preview render time.
 * Prints figures; JOREN_BENCH_SMALL=1 runs a few rounds for CI. */
#include <stdio.h>

#include "joren-escpos-render.h"
#include "joren-receipt.h"

static cairo_surface_t *
make_logo (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 300, 90);
  cairo_t *cr = cairo_create (s);
  cairo_pattern_t *grad = cairo_pattern_create_linear (0, 0, 300, 90);

  cairo_pattern_add_color_stop_rgb (grad, 0, 0, 0, 0);
  cairo_pattern_add_color_stop_rgb (grad, 1, 0.9, 0.9, 0.9);
  cairo_set_source (cr, grad);
  cairo_arc (cr, 150, 45, 44, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_pattern_destroy (grad);
  cairo_destroy (cr);
  return s;
}

static JorenReceipt *
make_receipt (gboolean cjk)
{
  JorenReceipt *r = joren_receipt_new ();
  cairo_surface_t *logo = make_logo ();

  joren_receipt_add_logo (r, logo);
  cairo_surface_destroy (logo);
  joren_receipt_add_header (r, cjk ? "喫茶 さくら" : "Bäckerei Müller",
                            cjk ? "東京都千代田区1-2-3" : "Hauptstraße 5", "03-1234-5678",
                            cjk ? "T1234567890123" : NULL);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf (cjk ? "おにぎり 鮭 %u" : "Brezel Nr. %u", i);

      joren_receipt_add_item (r, name, i % 3 == 0 ? "2 × 150" : NULL, "300");
    }
  joren_receipt_add_row (r, cjk ? "合計" : "Summe", "12,000", JOREN_RECEIPT_LARGE);
  joren_receipt_add_tax_row (r, "10%", "12,000", "1,090");
  joren_receipt_add_barcode (r, JOREN_ESCPOS_CODE128, "R1-000042");
  joren_receipt_add_qr (r, "https://joren.example/r/R1-000042");
  joren_receipt_add_footer (r, cjk ? "ありがとうございました" : "Vielen Dank!");
  return r;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
bench_profile (const char *id, gboolean cjk, guint rounds)
{
  const JorenPrinterProfile *profile = joren_printer_profile_lookup (id);
  g_autoptr(JorenReceipt) r = make_receipt (cjk);
  g_autofree gint64 *times = g_new (gint64, rounds);
  gsize bytes = 0;
  gint64 t0;
  cairo_surface_t *png;
  g_autoptr(GBytes) last = NULL;

  for (guint i = 0; i < rounds; i++)
    {
      gint64 start = g_get_monotonic_time ();

      g_clear_pointer (&last, g_bytes_unref);
      last = joren_receipt_encode (r, profile, NULL);
      times[i] = g_get_monotonic_time () - start;
      bytes = g_bytes_get_size (last);
    }
  qsort (times, rounds, sizeof (gint64), compare_gint64);
  t0 = g_get_monotonic_time ();
  png = joren_escpos_render (profile, last);
  printf ("%-18s encode median %7.2f ms  p90 %7.2f ms  bytes %6zu  (%.1f KiB, %.0f ms at 1 MB/s USB)  "
          "preview %dx%d in %.1f ms\n",
          id, times[rounds / 2] / 1000.0, times[rounds * 9 / 10] / 1000.0, bytes,
          bytes / 1024.0, bytes / 1000.0, cairo_image_surface_get_width (png),
          cairo_image_surface_get_height (png), (g_get_monotonic_time () - t0) / 1000.0);
  cairo_surface_destroy (png);
}

int
main (int argc, char **argv)
{
  guint rounds = g_strcmp0 (g_getenv ("JOREN_BENCH_SMALL"), "1") == 0 ? 3 : 50;

  printf ("40-line receipt with logo, barcode and QR; %u rounds\n", rounds);
  bench_profile ("epson-tm-t88", FALSE, rounds);
  bench_profile ("epson-tm-t20-jp", TRUE, rounds);
  bench_profile ("clone-58-cn", TRUE, rounds);
  bench_profile ("generic-58-raster", FALSE, rounds);
  return 0;
}
