/* joren-points.c: the points ledger, the earning rules and redemption.
 * Registers of other vendors have doubled points when an offline sync
 * retried and let refunds keep their points (FIELD-NOTES); here a sale's
 * ledger rows are written inside its own commit, unique per sale uuid,
 * kind and sign, and a balance is only ever SUM(points). Arithmetic is
 * integer: line amounts times multipliers in basis points, summed, then
 * rounded down once per sale. Refunds work on cumulative shares (what all
 * refunds so far should have taken back minus what the earlier ones did),
 * like refund lines in joren-sale.c, so refunding a sale in any number of
 * steps reverses exactly the points it earned. */
#include "config.h"

#include <string.h>
/* PRId64, not G_GINT64_FORMAT, inside _(): xgettext extracts the message
 * whole (see joren-sale.c). */
#include <inttypes.h>

#include <glib/gi18n.h>

#include "joren-db-private.h"
#include "joren-outbox.h"
#include "joren-points.h"

#define BP 10000

static const char * const rule_kinds[] = { "product", "category", "window", "exclude" };

/* --- settings, rules, tiers ----------------------------------------- */

static const struct {
  const char *key;
  gsize       offset;
  gint64      fallback;
} setting_keys[] = {
  { "loyalty.earn_amount", G_STRUCT_OFFSET (JorenPointsSettings, earn_amount), 100 },
  { "loyalty.earn_points", G_STRUCT_OFFSET (JorenPointsSettings, earn_points), 1 },
  { "loyalty.redeem_points", G_STRUCT_OFFSET (JorenPointsSettings, redeem_points), 1 },
  { "loyalty.redeem_value", G_STRUCT_OFFSET (JorenPointsSettings, redeem_value), 1 },
  { "loyalty.redeem_min", G_STRUCT_OFFSET (JorenPointsSettings, redeem_min), 100 },
  { "loyalty.expiry_months", G_STRUCT_OFFSET (JorenPointsSettings, expiry_months), 12 },
  { "loyalty.tier_months", G_STRUCT_OFFSET (JorenPointsSettings, tier_months), 12 },
};

#define SETTING(s, i) G_STRUCT_MEMBER (gint64, (s), setting_keys[i].offset)

void
joren_points_get_settings (JorenDb             *db,
                           JorenPointsSettings *out)
{
  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (setting_keys); i++)
    SETTING (out, i) = joren_db_get_setting_int (db, setting_keys[i].key,
                                                 setting_keys[i].fallback);
  /* A zero divisor would stop every sale: fall back to the defaults. */
  if (out->earn_amount <= 0)
    out->earn_amount = 100;
  if (out->redeem_points <= 0)
    out->redeem_points = 1;
}

gboolean
joren_points_set_settings (JorenDb                   *db,
                           const JorenPointsSettings *settings,
                           GError                   **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  if (settings->earn_amount <= 0 || settings->earn_points < 0 || settings->redeem_points <= 0
      || settings->redeem_value < 0 || settings->redeem_min < 0
      || settings->expiry_months < 0 || settings->tier_months <= 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("The points settings need amounts above zero."));
      return FALSE;
    }
  if (!joren_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (setting_keys); i++)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                SETTING ((gpointer) settings, i));

      if (!joren_db_set_setting (db, setting_keys[i].key, value, error))
        {
          joren_db_rollback (db);
          return FALSE;
        }
    }
  return joren_db_commit (db, error);
}

static void
bind_rule (sqlite3_stmt          *stmt,
           const JorenPointsRule *rule)
{
  sqlite3_bind_text (stmt, 1, rule_kinds[rule->kind], -1, SQLITE_STATIC);
  joren_db_bind_id_or_null (stmt, 2, rule->product_id);
  joren_db_bind_id_or_null (stmt, 3, rule->category_id);
  sqlite3_bind_int64 (stmt, 4, rule->multiplier_bp);
  joren_db_bind_id_or_null (stmt, 5, rule->starts_at);
  joren_db_bind_id_or_null (stmt, 6, rule->ends_at);
  sqlite3_bind_int (stmt, 7, (int) rule->weekdays);
  sqlite3_bind_int (stmt, 8, (int) rule->minute_from);
  sqlite3_bind_int (stmt, 9, (int) rule->minute_to);
}

#define ALL_WEEKDAYS 0x7f
#define DAY_MINUTES 1440

/* The schema takes any numbers; a window that can never match (or an
 * end before its start) is the owner's typo, refused here with why. */
static gboolean
check_rule (const JorenPointsRule  *rule,
            GError                **error)
{
  const char *problem = NULL;

  if (rule->kind != JOREN_POINTS_RULE_WINDOW && rule->product_id == 0 && rule->category_id == 0)
    problem = _("Name the product or choose the category of the rule.");
  else if (rule->kind != JOREN_POINTS_RULE_WINDOW)
    return TRUE;
  else if (rule->weekdays > ALL_WEEKDAYS || rule->minute_from > DAY_MINUTES
           || rule->minute_to > DAY_MINUTES)
    problem = _("The days or times of the window are out of range.");
  else if (rule->minute_from == rule->minute_to)
    problem = _("The window starts and ends at the same time, so it never runs.");
  else if (rule->starts_at != 0 && rule->ends_at != 0 && rule->ends_at <= rule->starts_at)
    problem = _("The window's last day is before its first day.");
  if (problem != NULL)
    g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID, problem);
  return problem == NULL;
}

gboolean
joren_points_add_rule (JorenDb          *db,
                       JorenPointsRule  *rule,
                       GError          **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail ((guint) rule->kind < G_N_ELEMENTS (rule_kinds), FALSE);

  if (!check_rule (rule, error))
    return FALSE;
  stmt = joren_db_prepare (db, "INSERT INTO loyalty_rules (kind, product_id, category_id,"
                               " multiplier_bp, starts_at, ends_at, weekdays, minute_from,"
                               " minute_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_rule (stmt, rule);
  if (!joren_db_step_done (db, stmt, _("Could not save the points rule."), error))
    return FALSE;
  rule->id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  return TRUE;
}

gboolean
joren_points_update_rule (JorenDb                *db,
                          const JorenPointsRule  *rule,
                          GError                **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (rule != NULL && rule->id > 0, FALSE);
  g_return_val_if_fail ((guint) rule->kind < G_N_ELEMENTS (rule_kinds), FALSE);

  if (!check_rule (rule, error))
    return FALSE;
  stmt = joren_db_prepare (db, "UPDATE loyalty_rules SET kind = ?, product_id = ?,"
                               " category_id = ?, multiplier_bp = ?, starts_at = ?, ends_at = ?,"
                               " weekdays = ?, minute_from = ?, minute_to = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_rule (stmt, rule);
  sqlite3_bind_int64 (stmt, 10, rule->id);
  if (!joren_db_step_done (db, stmt, _("Could not save the points rule."), error))
    return FALSE;
  if (sqlite3_changes (joren_db_get_handle (db)) == 0)
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                           _("This points rule was removed meanwhile."));
      return FALSE;
    }
  return TRUE;
}

gboolean
joren_points_remove_rule (JorenDb  *db,
                          gint64    rule_id,
                          GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  stmt = joren_db_prepare (db, "DELETE FROM loyalty_rules WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rule_id);
  return joren_db_step_done (db, stmt, _("Could not remove the points rule."), error);
}

gboolean
joren_points_set_tier (JorenDb     *db,
                       guint        level,
                       const char  *name,
                       gint64       min_spend,
                       guint        multiplier_bp,
                       GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);

  stmt = joren_db_prepare (db, "INSERT INTO loyalty_tiers (level, name, min_spend, multiplier_bp)"
                               " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (level) DO UPDATE SET"
                               " name = ?2, min_spend = ?3, multiplier_bp = ?4", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int) level);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, min_spend);
  sqlite3_bind_int64 (stmt, 4, multiplier_bp);
  return joren_db_step_done (db, stmt, _("Could not save the tier."), error);
}

/* --- reading the ledger --------------------------------------------- */

/* One integer from a statement bound with one id. */
static gboolean
query_int_for_id (JorenDb     *db,
                  const char  *sql,
                  gint64       id,
                  gint64      *out,
                  GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the points."), error))
    return FALSE;
  *out = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

gint64
joren_points_balance (JorenDb  *db,
                      gint64    customer_id,
                      GError  **error)
{
  gint64 balance = 0;

  g_return_val_if_fail (JOREN_IS_DB (db), 0);

  query_int_for_id (db, "SELECT coalesce (sum (points), 0) FROM points_ledger"
                        " WHERE customer_id = ?", customer_id, &balance, error);
  return balance;
}

void
joren_points_entry_free (JorenPointsEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->kind);
  g_free (entry->reason);
  g_free (entry->staff_name);
  g_free (entry->receipt_no);
  g_clear_pointer (&entry->created_at, g_date_time_unref);
  g_free (entry);
}

static JorenPointsEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  JorenPointsEntry *entry = g_new0 (JorenPointsEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->kind = joren_db_column_dup_text (stmt, 1);
  entry->points = sqlite3_column_int64 (stmt, 2);
  entry->reason = joren_db_column_dup_text (stmt, 3);
  entry->staff_name = joren_db_column_dup_text (stmt, 4);
  entry->receipt_no = joren_db_column_dup_text (stmt, 5);
  entry->created_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 6));
  return entry;
}

GPtrArray *
joren_points_list (JorenDb  *db,
                   gint64    customer_id,
                   guint     limit,
                   GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT l.id, l.kind, l.points, l.reason, st.name, s.receipt_no,"
                               " l.created_at FROM points_ledger l"
                               " LEFT JOIN staff st ON st.id = l.staff_id"
                               " LEFT JOIN sales s ON s.id = l.sale_id"
                               " WHERE l.customer_id = ?1"
                               " ORDER BY l.created_at DESC, l.id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int (stmt, 2, (int) MIN (limit, (guint) G_MAXINT));
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_points_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the points."), error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/* --- earning -------------------------------------------------------- */

static void
rule_from_row (sqlite3_stmt    *stmt,
               JorenPointsRule *rule)
{
  const char *kind = (const char *) sqlite3_column_text (stmt, 0);

  memset (rule, 0, sizeof *rule);
  for (guint i = 0; i < G_N_ELEMENTS (rule_kinds); i++)
    if (g_strcmp0 (kind, rule_kinds[i]) == 0)
      rule->kind = (JorenPointsRuleKind) i;
  rule->product_id = sqlite3_column_int64 (stmt, 1);
  rule->category_id = sqlite3_column_int64 (stmt, 2);
  rule->multiplier_bp = (guint) sqlite3_column_int64 (stmt, 3);
  rule->starts_at = sqlite3_column_int64 (stmt, 4);
  rule->ends_at = sqlite3_column_int64 (stmt, 5);
  rule->weekdays = (guint) sqlite3_column_int (stmt, 6);
  rule->minute_from = (guint) sqlite3_column_int (stmt, 7);
  rule->minute_to = (guint) sqlite3_column_int (stmt, 8);
}

static GArray *
load_rules (JorenDb  *db,
            GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GArray) rules = g_array_new (FALSE, FALSE, sizeof (JorenPointsRule));
  int rc;

  stmt = joren_db_prepare (db, "SELECT kind, product_id, category_id, multiplier_bp, starts_at,"
                               " ends_at, weekdays, minute_from, minute_to, id FROM loyalty_rules"
                               " ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenPointsRule rule;

      rule_from_row (stmt, &rule);
      rule.id = sqlite3_column_int64 (stmt, 9);
      g_array_append_val (rules, rule);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the points rules."), error);
      return NULL;
    }
  return g_steal_pointer (&rules);
}

GArray *
joren_points_list_rules (JorenDb  *db,
                         GError  **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  return load_rules (db, error);
}

void
joren_points_tier_free (JorenPointsTier *tier)
{
  if (tier == NULL)
    return;
  g_free (tier->name);
  g_free (tier);
}

GPtrArray *
joren_points_list_tiers (JorenDb  *db,
                         GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) tiers = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT level, name, min_spend, multiplier_bp FROM loyalty_tiers"
                               " ORDER BY level", error);
  if (stmt == NULL)
    return NULL;
  tiers = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_points_tier_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenPointsTier *tier = g_new0 (JorenPointsTier, 1);

      tier->level = (guint) sqlite3_column_int (stmt, 0);
      tier->name = joren_db_column_dup_text (stmt, 1);
      tier->min_spend = sqlite3_column_int64 (stmt, 2);
      tier->multiplier_bp = (guint) sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (tiers, tier);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the tiers."), error);
      return NULL;
    }
  return g_steal_pointer (&tiers);
}

/* minute_from > minute_to is a window across midnight: its hours after
 * midnight belong to the evening before, so "Fridays 22:00-02:00" earns
 * at 01:00 on Saturday and not at 01:00 on Friday, and a holiday's night
 * runs into the next morning. */
static gboolean
window_matches (const JorenPointsRule *rule,
                GDateTime             *when)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (when);
  g_autoptr(GDateTime) day = NULL;
  guint minute = (guint) (g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local));
  gboolean wraps = rule->minute_from > rule->minute_to;
  gboolean after_midnight = wraps && minute < rule->minute_to;
  gint64 usec;

  if (wraps ? minute < rule->minute_from && !after_midnight
            : minute < rule->minute_from || minute >= rule->minute_to)
    return FALSE;
  day = after_midnight ? g_date_time_add_days (local, -1) : g_date_time_ref (local);
  usec = joren_db_time_to_usec (day);
  return (rule->starts_at == 0 || usec >= rule->starts_at)
         && (rule->ends_at == 0 || usec < rule->ends_at)
         && (rule->weekdays == 0
             || (rule->weekdays & (1u << (g_date_time_get_day_of_week (day) - 1))) != 0);
}

static gboolean
rule_targets (const JorenPointsRule *rule,
              gint64                 product_id,
              gint64                 category_id)
{
  return (rule->product_id != 0 && rule->product_id == product_id)
         || (rule->product_id == 0 && rule->category_id != 0 && rule->category_id == category_id);
}

/* The item's multiplier: its product's rule, else its category's; 0 when
 * excluded. Several rules for one item: the best counts. */
static guint
item_bp (GArray *rules,
         gint64  product_id,
         gint64  category_id)
{
  gint64 product = -1, category = -1;

  for (guint i = 0; i < rules->len; i++)
    {
      const JorenPointsRule *rule = &g_array_index (rules, JorenPointsRule, i);

      if (!rule_targets (rule, product_id, category_id))
        continue;
      if (rule->kind == JOREN_POINTS_RULE_EXCLUDE)
        return 0;
      if (rule->kind == JOREN_POINTS_RULE_PRODUCT)
        product = MAX (product, (gint64) rule->multiplier_bp);
      else if (rule->kind == JOREN_POINTS_RULE_CATEGORY)
        category = MAX (category, (gint64) rule->multiplier_bp);
    }
  return (guint) (product >= 0 ? product : category >= 0 ? category : BP);
}

/* The best window running at when, or 1x. */
static guint
window_bp (GArray    *rules,
           GDateTime *when)
{
  gint64 best = -1;

  for (guint i = 0; i < rules->len; i++)
    {
      const JorenPointsRule *rule = &g_array_index (rules, JorenPointsRule, i);

      if (rule->kind == JOREN_POINTS_RULE_WINDOW && window_matches (rule, when))
        best = MAX (best, (gint64) rule->multiplier_bp);
    }
  return (guint) (best >= 0 ? best : BP);
}

static gint64
category_of (JorenDb *db,
             gint64   product_id)
{
  gint64 category = 0;

  if (product_id != 0)
    query_int_for_id (db, "SELECT category_id FROM products WHERE id = ?",
                      product_id, &category, NULL);
  return category;
}

static guint
tier_bp (JorenDb *db,
         gint64   customer_id)
{
  gint64 bp = BP;

  if (!query_int_for_id (db, "SELECT t.multiplier_bp FROM customers c"
                             " JOIN loyalty_tiers t ON t.level = c.tier WHERE c.id = ?",
                         customer_id, &bp, NULL))
    return BP;
  return (guint) bp;
}

static gint64
points_tendered (JorenSale *sale)
{
  gint64 sum = 0;

  for (guint i = 0; i < joren_sale_get_n_tenders (sale); i++)
    {
      const JorenTender *tender = joren_sale_get_tender (sale, i);

      if (tender->kind == JOREN_TENDER_POINTS)
        sum += tender->amount;
    }
  return sum;
}

/* Sum of line amounts times their multipliers, in basis points. */
static gboolean
weighted_spend (JorenDb    *db,
                JorenSale  *sale,
                GDateTime  *when,
                gint64     *out,
                GError    **error)
{
  g_autoptr(GArray) rules = load_rules (db, error);
  guint common_bp;

  if (rules == NULL)
    return FALSE;
  common_bp = (guint) ((gint64) window_bp (rules, when)
                       * tier_bp (db, joren_sale_get_customer_id (sale)) / BP);
  *out = 0;
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);
      gint64 bp;

      if (line->kind != JOREN_LINE_GOODS)  /* vouchers sold and account payments earn nothing */
        continue;
      bp = item_bp (rules, line->product_id, category_of (db, line->product_id));
      *out += line->amount * (bp * common_bp / BP);
    }
  return TRUE;
}

static gboolean
compute_earned (JorenDb                   *db,
                JorenSale                 *sale,
                GDateTime                 *when,
                const JorenPointsSettings *settings,
                gint64                    *out_points,
                GError                   **error)
{
  gint64 weighted, earnable, total = joren_sale_get_total (sale);
  gint64 in_points = points_tendered (sale);

  *out_points = 0;
  if (joren_sale_get_customer_id (sale) == 0 || total <= 0)
    return TRUE;
  if (!weighted_spend (db, sale, when, &weighted, error))
    return FALSE;
  earnable = MAX (0, weighted) / BP;
  /* What was paid in points earns none. */
  earnable = earnable * MAX (0, total - in_points) / total;
  *out_points = earnable * settings->earn_points / settings->earn_amount;
  return TRUE;
}

gboolean
joren_points_for_sale (JorenDb    *db,
                       JorenSale  *sale,
                       GDateTime  *when,
                       gint64     *out_points,
                       GError    **error)
{
  g_autoptr(GDateTime) now = NULL;
  JorenPointsSettings settings;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);
  g_return_val_if_fail (out_points != NULL, FALSE);

  *out_points = 0;
  if (joren_sale_get_kind (sale) != JOREN_SALE_KIND_SALE)
    return TRUE;
  now = when != NULL ? g_date_time_ref (when) : g_date_time_new_now_utc ();
  joren_points_get_settings (db, &settings);
  return compute_earned (db, sale, now, &settings, out_points, error);
}

/* --- redemption ----------------------------------------------------- */

/* FALSE when the amount is no whole number of points. */
static gboolean
money_to_points (const JorenPointsSettings *settings,
                 gint64                     amount,
                 gint64                    *out_points)
{
  if (settings->redeem_value <= 0 || (amount * settings->redeem_points) % settings->redeem_value != 0)
    return FALSE;
  *out_points = amount * settings->redeem_points / settings->redeem_value;
  return TRUE;
}

/* The cashier's message when the balance does not cover a redemption. */
static gboolean
refuse_balance (gint64   balance,
                GError **error)
{
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               ngettext ("The customer has only %" PRId64 " point.",
                         "The customer has only %" PRId64 " points.",
                         (gulong) MAX (0, balance)),
               balance);
  return FALSE;
}

static gboolean
check_redeemable (JorenDb                   *db,
                  gint64                     customer_id,
                  gint64                     points,
                  const JorenPointsSettings *settings,
                  GError                   **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 balance;

  if (customer_id == 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Choose the customer before paying with points."));
      return FALSE;
    }
  if (points < settings->redeem_min)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   ngettext ("At least %" PRId64 " point must be used at a time.",
                             "At least %" PRId64 " points must be used at a time.",
                             (gulong) settings->redeem_min),
                   settings->redeem_min);
      return FALSE;
    }
  balance = joren_points_balance (db, customer_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return points <= balance || refuse_balance (balance, error);
}

gboolean
joren_points_add_tender (JorenDb    *db,
                         JorenSale  *sale,
                         gint64      points,
                         GError    **error)
{
  JorenPointsSettings settings;
  gint64 amount, already;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);
  g_return_val_if_fail (joren_sale_get_kind (sale) == JOREN_SALE_KIND_SALE, FALSE);

  joren_points_get_settings (db, &settings);
  if (points <= 0 || (points * settings.redeem_value) % settings.redeem_points != 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Points are used in steps of %" PRId64 "."), settings.redeem_points);
      return FALSE;
    }
  amount = points * settings.redeem_value / settings.redeem_points;
  if (!money_to_points (&settings, points_tendered (sale), &already))
    already = 0;
  if (!check_redeemable (db, joren_sale_get_customer_id (sale), points, &settings, error)
      || !check_redeemable (db, joren_sale_get_customer_id (sale), points + already,
                            &settings, error))
    return FALSE;
  return joren_sale_add_tender (sale, JOREN_TENDER_POINTS, amount, NULL, error);
}

/* --- writing the ledger --------------------------------------------- */

typedef struct {
  gint64      customer_id;
  const char *kind;
  gint64      points;
  const char *reason;
  gint64      staff_id;
  gint64      sale_id;
  const char *sale_uuid;
  gint64      created_at;
} Entry;

static gboolean
insert_entry (JorenDb      *db,
              const Entry  *entry,
              GError      **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  if (entry->points == 0)
    return TRUE;
  stmt = joren_db_prepare (db, "INSERT INTO points_ledger (customer_id, kind, points, reason,"
                               " staff_id, sale_id, sale_uuid, created_at)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry->customer_id);
  sqlite3_bind_text (stmt, 2, entry->kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, entry->points);
  joren_db_bind_text_or_null (stmt, 4, entry->reason);
  joren_db_bind_id_or_null (stmt, 5, entry->staff_id);
  joren_db_bind_id_or_null (stmt, 6, entry->sale_id);
  joren_db_bind_text_or_null (stmt, 7, entry->sale_uuid);
  sqlite3_bind_int64 (stmt, 8, entry->created_at);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
                   _("The points of this sale are already recorded."));
      return FALSE;
    }
  return joren_db_set_error (db, rc, _("Could not save the points."), error);
}

/* whole * min (part, total) / total, rounded down: a share of points. */
static gint64
share_of (gint64 whole,
          gint64 part,
          gint64 total)
{
  if (total <= 0 || part <= 0)
    return 0;
  return whole * MIN (part, total) / total;
}

/* The points a sale's points tenders stand for (positive on a sale and
 * on a refund alike). */
static gboolean
tendered_points (const JorenPointsSettings  *settings,
                 JorenSale                  *sale,
                 gint64                     *out,
                 GError                    **error)
{
  gint64 amount = points_tendered (sale);

  if (money_to_points (settings, amount < 0 ? -amount : amount, out))
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("The points payment is not a whole number of points."));
  return FALSE;
}

static gboolean
record_sale_points (JorenDb    *db,
                    JorenSale  *sale,
                    Entry      *entry,
                    GDateTime  *when,
                    GError    **error)
{
  JorenPointsSettings settings;
  gint64 redeemed, earned;

  joren_points_get_settings (db, &settings);
  if (!tendered_points (&settings, sale, &redeemed, error))
    return FALSE;
  if (redeemed != 0
      && !check_redeemable (db, entry->customer_id, redeemed, &settings, error))
    return FALSE;
  entry->kind = "redeem";
  entry->points = -redeemed;
  if (!insert_entry (db, entry, error)
      || !compute_earned (db, sale, when, &settings, &earned, error))
    return FALSE;
  entry->kind = "earn";
  entry->points = earned;
  return insert_entry (db, entry, error);
}

/* Money refunded by the original's refunds other than this one. */
static gboolean
refunded_before (JorenDb    *db,
                 gint64      original_id,
                 gint64      refund_id,
                 gint64     *out,
                 GError    **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db, "SELECT coalesce (-sum (total), 0) FROM sales"
                               " WHERE original_sale_id = ?1 AND kind = 'refund' AND id <> ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, original_id);
  sqlite3_bind_int64 (stmt, 2, refund_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read earlier refunds."), error))
    return FALSE;
  *out = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* This refund's share of a quantity of points the original sale had: what
 * every refund up to it should have moved minus what the earlier did.
 * refund_id: the refund's row while it is being committed, else 0. */
static gboolean
refund_share (JorenDb     *db,
              JorenSale   *refund,
              gint64       refund_id,
              const char  *sql,
              gint64      *out,
              GError     **error)
{
  JorenSale *original = joren_sale_get_original (refund);
  gint64 whole, before, total, after;

  *out = 0;
  if (original == NULL)
    return TRUE;
  if (!query_int_for_id (db, sql, joren_sale_get_id (original), &whole, error)
      || !refunded_before (db, joren_sale_get_id (original), refund_id, &before, error))
    return FALSE;
  total = joren_sale_get_total (original);
  after = before - joren_sale_get_total (refund);
  *out = share_of (whole, after, total) - share_of (whole, before, total);
  return TRUE;
}

#define EARNED_SQL \
  "SELECT coalesce (sum (points), 0) FROM points_ledger WHERE sale_id = ? AND kind = 'earn'"
#define REDEEMED_SQL \
  "SELECT coalesce (-sum (points), 0) FROM points_ledger WHERE sale_id = ? AND kind = 'redeem'"

static gboolean
record_refund_points (JorenDb    *db,
                      JorenSale  *refund,
                      Entry      *entry,
                      GError    **error)
{
  JorenPointsSettings settings;
  gint64 reversed, restored;

  joren_points_get_settings (db, &settings);
  if (!tendered_points (&settings, refund, &restored, error))
    return FALSE;
  if (!refund_share (db, refund, entry->sale_id, EARNED_SQL, &reversed, error))
    return FALSE;
  entry->kind = "reversal";
  entry->points = -reversed;
  if (!insert_entry (db, entry, error))
    return FALSE;
  entry->points = restored;
  return insert_entry (db, entry, error);
}

/* A customer's tier from their spend in [?1, ?2). */
#define SET_TIER \
  "UPDATE customers SET tier = (SELECT coalesce (max (level), 0) FROM loyalty_tiers" \
  " WHERE min_spend <= (SELECT coalesce (sum (total), 0) FROM sales" \
  " WHERE customer_id = customers.id AND created_at >= ?1 AND created_at < ?2))"

/* customer_id 0: every customer. */
static gboolean
set_tiers (JorenDb    *db,
           gint64      customer_id,
           GDateTime  *until,
           GError    **error)
{
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(JorenStmt) stmt = NULL;
  JorenPointsSettings settings;

  joren_points_get_settings (db, &settings);
  since = g_date_time_add_months (until, -(gint) settings.tier_months);
  stmt = joren_db_prepare (db, customer_id != 0 ? SET_TIER " WHERE id = ?3" : SET_TIER, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, joren_db_time_to_usec (since));
  sqlite3_bind_int64 (stmt, 2, joren_db_time_to_usec (until));
  if (customer_id != 0)
    sqlite3_bind_int64 (stmt, 3, customer_id);
  return joren_db_step_done (db, stmt, _("Could not update the tiers."), error);
}

/* The tier follows the spend at once: up after a sale, down after a
 * refund (joren_points_update_tiers catches spend ageing out). The
 * period ends just after the sale, so the sale counts. */
static gboolean
update_customer_tier (JorenDb    *db,
                      gint64      customer_id,
                      GDateTime  *sold_at,
                      GError    **error)
{
  g_autoptr(GDateTime) after = g_date_time_add (sold_at, 1);

  return set_tiers (db, customer_id, after, error);
}

/* Called by joren_db_commit_sale inside its transaction, after the
 * header (sale_id) and tenders are written. */
gboolean
joren_points_record_sale (JorenDb    *db,
                          JorenSale  *sale,
                          gint64      sale_id,
                          GDateTime  *created_at,
                          GError    **error)
{
  Entry entry = { 0 };

  entry.customer_id = joren_sale_get_customer_id (sale);
  if (entry.customer_id == 0)
    {
      if (points_tendered (sale) == 0)
        return TRUE;
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Choose the customer before paying with points."));
      return FALSE;
    }
  entry.staff_id = joren_sale_get_staff_id (sale);
  entry.sale_id = sale_id;
  entry.sale_uuid = joren_sale_get_uuid (sale);
  entry.created_at = joren_db_time_to_usec (created_at);
  if (!(joren_sale_get_kind (sale) == JOREN_SALE_KIND_REFUND
        ? record_refund_points (db, sale, &entry, error)
        : record_sale_points (db, sale, &entry, created_at, error)))
    return FALSE;
  return update_customer_tier (db, entry.customer_id, created_at, error);
}

gint64
joren_points_refund_amount (JorenDb    *db,
                            JorenSale  *refund,
                            GError    **error)
{
  JorenPointsSettings settings;
  gint64 points = 0;

  g_return_val_if_fail (JOREN_IS_DB (db), 0);
  g_return_val_if_fail (JOREN_IS_SALE (refund), 0);

  if (joren_sale_get_kind (refund) != JOREN_SALE_KIND_REFUND
      || !refund_share (db, refund, joren_sale_get_id (refund), REDEEMED_SQL, &points, error))
    return 0;
  joren_points_get_settings (db, &settings);
  /* Whole points only; never more than the refund pays out. */
  return MAX (joren_sale_get_total (refund),
              -(points * settings.redeem_value / settings.redeem_points));
}

/* --- adjustments, expiry, tiers ------------------------------------- */

static gboolean
check_adjustment (JorenDb     *db,
                  const Entry *entry,
                  GError     **error)
{
  gint64 balance = 0;

  if (!query_int_for_id (db, "SELECT coalesce (sum (points), 0) FROM points_ledger"
                             " WHERE customer_id = ?", entry->customer_id, &balance, error))
    return FALSE;
  return balance + entry->points >= 0 || refuse_balance (balance, error);
}

gboolean
joren_points_adjust (JorenDb     *db,
                     gint64       customer_id,
                     gint64       points,
                     const char  *reason,
                     gint64       staff_id,
                     GError     **error)
{
  Entry entry = { customer_id, "adjust", points, reason, staff_id, 0, NULL, g_get_real_time () };
  g_autofree char *stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (customer_id > 0, FALSE);

  if (*stripped == '\0' || points == 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Enter the points and the reason for the change."));
      return FALSE;
    }
  entry.reason = stripped;
  if (!joren_db_begin (db, error))
    return FALSE;
  if (check_adjustment (db, &entry, error)
      && insert_entry (db, &entry, error)
      && joren_outbox_flush (db, error)
      && joren_db_commit (db, error))
    return TRUE;
  joren_db_rollback (db);
  return FALSE;
}

typedef struct {
  gint64 customer_id;
  gint64 points;
} Expiry;

/* Oldest points are spent first, so what is left of the points earned
 * before the cutoff is what they brought in minus everything ever spent,
 * taken back, deducted or expired. */
static GArray *
list_expiries (JorenDb  *db,
               gint64    cutoff,
               GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GArray) expiries = g_array_new (FALSE, FALSE, sizeof (Expiry));
  int rc;

  stmt = joren_db_prepare (db, "SELECT customer_id, min (sum (points),"
                               " coalesce (sum (points) FILTER (WHERE points > 0"
                               " AND created_at < ?1), 0)"
                               " + coalesce (sum (points) FILTER (WHERE points < 0), 0))"
                               " AS due FROM points_ledger GROUP BY customer_id"
                               " HAVING due > 0 ORDER BY customer_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, cutoff);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Expiry expiry = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_val (expiries, expiry);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the points."), error);
      return NULL;
    }
  return g_steal_pointer (&expiries);
}

static gboolean
write_expiries (JorenDb    *db,
                GArray     *expiries,
                gint64      when,
                gint64     *out_expired,
                GError    **error)
{
  for (guint i = 0; i < expiries->len; i++)
    {
      const Expiry *expiry = &g_array_index (expiries, Expiry, i);
      Entry entry = { expiry->customer_id, "expire", -expiry->points, NULL, 0, 0, NULL, when };

      if (!insert_entry (db, &entry, error))
        return FALSE;
      *out_expired += expiry->points;
    }
  return TRUE;
}

gboolean
joren_points_expire (JorenDb    *db,
                     GDateTime  *now,
                     gint64     *out_expired,
                     GError    **error)
{
  g_autoptr(GDateTime) current = NULL;
  g_autoptr(GDateTime) cutoff = NULL;
  g_autoptr(GArray) expiries = NULL;
  JorenPointsSettings settings;
  gint64 expired = 0;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  joren_points_get_settings (db, &settings);
  if (out_expired != NULL)
    *out_expired = 0;
  if (settings.expiry_months == 0)
    return TRUE;
  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  cutoff = g_date_time_add_months (current, -(gint) settings.expiry_months);
  if (!joren_db_begin (db, error))
    return FALSE;
  expiries = list_expiries (db, joren_db_time_to_usec (cutoff), error);
  if (expiries == NULL
      || !write_expiries (db, expiries, joren_db_time_to_usec (current), &expired, error)
      || !joren_db_commit (db, error))
    {
      joren_db_rollback (db);
      return FALSE;
    }
  if (out_expired != NULL)
    *out_expired = expired;
  return TRUE;
}

gboolean
joren_points_update_tiers (JorenDb    *db,
                           GDateTime  *now,
                           GError    **error)
{
  g_autoptr(GDateTime) current = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  return set_tiers (db, 0, current, error);
}
