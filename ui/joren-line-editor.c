/* joren-line-editor.c: edits one line of the live sale. The sale stays
 * the single source of truth: every button calls a joren_sale_* function
 * and the labels redraw from the sale's "changed" signal. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-keypad.h"
#include "joren-line-editor.h"
#include "joren-ui.h"

struct _JorenLineEditor
{
  GtkWindow    parent_instance;

  GtkLabel    *name_label;
  GtkLabel    *qty_label;
  GtkLabel    *amount_label;
  GtkLabel    *error_label;
  GtkWidget   *minus_button;
  JorenKeypad *keypad;

  JorenSale   *sale;
  guint        index;
  gulong       changed_id;
};

G_DEFINE_FINAL_TYPE (JorenLineEditor, joren_line_editor, GTK_TYPE_WINDOW)

enum {
  VOIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const JorenSaleLine *
get_line (JorenLineEditor *self)
{
  if (self->index >= joren_sale_get_n_lines (self->sale))
    return NULL;
  return joren_sale_get_line (self->sale, self->index);
}

static void
show_error (JorenLineEditor *self,
            const GError    *error)
{
  gtk_label_set_text (self->error_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

static void
refresh (JorenLineEditor *self)
{
  const JorenCurrency *currency = joren_sale_get_currency (self->sale);
  const JorenSaleLine *line = get_line (self);
  g_autofree char *qty = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *discount = NULL;
  g_autofree char *text = NULL;

  if (line == NULL)
    return;
  qty = g_strdup_printf ("%" G_GINT64_FORMAT, line->qty);
  unit = joren_money_format (line->unit_price, currency);
  amount = joren_money_format (line->amount, currency);
  discount = joren_ui_format_discount (&line->discount, currency);
  text = discount ? g_strdup_printf ("× %s  %s  = %s", unit, discount, amount)
                  : g_strdup_printf ("× %s = %s", unit, amount);
  gtk_label_set_text (self->name_label, line->name);
  gtk_label_set_text (self->qty_label, qty);
  gtk_label_set_text (self->amount_label, text);
  gtk_widget_set_sensitive (self->minus_button, !line->fixed && line->qty > 1);
}

static void
sale_changed_cb (JorenSale       *sale,
                 JorenLineEditor *self)
{
  refresh (self);
}

static void
apply_qty (JorenLineEditor *self,
           gint64           qty)
{
  g_autoptr(GError) error = NULL;

  if (!joren_sale_set_line_qty (self->sale, self->index, qty, &error))
    show_error (self, error);
  else
    show_error (self, NULL);
  joren_keypad_clear (self->keypad);
}

static void
minus_clicked_cb (JorenLineEditor *self)
{
  const JorenSaleLine *line = get_line (self);

  if (line != NULL && line->qty > 1)
    apply_qty (self, line->qty - 1);
}

static void
plus_clicked_cb (JorenLineEditor *self)
{
  const JorenSaleLine *line = get_line (self);

  if (line != NULL)
    apply_qty (self, line->qty + 1);
}

static void
set_qty_clicked_cb (JorenLineEditor *self)
{
  gint64 qty = joren_keypad_get_number (self->keypad);

  if (qty > 0)
    apply_qty (self, qty);
}

static void
apply_discount (JorenLineEditor     *self,
                JorenUiDiscountMode  mode)
{
  JorenDiscount discount = { JOREN_DISCOUNT_NONE, 0 };
  g_autoptr(GError) error = NULL;

  if (joren_ui_parse_discount (joren_keypad_get_text (self->keypad), mode,
                               joren_sale_get_currency (self->sale), &discount, &error) &&
      joren_sale_set_line_discount (self->sale, self->index, &discount, &error))
    show_error (self, NULL);
  else
    show_error (self, error);
  joren_keypad_clear (self->keypad);
}

static void
percent_clicked_cb (JorenLineEditor *self)
{
  apply_discount (self, JOREN_UI_DISCOUNT_PERCENT);
}

static void
amount_off_clicked_cb (JorenLineEditor *self)
{
  apply_discount (self, JOREN_UI_DISCOUNT_AMOUNT);
}

static void
no_discount_clicked_cb (JorenLineEditor *self)
{
  JorenDiscount none = { JOREN_DISCOUNT_NONE, 0 };
  g_autoptr(GError) error = NULL;

  if (!joren_sale_set_line_discount (self->sale, self->index, &none, &error))
    show_error (self, error);
}

/* "voided" carries the line as it was, for the void log (X/Z reports). */
static void
void_clicked_cb (JorenLineEditor *self)
{
  const JorenSaleLine *line = get_line (self);

  if (line != NULL)
    {
      g_autofree char *name = g_strdup (line->name);
      gint64 qty = line->qty;
      gint64 amount = line->amount;

      joren_sale_remove_line (self->sale, self->index);
      g_signal_emit (self, signals[VOIDED], 0, name, qty, amount);
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
joren_line_editor_dispose (GObject *object)
{
  JorenLineEditor *self = JOREN_LINE_EDITOR (object);

  g_clear_signal_handler (&self->changed_id, self->sale);
  g_clear_object (&self->sale);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_LINE_EDITOR);
  G_OBJECT_CLASS (joren_line_editor_parent_class)->dispose (object);
}

static void
joren_line_editor_class_init (JorenLineEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_line_editor_dispose;

  signals[VOIDED] = g_signal_new ("voided", G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 3,
                                  G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64);

  g_type_ensure (JOREN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-line-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenLineEditor, name_label);
  gtk_widget_class_bind_template_child (widget_class, JorenLineEditor, qty_label);
  gtk_widget_class_bind_template_child (widget_class, JorenLineEditor, amount_label);
  gtk_widget_class_bind_template_child (widget_class, JorenLineEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, JorenLineEditor, minus_button);
  gtk_widget_class_bind_template_child (widget_class, JorenLineEditor, keypad);
  gtk_widget_class_bind_template_callback (widget_class, minus_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, plus_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, set_qty_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, percent_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, amount_off_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, no_discount_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, void_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
}

static void
joren_line_editor_init (JorenLineEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

JorenLineEditor *
joren_line_editor_new (GtkWidget *parent,
                       JorenSale *sale,
                       guint      index)
{
  JorenLineEditor *self;
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;
  const JorenCurrency *currency;

  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);
  g_return_val_if_fail (index < joren_sale_get_n_lines (sale), NULL);

  self = g_object_new (JOREN_TYPE_LINE_EDITOR, NULL);
  self->sale = g_object_ref (sale);
  self->index = index;
  self->changed_id = g_signal_connect (sale, "changed", G_CALLBACK (sale_changed_cb), self);
  currency = joren_sale_get_currency (sale);
  if (currency->decimals > 0)
    joren_keypad_set_decimal_separator (self->keypad, currency->decimal_sep);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  refresh (self);
  return self;
}
