/* joren-punch.h: count cards (計次卡 / 回数券: "10 visits of Coffee") and
 * stamp cards ("every 10th coffee free"). Both keep their balances in an
 * append-only ledger like the points (joren-points.h): visits left on a
 * card and a customer's stamps are sums of rows, and the rows of a sale
 * are written by joren_db_commit_sale in the sale's own transaction,
 * unique per sale, so a retried commit never counts them twice.
 *
 * A count card is a product the owner marks (JorenPunchProduct). Selling
 * it to a customer issues one card per unit; at the till a visit adds a
 * JOREN_LINE_VISIT line (reference: the card id) for the covered product
 * at amount 0, and the commit writes the use. A stamp programme earns one
 * stamp per qualifying item bought by a customer; with stamps_needed
 * stamps the next qualifying item may be taken free (a 100 % line
 * discount whose reference is "stamp:<programme id>"). Refunds reverse
 * what the refunded lines issued, used, earned or redeemed. */
#pragma once

#include "joren-db.h"
#include "joren-sale.h"

G_BEGIN_DECLS

typedef struct {
  gint64 product_id;          /* the card product */
  guint  visits;              /* > 0 */
  guint  valid_days;          /* 0: never expires */
  gint64 covers_product_id;   /* a visit pays for this product ... */
  gint64 covers_category_id;  /* ... or any product of this category (0: none) */
} JorenPunchProduct;

/* Marks (or changes) a product as a count card. */
gboolean   joren_punch_set_product      (JorenDb                  *db,
                                         const JorenPunchProduct  *product,
                                         GError                  **error);
gboolean   joren_punch_remove_product   (JorenDb  *db,
                                         gint64    product_id,
                                         GError  **error);
/* FALSE when the product is no count card. */
gboolean   joren_punch_get_product      (JorenDb            *db,
                                         gint64              product_id,
                                         JorenPunchProduct  *out);
/* Every count-card product (JorenPunchProduct), by product name. */
GArray    *joren_punch_list_products    (JorenDb  *db,
                                         GError  **error);

typedef struct {
  gint64  id;                 /* set when added */
  char   *name;               /* "Coffee stamps" */
  gint64  product_id;         /* the qualifying product ... */
  gint64  category_id;        /* ... or category (0: none) */
  guint   stamps_needed;      /* every Nth item is free; >= 2 */
} JorenStampProgramme;

void       joren_stamp_programme_free   (JorenStampProgramme *programme);
gboolean   joren_punch_add_programme    (JorenDb              *db,
                                         JorenStampProgramme  *programme,
                                         GError              **error);
/* Ends a programme: the stamps stay in the ledger, no new ones are earned. */
gboolean   joren_punch_remove_programme (JorenDb  *db,
                                         gint64    programme_id,
                                         GError  **error);
/* The active programmes (JorenStampProgramme*). */
GPtrArray *joren_punch_list_programmes  (JorenDb  *db,
                                         GError  **error);

typedef struct {
  gint64      id;
  char       *name;           /* the card product's name at the sale */
  gint64      visits;         /* issued */
  gint64      visits_left;    /* the ledger's sum */
  gint64      covers_product_id;
  gint64      covers_category_id;
  GDateTime  *expires_at;     /* NULL: never */
} JorenPunchCard;

void       joren_punch_card_free        (JorenPunchCard *card);
/* The customer's cards with visits left that have not expired at now
 * (NULL: the current time), soonest to expire first. */
GPtrArray *joren_punch_list_cards       (JorenDb    *db,
                                         gint64      customer_id,
                                         GDateTime  *now,
                                         GError    **error);

typedef struct {
  gint64  programme_id;
  char   *name;
  gint64  stamps;             /* the ledger's sum */
  guint   stamps_needed;
} JorenStampBalance;

void       joren_stamp_balance_free     (JorenStampBalance *balance);
/* The customer's stamps on every active programme (zero included). */
GPtrArray *joren_punch_list_stamps      (JorenDb  *db,
                                         gint64    customer_id,
                                         GError  **error);

/* Uses one visit of card_id on the sale: one unit of a covered goods line
 * already on the sale becomes a visit line, else the covered product is
 * added as one. Refuses another customer's, expired or used-up cards
 * (counting the visits already on this sale) with a message for the
 * cashier. Returns the visit line's index, or G_MAXUINT with error. */
guint      joren_punch_add_visit        (JorenDb    *db,
                                         JorenSale  *sale,
                                         gint64      card_id,
                                         GError    **error);
/* Visits of card_id already on the sale (not yet committed). */
gint64     joren_punch_visits_on_sale   (JorenSale  *sale,
                                         gint64      card_id);

/* The programme whose free item the till may offer on this sale: the
 * customer has the stamps (minus free items already on the sale) and a
 * paid qualifying item is on it. 0: none. */
gint64     joren_punch_free_item_offer  (JorenDb    *db,
                                         JorenSale  *sale);
/* Makes one unit of a paid qualifying item free (a 100 % discount line
 * with reference "stamp:<id>"); the commit redeems the stamps. */
gboolean   joren_punch_apply_free_item  (JorenDb    *db,
                                         JorenSale  *sale,
                                         gint64      programme_id,
                                         GError    **error);

/* Expires what is left on every card whose expiry is at or before now
 * (NULL: the current time). Running it twice expires nothing more.
 * *out_expired: visits expired in total. */
gboolean   joren_punch_expire           (JorenDb    *db,
                                         GDateTime  *now,
                                         gint64     *out_expired,
                                         GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenStampProgramme, joren_stamp_programme_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenPunchCard, joren_punch_card_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenStampBalance, joren_stamp_balance_free)

G_END_DECLS
