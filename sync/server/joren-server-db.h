/* joren-server-db.h: joren-server's SQLite file: the chain's stores and
 * registers, tokens (SHA-256 only), one-time pairing codes, the inbox
 * that gives every pushed op exactly one effect, the sales applied from
 * it, and the master data with its changes feed. WAL, synchronous=FULL:
 * an op answered "applied" survives a power cut. Every call is thread
 * safe (one connection behind a mutex: SQLite serialises writers anyway). */
#pragma once

#include <glib.h>

#include "joren-sync-protocol.h"

G_BEGIN_DECLS

#define JOREN_SERVER_DB_SCHEMA_VERSION 5
#define JOREN_SERVER_PAIRING_TTL_S (15 * 60)

typedef struct _JorenServerDb JorenServerDb;

typedef enum {
  JOREN_SERVER_TABLE_SALES,
  JOREN_SERVER_TABLE_SALE_LINES,
  JOREN_SERVER_TABLE_INBOX,
  JOREN_SERVER_TABLE_REGISTERS,
} JorenServerTable;

/* An upsert (data set, owned) or a deletion (data NULL) of master data. */
typedef struct {
  char  *entity;   /* "product", "category", "tax_class", "staff" */
  gint64 id;
  cJSON *data;
} JorenServerEntity;

/* A row of the changes feed; data is canonical JSON text, NULL when
 * the entity was deleted. */
typedef struct {
  gint64 cursor;
  char  *entity;
  gint64 id;
  char  *data;
} JorenServerChange;

JorenServerDb *joren_server_db_open            (const char *path,
                                                GError    **error);
void           joren_server_db_free            (JorenServerDb *self);

gint64         joren_server_db_add_store       (JorenServerDb *self,
                                                const char    *name,
                                                GError       **error);
gboolean       joren_server_db_has_store       (JorenServerDb *self,
                                                gint64         store_id);
/* A one-time code for store_id, valid ttl_s seconds; only its hash is
 * stored. */
char          *joren_server_db_new_pairing_code (JorenServerDb *self,
                                                 gint64         store_id,
                                                 guint          ttl_s,
                                                 GError       **error);
/* Uses up the code and creates the register with a fresh token.
 * UNAUTHORIZED when the code is unknown, used or expired. */
char          *joren_server_db_pair            (JorenServerDb *self,
                                                const char    *code,
                                                const char    *register_name,
                                                gint64        *register_id,
                                                gint64        *store_id,
                                                GError       **error);
/* The register a token belongs to, or 0 (unknown or revoked). */
gint64         joren_server_db_authenticate    (JorenServerDb *self,
                                                const char    *token);
/* Revokes every token of the register; FALSE when there is none. */
gboolean       joren_server_db_revoke_register (JorenServerDb *self,
                                                gint64         register_id,
                                                GError       **error);
gint64         joren_server_db_get_next_seq    (JorenServerDb *self,
                                                gint64         register_id);

/* Applies a batch of ops of one register in one transaction and returns
 * a JorenSyncResult* per op. On failure nothing of the batch is kept. */
GPtrArray     *joren_server_db_apply_ops       (JorenServerDb *self,
                                                gint64         register_id,
                                                GPtrArray     *ops,
                                                gint64        *next_seq,
                                                GError       **error);

void           joren_server_entity_free        (JorenServerEntity *entity);
void           joren_server_change_free        (JorenServerChange *change);
/* Writes master data and its changes in one transaction. */
gboolean       joren_server_db_put_entities    (JorenServerDb *self,
                                                GPtrArray     *entities,
                                                GError       **error);
/* The current data of one entity, or NULL. */
cJSON         *joren_server_db_get_entity      (JorenServerDb *self,
                                                const char    *entity,
                                                gint64         id);
/* JorenServerChange* with cursor > since, oldest first. */
GPtrArray     *joren_server_db_read_changes    (JorenServerDb *self,
                                                gint64         since,
                                                guint          limit,
                                                GError       **error);
gint64         joren_server_db_get_last_cursor (JorenServerDb *self);
/* A customer's points: the sum of the ledger rows of the customer and of
 * every customer merged into it. 0 for an unknown uuid. */
gint64         joren_server_db_points_balance  (JorenServerDb *self,
                                                const char    *customer_uuid);
gint64         joren_server_db_count_rows      (JorenServerDb   *self,
                                                JorenServerTable table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenServerDb, joren_server_db_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenServerEntity, joren_server_entity_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenServerChange, joren_server_change_free)

G_END_DECLS
