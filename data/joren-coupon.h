/* joren-coupon.h: e-coupons. A campaign (value, conditions, validity
 * window) issues single-use codes, to a customer or in a batch, to send
 * by e-mail or print as a QR code. At the till a code is scanned or
 * typed, checked against the sale, and applied as a discount:
 *
 *   amount    -> the receipt discount (JOREN_DISCOUNT_AMOUNT, capped by
 *                what the goods cost)
 *   percent   -> the receipt discount (JOREN_DISCOUNT_PERCENT)
 *   free item -> one unit of the first qualifying line free (a line
 *                discount of JOREN_DISCOUNT_AMOUNT = its unit price)
 *
 * The code is kept on the sale (joren_sale_get_coupon_code) and redeemed
 * inside joren_db_commit_sale's transaction: a code already redeemed by
 * another register fails the commit with JOREN_COUPON_ERROR_USED and
 * nothing is stored, so a code can never be used twice.
 *
 * Campaigns and codes travel between registers (joren-coupon-sync.h):
 * a code issued in one store is accepted in every other; a campaign is
 * changed only on the register that created it (owner_register).
 *
 * Codes: 10 characters from an alphabet without look-alikes
 * (23456789ABCDEFGHJKLMNPQRSTUVWXYZ: no 0/O, 1/I), the last one a check
 * character (weighted sum mod 32), shown as XXXXX-XXXXX. Typing is
 * forgiving: case, spaces and dashes do not matter. */
#pragma once

#include <glib-object.h>

#include "joren-db.h"
#include "joren-sale.h"

G_BEGIN_DECLS

#define JOREN_COUPON_ERROR (joren_coupon_error_quark ())

/* Why a code cannot be used: each has its own message for the cashier. */
typedef enum {
  JOREN_COUPON_ERROR_MISTYPED,      /* check character wrong, or not a code at all */
  JOREN_COUPON_ERROR_UNKNOWN,       /* well formed, but no such code */
  JOREN_COUPON_ERROR_USED,          /* already redeemed */
  JOREN_COUPON_ERROR_NOT_YET_VALID, /* before the campaign starts */
  JOREN_COUPON_ERROR_EXPIRED,       /* after the campaign ends, or it was stopped */
  JOREN_COUPON_ERROR_MINIMUM,       /* the sale does not reach the minimum spend */
  JOREN_COUPON_ERROR_NO_ITEM,       /* no product of the campaign in the sale */
  JOREN_COUPON_ERROR_NOT_ALLOWED,   /* the sale already has a discount, or is a refund */
} JorenCouponError;

GQuark joren_coupon_error_quark (void);

typedef enum {
  JOREN_COUPON_AMOUNT,     /* value: minor units off the receipt */
  JOREN_COUPON_PERCENT,    /* value: basis points off the receipt (1000 = 10 %) */
  JOREN_COUPON_FREE_ITEM,  /* one qualifying item free; value unused */
} JorenCouponKind;

typedef struct {
  gint64           id;             /* set when added */
  char            *name;
  JorenCouponKind  kind;
  gint64           value;
  gint64           min_spend;      /* goods total before the coupon; 0: none */
  GArray          *product_ids;    /* gint64; with category_ids empty: every product */
  GArray          *category_ids;   /* gint64 */
  GDateTime       *valid_from;     /* NULL: open */
  GDateTime       *valid_until;    /* exclusive; NULL: open */
  guint            max_uses;       /* per code; always 1 for now */
  gboolean         active;         /* FALSE: stopped, its codes no longer work */
  /* 0: created on this register; else the (server) id of the register
   * that owns it, whose changes arrive by sync: read-only here. */
  gint64           owner_register;
  /* When loaded: how many codes were issued and redeemed. */
  guint            n_issued;
  guint            n_redeemed;
} JorenCouponCampaign;

JorenCouponCampaign *joren_coupon_campaign_new   (const char      *name,
                                                  JorenCouponKind  kind,
                                                  gint64           value);
void                 joren_coupon_campaign_free  (JorenCouponCampaign *campaign);
/* Stores a new campaign and sets its id; INVALID for a percent above
 * 100 %, a negative amount or an empty name. */
gboolean             joren_coupon_campaign_add   (JorenDb              *db,
                                                  JorenCouponCampaign  *campaign,
                                                  GError              **error);
/* PERMISSION for another register's campaign (see owner_register). */
gboolean             joren_coupon_campaign_set_active (JorenDb  *db,
                                                       gint64    campaign_id,
                                                       gboolean  active,
                                                       GError  **error);
/* Every campaign, newest first, with its counts. */
GPtrArray           *joren_coupon_campaign_list  (JorenDb  *db,
                                                  GError  **error);
JorenCouponCampaign *joren_coupon_campaign_load  (JorenDb  *db,
                                                  gint64    campaign_id,
                                                  GError  **error);

/* ---- codes ------------------------------------------------------------ */

#define JOREN_COUPON_CODE_LENGTH 10

/* A random well-formed code (not checked against the database). */
char      *joren_coupon_code_generate  (void);
/* Uppercase, spaces and dashes dropped; NULL when the result is not
 * JOREN_COUPON_CODE_LENGTH characters of the alphabet. */
char      *joren_coupon_code_normalize (const char *typed);
gboolean   joren_coupon_code_check_ok  (const char *normalized);
/* "ABCDE-FGHJK" for printing and e-mail. */
char      *joren_coupon_code_format    (const char *code);

/* Issues n new codes of the campaign, to customer_id (0: a batch for
 * anyone). Returns the codes (char *), normalized. */
GPtrArray *joren_coupon_issue          (JorenDb  *db,
                                        gint64    campaign_id,
                                        gint64    customer_id,
                                        guint     n,
                                        GError  **error);

typedef struct {
  char      *code;
  gint64     campaign_id;
  gint64     customer_id;     /* 0: batch */
  GDateTime *issued_at;
  GDateTime *redeemed_at;     /* NULL: not used yet */
  char      *receipt_no;      /* the sale that used it; NULL when another
                               * register did (redeemed_at set) */
} JorenCouponCode;

void       joren_coupon_code_free      (JorenCouponCode *code);
/* The campaign's codes, oldest first. */
GPtrArray *joren_coupon_list_codes     (JorenDb  *db,
                                        gint64    campaign_id,
                                        GError  **error);

/* ---- at the till ------------------------------------------------------ */

/* Can the code (as typed or scanned) be used on this sale now? On
 * success *out_campaign (may be NULL) is its campaign. The error is a
 * JOREN_COUPON_ERROR saying why not. */
gboolean   joren_coupon_check          (JorenDb              *db,
                                        const char           *code,
                                        JorenSale            *sale,
                                        JorenCouponCampaign **out_campaign,
                                        GError              **error);
/* Checks, then applies the discount (see the top of this file) and puts
 * the code on the sale. One coupon per sale. */
gboolean   joren_coupon_apply          (JorenDb     *db,
                                        JorenSale   *sale,
                                        const char  *code,
                                        GError     **error);
/* Takes the coupon and its discount off the sale again. */
void       joren_coupon_remove         (JorenSale *sale);
/* What the coupon takes off this sale now (0 when none applied). */
gint64     joren_coupon_get_discount   (JorenSale *sale);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenCouponCampaign, joren_coupon_campaign_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenCouponCode, joren_coupon_code_free)

G_END_DECLS
