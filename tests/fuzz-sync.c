/* fuzz-sync.c: a libFuzzer target for what joren-server does with the
 * bytes a client sends, without sockets. The first byte picks the
 * handler, the rest is the body: a push batch (decoded strictly, then
 * applied to a real server database in memory, so the inbox, sequence
 * and sale code run on whatever decodes), a pairing request, the
 * client's decoders of pull and push answers, and the member page's form
 * and Accept-Language parsing. Built only with clang
 * (-fsanitize=fuzzer); scripts/run-tests.sh runs it for a minute over
 * the seeds in tests/fuzz/corpus/. */
#include "config.h"

#include <string.h>

#include "joren-server-db.h"
#include "joren-server-member-page.h"

enum {
  TARGET_OPS,
  TARGET_PAIR,
  TARGET_CHANGES,
  TARGET_RESULTS,
  TARGET_FORM,
  N_TARGETS
};

static JorenServerDb *db;
static gint64 register_id;

static const JorenSyncField pair_fields[] = {
  { "code", JOREN_SYNC_FIELD_STRING, TRUE },
  { "name", JOREN_SYNC_FIELD_STRING, TRUE },
};

static gint64
pair_register (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *token = NULL;
  gint64 id = 0, store_id = 0;

  code = joren_server_db_new_pairing_code (db, 1, 3600, &error);
  g_assert_no_error (error);
  token = joren_server_db_pair (db, code, "Fuzz", &id, &store_id, &error);
  g_assert_no_error (error);
  return id;
}

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
  db = joren_server_db_open (":memory:", &error);
  g_assert_no_error (error);
  joren_server_db_add_store (db, "Fuzz store", &error);
  g_assert_no_error (error);
  register_id = pair_register ();
  return 0;
}

static void
fuzz_ops (const char *body,
          gsize       length)
{
  g_autoptr(GPtrArray) ops = joren_sync_decode_ops (body, length, NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 next_seq = 0;

  if (ops == NULL || ops->len == 0)
    return;
  results = joren_server_db_apply_ops (db, register_id, ops, &next_seq, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, ops->len);
  g_free (joren_sync_encode_results (results, next_seq));
}

/* Like handle_pair: the code is checked against the real table. */
static void
fuzz_pair (const char *body,
           gsize       length)
{
  g_autoptr(cJSON) json = joren_sync_parse_json (body, length, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 id = 0, store_id = 0;

  if (json == NULL
      || !joren_sync_check_object (json, "the request", pair_fields, G_N_ELEMENTS (pair_fields), NULL))
    return;
  token = joren_server_db_pair (db, joren_sync_get_string (json, "code"),
                                joren_sync_get_string (json, "name"), &id, &store_id, &error);
  g_assert_null (token);
}

static void
fuzz_form (const char *body,
           gsize       length)
{
  g_autoptr(GHashTable) form = g_uri_parse_params (body, (gssize) length, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_autofree char *header = g_strndup (body, length);
  const char *code = joren_server_member_page_choose_language (NULL, NULL, header);

  g_assert_nonnull (code);
  if (form != NULL && g_hash_table_lookup (form, "card") != NULL)
    joren_server_member_card_is_valid (g_hash_table_lookup (form, "card"));
}

static void
fuzz_changes (const char *body,
              gsize       length)
{
  g_autoptr(JorenSyncChanges) changes = joren_sync_decode_changes (body, length, NULL);
}

static void
fuzz_results (const char *body,
              gsize       length)
{
  gint64 next_seq = 0;
  g_autoptr(GPtrArray) results = joren_sync_decode_results (body, length, &next_seq, NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *body = (const char *) data + 1;
  gsize length = size - 1;

  if (size < 1)
    return 0;
  switch (data[0] % N_TARGETS)
    {
    case TARGET_OPS:
      fuzz_ops (body, length);
      break;
    case TARGET_PAIR:
      fuzz_pair (body, length);
      break;
    case TARGET_CHANGES:
      fuzz_changes (body, length);
      break;
    case TARGET_RESULTS:
      fuzz_results (body, length);
      break;
    default:
      fuzz_form (body, length);
      break;
    }
  return 0;
}
