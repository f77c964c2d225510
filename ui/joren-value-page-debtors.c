/* joren-value-page-debtors.c: who owes the shop what, since when. "Mark
 * paid" records a payment received outside the till (a bank transfer);
 * "Take payment at the till" switches to the register with the customer
 * attached and a line paying off the debt, for cash or any tender;
 * "Invoice PDF" writes the invoice of every charge still open to the
 * invoice folder and says where, opening nothing: the register has no
 * PDF viewer and the file is for e-mail or printing elsewhere; "E-mail
 * invoice" sends that same invoice to the customer from a worker thread
 * (SMTP may take seconds) and says on the row where it went, or why
 * not. */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "joren-invoice-mail.h"
#include "joren-invoice.h"
#include "joren-sale-view.h"
#include "joren-ui.h"
#include "joren-value-page-private.h"
#include "joren-window.h"

/* What a row's buttons need: owned by the row, set on each button. */
typedef struct {
  gint64     account_id;
  gint64     customer_id;
  GDateTime *since;
  char      *name;
  gint64     debt;
  GtkWidget *row;           /* which owns this; and its children: */
  GtkWidget *mail_button;
  GtkLabel  *mail_note;     /* "Sent to ...", or why it cannot be sent */
} DebtorRef;

#define DEBTOR_KEY "joren-debtor"

static void
debtor_ref_free (DebtorRef *ref)
{
  g_clear_pointer (&ref->since, g_date_time_unref);
  g_free (ref->name);
  g_free (ref);
}

static void
show_mail_note (DebtorRef  *ref,
                const char *text)
{
  gtk_label_set_text (ref->mail_note, text);
  gtk_widget_set_visible (GTK_WIDGET (ref->mail_note), text != NULL && *text != '\0');
}

static DebtorRef *
get_ref (GtkWidget *button)
{
  return g_object_get_data (G_OBJECT (button), DEBTOR_KEY);
}

static void
mark_paid_confirmed_cb (int      index,
                        gpointer user_data)
{
  GtkWidget *button = user_data;
  JorenValuePage *self = JOREN_VALUE_PAGE (gtk_widget_get_ancestor (button, JOREN_TYPE_VALUE_PAGE));
  g_autoptr(GError) error = NULL;

  if (!joren_value_record_payment (self->db, get_ref (button)->account_id, 0,
                                   _("Marked paid in the back office"), 0, &error))
    {
      joren_value_page_show_status (self, error->message);
      return;
    }
  joren_value_page_show_status (self, _("Marked paid."));
  joren_value_page_load_debtors (self);
}

static void
mark_paid_clicked_cb (GtkWidget      *button,
                      JorenValuePage *self)
{
  DebtorRef *ref = get_ref (button);
  g_autofree char *debt = joren_money_format (ref->debt, self->shop->currency);
  /* TRANSLATORS: customer name, then what they owe */
  g_autofree char *question = g_strdup_printf (_("Mark %s's %s as paid?"), ref->name, debt);

  joren_ui_confirm (GTK_WIDGET (self), question, _("Mark paid"), mark_paid_confirmed_cb, button);
}

static gboolean
take_payment (JorenValuePage  *self,
              const DebtorRef *ref,
              GError         **error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  JorenSaleView *sale_view;

  if (!JOREN_IS_WINDOW (root))
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                           _("There is no register here."));
      return FALSE;
    }
  sale_view = JOREN_SALE_VIEW (joren_window_get_sale_view (JOREN_WINDOW (root)));
  if (!joren_sale_view_take_account_payment (sale_view, ref->customer_id, error))
    return FALSE;
  joren_window_show_page (JOREN_WINDOW (root), "register");
  return TRUE;
}

static void
till_clicked_cb (GtkWidget      *button,
                 JorenValuePage *self)
{
  g_autoptr(GError) error = NULL;

  if (!take_payment (self, get_ref (button), &error))
    joren_value_page_show_status (self, error->message);
}

static char *
get_invoice_dir (JorenValuePage *self)
{
  char *dir = joren_db_get_setting (self->db, JOREN_SETTING_INVOICE_DIR);
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (dir != NULL && *dir != '\0')
    return dir;
  g_free (dir);
  return g_build_filename (documents ? documents : g_get_home_dir (), "Invoices", NULL);
}

/* What both invoice buttons invoice: every charge still open, from the
 * oldest to now. */
static void
get_open_period (const DebtorRef  *ref,
                 GDateTime       **out_from,
                 GDateTime       **out_to)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  *out_from = ref->since ? g_date_time_ref (ref->since) : g_date_time_new_from_unix_utc (0);
  *out_to = g_date_time_add_seconds (now, 1);
}

static char *
write_invoice (JorenValuePage  *self,
               const DebtorRef *ref,
               GError         **error)
{
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(JorenInvoice) invoice = NULL;
  g_autofree char *dir = get_invoice_dir (self);
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  get_open_period (ref, &from, &to);
  invoice = joren_value_invoice_for_period (self->db, ref->account_id, from, to, error);
  if (invoice == NULL)
    return NULL;
  file = joren_invoice_file_name (invoice);
  path = g_build_filename (dir, file, NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   _("Cannot create the folder %s"), dir);
      return NULL;
    }
  if (!joren_invoice_write_pdf (invoice, path, error))
    return NULL;
  return g_steal_pointer (&path);
}

static void
invoice_clicked_cb (GtkWidget      *button,
                    JorenValuePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_invoice (self, get_ref (button), &error);
  g_autofree char *text = NULL;

  if (path == NULL)
    {
      joren_value_page_show_status (self, error->message);
      return;
    }
  text = g_strdup_printf (_("Invoice saved: %s"), path);
  joren_value_page_show_status (self, text);
}

static void
invoice_mailed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  DebtorRef *ref = g_object_get_data (G_OBJECT (row), DEBTOR_KEY);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = joren_invoice_mail_send_finish (JOREN_DB (source), result, &error);
  g_autofree char *text = NULL;

  gtk_widget_set_sensitive (ref->mail_button, TRUE);
  if (address == NULL)
    {
      show_mail_note (ref, error->message);
      return;
    }
  /* TRANSLATORS: the e-mail address the invoice went to */
  text = g_strdup_printf (_("Sent to %s"), address);
  show_mail_note (ref, text);
}

/* The row is kept alive until the answer comes, even if the list is
 * read again meanwhile; the button stays off so it is not sent twice. */
static void
mail_clicked_cb (GtkWidget      *button,
                 JorenValuePage *self)
{
  DebtorRef *ref = get_ref (button);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;

  get_open_period (ref, &from, &to);
  gtk_widget_set_sensitive (button, FALSE);
  show_mail_note (ref, _("Sending the invoice…"));
  joren_invoice_mail_send_async (self->db, ref->account_id, from, to, self->staff_id, NULL,
                                 invoice_mailed_cb, g_object_ref (ref->row));
}

/* Off, with the reason under the row, when the invoice cannot be
 * e-mailed: a disabled button alone would not say why on a touch
 * screen, where there is no hover for a tooltip. */
static void
set_up_mail_button (JorenValuePage    *self,
                    const JorenDebtor *debtor,
                    DebtorRef         *ref)
{
  g_autoptr(GError) error = NULL;
  gboolean can_send = joren_invoice_mail_check (self->db,
                                                debtor->customer_id ? ref->name : NULL,
                                                debtor->customer_email, &error);

  gtk_widget_set_sensitive (ref->mail_button, can_send);
  show_mail_note (ref, can_send ? NULL : error->message);
}

static GtkWidget *
create_small_text (const char *text)
{
  return joren_ui_wrap (joren_ui_label_new (text, "line-detail", 0));
}

static GtkWidget *
create_labels (JorenValuePage    *self,
               const JorenDebtor *debtor)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *since = joren_value_page_format_time (debtor->since);
  g_autofree char *limit = joren_money_format (debtor->credit_limit, self->shop->currency);
  /* TRANSLATORS: since a date · the oldest open receipt · the credit limit */
  g_autofree char *detail = g_strdup_printf (_("since %s · %s · limit %s"), since,
                                             debtor->oldest_receipt_no ? debtor->oldest_receipt_no : "",
                                             limit);

  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (debtor->customer_name ? debtor->customer_name
                                                     : debtor->number, "line-name", 0));
  gtk_box_append (GTK_BOX (box), create_small_text (detail));
  return box;
}

/* Four buttons and the name share a 1024 px till: where space is short
 * their labels wrap rather than push the page wider, where there is room
 * they keep to one line. */
static void
add_button (GtkWidget      *line,
            GtkWidget      *button,
            GCallback       callback,
            JorenValuePage *self,
            DebtorRef      *ref)
{
  joren_ui_wrap (button);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))),
                                   GTK_NATURAL_WRAP_NONE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), DEBTOR_KEY, ref);
  g_signal_connect (button, "clicked", callback, self);
  gtk_box_append (GTK_BOX (line), button);
}

/* The name, amount and buttons on one line; the mail note under it, the
 * whole row wide, so a long reason never squeezes the buttons. */
static GtkWidget *
create_debtor_row (JorenValuePage    *self,
                   const JorenDebtor *debtor)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *debt = joren_money_format (debtor->debt, self->shop->currency);
  GtkWidget *paid = gtk_button_new_with_label (_("Mark paid"));
  GtkWidget *pdf = gtk_button_new_with_label (_("Invoice PDF"));
  GtkWidget *till = gtk_button_new_with_label (_("Take payment at the till"));
  GtkWidget *mail = gtk_button_new_with_label (_("E-mail invoice"));
  DebtorRef *ref = g_new0 (DebtorRef, 1);

  ref->account_id = debtor->account_id;
  ref->customer_id = debtor->customer_id;
  ref->since = debtor->since ? g_date_time_ref (debtor->since) : NULL;
  ref->name = g_strdup (debtor->customer_name ? debtor->customer_name : debtor->number);
  ref->debt = debtor->debt;
  ref->row = row;
  ref->mail_button = mail;
  ref->mail_note = GTK_LABEL (create_small_text (NULL));
  g_object_set_data_full (G_OBJECT (row), DEBTOR_KEY, ref, (GDestroyNotify) debtor_ref_free);
  gtk_box_append (GTK_BOX (line), create_labels (self, debtor));
  gtk_box_append (GTK_BOX (line), joren_ui_label_new (debt, "line-amount", 1));
  add_button (line, till, G_CALLBACK (till_clicked_cb), self, ref);
  add_button (line, paid, G_CALLBACK (mark_paid_clicked_cb), self, ref);
  add_button (line, pdf, G_CALLBACK (invoice_clicked_cb), self, ref);
  add_button (line, mail, G_CALLBACK (mail_clicked_cb), self, ref);
  gtk_box_append (GTK_BOX (row), line);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (ref->mail_note));
  set_up_mail_button (self, debtor, ref);
  /* Anonymous accounts have no one to attach at the till. */
  gtk_widget_set_sensitive (till, debtor->customer_id != 0);
  gtk_widget_add_css_class (row, "sale-line");
  return row;
}

void
joren_value_page_load_debtors (JorenValuePage *self)
{
  g_autoptr(GPtrArray) debtors = NULL;
  g_autoptr(GError) error = NULL;

  joren_ui_remove_all (GTK_WIDGET (self->debtors_box));
  debtors = joren_value_list_debtors (self->db, &error);
  if (debtors == NULL)
    {
      joren_value_page_show_status (self, error->message);
      return;
    }
  for (guint i = 0; i < debtors->len; i++)
    gtk_list_box_append (self->debtors_box, create_debtor_row (self, g_ptr_array_index (debtors, i)));
}
