/* joren-mail.c: SMTP through libcurl. Messages are built here rather than
 * with curl's MIME API so the exact bytes can be tested and logged
 * (without the password): headers are ASCII, the subject and the sender's
 * name become RFC 2047 encoded-words of at most 39 bytes of UTF-8 each
 * (an encoded-word may not pass 75 characters), the body is base64 so
 * any Japanese, Chinese or German text survives every relay unchanged.
 * Attachments make the message multipart/mixed (RFC 2046) with every
 * part in base64, which is also why any boundary is safe: a base64 line
 * never starts with "--". */
#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n.h>
#include <string.h>

#include "joren-device-error.h"
#include "joren-mail.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

/* Bytes of UTF-8 per encoded-word: base64 of 39 bytes is 52 characters;
 * with "=?UTF-8?B?", "?=" and "Subject: " the line stays under 78. */
#define WORD_BYTES 39

void
joren_mail_settings_free (JorenMailSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->host);
  g_free (settings->user);
  if (settings->password != NULL)
    memset (settings->password, 0, strlen (settings->password));
  g_free (settings->password);
  g_free (settings->from);
  g_free (settings->from_name);
  g_free (settings);
}

JorenMailSettings *
joren_mail_settings_copy (const JorenMailSettings *settings)
{
  JorenMailSettings *copy;

  g_return_val_if_fail (settings != NULL, NULL);

  copy = g_memdup2 (settings, sizeof *settings);
  copy->host = g_strdup (settings->host);
  copy->user = g_strdup (settings->user);
  copy->password = g_strdup (settings->password);
  copy->from = g_strdup (settings->from);
  copy->from_name = g_strdup (settings->from_name);
  return copy;
}

static const char * const tls_names[] = { "none", "starttls", "implicit" };

const char *
joren_mail_tls_to_string (JorenMailTls tls)
{
  g_return_val_if_fail (tls <= JOREN_MAIL_TLS_IMPLICIT, "none");

  return tls_names[tls];
}

JorenMailTls
joren_mail_tls_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (tls_names); i++)
    if (g_strcmp0 (text, tls_names[i]) == 0)
      return i;
  return JOREN_MAIL_TLS_STARTTLS;
}

char *
joren_mail_fill_template (const char *template_text,
                          GHashTable *values)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (template_text != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  out = g_string_new (NULL);
  for (p = template_text; *p != '\0';)
    {
      const char *close = *p == '{' ? strchr (p + 1, '}') : NULL;
      g_autofree char *key = close ? g_strndup (p + 1, close - p - 1) : NULL;
      const char *value = key ? g_hash_table_lookup (values, key) : NULL;

      if (value != NULL)
        {
          g_string_append (out, value);
          p = close + 1;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_ascii_printable (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
      return FALSE;
  return TRUE;
}

/* The length of the longest prefix of text, at most max bytes, that ends
 * on a character boundary. */
static gsize
utf8_prefix_length (const char *text,
                    gsize       max)
{
  const char *end = text;

  while (*end != '\0')
    {
      const char *next = g_utf8_next_char (end);

      if ((gsize) (next - text) > max)
        break;
      end = next;
    }
  return end - text;
}

static char *
encode_words (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0';)
    {
      gsize n = utf8_prefix_length (p, WORD_BYTES);
      g_autofree char *b64 = g_base64_encode ((const guchar *) p, n);

      /* Folding: encoded-words on continuation lines, CRLF + space. */
      g_string_append_printf (out, "%s=?UTF-8?B?%s?=", out->len ? "\r\n " : "", b64);
      p += n;
    }
  return g_string_free (out, FALSE);
}

char *
joren_mail_encode_header (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (is_ascii_printable (text))
    return g_strdup (text);
  return encode_words (text);
}

/* RFC 5322 dates use English names whatever the locale. */
static char *
format_date (GDateTime *date)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autofree char *day = g_date_time_format (date, "%d");
  g_autofree char *rest = g_date_time_format (date, "%Y %H:%M:%S %z");

  return g_strdup_printf ("%s, %s %s %s", days[g_date_time_get_day_of_week (date) - 1], day,
                          months[g_date_time_get_month (date) - 1], rest);
}

static const char *
domain_of (const char *address)
{
  const char *at = address ? strrchr (address, '@') : NULL;

  return at ? at + 1 : "localhost";
}

/* Base64 in lines of 76 characters (RFC 2045), each ending in CRLF. */
static void
append_base64 (GString      *out,
               const guchar *data,
               gsize         size)
{
  g_autofree char *b64 = g_base64_encode (data, size);
  gsize len = strlen (b64);

  for (gsize i = 0; i < len; i += 76)
    g_string_append_printf (out, "%.*s\r\n", (int) MIN (76, len - i), b64 + i);
}

static void
append_body (GString    *out,
             const char *body)
{
  g_auto(GStrv) lines = g_strsplit (body, "\n", -1);
  g_autofree char *crlf = g_strjoinv ("\r\n", lines);

  append_base64 (out, (const guchar *) crlf, strlen (crlf));
}

static void
append_text_part (GString    *out,
                  const char *body)
{
  g_string_append (out, "Content-Type: text/plain; charset=UTF-8\r\n"
                        "Content-Transfer-Encoding: base64\r\n\r\n");
  append_body (out, body);
}

/* Characters a file name may keep as they are in a quoted parameter: a
 * short printable ASCII name without quotes or backslashes, so the line
 * stays within 78 characters and no escaping is needed. */
static gboolean
is_plain_file_name (const char *name)
{
  return is_ascii_printable (name) && strpbrk (name, "\"\\") == NULL && strlen (name) <= 56;
}

/* One character of a file name as RFC 2231 writes it: attribute
 * characters as they are, every other byte as %XX. */
static void
append_percent_encoded (GString    *out,
                        const char *p)
{
  for (const char *b = p; b < g_utf8_next_char (p); b++)
    if (g_ascii_isalnum (*b) || strchr ("!#$&+-.^_`|~", *b) != NULL)
      g_string_append_c (out, *b);
    else
      g_string_append_printf (out, "%%%02X", (guchar) *b);
}

/* RFC 2231 filename*: percent-encoded UTF-8, split into sections of at
 * most 54 characters on character boundaries (continuation lines), so
 * no line passes 78 characters and a mail program that decodes each
 * section alone still sees whole characters. */
static void
append_rfc2231_file_name (GString    *out,
                          const char *name)
{
  g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) section = g_string_new (NULL);
  g_autoptr(GString) encoded = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_string_truncate (encoded, 0);
      append_percent_encoded (encoded, p);
      if (section->len + encoded->len > 54)
        {
          g_ptr_array_add (sections, g_strdup (section->str));
          g_string_truncate (section, 0);
        }
      g_string_append_len (section, encoded->str, encoded->len);
    }
  g_ptr_array_add (sections, g_strdup (section->str));
  if (sections->len == 1)
    {
      g_string_append_printf (out, ";\r\n filename*=UTF-8''%s", section->str);
      return;
    }
  for (guint i = 0; i < sections->len; i++)
    g_string_append_printf (out, ";\r\n filename*%u*=%s%s", i, i == 0 ? "UTF-8''" : "",
                            (char *) sections->pdata[i]);
}

static void
append_attachment (GString                   *out,
                   const char                *boundary,
                   const JorenMailAttachment *attachment)
{
  const char *name = attachment->file_name;
  const char *type = attachment->mime_type ? attachment->mime_type : "application/octet-stream";
  gsize size = 0;
  const guchar *data = g_bytes_get_data (attachment->bytes, &size);

  g_string_append_printf (out, "--%s\r\nContent-Type: %s", boundary, type);
  if (is_plain_file_name (name))
    g_string_append_printf (out, ";\r\n name=\"%s\"\r\n"
                                 "Content-Disposition: attachment;\r\n filename=\"%s\"",
                            name, name);
  else
    {
      /* RFC 2047 inside a quoted name is not standard, but it is what
       * mail programs that predate RFC 2231 (and Outlook) read. */
      g_autofree char *words = encode_words (name);

      g_string_append_printf (out, ";\r\n name=\"%s\"\r\nContent-Disposition: attachment", words);
      append_rfc2231_file_name (out, name);
    }
  g_string_append (out, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
  append_base64 (out, data, size);
  if (size == 0)
    g_string_append (out, "\r\n");
}

/* The text, then each file; every part base64 (see the top). */
static void
append_mixed (GString                *out,
              const JorenMailMessage *message)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *boundary = g_strconcat ("=_joren_", uuid, NULL);

  g_string_append_printf (out, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n"
                               "--%s\r\n", boundary, boundary);
  append_text_part (out, message->body);
  if (*message->body == '\0')
    g_string_append (out, "\r\n");
  for (guint i = 0; i < message->n_attachments; i++)
    append_attachment (out, boundary, &message->attachments[i]);
  g_string_append_printf (out, "--%s--\r\n", boundary);
}

static void
append_unsubscribe (GString                *out,
                    const JorenMailMessage *message)
{
  if (message->unsubscribe_mailto == NULL && message->unsubscribe_url == NULL)
    return;
  g_string_append (out, "List-Unsubscribe: ");
  if (message->unsubscribe_mailto != NULL)
    g_string_append_printf (out, "<mailto:%s>", message->unsubscribe_mailto);
  if (message->unsubscribe_url != NULL)
    g_string_append_printf (out, "%s<%s>", message->unsubscribe_mailto ? ",\r\n " : "",
                            message->unsubscribe_url);
  g_string_append (out, "\r\n");
  /* RFC 8058: mail programs may unsubscribe with one POST. */
  if (message->unsubscribe_url != NULL)
    g_string_append (out, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
}

char *
joren_mail_build (const JorenMailSettings *settings,
                  const JorenMailMessage  *message,
                  GDateTime               *date)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  GString *out;

  g_return_val_if_fail (settings != NULL && settings->from != NULL, NULL);
  g_return_val_if_fail (message != NULL && message->to != NULL, NULL);
  g_return_val_if_fail (message->subject != NULL && message->body != NULL, NULL);
  g_return_val_if_fail (message->n_attachments == 0 || message->attachments != NULL, NULL);
  for (guint i = 0; i < message->n_attachments; i++)
    g_return_val_if_fail (message->attachments[i].file_name != NULL
                          && g_utf8_validate (message->attachments[i].file_name, -1, NULL)
                          && message->attachments[i].bytes != NULL, NULL);

  now = date ? g_date_time_ref (date) : g_date_time_new_now_local ();
  date_text = format_date (now);
  subject = joren_mail_encode_header (message->subject);
  out = g_string_new (NULL);
  g_string_append_printf (out, "Date: %s\r\n", date_text);
  if (settings->from_name != NULL && *settings->from_name != '\0')
    {
      g_autofree char *name = joren_mail_encode_header (settings->from_name);

      /* Folded before the address, so no line passes 78 characters. */
      g_string_append_printf (out, "From: %s\r\n <%s>\r\n", name, settings->from);
    }
  else
    g_string_append_printf (out, "From: <%s>\r\n", settings->from);
  g_string_append_printf (out, "To: <%s>\r\n", message->to);
  g_string_append_printf (out, "Subject: %s\r\n", subject);
  g_string_append_printf (out, "Message-ID: <%s@%s>\r\n", uuid, domain_of (settings->from));
  append_unsubscribe (out, message);
  g_string_append (out, "MIME-Version: 1.0\r\n");
  if (message->n_attachments > 0)
    append_mixed (out, message);
  else
    append_text_part (out, message->body);
  return g_string_free (out, FALSE);
}

/* --- sending --- */

struct _JorenMailSender {
  JorenMailSettings *settings;
  CURL              *curl;
};

typedef struct {
  const char *data;
  gsize       left;
} Upload;

static size_t
read_upload_cb (char   *buffer,
                size_t  size,
                size_t  nitems,
                void   *user_data)
{
  Upload *upload = user_data;
  size_t n = MIN (size * nitems, upload->left);

  memcpy (buffer, upload->data, n);
  upload->data += n;
  upload->left -= n;
  return n;
}

JorenMailSender *
joren_mail_sender_new (const JorenMailSettings *settings)
{
  JorenMailSender *sender;

  g_return_val_if_fail (settings != NULL && settings->host != NULL, NULL);

  sender = g_new0 (JorenMailSender, 1);
  sender->settings = joren_mail_settings_copy (settings);
  return sender;
}

void
joren_mail_sender_free (JorenMailSender *sender)
{
  if (sender == NULL)
    return;
  g_clear_pointer (&sender->curl, curl_easy_cleanup);
  joren_mail_settings_free (sender->settings);
  g_free (sender);
}

static guint
default_port (JorenMailTls tls)
{
  return tls == JOREN_MAIL_TLS_IMPLICIT ? 465 : tls == JOREN_MAIL_TLS_STARTTLS ? 587 : 25;
}

/* The handle is made once: curl keeps the SMTP connection between sends. */
static CURL *
ensure_curl (JorenMailSender *sender)
{
  const JorenMailSettings *s = sender->settings;
  g_autofree char *url = NULL;

  if (sender->curl != NULL)
    return sender->curl;
  sender->curl = curl_easy_init ();
  url = g_strdup_printf ("%s://%s:%u", s->tls == JOREN_MAIL_TLS_IMPLICIT ? "smtps" : "smtp",
                         s->host, s->port ? s->port : default_port (s->tls));
  curl_easy_setopt (sender->curl, CURLOPT_URL, url);
  curl_easy_setopt (sender->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (sender->curl, CURLOPT_CONNECTTIMEOUT, 15L);
  curl_easy_setopt (sender->curl, CURLOPT_TIMEOUT, 60L);
  if (s->tls == JOREN_MAIL_TLS_STARTTLS)
    curl_easy_setopt (sender->curl, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
  if (s->user != NULL && *s->user != '\0')
    {
      curl_easy_setopt (sender->curl, CURLOPT_USERNAME, s->user);
      curl_easy_setopt (sender->curl, CURLOPT_PASSWORD, s->password ? s->password : "");
    }
  curl_easy_setopt (sender->curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (sender->curl, CURLOPT_READFUNCTION, read_upload_cb);
  return sender->curl;
}

static gboolean
set_curl_error (CURL        *curl,
                CURLcode     code,
                const char  *to,
                GError     **error)
{
  long response = 0;

  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &response);
  if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST
      || code == CURLE_OPERATION_TIMEDOUT)
    g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_OFFLINE,
                 _("The mail server cannot be reached: check the mail settings and the network (%s)."),
                 curl_easy_strerror (code));
  else if (code == CURLE_LOGIN_DENIED)
    g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_PERMISSION,
                 _("The mail server refused the user name or password."));
  else if (response >= 550 && response <= 553)
    g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
                 _("The mail server refused the address %s."), to);
  else
    g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_FAILED,
                 _("The e-mail to %s could not be sent (%s, %ld)."), to,
                 curl_easy_strerror (code), response);
  return FALSE;
}

gboolean
joren_mail_sender_send (JorenMailSender         *sender,
                        const JorenMailMessage  *message,
                        GError                 **error)
{
  g_autofree char *text = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  struct curl_slist *rcpt;
  Upload upload;
  CURL *curl;
  CURLcode code;

  g_return_val_if_fail (sender != NULL, FALSE);
  g_return_val_if_fail (message != NULL && message->to != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = joren_mail_build (sender->settings, message, NULL);
  from = g_strdup_printf ("<%s>", sender->settings->from);
  to = g_strdup_printf ("<%s>", message->to);
  rcpt = curl_slist_append (NULL, to);
  upload.data = text;
  upload.left = strlen (text);
  curl = ensure_curl (sender);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
  code = curl_easy_perform (curl);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, NULL);
  curl_slist_free_all (rcpt);
  if (code != CURLE_OK)
    return set_curl_error (curl, code, message->to, error);
  g_debug ("Mail sent to a customer through %s", sender->settings->host);
  return TRUE;
}
