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
