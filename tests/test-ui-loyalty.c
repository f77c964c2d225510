/* test-ui-loyalty.c: count cards, stamps and the Loyalty page in the real
 * window under Xvfb. A member who bought a count card is attached; the
 * reception panel lists the card and the stamps; "Use a visit" adds the
 * visit line at no charge; paying writes the use to the ledger. On the
 * back office's Loyalty page the owner changes the earn rate and grants
 * points to a member found by phone, confirmed with a manager's PIN.
 * Every result is read back from the SQLite file. */
#include "config.h"

#include <string.h>

#include "joren-backoffice.h"
#include "joren-cash.h"
#include "joren-loyalty-settings.h"
#include "joren-points.h"
#include "joren-punch.h"
#include "joren-sale-db.h"
#include "joren-sale-view.h"
#include "joren-tender-view.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-window.h"

typedef struct {
  JorenDb       *db;
  JorenWindow   *window;
  JorenStaff    *staff;
  JorenCustomer *member;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->staff = joren_test_find_staff (fixture->db, "Aiko");
  session = joren_cash_session_open (fixture->db, fixture->staff->id, 10000, &error);
  g_assert_no_error (error);
  fixture->member = joren_customer_new ();
  fixture->member->name = g_strdup ("常連 太郎");
  joren_customer_add_phone (fixture->member, "090-7777-1234");
  joren_customer_add (fixture->db, fixture->member, FALSE, &error);
  g_assert_no_error (error);
  fixture->window = joren_window_new (NULL, fixture->db);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1366, 768);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped,
                                         fixture->window));
  joren_window_sign_in (fixture->window, fixture->staff->id, "1111", &error);
  g_assert_no_error (error);
  joren_test_ui_spin (100);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  joren_test_ui_spin (50);
  g_clear_pointer (&fixture->member, joren_customer_free);
  g_clear_pointer (&fixture->staff, joren_staff_free);
  g_clear_object (&fixture->db);
}

/* The member bought the demo's count card earlier: returns its id. */
static gint64
buy_card (Fixture *fixture)
{
  g_autoptr(GArray) products = joren_punch_list_products (fixture->db, NULL);
  g_autoptr(JorenProduct) card = NULL;
  g_autoptr(JorenShop) shop = joren_db_load_shop (fixture->db, NULL);
  g_autoptr(JorenSale) sale = joren_sale_new (shop);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (products->len, ==, 1);
  card = joren_catalog_get_product (fixture->db,
                                    g_array_index (products, JorenPunchProduct, 0).product_id,
                                    &error);
  g_assert_no_error (error);
  joren_sale_add_product (sale, card, 1, NULL);
  joren_sale_set_staff (sale, fixture->staff->id, fixture->staff->name);
  joren_sale_set_customer (sale, fixture->member->id);
  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (fixture->db, sale, 0, &error);
  g_assert_no_error (error);
  return joren_test_query_int (fixture->db, "SELECT max (id) FROM punch_cards");
}

static gint64
visits_left (Fixture *fixture,
             gint64   card_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT sum (units) FROM punch_ledger WHERE card_id = %"
                                          G_GINT64_FORMAT, card_id);

  return joren_test_query_int (fixture->db, sql);
}

/* Whether the text shows in a label under root. */
static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root)
      && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
is_done (gpointer data)
{
  return joren_tender_view_is_done (JOREN_TENDER_VIEW (data));
}

static gboolean
page_is_tender (gpointer data)
{
  return g_strcmp0 (joren_window_get_page (data), "tender") == 0;
}

static void
test_use_visit (Fixture       *fixture,
                gconstpointer  data)
{
  JorenSaleView *view = JOREN_SALE_VIEW (joren_window_get_sale_view (fixture->window));
  GtkWidget *tender = joren_window_get_tender_view (fixture->window);
  gint64 card_id = buy_card (fixture);
  g_autoptr(JorenSale) stored = NULL;
  g_autoptr(GError) error = NULL;
  JorenSale *sale;
  GtkWidget *use;

  joren_sale_view_set_customer (view, fixture->member);
  joren_test_ui_spin (100);
  /* The panel: the card with its eleven visits, and the stamps. */
  g_assert_true (shows_text (GTK_WIDGET (view), "11 visits left"));
  g_assert_true (shows_text (GTK_WIDGET (view), "/10 stamps"));
  use = joren_test_ui_find_button (GTK_WIDGET (view), "Use a visit");
  g_assert_nonnull (use);
  g_assert_cmpint (gtk_widget_get_height (use), >=, 48);

  /* One tap: the house coffee at no charge, a visit of this card. */
  joren_test_ui_click (use);
  sale = joren_sale_view_get_sale (view);
  g_assert_cmpuint (joren_sale_get_n_lines (sale), ==, 1);
  g_assert_cmpint (joren_sale_get_line (sale, 0)->kind, ==, JOREN_LINE_VISIT);
  g_assert_cmpint (joren_sale_get_total (sale), ==, 0);
  joren_test_ui_spin (100);
  g_assert_true (shows_text (GTK_WIDGET (view), "10 visits left"));

  /* A paid tea beside it, then cash. */
  joren_test_ui_tap (GTK_WIDGET (view), "お茶");
  joren_test_ui_spin (100);
  joren_test_ui_tap (GTK_WIDGET (view), "煎茶");
  g_assert_cmpint (joren_sale_get_total (sale), ==, 400);
  joren_test_ui_tap (GTK_WIDGET (fixture->window), "Pay");
  g_assert_true (joren_test_ui_wait_for (page_is_tender, fixture->window));
  joren_test_ui_tap (tender, "Cash");
  g_assert_true (joren_test_ui_wait_for (is_done, tender));

  stored = joren_db_load_last_sale (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_total (stored), ==, 400);
  g_assert_cmpint (joren_sale_get_line (stored, 0)->kind, ==, JOREN_LINE_VISIT);
  g_assert_cmpint (visits_left (fixture, card_id), ==, 10);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count (*) FROM punch_ledger"
                                                      " WHERE kind = 'use' AND units = -1"), ==, 1);
}

static GtkWidget *
find_dialog (Fixture *fixture)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (window != GTK_WIDGET (fixture->window) && gtk_widget_get_mapped (window))
        return window;
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog (data) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog (data) == NULL;
}

static void
set_spin (GtkWidget  *page,
          const char *name,
          double      value)
{
  GtkWidget *spin = GTK_WIDGET (gtk_widget_get_template_child (page, JOREN_TYPE_LOYALTY_SETTINGS,
                                                               name));

  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
}

static void
set_entry (GtkWidget  *page,
           const char *name,
           const char *text)
{
  GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (page, JOREN_TYPE_LOYALTY_SETTINGS,
                                                                name));

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static gboolean
granted (gpointer data)
{
  Fixture *fixture = data;

  return joren_points_balance (fixture->db, fixture->member->id, NULL) == 300;
}

static void
test_loyalty_page (Fixture       *fixture,
                   gconstpointer  data)
{
  JorenBackoffice *backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (fixture->window));
  g_autoptr(JorenStaff) manager = joren_test_find_staff (fixture->db, "Ben");
  g_autoptr(GPtrArray) entries = NULL;
  JorenPointsSettings settings;
  GtkWidget *page, *dialog;

  g_assert_true (joren_window_show_page (fixture->window, "backoffice"));
  joren_backoffice_show_section (backoffice, "loyalty");
  joren_test_ui_spin (200);
  page = joren_test_ui_find_by_class (GTK_WIDGET (backoffice), "loyalty-settings");
  g_assert_nonnull (page);

  /* 1 point per ¥200 from now on. */
  set_spin (page, "earn_amount_spin", 200);
  joren_test_ui_tap (page, "Save points");
  joren_points_get_settings (fixture->db, &settings);
  g_assert_cmpint (settings.earn_amount, ==, 200);
  g_assert_cmpint (settings.earn_points, ==, 1);

  /* 300 points for a complaint, to the member found by phone. */
  set_entry (page, "grant_search_entry", "09077771234");
  joren_test_ui_tap (page, "Find");
  g_assert_true (shows_text (page, "常連 太郎"));
  set_spin (page, "grant_points_spin", 300);
  set_entry (page, "grant_reason_entry", "Cold coffee, sorry");
  joren_test_ui_tap (page, "Grant points");
  g_assert_true (joren_test_ui_wait_for (dialog_shown, fixture));
  dialog = find_dialog (fixture);
  joren_test_ui_tap (dialog, "Ben");
  for (guint i = 0; i < 4; i++)
    joren_test_ui_tap (dialog, "2");
  joren_test_ui_tap (dialog, "OK");
  g_assert_true (joren_test_ui_wait_for (dialog_gone, fixture));
  g_assert_true (joren_test_ui_wait_for (granted, fixture));
  entries = joren_points_list (fixture->db, fixture->member->id, 1, NULL);
  g_assert_cmpstr (((JorenPointsEntry *) entries->pdata[0])->kind, ==, "adjust");
  g_assert_cmpstr (((JorenPointsEntry *) entries->pdata[0])->reason, ==, "Cold coffee, sorry");
  g_assert_cmpstr (((JorenPointsEntry *) entries->pdata[0])->staff_name, ==, manager->name);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/joren/ui/loyalty/use-visit", Fixture, NULL,
              fixture_set_up, test_use_visit, fixture_tear_down);
  g_test_add ("/joren/ui/loyalty/settings-page", Fixture, NULL,
              fixture_set_up, test_loyalty_page, fixture_tear_down);

  return g_test_run ();
}
