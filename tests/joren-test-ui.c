/* joren-test-ui.c: see joren-test-ui.h. Widgets are found by what the
 * cashier sees (a label's text, mapped only), so a test fails when a
 * button is hidden or renamed, as it should. */
#include <string.h>

#include "joren-test-ui.h"

#define DEADLINE_MS 5000

gboolean
joren_test_ui_wait_for (JorenTestPredicate predicate,
                        gpointer           data)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

  while (!predicate (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

void
joren_test_ui_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
set_flag_cb (GtkWidget *widget,
             gboolean  *flag)
{
  *flag = TRUE;
}

void
joren_test_ui_click (GtkWidget *button)
{
  gboolean clicked = FALSE;
  gulong id;

  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  /* Held: the click may hide or destroy the button. */
  g_object_ref (button);
  id = g_signal_connect (button, "clicked", G_CALLBACK (set_flag_cb), &clicked);
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (joren_test_ui_wait_for (flag_is_set, &clicked));
  g_signal_handler_disconnect (button, id);
  g_object_unref (button);
}

GtkWidget *
joren_test_ui_find_button (GtkWidget  *root,
                           const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    {
      GtkWidget *button = gtk_widget_get_ancestor (root, GTK_TYPE_BUTTON);

      if (button != NULL)
        return button;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = joren_test_ui_find_button (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
joren_test_ui_find_by_class (GtkWidget  *root,
                             const char *css_class)
{
  if (gtk_widget_get_mapped (root) && gtk_widget_has_css_class (root, css_class))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = joren_test_ui_find_by_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
joren_test_ui_tap (GtkWidget  *root,
                   const char *text)
{
  GtkWidget *button = joren_test_ui_find_button (root, text);

  if (button == NULL)
    g_error ("No button “%s” on screen", text);
  joren_test_ui_click (button);
}

gboolean
joren_test_ui_shows_text (GtkWidget  *root,
                          const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root)
      && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (joren_test_ui_shows_text (child, text))
      return TRUE;
  return FALSE;
}

char *
joren_test_ui_save_png (GtkWidget  *window,
                        const char *name)
{
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  g_autofree char *dir = g_build_filename (g_test_get_dir (G_TEST_BUILT), "shots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}
