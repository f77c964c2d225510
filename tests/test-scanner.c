/* test-scanner.c: the keyboard-wedge burst detector with timed key
 * sequences: a scanner's burst, a person typing digits and Enter, a scan
 * right after typing, a short burst, held keys flushed by the timer, and
 * a configured gap and terminator. */
#include "joren-scanner.h"

typedef struct {
  GString *typed;
  GPtrArray *scans;
} Sink;

/* Feeds text with gap_us between keys from start_us; collects results. */
static gint64
feed (JorenScanner *s, Sink *sink, const char *text, gint64 start_us, gint64 gap_us)
{
  gint64 t = start_us;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), t += gap_us)
    {
      g_autofree char *out = NULL;
      JorenScannerResult r = joren_scanner_feed (s, g_utf8_get_char (p), t, &out);

      if (r == JOREN_SCANNER_SCAN)
        g_ptr_array_add (sink->scans, g_steal_pointer (&out));
      else if (r == JOREN_SCANNER_TYPING)
        g_string_append (sink->typed, out);
      else
        g_assert_null (out);
    }
  return t;
}

static void
sink_init (Sink *sink)
{
  sink->typed = g_string_new (NULL);
  sink->scans = g_ptr_array_new_with_free_func (g_free);
}

static void
sink_clear (Sink *sink)
{
  g_string_free (sink->typed, TRUE);
  g_ptr_array_unref (sink->scans);
}

static void
test_scan_burst (void)
{
  g_autoptr(JorenScanner) s = joren_scanner_new (NULL);
  Sink sink;

  sink_init (&sink);
  feed (s, &sink, "4901234567894\n", 1000000, 4000);
  g_assert_cmpuint (sink.scans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (sink.scans, 0), ==, "4901234567894");
  g_assert_cmpstr (sink.typed->str, ==, "");
  sink_clear (&sink);
}

static void
test_human_typing (void)
{
  g_autoptr(JorenScanner) s = joren_scanner_new (NULL);
  Sink sink;

  sink_init (&sink);
  feed (s, &sink, "1280\n", 1000000, 180000);
  g_assert_cmpuint (sink.scans->len, ==, 0);
  g_assert_cmpstr (sink.typed->str, ==, "1280\n");
  sink_clear (&sink);
}

static void
test_scan_after_typing (void)
{
  g_autoptr(JorenScanner) s = joren_scanner_new (NULL);
  Sink sink;
  gint64 t;

  sink_init (&sink);
  t = feed (s, &sink, "12", 1000000, 200000);
  feed (s, &sink, "R1-000042\n", t + 300000, 3000);
  g_assert_cmpstr (sink.typed->str, ==, "12");
  g_assert_cmpuint (sink.scans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (sink.scans, 0), ==, "R1-000042");
  sink_clear (&sink);
}

static void
test_short_burst_is_typing (void)
{
  /* a fast double key press plus Enter is not a barcode */
  g_autoptr(JorenScanner) s = joren_scanner_new (NULL);
  Sink sink;

  sink_init (&sink);
  feed (s, &sink, "77\n", 1000000, 5000);
  g_assert_cmpuint (sink.scans->len, ==, 0);
  g_assert_cmpstr (sink.typed->str, ==, "77\n");
  sink_clear (&sink);
}

static void
test_flush (void)
{
  g_autoptr(JorenScanner) s = joren_scanner_new (NULL);
  g_autofree char *out = NULL;

  g_assert_cmpint (joren_scanner_feed (s, 'a', 1000000, &out), ==, JOREN_SCANNER_PENDING);
  g_assert_cmpint (joren_scanner_flush (s, 1010000, &out), ==, JOREN_SCANNER_PENDING);
  g_assert_null (out);
  g_assert_cmpint (joren_scanner_flush (s, 1100000, &out), ==, JOREN_SCANNER_TYPING);
  g_assert_cmpstr (out, ==, "a");
}

static void
test_configured (void)
{
  /* a slow card reader: 60 ms between keys, ends with Tab */
  JorenScannerConfig config = { 80000, 6, '\t' };
  g_autoptr(JorenScanner) slow = joren_scanner_new (&config);
  g_autoptr(JorenScanner) normal = joren_scanner_new (NULL);
  Sink a, b;

  sink_init (&a);
  sink_init (&b);
  feed (slow, &a, ";600123?\t", 1000000, 60000);
  feed (normal, &b, ";600123?\t", 1000000, 60000);
  g_assert_cmpuint (a.scans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (a.scans, 0), ==, ";600123?");
  g_assert_cmpuint (b.scans->len, ==, 0);
  g_assert_cmpstr (b.typed->str, ==, ";600123?");   /* Tab still held */
  sink_clear (&a);
  sink_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/devices/scanner/scan", test_scan_burst);
  g_test_add_func ("/joren/devices/scanner/typing", test_human_typing);
  g_test_add_func ("/joren/devices/scanner/scan-after-typing", test_scan_after_typing);
  g_test_add_func ("/joren/devices/scanner/short-burst", test_short_burst_is_typing);
  g_test_add_func ("/joren/devices/scanner/flush", test_flush);
  g_test_add_func ("/joren/devices/scanner/configured", test_configured);
  return g_test_run ();
}
