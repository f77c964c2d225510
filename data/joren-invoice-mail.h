/* joren-invoice-mail.h: a customer account's invoice e-mailed to the
 * account's customer, the PDF (devices/joren-invoice.h) attached. An
 * invoice is a business document the customer is owed, not marketing:
 * it needs an e-mail address but not the e-mail consent, which covers
 * promotions only. Each invoice sent is written to the customer-data
 * audit log (joren-audit.h) as an export, naming the invoice. */
#pragma once

#include <gio/gio.h>

#include "joren-db.h"

G_BEGIN_DECLS

/* FALSE with JOREN_DATA_ERROR_INVALID and a message saying what to do
 * when an invoice cannot be e-mailed to a customer with this address
 * (NULL: none): no mail server set up, or no address. name: the
 * customer's, for the message; NULL for an account of no customer. */
gboolean  joren_invoice_mail_check       (JorenDb     *db,
                                          const char  *name,
                                          const char  *email,
                                          GError     **error);

/* Sends the invoice of account_id's charges in [from, to)
 * (joren_value_invoice_for_period) to its customer and logs it;
 * staff_id: who sent it (0: unknown). Returns the address it went to.
 * Errors: joren_invoice_mail_check's, NOT_FOUND for an unknown account,
 * the JOREN_DEVICE_ERROR codes of joren_mail_sender_send. */
char     *joren_invoice_mail_send        (JorenDb     *db,
                                          gint64       account_id,
                                          GDateTime   *from,
                                          GDateTime   *to,
                                          gint64       staff_id,
                                          GError     **error);
/* The same in a worker thread on its own connection. */
void      joren_invoice_mail_send_async  (JorenDb             *db,
                                          gint64               account_id,
                                          GDateTime           *from,
                                          GDateTime           *to,
                                          gint64               staff_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char     *joren_invoice_mail_send_finish (JorenDb       *db,
                                          GAsyncResult  *result,
                                          GError       **error);

G_END_DECLS
