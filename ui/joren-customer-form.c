/* joren-customer-form.c: quick registration. The data layer refuses a
 * phone number another member has; the form then shows who that is and
 * turns Save into "Register anyway", so adding a second customer with
 * the same number (a family's landline) is always a decision, never an
 * accident. Changing the phone takes the warning back. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-customer-form.h"
#include "joren-error.h"
#include "joren-keypad.h"

struct _JorenCustomerForm
{
  GtkWindow          parent_instance;

  JorenKeypad       *phone_keypad;
  GtkEditable       *name_entry;
  GtkEditable       *reading_entry;
  GtkCheckButton    *birthday_check;
  GtkSpinButton     *year_spin;
  GtkSpinButton     *month_spin;
  GtkSpinButton     *day_spin;
  GtkEditable       *card_entry;
  GtkLabel          *error_label;
  GtkButton         *register_button;

  JorenDb           *db;
  gboolean           force;      /* the cashier saw the duplicate warning */
  JorenCustomerFunc  func;
  gpointer           user_data;
};

G_DEFINE_FINAL_TYPE (JorenCustomerForm, joren_customer_form, GTK_TYPE_WINDOW)

static void
show_error (JorenCustomerForm *self,
            const char        *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
phone_changed_cb (JorenCustomerForm *self)
{
  self->force = FALSE;
  /* "Save", not "Register": that is the cash register in the header. */
  gtk_button_set_label (self->register_button, _("Save"));
  show_error (self, NULL);
}

/* NULL when a field is blank. */
static char *
get_text (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static JorenCustomer *
build_customer (JorenCustomerForm *self)
{
  JorenCustomer *customer = joren_customer_new ();
  const char *phone = joren_keypad_get_text (self->phone_keypad);
  g_autofree char *card = get_text (self->card_entry);

  customer->name = get_text (self->name_entry);
  customer->reading = get_text (self->reading_entry);
  if (gtk_check_button_get_active (self->birthday_check))
    customer->birthday = g_strdup_printf ("%04d-%02d-%02d",
                                          gtk_spin_button_get_value_as_int (self->year_spin),
                                          gtk_spin_button_get_value_as_int (self->month_spin),
                                          gtk_spin_button_get_value_as_int (self->day_spin));
  if (*phone != '\0')
    joren_customer_add_phone (customer, phone);
  if (card != NULL)
    joren_customer_add_card (customer, card, JOREN_CARD_BARCODE);
  return customer;
}

static gboolean
check_birthday (JorenCustomerForm *self)
{
  g_autoptr(GDateTime) date = NULL;

  if (!gtk_check_button_get_active (self->birthday_check))
    return TRUE;
  date = g_date_time_new_local (gtk_spin_button_get_value_as_int (self->year_spin),
                                gtk_spin_button_get_value_as_int (self->month_spin),
                                gtk_spin_button_get_value_as_int (self->day_spin), 0, 0, 0);
  if (date == NULL)
    show_error (self, _("This date does not exist: check the day and month."));
  return date != NULL;
}

/* The members who have this number already, for the warning. */
static char *
describe_phone_owners (JorenCustomerForm *self,
                       const char        *phone)
{
  g_autoptr(GPtrArray) others = joren_customer_find_by_phone (self->db, phone, NULL);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; others != NULL && i < others->len; i++)
    {
      const JorenCustomer *other = g_ptr_array_index (others, i);

      g_string_append_printf (names, "\n%s · %s", other->member_no, other->name);
    }
  return others != NULL && others->len > 0 ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

static void
warn_duplicate (JorenCustomerForm *self,
                const GError      *error)
{
  g_autofree char *owners = describe_phone_owners (self, joren_keypad_get_text (self->phone_keypad));
  g_autofree char *text = NULL;

  /* Only a phone may be shared; a card that is taken stays an error. */
  if (owners == NULL)
    {
      show_error (self, error->message);
      return;
    }
  text = g_strconcat (error->message, owners, NULL);
  show_error (self, text);
  self->force = TRUE;
  gtk_button_set_label (self->register_button, _("Register anyway"));
}

static void
register_clicked_cb (JorenCustomerForm *self)
{
  g_autoptr(JorenCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;

  if (!check_birthday (self))
    return;
  customer = build_customer (self);
  if (customer->name == NULL)
    {
      show_error (self, _("Type the customer's name."));
      return;
    }
  if (!joren_customer_add (self->db, customer, self->force, &error))
    {
      if (g_error_matches (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS) && !self->force)
        warn_duplicate (self, error);
      else
        show_error (self, error->message);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  self->func (customer, self->user_data);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
joren_customer_form_dispose (GObject *object)
{
  JorenCustomerForm *self = JOREN_CUSTOMER_FORM (object);

  g_clear_object (&self->db);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_CUSTOMER_FORM);
  G_OBJECT_CLASS (joren_customer_form_parent_class)->dispose (object);
}

static void
joren_customer_form_class_init (JorenCustomerFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_customer_form_dispose;

  g_type_ensure (JOREN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-customer-form.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerForm, phone_keypad);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerForm, name_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerForm, reading_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerForm, birthday_check);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerForm, year_spin);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerForm, month_spin);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerForm, day_spin);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerForm, card_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomerForm, register_button);
  gtk_widget_class_bind_template_callback (widget_class, register_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
}

static void
joren_customer_form_init (JorenCustomerForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  joren_keypad_set_decimal_separator (self->phone_keypad, NULL);
  joren_keypad_set_placeholder (self->phone_keypad, _("Phone number"));
  g_signal_connect_swapped (self->phone_keypad, "changed", G_CALLBACK (phone_changed_cb), self);
}

JorenCustomerForm *
joren_customer_form_run (GtkWidget         *parent,
                         JorenDb           *db,
                         const char        *card,
                         const char        *phone,
                         JorenCustomerFunc  func,
                         gpointer           user_data)
{
  JorenCustomerForm *self;
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (JOREN_TYPE_CUSTOMER_FORM, NULL);
  self->db = g_object_ref (db);
  self->func = func;
  self->user_data = user_data;
  if (card != NULL)
    gtk_editable_set_text (self->card_entry, card);
  if (phone != NULL)
    joren_keypad_set_text (self->phone_keypad, phone);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (self));
  return self;
}
