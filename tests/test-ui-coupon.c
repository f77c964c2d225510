/* test-ui-coupon.c: taking an applied e-coupon off a sale at the till,
 * in the real window under Xvfb. A tap on the coupon's discount row (or
 * on Coupon again) asks "Remove coupon"; Cancel keeps it, Remove puts the
 * sale back to full price and frees the code, which can then be applied
 * again. */
#include "config.h"

#include "joren-cash.h"
#include "joren-coupon.h"
#include "joren-sale-view.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-window.h"

typedef struct {
  JorenDb     *db;
  JorenWindow *window;
  char        *code;
} Fixture;

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
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JorenStaff) staff = NULL;
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->code = issue_coupon (fixture->db);
  staff = joren_test_find_staff (fixture->db, "Chen");
  session = joren_cash_session_open (fixture->db, staff->id, 0, &error);
  g_assert_no_error (error);
  fixture->window = joren_window_new (NULL, fixture->db);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1024, 768);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped,
                                         fixture->window));
  joren_window_sign_in (fixture->window, staff->id, "3333", &error);
  g_assert_no_error (error);
  joren_test_ui_spin (100);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  joren_test_ui_spin (50);
  g_clear_object (&fixture->db);
  g_free (fixture->code);
}

static GtkWidget *
get_sale_view (Fixture *fixture)
{
  return joren_window_get_sale_view (fixture->window);
}

static JorenSale *
get_sale (Fixture *fixture)
{
  return joren_sale_view_get_sale (JOREN_SALE_VIEW (get_sale_view (fixture)));
}

static void
apply_coupon (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (joren_sale_view_scan (JOREN_SALE_VIEW (get_sale_view (fixture)),
                                       fixture->code, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (joren_sale_get_coupon_code (get_sale (fixture)), ==, fixture->code);
  g_assert_cmpint (joren_sale_get_total (get_sale (fixture)), ==, 1500);
}

/* The mapped label showing text under root. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (w) && gtk_widget_get_mapped (w) &&
          g_str_has_prefix (gtk_label_get_text (GTK_LABEL (w)), text))
        return w;
      if ((found = find_label (w, text)) != NULL)
        return found;
    }
  return NULL;
}

/* A finger lifted off the widget: its click gesture's "released". */
static void
tap_widget (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean tapped = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        {
          g_signal_emit_by_name (controller, "released", 1, 4.0, 4.0);
          tapped = TRUE;
        }
    }
  g_assert_true (tapped);
  joren_test_ui_spin (100);
}

/* The mapped dialog (any window but the register) with a button text. */
static GtkWidget *
find_dialog_button (Fixture    *fixture,
                    const char *text)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GtkWidget *button;

      if (window == GTK_WIDGET (fixture->window) || !gtk_widget_get_mapped (window))
        continue;
      if ((button = joren_test_ui_find_button (window, text)) != NULL)
        return button;
    }
  return NULL;
}

static void
tap_in_dialog (Fixture    *fixture,
               const char *text)
{
  GtkWidget *button = find_dialog_button (fixture, text);

  g_assert_nonnull (button);
  joren_test_ui_click (button);
  joren_test_ui_spin (100);
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *formatted = joren_coupon_code_format (fixture->code);
  g_autofree char *title = g_strdup_printf ("Coupon %s", formatted);
  GtkWidget *row;

  joren_sale_add_open_item (get_sale (fixture), "Lunch", 2000, 0, 1000);
  apply_coupon (fixture);

  /* The discount row names the coupon; a tap asks, Cancel keeps it. */
  row = find_label (get_sale_view (fixture), title);
  g_assert_nonnull (row);
  tap_widget (row);
  tap_in_dialog (fixture, "Cancel");
  g_assert_cmpstr (joren_sale_get_coupon_code (get_sale (fixture)), ==, fixture->code);

  /* Remove coupon: full price again, the row no longer names it. */
  tap_widget (row);
  tap_in_dialog (fixture, "Remove coupon");
  g_assert_null (joren_sale_get_coupon_code (get_sale (fixture)));
  g_assert_cmpint (joren_coupon_get_discount (get_sale (fixture)), ==, 0);
  g_assert_cmpint (joren_sale_get_total (get_sale (fixture)), ==, 2000);
  g_assert_null (find_label (get_sale_view (fixture), title));

  /* The code is free again; the Coupon button offers the removal too. */
  apply_coupon (fixture);
  joren_test_ui_tap (get_sale_view (fixture), "Coupon");
  tap_in_dialog (fixture, "Remove coupon");
  g_assert_null (joren_sale_get_coupon_code (get_sale (fixture)));
  g_assert_cmpint (joren_sale_get_total (get_sale (fixture)), ==, 2000);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/joren/ui/coupon/remove", Fixture, NULL,
              fixture_set_up, test_remove, fixture_tear_down);
  return g_test_run ();
}
