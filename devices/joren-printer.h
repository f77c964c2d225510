/* joren-printer.h: a receipt printer reached over some transport (USB,
 * TCP port 9100, a device file, or a PNG file for previews and tests).
 * The base class runs one print job: open, check paper and cover where
 * the profile says the printer answers status requests, write, flush,
 * close. Closing after every job is what makes unplug and replug, or a
 * printer power-cycled between sales, need no special handling.
 * Calls block: they run on the print queue's worker thread. */
#pragma once

#include <gio/gio.h>

#include "joren-printer-profile.h"

G_BEGIN_DECLS

#define JOREN_TYPE_PRINTER (joren_printer_get_type ())
G_DECLARE_DERIVABLE_TYPE (JorenPrinter, joren_printer, JOREN, PRINTER, GObject)

struct _JorenPrinterClass {
  GObjectClass parent_class;

  gboolean (*open)        (JorenPrinter  *self,
                           GCancellable  *cancellable,
                           GError       **error);
  gboolean (*write)       (JorenPrinter  *self,
                           const guint8  *data,
                           gsize          len,
                           GCancellable  *cancellable,
                           GError       **error);
  /* Optional: sends DLE EOT request and reads the reply byte. Transports
   * that cannot read set G_IO_ERROR_NOT_SUPPORTED (or leave it NULL). */
  gboolean (*read_status) (JorenPrinter  *self,
                           guint8         request,
                           guint8        *status,
                           GCancellable  *cancellable,
                           GError       **error);
  /* Optional: after the last write (the PNG printer renders here). */
  gboolean (*flush)       (JorenPrinter  *self,
                           GCancellable  *cancellable,
                           GError       **error);
  void     (*close)       (JorenPrinter  *self);

  gpointer padding[8];
};

const JorenPrinterProfile *joren_printer_get_profile (JorenPrinter *self);
const char                *joren_printer_get_name    (JorenPrinter *self);
/* One whole job; on failure the transport is closed so the next job
 * starts from scratch (reconnect, re-find the USB device). */
gboolean                   joren_printer_print       (JorenPrinter  *self,
                                                      GBytes        *bytes,
                                                      GCancellable  *cancellable,
                                                      GError       **error);
/* Paper and cover state from DLE EOT replies; TRUE if the printer is
 * ready or cannot tell. */
gboolean                   joren_printer_check_status (JorenPrinter  *self,
                                                       GCancellable  *cancellable,
                                                       GError       **error);

G_END_DECLS
