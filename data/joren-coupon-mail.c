/* joren-coupon-mail.c: one e-coupon per customer of a segment, e-mailed.
 * Built on the promotions' pieces (contacts, rendering, the send log,
 * delivery) so consent, the unsubscribe footer and the log work exactly
 * as for any promotion; what is added is the code: issued to the
 * customer at send time and pasted into their copy of the template as
 * {coupon} before the promotion fills in the rest. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "joren-coupon-mail.h"
#include "joren-error.h"
#include "joren-promotion-private.h"

static gboolean
can_email (const JorenContact *contact)
{
  return contact != NULL && contact->consent_email && contact->email != NULL &&
         strchr (contact->email, '@') != NULL;
}

/* The consenting customers with an address; *out_excluded: the rest of
 * the segment, left out for lack of consent. */
static GArray *
find_recipients (JorenDb                  *db,
                 const JorenSegmentFilter *filter,
                 guint64                  *out_excluded,
                 GError                  **error)
{
  JorenSegmentFilter agreed = *filter;
  g_autoptr(JorenSegmentPage) all = joren_segment_run (db, filter, 0, 1, error);
  g_autoptr(JorenSegmentPage) page = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (all == NULL)
    return NULL;
  agreed.conditions |= JOREN_SEGMENT_CONSENT_EMAIL;
  page = joren_segment_run (db, &agreed, 0, 0, error);
  if (page == NULL)
    return NULL;
  *out_excluded = all->total - page->total;
  for (guint i = 0; i < page->ids->len; i++)
    {
      gint64 id = g_array_index (page->ids, gint64, i);
      g_autoptr(JorenContact) contact = joren_contact_load (db, id, NULL);

      if (can_email (contact))
        g_array_append_val (ids, id);
    }
  return g_steal_pointer (&ids);
}

static char *
fill_coupon (const char *text,
             const char *shown)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (values, "coupon", (gpointer) shown);
  return joren_mail_fill_template (text != NULL ? text : "", values);
}

/* Issues the customer's code and sends their message. FALSE only when
 * the run must stop. */
static gboolean
send_one (JorenDb              *db,
          JorenMailSender      *sender,
          gint64                run_id,
          gint64                campaign_id,
          const JorenContact   *contact,
          const JorenPromotion *promotion,
          const char           *shop_name,
          gboolean             *out_sent,
          GError              **error)
{
  g_autoptr(GPtrArray) codes = joren_coupon_issue (db, campaign_id, contact->id, 1, error);
  g_autofree char *shown = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  JorenPromotion own = *promotion;

  *out_sent = FALSE;
  if (codes == NULL)
    return FALSE;
  shown = joren_coupon_code_format (g_ptr_array_index (codes, 0));
  own.subject = subject = fill_coupon (promotion->subject, shown);
  own.body = body = fill_coupon (promotion->body, shown);
  return joren_promotion_deliver (db, sender, run_id, contact, &own, shop_name, out_sent, error);
}

static gboolean
send_all (JorenDb              *db,
          JorenMailSettings    *settings,
          gint64                run_id,
          gint64                campaign_id,
          GArray               *ids,
          const JorenPromotion *promotion,
          guint                *out_sent,
          GError              **error)
{
  g_autoptr(JorenMailSender) sender = joren_mail_sender_new (settings);
  g_autofree char *shop_name = joren_promotion_shop_name (db);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(JorenContact) contact = joren_contact_load (db, id, NULL);
      gboolean sent;

      /* Consent withdrawn since the segment ran: no code, no mail. */
      if (!can_email (contact))
        {
          if (!joren_promotion_mark (db, run_id, id, "failed", _("No consent any more"), error))
            return FALSE;
          continue;
        }
      if (!send_one (db, sender, run_id, campaign_id, contact, promotion, shop_name, &sent, error))
        return FALSE;
      *out_sent += sent;
    }
  return TRUE;
}

static gboolean
check_campaign (JorenDb  *db,
                gint64    campaign_id,
                GError  **error)
{
  g_autoptr(JorenCouponCampaign) campaign = joren_coupon_campaign_load (db, campaign_id, error);

  if (campaign == NULL)
    return FALSE;
  if (!campaign->active)
    {
      g_set_error (error, JOREN_COUPON_ERROR, JOREN_COUPON_ERROR_EXPIRED,
                   _("The campaign “%s” is stopped: start it before sending its codes."),
                   campaign->name);
      return FALSE;
    }
  return TRUE;
}

gboolean
joren_coupon_send_to_segment (JorenDb                  *db,
                              const JorenSegmentFilter *filter,
                              gint64                    campaign_id,
                              const JorenPromotion     *promotion,
                              gint64                    staff_id,
                              gint64                   *out_run_id,
                              guint                    *out_sent,
                              GError                  **error)
{
  g_autoptr(JorenMailSettings) settings = NULL;
  g_autoptr(GArray) ids = NULL;
  guint64 excluded = 0;
  guint sent = 0;
  gint64 run_id;
  gboolean ok;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (filter != NULL && promotion != NULL, FALSE);
  g_return_val_if_fail (promotion->channel == JOREN_PROMOTION_EMAIL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  settings = joren_promotion_get_mail_settings (db);
  if (settings == NULL)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("No mail server is set up: enter it in the promotion settings first."));
      return FALSE;
    }
  if (!check_campaign (db, campaign_id, error) ||
      (ids = find_recipients (db, filter, &excluded, error)) == NULL)
    return FALSE;
  run_id = joren_promotion_insert_run (db, "campaign", promotion, staff_id, NULL, excluded, ids, error);
  if (run_id == 0)
    return FALSE;
  if (out_run_id != NULL)
    *out_run_id = run_id;
  ok = send_all (db, settings, run_id, campaign_id, ids, promotion, &sent, error);
  if (out_sent != NULL)
    *out_sent = sent;
  return ok;
}

/* --- preview ------------------------------------------------------------ */

JorenPromotionPreview *
joren_coupon_mail_preview (JorenDb                  *db,
                           const JorenSegmentFilter *filter,
                           const JorenPromotion     *promotion,
                           guint                     n_samples,
                           GError                  **error)
{
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  JorenPromotion sample;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (filter != NULL && promotion != NULL, NULL);

  sample = *promotion;
  sample.subject = subject = fill_coupon (promotion->subject, JOREN_COUPON_MAIL_SAMPLE_CODE);
  sample.body = body = fill_coupon (promotion->body, JOREN_COUPON_MAIL_SAMPLE_CODE);
  return joren_promotion_preview (db, filter, &sample, n_samples, error);
}

/* --- in a worker thread -------------------------------------------------- */

typedef struct {
  char               *path;
  JorenSegmentFilter  filter;       /* a copy owning its times */
  gint64              campaign_id;
  char               *name;
  char               *subject;
  char               *body;
  gint64              staff_id;
  guint               n_samples;
  gint64              run_id;       /* written by the send thread */
  guint               sent;
} MailTask;

static void
mail_task_free (MailTask *data)
{
  joren_segment_filter_clear (&data->filter);
  g_free (data->path);
  g_free (data->name);
  g_free (data->subject);
  g_free (data->body);
  g_free (data);
}

static GTask *
new_mail_task (JorenDb                  *db,
               const JorenSegmentFilter *filter,
               const JorenPromotion     *promotion,
               GCancellable             *cancellable,
               GAsyncReadyCallback       callback,
               gpointer                  user_data)
{
  GTask *task = g_task_new (db, cancellable, callback, user_data);
  MailTask *data = g_new0 (MailTask, 1);

  data->path = g_strdup (joren_db_get_path (db));
  joren_segment_filter_copy (&data->filter, filter);
  data->name = g_strdup (promotion->name);
  data->subject = g_strdup (promotion->subject);
  data->body = g_strdup (promotion->body);
  g_task_set_task_data (task, data, (GDestroyNotify) mail_task_free);
  return task;
}

static JorenPromotion
task_promotion (const MailTask *data)
{
  return (JorenPromotion) { JOREN_PROMOTION_EMAIL, data->name, data->subject, data->body };
}

static void
preview_in_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  MailTask *data = task_data;
  JorenPromotion promotion = task_promotion (data);
  g_autoptr(JorenDb) db = NULL;
  JorenPromotionPreview *preview = NULL;
  GError *error = NULL;

  /* Its own connection: statements are cached per connection. */
  db = joren_db_open (data->path, &error);
  if (db != NULL)
    preview = joren_coupon_mail_preview (db, &data->filter, &promotion, data->n_samples, &error);
  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, (GDestroyNotify) joren_promotion_preview_free);
}

void
joren_coupon_mail_preview_async (JorenDb                  *db,
                                 const JorenSegmentFilter *filter,
                                 const JorenPromotion     *promotion,
                                 guint                     n_samples,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (filter != NULL && promotion != NULL);

  task = new_mail_task (db, filter, promotion, cancellable, callback, user_data);
  g_task_set_source_tag (task, joren_coupon_mail_preview_async);
  ((MailTask *) g_task_get_task_data (task))->n_samples = n_samples;
  g_task_run_in_thread (task, preview_in_thread);
}

JorenPromotionPreview *
joren_coupon_mail_preview_finish (JorenDb       *db,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
send_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  MailTask *data = task_data;
  JorenPromotion promotion = task_promotion (data);
  g_autoptr(JorenDb) db = NULL;
  GError *error = NULL;

  db = joren_db_open (data->path, &error);
  if (db != NULL
      && joren_coupon_send_to_segment (db, &data->filter, data->campaign_id, &promotion,
                                       data->staff_id, &data->run_id, &data->sent, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
joren_coupon_send_to_segment_async (JorenDb                  *db,
                                    const JorenSegmentFilter *filter,
                                    gint64                    campaign_id,
                                    const JorenPromotion     *promotion,
                                    gint64                    staff_id,
                                    GCancellable             *cancellable,
                                    GAsyncReadyCallback       callback,
                                    gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  MailTask *data;

  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (filter != NULL && promotion != NULL);
  g_return_if_fail (promotion->channel == JOREN_PROMOTION_EMAIL);

  task = new_mail_task (db, filter, promotion, cancellable, callback, user_data);
  g_task_set_source_tag (task, joren_coupon_send_to_segment_async);
  data = g_task_get_task_data (task);
  data->campaign_id = campaign_id;
  data->staff_id = staff_id;
  g_task_run_in_thread (task, send_in_thread);
}

gboolean
joren_coupon_send_to_segment_finish (JorenDb       *db,
                                     GAsyncResult  *result,
                                     gint64        *out_run_id,
                                     guint         *out_sent,
                                     GError       **error)
{
  MailTask *data;

  g_return_val_if_fail (g_task_is_valid (result, db), FALSE);

  /* The thread is done: what it wrote here is read safely. */
  data = g_task_get_task_data (G_TASK (result));
  if (out_run_id != NULL)
    *out_run_id = data->run_id;
  if (out_sent != NULL)
    *out_sent = data->sent;
  return g_task_propagate_boolean (G_TASK (result), error);
}
