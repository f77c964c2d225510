/* joren-value-sale.c: value accounts at the till. Selling and topping up
 * (a value line, a liability, no tax), paying with a voucher or on
 * account (a hold through the JorenValueAuthority, then a tender), and
 * the commit hook that turns a stored sale into ledger rows. The hook
 * runs inside joren_db_commit_sale's transaction and decides again from
 * the ledger itself, because a hold may have expired or another register
 * may have spent the card meanwhile: a balance that no longer covers the
 * sale fails the whole commit. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-coupon.h"
#include "joren-value-private.h"

/* ---- selling and topping up --------------------------------------------- */

static gboolean
refuse (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID, message);
  return FALSE;
}

/* Limits that hold whether the sale is being built or committed. */
static gboolean
check_load (JorenDb                  *db,
            const JorenValueAccount  *account,
            gint64                    amount,
            gint64                    balance,
            GError                  **error)
{
  JorenValueSettings settings;
  g_autofree char *shown = NULL;

  joren_value_get_settings (db, &settings);
  if (account->kind == JOREN_VALUE_CUSTOMER_ACCOUNT)
    return refuse (error, _("A customer account is paid off, not topped up."));
  if (!joren_value_check_accepted (db, account->kind, error))
    return FALSE;
  if (joren_value_account_is_expired (account, NULL))
    return refuse (error, _("This voucher has expired and cannot be topped up."));
  if (settings.max_topup > 0 && amount > settings.max_topup)
    {
      shown = joren_value_format_money (db, settings.max_topup);
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("At most %s can be loaded at once in this store."), shown);
      return FALSE;
    }
  if (settings.max_balance > 0 && balance + amount > settings.max_balance)
    {
      shown = joren_value_format_money (db, settings.max_balance);
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("A card may hold at most %s in this store."), shown);
      return FALSE;
    }
  return TRUE;
}

static JorenValueAccount *
create_account (JorenDb         *db,
                JorenSale       *sale,
                JorenValueKind   kind,
                const char      *number,
                gint64           customer_id,
                GError         **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *generated = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = NULL;
  JorenValueSettings settings;

  joren_value_get_settings (db, &settings);
  if (number == NULL)
    number = generated = joren_value_number_generate (settings.store_code);
  if (settings.expiry_months > 0)
    expires = g_date_time_add_months (now, (int) settings.expiry_months);
  stmt = joren_db_prepare (db, "INSERT INTO value_accounts (number, kind, customer_id,"
                               " expires_at, store, external, created_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, joren_value_kind_to_string (kind), -1, SQLITE_STATIC);
  joren_db_bind_id_or_null (stmt, 3, customer_id);
  if (expires != NULL)
    sqlite3_bind_int64 (stmt, 4, joren_db_time_to_usec (expires));
  sqlite3_bind_text (stmt, 5, joren_sale_get_shop (sale)->register_prefix, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, generated == NULL);
  sqlite3_bind_int64 (stmt, 7, joren_db_time_to_usec (now));
  if (!joren_db_step_done (db, stmt, _("Could not create the voucher."), error))
    return NULL;
  return joren_value_load_account (db, number, 0, error);
}

/* The account a value line loads: the one with that number, or a new one. */
static JorenValueAccount *
account_to_load (JorenDb         *db,
                 JorenSale       *sale,
                 JorenValueKind   kind,
                 const char      *number,
                 gint64           customer_id,
                 GError         **error)
{
  g_autofree char *digits = NULL;
  g_autoptr(GError) local_error = NULL;
  JorenValueAccount *account;

  if (!joren_value_check_accepted (db, kind, error))
    return NULL;
  if (number == NULL)
    return create_account (db, sale, kind, NULL, customer_id, error);
  digits = joren_value_number_normalize (number);
  if (digits == NULL)
    {
      refuse (error, _("A voucher number has only digits and letters. Check it and try again."));
      return NULL;
    }
  account = joren_value_load_account (db, digits, 0, &local_error);
  if (account != NULL)
    return account;
  if (!g_error_matches (local_error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* Printed elsewhere: registered as it is, a number of ours must pass. */
  if (joren_value_number_is_mistyped (digits))
    {
      refuse (error, _("This number has a wrong digit (the check digit does not match). "
                       "Type it again."));
      return NULL;
    }
  return create_account (db, sale, kind, digits, customer_id, error);
}

guint
joren_value_add_issue_line (JorenDb         *db,
                            JorenSale       *sale,
                            JorenValueKind   kind,
                            const char      *number,
                            gint64           amount,
                            gint64           customer_id,
                            GError         **error)
{
  g_autoptr(JorenValueAccount) account = NULL;
  const char *name;

  g_return_val_if_fail (JOREN_IS_DB (db), G_MAXUINT);
  g_return_val_if_fail (JOREN_IS_SALE (sale), G_MAXUINT);
  g_return_val_if_fail (kind == JOREN_VALUE_GIFT || kind == JOREN_VALUE_PREPAID, G_MAXUINT);
  g_return_val_if_fail (error == NULL || *error == NULL, G_MAXUINT);

  if (joren_sale_get_kind (sale) != JOREN_SALE_KIND_SALE || amount <= 0)
    {
      refuse (error, _("Enter an amount above zero to load."));
      return G_MAXUINT;
    }
  account = account_to_load (db, sale, kind, number, customer_id, error);
  if (account == NULL || !check_load (db, account, amount, account->balance, error))
    return G_MAXUINT;
  name = account->balance == 0 && account->kind == JOREN_VALUE_GIFT ? _("Gift voucher")
         : account->kind == JOREN_VALUE_GIFT ? _("Gift voucher top-up") : _("Prepaid card top-up");
  return joren_sale_add_value_line (sale, JOREN_LINE_VALUE_ISSUE, name, account->number, amount);
}

guint
joren_value_add_payment_line (JorenDb    *db,
                              JorenSale  *sale,
                              gint64      account_id,
                              gint64      amount,
                              GError    **error)
{
  g_autoptr(JorenValueAccount) account = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), G_MAXUINT);
  g_return_val_if_fail (JOREN_IS_SALE (sale), G_MAXUINT);
  g_return_val_if_fail (amount >= 0, G_MAXUINT);

  account = joren_value_load_account (db, NULL, account_id, error);
  if (account == NULL)
    return G_MAXUINT;
  if (account->kind != JOREN_VALUE_CUSTOMER_ACCOUNT)
    {
      refuse (error, _("Only a customer account can be paid off."));
      return G_MAXUINT;
    }
  if (amount == 0)
    amount = -account->balance;
  if (amount <= 0 || joren_sale_get_kind (sale) != JOREN_SALE_KIND_SALE)
    {
      refuse (error, _("This account owes nothing."));
      return G_MAXUINT;
    }
  return joren_sale_add_value_line (sale, JOREN_LINE_ACCOUNT_PAYMENT, _("Account payment"),
                                    account->number, amount);
}

GPtrArray *
joren_value_sale_issued_numbers (JorenSale *sale)
{
  GPtrArray *numbers;

  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);

  numbers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);

      if (line->kind == JOREN_LINE_VALUE_ISSUE && line->reference != NULL && line->qty > 0)
        g_ptr_array_add (numbers, g_strdup (line->reference));
    }
  return numbers;
}

/* ---- balances for the receipt -------------------------------------------- */

void
joren_value_balance_free (JorenValueBalance *balance)
{
  if (balance == NULL)
    return;
  g_free (balance->number);
  g_clear_pointer (&balance->expires_at, g_date_time_unref);
  g_free (balance);
}

static gboolean
has_number (GPtrArray  *balances,
            const char *number)
{
  for (guint i = 0; i < balances->len; i++)
    if (g_strcmp0 (((JorenValueBalance *) g_ptr_array_index (balances, i))->number, number) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
add_balance (JorenDb     *db,
             GPtrArray   *balances,
             const char  *number,
             GError     **error)
{
  g_autoptr(JorenValueAccount) account = NULL;
  JorenValueBalance *balance;

  if (number == NULL || has_number (balances, number))
    return TRUE;
  account = joren_value_load_account (db, number, 0, error);
  if (account == NULL)
    return FALSE;
  balance = g_new0 (JorenValueBalance, 1);
  balance->number = g_strdup (account->number);
  balance->kind = account->kind;
  balance->balance = account->balance;
  balance->expires_at = account->expires_at ? g_date_time_ref (account->expires_at) : NULL;
  g_ptr_array_add (balances, balance);
  return TRUE;
}

GPtrArray *
joren_value_balances_for_sale (JorenDb    *db,
                               JorenSale  *sale,
                               GError    **error)
{
  g_autoptr(GPtrArray) balances = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (JOREN_IS_SALE (sale), NULL);

  balances = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_value_balance_free);
  for (guint i = 0; i < joren_sale_get_n_tenders (sale); i++)
    {
      const JorenTender *tender = joren_sale_get_tender (sale, i);

      if ((tender->kind == JOREN_TENDER_VOUCHER || tender->kind == JOREN_TENDER_ACCOUNT)
          && !add_balance (db, balances, tender->reference, error))
        return NULL;
    }
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);

      if (line->kind == JOREN_LINE_ACCOUNT_PAYMENT
          && !add_balance (db, balances, line->reference, error))
        return NULL;
    }
  return g_steal_pointer (&balances);
}

/* ---- the authority -------------------------------------------------------- */

G_DEFINE_INTERFACE (JorenValueAuthority, joren_value_authority, G_TYPE_OBJECT)

static void
joren_value_authority_default_init (JorenValueAuthorityInterface *iface)
{
}

JorenValueAccount *
joren_value_authority_lookup (JorenValueAuthority  *self,
                              const char           *number,
                              GError              **error)
{
  g_return_val_if_fail (JOREN_IS_VALUE_AUTHORITY (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  return JOREN_VALUE_AUTHORITY_GET_IFACE (self)->lookup (self, number, error);
}

char *
joren_value_authority_authorise (JorenValueAuthority  *self,
                                 const char           *number,
                                 gint64                amount,
                                 const char           *sale_uuid,
                                 GError              **error)
{
  g_return_val_if_fail (JOREN_IS_VALUE_AUTHORITY (self), NULL);
  g_return_val_if_fail (number != NULL && sale_uuid != NULL, NULL);
  g_return_val_if_fail (amount > 0, NULL);

  return JOREN_VALUE_AUTHORITY_GET_IFACE (self)->authorise (self, number, amount, sale_uuid,
                                                            error);
}

gboolean
joren_value_authority_capture (JorenValueAuthority  *self,
                               const char           *hold_id,
                               GError              **error)
{
  g_return_val_if_fail (JOREN_IS_VALUE_AUTHORITY (self), FALSE);
  g_return_val_if_fail (hold_id != NULL, FALSE);

  return JOREN_VALUE_AUTHORITY_GET_IFACE (self)->capture (self, hold_id, error);
}

gboolean
joren_value_authority_release (JorenValueAuthority  *self,
                               const char           *hold_id,
                               GError              **error)
{
  g_return_val_if_fail (JOREN_IS_VALUE_AUTHORITY (self), FALSE);
  g_return_val_if_fail (hold_id != NULL, FALSE);

  return JOREN_VALUE_AUTHORITY_GET_IFACE (self)->release (self, hold_id, error);
}

struct _JorenValueLocalAuthority
{
  GObject  parent_instance;
  JorenDb *db;
};

static void local_authority_iface_init (JorenValueAuthorityInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JorenValueLocalAuthority, joren_value_local_authority,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JOREN_TYPE_VALUE_AUTHORITY,
                                                      local_authority_iface_init))

static void
joren_value_local_authority_finalize (GObject *object)
{
  JorenValueLocalAuthority *self = JOREN_VALUE_LOCAL_AUTHORITY (object);

  g_clear_object (&self->db);
  G_OBJECT_CLASS (joren_value_local_authority_parent_class)->finalize (object);
}

static void
joren_value_local_authority_class_init (JorenValueLocalAuthorityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = joren_value_local_authority_finalize;
}

static void
joren_value_local_authority_init (JorenValueLocalAuthority *self)
{
}

JorenValueAuthority *
joren_value_local_authority_new (JorenDb *db)
{
  JorenValueLocalAuthority *self;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  self = g_object_new (JOREN_TYPE_VALUE_LOCAL_AUTHORITY, NULL);
  self->db = g_object_ref (db);
  return JOREN_VALUE_AUTHORITY (self);
}

static JorenValueAccount *
local_lookup (JorenValueAuthority  *authority,
              const char           *number,
              GError              **error)
{
  return joren_value_lookup (JOREN_VALUE_LOCAL_AUTHORITY (authority)->db, number, error);
}

/* Why the account cannot pay amount now, or TRUE. */
static gboolean
check_spend (JorenDb                  *db,
             const JorenValueAccount  *account,
             gint64                    amount,
             GError                  **error)
{
  g_autofree char *left = NULL;

  if (!joren_value_check_accepted (db, account->kind, error))
    return FALSE;
  if (joren_value_account_is_expired (account, NULL))
    return refuse (error, _("This voucher has expired."));
  if (amount <= joren_value_account_available (account))
    return TRUE;
  if (account->kind == JOREN_VALUE_CUSTOMER_ACCOUNT)
    return refuse (error, _("This would go over the customer's credit limit."));
  left = joren_value_format_money (db, joren_value_account_available (account));
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("Only %s is left on this voucher."), left);
  return FALSE;
}

static gboolean
insert_hold (JorenDb     *db,
             const char  *hold_id,
             gint64       account_id,
             gint64       amount,
             const char  *sale_uuid,
             GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  JorenValueSettings settings;
  gint64 now = joren_value_now_usec ();

  joren_value_get_settings (db, &settings);
  stmt = joren_db_prepare (db, "INSERT INTO value_holds (id, account_id, amount, sale_uuid,"
                               " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hold_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_int64 (stmt, 3, amount);
  sqlite3_bind_text (stmt, 4, sale_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now + (gint64) settings.hold_seconds * G_USEC_PER_SEC);
  return joren_db_step_done (db, stmt, _("Could not reserve the amount."), error);
}

/* In one transaction, so two registers holding the same card queue and
 * the second sees the first one's hold. */
static char *
local_authorise (JorenValueAuthority  *authority,
                 const char           *number,
                 gint64                amount,
                 const char           *sale_uuid,
                 GError              **error)
{
  JorenDb *db = JOREN_VALUE_LOCAL_AUTHORITY (authority)->db;
  g_autoptr(JorenValueAccount) account = NULL;
  g_autofree char *hold_id = g_uuid_string_random ();

  if (!joren_db_begin (db, error))
    return NULL;
  account = joren_value_lookup (db, number, error);
  if (account == NULL || !check_spend (db, account, amount, error)
      || !insert_hold (db, hold_id, account->id, amount, sale_uuid, error))
    {
      joren_db_rollback (db);
      return NULL;
    }
  return joren_db_commit (db, error) ? g_steal_pointer (&hold_id) : NULL;
}

/* Moves held holds (by id ?1, or by sale ?2) to state ?3. */
static gboolean
finish_holds (JorenDb     *db,
              const char  *hold_id,
              const char  *sale_uuid,
              const char  *state,
              GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "UPDATE value_holds SET state = ?3, finished_at = ?4"
                               " WHERE (id = ?1 OR sale_uuid = ?2) AND state = 'held'", error);
  if (stmt == NULL)
    return FALSE;
  joren_db_bind_text_or_null (stmt, 1, hold_id);
  joren_db_bind_text_or_null (stmt, 2, sale_uuid);
  sqlite3_bind_text (stmt, 3, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, joren_value_now_usec ());
  return joren_db_step_done (db, stmt, _("Could not update the reserved amount."), error);
}

static gboolean
finish_one_hold (JorenValueAuthority  *authority,
                 const char           *hold_id,
                 const char           *state,
                 GError              **error)
{
  JorenDb *db = JOREN_VALUE_LOCAL_AUTHORITY (authority)->db;

  if (!finish_holds (db, hold_id, NULL, state, error))
    return FALSE;
  if (sqlite3_changes (joren_db_get_handle (db)) == 1)
    return TRUE;
  return refuse (error, _("This reservation is already finished."));
}

static gboolean
local_capture (JorenValueAuthority  *authority,
               const char           *hold_id,
               GError              **error)
{
  return finish_one_hold (authority, hold_id, "captured", error);
}

static gboolean
local_release (JorenValueAuthority  *authority,
               const char           *hold_id,
               GError              **error)
{
  return finish_one_hold (authority, hold_id, "released", error);
}

static gboolean
local_release_sale (JorenValueAuthority  *authority,
                    const char           *sale_uuid,
                    GError              **error)
{
  return finish_holds (JOREN_VALUE_LOCAL_AUTHORITY (authority)->db, NULL, sale_uuid,
                       "released", error);
}

static void
local_authority_iface_init (JorenValueAuthorityInterface *iface)
{
  iface->lookup = local_lookup;
  iface->authorise = local_authorise;
  iface->capture = local_capture;
  iface->release = local_release;
  iface->release_sale = local_release_sale;
}

gboolean
joren_value_release_sale (JorenValueAuthority  *authority,
                          JorenSale            *sale,
                          GError              **error)
{
  g_return_val_if_fail (JOREN_IS_VALUE_AUTHORITY (authority), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);

  return JOREN_VALUE_AUTHORITY_GET_IFACE (authority)->release_sale (authority,
                                                                    joren_sale_get_uuid (sale),
                                                                    error);
}

gboolean
joren_value_remove_tender (JorenValueAuthority  *authority,
                           JorenSale            *sale,
                           guint                 index,
                           GError              **error)
{
  g_autofree char *hold_id = NULL;

  g_return_val_if_fail (JOREN_IS_VALUE_AUTHORITY (authority), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);
  g_return_val_if_fail (index < joren_sale_get_n_tenders (sale), FALSE);

  hold_id = g_strdup (joren_sale_get_tender (sale, index)->hold_id);
  joren_sale_remove_tender (sale, index);
  /* The tender is gone either way; a hold that cannot be released now
   * expires on its own. */
  return hold_id == NULL || joren_value_authority_release (authority, hold_id, error);
}

gboolean
joren_value_capture_sale (JorenValueAuthority  *authority,
                          JorenSale            *sale,
                          GError              **error)
{
  JorenValueAuthorityInterface *iface;

  g_return_val_if_fail (JOREN_IS_VALUE_AUTHORITY (authority), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);

  iface = JOREN_VALUE_AUTHORITY_GET_IFACE (authority);
  return iface->capture_sale == NULL
         || iface->capture_sale (authority, joren_sale_get_uuid (sale), error);
}

/* ---- e-coupons ---------------------------------------------------------- */

/* The claim's id lives on the sale it was made for. */
#define COUPON_CLAIM_KEY "joren-value-coupon-claim"

gboolean
joren_value_apply_coupon (JorenValueAuthority  *authority,
                          JorenDb              *db,
                          JorenSale            *sale,
                          const char           *code,
                          GError              **error)
{
  JorenValueAuthorityInterface *iface;
  char *claim_id;

  g_return_val_if_fail (JOREN_IS_VALUE_AUTHORITY (authority), FALSE);
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  if (!joren_coupon_apply (db, sale, code, error))
    return FALSE;
  iface = JOREN_VALUE_AUTHORITY_GET_IFACE (authority);
  if (iface->claim_coupon == NULL)
    return TRUE;
  /* Checked locally first, so a mistyped or expired code never reaches
   * the server; claimed second, so two registers cannot both take it. */
  claim_id = iface->claim_coupon (authority, joren_sale_get_coupon_code (sale),
                                  joren_sale_get_uuid (sale), error);
  if (claim_id == NULL)
    {
      joren_coupon_remove (sale);
      return FALSE;
    }
  g_object_set_data_full (G_OBJECT (sale), COUPON_CLAIM_KEY, claim_id, g_free);
  return TRUE;
}

void
joren_value_remove_coupon (JorenValueAuthority  *authority,
                           JorenSale            *sale)
{
  g_autofree char *claim_id = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (JOREN_IS_VALUE_AUTHORITY (authority));
  g_return_if_fail (JOREN_IS_SALE (sale));

  claim_id = g_object_steal_data (G_OBJECT (sale), COUPON_CLAIM_KEY);
  joren_coupon_remove (sale);
  if (claim_id != NULL && !joren_value_authority_release (authority, claim_id, &error))
    /* It expires on the server by itself. */
    g_debug ("Coupon claim %s not released: %s", claim_id, error->message);
}

/* ---- tenders ----------------------------------------------------------- */

/* amount, or all that is due when 0, at most `cap`. */
static gint64
amount_to_take (JorenSale *sale,
                gint64     amount,
                gint64     cap)
{
  return amount != 0 ? amount : MIN (joren_sale_get_due (sale), MAX (cap, 0));
}

static void
holds_dropped_cb (JorenSale           *sale,
                  JorenValueAuthority *authority)
{
  g_autoptr(GError) error = NULL;

  if (!joren_value_release_sale (authority, sale, &error))
    g_debug ("Holds of a changed sale not released, they expire: %s", error->message);
}

/* A change to the sale's lines drops its tenders: what they held on this
 * authority is freed then, not minutes later when it expires. */
static void
watch_dropped_holds (JorenValueAuthority *authority,
                     JorenSale           *sale)
{
  if (g_signal_handler_find (sale, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                             holds_dropped_cb, authority) == 0)
    g_signal_connect_object (sale, "holds-dropped", G_CALLBACK (holds_dropped_cb), authority, 0);
}

/* Authorises, then adds the tender; a refused tender releases the hold. */
static gboolean
hold_and_tender (JorenValueAuthority  *authority,
                 JorenSale            *sale,
                 JorenTenderKind       kind,
                 const char           *number,
                 gint64                amount,
                 GError              **error)
{
  g_autofree char *hold_id = NULL;

  if (joren_sale_get_kind (sale) == JOREN_SALE_KIND_REFUND)
    return joren_sale_add_tender (sale, kind, amount, number, error);
  if (amount <= 0)
    return refuse (error, _("Nothing is left to pay with it."));
  hold_id = joren_value_authority_authorise (authority, number, amount,
                                             joren_sale_get_uuid (sale), error);
  if (hold_id == NULL)
    return FALSE;
  if (joren_sale_add_tender (sale, kind, amount, number, error))
    {
      joren_sale_set_tender_hold (sale, joren_sale_get_n_tenders (sale) - 1, hold_id);
      watch_dropped_holds (authority, sale);
      return TRUE;
    }
  joren_value_authority_release (authority, hold_id, NULL);
  return FALSE;
}

/* On a refund: what the original sale paid with this account (as a
 * negative amount), so amount 0 puts that back. */
static gint64
paid_by_on_original (JorenSale  *refund,
                     const char *number)
{
  JorenSale *original = joren_sale_get_original (refund);
  gint64 sum = 0;

  for (guint i = 0; original != NULL && i < joren_sale_get_n_tenders (original); i++)
    {
      const JorenTender *tender = joren_sale_get_tender (original, i);

      if (g_strcmp0 (tender->reference, number) == 0)
        sum += tender->amount;
    }
  return -sum;
}

gboolean
joren_value_add_voucher_tender (JorenValueAuthority  *authority,
                                JorenSale            *sale,
                                const char           *number,
                                gint64                amount,
                                gint64               *out_amount,
                                GError              **error)
{
  g_autoptr(JorenValueAccount) account = NULL;

  g_return_val_if_fail (JOREN_IS_VALUE_AUTHORITY (authority), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);
  g_return_val_if_fail (number != NULL, FALSE);

  account = joren_value_authority_lookup (authority, number, error);
  if (account == NULL)
    return FALSE;
  if (account->kind == JOREN_VALUE_CUSTOMER_ACCOUNT)
    return refuse (error, _("This is a customer account: charge it to the account instead."));
  if (joren_sale_get_kind (sale) == JOREN_SALE_KIND_REFUND)
    amount = amount != 0 ? amount
             : MAX (joren_sale_get_due (sale), paid_by_on_original (sale, account->number));
  else
    amount = amount_to_take (sale, amount, joren_value_account_available (account));
  if (!hold_and_tender (authority, sale, JOREN_TENDER_VOUCHER, account->number, amount, error))
    return FALSE;
  if (out_amount != NULL)
    *out_amount = amount;
  return TRUE;
}

gboolean
joren_value_add_account_tender (JorenValueAuthority  *authority,
                                JorenDb              *db,
                                JorenSale            *sale,
                                gint64                amount,
                                GError              **error)
{
  g_autoptr(JorenValueAccount) account = NULL;

  g_return_val_if_fail (JOREN_IS_VALUE_AUTHORITY (authority), FALSE);
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);

  if (joren_sale_get_customer_id (sale) == 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("Choose the customer first, then charge it to their account."));
      return FALSE;
    }
  account = joren_value_find_customer_account (db, joren_sale_get_customer_id (sale), error);
  if (account == NULL)
    return FALSE;
  if (joren_sale_get_kind (sale) == JOREN_SALE_KIND_REFUND)
    amount = amount != 0 ? amount
             : MAX (joren_sale_get_due (sale), paid_by_on_original (sale, account->number));
  else
    amount = amount_to_take (sale, amount, joren_sale_get_due (sale));
  return hold_and_tender (authority, sale, JOREN_TENDER_ACCOUNT, account->number, amount, error);
}

/* ---- the commit hook ------------------------------------------------------ */

/* What one sale does to one account as one kind of row. */
typedef struct {
  char                *number;
  JorenValueEntryKind  kind;
  gint64               amount;
} Movement;

static void
clear_movement (gpointer data)
{
  g_free (((Movement *) data)->number);
}

/* Adds amount to the movement of (number, kind), merging repeats. */
static void
add_movement (GArray              *moves,
              const char          *number,
              JorenValueEntryKind  kind,
              gint64               amount)
{
  Movement fresh = { NULL, kind, 0 };

  for (guint i = 0; i < moves->len; i++)
    {
      Movement *m = &g_array_index (moves, Movement, i);

      if (m->kind == kind && g_strcmp0 (m->number, number) == 0)
        {
          m->amount += amount;
          return;
        }
    }
  fresh.number = g_strdup (number);
  fresh.amount = amount;
  g_array_append_val (moves, fresh);
}

/* Every row is what it does to the balance. On a refund all rows are
 * 'refund': what the sale did, backwards. */
static GArray *
collect_movements (JorenSale *sale)
{
  GArray *moves = g_array_new (FALSE, TRUE, sizeof (Movement));
  gboolean refund = joren_sale_get_kind (sale) == JOREN_SALE_KIND_REFUND;

  g_array_set_clear_func (moves, clear_movement);
  for (guint i = 0; i < joren_sale_get_n_lines (sale); i++)
    {
      const JorenSaleLine *line = joren_sale_get_line (sale, i);

      if (line->kind == JOREN_LINE_VALUE_ISSUE && line->reference != NULL)
        add_movement (moves, line->reference,
                      refund ? JOREN_VALUE_ENTRY_REFUND : JOREN_VALUE_ENTRY_TOPUP, line->amount);
      else if (line->kind == JOREN_LINE_ACCOUNT_PAYMENT && line->reference != NULL)
        add_movement (moves, line->reference,
                      refund ? JOREN_VALUE_ENTRY_REFUND : JOREN_VALUE_ENTRY_PAYMENT, line->amount);
    }
  for (guint i = 0; i < joren_sale_get_n_tenders (sale); i++)
    {
      const JorenTender *tender = joren_sale_get_tender (sale, i);

      if (tender->kind == JOREN_TENDER_VOUCHER && tender->reference != NULL)
        add_movement (moves, tender->reference,
                      refund ? JOREN_VALUE_ENTRY_REFUND : JOREN_VALUE_ENTRY_REDEEM, -tender->amount);
      else if (tender->kind == JOREN_TENDER_ACCOUNT && tender->reference != NULL)
        add_movement (moves, tender->reference,
                      refund ? JOREN_VALUE_ENTRY_REFUND : JOREN_VALUE_ENTRY_CHARGE, -tender->amount);
    }
  return moves;
}

/* The first load of a voucher is its issue, later ones top-ups. */
static gboolean
resolve_load_kind (JorenDb     *db,
                   Movement    *move,
                   gint64       account_id,
                   GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  if (move->kind != JOREN_VALUE_ENTRY_TOPUP)
    return TRUE;
  stmt = joren_db_prepare (db, "SELECT 1 FROM value_ledger WHERE account_id = ?1 LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the voucher."), error))
    return FALSE;
  if (!has_row)
    move->kind = JOREN_VALUE_ENTRY_ISSUE;
  return TRUE;
}

static gboolean
is_local_hold (JorenDb    *db,
               const char *hold_id)
{
  g_autoptr(JorenStmt) stmt = NULL;

  stmt = joren_db_prepare (db, "SELECT 1 FROM value_holds WHERE id = ?1", NULL);
  if (stmt == NULL)
    return TRUE;   /* cannot tell: check it here */
  sqlite3_bind_text (stmt, 1, hold_id, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* TRUE when every tender spending number is backed by a hold the server
 * granted (a hold id this database never handed out): the server, which
 * sees every register's top-ups, already decided, and this register's
 * copy of the ledger may simply not have pulled a top-up yet. */
static gboolean
held_by_server (JorenDb    *db,
                JorenSale  *sale,
                const char *number)
{
  guint n = 0;

  for (guint i = 0; i < joren_sale_get_n_tenders (sale); i++)
    {
      const JorenTender *tender = joren_sale_get_tender (sale, i);

      if (g_strcmp0 (tender->reference, number) != 0
          || (tender->kind != JOREN_TENDER_VOUCHER && tender->kind != JOREN_TENDER_ACCOUNT))
        continue;
      if (tender->hold_id == NULL || is_local_hold (db, tender->hold_id))
        return FALSE;
      n++;
    }
  return n > 0;
}

/* The account after this sale's row: is it still allowed? Holds of other
 * sales still count against it. A spend the server holds is not checked
 * against this register's (maybe stale) balance. */
static gboolean
check_after (JorenDb            *db,
             JorenSale          *sale,
             JorenValueAccount  *account,
             const Movement     *move,
             GError            **error)
{
  const char *sale_uuid = joren_sale_get_uuid (sale);

  gint64 balance = 0, held = 0;

  if (!joren_value_sum_ledger (db, account->id, &balance, error)
      || !joren_value_sum_holds (db, account->id, sale_uuid, &held, error))
    return FALSE;
  account->balance = balance - move->amount;
  account->held = held;
  if (move->kind == JOREN_VALUE_ENTRY_ISSUE || move->kind == JOREN_VALUE_ENTRY_TOPUP)
    return check_load (db, account, move->amount, account->balance, error);
  if (move->kind == JOREN_VALUE_ENTRY_PAYMENT && account->kind != JOREN_VALUE_CUSTOMER_ACCOUNT)
    return refuse (error, _("Only a customer account can be paid off."));
  if (move->amount >= 0)
    return TRUE;
  if (move->kind == JOREN_VALUE_ENTRY_REFUND && account->balance + move->amount < 0
      && account->kind != JOREN_VALUE_CUSTOMER_ACCOUNT)
    return refuse (error, _("The voucher was already used: only what is left on it can be "
                            "refunded."));
  return move->kind == JOREN_VALUE_ENTRY_REFUND
         || held_by_server (db, sale, move->number)
         || check_spend (db, account, -move->amount, error);
}

static gboolean
record_movement (JorenDb    *db,
                 JorenSale  *sale,
                 Movement   *move,
                 gint64      sale_id,
                 GDateTime  *created_at,
                 GError    **error)
{
  g_autoptr(JorenValueAccount) account = NULL;
  JorenValueRow row = { 0, };

  if (move->amount == 0)
    return TRUE;
  account = joren_value_load_account (db, move->number, 0, error);
  if (account == NULL || !resolve_load_kind (db, move, account->id, error))
    return FALSE;
  row = (JorenValueRow) { account->id, move->kind, move->amount, NULL,
                          joren_sale_get_staff_id (sale), sale_id,
                          joren_sale_get_uuid (sale), created_at };
  return joren_value_insert_row (db, &row, error)
         && check_after (db, sale, account, move, error);
}

gboolean
joren_value_record_sale (JorenDb    *db,
                         JorenSale  *sale,
                         gint64      sale_id,
                         GDateTime  *created_at,
                         GError    **error)
{
  g_autoptr(GArray) moves = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (JOREN_IS_SALE (sale), FALSE);

  moves = collect_movements (sale);
  for (guint i = 0; i < moves->len; i++)
    if (!record_movement (db, sale, &g_array_index (moves, Movement, i), sale_id, created_at,
                          error))
      return FALSE;
  return finish_holds (db, NULL, joren_sale_get_uuid (sale), "captured", error)
         && joren_coupon_record_sale (db, sale, sale_id, created_at, error);
}
