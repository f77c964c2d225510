/* joren-receipt.c: the receipt document and its layout. Blocks hold
 * already-formatted strings (money is formatted by the builder, in the
 * shop's currency), so layout is only columns: each block kind has one
 * encode function that turns it into encoder calls for the profile's
 * width. Blocks carry a section name so later features can find where
 * to insert theirs. */
#include "joren-receipt.h"

#include <glib/gi18n.h>

#include "joren-device-error.h"

typedef enum {
  BLOCK_LOGO,
  BLOCK_HEADER,
  BLOCK_TEXT,
  BLOCK_SEPARATOR,
  BLOCK_FEED,
  BLOCK_ITEM,
  BLOCK_ROW,
  BLOCK_TAX_ROW,
  BLOCK_BARCODE,
  BLOCK_QR,
  BLOCK_FOOTER,
} BlockKind;

typedef struct {
  BlockKind          kind;
  const char        *section;   /* interned */
  char              *s[4];
  JorenReceiptStyle  style;
  JorenAlign         align;
  guint              n;          /* feed lines, barcode kind */
  cairo_surface_t   *image;
} Block;

struct _JorenReceipt {
  GObject     parent_instance;
  GArray     *blocks;      /* Block */
  const char *section;
  guint       cursor;      /* insert position */
  gboolean    cut;
  gboolean    open_drawer;
};

G_DEFINE_FINAL_TYPE (JorenReceipt, joren_receipt, G_TYPE_OBJECT)

static void
clear_block (gpointer data)
{
  Block *b = data;

  for (guint i = 0; i < G_N_ELEMENTS (b->s); i++)
    g_free (b->s[i]);
  g_clear_pointer (&b->image, cairo_surface_destroy);
}

static void
joren_receipt_finalize (GObject *object)
{
  JorenReceipt *self = JOREN_RECEIPT (object);

  g_array_unref (self->blocks);
  G_OBJECT_CLASS (joren_receipt_parent_class)->finalize (object);
}

static void
joren_receipt_class_init (JorenReceiptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = joren_receipt_finalize;
}

static void
joren_receipt_init (JorenReceipt *self)
{
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, clear_block);
  self->section = g_intern_static_string ("body");
  self->cut = TRUE;
}

JorenReceipt *
joren_receipt_new (void)
{
  return g_object_new (JOREN_TYPE_RECEIPT, NULL);
}

JorenReceipt *
joren_receipt_copy (JorenReceipt *self)
{
  JorenReceipt *copy;

  g_return_val_if_fail (JOREN_IS_RECEIPT (self), NULL);

  copy = joren_receipt_new ();
  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block b = g_array_index (self->blocks, Block, i);

      for (guint j = 0; j < G_N_ELEMENTS (b.s); j++)
        b.s[j] = g_strdup (b.s[j]);
      if (b.image != NULL)
        cairo_surface_reference (b.image);
      g_array_append_val (copy->blocks, b);
    }
  copy->section = self->section;
  copy->cursor = copy->blocks->len;
  copy->cut = self->cut;
  copy->open_drawer = self->open_drawer;
  return copy;
}

guint
joren_receipt_get_n_blocks (JorenReceipt *self)
{
  g_return_val_if_fail (JOREN_IS_RECEIPT (self), 0);
  return self->blocks->len;
}

void
joren_receipt_set_section (JorenReceipt *self,
                           const char   *section)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  g_return_if_fail (section != NULL);
  self->section = g_intern_string (section);
}

static gboolean
find_section (JorenReceipt *self, const char *section, guint *first, guint *last)
{
  const char *interned = g_intern_string (section);
  gboolean found = FALSE;

  for (guint i = 0; i < self->blocks->len; i++)
    if (g_array_index (self->blocks, Block, i).section == interned)
      {
        if (!found)
          *first = i;
        *last = i;
        found = TRUE;
      }
  return found;
}

gboolean
joren_receipt_seek_after (JorenReceipt *self,
                          const char   *section)
{
  guint first = 0, last = 0;

  g_return_val_if_fail (JOREN_IS_RECEIPT (self), FALSE);
  g_return_val_if_fail (section != NULL, FALSE);

  if (!find_section (self, section, &first, &last))
    return FALSE;
  self->cursor = last + 1;
  return TRUE;
}

gboolean
joren_receipt_seek_before (JorenReceipt *self,
                           const char   *section)
{
  guint first = 0, last = 0;

  g_return_val_if_fail (JOREN_IS_RECEIPT (self), FALSE);
  g_return_val_if_fail (section != NULL, FALSE);

  if (!find_section (self, section, &first, &last))
    return FALSE;
  self->cursor = first;
  return TRUE;
}

void
joren_receipt_seek_start (JorenReceipt *self)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  self->cursor = 0;
}

void
joren_receipt_seek_end (JorenReceipt *self)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  self->cursor = self->blocks->len;
}

/* Inserts a block at the cursor, taking ownership of its strings. */
static void
insert (JorenReceipt *self, Block *b)
{
  b->section = self->section;
  g_array_insert_val (self->blocks, self->cursor, *b);
  self->cursor++;
}

static void
insert_strings (JorenReceipt *self, BlockKind kind, JorenReceiptStyle style,
                const char *a, const char *b, const char *c, const char *d)
{
  Block block = { .kind = kind, .style = style };

  block.s[0] = g_strdup (a);
  block.s[1] = g_strdup (b);
  block.s[2] = g_strdup (c);
  block.s[3] = g_strdup (d);
  insert (self, &block);
}

void
joren_receipt_add_logo (JorenReceipt    *self,
                        cairo_surface_t *image)
{
  Block b = { .kind = BLOCK_LOGO };

  g_return_if_fail (JOREN_IS_RECEIPT (self));
  g_return_if_fail (image != NULL);
  g_return_if_fail (cairo_surface_get_type (image) == CAIRO_SURFACE_TYPE_IMAGE);

  b.image = cairo_surface_reference (image);
  insert (self, &b);
}

void
joren_receipt_add_header (JorenReceipt *self,
                          const char   *name,
                          const char   *address,
                          const char   *phone,
                          const char   *invoice_number)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  g_return_if_fail (name != NULL);
  insert_strings (self, BLOCK_HEADER, 0, name, address, phone, invoice_number);
}

void
joren_receipt_add_text (JorenReceipt      *self,
                        const char        *text,
                        JorenAlign         align,
                        JorenReceiptStyle  style)
{
  Block b = { .kind = BLOCK_TEXT, .style = style, .align = align };

  g_return_if_fail (JOREN_IS_RECEIPT (self));
  g_return_if_fail (text != NULL);

  b.s[0] = g_strdup (text);
  insert (self, &b);
}

void
joren_receipt_add_separator (JorenReceipt *self)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  insert_strings (self, BLOCK_SEPARATOR, 0, NULL, NULL, NULL, NULL);
}

void
joren_receipt_add_feed (JorenReceipt *self,
                        guint         lines)
{
  Block b = { .kind = BLOCK_FEED, .n = lines };

  g_return_if_fail (JOREN_IS_RECEIPT (self));
  insert (self, &b);
}

void
joren_receipt_add_item (JorenReceipt *self,
                        const char   *name,
                        const char   *detail,
                        const char   *amount)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  g_return_if_fail (name != NULL && amount != NULL);
  insert_strings (self, BLOCK_ITEM, 0, name, detail, amount, NULL);
}

void
joren_receipt_add_row (JorenReceipt      *self,
                       const char        *label,
                       const char        *value,
                       JorenReceiptStyle  style)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  g_return_if_fail (label != NULL && value != NULL);
  insert_strings (self, BLOCK_ROW, style, label, value, NULL, NULL);
}

void
joren_receipt_add_tax_row (JorenReceipt *self,
                           const char   *rate,
                           const char   *base,
                           const char   *tax)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  g_return_if_fail (rate != NULL && base != NULL && tax != NULL);
  insert_strings (self, BLOCK_TAX_ROW, 0, rate, base, tax, NULL);
}

void
joren_receipt_add_barcode (JorenReceipt     *self,
                           JorenEscposSymbology  kind,
                           const char       *data)
{
  Block b = { .kind = BLOCK_BARCODE, .n = kind };

  g_return_if_fail (JOREN_IS_RECEIPT (self));
  g_return_if_fail (data != NULL);

  b.s[0] = g_strdup (data);
  insert (self, &b);
}

void
joren_receipt_add_qr (JorenReceipt *self,
                      const char   *data)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  g_return_if_fail (data != NULL);
  insert_strings (self, BLOCK_QR, 0, data, NULL, NULL, NULL);
}

void
joren_receipt_add_footer (JorenReceipt *self,
                          const char   *text)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  g_return_if_fail (text != NULL);
  insert_strings (self, BLOCK_FOOTER, 0, text, NULL, NULL, NULL);
}

void
joren_receipt_set_cut (JorenReceipt *self,
                       gboolean      cut)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  self->cut = !!cut;
}

void
joren_receipt_set_open_drawer (JorenReceipt *self,
                               gboolean      open)
{
  g_return_if_fail (JOREN_IS_RECEIPT (self));
  self->open_drawer = !!open;
}

/* ---- layout ---- */

typedef struct {
  JorenEscpos *e;
  GError      *error;
} Layout;

static void
apply_style (JorenEscpos *e, JorenReceiptStyle style)
{
  joren_escpos_set_bold (e, (style & JOREN_RECEIPT_BOLD) != 0);
  joren_escpos_set_underline (e, (style & JOREN_RECEIPT_UNDERLINE) ? 1 : 0);
  joren_escpos_set_reverse (e, (style & JOREN_RECEIPT_REVERSE) != 0);
  joren_escpos_set_size (e, (style & JOREN_RECEIPT_LARGE) ? 2 : 1,
                         (style & (JOREN_RECEIPT_LARGE | JOREN_RECEIPT_TALL)) ? 2 : 1);
}

/* The longest prefix of text that fits cols, preferring to break at a
 * space; never empty, so wrapping always progresses. */
static const char *
fit_prefix (JorenEscpos *e, const char *text, guint cols)
{
  const char *p = text, *space = NULL;
  guint used = 0;

  while (*p != '\0')
    {
      char one[8] = { 0 };
      guint w;

      g_unichar_to_utf8 (g_utf8_get_char (p), one);
      w = joren_escpos_text_columns (e, one);
      if (used + w > cols && p != text)
        return space != NULL && space > text ? space : p;
      if (*p == ' ')
        space = p;
      used += w;
      p = g_utf8_next_char (p);
    }
  return p;
}

/* text cut into lines of at most cols columns. */
static GPtrArray *
wrap_pieces (JorenEscpos *e, const char *text, guint cols)
{
  GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) paras = g_strsplit (text, "\n", -1);

  for (guint i = 0; paras[i] != NULL; i++)
    {
      const char *p = paras[i];

      do
        {
          const char *end = fit_prefix (e, p, cols);

          g_ptr_array_add (pieces, g_strndup (p, end - p));
          p = end;
          while (*p == ' ')
            p++;
        }
      while (*p != '\0');
    }
  return pieces;
}

static void
put_line (JorenEscpos *e, const char *text)
{
  joren_escpos_text (e, text);
  joren_escpos_newline (e);
}

/* Prints text wrapped to the current columns. */
static void
put_wrapped (JorenEscpos *e, const char *text)
{
  g_autoptr(GPtrArray) pieces = wrap_pieces (e, text, joren_escpos_get_columns (e));

  for (guint i = 0; i < pieces->len; i++)
    put_line (e, g_ptr_array_index (pieces, i));
}

/* label ..... value; a long label wraps and the value goes on its last
 * line, or on a line of its own when even that is too full. */
static void
put_columns (JorenEscpos *e, const char *left, const char *right)
{
  guint cols = joren_escpos_get_columns (e);
  guint rw = joren_escpos_text_columns (e, right);
  g_autoptr(GPtrArray) pieces = wrap_pieces (e, left, cols);
  const char *last;
  guint lw;
  g_autofree char *pad = NULL;

  for (guint i = 0; i + 1 < pieces->len; i++)
    put_line (e, g_ptr_array_index (pieces, i));
  last = g_ptr_array_index (pieces, pieces->len - 1);
  lw = joren_escpos_text_columns (e, last);
  if (lw > 0 && lw + rw + 1 > cols)
    {
      put_line (e, last);
      last = "";
      lw = 0;
    }
  joren_escpos_text (e, last);
  pad = g_strnfill (cols > lw + rw ? cols - lw - rw : 0, ' ');
  joren_escpos_text (e, pad);
  put_line (e, right);
}

static void
encode_logo (Layout *l, const Block *b)
{
  const JorenPrinterProfile *profile = joren_escpos_get_profile (l->e);
  g_autoptr(JorenBitmap) bitmap = joren_bitmap_new_from_surface (b->image, profile->dots, TRUE);

  joren_escpos_set_align (l->e, JOREN_ALIGN_CENTER);
  joren_escpos_image (l->e, bitmap);
}

static void
encode_header (Layout *l, const Block *b)
{
  joren_escpos_set_align (l->e, JOREN_ALIGN_CENTER);
  apply_style (l->e, JOREN_RECEIPT_LARGE | JOREN_RECEIPT_BOLD);
  put_wrapped (l->e, b->s[0]);
  apply_style (l->e, JOREN_RECEIPT_PLAIN);
  for (guint i = 1; i < 3; i++)
    if (b->s[i] != NULL && *b->s[i] != '\0')
      put_wrapped (l->e, b->s[i]);
  if (b->s[3] != NULL && *b->s[3] != '\0')
    {
      /* Japan's qualified invoice: the registration number, T + 13 digits */
      g_autofree char *line = g_strdup_printf (_("Registration No. %s"), b->s[3]);

      put_wrapped (l->e, line);
    }
}

static void
encode_text (Layout *l, const Block *b)
{
  joren_escpos_set_align (l->e, b->align);
  apply_style (l->e, b->style);
  put_wrapped (l->e, b->s[0]);
}

static void
encode_separator (Layout *l, const Block *b)
{
  g_autofree char *line = g_strnfill (joren_escpos_get_columns (l->e), '-');

  joren_escpos_text (l->e, line);
  joren_escpos_newline (l->e);
}

static void
encode_feed (Layout *l, const Block *b)
{
  joren_escpos_feed (l->e, b->n);
}

static void
encode_item (Layout *l, const Block *b)
{
  put_columns (l->e, b->s[0], b->s[2]);
  if (b->s[1] != NULL)
    {
      g_autofree char *detail = g_strconcat ("  ", b->s[1], NULL);

      put_wrapped (l->e, detail);
    }
}

static void
encode_row (Layout *l, const Block *b)
{
  apply_style (l->e, b->style);
  put_columns (l->e, b->s[0], b->s[1]);
}

/* rate | base | tax, the last two right-aligned in fixed columns. */
static void
encode_tax_row (Layout *l, const Block *b)
{
  guint cols = joren_escpos_get_columns (l->e);
  guint third = cols / 3;
  guint tw = joren_escpos_text_columns (l->e, b->s[2]);
  g_autofree char *pad = g_strnfill (third > tw ? third - tw : 1, ' ');
  g_autofree char *right = g_strconcat (b->s[1], pad, b->s[2], NULL);

  put_columns (l->e, b->s[0], right);
}

static void
encode_barcode (Layout *l, const Block *b)
{
  joren_escpos_set_align (l->e, JOREN_ALIGN_CENTER);
  joren_escpos_feed (l->e, 1);
  if (!joren_escpos_barcode (l->e, b->n, b->s[0], TRUE, &l->error))
    return;
  joren_escpos_feed (l->e, 1);
}

static void
encode_qr (Layout *l, const Block *b)
{
  joren_escpos_set_align (l->e, JOREN_ALIGN_CENTER);
  joren_escpos_qr (l->e, b->s[0], JOREN_QR_AUTO, &l->error);
}

static void
encode_footer (Layout *l, const Block *b)
{
  joren_escpos_set_align (l->e, JOREN_ALIGN_CENTER);
  put_wrapped (l->e, b->s[0]);
}

static void (*const encoders[]) (Layout *, const Block *) = {
  [BLOCK_LOGO] = encode_logo,
  [BLOCK_HEADER] = encode_header,
  [BLOCK_TEXT] = encode_text,
  [BLOCK_SEPARATOR] = encode_separator,
  [BLOCK_FEED] = encode_feed,
  [BLOCK_ITEM] = encode_item,
  [BLOCK_ROW] = encode_row,
  [BLOCK_TAX_ROW] = encode_tax_row,
  [BLOCK_BARCODE] = encode_barcode,
  [BLOCK_QR] = encode_qr,
  [BLOCK_FOOTER] = encode_footer,
};

GBytes *
joren_receipt_encode (JorenReceipt               *self,
                      const JorenPrinterProfile  *profile,
                      GError                    **error)
{
  Layout l = { joren_escpos_new (profile), NULL };

  g_return_val_if_fail (JOREN_IS_RECEIPT (self), NULL);
  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  joren_escpos_init (l.e);
  if (self->open_drawer)
    joren_escpos_pulse (l.e, 0, 50, 500);   /* first: the drawer opens while printing */
  for (guint i = 0; i < self->blocks->len && l.error == NULL; i++)
    {
      const Block *b = &g_array_index (self->blocks, Block, i);

      joren_escpos_reset_style (l.e);
      encoders[b->kind] (&l, b);
    }
  if (l.error != NULL)
    {
      g_propagate_error (error, l.error);
      joren_escpos_free (l.e);
      return NULL;
    }
  joren_escpos_reset_style (l.e);
  joren_escpos_feed (l.e, 2);
  if (self->cut)
    joren_escpos_cut (l.e, TRUE);
  return joren_escpos_free_to_bytes (l.e);
}
