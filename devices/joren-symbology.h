/* joren-symbology.h: bar patterns of the linear barcodes the encoder
 * sends with GS k (EAN-13, CODE128), so the preview can draw what the
 * printer would. Patterns are strings of '1' (bar) and '0' (space), one
 * character per module, without quiet zones. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 12 or 13 digits; the check digit is computed (and written to hri).
 * Returns NULL for anything else. */
char *joren_symbology_ean13   (const guint8 *data, gsize len, char **hri);
/* GS k 73 data: starts with "{A", "{B" or "{C"; "{{" is a literal '{'.
 * The check symbol is computed. Returns NULL for malformed data. */
char *joren_symbology_code128 (const guint8 *data, gsize len, char **hri);

G_END_DECLS
