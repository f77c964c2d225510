/* joren-print-queue.h: printing that never blocks the till. Jobs run one
 * after another on a worker thread; each completes asynchronously in the
 * caller's main context with a GError the register shows with a Retry
 * button (Retry = submit the same receipt again, or reprint the last).
 * The sale is committed before printing and stays committed whatever the
 * printer does. */
#pragma once

#include <gio/gio.h>

#include "joren-printer.h"
#include "joren-receipt.h"

G_BEGIN_DECLS

#define JOREN_TYPE_PRINT_QUEUE (joren_print_queue_get_type ())
G_DECLARE_FINAL_TYPE (JorenPrintQueue, joren_print_queue, JOREN, PRINT_QUEUE, GObject)

JorenPrintQueue *joren_print_queue_new              (JorenPrinter *printer);
JorenPrinter    *joren_print_queue_get_printer      (JorenPrintQueue *self);
/* Jobs already queued keep the printer they were queued for. */
void             joren_print_queue_set_printer      (JorenPrintQueue *self,
                                                     JorenPrinter    *printer);

/* Raw ESC/POS bytes (drawer kick, test page). */
void             joren_print_queue_print_bytes_async  (JorenPrintQueue     *self,
                                                       GBytes              *bytes,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean         joren_print_queue_print_bytes_finish (JorenPrintQueue  *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);
/* Encodes for the printer's profile on the worker and prints; the
 * receipt becomes the "last receipt" for reprints. It must not be
 * changed afterwards. */
void             joren_print_queue_print_receipt_async  (JorenPrintQueue     *self,
                                                         JorenReceipt        *receipt,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean         joren_print_queue_print_receipt_finish (JorenPrintQueue  *self,
                                                         GAsyncResult     *result,
                                                         GError          **error);
/* The last receipt again, marked REPRINT, without opening the drawer.
 * JOREN_DEVICE_ERROR_NOT_FOUND when nothing was printed yet. */
void             joren_print_queue_reprint_last_async   (JorenPrintQueue     *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean         joren_print_queue_reprint_last_finish  (JorenPrintQueue  *self,
                                                         GAsyncResult     *result,
                                                         GError          **error);
JorenReceipt    *joren_print_queue_dup_last_receipt     (JorenPrintQueue *self);

G_END_DECLS
