/* test-coupon-slip.c: e-coupon slips on the receipt printer. Codes are
 * issued by a real campaign in a demo database, printed one slip per
 * code, each slip encoded for a real profile, rendered to PNG by the
 * preview and its QR read back with zbarimg: it must carry that slip's
 * code, which the campaign accepts. The slip says the campaign, value,
 * minimum spend and validity in words, and each slip ends in a cut. */
#define _GNU_SOURCE
#include <string.h>

#include "joren-coupon.h"
#include "joren-escpos-render.h"
#include "joren-receipt-coupon.h"
#include "joren-shop.h"
#include "joren-test-utils.h"
#include "test-escpos-common.h"

typedef struct {
  JorenDb             *db;
  JorenShop           *shop;
  JorenCouponCampaign *campaign;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->db = joren_test_open_demo_db ("de");
  fixture->shop = joren_db_load_shop (fixture->db, &error);
  g_assert_no_error (error);
  fixture->campaign = joren_coupon_campaign_new ("Frühling", JOREN_COUPON_AMOUNT, 500);
  fixture->campaign->min_spend = 2000;
  fixture->campaign->valid_from = g_date_time_new_local (2025, 4, 1, 0, 0, 0);
  fixture->campaign->valid_until = g_date_time_new_local (2025, 5, 1, 0, 0, 0);
  joren_coupon_campaign_add (fixture->db, fixture->campaign, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->campaign, joren_coupon_campaign_free);
  g_clear_pointer (&fixture->shop, joren_shop_free);
  g_clear_object (&fixture->db);
}

static guint
count_cuts (GBytes *bytes)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint n = 0;

  for (const guint8 *p = data; (p = memmem (p, size - (p - data), "\x1dV", 2)) != NULL; p += 2)
    n++;
  return n;
}

/* Renders the slip to PNG; returns what zbarimg reads, *out_text the text. */
static char *
render_and_scan (JorenReceipt  *slip,
                 const char    *name,
                 char         **out_text)
{
  const JorenPrinterProfile *profile = joren_test_profile ("epson-tm-t88");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = joren_receipt_encode (slip, profile, &error);
  g_autofree char *png = joren_test_output_path (name);
  cairo_surface_t *s;

  g_assert_no_error (error);
  g_assert_cmpuint (count_cuts (bytes), ==, 1);
  s = joren_escpos_render_full (profile, bytes, out_text);
  g_assert_cmpint (cairo_surface_write_to_png (s, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
  return joren_test_zbarimg (png);
}

static void
test_batch (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = joren_coupon_issue (fixture->db, fixture->campaign->id, 0, 3, &error);
  g_autoptr(GPtrArray) slips = NULL;

  g_assert_no_error (error);
  slips = joren_receipt_new_coupon_slips (fixture->shop, fixture->campaign, codes);
  g_assert_cmpuint (slips->len, ==, 3);
  for (guint i = 0; i < slips->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      g_autofree char *name = g_strdup_printf ("coupon-slip-%u.png", i);
      g_autofree char *text = NULL;
      g_autofree char *scanned = render_and_scan (g_ptr_array_index (slips, i), name, &text);
      g_autofree char *expected = g_strdup_printf ("QR-Code:%s\n", code);
      g_autofree char *shown = joren_coupon_code_format (code);

      g_assert_cmpstr (scanned, ==, expected);
      g_assert_true (joren_coupon_code_check_ok (code));
      g_assert_nonnull (strstr (text, fixture->shop->name));
      g_assert_nonnull (strstr (text, "Frühling"));
      g_assert_nonnull (strstr (text, shown));
      g_test_message ("slip %u:\n%s", i, text);
    }
}

static void
test_words (Fixture       *fixture,
            gconstpointer  data)
{
  const JorenCurrency *eur = fixture->shop->currency;
  g_auto(GStrv) conditions = joren_coupon_describe_conditions (fixture->campaign, eur);
  g_autofree char *value = joren_coupon_describe_value (fixture->campaign, eur);
  g_autofree char *joined = g_strjoinv ("\n", conditions);
  g_autofree char *min = joren_money_format (2000, eur);
  g_autofree char *amount = joren_money_format (500, eur);
  g_autofree char *percent = NULL;

  g_assert_nonnull (strstr (value, amount));
  g_assert_nonnull (strstr (joined, min));
  /* the end is exclusive: a campaign to 1 May works through 30 April */
  g_assert_nonnull (strstr (joined, "2025-04-01"));
  g_assert_nonnull (strstr (joined, "2025-04-30"));
  g_assert_null (strstr (joined, "2025-05-01"));
  fixture->campaign->kind = JOREN_COUPON_PERCENT;
  fixture->campaign->value = 750;
  percent = joren_coupon_describe_value (fixture->campaign, eur);
  g_assert_cmpstr (percent, ==, "7.5% off");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/joren/devices/coupon-slip/batch", Fixture, NULL,
              fixture_set_up, test_batch, fixture_tear_down);
  g_test_add ("/joren/devices/coupon-slip/words", Fixture, NULL,
              fixture_set_up, test_words, fixture_tear_down);
  return g_test_run ();
}
