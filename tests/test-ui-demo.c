/* test-ui-demo.c: `joren --demo` started for real (the binary, under
 * Xvfb, until its first frame) on a new database must leave the demo café
 * with something to try in every back-office section: gift vouchers, a
 * prepaid card, a customer with a tab and coupon codes. Started again on
 * the same file it must not add them twice. */
#include "config.h"

#include "joren-coupon.h"
#include "joren-test-utils.h"
#include "joren-value.h"

static void
run_demo (const char *db_path)
{
  const char *joren = g_getenv ("JOREN_BINARY");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { joren, "--db", db_path, "--demo", "--quit-after-first-frame", NULL };

  g_assert_nonnull (joren);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("joren: %s%s", out, err);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

static guint
count_accounts (JorenDb        *db,
                JorenValueKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = joren_value_list_accounts (db, kind, 100, &error);

  g_assert_no_error (error);
  return accounts->len;
}

static void
assert_demo_value (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_db_open (db_path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (count_accounts (db, JOREN_VALUE_GIFT), ==, 2);
  g_assert_cmpuint (count_accounts (db, JOREN_VALUE_PREPAID), ==, 1);
  g_assert_cmpuint (count_accounts (db, JOREN_VALUE_CUSTOMER_ACCOUNT), ==, 1);
  g_assert_cmpint (joren_test_query_int (db, "SELECT count(*) FROM coupon_codes"), ==, 5);
}

static void
test_demo_value (void)
{
  g_autofree char *dir = joren_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "register.db", NULL);

  run_demo (path);
  assert_demo_value (path);
  run_demo (path);
  assert_demo_value (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/joren/ui/demo/value-once", test_demo_value);
  return g_test_run ();
}
