/* joren-number-dialog.h: a modal keypad asking for one number: a receipt
 * discount (% or amount), the drawer's opening float, a receipt number.
 * The handler validates; returning FALSE keeps the dialog open with the
 * error it set. */
#pragma once

#include <gtk/gtk.h>

#include "joren-keypad.h"

G_BEGIN_DECLS

#define JOREN_TYPE_NUMBER_DIALOG (joren_number_dialog_get_type ())
G_DECLARE_FINAL_TYPE (JorenNumberDialog, joren_number_dialog, JOREN, NUMBER_DIALOG, GtkWindow)

typedef gboolean (*JorenNumberFunc) (JorenNumberDialog *dialog,
                                     const char        *text,
                                     guint              mode,
                                     gpointer           user_data);

JorenNumberDialog *joren_number_dialog_new         (GtkWidget         *parent,
                                                    const char        *title);
JorenKeypad       *joren_number_dialog_get_keypad  (JorenNumberDialog *self);
/* Adds a mode toggle ("%", "¥"); the first one added is active.
 * Returns its index. */
guint              joren_number_dialog_add_mode    (JorenNumberDialog *self,
                                                    const char        *label);
/* user_data is freed with destroy when the dialog goes. */
void               joren_number_dialog_set_handler (JorenNumberDialog *self,
                                                    JorenNumberFunc    func,
                                                    gpointer           user_data,
                                                    GDestroyNotify     destroy);
void               joren_number_dialog_set_error   (JorenNumberDialog *self,
                                                    const char        *message);

G_END_DECLS
