/* joren-backoffice.c: the back office's sidebar of sections, who is
 * signed in (forwarded to the pages that audit), and the products section
 * itself: products, categories and CSV import. The product list is a page
 * of JOREN_BACKOFFICE_PAGE rows fetched with a search prefix, so it stays
 * quick with a million products. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-backoffice.h"
#include "joren-catalog.h"
#include "joren-customers-page.h"
#include "joren-endofday-page.h"
#include "joren-loyalty-settings.h"
#include "joren-mail-page.h"
#include "joren-printer-settings.h"
#include "joren-product-editor.h"
#include "joren-promotions-page.h"
#include "joren-reports-page.h"
#include "joren-staff-page.h"
#include "joren-ui.h"
#include "joren-value-page.h"

struct _JorenBackoffice
{
  GtkWidget    parent_instance;

  GtkEditable *search_entry;
  GtkListBox  *products_box;
  GtkWidget   *prev_button;
  GtkWidget   *next_button;
  GtkLabel    *page_label;
  GtkListBox  *categories_box;
  GtkEditable *category_entry;
  GtkWidget   *rename_category_button;
  GtkStack    *sections;
  GtkListBox  *sidebar;
  GtkWidget   *staff_note;
  JorenPrinterSettings *printer_settings;
  JorenLoyaltySettings *loyalty_settings;

  JorenDb     *db;
  JorenShop   *shop;
  guint        offset;
};

enum {
  MESSAGE,
  CATALOG_CHANGED,
  PRINTER_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenBackoffice, joren_backoffice, GTK_TYPE_WIDGET)

static void
emit_message (JorenBackoffice *self,
              const char      *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

/* --- products --- */

static GtkWidget *
create_product_row (JorenBackoffice    *self,
                    const JorenProduct *product)
{
  g_autofree char *price = joren_money_format (product->price, self->shop->currency);
  g_autoptr(GString) detail = g_string_new (product->sku ? product->sku : "");
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *name = joren_ui_label_new (product->name, "line-name", 0);
  GtkWidget *row = gtk_list_box_row_new ();

  for (guint i = 0; i < product->barcodes->len; i++)
    g_string_append_printf (detail, "%s%s", detail->len ? " · " : "",
                            (char *) g_ptr_array_index (product->barcodes, i));
  if (!product->active)
    g_string_append_printf (detail, "%s%s", detail->len ? " · " : "", _("inactive"));
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_attach (GTK_GRID (grid), name, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), joren_ui_label_new (detail->str, "line-detail", 0), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), joren_ui_label_new (price, "line-amount", 1), 1, 0, 1, 2);
  gtk_widget_add_css_class (grid, "sale-line");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);
  g_object_set_data_full (G_OBJECT (row), "joren-product", joren_product_copy (product),
                          (GDestroyNotify) joren_product_free);
  return row;
}

static void
load_products (JorenBackoffice *self)
{
  g_autofree char *search = g_strstrip (g_strdup (gtk_editable_get_text (self->search_entry)));
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  guint shown;

  joren_ui_remove_all (GTK_WIDGET (self->products_box));
  products = joren_catalog_list_products (self->db, 0, *search ? search : NULL, TRUE,
                                          self->offset, JOREN_BACKOFFICE_PAGE + 1, &error);
  if (products == NULL)
    {
      emit_message (self, error->message);
      return;
    }
  shown = MIN (products->len, JOREN_BACKOFFICE_PAGE);
  for (guint i = 0; i < shown; i++)
    gtk_list_box_append (self->products_box,
                         create_product_row (self, g_ptr_array_index (products, i)));
  gtk_widget_set_sensitive (self->prev_button, self->offset > 0);
  gtk_widget_set_sensitive (self->next_button, products->len > JOREN_BACKOFFICE_PAGE);
  page = g_strdup_printf (_("Page %u"), self->offset / JOREN_BACKOFFICE_PAGE + 1);
  gtk_label_set_text (self->page_label, page);
}

static void
search_changed_cb (JorenBackoffice *self)
{
  self->offset = 0;
  if (self->db != NULL)
    load_products (self);
}

static void
prev_clicked_cb (JorenBackoffice *self)
{
  self->offset -= MIN (self->offset, JOREN_BACKOFFICE_PAGE);
  load_products (self);
}

static void
next_clicked_cb (JorenBackoffice *self)
{
  self->offset += JOREN_BACKOFFICE_PAGE;
  load_products (self);
}

static void
product_saved_cb (JorenBackoffice *self)
{
  load_products (self);
  g_signal_emit (self, signals[CATALOG_CHANGED], 0);
}

static void
open_editor (JorenBackoffice    *self,
             const JorenProduct *product)
{
  JorenProductEditor *editor = joren_product_editor_new (GTK_WIDGET (self), self->db,
                                                         self->shop, product);

  g_signal_connect_swapped (editor, "saved", G_CALLBACK (product_saved_cb), self);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
product_activated_cb (GtkListBox      *box,
                      GtkListBoxRow   *row,
                      JorenBackoffice *self)
{
  open_editor (self, g_object_get_data (G_OBJECT (row), "joren-product"));
}

static void
new_clicked_cb (JorenBackoffice *self)
{
  open_editor (self, NULL);
}

/* --- categories --- */

static JorenCategory *
get_selected_category (JorenBackoffice *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->categories_box);

  return row ? g_object_get_data (G_OBJECT (row), "joren-category") : NULL;
}

static void
load_categories (JorenBackoffice *self)
{
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;

  joren_ui_remove_all (GTK_WIDGET (self->categories_box));
  categories = joren_catalog_list_categories (self->db, TRUE, &error);
  if (categories == NULL)
    {
      emit_message (self, error->message);
      return;
    }
  /* The rows own the categories from here on. */
  g_ptr_array_set_free_func (categories, NULL);
  for (guint i = 0; i < categories->len; i++)
    {
      JorenCategory *category = g_ptr_array_index (categories, i);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row),
                                  joren_ui_label_new (category->name, "category-row", 0));
      g_object_set_data_full (G_OBJECT (row), "joren-category", category,
                              (GDestroyNotify) joren_category_free);
      gtk_list_box_append (self->categories_box, row);
    }
}

static void
category_selected_cb (GtkListBox      *box,
                      GtkListBoxRow   *row,
                      JorenBackoffice *self)
{
  JorenCategory *category = get_selected_category (self);

  gtk_widget_set_sensitive (self->rename_category_button, category != NULL);
  if (category != NULL)
    gtk_editable_set_text (self->category_entry, category->name);
}

static void
save_category (JorenBackoffice *self,
               JorenCategory   *category)
{
  g_autoptr(GError) error = NULL;

  if (!joren_catalog_save_category (self->db, category, &error))
    {
      emit_message (self, error->message);
      return;
    }
  gtk_editable_set_text (self->category_entry, "");
  load_categories (self);
  g_signal_emit (self, signals[CATALOG_CHANGED], 0);
}

static char *
get_category_name (JorenBackoffice *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (self->category_entry)));

  if (*name == '\0')
    {
      emit_message (self, _("Type the category's name first"));
      return NULL;
    }
  return g_steal_pointer (&name);
}

static void
add_category_clicked_cb (JorenBackoffice *self)
{
  JorenCategory category = { 0, NULL, NULL, 0, TRUE };
  g_autofree char *name = get_category_name (self);

  if (name == NULL)
    return;
  category.name = name;
  /* New categories go to the end of the tabs. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->categories_box));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    category.position++;
  save_category (self, &category);
}

static void
rename_category_clicked_cb (JorenBackoffice *self)
{
  JorenCategory *category = get_selected_category (self);
  g_autofree char *name = get_category_name (self);

  if (category == NULL || name == NULL)
    return;
  g_free (category->name);
  category->name = g_steal_pointer (&name);
  save_category (self, category);
}

/* --- CSV import --- */

static void
show_import_report (JorenBackoffice   *self,
                    JorenImportReport *report)
{
  GtkWindow *window = joren_ui_dialog_new (GTK_WIDGET (self), _("CSV import"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *close = gtk_button_new_with_label (_("Close"));
  g_autofree char *summary = g_strdup_printf (_("%u new, %u updated, %u rows skipped"),
                                              report->inserted, report->updated,
                                              report->errors->len);

  gtk_widget_add_css_class (box, "dialog-body");
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (summary, "dialog-title", 0.5));
  for (guint i = 0; i < report->errors->len; i++)
    gtk_box_append (GTK_BOX (list), joren_ui_label_new (g_ptr_array_index (report->errors, i),
                                                        "error", 0));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 400);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), close);
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (gtk_window_destroy), window);
  gtk_window_set_child (window, box);
  gtk_window_set_default_size (window, 560, -1);
  gtk_window_present (window);
}

void
joren_backoffice_import (JorenBackoffice *self,
                         const char      *text,
                         gssize           length)
{
  g_autoptr(JorenImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (JOREN_IS_BACKOFFICE (self));
  g_return_if_fail (text != NULL);

  report = joren_catalog_import_csv (self->db, text, length, &error);
  if (report == NULL)
    {
      emit_message (self, error->message);
      return;
    }
  show_import_report (self, report);
  product_saved_cb (self);
  load_categories (self);
}

static void
import_file_chosen_cb (GtkNativeDialog *chooser,
                       int              response,
                       JorenBackoffice *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_object_unref (chooser);
  if (response != GTK_RESPONSE_ACCEPT || file == NULL)
    return;
  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &error))
    emit_message (self, error->message);
  else
    joren_backoffice_import (self, contents, length);
}

static void
import_clicked_cb (JorenBackoffice *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import products from CSV"), GTK_WINDOW (root),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("Import"), _("Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- printer --- */

static void
printer_changed_cb (JorenBackoffice *self)
{
  g_signal_emit (self, signals[PRINTER_CHANGED], 0);
}

/* --- the sidebar --- */

/* One big row per stack page, in the stack's order; a row is shown only
 * while its page is (the staff page is hidden from managers). */
static void
build_sidebar (JorenBackoffice *self)
{
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->sections);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkStackPage *page = GTK_STACK_PAGE (item);
      GtkWidget *label = joren_ui_label_new (gtk_stack_page_get_title (page), "sidebar-label", 0);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "joren-section",
                              g_strdup (gtk_stack_page_get_name (page)), g_free);
      g_object_bind_property (gtk_stack_page_get_child (page), "visible", row, "visible",
                              G_BINDING_SYNC_CREATE);
      gtk_list_box_append (self->sidebar, row);
    }
}

static void
sidebar_row_selected_cb (GtkListBox      *box,
                         GtkListBoxRow   *row,
                         JorenBackoffice *self)
{
  if (row != NULL)
    gtk_stack_set_visible_child_name (self->sections,
                                      g_object_get_data (G_OBJECT (row), "joren-section"));
}

/* Keeps the sidebar's selection on the section shown, however it was
 * chosen (a row, joren_backoffice_show_section, a hidden page left). */
static void
section_shown_cb (JorenBackoffice *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->sections);

  if (self->sidebar == NULL || name == NULL)
    return;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "joren-section"), name) == 0)
      gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
}

/* --- GObject --- */

static void
joren_backoffice_dispose (GObject *object)
{
  JorenBackoffice *self = JOREN_BACKOFFICE (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->shop, joren_shop_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_BACKOFFICE);
  /* The unnamed top box is not a bound child: unparent it here. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (joren_backoffice_parent_class)->dispose (object);
}

static void
loyalty_message_cb (JorenBackoffice *self,
                    const char      *message)
{
  emit_message (self, message);
}

static void
joren_backoffice_class_init (JorenBackofficeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_backoffice_dispose;

  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Products or categories changed: the register grid should reload. */
  signals[CATALOG_CHANGED] = g_signal_new ("catalog-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  /* The printer settings were saved: the register builds its printer again. */
  signals[PRINTER_CHANGED] = g_signal_new ("printer-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  g_type_ensure (JOREN_TYPE_PRINTER_SETTINGS);
  g_type_ensure (JOREN_TYPE_LOYALTY_SETTINGS);
  g_type_ensure (JOREN_TYPE_CUSTOMERS_PAGE);
  g_type_ensure (JOREN_TYPE_MAIL_PAGE);
  g_type_ensure (JOREN_TYPE_PROMOTIONS_PAGE);
  g_type_ensure (JOREN_TYPE_REPORTS_PAGE);
  g_type_ensure (JOREN_TYPE_ENDOFDAY_PAGE);
  g_type_ensure (JOREN_TYPE_STAFF_PAGE);
  g_type_ensure (JOREN_TYPE_VALUE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-backoffice.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, products_box);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, prev_button);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, next_button);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, page_label);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, categories_box);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, category_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, rename_category_button);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, sections);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, staff_note);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, sidebar);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, section_shown_cb);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, printer_settings);
  gtk_widget_class_bind_template_child (widget_class, JorenBackoffice, loyalty_settings);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, prev_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, product_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, category_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_category_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, rename_category_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, printer_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, loyalty_message_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_backoffice_init (JorenBackoffice *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_sidebar (self);
  section_shown_cb (self);
}

GtkWidget *
joren_backoffice_new (void)
{
  return g_object_new (JOREN_TYPE_BACKOFFICE, NULL);
}

void
joren_backoffice_set_db (JorenBackoffice *self,
                         JorenDb         *db,
                         const JorenShop *shop)
{
  g_return_if_fail (JOREN_IS_BACKOFFICE (self));
  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (shop != NULL);

  g_set_object (&self->db, db);
  g_clear_pointer (&self->shop, joren_shop_free);
  self->shop = joren_shop_copy (shop);
  self->offset = 0;
  load_products (self);
  load_categories (self);
  joren_printer_settings_set_db (self->printer_settings, db, shop->name);
  joren_loyalty_settings_set_db (self->loyalty_settings, db);
  joren_customers_page_set_db (JOREN_CUSTOMERS_PAGE (gtk_stack_get_child_by_name (self->sections, "customers")), db);
  joren_promotions_page_set_db (JOREN_PROMOTIONS_PAGE (gtk_stack_get_child_by_name (self->sections, "promotions")), db);
  joren_mail_page_set_db (JOREN_MAIL_PAGE (gtk_stack_get_child_by_name (self->sections, "mail")), db);
  joren_reports_page_set_db (JOREN_REPORTS_PAGE (gtk_stack_get_child_by_name (self->sections, "reports")),
                             db, shop);
  joren_endofday_page_set_db (JOREN_ENDOFDAY_PAGE (gtk_stack_get_child_by_name (self->sections, "endofday")),
                              db, shop);
  joren_staff_page_set_db (JOREN_STAFF_PAGE (gtk_stack_get_child_by_name (self->sections, "staff")),
                           db, shop);
  joren_value_page_set_db (JOREN_VALUE_PAGE (gtk_stack_get_child_by_name (self->sections, "value")),
                           db, shop);
}

void
joren_backoffice_set_staff (JorenBackoffice  *self,
                            const JorenStaff *staff)
{
  gint64 staff_id = staff ? staff->id : 0;
  gboolean manage_staff = staff && joren_role_can (staff->role, JOREN_PERMISSION_MANAGE_STAFF);

  g_return_if_fail (JOREN_IS_BACKOFFICE (self));

  joren_customers_page_set_staff (JOREN_CUSTOMERS_PAGE (joren_backoffice_get_section (self, "customers")),
                                  staff_id);
  joren_promotions_page_set_staff (JOREN_PROMOTIONS_PAGE (joren_backoffice_get_section (self, "promotions")),
                                   staff_id);
  joren_value_page_set_staff (JOREN_VALUE_PAGE (joren_backoffice_get_section (self, "value")), staff_id);
  /* A hidden page leaves the sidebar; the stack moves off it if shown. */
  gtk_widget_set_visible (joren_backoffice_get_section (self, "staff"), manage_staff);
  gtk_widget_set_visible (self->staff_note, staff != NULL && !manage_staff);
}

void
joren_backoffice_show_section (JorenBackoffice *self,
                               const char      *section)
{
  g_return_if_fail (JOREN_IS_BACKOFFICE (self));
  g_return_if_fail (section != NULL);

  gtk_stack_set_visible_child_name (self->sections, section);
}

GtkWidget *
joren_backoffice_get_section (JorenBackoffice *self,
                              const char      *section)
{
  g_return_val_if_fail (JOREN_IS_BACKOFFICE (self), NULL);
  g_return_val_if_fail (section != NULL, NULL);

  return gtk_stack_get_child_by_name (self->sections, section);
}

GtkWidget *
joren_backoffice_get_printer_settings (JorenBackoffice *self)
{
  g_return_val_if_fail (JOREN_IS_BACKOFFICE (self), NULL);

  return GTK_WIDGET (self->printer_settings);
}
