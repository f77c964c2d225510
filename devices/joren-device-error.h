/* joren-device-error.h: the devices layer's error domain. libusb codes,
 * socket and file errors become these at the edge of devices/, with
 * messages a cashier can act on ("Printer out of paper"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JOREN_DEVICE_ERROR (joren_device_error_quark ())

typedef enum {
  JOREN_DEVICE_ERROR_FAILED,      /* anything else */
  JOREN_DEVICE_ERROR_NOT_FOUND,   /* no such printer connected / configured */
  JOREN_DEVICE_ERROR_UNPLUGGED,   /* went away during a print */
  JOREN_DEVICE_ERROR_PERMISSION,  /* udev rule or lp group missing */
  JOREN_DEVICE_ERROR_TIMEOUT,     /* printer stopped accepting data */
  JOREN_DEVICE_ERROR_NO_PAPER,
  JOREN_DEVICE_ERROR_COVER_OPEN,
  JOREN_DEVICE_ERROR_OFFLINE,
  JOREN_DEVICE_ERROR_BUSY,        /* claimed by another program */
  JOREN_DEVICE_ERROR_INVALID,     /* bad data: barcode digits, empty document */
} JorenDeviceError;

GQuark joren_device_error_quark (void);

G_END_DECLS
