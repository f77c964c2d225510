/* joren-customer-dialog.c: the customer lookup. Four digits on the keypad
 * search the indexed last-4 column, more digits the whole normalised
 * number; the text field searches the start of the name or the reading.
 * Matches are rows a finger can hit; tapping one hands it to the caller. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "joren-customer-form.h"
#include "joren-keypad.h"
#include "joren-ui.h"

#define MAX_RESULTS 30

struct _JorenCustomerDialog
{
  GtkWindow          parent_instance;

  JorenKeypad       *keypad;
  GtkEditable       *name_entry;
  GtkLabel          *status_label;
  GtkListBox        *results_box;

  JorenDb           *db;
  GPtrArray         *results;   /* JorenCustomer*, in row order */
  JorenCustomerFunc  func;
  gpointer           user_data;
};

G_DEFINE_FINAL_TYPE (JorenCustomerDialog, joren_customer_dialog, GTK_TYPE_WINDOW)

static GtkWidget *
create_result_row (const JorenCustomer *customer)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  const char *phone = customer->phones->len > 0 ? g_ptr_array_index (customer->phones, 0) : "";
  g_autofree char *detail = g_strdup_printf ("%s · %s · %s", customer->member_no,
                                             customer->reading ? customer->reading : "", phone);

  gtk_box_append (GTK_BOX (box), joren_ui_label_new (customer->name, "line-name", 0));
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (detail, "line-detail", 0));
  gtk_widget_add_css_class (box, "customer-row");
  return box;
}

static void
show_results (JorenCustomerDialog *self,
              GPtrArray           *results,
              GError              *error)
{
  g_autofree char *status = NULL;

  joren_ui_remove_all (GTK_WIDGET (self->results_box));
  g_clear_pointer (&self->results, g_ptr_array_unref);
  if (results == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  self->results = results;
  for (guint i = 0; i < results->len; i++)
    gtk_list_box_append (self->results_box, create_result_row (g_ptr_array_index (results, i)));
  if (results->len >= MAX_RESULTS)
    status = g_strdup (_("Many customers match: type the whole number or search by name"));
  else if (results->len == 0)
    status = g_strdup (_("No customer found"));
  else
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match: tap the customer",
                                                             "%u matches: tap the customer", results->len),
                                                results->len);
  gtk_label_set_text (self->status_label, status);
}

static void
phone_search_clicked_cb (JorenCustomerDialog *self)
{
  const char *digits = joren_keypad_get_text (self->keypad);
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  if (strlen (digits) < 4)
    {
      gtk_label_set_text (self->status_label, _("Type the phone number or its last 4 digits"));
      return;
    }
  if (strlen (digits) == 4)
    results = joren_customer_find_by_last4 (self->db, digits, MAX_RESULTS, &error);
  else
    results = joren_customer_find_by_phone (self->db, digits, &error);
  show_results (self, results, error);
}

static void
name_search_clicked_cb (JorenCustomerDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (self->name_entry)));
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    {
      gtk_label_set_text (self->status_label, _("Type the start of the name or its reading"));
      return;
    }
  show_results (self, joren_customer_find_by_name (self->db, text, MAX_RESULTS, &error), error);
}

static void
result_activated_cb (GtkListBox          *box,
                     GtkListBoxRow       *row,
                     JorenCustomerDialog *self)
{
  const JorenCustomer *pick = g_ptr_array_index (self->results, gtk_list_box_row_get_index (row));
  g_autoptr(GError) error = NULL;
  /* A pick list holds what its rows show; the sale gets the whole record. */
  g_autoptr(JorenCustomer) customer = joren_customer_get (self->db, pick->id, &error);

  if (customer == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  self->func (customer, self->user_data);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
new_customer_clicked_cb (JorenCustomerDialog *self)
{
  const char *digits = joren_keypad_get_text (self->keypad);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  /* A whole number typed already is most likely the new member's. */
  joren_customer_form_run (parent ? GTK_WIDGET (parent) : NULL, self->db, NULL,
                           strlen (digits) > 4 ? digits : NULL, self->func, self->user_data);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
joren_customer_dialog_dispose (GObject *object)
{
  JorenCustomerDialog *self = JOREN_CUSTOMER_DIALOG (object);

  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_object (&self->db);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_CUSTOMER_DIALOG);
  G_OBJECT_CLASS (joren_customer_dialog_parent_class)->dispose (object);
}

static void
joren_customer_dialog_class_init (JorenCustomerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_customer_dialog_dispose;

  g_type_ensure (JOREN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-customer-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerDialog, keypad);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerDialog, results_box);
  gtk_widget_class_bind_template_callback (widget_class, phone_search_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_search_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_customer_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
}

static void
joren_customer_dialog_init (JorenCustomerDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  joren_keypad_set_placeholder (self->keypad, _("Phone or last 4"));
  joren_keypad_set_decimal_separator (self->keypad, NULL);
}

JorenCustomerDialog *
joren_customer_dialog_run (GtkWidget         *parent,
                           JorenDb           *db,
                           JorenCustomerFunc  func,
                           gpointer           user_data)
{
  JorenCustomerDialog *self;
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (JOREN_TYPE_CUSTOMER_DIALOG, NULL);
  self->db = g_object_ref (db);
  self->func = func;
  self->user_data = user_data;
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

void
joren_customer_dialog_search_phone (JorenCustomerDialog *self,
                                    const char          *digits)
{
  g_return_if_fail (JOREN_IS_CUSTOMER_DIALOG (self));
  g_return_if_fail (digits != NULL);

  joren_keypad_set_text (self->keypad, digits);
  phone_search_clicked_cb (self);
}

guint
joren_customer_dialog_get_n_results (JorenCustomerDialog *self)
{
  g_return_val_if_fail (JOREN_IS_CUSTOMER_DIALOG (self), 0);

  return self->results ? self->results->len : 0;
}
