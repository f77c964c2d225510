/* joren-value-offline.h: the owner's policy for vouchers and coupon codes
 * while joren-server cannot be reached, and the register's record of
 * what it accepted under it. Refuse (the default) never risks a balance;
 * allow takes them within caps per sale, per card and per outage, each
 * recorded here, and the server reconciles the pushed entries (an
 * overdraft is recorded there, never dropped). */
#pragma once

#include "joren-db.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_VALUE_OFFLINE_REFUSE,
  JOREN_VALUE_OFFLINE_ALLOW,
} JorenValueOfflinePolicy;

typedef struct {
  JorenValueOfflinePolicy policy;   /* value.offline_policy: "refuse" | "allow" */
  gint64 max_per_sale;              /* value.offline_max_per_sale, minor units; 0: no cap */
  gint64 max_per_card;              /* value.offline_max_per_card, per outage */
  gint64 max_per_outage;            /* value.offline_max_per_outage, this register */
} JorenValueOfflineSettings;

void      joren_value_offline_get_settings (JorenDb                   *db,
                                            JorenValueOfflineSettings *out);
/* An amount accepted offline under hold_id (a local hold). outage: when
 * the outage began (unix µs), the caps' window. */
gboolean  joren_value_offline_record       (JorenDb     *db,
                                            const char  *hold_id,
                                            const char  *number,
                                            gint64       amount,
                                            const char  *sale_uuid,
                                            gint64       outage,
                                            GError     **error);
/* What the outage accepted so far: in all, for number (NULL: any) and
 * for sale_uuid (NULL: any). */
gint64    joren_value_offline_sum          (JorenDb     *db,
                                            gint64       outage,
                                            const char  *number,
                                            const char  *sale_uuid);
gint64    joren_value_offline_count        (JorenDb     *db);
/* Why amount would go over a cap (a message for the cashier), or TRUE. */
gboolean  joren_value_offline_check_caps   (JorenDb     *db,
                                            gint64       outage,
                                            const char  *number,
                                            gint64       amount,
                                            const char  *sale_uuid,
                                            GError     **error);

G_END_DECLS
