/* joren-printer-config.h: the receipt printer as the shop's settings
 * describe it, three strings ("printer.transport", "printer.address",
 * "printer.profile"), turned into a JorenPrinter, so the register's
 * screens never know which transports exist or how addresses are
 * written. Also the test page the settings screen prints. */
#pragma once

#include "joren-printer.h"
#include "joren-receipt.h"

G_BEGIN_DECLS

/* Transport ids as stored in "printer.transport". */
#define JOREN_PRINTER_TRANSPORT_NONE    "none"
#define JOREN_PRINTER_TRANSPORT_NETWORK "network"
#define JOREN_PRINTER_TRANSPORT_USB     "usb"
#define JOREN_PRINTER_TRANSPORT_FILE    "file"
#define JOREN_PRINTER_TRANSPORT_PNG     "png"

/* The profile used when none is set. */
#define JOREN_PRINTER_DEFAULT_PROFILE   "epson-tm-t88"

/* The file a PNG "printer" writes in its directory (the latest job). */
#define JOREN_PRINTER_PNG_FILE          "receipt.png"

/* address by transport: network "host" or "host:port" (default 9100,
 * "[v6]:port" for IPv6); usb "VID:PID" in hex or "auto" (the first
 * printer-class device); file a device path; png a directory. profile
 * NULL or "" means the default. "none" (or NULL) fails with
 * JOREN_DEVICE_ERROR_NOT_FOUND; a bad address or unknown profile with
 * JOREN_DEVICE_ERROR_INVALID. Nothing is opened yet. */
JorenPrinter              *joren_printer_new_from_settings   (const char  *transport,
                                                              const char  *address,
                                                              const char  *profile,
                                                              GError     **error);
/* The profile by id, the default one for NULL, "" or an unknown id. */
const JorenPrinterProfile *joren_printer_config_get_profile  (const char  *profile);
/* A short page proving the set-up: shop name, profile name, text in
 * Japanese, Chinese and German with the euro sign, and a QR code. */
JorenReceipt              *joren_printer_config_test_receipt (const char                *shop_name,
                                                              const JorenPrinterProfile *profile);

G_END_DECLS
