/* joren-customer-admin.c: merging duplicate customers, exporting what
 * the shop holds about one, and anonymising one on request, each with its
 * audit entry in the same transaction. Append-only ledgers are never
 * rewritten: a merge moves the points balance with a pair of adjustments
 * and leaves the duplicate as an empty record pointing at the survivor
 * (customers.merged_into), so every old ledger row still names a record
 * that exists. Tables added by later schemas that name a customer follow
 * the survivor too: they are found by their customer_id column. */
#include "config.h"

#include <string.h>

#include <cjson/cJSON.h>
#include <glib/gi18n.h>

#include "joren-audit.h"
#include "joren-customer-admin.h"
#include "joren-db-private.h"
#include "joren-points.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

#define DOING_MERGE _("Could not merge the customers.")

JorenCustomer *
joren_customer_admin_view (JorenDb   *db,
                           gint64     staff_id,
                           gint64     customer_id,
                           GError   **error)
{
  g_autoptr(JorenCustomer) customer = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  customer = joren_customer_get (db, customer_id, error);
  if (customer == NULL
      || !joren_audit_log (db, staff_id, JOREN_AUDIT_VIEW, customer_id, NULL, error))
    return NULL;
  return g_steal_pointer (&customer);
}

/* Runs sql with ?1 survivor (or the customer) and ?2 duplicate. */
static gboolean
run_pair (JorenDb     *db,
          const char  *sql,
          gint64       first,
          gint64       second,
          const char  *doing,
          GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, second);
  return joren_db_step_done (db, stmt, doing, error);
}

static gboolean
check_mergeable (JorenDb  *db,
                 gint64    survivor_id,
                 gint64    duplicate_id,
                 GError  **error)
{
  g_autoptr(JorenCustomer) survivor = NULL;
  g_autoptr(JorenCustomer) duplicate = NULL;

  if (survivor_id == duplicate_id)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Choose two different customers to merge."));
      return FALSE;
    }
  survivor = joren_customer_get (db, survivor_id, error);
  if (survivor != NULL)
    duplicate = joren_customer_get (db, duplicate_id, error);
  return duplicate != NULL;
}

/* The duplicate's points balance moves with two adjustments. */
static gboolean
move_points (JorenDb  *db,
             gint64    staff_id,
             gint64    survivor_id,
             gint64    duplicate_id,
             GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 balance = joren_points_balance (db, duplicate_id, &local_error);
  g_autofree char *reason = g_strdup_printf ("merge %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT,
                                             duplicate_id, survivor_id);
  const gint64 ids[2] = { duplicate_id, survivor_id };

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (balance == 0)
    return TRUE;
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&stmt, joren_stmt_release);
      stmt = joren_db_prepare (db, "INSERT INTO points_ledger (customer_id, kind, points, reason,"
                                   " staff_id, created_at) VALUES (?, 'adjust', ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      sqlite3_bind_int64 (stmt, 2, i == 0 ? -balance : balance);
      sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
      joren_db_bind_id_or_null (stmt, 4, staff_id);
      sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
      if (!joren_db_step_done (db, stmt, DOING_MERGE, error))
        return FALSE;
    }
  return TRUE;
}

/* Tables handled by name, or not to be moved at all. punch_ledger is
 * append-only: stamps move with a pair of adjustments (merge_statements)
 * and a count card's rows name the card, which moves with punch_cards. */
static gboolean
moved_elsewhere (const char *table)
{
  static const char * const tables[] = {
    "customer_phones", "points_ledger", "customer_visits", "audit_log",
    "customer_field_clock", "customer_field_history", "punch_ledger",
  };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_str_equal (table, tables[i]))
      return TRUE;
  return FALSE;
}

static GPtrArray *
tables_naming_customers (JorenDb  *db,
                         GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  int rc;

  stmt = joren_db_prepare (db, "SELECT m.name FROM sqlite_schema m"
                               " JOIN pragma_table_info (m.name) c ON c.name = 'customer_id'"
                               " WHERE m.type = 'table' ORDER BY m.name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!moved_elsewhere ((const char *) sqlite3_column_text (stmt, 0)))
      g_ptr_array_add (tables, joren_db_column_dup_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, DOING_MERGE, error);
      return NULL;
    }
  return g_steal_pointer (&tables);
}

/* Moves one table's rows in a savepoint. A row whose key the survivor
 * already has stays with the duplicate record, which remains as a
 * pointer, while the others move (OR IGNORE):
 *  - promotion_recipients: both in one run: the survivor's row says it;
 *  - birthday_greetings: both greeted that year: the survivor was too;
 *  - value_accounts: both have a pay-later account (one per customer):
 *    the duplicate's keeps its number, ledger and debt, still listed
 *    among the debtors; joining two credit lines is the owner's call.
 *    Vouchers and cards linked to the duplicate move.
 * An append-only table (its trigger refuses) stays whole. */
static gboolean
move_table (JorenDb     *db,
            const char  *table,
            gint64       survivor_id,
            gint64       duplicate_id,
            GError     **error)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", table);
  g_autofree char *sql = g_strconcat ("UPDATE OR IGNORE ", quoted, " SET customer_id = ?1"
                                      " WHERE customer_id = ?2", NULL);
  g_autoptr(GError) local_error = NULL;

  /* table comes from sqlite_schema, never from input; values are bound. */
  g_assert (strchr (table, '"') == NULL);
  if (!joren_db_exec (db, "SAVEPOINT merge_table", DOING_MERGE, error))
    return FALSE;
  if (run_pair (db, sql, survivor_id, duplicate_id, DOING_MERGE, &local_error))
    return joren_db_exec (db, "RELEASE merge_table", DOING_MERGE, error);
  g_debug ("Merge: %s stays with customer %" G_GINT64_FORMAT ": %s",
           table, duplicate_id, local_error->message);
  return joren_db_exec (db, "ROLLBACK TO merge_table", DOING_MERGE, error)
         && joren_db_exec (db, "RELEASE merge_table", DOING_MERGE, error);
}

static gboolean
move_tables (JorenDb  *db,
             gint64    survivor_id,
             gint64    duplicate_id,
             GError  **error)
{
  g_autoptr(GPtrArray) tables = tables_naming_customers (db, error);

  if (tables == NULL)
    return FALSE;
  for (guint i = 0; i < tables->len; i++)
    if (!move_table (db, g_ptr_array_index (tables, i), survivor_id, duplicate_id, error))
      return FALSE;
  return TRUE;
}

/* Unix µs, like every created_at. */
#define NOW_USEC "CAST ((julianday ('now') - 2440587.5) * 86400000000 AS INTEGER)"

/* Empty fields of the survivor take the duplicate's; consents stay. */
#define FILL(col) " " col " = coalesce (nullif (s." col ", ''), d." col ")"

static const char * const merge_statements[] = {
  "INSERT OR IGNORE INTO customer_phones (customer_id, phone, last4, entered)"
  " SELECT ?1, phone, last4, entered FROM customer_phones WHERE customer_id = ?2",
  "DELETE FROM customer_phones WHERE customer_id = ?2",
  "UPDATE customers AS s SET" FILL ("name") "," FILL ("reading") "," FILL ("email") ","
  FILL ("birthday") "," FILL ("postal_code") "," FILL ("address") "," FILL ("notes")
  " FROM customers AS d WHERE s.id = ?1 AND d.id = ?2",
  "UPDATE customers SET name = '', reading = '', email = NULL, birthday = NULL,"
  " postal_code = NULL, address = NULL, notes = NULL, consent_email = 0, consent_post = 0,"
  " consent_sms = 0, merged_into = ?1 WHERE id = ?2",
  /* Stamps: the duplicate's balance per programme, added to the
   * survivor and taken off the duplicate (the ledger is append-only). */
  "INSERT INTO punch_ledger (customer_id, programme_id, kind, units, reason, created_at)"
  " SELECT ?1, programme_id, 'adjust', sum (units), 'merge', " NOW_USEC " FROM punch_ledger"
  " WHERE customer_id = ?2 AND programme_id IS NOT NULL GROUP BY programme_id"
  " HAVING sum (units) <> 0",
  "INSERT INTO punch_ledger (customer_id, programme_id, kind, units, reason, created_at)"
  " SELECT ?2, programme_id, 'adjust', -sum (units), 'merge', " NOW_USEC " FROM punch_ledger"
  " WHERE customer_id = ?2 AND programme_id IS NOT NULL GROUP BY programme_id"
  " HAVING sum (units) <> 0",
  /* Visits are summed again from the sales, which now name the survivor. */
  "DELETE FROM customer_visits WHERE customer_id IN (?1, ?2)",
  "INSERT INTO customer_visits (customer_id, first_visit, last_visit, visits, spend)"
  " SELECT customer_id, min (CASE kind WHEN 'sale' THEN created_at END),"
  " max (CASE kind WHEN 'sale' THEN created_at END), sum (kind = 'sale'), sum (total)"
  " FROM sales WHERE customer_id = ?1 GROUP BY customer_id",
};

static gboolean
merge_in_transaction (JorenDb  *db,
                      gint64    staff_id,
                      gint64    survivor_id,
                      gint64    duplicate_id,
                      GError  **error)
{
  g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT, duplicate_id);

  if (!check_mergeable (db, survivor_id, duplicate_id, error)
      || !move_points (db, staff_id, survivor_id, duplicate_id, error)
      || !move_tables (db, survivor_id, duplicate_id, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (merge_statements); i++)
    if (!run_pair (db, merge_statements[i], survivor_id, duplicate_id, DOING_MERGE, error))
      return FALSE;
  return joren_audit_log (db, staff_id, JOREN_AUDIT_MERGE, survivor_id, detail, error);
}

gboolean
joren_customer_merge (JorenDb   *db,
                      gint64     staff_id,
                      gint64     survivor_id,
                      gint64     duplicate_id,
                      GError   **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (!joren_db_begin (db, error))
    return FALSE;
  if (merge_in_transaction (db, staff_id, survivor_id, duplicate_id, error)
      && joren_db_commit (db, error))
    return TRUE;
  joren_db_rollback (db);
  return FALSE;
}

/* --- export --------------------------------------------------------- */

static void
add_text (cJSON      *object,
          const char *name,
          const char *value)
{
  if (value != NULL)
    cJSON_AddStringToObject (object, name, value);
  else
    cJSON_AddNullToObject (object, name);
}

static void
add_time (cJSON      *object,
          const char *name,
          gint64      usec)
{
  g_autoptr(GDateTime) time = joren_db_time_from_usec (usec);
  g_autofree char *text = g_date_time_format_iso8601 (time);

  cJSON_AddStringToObject (object, name, text);
}

static cJSON *
customer_to_json (const JorenCustomer *c)
{
  cJSON *object = cJSON_CreateObject ();
  cJSON *phones = cJSON_AddArrayToObject (object, "phones");
  cJSON *cards = cJSON_AddArrayToObject (object, "cards");
  static const char * const card_kinds[] = { "barcode", "qr", "rfid" };

  cJSON_AddNumberToObject (object, "id", (double) c->id);
  add_text (object, "member_no", c->member_no);
  add_text (object, "name", c->name);
  add_text (object, "reading", c->reading);
  add_text (object, "email", c->email);
  add_text (object, "birthday", c->birthday);
  add_text (object, "postal_code", c->postal_code);
  add_text (object, "address", c->address);
  add_text (object, "notes", c->notes);
  add_text (object, "store", c->store);
  cJSON_AddNumberToObject (object, "tier", c->tier);
  cJSON_AddBoolToObject (object, "consent_email", c->consent_email);
  cJSON_AddBoolToObject (object, "consent_post", c->consent_post);
  cJSON_AddBoolToObject (object, "consent_sms", c->consent_sms);
  if (c->created_at != NULL)
    add_time (object, "created_at", joren_db_time_to_usec (c->created_at));
  for (guint i = 0; c->phones != NULL && i < c->phones->len; i++)
    cJSON_AddItemToArray (phones, cJSON_CreateString (g_ptr_array_index (c->phones, i)));
  for (guint i = 0; c->cards != NULL && i < c->cards->len; i++)
    {
      const JorenCustomerCard *card = g_ptr_array_index (c->cards, i);
      cJSON *item = cJSON_CreateObject ();

      cJSON_AddStringToObject (item, "code", card->code);
      cJSON_AddStringToObject (item, "kind", card_kinds[card->kind]);
      cJSON_AddItemToArray (cards, item);
    }
  return object;
}

/* Each row of a bound statement becomes an object: integer columns as
 * numbers, columns named *_at (unix microseconds) as ISO 8601 times. */
static gboolean
rows_to_json (JorenDb    *db,
              JorenStmt  *stmt,
              cJSON      *array,
              GError    **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      cJSON *item = cJSON_CreateObject ();

      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *name = sqlite3_column_name (stmt, i);

          if (sqlite3_column_type (stmt, i) == SQLITE_INTEGER && g_str_has_suffix (name, "_at"))
            add_time (item, name, sqlite3_column_int64 (stmt, i));
          else if (sqlite3_column_type (stmt, i) == SQLITE_INTEGER)
            cJSON_AddNumberToObject (item, name, (double) sqlite3_column_int64 (stmt, i));
          else
            add_text (item, name, (const char *) sqlite3_column_text (stmt, i));
        }
      cJSON_AddItemToArray (array, item);
    }
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not export the customer's data."), error);
}

static gboolean
add_query (JorenDb     *db,
           cJSON       *root,
           const char  *name,
           const char  *sql,
           gint64       customer_id,
           GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  return rows_to_json (db, stmt, cJSON_AddArrayToObject (root, name), error);
}

static const struct {
  const char *name;
  const char *sql;
} export_queries[] = {
  { "sales", "SELECT receipt_no, kind, created_at, total, tax_total AS tax FROM sales"
             " WHERE customer_id = ? ORDER BY created_at, id" },
  { "sale_lines", "SELECT s.receipt_no, l.position, l.name, l.qty, l.amount FROM sales s"
                  " JOIN sale_lines l ON l.sale_id = s.id WHERE s.customer_id = ?"
                  " ORDER BY s.created_at, s.id, l.position" },
  { "points", "SELECT kind, points, reason, created_at FROM points_ledger"
              " WHERE customer_id = ? ORDER BY id" },
  { "value_accounts", "SELECT a.number, a.kind, a.created_at,"
                      " (SELECT coalesce (sum (amount), 0) FROM value_ledger"
                      "  WHERE account_id = a.id) AS balance"
                      " FROM value_accounts a WHERE a.customer_id = ? ORDER BY a.id" },
  { "count_cards", "SELECT name, visits, issued_at, expires_at FROM punch_cards"
                   " WHERE customer_id = ? ORDER BY id" },
  { "audit", "SELECT action, staff_id, at AS logged_at FROM audit_log"
             " WHERE customer_id = ? ORDER BY id" },
};

char *
joren_customer_export_json (JorenDb   *db,
                            gint64     staff_id,
                            gint64     customer_id,
                            GError   **error)
{
  g_autoptr(JorenCustomer) customer = NULL;
  g_autoptr(cJSON) root = NULL;
  gint64 balance;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  customer = joren_customer_get (db, customer_id, error);
  if (customer == NULL)
    return NULL;
  balance = joren_points_balance (db, customer_id, error);
  root = cJSON_CreateObject ();
  cJSON_AddItemToObject (root, "customer", customer_to_json (customer));
  cJSON_AddNumberToObject (root, "points_balance", (double) balance);
  for (guint i = 0; i < G_N_ELEMENTS (export_queries); i++)
    if (!add_query (db, root, export_queries[i].name, export_queries[i].sql,
                    customer_id, error))
      return NULL;
  if (!joren_audit_log (db, staff_id, JOREN_AUDIT_EXPORT, customer_id, NULL, error))
    return NULL;
  return cJSON_Print (root);
}

/* --- anonymising ---------------------------------------------------- */

static const char * const anonymise_statements[] = {
  "UPDATE customers SET name = '', reading = '', email = NULL, birthday = NULL,"
  " postal_code = NULL, address = NULL, notes = NULL, consent_email = 0, consent_post = 0,"
  " consent_sms = 0, anonymised_at = coalesce (anonymised_at, ?2) WHERE id = ?1",
  "DELETE FROM customer_cards WHERE customer_id = ?1",
  "DELETE FROM customer_phones WHERE customer_id = ?1",
  /* Old values of the profile fields, kept by sync: personal data too. */
  "DELETE FROM customer_field_history WHERE customer_id = ?1",
};

gboolean
joren_customer_anonymise (JorenDb   *db,
                          gint64     staff_id,
                          gint64     customer_id,
                          GError   **error)
{
  g_autoptr(JorenCustomer) customer = NULL;
  gboolean ok;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (!joren_db_begin (db, error))
    return FALSE;
  customer = joren_customer_get (db, customer_id, error);
  ok = customer != NULL;
  for (guint i = 0; ok && i < G_N_ELEMENTS (anonymise_statements); i++)
    ok = run_pair (db, anonymise_statements[i], customer_id, g_get_real_time (),
                   _("Could not anonymise the customer."), error);
  if (ok
      && joren_audit_log (db, staff_id, JOREN_AUDIT_ANONYMISE, customer_id, NULL, error)
      && joren_db_commit (db, error))
    return TRUE;
  joren_db_rollback (db);
  return FALSE;
}

gboolean
joren_customer_is_anonymised (JorenDb   *db,
                              gint64     customer_id,
                              gboolean  *out_anonymised,
                              GError   **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (out_anonymised != NULL, FALSE);

  stmt = joren_db_prepare (db, "SELECT anonymised_at IS NOT NULL FROM customers WHERE id = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the customer."), error))
    return FALSE;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("This customer does not exist."));
      return FALSE;
    }
  *out_anonymised = sqlite3_column_int (stmt, 0);
  return TRUE;
}
