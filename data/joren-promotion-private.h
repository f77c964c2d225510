/* joren-promotion-private.h: what joren-promotion.c (campaigns, the log,
 * settings) shares with joren-promotion-birthday.c: a customer's contact
 * details, rendering a message for them, e-mailing it and logging it. */
#pragma once

#include "joren-mail.h"
#include "joren-promotion.h"

G_BEGIN_DECLS

typedef struct {
  gint64    id;
  char     *uuid;       /* the chain-wide id the unsubscribe link names */
  char     *member_no;
  char     *name;
  char     *email;
  char     *postal_code;
  char     *address;
  char     *birthday;
  gboolean  consent_email;
  gboolean  consent_post;
} JorenContact;

void          joren_contact_free          (JorenContact *contact);
/* NULL with NOT_FOUND for an id that is no longer a live customer. */
JorenContact *joren_contact_load          (JorenDb      *db,
                                           gint64        id,
                                           GError      **error);
JorenPromotionMessage *
              joren_promotion_render      (JorenDb               *db,
                                           const JorenContact    *contact,
                                           const JorenPromotion  *promotion,
                                           const char            *shop_name);
/* A new run; its recipients (gint64 ids) start "pending". */
gint64        joren_promotion_insert_run  (JorenDb               *db,
                                           const char            *kind,
                                           const JorenPromotion  *promotion,
                                           gint64                 staff_id,
                                           const char            *output_path,
                                           guint64                n_excluded,
                                           GArray                *ids,
                                           GError               **error);
gboolean      joren_promotion_mark        (JorenDb     *db,
                                           gint64       run_id,
                                           gint64       customer_id,
                                           const char  *status,
                                           const char  *message,
                                           GError     **error);
/* E-mails the rendered message to contact and logs the outcome. FALSE
 * only when the run must stop (server unreachable, login refused). */
gboolean      joren_promotion_deliver     (JorenDb               *db,
                                           JorenMailSender       *sender,
                                           gint64                 run_id,
                                           const JorenContact    *contact,
                                           const JorenPromotion  *promotion,
                                           const char            *shop_name,
                                           gboolean              *out_sent,
                                           GError               **error);
char         *joren_promotion_shop_name   (JorenDb *db);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenContact, joren_contact_free)

G_END_DECLS
