/* joren-keypad.h: the on-screen number pad every amount, quantity and PIN
 * entry uses, so the register never needs a hardware keyboard. It keeps
 * the typed text and shows it (or dots, for a PIN) in its own display. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define JOREN_TYPE_KEYPAD (joren_keypad_get_type ())
G_DECLARE_FINAL_TYPE (JorenKeypad, joren_keypad, JOREN, KEYPAD, GtkWidget)

GtkWidget  *joren_keypad_new                   (void);
const char *joren_keypad_get_text              (JorenKeypad *self);
void        joren_keypad_set_text              (JorenKeypad *self,
                                                const char  *text);
void        joren_keypad_clear                 (JorenKeypad *self);
/* Qty typed on the pad: 0 when nothing (or nothing sensible) was typed. */
gint64      joren_keypad_get_number            (JorenKeypad *self);
/* The currency's decimal separator for amounts; NULL hides the key. */
void        joren_keypad_set_decimal_separator (JorenKeypad *self,
                                                const char  *separator);
void        joren_keypad_set_masked            (JorenKeypad *self,
                                                gboolean     masked);
void        joren_keypad_set_show_ok           (JorenKeypad *self,
                                                gboolean     show_ok);
/* Shown in the display while nothing is typed. */
void        joren_keypad_set_placeholder       (JorenKeypad *self,
                                                const char  *placeholder);

G_END_DECLS
