/* joren-window.h: the register's one window: a header strip (shop, who
 * is signed in, Reprint, Register/Back office, Sign out) over a stack of
 * pages (sign-in, register, tender, back office), a banner for messages,
 * a bar for a receipt that did not print, and the barcode scanner read
 * as a keyboard. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-receipt.h"

G_BEGIN_DECLS

#define JOREN_TYPE_WINDOW (joren_window_get_type ())
G_DECLARE_FINAL_TYPE (JorenWindow, joren_window, JOREN, WINDOW, GtkApplicationWindow)

/* app may be NULL (tests, screenshots). */
JorenWindow        *joren_window_new                 (GtkApplication *app,
                                                      JorenDb        *db);
/* A message in the banner for a few seconds; never blocks scanning. */
void                joren_window_show_banner         (JorenWindow *self,
                                                      const char  *message);
/* The same as typing the PIN on the pad. */
gboolean            joren_window_sign_in             (JorenWindow *self,
                                                      gint64       staff_id,
                                                      const char  *pin,
                                                      GError     **error);
void                joren_window_sign_out            (JorenWindow *self);
/* "signin", "register", "tender", "backoffice" or "notice". */
const char         *joren_window_get_page            (JorenWindow *self);
/* Shows a page the signed-in staff may see; FALSE otherwise. */
gboolean            joren_window_show_page           (JorenWindow *self,
                                                      const char  *page);
/* The capture-phase key controller the scanner types into. */
GtkEventController *joren_window_get_scan_controller (JorenWindow *self);
/* The code being typed; the controller feeds it. */
GObject            *joren_window_get_scan_buffer     (JorenWindow *self);
GtkWidget          *joren_window_get_sale_view       (JorenWindow *self);
GtkWidget          *joren_window_get_tender_view     (JorenWindow *self);
GtkWidget          *joren_window_get_backoffice      (JorenWindow *self);
const char         *joren_window_get_banner_text     (JorenWindow *self);
gboolean            joren_window_get_banner_visible  (JorenWindow *self);
gint64              joren_window_get_cash_session_id (JorenWindow *self);
/* Builds the printer from the shop's settings again (after they change). */
void                joren_window_reload_printer      (JorenWindow *self);
/* The last committed sale's receipt again, marked REPRINT, no drawer. */
gboolean            joren_window_reprint_last        (JorenWindow *self,
                                                      GError     **error);
/* Prints a document (an X or Z report) through the print queue, like a
 * receipt; NOT_FOUND (device error) when no printer is set up. */
gboolean            joren_window_print_document      (JorenWindow  *self,
                                                      JorenReceipt *receipt,
                                                      GError      **error);
/* The bar shown when a receipt did not print (Retry / Dismiss). */
gboolean            joren_window_get_print_bar_visible (JorenWindow *self);
const char         *joren_window_get_print_bar_text    (JorenWindow *self);
void                joren_window_set_sync_status       (JorenWindow *self,
                                                        const char  *text);
const char         *joren_window_get_sync_status       (JorenWindow *self);

G_END_DECLS
