/* joren-db-private.h: what the data layer's files share and nothing else
 * may use: the raw connection, the per-connection statement cache,
 * transactions, and turning SQLite result codes into JOREN_DATA_ERRORs.
 * Tests include it to build old schema versions by hand. */
#pragma once

#include <sqlite3.h>

#include "joren-autocleanups.h"
#include "joren-db.h"

G_BEGIN_DECLS

/* A cached statement borrowed from the connection. g_autoptr(JorenStmt)
 * resets it and clears its bindings on scope exit, so it can be reused
 * and never holds a read transaction open. */
typedef sqlite3_stmt JorenStmt;

void        joren_stmt_release            (JorenStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenStmt, joren_stmt_release)

sqlite3    *joren_db_get_handle           (JorenDb    *self);
/* Prepared once per connection, keyed by the SQL text. */
JorenStmt  *joren_db_prepare              (JorenDb    *self,
                                           const char *sql,
                                           GError    **error);
/* Steps a write statement to completion. */
gboolean    joren_db_step_done            (JorenDb    *self,
                                           JorenStmt  *stmt,
                                           const char *doing,
                                           GError    **error);
/* Steps once: TRUE with *has_row set, or FALSE with error. */
gboolean    joren_db_step_row             (JorenDb    *self,
                                           JorenStmt  *stmt,
                                           gboolean   *has_row,
                                           const char *doing,
                                           GError    **error);
/* Runs one cached statement without parameters (BEGIN, SAVEPOINT ...). */
gboolean    joren_db_exec                 (JorenDb    *self,
                                           const char *sql,
                                           const char *doing,
                                           GError    **error);

/* BEGIN IMMEDIATE: writers take the lock up front, so two writers queue
 * on busy_timeout instead of failing half way with SQLITE_BUSY. */
gboolean    joren_db_begin                (JorenDb    *self,
                                           GError    **error);
/* COMMIT; on failure the transaction is rolled back. */
gboolean    joren_db_commit               (JorenDb    *self,
                                           GError    **error);
void        joren_db_rollback             (JorenDb    *self);
/* A lookup of several statements as one read transaction: outside one,
 * each statement takes and drops SQLite's locks (four system calls), a
 * third of a customer lookup. *started says whether read_end has a
 * transaction to end (none when the caller is inside one already). */
gboolean    joren_db_read_begin           (JorenDb    *self,
                                           gboolean   *started,
                                           GError    **error);
void        joren_db_read_end             (JorenDb    *self,
                                           gboolean    started);

/* Sets error from an SQLite result code; always returns FALSE. doing is a
 * translated sentence such as _("Could not save the sale."). */
gboolean    joren_db_set_error            (JorenDb    *self,
                                           int         rc,
                                           const char *doing,
                                           GError    **error);

/* Bulk loads: drops the named indexes (NULL-terminated) and remembers
 * them, in one transaction; building them again is
 * joren_db_build_deferred_indexes (joren-db.h). Meanwhile the caller
 * keeps the keys of a unique one unique. */
gboolean    joren_db_defer_indexes        (JorenDb            *self,
                                           const char * const *names,
                                           GError            **error);
gboolean    joren_db_has_deferred_indexes (JorenDb            *self);

char       *joren_db_column_dup_text      (sqlite3_stmt *stmt,
                                           int           column);
void        joren_db_bind_text_or_null    (sqlite3_stmt *stmt,
                                           int           param,
                                           const char   *text);
void        joren_db_bind_id_or_null      (sqlite3_stmt *stmt,
                                           int           param,
                                           gint64        id);
/* A setting that holds a whole number; fallback when it is missing or
 * not a number. */
gint64      joren_db_get_setting_int      (JorenDb    *self,
                                           const char *key,
                                           gint64      fallback);
/* Times are stored as unix microseconds, UTC. */
GDateTime  *joren_db_time_from_usec       (gint64 usec);
gint64      joren_db_time_to_usec         (GDateTime *time);

/* Writes without their own transaction, for callers that hold one. */
gboolean    joren_db_store_shop           (JorenDb         *self,
                                           const JorenShop *shop,
                                           GError         **error);
gboolean    joren_catalog_store_product   (JorenDb         *db,
                                           JorenProduct    *product,
                                           GError         **error);
/* The points a sale earns, redeems or reverses (joren-points.c), written
 * by joren_db_commit_sale inside its transaction once sale_id exists. */
gboolean    joren_points_record_sale      (JorenDb         *db,
                                           JorenSale       *sale,
                                           gint64           sale_id,
                                           GDateTime       *created_at,
                                           GError         **error);
/* The value-account ledger rows, held amounts captured and the coupon
 * redeemed for a sale (joren-value.c), in the same transaction; balances
 * and credit limits are checked again here. */
gboolean    joren_value_record_sale       (JorenDb         *db,
                                           JorenSale       *sale,
                                           gint64           sale_id,
                                           GDateTime       *created_at,
                                           GError         **error);
/* Count cards issued, visits used, stamps earned and redeemed, and their
 * reversals on a refund (joren-punch.c), in the same transaction. */
gboolean    joren_punch_record_sale       (JorenDb         *db,
                                           JorenSale       *sale,
                                           gint64           sale_id,
                                           GDateTime       *created_at,
                                           GError         **error);
/* Closes cash session id with the counted cash, without a transaction
 * of its own: the Z report closes it inside the closing transaction. */
gboolean    joren_cash_session_store_close (JorenDb       *db,
                                            gint64         id,
                                            gint64         staff_id,
                                            gint64         counted,
                                            GError       **error);

G_END_DECLS
