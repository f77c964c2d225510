/* test-escpos-common.c: golden files and small helpers for the devices
 * tests. Golden files are hex, 16 bytes a line with the printable ASCII
 * beside them, so a reviewer can find "1B 45 01" by eye. */
#include "test-escpos-common.h"

#include <glib/gstdio.h>

char *
joren_test_hex_dump (const guint8 *data,
                     gsize         len)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i += 16)
    {
      gsize n = MIN (16, len - i);

      for (gsize j = 0; j < 16; j++)
        if (j < n)
          g_string_append_printf (out, "%02X ", data[i + j]);
        else
          g_string_append (out, "   ");
      g_string_append_c (out, '|');
      for (gsize j = 0; j < n; j++)
        g_string_append_c (out, data[i + j] >= 0x20 && data[i + j] < 0x7F ? data[i + j] : '.');
      g_string_append (out, "|\n");
    }
  return g_string_free (out, FALSE);
}

void
joren_test_golden_check (const char *name,
                         GBytes     *bytes)
{
  g_autofree char *file = g_strconcat (name, ".hex", NULL);
  g_autofree char *path = g_build_filename (JOREN_FIXTURES, file, NULL);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *actual = joren_test_hex_dump (data, len);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("JOREN_UPDATE_GOLDEN"), "1") == 0)
    {
      g_file_set_contents (path, actual, -1, &error);
      g_assert_no_error (error);
      return;
    }
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (actual, ==, expected);
}

const JorenPrinterProfile *
joren_test_profile (const char *id)
{
  const JorenPrinterProfile *profile = joren_printer_profile_lookup (id);

  g_assert_nonnull (profile);
  return profile;
}

char *
joren_test_output_path (const char *name)
{
  const char *dir = g_getenv ("JOREN_TEST_OUTPUT");
  g_autofree char *fallback = g_build_filename (JOREN_BUILD_TESTS, "output", NULL);

  if (dir == NULL)
    dir = fallback;
  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, name, NULL);
}

char *
joren_test_zbarimg (const char *png_path)
{
  const char *argv[] = { "zbarimg", "-q", png_path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&out);
}
