/* test-ui-backoffice-reports.c: the owner's reports, end of day and time
 * clock in the real window under Xvfb. Known sales are committed first;
 * the reports page (run on its worker thread) must show a table whose
 * rows and total add up to them and a chart with a bar per row. Closing
 * the day with a counted amount must store a numbered Z report with the
 * right difference, close the drawer session and print (the PNG
 * printer), and the next day's Z report takes the next number. Clocking
 * in and out by staff card from the sign-in screen must show up in the
 * staff page's attendance report; by PIN, a wrong one is refused on
 * screen and writes nothing. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "joren-attendance.h"
#include "joren-backoffice.h"
#include "joren-cash.h"
#include "joren-clock-dialog.h"
#include "joren-endofday-page.h"
#include "joren-error.h"
#include "joren-printer-config.h"
#include "joren-printer-settings.h"
#include "joren-reports-page.h"
#include "joren-sale-db.h"
#include "joren-staff-page.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-window.h"

#define FLOAT 10000

typedef struct {
  JorenDb     *db;
  JorenWindow *window;
  char        *tmpdir;
  gint64       session_id;
} Fixture;

static void
open_session (Fixture *fixture)
{
  g_autoptr(JorenStaff) manager = joren_test_find_staff (fixture->db, "Ben");
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = joren_cash_session_open (fixture->db, manager->id, FLOAT, &error);
  g_assert_no_error (error);
  fixture->session_id = session->id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->db = joren_test_open_demo_db ("jp");
  fixture->tmpdir = joren_test_make_tmpdir ();
  open_session (fixture);
  fixture->window = joren_window_new (NULL, fixture->db);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1024, 768);
  gtk_window_present (GTK_WINDOW (fixture->window));
  joren_test_ui_spin (200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  joren_test_ui_spin (50);
  g_clear_object (&fixture->db);
  g_free (fixture->tmpdir);
}

static void
sign_in_owner (Fixture *fixture)
{
  g_autoptr(JorenStaff) owner = joren_test_find_staff (fixture->db, "Aiko");
  g_autoptr(GError) error = NULL;

  joren_window_sign_in (fixture->window, owner->id, "1111", &error);
  g_assert_no_error (error);
}

/* n cash sales of 1, 2, 3 ... products; returns what they came to. */
static gint64
sell (Fixture *fixture,
      guint    n)
{
  gint64 sum = 0;

  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(JorenSale) sale = joren_test_new_sale (fixture->db, i);
      g_autoptr(GError) error = NULL;

      joren_test_pay_cash (sale, 0);
      joren_db_commit_sale (fixture->db, sale, fixture->session_id, &error);
      g_assert_no_error (error);
      sum += joren_sale_get_total (sale);
    }
  return sum;
}

static GtkWidget *
show_section (Fixture    *fixture,
              const char *section)
{
  JorenBackoffice *backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (fixture->window));

  g_assert_true (joren_window_show_page (fixture->window, "backoffice"));
  joren_backoffice_show_section (backoffice, section);
  joren_test_ui_spin (50);
  return joren_backoffice_get_section (backoffice, section);
}

static gboolean
report_ready (gpointer data)
{
  return !joren_reports_page_is_busy (data) && joren_reports_page_get_report (data) != NULL;
}

static const JorenReportRow *
get_item_row (GListModel *model,
              guint       i)
{
  g_autoptr(JorenReportItem) item = g_list_model_get_item (model, i);

  return joren_report_item_get_row (item);
}

static void
test_reports (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 sum = sell (fixture, 4);
  JorenReportsPage *page;
  GListModel *model;
  g_autoptr(JorenReportItem) total = NULL;
  g_autofree char *csv_path = g_build_filename (fixture->tmpdir, "report.csv", NULL);
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;
  gint64 rows_gross = 0;
  guint n_rows;

  sign_in_owner (fixture);
  page = JOREN_REPORTS_PAGE (show_section (fixture, "reports"));
  joren_reports_page_set_grouping (page, JOREN_REPORT_BY_PRODUCT);
  g_assert_true (joren_reports_page_is_busy (page));
  g_assert_true (joren_test_ui_wait_for (report_ready, page));
  g_assert_cmpint (joren_reports_page_get_report (page)->grouping, ==, JOREN_REPORT_BY_PRODUCT);

  model = joren_reports_page_get_model (page);
  n_rows = g_list_model_get_n_items (model) - 1;
  g_assert_cmpuint (n_rows, >=, 4);
  for (guint i = 0; i < n_rows; i++)
    rows_gross += get_item_row (model, i)->gross;
  total = g_list_model_get_item (model, n_rows);
  g_assert_true (joren_report_item_get_is_total (total));
  g_assert_cmpint (joren_report_item_get_row (total)->gross, ==, sum);
  g_assert_cmpint (rows_gross, ==, sum);

  /* A bar per row, each as tall as its row's gross. */
  g_assert_cmpint (joren_chart_get_kind (joren_reports_page_get_chart (page)), ==, JOREN_CHART_BARS);
  g_assert_cmpuint (joren_chart_get_n_values (joren_reports_page_get_chart (page)), ==, n_rows);
  for (guint i = 0; i < n_rows; i++)
    g_assert_cmpint (joren_chart_get_value (joren_reports_page_get_chart (page), i), ==,
                     get_item_row (model, i)->gross);

  /* Spreadsheets need the byte order mark to read UTF-8. */
  joren_reports_page_export (page, csv_path, &error);
  g_assert_no_error (error);
  csv = joren_test_read_file (csv_path);
  g_assert_cmpuint (g_bytes_get_size (csv), >, 3);
  g_assert_cmpmem (g_bytes_get_data (csv, NULL), 3, "\xef\xbb\xbf", 3);
}

/* The receipt printer is a PNG file in the test's folder. */
static void
set_png_printer (Fixture *fixture)
{
  GtkWidget *settings = show_section (fixture, "printer");
  g_autoptr(GError) error = NULL;

  joren_printer_settings_set_values (JOREN_PRINTER_SETTINGS (settings),
                                     JOREN_PRINTER_TRANSPORT_PNG, fixture->tmpdir,
                                     joren_printer_settings_load_profile (fixture->db));
  joren_printer_settings_save (JOREN_PRINTER_SETTINGS (settings), &error);
  g_assert_no_error (error);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static const JorenZReport *
close_day (Fixture           *fixture,
           JorenEndofdayPage *page,
           gint64             counted)
{
  g_autoptr(JorenStaff) owner = joren_test_find_staff (fixture->db, "Aiko");
  g_autoptr(GError) error = NULL;
  const JorenZReport *z;

  z = joren_endofday_page_close_day (page, owner->id, counted, &error);
  g_assert_no_error (error);
  g_assert_nonnull (z);
  return z;
}

typedef struct {
  const char *text;
  GtkWidget  *button;
} ButtonWait;

/* The button showing text in any open window (dialogs come and go). */
static gboolean
button_shown (gpointer data)
{
  ButtonWait *wait = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      wait->button = joren_test_ui_find_button (window, wait->text);
      if (wait->button != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
tap_anywhere (const char *text)
{
  ButtonWait wait = { text, NULL };

  g_assert_true (joren_test_ui_wait_for (button_shown, &wait));
  joren_test_ui_click (wait.button);
}

static void
type_digits (const char *digits)
{
  for (const char *p = digits; *p; p++)
    {
      char key[2] = { *p, '\0' };

      tap_anywhere (key);
    }
  tap_anywhere ("OK");
}

static gboolean
history_has (gpointer data)
{
  return joren_endofday_page_get_n_history (data) == 1;
}

/* The owner's way: count on the keypad, confirm the difference, PIN. */
static void
test_zreport_by_touch (Fixture       *fixture,
                       gconstpointer  data)
{
  gint64 sum = sell (fixture, 1);
  g_autofree char *counted = g_strdup_printf ("%" G_GINT64_FORMAT, FLOAT + sum + 50);
  JorenEndofdayPage *page;

  sign_in_owner (fixture);
  page = JOREN_ENDOFDAY_PAGE (show_section (fixture, "endofday"));
  joren_test_ui_tap (GTK_WIDGET (page), "Close the day…");
  type_digits (counted);
  tap_anywhere ("Close the day");
  tap_anywhere ("Aiko");
  type_digits ("1111");
  g_assert_true (joren_test_ui_wait_for (history_has, page));
  g_assert_cmpint (joren_endofday_page_get_shown (page)->z_no, ==, 1);
  g_assert_cmpint (joren_endofday_page_get_shown (page)->cash_difference, ==, 50);
}

static void
test_zreport (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 sum = sell (fixture, 3);
  g_autofree char *png = g_build_filename (fixture->tmpdir, JOREN_PRINTER_PNG_FILE, NULL);
  g_autoptr(JorenCashSession) none = NULL;
  g_autoptr(JorenZReport) stored = NULL;
  g_autoptr(GError) error = NULL;
  JorenEndofdayPage *page;
  const JorenZReport *z;

  sign_in_owner (fixture);
  set_png_printer (fixture);
  page = JOREN_ENDOFDAY_PAGE (show_section (fixture, "endofday"));
  g_assert_cmpint (joren_endofday_page_get_shown (page)->z_no, ==, 0);
  g_assert_cmpint (joren_endofday_page_get_shown (page)->cash_expected, ==, FLOAT + sum);
  g_assert_cmpuint (joren_endofday_page_get_n_history (page), ==, 0);

  /* 300 short in the drawer. */
  z = close_day (fixture, page, FLOAT + sum - 300);
  g_assert_cmpint (z->z_no, ==, 1);
  g_assert_cmpint (z->gross, ==, sum);
  g_assert_cmpint (z->cash_difference, ==, -300);
  g_assert_true (joren_test_ui_wait_for (file_exists, png));
  g_assert_cmpuint (joren_endofday_page_get_n_history (page), ==, 1);

  stored = joren_zreport_get_by_number (fixture->db, z->register_prefix, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->cash_counted, ==, FLOAT + sum - 300);
  g_assert_cmpint (stored->cash_difference, ==, -300);
  none = joren_cash_session_current (fixture->db, &error);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NO_SESSION);
  g_assert_null (none);
  g_clear_error (&error);
  g_assert_false (joren_endofday_page_show_x (page));

  /* The next day: the number goes on. */
  open_session (fixture);
  sum = sell (fixture, 2);
  g_assert_true (joren_endofday_page_show_x (page));
  z = close_day (fixture, page, FLOAT + sum);
  g_assert_cmpint (z->z_no, ==, 2);
  g_assert_cmpint (z->cash_difference, ==, 0);
  g_assert_cmpuint (joren_endofday_page_get_n_history (page), ==, 2);
}

static GtkWindow *
find_clock_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_object_get_data (G_OBJECT (window), "joren-clock") != NULL)
        return window;
    }
  return NULL;
}

static gboolean
clock_dialog_open (gpointer data)
{
  return find_clock_dialog () != NULL;
}

/* Taps Clock in/out on the sign-in screen and scans the card. */
static void
clock_by_card (Fixture    *fixture,
               const char *code,
               const char *expected)
{
  GtkWindow *dialog;
  GtkWidget *entry;

  joren_test_ui_tap (GTK_WIDGET (fixture->window), "Clock in/out");
  g_assert_true (joren_test_ui_wait_for (clock_dialog_open, NULL));
  dialog = find_clock_dialog ();
  /* The card field has the focus, so the scanner types into it. */
  entry = gtk_widget_get_ancestor (gtk_window_get_focus (dialog), GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), code);
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (strstr (joren_clock_dialog_get_result (dialog), expected));
  gtk_window_destroy (dialog);
  joren_test_ui_spin (50);
}

static void
test_clock (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(JorenStaff) chen = joren_test_find_staff (fixture->db, "Chen");
  g_autoptr(GError) error = NULL;
  JorenAttendanceDay *day = NULL;
  JorenStaffPage *page;
  GPtrArray *days;

  joren_staff_add_card (fixture->db, chen->id, "STAFF-0003", &error);
  g_assert_no_error (error);
  clock_by_card (fixture, "STAFF-0003", "clocked in");
  clock_by_card (fixture, "STAFF-0003", "clocked out");

  sign_in_owner (fixture);
  page = JOREN_STAFF_PAGE (show_section (fixture, "staff"));
  joren_staff_page_show_tab (page, "attendance");
  days = joren_staff_page_get_attendance (page);
  for (guint i = 0; days != NULL && i < days->len; i++)
    if (((JorenAttendanceDay *) g_ptr_array_index (days, i))->staff_id == chen->id)
      day = g_ptr_array_index (days, i);
  g_assert_nonnull (day);
  g_assert_nonnull (day->first_in);
  g_assert_nonnull (day->last_out);
  g_assert_cmpint (g_date_time_compare (day->first_in, day->last_out), <=, 0);
}

static gint64
count_clock_events (Fixture    *fixture,
                    gint64      staff_id,
                    const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM clock_events WHERE staff_id = %"
                                          G_GINT64_FORMAT " AND %s", staff_id, where);

  return joren_test_query_int (fixture->db, sql);
}

/* Opens the time clock from the sign-in screen, taps the name and types
 * the PIN on the pad; returns the dialog, still open. */
static GtkWindow *
clock_by_pin (Fixture    *fixture,
              const char *name,
              const char *pin)
{
  GtkWindow *dialog = find_clock_dialog ();

  if (dialog == NULL)
    {
      joren_test_ui_tap (GTK_WIDGET (fixture->window), "Clock in/out");
      g_assert_true (joren_test_ui_wait_for (clock_dialog_open, NULL));
      dialog = find_clock_dialog ();
    }
  joren_test_ui_tap (GTK_WIDGET (dialog), name);
  for (const char *digit = pin; *digit != '\0'; digit++)
    {
      char key[2] = { *digit, '\0' };

      joren_test_ui_tap (GTK_WIDGET (dialog), key);
    }
  joren_test_ui_tap (GTK_WIDGET (dialog), "OK");
  return dialog;
}

static gboolean
pin_error_gone (gpointer dialog)
{
  return !joren_test_ui_shows_text (dialog, "Wrong PIN");
}

/* Staff without a card: a wrong PIN is refused on screen and writes no
 * attendance; the right PIN clocks in, and later out. */
static void
test_clock_pin (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JorenStaff) chen = joren_test_find_staff (fixture->db, "Chen");
  GtkWindow *dialog;

  dialog = clock_by_pin (fixture, "Chen", "9999");
  g_assert_true (joren_test_ui_shows_text (GTK_WIDGET (dialog), "Wrong PIN. 4 attempts left."));
  g_assert_cmpstr (joren_clock_dialog_get_result (dialog), ==, "");
  g_assert_cmpint (count_clock_events (fixture, chen->id, "1"), ==, 0);

  /* The pad stays on Chen: the right PIN now. */
  for (guint i = 0; i < 4; i++)
    joren_test_ui_tap (GTK_WIDGET (dialog), "3");
  joren_test_ui_tap (GTK_WIDGET (dialog), "OK");
  g_assert_nonnull (strstr (joren_clock_dialog_get_result (dialog), "Chen clocked in at"));
  /* Back to the names (after the cross-fade), the refusal gone. */
  g_assert_true (joren_test_ui_wait_for (pin_error_gone, dialog));
  g_assert_cmpint (count_clock_events (fixture, chen->id, "kind = 'in' AND method = 'pin'"), ==, 1);
  g_assert_cmpint (count_clock_events (fixture, chen->id, "1"), ==, 1);

  /* Later: a wrong PIN again must not leave "clocked in" on screen. */
  dialog = clock_by_pin (fixture, "Chen", "1234");
  g_assert_true (joren_test_ui_shows_text (GTK_WIDGET (dialog), "Wrong PIN"));
  g_assert_null (strstr (joren_clock_dialog_get_result (dialog), "clocked in"));
  g_assert_cmpint (count_clock_events (fixture, chen->id, "1"), ==, 1);
  gtk_window_destroy (dialog);
  joren_test_ui_spin (50);

  dialog = clock_by_pin (fixture, "Chen", "3333");
  g_assert_nonnull (strstr (joren_clock_dialog_get_result (dialog), "Chen clocked out at"));
  g_assert_cmpint (count_clock_events (fixture, chen->id, "kind = 'out' AND method = 'pin'"), ==, 1);
  g_assert_cmpint (count_clock_events (fixture, chen->id, "1"), ==, 2);

  /* The confirmation closes the dialog 5 s later, unless the next
   * person is on the pad: 3 s in, a name and a digit; 6.5 s in, still
   * open with the digit typed; closed once they leave it alone. */
  joren_test_ui_spin (3000);
  joren_test_ui_tap (GTK_WIDGET (dialog), "Chen");
  joren_test_ui_tap (GTK_WIDGET (dialog), "7");
  joren_test_ui_spin (3500);
  g_assert_true (find_clock_dialog () == dialog);
  joren_test_ui_spin (2500);
  g_assert_null (find_clock_dialog ());
}

static JorenEndofdayPage *
find_endofday_dialog_page (JorenWindow *main_window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      GtkWidget *box = gtk_window_get_child (window);

      if (window != GTK_WINDOW (main_window) && box != NULL &&
          JOREN_IS_ENDOFDAY_PAGE (gtk_widget_get_first_child (box)))
        return JOREN_ENDOFDAY_PAGE (gtk_widget_get_first_child (box));
    }
  return NULL;
}

static gboolean
endofday_dialog_open (gpointer window)
{
  return find_endofday_dialog_page (window) != NULL;
}

/* A cashier has no back office but reads the X report from the header. */
static void
test_cashier_x (Fixture       *fixture,
                gconstpointer  data)
{
  gint64 sum = sell (fixture, 2);
  g_autoptr(JorenStaff) chen = joren_test_find_staff (fixture->db, "Chen");
  g_autoptr(GError) error = NULL;
  JorenEndofdayPage *page;

  joren_window_sign_in (fixture->window, chen->id, "3333", &error);
  g_assert_no_error (error);
  g_assert_false (joren_window_show_page (fixture->window, "backoffice"));
  joren_test_ui_tap (GTK_WIDGET (fixture->window), "X report");
  g_assert_true (joren_test_ui_wait_for (endofday_dialog_open, fixture->window));
  page = find_endofday_dialog_page (fixture->window);
  g_assert_cmpint (joren_endofday_page_get_shown (page)->z_no, ==, 0);
  g_assert_cmpint (joren_endofday_page_get_shown (page)->cash_expected, ==, FLOAT + sum);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/joren/ui/backoffice-reports/reports", Fixture, NULL,
              fixture_set_up, test_reports, fixture_tear_down);
  g_test_add ("/joren/ui/backoffice-reports/zreport", Fixture, NULL,
              fixture_set_up, test_zreport, fixture_tear_down);
  g_test_add ("/joren/ui/backoffice-reports/zreport-by-touch", Fixture, NULL,
              fixture_set_up, test_zreport_by_touch, fixture_tear_down);
  g_test_add ("/joren/ui/backoffice-reports/clock", Fixture, NULL,
              fixture_set_up, test_clock, fixture_tear_down);
  g_test_add ("/joren/ui/backoffice-reports/clock-pin", Fixture, NULL,
              fixture_set_up, test_clock_pin, fixture_tear_down);
  g_test_add ("/joren/ui/backoffice-reports/cashier-x", Fixture, NULL,
              fixture_set_up, test_cashier_x, fixture_tear_down);
  return g_test_run ();
}
