/* joren-cash.c: cash drawer sessions. A session opens with a float and
 * closes with the counted cash; its figures are summed from the sales that
 * carry its id rather than kept as running totals, so they can never
 * drift from the receipts. A partial unique index allows one open session
 * per register. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-cash.h"
#include "joren-promotion.h"
#include "joren-db-private.h"
#include "joren-loyalty.h"

void
joren_cash_session_free (JorenCashSession *session)
{
  if (session == NULL)
    return;
  g_clear_pointer (&session->opened_at, g_date_time_unref);
  g_clear_pointer (&session->closed_at, g_date_time_unref);
  g_free (session);
}

static void
session_from_row (sqlite3_stmt     *stmt,
                  JorenCashSession *session)
{
  session->id = sqlite3_column_int64 (stmt, 0);
  session->opened_by = sqlite3_column_int64 (stmt, 1);
  session->opened_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 2));
  session->opening_float = sqlite3_column_int64 (stmt, 3);
  session->closed_by = sqlite3_column_int64 (stmt, 4);
  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    session->closed_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 5));
  session->counted = sqlite3_column_int64 (stmt, 6);
}

/* Sale counts and totals, by kind. */
static gboolean
add_sale_figures (JorenDb           *db,
                  JorenCashSession  *session,
                  GError           **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT kind, count (*), sum (total) FROM sales"
                               " WHERE cash_session_id = ? GROUP BY kind", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, session->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "refund") == 0)
      {
        session->n_refunds = sqlite3_column_int64 (stmt, 1);
        session->refunds_total = -sqlite3_column_int64 (stmt, 2);
      }
    else
      {
        session->n_sales = sqlite3_column_int64 (stmt, 1);
        session->sales_total = sqlite3_column_int64 (stmt, 2);
      }
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not add up the drawer."), error);
}

/* Tenders by sale kind and tender kind. Change always leaves the drawer
 * as cash, so it is taken off the cash of its sale (on a refund it is
 * what the customer handed back, <= 0). */
static gboolean
add_tender_figures (JorenDb           *db,
                    JorenCashSession  *session,
                    GError           **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db,
                           "SELECT s.kind, t.kind, sum (t.amount) FROM sale_tenders t"
                           " JOIN sales s ON s.id = t.sale_id WHERE s.cash_session_id = ?1"
                           " GROUP BY s.kind, t.kind"
                           " UNION ALL SELECT kind, 'cash', -sum (change) FROM sales"
                           " WHERE cash_session_id = ?1 GROUP BY kind", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, session->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean refund = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "refund") == 0;
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      gint64 amount = sqlite3_column_int64 (stmt, 2);

      if (g_strcmp0 (kind, "card") == 0)
        session->card_total += amount;
      else if (g_strcmp0 (kind, "cash") != 0)
        session->other_total += amount;
      else if (refund)
        session->cash_out -= amount;
      else
        session->cash_in += amount;
    }
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not add up the drawer."), error);
}

/* The session a bound statement selects, with its figures; NULL without
 * error when there is none. */
static JorenCashSession *
fetch_session (JorenDb    *db,
               JorenStmt  *stmt,
               GError    **error)
{
  g_autoptr(JorenCashSession) session = g_new0 (JorenCashSession, 1);
  gboolean has_row;

  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the cash drawer session."), error)
      || !has_row)
    return NULL;
  session_from_row (stmt, session);
  if (!add_sale_figures (db, session, error) || !add_tender_figures (db, session, error))
    return NULL;
  session->expected = session->opening_float + session->cash_in - session->cash_out;
  return g_steal_pointer (&session);
}

#define SESSION_SELECT \
  "SELECT id, opened_by, opened_at, opening_float, closed_by, closed_at, counted" \
  " FROM cash_sessions "

static JorenCashSession *
load_session (JorenDb  *db,
              gint64    id,
              GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  JorenCashSession *session;

  if (id == 0)
    stmt = joren_db_prepare (db, SESSION_SELECT "WHERE closed_at IS NULL", error);
  else
    stmt = joren_db_prepare (db, SESSION_SELECT "WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  session = fetch_session (db, stmt, &local_error);
  if (session == NULL && local_error == NULL)
    g_set_error (&local_error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NO_SESSION,
                 _("The cash drawer is not open. Open it with a float first."));
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return session;
}

JorenCashSession *
joren_cash_session_current (JorenDb  *db,
                            GError  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  return load_session (db, 0, error);
}

static gint64
insert_session (JorenDb  *db,
                gint64    staff_id,
                gint64    opening_float,
                GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "INSERT INTO cash_sessions (opened_by, opened_at, opening_float)"
                               " VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 3, opening_float);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
                 _("The cash drawer is already open. Close it before opening a new session."));
  else if (rc != SQLITE_DONE)
    joren_db_set_error (db, rc, _("Could not open the cash drawer session."), error);
  else
    return sqlite3_last_insert_rowid (joren_db_get_handle (db));
  return 0;
}

JorenCashSession *
joren_cash_session_open (JorenDb  *db,
                         gint64    staff_id,
                         gint64    opening_float,
                         GError  **error)
{
  gint64 id;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  if (opening_float < 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("The float cannot be below zero."));
      return NULL;
    }
  id = insert_session (db, staff_id, opening_float, error);
  return id != 0 ? load_session (db, id, error) : NULL;
}

static gboolean
close_session (JorenDb  *db,
               gint64    id,
               gint64    staff_id,
               gint64    counted,
               GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "UPDATE cash_sessions SET closed_by = ?2, closed_at = ?3,"
                               " counted = ?4 WHERE id = ?1 AND closed_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, staff_id);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 4, counted);
  return joren_db_step_done (db, stmt, _("Could not close the cash drawer session."), error);
}

/* For the Z report (joren-zreport.c), inside its own transaction. */
gboolean
joren_cash_session_store_close (JorenDb  *db,
                                gint64    id,
                                gint64    staff_id,
                                gint64    counted,
                                GError  **error)
{
  return close_session (db, id, staff_id, counted, error);
}

JorenCashSession *
joren_cash_session_close (JorenDb  *db,
                          gint64    staff_id,
                          gint64    counted,
                          GError  **error)
{
  g_autoptr(JorenCashSession) open = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  if (counted < 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("The counted cash cannot be below zero."));
      return NULL;
    }
  if (!joren_db_begin (db, error))
    return NULL;
  open = load_session (db, 0, error);
  if (open != NULL
      && close_session (db, open->id, staff_id, counted, error)
      && joren_db_commit (db, error))
    {
      joren_loyalty_day_close (db, NULL, NULL);  /* a failure is logged; start-up retries */
      joren_promotion_run_birthdays_async (db, NULL, NULL, NULL, NULL);  /* worker thread */
      return load_session (db, open->id, error);
    }
  joren_db_rollback (db);
  return NULL;
}
