/* joren-shop.h: the shop's configuration (currency, tax mode, rounding,
 * register prefix) and the country presets it starts from. */
#pragma once

#include "joren-money.h"

G_BEGIN_DECLS

typedef struct {
  const char *code;     /* "standard", "reduced" */
  const char *name;     /* untranslated; shown through gettext by the UI */
  guint       rate_bp;
} JorenPresetRate;

struct _JorenShopPreset {
  const char      *id;                 /* "jp", "de", "tw" */
  const char      *currency;           /* "JPY" */
  gboolean         prices_include_tax;
  JorenRounding    tax_rounding;
  JorenPresetRate  rates[4];
  guint            n_rates;
};

const JorenShopPreset *joren_shop_preset_lookup (const char *id);

struct _JorenShop {
  char                *name;
  char                *address;
  char                *phone;
  char                *invoice_number;     /* Japan: "T" + 13 digits, or NULL */
  char                *preset;             /* "jp", "de", "tw" */
  const JorenCurrency *currency;
  gboolean             prices_include_tax;
  JorenRounding        tax_rounding;
  char                *register_prefix;    /* receipt numbers: prefix + "-" + sequence */
  char                *receipt_footer;
};

JorenShop *joren_shop_new_from_preset (const JorenShopPreset *preset,
                                       const char            *name,
                                       const char            *register_prefix);
JorenShop *joren_shop_copy            (const JorenShop *shop);
void       joren_shop_free            (JorenShop *shop);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenShop, joren_shop_free)

G_END_DECLS
