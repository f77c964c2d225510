/* joren-sale-db.h: storing sales. A commit is one transaction (header,
 * lines, tax per rate, tenders, the receipt number from a gapless
 * per-register sequence): a sale is wholly there or not at all. */
#pragma once

#include "joren-db.h"
#include "joren-sale.h"

G_BEGIN_DECLS

/* Requires a settled sale (NOT_PAID otherwise) with staff set. Assigns
 * id, uuid, receipt number and time on success. Committing the same
 * sale object twice fails with EXISTS. cash_session_id may be 0. With a
 * customer, the points the sale earns, redeems or reverses are written in
 * the same transaction (joren-points.h); a points tender the customer's
 * balance no longer covers fails with INVALID and nothing is stored. */
gboolean   joren_db_commit_sale        (JorenDb   *db,
                                        JorenSale *sale,
                                        gint64     cash_session_id,
                                        GError   **error);
JorenSale *joren_db_load_sale          (JorenDb    *db,
                                        const char *receipt_no,
                                        GError    **error);
JorenSale *joren_db_load_sale_by_id    (JorenDb *db,
                                        gint64   id,
                                        GError **error);
/* The most recent committed sale or refund, for a reprint. */
JorenSale *joren_db_load_last_sale     (JorenDb *db,
                                        GError **error);
/* A refund of receipt_no, with what was already refunded taken off. */
JorenSale *joren_db_prepare_refund     (JorenDb    *db,
                                        const char *receipt_no,
                                        GError    **error);
/* A commit adds its sale to the reports' summaries (joren-report.h);
 * this adds up every stored sale afresh, for sales written some other
 * way (generated, imported). */
gboolean   joren_db_rebuild_reports    (JorenDb  *db,
                                        GError  **error);

struct _JorenParkedSale {
  gint64     id;
  char      *label;
  GDateTime *parked_at;
  gint64     total;
  guint      n_lines;
  char      *staff_name;
};

void       joren_parked_sale_free      (JorenParkedSale *parked);
/* Parks an unpaid sale (tenders are dropped); returns the parked id. */
gint64     joren_db_park_sale          (JorenDb    *db,
                                        JorenSale  *sale,
                                        const char *label,
                                        GError    **error);
GPtrArray *joren_db_list_parked        (JorenDb *db, GError **error);
/* Removes it from the parked list and returns it as a live sale. */
JorenSale *joren_db_recall_parked      (JorenDb *db,
                                        gint64   parked_id,
                                        GError **error);

/* Test hook: when the environment names a point ("after-header",
 * "after-lines", "after-tenders", "before-commit"), the process kills
 * itself there, to prove a half-written sale never survives. */
void       joren_db_crash_point        (const char *point);

G_END_DECLS
