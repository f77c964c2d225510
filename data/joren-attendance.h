/* joren-attendance.h: staff administration beyond joren-staff.h (role
 * changes, PIN reset, renaming, staff cards) and time clocking. A staff
 * card is a code (barcode, QR or RFID UID) that signs its holder in at
 * the till or clocks them in and out; a PIN does the same through
 * joren_staff_sign_in. Clocking toggles: the next event after "in" is
 * "out". The attendance report pairs them per staff per local day:
 * first in, last out, hours worked (the sum of in -> out spans) and
 * breaks (the gaps between an out and the next in that day). A shift
 * still open counts up to now. Staff performance puts each staff
 * member's sales next to their hours. */
#pragma once

#include "joren-db.h"
#include "joren-staff.h"

G_BEGIN_DECLS

/* --- staff administration -------------------------------------------- */

gboolean    joren_staff_set_role      (JorenDb     *db,
                                       gint64       staff_id,
                                       JorenRole    role,
                                       GError     **error);
gboolean    joren_staff_rename        (JorenDb     *db,
                                       gint64       staff_id,
                                       const char  *name,
                                       GError     **error);
/* A manager sets a new PIN (4 to 8 digits) and lifts a lock-out. */
gboolean    joren_staff_reset_pin     (JorenDb     *db,
                                       gint64       staff_id,
                                       const char  *pin,
                                       GError     **error);
/* Deactivating keeps the staff member's sales and attendance; their
 * cards stop working. Same as joren_staff_set_active (db, id, FALSE). */
gboolean    joren_staff_deactivate    (JorenDb     *db,
                                       gint64       staff_id,
                                       GError     **error);
/* Gives a card to a staff member. EXISTS when the code belongs to
 * someone (staff or customer card). */
gboolean    joren_staff_add_card      (JorenDb     *db,
                                       gint64       staff_id,
                                       const char  *code,
                                       GError     **error);
gboolean    joren_staff_remove_card   (JorenDb     *db,
                                       const char  *code,
                                       GError     **error);
/* The codes of a staff member's cards (char*). */
GPtrArray  *joren_staff_list_cards    (JorenDb     *db,
                                       gint64       staff_id,
                                       GError     **error);
/* Signs in by card: the active staff member holding code. NOT_FOUND for
 * an unknown code, PERMISSION for a deactivated holder. */
JorenStaff *joren_staff_find_by_card  (JorenDb     *db,
                                       const char  *code,
                                       GError     **error);

/* --- clocking ---------------------------------------------------------- */

typedef enum {
  JOREN_CLOCK_IN,
  JOREN_CLOCK_OUT,
} JorenClockKind;

typedef enum {
  JOREN_CLOCK_BY_CARD,
  JOREN_CLOCK_BY_PIN,
  JOREN_CLOCK_BY_MANAGER,   /* corrected in the back office */
} JorenClockMethod;

typedef struct {
  gint64           id;
  gint64           staff_id;
  char            *staff_name;
  JorenClockKind   kind;
  JorenClockMethod method;
  GDateTime       *at;
} JorenClockEvent;

void             joren_clock_event_free       (JorenClockEvent *event);

/* Clocks the card's holder in, or out when they are in. */
JorenClockEvent *joren_attendance_clock_card  (JorenDb     *db,
                                               const char  *code,
                                               GError     **error);
/* The same after checking the PIN (WRONG_PIN, LOCKED as for sign-in). */
JorenClockEvent *joren_attendance_clock_pin   (JorenDb     *db,
                                               gint64       staff_id,
                                               const char  *pin,
                                               GError     **error);
/* A manager's entry or correction at a given time (at NULL: now). */
JorenClockEvent *joren_attendance_clock_at    (JorenDb          *db,
                                               gint64            staff_id,
                                               JorenClockKind    kind,
                                               GDateTime        *at,
                                               GError          **error);
/* *out_in: whether the staff member's last event is "in". */
gboolean         joren_attendance_is_in       (JorenDb     *db,
                                               gint64       staff_id,
                                               gboolean    *out_in,
                                               GError     **error);

typedef struct {
  gint64      staff_id;
  char       *staff_name;
  char        day[11];      /* local "YYYY-MM-DD" of the clock-in */
  GDateTime  *first_in;
  GDateTime  *last_out;     /* NULL: still in */
  gint64      worked_us;    /* microseconds between in and out, summed */
  gint64      break_us;     /* gaps between out and the next in that day */
  guint       n_breaks;
} JorenAttendanceDay;

void        joren_attendance_day_free  (JorenAttendanceDay *day);
/* Per staff per day over [first_day, last_day] ("YYYY-MM-DD" local days,
 * both included); staff_id 0: everyone. Ordered by day, then staff name.
 * now NULL: the current time (for shifts still open). */
GPtrArray  *joren_attendance_report    (JorenDb     *db,
                                        const char  *first_day,
                                        const char  *last_day,
                                        gint64       staff_id,
                                        GDateTime   *now,
                                        GError     **error);
/* The report as CSV (joren-report.h rules): staff, day, in, out (local
 * HH:MM), hours and breaks as decimal hours ("7.50"). */
GBytes     *joren_attendance_to_csv    (GPtrArray *days);

typedef struct {
  gint64  staff_id;
  char   *staff_name;
  gint64  n_sales;         /* receipts taken */
  gint64  gross;           /* goods sold minus refunded, tax included */
  gint64  average_basket;  /* sales gross / n_sales */
  gint64  n_refunds;
  gint64  worked_us;       /* clocked time in the period */
  gint64  gross_per_hour;  /* gross per hour worked; 0 without hours */
} JorenStaffPerformance;

void        joren_staff_performance_free (JorenStaffPerformance *perf);
/* Every staff member with sales or hours in the period, by gross,
 * highest first. */
GPtrArray  *joren_attendance_performance (JorenDb     *db,
                                          const char  *first_day,
                                          const char  *last_day,
                                          GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenClockEvent, joren_clock_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenAttendanceDay, joren_attendance_day_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenStaffPerformance, joren_staff_performance_free)

G_END_DECLS
