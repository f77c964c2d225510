/* joren-tender-view.c: payment. Amounts come from the keypad or a quick
 * cash button; with nothing typed a tender button takes what is still
 * due. On a refund the amounts are negative (money goes out). The commit
 * happens the moment the sale is settled, so a paid sale is on disk before
 * the change is even shown. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>   /* PRId64 inside _(): gettext translates it, not G_GINT64_FORMAT */

#include "joren-keypad.h"
#include "joren-number-dialog.h"
#include "joren-points.h"
#include "joren-sale-db.h"
#include "joren-tender-view.h"
#include "joren-ui.h"
#include "joren-value-ui.h"
#include "joren-voucher-dialog.h"

#define MAX_QUICK_CASH 6

struct _JorenTenderView
{
  GtkWidget    parent_instance;

  GtkStack    *stack;
  GtkLabel    *due_title;
  GtkLabel    *due_label;
  GtkLabel    *paid_label;
  GtkListBox  *tenders_box;
  GtkWidget   *finish_button;
  GtkFlowBox  *quick_box;
  JorenKeypad *keypad;
  GtkLabel    *change_title;
  GtkLabel    *change_label;
  GtkLabel    *receipt_label;
  GtkLabel    *points_label;
  GtkWidget   *points_button;
  GtkWidget   *account_button;
  GtkWidget   *preview_scroller;
  GtkPicture  *preview_picture;

  JorenDb     *db;
  JorenSale   *sale;
  gint64       cash_session_id;
};

enum {
  CANCELLED,
  COMMITTED,
  NEXT_CUSTOMER,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenTenderView, joren_tender_view, GTK_TYPE_WIDGET)

static void refresh (JorenTenderView *self);

static gboolean
is_refund (JorenTenderView *self)
{
  return joren_sale_get_kind (self->sale) == JOREN_SALE_KIND_REFUND;
}

static void
emit_message (JorenTenderView *self,
              const char      *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

static const char *
describe_tender_kind (JorenTenderKind kind)
{
  switch (kind)
    {
    case JOREN_TENDER_CASH:
      return _("Cash");
    case JOREN_TENDER_CARD:
      return _("Card");
    case JOREN_TENDER_POINTS:
      return _("Points");
    case JOREN_TENDER_VOUCHER:
      return _("Voucher");
    case JOREN_TENDER_ACCOUNT:
      return _("Account");
    case JOREN_TENDER_OTHER:
    default:
      return _("Other");
    }
}

/* The customer's points after the commit, read back from the ledger. */
static void
show_points_done (JorenTenderView *self)
{
  JorenUiSalePoints points;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (joren_sale_get_customer_id (self->sale) == 0 ||
      !joren_ui_get_sale_points (self->db, self->sale, &points, &error))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->points_label), FALSE);
      return;
    }
  /* TRANSLATORS: on the change screen: points earned by this sale, then the balance */
  text = g_strdup_printf (_("+%" PRId64 " points · balance %" PRId64 " points"),
                          points.earned, points.balance);
  gtk_label_set_text (self->points_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->points_label), TRUE);
}

static void
show_done (JorenTenderView *self)
{
  const JorenCurrency *currency = joren_sale_get_currency (self->sale);
  g_autofree char *receipt = g_strdup_printf (_("Receipt %s"), joren_sale_get_receipt_no (self->sale));

  gtk_label_set_text (self->change_title, is_refund (self) ? _("Paid out") : _("Change"));
  joren_ui_set_money (self->change_label,
                      is_refund (self) ? -joren_sale_get_paid (self->sale)
                                       : joren_sale_get_change (self->sale),
                      currency);
  gtk_label_set_text (self->receipt_label, receipt);
  show_points_done (self);
  joren_tender_view_set_preview (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "done");
}

static void
try_commit (JorenTenderView *self)
{
  g_autoptr(GError) error = NULL;

  if (!joren_db_commit_sale (self->db, self->sale, self->cash_session_id, &error))
    {
      /* Keep everything on screen: the cashier can retry with Finish. */
      g_autofree char *text = g_strdup_printf (_("The sale was not saved: %s"), error->message);

      emit_message (self, text);
      gtk_widget_set_visible (self->finish_button, TRUE);
      return;
    }
  /* A server keeps what it held for this sale until the sale's ops
   * arrive, however long the push waits. */
  joren_value_capture_sale (joren_value_ui_get_authority (self->db), self->sale, NULL);
  show_done (self);
  g_signal_emit (self, signals[COMMITTED], 0);
}

static void
add_tender (JorenTenderView *self,
            JorenTenderKind  kind,
            gint64           amount)
{
  g_autoptr(GError) error = NULL;

  joren_keypad_clear (self->keypad);
  if (!joren_sale_add_tender (self->sale, kind, amount, NULL, &error))
    {
      emit_message (self, error->message);
      return;
    }
  refresh (self);
  if (joren_sale_is_settled (self->sale))
    try_commit (self);
}

/* The typed amount, or what is still due when nothing was typed. */
static gboolean
get_amount (JorenTenderView *self,
            gint64          *amount)
{
  const char *text = joren_keypad_get_text (self->keypad);
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    {
      *amount = joren_sale_get_due (self->sale);
      return TRUE;
    }
  if (!joren_money_parse (text, joren_sale_get_currency (self->sale), amount, &error))
    {
      emit_message (self, error->message);
      joren_keypad_clear (self->keypad);
      return FALSE;
    }
  if (is_refund (self))
    *amount = -*amount;
  return TRUE;
}

static void
tender_with (JorenTenderView *self,
             JorenTenderKind  kind)
{
  gint64 amount = 0;

  if (joren_sale_is_settled (self->sale))
    try_commit (self);
  else if (get_amount (self, &amount))
    add_tender (self, kind, amount);
}

static void
cash_clicked_cb (JorenTenderView *self)
{
  tender_with (self, JOREN_TENDER_CASH);
}

static void
card_clicked_cb (JorenTenderView *self)
{
  tender_with (self, JOREN_TENDER_CARD);
}

static void
other_clicked_cb (JorenTenderView *self)
{
  tender_with (self, JOREN_TENDER_OTHER);
}

/* The customer's balance, 0 without a customer or on a refund. */
static gint64
get_points_balance (JorenTenderView *self)
{
  gint64 customer_id = joren_sale_get_customer_id (self->sale);

  if (customer_id == 0 || is_refund (self))
    return 0;
  return joren_points_balance (self->db, customer_id, NULL);
}

/* The most points this sale can take: the balance, and no more than what
 * is due, in whole redemption steps. */
static gint64
get_points_cap (JorenTenderView           *self,
                const JorenPointsSettings *settings)
{
  gint64 cap = get_points_balance (self);

  if (settings->redeem_value > 0)
    cap = MIN (cap, joren_sale_get_due (self->sale) * settings->redeem_points
                    / settings->redeem_value);
  while (cap > 0 && (cap * settings->redeem_value) % settings->redeem_points != 0)
    cap--;
  return cap;
}

static gboolean
points_entered_cb (JorenNumberDialog *dialog,
                   const char        *text,
                   guint              mode,
                   gpointer           user_data)
{
  JorenTenderView *self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 points = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT32, &points, &error) ||
      !joren_points_add_tender (self->db, self->sale, (gint64) points, &error))
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  refresh (self);
  if (joren_sale_is_settled (self->sale))
    try_commit (self);
  return TRUE;
}

static void
points_clicked_cb (JorenTenderView *self)
{
  JorenPointsSettings settings;
  JorenNumberDialog *dialog;
  g_autofree char *title = NULL;
  g_autofree char *cap_text = NULL;
  gint64 cap;

  joren_points_get_settings (self->db, &settings);
  cap = get_points_cap (self, &settings);
  if (cap < MAX (1, settings.redeem_min))
    {
      g_autofree char *text = g_strdup_printf (_("Not enough points: at least %" PRId64 " are used at a time"),
                                               settings.redeem_min);
      emit_message (self, text);
      return;
    }
  /* TRANSLATORS: the dialog title: balance, then the most this sale can take */
  title = g_strdup_printf (_("Pay with points: %" PRId64 " available, up to %" PRId64 " here"),
                           get_points_balance (self), cap);
  cap_text = g_strdup_printf ("%" G_GINT64_FORMAT, cap);
  dialog = joren_number_dialog_new (GTK_WIDGET (self), title);
  joren_keypad_set_text (joren_number_dialog_get_keypad (dialog), cap_text);
  joren_number_dialog_set_handler (dialog, points_entered_cb, self, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A voucher or account tender was added (joren-voucher-dialog.c). */
static void
value_tendered_cb (gpointer user_data)
{
  JorenTenderView *self = user_data;

  refresh (self);
  if (joren_sale_is_settled (self->sale))
    try_commit (self);
}

static void
voucher_clicked_cb (JorenTenderView *self)
{
  joren_voucher_dialog_redeem (GTK_WIDGET (self), self->db, self->sale, value_tendered_cb, self);
}

static void
account_clicked_cb (JorenTenderView *self)
{
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;

  if (!get_amount (self, &amount))
    return;
  joren_keypad_clear (self->keypad);
  if (!joren_value_add_account_tender (joren_value_ui_get_authority (self->db), self->db,
                                       self->sale, amount, &error))
    {
      g_autofree char *text = joren_value_ui_describe_refusal (self->db, self->sale, error->message);

      emit_message (self, text);
      return;
    }
  value_tendered_cb (self);
}

static void
finish_clicked_cb (JorenTenderView *self)
{
  if (joren_sale_is_settled (self->sale))
    try_commit (self);
}

static void
cancel_clicked_cb (JorenTenderView *self)
{
  /* Money handed over goes back to the customer with the sale, and what
   * was held on vouchers is free again. */
  joren_value_release_sale (joren_value_ui_get_authority (self->db), self->sale, NULL);
  joren_sale_clear_tenders (self->sale);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
next_clicked_cb (JorenTenderView *self)
{
  g_signal_emit (self, signals[NEXT_CUSTOMER], 0);
}

static void
quick_cash_clicked_cb (GtkButton       *button,
                       JorenTenderView *self)
{
  gint64 *amount = g_object_get_data (G_OBJECT (button), "joren-amount");

  add_tender (self, JOREN_TENDER_CASH, *amount);
}

/* Only the removed tender's hold is released; the others keep theirs. */
static void
remove_tender_clicked_cb (GtkButton       *button,
                          JorenTenderView *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "joren-index"));
  g_autoptr(GError) error = NULL;

  if (index >= joren_sale_get_n_tenders (self->sale))
    return;
  if (!joren_value_remove_tender (joren_value_ui_get_authority (self->db), self->sale, index,
                                  &error))
    g_debug ("Tender removed, its hold not released: %s", error->message);
  refresh (self);
}

static GtkWidget *
create_tender_row (JorenTenderView   *self,
                   const JorenTender *tender,
                   guint              index)
{
  g_autofree char *amount = joren_money_format (tender->amount, joren_sale_get_currency (self->sale));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *remove = gtk_button_new_with_label (_("Remove"));
  GtkWidget *kind = joren_ui_label_new (describe_tender_kind (tender->kind), "line-name", 0);

  gtk_widget_set_hexpand (kind, TRUE);
  gtk_box_append (GTK_BOX (box), kind);
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (amount, "line-amount", 1));
  gtk_box_append (GTK_BOX (box), remove);
  gtk_widget_add_css_class (box, "sale-line");
  g_object_set_data (G_OBJECT (remove), "joren-index", GUINT_TO_POINTER (index));
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_tender_clicked_cb), self);
  return box;
}

static void
fill_quick_cash (JorenTenderView *self)
{
  const JorenCurrency *currency = joren_sale_get_currency (self->sale);
  gint64 amounts[MAX_QUICK_CASH];
  gint64 due = joren_sale_get_due (self->sale);
  guint n = 0;

  joren_ui_remove_all (GTK_WIDGET (self->quick_box));
  if (due > 0)
    n = joren_money_quick_cash (due, currency, amounts, MAX_QUICK_CASH);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = joren_money_format (amounts[i], currency);
      GtkWidget *button = gtk_button_new_with_label (text);

      gtk_widget_add_css_class (button, "quick-cash");
      g_object_set_data_full (G_OBJECT (button), "joren-amount",
                              g_memdup2 (&amounts[i], sizeof (gint64)), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (quick_cash_clicked_cb), self);
      gtk_flow_box_append (self->quick_box, button);
    }
}

static void
refresh (JorenTenderView *self)
{
  const JorenCurrency *currency = joren_sale_get_currency (self->sale);
  g_autofree char *paid = joren_money_format (joren_sale_get_paid (self->sale), currency);
  g_autofree char *total = joren_money_format (joren_sale_get_total (self->sale), currency);
  g_autofree char *summary = g_strdup_printf (_("Total %s · paid %s"), total, paid);
  gint64 due = joren_sale_get_due (self->sale);

  gtk_label_set_text (self->due_title, is_refund (self) ? _("To pay out") : _("Amount due"));
  joren_ui_set_money (self->due_label, is_refund (self) ? -due : due, currency);
  gtk_label_set_text (self->paid_label, summary);
  joren_ui_remove_all (GTK_WIDGET (self->tenders_box));
  for (guint i = 0; i < joren_sale_get_n_tenders (self->sale); i++)
    gtk_list_box_append (self->tenders_box,
                         create_tender_row (self, joren_sale_get_tender (self->sale, i), i));
  fill_quick_cash (self);
  gtk_widget_set_visible (self->finish_button, joren_sale_is_settled (self->sale));
  gtk_widget_set_visible (self->points_button, get_points_balance (self) > 0);
  gtk_widget_set_visible (self->account_button, joren_value_ui_has_account (self->db, self->sale));
}

static void
joren_tender_view_dispose (GObject *object)
{
  JorenTenderView *self = JOREN_TENDER_VIEW (object);

  g_clear_object (&self->sale);
  g_clear_object (&self->db);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_TENDER_VIEW);
  G_OBJECT_CLASS (joren_tender_view_parent_class)->dispose (object);
}

static guint
new_void_signal (GObjectClass *klass,
                 const char   *name)
{
  return g_signal_new (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
joren_tender_view_class_init (JorenTenderViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_tender_view_dispose;

  /* Back to the sale, tenders dropped. */
  signals[CANCELLED] = new_void_signal (object_class, "cancelled");
  /* The sale is on disk; the register may start the next one. */
  signals[COMMITTED] = new_void_signal (object_class, "committed");
  /* The cashier is done with the change screen. */
  signals[NEXT_CUSTOMER] = new_void_signal (object_class, "next-customer");
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (JOREN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-tender-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, stack);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, due_title);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, due_label);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, paid_label);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, tenders_box);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, finish_button);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, quick_box);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, keypad);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, change_title);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, change_label);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, receipt_label);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, points_label);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, points_button);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, account_button);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, preview_scroller);
  gtk_widget_class_bind_template_child (widget_class, JorenTenderView, preview_picture);
  gtk_widget_class_bind_template_callback (widget_class, cash_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, card_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, other_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, points_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, voucher_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, finish_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_tender_view_init (JorenTenderView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  joren_keypad_set_placeholder (self->keypad, _("Amount handed over"));
}

GtkWidget *
joren_tender_view_new (void)
{
  return g_object_new (JOREN_TYPE_TENDER_VIEW, NULL);
}

void
joren_tender_view_begin (JorenTenderView *self,
                         JorenDb         *db,
                         JorenSale       *sale,
                         gint64           cash_session_id)
{
  const JorenCurrency *currency;

  g_return_if_fail (JOREN_IS_TENDER_VIEW (self));
  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (JOREN_IS_SALE (sale));

  g_set_object (&self->db, db);
  g_set_object (&self->sale, sale);
  self->cash_session_id = cash_session_id;
  currency = joren_sale_get_currency (sale);
  joren_keypad_set_decimal_separator (self->keypad,
                                      currency->decimals > 0 ? currency->decimal_sep : NULL);
  joren_keypad_clear (self->keypad);
  gtk_stack_set_visible_child_name (self->stack, "pay");
  refresh (self);
  /* Paid in full before this page (a prepaid card scanned at the
   * register, the canteen's quick pay): straight to the change. */
  if (joren_sale_get_n_tenders (sale) > 0 && joren_sale_is_settled (sale))
    try_commit (self);
}

gboolean
joren_tender_view_is_done (JorenTenderView *self)
{
  g_return_val_if_fail (JOREN_IS_TENDER_VIEW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "done") == 0;
}

JorenSale *
joren_tender_view_get_sale (JorenTenderView *self)
{
  g_return_val_if_fail (JOREN_IS_TENDER_VIEW (self), NULL);

  return self->sale;
}

void
joren_tender_view_set_preview (JorenTenderView *self,
                               GdkPaintable    *preview)
{
  g_return_if_fail (JOREN_IS_TENDER_VIEW (self));
  g_return_if_fail (preview == NULL || GDK_IS_PAINTABLE (preview));

  gtk_picture_set_paintable (self->preview_picture, preview);
  gtk_widget_set_visible (self->preview_scroller, preview != NULL);
}

GdkPaintable *
joren_tender_view_get_preview (JorenTenderView *self)
{
  g_return_val_if_fail (JOREN_IS_TENDER_VIEW (self), NULL);

  return gtk_picture_get_paintable (self->preview_picture);
}
