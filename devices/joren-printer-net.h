/* joren-printer-net.h: a network printer on raw TCP (port 9100, what
 * Epson and clones call "RAW" or "socket" printing). */
#pragma once

#include "joren-printer.h"

G_BEGIN_DECLS

#define JOREN_TYPE_PRINTER_NET (joren_printer_net_get_type ())
G_DECLARE_FINAL_TYPE (JorenPrinterNet, joren_printer_net, JOREN, PRINTER_NET, JorenPrinter)

/* port 0 means 9100; timeout in seconds for connect, write and status. */
JorenPrinter *joren_printer_net_new         (const JorenPrinterProfile *profile,
                                             const char                *host,
                                             guint16                    port);
void          joren_printer_net_set_timeout (JorenPrinterNet *self, guint seconds);

G_END_DECLS
