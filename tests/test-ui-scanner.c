/* test-ui-scanner.c: a scan never lands in a text field by accident. Real
 * X key events (xdotool, through the X server like a USB wedge scanner)
 * go to the back office's search field: a fast burst ending in Enter is a
 * scan and replaces what the field held, so the search finds the scanned
 * code; a person's slower keys are typed into the field as usual. */
#include "config.h"

#include <gdk/x11/gdkx.h>

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

static void
test_scan_into_field (void)
{
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(JorenStaff) owner = NULL;
  g_autoptr(JorenCashSession) session = NULL;
  JorenWindow *window = joren_window_new (NULL, db);
  g_autofree char *code = NULL;
  g_autofree char *scan = NULL;
  g_autofree char *typed = NULL;
  GtkWidget *entry;
  TextWait wait;

  if (g_find_program_in_path ("xdotool") == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }
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
  scan = g_strconcat (code, "\n", NULL);

  /* An open drawer: the owner is not asked for a float at sign-in. */
  owner = joren_test_find_staff (db, "Aiko");
  session = joren_cash_session_open (db, owner->id, 10000, &error);
  g_assert_no_error (error);

  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped, window));
  joren_test_ui_tap (GTK_WIDGET (window), "Aiko");
  for (const char *d = "1111"; *d; d++)
    {
      char digit[2] = { *d, 0 };
      joren_test_ui_tap (GTK_WIDGET (window), digit);
    }
  joren_test_ui_tap (GTK_WIDGET (window), "OK");
  joren_test_ui_spin (300);
  g_assert_true (joren_window_show_page (window, "backoffice"));
  joren_test_ui_spin (200);
  entry = find_search_entry (GTK_WIDGET (window));
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "ab");
  gtk_widget_grab_focus (entry);
  joren_test_ui_spin (100);

  /* A scanner's burst: the code replaces "ab", Enter does not stay. */
  xdotool (window, "4", scan);
  wait = (TextWait) { GTK_EDITABLE (entry), code };
  if (!joren_test_ui_wait_for (text_is, &wait))
    g_error ("after the scan the field holds “%s”, not “%s”",
             gtk_editable_get_text (GTK_EDITABLE (entry)), code);

  /* A person typing two letters slowly: they reach the field in order. */
  xdotool (window, "120", "xy");
  typed = g_strconcat (code, "xy", NULL);
  wait = (TextWait) { GTK_EDITABLE (entry), typed };
  if (!joren_test_ui_wait_for (text_is, &wait))
    g_error ("after typing the field holds “%s”, not “%s”",
             gtk_editable_get_text (GTK_EDITABLE (entry)), typed);

  gtk_window_destroy (GTK_WINDOW (window));
  joren_test_ui_spin (50);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/joren/ui/scanner/scan-into-field", test_scan_into_field);
  return g_test_run ();
}
