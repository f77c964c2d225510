/* joren-bitmap.h: a 1-bit image in the printer's own layout (rows of
 * bytes, most significant bit leftmost, 1 = black dot), as GS v 0 sends
 * it. Built from a cairo image (logo, dithered), a QR code, or text drawn
 * with Pango when the printer has no font for it. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint   width;    /* dots */
  guint   height;   /* rows */
  guint   stride;   /* bytes per row: (width + 7) / 8 */
  guint8 *data;
} JorenBitmap;

JorenBitmap *joren_bitmap_new          (guint width, guint height);
void         joren_bitmap_free         (JorenBitmap *self);
gboolean     joren_bitmap_get          (const JorenBitmap *self, guint x, guint y);
void         joren_bitmap_set          (JorenBitmap *self, guint x, guint y, gboolean black);
gboolean     joren_bitmap_row_is_blank (const JorenBitmap *self, guint y);
/* Threshold (no dithering) or Floyd-Steinberg dither of any cairo image,
 * flattened on white and scaled down to at most max_width dots. */
JorenBitmap *joren_bitmap_new_from_surface (cairo_surface_t *surface,
                                            guint            max_width,
                                            gboolean         dither);
/* A QR code of data, module dots per module, with a 2-module quiet zone. */
JorenBitmap *joren_bitmap_new_qr       (const char *data, guint module, GError **error);
/* A copy shifted right by x_offset dots (for alignment). */
JorenBitmap *joren_bitmap_new_offset   (const JorenBitmap *self, guint x_offset);
/* Black dots drawn onto cr with the top-left corner at (x, y). */
void         joren_bitmap_paint        (const JorenBitmap *self, cairo_t *cr,
                                        double x, double y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenBitmap, joren_bitmap_free)

G_END_DECLS
