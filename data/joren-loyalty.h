/* joren-loyalty.h: the loyalty chores of a day's end: points expire,
 * count cards expire, tiers move up and down with the trailing spend.
 * Run when the cash drawer is closed, and at start-up when the last run
 * was on an earlier business day (a till switched off without closing). */
#pragma once

#include "joren-db.h"

G_BEGIN_DECLS

/* Expires points (joren_points_expire) and count cards
 * (joren_punch_expire), updates the tiers, and remembers the business
 * day of now (NULL: the current time) in loyalty.last_day_close. Safe to
 * run twice: nothing expires twice. */
gboolean  joren_loyalty_day_close       (JorenDb    *db,
                                         GDateTime  *now,
                                         GError    **error);
/* Runs the day close when loyalty.last_day_close is missing or an
 * earlier business day than now's. *out_ran: whether it ran. */
gboolean  joren_loyalty_catch_up        (JorenDb    *db,
                                         GDateTime  *now,
                                         gboolean   *out_ran,
                                         GError    **error);
/* The business day (local "YYYY-MM-DD") the day close last ran, or NULL. */
char     *joren_loyalty_get_last_day_close (JorenDb *db);

G_END_DECLS
