/* joren-server-unsubscribe.c: where a promotion e-mail's unsubscribe
 * link leads. A register signs each link with its own secret
 * (joren_promotion_unsubscribe_signature over the customer's uuid) and
 * shares that secret with the server through POST /v1/unsubscribe/secret
 * (Bearer token) whenever its sync starts; the server keeps every secret
 * a register ever shared, so links from any register, and from before a
 * register's database was replaced, stay valid. The server does not issue
 * tokens itself because registers send mail on their own, possibly while
 * the server is away.
 *
 * GET shows a page in the member page's frame and languages with one
 * button; POST (the button, or a mail program's RFC 8058 one-click POST
 * with "List-Unsubscribe=One-Click") withdraws the e-mail consent: the
 * server records consent_email = false as its own last-write-wins change
 * of the customer, published in the changes feed, so every register
 * pulls it and its next promotion leaves the customer out. GET never
 * changes anything (mail scanners follow links). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "joren-promotion.h"
#include "joren-server-db-private.h"
#include "joren-server-member-page.h"
#include "joren-server-unsubscribe.h"
#include "joren-sync-protocol.h"

#define MAX_FORM 4096

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS unsubscribe_secrets ("
  "  register_id INTEGER NOT NULL, secret TEXT NOT NULL, shared_at INTEGER NOT NULL,"
  "  PRIMARY KEY (register_id, secret)) WITHOUT ROWID;";

gboolean
joren_server_unsubscribe_install (JorenServerDb  *db,
                                  GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  char *message = NULL;

  g_return_val_if_fail (db != NULL, FALSE);

  locker = g_mutex_locker_new (&db->lock);
  if (sqlite3_exec (db->handle, schema_sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;
  g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
               "Could not create the unsubscribe table: %s", message);
  sqlite3_free (message);
  return FALSE;
}

gboolean
joren_server_unsubscribe_owns (const char *url)
{
  g_return_val_if_fail (url != NULL, FALSE);

  return strcmp (url, "/unsubscribe") == 0 || strcmp (url, "/v1/unsubscribe/secret") == 0;
}

/* ---- secrets ---- */

static gboolean
store_secret (JorenServerDb  *db,
              gint64          register_id,
              const char     *secret,
              GError        **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&db->lock);
  g_autoptr(JorenServerStmt) stmt = joren_server_db_prepare (db,
      "INSERT OR IGNORE INTO unsubscribe_secrets (register_id, secret, shared_at) VALUES (?, ?, ?)");

  sqlite3_bind_int64 (stmt, 1, register_id);
  sqlite3_bind_text (stmt, 2, secret, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  return joren_server_db_step_done (db, stmt, error);
}

static gboolean
equal_in_constant_time (const char *a,
                        const char *b)
{
  gsize length = strlen (a);
  guchar difference = length != strlen (b);

  for (gsize i = 0; i < length && b[i] != '\0'; i++)
    difference |= (guchar) (a[i] ^ b[i]);
  return difference == 0;
}

gboolean
joren_server_unsubscribe_verify (JorenServerDb *db,
                                 const char    *customer_uuid,
                                 const char    *signature)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JorenServerStmt) stmt = NULL;
  gboolean valid = FALSE;

  g_return_val_if_fail (db != NULL, FALSE);

  if (!joren_sync_is_uuid (customer_uuid) || signature == NULL)
    return FALSE;
  locker = g_mutex_locker_new (&db->lock);
  stmt = joren_server_db_prepare (db, "SELECT secret FROM unsubscribe_secrets");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *expected = joren_promotion_unsubscribe_signature (
          (const char *) sqlite3_column_text (stmt, 0), customer_uuid);

      valid |= equal_in_constant_time (expected, signature);
    }
  return valid;
}

/* consent_email = false as the server's own change. FALSE with no error:
 * the customer has not reached the server yet. */
static gboolean
withdraw_consent (JorenServerDb  *db,
                  const char     *customer_uuid,
                  GError        **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&db->lock);
  g_autofree char *known = joren_server_db_customer_uuid (db, customer_uuid);

  if (known == NULL)
    return FALSE;
  if (!joren_server_db_begin (db, error))
    return FALSE;
  return joren_server_db_finish (db, joren_server_db_set_customer_field (db, customer_uuid,
                                                                         "consent_email", "false",
                                                                         error),
                                 error);
}

/* ---- answers ---- */

static enum MHD_Result
respond_json (struct MHD_Connection *connection,
              guint                  status,
              const char            *text)
{
  struct MHD_Response *response = MHD_create_response_from_buffer (strlen (text), (void *) text,
                                                                   MHD_RESPMEM_MUST_COPY);
  enum MHD_Result ret;

  MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  ret = MHD_queue_response (connection, status, response);
  MHD_destroy_response (response);
  return ret;
}

typedef enum {
  PAGE_CONFIRM,   /* a valid link, nothing changed yet */
  PAGE_DONE,
  PAGE_INVALID,
  PAGE_LATER,     /* valid, but the customer has not reached the server */
} PageKind;

typedef struct {
  PageKind    kind;
  const char *uuid;
  const char *signature;
  const char *lang;
} PageData;

static void
append_paragraph (GString    *main,
                  const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append_printf (main, "<p>%s</p>\n", escaped);
}

static void
append_confirm_form (GString        *main,
                     const PageData *data)
{
  g_autofree char *button = g_markup_escape_text (_("Unsubscribe"), -1);

  /* uuid and signature were checked (hex digits and dashes): no escaping. */
  g_string_append_printf (main, "<form method=\"post\" action=\"/unsubscribe\">\n"
                                "<input type=\"hidden\" name=\"c\" value=\"%s\">\n"
                                "<input type=\"hidden\" name=\"t\" value=\"%s\">\n"
                                "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n"
                                "<button type=\"submit\" id=\"unsubscribe\">%s</button>\n</form>\n",
                          data->uuid, data->signature, data->lang ? data->lang : "", button);
}

static char *
render_page_cb (gconstpointer   user_data,
                char          **title)
{
  const PageData *data = user_data;
  GString *main = g_string_new (NULL);
  g_autofree char *heading = NULL;

  *title = g_strdup (_("Unsubscribe"));
  heading = g_markup_escape_text (*title, -1);
  g_string_append_printf (main, "<h1>%s</h1>\n", heading);
  switch (data->kind)
    {
    case PAGE_CONFIRM:
      append_paragraph (main, _("Do you want to stop receiving our news by e-mail?"));
      append_confirm_form (main, data);
      break;
    case PAGE_DONE:
      g_string_append (main, "<div id=\"done\">");
      append_paragraph (main, _("You are unsubscribed. We will send you no more news by e-mail."));
      g_string_append (main, "</div>\n");
      break;
    case PAGE_LATER:
      append_paragraph (main, _("Your unsubscribe cannot be recorded right now. Please try again later."));
      break;
    case PAGE_INVALID:
    default:
      append_paragraph (main, _("This unsubscribe link is not valid."));
      break;
    }
  return g_string_free (main, FALSE);
}

static guint
page_status (PageKind kind)
{
  switch (kind)
    {
    case PAGE_INVALID: return MHD_HTTP_NOT_FOUND;
    case PAGE_LATER: return MHD_HTTP_SERVICE_UNAVAILABLE;
    case PAGE_CONFIRM:
    case PAGE_DONE:
    default: return MHD_HTTP_OK;
    }
}

static enum MHD_Result
answer_page (struct MHD_Connection *connection,
             const PageData        *data)
{
  g_autofree char *href = NULL;

  if (data->kind == PAGE_CONFIRM)
    href = g_strdup_printf ("/unsubscribe?c=%s&amp;t=%s&amp;", data->uuid, data->signature);
  return joren_server_member_page_answer (connection, data->lang, href ? href : "/unsubscribe?",
                                          page_status (data->kind), render_page_cb, data);
}

/* ---- requests ---- */

static const char *
lookup_arg (struct MHD_Connection *connection,
            GHashTable            *form,
            const char            *name)
{
  const char *value = form != NULL ? g_hash_table_lookup (form, name) : NULL;

  return value != NULL ? value
                       : MHD_lookup_connection_value (connection, MHD_GET_ARGUMENT_KIND, name);
}

static gboolean
is_signature (const char *text)
{
  gsize length = text != NULL ? strlen (text) : 0;

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return length == 32;
}

static PageKind
unsubscribe (JorenServerDb *db,
             const char    *uuid)
{
  g_autoptr(GError) error = NULL;

  if (withdraw_consent (db, uuid, &error))
    {
      g_message ("Customer %.8s… unsubscribed from e-mail", uuid);
      return PAGE_DONE;
    }
  if (error != NULL)
    g_warning ("Could not record an unsubscribe: %s", error->message);
  return PAGE_LATER;
}

static enum MHD_Result
handle_page (JorenServerDb         *db,
             struct MHD_Connection *connection,
             gboolean               post,
             const char            *body,
             gsize                  length)
{
  g_autoptr(GHashTable) form = post && length <= MAX_FORM
                               ? g_uri_parse_params (body, (gssize) length, "&",
                                                     G_URI_PARAMS_WWW_FORM, NULL)
                               : NULL;
  PageData data = { PAGE_INVALID, lookup_arg (connection, form, "c"),
                    lookup_arg (connection, form, "t"), lookup_arg (connection, form, "lang") };

  if (is_signature (data.signature)
      && joren_server_unsubscribe_verify (db, data.uuid, data.signature))
    data.kind = post ? unsubscribe (db, data.uuid) : PAGE_CONFIRM;
  return answer_page (connection, &data);
}

static const JorenSyncField secret_fields[] = {
  { "secret", JOREN_SYNC_FIELD_STRING, TRUE },
};

static enum MHD_Result
handle_secret (JorenServerDb         *db,
               struct MHD_Connection *connection,
               const char            *body,
               gsize                  length)
{
  const char *auth = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_AUTHORIZATION);
  gint64 register_id = auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0
                       ? joren_server_db_authenticate (db, auth + 7) : 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(cJSON) json = NULL;
  const char *secret;

  if (register_id == 0)
    return respond_json (connection, MHD_HTTP_UNAUTHORIZED,
                         "{\"error\":{\"code\":\"unauthorized\",\"message\":\"Missing, unknown or"
                         " revoked token (Authorization: Bearer <token>).\"}}");
  json = joren_sync_parse_json (body, length, &error);
  if (json == NULL
      || !joren_sync_check_object (json, "the request", secret_fields, G_N_ELEMENTS (secret_fields),
                                   &error)
      || strlen (secret = joren_sync_get_string (json, "secret")) < 32)
    return respond_json (connection, MHD_HTTP_BAD_REQUEST,
                         "{\"error\":{\"code\":\"invalid_request\",\"message\":"
                         "\"Send {\\\"secret\\\": at least 32 characters}.\"}}");
  if (!store_secret (db, register_id, secret, &error))
    {
      g_warning ("Could not store an unsubscribe secret: %s", error->message);
      return respond_json (connection, MHD_HTTP_INTERNAL_SERVER_ERROR,
                           "{\"error\":{\"code\":\"internal\",\"message\":\"Retry.\"}}");
    }
  return respond_json (connection, MHD_HTTP_OK, "{\"stored\":true}");
}

enum MHD_Result
joren_server_unsubscribe_respond (JorenServerDb         *db,
                                  struct MHD_Connection *connection,
                                  const char            *url,
                                  const char            *method,
                                  const char            *body,
                                  gsize                  length)
{
  gboolean post = strcmp (method, "POST") == 0;

  g_return_val_if_fail (db != NULL && connection != NULL && url != NULL, MHD_NO);

  if (strcmp (url, "/v1/unsubscribe/secret") == 0)
    return post ? handle_secret (db, connection, body, length)
                : respond_json (connection, MHD_HTTP_METHOD_NOT_ALLOWED,
                                "{\"error\":{\"code\":\"method_not_allowed\","
                                "\"message\":\"This endpoint takes POST.\"}}");
  if (!post && strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
    return respond_json (connection, MHD_HTTP_METHOD_NOT_ALLOWED,
                         "{\"error\":{\"code\":\"method_not_allowed\","
                         "\"message\":\"This page takes GET or POST.\"}}");
  return handle_page (db, connection, post, body, length);
}
