/* joren-db.c: the register's SQLite file. Opening sets the pragmas a till
 * needs (WAL with synchronous=FULL so a confirmed sale survives a power
 * cut, foreign keys, a busy timeout), refuses files that are damaged or
 * newer than this build, and applies the numbered migrations compiled in
 * from schema/NNN-*.sql, one transaction each. It also owns the
 * per-connection statement cache, transactions, the SQLite-to-GError
 * mapping the rest of data/ uses, and the shop settings. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "joren-data-resources.h"
#include "joren-db-private.h"

#define SCHEMA_DIR "/jp/joren/data/schema/"
#define BUSY_TIMEOUT_MS 5000

struct _JorenDb {
  GObject     parent_instance;
  sqlite3    *handle;
  char       *path;
  guint       version;
  GHashTable *statements;   /* SQL text -> sqlite3_stmt, owned */
};

G_DEFINE_FINAL_TYPE (JorenDb, joren_db, G_TYPE_OBJECT)

static void
joren_db_finalize (GObject *object)
{
  JorenDb *self = JOREN_DB (object);

  /* Statements first: sqlite3_close refuses while any is alive. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->handle != NULL)
    sqlite3_close (self->handle);
  g_free (self->path);

  G_OBJECT_CLASS (joren_db_parent_class)->finalize (object);
}

static void
joren_db_class_init (JorenDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = joren_db_finalize;
}

/* A sale's commit looks up some 25 statements of up to a kilobyte:
 * g_str_hash, a byte at a time, cost more than some of the statements
 * themselves. This takes 8 bytes a step (FNV-1a over words). */
static guint
hash_sql (gconstpointer key)
{
  const char *sql = key;
  gsize length = strlen (sql);
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325) ^ length;
  gsize i = 0;

  for (; i + sizeof (guint64) <= length; i += sizeof (guint64))
    {
      guint64 word;

      memcpy (&word, sql + i, sizeof word);
      hash = (hash ^ word) * G_GUINT64_CONSTANT (0x100000001b3);
    }
  for (; i < length; i++)
    hash = (hash ^ (guchar) sql[i]) * G_GUINT64_CONSTANT (0x100000001b3);
  return (guint) (hash ^ (hash >> 32));
}

static void
joren_db_init (JorenDb *self)
{
  self->statements = g_hash_table_new_full (hash_sql, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}

/* --- errors --------------------------------------------------------- */

static gint
error_code_for (int rc)
{
  switch (rc)
    {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return JOREN_DATA_ERROR_EXISTS;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return JOREN_DATA_ERROR_CORRUPT;
    default:
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return JOREN_DATA_ERROR_INVALID;
      if ((rc & 0xff) == SQLITE_CORRUPT)
        return JOREN_DATA_ERROR_CORRUPT;
      return JOREN_DATA_ERROR_FAILED;
    }
}

static const char *
reason_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return _("It is already stored.");
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return _("It refers to something that does not exist.");
      return _("A value is missing or out of range.");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return _("The register's database file is damaged. Restore it from a backup.");
    case SQLITE_FULL:
      return _("The disk is full. Free some space, then try again.");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return _("The database is busy with another task. Try again in a moment.");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      return _("The database file cannot be opened for writing. Check its permissions.");
    case SQLITE_IOERR:
      return _("The disk reported an error. Check the disk, then try again.");
    case SQLITE_NOMEM:
      return _("The register ran out of memory. Restart Joren.");
    default:
      return _("An unexpected database error happened.");
    }
}

gboolean
joren_db_set_error (JorenDb    *self,
                    int         rc,
                    const char *doing,
                    GError    **error)
{
  g_assert (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE);

  /* SQLite's own text goes to the log for support, not to the cashier. */
  g_debug ("SQLite error %d (%s): %s", rc, sqlite3_errstr (rc),
           self != NULL && self->handle != NULL ? sqlite3_errmsg (self->handle) : "");
  g_set_error (error, JOREN_DATA_ERROR, error_code_for (rc), "%s %s",
               doing, reason_for (rc));
  return FALSE;
}

/* --- statements ----------------------------------------------------- */

void
joren_stmt_release (JorenStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

sqlite3 *
joren_db_get_handle (JorenDb *self)
{
  g_return_val_if_fail (JOREN_IS_DB (self), NULL);

  return self->handle;
}

JorenStmt *
joren_db_prepare (JorenDb    *self,
                  const char *sql,
                  GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT,
                           &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_debug ("Cannot prepare \"%s\"", sql);
      joren_db_set_error (self, rc, _("Could not read the database."), error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
joren_db_step_done (JorenDb    *self,
                    JorenStmt  *stmt,
                    const char *doing,
                    GError    **error)
{
  gboolean has_row;

  return joren_db_step_row (self, stmt, &has_row, doing, error);
}

gboolean
joren_db_step_row (JorenDb    *self,
                   JorenStmt  *stmt,
                   gboolean   *has_row,
                   const char *doing,
                   GError    **error)
{
  int rc = sqlite3_step (stmt);

  *has_row = (rc == SQLITE_ROW);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;
  return joren_db_set_error (self, rc, doing, error);
}

gboolean
joren_db_exec (JorenDb    *self,
               const char *sql,
               const char *doing,
               GError    **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (self, sql, error);

  return stmt != NULL && joren_db_step_done (self, stmt, doing, error);
}

gboolean
joren_db_begin (JorenDb  *self,
                GError  **error)
{
  return joren_db_exec (self, "BEGIN IMMEDIATE",
                        _("Could not start writing to the database."), error);
}

gboolean
joren_db_commit (JorenDb  *self,
                 GError  **error)
{
  if (joren_db_exec (self, "COMMIT", _("Could not save the changes."), error))
    return TRUE;
  joren_db_rollback (self);
  return FALSE;
}

void
joren_db_rollback (JorenDb *self)
{
  /* Some errors (disk full, I/O) already rolled back for us. */
  if (!sqlite3_get_autocommit (self->handle))
    joren_db_exec (self, "ROLLBACK", "", NULL);
}

gboolean
joren_db_read_begin (JorenDb   *self,
                     gboolean  *started,
                     GError   **error)
{
  *started = sqlite3_get_autocommit (self->handle) != 0;
  return !*started || joren_db_exec (self, "BEGIN", _("Could not read the database."), error);
}

void
joren_db_read_end (JorenDb  *self,
                   gboolean  started)
{
  /* Nothing was written: ending it cannot lose anything. */
  if (started && !sqlite3_get_autocommit (self->handle))
    joren_db_exec (self, "COMMIT", "", NULL);
}

char *
joren_db_column_dup_text (sqlite3_stmt *stmt,
                          int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

void
joren_db_bind_text_or_null (sqlite3_stmt *stmt,
                            int           param,
                            const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, param, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, param);
}

void
joren_db_bind_id_or_null (sqlite3_stmt *stmt,
                          int           param,
                          gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, param, id);
  else
    sqlite3_bind_null (stmt, param);
}

GDateTime *
joren_db_time_from_usec (gint64 usec)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_add (seconds, usec % G_USEC_PER_SEC);
}

gint64
joren_db_time_to_usec (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC
         + g_date_time_get_microsecond (time);
}

/* --- opening and migrations ----------------------------------------- */

static gboolean
exec_sql (JorenDb    *self,
          const char *sql,
          const char *doing,
          GError    **error)
{
  int rc = sqlite3_exec (self->handle, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK || joren_db_set_error (self, rc, doing, error);
}

static gboolean
read_user_version (JorenDb  *self,
                   guint    *out,
                   GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  /* Reading the schema forces SQLite to parse the file header: a text
   * file or a damaged header fails here, before anything is written. */
  rc = sqlite3_prepare_v2 (self->handle,
                           "SELECT (SELECT count(*) FROM sqlite_schema),"
                           " user_version FROM pragma_user_version",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return joren_db_set_error (self, rc, _("Could not open the register's database."), error);
  *out = (guint) sqlite3_column_int (stmt, 1);
  return TRUE;
}

static gboolean
set_pragmas (JorenDb  *self,
             GError  **error)
{
  return exec_sql (self,
                   "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = FULL;"
                   "PRAGMA foreign_keys = ON;"
                   /* Statement journals (triggers, multi-row changes inside
                    * a transaction) and sorts stay in memory instead of a
                    * temp file: measured -17 % CPU applying a sync page. */
                   "PRAGMA temp_store = MEMORY;"
                   "PRAGMA cache_size = -16384;",
                   _("Could not prepare the register's database."), error);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The migration files, sorted, indexed by version - 1. */
static GPtrArray *
list_migrations (void)
{
  g_auto(GStrv) names = g_resource_enumerate_children (joren_data_get_resource (),
                                                       SCHEMA_DIR, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  g_assert (names != NULL);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".sql"))
      g_ptr_array_add (files, g_strconcat (SCHEMA_DIR, names[i], NULL));
  g_ptr_array_sort (files, compare_paths);
  for (guint i = 0; i < files->len; i++)
    g_assert (g_ascii_strtoull (strrchr (g_ptr_array_index (files, i), '/') + 1,
                                NULL, 10) == i + 1);
  g_assert (files->len == JOREN_DB_SCHEMA_VERSION);
  return files;
}

static gboolean
apply_migration (JorenDb     *self,
                 const char  *resource,
                 guint        version,
                 GError     **error)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (joren_data_get_resource (),
                                                    resource, 0, NULL);
  g_autofree char *sql = g_strndup (g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes));
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", version);
  const char *doing = _("Could not update the register's database.");

  g_debug ("Migrating %s to schema %u (%s)", self->path, version, resource);
  if (!exec_sql (self, "BEGIN IMMEDIATE", doing, error))
    return FALSE;
  if (exec_sql (self, sql, doing, error)
      && exec_sql (self, set_version, doing, error)
      && exec_sql (self, "COMMIT", doing, error))
    return TRUE;
  if (!sqlite3_get_autocommit (self->handle))
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
check_not_newer (JorenDb  *self,
                 GError  **error)
{
  if (self->version <= JOREN_DB_SCHEMA_VERSION)
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NEWER_SCHEMA,
               _("The database %s was written by a newer version of Joren "
                 "(schema %u; this version knows %u). Update Joren to open it."),
               self->path, self->version, JOREN_DB_SCHEMA_VERSION);
  return FALSE;
}

static gboolean
apply_migrations (JorenDb    *self,
                  GPtrArray  *files,
                  guint       target,
                  GError    **error)
{
  for (; self->version < target; self->version++)
    if (!apply_migration (self, g_ptr_array_index (files, self->version),
                          self->version + 1, error))
      return FALSE;
  return TRUE;
}

/* A migration may respell a table's constraints where SQLite keeps the
 * definition (010-commit.sql), which a build of SQLite with defensive
 * mode on by default would refuse: it is off while they run. */
static gboolean
migrate (JorenDb  *self,
         guint     target,
         GError  **error)
{
  g_autoptr(GPtrArray) files = list_migrations ();
  int defensive = 0;
  gboolean ok;

  sqlite3_db_config (self->handle, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
  sqlite3_db_config (self->handle, SQLITE_DBCONFIG_DEFENSIVE, 0, (int *) NULL);
  ok = apply_migrations (self, files, target, error);
  sqlite3_db_config (self->handle, SQLITE_DBCONFIG_DEFENSIVE, defensive, (int *) NULL);
  return ok;
}

static gboolean
open_file (JorenDb  *self,
           GError  **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_FAILED,
                   _("Could not create the folder %s for the database: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }
  rc = sqlite3_open_v2 (self->path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    return joren_db_set_error (self, rc, _("Could not open the register's database."), error);
  /* Another process (a backup, the sync client) may hold the lock briefly. */
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->handle, 1);
  return TRUE;
}

/* A migration may drop or replace an index a bulk load deferred. */
static gboolean
build_before_migrating (JorenDb  *self,
                        guint     target,
                        GError  **error)
{
  if (self->version == 0 || self->version >= target)
    return TRUE;
  return joren_db_build_deferred_indexes (self, error);
}

static JorenDb *
open_at (const char  *path,
         guint        target,
         GError     **error)
{
  g_autoptr(JorenDb) self = g_object_new (JOREN_TYPE_DB, NULL);

  self->path = g_strdup (path);
  /* A damaged or newer file is refused before any pragma writes to it. */
  if (!open_file (self, error)
      || !read_user_version (self, &self->version, error)
      || !check_not_newer (self, error)
      || !set_pragmas (self, error)
      || !build_before_migrating (self, target, error)
      || !migrate (self, target, error))
    return NULL;
  return g_steal_pointer (&self);
}

JorenDb *
joren_db_open (const char  *path,
               GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_at (path, JOREN_DB_SCHEMA_VERSION, error);
}

JorenDb *
joren_db_open_at_version (const char  *path,
                          guint        version,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (version >= 1 && version <= JOREN_DB_SCHEMA_VERSION, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_at (path, version, error);
}

const char *
joren_db_get_path (JorenDb *self)
{
  g_return_val_if_fail (JOREN_IS_DB (self), NULL);

  return self->path;
}

guint
joren_db_get_schema_version (JorenDb *self)
{
  g_return_val_if_fail (JOREN_IS_DB (self), 0);

  return self->version;
}

char *
joren_db_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "joren", "register.db", NULL);
}

gboolean
joren_db_check_integrity (JorenDb  *self,
                          GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;
  const char *result;

  g_return_val_if_fail (JOREN_IS_DB (self), FALSE);

  stmt = joren_db_prepare (self, "PRAGMA integrity_check (1)", error);
  if (stmt == NULL
      || !joren_db_step_row (self, stmt, &has_row, _("Could not check the database."), error))
    return FALSE;
  result = has_row ? (const char *) sqlite3_column_text (stmt, 0) : NULL;
  if (g_strcmp0 (result, "ok") == 0)
    return TRUE;
  g_debug ("integrity_check: %s", result);
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_CORRUPT,
               _("The register's database file is damaged. Restore it from a backup."));
  return FALSE;
}

/* --- settings and the shop ------------------------------------------ */

char *
joren_db_get_setting (JorenDb    *self,
                      const char *key)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = joren_db_prepare (self, "SELECT value FROM settings WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return joren_db_column_dup_text (stmt, 0);
}

gint64
joren_db_get_setting_int (JorenDb    *self,
                          const char *key,
                          gint64      fallback)
{
  g_autofree char *text = joren_db_get_setting (self, key);
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64,
                                                  &value, NULL))
    return fallback;
  return value;
}

gboolean
joren_db_set_setting (JorenDb    *self,
                      const char *key,
                      const char *value,
                      GError    **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value == NULL)
    stmt = joren_db_prepare (self, "DELETE FROM settings WHERE key = ?1", error);
  else
    stmt = joren_db_prepare (self,
                             "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return joren_db_step_done (self, stmt, _("Could not save the setting."), error);
}

static const char * const rounding_names[] = { "half-up", "down", "up", "half-even" };

static JorenRounding
rounding_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (rounding_names); i++)
    if (g_strcmp0 (text, rounding_names[i]) == 0)
      return (JorenRounding) i;
  return JOREN_ROUND_HALF_UP;
}

static void
replace_string (char       **field,
                char        *value)
{
  g_free (*field);
  *field = value;
}

JorenShop *
joren_db_load_shop (JorenDb  *self,
                    GError  **error)
{
  g_autofree char *preset_id = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *include = NULL;
  g_autofree char *rounding = NULL;
  const JorenShopPreset *preset;
  JorenShop *shop;

  g_return_val_if_fail (JOREN_IS_DB (self), NULL);

  preset_id = joren_db_get_setting (self, "shop.preset");
  preset = preset_id != NULL ? joren_shop_preset_lookup (preset_id) : NULL;
  if (preset == NULL)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("The shop has not been set up yet."));
      return NULL;
    }
  shop = joren_shop_new_from_preset (preset, "", "R1");
  replace_string (&shop->name, joren_db_get_setting (self, "shop.name"));
  replace_string (&shop->address, joren_db_get_setting (self, "shop.address"));
  replace_string (&shop->phone, joren_db_get_setting (self, "shop.phone"));
  replace_string (&shop->invoice_number, joren_db_get_setting (self, "shop.invoice_number"));
  replace_string (&shop->register_prefix, joren_db_get_setting (self, "shop.register_prefix"));
  replace_string (&shop->receipt_footer, joren_db_get_setting (self, "shop.receipt_footer"));
  currency = joren_db_get_setting (self, "shop.currency");
  if (currency != NULL && joren_currency_lookup (currency) != NULL)
    shop->currency = joren_currency_lookup (currency);
  include = joren_db_get_setting (self, "shop.prices_include_tax");
  if (include != NULL)
    shop->prices_include_tax = g_strcmp0 (include, "1") == 0;
  rounding = joren_db_get_setting (self, "shop.tax_rounding");
  if (rounding != NULL)
    shop->tax_rounding = rounding_from_string (rounding);
  if (shop->register_prefix == NULL)
    shop->register_prefix = g_strdup ("R1");
  return shop;
}

gboolean
joren_db_store_shop (JorenDb         *self,
                     const JorenShop *shop,
                     GError         **error)
{
  const char *pairs[][2] = {
    { "shop.name", shop->name },
    { "shop.address", shop->address },
    { "shop.phone", shop->phone },
    { "shop.invoice_number", shop->invoice_number },
    { "shop.preset", shop->preset },
    { "shop.currency", shop->currency != NULL ? shop->currency->code : NULL },
    { "shop.prices_include_tax", shop->prices_include_tax ? "1" : "0" },
    { "shop.tax_rounding", rounding_names[shop->tax_rounding] },
    { "shop.register_prefix", shop->register_prefix },
    { "shop.receipt_footer", shop->receipt_footer },
  };

  g_assert ((guint) shop->tax_rounding < G_N_ELEMENTS (rounding_names));
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    if (!joren_db_set_setting (self, pairs[i][0], pairs[i][1], error))
      return FALSE;
  return TRUE;
}

gboolean
joren_db_save_shop (JorenDb         *self,
                    const JorenShop *shop,
                    GError         **error)
{
  g_return_val_if_fail (JOREN_IS_DB (self), FALSE);
  g_return_val_if_fail (shop != NULL, FALSE);
  g_return_val_if_fail (shop->preset != NULL, FALSE);
  g_return_val_if_fail ((guint) shop->tax_rounding < G_N_ELEMENTS (rounding_names), FALSE);

  if (!joren_db_begin (self, error))
    return FALSE;
  if (joren_db_store_shop (self, shop, error))
    return joren_db_commit (self, error);
  joren_db_rollback (self);
  return FALSE;
}

/* --- deferred indexes -------------------------------------------------
 * A bulk load (a new register's first pull of a million customers)
 * drops indexes whose keys arrive in random order and builds each once,
 * sorted, at its end. Each dropped index is remembered in settings
 * ("db.deferred_index.NAME" holds its CREATE statement) in the
 * transaction that drops it, so what a load cut short left behind is
 * built later whatever happened: by the next pull, and always before a
 * migration, which may name the index. The statements are SQLite's own
 * text from sqlite_schema, never input. */

#define DEFERRED_INDEX_KEY "db.deferred_index."

/* Runs DDL text once: it would only crowd the statement cache. */
static gboolean
exec_ddl (JorenDb     *self,
          const char  *sql,
          GError     **error)
{
  return exec_sql (self, sql, _("Could not rebuild the database's indexes."), error);
}

/* Name and SQL text of each row, in pairs. */
static GPtrArray *
read_pairs (JorenDb    *self,
            JorenStmt  *stmt,
            GError    **error)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (pairs, joren_db_column_dup_text (stmt, 0));
      g_ptr_array_add (pairs, joren_db_column_dup_text (stmt, 1));
    }
  joren_stmt_release (stmt);
  if (rc != SQLITE_DONE)
    return joren_db_set_error (self, rc, _("Could not read the database."), error), NULL;
  return g_steal_pointer (&pairs);
}

/* An index that is not there (a migration renamed it) is skipped. */
static gboolean
defer_index (JorenDb     *self,
             const char  *name,
             GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (self, "SELECT sql FROM sqlite_schema WHERE type = 'index'"
                                                      " AND name = ? AND sql IS NOT NULL", error);
  g_autofree char *key = g_strconcat (DEFERRED_INDEX_KEY, name, NULL);
  g_autofree char *drop = g_strdup_printf ("DROP INDEX \"%s\"", name);
  g_autofree char *sql = NULL;
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (!joren_db_step_row (self, stmt, &has_row, _("Could not read the database."), error))
    return FALSE;
  if (!has_row)
    return TRUE;
  sql = joren_db_column_dup_text (stmt, 0);
  g_clear_pointer (&stmt, joren_stmt_release);
  return joren_db_set_setting (self, key, sql, error) && exec_ddl (self, drop, error);
}

gboolean
joren_db_defer_indexes (JorenDb            *self,
                        const char * const *names,
                        GError            **error)
{
  g_return_val_if_fail (JOREN_IS_DB (self), FALSE);
  g_return_val_if_fail (names != NULL, FALSE);

  if (!joren_db_begin (self, error))
    return FALSE;
  for (guint i = 0; names[i] != NULL; i++)
    if (!defer_index (self, names[i], error))
      {
        joren_db_rollback (self);
        return FALSE;
      }
  return joren_db_commit (self, error);
}

/* One index per transaction: a sale waits for one build, not all. An
 * index that exists already (built by someone else meanwhile) is only
 * forgotten. */
static gboolean
build_index (JorenDb     *self,
             const char  *key,
             const char  *sql,
             GError     **error)
{
  g_autoptr(JorenStmt) exists = NULL;
  gboolean ok;

  if (!joren_db_begin (self, error))
    return FALSE;
  exists = joren_db_prepare (self, "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?", error);
  ok = exists != NULL;
  if (ok)
    {
      sqlite3_bind_text (exists, 1, key + strlen (DEFERRED_INDEX_KEY), -1, SQLITE_STATIC);
      ok = sqlite3_step (exists) == SQLITE_ROW || exec_ddl (self, sql, error);
      g_clear_pointer (&exists, joren_stmt_release);
    }
  if (ok && joren_db_set_setting (self, key, NULL, error))
    return joren_db_commit (self, error);
  joren_db_rollback (self);
  return FALSE;
}

gboolean
joren_db_has_deferred_indexes (JorenDb *self)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (self), FALSE);

  stmt = joren_db_prepare (self, "SELECT 1 FROM settings WHERE substr (key, 1, length (?1)) = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, DEFERRED_INDEX_KEY, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

gboolean
joren_db_build_deferred_indexes (JorenDb  *self,
                                 GError  **error)
{
  JorenStmt *stmt = NULL;
  g_autoptr(GPtrArray) pairs = NULL;
  gboolean ok;

  g_return_val_if_fail (JOREN_IS_DB (self), FALSE);

  stmt = joren_db_prepare (self, "SELECT key, value FROM settings"
                                 " WHERE substr (key, 1, length (?1)) = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, DEFERRED_INDEX_KEY, -1, SQLITE_STATIC);
  if ((pairs = read_pairs (self, stmt, error)) == NULL)
    return FALSE;
  if (pairs->len == 0)
    return TRUE;
  /* SQLite's sorter packs the keys into big buffers only when it may
   * spill them to a temporary file; with temp_store = MEMORY it
   * allocates every key on its own and sorts one long list: building a
   * million-key index took half as long again. So files while building
   * (written only past the page cache's size), then memory again, as
   * set_pragmas has it. */
  ok = exec_ddl (self, "PRAGMA temp_store = FILE", error);
  for (guint i = 0; ok && i < pairs->len; i += 2)
    ok = build_index (self, g_ptr_array_index (pairs, i), g_ptr_array_index (pairs, i + 1), error);
  return exec_ddl (self, "PRAGMA temp_store = MEMORY", ok ? error : NULL) && ok;
}
