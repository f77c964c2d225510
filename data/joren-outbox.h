/* joren-outbox.h: the register's outbox, the push half of sync. Every
 * fact joren-server must receive (a sale or refund, a customer created or
 * changed, a points entry) becomes a row in the transaction that commits
 * the fact: a random op id (never derived from a counter), the register's
 * gapless sequence number, the kind, the canonical JSON payload and its
 * SHA-256. The sync worker sends rows oldest first and removes a row only
 * when the server acknowledged it (applied or duplicate); a row the
 * server refused for good stays, flagged with the reason. */
#pragma once

#include <cjson/cJSON.h>

#include "joren-db.h"
#include "joren-sale.h"

G_BEGIN_DECLS

typedef struct {
  gint64  seq;
  char   *op_id;
  char   *kind;           /* "sale", "customer", "points", "value", "coupon", "punch" */
  char   *payload;        /* canonical JSON */
  char   *payload_hash;   /* SHA-256 hex of payload */
} JorenOutboxOp;

void        joren_outbox_op_free        (JorenOutboxOp *op);

/* The sale's payload (the sync API's "sale" op), for a sale numbered
 * receipt_no at created_at. */
cJSON      *joren_outbox_sale_payload   (JorenSale   *sale,
                                         const char  *receipt_no,
                                         GDateTime   *created_at);

/* Inside the sale's commit (joren-sale-db.c write_sale): the sale op,
 * then the ops of whatever else the transaction marked (its points). */
gboolean    joren_outbox_record_sale    (JorenDb     *db,
                                         JorenSale   *sale,
                                         const char  *receipt_no,
                                         GDateTime   *created_at,
                                         GError     **error);
/* Inside a transaction that changed customers or points: turns the
 * sync_pending marks into ops. */
gboolean    joren_outbox_flush          (JorenDb     *db,
                                         GError     **error);
/* The same in a transaction of its own (the worker, before a push). */
gboolean    joren_outbox_flush_now      (JorenDb     *db,
                                         GError     **error);

/* Unsent, unrefused ops, lowest seq first, at most limit. */
GPtrArray  *joren_outbox_list           (JorenDb     *db,
                                         guint        limit,
                                         GError     **error);

typedef struct {
  const char *op_id;
  const char *reason;    /* NULL: acknowledged, the row goes */
  const char *message;
} JorenOutboxResult;

/* Applies the server's answers in one transaction. */
gboolean    joren_outbox_settle         (JorenDb                 *db,
                                         const JorenOutboxResult *results,
                                         guint                    n_results,
                                         GError                 **error);
gint64      joren_outbox_count_waiting  (JorenDb     *db);
gint64      joren_outbox_count_rejected (JorenDb     *db);
/* The sequence number the next op will take. */
gint64      joren_outbox_get_next_seq   (JorenDb     *db);

/* A customer profile field that syncs (merges last-write-wins). */
gboolean    joren_outbox_is_customer_field (const char *name);

/* This register's id at the server (setting sync.register_id; 0 until
 * paired): the tie-break of last-write-wins. */
gint64      joren_outbox_get_register_id (JorenDb    *db);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenOutboxOp, joren_outbox_op_free)

G_END_DECLS
