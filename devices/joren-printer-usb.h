/* joren-printer-usb.h: a USB receipt printer driven with libusb, found by
 * vendor and product id, or as the first device with a printer-class
 * (7) interface. Non-root access needs a udev rule, see docs/DESIGN.md. */
#pragma once

#include "joren-printer.h"

G_BEGIN_DECLS

#define JOREN_TYPE_PRINTER_USB (joren_printer_usb_get_type ())
G_DECLARE_FINAL_TYPE (JorenPrinterUsb, joren_printer_usb, JOREN, PRINTER_USB, JorenPrinter)

/* vid = pid = 0: the first printer-class device. */
JorenPrinter *joren_printer_usb_new (const JorenPrinterProfile *profile,
                                     guint16                    vid,
                                     guint16                    pid);

G_END_DECLS
