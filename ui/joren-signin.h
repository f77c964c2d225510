/* joren-signin.h: who is at the till: big staff buttons, then a PIN pad.
 * It only collects the choice and the PIN ("pin-entered"); the window
 * signs in, and the manager-authorisation dialog reuses it to ask for a
 * manager's PIN. */
#pragma once

#include <gtk/gtk.h>

#include "joren-staff.h"

G_BEGIN_DECLS

#define JOREN_TYPE_SIGNIN (joren_signin_get_type ())
G_DECLARE_FINAL_TYPE (JorenSignin, joren_signin, JOREN, SIGNIN, GtkWidget)

GtkWidget *joren_signin_new         (void);
/* staff: JorenStaff*; copied. Inactive staff are skipped. */
void       joren_signin_set_staff   (JorenSignin *self,
                                     GPtrArray   *staff);
void       joren_signin_set_title   (JorenSignin *self,
                                     const char  *title);
/* Clears the PIN and shows why it was refused. */
void       joren_signin_show_error  (JorenSignin *self,
                                     const char  *message);
/* Shows the "Clock in/out" button (the till's sign-in screen), which
 * emits "clock-requested". */
void       joren_signin_set_show_clock (JorenSignin *self,
                                        gboolean     show);
/* Back to the staff buttons, PIN cleared. */
void       joren_signin_reset       (JorenSignin *self);

G_END_DECLS
