/* test-unsubscribe.c: the unsubscribe link of a promotion e-mail, end to
 * end with the real joren-server on loopback and a register syncing
 * through its JorenSyncWorker. The register shares its secret, renders a
 * promotion whose link points at the paired server by default, the
 * customer opens the link (GET changes nothing; a forged signature is
 * refused) and confirms (the page's form, or a mail program's RFC 8058
 * one-click POST); the register then pulls consent_email = false and the
 * next promotion leaves the customer out. */
#include "config.h"

#include <string.h>

#include "joren-customer.h"
#include "joren-outbox.h"
#include "joren-promotion.h"
#include "joren-sync-unsubscribe.h"
#include "joren-sync-worker.h"
#include "joren-test-utils.h"
#include "test-sync-common.h"

typedef struct {
  TestServer      *server;
  JorenDb         *db;
  JorenSyncClient *client;
  JorenSyncWorker *worker;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 register_id = 0;

  fixture->server = test_server_new (TRUE);
  fixture->db = joren_test_open_demo_db ("jp");
  fixture->client = test_server_pair (fixture->server, &register_id);
  joren_db_set_setting (fixture->db, "sync.server_url", fixture->server->base_url, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->worker != NULL)
    joren_sync_worker_stop (fixture->worker);
  g_clear_object (&fixture->worker);
  g_clear_object (&fixture->db);
  g_clear_pointer (&fixture->client, joren_sync_client_free);
  test_server_free (fixture->server);
}

static gint64
add_subscriber (JorenDb    *db,
                const char *name,
                const char *email)
{
  g_autoptr(JorenCustomer) customer = joren_customer_new ();
  g_autoptr(GError) error = NULL;

  customer->name = g_strdup (name);
  customer->email = g_strdup (email);
  customer->consent_email = TRUE;
  joren_customer_add (db, customer, FALSE, &error);
  g_assert_no_error (error);
  return customer->id;
}

static const JorenPromotion news = { JOREN_PROMOTION_EMAIL, "News", "News", "Hello {name}" };

/* The link in the customer's rendered e-mail, from "/unsubscribe" on. */
static char *
find_link (Fixture    *fixture,
           const char *name)
{
  JorenSegmentFilter filter = { 0 };
  g_autoptr(JorenPromotionPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = g_strconcat (fixture->server->base_url, "/unsubscribe?c=", NULL);

  preview = joren_promotion_preview (fixture->db, &filter, &news, 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < preview->samples->len; i++)
    {
      JorenPromotionMessage *message = g_ptr_array_index (preview->samples, i);
      const char *link = strstr (message->body, prefix);

      if (g_strcmp0 (message->name, name) == 0 && link != NULL)
        return g_strndup (link + strlen (fixture->server->base_url),
                          strcspn (link + strlen (fixture->server->base_url), " \n"));
    }
  g_error ("No unsubscribe link for %s", name);
}

static long
request (Fixture    *fixture,
         const char *path,
         const char *body)
{
  TestReply reply = test_raw_request (fixture->server->base_url, path, NULL,
                                      body ? "application/x-www-form-urlencoded" : NULL,
                                      body, body ? strlen (body) : 0);
  long status = reply.status;

  test_reply_clear (&reply);
  return status;
}

static gboolean
has_consent (JorenDb *db,
             gint64   id)
{
  g_autoptr(JorenCustomer) customer = joren_customer_get (db, id, NULL);

  g_assert_nonnull (customer);
  return customer->consent_email;
}

static void
wait_until (Fixture    *fixture,
            gboolean  (*cond) (Fixture *fixture, gint64 id),
            gint64      id,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!cond (fixture, id))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
}

static gboolean
outbox_empty (Fixture *fixture,
              gint64   id)
{
  return joren_outbox_count_waiting (fixture->db) == 0;
}

static gboolean
consent_withdrawn (Fixture *fixture,
                   gint64   id)
{
  return !has_consent (fixture->db, id);
}

static guint64
recipients (Fixture *fixture)
{
  JorenSegmentFilter filter = { 0 };
  g_autoptr(JorenPromotionPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  preview = joren_promotion_preview (fixture->db, &filter, &news, 0, &error);
  g_assert_no_error (error);
  return preview->recipients;
}

static void
start_worker (Fixture *fixture)
{
  fixture->worker = joren_sync_worker_new (joren_db_get_path (fixture->db), fixture->server->base_url,
                                           joren_sync_client_get_token (fixture->client));
  joren_sync_worker_set_timing (fixture->worker, 50, 400, 1);
  joren_sync_worker_start (fixture->worker);
}

static void
test_link_reaches_register (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 hana = add_subscriber (fixture->db, "Hana", "hana@example.jp");
  gint64 kenji = add_subscriber (fixture->db, "Kenji", "kenji@example.jp");
  g_autofree char *hana_link = find_link (fixture, "Hana");
  g_autofree char *kenji_link = find_link (fixture, "Kenji");
  g_autofree char *forged = g_strdup (hana_link);
  g_autofree char *form = NULL;
  guint64 before = recipients (fixture);

  /* Before the register shares its secret the server cannot check. */
  g_assert_cmpint (request (fixture, hana_link, NULL), ==, 404);
  joren_sync_share_unsubscribe_secret (fixture->client, fixture->db, &error);
  g_assert_no_error (error);
  start_worker (fixture);
  wait_until (fixture, outbox_empty, 0, "the customers to reach the server");

  forged[strlen (forged) - 1] = forged[strlen (forged) - 1] == '0' ? '1' : '0';
  g_assert_cmpint (request (fixture, forged, NULL), ==, 404);
  g_assert_cmpint (request (fixture, forged, "List-Unsubscribe=One-Click"), ==, 404);
  g_assert_cmpint (request (fixture, hana_link, NULL), ==, 200);
  g_assert_true (has_consent (fixture->db, hana));

  /* RFC 8058: the mail program POSTs to the link itself. */
  g_assert_cmpint (request (fixture, hana_link, "List-Unsubscribe=One-Click"), ==, 200);
  /* The page's button: c and t in the form, the URL bare. */
  form = g_strdup_printf ("%s&lang=ja", strchr (kenji_link, '?') + 1);
  g_assert_cmpint (request (fixture, "/unsubscribe", form), ==, 200);

  wait_until (fixture, consent_withdrawn, hana, "Hana's unsubscribe on the register");
  wait_until (fixture, consent_withdrawn, kenji, "Kenji's unsubscribe on the register");
  g_assert_cmpuint (recipients (fixture), ==, before - 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/joren/sync/unsubscribe/link-reaches-register", Fixture, NULL, fixture_set_up,
              test_link_reaches_register, fixture_tear_down);
  return g_test_run ();
}
