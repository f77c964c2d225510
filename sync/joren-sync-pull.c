/* joren-sync-pull.c: catching up with the changes feed (see
 * joren-sync-pull.h). Applying is most of a first load's time and the
 * fetch (server, loopback or LAN, JSON parsing) the rest, so they
 * overlap: a fetch thread stays at most QUEUE_PAGES pages ahead, enough
 * to hide a request behind an apply without holding a million parsed
 * customers in memory. Applied pages go back to the fetch thread to be
 * freed, where they were allocated (when each node was its own block,
 * freeing them in the applier was 15 % of its time; a page is a few
 * arena blocks now, sync/joren-json-arena.c). Only committed pages move
 * the stored cursor, so pages fetched ahead and lost to a crash or an
 * error are fetched again, never applied twice. */
#include "config.h"

#include <glib/gi18n.h>
#include <time.h>

#include "joren-replica.h"
#include "joren-sync-pull.h"

#define QUEUE_PAGES 2

typedef struct {
  JorenSyncClient *client;
  GCancellable    *cancellable;
  gint64           since;
  GThread         *thread;

  GMutex           lock;
  GCond            cond;
  GQueue           pages;      /* JorenSyncChanges*, at most QUEUE_PAGES */
  GQueue           spent;      /* applied pages, for the fetcher to free */
  GError          *error;      /* why the fetcher stopped early */
  gboolean         done;       /* the fetcher has stopped */
  gboolean         stop;       /* the applier has stopped: fetch no more */
  gint64           fetch_us;
  gint64           fetch_cpu_us;
} Fetcher;

/* CPU time of the calling thread. */
static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static JorenSyncChanges *
fetch_page (JorenSyncClient  *client,
            gint64            since,
            guint             wait_s,
            GCancellable     *cancellable,
            gint64           *fetch_us,
            GError          **error)
{
  gint64 start = g_get_monotonic_time ();
  JorenSyncChanges *page;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  page = joren_sync_client_pull (client, since, JOREN_SYNC_PULL_PAGE, wait_s, error);
  *fetch_us += g_get_monotonic_time () - start;
  return page;
}

/* Hands a page (or the error) to the applier once there is room; FALSE
 * when the fetcher should stop. */
static gboolean
offer (Fetcher          *fetcher,
       JorenSyncChanges *page,
       GError           *error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fetcher->lock);

  while (fetcher->pages.length >= QUEUE_PAGES && !fetcher->stop)
    g_cond_wait (&fetcher->cond, &fetcher->lock);
  if (fetcher->stop || page == NULL)
    {
      g_clear_pointer (&page, joren_sync_changes_free);
      fetcher->error = error;
    }
  else
    g_queue_push_tail (&fetcher->pages, page);
  g_cond_broadcast (&fetcher->cond);
  return page != NULL && page->more;
}

static void
free_spent (Fetcher *fetcher)
{
  GQueue spent;

  g_mutex_lock (&fetcher->lock);
  spent = fetcher->spent;
  g_queue_init (&fetcher->spent);
  g_mutex_unlock (&fetcher->lock);
  g_queue_clear_full (&spent, (GDestroyNotify) joren_sync_changes_free);
}

static void
give_back (Fetcher          *fetcher,
           JorenSyncChanges *page)
{
  g_mutex_lock (&fetcher->lock);
  g_queue_push_tail (&fetcher->spent, page);
  g_mutex_unlock (&fetcher->lock);
}

static gpointer
fetch_thread (gpointer data)
{
  Fetcher *fetcher = data;
  gint64 cpu_start = thread_cpu_us ();
  JorenSyncChanges *page;
  GError *error;

  do
    {
      free_spent (fetcher);
      error = NULL;
      page = fetch_page (fetcher->client, fetcher->since, 0, fetcher->cancellable,
                         &fetcher->fetch_us, &error);
      if (page != NULL)
        fetcher->since = page->cursor;
    }
  while (offer (fetcher, page, error));
  g_mutex_lock (&fetcher->lock);
  fetcher->fetch_cpu_us = thread_cpu_us () - cpu_start;
  fetcher->done = TRUE;
  g_cond_broadcast (&fetcher->cond);
  g_mutex_unlock (&fetcher->lock);
  return NULL;
}

/* The next page, or NULL with the fetcher's error. */
static JorenSyncChanges *
take (Fetcher  *fetcher,
      GError  **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fetcher->lock);
  JorenSyncChanges *page;

  while (fetcher->pages.length == 0 && !fetcher->done)
    g_cond_wait (&fetcher->cond, &fetcher->lock);
  page = g_queue_pop_head (&fetcher->pages);
  if (page == NULL && fetcher->error != NULL)
    g_propagate_error (error, g_steal_pointer (&fetcher->error));
  else if (page == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sync was stopped."));
  g_cond_broadcast (&fetcher->cond);
  return page;
}

static void
start_fetcher (Fetcher         *fetcher,
               JorenSyncClient *client,
               gint64           since,
               GCancellable    *cancellable)
{
  *fetcher = (Fetcher) { .client = client, .cancellable = cancellable, .since = since };
  g_mutex_init (&fetcher->lock);
  g_cond_init (&fetcher->cond);
  g_queue_init (&fetcher->pages);
  g_queue_init (&fetcher->spent);
  fetcher->thread = g_thread_new ("joren-sync-fetch", fetch_thread, fetcher);
}

static void
stop_fetcher (Fetcher *fetcher)
{
  g_mutex_lock (&fetcher->lock);
  fetcher->stop = TRUE;
  g_cond_broadcast (&fetcher->cond);
  g_mutex_unlock (&fetcher->lock);
  g_thread_join (fetcher->thread);
  g_queue_clear_full (&fetcher->pages, (GDestroyNotify) joren_sync_changes_free);
  free_spent (fetcher);
  g_clear_error (&fetcher->error);
  g_mutex_clear (&fetcher->lock);
  g_cond_clear (&fetcher->cond);
}

/* The page as joren_replica_apply takes it; the data stay the page's. */
static JorenReplicaChange *
to_replica (const JorenSyncChanges *page)
{
  JorenReplicaChange *changes = g_new0 (JorenReplicaChange, page->changes->len + 1);

  for (guint i = 0; i < page->changes->len; i++)
    {
      const JorenSyncChange *change = g_ptr_array_index (page->changes, i);

      changes[i].entity = change->entity;
      changes[i].id = change->id;
      changes[i].data = change->data;
    }
  return changes;
}

/* One page in its own transaction, or into the load's. */
static gboolean
apply_page (JorenDb                *db,
            JorenReplicaLoad       *load,
            const JorenSyncChanges *page,
            JorenSyncPullStats     *stats,
            GError                **error)
{
  g_autofree JorenReplicaChange *changes = to_replica (page);
  guint n = page->changes->len;
  gint64 start = g_get_monotonic_time ();
  gboolean ok = load != NULL ? joren_replica_load_apply (load, changes, n, page->cursor, error)
                             : joren_replica_apply (db, changes, n, page->cursor, error);

  stats->apply_us += g_get_monotonic_time () - start;
  stats->pages++;
  stats->changes += n;
  return ok;
}

/* Applies first and the pages after it as the fetcher brings them. */
static gboolean
load_pages (JorenReplicaLoad    *load,
            Fetcher             *fetcher,
            JorenSyncChanges    *first,
            JorenSyncPullStats  *stats,
            GError             **error)
{
  JorenSyncChanges *page = first;
  gint64 start;

  for (;;)
    {
      gboolean ok = apply_page (NULL, load, page, stats, error);
      gboolean more = page->more;

      give_back (fetcher, page);
      if (!ok)
        return FALSE;
      if (!more)
        break;
      start = g_get_monotonic_time ();
      page = take (fetcher, error);
      stats->stall_us += g_get_monotonic_time () - start;
      if (page == NULL)
        return FALSE;
    }
  start = g_get_monotonic_time ();
  if (!joren_replica_load_finish (load, error))
    return FALSE;
  stats->apply_us += g_get_monotonic_time () - start;
  return TRUE;
}

static gboolean
catch_up (JorenDb             *db,
          JorenSyncClient     *client,
          JorenSyncChanges    *first,
          GCancellable        *cancellable,
          JorenSyncPullStats  *stats,
          GError             **error)
{
  g_autoptr(JorenReplicaLoad) load = joren_replica_load_new (db, error);
  Fetcher fetcher;
  gboolean ok;

  if (load == NULL)
    return joren_sync_changes_free (first), FALSE;
  start_fetcher (&fetcher, client, first->cursor, cancellable);
  ok = load_pages (load, &fetcher, first, stats, error);
  stop_fetcher (&fetcher);
  stats->fetch_us += fetcher.fetch_us;
  stats->fetch_cpu_us += fetcher.fetch_cpu_us;
  return ok;
}

gboolean
joren_sync_pull (JorenDb             *db,
                 JorenSyncClient     *client,
                 guint                wait_s,
                 GCancellable        *cancellable,
                 JorenSyncPullStats  *stats,
                 GError             **error)
{
  JorenSyncPullStats ignored = { 0 };
  g_autoptr(JorenSyncChanges) page = NULL;
  gint64 cpu_start = thread_cpu_us ();
  gboolean ok;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stats == NULL)
    stats = &ignored;
  page = fetch_page (client, joren_replica_get_cursor (db), wait_s, cancellable,
                     &stats->fetch_us, error);
  /* A first load cut short goes on (a JorenReplicaLoad), or its deferred
   * indexes are built now, so lookups are fast while the server is away
   * (its error is the one to tell; building is tried again next time).
   * Not when stopping: the app would wait for them to quit. */
  if (page == NULL && !g_cancellable_is_cancelled (cancellable))
    joren_db_build_deferred_indexes (db, NULL);
  if (page == NULL)
    return FALSE;
  if (!page->more)
    ok = apply_page (db, NULL, page, stats, error);
  else
    ok = catch_up (db, client, g_steal_pointer (&page), cancellable, stats, error);
  stats->apply_cpu_us += thread_cpu_us () - cpu_start;
  return ok;
}
