/* test-ui-printing.c: the register prints, for real. The printer is a
 * loopback TCP listener (a GSocketService on 127.0.0.1 that records each
 * job and answers DLE EOT status like an Epson), set up through the back
 * office's printer form. A cash sale must reach it with its receipt
 * number, the drawer pulse and a cut; with the listener gone the sale
 * still commits and the Retry bar shows; Retry and Reprint deliver once it
 * is back, Reprint even from a window that never printed the sale (a
 * restart). The PNG transport writes an image of the paper's width. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "joren-backoffice.h"
#include "joren-cash.h"
#include "joren-device-error.h"
#include "joren-printer-config.h"
#include "joren-printer-profile.h"
#include "joren-printer-settings.h"
#include "joren-sale-db.h"
#include "joren-tender-view.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-window.h"

#define PROFILE "epson-tm-t20-jp"
#define TRANSPORT_NETWORK JOREN_PRINTER_TRANSPORT_NETWORK
#define TRANSPORT_PNG     JOREN_PRINTER_TRANSPORT_PNG
#define PNG_FILE          JOREN_PRINTER_PNG_FILE

static const guint8 drawer_pulse[] = { 0x1b, 'p', 0x00 };   /* ESC p 0 */
static const guint8 cut[] = { 0x1d, 'V' };                 /* GS V */

/* --- a network printer on loopback --- */

typedef struct {
  GSocketService *service;
  guint16         port;
  GMutex          lock;
  GPtrArray      *jobs;   /* GBytes, one per connection, status requests removed */
} Listener;

/* Reads one job to EOF, answering DLE EOT n with "ready" as it goes. */
static gboolean
serve_cb (GThreadedSocketService *service,
          GSocketConnection      *connection,
          GObject                *source,
          Listener               *listener)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GByteArray) job = g_byte_array_new ();
  const guint8 ready = 0x12;
  guint8 buf[4096];
  gssize n;

  while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL)) > 0)
    {
      g_byte_array_append (job, buf, (guint) n);
      while (job->len >= 3 && job->data[0] == 0x10 && job->data[1] == 0x04)
        {
          g_output_stream_write_all (out, &ready, 1, NULL, NULL, NULL);
          g_byte_array_remove_range (job, 0, 3);
        }
    }
  g_mutex_lock (&listener->lock);
  g_ptr_array_add (listener->jobs, g_byte_array_free_to_bytes (g_steal_pointer (&job)));
  g_mutex_unlock (&listener->lock);
  return TRUE;
}

/* port 0: any free port (remembered for a restart on the same one). */
static void
listener_start (Listener *listener,
                guint16   port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (listener->service);
  listener->service = g_threaded_socket_service_new (2);
  g_socket_listener_add_address (G_SOCKET_LISTENER (listener->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &bound, &error);
  g_assert_no_error (error);
  listener->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (listener->service, "run", G_CALLBACK (serve_cb), listener);
  g_socket_service_start (listener->service);
}

/* Closed, not just stopped: connecting must be refused, as when the
 * printer is switched off. */
static void
listener_stop (Listener *listener)
{
  g_socket_service_stop (listener->service);
  g_socket_listener_close (G_SOCKET_LISTENER (listener->service));
  g_clear_object (&listener->service);
}

static guint
listener_count_jobs (Listener *listener)
{
  guint n;

  g_mutex_lock (&listener->lock);
  n = listener->jobs->len;
  g_mutex_unlock (&listener->lock);
  return n;
}

typedef struct {
  Listener *listener;
  guint     jobs;
} JobsWait;

static gboolean
has_jobs (gpointer data)
{
  JobsWait *wait = data;

  return listener_count_jobs (wait->listener) >= wait->jobs;
}

/* Job number index (from 0), once it has arrived. */
static GBytes *
listener_wait_job (Listener *listener,
                   guint     index)
{
  JobsWait wait = { listener, index + 1 };
  GBytes *job;

  if (!joren_test_ui_wait_for (has_jobs, &wait))
    g_error ("The printer got %u jobs, expected %u", listener_count_jobs (listener), index + 1);
  g_mutex_lock (&listener->lock);
  job = g_bytes_ref (g_ptr_array_index (listener->jobs, index));
  g_mutex_unlock (&listener->lock);
  return job;
}

static gboolean
bytes_contain (GBytes       *bytes,
               gconstpointer needle,
               gsize         len)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  for (gsize i = 0; i + len <= size; i++)
    if (memcmp (data + i, needle, len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
bytes_contain_text (GBytes     *bytes,
                    const char *text)
{
  return bytes_contain (bytes, text, strlen (text));
}

/* --- the register --- */

typedef struct {
  JorenDb     *db;
  JorenWindow *window;
  Listener     listener;
  char        *tmpdir;
} Fixture;

static JorenWindow *
open_window (JorenDb *db)
{
  JorenWindow *window = joren_window_new (NULL, db);

  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped, window));
  joren_test_ui_spin (100);
  return window;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JorenStaff) manager = NULL;
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->tmpdir = joren_test_make_tmpdir ();
  /* The drawer is open already: no float dialog over the register. */
  manager = joren_test_find_staff (fixture->db, "Ben");
  session = joren_cash_session_open (fixture->db, manager->id, 10000, &error);
  g_assert_no_error (error);
  g_mutex_init (&fixture->listener.lock);
  fixture->listener.jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  fixture->window = open_window (fixture->db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  joren_test_ui_spin (50);
  if (fixture->listener.service != NULL)
    listener_stop (&fixture->listener);
  g_ptr_array_unref (fixture->listener.jobs);
  g_mutex_clear (&fixture->listener.lock);
  g_clear_object (&fixture->db);
  g_free (fixture->tmpdir);
}

typedef struct {
  JorenWindow *window;
  const char  *page;
} PageWait;

static gboolean
is_on_page (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (joren_window_get_page (wait->window), wait->page) == 0;
}

static void
assert_page_soon (JorenWindow *window,
                  const char  *page)
{
  PageWait wait = { window, page };

  if (!joren_test_ui_wait_for (is_on_page, &wait))
    g_error ("Expected page %s, still on %s", page, joren_window_get_page (window));
}

static void
sign_in (JorenWindow *window,
         const char  *name,
         const char  *pin)
{
  joren_test_ui_tap (GTK_WIDGET (window), name);
  for (const char *p = pin; *p; p++)
    {
      char key[2] = { *p, '\0' };

      joren_test_ui_tap (GTK_WIDGET (window), key);
    }
  joren_test_ui_tap (GTK_WIDGET (window), "OK");
  assert_page_soon (window, "register");
}

/* The owner fills in the back office's printer form and taps Save. */
static void
set_printer (Fixture    *fixture,
             const char *transport,
             const char *address,
             const char *profile)
{
  GtkWidget *backoffice = joren_window_get_backoffice (fixture->window);
  GtkWidget *settings = joren_backoffice_get_printer_settings (JOREN_BACKOFFICE (backoffice));
  g_autofree char *stored = NULL;

  g_assert_true (joren_window_show_page (fixture->window, "backoffice"));
  joren_backoffice_show_section (JOREN_BACKOFFICE (backoffice), "printer");
  joren_test_ui_spin (50);
  joren_printer_settings_set_values (JOREN_PRINTER_SETTINGS (settings), transport, address, profile);
  joren_test_ui_tap (settings, "Save");
  stored = joren_db_get_setting (fixture->db, JOREN_SETTING_PRINTER_TRANSPORT);
  g_assert_cmpstr (stored, ==, transport);
  g_assert_true (joren_window_show_page (fixture->window, "register"));
}

static gboolean
is_done (gpointer data)
{
  return joren_tender_view_is_done (JOREN_TENDER_VIEW (joren_window_get_tender_view (data)));
}

/* Taps a product, Pay, then the tender; returns the committed receipt
 * number (read back from the database). */
static char *
sell (JorenWindow *window,
      JorenDb     *db,
      const char  *tender)
{
  GtkWidget *product = joren_test_ui_find_by_class (GTK_WIDGET (window), "product-button");
  g_autoptr(JorenSale) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (product);
  joren_test_ui_click (product);
  joren_test_ui_tap (GTK_WIDGET (window), "Pay");
  assert_page_soon (window, "tender");
  joren_test_ui_tap (GTK_WIDGET (window), tender);
  g_assert_true (joren_test_ui_wait_for (is_done, window));
  stored = joren_db_load_last_sale (db, &error);
  g_assert_no_error (error);
  return g_strdup (joren_sale_get_receipt_no (stored));
}

static void
next_customer (JorenWindow *window)
{
  joren_test_ui_tap (GTK_WIDGET (window), "Next customer");
  assert_page_soon (window, "register");
}

/* Revealed, and its Retry button on screen (mapped a frame later). */
static gboolean
print_bar_shows (gpointer data)
{
  return joren_window_get_print_bar_visible (data) &&
         joren_test_ui_find_button (data, "Retry") != NULL;
}

/* The queue logs each failed job; that log line is expected here. */
static void
expect_print_failure (void)
{
  g_test_expect_message ("Joren", G_LOG_LEVEL_WARNING, "Printing on*failed*");
}

static void
assert_print_bar_soon (JorenWindow *window)
{
  g_assert_true (joren_test_ui_wait_for (print_bar_shows, window));
  g_test_assert_expected_messages ();
  g_assert_cmpstr (joren_window_get_print_bar_text (window), !=, "");
  g_test_message ("print bar: %s", joren_window_get_print_bar_text (window));
}

static gboolean
print_bar_hidden (gpointer data)
{
  return !joren_window_get_print_bar_visible (data);
}

static void
assert_sale_receipt (GBytes     *job,
                     const char *receipt_no,
                     gboolean    drawer)
{
  g_assert_true (bytes_contain_text (job, receipt_no));
  g_assert_true (bytes_contain (job, cut, sizeof cut));
  g_assert_cmpint (bytes_contain (job, drawer_pulse, sizeof drawer_pulse), ==, drawer);
}

/* --- tests --- */

static void
test_network (Fixture       *fixture,
              gconstpointer  data)
{
  JorenWindow *window = fixture->window;
  GtkWidget *tender_view = joren_window_get_tender_view (window);
  g_autofree char *address = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JorenSale) stored = NULL;
  g_autoptr(GBytes) job = NULL;
  g_autoptr(GBytes) retried = NULL;
  g_autoptr(GBytes) reprint = NULL;
  g_autoptr(GError) error = NULL;
  GdkPaintable *preview;

  listener_start (&fixture->listener, 0);
  address = g_strdup_printf ("127.0.0.1:%u", fixture->listener.port);
  sign_in (window, "Aiko", "1111");
  set_printer (fixture, TRANSPORT_NETWORK, address, PROFILE);

  /* A cash sale: receipt number, drawer pulse, cut; the preview beside
   * the change is the paper's width. */
  first = sell (window, fixture->db, "Cash");
  job = listener_wait_job (&fixture->listener, 0);
  assert_sale_receipt (job, first, TRUE);
  preview = joren_tender_view_get_preview (JOREN_TENDER_VIEW (tender_view));
  g_assert_nonnull (preview);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (preview), ==,
                   joren_printer_profile_lookup (PROFILE)->dots);
  g_assert_false (joren_window_get_print_bar_visible (window));
  next_customer (window);

  /* The printer is off: the sale commits anyway and the bar says so. */
  listener_stop (&fixture->listener);
  expect_print_failure ();
  second = sell (window, fixture->db, "Cash");
  g_assert_cmpstr (second, !=, first);
  assert_print_bar_soon (window);
  stored = joren_db_load_sale (fixture->db, second, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_paid (stored), ==, joren_sale_get_total (stored));
  g_assert_true (is_done (window));

  /* Back on the same port: Retry delivers the same receipt. */
  listener_start (&fixture->listener, fixture->listener.port);
  joren_test_ui_tap (GTK_WIDGET (window), "Retry");
  retried = listener_wait_job (&fixture->listener, 1);
  assert_sale_receipt (retried, second, TRUE);
  g_assert_true (joren_test_ui_wait_for (print_bar_hidden, window));

  /* Reprint: the last sale again, marked, and the drawer stays shut. */
  joren_test_ui_tap (GTK_WIDGET (window), "Reprint");
  reprint = listener_wait_job (&fixture->listener, 2);
  assert_sale_receipt (reprint, second, FALSE);
  g_assert_true (bytes_contain_text (reprint, "REPRINT"));
}

static void
test_dismiss (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autofree char *address = NULL;

  /* Nothing listens on this port once the listener is gone. */
  listener_start (&fixture->listener, 0);
  listener_stop (&fixture->listener);
  address = g_strdup_printf ("127.0.0.1:%u", fixture->listener.port);
  sign_in (fixture->window, "Aiko", "1111");
  set_printer (fixture, TRANSPORT_NETWORK, address, PROFILE);
  expect_print_failure ();
  receipt = sell (fixture->window, fixture->db, "Card");
  assert_print_bar_soon (fixture->window);
  joren_test_ui_tap (GTK_WIDGET (fixture->window), "Dismiss");
  g_assert_true (joren_test_ui_wait_for (print_bar_hidden, fixture->window));
  g_assert_nonnull (receipt);
}

static void
test_reprint_after_restart (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *address = NULL;
  g_autofree char *receipt = NULL;
  g_autoptr(GBytes) job = NULL;
  g_autoptr(GBytes) reprint = NULL;

  listener_start (&fixture->listener, 0);
  address = g_strdup_printf ("127.0.0.1:%u", fixture->listener.port);
  sign_in (fixture->window, "Aiko", "1111");
  set_printer (fixture, TRANSPORT_NETWORK, address, PROFILE);
  receipt = sell (fixture->window, fixture->db, "Card");
  job = listener_wait_job (&fixture->listener, 0);
  assert_sale_receipt (job, receipt, FALSE);   /* card: the drawer stays shut */

  /* A new window on the same file: the queue has never printed. */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  joren_test_ui_spin (50);
  fixture->window = open_window (fixture->db);
  sign_in (fixture->window, "Chen", "3333");
  joren_test_ui_tap (GTK_WIDGET (fixture->window), "Reprint");
  reprint = listener_wait_job (&fixture->listener, 1);
  assert_sale_receipt (reprint, receipt, FALSE);
  g_assert_true (bytes_contain_text (reprint, "REPRINT"));
}

static void
test_reprint_without_printer (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *receipt = NULL;

  sign_in (fixture->window, "Chen", "3333");
  receipt = sell (fixture->window, fixture->db, "Cash");
  g_assert_nonnull (receipt);
  /* The change screen still shows the receipt. */
  g_assert_nonnull (joren_tender_view_get_preview (JOREN_TENDER_VIEW (joren_window_get_tender_view (fixture->window))));
  g_assert_false (joren_window_get_print_bar_visible (fixture->window));
  next_customer (fixture->window);
  joren_test_ui_tap (GTK_WIDGET (fixture->window), "Reprint");
  g_assert_true (joren_window_get_banner_visible (fixture->window));
  g_test_message ("reprint says: %s", joren_window_get_banner_text (fixture->window));
}

typedef struct {
  const char *path;
  gint64      after;   /* modified later than this (µs since the epoch) */
} FileWait;

static gboolean
file_written (gpointer data)
{
  FileWait *wait = data;
  g_autoptr(GFile) file = g_file_new_for_path (wait->path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                                 G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autoptr(GDateTime) modified = NULL;

  if (info == NULL)
    return FALSE;
  modified = g_file_info_get_modification_date_time (info);
  return g_date_time_to_unix (modified) * G_USEC_PER_SEC + g_date_time_get_microsecond (modified)
         >= wait->after;
}

static void
assert_png_width (const char *path,
                  int         width)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), >, 100);
}

static void
test_png (Fixture       *fixture,
          gconstpointer  data)
{
  const JorenPrinterProfile *profile = joren_printer_profile_lookup ("clone-58-cn");
  g_autofree char *path = g_build_filename (fixture->tmpdir, PNG_FILE, NULL);
  GtkWidget *backoffice = joren_window_get_backoffice (fixture->window);
  GtkWidget *settings = joren_backoffice_get_printer_settings (JOREN_BACKOFFICE (backoffice));
  FileWait wait = { path, 0 };
  g_autofree char *receipt = NULL;

  sign_in (fixture->window, "Aiko", "1111");

  /* Test print straight from the form, before saving. */
  g_assert_true (joren_window_show_page (fixture->window, "backoffice"));
  joren_backoffice_show_section (JOREN_BACKOFFICE (backoffice), "printer");
  joren_test_ui_spin (50);
  joren_printer_settings_set_values (JOREN_PRINTER_SETTINGS (settings),
                                     TRANSPORT_PNG, fixture->tmpdir, profile->id);
  joren_test_ui_tap (settings, "Test print");
  g_assert_true (joren_test_ui_wait_for (file_written, &wait));
  assert_png_width (path, (int) profile->dots);
  g_remove (path);

  /* Saved: the register's receipts go there too. */
  set_printer (fixture, TRANSPORT_PNG, fixture->tmpdir, profile->id);
  wait.after = g_get_real_time () - G_USEC_PER_SEC;
  receipt = sell (fixture->window, fixture->db, "Cash");
  g_assert_nonnull (receipt);
  g_assert_true (joren_test_ui_wait_for (file_written, &wait));
  assert_png_width (path, (int) profile->dots);
  g_assert_false (joren_window_get_print_bar_visible (fixture->window));
}

static void
test_bad_address (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *backoffice = joren_window_get_backoffice (fixture->window);
  GtkWidget *settings = joren_backoffice_get_printer_settings (JOREN_BACKOFFICE (backoffice));
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;

  sign_in (fixture->window, "Aiko", "1111");
  g_assert_true (joren_window_show_page (fixture->window, "backoffice"));
  joren_backoffice_show_section (JOREN_BACKOFFICE (backoffice), "printer");
  joren_printer_settings_set_values (JOREN_PRINTER_SETTINGS (settings),
                                     "usb", "not-an-id", NULL);
  g_assert_false (joren_printer_settings_save (JOREN_PRINTER_SETTINGS (settings), &error));
  g_assert_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID);
  stored = joren_db_get_setting (fixture->db, JOREN_SETTING_PRINTER_TRANSPORT);
  g_assert_null (stored);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/joren/ui/printing/network", Fixture, NULL,
              fixture_set_up, test_network, fixture_tear_down);
  g_test_add ("/joren/ui/printing/dismiss", Fixture, NULL,
              fixture_set_up, test_dismiss, fixture_tear_down);
  g_test_add ("/joren/ui/printing/reprint-after-restart", Fixture, NULL,
              fixture_set_up, test_reprint_after_restart, fixture_tear_down);
  g_test_add ("/joren/ui/printing/reprint-without-printer", Fixture, NULL,
              fixture_set_up, test_reprint_without_printer, fixture_tear_down);
  g_test_add ("/joren/ui/printing/png", Fixture, NULL,
              fixture_set_up, test_png, fixture_tear_down);
  g_test_add ("/joren/ui/printing/bad-address", Fixture, NULL,
              fixture_set_up, test_bad_address, fixture_tear_down);
  return g_test_run ();
}
