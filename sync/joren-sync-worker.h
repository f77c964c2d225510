/* joren-sync-worker.h: the register's sync in the background. Two
 * threads, each with its own database connection and libcurl handle: one
 * pushes the outbox in batches and settles the answers, one long-polls
 * the changes feed and applies each page. The till never waits on them:
 * they report online / offline, the ops waiting and the last error
 * through the "status-changed" signal, emitted on the main context that
 * created the worker. While the server is down they back off
 * exponentially with jitter, up to a cap. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define JOREN_TYPE_SYNC_WORKER (joren_sync_worker_get_type ())
G_DECLARE_FINAL_TYPE (JorenSyncWorker, joren_sync_worker, JOREN, SYNC_WORKER, GObject)

/* db_path: the register's database; base_url and token from pairing. */
JorenSyncWorker *joren_sync_worker_new          (const char      *db_path,
                                                 const char      *base_url,
                                                 const char      *token);
/* Back-off between failed attempts, doubling from min_ms to max_ms
 * (defaults 500 ms and 60 s); pull_wait_s: the long poll (default 20). */
void             joren_sync_worker_set_timing   (JorenSyncWorker *self,
                                                 guint            min_ms,
                                                 guint            max_ms,
                                                 guint            pull_wait_s);
void             joren_sync_worker_start        (JorenSyncWorker *self);
/* Joins the threads (a pull in flight finishes its long poll first). */
void             joren_sync_worker_stop         (JorenSyncWorker *self);
/* Something was committed: push now rather than at the next poll. */
void             joren_sync_worker_kick         (JorenSyncWorker *self);

/* The status as last reported to the main context. */
gboolean         joren_sync_worker_get_online   (JorenSyncWorker *self);
gint64           joren_sync_worker_get_waiting  (JorenSyncWorker *self);
gint64           joren_sync_worker_get_rejected (JorenSyncWorker *self);
const char      *joren_sync_worker_get_last_error (JorenSyncWorker *self);
/* "Online", "Offline – 12 waiting" ...: for the header bar. */
char            *joren_sync_worker_describe     (JorenSyncWorker *self);

G_END_DECLS
