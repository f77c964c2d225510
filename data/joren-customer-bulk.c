/* joren-customer-bulk.c: generated members for benchmarks and the
 * start-up test: a register must stay quick with a million customers (a
 * well-known web register becomes unusable past 10,000). Rows are written
 * the way joren_customer_add writes them, in one transaction, with
 * readings spread over ten kana so name-prefix searches return pick lists. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-customer.h"
#include "joren-db-private.h"

char *
joren_customer_generated_reading (guint n)
{
  static const char * const kana[] = { "ア", "カ", "サ", "タ", "ナ", "ハ", "マ", "ヤ", "ラ", "ワ" };
  GString *reading = g_string_new (NULL);

  for (guint i = 0; i < 5; i++, n /= 10)
    g_string_append (reading, kana[n % 10]);
  return g_string_free (reading, FALSE);
}

static const char * const generate_sql[] = {
  "INSERT INTO customers (member_no, name, reading, store, created_at, phone)"
  " VALUES ('B-M' || ?1, 'Customer ' || ?1, ?2, 'B', 0, '090' || printf ('%08d', ?1))",
  /* With the copies 013-pick.sql keeps, so no trigger has to look them up. */
  "INSERT INTO customer_phones (customer_id, phone, last4, entered, name, reading, member_no)"
  " SELECT id, '+8190' || printf ('%08d', ?1), printf ('%04d', ?1 % 10000), phone, name, reading,"
  " member_no FROM customers WHERE id = last_insert_rowid ()",
  "INSERT INTO customer_cards VALUES ('29' || printf ('%011d', ?1),"
  " (SELECT id FROM customers WHERE member_no = 'B-M' || ?1), 'barcode', 0)",
};

static gboolean
insert_generated (JorenDb  *db,
                  guint     n,
                  GError  **error)
{
  for (guint k = 0; k < G_N_ELEMENTS (generate_sql); k++)
    {
      g_autoptr(JorenStmt) stmt = joren_db_prepare (db, generate_sql[k], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, n);
      if (k == 0)
        sqlite3_bind_text (stmt, 2, joren_customer_generated_reading (n), -1, g_free);
      if (!joren_db_step_done (db, stmt, _("Could not save the customer."), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
joren_customer_generate (JorenDb  *db,
                         guint     n_customers,
                         GError  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (!joren_db_begin (db, error))
    return FALSE;
  for (guint n = 1; n <= n_customers; n++)
    if (!insert_generated (db, n, error))
      {
        joren_db_rollback (db);
        return FALSE;
      }
  return joren_db_commit (db, error);
}
