/* joren-product-editor.c: edit or create one product. The form works on
 * a copy; nothing reaches the database until Save, and a refused save
 * (a barcode that belongs to another product) keeps the form open. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-product-editor.h"
#include "joren-tax.h"
#include "joren-ui.h"

struct _JorenProductEditor
{
  GtkWindow       parent_instance;

  GtkLabel       *title_label;
  GtkEditable    *name_entry;
  GtkEditable    *sku_entry;
  GtkEditable    *price_entry;
  GtkDropDown    *tax_dropdown;
  GtkDropDown    *category_dropdown;
  GtkCheckButton *colour_check;
  GtkColorChooser *colour_button;
  GtkListBox     *barcodes_box;
  GtkEditable    *barcode_entry;
  GtkSwitch      *active_switch;
  GtkLabel       *error_label;
  GtkWidget      *deactivate_button;

  JorenDb        *db;
  JorenShop      *shop;
  JorenProduct   *product;
  GPtrArray      *tax_classes;
  GPtrArray      *categories;
};

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenProductEditor, joren_product_editor, GTK_TYPE_WINDOW)

static void fill_barcodes (JorenProductEditor *self);

static void
show_error (JorenProductEditor *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
remove_barcode_clicked_cb (GtkButton          *button,
                           JorenProductEditor *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "joren-index"));

  g_ptr_array_remove_index (self->product->barcodes, index);
  fill_barcodes (self);
}

static void
fill_barcodes (JorenProductEditor *self)
{
  joren_ui_remove_all (GTK_WIDGET (self->barcodes_box));
  for (guint i = 0; i < self->product->barcodes->len; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *code = joren_ui_label_new (g_ptr_array_index (self->product->barcodes, i),
                                            "barcode", 0);
      GtkWidget *remove = gtk_button_new_with_label (_("Remove"));

      gtk_widget_set_hexpand (code, TRUE);
      g_object_set_data (G_OBJECT (remove), "joren-index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_barcode_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), code);
      gtk_box_append (GTK_BOX (box), remove);
      gtk_list_box_append (self->barcodes_box, box);
    }
}

static void
add_barcode_cb (JorenProductEditor *self)
{
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (self->barcode_entry)));

  if (*code == '\0')
    return;
  g_ptr_array_add (self->product->barcodes, g_steal_pointer (&code));
  gtk_editable_set_text (self->barcode_entry, "");
  fill_barcodes (self);
}

static guint
find_index (GPtrArray *items,
            gint64     id,
            gsize      id_offset)
{
  for (guint i = 0; i < items->len; i++)
    if (G_STRUCT_MEMBER (gint64, g_ptr_array_index (items, i), id_offset) == id)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
fill_dropdowns (JorenProductEditor *self)
{
  g_autoptr(GtkStringList) taxes = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) categories = gtk_string_list_new (NULL);
  guint tax_index, category_index;

  for (guint i = 0; i < self->tax_classes->len; i++)
    {
      const JorenTaxClass *tax_class = g_ptr_array_index (self->tax_classes, i);
      g_autofree char *rate = joren_tax_format_rate (tax_class->rate_bp);
      g_autofree char *text = g_strdup_printf ("%s (%s)", tax_class->name, rate);

      gtk_string_list_append (taxes, text);
    }
  gtk_string_list_append (categories, _("No category"));
  for (guint i = 0; i < self->categories->len; i++)
    gtk_string_list_append (categories,
                            ((JorenCategory *) g_ptr_array_index (self->categories, i))->name);
  gtk_drop_down_set_model (self->tax_dropdown, G_LIST_MODEL (taxes));
  gtk_drop_down_set_model (self->category_dropdown, G_LIST_MODEL (categories));
  tax_index = find_index (self->tax_classes, self->product->tax_class_id,
                          G_STRUCT_OFFSET (JorenTaxClass, id));
  category_index = find_index (self->categories, self->product->category_id,
                               G_STRUCT_OFFSET (JorenCategory, id));
  gtk_drop_down_set_selected (self->tax_dropdown, tax_index == GTK_INVALID_LIST_POSITION ? 0 : tax_index);
  gtk_drop_down_set_selected (self->category_dropdown,
                              category_index == GTK_INVALID_LIST_POSITION ? 0 : category_index + 1);
}

static void
fill_form (JorenProductEditor *self)
{
  g_autofree char *price = joren_money_format_plain (self->product->price, self->shop->currency);
  GdkRGBA rgba;

  gtk_label_set_text (self->title_label, self->product->id ? _("Edit product") : _("New product"));
  gtk_editable_set_text (self->name_entry, self->product->name ? self->product->name : "");
  gtk_editable_set_text (self->sku_entry, self->product->sku ? self->product->sku : "");
  gtk_editable_set_text (self->price_entry, self->product->id ? price : "");
  gtk_check_button_set_active (self->colour_check, self->product->colour != NULL);
  if (self->product->colour && gdk_rgba_parse (&rgba, self->product->colour))
    gtk_color_chooser_set_rgba (self->colour_button, &rgba);
  gtk_switch_set_active (self->active_switch, self->product->active);
  gtk_widget_set_visible (self->deactivate_button, self->product->id != 0 && self->product->active);
  fill_dropdowns (self);
  fill_barcodes (self);
}

static char *
get_colour (JorenProductEditor *self)
{
  GdkRGBA rgba;

  if (!gtk_check_button_get_active (self->colour_check))
    return NULL;
  gtk_color_chooser_get_rgba (self->colour_button, &rgba);
  return g_strdup_printf ("#%02x%02x%02x", (guint) (rgba.red * 255 + 0.5),
                          (guint) (rgba.green * 255 + 0.5), (guint) (rgba.blue * 255 + 0.5));
}

static char *
dup_text_or_null (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text ? g_steal_pointer (&text) : NULL;
}

/* Copies the form into the product; FALSE (with the error shown) when a
 * field is not acceptable. */
static gboolean
read_form (JorenProductEditor *self)
{
  JorenProduct *product = self->product;
  guint tax_index = gtk_drop_down_get_selected (self->tax_dropdown);
  guint category_index = gtk_drop_down_get_selected (self->category_dropdown);
  g_autofree char *name = dup_text_or_null (self->name_entry);
  g_autoptr(GError) error = NULL;
  gint64 price = 0;

  if (name == NULL)
    return show_error (self, _("The product needs a name")), FALSE;
  if (!joren_money_parse (gtk_editable_get_text (self->price_entry), self->shop->currency,
                          &price, &error))
    return show_error (self, error->message), FALSE;
  if (tax_index >= self->tax_classes->len)
    return show_error (self, _("Choose a tax class")), FALSE;
  g_free (product->name);
  product->name = g_steal_pointer (&name);
  g_free (product->sku);
  product->sku = dup_text_or_null (self->sku_entry);
  product->price = price;
  product->tax_class_id = ((JorenTaxClass *) g_ptr_array_index (self->tax_classes, tax_index))->id;
  product->category_id = category_index == 0 || category_index == GTK_INVALID_LIST_POSITION
    ? 0 : ((JorenCategory *) g_ptr_array_index (self->categories, category_index - 1))->id;
  g_free (product->colour);
  product->colour = get_colour (self);
  product->active = gtk_switch_get_active (self->active_switch);
  return TRUE;
}

static void
save_clicked_cb (JorenProductEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!read_form (self))
    return;
  if (!joren_catalog_save_product (self->db, self->product, &error))
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
deactivate_clicked_cb (JorenProductEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!joren_catalog_set_product_active (self->db, self->product->id, FALSE, &error))
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
joren_product_editor_dispose (GObject *object)
{
  JorenProductEditor *self = JOREN_PRODUCT_EDITOR (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->shop, joren_shop_free);
  g_clear_pointer (&self->product, joren_product_free);
  g_clear_pointer (&self->tax_classes, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_PRODUCT_EDITOR);
  G_OBJECT_CLASS (joren_product_editor_parent_class)->dispose (object);
}

static void
joren_product_editor_class_init (JorenProductEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_product_editor_dispose;

  /* The product was saved or deactivated. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-product-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, title_label);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, name_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, sku_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, price_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, tax_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, colour_check);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, colour_button);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, barcodes_box);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, barcode_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, active_switch);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, JorenProductEditor, deactivate_button);
  gtk_widget_class_bind_template_callback (widget_class, add_barcode_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, deactivate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
}

static void
joren_product_editor_init (JorenProductEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

JorenProductEditor *
joren_product_editor_new (GtkWidget          *parent,
                          JorenDb            *db,
                          const JorenShop    *shop,
                          const JorenProduct *product)
{
  JorenProductEditor *self;
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (shop != NULL, NULL);

  self = g_object_new (JOREN_TYPE_PRODUCT_EDITOR, NULL);
  self->db = g_object_ref (db);
  self->shop = joren_shop_copy (shop);
  self->product = product ? joren_product_copy (product) : joren_product_new ();
  if (product == NULL)
    self->product->active = TRUE;
  self->tax_classes = joren_catalog_list_tax_classes (db, &error);
  self->categories = joren_catalog_list_categories (db, FALSE, error ? NULL : &error);
  if (self->tax_classes == NULL)
    self->tax_classes = g_ptr_array_new ();
  if (self->categories == NULL)
    self->categories = g_ptr_array_new ();
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  fill_form (self);
  if (error != NULL)
    show_error (self, error->message);
  return self;
}
