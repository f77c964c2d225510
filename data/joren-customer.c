/* joren-customer.c: customers in SQLite. The till finds a customer in
 * microseconds with a million of them (FIELD-NOTES): a card code is a
 * WITHOUT ROWID key, phones are stored normalised with their last four
 * digits indexed, and a name or reading prefix is a range scan on a
 * NOCASE index ([prefix, prefix + 0xFF)), never LIKE. Member numbers come
 * from a gapless counter per store bumped in the customer's own
 * transaction. A phone number that another customer already has is
 * reported with that customer's member number instead of being merged
 * silently: the cashier decides. The reception summary is computed from
 * the sales themselves, so it cannot disagree with them. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "joren-customer-private.h"
#include "joren-db-private.h"
#include "joren-outbox.h"
#include "joren-phone.h"
#include "joren-points.h"

static const char * const card_kinds[] = { "barcode", "qr", "rfid" };

#define CUSTOMER_COLUMNS \
  "id, member_no, name, reading, email, birthday, postal_code, address, tier," \
  " consent_email, consent_post, consent_sms, notes, store, created_at"

/* --- the record ----------------------------------------------------- */

static void
card_free (JorenCustomerCard *card)
{
  g_free (card->code);
  g_free (card);
}

JorenCustomer *
joren_customer_new (void)
{
  JorenCustomer *customer = g_new0 (JorenCustomer, 1);

  customer->phones = g_ptr_array_new_with_free_func (g_free);
  customer->cards = g_ptr_array_new_with_free_func ((GDestroyNotify) card_free);
  return customer;
}

void
joren_customer_free (JorenCustomer *customer)
{
  if (customer == NULL)
    return;
  g_free (customer->member_no);
  g_free (customer->name);
  g_free (customer->reading);
  g_free (customer->email);
  g_free (customer->birthday);
  g_free (customer->postal_code);
  g_free (customer->address);
  g_free (customer->notes);
  g_free (customer->store);
  g_clear_pointer (&customer->created_at, g_date_time_unref);
  g_ptr_array_unref (customer->phones);
  g_ptr_array_unref (customer->cards);
  g_free (customer);
}

void
joren_customer_add_phone (JorenCustomer *customer,
                          const char    *phone)
{
  g_return_if_fail (customer != NULL);
  g_return_if_fail (phone != NULL);

  g_ptr_array_add (customer->phones, g_strdup (phone));
}

void
joren_customer_add_card (JorenCustomer *customer,
                         const char    *code,
                         JorenCardKind  kind)
{
  JorenCustomerCard *card;

  g_return_if_fail (customer != NULL);
  g_return_if_fail (code != NULL && *code != '\0');
  g_return_if_fail ((guint) kind < G_N_ELEMENTS (card_kinds));

  card = g_new0 (JorenCustomerCard, 1);
  card->code = g_strdup (code);
  card->kind = kind;
  g_ptr_array_add (customer->cards, card);
}

/* Hiragana U+3041..U+3096 sit 0x60 below their katakana. */
char *
joren_customer_fold_reading (const char *reading)
{
  g_autofree char *folded = NULL;
  GString *out;

  g_return_val_if_fail (reading != NULL, NULL);

  folded = g_utf8_normalize (reading, -1, G_NORMALIZE_NFKC);
  if (folded == NULL)
    return g_strdup ("");
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, c >= 0x3041 && c <= 0x3096 ? c + 0x60 : c);
    }
  return g_string_free (out, FALSE);
}

/* --- writing -------------------------------------------------------- */

static char *
shop_setting (JorenDb    *db,
              const char *key,
              const char *fallback)
{
  char *value = joren_db_get_setting (db, key);

  return value != NULL ? value : g_strdup (fallback);
}

static char *
next_member_no (JorenDb     *db,
                const char  *prefix,
                GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row = FALSE;

  stmt = joren_db_prepare (db, "INSERT INTO member_sequences (prefix, next) VALUES (?1, 2)"
                               " ON CONFLICT (prefix) DO UPDATE SET next = next + 1"
                               " RETURNING next - 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not number the new member."), error))
    return NULL;
  g_assert (has_row);
  return g_strdup_printf ("%s-M%06" G_GINT64_FORMAT, prefix,
                          (gint64) sqlite3_column_int64 (stmt, 0));
}

static void
bind_fields (sqlite3_stmt        *stmt,
             const JorenCustomer *customer,
             const char          *reading)
{
  sqlite3_bind_text (stmt, 2, customer->name != NULL ? customer->name : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, reading, -1, SQLITE_STATIC);
  joren_db_bind_text_or_null (stmt, 4, customer->email);
  joren_db_bind_text_or_null (stmt, 5, customer->birthday);
  joren_db_bind_text_or_null (stmt, 6, customer->postal_code);
  joren_db_bind_text_or_null (stmt, 7, customer->address);
  sqlite3_bind_int (stmt, 8, (int) customer->tier);
  sqlite3_bind_int (stmt, 9, customer->consent_email);
  sqlite3_bind_int (stmt, 10, customer->consent_post);
  sqlite3_bind_int (stmt, 11, customer->consent_sms);
  joren_db_bind_text_or_null (stmt, 12, customer->notes);
}

static gboolean
check_birthday (const JorenCustomer  *customer,
                GError              **error)
{
  int y, m, d;
  char end;

  if (customer->birthday == NULL
      || (sscanf (customer->birthday, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3
          && g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y)))
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("“%s” is not a date. Enter the birthday as YYYY-MM-DD."),
               customer->birthday);
  return FALSE;
}

static gboolean
insert_row (JorenDb        *db,
            JorenCustomer  *customer,
            GError        **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *reading = joren_customer_fold_reading (customer->reading != NULL
                                                          ? customer->reading : "");
  g_autofree char *member_no = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (customer->store == NULL)
    customer->store = shop_setting (db, "shop.register_prefix", "R1");
  member_no = next_member_no (db, customer->store, error);
  stmt = member_no != NULL
         ? joren_db_prepare (db, "INSERT INTO customers (member_no, name, reading, email,"
                                 " birthday, postal_code, address, tier, consent_email,"
                                 " consent_post, consent_sms, notes, store, created_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                                 " ?12, ?13, ?14)", error)
         : NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, member_no, -1, SQLITE_STATIC);
  bind_fields (stmt, customer, reading);
  sqlite3_bind_text (stmt, 13, customer->store, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 14, joren_db_time_to_usec (now));
  if (!joren_db_step_done (db, stmt, _("Could not save the customer."), error))
    return FALSE;
  customer->id = sqlite3_last_insert_rowid (joren_db_get_handle (db));
  g_free (customer->member_no);
  customer->member_no = g_steal_pointer (&member_no);
  g_clear_pointer (&customer->created_at, g_date_time_unref);
  customer->created_at = g_date_time_ref (now);
  return TRUE;
}

static gboolean
update_row (JorenDb        *db,
            JorenCustomer  *customer,
            GError        **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *reading = joren_customer_fold_reading (customer->reading != NULL
                                                          ? customer->reading : "");

  stmt = joren_db_prepare (db, "UPDATE customers SET name = ?2, reading = ?3, email = ?4,"
                               " birthday = ?5, postal_code = ?6, address = ?7, tier = ?8,"
                               " consent_email = ?9, consent_post = ?10, consent_sms = ?11,"
                               " notes = ?12 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer->id);
  bind_fields (stmt, customer, reading);
  if (!joren_db_step_done (db, stmt, _("Could not save the customer."), error))
    return FALSE;
  if (sqlite3_changes (joren_db_get_handle (db)) == 1)
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
               _("This customer no longer exists."));
  return FALSE;
}

/* Runs a statement bound with one id (deleting a customer's phones ...). */
static gboolean
exec_for_id (JorenDb     *db,
             const char  *sql,
             gint64       id,
             GError     **error)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return joren_db_step_done (db, stmt, _("Could not save the customer."), error);
}

/* The text column 0 of the first row for (key, customer_id), or NULL:
 * another customer's member number, or a marker that a row exists. */
static char *
find_other_member (JorenDb    *db,
                   const char *sql,
                   const char *key,
                   gint64      customer_id)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, sql, NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return joren_db_column_dup_text (stmt, 0);
}

static gboolean
check_phone_free (JorenDb     *db,
                  const char  *phone,
                  const char  *entered,
                  gint64       customer_id,
                  GError     **error)
{
  g_autofree char *other = find_other_member (db, "SELECT c.member_no FROM customer_phones p"
                                                  " JOIN customers c ON c.id = p.customer_id"
                                                  " WHERE p.phone = ?1 AND p.customer_id <> ?2"
                                                  " ORDER BY c.id LIMIT 1",
                                              phone, customer_id);

  if (other == NULL)
    return TRUE;
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
               _("The phone number %s already belongs to member %s. Check it is not "
                 "the same person, or register anyway."), entered, other);
  return FALSE;
}

static gboolean
insert_phone (JorenDb     *db,
              gint64       customer_id,
              const char  *phone,
              const char  *entered,
              GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *last4 = joren_phone_last4 (phone);

  stmt = joren_db_prepare (db, "INSERT OR IGNORE INTO customer_phones"
                               " (customer_id, phone, last4, entered) VALUES (?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_text (stmt, 2, phone, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, last4, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entered, -1, SQLITE_STATIC);
  return joren_db_step_done (db, stmt, _("Could not save the customer's phone number."), error);
}

/* Normalises every phone and flags those another customer has. A number
 * this customer already had was accepted before: it is not flagged again. */
static GPtrArray *
normalize_phones (JorenDb        *db,
                  JorenCustomer  *customer,
                  gboolean        force,
                  GError        **error)
{
  g_autofree char *country = shop_setting (db, "shop.preset", "jp");
  g_autoptr(GPtrArray) phones = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < customer->phones->len; i++)
    {
      const char *entered = g_ptr_array_index (customer->phones, i);
      g_autofree char *phone = joren_phone_normalize (entered, country, error);
      g_autofree char *own = NULL;

      if (phone == NULL)
        return NULL;
      own = find_other_member (db, "SELECT 'own' FROM customer_phones"
                                   " WHERE phone = ?1 AND customer_id = ?2", phone, customer->id);
      if (!force && own == NULL
          && !check_phone_free (db, phone, entered, customer->id, error))
        return NULL;
      g_ptr_array_add (phones, g_steal_pointer (&phone));
    }
  return g_steal_pointer (&phones);
}

static gboolean
store_phones (JorenDb        *db,
              JorenCustomer  *customer,
              gboolean        force,
              GError        **error)
{
  g_autoptr(GPtrArray) phones = normalize_phones (db, customer, force, error);

  if (phones == NULL
      || !exec_for_id (db, "DELETE FROM customer_phones WHERE customer_id = ?",
                       customer->id, error))
    return FALSE;
  for (guint i = 0; i < phones->len; i++)
    if (!insert_phone (db, customer->id, g_ptr_array_index (phones, i),
                       g_ptr_array_index (customer->phones, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
insert_card (JorenDb                  *db,
             gint64                    customer_id,
             const JorenCustomerCard  *card,
             GError                  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *other = NULL;
  int rc;

  stmt = joren_db_prepare (db, "INSERT INTO customer_cards (code, customer_id, kind, added_at)"
                               " VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, card->code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  sqlite3_bind_text (stmt, 3, card_kinds[card->kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_CONSTRAINT_PRIMARYKEY)
    return joren_db_set_error (db, rc, _("Could not save the customer's card."), error);
  other = find_other_member (db, "SELECT c.member_no FROM customer_cards k"
                                 " JOIN customers c ON c.id = k.customer_id"
                                 " WHERE k.code = ?1 AND k.customer_id <> ?2",
                             card->code, customer_id);
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_EXISTS,
               _("This card already belongs to member %s."), other != NULL ? other : "?");
  return FALSE;
}

static gboolean
store_cards (JorenDb        *db,
             JorenCustomer  *customer,
             GError        **error)
{
  if (!exec_for_id (db, "DELETE FROM customer_cards WHERE customer_id = ?",
                    customer->id, error))
    return FALSE;
  for (guint i = 0; i < customer->cards->len; i++)
    if (!insert_card (db, customer->id, g_ptr_array_index (customer->cards, i), error))
      return FALSE;
  return TRUE;
}

/* On failure the customer keeps the id and number it had before. */
static gboolean
save (JorenDb        *db,
      JorenCustomer  *customer,
      gboolean        force,
      GError        **error)
{
  gint64 old_id = customer->id;
  g_autofree char *old_member_no = g_strdup (customer->member_no);
  gboolean ok;

  if (!check_birthday (customer, error) || !joren_db_begin (db, error))
    return FALSE;
  ok = (old_id == 0 ? insert_row (db, customer, error) : update_row (db, customer, error))
       && store_phones (db, customer, force, error)
       && store_cards (db, customer, error)
       && joren_outbox_flush (db, error)
       && joren_db_commit (db, error);
  if (ok)
    return TRUE;
  joren_db_rollback (db);
  customer->id = old_id;
  g_free (customer->member_no);
  customer->member_no = g_steal_pointer (&old_member_no);
  return FALSE;
}

gboolean
joren_customer_add (JorenDb        *db,
                    JorenCustomer  *customer,
                    gboolean        force,
                    GError        **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (customer != NULL && customer->id == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return save (db, customer, force, error);
}

gboolean
joren_customer_update (JorenDb        *db,
                       JorenCustomer  *customer,
                       gboolean        force,
                       GError        **error)
{
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (customer != NULL && customer->id > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return save (db, customer, force, error);
}

gboolean
joren_customer_register_card (JorenDb        *db,
                              gint64          customer_id,
                              const char     *code,
                              JorenCardKind   kind,
                              GError        **error)
{
  JorenCustomerCard card = { (char *) code, kind };

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (customer_id > 0, FALSE);
  g_return_val_if_fail (code != NULL && *code != '\0', FALSE);
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (card_kinds), FALSE);

  return insert_card (db, customer_id, &card, error);
}

/* --- reading -------------------------------------------------------- */

static JorenCardKind
card_kind_from (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (card_kinds); i++)
    if (g_strcmp0 (text, card_kinds[i]) == 0)
      return (JorenCardKind) i;
  return JOREN_CARD_BARCODE;
}

static void
customer_from_row (sqlite3_stmt  *stmt,
                   JorenCustomer *customer)
{
  customer->id = sqlite3_column_int64 (stmt, 0);
  customer->member_no = joren_db_column_dup_text (stmt, 1);
  customer->name = joren_db_column_dup_text (stmt, 2);
  customer->reading = joren_db_column_dup_text (stmt, 3);
  customer->email = joren_db_column_dup_text (stmt, 4);
  customer->birthday = joren_db_column_dup_text (stmt, 5);
  customer->postal_code = joren_db_column_dup_text (stmt, 6);
  customer->address = joren_db_column_dup_text (stmt, 7);
  customer->tier = (guint) sqlite3_column_int (stmt, 8);
  customer->consent_email = sqlite3_column_int (stmt, 9) != 0;
  customer->consent_post = sqlite3_column_int (stmt, 10) != 0;
  customer->consent_sms = sqlite3_column_int (stmt, 11) != 0;
  customer->notes = joren_db_column_dup_text (stmt, 12);
  customer->store = joren_db_column_dup_text (stmt, 13);
  customer->created_at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 14));
}

static gboolean
load_phones (JorenDb        *db,
             JorenCustomer  *customer,
             GError        **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT entered FROM customer_phones WHERE customer_id = ?"
                               " ORDER BY phone", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    joren_customer_add_phone (customer, (const char *) sqlite3_column_text (stmt, 0));
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not read the customer."), error);
}

static gboolean
load_cards (JorenDb        *db,
            JorenCustomer  *customer,
            GError        **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  int rc;

  stmt = joren_db_prepare (db, "SELECT code, kind FROM customer_cards"
                               " WHERE customer_id = ? ORDER BY added_at, code", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    joren_customer_add_card (customer, (const char *) sqlite3_column_text (stmt, 0),
                             card_kind_from ((const char *) sqlite3_column_text (stmt, 1)));
  return rc == SQLITE_DONE
         || joren_db_set_error (db, rc, _("Could not read the customer."), error);
}

static JorenCustomer *
load_customer (JorenDb  *db,
               gint64    id,
               GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(JorenCustomer) customer = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db, "SELECT " CUSTOMER_COLUMNS " FROM customers WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the customer."), error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("This customer no longer exists."));
      return NULL;
    }
  customer = joren_customer_new ();
  customer_from_row (stmt, customer);
  /* Children use their own statements: release this one first. */
  g_clear_pointer (&stmt, joren_stmt_release);
  if (!load_phones (db, customer, error) || !load_cards (db, customer, error))
    return NULL;
  return g_steal_pointer (&customer);
}

JorenCustomer *
joren_customer_get (JorenDb  *db,
                    gint64    id,
                    GError  **error)
{
  JorenCustomer *customer;
  gboolean started;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  if (!joren_db_read_begin (db, &started, error))
    return NULL;
  customer = load_customer (db, id, error);
  joren_db_read_end (db, started);
  return customer;
}

/* Loads every customer whose id the bound statement returns in column 0. */
static GPtrArray *
load_list (JorenDb    *db,
           JorenStmt  *stmt,
           GError    **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_customer_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  joren_stmt_release (stmt);
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not find the customer."), error);
      return NULL;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      JorenCustomer *customer = load_customer (db, g_array_index (ids, gint64, i), error);

      if (customer == NULL)
        return NULL;
      g_ptr_array_add (list, customer);
    }
  return g_steal_pointer (&list);
}

static JorenCustomer *
load_by_card (JorenDb     *db,
              const char  *code,
              GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;
  gint64 id;

  stmt = joren_db_prepare (db, "SELECT customer_id FROM customer_cards WHERE code = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not find the customer."), error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("No customer has this card yet."));
      return NULL;
    }
  id = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, joren_stmt_release);
  return load_customer (db, id, error);
}

JorenCustomer *
joren_customer_find_by_card (JorenDb     *db,
                             const char  *code,
                             GError     **error)
{
  JorenCustomer *customer;
  gboolean started;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  if (!joren_db_read_begin (db, &started, error))
    return NULL;
  customer = load_by_card (db, code, error);
  joren_db_read_end (db, started);
  return customer;
}

GPtrArray *
joren_customer_find_by_phone (JorenDb     *db,
                              const char  *phone,
                              GError     **error)
{
  g_autofree char *country = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(JorenStmt) stmt = NULL;
  GPtrArray *list;
  gboolean started;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (phone != NULL, NULL);

  country = shop_setting (db, "shop.preset", "jp");
  normalized = joren_phone_normalize (phone, country, error);
  if (normalized == NULL)
    return NULL;
  stmt = joren_db_prepare (db, "SELECT customer_id FROM customer_phones WHERE phone = ?"
                               " ORDER BY customer_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, normalized, -1, SQLITE_STATIC);
  if (!joren_db_read_begin (db, &started, error))
    return NULL;
  list = load_list (db, g_steal_pointer (&stmt), error);
  joren_db_read_end (db, started);
  return list;
}

const char joren_customer_last4_sql[] =
  "SELECT customer_id, member_no, name, reading, entered FROM customer_phones WHERE last4 = ?"
  " ORDER BY reading COLLATE NOCASE, name COLLATE NOCASE, customer_id";
const char joren_customer_name_sql[] =
  "SELECT * FROM (SELECT id, member_no, name, reading, phone FROM customers"
  " WHERE name >= ?1 COLLATE NOCASE AND name < ?2 COLLATE NOCASE"
  " ORDER BY name COLLATE NOCASE LIMIT ?5)"
  " UNION ALL SELECT * FROM (SELECT id, member_no, name, reading, phone FROM customers"
  " WHERE reading >= ?3 COLLATE NOCASE AND reading < ?4 COLLATE NOCASE"
  " ORDER BY reading COLLATE NOCASE LIMIT ?5)"
  " ORDER BY 4 COLLATE NOCASE, 3 COLLATE NOCASE, 1";

/* A pick-list row: what the row shows (id, member number, name, reading
 * and one phone), read from the list's own index and nothing else:
 * 013-pick.sql keeps copies there so that a list is one range scan, not
 * a row and a phone looked up per customer. Rows come in list order
 * (reading, name, id); a customer matched twice (by two numbers, or by
 * name and reading) comes in adjacent rows and is listed once, with the
 * first. */
static GPtrArray *
load_pick_list (JorenDb    *db,
                JorenStmt  *stmt,
                guint       limit,
                GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_customer_free);
  gint64 last_id = 0;
  int rc = SQLITE_DONE;

  while (list->len < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JorenCustomer *customer;
      const char *phone;

      if (sqlite3_column_int64 (stmt, 0) == last_id)
        continue;
      customer = joren_customer_new ();
      customer->id = last_id = sqlite3_column_int64 (stmt, 0);
      customer->member_no = joren_db_column_dup_text (stmt, 1);
      customer->name = joren_db_column_dup_text (stmt, 2);
      customer->reading = joren_db_column_dup_text (stmt, 3);
      phone = (const char *) sqlite3_column_text (stmt, 4);
      if (phone != NULL && *phone != '\0')
        joren_customer_add_phone (customer, phone);
      g_ptr_array_add (list, customer);
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      joren_db_set_error (db, rc, _("Could not find the customer."), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
joren_customer_find_by_last4 (JorenDb     *db,
                              const char  *last4,
                              guint        limit,
                              GError     **error)
{
  g_autofree char *digits = NULL;
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (last4 != NULL, NULL);

  digits = joren_phone_last4 (last4);
  if (digits == NULL)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Enter the last four digits of the phone number."));
      return NULL;
    }
  /* The index is in this order: the first rows are the list, and the
   * number shown is the one that matched. In a chain of a million
   * members four digits match ~100 people: the till shows the first
   * and asks for the name (a full list would not help anyway). */
  stmt = joren_db_prepare (db, joren_customer_last4_sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, digits, -1, SQLITE_STATIC);
  return load_pick_list (db, stmt, limit, error);
}

GPtrArray *
joren_customer_find_by_name (JorenDb     *db,
                             const char  *prefix,
                             guint        limit,
                             GError     **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autofree char *reading = NULL;
  g_autofree char *name_end = NULL;
  g_autofree char *reading_end = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  reading = joren_customer_fold_reading (prefix);
  name_end = g_strconcat (prefix, "\xff", NULL);
  reading_end = g_strconcat (reading, "\xff", NULL);
  /* Two range scans, one per index, each stopping after limit rows in
   * index order; 0xFF is above every UTF-8 byte, so [prefix, prefix +
   * 0xFF) holds exactly the strings starting with it. A pick list shows
   * the first matches: typing more narrows it, so the till never reads
   * a thousand "ヤ" customers to show twenty. */
  stmt = joren_db_prepare (db, joren_customer_name_sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name_end, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, reading, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, reading_end, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, (int) MIN (limit, (guint) G_MAXINT));
  return load_pick_list (db, stmt, limit, error);
}

gboolean
joren_customer_refresh_pick (JorenDb  *db,
                             gint64    customer_id,
                             GError  **error)
{
  static const char * const refresh[] = {
    "UPDATE customer_phones SET (name, reading, member_no) ="
    " (SELECT name, reading, member_no FROM customers WHERE id = ?1) WHERE customer_id = ?1",
    "UPDATE customers SET phone = (SELECT entered FROM customer_phones WHERE customer_id = ?1"
    " ORDER BY phone LIMIT 1) WHERE id = ?1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refresh); i++)
    if (!exec_for_id (db, refresh[i], customer_id, error))
      return FALSE;
  return TRUE;
}

/* --- the reception summary and hint --------------------------------- */

void
joren_customer_summary_clear (JorenCustomerSummary *summary)
{
  g_clear_pointer (&summary->last_visit, g_date_time_unref);
  g_clear_pointer (&summary->last_receipt_no, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (summary->favourites); i++)
    g_clear_pointer (&summary->favourites[i], g_free);
}

static guint32
local_julian (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  g_autoptr(GDate) date = g_date_new_dmy ((GDateDay) g_date_time_get_day_of_month (local),
                                          (GDateMonth) g_date_time_get_month (local),
                                          (GDateYear) g_date_time_get_year (local));

  return g_date_get_julian (date);
}

/* Days from today to the next birthday; 29 February is kept on the 28th
 * in other years. -1 when unknown. */
static gint
days_to_birthday (const char *birthday,
                  GDateTime  *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  int y, m, d;
  gint year = g_date_time_get_year (local);
  gint today = (gint) local_julian (now);

  if (birthday == NULL || sscanf (birthday, "%d-%d-%d", &y, &m, &d) != 3)
    return -1;
  for (gint candidate = year; candidate <= year + 1; candidate++)
    {
      GDateDay day = (GDateDay) MIN (d, g_date_get_days_in_month ((GDateMonth) m,
                                                                  (GDateYear) candidate));
      g_autoptr(GDate) date = g_date_new_dmy (day, (GDateMonth) m, (GDateYear) candidate);
      gint days = (gint) g_date_get_julian (date) - today;

      if (days >= 0)
        return days;
    }
  return -1;
}

static gboolean
summarize_visits (JorenDb               *db,
                  gint64                 customer_id,
                  JorenCustomerSummary  *out,
                  GError               **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db, "SELECT count(*) FILTER (WHERE kind = 'sale'),"
                               " coalesce (sum (total), 0),"
                               " max (created_at) FILTER (WHERE kind = 'sale')"
                               " FROM sales WHERE customer_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the customer's visits."), error))
    return FALSE;
  out->visit_count = (guint) sqlite3_column_int (stmt, 0);
  out->total_spend = sqlite3_column_int64 (stmt, 1);
  if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
    out->last_visit = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 2));
  return TRUE;
}

static gboolean
summarize_last_purchase (JorenDb               *db,
                         gint64                 customer_id,
                         JorenCustomerSummary  *out,
                         GError               **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  gboolean has_row;

  stmt = joren_db_prepare (db, "SELECT receipt_no, total FROM sales"
                               " WHERE customer_id = ? AND kind = 'sale'"
                               " ORDER BY created_at DESC, id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not read the customer's visits."), error))
    return FALSE;
  if (has_row)
    {
      out->last_receipt_no = joren_db_column_dup_text (stmt, 0);
      out->last_total = sqlite3_column_int64 (stmt, 1);
    }
  return TRUE;
}

/* Most units bought, refunds taken off; ties go to the latest bought. */
static gboolean
summarize_favourites (JorenDb               *db,
                      gint64                 customer_id,
                      JorenCustomerSummary  *out,
                      GError               **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  guint n = 0;
  int rc;

  stmt = joren_db_prepare (db, "SELECT max (l.name), sum (l.qty) AS units"
                               " FROM sales s JOIN sale_lines l ON l.sale_id = s.id"
                               " WHERE s.customer_id = ?"
                               " GROUP BY coalesce (l.product_id, l.name) HAVING units > 0"
                               " ORDER BY units DESC, max (s.created_at) DESC LIMIT 3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && n < G_N_ELEMENTS (out->favourites))
    out->favourites[n++] = joren_db_column_dup_text (stmt, 0);
  return rc == SQLITE_DONE || rc == SQLITE_ROW
         || joren_db_set_error (db, rc, _("Could not read the customer's visits."), error);
}

gboolean
joren_customer_summary (JorenDb               *db,
                        const JorenCustomer   *customer,
                        GDateTime             *now,
                        JorenCustomerSummary  *out,
                        GError               **error)
{
  g_autoptr(GDateTime) current = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 soon;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail (customer != NULL && customer->id > 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  if (!summarize_visits (db, customer->id, out, error)
      || !summarize_last_purchase (db, customer->id, out, error)
      || !summarize_favourites (db, customer->id, out, error))
    return FALSE;
  out->days_since_visit = out->last_visit != NULL
                          ? (gint) local_julian (current) - (gint) local_julian (out->last_visit)
                          : -1;
  out->days_to_birthday = days_to_birthday (customer->birthday, current);
  soon = joren_db_get_setting_int (db, "customer.hint_birthday_days", 7);
  out->birthday_soon = out->days_to_birthday >= 0 && out->days_to_birthday <= soon;
  out->points = joren_points_balance (db, customer->id, &local_error);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static char *
first_line (const char *text)
{
  const char *end = strchr (text, '\n');

  return end != NULL ? g_strndup (text, (gsize) (end - text)) : g_strdup (text);
}

char *
joren_customer_hint (JorenDb                    *db,
                     const JorenCustomer        *customer,
                     const JorenCustomerSummary *summary)
{
  gint64 regular, absent;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (customer != NULL && summary != NULL, NULL);

  regular = joren_db_get_setting_int (db, "customer.hint_regular_visit", 3);
  absent = joren_db_get_setting_int (db, "customer.hint_absent_days", 60);
  /* This visit is the one after the visit_count already stored. */
  if (summary->visit_count == 0)
    return g_strdup (_("First visit: welcome them and explain the member card."));
  if (summary->visit_count + 1 == regular)
    return g_strdup_printf (_("Visit number %u: becoming a regular. Thank them for coming back."),
                            summary->visit_count + 1);
  if (summary->birthday_soon && summary->days_to_birthday == 0)
    return g_strdup (_("Birthday today: wish them a happy birthday!"));
  if (summary->birthday_soon)
    return g_strdup_printf (ngettext ("Birthday in %d day: wish them a happy birthday.",
                                      "Birthday in %d days: wish them a happy birthday.",
                                      summary->days_to_birthday),
                            summary->days_to_birthday);
  if (absent > 0 && summary->days_since_visit >= absent)
    return g_strdup_printf (ngettext ("Not seen for %d day: welcome them back.",
                                      "Not seen for %d days: welcome them back.",
                                      summary->days_since_visit),
                            summary->days_since_visit);
  if (customer->notes != NULL && *customer->notes != '\0')
    return first_line (customer->notes);
  return NULL;
}
