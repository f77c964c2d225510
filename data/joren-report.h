/* joren-report.h: the owner's sales reports. A query names a period of
 * business days (the shop's local calendar days, as stored with every
 * sale) and optionally one store (a register prefix, the part of the
 * receipt number before the dash). Figures come from per-day summary
 * tables (schema 009) that each sale's commit keeps in step (schema 010),
 * so a year over a million sale lines reads a few thousand rows.
 *
 * Money is in minor units. "gross" is what the customer paid for goods
 * (tax included), "net" is gross minus tax. Refunds count negative in
 * the grouped reports (net sales); their own figures are in the summary.
 * Value issues (vouchers sold) are a liability, not revenue, and are
 * left out. Product and category rows split a sale's tax over its lines
 * (rounded per line), so their tax may differ by a unit or two from the
 * day's tax, which is exact. Every function reads only: it may run on a
 * second connection in a worker thread (joren_report_query_async). */
#pragma once

#include <gio/gio.h>

#include "joren-db.h"
#include "joren-money.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_REPORT_BY_DAY,       /* key "2024-05-01" */
  JOREN_REPORT_BY_MONTH,     /* key "2024-05" */
  JOREN_REPORT_BY_HOUR,      /* key "00".."23", local hour of the sale */
  JOREN_REPORT_BY_PRODUCT,   /* key product id ("0": open items), label its name */
  JOREN_REPORT_BY_CATEGORY,  /* key category id ("0": none), label its name */
  JOREN_REPORT_BY_STAFF,     /* key staff id, label the name */
  JOREN_REPORT_BY_STORE,     /* key and label the register prefix */
} JorenReportGrouping;

/* The period, both days included, as "YYYY-MM-DD" business days. store
 * NULL (or "") means every store. Plain data: fill it on the stack. */
typedef struct {
  char        first_day[11];
  char        last_day[11];
  const char *store;
} JorenReportQuery;

/* Period helpers: one day, a calendar month, a calendar year, or any
 * range of GDateTimes (their local dates). Store is set to NULL. */
void  joren_report_query_day    (JorenReportQuery *query, GDateTime *day);
void  joren_report_query_month  (JorenReportQuery *query, int year, int month);
void  joren_report_query_year   (JorenReportQuery *query, int year);
void  joren_report_query_range  (JorenReportQuery *query, GDateTime *first, GDateTime *last);

typedef struct {
  char   *key;     /* stable key, see JorenReportGrouping */
  char   *label;   /* for display (not translated data: names as stored) */
  gint64  count;   /* sales (receipts, refunds not counted); product and
                    * category rows: units sold net of units refunded */
  gint64  net;
  gint64  tax;
  gint64  gross;
} JorenReportRow;

void            joren_report_row_free  (JorenReportRow *row);
JorenReportRow *joren_report_row_new   (const char *key, const char *label);

typedef struct {
  JorenReportGrouping grouping;
  GPtrArray          *rows;    /* JorenReportRow*, in key order (product,
                                * category, staff, store: by gross, highest first) */
  JorenReportRow     *total;   /* the sum of the rows; key "total" */
} JorenReport;

void         joren_report_free   (JorenReport *report);
JorenReport *joren_report_run    (JorenDb                *db,
                                  const JorenReportQuery *query,
                                  JorenReportGrouping     grouping,
                                  GError                **error);

/* Headline figures of a period. */
typedef struct {
  gint64 n_sales;            /* receipts of kind sale */
  gint64 sales_gross;        /* their goods, tax included */
  gint64 n_refunds;
  gint64 refunds_gross;      /* positive */
  gint64 net;                /* (sales - refunds) without tax */
  gint64 tax;
  gint64 gross;              /* sales_gross - refunds_gross */
  gint64 discounts;          /* line and receipt discounts given on sales */
  gint64 n_member_sales;     /* sales with a customer */
  gint64 member_gross;
  gint64 n_anonymous_sales;
  gint64 anonymous_gross;
  gint64 average_basket;     /* sales_gross / n_sales, rounded half up; 0: none */
  guint  member_share_bp;    /* member_gross / sales_gross in basis points */
} JorenReportSummary;

gboolean     joren_report_summary (JorenDb                *db,
                                   const JorenReportQuery *query,
                                   JorenReportSummary     *out,
                                   GError                **error);

/* What the shop owes its customers right now. Points: the sum of every
 * customer's points balance (negative balances count as 0) and its value
 * at the redeem rate (redeem_value per redeem_points, rounded down). */
gboolean     joren_report_points_liability  (JorenDb  *db,
                                             gint64   *out_points,
                                             gint64   *out_value,
                                             GError  **error);
/* Vouchers and prepaid cards: the outstanding balance of value accounts
 * (joren-value.h) when that table exists, else 0. */
gboolean     joren_report_voucher_liability (JorenDb  *db,
                                             gint64   *out_value,
                                             GError  **error);

/* Runs joren_report_run (and the summary) on its own connection to the
 * same file in a worker thread, so the UI stays responsive. */
typedef struct {
  JorenReport        *report;
  JorenReportSummary  summary;
} JorenReportResult;

void               joren_report_result_free  (JorenReportResult *result);
void               joren_report_run_async    (JorenDb                *db,
                                              const JorenReportQuery *query,
                                              JorenReportGrouping     grouping,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data);
JorenReportResult *joren_report_run_finish   (JorenDb       *db,
                                              GAsyncResult  *result,
                                              GError       **error);

/* CSV that spreadsheets open as they are: UTF-8 with a byte order mark,
 * CRLF rows, RFC 4180 quoting, numbers in the C locale ("1234.50" for
 * 123450 minor units of a 2-decimal currency, never grouped). */
typedef struct _JorenCsv JorenCsv;

JorenCsv    *joren_csv_new          (void);
void         joren_csv_free         (JorenCsv *csv);
void         joren_csv_add_text     (JorenCsv *csv, const char *text);  /* NULL: empty */
void         joren_csv_add_int      (JorenCsv *csv, gint64 value);
void         joren_csv_add_money    (JorenCsv *csv, gint64 minor, guint decimals);
void         joren_csv_end_row      (JorenCsv *csv);
GBytes      *joren_csv_free_to_bytes (JorenCsv *csv);

/* A report as CSV: a header row (translated column names), its rows and
 * the total row. decimals: the shop currency's. */
GBytes      *joren_report_to_csv    (const JorenReport *report,
                                     guint              decimals);
/* The summary as two-column CSV (figure, value). */
GBytes      *joren_report_summary_to_csv (const JorenReportSummary *summary,
                                          guint                     decimals);
/* Writes bytes to path atomically (g_file_set_contents). */
gboolean     joren_csv_save         (GBytes      *csv,
                                     const char  *path,
                                     GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenReportRow, joren_report_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenReport, joren_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenReportResult, joren_report_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenCsv, joren_csv_free)

G_END_DECLS
