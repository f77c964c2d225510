/* joren-value-demo.c: value accounts for the demo shop, so the back
 * office and the screenshots have something to show: two gift vouchers,
 * a prepaid card, a customer with an open tab and a coupon campaign with
 * a few codes. Balances are opening-balance adjustments rather than
 * sales, so the demo's receipt numbering and day totals stay empty. Not
 * part of joren_db_create_demo: tests build on that shop and count its
 * customers. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-coupon.h"
#include "joren-customer.h"
#include "joren-value-private.h"

/* A voucher or card with an opening balance. */
static gboolean
add_demo_voucher (JorenDb         *db,
                  JorenValueKind   kind,
                  gint64           amount,
                  GError         **error)
{
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, error);
  g_autoptr(JorenSale) sale = NULL;
  g_autoptr(JorenValueAccount) account = NULL;
  guint index;

  if (shop == NULL)
    return FALSE;
  /* The sale is only the carrier that creates the account; never stored. */
  sale = joren_sale_new (shop);
  index = joren_value_add_issue_line (db, sale, kind, NULL, amount, 0, error);
  if (index == G_MAXUINT)
    return FALSE;
  account = joren_value_lookup (db, joren_sale_get_line (sale, index)->reference, error);
  return account != NULL
         && joren_value_adjust (db, account->id, amount, _("Opening balance"), 0, error);
}

static gboolean
add_demo_debtor (JorenDb  *db,
                 gint64    tab,
                 GError  **error)
{
  g_autoptr(JorenCustomer) customer = joren_customer_new ();
  g_autoptr(JorenValueAccount) account = NULL;

  customer->name = g_strdup (_("Demo Customer"));
  if (!joren_customer_add (db, customer, FALSE, error))
    return FALSE;
  account = joren_value_open_customer_account (db, customer->id, tab * 5, error);
  return account != NULL
         && joren_value_adjust (db, account->id, -tab, _("Opening balance"), 0, error);
}

static gboolean
add_demo_coupons (JorenDb  *db,
                  gint64    amount,
                  GError  **error)
{
  g_autoptr(JorenCouponCampaign) campaign = NULL;
  g_autoptr(GPtrArray) codes = NULL;

  campaign = joren_coupon_campaign_new (_("Welcome back"), JOREN_COUPON_AMOUNT, amount);
  campaign->min_spend = amount * 5;
  if (!joren_coupon_campaign_add (db, campaign, error))
    return FALSE;
  codes = joren_coupon_issue (db, campaign->id, 0, 5, error);
  return codes != NULL;
}

gboolean
joren_value_create_demo (JorenDb  *db,
                         GError  **error)
{
  g_autoptr(JorenShop) shop = NULL;
  gint64 unit;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  shop = joren_db_load_shop (db, error);
  if (shop == NULL)
    return FALSE;
  /* A unit a small purchase is counted in: ¥100, NT$10, 1 € (100 cents). */
  unit = g_strcmp0 (shop->currency->code, "TWD") == 0 ? 10 : 100;
  return add_demo_voucher (db, JOREN_VALUE_GIFT, 50 * unit, error)
         && add_demo_voucher (db, JOREN_VALUE_GIFT, 30 * unit, error)
         && add_demo_voucher (db, JOREN_VALUE_PREPAID, 20 * unit, error)
         && add_demo_debtor (db, 32 * unit, error)
         && add_demo_coupons (db, 5 * unit, error);
}
