/* test-ui-value.c: vouchers, prepaid cards, customer accounts and
 * e-coupons at the till, in the real window under Xvfb. A voucher sold
 * through the Voucher dialog is stored as a 'value' line without tax and
 * its slip (with the number) reaches the printer; a later sale pays part
 * of its balance through the Voucher tender; a prepaid card scanned on a
 * sale pays it in one step (quick pay); a sale charged to a customer's
 * account puts them on the back office's debtor list, and a charge over
 * the credit limit is refused with the limit shown; a coupon typed in is
 * applied once and refused the second time. The receipt of a sale paid
 * partly by a voucher shows the balance left on it; the debtor list's
 * "Take payment at the till" opens the register with the customer and a
 * pay-off line whose amount the cashier can change; "Print codes" prints
 * a slip per new coupon code; "E-mail invoice" sends the invoice to a
 * real SMTP server (tests/smtp-sink.py) and the row says "Sent to ...",
 * while a customer without an address gets no button, and a reason.
 * Results are read back from the SQLite file through the data API. */
#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "joren-backoffice.h"
#include "joren-cash.h"
#include "joren-coupon.h"
#include "joren-escpos-render.h"
#include "joren-keypad.h"
#include "joren-number-dialog.h"
#include "joren-printer-settings.h"
#include "joren-promotion.h"
#include "joren-sale-db.h"
#include "joren-sale-view.h"
#include "joren-tender-view.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-value.h"
#include "joren-value-page.h"
#include "joren-value-ui.h"
#include "joren-voucher-dialog.h"
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

static JorenSaleView *
get_sale_view (Fixture *fixture)
{
  return JOREN_SALE_VIEW (joren_window_get_sale_view (fixture->window));
}

static JorenSale *
get_sale (Fixture *fixture)
{
  return joren_sale_view_get_sale (get_sale_view (fixture));
}

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

/* The mapped plain GtkWindow (a built-in dialog) other than the register. */
static GtkWidget *
find_dialog_with (GtkWidget  *main_window,
                  const char *css_class)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (window != main_window && gtk_widget_get_mapped (window) &&
          joren_test_ui_find_by_class (window, css_class) != NULL)
        return window;
    }
  return NULL;
}

static gboolean
is_done (gpointer data)
{
  return joren_tender_view_is_done (JOREN_TENDER_VIEW (data));
}

static JorenTenderView *
start_paying (Fixture *fixture)
{
  g_signal_emit_by_name (get_sale_view (fixture), "pay");
  joren_test_ui_spin (100);
  g_assert_cmpstr (joren_window_get_page (fixture->window), ==, "tender");
  return JOREN_TENDER_VIEW (joren_window_get_tender_view (fixture->window));
}

static void
pay_cash (Fixture *fixture)
{
  JorenTenderView *tender = start_paying (fixture);

  joren_test_ui_tap (GTK_WIDGET (tender), "Cash");
  g_assert_true (joren_test_ui_wait_for (is_done, tender));
  joren_window_show_page (fixture->window, "register");
}

static void
add_item (Fixture *fixture,
          gint64   price)
{
  joren_sale_add_open_item (get_sale (fixture), "Lunch", price, 0, 1000);
}

/* Receipts go to a plain file standing in for /dev/usb/lp0. */
static char *
set_file_printer_profile (Fixture    *fixture,
                          const char *profile)
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
  joren_db_set_setting (fixture->db, JOREN_SETTING_PRINTER_PROFILE, profile, &error);
  g_assert_no_error (error);
  joren_window_reload_printer (fixture->window);
  return path;
}

static char *
set_file_printer (Fixture *fixture)
{
  return set_file_printer_profile (fixture, "epson-tm-t88");
}

/* Everything the printer got, as the preview reads it back. */
static char *
printed_text (const char *path,
              const char *profile)
{
  g_autoptr(GBytes) bytes = joren_test_read_file (path);
  char *text = NULL;

  cairo_surface_destroy (joren_escpos_render_full (joren_printer_profile_lookup (profile),
                                                   bytes, &text));
  return text;
}

typedef struct {
  const char *path;
  const char *text;
} FileWait;

static gboolean
file_contains (gpointer data)
{
  FileWait *wait = data;
  g_autofree char *contents = NULL;
  gsize size = 0;

  return g_file_get_contents (wait->path, &contents, &size, NULL) &&
         memmem (contents, size, wait->text, strlen (wait->text)) != NULL;
}

static gint64
balance_of (JorenDb    *db,
            const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenValueAccount) account = joren_value_lookup (db, number, &error);

  g_assert_no_error (error);
  return account->balance;
}

/* Sells a voucher through the dialog and pays cash; returns its number. */
static char *
sell_voucher (Fixture *fixture,
              gint64   amount)
{
  g_autofree char *preset = joren_money_format (amount, joren_sale_get_currency (get_sale (fixture)));
  g_autoptr(JorenSale) stored = NULL;
  g_autoptr(GError) error = NULL;
  const JorenSaleLine *line;
  GtkWidget *dialog;

  joren_test_ui_tap (GTK_WIDGET (get_sale_view (fixture)), "Voucher");
  dialog = wait_toplevel (JOREN_TYPE_VOUCHER_DIALOG);
  joren_test_ui_tap (dialog, preset);
  joren_test_ui_tap (dialog, "Add to sale");
  g_assert_true (joren_test_ui_wait_for (toplevel_gone, GSIZE_TO_POINTER (JOREN_TYPE_VOUCHER_DIALOG)));
  g_assert_cmpuint (joren_sale_get_n_lines (get_sale (fixture)), ==, 1);
  pay_cash (fixture);

  stored = joren_db_load_last_sale (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (joren_sale_get_n_lines (stored), ==, 1);
  line = joren_sale_get_line (stored, 0);
  g_assert_cmpint (line->kind, ==, JOREN_LINE_VALUE_ISSUE);
  g_assert_cmpint (line->amount, ==, amount);
  g_assert_cmpint (joren_sale_get_tax_total (stored), ==, 0);
  g_assert_cmpint (joren_sale_get_n_tax_lines (stored), ==, 0);
  g_assert_nonnull (line->reference);
  g_assert_cmpint (balance_of (fixture->db, line->reference), ==, amount);
  return g_strdup (line->reference);
}

/* --- tests --- */

static void
test_sell_and_redeem (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *lp0 = set_file_printer (fixture);
  g_autofree char *number = sell_voucher (fixture, 5000);
  g_autofree char *grouped = joren_value_number_format (number);
  FileWait slip = { lp0, grouped };
  JorenTenderView *tender;
  GtkWidget *dialog;

  /* The slip went to the printer with the number in groups. */
  g_assert_true (joren_test_ui_wait_for (file_contains, &slip));

  /* A later sale of 1,200 paid by the voucher: 3,800 stays on it. */
  add_item (fixture, 1200);
  tender = start_paying (fixture);
  joren_test_ui_tap (GTK_WIDGET (tender), "Voucher");
  dialog = wait_toplevel (JOREN_TYPE_VOUCHER_DIALOG);
  joren_voucher_dialog_set_number (JOREN_VOUCHER_DIALOG (dialog), grouped);
  g_assert_null (joren_voucher_dialog_get_error (JOREN_VOUCHER_DIALOG (dialog)));
  g_assert_nonnull (strstr (joren_voucher_dialog_get_info (JOREN_VOUCHER_DIALOG (dialog)), "5,000"));
  joren_test_ui_tap (dialog, "Pay");
  g_assert_true (joren_test_ui_wait_for (is_done, tender));
  g_assert_cmpint (balance_of (fixture->db, number), ==, 3800);
  joren_window_show_page (fixture->window, "register");
}

static gint64
available_of (JorenDb    *db,
              const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenValueAccount) account = joren_value_lookup (db, number, &error);

  g_assert_no_error (error);
  return joren_value_account_available (account);
}

static void
redeem_in_dialog (JorenTenderView *tender,
                  const char      *number)
{
  GtkWidget *dialog;

  joren_test_ui_tap (GTK_WIDGET (tender), "Voucher");
  dialog = wait_toplevel (JOREN_TYPE_VOUCHER_DIALOG);
  joren_voucher_dialog_set_number (JOREN_VOUCHER_DIALOG (dialog), number);
  joren_test_ui_tap (dialog, "Pay");
  g_assert_true (joren_test_ui_wait_for (toplevel_gone, GSIZE_TO_POINTER (JOREN_TYPE_VOUCHER_DIALOG)));
}

/* Two vouchers pay part of a sale; removing the first tender on the page
 * frees its voucher at once while the second stays held. */
static void
test_remove_voucher_tender (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *first = sell_voucher (fixture, 5000);
  g_autofree char *second = sell_voucher (fixture, 5000);
  JorenTenderView *tender;

  add_item (fixture, 12000);
  tender = start_paying (fixture);
  redeem_in_dialog (tender, first);
  redeem_in_dialog (tender, second);
  g_assert_cmpuint (joren_sale_get_n_tenders (get_sale (fixture)), ==, 2);
  g_assert_cmpint (available_of (fixture->db, first), ==, 0);
  joren_test_ui_tap (GTK_WIDGET (tender), "Remove");
  g_assert_cmpuint (joren_sale_get_n_tenders (get_sale (fixture)), ==, 1);
  g_assert_cmpint (available_of (fixture->db, first), ==, 5000);
  g_assert_cmpint (available_of (fixture->db, second), ==, 0);
  joren_test_ui_tap (GTK_WIDGET (tender), "Back to the sale");
  g_assert_cmpint (available_of (fixture->db, second), ==, 5000);
}

static void
test_redeem_refusals (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, 1000);
  g_autofree char *wrong = g_strdup (number);
  JorenTenderView *tender;
  JorenVoucherDialog *dialog;

  /* One digit changed: the check digit catches it. */
  wrong[5] = wrong[5] == '9' ? '0' : wrong[5] + 1;
  add_item (fixture, 800);
  tender = start_paying (fixture);
  joren_test_ui_tap (GTK_WIDGET (tender), "Voucher");
  dialog = JOREN_VOUCHER_DIALOG (wait_toplevel (JOREN_TYPE_VOUCHER_DIALOG));
  joren_voucher_dialog_set_number (dialog, wrong);
  g_assert_nonnull (joren_voucher_dialog_get_error (dialog));
  g_test_message ("mistyped: %s", joren_voucher_dialog_get_error (dialog));
  joren_voucher_dialog_set_number (dialog, "NOSUCHCARD1");
  g_assert_nonnull (joren_voucher_dialog_get_error (dialog));
  g_test_message ("unknown: %s", joren_voucher_dialog_get_error (dialog));

  /* The right number pays the 800, 200 stays. */
  joren_voucher_dialog_set_number (dialog, number);
  g_assert_null (joren_voucher_dialog_get_error (dialog));
  joren_test_ui_tap (GTK_WIDGET (dialog), "Pay");
  g_assert_true (joren_test_ui_wait_for (is_done, tender));
  g_assert_cmpint (balance_of (fixture->db, number), ==, 200);
}

static gboolean
register_shown (gpointer data)
{
  return g_strcmp0 (joren_window_get_page (data), "tender") == 0 &&
         joren_tender_view_is_done (JOREN_TENDER_VIEW (joren_window_get_tender_view (data)));
}

static void
test_quick_pay (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *number = sell_voucher (fixture, 3000);
  g_autoptr(GError) error = NULL;

  joren_db_set_setting (fixture->db, JOREN_SETTING_VALUE_QUICK_PAY, "1", &error);
  g_assert_no_error (error);
  add_item (fixture, 650);
  /* One scan of the card: the sale is paid and committed. */
  g_assert_true (joren_sale_view_scan (get_sale_view (fixture), number, &error));
  g_assert_no_error (error);
  g_assert_true (joren_test_ui_wait_for (register_shown, fixture->window));
  g_assert_cmpint (balance_of (fixture->db, number), ==, 2350);

  /* More than the card holds: the tender page, nothing taken. */
  joren_window_show_page (fixture->window, "register");
  add_item (fixture, 5000);
  g_assert_true (joren_sale_view_scan (get_sale_view (fixture), number, &error));
  joren_test_ui_spin (100);
  g_assert_cmpstr (joren_window_get_page (fixture->window), ==, "tender");
  g_assert_nonnull (strstr (joren_window_get_banner_text (fixture->window), "2,350"));
  g_assert_cmpuint (joren_sale_get_n_tenders (get_sale (fixture)), ==, 0);
}

static JorenCustomer *
add_account_holder (JorenDb    *db,
                    const char *name,
                    const char *email,
                    gint64      credit_limit)
{
  JorenCustomer *customer = joren_customer_new ();
  g_autoptr(JorenValueAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  customer->name = g_strdup (name);
  customer->email = g_strdup (email);
  joren_customer_add (db, customer, FALSE, &error);
  g_assert_no_error (error);
  account = joren_value_open_customer_account (db, customer->id, credit_limit, &error);
  g_assert_no_error (error);
  return customer;
}

static JorenCustomer *
add_customer_with_account (JorenDb *db,
                           gint64   credit_limit)
{
  return add_account_holder (db, "Kato Yuki", NULL, credit_limit);
}

static gboolean
label_shown (GtkWidget  *root,
             const char *text)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w; w = gtk_widget_get_next_sibling (w))
    {
      if (GTK_IS_LABEL (w) && gtk_widget_get_mapped (w) &&
          strstr (gtk_label_get_text (GTK_LABEL (w)), text) != NULL)
        return TRUE;
      if (label_shown (w, text))
        return TRUE;
    }
  return FALSE;
}

static void
test_account (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JorenCustomer) customer = add_customer_with_account (fixture->db, 10000);
  g_autoptr(GPtrArray) debtors = NULL;
  g_autoptr(GError) error = NULL;
  JorenTenderView *tender;
  JorenBackoffice *backoffice;
  const JorenDebtor *debtor;
  g_autofree char *dir = joren_test_make_tmpdir ();
  g_autofree char *pdf = NULL;
  const char *path;
  JorenValuePage *page;
  gsize size = 0;

  joren_sale_view_set_customer (get_sale_view (fixture), customer);
  add_item (fixture, 3000);
  tender = start_paying (fixture);
  joren_test_ui_tap (GTK_WIDGET (tender), "Account");
  g_assert_true (joren_test_ui_wait_for (is_done, tender));
  debtors = joren_value_list_debtors (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (debtors->len, ==, 1);
  debtor = g_ptr_array_index (debtors, 0);
  g_assert_cmpint (debtor->customer_id, ==, customer->id);
  g_assert_cmpint (debtor->debt, ==, 3000);

  /* 8,000 more would owe 11,000 of a 10,000 limit: refused, and said why. */
  joren_window_show_page (fixture->window, "register");
  joren_sale_view_set_customer (get_sale_view (fixture), customer);
  add_item (fixture, 8000);
  tender = start_paying (fixture);
  joren_test_ui_tap (GTK_WIDGET (tender), "Account");
  joren_test_ui_spin (100);
  g_assert_false (joren_tender_view_is_done (tender));
  g_assert_nonnull (strstr (joren_window_get_banner_text (fixture->window), "10,000"));
  g_assert_nonnull (strstr (joren_window_get_banner_text (fixture->window), "3,000"));
  joren_test_ui_tap (GTK_WIDGET (tender), "Back to the sale");

  /* The back office's debtor list shows who owes it. */
  joren_window_show_page (fixture->window, "backoffice");
  backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (fixture->window));
  joren_backoffice_show_section (backoffice, "value");
  joren_test_ui_tap (GTK_WIDGET (backoffice), "Debtors");
  joren_test_ui_spin (200);
  g_assert_true (label_shown (GTK_WIDGET (backoffice), "Kato Yuki"));

  /* Its invoice is written as a PDF into the invoice folder. */
  joren_db_set_setting (fixture->db, JOREN_SETTING_INVOICE_DIR, dir, &error);
  g_assert_no_error (error);
  joren_test_ui_tap (GTK_WIDGET (backoffice), "Invoice PDF");
  page = JOREN_VALUE_PAGE (joren_backoffice_get_section (backoffice, "value"));
  path = strstr (joren_value_page_get_status (page), dir);
  g_assert_nonnull (path);
  g_assert_true (g_file_get_contents (path, &pdf, &size, NULL));
  g_assert_true (g_str_has_prefix (pdf, "%PDF"));
}

static char *
issue_coupon (JorenDb *db)
{
  g_autoptr(JorenCouponCampaign) campaign = joren_coupon_campaign_new ("Spring", JOREN_COUPON_AMOUNT, 500);
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;

  joren_coupon_campaign_add (db, campaign, &error);
  g_assert_no_error (error);
  codes = joren_coupon_issue (db, campaign->id, 0, 1, &error);
  g_assert_no_error (error);
  return g_strdup (g_ptr_array_index (codes, 0));
}

static void
test_coupon (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *code = issue_coupon (fixture->db);
  g_autofree char *typed = joren_coupon_code_format (code);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog, *entry, *error_label;

  add_item (fixture, 2000);
  joren_test_ui_tap (GTK_WIDGET (get_sale_view (fixture)), "Coupon");
  joren_test_ui_spin (200);
  dialog = find_dialog_with (GTK_WIDGET (fixture->window), "coupon-entry");
  g_assert_nonnull (dialog);
  entry = joren_test_ui_find_by_class (dialog, "coupon-entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), typed);
  joren_test_ui_tap (dialog, "Apply");
  joren_test_ui_spin (100);
  g_assert_null (find_dialog_with (GTK_WIDGET (fixture->window), "coupon-entry"));
  g_assert_cmpint (joren_coupon_get_discount (get_sale (fixture)), ==, 500);
  g_assert_cmpint (joren_sale_get_total (get_sale (fixture)), ==, 1500);
  g_assert_true (label_shown (GTK_WIDGET (get_sale_view (fixture)), typed));
  pay_cash (fixture);

  /* The same code again, scanned: refused, with the reason on the banner. */
  add_item (fixture, 2000);
  g_assert_true (joren_sale_view_scan (get_sale_view (fixture), code, &error));
  g_assert_no_error (error);
  g_assert_null (joren_sale_get_coupon_code (get_sale (fixture)));
  g_assert_cmpint (joren_sale_get_total (get_sale (fixture)), ==, 2000);
  g_assert_true (joren_window_get_banner_visible (fixture->window));
  g_test_message ("second use: %s", joren_window_get_banner_text (fixture->window));

  /* And typed: the dialog stays open with the reason. */
  joren_test_ui_tap (GTK_WIDGET (get_sale_view (fixture)), "Coupon");
  joren_test_ui_spin (200);
  dialog = find_dialog_with (GTK_WIDGET (fixture->window), "coupon-entry");
  entry = joren_test_ui_find_by_class (dialog, "coupon-entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), typed);
  joren_test_ui_tap (dialog, "Apply");
  joren_test_ui_spin (100);
  error_label = joren_test_ui_find_by_class (dialog, "error");
  g_assert_nonnull (error_label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), !=, "");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = G_TYPE_CHECK_INSTANCE_TYPE (w, type) ? w : find_by_type (w, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A sale of 2,000 paid 1,500 by a 5,000 voucher and 500 in cash: the
 * printed receipt says 3,500 is left on it, after the tenders. */
static void
test_receipt_balance (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *lp0 = set_file_printer_profile (fixture, "epson-tm-t20-jp");
  g_autofree char *number = sell_voucher (fixture, 5000);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  FileWait printed = { lp0, "Balance left" };
  JorenTenderView *tender;
  GtkWidget *dialog;
  const char *row = NULL;
  guint change = 0, balance = 0;

  add_item (fixture, 2000);
  tender = start_paying (fixture);
  joren_test_ui_tap (GTK_WIDGET (tender), "Voucher");
  dialog = wait_toplevel (JOREN_TYPE_VOUCHER_DIALOG);
  joren_voucher_dialog_set_number (JOREN_VOUCHER_DIALOG (dialog), number);
  joren_keypad_set_text (JOREN_KEYPAD (find_by_type (dialog, JOREN_TYPE_KEYPAD)), "1500");
  joren_test_ui_tap (dialog, "Pay");
  g_assert_true (joren_test_ui_wait_for (toplevel_gone, GSIZE_TO_POINTER (JOREN_TYPE_VOUCHER_DIALOG)));
  g_assert_false (joren_tender_view_is_done (tender));
  joren_test_ui_tap (GTK_WIDGET (tender), "Cash");
  g_assert_true (joren_test_ui_wait_for (is_done, tender));
  g_assert_cmpint (balance_of (fixture->db, number), ==, 3500);

  g_assert_true (joren_test_ui_wait_for (file_contains, &printed));
  text = printed_text (lp0, "epson-tm-t20-jp");
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Change"))
        change = i;
      if (g_str_has_prefix (lines[i], "Balance left"))
        row = lines[i], balance = i;
    }
  g_assert_nonnull (row);
  g_test_message ("%s", row);
  g_assert_nonnull (strstr (row, "3,500"));
  /* in the value block right after this sale's tenders */
  g_assert_cmpuint (balance, >, change);
  g_assert_cmpuint (balance - change, <=, 4);
  joren_window_show_page (fixture->window, "register");
}

static JorenSaleView *
open_debtors_and_take_payment (Fixture *fixture)
{
  JorenBackoffice *backoffice;

  joren_window_show_page (fixture->window, "backoffice");
  backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (fixture->window));
  joren_backoffice_show_section (backoffice, "value");
  joren_test_ui_tap (GTK_WIDGET (backoffice), "Debtors");
  joren_test_ui_spin (200);
  joren_test_ui_tap (GTK_WIDGET (backoffice), "Take payment at the till");
  joren_test_ui_spin (200);
  return get_sale_view (fixture);
}

static void
change_payoff_amount (Fixture    *fixture,
                      const char *amount)
{
  g_autofree char *owed = joren_money_format (3000, joren_sale_get_currency (get_sale (fixture)));
  g_autofree char *label = g_strdup_printf ("Pay off account (owes %s)", owed);
  GtkWidget *dialog;

  joren_test_ui_tap (GTK_WIDGET (get_sale_view (fixture)), label);
  dialog = wait_toplevel (JOREN_TYPE_NUMBER_DIALOG);
  joren_keypad_set_text (joren_number_dialog_get_keypad (JOREN_NUMBER_DIALOG (dialog)), amount);
  joren_test_ui_tap (dialog, "OK");
  g_assert_true (joren_test_ui_wait_for (toplevel_gone, GSIZE_TO_POINTER (JOREN_TYPE_NUMBER_DIALOG)));
}

/* A debtor owing 3,000 comes to the till: the back office hands the
 * register a pay-off line, the cashier makes it 1,000, cash pays it. */
static void
test_take_payment (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JorenCustomer) customer = add_customer_with_account (fixture->db, 10000);
  g_autoptr(JorenValueAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  const JorenSaleLine *line;
  JorenTenderView *tender;

  joren_sale_view_set_customer (get_sale_view (fixture), customer);
  add_item (fixture, 3000);
  tender = start_paying (fixture);
  joren_test_ui_tap (GTK_WIDGET (tender), "Account");
  g_assert_true (joren_test_ui_wait_for (is_done, tender));

  open_debtors_and_take_payment (fixture);
  g_assert_cmpstr (joren_window_get_page (fixture->window), ==, "register");
  g_assert_cmpint (joren_sale_get_customer_id (get_sale (fixture)), ==, customer->id);
  g_assert_cmpuint (joren_sale_get_n_lines (get_sale (fixture)), ==, 1);
  line = joren_sale_get_line (get_sale (fixture), 0);
  g_assert_cmpint (line->kind, ==, JOREN_LINE_ACCOUNT_PAYMENT);
  g_assert_cmpint (line->amount, ==, 3000);

  change_payoff_amount (fixture, "1000");
  g_assert_cmpuint (joren_sale_get_n_lines (get_sale (fixture)), ==, 1);
  g_assert_cmpint (joren_sale_get_line (get_sale (fixture), 0)->amount, ==, 1000);
  pay_cash (fixture);
  account = joren_value_find_customer_account (fixture->db, customer->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (account->balance, ==, -2000);

  /* With a sale open at the register it is refused, and the sale kept. */
  add_item (fixture, 500);
  open_debtors_and_take_payment (fixture);
  g_assert_cmpstr (joren_window_get_page (fixture->window), ==, "backoffice");
  g_assert_cmpuint (joren_sale_get_n_lines (get_sale (fixture)), ==, 1);
  g_assert_cmpint (joren_sale_get_line (get_sale (fixture), 0)->kind, ==, JOREN_LINE_GOODS);
}

/* "Print codes": three new codes, a slip each on the printer. */
static void
test_print_codes (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *lp0 = set_file_printer (fixture);
  g_autoptr(JorenCouponCampaign) campaign = joren_coupon_campaign_new ("Summer", JOREN_COUPON_PERCENT, 1000);
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  JorenBackoffice *backoffice;
  GtkWidget *dialog;

  joren_coupon_campaign_add (fixture->db, campaign, &error);
  g_assert_no_error (error);
  joren_window_show_page (fixture->window, "backoffice");
  backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (fixture->window));
  joren_backoffice_show_section (backoffice, "value");
  joren_test_ui_tap (GTK_WIDGET (backoffice), "Coupons");
  joren_test_ui_spin (200);
  joren_test_ui_tap (GTK_WIDGET (backoffice), "Print codes");
  dialog = wait_toplevel (JOREN_TYPE_NUMBER_DIALOG);
  joren_keypad_set_text (joren_number_dialog_get_keypad (JOREN_NUMBER_DIALOG (dialog)), "3");
  joren_test_ui_tap (dialog, "OK");
  g_assert_true (joren_test_ui_wait_for (toplevel_gone, GSIZE_TO_POINTER (JOREN_TYPE_NUMBER_DIALOG)));

  codes = joren_coupon_list_codes (fixture->db, campaign->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, ==, 3);
  for (guint i = 0; i < codes->len; i++)
    {
      g_autofree char *shown = joren_coupon_code_format (((JorenCouponCode *) codes->pdata[i])->code);
      FileWait slip = { lp0, shown };

      g_assert_true (joren_test_ui_wait_for (file_contains, &slip));
    }
  g_assert_nonnull (strstr (joren_value_page_get_status (JOREN_VALUE_PAGE (
      joren_backoffice_get_section (backoffice, "value"))), "3 coupon slips"));
}

/* A sale of amount charged to customer's account at the till. */
static void
charge_account (Fixture       *fixture,
                JorenCustomer *customer,
                gint64         amount)
{
  JorenTenderView *tender;

  joren_window_show_page (fixture->window, "register");
  joren_sale_view_set_customer (get_sale_view (fixture), customer);
  add_item (fixture, amount);
  tender = start_paying (fixture);
  joren_test_ui_tap (GTK_WIDGET (tender), "Account");
  g_assert_true (joren_test_ui_wait_for (is_done, tender));
}

/* The debtor list's row that names name. */
static GtkWidget *
find_debtor_row (GtkWidget  *root,
                 const char *name)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (w) && gtk_widget_get_mapped (w) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), name) == 0)
        return gtk_widget_get_ancestor (w, GTK_TYPE_LIST_BOX_ROW);
      if ((found = find_debtor_row (w, name)) != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_appears (gpointer data)
{
  LabelWait *wait = data;

  return label_shown (wait->root, wait->text);
}

static JorenBackoffice *
open_debtors (Fixture *fixture)
{
  JorenBackoffice *backoffice;

  joren_window_show_page (fixture->window, "backoffice");
  backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (fixture->window));
  joren_backoffice_show_section (backoffice, "value");
  joren_test_ui_tap (GTK_WIDGET (backoffice), "Debtors");
  joren_test_ui_spin (200);
  return backoffice;
}

/* Two debtors: Kato with an address, Ben without. Until the mail server
 * is set up neither can be sent an invoice, and the rows say why; then
 * Kato's "E-mail invoice" sends it from a worker thread and her row says
 * where it went, Ben's button stays off with its reason. */
static void
test_email_invoice (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JorenCustomer) kato = add_account_holder (fixture->db, "Kato Yuki", "yuki@example.jp", 10000);
  g_autoptr(JorenCustomer) ben = add_account_holder (fixture->db, "Ben Becker", NULL, 10000);
  JorenMailSettings settings = { "127.0.0.1", 0, JOREN_MAIL_TLS_NONE, NULL, NULL,
                                 "shop@example.jp", "Joren" };
  g_autofree char *outdir = joren_test_make_tmpdir ();
  g_autofree char *first = g_build_filename (outdir, "0001.json", NULL);
  g_autofree char *shot = NULL;
  g_autoptr(GSubprocess) sink = NULL;
  g_autoptr(GError) error = NULL;
  JorenBackoffice *backoffice;
  GtkWidget *kato_row, *ben_row, *button;
  LabelWait sent = { NULL, "Sent to yuki@example.jp" };

  if (g_getenv ("JOREN_SMTP_SINK") == NULL)
    {
      g_test_skip ("no SMTP sink (python3-aiosmtpd)");
      return;
    }
  charge_account (fixture, kato, 3000);
  charge_account (fixture, ben, 1200);

  backoffice = open_debtors (fixture);
  kato_row = find_debtor_row (GTK_WIDGET (backoffice), "Kato Yuki");
  g_assert_nonnull (kato_row);
  g_assert_false (gtk_widget_is_sensitive (joren_test_ui_find_button (kato_row, "E-mail invoice")));
  g_assert_true (label_shown (kato_row, "Mail is not set up"));

  sink = joren_test_start_smtp_sink (outdir, &settings.port);
  joren_promotion_set_mail_settings (fixture->db, &settings, &error);
  g_assert_no_error (error);
  joren_value_page_reload (JOREN_VALUE_PAGE (joren_backoffice_get_section (backoffice, "value")));
  joren_test_ui_spin (100);
  kato_row = find_debtor_row (GTK_WIDGET (backoffice), "Kato Yuki");
  ben_row = find_debtor_row (GTK_WIDGET (backoffice), "Ben Becker");
  g_assert_nonnull (ben_row);
  g_assert_false (gtk_widget_is_sensitive (joren_test_ui_find_button (ben_row, "E-mail invoice")));
  g_assert_true (label_shown (ben_row, "Ben Becker has no e-mail address"));
  button = joren_test_ui_find_button (kato_row, "E-mail invoice");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_false (label_shown (kato_row, "Mail is not set up"));

  joren_test_ui_click (button);
  sent.root = kato_row;
  g_assert_true (joren_test_ui_wait_for (label_appears, &sent));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (g_file_test (first, G_FILE_TEST_EXISTS));
  g_assert_cmpint (joren_test_query_int (fixture->db,
                   "SELECT count (*) FROM audit_log WHERE action = 'export'"), ==, 1);
  g_assert_cmpint (joren_test_query_int (fixture->db,
                   "SELECT staff_id FROM audit_log WHERE action = 'export'"), ==, fixture->staff->id);
  joren_test_ui_spin (300);   /* a frame drawn with the note */
  shot = joren_test_ui_save_png (GTK_WIDGET (fixture->window), "debtors-invoice-mailed");
  g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));
  g_subprocess_force_exit (sink);
  g_subprocess_wait (sink, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/joren/ui/value/sell-and-redeem", Fixture, NULL,
              fixture_set_up, test_sell_and_redeem, fixture_tear_down);
  g_test_add ("/joren/ui/value/redeem-refusals", Fixture, NULL,
              fixture_set_up, test_redeem_refusals, fixture_tear_down);
  g_test_add ("/joren/ui/value/quick-pay", Fixture, NULL,
              fixture_set_up, test_quick_pay, fixture_tear_down);
  g_test_add ("/joren/ui/value/remove-voucher-tender", Fixture, NULL,
              fixture_set_up, test_remove_voucher_tender, fixture_tear_down);
  g_test_add ("/joren/ui/value/account", Fixture, NULL,
              fixture_set_up, test_account, fixture_tear_down);
  g_test_add ("/joren/ui/value/coupon", Fixture, NULL,
              fixture_set_up, test_coupon, fixture_tear_down);
  g_test_add ("/joren/ui/value/receipt-balance", Fixture, NULL,
              fixture_set_up, test_receipt_balance, fixture_tear_down);
  g_test_add ("/joren/ui/value/take-payment", Fixture, NULL,
              fixture_set_up, test_take_payment, fixture_tear_down);
  g_test_add ("/joren/ui/value/print-codes", Fixture, NULL,
              fixture_set_up, test_print_codes, fixture_tear_down);
  g_test_add ("/joren/ui/value/email-invoice", Fixture, NULL,
              fixture_set_up, test_email_invoice, fixture_tear_down);
  return g_test_run ();
}
