/* joren-staff.c: staff members, what each role may do, and PIN sign-in.
 * PINs are short, so they are hashed with Argon2id (crypto_pwhash_str) at
 * libsodium's interactive cost, and five wrong PINs in a row lock the
 * account for a minute: together that makes guessing a 4-digit PIN at the
 * till slow. The tests set JOREN_FAST_PWHASH=1, which switches to the
 * minimum cost so the suite stays fast; never set it in a shop. PINs are
 * never logged or stored in clear. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "joren-db-private.h"
#include "joren-staff.h"

#define MAX_FAILED_ATTEMPTS 5
#define LOCK_USEC (60 * G_USEC_PER_SEC)

void
joren_staff_free (JorenStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->name);
  g_free (staff);
}

JorenStaff *
joren_staff_copy (const JorenStaff *staff)
{
  JorenStaff *copy;

  g_return_val_if_fail (staff != NULL, NULL);

  copy = g_memdup2 (staff, sizeof *staff);
  copy->name = g_strdup (staff->name);
  return copy;
}

static const char * const role_names[] = { "cashier", "manager", "owner" };

const char *
joren_role_to_string (JorenRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);

  return role_names[role];
}

gboolean
joren_role_from_string (const char *text,
                        JorenRole  *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *out = (JorenRole) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
joren_role_can (JorenRole       role,
                JorenPermission permission)
{
  switch (permission)
    {
    case JOREN_PERMISSION_SELL:
      return TRUE;
    case JOREN_PERMISSION_VOID_AFTER_PAYMENT:
    case JOREN_PERMISSION_REFUND:
    case JOREN_PERMISSION_CASH_SESSION:
    case JOREN_PERMISSION_BACK_OFFICE:   /* issue #7: owner or manager */
      return role == JOREN_ROLE_MANAGER || role == JOREN_ROLE_OWNER;
    case JOREN_PERMISSION_MANAGE_STAFF:
      /* Accounts, PINs and roles: a manager must not promote themselves. */
      return role == JOREN_ROLE_OWNER;
    default:
      return FALSE;
    }
}

/* --- PIN hashing ---------------------------------------------------- */

static void
ensure_sodium (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      g_once_init_leave (&initialised, 1);
    }
}

static gboolean
validate_pin (const char  *pin,
              GError     **error)
{
  gsize len = strlen (pin);

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      len = 0;
  if (len >= 4 && len <= 8)
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("A PIN is 4 to 8 digits."));
  return FALSE;
}

static char *
hash_pin (const char  *pin,
          GError     **error)
{
  gboolean fast = g_strcmp0 (g_getenv ("JOREN_FAST_PWHASH"), "1") == 0;
  char hash[crypto_pwhash_STRBYTES];

  ensure_sodium ();
  if (crypto_pwhash_str (hash, pin, strlen (pin),
                         fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_FAILED,
                   _("Not enough memory to protect the PIN. Close other programs and try again."));
      return NULL;
    }
  return g_strdup (hash);
}

static gboolean
pin_matches (const char *hash,
             const char *pin)
{
  ensure_sodium ();
  return crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
}

/* --- rows ----------------------------------------------------------- */

#define STAFF_COLUMNS "id, name, role, active"

static JorenStaff *
staff_from_row (sqlite3_stmt *stmt)
{
  JorenStaff *staff = g_new0 (JorenStaff, 1);

  staff->id = sqlite3_column_int64 (stmt, 0);
  staff->name = joren_db_column_dup_text (stmt, 1);
  if (!joren_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &staff->role))
    staff->role = JOREN_ROLE_CASHIER;
  staff->active = sqlite3_column_int (stmt, 3) != 0;
  return staff;
}

JorenStaff *
joren_staff_add (JorenDb     *db,
                 const char  *name,
                 JorenRole    role,
                 const char  *pin,
                 GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *hash = NULL;
  JorenStaff *staff;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (name != NULL && pin != NULL, NULL);
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);

  clean = g_strstrip (g_strdup (name));
  if (*clean == '\0')
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Enter a name for the staff member."));
      return NULL;
    }
  if (!validate_pin (pin, error) || (hash = hash_pin (pin, error)) == NULL)
    return NULL;
  stmt = joren_db_prepare (db, "INSERT INTO staff (name, role, pin_hash) VALUES (?, ?, ?)",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, role_names[role], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  if (!joren_db_step_done (db, stmt, _("Could not add the staff member."), error))
    return NULL;
  staff = g_new0 (JorenStaff, 1);
  staff->id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  staff->name = g_steal_pointer (&clean);
  staff->role = role;
  staff->active = TRUE;
  return staff;
}

GPtrArray *
joren_staff_list (JorenDb   *db,
                  gboolean   include_inactive,
                  GError   **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db,
                           "SELECT " STAFF_COLUMNS " FROM staff WHERE ?1 OR active"
                           " ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_inactive);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_staff_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, staff_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the staff list."), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
update_staff (JorenDb     *db,
              const char  *sql,
              gint64       staff_id,
              const char  *text,
              gint64       number,
              GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  joren_db_bind_text_or_null (stmt, 2, text);
  sqlite3_bind_int64 (stmt, 3, number);
  if (!joren_db_step_done (db, stmt, _("Could not update the staff member."), error))
    return FALSE;
  if (sqlite3_changes (joren_db_get_handle (db)) > 0)
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
               _("This staff member does not exist."));
  return FALSE;
}

gboolean
joren_staff_set_pin (JorenDb     *db,
                     gint64       staff_id,
                     const char  *pin,
                     GError     **error)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  if (!validate_pin (pin, error) || (hash = hash_pin (pin, error)) == NULL)
    return FALSE;
  return update_staff (db,
                       "UPDATE staff SET pin_hash = ?2, failed_attempts = ?3,"
                       " locked_until = 0 WHERE id = ?1",
                       staff_id, hash, 0, error);
}

gboolean
joren_staff_set_active (JorenDb   *db,
                        gint64     staff_id,
                        gboolean   active,
                        GError   **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  return update_staff (db, "UPDATE staff SET active = ?3 WHERE id = ?1",
                       staff_id, NULL, active ? 1 : 0, error);
}

/* --- signing in ----------------------------------------------------- */

typedef struct {
  JorenStaff *staff;
  char       *hash;
  gint        failed;
  gint64      locked_until;
} Account;

static void
account_clear (Account *account)
{
  g_clear_pointer (&account->staff, joren_staff_free);
  g_clear_pointer (&account->hash, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Account, account_clear)

static gboolean
load_account (JorenDb  *db,
              gint64    staff_id,
              Account  *out,
              GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db,
                           "SELECT " STAFF_COLUMNS ", pin_hash, failed_attempts, locked_until"
                           " FROM staff WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the staff list."), error))
    return FALSE;
  if (!has_row || sqlite3_column_int (stmt, 3) == 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("This staff member does not exist or was deactivated."));
      return FALSE;
    }
  out->staff = staff_from_row (stmt);
  out->hash = joren_db_column_dup_text (stmt, 4);
  out->failed = sqlite3_column_int (stmt, 5);
  out->locked_until = sqlite3_column_int64 (stmt, 6);
  return TRUE;
}

static gboolean
store_attempts (JorenDb  *db,
                gint64    staff_id,
                gint      failed,
                gint64    locked_until,
                GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db,
                           "UPDATE staff SET failed_attempts = ?2, locked_until = ?3"
                           " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_int (stmt, 2, failed);
  sqlite3_bind_int64 (stmt, 3, locked_until);
  return joren_db_step_done (db, stmt, _("Could not record the sign-in attempt."), error);
}

static void
set_locked_error (gint64    locked_until,
                  gint64    now,
                  GError  **error)
{
  gint64 seconds = (locked_until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_LOCKED,
               g_dngettext (GETTEXT_PACKAGE,
                            "Too many wrong PINs. Try again in %d second.",
                            "Too many wrong PINs. Try again in %d seconds.",
                            (gulong) seconds),
               (int) seconds);
}

/* Counts a wrong PIN; the fifth in a row locks the account. */
static gboolean
record_wrong_pin (JorenDb  *db,
                  Account  *account,
                  gint64    now,
                  GError  **error)
{
  gint failed = account->failed + 1;
  gint left = MAX_FAILED_ATTEMPTS - failed;

  g_info ("Wrong PIN for staff %" G_GINT64_FORMAT, account->staff->id);
  if (left <= 0)
    {
      if (store_attempts (db, account->staff->id, 0, now + LOCK_USEC, error))
        set_locked_error (now + LOCK_USEC, now, error);
      return FALSE;
    }
  if (store_attempts (db, account->staff->id, failed, 0, error))
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_WRONG_PIN,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Wrong PIN. %d attempt left.",
                              "Wrong PIN. %d attempts left.", (gulong) left),
                 left);
  return FALSE;
}

JorenStaff *
joren_staff_sign_in (JorenDb     *db,
                     gint64       staff_id,
                     const char  *pin,
                     GError     **error)
{
  g_auto(Account) account = { 0 };
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (pin != NULL, NULL);

  if (!load_account (db, staff_id, &account, error))
    return NULL;
  if (account.locked_until > now)
    {
      set_locked_error (account.locked_until, now, error);
      return NULL;
    }
  if (!pin_matches (account.hash, pin))
    {
      record_wrong_pin (db, &account, now, error);
      return NULL;
    }
  if ((account.failed != 0 || account.locked_until != 0)
      && !store_attempts (db, staff_id, 0, 0, error))
    return NULL;
  return g_steal_pointer (&account.staff);
}

JorenStaff *
joren_staff_authorize (JorenDb          *db,
                       gint64            staff_id,
                       const char       *pin,
                       JorenPermission   permission,
                       GError          **error)
{
  g_autoptr(JorenStaff) staff = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (pin != NULL, NULL);

  staff = joren_staff_sign_in (db, staff_id, pin, error);
  if (staff == NULL)
    return NULL;
  if (!joren_role_can (staff->role, permission))
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_PERMISSION,
                   _("%s may not do this. Ask a manager."), staff->name);
      return NULL;
    }
  return g_steal_pointer (&staff);
}
