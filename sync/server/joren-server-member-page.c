/* joren-server-member-page.c: the member web page. Plain server-rendered
 * HTML (no script; the Content-Security-Policy forbids any), every value
 * HTML-escaped, every string through gettext in the member's language:
 * a ?lang= choice (remembered in a cookie), else Accept-Language. Each
 * request translates on its own thread with uselocale(), since the
 * process locale is shared by the whole thread pool. The session cookie
 * is HttpOnly and SameSite=Strict, so another site can neither read it
 * nor make the browser send it (no sign-out or page view by forgery). */
#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <libintl.h>
#include <locale.h>
#include <string.h>

#include "joren-member-resources.h"
#include "joren-money.h"
#include "joren-server-member-page.h"
#include "joren-sync-protocol.h"

#define SESSION_COOKIE "joren_member"
#define LANG_COOKIE "joren_lang"
#define MAX_FORM 4096
#define RESOURCES "/jp/joren/server/member/"

typedef struct {
  const char *code;     /* ?lang= value and cookie */
  const char *tag;      /* the html lang attribute */
  const char *locale;   /* for gettext */
  const char *label;    /* in its own language: never translated */
} Language;

static const Language languages[] = {
  { "en", "en", "C.UTF-8", "English" },
  { "ja", "ja", "ja_JP.UTF-8", "日本語" },
  { "zh_TW", "zh-Hant-TW", "zh_TW.UTF-8", "繁體中文" },
  { "de", "de", "de_DE.UTF-8", "Deutsch" },
};

/* Set once, before the daemon's threads start; read-only afterwards. */
static JorenServerMember *installed;
static locale_t locales[G_N_ELEMENTS (languages)];

/* ---- languages ---- */

static const Language *
find_language (const char *code)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (languages); i++)
    if (strcmp (languages[i].code, code) == 0)
      return &languages[i];
  return NULL;
}

/* "ja", "ja-JP" -> ja; every Chinese tag -> zh_TW (Taiwan is the chain's
 * only Chinese market); "de-AT" -> de; "en-GB" -> en. */
static const Language *
language_for_tag (const char *tag)
{
  g_autofree char *primary = g_ascii_strdown (tag, strcspn (tag, "-_"));

  if (strcmp (primary, "zh") == 0)
    return find_language ("zh_TW");
  return find_language (primary);
}

static double
parse_quality (const char *params)
{
  const char *q = params != NULL ? strstr (params, "q=") : NULL;

  return q != NULL ? g_ascii_strtod (q + 2, NULL) : 1.0;
}

/* The supported language the header likes most (ties: the first). */
static const Language *
language_from_header (const char *accept)
{
  g_auto(GStrv) items = g_strsplit (accept, ",", 32);
  const Language *best = NULL;
  double best_q = 0.0;

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_strstrip (items[i]), ";", 2);
      const Language *language = parts[0] != NULL ? language_for_tag (g_strstrip (parts[0])) : NULL;
      double q = parts[0] != NULL ? parse_quality (parts[1]) : 0.0;

      if (language != NULL && q > best_q)
        best = language, best_q = q;
    }
  return best;
}

const char *
joren_server_member_page_choose_language (const char *lang,
                                          const char *cookie,
                                          const char *accept)
{
  const Language *language = find_language (lang);

  if (language == NULL)
    language = find_language (cookie);
  if (language == NULL && accept != NULL)
    language = language_from_header (accept);
  return language != NULL ? language->code : "en";
}

static void
set_up_locales (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      locales[i] = newlocale (LC_MESSAGES_MASK | LC_CTYPE_MASK, languages[i].locale, (locale_t) 0);
      if (locales[i] == (locale_t) 0)
        {
          g_warning ("Locale %s is missing (scripts/setup.sh makes it); the member page"
                     " shows English instead", languages[i].locale);
          locales[i] = newlocale (LC_MESSAGES_MASK | LC_CTYPE_MASK, "C.UTF-8", (locale_t) 0);
        }
    }
}

void
joren_server_member_page_install (JorenServerMember *member)
{
  const char *localedir = g_getenv ("JOREN_LOCALEDIR");

  installed = member;
  if (member == NULL || locales[0] != (locale_t) 0)
    return;
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* LANGUAGE would override every request's own language. */
  g_unsetenv ("LANGUAGE");
  set_up_locales ();
}

gboolean
joren_server_member_page_owns (const char *url)
{
  g_return_val_if_fail (url != NULL, FALSE);

  return strcmp (url, "/member") == 0 || g_str_has_prefix (url, "/member/")
         || g_str_has_prefix (url, "/v1/members/");
}

/* ---- answers ---- */

static void
add_security_headers (struct MHD_Response *response)
{
  MHD_add_response_header (response, "Content-Security-Policy",
                           "default-src 'none'; style-src 'self'; form-action 'self';"
                           " frame-ancestors 'none'; base-uri 'none'");
  MHD_add_response_header (response, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header (response, "Referrer-Policy", "no-referrer");
  MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

/* Takes body. cookies: NULL-terminated Set-Cookie values, or NULL. */
static enum MHD_Result
respond_full (struct MHD_Connection *connection,
              guint                  status,
              const char            *type,
              char                  *body,
              const char            *location,
              const char * const    *cookies)
{
  struct MHD_Response *response;
  enum MHD_Result ret;

  response = MHD_create_response_from_buffer (strlen (body), body, MHD_RESPMEM_MUST_FREE);
  MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  add_security_headers (response);
  if (location != NULL)
    MHD_add_response_header (response, MHD_HTTP_HEADER_LOCATION, location);
  for (guint i = 0; cookies != NULL && cookies[i] != NULL; i++)
    MHD_add_response_header (response, MHD_HTTP_HEADER_SET_COOKIE, cookies[i]);
  ret = MHD_queue_response (connection, status, response);
  MHD_destroy_response (response);
  return ret;
}

/* A 303 to the page itself: a reload never re-posts a password. */
static enum MHD_Result
respond_see_page (struct MHD_Connection *connection,
                  const char * const    *cookies)
{
  return respond_full (connection, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8",
                       g_strdup ("See /member\n"), "/member", cookies);
}

static enum MHD_Result
respond_json_error (struct MHD_Connection *connection,
                    guint                  status,
                    const char            *code,
                    const char            *message)
{
  g_autoptr(cJSON) json = cJSON_CreateObject ();
  cJSON *error = cJSON_AddObjectToObject (json, "error");
  GString *body = g_string_new (NULL);

  cJSON_AddStringToObject (error, "code", code);
  cJSON_AddStringToObject (error, "message", message);
  joren_sync_write_canonical (body, json, NULL);
  return respond_full (connection, status, "application/json", g_string_free (body, FALSE),
                       NULL, NULL);
}

static enum MHD_Result
respond_resource (struct MHD_Connection *connection,
                  const char            *name,
                  const char            *type)
{
  g_autofree char *path = g_strconcat (RESOURCES, name, NULL);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (joren_member_get_resource (), path,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return respond_full (connection, MHD_HTTP_OK, type, g_strndup (data, size), NULL, NULL);
}

/* ---- rendering ---- */

/* Appends the escaped text. */
static void
append_text (GString    *out,
             const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (out, escaped);
}

static void G_GNUC_PRINTF (2, 3)
append_textf (GString    *out,
              const char *format,
              ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  append_text (out, text);
}

/* href: the page's own address up to "lang=" ("/member?"). */
static char *
render_switcher (const Language *current,
                 const char     *href)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    g_string_append_printf (out, "<a href=\"%slang=%s\" hreflang=\"%s\" lang=\"%s\"%s>%s</a>",
                            href, languages[i].code, languages[i].tag, languages[i].tag,
                            &languages[i] == current ? " aria-current=\"page\"" : "",
                            languages[i].label);
  return g_string_free (out, FALSE);
}

/* Fills page.html's slots; main is HTML already escaped. */
static char *
render_frame (const Language *language,
              const char     *switch_href,
              const char     *title,
              const char     *main)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (joren_member_get_resource (), RESOURCES "page.html",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GString) page = g_string_new_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *languages_label = g_markup_escape_text (_("Language"), -1);
  g_autofree char *switcher = render_switcher (language, switch_href);

  g_string_replace (page, "@LANG@", language->tag, 1);
  g_string_replace (page, "@TITLE@", escaped_title, 1);
  g_string_replace (page, "@LANGUAGES@", languages_label, 1);
  g_string_replace (page, "@SWITCHER@", switcher, 1);
  g_string_replace (page, "@MAIN@", main, 1);
  return g_string_free (g_steal_pointer (&page), FALSE);
}

static void
append_field (GString    *out,
              const char *id,
              const char *label,
              const char *attributes)
{
  g_string_append_printf (out, "<label for=\"%s\">", id);
  append_text (out, label);
  g_string_append_printf (out, "</label><input id=\"%s\" name=\"%s\" %s required>\n", id, id, attributes);
}

static char *
render_sign_in (const Language *language,
                const char     *problem)
{
  g_autoptr(GString) main = g_string_new ("<h1>");

  append_text (main, _("Member sign-in"));
  g_string_append (main, "</h1>\n");
  if (problem != NULL)
    {
      g_string_append (main, "<p class=\"error\" id=\"error\" role=\"alert\">");
      append_text (main, problem);
      g_string_append (main, "</p>\n");
    }
  g_string_append_printf (main, "<form method=\"post\" action=\"/member/sign-in\">\n"
                                "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
                          language->code);
  append_field (main, "card", _("Card number"),
                "autocomplete=\"username\" inputmode=\"numeric\" maxlength=\"64\"");
  append_field (main, "password", _("Password"),
                "type=\"password\" autocomplete=\"current-password\" maxlength=\"128\"");
  g_string_append (main, "<button type=\"submit\" id=\"sign-in\">");
  append_text (main, _("Sign in"));
  g_string_append (main, "</button>\n</form>\n<p class=\"note\">");
  append_text (main, _("No password yet? Ask at the counter: the staff can set one for your card."));
  g_string_append (main, "</p>\n");
  return render_frame (language, "/member?", _("Member sign-in"), main->str);
}

/* The last four characters only: the page may be read over a shoulder. */
static char *
mask_card (const char *card)
{
  gsize len = strlen (card);

  return g_strconcat ("•••• ", len > 4 ? card + len - 4 : card, NULL);
}

static void
append_points (GString                  *main,
               const JorenMemberSummary *summary)
{
  g_string_append (main, "<section><h2>");
  append_text (main, _("Points"));
  g_string_append (main, "</h2>\n");
  if (summary->has_points)
    g_string_append_printf (main, "<p class=\"points\" id=\"points\">%" G_GINT64_FORMAT "</p>\n",
                            summary->points);
  else
    {
      g_string_append (main, "<p class=\"note\">");
      append_text (main, _("This server does not keep points yet."));
      g_string_append (main, "</p>\n");
    }
  g_string_append (main, "</section>\n");
}

static void
append_header_cell (GString    *main,
                    const char *label,
                    gboolean    number)
{
  g_string_append (main, number ? "<th class=\"number\">" : "<th>");
  append_text (main, label);
  g_string_append (main, "</th>");
}

/* What the server stores as an account's kind, as the member calls it. */
static const char *
account_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "gift") == 0)
    return _("Gift voucher");
  if (g_strcmp0 (kind, "prepaid") == 0)
    return _("Prepaid card");
  if (g_strcmp0 (kind, "customer_account") == 0)
    return _("Customer account");
  return kind;
}

static void
append_expiry_cell (GString *main,
                    gint64   expires_at)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *day = NULL;

  g_string_append (main, "<td>");
  if (expires_at == 0)
    append_text (main, _("No expiry"));
  else
    {
      utc = g_date_time_new_from_unix_utc (expires_at / G_USEC_PER_SEC);
      local = g_date_time_to_local (utc);
      day = g_date_time_format (local, "%Y-%m-%d");
      append_text (main, day);
    }
  g_string_append (main, "</td>");
}

/* Opens a section: the heading, and the note instead of a table when
 * there is nothing to list. Returns whether a table follows. */
static gboolean
open_section (GString    *main,
              const char *id,
              const char *heading,
              const char *empty_note,
              gboolean    empty)
{
  g_string_append_printf (main, "<section id=\"%s\"><h2>", id);
  append_text (main, heading);
  g_string_append (main, "</h2>\n");
  if (!empty)
    return TRUE;
  g_string_append (main, "<p class=\"note\">");
  append_text (main, empty_note);
  g_string_append (main, "</p>\n</section>\n");
  return FALSE;
}

static void
append_balance (GString                  *main,
                const JorenMemberBalance *balance,
                const JorenCurrency      *currency)
{
  g_autofree char *amount = joren_money_format (balance->balance, currency);
  g_autofree char *masked = mask_card (balance->code);

  g_string_append (main, "<tr class=\"balance\"><td>");
  append_textf (main, "%s %s", account_kind_label (balance->kind), masked);
  g_string_append (main, "</td><td class=\"number\">");
  append_text (main, amount);
  g_string_append (main, "</td>");
  append_expiry_cell (main, balance->expires_at);
  g_string_append (main, "</tr>\n");
}

static void
append_balances (GString                  *main,
                 const JorenMemberSummary *summary,
                 const JorenCurrency      *currency)
{
  if (!open_section (main, "balances", _("Vouchers and prepaid cards"),
                     summary->has_balances ? _("You have no vouchers or prepaid cards.")
                                           : _("Ask at the counter for your voucher and prepaid balances."),
                     !summary->has_balances || summary->balances->len == 0))
    return;
  g_string_append (main, "<table>\n<tr>");
  append_header_cell (main, _("Voucher or account"), FALSE);
  append_header_cell (main, _("Balance"), TRUE);
  append_header_cell (main, _("Valid until"), FALSE);
  g_string_append (main, "</tr>\n");
  for (guint i = 0; i < summary->balances->len; i++)
    append_balance (main, g_ptr_array_index (summary->balances, i), currency);
  g_string_append (main, "</table>\n</section>\n");
}

static void
append_card (GString               *main,
             const JorenMemberCard *card)
{
  g_string_append (main, "<tr class=\"count-card\"><td>");
  append_text (main, card->name);
  g_string_append_printf (main, "</td><td class=\"number\">%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT
                          "</td>", card->visits_left, card->visits);
  append_expiry_cell (main, card->expires_at);
  g_string_append (main, "</tr>\n");
}

static void
append_cards (GString                  *main,
              const JorenMemberSummary *summary)
{
  if (!summary->has_cards && summary->cards->len == 0)
    return;   /* a server without count cards: no section at all */
  if (!open_section (main, "cards", _("Count cards"), _("You have no count cards."),
                     summary->cards->len == 0))
    return;
  g_string_append (main, "<table>\n<tr>");
  append_header_cell (main, _("Card"), FALSE);
  append_header_cell (main, _("Visits left"), TRUE);
  append_header_cell (main, _("Valid until"), FALSE);
  g_string_append (main, "</tr>\n");
  for (guint i = 0; i < summary->cards->len; i++)
    append_card (main, g_ptr_array_index (summary->cards, i));
  g_string_append (main, "</table>\n</section>\n");
}

static void
append_visit (GString                *main,
              const JorenMemberVisit *visit,
              const JorenCurrency    *currency)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (visit->at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_autofree char *total = joren_money_format (visit->total, currency);

  g_string_append (main, "<tr><td>");
  append_text (main, when);
  g_string_append (main, "</td><td>");
  append_text (main, visit->store != NULL ? visit->store : "");
  g_string_append (main, "</td><td class=\"number\">");
  append_text (main, total);
  g_string_append_printf (main, "</td><td class=\"number\">%+" G_GINT64_FORMAT "</td></tr>\n",
                          visit->points);
}

static void
append_visits (GString                  *main,
               const JorenMemberSummary *summary,
               const JorenCurrency      *currency)
{
  if (!open_section (main, "visits", _("Recent visits"), _("No visits yet."), summary->visits->len == 0))
    return;
  g_string_append (main, "<table>\n<tr>");
  append_header_cell (main, _("Date"), FALSE);
  append_header_cell (main, _("Store"), FALSE);
  append_header_cell (main, _("Total"), TRUE);
  append_header_cell (main, _("Points"), TRUE);
  g_string_append (main, "</tr>\n");
  for (guint i = 0; i < summary->visits->len; i++)
    append_visit (main, g_ptr_array_index (summary->visits, i), currency);
  g_string_append (main, "</table>\n</section>\n");
}

/* The chain's currency: JOREN_CURRENCY (ISO 4217), else yen. */
static const JorenCurrency *
chain_currency (void)
{
  const char *code = g_getenv ("JOREN_CURRENCY");
  const JorenCurrency *currency = code != NULL ? joren_currency_lookup (code) : NULL;

  return currency != NULL ? currency : joren_currency_lookup ("JPY");
}

static char *
render_account (const Language           *language,
                const JorenMemberSummary *summary)
{
  g_autoptr(GString) main = g_string_new ("<h1>");
  g_autofree char *masked = mask_card (summary->card);
  const JorenCurrency *currency = chain_currency ();

  if (summary->name != NULL)
    append_textf (main, _("Hello, %s"), summary->name);
  else
    append_text (main, _("Your card"));
  g_string_append (main, "</h1>\n<p id=\"card\">");
  append_text (main, masked);
  g_string_append (main, "</p>\n");
  append_points (main, summary);
  append_balances (main, summary, currency);
  append_cards (main, summary);
  append_visits (main, summary, currency);
  g_string_append (main, "<form method=\"post\" action=\"/member/sign-out\">"
                         "<button type=\"submit\" class=\"secondary\" id=\"sign-out\">");
  append_text (main, _("Sign out"));
  g_string_append (main, "</button></form>\n");
  return render_frame (language, "/member?", _("Your points"), main->str);
}

/* ---- requests ---- */

typedef struct {
  struct MHD_Connection *connection;
  const Language        *language;
  gboolean               language_chosen;  /* by ?lang=: remember it */
} Page;

static const char *
lookup_cookie (struct MHD_Connection *connection,
               const char            *name)
{
  return MHD_lookup_connection_value (connection, MHD_COOKIE_KIND, name);
}

static Page
start_page (struct MHD_Connection *connection,
            const char            *form_lang)
{
  const char *query_lang = MHD_lookup_connection_value (connection, MHD_GET_ARGUMENT_KIND, "lang");
  const char *lang = form_lang != NULL ? form_lang : query_lang;
  const char *accept = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
  const char *code = joren_server_member_page_choose_language (lang, lookup_cookie (connection, LANG_COOKIE),
                                                              accept);
  Page page = { connection, find_language (code), find_language (lang) != NULL };

  return page;
}

/* Renders in the page's language on this thread; takes nothing. */
typedef char *(*RenderFunc) (const Language *language,
                             gconstpointer   data);

static char *
render_in_language (const Page   *page,
                    RenderFunc    render,
                    gconstpointer data)
{
  locale_t previous = uselocale (locales[page->language - languages]);
  char *html = render (page->language, data);

  uselocale (previous);
  return html;
}

static char *
render_sign_in_cb (const Language *language,
                   gconstpointer   data)
{
  /* The problem is an untranslated msgid; it is translated here. */
  return render_sign_in (language, data != NULL ? _(data) : NULL);
}

static char *
render_account_cb (const Language *language,
                   gconstpointer   data)
{
  return render_account (language, data);
}

static enum MHD_Result
respond_page (const Page *page,
              guint       status,
              char       *html)
{
  g_autofree char *cookie = NULL;
  const char *cookies[] = { NULL, NULL };

  if (page->language_chosen)
    cookies[0] = cookie = g_strdup_printf (LANG_COOKIE "=%s; Path=/member; Max-Age=31536000;"
                                           " HttpOnly; SameSite=Strict", page->language->code);
  return respond_full (page->connection, status, "text/html; charset=utf-8", html, NULL, cookies);
}

static enum MHD_Result
show_sign_in (const Page *page,
              guint       status,
              const char *problem)
{
  return respond_page (page, status, render_in_language (page, render_sign_in_cb, problem));
}

static enum MHD_Result
handle_view (struct MHD_Connection *connection)
{
  Page page = start_page (connection, NULL);
  g_autofree char *card = joren_server_member_lookup (installed, lookup_cookie (connection, SESSION_COOKIE));
  g_autoptr(JorenMemberSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  if (card == NULL)
    return show_sign_in (&page, MHD_HTTP_OK, NULL);
  summary = joren_server_member_summarize (installed, card, &error);
  if (summary == NULL)
    {
      g_warning ("Could not read a member's summary: %s", error->message);
      return show_sign_in (&page, MHD_HTTP_INTERNAL_SERVER_ERROR,
                           N_("Your account cannot be shown right now. Please try again later."));
    }
  return respond_page (&page, MHD_HTTP_OK, render_in_language (&page, render_account_cb, summary));
}

static char *
client_address (struct MHD_Connection *connection)
{
  const union MHD_ConnectionInfo *info = MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  char text[INET6_ADDRSTRLEN] = "unknown";

  if (info != NULL && info->client_addr->sa_family == AF_INET)
    inet_ntop (AF_INET, &((const struct sockaddr_in *) info->client_addr)->sin_addr, text, sizeof text);
  else if (info != NULL && info->client_addr->sa_family == AF_INET6)
    inet_ntop (AF_INET6, &((const struct sockaddr_in6 *) info->client_addr)->sin6_addr, text, sizeof text);
  return g_strdup (text);
}

static GHashTable *
parse_form (const char *body,
            gsize       length)
{
  if (length > MAX_FORM)
    return NULL;
  return g_uri_parse_params (body, (gssize) length, "&", G_URI_PARAMS_WWW_FORM, NULL);
}

static gboolean
is_form (struct MHD_Connection *connection)
{
  const char *type = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);

  return type != NULL && g_ascii_strncasecmp (type, "application/x-www-form-urlencoded", 33) == 0;
}

static enum MHD_Result
finish_sign_in (const Page        *page,
                JorenMemberSignIn  outcome,
                const char        *session_id)
{
  g_autofree char *session = NULL;
  g_autofree char *lang = NULL;
  const char *cookies[3] = { NULL, NULL, NULL };

  switch (outcome)
    {
    case JOREN_MEMBER_SIGNED_IN:
      cookies[0] = session = g_strdup_printf (SESSION_COOKIE "=%s; Path=/member; Max-Age=%d;"
                                              " HttpOnly; SameSite=Strict",
                                              session_id, JOREN_MEMBER_SESSION_S);
      cookies[1] = lang = g_strdup_printf (LANG_COOKIE "=%s; Path=/member; Max-Age=31536000;"
                                           " HttpOnly; SameSite=Strict", page->language->code);
      return respond_see_page (page->connection, cookies);
    case JOREN_MEMBER_LOCKED:
      return show_sign_in (page, MHD_HTTP_FORBIDDEN,
                           N_("Too many wrong passwords for this card. Try again in 15 minutes or ask at the counter."));
    case JOREN_MEMBER_THROTTLED:
      return show_sign_in (page, MHD_HTTP_TOO_MANY_REQUESTS,
                           N_("Too many attempts from your connection. Wait a minute and try again."));
    case JOREN_MEMBER_REFUSED:
    default:
      return show_sign_in (page, MHD_HTTP_UNAUTHORIZED,
                           N_("The card number or the password is not right."));
    }
}

static enum MHD_Result
handle_sign_in (struct MHD_Connection *connection,
                const char            *body,
                gsize                  length)
{
  g_autoptr(GHashTable) form = is_form (connection) ? parse_form (body, length) : NULL;
  g_autofree char *address = client_address (connection);
  g_autofree char *session_id = NULL;
  g_autofree char *card = NULL;
  const char *password;
  Page page = start_page (connection, form != NULL ? g_hash_table_lookup (form, "lang") : NULL);
  JorenMemberSignIn outcome;

  page.language_chosen = FALSE;
  if (form == NULL || g_hash_table_lookup (form, "card") == NULL
      || (password = g_hash_table_lookup (form, "password")) == NULL)
    return show_sign_in (&page, MHD_HTTP_BAD_REQUEST, N_("Enter your card number and your password."));
  card = g_strstrip (g_strdup (g_hash_table_lookup (form, "card")));
  outcome = joren_server_member_sign_in (installed, card, password, address, &session_id);
  return finish_sign_in (&page, outcome, session_id);
}

static enum MHD_Result
handle_sign_out (struct MHD_Connection *connection)
{
  const char *cookies[] = { SESSION_COOKIE "=; Path=/member; Max-Age=0; HttpOnly; SameSite=Strict", NULL };

  joren_server_member_sign_out (installed, lookup_cookie (connection, SESSION_COOKIE));
  return respond_see_page (connection, cookies);
}

/* ---- other pages in the same frame ---- */

enum MHD_Result
joren_server_member_page_answer (struct MHD_Connection *connection,
                                 const char            *form_lang,
                                 const char            *switch_href,
                                 guint                  status,
                                 JorenServerPageRender  render,
                                 gconstpointer          data)
{
  Page page = start_page (connection, form_lang);
  locale_t previous = uselocale (locales[page.language - languages]);
  g_autofree char *title = NULL;
  g_autofree char *main = render (data, &title);
  char *html = render_frame (page.language, switch_href, title, main);

  uselocale (previous);
  page.language_chosen = FALSE;  /* the cookie is the member page's */
  return respond_page (&page, status, html);
}

/* ---- the register's password endpoint ---- */

static const JorenSyncField password_fields[] = {
  { "password", JOREN_SYNC_FIELD_STRING, TRUE },
};

/* "/v1/members/CARD/password" -> CARD (libmicrohttpd has unescaped it). */
static char *
card_from_url (const char *url)
{
  const char *start = url + strlen ("/v1/members/");

  if (!g_str_has_suffix (start, "/password") || strlen (start) <= strlen ("/password"))
    return NULL;
  return g_strndup (start, strlen (start) - strlen ("/password"));
}

static gboolean
is_authenticated (JorenServerDb         *db,
                  struct MHD_Connection *connection)
{
  const char *header = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_AUTHORIZATION);

  return header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0
         && joren_server_db_authenticate (db, header + 7) != 0;
}

static enum MHD_Result
set_password (struct MHD_Connection *connection,
              const char            *card,
              const char            *body,
              gsize                  length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(cJSON) json = joren_sync_parse_json (body, length, &error);

  if (json == NULL
      || !joren_sync_check_object (json, "the request", password_fields,
                                   G_N_ELEMENTS (password_fields), &error)
      || !joren_server_member_set_password (installed, card, joren_sync_get_string (json, "password"),
                                            &error))
    {
      if (g_error_matches (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_INVALID))
        return respond_json_error (connection, MHD_HTTP_BAD_REQUEST, "invalid_request", error->message);
      g_warning ("Could not set a member password: %s", error->message);
      return respond_json_error (connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                                 "The password was not changed. Retry.");
    }
  g_message ("Member password set for card …%s", card + MAX (0, (gssize) strlen (card) - 4));
  return respond_full (connection, MHD_HTTP_NO_CONTENT, "application/json", g_strdup (""), NULL, NULL);
}

static enum MHD_Result
handle_password (JorenServerDb         *db,
                 struct MHD_Connection *connection,
                 const char            *url,
                 const char            *method,
                 const char            *body,
                 gsize                  length)
{
  g_autofree char *card = card_from_url (url);
  const char *type = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);

  if (card == NULL)
    return respond_json_error (connection, MHD_HTTP_NOT_FOUND, "not_found",
                               "No such endpoint; see docs/API.md.");
  if (strcmp (method, "POST") != 0)
    return respond_json_error (connection, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                               "This endpoint takes POST.");
  if (!is_authenticated (db, connection))
    return respond_json_error (connection, MHD_HTTP_UNAUTHORIZED, "unauthorized",
                               "Missing, unknown or revoked token (Authorization: Bearer <token>).");
  if (type == NULL || g_ascii_strncasecmp (type, "application/json", 16) != 0)
    return respond_json_error (connection, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                               "Send the body as Content-Type: application/json.");
  return set_password (connection, card, body, length);
}

/* ---- dispatch ---- */

static enum MHD_Result
handle_page (struct MHD_Connection *connection,
             const char            *url,
             const char            *method,
             const char            *body,
             gsize                  length)
{
  gboolean get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  gboolean post = strcmp (method, "POST") == 0;

  if (strcmp (url, "/member") == 0 && get)
    return handle_view (connection);
  if (strcmp (url, "/member/style.css") == 0 && get)
    return respond_resource (connection, "style.css", "text/css; charset=utf-8");
  if (strcmp (url, "/member/sign-in") == 0 && post)
    return handle_sign_in (connection, body, length);
  if (strcmp (url, "/member/sign-out") == 0 && post)
    return handle_sign_out (connection);
  if (strcmp (url, "/member/sign-in") == 0 || strcmp (url, "/member/sign-out") == 0)
    return respond_see_page (connection, NULL);
  return respond_full (connection, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8",
                       g_strdup ("Not found\n"), NULL, NULL);
}

enum MHD_Result
joren_server_member_page_respond (JorenServerDb         *db,
                                  struct MHD_Connection *connection,
                                  const char            *url,
                                  const char            *method,
                                  const char            *body,
                                  gsize                  length)
{
  g_return_val_if_fail (db != NULL, MHD_NO);
  g_return_val_if_fail (connection != NULL && url != NULL && method != NULL, MHD_NO);

  if (installed == NULL)
    return respond_json_error (connection, MHD_HTTP_NOT_FOUND, "not_found",
                               "The member page is not enabled on this server.");
  if (g_str_has_prefix (url, "/v1/members/"))
    return handle_password (db, connection, url, method, body, length);
  return handle_page (connection, url, method, body, length);
}
