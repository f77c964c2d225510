/* test-customer.c: customers in a real SQLite file: registration with
 * gapless member numbers, cards, normalised phones and their duplicates,
 * the till's lookups (card, phone, last four digits, name or reading),
 * sales attached to a customer, the reception summary and the hint. */
#include <string.h>

#include "joren-customer-admin.h"
#include "joren-customer-private.h"
#include "joren-db-private.h"
#include "joren-points.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"

static JorenCustomer *
new_customer (const char *name,
              const char *reading,
              const char *phone)
{
  JorenCustomer *customer = joren_customer_new ();

  customer->name = g_strdup (name);
  customer->reading = g_strdup (reading);
  if (phone != NULL)
    joren_customer_add_phone (customer, phone);
  return customer;
}

static JorenCustomer *
add_customer (JorenDb    *db,
              const char *name,
              const char *reading,
              const char *phone)
{
  g_autoptr(GError) error = NULL;
  JorenCustomer *customer = new_customer (name, reading, phone);

  joren_customer_add (db, customer, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (customer->id, >, 0);
  return customer;
}

static void
assert_names (GPtrArray  *customers,
              const char *expected)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < customers->len; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? "," : "",
                            ((JorenCustomer *) g_ptr_array_index (customers, i))->name);
  g_assert_cmpstr (names->str, ==, expected);
}

static void
test_add_get (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) customer = new_customer ("山田 太郎", "やまだ たろう", "090-1234-5678");
  g_autoptr(JorenCustomer) loaded = NULL;

  customer->email = g_strdup ("taro@example.jp");
  customer->birthday = g_strdup ("1985-04-12");
  customer->postal_code = g_strdup ("150-0001");
  customer->address = g_strdup ("東京都渋谷区神宮前1-1-1");
  customer->consent_email = TRUE;
  customer->consent_sms = TRUE;
  customer->notes = g_strdup ("Oat milk, no sugar");
  joren_customer_add_card (customer, "2900000000017", JOREN_CARD_BARCODE);
  joren_customer_add_card (customer, "04A1B2C3D4E5F6", JOREN_CARD_RFID);
  joren_customer_add (db, customer, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (customer->member_no, ==, "R1-M000001");
  g_assert_cmpstr (customer->store, ==, "R1");

  loaded = joren_customer_get (db, customer->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->member_no, ==, "R1-M000001");
  g_assert_cmpstr (loaded->name, ==, "山田 太郎");
  /* The reading is kept in katakana, whatever was typed. */
  g_assert_cmpstr (loaded->reading, ==, "ヤマダ タロウ");
  g_assert_cmpstr (loaded->email, ==, "taro@example.jp");
  g_assert_cmpstr (loaded->birthday, ==, "1985-04-12");
  g_assert_cmpstr (loaded->postal_code, ==, "150-0001");
  g_assert_cmpstr (loaded->address, ==, "東京都渋谷区神宮前1-1-1");
  g_assert_true (loaded->consent_email);
  g_assert_false (loaded->consent_post);
  g_assert_true (loaded->consent_sms);
  g_assert_cmpstr (loaded->notes, ==, "Oat milk, no sugar");
  g_assert_cmpuint (loaded->tier, ==, 0);
  g_assert_nonnull (loaded->created_at);
  g_assert_cmpuint (loaded->phones->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (loaded->phones, 0), ==, "090-1234-5678");
  g_assert_cmpuint (loaded->cards->len, ==, 2);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_phones"
                                             " WHERE phone = '+819012345678'"
                                             " AND last4 = '5678'"), ==, 1);

  g_assert_null (joren_customer_get (db, 999, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
}

static void
test_member_numbers (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) first = add_customer (db, "A", "ア", NULL);
  g_autoptr(JorenCustomer) clash = new_customer ("B", "ビ", NULL);
  g_autoptr(JorenCustomer) other_store = new_customer ("C", "シ", NULL);
  g_autoptr(JorenCustomer) second = NULL;

  joren_customer_add_card (first, "CARD-1", JOREN_CARD_QR);
  joren_customer_update (db, first, FALSE, &error);
  g_assert_no_error (error);

  /* A failed registration gives its number back: no hole. */
  joren_customer_add_card (clash, "CARD-1", JOREN_CARD_QR);
  g_assert_false (joren_customer_add (db, clash, FALSE, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "R1-M000001"));
  g_assert_cmpint (clash->id, ==, 0);
  g_assert_null (clash->member_no);
  g_clear_error (&error);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers"), ==, 1);

  second = add_customer (db, "D", "デ", NULL);
  g_assert_cmpstr (second->member_no, ==, "R1-M000002");
  other_store->store = g_strdup ("S2");
  joren_customer_add (db, other_store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (other_store->member_no, ==, "S2-M000001");
}

static void
test_cards (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) hana = add_customer (db, "Hana", "ハナ", NULL);
  g_autoptr(JorenCustomer) kenji = add_customer (db, "Kenji", "ケンジ", NULL);
  g_autoptr(JorenCustomer) found = NULL;

  /* An unknown card: the till offers to register it. */
  g_assert_null (joren_customer_find_by_card (db, "04AABBCCDD", &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  joren_customer_register_card (db, hana->id, "04AABBCCDD", JOREN_CARD_RFID, &error);
  g_assert_no_error (error);
  found = joren_customer_find_by_card (db, "04AABBCCDD", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, hana->id);
  g_assert_cmpuint (found->cards->len, ==, 1);
  g_assert_cmpint (((JorenCustomerCard *) g_ptr_array_index (found->cards, 0))->kind, ==,
                   JOREN_CARD_RFID);

  /* One card, one customer. */
  g_assert_false (joren_customer_register_card (db, kenji->id, "04AABBCCDD",
                                                JOREN_CARD_RFID, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, hana->member_no));
}

static void
test_phones (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) taro = add_customer (db, "Taro", "タロウ", "090-1234-5678");
  g_autoptr(JorenCustomer) jiro = new_customer ("Jiro", "ジロウ", "+81 90 1234 5678");
  g_autoptr(JorenCustomer) bad = new_customer ("Bad", "バッド", "1234");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) both = NULL;

  /* Every spelling finds the same customer. */
  found = joren_customer_find_by_phone (db, "09012345678", &error);
  g_assert_no_error (error);
  assert_names (found, "Taro");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = joren_customer_find_by_phone (db, "+81 90 1234 5678", &error);
  g_assert_no_error (error);
  assert_names (found, "Taro");

  /* The same number again is flagged with the other member's number ... */
  g_assert_false (joren_customer_add (db, jiro, FALSE, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, taro->member_no));
  g_clear_error (&error);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers"), ==, 1);
  /* ... and registered only when the cashier says so, never merged. */
  joren_customer_add (db, jiro, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (jiro->id, !=, taro->id);
  both = joren_customer_find_by_phone (db, "090 1234 5678", &error);
  g_assert_no_error (error);
  assert_names (both, "Taro,Jiro");

  /* Updating a customer does not flag its own number. */
  joren_customer_add_phone (taro, "03-1234-5678");
  joren_customer_update (db, taro, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customer_phones"), ==, 3);

  g_assert_false (joren_customer_add (db, bad, FALSE, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM customers"), ==, 2);
}

static void
test_last4 (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) a = add_customer (db, "Watanabe", "ワタナベ", "090-1111-5678");
  g_autoptr(JorenCustomer) b = add_customer (db, "Abe", "アベ", "080-2222-5678");
  g_autoptr(JorenCustomer) c = add_customer (db, "Kato", "カトウ", "03-3333-5678");
  g_autoptr(JorenCustomer) d = add_customer (db, "Ito", "イトウ", "090-4444-1234");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) first_two = NULL;
  g_autoptr(GPtrArray) none = NULL;

  /* The pick list, in reading (gojūon) order. */
  list = joren_customer_find_by_last4 (db, "5678", 20, &error);
  g_assert_no_error (error);
  assert_names (list, "Abe,Kato,Watanabe");
  /* A limit takes the first matches the phone index holds (never a scan
   * of every match), still shown in reading order. */
  first_two = joren_customer_find_by_last4 (db, "５６７８", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first_two->len, ==, 2);
  g_assert_cmpint (strcmp (((JorenCustomer *) g_ptr_array_index (first_two, 0))->reading,
                           ((JorenCustomer *) g_ptr_array_index (first_two, 1))->reading), <, 0);
  none = joren_customer_find_by_last4 (db, "9999", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_null (joren_customer_find_by_last4 (db, "56", 20, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);

  /* A customer with a second number ending alike is listed once, and
   * the list shows the number that matched, not just the first one. */
  joren_customer_add_phone (d, "03-5555-5678");
  joren_customer_add_phone (d, "090-6666-5678");
  joren_customer_update (db, d, FALSE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = joren_customer_find_by_last4 (db, "5678", 20, &error);
  g_assert_no_error (error);
  assert_names (list, "Abe,Ito,Kato,Watanabe");
  g_assert_cmpuint (((JorenCustomer *) g_ptr_array_index (list, 1))->phones->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (((JorenCustomer *) g_ptr_array_index (list, 1))->phones, 0),
                   ==, "03-5555-5678");
}

static void
test_name_and_reading (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) a = add_customer (db, "山本 花子", "ヤマモト ハナコ", NULL);
  g_autoptr(JorenCustomer) b = add_customer (db, "山田 太郎", "やまだ たろう", NULL);
  g_autoptr(JorenCustomer) c = add_customer (db, "Müller", "Mueller", NULL);
  g_autoptr(JorenCustomer) d = add_customer (db, "Miller", "", NULL);
  g_autoptr(JorenCustomer) e = add_customer (db, "田中 一郎", "ﾀﾅｶ ｲﾁﾛｳ", NULL);
  g_autoptr(GPtrArray) yama = NULL;
  g_autoptr(GPtrArray) yamada = NULL;
  g_autoptr(GPtrArray) kanji = NULL;
  g_autoptr(GPtrArray) latin = NULL;
  g_autoptr(GPtrArray) tanaka = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) limited = NULL;

  /* Hiragana, katakana and half-width katakana find each other. */
  yama = joren_customer_find_by_name (db, "やま", 20, &error);
  g_assert_no_error (error);
  assert_names (yama, "山田 太郎,山本 花子");
  yamada = joren_customer_find_by_name (db, "ヤマダ", 20, &error);
  g_assert_no_error (error);
  assert_names (yamada, "山田 太郎");
  tanaka = joren_customer_find_by_name (db, "たなか", 20, &error);
  g_assert_no_error (error);
  assert_names (tanaka, "田中 一郎");
  /* The name itself, case-insensitively for Latin letters. */
  kanji = joren_customer_find_by_name (db, "山本", 20, &error);
  g_assert_no_error (error);
  assert_names (kanji, "山本 花子");
  latin = joren_customer_find_by_name (db, "mü", 20, &error);
  g_assert_no_error (error);
  assert_names (latin, "Müller");
  none = joren_customer_find_by_name (db, "mx", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  limited = joren_customer_find_by_name (db, "M", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (limited->len, ==, 1);
}

/* The first (only) phone a pick-list entry shows, or "". */
static const char *
pick_phone (GPtrArray *list,
            guint      i)
{
  const JorenCustomer *pick = g_ptr_array_index (list, i);

  return pick->phones->len > 0 ? g_ptr_array_index (pick->phones, 0) : "";
}

/* The pick lists read copies (013-pick.sql): a rename, a new or removed
 * phone and a merge all show in them at once. */
static void
test_pick_copies (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) a = add_customer (db, "Sato", "サトウ", "090-1111-2468");
  g_autoptr(JorenCustomer) b = add_customer (db, "Abe", "アベ", "080-2222-2468");
  g_autoptr(JorenCustomer) c = add_customer (db, "Sasaki", "ササキ", NULL);
  g_autoptr(GPtrArray) list = NULL;
  gint64 staff = joren_test_query_int (db, "SELECT min (id) FROM staff");

  /* Renamed: the last-4 list has the new name, in its new place. */
  g_free (a->name);
  g_free (a->reading);
  a->name = g_strdup ("Aoki");
  a->reading = g_strdup ("アオキ");
  joren_customer_update (db, a, FALSE, &error);
  g_assert_no_error (error);
  list = joren_customer_find_by_last4 (db, "2468", 20, &error);
  g_assert_no_error (error);
  assert_names (list, "Aoki,Abe");
  g_assert_cmpstr (((JorenCustomer *) g_ptr_array_index (list, 0))->member_no, ==, a->member_no);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A customer without a phone shows none; one added shows, and of two
   * the first by number. */
  list = joren_customer_find_by_name (db, "ささき", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pick_phone (list, 0), ==, "");
  g_clear_pointer (&list, g_ptr_array_unref);
  joren_customer_add_phone (c, "090-5555-1357");
  joren_customer_add_phone (c, "03-4444-1357");
  joren_customer_update (db, c, FALSE, &error);
  g_assert_no_error (error);
  list = joren_customer_find_by_name (db, "Sasaki", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pick_phone (list, 0), ==, "03-4444-1357");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = joren_customer_find_by_last4 (db, "1357", 20, &error);
  g_assert_no_error (error);
  assert_names (list, "Sasaki");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_ptr_array_set_size (c->phones, 0);
  joren_customer_update (db, c, FALSE, &error);
  g_assert_no_error (error);
  list = joren_customer_find_by_name (db, "Sasaki", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pick_phone (list, 0), ==, "");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Merged: Abe's number now finds Aoki, listed once. */
  joren_customer_merge (db, staff, a->id, b->id, &error);
  g_assert_no_error (error);
  list = joren_customer_find_by_last4 (db, "2468", 20, &error);
  g_assert_no_error (error);
  assert_names (list, "Aoki");
  g_assert_cmpstr (pick_phone (list, 0), ==, "080-2222-2468");
}

static char *
query_plan (JorenDb    *db,
            const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *plan = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (joren_db_get_handle (db), explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  g_test_message ("%s", plan->str);
  return g_string_free (plan, FALSE);
}

/* The pick lists' own statements: each a range of a covering index (no
 * customer row or phone read per match, never a full scan); the last-4
 * list needs no sort either. */
static void
test_pick_lists_use_index (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autofree char *last4 = query_plan (db, joren_customer_last4_sql);
  g_autofree char *name = query_plan (db, joren_customer_name_sql);

  g_assert_nonnull (strstr (last4, "COVERING INDEX customer_phones_last4 (last4=?)"));
  g_assert_null (strstr (last4, "TEMP B-TREE"));
  g_assert_nonnull (strstr (name, "COVERING INDEX customers_name (name>? AND name<?)"));
  g_assert_nonnull (strstr (name, "COVERING INDEX customers_reading (reading>? AND reading<?)"));
  g_assert_null (strstr (name, "SCAN customers"));
}

static void
test_update_and_birthday (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("de");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) anna = add_customer (db, "Anna Schmidt", "", "0171 1234567");
  g_autoptr(JorenCustomer) loaded = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_free (anna->name);
  anna->name = g_strdup ("Anna Weber");
  anna->consent_post = TRUE;
  g_ptr_array_set_size (anna->phones, 0);
  joren_customer_add_phone (anna, "+49 40 46656570");
  joren_customer_update (db, anna, FALSE, &error);
  g_assert_no_error (error);
  loaded = joren_customer_get (db, anna->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->name, ==, "Anna Weber");
  g_assert_true (loaded->consent_post);
  /* German shop: a national number is +49. */
  found = joren_customer_find_by_phone (db, "040 466 565 70", &error);
  g_assert_no_error (error);
  assert_names (found, "Anna Weber");

  anna->birthday = g_strdup ("1990-02-30");
  g_assert_false (joren_customer_update (db, anna, FALSE, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
}

/* Commits a sale of n products for the customer; returns it. */
static JorenSale *
commit_sale_for (JorenDb *db,
                 gint64   customer_id,
                 guint    n_products)
{
  g_autoptr(GError) error = NULL;
  JorenSale *sale = joren_test_new_sale (db, n_products);

  joren_sale_set_customer (sale, customer_id);
  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
  return sale;
}

static GDateTime *
days_from_now (gint days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_add_days (now, days);
}

static void
test_sale_and_summary (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) taro = add_customer (db, "Taro", "タロウ", NULL);
  g_autoptr(JorenCustomer) other = add_customer (db, "Other", "アザー", NULL);
  g_autoptr(JorenSale) first = commit_sale_for (db, taro->id, 3);
  g_autoptr(JorenSale) second = commit_sale_for (db, taro->id, 1);
  g_autoptr(JorenSale) stranger = commit_sale_for (db, other->id, 2);
  g_autoptr(JorenSale) loaded = NULL;
  g_autoptr(JorenSale) refund = NULL;
  g_auto(JorenCustomerSummary) summary = { 0 };
  g_auto(JorenCustomerSummary) later = { 0 };
  g_autoptr(GDateTime) in_ten_days = days_from_now (10);
  const JorenSaleLine *favourite = joren_sale_get_line (first, 2);

  loaded = joren_db_load_sale (db, joren_sale_get_receipt_no (first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_customer_id (loaded), ==, taro->id);

  joren_customer_summary (db, taro, NULL, &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.visit_count, ==, 2);
  g_assert_cmpint (summary.total_spend, ==,
                   joren_sale_get_total (first) + joren_sale_get_total (second));
  g_assert_cmpstr (summary.last_receipt_no, ==, joren_sale_get_receipt_no (second));
  g_assert_cmpint (summary.last_total, ==, joren_sale_get_total (second));
  g_assert_cmpint (summary.days_since_visit, ==, 0);
  g_assert_nonnull (summary.last_visit);
  /* Quantities 1, 2, 3 then 1 of the first product: the third line is
   * bought most, the first (1 + 1) next. */
  g_assert_cmpstr (summary.favourites[0], ==, favourite->name);
  g_assert_cmpstr (summary.favourites[1], ==, joren_sale_get_line (first, 0)->name);
  g_assert_cmpstr (summary.favourites[2], ==, joren_sale_get_line (first, 1)->name);
  g_assert_cmpint (summary.days_to_birthday, ==, -1);
  g_assert_false (summary.birthday_soon);

  /* A refund of the favourite takes its spend and units off. */
  refund = joren_db_prepare_refund (db, joren_sale_get_receipt_no (first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_customer_id (refund), ==, taro->id);
  joren_sale_add_refund_line (refund, 2, 3, &error);
  g_assert_no_error (error);
  joren_sale_set_staff (refund, joren_sale_get_staff_id (first), joren_sale_get_staff_name (first));
  joren_test_pay_cash (refund, 0);
  joren_db_commit_sale (db, refund, 0, &error);
  g_assert_no_error (error);
  joren_customer_summary (db, taro, in_ten_days, &later, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later.visit_count, ==, 2);
  g_assert_cmpint (later.total_spend, ==, summary.total_spend + joren_sale_get_total (refund));
  g_assert_cmpint (later.days_since_visit, ==, 10);
  g_assert_cmpstr (later.favourites[0], ==, joren_sale_get_line (first, 0)->name);
  g_assert_null (later.favourites[2]);
  g_assert_cmpint (joren_sale_get_total (stranger), >, 0);
}

static void
test_parked_keeps_customer (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) taro = add_customer (db, "Taro", "タロウ", NULL);
  g_autoptr(JorenSale) sale = joren_test_new_sale (db, 2);
  g_autoptr(JorenSale) recalled = NULL;
  gint64 parked;

  joren_sale_set_customer (sale, taro->id);
  parked = joren_db_park_sale (db, sale, "Table 2", &error);
  g_assert_no_error (error);
  recalled = joren_db_recall_parked (db, parked, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_customer_id (recalled), ==, taro->id);
}

static char *
hint_at (JorenDb       *db,
         JorenCustomer *customer,
         GDateTime     *now)
{
  g_autoptr(GError) error = NULL;
  g_auto(JorenCustomerSummary) summary = { 0 };

  joren_customer_summary (db, customer, now, &summary, &error);
  g_assert_no_error (error);
  return joren_customer_hint (db, customer, &summary);
}

static void
assert_hint (JorenDb       *db,
             JorenCustomer *customer,
             GDateTime     *now,
             const char    *expected_start)
{
  g_autofree char *hint = hint_at (db, customer, now);

  g_test_message ("hint: %s", hint);
  if (expected_start == NULL)
    g_assert_null (hint);
  else
    g_assert_true (hint != NULL && g_str_has_prefix (hint, expected_start));
}

static void
test_hints (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) aiko = add_customer (db, "Aiko", "アイコ", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) in_three = days_from_now (3);
  g_autoptr(GDateTime) in_61 = days_from_now (61);
  g_autoptr(GDateTime) in_59 = days_from_now (59);
  g_autofree char *birthday = g_date_time_format (in_three, "1990-%m-%d");
  g_autofree char *today = g_date_time_format (now, "1990-%m-%d");
  g_autoptr(JorenSale) s1 = NULL;
  g_autoptr(JorenSale) s2 = NULL;
  g_autoptr(JorenSale) s3 = NULL;

  assert_hint (db, aiko, NULL, "First visit");
  s1 = commit_sale_for (db, aiko->id, 1);
  assert_hint (db, aiko, NULL, NULL);
  s2 = commit_sale_for (db, aiko->id, 1);
  assert_hint (db, aiko, NULL, "Visit number 3");
  s3 = commit_sale_for (db, aiko->id, 1);

  aiko->notes = g_strdup ("Allergic to nuts\nPrefers the window seat");
  assert_hint (db, aiko, NULL, "Allergic to nuts");
  assert_hint (db, aiko, in_61, "Not seen for 61 days");
  assert_hint (db, aiko, in_59, "Allergic to nuts");
  aiko->birthday = g_strdup (birthday);
  assert_hint (db, aiko, NULL, "Birthday in 3 days");
  g_free (aiko->birthday);
  aiko->birthday = g_strdup (today);
  assert_hint (db, aiko, NULL, "Birthday today");

  /* The owner's thresholds. */
  joren_db_set_setting (db, "customer.hint_birthday_days", "2", &error);
  g_assert_no_error (error);
  joren_db_set_setting (db, "customer.hint_absent_days", "30", &error);
  g_assert_no_error (error);
  joren_db_set_setting (db, "customer.hint_regular_visit", "4", &error);
  g_assert_no_error (error);
  g_free (aiko->birthday);
  aiko->birthday = g_strdup (birthday);
  assert_hint (db, aiko, NULL, "Visit number 4");
  g_clear_object (&s3);
  s3 = commit_sale_for (db, aiko->id, 1);
  assert_hint (db, aiko, NULL, "Allergic to nuts");
  assert_hint (db, aiko, in_59, "Not seen for 59 days");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/customer/add-get", test_add_get);
  g_test_add_func ("/joren/data/customer/member-numbers", test_member_numbers);
  g_test_add_func ("/joren/data/customer/cards", test_cards);
  g_test_add_func ("/joren/data/customer/phones", test_phones);
  g_test_add_func ("/joren/data/customer/last4", test_last4);
  g_test_add_func ("/joren/data/customer/name-and-reading", test_name_and_reading);
  g_test_add_func ("/joren/data/customer/pick-copies", test_pick_copies);
  g_test_add_func ("/joren/data/customer/pick-lists-use-index", test_pick_lists_use_index);
  g_test_add_func ("/joren/data/customer/update-and-birthday", test_update_and_birthday);
  g_test_add_func ("/joren/data/customer/sale-and-summary", test_sale_and_summary);
  g_test_add_func ("/joren/data/customer/parked-keeps-customer", test_parked_keeps_customer);
  g_test_add_func ("/joren/data/customer/hints", test_hints);

  return g_test_run ();
}
