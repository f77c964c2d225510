/* joren-escpos-text.c: the character codec and glyph drawing shared by the
 * encoder (raster fallback) and the preview renderer. Encodings go
 * through iconv (SHIFT_JIS, GB18030, BIG5, CP858) with a per-codec cache,
 * because a receipt repeats the same few hundred characters. Double-byte
 * fonts on these printers only hold the 2-byte part of their tables, so
 * anything iconv turns into 4 bytes (GB18030 outside GBK) counts as
 * missing and is drawn as raster instead. */
#include "joren-escpos-text.h"

#include <string.h>

struct _JorenTextCodec {
  JorenCharset  charset;
  const char   *iconv_name;
  GHashTable   *cache;      /* gunichar -> (len << 16 | bytes) + 1 */
};

static const char *
charset_iconv_name (JorenCharset charset)
{
  switch (charset)
    {
    case JOREN_CHARSET_CP858: return "CP858";
    case JOREN_CHARSET_SHIFT_JIS: return "SHIFT_JIS";
    case JOREN_CHARSET_GB18030: return "GB18030";
    case JOREN_CHARSET_BIG5: return "BIG5";
    case JOREN_CHARSET_ASCII:
    default: return NULL;
    }
}

JorenTextCodec *
joren_text_codec_new (JorenCharset charset)
{
  JorenTextCodec *self = g_new0 (JorenTextCodec, 1);

  self->charset = charset;
  self->iconv_name = charset_iconv_name (charset);
  self->cache = g_hash_table_new (NULL, NULL);
  return self;
}

void
joren_text_codec_free (JorenTextCodec *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->cache);
  g_free (self);
}

/* Characters a profile's tables spell differently from Unicode: the yen
 * sign is 0x5C under ESC R 8 in Japan, and Chinese fonts only have the
 * fullwidth yen. Returns 0 for "no special rule". */
static guint
encode_special (JorenCharset charset, gunichar c, guint8 out[2])
{
  if (charset == JOREN_CHARSET_SHIFT_JIS && c == 0xA5)
    return (out[0] = 0x5C), 1;
  if (charset == JOREN_CHARSET_SHIFT_JIS && (c == '\\' || c == '~'))
    return G_MAXUINT;   /* 0x5C and 0x7E print as yen and overline */
  if (c >= 0x20 && c < 0x7F)
    return (out[0] = (guint8) c), 1;
  if (c < 0x20 || c == 0x7F)
    return G_MAXUINT;
  return 0;
}

static guint
encode_iconv (JorenTextCodec *self, gunichar c, guint8 out[2])
{
  char utf8[8];
  gsize len, written = 0;
  g_autofree char *bytes = NULL;

  if (self->iconv_name == NULL)
    return 0;
  if ((self->charset == JOREN_CHARSET_GB18030 || self->charset == JOREN_CHARSET_BIG5)
      && c == 0xA5)
    c = 0xFFE5;
  len = g_unichar_to_utf8 (c, utf8);
  bytes = g_convert (utf8, len, self->iconv_name, "UTF-8", NULL, &written, NULL);
  if (bytes == NULL || written == 0 || written > 2)
    return 0;
  if (self->charset == JOREN_CHARSET_CP858 && written != 1)
    return 0;
  memcpy (out, bytes, written);
  return written;
}

guint
joren_text_codec_encode (JorenTextCodec *self,
                         gunichar        c,
                         guint8          out[2])
{
  gpointer hit;
  guint len;

  g_return_val_if_fail (self != NULL, 0);

  hit = g_hash_table_lookup (self->cache, GUINT_TO_POINTER (c));
  if (hit != NULL)
    {
      guint packed = GPOINTER_TO_UINT (hit) - 1;

      out[0] = packed & 0xff;
      out[1] = (packed >> 8) & 0xff;
      return packed >> 16;
    }
  len = encode_special (self->charset, c, out);
  if (len == G_MAXUINT)
    len = 0;
  else if (len == 0)
    len = encode_iconv (self, c, out);
  g_hash_table_insert (self->cache, GUINT_TO_POINTER (c),
                       GUINT_TO_POINTER (((len << 16) | out[0] | (len > 1 ? out[1] << 8 : 0)) + 1));
  return len;
}

guint
joren_text_codec_columns (JorenTextCodec *self,
                          gunichar        c)
{
  guint8 out[2] = { 0, 0 };
  guint len;

  g_return_val_if_fail (self != NULL, 1);

  len = joren_text_codec_encode (self, c, out);
  if (len > 0)
    return len;
  return g_unichar_iswide (c) ? 2 : 1;
}

static gunichar
decode_iconv (const char *from, const guint8 *p, gsize len)
{
  g_autofree char *utf8 = g_convert ((const char *) p, len, "UTF-8", from,
                                     NULL, NULL, NULL);

  if (utf8 == NULL || !g_utf8_validate (utf8, -1, NULL))
    return 0xFFFD;
  return g_utf8_get_char (utf8);
}

static const char *
code_page_iconv_name (guint8 code_page)
{
  switch (code_page)
    {
    case 16: return "CP1252";
    case 19: return "CP858";
    case 2: return "CP850";
    default: return "CP437";
    }
}

static gboolean
is_lead_byte (JorenCharset charset, guint8 b)
{
  if (charset == JOREN_CHARSET_SHIFT_JIS)
    return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
  return (charset == JOREN_CHARSET_GB18030 || charset == JOREN_CHARSET_BIG5)
         && b >= 0x81 && b <= 0xFE;
}

static gunichar
decode_single (guint8 b, guint8 code_page, gboolean intl_japan)
{
  if (intl_japan && b == 0x5C)
    return 0xA5;
  if (intl_japan && b == 0x7E)
    return 0x203E;
  if (b < 0x80)
    return b;
  if (code_page == 1)   /* Katakana table: JIS X 0201 upper half */
    return (b >= 0xA1 && b <= 0xDF) ? 0xFF61 + (b - 0xA1) : 0xFFFD;
  return decode_iconv (code_page_iconv_name (code_page), &b, 1);
}

gunichar
joren_text_codec_decode (JorenTextCodec *self,
                         const guint8   *p,
                         gsize           avail,
                         gboolean        kanji,
                         guint8          code_page,
                         gboolean        intl_japan,
                         gsize          *consumed)
{
  g_return_val_if_fail (self != NULL, 0xFFFD);
  g_return_val_if_fail (p != NULL && avail > 0, 0xFFFD);
  g_return_val_if_fail (consumed != NULL, 0xFFFD);

  if (kanji && avail >= 2 && is_lead_byte (self->charset, p[0]))
    {
      *consumed = 2;
      return decode_iconv (self->iconv_name, p, 2);
    }
  *consumed = 1;
  if (kanji && self->charset == JOREN_CHARSET_SHIFT_JIS
      && p[0] >= 0xA1 && p[0] <= 0xDF)
    return 0xFF61 + (p[0] - 0xA1);
  return decode_single (p[0], code_page, intl_japan);
}

static const char *
profile_font_family (const JorenPrinterProfile *profile)
{
  switch (profile->charset)
    {
    case JOREN_CHARSET_GB18030: return "Noto Sans Mono CJK SC, DejaVu Sans Mono, monospace";
    case JOREN_CHARSET_BIG5: return "Noto Sans Mono CJK TC, DejaVu Sans Mono, monospace";
    default: return "Noto Sans Mono CJK JP, DejaVu Sans Mono, monospace";
    }
}

PangoLayout *
joren_text_layout_new (cairo_t                   *cr,
                       const JorenPrinterProfile *profile)
{
  PangoLayout *layout;
  PangoFontDescription *desc;
  cairo_font_options_t *options;

  g_return_val_if_fail (cr != NULL, NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  layout = pango_cairo_create_layout (cr);
  desc = pango_font_description_from_string (profile_font_family (profile));
  /* Thermal heads have no grey: draw glyphs without antialiasing. */
  options = cairo_font_options_create ();
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_NONE);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_FULL);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), options);
  cairo_font_options_destroy (options);
  pango_font_description_set_absolute_size (desc, 20 * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  return layout;
}

/* Pango draws at 20 px, where a half-width glyph is 10 px wide: that
 * fits a 12 x 24 cell, and other cells and size multipliers scale it. */
static void
draw_glyph (cairo_t *cr, PangoLayout *layout, double box_w, double box_h,
            guint columns, gunichar c, gboolean bold)
{
  char utf8[8];
  PangoRectangle logical;
  double sx = box_w / columns / 12.0;
  double sy = box_h / 24.0;

  utf8[g_unichar_to_utf8 (c, utf8)] = '\0';
  pango_layout_set_text (layout, utf8, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (logical.width <= 0 || logical.height <= 0)
    return;
  if (logical.width * sx > box_w)
    sx = box_w / logical.width;
  cairo_translate (cr, (box_w - logical.width * sx) / 2,
                   (box_h - logical.height * sy) / 2);
  cairo_scale (cr, sx, sy);
  pango_cairo_update_layout (cr, layout);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, layout);
  if (bold)   /* like the printer's double strike: once more, a dot right */
    {
      cairo_move_to (cr, 1 / sx, 0);
      pango_cairo_show_layout (cr, layout);
    }
}

void
joren_text_draw_char (cairo_t                   *cr,
                      PangoLayout               *layout,
                      const JorenPrinterProfile *profile,
                      const JorenTextStyle      *style,
                      double                     x,
                      double                     y,
                      gunichar                   c,
                      guint                      columns)
{
  const JorenFontCell *cell;
  double w, h;

  g_return_if_fail (cr != NULL && layout != NULL);
  g_return_if_fail (profile != NULL && style != NULL);

  cell = &profile->fonts[style->font ? 1 : 0];
  w = (double) cell->cell_width * columns * style->width;
  h = (double) cell->cell_height * style->height;
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  if (style->reverse)
    {
      cairo_rectangle (cr, x, y, w, h);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
    }
  if (style->underline)
    {
      cairo_rectangle (cr, x, y + h - style->underline, w, style->underline);
      cairo_fill (cr);
    }
  cairo_translate (cr, x, y);
  if (c != ' ')
    draw_glyph (cr, layout, w, h, columns, c, style->bold);
  cairo_restore (cr);
}
