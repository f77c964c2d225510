/* joren-json.h: canonical JSON, the one encoding whose SHA-256 identifies
 * a sync payload. It lives in data/ because the register writes each
 * outbox row (payload and hash) inside the sale's own transaction, and
 * data/ may not depend on sync/; the sync protocol uses the same writer
 * for its bodies. */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

G_BEGIN_DECLS

/* Largest integer a JSON number carries exactly (2^53). */
#define JOREN_JSON_MAX_INT G_GINT64_CONSTANT (9007199254740992)

/* No whitespace, object keys sorted by bytes, integers in decimal,
 * strings escaped only where JSON requires (", \, controls). Fractional
 * numbers, numbers beyond ±2^53, invalid UTF-8 and duplicate keys are
 * JOREN_DATA_ERROR_INVALID: money is integer minor units. */
gboolean  joren_json_write_canonical (GString      *out,
                                      const cJSON  *item,
                                      GError      **error);
/* A JSON string literal, quotes included. */
void      joren_json_write_string    (GString      *out,
                                      const char   *text);
/* The canonical text, or NULL with error. */
char     *joren_json_to_canonical    (const cJSON  *item,
                                      GError      **error);
/* SHA-256 (64 lower-case hex digits) of canonical text. */
char     *joren_json_hash            (const char   *canonical);
/* A number that is a whole number within ±2^53. */
gboolean  joren_json_is_int          (const cJSON  *item);
/* A whole-number member of object, or fallback when it is missing or
 * no integer. */
gint64    joren_json_get_int         (const cJSON  *object,
                                      const char   *name,
                                      gint64        fallback);
/* A string member, or NULL. */
const char *joren_json_get_string    (const cJSON  *object,
                                      const char   *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

G_END_DECLS
