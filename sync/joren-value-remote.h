/* joren-value-remote.h: the server-backed JorenValueAuthority. Online,
 * every voucher or account tender and every e-coupon code is held on
 * joren-server (POST /v1/holds), so two registers cannot spend one
 * balance or one code twice; the sale's value or coupon op, pushed by the
 * sync worker, settles the hold ("the capture travels with the sale").
 * When the server does not answer within a short timeout the owner's
 * offline policy decides (joren-value-offline.h): refuse, or take it
 * within caps against the balance this register last heard of, recorded
 * and reconciled by the server later. Calls block for at most the
 * timeout: the till shows a spinner, never a frozen screen for long. */
#pragma once

#include "joren-value.h"

G_BEGIN_DECLS

#define JOREN_TYPE_VALUE_REMOTE (joren_value_remote_get_type ())
G_DECLARE_FINAL_TYPE (JorenValueRemote, joren_value_remote, JOREN, VALUE_REMOTE, GObject)

/* db: this register's database (the offline fallback); base_url and
 * token as paired. */
JorenValueRemote *joren_value_remote_new          (JorenDb          *db,
                                                   const char       *base_url,
                                                   const char       *token);
/* Whole-request timeout (default 3 s) and how long a hold lasts on the
 * server unless the sale is committed (default 120 s). */
void              joren_value_remote_set_timing   (JorenValueRemote *self,
                                                   guint             timeout_s,
                                                   guint             hold_ttl_s);
/* The cashier's message for the server's refusal of a hold, capture,
 * void or coupon claim: reason is the API's error code (docs/API.md,
 * "Shared balances: holds"). server_text, the server's own English
 * words, is shown only for a code this register does not know. */
char             *joren_value_remote_describe_refusal (const char *reason,
                                                       const char *server_text);
/* TRUE while the last call could not reach the server. */
gboolean          joren_value_remote_is_offline   (JorenValueRemote *self);
/* Claims an e-coupon code for the sale; returns the claim's hold id
 * (release it with joren_value_authority_release when the coupon comes
 * off the sale). Refused when the code was used or is being used at
 * another register. */
char             *joren_value_remote_claim_coupon (JorenValueRemote *self,
                                                   const char       *code,
                                                   const char       *sale_uuid,
                                                   GError          **error);

G_END_DECLS
