/* joren-server-value.c: value accounts, their ledger, holds and e-coupon
 * claims on joren-server (see joren-server-value.h). Every decision that
 * spends a balance runs under the database lock inside one BEGIN
 * IMMEDIATE transaction, so two registers asking for the last yen of a
 * voucher at the same moment are answered one after the other, from the
 * same arithmetic: balance = sum of the ledger, minus the holds that are
 * captured or still held and unexpired. */
#include "config.h"

#include "joren-server-db-private.h"
#include "joren-server-value.h"

/* Version 3 of the server file. A hold reserves an amount of an account
 * (or an e-coupon code) for one sale; captured holds keep counting until
 * the sale's ledger op arrives and settles them. A hold never leaves the
 * table: its state moves held -> captured | voided, and held | captured
 * -> settled. Ledger rows are unique per op and per (sale, account,
 * kind), exactly like the register's own value_ledger. */
const char joren_server_value_schema_sql[] =
  "CREATE TABLE value_accounts ("
  "  id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL CHECK (kind IN ('gift', 'prepaid', 'customer_account')),"
  "  store TEXT NOT NULL, customer_uuid TEXT, expires_at INTEGER,"
  "  credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),"
  "  register_id INTEGER NOT NULL REFERENCES registers (id), created_at INTEGER NOT NULL);"
  "CREATE TABLE value_ledger ("
  "  id INTEGER PRIMARY KEY, op_id TEXT NOT NULL UNIQUE,"
  "  account_id INTEGER NOT NULL REFERENCES value_accounts (id),"
  "  register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('issue', 'topup', 'redeem', 'refund', 'expire',"
  "                                     'adjust', 'charge', 'payment')),"
  "  amount INTEGER NOT NULL CHECK (amount <> 0), reason TEXT, sale_uuid TEXT,"
  "  offline INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
  "CREATE INDEX value_ledger_account ON value_ledger (account_id);"
  "CREATE UNIQUE INDEX value_ledger_once ON value_ledger (sale_uuid, account_id, kind)"
  "  WHERE sale_uuid IS NOT NULL;"
  "CREATE TRIGGER value_ledger_no_update BEFORE UPDATE ON value_ledger"
  " BEGIN SELECT RAISE (ABORT, 'value_ledger is append-only'); END;"
  "CREATE TRIGGER value_ledger_no_delete BEFORE DELETE ON value_ledger"
  " BEGIN SELECT RAISE (ABORT, 'value_ledger is append-only'); END;"
  "CREATE TABLE holds ("
  "  id TEXT PRIMARY KEY, op_id TEXT NOT NULL UNIQUE,"
  "  register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  account_id INTEGER REFERENCES value_accounts (id), coupon TEXT,"
  "  amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0), sale_uuid TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'held'"
  "    CHECK (state IN ('held', 'captured', 'voided', 'settled')),"
  "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
  "  finish_op_id TEXT, finished_at INTEGER,"
  "  CHECK ((account_id IS NULL) <> (coupon IS NULL))) WITHOUT ROWID;"
  "CREATE INDEX holds_account ON holds (account_id, state) WHERE account_id IS NOT NULL;"
  "CREATE INDEX holds_coupon ON holds (coupon, state) WHERE coupon IS NOT NULL;"
  "CREATE INDEX holds_sale ON holds (sale_uuid);"
  "CREATE TRIGGER holds_move_once BEFORE UPDATE ON holds"
  "  WHEN OLD.state IN ('voided', 'settled') OR NEW.state = 'held'"
  "    OR NEW.amount <> OLD.amount OR NEW.sale_uuid <> OLD.sale_uuid"
  " BEGIN SELECT RAISE (ABORT, 'a hold moves at most once'); END;"
  "CREATE TABLE coupon_redemptions ("
  "  code TEXT PRIMARY KEY, op_id TEXT NOT NULL UNIQUE,"
  "  register_id INTEGER NOT NULL REFERENCES registers (id), sale_uuid TEXT NOT NULL,"
  "  offline INTEGER NOT NULL DEFAULT 0, redeemed_at INTEGER NOT NULL) WITHOUT ROWID;"
  /* What offline ops did that an online hold would have refused. */
  "CREATE TABLE value_conflicts ("
  "  id INTEGER PRIMARY KEY, op_id TEXT NOT NULL,"
  "  register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  subject TEXT NOT NULL, problem TEXT NOT NULL CHECK (problem IN ('overdraft', 'coupon_reused')),"
  "  amount INTEGER NOT NULL DEFAULT 0, recorded_at INTEGER NOT NULL);";

/* Holds that still reserve something at ?now. */
#define ACTIVE_HOLD "(state = 'captured' OR (state = 'held' AND expires_at > ?9))"

void
joren_server_hold_free (JorenServerHold *hold)
{
  if (hold == NULL)
    return;
  g_free (hold->id);
  g_free (hold->state);
  g_free (hold->number);
  g_free (hold->coupon);
  g_free (hold->sale_uuid);
  g_free (hold);
}

static gboolean
refuse (const char  **reason,
        const char   *code,
        GError      **error,
        const char   *message)
{
  *reason = code;
  g_set_error_literal (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_REFUSED, message);
  return FALSE;
}

/* ---- accounts and balances ---- */

typedef struct {
  gint64 id;
  char   kind[20];
  gint64 credit_limit;
  gint64 expires_at;   /* 0: never */
} Account;

static gboolean
find_account (JorenServerDb *db,
              const char    *number,
              Account       *out)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "SELECT id, kind, credit_limit, coalesce (expires_at, 0)"
                                      " FROM value_accounts WHERE number = ?");
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  out->id = sqlite3_column_int64 (stmt, 0);
  g_strlcpy (out->kind, (const char *) sqlite3_column_text (stmt, 1), sizeof out->kind);
  out->credit_limit = sqlite3_column_int64 (stmt, 2);
  out->expires_at = sqlite3_column_int64 (stmt, 3);
  return TRUE;
}

static gint64
sum_ledger (JorenServerDb *db,
            gint64         account_id)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "SELECT coalesce (sum (amount), 0) FROM value_ledger"
                                      " WHERE account_id = ?");
  sqlite3_bind_int64 (stmt, 1, account_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

static gint64
sum_active_holds (JorenServerDb *db,
                  gint64         account_id)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "SELECT coalesce (sum (amount), 0) FROM holds"
                                      " WHERE account_id = ?1 AND " ACTIVE_HOLD);
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 9, g_get_real_time ());
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* What a customer account may go below zero; nothing for the others. */
static gint64
floor_of (const Account *account)
{
  return g_str_equal (account->kind, "customer_account") ? -account->credit_limit : 0;
}

static gint64
available (JorenServerDb *db,
           const Account *account)
{
  return sum_ledger (db, account->id) - sum_active_holds (db, account->id) - floor_of (account);
}

cJSON *
joren_server_value_account_json (JorenServerDb *db,
                                 const char    *number)
{
  g_autoptr(GMutexLocker) locker = NULL;
  Account account;
  cJSON *json;
  gint64 held;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);

  locker = g_mutex_locker_new (&db->lock);
  if (!find_account (db, number, &account))
    return NULL;
  held = sum_active_holds (db, account.id);
  json = cJSON_CreateObject ();
  cJSON_AddStringToObject (json, "number", number);
  cJSON_AddStringToObject (json, "kind", account.kind);
  cJSON_AddNumberToObject (json, "balance", (double) sum_ledger (db, account.id));
  cJSON_AddNumberToObject (json, "held", (double) held);
  cJSON_AddNumberToObject (json, "available", (double) available (db, &account));
  cJSON_AddNumberToObject (json, "credit_limit", (double) account.credit_limit);
  if (account.expires_at != 0)
    cJSON_AddNumberToObject (json, "expires_at", (double) account.expires_at);
  return json;
}

/* ---- holds ---- */

static JorenServerHold *
read_hold (JorenServerDb *db,
           const char    *sql,
           const char    *key)
{
  g_autoptr(JorenServerStmt) stmt = joren_server_db_prepare (db, sql);
  JorenServerHold *hold;
  const char *state;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  hold = g_new0 (JorenServerHold, 1);
  hold->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  state = (const char *) sqlite3_column_text (stmt, 1);
  hold->expires_at = sqlite3_column_int64 (stmt, 6);
  /* Expiry is computed, never written: nothing has to sweep. */
  hold->state = g_strdup (g_str_equal (state, "held") && hold->expires_at <= g_get_real_time ()
                          ? "expired" : state);
  hold->number = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  hold->coupon = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  hold->sale_uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  hold->amount = sqlite3_column_int64 (stmt, 5);
  return hold;
}

#define HOLD_COLUMNS \
  "SELECT h.id, h.state, a.number, h.coupon, h.sale_uuid, h.amount, h.expires_at," \
  " h.register_id, h.finish_op_id FROM holds h LEFT JOIN value_accounts a ON a.id = h.account_id"

static JorenServerHold *
hold_by_id (JorenServerDb *db,
            const char    *id)
{
  return read_hold (db, HOLD_COLUMNS " WHERE h.id = ?1", id);
}

static JorenServerHold *
hold_by_op (JorenServerDb *db,
            const char    *op_id)
{
  return read_hold (db, HOLD_COLUMNS " WHERE h.op_id = ?1", op_id);
}

static gboolean
same_request (const JorenServerHold        *hold,
              const JorenServerHoldRequest *request)
{
  return g_strcmp0 (hold->number, request->number) == 0
         && g_strcmp0 (hold->coupon, request->coupon) == 0
         && g_strcmp0 (hold->sale_uuid, request->sale_uuid) == 0
         && hold->amount == (request->coupon != NULL ? 0 : request->amount);
}

static gboolean
coupon_free (JorenServerDb  *db,
             const char     *code,
             const char    **reason,
             GError        **error)
{
  g_autoptr(JorenServerStmt) used = NULL;
  g_autoptr(JorenServerStmt) held = NULL;

  used = joren_server_db_prepare (db, "SELECT 1 FROM coupon_redemptions WHERE code = ?");
  sqlite3_bind_text (used, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (used) == SQLITE_ROW)
    return refuse (reason, "coupon_used", error, "This coupon code was already redeemed.");
  held = joren_server_db_prepare (db, "SELECT 1 FROM holds WHERE coupon = ?1 AND (" ACTIVE_HOLD
                                      " OR state = 'settled')");
  sqlite3_bind_text (held, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (held, 9, g_get_real_time ());
  if (sqlite3_step (held) == SQLITE_ROW)
    return refuse (reason, "coupon_held", error,
                   "This coupon code is being redeemed at another register.");
  return TRUE;
}

/* Whether the account can give request->amount now; *account_id set. */
static gboolean
account_covers (JorenServerDb                 *db,
                const JorenServerHoldRequest  *request,
                gint64                        *account_id,
                const char                   **reason,
                GError                       **error)
{
  Account account;

  if (!find_account (db, request->number, &account))
    return refuse (reason, "unknown_account", error, "The server does not know this voucher or account.");
  if (account.expires_at != 0 && account.expires_at <= g_get_real_time ())
    return refuse (reason, "account_expired", error, "This voucher has expired.");
  /* A customer account runs into its credit limit, not a balance: the
   * till says which, so the cashier knows to ask for a payment first. */
  if (available (db, &account) < request->amount && g_str_equal (account.kind, "customer_account"))
    return refuse (reason, "credit_limit", error, "This would go over the customer's credit limit.");
  if (available (db, &account) < request->amount)
    return refuse (reason, "insufficient_balance", error,
                   "The balance minus what other registers hold does not cover this amount.");
  *account_id = account.id;
  return TRUE;
}

static gboolean
insert_hold (JorenServerDb                *db,
             gint64                        register_id,
             const JorenServerHoldRequest *request,
             gint64                        account_id,
             GError                      **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;
  g_autofree char *id = g_uuid_string_random ();
  gint64 now = g_get_real_time ();
  guint ttl = request->ttl_s != 0 ? request->ttl_s : JOREN_SERVER_HOLD_TTL_S;

  stmt = joren_server_db_prepare (db, "INSERT INTO holds (id, op_id, register_id, account_id, coupon,"
                                      " amount, sale_uuid, created_at, expires_at)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, request->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, register_id);
  if (account_id != 0)
    sqlite3_bind_int64 (stmt, 4, account_id);
  sqlite3_bind_text (stmt, 5, request->coupon, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, request->coupon != NULL ? 0 : request->amount);
  sqlite3_bind_text (stmt, 7, request->sale_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, now);
  sqlite3_bind_int64 (stmt, 9, now + (gint64) ttl * G_USEC_PER_SEC);
  return joren_server_db_step_done (db, stmt, error);
}

static JorenServerHold *
hold_locked (JorenServerDb                *db,
             gint64                        register_id,
             const JorenServerHoldRequest *request,
             gboolean                     *replayed,
             const char                  **reason,
             GError                      **error)
{
  g_autoptr(JorenServerHold) earlier = hold_by_op (db, request->op_id);
  gint64 account_id = 0;

  if (earlier != NULL)
    {
      if (!same_request (earlier, request))
        return refuse (reason, "op_id_conflict", error,
                       "This op id was already used for another hold."), NULL;
      *replayed = TRUE;
      return g_steal_pointer (&earlier);
    }
  if (request->coupon != NULL ? !coupon_free (db, request->coupon, reason, error)
                              : !account_covers (db, request, &account_id, reason, error))
    return NULL;
  if (!insert_hold (db, register_id, request, account_id, error))
    return NULL;
  return hold_by_op (db, request->op_id);
}

JorenServerHold *
joren_server_value_hold (JorenServerDb                *db,
                         gint64                        register_id,
                         const JorenServerHoldRequest *request,
                         gboolean                     *replayed,
                         const char                  **reason,
                         GError                      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  JorenServerHold *hold;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (request != NULL && request->op_id != NULL && request->sale_uuid != NULL, NULL);
  g_return_val_if_fail ((request->number == NULL) != (request->coupon == NULL), NULL);
  g_return_val_if_fail (replayed != NULL && reason != NULL, NULL);

  *replayed = FALSE;
  *reason = NULL;
  locker = g_mutex_locker_new (&db->lock);
  if (!joren_server_db_begin (db, error))
    return NULL;
  hold = hold_locked (db, register_id, request, replayed, reason, error);
  if (!joren_server_db_finish (db, hold != NULL, hold != NULL ? error : NULL))
    g_clear_pointer (&hold, joren_server_hold_free);
  return hold;
}

static gboolean
move_hold (JorenServerDb *db,
           const char    *hold_id,
           const char    *state,
           const char    *op_id,
           GError       **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "UPDATE holds SET state = ?2, finish_op_id = ?3,"
                                      " finished_at = ?4 WHERE id = ?1");
  sqlite3_bind_text (stmt, 1, hold_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  return joren_server_db_step_done (db, stmt, error);
}

static gboolean
finished_by (JorenServerDb *db,
             const char    *hold_id,
             const char    *op_id)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "SELECT 1 FROM holds WHERE id = ? AND finish_op_id = ?");
  sqlite3_bind_text (stmt, 1, hold_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op_id, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* A hold of another register is "not found": ids are not to be probed. */
static gboolean
owns_hold (JorenServerDb *db,
           const char    *hold_id,
           gint64         register_id)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "SELECT 1 FROM holds WHERE id = ? AND register_id = ?");
  sqlite3_bind_text (stmt, 1, hold_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, register_id);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static JorenServerHold *
finish_locked (JorenServerDb  *db,
               gint64          register_id,
               const char     *hold_id,
               const char     *op_id,
               gboolean        capture,
               const char    **reason,
               GError        **error)
{
  g_autoptr(JorenServerHold) hold = NULL;
  const char *target = capture ? "captured" : "voided";

  if (!owns_hold (db, hold_id, register_id) || (hold = hold_by_id (db, hold_id)) == NULL)
    return refuse (reason, "not_found", error, "No such hold."), NULL;
  if (finished_by (db, hold_id, op_id))
    return g_steal_pointer (&hold);   /* a replay: the same answer */
  if (capture && g_str_equal (hold->state, "expired"))
    return refuse (reason, "hold_expired", error,
                   "The hold expired before it was captured; ask for a new one."), NULL;
  if (!g_str_equal (hold->state, "held") && !g_str_equal (hold->state, "expired"))
    return refuse (reason, "hold_finished", error,
                   "This hold was already captured or voided."), NULL;
  if (!move_hold (db, hold_id, target, op_id, error))
    return NULL;
  g_clear_pointer (&hold, joren_server_hold_free);
  return hold_by_id (db, hold_id);
}

JorenServerHold *
joren_server_value_finish_hold (JorenServerDb  *db,
                                gint64          register_id,
                                const char     *hold_id,
                                const char     *op_id,
                                gboolean        capture,
                                const char    **reason,
                                GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  JorenServerHold *hold;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (hold_id != NULL && op_id != NULL && reason != NULL, NULL);

  *reason = NULL;
  locker = g_mutex_locker_new (&db->lock);
  if (!joren_server_db_begin (db, error))
    return NULL;
  hold = finish_locked (db, register_id, hold_id, op_id, capture, reason, error);
  if (!joren_server_db_finish (db, hold != NULL, hold != NULL ? error : NULL))
    g_clear_pointer (&hold, joren_server_hold_free);
  return hold;
}

/* ---- ops: the ledger and coupon redemptions ---- */

static gboolean
record_conflict (JorenServerDb     *db,
                 gint64             register_id,
                 const JorenSyncOp *op,
                 const char        *subject,
                 const char        *problem,
                 gint64             amount,
                 GError           **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  g_warning ("Offline op %s from register %" G_GINT64_FORMAT ": %s (%" G_GINT64_FORMAT ")",
             op->op_id, register_id, problem, amount);
  stmt = joren_server_db_prepare (db, "INSERT INTO value_conflicts (op_id, register_id, subject,"
                                      " problem, amount, recorded_at) VALUES (?, ?, ?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, register_id);
  sqlite3_bind_text (stmt, 3, subject, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, problem, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, amount);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  return joren_server_db_step_done (db, stmt, error);
}

/* Settles the sale's holds on the account (or code); the number of holds
 * it had, held or captured: none means the op was taken offline. */
static gint64
settle_holds (JorenServerDb     *db,
              const JorenSyncOp *op,
              const char        *sale_uuid,
              gint64             account_id,
              const char        *coupon,
              GError           **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "UPDATE holds SET state = 'settled',"
                                      " finish_op_id = coalesce (finish_op_id, ?4), finished_at = ?5"
                                      " WHERE sale_uuid = ?1 AND (account_id = ?2 OR coupon = ?3)"
                                      " AND state IN ('held', 'captured')");
  sqlite3_bind_text (stmt, 1, sale_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_text (stmt, 3, coupon, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  if (!joren_server_db_step_done (db, stmt, error))
    return -1;
  return sqlite3_changes (db->handle);
}

static const JorenSyncField value_op_fields[] = {
  { "number", JOREN_SYNC_FIELD_STRING, TRUE },
  { "account_kind", JOREN_SYNC_FIELD_STRING, TRUE },
  { "store", JOREN_SYNC_FIELD_STRING, TRUE },
  { "expires_at", JOREN_SYNC_FIELD_INT, FALSE },
  { "credit_limit", JOREN_SYNC_FIELD_INT, TRUE },
  { "customer_uuid", JOREN_SYNC_FIELD_STRING, FALSE },
  { "kind", JOREN_SYNC_FIELD_STRING, TRUE },
  { "amount", JOREN_SYNC_FIELD_INT, TRUE },
  { "reason", JOREN_SYNC_FIELD_STRING, FALSE },
  { "sale_uuid", JOREN_SYNC_FIELD_STRING, FALSE },
  { "created_at", JOREN_SYNC_FIELD_INT, TRUE },
};

static const char *const account_kinds[] = { "gift", "prepaid", "customer_account", NULL };
static const char *const entry_kinds[] = {
  "issue", "topup", "redeem", "refund", "expire", "adjust", "charge", "payment", NULL
};

static gboolean
check_value_op (const cJSON  *payload,
                GError      **error)
{
  if (!joren_sync_check_object (payload, "the value entry", value_op_fields,
                                G_N_ELEMENTS (value_op_fields), error))
    return FALSE;
  if (!g_strv_contains (account_kinds, joren_sync_get_string (payload, "account_kind"))
      || !g_strv_contains (entry_kinds, joren_sync_get_string (payload, "kind"))
      || joren_sync_get_int (payload, "amount", 0) == 0
      || joren_sync_get_int (payload, "credit_limit", -1) < 0
      || *joren_sync_get_string (payload, "number") == '\0')
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID,
                   "a value entry needs a number, a known \"account_kind\" and \"kind\","
                   " a non-zero \"amount\" and \"credit_limit\" >= 0");
      return FALSE;
    }
  return TRUE;
}

/* The first op naming a number creates the account, as that register
 * described it; later ops only add ledger rows. */
static gboolean
ensure_account (JorenServerDb *db,
                gint64         register_id,
                const cJSON   *payload,
                Account       *out,
                GError       **error)
{
  const char *number = joren_sync_get_string (payload, "number");
  g_autoptr(JorenServerStmt) stmt = NULL;
  gint64 expires_at = joren_sync_get_int (payload, "expires_at", 0);

  if (find_account (db, number, out))
    return TRUE;
  stmt = joren_server_db_prepare (db, "INSERT INTO value_accounts (number, kind, store, customer_uuid,"
                                      " expires_at, credit_limit, register_id, created_at)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, joren_sync_get_string (payload, "account_kind"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, joren_sync_get_string (payload, "store"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, joren_sync_get_string (payload, "customer_uuid"), -1, SQLITE_STATIC);
  if (expires_at != 0)
    sqlite3_bind_int64 (stmt, 5, expires_at);
  sqlite3_bind_int64 (stmt, 6, joren_sync_get_int (payload, "credit_limit", 0));
  sqlite3_bind_int64 (stmt, 7, register_id);
  sqlite3_bind_int64 (stmt, 8, g_get_real_time ());
  return joren_server_db_step_done (db, stmt, error) && find_account (db, number, out);
}

/* Whether another op already wrote this sale's row for the account. */
static gboolean
entry_exists (JorenServerDb *db,
              gint64         account_id,
              const cJSON   *payload)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "SELECT 1 FROM value_ledger WHERE sale_uuid = ?"
                                      " AND account_id = ? AND kind = ?");
  sqlite3_bind_text (stmt, 1, joren_sync_get_string (payload, "sale_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_text (stmt, 3, joren_sync_get_string (payload, "kind"), -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
insert_entry (JorenServerDb     *db,
              gint64             register_id,
              const JorenSyncOp *op,
              gint64             account_id,
              gboolean           offline,
              GError           **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "INSERT INTO value_ledger (op_id, account_id, register_id, kind,"
                                      " amount, reason, sale_uuid, offline, created_at)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_int64 (stmt, 3, register_id);
  sqlite3_bind_text (stmt, 4, joren_sync_get_string (op->payload, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, joren_sync_get_int (op->payload, "amount", 0));
  sqlite3_bind_text (stmt, 6, joren_sync_get_string (op->payload, "reason"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, joren_sync_get_string (op->payload, "sale_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 8, offline ? 1 : 0);
  sqlite3_bind_int64 (stmt, 9, joren_sync_get_int (op->payload, "created_at", 0));
  return joren_server_db_step_done (db, stmt, error);
}

/* The feed document other registers append to their own ledger. */
static cJSON *
entry_to_json (const JorenSyncOp *op,
               gint64             register_id,
               gboolean           offline)
{
  cJSON *json = cJSON_Duplicate (op->payload, TRUE);

  cJSON_AddStringToObject (json, "op_id", op->op_id);
  cJSON_AddNumberToObject (json, "register", (double) register_id);
  cJSON_AddBoolToObject (json, "offline", offline);
  return json;
}

/* Spending without a hold: applied, and an overdraft recorded when the
 * ledger and the captures other registers made leave less than nothing. */
static gboolean
check_offline_spend (JorenServerDb     *db,
                     gint64             register_id,
                     const JorenSyncOp *op,
                     const Account     *account,
                     GError           **error)
{
  gint64 over = -available (db, account);

  if (over <= 0)
    return TRUE;
  return record_conflict (db, register_id, op, joren_sync_get_string (op->payload, "number"),
                          "overdraft", over, error);
}

JorenSyncResult *
joren_server_apply_value (JorenServerDb     *db,
                          gint64             register_id,
                          const JorenSyncOp *op,
                          GError           **error)
{
  g_autoptr(GError) invalid = NULL;
  const char *sale_uuid = joren_sync_get_string (op->payload, "sale_uuid");
  gboolean spends = joren_sync_get_int (op->payload, "amount", 0) < 0;
  gboolean offline = FALSE;
  gint64 settled = 0;
  Account account;

  if (!check_value_op (op->payload, &invalid))
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, "invalid_payload", invalid->message);
  if (!ensure_account (db, register_id, op->payload, &account, error))
    return NULL;
  if (sale_uuid != NULL && entry_exists (db, account.id, op->payload))
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, "entry_exists",
                                    "This sale already has this kind of entry for the account.");
  if (sale_uuid != NULL
      && (settled = settle_holds (db, op, sale_uuid, account.id, NULL, error)) < 0)
    return NULL;
  offline = spends && settled == 0;
  if (!insert_entry (db, register_id, op, account.id, offline, error)
      || (offline && !check_offline_spend (db, register_id, op, &account, error))
      || !joren_server_db_publish (db, "value_entry", sqlite3_last_insert_rowid (db->handle),
                                   entry_to_json (op, register_id, offline), error))
    return NULL;
  return joren_server_result_new (op, JOREN_SYNC_APPLIED, NULL, NULL);
}

static const JorenSyncField coupon_op_fields[] = {
  { "code", JOREN_SYNC_FIELD_STRING, TRUE },
  { "sale_uuid", JOREN_SYNC_FIELD_STRING, TRUE },
  { "redeemed_at", JOREN_SYNC_FIELD_INT, TRUE },
};

static gboolean
insert_redemption (JorenServerDb     *db,
                   gint64             register_id,
                   const JorenSyncOp *op,
                   gboolean           offline,
                   GError           **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "INSERT INTO coupon_redemptions (code, op_id, register_id,"
                                      " sale_uuid, offline, redeemed_at) VALUES (?, ?, ?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, joren_sync_get_string (op->payload, "code"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, register_id);
  sqlite3_bind_text (stmt, 4, joren_sync_get_string (op->payload, "sale_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, offline ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, joren_sync_get_int (op->payload, "redeemed_at", 0));
  return joren_server_db_step_done (db, stmt, error);
}

/* Published so the other registers count the code as used and refuse
 * it offline. Codes are keyed by text and the feed by number: each
 * redemption takes the next number (redemptions are never removed). */
static gboolean
publish_redemption (JorenServerDb     *db,
                    gint64             register_id,
                    const JorenSyncOp *op,
                    GError           **error)
{
  g_autoptr(JorenServerStmt) next = NULL;
  cJSON *data = cJSON_CreateObject ();

  next = joren_server_db_prepare (db, "SELECT coalesce (max (entity_id), 0) + 1 FROM changes"
                                      " WHERE entity = 'coupon_redemption'");
  sqlite3_step (next);
  cJSON_AddStringToObject (data, "code", joren_sync_get_string (op->payload, "code"));
  cJSON_AddStringToObject (data, "sale_uuid", joren_sync_get_string (op->payload, "sale_uuid"));
  cJSON_AddNumberToObject (data, "redeemed_at", (double) joren_sync_get_int (op->payload, "redeemed_at", 0));
  cJSON_AddNumberToObject (data, "register", (double) register_id);
  return joren_server_db_publish (db, "coupon_redemption", sqlite3_column_int64 (next, 0), data, error);
}

static gboolean
code_redeemed (JorenServerDb *db,
               const char    *code)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = joren_server_db_prepare (db, "SELECT 1 FROM coupon_redemptions WHERE code = ?");
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* A code used twice (two registers offline) is a fact on both tills: the
 * second use is recorded as a conflict, never dropped. */
JorenSyncResult *
joren_server_apply_coupon (JorenServerDb     *db,
                           gint64             register_id,
                           const JorenSyncOp *op,
                           GError           **error)
{
  g_autoptr(GError) invalid = NULL;
  const char *code;
  gint64 settled;

  if (!joren_sync_check_object (op->payload, "the coupon redemption", coupon_op_fields,
                                G_N_ELEMENTS (coupon_op_fields), &invalid))
    return joren_server_result_new (op, JOREN_SYNC_REJECTED, "invalid_payload", invalid->message);
  code = joren_sync_get_string (op->payload, "code");
  settled = settle_holds (db, op, joren_sync_get_string (op->payload, "sale_uuid"), 0, code, error);
  if (settled < 0)
    return NULL;
  if (code_redeemed (db, code))
    {
      if (!record_conflict (db, register_id, op, code, "coupon_reused", 0, error))
        return NULL;
    }
  else if (!insert_redemption (db, register_id, op, settled == 0, error)
           || !publish_redemption (db, register_id, op, error))
    return NULL;
  return joren_server_result_new (op, JOREN_SYNC_APPLIED, NULL, NULL);
}

gint64
joren_server_value_count_conflicts (JorenServerDb *db)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JorenServerStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, -1);

  locker = g_mutex_locker_new (&db->lock);
  stmt = joren_server_db_prepare (db, "SELECT count(*) FROM value_conflicts");
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
}

/* The other registers that spent the subject: ledger spends or captured
 * holds of the voucher, or uses of the code. */
#define OTHER_REGISTERS \
  "coalesce ((SELECT group_concat (DISTINCT r.name || ' #' || r.id) FROM registers r WHERE r.id <> c.register_id" \
  "   AND (r.id IN (SELECT l.register_id FROM value_ledger l JOIN value_accounts a" \
  "                 ON a.id = l.account_id WHERE a.number = c.subject AND l.amount < 0)" \
  "        OR r.id IN (SELECT h.register_id FROM holds h JOIN value_accounts a" \
  "                    ON a.id = h.account_id WHERE a.number = c.subject" \
  "                    AND h.state IN ('captured', 'settled'))" \
  "        OR r.id IN (SELECT u.register_id FROM coupon_redemptions u WHERE u.code = c.subject)))," \
  " '-')"

static void
append_conflict (GString      *out,
                 sqlite3_stmt *stmt)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 0)
                                                                   / G_USEC_PER_SEC);
  g_autofree char *when = g_date_time_format (at, "%Y-%m-%d %H:%M:%S");

  g_string_append_printf (out, "%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%s (offline)\t%s\n", when,
                          (const char *) sqlite3_column_text (stmt, 1),
                          (const char *) sqlite3_column_text (stmt, 2),
                          (gint64) sqlite3_column_int64 (stmt, 3),
                          (const char *) sqlite3_column_text (stmt, 4),
                          (const char *) sqlite3_column_text (stmt, 5));
}

char *
joren_server_value_describe_conflicts (JorenServerDb *db)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JorenServerStmt) stmt = NULL;
  GString *out = g_string_new ("time\tproblem\tsubject\tamount\tregister\tother registers\n");

  g_return_val_if_fail (db != NULL, NULL);

  locker = g_mutex_locker_new (&db->lock);
  stmt = joren_server_db_prepare (db, "SELECT c.recorded_at, c.problem, c.subject, c.amount,"
                                      " coalesce (g.name || ' #' || c.register_id, c.register_id), " OTHER_REGISTERS
                                      " FROM value_conflicts c LEFT JOIN registers g ON g.id = c.register_id"
                                      " ORDER BY c.recorded_at, c.id");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    append_conflict (out, stmt);
  return g_string_free (out, FALSE);
}
