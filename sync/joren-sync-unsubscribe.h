/* joren-sync-unsubscribe.h: the register shares its unsubscribe secret
 * with joren-server, so the server can check the unsubscribe links of
 * the register's promotion e-mails (see sync/server/joren-server-unsubscribe.c). */
#pragma once

#include <gio/gio.h>

#include "joren-db.h"
#include "joren-sync-client.h"

G_BEGIN_DECLS

/* POST /v1/unsubscribe/secret with the register's secret (made now if
 * the register has none). Idempotent. */
gboolean joren_sync_share_unsubscribe_secret       (JorenSyncClient  *client,
                                                    JorenDb          *db,
                                                    GError          **error);
/* The same on a worker thread with its own connection and client; fire
 * and forget: a failure is logged and the next start tries again. */
void     joren_sync_share_unsubscribe_secret_async (const char       *db_path,
                                                    const char       *server_url,
                                                    const char       *token);

G_END_DECLS
