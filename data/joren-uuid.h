/* joren-uuid.h: identifiers for rows that sync (sales, outbox ops). Pure:
 * no SQL. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A random UUID (RFC 9562 version 7) whose first 48 bits are the time in
 * milliseconds: rows keyed by it arrive in order, so a unique index on
 * it grows at its end instead of splitting pages anywhere in it. */
char *joren_uuid_new_ordered (void);

G_END_DECLS
