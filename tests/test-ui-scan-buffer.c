/* test-ui-scan-buffer.c: the scanner keystroke buffer on its own: codes
 * end at Enter, stray Enter emits nothing, control characters are refused,
 * and the inter-key gap hook starts a new code. */
#include "config.h"

#include "joren-scan-buffer.h"

static void
scanned_cb (JorenScanBuffer *buffer,
            const char      *code,
            GPtrArray       *codes)
{
  g_ptr_array_add (codes, g_strdup (code));
}

static JorenScanBuffer *
new_buffer (GPtrArray **codes)
{
  JorenScanBuffer *buffer = joren_scan_buffer_new ();

  *codes = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (buffer, "scanned", G_CALLBACK (scanned_cb), *codes);
  return buffer;
}

static void
type (JorenScanBuffer *buffer,
      const char      *text,
      guint32          start,
      guint32          step)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p), start += step)
    g_assert_true (joren_scan_buffer_push (buffer, g_utf8_get_char (p), start));
}

static void
test_code_ends_at_submit (void)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(JorenScanBuffer) buffer = new_buffer (&codes);

  type (buffer, "4901234567894", 1000, 2);
  g_assert_cmpstr (joren_scan_buffer_peek (buffer), ==, "4901234567894");
  g_assert_true (joren_scan_buffer_submit (buffer));
  type (buffer, " ABC-12 ", 2000, 2);
  g_assert_true (joren_scan_buffer_submit (buffer));
  g_assert_cmpuint (codes->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, "4901234567894");
  g_assert_cmpstr (g_ptr_array_index (codes, 1), ==, "ABC-12");
  g_assert_true (joren_scan_buffer_is_empty (buffer));
}

static void
test_empty_submit (void)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(JorenScanBuffer) buffer = new_buffer (&codes);

  g_assert_false (joren_scan_buffer_submit (buffer));
  type (buffer, "   ", 0, 1);
  g_assert_false (joren_scan_buffer_submit (buffer));
  g_assert_cmpuint (codes->len, ==, 0);
}

static void
test_refuses_control (void)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(JorenScanBuffer) buffer = new_buffer (&codes);

  g_assert_false (joren_scan_buffer_push (buffer, '\t', 0));
  g_assert_false (joren_scan_buffer_push (buffer, 0x1b, 0));
  g_assert_true (joren_scan_buffer_is_empty (buffer));
  for (guint i = 0; i < 200; i++)
    joren_scan_buffer_push (buffer, '7', i);
  g_assert_cmpuint (strlen (joren_scan_buffer_peek (buffer)), <, 64);
  joren_scan_buffer_reset (buffer);
  g_assert_true (joren_scan_buffer_is_empty (buffer));
}

static void
test_gap_starts_new_code (void)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(JorenScanBuffer) buffer = new_buffer (&codes);

  joren_scan_buffer_set_max_gap (buffer, 50);
  type (buffer, "12", 100, 5);
  /* A cashier's stray keys, then the scanner 2 s later. */
  type (buffer, "4901234567894", 2100, 3);
  g_assert_true (joren_scan_buffer_submit (buffer));
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, "4901234567894");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/joren/ui/scan-buffer/submit", test_code_ends_at_submit);
  g_test_add_func ("/joren/ui/scan-buffer/empty", test_empty_submit);
  g_test_add_func ("/joren/ui/scan-buffer/control", test_refuses_control);
  g_test_add_func ("/joren/ui/scan-buffer/gap", test_gap_starts_new_code);
  return g_test_run ();
}
