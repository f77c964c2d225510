/* joren-printer-png.h: a "printer" that renders each job with the
 * preview renderer and saves it as a PNG file: for trying receipts
 * without paper, and for tests. */
#pragma once

#include "joren-printer.h"

G_BEGIN_DECLS

#define JOREN_TYPE_PRINTER_PNG (joren_printer_png_get_type ())
G_DECLARE_FINAL_TYPE (JorenPrinterPng, joren_printer_png, JOREN, PRINTER_PNG, JorenPrinter)

JorenPrinter *joren_printer_png_new (const JorenPrinterProfile *profile, const char *path);

G_END_DECLS
