/* joren-promotion.h: one-touch promotions. A promotion is a segment
 * (joren-segment.h) + a channel (e-mail, postcards, address labels) + a
 * template with {name}, {points}, {birthday} and {shop}. Only customers
 * who consented to the channel and have an address for it are reached;
 * the preview says how many, how many were left out and why, and shows
 * the first messages as they will read. Sending writes a run and one row
 * per recipient (the send log). Birthday greetings go out by themselves:
 * at most once a year per customer, however often they are run. The
 * shop's SMTP server is kept in settings (mail.*). */
#pragma once

#include <gio/gio.h>

#include "joren-db.h"
#include "joren-mail.h"
#include "joren-segment.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_PROMOTION_EMAIL,
  JOREN_PROMOTION_POSTCARD,   /* one hagaki page per customer (PDF) */
  JOREN_PROMOTION_LABELS,     /* A4 sheets of address labels (PDF) */
} JorenPromotionChannel;

const char *joren_promotion_channel_to_string (JorenPromotionChannel channel); /* "email" ... */
const char *joren_promotion_channel_to_label  (JorenPromotionChannel channel); /* translated */

/* Plain data; strings borrowed. */
typedef struct {
  JorenPromotionChannel  channel;
  const char            *name;     /* for the send log: "Lapsed 90 days" */
  const char            *subject;  /* e-mail only */
  const char            *body;     /* e-mail text; the postcard's greeting */
} JorenPromotion;

typedef struct {
  gint64  customer_id;
  char   *name;
  char   *to;        /* e-mail address, or the postal address on one line */
  char   *subject;   /* NULL for paper */
  char   *body;
} JorenPromotionMessage;

typedef struct {
  guint64    in_segment;  /* everyone the filter selects */
  guint64    no_consent;  /* left out: did not consent to this channel */
  guint64    no_address;  /* left out: consented, but no e-mail or postal address */
  guint64    recipients;  /* who will get it */
  GPtrArray *samples;     /* JorenPromotionMessage*, the first recipients rendered */
} JorenPromotionPreview;

void                   joren_promotion_message_free (JorenPromotionMessage *message);
void                   joren_promotion_preview_free (JorenPromotionPreview *preview);

/* now NULL: the current time (for {birthday} and the segment). */
JorenPromotionPreview *joren_promotion_preview  (JorenDb                  *db,
                                                 const JorenSegmentFilter *filter,
                                                 const JorenPromotion     *promotion,
                                                 guint                     n_samples,
                                                 GError                  **error);

/* Sends the e-mails (or writes the PDF to output_path for paper) to
 * every recipient, logging each. *out_run_id: the run. A server that
 * cannot be reached or refuses the login stops the run with an error
 * (the recipients not reached stay "pending" in the log); a refused
 * address is logged as failed and the run goes on. */
gboolean  joren_promotion_send          (JorenDb                  *db,
                                         const JorenSegmentFilter *filter,
                                         const JorenPromotion     *promotion,
                                         gint64                    staff_id,
                                         const char               *output_path,
                                         gint64                   *out_run_id,
                                         GError                  **error);
/* The same in a worker thread on its own connection. */
void      joren_promotion_send_async    (JorenDb                  *db,
                                         const JorenSegmentFilter *filter,
                                         const JorenPromotion     *promotion,
                                         gint64                    staff_id,
                                         const char               *output_path,
                                         GCancellable             *cancellable,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data);
gboolean  joren_promotion_send_finish   (JorenDb       *db,
                                         GAsyncResult  *result,
                                         gint64        *out_run_id,
                                         GError       **error);

/* --- the send log --- */

typedef struct {
  gint64                 id;
  char                  *kind;        /* "campaign" or "birthday" */
  JorenPromotionChannel  channel;
  char                  *name;
  char                  *staff_name;  /* NULL: automatic */
  char                  *output_path; /* paper: the PDF */
  guint                  n_sent;      /* e-mails sent, or pages printed */
  guint                  n_failed;
  guint                  n_pending;
  guint                  n_excluded;  /* left out for lack of consent */
  GDateTime             *created_at;
} JorenPromotionRun;

typedef struct {
  gint64     customer_id;
  char      *name;       /* as the customer record names them now */
  char      *status;     /* "pending", "sent", "printed", "failed" */
  char      *error;
  GDateTime *at;
} JorenPromotionRecipient;

void       joren_promotion_run_free       (JorenPromotionRun *run);
void       joren_promotion_recipient_free (JorenPromotionRecipient *recipient);
/* Newest first. */
GPtrArray *joren_promotion_list_runs      (JorenDb  *db,
                                           guint     limit,
                                           GError  **error);
GPtrArray *joren_promotion_list_recipients (JorenDb  *db,
                                            gint64    run_id,
                                            GError  **error);

/* --- settings --- */

/* NULL when no mail server is set up (mail.host empty). */
JorenMailSettings *joren_promotion_get_mail_settings (JorenDb                 *db);
gboolean           joren_promotion_set_mail_settings (JorenDb                 *db,
                                                      const JorenMailSettings *settings,
                                                      GError                 **error);

/* The token in a customer's unsubscribe link; unguessable (an HMAC of
 * the id under a secret kept in the settings). */
char      *joren_promotion_unsubscribe_token (JorenDb     *db,
                                              gint64       customer_id);
/* The register's unsubscribe secret (made on first use). The register
 * shares it with joren-server (POST /v1/unsubscribe/secret), which keeps
 * every register's, so the server can check a link any register sent. */
char      *joren_promotion_unsubscribe_secret    (JorenDb     *db);
/* The t= of joren-server's /unsubscribe?c=<uuid>&t=<signature> link: the
 * first 32 hex digits of HMAC-SHA256 (secret, "unsubscribe:" + uuid).
 * Pure, so the server computes it the same way. */
char      *joren_promotion_unsubscribe_signature (const char  *secret,
                                                  const char  *customer_uuid);
/* Where the link points: setting mail.unsubscribe_url (a base URL, or a
 * template with {token} for a page of the shop's own), else the paired
 * server's URL (sync.server_url); NULL when neither is set. */
char      *joren_promotion_unsubscribe_base      (JorenDb     *db);
/* Withdraws the e-mail consent of the token's customer. NOT_FOUND for a
 * token that is not valid. */
gboolean   joren_promotion_unsubscribe       (JorenDb     *db,
                                              const char  *token,
                                              GError     **error);

/* --- birthdays --- */

/* E-mails a greeting (templates promotion.birthday_subject/_body) to
 * every consenting customer whose birthday is today, or within the
 * coming 7 days when promotion.birthday_window is "week", unless they had
 * this year's already. today NULL: now. Does nothing (TRUE, 0 sent)
 * without a mail server or with promotion.birthday_enabled "0". */
gboolean  joren_promotion_run_birthdays        (JorenDb       *db,
                                                GDateTime     *today,
                                                guint         *out_sent,
                                                GError       **error);
/* In a worker thread; callback may be NULL (fire and forget: a failure
 * is logged as a warning). */
void      joren_promotion_run_birthdays_async  (JorenDb             *db,
                                                GDateTime           *today,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  joren_promotion_run_birthdays_finish (JorenDb       *db,
                                                GAsyncResult  *result,
                                                guint         *out_sent,
                                                GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenPromotionMessage, joren_promotion_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenPromotionPreview, joren_promotion_preview_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenPromotionRun, joren_promotion_run_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenPromotionRecipient, joren_promotion_recipient_free)

G_END_DECLS
