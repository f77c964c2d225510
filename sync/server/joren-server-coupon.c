/* joren-server-coupon.c: e-coupon campaigns and codes on joren-server,
 * the "coupon_campaign" and "coupon_codes" op kinds. A campaign belongs
 * to the register that created it: only that register's ops change it
 * (another's is rejected "not_owner"), each one its whole new state,
 * kept as a document and published in the changes feed, compacted like
 * master data. Codes are facts: each batch is stored once, append-only,
 * and published for the other registers, so a code issued at one store
 * is known, with its campaign, at every other. A code is unique across
 * the chain (two registers drawing the same one before either synced is
 * rejected "code_exists", for the owner to see). Redemption is unchanged:
 * the hold on the code and the "coupon" op (joren-server-value.c). */
#include "config.h"

#include "joren-coupon.h"
#include "joren-server-db-private.h"

/* Version 5 of the server file. */
const char joren_server_coupon_schema_sql[] =
  "CREATE TABLE coupon_campaigns ("
  "  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
  "  register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  data TEXT NOT NULL, op_id TEXT NOT NULL, updated_at INTEGER NOT NULL);"
  "CREATE TABLE coupon_issues ("
  "  id INTEGER PRIMARY KEY, op_id TEXT NOT NULL UNIQUE,"
  "  campaign_id INTEGER NOT NULL REFERENCES coupon_campaigns (id),"
  "  register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  customer_uuid TEXT, issued_at INTEGER NOT NULL);"
  "CREATE TABLE coupon_codes ("
  "  code TEXT PRIMARY KEY, issue_id INTEGER NOT NULL REFERENCES coupon_issues (id)) WITHOUT ROWID;"
  "CREATE INDEX coupon_codes_issue ON coupon_codes (issue_id);"
  "CREATE TRIGGER coupon_issues_no_update BEFORE UPDATE ON coupon_issues"
  " BEGIN SELECT RAISE (ABORT, 'coupon_issues is append-only'); END;"
  "CREATE TRIGGER coupon_issues_no_delete BEFORE DELETE ON coupon_issues"
  " BEGIN SELECT RAISE (ABORT, 'coupon_issues is append-only'); END;"
  "CREATE TRIGGER coupon_codes_no_update BEFORE UPDATE ON coupon_codes"
  " BEGIN SELECT RAISE (ABORT, 'coupon_codes is append-only'); END;"
  "CREATE TRIGGER coupon_codes_no_delete BEFORE DELETE ON coupon_codes"
  " BEGIN SELECT RAISE (ABORT, 'coupon_codes is append-only'); END;";

static const JorenSyncField campaign_op_fields[] = {
  { "uuid", JOREN_SYNC_FIELD_STRING, TRUE },
  { "name", JOREN_SYNC_FIELD_STRING, TRUE },
  { "kind", JOREN_SYNC_FIELD_STRING, TRUE },
  { "value", JOREN_SYNC_FIELD_INT, TRUE },
  { "min_spend", JOREN_SYNC_FIELD_INT, TRUE },
  { "valid_from", JOREN_SYNC_FIELD_INT, FALSE },
  { "valid_until", JOREN_SYNC_FIELD_INT, FALSE },
  { "active", JOREN_SYNC_FIELD_BOOL, TRUE },
  { "created_at", JOREN_SYNC_FIELD_INT, TRUE },
  { "product_ids", JOREN_SYNC_FIELD_ARRAY, TRUE },
  { "category_ids", JOREN_SYNC_FIELD_ARRAY, TRUE },
};

static const JorenSyncField codes_op_fields[] = {
  { "campaign_uuid", JOREN_SYNC_FIELD_STRING, TRUE },
  { "customer_uuid", JOREN_SYNC_FIELD_STRING, FALSE },
  { "issued_at", JOREN_SYNC_FIELD_INT, TRUE },
  { "codes", JOREN_SYNC_FIELD_ARRAY, TRUE },
};

static const char *const campaign_kinds[] = { "amount", "percent", "free_item", NULL };

static gboolean
set_invalid (GError    **error,
             const char *message)
{
  g_set_error_literal (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
all_ints (const cJSON *array)
{
  const cJSON *item;

  cJSON_ArrayForEach (item, array)
    if (!cJSON_IsNumber (item) || item->valuedouble < 1 || item->valuedouble > JOREN_SYNC_MAX_INT
        || item->valuedouble != (double) (gint64) item->valuedouble)
      return FALSE;
  return TRUE;
}

/* The same rules as a register's coupon_campaigns table. */
static gboolean
check_campaign_op (const cJSON  *payload,
                   GError      **error)
{
  const char *kind;
  gint64 value;

  if (!joren_sync_check_object (payload, "the coupon campaign", campaign_op_fields,
                                G_N_ELEMENTS (campaign_op_fields), error))
    return FALSE;
  kind = joren_sync_get_string (payload, "kind");
  value = joren_sync_get_int (payload, "value", -1);
  if (!joren_sync_is_uuid (joren_sync_get_string (payload, "uuid"))
      || *joren_sync_get_string (payload, "name") == '\0'
      || !g_strv_contains (campaign_kinds, kind) || value < 0
      || (g_str_equal (kind, "percent") && value > 10000)
      || joren_sync_get_int (payload, "min_spend", -1) < 0)
    return set_invalid (error, "a coupon campaign needs a uuid, a name, a known \"kind\","
                               " a \"value\" >= 0 (at most 10000 for a percent) and"
                               " \"min_spend\" >= 0");
  if (!all_ints (cJSON_GetObjectItemCaseSensitive (payload, "product_ids"))
      || !all_ints (cJSON_GetObjectItemCaseSensitive (payload, "category_ids")))
    return set_invalid (error, "\"product_ids\" and \"category_ids\" hold ids (integers >= 1)");
  return TRUE;
}

/* The campaign's owner, or 0 when the server does not know it. */
static gint64
campaign_owner (JorenServerDb *db,
                const char    *uuid,
                gint64        *out_id)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "SELECT id, register_id FROM coupon_campaigns WHERE uuid = ?");
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  if (out_id != NULL)
    *out_id = sqlite3_column_int64 (stmt, 0);
  return sqlite3_column_int64 (stmt, 1);
}

/* The feed document: the op's payload with its owner, which skips it. */
static cJSON *
with_register (const JorenSyncOp *op,
               gint64             register_id)
{
  cJSON *json = cJSON_Duplicate (op->payload, TRUE);

  cJSON_AddStringToObject (json, "op_id", op->op_id);
  cJSON_AddNumberToObject (json, "register", (double) register_id);
  return json;
}

static gint64
store_campaign (JorenServerDb     *db,
                gint64             register_id,
                const JorenSyncOp *op,
                const char        *document,
                GError           **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "INSERT INTO coupon_campaigns (uuid, register_id, data, op_id,"
                                      " updated_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (uuid)"
                                      " DO UPDATE SET data = excluded.data, op_id = excluded.op_id,"
                                      " updated_at = excluded.updated_at RETURNING id");
  sqlite3_bind_text (stmt, 1, joren_sync_get_string (op->payload, "uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, register_id);
  sqlite3_bind_text (stmt, 3, document, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_SERVER,
               "Could not store the coupon campaign: %s", sqlite3_errmsg (db->handle));
  return 0;
}

JorenSyncResult *
joren_server_apply_coupon_campaign (JorenServerDb     *db,
                                    gint64             register_id,
                                    const JorenSyncOp *op,
                                    GError           **error)
{
  g_autoptr(GError) bad = NULL;
  g_autoptr(cJSON) document = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 owner, campaign_id;

  if (!check_campaign_op (op->payload, &bad))
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, "invalid_payload", bad->message);
  owner = campaign_owner (db, joren_sync_get_string (op->payload, "uuid"), NULL);
  if (owner != 0 && owner != register_id)
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, "not_owner",
                                    "Another register created this campaign; only it may change it.");
  document = with_register (op, register_id);
  if (!joren_sync_write_canonical (text, document, error))
    return NULL;
  campaign_id = store_campaign (db, register_id, op, text->str, error);
  if (campaign_id == 0
      || !joren_server_db_publish (db, "coupon_campaign", campaign_id, g_steal_pointer (&document),
                                   error))
    return NULL;
  return joren_server_result_new (op, JOREN_SYNC_APPLIED, NULL, NULL);
}

/* A code as a register stores it: normalized, with its check character. */
static gboolean
is_code (const cJSON *item)
{
  g_autofree char *normal = NULL;

  if (!cJSON_IsString (item))
    return FALSE;
  normal = joren_coupon_code_normalize (item->valuestring);
  return normal != NULL && g_str_equal (normal, item->valuestring) && joren_coupon_code_check_ok (normal);
}

static gboolean
code_known (JorenServerDb *db,
            const char    *code)
{
  g_autoptr(JorenServerStmt) stmt = joren_server_db_prepare (db, "SELECT 1 FROM coupon_codes WHERE code = ?");

  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* NULL when every code is well formed, listed once and new to the chain;
 * else the reason to reject the op, with error set. */
static const char *
check_codes (JorenServerDb  *db,
             const cJSON    *codes,
             GError        **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const cJSON *code;

  if (cJSON_GetArraySize (codes) == 0)
    return set_invalid (error, "\"codes\" must not be empty"), "invalid_payload";
  cJSON_ArrayForEach (code, codes)
    {
      if (!is_code (code))
        return set_invalid (error, "every code must be a well-formed coupon code"), "invalid_payload";
      if (!g_hash_table_add (seen, code->valuestring))
        return set_invalid (error, "a code is listed twice"), "invalid_payload";
      if (code_known (db, code->valuestring))
        return set_invalid (error, "The chain already has one of these codes: another register"
                                   " drew the same one. Issue new codes."), "code_exists";
    }
  return NULL;
}

static gint64
insert_issue (JorenServerDb     *db,
              gint64             register_id,
              const JorenSyncOp *op,
              gint64             campaign_id,
              GError           **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "INSERT INTO coupon_issues (op_id, campaign_id, register_id,"
                                      " customer_uuid, issued_at) VALUES (?, ?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, campaign_id);
  sqlite3_bind_int64 (stmt, 3, register_id);
  sqlite3_bind_text (stmt, 4, joren_sync_get_string (op->payload, "customer_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, joren_sync_get_int (op->payload, "issued_at", 0));
  if (!joren_server_db_step_done (db, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (db->handle);
}

static gboolean
insert_codes (JorenServerDb  *db,
              gint64          issue_id,
              const cJSON    *codes,
              GError        **error)
{
  const cJSON *code;

  cJSON_ArrayForEach (code, codes)
    {
      g_autoptr(JorenServerStmt) stmt = NULL;

      stmt = joren_server_db_prepare (db, "INSERT INTO coupon_codes (code, issue_id) VALUES (?, ?)");
      sqlite3_bind_text (stmt, 1, code->valuestring, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, issue_id);
      if (!joren_server_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Any register may issue codes of any campaign the chain knows: codes
 * are facts, like sales. The campaign comes first in the issuer's
 * outbox, so an unknown one is a bug or a campaign from before sync. */
JorenSyncResult *
joren_server_apply_coupon_codes (JorenServerDb     *db,
                                 gint64             register_id,
                                 const JorenSyncOp *op,
                                 GError           **error)
{
  g_autoptr(GError) bad = NULL;
  const cJSON *codes = cJSON_GetObjectItemCaseSensitive (op->payload, "codes");
  const char *reason;
  gint64 campaign_id = 0, issue_id;

  if (!joren_sync_check_object (op->payload, "the coupon codes", codes_op_fields,
                                G_N_ELEMENTS (codes_op_fields), &bad))
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, "invalid_payload", bad->message);
  if (campaign_owner (db, joren_sync_get_string (op->payload, "campaign_uuid"), &campaign_id) == 0)
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, "unknown_campaign",
                                    "The server does not know the campaign of these codes.");
  if ((reason = check_codes (db, codes, &bad)) != NULL)
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, reason, bad->message);
  issue_id = insert_issue (db, register_id, op, campaign_id, error);
  if (issue_id == 0 || !insert_codes (db, issue_id, codes, error)
      || !joren_server_db_publish (db, "coupon_codes", issue_id, with_register (op, register_id), error))
    return NULL;
  return joren_server_result_new (op, JOREN_SYNC_APPLIED, NULL, NULL);
}
