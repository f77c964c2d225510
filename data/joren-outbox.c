/* joren-outbox.c: writing and settling the outbox (see joren-outbox.h).
 * Payloads are built here, from the committed rows, because the row and
 * the fact must share a transaction and data/ may not call sync/; the
 * wire format they follow is docs/API.md. The sequence number is taken
 * inside the writing transaction (after the newest op queued, or the
 * floor in sync_state), so a rolled-back sale gives its number back and
 * the sequence has no gaps. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-coupon-sync.h"
#include "joren-json.h"
#include "joren-outbox-private.h"
#include "joren-uuid.h"

const JorenCustomerField joren_customer_fields[] = {
  { "name", JOREN_FIELD_TEXT },
  { "reading", JOREN_FIELD_TEXT },
  { "email", JOREN_FIELD_TEXT },
  { "birthday", JOREN_FIELD_TEXT },
  { "postal_code", JOREN_FIELD_TEXT },
  { "address", JOREN_FIELD_TEXT },
  { "consent_email", JOREN_FIELD_BOOL },
  { "consent_post", JOREN_FIELD_BOOL },
  { "consent_sms", JOREN_FIELD_BOOL },
  { "notes", JOREN_FIELD_TEXT },
  { "phones", JOREN_FIELD_PHONES },
};
const guint joren_n_customer_fields = G_N_ELEMENTS (joren_customer_fields);

void
joren_outbox_op_free (JorenOutboxOp *op)
{
  if (op == NULL)
    return;
  g_free (op->op_id);
  g_free (op->kind);
  g_free (op->payload);
  g_free (op->payload_hash);
  g_free (op);
}

/* --- state ------------------------------------------------------------ */

gint64
joren_outbox_state_get (JorenDb    *db,
                        const char *key)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, "SELECT value FROM sync_state WHERE key = ?", NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

gboolean
joren_outbox_state_set (JorenDb    *db,
                        const char *key,
                        gint64      value,
                        GError    **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  return joren_db_step_done (db, stmt, _("Could not save the sync state."), error);
}

gint64
joren_outbox_get_register_id (JorenDb *db)
{
  g_return_val_if_fail (JOREN_IS_DB (db), 0);

  return joren_db_get_setting_int (db, "sync.register_id", 0);
}

/* The next sequence number follows the newest op still queued; next_seq
 * in sync_state is only the floor that ops leaving the outbox raise
 * (joren_outbox_settle), so queueing an op in a sale's commit writes no
 * page of sync_state. */
#define NEXT_SEQ_SQL \
  "SELECT max ((SELECT value FROM sync_state WHERE key = 'next_seq')," \
  " coalesce ((SELECT max (seq) FROM sync_outbox), 0) + 1)"

gint64
joren_outbox_get_next_seq (JorenDb *db)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), 0);

  stmt = joren_db_prepare (db, NEXT_SEQ_SQL, NULL);
  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* --- adding ops ------------------------------------------------------- */

/* Must run inside the caller's transaction: the sequence number is
 * taken in the INSERT itself. */
static gboolean
insert_op (JorenDb     *db,
           const char  *kind,
           const char  *payload,
           GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *op_id = joren_uuid_new_ordered ();
  g_autofree char *hash = joren_json_hash (payload);

  stmt = joren_db_prepare (db, "INSERT INTO sync_outbox (seq, op_id, kind, payload, payload_hash,"
                               " created_at) VALUES ((" NEXT_SEQ_SQL "), ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, payload, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  return joren_db_step_done (db, stmt, _("Could not queue the change for the server."), error);
}

static gboolean
add_op (JorenDb     *db,
        const char  *kind,
        const cJSON *payload,
        GError     **error)
{
  g_autofree char *text = joren_json_to_canonical (payload, error);

  return text != NULL && insert_op (db, kind, text, error);
}

gboolean
joren_outbox_add_op (JorenDb     *db,
                     const char  *kind,
                     const cJSON *payload,
                     GError     **error)
{
  return add_op (db, kind, payload, error);
}

gboolean
joren_outbox_is_customer_field (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < joren_n_customer_fields; i++)
    if (g_str_equal (joren_customer_fields[i].name, name))
      return TRUE;
  return FALSE;
}

/* --- sales ------------------------------------------------------------ */

static const char *
tender_kind_name (JorenTenderKind kind)
{
  switch (kind)
    {
    case JOREN_TENDER_CASH: return "cash";
    case JOREN_TENDER_CARD: return "card";
    case JOREN_TENDER_POINTS: return "points";
    case JOREN_TENDER_VOUCHER: return "voucher";
    case JOREN_TENDER_ACCOUNT: return "account";
    default: return "other";
    }
}

static cJSON *
sale_line_to_json (const JorenSaleLine *line)
{
  cJSON *json = cJSON_CreateObject ();

  cJSON_AddNumberToObject (json, "product_id", (double) line->product_id);
  cJSON_AddStringToObject (json, "name", line->name);
  cJSON_AddNumberToObject (json, "qty", (double) line->qty);
  cJSON_AddNumberToObject (json, "unit_price", (double) line->unit_price);
  cJSON_AddNumberToObject (json, "amount", (double) line->amount);
  cJSON_AddNumberToObject (json, "rate_bp", line->rate_bp);
  return json;
}

static cJSON *
tender_to_json (const JorenTender *tender)
{
  cJSON *json = cJSON_CreateObject ();

  cJSON_AddStringToObject (json, "kind", tender_kind_name (tender->kind));
  cJSON_AddNumberToObject (json, "amount", (double) tender->amount);
  return json;
}

cJSON *
joren_outbox_sale_payload (JorenSale   *sale,
                           const char  *receipt_no,
                           GDateTime   *created_at)
{
  cJSON *json, *lines, *tenders;

  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);
  g_return_val_if_fail (receipt_no != NULL, NULL);

  json = cJSON_CreateObject ();
  cJSON_AddStringToObject (json, "uuid", joren_sale_get_uuid (sale));
  cJSON_AddStringToObject (json, "receipt_no", receipt_no);
  cJSON_AddNumberToObject (json, "created_at",
                           created_at != NULL ? (double) joren_db_time_to_usec (created_at) : 0);
  cJSON_AddNumberToObject (json, "staff_id", (double) joren_sale_get_staff_id (sale));
  cJSON_AddNumberToObject (json, "total", (double) joren_sale_get_total (sale));
  cJSON_AddNumberToObject (json, "tax_total", (double) joren_sale_get_tax_total (sale));
  lines = cJSON_AddArrayToObject (json, "lines");
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    cJSON_AddItemToArray (lines, sale_line_to_json (joren_sale_get_line (sale, i)));
  tenders = cJSON_AddArrayToObject (json, "tenders");
  for (guint i = 0; i < joren_sale_get_n_tenders (sale); i++)
    cJSON_AddItemToArray (tenders, tender_to_json (joren_sale_get_tender (sale, i)));
  return json;
}

static char *
customer_uuid (JorenDb  *db,
               gint64    customer_id,
               GError  **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, "SELECT uuid FROM customers WHERE id = ?", error);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the customer."), error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("The customer does not exist."));
      return NULL;
    }
  return joren_db_column_dup_text (stmt, 0);
}

gboolean
joren_outbox_record_sale (JorenDb     *db,
                          JorenSale   *sale,
                          const char  *receipt_no,
                          GDateTime   *created_at,
                          GError     **error)
{
  g_autoptr(cJSON) payload = NULL;
  gint64 customer_id;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);

  payload = joren_outbox_sale_payload (sale, receipt_no, created_at);
  customer_id = joren_sale_get_customer_id (sale);
  if (customer_id > 0)
    {
      g_autofree char *uuid = customer_uuid (db, customer_id, error);

      if (uuid == NULL)
        return FALSE;
      cJSON_AddStringToObject (payload, "customer_uuid", uuid);
    }
  return add_op (db, "sale", payload, error) && joren_outbox_flush (db, error);
}

/* --- customers: per-field clocks -------------------------------------- */

gboolean
joren_field_clock_read (JorenDb         *db,
                        gint64           customer_id,
                        const char      *field,
                        JorenFieldClock *out,
                        GError         **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "SELECT value, changed_at, register_id FROM customer_field_clock"
                               " WHERE customer_id = ? AND field = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the customer."), error))
    return FALSE;
  out->value = has_row ? joren_db_column_dup_text (stmt, 0) : NULL;
  out->changed_at = has_row ? sqlite3_column_int64 (stmt, 1) : 0;
  out->register_id = has_row ? sqlite3_column_int64 (stmt, 2) : 0;
  return TRUE;
}

gboolean
joren_field_clock_write (JorenDb     *db,
                         gint64       customer_id,
                         const char  *field,
                         const char  *value,
                         gint64       changed_at,
                         gint64       register_id,
                         GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "INSERT OR REPLACE INTO customer_field_clock (customer_id, field,"
                               " value, changed_at, register_id) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, changed_at);
  sqlite3_bind_int64 (stmt, 5, register_id);
  return joren_db_step_done (db, stmt, _("Could not save the customer."), error);
}

gboolean
joren_field_history_add (JorenDb     *db,
                         gint64       customer_id,
                         const char  *field,
                         const char  *value,
                         gint64       changed_at,
                         gint64       register_id,
                         GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "INSERT INTO customer_field_history (customer_id, field, value,"
                               " changed_at, register_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, changed_at);
  sqlite3_bind_int64 (stmt, 5, register_id);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  return joren_db_step_done (db, stmt, _("Could not save the customer."), error);
}

static cJSON *
read_phones (JorenDb  *db,
             gint64    customer_id,
             GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(cJSON) phones = cJSON_CreateArray ();
  int rc;

  stmt = joren_db_prepare (db, "SELECT phone FROM customer_phones WHERE customer_id = ?"
                               " ORDER BY phone", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    cJSON_AddItemToArray (phones, cJSON_CreateString ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    return joren_db_set_error (db, rc, _("Could not read the customer."), error), NULL;
  return g_steal_pointer (&phones);
}

cJSON *
joren_customer_field_get (JorenDb                  *db,
                          gint64                    customer_id,
                          const JorenCustomerField *field,
                          GError                  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  gboolean has_row = FALSE;

  if (field->type == JOREN_FIELD_PHONES)
    return read_phones (db, customer_id, error);
  /* The column name comes from joren_customer_fields, never from input. */
  sql = g_strdup_printf ("SELECT %s FROM customers WHERE id = ?", field->name);
  stmt = joren_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the customer."), error))
    return NULL;
  if (!has_row || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return cJSON_CreateNull ();
  if (field->type == JOREN_FIELD_BOOL)
    return cJSON_CreateBool (sqlite3_column_int (stmt, 0) != 0);
  return cJSON_CreateString ((const char *) sqlite3_column_text (stmt, 0));
}

/* A field whose value differs from its clock changed now, here. */
static gboolean
add_changed_field (JorenDb                  *db,
                   gint64                    customer_id,
                   const JorenCustomerField *field,
                   gint64                    now,
                   cJSON                    *fields,
                   GError                  **error)
{
  g_autoptr(cJSON) value = joren_customer_field_get (db, customer_id, field, error);
  g_autofree char *text = NULL;
  JorenFieldClock clock = { 0 };
  g_autofree char *old = NULL;
  cJSON *entry;

  if (value == NULL || (text = joren_json_to_canonical (value, error)) == NULL
      || !joren_field_clock_read (db, customer_id, field->name, &clock, error))
    return FALSE;
  old = clock.value;
  if (g_strcmp0 (old, text) == 0)
    return TRUE;
  entry = cJSON_AddObjectToObject (fields, field->name);
  cJSON_AddItemToObject (entry, "value", g_steal_pointer (&value));
  cJSON_AddNumberToObject (entry, "at", (double) now);
  return joren_field_clock_write (db, customer_id, field->name, text, now,
                                  joren_outbox_get_register_id (db), error);
}

static gboolean
add_cards (JorenDb  *db,
           gint64    customer_id,
           cJSON    *payload,
           GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  cJSON *cards = cJSON_AddArrayToObject (payload, "cards");
  int rc;

  stmt = joren_db_prepare (db, "SELECT code, kind FROM customer_cards WHERE customer_id = ?"
                               " ORDER BY code", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      cJSON *card = cJSON_CreateObject ();

      cJSON_AddStringToObject (card, "code", (const char *) sqlite3_column_text (stmt, 0));
      cJSON_AddStringToObject (card, "kind", (const char *) sqlite3_column_text (stmt, 1));
      cJSON_AddItemToArray (cards, card);
    }
  return rc == SQLITE_DONE || joren_db_set_error (db, rc, _("Could not read the customer."), error);
}

static cJSON *
customer_header (JorenDb  *db,
                 gint64    customer_id,
                 GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(cJSON) payload = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "SELECT uuid, member_no, store, created_at FROM customers"
                               " WHERE id = ? AND merged_into IS NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the customer."), error))
    return NULL;
  payload = cJSON_CreateObject ();
  if (!has_row)
    return g_steal_pointer (&payload);  /* deleted or merged: nothing to send */
  cJSON_AddStringToObject (payload, "uuid", (const char *) sqlite3_column_text (stmt, 0));
  cJSON_AddStringToObject (payload, "member_no", (const char *) sqlite3_column_text (stmt, 1));
  cJSON_AddStringToObject (payload, "store", (const char *) sqlite3_column_text (stmt, 2));
  cJSON_AddNumberToObject (payload, "created_at", (double) sqlite3_column_int64 (stmt, 3));
  return g_steal_pointer (&payload);
}

static gboolean
flush_customer (JorenDb  *db,
                gint64    customer_id,
                GError  **error)
{
  g_autoptr(cJSON) payload = customer_header (db, customer_id, error);
  gint64 now = g_get_real_time ();
  cJSON *fields;

  if (payload == NULL)
    return FALSE;
  if (cJSON_GetArraySize (payload) == 0)
    return TRUE;
  fields = cJSON_AddObjectToObject (payload, "fields");
  for (guint i = 0; i < joren_n_customer_fields; i++)
    if (!add_changed_field (db, customer_id, &joren_customer_fields[i], now, fields, error))
      return FALSE;
  return add_cards (db, customer_id, payload, error)
         && add_op (db, "customer", payload, error);
}

/* --- points ----------------------------------------------------------- */

/* Optional members are left out rather than null: the protocol's
 * strict decoder types every member it knows. */
static void
add_text_if_set (cJSON        *object,
                 const char   *name,
                 sqlite3_stmt *stmt,
                 int           column)
{
  if (sqlite3_column_type (stmt, column) != SQLITE_NULL)
    cJSON_AddStringToObject (object, name, (const char *) sqlite3_column_text (stmt, column));
}

static gboolean
flush_points (JorenDb  *db,
              gint64    entry_id,
              GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(cJSON) payload = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "SELECT c.uuid, p.kind, p.points, p.reason, p.sale_uuid, p.created_at"
                               " FROM points_ledger p JOIN customers c ON c.id = p.customer_id"
                               " WHERE p.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the points."), error))
    return FALSE;
  if (!has_row)
    return TRUE;
  payload = cJSON_CreateObject ();
  cJSON_AddStringToObject (payload, "customer_uuid", (const char *) sqlite3_column_text (stmt, 0));
  cJSON_AddStringToObject (payload, "kind", (const char *) sqlite3_column_text (stmt, 1));
  cJSON_AddNumberToObject (payload, "points", (double) sqlite3_column_int64 (stmt, 2));
  add_text_if_set (payload, "reason", stmt, 3);
  add_text_if_set (payload, "sale_uuid", stmt, 4);
  cJSON_AddNumberToObject (payload, "created_at", (double) sqlite3_column_int64 (stmt, 5));
  sqlite3_reset (stmt);
  return add_op (db, "points", payload, error);
}

/* --- value accounts and coupons ----------------------------------------- */

void
joren_outbox_add_int_if_set (cJSON        *object,
                             const char   *name,
                             sqlite3_stmt *stmt,
                             int           column)
{
  if (sqlite3_column_type (stmt, column) != SQLITE_NULL)
    cJSON_AddNumberToObject (object, name, (double) sqlite3_column_int64 (stmt, column));
}

/* Every entry carries its account, so the first one the server sees
 * (whichever register sends it) can create the account there. */
static gboolean
flush_value (JorenDb  *db,
             gint64    entry_id,
             GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(cJSON) payload = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "SELECT a.number, a.kind, a.store, a.expires_at, a.credit_limit, c.uuid,"
                               " l.kind, l.amount, l.reason, l.sale_uuid, l.created_at"
                               " FROM value_ledger l JOIN value_accounts a ON a.id = l.account_id"
                               " LEFT JOIN customers c ON c.id = a.customer_id WHERE l.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the voucher."), error))
    return FALSE;
  if (!has_row)
    return TRUE;
  payload = cJSON_CreateObject ();
  cJSON_AddStringToObject (payload, "number", (const char *) sqlite3_column_text (stmt, 0));
  cJSON_AddStringToObject (payload, "account_kind", (const char *) sqlite3_column_text (stmt, 1));
  cJSON_AddStringToObject (payload, "store", (const char *) sqlite3_column_text (stmt, 2));
  joren_outbox_add_int_if_set (payload, "expires_at", stmt, 3);
  cJSON_AddNumberToObject (payload, "credit_limit", (double) sqlite3_column_int64 (stmt, 4));
  add_text_if_set (payload, "customer_uuid", stmt, 5);
  cJSON_AddStringToObject (payload, "kind", (const char *) sqlite3_column_text (stmt, 6));
  cJSON_AddNumberToObject (payload, "amount", (double) sqlite3_column_int64 (stmt, 7));
  add_text_if_set (payload, "reason", stmt, 8);
  add_text_if_set (payload, "sale_uuid", stmt, 9);
  cJSON_AddNumberToObject (payload, "created_at", (double) sqlite3_column_int64 (stmt, 10));
  sqlite3_reset (stmt);
  return add_op (db, "value", payload, error);
}

/* The coupon codes a sale redeemed: one op each. */
static gboolean
flush_coupons (JorenDb  *db,
               gint64    sale_id,
               GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) cJSON_Delete);
  int rc;

  stmt = joren_db_prepare (db, "SELECT code, sale_uuid, redeemed_at FROM coupon_redemptions"
                               " WHERE sale_id = ? ORDER BY code", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sale_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      cJSON *payload = cJSON_CreateObject ();

      cJSON_AddStringToObject (payload, "code", (const char *) sqlite3_column_text (stmt, 0));
      cJSON_AddStringToObject (payload, "sale_uuid", (const char *) sqlite3_column_text (stmt, 1));
      cJSON_AddNumberToObject (payload, "redeemed_at", (double) sqlite3_column_int64 (stmt, 2));
      g_ptr_array_add (payloads, payload);
    }
  if (rc != SQLITE_DONE)
    return joren_db_set_error (db, rc, _("Could not read the coupon."), error);
  sqlite3_reset (stmt);
  for (guint i = 0; i < payloads->len; i++)
    if (!add_op (db, "coupon", g_ptr_array_index (payloads, i), error))
      return FALSE;
  return TRUE;
}

/* --- count cards and stamps ------------------------------------------ */

/* A card is named by the sale line that issued it, the same on every
 * register; it travels whole with each entry, so whichever entry the
 * server or another register sees first can create it. */
static gboolean
add_punch_card (JorenDb  *db,
                gint64    card_id,
                cJSON    *payload,
                GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;
  cJSON *card;

  stmt = joren_db_prepare (db, "SELECT sale_uuid, line_position, seq, name, visits, product_id,"
                               " covers_product_id, covers_category_id, issued_at, expires_at"
                               " FROM punch_cards WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, card_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the cards."), error))
    return FALSE;
  if (!has_row)
    return TRUE;   /* kept by a foreign key: cannot happen */
  card = cJSON_AddObjectToObject (payload, "card");
  cJSON_AddStringToObject (card, "sale_uuid", (const char *) sqlite3_column_text (stmt, 0));
  cJSON_AddNumberToObject (card, "line_position", (double) sqlite3_column_int64 (stmt, 1));
  cJSON_AddNumberToObject (card, "seq", (double) sqlite3_column_int64 (stmt, 2));
  cJSON_AddStringToObject (card, "name", (const char *) sqlite3_column_text (stmt, 3));
  cJSON_AddNumberToObject (card, "visits", (double) sqlite3_column_int64 (stmt, 4));
  joren_outbox_add_int_if_set (card, "product_id", stmt, 5);
  joren_outbox_add_int_if_set (card, "covers_product_id", stmt, 6);
  joren_outbox_add_int_if_set (card, "covers_category_id", stmt, 7);
  cJSON_AddNumberToObject (card, "issued_at", (double) sqlite3_column_int64 (stmt, 8));
  joren_outbox_add_int_if_set (card, "expires_at", stmt, 9);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Stamp programmes are set up on each register: the chain knows one by
 * its name. */
static gboolean
add_stamp_programme (JorenDb  *db,
                     gint64    programme_id,
                     cJSON    *payload,
                     GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;
  cJSON *programme;

  stmt = joren_db_prepare (db, "SELECT name, stamps_needed, product_id, category_id"
                               " FROM stamp_programmes WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, programme_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the stamps."), error))
    return FALSE;
  if (!has_row)
    return TRUE;   /* kept by a foreign key: cannot happen */
  programme = cJSON_AddObjectToObject (payload, "programme");
  cJSON_AddStringToObject (programme, "name", (const char *) sqlite3_column_text (stmt, 0));
  cJSON_AddNumberToObject (programme, "stamps_needed", (double) sqlite3_column_int64 (stmt, 1));
  joren_outbox_add_int_if_set (programme, "product_id", stmt, 2);
  joren_outbox_add_int_if_set (programme, "category_id", stmt, 3);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
flush_punch (JorenDb  *db,
             gint64    entry_id,
             GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(cJSON) payload = NULL;
  gboolean has_row = FALSE;
  gint64 card_id, programme_id;

  stmt = joren_db_prepare (db, "SELECT c.uuid, l.kind, l.units, l.reason, l.sale_uuid, l.created_at,"
                               " coalesce (l.card_id, 0), coalesce (l.programme_id, 0)"
                               " FROM punch_ledger l JOIN customers c ON c.id = l.customer_id"
                               " WHERE l.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the cards."), error))
    return FALSE;
  if (!has_row)
    return TRUE;
  payload = cJSON_CreateObject ();
  cJSON_AddStringToObject (payload, "customer_uuid", (const char *) sqlite3_column_text (stmt, 0));
  cJSON_AddStringToObject (payload, "kind", (const char *) sqlite3_column_text (stmt, 1));
  cJSON_AddNumberToObject (payload, "units", (double) sqlite3_column_int64 (stmt, 2));
  add_text_if_set (payload, "reason", stmt, 3);
  add_text_if_set (payload, "sale_uuid", stmt, 4);
  cJSON_AddNumberToObject (payload, "created_at", (double) sqlite3_column_int64 (stmt, 5));
  card_id = sqlite3_column_int64 (stmt, 6);
  programme_id = sqlite3_column_int64 (stmt, 7);
  sqlite3_reset (stmt);
  if (!(card_id != 0 ? add_punch_card (db, card_id, payload, error)
                     : add_stamp_programme (db, programme_id, payload, error)))
    return FALSE;
  return add_op (db, "punch", payload, error);
}

/* --- flushing ---------------------------------------------------------- */

typedef struct {
  char  *entity;
  gint64 id;
} Pending;

static void
pending_clear (gpointer data)
{
  g_free (((Pending *) data)->entity);
}

/* Customers before points, punch and value entries: those name a
 * customer, which the server must know already ("coupon" < "customer" <
 * "points" < "punch" < "value"); a coupon campaign before its codes
 * ("coupon_campaign" < "coupon_codes"). */
static GArray *
list_pending (JorenDb  *db,
              GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GArray) pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  int rc;

  g_array_set_clear_func (pending, pending_clear);
  stmt = joren_db_prepare (db, "SELECT entity, entity_id FROM sync_pending", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Pending item = { joren_db_column_dup_text (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_val (pending, item);
    }
  if (rc != SQLITE_DONE)
    return joren_db_set_error (db, rc, _("Could not queue the change for the server."), error), NULL;
  /* Most sales mark nothing: no DELETE (nor its RETURNING table) then. */
  if (pending->len > 0
      && !joren_db_exec (db, "DELETE FROM sync_pending",
                         _("Could not queue the change for the server."), error))
    return NULL;
  return g_steal_pointer (&pending);
}

static int
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const Pending *x = a, *y = b;
  int by_entity = g_strcmp0 (x->entity, y->entity);

  if (by_entity != 0)
    return by_entity;
  return (x->id > y->id) - (x->id < y->id);
}

static gboolean
flush_pending (JorenDb        *db,
               const Pending  *item,
               GError        **error)
{
  if (g_str_equal (item->entity, "customer"))
    return flush_customer (db, item->id, error);
  if (g_str_equal (item->entity, "points"))
    return flush_points (db, item->id, error);
  if (g_str_equal (item->entity, "value"))
    return flush_value (db, item->id, error);
  if (g_str_equal (item->entity, "punch"))
    return flush_punch (db, item->id, error);
  if (g_str_equal (item->entity, "coupon_campaign"))
    return joren_coupon_sync_flush_campaign (db, item->id, error);
  if (g_str_equal (item->entity, "coupon_codes"))
    return joren_coupon_sync_flush_codes (db, item->id, error);
  return flush_coupons (db, item->id, error);
}

gboolean
joren_outbox_flush (JorenDb  *db,
                    GError  **error)
{
  g_autoptr(GArray) pending = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  pending = list_pending (db, error);
  if (pending == NULL)
    return FALSE;
  g_array_sort (pending, compare_pending);
  for (guint i = 0; i < pending->len; i++)
    {
      if (!flush_pending (db, &g_array_index (pending, Pending, i), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
joren_outbox_flush_now (JorenDb  *db,
                        GError  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (!joren_db_begin (db, error))
    return FALSE;
  if (joren_outbox_flush (db, error) && joren_db_commit (db, error))
    return TRUE;
  joren_db_rollback (db);
  return FALSE;
}

/* --- reading and settling ---------------------------------------------- */

GPtrArray *
joren_outbox_list (JorenDb  *db,
                   guint     limit,
                   GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_outbox_op_free);
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT seq, op_id, kind, payload, payload_hash FROM sync_outbox"
                               " WHERE rejected_reason IS NULL ORDER BY seq LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenOutboxOp *op = g_new0 (JorenOutboxOp, 1);

      op->seq = sqlite3_column_int64 (stmt, 0);
      op->op_id = joren_db_column_dup_text (stmt, 1);
      op->kind = joren_db_column_dup_text (stmt, 2);
      op->payload = joren_db_column_dup_text (stmt, 3);
      op->payload_hash = joren_db_column_dup_text (stmt, 4);
      g_ptr_array_add (ops, op);
    }
  if (rc != SQLITE_DONE)
    return joren_db_set_error (db, rc, _("Could not read the outbox."), error), NULL;
  return g_steal_pointer (&ops);
}

static gboolean
settle_one (JorenDb                 *db,
            const JorenOutboxResult *result,
            GError                 **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  if (result->reason == NULL)
    stmt = joren_db_prepare (db, "DELETE FROM sync_outbox WHERE op_id = ?1", error);
  else
    stmt = joren_db_prepare (db, "UPDATE sync_outbox SET rejected_reason = ?2,"
                                 " rejected_message = ?3 WHERE op_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, result->op_id, -1, SQLITE_STATIC);
  if (result->reason != NULL)
    {
      sqlite3_bind_text (stmt, 2, result->reason, -1, SQLITE_STATIC);
      joren_db_bind_text_or_null (stmt, 3, result->message);
    }
  return joren_db_step_done (db, stmt, _("Could not update the outbox."), error);
}

gboolean
joren_outbox_settle (JorenDb                 *db,
                     const JorenOutboxResult *results,
                     guint                    n_results,
                     GError                 **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (results != NULL || n_results == 0, FALSE);

  if (!joren_db_begin (db, error))
    return FALSE;
  /* The numbering goes on after the ops that leave (see NEXT_SEQ_SQL). */
  ok = joren_db_exec (db, "UPDATE sync_state SET value = max (value,"
                          " coalesce ((SELECT max (seq) FROM sync_outbox), 0) + 1)"
                          " WHERE key = 'next_seq'", _("Could not update the outbox."), error);
  for (guint i = 0; ok && i < n_results; i++)
    ok = settle_one (db, &results[i], error);
  if (ok && joren_db_commit (db, error))
    return TRUE;
  joren_db_rollback (db);
  return FALSE;
}

static gint64
count (JorenDb    *db,
       const char *sql)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

gint64
joren_outbox_count_waiting (JorenDb *db)
{
  g_return_val_if_fail (JOREN_IS_DB (db), -1);

  return count (db, "SELECT count(*) FROM sync_outbox WHERE rejected_reason IS NULL");
}

gint64
joren_outbox_count_rejected (JorenDb *db)
{
  g_return_val_if_fail (JOREN_IS_DB (db), -1);

  return count (db, "SELECT count(*) FROM sync_outbox WHERE rejected_reason IS NOT NULL");
}
