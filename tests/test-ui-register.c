/* test-ui-register.c: the real register window under Xvfb, driven the way
 * a cashier drives it: tap a name and PIN digits, scan barcodes (real X
 * key events through xdotool, and the key controller's own signal), tap
 * products, edit a line, pay with a quick-cash button, refund with a
 * manager's PIN. Every result is checked in the SQLite file as well as on
 * screen. */
#include "config.h"

#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>

#include "joren-cash.h"
#include "joren-sale-db.h"
#include "joren-sale-view.h"
#include "joren-tender-view.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-window.h"


typedef struct {
  JorenDb     *db;
  JorenWindow *window;
} Fixture;

static void
tap_digits (GtkWidget  *root,
            const char *digits)
{
  for (const char *p = digits; *p; p++)
    {
      char key[2] = { *p, '\0' };
      joren_test_ui_tap (root, key);
    }
}

/* The visible window other than the register (the open dialog). */
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
dialog_is_open (gpointer data)
{
  return find_dialog (data) != NULL;
}

static gboolean
dialog_is_closed (gpointer data)
{
  return find_dialog (data) == NULL;
}

static GtkWidget *
wait_for_dialog (Fixture *fixture)
{
  g_assert_true (joren_test_ui_wait_for (dialog_is_open, fixture));
  joren_test_ui_spin (50);
  return find_dialog (fixture);
}

/* --- the register --- */

static JorenSale *
get_sale (Fixture *fixture)
{
  return joren_sale_view_get_sale (JOREN_SALE_VIEW (joren_window_get_sale_view (fixture->window)));
}

typedef struct {
  Fixture    *fixture;
  const char *page;
} PageWait;

static gboolean
page_is (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (joren_window_get_page (wait->fixture->window), wait->page) == 0;
}

static void
assert_page_soon (Fixture    *fixture,
                  const char *page)
{
  PageWait wait = { fixture, page };

  if (!joren_test_ui_wait_for (page_is, &wait))
    g_error ("Expected page %s, still on %s", page, joren_window_get_page (fixture->window));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->db = joren_test_open_demo_db ("jp");
  fixture->window = joren_window_new (NULL, fixture->db);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1366, 768);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped, fixture->window));
  joren_test_ui_spin (200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *dialog;

  while ((dialog = find_dialog (fixture)) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  joren_test_ui_spin (50);
  g_clear_object (&fixture->db);
}

static void
open_drawer (Fixture    *fixture,
             const char *manager)
{
  g_autoptr(JorenStaff) staff = joren_test_find_staff (fixture->db, manager);
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = joren_cash_session_open (fixture->db, staff->id, 10000, &error);
  g_assert_no_error (error);
}

static void
sign_in (Fixture    *fixture,
         const char *name,
         const char *pin)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  g_assert_cmpstr (joren_window_get_page (fixture->window), ==, "signin");
  joren_test_ui_tap (window, name);
  tap_digits (window, pin);
  joren_test_ui_tap (window, "OK");
  assert_page_soon (fixture, "register");
}

/* An EAN-13 of an ordinary (not weighed) product of the demo. */
static char *
find_product_barcode (Fixture    *fixture,
                      guint       skip,
                      char      **name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = joren_catalog_list_products (fixture->db, 0, NULL, FALSE,
                                                               0, 100, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < products->len; i++)
    {
      JorenProduct *product = g_ptr_array_index (products, i);

      if (product->embed != JOREN_EMBED_NONE || product->barcodes->len == 0 ||
          strlen (g_ptr_array_index (product->barcodes, 0)) != 13 || skip-- > 0)
        continue;
      *name = g_strdup (product->name);
      return g_strdup (g_ptr_array_index (product->barcodes, 0));
    }
  g_error ("The demo has no products with an EAN-13");
}

typedef struct {
  Fixture *fixture;
  gint64   items;
} ItemsWait;

static gboolean
item_count_is (gpointer data)
{
  ItemsWait *wait = data;

  return joren_sale_get_item_count (get_sale (wait->fixture)) == wait->items;
}

static void
assert_items_soon (Fixture *fixture,
                   gint64   items)
{
  ItemsWait wait = { fixture, items };

  if (!joren_test_ui_wait_for (item_count_is, &wait))
    g_error ("Expected %" G_GINT64_FORMAT " items, the sale has %" G_GINT64_FORMAT,
             items, joren_sale_get_item_count (get_sale (fixture)));
}

/* Real key events: xdotool types into the window through the X server
 * (XTEST), so they arrive as GDK events like a USB scanner's would. */
static gboolean
type_with_xdotool (Fixture    *fixture,
                   const char *code)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (fixture->window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *focus[] = { "xdotool", "windowfocus", "--sync", xid, NULL };
  const char *type[] = { "xdotool", "type", "--delay", "15", code, NULL };
  const char *enter[] = { "xdotool", "key", "Return", NULL };
  const char *const *commands[] = { focus, type, enter };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_spawn_sync (NULL, (char **) commands[i], NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                         NULL, NULL, &status, &error) ||
          !g_spawn_check_wait_status (status, &error))
        {
          g_test_message ("xdotool failed: %s", error->message);
          return FALSE;
        }
      joren_test_ui_spin (30);
    }
  return TRUE;
}

/* The key controller's own handler, with the keyvals a scanner sends. */
static void
type_into_controller (Fixture    *fixture,
                      const char *code)
{
  GtkEventController *controller = joren_window_get_scan_controller (fixture->window);
  gboolean handled = FALSE;

  for (const char *p = code; *p; p++)
    {
      g_signal_emit_by_name (controller, "key-pressed", gdk_unicode_to_keyval (*p), 0, 0, &handled);
      g_assert_true (handled);
    }
  g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
  g_assert_true (handled);
}

static GtkWidget *
find_label_with_class (Fixture    *fixture,
                       const char *css_class)
{
  GtkWidget *label = joren_test_ui_find_by_class (GTK_WIDGET (fixture->window), css_class);

  g_assert_nonnull (label);
  g_assert_true (GTK_IS_LABEL (label));
  return label;
}

/* --- tests --- */

static void
test_wrong_pin (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *message;

  joren_test_ui_tap (window, "Chen");
  tap_digits (window, "9999");
  joren_test_ui_tap (window, "OK");
  joren_test_ui_spin (100);
  g_assert_cmpstr (joren_window_get_page (fixture->window), ==, "signin");
  message = joren_test_ui_find_by_class (window, "error");
  g_assert_nonnull (message);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), !=, "");
  g_test_message ("wrong PIN says: %s", gtk_label_get_text (GTK_LABEL (message)));
  /* The right PIN still works after one mistake. */
  tap_digits (window, "3333");
  joren_test_ui_tap (window, "OK");
  assert_page_soon (fixture, "register");
}

static void
test_owner_opens_drawer (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  sign_in (fixture, "Aiko", "1111");
  dialog = wait_for_dialog (fixture);
  tap_digits (dialog, "15000");
  joren_test_ui_tap (dialog, "OK");
  g_assert_true (joren_test_ui_wait_for (dialog_is_closed, fixture));
  session = joren_cash_session_current (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (session->opening_float, ==, 15000);
  g_assert_cmpint (joren_window_get_cash_session_id (fixture->window), ==, session->id);
}

static void
test_sale (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autofree char *name1 = NULL, *name2 = NULL;
  g_autofree char *code1 = find_product_barcode (fixture, 0, &name1);
  g_autofree char *code2 = find_product_barcode (fixture, 1, &name2);
  g_autofree char *unknown = NULL;
  g_autofree char *zero = NULL;
  g_autofree char *change = NULL;
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autoptr(JorenSale) stored = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *lines, *row, *quick, *editor;
  gint64 total, tendered;
  guint n_lines;

  open_drawer (fixture, "Ben");
  sign_in (fixture, "Chen", "3333");

  /* Scan through the X server, then through the controller. */
  if (xdotool != NULL && type_with_xdotool (fixture, code1))
    assert_items_soon (fixture, 1);
  else
    {
      g_test_message ("xdotool unavailable: the controller path only");
      type_into_controller (fixture, code1);
    }
  g_assert_cmpstr (joren_sale_get_line (get_sale (fixture), 0)->name, ==, name1);
  type_into_controller (fixture, code2);
  assert_items_soon (fixture, 2);

  /* An unknown (but well-formed) code: banner, nothing added. */
  unknown = g_strdup_printf ("490000000001%u", joren_ean_check_digit ("490000000001", 12));
  type_into_controller (fixture, unknown);
  g_assert_true (joren_window_get_banner_visible (fixture->window));
  g_assert_cmpstr (joren_window_get_banner_text (fixture->window), !=, "");
  g_assert_cmpint (joren_sale_get_item_count (get_sale (fixture)), ==, 2);
  type_into_controller (fixture, "12x");
  g_assert_cmpint (joren_sale_get_item_count (get_sale (fixture)), ==, 2);

  /* Tap a product button (the first of the first category). */
  g_assert_nonnull (joren_test_ui_find_by_class (window, "product-button"));
  joren_test_ui_click (joren_test_ui_find_by_class (window, "product-button"));
  assert_items_soon (fixture, 3);

  /* Line editor: the last line +1. */
  lines = joren_test_ui_find_by_class (window, "sale-lines");
  g_assert_nonnull (lines);
  n_lines = joren_sale_get_n_lines (get_sale (fixture));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (lines), n_lines - 1));
  g_assert_true (gtk_widget_activate (row));
  editor = wait_for_dialog (fixture);
  joren_test_ui_tap (editor, "+");
  g_assert_cmpint (joren_sale_get_line (get_sale (fixture), n_lines - 1)->qty, ==, 2);
  joren_test_ui_tap (editor, "Done");
  g_assert_true (joren_test_ui_wait_for (dialog_is_closed, fixture));
  assert_items_soon (fixture, 4);

  /* Void the first line: it leaves the sale and the void log has it. */
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (lines), 0));
  g_assert_true (gtk_widget_activate (row));
  editor = wait_for_dialog (fixture);
  joren_test_ui_tap (editor, "Void line");
  g_assert_true (joren_test_ui_wait_for (dialog_is_closed, fixture));
  assert_items_soon (fixture, 3);
  g_assert_cmpint (joren_test_query_int (fixture->db, "SELECT count(*) FROM void_log"), ==, 1);

  /* Pay with the second quick-cash button (more than due: change). */
  total = joren_sale_get_total (get_sale (fixture));
  n_lines = joren_sale_get_n_lines (get_sale (fixture));
  joren_test_ui_tap (window, "Pay");
  assert_page_soon (fixture, "tender");
  quick = joren_test_ui_find_by_class (window, "quick-cash");
  g_assert_nonnull (quick);
  quick = gtk_widget_get_ancestor (quick, GTK_TYPE_FLOW_BOX_CHILD);
  quick = gtk_widget_get_first_child (gtk_widget_get_next_sibling (quick));
  tendered = *(gint64 *) g_object_get_data (G_OBJECT (quick), "joren-amount");
  g_assert_cmpint (tendered, >, total);
  joren_test_ui_click (quick);
  change = joren_money_format (tendered - total, joren_currency_lookup ("JPY"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_label_with_class (fixture, "change-value"))),
                   ==, change);

  /* On disk: the sale, its lines, total and change. */
  stored = joren_db_load_last_sale (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (joren_sale_get_n_lines (stored), ==, n_lines);
  g_assert_cmpint (joren_sale_get_total (stored), ==, total);
  g_assert_cmpint (joren_sale_get_paid (stored), ==, tendered);
  g_assert_cmpint (joren_sale_get_change (stored), ==, tendered - total);
  g_assert_cmpstr (joren_sale_get_staff_name (stored), ==, "Chen");

  /* Next customer: an empty register. */
  joren_test_ui_tap (window, "Next customer");
  assert_page_soon (fixture, "register");
  g_assert_cmpuint (joren_sale_get_n_lines (get_sale (fixture)), ==, 0);
  g_assert_cmpint (joren_sale_get_total (get_sale (fixture)), ==, 0);
  zero = joren_money_format (0, joren_currency_lookup ("JPY"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_label_with_class (fixture, "total-value"))),
                   ==, zero);
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (lines), 0));
}

static void
test_refund (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autofree char *name = NULL;
  g_autofree char *code = find_product_barcode (fixture, 0, &name);
  g_autoptr(JorenSale) sold = NULL;
  g_autoptr(JorenSale) refund = NULL;
  g_autoptr(GError) error = NULL;
  const char *receipt;
  GtkWidget *dialog;

  open_drawer (fixture, "Ben");
  sign_in (fixture, "Chen", "3333");
  type_into_controller (fixture, code);
  assert_items_soon (fixture, 1);
  joren_test_ui_tap (window, "Pay");
  joren_test_ui_tap (window, "Cash");
  joren_test_ui_tap (window, "Next customer");
  sold = joren_db_load_last_sale (fixture->db, &error);
  g_assert_no_error (error);
  receipt = joren_sale_get_receipt_no (sold);

  /* A cashier needs a manager's PIN; a wrong one is refused. */
  joren_test_ui_tap (window, "Refund");
  dialog = wait_for_dialog (fixture);
  joren_test_ui_tap (dialog, "Ben");
  tap_digits (dialog, "9999");
  joren_test_ui_tap (dialog, "OK");
  g_assert_nonnull (joren_test_ui_find_by_class (dialog, "error"));
  tap_digits (dialog, "2222");
  joren_test_ui_tap (dialog, "OK");
  joren_test_ui_spin (100);

  /* The receipt number: the prefix is already there. */
  dialog = wait_for_dialog (fixture);
  tap_digits (dialog, strchr (receipt, '-') + 1);
  joren_test_ui_tap (dialog, "OK");
  joren_test_ui_spin (100);
  dialog = wait_for_dialog (fixture);
  joren_test_ui_tap (dialog, "Everything");
  joren_test_ui_tap (dialog, "Refund");
  g_assert_true (joren_test_ui_wait_for (dialog_is_closed, fixture));
  g_assert_cmpint (joren_sale_get_kind (get_sale (fixture)), ==, JOREN_SALE_KIND_REFUND);
  g_assert_cmpint (joren_sale_get_total (get_sale (fixture)), ==, -joren_sale_get_total (sold));

  /* A refund on screen takes no scans. */
  type_into_controller (fixture, code);
  g_assert_true (joren_window_get_banner_visible (fixture->window));
  g_assert_cmpuint (joren_sale_get_n_lines (get_sale (fixture)), ==, 1);

  joren_test_ui_tap (window, "Pay out");
  assert_page_soon (fixture, "tender");
  joren_test_ui_tap (window, "Cash");
  refund = joren_db_load_last_sale (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_kind (refund), ==, JOREN_SALE_KIND_REFUND);
  g_assert_cmpint (joren_sale_get_total (refund), ==, -joren_sale_get_total (sold));
  g_assert_true (joren_tender_view_is_done (JOREN_TENDER_VIEW (joren_window_get_tender_view (fixture->window))));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/joren/ui/register/wrong-pin", Fixture, NULL,
              fixture_set_up, test_wrong_pin, fixture_tear_down);
  g_test_add ("/joren/ui/register/open-drawer", Fixture, NULL,
              fixture_set_up, test_owner_opens_drawer, fixture_tear_down);
  g_test_add ("/joren/ui/register/sale", Fixture, NULL,
              fixture_set_up, test_sale, fixture_tear_down);
  g_test_add ("/joren/ui/register/refund", Fixture, NULL,
              fixture_set_up, test_refund, fixture_tear_down);
  return g_test_run ();
}
