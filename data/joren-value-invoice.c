/* joren-value-invoice.c: gathers what an invoice for a customer account
 * shows (devices/joren-invoice.c draws it): the shop's tax identity, the
 * goods of every sale charged to the account, tax per rate and what is
 * owed. Tax is summed per rate over the whole invoice and rounded once
 * per rate, as a Japanese qualified invoice (適格請求書) requires. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-sale-db.h"
#include "joren-value-private.h"

void
joren_invoice_free (JorenInvoice *invoice)
{
  if (invoice == NULL)
    return;
  g_free (invoice->number);
  g_clear_pointer (&invoice->issued_at, g_date_time_unref);
  g_clear_pointer (&invoice->period_from, g_date_time_unref);
  g_clear_pointer (&invoice->period_to, g_date_time_unref);
  g_free (invoice->shop_name);
  g_free (invoice->shop_address);
  g_free (invoice->shop_phone);
  g_free (invoice->registration_label);
  g_free (invoice->registration_no);
  g_free (invoice->customer_name);
  g_free (invoice->account_number);
  g_free (invoice->preset);
  g_clear_pointer (&invoice->lines, g_ptr_array_unref);
  g_clear_pointer (&invoice->tax_lines, g_array_unref);
  g_free (invoice);
}

static void
invoice_line_free (JorenInvoiceLine *line)
{
  g_clear_pointer (&line->date, g_date_time_unref);
  g_free (line->receipt_no);
  g_free (line->name);
  g_free (line);
}

/* Japan: the qualified-invoice number; Germany: the USt-IdNr. setting. */
static void
fill_registration (JorenDb         *db,
                   const JorenShop *shop,
                   JorenInvoice    *invoice)
{
  g_autofree char *vat_id = joren_db_get_setting (db, JOREN_SETTING_VAT_ID);

  if (g_strcmp0 (shop->preset, "de") == 0 && vat_id != NULL && *vat_id != '\0')
    {
      invoice->registration_label = g_strdup (_("VAT ID"));
      invoice->registration_no = g_steal_pointer (&vat_id);
    }
  else if (shop->invoice_number != NULL && *shop->invoice_number != '\0')
    {
      invoice->registration_label = g_strdup (_("Registration No."));
      invoice->registration_no = g_strdup (shop->invoice_number);
    }
}

static JorenInvoice *
new_invoice (JorenDb                  *db,
             const JorenValueAccount  *account,
             GError                  **error)
{
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, error);
  JorenInvoice *invoice;

  if (shop == NULL)
    return NULL;
  invoice = g_new0 (JorenInvoice, 1);
  invoice->issued_at = g_date_time_new_now_utc ();
  invoice->shop_name = g_strdup (shop->name);
  invoice->shop_address = g_strdup (shop->address);
  invoice->shop_phone = g_strdup (shop->phone);
  fill_registration (db, shop, invoice);
  invoice->customer_name = g_strdup (account->customer_name);
  invoice->account_number = g_strdup (account->number);
  invoice->preset = g_strdup (shop->preset);
  invoice->currency = shop->currency;
  invoice->prices_include_tax = shop->prices_include_tax;
  invoice->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) invoice_line_free);
  invoice->tax_lines = g_array_new (FALSE, TRUE, sizeof (JorenTaxLine));
  invoice->amount_due = MAX (0, -account->balance);
  return invoice;
}

/* The goods of a stored sale, and what it charged vs what it paid. */
static void
add_sale (JorenInvoice *invoice,
          JorenSale    *sale,
          const char   *account_number)
{
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);
      JorenInvoiceLine *out;

      if (line->kind == JOREN_LINE_VALUE_ISSUE || line->kind == JOREN_LINE_ACCOUNT_PAYMENT)
        continue;
      out = g_new0 (JorenInvoiceLine, 1);
      out->date = joren_sale_get_created_at (sale)
                  ? g_date_time_ref (joren_sale_get_created_at (sale)) : NULL;
      out->receipt_no = g_strdup (joren_sale_get_receipt_no (sale));
      out->name = g_strdup (line->name);
      out->qty = line->qty;
      out->amount = line->amount;
      out->rate_bp = line->rate_bp;
      g_ptr_array_add (invoice->lines, out);
      invoice->total += line->amount;
    }
  for (guint i = 0; i < joren_sale_get_n_tenders (sale); i++)
    {
      const JorenTender *tender = joren_sale_get_tender (sale, i);

      if (tender->kind == JOREN_TENDER_ACCOUNT && g_strcmp0 (tender->reference, account_number) == 0)
        invoice->charged += tender->amount;
    }
  invoice->paid_at_till = invoice->total - invoice->charged;
}

/* Tax per rate over every line of the invoice, rounded once per rate. */
static void
compute_taxes (JorenInvoice  *invoice,
               JorenRounding  rounding)
{
  for (guint i = 0; i < invoice->lines->len; i++)
    {
      const JorenInvoiceLine *line = g_ptr_array_index (invoice->lines, i);
      guint j = 0;

      while (j < invoice->tax_lines->len
             && g_array_index (invoice->tax_lines, JorenTaxLine, j).rate_bp > line->rate_bp)
        j++;
      if (j == invoice->tax_lines->len
          || g_array_index (invoice->tax_lines, JorenTaxLine, j).rate_bp != line->rate_bp)
        {
          JorenTaxLine fresh = { line->rate_bp, 0, 0, 0 };

          g_array_insert_val (invoice->tax_lines, j, fresh);
        }
      g_array_index (invoice->tax_lines, JorenTaxLine, j).gross += line->amount;
    }
  for (guint j = 0; j < invoice->tax_lines->len; j++)
    {
      JorenTaxLine *tax = &g_array_index (invoice->tax_lines, JorenTaxLine, j);

      joren_tax_compute (tax->gross, tax->rate_bp, invoice->prices_include_tax, rounding, tax);
    }
}

static JorenRounding
shop_rounding (JorenDb *db)
{
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, NULL);

  return shop != NULL ? shop->tax_rounding : JOREN_ROUND_DOWN;
}

static const char *
charged_account (JorenSale *sale)
{
  for (guint i = 0; i < joren_sale_get_n_tenders (sale); i++)
    if (joren_sale_get_tender (sale, i)->kind == JOREN_TENDER_ACCOUNT)
      return joren_sale_get_tender (sale, i)->reference;
  return NULL;
}

JorenInvoice *
joren_value_invoice_for_sale (JorenDb     *db,
                              const char  *receipt_no,
                              GError     **error)
{
  g_autoptr(JorenSale) sale = NULL;
  g_autoptr(JorenValueAccount) account = NULL;
  JorenInvoice *invoice;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (receipt_no != NULL, NULL);

  sale = joren_db_load_sale (db, receipt_no, error);
  if (sale == NULL)
    return NULL;
  if (charged_account (sale) == NULL)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("This receipt was not charged to an account."));
      return NULL;
    }
  account = joren_value_load_account (db, charged_account (sale), 0, error);
  if (account == NULL || (invoice = new_invoice (db, account, error)) == NULL)
    return NULL;
  invoice->number = g_strdup (receipt_no);
  add_sale (invoice, sale, account->number);
  compute_taxes (invoice, shop_rounding (db));
  return invoice;
}

/* The ids of the sales charged to the account in [from, to), and the
 * payments received then. */
static GArray *
charged_sales (JorenDb     *db,
               gint64       account_id,
               GDateTime   *from,
               GDateTime   *to,
               GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  stmt = joren_db_prepare (db, "SELECT DISTINCT sale_id FROM value_ledger WHERE account_id = ?1"
                               " AND kind = 'charge' AND created_at >= ?2 AND created_at < ?3"
                               " ORDER BY created_at, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, joren_db_time_to_usec (from));
  sqlite3_bind_int64 (stmt, 3, joren_db_time_to_usec (to));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the account."), error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static gboolean
sum_payments (JorenDb       *db,
              JorenInvoice  *invoice,
              gint64         account_id,
              GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "SELECT coalesce (sum (amount), 0) FROM value_ledger"
                               " WHERE account_id = ?1 AND kind = 'payment'"
                               " AND created_at >= ?2 AND created_at < ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, joren_db_time_to_usec (invoice->period_from));
  sqlite3_bind_int64 (stmt, 3, joren_db_time_to_usec (invoice->period_to));
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the account."), error))
    return FALSE;
  invoice->payments = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

JorenInvoice *
joren_value_invoice_for_period (JorenDb    *db,
                                gint64      account_id,
                                GDateTime  *from,
                                GDateTime  *to,
                                GError    **error)
{
  g_autoptr(JorenValueAccount) account = NULL;
  g_autoptr(JorenInvoice) invoice = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *day = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  account = joren_value_load_account (db, NULL, account_id, error);
  if (account == NULL || (invoice = new_invoice (db, account, error)) == NULL)
    return NULL;
  invoice->period_from = g_date_time_ref (from);
  invoice->period_to = g_date_time_ref (to);
  day = g_date_time_format (from, "%Y%m%d");
  /* The account's last four digits keep the number short enough to read. */
  invoice->number = g_strdup_printf ("INV-%s-%s", account->number
                                     + (strlen (account->number) > 4 ? strlen (account->number) - 4 : 0),
                                     day);
  ids = charged_sales (db, account_id, from, to, error);
  if (ids == NULL || !sum_payments (db, invoice, account_id, error))
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JorenSale) sale = joren_db_load_sale_by_id (db, g_array_index (ids, gint64, i),
                                                            error);

      if (sale == NULL)
        return NULL;
      add_sale (invoice, sale, account->number);
    }
  compute_taxes (invoice, shop_rounding (db));
  return g_steal_pointer (&invoice);
}
