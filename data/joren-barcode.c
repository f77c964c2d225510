/* joren-barcode.c: turns what a keyboard-wedge scanner typed into a
 * JorenBarcode. Retail codes (EAN-8, EAN-13, UPC-A) are check-digit
 * verified so a misread never rings up the wrong product; in-store EAN-13
 * codes (prefix 02, 20-29) are split into the item key and the price or
 * weight printed into them by the shop's scale. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "joren-error.h"
#include "joren-barcode.h"

#define MAX_SCAN_LEN 48

guint
joren_ean_check_digit (const char *digits,
                       gsize       len)
{
  guint sum = 0;

  g_return_val_if_fail (digits != NULL, 0);

  /* Weights 3, 1, 3 ... from the rightmost data digit, which makes one
   * rule serve EAN-8 (7 digits), UPC-A (11) and EAN-13 (12). */
  for (gsize i = 0; i < len; i++)
    {
      g_return_val_if_fail (g_ascii_isdigit (digits[len - 1 - i]), 0);
      sum += (guint) (digits[len - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
    }

  return (10 - sum % 10) % 10;
}

static gboolean
is_all_digits (const char *s)
{
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;

  return TRUE;
}

/* Scales print price or weight codes with prefix 02 (UPC number system 2,
 * also seen through EAN) or 20-29 (GS1 "restricted circulation"). */
static gboolean
is_in_store_prefix (const char *ean13)
{
  return ean13[0] == '2' || (ean13[0] == '0' && ean13[1] == '2');
}

/* Refuses what cannot be a barcode, with a message a cashier can act on. */
static gboolean
check_scan_text (const char  *text,
                 GError     **error)
{
  gsize len = strlen (text);

  if (len == 0)
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                           _("Nothing was scanned. Scan the barcode again."));
      return FALSE;
    }

  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                             _("The scan contains control characters. Check the scanner's settings."));
        return FALSE;
      }
    else if ((guchar) *p >= 0x80)
      {
        g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                             _("The scan contains characters a barcode cannot hold. Check the scanner's keyboard layout."));
        return FALSE;
      }

  if (len > MAX_SCAN_LEN)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("The scan is too long for a barcode (%u characters, at most %u)."),
                   (guint) len, (guint) MAX_SCAN_LEN);
      return FALSE;
    }

  return TRUE;
}

static gboolean
has_valid_check_digit (const char *code)
{
  gsize len = strlen (code);

  return joren_ean_check_digit (code, len - 1) == (guint) (code[len - 1] - '0');
}

static void
fill_in_store (JorenBarcode *out)
{
  char value[6];

  out->in_store = TRUE;
  memcpy (out->item_key, out->code, 7);
  out->item_key[7] = '\0';
  memcpy (value, out->code + 7, 5);
  value[5] = '\0';
  out->embedded_value = (guint) g_ascii_strtoull (value, NULL, 10);
}

/* text holds 8, 12 or 13 digits. */
static gboolean
parse_retail (const char    *text,
              JorenBarcode  *out,
              GError       **error)
{
  gsize len = strlen (text);

  if (!has_valid_check_digit (text))
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Barcode %s has a wrong check digit. Scan it again."), text);
      return FALSE;
    }

  if (len == 8)
    out->kind = JOREN_BARCODE_EAN8;
  else
    out->kind = len == 12 ? JOREN_BARCODE_UPCA : JOREN_BARCODE_EAN13;

  g_snprintf (out->code, sizeof out->code, "%s%s", len == 12 ? "0" : "", text);
  if (len != 8 && is_in_store_prefix (out->code))
    fill_in_store (out);

  return TRUE;
}

gboolean
joren_barcode_parse (const char    *scan,
                     JorenBarcode  *out,
                     GError       **error)
{
  g_autofree char *text = NULL;
  gsize len;

  g_return_val_if_fail (scan != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Scanners end a code with CR, LF or Tab; people paste spaces. */
  text = g_strstrip (g_strdup (scan));
  if (!check_scan_text (text, error))
    return FALSE;

  memset (out, 0, sizeof *out);
  len = strlen (text);
  if (is_all_digits (text) && (len == 8 || len == 12 || len == 13))
    return parse_retail (text, out, error);

  out->kind = JOREN_BARCODE_CODE128;
  g_strlcpy (out->code, text, sizeof out->code);
  return TRUE;
}

char *
joren_barcode_make_in_store (const char *item_key,
                             guint       value)
{
  char digits[13];

  g_return_val_if_fail (item_key != NULL, NULL);
  g_return_val_if_fail (strlen (item_key) == 7 && is_all_digits (item_key), NULL);
  g_return_val_if_fail (is_in_store_prefix (item_key), NULL);
  g_return_val_if_fail (value <= 99999, NULL);

  g_snprintf (digits, sizeof digits, "%s%05u", item_key, value);
  return g_strdup_printf ("%s%u", digits, joren_ean_check_digit (digits, 12));
}
