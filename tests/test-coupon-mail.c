/* test-coupon-mail.c: e-coupons e-mailed to a segment, for real. A
 * Python SMTP server (tests/smtp-sink.py) on 127.0.0.1 receives the
 * messages; each consenting customer with an address must get exactly
 * one message holding a code of their own, issued to them (bound to
 * their customer id) and accepted at the till; customers without consent
 * or without an address get no message and no code. */
#include "config.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "joren-coupon-mail.h"
#include "joren-customer.h"
#include "joren-json.h"
#include "joren-test-utils.h"

typedef struct {
  JorenDb     *db;
  GSubprocess *sink;
  char        *outdir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JorenMailSettings settings = { "127.0.0.1", 0, JOREN_MAIL_TLS_NONE, NULL, NULL,
                                 "shop@example.jp", "Café Joren" };

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->outdir = joren_test_make_tmpdir ();
  fixture->sink = joren_test_start_smtp_sink (fixture->outdir, &settings.port);
  joren_promotion_set_mail_settings (fixture->db, &settings, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_subprocess_force_exit (fixture->sink);
  g_subprocess_wait (fixture->sink, NULL, NULL);
  g_clear_object (&fixture->sink);
  g_clear_object (&fixture->db);
  g_free (fixture->outdir);
}

typedef struct {
  const char *name;
  const char *email;
  gboolean    consent_email;
} Person;

static const Person people[] = {
  { "山田 花子", "hanako@example.jp", TRUE },
  { "Ben Becker", "ben@example.de", FALSE },   /* no consent */
  { "佐藤 次郎", NULL, TRUE },                 /* no e-mail */
  { "陳 美玲", "meiling@example.tw", TRUE },
};

static gint64
add_person (JorenDb      *db,
            const Person *person)
{
  g_autoptr(JorenCustomer) customer = joren_customer_new ();
  g_autoptr(GError) error = NULL;

  customer->name = g_strdup (person->name);
  customer->email = g_strdup (person->email);
  customer->consent_email = person->consent_email;
  joren_customer_add (db, customer, FALSE, &error);
  g_assert_no_error (error);
  return customer->id;
}

/* The code after "Code: " in a body, normalized. */
static char *
code_in (const char *body)
{
  const char *start = strstr (body, "Code: ");
  g_autofree char *typed = NULL;

  g_assert_nonnull (start);
  typed = g_strndup (start + strlen ("Code: "), 11);
  return joren_coupon_code_normalize (typed);
}

static gint64
customer_of_code (GPtrArray  *codes,
                  const char *code)
{
  for (guint i = 0; i < codes->len; i++)
    {
      JorenCouponCode *c = g_ptr_array_index (codes, i);

      if (g_str_equal (c->code, code))
        return c->customer_id;
    }
  return -1;
}

static void
test_send (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(JorenCouponCampaign) campaign = joren_coupon_campaign_new ("Spring", JOREN_COUPON_AMOUNT, 300);
  JorenSegmentFilter filter = { 0 };
  JorenPromotion promotion = { JOREN_PROMOTION_EMAIL, "Spring coupon", "{name}様へクーポン",
                               "{name}様\n{shop}から300円引きのクーポンです。\nCode: {coupon}\n" };
  g_autoptr(JorenSale) sale = joren_test_new_sale (fixture->db, 2);
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[G_N_ELEMENTS (people)];
  g_autofree char *first = NULL;
  gint64 run_id = 0;
  guint sent = 0;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    ids[i] = add_person (fixture->db, &people[i]);
  joren_coupon_campaign_add (fixture->db, campaign, &error);
  g_assert_no_error (error);
  joren_coupon_send_to_segment (fixture->db, &filter, campaign->id, &promotion, 0,
                                &run_id, &sent, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_id, >, 0);
  g_assert_cmpuint (sent, ==, 2);

  received = joren_test_read_mails (fixture->outdir);
  codes = joren_coupon_list_codes (fixture->db, campaign->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (received->len, ==, 2);
  g_assert_cmpuint (codes->len, ==, 2);   /* nobody else holds a code */
  for (guint i = 0; i < received->len; i++)
    {
      const char *to = joren_json_get_string (received->pdata[i], "to");
      const char *body = joren_json_get_string (received->pdata[i], "body");
      g_autofree char *code = code_in (body);
      gint64 expected = g_str_equal (to, "hanako@example.jp") ? ids[0] : ids[3];

      g_assert_nonnull (code);
      g_assert_true (g_str_equal (to, "hanako@example.jp") || g_str_equal (to, "meiling@example.tw"));
      g_assert_nonnull (strstr (body, "様"));
      g_assert_null (strstr (body, "{coupon}"));
      g_assert_cmpint (customer_of_code (codes, code), ==, expected);
      joren_coupon_check (fixture->db, code, sale, NULL, &error);
      g_assert_no_error (error);
      if (i == 0)
        first = g_steal_pointer (&code);
      else
        g_assert_cmpstr (code, !=, first);
    }
}

/* The preview counts who will get a code and issues none. */
static void
test_preview (Fixture       *fixture,
              gconstpointer  data)
{
  JorenSegmentFilter filter = { 0 };
  JorenPromotion promotion = { JOREN_PROMOTION_EMAIL, "Spring", "Coupon for {name}",
                               "Code: {coupon}" };
  g_autoptr(JorenPromotionPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  const JorenPromotionMessage *sample;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    add_person (fixture->db, &people[i]);
  preview = joren_coupon_mail_preview (fixture->db, &filter, &promotion, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->recipients, ==, 2);
  g_assert_cmpuint (preview->no_address, ==, 1);
  g_assert_cmpuint (preview->no_consent, >=, 1);
  g_assert_cmpuint (preview->samples->len, ==, 2);
  sample = g_ptr_array_index (preview->samples, 0);
  g_assert_true (g_str_has_prefix (sample->body, "Code: " JOREN_COUPON_MAIL_SAMPLE_CODE "\n"));
  g_assert_nonnull (strstr (sample->subject, "Coupon for "));
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM coupon_codes"), ==, 0);
}

static void
test_stopped (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JorenCouponCampaign) campaign = joren_coupon_campaign_new ("Old", JOREN_COUPON_AMOUNT, 300);
  JorenSegmentFilter filter = { 0 };
  JorenPromotion promotion = { JOREN_PROMOTION_EMAIL, "Old", "Coupon", "Code: {coupon}" };
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GError) error = NULL;

  add_person (fixture->db, &people[0]);
  joren_coupon_campaign_add (fixture->db, campaign, &error);
  g_assert_no_error (error);
  joren_coupon_campaign_set_active (fixture->db, campaign->id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (joren_coupon_send_to_segment (fixture->db, &filter, campaign->id, &promotion,
                                                0, NULL, NULL, &error));
  g_assert_error (error, JOREN_COUPON_ERROR, JOREN_COUPON_ERROR_EXPIRED);
  received = joren_test_read_mails (fixture->outdir);
  g_assert_cmpuint (received->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/joren/data/coupon-mail/send", Fixture, NULL,
              fixture_set_up, test_send, fixture_tear_down);
  g_test_add ("/joren/data/coupon-mail/preview", Fixture, NULL,
              fixture_set_up, test_preview, fixture_tear_down);
  g_test_add ("/joren/data/coupon-mail/stopped", Fixture, NULL,
              fixture_set_up, test_stopped, fixture_tear_down);
  return g_test_run ();
}
