/* joren-value-page-debtors.c: who owes the shop what, since when. "Mark
 * paid" records a payment received outside the till (a bank transfer);
 * "Take payment at the till" switches to the register with the customer
 * attached and a line paying off the debt, for cash or any tender;
 * "Invoice PDF" writes the invoice of every charge still open to the
 * invoice folder and says where, opening nothing: the register has no
 * PDF viewer and the file is for e-mail or printing elsewhere. */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "joren-invoice.h"
#include "joren-sale-view.h"
#include "joren-ui.h"
#include "joren-value-page-private.h"
#include "joren-window.h"

/* What a row's buttons need, kept on the row. */
typedef struct {
  gint64     account_id;
  gint64     customer_id;
  GDateTime *since;
  char      *name;
  gint64     debt;
} DebtorRef;

static void
debtor_ref_free (DebtorRef *ref)
{
  g_clear_pointer (&ref->since, g_date_time_unref);
  g_free (ref->name);
  g_free (ref);
}

static DebtorRef *
get_ref (GtkWidget *button)
{
  return g_object_get_data (G_OBJECT (gtk_widget_get_parent (button)), "joren-debtor");
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

static char *
write_invoice (JorenValuePage  *self,
               const DebtorRef *ref,
               GError         **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) to = g_date_time_add_seconds (now, 1);
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  g_autoptr(JorenInvoice) invoice = NULL;
  g_autofree char *dir = get_invoice_dir (self);
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  invoice = joren_value_invoice_for_period (self->db, ref->account_id,
                                            ref->since ? ref->since : epoch, to, error);
  if (invoice == NULL)
    return NULL;
  file = g_strdup_printf ("%s.pdf", invoice->number);
  g_strdelimit (file, "/\\:", '-');
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
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (detail, "line-detail", 0));
  return box;
}

static void
add_button (GtkWidget      *row,
            GtkWidget      *button,
            GCallback       callback,
            JorenValuePage *self)
{
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", callback, self);
  gtk_box_append (GTK_BOX (row), button);
}

static GtkWidget *
create_debtor_row (JorenValuePage    *self,
                   const JorenDebtor *debtor)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *debt = joren_money_format (debtor->debt, self->shop->currency);
  GtkWidget *paid = gtk_button_new_with_label (_("Mark paid"));
  GtkWidget *pdf = gtk_button_new_with_label (_("Invoice PDF"));
  GtkWidget *till = gtk_button_new_with_label (_("Take payment at the till"));
  DebtorRef *ref = g_new0 (DebtorRef, 1);

  ref->account_id = debtor->account_id;
  ref->customer_id = debtor->customer_id;
  ref->since = debtor->since ? g_date_time_ref (debtor->since) : NULL;
  ref->name = g_strdup (debtor->customer_name ? debtor->customer_name : debtor->number);
  ref->debt = debtor->debt;
  g_object_set_data_full (G_OBJECT (row), "joren-debtor", ref, (GDestroyNotify) debtor_ref_free);
  gtk_box_append (GTK_BOX (row), create_labels (self, debtor));
  gtk_box_append (GTK_BOX (row), joren_ui_label_new (debt, "line-amount", 1));
  add_button (row, till, G_CALLBACK (till_clicked_cb), self);
  add_button (row, paid, G_CALLBACK (mark_paid_clicked_cb), self);
  add_button (row, pdf, G_CALLBACK (invoice_clicked_cb), self);
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
