/* joren-promotion.c: campaigns to a segment. The segment gives ids; the
 * consent bit of the channel is added to the filter, so a customer who
 * did not agree is never even loaded for sending (the preview counts
 * them apart); the contact row is read again just before each message,
 * so a consent withdrawn a second ago still counts. Every recipient is
 * written "pending" before the first message leaves, then marked one by
 * one, so a crash or a lost network leaves a log that says exactly who
 * got it. Mail settings and the unsubscribe secret live in settings. */
#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "joren-db-private.h"
#include "joren-device-error.h"
#include "joren-labels.h"
#include "joren-points.h"
#include "joren-promotion-private.h"

static const char * const channel_names[] = { "email", "postcard", "labels" };
static const char * const channel_labels[] = { N_("E-mail"), N_("Postcards"), N_("Address labels") };

const char *
joren_promotion_channel_to_string (JorenPromotionChannel channel)
{
  g_return_val_if_fail (channel <= JOREN_PROMOTION_LABELS, "email");

  return channel_names[channel];
}

const char *
joren_promotion_channel_to_label (JorenPromotionChannel channel)
{
  g_return_val_if_fail (channel <= JOREN_PROMOTION_LABELS, "");

  return _(channel_labels[channel]);
}

static JorenPromotionChannel
channel_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (channel_names); i++)
    if (g_strcmp0 (text, channel_names[i]) == 0)
      return i;
  return JOREN_PROMOTION_EMAIL;
}

void
joren_promotion_message_free (JorenPromotionMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->name);
  g_free (message->to);
  g_free (message->subject);
  g_free (message->body);
  g_free (message);
}

void
joren_promotion_preview_free (JorenPromotionPreview *preview)
{
  if (preview == NULL)
    return;
  g_clear_pointer (&preview->samples, g_ptr_array_unref);
  g_free (preview);
}

/* --- contacts --- */

void
joren_contact_free (JorenContact *contact)
{
  if (contact == NULL)
    return;
  g_free (contact->uuid);
  g_free (contact->member_no);
  g_free (contact->name);
  g_free (contact->email);
  g_free (contact->postal_code);
  g_free (contact->address);
  g_free (contact->birthday);
  g_free (contact);
}

JorenContact *
joren_contact_load (JorenDb  *db,
                    gint64    id,
                    GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  JorenContact *contact;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db,
                           "SELECT member_no, name, email, postal_code, address, birthday,"
                           " consent_email, consent_post, uuid FROM customers"
                           " WHERE id = ?1 AND merged_into IS NULL AND anonymised_at IS NULL",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not load the customer."), error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("The customer no longer exists."));
      return NULL;
    }
  contact = g_new0 (JorenContact, 1);
  contact->id = id;
  contact->member_no = joren_db_column_dup_text (stmt, 0);
  contact->name = joren_db_column_dup_text (stmt, 1);
  contact->email = joren_db_column_dup_text (stmt, 2);
  contact->postal_code = joren_db_column_dup_text (stmt, 3);
  contact->address = joren_db_column_dup_text (stmt, 4);
  contact->birthday = joren_db_column_dup_text (stmt, 5);
  contact->consent_email = sqlite3_column_int (stmt, 6);
  contact->consent_post = sqlite3_column_int (stmt, 7);
  contact->uuid = joren_db_column_dup_text (stmt, 8);
  return contact;
}

static gboolean
is_blank (const char *text)
{
  return text == NULL || *text == '\0';
}

static gboolean
has_consent (const JorenContact    *contact,
             JorenPromotionChannel  channel)
{
  return channel == JOREN_PROMOTION_EMAIL ? contact->consent_email : contact->consent_post;
}

static gboolean
has_address (const JorenContact    *contact,
             JorenPromotionChannel  channel)
{
  if (channel == JOREN_PROMOTION_EMAIL)
    return !is_blank (contact->email) && strchr (contact->email, '@') != NULL;
  return !is_blank (contact->address);
}

/* --- rendering --- */

char *
joren_promotion_shop_name (JorenDb *db)
{
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, NULL);

  return g_strdup (shop ? shop->name : "");
}

static char *
format_birthday (const char *birthday)
{
  guint y, m, d;
  g_autoptr(GDateTime) date = NULL;

  if (birthday == NULL || sscanf (birthday, "%u-%u-%u", &y, &m, &d) != 3)
    return g_strdup ("");
  date = g_date_time_new_local (2000, m, d, 0, 0, 0);  /* a leap year: 29 February */
  /* TRANSLATORS: a birthday in a promotion, strftime format (month and day). */
  return date ? g_date_time_format (date, _("%B %-d")) : g_strdup ("");
}

static GHashTable *
contact_values (JorenDb            *db,
                const JorenContact *contact,
                const char         *shop_name)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  gint64 points = joren_points_balance (db, contact->id, NULL);

  g_hash_table_insert (values, "name",
                       g_strdup (is_blank (contact->name) ? contact->member_no : contact->name));
  g_hash_table_insert (values, "points", g_strdup_printf ("%" G_GINT64_FORMAT, points));
  g_hash_table_insert (values, "birthday", format_birthday (contact->birthday));
  g_hash_table_insert (values, "shop", g_strdup (shop_name));
  return values;
}

static char *
format_postal_address (const JorenContact *contact)
{
  g_autofree char *address = g_strdelimit (g_strdup (contact->address), "\n", ' ');

  return is_blank (contact->postal_code) ? g_steal_pointer (&address)
         : g_strdup_printf ("%s %s", contact->postal_code, address);
}

/* The base of the unsubscribe page: mail.unsubscribe_url, else the
 * paired joren-server (which serves /unsubscribe), else none. */
char *
joren_promotion_unsubscribe_base (JorenDb *db)
{
  g_autofree char *url = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  url = joren_db_get_setting (db, "mail.unsubscribe_url");
  if (is_blank (url))
    {
      g_free (url);
      url = joren_db_get_setting (db, "sync.server_url");
    }
  return is_blank (url) ? NULL : g_steal_pointer (&url);
}

/* The customer's unsubscribe link, or NULL when the shop has none (then
 * the footer asks for a reply). A base with {token} is a template (a
 * page of the shop's own); otherwise the link is joren-server's
 * /unsubscribe with the customer's uuid and its signature. */
static char *
unsubscribe_link (JorenDb            *db,
                  const JorenContact *contact,
                  const char         *token)
{
  g_autofree char *base = joren_promotion_unsubscribe_base (db);
  g_autofree char *secret = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(GHashTable) values = NULL;

  if (base == NULL)
    return NULL;
  if (strchr (base, '{') != NULL)
    {
      values = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (values, "token", (gpointer) token);
      return joren_mail_fill_template (base, values);
    }
  if (contact->uuid == NULL)
    return NULL;
  secret = joren_promotion_unsubscribe_secret (db);
  signature = joren_promotion_unsubscribe_signature (secret, contact->uuid);
  g_strchomp (base);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  return g_strdup_printf ("%s/unsubscribe?c=%s&t=%s", base, contact->uuid, signature);
}

static char *
unsubscribe_footer (JorenDb            *db,
                    const JorenContact *contact,
                    const char         *shop_name)
{
  g_autofree char *token = joren_promotion_unsubscribe_token (db, contact->id);
  g_autofree char *link = unsubscribe_link (db, contact, token);

  if (link != NULL)
    return g_strdup_printf (_("You receive this e-mail because you agreed to news from %s.\n"
                              "Unsubscribe: %s"), shop_name, link);
  return g_strdup_printf (_("You receive this e-mail because you agreed to news from %s.\n"
                            "To unsubscribe, reply with the subject \"unsubscribe %s\"."),
                          shop_name, token);
}

JorenPromotionMessage *
joren_promotion_render (JorenDb              *db,
                        const JorenContact   *contact,
                        const JorenPromotion *promotion,
                        const char           *shop_name)
{
  g_autoptr(GHashTable) values = contact_values (db, contact, shop_name);
  JorenPromotionMessage *message = g_new0 (JorenPromotionMessage, 1);
  g_autofree char *body = joren_mail_fill_template (promotion->body ? promotion->body : "",
                                                    values);

  message->customer_id = contact->id;
  message->name = g_strdup (g_hash_table_lookup (values, "name"));
  if (promotion->channel == JOREN_PROMOTION_EMAIL)
    {
      g_autofree char *footer = unsubscribe_footer (db, contact, shop_name);

      message->to = g_strdup (contact->email);
      message->subject = joren_mail_fill_template (promotion->subject ? promotion->subject : "",
                                                   values);
      message->body = g_strdup_printf ("%s\n\n-- \n%s\n", body, footer);
    }
  else
    {
      message->to = format_postal_address (contact);
      message->body = g_steal_pointer (&body);
    }
  return message;
}

/* --- who receives it --- */

static JorenSegmentPage *
run_segment (JorenDb                  *db,
             const JorenSegmentFilter *filter,
             guint                     consent,
             guint                     limit,
             GError                  **error)
{
  JorenSegmentFilter copy = *filter;

  copy.conditions = (filter->conditions & ~(JOREN_SEGMENT_CONSENT_EMAIL | JOREN_SEGMENT_CONSENT_POST
                                            | JOREN_SEGMENT_CONSENT_SMS)) | consent;
  return joren_segment_run (db, &copy, 0, limit, error);
}

/* Counts and (when ids is not NULL) the reachable ids; the first
 * n_samples messages rendered into preview->samples. */
static JorenPromotionPreview *
collect (JorenDb                  *db,
         const JorenSegmentFilter *filter,
         const JorenPromotion     *promotion,
         guint                     n_samples,
         GArray                   *ids,
         GError                  **error)
{
  guint consent = promotion->channel == JOREN_PROMOTION_EMAIL ? JOREN_SEGMENT_CONSENT_EMAIL
                                                              : JOREN_SEGMENT_CONSENT_POST;
  g_autoptr(JorenSegmentPage) all = run_segment (db, filter, 0, 1, error);
  g_autoptr(JorenSegmentPage) agreed = all ? run_segment (db, filter, consent, 0, error) : NULL;
  g_autoptr(JorenPromotionPreview) preview = NULL;
  g_autofree char *shop_name = NULL;

  if (agreed == NULL)
    return NULL;
  shop_name = joren_promotion_shop_name (db);
  preview = g_new0 (JorenPromotionPreview, 1);
  preview->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_promotion_message_free);
  preview->in_segment = all->total;
  preview->no_consent = all->total - agreed->total;
  for (guint i = 0; i < agreed->ids->len; i++)
    {
      gint64 id = g_array_index (agreed->ids, gint64, i);
      g_autoptr(JorenContact) contact = joren_contact_load (db, id, NULL);

      if (contact == NULL || !has_address (contact, promotion->channel))
        {
          preview->no_address++;
          continue;
        }
      preview->recipients++;
      if (ids != NULL)
        g_array_append_val (ids, id);
      if (preview->samples->len < n_samples)
        g_ptr_array_add (preview->samples,
                         joren_promotion_render (db, contact, promotion, shop_name));
    }
  return g_steal_pointer (&preview);
}

JorenPromotionPreview *
joren_promotion_preview (JorenDb                  *db,
                         const JorenSegmentFilter *filter,
                         const JorenPromotion     *promotion,
                         guint                     n_samples,
                         GError                  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (promotion != NULL, NULL);

  return collect (db, filter, promotion, n_samples, NULL, error);
}

/* --- the log --- */

static gboolean
insert_recipients (JorenDb  *db,
                   gint64    run_id,
                   GArray   *ids,
                   GError  **error)
{
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JorenStmt) stmt = joren_db_prepare (db,
          "INSERT INTO promotion_recipients (run_id, customer_id, status) VALUES (?1, ?2, 'pending')",
          error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, run_id);
      sqlite3_bind_int64 (stmt, 2, g_array_index (ids, gint64, i));
      if (!joren_db_step_done (db, stmt, _("Could not save the send log."), error))
        return FALSE;
    }
  return TRUE;
}

static gint64
store_run (JorenDb              *db,
           const char           *kind,
           const JorenPromotion *promotion,
           gint64                staff_id,
           const char           *output_path,
           guint64               n_excluded,
           GError              **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db,
      "INSERT INTO promotion_runs (kind, channel, name, subject, body, staff_id, output_path,"
      " n_excluded, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, channel_names[promotion->channel], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, promotion->name ? promotion->name : "", -1, SQLITE_STATIC);
  joren_db_bind_text_or_null (stmt, 4, promotion->subject);
  sqlite3_bind_text (stmt, 5, promotion->body ? promotion->body : "", -1, SQLITE_STATIC);
  joren_db_bind_id_or_null (stmt, 6, staff_id);
  joren_db_bind_text_or_null (stmt, 7, output_path);
  sqlite3_bind_int64 (stmt, 8, n_excluded);
  sqlite3_bind_int64 (stmt, 9, g_get_real_time ());
  if (!joren_db_step_done (db, stmt, _("Could not save the send log."), error))
    return 0;
  return sqlite3_last_insert_rowid (joren_db_get_handle (db));
}

gint64
joren_promotion_insert_run (JorenDb              *db,
                            const char           *kind,
                            const JorenPromotion *promotion,
                            gint64                staff_id,
                            const char           *output_path,
                            guint64               n_excluded,
                            GArray               *ids,
                            GError              **error)
{
  gint64 run_id;

  if (!joren_db_begin (db, error))
    return 0;
  run_id = store_run (db, kind, promotion, staff_id, output_path, n_excluded, error);
  if (run_id != 0 && insert_recipients (db, run_id, ids, error) && joren_db_commit (db, error))
    return run_id;
  joren_db_rollback (db);
  return 0;
}

gboolean
joren_promotion_mark (JorenDb     *db,
                      gint64       run_id,
                      gint64       customer_id,
                      const char  *status,
                      const char  *message,
                      GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db,
      "UPDATE promotion_recipients SET status = ?3, error = ?4, at = ?5"
      " WHERE run_id = ?1 AND customer_id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  sqlite3_bind_text (stmt, 3, status, -1, SQLITE_STATIC);
  joren_db_bind_text_or_null (stmt, 4, message);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  return joren_db_step_done (db, stmt, _("Could not save the send log."), error);
}

static void
finish_run (JorenDb *db,
            gint64   run_id)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db,
      "UPDATE promotion_runs SET finished_at = ?2 WHERE id = ?1", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  joren_db_step_done (db, stmt, _("Could not save the send log."), NULL);
}

/* --- sending --- */

static gboolean
must_stop (const GError *error)
{
  return g_error_matches (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_OFFLINE)
         || g_error_matches (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_PERMISSION);
}

gboolean
joren_promotion_deliver (JorenDb              *db,
                         JorenMailSender      *sender,
                         gint64                run_id,
                         const JorenContact   *contact,
                         const JorenPromotion *promotion,
                         const char           *shop_name,
                         gboolean             *out_sent,
                         GError              **error)
{
  g_autoptr(JorenPromotionMessage) rendered = joren_promotion_render (db, contact, promotion,
                                                                      shop_name);
  g_autofree char *token = joren_promotion_unsubscribe_token (db, contact->id);
  g_autofree char *from = joren_db_get_setting (db, "mail.from");
  g_autofree char *mailto = g_strdup_printf ("%s?subject=unsubscribe%%20%s", from ? from : "", token);
  g_autofree char *url = unsubscribe_link (db, contact, token);
  g_autoptr(GError) local_error = NULL;
  JorenMailMessage message = { rendered->to, rendered->subject, rendered->body, url, mailto };

  *out_sent = joren_mail_sender_send (sender, &message, &local_error);
  if (!*out_sent && must_stop (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return joren_promotion_mark (db, run_id, contact->id, *out_sent ? "sent" : "failed",
                               local_error ? local_error->message : NULL, error);
}

static gboolean
send_emails (JorenDb              *db,
             gint64                run_id,
             GArray               *ids,
             const JorenPromotion *promotion,
             JorenMailSettings    *settings,
             GError              **error)
{
  g_autoptr(JorenMailSender) sender = joren_mail_sender_new (settings);
  g_autofree char *shop_name = joren_promotion_shop_name (db);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(JorenContact) contact = joren_contact_load (db, id, NULL);
      gboolean sent;

      /* Consent withdrawn (or the record anonymised) since the preview. */
      if (contact == NULL || !has_consent (contact, JOREN_PROMOTION_EMAIL))
        {
          if (!joren_promotion_mark (db, run_id, id, "failed", _("No consent any more"), error))
            return FALSE;
          continue;
        }
      if (!joren_promotion_deliver (db, sender, run_id, contact, promotion, shop_name,
                                    &sent, error))
        return FALSE;
    }
  return TRUE;
}

static char *
shop_sender_lines (JorenDb *db)
{
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, NULL);

  if (shop == NULL)
    return NULL;
  return g_strdup_printf ("%s%s%s%s%s", shop->name, is_blank (shop->address) ? "" : "\n",
                          is_blank (shop->address) ? "" : shop->address,
                          is_blank (shop->phone) ? "" : "  ",
                          is_blank (shop->phone) ? "" : shop->phone);
}

static gboolean
print_paper (JorenDb              *db,
             gint64                run_id,
             GArray               *ids,
             const JorenPromotion *promotion,
             const char           *output_path,
             GError              **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_label_item_free);
  g_autofree char *shop_name = joren_promotion_shop_name (db);
  g_autofree char *sender = shop_sender_lines (db);
  gboolean ok;

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JorenContact) contact = joren_contact_load (db, g_array_index (ids, gint64, i), NULL);
      g_autoptr(JorenPromotionMessage) message = NULL;

      if (contact == NULL)
        continue;
      message = joren_promotion_render (db, contact, promotion, shop_name);
      g_ptr_array_add (items, joren_label_item_new (message->name, contact->postal_code,
                                                    contact->address, message->body));
    }
  ok = promotion->channel == JOREN_PROMOTION_POSTCARD
       ? joren_labels_write_postcards (output_path, items, sender, error)
       : joren_labels_write_sheet (output_path, items, shop_name, error);
  for (guint i = 0; ok && i < ids->len; i++)
    ok = joren_promotion_mark (db, run_id, g_array_index (ids, gint64, i), "printed", NULL, error);
  return ok;
}

static gboolean
check_can_send (JorenDb              *db,
                const JorenPromotion *promotion,
                const char           *output_path,
                JorenMailSettings   **out_settings,
                GError              **error)
{
  if (promotion->channel != JOREN_PROMOTION_EMAIL)
    {
      if (output_path != NULL)
        return TRUE;
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Choose where to save the PDF first."));
      return FALSE;
    }
  *out_settings = joren_promotion_get_mail_settings (db);
  if (*out_settings != NULL)
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("No mail server is set up: enter it in the promotion settings first."));
  return FALSE;
}

gboolean
joren_promotion_send (JorenDb                  *db,
                      const JorenSegmentFilter *filter,
                      const JorenPromotion     *promotion,
                      gint64                    staff_id,
                      const char               *output_path,
                      gint64                   *out_run_id,
                      GError                  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JorenPromotionPreview) preview = NULL;
  g_autoptr(JorenMailSettings) settings = NULL;
  gint64 run_id;
  gboolean ok;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (filter != NULL && promotion != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_can_send (db, promotion, output_path, &settings, error))
    return FALSE;
  preview = collect (db, filter, promotion, 0, ids, error);
  if (preview == NULL)
    return FALSE;
  run_id = joren_promotion_insert_run (db, "campaign", promotion, staff_id, output_path,
                                       preview->no_consent, ids, error);
  if (run_id == 0)
    return FALSE;
  if (out_run_id != NULL)
    *out_run_id = run_id;
  ok = settings != NULL ? send_emails (db, run_id, ids, promotion, settings, error)
                        : print_paper (db, run_id, ids, promotion, output_path, error);
  finish_run (db, run_id);
  return ok;
}

/* --- in a worker thread --- */

typedef struct {
  char                  *path;
  JorenSegmentFilter     filter;   /* times and store owned here */
  JorenPromotionChannel  channel;
  char                  *name;
  char                  *subject;
  char                  *body;
  gint64                 staff_id;
  char                  *output_path;
} SendData;

static GDateTime *
ref_or_null (GDateTime *time)
{
  return time != NULL ? g_date_time_ref (time) : NULL;
}

static void
send_data_free (SendData *data)
{
  JorenSegmentFilter *f = &data->filter;

  g_clear_pointer (&f->period_from, g_date_time_unref);
  g_clear_pointer (&f->period_to, g_date_time_unref);
  g_clear_pointer (&f->last_visit_before, g_date_time_unref);
  g_clear_pointer (&f->last_visit_after, g_date_time_unref);
  g_clear_pointer (&f->now, g_date_time_unref);
  g_free ((char *) f->store);
  g_free (data->path);
  g_free (data->name);
  g_free (data->subject);
  g_free (data->body);
  g_free (data->output_path);
  g_free (data);
}

static void
send_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SendData *data = task_data;
  JorenPromotion promotion = { data->channel, data->name, data->subject, data->body };
  g_autoptr(JorenDb) db = NULL;
  GError *error = NULL;
  gint64 run_id = 0;

  /* Its own connection: statements are cached per connection. */
  db = joren_db_open (data->path, &error);
  if (db != NULL
      && joren_promotion_send (db, &data->filter, &promotion, data->staff_id, data->output_path,
                               &run_id, &error))
    g_task_return_int (task, run_id);
  else
    g_task_return_error (task, error);
}

void
joren_promotion_send_async (JorenDb                  *db,
                            const JorenSegmentFilter *filter,
                            const JorenPromotion     *promotion,
                            gint64                    staff_id,
                            const char               *output_path,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (filter != NULL && promotion != NULL);

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, joren_promotion_send_async);
  data = g_new0 (SendData, 1);
  data->path = g_strdup (joren_db_get_path (db));
  data->filter = *filter;
  data->filter.period_from = ref_or_null (filter->period_from);
  data->filter.period_to = ref_or_null (filter->period_to);
  data->filter.last_visit_before = ref_or_null (filter->last_visit_before);
  data->filter.last_visit_after = ref_or_null (filter->last_visit_after);
  data->filter.now = ref_or_null (filter->now);
  data->filter.store = g_strdup (filter->store);
  data->channel = promotion->channel;
  data->name = g_strdup (promotion->name);
  data->subject = g_strdup (promotion->subject);
  data->body = g_strdup (promotion->body);
  data->staff_id = staff_id;
  data->output_path = g_strdup (output_path);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  g_task_run_in_thread (task, send_in_thread);
}

gboolean
joren_promotion_send_finish (JorenDb       *db,
                             GAsyncResult  *result,
                             gint64        *out_run_id,
                             GError       **error)
{
  gssize run_id;

  g_return_val_if_fail (g_task_is_valid (result, db), FALSE);

  run_id = g_task_propagate_int (G_TASK (result), error);
  if (out_run_id != NULL)
    *out_run_id = run_id > 0 ? run_id : 0;
  return run_id > 0;
}

/* --- the send log --- */

void
joren_promotion_run_free (JorenPromotionRun *run)
{
  if (run == NULL)
    return;
  g_free (run->kind);
  g_free (run->name);
  g_free (run->staff_name);
  g_free (run->output_path);
  g_clear_pointer (&run->created_at, g_date_time_unref);
  g_free (run);
}

void
joren_promotion_recipient_free (JorenPromotionRecipient *recipient)
{
  if (recipient == NULL)
    return;
  g_free (recipient->name);
  g_free (recipient->status);
  g_free (recipient->error);
  g_clear_pointer (&recipient->at, g_date_time_unref);
  g_free (recipient);
}

static JorenPromotionRun *
read_run (sqlite3_stmt *stmt)
{
  JorenPromotionRun *run = g_new0 (JorenPromotionRun, 1);
  g_autofree char *channel = joren_db_column_dup_text (stmt, 2);

  run->id = sqlite3_column_int64 (stmt, 0);
  run->kind = joren_db_column_dup_text (stmt, 1);
  run->channel = channel_from_string (channel);
  run->name = joren_db_column_dup_text (stmt, 3);
  run->staff_name = joren_db_column_dup_text (stmt, 4);
  run->output_path = joren_db_column_dup_text (stmt, 5);
  run->n_excluded = sqlite3_column_int (stmt, 6);
  run->created_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 7));
  run->n_sent = sqlite3_column_int (stmt, 8);
  run->n_failed = sqlite3_column_int (stmt, 9);
  run->n_pending = sqlite3_column_int (stmt, 10);
  return run;
}

GPtrArray *
joren_promotion_list_runs (JorenDb  *db,
                           guint     limit,
                           GError  **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_promotion_run_free);
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db,
      "SELECT r.id, r.kind, r.channel, r.name, s.name, r.output_path, r.n_excluded, r.created_at,"
      " (SELECT count (*) FROM promotion_recipients p WHERE p.run_id = r.id"
      "   AND p.status IN ('sent', 'printed')),"
      " (SELECT count (*) FROM promotion_recipients p WHERE p.run_id = r.id AND p.status = 'failed'),"
      " (SELECT count (*) FROM promotion_recipients p WHERE p.run_id = r.id AND p.status = 'pending')"
      " FROM promotion_runs r LEFT JOIN staff s ON s.id = r.staff_id"
      " ORDER BY r.id DESC LIMIT ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit ? limit : G_MAXINT64);
  while (joren_db_step_row (db, stmt, &has_row, _("Could not read the send log."), error) && has_row)
    g_ptr_array_add (runs, read_run (stmt));
  return has_row ? NULL : g_steal_pointer (&runs);
}

GPtrArray *
joren_promotion_list_recipients (JorenDb  *db,
                                 gint64    run_id,
                                 GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_promotion_recipient_free);
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db,
      "SELECT p.customer_id, c.name, p.status, p.error, p.at FROM promotion_recipients p"
      " JOIN customers c ON c.id = p.customer_id WHERE p.run_id = ?1 ORDER BY p.customer_id",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  while (joren_db_step_row (db, stmt, &has_row, _("Could not read the send log."), error) && has_row)
    {
      JorenPromotionRecipient *r = g_new0 (JorenPromotionRecipient, 1);

      r->customer_id = sqlite3_column_int64 (stmt, 0);
      r->name = joren_db_column_dup_text (stmt, 1);
      r->status = joren_db_column_dup_text (stmt, 2);
      r->error = joren_db_column_dup_text (stmt, 3);
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        r->at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 4));
      g_ptr_array_add (list, r);
    }
  return has_row ? NULL : g_steal_pointer (&list);
}

/* --- settings --- */

JorenMailSettings *
joren_promotion_get_mail_settings (JorenDb *db)
{
  g_autofree char *host = NULL;
  g_autofree char *tls = NULL;
  JorenMailSettings *settings;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  host = joren_db_get_setting (db, "mail.host");
  if (is_blank (host))
    return NULL;
  tls = joren_db_get_setting (db, "mail.tls");
  settings = g_new0 (JorenMailSettings, 1);
  settings->host = g_steal_pointer (&host);
  settings->port = joren_db_get_setting_int (db, "mail.port", 0);
  settings->tls = joren_mail_tls_from_string (tls);
  settings->user = joren_db_get_setting (db, "mail.user");
  settings->password = joren_db_get_setting (db, "mail.password");
  settings->from = joren_db_get_setting (db, "mail.from");
  settings->from_name = joren_db_get_setting (db, "mail.from_name");
  if (settings->from == NULL)
    settings->from = g_strdup ("");
  return settings;
}

gboolean
joren_promotion_set_mail_settings (JorenDb                 *db,
                                   const JorenMailSettings *settings,
                                   GError                 **error)
{
  g_autofree char *port = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  port = settings->port ? g_strdup_printf ("%u", settings->port) : NULL;
  return joren_db_set_setting (db, "mail.host", settings->host, error)
         && joren_db_set_setting (db, "mail.port", port, error)
         && joren_db_set_setting (db, "mail.tls", joren_mail_tls_to_string (settings->tls), error)
         && joren_db_set_setting (db, "mail.user", settings->user, error)
         && joren_db_set_setting (db, "mail.password", settings->password, error)
         && joren_db_set_setting (db, "mail.from", settings->from, error)
         && joren_db_set_setting (db, "mail.from_name", settings->from_name, error);
}

/* --- unsubscribe --- */

char *
joren_promotion_unsubscribe_secret (JorenDb *db)
{
  char *secret = NULL;
  guchar bytes[32];

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  secret = joren_db_get_setting (db, "promotion.unsubscribe_secret");
  if (!is_blank (secret))
    return secret;
  g_free (secret);
  if (sodium_init () < 0)
    g_error ("libsodium could not start");
  randombytes_buf (bytes, sizeof bytes);
  secret = g_base64_encode (bytes, sizeof bytes);
  joren_db_set_setting (db, "promotion.unsubscribe_secret", secret, NULL);
  return secret;
}

char *
joren_promotion_unsubscribe_signature (const char *secret,
                                       const char *customer_uuid)
{
  g_autofree char *message = NULL;
  g_autofree char *hmac = NULL;

  g_return_val_if_fail (secret != NULL && customer_uuid != NULL, NULL);

  message = g_strconcat ("unsubscribe:", customer_uuid, NULL);
  hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret),
                                    message, -1);
  return g_strndup (hmac, 32);
}

static char *
sign_id (JorenDb *db,
         gint64   customer_id)
{
  g_autofree char *secret = joren_promotion_unsubscribe_secret (db);
  g_autofree char *id = g_strdup_printf ("unsubscribe:%" G_GINT64_FORMAT, customer_id);
  g_autofree char *hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) secret,
                                                     strlen (secret), id, -1);

  return g_strndup (hmac, 24);
}

char *
joren_promotion_unsubscribe_token (JorenDb *db,
                                   gint64   customer_id)
{
  g_autofree char *signature = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  signature = sign_id (db, customer_id);
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%s", customer_id, signature);
}

gboolean
joren_promotion_unsubscribe (JorenDb     *db,
                             const char  *token,
                             GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *expected = NULL;
  gint64 id;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  id = g_ascii_strtoll (token, NULL, 10);
  expected = id > 0 ? joren_promotion_unsubscribe_token (db, id) : NULL;
  if (expected == NULL || strcmp (expected, token) != 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("This unsubscribe link is not valid."));
      return FALSE;
    }
  stmt = joren_db_prepare (db, "UPDATE customers SET consent_email = 0 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return joren_db_step_done (db, stmt, _("Could not save the customer."), error);
}
