/* joren-value-remote.c: holds on joren-server behind the
 * JorenValueAuthority interface (see joren-value-remote.h). Each request
 * carries a fresh op id, and a request whose outcome is unknown (a
 * timeout) is sent again once with the same op id: the server answers a
 * repeat with what it did the first time, so a retry never holds twice.
 * Holds the server handed out are remembered by id; every other id is a
 * local hold (offline, or an account the server never heard of) and goes
 * to the local authority. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-sync-client.h"
#include "joren-value-offline.h"
#include "joren-value-remote.h"

#define DEFAULT_TIMEOUT_S 3
#define DEFAULT_HOLD_TTL_S 120

struct _JorenValueRemote
{
  GObject              parent_instance;

  JorenDb             *db;
  JorenValueAuthority *local;
  JorenSyncClient     *client;
  guint                hold_ttl_s;
  GHashTable          *remote_holds;  /* hold id -> sale uuid */
  GHashTable          *coupon_claims; /* the hold ids of those that claim a coupon */
  gint64               outage;        /* unix µs the outage began; 0: online */
};

static void remote_iface_init (JorenValueAuthorityInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JorenValueRemote, joren_value_remote, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JOREN_TYPE_VALUE_AUTHORITY, remote_iface_init))

static void
joren_value_remote_finalize (GObject *object)
{
  JorenValueRemote *self = JOREN_VALUE_REMOTE (object);

  g_clear_object (&self->local);
  g_clear_object (&self->db);
  g_clear_pointer (&self->client, joren_sync_client_free);
  g_clear_pointer (&self->remote_holds, g_hash_table_unref);
  g_clear_pointer (&self->coupon_claims, g_hash_table_unref);
  G_OBJECT_CLASS (joren_value_remote_parent_class)->finalize (object);
}

static void
joren_value_remote_class_init (JorenValueRemoteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = joren_value_remote_finalize;
}

static void
joren_value_remote_init (JorenValueRemote *self)
{
  self->remote_holds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->coupon_claims = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->hold_ttl_s = DEFAULT_HOLD_TTL_S;
}

JorenValueRemote *
joren_value_remote_new (JorenDb    *db,
                        const char *base_url,
                        const char *token)
{
  JorenValueRemote *self;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (base_url != NULL && token != NULL, NULL);

  self = g_object_new (JOREN_TYPE_VALUE_REMOTE, NULL);
  self->db = g_object_ref (db);
  self->local = joren_value_local_authority_new (db);
  self->client = joren_sync_client_new (base_url);
  joren_sync_client_set_token (self->client, token);
  joren_sync_client_set_timeout (self->client, DEFAULT_TIMEOUT_S);
  return self;
}

void
joren_value_remote_set_timing (JorenValueRemote *self,
                               guint             timeout_s,
                               guint             hold_ttl_s)
{
  g_return_if_fail (JOREN_IS_VALUE_REMOTE (self));
  g_return_if_fail (timeout_s > 0 && hold_ttl_s > 0);

  joren_sync_client_set_timeout (self->client, timeout_s);
  self->hold_ttl_s = hold_ttl_s;
}

gboolean
joren_value_remote_is_offline (JorenValueRemote *self)
{
  g_return_val_if_fail (JOREN_IS_VALUE_REMOTE (self), FALSE);

  return self->outage != 0;
}

/* ---- talking to the server ---- */

static gboolean
is_unreachable (const GError *error)
{
  return g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_NETWORK)
         || g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNKNOWN_OUTCOME)
         || g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_SERVER);
}

/* One call, sent twice at most when its outcome is unknown; records
 * whether the server could be reached. */
static cJSON *
call (JorenValueRemote  *self,
      const char        *path,
      const cJSON       *body,
      char             **code,
      GError           **error)
{
  g_autoptr(GError) local = NULL;
  cJSON *json = joren_sync_client_call (self->client, path, body, code, &local);

  if (json == NULL && g_error_matches (local, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_UNKNOWN_OUTCOME))
    {
      g_clear_error (&local);
      json = joren_sync_client_call (self->client, path, body, code, &local);
    }
  if (json != NULL || !is_unreachable (local))
    self->outage = 0;
  else if (self->outage == 0)
    self->outage = g_get_real_time ();
  if (json == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return json;
}

/* Every code the server refuses a hold, a capture, a void or a coupon
 * claim with (joren-server-value.c, joren-server-http.c, docs/API.md).
 * A request the server cannot take from this register (a bug, or one of
 * the two is older) reads as a mismatch: the cashier takes another
 * tender, the owner updates. 401 and 5xx never get here: the sync
 * client reports them, and a 5xx counts as the server being away. */
#define MISMATCH N_("This register and the server do not understand each other; one of them " \
                    "needs an update. Take another payment for now.")

static const struct {
  const char *reason;
  const char *message;
} refusals[] = {
  { "insufficient_balance",
    N_("Not enough is left on this voucher or account (other registers may be using it).") },
  { "credit_limit",
    N_("This would go over the customer's credit limit (with what other registers hold). "
       "Take a payment on the account first, or another tender.") },
  { "account_expired", N_("This voucher has expired.") },
  { "unknown_account", N_("The server does not know this voucher or account yet.") },
  { "coupon_used", N_("This coupon was already used.") },
  { "coupon_held", N_("This coupon is being used at another register right now.") },
  { "hold_expired",
    N_("The reservation ran out before the sale was paid. Take the voucher or coupon again.") },
  { "hold_finished", N_("This reservation is already finished.") },
  { "not_found",
    N_("The server does not know this reservation. Take the voucher or coupon again.") },
  { "op_id_conflict", MISMATCH },
  { "invalid_request", MISMATCH },
  { "method_not_allowed", MISMATCH },
  { "unsupported_media_type", MISMATCH },
  { "too_large", MISMATCH },
};

char *
joren_value_remote_describe_refusal (const char *reason,
                                     const char *server_text)
{
  for (guint i = 0; reason != NULL && i < G_N_ELEMENTS (refusals); i++)
    if (g_str_equal (reason, refusals[i].reason))
      return g_strdup (_(refusals[i].message));
  /* A code newer than this register: the server's own words beat none. */
  if (server_text != NULL)
    return g_strdup (server_text);
  return g_strdup (_("The server refused this payment."));
}

/* The server's refusal (server: its error, whose message quotes the
 * server's text) in the cashier's words. */
static void
set_refusal (const char    *code,
             const GError  *server,
             GError       **error)
{
  g_autofree char *message = joren_value_remote_describe_refusal (code, server != NULL
                                                                        ? server->message : NULL);

  g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID, message);
}

static cJSON *
new_request (const char *sale_uuid)
{
  cJSON *body = cJSON_CreateObject ();
  g_autofree char *op_id = g_uuid_string_random ();

  cJSON_AddStringToObject (body, "op_id", op_id);
  cJSON_AddStringToObject (body, "sale_uuid", sale_uuid);
  return body;
}

/* A hold on the server: its id, or NULL with *code set when refused
 * (*code NULL and error set when the server could not be asked). */
static char *
server_hold (JorenValueRemote  *self,
             cJSON             *body,
             const char        *sale_uuid,
             char             **code,
             GError           **error)
{
  g_autoptr(cJSON) answer = NULL;
  const char *hold_id;

  cJSON_AddNumberToObject (body, "ttl_s", self->hold_ttl_s);
  answer = call (self, "/v1/holds", body, code, error);
  if (answer == NULL)
    return NULL;
  hold_id = joren_sync_get_string (answer, "hold_id");
  if (hold_id == NULL)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   _("The server's answer could not be read."));
      return NULL;
    }
  g_hash_table_insert (self->remote_holds, g_strdup (hold_id), g_strdup (sale_uuid));
  return g_strdup (hold_id);
}

/* ---- the authority ---- */

static JorenValueAccount *
remote_lookup (JorenValueAuthority  *authority,
               const char           *number,
               GError              **error)
{
  JorenValueRemote *self = JOREN_VALUE_REMOTE (authority);
  g_autoptr(JorenValueAccount) account = joren_value_authority_lookup (self->local, number, error);
  g_autofree char *path = NULL;
  g_autoptr(cJSON) answer = NULL;

  if (account == NULL)
    return NULL;
  /* The chain's balance when the server answers; ours otherwise. */
  path = g_strconcat ("/v1/accounts/", account->number, NULL);
  answer = call (self, path, NULL, NULL, NULL);
  if (answer != NULL)
    {
      account->balance = joren_sync_get_int (answer, "balance", account->balance);
      account->held = joren_sync_get_int (answer, "held", account->held);
    }
  return g_steal_pointer (&account);
}

/* The server cannot be asked: the policy, the caps, then this register's
 * own idea of the balance (a local hold), recorded as offline. */
static char *
authorise_offline (JorenValueRemote  *self,
                   const char        *number,
                   gint64             amount,
                   const char        *sale_uuid,
                   GError           **error)
{
  g_autofree char *hold_id = NULL;

  if (!joren_value_offline_check_caps (self->db, self->outage, number, amount, sale_uuid, error))
    return NULL;
  hold_id = joren_value_authority_authorise (self->local, number, amount, sale_uuid, error);
  if (hold_id == NULL)
    return NULL;
  g_message ("Voucher taken offline under the owner's policy (hold %s)", hold_id);
  if (!joren_value_offline_record (self->db, hold_id, number, amount, sale_uuid, self->outage, error))
    {
      joren_value_authority_release (self->local, hold_id, NULL);
      return NULL;
    }
  return g_steal_pointer (&hold_id);
}

static char *
remote_authorise (JorenValueAuthority  *authority,
                  const char           *number,
                  gint64                amount,
                  const char           *sale_uuid,
                  GError              **error)
{
  JorenValueRemote *self = JOREN_VALUE_REMOTE (authority);
  g_autoptr(cJSON) body = new_request (sale_uuid);
  g_autoptr(GError) local = NULL;
  g_autofree char *code = NULL;
  g_autofree char *normal = joren_value_number_normalize (number);
  char *hold_id;

  cJSON_AddStringToObject (body, "number", normal != NULL ? normal : number);
  cJSON_AddNumberToObject (body, "amount", (double) amount);
  hold_id = server_hold (self, body, sale_uuid, &code, &local);
  if (hold_id != NULL)
    return hold_id;
  /* Never pushed yet, so no other register can know it: ours to decide. */
  if (g_strcmp0 (code, "unknown_account") == 0)
    return joren_value_authority_authorise (self->local, number, amount, sale_uuid, error);
  if (code != NULL)
    return set_refusal (code, local, error), NULL;
  if (self->outage != 0)
    return authorise_offline (self, normal != NULL ? normal : number, amount, sale_uuid, error);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

static gboolean
finish_remote (JorenValueRemote  *self,
               const char        *hold_id,
               const char        *action,
               GError           **error)
{
  g_autoptr(cJSON) body = cJSON_CreateObject ();
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *path = g_strdup_printf ("/v1/holds/%s/%s", hold_id, action);
  g_autofree char *code = NULL;
  g_autoptr(cJSON) answer = NULL;
  g_autoptr(GError) local = NULL;

  cJSON_AddStringToObject (body, "op_id", op_id);
  answer = call (self, path, body, &code, &local);
  if (answer == NULL && code != NULL)
    set_refusal (code, local, error);
  else if (answer == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return answer != NULL;
}

static gboolean
remote_capture (JorenValueAuthority  *authority,
                const char           *hold_id,
                GError              **error)
{
  JorenValueRemote *self = JOREN_VALUE_REMOTE (authority);

  if (!g_hash_table_contains (self->remote_holds, hold_id))
    return joren_value_authority_capture (self->local, hold_id, error);
  return finish_remote (self, hold_id, "capture", error);
}

static gboolean
remote_release (JorenValueAuthority  *authority,
                const char           *hold_id,
                GError              **error)
{
  JorenValueRemote *self = JOREN_VALUE_REMOTE (authority);

  if (!g_hash_table_contains (self->remote_holds, hold_id))
    return joren_value_authority_release (self->local, hold_id, error);
  if (!finish_remote (self, hold_id, "void", error))
    return FALSE;
  g_hash_table_remove (self->remote_holds, hold_id);
  g_hash_table_remove (self->coupon_claims, hold_id);
  return TRUE;
}

/* The server holds of the sale, with or without its coupon claim. */
static GPtrArray *
sale_holds (JorenValueRemote *self,
            const char       *sale_uuid,
            gboolean          with_coupon)
{
  GHashTableIter iter;
  gpointer key, value;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_hash_table_iter_init (&iter, self->remote_holds);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_equal (value, sale_uuid)
        && (with_coupon || !g_hash_table_contains (self->coupon_claims, key)))
      g_ptr_array_add (ids, g_strdup (key));
  return ids;
}

/* Server holds the void cannot reach simply expire. The coupon claim
 * stays: the coupon is still on the sale. */
static gboolean
remote_release_sale (JorenValueAuthority  *authority,
                     const char           *sale_uuid,
                     GError              **error)
{
  JorenValueRemote *self = JOREN_VALUE_REMOTE (authority);
  g_autoptr(GPtrArray) ids = sale_holds (self, sale_uuid, FALSE);

  for (guint i = 0; i < ids->len; i++)
    remote_release (authority, g_ptr_array_index (ids, i), NULL);
  return JOREN_VALUE_AUTHORITY_GET_IFACE (self->local)->release_sale (self->local, sale_uuid, error);
}

/* Captured holds keep counting on the server however late the sale's
 * ops arrive (an unsettled held one would expire meanwhile). */
static gboolean
remote_capture_sale (JorenValueAuthority  *authority,
                     const char           *sale_uuid,
                     GError              **error)
{
  JorenValueRemote *self = JOREN_VALUE_REMOTE (authority);
  g_autoptr(GPtrArray) ids = sale_holds (self, sale_uuid, TRUE);
  gboolean ok = TRUE;

  for (guint i = 0; i < ids->len; i++)
    {
      const char *hold_id = g_ptr_array_index (ids, i);
      g_autoptr(GError) local = NULL;

      if (!finish_remote (self, hold_id, "capture", &local))
        {
          g_debug ("Hold %s not captured now, its sale's op settles it: %s", hold_id,
                   local->message);
          if (ok)
            g_propagate_error (error, g_steal_pointer (&local));
          ok = FALSE;
        }
      g_hash_table_remove (self->remote_holds, hold_id);
      g_hash_table_remove (self->coupon_claims, hold_id);
    }
  return ok;
}

static char *
remote_claim_coupon (JorenValueAuthority  *authority,
                     const char           *code,
                     const char           *sale_uuid,
                     GError              **error)
{
  return joren_value_remote_claim_coupon (JOREN_VALUE_REMOTE (authority), code, sale_uuid, error);
}

static void
remote_iface_init (JorenValueAuthorityInterface *iface)
{
  iface->lookup = remote_lookup;
  iface->authorise = remote_authorise;
  iface->capture = remote_capture;
  iface->release = remote_release;
  iface->release_sale = remote_release_sale;
  iface->claim_coupon = remote_claim_coupon;
  iface->capture_sale = remote_capture_sale;
}

/* ---- e-coupons ---- */

char *
joren_value_remote_claim_coupon (JorenValueRemote  *self,
                                 const char        *code,
                                 const char        *sale_uuid,
                                 GError           **error)
{
  g_autoptr(cJSON) body = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *reason = NULL;
  char *hold_id;

  g_return_val_if_fail (JOREN_IS_VALUE_REMOTE (self), NULL);
  g_return_val_if_fail (code != NULL && sale_uuid != NULL, NULL);

  body = new_request (sale_uuid);
  cJSON_AddStringToObject (body, "coupon", code);
  hold_id = server_hold (self, body, sale_uuid, &reason, &local);
  if (hold_id != NULL)
    {
      g_hash_table_add (self->coupon_claims, g_strdup (hold_id));
      return hold_id;
    }
  if (reason != NULL)
    return set_refusal (reason, local, error), NULL;
  if (self->outage == 0 || !joren_value_offline_check_caps (self->db, self->outage, code, 0, sale_uuid, error))
    {
      if (self->outage == 0)
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* Offline and allowed: the redemption travels with the sale and the
   * server records a second use as a conflict. */
  return g_uuid_string_random ();
}
