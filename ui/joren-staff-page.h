/* joren-staff-page.h: the back office's staff page. Staff: the list,
 * add and edit (name, role), PIN reset (typed twice on a keypad), staff
 * cards (scanned) and deactivation. Attendance: per staff per day, in,
 * out and hours for the chosen period. Performance: sales per staff
 * member with a bar chart. */
#pragma once

#include <gtk/gtk.h>

#include "joren-chart.h"
#include "joren-db.h"
#include "joren-period-picker.h"

G_BEGIN_DECLS

#define JOREN_TYPE_STAFF_PAGE (joren_staff_page_get_type ())
G_DECLARE_FINAL_TYPE (JorenStaffPage, joren_staff_page, JOREN, STAFF_PAGE, GtkWidget)

GtkWidget         *joren_staff_page_new                (void);
void               joren_staff_page_set_db             (JorenStaffPage  *self,
                                                        JorenDb         *db,
                                                        const JorenShop *shop);
/* "staff", "attendance" or "performance". */
void               joren_staff_page_show_tab           (JorenStaffPage  *self,
                                                        const char      *tab);
/* Reads attendance and performance for the picked period again. */
void               joren_staff_page_reload             (JorenStaffPage  *self);
/* JorenAttendanceDay* shown; JorenStaffPerformance* shown. */
GPtrArray         *joren_staff_page_get_attendance     (JorenStaffPage  *self);
GPtrArray         *joren_staff_page_get_performance    (JorenStaffPage  *self);
JorenChart        *joren_staff_page_get_chart          (JorenStaffPage  *self);
JorenPeriodPicker *joren_staff_page_get_period_picker  (JorenStaffPage  *self);
/* Selects a staff member for editing (as tapping their row). */
gboolean           joren_staff_page_select             (JorenStaffPage  *self,
                                                        gint64           staff_id);

G_END_DECLS
