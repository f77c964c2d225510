/* joren-sale-view.c: the register page's lines, totals and product grid.
 * The grid asks the catalogue for one page at a time (limit + 1 rows, to
 * know whether a "More" button is needed), so a million products cost the
 * same as sixty. Lines are redrawn from the sale on every "changed". */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-catalog.h"
#include "joren-error.h"
#include "joren-line-editor.h"
#include "joren-sale-view-private.h"
#include "joren-tax.h"
#include "joren-ui.h"
#include "joren-value-ui.h"
#include "joren-zreport.h"

#define PAGE_CELLS (JOREN_SALE_VIEW_COLUMNS * JOREN_SALE_VIEW_ROWS)

enum {
  PAY,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenSaleView, joren_sale_view, GTK_TYPE_WIDGET)

static void load_page (JorenSaleView *self);

void
joren_sale_view_emit_message (JorenSaleView *self,
                              const char    *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

gboolean
joren_sale_view_check_editable (JorenSaleView *self,
                                GError       **error)
{
  if (joren_sale_get_kind (self->sale) != JOREN_SALE_KIND_REFUND)
    return TRUE;
  g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                       _("Finish or clear the refund first"));
  return FALSE;
}

/* --- lines and totals --- */

static GtkWidget *
create_line_row (JorenSaleView       *self,
                 const JorenSaleLine *line)
{
  const JorenCurrency *currency = joren_sale_get_currency (self->sale);
  g_autofree char *amount = joren_money_format (line->amount, currency);
  g_autofree char *unit = joren_money_format (line->unit_price, currency);
  g_autofree char *discount = joren_ui_format_discount (&line->discount, currency);
  g_autofree char *detail = NULL;
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *name = joren_ui_label_new (line->name, "line-name", 0);

  detail = discount ? g_strdup_printf ("%" G_GINT64_FORMAT " × %s   %s", line->qty, unit, discount)
                    : g_strdup_printf ("%" G_GINT64_FORMAT " × %s", line->qty, unit);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_grid_attach (GTK_GRID (grid), name, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), joren_ui_label_new (detail, "line-detail", 0), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), joren_ui_label_new (amount, "line-amount", 1), 1, 0, 1, 2);
  gtk_widget_add_css_class (grid, "sale-line");
  return grid;
}

static void
scroll_to_end_cb (GtkAdjustment *adjustment,
                  GParamSpec    *pspec,
                  gpointer       user_data)
{
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
}

static void
update_tax_lines (JorenSaleView *self)
{
  const JorenCurrency *currency = joren_sale_get_currency (self->sale);

  joren_ui_remove_all (self->tax_box);
  for (guint i = 0; i < joren_sale_get_n_tax_lines (self->sale); i++)
    {
      const JorenTaxLine *tax = joren_sale_get_tax_line (self->sale, i);
      g_autofree char *rate = joren_tax_format_rate (tax->rate_bp);
      g_autofree char *amount = joren_money_format (tax->tax, currency);
      g_autofree char *text = NULL;

      /* TRANSLATORS: tax included in the prices, e.g. "incl. 10% tax ¥91" */
      text = self->shop->prices_include_tax ? g_strdup_printf (_("incl. %s tax %s"), rate, amount)
      /* TRANSLATORS: tax added to the prices, e.g. "+ 19% tax 1,90 €" */
                                            : g_strdup_printf (_("+ %s tax %s"), rate, amount);
      gtk_box_append (GTK_BOX (self->tax_box), joren_ui_label_new (text, "tax-line", 1));
    }
}

static void
update_totals (JorenSaleView *self)
{
  const JorenCurrency *currency = joren_sale_get_currency (self->sale);
  gint64 discount = joren_sale_get_discount_total (self->sale);
  gboolean refund = joren_sale_get_kind (self->sale) == JOREN_SALE_KIND_REFUND;

  joren_ui_set_money (self->subtotal_label, joren_sale_get_subtotal (self->sale), currency);
  joren_ui_set_money (self->discount_label, -discount, currency);
  gtk_widget_set_visible (self->discount_title, discount != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->discount_label), discount != 0);
  joren_ui_set_money (self->total_label, joren_sale_get_total (self->sale), currency);
  update_tax_lines (self);
  gtk_widget_set_visible (GTK_WIDGET (self->refund_label), refund);
  gtk_button_set_label (GTK_BUTTON (self->pay_button), refund ? _("Pay out") : _("Pay"));
  gtk_widget_set_sensitive (self->pay_button, joren_sale_get_n_lines (self->sale) > 0);
}

static void
sale_changed_cb (JorenSale     *sale,
                 JorenSaleView *self)
{
  guint n = joren_sale_get_n_lines (sale);

  joren_ui_remove_all (GTK_WIDGET (self->lines_box));
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->lines_box, create_line_row (self, joren_sale_get_line (sale, i)));
  update_totals (self);
  joren_sale_view_update_punch (self);
  joren_sale_view_update_value (self);
}

static void
line_voided_cb (JorenSaleView *self,
                const char    *name,
                gint64         qty,
                gint64         amount)
{
  g_autoptr(GError) error = NULL;

  if (!joren_void_log_add (self->db, joren_sale_get_staff_id (self->sale),
                           name, qty, amount, &error))
    g_warning ("Void not logged: %s", error->message);
}

static void
line_activated_cb (GtkListBox    *box,
                   GtkListBoxRow *row,
                   JorenSaleView *self)
{
  g_autoptr(GError) error = NULL;
  JorenLineEditor *editor;

  if (!joren_sale_view_check_editable (self, &error))
    {
      joren_sale_view_emit_message (self, error->message);
      return;
    }
  editor = joren_line_editor_new (GTK_WIDGET (self), self->sale,
                                  gtk_list_box_row_get_index (row));
  g_signal_connect_object (editor, "voided", G_CALLBACK (line_voided_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
pay_clicked_cb (JorenSaleView *self)
{
  if (joren_sale_get_n_lines (self->sale) > 0)
    g_signal_emit (self, signals[PAY], 0);
}

/* A sale dropped before it was stored (cleared, parked): what it held on
 * vouchers and its coupon claim are free again for other registers. */
static void
release_dropped_sale (JorenSaleView *self)
{
  JorenValueAuthority *authority;

  if (self->sale == NULL || self->db == NULL || joren_sale_get_id (self->sale) != 0)
    return;
  authority = joren_value_ui_get_authority (self->db);
  joren_value_release_sale (authority, self->sale, NULL);
  joren_value_remove_coupon (authority, self->sale);
}

void
joren_sale_view_take_sale (JorenSaleView *self,
                           JorenSale     *sale)
{
  g_assert (JOREN_IS_SALE (sale));

  g_clear_signal_handler (&self->sale_changed_id, self->sale);
  release_dropped_sale (self);
  g_clear_object (&self->sale);
  self->sale = sale;
  if (self->staff != NULL)
    joren_sale_set_staff (sale, self->staff->id, self->staff->name);
  self->sale_changed_id = g_signal_connect (sale, "changed", G_CALLBACK (sale_changed_cb), self);
  joren_keypad_clear (self->keypad);
  sale_changed_cb (sale, self);
  joren_sale_view_sync_customer (self);
}

/* --- product grid --- */

static void
product_clicked_cb (GtkButton     *button,
                    JorenSaleView *self)
{
  const JorenProduct *product = g_object_get_data (G_OBJECT (button), "joren-product");
  gint64 qty = joren_keypad_get_number (self->keypad);
  g_autoptr(GError) error = NULL;

  if (!joren_sale_view_check_editable (self, &error))
    joren_sale_view_emit_message (self, error->message);
  else if (product->embed != JOREN_EMBED_NONE)
    joren_sale_view_emit_message (self, _("Scan the label printed for this item"));
  else
    joren_sale_add_product (self->sale, product, qty > 0 ? qty : 1, NULL);
  joren_keypad_clear (self->keypad);
}

static GtkWidget *
create_product_button (JorenSaleView      *self,
                       const JorenProduct *product,
                       const char         *fallback_colour)
{
  g_autofree char *price = joren_money_format (product->price, self->shop->currency);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = joren_ui_label_new (product->name, "product-name", 0.5);

  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (name), 2);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_justify (GTK_LABEL (name), GTK_JUSTIFY_CENTER);
  gtk_widget_set_vexpand (name, TRUE);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (price, "product-price", 0.5));
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "product-button");
  joren_ui_set_colour (button, product->colour ? product->colour : fallback_colour);
  g_object_set_data_full (G_OBJECT (button), "joren-product",
                          joren_product_copy (product), (GDestroyNotify) joren_product_free);
  g_signal_connect (button, "clicked", G_CALLBACK (product_clicked_cb), self);
  return button;
}

static void
more_clicked_cb (GtkButton     *button,
                 JorenSaleView *self)
{
  guint next = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "joren-next"));

  g_array_append_val (self->page_starts, self->offset);
  self->offset = next;
  load_page (self);
}

static void
back_clicked_cb (GtkButton     *button,
                 JorenSaleView *self)
{
  if (self->page_starts->len == 0)
    return;
  self->offset = g_array_index (self->page_starts, guint, self->page_starts->len - 1);
  g_array_set_size (self->page_starts, self->page_starts->len - 1);
  load_page (self);
}

static void
attach_cell (JorenSaleView *self,
             GtkWidget     *widget,
             guint          cell)
{
  gtk_grid_attach (self->products_grid, widget,
                   cell % JOREN_SALE_VIEW_COLUMNS, cell / JOREN_SALE_VIEW_COLUMNS, 1, 1);
}

static GtkWidget *
create_paging_button (JorenSaleView *self,
                      const char    *label,
                      GCallback      callback)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "paging-button");
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static void
fill_page (JorenSaleView *self,
           GPtrArray     *products,
           guint          slots)
{
  gboolean has_more = products->len > slots;
  guint shown = has_more ? slots - 1 : products->len;
  guint cell = 0;
  const char *colour = self->category_colour;

  if (self->page_starts->len > 0)
    attach_cell (self, create_paging_button (self, _("‹ Back"), G_CALLBACK (back_clicked_cb)),
                 cell++);
  for (guint i = 0; i < shown; i++)
    attach_cell (self, create_product_button (self, g_ptr_array_index (products, i), colour),
                 cell++);
  if (has_more)
    {
      GtkWidget *more = create_paging_button (self, _("More ›"), G_CALLBACK (more_clicked_cb));

      g_object_set_data (G_OBJECT (more), "joren-next", GUINT_TO_POINTER (self->offset + shown));
      attach_cell (self, more, PAGE_CELLS - 1);
    }
}

static void
load_page (JorenSaleView *self)
{
  guint slots = PAGE_CELLS - (self->page_starts->len > 0 ? 1 : 0);
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GError) error = NULL;

  joren_ui_remove_all (GTK_WIDGET (self->products_grid));
  /* One more than fits tells whether there is a next page. */
  products = joren_catalog_list_products (self->db, self->category_id, NULL, FALSE,
                                          self->offset, slots + 1, &error);
  if (products == NULL)
    {
      joren_sale_view_emit_message (self, error->message);
      return;
    }
  fill_page (self, products, slots);
}

static void
category_toggled_cb (GtkToggleButton *tab,
                     JorenSaleView   *self)
{
  if (!gtk_toggle_button_get_active (tab))
    return;
  self->category_id = *(gint64 *) g_object_get_data (G_OBJECT (tab), "joren-category");
  g_free (self->category_colour);
  self->category_colour = g_strdup (g_object_get_data (G_OBJECT (tab), "joren-colour"));
  self->offset = 0;
  g_array_set_size (self->page_starts, 0);
  load_page (self);
}

static GtkWidget *
create_category_tab (JorenSaleView       *self,
                     const JorenCategory *category,
                     GtkToggleButton     *group)
{
  GtkWidget *tab = gtk_toggle_button_new_with_label (category->name);

  if (group != NULL)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (tab), group);
  gtk_widget_add_css_class (tab, "category-tab");
  joren_ui_set_colour (tab, category->colour);
  g_object_set_data_full (G_OBJECT (tab), "joren-category",
                          g_memdup2 (&category->id, sizeof category->id), g_free);
  g_object_set_data_full (G_OBJECT (tab), "joren-colour", g_strdup (category->colour), g_free);
  g_signal_connect (tab, "toggled", G_CALLBACK (category_toggled_cb), self);
  return tab;
}

static void
load_categories (JorenSaleView *self)
{
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;
  GtkToggleButton *first = NULL;

  joren_ui_remove_all (self->categories_box);
  categories = joren_catalog_list_categories (self->db, FALSE, &error);
  if (categories == NULL)
    {
      joren_sale_view_emit_message (self, error->message);
      return;
    }
  for (guint i = 0; i < categories->len; i++)
    {
      GtkWidget *tab = create_category_tab (self, g_ptr_array_index (categories, i), first);

      gtk_flow_box_append (GTK_FLOW_BOX (self->categories_box), tab);
      if (first == NULL)
        first = GTK_TOGGLE_BUTTON (tab);
    }
  self->category_id = 0;
  self->offset = 0;
  g_array_set_size (self->page_starts, 0);
  if (first != NULL)
    gtk_toggle_button_set_active (first, TRUE);
  else
    load_page (self);
}

/* Open items use the standard rate (the first class when none is named so). */
static void
load_open_item_tax (JorenSaleView *self)
{
  g_autoptr(GPtrArray) classes = joren_catalog_list_tax_classes (self->db, NULL);

  self->open_tax_class_id = 0;
  self->open_rate_bp = 0;
  for (guint i = 0; classes != NULL && i < classes->len; i++)
    {
      const JorenTaxClass *tax_class = g_ptr_array_index (classes, i);

      if (i == 0 || g_strcmp0 (tax_class->code, "standard") == 0)
        {
          self->open_tax_class_id = tax_class->id;
          self->open_rate_bp = tax_class->rate_bp;
        }
    }
}

/* --- GObject --- */

static void
joren_sale_view_dispose (GObject *object)
{
  JorenSaleView *self = JOREN_SALE_VIEW (object);

  g_clear_signal_handler (&self->sale_changed_id, self->sale);
  g_clear_object (&self->sale);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_SALE_VIEW);
  /* The unnamed top box is not a bound child: unparent it here. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (joren_sale_view_parent_class)->dispose (object);
}

static void
joren_sale_view_finalize (GObject *object)
{
  JorenSaleView *self = JOREN_SALE_VIEW (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->shop, joren_shop_free);
  g_clear_pointer (&self->staff, joren_staff_free);
  g_free (self->category_colour);
  g_array_unref (self->page_starts);
  g_array_unref (self->parked_ids);
  joren_sale_view_customer_finalize (self);
  G_OBJECT_CLASS (joren_sale_view_parent_class)->finalize (object);
}

static void
joren_sale_view_class_init (JorenSaleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_sale_view_dispose;
  object_class->finalize = joren_sale_view_finalize;

  /* The cashier tapped Pay on a sale with lines. */
  signals[PAY] = g_signal_new ("pay", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Something the cashier should read (unknown barcode, an error). */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (JOREN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-sale-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, refund_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, lines_scroller);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, lines_box);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, subtotal_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, discount_title);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, discount_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, tax_box);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, total_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, pay_button);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, categories_box);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, products_grid);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, keypad);
  gtk_widget_class_bind_template_callback (widget_class, line_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, pay_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, joren_sale_view_price_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, joren_sale_view_barcode_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, joren_sale_view_discount_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, joren_sale_view_park_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, joren_sale_view_recall_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, joren_sale_view_refund_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, joren_sale_view_clear_clicked_cb);
  joren_sale_view_customer_bind_template (widget_class);
  joren_sale_view_value_bind_template (widget_class);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_sale_view_init (JorenSaleView *self)
{
  GtkAdjustment *vadjustment;

  self->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  self->parked_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_init_template (GTK_WIDGET (self));
  joren_keypad_set_placeholder (self->keypad, _("Qty / price"));
  /* New lines go at the bottom: keep the newest in view. */
  vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->lines_scroller));
  g_signal_connect (vadjustment, "notify::upper", G_CALLBACK (scroll_to_end_cb), NULL);
}

GtkWidget *
joren_sale_view_new (void)
{
  return g_object_new (JOREN_TYPE_SALE_VIEW, NULL);
}

void
joren_sale_view_set_context (JorenSaleView   *self,
                             JorenDb         *db,
                             const JorenShop *shop)
{
  g_return_if_fail (JOREN_IS_SALE_VIEW (self));
  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (shop != NULL);

  g_set_object (&self->db, db);
  g_clear_pointer (&self->shop, joren_shop_free);
  self->shop = joren_shop_copy (shop);
  if (shop->currency->decimals > 0)
    joren_keypad_set_decimal_separator (self->keypad, shop->currency->decimal_sep);
  load_open_item_tax (self);
  load_categories (self);
  joren_sale_view_new_sale (self);
}

void
joren_sale_view_set_staff (JorenSaleView    *self,
                           const JorenStaff *staff)
{
  g_return_if_fail (JOREN_IS_SALE_VIEW (self));
  g_return_if_fail (staff != NULL);

  g_clear_pointer (&self->staff, joren_staff_free);
  self->staff = joren_staff_copy (staff);
  if (self->sale != NULL)
    joren_sale_set_staff (self->sale, staff->id, staff->name);
}

JorenSale *
joren_sale_view_get_sale (JorenSaleView *self)
{
  g_return_val_if_fail (JOREN_IS_SALE_VIEW (self), NULL);

  return self->sale;
}

void
joren_sale_view_new_sale (JorenSaleView *self)
{
  g_return_if_fail (JOREN_IS_SALE_VIEW (self));
  g_return_if_fail (self->shop != NULL);

  joren_sale_view_take_sale (self, joren_sale_new (self->shop));
}

gboolean
joren_sale_view_scan (JorenSaleView *self,
                      const char    *code,
                      GError       **error)
{
  JorenBarcode barcode;
  g_autoptr(JorenProduct) product = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 qty;

  g_return_val_if_fail (JOREN_IS_SALE_VIEW (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!joren_sale_view_check_editable (self, error) ||
      !joren_barcode_parse (code, &barcode, error))
    return FALSE;
  product = joren_catalog_find_by_barcode (self->db, &barcode, &local_error);
  if (product == NULL)
    {
      /* Not a product: perhaps a member card. */
      if (g_error_matches (local_error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND) &&
          (joren_sale_view_scan_value (self, code) || joren_sale_view_scan_card (self, code)))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  qty = joren_keypad_get_number (self->keypad);
  if (barcode.in_store && product->embed != JOREN_EMBED_NONE)
    joren_sale_add_in_store (self->sale, product, &barcode);
  else
    joren_sale_add_product (self->sale, product, qty > 0 ? qty : 1, barcode.code);
  joren_keypad_clear (self->keypad);
  return TRUE;
}

void
joren_sale_view_reload_catalog (JorenSaleView *self)
{
  g_return_if_fail (JOREN_IS_SALE_VIEW (self));

  if (self->db != NULL)
    load_categories (self);
}
