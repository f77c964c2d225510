/* joren-labels.c: address labels and postcards drawn with Cairo's PDF
 * surface and Pango (fontconfig finds a CJK face for Japanese names).
 * Sizes are in millimetres and turned into PDF points at the edge. A
 * Japanese postal code (NNN-NNNN) gets the 〒 mark and the name 様, the
 * way Japan Post and every Japanese reader expect; other addresses are
 * printed plainly. */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "joren-device-error.h"
#include "joren-labels.h"

#define MM(x) ((x) * 72.0 / 25.4)

/* A4, 24-up (3 x 8) labels of 70 x 37 mm. */
#define A4_W 210.0
#define A4_H 297.0
#define LABEL_COLS 3
#define LABEL_ROWS 8
#define LABEL_W 70.0
#define LABEL_H 37.0
#define LABEL_PAD 5.0
/* Hagaki. */
#define HAGAKI_W 100.0
#define HAGAKI_H 148.0
#define HAGAKI_MARGIN 10.0

JorenLabelItem *
joren_label_item_new (const char *name,
                      const char *postal_code,
                      const char *address,
                      const char *text)
{
  JorenLabelItem *item = g_new0 (JorenLabelItem, 1);

  item->name = g_strdup (name ? name : "");
  item->postal_code = g_strdup (postal_code);
  item->address = g_strdup (address ? address : "");
  item->text = g_strdup (text);
  return item;
}

void
joren_label_item_free (JorenLabelItem *item)
{
  if (item == NULL)
    return;
  g_free (item->name);
  g_free (item->postal_code);
  g_free (item->address);
  g_free (item->text);
  g_free (item);
}

static gboolean
is_japanese_postal_code (const char *code)
{
  return code != NULL && g_regex_match_simple ("^[0-9]{3}-?[0-9]{4}$", code, 0, 0);
}

/* Draws text at (x, y) mm, wrapped to width mm; returns its height in mm. */
static double
draw_text (cairo_t    *cr,
           const char *text,
           const char *font,
           double      x,
           double      y,
           double      width,
           double      grey)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_context_set_language (pango_layout_get_context (layout),
                              pango_language_from_string ("ja"));
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (int) (MM (width) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  cairo_set_source_rgb (cr, grey, grey, grey);
  cairo_move_to (cr, MM (x), MM (y));
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, &w, &h);
  return h / (double) PANGO_SCALE * 25.4 / 72.0;
}

static char *
format_postal_code (const JorenLabelItem *item)
{
  if (item->postal_code == NULL || *item->postal_code == '\0')
    return NULL;
  if (is_japanese_postal_code (item->postal_code))
    return g_strdup_printf ("〒%s", item->postal_code);
  return g_strdup (item->postal_code);
}

static char *
format_name (const JorenLabelItem *item)
{
  if (is_japanese_postal_code (item->postal_code))
    return g_strdup_printf ("%s 様", item->name);
  return g_strdup (item->name);
}

/* The address block (postal code, address, name) from (x, y) mm. */
static double
draw_address (cairo_t              *cr,
              const JorenLabelItem *item,
              double                x,
              double                y,
              double                width,
              double                scale)
{
  g_autofree char *postal = format_postal_code (item);
  g_autofree char *name = format_name (item);
  g_autofree char *body_font = g_strdup_printf ("Sans %.1f", 9.5 * scale);
  g_autofree char *name_font = g_strdup_printf ("Sans Bold %.1f", 12 * scale);
  double top = y;

  if (postal != NULL)
    y += draw_text (cr, postal, body_font, x, y, width, 0) + 0.8 * scale;
  y += draw_text (cr, item->address, body_font, x, y, width, 0) + 1.5 * scale;
  y += draw_text (cr, name, name_font, x, y, width, 0);
  return y - top;
}

static gboolean
finish (cairo_surface_t  *surface,
        const char       *path,
        GError          **error)
{
  cairo_status_t status;

  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_FAILED,
               _("The PDF %s could not be written: %s"), path,
               cairo_status_to_string (status));
  return FALSE;
}

static gboolean
check_items (GPtrArray  *items,
             GError    **error)
{
  if (items->len > 0)
    return TRUE;
  g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
               _("No customer to print: nobody in the group agreed to post."));
  return FALSE;
}

gboolean
joren_labels_write_sheet (const char  *path,
                          GPtrArray   *items,
                          const char  *sender,
                          GError     **error)
{
  const double top = (A4_H - LABEL_ROWS * LABEL_H) / 2;
  const double left = (A4_W - LABEL_COLS * LABEL_W) / 2;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);

  if (!check_items (items, error))
    return FALSE;
  surface = cairo_pdf_surface_create (path, MM (A4_W), MM (A4_H));
  cr = cairo_create (surface);
  for (guint i = 0; i < items->len; i++)
    {
      guint cell = i % (LABEL_COLS * LABEL_ROWS);
      double x = left + (cell % LABEL_COLS) * LABEL_W + LABEL_PAD;
      double y = top + (cell / LABEL_COLS) * LABEL_H + LABEL_PAD;

      if (i > 0 && cell == 0)
        cairo_show_page (cr);
      if (sender != NULL)
        y += draw_text (cr, sender, "Sans 6", x, y, LABEL_W - 2 * LABEL_PAD, 0.4) + 1;
      draw_address (cr, g_ptr_array_index (items, i), x, y, LABEL_W - 2 * LABEL_PAD, 1.0);
    }
  cairo_destroy (cr);
  return finish (surface, path, error);
}

static void
draw_postcard (cairo_t              *cr,
               const JorenLabelItem *item,
               const char           *sender)
{
  const double width = HAGAKI_W - 2 * HAGAKI_MARGIN;
  double y = HAGAKI_MARGIN + 4;

  y += draw_address (cr, item, HAGAKI_MARGIN, y, width, 1.25) + 6;
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MM (HAGAKI_MARGIN), MM (y));
  cairo_line_to (cr, MM (HAGAKI_W - HAGAKI_MARGIN), MM (y));
  cairo_stroke (cr);
  if (item->text != NULL)
    draw_text (cr, item->text, "Sans 10.5", HAGAKI_MARGIN, y + 6, width, 0);
  if (sender != NULL)
    draw_text (cr, sender, "Sans 8", HAGAKI_MARGIN, HAGAKI_H - HAGAKI_MARGIN - 12, width, 0.3);
}

gboolean
joren_labels_write_postcards (const char  *path,
                              GPtrArray   *items,
                              const char  *sender,
                              GError     **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);

  if (!check_items (items, error))
    return FALSE;
  surface = cairo_pdf_surface_create (path, MM (HAGAKI_W), MM (HAGAKI_H));
  cr = cairo_create (surface);
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        cairo_show_page (cr);
      draw_postcard (cr, g_ptr_array_index (items, i), sender);
    }
  cairo_destroy (cr);
  return finish (surface, path, error);
}
