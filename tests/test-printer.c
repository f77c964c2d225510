/* test-printer.c: the transports and the print queue for real: a loopback
 * TCP listener that records every byte and answers status requests like
 * a printer, device files in a temp dir, and the PNG printer. Jobs go
 * through the queue so failures arrive as GErrors in the main loop. */
#include <glib/gstdio.h>
#include <string.h>

#include "joren-device-error.h"
#include "joren-escpos-render.h"
#include "joren-print-queue.h"
#include "joren-printer-file.h"
#include "joren-printer-net.h"
#include "joren-printer-png.h"
#include "test-escpos-common.h"

/* ---- a fake network printer ---- */

typedef struct {
  GSocketListener *listener;
  GCancellable    *stop;      /* wakes the blocked accept() */
  guint16          port;
  GThread         *thread;
  GMutex           lock;
  GByteArray      *received;   /* data, status requests removed */
  guint8           paper;      /* reply to DLE EOT 4 */
  guint            jobs;
} FakePrinter;

/* Reads one connection to EOF, answering DLE EOT n as it goes. */
static void
serve_connection (FakePrinter *fp, GSocketConnection *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autoptr(GByteArray) all = g_byte_array_new ();
  guint8 buf[4096];
  gssize n;

  while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL)) > 0)
    {
      g_byte_array_append (all, buf, n);
      while (all->len >= 3 && all->data[0] == 0x10 && all->data[1] == 0x04)
        {
          g_mutex_lock (&fp->lock);
          guint8 reply = all->data[2] == 4 ? fp->paper : 0x12;
          g_mutex_unlock (&fp->lock);
          g_output_stream_write_all (out, &reply, 1, NULL, NULL, NULL);
          g_byte_array_remove_range (all, 0, 3);
        }
    }
  g_mutex_lock (&fp->lock);
  g_byte_array_append (fp->received, all->data, all->len);
  fp->jobs++;
  g_mutex_unlock (&fp->lock);
}

static gpointer
serve (gpointer data)
{
  FakePrinter *fp = data;

  for (;;)
    {
      g_autoptr(GSocketConnection) conn = g_socket_listener_accept (fp->listener, NULL, fp->stop, NULL);

      if (conn == NULL)
        return NULL;
      serve_connection (fp, conn);
    }
}

static FakePrinter *
fake_printer_new (void)
{
  FakePrinter *fp = g_new0 (FakePrinter, 1);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  fp->listener = g_socket_listener_new ();
  fp->stop = g_cancellable_new ();
  g_socket_listener_add_address (fp->listener, addr, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  fp->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_mutex_init (&fp->lock);
  fp->received = g_byte_array_new ();
  fp->paper = 0x12;
  fp->thread = g_thread_new ("fake-printer", serve, fp);
  return fp;
}

static void
fake_printer_free (FakePrinter *fp)
{
  g_cancellable_cancel (fp->stop);
  g_thread_join (fp->thread);
  g_socket_listener_close (fp->listener);
  g_object_unref (fp->stop);
  g_object_unref (fp->listener);
  g_byte_array_unref (fp->received);
  g_mutex_clear (&fp->lock);
  g_free (fp);
}

/* ---- waiting for async results in the main loop ---- */

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Wait;

static void
printed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  JorenPrintQueue *q = JOREN_PRINT_QUEUE (source);

  if (g_task_get_source_tag (G_TASK (result)) == joren_print_queue_print_receipt_async)
    w->ok = joren_print_queue_print_receipt_finish (q, result, &w->error);
  else if (g_task_get_source_tag (G_TASK (result)) == joren_print_queue_reprint_last_async)
    w->ok = joren_print_queue_reprint_last_finish (q, result, &w->error);
  else
    w->ok = joren_print_queue_print_bytes_finish (q, result, &w->error);
  w->done = TRUE;
}

static void
wait_for (Wait *w)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!w->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (w->done);
}

static JorenReceipt *
small_receipt (const char *footer)
{
  JorenReceipt *r = joren_receipt_new ();

  joren_receipt_add_header (r, "Bäckerei Müller", "Hauptstraße 5", NULL, NULL);
  joren_receipt_add_item (r, "Brezel", "3 × 0,80 €", "2,40 €");
  joren_receipt_add_row (r, "Summe", "2,40 €", JOREN_RECEIPT_LARGE);
  joren_receipt_add_qr (r, "V-77");
  joren_receipt_add_footer (r, footer);
  return r;
}

static void
print_receipt (JorenPrintQueue *q, JorenReceipt *r, Wait *w)
{
  joren_print_queue_print_receipt_async (q, r, NULL, printed_cb, w);
  wait_for (w);
}

static void
test_net_records (void)
{
  FakePrinter *fp = fake_printer_new ();
  const JorenPrinterProfile *profile = joren_test_profile ("epson-tm-t88");
  g_autoptr(JorenPrinter) printer = joren_printer_net_new (profile, "127.0.0.1", fp->port);
  g_autoptr(JorenPrintQueue) q = joren_print_queue_new (printer);
  g_autoptr(JorenReceipt) r = small_receipt ("Danke");
  g_autoptr(GBytes) expected = joren_receipt_encode (r, profile, NULL);
  g_autoptr(GBytes) got = NULL;
  Wait w = { 0 };
  gint64 start = g_get_monotonic_time ();

  joren_print_queue_print_receipt_async (q, r, NULL, printed_cb, &w);
  /* the till is not held up: submitting returns at once */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 50000);
  wait_for (&w);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  /* the server counts the job once the connection closed */
  for (gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       g_get_monotonic_time () < end;)
    {
      g_mutex_lock (&fp->lock);
      guint jobs = fp->jobs;
      g_mutex_unlock (&fp->lock);
      if (jobs == 1)
        break;
      g_usleep (1000);
    }
  g_mutex_lock (&fp->lock);
  got = g_bytes_new (fp->received->data, fp->received->len);
  g_mutex_unlock (&fp->lock);
  g_assert_true (g_bytes_equal (got, expected));
  fake_printer_free (fp);
}

static void
test_net_no_paper_then_retry (void)
{
  FakePrinter *fp = fake_printer_new ();
  const JorenPrinterProfile *profile = joren_test_profile ("epson-tm-t88");
  g_autoptr(JorenPrinter) printer = joren_printer_net_new (profile, "127.0.0.1", fp->port);
  g_autoptr(JorenPrintQueue) q = joren_print_queue_new (printer);
  g_autoptr(JorenReceipt) r = small_receipt ("Danke");
  Wait w = { 0 }, retry = { 0 };

  fp->paper = 0x72;   /* 0xx1xx10 with paper end bits 5 and 6 */
  g_test_expect_message ("Joren", G_LOG_LEVEL_WARNING, "*out of paper*");
  print_receipt (q, r, &w);
  g_test_assert_expected_messages ();
  g_assert_error (w.error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NO_PAPER);
  g_assert_false (w.ok);
  g_clear_error (&w.error);
  g_mutex_lock (&fp->lock);
  fp->paper = 0x12;
  g_mutex_unlock (&fp->lock);
  print_receipt (q, r, &retry);
  g_assert_no_error (retry.error);
  g_assert_true (retry.ok);
  fake_printer_free (fp);
}

static void
test_net_refused (void)
{
  FakePrinter *fp = fake_printer_new ();
  guint16 port = fp->port;
  g_autoptr(JorenPrinter) printer = NULL;
  g_autoptr(JorenPrintQueue) q = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x\n", 2);
  Wait w = { 0 };

  fake_printer_free (fp);   /* nothing listens on port now */
  printer = joren_printer_net_new (joren_test_profile ("clone-58-cn"), "127.0.0.1", port);
  q = joren_print_queue_new (printer);
  g_test_expect_message ("Joren", G_LOG_LEVEL_WARNING, "*does not answer*");
  joren_print_queue_print_bytes_async (q, bytes, NULL, printed_cb, &w);
  wait_for (&w);
  g_test_assert_expected_messages ();
  g_assert_error (w.error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND);
  g_clear_error (&w.error);
}

static void
test_file_queue_order (void)
{
  g_autofree char *dir = g_dir_make_tmp ("joren-printer-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lp0", NULL);
  const JorenPrinterProfile *profile = joren_test_profile ("clone-58-cn");
  g_autoptr(JorenPrinter) printer = joren_printer_file_new (profile, path);
  g_autoptr(JorenPrintQueue) q = joren_print_queue_new (printer);
  Wait w[3] = { { 0 } };
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_file_set_contents (path, "", 0, NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *footer = g_strdup_printf ("job %u", i);
      g_autoptr(JorenReceipt) r = small_receipt (footer);
      g_autoptr(GBytes) b = joren_receipt_encode (r, profile, NULL);

      g_byte_array_append (expected, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
      joren_print_queue_print_receipt_async (q, r, NULL, printed_cb, &w[i]);
    }
  for (guint i = 0; i < 3; i++)
    {
      wait_for (&w[i]);
      g_assert_no_error (w[i].error);
    }
  g_file_get_contents (path, &contents, &len, NULL);
  g_assert_cmpmem (contents, len, expected->data, expected->len);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_file_missing (void)
{
  g_autoptr(JorenPrinter) printer =
    joren_printer_file_new (joren_test_profile ("clone-58-cn"), "/nonexistent/usb/lp9");
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x\n", 2);
  g_autoptr(GError) error = NULL;

  g_assert_false (joren_printer_print (printer, bytes, NULL, &error));
  g_assert_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/usb/lp9"));
}

static void
test_png_printer_and_reprint (void)
{
  g_autofree char *path = joren_test_output_path ("png-printer.png");
  const JorenPrinterProfile *profile = joren_test_profile ("epson-tm-t20-jp");
  g_autoptr(JorenPrinter) printer = joren_printer_png_new (profile, path);
  g_autoptr(JorenPrintQueue) q = joren_print_queue_new (printer);
  g_autoptr(JorenReceipt) r = small_receipt ("ありがとう");
  g_autofree char *scanned = NULL;
  cairo_surface_t *s;
  Wait none = { 0 }, first = { 0 }, again = { 0 };

  joren_print_queue_reprint_last_async (q, NULL, printed_cb, &none);
  wait_for (&none);
  g_assert_error (none.error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND);
  g_clear_error (&none.error);

  print_receipt (q, r, &first);
  g_assert_no_error (first.error);
  s = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 576);
  g_assert_cmpint (cairo_image_surface_get_height (s), >, 300);
  cairo_surface_destroy (s);
  scanned = joren_test_zbarimg (path);
  g_assert_cmpstr (scanned, ==, "QR-Code:V-77\n");

  joren_print_queue_reprint_last_async (q, NULL, printed_cb, &again);
  wait_for (&again);
  g_assert_no_error (again.error);
  g_assert_true (again.ok);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/devices/printer/net/bytes", test_net_records);
  g_test_add_func ("/joren/devices/printer/net/no-paper-retry", test_net_no_paper_then_retry);
  g_test_add_func ("/joren/devices/printer/net/refused", test_net_refused);
  g_test_add_func ("/joren/devices/printer/file/queue-order", test_file_queue_order);
  g_test_add_func ("/joren/devices/printer/file/missing", test_file_missing);
  g_test_add_func ("/joren/devices/printer/png/reprint", test_png_printer_and_reprint);
  return g_test_run ();
}
