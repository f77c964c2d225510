/* joren-sync-client.h: the register's side of the sync API over libcurl:
 * pairing with a one-time code, pushing outbox ops, pulling the changes
 * feed. Calls block (run them in a thread; the _async variant of push
 * does). A timeout or a cut connection is JOREN_SYNC_ERROR_UNKNOWN_OUTCOME:
 * the server may or may not have applied the ops, and pushing the same
 * ops again is always safe. The token is never logged. */
#pragma once

#include <gio/gio.h>

#include "joren-sync-protocol.h"

G_BEGIN_DECLS

typedef struct _JorenSyncClient JorenSyncClient;

/* base_url: "http://127.0.0.1:8080" or "https://..." (no trailing /v1). */
JorenSyncClient  *joren_sync_client_new          (const char *base_url);
/* HTTPS: also trust certificates signed by the PEM authority at path
 * (a shop's own CA or the server's self-signed certificate), for every
 * client of the process; NULL: the system's authorities only. */
void              joren_sync_client_set_ca_file  (const char *path);
void              joren_sync_client_free         (JorenSyncClient *self);
void              joren_sync_client_set_token    (JorenSyncClient *self,
                                                  const char      *token);
const char       *joren_sync_client_get_token    (JorenSyncClient *self);
/* Whole-request timeout for push and pair (default 30 s); a pull adds
 * its wait on top. */
void              joren_sync_client_set_timeout  (JorenSyncClient *self,
                                                  guint            seconds);
/* Bytes of response bodies received so far (what a pull costs). */
guint64           joren_sync_client_get_bytes_received (JorenSyncClient *self);

/* Exchanges a one-time pairing code for this register's token, which
 * the client keeps (and returns: store it). register_id may be NULL. */
char             *joren_sync_client_pair         (JorenSyncClient *self,
                                                  const char      *code,
                                                  const char      *register_name,
                                                  gint64          *register_id,
                                                  GError         **error);
/* One batch: JorenSyncOp* in, JorenSyncResult* out (same order).
 * next_seq (may be NULL) is the number the server expects next. */
GPtrArray        *joren_sync_client_push         (JorenSyncClient *self,
                                                  GPtrArray       *ops,
                                                  gint64          *next_seq,
                                                  GError         **error);
void              joren_sync_client_push_async   (JorenSyncClient    *self,
                                                  GPtrArray          *ops,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
GPtrArray        *joren_sync_client_push_finish  (JorenSyncClient *self,
                                                  GAsyncResult    *result,
                                                  GError         **error);
/* Changes after cursor since, at most limit; when there are none the
 * server holds the request up to wait_s seconds for new ones. */
JorenSyncChanges *joren_sync_client_pull         (JorenSyncClient *self,
                                                  gint64           since,
                                                  guint            limit,
                                                  guint            wait_s,
                                                  GError         **error);

/* One JSON request (the holds and accounts endpoints); body NULL: GET.
 * Returns the answer's object. When the server refuses (a 4xx other
 * than 401) the error is JOREN_SYNC_ERROR_REFUSED and *code (may be NULL)
 * the API's error code, such as "insufficient_balance". */
cJSON            *joren_sync_client_call         (JorenSyncClient *self,
                                                  const char      *path,
                                                  const cJSON     *body,
                                                  char           **code,
                                                  GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenSyncClient, joren_sync_client_free)

G_END_DECLS
