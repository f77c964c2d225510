/* joren-refund-dialog.c: one row per line of the original receipt with a
 * -/+ quantity up to what may still be refunded. Nothing is added to the
 * refund until the cashier confirms, so Cancel leaves no trace. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>   /* PRId64: gettext can translate it, not G_GINT64_FORMAT */

#include "joren-refund-dialog.h"
#include "joren-ui.h"

typedef struct {
  JorenSale       *refund;
  gint64          *qty;        /* chosen per original line */
  GtkLabel       **qty_labels;
  guint            n_lines;
  GtkLabel        *error_label;
  JorenRefundFunc  func;
  gpointer         user_data;
} RefundData;

static void
refund_data_free (RefundData *data)
{
  g_object_unref (data->refund);
  g_free (data->qty);
  g_free (data->qty_labels);
  g_free (data);
}

static RefundData *
get_data (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (gtk_widget_get_root (widget)), "joren-refund");
}

static void
set_qty (RefundData *data,
         guint       index,
         gint64      qty)
{
  gint64 max = joren_sale_get_refundable_qty (data->refund, index);
  g_autofree char *text = NULL;

  data->qty[index] = CLAMP (qty, 0, max);
  text = g_strdup_printf ("%" G_GINT64_FORMAT, data->qty[index]);
  gtk_label_set_text (data->qty_labels[index], text);
}

static void
step_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  RefundData *data = get_data (GTK_WIDGET (button));
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "joren-index"));
  int step = GPOINTER_TO_INT (user_data);

  set_qty (data, index, data->qty[index] + step);
}

static void
all_clicked_cb (GtkButton *button,
                gpointer   user_data)
{
  RefundData *data = get_data (GTK_WIDGET (button));

  for (guint i = 0; i < data->n_lines; i++)
    set_qty (data, i, G_MAXINT64);
}

static gboolean
add_chosen_lines (RefundData *data,
                  GError    **error)
{
  gboolean any = FALSE;

  for (guint i = 0; i < data->n_lines; i++)
    {
      if (data->qty[i] <= 0)
        continue;
      joren_sale_add_refund_line (data->refund, i, data->qty[i], error);
      if (error != NULL && *error != NULL)
        return FALSE;
      any = TRUE;
    }
  if (!any)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Choose how many of which items come back"));
  return any;
}

static void
confirm_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));
  RefundData *data = get_data (GTK_WIDGET (button));
  g_autoptr(GError) error = NULL;

  if (!add_chosen_lines (data, &error))
    {
      gtk_label_set_text (data->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (data->error_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  data->func (data->refund, data->user_data);
  gtk_window_destroy (window);
}

static void
cancel_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))));
}

static GtkWidget *
create_step_button (const char *label,
                    guint       index,
                    int         step)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "qty-step");
  g_object_set_data (G_OBJECT (button), "joren-index", GUINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", G_CALLBACK (step_clicked_cb), GINT_TO_POINTER (step));
  return button;
}

static GtkWidget *
create_line_row (RefundData *data,
                 JorenSale  *original,
                 guint       index)
{
  const JorenSaleLine *line = joren_sale_get_line (original, index);
  gint64 max = joren_sale_get_refundable_qty (data->refund, index);
  g_autofree char *paid = joren_money_format (line->amount, joren_sale_get_currency (original));
  g_autofree char *detail = g_strdup_printf (_("%s paid · up to %" PRId64 " back"),
                                             paid, max);
  GtkWidget *row = gtk_grid_new ();
  GtkWidget *qty_label = joren_ui_label_new ("0", "qty-value", 0.5);

  gtk_grid_set_column_spacing (GTK_GRID (row), 8);
  gtk_widget_add_css_class (row, "refund-line");
  gtk_grid_attach (GTK_GRID (row), joren_ui_label_new (line->name, "line-name", 0), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (row), joren_ui_label_new (detail, "line-detail", 0), 0, 1, 1, 1);
  gtk_widget_set_hexpand (gtk_grid_get_child_at (GTK_GRID (row), 0, 0), TRUE);
  gtk_grid_attach (GTK_GRID (row), create_step_button ("−", index, -1), 1, 0, 1, 2);
  gtk_grid_attach (GTK_GRID (row), qty_label, 2, 0, 1, 2);
  gtk_grid_attach (GTK_GRID (row), create_step_button ("+", index, 1), 3, 0, 1, 2);
  gtk_widget_set_sensitive (row, max > 0);
  data->qty_labels[index] = GTK_LABEL (qty_label);
  return row;
}

static GtkWidget *
create_buttons (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *cancel = gtk_button_new_with_label (_("Cancel"));
  GtkWidget *all = gtk_button_new_with_label (_("Everything"));
  GtkWidget *confirm = gtk_button_new_with_label (_("Refund"));

  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_widget_add_css_class (confirm, "suggested-action");
  gtk_widget_set_name (confirm, "refund-confirm");
  g_signal_connect (all, "clicked", G_CALLBACK (all_clicked_cb), NULL);
  g_signal_connect (confirm, "clicked", G_CALLBACK (confirm_clicked_cb), NULL);
  g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), NULL);
  gtk_box_append (GTK_BOX (box), cancel);
  gtk_box_append (GTK_BOX (box), all);
  gtk_box_append (GTK_BOX (box), confirm);
  return box;
}

void
joren_refund_dialog_run (GtkWidget       *parent,
                         JorenSale       *refund,
                         JorenRefundFunc  func,
                         gpointer         user_data)
{
  JorenSale *original = joren_sale_get_original (refund);
  g_autofree char *title = NULL;
  RefundData *data;
  GtkWindow *window;
  GtkWidget *box, *list, *scrolled;

  g_return_if_fail (JOREN_IS_SALE (refund) && JOREN_IS_SALE (original));
  g_return_if_fail (func != NULL);

  data = g_new0 (RefundData, 1);
  data->refund = g_object_ref (refund);
  data->n_lines = joren_sale_get_n_lines (original);
  data->qty = g_new0 (gint64, data->n_lines);
  data->qty_labels = g_new0 (GtkLabel *, data->n_lines);
  data->func = func;
  data->user_data = user_data;
  title = g_strdup_printf (_("Refund from receipt %s"), joren_sale_get_receipt_no (original));
  window = joren_ui_dialog_new (parent, title);
  gtk_window_set_default_size (window, 640, 560);
  g_object_set_data_full (G_OBJECT (window), "joren-refund", data,
                          (GDestroyNotify) refund_data_free);

  list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  for (guint i = 0; i < data->n_lines; i++)
    gtk_box_append (GTK_BOX (list), create_line_row (data, original, i));
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (box, "dialog-body");
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (title, "dialog-title", 0.5));
  gtk_box_append (GTK_BOX (box), scrolled);
  data->error_label = GTK_LABEL (joren_ui_label_new (NULL, "error", 0.5));
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->error_label));
  gtk_box_append (GTK_BOX (box), create_buttons ());
  gtk_window_set_child (window, box);
  gtk_window_present (window);
}
