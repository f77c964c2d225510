/* test-ui-loyalty.c: count cards, stamps and the Loyalty page in the real
 * window under Xvfb. A member who bought a count card is attached; the
 * reception panel lists the card and the stamps; "Use a visit" adds the
 * visit line at no charge; paying writes the use to the ledger. On the
 * back office's Loyalty page the owner changes the earn rate and grants
 * points to a member found by phone, confirmed with a manager's PIN, and
 * sets up, changes and removes earning windows (a weekday happy hour, a
 * holiday) on a 1024x768 till, with screenshots of the form. Every
 * result is read back from the SQLite file. */
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
  /* data: the window's width, the back office's 1024 px till or 1366. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window),
                               data != NULL ? GPOINTER_TO_INT (data) : 1366, 768);
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
  g_assert_true (joren_test_ui_shows_text (GTK_WIDGET (view), "11 visits left"));
  g_assert_true (joren_test_ui_shows_text (GTK_WIDGET (view), "/10 stamps"));
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
  g_assert_true (joren_test_ui_shows_text (GTK_WIDGET (view), "10 visits left"));

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

static GtkWidget *
get_child (GtkWidget  *page,
           const char *name)
{
  GtkWidget *child = GTK_WIDGET (gtk_widget_get_template_child (page, JOREN_TYPE_LOYALTY_SETTINGS,
                                                                name));

  g_assert_nonnull (child);
  return child;
}

static void
set_spin (GtkWidget  *page,
          const char *name,
          double      value)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (get_child (page, name)), value);
}

static void
set_entry (GtkWidget  *page,
           const char *name,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (get_child (page, name)), text);
}

static GtkWidget *
show_loyalty_page (Fixture *fixture)
{
  JorenBackoffice *backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (fixture->window));
  GtkWidget *page;

  g_assert_true (joren_window_show_page (fixture->window, "backoffice"));
  joren_backoffice_show_section (backoffice, "loyalty");
  joren_test_ui_spin (200);
  page = joren_test_ui_find_by_class (GTK_WIDGET (backoffice), "loyalty-settings");
  g_assert_nonnull (page);
  return page;
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
  g_autoptr(JorenStaff) manager = joren_test_find_staff (fixture->db, "Ben");
  g_autoptr(GPtrArray) entries = NULL;
  JorenPointsSettings settings;
  GtkWidget *page = show_loyalty_page (fixture);
  GtkWidget *dialog;

  /* 1 point per ¥200 from now on. */
  set_spin (page, "earn_amount_spin", 200);
  joren_test_ui_tap (page, "Save points");
  joren_points_get_settings (fixture->db, &settings);
  g_assert_cmpint (settings.earn_amount, ==, 200);
  g_assert_cmpint (settings.earn_points, ==, 1);

  /* 300 points for a complaint, to the member found by phone. */
  set_entry (page, "grant_search_entry", "09077771234");
  joren_test_ui_tap (page, "Find");
  g_assert_true (joren_test_ui_shows_text (page, "常連 太郎"));
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

/* ---- earning windows ---- */

#define TILL_WIDTH 1024

/* The earning rules, in the order they were added. */
static GArray *
list_rules (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GArray *rules = joren_points_list_rules (fixture->db, &error);

  g_assert_no_error (error);
  return rules;
}

/* What the member's two blend coffees (9 points at the base rate) earn
 * at local 2026-month-day hour:minute. */
static gint64
points_at (Fixture   *fixture,
           JorenSale *sale,
           int        month,
           int        day,
           int        hour,
           int        minute)
{
  g_autoptr(GDateTime) when = g_date_time_new_local (2026, month, day, hour, minute, 0);
  g_autoptr(GError) error = NULL;
  gint64 points = -1;

  joren_points_for_sale (fixture->db, sale, when, &points, &error);
  g_assert_no_error (error);
  return points;
}

static JorenSale *
coffee_sale (Fixture *fixture)
{
  g_autoptr(JorenShop) shop = joren_db_load_shop (fixture->db, NULL);
  g_autoptr(JorenProduct) coffee = joren_test_find_product (fixture->db, "ブレンドコーヒー");
  JorenSale *sale = joren_sale_new (shop);

  joren_sale_add_product (sale, coffee, 2, NULL);
  joren_sale_set_staff (sale, fixture->staff->id, fixture->staff->name);
  joren_sale_set_customer (sale, fixture->member->id);
  return sale;
}

static gint64
local_midnight (int month,
                int day)
{
  g_autoptr(GDateTime) midnight = g_date_time_new_local (2026, month, day, 0, 0, 0);

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}

/* Scrolls the page so the named widget is near the top, as a finger
 * would. */
static void
scroll_to (GtkWidget  *page,
           const char *name)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (get_child (page, "scroller"));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  graphene_point_t point;

  /* Relative to the scroller, so wherever it is scrolled now. */
  g_assert_true (gtk_widget_compute_point (get_child (page, name), GTK_WIDGET (scroller),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y - 60);
  joren_test_ui_spin (200);
}

/* Nothing of the form is cut off at the till's width: the page has
 * nothing to scroll sideways, the window kept its width, and every
 * toggle and button of the form is thumb-sized and wholly inside it. */
static void
assert_form_fits (Fixture   *fixture,
                  GtkWidget *page)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (get_child (page, "scroller"));
  GtkAdjustment *hadjustment = gtk_scrolled_window_get_hadjustment (scroller);
  GtkWidget *days = get_child (page, "rule_days_box");
  GtkWidget *buttons[] = { get_child (page, "rule_save_button"),
                           get_child (page, "rule_cancel_button"), NULL };
  graphene_rect_t bounds;

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, TILL_WIDTH);
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), <=,
                     gtk_adjustment_get_page_size (hadjustment) + 0.5);
  for (GtkWidget *toggle = gtk_widget_get_first_child (days); toggle != NULL;
       toggle = gtk_widget_get_next_sibling (toggle))
    {
      g_assert_cmpint (gtk_widget_get_width (toggle), >=, 48);
      g_assert_cmpint (gtk_widget_get_height (toggle), >=, 48);
    }
  for (guint i = 0; buttons[i] != NULL; i++)
    {
      g_assert_cmpint (gtk_widget_get_height (buttons[i]), >=, 48);
      g_assert_true (gtk_widget_compute_bounds (buttons[i], GTK_WIDGET (scroller), &bounds));
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                         gtk_widget_get_width (GTK_WIDGET (scroller)));
    }
}

/* The button showing text in the index-th row of the rules list. */
static GtkWidget *
rule_row_button (GtkWidget  *page,
                 guint       index,
                 const char *text)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (get_child (page, "rules_box")),
                                                      (int) index);
  GtkWidget *button;

  g_assert_nonnull (row);
  button = joren_test_ui_find_button (GTK_WIDGET (row), text);
  g_assert_nonnull (button);
  return button;
}

static const char *
rule_message (GtkWidget *page)
{
  return gtk_label_get_text (GTK_LABEL (get_child (page, "rule_message_label")));
}

/* Issue #4: happy hour on Wednesdays, double points on a holiday. Both
 * are set up by touch; the data API then shows that a sale inside a
 * window earns the multiplied points and one outside does not. */
static void
test_earning_windows (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JorenSale) sale = coffee_sale (fixture);
  g_autoptr(GArray) rules = NULL;
  g_autofree char *shot = NULL;
  GtkWidget *page = show_loyalty_page (fixture);
  const JorenPointsRule *rule;
  gint64 happy_hour_id;

  gtk_drop_down_set_selected (GTK_DROP_DOWN (get_child (page, "rule_kind_dropdown")),
                              JOREN_POINTS_RULE_WINDOW);
  joren_test_ui_spin (50);
  g_assert_true (gtk_widget_get_mapped (get_child (page, "rule_days_box")));
  g_assert_false (gtk_widget_get_mapped (get_child (page, "rule_product_entry")));

  /* Wednesdays 15:00 to 17:00, triple points. */
  joren_test_ui_tap (page, "Wed");
  set_entry (page, "rule_from_entry", "15:00");
  set_entry (page, "rule_to_entry", "17:00");
  set_spin (page, "rule_multiplier_spin", 300);
  scroll_to (page, "rule_kind_dropdown");
  shot = joren_test_ui_save_png (GTK_WIDGET (fixture->window), "loyalty-window-new");
  joren_test_ui_tap (page, "Add rule");
  rules = list_rules (fixture);
  g_assert_cmpuint (rules->len, ==, 1);
  rule = &g_array_index (rules, JorenPointsRule, 0);
  g_assert_cmpint (rule->kind, ==, JOREN_POINTS_RULE_WINDOW);
  g_assert_cmpuint (rule->weekdays, ==, 1 << 2);
  g_assert_cmpuint (rule->minute_from, ==, 15 * 60);
  g_assert_cmpuint (rule->minute_to, ==, 17 * 60);
  g_assert_cmpuint (rule->multiplier_bp, ==, 30000);
  g_assert_cmpint (rule->starts_at, ==, 0);
  g_assert_cmpint (rule->ends_at, ==, 0);
  happy_hour_id = rule->id;
  g_assert_true (joren_test_ui_shows_text (page, "Wed · 15:00–17:00 · 300 % points"));
  g_clear_pointer (&rules, g_array_unref);

  /* A mistyped date is refused with the format, and nothing is saved. */
  set_entry (page, "rule_first_day_entry", "2026-12-32");
  joren_test_ui_tap (page, "Add rule");
  g_assert_cmpstr (rule_message (page), ==, "Enter the days as YYYY-MM-DD, such as 2026-12-24.");
  g_assert_true (gtk_widget_has_css_class (get_child (page, "rule_message_label"), "error"));
  scroll_to (page, "rule_kind_dropdown");
  g_free (shot);
  shot = joren_test_ui_save_png (GTK_WIDGET (fixture->window), "loyalty-window-refused");
  rules = list_rules (fixture);
  g_assert_cmpuint (rules->len, ==, 1);
  g_clear_pointer (&rules, g_array_unref);

  /* Christmas Eve, all day, double points: one date, typed both ways. */
  set_entry (page, "rule_first_day_entry", "2026-12-24");
  set_entry (page, "rule_last_day_entry", "2026/12/24");
  set_spin (page, "rule_multiplier_spin", 200);
  joren_test_ui_tap (page, "Add rule");
  g_assert_cmpstr (rule_message (page), ==, "Rule saved.");
  rules = list_rules (fixture);
  g_assert_cmpuint (rules->len, ==, 2);
  rule = &g_array_index (rules, JorenPointsRule, 1);
  g_assert_cmpuint (rule->weekdays, ==, 0);
  g_assert_cmpuint (rule->minute_from, ==, 0);
  g_assert_cmpuint (rule->minute_to, ==, 24 * 60);
  g_assert_cmpint (rule->starts_at, ==, local_midnight (12, 24));
  g_assert_cmpint (rule->ends_at, ==, local_midnight (12, 25));
  g_assert_true (joren_test_ui_shows_text (page, "every day · 2026-12-24 · all day · 200 % points"));
  g_clear_pointer (&rules, g_array_unref);

  /* Wednesday 2026-11-25 in and out of the hour, the Thursday after;
   * Christmas Eve (a Thursday) and the days either side of it. */
  g_assert_cmpint (points_at (fixture, sale, 11, 25, 16, 0), ==, 27);
  g_assert_cmpint (points_at (fixture, sale, 11, 25, 15, 0), ==, 27);
  g_assert_cmpint (points_at (fixture, sale, 11, 25, 17, 0), ==, 9);
  g_assert_cmpint (points_at (fixture, sale, 11, 25, 14, 59), ==, 9);
  g_assert_cmpint (points_at (fixture, sale, 11, 26, 16, 0), ==, 9);
  g_assert_cmpint (points_at (fixture, sale, 12, 24, 0, 0), ==, 18);
  g_assert_cmpint (points_at (fixture, sale, 12, 24, 23, 59), ==, 18);
  g_assert_cmpint (points_at (fixture, sale, 12, 23, 23, 59), ==, 9);
  g_assert_cmpint (points_at (fixture, sale, 12, 25, 0, 0), ==, 9);

  /* Edit the happy hour: the form shows it, Thursday joins, same rule. */
  joren_test_ui_click (rule_row_button (page, 0, "Edit"));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
                   joren_test_ui_find_button (page, "Wed"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_child (page, "rule_from_entry"))),
                   ==, "15:00");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_child (page, "rule_first_day_entry"))),
                   ==, "");
  joren_test_ui_tap (page, "Thu");
  scroll_to (page, "rules_box");
  g_free (shot);
  shot = joren_test_ui_save_png (GTK_WIDGET (fixture->window), "loyalty-window-list");
  scroll_to (page, "rule_kind_dropdown");
  g_free (shot);
  shot = joren_test_ui_save_png (GTK_WIDGET (fixture->window), "loyalty-window-edit");
  assert_form_fits (fixture, page);
  joren_test_ui_tap (page, "Save rule");
  rules = list_rules (fixture);
  g_assert_cmpuint (rules->len, ==, 2);
  rule = &g_array_index (rules, JorenPointsRule, 0);
  g_assert_cmpint (rule->id, ==, happy_hour_id);
  g_assert_cmpuint (rule->weekdays, ==, 1 << 2 | 1 << 3);
  g_assert_true (joren_test_ui_shows_text (page, "Wed, Thu · 15:00–17:00 · 300 % points"));
  g_clear_pointer (&rules, g_array_unref);
  g_assert_cmpint (points_at (fixture, sale, 11, 26, 16, 0), ==, 27);
  /* Christmas Eve's afternoon: the better window counts. */
  g_assert_cmpint (points_at (fixture, sale, 12, 24, 16, 0), ==, 27);

  /* The holiday removed: the day earns the base rate again. */
  joren_test_ui_click (rule_row_button (page, 1, "Remove"));
  rules = list_rules (fixture);
  g_assert_cmpuint (rules->len, ==, 1);
  g_assert_cmpint (points_at (fixture, sale, 12, 24, 10, 0), ==, 9);
  g_assert_false (joren_test_ui_shows_text (page, "2026-12-24 ·"));

  /* Several holidays at once, one window a day; a bad date among them
   * refuses them all and keeps what was typed. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (get_child (page, "rule_kind_dropdown")),
                              JOREN_POINTS_RULE_WINDOW);
  set_entry (page, "rule_first_day_entry", "2026-12-29, 2026-12-32");
  set_spin (page, "rule_multiplier_spin", 200);
  joren_test_ui_tap (page, "Add rule");
  g_assert_cmpstr (rule_message (page), ==, "Enter the days as YYYY-MM-DD, such as 2026-12-24.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_child (page, "rule_first_day_entry"))),
                   ==, "2026-12-29, 2026-12-32");
  rules = list_rules (fixture);
  g_assert_cmpuint (rules->len, ==, 1);
  g_clear_pointer (&rules, g_array_unref);
  set_entry (page, "rule_first_day_entry", "2026-12-29, 2026-12-30、2026/12/31");
  joren_test_ui_tap (page, "Add rule");
  g_assert_cmpstr (rule_message (page), ==, "3 rules saved.");
  rules = list_rules (fixture);
  g_assert_cmpuint (rules->len, ==, 4);
  g_clear_pointer (&rules, g_array_unref);
  g_assert_true (joren_test_ui_shows_text (page, "every day · 2026-12-30 · all day · 200 % points"));
  g_assert_cmpint (points_at (fixture, sale, 12, 28, 10, 0), ==, 9);
  g_assert_cmpint (points_at (fixture, sale, 12, 29, 10, 0), ==, 18);
  g_assert_cmpint (points_at (fixture, sale, 12, 31, 23, 0), ==, 18);

  /* A product rule's form has no days or dates. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (get_child (page, "rule_kind_dropdown")),
                              JOREN_POINTS_RULE_PRODUCT);
  joren_test_ui_spin (50);
  g_assert_false (gtk_widget_get_mapped (get_child (page, "rule_days_box")));
  g_assert_true (gtk_widget_get_mapped (get_child (page, "rule_product_entry")));
  scroll_to (page, "rules_box");
  g_free (shot);
  shot = joren_test_ui_save_png (GTK_WIDGET (fixture->window), "loyalty-rule-product");
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
  g_test_add ("/joren/ui/loyalty/earning-windows", Fixture, GINT_TO_POINTER (TILL_WIDTH),
              fixture_set_up, test_earning_windows, fixture_tear_down);

  return g_test_run ();
}
