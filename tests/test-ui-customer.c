/* test-ui-customer.c: customers at the till, in the real window under
 * Xvfb: a member card scanned at the register attaches its customer and
 * the reception panel shows the hint; an unknown card is offered for
 * registration; quick registration warns about a phone another member
 * has and adds a second customer only on "Register anyway"; the last four
 * digits find a pick list; points pay part of a sale. Every result is
 * read back through the data API from the SQLite file; the receipt is
 * read from the printer's device file. */
#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "joren-cash.h"
#include "joren-customer-dialog.h"
#include "joren-customer-form.h"
#include "joren-number-dialog.h"
#include "joren-points.h"
#include "joren-printer-settings.h"
#include "joren-sale-db.h"
#include "joren-sale-view.h"
#include "joren-tender-view.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-window.h"

typedef struct {
  JorenDb     *db;
  JorenWindow *window;
  JorenStaff  *staff;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->staff = joren_test_find_staff (fixture->db, "Aiko");
  /* The drawer is open already: no float dialog over the register. */
  session = joren_cash_session_open (fixture->db, fixture->staff->id, 10000, &error);
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
  g_clear_pointer (&fixture->staff, joren_staff_free);
  g_clear_object (&fixture->db);
}

static JorenCustomer *
add_customer (JorenDb    *db,
              const char *name,
              const char *reading,
              const char *phone,
              const char *card)
{
  JorenCustomer *customer = joren_customer_new ();
  g_autoptr(GError) error = NULL;

  customer->name = g_strdup (name);
  customer->reading = g_strdup (reading);
  if (phone != NULL)
    joren_customer_add_phone (customer, phone);
  if (card != NULL)
    joren_customer_add_card (customer, card, JOREN_CARD_BARCODE);
  joren_customer_add (db, customer, FALSE, &error);
  g_assert_no_error (error);
  return customer;
}

static JorenSaleView *
get_sale_view (Fixture *fixture)
{
  return JOREN_SALE_VIEW (joren_window_get_sale_view (fixture->window));
}

/* The mapped top-level window of type, once it is there. */
static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (window))
        return window;
    }
  return NULL;
}

static gboolean
toplevel_shown (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
toplevel_gone (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

static GtkWidget *
wait_toplevel (GType type)
{
  if (!joren_test_ui_wait_for (toplevel_shown, GSIZE_TO_POINTER (type)))
    g_error ("No %s on screen", g_type_name (type));
  return find_toplevel (type);
}

static void
assert_toplevel_gone (GType type)
{
  g_assert_true (joren_test_ui_wait_for (toplevel_gone, GSIZE_TO_POINTER (type)));
}

static void
type_digits (GtkWidget  *root,
             const char *digits)
{
  for (const char *p = digits; *p; p++)
    {
      char key[2] = { *p, '\0' };

      joren_test_ui_tap (root, key);
    }
}

static void
type_into (GtkWidget  *root,
           const char *css_class,
           const char *text)
{
  GtkWidget *entry = joren_test_ui_find_by_class (root, css_class);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

typedef struct {
  JorenSaleView *view;
  gint64         id;
} CustomerWait;

static gboolean
has_customer (gpointer data)
{
  CustomerWait *wait = data;
  const JorenCustomer *customer = joren_sale_view_get_customer (wait->view);

  return customer != NULL && customer->id == wait->id;
}

static void
assert_customer_soon (Fixture *fixture,
                      gint64   id)
{
  CustomerWait wait = { get_sale_view (fixture), id };

  g_assert_true (joren_test_ui_wait_for (has_customer, &wait));
  g_assert_cmpint (joren_sale_get_customer_id (joren_sale_view_get_sale (wait.view)), ==, id);
}

/* --- tests --- */

static void
test_card (Fixture       *fixture,
           gconstpointer  data)
{
  JorenSaleView *view = get_sale_view (fixture);
  g_autoptr(JorenCustomer) member = add_customer (fixture->db, "山田 太郎", "ヤマダ タロウ",
                                                  "090-1234-5678", "MEMBER-0001");
  g_autoptr(JorenCustomer) registered = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *hint, *form;

  /* A member card, scanned: the customer and the hint are on screen. */
  g_assert_true (joren_sale_view_scan (view, "MEMBER-0001", &error));
  g_assert_no_error (error);
  assert_customer_soon (fixture, member->id);
  g_assert_cmpuint (joren_sale_get_n_lines (joren_sale_view_get_sale (view)), ==, 0);
  joren_test_ui_spin (50);
  hint = joren_test_ui_find_by_class (GTK_WIDGET (view), "customer-hint");
  g_assert_nonnull (hint);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (hint)), !=, "");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (hint)), ==,
                   joren_sale_view_get_customer_hint (view));
  g_test_message ("hint: %s", gtk_label_get_text (GTK_LABEL (hint)));

  /* × detaches. */
  joren_test_ui_tap (GTK_WIDGET (view), "×");
  g_assert_null (joren_sale_view_get_customer (view));
  g_assert_cmpint (joren_sale_get_customer_id (joren_sale_view_get_sale (view)), ==, 0);

  /* An unknown card: still "not found", and offered for registration. */
  g_assert_false (joren_sale_view_scan (view, "MEMBER-0002", &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  joren_test_ui_spin (300);
  joren_test_ui_tap (GTK_WIDGET (view), "Register this card");
  form = wait_toplevel (JOREN_TYPE_CUSTOMER_FORM);
  type_into (form, "customer-name-entry", "鈴木 一郎");
  type_digits (form, "08011112222");
  joren_test_ui_tap (form, "Save");
  assert_toplevel_gone (JOREN_TYPE_CUSTOMER_FORM);
  registered = joren_customer_find_by_card (fixture->db, "MEMBER-0002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (registered->name, ==, "鈴木 一郎");
  assert_customer_soon (fixture, registered->id);
}

static gint64
count_by_phone (JorenDb    *db,
                const char *phone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = joren_customer_find_by_phone (db, phone, &error);

  g_assert_no_error (error);
  return found->len;
}

static void
test_register_duplicate (Fixture       *fixture,
                         gconstpointer  data)
{
  JorenSaleView *view = get_sale_view (fixture);
  g_autoptr(JorenCustomer) first = add_customer (fixture->db, "佐藤 一郎", "サトウ イチロウ",
                                                 "03-1234-5678", NULL);
  GtkWidget *dialog, *form, *error_label;
  const JorenCustomer *attached;

  joren_test_ui_tap (GTK_WIDGET (view), "Customer");
  dialog = wait_toplevel (JOREN_TYPE_CUSTOMER_DIALOG);
  joren_test_ui_tap (dialog, "New customer");
  form = wait_toplevel (JOREN_TYPE_CUSTOMER_FORM);
  type_into (form, "customer-name-entry", "佐藤 花子");
  type_into (form, "customer-reading-entry", "さとう はなこ");
  type_digits (form, "0312345678");

  /* The same landline: a warning naming the other member, nothing added. */
  joren_test_ui_tap (form, "Save");
  joren_test_ui_spin (50);
  error_label = joren_test_ui_find_by_class (form, "error");
  g_assert_nonnull (error_label);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), first->member_no));
  g_assert_cmpint (count_by_phone (fixture->db, "0312345678"), ==, 1);
  g_assert_null (joren_sale_view_get_customer (view));

  /* The cashier decides: a second member with that number. */
  joren_test_ui_tap (form, "Register anyway");
  assert_toplevel_gone (JOREN_TYPE_CUSTOMER_FORM);
  g_assert_cmpint (count_by_phone (fixture->db, "0312345678"), ==, 2);
  attached = joren_sale_view_get_customer (view);
  g_assert_nonnull (attached);
  g_assert_cmpstr (attached->name, ==, "佐藤 花子");
  g_assert_cmpstr (attached->reading, ==, "サトウ ハナコ");
  g_assert_cmpint (attached->id, !=, first->id);
}

static void
tap_row (GtkWidget  *root,
         const char *text)
{
  GtkWidget *button = NULL;

  /* Result rows are list rows, not buttons: find the label, activate its row. */
  for (GtkWidget *w = root; w != NULL;)
    {
      if (GTK_IS_LABEL (w) && gtk_widget_get_mapped (w) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), text) == 0)
        {
          button = gtk_widget_get_ancestor (w, GTK_TYPE_LIST_BOX_ROW);
          break;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != root && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == root ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  if (button == NULL)
    g_error ("No row “%s” on screen", text);
  g_assert_true (gtk_widget_activate (button));
}

static void
test_last4 (Fixture       *fixture,
            gconstpointer  data)
{
  JorenSaleView *view = get_sale_view (fixture);
  g_autoptr(JorenCustomer) a = add_customer (fixture->db, "田中 一", "タナカ ハジメ", "090-1111-4321", NULL);
  g_autoptr(JorenCustomer) b = add_customer (fixture->db, "中村 二郎", "ナカムラ ジロウ", "080-2222-4321", NULL);
  g_autoptr(JorenCustomer) c = add_customer (fixture->db, "小林 三子", "コバヤシ ミツコ", "070-3333-9999",
                                             "2900000000777");
  const JorenCustomer *attached;
  GtkWidget *dialog;

  joren_test_ui_tap (GTK_WIDGET (view), "Customer");
  dialog = wait_toplevel (JOREN_TYPE_CUSTOMER_DIALOG);
  type_digits (dialog, "4321");
  joren_test_ui_tap (dialog, "Find by phone");
  g_assert_cmpuint (joren_customer_dialog_get_n_results (JOREN_CUSTOMER_DIALOG (dialog)), ==, 2);
  joren_test_ui_spin (100);
  tap_row (dialog, b->name);
  assert_toplevel_gone (JOREN_TYPE_CUSTOMER_DIALOG);
  assert_customer_soon (fixture, b->id);

  /* By reading, in hiragana, from the text field. */
  joren_test_ui_tap (GTK_WIDGET (view), "Customer");
  dialog = wait_toplevel (JOREN_TYPE_CUSTOMER_DIALOG);
  type_into (dialog, "customer-name-entry", "こばやし");
  joren_test_ui_tap (dialog, "Find by name");
  g_assert_cmpuint (joren_customer_dialog_get_n_results (JOREN_CUSTOMER_DIALOG (dialog)), ==, 1);
  joren_test_ui_spin (100);
  tap_row (dialog, c->name);
  assert_toplevel_gone (JOREN_TYPE_CUSTOMER_DIALOG);
  assert_customer_soon (fixture, c->id);
  /* The list row had only what it shows; the sale has the whole record. */
  attached = joren_sale_view_get_customer (view);
  g_assert_cmpuint (attached->cards->len, ==, 1);
  g_assert_nonnull (attached->store);
  g_assert_cmpint (a->id, >, 0);
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

/* Receipts go to a plain file standing in for /dev/usb/lp0. */
static char *
set_file_printer (Fixture *fixture)
{
  g_autofree char *dir = joren_test_make_tmpdir ();
  char *path = g_build_filename (dir, "lp0", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
  joren_db_set_setting (fixture->db, JOREN_SETTING_PRINTER_TRANSPORT, "file", &error);
  g_assert_no_error (error);
  joren_db_set_setting (fixture->db, JOREN_SETTING_PRINTER_ADDRESS, path, &error);
  g_assert_no_error (error);
  joren_db_set_setting (fixture->db, JOREN_SETTING_PRINTER_PROFILE, "epson-tm-t88", &error);
  g_assert_no_error (error);
  joren_window_reload_printer (fixture->window);
  return path;
}

static gboolean
file_has_data (gpointer data)
{
  GStatBuf st;

  return g_stat (data, &st) == 0 && st.st_size > 0;
}

static void
assert_contains (GBytes     *bytes,
                 const char *text)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (memmem (data, size, text, strlen (text)) == NULL)
    g_error ("“%s” is not on the receipt", text);
}

/* The points tender printed as such, and the customer block. */
static void
assert_receipt_has_points (const char          *path,
                           const JorenCustomer *member,
                           gint64               balance)
{
  g_autofree char *balance_text = g_strdup_printf ("%" G_GINT64_FORMAT, balance);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (joren_test_ui_wait_for (file_has_data, (gpointer) path));
  joren_test_ui_spin (200);
  bytes = joren_test_read_file (path);
  assert_contains (bytes, "Points");
  assert_contains (bytes, "Points balance");
  assert_contains (bytes, member->member_no);
  assert_contains (bytes, balance_text);
}

/* Some label of the reception panel contains text. */
static gboolean
panel_label_contains (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    if (panel_label_contains (child, text))
      return TRUE;
  return FALSE;
}

static void
assert_panel_shows (JorenSaleView *view,
                    const char    *text)
{
  GtkWidget *panel = joren_test_ui_find_by_class (GTK_WIDGET (view), "customer-panel");

  g_assert_nonnull (panel);
  if (!panel_label_contains (panel, text))
    g_error ("The reception panel does not show “%s”", text);
}

static void
test_points (Fixture       *fixture,
             gconstpointer  data)
{
  JorenSaleView *view = get_sale_view (fixture);
  GtkWidget *tender = joren_window_get_tender_view (fixture->window);
  g_autoptr(JorenCustomer) member = add_customer (fixture->db, "高橋 ポイント", "タカハシ", "090-5555-0000", NULL);
  g_autoptr(JorenSale) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printer = set_file_printer (fixture);
  GtkWidget *product, *dialog;
  gint64 earned = 0, balance;
  guint points_tenders = 0;

  joren_points_adjust (fixture->db, member->id, 500, "welcome", fixture->staff->id, &error);
  g_assert_no_error (error);
  joren_sale_view_set_customer (view, member);
  product = joren_test_ui_find_by_class (GTK_WIDGET (view), "product-button");
  joren_test_ui_click (product);
  joren_test_ui_click (product);
  g_assert_cmpint (joren_sale_get_total (joren_sale_view_get_sale (view)), >, 100);
  joren_test_ui_tap (GTK_WIDGET (fixture->window), "Pay");
  g_assert_true (joren_test_ui_wait_for (page_is_tender, fixture->window));

  /* 100 of the 500 points, then cash for the rest. */
  joren_test_ui_tap (tender, "Points");
  dialog = wait_toplevel (JOREN_TYPE_NUMBER_DIALOG);
  joren_keypad_set_text (joren_number_dialog_get_keypad (JOREN_NUMBER_DIALOG (dialog)), "100");
  joren_test_ui_tap (dialog, "OK");
  assert_toplevel_gone (JOREN_TYPE_NUMBER_DIALOG);
  joren_test_ui_tap (tender, "Cash");
  g_assert_true (joren_test_ui_wait_for (is_done, tender));

  stored = joren_db_load_last_sale (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (joren_sale_get_customer_id (stored), ==, member->id);
  for (guint i = 0; i < joren_sale_get_n_tenders (stored); i++)
    {
      const JorenTender *t = joren_sale_get_tender (stored, i);

      if (t->kind == JOREN_TENDER_POINTS)
        {
          points_tenders++;
          g_assert_cmpint (t->amount, ==, 100);   /* 1 point = ¥1 by default */
        }
    }
  g_assert_cmpuint (points_tenders, ==, 1);
  joren_points_for_sale (fixture->db, stored, joren_sale_get_created_at (stored), &earned, &error);
  g_assert_no_error (error);
  g_assert_cmpint (earned, >, 0);
  balance = joren_points_balance (fixture->db, member->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balance, ==, 500 - 100 + earned);
  assert_receipt_has_points (printer, member, balance);

  /* The change screen says so too. */
  {
    GtkWidget *summary = joren_test_ui_find_by_class (tender, "points-summary");
    g_autofree char *balance_text = g_strdup_printf ("%" G_GINT64_FORMAT, balance);

    g_assert_nonnull (summary);
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (summary)), balance_text));
  }

  /* Next time: the panel counts the visit and knows the favourite. */
  joren_test_ui_tap (GTK_WIDGET (fixture->window), "Next customer");
  g_assert_null (joren_sale_view_get_customer (view));
  joren_sale_view_set_customer (view, member);
  joren_test_ui_spin (50);
  assert_panel_shows (view, "1 visit");
  assert_panel_shows (view, joren_sale_get_line (stored, 0)->name);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/joren/ui/customer/card", Fixture, NULL,
              fixture_set_up, test_card, fixture_tear_down);
  g_test_add ("/joren/ui/customer/register-duplicate", Fixture, NULL,
              fixture_set_up, test_register_duplicate, fixture_tear_down);
  g_test_add ("/joren/ui/customer/last4", Fixture, NULL,
              fixture_set_up, test_last4, fixture_tear_down);
  g_test_add ("/joren/ui/customer/points", Fixture, NULL,
              fixture_set_up, test_points, fixture_tear_down);
  return g_test_run ();
}
