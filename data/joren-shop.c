/* joren-shop.c: the country presets a new shop starts from (currency, whether
 * shelf prices include tax, how tax is rounded, the legal rates) and the
 * JorenShop record copied into every sale so a sale keeps the settings it
 * was rung up with even if the shop is reconfigured mid-day. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-shop.h"

/* Rate names are marked for translation but stored untranslated: the UI
 * shows them through gettext, the database keeps the stable English. */
static const JorenShopPreset presets[] = {
  /* Japan: tax-inclusive shelf prices; fractions of a yen of tax are
   * usually cut off (切り捨て), once per rate per receipt. */
  { "jp", "JPY", TRUE, JOREN_ROUND_DOWN,
    { { "standard", N_("Standard"), 1000 },
      { "reduced", N_("Reduced (food)"), 800 } }, 2 },
  /* Germany: gross prices, commercial rounding. */
  { "de", "EUR", TRUE, JOREN_ROUND_HALF_UP,
    { { "standard", N_("Standard"), 1900 },
      { "reduced", N_("Reduced"), 700 } }, 2 },
  /* Taiwan: business tax included in the price. */
  { "tw", "TWD", TRUE, JOREN_ROUND_HALF_UP,
    { { "standard", N_("Standard"), 500 } }, 1 },
};

const JorenShopPreset *
joren_shop_preset_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_str_equal (presets[i].id, id))
      return &presets[i];

  return NULL;
}

/* register_prefix NULL gives "R1", so receipt numbers are never "-12". */
JorenShop *
joren_shop_new_from_preset (const JorenShopPreset *preset,
                            const char            *name,
                            const char            *register_prefix)
{
  JorenShop *shop;

  g_return_val_if_fail (preset != NULL, NULL);
  g_return_val_if_fail (joren_currency_lookup (preset->currency) != NULL, NULL);

  shop = g_new0 (JorenShop, 1);
  shop->name = g_strdup (name);
  shop->preset = g_strdup (preset->id);
  shop->currency = joren_currency_lookup (preset->currency);
  shop->prices_include_tax = preset->prices_include_tax;
  shop->tax_rounding = preset->tax_rounding;
  shop->register_prefix = g_strdup (register_prefix != NULL ? register_prefix : "R1");

  return shop;
}

JorenShop *
joren_shop_copy (const JorenShop *shop)
{
  JorenShop *copy;

  g_return_val_if_fail (shop != NULL, NULL);

  copy = g_memdup2 (shop, sizeof *shop);
  copy->name = g_strdup (shop->name);
  copy->address = g_strdup (shop->address);
  copy->phone = g_strdup (shop->phone);
  copy->invoice_number = g_strdup (shop->invoice_number);
  copy->preset = g_strdup (shop->preset);
  copy->register_prefix = g_strdup (shop->register_prefix);
  copy->receipt_footer = g_strdup (shop->receipt_footer);

  return copy;
}

void
joren_shop_free (JorenShop *shop)
{
  if (shop == NULL)
    return;

  g_free (shop->name);
  g_free (shop->address);
  g_free (shop->phone);
  g_free (shop->invoice_number);
  g_free (shop->preset);
  g_free (shop->register_prefix);
  g_free (shop->receipt_footer);
  g_free (shop);
}
