/* joren-replica.h: the pull half of sync: applying pages of joren-server's
 * changes feed to the register's database. Master data (tax classes,
 * categories, products, staff) belongs to the server and is overwritten;
 * customers merge field by field, last write wins (newest time, then the
 * higher register id), the loser kept in customer_field_history; points
 * entries (and value, count-card and stamp entries) of other registers
 * are appended to their ledgers, so a balance stays the sum of its rows.
 * A page and its cursor commit together; during a first load or a long
 * catch-up many pages share one transaction (JorenReplicaLoad), the
 * cursor still committed with the changes it covers. */
#pragma once

#include <cjson/cJSON.h>

#include "joren-db.h"

G_BEGIN_DECLS

typedef struct {
  const char  *entity;   /* "product", "category", "tax_class", "staff", "customer", "points", "value_entry", "punch" */
  gint64       id;
  const cJSON *data;     /* NULL: deleted */
} JorenReplicaChange;

/* Applies the changes and stores cursor, in one transaction. Unknown
 * entities are skipped (a newer server), never an error. */
gboolean  joren_replica_apply       (JorenDb                  *db,
                                     const JorenReplicaChange *changes,
                                     guint                     n_changes,
                                     gint64                    cursor,
                                     GError                  **error);
gint64    joren_replica_get_cursor  (JorenDb                  *db);

typedef struct _JorenReplicaLoad JorenReplicaLoad;

/* A first load (a million customers) or a long catch-up: pages go into
 * a transaction that commits, with the last page's cursor, every
 * JOREN_REPLICA_LOAD_CHANGES changes or two seconds, under a bigger page
 * cache and a rarer WAL checkpoint; freeing it rolls back what was not
 * committed and restores both. A new register's load (cursor 0, or one
 * cut short) also defers the indexes whose keys come in random order,
 * built by joren_replica_load_finish (or, when it was cut short, by
 * joren_db_build_deferred_indexes), knows customers by uuid in memory
 * meanwhile, and runs without triggers or foreign keys. Every load
 * commits with synchronous = NORMAL (what a power cut loses is fetched
 * again: the cursor goes with the pages it covers). */
#define JOREN_REPLICA_LOAD_CHANGES 200000

JorenReplicaLoad *joren_replica_load_new    (JorenDb                  *db,
                                             GError                  **error);
gboolean          joren_replica_load_apply  (JorenReplicaLoad         *load,
                                             const JorenReplicaChange *changes,
                                             guint                     n_changes,
                                             gint64                    cursor,
                                             GError                  **error);
gboolean          joren_replica_load_commit (JorenReplicaLoad         *load,
                                             GError                  **error);
/* Commits, and builds the indexes a first load deferred. */
gboolean          joren_replica_load_finish (JorenReplicaLoad         *load,
                                             GError                  **error);
void              joren_replica_load_free   (JorenReplicaLoad         *load);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenReplicaLoad, joren_replica_load_free)

G_END_DECLS
