/* joren-escpos-text.h: characters between UTF-8 and a printer's fonts.
 * The codec answers three questions per character for a profile: which
 * bytes print it (none: it must be rasterised), how many half-width cells
 * it takes, and, for the preview renderer, which character a byte
 * sequence stands for. Glyphs are drawn one per cell so that raster text
 * and the preview line up column for column with the printer's fonts. */
#pragma once

#include <pango/pangocairo.h>

#include "joren-printer-profile.h"

G_BEGIN_DECLS

typedef struct {
  guint8 bold;
  guint8 underline;  /* 0, 1 or 2 dots */
  guint8 reverse;
  guint8 font;       /* 0 = A, 1 = B */
  guint8 width;      /* 1..8 */
  guint8 height;     /* 1..8 */
} JorenTextStyle;

#define JOREN_TEXT_STYLE_INIT { 0, 0, 0, 0, 1, 1 }

typedef struct _JorenTextCodec JorenTextCodec;

JorenTextCodec *joren_text_codec_new     (JorenCharset charset);
void            joren_text_codec_free    (JorenTextCodec *self);
/* Bytes for c in the printer's font (written to out), 0 when it has none. */
guint           joren_text_codec_encode  (JorenTextCodec *self, gunichar c, guint8 out[2]);
/* Half-width cells c takes on paper: its byte count when the font has it,
 * else 2 for East Asian wide characters and 1 for the rest. */
guint           joren_text_codec_columns (JorenTextCodec *self, gunichar c);
/* Reads one character at p. kanji: FS & is on; code_page: ESC t n;
 * intl_japan: ESC R 8 (0x5C is the yen sign). Never reads past avail. */
gunichar        joren_text_codec_decode  (JorenTextCodec *self,
                                          const guint8   *p,
                                          gsize           avail,
                                          gboolean        kanji,
                                          guint8          code_page,
                                          gboolean        intl_japan,
                                          gsize          *consumed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenTextCodec, joren_text_codec_free)

/* A layout set up with a monospace CJK font for the profile's script. */
PangoLayout    *joren_text_layout_new    (cairo_t *cr, const JorenPrinterProfile *profile);
/* Draws c in a box of columns cells at (x, y), top left, in style. */
void            joren_text_draw_char     (cairo_t                   *cr,
                                          PangoLayout               *layout,
                                          const JorenPrinterProfile *profile,
                                          const JorenTextStyle      *style,
                                          double                     x,
                                          double                     y,
                                          gunichar                   c,
                                          guint                      columns);

G_END_DECLS
