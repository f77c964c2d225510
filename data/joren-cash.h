/* joren-cash.h: the cash drawer session: opened with a float, closed with
 * the counted cash; expected cash is the float plus cash taken minus
 * change given and cash refunded. Enough for the Z report to come. */
#pragma once

#include "joren-db.h"

G_BEGIN_DECLS

struct _JorenCashSession {
  gint64     id;
  gint64     opened_by;
  GDateTime *opened_at;
  gint64     opening_float;
  gint64     closed_by;      /* 0 while open */
  GDateTime *closed_at;      /* NULL while open */
  gint64     counted;        /* when closed */
  /* figures so far (live while open) */
  gint64     cash_in;        /* cash tenders net of change */
  gint64     cash_out;       /* cash paid out on refunds (positive) */
  gint64     card_total;
  gint64     other_total;
  gint64     sales_total;    /* sum of sale totals */
  gint64     refunds_total;  /* sum of refund totals (positive) */
  gint64     n_sales;
  gint64     n_refunds;
  gint64     expected;       /* float + cash_in - cash_out */
};

void              joren_cash_session_free    (JorenCashSession *session);
/* Fails with EXISTS when one is already open. */
JorenCashSession *joren_cash_session_open    (JorenDb *db, gint64 staff_id,
                                              gint64 opening_float, GError **error);
/* NO_SESSION when none is open. */
JorenCashSession *joren_cash_session_current (JorenDb *db, GError **error);
JorenCashSession *joren_cash_session_close   (JorenDb *db, gint64 staff_id,
                                              gint64 counted, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenCashSession, joren_cash_session_free)

G_END_DECLS
