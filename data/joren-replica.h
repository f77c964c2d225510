/* joren-replica.h: the pull half of sync: applying pages of joren-server's
 * changes feed to the register's database. Master data (tax classes,
 * categories, products, staff) belongs to the server and is overwritten;
 * customers merge field by field, last write wins (newest time, then the
 * higher register id), the loser kept in customer_field_history; points
 * entries (and value, count-card and stamp entries) of other registers
 * are appended to their ledgers, so a balance stays the sum of its rows.
 * A page and its cursor commit together. */
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

G_END_DECLS
