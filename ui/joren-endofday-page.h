/* joren-endofday-page.h: end of day in the back office. The X report
 * (a reading of the open drawer session) is shown as the very receipt
 * the printer would print and can be printed; Close the day counts the
 * cash on a keypad, shows expected vs counted and the difference, asks a
 * manager's or owner's PIN, then stores the numbered Z report, closes
 * the session and prints it. Past Z reports are listed for reprinting. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-zreport.h"

G_BEGIN_DECLS

#define JOREN_TYPE_ENDOFDAY_PAGE (joren_endofday_page_get_type ())
G_DECLARE_FINAL_TYPE (JorenEndofdayPage, joren_endofday_page, JOREN, ENDOFDAY_PAGE, GtkWidget)

GtkWidget          *joren_endofday_page_new         (void);
/* Remembers db and shop, shows the X report and the past Z reports. */
void                joren_endofday_page_set_db      (JorenEndofdayPage *self,
                                                     JorenDb           *db,
                                                     const JorenShop   *shop);
/* Reads the X report again; FALSE (and a message) without an open session. */
gboolean            joren_endofday_page_show_x      (JorenEndofdayPage *self);
/* Opens the cash count (keypad), then the confirmation and the PIN. */
void                joren_endofday_page_count_cash  (JorenEndofdayPage *self);
/* What Confirm does once authorised: the Z report with counted cash,
 * stored, session closed, printed, listed. */
const JorenZReport *joren_endofday_page_close_day   (JorenEndofdayPage *self,
                                                     gint64             staff_id,
                                                     gint64             counted,
                                                     GError           **error);
/* The report on screen (X or Z), or NULL. */
const JorenZReport *joren_endofday_page_get_shown   (JorenEndofdayPage *self);
/* Past Z reports in the list, newest first. */
guint               joren_endofday_page_get_n_history (JorenEndofdayPage *self);
/* Shows and prints a stored Z report again, marked as a reprint. */
gboolean            joren_endofday_page_reprint     (JorenEndofdayPage *self,
                                                     gint64             z_report_id,
                                                     GError           **error);

/* The page in a dialog over the register, for any signed-in staff
 * member: cashiers read and print the X report; closing the day still
 * asks a manager's or owner's PIN. */
GtkWindow          *joren_endofday_dialog_run       (GtkWidget         *parent,
                                                     JorenDb           *db,
                                                     const JorenShop   *shop);

G_END_DECLS
