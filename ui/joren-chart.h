/* joren-chart.h: a small bar or line chart for the back office (sales by
 * day, by product, per staff member). Values are gint64: money in minor
 * units when a currency is set (axis labels "¥12,000"), plain counts
 * otherwise (grouped "12,000"). It draws into whatever size it gets:
 * labels that do not fit are thinned out or shortened, never spilled. */
#pragma once

#include <gtk/gtk.h>

#include "joren-money.h"

G_BEGIN_DECLS

#define JOREN_TYPE_CHART (joren_chart_get_type ())
G_DECLARE_FINAL_TYPE (JorenChart, joren_chart, JOREN, CHART, GtkWidget)

typedef enum {
  JOREN_CHART_BARS,
  JOREN_CHART_LINE,
} JorenChartKind;

GtkWidget     *joren_chart_new          (void);
void           joren_chart_set_kind     (JorenChart          *self,
                                         JorenChartKind       kind);
JorenChartKind joren_chart_get_kind     (JorenChart          *self);
/* NULL: the values are counts, not money. */
void           joren_chart_set_currency (JorenChart          *self,
                                         const JorenCurrency *currency);
/* labels[i] (may be NULL) names values[i]; both are copied. n 0 clears. */
void           joren_chart_set_data     (JorenChart          *self,
                                         guint                n,
                                         const char *const   *labels,
                                         const gint64        *values);
/* How many bars (or line points) the chart shows. */
guint          joren_chart_get_n_values (JorenChart          *self);
gint64         joren_chart_get_value    (JorenChart          *self,
                                         guint                index);

G_END_DECLS
