/* joren-mail.h: e-mail to customers over SMTP (libcurl): the shop's
 * server settings, a MIME message in UTF-8 (an RFC 2047 subject, a
 * base64 text body, a List-Unsubscribe header so mail programs offer a
 * one-tap unsubscribe, files such as an invoice PDF attached),
 * templates with {placeholders} filled per customer, and a sender that
 * keeps one connection open for a whole promotion. The password is
 * never logged. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  JOREN_MAIL_TLS_NONE,      /* plain SMTP (a local relay) */
  JOREN_MAIL_TLS_STARTTLS,  /* port 587: upgrade, required */
  JOREN_MAIL_TLS_IMPLICIT,  /* port 465: smtps:// */
} JorenMailTls;

typedef struct {
  char         *host;
  guint         port;        /* 0: the TLS mode's default */
  JorenMailTls  tls;
  char         *user;        /* NULL: no login */
  char         *password;
  char         *from;        /* the shop's address */
  char         *from_name;   /* shown name, may be NULL */
} JorenMailSettings;

void               joren_mail_settings_free   (JorenMailSettings *settings);
JorenMailSettings *joren_mail_settings_copy   (const JorenMailSettings *settings);
const char        *joren_mail_tls_to_string   (JorenMailTls tls);   /* "none" ... */
JorenMailTls       joren_mail_tls_from_string (const char  *text);

/* text with every {key} replaced by values[key]; unknown keys stay. */
char   *joren_mail_fill_template   (const char *template_text,
                                    GHashTable *values);
/* An RFC 2047 encoded-word ("=?UTF-8?B?...?=") when text is not ASCII,
 * else a copy. */
char   *joren_mail_encode_header   (const char *text);

/* A file sent along: its own base64 part of a multipart/mixed message. */
typedef struct {
  const char *file_name;        /* UTF-8, without a folder */
  const char *mime_type;        /* "application/pdf"; NULL: application/octet-stream */
  GBytes     *bytes;
} JorenMailAttachment;

typedef struct {
  const char *to;
  const char *subject;
  const char *body;             /* UTF-8, "\n" line ends */
  const char *unsubscribe_url;  /* https: link; may be NULL */
  const char *unsubscribe_mailto; /* mailto: target; may be NULL */
  const JorenMailAttachment *attachments; /* n_attachments of them; may be NULL */
  guint       n_attachments;
} JorenMailMessage;

/* The whole message (headers + body, CRLF line ends) as sent. Without
 * attachments a single text/plain part; with them multipart/mixed: the
 * text, then each file (a non-ASCII name as RFC 2231 filename* and an
 * RFC 2047 name, so old and new mail programs both show it). */
char   *joren_mail_build           (const JorenMailSettings *settings,
                                    const JorenMailMessage  *message,
                                    GDateTime               *date);

typedef struct _JorenMailSender JorenMailSender;

JorenMailSender *joren_mail_sender_new  (const JorenMailSettings *settings);
void             joren_mail_sender_free (JorenMailSender *sender);
/* Sends message to message->to; the connection stays open for the
 * next. JOREN_DEVICE_ERROR_OFFLINE when the server cannot be reached,
 * PERMISSION when it refuses the login, INVALID when it refuses the
 * recipient, FAILED otherwise. */
gboolean         joren_mail_sender_send (JorenMailSender         *sender,
                                         const JorenMailMessage  *message,
                                         GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenMailSettings, joren_mail_settings_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenMailSender, joren_mail_sender_free)

G_END_DECLS
