/* joren-application.h: the register application: command-line options
 * (--db, --demo, --preset, --size), opening the database at start-up, and
 * the one window. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define JOREN_TYPE_APPLICATION (joren_application_get_type ())
G_DECLARE_FINAL_TYPE (JorenApplication, joren_application, JOREN, APPLICATION, GtkApplication)

JorenApplication *joren_application_new (void);
/* Gettext set-up shared by every entry point (JOREN_LOCALEDIR overrides). */
void              joren_i18n_init       (void);

G_END_DECLS
