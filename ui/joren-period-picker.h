/* joren-period-picker.h: the row of big buttons the back office uses to
 * pick a reporting period: today, this week (from Monday), this month,
 * this year, or a custom range chosen on two calendars. It hands out a
 * JorenReportQuery (joren-report.h) and says "changed" when it moves. */
#pragma once

#include <gtk/gtk.h>

#include "joren-report.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_PERIOD_TODAY,
  JOREN_PERIOD_WEEK,
  JOREN_PERIOD_MONTH,
  JOREN_PERIOD_YEAR,
  JOREN_PERIOD_CUSTOM,
} JorenPeriod;

#define JOREN_TYPE_PERIOD_PICKER (joren_period_picker_get_type ())
G_DECLARE_FINAL_TYPE (JorenPeriodPicker, joren_period_picker, JOREN, PERIOD_PICKER, GtkWidget)

GtkWidget  *joren_period_picker_new        (void);
JorenPeriod joren_period_picker_get_period (JorenPeriodPicker *self);
void        joren_period_picker_set_period (JorenPeriodPicker *self,
                                            JorenPeriod        period);
/* A custom range (local dates, both included); selects CUSTOM. */
void        joren_period_picker_set_range  (JorenPeriodPicker *self,
                                            GDateTime         *first,
                                            GDateTime         *last);
/* The selected period as of now; store NULL. */
void        joren_period_picker_get_query  (JorenPeriodPicker *self,
                                            JorenReportQuery  *out);
/* A period as of now (any period but CUSTOM). */
void        joren_period_fill_query        (JorenPeriod        period,
                                            GDateTime         *now,
                                            JorenReportQuery  *out);

G_END_DECLS
