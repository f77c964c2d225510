/* joren-value-offline.c: the offline policy's settings and the record of
 * vouchers accepted during an outage (see joren-value-offline.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-db-private.h"
#include "joren-value-offline.h"

void
joren_value_offline_get_settings (JorenDb                   *db,
                                  JorenValueOfflineSettings *out)
{
  g_autofree char *policy = NULL;

  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (out != NULL);

  policy = joren_db_get_setting (db, "value.offline_policy");
  out->policy = g_strcmp0 (policy, "allow") == 0 ? JOREN_VALUE_OFFLINE_ALLOW
                                                 : JOREN_VALUE_OFFLINE_REFUSE;
  out->max_per_sale = MAX (joren_db_get_setting_int (db, "value.offline_max_per_sale", 0), 0);
  out->max_per_card = MAX (joren_db_get_setting_int (db, "value.offline_max_per_card", 0), 0);
  out->max_per_outage = MAX (joren_db_get_setting_int (db, "value.offline_max_per_outage", 0), 0);
}

gboolean
joren_value_offline_record (JorenDb     *db,
                            const char  *hold_id,
                            const char  *number,
                            gint64       amount,
                            const char  *sale_uuid,
                            gint64       outage,
                            GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (hold_id != NULL && number != NULL && sale_uuid != NULL, FALSE);

  stmt = joren_db_prepare (db, "INSERT INTO value_offline (hold_id, number, amount, sale_uuid,"
                               " outage, created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hold_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, number, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, amount);
  sqlite3_bind_text (stmt, 4, sale_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, outage);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  return joren_db_step_done (db, stmt, _("Could not record the offline payment."), error);
}

gint64
joren_value_offline_sum (JorenDb     *db,
                         gint64       outage,
                         const char  *number,
                         const char  *sale_uuid)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), 0);

  /* Holds released since (an abandoned sale) no longer count. */
  stmt = joren_db_prepare (db, "SELECT coalesce (sum (o.amount), 0) FROM value_offline o"
                               " JOIN value_holds h ON h.id = o.hold_id"
                               " WHERE o.outage = ?1 AND (?2 IS NULL OR o.number = ?2)"
                               " AND (?3 IS NULL OR o.sale_uuid = ?3)"
                               " AND h.state IN ('held', 'captured')", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, outage);
  joren_db_bind_text_or_null (stmt, 2, number);
  joren_db_bind_text_or_null (stmt, 3, sale_uuid);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

gint64
joren_value_offline_count (JorenDb *db)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), -1);

  stmt = joren_db_prepare (db, "SELECT count(*) FROM value_offline", NULL);
  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
}

static gboolean
within (gint64 cap,
        gint64 used,
        gint64 amount)
{
  return cap == 0 || used + amount <= cap;
}

gboolean
joren_value_offline_check_caps (JorenDb     *db,
                                gint64       outage,
                                const char  *number,
                                gint64       amount,
                                const char  *sale_uuid,
                                GError     **error)
{
  JorenValueOfflineSettings settings;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  joren_value_offline_get_settings (db, &settings);
  if (settings.policy == JOREN_VALUE_OFFLINE_REFUSE)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("The voucher server cannot be reached, and this shop takes vouchers only "
                   "online. Take another payment."));
  else if (!within (settings.max_per_sale, joren_value_offline_sum (db, outage, NULL, sale_uuid), amount)
           || !within (settings.max_per_card, joren_value_offline_sum (db, outage, number, NULL), amount)
           || !within (settings.max_per_outage, joren_value_offline_sum (db, outage, NULL, NULL), amount))
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("The voucher server cannot be reached, and this is more than the shop "
                   "allows offline. Take another payment."));
  else
    return TRUE;
  return FALSE;
}
