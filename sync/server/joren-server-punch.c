/* joren-server-punch.c: count cards and stamps on joren-server, the
 * "punch" op kind. They are shared like points: each row of a register's
 * punch_ledger arrives as one op, is stored once in an append-only
 * ledger (a card's visits left and a member's stamps are sums) and is
 * published in the changes feed for the other registers. A card is known
 * across the chain by the sale line that issued it (sale uuid, line
 * position, unit), and travels whole with every entry, so the first
 * entry the server sees of a card creates it, whichever register sent
 * it. Stamp programmes are set up on each register and known by name. */
#include "config.h"

#include "joren-server-db-private.h"

/* Version 4 of the server file. The ledger is unique per op, and per
 * (sale, kind, card or programme, sign) like the registers' own, so one
 * sale can never count twice; a card expires once. */
const char joren_server_punch_schema_sql[] =
  "CREATE TABLE punch_cards ("
  "  id INTEGER PRIMARY KEY, sale_uuid TEXT NOT NULL, line_position INTEGER NOT NULL,"
  "  seq INTEGER NOT NULL, customer_id INTEGER NOT NULL REFERENCES customers (id),"
  "  register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  name TEXT NOT NULL, visits INTEGER NOT NULL CHECK (visits > 0), product_id INTEGER,"
  "  covers_product_id INTEGER, covers_category_id INTEGER,"
  "  issued_at INTEGER NOT NULL, expires_at INTEGER,"
  "  UNIQUE (sale_uuid, line_position, seq));"
  "CREATE INDEX punch_cards_customer ON punch_cards (customer_id);"
  "CREATE TABLE punch_ledger ("
  "  id INTEGER PRIMARY KEY, op_id TEXT NOT NULL UNIQUE,"
  "  customer_id INTEGER NOT NULL REFERENCES customers (id),"
  "  register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  card_id INTEGER REFERENCES punch_cards (id), programme TEXT,"
  "  kind TEXT NOT NULL CHECK (kind IN ('issue', 'use', 'earn', 'redeem', 'reversal',"
  "                                     'expire', 'adjust')),"
  "  units INTEGER NOT NULL CHECK (units <> 0), reason TEXT, sale_uuid TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  CHECK ((card_id IS NULL) <> (programme IS NULL)));"
  "CREATE INDEX punch_ledger_card ON punch_ledger (card_id) WHERE card_id IS NOT NULL;"
  "CREATE INDEX punch_ledger_customer ON punch_ledger (customer_id);"
  "CREATE UNIQUE INDEX punch_ledger_once ON punch_ledger"
  "  (sale_uuid, kind, coalesce (card_id, 0), coalesce (programme, ''), units > 0)"
  "  WHERE sale_uuid IS NOT NULL;"
  "CREATE UNIQUE INDEX punch_ledger_expire_once ON punch_ledger (card_id) WHERE kind = 'expire';"
  "CREATE TRIGGER punch_ledger_no_update BEFORE UPDATE ON punch_ledger"
  " BEGIN SELECT RAISE (ABORT, 'punch_ledger is append-only'); END;"
  "CREATE TRIGGER punch_ledger_no_delete BEFORE DELETE ON punch_ledger"
  " BEGIN SELECT RAISE (ABORT, 'punch_ledger is append-only'); END;";

static const JorenSyncField punch_op_fields[] = {
  { "customer_uuid", JOREN_SYNC_FIELD_STRING, TRUE },
  { "kind", JOREN_SYNC_FIELD_STRING, TRUE },
  { "units", JOREN_SYNC_FIELD_INT, TRUE },
  { "reason", JOREN_SYNC_FIELD_STRING, FALSE },
  { "sale_uuid", JOREN_SYNC_FIELD_STRING, FALSE },
  { "created_at", JOREN_SYNC_FIELD_INT, TRUE },
  { "card", JOREN_SYNC_FIELD_OBJECT, FALSE },
  { "programme", JOREN_SYNC_FIELD_OBJECT, FALSE },
};

static const JorenSyncField card_fields[] = {
  { "sale_uuid", JOREN_SYNC_FIELD_STRING, TRUE },
  { "line_position", JOREN_SYNC_FIELD_INT, TRUE },
  { "seq", JOREN_SYNC_FIELD_INT, TRUE },
  { "name", JOREN_SYNC_FIELD_STRING, TRUE },
  { "visits", JOREN_SYNC_FIELD_INT, TRUE },
  { "product_id", JOREN_SYNC_FIELD_INT, FALSE },
  { "covers_product_id", JOREN_SYNC_FIELD_INT, FALSE },
  { "covers_category_id", JOREN_SYNC_FIELD_INT, FALSE },
  { "issued_at", JOREN_SYNC_FIELD_INT, TRUE },
  { "expires_at", JOREN_SYNC_FIELD_INT, FALSE },
};

static const JorenSyncField programme_fields[] = {
  { "name", JOREN_SYNC_FIELD_STRING, TRUE },
  { "stamps_needed", JOREN_SYNC_FIELD_INT, TRUE },
  { "product_id", JOREN_SYNC_FIELD_INT, FALSE },
  { "category_id", JOREN_SYNC_FIELD_INT, FALSE },
};

static const char *const punch_kinds[] = {
  "issue", "use", "earn", "redeem", "reversal", "expire", "adjust", NULL
};

static gboolean
set_invalid (GError    **error,
             const char *message)
{
  g_set_error_literal (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
check_punch_op (const cJSON  *payload,
                GError      **error)
{
  const cJSON *card = cJSON_GetObjectItemCaseSensitive (payload, "card");
  const cJSON *programme = cJSON_GetObjectItemCaseSensitive (payload, "programme");

  if (!joren_sync_check_object (payload, "the card entry", punch_op_fields,
                                G_N_ELEMENTS (punch_op_fields), error))
    return FALSE;
  if (!g_strv_contains (punch_kinds, joren_sync_get_string (payload, "kind"))
      || joren_sync_get_int (payload, "units", 0) == 0)
    return set_invalid (error, "a card entry needs a known \"kind\" and non-zero \"units\"");
  if ((card == NULL) == (programme == NULL))
    return set_invalid (error, "a card entry names either a \"card\" or a \"programme\"");
  if (card != NULL)
    return joren_sync_check_object (card, "the card", card_fields, G_N_ELEMENTS (card_fields), error)
           && (joren_sync_get_int (card, "visits", 0) > 0
               || set_invalid (error, "a card needs \"visits\" > 0"));
  return joren_sync_check_object (programme, "the programme", programme_fields,
                                  G_N_ELEMENTS (programme_fields), error)
         && (*joren_sync_get_string (programme, "name") != '\0'
             || set_invalid (error, "a programme needs a name"));
}

static void
bind_int_or_null (sqlite3_stmt *stmt,
                  int           param,
                  const cJSON  *object,
                  const char   *name)
{
  if (cJSON_GetObjectItemCaseSensitive (object, name) != NULL)
    sqlite3_bind_int64 (stmt, param, joren_sync_get_int (object, name, 0));
}

/* The card's id, created as the first entry naming it described it. */
static gint64
ensure_card (JorenServerDb *db,
             gint64         register_id,
             const cJSON   *payload,
             GError       **error)
{
  const cJSON *card = cJSON_GetObjectItemCaseSensitive (payload, "card");
  g_autoptr(JorenServerStmt) stmt = NULL;
  int rc;

  stmt = joren_server_db_prepare (db, "INSERT INTO punch_cards (sale_uuid, line_position, seq, customer_id,"
                                      " register_id, name, visits, product_id, covers_product_id,"
                                      " covers_category_id, issued_at, expires_at) VALUES (?1, ?2, ?3,"
                                      " (SELECT id FROM customers WHERE uuid = ?4), ?5, ?6, ?7, ?8, ?9, ?10,"
                                      " ?11, ?12) ON CONFLICT (sale_uuid, line_position, seq)"
                                      " DO UPDATE SET seq = seq RETURNING id");
  sqlite3_bind_text (stmt, 1, joren_sync_get_string (card, "sale_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, joren_sync_get_int (card, "line_position", 0));
  sqlite3_bind_int64 (stmt, 3, joren_sync_get_int (card, "seq", 0));
  sqlite3_bind_text (stmt, 4, joren_sync_get_string (payload, "customer_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, register_id);
  sqlite3_bind_text (stmt, 6, joren_sync_get_string (card, "name"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, joren_sync_get_int (card, "visits", 0));
  bind_int_or_null (stmt, 8, card, "product_id");
  bind_int_or_null (stmt, 9, card, "covers_product_id");
  bind_int_or_null (stmt, 10, card, "covers_category_id");
  sqlite3_bind_int64 (stmt, 11, joren_sync_get_int (card, "issued_at", 0));
  bind_int_or_null (stmt, 12, card, "expires_at");
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_SERVER,
               "Could not store the count card: %s", sqlite3_errmsg (db->handle));
  return 0;
}

/* *inserted FALSE: the sale already has this entry (or the card its
 * expiry), so a second op for it has no effect. */
static gboolean
insert_entry (JorenServerDb     *db,
              gint64             register_id,
              const JorenSyncOp *op,
              gint64             card_id,
              gboolean          *inserted,
              GError           **error)
{
  const cJSON *programme = cJSON_GetObjectItemCaseSensitive (op->payload, "programme");
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "INSERT INTO punch_ledger (op_id, customer_id, register_id, card_id,"
                                      " programme, kind, units, reason, sale_uuid, created_at)"
                                      " VALUES (?1, (SELECT id FROM customers WHERE uuid = ?2), ?3, ?4, ?5,"
                                      " ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING");
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, joren_sync_get_string (op->payload, "customer_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, register_id);
  if (card_id != 0)
    sqlite3_bind_int64 (stmt, 4, card_id);
  sqlite3_bind_text (stmt, 5, joren_sync_get_string (programme, "name"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, joren_sync_get_string (op->payload, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, joren_sync_get_int (op->payload, "units", 0));
  sqlite3_bind_text (stmt, 8, joren_sync_get_string (op->payload, "reason"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, joren_sync_get_string (op->payload, "sale_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, joren_sync_get_int (op->payload, "created_at", 0));
  if (!joren_server_db_step_done (db, stmt, error))
    return FALSE;
  *inserted = sqlite3_changes (db->handle) == 1;
  return TRUE;
}

/* The feed's "punch" document: the op's payload naming the customer the
 * entry counts for now (the survivor of a merge), with the op id and the
 * register, which skips its own entries. */
static cJSON *
entry_to_json (const JorenSyncOp *op,
               const char        *customer_uuid,
               gint64             register_id)
{
  cJSON *json = cJSON_Duplicate (op->payload, TRUE);

  cJSON_ReplaceItemInObjectCaseSensitive (json, "customer_uuid", cJSON_CreateString (customer_uuid));
  cJSON_AddStringToObject (json, "op_id", op->op_id);
  cJSON_AddNumberToObject (json, "register", (double) register_id);
  return json;
}

JorenSyncResult *
joren_server_apply_punch (JorenServerDb     *db,
                          gint64             register_id,
                          const JorenSyncOp *op,
                          GError           **error)
{
  g_autoptr(GError) bad = NULL;
  g_autofree char *survivor = NULL;
  gint64 card_id = 0;
  gboolean inserted = FALSE;

  if (!check_punch_op (op->payload, &bad))
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, "invalid_payload", bad->message);
  survivor = joren_server_db_customer_uuid (db, joren_sync_get_string (op->payload, "customer_uuid"));
  if (survivor == NULL)
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, "unknown_customer",
                                    "The card entry names a customer the server does not know.");
  if (cJSON_GetObjectItemCaseSensitive (op->payload, "card") != NULL
      && (card_id = ensure_card (db, register_id, op->payload, error)) == 0)
    return NULL;
  if (!insert_entry (db, register_id, op, card_id, &inserted, error))
    return NULL;
  if (!inserted)
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, "entry_exists",
                                    "This sale already has this entry for the card or programme.");
  if (!joren_server_db_publish (db, "punch", sqlite3_last_insert_rowid (db->handle),
                                entry_to_json (op, survivor, register_id), error))
    return NULL;
  return joren_server_result_new (op, JOREN_SYNC_APPLIED, NULL, NULL);
}
