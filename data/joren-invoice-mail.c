/* joren-invoice-mail.c: the invoice of a customer account as an e-mail
 * with the PDF attached. The register sends it itself (one message, one
 * connection) because an invoice is asked for at the counter or at the
 * month's end, one customer at a time; promotions to many go through
 * joren-promotion.c. Nothing here looks at consent_email: that consent
 * is for marketing, and a customer who buys on account is owed their
 * invoice (see the header). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "joren-audit.h"
#include "joren-customer.h"
#include "joren-invoice-mail.h"
#include "joren-invoice.h"
#include "joren-promotion.h"
#include "joren-value-private.h"

static gboolean
has_address (const char *email)
{
  return email != NULL && strchr (email, '@') != NULL;
}

gboolean
joren_invoice_mail_check (JorenDb     *db,
                          const char  *name,
                          const char  *email,
                          GError     **error)
{
  g_autoptr(JorenMailSettings) settings = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  settings = joren_promotion_get_mail_settings (db);
  if (settings == NULL)
    g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                         _("Mail is not set up: enter the mail server under Mail first."));
  else if (name == NULL)
    g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                         _("This account belongs to no customer: there is no one to e-mail."));
  else if (!has_address (email))
    /* TRANSLATORS: the customer's name */
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("%s has no e-mail address: add one to the customer first."), name);
  else
    return TRUE;
  return FALSE;
}

static char *
format_day (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  return g_date_time_format (local, "%Y-%m-%d");
}

/* The text the PDF is attached to: who, which invoice, what is owed,
 * and the shop's name, address and phone to answer to. */
static char *
compose_body (const JorenInvoice *invoice)
{
  /* The period ends before `to`: the last day shown is the one before. */
  g_autoptr(GDateTime) last = g_date_time_add_seconds (invoice->period_to, -1);
  g_autofree char *from = format_day (invoice->period_from);
  g_autofree char *until = format_day (last);
  g_autofree char *due = joren_money_format (invoice->amount_due, invoice->currency);
  GString *body = g_string_new (NULL);

  /* TRANSLATORS: the e-mail an invoice PDF is attached to: the customer's
   * name, the invoice number, the first and last day, the amount due */
  g_string_append_printf (body, _("Dear %s,\n\nPlease find attached invoice %s for your purchases "
                                  "on account from %s to %s.\nAmount due: %s\n\nThank you.\n"),
                          invoice->customer_name, invoice->number, from, until, due);
  g_string_append_printf (body, "\n%s\n", invoice->shop_name);
  if (invoice->shop_address != NULL && *invoice->shop_address != '\0')
    g_string_append_printf (body, "%s\n", invoice->shop_address);
  if (invoice->shop_phone != NULL && *invoice->shop_phone != '\0')
    g_string_append_printf (body, "%s\n", invoice->shop_phone);
  return g_string_free (body, FALSE);
}

static gboolean
send_invoice (JorenDb             *db,
              const JorenInvoice  *invoice,
              const char          *to,
              GError             **error)
{
  g_autoptr(JorenMailSettings) settings = joren_promotion_get_mail_settings (db);
  g_autoptr(JorenMailSender) sender = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  JorenMailAttachment attachment = { NULL, "application/pdf", NULL };
  JorenMailMessage message = { to, NULL, NULL, NULL, NULL, &attachment, 1 };

  /* Cleared in the back office since joren_invoice_mail_check: says so. */
  if (settings == NULL)
    return joren_invoice_mail_check (db, invoice->customer_name, to, error);
  attachment.bytes = pdf = joren_invoice_render_pdf (invoice, error);
  if (pdf == NULL)
    return FALSE;
  attachment.file_name = file_name = joren_invoice_file_name (invoice);
  /* TRANSLATORS: e-mail subject: the invoice number, the shop's name */
  message.subject = subject = g_strdup_printf (_("Invoice %s from %s"), invoice->number,
                                               invoice->shop_name);
  message.body = body = compose_body (invoice);
  sender = joren_mail_sender_new (settings);
  return joren_mail_sender_send (sender, &message, error);
}

/* The mail has gone: a log that cannot be written must not make the
 * cashier send it twice, so it is a warning, not an error. */
static void
log_export (JorenDb            *db,
            gint64              staff_id,
            gint64              customer_id,
            const JorenInvoice *invoice)
{
  g_autofree char *detail = g_strdup_printf ("invoice %s by e-mail", invoice->number);
  g_autoptr(GError) error = NULL;

  if (!joren_audit_log (db, staff_id, JOREN_AUDIT_EXPORT, customer_id, detail, &error))
    g_warning ("Invoice %s e-mailed but not logged: %s", invoice->number, error->message);
}

char *
joren_invoice_mail_send (JorenDb     *db,
                         gint64       account_id,
                         GDateTime   *from,
                         GDateTime   *to,
                         gint64       staff_id,
                         GError     **error)
{
  g_autoptr(JorenValueAccount) account = NULL;
  g_autoptr(JorenCustomer) customer = NULL;
  g_autoptr(JorenInvoice) invoice = NULL;
  const char *name = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  account = joren_value_load_account (db, NULL, account_id, error);
  if (account == NULL)
    return NULL;
  if (account->customer_id != 0)
    {
      customer = joren_customer_get (db, account->customer_id, error);
      if (customer == NULL)
        return NULL;
      name = customer->name != NULL ? customer->name : customer->member_no;
    }
  if (!joren_invoice_mail_check (db, name, customer ? customer->email : NULL, error))
    return NULL;
  invoice = joren_value_invoice_for_period (db, account_id, from, to, error);
  if (invoice == NULL || !send_invoice (db, invoice, customer->email, error))
    return NULL;
  log_export (db, staff_id, customer->id, invoice);
  g_debug ("Invoice %s e-mailed to customer %" G_GINT64_FORMAT, invoice->number, customer->id);
  return g_strdup (customer->email);
}

/* --- in a worker thread --- */

typedef struct {
  char      *path;
  gint64     account_id;
  GDateTime *from;
  GDateTime *to;
  gint64     staff_id;
} SendData;

static void
send_data_free (SendData *data)
{
  g_free (data->path);
  g_date_time_unref (data->from);
  g_date_time_unref (data->to);
  g_free (data);
}

static void
send_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SendData *data = task_data;
  g_autoptr(JorenDb) db = NULL;
  GError *error = NULL;
  char *address = NULL;

  /* Its own connection: statements are cached per connection. */
  db = joren_db_open (data->path, &error);
  if (db != NULL)
    address = joren_invoice_mail_send (db, data->account_id, data->from, data->to,
                                       data->staff_id, &error);
  if (address != NULL)
    g_task_return_pointer (task, address, g_free);
  else
    g_task_return_error (task, error);
}

void
joren_invoice_mail_send_async (JorenDb             *db,
                               gint64               account_id,
                               GDateTime           *from,
                               GDateTime           *to,
                               gint64               staff_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (from != NULL && to != NULL);

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, joren_invoice_mail_send_async);
  data = g_new0 (SendData, 1);
  data->path = g_strdup (joren_db_get_path (db));
  data->account_id = account_id;
  data->from = g_date_time_ref (from);
  data->to = g_date_time_ref (to);
  data->staff_id = staff_id;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  g_task_run_in_thread (task, send_in_thread);
}

char *
joren_invoice_mail_send_finish (JorenDb       *db,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
