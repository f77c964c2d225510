/* joren-sync-protocol.c: encoding and strict decoding of the sync API's
 * JSON. Requests and answers are written with the canonical writer, so
 * a body is byte-for-byte what hashing sees; they are read with cJSON
 * (a page of the changes feed with joren-json-arena, into cJSON's nodes)
 * and checked field by field against a table before anything is used. */
#include "config.h"

#include <string.h>

#include "joren-json.h"
#include "joren-outbox.h"
#include "joren-sale.h"
#include "joren-sync-protocol.h"

G_DEFINE_QUARK (joren-sync-error-quark, joren_sync_error)

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (JOREN_SYNC_ERROR,
                                                JOREN_SYNC_ERROR_INVALID,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* ---- canonical encoding (data/joren-json.c) ---- */

static void
write_string (GString    *out,
              const char *text)
{
  joren_json_write_string (out, text);
}

/* The same writer as the outbox's, errors in this layer's domain. */
gboolean
joren_sync_write_canonical (GString      *out,
                            const cJSON  *item,
                            GError      **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  if (joren_json_write_canonical (out, item, &local))
    return TRUE;
  return invalid (error, "%s", local->message);
}

char *
joren_sync_hash_payload (const cJSON *payload,
                         GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (payload != NULL, NULL);

  if (!joren_sync_write_canonical (text, payload, error))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text->str, text->len);
}

gboolean
joren_sync_is_uuid (const char *text)
{
  if (text == NULL || strlen (text) != 36 || !g_uuid_string_is_valid (text))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* ---- strict field checking ---- */

static gboolean
has_type (const cJSON       *item,
          JorenSyncFieldType type)
{
  switch (type)
    {
    case JOREN_SYNC_FIELD_STRING: return cJSON_IsString (item);
    case JOREN_SYNC_FIELD_INT: return joren_json_is_int (item);
    case JOREN_SYNC_FIELD_BOOL: return cJSON_IsBool (item);
    case JOREN_SYNC_FIELD_OBJECT: return cJSON_IsObject (item);
    case JOREN_SYNC_FIELD_ARRAY: return cJSON_IsArray (item);
    default: g_assert_not_reached ();
    }
}

static const char *
type_name (JorenSyncFieldType type)
{
  static const char *const names[] = { "a string", "an integer", "true or false",
                                       "an object", "an array" };
  return names[type];
}

static const JorenSyncField *
find_field (const JorenSyncField *fields,
            guint                 n_fields,
            const char           *name)
{
  for (guint i = 0; i < n_fields; i++)
    if (strcmp (fields[i].name, name) == 0)
      return &fields[i];
  return NULL;
}

gboolean
joren_sync_check_object (const cJSON          *object,
                         const char           *what,
                         const JorenSyncField *fields,
                         guint                 n_fields,
                         GError              **error)
{
  const cJSON *member;

  g_return_val_if_fail (what != NULL, FALSE);

  if (!cJSON_IsObject (object))
    return invalid (error, "%s must be a JSON object", what);
  cJSON_ArrayForEach (member, object)
    {
      const JorenSyncField *field = find_field (fields, n_fields, member->string);

      if (field == NULL)
        return invalid (error, "%s: unknown field \"%s\"", what, member->string);
      if (!has_type (member, field->type))
        return invalid (error, "%s: \"%s\" must be %s", what, field->name, type_name (field->type));
      if (cJSON_GetObjectItemCaseSensitive (object, member->string) != member)
        return invalid (error, "%s: duplicate field \"%s\"", what, member->string);
    }
  for (guint i = 0; i < n_fields; i++)
    if (fields[i].required && cJSON_GetObjectItemCaseSensitive (object, fields[i].name) == NULL)
      return invalid (error, "%s: missing field \"%s\"", what, fields[i].name);
  return TRUE;
}

gint64
joren_sync_get_int (const cJSON *object,
                    const char  *name,
                    gint64       fallback)
{
  return joren_json_get_int (object, name, fallback);
}

const char *
joren_sync_get_string (const cJSON *object,
                       const char  *name)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive (object, name);

  return cJSON_IsString (item) ? item->valuestring : NULL;
}

/* Whether a parser that stopped at end read a JSON value (parsed) and
 * nothing but whitespace after it. */
static gboolean
check_parsed (const char  *body,
              gsize        length,
              gboolean     parsed,
              gsize        end,
              GError     **error)
{
  if (!parsed)
    return invalid (error, "malformed JSON near byte %" G_GSIZE_FORMAT, end);
  while (end < length && g_ascii_isspace (body[end]))
    end++;
  if (end != length)
    return invalid (error, "trailing data after the JSON value at byte %" G_GSIZE_FORMAT, end);
  return TRUE;
}

static gboolean
check_not_empty (const char  *body,
                 gsize        length,
                 GError     **error)
{
  return (body != NULL && length > 0)
         || invalid (error, "the request body is empty; expected a JSON object");
}

cJSON *
joren_sync_parse_json (const char *body,
                       gsize       length,
                       GError    **error)
{
  const char *end = NULL;
  g_autoptr(cJSON) json = NULL;

  if (!check_not_empty (body, length, error))
    return NULL;
  json = cJSON_ParseWithLengthOpts (body, length, &end, FALSE);
  if (!check_parsed (body, length, json != NULL,
                     end != NULL && end >= body ? (gsize) (end - body) : 0, error))
    return NULL;
  return g_steal_pointer (&json);
}

/* ---- ops ---- */

JorenSyncOp *
joren_sync_op_new (const char *op_id,
                   gint64      seq,
                   const char *kind,
                   cJSON      *payload,
                   GError    **error)
{
  g_autoptr(JorenSyncOp) op = g_new0 (JorenSyncOp, 1);

  g_return_val_if_fail (joren_sync_is_uuid (op_id), NULL);
  g_return_val_if_fail (seq >= 1, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (cJSON_IsObject (payload), NULL);

  op->op_id = g_strdup (op_id);
  op->seq = seq;
  op->kind = g_strdup (kind);
  op->payload = payload;
  op->payload_hash = joren_sync_hash_payload (payload, error);
  if (op->payload_hash == NULL)
    return NULL;
  return g_steal_pointer (&op);
}

void
joren_sync_op_free (JorenSyncOp *op)
{
  if (op == NULL)
    return;
  g_free (op->op_id);
  g_free (op->kind);
  g_clear_pointer (&op->payload, cJSON_Delete);
  g_free (op->payload_hash);
  g_free (op);
}

/* Keys in sorted order: the body is canonical JSON too. */
static void
write_op (GString           *out,
          const JorenSyncOp *op)
{
  g_string_append (out, "{\"kind\":");
  write_string (out, op->kind);
  g_string_append (out, ",\"op_id\":");
  write_string (out, op->op_id);
  g_string_append (out, ",\"payload\":");
  if (!joren_sync_write_canonical (out, op->payload, NULL))
    g_assert_not_reached ();  /* joren_sync_op_new checked it */
  g_string_append (out, ",\"payload_hash\":");
  write_string (out, op->payload_hash);
  g_string_append_printf (out, ",\"seq\":%" G_GINT64_FORMAT "}", op->seq);
}

char *
joren_sync_encode_ops (GPtrArray *ops)
{
  GString *out = g_string_new ("{\"ops\":[");

  g_return_val_if_fail (ops != NULL, NULL);

  for (guint i = 0; i < ops->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      write_op (out, g_ptr_array_index (ops, i));
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

static const JorenSyncField op_fields[] = {
  { "op_id", JOREN_SYNC_FIELD_STRING, TRUE },
  { "seq", JOREN_SYNC_FIELD_INT, TRUE },
  { "kind", JOREN_SYNC_FIELD_STRING, TRUE },
  { "payload", JOREN_SYNC_FIELD_OBJECT, TRUE },
  { "payload_hash", JOREN_SYNC_FIELD_STRING, TRUE },
};

static const char *const op_kinds[] = { "sale", "customer", "points", "value", "coupon", "punch",
                                         "coupon_campaign", "coupon_codes", NULL };

static JorenSyncOp *
decode_op (cJSON   *json,
           guint    index,
           GError **error)
{
  g_autofree char *what = g_strdup_printf ("ops[%u]", index);
  const char *op_id, *kind, *hash;
  gint64 seq;
  g_autoptr(JorenSyncOp) op = NULL;

  if (!joren_sync_check_object (json, what, op_fields, G_N_ELEMENTS (op_fields), error))
    return NULL;
  op_id = joren_sync_get_string (json, "op_id");
  kind = joren_sync_get_string (json, "kind");
  hash = joren_sync_get_string (json, "payload_hash");
  seq = joren_sync_get_int (json, "seq", 0);
  if (!joren_sync_is_uuid (op_id))
    return invalid (error, "%s: \"op_id\" must be a lower-case UUID", what), NULL;
  if (seq < 1)
    return invalid (error, "%s: \"seq\" must be 1 or more", what), NULL;
  if (!g_strv_contains (op_kinds, kind))
    return invalid (error, "%s: unknown kind \"%s\" (known: \"sale\", \"customer\", \"points\")",
                    what, kind), NULL;

  op = joren_sync_op_new (op_id, seq, kind,
                          cJSON_DetachItemFromObjectCaseSensitive (json, "payload"), error);
  if (op == NULL)
    return NULL;
  if (strcmp (op->payload_hash, hash) != 0)
    return invalid (error, "%s: \"payload_hash\" does not match the payload's SHA-256", what), NULL;
  return g_steal_pointer (&op);
}

static const JorenSyncField ops_fields[] = {
  { "ops", JOREN_SYNC_FIELD_ARRAY, TRUE },
};

GPtrArray *
joren_sync_decode_ops (const char *body,
                       gsize       length,
                       GError    **error)
{
  g_autoptr(cJSON) json = joren_sync_parse_json (body, length, error);
  g_autoptr(GPtrArray) ops = NULL;
  cJSON *item;
  guint index = 0;

  if (json == NULL
      || !joren_sync_check_object (json, "the request", ops_fields, G_N_ELEMENTS (ops_fields), error))
    return NULL;
  item = cJSON_GetObjectItemCaseSensitive (json, "ops");
  if (cJSON_GetArraySize (item) > JOREN_SYNC_MAX_OPS)
    return invalid (error, "at most %d ops per request", JOREN_SYNC_MAX_OPS), NULL;

  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_op_free);
  for (cJSON *op = item->child; op != NULL; op = op->next, index++)
    {
      JorenSyncOp *decoded = decode_op (op, index, error);

      if (decoded == NULL)
        return NULL;
      g_ptr_array_add (ops, decoded);
    }
  return g_steal_pointer (&ops);
}

/* ---- results ---- */

static const char *const status_names[] = { "applied", "duplicate", "rejected" };

const char *
joren_sync_status_to_string (JorenSyncStatus status)
{
  g_return_val_if_fail (status <= JOREN_SYNC_REJECTED, NULL);
  return status_names[status];
}

gboolean
joren_sync_status_from_string (const char      *text,
                               JorenSyncStatus *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *out = (JorenSyncStatus) i;
        return TRUE;
      }
  return FALSE;
}

void
joren_sync_result_free (JorenSyncResult *result)
{
  if (result == NULL)
    return;
  g_free (result->op_id);
  g_free (result->reason);
  g_free (result->message);
  g_free (result);
}

static void
write_result (GString               *out,
              const JorenSyncResult *result)
{
  if (result->expected_seq > 0)
    g_string_append_printf (out, "{\"expected_seq\":%" G_GINT64_FORMAT ",", result->expected_seq);
  else
    g_string_append_c (out, '{');
  if (result->message != NULL)
    {
      g_string_append (out, "\"message\":");
      write_string (out, result->message);
      g_string_append_c (out, ',');
    }
  g_string_append (out, "\"op_id\":");
  write_string (out, result->op_id);
  if (result->reason != NULL)
    {
      g_string_append (out, ",\"reason\":");
      write_string (out, result->reason);
    }
  g_string_append_printf (out, ",\"status\":\"%s\"}", joren_sync_status_to_string (result->status));
}

char *
joren_sync_encode_results (GPtrArray *results,
                           gint64     next_seq)
{
  GString *out = g_string_new ("{\"next_seq\":");

  g_return_val_if_fail (results != NULL, NULL);

  g_string_append_printf (out, "%" G_GINT64_FORMAT ",\"results\":[", next_seq);
  for (guint i = 0; i < results->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      write_result (out, g_ptr_array_index (results, i));
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

static const JorenSyncField result_fields[] = {
  { "op_id", JOREN_SYNC_FIELD_STRING, TRUE },
  { "status", JOREN_SYNC_FIELD_STRING, TRUE },
  { "reason", JOREN_SYNC_FIELD_STRING, FALSE },
  { "message", JOREN_SYNC_FIELD_STRING, FALSE },
  { "expected_seq", JOREN_SYNC_FIELD_INT, FALSE },
};

static JorenSyncResult *
decode_result (const cJSON *json,
               GError     **error)
{
  g_autoptr(JorenSyncResult) result = g_new0 (JorenSyncResult, 1);

  if (!joren_sync_check_object (json, "a result", result_fields, G_N_ELEMENTS (result_fields), error))
    return NULL;
  if (!joren_sync_status_from_string (joren_sync_get_string (json, "status"), &result->status))
    return invalid (error, "a result has an unknown status"), NULL;
  result->op_id = g_strdup (joren_sync_get_string (json, "op_id"));
  result->reason = g_strdup (joren_sync_get_string (json, "reason"));
  result->message = g_strdup (joren_sync_get_string (json, "message"));
  result->expected_seq = joren_sync_get_int (json, "expected_seq", 0);
  return g_steal_pointer (&result);
}

static const JorenSyncField results_fields[] = {
  { "results", JOREN_SYNC_FIELD_ARRAY, TRUE },
  { "next_seq", JOREN_SYNC_FIELD_INT, TRUE },
};

GPtrArray *
joren_sync_decode_results (const char *body,
                           gsize       length,
                           gint64     *next_seq,
                           GError    **error)
{
  g_autoptr(cJSON) json = joren_sync_parse_json (body, length, error);
  g_autoptr(GPtrArray) results = NULL;
  const cJSON *item;

  if (json == NULL
      || !joren_sync_check_object (json, "the answer", results_fields,
                                   G_N_ELEMENTS (results_fields), error))
    return NULL;
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_sync_result_free);
  cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive (json, "results"))
    {
      JorenSyncResult *result = decode_result (item, error);

      if (result == NULL)
        return NULL;
      g_ptr_array_add (results, result);
    }
  if (next_seq != NULL)
    *next_seq = joren_sync_get_int (json, "next_seq", 0);
  return g_steal_pointer (&results);
}

/* ---- sale payloads ---- */

static void
clear_line (gpointer data)
{
  g_free (((JorenSyncSaleLine *) data)->name);
}

static void
clear_tender (gpointer data)
{
  g_free (((JorenSyncTender *) data)->kind);
}

void
joren_sync_sale_free (JorenSyncSale *sale)
{
  if (sale == NULL)
    return;
  g_free (sale->uuid);
  g_free (sale->receipt_no);
  g_free (sale->customer_uuid);
  g_clear_pointer (&sale->lines, g_array_unref);
  g_clear_pointer (&sale->tenders, g_array_unref);
  g_free (sale);
}

static const JorenSyncField line_fields[] = {
  { "product_id", JOREN_SYNC_FIELD_INT, TRUE },
  { "name", JOREN_SYNC_FIELD_STRING, TRUE },
  { "qty", JOREN_SYNC_FIELD_INT, TRUE },
  { "unit_price", JOREN_SYNC_FIELD_INT, TRUE },
  { "amount", JOREN_SYNC_FIELD_INT, TRUE },
  { "rate_bp", JOREN_SYNC_FIELD_INT, TRUE },
};

static gboolean
decode_lines (const cJSON *array,
              GArray      *lines,
              GError     **error)
{
  const cJSON *item;

  cJSON_ArrayForEach (item, array)
    {
      JorenSyncSaleLine line = { 0 };

      if (!joren_sync_check_object (item, "a sale line", line_fields, G_N_ELEMENTS (line_fields), error))
        return FALSE;
      line.product_id = joren_sync_get_int (item, "product_id", 0);
      line.qty = joren_sync_get_int (item, "qty", 0);
      line.unit_price = joren_sync_get_int (item, "unit_price", 0);
      line.amount = joren_sync_get_int (item, "amount", 0);
      line.rate_bp = joren_sync_get_int (item, "rate_bp", 0);
      if (line.product_id < 0 || line.rate_bp < 0 || line.rate_bp > 10000)
        return invalid (error, "a sale line has a negative product id or a rate outside 0..10000");
      line.name = g_strdup (joren_sync_get_string (item, "name"));
      g_array_append_val (lines, line);
    }
  if (lines->len == 0)
    return invalid (error, "a sale needs at least one line");
  return TRUE;
}

static const JorenSyncField tender_fields[] = {
  { "kind", JOREN_SYNC_FIELD_STRING, TRUE },
  { "amount", JOREN_SYNC_FIELD_INT, TRUE },
};

static const char *const tender_kinds[] = {
  "cash", "card", "other", "points", "voucher", "account", NULL
};

static gboolean
decode_tenders (const cJSON *array,
                GArray      *tenders,
                GError     **error)
{
  const cJSON *item;

  cJSON_ArrayForEach (item, array)
    {
      JorenSyncTender tender = { 0 };
      const char *kind;

      if (!joren_sync_check_object (item, "a tender", tender_fields, G_N_ELEMENTS (tender_fields), error))
        return FALSE;
      kind = joren_sync_get_string (item, "kind");
      if (!g_strv_contains (tender_kinds, kind))
        return invalid (error, "a tender's kind must be \"cash\", \"card\", \"other\", \"points\","
                        " \"voucher\" or \"account\"");
      tender.kind = g_strdup (kind);
      tender.amount = joren_sync_get_int (item, "amount", 0);
      g_array_append_val (tenders, tender);
    }
  return TRUE;
}

static const JorenSyncField sale_fields[] = {
  { "uuid", JOREN_SYNC_FIELD_STRING, TRUE },
  { "receipt_no", JOREN_SYNC_FIELD_STRING, TRUE },
  { "created_at", JOREN_SYNC_FIELD_INT, TRUE },
  { "staff_id", JOREN_SYNC_FIELD_INT, TRUE },
  { "total", JOREN_SYNC_FIELD_INT, TRUE },
  { "tax_total", JOREN_SYNC_FIELD_INT, TRUE },
  { "lines", JOREN_SYNC_FIELD_ARRAY, TRUE },
  { "tenders", JOREN_SYNC_FIELD_ARRAY, TRUE },
  { "customer_uuid", JOREN_SYNC_FIELD_STRING, FALSE },
};

JorenSyncSale *
joren_sync_sale_from_json (const cJSON *payload,
                           GError     **error)
{
  g_autoptr(JorenSyncSale) sale = g_new0 (JorenSyncSale, 1);

  sale->lines = g_array_new (FALSE, TRUE, sizeof (JorenSyncSaleLine));
  g_array_set_clear_func (sale->lines, clear_line);
  sale->tenders = g_array_new (FALSE, TRUE, sizeof (JorenSyncTender));
  g_array_set_clear_func (sale->tenders, clear_tender);

  if (!joren_sync_check_object (payload, "the sale", sale_fields, G_N_ELEMENTS (sale_fields), error))
    return NULL;
  sale->uuid = g_strdup (joren_sync_get_string (payload, "uuid"));
  if (!joren_sync_is_uuid (sale->uuid))
    return invalid (error, "the sale's \"uuid\" must be a lower-case UUID"), NULL;
  sale->receipt_no = g_strdup (joren_sync_get_string (payload, "receipt_no"));
  sale->created_at = joren_sync_get_int (payload, "created_at", 0);
  sale->staff_id = joren_sync_get_int (payload, "staff_id", 0);
  sale->total = joren_sync_get_int (payload, "total", 0);
  sale->tax_total = joren_sync_get_int (payload, "tax_total", 0);
  sale->customer_uuid = g_strdup (joren_sync_get_string (payload, "customer_uuid"));
  if (!decode_lines (cJSON_GetObjectItemCaseSensitive (payload, "lines"), sale->lines, error)
      || !decode_tenders (cJSON_GetObjectItemCaseSensitive (payload, "tenders"), sale->tenders, error))
    return NULL;
  return g_steal_pointer (&sale);
}

/* The register builds the payload inside the sale's commit
 * (data/joren-outbox.c); this is the same for a stored sale. */
cJSON *
joren_sync_sale_to_json (JorenSale *sale)
{
  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);
  g_return_val_if_fail (joren_sale_get_receipt_no (sale) != NULL, NULL);

  return joren_outbox_sale_payload (sale, joren_sale_get_receipt_no (sale),
                                    joren_sale_get_created_at (sale));
}

/* ---- changes feed ---- */

void
joren_sync_changes_free (JorenSyncChanges *changes)
{
  if (changes == NULL)
    return;
  g_clear_pointer (&changes->changes, g_ptr_array_unref);
  g_clear_pointer (&changes->arena, joren_json_arena_free);
  g_free (changes);
}

static const JorenSyncField change_fields[] = {
  { "cursor", JOREN_SYNC_FIELD_INT, TRUE },
  { "entity", JOREN_SYNC_FIELD_STRING, TRUE },
  { "id", JOREN_SYNC_FIELD_INT, TRUE },
  { "op", JOREN_SYNC_FIELD_STRING, TRUE },
  { "data", JOREN_SYNC_FIELD_OBJECT, FALSE },
};

/* The change, in the page's arena like the JSON it is read from. */
static JorenSyncChange *
decode_change (JorenJsonArena  *arena,
               const cJSON     *json,
               GError         **error)
{
  JorenSyncChange *change;
  const char *op;

  if (!joren_sync_check_object (json, "a change", change_fields, G_N_ELEMENTS (change_fields), error))
    return NULL;
  change = joren_json_arena_alloc0 (arena, sizeof *change);
  op = joren_sync_get_string (json, "op");
  change->deleted = g_str_equal (op, "delete");
  if (!change->deleted && !g_str_equal (op, "upsert"))
    return invalid (error, "a change's op must be \"upsert\" or \"delete\""), NULL;
  change->cursor = joren_sync_get_int (json, "cursor", 0);
  change->entity = joren_sync_get_string (json, "entity");
  change->id = joren_sync_get_int (json, "id", 0);
  change->data = cJSON_GetObjectItemCaseSensitive (json, "data");
  if (change->deleted != (change->data == NULL))
    return invalid (error, "an upsert carries \"data\", a deletion does not"), NULL;
  return change;
}

static const JorenSyncField changes_fields[] = {
  { "changes", JOREN_SYNC_FIELD_ARRAY, TRUE },
  { "cursor", JOREN_SYNC_FIELD_INT, TRUE },
  { "more", JOREN_SYNC_FIELD_BOOL, TRUE },
};

/* The page's JSON, in the arena, checked as joren_sync_parse_json does. */
static cJSON *
parse_page (JorenJsonArena  *arena,
            const char      *body,
            gsize            length,
            GError         **error)
{
  gsize end = 0;
  cJSON *json;

  if (!check_not_empty (body, length, error))
    return NULL;
  json = joren_json_arena_parse (arena, body, length, &end);
  return check_parsed (body, length, json != NULL, end, error) ? json : NULL;
}

JorenSyncChanges *
joren_sync_decode_changes (const char *body,
                           gsize       length,
                           GError    **error)
{
  g_autoptr(JorenSyncChanges) changes = g_new0 (JorenSyncChanges, 1);
  const cJSON *json;
  const cJSON *item;

  changes->arena = joren_json_arena_new ();
  json = parse_page (changes->arena, body, length, error);
  if (json == NULL
      || !joren_sync_check_object (json, "the changes", changes_fields,
                                   G_N_ELEMENTS (changes_fields), error))
    return NULL;
  changes->changes = g_ptr_array_new ();
  changes->cursor = joren_sync_get_int (json, "cursor", 0);
  changes->more = cJSON_IsTrue (cJSON_GetObjectItemCaseSensitive (json, "more"));
  cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive (json, "changes"))
    {
      JorenSyncChange *change = decode_change (changes->arena, item, error);

      if (change == NULL)
        return NULL;
      g_ptr_array_add (changes->changes, change);
    }
  return g_steal_pointer (&changes);
}
