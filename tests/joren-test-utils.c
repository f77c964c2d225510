/* joren-test-utils.c: shared test helpers. Everything runs against real
 * SQLite files in temporary directories that are removed when the test
 * program exits. */
#include "joren-test-utils.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include <cjson/cJSON.h>

#include "joren-db-private.h"

static GPtrArray *tmpdirs;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
remove_tmpdirs (void)
{
  for (guint i = 0; i < tmpdirs->len; i++)
    remove_tree (g_ptr_array_index (tmpdirs, i));
  g_clear_pointer (&tmpdirs, g_ptr_array_unref);
}

char *
joren_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("joren-test-XXXXXX", &error);

  g_assert_no_error (error);
  if (tmpdirs == NULL)
    {
      tmpdirs = g_ptr_array_new_with_free_func (g_free);
      atexit (remove_tmpdirs);
    }
  g_ptr_array_add (tmpdirs, g_strdup (dir));
  return dir;
}

char *
joren_test_db_path (void)
{
  g_autofree char *dir = joren_test_make_tmpdir ();

  return g_build_filename (dir, "shop", "till", "register.db", NULL);
}

JorenDb *
joren_test_open_demo_db (const char *preset)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = joren_test_db_path ();
  g_autoptr(JorenDb) db = joren_db_open (path, &error);

  g_assert_no_error (error);
  joren_db_create_demo (db, preset != NULL ? preset : "jp", &error);
  g_assert_no_error (error);
  return g_steal_pointer (&db);
}

JorenStaff *
joren_test_find_staff (JorenDb    *db,
                       const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = joren_staff_list (db, TRUE, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < staff->len; i++)
    if (g_str_equal (((JorenStaff *) g_ptr_array_index (staff, i))->name, name))
      return joren_staff_copy (g_ptr_array_index (staff, i));
  g_error ("No staff member %s", name);
}

JorenProduct *
joren_test_find_product (JorenDb    *db,
                         const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = joren_catalog_list_products (db, 0, name, TRUE, 0, 0, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < products->len; i++)
    if (g_str_equal (((JorenProduct *) g_ptr_array_index (products, i))->name, name))
      return joren_product_copy (g_ptr_array_index (products, i));
  g_error ("No product %s", name);
}

JorenSale *
joren_test_new_sale (JorenDb *db,
                     guint    n_products)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, &error);
  g_autoptr(GPtrArray) products = joren_catalog_list_products (db, 0, NULL, FALSE, 0, 0, &error);
  g_autoptr(JorenStaff) chen = joren_test_find_staff (db, "Chen");
  JorenSale *sale;
  guint added = 0;

  g_assert_no_error (error);
  sale = joren_sale_new (shop);
  for (guint i = 0; i < products->len && added < n_products; i++)
    {
      JorenProduct *product = g_ptr_array_index (products, i);

      if (product->embed != JOREN_EMBED_NONE)
        continue;
      joren_sale_add_product (sale, product, added % 3 + 1, NULL);
      added++;
    }
  g_assert_cmpuint (added, ==, n_products);
  joren_sale_set_staff (sale, chen->id, chen->name);
  return sale;
}

void
joren_test_pay_cash (JorenSale *sale,
                     gint64     extra)
{
  g_autoptr(GError) error = NULL;
  gint64 due = joren_sale_get_due (sale);
  gint64 sign = joren_sale_get_kind (sale) == JOREN_SALE_KIND_REFUND ? -1 : 1;

  joren_sale_add_tender (sale, JOREN_TENDER_CASH, due + sign * extra, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (joren_sale_is_settled (sale));
}

gint64
joren_test_query_int (JorenDb    *db,
                      const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (joren_db_get_handle (db), sql, -1, &stmt, NULL);

  g_assert_cmpint (rc, ==, SQLITE_OK);
  rc = sqlite3_step (stmt);
  g_assert_cmpint (rc, ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

GBytes *
joren_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* A test that fails aborts without its tear-down: the sink must not
 * outlive it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

GSubprocess *
joren_test_start_smtp_sink (const char *outdir,
                            guint      *out_port)
{
  const char *python = g_getenv ("JOREN_PYTHON");
  const char *script = g_getenv ("JOREN_SMTP_SINK");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) sink = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (script);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sink = g_subprocess_launcher_spawn (launcher, &error, python ? python : "python3", script,
                                      outdir, NULL);
  g_assert_no_error (error);
  /* The first line is the port: the server listens by then. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sink));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  *out_port = g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (*out_port, >, 0);
  return g_steal_pointer (&sink);
}

GPtrArray *
joren_test_read_mails (const char *outdir)
{
  GPtrArray *mails = g_ptr_array_new_with_free_func ((GDestroyNotify) cJSON_Delete);

  for (guint n = 1;; n++)
    {
      g_autofree char *name = g_strdup_printf ("%04u.json", n);
      g_autofree char *path = g_build_filename (outdir, name, NULL);
      g_autofree char *text = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        break;
      g_ptr_array_add (mails, cJSON_Parse (text));
    }
  return mails;
}
