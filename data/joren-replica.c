/* joren-replica.c: applying the changes feed (see joren-replica.h). Rows
 * written here are the server's, not this register's news: the page runs
 * with a row in sync_applying, which the outbox triggers check, so
 * nothing applied is pushed back. Master data is upserted by id from a
 * table of columns; a deletion only deactivates, because old sales still
 * name the product. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-coupon-sync.h"
#include "joren-customer-private.h"
#include "joren-json.h"
#include "joren-outbox-private.h"
#include "joren-replica.h"

typedef enum {
  COLUMN_INT,
  COLUMN_TEXT,     /* string or null */
  COLUMN_BOOL,
} ColumnType;

typedef struct {
  const char *name;
  ColumnType  type;
} Column;

typedef struct {
  const char   *entity;
  const char   *upsert_sql;
  const char   *delete_sql;   /* NULL: deletions are ignored */
  const Column *columns;
  guint         n_columns;
} MasterTable;

static const Column tax_class_columns[] = {
  { "code", COLUMN_TEXT }, { "name", COLUMN_TEXT }, { "rate_bp", COLUMN_INT },
};
static const Column category_columns[] = {
  { "name", COLUMN_TEXT }, { "colour", COLUMN_TEXT }, { "position", COLUMN_INT },
  { "active", COLUMN_BOOL },
};
static const Column product_columns[] = {
  { "sku", COLUMN_TEXT }, { "name", COLUMN_TEXT }, { "price", COLUMN_INT },
  { "tax_class_id", COLUMN_INT }, { "category_id", COLUMN_INT }, { "colour", COLUMN_TEXT },
  { "active", COLUMN_BOOL }, { "embed", COLUMN_TEXT },
};
static const Column staff_columns[] = {
  { "name", COLUMN_TEXT }, { "role", COLUMN_TEXT }, { "pin_hash", COLUMN_TEXT },
  { "active", COLUMN_BOOL },
};

static const MasterTable master_tables[] = {
  { "tax_class",
    "INSERT INTO tax_classes (id, code, name, rate_bp) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name,"
    " rate_bp = excluded.rate_bp",
    NULL, tax_class_columns, G_N_ELEMENTS (tax_class_columns) },
  { "category",
    "INSERT INTO categories (id, name, colour, position, active) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, colour = excluded.colour,"
    " position = excluded.position, active = excluded.active",
    "UPDATE categories SET active = 0 WHERE id = ?",
    category_columns, G_N_ELEMENTS (category_columns) },
  { "product",
    "INSERT INTO products (id, sku, name, price, tax_class_id, category_id, colour, active, embed)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET sku = excluded.sku,"
    " name = excluded.name, price = excluded.price, tax_class_id = excluded.tax_class_id,"
    " category_id = excluded.category_id, colour = excluded.colour, active = excluded.active,"
    " embed = excluded.embed",
    "UPDATE products SET active = 0 WHERE id = ?",
    product_columns, G_N_ELEMENTS (product_columns) },
  { "staff",
    "INSERT INTO staff (id, name, role, pin_hash, active) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,"
    " pin_hash = excluded.pin_hash, active = excluded.active",
    "UPDATE staff SET active = 0 WHERE id = ?",
    staff_columns, G_N_ELEMENTS (staff_columns) },
};

static gboolean
refuse (const char  *entity,
        GError     **error)
{
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("The server sent a %s this register cannot read."), entity);
  return FALSE;
}

static gboolean
bind_column (sqlite3_stmt *stmt,
             int           param,
             const Column *column,
             const cJSON  *data)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive (data, column->name);

  if (column->type == COLUMN_INT && joren_json_is_int (item))
    sqlite3_bind_int64 (stmt, param, joren_json_get_int (data, column->name, 0));
  else if (column->type == COLUMN_BOOL && cJSON_IsBool (item))
    sqlite3_bind_int (stmt, param, cJSON_IsTrue (item));
  else if (column->type != COLUMN_BOOL && (item == NULL || cJSON_IsNull (item)))
    sqlite3_bind_null (stmt, param);
  else if (column->type == COLUMN_TEXT && cJSON_IsString (item))
    sqlite3_bind_text (stmt, param, item->valuestring, -1, SQLITE_STATIC);
  else
    return FALSE;
  return TRUE;
}

static gboolean
store_barcodes (JorenDb      *db,
                gint64        product_id,
                const cJSON  *data,
                GError      **error)
{
  const cJSON *code;
  g_autoptr(JorenStmt) drop = joren_db_prepare (db, "DELETE FROM barcodes WHERE product_id = ?", error);

  if (drop == NULL)
    return FALSE;
  sqlite3_bind_int64 (drop, 1, product_id);
  if (!joren_db_step_done (db, drop, _("Could not save the product."), error))
    return FALSE;
  cJSON_ArrayForEach (code, cJSON_GetObjectItemCaseSensitive (data, "barcodes"))
    {
      g_autoptr(JorenStmt) add = NULL;

      if (!cJSON_IsString (code))
        return refuse ("product", error);
      add = joren_db_prepare (db, "INSERT OR REPLACE INTO barcodes (code, product_id) VALUES (?, ?)", error);
      if (add == NULL)
        return FALSE;
      sqlite3_bind_text (add, 1, code->valuestring, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (add, 2, product_id);
      if (!joren_db_step_done (db, add, _("Could not save the product."), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_master (JorenDb                  *db,
              const MasterTable        *table,
              const JorenReplicaChange *change,
              GError                  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  if (change->data == NULL && table->delete_sql == NULL)
    return TRUE;
  stmt = joren_db_prepare (db, change->data != NULL ? table->upsert_sql : table->delete_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, change->id);
  for (guint i = 0; change->data != NULL && i < table->n_columns; i++)
    if (!bind_column (stmt, (int) i + 2, &table->columns[i], change->data))
      return refuse (table->entity, error);
  if (!joren_db_step_done (db, stmt, _("Could not save what the server sent."), error))
    return FALSE;
  if (change->data != NULL && g_str_equal (table->entity, "product"))
    return store_barcodes (db, change->id, change->data, error);
  return TRUE;
}

/* --- batched rows --------------------------------------------------------
 * A new customer's clock, phone and card rows are written BATCH_ROWS at
 * a time, one multi-row INSERT per table: one statement per row cost more
 * in SQLite's per-statement work than the rows themselves (a first load
 * writes five million). Rows wait only while new customers follow each
 * other in a page: any other change, and the page's end, writes them
 * first, so nothing that reads these tables misses one. */

#define BATCH_ROWS 32
#define BATCH_MAX_COLUMNS 7

typedef struct {
  gint64      number;
  const char *text;       /* NULL: the number */
} BatchValue;

typedef struct {
  const char *insert;     /* "INSERT ... (columns) VALUES" */
  const char *row;        /* one row's placeholders */
  guint       n_columns;
  guint       n_rows;
  BatchValue  values[BATCH_ROWS * BATCH_MAX_COLUMNS];
  GPtrArray  *owned;      /* texts freed once written */
  char       *full_sql;   /* the statement for BATCH_ROWS rows, once built */
} Batch;

static void
batch_init (Batch      *batch,
            const char *insert,
            const char *row,
            guint       n_columns)
{
  g_assert (n_columns <= BATCH_MAX_COLUMNS);
  batch->insert = insert;
  batch->row = row;
  batch->n_columns = n_columns;
  batch->n_rows = 0;
  batch->owned = g_ptr_array_new_with_free_func (g_free);
  batch->full_sql = NULL;
}

static void
batch_clear (Batch *batch)
{
  g_clear_pointer (&batch->owned, g_ptr_array_unref);
  g_clear_pointer (&batch->full_sql, g_free);
}

static char *
batch_sql (const Batch *batch,
           guint        n_rows)
{
  GString *sql = g_string_new (batch->insert);

  for (guint i = 0; i < n_rows; i++)
    {
      g_string_append (sql, i == 0 ? " " : ", ");
      g_string_append (sql, batch->row);
    }
  return g_string_free (sql, FALSE);
}

/* A text the batch frees once written; the others are the page's,
 * alive until it is applied. */
static const char *
batch_keep (Batch *batch,
            char  *text)
{
  g_ptr_array_add (batch->owned, text);
  return text;
}

static gboolean
batch_flush (JorenDb  *db,
             Batch    *batch,
             GError  **error)
{
  g_autofree char *partial = NULL;
  JorenStmt *stmt;
  gboolean ok;

  if (batch->n_rows == 0)
    return TRUE;
  /* A full batch is the common case: its text is built once a page. */
  if (batch->n_rows == BATCH_ROWS && batch->full_sql == NULL)
    batch->full_sql = batch_sql (batch, BATCH_ROWS);
  if (batch->n_rows < BATCH_ROWS)
    partial = batch_sql (batch, batch->n_rows);
  stmt = joren_db_prepare (db, partial != NULL ? partial : batch->full_sql, error);
  ok = stmt != NULL;
  for (guint i = 0; ok && i < batch->n_rows * batch->n_columns; i++)
    if (batch->values[i].text != NULL)
      sqlite3_bind_text (stmt, (int) i + 1, batch->values[i].text, -1, SQLITE_STATIC);
    else
      sqlite3_bind_int64 (stmt, (int) i + 1, batch->values[i].number);
  ok = ok && joren_db_step_done (db, stmt, _("Could not save the customer."), error);
  if (stmt != NULL)
    joren_stmt_release (stmt);
  batch->n_rows = 0;
  g_ptr_array_set_size (batch->owned, 0);
  return ok;
}

static gboolean
batch_add (JorenDb           *db,
           Batch             *batch,
           const BatchValue  *row,
           GError           **error)
{
  memcpy (&batch->values[batch->n_rows * batch->n_columns], row, batch->n_columns * sizeof *row);
  batch->n_rows++;
  return batch->n_rows < BATCH_ROWS || batch_flush (db, batch, error);
}

/* The rows a page's new customers have waiting. */
typedef struct {
  Batch clocks;
  Batch phones;
  Batch cards;
} Waiting;

/* With the copies of the customer's name, reading and member number
 * the last-4 pick list reads (013-pick.sql): a first load runs with the
 * triggers that would copy them off. */
static void
phones_init (Batch *batch)
{
  batch_init (batch, "INSERT OR IGNORE INTO customer_phones (customer_id, phone, last4, entered,"
              " name, reading, member_no) VALUES", "(?, ?, ?, ?, ?, ?, ?)", 7);
}

/* A new customer's name, reading and member number as its row has them. */
typedef struct {
  const char *name;
  const char *reading;
  const char *member_no;
} PickCopy;

/* A code this register gave someone else stays theirs until the
 * server's merge of the two customers arrives. */
static void
cards_init (Batch *batch)
{
  batch_init (batch, "INSERT OR IGNORE INTO customer_cards (code, customer_id, kind, added_at) VALUES",
              "(?, ?, ?, ?)", 4);
}

static void
waiting_init (Waiting *waiting)
{
  batch_init (&waiting->clocks, "INSERT OR REPLACE INTO customer_field_clock (customer_id, field, value,"
              " changed_at, register_id) VALUES", "(?, ?, ?, ?, ?)", 5);
  phones_init (&waiting->phones);
  cards_init (&waiting->cards);
}

static void
waiting_clear (Waiting *waiting)
{
  batch_clear (&waiting->clocks);
  batch_clear (&waiting->phones);
  batch_clear (&waiting->cards);
}

static gboolean
write_waiting (JorenDb  *db,
               Waiting  *waiting,
               GError  **error)
{
  return batch_flush (db, &waiting->clocks, error)
         && batch_flush (db, &waiting->phones, error)
         && batch_flush (db, &waiting->cards, error);
}

/* --- customers ----------------------------------------------------------- */

/* While a first load has the uuid index deferred (see "first loads"),
 * the connection knows its customers' ids by uuid in memory: every row
 * up to max_id, learnt when each of the load's transactions starts (a
 * till may add customers between them) and as the load adds its own.
 * Kept on the connection, so every lookup by uuid on it uses it. */
typedef struct {
  GHashTable   *ids;      /* uuid (in uuids) -> customers.id */
  GStringChunk *uuids;
  gint64        max_id;
} Known;

G_DEFINE_QUARK (joren-replica-known, known)

static Known *
get_known (JorenDb *db)
{
  return g_object_get_qdata (G_OBJECT (db), known_quark ());
}

static void
remember (Known      *known,
          const char *uuid,
          gint64      id)
{
  g_hash_table_insert (known->ids, g_string_chunk_insert (known->uuids, uuid), GSIZE_TO_POINTER (id));
  known->max_id = MAX (known->max_id, id);
}

static gboolean
learn_customers (JorenDb  *db,
                 Known    *known,
                 GError  **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, "SELECT id, uuid FROM customers WHERE id > ?"
                                                    " AND uuid IS NOT NULL", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, known->max_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    remember (known, (const char *) sqlite3_column_text (stmt, 1), sqlite3_column_int64 (stmt, 0));
  return rc == SQLITE_DONE || joren_db_set_error (db, rc, _("Could not read the customers."), error);
}

static void
forget_known (JorenDb *db)
{
  Known *known = g_object_steal_qdata (G_OBJECT (db), known_quark ());

  if (known == NULL)
    return;
  g_hash_table_unref (known->ids);
  g_string_chunk_free (known->uuids);
  g_free (known);
}

static gboolean
start_known (JorenDb  *db,
             GError  **error)
{
  Known *known = g_new0 (Known, 1);

  known->ids = g_hash_table_new (g_str_hash, g_str_equal);
  known->uuids = g_string_chunk_new (1 << 20);
  g_object_set_qdata (G_OBJECT (db), known_quark (), known);
  return learn_customers (db, known, error);
}

/* The row is read again: it may have been merged, or removed by a till
 * (its id then reused), since the uuid was learnt. */
static gint64
find_known (JorenDb    *db,
            Known      *known,
            const char *uuid)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gpointer id;

  if (!g_hash_table_lookup_extended (known->ids, uuid, NULL, &id))
    return 0;
  stmt = joren_db_prepare (db, "SELECT coalesce (merged_into, id) FROM customers WHERE id = ?1"
                               " AND uuid = ?2", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, (gint64) GPOINTER_TO_SIZE (id));
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* The local id of a customer uuid, following merges; 0 when unknown. */
static gint64
find_customer (JorenDb    *db,
               const char *uuid)
{
  Known *known = get_known (db);
  g_autoptr(JorenStmt) stmt = NULL;

  if (known != NULL)
    return find_known (db, known, uuid);
  stmt = joren_db_prepare (db, "SELECT coalesce (merged_into, id) FROM customers WHERE uuid = ?", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* A customer document's fields by their index in joren_customer_fields
 * (NULL: not sent). The document's "fields" object is walked once: a
 * new customer's columns, clocks and copies asked it for each of the
 * eleven fields in turn, two or three times over, most of them fields
 * it does not have. */
#define MAX_CUSTOMER_FIELDS 16

typedef struct {
  const cJSON *entries[MAX_CUSTOMER_FIELDS];
} FieldEntries;

static void
read_entries (const cJSON  *fields,
              FieldEntries *out)
{
  const cJSON *member;

  g_assert (joren_n_customer_fields <= MAX_CUSTOMER_FIELDS);
  memset (out, 0, sizeof *out);
  cJSON_ArrayForEach (member, fields)
    for (guint i = 0; i < joren_n_customer_fields; i++)
      if (g_str_equal (member->string, joren_customer_fields[i].name))
        {
          /* The first of two alike, as cJSON's getter finds it. */
          if (out->entries[i] == NULL)
            out->entries[i] = member;
          break;
        }
}

static const cJSON *
entry_value (const FieldEntries *fields,
             guint               i)
{
  return cJSON_GetObjectItemCaseSensitive (fields->entries[i], "value");
}

/* A field's value in its customers column; absent (NULL) binds the
 * column's default. */
static void
bind_field_value (sqlite3_stmt             *stmt,
                  int                       param,
                  const JorenCustomerField *field,
                  const cJSON              *value)
{
  if (field->type == JOREN_FIELD_BOOL)
    sqlite3_bind_int (stmt, param, cJSON_IsTrue (value));
  else if (cJSON_IsString (value))
    sqlite3_bind_text (stmt, param, value->valuestring, -1, SQLITE_STATIC);
  else if (g_str_equal (field->name, "name") || g_str_equal (field->name, "reading"))
    sqlite3_bind_text (stmt, param, "", -1, SQLITE_STATIC);   /* NOT NULL columns */
  else
    sqlite3_bind_null (stmt, param);
}

/* The INSERT of add_customer: the row with every profile column
 * (from joren_customer_fields, never from input) but the phones, and the
 * phone pick lists show; doing nothing when the uuid or the member number
 * is someone's already. Neither RETURNING nor a look-up of the member
 * number first: the one costs a temporary table per row, the other an
 * index search, and a first load adds a million customers. */
static const char *
add_customer_sql (void)
{
  static char *sql;
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_autoptr(GString) columns = g_string_new ("uuid, member_no, store, created_at, phone");
      g_autoptr(GString) values = g_string_new ("?1, ?2, ?3, ?4, ?5");

      for (guint i = 0; i < joren_n_customer_fields; i++)
        if (joren_customer_fields[i].type != JOREN_FIELD_PHONES)
          {
            g_string_append_printf (columns, ", %s", joren_customer_fields[i].name);
            g_string_append (values, ", ?");
          }
      sql = g_strdup_printf ("INSERT INTO customers (%s) VALUES (%s) ON CONFLICT DO NOTHING",
                             columns->str, values->str);
      g_once_init_leave (&done, 1);
    }
  return sql;
}

/* The phone a new customer's row shows in pick lists: the first by
 * normalised number, which is how the feed sends them. */
static const char *
first_phone (const cJSON *phones)
{
  const cJSON *phone;
  const char *first = NULL;

  cJSON_ArrayForEach (phone, phones)
    if (cJSON_IsString (phone) && (first == NULL || strcmp (phone->valuestring, first) < 0))
      first = phone->valuestring;
  return first;
}

/* *inserted FALSE: the uuid or the member number is taken. */
static gboolean
insert_customer (JorenDb             *db,
                 const char          *uuid,
                 const char          *member_no,
                 const cJSON         *data,
                 const FieldEntries  *fields,
                 gboolean            *inserted,
                 GError             **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, add_customer_sql (), error);
  const char *store = data != NULL ? joren_json_get_string (data, "store") : NULL;
  int param = 6;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, member_no, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, store != NULL ? store : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, data != NULL ? joren_json_get_int (data, "created_at", 0) : 0);
  for (guint i = 0; i < joren_n_customer_fields; i++)
    if (joren_customer_fields[i].type == JOREN_FIELD_PHONES)
      joren_db_bind_text_or_null (stmt, 5, first_phone (entry_value (fields, i)));
    else
      bind_field_value (stmt, param++, &joren_customer_fields[i], entry_value (fields, i));
  if (!joren_db_step_done (db, stmt, _("Could not save the customer."), error))
    return FALSE;
  *inserted = sqlite3_changes (joren_db_get_handle (db)) > 0;
  return TRUE;
}

/* A customer the register has not seen: created with what is known now
 * (a points entry may arrive before its customer's latest change), its
 * fields' values in the same INSERT (no local value can beat them: see
 * start_field); the member number falls back to the uuid when this
 * register already gave the number to someone else (*member_no: the one
 * stored, alive as long as uuid and data). Most customers of a first
 * load are new, so the INSERT comes first: nothing inserted, and the
 * uuid is known (its id is looked up then, *created FALSE) or the
 * member number is taken; with the uuid index deferred, memory tells
 * first. */
static gint64
add_customer (JorenDb             *db,
              const char          *uuid,
              const cJSON         *data,
              const FieldEntries  *fields,
              gboolean            *created,
              const char         **member_no,
              GError             **error)
{
  const char *number = data != NULL ? joren_json_get_string (data, "member_no") : NULL;
  Known *known = get_known (db);
  gint64 id;

  *created = FALSE;
  if (known != NULL && (id = find_known (db, known, uuid)) != 0)
    return id;
  if (number == NULL)
    number = uuid;
  if (!insert_customer (db, uuid, number, data, fields, created, error))
    return 0;
  if (!*created && (id = find_customer (db, uuid)) != 0)
    return id;
  if (!*created && number != uuid
      && !insert_customer (db, uuid, (number = uuid), data, fields, created, error))
    return 0;
  if (!*created)
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
                           _("Could not save the customer."));
      return 0;
    }
  if (member_no != NULL)
    *member_no = number;
  id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  if (known != NULL)
    remember (known, uuid, id);
  return id;
}

/* Points and other entries mostly name known customers: looked up first. */
static gint64
ensure_customer (JorenDb     *db,
                 const char  *uuid,
                 const cJSON *data,
                 GError     **error)
{
  gint64 id = find_customer (db, uuid);
  FieldEntries fields;
  gboolean created;

  if (id != 0)
    return id;
  read_entries (cJSON_GetObjectItemCaseSensitive (data, "fields"), &fields);
  return add_customer (db, uuid, data, &fields, &created, NULL, error);
}

gint64
joren_replica_ensure_customer (JorenDb     *db,
                               const char  *uuid,
                               const cJSON *data,
                               GError     **error)
{
  return ensure_customer (db, uuid, data, error);
}

static gboolean
add_phones (JorenDb         *db,
            Batch           *batch,
            gint64           customer_id,
            const cJSON     *phones,
            const PickCopy  *copy,
            GError         **error)
{
  const cJSON *phone;

  cJSON_ArrayForEach (phone, phones)
    {
      const char *text = cJSON_IsString (phone) ? phone->valuestring : "";
      gsize length = strlen (text);
      BatchValue row[] = {
        { customer_id, NULL }, { 0, text }, { 0, text + (length > 4 ? length - 4 : 0) }, { 0, text },
        { 0, copy->name }, { 0, copy->reading }, { 0, copy->member_no },
      };

      if (!batch_add (db, batch, row, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_phones (JorenDb      *db,
              gint64        customer_id,
              const cJSON  *phones,
              GError      **error)
{
  g_autoptr(JorenStmt) drop = joren_db_prepare (db, "DELETE FROM customer_phones WHERE customer_id = ?", error);
  /* update_customer rewrites the copies once the merge is done. */
  const PickCopy copy = { "", "", "" };
  Batch batch;
  gboolean ok;

  if (drop == NULL)
    return FALSE;
  sqlite3_bind_int64 (drop, 1, customer_id);
  phones_init (&batch);
  ok = joren_db_step_done (db, drop, _("Could not save the customer."), error)
       && add_phones (db, &batch, customer_id, phones, &copy, error)
       && batch_flush (db, &batch, error);
  batch_clear (&batch);
  return ok;
}

static gboolean
write_field (JorenDb                  *db,
             gint64                    customer_id,
             const JorenCustomerField *field,
             const cJSON              *value,
             GError                  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *sql = NULL;

  if (field->type == JOREN_FIELD_PHONES)
    return write_phones (db, customer_id, value, error);
  /* The column name comes from joren_customer_fields, never from input. */
  sql = g_strdup_printf ("UPDATE customers SET %s = ? WHERE id = ?", field->name);
  stmt = joren_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_field_value (stmt, 1, field, value);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  return joren_db_step_done (db, stmt, _("Could not save the customer."), error);
}

/* Newer time wins; on a tie, the higher register id: every register and
 * the server pick the same winner whatever order changes arrive in. */
static gboolean
remote_wins (const JorenFieldClock *local,
             gint64                 at,
             gint64                 register_id)
{
  if (local->value == NULL)
    return TRUE;
  if (at != local->changed_at)
    return at > local->changed_at;
  return register_id > local->register_id;
}

static gboolean
merge_field (JorenDb                  *db,
             gint64                    customer_id,
             const JorenCustomerField *field,
             const cJSON              *entry,
             GError                  **error)
{
  const cJSON *value = cJSON_GetObjectItemCaseSensitive (entry, "value");
  gint64 at = joren_json_get_int (entry, "at", 0);
  gint64 register_id = joren_json_get_int (entry, "register", 0);
  g_autofree char *text = NULL;
  JorenFieldClock local = { 0 };
  g_autofree char *local_value = NULL;

  if (value == NULL || (text = joren_json_to_canonical (value, error)) == NULL
      || !joren_field_clock_read (db, customer_id, field->name, &local, error))
    return FALSE;
  local_value = local.value;
  if (g_strcmp0 (local_value, text) == 0 && local.changed_at == at)
    return TRUE;  /* our own change coming back */
  if (!remote_wins (&local, at, register_id))
    return joren_field_history_add (db, customer_id, field->name, text, at, register_id, error);
  if (local_value != NULL
      && !joren_field_history_add (db, customer_id, field->name, local_value,
                                   local.changed_at, local.register_id, error))
    return FALSE;
  return write_field (db, customer_id, field, value, error)
         && joren_field_clock_write (db, customer_id, field->name, text, at, register_id, error);
}

/* A field of a customer just created from this document: nothing local
 * to merge with, the value is in the new row already (the phones
 * excepted), only its clock starts. The first pull of a big chain is a
 * million of these, so no clock is read and no column updated. */
static gboolean
start_field (JorenDb                  *db,
             Waiting                  *waiting,
             gint64                    customer_id,
             const PickCopy           *copy,
             const JorenCustomerField *field,
             const cJSON              *entry,
             GError                  **error)
{
  const cJSON *value = cJSON_GetObjectItemCaseSensitive (entry, "value");
  BatchValue clock[] = {
    { customer_id, NULL }, { 0, field->name }, { 0, NULL },
    { joren_json_get_int (entry, "at", 0), NULL }, { joren_json_get_int (entry, "register", 0), NULL },
  };
  char *text;

  if (value == NULL)
    return refuse ("customer", error);
  if (field->type == JOREN_FIELD_PHONES
      && !add_phones (db, &waiting->phones, customer_id, value, copy, error))
    return FALSE;
  text = joren_json_to_canonical (value, error);
  if (text == NULL)
    return FALSE;
  clock[2].text = batch_keep (&waiting->clocks, text);
  return batch_add (db, &waiting->clocks, clock, error);
}

static gboolean
add_cards (JorenDb      *db,
           Batch        *batch,
           gint64        customer_id,
           const cJSON  *cards,
           GError      **error)
{
  const cJSON *card;

  cJSON_ArrayForEach (card, cards)
    {
      const char *code = joren_json_get_string (card, "code");
      const char *kind = joren_json_get_string (card, "kind");
      BatchValue row[] = {
        { 0, code }, { customer_id, NULL }, { 0, kind }, { g_get_real_time (), NULL },
      };

      if (code == NULL || kind == NULL)
        return refuse ("customer", error);
      if (!batch_add (db, batch, row, error))
        return FALSE;
    }
  return TRUE;
}

/* A known customer's cards, written now. */
static gboolean
merge_cards (JorenDb      *db,
             gint64        customer_id,
             const cJSON  *cards,
             GError      **error)
{
  Batch batch;
  gboolean ok;

  cards_init (&batch);
  ok = add_cards (db, &batch, customer_id, cards, error) && batch_flush (db, &batch, error);
  batch_clear (&batch);
  return ok;
}

static gboolean
exec_ids (JorenDb     *db,
          const char  *sql,
          gint64       a,
          gint64       b,
          GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  return joren_db_step_done (db, stmt, _("Could not merge the customers."), error);
}

/* The same card was registered for two customers: the server merged
 * `from` into `into`. Cards and phones move; the ledger is append-only,
 * so the balance moves as a pair of entries (op ids "merge:<uuid>", kept
 * out of the outbox: the server counts the merged customer's rows
 * already). */
static gboolean
merge_customer (JorenDb     *db,
                gint64       from,
                gint64       into,
                const char  *uuid,
                GError     **error)
{
  g_autofree char *op_out = g_strconcat ("merge:", uuid, ":out", NULL);
  g_autofree char *op_in = g_strconcat ("merge:", uuid, ":in", NULL);
  g_autoptr(JorenStmt) move = NULL;

  if (from == into)
    return TRUE;
  if (!exec_ids (db, "UPDATE OR IGNORE customer_cards SET customer_id = ?2 WHERE customer_id = ?1",
                 from, into, error)
      || !exec_ids (db, "UPDATE customers SET merged_into = ?2 WHERE id = ?1", from, into, error))
    return FALSE;
  move = joren_db_prepare (db, "INSERT OR IGNORE INTO points_ledger (customer_id, kind, points, reason,"
                               " created_at, op_id) SELECT ?1, 'adjust', -s, 'merged', ?3, ?4 FROM"
                               " (SELECT sum (points) AS s FROM points_ledger WHERE customer_id = ?1)"
                               " WHERE s <> 0 UNION ALL SELECT ?2, 'adjust', s, 'merged', ?3, ?5 FROM"
                               " (SELECT sum (points) AS s FROM points_ledger WHERE customer_id = ?1)"
                               " WHERE s <> 0", error);
  if (move == NULL)
    return FALSE;
  sqlite3_bind_int64 (move, 1, from);
  sqlite3_bind_int64 (move, 2, into);
  sqlite3_bind_int64 (move, 3, g_get_real_time ());
  sqlite3_bind_text (move, 4, op_out, -1, SQLITE_STATIC);
  sqlite3_bind_text (move, 5, op_in, -1, SQLITE_STATIC);
  return joren_db_step_done (db, move, _("Could not merge the customers."), error);
}

/* A text field's value as add_customer stored it. */
static const char *
field_text (const FieldEntries *fields,
            const char         *name)
{
  for (guint i = 0; i < joren_n_customer_fields; i++)
    if (g_str_equal (joren_customer_fields[i].name, name))
      {
        const cJSON *value = entry_value (fields, i);

        return cJSON_IsString (value) ? value->valuestring : "";
      }
  g_assert_not_reached ();
}

/* A customer this document created: its rows wait in the page's batches. */
static gboolean
start_customer (JorenDb             *db,
                Waiting             *waiting,
                gint64               id,
                const cJSON         *data,
                const FieldEntries  *fields,
                const char          *member_no,
                GError             **error)
{
  const PickCopy copy = {
    field_text (fields, "name"), field_text (fields, "reading"), member_no != NULL ? member_no : ""
  };

  for (guint i = 0; i < joren_n_customer_fields; i++)
    if (fields->entries[i] != NULL
        && !start_field (db, waiting, id, &copy, &joren_customer_fields[i], fields->entries[i], error))
      return FALSE;
  return add_cards (db, &waiting->cards, id, cJSON_GetObjectItemCaseSensitive (data, "cards"), error);
}

/* A customer this register knew: merged field by field, after the rows
 * waiting are written (they may be its own). */
static gboolean
update_customer (JorenDb      *db,
                 Waiting      *waiting,
                 gint64        id,
                 const cJSON  *data,
                 GError      **error)
{
  const cJSON *fields = cJSON_GetObjectItemCaseSensitive (data, "fields");

  if (!write_waiting (db, waiting, error))
    return FALSE;
  for (guint i = 0; i < joren_n_customer_fields; i++)
    {
      const JorenCustomerField *field = &joren_customer_fields[i];
      const cJSON *entry = cJSON_GetObjectItemCaseSensitive (fields, field->name);

      if (entry != NULL && !merge_field (db, id, field, entry, error))
        return FALSE;
    }
  /* A first load runs with the triggers that keep them off. */
  return merge_cards (db, id, cJSON_GetObjectItemCaseSensitive (data, "cards"), error)
         && joren_customer_refresh_pick (db, id, error);
}

static gboolean
apply_customer (JorenDb      *db,
                Waiting      *waiting,
                const cJSON  *data,
                GError      **error)
{
  const char *uuid = joren_json_get_string (data, "uuid");
  const char *merged_into = joren_json_get_string (data, "merged_into");
  const cJSON *fields = cJSON_GetObjectItemCaseSensitive (data, "fields");
  FieldEntries entries;
  gint64 id;
  gboolean created;
  const char *member_no = NULL;

  if (uuid == NULL || !cJSON_IsObject (fields))
    return refuse ("customer", error);
  read_entries (fields, &entries);
  id = add_customer (db, uuid, data, &entries, &created, &member_no, error);
  if (id == 0
      || !(created ? start_customer (db, waiting, id, data, &entries, member_no, error)
                   : update_customer (db, waiting, id, data, error)))
    return FALSE;
  if (merged_into == NULL)
    return TRUE;
  return write_waiting (db, waiting, error)
         && merge_customer (db, id, ensure_customer (db, merged_into, NULL, error), uuid, error);
}

/* --- points -------------------------------------------------------------- */

static gboolean
apply_points (JorenDb      *db,
              const cJSON  *data,
              GError      **error)
{
  const char *op_id = joren_json_get_string (data, "op_id");
  const char *uuid = joren_json_get_string (data, "customer_uuid");
  const char *kind = joren_json_get_string (data, "kind");
  g_autoptr(JorenStmt) stmt = NULL;
  gint64 customer_id;

  if (op_id == NULL || uuid == NULL || kind == NULL)
    return refuse ("points entry", error);
  /* Our own entries come back through the feed: we have them. */
  if (joren_json_get_int (data, "register", 0) == joren_outbox_get_register_id (db))
    return TRUE;
  customer_id = ensure_customer (db, uuid, NULL, error);
  if (customer_id == 0)
    return FALSE;
  stmt = joren_db_prepare (db, "INSERT OR IGNORE INTO points_ledger (customer_id, kind, points, reason,"
                               " sale_uuid, created_at, op_id) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, joren_json_get_int (data, "points", 0));
  joren_db_bind_text_or_null (stmt, 4, joren_json_get_string (data, "reason"));
  joren_db_bind_text_or_null (stmt, 5, joren_json_get_string (data, "sale_uuid"));
  sqlite3_bind_int64 (stmt, 6, joren_json_get_int (data, "created_at", 0));
  sqlite3_bind_text (stmt, 7, op_id, -1, SQLITE_STATIC);
  return joren_db_step_done (db, stmt, _("Could not save the points."), error);
}

/* --- value accounts ---------------------------------------------------- */

/* The account an entry of another register names, created here as that
 * register described it when this register never saw it. */
static gint64
ensure_value_account (JorenDb      *db,
                      const cJSON  *data,
                      GError      **error)
{
  const char *customer_uuid = joren_json_get_string (data, "customer_uuid");
  g_autoptr(JorenStmt) stmt = NULL;
  gint64 customer_id = 0;
  gboolean has_row = FALSE;

  if (customer_uuid != NULL && (customer_id = ensure_customer (db, customer_uuid, NULL, error)) == 0)
    return 0;
  stmt = joren_db_prepare (db, "INSERT INTO value_accounts (number, kind, customer_id, expires_at,"
                               " credit_limit, store, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                               " ON CONFLICT (number) DO UPDATE SET number = number RETURNING id", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, joren_json_get_string (data, "number"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, joren_json_get_string (data, "account_kind"), -1, SQLITE_STATIC);
  if (customer_id != 0)
    sqlite3_bind_int64 (stmt, 3, customer_id);
  if (joren_json_get_int (data, "expires_at", 0) != 0)
    sqlite3_bind_int64 (stmt, 4, joren_json_get_int (data, "expires_at", 0));
  sqlite3_bind_int64 (stmt, 5, joren_json_get_int (data, "credit_limit", 0));
  sqlite3_bind_text (stmt, 6, joren_json_get_string (data, "store"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not save the voucher."), error))
    return 0;
  return has_row ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* Other registers' voucher entries join this register's ledger, so the
 * balance it shows offline is the chain's as last heard. */
static gboolean
apply_value_entry (JorenDb      *db,
                   const cJSON  *data,
                   GError      **error)
{
  const char *op_id = joren_json_get_string (data, "op_id");
  g_autoptr(JorenStmt) stmt = NULL;
  gint64 account_id;

  if (op_id == NULL || joren_json_get_string (data, "number") == NULL
      || joren_json_get_string (data, "kind") == NULL || joren_json_get_string (data, "store") == NULL
      || joren_json_get_string (data, "account_kind") == NULL)
    return refuse ("value entry", error);
  if (joren_json_get_int (data, "register", 0) == joren_outbox_get_register_id (db))
    return TRUE;
  account_id = ensure_value_account (db, data, error);
  if (account_id == 0)
    return FALSE;
  stmt = joren_db_prepare (db, "INSERT OR IGNORE INTO value_ledger (account_id, kind, amount, reason,"
                               " sale_uuid, created_at, op_id) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, joren_json_get_string (data, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, joren_json_get_int (data, "amount", 0));
  joren_db_bind_text_or_null (stmt, 4, joren_json_get_string (data, "reason"));
  joren_db_bind_text_or_null (stmt, 5, joren_json_get_string (data, "sale_uuid"));
  sqlite3_bind_int64 (stmt, 6, joren_json_get_int (data, "created_at", 0));
  sqlite3_bind_text (stmt, 7, op_id, -1, SQLITE_STATIC);
  return joren_db_step_done (db, stmt, _("Could not save the voucher."), error);
}

/* --- count cards and stamps ------------------------------------------- */

/* The card an entry names (by the sale line that issued it), created
 * here when it was sold on another register. Products this register
 * does not know are left out rather than failing the page. */
static gint64
ensure_punch_card (JorenDb      *db,
                   gint64        customer_id,
                   const cJSON  *card,
                   GError      **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  if (joren_json_get_string (card, "sale_uuid") == NULL || joren_json_get_string (card, "name") == NULL
      || joren_json_get_int (card, "visits", 0) <= 0)
    return refuse ("count card", error), 0;
  stmt = joren_db_prepare (db, "INSERT INTO punch_cards (customer_id, product_id, name, visits,"
                               " covers_product_id, covers_category_id, issued_at, expires_at, sale_uuid,"
                               " line_position, seq) VALUES (?1, (SELECT id FROM products WHERE id = ?2),"
                               " ?3, ?4, (SELECT id FROM products WHERE id = ?5),"
                               " (SELECT id FROM categories WHERE id = ?6), ?7, ?8, ?9, ?10, ?11)"
                               " ON CONFLICT (sale_uuid, line_position, seq) DO UPDATE SET seq = seq"
                               " RETURNING id", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  joren_db_bind_id_or_null (stmt, 2, joren_json_get_int (card, "product_id", 0));
  sqlite3_bind_text (stmt, 3, joren_json_get_string (card, "name"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, joren_json_get_int (card, "visits", 0));
  joren_db_bind_id_or_null (stmt, 5, joren_json_get_int (card, "covers_product_id", 0));
  joren_db_bind_id_or_null (stmt, 6, joren_json_get_int (card, "covers_category_id", 0));
  sqlite3_bind_int64 (stmt, 7, joren_json_get_int (card, "issued_at", 0));
  joren_db_bind_id_or_null (stmt, 8, joren_json_get_int (card, "expires_at", 0));
  sqlite3_bind_text (stmt, 9, joren_json_get_string (card, "sale_uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, joren_json_get_int (card, "line_position", 0));
  sqlite3_bind_int64 (stmt, 11, joren_json_get_int (card, "seq", 0));
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not issue the count card."), error))
    return 0;
  return has_row ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* Programmes are set up per register and known by name; 0 when this
 * register runs no programme of that name (its stamps do not count
 * here). An active one wins over an ended one. */
static gint64
find_stamp_programme (JorenDb     *db,
                      const cJSON *programme)
{
  g_autoptr(JorenStmt) stmt = NULL;
  const char *name = joren_json_get_string (programme, "name");

  stmt = joren_db_prepare (db, "SELECT id FROM stamp_programmes WHERE name = ?"
                               " ORDER BY active DESC, id LIMIT 1", NULL);
  if (stmt == NULL || name == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

static gboolean
insert_punch_entry (JorenDb      *db,
                    gint64        customer_id,
                    gint64        card_id,
                    gint64        programme_id,
                    const cJSON  *data,
                    GError      **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "INSERT OR IGNORE INTO punch_ledger (customer_id, card_id, programme_id,"
                               " kind, units, reason, sale_uuid, created_at, op_id)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  joren_db_bind_id_or_null (stmt, 2, card_id);
  joren_db_bind_id_or_null (stmt, 3, programme_id);
  sqlite3_bind_text (stmt, 4, joren_json_get_string (data, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, joren_json_get_int (data, "units", 0));
  joren_db_bind_text_or_null (stmt, 6, joren_json_get_string (data, "reason"));
  joren_db_bind_text_or_null (stmt, 7, joren_json_get_string (data, "sale_uuid"));
  sqlite3_bind_int64 (stmt, 8, joren_json_get_int (data, "created_at", 0));
  sqlite3_bind_text (stmt, 9, joren_json_get_string (data, "op_id"), -1, SQLITE_STATIC);
  return joren_db_step_done (db, stmt, _("Could not save the cards."), error);
}

/* Other registers' card and stamp entries join this register's ledger,
 * so visits left and stamps are the chain's as last heard. */
static gboolean
apply_punch (JorenDb      *db,
             const cJSON  *data,
             GError      **error)
{
  const char *uuid = joren_json_get_string (data, "customer_uuid");
  const cJSON *card = cJSON_GetObjectItemCaseSensitive (data, "card");
  const cJSON *programme = cJSON_GetObjectItemCaseSensitive (data, "programme");
  gint64 customer_id, card_id = 0, programme_id = 0;

  if (joren_json_get_string (data, "op_id") == NULL || uuid == NULL
      || joren_json_get_string (data, "kind") == NULL || cJSON_IsObject (card) == cJSON_IsObject (programme))
    return refuse ("card entry", error);
  if (joren_json_get_int (data, "register", 0) == joren_outbox_get_register_id (db))
    return TRUE;
  if (programme != NULL && (programme_id = find_stamp_programme (db, programme)) == 0)
    return TRUE;
  customer_id = ensure_customer (db, uuid, NULL, error);
  if (customer_id == 0 || (card != NULL && (card_id = ensure_punch_card (db, customer_id, card, error)) == 0))
    return FALSE;
  return insert_punch_entry (db, customer_id, card_id, programme_id, data, error);
}

/* --- pages --------------------------------------------------------------- */

static gboolean
apply_change (JorenDb                  *db,
              Waiting                  *waiting,
              const JorenReplicaChange *change,
              GError                  **error)
{
  gboolean customer = change->data != NULL && g_str_equal (change->entity, "customer");

  /* Only new customers' rows wait: anything else may read them. */
  if (!customer && !write_waiting (db, waiting, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (master_tables); i++)
    if (g_str_equal (change->entity, master_tables[i].entity))
      return apply_master (db, &master_tables[i], change, error);
  if (change->data == NULL)
    return TRUE;  /* customers and points are never deleted */
  if (customer)
    return apply_customer (db, waiting, change->data, error);
  if (g_str_equal (change->entity, "points"))
    return apply_points (db, change->data, error);
  if (g_str_equal (change->entity, "value_entry"))
    return apply_value_entry (db, change->data, error);
  if (g_str_equal (change->entity, "punch"))
    return apply_punch (db, change->data, error);
  if (g_str_equal (change->entity, "coupon_campaign"))
    return joren_coupon_sync_apply_campaign (db, change->data, error);
  if (g_str_equal (change->entity, "coupon_codes"))
    return joren_coupon_sync_apply_codes (db, change->data, error);
  if (g_str_equal (change->entity, "coupon_redemption"))
    return joren_coupon_sync_apply_redemption (db, change->data, error);
  g_debug ("Skipping unknown entity \"%s\" from the server", change->entity);
  return TRUE;
}

static gboolean
apply_page (JorenDb                  *db,
            const JorenReplicaChange *changes,
            guint                     n_changes,
            gint64                    cursor,
            GError                  **error)
{
  Waiting waiting;
  gboolean ok;

  waiting_init (&waiting);
  ok = joren_db_exec (db, "INSERT INTO sync_applying (flag) VALUES (1)",
                      _("Could not save what the server sent."), error);
  for (guint i = 0; ok && i < n_changes; i++)
    ok = apply_change (db, &waiting, &changes[i], error);
  ok = ok && write_waiting (db, &waiting, error)
       && joren_db_exec (db, "DELETE FROM sync_applying", _("Could not save what the server sent."), error)
       && joren_outbox_state_set (db, "cursor", cursor, error);
  waiting_clear (&waiting);
  return ok;
}

gboolean
joren_replica_apply (JorenDb                  *db,
                     const JorenReplicaChange *changes,
                     guint                     n_changes,
                     gint64                    cursor,
                     GError                  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (changes != NULL || n_changes == 0, FALSE);

  /* Applying one page at a time wants every index (a first load cut
   * short may have left some to build). */
  if (!joren_db_build_deferred_indexes (db, error) || !joren_db_begin (db, error))
    return FALSE;
  if (apply_page (db, changes, n_changes, cursor, error) && joren_db_commit (db, error))
    return TRUE;
  joren_db_rollback (db);
  return FALSE;
}

gint64
joren_replica_get_cursor (JorenDb *db)
{
  g_return_val_if_fail (JOREN_IS_DB (db), 0);

  return joren_outbox_state_get (db, "cursor");
}

/* --- first loads ----------------------------------------------------------
 * Committing every 1000-change page rewrote ~2,400 pages each time (the
 * uuid, reading and last-4 indexes take random keys) and the checkpoints
 * copied them again: most of a first load's time. A transaction of tens
 * of thousands of changes touches each index page once, and a cache that
 * holds those pages avoids spilling them mid-transaction.
 *
 * A new register's load (from cursor 0, or one cut short) goes further.
 * Even so, each commit rewrote most pages of the indexes whose keys come
 * in random order: 2.7 GB of WAL for a 600 MB file, and the uuid index
 * alone was a quarter of the applying. They are dropped when it starts
 * and built once, sorted, when it ends (joren_db_defer_indexes: what a
 * load cut short deferred is built by the next pull that cannot go on
 * with it); customers are known by uuid in memory meanwhile (Known).
 * Triggers are off on the loading connection too: those of the tables
 * the feed writes mark local changes for the outbox (skipped anyway
 * while sync_applying has a row), name a row that has no uuid, or guard
 * ledgers the feed only appends to; evaluating them per row was a fifth
 * of the applying. So are foreign keys: each card, phone and clock row
 * looked its customer up, which the applier has just written itself
 * (and a product may arrive before a category renamed after it).
 *
 * Any load commits with synchronous = NORMAL: a commit no longer waits
 * for the disk (the checkpoints still do). A power cut may then lose the
 * last transactions, never half of one: the cursor is stored with the
 * pages it covers, so what is lost is fetched again. */

#define LOAD_MAX_US (2 * G_USEC_PER_SEC)
#define LOAD_CACHE_KIB 262144
#define LOAD_AUTOCHECKPOINT 65536
#define LOAD_SYNCHRONOUS 1   /* NORMAL */

/* Their keys arrive in random order; none serves the applier (the uuids
 * are known in memory meanwhile, which keeps them unique). */
static const char * const deferred_indexes[] = {
  "customers_uuid", "customers_name", "customers_reading", "customer_phones_phone",
  "customer_phones_last4", "products_name", "products_grid", "products_order", NULL
};

struct _JorenReplicaLoad {
  JorenDb *db;
  gint64   cache_size;        /* to restore */
  gint64   autocheckpoint;
  gint64   synchronous;
  gboolean foreign_keys;
  gboolean first;             /* a new register's: indexes deferred, triggers off */
  gboolean open;
  guint    pending;           /* changes in the open transaction */
  gint64   started;
};

static void
enable_triggers (JorenDb  *db,
                 gboolean  enable)
{
  sqlite3_db_config (joren_db_get_handle (db), SQLITE_DBCONFIG_ENABLE_TRIGGER, enable, (int *) NULL);
}

static gint64
read_pragma (JorenDb    *db,
             const char *sql)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* Outside a transaction only: SQLite ignores it inside one. */
static gboolean
enable_foreign_keys (JorenDb   *db,
                     gboolean   enable,
                     GError   **error)
{
  return joren_db_exec (db, enable ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF",
                        _("Could not prepare the first load."), error);
}

static gboolean
start_first_load (JorenReplicaLoad  *load,
                  GError           **error)
{
  if (!joren_db_defer_indexes (load->db, deferred_indexes, error))
    return FALSE;
  load->first = TRUE;
  enable_triggers (load->db, FALSE);
  load->foreign_keys = read_pragma (load->db, "PRAGMA foreign_keys") != 0;
  return enable_foreign_keys (load->db, FALSE, error) && start_known (load->db, error);
}

/* Pragmas take no parameters; the values are ours, never input. */
static gboolean
set_pragmas (JorenDb  *db,
             gint64    cache_size,
             gint64    autocheckpoint,
             gint64    synchronous,
             GError  **error)
{
  g_autofree char *cache = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, cache_size);
  g_autofree char *checkpoint = g_strdup_printf ("PRAGMA wal_autocheckpoint = %" G_GINT64_FORMAT,
                                                 autocheckpoint);
  g_autofree char *sync = g_strdup_printf ("PRAGMA synchronous = %" G_GINT64_FORMAT, synchronous);
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, checkpoint, error);

  /* wal_autocheckpoint answers a row: step it by hand. */
  if (stmt == NULL || !joren_db_exec (db, cache, _("Could not prepare the first load."), error)
      || !joren_db_exec (db, sync, _("Could not prepare the first load."), error))
    return FALSE;
  sqlite3_step (stmt);
  return TRUE;
}

JorenReplicaLoad *
joren_replica_load_new (JorenDb  *db,
                        GError  **error)
{
  g_autoptr(JorenReplicaLoad) load = g_new0 (JorenReplicaLoad, 1);

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  load->db = g_object_ref (db);
  load->cache_size = read_pragma (db, "PRAGMA cache_size");
  load->autocheckpoint = read_pragma (db, "PRAGMA wal_autocheckpoint");
  load->synchronous = read_pragma (db, "PRAGMA synchronous");
  if (!set_pragmas (db, -LOAD_CACHE_KIB, LOAD_AUTOCHECKPOINT, LOAD_SYNCHRONOUS, error))
    return NULL;
  /* A first load cut short goes on as it started. */
  if ((joren_replica_get_cursor (db) == 0 || joren_db_has_deferred_indexes (db))
      && !start_first_load (load, error))
    return NULL;
  return g_steal_pointer (&load);
}

gboolean
joren_replica_load_apply (JorenReplicaLoad         *load,
                          const JorenReplicaChange *changes,
                          guint                     n_changes,
                          gint64                    cursor,
                          GError                  **error)
{
  g_return_val_if_fail (load != NULL, FALSE);
  g_return_val_if_fail (changes != NULL || n_changes == 0, FALSE);

  if (!load->open)
    {
      if (!joren_db_begin (load->db, error))
        return FALSE;
      if (load->first && !learn_customers (load->db, get_known (load->db), error))
        {
          joren_db_rollback (load->db);
          return FALSE;
        }
      load->open = TRUE;
      load->pending = 0;
      load->started = g_get_monotonic_time ();
    }
  if (!apply_page (load->db, changes, n_changes, cursor, error))
    {
      joren_db_rollback (load->db);
      load->open = FALSE;
      return FALSE;
    }
  load->pending += n_changes;
  if (load->pending < JOREN_REPLICA_LOAD_CHANGES
      && g_get_monotonic_time () - load->started < LOAD_MAX_US)
    return TRUE;
  return joren_replica_load_commit (load, error);
}

gboolean
joren_replica_load_commit (JorenReplicaLoad  *load,
                           GError           **error)
{
  g_return_val_if_fail (load != NULL, FALSE);

  if (!load->open)
    return TRUE;
  load->open = FALSE;
  return joren_db_commit (load->db, error);
}

/* Lookups are fast as soon as a first load returns: its indexes are
 * built here, not later. */
gboolean
joren_replica_load_finish (JorenReplicaLoad  *load,
                           GError           **error)
{
  g_return_val_if_fail (load != NULL, FALSE);

  return joren_replica_load_commit (load, error)
         && (!load->first || joren_db_build_deferred_indexes (load->db, error));
}

void
joren_replica_load_free (JorenReplicaLoad *load)
{
  if (load == NULL)
    return;
  if (load->open)
    joren_db_rollback (load->db);
  if (load->first)
    {
      forget_known (load->db);
      enable_triggers (load->db, TRUE);
      enable_foreign_keys (load->db, load->foreign_keys, NULL);
    }
  if (load->cache_size != 0)
    set_pragmas (load->db, load->cache_size, load->autocheckpoint, load->synchronous, NULL);
  /* Now rather than in the next sale's commit. */
  read_pragma (load->db, "PRAGMA wal_checkpoint (TRUNCATE)");
  g_object_unref (load->db);
  g_free (load);
}
