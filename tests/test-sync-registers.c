/* test-sync-registers.c: two registers (two database files) and the real
 * joren-server on loopback, each register syncing through its own
 * JorenSyncWorker threads: sales arrive exactly once, a customer made on
 * one register appears on the other with its points (and they can be
 * spent there), a server killed with -9 mid-push loses and doubles
 * nothing, a register offline for 300 sales drains when the server is
 * back, garbage from the server leaves the worker standing, and a count
 * card sold on one register is used on the other (visits left and stamps
 * agree on both afterwards). */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "joren-catalog.h"
#include "joren-customer.h"
#include "joren-outbox.h"
#include "joren-points.h"
#include "joren-punch.h"
#include "joren-sale-db.h"
#include "joren-sync-worker.h"
#include "joren-test-utils.h"
#include "test-sync-common.h"

typedef struct {
  TestServer      *server;
  JorenDb         *db[2];
  char            *token[2];
  JorenSyncWorker *worker[2];
} Fixture;

static void
pair_register (Fixture *fixture,
               guint    index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSyncClient) client = NULL;
  g_autofree char *id_text = NULL;
  gint64 register_id = 0;

  client = test_server_pair (fixture->server, &register_id);
  fixture->token[index] = g_strdup (joren_sync_client_get_token (client));
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, register_id);
  joren_db_set_setting (fixture->db[index], "sync.register_id", id_text, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_new (TRUE);
  for (guint i = 0; i < 2; i++)
    {
      fixture->db[i] = joren_test_open_demo_db ("jp");
      pair_register (fixture, i);
    }
}

static void
stop_worker (Fixture *fixture,
             guint    index)
{
  if (fixture->worker[index] == NULL)
    return;
  joren_sync_worker_stop (fixture->worker[index]);
  g_clear_object (&fixture->worker[index]);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < 2; i++)
    {
      stop_worker (fixture, i);
      g_clear_object (&fixture->db[i]);
      g_free (fixture->token[i]);
    }
  test_server_free (fixture->server);
}

static void
start_worker (Fixture    *fixture,
              guint       index,
              const char *base_url)
{
  fixture->worker[index] = joren_sync_worker_new (joren_db_get_path (fixture->db[index]),
                                                  base_url, fixture->token[index]);
  joren_sync_worker_set_timing (fixture->worker[index], 50, 400, 1);
  joren_sync_worker_start (fixture->worker[index]);
}

static void
sell (JorenDb *db,
      gint64   customer_id)
{
  g_autoptr(JorenSale) sale = joren_test_new_sale (db, 2);
  g_autoptr(GError) error = NULL;

  joren_sale_set_customer (sale, customer_id);
  joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
}

static gint64
server_sales (Fixture *fixture)
{
  g_autoptr(JorenServerDb) db = test_server_open_db (fixture->server);

  return joren_server_db_count_rows (db, JOREN_SERVER_TABLE_SALES);
}

typedef gboolean (*Condition) (Fixture *fixture, gpointer data);

/* Spins the main context (the workers' status signals) until cond holds. */
static void
wait_for (Fixture    *fixture,
          Condition   cond,
          gpointer    data,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!cond (fixture, data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
}

static gboolean
outboxes_empty (Fixture *fixture,
                gpointer data)
{
  return joren_outbox_count_waiting (fixture->db[0]) == 0
         && joren_outbox_count_waiting (fixture->db[1]) == 0;
}

static gboolean
card_known_on_b (Fixture *fixture,
                 gpointer data)
{
  g_autoptr(JorenCustomer) customer = joren_customer_find_by_card (fixture->db[1], data, NULL);

  return customer != NULL;
}

static gboolean
points_match (Fixture *fixture,
              gpointer data)
{
  g_autoptr(JorenCustomer) on_b = joren_customer_find_by_card (fixture->db[1], data, NULL);
  g_autoptr(JorenCustomer) on_a = joren_customer_find_by_card (fixture->db[0], data, NULL);

  return on_b != NULL
         && joren_points_balance (fixture->db[1], on_b->id, NULL)
            == joren_points_balance (fixture->db[0], on_a->id, NULL);
}

static JorenCustomer *
add_customer (JorenDb    *db,
              const char *name,
              const char *card)
{
  g_autoptr(JorenCustomer) customer = joren_customer_new ();
  g_autoptr(GError) error = NULL;

  customer->name = g_strdup (name);
  joren_customer_add_card (customer, card, JOREN_CARD_BARCODE);
  joren_customer_add (db, customer, FALSE, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&customer);
}

static void
test_two_registers (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JorenCustomer) tanaka = add_customer (fixture->db[0], "田中 花子", "CARD-0001");
  g_autoptr(JorenCustomer) on_b = NULL;
  g_autoptr(GError) error = NULL;
  gint64 balance;

  sell (fixture->db[0], tanaka->id);
  sell (fixture->db[0], tanaka->id);
  sell (fixture->db[1], 0);
  balance = joren_points_balance (fixture->db[0], tanaka->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balance, >, 0);

  start_worker (fixture, 0, fixture->server->base_url);
  start_worker (fixture, 1, fixture->server->base_url);
  wait_for (fixture, outboxes_empty, NULL, "both outboxes to drain");
  g_assert_cmpint (server_sales (fixture), ==, 3);
  wait_for (fixture, card_known_on_b, (gpointer) "CARD-0001", "the customer on register B");
  wait_for (fixture, points_match, (gpointer) "CARD-0001", "the points on register B");

  on_b = joren_customer_find_by_card (fixture->db[1], "CARD-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_b->name, ==, "田中 花子");
  g_assert_cmpstr (on_b->member_no, ==, tanaka->member_no);
  /* Spendable on B: the whole balance, not a point more. */
  g_assert_false (joren_points_adjust (fixture->db[1], on_b->id, -(balance + 1), "too much", 0, NULL));
  joren_points_adjust (fixture->db[1], on_b->id, -balance, "spent in store B", 0, &error);
  g_assert_no_error (error);
  g_assert_true (joren_sync_worker_get_online (fixture->worker[0]));
  g_assert_cmpint (joren_sync_worker_get_rejected (fixture->worker[0]), ==, 0);
}

/* The count card the demo sells (11 coffees) and the coffee it covers. */
static JorenSale *
new_card_sale (JorenDb *db,
               gint64   customer_id)
{
  g_autoptr(JorenProduct) card = joren_test_find_product (db, "コーヒー回数券 11杯");
  g_autoptr(JorenProduct) coffee = NULL;
  g_autoptr(JorenStaff) staff = joren_test_find_staff (db, "Aiko");
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, NULL);
  JorenSale *sale = joren_sale_new (shop);
  JorenPunchProduct punch;

  g_assert_true (joren_punch_get_product (db, card->id, &punch));
  coffee = joren_catalog_get_product (db, punch.covers_product_id, NULL);
  g_assert_nonnull (coffee);
  joren_sale_add_product (sale, card, 1, NULL);
  joren_sale_add_product (sale, coffee, 2, NULL);
  joren_sale_set_staff (sale, staff->id, staff->name);
  joren_sale_set_customer (sale, customer_id);
  return sale;
}

static void
commit (JorenDb   *db,
        JorenSale *sale)
{
  g_autoptr(GError) error = NULL;

  if (joren_sale_get_due (sale) > 0)   /* a visit alone costs nothing */
    joren_test_pay_cash (sale, 0);
  joren_db_commit_sale (db, sale, 0, &error);
  g_assert_no_error (error);
}

/* The one card of the customer holding this card code on register i:
 * its id there and its visits left (-1: no card yet). */
static gint64
visits_left (Fixture    *fixture,
             guint       index,
             const char *code,
             gint64     *card_id)
{
  g_autoptr(JorenCustomer) customer = joren_customer_find_by_card (fixture->db[index], code, NULL);
  g_autoptr(GPtrArray) cards = NULL;
  JorenPunchCard *card;

  if (customer == NULL
      || (cards = joren_punch_list_cards (fixture->db[index], customer->id, NULL, NULL)) == NULL
      || cards->len == 0)
    return -1;
  g_assert_cmpuint (cards->len, ==, 1);
  card = g_ptr_array_index (cards, 0);
  if (card_id != NULL)
    *card_id = card->id;
  return card->visits_left;
}

static gboolean
both_see_visits (Fixture *fixture,
                 gpointer data)
{
  gint64 wanted = GPOINTER_TO_INT (data);

  return visits_left (fixture, 0, "CARD-0002", NULL) == wanted
         && visits_left (fixture, 1, "CARD-0002", NULL) == wanted;
}

static gint64
stamps_on (Fixture    *fixture,
           guint       index,
           const char *code)
{
  g_autoptr(JorenCustomer) customer = joren_customer_find_by_card (fixture->db[index], code, NULL);
  g_autoptr(GPtrArray) balances = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (customer);
  balances = joren_punch_list_stamps (fixture->db[index], customer->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (balances->len, ==, 1);
  return ((JorenStampBalance *) g_ptr_array_index (balances, 0))->stamps;
}

static void
test_cards_and_stamps (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(JorenCustomer) sato = add_customer (fixture->db[0], "佐藤 次郎", "CARD-0002");
  g_autoptr(JorenSale) bought = new_card_sale (fixture->db[0], sato->id);
  g_autoptr(JorenSale) visit = NULL;
  g_autoptr(JorenCustomer) on_b = NULL;
  g_autoptr(GError) error = NULL;
  gint64 card_on_b = 0;

  commit (fixture->db[0], bought);
  g_assert_cmpint (visits_left (fixture, 0, "CARD-0002", NULL), ==, 11);
  start_worker (fixture, 0, fixture->server->base_url);
  start_worker (fixture, 1, fixture->server->base_url);
  wait_for (fixture, both_see_visits, GINT_TO_POINTER (11), "the card on register B");
  /* The two coffees bought on A earned their stamps on B too. */
  g_assert_cmpint (stamps_on (fixture, 0, "CARD-0002"), ==, 2);
  g_assert_cmpint (stamps_on (fixture, 1, "CARD-0002"), ==, 2);

  on_b = joren_customer_find_by_card (fixture->db[1], "CARD-0002", &error);
  g_assert_no_error (error);
  visits_left (fixture, 1, "CARD-0002", &card_on_b);
  visit = joren_sale_new (joren_sale_get_shop (bought));
  joren_sale_set_staff (visit, joren_sale_get_staff_id (bought), joren_sale_get_staff_name (bought));
  joren_sale_set_customer (visit, on_b->id);
  g_assert_cmpuint (joren_punch_add_visit (fixture->db[1], visit, card_on_b, &error), ==, 0);
  g_assert_no_error (error);
  commit (fixture->db[1], visit);
  wait_for (fixture, both_see_visits, GINT_TO_POINTER (10), "the visit used on B to reach A");
  wait_for (fixture, outboxes_empty, NULL, "both outboxes to drain");

  /* Nothing came back as a second copy: one card on each register, no
   * op refused, and the stamps unchanged by the visit. */
  g_assert_cmpint (joren_test_query_int (fixture->db[0], "SELECT count (*) FROM punch_cards"), ==, 1);
  g_assert_cmpint (joren_test_query_int (fixture->db[1], "SELECT count (*) FROM punch_cards"), ==, 1);
  g_assert_cmpint (joren_outbox_count_rejected (fixture->db[0]), ==, 0);
  g_assert_cmpint (joren_outbox_count_rejected (fixture->db[1]), ==, 0);
  g_assert_cmpint (stamps_on (fixture, 0, "CARD-0002"), ==, 2);
}

static gboolean
server_has_some (Fixture *fixture,
                 gpointer data)
{
  return server_sales (fixture) > 0;
}

static gboolean
worker_offline_with (Fixture *fixture,
                     gpointer data)
{
  return !joren_sync_worker_get_online (fixture->worker[0])
         && joren_sync_worker_get_waiting (fixture->worker[0]) == GPOINTER_TO_INT (data);
}

static void
test_kill_and_offline (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *dead_url = NULL;
  g_autofree char *status = NULL;

  for (guint i = 0; i < 300; i++)
    sell (fixture->db[0], 0);
  start_worker (fixture, 0, fixture->server->base_url);
  wait_for (fixture, server_has_some, NULL, "the first batch");
  test_server_kill (fixture->server);          /* -9, mid-push */
  dead_url = g_strdup (fixture->server->base_url);
  stop_worker (fixture, 0);

  /* Offline: the worker keeps the ops and says so. */
  for (guint i = 0; i < 300; i++)
    sell (fixture->db[0], 0);
  start_worker (fixture, 0, dead_url);
  wait_for (fixture, worker_offline_with,
            GINT_TO_POINTER ((gint) joren_outbox_count_waiting (fixture->db[0])), "offline status");
  status = joren_sync_worker_describe (fixture->worker[0]);
  g_assert_nonnull (strstr (status, "waiting"));
  stop_worker (fixture, 0);

  test_server_start (fixture->server);
  start_worker (fixture, 0, fixture->server->base_url);
  wait_for (fixture, outboxes_empty, NULL, "the outbox to drain");
  g_assert_cmpint (server_sales (fixture), ==, 600);
  g_assert_cmpint (joren_outbox_count_rejected (fixture->db[0]), ==, 0);
}

/* A "server" that answers every request with 200 and garbage. */
static gboolean
answered_garbage_cb (GThreadedSocketService *service,
                     GSocketConnection      *connection,
                     GObject                *source,
                     gpointer                data)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
  g_autofree char *junk = g_strnfill (4 * 1024 * 1024, '{');
  char buffer[4096];

  g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, junk, strlen (junk), NULL, NULL, NULL);
  return TRUE;
}

static gboolean
worker_has_error (Fixture *fixture,
                  gpointer data)
{
  return joren_sync_worker_get_last_error (fixture->worker[0]) != NULL;
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (answered_garbage_cb), NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  sell (fixture->db[0], 0);
  start_worker (fixture, 0, url);
  wait_for (fixture, worker_has_error, NULL, "the worker to report the garbage");
  stop_worker (fixture, 0);
  g_assert_cmpint (joren_outbox_count_waiting (fixture->db[0]), ==, 1);
  g_socket_service_stop (service);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/joren/sync/registers/two-registers", Fixture, NULL,
              fixture_set_up, test_two_registers, fixture_tear_down);
  g_test_add ("/joren/sync/registers/kill-and-offline", Fixture, NULL,
              fixture_set_up, test_kill_and_offline, fixture_tear_down);
  g_test_add ("/joren/sync/registers/garbage-answer", Fixture, NULL,
              fixture_set_up, test_garbage, fixture_tear_down);
  g_test_add ("/joren/sync/registers/cards-and-stamps", Fixture, NULL,
              fixture_set_up, test_cards_and_stamps, fixture_tear_down);
  return g_test_run ();
}
