/* test-cash.c: a drawer session through a day: opened with a float, a
 * cash sale with change, a card sale, a cash refund, a sale outside the
 * session, then closed with a count that is short. */
#include "joren-cash.h"
#include "joren-sale-db.h"
#include "joren-test-utils.h"

static JorenSale *
commit_sale (JorenDb   *db,
             guint      n_products,
             gboolean   card,
             gint64     change,
             gint64     session_id)
{
  g_autoptr(GError) error = NULL;
  JorenSale *sale = joren_test_new_sale (db, n_products);

  if (card)
    joren_sale_add_tender (sale, JOREN_TENDER_CARD, joren_sale_get_due (sale), "slip 1", &error);
  else
    joren_test_pay_cash (sale, change);
  g_assert_no_error (error);
  joren_db_commit_sale (db, sale, session_id, &error);
  g_assert_no_error (error);
  return sale;
}

static JorenSale *
commit_cash_refund (JorenDb    *db,
                    JorenSale  *original,
                    gint64      session_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenStaff) ben = joren_test_find_staff (db, "Ben");
  JorenSale *refund = joren_db_prepare_refund (db, joren_sale_get_receipt_no (original), &error);

  g_assert_no_error (error);
  joren_sale_add_refund_line (refund, 1, 1, &error);
  g_assert_no_error (error);
  joren_sale_set_staff (refund, ben->id, ben->name);
  joren_test_pay_cash (refund, 0);
  joren_db_commit_sale (db, refund, session_id, &error);
  g_assert_no_error (error);
  return refund;
}

/* Opens the drawer with a 10,000 float and checks a second open is refused. */
static JorenCashSession *
open_session (JorenDb    *db,
              JorenStaff *staff)
{
  g_autoptr(GError) error = NULL;
  JorenCashSession *session = joren_cash_session_open (db, staff->id, 10000, &error);
  g_autoptr(JorenCashSession) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (session->opening_float, ==, 10000);
  g_assert_cmpint (session->expected, ==, 10000);
  g_assert_cmpint (session->opened_by, ==, staff->id);
  g_assert_null (session->closed_at);
  again = joren_cash_session_open (db, staff->id, 5000, &error);
  g_assert_null (again);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS);
  return session;
}

static void
test_session_day (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenStaff) ben = joren_test_find_staff (db, "Ben");
  g_autoptr(JorenCashSession) session = open_session (db, ben);
  g_autoptr(JorenCashSession) now = NULL;
  g_autoptr(JorenCashSession) closed = NULL;
  g_autoptr(JorenSale) cash = NULL;
  g_autoptr(JorenSale) card = NULL;
  g_autoptr(JorenSale) outside = NULL;
  g_autoptr(JorenSale) refund = NULL;
  gint64 cash_total, card_total, refunded;

  cash = commit_sale (db, 3, FALSE, 1000, session->id);
  g_assert_cmpint (joren_sale_get_change (cash), ==, 1000);
  card = commit_sale (db, 2, TRUE, 0, session->id);
  outside = commit_sale (db, 4, FALSE, 0, 0);
  refund = commit_cash_refund (db, cash, session->id);
  cash_total = joren_sale_get_total (cash);
  card_total = joren_sale_get_total (card);
  refunded = -joren_sale_get_total (refund);
  g_assert_cmpint (refunded, >, 0);

  now = joren_cash_session_current (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (now->id, ==, session->id);
  g_assert_cmpint (now->n_sales, ==, 2);
  g_assert_cmpint (now->n_refunds, ==, 1);
  g_assert_cmpint (now->sales_total, ==, cash_total + card_total);
  g_assert_cmpint (now->refunds_total, ==, refunded);
  g_assert_cmpint (now->cash_in, ==, cash_total);       /* tendered minus change */
  g_assert_cmpint (now->cash_out, ==, refunded);
  g_assert_cmpint (now->card_total, ==, card_total);
  g_assert_cmpint (now->other_total, ==, 0);
  g_assert_cmpint (now->expected, ==, 10000 + cash_total - refunded);

  closed = joren_cash_session_close (db, ben->id, now->expected - 100, &error);
  g_assert_no_error (error);
  g_assert_cmpint (closed->id, ==, session->id);
  g_assert_nonnull (closed->closed_at);
  g_assert_cmpint (closed->closed_by, ==, ben->id);
  g_assert_cmpint (closed->expected, ==, now->expected);
  g_assert_cmpint (closed->counted - closed->expected, ==, -100);
}

static void
test_no_session (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_test_open_demo_db ("jp");
  g_autoptr(JorenStaff) aiko = joren_test_find_staff (db, "Aiko");
  g_autoptr(JorenCashSession) none = joren_cash_session_current (db, &error);
  g_autoptr(JorenCashSession) first = NULL;
  g_autoptr(JorenCashSession) closed = NULL;
  g_autoptr(JorenCashSession) second = NULL;

  g_assert_null (none);
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NO_SESSION);
  g_clear_error (&error);
  g_assert_null (joren_cash_session_close (db, aiko->id, 0, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NO_SESSION);
  g_clear_error (&error);
  g_assert_null (joren_cash_session_open (db, aiko->id, -1, &error));
  g_assert_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID);
  g_clear_error (&error);

  /* Closed, a new one can open. */
  first = joren_cash_session_open (db, aiko->id, 0, &error);
  g_assert_no_error (error);
  closed = joren_cash_session_close (db, aiko->id, 0, &error);
  g_assert_no_error (error);
  second = joren_cash_session_open (db, aiko->id, 3000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->id, !=, first->id);
  g_assert_cmpint (second->expected, ==, 3000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/joren/data/cash/session-day", test_session_day);
  g_test_add_func ("/joren/data/cash/no-session", test_no_session);

  return g_test_run ();
}
