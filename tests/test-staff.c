/* test-staff.c: staff PINs and roles against a real database: sign-in,
 * wrong PINs counting down, the lockout after five, what each role may
 * do, and that what is stored is an Argon2id hash, not the PIN. */
#include <string.h>

#include "joren-db-private.h"
#include "joren-test-utils.h"

static void
test_sign_in (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenStaff) chen = joren_test_find_staff (db, "Chen");
  g_autoptr(JorenStaff) signed_in = joren_staff_sign_in (db, chen->id, "3333", &error);
  g_autoptr(JorenStaff) nobody = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (signed_in->name, ==, "Chen");
  g_assert_cmpint (signed_in->role, ==, JOREN_ROLE_CASHIER);
  g_assert_true (signed_in->active);

  g_assert_null (joren_staff_sign_in (db, chen->id, "1111", &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_WRONG_PIN);
  g_assert_nonnull (strstr (error->message, "4"));
  g_clear_error (&error);

  nobody = joren_staff_sign_in (db, 4242, "1111", &error);
  g_assert_null (nobody);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND);
}

static void
expect_sign_in_error (JorenDb    *db,
                      gint64      staff_id,
                      const char *pin,
                      gint        code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenStaff) staff = joren_staff_sign_in (db, staff_id, pin, &error);

  g_assert_null (staff);
  g_assert_error (error, JOREN_DATA_ERROR, code);
}

static void
test_lockout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenStaff) ben = joren_test_find_staff (db, "Ben");
  g_autoptr(JorenStaff) after = NULL;
  g_autofree char *unlock = NULL;

  /* Four wrong, one right: the count starts again. */
  for (guint i = 0; i < 4; i++)
    expect_sign_in_error (db, ben->id, "9999", JOREN_DATA_ERROR_WRONG_PIN);
  after = joren_staff_sign_in (db, ben->id, "2222", &error);
  g_assert_no_error (error);
  g_clear_pointer (&after, joren_staff_free);
  for (guint i = 0; i < 4; i++)
    expect_sign_in_error (db, ben->id, "9999", JOREN_DATA_ERROR_WRONG_PIN);

  /* The fifth in a row locks, and then even the right PIN is refused. */
  expect_sign_in_error (db, ben->id, "9999", JOREN_DATA_ERROR_LOCKED);
  expect_sign_in_error (db, ben->id, "2222", JOREN_DATA_ERROR_LOCKED);
  g_assert_cmpint (joren_test_query_int (db, "SELECT max (locked_until) FROM staff"), >,
                   g_get_real_time () + 50 * G_USEC_PER_SEC);

  /* A minute later (moved back in the file) the right PIN works again. */
  unlock = g_strdup_printf ("UPDATE staff SET locked_until = %" G_GINT64_FORMAT,
                            g_get_real_time () - 1);
  g_assert_cmpint (sqlite3_exec (joren_db_get_handle (db), unlock, NULL, NULL, NULL), ==, SQLITE_OK);
  after = joren_staff_sign_in (db, ben->id, "2222", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->name, ==, "Ben");
  g_assert_cmpint (joren_test_query_int (db, "SELECT max (failed_attempts) FROM staff"), ==, 0);
}

static void
test_roles (void)
{
  static const struct {
    JorenPermission permission;
    gboolean cashier, manager, owner;
  } table[] = {
    { JOREN_PERMISSION_SELL, TRUE, TRUE, TRUE },
    { JOREN_PERMISSION_VOID_AFTER_PAYMENT, FALSE, TRUE, TRUE },
    { JOREN_PERMISSION_REFUND, FALSE, TRUE, TRUE },
    { JOREN_PERMISSION_CASH_SESSION, FALSE, TRUE, TRUE },
    { JOREN_PERMISSION_BACK_OFFICE, FALSE, TRUE, TRUE },
    { JOREN_PERMISSION_MANAGE_STAFF, FALSE, FALSE, TRUE },
  };
  JorenRole role;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpint (joren_role_can (JOREN_ROLE_CASHIER, table[i].permission), ==, table[i].cashier);
      g_assert_cmpint (joren_role_can (JOREN_ROLE_MANAGER, table[i].permission), ==, table[i].manager);
      g_assert_cmpint (joren_role_can (JOREN_ROLE_OWNER, table[i].permission), ==, table[i].owner);
    }
  for (guint r = JOREN_ROLE_CASHIER; r <= JOREN_ROLE_OWNER; r++)
    {
      g_assert_true (joren_role_from_string (joren_role_to_string (r), &role));
      g_assert_cmpint (role, ==, r);
    }
  g_assert_false (joren_role_from_string ("admin", &role));
}

static void
test_authorize (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenStaff) ben = joren_test_find_staff (db, "Ben");
  g_autoptr(JorenStaff) chen = joren_test_find_staff (db, "Chen");
  g_autoptr(JorenStaff) ok = joren_staff_authorize (db, ben->id, "2222",
                                                    JOREN_PERMISSION_REFUND, &error);
  g_autoptr(JorenStaff) refused = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (ok->name, ==, "Ben");
  refused = joren_staff_authorize (db, chen->id, "3333", JOREN_PERMISSION_REFUND, &error);
  g_assert_null (refused);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_PERMISSION);
  g_clear_error (&error);
  refused = joren_staff_authorize (db, ben->id, "2222", JOREN_PERMISSION_MANAGE_STAFF, &error);
  g_assert_null (refused);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_PERMISSION);
}

static void
test_pin_storage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenStaff) dana = joren_staff_add (db, " Dana ", JOREN_ROLE_CASHIER, "3333", &error);
  g_autoptr(JorenStaff) back = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *chen_hash = NULL;
  g_autofree char *dana_hash = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (dana->name, ==, "Dana");
  sqlite3_prepare_v2 (joren_db_get_handle (db),
                      "SELECT pin_hash FROM staff WHERE name IN ('Chen', 'Dana') ORDER BY name",
                      -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  chen_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  dana_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_assert_true (g_str_has_prefix (chen_hash, "$argon2id$"));
  g_assert_null (strstr (chen_hash, "3333"));
  /* Same PIN, different salt. */
  g_assert_cmpstr (chen_hash, !=, dana_hash);

  joren_staff_set_pin (db, dana->id, "24680", &error);
  g_assert_no_error (error);
  expect_sign_in_error (db, dana->id, "3333", JOREN_DATA_ERROR_WRONG_PIN);
  back = joren_staff_sign_in (db, dana->id, "24680", &error);
  g_assert_no_error (error);
}

static void
test_pin_rules (void)
{
  static const char * const bad[] = { "", "123", "123456789", "12a4", "12 4", "１２３４" };
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenStaff) chen = joren_test_find_staff (db, "Chen");
  g_autoptr(GPtrArray) active = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JorenStaff) staff = joren_staff_add (db, "Eve", JOREN_ROLE_CASHIER, bad[i], &error);

      g_assert_null (staff);
      g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_null (joren_staff_add (db, "  ", JOREN_ROLE_CASHIER, "1234", &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);

  /* Deactivated staff neither sign in nor show in the sign-in list. */
  joren_staff_set_active (db, chen->id, FALSE, &error);
  g_assert_no_error (error);
  expect_sign_in_error (db, chen->id, "3333", JOREN_DATA_ERROR_NOT_FOUND);
  active = joren_staff_list (db, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (active->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/staff/sign-in", test_sign_in);
  g_test_add_func ("/joren/data/staff/lockout", test_lockout);
  g_test_add_func ("/joren/data/staff/roles", test_roles);
  g_test_add_func ("/joren/data/staff/authorize", test_authorize);
  g_test_add_func ("/joren/data/staff/pin-storage", test_pin_storage);
  g_test_add_func ("/joren/data/staff/pin-rules", test_pin_rules);

  return g_test_run ();
}
