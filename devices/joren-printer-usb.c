/* joren-printer-usb.c: libusb transport. Each job looks the device up
 * afresh, detaches the kernel's usblp driver if it holds the interface,
 * claims it, sends bulk OUT transfers in chunks with a timeout each, and
 * releases everything (giving the interface back to usblp). Looking up
 * per job is what makes unplug and replug work: a stale handle after
 * replug is never reused. Status (DLE EOT) needs a bulk IN endpoint. */
#include "joren-printer-usb.h"

#include <glib/gi18n.h>
#include <libusb.h>

#include "joren-device-error.h"

#define CHUNK       4096
#define TIMEOUT_MS  5000
#define STATUS_MS   1000

struct _JorenPrinterUsb {
  JorenPrinter          parent_instance;
  guint16               vid;
  guint16               pid;
  libusb_context       *ctx;
  libusb_device_handle *handle;
  int                   interface;
  guint8                ep_out;
  guint8                ep_in;      /* 0: none */
  gboolean              detached;
};

G_DEFINE_FINAL_TYPE (JorenPrinterUsb, joren_printer_usb, JOREN_TYPE_PRINTER)

static void
set_usb_error (GError **error, int code)
{
  switch (code)
    {
    case LIBUSB_ERROR_NO_DEVICE: case LIBUSB_ERROR_IO: case LIBUSB_ERROR_PIPE:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_UNPLUGGED,
                   _("The USB printer was disconnected. Reconnect it and press Retry."));
      break;
    case LIBUSB_ERROR_TIMEOUT:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_TIMEOUT,
                   _("The printer stopped accepting data. Check paper and cover, then press Retry."));
      break;
    case LIBUSB_ERROR_ACCESS:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_PERMISSION,
                   _("No permission to use the USB printer (a udev rule is missing)."));
      break;
    case LIBUSB_ERROR_BUSY:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_BUSY,
                   _("The USB printer is in use by another program."));
      break;
    case LIBUSB_ERROR_NOT_FOUND:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND,
                   _("No USB receipt printer is connected."));
      break;
    default:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_FAILED,
                   _("The USB printer failed: %s"), libusb_strerror (code));
    }
}

/* The printer interface of dev and its bulk endpoints; any interface with
 * a bulk OUT endpoint when the caller named the device by id. */
static gboolean
find_interface (JorenPrinterUsb *self, libusb_device *dev, gboolean any_class)
{
  struct libusb_config_descriptor *config = NULL;
  gboolean found = FALSE;

  if (libusb_get_active_config_descriptor (dev, &config) != 0
      && libusb_get_config_descriptor (dev, 0, &config) != 0)
    return FALSE;
  for (int i = 0; i < config->bNumInterfaces && !found; i++)
    {
      const struct libusb_interface_descriptor *alt = &config->interface[i].altsetting[0];

      if (config->interface[i].num_altsetting < 1
          || (!any_class && alt->bInterfaceClass != LIBUSB_CLASS_PRINTER))
        continue;
      self->ep_out = self->ep_in = 0;
      for (int e = 0; e < alt->bNumEndpoints; e++)
        {
          const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];

          if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
            continue;
          if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN)
            self->ep_in = ep->bEndpointAddress;
          else
            self->ep_out = ep->bEndpointAddress;
        }
      self->interface = alt->bInterfaceNumber;
      found = self->ep_out != 0;
    }
  libusb_free_config_descriptor (config);
  return found;
}

static gboolean
matches (JorenPrinterUsb *self, libusb_device *dev)
{
  struct libusb_device_descriptor desc;

  if (libusb_get_device_descriptor (dev, &desc) != 0)
    return FALSE;
  if (self->vid != 0 && (desc.idVendor != self->vid || desc.idProduct != self->pid))
    return FALSE;
  return find_interface (self, dev, self->vid != 0);
}

static int
open_matching (JorenPrinterUsb *self)
{
  libusb_device **list = NULL;
  ssize_t n = libusb_get_device_list (self->ctx, &list);
  int rc = LIBUSB_ERROR_NOT_FOUND;

  for (ssize_t i = 0; i < n; i++)
    if (matches (self, list[i]))
      {
        rc = libusb_open (list[i], &self->handle);
        break;
      }
  libusb_free_device_list (list, 1);
  return n < 0 ? (int) n : rc;
}

static int
claim (JorenPrinterUsb *self)
{
  if (libusb_kernel_driver_active (self->handle, self->interface) == 1)
    {
      int rc = libusb_detach_kernel_driver (self->handle, self->interface);

      if (rc != 0)
        return rc;
      self->detached = TRUE;
    }
  return libusb_claim_interface (self->handle, self->interface);
}

static gboolean
joren_printer_usb_open (JorenPrinter *printer, GCancellable *cancellable, GError **error)
{
  JorenPrinterUsb *self = JOREN_PRINTER_USB (printer);
  int rc;

  if (self->ctx == NULL && (rc = libusb_init (&self->ctx)) != 0)
    {
      self->ctx = NULL;
      set_usb_error (error, rc);
      return FALSE;
    }
  if ((rc = open_matching (self)) != 0 || (rc = claim (self)) != 0)
    {
      set_usb_error (error, rc);
      return FALSE;
    }
  return TRUE;
}

static gboolean
joren_printer_usb_write (JorenPrinter *printer, const guint8 *data, gsize len,
                         GCancellable *cancellable, GError **error)
{
  JorenPrinterUsb *self = JOREN_PRINTER_USB (printer);

  while (len > 0)
    {
      int sent = 0, rc;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      rc = libusb_bulk_transfer (self->handle, self->ep_out, (guint8 *) data,
                                 (int) MIN (len, CHUNK), &sent, TIMEOUT_MS);
      if (rc != 0)
        {
          set_usb_error (error, rc);
          return FALSE;
        }
      data += sent;
      len -= sent;
    }
  return TRUE;
}

static gboolean
joren_printer_usb_read_status (JorenPrinter *printer, guint8 request, guint8 *status,
                               GCancellable *cancellable, GError **error)
{
  JorenPrinterUsb *self = JOREN_PRINTER_USB (printer);
  const guint8 ask[] = { 0x10, 0x04, request };
  int got = 0, rc;

  if (self->ep_in == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no IN endpoint");
      return FALSE;
    }
  if (!joren_printer_usb_write (printer, ask, sizeof ask, cancellable, error))
    return FALSE;
  rc = libusb_bulk_transfer (self->handle, self->ep_in, status, 1, &got, STATUS_MS);
  if (rc == LIBUSB_ERROR_TIMEOUT || (rc == 0 && got != 1))
    {
      /* many printers never answer: treat as "cannot tell" */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no status reply");
      return FALSE;
    }
  if (rc != 0)
    set_usb_error (error, rc);
  return rc == 0;
}

static void
joren_printer_usb_close (JorenPrinter *printer)
{
  JorenPrinterUsb *self = JOREN_PRINTER_USB (printer);

  if (self->handle == NULL)
    return;
  libusb_release_interface (self->handle, self->interface);
  if (self->detached)
    libusb_attach_kernel_driver (self->handle, self->interface);
  self->detached = FALSE;
  g_clear_pointer (&self->handle, libusb_close);
}

static void
joren_printer_usb_finalize (GObject *object)
{
  JorenPrinterUsb *self = JOREN_PRINTER_USB (object);

  joren_printer_usb_close (JOREN_PRINTER (self));
  g_clear_pointer (&self->ctx, libusb_exit);
  G_OBJECT_CLASS (joren_printer_usb_parent_class)->finalize (object);
}

static void
joren_printer_usb_class_init (JorenPrinterUsbClass *klass)
{
  JorenPrinterClass *printer_class = JOREN_PRINTER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = joren_printer_usb_finalize;
  printer_class->open = joren_printer_usb_open;
  printer_class->write = joren_printer_usb_write;
  printer_class->read_status = joren_printer_usb_read_status;
  printer_class->close = joren_printer_usb_close;
}

static void
joren_printer_usb_init (JorenPrinterUsb *self)
{
}

JorenPrinter *
joren_printer_usb_new (const JorenPrinterProfile *profile,
                       guint16                    vid,
                       guint16                    pid)
{
  JorenPrinterUsb *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (profile != NULL, NULL);

  name = vid != 0 ? g_strdup_printf ("usb:%04x:%04x", vid, pid) : g_strdup ("usb:printer");
  self = g_object_new (JOREN_TYPE_PRINTER_USB, "profile", profile, "name", name, NULL);
  self->vid = vid;
  self->pid = pid;
  return JOREN_PRINTER (self);
}
