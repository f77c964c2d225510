/* joren-zreport.h: end of day. The X report is a reading of the open cash
 * drawer session at any time: it is computed, never stored. The Z report
 * closes the session: in ONE transaction it takes the next Z number of
 * this register (gapless; a rolled back or crashed close hands no number
 * out, a committed one is never issued again), closes the cash session
 * with the counted cash (joren-cash.h) and stores the figures, so the
 * same document can be reprinted years later.
 *
 * Figures cover the sales and refunds taken in the session: by tender
 * (cash net of change), by tax rate, refunds, discounts given, lines
 * voided at the till before payment (the void log, written by the UI
 * through joren_void_log_add) and the drawer: opening float, cash
 * expected, counted, and the difference (counted - expected; negative
 * when cash is missing). devices/joren-receipt.h prints it
 * (joren_receipt_new_for_zreport). */
#pragma once

#include "joren-db.h"
#include "joren-report.h"

G_BEGIN_DECLS

typedef struct _JorenZReport JorenZReport;

struct _JorenZReport {
  gint64      id;               /* z_reports.id; 0 for an X report */
  gint64      z_no;             /* per register, from 1; 0 for an X report */
  char       *register_prefix;  /* the shop's register prefix */
  gint64      cash_session_id;
  GDateTime  *opened_at;        /* the session's start */
  GDateTime  *created_at;       /* when the report was taken */
  gint64      staff_id;         /* who took it */
  char       *staff_name;

  /* JorenReportRow*: key the tender kind ("cash", "card", "other",
   * "points", "voucher", "account"), label translated, count = tenders,
   * gross = amount (cash net of change, refunds negative). */
  GPtrArray  *tenders;
  /* JorenReportRow*: key the rate in basis points ("1000"), label "10%",
   * count = receipts, net, tax, gross (refunds negative). */
  GPtrArray  *tax_rates;

  gint64      n_sales;
  gint64      sales_total;      /* what sales came to (all line kinds) */
  gint64      n_refunds;
  gint64      refunds_total;    /* positive */
  gint64      n_discounts;      /* sales with a discount */
  gint64      discounts;        /* line + receipt discounts on sales */
  gint64      n_voids;          /* lines voided before payment */
  gint64      voids_total;      /* what they came to */
  gint64      net;              /* goods, sales - refunds, without tax */
  gint64      tax;
  gint64      gross;

  gint64      opening_float;
  gint64      cash_expected;    /* float + cash in - cash out */
  gint64      cash_counted;     /* X report: 0 */
  gint64      cash_difference;  /* counted - expected; X report: 0 */
};

void          joren_zreport_free      (JorenZReport *report);

/* The X report of the open session. NO_SESSION when none is open. */
JorenZReport *joren_zreport_x         (JorenDb  *db,
                                       GError  **error);
/* Closes the day: the Z report of the open session with counted cash,
 * numbered, stored, and the session closed, all in one transaction.
 * NO_SESSION when none is open; INVALID when counted < 0. */
JorenZReport *joren_zreport_close     (JorenDb  *db,
                                       gint64    staff_id,
                                       gint64    counted,
                                       GError  **error);
/* A stored Z report for reprinting. NOT_FOUND when there is none. */
JorenZReport *joren_zreport_get       (JorenDb  *db,
                                       gint64    id,
                                       GError  **error);
JorenZReport *joren_zreport_get_by_number (JorenDb     *db,
                                           const char  *register_prefix,
                                           gint64       z_no,
                                           GError     **error);
/* Stored Z reports, newest first, at most limit; tenders and tax_rates
 * are left NULL in the list (load one with joren_zreport_get). */
GPtrArray    *joren_zreport_list      (JorenDb  *db,
                                       guint     limit,
                                       GError  **error);

/* A line voided at the till before payment (joren_sale_remove_line):
 * the UI logs it so the X and Z reports can show voids. Goes to the open
 * session (none: kept without a session). */
gboolean      joren_void_log_add      (JorenDb     *db,
                                       gint64       staff_id,
                                       const char  *name,
                                       gint64       qty,
                                       gint64       amount,
                                       GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenZReport, joren_zreport_free)

G_END_DECLS
