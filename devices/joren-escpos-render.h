/* joren-escpos-render.h: the preview. It reads the very bytes that go to
 * the printer and draws them as the printer would, on an image as wide as
 * the profile's paper, so what the cashier sees (and what the tests read
 * back) proves the bytes. Unknown commands are skipped; malformed or
 * random input never reads out of bounds. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "joren-printer-profile.h"

G_BEGIN_DECLS

/* An RGB24 image profile->dots wide. */
cairo_surface_t *joren_escpos_render        (const JorenPrinterProfile *profile,
                                             GBytes                    *bytes);
/* The same, plus the text the printer's fonts would print, a line per
 * line; raster lines show as "[raster]". For tests and logs. */
cairo_surface_t *joren_escpos_render_full   (const JorenPrinterProfile *profile,
                                             GBytes                    *bytes,
                                             char                     **text);
gboolean         joren_escpos_render_to_png (const JorenPrinterProfile *profile,
                                             GBytes                    *bytes,
                                             const char                *path,
                                             GError                   **error);

G_END_DECLS
