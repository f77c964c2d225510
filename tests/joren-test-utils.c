/* joren-test-utils.c: shared test helpers. */
#include "joren-test-utils.h"

#include <glib/gstdio.h>

char *
joren_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("joren-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}
