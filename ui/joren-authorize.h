/* joren-authorize.h: asks a manager (or owner) to tap their name and type
 * their PIN so a cashier may do one thing their role may not (a refund). */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"
#include "joren-staff.h"

G_BEGIN_DECLS

typedef void (*JorenAuthorizedFunc) (const JorenStaff *authorizer,
                                     gpointer          user_data);

/* func runs only when an authorised PIN was typed. */
void joren_authorize_run (GtkWidget           *parent,
                          JorenDb             *db,
                          JorenPermission      permission,
                          const char          *reason,
                          JorenAuthorizedFunc  func,
                          gpointer             user_data);

G_END_DECLS
