/* joren-receipt-zreport.c: the X and Z reports as a printed document, in
 * the sections of a sale receipt ("header", then "title", "tenders",
 * "taxes", "totals", "drawer", "footer"), so a shop can file the Z slip
 * with the day's takings. Labels go through gettext at print time. */
#include "joren-receipt-zreport.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "joren-money.h"
#include "joren-shop.h"

static void
add_money (JorenReceipt *r, const char *label, gint64 amount,
           const JorenCurrency *currency, JorenReceiptStyle style)
{
  g_autofree char *value = joren_money_format (amount, currency);

  joren_receipt_add_row (r, label, value, style);
}

/* "3 × ¥1,200" style rows: a count and an amount. */
static void
add_counted (JorenReceipt *r, const char *label, gint64 count, gint64 amount,
             const JorenCurrency *currency)
{
  g_autofree char *money = joren_money_format (amount, currency);
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT " / %s", count, money);

  joren_receipt_add_row (r, label, value, JOREN_RECEIPT_PLAIN);
}

static void
add_title (JorenReceipt *r, const JorenZReport *z)
{
  g_autoptr(GDateTime) opened = g_date_time_to_local (z->opened_at);
  g_autoptr(GDateTime) taken = g_date_time_to_local (z->created_at);
  g_autofree char *from = g_date_time_format (opened, "%Y-%m-%d %H:%M");
  g_autofree char *to = g_date_time_format (taken, "%Y-%m-%d %H:%M");
  g_autofree char *number = NULL;

  joren_receipt_set_section (r, "title");
  if (z->z_no == 0)
    {
      joren_receipt_add_text (r, _("X report"), JOREN_ALIGN_CENTER, JOREN_RECEIPT_LARGE);
      joren_receipt_add_text (r, _("Reading only: the day is not closed."),
                              JOREN_ALIGN_CENTER, JOREN_RECEIPT_PLAIN);
    }
  else
    {
      /* TRANSLATORS: Z report number on the end-of-day slip */
      number = g_strdup_printf (_("Z report %s-%04" PRId64), z->register_prefix,
                                z->z_no);
      joren_receipt_add_text (r, number, JOREN_ALIGN_CENTER, JOREN_RECEIPT_LARGE);
    }
  joren_receipt_add_row (r, _("From"), from, JOREN_RECEIPT_PLAIN);
  joren_receipt_add_row (r, _("To"), to, JOREN_RECEIPT_PLAIN);
  if (z->staff_name != NULL && z->staff_name[0] != '\0')
    joren_receipt_add_row (r, _("Staff"), z->staff_name, JOREN_RECEIPT_PLAIN);
  joren_receipt_add_separator (r);
}

static void
add_sections (JorenReceipt *r, const JorenZReport *z, const JorenCurrency *currency)
{
  joren_receipt_set_section (r, "tenders");
  joren_receipt_add_text (r, _("Tenders"), JOREN_ALIGN_LEFT, JOREN_RECEIPT_BOLD);
  for (guint i = 0; i < z->tenders->len; i++)
    {
      const JorenReportRow *row = g_ptr_array_index (z->tenders, i);

      add_counted (r, row->label, row->count, row->gross, currency);
    }
  joren_receipt_add_separator (r);
  joren_receipt_set_section (r, "taxes");
  for (guint i = 0; i < z->tax_rates->len; i++)
    {
      const JorenReportRow *row = g_ptr_array_index (z->tax_rates, i);
      g_autofree char *net = joren_money_format (row->net, currency);
      g_autofree char *tax = joren_money_format (row->tax, currency);

      joren_receipt_add_tax_row (r, row->label, net, tax);
    }
  joren_receipt_add_separator (r);
}

static void
add_totals (JorenReceipt *r, const JorenZReport *z, const JorenCurrency *currency)
{
  joren_receipt_set_section (r, "totals");
  add_counted (r, _("Sales"), z->n_sales, z->sales_total, currency);
  add_counted (r, _("Refunds"), z->n_refunds, -z->refunds_total, currency);
  add_counted (r, _("Discounts"), z->n_discounts, -z->discounts, currency);
  add_counted (r, _("Voided lines"), z->n_voids, z->voids_total, currency);
  add_money (r, _("Net"), z->net, currency, JOREN_RECEIPT_PLAIN);
  add_money (r, _("Tax"), z->tax, currency, JOREN_RECEIPT_PLAIN);
  add_money (r, _("Gross"), z->gross, currency, JOREN_RECEIPT_BOLD);
  joren_receipt_add_separator (r);
}

static void
add_drawer (JorenReceipt *r, const JorenZReport *z, const JorenCurrency *currency)
{
  joren_receipt_set_section (r, "drawer");
  add_money (r, _("Opening float"), z->opening_float, currency, JOREN_RECEIPT_PLAIN);
  add_money (r, _("Cash expected"), z->cash_expected, currency, JOREN_RECEIPT_PLAIN);
  if (z->z_no == 0)
    return;
  add_money (r, _("Cash counted"), z->cash_counted, currency, JOREN_RECEIPT_PLAIN);
  add_money (r, _("Difference"), z->cash_difference, currency, JOREN_RECEIPT_BOLD);
}

JorenReceipt *
joren_receipt_new_for_zreport (const JorenShop    *shop,
                               const JorenZReport *report)
{
  JorenReceipt *r;

  g_return_val_if_fail (shop != NULL, NULL);
  g_return_val_if_fail (report != NULL && report->tenders != NULL, NULL);

  r = joren_receipt_new ();
  joren_receipt_set_section (r, "header");
  joren_receipt_add_header (r, shop->name != NULL ? shop->name : "", shop->address,
                            shop->phone, shop->invoice_number);
  add_title (r, report);
  add_sections (r, report, shop->currency);
  add_totals (r, report, shop->currency);
  add_drawer (r, report, shop->currency);
  return r;
}
