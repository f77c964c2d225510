/* test-ui-screenshots.c: runs the screenshot tool (path in
 * $JOREN_SCREENSHOTS) at 1366x768 and checks every page came out as a
 * PNG of that size that is not blank. */
#include "config.h"

#include <gtk/gtk.h>

#include "joren-test-utils.h"

static const char *pages[] = { "signin", "register", "customer", "tender", "change",
                               "backoffice", "printer", "print-failed" };

/* Not one flat colour: the page really drew something. */
static gboolean
has_content (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);

  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  for (gsize i = 1; i < (gsize) width * height; i++)
    if (pixels[i] != pixels[0])
      return TRUE;
  return FALSE;
}

static void
test_screenshots (void)
{
  const char *tool = g_getenv ("JOREN_SCREENSHOTS");
  g_autofree char *dir = joren_test_make_tmpdir ();
  const char *argv[] = { tool, dir, "1366x768", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (tool);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("en-1366x768-%s.png", pages[i]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);

      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 1366);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 768);
      g_assert_true (has_content (texture));
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/joren/ui/screenshots/pages", test_screenshots);
  return g_test_run ();
}
