/* joren-server-db-private.h: what joren-server-db.c shares with the
 * files that add tables and op kinds to the same connection and the same
 * transactions (joren-server-value.c: value accounts, holds, coupons;
 * joren-server-punch.c: count cards and stamps; joren-server-coupon.c:
 * coupon campaigns and codes).
 * Every function here expects the caller to hold the database's lock. */
#pragma once

#include <sqlite3.h>

#include "joren-server-db.h"

G_BEGIN_DECLS

struct _JorenServerDb {
  GMutex      lock;
  sqlite3    *handle;
  GHashTable *stmts;   /* SQL literal (by address) -> sqlite3_stmt */
};

/* A cached statement: reset and unbound when it goes out of scope. */
typedef sqlite3_stmt JorenServerStmt;

void             joren_server_stmt_release    (JorenServerStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenServerStmt, joren_server_stmt_release)

/* sql must be a string literal: statements are cached by its address. */
JorenServerStmt *joren_server_db_prepare      (JorenServerDb   *self,
                                               const char      *sql);
gboolean         joren_server_db_step_done    (JorenServerDb   *self,
                                               JorenServerStmt *stmt,
                                               GError         **error);
gboolean         joren_server_db_begin        (JorenServerDb   *self,
                                               GError         **error);
gboolean         joren_server_db_finish       (JorenServerDb   *self,
                                               gboolean         ok,
                                               GError         **error);
JorenSyncResult *joren_server_result_new      (const JorenSyncOp *op,
                                               JorenSyncStatus    status,
                                               const char        *reason,
                                               const char        *message);
/* Adds a row to the changes feed (takes data). */
gboolean         joren_server_db_publish      (JorenServerDb   *self,
                                               const char      *entity,
                                               gint64           id,
                                               cJSON           *data,
                                               GError         **error);
/* The customer's uuid after merges, or NULL. */
char            *joren_server_db_customer_uuid (JorenServerDb  *self,
                                                const char     *uuid);

/* Sets a known customer's field (value: canonical JSON) as a change of
 * the server's own, published in the feed. */
gboolean         joren_server_db_set_customer_field (JorenServerDb  *self,
                                                     const char     *uuid,
                                                     const char     *field,
                                                     const char     *value,
                                                     GError        **error);

/* joren-server-value.c */
extern const char joren_server_value_schema_sql[];
JorenSyncResult *joren_server_apply_value     (JorenServerDb     *self,
                                               gint64             register_id,
                                               const JorenSyncOp *op,
                                               GError           **error);
JorenSyncResult *joren_server_apply_coupon    (JorenServerDb     *self,
                                               gint64             register_id,
                                               const JorenSyncOp *op,
                                               GError           **error);

/* joren-server-punch.c */
extern const char joren_server_punch_schema_sql[];
JorenSyncResult *joren_server_apply_punch     (JorenServerDb     *self,
                                               gint64             register_id,
                                               const JorenSyncOp *op,
                                               GError           **error);

/* joren-server-coupon.c */
extern const char joren_server_coupon_schema_sql[];
JorenSyncResult *joren_server_apply_coupon_campaign (JorenServerDb     *self,
                                                     gint64             register_id,
                                                     const JorenSyncOp *op,
                                                     GError           **error);
JorenSyncResult *joren_server_apply_coupon_codes    (JorenServerDb     *self,
                                                     gint64             register_id,
                                                     const JorenSyncOp *op,
                                                     GError           **error);

G_END_DECLS
