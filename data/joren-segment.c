/* joren-segment.c: customer segments. A filter compiles to one SELECT
 * assembled from fixed fragments, one per condition, whose values are
 * named parameters bound afterwards: the SQL text depends only on which
 * conditions are set, so the connection's statement cache keeps one
 * prepared statement per combination and no value ever becomes SQL.
 * Visit conditions join customer_visits (kept by each sale's commit), so
 * "no visit for 90 days" is a range of its last_visit index instead of a
 * GROUP BY over every sale; period conditions aggregate the period's
 * sales once, through the sales_customer index. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-db-private.h"
#include "joren-segment.h"

#define PERIOD_CONDITIONS (JOREN_SEGMENT_SPEND_MIN | JOREN_SEGMENT_SPEND_MAX \
                           | JOREN_SEGMENT_VISITS_MIN | JOREN_SEGMENT_VISITS_MAX)
#define VISIT_CONDITIONS (JOREN_SEGMENT_LAST_VISIT_BEFORE | JOREN_SEGMENT_LAST_VISIT_AFTER \
                          | JOREN_SEGMENT_FIRST_VISIT_IN_PERIOD)
#define CONSENT_CONDITIONS (JOREN_SEGMENT_CONSENT_EMAIL | JOREN_SEGMENT_CONSENT_POST \
                            | JOREN_SEGMENT_CONSENT_SMS)

/* One WHERE fragment per condition, in bit order. */
static const char * const condition_sql[] = {
  " AND coalesce (p.spend, 0) >= :spend_min",
  " AND coalesce (p.spend, 0) <= :spend_max",
  " AND coalesce (p.visits, 0) >= :visits_min",
  " AND coalesce (p.visits, 0) <= :visits_max",
  " AND v.last_visit < :last_before",
  " AND v.last_visit >= :last_after",
  " AND EXISTS (SELECT 1 FROM sales s JOIN sale_lines l ON l.sale_id = s.id"
  " WHERE s.customer_id = c.id AND s.kind = 'sale' AND s.created_at >= :from"
  " AND s.created_at < :to AND l.product_id = :product)",
  " AND EXISTS (SELECT 1 FROM sales s JOIN sale_lines l ON l.sale_id = s.id"
  " JOIN products pr ON pr.id = l.product_id WHERE s.customer_id = c.id AND s.kind = 'sale'"
  " AND s.created_at >= :from AND s.created_at < :to AND pr.category_id = :category)",
  " AND c.tier = :tier",
  " AND c.store = :store",
  " AND substr (c.birthday, 6, 2) = :birthday_month",
  " AND v.first_visit >= :from AND v.first_visit < :to",
  " AND c.consent_email",
  " AND c.consent_post",
  " AND c.consent_sms",
};

static const char * const order_sql[] = {
  [JOREN_SEGMENT_ORDER_ID] = " ORDER BY c.id",
  [JOREN_SEGMENT_ORDER_SPEND] = " ORDER BY coalesce (p.spend, 0) DESC, c.id",
  [JOREN_SEGMENT_ORDER_LAST_VISIT] = " ORDER BY v.last_visit, c.id",
};

static gboolean
needs_period (const JorenSegmentFilter *filter)
{
  return (filter->conditions & PERIOD_CONDITIONS) != 0
         || filter->order == JOREN_SEGMENT_ORDER_SPEND;
}

static gboolean
needs_visits (const JorenSegmentFilter *filter)
{
  return (filter->conditions & VISIT_CONDITIONS) != 0
         || filter->order == JOREN_SEGMENT_ORDER_LAST_VISIT;
}

/* The SQL for the filter: which fragments, never which values. */
static char *
compile (const JorenSegmentFilter *filter)
{
  GString *sql = g_string_new ("SELECT c.id, count (*) OVER () FROM customers c");

  if (needs_visits (filter))
    g_string_append (sql, " JOIN customer_visits v ON v.customer_id = c.id");
  if (needs_period (filter))
    g_string_append (sql, " LEFT JOIN (SELECT customer_id, sum (total) AS spend,"
                          " sum (kind = 'sale') AS visits FROM sales"
                          " WHERE customer_id IS NOT NULL AND created_at >= :from"
                          " AND created_at < :to GROUP BY customer_id) p"
                          " ON p.customer_id = c.id");
  g_string_append (sql, " WHERE c.merged_into IS NULL AND c.anonymised_at IS NULL");
  for (guint i = 0; i < G_N_ELEMENTS (condition_sql); i++)
    if (filter->conditions & (1u << i))
      g_string_append (sql, condition_sql[i]);
  g_string_append (sql, order_sql[filter->order]);
  g_string_append (sql, " LIMIT :limit OFFSET :offset");
  return g_string_free (sql, FALSE);
}

static void
bind_int (sqlite3_stmt *stmt,
          const char   *name,
          gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

static gint64
time_or (GDateTime *time,
         gint64     fallback)
{
  return time != NULL ? joren_db_time_to_usec (time) : fallback;
}

/* The explicit time, or lapsed_days before now. */
static gint64
last_visit_cutoff (const JorenSegmentFilter *f)
{
  if (f->last_visit_before != NULL)
    return joren_db_time_to_usec (f->last_visit_before);
  return time_or (f->now, g_get_real_time ()) - (gint64) f->lapsed_days * G_TIME_SPAN_DAY;
}

static void
bind_filter (sqlite3_stmt             *stmt,
             const JorenSegmentFilter *f,
             guint                     offset,
             guint                     limit)
{
  g_autofree char *month = g_strdup_printf ("%02u", f->birthday_month);
  int store = sqlite3_bind_parameter_index (stmt, ":store");
  int birthday = sqlite3_bind_parameter_index (stmt, ":birthday_month");

  bind_int (stmt, ":from", time_or (f->period_from, G_MININT64));
  bind_int (stmt, ":to", time_or (f->period_to, G_MAXINT64));
  bind_int (stmt, ":spend_min", f->spend_min);
  bind_int (stmt, ":spend_max", f->spend_max);
  bind_int (stmt, ":visits_min", f->visits_min);
  bind_int (stmt, ":visits_max", f->visits_max);
  bind_int (stmt, ":last_before", last_visit_cutoff (f));
  bind_int (stmt, ":last_after", time_or (f->last_visit_after, G_MININT64));
  bind_int (stmt, ":product", f->product_id);
  bind_int (stmt, ":category", f->category_id);
  bind_int (stmt, ":tier", f->tier);
  bind_int (stmt, ":limit", limit == 0 ? -1 : (gint64) limit);
  bind_int (stmt, ":offset", offset);
  if (store > 0)
    sqlite3_bind_text (stmt, store, f->store != NULL ? f->store : "", -1, SQLITE_TRANSIENT);
  if (birthday > 0)
    sqlite3_bind_text (stmt, birthday, month, -1, SQLITE_TRANSIENT);
}

void
joren_segment_page_free (JorenSegmentPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->ids, g_array_unref);
  g_free (page);
}

static gboolean
has_consent (JorenDb  *db,
             gint64    id,
             guint     consent,
             GError  **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db,
      "SELECT consent_email, consent_post, consent_sms FROM customers WHERE id = ?1", error);
  gboolean has_row = FALSE;
  gboolean agreed;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not find the customers of the segment."), error)
      || !has_row)
    return FALSE;
  agreed = (!(consent & JOREN_SEGMENT_CONSENT_EMAIL) || sqlite3_column_int (stmt, 0))
           && (!(consent & JOREN_SEGMENT_CONSENT_POST) || sqlite3_column_int (stmt, 1))
           && (!(consent & JOREN_SEGMENT_CONSENT_SMS) || sqlite3_column_int (stmt, 2));
  return agreed;
}

/* A top-N segment: the first top_n of the order without the consent
 * conditions, then those of them who consented, paged in C (top_n is a
 * mailing's size, not a table's). */
static JorenSegmentPage *
run_top (JorenDb                  *db,
         const JorenSegmentFilter *filter,
         guint                     offset,
         guint                     limit,
         GError                  **error)
{
  JorenSegmentFilter uncapped = *filter;
  guint consent = filter->conditions & CONSENT_CONDITIONS;
  g_autoptr(JorenSegmentPage) top = NULL;
  g_autoptr(JorenSegmentPage) page = g_new0 (JorenSegmentPage, 1);
  GError *local = NULL;

  uncapped.top_n = 0;
  uncapped.conditions &= ~CONSENT_CONDITIONS;
  top = joren_segment_run (db, &uncapped, 0, filter->top_n, error);
  if (top == NULL)
    return NULL;
  page->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < top->ids->len; i++)
    {
      gint64 id = g_array_index (top->ids, gint64, i);

      if (consent != 0 && !has_consent (db, id, consent, &local))
        {
          if (local == NULL)
            continue;
          g_propagate_error (error, local);
          return NULL;
        }
      if (page->total >= offset && (limit == 0 || page->ids->len < limit))
        g_array_append_val (page->ids, id);
      page->total++;
    }
  return g_steal_pointer (&page);
}

JorenSegmentPage *
joren_segment_run (JorenDb                  *db,
                   const JorenSegmentFilter *filter,
                   guint                     offset,
                   guint                     limit,
                   GError                  **error)
{
  g_autoptr(JorenSegmentPage) page = NULL;
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail ((guint) filter->order < G_N_ELEMENTS (order_sql), NULL);

  if (filter->top_n > 0)
    return run_top (db, filter, offset, limit, error);
  sql = compile (filter);
  stmt = joren_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_filter (stmt, filter, offset, limit);
  page = g_new0 (JorenSegmentPage, 1);
  page->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      page->total = (guint64) sqlite3_column_int64 (stmt, 1);
      g_array_append_val (page->ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not find the customers of the segment."), error);
      return NULL;
    }
  /* A page past the end has no row to carry the total. The cached
   * statement is handed back first: the count reuses it. */
  g_clear_pointer (&stmt, joren_stmt_release);
  if (page->ids->len == 0 && offset > 0)
    {
      g_autoptr(JorenSegmentPage) first = joren_segment_run (db, filter, 0, 1, error);

      if (first == NULL)
        return NULL;
      page->total = first->total;
    }
  return g_steal_pointer (&page);
}

GStrv
joren_segment_list_stores (JorenDb  *db,
                           GError  **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  /* No index on store: one scan, capped, when the page opens. */
  stmt = joren_db_prepare (db, "SELECT DISTINCT store FROM customers WHERE store <> ''"
                               " ORDER BY store LIMIT 200", error);
  if (stmt == NULL)
    return NULL;
  while (joren_db_step_row (db, stmt, &has_row, _("Could not read the stores."), error) && has_row)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  return has_row ? NULL : g_strv_builder_end (builder);
}

/* --- ready segments ------------------------------------------------- */

static void
reset_keeping_consent (JorenSegmentFilter *filter)
{
  guint consent = filter->conditions & CONSENT_CONDITIONS;

  *filter = (JorenSegmentFilter) { 0, };
  filter->conditions = consent;
}

void
joren_segment_preset_best (JorenSegmentFilter *filter,
                           GDateTime          *from,
                           GDateTime          *to)
{
  g_return_if_fail (filter != NULL);

  reset_keeping_consent (filter);
  filter->conditions |= JOREN_SEGMENT_VISITS_MIN;
  filter->visits_min = 1;
  filter->period_from = from;
  filter->period_to = to;
  filter->order = JOREN_SEGMENT_ORDER_SPEND;
}

void
joren_segment_preset_best_top (JorenSegmentFilter *filter,
                               GDateTime          *from,
                               GDateTime          *to,
                               guint               top_n)
{
  g_return_if_fail (filter != NULL);

  joren_segment_preset_best (filter, from, to);
  filter->top_n = top_n;
}

void
joren_segment_preset_lapsed (JorenSegmentFilter *filter,
                             GDateTime          *now,
                             guint               days)
{
  g_return_if_fail (filter != NULL);

  reset_keeping_consent (filter);
  filter->conditions |= JOREN_SEGMENT_LAST_VISIT_BEFORE;
  filter->now = now;
  filter->lapsed_days = days;
  filter->order = JOREN_SEGMENT_ORDER_LAST_VISIT;
}

void
joren_segment_preset_birthdays (JorenSegmentFilter *filter,
                                GDateTime          *now)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_if_fail (filter != NULL);

  reset_keeping_consent (filter);
  local = now != NULL ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  filter->conditions |= JOREN_SEGMENT_BIRTHDAY_MONTH;
  filter->birthday_month = (guint) g_date_time_get_month (local);
}

void
joren_segment_preset_first_time (JorenSegmentFilter *filter,
                                 GDateTime          *from,
                                 GDateTime          *to)
{
  g_return_if_fail (filter != NULL);

  reset_keeping_consent (filter);
  filter->conditions |= JOREN_SEGMENT_FIRST_VISIT_IN_PERIOD | JOREN_SEGMENT_VISITS_MIN
                        | JOREN_SEGMENT_VISITS_MAX;
  filter->visits_min = filter->visits_max = 1;
  filter->period_from = from;
  filter->period_to = to;
}

void
joren_segment_preset_tier (JorenSegmentFilter *filter,
                           guint               tier)
{
  g_return_if_fail (filter != NULL);

  reset_keeping_consent (filter);
  filter->conditions |= JOREN_SEGMENT_TIER;
  filter->tier = tier;
}

/* --- in a worker thread --------------------------------------------- */

typedef struct {
  char               *path;
  JorenSegmentFilter  filter;   /* its times and store owned here */
  guint               offset;
  guint               limit;
} RunData;

static GDateTime *
ref_or_null (GDateTime *time)
{
  return time != NULL ? g_date_time_ref (time) : NULL;
}

void
joren_segment_filter_copy (JorenSegmentFilter       *dest,
                           const JorenSegmentFilter *src)
{
  g_return_if_fail (dest != NULL && src != NULL);

  *dest = *src;
  dest->period_from = ref_or_null (src->period_from);
  dest->period_to = ref_or_null (src->period_to);
  dest->last_visit_before = ref_or_null (src->last_visit_before);
  dest->last_visit_after = ref_or_null (src->last_visit_after);
  dest->now = ref_or_null (src->now);
  dest->store = g_strdup (src->store);
}

void
joren_segment_filter_clear (JorenSegmentFilter *filter)
{
  g_return_if_fail (filter != NULL);

  g_clear_pointer (&filter->period_from, g_date_time_unref);
  g_clear_pointer (&filter->period_to, g_date_time_unref);
  g_clear_pointer (&filter->last_visit_before, g_date_time_unref);
  g_clear_pointer (&filter->last_visit_after, g_date_time_unref);
  g_clear_pointer (&filter->now, g_date_time_unref);
  g_clear_pointer ((char **) &filter->store, g_free);
}

static void
run_data_free (RunData *data)
{
  joren_segment_filter_clear (&data->filter);
  g_free (data->path);
  g_free (data);
}

static void
run_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(JorenDb) db = NULL;
  JorenSegmentPage *page = NULL;
  GError *error = NULL;

  /* Its own connection: statements are cached per connection. */
  db = joren_db_open (data->path, &error);
  if (db != NULL)
    page = joren_segment_run (db, &data->filter, data->offset, data->limit, &error);
  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) joren_segment_page_free);
}

void
joren_segment_run_async (JorenDb                  *db,
                         const JorenSegmentFilter *filter,
                         guint                     offset,
                         guint                     limit,
                         GCancellable             *cancellable,
                         GAsyncReadyCallback       callback,
                         gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (filter != NULL);

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, joren_segment_run_async);
  data = g_new0 (RunData, 1);
  data->path = g_strdup (joren_db_get_path (db));
  joren_segment_filter_copy (&data->filter, filter);
  data->offset = offset;
  data->limit = limit;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_in_thread);
}

JorenSegmentPage *
joren_segment_run_finish (JorenDb       *db,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
