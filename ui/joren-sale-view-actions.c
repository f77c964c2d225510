/* joren-sale-view-actions.c: the register's action buttons: open price,
 * typed barcode, receipt discount, park/recall, refund, clear. Each asks
 * through a keypad dialog, never the hardware keyboard, and reports
 * problems in the banner so scanning is never blocked by a message box. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-authorize.h"
#include "joren-number-dialog.h"
#include "joren-refund-dialog.h"
#include "joren-sale-db.h"
#include "joren-sale-view-private.h"
#include "joren-ui.h"

static gboolean
check_editable_or_tell (JorenSaleView *self)
{
  g_autoptr(GError) error = NULL;

  if (joren_sale_view_check_editable (self, &error))
    return TRUE;
  joren_sale_view_emit_message (self, error->message);
  return FALSE;
}

void
joren_sale_view_price_clicked_cb (JorenSaleView *self)
{
  const char *text = joren_keypad_get_text (self->keypad);
  g_autoptr(GError) error = NULL;
  gint64 price = 0;

  if (!check_editable_or_tell (self))
    return;
  if (*text == '\0')
    {
      joren_sale_view_emit_message (self, _("Type the price on the keypad, then tap Price"));
      return;
    }
  if (!joren_money_parse (text, self->shop->currency, &price, &error) || price <= 0)
    joren_sale_view_emit_message (self, error ? error->message : _("The price must be more than zero"));
  else
    joren_sale_add_open_item (self->sale, _("Open item"), price,
                              self->open_tax_class_id, self->open_rate_bp);
  joren_keypad_clear (self->keypad);
}

void
joren_sale_view_barcode_clicked_cb (JorenSaleView *self)
{
  g_autofree char *code = g_strdup (joren_keypad_get_text (self->keypad));
  g_autoptr(GError) error = NULL;

  if (*code == '\0')
    {
      joren_sale_view_emit_message (self, _("Type the barcode number on the keypad, then tap Barcode"));
      return;
    }
  joren_keypad_clear (self->keypad);
  if (!joren_sale_view_scan (self, code, &error))
    joren_sale_view_emit_message (self, error->message);
}

static gboolean
discount_entered_cb (JorenNumberDialog *dialog,
                     const char        *text,
                     guint              mode,
                     gpointer           user_data)
{
  JorenSaleView *self = user_data;
  JorenDiscount discount = { JOREN_DISCOUNT_NONE, 0 };
  g_autoptr(GError) error = NULL;

  /* Nothing typed: take the discount off again. */
  if (*text != '\0' &&
      !joren_ui_parse_discount (text, mode, self->shop->currency, &discount, &error))
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  if (!joren_sale_set_discount (self->sale, &discount, &error))
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  return TRUE;
}

void
joren_sale_view_discount_clicked_cb (JorenSaleView *self)
{
  JorenNumberDialog *dialog;

  if (!check_editable_or_tell (self))
    return;
  if (joren_sale_get_n_lines (self->sale) == 0)
    {
      joren_sale_view_emit_message (self, _("Add items before giving a discount"));
      return;
    }
  dialog = joren_number_dialog_new (GTK_WIDGET (self), _("Discount on the whole sale"));
  joren_number_dialog_add_mode (dialog, "%");
  joren_number_dialog_add_mode (dialog, self->shop->currency->symbol);
  if (self->shop->currency->decimals > 0)
    joren_keypad_set_decimal_separator (joren_number_dialog_get_keypad (dialog),
                                        self->shop->currency->decimal_sep);
  joren_number_dialog_set_handler (dialog, discount_entered_cb, self, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
joren_sale_view_park_clicked_cb (JorenSaleView *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *label = g_date_time_format (now, "%H:%M");
  g_autoptr(GError) error = NULL;

  if (!check_editable_or_tell (self))
    return;
  if (joren_sale_get_n_lines (self->sale) == 0)
    {
      joren_sale_view_emit_message (self, _("There is nothing to park"));
      return;
    }
  if (joren_db_park_sale (self->db, self->sale, label, &error) <= 0)
    {
      joren_sale_view_emit_message (self, error ? error->message : _("The sale could not be parked"));
      return;
    }
  joren_sale_view_new_sale (self);
  joren_sale_view_emit_message (self, _("Sale parked. Tap Recall to continue it."));
}

static void
recall_chosen_cb (int      index,
                  gpointer user_data)
{
  JorenSaleView *self = user_data;
  gint64 id = g_array_index (self->parked_ids, gint64, index);
  g_autoptr(GError) error = NULL;
  JorenSale *sale = joren_db_recall_parked (self->db, id, &error);

  if (sale == NULL)
    joren_sale_view_emit_message (self, error->message);
  else
    joren_sale_view_take_sale (self, sale);
}

static char *
describe_parked (const JorenParkedSale *parked,
                 const JorenCurrency   *currency)
{
  g_autofree char *total = joren_money_format (parked->total, currency);

  /* TRANSLATORS: a parked sale: label (time), items, total, staff */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u item · %s · %s",
                                       "%s · %u items · %s · %s", parked->n_lines),
                          parked->label ? parked->label : "", parked->n_lines, total,
                          parked->staff_name ? parked->staff_name : "");
}

void
joren_sale_view_recall_clicked_cb (JorenSaleView *self)
{
  g_autoptr(GPtrArray) parked = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  if (joren_sale_get_n_lines (self->sale) > 0)
    {
      joren_sale_view_emit_message (self, _("Park or finish the current sale first"));
      return;
    }
  parked = joren_db_list_parked (self->db, &error);
  if (parked == NULL || parked->len == 0)
    {
      joren_sale_view_emit_message (self, error ? error->message : _("No parked sales"));
      return;
    }
  g_array_set_size (self->parked_ids, 0);
  for (guint i = 0; i < parked->len; i++)
    {
      const JorenParkedSale *p = g_ptr_array_index (parked, i);

      g_array_append_val (self->parked_ids, p->id);
      g_ptr_array_add (labels, describe_parked (p, self->shop->currency));
    }
  g_ptr_array_add (labels, NULL);
  joren_ui_choose (GTK_WIDGET (self), _("Recall a parked sale"),
                   (const char *const *) labels->pdata, recall_chosen_cb, self);
}

static void
refund_lines_chosen_cb (JorenSale *refund,
                        gpointer   user_data)
{
  joren_sale_view_take_sale (JOREN_SALE_VIEW (user_data), g_object_ref (refund));
}

static gboolean
receipt_entered_cb (JorenNumberDialog *dialog,
                    const char        *text,
                    guint              mode,
                    gpointer           user_data)
{
  JorenSaleView *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSale) refund = joren_db_prepare_refund (self->db, text, &error);

  if (refund == NULL)
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  joren_refund_dialog_run (GTK_WIDGET (self), refund, refund_lines_chosen_cb, self);
  return TRUE;
}

static void
ask_receipt_number (JorenSaleView *self)
{
  JorenNumberDialog *dialog = joren_number_dialog_new (GTK_WIDGET (self),
                                                       _("Receipt number to refund"));
  g_autofree char *prefix = NULL;

  /* Receipts of this register start with its prefix: type only the number. */
  if (self->shop->register_prefix != NULL && *self->shop->register_prefix != '\0')
    prefix = g_strdup_printf ("%s-", self->shop->register_prefix);
  joren_keypad_set_text (joren_number_dialog_get_keypad (dialog), prefix);
  joren_number_dialog_set_handler (dialog, receipt_entered_cb, self, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
refund_authorized_cb (const JorenStaff *authorizer,
                      gpointer          user_data)
{
  ask_receipt_number (JOREN_SALE_VIEW (user_data));
}

void
joren_sale_view_refund_clicked_cb (JorenSaleView *self)
{
  if (joren_sale_get_n_lines (self->sale) > 0)
    {
      joren_sale_view_emit_message (self, _("Finish or park the current sale first"));
      return;
    }
  if (self->staff != NULL && joren_role_can (self->staff->role, JOREN_PERMISSION_REFUND))
    ask_receipt_number (self);
  else
    joren_authorize_run (GTK_WIDGET (self), self->db, JOREN_PERMISSION_REFUND,
                         _("A manager's PIN is needed for a refund"),
                         refund_authorized_cb, self);
}

static void
clear_confirmed_cb (int      index,
                    gpointer user_data)
{
  joren_sale_view_new_sale (JOREN_SALE_VIEW (user_data));
}

void
joren_sale_view_clear_clicked_cb (JorenSaleView *self)
{
  if (joren_sale_get_n_lines (self->sale) == 0)
    {
      joren_sale_view_new_sale (self);
      return;
    }
  joren_ui_confirm (GTK_WIDGET (self), _("Clear this sale? All its items are removed."),
                    _("Clear sale"), clear_confirmed_cb, self);
}
