/* test-sync-protocol.c: the sync wire format without a network: the
 * canonical encoding and its SHA-256 against a hash computed by
 * sha256sum, strict decoding of ops (unknown fields, wrong types,
 * fractions, a payload that does not match its hash), and round trips
 * of ops, results and sale payloads, one made from a real committed
 * sale of the demo shop; the changes feed's own JSON reader against
 * cJSON. */
#include "config.h"

#include <string.h>

#include "joren-sale-db.h"
#include "joren-sync-protocol.h"
#include "joren-test-utils.h"

static char *
canonical (const char *json_text,
           GError    **error)
{
  g_autoptr(cJSON) json = cJSON_Parse (json_text);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_nonnull (json);
  if (!joren_sync_write_canonical (out, json, error))
    return NULL;
  return g_strdup (out->str);
}

static void
test_canonical (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = canonical ("{ \"z\": {\"k\": 9007199254740992},"
                                     " \"b\": \"x\\\"y\\\\z\\n\\u0001é\", \"a\": [1, -2.0, true, null] }",
                                     &error);
  g_autofree char *fraction = NULL;
  g_autofree char *too_big = NULL;
  g_autoptr(cJSON) json = NULL;
  g_autofree char *hash = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "{\"a\":[1,-2,true,null],\"b\":\"x\\\"y\\\\z\\n\\u0001é\","
                             "\"z\":{\"k\":9007199254740992}}");
  json = cJSON_Parse (text);
  hash = joren_sync_hash_payload (json, &error);
  g_assert_no_error (error);
  /* printf '%s' '<the text above>' | sha256sum */
  g_assert_cmpstr (hash, ==, "b7f7806c2af8dd4f5c6866c9cda633929b874ab1354cf17d4a43c6806bda02ac");

  fraction = canonical ("{\"price\": 1.5}", &error);
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID);
  g_assert_null (fraction);
  g_clear_error (&error);
  too_big = canonical ("[18014398509481984]", &error);
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID);
  g_assert_null (too_big);
}

static JorenSyncOp *
new_sale_op (gint64 seq)
{
  g_autofree char *op_id = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  cJSON *payload = cJSON_Parse ("{\"uuid\":\"6f1c1c1e-8d6e-4a8e-9c55-0d8b7c1f2a10\","
                                "\"receipt_no\":\"R1-000001\",\"created_at\":1779000000000000,"
                                "\"staff_id\":3,\"total\":1100,\"tax_total\":100,"
                                "\"lines\":[{\"product_id\":1,\"name\":\"抹茶ラテ\",\"qty\":2,"
                                "\"unit_price\":550,\"amount\":1100,\"rate_bp\":1000}],"
                                "\"tenders\":[{\"kind\":\"cash\",\"amount\":2000}]}");
  JorenSyncOp *op = joren_sync_op_new (op_id, seq, "sale", payload, &error);

  g_assert_no_error (error);
  return op;
}

static void
test_ops_round_trip (void)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_op_free);
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JorenSyncSale) sale = NULL;

  g_ptr_array_add (ops, new_sale_op (1));
  g_ptr_array_add (ops, new_sale_op (2));
  body = joren_sync_encode_ops (ops);
  decoded = joren_sync_decode_ops (body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decoded->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const JorenSyncOp *a = g_ptr_array_index (ops, i);
      const JorenSyncOp *b = g_ptr_array_index (decoded, i);

      g_assert_cmpstr (a->op_id, ==, b->op_id);
      g_assert_cmpint (a->seq, ==, b->seq);
      g_assert_cmpstr (a->payload_hash, ==, b->payload_hash);
    }

  sale = joren_sync_sale_from_json (((JorenSyncOp *) g_ptr_array_index (decoded, 0))->payload, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sale->created_at, ==, G_GINT64_CONSTANT (1779000000000000));
  g_assert_cmpuint (sale->lines->len, ==, 1);
  g_assert_cmpstr (g_array_index (sale->lines, JorenSyncSaleLine, 0).name, ==, "抹茶ラテ");
  g_assert_cmpint (g_array_index (sale->tenders, JorenSyncTender, 0).amount, ==, 2000);
}

/* Each body must be refused with INVALID, none may crash. */
static void
test_ops_strict (void)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_op_free);
  g_autofree char *good = NULL;
  g_autofree char *tampered = NULL;
  g_autofree char *upper = NULL;
  const char *bodies[] = {
    "", "{", "null", "[]", "{\"ops\":{}}", "{\"ops\":[1]}", "{\"ops\":[],\"x\":0}",
    "{\"ops\":[{\"op_id\":\"a\",\"seq\":1,\"kind\":\"sale\",\"payload\":{},\"payload_hash\":\"\"}]}",
    "{\"ops\":[]} {}",
    NULL, NULL,
  };

  g_ptr_array_add (ops, new_sale_op (1));
  good = joren_sync_encode_ops (ops);
  /* The payload changed but not its hash. */
  tampered = g_strdup (good);
  memcpy (strstr (tampered, "\"total\":1100"), "\"total\":1199", 12);
  bodies[9] = tampered;
  /* Upper-case op ids are refused: one op, one spelling. */
  upper = g_strdup (good);
  for (char *p = strstr (upper, "\"op_id\":\"") + 9; *p != '"'; p++)
    *p = g_ascii_toupper (*p);
  bodies[10] = upper;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) decoded = joren_sync_decode_ops (bodies[i], strlen (bodies[i]), &error);

      g_test_message ("body %u", i);
      g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID);
      g_assert_null (decoded);
    }
}

static void
test_sale_strict (void)
{
  const char *payloads[] = {
    "{}",
    "{\"uuid\":\"6f1c1c1e-8d6e-4a8e-9c55-0d8b7c1f2a10\",\"receipt_no\":\"R\",\"created_at\":1,"
    "\"staff_id\":1,\"total\":1,\"tax_total\":0,\"lines\":[],\"tenders\":[]}",
    "{\"uuid\":\"6f1c1c1e-8d6e-4a8e-9c55-0d8b7c1f2a10\",\"receipt_no\":\"R\",\"created_at\":1,"
    "\"staff_id\":1,\"total\":1,\"tax_total\":0,\"lines\":[{\"product_id\":1,\"name\":\"x\","
    "\"qty\":1,\"unit_price\":1,\"amount\":1,\"rate_bp\":1000,\"discount\":5}],\"tenders\":[]}",
    "{\"uuid\":\"6f1c1c1e-8d6e-4a8e-9c55-0d8b7c1f2a10\",\"receipt_no\":\"R\",\"created_at\":1,"
    "\"staff_id\":1,\"total\":1,\"tax_total\":0,\"lines\":[{\"product_id\":1,\"name\":\"x\","
    "\"qty\":1,\"unit_price\":1,\"amount\":1,\"rate_bp\":1000}],\"tenders\":[{\"kind\":\"gold\",\"amount\":1}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autoptr(cJSON) json = cJSON_Parse (payloads[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(JorenSyncSale) sale = joren_sync_sale_from_json (json, &error);

      g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID);
      g_assert_null (sale);
    }
}

static void
test_results_round_trip (void)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_result_free);
  JorenSyncResult *gap = g_new0 (JorenSyncResult, 1);
  JorenSyncResult *applied = g_new0 (JorenSyncResult, 1);
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gint64 next_seq = 0;
  const JorenSyncResult *back;

  applied->op_id = g_uuid_string_random ();
  applied->status = JOREN_SYNC_APPLIED;
  gap->op_id = g_uuid_string_random ();
  gap->status = JOREN_SYNC_REJECTED;
  gap->reason = g_strdup ("sequence_gap");
  gap->message = g_strdup ("send 7 first");
  gap->expected_seq = 7;
  g_ptr_array_add (results, applied);
  g_ptr_array_add (results, gap);
  body = joren_sync_encode_results (results, 7);
  decoded = joren_sync_decode_results (body, strlen (body), &next_seq, &error);
  g_assert_no_error (error);
  g_assert_cmpint (next_seq, ==, 7);
  g_assert_cmpuint (decoded->len, ==, 2);
  back = g_ptr_array_index (decoded, 1);
  g_assert_cmpint (back->status, ==, JOREN_SYNC_REJECTED);
  g_assert_cmpstr (back->reason, ==, "sequence_gap");
  g_assert_cmpint (back->expected_seq, ==, 7);
  g_assert_cmpint (((JorenSyncResult *) g_ptr_array_index (decoded, 0))->status, ==, JOREN_SYNC_APPLIED);
}

/* A sale as the till commits it becomes a payload the server accepts,
 * with the same money, and its hash survives a trip through the wire. */
static void
test_sale_from_domain (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenSale) sale = joren_test_new_sale (db, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(cJSON) payload = NULL;
  g_autoptr(cJSON) again = NULL;
  g_autoptr(JorenSyncSale) decoded = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *hash = NULL;
  g_autofree char *hash_again = NULL;
  gint64 sum = 0;

  joren_test_pay_cash (sale, 500);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
  payload = joren_sync_sale_to_json (sale);
  decoded = joren_sync_sale_from_json (payload, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded->uuid, ==, joren_sale_get_uuid (sale));
  g_assert_cmpstr (decoded->receipt_no, ==, joren_sale_get_receipt_no (sale));
  g_assert_cmpint (decoded->total, ==, joren_sale_get_total (sale));
  g_assert_cmpint (decoded->tax_total, ==, joren_sale_get_tax_total (sale));
  g_assert_cmpuint (decoded->lines->len, ==, joren_sale_get_n_lines (sale));
  for (guint i = 0; i < decoded->lines->len; i++)
    sum += g_array_index (decoded->lines, JorenSyncSaleLine, i).amount;
  g_assert_cmpint (sum, ==, joren_sale_get_total (sale));  /* the jp demo prices include tax */
  g_assert_cmpint (g_array_index (decoded->tenders, JorenSyncTender, 0).amount, ==,
                   joren_sale_get_total (sale) + 500);
  g_assert_cmpint (decoded->created_at, ==,
                   g_date_time_to_unix (joren_sale_get_created_at (sale)) * G_USEC_PER_SEC
                   + g_date_time_get_microsecond (joren_sale_get_created_at (sale)));

  hash = joren_sync_hash_payload (payload, &error);
  g_assert_no_error (error);
  joren_sync_write_canonical (text, payload, &error);
  again = cJSON_Parse (text->str);
  hash_again = joren_sync_hash_payload (again, &error);
  g_assert_cmpstr (hash, ==, hash_again);
}

/* The feed's reader builds the tree cJSON builds (printed alike, the
 * same numbers), from a buffer it copies: the text may go first. */
static void
check_arena_like_cjson (const char *text)
{
  g_autoptr(JorenJsonArena) arena = joren_json_arena_new ();
  g_autofree char *copy = g_strdup (text);
  g_autofree char *value = g_strchomp (g_strdup (text));
  g_autoptr(cJSON) expected = cJSON_Parse (text);
  g_autofree char *expected_text = cJSON_PrintUnformatted (expected);
  g_autofree char *got_text = NULL;
  const cJSON *got, *a, *b;
  gsize end = 0;

  got = joren_json_arena_parse (arena, copy, strlen (copy), &end);
  g_clear_pointer (&copy, g_free);
  g_assert_nonnull (got);
  g_assert_cmpuint (end, ==, strlen (value));   /* just past the value */
  got_text = cJSON_PrintUnformatted (got);
  g_assert_cmpstr (got_text, ==, expected_text);
  for (a = got->child, b = expected->child; a != NULL && b != NULL; a = a->next, b = b->next)
    {
      g_assert_cmpint (a->type, ==, b->type);
      g_assert_cmpint (a->valueint, ==, b->valueint);
      g_assert_true (a->valuedouble == b->valuedouble);
    }
  g_assert_true (a == NULL && b == NULL);
  /* cJSON's links: the first item's prev is the last. */
  g_assert_true (got->child == NULL || got->child->prev->next == NULL);
}

static void
test_arena_json (void)
{
  const char *valid[] = {
    "{}", "[]", " [ ] ", "[0, -0, 7, -42, 1.5, -2e3, 1E+2, 2.5e-3, 1795469311735463]",
    "[9007199254740993, 123456789012345678, 1234567890123456789, 3000000000, -3000000000]",
    "[true, false, null, \"\", \"a\"]",
    "{\"k\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"u\": \"\\u00e9\\u30ab\\ud83d\\ude00\", \"raw\": \"カé😀\"}",
    "{\"a\": {\"b\": [1, {\"c\": [[], {}]}]}, \"a\": 2}",
    "\t{\"changes\":[{\"cursor\":1,\"entity\":\"customer\",\"id\":1,\"op\":\"upsert\"}]}\r\n",
  };
  const char *malformed[] = {
    "", " ", "{", "[1,]", "[,1]", "{\"a\"}", "{\"a\":1,}", "{a:1}", "01", "1.", ".5", "-", "+1",
    "1e", "1e+", "0x10", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"\\udc00\"",
    "\"\\u0000\"", "\"a\nb\"", "\"open", "tru", "nul", "falsey", "[1 2]", "{\"a\" 1}",
  };
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    check_arena_like_cjson (valid[i]);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(JorenJsonArena) arena = joren_json_arena_new ();
      gsize end = 0;
      const cJSON *json = joren_json_arena_parse (arena, malformed[i], strlen (malformed[i]), &end);

      /* A value followed by more is the caller's to refuse ("falsey"). */
      if (json != NULL)
        g_assert_cmpuint (end, <, strlen (malformed[i]));
    }
  /* cJSON's nesting limit. */
  for (guint depth = 0; depth < CJSON_NESTING_LIMIT; depth++)
    g_string_append_c (deep, '[');
  for (guint depth = 0; depth < CJSON_NESTING_LIMIT; depth++)
    g_string_append_c (deep, ']');
  check_arena_like_cjson (deep->str);
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  {
    g_autoptr(JorenJsonArena) arena = joren_json_arena_new ();
    gsize end = 0;

    g_assert_null (joren_json_arena_parse (arena, deep->str, deep->len, &end));
  }
}

/* A page of the feed: its changes, each kept with the page; a page that
 * is no JSON, or has more after it, is refused. */
static void
test_decode_changes (void)
{
  const char *page = "{\"changes\":[{\"cursor\":7,\"data\":{\"name\":\"K\\u00e9\",\"price\":450},"
                     "\"entity\":\"product\",\"id\":3,\"op\":\"upsert\"},"
                     "{\"cursor\":9,\"entity\":\"staff\",\"id\":2,\"op\":\"delete\"}],"
                     "\"cursor\":9,\"more\":true}";
  const char *refused[] = {
    "", "{\"changes\":[],\"cursor\":0,\"more\":false} x", "{\"changes\":[],\"cursor\":0,\"more\":false",
    "{\"changes\":[{\"cursor\":1,\"entity\":\"staff\",\"id\":2,\"op\":\"upsert\"}],\"cursor\":1,\"more\":false}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSyncChanges) changes = joren_sync_decode_changes (page, strlen (page), &error);
  const JorenSyncChange *product, *staff;

  g_assert_no_error (error);
  g_assert_cmpint (changes->cursor, ==, 9);
  g_assert_true (changes->more);
  g_assert_cmpuint (changes->changes->len, ==, 2);
  product = g_ptr_array_index (changes->changes, 0);
  staff = g_ptr_array_index (changes->changes, 1);
  g_assert_cmpint (product->cursor, ==, 7);
  g_assert_cmpstr (product->entity, ==, "product");
  g_assert_cmpint (product->id, ==, 3);
  g_assert_false (product->deleted);
  g_assert_cmpstr (joren_json_get_string (product->data, "name"), ==, "Ké");
  g_assert_cmpint (joren_json_get_int (product->data, "price", 0), ==, 450);
  g_assert_cmpstr (staff->entity, ==, "staff");
  g_assert_true (staff->deleted);
  g_assert_null (staff->data);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(JorenSyncChanges) none = joren_sync_decode_changes (refused[i], strlen (refused[i]), &error);

      g_assert_null (none);
      g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID);
      g_clear_error (&error);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/sync/protocol/canonical", test_canonical);
  g_test_add_func ("/joren/sync/protocol/ops-round-trip", test_ops_round_trip);
  g_test_add_func ("/joren/sync/protocol/ops-strict", test_ops_strict);
  g_test_add_func ("/joren/sync/protocol/sale-strict", test_sale_strict);
  g_test_add_func ("/joren/sync/protocol/results-round-trip", test_results_round_trip);
  g_test_add_func ("/joren/sync/protocol/sale-from-domain", test_sale_from_domain);
  g_test_add_func ("/joren/sync/protocol/arena-json", test_arena_json);
  g_test_add_func ("/joren/sync/protocol/decode-changes", test_decode_changes);
  return g_test_run ();
}
