/* test-sync-tls.c: joren-server over HTTPS (libmicrohttpd with GnuTLS)
 * and the register's libcurl client that trusts the shop's own
 * certificate. The certificates in fixtures/tls/ are self-signed test
 * certificates for 127.0.0.1 (valid until 2126): server-cert.pem is the
 * server's, other-cert.pem an unrelated one. */
#include "config.h"

#include <string.h>

#include "joren-test-utils.h"
#include "test-sync-common.h"

static char *
fixture (const char *name)
{
  return g_build_filename (JOREN_TLS_FIXTURES, name, NULL);
}

static TestServer *
start_tls_server (void)
{
  g_autofree char *cert = fixture ("server-cert.pem");
  g_autofree char *key = fixture ("server-key.pem");
  const char *const args[] = { "--tls-cert", cert, "--tls-key", key, NULL };

  return test_server_new_with (TRUE, "https", args);
}

static void
assert_certificate_refused (const char *base_url,
                            const char *ca_file)
{
  g_autoptr(JorenSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  joren_sync_client_set_ca_file (ca_file);
  client = joren_sync_client_new (base_url);
  g_assert_null (joren_sync_client_pair (client, "000000", "Till", NULL, &error));
  /* Nothing reached the server: the outbox keeps its ops for later. */
  g_assert_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "certificate"));
}

/* Pairing, a push and a pull over HTTPS with the shop's certificate;
 * the system's authorities alone, or another certificate, refuse it. */
static void
test_https_round_trip (void)
{
  TestServer *server = start_tls_server ();
  g_autofree char *ca = fixture ("server-cert.pem");
  g_autofree char *other = fixture ("other-cert.pem");
  g_autoptr(JorenSyncClient) client = NULL;
  g_autoptr(GPtrArray) ops = test_make_ops (1, 3);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JorenSyncChanges) changes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 next_seq = 0;

  g_assert_true (g_str_has_prefix (server->base_url, "https://127.0.0.1:"));
  assert_certificate_refused (server->base_url, NULL);
  assert_certificate_refused (server->base_url, other);

  joren_sync_client_set_ca_file (ca);
  client = test_server_pair (server, NULL);
  results = joren_sync_client_push (client, ops, &next_seq, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpint (((JorenSyncResult *) g_ptr_array_index (results, i))->status, ==,
                     JOREN_SYNC_APPLIED);
  g_assert_cmpint (next_seq, ==, 4);
  changes = joren_sync_client_pull (client, 0, 100, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->changes->len, >, 0);   /* the demo catalogue */

  joren_sync_client_set_ca_file (NULL);
  test_server_free (server);
}

/* Plain HTTP to the HTTPS port gets no answer a client could mistake
 * for the API's. */
static void
test_plain_http_refused (void)
{
  TestServer *server = start_tls_server ();
  g_autofree char *plain = g_strconcat ("http://", server->base_url + strlen ("https://"), NULL);
  g_autoptr(JorenSyncClient) client = joren_sync_client_new (plain);
  g_autoptr(GError) error = NULL;

  g_assert_null (joren_sync_client_pull (client, 0, 10, 0, &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNAUTHORIZED));
  test_server_free (server);
}

static char *
run_server_expecting_failure (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = joren_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  char *err = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("JOREN_SERVER"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, db);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  return err;
}

/* Wrong TLS options stop the server with a message, never a plain
 * HTTP server where HTTPS was asked for. */
static void
test_bad_tls_options (void)
{
  g_autofree char *cert = fixture ("server-cert.pem");
  g_autofree char *key = fixture ("server-key.pem");
  g_autofree char *other = fixture ("other-cert.pem");
  const char *const no_key[] = { "--tls-cert", cert, NULL };
  const char *const key_as_cert[] = { "--tls-cert", key, "--tls-key", key, NULL };
  const char *const wrong_pair[] = { "--tls-cert", other, "--tls-key", key, NULL };
  const char *const missing[] = { "--tls-cert", "/nonexistent/cert.pem", "--tls-key", key, NULL };
  g_autofree char *e1 = run_server_expecting_failure (no_key);
  g_autofree char *e2 = run_server_expecting_failure (key_as_cert);
  g_autofree char *e3 = run_server_expecting_failure (wrong_pair);
  g_autofree char *e4 = run_server_expecting_failure (missing);

  g_assert_nonnull (strstr (e1, "--tls-cert and --tls-key go together"));
  g_assert_nonnull (strstr (e2, "not a PEM certificate"));
  g_assert_nonnull (strstr (e3, "TLS key does not match"));
  g_assert_nonnull (strstr (e4, "/nonexistent/cert.pem"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/joren/sync/tls/round-trip", test_https_round_trip);
  g_test_add_func ("/joren/sync/tls/plain-http", test_plain_http_refused);
  g_test_add_func ("/joren/sync/tls/bad-options", test_bad_tls_options);
  return g_test_run ();
}
