/* test-mail.c: e-mail promotions, birthday greetings, invoices and paper
 * mail for real. A Python SMTP server (tests/smtp-sink.py, aiosmtpd) runs
 * on 127.0.0.1 and writes what it receives, decoded by Python's own
 * e-mail parser; the tests check that exactly the consenting customers
 * got their own message and nobody else did, and that an invoice reaches
 * its customer, consent or not, with the PDF attached (read back with
 * pdftotext). A multipart message is also taken apart here, by hand.
 * The PDFs are rasterised with pdftoppm, and the pages counted (and kept
 * for a look with JOREN_TEST_KEEP=DIR). */
#include "config.h"

#include <cjson/cJSON.h>
#include <glib/gstdio.h>
#include <string.h>

#include "joren-audit.h"
#include "joren-customer.h"
#include "joren-db-private.h"
#include "joren-device-error.h"
#include "joren-invoice-mail.h"
#include "joren-json.h"
#include "joren-labels.h"
#include "joren-mail.h"
#include "joren-points.h"
#include "joren-promotion.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"
#include "joren-value.h"

typedef struct {
  JorenDb     *db;
  GSubprocess *sink;
  char        *outdir;
  guint        port;
  gint64       staff_id;
} Fixture;

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
      fixture->sink = joren_test_start_smtp_sink (fixture->outdir, &fixture->port);
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

/* --- attachments, taken apart by hand --- */

static char *
unfold (const char *headers)
{
  g_auto(GStrv) lines = g_strsplit (headers, "\r\n ", -1);

  return g_strjoinv (" ", lines);
}

/* A parameter's value (quoted or not) in unfolded headers; NULL if absent. */
static char *
get_param (const char *headers,
           const char *name)
{
  g_autofree char *key = g_strconcat (" ", name, "=", NULL);
  const char *start = strstr (headers, key);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (key);
  if (*start == '"')
    end = strchr (++start, '"');
  else
    end = start + strcspn (start, ";\r\n");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

/* The parts of a multipart message ("headers\r\n\r\nbody" each, the
 * headers unfolded), checking the delimiters: no preamble, each part
 * between CRLF "--boundary" lines, the close delimiter last. */
static GPtrArray *
split_multipart (const char *text)
{
  const char *body = strstr (text, "\r\n\r\n");
  g_autofree char *top = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *boundary = NULL;
  g_autofree char *delimiter = NULL;
  g_auto(GStrv) pieces = NULL;
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  guint n;

  g_assert_nonnull (body);
  top = g_strndup (text, body - text);
  headers = unfold (top);
  g_assert_nonnull (strstr (headers, "Content-Type: multipart/mixed;"));
  boundary = get_param (headers, "boundary");
  g_assert_nonnull (boundary);
  delimiter = g_strconcat ("--", boundary, NULL);
  pieces = g_strsplit (body + 4, delimiter, -1);
  n = g_strv_length (pieces);
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpstr (pieces[0], ==, "");
  g_assert_cmpstr (pieces[n - 1], ==, "--\r\n");
  for (guint i = 1; i + 1 < n; i++)
    {
      const char *end = pieces[i] + strlen (pieces[i]) - 2;   /* the delimiter's CRLF */
      const char *blank = strstr (pieces[i], "\r\n\r\n");
      g_autofree char *part_top = NULL;
      g_autofree char *unfolded = NULL;
      g_autofree char *part_body = NULL;

      g_assert_true (g_str_has_prefix (pieces[i], "\r\n"));
      g_assert_true (g_str_has_suffix (pieces[i], "\r\n"));
      g_assert_nonnull (blank);
      g_assert_true (blank + 4 <= end);
      part_top = g_strndup (pieces[i] + 2, blank - pieces[i] - 2);
      unfolded = unfold (part_top);
      part_body = g_strndup (blank + 4, end - (blank + 4));
      g_ptr_array_add (parts, g_strconcat (unfolded, "\r\n\r\n", part_body, NULL));
    }
  return parts;
}

static GBytes *
decode_part (const char *part)
{
  const char *body = strstr (part, "\r\n\r\n") + 4;
  g_auto(GStrv) lines = g_strsplit (body, "\r\n", -1);
  gsize size = 0;
  guchar *data;

  /* Every body line is base64, at most 76 characters. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 76);
      g_assert_cmpuint (strspn (lines[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789+/="), ==, strlen (lines[i]));
    }
  data = g_base64_decode (body, &size);   /* it skips CR and LF */
  return g_bytes_new_take (data, size);
}

/* filename*=, or filename*0*= filename*1*= ... joined, decoded (RFC 2231). */
static char *
get_rfc2231_file_name (const char *headers)
{
  g_autofree char *single = get_param (headers, "filename*");
  g_autoptr(GString) joined = g_string_new (single);

  for (guint i = 0; single == NULL; i++)
    {
      g_autofree char *key = g_strdup_printf ("filename*%u*", i);
      g_autofree char *section = get_param (headers, key);

      if (section == NULL)
        break;
      g_string_append (joined, section);
    }
  g_assert_true (g_str_has_prefix (joined->str, "UTF-8''"));
  return g_uri_unescape_string (joined->str + strlen ("UTF-8''"), NULL);
}

static void
assert_sendable (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  for (const char *p = text; *p; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 78);
      g_assert_null (strchr (lines[i], '\n'));   /* CRLF only */
      g_assert_null (strchr (lines[i], '\r'));
    }
}

/* A fake PDF: the magic, then every byte value (base64 must carry them). */
static GBytes *
make_pdf_bytes (void)
{
  GByteArray *bytes = g_byte_array_new ();

  g_byte_array_append (bytes, (const guint8 *) "%PDF-1.7\n", 9);
  for (guint i = 0; i < 1000; i++)
    {
      guint8 b = (guint8) (i * 7);

      g_byte_array_append (bytes, &b, 1);
    }
  return g_byte_array_free_to_bytes (bytes);
}

static void
test_attachment (void)
{
  JorenMailSettings settings = { "localhost", 25, JOREN_MAIL_TLS_NONE, NULL, NULL,
                                 "shop@example.jp", "喫茶ジョレン" };
  const char *long_name = "請求書 2025年4月分 株式会社 山田商店 御中 INV-1234-20250401.pdf";
  g_autoptr(GBytes) pdf = make_pdf_bytes ();
  JorenMailAttachment files[] = {
    { "INV-1234-20250401.pdf", "application/pdf", pdf },
    { long_name, "application/pdf", pdf },
  };
  JorenMailMessage message = { "hanako@example.jp", "請求書", "山田様\nご請求書を添付します。",
                               NULL, NULL, files, G_N_ELEMENTS (files) };
  g_autofree char *text = joren_mail_build (&settings, &message, NULL);
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *plain_name = NULL;
  g_autofree char *encoded_name = NULL;
  g_autofree char *file_name = NULL;
  const char *expected = "山田様\r\nご請求書を添付します。";

  assert_sendable (text);
  g_assert_nonnull (strstr (text, "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n boundary=\""));
  parts = split_multipart (text);
  g_assert_cmpuint (parts->len, ==, 3);

  /* The text first, as a single-part message would carry it. */
  g_assert_true (g_str_has_prefix (parts->pdata[0], "Content-Type: text/plain; charset=UTF-8\r\n"
                                                    "Content-Transfer-Encoding: base64\r\n\r\n"));
  body = decode_part (parts->pdata[0]);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), expected, strlen (expected));
  g_clear_pointer (&body, g_bytes_unref);

  /* A plain name as it is, in both headers. */
  g_assert_true (g_str_has_prefix (parts->pdata[1], "Content-Type: application/pdf; name="));
  g_assert_nonnull (strstr (parts->pdata[1], "Content-Disposition: attachment; filename="));
  g_assert_nonnull (strstr (parts->pdata[1], "Content-Transfer-Encoding: base64\r\n"));
  plain_name = get_param (parts->pdata[1], "filename");
  g_assert_cmpstr (plain_name, ==, "INV-1234-20250401.pdf");
  body = decode_part (parts->pdata[1]);
  g_assert_true (g_bytes_equal (body, pdf));
  g_clear_pointer (&body, g_bytes_unref);

  /* A Japanese name: RFC 2231 sections, and RFC 2047 words in name=. */
  g_assert_nonnull (strstr (parts->pdata[2], " filename*1*="));
  file_name = get_rfc2231_file_name (parts->pdata[2]);
  g_assert_cmpstr (file_name, ==, long_name);
  encoded_name = get_param (parts->pdata[2], "name");
  g_assert_true (g_str_has_prefix (encoded_name, "=?UTF-8?B?"));
  body = decode_part (parts->pdata[2]);
  g_assert_true (g_bytes_equal (body, pdf));
}

/* No text: the text part is empty, the file still its own part. */
static void
test_attachment_no_text (void)
{
  JorenMailSettings settings = { "localhost", 25, JOREN_MAIL_TLS_NONE, NULL, NULL,
                                 "shop@example.jp", NULL };
  g_autoptr(GBytes) pdf = make_pdf_bytes ();
  JorenMailAttachment file = { "a.pdf", NULL, pdf };
  JorenMailMessage message = { "hanako@example.jp", "PDF", "", NULL, NULL, &file, 1 };
  g_autofree char *text = joren_mail_build (&settings, &message, NULL);
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GBytes) body = NULL;

  assert_sendable (text);
  parts = split_multipart (text);
  g_assert_cmpuint (parts->len, ==, 2);
  empty = decode_part (parts->pdata[0]);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
  g_assert_true (g_str_has_prefix (parts->pdata[1], "Content-Type: application/octet-stream; name=\"a.pdf\""));
  body = decode_part (parts->pdata[1]);
  g_assert_true (g_bytes_equal (body, pdf));
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

/* --- invoices by e-mail --- */

/* A customer account for customer_id with one sale of two products
 * charged to it. */
static gint64
charge_to_account (Fixture *fixture,
                   gint64   customer_id)
{
  g_autoptr(JorenValueAuthority) authority = joren_value_local_authority_new (fixture->db);
  g_autoptr(JorenValueAccount) account = NULL;
  g_autoptr(JorenSale) sale = joren_test_new_sale (fixture->db, 2);
  g_autoptr(GError) error = NULL;

  account = joren_value_open_customer_account (fixture->db, customer_id, 1000000, &error);
  g_assert_no_error (error);
  joren_sale_set_customer (sale, customer_id);
  joren_value_add_account_tender (authority, fixture->db, sale, 0, &error);
  g_assert_no_error (error);
  joren_db_commit_sale (fixture->db, sale, 0, &error);
  g_assert_no_error (error);
  return account->id;
}

/* Everything charged up to now. */
static void
get_period (GDateTime **out_from,
            GDateTime **out_to)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  *out_from = g_date_time_new_from_unix_utc (0);
  *out_to = g_date_time_add_seconds (now, 1);
}

static char *
pdf_to_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return out;
}

static guint
count_exports (Fixture *fixture,
               gint64   customer_id)
{
  g_autoptr(GPtrArray) entries = joren_audit_list (fixture->db, customer_id, 100, NULL);
  guint n = 0;

  g_assert_nonnull (entries);
  for (guint i = 0; i < entries->len; i++)
    n += ((JorenAuditEntry *) entries->pdata[i])->action == JOREN_AUDIT_EXPORT;
  return n;
}

/* Kato never agreed to e-mail marketing; the invoice is no marketing and
 * reaches her with the PDF, and the audit log says who sent which. */
static void
test_invoice_mail (Fixture       *fixture,
                   gconstpointer  data)
{
  static const Person kato = { "加藤 由紀", "yuki@example.jp", NULL, NULL, FALSE, FALSE, 0 };
  gint64 customer_id = add_person (fixture, &kato);
  gint64 account_id = charge_to_account (fixture, customer_id);
  g_autofree char *pdf_path = g_build_filename (fixture->outdir, "received.pdf", NULL);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(JorenInvoice) invoice = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *due = NULL;
  g_autofree guchar *pdf = NULL;
  g_autofree char *text = NULL;
  const JorenAuditEntry *entry;
  cJSON *attachments, *attachment;
  gsize size = 0;

  get_period (&from, &to);
  invoice = joren_value_invoice_for_period (fixture->db, account_id, from, to, &error);
  g_assert_no_error (error);
  g_assert_cmpint (invoice->amount_due, >, 0);
  address = joren_invoice_mail_send (fixture->db, account_id, from, to, fixture->staff_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (address, ==, "yuki@example.jp");

  received = read_received (fixture);
  g_assert_cmpuint (received->len, ==, 1);
  g_assert_cmpstr (get_string (received, 0, "to"), ==, "yuki@example.jp");
  g_assert_cmpstr (get_string (received, 0, "content_type"), ==, "multipart/mixed");
  g_assert_nonnull (strstr (get_string (received, 0, "subject"), invoice->number));
  g_assert_nonnull (strstr (get_string (received, 0, "body"), "加藤 由紀"));
  due = joren_money_format (invoice->amount_due, invoice->currency);
  g_assert_nonnull (strstr (get_string (received, 0, "body"), due));
  /* No unsubscribe link: there is nothing to unsubscribe from. */
  g_assert_cmpstr (get_string (received, 0, "list_unsubscribe"), ==, "");

  attachments = cJSON_GetObjectItem (g_ptr_array_index (received, 0), "attachments");
  g_assert_cmpint (cJSON_GetArraySize (attachments), ==, 1);
  attachment = cJSON_GetArrayItem (attachments, 0);
  file_name = g_strdup_printf ("%s.pdf", invoice->number);
  g_assert_cmpstr (joren_json_get_string (attachment, "filename"), ==, file_name);
  g_assert_cmpstr (joren_json_get_string (attachment, "content_type"), ==, "application/pdf");
  pdf = g_base64_decode (joren_json_get_string (attachment, "data"), &size);
  g_assert_cmpuint (size, >, 1000);
  g_assert_cmpmem (pdf, 5, "%PDF-", 5);
  g_assert_true (g_file_set_contents (pdf_path, (const char *) pdf, size, NULL));
  text = pdf_to_text (pdf_path);
  g_assert_nonnull (strstr (text, invoice->number));
  g_assert_nonnull (strstr (text, "加藤 由紀"));

  audit = joren_audit_list (fixture->db, customer_id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 1);
  entry = g_ptr_array_index (audit, 0);
  g_assert_cmpint (entry->action, ==, JOREN_AUDIT_EXPORT);
  g_assert_cmpint (entry->staff_id, ==, fixture->staff_id);
  g_assert_nonnull (strstr (entry->detail, invoice->number));
  g_assert_null (strstr (entry->detail, "@"));   /* ids, never the address */
}

/* No address, an address the server refuses, no mail server: refused,
 * said why, nothing logged as sent. */
static void
test_invoice_mail_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  gint64 no_address = add_person (fixture, &people[2]);   /* 佐藤 次郎 */
  gint64 refused = add_person (fixture, &people[3]);
  gint64 no_address_account = charge_to_account (fixture, no_address);
  gint64 refused_account = charge_to_account (fixture, refused);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GError) error = NULL;
  char *address;

  get_period (&from, &to);
  address = joren_invoice_mail_send (fixture->db, no_address_account, from, to, 0, &error);
  g_assert_null (address);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "佐藤 次郎"));
  g_test_message ("no address: %s", error->message);
  g_clear_error (&error);

  address = joren_invoice_mail_send (fixture->db, refused_account, from, to, 0, &error);
  g_assert_null (address);
  g_assert_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID);
  g_clear_error (&error);

  joren_db_set_setting (fixture->db, "mail.host", "", &error);
  g_assert_no_error (error);
  address = joren_invoice_mail_send (fixture->db, refused_account, from, to, 0, &error);
  g_assert_null (address);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_test_message ("no server: %s", error->message);

  received = read_received (fixture);
  g_assert_cmpuint (received->len, ==, 0);
  g_assert_cmpuint (count_exports (fixture, no_address), ==, 0);
  g_assert_cmpuint (count_exports (fixture, refused), ==, 0);
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
  g_test_add_func ("/joren/devices/mail/attachment", test_attachment);
  g_test_add_func ("/joren/devices/mail/attachment-no-text", test_attachment_no_text);
  g_test_add ("/joren/data/promotion/send", Fixture, "smtp", fixture_set_up,
              test_promotion_send, fixture_tear_down);
  g_test_add ("/joren/data/promotion/unsubscribe", Fixture, "smtp", fixture_set_up,
              test_unsubscribe, fixture_tear_down);
  g_test_add ("/joren/data/promotion/best-top-n", Fixture, NULL, fixture_set_up,
              test_best_top_n, fixture_tear_down);
  g_test_add ("/joren/data/promotion/birthdays", Fixture, "smtp", fixture_set_up,
              test_birthdays, fixture_tear_down);
  g_test_add ("/joren/data/invoice-mail/send", Fixture, "smtp", fixture_set_up,
              test_invoice_mail, fixture_tear_down);
  g_test_add ("/joren/data/invoice-mail/refused", Fixture, "smtp", fixture_set_up,
              test_invoice_mail_refused, fixture_tear_down);
  g_test_add ("/joren/devices/labels/sheet", Fixture, NULL, fixture_set_up,
              test_labels_sheet, fixture_tear_down);
  g_test_add ("/joren/data/promotion/postcards", Fixture, NULL, fixture_set_up,
              test_postcard_promotion, fixture_tear_down);
  return g_test_run ();
}
