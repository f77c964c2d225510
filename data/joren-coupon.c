/* joren-coupon.c: e-coupon campaigns, their single-use codes, checking a
 * code against a sale, applying it as a discount and redeeming it inside
 * the sale's commit. Single use is the database's job, not the till's: a
 * redemption is an INSERT into coupon_redemptions keyed by the code, so
 * of two registers committing the same code at once exactly one wins and
 * the other's whole sale is rolled back with a clear reason. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-catalog.h"
#include "joren-coupon.h"
#include "joren-value-private.h"

G_DEFINE_QUARK (joren-coupon-error-quark, joren_coupon_error)

/* 32 symbols, no 0/O or 1/I: read aloud or typed from paper safely. */
static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
static const char * const kind_names[] = { "amount", "percent", "free_item" };

/* ---- codes ---------------------------------------------------------------- */

static int
symbol_value (char c)
{
  const char *p = strchr (alphabet, c);

  return c != '\0' && p != NULL ? (int) (p - alphabet) : -1;
}

/* Odd weights are invertible mod 32, so any single wrong character
 * changes the sum and is caught. */
static char
check_symbol (const char *payload)
{
  guint sum = 0;

  for (guint i = 0; i < JOREN_COUPON_CODE_LENGTH - 1; i++)
    sum += (2 * i + 1) * (guint) symbol_value (payload[i]);
  return alphabet[sum % 32];
}

char *
joren_coupon_code_generate (void)
{
  char code[JOREN_COUPON_CODE_LENGTH + 1] = { 0, };

  for (guint i = 0; i < JOREN_COUPON_CODE_LENGTH - 1; i++)
    code[i] = alphabet[g_random_int_range (0, 32)];
  code[JOREN_COUPON_CODE_LENGTH - 1] = check_symbol (code);
  return g_strdup (code);
}

char *
joren_coupon_code_normalize (const char *typed)
{
  GString *code;

  g_return_val_if_fail (typed != NULL, NULL);

  code = g_string_new (NULL);
  for (const char *p = typed; *p != '\0'; p++)
    if (*p != ' ' && *p != '-')
      g_string_append_c (code, g_ascii_toupper (*p));
  for (gsize i = 0; i < code->len; i++)
    if (symbol_value (code->str[i]) < 0)
      code->len = 0;
  if (code->len != JOREN_COUPON_CODE_LENGTH)
    {
      g_string_free (code, TRUE);
      return NULL;
    }
  return g_string_free (code, FALSE);
}

gboolean
joren_coupon_code_check_ok (const char *normalized)
{
  g_return_val_if_fail (normalized != NULL, FALSE);

  return strlen (normalized) == JOREN_COUPON_CODE_LENGTH
         && check_symbol (normalized) == normalized[JOREN_COUPON_CODE_LENGTH - 1];
}

char *
joren_coupon_code_format (const char *code)
{
  g_return_val_if_fail (code != NULL, NULL);

  return g_strdup_printf ("%.5s-%s", code, strlen (code) > 5 ? code + 5 : "");
}

/* ---- campaigns ------------------------------------------------------------- */

JorenCouponCampaign *
joren_coupon_campaign_new (const char      *name,
                           JorenCouponKind  kind,
                           gint64           value)
{
  JorenCouponCampaign *campaign = g_new0 (JorenCouponCampaign, 1);

  campaign->name = g_strdup (name);
  campaign->kind = kind;
  campaign->value = value;
  campaign->product_ids = g_array_new (FALSE, TRUE, sizeof (gint64));
  campaign->category_ids = g_array_new (FALSE, TRUE, sizeof (gint64));
  campaign->max_uses = 1;
  campaign->active = TRUE;
  return campaign;
}

void
joren_coupon_campaign_free (JorenCouponCampaign *campaign)
{
  if (campaign == NULL)
    return;
  g_free (campaign->name);
  g_clear_pointer (&campaign->product_ids, g_array_unref);
  g_clear_pointer (&campaign->category_ids, g_array_unref);
  g_clear_pointer (&campaign->valid_from, g_date_time_unref);
  g_clear_pointer (&campaign->valid_until, g_date_time_unref);
  g_free (campaign);
}

static void
bind_time_or_null (sqlite3_stmt *stmt,
                   int           param,
                   GDateTime    *time)
{
  if (time != NULL)
    sqlite3_bind_int64 (stmt, param, joren_db_time_to_usec (time));
  else
    sqlite3_bind_null (stmt, param);
}

static GDateTime *
column_time_or_null (sqlite3_stmt *stmt,
                     int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return joren_db_time_from_usec (sqlite3_column_int64 (stmt, column));
}

static gboolean
insert_targets (JorenDb              *db,
                JorenCouponCampaign  *campaign,
                GArray               *ids,
                gboolean              products,
                GError              **error)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      g_autoptr(JorenStmt) stmt = NULL;

      stmt = joren_db_prepare (db, "INSERT INTO coupon_targets (campaign_id, product_id,"
                                   " category_id) VALUES (?1, ?2, ?3)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, campaign->id);
      joren_db_bind_id_or_null (stmt, products ? 2 : 3, g_array_index (ids, gint64, i));
      if (!joren_db_step_done (db, stmt, _("Could not save the campaign."), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_campaign (JorenDb              *db,
                 JorenCouponCampaign  *campaign,
                 GError              **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "INSERT INTO coupon_campaigns (name, kind, value, min_spend,"
                               " valid_from, valid_until, max_uses, active, created_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind_names[campaign->kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, campaign->value);
  sqlite3_bind_int64 (stmt, 4, campaign->min_spend);
  bind_time_or_null (stmt, 5, campaign->valid_from);
  bind_time_or_null (stmt, 6, campaign->valid_until);
  sqlite3_bind_int (stmt, 7, campaign->active);
  sqlite3_bind_int64 (stmt, 8, joren_value_now_usec ());
  if (!joren_db_step_done (db, stmt, _("Could not save the campaign."), error))
    return FALSE;
  campaign->id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  return TRUE;
}

gboolean
joren_coupon_campaign_add (JorenDb              *db,
                           JorenCouponCampaign  *campaign,
                           GError              **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (campaign != NULL, FALSE);
  g_return_val_if_fail ((guint) campaign->kind < G_N_ELEMENTS (kind_names), FALSE);

  if (campaign->name == NULL || *campaign->name == '\0' || campaign->value < 0
      || campaign->min_spend < 0
      || (campaign->kind == JOREN_COUPON_PERCENT && campaign->value > 10000))
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                           /* xgettext:no-c-format */
                           _("A campaign needs a name, and a value from 0 to 100 % or an amount."));
      return FALSE;
    }
  if (!joren_db_begin (db, error))
    return FALSE;
  if (!insert_campaign (db, campaign, error)
      || !insert_targets (db, campaign, campaign->product_ids, TRUE, error)
      || !insert_targets (db, campaign, campaign->category_ids, FALSE, error))
    {
      joren_db_rollback (db);
      campaign->id = 0;
      return FALSE;
    }
  return joren_db_commit (db, error);
}

gboolean
joren_coupon_campaign_set_active (JorenDb  *db,
                                  gint64    campaign_id,
                                  gboolean  active,
                                  GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(JorenCouponCampaign) campaign = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  campaign = joren_coupon_campaign_load (db, campaign_id, error);
  if (campaign == NULL)
    return FALSE;
  if (campaign->owner_register != 0)
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_PERMISSION,
                           _("This campaign was created at another register: stop or start it there."));
      return FALSE;
    }
  stmt = joren_db_prepare (db, "UPDATE coupon_campaigns SET active = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  sqlite3_bind_int (stmt, 2, active);
  return joren_db_step_done (db, stmt, _("Could not save the campaign."), error);
}

/* Redeemed here (with its sale) or at another register (schema 015). */
#define USED_CODE \
  " (EXISTS (SELECT 1 FROM coupon_redemptions r WHERE r.code = k.code)" \
  "  OR EXISTS (SELECT 1 FROM coupon_redeemed_elsewhere e WHERE e.code = k.code))"

#define CAMPAIGN_SELECT \
  "SELECT c.id, c.name, c.kind, c.value, c.min_spend, c.valid_from, c.valid_until," \
  " c.active, (SELECT count (*) FROM coupon_codes WHERE campaign_id = c.id)," \
  " (SELECT count (*) FROM coupon_codes k WHERE k.campaign_id = c.id AND" USED_CODE ")," \
  " coalesce (c.owner_register, 0) FROM coupon_campaigns c"

static JorenCouponCampaign *
campaign_from_row (sqlite3_stmt *stmt)
{
  const char *kind = (const char *) sqlite3_column_text (stmt, 2);
  JorenCouponCampaign *campaign = joren_coupon_campaign_new (
    (const char *) sqlite3_column_text (stmt, 1), JOREN_COUPON_AMOUNT, sqlite3_column_int64 (stmt, 3));

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (kind, kind_names[i]) == 0)
      campaign->kind = (JorenCouponKind) i;
  campaign->id = sqlite3_column_int64 (stmt, 0);
  campaign->min_spend = sqlite3_column_int64 (stmt, 4);
  campaign->valid_from = column_time_or_null (stmt, 5);
  campaign->valid_until = column_time_or_null (stmt, 6);
  campaign->active = sqlite3_column_int (stmt, 7) != 0;
  campaign->n_issued = (guint) sqlite3_column_int (stmt, 8);
  campaign->n_redeemed = (guint) sqlite3_column_int (stmt, 9);
  campaign->owner_register = sqlite3_column_int64 (stmt, 10);
  return campaign;
}

static gboolean
load_targets (JorenDb              *db,
              JorenCouponCampaign  *campaign,
              GError              **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT product_id, category_id FROM coupon_targets"
                               " WHERE campaign_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, campaign->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 product = sqlite3_column_int64 (stmt, 0);
      gint64 category = sqlite3_column_int64 (stmt, 1);

      if (product != 0)
        g_array_append_val (campaign->product_ids, product);
      else
        g_array_append_val (campaign->category_ids, category);
    }
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not read the campaign."), error);
}

GPtrArray *
joren_coupon_campaign_list (JorenDb  *db,
                            GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) campaigns = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, CAMPAIGN_SELECT " ORDER BY c.created_at DESC, c.id DESC", error);
  if (stmt == NULL)
    return NULL;
  campaigns = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_coupon_campaign_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (campaigns, campaign_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the campaigns."), error);
      return NULL;
    }
  g_clear_pointer (&stmt, joren_stmt_release);
  for (guint i = 0; i < campaigns->len; i++)
    if (!load_targets (db, g_ptr_array_index (campaigns, i), error))
      return NULL;
  return g_steal_pointer (&campaigns);
}

JorenCouponCampaign *
joren_coupon_campaign_load (JorenDb  *db,
                            gint64    campaign_id,
                            GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(JorenCouponCampaign) campaign = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, CAMPAIGN_SELECT " WHERE c.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the campaign."), error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, JOREN_COUPON_ERROR, JOREN_COUPON_ERROR_UNKNOWN,
                   _("There is no such coupon campaign."));
      return NULL;
    }
  campaign = campaign_from_row (stmt);
  g_clear_pointer (&stmt, joren_stmt_release);
  if (!load_targets (db, campaign, error))
    return NULL;
  return g_steal_pointer (&campaign);
}

/* ---- issuing ------------------------------------------------------------------ */

static gboolean
insert_code (JorenDb     *db,
             const char  *code,
             gint64       campaign_id,
             gint64       customer_id,
             gint64       issued_at,
             gboolean    *out_taken,
             GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "INSERT INTO coupon_codes (code, campaign_id, customer_id,"
                               " issued_at) VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, campaign_id);
  joren_db_bind_id_or_null (stmt, 3, customer_id);
  sqlite3_bind_int64 (stmt, 4, issued_at);
  rc = sqlite3_step (stmt);
  /* 2^45 codes: a collision is rare, and simply drawn again. */
  *out_taken = rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE;
  return rc == SQLITE_DONE || *out_taken
         || joren_db_set_error (db, rc, _("Could not issue the coupons."), error);
}

GPtrArray *
joren_coupon_issue (JorenDb  *db,
                    gint64    campaign_id,
                    gint64    customer_id,
                    guint     n,
                    GError  **error)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(JorenCouponCampaign) campaign = NULL;
  /* One time for the batch: its codes travel to the server together. */
  gint64 issued_at = joren_value_now_usec ();

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (n > 0 && n <= 100000, NULL);

  campaign = joren_coupon_campaign_load (db, campaign_id, error);
  if (campaign == NULL || !joren_db_begin (db, error))
    return NULL;
  codes = g_ptr_array_new_with_free_func (g_free);
  while (codes->len < n)
    {
      g_autofree char *code = joren_coupon_code_generate ();
      gboolean taken = FALSE;

      if (!insert_code (db, code, campaign_id, customer_id, issued_at, &taken, error))
        {
          joren_db_rollback (db);
          return NULL;
        }
      if (!taken)
        g_ptr_array_add (codes, g_steal_pointer (&code));
    }
  return joren_db_commit (db, error) ? g_steal_pointer (&codes) : NULL;
}

void
joren_coupon_code_free (JorenCouponCode *code)
{
  if (code == NULL)
    return;
  g_free (code->code);
  g_clear_pointer (&code->issued_at, g_date_time_unref);
  g_clear_pointer (&code->redeemed_at, g_date_time_unref);
  g_free (code->receipt_no);
  g_free (code);
}

GPtrArray *
joren_coupon_list_codes (JorenDb  *db,
                         gint64    campaign_id,
                         GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT k.code, k.campaign_id, coalesce (k.customer_id, 0),"
                               " k.issued_at, coalesce (r.redeemed_at, e.redeemed_at), s.receipt_no"
                               " FROM coupon_codes k"
                               " LEFT JOIN coupon_redemptions r ON r.code = k.code"
                               " LEFT JOIN coupon_redeemed_elsewhere e ON e.code = k.code"
                               " LEFT JOIN sales s ON s.id = r.sale_id"
                               " WHERE k.campaign_id = ?1 ORDER BY k.issued_at, k.code", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  codes = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_coupon_code_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenCouponCode *code = g_new0 (JorenCouponCode, 1);

      code->code = joren_db_column_dup_text (stmt, 0);
      code->campaign_id = sqlite3_column_int64 (stmt, 1);
      code->customer_id = sqlite3_column_int64 (stmt, 2);
      code->issued_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 3));
      code->redeemed_at = column_time_or_null (stmt, 4);
      code->receipt_no = joren_db_column_dup_text (stmt, 5);
      g_ptr_array_add (codes, code);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the coupons."), error);
      return NULL;
    }
  return g_steal_pointer (&codes);
}

/* ---- checking ------------------------------------------------------------------ */

static gboolean
coupon_fail (GError           **error,
             JorenCouponError   code,
             const char        *message)
{
  g_set_error_literal (error, JOREN_COUPON_ERROR, code, message);
  return FALSE;
}

/* The code's campaign, and whether it was redeemed already. */
static JorenCouponCampaign *
load_code (JorenDb     *db,
           const char  *code,
           gboolean    *out_used,
           GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;
  gint64 campaign_id;

  stmt = joren_db_prepare (db, "SELECT k.campaign_id," USED_CODE " FROM coupon_codes k"
                               " WHERE k.code = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the coupon."), error))
    return NULL;
  if (!has_row)
    {
      coupon_fail (error, JOREN_COUPON_ERROR_UNKNOWN,
                   _("This coupon code is not known here. Check it with the customer."));
      return NULL;
    }
  campaign_id = sqlite3_column_int64 (stmt, 0);
  *out_used = sqlite3_column_int (stmt, 1) != 0;
  g_clear_pointer (&stmt, joren_stmt_release);
  return joren_coupon_campaign_load (db, campaign_id, error);
}

static gboolean
check_window (const JorenCouponCampaign  *campaign,
              GError                    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (!campaign->active
      || (campaign->valid_until != NULL && g_date_time_compare (now, campaign->valid_until) >= 0))
    return coupon_fail (error, JOREN_COUPON_ERROR_EXPIRED, _("This coupon has expired."));
  if (campaign->valid_from != NULL && g_date_time_compare (now, campaign->valid_from) < 0)
    return coupon_fail (error, JOREN_COUPON_ERROR_NOT_YET_VALID,
                        _("This coupon is not valid yet."));
  return TRUE;
}

static gboolean
array_has (GArray *ids,
           gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static gint64
category_of (JorenDb *db,
             gint64   product_id)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "SELECT coalesce (category_id, 0) FROM products WHERE id = ?1",
                           NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, product_id);
  if (!joren_db_step_row (db, stmt, &has_row, NULL, NULL) || !has_row)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

/* The first goods line the campaign applies to, or G_MAXUINT. */
static guint
find_qualifying_line (JorenDb                   *db,
                      const JorenCouponCampaign *campaign,
                      JorenSale                 *sale)
{
  gboolean any = campaign->product_ids->len == 0 && campaign->category_ids->len == 0;

  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);

      if (line->kind != JOREN_LINE_GOODS || line->base <= 0)
        continue;
      if (any || (line->product_id != 0 && (array_has (campaign->product_ids, line->product_id)
          || array_has (campaign->category_ids, category_of (db, line->product_id)))))
        return i;
    }
  return G_MAXUINT;
}

static gboolean
check_sale (JorenDb                   *db,
            const JorenCouponCampaign *campaign,
            JorenSale                 *sale,
            GError                   **error)
{
  g_autofree char *minimum = NULL;

  if (joren_sale_get_kind (sale) != JOREN_SALE_KIND_SALE || joren_sale_get_coupon_code (sale)
      || (campaign->kind != JOREN_COUPON_FREE_ITEM
          && joren_sale_get_discount (sale)->kind != JOREN_DISCOUNT_NONE))
    return coupon_fail (error, JOREN_COUPON_ERROR_NOT_ALLOWED,
                        _("This sale already has a discount or a coupon: one per sale."));
  if (joren_sale_get_goods_total (sale) < campaign->min_spend)
    {
      minimum = joren_money_format (campaign->min_spend, joren_sale_get_currency (sale));
      g_set_error (error, JOREN_COUPON_ERROR, JOREN_COUPON_ERROR_MINIMUM,
                   _("This coupon needs a purchase of at least %s."), minimum);
      return FALSE;
    }
  if (find_qualifying_line (db, campaign, sale) == G_MAXUINT)
    return coupon_fail (error, JOREN_COUPON_ERROR_NO_ITEM,
                        _("None of the items this coupon is for are in the sale."));
  return TRUE;
}

/* Looks the code up and checks it is unused and within its window. */
static JorenCouponCampaign *
check_code (JorenDb     *db,
            const char  *code,
            GError     **error)
{
  g_autoptr(JorenCouponCampaign) campaign = NULL;
  gboolean used = FALSE;

  campaign = load_code (db, code, &used, error);
  if (campaign == NULL)
    return NULL;
  if (used)
    {
      coupon_fail (error, JOREN_COUPON_ERROR_USED, _("This coupon has already been used."));
      return NULL;
    }
  return check_window (campaign, error) ? g_steal_pointer (&campaign) : NULL;
}

static char *
normalize_or_fail (const char  *typed,
                   GError     **error)
{
  g_autofree char *code = joren_coupon_code_normalize (typed);

  if (code == NULL || !joren_coupon_code_check_ok (code))
    {
      coupon_fail (error, JOREN_COUPON_ERROR_MISTYPED,
                   _("This is not a valid coupon code. Check each character and try again."));
      return NULL;
    }
  return g_steal_pointer (&code);
}

gboolean
joren_coupon_check (JorenDb              *db,
                    const char           *typed,
                    JorenSale            *sale,
                    JorenCouponCampaign **out_campaign,
                    GError              **error)
{
  g_autofree char *code = NULL;
  g_autoptr(JorenCouponCampaign) campaign = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (typed != NULL, FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);

  code = normalize_or_fail (typed, error);
  if (code == NULL)
    return FALSE;
  campaign = check_code (db, code, error);
  if (campaign == NULL || !check_sale (db, campaign, sale, error))
    return FALSE;
  if (out_campaign != NULL)
    *out_campaign = g_steal_pointer (&campaign);
  return TRUE;
}

/* ---- applying ------------------------------------------------------------------ */

static gboolean
apply_discount (JorenDb                   *db,
                const JorenCouponCampaign *campaign,
                JorenSale                 *sale,
                guint                     *out_line,
                GError                   **error)
{
  JorenDiscount discount = { JOREN_DISCOUNT_AMOUNT, 0 };
  const JorenSaleLine *line;

  *out_line = G_MAXUINT;
  switch (campaign->kind)
    {
    case JOREN_COUPON_FREE_ITEM:
      *out_line = find_qualifying_line (db, campaign, sale);
      line = joren_sale_get_line (sale, *out_line);
      discount.value = line->fixed ? line->base : MIN (line->unit_price, line->base);
      return joren_sale_set_line_discount (sale, *out_line, &discount, error);
    case JOREN_COUPON_PERCENT:
      discount.kind = JOREN_DISCOUNT_PERCENT;
      discount.value = campaign->value;
      return joren_sale_set_discount (sale, &discount, error);
    case JOREN_COUPON_AMOUNT:
    default:
      discount.value = MIN (campaign->value, joren_sale_get_goods_total (sale));
      return joren_sale_set_discount (sale, &discount, error);
    }
}

gboolean
joren_coupon_apply (JorenDb     *db,
                    JorenSale   *sale,
                    const char  *typed,
                    GError     **error)
{
  g_autoptr(JorenCouponCampaign) campaign = NULL;
  g_autofree char *code = NULL;
  guint line = G_MAXUINT;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);
  g_return_val_if_fail (typed != NULL, FALSE);

  if (!joren_coupon_check (db, typed, sale, &campaign, error))
    return FALSE;
  code = joren_coupon_code_normalize (typed);
  if (!apply_discount (db, campaign, sale, &line, error))
    return FALSE;
  joren_sale_set_coupon (sale, code, line);
  return TRUE;
}

void
joren_coupon_remove (JorenSale *sale)
{
  JorenDiscount none = { JOREN_DISCOUNT_NONE, 0 };
  guint line;

  g_return_if_fail (JOREN_IS_SALE (sale));

  if (joren_sale_get_coupon_code (sale) == NULL)
    return;
  line = joren_sale_get_coupon_line (sale);
  if (line != G_MAXUINT)
    joren_sale_set_line_discount (sale, line, &none, NULL);
  else
    joren_sale_set_discount (sale, &none, NULL);
  joren_sale_set_coupon (sale, NULL, G_MAXUINT);
}

gint64
joren_coupon_get_discount (JorenSale *sale)
{
  guint line;
  gint64 sum = 0;

  g_return_val_if_fail (JOREN_IS_SALE (sale), 0);

  if (joren_sale_get_coupon_code (sale) == NULL)
    return 0;
  line = joren_sale_get_coupon_line (sale);
  if (line != G_MAXUINT)
    return joren_sale_get_line (sale, line)->line_discount;
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    sum += joren_sale_get_line (sale, i)->receipt_discount;
  return sum;
}

/* ---- redeeming in the sale's commit -------------------------------------------- */

static gboolean
insert_redemption (JorenDb     *db,
                   const char  *code,
                   JorenSale   *sale,
                   gint64       sale_id,
                   GDateTime   *created_at,
                   GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "INSERT INTO coupon_redemptions (code, sale_id, sale_uuid,"
                               " redeemed_at) VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, sale_id);
  sqlite3_bind_text (stmt, 3, joren_sale_get_uuid (sale), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, joren_db_time_to_usec (created_at));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
    return coupon_fail (error, JOREN_COUPON_ERROR_USED,
                        _("This coupon has already been used. Take it off the sale."));
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not redeem the coupon."), error);
}

gboolean
joren_coupon_record_sale (JorenDb    *db,
                          JorenSale  *sale,
                          gint64      sale_id,
                          GDateTime  *created_at,
                          GError    **error)
{
  const char *code = joren_sale_get_coupon_code (sale);
  g_autoptr(JorenCouponCampaign) campaign = NULL;
  gboolean used = FALSE;

  if (code == NULL || joren_sale_get_kind (sale) != JOREN_SALE_KIND_SALE)
    return TRUE;
  /* Checked again inside the transaction: the campaign may have been
   * stopped since the code was applied. "used" is left to the INSERT,
   * which is the one check no race can get past. */
  campaign = load_code (db, code, &used, error);
  return campaign != NULL && check_window (campaign, error)
         && insert_redemption (db, code, sale, sale_id, created_at, error);
}
