/* joren-server-value.h: shared balances on joren-server. The chain's
 * value accounts (gift vouchers, prepaid cards, customer accounts) and
 * their ledger arrive as "value" ops from the registers, like points; a
 * balance is the sum of the ledger. Before a register takes a voucher or
 * an e-coupon code as payment it asks here for a hold: one server
 * transaction checks the balance minus every active hold (or that no one
 * else holds or used the code) and reserves it, so two tills can never
 * spend one balance twice. A hold expires unless captured; a capture or a
 * void happens at most once (the same op id repeats the answer); the
 * sale's "value" or "coupon" op settles its holds. Ops that come without
 * a hold were taken offline: they are applied (they are facts), flagged,
 * and any overdraft they cause is recorded in value_conflicts. */
#pragma once

#include "joren-server-db.h"

G_BEGIN_DECLS

#define JOREN_SERVER_HOLD_TTL_S 120
#define JOREN_SERVER_HOLD_MAX_TTL_S 3600

typedef struct {
  char  *id;          /* uuid */
  char  *state;       /* "held", "captured", "voided", "expired", "settled" */
  char  *number;      /* the account, or NULL for a coupon hold */
  char  *coupon;      /* the code, or NULL */
  char  *sale_uuid;
  gint64 amount;      /* 0 for a coupon */
  gint64 expires_at;  /* unix microseconds */
} JorenServerHold;

typedef struct {
  const char *op_id;
  const char *number;     /* exactly one of number and coupon */
  const char *coupon;
  gint64      amount;
  const char *sale_uuid;
  guint       ttl_s;      /* 0: JOREN_SERVER_HOLD_TTL_S */
} JorenServerHoldRequest;

void             joren_server_hold_free          (JorenServerHold *hold);

/* A new hold, or the one this op id made before (*replayed TRUE). On
 * refusal returns NULL with JOREN_SYNC_ERROR_REFUSED and *reason set:
 * "unknown_account", "insufficient_balance", "account_expired",
 * "coupon_used", "coupon_held", "op_id_conflict". */
JorenServerHold *joren_server_value_hold         (JorenServerDb                *db,
                                                  gint64                        register_id,
                                                  const JorenServerHoldRequest *request,
                                                  gboolean                     *replayed,
                                                  const char                  **reason,
                                                  GError                      **error);
/* Captures (capture TRUE) or voids a hold of this register, once; the
 * same op id again answers the same. Reasons: "not_found",
 * "hold_finished", "hold_expired". */
JorenServerHold *joren_server_value_finish_hold  (JorenServerDb  *db,
                                                  gint64          register_id,
                                                  const char     *hold_id,
                                                  const char     *op_id,
                                                  gboolean        capture,
                                                  const char    **reason,
                                                  GError        **error);
/* {"number","kind","balance","held","available","expires_at"?}, or NULL
 * for an unknown number. */
cJSON           *joren_server_value_account_json (JorenServerDb  *db,
                                                  const char     *number);
/* Recorded conflicts (overdrafts, a code used twice) from offline ops. */
gint64           joren_server_value_count_conflicts (JorenServerDb *db);
/* The conflicts as a table for the owner (`joren-server --list-conflicts`):
 * one line each, oldest first, with when, what, the voucher number or
 * code, the amount overdrawn, the register whose offline op caused it
 * and the other registers that spent the same voucher or code. */
char            *joren_server_value_describe_conflicts (JorenServerDb *db);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenServerHold, joren_server_hold_free)

G_END_DECLS
