/* joren-escpos-render.c: an ESC/POS interpreter that draws. It keeps the
 * printer's state machine (styles, alignment, line spacing, Kanji mode,
 * code page, barcode and QR settings) and a line buffer, and draws text
 * with the same cell-grid glyph code as the encoder's raster fallback.
 * Every read goes through take(), which refuses to pass the end of the
 * buffer: a truncated command just ends the document. */
#include "joren-escpos-render.h"

#include <glib/gi18n.h>
#include <qrencode.h>
#include <string.h>

#include "joren-bitmap.h"
#include "joren-device-error.h"
#include "joren-escpos-text.h"
#include "joren-symbology.h"

/* cairo's limit; also bounds memory on hostile input */
#define MAX_HEIGHT 32000

typedef struct {
  gunichar       c;
  guint          columns;
  JorenTextStyle style;
} Cell;

typedef struct {
  const JorenPrinterProfile *profile;
  const guint8              *p;
  gsize                      len;
  gsize                      pos;

  cairo_surface_t           *surface;
  cairo_t                   *cr;
  PangoLayout               *layout;
  guint                      height;     /* allocated rows */
  guint                      y;          /* top of the current line */
  gboolean                   full;       /* hit MAX_HEIGHT */

  JorenTextCodec            *codec;
  JorenTextStyle             style;
  guint                      align;
  guint                      line_spacing;
  gboolean                   kanji;
  guint8                     code_page;
  gboolean                   intl_japan;
  GArray                    *line;       /* Cell */
  guint                      line_dots;

  guint                      bar_height;
  guint                      bar_module;
  guint                      bar_hri;
  GByteArray                *qr_data;
  guint                      qr_module;
  QRecLevel                  qr_level;
  GString                   *text;
} Render;

static const guint8 *
take (Render *r, gsize n)
{
  const guint8 *at;

  if (r->len - r->pos < n)
    {
      r->pos = r->len;
      return NULL;
    }
  at = r->p + r->pos;
  r->pos += n;
  return at;
}

static void
reset_state (Render *r)
{
  const JorenTextStyle plain = JOREN_TEXT_STYLE_INIT;

  r->style = plain;
  r->align = 0;
  r->line_spacing = r->profile->line_spacing;
  /* Chinese clones power up in Chinese mode. */
  r->kanji = r->profile->charset == JOREN_CHARSET_GB18030
             || r->profile->charset == JOREN_CHARSET_BIG5;
  r->code_page = 0;
  r->intl_japan = FALSE;
  r->bar_height = 162;
  r->bar_module = 3;
  r->bar_hri = 0;
  r->qr_module = 3;
  r->qr_level = QR_ECLEVEL_L;
}

/* Makes room for rows more rows below y; FALSE once the page is full. */
static gboolean
ensure_rows (Render *r, guint rows)
{
  guint need = r->y + rows, h;
  cairo_surface_t *bigger;
  cairo_t *cr;

  if (need <= r->height)
    return TRUE;
  if (need > MAX_HEIGHT)
    {
      r->full = TRUE;
      return FALSE;
    }
  h = MIN (MAX (need, r->height * 2), MAX_HEIGHT);
  bigger = cairo_image_surface_create (CAIRO_FORMAT_RGB24, r->profile->dots, h);
  cr = cairo_create (bigger);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_surface (cr, r->surface, 0, 0);
  cairo_paint (cr);
  g_clear_object (&r->layout);
  cairo_destroy (r->cr);
  cairo_surface_destroy (r->surface);
  r->surface = bigger;
  r->cr = cr;
  r->layout = joren_text_layout_new (cr, r->profile);
  r->height = h;
  return TRUE;
}

static void
advance (Render *r, guint rows)
{
  if (ensure_rows (r, rows))
    r->y += rows;
}

static guint
align_offset (Render *r, guint width)
{
  guint room = r->profile->dots > width ? r->profile->dots - width : 0;

  return r->align == 1 ? room / 2 : r->align == 2 ? room : 0;
}

static guint
cell_height (Render *r, const JorenTextStyle *s)
{
  return r->profile->fonts[s->font].cell_height * s->height;
}

static guint
cell_width (Render *r, const Cell *cell)
{
  return r->profile->fonts[cell->style.font].cell_width * cell->style.width * cell->columns;
}

static void
log_char (Render *r, gunichar c)
{
  if (r->text != NULL)
    g_string_append_unichar (r->text, c);
}

/* Prints the line buffer; ESC/POS aligns characters on their bottoms. */
static void
print_line (Render *r, gboolean feed_line)
{
  guint tallest = 0;
  double x;

  for (guint i = 0; i < r->line->len; i++)
    tallest = MAX (tallest, cell_height (r, &g_array_index (r->line, Cell, i).style));
  if (ensure_rows (r, MAX (tallest, r->line_spacing)))
    {
      x = align_offset (r, r->line_dots);
      for (guint i = 0; i < r->line->len; i++)
        {
          Cell *cell = &g_array_index (r->line, Cell, i);

          joren_text_draw_char (r->cr, r->layout, r->profile, &cell->style, x,
                                r->y + tallest - cell_height (r, &cell->style),
                                cell->c, cell->columns);
          x += cell_width (r, cell);
        }
    }
  if (feed_line)
    advance (r, MAX (tallest, r->line_spacing));
  else
    advance (r, tallest);
  if (r->text != NULL && (feed_line || r->line->len > 0))
    g_string_append_c (r->text, '\n');
  g_array_set_size (r->line, 0);
  r->line_dots = 0;
}

static void
flush_pending (Render *r)
{
  if (r->line->len > 0)
    print_line (r, FALSE);
}

static void
add_char (Render *r, gunichar c, guint columns)
{
  Cell cell = { c, columns, r->style };
  guint w = cell_width (r, &cell);

  if (w > r->profile->dots)
    return;
  if (r->line_dots + w > r->profile->dots)
    print_line (r, TRUE);   /* the printer wraps */
  g_array_append_val (r->line, cell);
  r->line_dots += w;
  log_char (r, c);
}

static void
print_text_byte (Render *r)
{
  gsize used = 1;
  gunichar c = joren_text_codec_decode (r->codec, r->p + r->pos, r->len - r->pos,
                                        r->kanji, r->code_page, r->intl_japan, &used);

  r->pos += used;
  add_char (r, c, (guint) used);
}

static void
feed_dots (Render *r, guint dots)
{
  if (r->line->len > 0)
    print_line (r, FALSE);
  advance (r, dots);
}

/* ESC ! n: font, bold, double height and width, underline at once. */
static void
apply_print_mode (Render *r, guint8 n)
{
  r->style.font = n & 1;
  r->style.bold = (n >> 3) & 1;
  r->style.height = (n & 0x10) ? 2 : 1;
  r->style.width = (n & 0x20) ? 2 : 1;
  r->style.underline = (n & 0x80) ? 1 : 0;
}

static void
skip (Render *r, gsize n)
{
  take (r, n);
}

static void
do_esc (Render *r)
{
  const guint8 *a = take (r, 1);
  const guint8 *n;

  if (a == NULL)
    return;
  switch (a[0])
    {
    case '@': flush_pending (r); reset_state (r); return;
    case '2': r->line_spacing = r->profile->line_spacing; return;
    case 'd':
      if ((n = take (r, 1)) != NULL)
        feed_dots (r, n[0] * r->line_spacing);
      return;
    case 'J':
      if ((n = take (r, 1)) != NULL)
        feed_dots (r, n[0]);
      return;
    case 'p': skip (r, 3); return;
    case '*':
      if ((n = take (r, 3)) != NULL)
        skip (r, (gsize) (n[1] | n[2] << 8) * (n[0] >= 32 ? 3 : 1));
      return;
    case 'c': skip (r, 2); return;
    default: break;
    }
  if ((n = take (r, 1)) == NULL)
    return;
  switch (a[0])
    {
    case 'E': case 'G': r->style.bold = n[0] & 1; break;
    case '-': r->style.underline = MIN (n[0] % 48, 2); break;
    case 'M': r->style.font = n[0] & 1; break;
    case 'a': if (r->line->len == 0) r->align = MIN (n[0] % 48, 2); break;
    case '3': r->line_spacing = n[0]; break;
    case 't': r->code_page = n[0]; break;
    case 'R': r->intl_japan = n[0] == 8; break;
    case '!': apply_print_mode (r, n[0]); break;
    default: break;    /* ESC SP, ESC V, ESC {, ...: one argument, no effect here */
    }
}

static void
draw_cut (Render *r)
{
  flush_pending (r);
  if (!ensure_rows (r, 12))
    return;
  cairo_save (r->cr);
  cairo_set_source_rgb (r->cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (r->cr, 1);
  cairo_set_dash (r->cr, (double[]){ 6, 4 }, 2, 0);
  cairo_move_to (r->cr, 0, r->y + 6.5);
  cairo_line_to (r->cr, r->profile->dots, r->y + 6.5);
  cairo_stroke (r->cr);
  cairo_restore (r->cr);
  advance (r, 12);
}

static void
do_cut (Render *r)
{
  const guint8 *m = take (r, 1);

  if (m == NULL)
    return;
  if (m[0] == 65 || m[0] == 66 || m[0] == 97 || m[0] == 98 || m[0] == 103 || m[0] == 104)
    skip (r, 1);
  draw_cut (r);
}

static void
draw_bitmap (Render *r, const JorenBitmap *bitmap, guint x)
{
  flush_pending (r);
  if (!ensure_rows (r, bitmap->height))
    return;
  joren_bitmap_paint (bitmap, r->cr, x, r->y);
  advance (r, bitmap->height);
}

/* GS v 0 m xL xH yL yH d...: always at the left margin (see encoder). */
static void
do_raster (Render *r)
{
  const guint8 *h = take (r, 6), *data;
  guint xb, rows;
  g_autoptr(JorenBitmap) bitmap = NULL;

  if (h == NULL || h[0] != '0')
    return;
  xb = h[2] | h[3] << 8;
  rows = h[4] | h[5] << 8;
  if ((data = take (r, (gsize) xb * rows)) == NULL || xb == 0 || rows == 0)
    return;
  bitmap = joren_bitmap_new (MIN (xb * 8, r->profile->dots), rows);
  for (guint y = 0; y < rows; y++)
    memcpy (bitmap->data + (gsize) y * bitmap->stride, data + (gsize) y * xb,
            MIN (xb, bitmap->stride));
  if (r->text != NULL)
    g_string_append (r->text, "[raster]\n");
  draw_bitmap (r, bitmap, 0);
}

static void
draw_hri (Render *r, const char *hri, guint width)
{
  JorenTextStyle plain = JOREN_TEXT_STYLE_INIT;
  const JorenFontCell *cell = &r->profile->fonts[0];
  guint n = (guint) strlen (hri), x;

  if (!ensure_rows (r, cell->cell_height))
    return;
  x = align_offset (r, MIN (n * cell->cell_width, r->profile->dots));
  for (guint i = 0; i < n && (i + 1) * cell->cell_width <= r->profile->dots; i++)
    joren_text_draw_char (r->cr, r->layout, r->profile, &plain,
                          x + i * cell->cell_width, r->y, (guchar) hri[i], 1);
  advance (r, cell->cell_height);
}

static void
draw_bars (Render *r, const char *modules, const char *hri)
{
  guint m = CLAMP (r->bar_module, 1, 6), n = (guint) strlen (modules);
  guint width = n * m, x0, h = MAX (r->bar_height, 1);

  flush_pending (r);
  if (width > r->profile->dots || !ensure_rows (r, h))
    return;
  x0 = align_offset (r, width);
  cairo_set_source_rgb (r->cr, 0, 0, 0);
  for (guint i = 0; i < n; i++)
    if (modules[i] == '1')
      cairo_rectangle (r->cr, x0 + i * m, r->y, m, h);
  cairo_fill (r->cr);
  advance (r, h);
  if (r->text != NULL)
    g_string_append_printf (r->text, "[barcode %s]\n", hri);
  if (r->bar_hri == 2 || r->bar_hri == 3 || r->bar_hri == 50 || r->bar_hri == 51)
    draw_hri (r, hri, width);
}

static void
do_barcode (Render *r)
{
  const guint8 *m = take (r, 1), *n, *data;
  g_autofree char *modules = NULL;
  g_autofree char *hri = NULL;

  if (m == NULL)
    return;
  if (m[0] <= 6)   /* format A: NUL-terminated */
    {
      const guint8 *end = memchr (r->p + r->pos, 0, r->len - r->pos);

      r->pos = end != NULL ? (gsize) (end - r->p) + 1 : r->len;
      return;
    }
  if ((n = take (r, 1)) == NULL || (data = take (r, n[0])) == NULL)
    return;
  if (m[0] == 67)
    modules = joren_symbology_ean13 (data, n[0], &hri);
  else if (m[0] == 73)
    modules = joren_symbology_code128 (data, n[0], &hri);
  if (modules != NULL)
    draw_bars (r, modules, hri);
}

static void
print_qr (Render *r)
{
  g_autofree char *data = NULL;
  g_autoptr(JorenBitmap) bitmap = NULL;
  QRcode *qr;
  guint m = CLAMP (r->qr_module, 1, 16);

  if (r->qr_data->len == 0)
    return;
  data = g_strndup ((const char *) r->qr_data->data, r->qr_data->len);
  qr = QRcode_encodeData ((int) r->qr_data->len, r->qr_data->data, 0, r->qr_level);
  if (qr == NULL)
    return;
  bitmap = joren_bitmap_new (qr->width * m, qr->width * m);
  for (int y = 0; y < qr->width * (int) m; y++)
    for (int x = 0; x < qr->width * (int) m; x++)
      joren_bitmap_set (bitmap, x, y, qr->data[(y / m) * qr->width + x / m] & 1);
  QRcode_free (qr);
  if (r->text != NULL)
    g_string_append_printf (r->text, "[qr %s]\n", data);
  if (bitmap->width <= r->profile->dots)
    draw_bitmap (r, bitmap, align_offset (r, bitmap->width));
}

/* GS ( k pL pH cn fn ...: QR settings (cn 49) and print. */
static void
do_qr (Render *r, const guint8 *args, gsize n)
{
  if (n < 2 || args[0] != 49)
    return;
  switch (args[1])
    {
    case 67: if (n >= 3) r->qr_module = args[2]; break;
    case 69:
      if (n >= 3)
        r->qr_level = CLAMP (args[2], 48, 51) == 48 ? QR_ECLEVEL_L
                      : args[2] == 50 ? QR_ECLEVEL_Q : args[2] == 51 ? QR_ECLEVEL_H : QR_ECLEVEL_M;
      break;
    case 80:
      g_byte_array_set_size (r->qr_data, 0);
      if (n > 3)
        g_byte_array_append (r->qr_data, args + 3, (guint) (n - 3));
      break;
    case 81: print_qr (r); break;
    default: break;
    }
}

static void
do_gs_paren (Render *r)
{
  const guint8 *h = take (r, 3), *args;
  gsize n;

  if (h == NULL)
    return;
  n = h[1] | h[2] << 8;
  if ((args = take (r, n)) == NULL)
    return;
  if (h[0] == 'k')
    do_qr (r, args, n);
}

static void
do_gs (Render *r)
{
  const guint8 *a = take (r, 1), *n;

  if (a == NULL)
    return;
  switch (a[0])
    {
    case 'V': do_cut (r); return;
    case 'v': do_raster (r); return;
    case 'k': do_barcode (r); return;
    case '(': do_gs_paren (r); return;
    case 'L': case 'W': case 'P': skip (r, 2); return;
    case '*':
      if ((n = take (r, 2)) != NULL)
        skip (r, (gsize) n[0] * n[1] * 8);
      return;
    default: break;
    }
  if ((n = take (r, 1)) == NULL)
    return;
  switch (a[0])
    {
    case '!':
      r->style.width = ((n[0] >> 4) & 7) + 1;
      r->style.height = (n[0] & 7) + 1;
      break;
    case 'B': r->style.reverse = n[0] & 1; break;
    case 'h': r->bar_height = n[0]; break;
    case 'w': r->bar_module = n[0]; break;
    case 'H': r->bar_hri = n[0]; break;
    default: break;   /* GS f, GS a, GS r, GS I, ...: one argument */
    }
}

static void
do_fs (Render *r)
{
  const guint8 *a = take (r, 1);

  if (a == NULL)
    return;
  switch (a[0])
    {
    case '&': r->kanji = TRUE; break;
    case '.': r->kanji = FALSE; break;
    case 'S': case 'p': skip (r, 2); break;
    case 'C': case '!': case '-': case 'W': skip (r, 1); break;
    default: break;
    }
}

static void
do_dle (Render *r)
{
  const guint8 *a = take (r, 1);

  if (a != NULL && a[0] == 0x04)
    skip (r, 1);        /* DLE EOT n: status request */
  else if (a != NULL && a[0] == 0x14)
    skip (r, 3);        /* DLE DC4 fn m t: real-time pulse */
}

static void
step (Render *r)
{
  guint8 b = r->p[r->pos];

  if (b >= 0x20)
    {
      print_text_byte (r);
      return;
    }
  r->pos++;
  switch (b)
    {
    case 0x0A: print_line (r, TRUE); break;
    case 0x1B: do_esc (r); break;
    case 0x1D: do_gs (r); break;
    case 0x1C: do_fs (r); break;
    case 0x10: do_dle (r); break;
    default: break;    /* CR, HT and other controls print nothing here */
    }
}

static cairo_surface_t *
crop (Render *r)
{
  cairo_surface_t *out = cairo_image_surface_create (CAIRO_FORMAT_RGB24, r->profile->dots,
                                                     MAX (r->y, 1));
  cairo_t *cr = cairo_create (out);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_surface (cr, r->surface, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  return out;
}

cairo_surface_t *
joren_escpos_render_full (const JorenPrinterProfile  *profile,
                          GBytes                     *bytes,
                          char                      **text)
{
  Render r = { 0 };
  cairo_surface_t *out;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  r.profile = profile;
  r.p = g_bytes_get_data (bytes, &r.len);
  r.codec = joren_text_codec_new (profile->charset);
  r.line = g_array_new (FALSE, FALSE, sizeof (Cell));
  r.qr_data = g_byte_array_new ();
  r.text = text != NULL ? g_string_new (NULL) : NULL;
  r.surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, profile->dots, 1);
  r.cr = cairo_create (r.surface);
  cairo_set_source_rgb (r.cr, 1, 1, 1);
  cairo_paint (r.cr);
  r.layout = joren_text_layout_new (r.cr, profile);
  r.height = 1;
  reset_state (&r);
  while (r.pos < r.len && !r.full)
    step (&r);
  flush_pending (&r);
  out = crop (&r);
  if (text != NULL)
    *text = g_string_free (r.text, FALSE);
  g_clear_object (&r.layout);
  cairo_destroy (r.cr);
  cairo_surface_destroy (r.surface);
  g_byte_array_unref (r.qr_data);
  g_array_unref (r.line);
  joren_text_codec_free (r.codec);
  return out;
}

cairo_surface_t *
joren_escpos_render (const JorenPrinterProfile *profile,
                     GBytes                    *bytes)
{
  return joren_escpos_render_full (profile, bytes, NULL);
}

gboolean
joren_escpos_render_to_png (const JorenPrinterProfile  *profile,
                            GBytes                     *bytes,
                            const char                 *path,
                            GError                    **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;

  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  surface = joren_escpos_render (profile, bytes);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_FAILED,
                   _("Could not save the receipt image to %s: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
