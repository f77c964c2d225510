/* joren-value.c: value accounts outside the sale: numbers with a Luhn
 * check digit, the store's limits, accounts, the append-only ledger,
 * manual adjustments, expiry, debtors and the liability and day reports.
 * Other registers have counted gift-card sales as revenue and let one
 * card be spent twice (FIELD-NOTES); here a balance is only ever the sum
 * of value_ledger, and reports read the line kind a sale stored. The sale
 * side (issue, tenders, holds, the commit hook) is joren-value-sale.c. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-value-private.h"

static const char * const kind_names[] = { "gift", "prepaid", "customer_account" };
static const char * const entry_names[] = {
  "issue", "topup", "redeem", "refund", "expire", "adjust", "charge", "payment",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == JOREN_VALUE_N_KINDS);

const char *
joren_value_kind_to_string (JorenValueKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  return kind_names[kind];
}

static int
index_of (const char * const *names,
          guint               n,
          const char         *text)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], text) == 0)
      return (int) i;
  return -1;
}

int
joren_value_kind_from_string (const char *text)
{
  return index_of (kind_names, G_N_ELEMENTS (kind_names), text);
}

const char *
joren_value_kind_get_label (JorenValueKind kind)
{
  static const char * const labels[] = {
    N_("Gift voucher"), N_("Prepaid card"), N_("Customer account"),
  };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (labels), NULL);

  return _(labels[kind]);
}

const char *
joren_value_entry_kind_to_string (JorenValueEntryKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (entry_names), NULL);

  return entry_names[kind];
}

const char *
joren_value_entry_kind_get_label (JorenValueEntryKind kind)
{
  static const char * const labels[] = {
    N_("Issued"), N_("Topped up"), N_("Redeemed"), N_("Refund"), N_("Expired"),
    N_("Adjusted"), N_("Charged"), N_("Payment"),
  };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (labels), NULL);

  return _(labels[kind]);
}

/* ---- numbers ------------------------------------------------------------ */

/* The Luhn digit that makes digits + it pass the check. */
static guint
luhn_digit_for (const char *digits)
{
  guint sum = 0;
  gsize n = strlen (digits);

  /* From the right, every second digit of the payload is doubled,
   * starting with the last one (the check digit will sit after it). */
  for (gsize i = 0; i < n; i++)
    {
      guint d = (guint) (digits[n - 1 - i] - '0');

      if (i % 2 == 0)
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
  return (10 - sum % 10) % 10;
}

gboolean
joren_value_number_luhn_ok (const char *digits)
{
  g_autofree char *payload = NULL;
  gsize n;

  g_return_val_if_fail (digits != NULL, FALSE);

  n = strlen (digits);
  if (n < 2)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (digits[i]))
      return FALSE;
  payload = g_strndup (digits, n - 1);
  return luhn_digit_for (payload) == (guint) (digits[n - 1] - '0');
}

gboolean
joren_value_number_is_mistyped (const char *number)
{
  return strlen (number) == JOREN_VALUE_NUMBER_LENGTH
         && strspn (number, "0123456789") == JOREN_VALUE_NUMBER_LENGTH
         && !joren_value_number_luhn_ok (number);
}

char *
joren_value_number_generate (guint store_code)
{
  GString *number;

  g_return_val_if_fail (store_code <= 9999, NULL);

  number = g_string_new (NULL);
  g_string_printf (number, "%04u", store_code);
  while (number->len < JOREN_VALUE_NUMBER_LENGTH - 1)
    g_string_append_c (number, (char) ('0' + g_random_int_range (0, 10)));
  g_string_append_c (number, (char) ('0' + luhn_digit_for (number->str)));
  return g_string_free (number, FALSE);
}

char *
joren_value_number_normalize (const char *typed)
{
  GString *digits;

  g_return_val_if_fail (typed != NULL, NULL);

  digits = g_string_new (NULL);
  for (const char *p = typed; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (digits, g_ascii_toupper (*p));
      else if (*p != ' ' && *p != '-')
        {
          g_string_free (digits, TRUE);
          return NULL;
        }
    }
  if (digits->len == 0 || digits->len > 64)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }
  return g_string_free (digits, FALSE);
}

char *
joren_value_number_format (const char *number)
{
  GString *shown;

  g_return_val_if_fail (number != NULL, NULL);

  shown = g_string_new (NULL);
  for (gsize i = 0; number[i] != '\0'; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (shown, ' ');
      g_string_append_c (shown, number[i]);
    }
  return g_string_free (shown, FALSE);
}

char *
joren_value_number_mask (const char *number)
{
  gsize n;

  g_return_val_if_fail (number != NULL, NULL);

  n = strlen (number);
  return g_strdup_printf ("•••• %s", number + (n > 4 ? n - 4 : 0));
}

/* ---- settings ----------------------------------------------------------- */

static const struct {
  const char *key;
  gsize       offset;
  gboolean    is_int64;
  gint64      fallback;
} setting_keys[] = {
  { "value.max_topup", G_STRUCT_OFFSET (JorenValueSettings, max_topup), TRUE, 0 },
  { "value.max_balance", G_STRUCT_OFFSET (JorenValueSettings, max_balance), TRUE, 0 },
  { "value.accepted_kinds", G_STRUCT_OFFSET (JorenValueSettings, accepted_kinds), FALSE, 7 },
  { "value.expiry_months", G_STRUCT_OFFSET (JorenValueSettings, expiry_months), FALSE, 36 },
  { "value.store_code", G_STRUCT_OFFSET (JorenValueSettings, store_code), FALSE, 1000 },
  { "value.default_credit_limit", G_STRUCT_OFFSET (JorenValueSettings, default_credit_limit),
    TRUE, 0 },
  { "value.hold_seconds", G_STRUCT_OFFSET (JorenValueSettings, hold_seconds), FALSE, 900 },
};

void
joren_value_get_settings (JorenDb            *db,
                          JorenValueSettings *out)
{
  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (setting_keys); i++)
    {
      gint64 v = joren_db_get_setting_int (db, setting_keys[i].key, setting_keys[i].fallback);

      if (setting_keys[i].is_int64)
        G_STRUCT_MEMBER (gint64, out, setting_keys[i].offset) = MAX (v, 0);
      else
        G_STRUCT_MEMBER (guint, out, setting_keys[i].offset) = (guint) CLAMP (v, 0, G_MAXUINT);
    }
  out->store_code = MIN (out->store_code, 9999);
}

static gint64
setting_value (const JorenValueSettings *settings,
               guint                     i)
{
  if (setting_keys[i].is_int64)
    return G_STRUCT_MEMBER (gint64, (gpointer) settings, setting_keys[i].offset);
  return G_STRUCT_MEMBER (guint, (gpointer) settings, setting_keys[i].offset);
}

gboolean
joren_value_set_settings (JorenDb                  *db,
                          const JorenValueSettings *settings,
                          GError                  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  if (settings->max_topup < 0 || settings->max_balance < 0 || settings->store_code > 9999
      || settings->default_credit_limit < 0 || settings->hold_seconds == 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Limits cannot be below zero and the store code has at most four digits."));
      return FALSE;
    }
  if (!joren_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (setting_keys); i++)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, setting_value (settings, i));

      if (!joren_db_set_setting (db, setting_keys[i].key, value, error))
        {
          joren_db_rollback (db);
          return FALSE;
        }
    }
  return joren_db_commit (db, error);
}

gboolean
joren_value_check_accepted (JorenDb         *db,
                            JorenValueKind   kind,
                            GError         **error)
{
  JorenValueSettings settings;

  joren_value_get_settings (db, &settings);
  if (settings.accepted_kinds & JOREN_VALUE_KIND_BIT (kind))
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("This store does not accept a %s."), joren_value_kind_get_label (kind));
  return FALSE;
}

gint64
joren_value_now_usec (void)
{
  return g_get_real_time ();
}

char *
joren_value_format_money (JorenDb *db,
                          gint64   amount)
{
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, NULL);

  if (shop == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, amount);
  return joren_money_format (amount, shop->currency);
}

/* ---- accounts ----------------------------------------------------------- */

void
joren_value_account_free (JorenValueAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->number);
  g_free (account->customer_name);
  g_clear_pointer (&account->expires_at, g_date_time_unref);
  g_free (account->store);
  g_clear_pointer (&account->created_at, g_date_time_unref);
  g_free (account);
}

gint64
joren_value_account_available (const JorenValueAccount *account)
{
  g_return_val_if_fail (account != NULL, 0);

  if (account->kind == JOREN_VALUE_CUSTOMER_ACCOUNT)
    return account->balance - account->held + account->credit_limit;
  return MAX (0, account->balance - account->held);
}

gboolean
joren_value_account_is_expired (const JorenValueAccount *account,
                                GDateTime               *now)
{
  g_autoptr(GDateTime) current = NULL;

  g_return_val_if_fail (account != NULL, FALSE);

  if (account->expires_at == NULL)
    return FALSE;
  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  return g_date_time_compare (account->expires_at, current) <= 0;
}

/* ?1: now (for holds), ?2: the number or the id. */
#define ACCOUNT_SELECT \
  "SELECT a.id, a.number, a.kind, coalesce (a.customer_id, 0), c.name, a.expires_at," \
  " a.credit_limit, a.store, a.external, a.created_at," \
  " (SELECT coalesce (sum (amount), 0) FROM value_ledger WHERE account_id = a.id)," \
  " (SELECT coalesce (sum (amount), 0) FROM value_holds WHERE account_id = a.id" \
  "  AND state = 'held' AND expires_at > ?1)" \
  " FROM value_accounts a LEFT JOIN customers c ON c.id = a.customer_id"

static JorenValueAccount *
account_from_row (sqlite3_stmt *stmt)
{
  JorenValueAccount *account = g_new0 (JorenValueAccount, 1);
  int kind = joren_value_kind_from_string ((const char *) sqlite3_column_text (stmt, 2));

  account->id = sqlite3_column_int64 (stmt, 0);
  account->number = joren_db_column_dup_text (stmt, 1);
  account->kind = kind < 0 ? JOREN_VALUE_GIFT : (JorenValueKind) kind;
  account->customer_id = sqlite3_column_int64 (stmt, 3);
  account->customer_name = joren_db_column_dup_text (stmt, 4);
  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    account->expires_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 5));
  account->credit_limit = sqlite3_column_int64 (stmt, 6);
  account->store = joren_db_column_dup_text (stmt, 7);
  account->external = sqlite3_column_int (stmt, 8) != 0;
  account->created_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 9));
  account->balance = sqlite3_column_int64 (stmt, 10);
  account->held = sqlite3_column_int64 (stmt, 11);
  return account;
}

JorenValueAccount *
joren_value_load_account (JorenDb     *db,
                          const char  *number,
                          gint64       id,
                          GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, number != NULL ? ACCOUNT_SELECT " WHERE a.number = ?2"
                                              : ACCOUNT_SELECT " WHERE a.id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, joren_value_now_usec ());
  if (number != NULL)
    sqlite3_bind_text (stmt, 2, number, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 2, id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the voucher."), error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("There is no voucher, card or account with this number."));
      return NULL;
    }
  return account_from_row (stmt);
}

JorenValueAccount *
joren_value_lookup (JorenDb     *db,
                    const char  *number,
                    GError     **error)
{
  g_autofree char *digits = NULL;
  g_autoptr(GError) local_error = NULL;
  JorenValueAccount *account;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  digits = joren_value_number_normalize (number);
  if (digits == NULL)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("A voucher number has only digits and letters. Check it and try again."));
      return NULL;
    }
  account = joren_value_load_account (db, digits, 0, &local_error);
  if (account != NULL)
    return account;
  /* Not stored: if it looks like one of ours, say which mistake it is. */
  if (g_error_matches (local_error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND)
      && joren_value_number_is_mistyped (digits))
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("This number has a wrong digit (the check digit does not match). "
                     "Type it again."));
      return NULL;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

JorenValueAccount *
joren_value_lookup_by_id (JorenDb  *db,
                          gint64    id,
                          GError  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  return joren_value_load_account (db, NULL, id, error);
}

JorenValueAccount *
joren_value_find_customer_account (JorenDb  *db,
                                   gint64    customer_id,
                                   GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, ACCOUNT_SELECT " WHERE a.customer_id = ?2"
                               " AND a.kind = 'customer_account'", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, joren_value_now_usec ());
  sqlite3_bind_int64 (stmt, 2, customer_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the account."), error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("This customer has no account to pay later. Open one in the back office."));
      return NULL;
    }
  return account_from_row (stmt);
}

GPtrArray *
joren_value_list_accounts (JorenDb  *db,
                           int       kind,
                           guint     limit,
                           GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (kind >= -1 && kind < JOREN_VALUE_N_KINDS, NULL);

  stmt = joren_db_prepare (db, ACCOUNT_SELECT " WHERE ?2 IS NULL OR a.kind = ?2"
                               " ORDER BY a.created_at DESC, a.id DESC LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, joren_value_now_usec ());
  joren_db_bind_text_or_null (stmt, 2, kind < 0 ? NULL : kind_names[kind]);
  sqlite3_bind_int (stmt, 3, limit == 0 ? -1 : (int) MIN (limit, (guint) G_MAXINT));
  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_value_account_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the vouchers."), error);
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

JorenValueAccount *
joren_value_open_customer_account (JorenDb  *db,
                                   gint64    customer_id,
                                   gint64    credit_limit,
                                   GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(JorenShop) shop = NULL;
  g_autofree char *number = NULL;
  JorenValueSettings settings;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (customer_id > 0, NULL);

  joren_value_get_settings (db, &settings);
  shop = joren_db_load_shop (db, error);
  if (shop == NULL)
    return NULL;
  number = joren_value_number_generate (settings.store_code);
  stmt = joren_db_prepare (db, "INSERT INTO value_accounts (number, kind, customer_id,"
                               " credit_limit, store, created_at)"
                               " VALUES (?1, 'customer_account', ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  sqlite3_bind_int64 (stmt, 3, credit_limit < 0 ? settings.default_credit_limit : credit_limit);
  sqlite3_bind_text (stmt, 4, shop->register_prefix, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, joren_value_now_usec ());
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
                   _("This customer already has an account."));
      return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not open the account."), error);
      return NULL;
    }
  return joren_value_load_account (db, NULL, sqlite3_last_insert_rowid (joren_db_get_handle (db)),
                                   error);
}

/* One UPDATE of value_accounts with an id (?1) and a value (?2). */
static gboolean
update_account (JorenDb     *db,
                const char  *sql,
                gint64       account_id,
                gint64       value,
                gboolean     value_is_null,
                GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (!value_is_null)
    sqlite3_bind_int64 (stmt, 2, value);
  if (!joren_db_step_done (db, stmt, _("Could not change the account."), error))
    return FALSE;
  if (sqlite3_changes (joren_db_get_handle (db)) == 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("There is no voucher, card or account with this number."));
      return FALSE;
    }
  return TRUE;
}

gboolean
joren_value_set_credit_limit (JorenDb  *db,
                              gint64    account_id,
                              gint64    credit_limit,
                              GError  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (credit_limit < 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("A credit limit cannot be below zero."));
      return FALSE;
    }
  return update_account (db, "UPDATE value_accounts SET credit_limit = ?2"
                             " WHERE id = ?1 AND kind = 'customer_account'",
                         account_id, credit_limit, FALSE, error);
}

gboolean
joren_value_set_customer (JorenDb  *db,
                          gint64    account_id,
                          gint64    customer_id,
                          GError  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (customer_id >= 0, FALSE);

  return update_account (db, "UPDATE value_accounts SET customer_id = ?2"
                             " WHERE id = ?1 AND kind <> 'customer_account'",
                         account_id, customer_id, customer_id == 0, error);
}

gboolean
joren_value_set_expiry (JorenDb    *db,
                        gint64      account_id,
                        GDateTime  *expires_at,
                        GError    **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  return update_account (db, "UPDATE value_accounts SET expires_at = ?2 WHERE id = ?1",
                         account_id, expires_at ? joren_db_time_to_usec (expires_at) : 0,
                         expires_at == NULL, error);
}

/* ---- the ledger --------------------------------------------------------- */

static gboolean
sum_query (JorenDb     *db,
           const char  *sql,
           gint64       id,
           const char  *text,
           gint64      *out,
           GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);
  gboolean has_row = FALSE;

  *out = 0;
  if (stmt == NULL)
    return FALSE;
  /* ?1 the account, then (when the query has them) ?2 now, ?3 a sale uuid. */
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, joren_value_now_usec ());
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    joren_db_bind_text_or_null (stmt, 3, text);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the balance."), error))
    return FALSE;
  *out = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

gboolean
joren_value_sum_ledger (JorenDb  *db,
                        gint64    account_id,
                        gint64   *out,
                        GError  **error)
{
  return sum_query (db, "SELECT coalesce (sum (amount), 0) FROM value_ledger"
                        " WHERE account_id = ?1",
                    account_id, NULL, out, error);
}

gboolean
joren_value_sum_holds (JorenDb     *db,
                       gint64       account_id,
                       const char  *except_sale_uuid,
                       gint64      *out,
                       GError     **error)
{
  return sum_query (db, "SELECT coalesce (sum (amount), 0) FROM value_holds"
                        " WHERE account_id = ?1 AND state = 'held' AND expires_at > ?2"
                        " AND sale_uuid IS NOT ?3",
                    account_id, except_sale_uuid, out, error);
}

gint64
joren_value_balance (JorenDb  *db,
                     gint64    account_id,
                     GError  **error)
{
  gint64 balance = 0;

  g_return_val_if_fail (JOREN_IS_DB (db), 0);

  joren_value_sum_ledger (db, account_id, &balance, error);
  return balance;
}

gboolean
joren_value_insert_row (JorenDb             *db,
                        const JorenValueRow *row,
                        GError             **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "INSERT INTO value_ledger (account_id, kind, amount, reason,"
                               " staff_id, sale_id, sale_uuid, created_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row->account_id);
  sqlite3_bind_text (stmt, 2, entry_names[row->kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, row->amount);
  joren_db_bind_text_or_null (stmt, 4, row->reason);
  joren_db_bind_id_or_null (stmt, 5, row->staff_id);
  joren_db_bind_id_or_null (stmt, 6, row->sale_id);
  joren_db_bind_text_or_null (stmt, 7, row->sale_uuid);
  sqlite3_bind_int64 (stmt, 8, row->created_at != NULL ? joren_db_time_to_usec (row->created_at)
                                                         : joren_value_now_usec ());
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
                   _("This sale is already recorded on the voucher."));
      return FALSE;
    }
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not save the voucher entry."), error);
}

void
joren_value_entry_free (JorenValueEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->reason);
  g_free (entry->staff_name);
  g_free (entry->receipt_no);
  g_clear_pointer (&entry->created_at, g_date_time_unref);
  g_free (entry);
}

static JorenValueEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  JorenValueEntry *entry = g_new0 (JorenValueEntry, 1);
  int kind = index_of (entry_names, G_N_ELEMENTS (entry_names),
                       (const char *) sqlite3_column_text (stmt, 1));

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->kind = kind < 0 ? JOREN_VALUE_ENTRY_ADJUST : (JorenValueEntryKind) kind;
  entry->amount = sqlite3_column_int64 (stmt, 2);
  entry->reason = joren_db_column_dup_text (stmt, 3);
  entry->staff_name = joren_db_column_dup_text (stmt, 4);
  entry->receipt_no = joren_db_column_dup_text (stmt, 5);
  entry->created_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 6));
  return entry;
}

GPtrArray *
joren_value_list_entries (JorenDb  *db,
                          gint64    account_id,
                          guint     limit,
                          GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT l.id, l.kind, l.amount, l.reason, st.name, s.receipt_no,"
                               " l.created_at FROM value_ledger l"
                               " LEFT JOIN staff st ON st.id = l.staff_id"
                               " LEFT JOIN sales s ON s.id = l.sale_id"
                               " WHERE l.account_id = ?1"
                               " ORDER BY l.created_at DESC, l.id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int (stmt, 2, limit == 0 ? -1 : (int) MIN (limit, (guint) G_MAXINT));
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_value_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the voucher's history."), error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/* Writes one manual row in its own transaction, after checking the
 * balance it leaves: vouchers never go below zero. */
static gboolean
write_manual_row (JorenDb             *db,
                  const JorenValueRow *row,
                  GError             **error)
{
  g_autoptr(JorenValueAccount) account = NULL;

  if (!joren_db_begin (db, error))
    return FALSE;
  account = joren_value_load_account (db, NULL, row->account_id, error);
  if (account == NULL)
    goto fail;
  if (account->kind != JOREN_VALUE_CUSTOMER_ACCOUNT && account->balance + row->amount < 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("A voucher or card cannot go below zero."));
      goto fail;
    }
  if (!joren_value_insert_row (db, row, error))
    goto fail;
  return joren_db_commit (db, error);

fail:
  joren_db_rollback (db);
  return FALSE;
}

gboolean
joren_value_adjust (JorenDb     *db,
                    gint64       account_id,
                    gint64       amount,
                    const char  *reason,
                    gint64       staff_id,
                    GError     **error)
{
  JorenValueRow row = { account_id, JOREN_VALUE_ENTRY_ADJUST, amount, reason, staff_id,
                        0, NULL, NULL };

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (amount == 0 || reason == NULL || *reason == '\0')
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("A correction needs an amount and a reason."));
      return FALSE;
    }
  return write_manual_row (db, &row, error);
}

/* ---- expiry -------------------------------------------------------------- */

gboolean
joren_value_expire (JorenDb    *db,
                    GDateTime  *now,
                    gint64     *out_expired,
                    GError    **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gint64 when, expired = 0;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  when = now != NULL ? joren_db_time_to_usec (now) : joren_value_now_usec ();
  if (!joren_db_begin (db, error))
    return FALSE;
  /* One row per expired account with money left: a second run finds
   * every such balance at zero and writes nothing. */
  stmt = joren_db_prepare (db, "INSERT INTO value_ledger (account_id, kind, amount, created_at)"
                               " SELECT a.id, 'expire', -sum (l.amount), ?1"
                               " FROM value_accounts a JOIN value_ledger l ON l.account_id = a.id"
                               " WHERE a.kind IN ('gift', 'prepaid') AND a.expires_at <= ?1"
                               " GROUP BY a.id HAVING sum (l.amount) > 0"
                               " RETURNING -amount", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, when);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    expired += sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not expire the vouchers."), error);
      goto fail;
    }
  g_clear_pointer (&stmt, joren_stmt_release);
  if (!joren_db_commit (db, error))
    return FALSE;
  if (out_expired != NULL)
    *out_expired = expired;
  return TRUE;

fail:
  g_clear_pointer (&stmt, joren_stmt_release);
  joren_db_rollback (db);
  return FALSE;
}

/* ---- debtors ------------------------------------------------------------- */

void
joren_debtor_free (JorenDebtor *debtor)
{
  if (debtor == NULL)
    return;
  g_free (debtor->number);
  g_free (debtor->customer_name);
  g_free (debtor->customer_email);
  g_clear_pointer (&debtor->since, g_date_time_unref);
  g_free (debtor->oldest_receipt_no);
  g_free (debtor);
}

/* Payments pay the oldest charges first: walks the debits oldest first,
 * taking what was paid (the credits) off them, and stops at the first one
 * not paid in full. */
static gboolean
find_oldest_unpaid (JorenDb      *db,
                    JorenDebtor  *debtor,
                    GError      **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gint64 credit = 0;
  int rc;

  if (!sum_query (db, "SELECT coalesce (sum (amount), 0) FROM value_ledger"
                      " WHERE account_id = ?1 AND amount > 0",
                  debtor->account_id, NULL, &credit, error))
    return FALSE;
  stmt = joren_db_prepare (db, "SELECT -l.amount, l.created_at, s.receipt_no FROM value_ledger l"
                               " LEFT JOIN sales s ON s.id = l.sale_id"
                               " WHERE l.account_id = ?1 AND l.amount < 0"
                               " ORDER BY l.created_at, l.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, debtor->account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 debit = sqlite3_column_int64 (stmt, 0);

      if (debit <= credit)
        {
          credit -= debit;
          continue;
        }
      debtor->oldest_unpaid = debit - credit;
      debtor->since = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 1));
      debtor->oldest_receipt_no = joren_db_column_dup_text (stmt, 2);
      return TRUE;
    }
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not read the debtors."), error);
}

static int
compare_debtors (gconstpointer a,
                 gconstpointer b)
{
  const JorenDebtor *x = *(JorenDebtor * const *) a;
  const JorenDebtor *y = *(JorenDebtor * const *) b;

  if (x->since == NULL || y->since == NULL)
    return (x->since == NULL) - (y->since == NULL);
  return g_date_time_compare (x->since, y->since);
}

GPtrArray *
joren_value_list_debtors (JorenDb  *db,
                          GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) debtors = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT a.id, a.number, a.customer_id, c.name, -sum (l.amount),"
                               " a.credit_limit, c.email FROM value_accounts a"
                               " JOIN value_ledger l ON l.account_id = a.id"
                               " LEFT JOIN customers c ON c.id = a.customer_id"
                               " WHERE a.kind = 'customer_account'"
                               " GROUP BY a.id HAVING sum (l.amount) < 0", error);
  if (stmt == NULL)
    return NULL;
  debtors = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_debtor_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenDebtor *debtor = g_new0 (JorenDebtor, 1);

      debtor->account_id = sqlite3_column_int64 (stmt, 0);
      debtor->number = joren_db_column_dup_text (stmt, 1);
      debtor->customer_id = sqlite3_column_int64 (stmt, 2);
      debtor->customer_name = joren_db_column_dup_text (stmt, 3);
      debtor->debt = sqlite3_column_int64 (stmt, 4);
      debtor->credit_limit = sqlite3_column_int64 (stmt, 5);
      debtor->customer_email = joren_db_column_dup_text (stmt, 6);
      g_ptr_array_add (debtors, debtor);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the debtors."), error);
      return NULL;
    }
  g_clear_pointer (&stmt, joren_stmt_release);
  for (guint i = 0; i < debtors->len; i++)
    if (!find_oldest_unpaid (db, g_ptr_array_index (debtors, i), error))
      return NULL;
  g_ptr_array_sort (debtors, compare_debtors);
  return g_steal_pointer (&debtors);
}

gboolean
joren_value_record_payment (JorenDb     *db,
                            gint64       account_id,
                            gint64       amount,
                            const char  *reason,
                            gint64       staff_id,
                            GError     **error)
{
  JorenValueRow row = { account_id, JOREN_VALUE_ENTRY_PAYMENT, amount, reason, staff_id,
                        0, NULL, NULL };

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (amount >= 0, FALSE);

  if (amount == 0)
    {
      gint64 balance = 0;

      if (!joren_value_sum_ledger (db, account_id, &balance, error))
        return FALSE;
      row.amount = -balance;
    }
  if (row.amount <= 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("This account owes nothing."));
      return FALSE;
    }
  return write_manual_row (db, &row, error);
}

/* ---- reports ------------------------------------------------------------- */

gint64
joren_value_outstanding_liability (JorenDb  *db,
                                   GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (JOREN_IS_DB (db), 0);

  stmt = joren_db_prepare (db, "SELECT coalesce (sum (l.amount), 0) FROM value_ledger l"
                               " JOIN value_accounts a ON a.id = l.account_id"
                               " WHERE a.kind IN ('gift', 'prepaid')", error);
  if (stmt == NULL
      || !joren_db_step_row (db, stmt, &has_row, _("Could not add up the vouchers."), error))
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

/* One sum over a business day (?1). */
static gboolean
day_sum (JorenDb     *db,
         const char  *sql,
         const char  *day,
         gint64      *out,
         GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_STATIC);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not add up the day."), error))
    return FALSE;
  *out = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

#define LINES_OF_DAY(kinds) \
  "SELECT coalesce (sum (l.amount), 0) FROM sale_lines l JOIN sales s ON s.id = l.sale_id" \
  " WHERE s.business_day = ?1 AND l.line_kind IN " kinds
#define TENDERS_OF_DAY(kind) \
  "SELECT coalesce (sum (t.amount), 0) FROM sale_tenders t JOIN sales s ON s.id = t.sale_id" \
  " WHERE s.business_day = ?1 AND t.kind = '" kind "'"

gboolean
joren_value_day_report (JorenDb             *db,
                        const char          *business_day,
                        JorenValueDayReport *out,
                        GError             **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (business_day != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  return day_sum (db, LINES_OF_DAY ("('goods', 'visit')"), business_day, &out->revenue, error)
         && day_sum (db, "SELECT coalesce (sum (t.tax), 0) FROM sale_taxes t"
                         " JOIN sales s ON s.id = t.sale_id WHERE s.business_day = ?1",
                     business_day, &out->tax, error)
         && day_sum (db, LINES_OF_DAY ("('value')"), business_day, &out->liability_issued, error)
         && day_sum (db, LINES_OF_DAY ("('account')"), business_day, &out->account_paid, error)
         && day_sum (db, TENDERS_OF_DAY ("voucher"), business_day, &out->liability_redeemed, error)
         && day_sum (db, TENDERS_OF_DAY ("account"), business_day, &out->account_charged, error);
}
