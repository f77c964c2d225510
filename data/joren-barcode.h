/* joren-barcode.h: what a scanner typed, parsed. EAN-8/13 and UPC-A are
 * check-digit verified; in-store codes (EAN-13 prefix 02 and 20-29) carry a
 * price or a weight in digits 8-12 and are looked up by their first 7
 * digits. Anything else printable is taken as Code128. */
#pragma once

#include "joren-types.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_BARCODE_EAN8,
  JOREN_BARCODE_EAN13,
  JOREN_BARCODE_UPCA,      /* normalised to EAN-13 with a leading 0 */
  JOREN_BARCODE_CODE128,
} JorenBarcodeKind;

struct _JorenBarcode {
  JorenBarcodeKind kind;
  char     code[64];        /* normalised: UPC-A as 13 digits, whitespace trimmed */
  gboolean in_store;        /* EAN-13 with prefix 02 or 20-29 */
  char     item_key[8];     /* in_store: first 7 digits ("2012345") */
  guint    embedded_value;  /* in_store: digits 8-12 (price in minor units or grams) */
};

gboolean joren_barcode_parse        (const char   *scan,
                                     JorenBarcode *out,
                                     GError      **error);
/* digits: all but the check digit; returns the check digit 0-9. */
guint    joren_ean_check_digit      (const char   *digits,
                                     gsize         len);
/* Build an in-store EAN-13 from a 7-digit key and a 5-digit value. */
char    *joren_barcode_make_in_store (const char  *item_key,
                                      guint        value);

G_END_DECLS
