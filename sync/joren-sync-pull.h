/* joren-sync-pull.h: pulling the changes feed until the register has
 * caught up, as the pull thread does and the pull benchmark measures. A
 * new register of a big chain pulls a million customers: while the
 * server says there is more, a fetch thread reads the next page while
 * this one is applied, and pages share transactions (JorenReplicaLoad). */
#pragma once

#include <gio/gio.h>

#include "joren-db.h"
#include "joren-sync-client.h"

G_BEGIN_DECLS

/* Changes asked for at a time (the server allows 1..5000): small enough
 * that a page's parsed JSON stays in the CPU's cache from parsing through
 * applying to freeing; 5000 took twice the fetching CPU. */
#define JOREN_SYNC_PULL_PAGE 500

typedef struct {
  guint   pages;
  guint64 changes;
  gint64  fetch_us;    /* requests, server, transfer and parsing (in the fetch thread) */
  gint64  stall_us;    /* the applier waiting for a page */
  gint64  apply_us;    /* applying and committing */
  gint64  fetch_cpu_us;  /* CPU time of the fetch thread, and of the calling */
  gint64  apply_cpu_us;  /* (applying) one: steadier than time on a busy machine */
} JorenSyncPullStats;

/* From the stored cursor until a page says no more; the first request
 * waits up to wait_s for news. stats may be NULL. */
gboolean  joren_sync_pull  (JorenDb            *db,
                            JorenSyncClient    *client,
                            guint               wait_s,
                            GCancellable       *cancellable,
                            JorenSyncPullStats *stats,
                            GError            **error);

G_END_DECLS
