/* joren-promotion-birthday.c: automatic birthday greetings by e-mail.
 * Start-up and every day close run them, so they must be idempotent: a
 * greeting is first CLAIMED with a row keyed (customer, year, channel),
 * and only the run that inserted the row sends; a failed send gives the
 * claim back so the next run tries again. Someone born on 29 February is
 * greeted on the 28th in other years. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-db-private.h"
#include "joren-promotion-private.h"

typedef struct {
  JorenDb            *db;
  JorenMailSender    *sender;
  JorenPromotion      promotion;
  char               *shop_name;
  gint64              run_id;    /* 0 until the first greeting */
  guint               sent;
} BirthdayRun;

static GArray *
find_birthdays (JorenDb    *db,
                GDateTime  *day,
                GError    **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *month = g_date_time_format (day, "%m");
  g_autofree char *mday = g_date_time_format (day, "%d");
  gboolean leap_day = g_str_equal (month, "02") && g_str_equal (mday, "28")
                      && !g_date_is_leap_year (g_date_time_get_year (day));
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db,
      "SELECT id FROM customers WHERE birthday IS NOT NULL AND substr (birthday, 6, 2) = ?1"
      " AND (substr (birthday, 9, 2) = ?2 OR (?3 AND substr (birthday, 9, 2) = '29'))"
      " AND consent_email AND email LIKE '%_@_%'"
      " AND merged_into IS NULL AND anonymised_at IS NULL ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, month, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, mday, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, leap_day);
  while (joren_db_step_row (db, stmt, &has_row, _("Could not find the birthdays."), error) && has_row)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  return has_row ? NULL : g_steal_pointer (&ids);
}

/* TRUE in *out_claimed when this run may greet: the row was new. */
static gboolean
claim (JorenDb   *db,
       gint64     customer_id,
       gint       year,
       gint64     run_id,
       gboolean   give_back,
       gboolean  *out_claimed,
       GError   **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, give_back
      ? "DELETE FROM birthday_greetings WHERE customer_id = ?1 AND year = ?2 AND channel = 'email'"
      : "INSERT INTO birthday_greetings (customer_id, year, channel, run_id, at)"
        " VALUES (?1, ?2, 'email', ?3, ?4) ON CONFLICT DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int (stmt, 2, year);
  if (!give_back)
    {
      sqlite3_bind_int64 (stmt, 3, run_id);
      sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
    }
  if (!joren_db_step_done (db, stmt, _("Could not save the birthday greeting."), error))
    return FALSE;
  if (out_claimed != NULL)
    *out_claimed = sqlite3_changes (joren_db_get_handle (db)) == 1;
  return TRUE;
}

static gboolean
ensure_run (BirthdayRun  *run,
            GError      **error)
{
  g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (run->run_id == 0)
    run->run_id = joren_promotion_insert_run (run->db, "birthday", &run->promotion, 0, NULL, 0,
                                              none, error);
  return run->run_id != 0;
}

static gboolean
add_recipient (BirthdayRun  *run,
               gint64        customer_id,
               GError      **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (run->db,
      "INSERT OR IGNORE INTO promotion_recipients (run_id, customer_id, status)"
      " VALUES (?1, ?2, 'pending')", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->run_id);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  return joren_db_step_done (run->db, stmt, _("Could not save the send log."), error);
}

static gboolean
greet (BirthdayRun  *run,
       gint64        customer_id,
       gint          year,
       GError      **error)
{
  g_autoptr(JorenContact) contact = joren_contact_load (run->db, customer_id, NULL);
  gboolean claimed = FALSE;
  gboolean sent = FALSE;

  if (contact == NULL || !ensure_run (run, error))
    return contact == NULL;
  if (!claim (run->db, customer_id, year, run->run_id, FALSE, &claimed, error))
    return FALSE;
  if (!claimed)
    return TRUE;
  if (!add_recipient (run, customer_id, error)
      || !joren_promotion_deliver (run->db, run->sender, run->run_id, contact, &run->promotion,
                                   run->shop_name, &sent, error))
    {
      claim (run->db, customer_id, year, 0, TRUE, NULL, NULL);
      return FALSE;
    }
  if (!sent)
    return claim (run->db, customer_id, year, 0, TRUE, NULL, error);
  run->sent++;
  return TRUE;
}

static gboolean
greet_day (BirthdayRun  *run,
           GDateTime    *day,
           GError      **error)
{
  g_autoptr(GArray) ids = find_birthdays (run->db, day, error);

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!greet (run, g_array_index (ids, gint64, i), g_date_time_get_year (day), error))
      return FALSE;
  return TRUE;
}

static char *
get_template (JorenDb    *db,
              const char *key,
              const char *fallback)
{
  char *text = joren_db_get_setting (db, key);

  if (text != NULL && *text != '\0')
    return text;
  g_free (text);
  return g_strdup (fallback);
}

static gboolean
birthdays_enabled (JorenDb *db)
{
  return joren_db_get_setting_int (db, "promotion.birthday_enabled", 1) != 0;
}

gboolean
joren_promotion_run_birthdays (JorenDb    *db,
                               GDateTime  *today,
                               guint      *out_sent,
                               GError    **error)
{
  g_autoptr(JorenMailSettings) settings = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *window = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  BirthdayRun run = { db };
  gboolean ok = TRUE;
  guint days;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (out_sent != NULL)
    *out_sent = 0;
  settings = joren_promotion_get_mail_settings (db);
  if (settings == NULL || !birthdays_enabled (db))
    return TRUE;
  now = today ? g_date_time_to_local (today) : g_date_time_new_now_local ();
  window = joren_db_get_setting (db, "promotion.birthday_window");
  days = g_strcmp0 (window, "week") == 0 ? 7 : 1;
  subject = get_template (db, "promotion.birthday_subject", _("Happy birthday, {name}!"));
  body = get_template (db, "promotion.birthday_body",
                       _("Dear {name},\n\nhappy birthday from all of us at {shop}!"
                         " You have {points} points to spend on a treat.\n\nSee you soon."));
  run.promotion = (JorenPromotion) { JOREN_PROMOTION_EMAIL, _("Birthday greetings"), subject, body };
  run.sender = joren_mail_sender_new (settings);
  run.shop_name = joren_promotion_shop_name (db);
  for (guint i = 0; ok && i < days; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (now, i);

      ok = greet_day (&run, day, error);
    }
  joren_mail_sender_free (run.sender);
  g_free (run.shop_name);
  if (out_sent != NULL)
    *out_sent = run.sent;
  return ok;
}

/* --- in a worker thread --- */

typedef struct {
  char      *path;
  GDateTime *today;
} BirthdayData;

static void
birthday_data_free (BirthdayData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->today, g_date_time_unref);
  g_free (data);
}

static void
birthdays_in_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  BirthdayData *data = task_data;
  g_autoptr(JorenDb) db = NULL;
  GError *error = NULL;
  guint sent = 0;

  db = joren_db_open (data->path, &error);
  if (db != NULL && joren_promotion_run_birthdays (db, data->today, &sent, &error))
    g_task_return_int (task, sent);
  else
    g_task_return_error (task, error);
}

/* Fire and forget: a plain thread, so no main loop has to run for it
 * and the caller's connection is not held. */
static gpointer
birthdays_thread (gpointer user_data)
{
  BirthdayData *data = user_data;
  g_autoptr(JorenDb) db = NULL;
  g_autoptr(GError) error = NULL;
  guint sent = 0;

  db = joren_db_open (data->path, &error);
  if (db == NULL || !joren_promotion_run_birthdays (db, data->today, &sent, &error))
    g_warning ("Birthday greetings failed: %s", error->message);
  else if (sent > 0)
    g_message ("Birthday greetings sent: %u", sent);
  birthday_data_free (data);
  return NULL;
}

void
joren_promotion_run_birthdays_async (JorenDb             *db,
                                     GDateTime           *today,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JorenMailSettings) settings = NULL;
  BirthdayData *data;

  g_return_if_fail (JOREN_IS_DB (db));

  settings = joren_promotion_get_mail_settings (db);
  if (callback == NULL && (settings == NULL || !birthdays_enabled (db)))
    return;  /* nothing to send: no thread at all */
  data = g_new0 (BirthdayData, 1);
  data->path = g_strdup (joren_db_get_path (db));
  data->today = today ? g_date_time_ref (today) : NULL;
  if (callback == NULL)
    {
      g_thread_unref (g_thread_new ("joren-birthdays", birthdays_thread, data));
      return;
    }
  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, joren_promotion_run_birthdays_async);
  g_task_set_task_data (task, data, (GDestroyNotify) birthday_data_free);
  g_task_run_in_thread (task, birthdays_in_thread);
}

gboolean
joren_promotion_run_birthdays_finish (JorenDb       *db,
                                      GAsyncResult  *result,
                                      guint         *out_sent,
                                      GError       **error)
{
  gssize sent;
  GError *local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, db), FALSE);

  sent = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_sent != NULL)
    *out_sent = sent;
  return TRUE;
}
