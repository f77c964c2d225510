/* joren-value-page.c: the Vouchers & accounts page: its liability line,
 * the voucher list with the ledger of the one tapped, and the limits tab.
 * Lists show the newest accounts only (a few hundred): a shop with many
 * thousands of cards finds one by typing its whole number. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "joren-ui.h"
#include "joren-value-page-private.h"
#include "joren-value-ui.h"
#include "joren-value.h"

#define MAX_ACCOUNTS 300
#define MAX_ENTRIES  200

G_DEFINE_FINAL_TYPE (JorenValuePage, joren_value_page, GTK_TYPE_WIDGET)

void
joren_value_page_show_status (JorenValuePage *self,
                              const char     *message)
{
  gtk_label_set_text (self->status_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL && *message);
}

gboolean
joren_value_page_read_money (JorenValuePage *self,
                             GtkEditable    *entry,
                             gint64         *out)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;

  *out = 0;
  if (*text == '\0' || joren_money_parse (text, self->shop->currency, out, &error))
    return TRUE;
  joren_value_page_show_status (self, error->message);
  return FALSE;
}

char *
joren_value_page_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
load_liability (JorenValuePage *self)
{
  g_autoptr(GError) error = NULL;
  gint64 owed = joren_value_outstanding_liability (self->db, &error);
  g_autofree char *amount = joren_money_format (owed, self->shop->currency);
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      joren_value_page_show_status (self, error->message);
      return;
    }
  /* TRANSLATORS: what every voucher and prepaid card still holds */
  text = g_strdup_printf (_("Outstanding on vouchers and cards: %s"), amount);
  gtk_label_set_text (self->liability_label, text);
}

/* --- vouchers and their ledgers --- */

static GtkWidget *
create_account_row (JorenValuePage          *self,
                    const JorenValueAccount *account)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *text = joren_value_ui_describe (account, self->shop->currency);
  GtkWidget *name = joren_ui_label_new (text, "line-name", 0);

  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_box_append (GTK_BOX (box), name);
  if (account->customer_name != NULL)
    gtk_box_append (GTK_BOX (box), joren_ui_label_new (account->customer_name, "line-detail", 0));
  gtk_widget_add_css_class (box, "sale-line");
  return box;
}

static gboolean
matches (const JorenValueAccount *account,
         const char              *search,
         const char              *digits)
{
  g_autofree char *name = account->customer_name ? g_utf8_casefold (account->customer_name, -1) : NULL;

  if (*search == '\0')
    return TRUE;
  return (digits != NULL && strstr (account->number, digits) != NULL) ||
         (name != NULL && strstr (name, search) != NULL);
}

static void
load_accounts (JorenValuePage *self)
{
  g_autofree char *search = g_utf8_casefold (gtk_editable_get_text (self->search_entry), -1);
  g_autofree char *digits = joren_value_number_normalize (search);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gpointer *items = NULL;
  gsize n = 0;

  joren_ui_remove_all (GTK_WIDGET (self->accounts_box));
  joren_ui_remove_all (GTK_WIDGET (self->ledger_box));
  g_ptr_array_set_size (self->accounts, 0);
  all = joren_value_list_accounts (self->db, -1, MAX_ACCOUNTS, &error);
  if (all == NULL)
    {
      joren_value_page_show_status (self, error->message);
      return;
    }
  /* Taken out of the list: the kept ones move to self->accounts. */
  items = g_ptr_array_steal (all, &n);
  for (gsize i = 0; i < n; i++)
    {
      JorenValueAccount *account = items[i];

      if (account->kind == JOREN_VALUE_CUSTOMER_ACCOUNT || !matches (account, search, digits))
        {
          joren_value_account_free (account);
          continue;
        }
      g_ptr_array_add (self->accounts, account);
      gtk_list_box_append (self->accounts_box, create_account_row (self, account));
    }
}

static void
search_changed_cb (JorenValuePage *self)
{
  load_accounts (self);
}

static GtkWidget *
create_entry_row (JorenValuePage        *self,
                  const JorenValueEntry *entry)
{
  g_autofree char *when = joren_value_page_format_time (entry->created_at);
  g_autofree char *amount = joren_money_format (entry->amount, self->shop->currency);
  g_autofree char *detail = g_strdup_printf ("%s · %s · %s", when,
                                             entry->receipt_no ? entry->receipt_no
                                             : entry->reason ? entry->reason : "",
                                             entry->staff_name ? entry->staff_name : "");
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *kind = joren_ui_label_new (joren_value_entry_kind_get_label (entry->kind), "line-name", 0);

  gtk_widget_set_hexpand (kind, TRUE);
  gtk_grid_attach (GTK_GRID (grid), kind, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), joren_ui_label_new (detail, "line-detail", 0), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), joren_ui_label_new (amount, "line-amount", 1), 1, 0, 1, 2);
  gtk_widget_add_css_class (grid, "sale-line");
  return grid;
}

static void
account_selected_cb (JorenValuePage *self,
                     GtkListBoxRow  *row)
{
  const JorenValueAccount *account;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  joren_ui_remove_all (GTK_WIDGET (self->ledger_box));
  if (row == NULL)
    return;
  account = g_ptr_array_index (self->accounts, gtk_list_box_row_get_index (row));
  title = joren_value_ui_describe (account, self->shop->currency);
  gtk_label_set_text (self->ledger_title, title);
  entries = joren_value_list_entries (self->db, account->id, MAX_ENTRIES, &error);
  if (entries == NULL)
    {
      joren_value_page_show_status (self, error->message);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (self->ledger_box, create_entry_row (self, g_ptr_array_index (entries, i)));
}

/* --- limits --- */

static void
set_money_entry (JorenValuePage *self,
                 GtkEditable    *entry,
                 gint64          amount)
{
  g_autofree char *text = amount > 0 ? joren_money_format_plain (amount, self->shop->currency) : NULL;

  gtk_editable_set_text (entry, text ? text : "");
}

static void
load_limits (JorenValuePage *self)
{
  JorenValueSettings settings;

  joren_value_get_settings (self->db, &settings);
  set_money_entry (self, self->max_topup_entry, settings.max_topup);
  set_money_entry (self, self->max_balance_entry, settings.max_balance);
  set_money_entry (self, self->credit_entry, settings.default_credit_limit);
  gtk_spin_button_set_value (self->expiry_spin, settings.expiry_months);
  gtk_check_button_set_active (self->gift_check,
                               settings.accepted_kinds & JOREN_VALUE_KIND_BIT (JOREN_VALUE_GIFT));
  gtk_check_button_set_active (self->prepaid_check,
                               settings.accepted_kinds & JOREN_VALUE_KIND_BIT (JOREN_VALUE_PREPAID));
  gtk_check_button_set_active (self->account_check,
                               settings.accepted_kinds & JOREN_VALUE_KIND_BIT (JOREN_VALUE_CUSTOMER_ACCOUNT));
  gtk_check_button_set_active (self->quick_pay_check, joren_value_ui_quick_pay_enabled (self->db));
}

static guint
read_kinds (JorenValuePage *self)
{
  guint kinds = 0;

  if (gtk_check_button_get_active (self->gift_check))
    kinds |= JOREN_VALUE_KIND_BIT (JOREN_VALUE_GIFT);
  if (gtk_check_button_get_active (self->prepaid_check))
    kinds |= JOREN_VALUE_KIND_BIT (JOREN_VALUE_PREPAID);
  if (gtk_check_button_get_active (self->account_check))
    kinds |= JOREN_VALUE_KIND_BIT (JOREN_VALUE_CUSTOMER_ACCOUNT);
  return kinds;
}

static void
save_limits_clicked_cb (JorenValuePage *self)
{
  JorenValueSettings settings;
  gboolean quick = gtk_check_button_get_active (self->quick_pay_check);
  g_autoptr(GError) error = NULL;

  joren_value_get_settings (self->db, &settings);
  if (!joren_value_page_read_money (self, self->max_topup_entry, &settings.max_topup) ||
      !joren_value_page_read_money (self, self->max_balance_entry, &settings.max_balance) ||
      !joren_value_page_read_money (self, self->credit_entry, &settings.default_credit_limit))
    return;
  settings.expiry_months = (guint) gtk_spin_button_get_value_as_int (self->expiry_spin);
  settings.accepted_kinds = read_kinds (self);
  if (!joren_value_set_settings (self->db, &settings, &error) ||
      !joren_db_set_setting (self->db, JOREN_SETTING_VALUE_QUICK_PAY, quick ? "1" : "0", &error))
    joren_value_page_show_status (self, error->message);
  else
    joren_value_page_show_status (self, _("Limits saved."));
}

/* Each tab is read when it is shown: sales on the till change them. */
static void
tab_changed_cb (JorenValuePage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->tabs);

  if (self->db == NULL || name == NULL)
    return;
  load_liability (self);
  if (g_str_equal (name, "vouchers"))
    load_accounts (self);
  else if (g_str_equal (name, "debtors"))
    joren_value_page_load_debtors (self);
  else if (g_str_equal (name, "coupons"))
    joren_value_page_load_campaigns (self);
  else
    load_limits (self);
}

/* --- GObject --- */

static void
joren_value_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (joren_value_page_parent_class)->map (widget);
  joren_value_page_reload (JOREN_VALUE_PAGE (widget));
}

static void
joren_value_page_dispose (GObject *object)
{
  JorenValuePage *self = JOREN_VALUE_PAGE (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->shop, joren_shop_free);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_VALUE_PAGE);
  /* The top box is not a bound child: unparent it here. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (joren_value_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, JorenValuePage, name)

static void
joren_value_page_class_init (JorenValuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_value_page_dispose;
  widget_class->map = joren_value_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-value-page.ui");
  BIND (liability_label);
  BIND (status_label);
  BIND (tabs);
  BIND (search_entry);
  BIND (accounts_box);
  BIND (ledger_title);
  BIND (ledger_box);
  BIND (debtors_box);
  BIND (max_topup_entry);
  BIND (max_balance_entry);
  BIND (credit_entry);
  BIND (expiry_spin);
  BIND (gift_check);
  BIND (prepaid_check);
  BIND (account_check);
  BIND (quick_pay_check);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_limits_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, tab_changed_cb);
  joren_value_page_coupons_bind_template (widget_class);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_value_page_init (JorenValuePage *self)
{
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_value_account_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
joren_value_page_new (void)
{
  return g_object_new (JOREN_TYPE_VALUE_PAGE, NULL);
}

void
joren_value_page_set_db (JorenValuePage  *self,
                         JorenDb         *db,
                         const JorenShop *shop)
{
  g_return_if_fail (JOREN_IS_VALUE_PAGE (self));
  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (shop != NULL);

  g_set_object (&self->db, db);
  g_clear_pointer (&self->shop, joren_shop_free);
  self->shop = joren_shop_copy (shop);
  joren_value_page_reload (self);
}

void
joren_value_page_set_staff (JorenValuePage *self,
                            gint64          staff_id)
{
  g_return_if_fail (JOREN_IS_VALUE_PAGE (self));

  self->staff_id = staff_id;
}

void
joren_value_page_reload (JorenValuePage *self)
{
  g_return_if_fail (JOREN_IS_VALUE_PAGE (self));

  tab_changed_cb (self);
}

const char *
joren_value_page_get_status (JorenValuePage *self)
{
  g_return_val_if_fail (JOREN_IS_VALUE_PAGE (self), NULL);

  return gtk_label_get_text (self->status_label);
}
