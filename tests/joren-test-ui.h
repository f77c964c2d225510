/* joren-test-ui.h: driving real GTK widgets in UI tests: wait for a
 * condition while the main loop runs, tap buttons by their label the way
 * a finger would (GTK 4.8 delivers "clicked" asynchronously), find
 * widgets by style class, save what the window shows as a PNG. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*JorenTestPredicate) (gpointer data);

/* Runs the main loop until predicate holds; FALSE after 5 s. */
gboolean   joren_test_ui_wait_for      (JorenTestPredicate predicate,
                                        gpointer           data);
/* Runs the main loop for ms milliseconds. */
void       joren_test_ui_spin          (guint ms);
/* Activates button and waits for its "clicked". */
void       joren_test_ui_click         (GtkWidget *button);
/* The mapped button showing text (its label or a label inside it). */
GtkWidget *joren_test_ui_find_button   (GtkWidget  *root,
                                        const char *text);
/* The first mapped widget with css_class under root. */
GtkWidget *joren_test_ui_find_by_class (GtkWidget  *root,
                                        const char *css_class);
/* Clicks the button showing text; fails the test when there is none. */
void       joren_test_ui_tap           (GtkWidget  *root,
                                        const char *text);

/* Whether a mapped label under root shows text (or contains it). */
gboolean   joren_test_ui_shows_text    (GtkWidget  *root,
                                        const char *text);
/* Renders window (mapped) to <test build dir>/shots/<name>.png, to be
 * looked at; returns the path. */
char      *joren_test_ui_save_png      (GtkWidget  *window,
                                        const char *name);

G_END_DECLS
