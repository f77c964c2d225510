/* joren-value-ui.c: the helpers every value screen shares. The authority
 * is kept on the database object because every screen of one register
 * talks to the same database: one authority, and the holds it hands out
 * stay consistent between the tender page and the quick-pay scan. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-invoice.h"
#include "joren-value-ui.h"

#define AUTHORITY_KEY "joren-value-authority"

JorenValueAuthority *
joren_value_ui_get_authority (JorenDb *db)
{
  JorenValueAuthority *authority;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  authority = g_object_get_data (G_OBJECT (db), AUTHORITY_KEY);
  if (authority == NULL)
    {
      authority = joren_value_local_authority_new (db);
      g_object_set_data_full (G_OBJECT (db), AUTHORITY_KEY, authority, g_object_unref);
    }
  return authority;
}

char *
joren_value_ui_describe (const JorenValueAccount *account,
                         const JorenCurrency     *currency)
{
  g_autofree char *number = NULL;
  g_autofree char *balance = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *until = NULL;

  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  number = joren_value_number_format (account->number);
  balance = joren_money_format (account->kind == JOREN_VALUE_CUSTOMER_ACCOUNT
                                ? -account->balance : account->balance, currency);
  if (account->kind == JOREN_VALUE_CUSTOMER_ACCOUNT)
    /* TRANSLATORS: "Customer account · 1000 … · owes ¥1,200" */
    return g_strdup_printf (_("%s · %s · owes %s"), joren_value_kind_get_label (account->kind),
                            number, balance);
  if (account->expires_at == NULL)
    return g_strdup_printf ("%s · %s · %s", joren_value_kind_get_label (account->kind),
                            number, balance);
  local = g_date_time_to_local (account->expires_at);
  until = g_date_time_format (local, "%Y-%m-%d");
  /* TRANSLATORS: kind · number · balance · "until" an expiry date */
  return g_strdup_printf (_("%s · %s · %s · until %s"), joren_value_kind_get_label (account->kind),
                          number, balance, until);
}

gboolean
joren_value_ui_quick_pay_enabled (JorenDb *db)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  text = joren_db_get_setting (db, JOREN_SETTING_VALUE_QUICK_PAY);
  return g_strcmp0 (text, "1") == 0 || g_strcmp0 (text, "true") == 0;
}

JorenValueAccount *
joren_value_ui_sale_account (JorenDb   *db,
                             JorenSale *sale)
{
  gint64 customer_id;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);

  customer_id = joren_sale_get_customer_id (sale);
  return customer_id != 0 ? joren_value_find_customer_account (db, customer_id, NULL) : NULL;
}

gboolean
joren_value_ui_has_account (JorenDb   *db,
                            JorenSale *sale)
{
  g_autoptr(JorenValueAccount) account = joren_value_ui_sale_account (db, sale);

  return account != NULL;
}

char *
joren_value_ui_describe_refusal (JorenDb    *db,
                                 JorenSale  *sale,
                                 const char *reason)
{
  g_autoptr(JorenValueAccount) account = NULL;
  const JorenCurrency *currency;
  g_autofree char *limit = NULL;
  g_autofree char *owed = NULL;

  g_return_val_if_fail (reason != NULL, NULL);

  account = joren_value_ui_sale_account (db, sale);
  if (account == NULL)
    return g_strdup (reason);
  currency = joren_sale_get_currency (sale);
  limit = joren_money_format (account->credit_limit, currency);
  owed = joren_money_format (MAX (-account->balance, 0), currency);
  /* TRANSLATORS: the reason, then the credit limit and the current debt */
  return g_strdup_printf (_("%s Credit limit %s, owes %s now."), reason, limit, owed);
}

void
joren_value_ui_add_balances (JorenDb         *db,
                             const JorenShop *shop,
                             JorenSale       *sale,
                             JorenReceipt    *receipt)
{
  g_autoptr(GPtrArray) balances = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (shop != NULL);

  balances = joren_value_balances_for_sale (db, sale, &error);
  if (balances == NULL)
    /* A failed lookup costs the rows, never the receipt. */
    g_warning ("No voucher balances on the receipt: %s", error->message);
  else if (balances->len > 0)
    joren_receipt_add_value_balances (receipt, shop, balances);
}

GPtrArray *
joren_value_ui_build_slips (JorenDb         *db,
                            const JorenShop *shop,
                            JorenSale       *sale)
{
  g_autoptr(GPtrArray) numbers = NULL;
  GPtrArray *slips = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (JOREN_IS_DB (db), slips);
  g_return_val_if_fail (shop != NULL, slips);

  numbers = joren_value_sale_issued_numbers (sale);
  for (guint i = 0; numbers != NULL && i < numbers->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JorenValueAccount) account = joren_value_lookup (db, g_ptr_array_index (numbers, i),
                                                                 &error);

      if (account == NULL)
        g_warning ("No voucher slip: %s", error->message);
      else
        g_ptr_array_add (slips, joren_receipt_new_value_slip (shop, account));
    }
  return slips;
}
