/* test-phone.c: phone numbers from Japan, Taiwan and Germany, written the
 * ways customers and input methods write them, all reach one stored
 * form; text that is no whole number is refused. */
#include <glib.h>

#include "joren-error.h"
#include "joren-phone.h"

static void
assert_normalizes (const char *country,
                   const char *text,
                   const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = joren_phone_normalize (text, country, &error);

  g_test_message ("%s: %s", country, text);
  g_assert_no_error (error);
  g_assert_cmpstr (phone, ==, expected);
}

static void
assert_refused (const char *country,
                const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = joren_phone_normalize (text, country, &error);

  g_test_message ("%s: %s", country, text);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_null (phone);
}

static void
test_japan (void)
{
  /* The three spellings of the issue, and what an IME produces. */
  assert_normalizes ("jp", "090-1234-5678", "+819012345678");
  assert_normalizes ("jp", "09012345678", "+819012345678");
  assert_normalizes ("jp", "+81 90 1234 5678", "+819012345678");
  assert_normalizes ("jp", "０９０ー１２３４ー５６７８", "+819012345678");
  assert_normalizes ("jp", "＋８１ ９０−１２３４−５６７８", "+819012345678");
  assert_normalizes ("jp", "+81 (0)90 1234 5678", "+819012345678");
  assert_normalizes ("jp", "+81 090-1234-5678", "+819012345678");
  assert_normalizes ("jp", "010-81-90-1234-5678", "+819012345678");
  /* Tokyo landline: 9 national digits. */
  assert_normalizes ("jp", "03-1234-5678", "+81312345678");
  assert_normalizes ("jp", "(03) 1234-5678", "+81312345678");
  /* A number from abroad keeps its own country code. */
  assert_normalizes ("jp", "+49 30 1234567", "+49301234567");
  /* No area code, too short, too long, letters. */
  assert_refused ("jp", "1234-5678");
  assert_refused ("jp", "090-1234");
  assert_refused ("jp", "090-1234-56789");
  assert_refused ("jp", "090-ABCD-5678");
  assert_refused ("jp", "");
  assert_refused ("jp", "+");
  assert_refused ("jp", "+81+90");
}

static void
test_taiwan (void)
{
  assert_normalizes ("tw", "0912-345-678", "+886912345678");
  assert_normalizes ("tw", "0912345678", "+886912345678");
  assert_normalizes ("tw", "+886 912 345 678", "+886912345678");
  assert_normalizes ("tw", "+886-0912-345-678", "+886912345678");
  assert_normalizes ("tw", "002-886-912-345-678", "+886912345678");
  /* Taipei (02) has 8-digit subscribers, Taichung (04) too. */
  assert_normalizes ("tw", "(02) 2345-6789", "+886223456789");
  assert_normalizes ("tw", "04-2345-6789", "+886423456789");
  /* A Japanese mobile written from Taiwan. */
  assert_normalizes ("tw", "002 81 90 1234 5678", "+819012345678");
  assert_refused ("tw", "2345-6789");
  assert_refused ("tw", "0912-345");
  assert_refused ("tw", "0912-345-6789-0");
}

static void
test_germany (void)
{
  /* The seed's number, with the "(0)" trunk German letterheads print. */
  assert_normalizes ("de", "+49 (40) 466 565 70", "+494046656570");
  assert_normalizes ("de", "+49 (0)40 466 565 70", "+494046656570");
  assert_normalizes ("de", "040 / 466 565 70", "+494046656570");
  assert_normalizes ("de", "0049 40 46656570", "+494046656570");
  assert_normalizes ("de", "0171 1234567", "+491711234567");
  assert_normalizes ("de", "+49 171 1234567", "+491711234567");
  /* Short numbers of small towns are still whole numbers. */
  assert_normalizes ("de", "03591 3456", "+4935913456");
  assert_refused ("de", "466 565 70");
  assert_refused ("de", "040 12");
  assert_refused ("de", "+49 171 12345678901234");
}

static void
test_same_number_matches (void)
{
  const char *jp[] = { "090-1234-5678", "09012345678", "+81 90 1234 5678" };
  g_autofree char *first = joren_phone_normalize (jp[0], "jp", NULL);

  /* The shop's country decides only numbers without a country code. */
  for (guint i = 1; i < G_N_ELEMENTS (jp); i++)
    {
      g_autofree char *other = joren_phone_normalize (jp[i], "jp", NULL);

      g_assert_cmpstr (other, ==, first);
    }
  {
    g_autofree char *from_de = joren_phone_normalize ("+81 90 1234 5678", "de", NULL);
    g_autofree char *local_de = joren_phone_normalize ("090 12345678", "de", NULL);

    g_assert_cmpstr (from_de, ==, first);
    g_assert_cmpstr (local_de, !=, first);
  }
}

static void
test_last4 (void)
{
  g_autofree char *a = joren_phone_last4 ("090-1234-5678");
  g_autofree char *b = joren_phone_last4 ("５６７８");
  g_autofree char *c = joren_phone_last4 ("+494046656570");
  g_autofree char *d = joren_phone_last4 ("567");

  g_assert_cmpstr (a, ==, "5678");
  g_assert_cmpstr (b, ==, "5678");
  g_assert_cmpstr (c, ==, "6570");
  g_assert_null (d);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/unit/phone/japan", test_japan);
  g_test_add_func ("/joren/unit/phone/taiwan", test_taiwan);
  g_test_add_func ("/joren/unit/phone/germany", test_germany);
  g_test_add_func ("/joren/unit/phone/same-number-matches", test_same_number_matches);
  g_test_add_func ("/joren/unit/phone/last4", test_last4);

  return g_test_run ();
}
