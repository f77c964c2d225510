/* joren-server-db.c: the server's SQLite file. The inbox is what makes a
 * push idempotent: an op id is recorded with its result in the same
 * transaction as its effect (the sale rows and the register's next
 * sequence number), so after a crash either all three exist or none
 * does, and a replay finds the recorded result instead of applying
 * again. Statements are prepared once and cached per connection. */
#include "config.h"

#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "joren-outbox.h"
#include "joren-server-db-private.h"

#define BUSY_TIMEOUT_MS 10000

void
joren_server_stmt_release (JorenServerStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static JorenSyncResult *joren_server_apply_customer (JorenServerDb     *self,
                                                     gint64             register_id,
                                                     const JorenSyncOp *op,
                                                     GError           **error);
static JorenSyncResult *joren_server_apply_points   (JorenServerDb     *self,
                                                     gint64             register_id,
                                                     const JorenSyncOp *op,
                                                     GError           **error);

static const char schema_sql[] =
  "CREATE TABLE stores ("
  "  id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (name <> ''),"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE registers ("
  "  id INTEGER PRIMARY KEY, store_id INTEGER NOT NULL REFERENCES stores (id),"
  "  name TEXT NOT NULL, created_at INTEGER NOT NULL,"
  "  next_seq INTEGER NOT NULL DEFAULT 1 CHECK (next_seq >= 1));"
  /* Only SHA-256 of tokens and codes: a copy of this file pairs nothing. */
  "CREATE TABLE tokens ("
  "  hash TEXT PRIMARY KEY, register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  created_at INTEGER NOT NULL, revoked_at INTEGER) WITHOUT ROWID;"
  "CREATE INDEX tokens_register ON tokens (register_id);"
  "CREATE TABLE pairing_codes ("
  "  hash TEXT PRIMARY KEY, store_id INTEGER NOT NULL REFERENCES stores (id),"
  "  expires_at INTEGER NOT NULL, used_at INTEGER,"
  "  register_id INTEGER REFERENCES registers (id)) WITHOUT ROWID;"
  "CREATE TABLE inbox ("
  "  op_id TEXT PRIMARY KEY, register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  seq INTEGER NOT NULL, payload_hash TEXT NOT NULL,"
  "  result TEXT NOT NULL CHECK (result IN ('applied', 'rejected')),"
  "  reason TEXT, message TEXT, received_at INTEGER NOT NULL,"
  "  UNIQUE (register_id, seq)) WITHOUT ROWID;"
  "CREATE TABLE sales ("
  "  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, op_id TEXT NOT NULL,"
  "  register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  receipt_no TEXT NOT NULL, created_at INTEGER NOT NULL, staff_id INTEGER NOT NULL,"
  "  total INTEGER NOT NULL, tax_total INTEGER NOT NULL);"
  "CREATE TABLE sale_lines ("
  "  sale_id INTEGER NOT NULL REFERENCES sales (id), position INTEGER NOT NULL,"
  "  product_id INTEGER NOT NULL, name TEXT NOT NULL, qty INTEGER NOT NULL,"
  "  unit_price INTEGER NOT NULL, amount INTEGER NOT NULL, rate_bp INTEGER NOT NULL,"
  "  PRIMARY KEY (sale_id, position)) WITHOUT ROWID;"
  "CREATE TABLE sale_tenders ("
  "  sale_id INTEGER NOT NULL REFERENCES sales (id), position INTEGER NOT NULL,"
  "  kind TEXT NOT NULL, amount INTEGER NOT NULL,"
  "  PRIMARY KEY (sale_id, position)) WITHOUT ROWID;"
  /* Master data as canonical JSON documents; the feed is compacted: an
   * entity keeps only its latest change, so a register that was away a
   * month pulls each product once. AUTOINCREMENT: a cursor is never
   * reused, even after the newest change row is deleted. */
  "CREATE TABLE master_data ("
  "  entity TEXT NOT NULL, id INTEGER NOT NULL, data TEXT NOT NULL,"
  "  PRIMARY KEY (entity, id)) WITHOUT ROWID;"
  "CREATE TABLE changes ("
  "  cursor INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL,"
  "  entity_id INTEGER NOT NULL, data TEXT);"
  "CREATE INDEX changes_entity ON changes (entity, entity_id);";

/* Version 2: the chain's customers and their points, pushed by the
 * registers as "customer" and "points" ops and published in the changes
 * feed. A customer is known everywhere by its uuid (made by the register
 * that created it); id is only this server's key and the feed's entity
 * id. Profile fields merge last-write-wins per field: customer_fields
 * holds each field's winning value (canonical JSON) with its time and
 * register, the tie-break; the losers go to customer_field_history. A
 * card code is unique across the chain: a second customer registered
 * with a code the chain already has is merged into the first
 * (merged_into), never duplicated. Points are an append-only ledger, one
 * row per op; a balance is a sum (view points_balances, which counts a
 * merged customer's rows for the customer it was merged into). */
static const char schema_v2_sql[] =
  "CREATE TABLE customers ("
  "  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
  "  member_no TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', store TEXT,"
  "  register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  merged_into INTEGER REFERENCES customers (id));"
  "CREATE INDEX customers_member_no ON customers (member_no);"
  "CREATE TABLE customer_fields ("
  "  customer_id INTEGER NOT NULL REFERENCES customers (id), field TEXT NOT NULL,"
  "  value TEXT NOT NULL, changed_at INTEGER NOT NULL, register_id INTEGER NOT NULL,"
  "  PRIMARY KEY (customer_id, field)) WITHOUT ROWID;"
  "CREATE TABLE customer_field_history ("
  "  id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id),"
  "  field TEXT NOT NULL, value TEXT NOT NULL, changed_at INTEGER NOT NULL,"
  "  register_id INTEGER NOT NULL, op_id TEXT, recorded_at INTEGER NOT NULL);"
  "CREATE INDEX customer_field_history_customer ON customer_field_history (customer_id);"
  "CREATE TABLE customer_cards ("
  "  code TEXT PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('barcode', 'qr', 'rfid')),"
  "  register_id INTEGER NOT NULL, added_at INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE INDEX customer_cards_customer ON customer_cards (customer_id);"
  /* Normalised numbers ('+' and digits) from the "phones" field. */
  "CREATE TABLE customer_phones ("
  "  customer_id INTEGER NOT NULL REFERENCES customers (id), phone TEXT NOT NULL,"
  "  PRIMARY KEY (customer_id, phone)) WITHOUT ROWID;"
  "CREATE INDEX customer_phones_phone ON customer_phones (phone);"
  "CREATE TABLE points_ledger ("
  "  id INTEGER PRIMARY KEY, op_id TEXT NOT NULL UNIQUE,"
  "  customer_id INTEGER NOT NULL REFERENCES customers (id),"
  "  register_id INTEGER NOT NULL REFERENCES registers (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'adjust', 'expire', 'reversal')),"
  "  points INTEGER NOT NULL CHECK (points <> 0), reason TEXT, sale_uuid TEXT,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX points_ledger_customer ON points_ledger (customer_id, created_at);"
  "CREATE TRIGGER points_ledger_no_update BEFORE UPDATE ON points_ledger"
  " BEGIN SELECT RAISE (ABORT, 'points_ledger is append-only'); END;"
  "CREATE TRIGGER points_ledger_no_delete BEFORE DELETE ON points_ledger"
  " BEGIN SELECT RAISE (ABORT, 'points_ledger is append-only'); END;"
  "CREATE VIEW points_balances AS"
  "  SELECT coalesce (c.merged_into, c.id) AS customer_id, sum (p.points) AS points"
  "  FROM points_ledger p JOIN customers c ON c.id = p.customer_id"
  "  GROUP BY coalesce (c.merged_into, c.id);"
  /* The member a sale was for (its payload's optional customer_uuid). */
  "ALTER TABLE sales ADD COLUMN customer_id INTEGER REFERENCES customers (id);"
  "CREATE INDEX sales_customer ON sales (customer_id, created_at)"
  "  WHERE customer_id IS NOT NULL;";

/* Each step takes the file from version i to i + 1. */
static const char *const migrations[] = { schema_sql, schema_v2_sql,
                                          joren_server_value_schema_sql,
                                          joren_server_punch_schema_sql,
                                          joren_server_coupon_schema_sql };
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == JOREN_SERVER_DB_SCHEMA_VERSION);

static gboolean
set_error (JorenServerDb *self,
           const char    *doing,
           GError       **error)
{
  g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_SERVER,
               "%s: %s", doing, sqlite3_errmsg (self->handle));
  return FALSE;
}

static JorenServerStmt *
prepare (JorenServerDb *self,
         const char    *sql)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt != NULL)
    return stmt;
  /* The SQL is a literal of this file: failing to prepare it is a bug. */
  if (sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    g_error ("Cannot prepare \"%s\": %s", sql, sqlite3_errmsg (self->handle));
  g_hash_table_insert (self->stmts, (gpointer) sql, stmt);
  return stmt;
}

static gboolean
step_done (JorenServerDb   *self,
           JorenServerStmt *stmt,
           GError         **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_error (self, "Could not write to the server database", error);
  return TRUE;
}

static gboolean
exec (JorenServerDb *self,
      const char    *sql,
      GError       **error)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, sql);

  return step_done (self, stmt, error);
}

static gint64
query_int (JorenServerDb   *self,
           JorenServerStmt *stmt,
           gint64           fallback)
{
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : fallback;
}

static gint64
now_usec (void)
{
  return g_get_real_time ();
}

static char *
sha256_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static gboolean
migrate (JorenServerDb *self,
         GError       **error)
{
  g_autofree char *version_sql = NULL;
  g_autoptr(GString) steps = NULL;
  char *message = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 version = 0;

  if (sqlite3_prepare_v2 (self->handle, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (version > JOREN_SERVER_DB_SCHEMA_VERSION)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   "The server database was written by a newer joren-server (schema %" G_GINT64_FORMAT ").",
                   version);
      return FALSE;
    }
  if (version == JOREN_SERVER_DB_SCHEMA_VERSION)
    return TRUE;
  steps = g_string_new ("BEGIN IMMEDIATE;");
  for (gint64 i = version; i < JOREN_SERVER_DB_SCHEMA_VERSION; i++)
    g_string_append (steps, migrations[i]);
  g_string_append_printf (steps, "PRAGMA user_version = %d; COMMIT;",
                          JOREN_SERVER_DB_SCHEMA_VERSION);
  version_sql = g_string_free (g_steal_pointer (&steps), FALSE);
  if (sqlite3_exec (self->handle, version_sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   "Could not create the server database: %s", message);
      sqlite3_free (message);
      sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

JorenServerDb *
joren_server_db_open (const char *path,
                      GError    **error)
{
  g_autoptr(JorenServerDb) self = g_new0 (JorenServerDb, 1);

  g_return_val_if_fail (path != NULL, NULL);

  g_mutex_init (&self->lock);
  /* Keyed by the address of the SQL literal: hashing the text on every
   * use showed up in the push profile. */
  self->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) sqlite3_finalize);
  if (sqlite3_open_v2 (path, &self->handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    return set_error (self, "Could not open the server database", error), NULL;
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);
  if (sqlite3_exec (self->handle,
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                    " PRAGMA foreign_keys = ON;"
                    /* The inbox and sales are keyed by random UUIDs: with
                     * the default 2 MiB cache, inserts past ~50k sales miss
                     * the cache on nearly every index page. */
                    " PRAGMA cache_size = -65536;", NULL, NULL, NULL) != SQLITE_OK)
    return set_error (self, "Could not set up the server database", error), NULL;
  if (!migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
joren_server_db_free (JorenServerDb *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  sqlite3_close (self->handle);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static gboolean
begin (JorenServerDb *self,
       GError       **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit_or_rollback (JorenServerDb *self,
                    gboolean       ok,
                    GError       **error)
{
  if (ok && exec (self, "COMMIT", error))
    return TRUE;
  sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* ---- stores, pairing, tokens ---- */

gint64
joren_server_db_add_store (JorenServerDb *self,
                           const char    *name,
                           GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(JorenServerStmt) stmt = NULL;

  g_return_val_if_fail (name != NULL && *name != '\0', 0);

  stmt = prepare (self, "INSERT INTO stores (name, created_at) VALUES (?, ?)");
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now_usec ());
  if (!step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->handle);
}

gboolean
joren_server_db_has_store (JorenServerDb *self,
                           gint64         store_id)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT 1 FROM stores WHERE id = ?");

  sqlite3_bind_int64 (stmt, 1, store_id);
  return query_int (self, stmt, 0) == 1;
}

/* No 0/O, 1/I/L: the code is read aloud or typed on a touch keypad. */
static char *
random_code (void)
{
  static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  char code[11];

  for (guint i = 0; i < 10; i++)
    code[i] = alphabet[randombytes_uniform (sizeof alphabet - 1)];
  code[10] = '\0';
  return g_strdup (code);
}

static char *
random_token (void)
{
  guchar bytes[32];
  GString *token = g_string_sized_new (64);

  randombytes_buf (bytes, sizeof bytes);
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);
  sodium_memzero (bytes, sizeof bytes);
  return g_string_free (token, FALSE);
}

char *
joren_server_db_new_pairing_code (JorenServerDb *self,
                                  gint64         store_id,
                                  guint          ttl_s,
                                  GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree char *code = random_code ();
  g_autofree char *hash = sha256_hex (code);
  g_autoptr(JorenServerStmt) stmt = NULL;

  g_return_val_if_fail (ttl_s > 0, NULL);

  stmt = prepare (self, "INSERT INTO pairing_codes (hash, store_id, expires_at) VALUES (?, ?, ?)");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, store_id);
  sqlite3_bind_int64 (stmt, 3, now_usec () + (gint64) ttl_s * G_USEC_PER_SEC);
  if (!step_done (self, stmt, error))
    return NULL;
  return g_steal_pointer (&code);
}

/* The store of a code still valid, marking it used; 0 otherwise. */
static gint64
use_pairing_code (JorenServerDb *self,
                  const char    *code)
{
  g_autofree char *hash = sha256_hex (code);
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = prepare (self, "UPDATE pairing_codes SET used_at = ?1"
                        " WHERE hash = ?2 AND used_at IS NULL AND expires_at > ?1"
                        " RETURNING store_id");
  sqlite3_bind_int64 (stmt, 1, now_usec ());
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  return query_int (self, stmt, 0);
}

static gint64
insert_register (JorenServerDb *self,
                 gint64         store_id,
                 const char    *name,
                 GError       **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = prepare (self, "INSERT INTO registers (store_id, name, created_at) VALUES (?, ?, ?)");
  sqlite3_bind_int64 (stmt, 1, store_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_usec ());
  if (!step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->handle);
}

static gboolean
insert_token (JorenServerDb *self,
              gint64         register_id,
              const char    *token,
              GError       **error)
{
  g_autofree char *hash = sha256_hex (token);
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = prepare (self, "INSERT INTO tokens (hash, register_id, created_at) VALUES (?, ?, ?)");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, register_id);
  sqlite3_bind_int64 (stmt, 3, now_usec ());
  return step_done (self, stmt, error);
}

static gboolean
record_pairing (JorenServerDb *self,
                const char    *code,
                gint64         register_id,
                GError       **error)
{
  g_autofree char *hash = sha256_hex (code);
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = prepare (self, "UPDATE pairing_codes SET register_id = ? WHERE hash = ?");
  sqlite3_bind_int64 (stmt, 1, register_id);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static char *
pair_locked (JorenServerDb *self,
             const char    *code,
             const char    *register_name,
             gint64        *register_id,
             gint64        *store_id,
             GError       **error)
{
  g_autofree char *token = random_token ();

  *store_id = use_pairing_code (self, code);
  if (*store_id == 0)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNAUTHORIZED,
                   "The pairing code is unknown, already used or expired; ask the owner for a new one.");
      return NULL;
    }
  *register_id = insert_register (self, *store_id, register_name, error);
  if (*register_id == 0
      || !insert_token (self, *register_id, token, error)
      || !record_pairing (self, code, *register_id, error))
    return NULL;
  return g_steal_pointer (&token);
}

char *
joren_server_db_pair (JorenServerDb *self,
                      const char    *code,
                      const char    *register_name,
                      gint64        *register_id,
                      gint64        *store_id,
                      GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree char *token = NULL;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (register_name != NULL, NULL);
  g_return_val_if_fail (register_id != NULL && store_id != NULL, NULL);

  if (!begin (self, error))
    return NULL;
  token = pair_locked (self, code, register_name, register_id, store_id, error);
  if (!commit_or_rollback (self, token != NULL, error))
    return NULL;
  return g_steal_pointer (&token);
}

gint64
joren_server_db_authenticate (JorenServerDb *self,
                              const char    *token)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree char *hash = NULL;
  g_autoptr(JorenServerStmt) stmt = NULL;

  if (token == NULL || strlen (token) != 64)
    return 0;
  hash = sha256_hex (token);
  stmt = prepare (self, "SELECT register_id FROM tokens WHERE hash = ? AND revoked_at IS NULL");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  return query_int (self, stmt, 0);
}

gboolean
joren_server_db_revoke_register (JorenServerDb *self,
                                 gint64         register_id,
                                 GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = prepare (self, "UPDATE tokens SET revoked_at = ? WHERE register_id = ? AND revoked_at IS NULL");
  sqlite3_bind_int64 (stmt, 1, now_usec ());
  sqlite3_bind_int64 (stmt, 2, register_id);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->handle) == 0)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   "Register %" G_GINT64_FORMAT " has no active token.", register_id);
      return FALSE;
    }
  return TRUE;
}

static gint64
get_next_seq_locked (JorenServerDb *self,
                     gint64         register_id)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT next_seq FROM registers WHERE id = ?");

  sqlite3_bind_int64 (stmt, 1, register_id);
  return query_int (self, stmt, 0);
}

gint64
joren_server_db_get_next_seq (JorenServerDb *self,
                              gint64         register_id)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return get_next_seq_locked (self, register_id);
}

/* ---- the inbox ---- */

static JorenSyncResult *
new_result (const JorenSyncOp *op,
            JorenSyncStatus    status,
            const char        *reason,
            const char        *message)
{
  JorenSyncResult *result = g_new0 (JorenSyncResult, 1);

  result->op_id = g_strdup (op->op_id);
  result->status = status;
  result->reason = g_strdup (reason);
  result->message = g_strdup (message);
  return result;
}

/* A replay: the result recorded the first time, or a conflict when the
 * op id comes back with another payload or from another register. */
static JorenSyncResult *
replay_result (JorenServerStmt   *row,
               gint64             register_id,
               const JorenSyncOp *op)
{
  const char *hash = (const char *) sqlite3_column_text (row, 1);
  const char *recorded = (const char *) sqlite3_column_text (row, 2);

  if (sqlite3_column_int64 (row, 0) != register_id || g_strcmp0 (hash, op->payload_hash) != 0)
    return new_result (op, JOREN_SYNC_REJECTED, "op_id_conflict",
                       "This op id was already used with a different payload.");
  if (g_strcmp0 (recorded, "applied") == 0)
    return new_result (op, JOREN_SYNC_DUPLICATE, NULL, NULL);
  return new_result (op, JOREN_SYNC_REJECTED,
                     (const char *) sqlite3_column_text (row, 3),
                     (const char *) sqlite3_column_text (row, 4));
}

static gboolean
record_op (JorenServerDb         *self,
           gint64                 register_id,
           const JorenSyncOp     *op,
           const JorenSyncResult *result,
           GError               **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = prepare (self, "INSERT INTO inbox (op_id, register_id, seq, payload_hash, result,"
                        " reason, message, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, register_id);
  sqlite3_bind_int64 (stmt, 3, op->seq);
  sqlite3_bind_text (stmt, 4, op->payload_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, result->status == JOREN_SYNC_APPLIED ? "applied" : "rejected",
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, result->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, result->message, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, now_usec ());
  return step_done (self, stmt, error);
}

static gboolean
sale_exists (JorenServerDb *self,
             const char    *uuid)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT 1 FROM sales WHERE uuid = ?");

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  return query_int (self, stmt, 0) == 1;
}

static gboolean
insert_sale_lines (JorenServerDb       *self,
                   gint64               sale_id,
                   const JorenSyncSale *sale,
                   GError             **error)
{
  for (guint i = 0; i < sale->lines->len; i++)
    {
      const JorenSyncSaleLine *line = &g_array_index (sale->lines, JorenSyncSaleLine, i);
      g_autoptr(JorenServerStmt) stmt = NULL;

      stmt = prepare (self, "INSERT INTO sale_lines (sale_id, position, product_id, name, qty,"
                            " unit_price, amount, rate_bp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      sqlite3_bind_int64 (stmt, 1, sale_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_int64 (stmt, 3, line->product_id);
      sqlite3_bind_text (stmt, 4, line->name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, line->qty);
      sqlite3_bind_int64 (stmt, 6, line->unit_price);
      sqlite3_bind_int64 (stmt, 7, line->amount);
      sqlite3_bind_int64 (stmt, 8, line->rate_bp);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_sale_tenders (JorenServerDb       *self,
                     gint64               sale_id,
                     const JorenSyncSale *sale,
                     GError             **error)
{
  for (guint i = 0; i < sale->tenders->len; i++)
    {
      const JorenSyncTender *tender = &g_array_index (sale->tenders, JorenSyncTender, i);
      g_autoptr(JorenServerStmt) stmt = NULL;

      stmt = prepare (self, "INSERT INTO sale_tenders (sale_id, position, kind, amount)"
                            " VALUES (?, ?, ?, ?)");
      sqlite3_bind_int64 (stmt, 1, sale_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_text (stmt, 3, tender->kind, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, tender->amount);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_sale (JorenServerDb       *self,
             gint64               register_id,
             const JorenSyncOp   *op,
             const JorenSyncSale *sale,
             GError             **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;
  gint64 sale_id;

  stmt = prepare (self, "INSERT INTO sales (uuid, op_id, register_id, receipt_no, created_at,"
                        " staff_id, total, tax_total, customer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                        " (SELECT coalesce (merged_into, id) FROM customers WHERE uuid = ?9))");
  sqlite3_bind_text (stmt, 1, sale->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, register_id);
  sqlite3_bind_text (stmt, 4, sale->receipt_no, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, sale->created_at);
  sqlite3_bind_int64 (stmt, 6, sale->staff_id);
  sqlite3_bind_int64 (stmt, 7, sale->total);
  sqlite3_bind_int64 (stmt, 8, sale->tax_total);
  sqlite3_bind_text (stmt, 9, sale->customer_uuid, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;
  sale_id = sqlite3_last_insert_rowid (self->handle);
  return insert_sale_lines (self, sale_id, sale, error)
         && insert_sale_tenders (self, sale_id, sale, error);
}

static JorenSyncResult *
apply_sale_op (JorenServerDb     *self,
               gint64             register_id,
               const JorenSyncOp *op,
               GError           **error)
{
  g_autoptr(GError) invalid = NULL;
  g_autoptr(JorenSyncSale) sale = joren_sync_sale_from_json (op->payload, &invalid);

  if (sale == NULL)
    return new_result (op, JOREN_SYNC_REJECTED, "invalid_payload", invalid->message);
  if (sale_exists (self, sale->uuid))
    return new_result (op, JOREN_SYNC_REJECTED, "sale_exists",
                       "A sale with this uuid was already applied from another op.");
  if (!insert_sale (self, register_id, op, sale, error))
    return NULL;
  return new_result (op, JOREN_SYNC_APPLIED, NULL, NULL);
}

/* The op at the expected sequence number: applied, or rejected for its
 * content. Either way the number is used up, so one bad op cannot
 * block the register's outbox forever. */
static JorenSyncResult *
apply_op (JorenServerDb     *self,
          gint64             register_id,
          const JorenSyncOp *op,
          GError           **error)
{
  g_autoptr(JorenSyncResult) result = NULL;

  if (g_str_equal (op->kind, "customer"))
    result = joren_server_apply_customer (self, register_id, op, error);
  else if (g_str_equal (op->kind, "points"))
    result = joren_server_apply_points (self, register_id, op, error);
  else if (g_str_equal (op->kind, "value"))
    result = joren_server_apply_value (self, register_id, op, error);
  else if (g_str_equal (op->kind, "coupon"))
    result = joren_server_apply_coupon (self, register_id, op, error);
  else if (g_str_equal (op->kind, "punch"))
    result = joren_server_apply_punch (self, register_id, op, error);
  else if (g_str_equal (op->kind, "coupon_campaign"))
    result = joren_server_apply_coupon_campaign (self, register_id, op, error);
  else if (g_str_equal (op->kind, "coupon_codes"))
    result = joren_server_apply_coupon_codes (self, register_id, op, error);
  else
    result = apply_sale_op (self, register_id, op, error);
  if (result == NULL)
    return NULL;

  if (!record_op (self, register_id, op, result, error))
    return NULL;
  return g_steal_pointer (&result);
}

static JorenSyncResult *
process_op (JorenServerDb     *self,
            gint64             register_id,
            const JorenSyncOp *op,
            gint64            *next_seq,
            GError           **error)
{
  g_autoptr(JorenServerStmt) row = NULL;
  JorenSyncResult *result;

  row = prepare (self, "SELECT register_id, payload_hash, result, reason, message"
                       " FROM inbox WHERE op_id = ?");
  sqlite3_bind_text (row, 1, op->op_id, -1, SQLITE_STATIC);
  if (sqlite3_step (row) == SQLITE_ROW)
    return replay_result (row, register_id, op);

  if (op->seq < *next_seq)
    return new_result (op, JOREN_SYNC_REJECTED, "sequence_used",
                       "This sequence number already belongs to another op of this register.");
  if (op->seq > *next_seq)
    {
      result = new_result (op, JOREN_SYNC_REJECTED, "sequence_gap",
                           "Ops must arrive in sequence; send the expected one first.");
      result->expected_seq = *next_seq;
      return result;
    }
  result = apply_op (self, register_id, op, error);
  if (result != NULL)
    *next_seq += 1;
  return result;
}

static gboolean
store_next_seq (JorenServerDb *self,
                gint64         register_id,
                gint64         next_seq,
                GError       **error)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, "UPDATE registers SET next_seq = ? WHERE id = ?");

  sqlite3_bind_int64 (stmt, 1, next_seq);
  sqlite3_bind_int64 (stmt, 2, register_id);
  return step_done (self, stmt, error);
}

static GPtrArray *
apply_ops_locked (JorenServerDb *self,
                  gint64         register_id,
                  GPtrArray     *ops,
                  gint64        *next_seq,
                  GError       **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_result_free);
  gint64 seq = get_next_seq_locked (self, register_id);
  gint64 first_seq = seq;

  for (guint i = 0; i < ops->len; i++)
    {
      JorenSyncResult *result = process_op (self, register_id, g_ptr_array_index (ops, i), &seq, error);

      if (result == NULL)
        return NULL;
      g_ptr_array_add (results, result);
    }
  if (seq != first_seq && !store_next_seq (self, register_id, seq, error))
    return NULL;
  *next_seq = seq;
  return g_steal_pointer (&results);
}

GPtrArray *
joren_server_db_apply_ops (JorenServerDb *self,
                           gint64         register_id,
                           GPtrArray     *ops,
                           gint64        *next_seq,
                           GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GPtrArray) results = NULL;
  gint64 seq = 0;

  g_return_val_if_fail (register_id > 0, NULL);
  g_return_val_if_fail (ops != NULL, NULL);

  if (!begin (self, error))
    return NULL;
  results = apply_ops_locked (self, register_id, ops, &seq, error);
  if (!commit_or_rollback (self, results != NULL, error))
    return NULL;
  if (next_seq != NULL)
    *next_seq = seq;
  return g_steal_pointer (&results);
}

/* ---- for the other files on this connection (joren-server-db-private.h) ---- */

JorenServerStmt *
joren_server_db_prepare (JorenServerDb *self,
                         const char    *sql)
{
  return prepare (self, sql);
}

gboolean
joren_server_db_step_done (JorenServerDb   *self,
                           JorenServerStmt *stmt,
                           GError         **error)
{
  return step_done (self, stmt, error);
}

gboolean
joren_server_db_begin (JorenServerDb *self,
                       GError       **error)
{
  return begin (self, error);
}

gboolean
joren_server_db_finish (JorenServerDb *self,
                        gboolean       ok,
                        GError       **error)
{
  return commit_or_rollback (self, ok, error);
}

JorenSyncResult *
joren_server_result_new (const JorenSyncOp *op,
                         JorenSyncStatus    status,
                         const char        *reason,
                         const char        *message)
{
  return new_result (op, status, reason, message);
}

/* ---- master data and the changes feed ---- */

void
joren_server_entity_free (JorenServerEntity *entity)
{
  if (entity == NULL)
    return;
  g_free (entity->entity);
  g_clear_pointer (&entity->data, cJSON_Delete);
  g_free (entity);
}

void
joren_server_change_free (JorenServerChange *change)
{
  if (change == NULL)
    return;
  g_free (change->entity);
  g_free (change->data);
  g_free (change);
}

static gboolean
write_master_data (JorenServerDb *self,
                   const char    *entity,
                   gint64         id,
                   const char    *data,
                   GError       **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  if (data != NULL)
    stmt = prepare (self, "INSERT OR REPLACE INTO master_data (entity, id, data) VALUES (?, ?, ?)");
  else
    stmt = prepare (self, "DELETE FROM master_data WHERE entity = ? AND id = ?");
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (data != NULL)
    sqlite3_bind_text (stmt, 3, data, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

/* Compaction: the entity's older changes go, its newest one is added. */
static gboolean
write_change (JorenServerDb *self,
              const char    *entity,
              gint64         id,
              const char    *data,
              GError       **error)
{
  g_autoptr(JorenServerStmt) drop = prepare (self, "DELETE FROM changes WHERE entity = ? AND entity_id = ?");
  g_autoptr(JorenServerStmt) add = NULL;

  sqlite3_bind_text (drop, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (drop, 2, id);
  if (!step_done (self, drop, error))
    return FALSE;
  add = prepare (self, "INSERT INTO changes (entity, entity_id, data) VALUES (?, ?, ?)");
  sqlite3_bind_text (add, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (add, 2, id);
  sqlite3_bind_text (add, 3, data, -1, SQLITE_STATIC);
  return step_done (self, add, error);
}

static gboolean
put_entity (JorenServerDb           *self,
            const JorenServerEntity *entity,
            GError                 **error)
{
  g_autoptr(GString) data = NULL;

  if (entity->data != NULL)
    {
      data = g_string_new (NULL);
      if (!joren_sync_write_canonical (data, entity->data, error))
        return FALSE;
    }
  return write_master_data (self, entity->entity, entity->id, data ? data->str : NULL, error)
         && write_change (self, entity->entity, entity->id, data ? data->str : NULL, error);
}

gboolean
joren_server_db_put_entities (JorenServerDb *self,
                              GPtrArray     *entities,
                              GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  gboolean ok = TRUE;

  g_return_val_if_fail (entities != NULL, FALSE);

  if (!begin (self, error))
    return FALSE;
  for (guint i = 0; ok && i < entities->len; i++)
    ok = put_entity (self, g_ptr_array_index (entities, i), error);
  return commit_or_rollback (self, ok, error);
}

cJSON *
joren_server_db_get_entity (JorenServerDb *self,
                            const char    *entity,
                            gint64         id)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(JorenServerStmt) stmt = NULL;

  g_return_val_if_fail (entity != NULL, NULL);

  stmt = prepare (self, "SELECT data FROM master_data WHERE entity = ? AND id = ?");
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return cJSON_Parse ((const char *) sqlite3_column_text (stmt, 0));
}

GPtrArray *
joren_server_db_read_changes (JorenServerDb *self,
                              gint64         since,
                              guint          limit,
                              GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_server_change_free);
  g_autoptr(JorenServerStmt) stmt = NULL;
  int rc;

  stmt = prepare (self, "SELECT cursor, entity, entity_id, data FROM changes"
                        " WHERE cursor > ? ORDER BY cursor LIMIT ?");
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenServerChange *change = g_new0 (JorenServerChange, 1);

      change->cursor = sqlite3_column_int64 (stmt, 0);
      change->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      change->id = sqlite3_column_int64 (stmt, 2);
      change->data = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (changes, change);
    }
  if (rc != SQLITE_DONE)
    return set_error (self, "Could not read the changes", error), NULL;
  return g_steal_pointer (&changes);
}

gint64
joren_server_db_get_last_cursor (JorenServerDb *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT coalesce(max(cursor), 0) FROM changes");

  return query_int (self, stmt, 0);
}

gint64
joren_server_db_count_rows (JorenServerDb   *self,
                            JorenServerTable table)
{
  static const char *const sql[] = {
    "SELECT count(*) FROM sales",
    "SELECT count(*) FROM sale_lines",
    "SELECT count(*) FROM inbox",
    "SELECT count(*) FROM registers",
  };
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JorenServerStmt) stmt = NULL;

  g_return_val_if_fail (table <= JOREN_SERVER_TABLE_REGISTERS, -1);

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self, sql[table]);
  return query_int (self, stmt, -1);
}

/* ---- customers and points ----
 * A customer op carries the fields that changed on the register, each
 * with the time it changed; the server stamps them with the pushing
 * register's id. Last write wins per field: the newer time, on a tie the
 * higher register id. Registers apply the feed with the same rule, so
 * every copy converges on the same winner; the loser is kept. */

static const JorenSyncField customer_op_fields[] = {
  { "uuid", JOREN_SYNC_FIELD_STRING, TRUE },
  { "member_no", JOREN_SYNC_FIELD_STRING, TRUE },
  { "store", JOREN_SYNC_FIELD_STRING, TRUE },
  { "created_at", JOREN_SYNC_FIELD_INT, TRUE },
  { "fields", JOREN_SYNC_FIELD_OBJECT, TRUE },
  { "cards", JOREN_SYNC_FIELD_ARRAY, TRUE },
};

static const JorenSyncField field_entry_fields[] = {
  { "value", JOREN_SYNC_FIELD_STRING, FALSE },   /* type checked below */
  { "at", JOREN_SYNC_FIELD_INT, TRUE },
};

static const JorenSyncField card_fields[] = {
  { "code", JOREN_SYNC_FIELD_STRING, TRUE },
  { "kind", JOREN_SYNC_FIELD_STRING, TRUE },
};

static gboolean
check_field_entry (const cJSON  *entry,
                   GError      **error)
{
  const cJSON *value = cJSON_GetObjectItemCaseSensitive (entry, "value");
  g_autoptr(cJSON) copy = NULL;

  if (!joren_outbox_is_customer_field (entry->string))
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID,
                   "unknown customer field \"%s\"", entry->string);
      return FALSE;
    }
  if (value == NULL || !cJSON_IsObject (entry))
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID,
                   "customer field \"%s\" needs \"value\" and \"at\"", entry->string);
      return FALSE;
    }
  /* "value" may be a string, a bool, null or an array: check the rest. */
  copy = cJSON_Duplicate (entry, TRUE);
  cJSON_DeleteItemFromObjectCaseSensitive (copy, "value");
  return joren_sync_check_object (copy, entry->string, field_entry_fields + 1, 1, error);
}

static gboolean
check_customer_op (const cJSON  *payload,
                   GError      **error)
{
  const cJSON *item;

  if (!joren_sync_check_object (payload, "the customer", customer_op_fields,
                                G_N_ELEMENTS (customer_op_fields), error))
    return FALSE;
  if (!joren_sync_is_uuid (joren_sync_get_string (payload, "uuid")))
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID,
                   "the customer's \"uuid\" must be a lower-case UUID");
      return FALSE;
    }
  cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive (payload, "fields"))
    if (!check_field_entry (item, error))
      return FALSE;
  cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive (payload, "cards"))
    if (!joren_sync_check_object (item, "a card", card_fields, G_N_ELEMENTS (card_fields), error))
      return FALSE;
  return TRUE;
}

/* The customer's id, following a merge; 0 when unknown. */
static gint64
find_customer (JorenServerDb *self,
               const char    *uuid)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT coalesce (merged_into, id) FROM customers"
                                                   " WHERE uuid = ?");

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  return query_int (self, stmt, 0);
}

static gint64
find_own_id (JorenServerDb *self,
             const cJSON   *payload)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT id FROM customers WHERE uuid = ?");

  sqlite3_bind_text (stmt, 1, joren_sync_get_string (payload, "uuid"), -1, SQLITE_STATIC);
  return query_int (self, stmt, 0);
}

static gint64
ensure_customer (JorenServerDb *self,
                 gint64         register_id,
                 const cJSON   *payload,
                 GError       **error)
{
  const char *uuid = joren_sync_get_string (payload, "uuid");
  g_autoptr(JorenServerStmt) stmt = NULL;
  gint64 id = find_customer (self, uuid);

  if (id != 0)
    return id;
  stmt = prepare (self, "INSERT INTO customers (uuid, member_no, store, register_id, created_at,"
                        " updated_at) VALUES (?, ?, ?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, joren_sync_get_string (payload, "member_no"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, joren_sync_get_string (payload, "store"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, register_id);
  sqlite3_bind_int64 (stmt, 5, joren_sync_get_int (payload, "created_at", 0));
  sqlite3_bind_int64 (stmt, 6, now_usec ());
  if (!step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->handle);
}

typedef struct {
  const char *field;
  const char *value;    /* canonical JSON */
  gint64      at;
  gint64      register_id;
} FieldVersion;

static gboolean
keep_history (JorenServerDb      *self,
              gint64              customer_id,
              const FieldVersion *loser,
              const char         *op_id,
              GError            **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = prepare (self, "INSERT INTO customer_field_history (customer_id, field, value, changed_at,"
                        " register_id, op_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, loser->field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, loser->value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, loser->at);
  sqlite3_bind_int64 (stmt, 5, loser->register_id);
  sqlite3_bind_text (stmt, 6, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, now_usec ());
  return step_done (self, stmt, error);
}

static gboolean
store_phones (JorenServerDb *self,
              gint64         customer_id,
              const char    *value,
              GError       **error)
{
  g_autoptr(cJSON) phones = cJSON_Parse (value);
  g_autoptr(JorenServerStmt) drop = prepare (self, "DELETE FROM customer_phones WHERE customer_id = ?");
  const cJSON *phone;

  sqlite3_bind_int64 (drop, 1, customer_id);
  if (!step_done (self, drop, error))
    return FALSE;
  cJSON_ArrayForEach (phone, phones)
    {
      g_autoptr(JorenServerStmt) add = NULL;

      if (!cJSON_IsString (phone))
        continue;
      add = prepare (self, "INSERT OR IGNORE INTO customer_phones (customer_id, phone) VALUES (?, ?)");
      sqlite3_bind_int64 (add, 1, customer_id);
      sqlite3_bind_text (add, 2, phone->valuestring, -1, SQLITE_STATIC);
      if (!step_done (self, add, error))
        return FALSE;
    }
  return TRUE;
}

/* Denormalised copies of winning values the member page reads. */
static gboolean
store_winner (JorenServerDb      *self,
              gint64              customer_id,
              const FieldVersion *winner,
              GError            **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;

  stmt = prepare (self, "INSERT OR REPLACE INTO customer_fields (customer_id, field, value,"
                        " changed_at, register_id) VALUES (?, ?, ?, ?, ?)");
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, winner->field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, winner->value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, winner->at);
  sqlite3_bind_int64 (stmt, 5, winner->register_id);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (g_str_equal (winner->field, "phones"))
    return store_phones (self, customer_id, winner->value, error);
  if (g_str_equal (winner->field, "name"))
    {
      g_autoptr(cJSON) name = cJSON_Parse (winner->value);
      g_autoptr(JorenServerStmt) update = prepare (self, "UPDATE customers SET name = ? WHERE id = ?");

      sqlite3_bind_text (update, 1, cJSON_IsString (name) ? name->valuestring : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (update, 2, customer_id);
      return step_done (self, update, error);
    }
  return TRUE;
}

static gboolean
merge_field (JorenServerDb      *self,
             gint64              customer_id,
             const FieldVersion *incoming,
             const char         *op_id,
             GError            **error)
{
  g_autoptr(JorenServerStmt) stmt = NULL;
  g_autofree char *current_value = NULL;
  FieldVersion current = { incoming->field, NULL, 0, 0 };
  gboolean incoming_wins = TRUE;

  stmt = prepare (self, "SELECT value, changed_at, register_id FROM customer_fields"
                        " WHERE customer_id = ? AND field = ?");
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, incoming->field, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      current.value = current_value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      current.at = sqlite3_column_int64 (stmt, 1);
      current.register_id = sqlite3_column_int64 (stmt, 2);
      incoming_wins = incoming->at != current.at ? incoming->at > current.at
                                                 : incoming->register_id > current.register_id;
    }
  sqlite3_reset (stmt);
  if (!incoming_wins)
    return keep_history (self, customer_id, incoming, op_id, error);
  if (current.value != NULL && !keep_history (self, customer_id, &current, op_id, error))
    return FALSE;
  return store_winner (self, customer_id, incoming, error);
}

static gboolean
merge_fields (JorenServerDb *self,
              gint64         customer_id,
              gint64         register_id,
              const cJSON   *fields,
              const char    *op_id,
              GError       **error)
{
  const cJSON *entry;

  cJSON_ArrayForEach (entry, fields)
    {
      g_autoptr(GString) value = g_string_new (NULL);
      FieldVersion incoming = { entry->string, NULL, joren_sync_get_int (entry, "at", 0), register_id };

      if (!joren_sync_write_canonical (value, cJSON_GetObjectItemCaseSensitive (entry, "value"), error))
        return FALSE;
      incoming.value = value->str;
      if (!merge_field (self, customer_id, &incoming, op_id, error))
        return FALSE;
    }
  return TRUE;
}

/* Another customer's fields, as the server holds them, merged into the
 * survivor by the same rule. */
static gboolean
merge_all_fields (JorenServerDb *self,
                  gint64         from,
                  gint64         into,
                  GError       **error)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT field, value, changed_at, register_id"
                                                   " FROM customer_fields WHERE customer_id = ?");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean ok = TRUE;

  sqlite3_bind_int64 (stmt, 1, from);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 3);
      gint64 pair[2] = { sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3) };

      row[0] = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row[1] = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (rows, row);
      g_array_append_vals (times, pair, 2);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; ok && i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      FieldVersion version = { row[0], row[1], g_array_index (times, gint64, 2 * i),
                               g_array_index (times, gint64, 2 * i + 1) };

      ok = merge_field (self, into, &version, NULL, error);
    }
  g_array_unref (times);
  return ok;
}

static gboolean
exec_two_ids (JorenServerDb *self,
              const char    *sql,
              gint64         a,
              gint64         b,
              GError       **error)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, sql);

  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  return step_done (self, stmt, error);
}

/* The same card registered for two customers: one person. The customer
 * that had the card first (in the server's commit order) survives; the
 * other points at it, its cards move, its fields merge. Its ledger rows
 * stay as they were (append-only) and count for the survivor. */
static gboolean
merge_customers (JorenServerDb *self,
                 gint64         from,
                 gint64         into,
                 GError       **error)
{
  return exec_two_ids (self, "UPDATE customers SET merged_into = ?2 WHERE id = ?1 OR merged_into = ?1",
                       from, into, error)
         && exec_two_ids (self, "UPDATE customer_cards SET customer_id = ?2 WHERE customer_id = ?1",
                          from, into, error)
         && merge_all_fields (self, from, into, error);
}

/* Adds the op's cards; returns the customer the op's customer now is
 * (itself, or the one it was merged into). */
static gint64
merge_cards (JorenServerDb *self,
             gint64         customer_id,
             gint64         register_id,
             const cJSON   *cards,
             GError       **error)
{
  const cJSON *card;

  cJSON_ArrayForEach (card, cards)
    {
      const char *code = joren_sync_get_string (card, "code");
      g_autoptr(JorenServerStmt) owner = prepare (self, "SELECT coalesce (c.merged_into, c.id)"
                                                        " FROM customer_cards k JOIN customers c"
                                                        " ON c.id = k.customer_id WHERE k.code = ?");
      g_autoptr(JorenServerStmt) add = NULL;
      gint64 holder;

      sqlite3_bind_text (owner, 1, code, -1, SQLITE_STATIC);
      holder = query_int (self, owner, 0);
      if (holder == customer_id)
        continue;
      if (holder != 0)
        {
          if (!merge_customers (self, customer_id, holder, error))
            return 0;
          customer_id = holder;
          continue;
        }
      add = prepare (self, "INSERT INTO customer_cards (code, customer_id, kind, register_id, added_at)"
                           " VALUES (?, ?, ?, ?, ?)");
      sqlite3_bind_text (add, 1, code, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (add, 2, customer_id);
      sqlite3_bind_text (add, 3, joren_sync_get_string (card, "kind"), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (add, 4, register_id);
      sqlite3_bind_int64 (add, 5, now_usec ());
      if (!step_done (self, add, error))
        return 0;
    }
  return customer_id;
}

static void
add_fields_json (JorenServerDb *self,
                 gint64         customer_id,
                 cJSON         *json)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT field, value, changed_at, register_id"
                                                   " FROM customer_fields WHERE customer_id = ?");
  cJSON *fields = cJSON_AddObjectToObject (json, "fields");

  sqlite3_bind_int64 (stmt, 1, customer_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      cJSON *entry = cJSON_AddObjectToObject (fields, (const char *) sqlite3_column_text (stmt, 0));

      cJSON_AddItemToObject (entry, "value", cJSON_Parse ((const char *) sqlite3_column_text (stmt, 1)));
      cJSON_AddNumberToObject (entry, "at", (double) sqlite3_column_int64 (stmt, 2));
      cJSON_AddNumberToObject (entry, "register", (double) sqlite3_column_int64 (stmt, 3));
    }
}

static void
add_cards_json (JorenServerDb *self,
                gint64         customer_id,
                cJSON         *json)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT code, kind FROM customer_cards"
                                                   " WHERE customer_id = ? ORDER BY code");
  cJSON *cards = cJSON_AddArrayToObject (json, "cards");

  sqlite3_bind_int64 (stmt, 1, customer_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      cJSON *card = cJSON_CreateObject ();

      cJSON_AddStringToObject (card, "code", (const char *) sqlite3_column_text (stmt, 0));
      cJSON_AddStringToObject (card, "kind", (const char *) sqlite3_column_text (stmt, 1));
      cJSON_AddItemToArray (cards, card);
    }
}

/* The feed's "customer" document: the winning fields with their clocks,
 * the cards, and the survivor's uuid when this one was merged. */
static cJSON *
customer_to_json (JorenServerDb *self,
                  gint64         customer_id)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT c.uuid, c.member_no, c.store, c.created_at,"
                                                   " s.uuid FROM customers c LEFT JOIN customers s"
                                                   " ON s.id = c.merged_into WHERE c.id = ?");
  cJSON *json = cJSON_CreateObject ();

  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("Customer %" G_GINT64_FORMAT " vanished inside its transaction", customer_id);
  cJSON_AddStringToObject (json, "uuid", (const char *) sqlite3_column_text (stmt, 0));
  cJSON_AddStringToObject (json, "member_no", (const char *) sqlite3_column_text (stmt, 1));
  cJSON_AddStringToObject (json, "store", (const char *) sqlite3_column_text (stmt, 2));
  cJSON_AddNumberToObject (json, "created_at", (double) sqlite3_column_int64 (stmt, 3));
  if (sqlite3_column_type (stmt, 4) == SQLITE_NULL)
    cJSON_AddNullToObject (json, "merged_into");
  else
    cJSON_AddStringToObject (json, "merged_into", (const char *) sqlite3_column_text (stmt, 4));
  sqlite3_reset (stmt);
  add_fields_json (self, customer_id, json);
  add_cards_json (self, customer_id, json);
  return json;
}

static gboolean
publish (JorenServerDb *self,
         const char    *entity,
         gint64         id,
         cJSON         *data,
         gboolean       keep_document,
         GError       **error)
{
  g_autoptr(cJSON) owned = data;
  g_autoptr(GString) text = g_string_new (NULL);

  if (!joren_sync_write_canonical (text, owned, error))
    return FALSE;
  if (keep_document && !write_master_data (self, entity, id, text->str, error))
    return FALSE;
  return write_change (self, entity, id, text->str, error);
}

static gboolean
publish_customer (JorenServerDb *self,
                  gint64         customer_id,
                  GError       **error)
{
  return publish (self, "customer", customer_id, customer_to_json (self, customer_id), TRUE, error);
}

static JorenSyncResult *
joren_server_apply_customer (JorenServerDb     *self,
                             gint64             register_id,
                             const JorenSyncOp *op,
                             GError           **error)
{
  g_autoptr(GError) invalid = NULL;
  gint64 id, survivor;

  if (!check_customer_op (op->payload, &invalid))
    return new_result (op, JOREN_SYNC_REJECTED, "invalid_payload", invalid->message);
  id = ensure_customer (self, register_id, op->payload, error);
  if (id == 0
      || !merge_fields (self, id, register_id, cJSON_GetObjectItemCaseSensitive (op->payload, "fields"),
                        op->op_id, error))
    return NULL;
  survivor = merge_cards (self, id, register_id, cJSON_GetObjectItemCaseSensitive (op->payload, "cards"),
                          error);
  if (survivor == 0
      || !publish_customer (self, survivor, error)
      || (survivor != id && !publish_customer (self, find_own_id (self, op->payload), error)))
    return NULL;
  return new_result (op, JOREN_SYNC_APPLIED, NULL, NULL);
}

static const JorenSyncField points_op_fields[] = {
  { "customer_uuid", JOREN_SYNC_FIELD_STRING, TRUE },
  { "kind", JOREN_SYNC_FIELD_STRING, TRUE },
  { "points", JOREN_SYNC_FIELD_INT, TRUE },
  { "reason", JOREN_SYNC_FIELD_STRING, FALSE },
  { "sale_uuid", JOREN_SYNC_FIELD_STRING, FALSE },
  { "created_at", JOREN_SYNC_FIELD_INT, TRUE },
};

static const char *const points_kinds[] = { "earn", "redeem", "adjust", "expire", "reversal", NULL };

static gboolean
check_points_op (const cJSON  *payload,
                 GError      **error)
{
  if (!joren_sync_check_object (payload, "the points entry", points_op_fields,
                                G_N_ELEMENTS (points_op_fields), error))
    return FALSE;
  if (!g_strv_contains (points_kinds, joren_sync_get_string (payload, "kind"))
      || joren_sync_get_int (payload, "points", 0) == 0)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID,
                   "a points entry needs a known \"kind\" and non-zero \"points\"");
      return FALSE;
    }
  return TRUE;
}

static void
add_string_if_set (cJSON       *json,
                   const cJSON *from,
                   const char  *name)
{
  const char *value = joren_sync_get_string (from, name);

  if (value != NULL)
    cJSON_AddStringToObject (json, name, value);
}

/* The feed's "points" document names the customer the entry counts for
 * now (the survivor of a merge) and the register it came from, so that
 * register can skip its own entries. */
static cJSON *
points_to_json (const JorenSyncOp *op,
                const char        *customer_uuid,
                gint64             register_id)
{
  cJSON *json = cJSON_CreateObject ();

  cJSON_AddStringToObject (json, "op_id", op->op_id);
  cJSON_AddStringToObject (json, "customer_uuid", customer_uuid);
  cJSON_AddStringToObject (json, "kind", joren_sync_get_string (op->payload, "kind"));
  cJSON_AddNumberToObject (json, "points", (double) joren_sync_get_int (op->payload, "points", 0));
  add_string_if_set (json, op->payload, "reason");
  add_string_if_set (json, op->payload, "sale_uuid");
  cJSON_AddNumberToObject (json, "created_at", (double) joren_sync_get_int (op->payload, "created_at", 0));
  cJSON_AddNumberToObject (json, "register", (double) register_id);
  return json;
}

static char *
customer_uuid_of (JorenServerDb *self,
                  gint64         customer_id)
{
  g_autoptr(JorenServerStmt) stmt = prepare (self, "SELECT uuid FROM customers WHERE id = ?");

  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static JorenSyncResult *
joren_server_apply_points (JorenServerDb     *self,
                           gint64             register_id,
                           const JorenSyncOp *op,
                           GError           **error)
{
  g_autoptr(GError) invalid = NULL;
  g_autoptr(JorenServerStmt) stmt = NULL;
  g_autofree char *survivor_uuid = NULL;
  gint64 customer_id;

  if (!check_points_op (op->payload, &invalid))
    return new_result (op, JOREN_SYNC_REJECTED, "invalid_payload", invalid->message);
  customer_id = find_customer (self, joren_sync_get_string (op->payload, "customer_uuid"));
  if (customer_id == 0)
    return new_result (op, JOREN_SYNC_REJECTED, "unknown_customer",
                       "The points entry names a customer the server does not know.");
  stmt = prepare (self, "INSERT INTO points_ledger (op_id, customer_id, register_id, kind, points,"
                        " reason, sale_uuid, created_at) VALUES (?, (SELECT id FROM customers"
                        " WHERE uuid = ?), ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, joren_sync_get_string (op->payload, "customer_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, register_id);
  sqlite3_bind_text (stmt, 4, joren_sync_get_string (op->payload, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, joren_sync_get_int (op->payload, "points", 0));
  sqlite3_bind_text (stmt, 6, joren_sync_get_string (op->payload, "reason"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, joren_sync_get_string (op->payload, "sale_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, joren_sync_get_int (op->payload, "created_at", 0));
  if (!step_done (self, stmt, error))
    return NULL;
  survivor_uuid = customer_uuid_of (self, customer_id);
  if (!publish (self, "points", sqlite3_last_insert_rowid (self->handle),
                points_to_json (op, survivor_uuid, register_id), FALSE, error))
    return NULL;
  return new_result (op, JOREN_SYNC_APPLIED, NULL, NULL);
}

gint64
joren_server_db_points_balance (JorenServerDb *self,
                                const char    *customer_uuid)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(JorenServerStmt) stmt = NULL;

  g_return_val_if_fail (customer_uuid != NULL, 0);

  stmt = prepare (self, "SELECT coalesce (sum (points), 0) FROM points_balances"
                        " WHERE customer_id = (SELECT coalesce (merged_into, id) FROM customers"
                        " WHERE uuid = ?)");
  sqlite3_bind_text (stmt, 1, customer_uuid, -1, SQLITE_STATIC);
  return query_int (self, stmt, 0);
}

gboolean
joren_server_db_publish (JorenServerDb *self,
                         const char    *entity,
                         gint64         id,
                         cJSON         *data,
                         GError       **error)
{
  return publish (self, entity, id, data, FALSE, error);
}

char *
joren_server_db_customer_uuid (JorenServerDb *self,
                               const char    *uuid)
{
  gint64 id = find_customer (self, uuid);

  return id != 0 ? customer_uuid_of (self, id) : NULL;
}

/* A change the server makes itself (an unsubscribe from a mail link):
 * merged by the same last-write-wins rule as a register's change, as
 * register 0 at the server's time, and published so every register
 * pulls it. The caller holds the lock inside a transaction. */
gboolean
joren_server_db_set_customer_field (JorenServerDb  *self,
                                    const char     *uuid,
                                    const char     *field,
                                    const char     *value,
                                    GError        **error)
{
  gint64 id = find_customer (self, uuid);
  FieldVersion version = { field, value, now_usec (), 0 };

  g_assert (id != 0);
  return merge_field (self, id, &version, NULL, error) && publish_customer (self, id, error);
}
