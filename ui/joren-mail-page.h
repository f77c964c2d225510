/* joren-mail-page.h: the back office's Mail section: the SMTP server that
 * promotions and birthday greetings go through (host, port, TLS mode,
 * login, sender, the unsubscribe page) and a test mail to a typed
 * address. The stored password is never shown: an empty field keeps it. */
#pragma once

#include <gtk/gtk.h>

#include "joren-db.h"

G_BEGIN_DECLS

#define JOREN_TYPE_MAIL_PAGE (joren_mail_page_get_type ())
G_DECLARE_FINAL_TYPE (JorenMailPage, joren_mail_page, JOREN, MAIL_PAGE, GtkWidget)

GtkWidget *joren_mail_page_new    (void);
void       joren_mail_page_set_db (JorenMailPage *self,
                                   JorenDb       *db);
/* What Save does; FALSE with the reason shown on the page. */
gboolean   joren_mail_page_save   (JorenMailPage *self);

G_END_DECLS
