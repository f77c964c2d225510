/* joren-coupon-mail.h: e-coupons for the customers of a segment, each
 * e-mailed their own code. The promotion's subject and body may hold
 * {coupon} (the code as XXXXX-XXXXX) beside the promotion placeholders
 * ({name}, {points}, {birthday}, {shop}). Only customers who consented
 * to e-mail and have an address get a code; the code is issued to that
 * customer (joren_coupon_issue with their id) just before their message
 * goes out, so nobody holds a code they were never sent unless the
 * server refused that one address. The run goes into the promotions'
 * send log like any campaign (kind "campaign", the promotion's name). */
#pragma once

#include "joren-coupon.h"
#include "joren-promotion.h"

G_BEGIN_DECLS

/* promotion->channel must be JOREN_PROMOTION_EMAIL. *out_sent (may be
 * NULL): messages accepted by the server. INVALID without a mail server,
 * NOT_FOUND for an unknown campaign, JOREN_COUPON_ERROR_EXPIRED for a
 * stopped one. A server that cannot be reached stops the run (the rest
 * stay "pending" in the log). */
gboolean  joren_coupon_send_to_segment (JorenDb                  *db,
                                        const JorenSegmentFilter *filter,
                                        gint64                    campaign_id,
                                        const JorenPromotion     *promotion,
                                        gint64                    staff_id,
                                        gint64                   *out_run_id,
                                        guint                    *out_sent,
                                        GError                  **error);

/* The promotion's preview (joren_promotion_preview) with {coupon} shown
 * as JOREN_COUPON_MAIL_SAMPLE_CODE: who will get a code, who is left out
 * and why, and the first messages as they will read. */
#define JOREN_COUPON_MAIL_SAMPLE_CODE "XXXXX-XXXXX"

JorenPromotionPreview *joren_coupon_mail_preview (JorenDb                  *db,
                                                  const JorenSegmentFilter *filter,
                                                  const JorenPromotion     *promotion,
                                                  guint                     n_samples,
                                                  GError                  **error);

/* Both in a worker thread on a connection of its own, so the back office
 * stays responsive over a big segment or a slow mail server. */
void                   joren_coupon_mail_preview_async  (JorenDb                  *db,
                                                         const JorenSegmentFilter *filter,
                                                         const JorenPromotion     *promotion,
                                                         guint                     n_samples,
                                                         GCancellable             *cancellable,
                                                         GAsyncReadyCallback       callback,
                                                         gpointer                  user_data);
JorenPromotionPreview *joren_coupon_mail_preview_finish (JorenDb       *db,
                                                         GAsyncResult  *result,
                                                         GError       **error);
void                   joren_coupon_send_to_segment_async  (JorenDb                  *db,
                                                            const JorenSegmentFilter *filter,
                                                            gint64                    campaign_id,
                                                            const JorenPromotion     *promotion,
                                                            gint64                    staff_id,
                                                            GCancellable             *cancellable,
                                                            GAsyncReadyCallback       callback,
                                                            gpointer                  user_data);
/* *out_run_id is set whenever the run was logged, also when it stopped
 * with an error part way (its send log says who got a message). */
gboolean               joren_coupon_send_to_segment_finish (JorenDb       *db,
                                                            GAsyncResult  *result,
                                                            gint64        *out_run_id,
                                                            guint         *out_sent,
                                                            GError       **error);

G_END_DECLS
