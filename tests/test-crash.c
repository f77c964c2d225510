/* test-crash.c: a sale survives the register being killed right after
 * "COMMITTED", and a register killed half way through writing a sale
 * leaves no trace of it: no header, no orphan lines or tenders, the
 * receipt number not consumed, and a file that passes integrity_check.
 * The killing is real: crash-helper runs as a child and dies by SIGKILL. */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>

#include "joren-db-private.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"

static const char *
helper_path (void)
{
  const char *path = g_getenv ("JOREN_CRASH_HELPER");

  if (path == NULL)
    g_error ("JOREN_CRASH_HELPER is not set; run this test through meson");
  return path;
}

/* A demo database with one sale already in it, so the sequence has a
 * value to compare against. Returns its path. */
static char *
prepare_db (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenSale) sale = joren_test_new_sale (db, 2);

  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
  return g_strdup (joren_db_get_path (db));
}

static GSubprocess *
spawn_helper (const char *db_path,
              const char *crash_point)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  GSubprocess *helper;

  if (crash_point != NULL)
    g_subprocess_launcher_setenv (launcher, "JOREN_CRASH_POINT", crash_point, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "JOREN_CRASH_POINT");
  helper = g_subprocess_launcher_spawn (launcher, &error, helper_path (), db_path, NULL);
  g_assert_no_error (error);
  return helper;
}

static void
test_killed_after_commit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = prepare_db ();
  g_autoptr(GSubprocess) helper = spawn_helper (path, NULL);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (helper));
  g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_autoptr(JorenDb) db = NULL;
  g_autoptr(JorenSale) sale = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "COMMITTED "));
  /* Killed at once: no close, no checkpoint, the sale only in the WAL. */
  g_subprocess_force_exit (helper);
  g_subprocess_wait (helper, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (helper));
  g_assert_cmpint (g_subprocess_get_term_sig (helper), ==, SIGKILL);

  db = joren_db_open (path, &error);
  g_assert_no_error (error);
  sale = joren_db_load_sale (db, line + strlen ("COMMITTED "), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (joren_sale_get_receipt_no (sale), ==, "R1-000002");
  g_assert_cmpuint (joren_sale_get_n_lines (sale), ==, 5);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sale_lines"
                                             " WHERE sale_id = (SELECT max (id) FROM sales)"), ==, 5);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sale_tenders"
                                             " WHERE sale_id = (SELECT max (id) FROM sales)"), ==, 1);
  joren_db_check_integrity (db, &error);
  g_assert_no_error (error);
}

static void
check_no_partial_sale (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_db_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sales"), ==, 1);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sale_lines"
                                             " WHERE sale_id NOT IN (SELECT id FROM sales)"), ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sale_tenders"
                                             " WHERE sale_id NOT IN (SELECT id FROM sales)"), ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sale_taxes"
                                             " WHERE sale_id NOT IN (SELECT id FROM sales)"), ==, 0);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM sale_lines"), ==, 2);
  /* The number the dead sale drew went back: the next one is 2. */
  g_assert_cmpint (joren_test_query_int (db, "SELECT next FROM receipt_sequences"
                                             " WHERE prefix = 'R1'"), ==, 2);
  joren_db_check_integrity (db, &error);
  g_assert_no_error (error);
}

static void
test_killed_mid_commit (gconstpointer data)
{
  const char *point = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = prepare_db ();
  g_autoptr(GSubprocess) helper = spawn_helper (path, point);
  g_autoptr(GBytes) out = NULL;

  g_subprocess_communicate (helper, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (helper));
  g_assert_true (g_subprocess_get_if_signaled (helper));
  g_assert_cmpint (g_subprocess_get_term_sig (helper), ==, SIGKILL);
  /* It died before saying COMMITTED. */
  g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
  check_no_partial_sale (path);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const points[] = {
    "after-header", "after-lines", "after-tenders", "before-commit",
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/crash/killed-after-commit", test_killed_after_commit);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/joren/data/crash/killed-%s", points[i]);

      g_test_add_data_func (test_path, points[i], test_killed_mid_commit);
    }

  return g_test_run ();
}
