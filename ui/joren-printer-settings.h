/* joren-printer-settings.h: the back office's printer section: how the
 * receipt printer is connected (none, network, USB, device file, PNG
 * files), its address, its model (a devices/ profile), Save and Test
 * print. Settings live in the shop's database under "printer.transport",
 * "printer.address" and "printer.profile". */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-printer.h"

G_BEGIN_DECLS

#define JOREN_SETTING_PRINTER_TRANSPORT "printer.transport"
#define JOREN_SETTING_PRINTER_ADDRESS   "printer.address"
#define JOREN_SETTING_PRINTER_PROFILE   "printer.profile"

#define JOREN_TYPE_PRINTER_SETTINGS (joren_printer_settings_get_type ())
G_DECLARE_FINAL_TYPE (JorenPrinterSettings, joren_printer_settings, JOREN, PRINTER_SETTINGS, GtkWidget)

GtkWidget    *joren_printer_settings_new         (void);
/* Shows what db holds; shop_name goes on the test page. */
void          joren_printer_settings_set_db      (JorenPrinterSettings *self,
                                                  JorenDb              *db,
                                                  const char           *shop_name);
/* Fills the form (not saved yet); NULL keeps a field as it is. */
void          joren_printer_settings_set_values  (JorenPrinterSettings *self,
                                                  const char           *transport,
                                                  const char           *address,
                                                  const char           *profile);
/* Checks the form, stores it and emits "changed" (what Save does). */
gboolean      joren_printer_settings_save        (JorenPrinterSettings  *self,
                                                  GError               **error);
/* The printer db's settings describe: NULL with JOREN_DEVICE_ERROR_NOT_FOUND
 * when none is set up. */
JorenPrinter *joren_printer_settings_load_printer (JorenDb  *db,
                                                   GError  **error);
/* The profile id stored in db, or the default. */
const char   *joren_printer_settings_load_profile (JorenDb *db);

G_END_DECLS
