/* joren-voucher-dialog.c: one dialog for both sides of a voucher, since
 * the cashier does the same thing on each: scan, read what the card holds,
 * type an amount. The number field takes the scanner's keystrokes like
 * any text field, so a scan ends with Enter and looks the number up.
 * Nothing is written here: the sale line or tender is added through the
 * value API, and the ledger moves only when the sale is committed. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-customer-dialog.h"
#include "joren-error.h"
#include "joren-keypad.h"
#include "joren-ui.h"
#include "joren-value-ui.h"
#include "joren-voucher-dialog.h"

typedef enum {
  MODE_SELL,
  MODE_REDEEM,
} Mode;

struct _JorenVoucherDialog
{
  GtkWindow          parent_instance;

  GtkLabel          *title_label;
  GtkWidget         *kind_box;
  GtkToggleButton   *gift_toggle;
  GtkToggleButton   *prepaid_toggle;
  GtkEditable       *number_entry;
  GtkWidget         *new_number_button;
  GtkLabel          *info_label;
  GtkFlowBox        *presets_box;
  GtkWidget         *customer_box;
  GtkLabel          *customer_label;
  GtkWidget         *customer_clear_button;
  GtkLabel          *error_label;
  JorenKeypad       *keypad;
  GtkButton         *ok_button;

  Mode               mode;
  JorenDb           *db;
  JorenSale         *sale;
  JorenValueAccount *account;      /* the number looked up, NULL: none or new */
  gint64             customer_id;
  JorenVoucherFunc   func;
  gpointer           user_data;
};

G_DEFINE_FINAL_TYPE (JorenVoucherDialog, joren_voucher_dialog, GTK_TYPE_WINDOW)

/* Presets in the currency's major units: amounts people give as gifts. */
static const gint64 presets_yen[] = { 1000, 3000, 5000, 10000 };
static const gint64 presets_major[] = { 10, 20, 50, 100 };

static void
set_error (JorenVoucherDialog *self,
           const char         *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static const JorenCurrency *
get_currency (JorenVoucherDialog *self)
{
  return joren_sale_get_currency (self->sale);
}

static void
set_amount (JorenVoucherDialog *self,
            gint64              amount)
{
  g_autofree char *text = joren_money_format_plain (amount, get_currency (self));

  joren_keypad_set_text (self->keypad, text);
}

static void
preset_clicked_cb (GtkButton          *button,
                   JorenVoucherDialog *self)
{
  set_amount (self, *(gint64 *) g_object_get_data (G_OBJECT (button), "joren-amount"));
}

static void
fill_presets (JorenVoucherDialog *self)
{
  const JorenCurrency *currency = get_currency (self);
  gboolean whole = currency->decimals == 0;
  const gint64 *presets = whole ? presets_yen : presets_major;
  gint64 scale = 1;

  for (guint i = 0; i < currency->decimals; i++)
    scale *= 10;
  for (guint i = 0; i < G_N_ELEMENTS (presets_yen); i++)
    {
      gint64 amount = presets[i] * scale;
      g_autofree char *label = joren_money_format (amount, currency);
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_widget_add_css_class (button, "quick-cash");
      g_object_set_data_full (G_OBJECT (button), "joren-amount",
                              g_memdup2 (&amount, sizeof amount), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (preset_clicked_cb), self);
      gtk_flow_box_append (self->presets_box, button);
    }
}

/* --- the customer the voucher is for --- */

static void
show_customer (JorenVoucherDialog *self,
               const char         *name)
{
  gtk_label_set_text (self->customer_label, name ? name : _("No customer (anonymous)"));
  gtk_widget_set_visible (self->customer_clear_button, name != NULL);
}

static void
customer_chosen_cb (const JorenCustomer *customer,
                    gpointer             user_data)
{
  JorenVoucherDialog *self = user_data;

  self->customer_id = customer->id;
  show_customer (self, customer->name);
}

static void
customer_clicked_cb (JorenVoucherDialog *self)
{
  joren_customer_dialog_run (GTK_WIDGET (self), self->db, customer_chosen_cb, self);
}

static void
customer_clear_clicked_cb (JorenVoucherDialog *self)
{
  self->customer_id = 0;
  show_customer (self, NULL);
}

static void
load_sale_customer (JorenVoucherDialog *self)
{
  g_autoptr(JorenCustomer) customer = NULL;

  self->customer_id = joren_sale_get_customer_id (self->sale);
  if (self->customer_id != 0)
    customer = joren_customer_get (self->db, self->customer_id, NULL);
  if (customer == NULL)
    self->customer_id = 0;
  show_customer (self, customer ? customer->name : NULL);
}

/* --- the number --- */

static void
forget_account (JorenVoucherDialog *self)
{
  g_clear_pointer (&self->account, joren_value_account_free);
  gtk_widget_set_sensitive (self->kind_box, TRUE);
}

static void
new_number_clicked_cb (JorenVoucherDialog *self)
{
  forget_account (self);
  set_error (self, NULL);
  gtk_editable_set_text (self->number_entry, "");
  gtk_label_set_text (self->info_label, _("A new number is made and printed on the slip."));
}

/* Why a voucher cannot pay, or NULL when it can. */
static char *
check_spendable (JorenVoucherDialog      *self,
                 const JorenValueAccount *account)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;

  if (account->kind == JOREN_VALUE_CUSTOMER_ACCOUNT)
    return g_strdup (_("This is a customer account: use the Account button instead."));
  if (joren_value_account_is_expired (account, NULL))
    {
      local = g_date_time_to_local (account->expires_at);
      date = g_date_time_format (local, "%Y-%m-%d");
      return g_strdup_printf (_("This voucher expired on %s."), date);
    }
  if (joren_value_account_available (account) <= 0)
    return g_strdup (_("Nothing is left on this voucher."));
  return NULL;
}

static void
show_account (JorenVoucherDialog *self)
{
  g_autofree char *text = joren_value_ui_describe (self->account, get_currency (self));
  g_autofree char *shown = NULL;
  gint64 available = joren_value_account_available (self->account);

  if (self->mode == MODE_SELL)
    {
      /* TRANSLATORS: a known card in the sell dialog: it gets topped up */
      shown = g_strdup_printf (_("Top up: %s"), text);
      gtk_toggle_button_set_active (self->account->kind == JOREN_VALUE_PREPAID
                                    ? self->prepaid_toggle : self->gift_toggle, TRUE);
      gtk_widget_set_sensitive (self->kind_box, FALSE);
    }
  else
    {
      gint64 take = MIN (available, joren_sale_get_due (self->sale));
      g_autofree char *taken = joren_money_format (take, get_currency (self));
      g_autofree char *left = joren_money_format (available - take, get_currency (self));

      set_amount (self, take);
      /* TRANSLATORS: the voucher, then what it pays now and what stays on it */
      shown = g_strdup_printf (_("%s\nPays %s now, %s stays on it."), text, taken, left);
    }
  gtk_label_set_text (self->info_label, shown);
}

/* A number nobody has registered: in the sell dialog, a voucher printed
 * elsewhere; at payment, a mistake. */
static void
show_unknown (JorenVoucherDialog *self,
              const char         *typed,
              GError             *error)
{
  g_autofree char *normalized = joren_value_number_normalize (typed);
  g_autofree char *formatted = NULL;
  g_autofree char *text = NULL;

  if (self->mode == MODE_REDEEM || normalized == NULL ||
      !g_error_matches (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND))
    {
      set_error (self, error->message);
      gtk_label_set_text (self->info_label, "");
      return;
    }
  formatted = joren_value_number_format (normalized);
  text = g_strdup_printf (_("New voucher with the printed number %s."), formatted);
  gtk_label_set_text (self->info_label, text);
}

/* TRUE when the typed number is usable (known, or new when selling). */
static gboolean
look_up (JorenVoucherDialog *self)
{
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (self->number_entry)));
  g_autoptr(GError) error = NULL;
  g_autofree char *refusal = NULL;

  forget_account (self);
  set_error (self, NULL);
  if (*typed == '\0')
    {
      if (self->mode == MODE_SELL)
        new_number_clicked_cb (self);
      else
        set_error (self, _("Scan or type the voucher number."));
      return self->mode == MODE_SELL;
    }
  self->account = joren_value_authority_lookup (joren_value_ui_get_authority (self->db),
                                                typed, &error);
  if (self->account == NULL)
    {
      show_unknown (self, typed, error);
      return self->mode == MODE_SELL && !gtk_widget_get_visible (GTK_WIDGET (self->error_label));
    }
  if (self->mode == MODE_REDEEM)
    refusal = check_spendable (self, self->account);
  else if (self->account->kind == JOREN_VALUE_CUSTOMER_ACCOUNT)
    refusal = g_strdup (_("This is a customer account: use Pay off account on the customer panel."));
  if (refusal != NULL)
    {
      set_error (self, refusal);
      forget_account (self);
      return FALSE;
    }
  show_account (self);
  return TRUE;
}

static void
lookup_clicked_cb (JorenVoucherDialog *self)
{
  look_up (self);
}

/* --- adding it to the sale --- */

static gboolean
read_amount (JorenVoucherDialog *self,
             gint64             *amount)
{
  const char *text = joren_keypad_get_text (self->keypad);
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    {
      set_error (self, _("Type the amount on the keypad or tap a preset."));
      return FALSE;
    }
  if (!joren_money_parse (text, get_currency (self), amount, &error))
    {
      set_error (self, error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_issue (JorenVoucherDialog *self,
           gint64              amount,
           GError            **error)
{
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (self->number_entry)));
  JorenValueKind kind = gtk_toggle_button_get_active (self->prepaid_toggle)
                        ? JOREN_VALUE_PREPAID : JOREN_VALUE_GIFT;

  return joren_value_add_issue_line (self->db, self->sale, kind,
                                     self->account ? self->account->number
                                     : *typed ? typed : NULL,
                                     amount, self->customer_id, error) != G_MAXUINT;
}

static gboolean
add_tender (JorenVoucherDialog *self,
            gint64              amount,
            GError            **error)
{
  if (joren_sale_get_kind (self->sale) == JOREN_SALE_KIND_REFUND)
    amount = -amount;
  return joren_value_add_voucher_tender (joren_value_ui_get_authority (self->db), self->sale,
                                         self->account->number, amount, NULL, error);
}

static void
ok_clicked_cb (JorenVoucherDialog *self)
{
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;
  gboolean added;

  /* A scan without Enter, or a number typed and OK tapped at once. */
  if (self->account == NULL && !look_up (self))
    return;
  if (self->mode == MODE_REDEEM && self->account == NULL)
    return;
  if (!read_amount (self, &amount))
    return;
  added = self->mode == MODE_SELL ? add_issue (self, amount, &error)
                                  : add_tender (self, amount, &error);
  if (!added)
    {
      set_error (self, error->message);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  if (self->func != NULL)
    self->func (self->user_data);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* --- GObject --- */

static void
joren_voucher_dialog_dispose (GObject *object)
{
  JorenVoucherDialog *self = JOREN_VOUCHER_DIALOG (object);

  g_clear_pointer (&self->account, joren_value_account_free);
  g_clear_object (&self->sale);
  g_clear_object (&self->db);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_VOUCHER_DIALOG);
  G_OBJECT_CLASS (joren_voucher_dialog_parent_class)->dispose (object);
}

static void
joren_voucher_dialog_class_init (JorenVoucherDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_voucher_dialog_dispose;

  g_type_ensure (JOREN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-voucher-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, kind_box);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, gift_toggle);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, prepaid_toggle);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, number_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, new_number_button);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, info_label);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, presets_box);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, customer_box);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, customer_label);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, customer_clear_button);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, keypad);
  gtk_widget_class_bind_template_child (widget_class, JorenVoucherDialog, ok_button);
  gtk_widget_class_bind_template_callback (widget_class, lookup_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_number_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, customer_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, customer_clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, ok_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
}

static void
joren_voucher_dialog_init (JorenVoucherDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  joren_keypad_set_placeholder (self->keypad, _("Amount"));
}

static JorenVoucherDialog *
create (GtkWidget        *parent,
        JorenDb          *db,
        JorenSale        *sale,
        Mode              mode,
        JorenVoucherFunc  func,
        gpointer          user_data)
{
  JorenVoucherDialog *self = g_object_new (JOREN_TYPE_VOUCHER_DIALOG, NULL);
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;
  const JorenCurrency *currency = joren_sale_get_currency (sale);
  gboolean sell = mode == MODE_SELL;
  const char *title = sell ? _("Sell or top up a voucher") : _("Pay with a voucher or prepaid card");

  self->mode = mode;
  self->db = g_object_ref (db);
  self->sale = g_object_ref (sale);
  self->func = func;
  self->user_data = user_data;
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->title_label, title);
  gtk_button_set_label (self->ok_button, sell ? _("Add to sale") : _("Pay"));
  joren_keypad_set_decimal_separator (self->keypad,
                                      currency->decimals > 0 ? currency->decimal_sep : NULL);
  gtk_widget_set_visible (self->kind_box, sell);
  gtk_widget_set_visible (self->new_number_button, sell);
  gtk_widget_set_visible (GTK_WIDGET (self->presets_box), sell);
  gtk_widget_set_visible (self->customer_box, sell);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  return self;
}

JorenVoucherDialog *
joren_voucher_dialog_sell (GtkWidget        *parent,
                           JorenDb          *db,
                           JorenSale        *sale,
                           JorenVoucherFunc  func,
                           gpointer          user_data)
{
  JorenVoucherDialog *self;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);

  self = create (parent, db, sale, MODE_SELL, func, user_data);
  fill_presets (self);
  load_sale_customer (self);
  new_number_clicked_cb (self);
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->number_entry));
  return self;
}

JorenVoucherDialog *
joren_voucher_dialog_redeem (GtkWidget        *parent,
                             JorenDb          *db,
                             JorenSale        *sale,
                             JorenVoucherFunc  func,
                             gpointer          user_data)
{
  JorenVoucherDialog *self;
  g_autofree char *due = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);

  self = create (parent, db, sale, MODE_REDEEM, func, user_data);
  due = joren_money_format (ABS (joren_sale_get_due (sale)), joren_sale_get_currency (sale));
  text = g_strdup_printf (_("Due %s. Scan the voucher or type its number."), due);
  gtk_label_set_text (self->info_label, text);
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->number_entry));
  return self;
}

void
joren_voucher_dialog_set_number (JorenVoucherDialog *self,
                                 const char         *number)
{
  g_return_if_fail (JOREN_IS_VOUCHER_DIALOG (self));
  g_return_if_fail (number != NULL);

  gtk_editable_set_text (self->number_entry, number);
  look_up (self);
}

const char *
joren_voucher_dialog_get_info (JorenVoucherDialog *self)
{
  g_return_val_if_fail (JOREN_IS_VOUCHER_DIALOG (self), NULL);

  return gtk_label_get_text (self->info_label);
}

const char *
joren_voucher_dialog_get_error (JorenVoucherDialog *self)
{
  g_return_val_if_fail (JOREN_IS_VOUCHER_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_text (self->error_label) : NULL;
}
