/* joren-invoice.c: printing for value accounts. The invoice PDF is drawn
 * with Cairo's PDF surface and Pango, so the shop's and the customer's
 * names render in any script the installed fonts cover (Noto CJK for
 * Japanese and Chinese). Every table row has one fixed height and long
 * names are ellipsized, which lets the same walk over the rows either
 * count the pages or draw them: the page count in the footer and
 * joren_invoice_count_pages() can never disagree. The voucher slip and
 * the balance rows are receipt blocks (joren-receipt.h). */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "joren-device-error.h"
#include "joren-invoice.h"
#include "joren-tax.h"

#define PAGE_W     595.28   /* A4 in points */
#define PAGE_H     841.89
#define MARGIN     50.0
#define ROW_H      16.0
#define HEAD_H     230.0    /* title, shop, customer and the column heads on page 1 */
#define CONT_H     40.0     /* the column heads on later pages */
#define SUMMARY_H  190.0    /* tax per rate, totals, amount due */
#define FOOT_Y     (PAGE_H - 30.0)
#define FONT       "Noto Sans CJK JP, Sans"

/* ---- drawing helpers ------------------------------------------------------ */

typedef struct {
  const JorenInvoice *invoice;
  cairo_t            *cr;       /* NULL: only count pages */
  guint               page;
  guint               n_pages;
  double              y;
} Walk;

static void
draw_text (cairo_t    *cr,
           double      x,
           double      y,
           double      width,
           PangoAlignment align,
           const char *font,
           const char *text)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) desc = NULL;

  if (cr == NULL || text == NULL)
    return;
  layout = pango_cairo_create_layout (cr);
  desc = pango_font_description_from_string (font);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_rule (cairo_t *cr,
           double   y)
{
  if (cr == NULL)
    return;
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, MARGIN, y);
  cairo_line_to (cr, PAGE_W - MARGIN, y);
  cairo_stroke (cr);
}

static char *
money (const JorenInvoice *invoice,
       gint64              amount)
{
  return joren_money_format (amount, invoice->currency);
}

static char *
format_date (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d");
}

/* ---- the page parts ---------------------------------------------------------- */

/* Column x positions and widths: date, receipt, item, qty, rate, amount. */
static const double col_x[] = { MARGIN, MARGIN + 62, MARGIN + 140, MARGIN + 345, MARGIN + 385,
                                MARGIN + 425 };
static const double col_w[] = { 60, 76, 200, 36, 36, 70 };

static void
draw_column_heads (Walk *w)
{
  static const char * const heads[] = {
    N_("Date"), N_("Receipt"), N_("Item"), N_("Qty"), N_("Tax"), N_("Amount"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    draw_text (w->cr, col_x[i], w->y, col_w[i], i >= 3 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT,
               FONT " Bold 8", _(heads[i]));
  draw_rule (w->cr, w->y + ROW_H - 2);
  w->y += ROW_H + 2;
}

static void
draw_parties (Walk *w)
{
  const JorenInvoice *inv = w->invoice;
  g_autofree char *issued = format_date (inv->issued_at);
  g_autofree char *number = g_strdup_printf (_("Invoice No. %s"), inv->number ? inv->number : "");
  g_autofree char *date = g_strdup_printf (_("Date: %s"), issued);
  g_autofree char *reg = inv->registration_no
                         ? g_strdup_printf ("%s: %s", inv->registration_label, inv->registration_no)
                         : NULL;
  g_autofree char *shown = inv->account_number ? joren_value_number_format (inv->account_number)
                                               : g_strdup ("");
  g_autofree char *account = g_strdup_printf (_("Account %s"), shown);
  double right = PAGE_W - MARGIN - 220;

  draw_text (w->cr, MARGIN, MARGIN, 300, PANGO_ALIGN_LEFT, FONT " Bold 22", _("Invoice"));
  draw_text (w->cr, MARGIN, MARGIN + 36, 260, PANGO_ALIGN_LEFT, FONT " 9", number);
  draw_text (w->cr, MARGIN, MARGIN + 50, 260, PANGO_ALIGN_LEFT, FONT " 9", date);
  draw_text (w->cr, MARGIN, MARGIN + 84, 300, PANGO_ALIGN_LEFT, FONT " Bold 13",
             inv->customer_name);
  draw_text (w->cr, MARGIN, MARGIN + 104, 300, PANGO_ALIGN_LEFT, FONT " 9", account);
  draw_rule (w->cr, MARGIN + 120);
  draw_text (w->cr, right, MARGIN, 220, PANGO_ALIGN_RIGHT, FONT " Bold 12", inv->shop_name);
  draw_text (w->cr, right, MARGIN + 20, 220, PANGO_ALIGN_RIGHT, FONT " 9", inv->shop_address);
  draw_text (w->cr, right, MARGIN + 34, 220, PANGO_ALIGN_RIGHT, FONT " 9", inv->shop_phone);
  draw_text (w->cr, right, MARGIN + 48, 220, PANGO_ALIGN_RIGHT, FONT " 9", reg);
}

static void
draw_period_and_due (Walk *w)
{
  const JorenInvoice *inv = w->invoice;
  g_autofree char *due = money (inv, inv->amount_due);
  g_autofree char *due_text = g_strdup_printf (_("Amount due: %s"), due);

  if (inv->period_from != NULL && inv->period_to != NULL)
    {
      g_autoptr(GDateTime) last = g_date_time_add_days (inv->period_to, -1);
      g_autofree char *from = format_date (inv->period_from);
      g_autofree char *to = format_date (last);
      g_autofree char *period = g_strdup_printf (_("Period: %s – %s"), from, to);

      draw_text (w->cr, MARGIN, MARGIN + 64, 300, PANGO_ALIGN_LEFT, FONT " 9", period);
    }
  draw_text (w->cr, MARGIN, MARGIN + 130, 300, PANGO_ALIGN_LEFT, FONT " Bold 15", due_text);
}

static void
draw_footer (Walk *w)
{
  g_autofree char *text = g_strdup_printf (_("Page %u of %u"), w->page, w->n_pages);

  draw_text (w->cr, MARGIN, FOOT_Y, PAGE_W - 2 * MARGIN, PANGO_ALIGN_CENTER, FONT " 8", text);
}

/* Ends the page (if drawing) and starts the next with the column heads. */
static void
next_page (Walk *w)
{
  if (w->cr != NULL)
    {
      draw_footer (w);
      cairo_show_page (w->cr);
    }
  w->page++;
  w->y = MARGIN;
  draw_column_heads (w);
}

static void
draw_line (Walk                   *w,
           const JorenInvoiceLine *line)
{
  const JorenInvoice *inv = w->invoice;
  g_autofree char *date = format_date (line->date);
  g_autofree char *qty = g_strdup_printf ("%" G_GINT64_FORMAT, line->qty);
  g_autofree char *rate = joren_tax_format_rate (line->rate_bp);
  g_autofree char *amount = money (inv, line->amount);
  const char *cells[] = { date, line->receipt_no, line->name, qty, rate, amount };

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    draw_text (w->cr, col_x[i], w->y, col_w[i], i >= 3 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT,
               FONT " 8", cells[i]);
  w->y += ROW_H;
}

static void
draw_summary_row (Walk       *w,
                  const char *label,
                  gint64      amount,
                  const char *font)
{
  g_autofree char *value = money (w->invoice, amount);

  draw_text (w->cr, PAGE_W - MARGIN - 300, w->y, 220, PANGO_ALIGN_RIGHT, font, label);
  draw_text (w->cr, PAGE_W - MARGIN - 80, w->y, 80, PANGO_ALIGN_RIGHT, font, value);
  w->y += ROW_H + 1;
}

static void
draw_taxes (Walk *w)
{
  const JorenInvoice *inv = w->invoice;

  for (guint i = 0; i < inv->tax_lines->len; i++)
    {
      const JorenTaxLine *t = &g_array_index (inv->tax_lines, JorenTaxLine, i);
      g_autofree char *rate = joren_tax_format_rate (t->rate_bp);
      g_autofree char *base = money (inv, inv->prices_include_tax ? t->gross : t->net);
      /* TRANSLATORS: one tax rate's line: rate, the amount it applies to, the tax */
      g_autofree char *label = g_strdup_printf (_("%s on %s, tax"), rate, base);

      draw_summary_row (w, label, t->tax, FONT " 9");
    }
}

static void
draw_summary (Walk *w)
{
  const JorenInvoice *inv = w->invoice;

  if (w->y + SUMMARY_H > FOOT_Y - 10)
    next_page (w);
  draw_rule (w->cr, w->y + 2);
  w->y += 8;
  draw_summary_row (w, _("Total"), inv->total, FONT " Bold 10");
  draw_taxes (w);
  if (inv->paid_at_till != 0)
    draw_summary_row (w, _("Paid at the till"), inv->paid_at_till, FONT " 9");
  draw_summary_row (w, _("Charged to the account"), inv->charged, FONT " 9");
  if (inv->payments != 0)
    draw_summary_row (w, _("Payments received"), inv->payments, FONT " 9");
  w->y += 4;
  draw_summary_row (w, _("Amount due"), inv->amount_due, FONT " Bold 12");
}

/* Walks the whole invoice: draws it when w->cr is set, else only counts. */
static void
walk_invoice (Walk *w)
{
  w->page = 1;
  w->y = MARGIN;
  draw_parties (w);
  draw_period_and_due (w);
  w->y = MARGIN + HEAD_H - ROW_H - 2;
  draw_column_heads (w);
  for (guint i = 0; i < w->invoice->lines->len; i++)
    {
      if (w->y + ROW_H > FOOT_Y - 10)
        next_page (w);
      draw_line (w, g_ptr_array_index (w->invoice->lines, i));
    }
  draw_summary (w);
  if (w->cr != NULL)
    {
      draw_footer (w);
      cairo_show_page (w->cr);
    }
}

guint
joren_invoice_count_pages (const JorenInvoice *invoice)
{
  Walk w = { invoice, NULL, 0, 0, 0 };

  g_return_val_if_fail (invoice != NULL, 0);

  walk_invoice (&w);
  return w.page;
}

static cairo_status_t
append_to_bytes (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
joren_invoice_render_pdf (const JorenInvoice  *invoice,
                          GError             **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  Walk w = { invoice, NULL, 0, 0, 0 };

  g_return_val_if_fail (invoice != NULL, NULL);
  g_return_val_if_fail (invoice->lines != NULL && invoice->tax_lines != NULL, NULL);

  w.n_pages = joren_invoice_count_pages (invoice);
  surface = cairo_pdf_surface_create_for_stream (append_to_bytes, bytes, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, invoice->number ? invoice->number : "");
  w.cr = cairo_create (surface);
  cairo_set_source_rgb (w.cr, 0, 0, 0);
  walk_invoice (&w);
  cairo_destroy (w.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_FAILED,
                   _("Could not create the invoice: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

char *
joren_invoice_file_name (const JorenInvoice *invoice)
{
  char *file;

  g_return_val_if_fail (invoice != NULL && invoice->number != NULL, NULL);

  file = g_strdup_printf ("%s.pdf", invoice->number);
  return g_strdelimit (file, "/\\:", '-');
}

gboolean
joren_invoice_write_pdf (const JorenInvoice  *invoice,
                         const char          *path,
                         GError             **error)
{
  g_autoptr(GBytes) pdf = NULL;

  g_return_val_if_fail (invoice != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  pdf = joren_invoice_render_pdf (invoice, error);
  if (pdf == NULL)
    return FALSE;
  return g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf),
                              error);
}

/* ---- slips and balance rows ------------------------------------------------------- */

JorenReceipt *
joren_receipt_new_value_slip (const JorenShop         *shop,
                              const JorenValueAccount *account)
{
  JorenReceipt *r;
  g_autofree char *value = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (shop != NULL, NULL);
  g_return_val_if_fail (account != NULL && account->number != NULL, NULL);

  value = joren_money_format (account->balance, shop->currency);
  shown = joren_value_number_format (account->number);
  r = joren_receipt_new ();
  joren_receipt_set_section (r, "header");
  joren_receipt_add_header (r, shop->name != NULL ? shop->name : "", shop->address, shop->phone,
                            shop->invoice_number);
  joren_receipt_set_section (r, "voucher");
  joren_receipt_add_separator (r);
  joren_receipt_add_text (r, joren_value_kind_get_label (account->kind), JOREN_ALIGN_CENTER,
                          JOREN_RECEIPT_LARGE | JOREN_RECEIPT_REVERSE);
  joren_receipt_add_feed (r, 1);
  joren_receipt_add_text (r, value, JOREN_ALIGN_CENTER, JOREN_RECEIPT_LARGE | JOREN_RECEIPT_BOLD);
  joren_receipt_add_feed (r, 1);
  joren_receipt_add_qr (r, account->number);
  joren_receipt_add_row (r, _("Number"), shown, 0);
  if (account->expires_at != NULL)
    {
      g_autofree char *date = format_date (account->expires_at);

      joren_receipt_add_row (r, _("Valid until"), date, 0);
    }
  joren_receipt_set_section (r, "footer");
  joren_receipt_add_footer (r, _("Present this voucher when paying."));
  return r;
}

void
joren_receipt_add_value_balances (JorenReceipt    *receipt,
                                  const JorenShop *shop,
                                  GPtrArray       *balances)
{
  g_return_if_fail (JOREN_IS_RECEIPT (receipt));
  g_return_if_fail (shop != NULL);

  if (balances == NULL || balances->len == 0)
    return;
  if (!joren_receipt_seek_after (receipt, "tenders"))
    joren_receipt_seek_end (receipt);
  joren_receipt_set_section (receipt, "value");
  joren_receipt_add_separator (receipt);
  for (guint i = 0; i < balances->len; i++)
    {
      const JorenValueBalance *b = g_ptr_array_index (balances, i);
      g_autofree char *masked = joren_value_number_mask (b->number);
      gboolean account = b->kind == JOREN_VALUE_CUSTOMER_ACCOUNT;
      g_autofree char *amount = joren_money_format (account ? MAX (0, -b->balance) : b->balance,
                                                    shop->currency);
      g_autofree char *label = g_strdup_printf ("%s %s", joren_value_kind_get_label (b->kind),
                                                masked);

      joren_receipt_add_row (receipt, label, "", 0);
      joren_receipt_add_row (receipt, account ? _("Owed on the account") : _("Balance left"),
                             amount, JOREN_RECEIPT_BOLD);
    }
  joren_receipt_seek_end (receipt);
}
