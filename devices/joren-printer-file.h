/* joren-printer-file.h: a printer behind a device file such as
 * /dev/usb/lp0 (the kernel usblp driver) or a serial port. Access needs
 * the lp group (or dialout for serial). */
#pragma once

#include "joren-printer.h"

G_BEGIN_DECLS

#define JOREN_TYPE_PRINTER_FILE (joren_printer_file_get_type ())
G_DECLARE_FINAL_TYPE (JorenPrinterFile, joren_printer_file, JOREN, PRINTER_FILE, JorenPrinter)

JorenPrinter *joren_printer_file_new (const JorenPrinterProfile *profile, const char *path);

G_END_DECLS
