/* joren-receipt-sale.c: the documents Joren prints, built from domain
 * objects: the sale receipt, the gift voucher slip and the reprint. Labels
 * go through gettext here, at print time, so a receipt comes out in the
 * language the register runs in for that shop. Each part goes in its own
 * section so later issues (customer, points, vouchers) can insert blocks
 * next to it. */
#include "joren-receipt.h"

#include <glib/gi18n.h>

#include "joren-money.h"
#include "joren-sale.h"
#include "joren-shop.h"
#include "joren-tax.h"

static void
add_money_row (JorenReceipt *r, const char *label, gint64 amount,
               const JorenCurrency *currency, JorenReceiptStyle style)
{
  g_autofree char *value = joren_money_format (amount, currency);

  joren_receipt_add_row (r, label, value, style);
}

static void
add_shop_header (JorenReceipt *r, const JorenShop *shop)
{
  joren_receipt_set_section (r, "header");
  joren_receipt_add_header (r, shop->name != NULL ? shop->name : "", shop->address,
                            shop->phone, shop->invoice_number);
}

static char *
line_detail (const JorenSaleLine *line, const JorenCurrency *currency)
{
  g_autofree char *unit = joren_money_format (line->unit_price, currency);

  if (line->weight_g > 0)
    /* TRANSLATORS: weighed item: grams × price per kilogram */
    return g_strdup_printf (_("%u g × %s/kg"), line->weight_g, unit);
  if (line->qty != 1 && !line->fixed)
    return g_strdup_printf ("%" G_GINT64_FORMAT " × %s", line->qty, unit);
  return NULL;
}

static void
add_lines (JorenReceipt *r, JorenSale *sale, const JorenCurrency *currency)
{
  joren_receipt_set_section (r, "lines");
  joren_receipt_add_separator (r);
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);
      g_autofree char *detail = line_detail (line, currency);
      g_autofree char *amount = joren_money_format (line->base, currency);
      g_autofree char *discount = joren_money_format (-line->line_discount, currency);

      joren_receipt_add_item (r, line->name != NULL ? line->name : "", detail, amount);
      if (line->line_discount != 0)
        joren_receipt_add_item (r, _("  Discount"), NULL, discount);
    }
  joren_receipt_add_separator (r);
}

static void
add_totals (JorenReceipt *r, JorenSale *sale, const JorenCurrency *currency)
{
  gint64 discount = joren_sale_get_discount_total (sale);
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            joren_sale_get_item_count (sale));

  joren_receipt_set_section (r, "totals");
  joren_receipt_add_row (r, _("Items"), count, JOREN_RECEIPT_PLAIN);
  if (discount != 0)
    {
      add_money_row (r, _("Subtotal"), joren_sale_get_subtotal (sale), currency, 0);
      add_money_row (r, _("Discount"), -discount, currency, 0);
    }
  add_money_row (r, _("Total"), joren_sale_get_total (sale), currency,
                 JOREN_RECEIPT_LARGE | JOREN_RECEIPT_BOLD);
}

static void
add_taxes (JorenReceipt *r, JorenSale *sale, const JorenShop *shop,
           const JorenCurrency *currency)
{
  joren_receipt_set_section (r, "taxes");
  for (guint i = 0; i < joren_sale_get_n_tax_lines (sale); i++)
    {
      const JorenTaxLine *t = joren_sale_get_tax_line (sale, i);
      g_autofree char *rate = joren_tax_format_rate (t->rate_bp);
      /* TRANSLATORS: tax table row label, e.g. "Tax 10%" */
      g_autofree char *label = g_strdup_printf (_("Tax %s"), rate);
      g_autofree char *base = joren_money_format (shop->prices_include_tax ? t->gross : t->net,
                                                  currency);
      g_autofree char *tax = joren_money_format (t->tax, currency);

      joren_receipt_add_tax_row (r, label, base, tax);
    }
}

static const char *
tender_label (JorenTenderKind kind)
{
  switch (kind)
    {
    case JOREN_TENDER_CASH: return _("Cash");
    case JOREN_TENDER_CARD: return _("Card");
    case JOREN_TENDER_POINTS: return _("Points");
    case JOREN_TENDER_VOUCHER: return _("Voucher");
    case JOREN_TENDER_ACCOUNT: return _("On account");
    case JOREN_TENDER_OTHER:
    default: return _("Other");
    }
}

static gboolean
add_tenders (JorenReceipt *r, JorenSale *sale, const JorenCurrency *currency)
{
  gboolean cash = FALSE;

  joren_receipt_set_section (r, "tenders");
  joren_receipt_add_separator (r);
  for (guint i = 0; i < joren_sale_get_n_tenders (sale); i++)
    {
      const JorenTender *t = joren_sale_get_tender (sale, i);

      add_money_row (r, tender_label (t->kind), t->amount, currency, 0);
      cash = cash || t->kind == JOREN_TENDER_CASH;
    }
  add_money_row (r, _("Change"), joren_sale_get_change (sale), currency, JOREN_RECEIPT_BOLD);
  return cash;
}

static void
add_identity (JorenReceipt *r, JorenSale *sale)
{
  GDateTime *when = joren_sale_get_created_at (sale);
  const char *staff = joren_sale_get_staff_name (sale);
  const char *number = joren_sale_get_receipt_no (sale);

  joren_receipt_set_section (r, "staff");
  if (when != NULL)
    {
      g_autofree char *date = g_date_time_format (when, "%Y-%m-%d %H:%M");

      joren_receipt_add_row (r, _("Date"), date, 0);
    }
  if (staff != NULL)
    joren_receipt_add_row (r, _("Cashier"), staff, 0);
  if (number == NULL)
    return;
  joren_receipt_add_row (r, _("Receipt"), number, 0);
  /* scanned at the till to find the sale for a return */
  joren_receipt_set_section (r, "barcode");
  joren_receipt_add_barcode (r, JOREN_ESCPOS_CODE128, number);
}

JorenReceipt *
joren_receipt_new_for_sale (const JorenShop *shop,
                            JorenSale       *sale)
{
  JorenReceipt *r;
  const JorenCurrency *currency;

  g_return_val_if_fail (shop != NULL, NULL);
  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);

  currency = joren_sale_get_currency (sale);
  r = joren_receipt_new ();
  add_shop_header (r, shop);
  if (joren_sale_get_kind (sale) == JOREN_SALE_KIND_REFUND)
    joren_receipt_add_text (r, _("REFUND"), JOREN_ALIGN_CENTER,
                            JOREN_RECEIPT_LARGE | JOREN_RECEIPT_REVERSE);
  add_lines (r, sale, currency);
  add_totals (r, sale, currency);
  add_taxes (r, sale, shop, currency);
  joren_receipt_set_open_drawer (r, add_tenders (r, sale, currency));
  add_identity (r, sale);
  joren_receipt_set_section (r, "footer");
  joren_receipt_add_footer (r, shop->receipt_footer != NULL && *shop->receipt_footer != '\0'
                               ? shop->receipt_footer : _("Thank you!"));
  return r;
}

static void
add_points_row (JorenReceipt *r, const char *label, gint64 points)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, points);

  joren_receipt_add_row (r, label, value, 0);
}

void
joren_receipt_add_customer (JorenReceipt *r,
                            const char   *member_no,
                            const char   *name,
                            gint64        earned,
                            gint64        redeemed,
                            gint64        balance)
{
  g_return_if_fail (JOREN_IS_RECEIPT (r));
  g_return_if_fail (member_no != NULL);

  /* After the money, before the cashier and the receipt number. */
  if (!joren_receipt_seek_after (r, "tenders"))
    joren_receipt_seek_end (r);
  joren_receipt_set_section (r, "customer");
  joren_receipt_add_separator (r);
  joren_receipt_add_row (r, _("Member No."), member_no, 0);
  if (name != NULL)
    joren_receipt_add_row (r, _("Member"), name, 0);
  add_points_row (r, _("Points earned"), earned);
  if (redeemed != 0)
    add_points_row (r, _("Points used"), redeemed);
  add_points_row (r, _("Points balance"), balance);
  joren_receipt_seek_end (r);
}

void
joren_receipt_add_customer_row (JorenReceipt *r,
                                const char   *label,
                                const char   *value)
{
  g_return_if_fail (JOREN_IS_RECEIPT (r));
  g_return_if_fail (label != NULL && value != NULL);

  if (!joren_receipt_seek_after (r, "customer"))
    return;
  joren_receipt_set_section (r, "customer");
  joren_receipt_add_row (r, label, value, 0);
  joren_receipt_seek_end (r);
}

JorenReceipt *
joren_receipt_new_voucher (const JorenShop *shop,
                           gint64           amount,
                           const char      *number,
                           GDateTime       *expires)
{
  JorenReceipt *r;
  g_autofree char *value = NULL;

  g_return_val_if_fail (shop != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);

  value = joren_money_format (amount, shop->currency);
  r = joren_receipt_new ();
  add_shop_header (r, shop);
  joren_receipt_set_section (r, "voucher");
  joren_receipt_add_separator (r);
  joren_receipt_add_text (r, _("Gift voucher"), JOREN_ALIGN_CENTER,
                          JOREN_RECEIPT_LARGE | JOREN_RECEIPT_REVERSE);
  joren_receipt_add_feed (r, 1);
  joren_receipt_add_text (r, value, JOREN_ALIGN_CENTER, JOREN_RECEIPT_LARGE | JOREN_RECEIPT_BOLD);
  joren_receipt_add_feed (r, 1);
  joren_receipt_add_qr (r, number);
  joren_receipt_add_row (r, _("Voucher No."), number, 0);
  if (expires != NULL)
    {
      g_autofree char *date = g_date_time_format (expires, "%Y-%m-%d");

      joren_receipt_add_row (r, _("Valid until"), date, 0);
    }
  joren_receipt_set_section (r, "footer");
  joren_receipt_add_footer (r, _("Present this voucher when paying."));
  return r;
}

JorenReceipt *
joren_receipt_new_reprint (JorenReceipt *original)
{
  JorenReceipt *r;

  g_return_val_if_fail (JOREN_IS_RECEIPT (original), NULL);

  r = joren_receipt_copy (original);
  joren_receipt_set_open_drawer (r, FALSE);   /* no cash moves on a reprint */
  joren_receipt_seek_start (r);
  joren_receipt_set_section (r, "reprint");
  joren_receipt_add_text (r, _("REPRINT"), JOREN_ALIGN_CENTER,
                          JOREN_RECEIPT_LARGE | JOREN_RECEIPT_REVERSE);
  joren_receipt_seek_end (r);
  return r;
}
