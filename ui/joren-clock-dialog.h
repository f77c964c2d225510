/* joren-clock-dialog.h: clock in or out at the register, from the
 * sign-in screen: scan a staff card, or tap your name and type your PIN.
 * The dialog confirms with the name, in or out, and the time. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"

G_BEGIN_DECLS

/* Opens the dialog over parent's window; it closes itself. */
GtkWindow  *joren_clock_dialog_run        (GtkWidget  *parent,
                                           JorenDb    *db);
/* What a scanned card does (the card field's Enter). */
gboolean    joren_clock_dialog_clock_card (GtkWindow  *dialog,
                                           const char *code);
/* The confirmation or error shown, "" before anything happened. */
const char *joren_clock_dialog_get_result (GtkWindow  *dialog);

G_END_DECLS
