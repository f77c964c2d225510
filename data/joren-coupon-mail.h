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

G_END_DECLS
