/* joren-value-page-coupons.c: e-coupon campaigns in the back office.
 * A campaign is made from a short form (kind, value, minimum spend,
 * validity), codes are issued in batches by count on a keypad, and the
 * codes list shows which were used, on which receipt. "Print codes"
 * issues a batch and prints it at once, one slip per code on the till's
 * printer: printing new codes rather than reprinting unused ones means a
 * code is never handed out twice. "E-mail codes" sends one code each to
 * the customers of a segment (joren-coupon-mail-dialog.h). Campaigns of
 * other registers arrive by sync and are read-only here. Product and
 * category conditions are left to the data API for now. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-coupon.h"
#include "joren-coupon-mail-dialog.h"
#include "joren-number-dialog.h"
#include "joren-receipt-coupon.h"
#include "joren-window.h"
#include "joren-ui.h"
#include "joren-value-page-private.h"

#define MAX_ISSUE 1000

static gint64
campaign_id_of (GtkWidget *button)
{
  return *(gint64 *) g_object_get_data (G_OBJECT (button), "joren-campaign");
}

/* "2025-04-01" as local midnight; empty: NULL (open). */
static gboolean
parse_day (GtkEditable  *entry,
           GDateTime   **out)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  int y, m, d;

  *out = NULL;
  if (*text == '\0')
    return TRUE;
  if (sscanf (text, "%d-%d-%d", &y, &m, &d) != 3)
    return FALSE;
  *out = g_date_time_new_local (y, m, d, 0, 0, 0);
  return *out != NULL;
}

static char *
describe_value (JorenValuePage            *self,
                const JorenCouponCampaign *campaign)
{
  g_autofree char *amount = NULL;

  switch (campaign->kind)
    {
    case JOREN_COUPON_PERCENT:
      return g_strdup_printf ("-%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT "%%",
                              campaign->value / 100, campaign->value % 100);
    case JOREN_COUPON_FREE_ITEM:
      return g_strdup (_("one item free"));
    case JOREN_COUPON_AMOUNT:
    default:
      amount = joren_money_format (campaign->value, self->shop->currency);
      return g_strdup_printf ("-%s", amount);
    }
}

/* The value as typed: an amount, or a percent ("10", "7.5") in basis points. */
static gboolean
read_value (JorenValuePage  *self,
            JorenCouponKind  kind,
            gint64          *out)
{
  const char *text = gtk_editable_get_text (self->campaign_value_entry);
  JorenDiscount discount = { JOREN_DISCOUNT_NONE, 0 };
  g_autoptr(GError) error = NULL;

  *out = 0;
  if (kind == JOREN_COUPON_FREE_ITEM)
    return TRUE;
  if (kind == JOREN_COUPON_AMOUNT)
    return joren_value_page_read_money (self, self->campaign_value_entry, out);
  if (!joren_ui_parse_discount (text, JOREN_UI_DISCOUNT_PERCENT, self->shop->currency,
                                &discount, &error))
    {
      joren_value_page_show_status (self, error->message);
      return FALSE;
    }
  *out = discount.value;
  return TRUE;
}

static JorenCouponCampaign *
read_campaign (JorenValuePage *self)
{
  JorenCouponKind kind = (JorenCouponKind) gtk_drop_down_get_selected (self->campaign_kind_drop);
  g_autoptr(JorenCouponCampaign) campaign = NULL;
  gint64 value = 0;

  if (!read_value (self, kind, &value))
    return NULL;
  campaign = joren_coupon_campaign_new (gtk_editable_get_text (self->campaign_name_entry), kind, value);
  if (!joren_value_page_read_money (self, self->campaign_min_entry, &campaign->min_spend))
    return NULL;
  if (!parse_day (self->campaign_from_entry, &campaign->valid_from) ||
      !parse_day (self->campaign_until_entry, &campaign->valid_until))
    {
      joren_value_page_show_status (self, _("Type dates as YYYY-MM-DD, e.g. 2025-04-01."));
      return NULL;
    }
  return g_steal_pointer (&campaign);
}

static void
create_campaign_clicked_cb (JorenValuePage *self)
{
  g_autoptr(JorenCouponCampaign) campaign = read_campaign (self);
  g_autoptr(GError) error = NULL;

  if (campaign == NULL)
    return;
  if (!joren_coupon_campaign_add (self->db, campaign, &error))
    {
      joren_value_page_show_status (self, error->message);
      return;
    }
  for (GtkEditable **e = (GtkEditable *[]) { self->campaign_name_entry, self->campaign_value_entry,
                                             self->campaign_min_entry, self->campaign_from_entry,
                                             self->campaign_until_entry, NULL }; *e; e++)
    gtk_editable_set_text (*e, "");
  joren_value_page_show_status (self, _("Campaign created. Issue its codes from the list."));
  joren_value_page_load_campaigns (self);
}

/* --- codes --- */

static GtkWidget *
create_code_row (const JorenCouponCode *code)
{
  g_autofree char *shown = joren_coupon_code_format (code->code);
  g_autofree char *when = joren_value_page_format_time (code->redeemed_at);
  /* TRANSLATORS: a used coupon code: when, on which receipt */
  g_autofree char *state = code->redeemed_at ? g_strdup_printf (_("used %s · %s"), when,
                                                                code->receipt_no ? code->receipt_no : "")
                                             : g_strdup (_("unused"));
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = joren_ui_label_new (shown, "line-name", 0);

  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), joren_ui_label_new (state, "line-detail", 1));
  gtk_widget_add_css_class (row, "sale-line");
  return row;
}

static void
show_codes (JorenValuePage *self,
            gint64          campaign_id)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint used = 0;

  joren_ui_remove_all (GTK_WIDGET (self->codes_box));
  codes = joren_coupon_list_codes (self->db, campaign_id, &error);
  if (codes == NULL)
    {
      joren_value_page_show_status (self, error->message);
      return;
    }
  for (guint i = 0; i < codes->len; i++)
    {
      const JorenCouponCode *code = g_ptr_array_index (codes, i);

      used += code->redeemed_at != NULL;
      gtk_list_box_append (self->codes_box, create_code_row (code));
    }
  /* TRANSLATORS: the codes list's title */
  title = g_strdup_printf (_("%u codes, %u used"), codes->len, used);
  gtk_label_set_text (self->codes_title, title);
}

static void
codes_clicked_cb (GtkWidget      *button,
                  JorenValuePage *self)
{
  show_codes (self, campaign_id_of (button));
}

/* The slips go through the window's print queue, like the receipts. */
static gboolean
print_codes (JorenValuePage  *self,
             gint64           campaign_id,
             GPtrArray       *codes,
             GError         **error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(JorenCouponCampaign) campaign = NULL;
  g_autoptr(GPtrArray) slips = NULL;

  if (!JOREN_IS_WINDOW (root))
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                           _("No receipt printer here"));
      return FALSE;
    }
  campaign = joren_coupon_campaign_load (self->db, campaign_id, error);
  if (campaign == NULL)
    return FALSE;
  slips = joren_receipt_new_coupon_slips (self->shop, campaign, codes);
  for (guint i = 0; i < slips->len; i++)
    if (!joren_window_print_document (JOREN_WINDOW (root), g_ptr_array_index (slips, i), error))
      return FALSE;
  return TRUE;
}

/* After the codes are stored: a failed print costs paper, not the codes
 * (they stay in the list, usable). */
static void
tell_printed (JorenValuePage *self,
              gint64          campaign_id,
              GPtrArray      *codes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!print_codes (self, campaign_id, codes, &error))
    {
      /* TRANSLATORS: %s says why the printer could not be used */
      text = g_strdup_printf (_("The codes were issued but not printed: %s"), error->message);
      joren_value_page_show_status (self, text);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u coupon slip sent to the printer.",
                                       "%u coupon slips sent to the printer.", codes->len),
                          codes->len);
  joren_value_page_show_status (self, text);
}

static gboolean
count_entered_cb (JorenNumberDialog *dialog,
                  const char        *text,
                  guint              mode,
                  gpointer           user_data)
{
  GtkWidget *button = user_data;
  JorenValuePage *self = JOREN_VALUE_PAGE (gtk_widget_get_ancestor (button, JOREN_TYPE_VALUE_PAGE));
  gint64 campaign_id = campaign_id_of (button);
  /* Read before the list is rebuilt: that destroys the button. */
  gboolean print = g_object_get_data (G_OBJECT (button), "joren-print") != NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, MAX_ISSUE, &n, &error) ||
      (codes = joren_coupon_issue (self->db, campaign_id, 0, (guint) n, &error)) == NULL)
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  joren_value_page_load_campaigns (self);
  show_codes (self, campaign_id);
  if (print)
    tell_printed (self, campaign_id, codes);
  return TRUE;
}

static void
ask_count (GtkWidget      *button,
           JorenValuePage *self,
           const char     *question)
{
  JorenNumberDialog *dialog = joren_number_dialog_new (GTK_WIDGET (self), question);

  joren_keypad_set_decimal_separator (joren_number_dialog_get_keypad (dialog), NULL);
  joren_keypad_set_text (joren_number_dialog_get_keypad (dialog), "10");
  joren_number_dialog_set_handler (dialog, count_entered_cb, g_object_ref (button), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
issue_clicked_cb (GtkWidget      *button,
                  JorenValuePage *self)
{
  ask_count (button, self, _("How many codes to issue?"));
}

static void
print_clicked_cb (GtkWidget      *button,
                  JorenValuePage *self)
{
  ask_count (button, self, _("How many codes to print?"));
}

/* The counts in the list change with the codes the dialog issues. */
static void
mail_clicked_cb (GtkWidget      *button,
                 JorenValuePage *self)
{
  JorenCouponMailDialog *dialog = joren_coupon_mail_dialog_new (GTK_WIDGET (self), self->db,
                                                                campaign_id_of (button),
                                                                self->staff_id);

  g_signal_connect_object (dialog, "destroy", G_CALLBACK (joren_value_page_load_campaigns), self,
                           G_CONNECT_SWAPPED);
}

static void
active_clicked_cb (GtkWidget      *button,
                   JorenValuePage *self)
{
  gboolean active = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "joren-active"));
  g_autoptr(GError) error = NULL;

  if (!joren_coupon_campaign_set_active (self->db, campaign_id_of (button), !active, &error))
    joren_value_page_show_status (self, error->message);
  joren_value_page_load_campaigns (self);
}

static GtkWidget *
add_button (GtkWidget                 *row,
            JorenValuePage            *self,
            const JorenCouponCampaign *campaign,
            const char                *label,
            GCallback                  callback)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "joren-campaign",
                          g_memdup2 (&campaign->id, sizeof campaign->id), g_free);
  g_signal_connect (button, "clicked", callback, self);
  gtk_box_append (GTK_BOX (row), button);
  return button;
}

static GtkWidget *
create_campaign_labels (JorenValuePage            *self,
                        const JorenCouponCampaign *campaign)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *value = describe_value (self, campaign);
  g_autofree char *until = joren_value_page_format_time (campaign->valid_until);
  /* TRANSLATORS: coupon value · codes issued · used · until a date, or "stopped" */
  g_autofree char *detail = g_strdup_printf (_("%s · %u issued · %u used · %s"), value,
                                             campaign->n_issued, campaign->n_redeemed,
                                             !campaign->active ? _("stopped")
                                             : *until ? until : _("no end"));
  GtkWidget *name = joren_ui_label_new (campaign->name, "line-name", 0);

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), joren_ui_wrap (joren_ui_label_new (detail, "line-detail", 0)));
  if (campaign->owner_register != 0)
    gtk_box_append (GTK_BOX (box),
                    joren_ui_wrap (joren_ui_label_new (_("Set up at another register: only it can"
                                                         " stop or start it."), "hint", 0)));
  return box;
}

static GtkWidget *
create_campaign_row (JorenValuePage            *self,
                     const JorenCouponCampaign *campaign)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  /* The buttons under the name, not beside it: five fit at 1024 px. */
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *toggle, *print;

  gtk_box_append (GTK_BOX (row), create_campaign_labels (self, campaign));
  gtk_box_append (GTK_BOX (row), buttons);
  add_button (buttons, self, campaign, _("Issue codes"), G_CALLBACK (issue_clicked_cb));
  print = add_button (buttons, self, campaign, _("Print codes"), G_CALLBACK (print_clicked_cb));
  g_object_set_data (G_OBJECT (print), "joren-print", GINT_TO_POINTER (TRUE));
  if (campaign->active)
    add_button (buttons, self, campaign, _("E-mail codes"), G_CALLBACK (mail_clicked_cb));
  add_button (buttons, self, campaign, _("Codes"), G_CALLBACK (codes_clicked_cb));
  /* Another register's campaign is changed there, and reaches this one
   * by sync. */
  if (campaign->owner_register == 0)
    {
      toggle = add_button (buttons, self, campaign, campaign->active ? _("Stop") : _("Start"),
                           G_CALLBACK (active_clicked_cb));
      g_object_set_data (G_OBJECT (toggle), "joren-active", GINT_TO_POINTER (campaign->active));
    }
  gtk_widget_add_css_class (row, "sale-line");
  return row;
}

void
joren_value_page_load_campaigns (JorenValuePage *self)
{
  g_autoptr(GPtrArray) campaigns = NULL;
  g_autoptr(GError) error = NULL;

  joren_ui_remove_all (GTK_WIDGET (self->campaigns_box));
  campaigns = joren_coupon_campaign_list (self->db, &error);
  if (campaigns == NULL)
    {
      joren_value_page_show_status (self, error->message);
      return;
    }
  for (guint i = 0; i < campaigns->len; i++)
    gtk_list_box_append (self->campaigns_box,
                         create_campaign_row (self, g_ptr_array_index (campaigns, i)));
}

void
joren_value_page_coupons_bind_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, JorenValuePage, campaign_name_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenValuePage, campaign_kind_drop);
  gtk_widget_class_bind_template_child (widget_class, JorenValuePage, campaign_value_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenValuePage, campaign_min_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenValuePage, campaign_from_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenValuePage, campaign_until_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenValuePage, campaigns_box);
  gtk_widget_class_bind_template_child (widget_class, JorenValuePage, codes_title);
  gtk_widget_class_bind_template_child (widget_class, JorenValuePage, codes_box);
  gtk_widget_class_bind_template_callback (widget_class, create_campaign_clicked_cb);
}
