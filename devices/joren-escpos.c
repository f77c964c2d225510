/* joren-escpos.c: the ESC/POS encoder. Command bytes follow Epson's
 * ESC/POS reference (TM-T88 and TM-T20 series), which the Chinese clones
 * copy. Two states are tracked: the style the caller asked for ("want")
 * and the one the printer is known to be in ("have"); commands go out
 * only for the difference, when text needs them, which keeps receipts
 * short and the golden files readable. */
#include "joren-escpos.h"

#include <glib/gi18n.h>
#include <string.h>

#include "joren-device-error.h"
#include "joren-escpos-text.h"

#define ESC 0x1B
#define GS  0x1D
#define FS  0x1C

typedef struct {
  JorenTextStyle style;
  GString       *text;
} Segment;

struct _JorenEscpos {
  const JorenPrinterProfile *profile;
  GByteArray                *buf;
  JorenTextCodec            *codec;
  JorenTextStyle             want;
  JorenTextStyle             have;
  JorenAlign                 want_align;
  JorenAlign                 have_align;
  guint                      line_spacing;
  GArray                    *line;    /* Segment: the pending line */
};

static const JorenTextStyle default_style = JOREN_TEXT_STYLE_INIT;

#define PUT(self, ...) \
  g_byte_array_append ((self)->buf, (const guint8[]){ __VA_ARGS__ }, \
                       sizeof ((const guint8[]){ __VA_ARGS__ }))

static void
clear_segment (gpointer data)
{
  Segment *seg = data;

  g_string_free (seg->text, TRUE);
}

JorenEscpos *
joren_escpos_new (const JorenPrinterProfile *profile)
{
  JorenEscpos *self;

  g_return_val_if_fail (profile != NULL, NULL);

  self = g_new0 (JorenEscpos, 1);
  self->profile = profile;
  self->buf = g_byte_array_sized_new (4096);
  self->codec = joren_text_codec_new (profile->charset);
  self->want = self->have = default_style;
  self->line_spacing = profile->line_spacing;
  self->line = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_array_set_clear_func (self->line, clear_segment);
  return self;
}

void
joren_escpos_free (JorenEscpos *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->buf, g_byte_array_unref);
  joren_text_codec_free (self->codec);
  g_array_unref (self->line);
  g_free (self);
}

const JorenPrinterProfile *
joren_escpos_get_profile (JorenEscpos *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->profile;
}

static void flush_line (JorenEscpos *self);

GBytes *
joren_escpos_free_to_bytes (JorenEscpos *self)
{
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->line->len > 0)
    flush_line (self);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->buf));
  joren_escpos_free (self);
  return bytes;
}

static void
put_charset_selection (JorenEscpos *self)
{
  switch (self->profile->charset)
    {
    case JOREN_CHARSET_SHIFT_JIS:
      PUT (self, ESC, 't', self->profile->code_page);  /* half-width katakana */
      PUT (self, ESC, 'R', 8);                         /* Japan: 0x5C is yen */
      PUT (self, FS, 'C', 1);                          /* Shift_JIS */
      PUT (self, FS, '&');                             /* Kanji mode on */
      break;
    case JOREN_CHARSET_GB18030:
    case JOREN_CHARSET_BIG5:
      PUT (self, FS, '&');
      break;
    case JOREN_CHARSET_CP858:
    case JOREN_CHARSET_ASCII:
    default:
      /* Clones start in Chinese mode: without FS . accented bytes print
       * as halves of Chinese characters. */
      PUT (self, FS, '.');
      PUT (self, ESC, 't', self->profile->code_page);
      break;
    }
}

void
joren_escpos_init (JorenEscpos *self)
{
  g_return_if_fail (self != NULL);

  g_array_set_size (self->line, 0);
  PUT (self, ESC, '@');
  put_charset_selection (self);
  self->want = self->have = default_style;
  self->want_align = self->have_align = JOREN_ALIGN_LEFT;
  self->line_spacing = self->profile->line_spacing;
}

void
joren_escpos_set_bold (JorenEscpos *self,
                       gboolean     bold)
{
  g_return_if_fail (self != NULL);
  self->want.bold = !!bold;
}

void
joren_escpos_set_underline (JorenEscpos *self,
                            guint        dots)
{
  g_return_if_fail (self != NULL);
  self->want.underline = MIN (dots, 2);
}

void
joren_escpos_set_size (JorenEscpos *self,
                       guint        width,
                       guint        height)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (width >= 1 && width <= 8 && height >= 1 && height <= 8);
  self->want.width = width;
  self->want.height = height;
}

void
joren_escpos_set_reverse (JorenEscpos *self,
                          gboolean     reverse)
{
  g_return_if_fail (self != NULL);
  self->want.reverse = !!reverse;
}

void
joren_escpos_set_font (JorenEscpos *self,
                       guint        font)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (font < 2);
  self->want.font = font;
}

void
joren_escpos_set_align (JorenEscpos *self,
                        JorenAlign   align)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (align <= JOREN_ALIGN_RIGHT);
  self->want_align = align;
}

void
joren_escpos_reset_style (JorenEscpos *self)
{
  g_return_if_fail (self != NULL);
  self->want = default_style;
  self->want_align = JOREN_ALIGN_LEFT;
}

void
joren_escpos_set_line_spacing (JorenEscpos *self,
                               guint        dots)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (dots <= 255);

  if (dots == 0)
    {
      PUT (self, ESC, '2');
      self->line_spacing = self->profile->line_spacing;
      return;
    }
  PUT (self, ESC, '3', (guint8) dots);
  self->line_spacing = dots;
}

/* The commands that move the printer from "have" to style. */
static void
put_style (JorenEscpos *self, const JorenTextStyle *style)
{
  JorenTextStyle *have = &self->have;

  if (style->font != have->font)
    PUT (self, ESC, 'M', style->font);
  if (style->bold != have->bold)
    PUT (self, ESC, 'E', style->bold);
  if (style->underline != have->underline)
    PUT (self, ESC, '-', style->underline);
  if (style->width != have->width || style->height != have->height)
    PUT (self, GS, '!', (guint8) (((style->width - 1) << 4) | (style->height - 1)));
  if (style->reverse != have->reverse)
    PUT (self, GS, 'B', style->reverse);
  *have = *style;
}

/* ESC a only takes effect at the start of a line. */
static void
put_align (JorenEscpos *self, JorenAlign align)
{
  if (align == self->have_align)
    return;
  PUT (self, ESC, 'a', (guint8) align);
  self->have_align = align;
}

static Segment *
current_segment (JorenEscpos *self)
{
  Segment *last = self->line->len > 0
    ? &g_array_index (self->line, Segment, self->line->len - 1) : NULL;
  Segment seg;

  if (last != NULL && memcmp (&last->style, &self->want, sizeof seg.style) == 0)
    return last;
  seg.style = self->want;
  seg.text = g_string_new (NULL);
  g_array_append_val (self->line, seg);
  return &g_array_index (self->line, Segment, self->line->len - 1);
}

void
joren_escpos_text (JorenEscpos *self,
                   const char  *utf8)
{
  g_autofree char *nfc = NULL;
  const char *p;

  g_return_if_fail (self != NULL);
  g_return_if_fail (utf8 != NULL);
  g_return_if_fail (g_utf8_validate (utf8, -1, NULL));

  nfc = g_utf8_normalize (utf8, -1, G_NORMALIZE_NFC);
  for (p = nfc; *p != '\0';)
    {
      const char *nl = strchr (p, '\n');
      gsize len = nl != NULL ? (gsize) (nl - p) : strlen (p);

      if (len > 0)
        g_string_append_len (current_segment (self)->text, p, len);
      if (nl == NULL)
        break;
      joren_escpos_newline (self);
      p = nl + 1;
    }
}

static gboolean
line_is_native (JorenEscpos *self)
{
  guint8 out[2];

  for (guint i = 0; i < self->line->len; i++)
    {
      const char *p = g_array_index (self->line, Segment, i).text->str;

      for (; *p != '\0'; p = g_utf8_next_char (p))
        if (joren_text_codec_encode (self->codec, g_utf8_get_char (p), out) == 0)
          return FALSE;
    }
  return TRUE;
}

static void
put_native_line (JorenEscpos *self)
{
  guint8 out[2];

  put_align (self, self->want_align);
  for (guint i = 0; i < self->line->len; i++)
    {
      Segment *seg = &g_array_index (self->line, Segment, i);

      put_style (self, &seg->style);
      for (const char *p = seg->text->str; *p != '\0'; p = g_utf8_next_char (p))
        {
          guint len = joren_text_codec_encode (self->codec, g_utf8_get_char (p), out);

          g_byte_array_append (self->buf, out, len);
        }
    }
  PUT (self, '\n');
}

static guint
segment_dots (JorenEscpos *self, const Segment *seg)
{
  guint cols = 0;

  for (const char *p = seg->text->str; *p != '\0'; p = g_utf8_next_char (p))
    cols += joren_text_codec_columns (self->codec, g_utf8_get_char (p));
  return cols * self->profile->fonts[seg->style.font].cell_width * seg->style.width;
}

static guint
align_offset (JorenEscpos *self, JorenAlign align, guint width)
{
  guint room = self->profile->dots > width ? self->profile->dots - width : 0;

  return align == JOREN_ALIGN_CENTER ? room / 2 : align == JOREN_ALIGN_RIGHT ? room : 0;
}

/* Height of the pending line as the printer would feed it. */
static guint
line_height (JorenEscpos *self)
{
  guint h = self->line_spacing;

  for (guint i = 0; i < self->line->len; i++)
    {
      const JorenTextStyle *s = &g_array_index (self->line, Segment, i).style;

      h = MAX (h, self->profile->fonts[s->font].cell_height * s->height);
    }
  return h;
}

static double
draw_segment (JorenEscpos *self, cairo_t *cr, PangoLayout *layout,
              const Segment *seg, double x)
{
  const JorenFontCell *cell = &self->profile->fonts[seg->style.font];

  for (const char *p = seg->text->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint cols = joren_text_codec_columns (self->codec, c);

      joren_text_draw_char (cr, layout, self->profile, &seg->style, x, 0, c, cols);
      x += (double) cols * cell->cell_width * seg->style.width;
    }
  return x;
}

static JorenBitmap *
render_line (JorenEscpos *self)
{
  guint width = 0, height = line_height (self), x0;
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoLayout *layout;
  JorenBitmap *bitmap;
  double x;

  for (guint i = 0; i < self->line->len; i++)
    width += segment_dots (self, &g_array_index (self->line, Segment, i));
  x0 = align_offset (self, self->want_align, width);
  width = MAX (MIN (x0 + width, self->profile->dots), 1);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  layout = joren_text_layout_new (cr, self->profile);
  x = x0;
  for (guint i = 0; i < self->line->len; i++)
    x = draw_segment (self, cr, layout, &g_array_index (self->line, Segment, i), x);
  g_object_unref (layout);
  cairo_destroy (cr);
  bitmap = joren_bitmap_new_from_surface (surface, width, FALSE);
  cairo_surface_destroy (surface);
  return bitmap;
}

static void put_raster (JorenEscpos *self, const JorenBitmap *bitmap);

static void
flush_line (JorenEscpos *self)
{
  if (line_is_native (self))
    put_native_line (self);
  else
    {
      g_autoptr(JorenBitmap) bitmap = render_line (self);

      put_raster (self, bitmap);
    }
  g_array_set_size (self->line, 0);
}

void
joren_escpos_newline (JorenEscpos *self)
{
  g_return_if_fail (self != NULL);

  flush_line (self);
}

/* Commands that must start on a fresh line end the pending one. */
static void
end_pending_line (JorenEscpos *self)
{
  if (self->line->len > 0)
    flush_line (self);
}

static void
put_feed_dots (JorenEscpos *self, guint dots)
{
  while (dots > 0)
    {
      guint8 n = (guint8) MIN (dots, 255);

      PUT (self, ESC, 'J', n);
      dots -= n;
    }
}

void
joren_escpos_feed (JorenEscpos *self,
                   guint        lines)
{
  g_return_if_fail (self != NULL);

  end_pending_line (self);
  while (lines > 0)
    {
      guint8 n = (guint8) MIN (lines, 255);

      PUT (self, ESC, 'd', n);
      lines -= n;
    }
}

void
joren_escpos_feed_dots (JorenEscpos *self,
                        guint        dots)
{
  g_return_if_fail (self != NULL);

  end_pending_line (self);
  put_feed_dots (self, dots);
}

void
joren_escpos_cut (JorenEscpos *self,
                  gboolean     partial)
{
  g_return_if_fail (self != NULL);

  end_pending_line (self);
  if (!self->profile->has_cutter)
    {
      PUT (self, ESC, 'd', 4);   /* past the tear bar */
      return;
    }
  PUT (self, GS, 'V', partial ? 66 : 65, 0);  /* feed to cutter, cut */
}

void
joren_escpos_pulse (JorenEscpos *self,
                    guint        pin,
                    guint        on_ms,
                    guint        off_ms)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (pin < 2);

  if (!self->profile->has_drawer)
    return;
  PUT (self, ESC, 'p', (guint8) pin, (guint8) MIN (on_ms / 2, 255),
       (guint8) MIN (off_ms / 2, 255));
}

static void
put_strip (JorenEscpos *self, const JorenBitmap *bitmap, guint first, guint rows)
{
  PUT (self, GS, 'v', '0', 0,
       bitmap->stride & 0xff, bitmap->stride >> 8, rows & 0xff, rows >> 8);
  g_byte_array_append (self->buf, bitmap->data + (gsize) first * bitmap->stride,
                       (guint) rows * bitmap->stride);
}

/* Sends rows in strips the printer's buffer can hold; runs of blank rows
 * become paper feeds, which are shorter and faster. */
static void
put_raster (JorenEscpos *self, const JorenBitmap *bitmap)
{
  guint y = 0;

  put_align (self, JOREN_ALIGN_LEFT);   /* placement is in the bitmap */
  while (y < bitmap->height)
    {
      guint start = y;

      if (joren_bitmap_row_is_blank (bitmap, y))
        {
          while (y < bitmap->height && joren_bitmap_row_is_blank (bitmap, y))
            y++;
          put_feed_dots (self, y - start);
          continue;
        }
      while (y < bitmap->height && y - start < self->profile->raster_rows
             && !joren_bitmap_row_is_blank (bitmap, y))
        y++;
      put_strip (self, bitmap, start, y - start);
    }
}

void
joren_escpos_image (JorenEscpos       *self,
                    const JorenBitmap *bitmap)
{
  g_autoptr(JorenBitmap) placed = NULL;
  guint offset;

  g_return_if_fail (self != NULL);
  g_return_if_fail (bitmap != NULL);
  g_return_if_fail (bitmap->width <= self->profile->dots);

  end_pending_line (self);
  offset = align_offset (self, self->want_align, bitmap->width);
  if (offset == 0)
    {
      put_raster (self, bitmap);
      return;
    }
  placed = joren_bitmap_new_offset (bitmap, offset);
  put_raster (self, placed);
}

static gboolean
check_ean13 (const char *data, GError **error)
{
  gsize len = strlen (data);
  guint sum = 0;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (data[i]))
      len = 0;
  if (len == 12 || len == 13)
    {
      for (guint i = 0; i < 12; i++)
        sum += (data[i] - '0') * (i % 2 ? 3 : 1);
      if (len == 12 || (guint) (data[12] - '0') == (10 - sum % 10) % 10)
        return TRUE;
    }
  g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
               _("“%s” is not a valid EAN-13 number"), data);
  return FALSE;
}

/* CODE128 data for GS k 73: code set C for even runs of digits (half the
 * width), else code set B with '{' escaped. */
static GByteArray *
code128_payload (const char *data, GError **error)
{
  gsize len = strlen (data);
  gboolean digits = len >= 4 && len % 2 == 0;
  GByteArray *out = g_byte_array_new ();

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] < 0x20 || data[i] > 0x7E)
        {
          g_byte_array_unref (out);
          g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
                       _("A barcode can only hold plain letters and digits"));
          return NULL;
        }
      digits = digits && g_ascii_isdigit (data[i]);
    }
  g_byte_array_append (out, (const guint8 *) (digits ? "{C" : "{B"), 2);
  for (gsize i = 0; i < len; i += digits ? 2 : 1)
    {
      guint8 b = digits ? (guint8) ((data[i] - '0') * 10 + data[i + 1] - '0') : (guint8) data[i];

      g_byte_array_append (out, &b, 1);
      if (!digits && b == '{')
        g_byte_array_append (out, &b, 1);
    }
  return out;
}

static GByteArray *
barcode_payload (JorenEscposSymbology kind, const char *data, guint8 *m, GError **error)
{
  GByteArray *out;

  if (kind == JOREN_ESCPOS_CODE128)
    {
      *m = 73;
      return code128_payload (data, error);
    }
  if (!check_ean13 (data, error))
    return NULL;
  *m = 67;
  out = g_byte_array_new ();
  g_byte_array_append (out, (const guint8 *) data, 12);  /* printer adds the check digit */
  return out;
}

gboolean
joren_escpos_barcode (JorenEscpos       *self,
                      JorenEscposSymbology   kind,
                      const char        *data,
                      gboolean           hri,
                      GError           **error)
{
  g_autoptr(GByteArray) payload = NULL;
  guint8 m = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  payload = barcode_payload (kind, data, &m, error);
  if (payload == NULL)
    return FALSE;
  if (payload->len > 255)
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
                   _("The barcode is too long to print"));
      return FALSE;
    }
  end_pending_line (self);
  put_align (self, self->want_align);
  PUT (self, GS, 'h', (guint8) self->profile->barcode_height);
  PUT (self, GS, 'w', (guint8) self->profile->barcode_module);
  PUT (self, GS, 'H', hri ? 2 : 0);
  PUT (self, GS, 'k', m, (guint8) payload->len);
  g_byte_array_append (self->buf, payload->data, payload->len);
  return TRUE;
}

static void
put_native_qr (JorenEscpos *self, const char *data, gsize len)
{
  gsize n = len + 3;

  put_align (self, self->want_align);
  PUT (self, GS, '(', 'k', 4, 0, 49, 65, 50, 0);                 /* model 2 */
  PUT (self, GS, '(', 'k', 3, 0, 49, 67, (guint8) self->profile->qr_module);
  PUT (self, GS, '(', 'k', 3, 0, 49, 69, 49);                    /* ECC M */
  PUT (self, GS, '(', 'k', n & 0xff, n >> 8, 49, 80, 48);        /* store */
  g_byte_array_append (self->buf, (const guint8 *) data, len);
  PUT (self, GS, '(', 'k', 3, 0, 49, 81, 48);                    /* print */
  PUT (self, '\n');
}

gboolean
joren_escpos_qr (JorenEscpos  *self,
                 const char   *data,
                 JorenQrMode   mode,
                 GError      **error)
{
  g_autoptr(JorenBitmap) bitmap = NULL;
  gsize len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  len = strlen (data);
  end_pending_line (self);
  if (mode == JOREN_QR_NATIVE || (mode == JOREN_QR_AUTO && self->profile->has_native_qr))
    {
      if (len == 0 || len > 7089)
        {
          g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
                       _("The QR code data is empty or too long"));
          return FALSE;
        }
      put_native_qr (self, data, len);
      return TRUE;
    }
  bitmap = joren_bitmap_new_qr (data, self->profile->qr_module, error);
  if (bitmap == NULL)
    return FALSE;
  if (bitmap->width > self->profile->dots)
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
                   _("The QR code data is empty or too long"));
      return FALSE;
    }
  joren_escpos_image (self, bitmap);
  return TRUE;
}

guint
joren_escpos_get_columns (JorenEscpos *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->profile->dots
         / (self->profile->fonts[self->want.font].cell_width * self->want.width);
}

guint
joren_escpos_text_columns (JorenEscpos *self,
                           const char  *utf8)
{
  g_autofree char *nfc = NULL;
  guint cols = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (utf8 != NULL, 0);

  nfc = g_utf8_normalize (utf8, -1, G_NORMALIZE_NFC);
  for (const char *p = nfc; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    cols += joren_text_codec_columns (self->codec, g_utf8_get_char (p));
  return cols;
}
