/* joren-bitmap.c: 1-bit images for GS v 0. Dithering is Floyd-Steinberg
 * on luminance because thermal heads have no grey: a photo logo needs the
 * error diffusion to keep its shading, while QR codes and text are exact
 * black/white and use a plain threshold. */
#include "joren-bitmap.h"

#include <string.h>
#include <qrencode.h>

#include "joren-device-error.h"

JorenBitmap *
joren_bitmap_new (guint width,
                  guint height)
{
  JorenBitmap *self = g_new0 (JorenBitmap, 1);

  self->width = width;
  self->height = height;
  self->stride = (width + 7) / 8;
  self->data = g_malloc0 ((gsize) self->stride * height + 1);
  return self;
}

void
joren_bitmap_free (JorenBitmap *self)
{
  if (self == NULL)
    return;
  g_free (self->data);
  g_free (self);
}

gboolean
joren_bitmap_get (const JorenBitmap *self,
                  guint              x,
                  guint              y)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (x >= self->width || y >= self->height)
    return FALSE;
  return (self->data[y * self->stride + x / 8] >> (7 - x % 8)) & 1;
}

void
joren_bitmap_set (JorenBitmap *self,
                  guint        x,
                  guint        y,
                  gboolean     black)
{
  guint8 *byte;
  guint8 bit;

  g_return_if_fail (self != NULL);

  if (x >= self->width || y >= self->height)
    return;
  byte = &self->data[y * self->stride + x / 8];
  bit = 0x80 >> (x % 8);
  *byte = black ? (*byte | bit) : (*byte & ~bit);
}

gboolean
joren_bitmap_row_is_blank (const JorenBitmap *self,
                           guint              y)
{
  const guint8 *row;

  g_return_val_if_fail (self != NULL, TRUE);
  g_return_val_if_fail (y < self->height, TRUE);

  row = self->data + (gsize) y * self->stride;
  for (guint i = 0; i < self->stride; i++)
    if (row[i] != 0)
      return FALSE;
  return TRUE;
}

/* The image scaled to width w, flattened on white, as grey levels 0..255. */
static float *
surface_to_grey (cairo_surface_t *surface,
                 guint            w,
                 guint            h)
{
  cairo_surface_t *flat = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (flat);
  float *grey = g_new (float, (gsize) w * h);
  double sx = (double) w / cairo_image_surface_get_width (surface);
  double sy = (double) h / cairo_image_surface_get_height (surface);
  const guint8 *px;
  int stride;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, sx, sy);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (flat);
  px = cairo_image_surface_get_data (flat);
  stride = cairo_image_surface_get_stride (flat);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint32 p = *(const guint32 *) (px + y * stride + x * 4);
        grey[y * w + x] = 0.299f * ((p >> 16) & 0xff)
                          + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff);
      }
  cairo_surface_destroy (flat);
  return grey;
}

static void
diffuse (float *grey, guint w, guint h, guint x, guint y, float err)
{
  if (x + 1 < w)
    grey[y * w + x + 1] += err * 7 / 16;
  if (y + 1 >= h)
    return;
  if (x > 0)
    grey[(y + 1) * w + x - 1] += err * 3 / 16;
  grey[(y + 1) * w + x] += err * 5 / 16;
  if (x + 1 < w)
    grey[(y + 1) * w + x + 1] += err * 1 / 16;
}

JorenBitmap *
joren_bitmap_new_from_surface (cairo_surface_t *surface,
                               guint            max_width,
                               gboolean         dither)
{
  guint sw, sh, w, h;
  g_autofree float *grey = NULL;
  JorenBitmap *self;

  g_return_val_if_fail (surface != NULL, NULL);
  g_return_val_if_fail (cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_IMAGE, NULL);

  sw = MAX (cairo_image_surface_get_width (surface), 1);
  sh = MAX (cairo_image_surface_get_height (surface), 1);
  w = MIN (sw, MAX (max_width, 1));
  h = MAX ((guint) ((guint64) sh * w / sw), 1);
  grey = surface_to_grey (surface, w, h);
  self = joren_bitmap_new (w, h);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        float old = grey[y * w + x];
        gboolean black = old < 128.f;

        joren_bitmap_set (self, x, y, black);
        if (dither)
          diffuse (grey, w, h, x, y, old - (black ? 0.f : 255.f));
      }
  return self;
}

JorenBitmap *
joren_bitmap_new_qr (const char  *data,
                     guint        module,
                     GError     **error)
{
  QRcode *qr;
  JorenBitmap *self;
  guint quiet = 2 * module;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (module > 0, NULL);

  qr = QRcode_encodeString8bit (data, 0, QR_ECLEVEL_M);
  if (qr == NULL)
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
                   "QR code data too long (%zu bytes)", strlen (data));
      return NULL;
    }
  self = joren_bitmap_new (qr->width * module + 2 * quiet,
                           qr->width * module + 2 * quiet);
  for (int y = 0; y < qr->width; y++)
    for (int x = 0; x < qr->width; x++)
      if (qr->data[y * qr->width + x] & 1)
        for (guint dy = 0; dy < module; dy++)
          for (guint dx = 0; dx < module; dx++)
            joren_bitmap_set (self, quiet + x * module + dx,
                              quiet + y * module + dy, TRUE);
  QRcode_free (qr);
  return self;
}

JorenBitmap *
joren_bitmap_new_offset (const JorenBitmap *self,
                         guint              x_offset)
{
  JorenBitmap *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = joren_bitmap_new (self->width + x_offset, self->height);
  for (guint y = 0; y < self->height; y++)
    for (guint x = 0; x < self->width; x++)
      if (joren_bitmap_get (self, x, y))
        joren_bitmap_set (copy, x + x_offset, y, TRUE);
  return copy;
}

void
joren_bitmap_paint (const JorenBitmap *self,
                    cairo_t           *cr,
                    double             x,
                    double             y)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint row = 0; row < self->height; row++)
    for (guint col = 0; col < self->width; col++)
      if (joren_bitmap_get (self, col, row))
        cairo_rectangle (cr, x + col, y + row, 1, 1);
  cairo_fill (cr);
  cairo_restore (cr);
}
