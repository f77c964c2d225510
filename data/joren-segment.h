/* joren-segment.h: groups of customers to reach out to. Ready segments
 * (best customers, lapsed, birthdays this month, first-time visitors,
 * members of a tier) are presets of one filter; the filter builder sets
 * any combination of conditions, and each combination compiles to ONE
 * prepared statement whose values are all bound parameters (no value is
 * ever pasted into SQL). A visit is a sale (not a refund) with the
 * customer; spend is sales minus refunds. First and last visit and the
 * visit count come from a per-customer summary kept by a trigger on
 * sales (schema 009), so "lapsed" is an index range, not a scan of every
 * sale. Results are customer ids, paged, with the total count. */
#pragma once

#include <gio/gio.h>

#include "joren-db.h"

G_BEGIN_DECLS

/* Which conditions of a JorenSegmentFilter apply (a bit mask). */
typedef enum {
  JOREN_SEGMENT_SPEND_MIN          = 1 << 0,  /* spend in period >= spend_min */
  JOREN_SEGMENT_SPEND_MAX          = 1 << 1,  /* spend in period <= spend_max */
  JOREN_SEGMENT_VISITS_MIN         = 1 << 2,  /* visits in period >= visits_min */
  JOREN_SEGMENT_VISITS_MAX         = 1 << 3,  /* visits in period <= visits_max */
  JOREN_SEGMENT_LAST_VISIT_BEFORE  = 1 << 4,  /* visited, last visit < last_visit_before */
  JOREN_SEGMENT_LAST_VISIT_AFTER   = 1 << 5,  /* last visit >= last_visit_after */
  JOREN_SEGMENT_BOUGHT_PRODUCT     = 1 << 6,  /* bought product_id in period */
  JOREN_SEGMENT_BOUGHT_CATEGORY    = 1 << 7,  /* bought from category_id in period */
  JOREN_SEGMENT_TIER               = 1 << 8,  /* customers.tier = tier */
  JOREN_SEGMENT_STORE              = 1 << 9,  /* registered at store */
  JOREN_SEGMENT_BIRTHDAY_MONTH     = 1 << 10, /* birthday in birthday_month */
  JOREN_SEGMENT_FIRST_VISIT_IN_PERIOD = 1 << 11, /* first ever visit in period */
  /* Consent (customers who agreed to be reached this way). */
  JOREN_SEGMENT_CONSENT_EMAIL      = 1 << 12,
  JOREN_SEGMENT_CONSENT_POST       = 1 << 13,
  JOREN_SEGMENT_CONSENT_SMS        = 1 << 14,
} JorenSegmentCondition;

typedef enum {
  JOREN_SEGMENT_ORDER_ID,          /* customer id, ascending */
  JOREN_SEGMENT_ORDER_SPEND,       /* spend in period, highest first, then id */
  JOREN_SEGMENT_ORDER_LAST_VISIT,  /* last visit, oldest first, then id */
} JorenSegmentOrder;

/* Plain data, zero-initialise and fill. Times are borrowed. The period
 * [period_from, period_to) bounds spend, visits, bought and first visit;
 * NULL ends are open (all time). */
typedef struct {
  guint              conditions;   /* JorenSegmentCondition bits */
  GDateTime         *period_from;
  GDateTime         *period_to;
  gint64             spend_min;
  gint64             spend_max;
  gint64             visits_min;
  gint64             visits_max;
  GDateTime         *last_visit_before;
  GDateTime         *last_visit_after;
  gint64             product_id;
  gint64             category_id;
  guint              tier;
  const char        *store;
  guint              birthday_month;  /* 1..12 */
  JorenSegmentOrder  order;
  /* With LAST_VISIT_BEFORE and last_visit_before NULL, the cut-off is
   * lapsed_days before now (NULL: the time the filter runs); set by
   * joren_segment_preset_lapsed. */
  guint              lapsed_days;
  GDateTime         *now;
  /* > 0: only the first top_n customers of the order (before consent is
   * applied: "our 100 best, of whom those who agreed to mail", never the
   * 101st instead of one who did not); 0: no cap. */
  guint              top_n;
} JorenSegmentFilter;

/* A copy that owns its times and store (for a worker thread); clear
 * frees them. */
void  joren_segment_filter_copy  (JorenSegmentFilter       *dest,
                                  const JorenSegmentFilter *src);
void  joren_segment_filter_clear (JorenSegmentFilter       *filter);

typedef struct {
  GArray  *ids;     /* gint64 customer ids of this page */
  guint64  total;   /* customers in the whole segment */
} JorenSegmentPage;

void              joren_segment_page_free  (JorenSegmentPage *page);

/* Runs the filter: the page [offset, offset + limit) of the ordered
 * segment, and its total. limit 0: every customer. */
JorenSegmentPage *joren_segment_run        (JorenDb                  *db,
                                            const JorenSegmentFilter *filter,
                                            guint                     offset,
                                            guint                     limit,
                                            GError                  **error);

/* Ready segments: presets that fill filter (consent bits the caller
 * adds stay as given). now NULL: the current time. */
/* Best customers: spend over [from, to), highest first; set top_n
 * (or joren_segment_preset_best_top) for "the best N". */
void  joren_segment_preset_best       (JorenSegmentFilter *filter,
                                       GDateTime          *from,
                                       GDateTime          *to);
/* The best top_n customers by spend over [from, to). */
void  joren_segment_preset_best_top   (JorenSegmentFilter *filter,
                                       GDateTime          *from,
                                       GDateTime          *to,
                                       guint               top_n);
/* Lapsed: visited before, but not in the last days days. */
void  joren_segment_preset_lapsed     (JorenSegmentFilter *filter,
                                       GDateTime          *now,
                                       guint               days);
/* Birthdays in now's month (local). */
void  joren_segment_preset_birthdays  (JorenSegmentFilter *filter,
                                       GDateTime          *now);
/* First-time visitors: their first visit falls in [from, to) and they
 * came exactly once in it. */
void  joren_segment_preset_first_time (JorenSegmentFilter *filter,
                                       GDateTime          *from,
                                       GDateTime          *to);
void  joren_segment_preset_tier       (JorenSegmentFilter *filter,
                                       guint               tier);

/* The stores customers were registered at (for the filter's store
 * picker), sorted; NULL-terminated. */
GStrv             joren_segment_list_stores (JorenDb  *db,
                                             GError  **error);

/* The same in a worker thread on its own connection. */
void              joren_segment_run_async  (JorenDb                  *db,
                                            const JorenSegmentFilter *filter,
                                            guint                     offset,
                                            guint                     limit,
                                            GCancellable             *cancellable,
                                            GAsyncReadyCallback       callback,
                                            gpointer                  user_data);
JorenSegmentPage *joren_segment_run_finish (JorenDb       *db,
                                            GAsyncResult  *result,
                                            GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenSegmentPage, joren_segment_page_free)

G_END_DECLS
