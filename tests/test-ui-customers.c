/* test-ui-customers.c: the back office's Customers and Promotions pages
 * in a real window under Xvfb: search a customer and open their history,
 * merge a duplicate and anonymise a customer through the confirmation
 * dialogs, and preview a promotion. Results are read back from the
 * SQLite file (merged_into, the audit log, anonymised). */
#include "config.h"

#include <string.h>

#include "joren-audit.h"
#include "joren-backoffice.h"
#include "joren-catalog.h"
#include "joren-customer.h"
#include "joren-customer-admin.h"
#include "joren-customers-page.h"
#include "joren-promotions-page.h"
#include "joren-sale-db.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-ui.h"
#include "joren-window.h"

typedef struct {
  JorenDb   *db;
  GtkWindow *window;
  GtkWidget *page;
  gint64     staff_id;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JorenStaff) staff = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  staff = joren_test_find_staff (fixture->db, "Aiko");
  fixture->staff_id = staff->id;
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_widget_add_css_class (GTK_WIDGET (fixture->window), "joren");
  gtk_window_set_default_size (fixture->window, 1366, 768);
}

static void
show_page (Fixture   *fixture,
           GtkWidget *page)
{
  fixture->page = page;
  gtk_window_set_child (fixture->window, page);
  gtk_window_present (fixture->window);
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped, page));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GList *windows = gtk_window_list_toplevels ();

  /* Dialogs still open go first; a reference keeps each valid while a
   * parent's destruction takes its transient children with it. */
  g_list_foreach (windows, (GFunc) g_object_ref, NULL);
  for (GList *l = windows; l != NULL; l = l->next)
    if (l->data != fixture->window)
      gtk_window_destroy (l->data);
  g_list_free_full (windows, g_object_unref);
  gtk_window_destroy (fixture->window);
  joren_test_ui_spin (50);
  g_clear_object (&fixture->db);
}

/* Every toplevel but the main window and keep. */
static void
fixture_close_dialogs (Fixture   *fixture,
                       GtkWindow *keep)
{
  GList *windows = gtk_window_list_toplevels ();

  g_list_foreach (windows, (GFunc) g_object_ref, NULL);
  for (GList *l = windows; l != NULL; l = l->next)
    if (l->data != fixture->window && l->data != keep)
      gtk_window_destroy (l->data);
  g_list_free_full (windows, g_object_unref);
}

static gint64
add_customer (Fixture    *fixture,
              const char *name,
              const char *reading,
              const char *phone,
              gboolean    consent_email)
{
  g_autoptr(JorenCustomer) customer = joren_customer_new ();
  g_autoptr(GError) error = NULL;

  customer->name = g_strdup (name);
  customer->reading = g_strdup (reading);
  customer->email = g_strdup ("guest@example.jp");
  customer->consent_email = consent_email;
  joren_customer_add_phone (customer, phone);
  joren_customer_add (fixture->db, customer, FALSE, &error);
  g_assert_no_error (error);
  return customer->id;
}

/* The mapped button showing text in any window but the main one. */
static GtkWidget *
find_in_dialogs (Fixture    *fixture,
                 const char *text)
{
  GList *windows = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = windows; l != NULL && found == NULL; l = l->next)
    if (l->data != fixture->window && gtk_widget_get_mapped (l->data))
      found = joren_test_ui_find_button (l->data, text);
  g_list_free (windows);
  return found;
}

typedef struct {
  Fixture    *fixture;
  const char *text;
} Lookup;

static gboolean
dialog_button_shown (gpointer data)
{
  Lookup *lookup = data;

  return find_in_dialogs (lookup->fixture, lookup->text) != NULL;
}

static void
tap_in_dialog (Fixture    *fixture,
               const char *text)
{
  Lookup lookup = { fixture, text };

  g_assert_true (joren_test_ui_wait_for (dialog_button_shown, &lookup));
  joren_test_ui_click (find_in_dialogs (fixture, text));
  joren_test_ui_spin (100);
}

static gboolean
has_one_row (gpointer page)
{
  return joren_customers_page_get_n_rows (page) == 1;
}

static gint64
count_audit (Fixture          *fixture,
             gint64            customer_id,
             JorenAuditAction  action)
{
  g_autoptr(GPtrArray) entries = joren_audit_list (fixture->db, customer_id, 100, NULL);
  gint64 n = 0;

  for (guint i = 0; entries && i < entries->len; i++)
    n += ((JorenAuditEntry *) entries->pdata[i])->action == action;
  return n;
}

static void
search_for (Fixture    *fixture,
            const char *text)
{
  GtkWidget *entry = joren_test_ui_find_by_class (fixture->page, "search");

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_assert_true (joren_test_ui_wait_for (has_one_row, fixture->page));
}

static void
test_customers (Fixture       *fixture,
                gconstpointer  data)
{
  JorenCustomersPage *page = JOREN_CUSTOMERS_PAGE (joren_customers_page_new ());
  gint64 hanako = add_customer (fixture, "山田 花子", "ヤマダ ハナコ", "090-1111-2222", TRUE);
  gint64 copy = add_customer (fixture, "山田 花子", "ヤマダ ハナコ", "090-3333-4444", FALSE);
  gint64 taro = add_customer (fixture, "鈴木 太郎", "スズキ タロウ", "090-5555-6666", TRUE);
  g_autoptr(GError) error = NULL;
  gboolean anonymised = FALSE;
  g_autofree char *merged_sql = NULL;

  joren_customers_page_set_staff (page, fixture->staff_id);
  joren_customers_page_set_db (page, fixture->db);
  show_page (fixture, GTK_WIDGET (page));
  g_assert_cmpuint (joren_customers_page_get_n_rows (page), ==, 3);

  /* Search by the phone's last 4 digits; choosing logs a view. */
  search_for (fixture, "2222");
  g_assert_true (joren_customers_page_select_row (page, 0));
  g_assert_cmpint (joren_customers_page_get_selected (page), ==, hanako);
  g_assert_cmpint (count_audit (fixture, hanako, JOREN_AUDIT_VIEW), ==, 1);

  /* History opens and closes. */
  joren_test_ui_tap (fixture->page, "History");
  tap_in_dialog (fixture, "Close");

  /* Merge the copy into Hanako: pick it, confirm. */
  joren_test_ui_tap (fixture->page, "Merge…");
  {
    Lookup lookup = { fixture, "Close" };
    GList *windows;
    GtkWidget *entry = NULL, *list = NULL;

    g_assert_true (joren_test_ui_wait_for (dialog_button_shown, &lookup));
    windows = gtk_window_list_toplevels ();
    for (GList *l = windows; l; l = l->next)
      if (l->data != fixture->window && gtk_widget_get_mapped (l->data))
        list = joren_test_ui_find_by_class (l->data, "merge-list");
    g_list_free (windows);
    g_assert_nonnull (list);
    entry = gtk_widget_get_prev_sibling (list);
    gtk_editable_set_text (GTK_EDITABLE (entry), "ヤマダ");
    joren_test_ui_spin (400);
    g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
    g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
    g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  }
  tap_in_dialog (fixture, "Merge");
  merged_sql = g_strdup_printf ("SELECT merged_into FROM customers WHERE id = %" G_GINT64_FORMAT, copy);
  g_assert_cmpint (joren_test_query_int (fixture->db, merged_sql), ==, hanako);
  g_assert_cmpint (count_audit (fixture, hanako, JOREN_AUDIT_MERGE), ==, 1);

  /* Anonymise Taro: asked twice. */
  search_for (fixture, "スズキ");
  g_assert_true (joren_customers_page_select_row (page, 0));
  g_assert_cmpint (joren_customers_page_get_selected (page), ==, taro);
  joren_test_ui_tap (fixture->page, "Anonymise…");
  tap_in_dialog (fixture, "Anonymise");
  joren_customer_is_anonymised (fixture->db, taro, &anonymised, &error);
  g_assert_no_error (error);
  g_assert_false (anonymised);   /* not after the first question */
  tap_in_dialog (fixture, "Remove for good");
  joren_customer_is_anonymised (fixture->db, taro, &anonymised, &error);
  g_assert_no_error (error);
  g_assert_true (anonymised);
  g_assert_cmpint (count_audit (fixture, taro, JOREN_AUDIT_ANONYMISE), ==, 1);
}

static gboolean
counted (gpointer page)
{
  return joren_promotions_page_get_count (page) != G_MAXUINT64;
}

static void
test_promotion_preview (Fixture       *fixture,
                        gconstpointer  data)
{
  JorenPromotionsPage *page = JOREN_PROMOTIONS_PAGE (joren_promotions_page_new ());

  add_customer (fixture, "山田 花子", "ヤマダ ハナコ", "090-1111-2222", TRUE);
  add_customer (fixture, "鈴木 太郎", "スズキ タロウ", "090-5555-6666", FALSE);
  add_customer (fixture, "陳 美玲", "チン メイリン", "090-7777-8888", TRUE);
  joren_promotions_page_set_staff (page, fixture->staff_id);
  joren_promotions_page_set_db (page, fixture->db);
  show_page (fixture, GTK_WIDGET (page));
  g_assert_true (joren_test_ui_wait_for (counted, page));
  g_assert_cmpuint (joren_promotions_page_get_count (page), ==, 3);

  joren_promotions_page_set_template (page, "{name}様へ", "{name}様 {points}pt");
  joren_test_ui_tap (fixture->page, "Preview");
  g_assert_nonnull (joren_test_ui_find_by_class (fixture->page, "promotion-sample"));
  g_assert_cmpint (joren_promotions_page_preview (page), ==, 2);

  /* Nobody has visited: the lapsed segment is empty. */
  joren_promotions_page_choose (page, JOREN_PROMOTIONS_LAPSED);
  g_assert_true (joren_test_ui_wait_for (counted, page));
  g_assert_cmpuint (joren_promotions_page_get_count (page), ==, 0);
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gint64
add_shopper (Fixture    *fixture,
             const char *name,
             const char *store,
             guint       n_products)
{
  g_autoptr(JorenCustomer) customer = joren_customer_new ();
  g_autoptr(JorenSale) sale = NULL;
  g_autoptr(GError) error = NULL;

  customer->name = g_strdup (name);
  customer->store = g_strdup (store);
  joren_customer_add (fixture->db, customer, FALSE, &error);
  g_assert_no_error (error);
  if (n_products == 0)
    return customer->id;
  sale = joren_test_new_sale (fixture->db, n_products);
  joren_sale_set_customer (sale, customer->id);
  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (fixture->db, sale, 0, &error);
  g_assert_no_error (error);
  return customer->id;
}

static guint64
count_after (JorenPromotionsPage *page)
{
  g_assert_true (joren_test_ui_wait_for (counted, page));
  return joren_promotions_page_get_count (page);
}

/* The product a one- or two-product test sale holds last. */
static JorenProduct *
sold_product (Fixture *fixture,
              guint    n_products)
{
  g_autoptr(JorenSale) sale = joren_test_new_sale (fixture->db, n_products);
  const JorenSaleLine *line = joren_sale_get_line (sale, n_products - 1);

  return joren_catalog_get_product (fixture->db, line->product_id, NULL);
}

static guint
find_item (GtkDropDown *dropdown,
           const char  *text)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      return i;
  g_error ("No item %s", text);
}

/* The filter builder's product, category, store and top-N pickers. */
static void
test_promotion_pickers (Fixture       *fixture,
                        gconstpointer  data)
{
  JorenPromotionsPage *page = JOREN_PROMOTIONS_PAGE (joren_promotions_page_new ());
  g_autoptr(JorenProduct) first = sold_product (fixture, 1);
  g_autoptr(JorenProduct) second = sold_product (fixture, 2);
  g_autoptr(GPtrArray) categories = joren_catalog_list_categories (fixture->db, FALSE, NULL);
  GtkDropDown *category, *store;
  guint category_item = 0;

  add_shopper (fixture, "Aoi", "TKY", 1);
  add_shopper (fixture, "Ben", "TKY", 2);
  add_shopper (fixture, "Chie", "OSK", 0);
  joren_promotions_page_set_db (page, fixture->db);
  show_page (fixture, GTK_WIDGET (page));
  g_assert_cmpuint (count_after (page), ==, 3);

  gtk_editable_set_text (GTK_EDITABLE (find_named (fixture->page, "product")), first->name);
  g_assert_cmpuint (count_after (page), ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (find_named (fixture->page, "product")), second->name);
  g_assert_cmpuint (count_after (page), ==, first->id == second->id ? 2 : 1);
  gtk_editable_set_text (GTK_EDITABLE (find_named (fixture->page, "product")), "");
  g_assert_cmpuint (count_after (page), ==, 3);

  category = GTK_DROP_DOWN (find_named (fixture->page, "category"));
  for (guint i = 0; i < categories->len; i++)
    if (((JorenCategory *) categories->pdata[i])->id == second->category_id)
      category_item = find_item (category, ((JorenCategory *) categories->pdata[i])->name);
  g_assert_cmpuint (category_item, >, 0);
  gtk_drop_down_set_selected (category, category_item);
  g_assert_cmpuint (count_after (page), ==, first->category_id == second->category_id ? 2 : 1);
  gtk_drop_down_set_selected (category, 0);

  store = GTK_DROP_DOWN (find_named (fixture->page, "store"));
  gtk_drop_down_set_selected (store, find_item (store, "OSK"));
  g_assert_cmpuint (count_after (page), ==, 1);
  gtk_drop_down_set_selected (store, find_item (store, "TKY"));
  g_assert_cmpuint (count_after (page), ==, 2);
  gtk_drop_down_set_selected (store, 0);

  /* Best customers: both shoppers, or only the best one. */
  joren_promotions_page_choose (page, JOREN_PROMOTIONS_BEST);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (fixture->page, "top")), 0);
  g_assert_cmpuint (count_after (page), ==, 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (fixture->page, "top")), 1);
  g_assert_cmpuint (count_after (page), ==, 1);
}

static JorenAuditEntry *
get_newest_audit (Fixture *fixture,
                  gint64   customer_id)
{
  g_autoptr(GPtrArray) entries = joren_audit_list (fixture->db, customer_id, 1, NULL);

  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, ==, 1);
  return g_ptr_array_steal_index (entries, 0);
}

/* Signed in through the register window, the manager's look at a
 * customer is logged under their own id, not the system's 0. */
static void
test_audit_staff (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JorenStaff) ben = joren_test_find_staff (fixture->db, "Ben");
  gint64 hanako = add_customer (fixture, "山田 花子", "ヤマダ ハナコ", "090-1111-2222", TRUE);
  JorenWindow *window = joren_window_new (NULL, fixture->db);
  g_autoptr(JorenAuditEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  JorenBackoffice *backoffice;

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768);
  gtk_window_present (GTK_WINDOW (window));
  joren_test_ui_spin (200);
  joren_window_sign_in (window, ben->id, "2222", &error);
  g_assert_no_error (error);
  /* The drawer question is not this test's business. */
  fixture_close_dialogs (fixture, GTK_WINDOW (window));
  g_assert_true (joren_window_show_page (window, "backoffice"));
  backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (window));
  joren_backoffice_show_section (backoffice, "customers");
  fixture->page = joren_backoffice_get_section (backoffice, "customers");
  joren_test_ui_spin (200);
  search_for (fixture, "2222");
  g_assert_true (joren_customers_page_select_row (JOREN_CUSTOMERS_PAGE (fixture->page), 0));
  entry = get_newest_audit (fixture, hanako);
  g_assert_cmpint (entry->action, ==, JOREN_AUDIT_VIEW);
  g_assert_cmpint (entry->staff_id, ==, ben->id);
  g_assert_cmpint (entry->staff_id, !=, fixture->staff_id);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  joren_ui_init_style (gdk_display_get_default ());

  g_test_add ("/joren/ui/customers/search-history-merge-anonymise", Fixture, NULL,
              fixture_set_up, test_customers, fixture_tear_down);
  g_test_add ("/joren/ui/promotions/preview", Fixture, NULL,
              fixture_set_up, test_promotion_preview, fixture_tear_down);
  g_test_add ("/joren/ui/promotions/pickers", Fixture, NULL,
              fixture_set_up, test_promotion_pickers, fixture_tear_down);
  g_test_add ("/joren/ui/customers/audit-staff", Fixture, NULL,
              fixture_set_up, test_audit_staff, fixture_tear_down);
  return g_test_run ();
}
