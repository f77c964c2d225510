/* test-ui-backoffice.c: the back office as a whole in the real window
 * under Xvfb. Every section must fit a 1024x768 till in English, German,
 * Japanese and Traditional Chinese (the window may not grow wider), the
 * sidebar's rows must be thumb-sized and start with the sections an owner
 * uses most, and a manager gets the back office without the staff
 * section (accounts, PINs, roles stay the owner's). */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "joren-application.h"
#include "joren-backoffice.h"
#include "joren-cash.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-window.h"

#define WIDTH 1024
#define HEIGHT 768

static const char *const sections[] = {
  "reports", "endofday", "customers", "promotions", "mail", "loyalty", "value",
  "products", "staff", "printer", NULL
};

typedef struct {
  JorenDb     *db;
  JorenWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JorenStaff) owner = NULL;
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  owner = joren_test_find_staff (fixture->db, "Aiko");
  /* An open drawer: signing in asks for no float. */
  session = joren_cash_session_open (fixture->db, owner->id, 0, &error);
  g_assert_no_error (error);
  fixture->window = joren_window_new (NULL, fixture->db);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped,
                                         fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  joren_test_ui_spin (50);
  g_clear_object (&fixture->db);
}

static void
sign_in (Fixture    *fixture,
         const char *name,
         const char *pin)
{
  g_autoptr(JorenStaff) staff = joren_test_find_staff (fixture->db, name);
  g_autoptr(GError) error = NULL;

  joren_window_sign_in (fixture->window, staff->id, pin, &error);
  g_assert_no_error (error);
  g_assert_true (joren_window_show_page (fixture->window, "backoffice"));
  joren_test_ui_spin (100);
}

static JorenBackoffice *
get_backoffice (Fixture *fixture)
{
  return JOREN_BACKOFFICE (joren_window_get_backoffice (fixture->window));
}

/* The first widget of type under root, depth first. */
static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The sidebar's shown rows, top to bottom. */
static GPtrArray *
list_sidebar_rows (Fixture *fixture)
{
  GtkWidget *sidebar = joren_test_ui_find_by_class (GTK_WIDGET (get_backoffice (fixture)),
                                                    "backoffice-sidebar");
  GtkWidget *list = sidebar ? find_by_type (sidebar, GTK_TYPE_LIST_BOX) : NULL;
  GPtrArray *rows = g_ptr_array_new ();

  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_mapped (row))
      g_ptr_array_add (rows, row);
  return rows;
}

static const char *
get_row_text (GtkWidget *row)
{
  GtkWidget *label = find_by_type (row, GTK_TYPE_LABEL);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
assert_sidebar (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = list_sidebar_rows (fixture);

  g_assert_cmpuint (rows->len, ==, g_strv_length ((char **) sections));
  /* Reports first, the printer last: the order of use, not of building. */
  g_assert_cmpstr (get_row_text (rows->pdata[0]), ==, _("Reports"));
  g_assert_cmpstr (get_row_text (rows->pdata[rows->len - 1]), ==, _("Printer"));
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (gtk_widget_get_height (rows->pdata[i]), >=, 48);
}

/* The section is as wide as the space beside the sidebar, or narrower:
 * its scroller (the safety net) has nothing to scroll sideways. */
static void
assert_no_sideways_scroll (GtkWidget *section)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (section, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));

  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), <=,
                     gtk_adjustment_get_page_size (adjustment) + 0.5);
}

/* Each section shown in turn: the window keeps its 1024 px. */
static void
assert_sections_fit (Fixture    *fixture,
                     const char *locale)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  for (guint i = 0; sections[i] != NULL; i++)
    {
      int min_width = 0, min_height = 0;

      joren_backoffice_show_section (get_backoffice (fixture), sections[i]);
      joren_test_ui_spin (150);
      gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
      gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, WIDTH, &min_height, NULL, NULL, NULL);
      g_test_message ("%s %s: at least %d x %d", locale, sections[i], min_width, min_height);
      g_assert_cmpint (min_width, <=, WIDTH);
      g_assert_cmpint (min_height, <=, HEIGHT);
      g_assert_cmpint (gtk_widget_get_width (window), ==, WIDTH);
      assert_no_sideways_scroll (joren_backoffice_get_section (get_backoffice (fixture),
                                                               sections[i]));
    }
}

static void
test_fits (Fixture       *fixture,
           gconstpointer  data)
{
  const char *locale = data;

  g_assert_nonnull (setlocale (LC_ALL, locale));
  if (!g_str_has_prefix (locale, "C") && g_str_equal (_("Reports"), "Reports"))
    {
      g_test_skip ("no translation built for this locale");
      return;
    }
  /* A new window, so its templates are read in this language. */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = joren_window_new (NULL, fixture->db);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (fixture->window));
  joren_test_ui_spin (200);
  sign_in (fixture, "Aiko", "1111");
  assert_sidebar (fixture);
  assert_sections_fit (fixture, locale);
  setlocale (LC_ALL, "C.UTF-8");
}

static gboolean
sidebar_has (Fixture    *fixture,
             const char *text)
{
  g_autoptr(GPtrArray) rows = list_sidebar_rows (fixture);

  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (get_row_text (rows->pdata[i]), text))
      return TRUE;
  return FALSE;
}

/* Issue #7: the manager runs the back office, but staff accounts are the
 * owner's; the sidebar says so instead of offering the section. */
static void
test_manager (Fixture       *fixture,
              gconstpointer  data)
{
  JorenBackoffice *backoffice = get_backoffice (fixture);
  GtkWidget *staff = joren_backoffice_get_section (backoffice, "staff");
  GtkStack *stack = GTK_STACK (gtk_widget_get_parent (staff));

  sign_in (fixture, "Ben", "2222");
  g_assert_true (sidebar_has (fixture, "Reports"));
  g_assert_false (sidebar_has (fixture, "Staff"));
  g_assert_false (gtk_widget_get_visible (staff));
  g_assert_nonnull (joren_test_ui_find_by_class (GTK_WIDGET (backoffice), "backoffice-note"));
  joren_backoffice_show_section (backoffice, "staff");
  joren_test_ui_spin (50);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), !=, "staff");

  /* The owner after them gets the section back, and no note. */
  joren_window_sign_out (fixture->window);
  sign_in (fixture, "Aiko", "1111");
  g_assert_true (sidebar_has (fixture, "Staff"));
  joren_backoffice_show_section (backoffice, "staff");
  joren_test_ui_spin (50);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "staff");
  g_assert_null (joren_test_ui_find_by_class (GTK_WIDGET (backoffice), "backoffice-note"));

  /* A cashier gets no back office at all. */
  joren_window_sign_out (fixture->window);
  {
    g_autoptr(JorenStaff) chen = joren_test_find_staff (fixture->db, "Chen");
    g_autoptr(GError) error = NULL;

    joren_window_sign_in (fixture->window, chen->id, "3333", &error);
    g_assert_no_error (error);
    g_assert_false (joren_window_show_page (fixture->window, "backoffice"));
  }
}

int
main (int   argc,
      char *argv[])
{
  joren_i18n_init ();
  setlocale (LC_ALL, "C.UTF-8");
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/joren/ui/backoffice/fits-1024/en", Fixture, "C.UTF-8",
              fixture_set_up, test_fits, fixture_tear_down);
  g_test_add ("/joren/ui/backoffice/fits-1024/de", Fixture, "de_DE.UTF-8",
              fixture_set_up, test_fits, fixture_tear_down);
  g_test_add ("/joren/ui/backoffice/fits-1024/ja", Fixture, "ja_JP.UTF-8",
              fixture_set_up, test_fits, fixture_tear_down);
  g_test_add ("/joren/ui/backoffice/fits-1024/zh_TW", Fixture, "zh_TW.UTF-8",
              fixture_set_up, test_fits, fixture_tear_down);
  g_test_add ("/joren/ui/backoffice/manager-no-staff", Fixture, NULL,
              fixture_set_up, test_manager, fixture_tear_down);
  return g_test_run ();
}
