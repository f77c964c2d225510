/* joren-sale-db.c: sales, refunds and parked sales in SQLite. A commit is
 * one BEGIN IMMEDIATE transaction that takes the next gapless receipt
 * number and writes the header, lines, tax per rate, tenders and the
 * sale's share of the report summaries: after a crash or power cut
 * (synchronous=FULL) the sale is wholly there or not at all, and the
 * numbering has no hole. The sale's uuid is UNIQUE, so a
 * second commit of the same sale fails instead of counting it twice.
 * Loading rebuilds a JorenSale through the domain's own arithmetic. */
#include "config.h"

#include <string.h>
#include <time.h>

#include <glib/gi18n.h>

#include "joren-db-private.h"
#include "joren-outbox.h"
#include "joren-sale-db.h"

static const char * const discount_names[] = { "none", "percent", "amount" };
static const char * const tender_names[] = {
  "cash", "card", "other", "points", "voucher", "account",
};
static const char * const line_kind_names[] = { "goods", "value", "account", "visit" };

static guint
index_of_name (const char * const *names,
               guint               n_names,
               const char         *text)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      return i;
  return 0;
}

#define DISCOUNT_FROM(text) \
  ((JorenDiscountKind) index_of_name (discount_names, G_N_ELEMENTS (discount_names), (text)))
#define TENDER_FROM(text) \
  ((JorenTenderKind) index_of_name (tender_names, G_N_ELEMENTS (tender_names), (text)))
#define LINE_KIND_FROM(text) \
  ((JorenLineKind) index_of_name (line_kind_names, G_N_ELEMENTS (line_kind_names), (text)))

/* --- lines, shared by sales and parked sales ------------------------ */

/* ?1 parent, ?2 position, ?3..?16 the line as entered. */
#define LINE_INSERT_COLUMNS \
  "position, product_id, name, barcode, qty, unit_price, fixed, fixed_amount," \
  " weight_g, tax_class_id, rate_bp, discount_kind, discount_value, line_kind, reference"
#define LINE_INSERT_PARAMS \
  "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16"

static void
bind_line (sqlite3_stmt        *stmt,
           gint64               parent_id,
           guint                position,
           const JorenSaleLine *line)
{
  g_assert ((guint) line->discount.kind < G_N_ELEMENTS (discount_names));
  g_assert ((guint) line->kind < G_N_ELEMENTS (line_kind_names));

  sqlite3_bind_int64 (stmt, 1, parent_id);
  sqlite3_bind_int (stmt, 2, (int) position);
  joren_db_bind_id_or_null (stmt, 3, line->product_id);
  sqlite3_bind_text (stmt, 4, line->name, -1, SQLITE_STATIC);
  joren_db_bind_text_or_null (stmt, 5, line->barcode);
  sqlite3_bind_int64 (stmt, 6, line->qty);
  sqlite3_bind_int64 (stmt, 7, line->unit_price);
  sqlite3_bind_int (stmt, 8, line->fixed);
  sqlite3_bind_int64 (stmt, 9, line->fixed_amount);
  sqlite3_bind_int64 (stmt, 10, line->weight_g);
  joren_db_bind_id_or_null (stmt, 11, line->tax_class_id);
  sqlite3_bind_int (stmt, 12, (int) line->rate_bp);
  sqlite3_bind_text (stmt, 13, discount_names[line->discount.kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 14, line->discount.value);
  sqlite3_bind_text (stmt, 15, line_kind_names[line->kind], -1, SQLITE_STATIC);
  joren_db_bind_text_or_null (stmt, 16, line->reference);
}

/* Column order of LINE_SELECT_COLUMNS, then id and original_line_id. */
#define LINE_SELECT_COLUMNS \
  "product_id, name, barcode, qty, unit_price, fixed, fixed_amount, weight_g," \
  " tax_class_id, rate_bp, discount_kind, discount_value, line_kind, reference"

/* Borrows the row's strings: valid until the next step. */
static void
line_from_row (sqlite3_stmt  *stmt,
               JorenSaleLine *line)
{
  memset (line, 0, sizeof *line);
  line->product_id = sqlite3_column_int64 (stmt, 0);
  line->name = (char *) sqlite3_column_text (stmt, 1);
  line->barcode = (char *) sqlite3_column_text (stmt, 2);
  line->qty = sqlite3_column_int64 (stmt, 3);
  line->unit_price = sqlite3_column_int64 (stmt, 4);
  line->fixed = sqlite3_column_int (stmt, 5) != 0;
  line->fixed_amount = sqlite3_column_int64 (stmt, 6);
  line->weight_g = (guint) sqlite3_column_int (stmt, 7);
  line->tax_class_id = sqlite3_column_int64 (stmt, 8);
  line->rate_bp = (guint) sqlite3_column_int (stmt, 9);
  line->discount.kind = DISCOUNT_FROM ((const char *) sqlite3_column_text (stmt, 10));
  line->discount.value = sqlite3_column_int64 (stmt, 11);
  line->kind = LINE_KIND_FROM ((const char *) sqlite3_column_text (stmt, 12));
  line->reference = (char *) sqlite3_column_text (stmt, 13);
  line->id = sqlite3_column_int64 (stmt, 14);
  line->original_line_id = sqlite3_column_int64 (stmt, 15);
}

/* Appends the lines a bound statement selects to sale. */
static gboolean
append_lines (JorenDb    *db,
              JorenStmt  *stmt,
              JorenSale  *sale,
              GError    **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenSaleLine line;

      line_from_row (stmt, &line);
      joren_sale_append_line (sale, &line);
    }
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not read the sale."), error);
}

/* --- committing ----------------------------------------------------- */

static char *
next_receipt_no (JorenDb     *db,
                 const char  *prefix,
                 GError     **error)
{
  g_autoptr(JorenStmt) read = NULL;
  g_autoptr(JorenStmt) write = NULL;
  gboolean has_row = FALSE;
  gint64 number;

  /* Bumped inside the sale's transaction: a rollback returns the number.
   * Read, then written: RETURNING would cost a temporary table. */
  read = joren_db_prepare (db, "SELECT next FROM receipt_sequences WHERE prefix = ?", error);
  if (read == NULL)
    return NULL;
  sqlite3_bind_text (read, 1, prefix, -1, SQLITE_STATIC);
  if (!joren_db_step_row (db, read, &has_row, _("Could not number the receipt."), error))
    return NULL;
  number = has_row ? sqlite3_column_int64 (read, 0) : 1;
  write = joren_db_prepare (db, has_row ? "UPDATE receipt_sequences SET next = ?2 WHERE prefix = ?1"
                                       : "INSERT INTO receipt_sequences (prefix, next) VALUES (?1, ?2)",
                           error);
  if (write == NULL)
    return NULL;
  sqlite3_bind_text (write, 1, prefix, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (write, 2, number + 1);
  if (!joren_db_step_done (db, write, _("Could not number the receipt."), error))
    return NULL;
  return g_strdup_printf ("%s-%06" G_GINT64_FORMAT, prefix, number);
}

typedef struct {
  gint64      id;
  char       *receipt_no;
  GDateTime  *created_at;
  gint64      cash_session_id;
  char        business_day[11];   /* local "YYYY-MM-DD" of created_at */
  int         hour;               /* and its local hour */
} Commit;

/* The local calendar day and hour of the commit, as the reports count
 * them (SQLite's 'localtime' reads the same localtime_r); glib's
 * g_date_time_to_local re-reads the zone on each call, three system
 * calls and some 6 us of a commit. */
static void
set_local_time (Commit *commit)
{
  time_t seconds = (time_t) g_date_time_to_unix (commit->created_at);
  struct tm local;

  localtime_r (&seconds, &local);
  strftime (commit->business_day, sizeof commit->business_day, "%Y-%m-%d", &local);
  commit->hour = local.tm_hour;
}

static gint64
original_sale_id (JorenSale *sale)
{
  JorenSale *original = joren_sale_get_original (sale);

  return original != NULL ? joren_sale_get_id (original) : 0;
}

static const char *
kind_name (JorenSale *sale)
{
  return joren_sale_get_kind (sale) == JOREN_SALE_KIND_REFUND ? "refund" : "sale";
}

static void
bind_header (sqlite3_stmt *stmt,
             JorenSale    *sale,
             Commit       *commit)
{
  const JorenShop *shop = joren_sale_get_shop (sale);
  const JorenDiscount *discount = joren_sale_get_discount (sale);

  sqlite3_bind_text (stmt, 1, joren_sale_get_uuid (sale), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, commit->receipt_no, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, kind_name (sale), -1, SQLITE_STATIC);
  joren_db_bind_id_or_null (stmt, 4, original_sale_id (sale));
  joren_db_bind_id_or_null (stmt, 5, joren_sale_get_staff_id (sale));
  sqlite3_bind_text (stmt, 6, joren_sale_get_staff_name (sale), -1, SQLITE_STATIC);
  joren_db_bind_id_or_null (stmt, 7, commit->cash_session_id);
  sqlite3_bind_int64 (stmt, 8, joren_db_time_to_usec (commit->created_at));
  sqlite3_bind_text (stmt, 9, commit->business_day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, shop->currency->code, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 11, shop->prices_include_tax);
  sqlite3_bind_int64 (stmt, 12, joren_sale_get_subtotal (sale));
  sqlite3_bind_int64 (stmt, 13, joren_sale_get_discount_total (sale));
  sqlite3_bind_int64 (stmt, 14, joren_sale_get_tax_total (sale));
  sqlite3_bind_int64 (stmt, 15, joren_sale_get_total (sale));
  sqlite3_bind_int64 (stmt, 16, joren_sale_get_paid (sale));
  sqlite3_bind_int64 (stmt, 17, joren_sale_get_change (sale));
  sqlite3_bind_text (stmt, 18, discount_names[discount->kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 19, discount->value);
  joren_db_bind_id_or_null (stmt, 20, joren_sale_get_customer_id (sale));
}

static gboolean
insert_header (JorenDb    *db,
               JorenSale  *sale,
               Commit     *commit,
               GError    **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db,
                           "INSERT INTO sales (uuid, receipt_no, kind, original_sale_id,"
                           " staff_id, staff_name, cash_session_id, created_at, business_day,"
                           " currency, prices_include_tax, subtotal, discount_total,"
                           " tax_total, total, paid, change, discount_kind, discount_value, customer_id)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                           " ?14, ?15, ?16, ?17, ?18, ?19, ?20)", error);
  if (stmt == NULL)
    return FALSE;
  bind_header (stmt, sale, commit);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
                   _("This sale is already stored. It was not saved a second time."));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return joren_db_set_error (db, rc, _("Could not save the sale."), error);
  commit->id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  return TRUE;
}

static gboolean
insert_lines (JorenDb    *db,
              JorenSale  *sale,
              Commit     *commit,
              gint64     *line_ids,
              GError    **error)
{
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      g_autoptr(JorenStmt) stmt = NULL;
      const JorenSaleLine *line = joren_sale_get_line (sale, i);

      stmt = joren_db_prepare (db, "INSERT INTO sale_lines (sale_id, " LINE_INSERT_COLUMNS ","
                                   " base, line_discount, receipt_discount, amount,"
                                   " original_line_id) VALUES (?1, " LINE_INSERT_PARAMS ","
                                   " ?17, ?18, ?19, ?20, ?21)", error);
      if (stmt == NULL)
        return FALSE;
      bind_line (stmt, commit->id, i, line);
      sqlite3_bind_int64 (stmt, 17, line->base);
      sqlite3_bind_int64 (stmt, 18, line->line_discount);
      sqlite3_bind_int64 (stmt, 19, line->receipt_discount);
      sqlite3_bind_int64 (stmt, 20, line->amount);
      joren_db_bind_id_or_null (stmt, 21, line->original_line_id);
      if (!joren_db_step_done (db, stmt, _("Could not save the sale's items."), error))
        return FALSE;
      line_ids[i] = sqlite3_last_insert_rowid (joren_db_get_handle (db));
    }
  return TRUE;
}

static gboolean
insert_taxes (JorenDb    *db,
              JorenSale  *sale,
              Commit     *commit,
              GError    **error)
{
  for (guint i = 0; i < joren_sale_get_n_tax_lines (sale); i++)
    {
      g_autoptr(JorenStmt) stmt = NULL;
      const JorenTaxLine *tax = joren_sale_get_tax_line (sale, i);

      stmt = joren_db_prepare (db, "INSERT INTO sale_taxes (sale_id, rate_bp, net, tax, gross)"
                                   " VALUES (?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, commit->id);
      sqlite3_bind_int (stmt, 2, (int) tax->rate_bp);
      sqlite3_bind_int64 (stmt, 3, tax->net);
      sqlite3_bind_int64 (stmt, 4, tax->tax);
      sqlite3_bind_int64 (stmt, 5, tax->gross);
      if (!joren_db_step_done (db, stmt, _("Could not save the sale's taxes."), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_tenders (JorenDb    *db,
                JorenSale  *sale,
                Commit     *commit,
                GError    **error)
{
  for (guint i = 0; i < joren_sale_get_n_tenders (sale); i++)
    {
      g_autoptr(JorenStmt) stmt = NULL;
      const JorenTender *tender = joren_sale_get_tender (sale, i);

      g_assert ((guint) tender->kind < G_N_ELEMENTS (tender_names));
      stmt = joren_db_prepare (db, "INSERT INTO sale_tenders (sale_id, position, kind, amount,"
                                   " reference) VALUES (?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, commit->id);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_text (stmt, 3, tender_names[tender->kind], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, tender->amount);
      joren_db_bind_text_or_null (stmt, 5, tender->reference);
      if (!joren_db_step_done (db, stmt, _("Could not save the payment."), error))
        return FALSE;
    }
  return TRUE;
}

/* The reports read summaries (schema 009) that the commit brings up to
 * date, a statement each per sale, with 009's keys and arithmetic (schema
 * 010): the triggers that did it ran per line, and any trigger on a table
 * cost each row written to it a statement journal. Each summary's rows
 * come from the stored sales `where` picks (all of them, to add up
 * afresh) or, for the day and the visits, from what the commit holds. */
#define STORE_OF(receipt_no) "rtrim (rtrim (" receipt_no ", '0123456789'), '-')"
#define HOUR_OF(created_at) \
  "CAST (strftime ('%H', " created_at " / 1000000, 'unixepoch', 'localtime') AS INTEGER)"

/* Receipts by day, hour, store, staff, member or not, and kind. Value
 * issues, account payments and visits are not revenue: they stay out of
 * the goods gross. */
#define DAYS_COLUMNS \
  "INSERT INTO report_days (business_day, hour, store, staff_id, member, kind," \
  "                         n, gross, tax, discounts)"
#define DAYS_UPSERT \
  " ON CONFLICT DO UPDATE SET n = n + excluded.n, gross = gross + excluded.gross," \
  "   tax = tax + excluded.tax, discounts = discounts + excluded.discounts"
#define ADD_DAYS_SQL(where) \
  DAYS_COLUMNS \
  " SELECT business_day, " HOUR_OF ("created_at") ", " STORE_OF ("receipt_no") "," \
  "        coalesce (staff_id, 0), customer_id IS NOT NULL, kind, 1," \
  "        total - coalesce ((SELECT sum (amount) FROM sale_lines l" \
  "                           WHERE l.sale_id = sales.id AND l.line_kind <> 'goods'), 0)," \
  "        tax_total, discount_total" \
  "   FROM sales WHERE " where DAYS_UPSERT
#define ADD_DAY_OF_SALE_SQL \
  DAYS_COLUMNS " VALUES (?1, ?2, " STORE_OF ("?3") ", ?4, ?5, ?6, 1, ?7, ?8, ?9)" DAYS_UPSERT

/* Goods per product: a line's tax is its share at its rate, rounded half
 * away from zero. Two lines of one product add up through the upsert. */
#define ADD_PRODUCT_DAYS_SQL(where) \
  "INSERT INTO report_product_days (business_day, store, product_id, qty, net, tax, gross)" \
  " SELECT business_day, store, product_id, qty, gross - tax, tax, gross" \
  " FROM (SELECT s.business_day AS business_day, " STORE_OF ("s.receipt_no") " AS store," \
  "              coalesce (l.product_id, 0) AS product_id, l.qty AS qty," \
  "              CASE WHEN s.prices_include_tax THEN l.amount" \
  "                   ELSE l.amount + (2 * l.amount * l.rate_bp" \
  "                                    + (CASE WHEN l.amount < 0 THEN -1 ELSE 1 END) * 10000)" \
  "                                   / 20000 END AS gross," \
  "              CASE WHEN s.prices_include_tax" \
  "                   THEN (2 * l.amount * l.rate_bp" \
  "                         + (CASE WHEN l.amount < 0 THEN -1 ELSE 1 END) * (10000 + l.rate_bp))" \
  "                        / (2 * (10000 + l.rate_bp))" \
  "                   ELSE (2 * l.amount * l.rate_bp" \
  "                         + (CASE WHEN l.amount < 0 THEN -1 ELSE 1 END) * 10000) / 20000" \
  "              END AS tax" \
  "         FROM sales s JOIN sale_lines l ON l.sale_id = s.id" \
  "        WHERE " where " AND l.line_kind = 'goods') WHERE TRUE" \
  " ON CONFLICT DO UPDATE SET qty = qty + excluded.qty, net = net + excluded.net," \
  "   tax = tax + excluded.tax, gross = gross + excluded.gross"

/* A member's visits (sales, not refunds) and spend (sales minus refunds). */
#define VISITS_COLUMNS \
  "INSERT INTO customer_visits (customer_id, first_visit, last_visit, visits, spend)"
#define VISITS_UPSERT \
  " ON CONFLICT DO UPDATE SET" \
  "   first_visit = CASE WHEN excluded.first_visit IS NULL THEN first_visit" \
  "                      ELSE min (coalesce (first_visit, excluded.first_visit)," \
  "                                excluded.first_visit) END," \
  "   last_visit = CASE WHEN excluded.last_visit IS NULL THEN last_visit" \
  "                     ELSE max (coalesce (last_visit, excluded.last_visit)," \
  "                               excluded.last_visit) END," \
  "   visits = visits + excluded.visits, spend = spend + excluded.spend"
#define ADD_VISITS_SQL(where) \
  VISITS_COLUMNS \
  " SELECT customer_id, CASE kind WHEN 'sale' THEN created_at END," \
  "        CASE kind WHEN 'sale' THEN created_at END, kind = 'sale', total" \
  "   FROM sales WHERE " where " AND customer_id IS NOT NULL" VISITS_UPSERT
#define ADD_VISIT_OF_SALE_SQL \
  VISITS_COLUMNS " VALUES (?1, ?2, ?2, ?2 IS NOT NULL, ?3)" VISITS_UPSERT

static gint64
other_lines_total (JorenSale *sale)
{
  gint64 total = 0;

  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    if (joren_sale_get_line (sale, i)->kind != JOREN_LINE_GOODS)
      total += joren_sale_get_line (sale, i)->amount;
  return total;
}

static gboolean
add_day (JorenDb    *db,
         JorenSale  *sale,
         Commit     *commit,
         GError    **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, ADD_DAY_OF_SALE_SQL, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, commit->business_day, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, commit->hour);
  sqlite3_bind_text (stmt, 3, commit->receipt_no, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, joren_sale_get_staff_id (sale));
  sqlite3_bind_int (stmt, 5, joren_sale_get_customer_id (sale) > 0);
  sqlite3_bind_text (stmt, 6, kind_name (sale), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, joren_sale_get_total (sale) - other_lines_total (sale));
  sqlite3_bind_int64 (stmt, 8, joren_sale_get_tax_total (sale));
  sqlite3_bind_int64 (stmt, 9, joren_sale_get_discount_total (sale));
  return joren_db_step_done (db, stmt, _("Could not save the sale."), error);
}

static gboolean
add_visit (JorenDb    *db,
           JorenSale  *sale,
           Commit     *commit,
           GError    **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  if (joren_sale_get_customer_id (sale) <= 0)
    return TRUE;
  stmt = joren_db_prepare (db, ADD_VISIT_OF_SALE_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, joren_sale_get_customer_id (sale));
  if (joren_sale_get_kind (sale) == JOREN_SALE_KIND_SALE)
    sqlite3_bind_int64 (stmt, 2, joren_db_time_to_usec (commit->created_at));
  sqlite3_bind_int64 (stmt, 3, joren_sale_get_total (sale));
  return joren_db_step_done (db, stmt, _("Could not save the sale."), error);
}

static gboolean
add_products (JorenDb    *db,
              Commit     *commit,
              GError    **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, ADD_PRODUCT_DAYS_SQL ("s.id = ?1"), error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, commit->id);
  return joren_db_step_done (db, stmt, _("Could not save the sale."), error);
}

static gboolean
add_to_reports (JorenDb    *db,
                JorenSale  *sale,
                Commit     *commit,
                GError    **error)
{
  return add_day (db, sale, commit, error)
         && add_products (db, commit, error)
         && add_visit (db, sale, commit, error);
}

gboolean
joren_db_rebuild_reports (JorenDb  *db,
                          GError  **error)
{
  const char *doing = _("Could not add up the sales.");

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (!joren_db_begin (db, error))
    return FALSE;
  if (joren_db_exec (db, "DELETE FROM report_days", doing, error)
      && joren_db_exec (db, ADD_DAYS_SQL ("business_day IS NOT NULL"), doing, error)
      && joren_db_exec (db, "DELETE FROM report_product_days", doing, error)
      && joren_db_exec (db, ADD_PRODUCT_DAYS_SQL ("s.business_day IS NOT NULL"), doing, error)
      && joren_db_exec (db, "DELETE FROM customer_visits", doing, error)
      && joren_db_exec (db, ADD_VISITS_SQL ("TRUE"), doing, error)
      && joren_db_commit (db, error))
    return TRUE;
  joren_db_rollback (db);
  return FALSE;
}

/* Two refunds prepared from one receipt at the same time must not take
 * back more than was sold: checked again inside the transaction. */
static gboolean
check_refund_still_possible (JorenDb    *db,
                             JorenSale  *sale,
                             GError    **error)
{
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      g_autoptr(JorenStmt) stmt = NULL;
      const JorenSaleLine *line = joren_sale_get_line (sale, i);
      gboolean has_row;

      if (line->original_line_id == 0)
        continue;
      stmt = joren_db_prepare (db, "SELECT o.qty + coalesce (sum (r.qty), 0) + ?2"
                                   " FROM sale_lines o LEFT JOIN sale_lines r"
                                   " ON r.original_line_id = o.id WHERE o.id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, line->original_line_id);
      sqlite3_bind_int64 (stmt, 2, line->qty);
      if (!joren_db_step_row (db, stmt, &has_row, _("Could not check the refund."), error))
        return FALSE;
      if (has_row && sqlite3_column_int64 (stmt, 0) < 0)
        {
          g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                       _("“%s” was already refunded on another receipt. Start the refund again."),
                       line->name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
write_sale (JorenDb    *db,
            JorenSale  *sale,
            Commit     *commit,
            gint64     *line_ids,
            GError    **error)
{
  const JorenShop *shop = joren_sale_get_shop (sale);

  commit->receipt_no = next_receipt_no (db, shop->register_prefix, error);
  if (commit->receipt_no == NULL
      || !check_refund_still_possible (db, sale, error)
      || !insert_header (db, sale, commit, error))
    return FALSE;
  joren_db_crash_point ("after-header");
  if (!insert_lines (db, sale, commit, line_ids, error)
      || !add_to_reports (db, sale, commit, error))
    return FALSE;
  joren_db_crash_point ("after-lines");
  if (!insert_taxes (db, sale, commit, error)
      || !insert_tenders (db, sale, commit, error)
      || !joren_points_record_sale (db, sale, commit->id, commit->created_at, error)
      || !joren_punch_record_sale (db, sale, commit->id, commit->created_at, error)
      || !joren_value_record_sale (db, sale, commit->id, commit->created_at, error)
      || !joren_outbox_record_sale (db, sale, commit->receipt_no, commit->created_at, error))
    return FALSE;
  joren_db_crash_point ("after-tenders");
  return TRUE;
}

static gboolean
check_committable (JorenSale  *sale,
                   GError    **error)
{
  if (!joren_sale_is_settled (sale))
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_PAID,
                 _("The sale is not paid in full yet."));
  else if (joren_sale_get_staff_id (sale) == 0 || joren_sale_get_staff_name (sale) == NULL)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("Sign in before finishing the sale."));
  else if (joren_sale_get_kind (sale) == JOREN_SALE_KIND_REFUND && original_sale_id (sale) == 0)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("A refund needs the receipt it refunds."));
  else
    return TRUE;
  return FALSE;
}

gboolean
joren_db_commit_sale (JorenDb    *db,
                      JorenSale  *sale,
                      gint64      cash_session_id,
                      GError    **error)
{
  g_autofree gint64 *line_ids = NULL;
  g_autofree char *receipt_no = NULL;
  g_autoptr(GDateTime) created_at = g_date_time_new_now_utc ();
  Commit commit = { 0, NULL, created_at, cash_session_id, "", 0 };
  gboolean ok;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_committable (sale, error) || !joren_db_begin (db, error))
    return FALSE;
  set_local_time (&commit);
  line_ids = g_new0 (gint64, joren_sale_get_n_lines (sale) + 1);
  ok = write_sale (db, sale, &commit, line_ids, error);
  receipt_no = commit.receipt_no;
  if (!ok)
    {
      joren_db_rollback (db);
      return FALSE;
    }
  joren_db_crash_point ("before-commit");
  if (!joren_db_commit (db, error))
    return FALSE;
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    joren_sale_get_line_mutable (sale, i)->id = line_ids[i];
  joren_sale_set_stored (sale, commit.id, NULL, receipt_no, created_at);
  return TRUE;
}

/* --- loading -------------------------------------------------------- */

typedef struct {
  gint64         id;
  char          *uuid;
  char          *receipt_no;
  gboolean       refund;
  gint64         original_id;
  gint64         staff_id;
  char          *staff_name;
  gint64         created_at;
  char          *currency;
  gboolean       prices_include_tax;
  JorenDiscount  discount;
  gint64         total;
  gint64         customer_id;
} Header;

static void
header_clear (Header *header)
{
  g_clear_pointer (&header->uuid, g_free);
  g_clear_pointer (&header->receipt_no, g_free);
  g_clear_pointer (&header->staff_name, g_free);
  g_clear_pointer (&header->currency, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Header, header_clear)

static void
header_from_row (sqlite3_stmt *stmt,
                 Header       *header)
{
  header->id = sqlite3_column_int64 (stmt, 0);
  header->uuid = joren_db_column_dup_text (stmt, 1);
  header->receipt_no = joren_db_column_dup_text (stmt, 2);
  header->refund = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "refund") == 0;
  header->original_id = sqlite3_column_int64 (stmt, 4);
  header->staff_id = sqlite3_column_int64 (stmt, 5);
  header->staff_name = joren_db_column_dup_text (stmt, 6);
  header->created_at = sqlite3_column_int64 (stmt, 7);
  header->currency = joren_db_column_dup_text (stmt, 8);
  header->prices_include_tax = sqlite3_column_int (stmt, 9) != 0;
  header->discount.kind = DISCOUNT_FROM ((const char *) sqlite3_column_text (stmt, 10));
  header->discount.value = sqlite3_column_int64 (stmt, 11);
  header->total = sqlite3_column_int64 (stmt, 12);
  header->customer_id = sqlite3_column_int64 (stmt, 13);
}

static gboolean
load_header (JorenDb  *db,
             gint64    id,
             Header   *header,
             GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db, "SELECT id, uuid, receipt_no, kind, original_sale_id, staff_id,"
                               " staff_name, created_at, currency, prices_include_tax,"
                               " discount_kind, discount_value, total, customer_id"
                               " FROM sales WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the sale."), error))
    return FALSE;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("This receipt does not exist."));
      return FALSE;
    }
  header_from_row (stmt, header);
  return TRUE;
}

/* The shop as it was for this sale: today's settings, the sale's own
 * currency and tax mode. */
static JorenShop *
shop_for_header (JorenDb  *db,
                 Header   *header,
                 GError  **error)
{
  JorenShop *shop = joren_db_load_shop (db, error);
  const JorenCurrency *currency = joren_currency_lookup (header->currency);

  if (shop == NULL)
    return NULL;
  if (currency != NULL)
    shop->currency = currency;
  shop->prices_include_tax = header->prices_include_tax;
  return shop;
}

static JorenSale *
new_sale_for_header (JorenDb  *db,
                     Header   *header,
                     GError  **error)
{
  g_autoptr(JorenShop) shop = shop_for_header (db, header, error);
  g_autoptr(JorenSale) original = NULL;

  if (shop == NULL)
    return NULL;
  if (!header->refund)
    return joren_sale_new (shop);
  /* With its original, a stored refund's lines find the lines they took back. */
  original = joren_db_load_sale_by_id (db, header->original_id, error);
  if (original == NULL)
    return NULL;
  return joren_sale_new_refund (shop, original, NULL);
}

static gboolean
load_lines (JorenDb    *db,
            gint64      sale_id,
            JorenSale  *sale,
            GError    **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "SELECT " LINE_SELECT_COLUMNS ", id, original_line_id"
                               " FROM sale_lines WHERE sale_id = ? ORDER BY position", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sale_id);
  return append_lines (db, stmt, sale, error);
}

static gboolean
load_tenders (JorenDb    *db,
              gint64      sale_id,
              JorenSale  *sale,
              GError    **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT kind, amount, reference FROM sale_tenders"
                               " WHERE sale_id = ? ORDER BY position", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sale_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!joren_sale_add_tender (sale, TENDER_FROM ((const char *) sqlite3_column_text (stmt, 0)),
                                sqlite3_column_int64 (stmt, 1),
                                (const char *) sqlite3_column_text (stmt, 2), error))
      return FALSE;
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not read the payment."), error);
}

/* The receipt discount goes on before the tenders: they are checked
 * against the total it gives. */
static gboolean
apply_discount (JorenSale      *sale,
                const Header   *header,
                GError        **error)
{
  return header->discount.kind == JOREN_DISCOUNT_NONE
         || joren_sale_set_discount (sale, &header->discount, error);
}

JorenSale *
joren_db_load_sale_by_id (JorenDb  *db,
                          gint64    id,
                          GError  **error)
{
  g_auto(Header) header = { 0 };
  g_autoptr(JorenSale) sale = NULL;
  g_autoptr(GDateTime) created_at = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  if (!load_header (db, id, &header, error)
      || (sale = new_sale_for_header (db, &header, error)) == NULL
      || !load_lines (db, id, sale, error)
      || !apply_discount (sale, &header, error)
      || !load_tenders (db, id, sale, error))
    return NULL;
  if (joren_sale_get_total (sale) != header.total)
    g_warning ("Receipt %s: stored total %" G_GINT64_FORMAT " but recomputed %" G_GINT64_FORMAT,
               header.receipt_no, header.total, joren_sale_get_total (sale));
  joren_sale_set_staff (sale, header.staff_id, header.staff_name);
  joren_sale_set_customer (sale, header.customer_id);
  created_at = joren_db_time_from_usec (header.created_at);
  joren_sale_set_stored (sale, header.id, header.uuid, header.receipt_no, created_at);
  return g_steal_pointer (&sale);
}

static gint64
find_sale_id (JorenDb     *db,
              const char  *sql,
              const char  *receipt_no,
              GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return 0;
  if (receipt_no != NULL)
    sqlite3_bind_text (stmt, 1, receipt_no, -1, SQLITE_STATIC);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the sale."), error))
    return 0;
  if (has_row)
    return sqlite3_column_int64 (stmt, 0);
  if (receipt_no != NULL)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                 _("There is no receipt %s."), receipt_no);
  else
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                 _("No sale has been made yet."));
  return 0;
}

JorenSale *
joren_db_load_sale (JorenDb     *db,
                    const char  *receipt_no,
                    GError     **error)
{
  gint64 id;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (receipt_no != NULL, NULL);

  id = find_sale_id (db, "SELECT id FROM sales WHERE receipt_no = ?", receipt_no, error);
  return id != 0 ? joren_db_load_sale_by_id (db, id, error) : NULL;
}

JorenSale *
joren_db_load_last_sale (JorenDb  *db,
                         GError  **error)
{
  gint64 id;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  id = find_sale_id (db, "SELECT id FROM sales ORDER BY id DESC LIMIT 1", NULL, error);
  return id != 0 ? joren_db_load_sale_by_id (db, id, error) : NULL;
}

/* --- refunds -------------------------------------------------------- */

/* Per original line, what earlier refunds took back (positive units). */
static gint64 *
load_refunded_qty (JorenDb    *db,
                   JorenSale  *original,
                   GError    **error)
{
  guint n = joren_sale_get_n_lines (original);
  g_autofree gint64 *refunded = g_new0 (gint64, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JorenStmt) stmt = NULL;
      gboolean has_row;

      stmt = joren_db_prepare (db, "SELECT coalesce (-sum (qty), 0) FROM sale_lines"
                                   " WHERE original_line_id = ?", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, joren_sale_get_line (original, i)->id);
      if (!joren_db_step_row (db, stmt, &has_row, _("Could not read earlier refunds."), error))
        return NULL;
      refunded[i] = sqlite3_column_int64 (stmt, 0);
    }
  return g_steal_pointer (&refunded);
}

static gboolean
anything_left (JorenSale    *original,
               const gint64 *refunded)
{
  for (guint i = 0; i < joren_sale_get_n_lines (original); i++)
    if (joren_sale_get_line (original, i)->qty > refunded[i])
      return TRUE;
  return FALSE;
}

JorenSale *
joren_db_prepare_refund (JorenDb     *db,
                         const char  *receipt_no,
                         GError     **error)
{
  g_autoptr(JorenSale) original = NULL;
  g_autofree gint64 *refunded = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (receipt_no != NULL, NULL);

  original = joren_db_load_sale (db, receipt_no, error);
  if (original == NULL)
    return NULL;
  if (joren_sale_get_kind (original) == JOREN_SALE_KIND_REFUND)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Receipt %s is a refund itself and cannot be refunded."), receipt_no);
      return NULL;
    }
  refunded = load_refunded_qty (db, original, error);
  if (refunded == NULL)
    return NULL;
  if (!anything_left (original, refunded))
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Everything on receipt %s has already been refunded."), receipt_no);
      return NULL;
    }
  return joren_sale_new_refund (joren_sale_get_shop (original), original, refunded);
}

/* --- parked sales --------------------------------------------------- */

void
joren_parked_sale_free (JorenParkedSale *parked)
{
  if (parked == NULL)
    return;
  g_free (parked->label);
  g_clear_pointer (&parked->parked_at, g_date_time_unref);
  g_free (parked->staff_name);
  g_free (parked);
}

static gboolean
insert_parked_header (JorenDb     *db,
                      JorenSale   *sale,
                      const char  *label,
                      gint64      *out_id,
                      GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  const JorenDiscount *discount = joren_sale_get_discount (sale);

  stmt = joren_db_prepare (db, "INSERT INTO parked_sales (label, parked_at, staff_id, staff_name,"
                               " total, n_lines, discount_kind, discount_value, customer_id)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, label, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  joren_db_bind_id_or_null (stmt, 3, joren_sale_get_staff_id (sale));
  joren_db_bind_text_or_null (stmt, 4, joren_sale_get_staff_name (sale));
  sqlite3_bind_int64 (stmt, 5, joren_sale_get_total (sale));
  sqlite3_bind_int (stmt, 6, (int) joren_sale_get_n_lines (sale));
  sqlite3_bind_text (stmt, 7, discount_names[discount->kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, discount->value);
  joren_db_bind_id_or_null (stmt, 9, joren_sale_get_customer_id (sale));
  if (!joren_db_step_done (db, stmt, _("Could not park the sale."), error))
    return FALSE;
  *out_id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  return TRUE;
}

static gboolean
insert_parked_lines (JorenDb    *db,
                     JorenSale  *sale,
                     gint64      parked_id,
                     GError    **error)
{
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      g_autoptr(JorenStmt) stmt = NULL;

      stmt = joren_db_prepare (db, "INSERT INTO parked_sale_lines (parked_id, "
                                   LINE_INSERT_COLUMNS ") VALUES (?1, " LINE_INSERT_PARAMS ")",
                               error);
      if (stmt == NULL)
        return FALSE;
      bind_line (stmt, parked_id, i, joren_sale_get_line (sale, i));
      if (!joren_db_step_done (db, stmt, _("Could not park the sale."), error))
        return FALSE;
    }
  return TRUE;
}

gint64
joren_db_park_sale (JorenDb     *db,
                    JorenSale   *sale,
                    const char  *label,
                    GError     **error)
{
  gint64 id = 0;

  g_return_val_if_fail (JOREN_IS_DB (db), 0);
  g_return_val_if_fail (JOREN_IS_SALE (sale), 0);
  g_return_val_if_fail (label != NULL, 0);

  if (joren_sale_get_kind (sale) != JOREN_SALE_KIND_SALE || joren_sale_get_n_lines (sale) == 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Only a sale with items can be parked."));
      return 0;
    }
  if (!joren_db_begin (db, error))
    return 0;
  if (insert_parked_header (db, sale, label, &id, error)
      && insert_parked_lines (db, sale, id, error)
      && joren_db_commit (db, error))
    return id;
  joren_db_rollback (db);
  return 0;
}

static gpointer
parked_from_row (sqlite3_stmt *stmt)
{
  JorenParkedSale *parked = g_new0 (JorenParkedSale, 1);

  parked->id = sqlite3_column_int64 (stmt, 0);
  parked->label = joren_db_column_dup_text (stmt, 1);
  parked->parked_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 2));
  parked->total = sqlite3_column_int64 (stmt, 3);
  parked->n_lines = (guint) sqlite3_column_int (stmt, 4);
  parked->staff_name = joren_db_column_dup_text (stmt, 5);
  return parked;
}

GPtrArray *
joren_db_list_parked (JorenDb  *db,
                      GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT id, label, parked_at, total, n_lines, staff_name"
                               " FROM parked_sales ORDER BY parked_at, id", error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_parked_sale_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, parked_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the parked sales."), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
load_parked_header (JorenDb        *db,
                    gint64          parked_id,
                    JorenSale      *sale,
                    JorenDiscount  *discount,
                    GError        **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db, "SELECT staff_id, staff_name, discount_kind, discount_value,"
                               " customer_id FROM parked_sales WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, parked_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the parked sale."), error))
    return FALSE;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("This parked sale was already recalled."));
      return FALSE;
    }
  if (sqlite3_column_int64 (stmt, 0) != 0)
    joren_sale_set_staff (sale, sqlite3_column_int64 (stmt, 0),
                          (const char *) sqlite3_column_text (stmt, 1));
  discount->kind = DISCOUNT_FROM ((const char *) sqlite3_column_text (stmt, 2));
  discount->value = sqlite3_column_int64 (stmt, 3);
  joren_sale_set_customer (sale, sqlite3_column_int64 (stmt, 4));
  return TRUE;
}

static gboolean
read_parked (JorenDb    *db,
             gint64      parked_id,
             JorenSale  *sale,
             GError    **error)
{
  g_autoptr(JorenStmt) lines = NULL;
  JorenDiscount discount;

  if (!load_parked_header (db, parked_id, sale, &discount, error))
    return FALSE;
  lines = joren_db_prepare (db, "SELECT " LINE_SELECT_COLUMNS ", 0, 0 FROM parked_sale_lines"
                                " WHERE parked_id = ? ORDER BY position", error);
  if (lines == NULL)
    return FALSE;
  sqlite3_bind_int64 (lines, 1, parked_id);
  if (!append_lines (db, lines, sale, error))
    return FALSE;
  return discount.kind == JOREN_DISCOUNT_NONE || joren_sale_set_discount (sale, &discount, error);
}

static gboolean
delete_parked (JorenDb  *db,
               gint64    parked_id,
               GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "DELETE FROM parked_sales WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, parked_id);
  return joren_db_step_done (db, stmt, _("Could not recall the parked sale."), error);
}

JorenSale *
joren_db_recall_parked (JorenDb  *db,
                        gint64    parked_id,
                        GError  **error)
{
  g_autoptr(JorenShop) shop = NULL;
  g_autoptr(JorenSale) sale = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  shop = joren_db_load_shop (db, error);
  if (shop == NULL)
    return NULL;
  sale = joren_sale_new (shop);
  if (!joren_db_begin (db, error))
    return NULL;
  if (read_parked (db, parked_id, sale, error)
      && delete_parked (db, parked_id, error)
      && joren_db_commit (db, error))
    return g_steal_pointer (&sale);
  joren_db_rollback (db);
  return NULL;
}
