/* joren-sync-worker.c: the push and pull threads (see
 * joren-sync-worker.h). An op leaves the outbox only when the server
 * answered applied or duplicate; a timeout is "unknown" and the same
 * ops, with the same op ids, go again. The status lives under a mutex
 * and is handed to the main context with g_main_context_invoke, so the
 * signal always runs on the thread that owns the widgets. */
#include "config.h"

#include <string.h>

#include <inttypes.h>

#include <glib/gi18n.h>

#include "joren-outbox.h"
#include "joren-sync-client.h"
#include "joren-sync-pull.h"
#include "joren-sync-worker.h"

#define BATCH 200
#define IDLE_POLL_MS 1000

struct _JorenSyncWorker {
  GObject       parent_instance;

  char         *db_path;
  char         *base_url;
  char         *token;
  guint         min_ms, max_ms, pull_wait_s;
  GMainContext *context;

  GMutex        lock;
  GCond         wake;
  gboolean      stopping;
  gboolean      kicked;
  GThread      *pusher;
  GThread      *puller;
  GCancellable *cancellable;   /* a first load stops between pages */

  /* status, under lock */
  gboolean      online;
  gint64        waiting;
  gint64        rejected;
  char         *last_error;
};

G_DEFINE_FINAL_TYPE (JorenSyncWorker, joren_sync_worker, G_TYPE_OBJECT)

enum { STATUS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
joren_sync_worker_finalize (GObject *object)
{
  JorenSyncWorker *self = JOREN_SYNC_WORKER (object);

  joren_sync_worker_stop (self);
  g_free (self->db_path);
  g_free (self->base_url);
  g_free (self->token);
  g_free (self->last_error);
  g_clear_object (&self->cancellable);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  G_OBJECT_CLASS (joren_sync_worker_parent_class)->finalize (object);
}

static void
joren_sync_worker_class_init (JorenSyncWorkerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = joren_sync_worker_finalize;

  signals[STATUS_CHANGED] = g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
joren_sync_worker_init (JorenSyncWorker *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  self->min_ms = 500;
  self->max_ms = 60000;
  self->pull_wait_s = 20;
  self->context = g_main_context_ref_thread_default ();
}

JorenSyncWorker *
joren_sync_worker_new (const char *db_path,
                       const char *base_url,
                       const char *token)
{
  JorenSyncWorker *self;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  self = g_object_new (JOREN_TYPE_SYNC_WORKER, NULL);
  self->db_path = g_strdup (db_path);
  self->base_url = g_strdup (base_url);
  self->token = g_strdup (token);
  return self;
}

void
joren_sync_worker_set_timing (JorenSyncWorker *self,
                              guint            min_ms,
                              guint            max_ms,
                              guint            pull_wait_s)
{
  g_return_if_fail (JOREN_IS_SYNC_WORKER (self));
  g_return_if_fail (min_ms > 0 && max_ms >= min_ms);

  self->min_ms = min_ms;
  self->max_ms = max_ms;
  self->pull_wait_s = pull_wait_s;
}

/* --- status ------------------------------------------------------------ */

static gboolean
emit_status_cb (gpointer data)
{
  g_signal_emit (data, signals[STATUS_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Called from a worker thread; error NULL: the request went through. */
static void
report (JorenSyncWorker *self,
        JorenDb         *db,
        const GError    *error)
{
  gint64 waiting = joren_outbox_count_waiting (db);
  gint64 rejected = joren_outbox_count_rejected (db);
  gboolean online = error == NULL
                    || (!g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_NETWORK)
                        && !g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNKNOWN_OUTCOME)
                        && !g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_SERVER));
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = online != self->online || waiting != self->waiting || rejected != self->rejected
            || (error != NULL && g_strcmp0 (error->message, self->last_error) != 0);
  self->online = online;
  self->waiting = waiting;
  self->rejected = rejected;
  if (error != NULL)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error->message);
    }
  g_mutex_unlock (&self->lock);
  if (changed)
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_status_cb,
                                g_object_ref (self), g_object_unref);
}

/* Sleeps up to ms, or until stopped or kicked; FALSE when stopping. */
static gboolean
pause_for (JorenSyncWorker *self,
           guint            ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  gboolean running;

  g_mutex_lock (&self->lock);
  while (!self->stopping && !self->kicked)
    if (!g_cond_wait_until (&self->wake, &self->lock, until))
      break;
  self->kicked = FALSE;
  running = !self->stopping;
  g_mutex_unlock (&self->lock);
  return running;
}

/* Doubling with full jitter in [delay/2, delay], capped: registers that
 * lost the server together do not all come back in the same second. */
static guint
next_delay (JorenSyncWorker *self,
            guint           *failures)
{
  guint64 delay = self->min_ms;

  for (guint i = 0; i < *failures && delay < self->max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->max_ms);
  *failures += 1;
  return (guint) (delay / 2 + (guint64) g_random_int_range (0, (gint32) (delay / 2) + 1));
}

/* --- push ---------------------------------------------------------------- */

static GPtrArray *
to_sync_ops (GPtrArray  *rows,
             GError    **error)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_op_free);

  for (guint i = 0; i < rows->len; i++)
    {
      const JorenOutboxOp *row = g_ptr_array_index (rows, i);
      cJSON *payload = joren_sync_parse_json (row->payload, strlen (row->payload), error);
      JorenSyncOp *op = payload != NULL ? joren_sync_op_new (row->op_id, row->seq, row->kind,
                                                             payload, error)
                                        : NULL;

      if (op == NULL)
        return NULL;
      if (!g_str_equal (op->payload_hash, row->payload_hash))
        g_warning ("Outbox op %" G_GINT64_FORMAT " hashes differently than when written", row->seq);
      g_ptr_array_add (ops, op);
    }
  return g_steal_pointer (&ops);
}

/* Applied and duplicate: acknowledged. A sequence gap is no verdict on
 * the op (it goes again once the gap is filled); other rejections are
 * final and stay flagged. */
static gboolean
settle (JorenDb    *db,
        GPtrArray  *results,
        GError    **error)
{
  g_autofree JorenOutboxResult *settled = g_new0 (JorenOutboxResult, results->len);
  guint n = 0;

  for (guint i = 0; i < results->len; i++)
    {
      const JorenSyncResult *result = g_ptr_array_index (results, i);

      if (result->status == JOREN_SYNC_REJECTED && g_strcmp0 (result->reason, "sequence_gap") == 0)
        continue;
      settled[n].op_id = result->op_id;
      settled[n].reason = result->status == JOREN_SYNC_REJECTED ? result->reason : NULL;
      settled[n].message = result->message;
      n++;
    }
  return joren_outbox_settle (db, settled, n, error);
}

/* One batch; *sent is how many ops went. */
static gboolean
push_once (JorenDb          *db,
           JorenSyncClient  *client,
           guint            *sent,
           GError          **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) results = NULL;

  *sent = 0;
  if (!joren_outbox_flush_now (db, error)
      || (rows = joren_outbox_list (db, BATCH, error)) == NULL)
    return FALSE;
  if (rows->len == 0)
    return TRUE;
  ops = to_sync_ops (rows, error);
  if (ops == NULL)
    return FALSE;
  results = joren_sync_client_push (client, ops, NULL, error);
  if (results == NULL || !settle (db, results, error))
    return FALSE;
  *sent = rows->len;
  return TRUE;
}

static gpointer
push_thread (gpointer data)
{
  JorenSyncWorker *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_db_open (self->db_path, &error);
  g_autoptr(JorenSyncClient) client = joren_sync_client_new (self->base_url);
  guint failures = 0;

  if (db == NULL)
    {
      g_warning ("Sync cannot open the register database: %s", error->message);
      return NULL;
    }
  joren_sync_client_set_token (client, self->token);
  for (;;)
    {
      guint sent = 0;
      guint delay;

      g_clear_error (&error);
      if (push_once (db, client, &sent, &error))
        failures = 0;
      report (self, db, error);
      delay = error != NULL ? next_delay (self, &failures) : (sent > 0 ? 0 : IDLE_POLL_MS);
      if (delay > 0 && !pause_for (self, delay))
        break;
      if (delay == 0 && g_atomic_int_get (&self->stopping))
        break;
    }
  return NULL;
}

/* --- pull ---------------------------------------------------------------- */

static gpointer
pull_thread (gpointer data)
{
  JorenSyncWorker *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = joren_db_open (self->db_path, &error);
  g_autoptr(JorenSyncClient) client = joren_sync_client_new (self->base_url);
  guint failures = 0;

  if (db == NULL)
    {
      g_warning ("Sync cannot open the register database: %s", error->message);
      return NULL;
    }
  joren_sync_client_set_token (client, self->token);
  while (!g_atomic_int_get (&self->stopping))
    {
      g_clear_error (&error);
      if (joren_sync_pull (db, client, self->pull_wait_s, self->cancellable, NULL, &error))
        {
          failures = 0;
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;   /* stopping: nothing to tell */
      report (self, db, error);
      if (!pause_for (self, next_delay (self, &failures)))
        break;
    }
  return NULL;
}

/* --- control ------------------------------------------------------------- */

void
joren_sync_worker_start (JorenSyncWorker *self)
{
  g_return_if_fail (JOREN_IS_SYNC_WORKER (self));
  g_return_if_fail (self->pusher == NULL);

  self->stopping = FALSE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->pusher = g_thread_new ("joren-sync-push", push_thread, self);
  self->puller = g_thread_new ("joren-sync-pull", pull_thread, self);
}

void
joren_sync_worker_stop (JorenSyncWorker *self)
{
  g_return_if_fail (JOREN_IS_SYNC_WORKER (self));

  if (self->pusher == NULL)
    return;
  g_mutex_lock (&self->lock);
  g_atomic_int_set (&self->stopping, TRUE);
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->pusher, g_thread_join);
  g_clear_pointer (&self->puller, g_thread_join);
}

void
joren_sync_worker_kick (JorenSyncWorker *self)
{
  g_return_if_fail (JOREN_IS_SYNC_WORKER (self));

  g_mutex_lock (&self->lock);
  self->kicked = TRUE;
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
}

gboolean
joren_sync_worker_get_online (JorenSyncWorker *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->online;
}

gint64
joren_sync_worker_get_waiting (JorenSyncWorker *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->waiting;
}

gint64
joren_sync_worker_get_rejected (JorenSyncWorker *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->rejected;
}

/* Only on the main context: the string is replaced by the threads. */
const char *
joren_sync_worker_get_last_error (JorenSyncWorker *self)
{
  g_return_val_if_fail (JOREN_IS_SYNC_WORKER (self), NULL);

  return self->last_error;
}

char *
joren_sync_worker_describe (JorenSyncWorker *self)
{
  gint64 waiting;

  g_return_val_if_fail (JOREN_IS_SYNC_WORKER (self), NULL);

  waiting = joren_sync_worker_get_waiting (self);
  if (joren_sync_worker_get_online (self))
    return waiting > 0 ? g_strdup_printf (_("Online – %" PRId64 " waiting"), waiting)
                       : g_strdup (_("Online"));
  return g_strdup_printf (_("Offline – %" PRId64 " waiting"), waiting);
}
