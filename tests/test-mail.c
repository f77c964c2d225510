/* test-mail.c: e-mail promotions, birthday greetings and paper mail for
 * real. A Python SMTP server (tests/smtp-sink.py, aiosmtpd) runs on
 * 127.0.0.1 and writes what it receives, decoded by Python's own e-mail
 * parser; the tests check that exactly the consenting customers got
 * their own message and nobody else did. The PDFs are rasterised with
 * pdftoppm, and the pages counted (and kept for a look with
 * JOREN_TEST_KEEP=DIR). */
#include "config.h"

#include <cjson/cJSON.h>
#include <glib/gstdio.h>
#include <string.h>

#include "joren-customer.h"
#include "joren-db-private.h"
#include "joren-json.h"
#include "joren-labels.h"
#include "joren-mail.h"
#include "joren-points.h"
#include "joren-promotion.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"

typedef struct {
  JorenDb     *db;
  GSubprocess *sink;
  char        *outdir;
  guint        port;
  gint64       staff_id;
} Fixture;

static void
start_sink (Fixture *fixture)
{
  const char *python = g_getenv ("JOREN_PYTHON");
  const char *script = g_getenv ("JOREN_SMTP_SINK");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (script);
  fixture->sink = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                    python ? python : "python3", script, fixture->outdir, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->sink));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  fixture->port = g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (fixture->port, >, 0);
}

static void
set_mail_settings (Fixture *fixture)
{
  JorenMailSettings settings = { "127.0.0.1", fixture->port, JOREN_MAIL_TLS_NONE, NULL, NULL,
                                 "shop@example.jp", "喫茶ジョレン" };
  g_autoptr(GError) error = NULL;

  joren_promotion_set_mail_settings (fixture->db, &settings, &error);
  g_assert_no_error (error);
  joren_db_set_setting (fixture->db, "mail.unsubscribe_url",
                        "https://shop.example.jp/unsubscribe?t={token}", &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JorenStaff) staff = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->outdir = joren_test_make_tmpdir ();
  staff = joren_test_find_staff (fixture->db, "Aiko");
  fixture->staff_id = staff->id;
  if (data != NULL)
    {
      start_sink (fixture);
      set_mail_settings (fixture);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->sink != NULL)
    {
      g_subprocess_force_exit (fixture->sink);
      g_subprocess_wait (fixture->sink, NULL, NULL);
      g_clear_object (&fixture->sink);
    }
  g_clear_object (&fixture->db);
  g_free (fixture->outdir);
}

typedef struct {
  const char *name;
  const char *email;
  const char *birthday;
  const char *address;
  gboolean    consent_email;
  gboolean    consent_post;
  gint64      points;
} Person;

static gint64
add_person (Fixture      *fixture,
            const Person *person)
{
  g_autoptr(JorenCustomer) customer = joren_customer_new ();
  g_autoptr(GError) error = NULL;

  customer->name = g_strdup (person->name);
  customer->email = g_strdup (person->email);
  customer->birthday = g_strdup (person->birthday);
  customer->address = g_strdup (person->address);
  customer->postal_code = g_strdup (person->address ? "150-0001" : NULL);
  customer->consent_email = person->consent_email;
  customer->consent_post = person->consent_post;
  joren_customer_add (fixture->db, customer, FALSE, &error);
  g_assert_no_error (error);
  if (person->points != 0)
    {
      joren_points_adjust (fixture->db, customer->id, person->points, "welcome",
                           fixture->staff_id, &error);
      g_assert_no_error (error);
    }
  return customer->id;
}

/* The messages the sink received, in order (cJSON objects). */
static GPtrArray *
read_received (Fixture *fixture)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cJSON_Delete);

  for (guint n = 1;; n++)
    {
      g_autofree char *name = g_strdup_printf ("%04u.json", n);
      g_autofree char *path = g_build_filename (fixture->outdir, name, NULL);
      g_autofree char *text = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        break;
      g_ptr_array_add (messages, cJSON_Parse (text));
    }
  return messages;
}

static const char *
get_string (GPtrArray  *messages,
            guint       index,
            const char *key)
{
  const char *text = joren_json_get_string (g_ptr_array_index (messages, index), key);

  g_assert_nonnull (text);
  return text;
}

/* --- the message itself --- */

static void
test_template (void)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *text = NULL;

  g_hash_table_insert (values, "name", "山田 花子");
  g_hash_table_insert (values, "points", "120");
  text = joren_mail_fill_template ("{name}様 {points}pt {unknown} {", values);
  g_assert_cmpstr (text, ==, "山田 花子様 120pt {unknown} {");
}

static void
test_build (void)
{
  JorenMailSettings settings = { "localhost", 25, JOREN_MAIL_TLS_NONE, NULL, NULL,
                                 "shop@example.jp", "Café Joren" };
  g_autofree char *long_subject = g_strnfill (30, 'x');
  g_autofree char *subject = g_strconcat ("お誕生日おめでとうございます！", long_subject,
                                          "ポイント2倍", NULL);
  JorenMailMessage message = { "hanako@example.jp", subject, "一行目\n二行目 ü", "https://x/u?t=1",
                               "shop@example.jp?subject=unsubscribe" };
  g_autofree char *text = joren_mail_build (&settings, &message, NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  const char *body = strstr (text, "\r\n\r\n");
  g_autofree char *joined = NULL;
  g_autofree guchar *decoded = NULL;
  gsize length;

  /* ASCII only, no header line over 78 characters, encoded-words. */
  for (const char *p = text; *p; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  for (guint i = 0; lines[i] && *lines[i]; i++)
    g_assert_cmpuint (strlen (lines[i]), <=, 78);
  g_assert_nonnull (strstr (text, "Subject: =?UTF-8?B?"));
  g_assert_nonnull (strstr (text, "From: =?UTF-8?B?"));
  g_assert_nonnull (strstr (text, "List-Unsubscribe: <mailto:shop@example.jp?subject=unsubscribe>"));
  g_assert_nonnull (strstr (text, "List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
  /* The body is base64 of the text with CRLF line ends. */
  g_assert_nonnull (body);
  joined = g_strdelimit (g_strdup (body + 4), "\r\n", ' ');
  decoded = g_base64_decode (g_strstrip (g_strdelimit (joined, " ", '\n')), &length);
  g_assert_cmpmem (decoded, length, "一行目\r\n二行目 ü", strlen ("一行目\r\n二行目 ü"));
}

/* --- a promotion to a segment --- */

static const Person people[] = {
  { "山田 花子", "hanako@example.jp", "1990-03-14", NULL, TRUE, FALSE, 120 },
  { "Ben Becker", "ben@example.de", NULL, NULL, FALSE, FALSE, 0 },         /* no consent */
  { "佐藤 次郎", NULL, NULL, "東京都渋谷区1-2-3", TRUE, TRUE, 0 },        /* no e-mail */
  { "Refused", "refuse@example.jp", NULL, NULL, TRUE, FALSE, 0 },          /* server says 550 */
  { "陳 美玲", "meiling@example.tw", NULL, NULL, TRUE, FALSE, 45 },
  { "鈴木 一郎", "ichiro@example.jp", NULL, "大阪府大阪市北区4-5-6", FALSE, TRUE, 0 },
};

static void
test_promotion_send (Fixture       *fixture,
                     gconstpointer  data)
{
  JorenSegmentFilter filter = { 0 };
  JorenPromotion promotion = { JOREN_PROMOTION_EMAIL, "Spring", "{name}様、春のご案内",
                               "{name}様\n{shop}です。ポイント残高: {points}pt" };
  g_autoptr(JorenPromotionPreview) preview = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[G_N_ELEMENTS (people)];
  gint64 run_id = 0;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    ids[i] = add_person (fixture, &people[i]);
  preview = joren_promotion_preview (fixture->db, &filter, &promotion, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->in_segment, ==, 6);
  g_assert_cmpuint (preview->no_consent, ==, 2);     /* Ben, Ichiro */
  g_assert_cmpuint (preview->no_address, ==, 1);     /* Jiro */
  g_assert_cmpuint (preview->recipients, ==, 3);
  g_assert_cmpuint (preview->samples->len, ==, 2);
  g_assert_cmpstr (((JorenPromotionMessage *) preview->samples->pdata[0])->subject, ==,
                   "山田 花子様、春のご案内");

  joren_promotion_send (fixture->db, &filter, &promotion, fixture->staff_id, NULL, &run_id, &error);
  g_assert_no_error (error);
  received = read_received (fixture);
  g_assert_cmpuint (received->len, ==, 2);
  g_assert_cmpstr (get_string (received, 0, "to"), ==, "hanako@example.jp");
  g_assert_cmpstr (get_string (received, 0, "subject"), ==, "山田 花子様、春のご案内");
  g_assert_nonnull (strstr (get_string (received, 0, "body"), "ポイント残高: 120pt"));
  g_assert_nonnull (strstr (get_string (received, 0, "body"), "https://shop.example.jp/unsubscribe?t="));
  g_assert_nonnull (strstr (get_string (received, 0, "list_unsubscribe"), "https://shop.example.jp/"));
  g_assert_cmpstr (get_string (received, 0, "charset"), ==, "utf-8");
  g_assert_cmpstr (get_string (received, 1, "to"), ==, "meiling@example.tw");
  g_assert_nonnull (strstr (get_string (received, 1, "body"), "陳 美玲様"));
  g_assert_nonnull (strstr (get_string (received, 1, "body"), "45pt"));
  for (guint i = 0; i < received->len; i++)
    g_assert_cmpstr (get_string (received, i, "mail_from"), ==, "shop@example.jp");

  /* The log: 2 sent, the refused address failed, 2 left out. */
  runs = joren_promotion_list_runs (fixture->db, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpint (((JorenPromotionRun *) runs->pdata[0])->id, ==, run_id);
  g_assert_cmpuint (((JorenPromotionRun *) runs->pdata[0])->n_sent, ==, 2);
  g_assert_cmpuint (((JorenPromotionRun *) runs->pdata[0])->n_failed, ==, 1);
  g_assert_cmpuint (((JorenPromotionRun *) runs->pdata[0])->n_excluded, ==, 2);
  g_assert_cmpstr (((JorenPromotionRun *) runs->pdata[0])->staff_name, ==, "Aiko");
  recipients = joren_promotion_list_recipients (fixture->db, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipients->len, ==, 3);
  g_assert_cmpint (((JorenPromotionRecipient *) recipients->pdata[1])->customer_id, ==, ids[3]);
  g_assert_cmpstr (((JorenPromotionRecipient *) recipients->pdata[1])->status, ==, "failed");
  g_assert_nonnull (((JorenPromotionRecipient *) recipients->pdata[1])->error);
}

static void
test_unsubscribe (Fixture       *fixture,
                  gconstpointer  data)
{
  JorenSegmentFilter filter = { 0 };
  JorenPromotion promotion = { JOREN_PROMOTION_EMAIL, "News", "News", "Hello {name}" };
  g_autoptr(JorenPromotionPreview) before = NULL;
  g_autoptr(JorenPromotionPreview) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = add_person (fixture, &people[0]);
  g_autofree char *token = joren_promotion_unsubscribe_token (fixture->db, id);
  g_autofree char *forged = g_strdup_printf ("%" G_GINT64_FORMAT ".0000", id);

  before = joren_promotion_preview (fixture->db, &filter, &promotion, 0, &error);
  g_assert_cmpuint (before->recipients, ==, 1);
  g_assert_false (joren_promotion_unsubscribe (fixture->db, forged, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (joren_promotion_unsubscribe (fixture->db, token, &error));
  g_assert_no_error (error);
  after = joren_promotion_preview (fixture->db, &filter, &promotion, 0, &error);
  g_assert_cmpuint (after->recipients, ==, 0);
  g_assert_cmpuint (after->no_consent, ==, 1);
}

static void
buy (Fixture *fixture,
     gint64   customer_id,
     guint    n_products)
{
  g_autoptr(JorenSale) sale = joren_test_new_sale (fixture->db, n_products);
  g_autoptr(GError) error = NULL;

  joren_sale_set_customer (sale, customer_id);
  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (fixture->db, sale, 0, &error);
  g_assert_no_error (error);
}

/* "Our two best customers" by spend: the best two whoever they are, and
 * of them only the one who agreed gets the mail; the third best, who
 * agreed, never moves up into the place of the one who did not. */
static void
test_best_top_n (Fixture       *fixture,
                 gconstpointer  data)
{
  static const Person best[] = {
    { "Ayumi", "ayumi@example.jp", NULL, NULL, TRUE, FALSE, 0 },
    { "Bunta", "bunta@example.jp", NULL, NULL, FALSE, FALSE, 0 },
    { "Chika", "chika@example.jp", NULL, NULL, TRUE, FALSE, 0 },
  };
  JorenPromotion promotion = { JOREN_PROMOTION_EMAIL, "Best", "Thanks", "Thank you {name}" };
  JorenSegmentFilter filter = { 0 };
  g_autoptr(JorenSegmentPage) page = NULL;
  g_autoptr(JorenPromotionPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[G_N_ELEMENTS (best)];

  for (guint i = 0; i < G_N_ELEMENTS (best); i++)
    {
      ids[i] = add_person (fixture, &best[i]);
      buy (fixture, ids[i], G_N_ELEMENTS (best) - i);  /* Ayumi spends most */
    }
  joren_segment_preset_best_top (&filter, NULL, NULL, 2);
  page = joren_segment_run (fixture->db, &filter, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 2);
  g_assert_cmpint (g_array_index (page->ids, gint64, 0), ==, ids[0]);
  g_assert_cmpint (g_array_index (page->ids, gint64, 1), ==, ids[1]);
  g_clear_pointer (&page, joren_segment_page_free);
  page = joren_segment_run (fixture->db, &filter, 1, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->ids->len, ==, 1);
  g_assert_cmpint (g_array_index (page->ids, gint64, 0), ==, ids[1]);

  preview = joren_promotion_preview (fixture->db, &filter, &promotion, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->in_segment, ==, 2);
  g_assert_cmpuint (preview->no_consent, ==, 1);
  g_assert_cmpuint (preview->recipients, ==, 1);
  g_assert_cmpstr (((JorenPromotionMessage *) preview->samples->pdata[0])->name, ==, "Ayumi");
}

/* --- birthdays --- */

static void
test_birthdays (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GDateTime) today = g_date_time_new_local (2025, 3, 14, 9, 0, 0);
  g_autoptr(GDateTime) next_year = g_date_time_new_local (2026, 3, 14, 9, 0, 0);
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GError) error = NULL;
  Person soon = { "Soon", "soon@example.jp", "1985-03-17", NULL, TRUE, FALSE, 0 };
  Person silent = { "Silent", "silent@example.jp", "1970-03-14", NULL, FALSE, FALSE, 0 };
  guint sent = 99;

  add_person (fixture, &people[0]);   /* born 14 March */
  add_person (fixture, &soon);
  add_person (fixture, &silent);
  joren_promotion_run_birthdays (fixture->db, today, &sent, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sent, ==, 1);
  /* Idempotent: start-up and day close on the same day send nothing more. */
  joren_promotion_run_birthdays (fixture->db, today, &sent, &error);
  g_assert_cmpuint (sent, ==, 0);
  /* A week's window adds Soon (17 March), Hanako is not greeted twice. */
  joren_db_set_setting (fixture->db, "promotion.birthday_window", "week", &error);
  joren_promotion_run_birthdays (fixture->db, today, &sent, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sent, ==, 1);
  received = read_received (fixture);
  g_assert_cmpuint (received->len, ==, 2);
  g_assert_cmpstr (get_string (received, 0, "to"), ==, "hanako@example.jp");
  g_assert_nonnull (strstr (get_string (received, 0, "body"), "120"));
  g_assert_cmpstr (get_string (received, 1, "to"), ==, "soon@example.jp");
  /* Next year they are greeted again. */
  joren_promotion_run_birthdays (fixture->db, next_year, &sent, &error);
  g_assert_cmpuint (sent, ==, 2);
  g_assert_cmpint (joren_test_query_int (fixture->db,
                   "SELECT count (*) FROM birthday_greetings"), ==, 4);
}

/* --- paper --- */

static guint
count_pages (const char *pdf,
             const char *keep_as)
{
  g_autofree char *dir = joren_test_make_tmpdir ();
  g_autofree char *prefix = g_build_filename (dir, "page", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *keep = g_getenv ("JOREN_TEST_KEEP");
  const char *argv[] = { "pdftoppm", "-r", "60", "-png", pdf, prefix, NULL };
  int status = -1;
  guint pages = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  listing = g_dir_open (dir, 0, &error);
  for (const char *name; (name = g_dir_read_name (listing));)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      pages++;
      if (keep != NULL)
        {
          g_autofree char *kept = g_strdup_printf ("%s/%s-%s", keep, keep_as, name);
          g_autoptr(GBytes) bytes = joren_test_read_file (path);

          g_file_set_contents (kept, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
        }
    }
  return pages;
}

static void
test_labels_sheet (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_label_item_free);
  g_autofree char *pdf = g_build_filename (fixture->outdir, "labels.pdf", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("山田 花子 %u", i + 1);

      g_ptr_array_add (items, joren_label_item_new (name, "150-0001",
                                                    "東京都渋谷区神宮前1-2-3 ジョレンビル4F", NULL));
    }
  joren_labels_write_sheet (pdf, items, "喫茶ジョレン 東京都港区1-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_pages (pdf, "labels"), ==, 2);   /* 24 + 6 */
  g_ptr_array_set_size (items, 0);
  g_assert_false (joren_labels_write_sheet (pdf, items, NULL, &error));
  g_assert_nonnull (error);
}

static void
test_postcard_promotion (Fixture       *fixture,
                         gconstpointer  data)
{
  JorenSegmentFilter filter = { 0 };
  JorenPromotion promotion = { JOREN_PROMOTION_POSTCARD, "Hagaki", NULL,
                               "{name}様\n\nいつもありがとうございます。\n{shop}より春の感謝セールのお知らせです。" };
  g_autofree char *pdf = g_build_filename (fixture->outdir, "postcards.pdf", NULL);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 run_id = 0;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    add_person (fixture, &people[i]);
  joren_promotion_send (fixture->db, &filter, &promotion, fixture->staff_id, pdf, &run_id, &error);
  g_assert_no_error (error);
  /* Jiro and Ichiro agreed to post and have an address; nobody else. */
  g_assert_cmpuint (count_pages (pdf, "postcards"), ==, 2);
  runs = joren_promotion_list_runs (fixture->db, 0, &error);
  g_assert_cmpuint (((JorenPromotionRun *) runs->pdata[0])->n_sent, ==, 2);
  g_assert_cmpuint (((JorenPromotionRun *) runs->pdata[0])->n_excluded, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/devices/mail/template", test_template);
  g_test_add_func ("/joren/devices/mail/build", test_build);
  g_test_add ("/joren/data/promotion/send", Fixture, "smtp", fixture_set_up,
              test_promotion_send, fixture_tear_down);
  g_test_add ("/joren/data/promotion/unsubscribe", Fixture, "smtp", fixture_set_up,
              test_unsubscribe, fixture_tear_down);
  g_test_add ("/joren/data/promotion/best-top-n", Fixture, NULL, fixture_set_up,
              test_best_top_n, fixture_tear_down);
  g_test_add ("/joren/data/promotion/birthdays", Fixture, "smtp", fixture_set_up,
              test_birthdays, fixture_tear_down);
  g_test_add ("/joren/devices/labels/sheet", Fixture, NULL, fixture_set_up,
              test_labels_sheet, fixture_tear_down);
  g_test_add ("/joren/data/promotion/postcards", Fixture, NULL, fixture_set_up,
              test_postcard_promotion, fixture_tear_down);
  return g_test_run ();
}
