/* joren-loyalty.c: the loyalty day close. Expiry and tier changes are
 * batch work over every customer, so they run once a business day rather
 * than on each sale: when the drawer is closed, or at start-up after a
 * day the till was switched off without closing. Each step is idempotent
 * (the ledgers refuse a second expiry), so a crash between steps only
 * means the next run finishes the job. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-db-private.h"
#include "joren-loyalty.h"
#include "joren-points.h"
#include "joren-punch.h"

#define LAST_DAY_CLOSE "loyalty.last_day_close"

/* The shop's local calendar day, as the reports count days. */
static char *
business_day (GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (now);

  return g_date_time_format (local, "%Y-%m-%d");
}

static gboolean
run_steps (JorenDb    *db,
           GDateTime  *now,
           GError    **error)
{
  g_autofree char *day = business_day (now);
  gint64 points = 0, visits = 0;

  if (!joren_points_expire (db, now, &points, error)
      || !joren_punch_expire (db, now, &visits, error)
      || !joren_points_update_tiers (db, now, error)
      || !joren_db_set_setting (db, LAST_DAY_CLOSE, day, error))
    return FALSE;
  g_debug ("Loyalty day close %s: %" G_GINT64_FORMAT " points and %" G_GINT64_FORMAT
           " visits expired", day, points, visits);
  return TRUE;
}

gboolean
joren_loyalty_day_close (JorenDb    *db,
                         GDateTime  *now,
                         GError    **error)
{
  g_autoptr(GDateTime) current = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  if (run_steps (db, current, &local_error))
    return TRUE;
  /* Callers that cannot act on it (closing the drawer) pass NULL: the
   * failure is logged, and the next start-up runs the close again. */
  if (error == NULL)
    g_warning ("Loyalty day close failed: %s", local_error->message);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

char *
joren_loyalty_get_last_day_close (JorenDb *db)
{
  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  return joren_db_get_setting (db, LAST_DAY_CLOSE);
}

gboolean
joren_loyalty_catch_up (JorenDb    *db,
                        GDateTime  *now,
                        gboolean   *out_ran,
                        GError    **error)
{
  g_autoptr(GDateTime) current = NULL;
  g_autofree char *last = NULL;
  g_autofree char *today = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  last = joren_loyalty_get_last_day_close (db);
  today = business_day (current);
  if (out_ran != NULL)
    *out_ran = FALSE;
  /* ISO dates compare as strings. */
  if (last != NULL && g_strcmp0 (last, today) >= 0)
    return TRUE;
  if (out_ran != NULL)
    *out_ran = TRUE;
  return joren_loyalty_day_close (db, current, error);
}
