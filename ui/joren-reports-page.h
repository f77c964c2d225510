/* joren-reports-page.h: the back office's sales reports: a period and a
 * grouping, the headline figures (sales, average basket, member share,
 * points and voucher liability), a chart and a table of the rows with
 * their total, and CSV export. The report runs on a worker thread
 * (joren_report_run_async) while a spinner turns. */
#pragma once

#include <gtk/gtk.h>

#include "joren-chart.h"
#include "joren-db.h"
#include "joren-period-picker.h"
#include "joren-report.h"

G_BEGIN_DECLS

/* One table row (a JorenReportRow, or the total row last). */
#define JOREN_TYPE_REPORT_ITEM (joren_report_item_get_type ())
G_DECLARE_FINAL_TYPE (JorenReportItem, joren_report_item, JOREN, REPORT_ITEM, GObject)

const JorenReportRow *joren_report_item_get_row      (JorenReportItem *self);
gboolean              joren_report_item_get_is_total (JorenReportItem *self);

#define JOREN_TYPE_REPORTS_PAGE (joren_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (JorenReportsPage, joren_reports_page, JOREN, REPORTS_PAGE, GtkWidget)

GtkWidget         *joren_reports_page_new          (void);
/* Remembers db and shop and runs the report again. */
void               joren_reports_page_set_db       (JorenReportsPage   *self,
                                                    JorenDb            *db,
                                                    const JorenShop    *shop);
void               joren_reports_page_set_grouping (JorenReportsPage   *self,
                                                    JorenReportGrouping grouping);
void               joren_reports_page_refresh      (JorenReportsPage   *self);
/* TRUE while a report runs on the worker thread. */
gboolean           joren_reports_page_is_busy      (JorenReportsPage   *self);
/* The last finished report, or NULL. */
const JorenReport *joren_reports_page_get_report   (JorenReportsPage   *self);
/* The table: JorenReportItem, the rows then the total. */
GListModel        *joren_reports_page_get_model    (JorenReportsPage   *self);
JorenChart        *joren_reports_page_get_chart    (JorenReportsPage   *self);
JorenPeriodPicker *joren_reports_page_get_period_picker (JorenReportsPage *self);
/* Writes the shown report as CSV (UTF-8 with BOM) to path. */
gboolean           joren_reports_page_export       (JorenReportsPage   *self,
                                                    const char         *path,
                                                    GError            **error);

G_END_DECLS
