/* test-ui-scanner.c: a scan never lands in a text field by accident. Real
 * X key events (xdotool, through the X server like a USB wedge scanner)
 * go to the back office's search field: a fast burst ending in Enter is a
 * scan and replaces what the field held, so the search finds the scanned
 * code; a person's slower keys are typed into the field as usual. */
#include "config.h"

#include <string.h>

#include <gdk/x11/gdkx.h>

#include "joren-backoffice.h"
#include "joren-cash.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-window.h"

typedef struct {
  GtkEditable *field;
  const char  *text;
} TextWait;

static gboolean
text_is (gpointer data)
{
  TextWait *wait = data;

  return g_strcmp0 (gtk_editable_get_text (wait->field), wait->text) == 0;
}

static GtkWidget *
find_search_entry (GtkWidget *root)
{
  if (GTK_IS_SEARCH_ENTRY (root) && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
xdotool (JorenWindow *window,
         const char  *delay_ms,
         const char  *text)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  const char *focus[] = { "xdotool", "windowfocus", "--sync", xid, NULL };
  const char *type[] = { "xdotool", "type", "--delay", delay_ms, text, NULL };
  const char *const *commands[] = { focus, type };
  g_autoptr(GError) error = NULL;
  int status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_spawn_sync (NULL, (char **) commands[i], NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                    NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_spawn_check_wait_status (status, &error);
      g_assert_no_error (error);
      /* Let GDK see the focus change before the keys come. */
      joren_test_ui_spin (50);
    }
}

typedef struct {
  JorenDb     *db;
  JorenWindow *window;
  GtkWidget   *entry;
  char        *code;
} Till;

static char *
find_product_code (JorenDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = NULL;
  char *code = NULL;

  products = joren_catalog_list_products (db, 0, NULL, FALSE, 0, 100, &error);
  g_assert_no_error (error);
  for (guint i = 0; code == NULL && i < products->len; i++)
    {
      g_autoptr(JorenProduct) product = NULL;

      product = joren_catalog_get_product (db, ((JorenProduct *) g_ptr_array_index (products, i))->id,
                                           &error);
      g_assert_no_error (error);
      if (product->embed == JOREN_EMBED_NONE && product->barcodes->len > 0)
        code = g_strdup (g_ptr_array_index (product->barcodes, 0));
    }
  g_assert_nonnull (code);
  return code;
}

/* The owner in the back office with "ab" in the focused search field;
 * max_gap_ms NULL keeps the default scanner timing. */
static void
till_set_up (Till       *till,
             const char *max_gap_ms)
{
  g_autoptr(JorenStaff) owner = NULL;
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;

  till->db = joren_test_open_demo_db ("jp");
  till->code = find_product_code (till->db);
  if (max_gap_ms != NULL)
    joren_db_set_setting (till->db, "scanner.max_gap_ms", max_gap_ms, &error);
  g_assert_no_error (error);
  /* An open drawer: the owner is not asked for a float at sign-in. */
  owner = joren_test_find_staff (till->db, "Aiko");
  session = joren_cash_session_open (till->db, owner->id, 10000, &error);
  g_assert_no_error (error);

  till->window = joren_window_new (NULL, till->db);
  gtk_window_set_default_size (GTK_WINDOW (till->window), 1366, 768);
  gtk_window_present (GTK_WINDOW (till->window));
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped, till->window));
  joren_test_ui_tap (GTK_WIDGET (till->window), "Aiko");
  for (const char *d = "1111"; *d; d++)
    {
      char digit[2] = { *d, 0 };
      joren_test_ui_tap (GTK_WIDGET (till->window), digit);
    }
  joren_test_ui_tap (GTK_WIDGET (till->window), "OK");
  joren_test_ui_spin (300);
  g_assert_true (joren_window_show_page (till->window, "backoffice"));
  joren_backoffice_show_section (JOREN_BACKOFFICE (joren_window_get_backoffice (till->window)),
                                 "products");
  joren_test_ui_spin (200);
  till->entry = find_search_entry (GTK_WIDGET (till->window));
  g_assert_nonnull (till->entry);
  gtk_editable_set_text (GTK_EDITABLE (till->entry), "ab");
  gtk_widget_grab_focus (till->entry);
  joren_test_ui_spin (100);
}

static void
till_tear_down (Till *till)
{
  gtk_window_destroy (GTK_WINDOW (till->window));
  joren_test_ui_spin (50);
  g_clear_object (&till->db);
  g_free (till->code);
}

/* With a 1 ms limit even a scanner's burst is "typing": the code is
 * typed after "ab", proving the setting reaches the window. */
static void
test_scan_timing_setting (void)
{
  g_autofree char *scan = NULL;
  Till till;
  const char *text;

  till_set_up (&till, "1");
  scan = g_strconcat (till.code, "\n", NULL);
  xdotool (till.window, "4", scan);
  joren_test_ui_spin (500);
  text = gtk_editable_get_text (GTK_EDITABLE (till.entry));
  g_assert_nonnull (strstr (text, till.code));
  g_assert_nonnull (strstr (text, "ab"));
  g_assert_cmpstr (text, !=, till.code);
  till_tear_down (&till);
}

static void
test_scan_into_field (void)
{
  g_autofree char *scan = NULL;
  g_autofree char *typed = NULL;
  TextWait wait;
  Till till;

  till_set_up (&till, NULL);

  /* A scanner's burst: the code replaces "ab", Enter does not stay. */
  scan = g_strconcat (till.code, "\n", NULL);
  xdotool (till.window, "4", scan);
  wait = (TextWait) { GTK_EDITABLE (till.entry), till.code };
  if (!joren_test_ui_wait_for (text_is, &wait))
    g_error ("after the scan the field holds “%s”, not “%s”",
             gtk_editable_get_text (GTK_EDITABLE (till.entry)), till.code);

  /* A person typing two letters slowly: they reach the field in order. */
  xdotool (till.window, "120", "xy");
  typed = g_strconcat (till.code, "xy", NULL);
  wait = (TextWait) { GTK_EDITABLE (till.entry), typed };
  if (!joren_test_ui_wait_for (text_is, &wait))
    g_error ("after typing the field holds “%s”, not “%s”",
             gtk_editable_get_text (GTK_EDITABLE (till.entry)), typed);
  till_tear_down (&till);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/joren/ui/scanner/scan-into-field", test_scan_into_field);
  g_test_add_func ("/joren/ui/scanner/timing-setting", test_scan_timing_setting);
  return g_test_run ();
}
