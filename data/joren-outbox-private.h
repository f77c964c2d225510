/* joren-outbox-private.h: what the outbox and the replica (the pull side)
 * share: the customer profile fields that merge last-write-wins, and
 * their per-field clocks. Not for use outside data/. */
#pragma once

#include "joren-db-private.h"
#include "joren-outbox.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_FIELD_TEXT,
  JOREN_FIELD_BOOL,
  JOREN_FIELD_PHONES,   /* customer_phones, as a sorted array */
} JorenFieldType;

typedef struct {
  const char     *name;   /* customers column and payload key */
  JorenFieldType  type;
} JorenCustomerField;

extern const JorenCustomerField joren_customer_fields[];
extern const guint joren_n_customer_fields;

/* Adds the integer column to an op's payload unless it is NULL. */
void      joren_outbox_add_int_if_set (cJSON        *object,
                                       const char   *name,
                                       sqlite3_stmt *stmt,
                                       int           column);

/* A field's clock: the value (canonical JSON) last sent or received,
 * when it changed and where. value NULL: the field never synced. */
typedef struct {
  char  *value;
  gint64 changed_at;
  gint64 register_id;
} JorenFieldClock;

gboolean  joren_field_clock_read   (JorenDb         *db,
                                    gint64           customer_id,
                                    const char      *field,
                                    JorenFieldClock *out,
                                    GError         **error);
gboolean  joren_field_clock_write  (JorenDb         *db,
                                    gint64           customer_id,
                                    const char      *field,
                                    const char      *value,
                                    gint64           changed_at,
                                    gint64           register_id,
                                    GError         **error);
/* Keeps a value that lost a last-write-wins race. */
gboolean  joren_field_history_add  (JorenDb         *db,
                                    gint64           customer_id,
                                    const char      *field,
                                    const char      *value,
                                    gint64           changed_at,
                                    gint64           register_id,
                                    GError         **error);
/* The field's current value in the customer's row, as JSON. */
cJSON    *joren_customer_field_get (JorenDb                  *db,
                                    gint64                    customer_id,
                                    const JorenCustomerField *field,
                                    GError                  **error);
gint64    joren_outbox_state_get   (JorenDb    *db,
                                    const char *key);
gboolean  joren_outbox_state_set   (JorenDb    *db,
                                    const char *key,
                                    gint64      value,
                                    GError    **error);
/* Queues an op of kind (its payload made canonical) in the caller's
 * transaction, taking the next sequence number. */
gboolean  joren_outbox_add_op      (JorenDb     *db,
                                    const char  *kind,
                                    const cJSON *payload,
                                    GError     **error);
/* The local id of a customer uuid (following merges), created from
 * what is known when the register has not seen it yet (data may be
 * NULL: a customer change still to come fills it in). */
gint64    joren_replica_ensure_customer (JorenDb     *db,
                                         const char  *uuid,
                                         const cJSON *data,
                                         GError     **error);

G_END_DECLS
