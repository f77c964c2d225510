/* joren-report.c: sales reports over a period of business days. Every
 * grouping reads the per-day summary tables of schema 009 (report_days
 * for receipts, report_product_days for goods), which each sale's commit
 * keeps in step (joren-sale-db.c): a year is ~10^4 summary rows however
 * many sale lines it had, which is what keeps the year report well under
 * half a second over a million lines. Also the CSV writer every
 * back-office export shares. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-db-private.h"
#include "joren-points.h"
#include "joren-report.h"

/* --- periods -------------------------------------------------------- */

static void
format_day (char *out, int year, int month, int day)
{
  g_snprintf (out, 11, "%04d-%02d-%02d", year, month, day);
}

void
joren_report_query_day (JorenReportQuery *query,
                        GDateTime        *day)
{
  g_return_if_fail (query != NULL && day != NULL);

  joren_report_query_range (query, day, day);
}

void
joren_report_query_month (JorenReportQuery *query,
                          int               year,
                          int               month)
{
  g_return_if_fail (query != NULL);
  g_return_if_fail (month >= 1 && month <= 12);

  format_day (query->first_day, year, month, 1);
  format_day (query->last_day, year, month, g_date_get_days_in_month (month, year));
  query->store = NULL;
}

void
joren_report_query_year (JorenReportQuery *query,
                         int               year)
{
  g_return_if_fail (query != NULL);

  format_day (query->first_day, year, 1, 1);
  format_day (query->last_day, year, 12, 31);
  query->store = NULL;
}

void
joren_report_query_range (JorenReportQuery *query,
                          GDateTime        *first,
                          GDateTime        *last)
{
  g_autoptr(GDateTime) first_local = NULL;
  g_autoptr(GDateTime) last_local = NULL;

  g_return_if_fail (query != NULL && first != NULL && last != NULL);

  first_local = g_date_time_to_local (first);
  last_local = g_date_time_to_local (last);
  format_day (query->first_day, g_date_time_get_year (first_local),
              g_date_time_get_month (first_local), g_date_time_get_day_of_month (first_local));
  format_day (query->last_day, g_date_time_get_year (last_local),
              g_date_time_get_month (last_local), g_date_time_get_day_of_month (last_local));
  query->store = NULL;
}

/* --- rows ----------------------------------------------------------- */

JorenReportRow *
joren_report_row_new (const char *key,
                      const char *label)
{
  JorenReportRow *row = g_new0 (JorenReportRow, 1);

  row->key = g_strdup (key);
  row->label = g_strdup (label != NULL ? label : key);
  return row;
}

void
joren_report_row_free (JorenReportRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row->label);
  g_free (row);
}

void
joren_report_free (JorenReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->rows, g_ptr_array_unref);
  g_clear_pointer (&report->total, joren_report_row_free);
  g_free (report);
}

/* --- running a report ----------------------------------------------- */

/* Each grouping selects key, label (NULL: fallback), count, net, tax,
 * gross with ?1 first day, ?2 last day, ?3 store or NULL. */
#define DAYS_WHERE " WHERE business_day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR store = ?3)"
#define DAYS_FIGURES " sum (CASE kind WHEN 'sale' THEN n ELSE 0 END) AS c," \
                     " sum (gross - tax) AS net, sum (tax) AS tax, sum (gross) AS gross"
#define PRODUCT_FIGURES " sum (qty) AS qty, sum (net) AS net, sum (tax) AS tax," \
                        " sum (gross) AS gross"

static const struct {
  const char *sql;
  const char *fallback;   /* label of a NULL name, translated */
} groupings[] = {
  [JOREN_REPORT_BY_DAY] = {
    "SELECT business_day, NULL," DAYS_FIGURES " FROM report_days" DAYS_WHERE
    " GROUP BY 1 ORDER BY 1", NULL },
  [JOREN_REPORT_BY_MONTH] = {
    "SELECT substr (business_day, 1, 7) AS m, NULL," DAYS_FIGURES " FROM report_days"
    DAYS_WHERE " GROUP BY m ORDER BY m", NULL },
  [JOREN_REPORT_BY_HOUR] = {
    "SELECT printf ('%02d', hour) AS h, NULL," DAYS_FIGURES " FROM report_days"
    DAYS_WHERE " GROUP BY h ORDER BY h", NULL },
  [JOREN_REPORT_BY_STAFF] = {
    "SELECT r.staff_id, s.name, r.c, r.net, r.tax, r.gross FROM"
    " (SELECT staff_id," DAYS_FIGURES " FROM report_days" DAYS_WHERE
    "  GROUP BY staff_id) AS r"
    " LEFT JOIN staff s ON s.id = r.staff_id ORDER BY r.gross DESC, r.staff_id",
    N_("Unknown staff") },
  [JOREN_REPORT_BY_STORE] = {
    "SELECT store, store," DAYS_FIGURES " FROM report_days" DAYS_WHERE
    " GROUP BY store ORDER BY gross DESC, store", NULL },
  [JOREN_REPORT_BY_PRODUCT] = {
    "SELECT r.pid, p.name, r.qty, r.net, r.tax, r.gross FROM"
    " (SELECT product_id AS pid," PRODUCT_FIGURES " FROM report_product_days" DAYS_WHERE
    "  GROUP BY product_id) AS r"
    " LEFT JOIN products p ON p.id = r.pid ORDER BY r.gross DESC, r.pid",
    N_("Open items") },
  [JOREN_REPORT_BY_CATEGORY] = {
    "SELECT coalesce (p.category_id, 0) AS cid, c.name, sum (r.qty), sum (r.net),"
    " sum (r.tax), sum (r.gross) AS g FROM"
    " (SELECT product_id AS pid," PRODUCT_FIGURES " FROM report_product_days" DAYS_WHERE
    "  GROUP BY product_id) AS r"
    " LEFT JOIN products p ON p.id = r.pid LEFT JOIN categories c ON c.id = p.category_id"
    " GROUP BY cid ORDER BY g DESC, cid",
    N_("No category") },
};

static void
bind_query (sqlite3_stmt           *stmt,
            const JorenReportQuery *query)
{
  sqlite3_bind_text (stmt, 1, query->first_day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, query->last_day, -1, SQLITE_TRANSIENT);
  if (query->store != NULL && query->store[0] != '\0')
    sqlite3_bind_text (stmt, 3, query->store, -1, SQLITE_TRANSIENT);
}

static JorenReportRow *
row_from_stmt (sqlite3_stmt *stmt,
               const char   *fallback)
{
  const char *label = (const char *) sqlite3_column_text (stmt, 1);
  JorenReportRow *row;

  if (label == NULL && fallback != NULL)
    label = _(fallback);
  row = joren_report_row_new ((const char *) sqlite3_column_text (stmt, 0), label);
  row->count = sqlite3_column_int64 (stmt, 2);
  row->net = sqlite3_column_int64 (stmt, 3);
  row->tax = sqlite3_column_int64 (stmt, 4);
  row->gross = sqlite3_column_int64 (stmt, 5);
  return row;
}

static void
add_to_total (JorenReportRow       *total,
              const JorenReportRow *row)
{
  total->count += row->count;
  total->net += row->net;
  total->tax += row->tax;
  total->gross += row->gross;
}

JorenReport *
joren_report_run (JorenDb                *db,
                  const JorenReportQuery *query,
                  JorenReportGrouping     grouping,
                  GError                **error)
{
  g_autoptr(JorenReport) report = g_new0 (JorenReport, 1);
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail ((guint) grouping < G_N_ELEMENTS (groupings), NULL);

  report->grouping = grouping;
  report->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_report_row_free);
  report->total = joren_report_row_new ("total", _("Total"));
  stmt = joren_db_prepare (db, groupings[grouping].sql, error);
  if (stmt == NULL)
    return NULL;
  bind_query (stmt, query);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenReportRow *row = row_from_stmt (stmt, groupings[grouping].fallback);

      add_to_total (report->total, row);
      g_ptr_array_add (report->rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not compute the report."), error);
      return NULL;
    }
  return g_steal_pointer (&report);
}

/* --- summary -------------------------------------------------------- */

static void
add_summary_row (JorenReportSummary *out,
                 gboolean            refund,
                 gboolean            member,
                 gint64              n,
                 gint64              gross,
                 gint64              tax,
                 gint64              discounts)
{
  out->tax += tax;
  out->gross += gross;
  if (refund)
    {
      out->n_refunds += n;
      out->refunds_gross -= gross;
      return;
    }
  out->n_sales += n;
  out->sales_gross += gross;
  out->discounts += discounts;
  if (member)
    {
      out->n_member_sales += n;
      out->member_gross += gross;
    }
  else
    {
      out->n_anonymous_sales += n;
      out->anonymous_gross += gross;
    }
}

static void
finish_summary (JorenReportSummary *out)
{
  out->net = out->gross - out->tax;
  if (out->n_sales > 0)
    out->average_basket = (2 * out->sales_gross + out->n_sales) / (2 * out->n_sales);
  if (out->sales_gross > 0)
    out->member_share_bp = (guint) ((out->member_gross * 10000 + out->sales_gross / 2)
                                    / out->sales_gross);
}

gboolean
joren_report_summary (JorenDb                *db,
                      const JorenReportQuery *query,
                      JorenReportSummary     *out,
                      GError                **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (query != NULL && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  stmt = joren_db_prepare (db, "SELECT kind = 'refund', member, sum (n), sum (gross),"
                               " sum (tax), sum (discounts) FROM report_days" DAYS_WHERE
                               " GROUP BY kind, member", error);
  if (stmt == NULL)
    return FALSE;
  bind_query (stmt, query);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_summary_row (out, sqlite3_column_int (stmt, 0), sqlite3_column_int (stmt, 1),
                     sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3),
                     sqlite3_column_int64 (stmt, 4), sqlite3_column_int64 (stmt, 5));
  if (rc != SQLITE_DONE)
    return joren_db_set_error (db, rc, _("Could not compute the report."), error);
  finish_summary (out);
  return TRUE;
}

/* --- liabilities ---------------------------------------------------- */

static gboolean
query_int (JorenDb     *db,
           const char  *sql,
           gint64      *out,
           GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);
  gboolean has_row;

  if (stmt == NULL
      || !joren_db_step_row (db, stmt, &has_row, _("Could not compute the report."), error))
    return FALSE;
  *out = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

gboolean
joren_report_points_liability (JorenDb  *db,
                               gint64   *out_points,
                               gint64   *out_value,
                               GError  **error)
{
  JorenPointsSettings settings;
  gint64 points;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (!query_int (db, "SELECT coalesce (sum (max (b, 0)), 0) FROM"
                      " (SELECT sum (points) AS b FROM points_ledger GROUP BY customer_id)",
                  &points, error))
    return FALSE;
  joren_points_get_settings (db, &settings);
  if (out_points != NULL)
    *out_points = points;
  if (out_value != NULL)
    *out_value = points * settings.redeem_value / settings.redeem_points;
  return TRUE;
}

gboolean
joren_report_voucher_liability (JorenDb  *db,
                                gint64   *out_value,
                                GError  **error)
{
  gint64 present = 0;
  gint64 value = 0;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  /* Gift vouchers and prepaid cards are owed; a customer account (pay
   * later) is owed to the shop, so it is no liability. The table comes
   * with schema 007; a file without it owes nothing. */
  if (!query_int (db, "SELECT count (*) FROM sqlite_schema WHERE type = 'table'"
                      " AND name = 'value_ledger'", &present, error))
    return FALSE;
  if (present > 0
      && !query_int (db, "SELECT coalesce (sum (max (b, 0)), 0) FROM"
                         " (SELECT sum (l.amount) AS b FROM value_ledger l"
                         "  JOIN value_accounts a ON a.id = l.account_id"
                         "  WHERE a.kind IN ('gift', 'prepaid') GROUP BY l.account_id)",
                     &value, error))
    return FALSE;
  if (out_value != NULL)
    *out_value = value;
  return TRUE;
}

/* --- in a worker thread --------------------------------------------- */

typedef struct {
  char                *path;
  JorenReportQuery     query;
  char                *store;
  JorenReportGrouping  grouping;
} RunData;

static void
run_data_free (RunData *data)
{
  g_free (data->path);
  g_free (data->store);
  g_free (data);
}

void
joren_report_result_free (JorenReportResult *result)
{
  if (result == NULL)
    return;
  joren_report_free (result->report);
  g_free (result);
}

static void
run_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(JorenReportResult) result = g_new0 (JorenReportResult, 1);
  g_autoptr(JorenDb) db = NULL;
  GError *error = NULL;

  /* A connection of its own: statements are cached per connection, and
   * WAL lets this one read while the till writes. */
  db = joren_db_open (data->path, &error);
  if (db != NULL)
    result->report = joren_report_run (db, &data->query, data->grouping, &error);
  if (result->report != NULL)
    joren_report_summary (db, &data->query, &result->summary, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_steal_pointer (&result),
                           (GDestroyNotify) joren_report_result_free);
}

void
joren_report_run_async (JorenDb                *db,
                        const JorenReportQuery *query,
                        JorenReportGrouping     grouping,
                        GCancellable           *cancellable,
                        GAsyncReadyCallback     callback,
                        gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (query != NULL);

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, joren_report_run_async);
  data = g_new0 (RunData, 1);
  data->path = g_strdup (joren_db_get_path (db));
  data->query = *query;
  data->store = g_strdup (query->store);
  data->query.store = data->store;
  data->grouping = grouping;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_in_thread);
}

JorenReportResult *
joren_report_run_finish (JorenDb       *db,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- CSV ------------------------------------------------------------ */

struct _JorenCsv {
  GString  *text;
  gboolean  row_open;
};

JorenCsv *
joren_csv_new (void)
{
  JorenCsv *csv = g_new0 (JorenCsv, 1);

  /* The byte order mark makes Excel read the file as UTF-8. */
  csv->text = g_string_new ("\xEF\xBB\xBF");
  return csv;
}

void
joren_csv_free (JorenCsv *csv)
{
  if (csv == NULL)
    return;
  g_string_free (csv->text, TRUE);
  g_free (csv);
}

static void
start_field (JorenCsv *csv)
{
  if (csv->row_open)
    g_string_append_c (csv->text, ',');
  csv->row_open = TRUE;
}

void
joren_csv_add_text (JorenCsv   *csv,
                    const char *text)
{
  g_return_if_fail (csv != NULL);

  start_field (csv);
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (csv->text, text);
      return;
    }
  /* RFC 4180: quote the field, double the quotes inside. */
  g_string_append_c (csv->text, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv->text, '"');
      g_string_append_c (csv->text, *p);
    }
  g_string_append_c (csv->text, '"');
}

void
joren_csv_add_int (JorenCsv *csv,
                   gint64    value)
{
  g_return_if_fail (csv != NULL);

  start_field (csv);
  g_string_append_printf (csv->text, "%" G_GINT64_FORMAT, value);
}

void
joren_csv_add_money (JorenCsv *csv,
                     gint64    minor,
                     guint     decimals)
{
  guint64 magnitude = minor < 0 ? -(guint64) minor : (guint64) minor;
  guint64 scale = 1;

  g_return_if_fail (csv != NULL);
  g_return_if_fail (decimals <= 6);

  start_field (csv);
  for (guint i = 0; i < decimals; i++)
    scale *= 10;
  /* Integer formatting: a '.' whatever the locale, and no rounding. */
  g_string_append_printf (csv->text, "%s%" G_GUINT64_FORMAT, minor < 0 ? "-" : "",
                          magnitude / scale);
  if (decimals > 0)
    g_string_append_printf (csv->text, ".%0*" G_GUINT64_FORMAT, (int) decimals,
                            magnitude % scale);
}

void
joren_csv_end_row (JorenCsv *csv)
{
  g_return_if_fail (csv != NULL);

  g_string_append (csv->text, "\r\n");
  csv->row_open = FALSE;
}

GBytes *
joren_csv_free_to_bytes (JorenCsv *csv)
{
  GString *text;

  g_return_val_if_fail (csv != NULL, NULL);

  text = csv->text;
  g_free (csv);
  return g_string_free_to_bytes (text);
}

static const char *
key_heading (JorenReportGrouping grouping)
{
  switch (grouping)
    {
    case JOREN_REPORT_BY_DAY: return _("Day");
    case JOREN_REPORT_BY_MONTH: return _("Month");
    case JOREN_REPORT_BY_HOUR: return _("Hour");
    case JOREN_REPORT_BY_PRODUCT: return _("Product");
    case JOREN_REPORT_BY_CATEGORY: return _("Category");
    case JOREN_REPORT_BY_STAFF: return _("Staff");
    case JOREN_REPORT_BY_STORE: return _("Store");
    default: g_assert_not_reached ();
    }
}

static void
add_report_row (JorenCsv             *csv,
                const JorenReportRow *row,
                guint                 decimals)
{
  joren_csv_add_text (csv, row->key);
  joren_csv_add_text (csv, row->label);
  joren_csv_add_int (csv, row->count);
  joren_csv_add_money (csv, row->net, decimals);
  joren_csv_add_money (csv, row->tax, decimals);
  joren_csv_add_money (csv, row->gross, decimals);
  joren_csv_end_row (csv);
}

GBytes *
joren_report_to_csv (const JorenReport *report,
                     guint              decimals)
{
  JorenCsv *csv;
  gboolean units;

  g_return_val_if_fail (report != NULL, NULL);

  csv = joren_csv_new ();
  units = report->grouping == JOREN_REPORT_BY_PRODUCT
          || report->grouping == JOREN_REPORT_BY_CATEGORY;
  joren_csv_add_text (csv, key_heading (report->grouping));
  joren_csv_add_text (csv, _("Name"));
  joren_csv_add_text (csv, units ? _("Units") : _("Sales"));
  joren_csv_add_text (csv, _("Net"));
  joren_csv_add_text (csv, _("Tax"));
  joren_csv_add_text (csv, _("Gross"));
  joren_csv_end_row (csv);
  for (guint i = 0; i < report->rows->len; i++)
    add_report_row (csv, g_ptr_array_index (report->rows, i), decimals);
  add_report_row (csv, report->total, decimals);
  return joren_csv_free_to_bytes (csv);
}

static void
add_figure (JorenCsv   *csv,
            const char *label,
            gint64      value,
            int         decimals)
{
  joren_csv_add_text (csv, label);
  if (decimals < 0)
    joren_csv_add_int (csv, value);
  else
    joren_csv_add_money (csv, value, (guint) decimals);
  joren_csv_end_row (csv);
}

GBytes *
joren_report_summary_to_csv (const JorenReportSummary *s,
                             guint                     decimals)
{
  JorenCsv *csv;
  int d = (int) decimals;

  g_return_val_if_fail (s != NULL, NULL);

  csv = joren_csv_new ();
  joren_csv_add_text (csv, _("Figure"));
  joren_csv_add_text (csv, _("Value"));
  joren_csv_end_row (csv);
  add_figure (csv, _("Sales"), s->n_sales, -1);
  add_figure (csv, _("Sales gross"), s->sales_gross, d);
  add_figure (csv, _("Refunds"), s->n_refunds, -1);
  add_figure (csv, _("Refunds gross"), s->refunds_gross, d);
  add_figure (csv, _("Net"), s->net, d);
  add_figure (csv, _("Tax"), s->tax, d);
  add_figure (csv, _("Gross"), s->gross, d);
  add_figure (csv, _("Discounts"), s->discounts, d);
  add_figure (csv, _("Member sales"), s->n_member_sales, -1);
  add_figure (csv, _("Member gross"), s->member_gross, d);
  add_figure (csv, _("Anonymous sales"), s->n_anonymous_sales, -1);
  add_figure (csv, _("Anonymous gross"), s->anonymous_gross, d);
  add_figure (csv, _("Average basket"), s->average_basket, d);
  /* The share in percent with two decimals: basis points as money. */
  add_figure (csv, _("Member share (%)"), s->member_share_bp, 2);
  return joren_csv_free_to_bytes (csv);
}

gboolean
joren_csv_save (GBytes      *csv,
                const char  *path,
                GError     **error)
{
  g_return_val_if_fail (csv != NULL && path != NULL, FALSE);

  return g_file_set_contents (path, g_bytes_get_data (csv, NULL),
                              (gssize) g_bytes_get_size (csv), error);
}
