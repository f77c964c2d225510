/* joren-receipt-coupon.c: the e-coupon slip. The customer reads what the
 * coupon is worth and when it applies in words (not the back office's
 * "-¥500"), and the cashier scans the QR, which carries the normalized
 * code exactly as joren_coupon_check wants it; the code is also printed
 * in two groups of five for typing when the QR is torn. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "joren-money.h"
#include "joren-receipt-coupon.h"
#include "joren-shop.h"

/* Basis points as "10" or "7.5": trailing zeros dropped. */
static char *
format_percent (gint64 basis_points)
{
  char *text = g_strdup_printf ("%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT,
                                basis_points / 100, basis_points % 100);
  char *end = text + strlen (text) - 1;

  while (*end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
  return text;
}

char *
joren_coupon_describe_value (const JorenCouponCampaign *campaign,
                             const JorenCurrency       *currency)
{
  g_autofree char *amount = NULL;

  g_return_val_if_fail (campaign != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  switch (campaign->kind)
    {
    case JOREN_COUPON_PERCENT:
      amount = format_percent (campaign->value);
      /* TRANSLATORS: a coupon's value; %s is a number such as 10 or 7.5 */
      return g_strdup_printf (_("%s%% off"), amount);
    case JOREN_COUPON_FREE_ITEM:
      return g_strdup (_("One item free"));
    case JOREN_COUPON_AMOUNT:
    default:
      amount = joren_money_format (campaign->value, currency);
      /* TRANSLATORS: a coupon's value; %s is an amount such as ¥500 */
      return g_strdup_printf (_("%s off"), amount);
    }
}

/* Local day; an exclusive end shows as the last day it still works. */
static char *
format_day (GDateTime *time,
            gboolean   exclusive_end)
{
  g_autoptr(GDateTime) shown = g_date_time_add_seconds (time, exclusive_end ? -1 : 0);
  g_autoptr(GDateTime) local = g_date_time_to_local (shown);

  return g_date_time_format (local, "%Y-%m-%d");
}

static char *
describe_validity (const JorenCouponCampaign *campaign)
{
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;

  if (campaign->valid_from != NULL)
    from = format_day (campaign->valid_from, FALSE);
  if (campaign->valid_until != NULL)
    until = format_day (campaign->valid_until, TRUE);
  if (from != NULL && until != NULL)
    /* TRANSLATORS: a coupon's validity, two dates */
    return g_strdup_printf (_("Valid from %s to %s"), from, until);
  if (until != NULL)
    return g_strdup_printf (_("Valid until %s"), until);
  if (from != NULL)
    return g_strdup_printf (_("Valid from %s"), from);
  return NULL;
}

GStrv
joren_coupon_describe_conditions (const JorenCouponCampaign *campaign,
                                  const JorenCurrency       *currency)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_autofree char *validity = NULL;

  g_return_val_if_fail (campaign != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  if (campaign->min_spend > 0)
    {
      g_autofree char *amount = joren_money_format (campaign->min_spend, currency);
      g_autofree char *line = g_strdup_printf (_("With a purchase of %s or more"), amount);

      g_strv_builder_add (lines, line);
    }
  if ((campaign->product_ids != NULL && campaign->product_ids->len > 0) ||
      (campaign->category_ids != NULL && campaign->category_ids->len > 0))
    g_strv_builder_add (lines, _("On selected products only"));
  validity = describe_validity (campaign);
  if (validity != NULL)
    g_strv_builder_add (lines, validity);
  g_strv_builder_add (lines, _("One use per code, one coupon per purchase"));
  return g_strv_builder_end (lines);
}

static void
add_conditions (JorenReceipt              *r,
                const JorenShop           *shop,
                const JorenCouponCampaign *campaign)
{
  g_auto(GStrv) conditions = joren_coupon_describe_conditions (campaign, shop->currency);

  for (guint i = 0; conditions[i] != NULL; i++)
    joren_receipt_add_text (r, conditions[i], JOREN_ALIGN_CENTER, 0);
}

JorenReceipt *
joren_receipt_new_coupon_slip (const JorenShop           *shop,
                               const JorenCouponCampaign *campaign,
                               const char                *code)
{
  g_autofree char *value = NULL;
  g_autofree char *shown = NULL;
  JorenReceipt *r;

  g_return_val_if_fail (shop != NULL && shop->currency != NULL, NULL);
  g_return_val_if_fail (campaign != NULL && campaign->name != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);

  value = joren_coupon_describe_value (campaign, shop->currency);
  shown = joren_coupon_code_format (code);
  r = joren_receipt_new ();
  joren_receipt_set_section (r, "header");
  joren_receipt_add_header (r, shop->name != NULL ? shop->name : "", shop->address, shop->phone, NULL);
  joren_receipt_set_section (r, "coupon");
  joren_receipt_add_separator (r);
  joren_receipt_add_text (r, campaign->name, JOREN_ALIGN_CENTER, JOREN_RECEIPT_BOLD);
  joren_receipt_add_text (r, value, JOREN_ALIGN_CENTER, JOREN_RECEIPT_LARGE | JOREN_RECEIPT_REVERSE);
  joren_receipt_add_feed (r, 1);
  add_conditions (r, shop, campaign);
  joren_receipt_add_feed (r, 1);
  joren_receipt_add_qr (r, code);
  joren_receipt_add_text (r, shown, JOREN_ALIGN_CENTER, JOREN_RECEIPT_LARGE | JOREN_RECEIPT_BOLD);
  joren_receipt_set_section (r, "footer");
  joren_receipt_add_footer (r, _("Show this coupon when paying."));
  joren_receipt_set_cut (r, TRUE);
  return r;
}

GPtrArray *
joren_receipt_new_coupon_slips (const JorenShop           *shop,
                                const JorenCouponCampaign *campaign,
                                GPtrArray                 *codes)
{
  GPtrArray *slips;

  g_return_val_if_fail (codes != NULL, NULL);

  slips = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < codes->len; i++)
    g_ptr_array_add (slips, joren_receipt_new_coupon_slip (shop, campaign,
                                                           g_ptr_array_index (codes, i)));
  return slips;
}
