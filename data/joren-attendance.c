/* joren-attendance.c: staff administration the back office needs beyond
 * joren-staff.c (roles, names, cards), the time clock, the attendance
 * report and staff performance. Clock events are only ever inserted; a
 * correction is another event. The report pairs events in C rather than
 * in SQL: a day has a handful per person, and the pairing rules (breaks
 * are the gaps between an out and the next in, a shift still open runs
 * to now) read more plainly as a loop. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-attendance.h"
#include "joren-db-private.h"
#include "joren-report.h"

/* --- staff administration ------------------------------------------ */

static gboolean
update_one (JorenDb     *db,
            const char  *sql,
            gint64       staff_id,
            const char  *text,
            GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  if (!joren_db_step_done (db, stmt, _("Could not update the staff member."), error))
    return FALSE;
  if (sqlite3_changes (joren_db_get_handle (db)) > 0)
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
               _("This staff member does not exist."));
  return FALSE;
}

gboolean
joren_staff_set_role (JorenDb    *db,
                      gint64      staff_id,
                      JorenRole   role,
                      GError    **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (role <= JOREN_ROLE_OWNER, FALSE);

  return update_one (db, "UPDATE staff SET role = ?2 WHERE id = ?1", staff_id,
                     joren_role_to_string (role), error);
}

gboolean
joren_staff_rename (JorenDb     *db,
                    gint64       staff_id,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  clean = g_strstrip (g_strdup (name));
  if (*clean == '\0')
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Enter a name for the staff member."));
      return FALSE;
    }
  return update_one (db, "UPDATE staff SET name = ?2 WHERE id = ?1", staff_id, clean, error);
}

gboolean
joren_staff_reset_pin (JorenDb     *db,
                       gint64       staff_id,
                       const char  *pin,
                       GError     **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  /* Setting a PIN also clears failed attempts and the lock-out. */
  return joren_staff_set_pin (db, staff_id, pin, error);
}

gboolean
joren_staff_deactivate (JorenDb  *db,
                        gint64    staff_id,
                        GError  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  return joren_staff_set_active (db, staff_id, FALSE, error);
}

static gboolean
code_is_customer_card (JorenDb     *db,
                       const char  *code,
                       gboolean    *out,
                       GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, "SELECT 1 FROM customer_cards"
                                                    " WHERE code = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  return joren_db_step_row (db, stmt, out, _("Could not check the card."), error);
}

static gboolean
card_taken (GError **error)
{
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
               _("This card already belongs to someone. Use another card."));
  return FALSE;
}

gboolean
joren_staff_add_card (JorenDb     *db,
                      gint64       staff_id,
                      const char  *code,
                      GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean customer;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (code != NULL && *code != '\0', FALSE);

  if (!code_is_customer_card (db, code, &customer, error))
    return FALSE;
  if (customer)
    return card_taken (error);
  stmt = joren_db_prepare (db, "INSERT INTO staff_cards (code, staff_id, added_at)"
                               " VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, staff_id);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return card_taken (error);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("This staff member does not exist."));
      return FALSE;
    }
  return rc == SQLITE_DONE || joren_db_set_error (db, rc, _("Could not add the card."), error);
}

gboolean
joren_staff_remove_card (JorenDb     *db,
                         const char  *code,
                         GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  stmt = joren_db_prepare (db, "DELETE FROM staff_cards WHERE code = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  return joren_db_step_done (db, stmt, _("Could not remove the card."), error);
}

GPtrArray *
joren_staff_list_cards (JorenDb  *db,
                        gint64    staff_id,
                        GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT code FROM staff_cards WHERE staff_id = ?"
                               " ORDER BY added_at, code", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (codes, joren_db_column_dup_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the staff cards."), error);
      return NULL;
    }
  return g_steal_pointer (&codes);
}

JorenStaff *
joren_staff_find_by_card (JorenDb     *db,
                          const char  *code,
                          GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(JorenStaff) staff = NULL;
  gboolean has_row;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  stmt = joren_db_prepare (db, "SELECT s.id, s.name, s.role, s.active FROM staff_cards c"
                               " JOIN staff s ON s.id = c.staff_id WHERE c.code = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not check the card."), error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("This card belongs to no staff member."));
      return NULL;
    }
  staff = g_new0 (JorenStaff, 1);
  staff->id = sqlite3_column_int64 (stmt, 0);
  staff->name = joren_db_column_dup_text (stmt, 1);
  joren_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &staff->role);
  staff->active = sqlite3_column_int (stmt, 3) != 0;
  if (!staff->active)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_PERMISSION,
                   _("This staff member is no longer active. Ask a manager."));
      return NULL;
    }
  return g_steal_pointer (&staff);
}

/* --- clocking ------------------------------------------------------- */

static const char * const clock_kinds[] = { "in", "out" };
static const char * const clock_methods[] = { "card", "pin", "manager" };

void
joren_clock_event_free (JorenClockEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->staff_name);
  g_clear_pointer (&event->at, g_date_time_unref);
  g_free (event);
}

gboolean
joren_attendance_is_in (JorenDb   *db,
                        gint64     staff_id,
                        gboolean  *out_in,
                        GError   **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (out_in != NULL, FALSE);

  stmt = joren_db_prepare (db, "SELECT kind = 'in' FROM clock_events WHERE staff_id = ?"
                               " ORDER BY at DESC, id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the time clock."), error))
    return FALSE;
  *out_in = has_row && sqlite3_column_int (stmt, 0);
  return TRUE;
}

static JorenClockEvent *
insert_event (JorenDb           *db,
              const JorenStaff  *staff,
              JorenClockKind     kind,
              JorenClockMethod   method,
              GDateTime         *at,
              GError           **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GDateTime) local = g_date_time_to_local (at);
  JorenClockEvent *event;

  stmt = joren_db_prepare (db, "INSERT INTO clock_events (staff_id, kind, method, at, day)"
                               " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, staff->id);
  sqlite3_bind_text (stmt, 2, clock_kinds[kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, clock_methods[method], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, joren_db_time_to_usec (at));
  sqlite3_bind_text (stmt, 5, g_date_time_format (local, "%Y-%m-%d"), -1, g_free);
  if (!joren_db_step_done (db, stmt, _("Could not record the time."), error))
    return NULL;
  event = g_new0 (JorenClockEvent, 1);
  event->id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  event->staff_id = staff->id;
  event->staff_name = g_strdup (staff->name);
  event->kind = kind;
  event->method = method;
  event->at = g_date_time_ref (at);
  return event;
}

/* In when out, out when in. */
static JorenClockEvent *
toggle (JorenDb           *db,
        const JorenStaff  *staff,
        JorenClockMethod   method,
        GError           **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean in;

  if (!joren_attendance_is_in (db, staff->id, &in, error))
    return NULL;
  return insert_event (db, staff, in ? JOREN_CLOCK_OUT : JOREN_CLOCK_IN, method, now, error);
}

JorenClockEvent *
joren_attendance_clock_card (JorenDb     *db,
                             const char  *code,
                             GError     **error)
{
  g_autoptr(JorenStaff) staff = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  staff = joren_staff_find_by_card (db, code, error);
  return staff != NULL ? toggle (db, staff, JOREN_CLOCK_BY_CARD, error) : NULL;
}

JorenClockEvent *
joren_attendance_clock_pin (JorenDb     *db,
                            gint64       staff_id,
                            const char  *pin,
                            GError     **error)
{
  g_autoptr(JorenStaff) staff = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (pin != NULL, NULL);

  staff = joren_staff_sign_in (db, staff_id, pin, error);
  return staff != NULL ? toggle (db, staff, JOREN_CLOCK_BY_PIN, error) : NULL;
}

static JorenStaff *
load_staff (JorenDb  *db,
            gint64    staff_id,
            GError  **error)
{
  g_autoptr(GPtrArray) all = joren_staff_list (db, TRUE, error);

  if (all == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    if (((JorenStaff *) g_ptr_array_index (all, i))->id == staff_id)
      return joren_staff_copy (g_ptr_array_index (all, i));
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
               _("This staff member does not exist."));
  return NULL;
}

JorenClockEvent *
joren_attendance_clock_at (JorenDb         *db,
                           gint64           staff_id,
                           JorenClockKind   kind,
                           GDateTime       *at,
                           GError         **error)
{
  g_autoptr(JorenStaff) staff = NULL;
  g_autoptr(GDateTime) when = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (kind <= JOREN_CLOCK_OUT, NULL);

  staff = load_staff (db, staff_id, error);
  if (staff == NULL)
    return NULL;
  when = at != NULL ? g_date_time_ref (at) : g_date_time_new_now_utc ();
  return insert_event (db, staff, kind, JOREN_CLOCK_BY_MANAGER, when, error);
}

/* --- attendance report ---------------------------------------------- */

void
joren_attendance_day_free (JorenAttendanceDay *day)
{
  if (day == NULL)
    return;
  g_free (day->staff_name);
  g_clear_pointer (&day->first_in, g_date_time_unref);
  g_clear_pointer (&day->last_out, g_date_time_unref);
  g_free (day);
}

/* Pairing state of one staff member's day while its events stream by. */
typedef struct {
  JorenAttendanceDay *day;
  gint64              open_in;   /* 0: not in */
  gint64              last_out;  /* 0: none yet */
} Pairing;

static void
pair_event (Pairing  *p,
            gboolean  in,
            gint64    at)
{
  if (in && p->open_in == 0)
    {
      if (p->day->first_in == NULL)
        p->day->first_in = joren_db_time_from_usec (at);
      if (p->last_out != 0)
        {
          p->day->break_us += at - p->last_out;
          p->day->n_breaks++;
        }
      p->open_in = at;
    }
  else if (!in && p->open_in != 0)
    {
      p->day->worked_us += at - p->open_in;
      p->last_out = at;
      p->open_in = 0;
    }
}

static void
finish_day (Pairing   *p,
            gint64     now,
            GPtrArray *days)
{
  if (p->day == NULL)
    return;
  if (p->open_in != 0)
    p->day->worked_us += MAX (now - p->open_in, 0);
  else if (p->last_out != 0)
    p->day->last_out = joren_db_time_from_usec (p->last_out);
  if (p->day->first_in != NULL)
    g_ptr_array_add (days, p->day);
  else
    joren_attendance_day_free (p->day);
  *p = (Pairing) { NULL, 0, 0 };
}

static void
start_day (Pairing      *p,
           sqlite3_stmt *stmt)
{
  p->day = g_new0 (JorenAttendanceDay, 1);
  p->day->staff_id = sqlite3_column_int64 (stmt, 0);
  p->day->staff_name = joren_db_column_dup_text (stmt, 1);
  g_strlcpy (p->day->day, (const char *) sqlite3_column_text (stmt, 2), sizeof p->day->day);
}

static gboolean
same_day (const Pairing *p,
          sqlite3_stmt  *stmt)
{
  return p->day != NULL && p->day->staff_id == sqlite3_column_int64 (stmt, 0)
         && g_strcmp0 (p->day->day, (const char *) sqlite3_column_text (stmt, 2)) == 0;
}

GPtrArray *
joren_attendance_report (JorenDb     *db,
                         const char  *first_day,
                         const char  *last_day,
                         gint64       staff_id,
                         GDateTime   *now,
                         GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) days = NULL;
  gint64 now_us = now != NULL ? joren_db_time_to_usec (now) : g_get_real_time ();
  Pairing p = { NULL, 0, 0 };
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (first_day != NULL && last_day != NULL, NULL);

  stmt = joren_db_prepare (db, "SELECT e.staff_id, s.name, e.day, e.kind = 'in', e.at"
                               " FROM clock_events e JOIN staff s ON s.id = e.staff_id"
                               " WHERE e.day BETWEEN ?1 AND ?2 AND (?3 = 0 OR e.staff_id = ?3)"
                               " ORDER BY e.day, s.name, e.staff_id, e.at, e.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, first_day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, last_day, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, staff_id);
  days = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_attendance_day_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!same_day (&p, stmt))
        {
          finish_day (&p, now_us, days);
          start_day (&p, stmt);
        }
      pair_event (&p, sqlite3_column_int (stmt, 3), sqlite3_column_int64 (stmt, 4));
    }
  finish_day (&p, now_us, days);
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the time clock."), error);
      return NULL;
    }
  return g_steal_pointer (&days);
}

static void
add_time (JorenCsv  *csv,
          GDateTime *time)
{
  g_autoptr(GDateTime) local = time != NULL ? g_date_time_to_local (time) : NULL;
  g_autofree char *text = local != NULL ? g_date_time_format (local, "%H:%M") : NULL;

  joren_csv_add_text (csv, text);
}

/* Hours with two decimals: microseconds to hundredths of an hour. */
static void
add_hours (JorenCsv *csv,
           gint64    us)
{
  joren_csv_add_money (csv, (us + 18000000) / 36000000, 2);
}

GBytes *
joren_attendance_to_csv (GPtrArray *days)
{
  JorenCsv *csv;

  g_return_val_if_fail (days != NULL, NULL);

  csv = joren_csv_new ();
  joren_csv_add_text (csv, _("Staff"));
  joren_csv_add_text (csv, _("Day"));
  joren_csv_add_text (csv, _("In"));
  joren_csv_add_text (csv, _("Out"));
  joren_csv_add_text (csv, _("Hours"));
  joren_csv_add_text (csv, _("Breaks"));
  joren_csv_end_row (csv);
  for (guint i = 0; i < days->len; i++)
    {
      const JorenAttendanceDay *day = g_ptr_array_index (days, i);

      joren_csv_add_text (csv, day->staff_name);
      joren_csv_add_text (csv, day->day);
      add_time (csv, day->first_in);
      add_time (csv, day->last_out);
      add_hours (csv, day->worked_us);
      add_hours (csv, day->break_us);
      joren_csv_end_row (csv);
    }
  return joren_csv_free_to_bytes (csv);
}

/* --- staff performance ---------------------------------------------- */

void
joren_staff_performance_free (JorenStaffPerformance *perf)
{
  if (perf == NULL)
    return;
  g_free (perf->staff_name);
  g_free (perf);
}

static JorenStaffPerformance *
perf_for (GPtrArray  *list,
          gint64      staff_id,
          const char *name)
{
  JorenStaffPerformance *perf;

  for (guint i = 0; i < list->len; i++)
    if (((JorenStaffPerformance *) g_ptr_array_index (list, i))->staff_id == staff_id)
      return g_ptr_array_index (list, i);
  perf = g_new0 (JorenStaffPerformance, 1);
  perf->staff_id = staff_id;
  perf->staff_name = g_strdup (name != NULL ? name : _("Unknown staff"));
  g_ptr_array_add (list, perf);
  return perf;
}

static gboolean
add_sales (JorenDb     *db,
           const char  *first_day,
           const char  *last_day,
           GPtrArray   *list,
           GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT r.staff_id, s.name, r.n_sales, r.sales, r.n_refunds,"
                               " r.gross FROM (SELECT staff_id,"
                               " sum (CASE kind WHEN 'sale' THEN n ELSE 0 END) AS n_sales,"
                               " sum (CASE kind WHEN 'sale' THEN gross ELSE 0 END) AS sales,"
                               " sum (CASE kind WHEN 'refund' THEN n ELSE 0 END) AS n_refunds,"
                               " sum (gross) AS gross FROM report_days"
                               " WHERE business_day BETWEEN ?1 AND ?2 GROUP BY staff_id) r"
                               " LEFT JOIN staff s ON s.id = r.staff_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, first_day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, last_day, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenStaffPerformance *perf = perf_for (list, sqlite3_column_int64 (stmt, 0),
                                              (const char *) sqlite3_column_text (stmt, 1));
      gint64 sales = sqlite3_column_int64 (stmt, 3);

      perf->n_sales = sqlite3_column_int64 (stmt, 2);
      perf->n_refunds = sqlite3_column_int64 (stmt, 4);
      perf->gross = sqlite3_column_int64 (stmt, 5);
      if (perf->n_sales > 0)
        perf->average_basket = (2 * sales + perf->n_sales) / (2 * perf->n_sales);
    }
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not compute the report."), error);
}

static int
compare_gross (gconstpointer a,
               gconstpointer b)
{
  const JorenStaffPerformance *x = *(JorenStaffPerformance * const *) a;
  const JorenStaffPerformance *y = *(JorenStaffPerformance * const *) b;

  if (x->gross != y->gross)
    return x->gross > y->gross ? -1 : 1;
  return x->staff_id < y->staff_id ? -1 : x->staff_id > y->staff_id;
}

GPtrArray *
joren_attendance_performance (JorenDb     *db,
                              const char  *first_day,
                              const char  *last_day,
                              GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) days = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (first_day != NULL && last_day != NULL, NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_staff_performance_free);
  if (!add_sales (db, first_day, last_day, list, error))
    return NULL;
  days = joren_attendance_report (db, first_day, last_day, 0, NULL, error);
  if (days == NULL)
    return NULL;
  for (guint i = 0; i < days->len; i++)
    {
      const JorenAttendanceDay *day = g_ptr_array_index (days, i);

      perf_for (list, day->staff_id, day->staff_name)->worked_us += day->worked_us;
    }
  for (guint i = 0; i < list->len; i++)
    {
      JorenStaffPerformance *perf = g_ptr_array_index (list, i);

      if (perf->worked_us > 0)
        perf->gross_per_hour = perf->gross * G_TIME_SPAN_HOUR / perf->worked_us;
    }
  g_ptr_array_sort (list, compare_gross);
  return g_steal_pointer (&list);
}
