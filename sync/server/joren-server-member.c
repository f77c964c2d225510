/* joren-server-member.c: member accounts behind the /member page. The
 * sign-in is built so that the page tells an attacker nothing: an unknown
 * card costs the same Argon2id verification as a wrong password (against
 * a dummy hash) and gets the same answer, and a card is locked after
 * JOREN_MEMBER_MAX_FAILURES wrong passwords whether it exists or not. The
 * lock lives in SQLite (a restart does not reset it); the per-address
 * bucket lives in memory (it only slows a flood). Password checks run
 * outside the lock: one slow hash must not stall every other member. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "joren-server-member.h"
#include "joren-sync-protocol.h"

#define BUSY_TIMEOUT_MS 10000
#define MAX_VISITS 10

typedef struct {
  double tokens;
  gint64 at;       /* monotonic µs of the last refill */
} Bucket;

struct _JorenServerMember {
  GMutex      lock;
  sqlite3    *handle;
  GHashTable *stmts;     /* SQL literal (by address) -> sqlite3_stmt */
  GHashTable *buckets;   /* address -> Bucket */
  char       *dummy_hash;
};

typedef sqlite3_stmt MemberStmt;

static void
release_stmt (MemberStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MemberStmt, release_stmt)

/* IF NOT EXISTS: these tables sit in joren-server's own file, whose
 * schema version belongs to joren-server-db.c. */
static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS member_passwords ("
  "  card TEXT PRIMARY KEY, hash TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS member_logins ("
  "  card TEXT PRIMARY KEY, failures INTEGER NOT NULL DEFAULT 0,"
  "  locked_until INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
  /* Only SHA-256 of session ids: a copy of the file signs nobody in. */
  "CREATE TABLE IF NOT EXISTS member_sessions ("
  "  hash TEXT PRIMARY KEY, card TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS member_sessions_card ON member_sessions (card);";

static gboolean
set_error (JorenServerMember *self,
           const char        *doing,
           GError           **error)
{
  g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_SERVER,
               "%s: %s", doing, sqlite3_errmsg (self->handle));
  return FALSE;
}

static MemberStmt *
prepare (JorenServerMember *self,
         const char        *sql)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      /* Only the summary's reads of other tables can fail here (an
       * older schema); callers check for NULL. */
      g_debug ("Cannot prepare \"%s\": %s", sql, sqlite3_errmsg (self->handle));
      return NULL;
    }
  g_hash_table_insert (self->stmts, (gpointer) sql, stmt);
  return stmt;
}

static gboolean
step_done (JorenServerMember *self,
           MemberStmt        *stmt,
           GError           **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_error (self, "Could not write member data", error);
  return TRUE;
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

/* Argon2id at libsodium's interactive cost (64 MiB, ~0.1 s), or the
 * minimum under JOREN_FAST_PWHASH=1 for the tests, like staff PINs. */
static char *
hash_password (const char *password)
{
  gboolean fast = g_strcmp0 (g_getenv ("JOREN_FAST_PWHASH"), "1") == 0;
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, password, strlen (password),
                         fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return NULL;
  return g_strdup (hash);
}

static gboolean
open_handle (JorenServerMember *self,
             const char        *db_path,
             GError           **error)
{
  char *message = NULL;

  if (sqlite3_open_v2 (db_path, &self->handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    return set_error (self, "Could not open the server database", error);
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);
  if (sqlite3_exec (self->handle, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;",
                    NULL, NULL, NULL) != SQLITE_OK)
    return set_error (self, "Could not set up the server database", error);
  if (sqlite3_exec (self->handle, schema_sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   "Could not create the member tables: %s", message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

JorenServerMember *
joren_server_member_new (const char *db_path,
                         GError    **error)
{
  g_autoptr(JorenServerMember) self = NULL;

  g_return_val_if_fail (db_path != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED, "libsodium failed to start");
      return NULL;
    }
  self = g_new0 (JorenServerMember, 1);
  g_mutex_init (&self->lock);
  self->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) sqlite3_finalize);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->dummy_hash = hash_password ("joren-member-dummy-password");
  if (self->dummy_hash == NULL)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED, "Not enough memory to hash passwords");
      return NULL;
    }
  if (!open_handle (self, db_path, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
joren_server_member_free (JorenServerMember *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  sqlite3_close (self->handle);
  g_free (self->dummy_hash);
  g_mutex_clear (&self->lock);
  g_free (self);
}

gboolean
joren_server_member_card_is_valid (const char *card)
{
  gsize len;

  g_return_val_if_fail (card != NULL, FALSE);

  len = strlen (card);
  if (len == 0 || len > JOREN_MEMBER_CARD_MAX)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isgraph (card[i]))
      return FALSE;
  return TRUE;
}

static gboolean
password_is_valid (const char *password)
{
  gsize len = strlen (password);

  return len >= JOREN_MEMBER_PASSWORD_MIN && len <= JOREN_MEMBER_PASSWORD_MAX
         && g_utf8_validate (password, -1, NULL);
}

/* ---- members ---- */

static gboolean
has_table_locked (JorenServerMember *self,
                  const char        *name)
{
  g_autoptr(MemberStmt) stmt = prepare (self, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* The customer a card code (or member number) belongs to, following a
 * merge to the customer that absorbed it; 0 when there is none. */
static gint64
find_customer_locked (JorenServerMember *self,
                      const char        *card)
{
  g_autoptr(MemberStmt) stmt = prepare (self,
    "SELECT coalesce (c.merged_into, c.id) FROM customer_cards k"
    " JOIN customers c ON c.id = k.customer_id WHERE k.code = ?1"
    " UNION ALL SELECT coalesce (merged_into, id) FROM customers WHERE member_no = ?1"
    " LIMIT 1");

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, card, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* ---- passwords ---- */

static gboolean
store_password_locked (JorenServerMember *self,
                       const char        *card,
                       const char        *hash,
                       GError           **error)
{
  g_autoptr(MemberStmt) put = prepare (self, "INSERT OR REPLACE INTO member_passwords"
                                             " (card, hash, updated_at) VALUES (?, ?, ?)");
  g_autoptr(MemberStmt) unlock = NULL;
  g_autoptr(MemberStmt) end = NULL;

  sqlite3_bind_text (put, 1, card, -1, SQLITE_STATIC);
  sqlite3_bind_text (put, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (put, 3, now_usec ());
  if (!step_done (self, put, error))
    return FALSE;
  unlock = prepare (self, "DELETE FROM member_logins WHERE card = ?");
  sqlite3_bind_text (unlock, 1, card, -1, SQLITE_STATIC);
  if (!step_done (self, unlock, error))
    return FALSE;
  /* A new password ends the sessions the old one opened. */
  end = prepare (self, "DELETE FROM member_sessions WHERE card = ?");
  sqlite3_bind_text (end, 1, card, -1, SQLITE_STATIC);
  return step_done (self, end, error);
}

static gboolean
exec_locked (JorenServerMember *self,
             const char        *sql,
             GError           **error)
{
  if (sqlite3_exec (self->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_error (self, "Could not write member data", error);
  return TRUE;
}

gboolean
joren_server_member_set_password (JorenServerMember *self,
                                  const char        *card,
                                  const char        *password,
                                  GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *hash = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (card != NULL && password != NULL, FALSE);

  if (!joren_server_member_card_is_valid (card))
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID,
                   "A card number is 1 to %d printable ASCII characters.", JOREN_MEMBER_CARD_MAX);
      return FALSE;
    }
  if (!password_is_valid (password))
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID,
                   "A password is %d to %d bytes of UTF-8.",
                   JOREN_MEMBER_PASSWORD_MIN, JOREN_MEMBER_PASSWORD_MAX);
      return FALSE;
    }
  hash = hash_password (password);
  if (hash == NULL)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_SERVER, "Not enough memory to hash the password.");
      return FALSE;
    }
  locker = g_mutex_locker_new (&self->lock);
  /* Once the server knows the chain's customers, only theirs. */
  if (has_table_locked (self, "customers") && find_customer_locked (self, card) == 0)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID,
                   "No member has the card %s.", card);
      return FALSE;
    }
  if (!exec_locked (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  ok = store_password_locked (self, card, hash, error);
  sqlite3_exec (self->handle, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
  return ok;
}

static char *
read_line (FILE *stream)
{
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  while ((c = fgetc (stream)) != EOF && c != '\n' && line->len <= JOREN_MEMBER_PASSWORD_MAX)
    g_string_append_c (line, (char) c);
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

gboolean
joren_server_member_admin_set_password (const char *db_path,
                                        const char *card,
                                        GError    **error)
{
  g_autoptr(JorenServerMember) self = NULL;
  g_autofree char *password = NULL;

  g_return_val_if_fail (db_path != NULL && card != NULL, FALSE);

  self = joren_server_member_new (db_path, error);
  if (self == NULL)
    return FALSE;
  password = read_line (stdin);
  if (!joren_server_member_set_password (self, card, password, error))
    return FALSE;
  sodium_memzero (password, strlen (password));
  return TRUE;
}

/* ---- sign-in ---- */

/* Takes one attempt from the address's bucket; FALSE when it is empty. */
static gboolean
take_address_token (JorenServerMember *self,
                    const char        *address)
{
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket = g_hash_table_lookup (self->buckets, address);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = JOREN_MEMBER_ADDRESS_BURST;
      bucket->at = now;
      g_hash_table_insert (self->buckets, g_strdup (address), bucket);
    }
  bucket->tokens = MIN ((double) JOREN_MEMBER_ADDRESS_BURST,
                        bucket->tokens + (now - bucket->at) / (JOREN_MEMBER_ADDRESS_REFILL_S * 1e6));
  bucket->at = now;
  if (bucket->tokens < 1.0)
    return FALSE;
  bucket->tokens -= 1.0;
  return TRUE;
}

static gboolean
is_locked_locked (JorenServerMember *self,
                  const char        *card)
{
  g_autoptr(MemberStmt) stmt = prepare (self, "SELECT locked_until FROM member_logins WHERE card = ?");

  sqlite3_bind_text (stmt, 1, card, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > now_usec ();
}

static char *
read_hash_locked (JorenServerMember *self,
                  const char        *card)
{
  g_autoptr(MemberStmt) stmt = prepare (self, "SELECT hash FROM member_passwords WHERE card = ?");

  sqlite3_bind_text (stmt, 1, card, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* Counts a failure; TRUE when it locked the card. The count restarts
 * with the lock, so the next five after it expires lock it again. */
static gboolean
record_failure_locked (JorenServerMember *self,
                       const char        *card)
{
  g_autoptr(MemberStmt) count = prepare (self, "INSERT INTO member_logins (card, failures) VALUES (?, 1)"
                                               " ON CONFLICT (card) DO UPDATE SET failures = failures + 1");
  g_autoptr(MemberStmt) lock = NULL;

  sqlite3_bind_text (count, 1, card, -1, SQLITE_STATIC);
  if (sqlite3_step (count) != SQLITE_DONE)
    g_warning ("Could not count a failed member sign-in: %s", sqlite3_errmsg (self->handle));
  lock = prepare (self, "UPDATE member_logins SET failures = 0, locked_until = ?"
                        " WHERE card = ? AND failures >= ?");
  sqlite3_bind_int64 (lock, 1, now_usec () + (gint64) JOREN_MEMBER_LOCK_S * G_USEC_PER_SEC);
  sqlite3_bind_text (lock, 2, card, -1, SQLITE_STATIC);
  sqlite3_bind_int (lock, 3, JOREN_MEMBER_MAX_FAILURES);
  return sqlite3_step (lock) == SQLITE_DONE && sqlite3_changes (self->handle) > 0;
}

static char *
open_session_locked (JorenServerMember *self,
                     const char        *card)
{
  guint8 raw[32];
  g_autofree char *id = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(MemberStmt) clear = prepare (self, "DELETE FROM member_logins WHERE card = ?");
  g_autoptr(MemberStmt) add = NULL;

  randombytes_buf (raw, sizeof raw);
  id = g_malloc (sizeof raw * 2 + 1);
  sodium_bin2hex (id, sizeof raw * 2 + 1, raw, sizeof raw);
  hash = sha256_hex (id);
  sqlite3_bind_text (clear, 1, card, -1, SQLITE_STATIC);
  sqlite3_step (clear);
  add = prepare (self, "INSERT INTO member_sessions (hash, card, expires_at) VALUES (?, ?, ?)");
  sqlite3_bind_text (add, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 2, card, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (add, 3, now_usec () + (gint64) JOREN_MEMBER_SESSION_S * G_USEC_PER_SEC);
  if (sqlite3_step (add) != SQLITE_DONE)
    {
      g_warning ("Could not open a member session: %s", sqlite3_errmsg (self->handle));
      return NULL;
    }
  return g_steal_pointer (&id);
}

/* Verifies outside the lock; an unknown card verifies against the
 * dummy hash so that it takes as long as a wrong password. */
static gboolean
check_password (JorenServerMember *self,
                const char        *hash,
                const char        *password)
{
  gboolean ok;

  ok = crypto_pwhash_str_verify (hash != NULL ? hash : self->dummy_hash,
                                 password, strlen (password)) == 0;
  return ok && hash != NULL;
}

JorenMemberSignIn
joren_server_member_sign_in (JorenServerMember *self,
                             const char        *card,
                             const char        *password,
                             const char        *address,
                             char             **session_id)
{
  g_autofree char *hash = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, JOREN_MEMBER_REFUSED);
  g_return_val_if_fail (card != NULL && password != NULL && address != NULL, JOREN_MEMBER_REFUSED);
  g_return_val_if_fail (session_id != NULL, JOREN_MEMBER_REFUSED);

  *session_id = NULL;
  g_mutex_lock (&self->lock);
  if (!take_address_token (self, address))
    return g_mutex_unlock (&self->lock), JOREN_MEMBER_THROTTLED;
  if (!joren_server_member_card_is_valid (card) || strlen (password) > JOREN_MEMBER_PASSWORD_MAX)
    return g_mutex_unlock (&self->lock), JOREN_MEMBER_REFUSED;
  if (is_locked_locked (self, card))
    return g_mutex_unlock (&self->lock), JOREN_MEMBER_LOCKED;
  hash = read_hash_locked (self, card);
  g_mutex_unlock (&self->lock);

  ok = check_password (self, hash, password);

  g_mutex_lock (&self->lock);
  if (ok)
    *session_id = open_session_locked (self, card);
  else if (record_failure_locked (self, card))
    return g_mutex_unlock (&self->lock), JOREN_MEMBER_LOCKED;
  g_mutex_unlock (&self->lock);
  return *session_id != NULL ? JOREN_MEMBER_SIGNED_IN : JOREN_MEMBER_REFUSED;
}

static gboolean
session_id_is_valid (const char *session_id)
{
  if (strlen (session_id) != 64)
    return FALSE;
  for (const char *p = session_id; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

char *
joren_server_member_lookup (JorenServerMember *self,
                            const char        *session_id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(MemberStmt) stmt = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (session_id == NULL || !session_id_is_valid (session_id))
    return NULL;
  hash = sha256_hex (session_id);
  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT card FROM member_sessions WHERE hash = ? AND expires_at > ?");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now_usec ());
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

void
joren_server_member_sign_out (JorenServerMember *self,
                              const char        *session_id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(MemberStmt) stmt = NULL;

  g_return_if_fail (self != NULL);

  if (session_id == NULL || !session_id_is_valid (session_id))
    return;
  hash = sha256_hex (session_id);
  locker = g_mutex_locker_new (&self->lock);
  /* Expired sessions of anyone go too: the table stays small. */
  stmt = prepare (self, "DELETE FROM member_sessions WHERE hash = ? OR expires_at <= ?");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now_usec ());
  sqlite3_step (stmt);
}

/* ---- what a member sees ---- */

static void
balance_free (JorenMemberBalance *balance)
{
  g_free (balance->kind);
  g_free (balance->code);
  g_free (balance);
}

static void
card_free (JorenMemberCard *card)
{
  g_free (card->name);
  g_free (card);
}

static void
visit_free (JorenMemberVisit *visit)
{
  g_free (visit->store);
  g_free (visit);
}

void
joren_member_summary_free (JorenMemberSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->card);
  g_free (summary->name);
  g_ptr_array_unref (summary->balances);
  g_ptr_array_unref (summary->cards);
  g_ptr_array_unref (summary->visits);
  g_free (summary);
}

static void
read_customer_locked (JorenServerMember  *self,
                      gint64              customer_id,
                      JorenMemberSummary *summary)
{
  g_autoptr(MemberStmt) name = prepare (self, "SELECT name FROM customers WHERE id = ?");
  g_autoptr(MemberStmt) points = prepare (self, "SELECT points FROM points_balances WHERE customer_id = ?");

  sqlite3_bind_int64 (name, 1, customer_id);
  if (sqlite3_step (name) == SQLITE_ROW && sqlite3_column_bytes (name, 0) > 0)
    summary->name = g_strdup ((const char *) sqlite3_column_text (name, 0));
  summary->has_points = points != NULL;
  if (points == NULL)
    return;
  sqlite3_bind_int64 (points, 1, customer_id);
  summary->points = sqlite3_step (points) == SQLITE_ROW ? sqlite3_column_int64 (points, 0) : 0;
}

/* Visits are the member's sales (a customer merged into this one
 * included), with the points each one earned or spent. */
static void
read_visits_locked (JorenServerMember  *self,
                    gint64              customer_id,
                    JorenMemberSummary *summary)
{
  g_autoptr(MemberStmt) stmt = prepare (self,
    "SELECT s.created_at, st.name, s.total,"
    "  (SELECT coalesce (sum (p.points), 0) FROM points_ledger p WHERE p.sale_uuid = s.uuid)"
    " FROM sales s JOIN customers c ON c.id = s.customer_id"
    " LEFT JOIN registers r ON r.id = s.register_id LEFT JOIN stores st ON st.id = r.store_id"
    " WHERE coalesce (c.merged_into, c.id) = ? ORDER BY s.created_at DESC LIMIT ?");

  summary->has_visits = stmt != NULL;
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int (stmt, 2, MAX_VISITS);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JorenMemberVisit *visit = g_new0 (JorenMemberVisit, 1);

      visit->at = sqlite3_column_int64 (stmt, 0);
      visit->store = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      visit->total = sqlite3_column_int64 (stmt, 2);
      visit->points = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (summary->visits, visit);
    }
}

/* The value accounts linked to the member (or to a customer merged into
 * it), with their ledger's sum. Expired ones are left out: nothing can
 * be spent from them. */
static void
read_balances_locked (JorenServerMember  *self,
                      gint64              customer_id,
                      JorenMemberSummary *summary)
{
  g_autoptr(MemberStmt) stmt = prepare (self,
    "SELECT a.kind, a.number, (SELECT coalesce (sum (l.amount), 0) FROM value_ledger l"
    "  WHERE l.account_id = a.id), coalesce (a.expires_at, 0)"
    " FROM value_accounts a JOIN customers c ON c.uuid = a.customer_uuid"
    " WHERE coalesce (c.merged_into, c.id) = ?1 AND coalesce (a.expires_at, ?2 + 1) > ?2"
    " ORDER BY a.kind, a.number");

  summary->has_balances = stmt != NULL;
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, now_usec ());
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JorenMemberBalance *balance = g_new0 (JorenMemberBalance, 1);

      balance->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      balance->code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      balance->balance = sqlite3_column_int64 (stmt, 2);
      balance->expires_at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (summary->balances, balance);
    }
}

/* Count cards with visits left that have not expired. */
static void
read_cards_locked (JorenServerMember  *self,
                   gint64              customer_id,
                   JorenMemberSummary *summary)
{
  g_autoptr(MemberStmt) stmt = prepare (self,
    "SELECT p.name, p.visits, sum (l.units), coalesce (p.expires_at, 0)"
    " FROM punch_cards p JOIN customers c ON c.id = p.customer_id"
    " JOIN punch_ledger l ON l.card_id = p.id"
    " WHERE coalesce (c.merged_into, c.id) = ?1 AND coalesce (p.expires_at, ?2 + 1) > ?2"
    " GROUP BY p.id HAVING sum (l.units) > 0"
    " ORDER BY p.expires_at IS NULL, p.expires_at, p.id");

  summary->has_cards = stmt != NULL;
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, now_usec ());
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JorenMemberCard *card = g_new0 (JorenMemberCard, 1);

      card->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      card->visits = sqlite3_column_int64 (stmt, 1);
      card->visits_left = sqlite3_column_int64 (stmt, 2);
      card->expires_at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (summary->cards, card);
    }
}

static gboolean
read_summary_locked (JorenServerMember  *self,
                     JorenMemberSummary *summary,
                     GError            **error)
{
  gint64 customer_id = find_customer_locked (self, summary->card);

  if (customer_id == 0)
    return TRUE;
  read_customer_locked (self, customer_id, summary);
  read_balances_locked (self, customer_id, summary);
  read_cards_locked (self, customer_id, summary);
  read_visits_locked (self, customer_id, summary);
  return TRUE;
}

JorenMemberSummary *
joren_server_member_summarize (JorenServerMember *self,
                               const char        *card,
                               GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JorenMemberSummary) summary = g_new0 (JorenMemberSummary, 1);

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (card != NULL, NULL);

  summary->card = g_strdup (card);
  summary->balances = g_ptr_array_new_with_free_func ((GDestroyNotify) balance_free);
  summary->cards = g_ptr_array_new_with_free_func ((GDestroyNotify) card_free);
  summary->visits = g_ptr_array_new_with_free_func ((GDestroyNotify) visit_free);
  locker = g_mutex_locker_new (&self->lock);
  /* One read transaction: points, balances and visits agree. */
  if (!exec_locked (self, "BEGIN", error))
    return NULL;
  if (!read_summary_locked (self, summary, error))
    return exec_locked (self, "ROLLBACK", NULL), NULL;
  exec_locked (self, "COMMIT", NULL);
  return g_steal_pointer (&summary);
}
