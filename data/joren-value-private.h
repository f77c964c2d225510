/* joren-value-private.h: what the value-account files (joren-value.c,
 * joren-value-sale.c, joren-value-invoice.c) and joren-coupon.c share:
 * loading an account row, ledger sums and writes that run inside a
 * caller's transaction. Nothing outside data/ includes it. */
#pragma once

#include "joren-db-private.h"
#include "joren-value.h"

G_BEGIN_DECLS

/* Loads by number (by_number TRUE) or by id; NULL with NOT_FOUND. */
JorenValueAccount *joren_value_load_account      (JorenDb     *db,
                                                  const char  *number,
                                                  gint64       id,
                                                  GError     **error);
/* Sum of the ledger, and of unexpired holds except those of the sale
 * except_sale_uuid (may be NULL). */
gboolean           joren_value_sum_ledger        (JorenDb  *db,
                                                  gint64    account_id,
                                                  gint64   *out,
                                                  GError  **error);
gboolean           joren_value_sum_holds         (JorenDb     *db,
                                                  gint64       account_id,
                                                  const char  *except_sale_uuid,
                                                  gint64      *out,
                                                  GError     **error);

typedef struct {
  gint64               account_id;
  JorenValueEntryKind  kind;
  gint64               amount;
  const char          *reason;     /* may be NULL */
  gint64               staff_id;   /* 0: none */
  gint64               sale_id;    /* 0: none */
  const char          *sale_uuid;  /* may be NULL */
  GDateTime           *created_at; /* NULL: now */
} JorenValueRow;

/* Appends one ledger row; the caller holds the transaction. A second
 * row of the same sale, account and kind fails with EXISTS. */
gboolean           joren_value_insert_row        (JorenDb             *db,
                                                  const JorenValueRow *row,
                                                  GError             **error);
/* Sets a "not accepted here" INVALID error when the store does not take
 * kind; TRUE when it does. */
gboolean           joren_value_check_accepted    (JorenDb         *db,
                                                  JorenValueKind   kind,
                                                  GError         **error);
gint64             joren_value_now_usec          (void);
/* 16 digits like a generated number, but the check digit is wrong. */
gboolean           joren_value_number_is_mistyped (const char *number);
/* amount in the shop's currency, for messages. */
char              *joren_value_format_money      (JorenDb  *db,
                                                  gint64    amount);

/* The coupon on a stored sale, redeemed in its transaction (joren-coupon.c). */
gboolean           joren_coupon_record_sale      (JorenDb    *db,
                                                  JorenSale  *sale,
                                                  gint64      sale_id,
                                                  GDateTime  *created_at,
                                                  GError    **error);

G_END_DECLS
