/* joren-customer.h: the shop's customers (members): who they are, how the
 * till finds them (a scanned card, a phone number or its last four digits,
 * a name or its reading), and what the reception panel shows when one
 * arrives (visits, spend, favourites, birthday, points, a hint for the
 * cashier). Points themselves are in joren-points.h. */
#pragma once

#include "joren-db.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_CARD_BARCODE,
  JOREN_CARD_QR,
  JOREN_CARD_RFID,       /* the UID a reader types */
} JorenCardKind;

struct _JorenCustomerCard {
  char          *code;
  JorenCardKind  kind;
};

struct _JorenCustomer {
  gint64      id;            /* 0 until added */
  char       *member_no;     /* assigned when added: store + "-M" + 6 digits */
  char       *name;
  char       *reading;       /* フリガナ; stored in katakana */
  char       *email;
  char       *birthday;      /* "YYYY-MM-DD" or NULL */
  char       *postal_code;
  char       *address;
  guint       tier;          /* loyalty_tiers.level */
  gboolean    consent_email;
  gboolean    consent_post;
  gboolean    consent_sms;
  char       *notes;
  char       *store;         /* where registered; NULL: this register's prefix */
  GDateTime  *created_at;
  GPtrArray  *phones;        /* char*, as entered; stored normalised */
  GPtrArray  *cards;         /* JorenCustomerCard* */
};

JorenCustomer *joren_customer_new          (void);
void           joren_customer_free         (JorenCustomer *customer);
void           joren_customer_add_phone    (JorenCustomer *customer,
                                            const char    *phone);
void           joren_customer_add_card     (JorenCustomer *customer,
                                            const char    *code,
                                            JorenCardKind  kind);

/* Adds a new customer (id 0) with a gapless member number for its store,
 * phones normalised for the shop's country and cards, in one
 * transaction. A phone number another customer has fails with EXISTS
 * naming that customer's member number, unless force (two customers
 * sharing a landline); a card another customer has always fails with
 * EXISTS. INVALID for a phone number that is no whole number. */
gboolean       joren_customer_add          (JorenDb        *db,
                                            JorenCustomer  *customer,
                                            gboolean        force,
                                            GError        **error);
/* Saves an existing customer: fields, phones and cards replaced. */
gboolean       joren_customer_update       (JorenDb        *db,
                                            JorenCustomer  *customer,
                                            gboolean        force,
                                            GError        **error);
JorenCustomer *joren_customer_get          (JorenDb        *db,
                                            gint64          id,
                                            GError        **error);
/* Registers a card that was scanned but unknown. */
gboolean       joren_customer_register_card (JorenDb        *db,
                                             gint64          customer_id,
                                             const char     *code,
                                             JorenCardKind   kind,
                                             GError        **error);

/* Lookups. find_by_card: NOT_FOUND when no customer has the code (the
 * till then offers to register it). find_by_phone: the full number in
 * any spelling; several customers may share it. find_by_last4 and
 * find_by_name return a pick list (at most limit), ordered by reading
 * then name; find_by_name matches the start of the name or of the
 * reading (hiragana, katakana and half-width katakana alike), taking
 * the first limit matches of each in index order. A pick-list entry
 * holds what its row shows: id, member number, name, reading and one
 * phone (the one that matched the last four digits, else the first);
 * joren_customer_get loads the whole record of the one chosen. */
JorenCustomer *joren_customer_find_by_card  (JorenDb     *db,
                                             const char  *code,
                                             GError     **error);
GPtrArray     *joren_customer_find_by_phone (JorenDb     *db,
                                             const char  *phone,
                                             GError     **error);
GPtrArray     *joren_customer_find_by_last4 (JorenDb     *db,
                                             const char  *last4,
                                             guint        limit,
                                             GError     **error);
GPtrArray     *joren_customer_find_by_name  (JorenDb     *db,
                                             const char  *prefix,
                                             guint        limit,
                                             GError     **error);
/* Readings are kept in katakana: NFKC (half-width to full-width), then
 * hiragana to katakana. */
char          *joren_customer_fold_reading  (const char  *reading);

/* What the reception panel shows. now NULL: the current time. */
struct _JorenCustomerSummary {
  guint       visit_count;       /* sales (not refunds) so far */
  GDateTime  *last_visit;        /* NULL: never */
  gint        days_since_visit;  /* -1: never */
  gint64      total_spend;       /* sales minus refunds, minor units */
  char       *last_receipt_no;
  gint64      last_total;
  char       *favourites[3];     /* product names, most bought first; NULL-padded */
  gint        days_to_birthday;  /* 0 today, -1 unknown */
  gboolean    birthday_soon;     /* within customer.hint_birthday_days */
  gint64      points;
};

void           joren_customer_summary_clear (JorenCustomerSummary *summary);
/* Fills out, which must be empty (zeroed or cleared). */
gboolean       joren_customer_summary      (JorenDb               *db,
                                            const JorenCustomer   *customer,
                                            GDateTime             *now,
                                            JorenCustomerSummary  *out,
                                            GError               **error);
/* One line for the cashier from the rules in settings: first visit
 * (welcome), the customer.hint_regular_visit-th visit (becoming a
 * regular), a birthday within customer.hint_birthday_days, not seen for
 * customer.hint_absent_days, else the customer's notes. NULL: nothing. */
char          *joren_customer_hint         (JorenDb                    *db,
                                            const JorenCustomer        *customer,
                                            const JorenCustomerSummary *summary);

/* Benchmarks: n generated members (joren-customer-bulk.c) numbered 1..n:
 * member "B-M<n>", phone +8190 and n in 8 digits, card "29" and n in 11
 * digits, reading joren_customer_generated_reading (n). */
gboolean       joren_customer_generate      (JorenDb  *db,
                                             guint     n_customers,
                                             GError  **error);
char          *joren_customer_generated_reading (guint n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenCustomer, joren_customer_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JorenCustomerSummary, joren_customer_summary_clear)

G_END_DECLS
