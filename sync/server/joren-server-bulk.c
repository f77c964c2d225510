/* joren-server-bulk.c: generating a big demo chain (see
 * joren-server-bulk.h). A million members through the push endpoint
 * would take minutes and measure the wrong thing; this writes the rows
 * a push would leave (customers, their winning fields, cards, phones)
 * and the feed documents customer_to_json() would publish, straight into
 * the file on its own connection, with statements prepared once and
 * one transaction, so a pull benchmark starts from a chain that looks
 * exactly like a real one to a register. */
#include "config.h"

#include <sqlite3.h>

#include "joren-autocleanups.h"
#include "joren-barcode.h"
#include "joren-customer.h"
#include "joren-server-bulk.h"
#include "joren-sync-protocol.h"

#define N_CATEGORIES 24
#define BUSY_TIMEOUT_MS 10000

enum {
  STMT_MASTER,
  STMT_CHANGE,
  STMT_CUSTOMER,
  STMT_FIELD,
  STMT_CARD,
  STMT_PHONE,
  N_STMTS
};

static const char *const bulk_sql[N_STMTS] = {
  "INSERT INTO master_data (entity, id, data) VALUES (?, ?, ?)",
  "INSERT INTO changes (entity, entity_id, data) VALUES (?, ?, ?)",
  "INSERT INTO customers (uuid, member_no, name, store, register_id, created_at, updated_at)"
  " VALUES (?, ?, ?, 'B', ?, ?, ?5)",
  "INSERT INTO customer_fields (customer_id, field, value, changed_at, register_id)"
  " VALUES (?, ?, ?, ?, ?)",
  "INSERT INTO customer_cards (code, customer_id, kind, register_id, added_at)"
  " VALUES (?, ?, 'barcode', ?, ?)",
  "INSERT INTO customer_phones (customer_id, phone) VALUES (?, ?)",
};

typedef struct {
  sqlite3      *handle;
  sqlite3_stmt *stmts[N_STMTS];
  gint64        register_id;
  gint64        now;
  GString      *text;   /* canonical JSON, reused for every document */
} Bulk;

static gboolean
fail (Bulk    *bulk,
      GError **error)
{
  g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
               "Could not generate the demo chain: %s", sqlite3_errmsg (bulk->handle));
  return FALSE;
}

/* Steps a prepared insert once and makes it ready for the next row. */
static gboolean
step (Bulk    *bulk,
      guint    which,
      GError **error)
{
  sqlite3_stmt *stmt = bulk->stmts[which];
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE || fail (bulk, error);
}

static gboolean
exec (Bulk       *bulk,
      const char *sql,
      GError    **error)
{
  return sqlite3_exec (bulk->handle, sql, NULL, NULL, NULL) == SQLITE_OK || fail (bulk, error);
}

/* One integer from a query with an optional text parameter. */
static gint64
query_int (Bulk       *bulk,
           const char *sql,
           const char *param)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 value = 0;

  if (sqlite3_prepare_v2 (bulk->handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  return value;
}

static gint64
max_entity_id (Bulk       *bulk,
               const char *entity)
{
  return query_int (bulk, "SELECT coalesce (max (id), 0) FROM master_data WHERE entity = ?", entity);
}

/* master_data and the feed get the same canonical text, as publish()
 * in joren-server-db.c writes them. Takes doc. */
static gboolean
publish (Bulk       *bulk,
         const char *entity,
         gint64      id,
         cJSON      *doc,
         GError    **error)
{
  g_autoptr(cJSON) owned = doc;

  g_string_truncate (bulk->text, 0);
  if (!joren_sync_write_canonical (bulk->text, owned, error))
    return FALSE;
  for (guint which = STMT_MASTER; which <= STMT_CHANGE; which++)
    {
      sqlite3_bind_text (bulk->stmts[which], 1, entity, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (bulk->stmts[which], 2, id);
      sqlite3_bind_text (bulk->stmts[which], 3, bulk->text->str, (int) bulk->text->len, SQLITE_STATIC);
      if (!step (bulk, which, error))
        return FALSE;
    }
  return TRUE;
}

/* --- master data ----------------------------------------------------------- */

/* The chain's tax classes: those there are, else Japan's two rates.
 * Returns the id products use, 0 on error. */
static gint64
ensure_tax_classes (Bulk    *bulk,
                    GError **error)
{
  static const struct { const char *code, *name; int rate_bp; } rates[] = {
    { "std", "Standard 10%", 1000 }, { "reduced", "Reduced 8%", 800 },
  };
  gint64 first = query_int (bulk, "SELECT coalesce (min (id), 0) FROM master_data WHERE entity = ?",
                            "tax_class");

  if (first != 0)
    return first;
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      cJSON *doc = cJSON_CreateObject ();

      cJSON_AddNumberToObject (doc, "id", i + 1);
      cJSON_AddStringToObject (doc, "code", rates[i].code);
      cJSON_AddStringToObject (doc, "name", rates[i].name);
      cJSON_AddNumberToObject (doc, "rate_bp", rates[i].rate_bp);
      if (!publish (bulk, "tax_class", i + 1, doc, error))
        return 0;
    }
  return 1;
}

static gboolean
add_categories (Bulk    *bulk,
                gint64   first_id,
                GError **error)
{
  for (gint64 id = first_id; id < first_id + N_CATEGORIES; id++)
    {
      g_autofree char *name = g_strdup_printf ("Chain category %" G_GINT64_FORMAT, id);
      cJSON *doc = cJSON_CreateObject ();

      cJSON_AddNumberToObject (doc, "id", (double) id);
      cJSON_AddStringToObject (doc, "name", name);
      cJSON_AddNullToObject (doc, "colour");
      cJSON_AddNumberToObject (doc, "position", (double) (id - first_id));
      cJSON_AddBoolToObject (doc, "active", TRUE);
      if (!publish (bulk, "category", id, doc, error))
        return FALSE;
    }
  return TRUE;
}

/* EAN-13 with the GS1 Japan prefix 49 and the product id. */
static char *
make_product_barcode (gint64 id)
{
  char digits[13];

  g_snprintf (digits, sizeof digits, "49%010" G_GINT64_FORMAT, id);
  return g_strdup_printf ("%s%u", digits, joren_ean_check_digit (digits, 12));
}

/* The document product_to_json() in joren-server-admin.c makes. */
static cJSON *
product_doc (gint64 id,
             gint64 tax_class_id,
             gint64 category_id)
{
  g_autofree char *sku = g_strdup_printf ("CH-%" G_GINT64_FORMAT, id);
  g_autofree char *name = g_strdup_printf ("Chain product %" G_GINT64_FORMAT, id);
  g_autofree char *barcode = make_product_barcode (id);
  cJSON *doc = cJSON_CreateObject ();
  cJSON *barcodes;

  cJSON_AddNumberToObject (doc, "id", (double) id);
  cJSON_AddStringToObject (doc, "sku", sku);
  cJSON_AddStringToObject (doc, "name", name);
  cJSON_AddNumberToObject (doc, "price", (double) (100 + id % 50 * 20));
  cJSON_AddNumberToObject (doc, "tax_class_id", (double) tax_class_id);
  cJSON_AddNumberToObject (doc, "category_id", (double) category_id);
  cJSON_AddNullToObject (doc, "colour");
  cJSON_AddBoolToObject (doc, "active", TRUE);
  cJSON_AddStringToObject (doc, "embed", "none");
  barcodes = cJSON_AddArrayToObject (doc, "barcodes");
  cJSON_AddItemToArray (barcodes, cJSON_CreateString (barcode));
  return doc;
}

static gboolean
add_products (Bulk    *bulk,
              guint    n_products,
              GError **error)
{
  gint64 tax_class_id = ensure_tax_classes (bulk, error);
  gint64 first_category = max_entity_id (bulk, "category") + 1;
  gint64 first_id = max_entity_id (bulk, "product") + 1;

  if (tax_class_id == 0 || !add_categories (bulk, first_category, error))
    return FALSE;
  for (gint64 id = first_id; id < first_id + n_products; id++)
    if (!publish (bulk, "product", id,
                  product_doc (id, tax_class_id, first_category + id % N_CATEGORIES), error))
      return FALSE;
  return TRUE;
}

/* --- customers ------------------------------------------------------------- */

/* A winning field as merge_fields() leaves it: the row in
 * customer_fields and the entry {value, at, register} of the document.
 * Takes value. */
static gboolean
add_field (Bulk        *bulk,
           gint64       customer_id,
           cJSON       *fields,
           const char  *field,
           cJSON       *value,
           GError     **error)
{
  sqlite3_stmt *stmt = bulk->stmts[STMT_FIELD];
  cJSON *entry = cJSON_AddObjectToObject (fields, field);

  cJSON_AddItemToObject (entry, "value", value);
  cJSON_AddNumberToObject (entry, "at", (double) bulk->now);
  cJSON_AddNumberToObject (entry, "register", (double) bulk->register_id);
  g_string_truncate (bulk->text, 0);
  if (!joren_sync_write_canonical (bulk->text, value, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, bulk->text->str, (int) bulk->text->len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, bulk->now);
  sqlite3_bind_int64 (stmt, 5, bulk->register_id);
  return step (bulk, STMT_FIELD, error);
}

static gint64
insert_customer (Bulk        *bulk,
                 const char  *uuid,
                 const char  *member_no,
                 const char  *name,
                 GError     **error)
{
  sqlite3_stmt *stmt = bulk->stmts[STMT_CUSTOMER];

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, member_no, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, bulk->register_id);
  sqlite3_bind_int64 (stmt, 5, bulk->now);
  if (!step (bulk, STMT_CUSTOMER, error))
    return 0;
  return sqlite3_last_insert_rowid (bulk->handle);
}

static gboolean
insert_card_and_phone (Bulk        *bulk,
                       gint64       customer_id,
                       const char  *card,
                       const char  *phone,
                       GError     **error)
{
  sqlite3_stmt *cards = bulk->stmts[STMT_CARD];
  sqlite3_stmt *phones = bulk->stmts[STMT_PHONE];

  sqlite3_bind_text (cards, 1, card, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (cards, 2, customer_id);
  sqlite3_bind_int64 (cards, 3, bulk->register_id);
  sqlite3_bind_int64 (cards, 4, bulk->now);
  if (!step (bulk, STMT_CARD, error))
    return FALSE;
  sqlite3_bind_int64 (phones, 1, customer_id);
  sqlite3_bind_text (phones, 2, phone, -1, SQLITE_STATIC);
  return step (bulk, STMT_PHONE, error);
}

/* The document customer_to_json() in joren-server-db.c makes, without
 * its fields (added by add_field). */
static cJSON *
customer_doc (const char *uuid,
              const char *member_no,
              const char *card,
              gint64      created_at)
{
  cJSON *doc = cJSON_CreateObject ();
  cJSON *entry = cJSON_CreateObject ();

  cJSON_AddStringToObject (doc, "uuid", uuid);
  cJSON_AddStringToObject (doc, "member_no", member_no);
  cJSON_AddStringToObject (doc, "store", "B");
  cJSON_AddNumberToObject (doc, "created_at", (double) created_at);
  cJSON_AddNullToObject (doc, "merged_into");
  cJSON_AddObjectToObject (doc, "fields");
  cJSON_AddStringToObject (entry, "code", card);
  cJSON_AddStringToObject (entry, "kind", "barcode");
  cJSON_AddItemToArray (cJSON_AddArrayToObject (doc, "cards"), entry);
  return doc;
}

static gboolean
add_customer (Bulk    *bulk,
              guint    n,
              GError **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *member_no = g_strdup_printf ("B-M%u", n);
  g_autofree char *name = g_strdup_printf ("Customer %u", n);
  g_autofree char *card = g_strdup_printf ("29%011u", n);
  g_autofree char *phone = g_strdup_printf ("+8190%08u", n);
  g_autofree char *reading = joren_customer_generated_reading (n);
  g_autoptr(cJSON) doc = customer_doc (uuid, member_no, card, bulk->now);
  cJSON *fields = cJSON_GetObjectItemCaseSensitive (doc, "fields");
  gint64 id = insert_customer (bulk, uuid, member_no, name, error);

  if (id == 0
      || !add_field (bulk, id, fields, "name", cJSON_CreateString (name), error)
      || !add_field (bulk, id, fields, "reading", cJSON_CreateString (reading), error)
      || !add_field (bulk, id, fields, "phones", cJSON_CreateStringArray (&(const char *) { phone }, 1),
                     error)
      || !insert_card_and_phone (bulk, id, card, phone, error))
    return FALSE;
  return publish (bulk, "customer", id, g_steal_pointer (&doc), error);
}

static gboolean
add_customers (Bulk    *bulk,
               guint    n_customers,
               GError **error)
{
  guint first = (guint) query_int (bulk, "SELECT count(*) FROM customers", NULL) + 1;

  for (guint n = first; n < first + n_customers; n++)
    if (!add_customer (bulk, n, error))
      return FALSE;
  return TRUE;
}

/* --- the run --------------------------------------------------------------- */

/* The register the generated rows name as their origin: a "head office
 * import" register of the first store (made when there is none). */
static gboolean
add_import_register (Bulk    *bulk,
                     GError **error)
{
  g_autofree char *sql = NULL;
  gint64 store_id = query_int (bulk, "SELECT coalesce (min (id), 0) FROM stores", NULL);

  if (store_id == 0)
    {
      sql = g_strdup_printf ("INSERT INTO stores (name, created_at) VALUES ('Demo chain', %"
                             G_GINT64_FORMAT ")", bulk->now);
      if (!exec (bulk, sql, error))
        return FALSE;
      store_id = sqlite3_last_insert_rowid (bulk->handle);
      g_clear_pointer (&sql, g_free);
    }
  sql = g_strdup_printf ("INSERT INTO registers (store_id, name, created_at) VALUES (%" G_GINT64_FORMAT
                         ", 'Head office import', %" G_GINT64_FORMAT ")", store_id, bulk->now);
  if (!exec (bulk, sql, error))
    return FALSE;
  bulk->register_id = sqlite3_last_insert_rowid (bulk->handle);
  return TRUE;
}

static gboolean
open_bulk (Bulk        *bulk,
           const char  *db_path,
           GError     **error)
{
  bulk->now = g_get_real_time ();
  bulk->text = g_string_sized_new (1024);
  if (sqlite3_open_v2 (db_path, &bulk->handle, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    return fail (bulk, error);
  sqlite3_busy_timeout (bulk->handle, BUSY_TIMEOUT_MS);
  /* Room for the random-key uuid index of a million members. */
  if (!exec (bulk, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -262144", error))
    return FALSE;
  for (guint i = 0; i < N_STMTS; i++)
    if (sqlite3_prepare_v3 (bulk->handle, bulk_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                            &bulk->stmts[i], NULL) != SQLITE_OK)
      return fail (bulk, error);
  return TRUE;
}

static void
close_bulk (Bulk *bulk)
{
  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (bulk->stmts[i]);
  sqlite3_close (bulk->handle);
  g_string_free (bulk->text, TRUE);
}

gboolean
joren_server_generate_demo_chain (const char *db_path,
                                  guint       n_customers,
                                  guint       n_products,
                                  GError    **error)
{
  Bulk bulk = { 0 };
  gboolean ok;

  g_return_val_if_fail (db_path != NULL, FALSE);

  ok = open_bulk (&bulk, db_path, error) && exec (&bulk, "BEGIN IMMEDIATE", error);
  if (ok)
    {
      ok = add_import_register (&bulk, error)
           && add_products (&bulk, n_products, error)
           && add_customers (&bulk, n_customers, error)
           && exec (&bulk, "COMMIT", error);
      if (!ok)
        sqlite3_exec (bulk.handle, "ROLLBACK", NULL, NULL, NULL);
    }
  close_bulk (&bulk);
  return ok;
}

gboolean
joren_server_parse_chain_size (const char *spec,
                               guint      *n_customers,
                               guint      *n_products,
                               GError    **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 customers, products;

  g_return_val_if_fail (spec != NULL, FALSE);

  parts = g_strsplit (spec, ":", 2);
  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 0, 10000000, &customers, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 0, 10000000, &products, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--generate-demo-chain takes CUSTOMERS:PRODUCTS, e.g. 1000000:100000");
      return FALSE;
    }
  *n_customers = (guint) customers;
  *n_products = (guint) products;
  return TRUE;
}
