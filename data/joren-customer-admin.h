/* joren-customer-admin.h: the back office's privacy and housekeeping
 * operations on customers. Each one writes its audit entry
 * (joren-audit.h) in the same transaction, naming the staff member who
 * did it, so the log cannot miss an action that happened.
 *
 * Merge: two records of one person become one. The duplicate's cards,
 * phones, sales, points and every other ledger that names a customer
 * move to the survivor; empty fields of the survivor are filled from the
 * duplicate, consents are kept only where the survivor gave them; the
 * points balance moves by a pair of adjustments (the ledger is
 * append-only), and the duplicate stays as an empty record with
 * merged_into set, so old ledger rows still name a record. Anonymise: a customer's personal fields are
 * cleared and their cards and phones removed; their sales and ledgers
 * stay (the books must add up), linked to a record that names no one. */
#pragma once

#include "joren-customer.h"
#include "joren-db.h"

G_BEGIN_DECLS

/* Loads a customer for the back office and logs the view. */
JorenCustomer *joren_customer_admin_view      (JorenDb   *db,
                                               gint64     staff_id,
                                               gint64     customer_id,
                                               GError   **error);
/* NOT_FOUND for either id; INVALID when they are the same. */
gboolean       joren_customer_merge           (JorenDb   *db,
                                               gint64     staff_id,
                                               gint64     survivor_id,
                                               gint64     duplicate_id,
                                               GError   **error);
/* Everything the shop holds about the customer as a UTF-8 JSON object:
 * "customer" (fields, phones, cards), "sales" (receipt, time, total,
 * lines), "points" (ledger and balance), and the other ledgers present.
 * Logs the export. */
char          *joren_customer_export_json     (JorenDb   *db,
                                               gint64     staff_id,
                                               gint64     customer_id,
                                               GError   **error);
/* Clears name, reading, e-mail, birthday, address, notes and consents,
 * removes cards and phones; the member number stays (receipts print
 * it). Logs it. Anonymising twice is harmless. */
gboolean       joren_customer_anonymise       (JorenDb   *db,
                                               gint64     staff_id,
                                               gint64     customer_id,
                                               GError   **error);
/* TRUE when the customer was anonymised. */
gboolean       joren_customer_is_anonymised   (JorenDb   *db,
                                               gint64     customer_id,
                                               gboolean  *out_anonymised,
                                               GError   **error);

G_END_DECLS
