/* test-barcode.c: what scanners type, parsed: published EAN-13, EAN-8 and
 * UPC-A examples, in-store price and weight codes, misreads with a wrong
 * check digit, and the junk a misconfigured scanner sends. */
#include <string.h>
#include <glib.h>

#include "joren-error.h"
#include "joren-barcode.h"

static void
parse_ok (const char   *scan,
          JorenBarcode *out)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (joren_barcode_parse (scan, out, &error));
  g_assert_no_error (error);
}

static void
test_check_digit (void)
{
  /* 5901234123457: weights 1,3 from the left over 590123412345:
   * 5+27+0+3+2+9+4+3+2+9+4+15 = 83, 10 - 3 = 7. */
  g_assert_cmpuint (joren_ean_check_digit ("590123412345", 12), ==, 7);
  g_assert_cmpuint (joren_ean_check_digit ("400638133393", 12), ==, 1);
  /* EAN-8 9638507: 27+6+9+8+15+0+21 = 86 -> 4. */
  g_assert_cmpuint (joren_ean_check_digit ("9638507", 7), ==, 4);
  /* UPC-A 03600029145: 0+3+18+0+0+0+6+9+3+4+15 = 58 -> 2. */
  g_assert_cmpuint (joren_ean_check_digit ("03600029145", 11), ==, 2);
  /* A sum that is already a multiple of ten gives 0, not 10. */
  g_assert_cmpuint (joren_ean_check_digit ("291234500350", 12), ==, 0);
}

static void
test_ean13 (void)
{
  JorenBarcode code;

  parse_ok ("4006381333931", &code);
  g_assert_cmpint (code.kind, ==, JOREN_BARCODE_EAN13);
  g_assert_cmpstr (code.code, ==, "4006381333931");
  g_assert_false (code.in_store);
  g_assert_cmpstr (code.item_key, ==, "");

  parse_ok ("5901234123457", &code);
  g_assert_cmpint (code.kind, ==, JOREN_BARCODE_EAN13);
  g_assert_false (code.in_store);
}

static void
test_trims_scanner_suffix (void)
{
  JorenBarcode code;

  parse_ok ("  5901234123457\r\n", &code);
  g_assert_cmpstr (code.code, ==, "5901234123457");
  parse_ok ("\tABC-123\n", &code);
  g_assert_cmpstr (code.code, ==, "ABC-123");
}

static void
test_ean8 (void)
{
  JorenBarcode code;

  parse_ok ("96385074", &code);
  g_assert_cmpint (code.kind, ==, JOREN_BARCODE_EAN8);
  g_assert_cmpstr (code.code, ==, "96385074");
  g_assert_false (code.in_store);

  /* An EAN-8 starting with 2 is not an in-store price code. */
  parse_ok ("25123456", &code);
  g_assert_cmpint (code.kind, ==, JOREN_BARCODE_EAN8);
  g_assert_false (code.in_store);
}

static void
test_upca (void)
{
  JorenBarcode code;

  parse_ok ("036000291452", &code);
  g_assert_cmpint (code.kind, ==, JOREN_BARCODE_UPCA);
  g_assert_cmpstr (code.code, ==, "0036000291452");
  g_assert_false (code.in_store);
}

static void
test_in_store_price (void)
{
  JorenBarcode code;

  /* Prefix 20, item 2012345, price 01280 (¥1,280), check digit 6. */
  parse_ok ("2012345012806", &code);
  g_assert_cmpint (code.kind, ==, JOREN_BARCODE_EAN13);
  g_assert_true (code.in_store);
  g_assert_cmpstr (code.item_key, ==, "2012345");
  g_assert_cmpuint (code.embedded_value, ==, 1280);
}

static void
test_in_store_weight (void)
{
  JorenBarcode code;

  /* Prefix 29, item 2912345, 350 g. */
  parse_ok ("2912345003500", &code);
  g_assert_true (code.in_store);
  g_assert_cmpstr (code.item_key, ==, "2912345");
  g_assert_cmpuint (code.embedded_value, ==, 350);
}

static void
test_in_store_prefix_02 (void)
{
  JorenBarcode code;

  parse_ok ("0212345012802", &code);
  g_assert_true (code.in_store);
  g_assert_cmpstr (code.item_key, ==, "0212345");
  g_assert_cmpuint (code.embedded_value, ==, 1280);

  /* The same code as UPC-A (number system 2) from a US-style scale. */
  parse_ok ("212345012802", &code);
  g_assert_cmpint (code.kind, ==, JOREN_BARCODE_UPCA);
  g_assert_cmpstr (code.code, ==, "0212345012802");
  g_assert_true (code.in_store);
  g_assert_cmpstr (code.item_key, ==, "0212345");
}

static void
test_make_in_store (void)
{
  g_autofree char *made = joren_barcode_make_in_store ("2012345", 1280);

  g_assert_cmpstr (made, ==, "2012345012806");

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *key = g_strdup_printf ("2%06d", g_test_rand_int_range (0, 1000000));
      guint value = g_test_rand_int_range (0, 100000);
      g_autofree char *code = joren_barcode_make_in_store (key, value);
      JorenBarcode parsed;

      g_assert_cmpuint (strlen (code), ==, 13);
      parse_ok (code, &parsed);
      g_assert_true (parsed.in_store);
      g_assert_cmpstr (parsed.item_key, ==, key);
      g_assert_cmpuint (parsed.embedded_value, ==, value);
    }
}

static void
test_code128 (void)
{
  static const char *scans[] = {
    "ABC-123", "12345", "123456789", "1234567890123" "4", "SKU 42/b",
    "012345678901234567890123456789012345678901234567",   /* 48 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (scans); i++)
    {
      JorenBarcode code;

      parse_ok (scans[i], &code);
      g_assert_cmpint (code.kind, ==, JOREN_BARCODE_CODE128);
      g_assert_cmpstr (code.code, ==, scans[i]);
      g_assert_false (code.in_store);
    }
}

static void
parse_fails (const char *scan,
             const char *message)
{
  g_autoptr(GError) error = NULL;
  JorenBarcode code;

  g_test_message ("scan “%s”", scan);
  g_assert_false (joren_barcode_parse (scan, &code, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_wrong_check_digit (void)
{
  parse_fails ("4006381333932", "Barcode 4006381333932 has a wrong check digit. Scan it again.");
  parse_fails ("96385075", "Barcode 96385075 has a wrong check digit. Scan it again.");
  parse_fails ("036000291453", "Barcode 036000291453 has a wrong check digit. Scan it again.");
  /* A scale label with one digit misread. */
  parse_fails ("2012345012816", NULL);
}

static void
test_garbage (void)
{
  parse_fails ("", "Nothing was scanned. Scan the barcode again.");
  parse_fails (" \r\n", "Nothing was scanned. Scan the barcode again.");
  parse_fails ("12\x1b" "34", "The scan contains control characters. Check the scanner's settings.");
  parse_fails ("AB\tCD", "The scan contains control characters. Check the scanner's settings.");
  parse_fails ("caf\xc3\xa9", NULL);
  parse_fails ("0123456789012345678901234567890123456789012345678",
               "The scan is too long for a barcode (49 characters, at most 48).");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/barcode/check-digit", test_check_digit);
  g_test_add_func ("/joren/data/barcode/ean13", test_ean13);
  g_test_add_func ("/joren/data/barcode/trims-scanner-suffix", test_trims_scanner_suffix);
  g_test_add_func ("/joren/data/barcode/ean8", test_ean8);
  g_test_add_func ("/joren/data/barcode/upca", test_upca);
  g_test_add_func ("/joren/data/barcode/in-store-price", test_in_store_price);
  g_test_add_func ("/joren/data/barcode/in-store-weight", test_in_store_weight);
  g_test_add_func ("/joren/data/barcode/in-store-prefix-02", test_in_store_prefix_02);
  g_test_add_func ("/joren/data/barcode/make-in-store", test_make_in_store);
  g_test_add_func ("/joren/data/barcode/code128", test_code128);
  g_test_add_func ("/joren/data/barcode/wrong-check-digit", test_wrong_check_digit);
  g_test_add_func ("/joren/data/barcode/garbage", test_garbage);

  return g_test_run ();
}
