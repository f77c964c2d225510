/* joren-sale-view-value.c: vouchers, prepaid cards, e-coupons and
 * customer accounts on the register page. A scan no product has is tried
 * here before the member cards: a voucher or card number shows what it
 * holds (and, with quick pay on, pays the sale in one step: the canteen
 * queue does not wait for a tender page), a coupon code is applied or
 * refused with its reason. The Voucher and Coupon buttons do the same by
 * hand, and tapping the coupon's discount row (or Coupon again) offers to
 * take it off; the customer panel offers paying off their account, and
 * the back office's debtor list starts such a pay-off here. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-coupon.h"
#include "joren-coupon-entry.h"
#include "joren-customer.h"
#include "joren-error.h"
#include "joren-number-dialog.h"
#include "joren-sale-view-private.h"
#include "joren-ui.h"
#include "joren-value-ui.h"
#include "joren-voucher-dialog.h"

static gboolean
check_editable_or_tell (JorenSaleView *self)
{
  g_autoptr(GError) error = NULL;

  if (joren_sale_view_check_editable (self, &error))
    return TRUE;
  joren_sale_view_emit_message (self, error->message);
  return FALSE;
}

static void
voucher_clicked_cb (JorenSaleView *self)
{
  if (check_editable_or_tell (self))
    joren_voucher_dialog_sell (GTK_WIDGET (self), self->db, self->sale, NULL, NULL);
}

static void
coupon_removal_chosen_cb (int      index,
                          gpointer user_data)
{
  JorenSaleView *self = user_data;

  if (index != 0 || joren_sale_get_coupon_code (self->sale) == NULL)
    return;
  joren_coupon_remove (self->sale);
  joren_sale_view_emit_message (self, _("Coupon removed: the code can be used again"));
}

/* One coupon per sale: the one applied can be taken off again (the
 * customer keeps it for another day, or the wrong code was scanned). */
static void
offer_coupon_removal (JorenSaleView *self)
{
  g_autofree char *applied = joren_coupon_entry_describe (self->sale);

  joren_ui_confirm (GTK_WIDGET (self), applied, _("Remove coupon"),
                    coupon_removal_chosen_cb, self);
}

/* A tap on the discount row: the coupon named there can be removed. */
static void
discount_row_released_cb (JorenSaleView *self)
{
  if (joren_sale_get_coupon_code (self->sale) != NULL && check_editable_or_tell (self))
    offer_coupon_removal (self);
}

static void
coupon_clicked_cb (JorenSaleView *self)
{
  if (!check_editable_or_tell (self))
    return;
  if (joren_sale_get_coupon_code (self->sale) != NULL)
    offer_coupon_removal (self);
  else if (joren_sale_get_n_lines (self->sale) == 0)
    joren_sale_view_emit_message (self, _("Add the items first, then the coupon"));
  else
    joren_coupon_entry_run (GTK_WIDGET (self), self->db, self->sale);
}

/* --- scans --- */

/* Not enough on the card: say so, and let the tender page take the rest. */
static void
tell_short (JorenSaleView           *self,
            const JorenValueAccount *account)
{
  const JorenCurrency *currency = joren_sale_get_currency (self->sale);
  g_autofree char *masked = joren_value_number_mask (account->number);
  g_autofree char *held = joren_money_format (joren_value_account_available (account), currency);
  g_autofree char *due = joren_money_format (joren_sale_get_due (self->sale), currency);
  /* TRANSLATORS: masked card number, what it holds, the sale's total */
  g_autofree char *text = g_strdup_printf (_("Card %s holds %s, not enough for %s. Pay here."),
                                           masked, held, due);

  joren_sale_view_emit_message (self, text);
  g_signal_emit_by_name (self, "pay");
}

/* The canteen flow: the whole sale from the card, then straight on to
 * the change screen (the tender page commits a sale already paid). */
static void
quick_pay (JorenSaleView           *self,
           const JorenValueAccount *account)
{
  g_autoptr(GError) error = NULL;

  if (joren_value_account_available (account) < joren_sale_get_due (self->sale))
    {
      tell_short (self, account);
      return;
    }
  if (!joren_value_add_voucher_tender (joren_value_ui_get_authority (self->db), self->sale,
                                       account->number, 0, NULL, &error))
    {
      joren_sale_view_emit_message (self, error->message);
      return;
    }
  g_signal_emit_by_name (self, "pay");
}

static gboolean
scan_voucher (JorenSaleView *self,
              const char    *code)
{
  g_autoptr(JorenValueAccount) account = NULL;
  g_autofree char *text = NULL;

  account = joren_value_authority_lookup (joren_value_ui_get_authority (self->db), code, NULL);
  if (account == NULL || account->kind == JOREN_VALUE_CUSTOMER_ACCOUNT)
    return FALSE;
  if (joren_sale_get_n_lines (self->sale) > 0 && joren_sale_get_due (self->sale) > 0 &&
      joren_value_ui_quick_pay_enabled (self->db))
    {
      quick_pay (self, account);
      return TRUE;
    }
  text = joren_value_ui_describe (account, joren_sale_get_currency (self->sale));
  joren_sale_view_emit_message (self, text);
  return TRUE;
}

/* TRUE when the code is a coupon: applied, or refused for a reason the
 * cashier should hear. A code nobody issued falls through. */
static gboolean
scan_coupon (JorenSaleView *self,
             const char    *code)
{
  g_autofree char *normalized = joren_coupon_code_normalize (code);
  g_autoptr(GError) error = NULL;
  g_autofree char *applied = NULL;

  if (normalized == NULL)
    return FALSE;
  if (!joren_value_apply_coupon (joren_value_ui_get_authority (self->db), self->db, self->sale, normalized, &error))
    {
      if (g_error_matches (error, JOREN_COUPON_ERROR, JOREN_COUPON_ERROR_MISTYPED) ||
          g_error_matches (error, JOREN_COUPON_ERROR, JOREN_COUPON_ERROR_UNKNOWN))
        return FALSE;
      joren_sale_view_emit_message (self, error->message);
      return TRUE;
    }
  applied = joren_coupon_entry_describe (self->sale);
  joren_sale_view_emit_message (self, applied);
  return TRUE;
}

gboolean
joren_sale_view_scan_value (JorenSaleView *self,
                            const char    *code)
{
  g_autofree char *stripped = g_strstrip (g_strdup (code));

  return scan_voucher (self, stripped) || scan_coupon (self, stripped);
}

/* --- the customer's account --- */

/* One pay-off line per account: typing a new amount replaces the old
 * line, so the amount stays editable until the sale is paid. */
static void
remove_payment_lines (JorenSale  *sale,
                      const char *number,
                      guint       before)
{
  for (guint i = before; i-- > 0;)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);

      if (line->kind == JOREN_LINE_ACCOUNT_PAYMENT && g_strcmp0 (line->reference, number) == 0)
        joren_sale_remove_line (sale, i);
    }
}

static gboolean
payoff_entered_cb (JorenNumberDialog *dialog,
                   const char        *text,
                   guint              mode,
                   gpointer           user_data)
{
  JorenSaleView *self = user_data;
  g_autoptr(JorenValueAccount) account = joren_value_ui_sale_account (self->db, self->sale);
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;
  guint index;

  if (account == NULL)
    return TRUE;
  if (*text != '\0' && !joren_money_parse (text, self->shop->currency, &amount, &error))
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  index = joren_value_add_payment_line (self->db, self->sale, account->id, amount, &error);
  if (index == G_MAXUINT)
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  remove_payment_lines (self->sale, account->number, index);
  return TRUE;
}

static void
payoff_clicked_cb (JorenSaleView *self)
{
  g_autoptr(JorenValueAccount) account = joren_value_ui_sale_account (self->db, self->sale);
  g_autofree char *owed = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *title = NULL;
  JorenNumberDialog *dialog;

  if (account == NULL || !check_editable_or_tell (self))
    return;
  owed = joren_money_format (-account->balance, self->shop->currency);
  plain = joren_money_format_plain (-account->balance, self->shop->currency);
  /* TRANSLATORS: the dialog title: paying off a customer account */
  title = g_strdup_printf (_("Pay off the account: %s owes %s"),
                           account->customer_name ? account->customer_name : "", owed);
  dialog = joren_number_dialog_new (GTK_WIDGET (self), title);
  joren_keypad_set_decimal_separator (joren_number_dialog_get_keypad (dialog),
                                      self->shop->currency->decimals > 0
                                      ? self->shop->currency->decimal_sep : NULL);
  joren_keypad_set_text (joren_number_dialog_get_keypad (dialog), plain);
  joren_number_dialog_set_handler (dialog, payoff_entered_cb, self, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
joren_sale_view_take_account_payment (JorenSaleView  *self,
                                      gint64          customer_id,
                                      GError        **error)
{
  g_autoptr(JorenCustomer) customer = NULL;
  g_autoptr(JorenValueAccount) account = NULL;

  g_return_val_if_fail (JOREN_IS_SALE_VIEW (self), FALSE);
  g_return_val_if_fail (customer_id > 0, FALSE);

  if (!joren_sale_view_check_editable (self, error))
    return FALSE;
  /* A pay-off is its own receipt: never mixed into someone's shopping. */
  if (joren_sale_get_n_lines (self->sale) > 0)
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                           _("A sale is open at the register: finish or park it first."));
      return FALSE;
    }
  customer = joren_customer_get (self->db, customer_id, error);
  if (customer == NULL)
    return FALSE;
  joren_sale_view_set_customer (self, customer);
  account = joren_value_ui_sale_account (self->db, self->sale);
  if (account == NULL)
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                           _("This customer has no account."));
      return FALSE;
    }
  return joren_value_add_payment_line (self->db, self->sale, account->id, 0, error) != G_MAXUINT;
}

static void
update_payoff (JorenSaleView *self)
{
  g_autoptr(JorenValueAccount) account = NULL;
  g_autofree char *owed = NULL;
  g_autofree char *label = NULL;

  if (self->db != NULL && joren_sale_get_kind (self->sale) == JOREN_SALE_KIND_SALE)
    account = joren_value_ui_sale_account (self->db, self->sale);
  gtk_widget_set_visible (self->payoff_button, account != NULL && account->balance < 0);
  if (account == NULL || account->balance >= 0)
    return;
  owed = joren_money_format (-account->balance, self->shop->currency);
  /* TRANSLATORS: on the customer panel; the amount the customer owes */
  label = g_strdup_printf (_("Pay off account (owes %s)"), owed);
  gtk_button_set_label (GTK_BUTTON (self->payoff_button), label);
}

void
joren_sale_view_update_value (JorenSaleView *self)
{
  const char *code = joren_sale_get_coupon_code (self->sale);
  g_autofree char *formatted = code ? joren_coupon_code_format (code) : NULL;
  g_autofree char *title = formatted ? g_strdup_printf (_("Coupon %s"), formatted) : NULL;

  /* The discount row names the coupon, so the cashier sees it was taken. */
  gtk_label_set_text (GTK_LABEL (self->discount_title), title ? title : _("Discount"));
  update_payoff (self);
}

void
joren_sale_view_value_bind_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, payoff_button);
  gtk_widget_class_bind_template_callback (widget_class, voucher_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, coupon_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, discount_row_released_cb);
  gtk_widget_class_bind_template_callback (widget_class, payoff_clicked_cb);
}
