/* joren-window-print.c: the register's side of printing. After a commit
 * the receipt goes to the print queue (a worker thread: the till never
 * waits) and its preview, rendered from the very bytes the printer gets,
 * appears beside the change. A failed print raises a bar that stays until
 * the cashier taps Retry or Dismiss: the sale is already committed, so a
 * failure only ever costs paper, never the sale. Reprint reads the last
 * sale back from the database, so it works after a restart too. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>   /* PRId64 inside _() */

#include "joren-customer.h"
#include "joren-device-error.h"
#include "joren-escpos-render.h"
#include "joren-printer-config.h"
#include "joren-printer-settings.h"
#include "joren-punch.h"
#include "joren-sale-db.h"
#include "joren-ui.h"
#include "joren-value-ui.h"
#include "joren-window-private.h"

/* One submitted receipt; the window may be closed before it completes. */
typedef struct {
  GWeakRef      window;
  JorenReceipt *receipt;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_weak_ref_clear (&job->window);
  g_clear_object (&job->receipt);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrintJob, print_job_free)

static void
hide_print_bar (JorenWindow *self)
{
  g_clear_object (&self->failed_receipt);
  gtk_revealer_set_reveal_child (self->print_revealer, FALSE);
}

static void
show_print_bar (JorenWindow  *self,
                JorenReceipt *receipt,
                const char   *reason)
{
  g_autofree char *text = g_strdup_printf (_("The receipt was not printed. %s"), reason);

  g_set_object (&self->failed_receipt, receipt);
  gtk_label_set_text (self->print_label, text);
  gtk_revealer_set_reveal_child (self->print_revealer, TRUE);
}

static void
printed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PrintJob) job = user_data;
  g_autoptr(JorenWindow) self = g_weak_ref_get (&job->window);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = joren_print_queue_print_receipt_finish (JOREN_PRINT_QUEUE (source), result, &error);
  if (self == NULL || self->print_revealer == NULL)
    return;
  if (!ok)
    show_print_bar (self, job->receipt, error->message);
  else if (job->receipt == self->failed_receipt)
    hide_print_bar (self);
}

static void
print_receipt (JorenWindow  *self,
               JorenReceipt *receipt)
{
  PrintJob *job;

  if (self->print_queue == NULL)
    return;
  job = g_new0 (PrintJob, 1);
  g_weak_ref_init (&job->window, self);
  job->receipt = g_object_ref (receipt);
  joren_print_queue_print_receipt_async (self->print_queue, receipt, NULL, printed_cb, job);
}

/* The queue for the printer the settings describe; the error says why
 * there is none (not set up, or an address that does not parse). */
static gboolean
ensure_queue (JorenWindow  *self,
              GError      **error)
{
  g_autoptr(JorenPrinter) printer = NULL;

  if (self->print_queue != NULL)
    return TRUE;
  printer = joren_printer_settings_load_printer (self->db, error);
  if (printer == NULL)
    return FALSE;
  self->print_queue = joren_print_queue_new (printer);
  return TRUE;
}

void
joren_window_reload_printer (JorenWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (JOREN_IS_WINDOW (self));

  /* A new queue: jobs already queued finish on the old printer. A
   * failed receipt stays for Retry: fixing the address is the usual cure. */
  g_clear_object (&self->print_queue);
  if (!ensure_queue (self, &error) &&
      !g_error_matches (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND))
    joren_window_show_banner (self, error->message);
}

static const JorenPrinterProfile *
get_profile (JorenWindow *self)
{
  if (self->print_queue != NULL)
    return joren_printer_get_profile (joren_print_queue_get_printer (self->print_queue));
  return joren_printer_profile_lookup (joren_printer_settings_load_profile (self->db));
}

/* Encoded on the main loop: a few milliseconds, and the cashier sees
 * the receipt at once even when no printer is connected. */
static void
show_preview (JorenWindow  *self,
              JorenReceipt *receipt)
{
  const JorenPrinterProfile *profile = get_profile (self);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  bytes = joren_receipt_encode (receipt, profile, &error);
  if (bytes == NULL)
    {
      g_warning ("No receipt preview: %s", error->message);
      return;
    }
  surface = joren_escpos_render (profile, bytes);
  texture = joren_ui_texture_new_for_surface (surface);
  cairo_surface_destroy (surface);
  joren_tender_view_set_preview (self->tender_view, GDK_PAINTABLE (texture));
}

/* Count cards and stamps after the points: what the customer has left. */
static void
add_punch_rows (JorenWindow  *self,
                gint64        customer_id,
                JorenReceipt *receipt)
{
  g_autoptr(GPtrArray) cards = joren_punch_list_cards (self->db, customer_id, NULL, NULL);
  g_autoptr(GPtrArray) stamps = joren_punch_list_stamps (self->db, customer_id, NULL);

  for (guint i = 0; cards != NULL && i < cards->len; i++)
    {
      JorenPunchCard *card = g_ptr_array_index (cards, i);
      /* TRANSLATORS: on the receipt, beside a count card's name */
      g_autofree char *left = g_strdup_printf (_("%" PRId64 " left"), card->visits_left);

      joren_receipt_add_customer_row (receipt, card->name, left);
    }
  for (guint i = 0; stamps != NULL && i < stamps->len; i++)
    {
      JorenStampBalance *balance = g_ptr_array_index (stamps, i);
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT "/%u", balance->stamps,
                                                balance->stamps_needed);

      joren_receipt_add_customer_row (receipt, balance->name, value);
    }
}

/* The customer block, when the sale has a customer. A failed lookup
 * costs the block, never the receipt. */
static void
add_customer_block (JorenWindow  *self,
                    JorenSale    *sale,
                    JorenReceipt *receipt)
{
  g_autoptr(JorenCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  JorenUiSalePoints points;

  if (joren_sale_get_customer_id (sale) == 0)
    return;
  customer = joren_customer_get (self->db, joren_sale_get_customer_id (sale), &error);
  if (customer == NULL || !joren_ui_get_sale_points (self->db, sale, &points, &error))
    {
      g_warning ("No customer block on the receipt: %s", error->message);
      return;
    }
  joren_receipt_add_customer (receipt, customer->member_no, customer->name,
                              points.earned, points.redeemed, points.balance);
  add_punch_rows (self, customer->id, receipt);
}

static JorenReceipt *
build_receipt (JorenWindow *self,
               JorenSale   *sale)
{
  JorenReceipt *receipt = joren_receipt_new_for_sale (self->shop, sale);

  add_customer_block (self, sale, receipt);
  joren_value_ui_add_balances (self->db, self->shop, sale, receipt);
  return receipt;
}

void
joren_window_print_committed (JorenWindow *self)
{
  JorenSale *sale = joren_tender_view_get_sale (self->tender_view);
  g_autoptr(JorenReceipt) receipt = NULL;
  g_autoptr(GPtrArray) slips = NULL;

  g_assert (JOREN_IS_SALE (sale));

  /* A cash payment also kicks the drawer, first thing in the job. */
  receipt = build_receipt (self, sale);
  show_preview (self, receipt);
  print_receipt (self, receipt);
  /* Then a slip per voucher or card sold, each its own job. */
  slips = joren_value_ui_build_slips (self->db, self->shop, sale);
  for (guint i = 0; i < slips->len; i++)
    print_receipt (self, g_ptr_array_index (slips, i));
}

gboolean
joren_window_reprint_last (JorenWindow  *self,
                           GError      **error)
{
  g_autoptr(JorenSale) sale = NULL;
  g_autoptr(JorenReceipt) receipt = NULL;
  g_autoptr(JorenReceipt) reprint = NULL;

  g_return_val_if_fail (JOREN_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (self->shop != NULL, FALSE);

  if (!ensure_queue (self, error))
    return FALSE;
  sale = joren_db_load_last_sale (self->db, error);
  if (sale == NULL)
    return FALSE;
  receipt = build_receipt (self, sale);
  reprint = joren_receipt_new_reprint (receipt);
  print_receipt (self, reprint);
  return TRUE;
}

gboolean
joren_window_print_document (JorenWindow   *self,
                             JorenReceipt  *receipt,
                             GError       **error)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (JOREN_IS_RECEIPT (receipt), FALSE);

  if (!ensure_queue (self, error))
    return FALSE;
  print_receipt (self, receipt);
  return TRUE;
}

static void
reprint_clicked_cb (JorenWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!joren_window_reprint_last (self, &error))
    joren_window_show_banner (self, error->message);
}

static void
retry_clicked_cb (JorenWindow *self)
{
  g_autoptr(JorenReceipt) receipt = g_steal_pointer (&self->failed_receipt);

  gtk_revealer_set_reveal_child (self->print_revealer, FALSE);
  if (receipt != NULL)
    print_receipt (self, receipt);
}

static void
dismiss_clicked_cb (JorenWindow *self)
{
  hide_print_bar (self);
}

gboolean
joren_window_get_print_bar_visible (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->print_revealer);
}

const char *
joren_window_get_print_bar_text (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->print_label);
}

void
joren_window_print_dispose (JorenWindow *self)
{
  g_clear_object (&self->print_queue);
  g_clear_object (&self->failed_receipt);
}

void
joren_window_print_bind_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, reprint_button);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, print_revealer);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, print_label);
  gtk_widget_class_bind_template_callback (widget_class, reprint_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_clicked_cb);
}
