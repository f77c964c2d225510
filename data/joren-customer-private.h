/* joren-customer-private.h: what the sync applier (joren-replica.c) and
 * the tests need of the customer records beyond the public API. Nothing
 * outside data/ and tests/ includes it. */
#pragma once

#include "joren-customer.h"

G_BEGIN_DECLS

/* The pick lists' statements, for the test that checks their plans:
 * one range scan of one covering index each (last-4: ?1 the digits;
 * name: ?1..?2 the name range, ?3..?4 the reading range, ?5 the limit). */
extern const char joren_customer_last4_sql[];
extern const char joren_customer_name_sql[];

/* Rewrites the copies the pick lists read (013-pick.sql) for one
 * customer: its name, reading and member number on its phones, and the
 * phone its row shows. Triggers keep them everywhere else; the applier
 * calls this where it runs with triggers off. */
gboolean joren_customer_refresh_pick (JorenDb  *db,
                                      gint64    customer_id,
                                      GError  **error);

G_END_DECLS
