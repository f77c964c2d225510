/* joren-punch.c: count cards and stamp cards on the append-only
 * punch_ledger. Shops sell 回数券 / 計次卡 at the counter and give "every
 * 10th coffee free"; registers that kept such balances in a counter
 * column lost visits on a crash and doubled them on a retried sync. Here
 * every change is a ledger row written in the sale's own transaction,
 * and a sale's changes are first gathered as deltas merged per card or
 * programme, kind and sign, which is exactly the ledger's unique key: a
 * retried commit hits the key instead of counting twice. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
/* PRId64, not G_GINT64_FORMAT, inside _() (see joren-sale.c). */
#include <inttypes.h>

#include <glib/gi18n.h>

#include "joren-catalog.h"
#include "joren-db-private.h"
#include "joren-outbox.h"
#include "joren-punch.h"

#define STAMP_PREFIX "stamp:"
#define FULL_DISCOUNT_BP 10000

/* --- small helpers -------------------------------------------------- */

/* One integer from a statement with one or two integer parameters;
 * *out is 0 when there is no row. */
static gboolean
query_int (JorenDb     *db,
           const char  *sql,
           gint64       a,
           gint64       b,
           gint64      *out,
           GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    sqlite3_bind_int64 (stmt, 2, b);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the cards."), error))
    return FALSE;
  *out = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

static gint64
category_of (JorenDb *db,
             gint64   product_id)
{
  gint64 category = 0;

  if (product_id != 0)
    query_int (db, "SELECT coalesce (category_id, 0) FROM products WHERE id = ?",
               product_id, 0, &category, NULL);
  return category;
}

/* Whether a product is the wanted one or in the wanted category. */
static gboolean
covers (JorenDb *db,
        gint64   product_id,
        gint64   want_product,
        gint64   want_category)
{
  if (product_id == 0)
    return FALSE;
  return (want_product != 0 && want_product == product_id)
         || (want_category != 0 && want_category == category_of (db, product_id));
}

static gboolean
refuse (GError     **error,
        int          code,
        const char  *message)
{
  g_set_error_literal (error, JOREN_DATA_ERROR, code, message);
  return FALSE;
}

/* A line's reference as a card id, 0 when it is none. */
static gint64
reference_id (const char *reference,
              const char *prefix)
{
  gsize len = strlen (prefix);

  if (reference == NULL || strncmp (reference, prefix, len) != 0)
    return 0;
  return g_ascii_strtoll (reference + len, NULL, 10);
}

#define CARD_OF(line) \
  ((line)->kind == JOREN_LINE_VISIT ? reference_id ((line)->reference, "") : 0)
#define FREE_PROGRAMME_OF(line) \
  ((line)->kind == JOREN_LINE_GOODS ? reference_id ((line)->reference, STAMP_PREFIX) : 0)

/* --- count-card products -------------------------------------------- */

gboolean
joren_punch_set_product (JorenDb                  *db,
                         const JorenPunchProduct  *product,
                         GError                  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (product != NULL && product->product_id > 0, FALSE);

  if (product->visits == 0
      || (product->covers_product_id == 0 && product->covers_category_id == 0))
    return refuse (error, JOREN_DATA_ERROR_INVALID,
                   _("A count card needs its number of visits and what a visit pays for."));
  if (product->covers_product_id == product->product_id)
    return refuse (error, JOREN_DATA_ERROR_INVALID,
                   _("A count card cannot pay for itself."));
  stmt = joren_db_prepare (db, "INSERT INTO punch_products (product_id, visits, valid_days,"
                               " covers_product_id, covers_category_id) VALUES (?1, ?2, ?3, ?4, ?5)"
                               " ON CONFLICT (product_id) DO UPDATE SET visits = ?2,"
                               " valid_days = ?3, covers_product_id = ?4, covers_category_id = ?5",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product->product_id);
  sqlite3_bind_int64 (stmt, 2, product->visits);
  sqlite3_bind_int64 (stmt, 3, product->valid_days);
  joren_db_bind_id_or_null (stmt, 4, product->covers_product_id);
  joren_db_bind_id_or_null (stmt, 5, product->covers_category_id);
  return joren_db_step_done (db, stmt, _("Could not save the count card."), error);
}

gboolean
joren_punch_remove_product (JorenDb  *db,
                            gint64    product_id,
                            GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  stmt = joren_db_prepare (db, "DELETE FROM punch_products WHERE product_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  return joren_db_step_done (db, stmt, _("Could not save the count card."), error);
}

#define PRODUCT_COLUMNS \
  "pp.product_id, pp.visits, pp.valid_days, coalesce (pp.covers_product_id, 0)," \
  " coalesce (pp.covers_category_id, 0)"

static void
product_from_row (sqlite3_stmt      *stmt,
                  JorenPunchProduct *out)
{
  out->product_id = sqlite3_column_int64 (stmt, 0);
  out->visits = (guint) sqlite3_column_int64 (stmt, 1);
  out->valid_days = (guint) sqlite3_column_int64 (stmt, 2);
  out->covers_product_id = sqlite3_column_int64 (stmt, 3);
  out->covers_category_id = sqlite3_column_int64 (stmt, 4);
}

gboolean
joren_punch_get_product (JorenDb           *db,
                         gint64             product_id,
                         JorenPunchProduct *out)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (product_id == 0)
    return FALSE;
  stmt = joren_db_prepare (db, "SELECT " PRODUCT_COLUMNS " FROM punch_products pp"
                               " WHERE pp.product_id = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the cards."), NULL) || !has_row)
    return FALSE;
  product_from_row (stmt, out);
  return TRUE;
}

GArray *
joren_punch_list_products (JorenDb  *db,
                           GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GArray) products = g_array_new (FALSE, TRUE, sizeof (JorenPunchProduct));
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT " PRODUCT_COLUMNS " FROM punch_products pp"
                               " JOIN products p ON p.id = pp.product_id ORDER BY p.name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenPunchProduct product;

      product_from_row (stmt, &product);
      g_array_append_val (products, product);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the cards."), error);
      return NULL;
    }
  return g_steal_pointer (&products);
}

/* --- stamp programmes ----------------------------------------------- */

void
joren_stamp_programme_free (JorenStampProgramme *programme)
{
  if (programme == NULL)
    return;
  g_free (programme->name);
  g_free (programme);
}

gboolean
joren_punch_add_programme (JorenDb              *db,
                           JorenStampProgramme  *programme,
                           GError              **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (programme != NULL, FALSE);

  name = g_strstrip (g_strdup (programme->name != NULL ? programme->name : ""));
  if (*name == '\0' || programme->stamps_needed < 2
      || (programme->product_id == 0 && programme->category_id == 0))
    return refuse (error, JOREN_DATA_ERROR_INVALID,
                   _("A stamp card needs a name, the item it counts and at least 2 stamps."));
  stmt = joren_db_prepare (db, "INSERT INTO stamp_programmes (name, product_id, category_id,"
                               " stamps_needed) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  joren_db_bind_id_or_null (stmt, 2, programme->product_id);
  joren_db_bind_id_or_null (stmt, 3, programme->category_id);
  sqlite3_bind_int64 (stmt, 4, programme->stamps_needed);
  if (!joren_db_step_done (db, stmt, _("Could not save the stamp card."), error))
    return FALSE;
  programme->id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  return TRUE;
}

gboolean
joren_punch_remove_programme (JorenDb  *db,
                              gint64    programme_id,
                              GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  stmt = joren_db_prepare (db, "UPDATE stamp_programmes SET active = 0 WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, programme_id);
  return joren_db_step_done (db, stmt, _("Could not save the stamp card."), error);
}

GPtrArray *
joren_punch_list_programmes (JorenDb  *db,
                             GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT id, name, coalesce (product_id, 0),"
                               " coalesce (category_id, 0), stamps_needed"
                               " FROM stamp_programmes WHERE active ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_stamp_programme_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenStampProgramme *programme = g_new0 (JorenStampProgramme, 1);

      programme->id = sqlite3_column_int64 (stmt, 0);
      programme->name = joren_db_column_dup_text (stmt, 1);
      programme->product_id = sqlite3_column_int64 (stmt, 2);
      programme->category_id = sqlite3_column_int64 (stmt, 3);
      programme->stamps_needed = (guint) sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (list, programme);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the cards."), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* --- balances ------------------------------------------------------- */

void
joren_punch_card_free (JorenPunchCard *card)
{
  if (card == NULL)
    return;
  g_free (card->name);
  g_clear_pointer (&card->expires_at, g_date_time_unref);
  g_free (card);
}

static JorenPunchCard *
card_from_row (sqlite3_stmt *stmt)
{
  JorenPunchCard *card = g_new0 (JorenPunchCard, 1);

  card->id = sqlite3_column_int64 (stmt, 0);
  card->name = joren_db_column_dup_text (stmt, 1);
  card->visits = sqlite3_column_int64 (stmt, 2);
  card->visits_left = sqlite3_column_int64 (stmt, 3);
  card->covers_product_id = sqlite3_column_int64 (stmt, 4);
  card->covers_category_id = sqlite3_column_int64 (stmt, 5);
  if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
    card->expires_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 6));
  return card;
}

static gint64
usec_or_now (GDateTime *now)
{
  return now != NULL ? joren_db_time_to_usec (now) : g_get_real_time ();
}

GPtrArray *
joren_punch_list_cards (JorenDb    *db,
                        gint64      customer_id,
                        GDateTime  *now,
                        GError    **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT c.id, c.name, c.visits, sum (l.units) AS left,"
                               " coalesce (c.covers_product_id, 0),"
                               " coalesce (c.covers_category_id, 0), c.expires_at"
                               " FROM punch_cards c JOIN punch_ledger l ON l.card_id = c.id"
                               " WHERE c.customer_id = ?1"
                               " AND (c.expires_at IS NULL OR c.expires_at > ?2)"
                               " GROUP BY c.id HAVING left > 0"
                               " ORDER BY c.expires_at IS NULL, c.expires_at, c.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, usec_or_now (now));
  cards = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_punch_card_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (cards, card_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the cards."), error);
      return NULL;
    }
  return g_steal_pointer (&cards);
}

void
joren_stamp_balance_free (JorenStampBalance *balance)
{
  if (balance == NULL)
    return;
  g_free (balance->name);
  g_free (balance);
}

GPtrArray *
joren_punch_list_stamps (JorenDb  *db,
                         gint64    customer_id,
                         GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT p.id, p.name, p.stamps_needed,"
                               " (SELECT coalesce (sum (units), 0) FROM punch_ledger"
                               " WHERE customer_id = ?1 AND programme_id = p.id)"
                               " FROM stamp_programmes p WHERE p.active ORDER BY p.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_stamp_balance_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenStampBalance *balance = g_new0 (JorenStampBalance, 1);

      balance->programme_id = sqlite3_column_int64 (stmt, 0);
      balance->name = joren_db_column_dup_text (stmt, 1);
      balance->stamps_needed = (guint) sqlite3_column_int64 (stmt, 2);
      balance->stamps = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (list, balance);
    }
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the cards."), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gint64
stamps_of (JorenDb *db,
           gint64   customer_id,
           gint64   programme_id)
{
  gint64 stamps = 0;

  query_int (db, "SELECT coalesce (sum (units), 0) FROM punch_ledger"
                 " WHERE customer_id = ?1 AND programme_id = ?2",
             customer_id, programme_id, &stamps, NULL);
  return stamps;
}

/* --- one card ------------------------------------------------------- */

typedef struct {
  gint64 customer_id;
  gint64 left;
  gint64 expires_at;            /* 0: never */
  gint64 covers_product_id;
  gint64 covers_category_id;
} CardState;

static gboolean
load_card (JorenDb    *db,
           gint64      card_id,
           CardState  *out,
           GError    **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db, "SELECT c.customer_id, (SELECT coalesce (sum (units), 0)"
                               " FROM punch_ledger WHERE card_id = c.id),"
                               " coalesce (c.expires_at, 0), coalesce (c.covers_product_id, 0),"
                               " coalesce (c.covers_category_id, 0)"
                               " FROM punch_cards c WHERE c.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, card_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the cards."), error))
    return FALSE;
  if (!has_row)
    return refuse (error, JOREN_DATA_ERROR_NOT_FOUND, _("There is no such count card."));
  out->customer_id = sqlite3_column_int64 (stmt, 0);
  out->left = sqlite3_column_int64 (stmt, 1);
  out->expires_at = sqlite3_column_int64 (stmt, 2);
  out->covers_product_id = sqlite3_column_int64 (stmt, 3);
  out->covers_category_id = sqlite3_column_int64 (stmt, 4);
  return TRUE;
}

static gboolean
refuse_expired (gint64    expires_at,
                GError  **error)
{
  g_autoptr(GDateTime) utc = joren_db_time_from_usec (expires_at);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");

  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("This count card expired on %s."), date);
  return FALSE;
}

/* The card may pay `visits` more visits (those already counted
 * included) for customer_id at when. */
static gboolean
check_card (const CardState  *card,
            gint64            customer_id,
            gint64            visits,
            gint64            when,
            GError          **error)
{
  if (customer_id == 0 || card->customer_id != customer_id)
    return refuse (error, JOREN_DATA_ERROR_INVALID,
                   _("This count card belongs to another customer."));
  if (card->expires_at != 0 && card->expires_at <= when)
    return refuse_expired (card->expires_at, error);
  if (card->left < visits)
    return refuse (error, JOREN_DATA_ERROR_INVALID,
                   card->left <= 0 ? _("This count card has no visits left.")
                                   : _("This count card has no more visits left for this sale."));
  return TRUE;
}

gint64
joren_punch_visits_on_sale (JorenSale *sale,
                            gint64     card_id)
{
  gint64 visits = 0;

  g_return_val_if_fail (JOREN_IS_SALE (sale), 0);

  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);

      if (CARD_OF (line) == card_id)
        visits += line->qty;
    }
  return visits;
}

/* --- a visit at the till -------------------------------------------- */

/* A paid goods line: no discount, no card or stamp on it. */
static gboolean
is_paid_goods (const JorenSaleLine *line)
{
  return line->kind == JOREN_LINE_GOODS && line->reference == NULL && line->qty > 0
         && line->discount.kind == JOREN_DISCOUNT_NONE && line->base > 0;
}

/* The last paid goods line whose product the wanted product or
 * category covers; G_MAXUINT: none. */
static guint
find_covered_line (JorenDb   *db,
                   JorenSale *sale,
                   gint64     want_product,
                   gint64     want_category)
{
  for (guint i = joren_sale_get_n_lines (sale); i-- > 0;)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);

      if (is_paid_goods (line) && covers (db, line->product_id, want_product, want_category))
        return i;
    }
  return G_MAXUINT;
}

/* Takes one unit off line index; the caller has copied what it needs. */
static void
take_one_unit (JorenSale *sale,
               guint      index)
{
  const JorenSaleLine *line = joren_sale_get_line (sale, index);

  if (line->qty > 1 && !line->fixed)
    joren_sale_set_line_qty (sale, index, line->qty - 1, NULL);
  else
    joren_sale_remove_line (sale, index);
}

static guint
append_visit (JorenSale          *sale,
              const JorenProduct *product,
              gint64              card_id)
{
  g_autofree char *reference = g_strdup_printf ("%" G_GINT64_FORMAT, card_id);
  JorenSaleLine visit = {
    .product_id = product->id,
    .name = product->name,
    .qty = 1,
    .unit_price = product->price,
    .fixed = TRUE,
    .fixed_amount = 0,
    .tax_class_id = product->tax_class_id,
    .rate_bp = product->rate_bp,
    .kind = JOREN_LINE_VISIT,
    .reference = reference,
  };

  joren_sale_append_line (sale, &visit);
  return joren_sale_get_n_lines (sale) - 1;
}

/* What the visit pays for: a unit of a covered line on the sale, else
 * the covered product itself. */
static JorenProduct *
product_for_visit (JorenDb          *db,
                   JorenSale        *sale,
                   const CardState  *card,
                   GError          **error)
{
  guint index = find_covered_line (db, sale, card->covers_product_id, card->covers_category_id);
  g_autoptr(JorenProduct) product = NULL;

  if (index != G_MAXUINT)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, index);

      product = joren_product_new ();
      product->id = line->product_id;
      product->name = g_strdup (line->name);
      product->price = line->unit_price;
      product->tax_class_id = line->tax_class_id;
      product->rate_bp = line->rate_bp;
      take_one_unit (sale, index);
      return g_steal_pointer (&product);
    }
  if (card->covers_product_id == 0)
    {
      refuse (error, JOREN_DATA_ERROR_INVALID,
              _("Add the item the count card pays for first, then use the visit."));
      return NULL;
    }
  return joren_catalog_get_product (db, card->covers_product_id, error);
}

guint
joren_punch_add_visit (JorenDb    *db,
                       JorenSale  *sale,
                       gint64      card_id,
                       GError    **error)
{
  g_autoptr(JorenProduct) product = NULL;
  CardState card;

  g_return_val_if_fail (JOREN_IS_DB (db), G_MAXUINT);
  g_return_val_if_fail (JOREN_IS_SALE (sale), G_MAXUINT);

  if (joren_sale_get_kind (sale) != JOREN_SALE_KIND_SALE)
    {
      refuse (error, JOREN_DATA_ERROR_INVALID, _("A refund cannot use a count card."));
      return G_MAXUINT;
    }
  if (!load_card (db, card_id, &card, error)
      || !check_card (&card, joren_sale_get_customer_id (sale),
                      joren_punch_visits_on_sale (sale, card_id) + 1, g_get_real_time (), error))
    return G_MAXUINT;
  product = product_for_visit (db, sale, &card, error);
  if (product == NULL)
    return G_MAXUINT;
  return append_visit (sale, product, card_id);
}

/* --- free items (stamps) -------------------------------------------- */

/* Free items of the programme already on the sale. */
static gint64
free_items_on_sale (JorenSale *sale,
                    gint64     programme_id)
{
  gint64 n = 0;

  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);

      if (FREE_PROGRAMME_OF (line) == programme_id)
        n += line->qty;
    }
  return n;
}

static gboolean
programme_ready (JorenDb                   *db,
                 JorenSale                 *sale,
                 const JorenStampProgramme *programme)
{
  gint64 customer_id = joren_sale_get_customer_id (sale);
  gint64 stamps = stamps_of (db, customer_id, programme->id)
                  - programme->stamps_needed * free_items_on_sale (sale, programme->id);

  return stamps >= programme->stamps_needed
         && find_covered_line (db, sale, programme->product_id,
                               programme->category_id) != G_MAXUINT;
}

/* The active programme of id, NULL when there is none. */
static JorenStampProgramme *
find_programme (GPtrArray *programmes,
                gint64     programme_id)
{
  for (guint i = 0; programmes != NULL && i < programmes->len; i++)
    {
      JorenStampProgramme *programme = g_ptr_array_index (programmes, i);

      if (programme_id == 0 || programme->id == programme_id)
        return programme;
    }
  return NULL;
}

gint64
joren_punch_free_item_offer (JorenDb   *db,
                             JorenSale *sale)
{
  g_autoptr(GPtrArray) programmes = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), 0);
  g_return_val_if_fail (JOREN_IS_SALE (sale), 0);

  if (joren_sale_get_customer_id (sale) == 0
      || joren_sale_get_kind (sale) != JOREN_SALE_KIND_SALE)
    return 0;
  programmes = joren_punch_list_programmes (db, NULL);
  for (guint i = 0; programmes != NULL && i < programmes->len; i++)
    {
      JorenStampProgramme *programme = g_ptr_array_index (programmes, i);

      if (programme_ready (db, sale, programme))
        return programme->id;
    }
  return 0;
}

/* Makes one unit of line index free: the line itself when it is one
 * unit, else a copy of one unit split off it. */
static gboolean
make_unit_free (JorenSale  *sale,
                guint       index,
                gint64      programme_id,
                GError    **error)
{
  JorenDiscount full = { JOREN_DISCOUNT_PERCENT, FULL_DISCOUNT_BP };
  g_autofree char *reference = g_strdup_printf (STAMP_PREFIX "%" G_GINT64_FORMAT, programme_id);
  JorenSaleLine *line = joren_sale_get_line_mutable (sale, index);

  if (line->qty > 1 && !line->fixed)
    {
      JorenSaleLine unit = *line;

      unit.qty = 1;
      unit.discount = full;
      unit.reference = reference;
      unit.id = 0;
      joren_sale_set_line_qty (sale, index, line->qty - 1, NULL);
      joren_sale_append_line (sale, &unit);
      return TRUE;
    }
  g_free (line->reference);
  line->reference = g_steal_pointer (&reference);
  return joren_sale_set_line_discount (sale, index, &full, error);
}

gboolean
joren_punch_apply_free_item (JorenDb    *db,
                             JorenSale  *sale,
                             gint64      programme_id,
                             GError    **error)
{
  g_autoptr(GPtrArray) programmes = NULL;
  JorenStampProgramme *programme;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);
  g_return_val_if_fail (programme_id > 0, FALSE);

  programmes = joren_punch_list_programmes (db, error);
  if (programmes == NULL)
    return FALSE;
  programme = find_programme (programmes, programme_id);
  if (programme == NULL || joren_sale_get_customer_id (sale) == 0
      || !programme_ready (db, sale, programme))
    return refuse (error, JOREN_DATA_ERROR_INVALID,
                   _("There is no free item to give: not enough stamps, or no item"
                     " of the stamp card on the sale."));
  return make_unit_free (sale,
                         find_covered_line (db, sale, programme->product_id,
                                            programme->category_id),
                         programme->id, error);
}

/* --- the sale's deltas ---------------------------------------------- */

/* One ledger row to be: merged per card or programme, kind and sign,
 * which is the ledger's unique key for a sale. */
typedef struct {
  gint64      card_id;
  gint64      programme_id;
  const char *kind;
  gint64      units;
} Delta;

typedef struct {
  JorenDb    *db;
  JorenSale  *sale;
  gint64      customer_id;
  gint64      staff_id;
  gint64      sale_id;
  const char *sale_uuid;
  gint64      created_at;
  GArray     *deltas;
} Commit;

static void
add_delta (Commit     *commit,
           gint64      card_id,
           gint64      programme_id,
           const char *kind,
           gint64      units)
{
  Delta delta = { card_id, programme_id, kind, units };

  if (units == 0)
    return;
  for (guint i = 0; i < commit->deltas->len; i++)
    {
      Delta *d = &g_array_index (commit->deltas, Delta, i);

      if (d->card_id == card_id && d->programme_id == programme_id
          && strcmp (d->kind, kind) == 0 && (d->units > 0) == (units > 0))
        {
          d->units += units;
          return;
        }
    }
  g_array_append_val (commit->deltas, delta);
}

static gboolean
insert_row (Commit       *commit,
            const Delta  *delta,
            GError      **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (commit->db, "INSERT INTO punch_ledger (customer_id, card_id,"
                                       " programme_id, kind, units, staff_id, sale_id,"
                                       " sale_uuid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, commit->customer_id);
  joren_db_bind_id_or_null (stmt, 2, delta->card_id);
  joren_db_bind_id_or_null (stmt, 3, delta->programme_id);
  sqlite3_bind_text (stmt, 4, delta->kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, delta->units);
  joren_db_bind_id_or_null (stmt, 6, commit->staff_id);
  joren_db_bind_id_or_null (stmt, 7, commit->sale_id);
  joren_db_bind_text_or_null (stmt, 8, commit->sale_uuid);
  sqlite3_bind_int64 (stmt, 9, commit->created_at);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    return refuse (error, JOREN_DATA_ERROR_EXISTS,
                   _("The cards and stamps of this sale are already recorded."));
  return joren_db_set_error (commit->db, rc, _("Could not save the cards."), error);
}

static gboolean
write_deltas (Commit  *commit,
              GError **error)
{
  for (guint i = 0; i < commit->deltas->len; i++)
    if (g_array_index (commit->deltas, Delta, i).units != 0
        && !insert_row (commit, &g_array_index (commit->deltas, Delta, i), error))
      return FALSE;
  return TRUE;
}

/* --- a sale: issue, use, earn, redeem ------------------------------- */

static gboolean
insert_card (Commit                  *commit,
             const JorenSaleLine     *line,
             guint                    position,
             gint64                   seq,
             const JorenPunchProduct *product,
             GError                 **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (commit->db, "INSERT INTO punch_cards (customer_id, product_id, name,"
                                       " visits, covers_product_id, covers_category_id,"
                                       " issued_at, expires_at, sale_id, sale_uuid,"
                                       " line_position, seq)"
                                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, commit->customer_id);
  sqlite3_bind_int64 (stmt, 2, line->product_id);
  sqlite3_bind_text (stmt, 3, line->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, product->visits);
  joren_db_bind_id_or_null (stmt, 5, product->covers_product_id);
  joren_db_bind_id_or_null (stmt, 6, product->covers_category_id);
  sqlite3_bind_int64 (stmt, 7, commit->created_at);
  joren_db_bind_id_or_null (stmt, 8, product->valid_days == 0 ? 0
                            : commit->created_at + (gint64) product->valid_days * G_TIME_SPAN_DAY);
  sqlite3_bind_int64 (stmt, 9, commit->sale_id);
  sqlite3_bind_text (stmt, 10, commit->sale_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 11, (int) position);
  sqlite3_bind_int64 (stmt, 12, seq);
  return joren_db_step_done (commit->db, stmt, _("Could not issue the count card."), error);
}

/* One card per unit of a count-card line. */
static gboolean
issue_cards (Commit               *commit,
             const JorenSaleLine  *line,
             guint                 position,
             GError              **error)
{
  JorenPunchProduct product;

  if (line->kind != JOREN_LINE_GOODS
      || !joren_punch_get_product (commit->db, line->product_id, &product))
    return TRUE;
  if (commit->customer_id == 0)
    return refuse (error, JOREN_DATA_ERROR_INVALID,
                   _("A count card is sold to a customer: choose the customer first."));
  for (gint64 seq = 0; seq < line->qty; seq++)
    {
      if (!insert_card (commit, line, position, seq, &product, error))
        return FALSE;
      add_delta (commit, sqlite3_last_insert_rowid (joren_db_get_handle (commit->db)), 0,
                 "issue", product.visits);
    }
  return TRUE;
}

static gboolean
use_visit (Commit               *commit,
           const JorenSaleLine  *line,
           GError              **error)
{
  gint64 card_id = CARD_OF (line);
  CardState card;

  if (!load_card (commit->db, card_id, &card, error)
      || !check_card (&card, commit->customer_id,
                      joren_punch_visits_on_sale (commit->sale, card_id),
                      commit->created_at, error))
    return FALSE;
  if (!covers (commit->db, line->product_id, card.covers_product_id, card.covers_category_id))
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("This count card does not pay for “%s”."), line->name);
      return FALSE;
    }
  add_delta (commit, card_id, 0, "use", -line->qty);
  return TRUE;
}

/* Stamps earned by paid qualifying items. */
static void
earn_stamps (Commit              *commit,
             const JorenSaleLine *line,
             GPtrArray           *programmes)
{
  if (line->kind != JOREN_LINE_GOODS || line->reference != NULL || line->amount <= 0)
    return;
  for (guint i = 0; i < programmes->len; i++)
    {
      const JorenStampProgramme *programme = g_ptr_array_index (programmes, i);

      if (covers (commit->db, line->product_id, programme->product_id, programme->category_id))
        add_delta (commit, 0, programme->id, "earn", line->qty);
    }
}

static gint64
stamps_needed (JorenDb *db,
               gint64   programme_id)
{
  gint64 needed = 0;

  query_int (db, "SELECT stamps_needed FROM stamp_programmes WHERE id = ?",
             programme_id, 0, &needed, NULL);
  return needed;
}

static gboolean
redeem_stamps (Commit               *commit,
               const JorenSaleLine  *line,
               GError              **error)
{
  gint64 programme_id = FREE_PROGRAMME_OF (line);
  gint64 needed = stamps_needed (commit->db, programme_id);
  gint64 wanted = needed * free_items_on_sale (commit->sale, programme_id);

  if (needed == 0 || commit->customer_id == 0
      || stamps_of (commit->db, commit->customer_id, programme_id) < wanted)
    return refuse (error, JOREN_DATA_ERROR_INVALID,
                   _("Not enough stamps for the free item: take the discount off."));
  add_delta (commit, 0, programme_id, "redeem", -needed * line->qty);
  return TRUE;
}

static gboolean
record_sale_line (Commit     *commit,
                  guint       position,
                  GPtrArray  *programmes,
                  GError    **error)
{
  const JorenSaleLine *line = joren_sale_get_line (commit->sale, position);

  if (CARD_OF (line) != 0)
    return use_visit (commit, line, error);
  if (FREE_PROGRAMME_OF (line) != 0)
    return redeem_stamps (commit, line, error);
  if (commit->customer_id != 0)
    earn_stamps (commit, line, programmes);
  return issue_cards (commit, line, position, error);
}

static gboolean
record_sale (Commit  *commit,
             GError **error)
{
  g_autoptr(GPtrArray) programmes = joren_punch_list_programmes (commit->db, error);

  if (programmes == NULL)
    return FALSE;
  for (guint i = 0; i < joren_sale_get_n_lines (commit->sale); i++)
    if (!record_sale_line (commit, i, programmes, error))
      return FALSE;
  return TRUE;
}

/* --- a refund: reverse ---------------------------------------------- */

/* Cancels up to n cards the original line issued, those with the most
 * visits left first: their visits left are taken back. */
static gboolean
cancel_cards (Commit  *commit,
              gint64   original_line_id,
              gint64   n,
              GError **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (commit->db, "SELECT c.id, sum (l.units) AS left FROM sale_lines o"
                                       " JOIN punch_cards c ON c.sale_id = o.sale_id"
                                       " AND c.line_position = o.position"
                                       " JOIN punch_ledger l ON l.card_id = c.id"
                                       " WHERE o.id = ?1 GROUP BY c.id HAVING left > 0"
                                       " ORDER BY left DESC, c.seq DESC LIMIT ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, original_line_id);
  sqlite3_bind_int64 (stmt, 2, n);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_delta (commit, sqlite3_column_int64 (stmt, 0), 0, "reversal",
               -sqlite3_column_int64 (stmt, 1));
  return rc == SQLITE_DONE
         || joren_db_set_error (commit->db, rc, _("Could not read the cards."), error);
}

/* Stamps the original sale earned for a refunded item come back off. */
static void
reverse_stamps (Commit              *commit,
                const JorenSaleLine *line,
                GPtrArray           *programmes)
{
  JorenSale *original = joren_sale_get_original (commit->sale);
  gint64 earned;

  for (guint i = 0; original != NULL && i < programmes->len; i++)
    {
      const JorenStampProgramme *programme = g_ptr_array_index (programmes, i);

      if (!covers (commit->db, line->product_id, programme->product_id, programme->category_id)
          || !query_int (commit->db, "SELECT count (*) FROM punch_ledger WHERE sale_id = ?1"
                                     " AND programme_id = ?2 AND kind = 'earn'",
                         joren_sale_get_id (original), programme->id, &earned, NULL)
          || earned == 0)
        continue;
      add_delta (commit, 0, programme->id, "reversal", line->qty);
    }
}

static gboolean
record_refund_line (Commit     *commit,
                    guint       position,
                    GPtrArray  *programmes,
                    GError    **error)
{
  const JorenSaleLine *line = joren_sale_get_line (commit->sale, position);
  gint64 programme_id = FREE_PROGRAMME_OF (line);
  if (CARD_OF (line) != 0)
    add_delta (commit, CARD_OF (line), 0, "reversal", -line->qty);
  else if (programme_id != 0)
    add_delta (commit, 0, programme_id, "reversal",
               -line->qty * stamps_needed (commit->db, programme_id));
  else if (line->kind == JOREN_LINE_GOODS && line->original_line_id != 0)
    {
      if (!cancel_cards (commit, line->original_line_id, -line->qty, error))
        return FALSE;
      reverse_stamps (commit, line, programmes);
    }
  return TRUE;
}

static gboolean
record_refund (Commit  *commit,
               GError **error)
{
  g_autoptr(GPtrArray) programmes = joren_punch_list_programmes (commit->db, error);

  if (programmes == NULL)
    return FALSE;
  if (commit->customer_id == 0)
    return TRUE;
  for (guint i = 0; i < joren_sale_get_n_lines (commit->sale); i++)
    if (!record_refund_line (commit, i, programmes, error))
      return FALSE;
  return TRUE;
}

gboolean
joren_punch_record_sale (JorenDb    *db,
                         JorenSale  *sale,
                         gint64      sale_id,
                         GDateTime  *created_at,
                         GError    **error)
{
  g_autoptr(GArray) deltas = g_array_new (FALSE, FALSE, sizeof (Delta));
  Commit commit = {
    db, sale, joren_sale_get_customer_id (sale), joren_sale_get_staff_id (sale), sale_id,
    joren_sale_get_uuid (sale), joren_db_time_to_usec (created_at), deltas,
  };

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);

  if (!(joren_sale_get_kind (sale) == JOREN_SALE_KIND_REFUND
        ? record_refund (&commit, error) : record_sale (&commit, error)))
    return FALSE;
  return write_deltas (&commit, error);
}

/* --- expiry --------------------------------------------------------- */

static gboolean
expire_cards (JorenDb  *db,
              gint64    now,
              gint64   *out_expired,
              GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GArray) deltas = g_array_new (FALSE, FALSE, sizeof (Delta));
  g_autoptr(GArray) customers = g_array_new (FALSE, FALSE, sizeof (gint64));
  Commit commit = { db, NULL, 0, 0, 0, NULL, now, deltas };
  int rc;

  stmt = joren_db_prepare (db, "SELECT c.id, c.customer_id, sum (l.units) AS left"
                               " FROM punch_cards c JOIN punch_ledger l ON l.card_id = c.id"
                               " WHERE c.expires_at IS NOT NULL AND c.expires_at <= ?1"
                               " GROUP BY c.id HAVING left > 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 customer_id = sqlite3_column_int64 (stmt, 1);

      add_delta (&commit, sqlite3_column_int64 (stmt, 0), 0, "expire",
                 -sqlite3_column_int64 (stmt, 2));
      g_array_append_val (customers, customer_id);
    }
  if (rc != SQLITE_DONE)
    return joren_db_set_error (db, rc, _("Could not read the cards."), error);
  g_clear_pointer (&stmt, joren_stmt_release);
  /* Each card is its own delta, in the order of customers. */
  for (guint i = 0; i < deltas->len; i++)
    {
      commit.customer_id = g_array_index (customers, gint64, i);
      if (!insert_row (&commit, &g_array_index (deltas, Delta, i), error))
        return FALSE;
      *out_expired -= g_array_index (deltas, Delta, i).units;
    }
  return TRUE;
}

gboolean
joren_punch_expire (JorenDb    *db,
                    GDateTime  *now,
                    gint64     *out_expired,
                    GError    **error)
{
  gint64 expired = 0;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (out_expired != NULL)
    *out_expired = 0;
  if (!joren_db_begin (db, error))
    return FALSE;
  if (!expire_cards (db, usec_or_now (now), &expired, error)
      || !joren_outbox_flush (db, error) || !joren_db_commit (db, error))
    {
      joren_db_rollback (db);
      return FALSE;
    }
  if (out_expired != NULL)
    *out_expired = expired;
  return TRUE;
}
