/* test-printer-usb.c: the libusb transport against an emulated printer.
 * umockdev (this test runs under umockdev-wrapper) provides a class-7
 * device with one bulk OUT endpoint; an ioctl handler plays the kernel's
 * usbfs: it accepts URBs, records their bytes, and hands them back when
 * libusb reaps with REAPURBNDELAY. Unplug makes URBs fail with ENODEV
 * and removes the device; replug adds it again. */
#include <errno.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <string.h>
#include <umockdev.h>

#include "joren-device-error.h"
#include "joren-printer-usb.h"
#include "joren-receipt.h"
#include "test-escpos-common.h"

#define SYSPATH "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1"
#define DEVNODE "/dev/bus/usb/001/002"

/* device 04b8:0202, one configuration, interface 0 class 7/1/1 (printer,
 * unidirectional) with bulk OUT endpoint 0x01 */
static const char device_description[] =
  "P: /devices/pci0000:00/0000:00:14.0/usb1/1-1\n"
  "N: bus/usb/001/002\n"
  "E: DEVNAME=" DEVNODE "\n"
  "E: DEVTYPE=usb_device\n"
  "E: DRIVER=usb\n"
  "E: PRODUCT=4b8/202/100\n"
  "E: TYPE=0/0/0\n"
  "E: BUSNUM=001\n"
  "E: DEVNUM=002\n"
  "E: SUBSYSTEM=usb\n"
  "A: busnum=1\n"
  "A: devnum=2\n"
  "A: idVendor=04b8\n"
  "A: idProduct=0202\n"
  "A: speed=12\n"
  "A: bConfigurationValue=1\n"
  "A: bNumConfigurations=1\n"
  "H: descriptors=12010002000000" "40b8040202000101020301"
  "0902190001010080" "32" "090400000107010100" "07050102400000\n";

typedef struct {
  UMockdevTestbed   *testbed;
  UMockdevIoctlBase *handler;
  GMutex             lock;
  GByteArray        *received;
  GQueue             reap;         /* UMockdevIoctlData of finished URBs */
  guint              submits;
  guint              fail_after;   /* 0: never; else URBs after this fail */
} Fixture;

static void
complete (UMockdevIoctlClient *client, int errno_)
{
  umockdev_ioctl_client_complete (client, errno_ ? -1 : 0, errno_);
}

static void
submit_urb (Fixture *f, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
  g_autoptr(GError) error = NULL;
  UMockdevIoctlData *urb_data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_urb), &error);
  struct usbdevfs_urb *urb = (struct usbdevfs_urb *) urb_data->data;
  UMockdevIoctlData *buf = NULL;

  g_mutex_lock (&f->lock);
  f->submits++;
  if (f->fail_after != 0 && f->submits > f->fail_after)
    {
      g_mutex_unlock (&f->lock);
      complete (client, ENODEV);   /* what usbfs says once unplugged */
      return;
    }
  if (urb->buffer_length > 0)
    buf = umockdev_ioctl_data_resolve (urb_data, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                       urb->buffer_length, &error);
  g_assert_no_error (error);
  if (buf != NULL && !(urb->endpoint & 0x80))
    g_byte_array_append (f->received, buf->data, urb->buffer_length);
  urb->status = 0;
  urb->actual_length = urb->buffer_length;
  g_queue_push_tail (&f->reap, g_object_ref (urb_data));
  g_mutex_unlock (&f->lock);
  complete (client, 0);
}

static void
reap_urb (Fixture *f, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
  g_autoptr(UMockdevIoctlData) urb_data = NULL;
  g_autoptr(GError) error = NULL;
  UMockdevIoctlData *ptr;

  g_mutex_lock (&f->lock);
  urb_data = g_queue_pop_head (&f->reap);
  g_mutex_unlock (&f->lock);
  if (urb_data == NULL)
    {
      complete (client, EAGAIN);
      return;
    }
  /* arg points at libusb's "struct usbdevfs_urb *": write ours there */
  ptr = umockdev_ioctl_data_resolve (arg, 0, sizeof (gpointer), &error);
  g_assert_no_error (error);
  umockdev_ioctl_data_set_ptr (ptr, 0, urb_data);
  complete (client, 0);
}

/* Runs on umockdev's thread. */
static gboolean
handle_ioctl_cb (UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user_data)
{
  Fixture *f = user_data;
  gulong request = umockdev_ioctl_client_get_request (client);
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg (client);
  g_autoptr(GError) error = NULL;

  switch (request)
    {
    case USBDEVFS_GET_CAPABILITIES:
      {
        UMockdevIoctlData *caps = umockdev_ioctl_data_resolve (arg, 0, sizeof (guint32), &error);

        *(guint32 *) caps->data = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM;
        complete (client, 0);
        return TRUE;
      }
    case USBDEVFS_SUBMITURB: submit_urb (f, client, arg); return TRUE;
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: reap_urb (f, client, arg); return TRUE;
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_DISCARDURB:
      complete (client, 0);
      return TRUE;
    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL:
      complete (client, ENODATA);   /* no kernel driver bound */
      return TRUE;
    default:
      complete (client, ENOTTY);
      return TRUE;
    }
}

static void
plug (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  umockdev_testbed_add_from_string (f->testbed, device_description, &error);
  g_assert_no_error (error);
  umockdev_testbed_attach_ioctl (f->testbed, DEVNODE, f->handler, &error);
  g_assert_no_error (error);
}

static void
unplug (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  umockdev_testbed_detach_ioctl (f->testbed, DEVNODE, &error);
  g_assert_no_error (error);
  umockdev_testbed_remove_device (f->testbed, SYSPATH);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_mutex_init (&f->lock);
  f->received = g_byte_array_new ();
  g_queue_init (&f->reap);
  f->testbed = umockdev_testbed_new ();
  f->handler = umockdev_ioctl_base_new ();
  g_signal_connect (f->handler, "handle-ioctl", G_CALLBACK (handle_ioctl_cb), f);
  plug (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->handler);
  g_clear_object (&f->testbed);
  g_queue_clear_full (&f->reap, g_object_unref);
  g_byte_array_unref (f->received);
  g_mutex_clear (&f->lock);
}

static GBytes *
make_document (guint lines)
{
  g_autoptr(JorenReceipt) r = joren_receipt_new ();

  joren_receipt_add_header (r, "Bäckerei Müller", "Hauptstraße 5", NULL, NULL);
  for (guint i = 0; i < lines; i++)
    joren_receipt_add_item (r, "Brezel", "3 × 0,80 €", "2,40 €");
  joren_receipt_add_barcode (r, JOREN_ESCPOS_CODE128, "R1-000042");
  return joren_receipt_encode (r, joren_test_profile ("epson-tm-t88"), NULL);
}

static void
assert_received (Fixture *f, GBytes *expected)
{
  g_mutex_lock (&f->lock);
  g_assert_cmpmem (f->received->data, f->received->len,
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_byte_array_set_size (f->received, 0);
  g_mutex_unlock (&f->lock);
}

static void
test_print_by_id (Fixture *f, gconstpointer data)
{
  g_autoptr(JorenPrinter) printer = joren_printer_usb_new (joren_test_profile ("epson-tm-t88"), 0x04b8, 0x0202);
  g_autoptr(GBytes) doc = make_document (3);
  g_autoptr(GError) error = NULL;

  g_assert_true (joren_printer_print (printer, doc, NULL, &error));
  g_assert_no_error (error);
  assert_received (f, doc);
}

static void
test_print_by_class (Fixture *f, gconstpointer data)
{
  g_autoptr(JorenPrinter) printer = joren_printer_usb_new (joren_test_profile ("epson-tm-t88"), 0, 0);
  g_autoptr(JorenPrinter) other = joren_printer_usb_new (joren_test_profile ("epson-tm-t88"), 0x0416, 0x5011);
  g_autoptr(GBytes) doc = make_document (200);   /* > 4096 bytes: several chunks */
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (doc), >, 8192);
  g_assert_true (joren_printer_print (printer, doc, NULL, &error));
  g_assert_no_error (error);
  assert_received (f, doc);
  g_assert_false (joren_printer_print (other, doc, NULL, &error));
  g_assert_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND);
}

static void
test_unplug_and_retry (Fixture *f, gconstpointer data)
{
  g_autoptr(JorenPrinter) printer = joren_printer_usb_new (joren_test_profile ("epson-tm-t88"), 0x04b8, 0x0202);
  g_autoptr(GBytes) doc = make_document (200);
  g_autoptr(GError) error = NULL;

  /* the cable comes out after the first chunk */
  f->fail_after = 1;
  g_assert_false (joren_printer_print (printer, doc, NULL, &error));
  g_assert_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_UNPLUGGED);
  g_clear_error (&error);
  unplug (f);
  /* gone, or libusb has not seen the removal yet: either way a clear error */
  g_assert_false (joren_printer_print (printer, doc, NULL, &error));
  g_assert_true (g_error_matches (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND)
                 || g_error_matches (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_UNPLUGGED));
  g_clear_error (&error);

  /* plugged back in: Retry prints the whole receipt */
  plug (f);
  g_mutex_lock (&f->lock);
  f->fail_after = 0;
  g_byte_array_set_size (f->received, 0);
  g_mutex_unlock (&f->lock);
  g_assert_true (joren_printer_print (printer, doc, NULL, &error));
  g_assert_no_error (error);
  assert_received (f, doc);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_strrstr (g_getenv ("LD_PRELOAD") ? g_getenv ("LD_PRELOAD") : "", "umockdev-preload") == NULL)
    {
      g_printerr ("run under umockdev-wrapper\n");
      return 77;
    }
  g_test_add ("/joren/devices/printer/usb/by-id", Fixture, NULL, fixture_setup,
              test_print_by_id, fixture_teardown);
  g_test_add ("/joren/devices/printer/usb/by-class", Fixture, NULL, fixture_setup,
              test_print_by_class, fixture_teardown);
  g_test_add ("/joren/devices/printer/usb/unplug-retry", Fixture, NULL, fixture_setup,
              test_unplug_and_retry, fixture_teardown);
  return g_test_run ();
}
