/* joren-coupon-entry.c: the typed e-coupon. Built in code: one field and
 * two buttons do not need a template. The window keeps the database and
 * the sale as object data, so nothing outlives it. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-coupon.h"
#include "joren-coupon-entry.h"
#include "joren-ui.h"
#include "joren-value-ui.h"

char *
joren_coupon_entry_describe (JorenSale *sale)
{
  g_autofree char *code = NULL;
  g_autofree char *amount = NULL;

  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);

  if (joren_sale_get_coupon_code (sale) == NULL)
    return NULL;
  code = joren_coupon_code_format (joren_sale_get_coupon_code (sale));
  amount = joren_money_format (-joren_coupon_get_discount (sale), joren_sale_get_currency (sale));
  /* TRANSLATORS: the coupon's code, then what it takes off */
  return g_strdup_printf (_("Coupon %s: %s"), code, amount);
}

static void
apply_clicked_cb (GtkWindow *window)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (window), "joren-entry");
  GtkLabel *error_label = g_object_get_data (G_OBJECT (window), "joren-error");
  JorenDb *db = g_object_get_data (G_OBJECT (window), "joren-db");
  JorenSale *sale = g_object_get_data (G_OBJECT (window), "joren-sale");
  g_autoptr(GError) error = NULL;

  if (joren_value_apply_coupon (joren_value_ui_get_authority (db), db, sale,
                                gtk_editable_get_text (entry), &error))
    {
      gtk_window_destroy (window);
      return;
    }
  gtk_label_set_text (error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
}

static GtkWidget *
create_buttons (GtkWindow *window)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *cancel = gtk_button_new_with_label (_("Cancel"));
  GtkWidget *apply = gtk_button_new_with_label (_("Apply"));

  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_widget_add_css_class (apply, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  g_signal_connect_swapped (apply, "clicked", G_CALLBACK (apply_clicked_cb), window);
  gtk_box_append (GTK_BOX (box), cancel);
  gtk_box_append (GTK_BOX (box), apply);
  return box;
}

GtkWindow *
joren_coupon_entry_run (GtkWidget *parent,
                        JorenDb   *db,
                        JorenSale *sale)
{
  GtkWindow *window;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *error_label = joren_ui_label_new ("", "error", 0);

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);

  window = joren_ui_dialog_new (parent, _("Coupon code"));
  gtk_window_set_default_size (window, 560, -1);
  g_object_set_data_full (G_OBJECT (window), "joren-db", g_object_ref (db), g_object_unref);
  g_object_set_data_full (G_OBJECT (window), "joren-sale", g_object_ref (sale), g_object_unref);
  g_object_set_data (G_OBJECT (window), "joren-entry", entry);
  g_object_set_data (G_OBJECT (window), "joren-error", error_label);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Scan or type the code, e.g. ABCDE-FGHJK"));
  gtk_widget_add_css_class (entry, "coupon-entry");
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (apply_clicked_cb), window);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_widget_set_visible (error_label, FALSE);
  gtk_widget_add_css_class (box, "dialog-body");
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (_("Coupon code"), "dialog-title", 0.5));
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), error_label);
  gtk_box_append (GTK_BOX (box), create_buttons (window));
  gtk_window_set_child (window, box);
  gtk_window_present (window);
  gtk_widget_grab_focus (entry);
  return window;
}
