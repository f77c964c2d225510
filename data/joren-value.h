/* joren-value.h: value accounts. One model for gift vouchers, prepaid
 * cards and customer accounts (pay later): a numbered account with an
 * append-only ledger (issue, topup, redeem, refund, expire, adjust,
 * charge, payment); its balance is the sum of the ledger.
 *
 * Signs: every row is what it does to the balance. Gift vouchers and
 * prepaid cards hold the customer's money (balance >= 0). A customer
 * account goes below zero when a sale is charged to it (charge < 0) and
 * back up when it is paid (payment > 0); its debt is -balance, never
 * more than its credit limit.
 *
 * Selling a voucher or topping up a card is NOT revenue and carries no
 * tax: the sale gets a JOREN_LINE_VALUE_ISSUE line (stored with
 * line_kind 'value'), a liability; revenue and tax arise on the goods
 * the voucher pays for later. Redemption is a JOREN_TENDER_VOUCHER
 * tender, a charge a JOREN_TENDER_ACCOUNT tender, settling an account a
 * JOREN_LINE_ACCOUNT_PAYMENT line. The ledger rows of a sale are written
 * by joren_db_commit_sale inside the sale's own transaction, unique per
 * sale, account and kind: a retried commit can never count them twice,
 * and balances and credit limits are checked again inside it.
 *
 * Numbers: generated ones are 16 digits, the store code (4 digits) then
 * 11 random digits then a Luhn check digit, so a mistyped digit is
 * caught at the till; numbers printed elsewhere are registered as they
 * are when the voucher is sold.
 *
 * Holds and authority: before a voucher or account tender is added, the
 * amount is held on the account (JorenValueAuthority); the sale's commit
 * captures its holds, abandoning the sale releases them, and holds left
 * behind expire. The local authority is this register's database; the
 * sync work adds a server-backed one behind the same interface. */
#pragma once

#include <glib-object.h>

#include "joren-db.h"
#include "joren-sale.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_VALUE_GIFT,              /* gift voucher: sold, redeemed, not recharged by default */
  JOREN_VALUE_PREPAID,           /* prepaid card: topped up again and again (canteens) */
  JOREN_VALUE_CUSTOMER_ACCOUNT,  /* pay later: charges, payments, a credit limit */
} JorenValueKind;

#define JOREN_VALUE_N_KINDS 3
/* Bit of a kind in JorenValueSettings.accepted_kinds. */
#define JOREN_VALUE_KIND_BIT(kind) (1u << (guint) (kind))

typedef enum {
  JOREN_VALUE_ENTRY_ISSUE,    /* first value loaded by a sale (+) */
  JOREN_VALUE_ENTRY_TOPUP,    /* value added later by a sale (+) */
  JOREN_VALUE_ENTRY_REDEEM,   /* paid with at the till (-) */
  JOREN_VALUE_ENTRY_REFUND,   /* a refund sale: value back on (+) or the sold value voided (-) */
  JOREN_VALUE_ENTRY_EXPIRE,   /* what was left at the expiry date (-) */
  JOREN_VALUE_ENTRY_ADJUST,   /* manual correction with a reason (+/-) */
  JOREN_VALUE_ENTRY_CHARGE,   /* a sale charged to a customer account (-) */
  JOREN_VALUE_ENTRY_PAYMENT,  /* a customer paying their account (+) */
} JorenValueEntryKind;

/* "gift", "prepaid", "customer_account" and back; unknown text: -1. */
const char *joren_value_kind_to_string       (JorenValueKind kind);
int         joren_value_kind_from_string     (const char *text);
/* Translated, for screens: "Gift voucher", "Prepaid card", "Customer account". */
const char *joren_value_kind_get_label       (JorenValueKind kind);
/* "issue", "topup", "redeem", ... and translated labels for the ledger view. */
const char *joren_value_entry_kind_to_string (JorenValueEntryKind kind);
const char *joren_value_entry_kind_get_label (JorenValueEntryKind kind);

/* ---- numbers (pure) -------------------------------------------------- */

#define JOREN_VALUE_NUMBER_LENGTH 16

/* A fresh 16-digit number: store_code (0..9999, zero padded), 11 random
 * digits, a Luhn check digit. Not checked against the database. */
char       *joren_value_number_generate      (guint store_code);
/* Digits (and, for numbers printed elsewhere, letters, uppercased):
 * spaces and dashes typed or printed between groups are dropped. NULL
 * when anything else is left or nothing at all. */
char       *joren_value_number_normalize     (const char *typed);
/* TRUE when the digits pass the Luhn check. */
gboolean    joren_value_number_luhn_ok       (const char *digits);
/* "1000 1234 5678 9012" for screens and slips. */
char       *joren_value_number_format        (const char *number);
/* "•••• 9012": receipts and logs never show a whole number. */
char       *joren_value_number_mask          (const char *number);

/* ---- settings -------------------------------------------------------- */

typedef struct {
  gint64 max_topup;           /* largest single load, minor units; 0: no limit */
  gint64 max_balance;         /* largest balance of a voucher/card; 0: no limit */
  guint  accepted_kinds;      /* JOREN_VALUE_KIND_BIT mask this store sells and takes */
  guint  expiry_months;       /* validity of new vouchers and cards; 0: never expire */
  guint  store_code;          /* 0..9999, the start of generated numbers */
  gint64 default_credit_limit; /* for new customer accounts, minor units */
  guint  hold_seconds;        /* an unused hold expires after this long */
} JorenValueSettings;

/* From the settings table (value.*), defaults where missing: no limits,
 * every kind accepted, 36 months, store code 1000, credit 0, 900 s. */
void      joren_value_get_settings   (JorenDb            *db,
                                      JorenValueSettings *out);
gboolean  joren_value_set_settings   (JorenDb                  *db,
                                      const JorenValueSettings *settings,
                                      GError                  **error);

/* ---- accounts -------------------------------------------------------- */

typedef struct {
  gint64          id;
  char           *number;          /* normalized: digits (external: also A-Z) */
  JorenValueKind  kind;
  gint64          customer_id;     /* 0: anonymous */
  char           *customer_name;   /* NULL when anonymous */
  GDateTime      *expires_at;      /* NULL: never */
  gint64          credit_limit;    /* customer accounts: the largest debt allowed */
  char           *store;           /* register prefix of the store that issued it */
  gboolean        external;        /* number printed elsewhere, registered at sale */
  gint64          balance;         /* sum of the ledger when loaded */
  gint64          held;            /* amount under unexpired holds when loaded */
  GDateTime      *created_at;
} JorenValueAccount;

void               joren_value_account_free   (JorenValueAccount *account);
/* What can still be spent: balance - held (+ credit_limit for accounts). */
gint64             joren_value_account_available (const JorenValueAccount *account);
/* TRUE when expires_at is set and not after now (NULL: the current time). */
gboolean           joren_value_account_is_expired (const JorenValueAccount *account,
                                                   GDateTime               *now);

/* By number as typed or scanned. A number not found that looks like one
 * of ours but fails the check digit gets INVALID ("a digit is wrong"),
 * otherwise NOT_FOUND. */
JorenValueAccount *joren_value_lookup          (JorenDb     *db,
                                                const char  *number,
                                                GError     **error);
JorenValueAccount *joren_value_lookup_by_id    (JorenDb     *db,
                                                gint64       id,
                                                GError     **error);
/* The customer's account (pay later), NULL with NOT_FOUND when none. */
JorenValueAccount *joren_value_find_customer_account (JorenDb  *db,
                                                      gint64    customer_id,
                                                      GError  **error);
/* Opens a customer's pay-later account (one per customer; EXISTS if it
 * has one). credit_limit < 0: the store's default. */
JorenValueAccount *joren_value_open_customer_account (JorenDb  *db,
                                                      gint64    customer_id,
                                                      gint64    credit_limit,
                                                      GError  **error);
gboolean           joren_value_set_credit_limit (JorenDb  *db,
                                                 gint64    account_id,
                                                 gint64    credit_limit,
                                                 GError  **error);
/* Links a voucher or card to a customer (0: anonymous again). */
gboolean           joren_value_set_customer     (JorenDb  *db,
                                                 gint64    account_id,
                                                 gint64    customer_id,
                                                 GError  **error);
gboolean           joren_value_set_expiry       (JorenDb    *db,
                                                 gint64      account_id,
                                                 GDateTime  *expires_at,
                                                 GError    **error);
/* Accounts of a kind (-1: all), newest first, at most limit (0: all). */
GPtrArray         *joren_value_list_accounts    (JorenDb  *db,
                                                 int       kind,
                                                 guint     limit,
                                                 GError  **error);

/* ---- the ledger ------------------------------------------------------ */

typedef struct {
  gint64               id;
  JorenValueEntryKind  kind;
  gint64               amount;       /* signed: what it did to the balance */
  char                *reason;       /* adjustments and payments outside a sale */
  char                *staff_name;   /* NULL for expiry */
  char                *receipt_no;   /* the sale or refund, NULL otherwise */
  GDateTime           *created_at;
} JorenValueEntry;

void       joren_value_entry_free    (JorenValueEntry *entry);
/* The account's ledger, newest first, at most limit rows (0: all). */
GPtrArray *joren_value_list_entries  (JorenDb  *db,
                                      gint64    account_id,
                                      guint     limit,
                                      GError  **error);
/* The sum of the ledger. */
gint64     joren_value_balance       (JorenDb  *db,
                                      gint64    account_id,
                                      GError  **error);
/* A manual correction (amount signed, not 0) with a reason, by staff. A
 * voucher may not go below zero. */
gboolean   joren_value_adjust        (JorenDb     *db,
                                      gint64       account_id,
                                      gint64       amount,
                                      const char  *reason,
                                      gint64       staff_id,
                                      GError     **error);
/* Expires, for every gift voucher and prepaid card whose expiry date is
 * not after now (NULL: the current time), what is left on it. Running it
 * twice expires nothing more. *out_expired: the total taken off. */
gboolean   joren_value_expire        (JorenDb    *db,
                                      GDateTime  *now,
                                      gint64     *out_expired,
                                      GError    **error);

/* ---- the sale -------------------------------------------------------- */

/* Sells a new voucher or card (number NULL: a generated number; a number
 * not known yet: an externally printed one, registered as it is) or tops
 * up an existing one, by adding a JOREN_LINE_VALUE_ISSUE line of amount
 * (reference = the number). Checks the kind is accepted here, the
 * account is not expired, max_topup and max_balance. A new account is
 * created at once (no ledger rows, so no balance, until the sale is
 * committed). customer_id 0: anonymous. Returns the line index, or
 * G_MAXUINT with error. */
guint      joren_value_add_issue_line    (JorenDb         *db,
                                          JorenSale       *sale,
                                          JorenValueKind   kind,
                                          const char      *number,
                                          gint64           amount,
                                          gint64           customer_id,
                                          GError         **error);
/* A customer paying amount (> 0) off their account: adds a
 * JOREN_LINE_ACCOUNT_PAYMENT line, paid with any tender. amount 0: the
 * whole debt. Returns the line index, or G_MAXUINT with error. */
guint      joren_value_add_payment_line  (JorenDb    *db,
                                          JorenSale  *sale,
                                          gint64      account_id,
                                          gint64      amount,
                                          GError    **error);
/* The numbers of the accounts a committed sale issued or topped up, in
 * line order, for printing their slips. */
GPtrArray *joren_value_sale_issued_numbers (JorenSale *sale);

/* Balances after a stored sale, for the receipt: one per voucher or
 * account the sale touched. */
typedef struct {
  char           *number;
  JorenValueKind  kind;
  gint64          balance;
  GDateTime      *expires_at;   /* NULL: never */
} JorenValueBalance;

void       joren_value_balance_free      (JorenValueBalance *balance);
GPtrArray *joren_value_balances_for_sale (JorenDb    *db,
                                          JorenSale  *sale,
                                          GError    **error);

/* ---- authority: holds, capture, release ------------------------------ */

#define JOREN_TYPE_VALUE_AUTHORITY (joren_value_authority_get_type ())
G_DECLARE_INTERFACE (JorenValueAuthority, joren_value_authority, JOREN, VALUE_AUTHORITY, GObject)

/* Who decides whether a voucher may be spent. Every method is quick for
 * the local authority; a server-backed one may block for its timeout. */
struct _JorenValueAuthorityInterface
{
  GTypeInterface parent_iface;

  JorenValueAccount *(*lookup)    (JorenValueAuthority  *self,
                                   const char           *number,
                                   GError              **error);
  /* Holds amount (> 0) of the account for the sale (its uuid); returns
   * the hold's id (a uuid string) or NULL with error. */
  char              *(*authorise) (JorenValueAuthority  *self,
                                   const char           *number,
                                   gint64                amount,
                                   const char           *sale_uuid,
                                   GError              **error);
  gboolean           (*capture)   (JorenValueAuthority  *self,
                                   const char           *hold_id,
                                   GError              **error);
  gboolean           (*release)   (JorenValueAuthority  *self,
                                   const char           *hold_id,
                                   GError              **error);
  /* Releases every hold still held for the sale (not its coupon claim:
   * the coupon stays on the sale). */
  gboolean           (*release_sale) (JorenValueAuthority  *self,
                                      const char           *sale_uuid,
                                      GError              **error);
  /* Optional. Claims an e-coupon code for the sale so no other register
   * can use it meanwhile; returns the claim's id (released with
   * release). NULL: nothing to claim, the commit alone decides (the
   * local authority). */
  char              *(*claim_coupon) (JorenValueAuthority  *self,
                                      const char           *code,
                                      const char           *sale_uuid,
                                      GError              **error);
  /* Optional. The sale was committed: its holds (coupon claim included)
   * were spent. NULL: the commit captured them itself. */
  gboolean           (*capture_sale) (JorenValueAuthority  *self,
                                      const char           *sale_uuid,
                                      GError              **error);
};

JorenValueAccount *joren_value_authority_lookup    (JorenValueAuthority  *self,
                                                    const char           *number,
                                                    GError              **error);
char              *joren_value_authority_authorise (JorenValueAuthority  *self,
                                                    const char           *number,
                                                    gint64                amount,
                                                    const char           *sale_uuid,
                                                    GError              **error);
/* A hold moves at most once: held -> captured or held -> released (or
 * expired). Capturing or releasing it again fails with INVALID. */
gboolean           joren_value_authority_capture   (JorenValueAuthority  *self,
                                                    const char           *hold_id,
                                                    GError              **error);
gboolean           joren_value_authority_release   (JorenValueAuthority  *self,
                                                    const char           *hold_id,
                                                    GError              **error);

/* The register's own database as the authority. A hold lasts
 * hold_seconds; joren_db_commit_sale captures the sale's holds itself. */
#define JOREN_TYPE_VALUE_LOCAL_AUTHORITY (joren_value_local_authority_get_type ())
G_DECLARE_FINAL_TYPE (JorenValueLocalAuthority, joren_value_local_authority,
                      JOREN, VALUE_LOCAL_AUTHORITY, GObject)

JorenValueAuthority *joren_value_local_authority_new (JorenDb *db);

/* Pays amount of the sale with the voucher or prepaid card number (as
 * typed or scanned): checks the number, kind, store, expiry and what is
 * available, holds the amount and adds a JOREN_TENDER_VOUCHER tender
 * (reference = the number). amount 0: as much as the card covers of what
 * is due. *out_amount (may be NULL): the amount taken. */
gboolean   joren_value_add_voucher_tender (JorenValueAuthority  *authority,
                                           JorenSale            *sale,
                                           const char           *number,
                                           gint64                amount,
                                           gint64               *out_amount,
                                           GError              **error);
/* Charges amount (0: all that is due) to the sale customer's account
 * within its credit limit: holds it and adds a JOREN_TENDER_ACCOUNT
 * tender (reference = the account number). NOT_FOUND when the sale has
 * no customer or the customer no account. */
gboolean   joren_value_add_account_tender (JorenValueAuthority  *authority,
                                           JorenDb              *db,
                                           JorenSale            *sale,
                                           gint64                amount,
                                           GError              **error);
/* The sale was abandoned or its tenders cleared: releases every hold
 * still held for it. */
gboolean   joren_value_release_sale       (JorenValueAuthority  *authority,
                                           JorenSale            *sale,
                                           GError              **error);

/* Drops tender index of the sale and releases exactly its hold (a
 * voucher or account tender's), keeping the other tenders and their
 * holds. */
gboolean   joren_value_remove_tender      (JorenValueAuthority  *authority,
                                           JorenSale            *sale,
                                           guint                 index,
                                           GError              **error);
/* After joren_db_commit_sale: tells a server-backed authority the sale's
 * holds and coupon claim were spent, so they keep counting there until
 * the sale's ops arrive. Best effort: those ops settle them anyway. */
gboolean   joren_value_capture_sale       (JorenValueAuthority  *authority,
                                           JorenSale            *sale,
                                           GError              **error);
/* joren_coupon_apply, then the code claimed from the authority (with a
 * server: refused when another register has it or used it, or by the
 * offline policy); a refused claim takes the coupon off again. */
gboolean   joren_value_apply_coupon       (JorenValueAuthority  *authority,
                                           JorenDb              *db,
                                           JorenSale            *sale,
                                           const char           *code,
                                           GError              **error);
/* joren_coupon_remove, and the code's claim released. Call it too when a
 * sale with a coupon is abandoned. */
void       joren_value_remove_coupon      (JorenValueAuthority  *authority,
                                           JorenSale            *sale);

/* ---- customer accounts: debtors and payments ------------------------- */

typedef struct {
  gint64      account_id;
  char       *number;
  gint64      customer_id;
  char       *customer_name;
  char       *customer_email;  /* NULL: none on file (the invoice cannot be e-mailed) */
  gint64      debt;            /* > 0: what they owe */
  gint64      credit_limit;
  GDateTime  *since;           /* the oldest charge not yet paid (payments pay the oldest first) */
  char       *oldest_receipt_no; /* that charge's receipt */
  gint64      oldest_unpaid;   /* what is still open of that charge */
} JorenDebtor;

void       joren_debtor_free             (JorenDebtor *debtor);
/* Customer accounts that owe something, oldest debt first. */
GPtrArray *joren_value_list_debtors      (JorenDb  *db,
                                          GError  **error);
/* A payment received outside the till (bank transfer ...): amount 0
 * pays the whole debt ("mark paid"). */
gboolean   joren_value_record_payment    (JorenDb     *db,
                                          gint64       account_id,
                                          gint64       amount,
                                          const char  *reason,
                                          gint64       staff_id,
                                          GError     **error);

/* ---- reports --------------------------------------------------------- */

/* What every gift voucher and prepaid card still holds: the shop owes it. */
gint64     joren_value_outstanding_liability (JorenDb  *db,
                                              GError  **error);

typedef struct {
  gint64 revenue;            /* goods lines, sales minus refunds (gross) */
  gint64 tax;                /* tax of those goods */
  gint64 liability_issued;   /* value lines: vouchers sold and cards topped up */
  gint64 liability_redeemed; /* voucher tenders: value spent on goods */
  gint64 account_charged;    /* account tenders */
  gint64 account_paid;       /* account payment lines */
} JorenValueDayReport;

/* One business day ("YYYY-MM-DD", local) of stored sales and refunds. */
gboolean   joren_value_day_report        (JorenDb             *db,
                                          const char          *business_day,
                                          JorenValueDayReport *out,
                                          GError             **error);

/* ---- invoices (rendered by devices/joren-invoice.h) ------------------ */

typedef struct {
  GDateTime *date;
  char      *receipt_no;
  char      *name;
  gint64     qty;
  gint64     amount;        /* what the line cost after discounts, as on the receipt */
  guint      rate_bp;
} JorenInvoiceLine;

typedef struct {
  char                *number;            /* e.g. "R1-000042" or "INV-<account>-<yyyymm>" */
  GDateTime           *issued_at;
  GDateTime           *period_from;       /* NULL for a single charge */
  GDateTime           *period_to;
  char                *shop_name;
  char                *shop_address;
  char                *shop_phone;
  char                *registration_label; /* "Registration No.", "USt-IdNr." ... */
  char                *registration_no;   /* "T1234567890123", "DE123456789", or NULL */
  char                *customer_name;
  char                *account_number;
  char                *preset;            /* "jp", "de", "tw" */
  const JorenCurrency *currency;
  gboolean             prices_include_tax;
  GPtrArray           *lines;             /* JorenInvoiceLine */
  GArray              *tax_lines;         /* JorenTaxLine, rounded once per rate */
  gint64               total;             /* sum of the lines */
  gint64               paid_at_till;      /* paid by other tenders on those receipts */
  gint64               charged;           /* charged to the account */
  gint64               payments;          /* account payments in the period */
  gint64               amount_due;        /* the account's debt when issued */
} JorenInvoice;

void          joren_invoice_free            (JorenInvoice *invoice);
/* One charge: the sale receipt_no charged to a customer account. */
JorenInvoice *joren_value_invoice_for_sale  (JorenDb     *db,
                                             const char  *receipt_no,
                                             GError     **error);
/* Every charge to the account in [from, to). */
JorenInvoice *joren_value_invoice_for_period (JorenDb    *db,
                                              gint64      account_id,
                                              GDateTime  *from,
                                              GDateTime  *to,
                                              GError    **error);

/* Settings keys of the shop's tax identity on invoices (the Japanese
 * registration number is JorenShop.invoice_number). */
#define JOREN_SETTING_VAT_ID "invoice.vat_id"   /* Germany: USt-IdNr. "DE" + 9 digits */

/* ---- demo ------------------------------------------------------------ */

/* Adds to a demo shop two gift vouchers, a prepaid card, a customer with
 * an open tab and a coupon campaign with five codes (joren-value-demo.c).
 * Separate from joren_db_create_demo, whose shop the tests build on. */
gboolean      joren_value_create_demo       (JorenDb  *db,
                                             GError  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenValueAccount, joren_value_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenValueEntry, joren_value_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenValueBalance, joren_value_balance_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenDebtor, joren_debtor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenInvoice, joren_invoice_free)

G_END_DECLS
