/* joren-coupon-sync.c: e-coupon campaigns and codes in the outbox and
 * from the feed (see joren-coupon-sync.h). Campaign targets name
 * products and categories by id, which the server's master data keeps
 * the same on every register; one this register does not know is left
 * out, and a campaign left with none of the targets it named is stored
 * stopped, because an empty target list means "every product". */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-coupon-sync.h"
#include "joren-json.h"
#include "joren-outbox-private.h"

static const char *const kind_names[] = { "amount", "percent", "free_item", NULL };

static gboolean
refuse (const char  *what,
        GError     **error)
{
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("The server sent a %s this register cannot read."), what);
  return FALSE;
}

/* --- pushing ------------------------------------------------------------- */

static gboolean
add_targets (JorenDb  *db,
             gint64    campaign_id,
             cJSON    *payload,
             GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  cJSON *products = cJSON_AddArrayToObject (payload, "product_ids");
  cJSON *categories = cJSON_AddArrayToObject (payload, "category_ids");
  int rc;

  stmt = joren_db_prepare (db, "SELECT coalesce (product_id, 0), coalesce (category_id, 0)"
                               " FROM coupon_targets WHERE campaign_id = ?"
                               " ORDER BY product_id, category_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 product = sqlite3_column_int64 (stmt, 0);

      cJSON_AddItemToArray (product != 0 ? products : categories,
                            cJSON_CreateNumber ((double) (product != 0 ? product
                                                          : sqlite3_column_int64 (stmt, 1))));
    }
  return rc == SQLITE_DONE || joren_db_set_error (db, rc, _("Could not read the campaign."), error);
}

gboolean
joren_coupon_sync_flush_campaign (JorenDb  *db,
                                  gint64    campaign_id,
                                  GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(cJSON) payload = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "SELECT uuid, name, kind, value, min_spend, valid_from, valid_until,"
                               " active, created_at FROM coupon_campaigns"
                               " WHERE id = ? AND owner_register IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the campaign."), error))
    return FALSE;
  if (!has_row)
    return TRUE;   /* another register's: its owner sends it */
  payload = cJSON_CreateObject ();
  cJSON_AddStringToObject (payload, "uuid", (const char *) sqlite3_column_text (stmt, 0));
  cJSON_AddStringToObject (payload, "name", (const char *) sqlite3_column_text (stmt, 1));
  cJSON_AddStringToObject (payload, "kind", (const char *) sqlite3_column_text (stmt, 2));
  cJSON_AddNumberToObject (payload, "value", (double) sqlite3_column_int64 (stmt, 3));
  cJSON_AddNumberToObject (payload, "min_spend", (double) sqlite3_column_int64 (stmt, 4));
  joren_outbox_add_int_if_set (payload, "valid_from", stmt, 5);
  joren_outbox_add_int_if_set (payload, "valid_until", stmt, 6);
  cJSON_AddBoolToObject (payload, "active", sqlite3_column_int (stmt, 7) != 0);
  cJSON_AddNumberToObject (payload, "created_at", (double) sqlite3_column_int64 (stmt, 8));
  g_clear_pointer (&stmt, joren_stmt_release);
  return add_targets (db, campaign_id, payload, error)
         && joren_outbox_add_op (db, "coupon_campaign", payload, error);
}

static char *
campaign_uuid (JorenDb  *db,
               gint64    campaign_id,
               GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "SELECT uuid FROM coupon_campaigns WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the campaign."), error))
    return NULL;
  return has_row ? joren_db_column_dup_text (stmt, 0) : g_strdup ("");
}

/* The codes array the row goes into: the last op's while it has the
 * row's customer and time and room left (*n_last counts its codes),
 * else a new op's. */
static cJSON *
codes_for (GPtrArray    *payloads,
           guint        *n_last,
           const char   *uuid,
           sqlite3_stmt *row)
{
  cJSON *last = payloads->len > 0 ? g_ptr_array_index (payloads, payloads->len - 1) : NULL;
  const char *customer = (const char *) sqlite3_column_text (row, 2);
  cJSON *payload;

  if (last != NULL && *n_last < JOREN_COUPON_SYNC_MAX_CODES
      && joren_json_get_int (last, "issued_at", 0) == sqlite3_column_int64 (row, 1)
      && g_strcmp0 (joren_json_get_string (last, "customer_uuid"), customer) == 0)
    {
      *n_last += 1;
      return cJSON_GetObjectItemCaseSensitive (last, "codes");
    }
  payload = cJSON_CreateObject ();
  cJSON_AddStringToObject (payload, "campaign_uuid", uuid);
  if (customer != NULL)
    cJSON_AddStringToObject (payload, "customer_uuid", customer);
  cJSON_AddNumberToObject (payload, "issued_at", (double) sqlite3_column_int64 (row, 1));
  g_ptr_array_add (payloads, payload);
  *n_last = 1;
  return cJSON_AddArrayToObject (payload, "codes");
}

static GPtrArray *
collect_codes (JorenDb     *db,
               gint64       campaign_id,
               const char  *uuid,
               GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) cJSON_Delete);
  guint n_last = 0;
  int rc;

  stmt = joren_db_prepare (db, "SELECT k.code, k.issued_at, c.uuid FROM coupon_codes k"
                               " LEFT JOIN customers c ON c.id = k.customer_id"
                               " WHERE k.campaign_id = ? AND k.synced = 0"
                               " ORDER BY k.customer_id, k.issued_at, k.code", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    cJSON_AddItemToArray (codes_for (payloads, &n_last, uuid, stmt),
                          cJSON_CreateString ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    return joren_db_set_error (db, rc, _("Could not read the coupons."), error), NULL;
  return g_steal_pointer (&payloads);
}

gboolean
joren_coupon_sync_flush_codes (JorenDb  *db,
                               gint64    campaign_id,
                               GError  **error)
{
  g_autofree char *uuid = campaign_uuid (db, campaign_id, error);
  g_autoptr(GPtrArray) payloads = NULL;
  g_autoptr(JorenStmt) mark = NULL;

  if (uuid == NULL || (payloads = collect_codes (db, campaign_id, uuid, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < payloads->len; i++)
    if (!joren_outbox_add_op (db, "coupon_codes", g_ptr_array_index (payloads, i), error))
      return FALSE;
  mark = joren_db_prepare (db, "UPDATE coupon_codes SET synced = 1"
                               " WHERE campaign_id = ? AND synced = 0", error);
  if (mark == NULL)
    return FALSE;
  sqlite3_bind_int64 (mark, 1, campaign_id);
  return joren_db_step_done (db, mark, _("Could not queue the change for the server."), error);
}

/* --- applying the feed --------------------------------------------------- */

static gboolean
from_this_register (JorenDb     *db,
                    const cJSON *data)
{
  return joren_json_get_int (data, "register", 0) == joren_outbox_get_register_id (db);
}

static void
bind_time_or_null (sqlite3_stmt *stmt,
                   int           param,
                   const cJSON  *data,
                   const char   *name)
{
  joren_db_bind_id_or_null (stmt, param, joren_json_get_int (data, name, 0));
}

static gint64
upsert_campaign (JorenDb      *db,
                 const cJSON  *data,
                 GError      **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "INSERT INTO coupon_campaigns (uuid, name, kind, value, min_spend,"
                               " valid_from, valid_until, active, created_at, owner_register)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                               " ON CONFLICT (uuid) DO UPDATE SET name = excluded.name,"
                               " kind = excluded.kind, value = excluded.value,"
                               " min_spend = excluded.min_spend, valid_from = excluded.valid_from,"
                               " valid_until = excluded.valid_until, active = excluded.active,"
                               " created_at = excluded.created_at,"
                               " owner_register = excluded.owner_register RETURNING id", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, joren_json_get_string (data, "uuid"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, joren_json_get_string (data, "name"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, joren_json_get_string (data, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, joren_json_get_int (data, "value", 0));
  sqlite3_bind_int64 (stmt, 5, joren_json_get_int (data, "min_spend", 0));
  bind_time_or_null (stmt, 6, data, "valid_from");
  bind_time_or_null (stmt, 7, data, "valid_until");
  sqlite3_bind_int (stmt, 8, cJSON_IsTrue (cJSON_GetObjectItemCaseSensitive (data, "active")));
  sqlite3_bind_int64 (stmt, 9, joren_json_get_int (data, "created_at", 0));
  sqlite3_bind_int64 (stmt, 10, joren_json_get_int (data, "register", 0));
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not save the campaign."), error))
    return 0;
  return has_row ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* Stores the targets this register knows; *out_stored: how many. */
static gboolean
insert_targets (JorenDb      *db,
                gint64        campaign_id,
                const cJSON  *ids,
                gboolean      products,
                guint        *out_stored,
                GError      **error)
{
  const cJSON *id;

  cJSON_ArrayForEach (id, ids)
    {
      g_autoptr(JorenStmt) stmt = NULL;

      if (!joren_json_is_int (id))
        return refuse ("coupon campaign", error);
      stmt = joren_db_prepare (db, products
                               ? "INSERT INTO coupon_targets (campaign_id, product_id)"
                                 " SELECT ?1, id FROM products WHERE id = ?2"
                               : "INSERT INTO coupon_targets (campaign_id, category_id)"
                                 " SELECT ?1, id FROM categories WHERE id = ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, campaign_id);
      sqlite3_bind_int64 (stmt, 2, (gint64) id->valuedouble);
      if (!joren_db_step_done (db, stmt, _("Could not save the campaign."), error))
        return FALSE;
      *out_stored += sqlite3_changes (joren_db_get_handle (db));
    }
  return TRUE;
}

static gboolean
replace_targets (JorenDb      *db,
                 gint64        campaign_id,
                 const cJSON  *data,
                 GError      **error)
{
  const cJSON *products = cJSON_GetObjectItemCaseSensitive (data, "product_ids");
  const cJSON *categories = cJSON_GetObjectItemCaseSensitive (data, "category_ids");
  g_autoptr(JorenStmt) drop = NULL;
  g_autoptr(JorenStmt) stop = NULL;
  guint stored = 0;

  drop = joren_db_prepare (db, "DELETE FROM coupon_targets WHERE campaign_id = ?", error);
  if (drop == NULL)
    return FALSE;
  sqlite3_bind_int64 (drop, 1, campaign_id);
  if (!joren_db_step_done (db, drop, _("Could not save the campaign."), error)
      || !insert_targets (db, campaign_id, products, TRUE, &stored, error)
      || !insert_targets (db, campaign_id, categories, FALSE, &stored, error))
    return FALSE;
  if (stored > 0 || cJSON_GetArraySize (products) + cJSON_GetArraySize (categories) == 0)
    return TRUE;
  stop = joren_db_prepare (db, "UPDATE coupon_campaigns SET active = 0 WHERE id = ?", error);
  if (stop == NULL)
    return FALSE;
  sqlite3_bind_int64 (stop, 1, campaign_id);
  return joren_db_step_done (db, stop, _("Could not save the campaign."), error);
}

/* Another register's campaign, as its owner last sent it. */
gboolean
joren_coupon_sync_apply_campaign (JorenDb      *db,
                                  const cJSON  *data,
                                  GError      **error)
{
  const char *kind = joren_json_get_string (data, "kind");
  gint64 campaign_id;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (joren_json_get_string (data, "uuid") == NULL || joren_json_get_string (data, "name") == NULL
      || kind == NULL || !g_strv_contains (kind_names, kind))
    return refuse ("coupon campaign", error);
  if (from_this_register (db, data))
    return TRUE;
  campaign_id = upsert_campaign (db, data, error);
  return campaign_id != 0 && replace_targets (db, campaign_id, data, error);
}

/* The campaign codes name, created stopped when its own change has not
 * arrived yet (the feed keeps only a campaign's newest change, which
 * may come after codes issued before it): the change fills it in, owner
 * included, when it does. */
static gint64
ensure_campaign (JorenDb      *db,
                 const char   *uuid,
                 gint64        owner,
                 GError      **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "INSERT INTO coupon_campaigns (uuid, name, kind, value, active,"
                               " created_at, owner_register) VALUES (?1, ?1, 'amount', 0, 0, 0, ?2)"
                               " ON CONFLICT (uuid) DO UPDATE SET uuid = uuid RETURNING id", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, owner);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not save the campaign."), error))
    return 0;
  return has_row ? sqlite3_column_int64 (stmt, 0) : 0;
}

static gboolean
insert_code (JorenDb      *db,
             const char   *code,
             gint64        campaign_id,
             gint64        customer_id,
             gint64        issued_at,
             GError      **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "INSERT OR IGNORE INTO coupon_codes (code, campaign_id, customer_id,"
                               " issued_at, synced) VALUES (?, ?, ?, ?, 1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, campaign_id);
  joren_db_bind_id_or_null (stmt, 3, customer_id);
  sqlite3_bind_int64 (stmt, 4, issued_at);
  return joren_db_step_done (db, stmt, _("Could not issue the coupons."), error);
}

/* Codes another register issued: this register accepts them now. */
gboolean
joren_coupon_sync_apply_codes (JorenDb      *db,
                               const cJSON  *data,
                               GError      **error)
{
  const char *uuid = joren_json_get_string (data, "campaign_uuid");
  const char *customer = joren_json_get_string (data, "customer_uuid");
  const cJSON *codes = cJSON_GetObjectItemCaseSensitive (data, "codes");
  gint64 campaign_id, customer_id = 0;
  const cJSON *code;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (uuid == NULL || !cJSON_IsArray (codes))
    return refuse ("coupon code", error);
  if (from_this_register (db, data))
    return TRUE;
  campaign_id = ensure_campaign (db, uuid, joren_json_get_int (data, "register", 0), error);
  if (campaign_id == 0
      || (customer != NULL
          && (customer_id = joren_replica_ensure_customer (db, customer, NULL, error)) == 0))
    return FALSE;
  cJSON_ArrayForEach (code, codes)
    {
      if (!cJSON_IsString (code))
        return refuse ("coupon code", error);
      if (!insert_code (db, code->valuestring, campaign_id, customer_id,
                        joren_json_get_int (data, "issued_at", 0), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
joren_coupon_sync_apply_redemption (JorenDb      *db,
                                    const cJSON  *data,
                                    GError      **error)
{
  const char *code = joren_json_get_string (data, "code");
  const char *sale_uuid = joren_json_get_string (data, "sale_uuid");
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (code == NULL || sale_uuid == NULL)
    return refuse ("coupon redemption", error);
  if (from_this_register (db, data))
    return TRUE;
  stmt = joren_db_prepare (db, "INSERT OR IGNORE INTO coupon_redeemed_elsewhere (code, register_id,"
                               " sale_uuid, redeemed_at) VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, joren_json_get_int (data, "register", 0));
  sqlite3_bind_text (stmt, 3, sale_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, joren_json_get_int (data, "redeemed_at", 0));
  return joren_db_step_done (db, stmt, _("Could not save what the server sent."), error);
}
