/* joren-zreport.c: X and Z reports of a cash drawer session. Figures are
 * summed from the sales that carry the session's id (the partial index
 * sales_cash_session makes that a few hundred rows for a day), so they
 * can never drift from the receipts. Closing takes the Z number from a
 * per-register counter bumped in the closing transaction, like receipt
 * numbers: a rollback or a crash before COMMIT hands out nothing, and
 * UNIQUE (register, z_no) with append-only triggers make sure a number
 * once issued is never issued again. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-cash.h"
#include "joren-db-private.h"
#include "joren-sale-db.h"
#include "joren-zreport.h"

static const char * const tender_keys[] = {
  "cash", "card", "other", "points", "voucher", "account",
};

static const char *
tender_label (const char *key)
{
  static const char * const labels[] = {
    N_("Cash"), N_("Card"), N_("Other"), N_("Points"), N_("Voucher"), N_("On account"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (tender_keys); i++)
    if (g_strcmp0 (key, tender_keys[i]) == 0)
      return _(labels[i]);
  return key;
}

/* "10%", "7.5%". */
static char *
rate_label (const char *key)
{
  gint64 bp = g_ascii_strtoll (key, NULL, 10);
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", bp / 100, (int) (bp % 100));
  char *end = text + strlen (text) - 1;

  while (*end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
  return g_strconcat (text, "%", NULL);
}

void
joren_zreport_free (JorenZReport *report)
{
  if (report == NULL)
    return;
  g_free (report->register_prefix);
  g_free (report->staff_name);
  g_clear_pointer (&report->opened_at, g_date_time_unref);
  g_clear_pointer (&report->created_at, g_date_time_unref);
  g_clear_pointer (&report->tenders, g_ptr_array_unref);
  g_clear_pointer (&report->tax_rates, g_ptr_array_unref);
  g_free (report);
}

static JorenZReport *
zreport_new (void)
{
  JorenZReport *report = g_new0 (JorenZReport, 1);

  report->tenders = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_report_row_free);
  report->tax_rates = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_report_row_free);
  return report;
}

/* Adds a labelled row to a section (labels are made at load time, in the
 * language the register runs in then). */
static JorenReportRow *
add_row (JorenZReport *report,
         gboolean      tax,
         const char   *key)
{
  g_autofree char *rate = tax ? rate_label (key) : NULL;
  JorenReportRow *row = joren_report_row_new (key, tax ? rate : tender_label (key));

  g_ptr_array_add (tax ? report->tax_rates : report->tenders, row);
  return row;
}

/* --- computing from the sales of a session ------------------------- */

static gboolean
finish_step (JorenDb *db, int rc, GError **error)
{
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not compute the end-of-day report."), error);
}

/* Totals by kind; returns the change given (cash that left the drawer). */
static gboolean
add_sale_totals (JorenDb       *db,
                 JorenZReport  *report,
                 gint64        *out_change,
                 GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT kind = 'refund', count (*), sum (total), sum (tax_total),"
                               " sum (discount_total <> 0), sum (discount_total), sum (change)"
                               " FROM sales WHERE cash_session_id = ? GROUP BY kind", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->cash_session_id);
  *out_change = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 total = sqlite3_column_int64 (stmt, 2);

      report->gross += total;
      report->tax += sqlite3_column_int64 (stmt, 3);
      *out_change += sqlite3_column_int64 (stmt, 6);
      if (sqlite3_column_int (stmt, 0))
        {
          report->n_refunds = sqlite3_column_int64 (stmt, 1);
          report->refunds_total = -total;
          continue;
        }
      report->n_sales = sqlite3_column_int64 (stmt, 1);
      report->sales_total = total;
      report->n_discounts = sqlite3_column_int64 (stmt, 4);
      report->discounts = sqlite3_column_int64 (stmt, 5);
    }
  return finish_step (db, rc, error);
}

/* Value issues and account payments are no revenue: off the goods. */
static gboolean
take_off_other_lines (JorenDb       *db,
                      JorenZReport  *report,
                      GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db, "SELECT coalesce (sum (l.amount), 0) FROM sales s"
                               " JOIN sale_lines l ON l.sale_id = s.id"
                               " WHERE s.cash_session_id = ? AND l.line_kind <> 'goods'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->cash_session_id);
  if (!joren_db_step_row (db, stmt, &has_row,
                          _("Could not compute the end-of-day report."), error))
    return FALSE;
  report->gross -= sqlite3_column_int64 (stmt, 0);
  report->net = report->gross - report->tax;
  return TRUE;
}

static gboolean
add_tenders (JorenDb       *db,
             JorenZReport  *report,
             gint64         change,
             GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT t.kind, count (*), sum (t.amount) FROM sales s"
                               " JOIN sale_tenders t ON t.sale_id = s.id"
                               " WHERE s.cash_session_id = ? GROUP BY t.kind", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->cash_session_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      JorenReportRow *row = add_row (report, FALSE, key);

      row->count = sqlite3_column_int64 (stmt, 1);
      row->gross = sqlite3_column_int64 (stmt, 2) - (g_str_equal (key, "cash") ? change : 0);
    }
  return finish_step (db, rc, error);
}

static gboolean
add_tax_rates (JorenDb       *db,
               JorenZReport  *report,
               GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT t.rate_bp, count (*), sum (t.net), sum (t.tax),"
                               " sum (t.gross) FROM sales s JOIN sale_taxes t ON t.sale_id = s.id"
                               " WHERE s.cash_session_id = ? GROUP BY t.rate_bp"
                               " ORDER BY t.rate_bp DESC", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->cash_session_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenReportRow *row = add_row (report, TRUE, (const char *) sqlite3_column_text (stmt, 0));

      row->count = sqlite3_column_int64 (stmt, 1);
      row->net = sqlite3_column_int64 (stmt, 2);
      row->tax = sqlite3_column_int64 (stmt, 3);
      row->gross = sqlite3_column_int64 (stmt, 4);
    }
  return finish_step (db, rc, error);
}

static gboolean
add_voids (JorenDb       *db,
           JorenZReport  *report,
           GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db, "SELECT count (*), coalesce (sum (amount), 0) FROM void_log"
                               " WHERE cash_session_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->cash_session_id);
  if (!joren_db_step_row (db, stmt, &has_row,
                          _("Could not compute the end-of-day report."), error))
    return FALSE;
  report->n_voids = sqlite3_column_int64 (stmt, 0);
  report->voids_total = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

static char *
staff_name (JorenDb *db,
            gint64   staff_id)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, "SELECT name FROM staff WHERE id = ?", NULL);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return g_strdup ("");
  sqlite3_bind_int64 (stmt, 1, staff_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the staff list."), NULL)
      || !has_row)
    return g_strdup ("");
  return joren_db_column_dup_text (stmt, 0);
}

static char *
register_prefix (JorenDb *db)
{
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, NULL);

  return g_strdup (shop != NULL && shop->register_prefix != NULL ? shop->register_prefix : "");
}

/* The report of the open session as it stands now. */
static JorenZReport *
compute (JorenDb  *db,
         gint64    staff_id,
         GError  **error)
{
  g_autoptr(JorenCashSession) session = joren_cash_session_current (db, error);
  g_autoptr(JorenZReport) report = NULL;
  gint64 change;

  if (session == NULL)
    return NULL;
  report = zreport_new ();
  report->cash_session_id = session->id;
  report->opened_at = g_date_time_ref (session->opened_at);
  report->created_at = g_date_time_new_now_utc ();
  report->opening_float = session->opening_float;
  report->cash_expected = session->expected;
  report->staff_id = staff_id;
  report->staff_name = staff_name (db, staff_id);
  report->register_prefix = register_prefix (db);
  if (!add_sale_totals (db, report, &change, error)
      || !take_off_other_lines (db, report, error)
      || !add_tenders (db, report, change, error)
      || !add_tax_rates (db, report, error)
      || !add_voids (db, report, error))
    return NULL;
  return g_steal_pointer (&report);
}

JorenZReport *
joren_zreport_x (JorenDb  *db,
                 GError  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  return compute (db, 0, error);
}

/* --- closing -------------------------------------------------------- */

static gboolean
next_z_no (JorenDb       *db,
           JorenZReport  *report,
           GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "INSERT INTO z_sequences (register, next) VALUES (?1, 2)"
                               " ON CONFLICT (register) DO UPDATE SET next = next + 1"
                               " RETURNING next - 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, report->register_prefix, -1, SQLITE_STATIC);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not number the Z report."), error))
    return FALSE;
  g_assert (has_row);
  report->z_no = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

#define Z_COLUMNS "register, z_no, cash_session_id, staff_id, staff_name, opened_at," \
  " created_at, n_sales, sales_total, n_refunds, refunds_total, n_discounts, discounts," \
  " n_voids, voids_total, net, tax, gross, opening_float, cash_expected, cash_counted"

static void
bind_report (sqlite3_stmt       *stmt,
             const JorenZReport *r)
{
  const gint64 figures[] = {
    r->n_sales, r->sales_total, r->n_refunds, r->refunds_total, r->n_discounts,
    r->discounts, r->n_voids, r->voids_total, r->net, r->tax, r->gross,
    r->opening_float, r->cash_expected, r->cash_counted,
  };

  sqlite3_bind_text (stmt, 1, r->register_prefix, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, r->z_no);
  sqlite3_bind_int64 (stmt, 3, r->cash_session_id);
  joren_db_bind_id_or_null (stmt, 4, r->staff_id);
  sqlite3_bind_text (stmt, 5, r->staff_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, joren_db_time_to_usec (r->opened_at));
  sqlite3_bind_int64 (stmt, 7, joren_db_time_to_usec (r->created_at));
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    sqlite3_bind_int64 (stmt, 8 + (int) i, figures[i]);
}

static gboolean
insert_rows (JorenDb    *db,
             gint64      z_id,
             const char *section,
             GPtrArray  *rows,
             GError    **error)
{
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(JorenStmt) stmt = NULL;
      const JorenReportRow *row = g_ptr_array_index (rows, i);

      stmt = joren_db_prepare (db, "INSERT INTO z_report_rows (z_id, section, position, key,"
                                   " count, net, tax, gross) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, z_id);
      sqlite3_bind_text (stmt, 2, section, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, (int) i);
      sqlite3_bind_text (stmt, 4, row->key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, row->count);
      sqlite3_bind_int64 (stmt, 6, row->net);
      sqlite3_bind_int64 (stmt, 7, row->tax);
      sqlite3_bind_int64 (stmt, 8, row->gross);
      if (!joren_db_step_done (db, stmt, _("Could not save the Z report."), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
store_report (JorenDb       *db,
              JorenZReport  *report,
              GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "INSERT INTO z_reports (" Z_COLUMNS ") VALUES (?, ?, ?, ?, ?,"
                               " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_report (stmt, report);
  if (!joren_db_step_done (db, stmt, _("Could not save the Z report."), error))
    return FALSE;
  report->id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  return insert_rows (db, report->id, "tender", report->tenders, error)
         && insert_rows (db, report->id, "tax", report->tax_rates, error);
}

/* Test hook: JOREN_CRASH_POINT=zreport-before-commit kills the process with
 * the Z report written but not committed. */
static void
crash_point (void)
{
  joren_db_crash_point ("zreport-before-commit");
}

static gboolean
close_in_transaction (JorenDb       *db,
                      JorenZReport  *report,
                      gint64         counted,
                      GError       **error)
{
  report->cash_counted = counted;
  report->cash_difference = counted - report->cash_expected;
  if (!next_z_no (db, report, error)
      || !store_report (db, report, error)
      || !joren_cash_session_store_close (db, report->cash_session_id, report->staff_id,
                                          counted, error))
    return FALSE;
  crash_point ();
  return TRUE;
}

JorenZReport *
joren_zreport_close (JorenDb  *db,
                     gint64    staff_id,
                     gint64    counted,
                     GError  **error)
{
  g_autoptr(JorenZReport) report = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  if (counted < 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("The counted cash cannot be below zero."));
      return NULL;
    }
  if (!joren_db_begin (db, error))
    return NULL;
  report = compute (db, staff_id, error);
  if (report != NULL
      && close_in_transaction (db, report, counted, error)
      && joren_db_commit (db, error))
    return g_steal_pointer (&report);
  joren_db_rollback (db);
  return NULL;
}

/* --- stored reports ------------------------------------------------- */

#define Z_SELECT "SELECT id, " Z_COLUMNS " FROM z_reports "

static void
report_from_row (sqlite3_stmt *stmt,
                 JorenZReport *r)
{
  gint64 *figures[] = {
    &r->n_sales, &r->sales_total, &r->n_refunds, &r->refunds_total, &r->n_discounts,
    &r->discounts, &r->n_voids, &r->voids_total, &r->net, &r->tax, &r->gross,
    &r->opening_float, &r->cash_expected, &r->cash_counted,
  };

  r->id = sqlite3_column_int64 (stmt, 0);
  r->register_prefix = joren_db_column_dup_text (stmt, 1);
  r->z_no = sqlite3_column_int64 (stmt, 2);
  r->cash_session_id = sqlite3_column_int64 (stmt, 3);
  r->staff_id = sqlite3_column_int64 (stmt, 4);
  r->staff_name = joren_db_column_dup_text (stmt, 5);
  r->opened_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 6));
  r->created_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 7));
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    *figures[i] = sqlite3_column_int64 (stmt, 8 + (int) i);
  r->cash_difference = r->cash_counted - r->cash_expected;
}

static gboolean
load_rows (JorenDb       *db,
           JorenZReport  *report,
           GError       **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT section = 'tax', key, count, net, tax, gross"
                               " FROM z_report_rows WHERE z_id = ? ORDER BY section, position",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenReportRow *row = add_row (report, sqlite3_column_int (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1));

      row->count = sqlite3_column_int64 (stmt, 2);
      row->net = sqlite3_column_int64 (stmt, 3);
      row->tax = sqlite3_column_int64 (stmt, 4);
      row->gross = sqlite3_column_int64 (stmt, 5);
    }
  return finish_step (db, rc, error);
}

static JorenZReport *
load_one (JorenDb    *db,
          JorenStmt  *stmt,
          GError    **error)
{
  g_autoptr(JorenZReport) report = NULL;
  gboolean has_row;

  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the Z report."), error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("There is no such Z report."));
      return NULL;
    }
  report = zreport_new ();
  report_from_row (stmt, report);
  return load_rows (db, report, error) ? g_steal_pointer (&report) : NULL;
}

JorenZReport *
joren_zreport_get (JorenDb  *db,
                   gint64    id,
                   GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, Z_SELECT "WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return load_one (db, stmt, error);
}

JorenZReport *
joren_zreport_get_by_number (JorenDb     *db,
                             const char  *register_prefix,
                             gint64       z_no,
                             GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (register_prefix != NULL, NULL);

  stmt = joren_db_prepare (db, Z_SELECT "WHERE register = ? AND z_no = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, register_prefix, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, z_no);
  return load_one (db, stmt, error);
}

GPtrArray *
joren_zreport_list (JorenDb  *db,
                    guint     limit,
                    GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, Z_SELECT "ORDER BY id DESC LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_zreport_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenZReport *report = g_new0 (JorenZReport, 1);

      report_from_row (stmt, report);
      g_ptr_array_add (list, report);
    }
  if (!finish_step (db, rc, error))
    return NULL;
  return g_steal_pointer (&list);
}

/* --- voids ---------------------------------------------------------- */

gboolean
joren_void_log_add (JorenDb     *db,
                    gint64       staff_id,
                    const char  *name,
                    gint64       qty,
                    gint64       amount,
                    GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stmt = joren_db_prepare (db, "INSERT INTO void_log (cash_session_id, staff_id, name, qty,"
                               " amount, created_at) VALUES ((SELECT id FROM cash_sessions"
                               " WHERE closed_at IS NULL), ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  joren_db_bind_id_or_null (stmt, 1, staff_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, qty);
  sqlite3_bind_int64 (stmt, 4, amount);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  return joren_db_step_done (db, stmt, _("Could not log the voided line."), error);
}
