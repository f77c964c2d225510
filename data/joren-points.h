/* joren-points.h: loyalty points. Every change is a row in an append-only
 * ledger (earn, redeem, adjust, expire, reversal) with its reason, staff
 * and sale; a balance is the sum of the rows. A sale's rows are written
 * by joren_db_commit_sale in the sale's own transaction, so a retried
 * commit can never count them twice.
 *
 * Earning: earn_points per earn_amount minor units of what the customer
 * paid for each line (after discounts), times the line's multipliers: the
 * customer's tier, the product's rule (else its category's), the best
 * date/time window; excluded products and categories earn nothing, and
 * what was paid in points earns nothing. Points are summed over the sale
 * and ROUNDED DOWN once, so a sale never earns a fraction of a point.
 * Redeeming is a tender (JOREN_TENDER_POINTS): redeem_value minor units
 * per redeem_points points, at least redeem_min points. A refund takes
 * back the earned points in proportion to what it refunds (all of them
 * when everything is refunded) and restores the points it pays back as
 * a points tender. */
#pragma once

#include "joren-db.h"
#include "joren-sale.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_POINTS_RULE_PRODUCT,   /* product_id earns multiplier_bp */
  JOREN_POINTS_RULE_CATEGORY,  /* every product of category_id */
  JOREN_POINTS_RULE_WINDOW,    /* every item in the window */
  JOREN_POINTS_RULE_EXCLUDE,   /* product_id or category_id earns nothing */
} JorenPointsRuleKind;

typedef struct {
  gint64              id;             /* set when added */
  JorenPointsRuleKind kind;
  gint64              product_id;     /* 0: none */
  gint64              category_id;    /* 0: none */
  guint               multiplier_bp;  /* 20000 = double points */
  /* Windows only: [starts_at, ends_at) in unix microseconds (0: open),
   * weekdays as a mask (bit 0 Monday ... bit 6 Sunday; 0 every day) and
   * local minutes of the day [minute_from, minute_to). */
  gint64              starts_at;
  gint64              ends_at;
  guint               weekdays;
  guint               minute_from;
  guint               minute_to;
} JorenPointsRule;

typedef struct {
  gint64 earn_amount;     /* minor units ... */
  gint64 earn_points;     /* ... earn this many points */
  gint64 redeem_points;   /* this many points ... */
  gint64 redeem_value;    /* ... pay this many minor units */
  gint64 redeem_min;      /* points, at least, per redemption */
  gint64 expiry_months;   /* 0: never */
  gint64 tier_months;     /* trailing spend period of the tiers */
} JorenPointsSettings;

/* Settings from the settings table (loyalty.*), defaults where missing. */
void      joren_points_get_settings  (JorenDb              *db,
                                      JorenPointsSettings  *out);
gboolean  joren_points_set_settings  (JorenDb                   *db,
                                      const JorenPointsSettings *settings,
                                      GError                   **error);
gboolean  joren_points_add_rule      (JorenDb          *db,
                                      JorenPointsRule  *rule,
                                      GError          **error);
/* Changes the rule rule->id to the rest of *rule. Windows are checked:
 * times within the day and not equal, the last day after the first. */
gboolean  joren_points_update_rule   (JorenDb                *db,
                                      const JorenPointsRule  *rule,
                                      GError                **error);
gboolean  joren_points_remove_rule   (JorenDb  *db,
                                      gint64    rule_id,
                                      GError  **error);
/* Adds or changes a tier: reached with min_spend over tier_months. */
gboolean  joren_points_set_tier      (JorenDb     *db,
                                      guint        level,
                                      const char  *name,
                                      gint64       min_spend,
                                      guint        multiplier_bp,
                                      GError     **error);

/* The earning rules (JorenPointsRule), in the order they were added. */
GArray   *joren_points_list_rules    (JorenDb  *db,
                                      GError  **error);

typedef struct {
  guint   level;
  char   *name;
  gint64  min_spend;
  guint   multiplier_bp;
} JorenPointsTier;

void      joren_points_tier_free     (JorenPointsTier *tier);
/* The tiers (JorenPointsTier*), lowest level first. */
GPtrArray *joren_points_list_tiers   (JorenDb  *db,
                                      GError  **error);

typedef struct {
  gint64      id;
  char       *kind;         /* "earn", "redeem", "adjust", "expire", "reversal" */
  gint64      points;       /* signed */
  char       *reason;       /* adjustments; NULL otherwise */
  char       *staff_name;   /* NULL for expiry */
  char       *receipt_no;   /* the sale or refund, NULL otherwise */
  GDateTime  *created_at;
} JorenPointsEntry;

void      joren_points_entry_free    (JorenPointsEntry *entry);
/* The customer's ledger, newest first, at most limit rows. */
GPtrArray *joren_points_list         (JorenDb  *db,
                                      gint64    customer_id,
                                      guint     limit,
                                      GError  **error);

/* The sum of the customer's ledger. */
gint64    joren_points_balance       (JorenDb  *db,
                                      gint64    customer_id,
                                      GError  **error);
/* What the sale (kind sale, with a customer) earns if committed at when
 * (NULL: now): for the screen and the receipt before payment. */
gboolean  joren_points_for_sale      (JorenDb    *db,
                                      JorenSale  *sale,
                                      GDateTime  *when,
                                      gint64     *out_points,
                                      GError    **error);
/* Pays part of the sale with points: checks the customer, the minimum,
 * the balance and the rate, then adds a JOREN_TENDER_POINTS tender. */
gboolean  joren_points_add_tender    (JorenDb    *db,
                                      JorenSale  *sale,
                                      gint64      points,
                                      GError    **error);
/* For a refund: how much of it (a negative amount, 0 when nothing) goes
 * back as points, in proportion to the points the original was paid with. */
gint64    joren_points_refund_amount (JorenDb    *db,
                                      JorenSale  *refund,
                                      GError    **error);
/* A manual grant (points > 0) or deduction with a reason, by staff. */
gboolean  joren_points_adjust        (JorenDb     *db,
                                      gint64       customer_id,
                                      gint64       points,
                                      const char  *reason,
                                      gint64       staff_id,
                                      GError     **error);
/* Expires, for every customer, the points earned before now minus
 * expiry_months that are not spent yet (oldest spent first). Running it
 * twice expires nothing more. *out_expired: points expired in total. */
gboolean  joren_points_expire        (JorenDb    *db,
                                      GDateTime  *now,
                                      gint64     *out_expired,
                                      GError    **error);
/* Sets every customer's tier from the spend (sales minus refunds) over
 * the tier_months before now: up and down. */
gboolean  joren_points_update_tiers  (JorenDb    *db,
                                      GDateTime  *now,
                                      GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenPointsEntry, joren_points_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenPointsTier, joren_points_tier_free)

G_END_DECLS
