/* test-sync-common.h: what the sync tests and the sync benchmark share:
 * running the real joren-server binary (path in $JOREN_SERVER) on a
 * loopback port, its admin commands, sale ops, and raw libcurl requests
 * for the inputs the client library would never send. */
#pragma once

#include <gio/gio.h>

#include "joren-server-db.h"
#include "joren-sync-client.h"

G_BEGIN_DECLS

typedef struct {
  GSubprocess *process;
  char        *db_path;
  char        *base_url;
  char        *scheme;      /* "http" or "https" */
  GStrv        extra_args;  /* more arguments for every start */
} TestServer;

/* Starts joren-server on a fresh database (demo: seeded) in a temp dir. */
TestServer *test_server_new          (gboolean    demo);
/* The same with more arguments (such as --tls-cert/--tls-key, then
 * scheme "https"). */
TestServer *test_server_new_with     (gboolean           demo,
                                      const char        *scheme,
                                      const char *const *extra_args);
/* (Re)starts the process on the server's database and reads its port. */
void        test_server_start        (TestServer *server);
void        test_server_kill         (TestServer *server);
void        test_server_free         (TestServer *server);
/* Runs `joren-server --db <db> args...`, asserts success, returns stdout
 * without its trailing newline. */
char       *test_server_admin        (TestServer *server,
                                      ...) G_GNUC_NULL_TERMINATED;
/* A client paired with store 1 through a fresh pairing code. */
JorenSyncClient *test_server_pair    (TestServer *server,
                                      gint64     *register_id);
/* A read connection to the server's database, for counting rows. */
JorenServerDb   *test_server_open_db (TestServer *server);

/* A sale payload with n_lines lines and a cash tender; number makes the
 * receipt number. */
cJSON      *test_sale_payload        (guint number,
                                      guint n_lines);
/* n ops numbered from first_seq, each a new sale. */
GPtrArray  *test_make_ops            (gint64 first_seq,
                                      guint  n);
/* ops[from, from + n) as a new array sharing the ops. */
GPtrArray  *test_slice_ops           (GPtrArray *ops,
                                      guint      from,
                                      guint      n);

typedef struct {
  long   status;
  cJSON *json;   /* the parsed body, NULL if it was not JSON */
} TestReply;

/* One request with libcurl. token NULL: no Authorization header;
 * content_type NULL: none. body NULL: GET. */
TestReply   test_raw_request         (const char *base_url,
                                      const char *path,
                                      const char *token,
                                      const char *content_type,
                                      const char *body,
                                      gsize       length);
/* Asserts a 4xx/5xx status and an {"error":{"code","message"}} body;
 * returns the code (valid until the reply is cleared). */
const char *test_reply_error_code    (const TestReply *reply,
                                      long             expected_status);
void        test_reply_clear         (TestReply *reply);

G_END_DECLS
