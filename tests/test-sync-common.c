/* test-sync-common.c: the real joren-server as a child process, sale ops
 * and raw HTTP requests for the sync tests and benchmark. Nothing here is
 * a mock: the server is the installed binary's build, the database a
 * real file, the requests go through libcurl over loopback. */
#include "config.h"

#include <curl/curl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "joren-test-utils.h"
#include "test-sync-common.h"

static const char *
server_path (void)
{
  const char *path = g_getenv ("JOREN_SERVER");

  g_assert_nonnull (path);
  return path;
}

static GPtrArray *
server_argv (TestServer *server)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) server_path ());
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, server->db_path);
  return argv;
}

/* Reads stdout until "listening on ADDR:PORT". */
static char *
read_listen_address (GSubprocess *process)
{
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);  /* NULL: the server exited before listening */
      if (g_str_has_prefix (line, "listening on "))
        return g_strdup (line + strlen ("listening on "));
    }
}

/* A failed assertion aborts the test; the server must not outlive it
 * (meson would wait for the stderr it still holds). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
spawn (TestServer *server,
       gboolean    demo)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = server_argv (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  if (demo)
    g_ptr_array_add (argv, (gpointer) "--demo");
  for (guint i = 0; server->extra_args != NULL && server->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, server->extra_args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  address = read_listen_address (server->process);
  g_free (server->base_url);
  server->base_url = g_strconcat (server->scheme, "://", address, NULL);
}

TestServer *
test_server_new_with (gboolean           demo,
                      const char        *scheme,
                      const char *const *extra_args)
{
  TestServer *server = g_new0 (TestServer, 1);
  g_autofree char *dir = joren_test_make_tmpdir ();

  server->db_path = g_build_filename (dir, "server.db", NULL);
  server->scheme = g_strdup (scheme);
  server->extra_args = g_strdupv ((char **) extra_args);
  spawn (server, demo);
  return server;
}

TestServer *
test_server_new (gboolean demo)
{
  return test_server_new_with (demo, "http", NULL);
}

void
test_server_start (TestServer *server)
{
  g_assert_null (server->process);
  spawn (server, FALSE);
}

void
test_server_kill (TestServer *server)
{
  g_subprocess_send_signal (server->process, SIGKILL);
  g_subprocess_wait (server->process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (server->process));
  g_clear_object (&server->process);
}

/* SIGTERM: the server stops cleanly and exits 0. */
void
test_server_free (TestServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait_check (server->process, NULL, &error);
      g_assert_no_error (error);
      g_object_unref (server->process);
    }
  g_free (server->db_path);
  g_free (server->base_url);
  g_free (server->scheme);
  g_strfreev (server->extra_args);
  g_free (server);
}

char *
test_server_admin (TestServer *server,
                   ...)
{
  g_autoptr(GPtrArray) argv = server_argv (server);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *arg;
  va_list args;

  va_start (args, server);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return g_strchomp (g_steal_pointer (&out));
}

JorenSyncClient *
test_server_pair (TestServer *server,
                  gint64     *register_id)
{
  g_autofree char *code = test_server_admin (server, "--new-pairing-code", "1", NULL);
  g_autoptr(JorenSyncClient) client = joren_sync_client_new (server->base_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = joren_sync_client_pair (client, code, "Till", register_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (token), ==, 64);
  return g_steal_pointer (&client);
}

JorenServerDb *
test_server_open_db (TestServer *server)
{
  g_autoptr(GError) error = NULL;
  JorenServerDb *db = joren_server_db_open (server->db_path, &error);

  g_assert_no_error (error);
  return db;
}

static cJSON *
sale_line (guint index)
{
  g_autofree char *name = g_strdup_printf ("Item %u", index);
  cJSON *line = cJSON_CreateObject ();

  cJSON_AddNumberToObject (line, "product_id", index + 1);
  cJSON_AddStringToObject (line, "name", name);
  cJSON_AddNumberToObject (line, "qty", 1 + index % 3);
  cJSON_AddNumberToObject (line, "unit_price", 100 * (index + 1));
  cJSON_AddNumberToObject (line, "amount", 100 * (index + 1) * (1 + index % 3));
  cJSON_AddNumberToObject (line, "rate_bp", index % 2 ? 800 : 1000);
  return line;
}

cJSON *
test_sale_payload (guint number,
                   guint n_lines)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *receipt = g_strdup_printf ("R1-%06u", number);
  cJSON *sale = cJSON_CreateObject ();
  cJSON *lines = cJSON_AddArrayToObject (sale, "lines");
  cJSON *tenders = cJSON_AddArrayToObject (sale, "tenders");
  cJSON *tender = cJSON_CreateObject ();
  gint64 total = 0;

  for (guint i = 0; i < n_lines; i++)
    {
      cJSON *line = sale_line (i);

      total += (gint64) cJSON_GetObjectItem (line, "amount")->valuedouble;
      cJSON_AddItemToArray (lines, line);
    }
  cJSON_AddStringToObject (sale, "uuid", uuid);
  cJSON_AddStringToObject (sale, "receipt_no", receipt);
  cJSON_AddNumberToObject (sale, "created_at", (double) g_get_real_time ());
  cJSON_AddNumberToObject (sale, "staff_id", 3);
  cJSON_AddNumberToObject (sale, "total", (double) total);
  cJSON_AddNumberToObject (sale, "tax_total", (double) (total / 11));
  cJSON_AddStringToObject (tender, "kind", "cash");
  cJSON_AddNumberToObject (tender, "amount", (double) total);
  cJSON_AddItemToArray (tenders, tender);
  return sale;
}

GPtrArray *
test_make_ops (gint64 first_seq,
               guint  n)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_op_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *op_id = g_uuid_string_random ();
      g_autoptr(GError) error = NULL;
      gint64 seq = first_seq + i;
      JorenSyncOp *op = joren_sync_op_new (op_id, seq, "sale",
                                           test_sale_payload ((guint) seq, 3), &error);

      g_assert_no_error (error);
      g_ptr_array_add (ops, op);
    }
  return ops;
}

GPtrArray *
test_slice_ops (GPtrArray *ops,
                guint      from,
                guint      n)
{
  GPtrArray *slice = g_ptr_array_new ();

  for (guint i = from; i < from + n && i < ops->len; i++)
    g_ptr_array_add (slice, g_ptr_array_index (ops, i));
  return slice;
}

static size_t
collect_cb (char   *data,
            size_t  size,
            size_t  n,
            void   *user_data)
{
  g_string_append_len (user_data, data, (gssize) (size * n));
  return size * n;
}

static struct curl_slist *
request_headers (const char *token,
                 const char *content_type)
{
  struct curl_slist *headers = curl_slist_append (NULL, "Expect:");

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Authorization: Bearer ", token, NULL);

      headers = curl_slist_append (headers, auth);
    }
  if (content_type != NULL)
    {
      g_autofree char *type = g_strconcat ("Content-Type: ", content_type, NULL);

      headers = curl_slist_append (headers, type);
    }
  return headers;
}

TestReply
test_raw_request (const char *base_url,
                  const char *path,
                  const char *token,
                  const char *content_type,
                  const char *body,
                  gsize       length)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(GString) answer = g_string_new (NULL);
  struct curl_slist *headers = request_headers (token, content_type);
  CURL *curl = curl_easy_init ();
  TestReply reply = { 0, NULL };

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, collect_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, answer);
  if (body != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) length);
    }
  g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all (headers);
  curl_easy_cleanup (curl);
  reply.json = cJSON_ParseWithLength (answer->str, answer->len);
  return reply;
}

const char *
test_reply_error_code (const TestReply *reply,
                       long             expected_status)
{
  const cJSON *error = cJSON_GetObjectItemCaseSensitive (reply->json, "error");

  g_assert_cmpint (reply->status, ==, expected_status);
  g_assert_nonnull (error);
  g_assert_nonnull (joren_sync_get_string (error, "message"));
  g_assert_cmpuint (strlen (joren_sync_get_string (error, "message")), >, 10);
  g_assert_true (g_utf8_validate (joren_sync_get_string (error, "message"), -1, NULL));
  g_assert_nonnull (joren_sync_get_string (error, "code"));
  return joren_sync_get_string (error, "code");
}

void
test_reply_clear (TestReply *reply)
{
  g_clear_pointer (&reply->json, cJSON_Delete);
}
