/* joren-line-editor.h: the dialog a tap on a sale line opens: quantity
 * -/+ or typed, a line discount (% or amount), or voiding the line. It
 * edits the live JorenSale, so the sale view redraws as it goes.
 * Signal "voided" (name, qty, amount): a line was voided. */
#pragma once

#include <gtk/gtk.h>

#include "joren-sale.h"

G_BEGIN_DECLS

#define JOREN_TYPE_LINE_EDITOR (joren_line_editor_get_type ())
G_DECLARE_FINAL_TYPE (JorenLineEditor, joren_line_editor, JOREN, LINE_EDITOR, GtkWindow)

JorenLineEditor *joren_line_editor_new (GtkWidget *parent,
                                        JorenSale *sale,
                                        guint      index);

G_END_DECLS
