/* joren-sync-protocol.h: the sync wire format (API v1), shared by the
 * register's client and joren-server so both sides read and write the
 * same JSON: ops pushed through the outbox, per-op results, the changes
 * feed, and the canonical encoding whose SHA-256 identifies a payload.
 * Decoding is strict (unknown fields, wrong types and non-integer
 * numbers are errors) because a silently ignored field in a money
 * protocol is a lost fact. */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

#include "joren-json.h"
#include "joren-json-arena.h"
#include "joren-types.h"

G_BEGIN_DECLS

#define JOREN_SYNC_ERROR (joren_sync_error_quark ())

typedef enum {
  JOREN_SYNC_ERROR_FAILED,
  JOREN_SYNC_ERROR_INVALID,          /* malformed JSON, wrong type, unknown field */
  JOREN_SYNC_ERROR_NETWORK,          /* no connection: nothing reached the server */
  JOREN_SYNC_ERROR_UNKNOWN_OUTCOME,  /* timeout or cut mid-request: retry the same ops */
  JOREN_SYNC_ERROR_UNAUTHORIZED,     /* no, wrong or revoked token; used pairing code */
  JOREN_SYNC_ERROR_REFUSED,          /* any other 4xx */
  JOREN_SYNC_ERROR_SERVER,           /* 5xx */
} JorenSyncError;

GQuark joren_sync_error_quark (void);

/* Largest integer a JSON number carries exactly (2^53). */
#define JOREN_SYNC_MAX_INT G_GINT64_CONSTANT (9007199254740992)
#define JOREN_SYNC_MAX_OPS 1000

/* One outbox entry. The payload hash is the SHA-256 (hex) of the
 * payload's canonical encoding: the server compares it to tell a replay
 * (same op id, same hash) from a conflict (same op id, other payload). */
typedef struct {
  char  *op_id;         /* random UUID, lower case */
  gint64 seq;           /* the register's gapless sequence, from 1 */
  char  *kind;          /* "sale", "customer", "points", "value", "coupon", "punch",
                           "coupon_campaign", "coupon_codes" */
  cJSON *payload;       /* an object */
  char  *payload_hash;  /* 64 hex digits */
} JorenSyncOp;

/* Takes ownership of payload and computes its hash. NULL when the
 * payload cannot be encoded canonically (a non-integer number). */
JorenSyncOp *joren_sync_op_new        (const char *op_id,
                                       gint64      seq,
                                       const char *kind,
                                       cJSON      *payload,
                                       GError    **error);
void         joren_sync_op_free       (JorenSyncOp *op);

/* Canonical JSON: no whitespace, object keys sorted by bytes, integers
 * in decimal, strings escaped only where JSON requires (", \, controls).
 * Fractional numbers are refused: money is integer minor units. */
gboolean     joren_sync_write_canonical (GString      *out,
                                         const cJSON  *item,
                                         GError      **error);
char        *joren_sync_hash_payload  (const cJSON *payload,
                                       GError     **error);
gboolean     joren_sync_is_uuid       (const char *text);

/* One JSON value filling the whole body (whitespace aside): trailing
 * data is an error, not ignored. */
cJSON       *joren_sync_parse_json    (const char *body,
                                       gsize       length,
                                       GError    **error);

/* {"ops":[...]} */
char        *joren_sync_encode_ops    (GPtrArray *ops);
/* Strict: envelope fields, op ids, sequences, the payload hash
 * recomputed and compared. Returns JorenSyncOp*. */
GPtrArray   *joren_sync_decode_ops    (const char *body,
                                       gsize       length,
                                       GError    **error);

typedef enum {
  JOREN_SYNC_APPLIED,
  JOREN_SYNC_DUPLICATE,
  JOREN_SYNC_REJECTED,
} JorenSyncStatus;

typedef struct {
  char           *op_id;
  JorenSyncStatus status;
  char           *reason;        /* REJECTED: "sequence_gap", "op_id_conflict" ... */
  char           *message;       /* REJECTED: for a person */
  gint64          expected_seq;  /* "sequence_gap": the next number the server expects */
} JorenSyncResult;

void             joren_sync_result_free     (JorenSyncResult *result);
const char      *joren_sync_status_to_string (JorenSyncStatus status);
gboolean         joren_sync_status_from_string (const char      *text,
                                                JorenSyncStatus *out);
/* {"results":[...],"next_seq":N} */
char            *joren_sync_encode_results  (GPtrArray *results,
                                             gint64     next_seq);
GPtrArray       *joren_sync_decode_results  (const char *body,
                                             gsize       length,
                                             gint64     *next_seq,
                                             GError    **error);

/* The sale an op of kind "sale" carries: a committed fact. Money in
 * minor units; created_at in unix microseconds UTC. */
typedef struct {
  gint64 product_id;   /* 0: open item */
  char  *name;
  gint64 qty;
  gint64 unit_price;
  gint64 amount;
  gint64 rate_bp;
} JorenSyncSaleLine;

typedef struct {
  char   *kind;        /* "cash", "card", "other", "points", "voucher", "account" */
  gint64  amount;
} JorenSyncTender;

typedef struct {
  char   *uuid;
  char   *receipt_no;
  gint64  created_at;
  gint64  staff_id;
  gint64  total;
  gint64  tax_total;
  GArray *lines;       /* JorenSyncSaleLine */
  GArray *tenders;     /* JorenSyncTender */
  char   *customer_uuid; /* the member, or NULL */
} JorenSyncSale;

void           joren_sync_sale_free       (JorenSyncSale *sale);
/* Strict: every field present with its type, at least one line. */
JorenSyncSale *joren_sync_sale_from_json  (const cJSON *payload,
                                           GError     **error);
/* The payload for a committed domain sale (uuid, receipt number set). */
cJSON         *joren_sync_sale_to_json    (JorenSale *sale);

/* One entry of the changes feed: an upsert carries the whole entity,
 * a deletion only its entity name and id. It lives in its page's arena
 * (sync/joren-json-arena.c), data included: read-only, freed with the
 * page. */
typedef struct {
  gint64      cursor;
  const char *entity;  /* "product", "category", "tax_class", "staff" */
  gint64      id;
  gboolean    deleted;
  cJSON      *data;    /* NULL when deleted; never cJSON_Delete it */
} JorenSyncChange;

typedef struct {
  GPtrArray      *changes;  /* JorenSyncChange* in cursor order */
  gint64          cursor;   /* pass as since= next time */
  gboolean        more;     /* another page is ready now */
  JorenJsonArena *arena;    /* holds the changes */
} JorenSyncChanges;

void              joren_sync_changes_free  (JorenSyncChanges *changes);
JorenSyncChanges *joren_sync_decode_changes (const char *body,
                                             gsize       length,
                                             GError    **error);

/* Strict field checking for the JSON objects of this protocol. */
typedef enum {
  JOREN_SYNC_FIELD_STRING,
  JOREN_SYNC_FIELD_INT,
  JOREN_SYNC_FIELD_BOOL,
  JOREN_SYNC_FIELD_OBJECT,
  JOREN_SYNC_FIELD_ARRAY,
} JorenSyncFieldType;

typedef struct {
  const char        *name;
  JorenSyncFieldType type;
  gboolean           required;
} JorenSyncField;

gboolean     joren_sync_check_object  (const cJSON          *object,
                                       const char           *what,
                                       const JorenSyncField *fields,
                                       guint                 n_fields,
                                       GError              **error);
/* An integer member (checked by joren_sync_check_object) or fallback. */
gint64       joren_sync_get_int       (const cJSON *object,
                                       const char  *name,
                                       gint64       fallback);
const char  *joren_sync_get_string    (const cJSON *object,
                                       const char  *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenSyncOp, joren_sync_op_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenSyncResult, joren_sync_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenSyncSale, joren_sync_sale_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenSyncChanges, joren_sync_changes_free)

G_END_DECLS
