/* joren-print-queue.c: a GThreadPool with one thread is the queue: jobs
 * run in submission order, one at a time, so two receipts never
 * interleave on the paper. A job owns references to everything it uses
 * (printer, receipt, bytes), so the till may change printers or drop the
 * sale while a job is still waiting. */
#include "joren-print-queue.h"

#include <glib/gi18n.h>

#include "joren-device-error.h"

struct _JorenPrintQueue {
  GObject       parent_instance;
  JorenPrinter *printer;
  GThreadPool  *pool;
  GMutex        lock;           /* guards last_receipt */
  JorenReceipt *last_receipt;
};

G_DEFINE_FINAL_TYPE (JorenPrintQueue, joren_print_queue, G_TYPE_OBJECT)

typedef struct {
  GTask        *task;
  JorenPrinter *printer;
  JorenReceipt *receipt;   /* encoded on the worker, or NULL */
  GBytes       *bytes;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_clear_object (&job->printer);
  g_clear_object (&job->receipt);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static void
run_job (gpointer data, gpointer user_data)
{
  g_autoptr(Job) job = data;
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (job->task, error);
      return;
    }
  if (job->receipt != NULL)
    job->bytes = joren_receipt_encode (job->receipt, joren_printer_get_profile (job->printer),
                                       &error);
  if (job->bytes != NULL)
    joren_printer_print (job->printer, job->bytes, cancellable, &error);
  if (error != NULL)
    {
      g_warning ("Printing on %s failed: %s", joren_printer_get_name (job->printer),
                 error->message);
      g_task_return_error (job->task, error);
      return;
    }
  g_task_return_boolean (job->task, TRUE);
}

static void
joren_print_queue_finalize (GObject *object)
{
  JorenPrintQueue *self = JOREN_PRINT_QUEUE (object);

  /* Queued jobs hold tasks that keep us alive, so no job is waiting; the
   * last unref may come from the worker itself, which must not wait. */
  g_thread_pool_free (self->pool, FALSE, FALSE);
  g_clear_object (&self->printer);
  g_clear_object (&self->last_receipt);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (joren_print_queue_parent_class)->finalize (object);
}

static void
joren_print_queue_class_init (JorenPrintQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = joren_print_queue_finalize;
}

static void
joren_print_queue_init (JorenPrintQueue *self)
{
  g_mutex_init (&self->lock);
  self->pool = g_thread_pool_new (run_job, self, 1, FALSE, NULL);
}

JorenPrintQueue *
joren_print_queue_new (JorenPrinter *printer)
{
  JorenPrintQueue *self;

  g_return_val_if_fail (JOREN_IS_PRINTER (printer), NULL);

  self = g_object_new (JOREN_TYPE_PRINT_QUEUE, NULL);
  self->printer = g_object_ref (printer);
  return self;
}

JorenPrinter *
joren_print_queue_get_printer (JorenPrintQueue *self)
{
  g_return_val_if_fail (JOREN_IS_PRINT_QUEUE (self), NULL);
  return self->printer;
}

void
joren_print_queue_set_printer (JorenPrintQueue *self,
                               JorenPrinter    *printer)
{
  g_return_if_fail (JOREN_IS_PRINT_QUEUE (self));
  g_return_if_fail (JOREN_IS_PRINTER (printer));
  g_set_object (&self->printer, printer);
}

static void
submit (JorenPrintQueue *self, gpointer tag, JorenReceipt *receipt, GBytes *bytes,
        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job = g_new0 (Job, 1);

  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, tag);
  job->printer = g_object_ref (self->printer);
  job->receipt = receipt != NULL ? g_object_ref (receipt) : NULL;
  job->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  g_thread_pool_push (self->pool, job, NULL);
}

static gboolean
finish (JorenPrintQueue *self, GAsyncResult *result, gpointer tag, GError **error)
{
  g_return_val_if_fail (JOREN_IS_PRINT_QUEUE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
joren_print_queue_print_bytes_async (JorenPrintQueue     *self,
                                     GBytes              *bytes,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (JOREN_IS_PRINT_QUEUE (self));
  g_return_if_fail (bytes != NULL);
  submit (self, joren_print_queue_print_bytes_async, NULL, bytes, cancellable, callback, user_data);
}

gboolean
joren_print_queue_print_bytes_finish (JorenPrintQueue  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  return finish (self, result, joren_print_queue_print_bytes_async, error);
}

void
joren_print_queue_print_receipt_async (JorenPrintQueue     *self,
                                       JorenReceipt        *receipt,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (JOREN_IS_PRINT_QUEUE (self));
  g_return_if_fail (JOREN_IS_RECEIPT (receipt));

  g_mutex_lock (&self->lock);
  g_set_object (&self->last_receipt, receipt);
  g_mutex_unlock (&self->lock);
  submit (self, joren_print_queue_print_receipt_async, receipt, NULL, cancellable, callback,
          user_data);
}

gboolean
joren_print_queue_print_receipt_finish (JorenPrintQueue  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  return finish (self, result, joren_print_queue_print_receipt_async, error);
}

JorenReceipt *
joren_print_queue_dup_last_receipt (JorenPrintQueue *self)
{
  JorenReceipt *receipt;

  g_return_val_if_fail (JOREN_IS_PRINT_QUEUE (self), NULL);

  g_mutex_lock (&self->lock);
  receipt = self->last_receipt != NULL ? g_object_ref (self->last_receipt) : NULL;
  g_mutex_unlock (&self->lock);
  return receipt;
}

void
joren_print_queue_reprint_last_async (JorenPrintQueue     *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(JorenReceipt) last = NULL;
  g_autoptr(JorenReceipt) reprint = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (JOREN_IS_PRINT_QUEUE (self));

  last = joren_print_queue_dup_last_receipt (self);
  if (last == NULL)
    {
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, joren_print_queue_reprint_last_async);
      g_task_return_new_error (task, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND,
                               _("There is no receipt to reprint yet."));
      return;
    }
  reprint = joren_receipt_new_reprint (last);
  submit (self, joren_print_queue_reprint_last_async, reprint, NULL, cancellable, callback,
          user_data);
}

gboolean
joren_print_queue_reprint_last_finish (JorenPrintQueue  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  return finish (self, result, joren_print_queue_reprint_last_async, error);
}
