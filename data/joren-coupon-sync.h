/* joren-coupon-sync.h: e-coupon campaigns and codes between registers,
 * both halves: the outbox turns this register's marks (schema 011) into
 * "coupon_campaign" and "coupon_codes" ops, the replica applies the
 * feed's entities of the same names and "coupon_redemption". A campaign is owned by the register
 * that created it (elsewhere it is read-only); codes are facts, appended
 * everywhere. Not for use outside data/: both run inside the outbox's or
 * the replica's transaction. */
#pragma once

#include <cjson/cJSON.h>

#include "joren-db.h"

G_BEGIN_DECLS

/* At most this many codes travel in one op, so a batch of 100,000 codes
 * makes ops a push request can carry. */
#define JOREN_COUPON_SYNC_MAX_CODES 1000

/* The campaign's op (its whole state); nothing for another register's. */
gboolean  joren_coupon_sync_flush_campaign (JorenDb      *db,
                                            gint64        campaign_id,
                                            GError      **error);
/* One op per batch of the campaign's codes not yet queued. */
gboolean  joren_coupon_sync_flush_codes    (JorenDb      *db,
                                            gint64        campaign_id,
                                            GError      **error);
gboolean  joren_coupon_sync_apply_campaign (JorenDb      *db,
                                            const cJSON  *data,
                                            GError      **error);
/* Another register's redemption (schema 015): the code counts as used
 * here too. Nothing for this register's own. */
gboolean  joren_coupon_sync_apply_redemption (JorenDb     *db,
                                              const cJSON *data,
                                              GError     **error);
gboolean  joren_coupon_sync_apply_codes    (JorenDb      *db,
                                            const cJSON  *data,
                                            GError      **error);

G_END_DECLS
